/* Unit tests of the data-quality report (quality.h): batches, records,
 * stored errors and unmapped columns are written through the store, as the
 * importer writes them, with chosen dates; lags are checked against
 * data/holidays.tsv (国庆 2019: 10-01..10-07 off, Sunday 09-29 and Saturday
 * 10-12 worked). */
#include <criterion/criterion.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fixture.h"
#include "xinyong/bulletin.h"
#include "xinyong/publication.h"
#include "xinyong/quality.h"

static xy_publication pub;

static void setup(void)
{
	fx_open();
	xy_publication_init(&pub);
	OK(xy_publication_load_dir(&pub, NULL, &err));
}

static void teardown(void)
{
	xy_publication_release(&pub);
	fx_close();
}

TestSuite(quality, .init = setup, .fini = teardown);

/* A batch of unit × category reported on `reported`, started at `started`. */
static int64_t batch(const char *unit, const char *cat, const char *reported,
		     const char *started, xy_batch_status status, long rejected)
{
	xy_batch b;
	const xy_unit *u = xy_registry_unit(&reg, unit);
	const xy_category *c = xy_registry_category(&reg, cat);
	cr_assert_not_null(u, "%s", unit);
	cr_assert_not_null(c, "%s", cat);
	memset(&b, 0, sizeof b);
	b.unit_id = u->id;
	b.category_id = c->id;
	snprintf(b.reported_on, sizeof b.reported_on, "%s", reported);
	snprintf(b.started_at, sizeof b.started_at, "%s", started ? started : "");
	b.file = "in.csv";
	b.status = status;
	b.rejected = rejected;
	b.rows = rejected;
	OK(xy_store_batch_insert(st, &b, &err));
	return b.id;
}

static void record(int64_t batch_id, const char *unit, const char *cat, const char *key,
		   const char *decided, const char *data)
{
	xy_record_in r;
	xy_upsert_result res;
	memset(&r, 0, sizeof r);
	r.unit_id = xy_registry_unit(&reg, unit)->id;
	r.category_id = xy_registry_category(&reg, cat)->id;
	r.batch_id = batch_id;
	r.key = key;
	r.data = data;
	r.data_len = strlen(data);
	r.decided_on = decided;
	OK(xy_store_record_upsert(st, &r, &res, &err));
	cr_assert_eq(res, XY_UPSERT_NEW);
}

static void rejected_row(int64_t batch_id, long row, const char *reason)
{
	xy_batch_error e = { batch_id, row, NULL, "证件号码", "x", reason, "reason" };
	OK(xy_store_batch_error_add(st, &e, &err));
}

static xy_quality *build(const char *from, const char *to, const char *unit)
{
	xy_quality_opts o = { from, to, unit, NULL };
	xy_quality *q = NULL;
	OK(xy_quality_build(st, &reg, &o, &q, &err));
	cr_assert_not_null(q);
	return q;
}

static const xy_quality_row *row(const xy_quality *q, const char *unit, const char *cat)
{
	for (size_t i = 0; i < q->nrows; i++)
		if (!strcmp(q->rows[i].unit, unit) && !strcmp(q->rows[i].category, cat))
			return &q->rows[i];
	return NULL;
}

static long lag(const char *decided, const char *started, bool *estimated)
{
	long n = -1;
	bool e = false;
	cr_assert_eq(xy_quality_lag(&pub, decided, started, &n, &e), XY_OK, "%s → %s", decided,
		     started);
	if (estimated)
		*estimated = e;
	return n;
}

/* ---- lag ---- */

Test(quality, lag_across_the_national_day_holiday)
{
	bool est = true;
	/* Monday 09-30 → Wednesday 10-09: 10-01..07 off, 10-08 and 10-09 worked */
	cr_assert_eq(lag("2019-09-30", "2019-10-09T02:00:00Z", &est), 2);
	cr_assert(!est, "2019 is in the calendar");
	cr_assert(xy_cal_workday(&pub, "2019-09-29"), "holidays.tsv: Sunday 09-29 is a 班 day");
	cr_assert(!xy_cal_workday(&pub, "2019-10-07"), "holidays.tsv: Monday 10-07 is off");
	/* the same span counted day by day by the calendar */
	cr_assert_eq(xy_cal_workdays_between(&pub, "2019-09-30", "2019-10-09"), 2);
	/* Friday 09-27 → 10-08: 09-29 (Sunday 班), 09-30, 10-08 */
	cr_assert_eq(lag("2019-09-27", "2019-10-08", NULL), 3);
	/* the decision day is not counted; an upload the same day is lag 0 */
	cr_assert_eq(lag("2019-10-09", "2019-10-09T03:00:00Z", NULL), 0);
}

Test(quality, upload_day_is_beijing_time)
{
	/* 2019-10-08 17:00 UTC is 10-09 01:00 in Beijing */
	cr_assert_eq(lag("2019-09-30", "2019-10-08T17:00:00Z", NULL), 2);
	/* 2019-10-08 15:59 UTC is 10-08 23:59 in Beijing */
	cr_assert_eq(lag("2019-09-30", "2019-10-08T15:59:59Z", NULL), 1);
	/* across a month and a year end */
	cr_assert_eq(lag("2019-12-31", "2019-12-31T16:00:00Z", NULL), 0, "2020-01-01 is 元旦");
	cr_assert_eq(lag("2019-12-31", "2020-01-01T16:00:00Z", NULL), 1, "2020-01-02 works");
}

Test(quality, lag_failures_and_estimates)
{
	long n;
	bool est = false;
	cr_assert_eq(xy_quality_lag(&pub, "2019-10-10", "2019-10-09T00:00:00Z", &n, &est),
		     XY_ERR_INVALID, "decided after the upload");
	cr_assert_eq(xy_quality_lag(&pub, "2019-02-30", "2019-10-09", &n, &est), XY_ERR_INVALID);
	cr_assert_eq(xy_quality_lag(&pub, "2019-09-30", "yesterday", &n, &est), XY_ERR_INVALID);
	cr_assert_eq(xy_quality_lag(&pub, NULL, "2019-10-09", &n, &est), XY_ERR_INVALID);
	/* a span reaching a year holidays.tsv does not cover is an estimate */
	cr_assert_gt(pub.last_year, 2019);
	{
		char d[32];
		snprintf(d, sizeof d, "%04d-01-15", pub.last_year + 1);
		lag("2019-09-30", d, &est);
		cr_assert(est, "%s is beyond the calendar (last year %d)", d, pub.last_year);
		lag("2018-12-28", "2019-01-04", &est);
		cr_assert(est, "2018 is before the calendar");
	}
}

/* The fast count agrees with the calendar's day-by-day walk, over every pair
 * of days around the 2019 国庆 and 2020 春节 holidays and over long spans. */
Test(quality, lag_agrees_with_the_calendar_walk)
{
	static const char *const starts[] = { "2019-09-01", "2020-01-10", "2018-12-20",
					      "2024-12-25" };
	for (size_t k = 0; k < sizeof starts / sizeof *starts; k++) {
		for (long i = 0; i < 60; i++) {
			char a[11], b[11];
			OK(xy_date_add_days(starts[k], i, a));
			for (long j = 0; j < 80; j += (j < 40 ? 1 : 7)) {
				OK(xy_date_add_days(a, j, b));
				cr_assert_eq(lag(a, b, NULL), xy_cal_workdays_between(&pub, a, b),
					     "%s → %s", a, b);
			}
		}
	}
	cr_assert_eq(lag("2019-01-01", "2027-06-30", NULL),
		     xy_cal_workdays_between(&pub, "2019-01-01", "2027-06-30"));
	cr_assert_eq(lag("1899-12-25", "2019-10-09", NULL),
		     xy_cal_workdays_between(&pub, "1899-12-25", "2019-10-09"));
}

/* ---- the report ---- */

#define XK(wsh, extra) "{\"XK_XDR_MC\":\"示例公司\",\"XK_WSH\":\"" wsh "\"" extra "}"

/* 市审批局 行政许可 in 2019-10, uploaded 2019-10-09 (Beijing): decided
 * 09-30 (lag 2), 09-20 (lag 9: 09-23..27, 09-29 班, 09-30, 10-08, 10-09),
 * 10-08 (lag 1), one without a decision date, one decided after the upload. */
static void some_permits(void)
{
	int64_t b = batch("市审批局", "行政许可", "2019-10-15", "2019-10-09T02:00:00Z",
			  XY_BATCH_COMMITTED, 0);
	record(b, "市审批局", "行政许可", "XK-1", "2019-09-30",
	       XK("XK-1", ",\"XK_XKBH\":\"B1\",\"BZ\":\"备注\""));
	record(b, "市审批局", "行政许可", "XK-2", "2019-09-20", XK("XK-2", ",\"XK_XKBH\":\"\""));
	record(b, "市审批局", "行政许可", "XK-3", "2019-10-08", XK("XK-3", ",\"BZ\":null"));
	record(b, "市审批局", "行政许可", "XK-4", NULL, XK("XK-4", ",\"XK_XKBH\":\"B4\""));
	record(b, "市审批局", "行政许可", "XK-5", "2019-10-10", XK("XK-5", ""));
}

Test(quality, lags_and_the_seven_day_share)
{
	xy_quality *q;
	const xy_quality_row *r;
	some_permits();
	/* a later month and a refused file bring nothing to the records */
	record(batch("市审批局", "行政许可", "2019-11-01", "2019-11-01T01:00:00Z",
		     XY_BATCH_COMMITTED, 0),
	       "市审批局", "行政许可", "XK-9", "2019-01-02", XK("XK-9", ""));
	q = build("2019-10", "2019-10", NULL);
	cr_assert_eq(q->nrows, 1);
	r = row(q, "市审批局", "行政许可");
	cr_assert_not_null(r);
	cr_assert(r->publicity);
	cr_assert_eq(r->records, 5);
	cr_assert_eq(r->decided, 4);
	cr_assert_eq(r->undated, 1);
	cr_assert_eq(r->after_upload, 1);
	cr_assert_eq(r->nlags, 3);
	cr_assert_eq(r->lags[0], 1);
	cr_assert_eq(r->lags[1], 2);
	cr_assert_eq(r->lags[2], 9);
	cr_assert_eq(r->within, 2);
	cr_assert_eq(r->estimated, 0);
	cr_assert_float_eq(xy_quality_lag_median(r), 2.0, 1e-9);
	cr_assert_float_eq(xy_quality_lag_mean(r), 4.0, 1e-9);
	xy_quality_free(q);

	/* both months: the 2019-11 record decided 2019-01-02 lags 205 working days */
	q = build("2019-10", "2019-11", NULL);
	r = row(q, "市审批局", "行政许可");
	cr_assert_eq(r->records, 6);
	cr_assert_eq(r->nlags, 4);
	cr_assert_eq(r->lags[3], xy_cal_workdays_between(&pub, "2019-01-02", "2019-11-01"));
	cr_assert_float_eq(xy_quality_lag_median(r), 5.5, 1e-9, "median of 1 2 9 N");
	xy_quality_free(q);
}

Test(quality, other_categories_have_lags_but_no_share)
{
	xy_quality *q;
	xy_table *t;
	int64_t b = batch("站前区", "信用承诺书", "2019-10-15", "2019-10-09T02:00:00Z",
			  XY_BATCH_COMMITTED, 0);
	record(b, "站前区", "信用承诺书", "CN-1", "2019-09-30", "{\"BH\":\"CN-1\"}");
	some_permits();
	q = build("2019-10", "2019-10", NULL);
	cr_assert_eq(q->nrows, 2);
	/* unit order (市审批局 before 站前区 in units.tsv) */
	cr_assert_str_eq(q->rows[0].unit, "市审批局");
	cr_assert_str_eq(q->rows[1].unit, "站前区");
	cr_assert(!q->rows[1].publicity);
	cr_assert_eq(q->rows[1].nlags, 1);
	cr_assert_eq(q->rows[1].nfields, 0, "optional fields are checked for 双公示 only");
	OK(xy_quality_table(q, &t, &err));
	cr_assert_eq(t->nrows, 2);
	cr_assert_eq(t->nlabels, 12);
	cr_assert_str_eq(t->label_names[6], "7个工作日内占比");
	cr_assert_str_eq(t->rows[0].labels[6], "66.7%", "2 of 3 within 7 working days");
	cr_assert_str_eq(t->rows[0].labels[4], "2");
	cr_assert_str_eq(t->rows[0].labels[5], "9");
	cr_assert_str_eq(t->rows[1].labels[6], "—");
	cr_assert_str_eq(t->rows[1].labels[10], "—");
	cr_assert_str_eq(t->rows[1].labels[4], "2");
	xy_table_free(t);
	xy_quality_free(q);
}

Test(quality, rejected_rows_and_their_top_reasons)
{
	xy_quality *q;
	xy_table *t;
	const xy_quality_row *r;
	/* 8 rejected rows, 6 of them with stored errors (row 3 has two) */
	int64_t b1 = batch("公安局", "行政处罚", "2019-10-02", "2019-10-08T01:00:00Z",
			   XY_BATCH_COMMITTED, 5);
	int64_t b2 = batch("公安局", "行政处罚", "2019-10-20", "2019-10-21T01:00:00Z",
			   XY_BATCH_REFUSED, 3);
	rejected_row(b1, 2, "证件号码校验位错误：210804199001011235");
	rejected_row(b1, 3, "缺少必填字段：行政相对人名称");
	rejected_row(b1, 3, "证件号码校验位错误：210804199001011235");
	rejected_row(b1, 4, "日期无法识别");
	rejected_row(b2, 2, "缺少必填字段：行政相对人名称");
	rejected_row(b2, 3, "缺少必填字段：行政相对人名称");
	rejected_row(b2, 4, "金额不是数字");
	/* another unit's errors stay its own */
	rejected_row(batch("市审批局", "行政处罚", "2019-10-02", NULL, XY_BATCH_COMMITTED, 1), 2,
		     "日期无法识别");
	q = build("2019-10", "2019-10", NULL);
	r = row(q, "公安局", "行政处罚");
	cr_assert_not_null(r);
	cr_assert_eq(r->records, 0);
	cr_assert_eq(r->batches, 2);
	cr_assert_eq(r->refused, 1);
	cr_assert_eq(r->rejected, 8);
	cr_assert_eq(r->error_rows, 6);
	cr_assert_eq(r->nreasons, 4);
	cr_assert_str_eq(r->reasons[0].reason, "缺少必填字段：行政相对人名称");
	cr_assert_eq(r->reasons[0].n, 3);
	cr_assert_str_eq(r->reasons[1].reason, "证件号码校验位错误：210804199001011235");
	cr_assert_eq(r->reasons[1].n, 2);
	cr_assert_eq(r->reasons[2].n, 1);
	cr_assert_eq(r->reasons[3].n, 1);
	OK(xy_quality_table(q, &t, &err));
	{
		int i = xy_table_row_index(t, 0, "公安局");
		cr_assert_geq(i, 0);
		cr_assert_str_eq(t->rows[i].labels[7], "8");
		cr_assert_str_eq(t->rows[i].labels[8], "1");
		cr_assert_str_eq(t->rows[i].labels[9],
				 "缺少必填字段：行政相对人名称（3）；"
				 "证件号码校验位错误：210804199001011235（2）；"
				 "日期无法识别（1）；另1种");
		cr_assert_str_eq(t->rows[i].labels[3], "—", "no records, no lag");
		cr_assert_str_eq(t->rows[i].labels[10], "—");
	}
	xy_table_free(t);
	r = row(q, "市审批局", "行政处罚");
	cr_assert_not_null(r);
	cr_assert_eq(r->rejected, 1);
	cr_assert_eq(r->nreasons, 1);
	xy_quality_free(q);
}

Test(quality, optional_fields_left_empty)
{
	xy_quality *q;
	xy_table *t;
	const xy_quality_row *r;
	const xy_category *cat = xy_registry_category(&reg, "行政许可");
	size_t optional = 0;
	long long bh = -1, bz = -1, name = -1;
	some_permits();
	q = build("2019-10", "2019-10", NULL);
	r = row(q, "市审批局", "行政许可");
	for (size_t f = 0; f < cat->nfields; f++)
		optional += !cat->fields[f].required;
	cr_assert_eq(r->nfields, optional, "every optional field, none required");
	for (size_t i = 0; i < r->nfields; i++) {
		if (!strcmp(r->fields[i].code, "XK_XKBH"))
			bh = r->fields[i].empty;
		if (!strcmp(r->fields[i].code, "BZ"))
			bz = r->fields[i].empty;
		if (!strcmp(r->fields[i].code, "XK_XDR_MC"))
			name = r->fields[i].empty;
		if (i)
			cr_assert_geq(r->fields[i - 1].empty, r->fields[i].empty, "emptiest first");
	}
	cr_assert_eq(name, -1, "行政相对人名称 is required: not listed");
	cr_assert_eq(bh, 3, "absent twice, \"\" once");
	cr_assert_eq(bz, 4, "given once, null once, absent three times");
	cr_assert_eq(r->fields[0].empty, 5);
	cr_assert_eq(r->unreadable, 0);
	OK(xy_quality_table(q, &t, &err));
	cr_assert(strstr(t->rows[0].labels[10], "100.0%"), "%s", t->rows[0].labels[10]);
	cr_assert_null(strstr(t->rows[0].labels[10], "许可编号"), "60%% is not among the worst 3");
	xy_table_free(t);
	xy_quality_free(q);
}

Test(quality, unmapped_columns_seen)
{
	xy_quality *q;
	xy_table *t;
	const xy_quality_row *r;
	int64_t b1 = batch("市审批局", "行政许可", "2019-10-02", "2019-10-08T01:00:00Z",
			   XY_BATCH_COMMITTED, 0);
	int64_t b2 = batch("市审批局", "行政许可", "2019-10-20", "2019-10-21T01:00:00Z",
			   XY_BATCH_COMMITTED, 0);
	xy_batch_column c1 = { b1, "Sheet1", 7, "许可证号", "XK_XKBH", 40 };
	xy_batch_column c2 = { b2, "", 7, "许可证号", "XK_XKBH", 2 };
	xy_batch_column c3 = { b2, "", 9, "经办人", NULL, 50 };
	OK(xy_store_batch_column_add(st, &c1, &err));
	OK(xy_store_batch_column_add(st, &c2, &err));
	OK(xy_store_batch_column_add(st, &c3, &err));
	cr_assert_neq(xy_store_batch_column_add(st, &c3, &err), XY_OK, "a column is recorded once");
	c3.col = 0;
	cr_assert_eq(xy_store_batch_column_add(st, &c3, &err), XY_ERR_ARG);
	q = build("2019-10", "2019-10", NULL);
	r = row(q, "市审批局", "行政许可");
	cr_assert_not_null(r, "columns alone make a row");
	cr_assert_eq(r->ncolumns, 2);
	cr_assert_str_eq(r->columns[0].header, "经办人", "most cells first");
	cr_assert_null(r->columns[0].suggestion);
	cr_assert_eq(r->columns[1].batches, 2);
	cr_assert_eq(r->columns[1].cells, 42);
	cr_assert_str_eq(r->columns[1].suggestion, "XK_XKBH");
	cr_assert_str_eq(r->columns[1].suggestion_name, "许可编号");
	OK(xy_quality_table(q, &t, &err));
	cr_assert_str_eq(t->rows[0].labels[11], "经办人（1批/50格）；许可证号（2批/42格，疑为许可编号）");
	xy_table_free(t);
	xy_quality_free(q);
}

Test(quality, unit_filter_and_errors)
{
	xy_quality *q;
	xy_quality_opts o = { "2019-10", "2019-09", NULL, NULL };
	some_permits();
	record(batch("站前区", "信用承诺书", "2019-10-15", "2019-10-09T02:00:00Z",
		     XY_BATCH_COMMITTED, 0),
	       "站前区", "信用承诺书", "CN-1", "2019-09-30", "{\"BH\":\"CN-1\"}");
	q = build("2019-01", "2019-12", "站前区");
	cr_assert_eq(q->nrows, 1);
	cr_assert_str_eq(q->rows[0].unit, "站前区");
	cr_assert_str_eq(q->unit, "站前区");
	xy_quality_free(q);
	q = build("2019-01", "2019-12", "公安局");
	cr_assert_eq(q->nrows, 0, "a unit without data has no rows");
	xy_quality_free(q);
	q = (xy_quality *)1;
	cr_assert_eq(xy_quality_build(st, &reg, &o, &q, &err), XY_ERR_ARG, "backwards range");
	cr_assert_null(q);
	o.from = "2019-13";
	o.to = "2019-12";
	cr_assert_eq(xy_quality_build(st, &reg, &o, &q, &err), XY_ERR_ARG);
	o.from = "2019-01";
	o.unit = "不存在的局";
	cr_assert_eq(xy_quality_build(st, &reg, &o, &q, &err), XY_ERR_NOTFOUND);
	cr_assert(strstr(err.msg, "不存在的局"), "%s", err.msg);
	o.unit = NULL;
	o.config_dir = "/nonexistent/config";
	/* the default calendar is used when the directory has no holidays.tsv */
	OK(xy_quality_build(st, &reg, &o, &q, &err));
	xy_quality_free(q);
}

Test(quality, json_has_every_detail)
{
	xy_quality *q;
	xy_buf b = XY_BUF_INIT;
	json_t *o, *r, *lag;
	json_error_t je;
	int64_t id;
	some_permits();
	id = batch("市审批局", "行政许可", "2019-10-30", "2019-10-30T01:00:00Z",
		   XY_BATCH_REFUSED, 2);
	rejected_row(id, 2, "原因甲");
	rejected_row(id, 3, "原因乙");
	q = build("2019-10", "2019-10", NULL);
	OK(xy_quality_json(q, &b, &err));
	o = json_loads(b.data, 0, &je);
	cr_assert_not_null(o, "%s", je.text);
	cr_assert_str_eq(json_string_value(json_object_get(o, "from")), "2019-10");
	cr_assert(json_is_null(json_object_get(o, "unit")));
	cr_assert_eq(json_integer_value(json_object_get(json_object_get(o, "calendar"),
							"last_year")),
		     pub.last_year);
	r = json_array_get(json_object_get(o, "rows"), 0);
	cr_assert_str_eq(json_string_value(json_object_get(r, "category")), "行政许可");
	cr_assert(json_is_true(json_object_get(r, "publicity")));
	lag = json_object_get(r, "lag");
	cr_assert_eq(json_integer_value(json_object_get(lag, "dated")), 3);
	cr_assert_eq(json_integer_value(json_object_get(lag, "undated")), 1);
	cr_assert_eq(json_integer_value(json_object_get(r, "with_decision_date")), 4);
	cr_assert_eq(json_integer_value(json_object_get(lag, "decided_after_upload")), 1);
	cr_assert_float_eq(json_real_value(json_object_get(lag, "median")), 2.0, 1e-9);
	cr_assert_eq(json_integer_value(json_object_get(lag, "max")), 9);
	cr_assert_eq(json_integer_value(json_object_get(lag, "within_7")), 2);
	cr_assert_float_eq(json_real_value(json_object_get(lag, "share_within_7")), 0.6667, 1e-9);
	cr_assert_eq(json_integer_value(json_object_get(
			     json_array_get(json_object_get(lag, "histogram"), 0), "n")),
		     2);
	cr_assert_eq(json_integer_value(json_object_get(
			     json_array_get(json_object_get(lag, "histogram"), 1), "n")),
		     1);
	cr_assert_eq(json_array_size(json_object_get(r, "reasons")), 2);
	cr_assert_eq(json_integer_value(json_object_get(r, "rejected_rows")), 2);
	cr_assert_eq(json_integer_value(json_object_get(r, "refused_files")), 1);
	cr_assert_gt(json_array_size(json_object_get(r, "empty_fields")), 10);
	cr_assert_float_eq(json_real_value(json_object_get(
				   json_array_get(json_object_get(r, "empty_fields"), 0), "share")),
			   1.0, 1e-9);
	cr_assert(json_is_array(json_object_get(r, "unmapped_columns")));
	json_decref(o);
	xy_buf_release(&b);
	xy_quality_free(q);
}

Test(quality, json_that_cannot_be_built_is_an_error)
{
	xy_quality *q;
	xy_buf b = XY_BUF_INIT;
	int64_t id = batch("市审批局", "行政许可", "2019-10-30", "2019-10-30T01:00:00Z",
			   XY_BATCH_REFUSED, 1);
	rejected_row(id, 2, "not UTF-8: \xff\xfe");
	q = build("2019-10", "2019-10", NULL);
	cr_assert_eq(xy_quality_json(q, &b, &err), XY_ERR_INVALID);
	cr_assert_eq(b.len, 0, "nothing half-written");
	xy_buf_release(&b);
	xy_quality_free(q);
}

/* ---- the bulletin's sentence ---- */

/* unit's 行政处罚 decided on `decided`, uploaded on `uploaded` (Beijing) */
static void penalty(const char *unit, const char *key, const char *decided, const char *uploaded)
{
	char at[32], data[128];
	snprintf(at, sizeof at, "%sT02:00:00Z", uploaded);
	snprintf(data, sizeof data, "{\"CF_WSH\":\"%s\"}", key);
	record(batch(unit, "行政处罚", "2019-10-28", at, XY_BATCH_COMMITTED, 0), unit, "行政处罚",
	       key, decided, data);
}

Test(quality, bulletin_sentence_names_the_slowest_units)
{
	xy_buf b = XY_BUF_INIT;
	/* 公安局: lags 9 and 14 → median 11.5; 市场监管局: 2 → fine; 市审批局: 9 */
	penalty("公安局", "GA-1", "2019-09-20", "2019-10-09");
	penalty("公安局", "GA-2", "2019-09-12", "2019-10-09");
	penalty("市场监管局", "SJ-1", "2019-09-30", "2019-10-09");
	penalty("市审批局", "SP-1", "2019-09-20", "2019-10-09");
	cr_assert_eq(xy_cal_workdays_between(&pub, "2019-09-12", "2019-10-09"), 14);
	OK(xy_quality_sentence(st, &reg, "2019-10", NULL, &b, &err));
	cr_assert_str_eq(b.data, "双公示报送较慢的单位：公安局（中位滞后11.5个工作日）、"
				 "市审批局（中位滞后9个工作日）（超过7个工作日）。\n");
	xy_buf_reset(&b);
	/* another month: nobody reported, nothing said */
	OK(xy_quality_sentence(st, &reg, "2019-09", NULL, &b, &err));
	cr_assert_str_eq(b.data, "");
	xy_buf_release(&b);
}

Test(quality, bulletin_sentence_silent_when_all_are_timely)
{
	xy_buf b = XY_BUF_INIT;
	penalty("公安局", "GA-1", "2019-09-30", "2019-10-09");
	penalty("市场监管局", "SJ-1", "2019-09-27", "2019-10-08");
	/* a slow non-双公示 category does not count */
	record(batch("站前区", "信用承诺书", "2019-10-15", "2019-10-09T02:00:00Z",
		     XY_BATCH_COMMITTED, 0),
	       "站前区", "信用承诺书", "CN-1", "2019-01-02", "{\"BH\":\"CN-1\"}");
	OK(xy_quality_sentence(st, &reg, "2019-10", NULL, &b, &err));
	cr_assert_str_eq(b.data, "");
	xy_buf_release(&b);
}

Test(quality, the_bulletin_carries_the_sentence)
{
	xy_bulletin *bl = NULL;
	xy_bulletin_opts o = { 1, "2019-10-31", NULL, NULL, NULL, NULL };
	penalty("公安局", "GA-1", "2019-09-20", "2019-10-09");
	OK(xy_bulletin_build(st, &reg, &o, &bl, &err));
	cr_assert(strstr(bl->sentences, "双公示报送较慢的单位：公安局（中位滞后9个工作日）"),
		  "%s", bl->sentences);
	/* after the statistics' sentences */
	cr_assert_lt(strstr(bl->sentences, "本期"), strstr(bl->sentences, "双公示报送较慢"));
	xy_bulletin_free(bl);
}
