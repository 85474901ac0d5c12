/* Unit tests of the statistics tables: batches are inserted with their
 * `added` counts directly (that is all xy_store_counts reads). */
#include <criterion/criterion.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "xinyong/stats.h"

static char tmpdir[256];
static char dbpath[512];
static xy_store *st;
static xy_registry reg;
static xy_error err;

static int rm_one(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
	(void)sb;
	(void)flag;
	(void)ftw;
	return remove(path);
}

static void setup(void)
{
	snprintf(tmpdir, sizeof tmpdir, "/tmp/xy_stats_test_XXXXXX");
	cr_assert_not_null(mkdtemp(tmpdir));
	snprintf(dbpath, sizeof dbpath, "%s/xy.db", tmpdir);
	xy_error_clear(&err);
	cr_assert_eq(xy_store_open(&st, dbpath, NULL, &err), XY_OK, "%s", err.msg);
	xy_registry_init(&reg);
	cr_assert_eq(xy_store_load_registry(st, &reg, &err), XY_OK, "%s", err.msg);
}

static void teardown(void)
{
	xy_registry_release(&reg);
	xy_store_close(st);
	st = NULL;
	nftw(tmpdir, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

TestSuite(stats, .init = setup, .fini = teardown);

static void batch(const char *unit, const char *cat, const char *day, long added,
		  xy_batch_status status)
{
	xy_batch b;
	const xy_unit *u = xy_registry_unit(&reg, unit);
	const xy_category *c = xy_registry_category(&reg, cat);
	cr_assert_not_null(u, "%s", unit);
	cr_assert_not_null(c, "%s", cat);
	memset(&b, 0, sizeof b);
	b.unit_id = u->id;
	b.category_id = c->id;
	snprintf(b.reported_on, sizeof b.reported_on, "%s", day);
	b.file = "test.csv";
	b.status = status;
	b.rows = b.added = added;
	cr_assert_eq(xy_store_batch_insert(st, &b, &err), XY_OK, "%s", err.msg);
}

static void some_data(void)
{
	batch("市审批局", "行政许可", "2019-01-10", 100, XY_BATCH_COMMITTED);
	batch("市审批局", "行政许可", "2019-03-01", 29, XY_BATCH_COMMITTED);
	batch("市审批局", "营商环境建设", "2019-02-01", 7, XY_BATCH_COMMITTED);
	batch("市场监管局", "行政许可", "2019-02-11", 129, XY_BATCH_COMMITTED);
	batch("市场监管局", "行政处罚", "2019-10-31", 4, XY_BATCH_COMMITTED);
	batch("市场监管局", "行政处罚", "2019-11-01", 1000, XY_BATCH_COMMITTED); /* after */
	batch("市场监管局", "行政处罚", "2018-12-31", 1000, XY_BATCH_COMMITTED); /* before */
	batch("公安局", "行政处罚", "2019-05-05", 500, XY_BATCH_REFUSED);      /* refused */
	batch("站前区", "信用承诺书", "2019-04-01", 3032, XY_BATCH_COMMITTED);
	batch("西市区", "信用承诺书", "2019-04-01", 2032, XY_BATCH_COMMITTED);
	batch("盖州市", "信用承诺书", "2019-04-01", 454, XY_BATCH_COMMITTED);
	batch("沿海产业基地", "信用承诺书", "2019-04-01", 268, XY_BATCH_COMMITTED);
	batch("辽河经济开发区", "信用承诺书", "2019-04-01", 202, XY_BATCH_COMMITTED);
	batch("自贸区", "信用承诺书", "2019-04-01", 30, XY_BATCH_COMMITTED);
	batch("站前区", "行业监管上报数量", "2019-04-01", 2, XY_BATCH_COMMITTED);
	batch("老边区", "行业监管上报数量", "2019-04-01", 9, XY_BATCH_COMMITTED);
	batch("盖州市", "行业监管上报数量", "2019-04-01", 9, XY_BATCH_COMMITTED);
	batch("自贸区", "行业监管上报数量", "2019-04-01", 8, XY_BATCH_COMMITTED);
	batch("站前区", "信用信息", "2019-06-01", 1, XY_BATCH_COMMITTED);
}

static const xy_table_row *row_of(const xy_table *t, size_t col, const char *unit)
{
	int i = xy_table_row_index(t, col, unit);
	cr_assert_geq(i, 0, "no row %s", unit);
	return &t->rows[i];
}

static long long cell(const xy_table *t, size_t col, const char *unit, const char *cat)
{
	int j = xy_table_value_index(t, cat);
	cr_assert_geq(j, 0, "no column %s", cat);
	return row_of(t, col, unit)->values[j];
}

Test(stats, department_table_layout)
{
	xy_stats_opts o = { "2019-01", "2019-10", XY_STATS_DEPARTMENT, NULL, NULL };
	xy_table *t = NULL;
	some_data();
	cr_assert_eq(xy_stats_table(st, &reg, &o, &t, &err), XY_OK, "%s", err.msg);
	cr_assert_str_eq(t->title, "2019年1—10月份市有关部门信源单位数据上报情况");
	cr_assert_eq(t->nlabels, 2);
	cr_assert_str_eq(t->label_names[0], "序号");
	cr_assert_str_eq(t->label_names[1], "部门名称");
	cr_assert_eq(t->nvalues, 16);
	cr_assert_str_eq(t->value_names[0], "行政许可");
	cr_assert_str_eq(t->value_names[15], "营商环境建设");
	cr_assert_str_eq(t->total_col_name, "总计");
	cr_assert_eq(t->nrows, 64);
	cr_assert(t->rows[0].is_total);
	cr_assert_str_eq(t->rows[0].labels[1], "合计");
	cr_assert_str_eq(t->rows[1].labels[0], "1");
	cr_assert_str_eq(t->rows[1].labels[1], "市审批局");
	cr_assert_str_eq(t->rows[63].labels[0], "63");
	cr_assert_str_eq(t->rows[63].labels[1], "辽河经济开发区");
	cr_assert_eq(cell(t, 1, "市审批局", "行政许可"), 129);
	cr_assert_eq(cell(t, 1, "市审批局", "营商环境建设"), 7);
	cr_assert_eq(row_of(t, 1, "市审批局")->total, 136);
	cr_assert_eq(cell(t, 1, "市场监管局", "行政许可"), 129);
	cr_assert_eq(cell(t, 1, "市场监管局", "行政处罚"), 4);
	cr_assert_eq(cell(t, 1, "公安局", "行政处罚"), 0, "refused batches do not count");
	cr_assert_eq(cell(t, 1, "站前区", "信用信息"), 1);
	cr_assert_eq(cell(t, 1, "合计", "行政许可"), 258);
	cr_assert_eq(t->rows[0].total, 258 + 7 + 4 + 1);
	xy_table_free(t);
}

Test(stats, region_table_layout)
{
	xy_stats_opts o = { "2019-01", "2019-10", XY_STATS_REGION, NULL, NULL };
	xy_table *t = NULL;
	some_data();
	cr_assert_eq(xy_stats_table(st, &reg, &o, &t, &err), XY_OK, "%s", err.msg);
	cr_assert_str_eq(t->title, "2019年1—10月份各县（市）区、园区信源单位数据报送情况统计表");
	cr_assert_eq(t->nrows, 11, "no 合计 row in the printed region table");
	cr_assert_null(t->total_col_name);
	cr_assert_str_eq(t->label_names[0], "地区");
	cr_assert_str_eq(t->label_names[1], "分组");
	cr_assert_str_eq(t->rows[0].labels[0], "鲅鱼圈");
	cr_assert_str_eq(t->rows[0].labels[1], "县（市）区");
	cr_assert_str_eq(t->rows[10].labels[0], "辽河经济开发区");
	cr_assert_str_eq(t->rows[10].labels[1], "园区");
	cr_assert_eq(t->nvalues, 10);
	cr_assert_str_eq(t->value_names[0], "政府失信未治理");
	cr_assert_eq(cell(t, 0, "站前区", "信用承诺书"), 3032);
	xy_table_free(t);
}

Test(stats, a_range_selects_reporting_months)
{
	xy_stats_opts o = { "2019-02", "2019-03", XY_STATS_DEPARTMENT, NULL, NULL };
	xy_table *t = NULL;
	some_data();
	cr_assert_eq(xy_stats_table(st, &reg, &o, &t, &err), XY_OK, "%s", err.msg);
	cr_assert_str_eq(t->title, "2019年2—3月份市有关部门信源单位数据上报情况");
	cr_assert_eq(cell(t, 1, "市审批局", "行政许可"), 29);
	cr_assert_eq(cell(t, 1, "市场监管局", "行政许可"), 129);
	xy_table_free(t);
	o.from = o.to = "2019-11";
	cr_assert_eq(xy_stats_table(st, &reg, &o, &t, &err), XY_OK, "%s", err.msg);
	cr_assert_str_eq(t->title, "2019年11月份市有关部门信源单位数据上报情况");
	cr_assert_eq(cell(t, 1, "市场监管局", "行政处罚"), 1000);
	xy_table_free(t);
	o.from = "2018-12";
	o.to = "2019-01";
	cr_assert_eq(xy_stats_table(st, &reg, &o, &t, &err), XY_OK, "%s", err.msg);
	cr_assert_str_eq(t->title, "2018年12月—2019年1月份市有关部门信源单位数据上报情况");
	cr_assert_eq(cell(t, 1, "市场监管局", "行政处罚"), 1000);
	cr_assert_eq(cell(t, 1, "市审批局", "行政许可"), 100);
	xy_table_free(t);
}

Test(stats, empty_database_is_a_blank_table)
{
	xy_stats_opts o = { "2019-01", "2019-10", XY_STATS_DEPARTMENT, NULL, NULL };
	xy_table *t = NULL;
	cr_assert_eq(xy_stats_table(st, &reg, &o, &t, &err), XY_OK, "%s", err.msg);
	cr_assert_eq(t->nrows, 64);
	for (size_t i = 0; i < t->nrows; i++)
		cr_assert_eq(t->rows[i].total, 0);
	xy_table_free(t);
}

Test(stats, bad_ranges)
{
	xy_stats_opts o = { "2019-10", "2019-01", XY_STATS_DEPARTMENT, NULL, NULL };
	xy_table *t = (xy_table *)1;
	cr_assert_eq(xy_stats_table(st, &reg, &o, &t, &err), XY_ERR_ARG);
	cr_assert_null(t);
	cr_assert(strstr(err.msg, "backwards"), "%s", err.msg);
	o.from = "2019-13";
	cr_assert_eq(xy_stats_table(st, &reg, &o, &t, &err), XY_ERR_ARG);
	cr_assert(strstr(err.msg, "not a month"), "%s", err.msg);
	o.from = "2019-1";
	cr_assert_eq(xy_stats_check_range(o.from, "2019-02", &err), XY_ERR_ARG);
	cr_assert_eq(xy_stats_check_range("2019/01", "2019-02", &err), XY_ERR_ARG);
	cr_assert_eq(xy_stats_check_range(NULL, "2019-02", &err), XY_ERR_ARG);
	cr_assert_eq(xy_stats_check_range("1900-01", "2019-02", &err), XY_ERR_ARG, "too long");
	cr_assert_eq(xy_stats_check_range("2019-02", "2019-02", &err), XY_OK);
}

Test(stats, month_views)
{
	xy_stats_opts o = { "2019-01", "2019-04", XY_STATS_DEPARTMENT, NULL, NULL };
	xy_table *t = NULL;
	some_data();
	cr_assert_eq(xy_stats_months(st, &reg, &o, false, &t, &err), XY_OK, "%s", err.msg);
	cr_assert_eq(t->nvalues, 4);
	cr_assert_str_eq(t->value_names[0], "2019-01");
	cr_assert_str_eq(t->value_names[3], "2019-04");
	cr_assert_eq(cell(t, 1, "市审批局", "2019-01"), 100);
	cr_assert_eq(cell(t, 1, "市审批局", "2019-02"), 7);
	cr_assert_eq(cell(t, 1, "市审批局", "2019-03"), 29);
	cr_assert_eq(row_of(t, 1, "市审批局")->total, 136);
	cr_assert_eq(cell(t, 1, "合计", "2019-02"), 136);
	cr_assert_eq(cell(t, 1, "合计", "2019-04"), 0, "region columns are not counted here");
	xy_table_free(t);
	o.layout = XY_STATS_REGION;
	cr_assert_eq(xy_stats_months(st, &reg, &o, false, &t, &err), XY_OK, "%s", err.msg);
	cr_assert_eq(cell(t, 0, "合计", "2019-04"), 3032 + 2032 + 454 + 268 + 202 + 30 + 28);
	cr_assert_eq(cell(t, 0, "站前区", "2019-04"), 3034);
	xy_table_free(t);
	o.layout = XY_STATS_DEPARTMENT;

	cr_assert_eq(xy_stats_months(st, &reg, &o, true, &t, &err), XY_OK, "%s", err.msg);
	cr_assert_null(t->total_col_name);
	cr_assert_eq(cell(t, 1, "市审批局", "2019-01"), 100);
	cr_assert_eq(cell(t, 1, "市审批局", "2019-02"), 107);
	cr_assert_eq(cell(t, 1, "市审批局", "2019-04"), 136);
	xy_table_free(t);

	o.category = "行政许可";
	cr_assert_eq(xy_stats_months(st, &reg, &o, false, &t, &err), XY_OK, "%s", err.msg);
	cr_assert_eq(cell(t, 1, "市审批局", "2019-02"), 0);
	cr_assert_eq(row_of(t, 1, "市审批局")->total, 129);
	xy_table_free(t);
	o.category = "信用承诺书"; /* a region column */
	cr_assert_eq(xy_stats_months(st, &reg, &o, false, &t, &err), XY_ERR_NOTFOUND);
}

Test(stats, unit_view)
{
	xy_stats_opts o = { "2019-01", "2019-06", XY_STATS_DEPARTMENT, NULL, NULL };
	xy_table *t = NULL;
	some_data();
	cr_assert_eq(xy_stats_unit(st, &reg, &o, "市审批局", false, &t, &err), XY_OK, "%s", err.msg);
	cr_assert_eq(t->nrows, 7);
	cr_assert_str_eq(t->label_names[0], "月份");
	cr_assert_eq(t->nvalues, 16);
	cr_assert_eq(cell(t, 0, "2019-01", "行政许可"), 100);
	cr_assert_eq(cell(t, 0, "2019-03", "行政许可"), 29);
	cr_assert_eq(cell(t, 0, "合计", "行政许可"), 129);
	cr_assert_eq(t->rows[0].total, 136);
	xy_table_free(t);
	/* a region unit asked by department: the department columns list it too */
	cr_assert_eq(xy_stats_unit(st, &reg, &o, "站前区", false, &t, &err), XY_OK, "%s", err.msg);
	cr_assert_eq(cell(t, 0, "2019-06", "信用信息"), 1);
	xy_table_free(t);
	o.layout = XY_STATS_REGION;
	cr_assert_eq(xy_stats_unit(st, &reg, &o, "站前区", true, &t, &err), XY_OK, "%s", err.msg);
	cr_assert_eq(t->nrows, 6, "cumulative: no 合计 row");
	cr_assert_eq(cell(t, 0, "2019-03", "信用承诺书"), 0);
	cr_assert_eq(cell(t, 0, "2019-05", "信用承诺书"), 3032);
	xy_table_free(t);
	/* a department asked by region: falls back to the department table */
	cr_assert_eq(xy_stats_unit(st, &reg, &o, "市审批局", false, &t, &err), XY_OK, "%s", err.msg);
	cr_assert_eq(t->nvalues, 16);
	xy_table_free(t);
	cr_assert_eq(xy_stats_unit(st, &reg, &o, "不存在的局", false, &t, &err), XY_ERR_NOTFOUND);
	cr_assert_null(t);
}

Test(stats, sentences)
{
	xy_stats_opts o = { "2019-01", "2019-10", XY_STATS_REGION, NULL, NULL };
	xy_buf b = XY_BUF_INIT;
	some_data();
	cr_assert_eq(xy_stats_sentences(st, &reg, &o, &b, &err), XY_OK, "%s", err.msg);
	cr_assert(strstr(b.data, "从县（市）区上报信用信息数据看，信用承诺书签订量最多的是站前区和西市区；"),
		  "%s", b.data);
	/* a tie for second place: both listed, after the first */
	cr_assert(strstr(b.data, "行业监管上报量最多的是盖州市和老边区。"), "%s", b.data);
	cr_assert(strstr(b.data, "从园区上报信用信息数据看，信用承诺书签订量最多的是沿海产业基地和辽河经济开发区；"
				 "行业监管上报量最多的是自贸区。"),
		  "%s", b.data);
	cr_assert(strstr(b.data, "本期未报送数据的单位：鲅鱼圈、大石桥市、北海经济开发区、仙人岛经济开发区。"),
		  "%s", b.data);
	xy_buf_release(&b);

	o.layout = XY_STATS_DEPARTMENT;
	cr_assert_eq(xy_stats_sentences(st, &reg, &o, &b, &err), XY_OK, "%s", err.msg);
	/* a tie for first place: both, in table order */
	cr_assert(strstr(b.data, "从市有关部门上报信用信息数据看，行政许可信息报送量最多的是市审批局和市场监管局；"),
		  "%s", b.data);
	cr_assert(strstr(b.data, "本期未报送数据的单位：发改委、中级法院、"), "%s", b.data);
	cr_assert_null(strstr(b.data, "市审批局、"), "%s", b.data);
	xy_buf_release(&b);
}

Test(stats, sentences_of_an_empty_database)
{
	xy_stats_opts o = { "2019-01", "2019-10", XY_STATS_DEPARTMENT, NULL, NULL };
	xy_buf b = XY_BUF_INIT;
	cr_assert_eq(xy_stats_sentences(st, &reg, &o, &b, &err), XY_OK, "%s", err.msg);
	cr_assert_str_eq(b.data, "本期市有关部门均未报送数据。\n");
	xy_buf_release(&b);
}

Test(stats, period_and_layout_names)
{
	char p[64];
	xy_stats_layout l;
	cr_assert_str_eq(xy_stats_period("2019-01", "2019-10", p, sizeof p), "2019年1—10月份");
	cr_assert_eq(xy_stats_layout_parse("region", &l), 0);
	cr_assert_eq(l, XY_STATS_REGION);
	cr_assert_eq(xy_stats_layout_parse("county", &l), -1);
	cr_assert_str_eq(xy_stats_layout_name(XY_STATS_DEPARTMENT), "department");
}

/* ---- tables.tsv ---- */

static void write_config(const char *text)
{
	char path[600];
	FILE *f;
	snprintf(path, sizeof path, "%s/tables.tsv", tmpdir);
	f = fopen(path, "w");
	fputs(text, f);
	fclose(f);
}

Test(stats, the_shipped_configuration)
{
	xy_stats_config c;
	cr_assert_eq(xy_stats_config_load(&c, NULL, XY_STATS_DEPARTMENT, &reg, &err), XY_OK, "%s",
		     err.msg);
	cr_assert_eq(c.nunits, 63);
	cr_assert_eq(c.ncolumns, 16);
	cr_assert_str_eq(c.total_row, "合计");
	cr_assert_eq(xy_stats_config_label(&c, XY_STATS_LABEL_NUMBER), 0);
	xy_stats_config_release(&c);
	cr_assert_eq(xy_stats_config_load(&c, NULL, XY_STATS_REGION, &reg, &err), XY_OK, "%s",
		     err.msg);
	cr_assert_eq(c.nunits, 11);
	cr_assert_eq(c.ncolumns, 10);
	cr_assert_null(c.total_row);
	cr_assert_str_eq(c.groups[6], "园区");
	cr_assert_str_eq(c.phrases[1], "信用承诺书签订量最多的是");
	xy_stats_config_release(&c);
}

Test(stats, a_configured_layout)
{
	xy_stats_opts o = { "2019-01", "2019-10", XY_STATS_DEPARTMENT, tmpdir, NULL };
	xy_table *t = NULL;
	write_config("# two columns, two units\n"
		     "layout\titem\tname\tdetail\n"
		     "department\ttitle\t{period}测试\t\n"
		     "department\tlabel\t单位\tunit\n"
		     "department\tcolumn\t行政处罚\t\n"
		     "department\tcolumn\t行政许可\t\n"
		     "department\ttotal\t合计\trow\n"
		     "department\tunit\t市场监管局\t\n"
		     "department\tunit\t市审批局\t\n");
	some_data();
	cr_assert_eq(xy_stats_table(st, &reg, &o, &t, &err), XY_OK, "%s", err.msg);
	cr_assert_str_eq(t->title, "2019年1—10月份测试");
	cr_assert_eq(t->nrows, 3);
	cr_assert_str_eq(t->rows[1].labels[0], "市场监管局");
	cr_assert_str_eq(t->value_names[0], "行政处罚");
	cr_assert_eq(t->rows[1].values[0], 4);
	cr_assert_null(t->total_col_name);
	xy_table_free(t);
	o.layout = XY_STATS_REGION;
	cr_assert_eq(xy_stats_table(st, &reg, &o, &t, &err), XY_ERR_CONFIG);
	cr_assert(strstr(err.msg, "no 'region' layout"), "%s", err.msg);
}

Test(stats, configuration_errors)
{
	static const struct {
		const char *text, *msg;
	} cases[] = {
		{ "layout\titem\tname\n", "header line" },
		{ "layout\titem\tname\tdetail\ndepartment\tcolumn\t不存在\t\n", "not a category" },
		{ "layout\titem\tname\tdetail\ndepartment\tunit\t不存在\t\n", "not a source unit" },
		{ "layout\titem\tname\tdetail\ncounty\tunit\t站前区\t\n", "unknown layout" },
		{ "layout\titem\tname\tdetail\ndepartment\tcolour\tred\t\n", "unknown item" },
		{ "layout\titem\tname\tdetail\ndepartment\tlabel\t序号\tnumero\n", "number, unit or group" },
		{ "layout\titem\tname\tdetail\ndepartment\tcolumn\t行政许可\t\n", "no unit label" },
		{ "layout\titem\tname\tdetail\ndepartment\tlabel\t单位\tunit\n"
		  "department\tcolumn\t行政许可\t\ndepartment\tcolumn\t行政许可\t\n",
		  "twice" },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		xy_stats_config c;
		write_config(cases[i].text);
		xy_error_clear(&err);
		cr_assert_eq(xy_stats_config_load(&c, tmpdir, XY_STATS_DEPARTMENT, &reg, &err),
			     XY_ERR_CONFIG, "case %zu", i);
		cr_assert(strstr(err.msg, cases[i].msg), "case %zu: %s", i, err.msg);
		cr_assert(strstr(err.file, "tables.tsv"), "case %zu: %s", i, err.file);
	}
}

/* The point of reading batch counts: many batches, still quick. */
Test(stats, many_batches_are_quick)
{
	xy_stats_opts o = { "2019-01", "2019-10", XY_STATS_DEPARTMENT, NULL, NULL };
	xy_table *t = NULL;
	cr_assert_eq(xy_store_begin(st, true, &err), XY_OK);
	for (int i = 0; i < 2000; i++)
		batch(i % 2 ? "市审批局" : "人社局", i % 3 ? "行政许可" : "行业业务信息",
		      i % 10 == 9 ? "2019-10-01" : "2019-05-01", 5000, XY_BATCH_COMMITTED);
	cr_assert_eq(xy_store_commit(st, &err), XY_OK);
	cr_assert_eq(xy_stats_table(st, &reg, &o, &t, &err), XY_OK, "%s", err.msg);
	cr_assert_eq(t->rows[0].total, 2000LL * 5000);
	xy_table_free(t);
}
