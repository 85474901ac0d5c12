/* Unit tests of the table model and its renderers (golden files in
 * tests/data/stats/small.*; regenerate with XY_UPDATE_GOLDEN=1). */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "xinyong/reader.h"
#include "xinyong/table.h"

#define GOLDEN XY_TEST_DATA "/stats/"

static const char *const labels[] = { "序号", "部门名称" };
static const char *const values[] = { "行政许可", "行政处罚", "“双公示”报送" };

static xy_table *small(void)
{
	xy_table *t = xy_table_new("2019年1—10月份测试表 <&>", 2, labels, 3, values, "总计", "合计", 1);
	const char *r1[] = { "1", "市审批局" }, *r2[] = { "2", "A,B \"引号\" | <b>" },
		   *r3[] = { "3", "市场监管局" };
	long long v1[] = { 5, 0, 2 }, v2[] = { 0, 0, 0 }, v3[] = { 10, 7, 0 };
	cr_assert_not_null(t);
	cr_assert_eq(xy_table_set_note(t, "报送月份 2019-01 至 2019-10"), XY_OK);
	cr_assert_eq(xy_table_add_row(t, r1, v1), XY_OK);
	cr_assert_eq(xy_table_add_row(t, r2, v2), XY_OK);
	cr_assert_eq(xy_table_add_row(t, r3, v3), XY_OK);
	cr_assert_eq(xy_table_compute_totals(t), XY_OK);
	return t;
}

static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *p;
	long n;
	if (!f)
		return NULL;
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	p = malloc((size_t)n + 1);
	*len = fread(p, 1, (size_t)n, f);
	p[*len] = '\0';
	fclose(f);
	return p;
}

static void golden(xy_table_format fmt, const char *ext)
{
	xy_table *t = small();
	char *got = NULL, path[512];
	size_t glen = 0, wlen = 0;
	FILE *f = open_memstream(&got, &glen);
	xy_error err = XY_ERROR_INIT;
	char *want;
	cr_assert_eq(xy_table_write(t, fmt, f, &err), XY_OK, "%s", err.msg);
	fclose(f);
	snprintf(path, sizeof path, GOLDEN "small.%s", ext);
	if (getenv("XY_UPDATE_GOLDEN")) {
		FILE *g = fopen(path, "wb");
		fwrite(got, 1, glen, g);
		fclose(g);
	}
	want = slurp(path, &wlen);
	cr_assert_not_null(want, "missing golden file %s", path);
	cr_assert(glen == wlen && memcmp(got, want, glen) == 0, "%s differs:\n%s\n--- want:\n%s", path,
		  got, want);
	free(want);
	free(got);
	xy_table_free(t);
}

Test(table, totals_first_and_computed)
{
	xy_table *t = small();
	cr_assert_eq(t->nrows, 4);
	cr_assert(t->rows[0].is_total);
	cr_assert_str_eq(t->rows[0].labels[1], "合计");
	cr_assert_str_eq(t->rows[0].labels[0], "");
	cr_assert_eq(t->rows[0].values[0], 15);
	cr_assert_eq(t->rows[0].values[1], 7);
	cr_assert_eq(t->rows[0].values[2], 2);
	cr_assert_eq(t->rows[0].total, 24);
	cr_assert_eq(t->rows[1].total, 7);
	cr_assert_eq(t->rows[3].total, 17);
	/* a change, then recompute: still one total row, first */
	t->rows[1].values[0] = 100;
	cr_assert_eq(xy_table_compute_totals(t), XY_OK);
	cr_assert_eq(t->nrows, 4);
	cr_assert_eq(t->rows[0].values[0], 110);
	cr_assert_eq(t->rows[0].total, 119);
	cr_assert_eq(xy_table_value_index(t, "行政处罚"), 1);
	cr_assert_eq(xy_table_value_index(t, "总计"), -1);
	cr_assert_eq(xy_table_row_index(t, 1, "市场监管局"), 3);
	cr_assert_eq(xy_table_row_index(t, 1, "合计"), 0);
	cr_assert_eq(xy_table_row_index(t, 5, "合计"), -1);
	xy_table_free(t);
}

Test(table, no_total_row_or_column)
{
	static const char *const l[] = { "地区", "分组" };
	const char *r[] = { "站前区", "县（市）区" };
	long long v[] = { 3, 0, 4 };
	xy_table *t = xy_table_new("t", 2, l, 3, values, NULL, NULL, 0);
	cr_assert_eq(xy_table_add_row(t, r, v), XY_OK);
	cr_assert_eq(xy_table_compute_totals(t), XY_OK);
	cr_assert_eq(t->nrows, 1);
	cr_assert_not(t->rows[0].is_total);
	cr_assert_eq(t->rows[0].total, 7);
	xy_table_free(t);
	xy_table_free(NULL);
}

Test(table, empty_table_has_a_zero_total_row)
{
	xy_table *t = xy_table_new("t", 2, labels, 3, values, "总计", "合计", 1);
	cr_assert_eq(xy_table_compute_totals(t), XY_OK);
	cr_assert_eq(t->nrows, 1);
	cr_assert_eq(t->rows[0].total, 0);
	xy_table_free(t);
}

Test(table, format_names)
{
	xy_table_format f;
	cr_assert_eq(xy_table_format_parse("csv", &f), 0);
	cr_assert_eq(f, XY_TABLE_CSV);
	cr_assert_eq(xy_table_format_parse("table", &f), 0);
	cr_assert_eq(f, XY_TABLE_TEXT);
	cr_assert_eq(xy_table_format_parse("xlsx", &f), 0);
	cr_assert_eq(f, XY_TABLE_XLSX);
	cr_assert_eq(xy_table_format_parse("pdf", &f), 0);
	cr_assert_eq(f, XY_TABLE_PDF);
	cr_assert_eq(xy_table_format_parse("docx", &f), -1);
	cr_assert_str_eq(xy_table_format_name(XY_TABLE_HTML), "html");
	cr_assert_str_eq(xy_table_format_name(XY_TABLE_PDF), "pdf");
}

Test(render, text) { golden(XY_TABLE_TEXT, "txt"); }
Test(render, csv) { golden(XY_TABLE_CSV, "csv"); }
Test(render, md) { golden(XY_TABLE_MD, "md"); }
Test(render, html) { golden(XY_TABLE_HTML, "html"); }
Test(render, json) { golden(XY_TABLE_JSON, "json"); }

Test(render, xlsx_needs_a_file)
{
	xy_table *t = small();
	xy_error err = XY_ERROR_INIT;
	cr_assert_eq(xy_table_write(t, XY_TABLE_XLSX, stdout, &err), XY_ERR_ARG);
	xy_table_free(t);
}

/* A PDF to a stream: one A4 portrait page (6 columns), the document whole
 * (%PDF- … %%EOF), its text (the hostile name too) drawn, not parsed. */
Test(render, pdf_to_a_stream)
{
	xy_table *t = small();
	xy_error err = XY_ERROR_INIT;
	char *pdf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&pdf, &len);
	cr_assert_eq(xy_table_write(t, XY_TABLE_PDF, f, &err), XY_OK, "%s", err.msg);
	cr_assert_eq(fclose(f), 0);
	cr_assert_gt(len, 1000);
	cr_assert_eq(memcmp(pdf, "%PDF-", 5), 0);
	cr_assert(memmem(pdf, len, "%%EOF", 5));
	cr_assert(memmem(pdf, len, "/MediaBox [ 0 0 595.", 20), "portrait A4");
	free(pdf);
	xy_table_free(t);
}

/* Every row the reader gives, as "a|b|c" lines. */
static char *read_back(const char *path)
{
	xy_reader *r = NULL;
	xy_error err = XY_ERROR_INIT;
	const xy_row *row;
	char *out = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&out, &len);
	cr_assert_eq(xy_reader_open(&r, path, NULL, &err), XY_OK, "%s", err.msg);
	while (xy_reader_next(r, &row, &err) == XY_OK && row) {
		fprintf(f, "%s", row->sheet ? row->sheet : "");
		for (size_t i = 0; i < row->ncells; i++)
			fprintf(f, "|%s", row->cells[i]);
		fputc('\n', f);
	}
	xy_reader_free(r);
	fclose(f);
	return out;
}

Test(render, xlsx_reads_back)
{
	xy_table *t = small();
	xy_table *t2 = small();
	const xy_table *both[] = { t, t2 };
	const char *names[] = { "部门", "第二张" };
	char dir[] = "/tmp/xy_table_XXXXXX", path[256];
	xy_error err = XY_ERROR_INIT;
	char *rows;
	cr_assert_not_null(mkdtemp(dir));
	snprintf(path, sizeof path, "%s/t.xlsx", dir);
	cr_assert_eq(xy_table_write_xlsx(both, names, 2, path, &err), XY_OK, "%s", err.msg);
	rows = read_back(path);
	/* title, note, header, 合计 (cached formula values), rows; zeros stay numbers */
	cr_assert(strstr(rows, "部门|2019年1—10月份测试表 <&>\n"), "%s", rows);
	cr_assert(strstr(rows, "部门|序号|部门名称|行政许可|行政处罚|“双公示”报送|总计\n"), "%s", rows);
	cr_assert(strstr(rows, "部门||合计|15|7|2|24\n"), "%s", rows);
	cr_assert(strstr(rows, "部门|1|市审批局|5|0|2|7\n"), "%s", rows);
	cr_assert(strstr(rows, "部门|3|市场监管局|10|7|0|17\n"), "%s", rows);
	cr_assert(strstr(rows, "第二张||合计|15|7|2|24\n"), "%s", rows);
	free(rows);
	/* the formulas are in the sheet */
	{
		char cmd[512];
		FILE *p;
		char buf[8192];
		size_t n;
		snprintf(cmd, sizeof cmd, "unzip -p %s xl/worksheets/sheet1.xml", path);
		p = popen(cmd, "r");
		n = fread(buf, 1, sizeof buf - 1, p);
		buf[n] = '\0';
		pclose(p);
		cr_assert(strstr(buf, "<f>SUM(C5:C7)</f><v>15</v>"), "%s", buf);
		cr_assert(strstr(buf, "<f>SUM(C5:E5)</f><v>7</v>"), "%s", buf);
		cr_assert(strstr(buf, "<f>SUM(F5:F7)</f><v>24</v>"), "%s", buf);
		cr_assert(strstr(buf, "<pane "), "frozen panes: %s", buf);
		cr_assert(strstr(buf, "<mergeCell ref=\"A1:F1\"/>"), "%s", buf);
	}
	/* a bad sheet name is an error, and no file is left behind */
	names[1] = "a/b";
	snprintf(path, sizeof path, "%s/bad.xlsx", dir);
	cr_assert_eq(xy_table_write_xlsx(both, names, 2, path, &err), XY_ERR_ARG);
	cr_assert_neq(access(path, F_OK), 0);
	/* xy_table_save: one sheet */
	snprintf(path, sizeof path, "%s/one.xlsx", dir);
	cr_assert_eq(xy_table_save(t, XY_TABLE_XLSX, path, &err), XY_OK, "%s", err.msg);
	remove(path);
	snprintf(path, sizeof path, "%s/t.xlsx", dir);
	remove(path);
	rmdir(dir);
	xy_table_free(t);
	xy_table_free(t2);
}

Test(render, save_to_a_file)
{
	xy_table *t = small();
	char dir[] = "/tmp/xy_table_XXXXXX", path[256];
	xy_error err = XY_ERROR_INIT;
	size_t n;
	char *s;
	cr_assert_not_null(mkdtemp(dir));
	snprintf(path, sizeof path, "%s/t.csv", dir);
	cr_assert_eq(xy_table_save(t, XY_TABLE_CSV, path, &err), XY_OK);
	s = slurp(path, &n);
	cr_assert(strncmp(s, "\xEF\xBB\xBF序号,部门名称,行政许可,行政处罚,“双公示”报送,总计\r\n,合计,15,7,2,24\r\n", strlen("\xEF\xBB\xBF序号,部门名称,行政许可,行政处罚,“双公示”报送,总计\r\n,合计,15,7,2,24\r\n")) == 0, "%s", s);
	free(s);
	remove(path);
	snprintf(path, sizeof path, "%s/no/such/dir.csv", dir);
	cr_assert_eq(xy_table_save(t, XY_TABLE_CSV, path, &err), XY_ERR_IO);
	rmdir(dir);
	xy_table_free(t);
}
