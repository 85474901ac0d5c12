/* Unit tests of publication windows, the working-day calendar and credit
 * repair / objections / interviews (lib/credit/publication.c, repair.c). */
#include <criterion/criterion.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "xinyong/lists.h"
#include "xinyong/repair.h"
#include "fixture.h"

static xy_publication pub;

static void pub_setup(void)
{
	xy_error_clear(&err);
	xy_publication_init(&pub);
	cr_assert_eq(xy_publication_load_dir(&pub, NULL, &err), XY_OK, "%s", err.msg);
}

static void pub_teardown(void)
{
	xy_publication_release(&pub);
}

TestSuite(calendar, .init = pub_setup, .fini = pub_teardown);

static const char *months(const char *d, int n)
{
	static char out[11];
	cr_assert_eq(xy_date_add_months(d, n, out), XY_OK, "%s + %d", d, n);
	return out;
}

Test(calendar, months_clamp_to_the_last_day)
{
	cr_expect_str_eq(months("2024-02-29", 12), "2025-02-28");
	cr_expect_str_eq(months("2024-02-29", 48), "2028-02-29");
	cr_expect_str_eq(months("2024-01-31", 1), "2024-02-29");
	cr_expect_str_eq(months("2023-01-31", 1), "2023-02-28");
	cr_expect_str_eq(months("2025-11-30", 3), "2026-02-28");
	cr_expect_str_eq(months("2026-03-10", 0), "2026-03-10");
	char out[11];
	cr_expect_eq(xy_date_add_months("2023-02-29", 1, out), XY_ERR_INVALID);
	cr_expect_eq(xy_date_add_months("2023-2-1", 1, out), XY_ERR_INVALID);
}

static const char *wd(const char *d, int n)
{
	static char out[11];
	cr_assert_eq(xy_cal_add_workdays(&pub, d, n, out), XY_OK, "%s + %d", d, n);
	return out;
}

Test(calendar, working_days_and_holidays)
{
	cr_expect(!xy_cal_workday(&pub, "2026-10-01"), "国庆节");
	cr_expect(!xy_cal_workday(&pub, "2026-10-07"), "国庆节 last day");
	cr_expect(xy_cal_workday(&pub, "2026-10-08"), "Thursday after 国庆");
	cr_expect(xy_cal_workday(&pub, "2026-10-10"), "调休 Saturday works");
	cr_expect(!xy_cal_workday(&pub, "2026-10-11"), "plain Sunday");
	cr_expect(xy_cal_workday(&pub, "2026-09-20"), "调休 Sunday works");
	cr_expect(!xy_cal_workday(&pub, "2026-02-16"), "春节 Monday");
	cr_expect(xy_cal_workday(&pub, "2026-02-14"), "春节 调休 Saturday");
	cr_expect(!xy_cal_workday(&pub, "2019-10-07"), "2019 国庆");
	cr_expect(xy_cal_workday(&pub, "2019-10-12"), "2019 调休 Saturday");
	cr_expect(!xy_cal_workday(&pub, "2020-01-31"), "2020 春节 extension");
	cr_expect(!xy_cal_workday(&pub, "2020-02-01"), "2020-02-01 no longer a working Saturday");
	cr_expect(!xy_cal_workday(&pub, "2026-13-01"), "not a date");
	cr_expect_eq(pub.last_year, 2026);
}

Test(calendar, deadlines_across_holidays)
{
	/* 国庆: from the day before the holiday, the next working day is 10-08 */
	cr_expect_str_eq(wd("2026-09-30", 1), "2026-10-08");
	cr_expect_str_eq(wd("2026-09-30", 3), "2026-10-10"); /* 08 09 10(Sat, 调休) */
	cr_expect_str_eq(wd("2026-09-30", 4), "2026-10-12");
	/* the 调休 Sunday before 国庆 counts */
	cr_expect_str_eq(wd("2026-09-18", 1), "2026-09-20");
	/* 春节: Friday 02-13 → Saturday 02-14 works, then the holiday to 02-23 */
	cr_expect_str_eq(wd("2026-02-13", 1), "2026-02-14");
	cr_expect_str_eq(wd("2026-02-13", 2), "2026-02-24");
	cr_expect_str_eq(wd("2026-02-13", 5), "2026-02-27");
	cr_expect_str_eq(wd("2026-02-13", 6), "2026-02-28"); /* 调休 Saturday */
	/* a plain week: Friday + 1 is Monday */
	cr_expect_str_eq(wd("2026-11-20", 1), "2026-11-23");
	cr_expect_eq(xy_cal_workdays_between(&pub, "2026-09-30", "2026-10-10"), 3);
	cr_expect_eq(xy_cal_workdays_between(&pub, "2026-10-10", "2026-09-30"), 0);
	char out[11];
	cr_expect_eq(xy_cal_add_workdays(&pub, "2026-09-30", 0, out), XY_ERR_INVALID);
	cr_expect_eq(xy_cal_add_workdays(&pub, "yesterday", 1, out), XY_ERR_INVALID);
}

Test(calendar, coverage_of_the_holiday_file)
{
	/* holidays.tsv holds 2019–2026: a span reaching into 2027 is an estimate */
	cr_expect(xy_cal_covers(&pub, "2026-12-21", "2026-12-28"));
	cr_expect(xy_cal_covers(&pub, "2019-01-02", "2026-01-05"));
	cr_expect_not(xy_cal_covers(&pub, "2026-12-30", "2027-01-06"));
	cr_expect_not(xy_cal_covers(&pub, "2018-12-28", "2019-01-04"));
}

TestSuite(windows, .init = pub_setup, .fini = pub_teardown);

static xy_pub_window win(const char *cat, const char *sev, const char *decided, const char *until)
{
	xy_pub_window w;
	cr_assert_eq(xy_pub_window_for(&pub, cat, sev, decided, until, &w, &err), XY_OK, "%s",
		     err.msg);
	return w;
}

Test(windows, rule_in_force_on_the_decision_date)
{
	const xy_pub_rule *a = xy_pub_rule_for(&pub, "行政处罚", "一般", "2023-04-30");
	const xy_pub_rule *b = xy_pub_rule_for(&pub, "行政处罚", "一般", "2023-05-01");
	cr_assert_not_null(a);
	cr_assert_not_null(b);
	cr_expect_eq(a->max_months, 12, "527号 (2019): 一般 at most 1 year");
	cr_expect_eq(b->max_months, 12, "58号令: 1 year");
	cr_expect_eq(b->min_months, 3);
	cr_expect(strstr(b->basis, "58号") != NULL);
	cr_expect_null(xy_pub_rule_for(&pub, "行政处罚", "一般", "2019-06-30"), "before any rule");
	cr_expect_null(xy_pub_rule_for(&pub, "联合惩戒案例", "一般", "2026-01-01"), "no rule");
	const xy_pub_rule *s = xy_pub_rule_for(&pub, "行政处罚", "严重", "2026-01-01");
	cr_assert_not_null(s);
	cr_expect_eq(s->min_months, 12);
	cr_expect_eq(s->max_months, 36);
	const xy_pub_rule *x = xy_pub_rule_for(&pub, "行政许可", "", "2026-01-01");
	cr_assert_not_null(x, "a rule for every severity");
	cr_expect_eq(x->max_months, XY_PUB_NO_MAX);
}

Test(windows, last_public_day_and_first_repair_day)
{
	xy_pub_window w = win("行政处罚", NULL, "2025-06-10", NULL);
	cr_expect_str_eq(w.severity, "一般", "absent severity: 一般");
	cr_expect_str_eq(w.last, "2026-06-10");
	cr_expect_str_eq(w.min_end, "2025-09-10");
	cr_expect_str_eq(w.repairable_from, "2025-09-11");
	cr_expect_eq(xy_pub_display(&w, NULL, "2026-06-10"), XY_DISP_PUBLIC, "last public day");
	cr_expect_eq(xy_pub_display(&w, NULL, "2026-06-11"), XY_DISP_EXPIRED, "first day off");
	cr_expect_eq(xy_pub_display(&w, NULL, "2025-06-10"), XY_DISP_PUBLIC, "decision day");
	cr_expect_eq(xy_pub_display(&w, NULL, "2025-06-09"), XY_DISP_NOT_YET);
	w = win("行政处罚", "较重", "2025-06-10", NULL);
	cr_expect_str_eq(w.severity, "一般", "unknown severity counts as the default");
}

Test(windows, leap_day_decisions)
{
	xy_pub_window w = win("行政处罚", "一般", "2024-02-29", NULL);
	cr_expect_str_eq(w.last, "2025-02-28");
	cr_expect_eq(xy_pub_display(&w, NULL, "2025-02-28"), XY_DISP_PUBLIC);
	cr_expect_eq(xy_pub_display(&w, NULL, "2025-03-01"), XY_DISP_EXPIRED);
	cr_expect_str_eq(w.repairable_from, "2024-05-30");
	w = win("行政处罚", "严重", "2024-02-29", NULL);
	cr_expect_str_eq(w.last, "2027-02-28");
	cr_expect_str_eq(w.min_end, "2025-02-28");
	cr_expect_str_eq(w.repairable_from, "2025-03-01");
}

Test(windows, effective_date_boundary)
{
	xy_pub_window a = win("行政处罚", "一般", "2023-04-30", NULL);
	xy_pub_window b = win("行政处罚", "一般", "2023-05-01", NULL);
	cr_expect_str_eq(a.last, "2024-04-30", "527号: 一般 at most 1 year");
	cr_expect_str_eq(b.last, "2024-05-01", "58号令: 1 year");
	cr_expect_eq(xy_pub_display(&a, NULL, "2024-05-01"), XY_DISP_EXPIRED);
	cr_expect_eq(xy_pub_display(&b, NULL, "2024-05-01"), XY_DISP_PUBLIC);
	/* 严重: the minimum goes from 6 months (527号) to 1 year */
	a = win("行政处罚", "严重", "2023-04-30", NULL);
	b = win("行政处罚", "严重", "2023-05-01", NULL);
	cr_expect_str_eq(a.repairable_from, "2023-10-31", "527号: 严重 at least 6 months");
	cr_expect_str_eq(b.repairable_from, "2024-05-02", "58号令: 严重 at least 1 year");
}

Test(windows, own_end_date_within_the_rule)
{
	cr_expect_str_eq(win("行政处罚", "一般", "2026-03-10", "2026-12-31").last, "2026-12-31");
	cr_expect_str_eq(win("行政处罚", "一般", "2026-03-10", "2026-04-01").last, "2026-06-10",
			 "not before the minimum");
	cr_expect_str_eq(win("行政处罚", "一般", "2026-03-10", "2030-01-01").last, "2027-03-10",
			 "not after the maximum");
	cr_expect_str_eq(win("行政许可", "", "2026-03-10", NULL).last, "", "no maximum");
	xy_pub_window w;
	cr_expect_eq(xy_pub_window_for(&pub, "行政处罚", "一般", "2026-03-10", "someday", &w, &err),
		     XY_ERR_INVALID);
}

Test(windows, display_precedence)
{
	xy_pub_window w = win("行政处罚", "一般", "2026-03-10", NULL);
	xy_obj_span open = { "2026-11-20", "", "" };
	xy_obj_span kept = { "2026-11-20", "2026-11-24", "维持" };
	xy_obj_span revoked = { "2026-11-20", "2026-11-24", "撤销" };
	xy_record_facts f = { NULL, &open, 1 };
	cr_expect_eq(xy_pub_display(&w, &f, "2026-11-19"), XY_DISP_PUBLIC);
	cr_expect_eq(xy_pub_display(&w, &f, "2026-11-20"), XY_DISP_OBJECTION);
	cr_expect_eq(xy_pub_display(&w, &f, "2027-06-01"), XY_DISP_OBJECTION,
		     "frozen while open, even past the window");
	f.objections = &kept;
	cr_expect_eq(xy_pub_display(&w, &f, "2026-11-23"), XY_DISP_OBJECTION);
	cr_expect_eq(xy_pub_display(&w, &f, "2026-11-24"), XY_DISP_PUBLIC);
	f.objections = &revoked;
	cr_expect_eq(xy_pub_display(&w, &f, "2026-11-24"), XY_DISP_REVOKED);
	cr_expect(!xy_display_shown(XY_DISP_REVOKED));
	f = (xy_record_facts){ "2026-11-05", NULL, 0 };
	cr_expect_eq(xy_pub_display(&w, &f, "2026-11-04"), XY_DISP_PUBLIC);
	cr_expect_eq(xy_pub_display(&w, &f, "2026-11-05"), XY_DISP_REPAIRED);
	cr_expect_str_eq(xy_display_name(XY_DISP_REPAIRED), "已修复");
}

/* A configuration directory with one file; the others come from data/. */
static char confdir[64];

static void write_conf(const char *name, const char *text)
{
	char path[128];
	FILE *f;
	snprintf(confdir, sizeof confdir, "/tmp/xy_repair_conf_%d", (int)getpid());
	mkdir(confdir, 0700);
	snprintf(path, sizeof path, "%s/%s", confdir, name);
	f = fopen(path, "w");
	cr_assert_not_null(f);
	fputs(text, f);
	fclose(f);
}

static void rm_conf(const char *name)
{
	char path[128];
	snprintf(path, sizeof path, "%s/%s", confdir, name);
	unlink(path);
	rmdir(confdir);
}

Test(windows, minor_penalties_not_published)
{
	xy_publication p;
	xy_pub_window w;
	xy_publication_init(&p);
	write_conf("publication.tsv", "category\tseverity\tmin\tmax\tfrom\tbasis\n"
				      "行政处罚\t轻微\t0\t0\t2023-05-01\t不予公示\n"
				      "行政处罚\t\t3m\t1y\t2023-05-01\t其他\n");
	cr_assert_eq(xy_publication_load_dir(&p, confdir, &err), XY_OK, "%s", err.msg);
	rm_conf("publication.tsv");
	cr_assert_eq(xy_pub_window_for(&p, "行政处罚", "轻微", "2026-03-10", NULL, &w, &err), XY_OK);
	cr_expect(!w.published);
	cr_expect_eq(xy_pub_display(&w, NULL, "2026-03-10"), XY_DISP_MINOR);
	cr_assert_eq(xy_pub_window_for(&p, "行政处罚", "严重", "2026-03-10", NULL, &w, &err), XY_OK);
	cr_expect_str_eq(w.last, "2027-03-10", "falls back to the every-severity rule");
	cr_expect_eq(p.ndays, pub.ndays, "holidays from the default configuration");
	xy_publication_release(&p);
}

static void bad_conf(const char *name, const char *text, const char *field)
{
	xy_publication p;
	xy_publication_init(&p);
	write_conf(name, text);
	cr_expect_eq(xy_publication_load_dir(&p, confdir, &err), XY_ERR_CONFIG, "%s", name);
	cr_expect_str_eq(err.field, field);
	cr_expect_eq(err.row, 2);
	rm_conf(name);
	cr_expect_eq(p.nrules, 0, "nothing kept");
	xy_publication_release(&p);
}

Test(windows, bad_configuration)
{
	const char *h = "category\tseverity\tmin\tmax\tfrom\tbasis\n";
	char t[256];
	snprintf(t, sizeof t, "%s行政处罚\t一般\t1y\t3m\t2023-05-01\tx\n", h);
	bad_conf("publication.tsv", t, "max");
	snprintf(t, sizeof t, "%s行政处罚\t较重\t3m\t1y\t2023-05-01\tx\n", h);
	bad_conf("publication.tsv", t, "severity");
	snprintf(t, sizeof t, "%s行政处罚\t一般\t3 months\t1y\t2023-05-01\tx\n", h);
	bad_conf("publication.tsv", t, "min");
	snprintf(t, sizeof t, "%s行政处罚\t一般\t3m\t1y\t2023-02-30\tx\n", h);
	bad_conf("publication.tsv", t, "from");
	bad_conf("holidays.tsv", "date\tkind\tname\n2026-10-01\t假\t国庆节\n", "kind");
	bad_conf("holidays.tsv", "date\tkind\tname\n2026-10-32\t休\t国庆节\n", "date");
	bad_conf("deadlines.tsv", "step\tworking_days\tbasis\n修复受理\t0\tx\n", "working_days");
}

/* ---- repair, objections, interviews on the store ---- */

static xy_repairs rp;

#define CO "91210802MA0XYQA01T"
#define CO2 "91210802MA0XYQB02K"

static void db_setup(void)
{
	fx_open();
	OK(xy_repairs_open(&rp, &cr, NULL, &err));
}

static void db_teardown(void)
{
	xy_repairs_release(&rp);
	fx_close();
}

TestSuite(repair, .init = db_setup, .fini = db_teardown);

struct find {
	const char *key;
	int64_t id;
};

static int on_find(void *ctx, const xy_record_view *r)
{
	struct find *f = ctx;
	if (!strcmp(r->key, f->key))
		f->id = r->id;
	return 0;
}

/* A 行政处罚 record of 市场监管局 about code, decided on `decided`. */
static int64_t penalty(const char *code, const char *key, const char *decided, const char *sev)
{
	const xy_unit *u = xy_registry_unit(&reg, "市场监管局");
	const xy_category *cat = xy_registry_category(&reg, "行政处罚");
	xy_subject s;
	xy_batch b;
	xy_record_in r;
	xy_upsert_result res;
	char data[2048];
	memset(&s, 0, sizeof s);
	{
		char nm[64];
		snprintf(nm, sizeof nm, "营口某公司%s", code + 14);
		cr_assert_eq(xy_subject_set(&s, code, "uscc", nm), XY_OK);
	}
	cr_assert_eq(xy_store_begin(st, false, &err), XY_OK);
	cr_assert_eq(xy_store_subject_upsert(st, &s, &err), XY_OK, "%s", err.msg);
	memset(&b, 0, sizeof b);
	b.unit_id = u->id;
	b.category_id = cat->id;
	b.file = "test";
	snprintf(b.reported_on, sizeof b.reported_on, "%s", decided);
	cr_assert_eq(xy_store_batch_insert(st, &b, &err), XY_OK, "%s", err.msg);
	snprintf(data, sizeof data,
		 "{\"CF_XDR_MC\":\"%s\",\"CF_XDR_SHXYM\":\"%s\",\"CF_WSH\":\"%s\",\"CF_NR\":\"罚款1万元\","
		 "\"CF_JDRQ\":\"%s\"%s%s%s}",
		 s.name, code, key, decided, sev ? ",\"CF_SXYZCD\":\"" : "", sev ? sev : "",
		 sev ? "\"" : "");
	r = (xy_record_in){ u->id, cat->id, b.id, s.id, key, data, strlen(data), decided };
	cr_assert_eq(xy_store_record_upsert(st, &r, &res, &err), XY_OK, "%s", err.msg);
	cr_assert_eq(xy_store_commit(st, &err), XY_OK);
	struct find f = { key, 0 };
	cr_assert_eq(xy_store_subject_records(st, s.id, on_find, &f, &err), XY_OK);
	cr_assert_gt(f.id, 0);
	xy_subject_release(&s);
	return f.id;
}

/* Everything a refused action could have touched, as one string. */
static void snapshot(char *out, size_t n)
{
	xy_buf a = XY_BUF_INIT, o = XY_BUF_INIT;
	long recs = 0;
	xy_batch *bv = NULL;
	size_t nb = 0;
	cr_assert_eq(xy_cases_json(&rp, "repair", false, NULL, &a, &err), XY_OK, "%s", err.msg);
	cr_assert_eq(xy_cases_json(&rp, "objection", false, NULL, &o, &err), XY_OK, "%s", err.msg);
	cr_assert_eq(xy_store_record_count(st, 0, &recs, &err), XY_OK);
	cr_assert_eq(xy_store_batches(st, 0, &bv, &nb, &err), XY_OK);
	xy_batches_free(bv, nb);
	snprintf(out, n, "%ld %zu %s %s", recs, nb, a.data, o.data);
	xy_buf_release(&a);
	xy_buf_release(&o);
}

static json_t *case_of(int64_t id)
{
	xy_buf b = XY_BUF_INIT;
	json_error_t jerr;
	json_t *j;
	cr_assert_eq(xy_case_json(&rp, id, NULL, &b, &err), XY_OK, "%s", err.msg);
	j = json_loads(b.data, 0, &jerr);
	xy_buf_release(&b);
	cr_assert_not_null(j);
	return j;
}

static xy_display display(int64_t rec, const char *d)
{
	xy_record_row row;
	xy_buf data = XY_BUF_INIT;
	xy_display disp;
	cr_assert_eq(xy_store_record_get(st, rec, &row, &data, &err), XY_OK);
	FX_KEEP(row);
	cr_assert_eq(xy_record_display(&rp, rec, row.category, data.data, row.decided_on, d, &disp,
				       NULL, &err),
		     XY_OK, "%s", err.msg);
	xy_buf_release(&data);
	return disp;
}

static const char *const ev[] = { "罚款缴纳凭证", "整改报告" };

static xy_repair_in app(int64_t rec, const char *date)
{
	return (xy_repair_in){ CO, rec, "已缴纳罚款并完成整改", ev, 2, "本企业承诺依法经营", NULL, 0,
			       date };
}

Test(repair, the_whole_story)
{
	int64_t rec = penalty(CO, "营市监罚〔2026〕1号", "2026-03-10", "一般"), id, entry;
	xy_list_add la = { "重点关注名单", CO, NULL, "发改委", "营市监罚〔2026〕1号", "2026-03-10",
			   NULL, NULL, NULL, 0 };
	xy_entry_row e;
	xy_repair_out out;
	xy_repair_in in = app(rec, "2026-11-02");
	long notices;
	json_t *j;

	cr_assert_eq(xy_credit_list_add(&cr, &la, &e, &notices, NULL, &err), XY_OK, "%s", err.msg);
	FX_KEEP(e);
	entry = e.id;
	in.entry = entry; /* a penalty is linked to no entry: named (--entry) */
	cr_expect_eq(display(rec, "2026-11-02"), XY_DISP_PUBLIC);
	cr_assert_eq(xy_repair_apply(&rp, &in, &id, &err), XY_OK, "%s", err.msg);
	j = case_of(id);
	cr_expect_str_eq(json_string_value(json_object_get(j, "step")), "申请");
	cr_expect_str_eq(json_string_value(json_object_get(j, "due")), "2026-11-04",
			 "2 working days");
	cr_expect_eq(json_array_size(json_object_get(j, "evidence")), 2);
	json_decref(j);
	cr_assert_eq(xy_repair_accept(&rp, id, NULL, "2026-11-03", NULL, &err), XY_OK, "%s",
		     err.msg);
	cr_assert_eq(xy_repair_review(&rp, id, "市场监管局", "2026-11-04", "材料齐全", &err), XY_OK,
		     "%s", err.msg);
	cr_assert_eq(xy_repair_decide(&rp, id, "市场监管局", true, "2026-11-05", "准予修复", &out,
				      &err),
		     XY_OK, "%s", err.msg);
	cr_expect_eq(out.exited, 1, "the named entry");
	cr_expect_eq(out.counted, 1);
	cr_expect_eq(display(rec, "2026-11-04"), XY_DISP_PUBLIC, "as of the day before");
	cr_expect_eq(display(rec, "2026-11-05"), XY_DISP_REPAIRED);
	cr_assert_eq(xy_store_entry_get(st, entry, &e, &err), XY_OK);
	FX_KEEP(e);
	cr_expect_str_eq(e.exit_how, "修复");
	cr_expect_str_eq(e.exit_date, "2026-11-05");
	j = case_of(id);
	cr_expect_eq(json_array_size(json_object_get(j, "history")), 4, "申请 受理 审核 通过");
	cr_expect(json_is_null(json_object_get(j, "due")));
	cr_expect_str_eq(json_string_value(json_object_get(j, "record_display")), "已修复");
	json_decref(j);
	/* the record stays, and repair of it again is refused */
	xy_record_row row;
	cr_expect_eq(xy_store_record_get(st, rec, &row, NULL, &err), XY_OK);
	FX_KEEP(row);
	in.date = "2026-11-20";
	cr_expect_eq(xy_repair_apply(&rp, &in, &id, &err), XY_ERR_INVALID);
	cr_expect(strstr(err.msg, "已修复") != NULL, "%s", err.msg);
}

Test(repair, not_before_the_minimum_period)
{
	int64_t rec = penalty(CO, "营市监罚〔2026〕2号", "2026-08-31", "一般"), id;
	xy_repair_in in = app(rec, "2026-11-02");
	xy_repair_out out;
	char before[8192], after[8192];
	cr_assert_eq(xy_repair_apply(&rp, &in, &id, &err), XY_OK, "%s", err.msg);
	cr_assert_eq(xy_repair_accept(&rp, id, NULL, "2026-11-02", NULL, &err), XY_OK);
	cr_assert_eq(xy_repair_review(&rp, id, "市场监管局", "2026-11-03", NULL, &err), XY_OK);
	snapshot(before, sizeof before);
	/* 3 months from 2026-08-31 end 2026-11-30: approval from 2026-12-01 */
	cr_expect_eq(xy_repair_decide(&rp, id, "市场监管局", true, "2026-11-30", NULL, &out, &err),
		     XY_ERR_INVALID);
	cr_expect(strstr(err.msg, "2026-12-01") != NULL, "%s", err.msg);
	snapshot(after, sizeof after);
	cr_expect_str_eq(after, before, "nothing changed");
	cr_expect_eq(xy_repair_decide(&rp, id, "市场监管局", true, "2026-12-01", NULL, &out, &err),
		     XY_OK, "%s", err.msg);
}

Test(repair, bad_input_changes_nothing)
{
	int64_t rec = penalty(CO, "营市监罚〔2026〕3号", "2026-03-10", NULL);
	int64_t old = penalty(CO, "营市监罚〔2025〕9号", "2025-06-10", NULL);
	int64_t other = penalty(CO2, "营市监罚〔2026〕4号", "2026-03-10", NULL);
	char before[8192], after[8192];
	xy_repair_in in = app(rec, "2026-11-02");
	xy_repair_out out;
	int64_t id;
	(void)other;
	snapshot(before, sizeof before);
	in.record = 999;
	cr_expect_eq(xy_repair_apply(&rp, &in, &id, &err), XY_ERR_NOTFOUND);
	cr_expect(strstr(err.msg, "no record 999") != NULL, "%s", err.msg);
	in.record = old;
	cr_expect_eq(xy_repair_apply(&rp, &in, &id, &err), XY_ERR_INVALID, "expired");
	cr_expect(strstr(err.msg, "公示期满") != NULL, "%s", err.msg);
	in.record = rec;
	in.subject = CO2;
	cr_expect_eq(xy_repair_apply(&rp, &in, &id, &err), XY_ERR_INVALID, "another subject");
	in.subject = "91210802MA0XYQC03X";
	cr_expect_eq(xy_repair_apply(&rp, &in, &id, &err), XY_ERR_NOTFOUND, "unknown subject");
	in.subject = CO;
	in.nevidence = 0;
	cr_expect_eq(xy_repair_apply(&rp, &in, &id, &err), XY_ERR_ARG, "no evidence");
	in.nevidence = 2;
	in.commitment = NULL;
	cr_expect_eq(xy_repair_apply(&rp, &in, &id, &err), XY_ERR_ARG, "no commitment");
	in.commitment = "承诺";
	in.date = "2026-02-30";
	cr_expect_eq(xy_repair_apply(&rp, &in, &id, &err), XY_ERR_INVALID, "bad date");
	in.date = "2026-03-09";
	cr_expect_eq(xy_repair_apply(&rp, &in, &id, &err), XY_ERR_INVALID, "before the decision");
	in.entry = 77;
	in.date = "2026-11-02";
	cr_expect_eq(xy_repair_apply(&rp, &in, &id, &err), XY_ERR_NOTFOUND, "unknown entry");
	in.entry = 0;
	snapshot(after, sizeof after);
	cr_expect_str_eq(after, before, "refused applications change nothing");

	cr_assert_eq(xy_repair_apply(&rp, &in, &id, &err), XY_OK, "%s", err.msg);
	snapshot(before, sizeof before);
	{
		int64_t id2 = -1;
		cr_expect_eq(xy_repair_apply(&rp, &in, &id2, &err), XY_ERR_CONFLICT,
			     "second application");
		cr_expect_eq(id2, 0);
	}
	cr_expect_eq(xy_repair_review(&rp, id, "市场监管局", NULL, NULL, &err), XY_ERR_INVALID,
		     "review before 受理");
	cr_expect(strstr(err.msg, "at step 申请") != NULL, "%s", err.msg);
	cr_expect_eq(xy_repair_decide(&rp, id, "市场监管局", true, NULL, NULL, &out, &err),
		     XY_ERR_INVALID, "decision before 审核");
	cr_expect_eq(xy_repair_accept(&rp, id, NULL, "2026-11-01", NULL, &err), XY_ERR_INVALID,
		     "受理 before the application");
	cr_expect_eq(xy_repair_accept(&rp, id + 100, NULL, NULL, NULL, &err), XY_ERR_NOTFOUND);
	snapshot(after, sizeof after);
	cr_expect_str_eq(after, before, "out-of-order steps change nothing");

	cr_assert_eq(xy_repair_accept(&rp, id, "信用办", "2026-11-03", NULL, &err), XY_OK);
	snapshot(before, sizeof before);
	cr_expect_eq(xy_repair_review(&rp, id, "财政局", "2026-11-04", NULL, &err), XY_ERR_INVALID,
		     "not the reporting unit");
	cr_expect(strstr(err.msg, "市场监管局") != NULL, "%s", err.msg);
	cr_expect_eq(xy_repair_review(&rp, id, "不存在局", "2026-11-04", NULL, &err),
		     XY_ERR_NOTFOUND);
	snapshot(after, sizeof after);
	cr_expect_str_eq(after, before, "a wrong unit changes nothing");
	cr_assert_eq(xy_repair_review(&rp, id, "市场监管局", "2026-11-04", NULL, &err), XY_OK);
	cr_expect_eq(xy_repair_decide(&rp, id, "财政局", true, "2026-11-05", NULL, &out, &err),
		     XY_ERR_INVALID);
	cr_assert_eq(xy_repair_decide(&rp, id, "市场监管局", false, "2026-11-05", "材料不足", &out,
				      &err),
		     XY_OK);
	cr_expect_eq(out.counted, 0, "a refusal counts nothing");
	cr_expect_eq(display(rec, "2026-11-26"), XY_DISP_PUBLIC, "still public");
	cr_expect_eq(xy_repair_decide(&rp, id, "市场监管局", true, "2026-11-06", NULL, &out, &err),
		     XY_ERR_INVALID, "decided already");
}

Test(repair, overdue_from_the_calendar)
{
	int64_t rec = penalty(CO, "营市监罚〔2026〕6号", "2026-03-10", NULL), id;
	xy_repair_in in = app(rec, "2026-09-30");
	xy_buf b = XY_BUF_INIT;
	json_error_t jerr;
	json_t *a;
	cr_assert_eq(xy_repair_apply(&rp, &in, &id, &err), XY_OK, "%s", err.msg);
	/* 2 working days after 09-30 across 国庆: 10-08, 10-09 */
	cr_assert_eq(xy_cases_json(&rp, "repair", true, "2026-10-09", &b, &err), XY_OK);
	cr_expect_str_eq(b.data, "[]", "due on 10-09: not yet overdue");
	xy_buf_reset(&b);
	cr_assert_eq(xy_cases_json(&rp, "repair", true, "2026-10-10", &b, &err), XY_OK);
	a = json_loads(b.data, 0, &jerr);
	cr_assert_eq(json_array_size(a), 1);
	cr_expect_str_eq(json_string_value(json_object_get(json_array_get(a, 0), "due")),
			 "2026-10-09");
	json_decref(a);
	xy_buf_release(&b);
}

Test(repair, objections)
{
	int64_t rec = penalty(CO, "营市监罚〔2026〕7号", "2026-09-01", "严重"), id, id2, rid;
	xy_objection_in in = { rec, CO, NULL, "罚款金额有误", "2026-11-20" };
	const char *bad[] = { "CF_WSH=营市监罚〔2026〕8号" };
	const char *unknown[] = { "CF_NOPE=1" };
	const char *baddate[] = { "处罚决定日期=2026-02-30" };
	const char *fix[] = { "处罚内容=罚款5千元" };
	char before[8192], after[8192];
	xy_repair_in ra = app(rec, "2026-11-21");
	json_t *j;

	cr_assert_eq(xy_objection_add(&rp, &in, &id, &err), XY_OK, "%s", err.msg);
	cr_expect_eq(display(rec, "2026-11-20"), XY_DISP_OBJECTION);
	cr_expect_eq(display(rec, "2026-11-19"), XY_DISP_PUBLIC);
	j = case_of(id);
	cr_expect_str_eq(json_string_value(json_object_get(j, "due")), "2026-11-27",
			 "5 working days");
	cr_expect_str_eq(json_string_value(json_object_get(j, "unit")), "市场监管局", "routed");
	json_decref(j);
	snapshot(before, sizeof before);
	cr_expect_eq(xy_objection_add(&rp, &in, &id2, &err), XY_ERR_CONFLICT);
	cr_expect_eq(xy_repair_apply(&rp, &ra, &rid, &err), XY_ERR_INVALID, "frozen");
	cr_expect(strstr(err.msg, "异议处理中") != NULL, "%s", err.msg);
	cr_expect_eq(xy_objection_decide(&rp, id, "市场监管局", "更正", bad, 1, NULL, "2026-11-24",
					 &err),
		     XY_ERR_INVALID, "the key cannot be corrected");
	cr_expect_eq(xy_objection_decide(&rp, id, "市场监管局", "更正", unknown, 1, NULL,
					 "2026-11-24", &err),
		     XY_ERR_INVALID);
	cr_expect_eq(xy_objection_decide(&rp, id, "市场监管局", "更正", baddate, 1, NULL,
					 "2026-11-24", &err),
		     XY_ERR_INVALID);
	cr_expect_eq(xy_objection_decide(&rp, id, "市场监管局", "更正", NULL, 0, NULL, "2026-11-24",
					 &err),
		     XY_ERR_ARG, "更正 without a correction");
	cr_expect_eq(xy_objection_decide(&rp, id, "市场监管局", "驳回", NULL, 0, NULL, "2026-11-24",
					 &err),
		     XY_ERR_INVALID);
	cr_expect_eq(xy_objection_decide(&rp, id, "财政局", "维持", NULL, 0, NULL, "2026-11-24",
					 &err),
		     XY_ERR_INVALID, "wrong unit");
	cr_expect_eq(xy_objection_decide(&rp, id, "市场监管局", "维持", fix, 1, NULL, "2026-11-24",
					 &err),
		     XY_ERR_ARG, "--set only with 更正");
	snapshot(after, sizeof after);
	cr_expect_str_eq(after, before, "refused decisions change nothing");

	cr_assert_eq(xy_objection_decide(&rp, id, "市场监管局", "更正", fix, 1, "核实更正",
					 "2026-11-24", &err),
		     XY_OK, "%s", err.msg);
	cr_expect_eq(display(rec, "2026-11-24"), XY_DISP_PUBLIC);
	{
		xy_record_row row;
		xy_buf data = XY_BUF_INIT;
		cr_assert_eq(xy_store_record_get(st, rec, &row, &data, &err), XY_OK);
		FX_KEEP(row);
		cr_expect(strstr(data.data, "罚款5千元") != NULL, "%s", data.data);
		xy_buf_release(&data);
	}
	/* a second objection, 撤销: the record leaves display */
	in.date = "2026-11-25";
	cr_assert_eq(xy_objection_add(&rp, &in, &id2, &err), XY_OK, "%s", err.msg);
	cr_assert_eq(xy_objection_decide(&rp, id2, "市场监管局", "撤销", NULL, 0, NULL,
					 "2026-11-26", &err),
		     XY_OK, "%s", err.msg);
	cr_expect_eq(display(rec, "2026-11-26"), XY_DISP_REVOKED);
	cr_expect_eq(display(rec, "2026-11-25"), XY_DISP_OBJECTION);
	in.date = "2026-11-26";
	cr_expect_eq(xy_objection_add(&rp, &in, &id2, &err), XY_ERR_INVALID, "not public");
}

Test(repair, interviews)
{
	const char *persons[] = { "张某:法定代表人", "李某:财务负责人" };
	xy_interview_in in = { CO, "站前区", "2026-11-12", persons, 2, "拖欠工资约谈", NULL };
	xy_batch *bv = NULL;
	size_t nb = 0;
	long added = 0;
	int64_t id;
	char before[8192], after[8192];
	penalty(CO, "营市监罚〔2026〕9号", "2026-03-10", NULL);
	snapshot(before, sizeof before);
	in.unit = "不存在局";
	cr_expect_eq(xy_interview_add(&rp, &in, &id, &err), XY_ERR_NOTFOUND);
	in.unit = "站前区";
	in.npersons = 0;
	cr_expect_eq(xy_interview_add(&rp, &in, &id, &err), XY_ERR_ARG);
	in.npersons = 2;
	in.subject = "91210802MA0XYQC03X";
	cr_expect_eq(xy_interview_add(&rp, &in, &id, &err), XY_ERR_NOTFOUND);
	in.subject = CO;
	in.topic = "";
	cr_expect_eq(xy_interview_add(&rp, &in, &id, &err), XY_ERR_ARG);
	in.topic = "拖欠工资约谈";
	snapshot(after, sizeof after);
	cr_expect_str_eq(after, before);
	cr_assert_eq(xy_interview_add(&rp, &in, &id, &err), XY_OK, "%s", err.msg);
	cr_assert_eq(xy_store_batches(st, 2, &bv, &nb, &err), XY_OK);
	cr_assert_eq(nb, 2);
	for (size_t i = 0; i < nb; i++) {
		cr_expect_str_eq(bv[i].unit, "站前区");
		cr_expect_str_eq(bv[i].reported_on, "2026-11-12");
		if (!strcmp(bv[i].category, "约谈失信企业代表数量"))
			cr_expect_eq(bv[i].added, 2, "one per person");
		else
			cr_expect_str_eq(bv[i].category, "信用修复、约谈企业");
		added += bv[i].added;
	}
	cr_expect_eq(added, 3);
	xy_batches_free(bv, nb);
}
