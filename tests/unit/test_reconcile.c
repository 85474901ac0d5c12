/* Unit tests of reconciliation: the bulletin's own tables and variations. */
#include <criterion/criterion.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "xinyong/gov_dishonesty.h"
#include "xinyong/reconcile.h"

#define REF XY_TEST_DATA "/reference/"
#define STATS XY_TEST_DATA "/stats/"

static xy_error err;

static xy_reconcile *check(const char *path)
{
	xy_reconcile *r = NULL;
	xy_error_clear(&err);
	cr_assert_eq(xy_reconcile_file(path, NULL, NULL, NULL, &r, &err), XY_OK, "%s: %s", path,
		     err.msg);
	return r;
}

static void diff_is(const xy_reconcile_diff *d, const char *row, const char *col,
		    long long printed, long long computed, xy_reconcile_kind kind)
{
	cr_assert_str_eq(d->row, row);
	cr_assert_str_eq(d->column, col);
	cr_assert_eq(d->printed, printed, "%s/%s printed %lld", row, col, d->printed);
	cr_assert_eq(d->computed, computed, "%s/%s computed %lld", row, col, d->computed);
	cr_assert_eq(d->kind, kind);
}

static void the_four(const xy_reconcile *r)
{
	cr_assert_eq(r->ndiffs, 4);
	diff_is(&r->diffs[0], "合计", "失信主体以注销、吊销等形式退出黑名单", 64, 68, XY_RECON_TOTAL_ROW);
	diff_is(&r->diffs[1], "合计", "信用修复、约谈企业", 869, 880, XY_RECON_TOTAL_ROW);
	diff_is(&r->diffs[2], "合计", "信用信息", 415, 476, XY_RECON_TOTAL_ROW);
	diff_is(&r->diffs[3], "合计", "总计", 150447, 152992, XY_RECON_TOTAL_ROW);
	for (size_t i = 0; i < 4; i++)
		cr_assert_eq(r->diffs[i].line, 2);
}

Test(reconcile, the_printed_department_table_has_four_wrong_totals)
{
	xy_reconcile *r = check(REF "bulletin-2019-10-departments.tsv");
	cr_assert_eq(r->layout, XY_STATS_DEPARTMENT);
	cr_assert_eq(r->nrows, 63);
	cr_assert_eq(r->ncolumns, 16);
	cr_assert(r->total_row);
	cr_assert(r->total_column);
	cr_assert_not(r->checked_data);
	cr_assert_eq(r->nignored, 0);
	cr_assert_eq(r->nmissing, 0);
	the_four(r);
	cr_assert_str_eq(xy_reconcile_kind_name(r->diffs[0].kind), "total_row");
	xy_reconcile_free(r);
}

Test(reconcile, the_printed_region_table_has_no_totals_to_disagree)
{
	xy_reconcile *r = check(REF "bulletin-2019-10-regions.tsv");
	cr_assert_eq(r->layout, XY_STATS_REGION);
	cr_assert_eq(r->nrows, 11);
	cr_assert_eq(r->ncolumns, 10);
	cr_assert_not(r->total_row);
	cr_assert_eq(r->ndiffs, 0);
	xy_reconcile_free(r);
}

Test(reconcile, corrected_totals_agree)
{
	xy_reconcile *r = check(REF "bulletin-2019-10-departments.corrected.tsv");
	cr_assert_eq(r->ndiffs, 0);
	xy_reconcile_free(r);
}

Test(reconcile, columns_by_header_name)
{
	/* CSV; 序号 dropped, 总计 second, categories reversed, an extra 备注 */
	xy_reconcile *r = check(STATS "reordered-departments.csv");
	cr_assert_eq(r->ncolumns, 16);
	cr_assert_eq(r->nignored, 1);
	cr_assert_str_eq(r->ignored[0], "备注");
	the_four(r);
	xy_reconcile_free(r);
}

Test(reconcile, a_printed_region_table_with_groups_and_totals)
{
	/* wrapped headers (政府失信 未治理), group headings, 合 计, 总计 */
	xy_reconcile *r = check(STATS "regions-printed.tsv");
	cr_assert_eq(r->layout, XY_STATS_REGION);
	cr_assert_eq(r->nrows, 11);
	cr_assert_eq(r->ncolumns, 10);
	cr_assert_eq(r->nmissing, 0);
	cr_assert_eq(r->ndiffs, 2);
	diff_is(&r->diffs[0], "合计", "信用承诺书", 6855, 6854, XY_RECON_TOTAL_ROW);
	diff_is(&r->diffs[1], "站前区", "总计", 3730, 3720, XY_RECON_TOTAL_COLUMN);
	cr_assert_eq(r->diffs[1].line, 8);
	xy_reconcile_free(r);
}

Test(reconcile, neither_layout)
{
	xy_reconcile *r = NULL;
	cr_assert_eq(xy_reconcile_file(STATS "not-a-table.csv", NULL, NULL, NULL, &r, &err),
		     XY_ERR_FORMAT);
	cr_assert_null(r);
	cr_assert(strstr(err.msg, "neither"), "%s", err.msg);
}

Test(reconcile, a_cell_that_is_not_a_number)
{
	xy_reconcile *r = NULL;
	cr_assert_eq(xy_reconcile_file(STATS "bad-number.tsv", NULL, NULL, NULL, &r, &err),
		     XY_ERR_FORMAT);
	cr_assert_eq(err.row, 2);
	cr_assert_str_eq(err.field, "行政处罚");
}

Test(reconcile, missing_file_and_bad_range)
{
	xy_reconcile *r = NULL;
	xy_reconcile_opts o = { "2019-10", "2019-01", NULL };
	cr_assert_neq(xy_reconcile_file(STATS "no-such-file.tsv", NULL, NULL, NULL, &r, &err), XY_OK);
	cr_assert_eq(xy_reconcile_file(REF "bulletin-2019-10-regions.tsv", NULL, NULL, &o, &r, &err),
		     XY_ERR_ARG);
	o.from = "2019-01";
	o.to = "2019-10";
	cr_assert_eq(xy_reconcile_file(REF "bulletin-2019-10-regions.tsv", NULL, NULL, &o, &r, &err),
		     XY_ERR_ARG, "data needs a store");
}

static int rm_one(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
	(void)sb;
	(void)flag;
	(void)ftw;
	return remove(path);
}

Test(reconcile, against_the_stored_counts)
{
	char dir[] = "/tmp/xy_recon_XXXXXX", path[256];
	xy_store *st = NULL;
	xy_registry reg;
	xy_reconcile *r = NULL;
	xy_reconcile_opts o = { "2019-01", "2019-10", NULL };
	static const struct {
		const char *unit, *cat;
		long n;
	} data[] = {
		{ "站前区", "信用承诺书", 3032 }, /* as printed */
		{ "西市区", "信用承诺书", 2000 }, /* printed 2032 */
		{ "鲅鱼圈", "信用工作报道", 3 },
	};
	/* 政府失信未治理 counts government-dishonesty entries open at the period's end
	 * (tables.tsv source gov-dishonesty-open), not batches */
	static const char *const bodies[] = { "11210802MB0000001U", "11210882MB0000002T" };
	cr_assert_not_null(mkdtemp(dir));
	snprintf(path, sizeof path, "%s/xy.db", dir);
	cr_assert_eq(xy_store_open(&st, path, NULL, &err), XY_OK, "%s", err.msg);
	xy_registry_init(&reg);
	cr_assert_eq(xy_store_load_registry(st, &reg, &err), XY_OK);
	for (size_t i = 0; i < sizeof data / sizeof data[0]; i++) {
		xy_batch b;
		memset(&b, 0, sizeof b);
		b.unit_id = xy_registry_unit(&reg, data[i].unit)->id;
		b.category_id = xy_registry_category(&reg, data[i].cat)->id;
		snprintf(b.reported_on, sizeof b.reported_on, "2019-05-01");
		b.added = data[i].n;
		cr_assert_eq(xy_store_batch_insert(st, &b, &err), XY_OK, "%s", err.msg);
	}
	for (size_t i = 0; i < 2; i++) {
		xy_gov_dishonesty_in in = { bodies[i], "某局（示例）", "鲅鱼圈", NULL, NULL, "拖欠企业账款",
				     NULL, "S", "2019-05-01", NULL };
		xy_gov_dishonesty_row g;
		cr_assert_eq(xy_gov_dishonesty_add(st, &reg, NULL, &in, &g, &err), XY_OK, "%s", err.msg);
		xy_gov_dishonesty_row_release(&g);
	}
	cr_assert_eq(xy_reconcile_file(REF "bulletin-2019-10-regions.tsv", st, &reg, &o, &r, &err),
		     XY_OK, "%s", err.msg);
	cr_assert(r->checked_data);
	/* every printed cell but 站前区 信用承诺书 and 鲅鱼圈's two differs: count a few */
	{
		bool west = false, zhanqian = false, bay = false;
		for (size_t i = 0; i < r->ndiffs; i++) {
			const xy_reconcile_diff *d = &r->diffs[i];
			cr_assert_eq(d->kind, XY_RECON_DATA);
			if (!strcmp(d->row, "西市区") && !strcmp(d->column, "信用承诺书")) {
				west = true;
				cr_assert_eq(d->printed, 2032);
				cr_assert_eq(d->computed, 2000);
			}
			if (!strcmp(d->row, "站前区") && !strcmp(d->column, "信用承诺书"))
				zhanqian = true;
			if (!strcmp(d->row, "鲅鱼圈") &&
			    (!strcmp(d->column, "政府失信未治理") || !strcmp(d->column, "信用工作报道")))
				bay = true;
		}
		cr_assert(west);
		cr_assert_not(zhanqian);
		cr_assert_not(bay);
	}
	xy_reconcile_free(r);
	xy_registry_release(&reg);
	xy_store_close(st);
	nftw(dir, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}
