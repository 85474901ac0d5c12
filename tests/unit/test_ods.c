/* ODS reader.
 *
 * Fixture (tests/data/ods/):
 *   shuanggongshi-2019.ods  saved by LibreOffice from a 2019 双公示 template
 *               .fods: sheets 填报说明 / 行政处罚, a title row, a 填报单位 row, the
 *               header on row 3, two data rows, a multi-paragraph cell, floats
 *               (its date columns hold plain numbers such as 43525, not
 *               office:date-value cells), repeated empty cells.
 * Everything else (dates, booleans, text:s, 1048000 repeated empty rows,
 * repeated non-empty cells and rows, limits, DOCTYPE) is built here.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <criterion/criterion.h>
#include <zip.h>

#include "xinyong/reader.h"
#include "readtest.h"

#define FIXTURE(name) XY_TEST_DATA "/ods/" name

TestSuite(ods, .init = rt_setup, .fini = rt_teardown);

static xy_reader *open_ods(const char *path, xy_reader_opts *o)
{
	xy_reader *r = NULL;
	xy_error e = XY_ERROR_INIT;
	xy_reader_opts def = {.format = XY_FMT_AUTO};
	xy_code rc = xy_reader_open(&r, path, o ? o : &def, &e);
	cr_assert_eq(rc, XY_OK, "open %s: %s", path, e.msg);
	cr_assert_eq(xy_reader_format(r), XY_FMT_ODS);
	return r;
}

/* An ODS package: stored mimetype first, then content.xml whose
 * office:spreadsheet holds `body` (taken over by libzip). */
static void make_ods(const char *path, const char *body)
{
	static const char mime[] = "application/vnd.oasis.opendocument.spreadsheet";
	static const char head[] =
	    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<office:document-content "
	    "xmlns:office=\"urn:oasis:names:tc:opendocument:xmlns:office:1.0\" "
	    "xmlns:table=\"urn:oasis:names:tc:opendocument:xmlns:table:1.0\" "
	    "xmlns:text=\"urn:oasis:names:tc:opendocument:xmlns:text:1.0\" "
	    "office:version=\"1.3\"><office:body><office:spreadsheet>";
	static const char tail[] = "</office:spreadsheet></office:body></office:document-content>";
	size_t n = strlen(body), total = sizeof head - 1 + n + sizeof tail - 1;
	char *doc = malloc(total);
	int ze;
	zip_t *z = zip_open(path, ZIP_CREATE | ZIP_TRUNCATE, &ze);
	zip_source_t *s;
	zip_int64_t idx;
	cr_assert_not_null(z);
	cr_assert_not_null(doc);
	memcpy(doc, head, sizeof head - 1);
	memcpy(doc + sizeof head - 1, body, n);
	memcpy(doc + sizeof head - 1 + n, tail, sizeof tail - 1);
	s = zip_source_buffer(z, mime, sizeof mime - 1, 0);
	idx = zip_file_add(z, "mimetype", s, 0);
	cr_assert_geq(idx, 0);
	cr_assert_eq(zip_set_file_compression(z, (zip_uint64_t)idx, ZIP_CM_STORE, 0), 0);
	s = zip_source_buffer(z, doc, total, 1);
	cr_assert_geq(zip_file_add(z, "content.xml", s, 0), 0);
	cr_assert_eq(zip_close(z), 0, "%s", zip_strerror(z));
}

#define TBL(name, rows) "<table:table table:name=\"" name "\">" rows "</table:table>"
#define STR(t) "<table:table-cell office:value-type=\"string\"><text:p>" t "</text:p></table:table-cell>"

Test(ods, fixture_sheets_rows_values)
{
	xy_reader *r = open_ods(FIXTURE("shuanggongshi-2019.ods"), NULL);
	const xy_row *row = next_row(r);
	cr_assert_str_eq(row->sheet, "填报说明");
	cr_assert_eq(row->line, 1);
	cr_assert(row->is_header);
	expect_cells(row, CELLS("填报说明"));
	row = next_row(r);
	cr_assert_eq(row->line, 2);
	cr_assert(!row->is_header);
	expect_cells(row, CELLS("1. 带*号的为必填项。\n2. 日期格式为 YYYY-MM-DD。"));

	row = next_row(r);
	cr_assert_str_eq(row->sheet, "行政处罚");
	cr_assert_eq(row->line, 1);
	cr_assert(row->is_header, "first non-empty row of each sheet is the header");
	expect_cells(row, CELLS("行政处罚信息"));
	row = next_row(r);
	cr_assert_eq(row->line, 2);
	expect_cells(row, CELLS("填报单位（盖章）：营口市示例局", "填报日期：2019年10月1日"));
	row = next_row(r);
	cr_assert_eq(row->line, 3);
	cr_assert(!row->is_header);
	cr_assert_eq(row->ncells, 30);
	cr_assert_str_eq(row->cells[0], "行政相对人名称");
	cr_assert_str_eq(row->cells[29], "备注");
	row = next_row(r);
	cr_assert_eq(row->line, 4);
	cr_assert_null(row->problem);
	cr_assert_eq(row->ncells, 29);
	cr_assert_str_eq(row->cells[3], "");
	cr_assert_str_eq(row->cells[8], "张示例");
	cr_assert_str_eq(row->cells[19], "0.5");
	cr_assert_str_eq(row->cells[22], "43525"); /* a number in the template, not a date cell */
	row = next_row(r);
	cr_assert_eq(row->line, 5);
	cr_assert_eq(row->ncells, 16);
	cr_assert_str_eq(row->cells[15], "第一段\n第二段");
	expect_end(r);
	xy_reader_free(r);
}

Test(ods, detect_and_names)
{
	xy_format f = XY_FMT_AUTO;
	xy_error e = XY_ERROR_INIT;
	cr_assert_eq(xy_format_detect(FIXTURE("shuanggongshi-2019.ods"), &f, &e), XY_OK);
	cr_assert_eq(f, XY_FMT_ODS);
	cr_assert_eq(xy_format_detect(XY_TEST_DATA "/xlsx/sgs.xlsx", &f, &e), XY_OK);
	cr_assert_eq(f, XY_FMT_XLSX);
	cr_assert_str_eq(xy_format_name(XY_FMT_ODS), "ods");
	cr_assert_eq(xy_format_parse("ODS"), XY_FMT_ODS);
	cr_assert_eq(xy_report_format(XY_FMT_ODS), XY_FMT_XLSX);
}

Test(ods, value_types)
{
	const char *p = tmp("types.ods");
	xy_reader *r;
	const xy_row *row;
	make_ods(p, TBL("T",
	    "<table:table-row>"
	    "<table:table-cell office:value-type=\"date\" office:date-value=\"2019-03-01\">"
	    "<text:p>2019年3月1日</text:p></table:table-cell>"
	    "<table:table-cell office:value-type=\"date\" office:date-value=\"2020-02-29T10:30:00\">"
	    "<text:p>x</text:p></table:table-cell>"
	    "<table:table-cell office:value-type=\"float\" office:value=\"12\"><text:p>12.00</text:p></table:table-cell>"
	    "<table:table-cell office:value-type=\"percentage\" office:value=\"0.30000000000000004\"><text:p>30%</text:p></table:table-cell>"
	    "<table:table-cell office:value-type=\"currency\" office:value=\"5000\"><text:p>¥5,000</text:p></table:table-cell>"
	    "<table:table-cell office:value-type=\"boolean\" office:boolean-value=\"true\"><text:p>TRUE</text:p></table:table-cell>"
	    "<table:table-cell office:value-type=\"boolean\" office:boolean-value=\"false\"><text:p>FALSE</text:p></table:table-cell>"
	    "<table:table-cell><text:p>a<text:s text:c=\"3\"/>b<text:s/>c<text:tab/>d</text:p>"
	    "<text:p><text:span>sp</text:span><text:a>link</text:a><text:line-break/>e</text:p></table:table-cell>"
	    "<table:table-cell office:value-type=\"string\"><office:annotation><text:p>comment</text:p></office:annotation><text:p>v</text:p></table:table-cell>"
	    "</table:table-row>"));
	r = open_ods(p, NULL);
	row = next_row(r);
	expect_cells(row, CELLS("2019-03-01", "2020-02-29", "12", "0.3", "5000", "1", "0",
	                        "a   b c\td\nsplink\ne", "v"));
	expect_end(r);
	xy_reader_free(r);
}

Test(ods, million_empty_rows_are_free)
{
	const char *p = tmp("padded.ods");
	xy_reader *r;
	const xy_row *row;
	clock_t t0;
	double secs;
	make_ods(p, TBL("S1",
	    "<table:table-column table:number-columns-repeated=\"1024\"/>"
	    "<table:table-row>" STR("h") "<table:table-cell table:number-columns-repeated=\"16383\"/></table:table-row>"
	    "<table:table-row table:number-rows-repeated=\"1048000\"><table:table-cell table:number-columns-repeated=\"16384\"/></table:table-row>"
	    "<table:table-row>" STR("last") "</table:table-row>"
	    "<table:table-row table:number-rows-repeated=\"574\"><table:table-cell table:number-columns-repeated=\"1016\"/></table:table-row>")
	    TBL("S2", "<table:table-row table:number-rows-repeated=\"2\"/>"
	              "<table:table-row>" STR("two") "</table:table-row>"));
	t0 = clock();
	r = open_ods(p, NULL);
	row = next_row(r);
	cr_assert_eq(row->line, 1);
	expect_cells(row, CELLS("h"));
	row = next_row(r);
	cr_assert_eq(row->line, 1048002);
	cr_assert(!row->is_header);
	expect_cells(row, CELLS("last"));
	row = next_row(r);
	cr_assert_str_eq(row->sheet, "S2");
	cr_assert_eq(row->line, 3);
	cr_assert(row->is_header);
	expect_end(r);
	xy_reader_free(r);
	secs = (double)(clock() - t0) / CLOCKS_PER_SEC;
	cr_assert_lt(secs, 0.5, "took %.3f s: repeated empty rows must cost nothing", secs);
}

Test(ods, repeated_non_empty)
{
	const char *p = tmp("rep.ods");
	xy_reader *r;
	const xy_row *row;
	xy_reader_opts o = {.max_columns = 5};
	make_ods(p, TBL("R",
	    "<table:table-row>" STR("a")
	    "<table:table-cell table:number-columns-repeated=\"3\" office:value-type=\"float\" office:value=\"7\"><text:p>7</text:p></table:table-cell>"
	    "<table:covered-table-cell/>" STR("z") "</table:table-row>"
	    "<table:table-row table:number-rows-repeated=\"2\">" STR("x") "</table:table-row>"
	    "<table:table-row>"
	    "<table:table-cell table:number-columns-repeated=\"100000\" office:value-type=\"string\"><text:p>w</text:p></table:table-cell>"
	    "</table:table-row>"));
	r = open_ods(p, NULL);
	row = next_row(r);
	expect_cells(row, CELLS("a", "7", "7", "7", "", "z"));
	row = next_row(r);
	cr_assert_eq(row->line, 2);
	expect_cells(row, CELLS("x"));
	row = next_row(r);
	cr_assert_eq(row->line, 3);
	cr_assert(!row->is_header);
	expect_cells(row, CELLS("x"));
	row = next_row(r);
	cr_assert_eq(row->line, 4);
	cr_assert_eq(row->ncells, 1024, "repeats stop at max_columns");
	cr_assert_not_null(row->problem);
	cr_assert_not_null(strstr(row->problem, "too many columns"), "%s", row->problem);
	expect_end(r);
	xy_reader_free(r);

	r = open_ods(p, &o);
	row = next_row(r);
	cr_assert_not_null(row->problem, "column 6 is past max_columns 5");
	xy_reader_free(r);
}

Test(ods, too_many_rows_is_format_error)
{
	const char *p = tmp("rows.ods");
	xy_reader *r;
	const xy_row *row;
	xy_error e = XY_ERROR_INIT;
	long n = 0;
	xy_code rc;
	make_ods(p, TBL("R", "<table:table-row table:number-rows-repeated=\"1048570\"/>"
	                     "<table:table-row table:number-rows-repeated=\"100\">" STR("x") "</table:table-row>"));
	r = open_ods(p, NULL);
	while (!(rc = xy_reader_next(r, &row, &e)) && row)
		n++;
	cr_assert_eq(rc, XY_ERR_FORMAT);
	cr_assert_eq(n, 6, "rows 1048571..1048576 are read, then the error");
	cr_assert_not_null(strstr(e.msg, "more than"), "%s", e.msg);
	xy_reader_free(r);
}

Test(ods, long_cell_is_a_problem_row)
{
	const char *p = tmp("long.ods");
	xy_reader *r;
	const xy_row *row;
	xy_reader_opts o = {.max_cell = 4};
	make_ods(p, TBL("L", "<table:table-row>" STR("ok") STR("abcdefgh") "</table:table-row>"
	                     "<table:table-row>" STR("a<text:s text:c=\"100000000\"/>") "</table:table-row>"
	                     "<table:table-row>" STR("fine") "</table:table-row>"));
	r = open_ods(p, &o);
	row = next_row(r);
	cr_assert_not_null(row->problem);
	cr_assert_eq(row->problem_col, 1);
	cr_assert_leq(row->lens[1], 4);
	row = next_row(r);
	cr_assert_not_null(row->problem, "spaces count toward max_cell");
	row = next_row(r);
	cr_assert_null(row->problem);
	expect_cells(row, CELLS("fine"));
	xy_reader_free(r);
}

Test(ods, doctype_and_limits_refused)
{
	const char *p = tmp("dtd.ods");
	xy_reader *r;
	const xy_row *row;
	xy_error e = XY_ERROR_INIT;
	xy_reader_opts o = {.max_unzipped = 100};
	int ze;
	zip_t *z;
	static const char mime[] = "application/vnd.oasis.opendocument.spreadsheet";
	static const char doc[] =
	    "<?xml version=\"1.0\"?><!DOCTYPE x [<!ENTITY a \"aaaaaaaaaa\">]>"
	    "<office:document-content xmlns:office=\"urn:oasis:names:tc:opendocument:xmlns:office:1.0\"/>";
	z = zip_open(p, ZIP_CREATE | ZIP_TRUNCATE, &ze);
	cr_assert_not_null(z);
	cr_assert_geq(zip_file_add(z, "mimetype", zip_source_buffer(z, mime, sizeof mime - 1, 0), 0), 0);
	cr_assert_eq(zip_set_file_compression(z, 0, ZIP_CM_STORE, 0), 0);
	cr_assert_geq(zip_file_add(z, "content.xml", zip_source_buffer(z, doc, sizeof doc - 1, 0), 0), 0);
	cr_assert_eq(zip_close(z), 0);
	r = open_ods(p, NULL);
	cr_assert_eq(xy_reader_next(r, &row, &e), XY_ERR_FORMAT);
	cr_assert_not_null(strstr(e.msg, "DOCTYPE"), "%s", e.msg);
	xy_reader_free(r);

	o.format = XY_FMT_AUTO;
	cr_assert_eq(xy_reader_open(&r, FIXTURE("shuanggongshi-2019.ods"), &o, &e), XY_ERR_LIMIT);
	cr_assert_null(r);
}

/* hidden.ods (LibreOffice, from ../xlsx/hidden.fods): the sheet 下拉选项 is
 * hidden by its table style (table:display="false"): it is named by one row
 * flagged hidden, and none of its rows (许可类别, 普通, 特许) is handed out. */
Test(ods, hidden_sheet_named_not_read)
{
	xy_reader *r = open_ods(FIXTURE("hidden.ods"), NULL);
	const xy_row *row = next_row(r);
	cr_assert(!row->hidden);
	cr_assert(row->is_header);
	cr_assert_str_eq(row->sheet, "行政许可");
	row = next_row(r);
	cr_assert(!row->hidden);
	cr_assert_str_eq(row->cells[0], "营口示例商贸有限公司");
	row = next_row(r);
	cr_assert(row->hidden);
	cr_assert(row->is_header);
	cr_assert_str_eq(row->sheet, "下拉选项");
	cr_assert_eq(row->ncells, 0);
	expect_end(r);
	xy_reader_free(r);
}
