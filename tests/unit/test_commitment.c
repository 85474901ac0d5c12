/* Unit tests of credit commitments and government dishonesty
 * (lib/credit/commitment.c, lib/credit/gov_dishonesty.c) and of the computed
 * 政府失信未治理 column of the statistics (lib/report/stats.c). */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "xinyong/commitment.h"
#include "xinyong/gov_dishonesty.h"
#include "xinyong/lists.h"
#include "xinyong/stats.h"
#include "xinyong/tsv.h"
#include "fixture.h"

static xy_commitments cm;

#define CO "91210802MA0XYQA01T"
#define P "21080219850612103X"
#define G1 "11210802MB0000001U"
#define G2 "11210882MB0000002T"

static void setup(void)
{
	fx_open();
	OK(xy_commitments_open(&cm, &cr, NULL, &err));
}

static void teardown(void)
{
	xy_commitments_release(&cm);
	fx_close();
}

TestSuite(commitment, .init = setup, .fini = teardown);
TestSuite(gov_dishonesty, .init = setup, .fini = teardown);

static int count_cn(void *ctx, const xy_commitment_row *c)
{
	(void)c;
	(*(long *)ctx)++;
	return 0;
}

static int count_entries(void *ctx, const xy_entry_row *e)
{
	(void)e;
	(*(long *)ctx)++;
	return 0;
}

static int count_gd(void *ctx, const xy_gov_dishonesty_row *g)
{
	(void)g;
	(*(long *)ctx)++;
	return 0;
}

/* Counts of the tables a refused call must leave alone: records, batches,
 * commitments, list entries, government-dishonesty entries. */
static void counts(long out[5])
{
	xy_batch *v = NULL;
	size_t n = 0;
	memset(out, 0, 5 * sizeof *out);
	OK(xy_store_record_count(st, 0, &out[0], &err));
	OK(xy_store_batches(st, 0, &v, &n, &err));
	xy_batches_free(v, n);
	out[1] = (long)n;
	OK(xy_store_commitments(st, 0, 0, count_cn, &out[2], &err));
	OK(xy_store_entries(st, NULL, count_entries, &out[3], &err));
	OK(xy_store_gov_dishonesties(st, 0, count_gd, &out[4], &err));
}

static xy_commitment_row add(const char *type, const char *date, const char *deadline)
{
	xy_commitment_in in = { CO, "营口某建筑工程有限公司", "站前区", type, NULL, "施工许可",
				date, "承诺补齐材料", deadline };
	xy_commitment_row r;
	long added = -1;
	OK(xy_commitment_add(&cm, &in, &r, &added, &err));
	cr_assert_eq(added, 1);
	FX_KEEP(r);
	return r;
}

static xy_commitment_status status(const xy_commitment_row *r, const char *date)
{
	xy_commitment_status s;
	OK(xy_commitment_status_on(&cm, r, date, &s, &err));
	return s;
}

Test(commitment, types_are_data_and_match_the_import_enumeration)
{
	const xy_category *cat = xy_registry_category(&reg, XY_COMMITMENT_CATEGORY);
	const xy_field *cnlx = NULL;
	cr_assert_not_null(cat);
	for (size_t i = 0; i < cat->nfields; i++)
		if (!strcmp(cat->fields[i].code, "CNLX"))
			cnlx = &cat->fields[i];
	cr_assert_not_null(cnlx, "信用承诺书 has a CNLX field");
	cr_assert_eq(cm.ntypes, cnlx->nenum, "every 承诺类型 is a commitment type");
	for (size_t i = 0; i < cnlx->nenum; i++)
		cr_assert_not_null(xy_commitment_type_find(&cm, cnlx->enum_values[i]), "%s",
				   cnlx->enum_values[i]);
	cr_assert_str_eq(xy_commitment_type_find(&cm, "审批替代型")->list_type, "地方发布黑名单");
	cr_assert_str_eq(xy_commitment_type_find(&cm, "主动型")->list_type, "");
}

Test(commitment, bad_types_file_is_a_config_error)
{
	char dir[] = "/tmp/xy_cn_cfg_XXXXXX", path[300];
	FILE *f;
	xy_commitments bad;
	cr_assert_not_null(mkdtemp(dir));
	snprintf(path, sizeof path, "%s/commitment-types.tsv", dir);
	f = fopen(path, "w");
	fputs("name\tbreach_category\tlist_type\tdescription\n主动型\t不存在的类别\t\tx\n", f);
	fclose(f);
	cr_assert_eq(xy_commitments_open(&bad, &cr, dir, &err), XY_ERR_CONFIG);
	cr_assert(strstr(err.msg, "不存在的类别"), "%s", err.msg);
	cr_assert_eq(err.row, 2);
	f = fopen(path, "w");
	fputs("name\tbreach_category\tlist_type\tdescription\n主动型\t信用信息\t无名单\tx\n", f);
	fclose(f);
	cr_assert_eq(xy_commitments_open(&bad, &cr, dir, &err), XY_ERR_CONFIG);
	cr_assert(strstr(err.msg, "无名单"), "%s", err.msg);
	unlink(path);
	rmdir(dir);
}

Test(commitment, lifecycle_and_status_as_of_dates)
{
	xy_commitment_row r = add("审批替代型", "2026-03-05", "2026-09-30");
	xy_commitment_verify_in kept = { r.id, "履约", "2026-06-01", "李某", NULL, NULL, false,
					 NULL, NULL };
	xy_commitment_verify_in broke = { r.id, "未履约", "2026-10-08", "王某", "逾期", NULL,
					  false, NULL, NULL };
	xy_commitment_verify_out out;
	xy_entry_row e;
	cr_assert_str_eq(r.no, "CN1");
	cr_assert_eq(status(&r, "2026-03-04"), XY_CN_UNSIGNED);
	cr_assert_eq(status(&r, "2026-03-05"), XY_CN_PENDING);
	cr_assert_eq(status(&r, "2026-09-30"), XY_CN_PENDING, "the deadline day itself");
	cr_assert_eq(status(&r, "2026-10-01"), XY_CN_OVERDUE);
	OK(xy_commitment_verify(&cm, &kept, &out, &err));
	fx_keep(out.record_key);
	cr_assert(!out.breach);
	cr_assert_eq(status(&r, "2026-05-31"), XY_CN_PENDING);
	cr_assert_eq(status(&r, "2026-10-01"), XY_CN_KEPT);
	OK(xy_commitment_verify(&cm, &broke, &out, &err));
	fx_keep(out.record_key);
	cr_assert(out.breach);
	cr_assert_str_eq(out.category, "信用信息");
	cr_assert_str_eq(out.record_key, "CN1-未履约");
	cr_assert_eq(out.added, 1);
	cr_assert_gt(out.entry_id, 0);
	cr_assert_eq(status(&r, "2026-10-07"), XY_CN_KEPT);
	cr_assert_eq(status(&r, "2026-10-08"), XY_CN_BREACHED);
	OK(xy_store_entry_get(st, out.entry_id, &e, &err));
	FX_KEEP(e);
	cr_assert_str_eq(e.list_type, "地方发布黑名单");
	cr_assert_str_eq(e.unit, "站前区");
	cr_assert_str_eq(e.from, "2026-10-08");
	cr_assert_str_eq(e.subject_code, CO);
	cr_assert_str_eq(xy_commitment_status_name(XY_CN_BREACHED), "breached");
	cr_assert_str_eq(xy_commitment_status_name_zh(XY_CN_OVERDUE), "逾期未核查");
}

Test(commitment, add_counts_in_the_signing_month)
{
	xy_commitment_row r = add("主动型", "2026-04-30", NULL);
	xy_batch *v = NULL;
	size_t n = 0;
	OK(xy_store_batches(st, 0, &v, &n, &err));
	cr_assert_eq(n, 1);
	cr_assert_str_eq(v[0].category, XY_COMMITMENT_CATEGORY);
	cr_assert_str_eq(v[0].unit, "站前区");
	cr_assert_str_eq(v[0].reported_on, "2026-04-30");
	cr_assert_eq(v[0].added, 1);
	xy_batches_free(v, n);
	cr_assert_str_eq(r.deadline, "");
}

Test(commitment, refused_verifications_change_nothing)
{
	xy_commitment_row r = add("审批替代型", "2026-03-05", NULL);
	xy_commitment_verify_out out;
	long before[5], after[5];
	struct {
		xy_commitment_verify_in in;
		xy_code want;
		const char *msg;
	} cases[] = {
		{ { r.id, "也许", "2026-04-01", "某", NULL, NULL, false, NULL, NULL }, XY_ERR_INVALID,
		  "履约 or 未履约" },
		{ { r.id, "履约", "2026-03-01", "某", NULL, NULL, false, NULL, NULL }, XY_ERR_INVALID,
		  "before the signing" },
		{ { r.id, "履约", "2026-04-01", "", NULL, NULL, false, NULL, NULL }, XY_ERR_ARG,
		  "who checked" },
		{ { 999, "履约", "2026-04-01", "某", NULL, NULL, false, NULL, NULL }, XY_ERR_NOTFOUND,
		  "no commitment 999" },
		{ { r.id, "未履约", "2026-04-01", "某", NULL, "没有这个名单", false, NULL, NULL },
		  XY_ERR_NOTFOUND, "unknown list type" },
		/* the list add inside the transaction is refused: the record goes too */
		{ { r.id, "未履约", "2026-04-01", "某", NULL, "拖欠农民工工资失信联合惩戒对象名单", false,
		    NULL, NULL },
		  XY_ERR_INVALID, "designated by 人社局" },
		{ { r.id, "未履约", "2026-04-01", "某", NULL, NULL, false, NULL, "2026-03-01" },
		  XY_ERR_INVALID, "before start" },
	};
	counts(before);
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		xy_error_clear(&err);
		cr_assert_eq(xy_commitment_verify(&cm, &cases[i].in, &out, &err), cases[i].want,
			     "case %zu: %s", i, err.msg);
		cr_assert(strstr(err.msg, cases[i].msg), "case %zu: %s", i, err.msg);
		counts(after);
		cr_assert_arr_eq(before, after, sizeof before, "case %zu changed the store", i);
		cr_assert_eq(status(&r, "2026-11-26"), XY_CN_PENDING);
	}
}

Test(commitment, refused_adds_change_nothing)
{
	long before[5], after[5];
	xy_commitment_row r;
	long added;
	struct {
		xy_commitment_in in;
		xy_code want;
		const char *msg;
	} cases[] = {
		{ { CO, NULL, "站前区", "主动型", NULL, NULL, NULL, NULL, NULL }, XY_ERR_NOTFOUND,
		  "unknown subject" },
		{ { CO, "某公司", "无此单位", "主动型", NULL, NULL, NULL, NULL, NULL }, XY_ERR_NOTFOUND,
		  "unknown unit" },
		{ { CO, "某公司", "站前区", "无此类型", NULL, NULL, NULL, NULL, NULL }, XY_ERR_NOTFOUND,
		  "unknown commitment type" },
		{ { CO, "某公司", "站前区", "主动型", NULL, NULL, "2026-13-01", NULL, NULL },
		  XY_ERR_INVALID, "not a date" },
		{ { CO, "某公司", "站前区", "主动型", NULL, NULL, "2026-05-01", NULL, "2026-04-30" },
		  XY_ERR_INVALID, "before the signing date" },
		{ { "91210802MA0XYQA01X", "某公司", "站前区", "主动型", NULL, NULL, NULL, NULL, NULL },
		  XY_ERR_INVALID, "not a valid" },
	};
	counts(before);
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		xy_error_clear(&err);
		cr_assert_eq(xy_commitment_add(&cm, &cases[i].in, &r, &added, &err), cases[i].want,
			     "case %zu: %s", i, err.msg);
		FX_KEEP(r);
		cr_assert(strstr(err.msg, cases[i].msg), "case %zu: %s", i, err.msg);
		counts(after);
		cr_assert_arr_eq(before, after, sizeof before, "case %zu changed the store", i);
	}
	/* a taken number: the subject registered by the refused add is rolled back too */
	{
		xy_commitment_in a = { P, "张某", "西市区", "主动型", "N-1", NULL, NULL, NULL, NULL };
		xy_commitment_in b = { CO, "某公司", "西市区", "主动型", "N-1", NULL, NULL, NULL, NULL };
		OK(xy_commitment_add(&cm, &a, &r, &added, &err));
		FX_KEEP(r);
		counts(before);
		cr_assert_eq(xy_commitment_add(&cm, &b, &r, &added, &err), XY_ERR_CONFLICT);
		FX_KEEP(r);
		counts(after);
		cr_assert_arr_eq(before, after, sizeof before);
		cr_assert_eq(xy_credit_subject(&cr, CO, &(xy_subject){ 0 }, &err), XY_ERR_NOTFOUND);
	}
}

/* The list entry fails inside its own (nested) transaction, after the record
 * was written: everything is undone. */
Test(commitment, breach_with_a_taken_entry_changes_nothing)
{
	xy_commitment_row r = add("审批替代型", "2026-03-05", NULL);
	xy_list_add a = { "地方发布黑名单", CO, NULL, "站前区", "D1", "2026-03-10", NULL, NULL,
			  NULL, 0 };
	xy_commitment_verify_in in = { r.id, "未履约", "2026-04-01", "王某", NULL, NULL, false,
				       "D1", NULL };
	xy_commitment_verify_out out;
	xy_entry_row e;
	long n, before[5], after[5];
	OK(xy_credit_list_add(&cr, &a, &e, &n, NULL, &err));
	FX_KEEP(e);
	counts(before);
	cr_assert_eq(xy_commitment_verify(&cm, &in, &out, &err), XY_ERR_CONFLICT, "%s", err.msg);
	cr_assert(strstr(err.msg, "already exists"), "%s", err.msg);
	counts(after);
	cr_assert_arr_eq(before, after, sizeof before);
	cr_assert_eq(status(&r, "2026-11-26"), XY_CN_PENDING);
	cr_assert_eq(out.entry_id, 0);
	/* and the store is usable afterwards: the same breach with its own doc */
	in.doc = NULL;
	OK(xy_commitment_verify(&cm, &in, &out, &err));
	fx_keep(out.record_key);
	cr_assert_gt(out.entry_id, e.id);
}

Test(commitment, no_check_after_a_breach)
{
	xy_commitment_row r = add("主动型", "2026-03-05", NULL);
	xy_commitment_verify_in broke = { r.id, "breached", "2026-04-01", "王某", NULL, NULL, false,
					  NULL, NULL };
	xy_commitment_verify_in again = { r.id, "kept", "2026-05-01", "王某", NULL, NULL, false,
					  NULL, NULL };
	xy_commitment_verify_out out;
	OK(xy_commitment_verify(&cm, &broke, &out, &err));
	fx_keep(out.record_key);
	cr_assert_eq(out.entry_id, 0, "主动型 names no list");
	cr_assert_eq(xy_commitment_verify(&cm, &again, &out, &err), XY_ERR_CONFLICT);
	cr_assert(strstr(err.msg, "already found 未履约 on 2026-04-01"), "%s", err.msg);
}

/* ---- government dishonesty ---- */

static xy_gov_dishonesty_row gd_add(const char *body, const char *name, const char *district,
			     const char *source, const char *date)
{
	xy_gov_dishonesty_in in = { body, name, district, NULL, NULL, "拖欠企业账款", "10", source, date,
			     NULL };
	xy_gov_dishonesty_row g;
	OK(xy_gov_dishonesty_add(st, &reg, NULL, &in, &g, &err));
	FX_KEEP(g);
	return g;
}

static const char *gd_status(int64_t id, const char *date)
{
	static char out[16];
	OK(xy_gov_dishonesty_status_on(st, id, date, out, &err));
	return out;
}

struct opens {
	long long v[4];
};

static int open_cb(void *ctx, int64_t unit_id, long long n)
{
	struct opens *o = ctx;
	const xy_unit *u = xy_registry_unit_by_id(&reg, unit_id);
	o->v[!strcmp(u->name, "站前区") ? 0 : !strcmp(u->name, "大石桥市") ? 1 : 2] += n;
	return 0;
}

static struct opens opens_on(const char *date)
{
	struct opens o = { { 0, 0, 0, 0 } };
	OK(xy_gov_dishonesty_open_counts(st, date, open_cb, &o, &err));
	return o;
}

Test(gov_dishonesty, status_history_and_open_counts)
{
	xy_gov_dishonesty_row a = gd_add(G1, "营口市站前区某局", "站前区", "S1", "2026-01-10");
	xy_gov_dishonesty_row b = gd_add(G2, "营口市大石桥市某局", "大石桥市", "S2", "2026-02-01");
	cr_assert_str_eq(a.status, "未治理");
	cr_assert_str_eq(a.status_on, "2026-01-10");
	OK(xy_gov_dishonesty_update(st, a.id, "治理中", "2026-03-01", "协议", &err));
	OK(xy_gov_dishonesty_update(st, a.id, "已治理", "2026-05-20", "凭证", &err));
	OK(xy_gov_dishonesty_update(st, b.id, "governed", "2026-06-15", "凭证", &err));
	cr_assert_str_eq(gd_status(a.id, "2026-01-09"), "");
	cr_assert_str_eq(gd_status(a.id, "2026-01-10"), "未治理");
	cr_assert_str_eq(gd_status(a.id, "2026-04-30"), "治理中");
	cr_assert_str_eq(gd_status(a.id, "2026-05-20"), "已治理");
	XY_AUTO(xy_gov_dishonesty_row, now); /* a is the fixture's (FX_KEEP) */
	OK(xy_store_gov_dishonesty_get(st, a.id, &now, &err));
	cr_assert(xy_gov_dishonesty_open_on(&now, "2026-05-19"));
	cr_assert(!xy_gov_dishonesty_open_on(&now, "2026-05-20"), "governed on the day");
	cr_assert(!xy_gov_dishonesty_open_on(&now, "2026-01-09"), "not yet registered");
	cr_assert_eq(opens_on("2026-04-30").v[0], 1);
	cr_assert_eq(opens_on("2026-05-31").v[0], 0, "governed before the end of May");
	cr_assert_eq(opens_on("2026-05-31").v[1], 1, "governed after the end of May");
	cr_assert_eq(opens_on("2026-06-30").v[1], 0);
}

Test(gov_dishonesty, refused_changes_nothing)
{
	xy_gov_dishonesty_row g = gd_add(G1, "营口市站前区某局", "站前区", "S1", "2026-01-10"), out;
	long before[5], after[5];
	struct {
		xy_gov_dishonesty_in in;
		xy_code want;
		const char *msg;
	} adds[] = {
		{ { CO, "某公司", "站前区", NULL, NULL, "拖欠企业账款", NULL, "S9", NULL, NULL },
		  XY_ERR_INVALID, "not a government body" },
		{ { P, "张某", "站前区", NULL, NULL, "拖欠企业账款", NULL, "S9", NULL, NULL },
		  XY_ERR_INVALID, "not a government body" },
		{ { G2, NULL, "站前区", NULL, NULL, "拖欠企业账款", NULL, "S9", NULL, NULL },
		  XY_ERR_NOTFOUND, "unknown subject" },
		{ { G2, "某局", "财政局", NULL, NULL, "拖欠企业账款", NULL, "S9", NULL, NULL },
		  XY_ERR_INVALID, "not a county or park" },
		{ { G2, "某局", "无此区", NULL, NULL, "拖欠企业账款", NULL, "S9", NULL, NULL },
		  XY_ERR_NOTFOUND, "unknown unit" },
		{ { G2, "某局", "站前区", NULL, NULL, "无此类型", NULL, "S9", NULL, NULL },
		  XY_ERR_NOTFOUND, "unknown case type" },
		{ { G2, "某局", "站前区", NULL, NULL, "拖欠企业账款", "1.2.3", "S9", NULL, NULL },
		  XY_ERR_INVALID, "not an amount" },
		{ { G2, "某局", "站前区", NULL, NULL, "拖欠企业账款", NULL, "", NULL, NULL }, XY_ERR_ARG,
		  "no source" },
		{ { G2, "某局", "站前区", CO, NULL, "拖欠企业账款", NULL, "S9", NULL, NULL },
		  XY_ERR_NOTFOUND, "unknown subject" },
		{ { G1, NULL, "站前区", NULL, NULL, "拖欠企业账款", NULL, "S1", NULL, NULL },
		  XY_ERR_CONFLICT, "already has an entry" },
	};
	struct {
		int64_t id;
		const char *status, *date, *evidence;
		xy_code want;
		const char *msg;
	} ups[] = {
		{ 999, "治理中", NULL, NULL, XY_ERR_NOTFOUND, "no government-dishonesty entry 999" },
		{ g.id, "未治理", NULL, NULL, XY_ERR_INVALID, "only goes" },
		{ g.id, "治理中", "2026-01-09", NULL, XY_ERR_INVALID, "before the last step" },
		{ g.id, "已治理", "2026-02-01", NULL, XY_ERR_ARG, "evidence" },
		{ g.id, "好了", NULL, NULL, XY_ERR_INVALID, "治理中 or 已治理" },
		{ g.id, "治理中", "2026-02-30", NULL, XY_ERR_INVALID, "not a date" },
	};
	counts(before);
	for (size_t i = 0; i < sizeof adds / sizeof adds[0]; i++) {
		xy_error_clear(&err);
		cr_assert_eq(xy_gov_dishonesty_add(st, &reg, NULL, &adds[i].in, &out, &err), adds[i].want,
			     "add %zu: %s", i, err.msg);
		cr_assert(strstr(err.msg, adds[i].msg), "add %zu: %s", i, err.msg);
		counts(after);
		cr_assert_arr_eq(before, after, sizeof before, "add %zu changed the store", i);
	}
	for (size_t i = 0; i < sizeof ups / sizeof ups[0]; i++) {
		xy_error_clear(&err);
		cr_assert_eq(xy_gov_dishonesty_update(st, ups[i].id, ups[i].status, ups[i].date,
					       ups[i].evidence, &err),
			     ups[i].want, "update %zu: %s", i, err.msg);
		cr_assert(strstr(err.msg, ups[i].msg), "update %zu: %s", i, err.msg);
		cr_assert_str_eq(gd_status(g.id, "2026-11-26"), "未治理", "update %zu", i);
	}
	/* going back after 已治理 */
	OK(xy_gov_dishonesty_update(st, g.id, "已治理", "2026-03-01", "凭证", &err));
	cr_assert_eq(xy_gov_dishonesty_update(st, g.id, "治理中", "2026-04-01", NULL, &err), XY_ERR_INVALID);
	cr_assert_str_eq(gd_status(g.id, "2026-11-26"), "已治理");
}

/* The region table's 政府失信未治理: the stock at the end of the range. */
Test(gov_dishonesty, region_table_column_is_computed)
{
	xy_stats_opts o = { "2026-01", "2026-05", XY_STATS_REGION, NULL, NULL };
	xy_table *t = NULL;
	xy_gov_dishonesty_row a = gd_add(G1, "营口市站前区某局", "站前区", "S1", "2026-01-10");
	xy_gov_dishonesty_row b = gd_add(G2, "营口市大石桥市某局", "大石桥市", "S2", "2026-02-01");
	int zq = -1, dsq = -1, col = -1;
	OK(xy_gov_dishonesty_update(st, a.id, "已治理", "2026-05-20", "凭证", &err));
	OK(xy_gov_dishonesty_update(st, b.id, "已治理", "2026-06-15", "凭证", &err));
	OK(xy_stats_table(st, &reg, &o, &t, &err));
	for (size_t k = 0; k < t->nvalues; k++)
		if (!strcmp(t->value_names[k], "政府失信未治理"))
			col = (int)k;
	for (size_t i = 0; i < t->nrows; i++) {
		if (!strcmp(t->rows[i].labels[0], "站前区"))
			zq = (int)i;
		if (!strcmp(t->rows[i].labels[0], "大石桥市"))
			dsq = (int)i;
	}
	cr_assert(col >= 0 && zq >= 0 && dsq >= 0);
	cr_assert_eq(t->rows[zq].values[col], 0, "governed on 05-20, before the end");
	cr_assert_eq(t->rows[dsq].values[col], 1, "governed on 06-15, after the end");
	xy_table_free(t);

	/* cumulative month view: the stock at each month's end */
	o.category = "政府失信未治理";
	OK(xy_stats_months(st, &reg, &o, true, &t, &err));
	for (size_t i = 0; i < t->nrows; i++)
		if (!strcmp(t->rows[i].labels[0], "站前区")) {
			long long want[] = { 1, 1, 1, 1, 0 };
			for (size_t m = 0; m < 5; m++)
				cr_assert_eq(t->rows[i].values[m], want[m], "month %zu", m);
		}
	xy_table_free(t);
}

Test(gov_dishonesty, source_item_of_tables_tsv)
{
	char dir[] = "/tmp/xy_gd_cfg_XXXXXX", path[300];
	const char *bad[] = {
		"region\tsource\t政府失信未治理\tgov-dishonesty-open\n" /* before its column */
		"region\tlabel\t地区\tunit\nregion\tcolumn\t政府失信未治理\t\n",
		"region\tlabel\t地区\tunit\nregion\tcolumn\t政府失信未治理\t\n"
		"region\tsource\t政府失信未治理\tno-such-source\n",
		"region\tlabel\t地区\tunit\nregion\tcolumn\t政府失信未治理\t\n"
		"region\tsource\t政府失信未治理\tgov-dishonesty-open\n"
		"region\tsource\t政府失信未治理\tgov-dishonesty-open\n",
	};
	xy_stats_config c;
	cr_assert_not_null(mkdtemp(dir));
	snprintf(path, sizeof path, "%s/tables.tsv", dir);
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		FILE *f = fopen(path, "w");
		fprintf(f, "layout\titem\tname\tdetail\n%s", bad[i]);
		fclose(f);
		cr_assert_eq(xy_stats_config_load(&c, dir, XY_STATS_REGION, &reg, &err), XY_ERR_CONFIG,
			     "case %zu", i);
	}
	unlink(path);
	rmdir(dir);
	OK(xy_stats_config_load(&c, NULL, XY_STATS_REGION, &reg, &err));
	cr_assert_str_eq(c.columns[0], "政府失信未治理");
	cr_assert_str_eq(c.sources[0], "gov-dishonesty-open");
	cr_assert_null(c.sources[1]);
	xy_stats_config_release(&c);
}
