/* XLSX reader and report writer.
 *
 * Fixtures (tests/data/xlsx/):
 *   sgs.xlsx    saved by LibreOffice from sgs.fods: sheets 行政许可 / 行政处罚 /
 *               空白, shared strings, date cells, numbers, an empty cell in
 *               the middle, an empty row, a formula string, an error cell.
 *   inline.xlsx zipped by hand from inline.src/: inline strings with rich
 *               runs and phonetic runs, cells and rows without r=, built-in
 *               and custom date formats, float noise, an absolute rel target.
 * Broken files (truncated, junk, bomb, wide rows, bad CRC) are made here.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include <criterion/criterion.h>
#include <zip.h>

#include "xinyong/buf.h"
#include "xinyong/reader.h"
#include "readtest.h"

#define FIXTURE(name) XY_TEST_DATA "/xlsx/" name

TestSuite(xlsx, .init = rt_setup, .fini = rt_teardown);

static xy_reader *open_xlsx(const char *path, xy_reader_opts *o)
{
	xy_reader *r = NULL;
	xy_error e = XY_ERROR_INIT;
	xy_reader_opts def = {.format = XY_FMT_XLSX};
	xy_code rc = xy_reader_open(&r, path, o ? o : &def, &e);
	cr_assert_eq(rc, XY_OK, "open %s: %s", path, e.msg);
	return r;
}

/* Drain the reader; return the code that ended it (err filled). */
static xy_code drain(xy_reader *r, xy_error *e, long *rows)
{
	const xy_row *row;
	xy_code rc;
	*rows = 0;
	while (!(rc = xy_reader_next(r, &row, e)) && row)
		(*rows)++;
	return rc;
}

/* ---- building workbooks at test time ---- */

static void add_owned(zip_t *z, const char *name, char *data, size_t len, bool store)
{
	zip_source_t *s = zip_source_buffer(z, data, len, 1);
	zip_int64_t idx;
	cr_assert_not_null(s);
	idx = zip_file_add(z, name, s, ZIP_FL_OVERWRITE | ZIP_FL_ENC_UTF_8);
	cr_assert_geq(idx, 0, "%s", zip_strerror(z));
	if (store)
		cr_assert_eq(zip_set_file_compression(z, (zip_uint64_t)idx, ZIP_CM_STORE, 0), 0);
}

static void add_str(zip_t *z, const char *name, const char *text, bool store)
{
	add_owned(z, name, strdup(text), strlen(text), store);
}

/* A workbook whose sheets S1..Sn hold the given sheetData contents; the
 * strings are taken over (freed by libzip). */
static void make_xlsx(const char *path, char **sheet_data, const size_t *lens, size_t n, bool store)
{
	static const char head[] =
	    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<worksheet xmlns="
	    "\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\"><sheetData>";
	static const char tail[] = "</sheetData></worksheet>";
	char wb[4096], rels[4096], name[64];
	size_t w, rl;
	int ze;
	zip_t *z = zip_open(path, ZIP_CREATE | ZIP_TRUNCATE, &ze);
	cr_assert_not_null(z);
	w = (size_t)snprintf(
	    wb, sizeof wb,
	    "<?xml version=\"1.0\"?><workbook xmlns=\"http://schemas.openxmlformats."
	    "org/spreadsheetml/2006/main\" xmlns:r=\"http://schemas.openxmlformats.org/"
	    "officeDocument/2006/relationships\"><sheets>");
	rl = (size_t)snprintf(rels, sizeof rels,
	                      "<?xml version=\"1.0\"?><Relationships xmlns=\"http://schemas."
	                      "openxmlformats.org/package/2006/relationships\">");
	for (size_t i = 0; i < n; i++) {
		size_t total = sizeof head - 1 + lens[i] + sizeof tail - 1;
		char *doc = malloc(total);
		cr_assert_not_null(doc);
		memcpy(doc, head, sizeof head - 1);
		memcpy(doc + sizeof head - 1, sheet_data[i], lens[i]);
		memcpy(doc + sizeof head - 1 + lens[i], tail, sizeof tail - 1);
		free(sheet_data[i]);
		w += (size_t)snprintf(wb + w, sizeof wb - w,
		                      "<sheet name=\"S%zu\" sheetId=\"%zu\" r:id=\"rId%zu\"/>",
		                      i + 1, i + 1, i + 1);
		rl += (size_t)snprintf(
		    rels + rl, sizeof rels - rl,
		    "<Relationship Id=\"rId%zu\" Type=\"http://schemas."
		    "openxmlformats.org/officeDocument/2006/relationships/worksheet\""
		    " Target=\"worksheets/sheet%zu.xml\"/>",
		    i + 1, i + 1);
		snprintf(name, sizeof name, "xl/worksheets/sheet%zu.xml", i + 1);
		add_owned(z, name, doc, total, store);
	}
	snprintf(wb + w, sizeof wb - w, "</sheets></workbook>");
	snprintf(rels + rl, sizeof rels - rl, "</Relationships>");
	add_str(z, "xl/workbook.xml", wb, store);
	add_str(z, "xl/_rels/workbook.xml.rels", rels, store);
	cr_assert_eq(zip_close(z), 0, "%s", zip_strerror(z));
}

static void make_xlsx1(const char *path, const char *sheet_data, bool store)
{
	char *d = strdup(sheet_data);
	size_t len = strlen(sheet_data);
	make_xlsx(path, &d, &len, 1, store);
}

/* Add xl/sharedStrings.xml (doc, taken over) to the workbook at path. */
static void add_sst(const char *path, char *doc, size_t len)
{
	int ze;
	zip_t *z = zip_open(path, 0, &ze);
	cr_assert_not_null(z);
	add_owned(z, "xl/sharedStrings.xml", doc, len, false);
	cr_assert_eq(zip_close(z), 0, "%s", zip_strerror(z));
}

static void copy_prefix(const char *from, const char *to, long n)
{
	FILE *in = fopen(from, "rb"), *out = fopen(to, "wb");
	char buf[4096];
	cr_assert(in && out);
	while (n > 0) {
		size_t k = fread(buf, 1, n < (long)sizeof buf ? (size_t)n : sizeof buf, in);
		if (!k)
			break;
		fwrite(buf, 1, k, out);
		n -= (long)k;
	}
	fclose(in);
	cr_assert_eq(fclose(out), 0);
}

static char *slurp(const char *path, long *len)
{
	FILE *f = fopen(path, "rb");
	char *p;
	cr_assert_not_null(f);
	fseek(f, 0, SEEK_END);
	*len = ftell(f);
	fseek(f, 0, SEEK_SET);
	p = malloc((size_t)*len + 1);
	cr_assert_eq(fread(p, 1, (size_t)*len, f), (size_t)*len);
	p[*len] = '\0';
	fclose(f);
	return p;
}

static void spit(const char *path, const char *p, long len)
{
	FILE *f = fopen(path, "wb");
	cr_assert_not_null(f);
	cr_assert_eq(fwrite(p, 1, (size_t)len, f), (size_t)len);
	cr_assert_eq(fclose(f), 0);
}

static char *memfind(char *hay, long n, const char *needle)
{
	size_t k = strlen(needle);
	for (long i = 0; i + (long)k <= n; i++)
		if (memcmp(hay + i, needle, k) == 0)
			return hay + i;
	return NULL;
}

/* ---- reading real LibreOffice files ---- */

Test(xlsx, shared_strings_dates_numbers_and_gaps)
{
	xy_reader *r = open_xlsx(FIXTURE("sgs.xlsx"), NULL);
	const xy_row *row;
	cr_assert_eq(xy_reader_format(r), XY_FMT_XLSX);
	cr_assert_eq(xy_reader_encoding(r), XY_ENC_UTF8);

	row = next_row(r);
	cr_assert(row->is_header);
	cr_assert_eq(row->line, 1);
	cr_assert_str_eq(row->sheet, "行政许可");
	cr_assert_null(row->problem);
	expect_cells(row, CELLS("行政相对人名称", "统一社会信用代码", "行政许可决定文书号",
	                        "许可决定日期", "许可金额", "备注"));

	row = next_row(r);
	cr_assert_not(row->is_header);
	cr_assert_eq(row->line, 2);
	expect_cells(row, CELLS("营口市示例商贸有限公司", "91210800MA0TEST01A",
	                        "营市监许〔2024〕001号", "2024-03-01", "1200.5", "首次申请"));

	/* B3 is empty: the columns after it stay in place */
	row = next_row(r);
	cr_assert_eq(row->line, 3);
	expect_cells(
	    row, CELLS("张某某", "", "营市监许〔2024〕002号", "2024-03-15", "300", "个体工商户"));

	/* row 4 is empty and skipped; a date-time cell keeps its time */
	row = next_row(r);
	cr_assert_eq(row->line, 5);
	expect_cells(row, CELLS("示例科技（营口）有限公司", "91210800MA0TEST02B",
	                        "营市监许〔2024〕003号", "2024-03-02 12:30:00", "",
	                        "营口市示例商贸有限公司"));
	cr_assert_gt(xy_reader_offset(r), 0);
	xy_reader_free(r);
}

Test(xlsx, several_sheets_each_with_its_header)
{
	xy_reader_opts o = {.format = XY_FMT_AUTO};
	xy_reader *r = open_xlsx(FIXTURE("sgs.xlsx"), &o);
	const xy_row *row;
	uint64_t off = 0;
	cr_assert_eq(xy_reader_format(r), XY_FMT_XLSX);
	for (int i = 0; i < 4; i++) {
		row = next_row(r);
		cr_assert_str_eq(row->sheet, "行政许可");
		cr_assert_eq(row->is_header, i == 0);
		cr_assert_geq(xy_reader_offset(r), off);
		off = xy_reader_offset(r);
	}
	/* second sheet: rows 1-2 empty, header on row 3 */
	row = next_row(r);
	cr_assert_str_eq(row->sheet, "行政处罚");
	cr_assert(row->is_header);
	cr_assert_eq(row->line, 3);
	cr_assert_str_eq(row->cells[2], "行政处罚决定书文号");

	row = next_row(r);
	cr_assert_not(row->is_header);
	cr_assert_eq(row->line, 4);
	expect_cells(row, CELLS("鲅鱼圈示例餐饮店", "92210804MA0TEST03C", "营市监罚〔2024〕015号",
	                        "2023-12-29", "0.25"));

	/* formula =0.1+0.2 (cached 0.3), boolean TRUE stored as 1, leap day */
	row = next_row(r);
	cr_assert_eq(row->line, 5);
	expect_cells(row, CELLS("营口富文本示例有限公司", "91210800MA0TEST04D",
	                        "营市监罚〔2024〕016号", "2024-02-29", "0.3", "1"));

	/* t="str" formula string and t="e" error */
	row = next_row(r);
	cr_assert_eq(row->line, 6);
	expect_cells(row, CELLS("示例公司", "", "", "", "#DIV/0!"));

	/* third sheet 空白 has no cells: end of the workbook */
	expect_end(r);
	expect_end(r);
	xy_reader_free(r);
}

/* ---- the hand-made file: inline strings, no r= ---- */

Test(xlsx, inline_strings_and_cells_without_refs)
{
	xy_reader *r = open_xlsx(FIXTURE("inline.xlsx"), NULL);
	const xy_row *row = next_row(r);
	cr_assert(row->is_header);
	cr_assert_str_eq(row->sheet, "手工");
	cr_assert_eq(row->line, 1);
	expect_cells(row, CELLS("行政相对人名称", "统一社会信用代码", "许可决定日期", "金额"));

	/* rich runs joined, phonetic run left out; built-in date format 14;
	 * 0.30000000000000004 is float noise */
	row = next_row(r);
	cr_assert_eq(row->line, 2);
	cr_assert_not(row->is_header);
	expect_cells(row, CELLS("营口示例 有限公司", "91210800MA0TEST05E", "2024-03-01", "0.3"));

	/* r="D7" after A7: B and C are filled with "" */
	row = next_row(r);
	cr_assert_eq(row->line, 7);
	expect_cells(row, CELLS("示例个体户", "", "", "0.01"));

	/* boolean -> "1", a time-only custom format, a long integer kept as is */
	row = next_row(r);
	cr_assert_eq(row->line, 8);
	expect_cells(row, CELLS("", "1", "12:00:00", "123456789012345678"));

	/* row 9 has only empty cells: skipped */
	expect_end(r);
	xy_reader_free(r);
}

/* ---- report writer round trip ---- */

static xy_row mkrow(long line, const char *sheet, const char *const *cells, size_t n, size_t *lens)
{
	xy_row row = {.line = line,
	              .sheet = sheet,
	              .ncells = n,
	              .cells = cells,
	              .lens = lens,
	              .problem_col = -1};
	for (size_t i = 0; i < n; i++)
		lens[i] = strlen(cells[i]);
	return row;
}

static bool zip_entry_has(const char *path, const char *entry, const char *needle)
{
	int ze;
	zip_t *z = zip_open(path, ZIP_RDONLY, &ze);
	zip_stat_t st;
	zip_file_t *f;
	char *buf;
	bool found;
	cr_assert_not_null(z);
	cr_assert_eq(zip_stat(z, entry, 0, &st), 0, "%s has no %s", path, entry);
	buf = calloc(1, st.size + 1);
	f = zip_fopen(z, entry, 0);
	cr_assert_not_null(f);
	cr_assert_eq(zip_fread(f, buf, st.size), (zip_int64_t)st.size);
	zip_fclose(f);
	zip_discard(z);
	found = strstr(buf, needle) != NULL;
	free(buf);
	return found;
}

Test(xlsx, writer_round_trip)
{
	const char *out = tmp("report.xlsx");
	xy_writer *w = NULL;
	xy_error e = XY_ERROR_INIT;
	xy_reader *r;
	const xy_row *row;
	size_t lens[8];
	const char *hdr1[] = {"行政相对人名称", "统一社会信用代码", "许可决定日期", "错误原因"};
	const char *hdr2[] = {"行政相对人名称", "罚款金额（万元）"};
	const char *c1[] = {"营口市示例商贸有限公司", "0012345", "45352", "旧的原因"};
	const char *c2[] = {"=1+1", "", "2024-03-01", ""};
	const char *c3[] = {"鲅鱼圈示例餐饮店", "1.50"};
	xy_row row1 = mkrow(2, "行政许可", c1, 4, lens);

	cr_assert_eq(xy_writer_open(&w, out, XY_FMT_XLSX, XY_ENC_UTF8, &e), XY_OK, "%s", e.msg);
	cr_assert_eq(xy_writer_header(w, 4, hdr1, &e), XY_OK, "%s", e.msg);
	cr_assert_eq(xy_writer_row(w, &row1, "统一社会信用代码", "统一社会信用代码应为18位",
	                           "uscc must have 18 characters", &e),
	             XY_OK, "%s", e.msg);
	row1 = mkrow(3, "行政许可", c2, 4, lens);
	cr_assert_eq(xy_writer_row(w, &row1, "行政相对人名称", "名称不能为空", "name is empty", &e),
	             XY_OK, "%s", e.msg);
	cr_assert_eq(xy_writer_header(w, 2, hdr2, &e), XY_OK, "%s", e.msg);
	row1 = mkrow(4, "行政处罚", c3, 2, lens);
	cr_assert_eq(xy_writer_row(w, &row1, NULL, "日期缺失", "date missing", &e), XY_OK, "%s",
	             e.msg);
	cr_assert_eq(xy_writer_close(w, &e), XY_OK, "%s", e.msg);

	r = open_xlsx(out, &(xy_reader_opts){.format = XY_FMT_AUTO});
	row = next_row(r);
	cr_assert(row->is_header);
	cr_assert_str_eq(row->sheet, "错误");
	cr_assert_eq(row->line, 1);
	/* the report column sent back (错误原因) is replaced by fresh ones */
	expect_cells(row, CELLS("行政相对人名称", "统一社会信用代码", "许可决定日期", "错误行号",
	                        "错误字段", "错误原因", "error"));
	row = next_row(r);
	cr_assert_eq(row->line, 2);
	expect_cells(row, CELLS("营口市示例商贸有限公司", "0012345", "45352", "行政许可!2",
	                        "统一社会信用代码", "统一社会信用代码应为18位",
	                        "uscc must have 18 characters"));
	row = next_row(r);
	cr_assert_eq(row->line, 3);
	expect_cells(row, CELLS("=1+1", "", "2024-03-01", "行政许可!3", "行政相对人名称",
	                        "名称不能为空", "name is empty"));
	/* a blank row, then the second header (an ordinary row to the reader) */
	row = next_row(r);
	cr_assert_eq(row->line, 5);
	cr_assert_not(row->is_header);
	expect_cells(row, CELLS("行政相对人名称", "罚款金额（万元）", "错误行号", "错误字段",
	                        "错误原因", "error"));
	row = next_row(r);
	cr_assert_eq(row->line, 6);
	expect_cells(
	    row, CELLS("鲅鱼圈示例餐饮店", "1.50", "行政处罚!4", "", "日期缺失", "date missing"));
	expect_end(r);
	xy_reader_free(r);

	/* frozen top row, column widths, bold header */
	cr_assert(zip_entry_has(out, "xl/worksheets/sheet1.xml", "state=\"frozen\""));
	cr_assert(zip_entry_has(out, "xl/worksheets/sheet1.xml", "<col "));
	cr_assert(zip_entry_has(out, "xl/styles.xml", "<b/>"));
}

Test(xlsx, writer_reports_io_errors)
{
	xy_writer *w = NULL;
	xy_error e = XY_ERROR_INIT;
	const char *dir = tmp("gone");
	char path[512];
	const char *hdr[] = {"行政相对人名称"};

	cr_assert_eq(xy_writer_open(&w, tmp("no/such/dir/r.xlsx"), XY_FMT_XLSX, XY_ENC_UTF8, &e),
	             XY_ERR_IO);
	cr_assert_null(w);
	cr_assert(strstr(e.file, "r.xlsx"));

	/* the directory disappears before the workbook is written */
	cr_assert_eq(mkdir(dir, 0700), 0);
	snprintf(path, sizeof path, "%s/r.xlsx", dir);
	cr_assert_eq(xy_writer_open(&w, path, XY_FMT_XLSX, XY_ENC_UTF8, &e), XY_OK, "%s", e.msg);
	cr_assert_eq(xy_writer_header(w, 1, hdr, &e), XY_OK);
	cr_assert_eq(unlink(path), 0);
	cr_assert_eq(rmdir(dir), 0);
	e = (xy_error)XY_ERROR_INIT;
	cr_assert_eq(xy_writer_close(w, &e), XY_ERR_IO);
	cr_assert_str_eq(e.file, path);
}

/* ---- broken files ---- */

Test(xlsx, truncated_zip)
{
	const char *path = tmp("cut.xlsx");
	xy_reader *r = NULL;
	xy_error e = XY_ERROR_INIT;
	copy_prefix(FIXTURE("sgs.xlsx"), path, 3000);
	cr_assert_eq(xy_reader_open(&r, path, &(xy_reader_opts){.format = XY_FMT_XLSX}, &e),
	             XY_ERR_FORMAT);
	cr_assert_null(r);
	cr_assert_str_eq(e.file, path);
	cr_assert(strstr(e.msg, "truncated or damaged zip"), "%s", e.msg);
}

/* Every prefix of both fixtures fails cleanly, at open or while reading. */
Test(xlsx, every_truncation_fails_cleanly)
{
	const char *fx[] = {FIXTURE("sgs.xlsx"), FIXTURE("inline.xlsx")};
	const char *path = tmp("cut.xlsx");
	for (size_t k = 0; k < 2; k++) {
		long len;
		char *all = slurp(fx[k], &len);
		for (long n = 0; n < len; n += 97) {
			xy_reader *r = NULL;
			xy_error e = XY_ERROR_INIT;
			xy_code rc;
			long rows;
			spit(path, all, n);
			rc = xy_reader_open(&r, path, &(xy_reader_opts){.format = XY_FMT_XLSX}, &e);
			if (rc == XY_OK) {
				rc = drain(r, &e, &rows);
				xy_reader_free(r);
			}
			cr_assert_eq(rc, XY_ERR_FORMAT, "%s cut at %ld: %s (%s)", fx[k], n,
			             xy_code_name(rc), e.msg);
			cr_assert_str_eq(e.file, path);
		}
		free(all);
	}
}

Test(xlsx, junk_is_not_a_workbook)
{
	const char *path = tmp("junk.xlsx");
	xy_reader *r = NULL;
	xy_error e = XY_ERROR_INIT;
	spit(path, "行政相对人名称,统一社会信用代码\n这不是 xlsx,123\n", 60);
	cr_assert_eq(xy_reader_open(&r, path, &(xy_reader_opts){.format = XY_FMT_XLSX}, &e),
	             XY_ERR_FORMAT);
	cr_assert_null(r);
	cr_assert(strstr(e.msg, "not an XLSX file"), "%s", e.msg);
	cr_assert_str_eq(e.file, path);
	/* err may be NULL */
	cr_assert_eq(xy_reader_open(&r, path, &(xy_reader_opts){.format = XY_FMT_XLSX}, NULL),
	             XY_ERR_FORMAT);
	/* a missing file is an I/O error */
	cr_assert_eq(
	    xy_reader_open(&r, tmp("none.xlsx"), &(xy_reader_opts){.format = XY_FMT_XLSX}, &e),
	    XY_ERR_IO);
}

Test(xlsx, zip_without_workbook)
{
	const char *path = tmp("nowb.xlsx");
	xy_reader *r = NULL;
	xy_error e = XY_ERROR_INIT;
	int ze;
	zip_t *z = zip_open(path, ZIP_CREATE | ZIP_TRUNCATE, &ze);
	add_str(z, "word/document.xml", "<w:document/>", false);
	cr_assert_eq(zip_close(z), 0);
	cr_assert_eq(xy_reader_open(&r, path, NULL, &e), XY_ERR_FORMAT);
	cr_assert_null(r);
	cr_assert(strstr(e.msg, "not an XLSX workbook: xl/workbook.xml missing"), "%s", e.msg);
}

Test(xlsx, malformed_xml_mid_sheet)
{
	const char *path = tmp("bad.xlsx");
	char *sheets[2];
	size_t lens[2], rows = 0;
	xy_reader *r;
	xy_error e = XY_ERROR_INIT;
	const xy_row *row;
	xy_code rc;
	xy_buf b = XY_BUF_INIT;
	sheets[0] =
	    strdup("<row r=\"1\"><c t=\"inlineStr\"><is><t>行政相对人名称</t></is></c></row>");
	/* the sheet body starts on line 2; 1 + 300 good rows, then a bad one */
	cr_assert_eq(
	    xy_buf_addstr(&b, "<row r=\"1\"><c t=\"inlineStr\"><is><t>名称</t></is></c></row>\n"),
	    XY_OK);
	for (int i = 2; i <= 301; i++)
		cr_assert_eq(
		    xy_buf_addf(
		        &b, "<row r=\"%d\"><c t=\"inlineStr\"><is><t>示例%d</t></is></c></row>\n",
		        i, i),
		    XY_OK);
	cr_assert_eq(
	    xy_buf_addstr(&b, "<row r=\"302\"><c t=\"inlineStr\"><is><t>坏的</is></c></row>\n"),
	    XY_OK);
	sheets[1] = xy_buf_detach(&b, &lens[1]);
	lens[0] = strlen(sheets[0]);
	make_xlsx(path, sheets, lens, 2, false);
	r = open_xlsx(path, NULL);
	row = next_row(r);
	cr_assert_str_eq(row->sheet, "S1");
	row = next_row(r);
	cr_assert_str_eq(row->sheet, "S2");
	cr_assert(row->is_header);
	/* rows parsed before the damage come out (those in the same parse chunk
	 * as the damage may not); then the error */
	while ((rc = xy_reader_next(r, &row, &e)) == XY_OK && row) {
		cr_assert_eq(row->line, (long)rows + 2);
		rows++;
	}
	cr_assert_eq(rc, XY_ERR_FORMAT);
	cr_assert_gt(rows, 100);
	cr_assert_null(row);
	cr_assert_str_eq(e.file, path);
	cr_assert(strstr(e.msg, "malformed XML in xl/worksheets/sheet2.xml line 303: "), "%s",
	          e.msg);
	/* the reader stays failed */
	cr_assert_neq(xy_reader_next(r, &row, &e), XY_OK);
	xy_reader_free(r);
}

Test(xlsx, doctype_and_entities_refused)
{
	const char *path = tmp("dtd.xlsx");
	xy_reader *r;
	xy_error e = XY_ERROR_INIT;
	long rows;
	int ze;
	zip_t *z = zip_open(path, ZIP_CREATE | ZIP_TRUNCATE, &ze);
	add_str(z, "xl/workbook.xml",
	        "<?xml version=\"1.0\"?><!DOCTYPE lol [<!ENTITY a \"aaaaaaaaaa\">"
	        "<!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\"><!ENTITY c "
	        "\"&b;&b;&b;&b;&b;&b;&b;&b;\">]>"
	        "<workbook xmlns:r=\"urn:r\"><sheets><sheet name=\"&c;\" "
	        "r:id=\"rId1\"/></sheets></workbook>",
	        false);
	cr_assert_eq(zip_close(z), 0);
	cr_assert_eq(xy_reader_open(&r, path, NULL, &e), XY_ERR_FORMAT);
	cr_assert(strstr(e.msg, "DOCTYPE"), "%s", e.msg);

	make_xlsx1(path, "<row><c t=\"inlineStr\"><is><t>&xxe;</t></is></c></row>", false);
	r = open_xlsx(path, NULL);
	cr_assert_eq(drain(r, &e, &rows), XY_ERR_FORMAT);
	cr_assert(strstr(e.msg, "malformed XML in xl/worksheets/sheet1.xml"), "%s", e.msg);
	xy_reader_free(r);
}

Test(xlsx, crc_error)
{
	const char *path = tmp("crc.xlsx");
	xy_reader *r;
	xy_error e = XY_ERROR_INIT;
	long len, rows;
	char *all, *p;
	make_xlsx1(path, "<row><c t=\"inlineStr\"><is><t>MARKER-A</t></is></c></row>", true);
	all = slurp(path, &len);
	p = memfind(all, len, "MARKER-A");
	cr_assert_not_null(p);
	p[7] = 'B'; /* still well-formed XML; only the CRC tells */
	spit(path, all, len);
	free(all);
	r = open_xlsx(path, NULL);
	cr_assert_eq(drain(r, &e, &rows), XY_ERR_FORMAT);
	cr_assert(strstr(e.msg, "xl/worksheets/sheet1.xml"), "%s", e.msg);
	cr_assert(strstr(e.msg, "CRC"), "%s", e.msg);
	xy_reader_free(r);
}

/* ---- limits ---- */

static char *repeat(const char *unit, size_t times, size_t *len)
{
	size_t k = strlen(unit);
	char *p = malloc(k * times + 1);
	cr_assert_not_null(p);
	for (size_t i = 0; i < times; i++)
		memcpy(p + i * k, unit, k);
	p[k * times] = '\0';
	*len = k * times;
	return p;
}

/* ~32 MB of cells that deflate to ~100 KB. */
static void make_bomb(const char *path)
{
	size_t len;
	char *d = repeat("<row><c><v>1</v></c><c><v>1</v></c><c><v>1</v></c><c><v>1</v></c></row>",
	                 450000, &len);
	make_xlsx(path, &d, &len, 1, false);
}

Test(xlsx, zip_bomb_refused_by_declared_size)
{
	const char *path = tmp("bomb.xlsx");
	xy_reader *r = NULL;
	xy_error e = XY_ERROR_INIT;
	struct stat st;
	make_bomb(path);
	cr_assert_eq(stat(path, &st), 0);
	cr_assert_lt(st.st_size, 1 << 20);
	cr_assert_eq(xy_reader_open(&r, path, &(xy_reader_opts){.max_unzipped = 1 << 20}, &e),
	             XY_ERR_LIMIT);
	cr_assert_null(r);
	cr_assert(strstr(e.msg, "xlsx expands past the limit of 1048576 bytes (zip bomb?)"), "%s",
	          e.msg);
	cr_assert_str_eq(e.file, path);
}

/* Patch one little-endian 32-bit field. */
static void put32(char *p, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		p[i] = (char)(v >> (8 * i));
}

/* Patch the declared uncompressed size of entry `name` in its local header
 * and the central directory. */
static void patch_size(const char *path, const char *name, uint32_t size)
{
	long len;
	char *all = slurp(path, &len), *p;
	size_t k = strlen(name);
	int patched = 0;
	for (p = all; (p = memfind(p, len - (p - all), "PK")); p += 2) {
		if (p[2] == 3 && p[3] == 4 && memcmp(p + 30, name, k) == 0) {
			put32(p + 22, size); /* local header: uncompressed size */
			patched++;
		} else if (p[2] == 1 && p[3] == 2 && memcmp(p + 46, name, k) == 0) {
			put32(p + 24, size); /* central directory */
			patched++;
		}
	}
	cr_assert_eq(patched, 2);
	spit(path, all, len);
	free(all);
}

/* The zip lies about the sheet's size: what inflates must be what is
 * declared, so the bomb is refused long before the limit. */
Test(xlsx, zip_bomb_with_lying_sizes)
{
	const char *path = tmp("liar.xlsx");
	xy_reader *r = NULL;
	xy_error e = XY_ERROR_INIT;
	long rows;
	make_bomb(path);
	patch_size(path, "xl/worksheets/sheet1.xml", 1000);
	if (xy_reader_open(&r, path, &(xy_reader_opts){.max_unzipped = 1 << 20}, &e) == XY_OK) {
		cr_assert_eq(drain(r, &e, &rows), XY_ERR_FORMAT, "%s", e.msg);
		xy_reader_free(r);
	}
	cr_assert_eq(e.code, XY_ERR_FORMAT, "%s: %s", xy_code_name(e.code), e.msg);
	cr_assert(strstr(e.msg, "zip entry xl/worksheets/sheet1.xml declares 1000 bytes but holds "
	                        "more than 1000"),
	          "%s", e.msg);
}

/* An entry declaring more than it holds is refused too. */
Test(xlsx, zip_entry_shorter_than_declared)
{
	const char *path = tmp("short.xlsx");
	const char *sheet = "<row><c t=\"inlineStr\"><is><t>a</t></is></c></row>";
	xy_reader *r = NULL;
	xy_error e = XY_ERROR_INIT;
	long rows;
	zip_t *z;
	zip_stat_t st;
	uint32_t real;
	int ze;
	char want[160];
	make_xlsx1(path, sheet, false);
	z = zip_open(path, ZIP_RDONLY, &ze);
	cr_assert_not_null(z);
	cr_assert_eq(zip_stat(z, "xl/worksheets/sheet1.xml", 0, &st), 0);
	real = (uint32_t)st.size;
	zip_discard(z);
	patch_size(path, "xl/worksheets/sheet1.xml", real + 100);
	if (xy_reader_open(&r, path, NULL, &e) == XY_OK) {
		cr_assert_neq(drain(r, &e, &rows), XY_OK);
		xy_reader_free(r);
	}
	cr_assert_eq(e.code, XY_ERR_FORMAT, "%s: %s", xy_code_name(e.code), e.msg);
	snprintf(want, sizeof want,
	         "zip entry xl/worksheets/sheet1.xml declares %u bytes but holds %u", real + 100,
	         real);
	cr_assert(strstr(e.msg, want), "%s", e.msg);
}

Test(xlsx, ten_thousand_columns)
{
	const char *path = tmp("wide.xlsx");
	size_t len;
	char *wide = repeat("<c t=\"inlineStr\"><is><t>列</t></is></c>", 10000, &len);
	const char *tail = "</row><row><c><v>2</v></c><c r=\"XFD2\"><v>3</v></c></row>"
	                   "<row><c><v>4</v></c><c r=\"AMJ4\" s=\"0\"/></row>"
	                   "<row><c><v>5</v></c></row>";
	size_t tl = strlen(tail);
	char *d = malloc(len + tl + 16);
	xy_reader *r;
	const xy_row *row;
	memcpy(d, "<row>", 5);
	memcpy(d + 5, wide, len);
	memcpy(d + 5 + len, tail, tl + 1);
	len += 5 + tl;
	free(wide);
	make_xlsx(path, &d, &len, 1, false);

	r = open_xlsx(path, NULL);
	row = next_row(r);
	cr_assert(row->is_header);
	cr_assert_str_eq(row->problem, "too many columns (10000 > 1024)");
	cr_assert_str_eq(row->problem_zh, "列数过多（10000 > 1024）");
	cr_assert_eq(row->ncells, 1024);
	cr_assert_str_eq(row->cells[1023], "列");

	/* one cell far away at XFD: no 16384-cell row is built */
	row = next_row(r);
	cr_assert_str_eq(row->problem, "too many columns (16384 > 1024)");
	cr_assert_eq(row->ncells, 1);
	cr_assert_str_eq(row->cells[0], "2");

	/* an empty styled cell far away is not a column */
	row = next_row(r);
	cr_assert_null(row->problem);
	cr_assert_eq(row->ncells, 1);

	row = next_row(r);
	cr_assert_null(row->problem);
	cr_assert_str_eq(row->cells[0], "5");
	expect_end(r);
	xy_reader_free(r);
}

Test(xlsx, cell_over_max_cell)
{
	xy_reader_opts o = {.format = XY_FMT_XLSX, .max_cell = 20};
	xy_reader *r = open_xlsx(FIXTURE("sgs.xlsx"), &o);
	const xy_row *row = next_row(r);
	/* 行政相对人名称 is 21 bytes: cut to 6 whole characters */
	cr_assert_str_eq(row->problem, "cell longer than 20 bytes");
	cr_assert_str_eq(row->problem_zh, "单元格超过 20 字节");
	cr_assert_eq(row->problem_col, 0);
	cr_assert_str_eq(row->cells[0], "行政相对人名");
	cr_assert_eq(row->lens[0], 18);
	cr_assert_eq(row->ncells, 6);
	cr_assert_str_eq(row->cells[5], "备注");
	row = next_row(r);
	cr_assert_eq(row->problem_col, 0);
	cr_assert_str_eq(row->cells[2], "营市监许〔2024"); /* 〕 would make 22 bytes */
	xy_reader_free(r);
}

Test(xlsx, inline_cell_over_max_cell)
{
	const char *path = tmp("long.xlsx");
	size_t len;
	char *text = repeat("信用", 5000, &len); /* 30000 bytes */
	size_t cap = len + 200;
	char *d = malloc(cap);
	xy_reader *r;
	const xy_row *row;
	len = (size_t)snprintf(d, cap,
	                       "<row><c><v>1</v></c><c t=\"inlineStr\"><is><t>%s</t></is></c></row>"
	                       "<row><c><v>2</v></c></row>",
	                       text);
	free(text);
	make_xlsx(path, &d, &len, 1, false);
	r = open_xlsx(path, &(xy_reader_opts){.format = XY_FMT_XLSX, .max_cell = 1000});
	row = next_row(r);
	cr_assert_str_eq(row->problem, "cell longer than 1000 bytes");
	cr_assert_eq(row->problem_col, 1);
	cr_assert_eq(row->lens[1], 999); /* 333 characters of 3 bytes */
	row = next_row(r);
	cr_assert_null(row->problem);
	cr_assert_eq(row->problem_col, -1);
	xy_reader_free(r);
}

/* hidden.xlsx (LibreOffice, from hidden.fods): a visible data sheet and a
 * hidden sheet of drop-down values, as unit templates have.  Only the visible
 * sheet is data; the hidden one is named by one row flagged hidden. */
Test(xlsx, hidden_sheets_are_skipped)
{
	xy_reader *r = open_xlsx(FIXTURE("hidden.xlsx"), NULL);
	const xy_row *row = next_row(r);
	cr_assert(!row->hidden);
	cr_assert(row->is_header);
	cr_assert_str_eq(row->sheet, "行政许可");
	row = next_row(r);
	cr_assert(!row->is_header);
	cr_assert_str_eq(row->cells[0], "营口示例商贸有限公司");
	row = next_row(r);
	cr_assert(row->hidden);
	cr_assert(row->is_header);
	cr_assert_str_eq(row->sheet, "下拉选项");
	cr_assert_eq(row->ncells, 0);
	cr_assert_eq(row->line, 0);
	expect_end(r);
	xy_reader_free(r);
}

/* <row r="9223372036854775807">: a format error naming the sheet, never an
 * overflow (UBSan in row_begin) or a row shown as row 1. */
Test(xlsx, absurd_row_number_is_a_format_error)
{
	xy_reader *r = open_xlsx(FIXTURE("row-overflow.xlsx"), NULL);
	const xy_row *row;
	xy_error err = XY_ERROR_INIT;
	xy_code rc;
	long last = 0;
	while ((rc = xy_reader_next(r, &row, &err)) == XY_OK && row)
		last = row->line;
	cr_expect_eq(rc, XY_ERR_FORMAT);
	cr_expect_eq(last, 7, "rows before the bad one are handed out");
	cr_expect(strstr(err.msg, "absurd row number") != NULL, "%s", err.msg);
	cr_expect(strstr(err.msg, "手工") != NULL, "%s", err.msg);
	xy_reader_free(r);
}

/* A row whose every cell names a shared string that does not exist (here the
 * workbook has no sharedStrings part at all) is handed out as a row with a
 * problem, never dropped: the importer rejects it and the unit sees it. */
Test(xlsx, row_of_missing_shared_strings_is_a_problem_row)
{
	char path[1024];
	xy_reader *r;
	const xy_row *row;
	xy_error err = XY_ERROR_INIT;
	int rows = 0, problems = 0;
	snprintf(path, sizeof path, "%s/missing-sst.xlsx", rt_dir);
	make_xlsx1(path,
		   "<row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>名称</t></is></c></row>"
		   "<row r=\"2\"><c r=\"A2\" t=\"s\"><v>7</v></c><c r=\"B2\" t=\"s\"><v>8</v></c></row>"
		   "<row r=\"3\"><c r=\"A3\" t=\"inlineStr\"><is><t>甲</t></is></c></row>",
		   false);
	r = open_xlsx(path, NULL);
	while (xy_reader_next(r, &row, &err) == XY_OK && row) {
		rows++;
		if (row->problem) {
			problems++;
			cr_expect_eq(row->line, 2);
			cr_expect(strstr(row->problem, "shared string") != NULL, "%s", row->problem);
		}
	}
	cr_expect_eq(rows, 3, "the header, the broken row and the good one");
	cr_expect_eq(problems, 1);
	xy_reader_free(r);
}

/* Shared strings beyond opts.sst_budget go to a temporary file: a cell
 * naming one of those gets its text back, as one in memory does. */
Test(xlsx, shared_strings_spilled_past_budget)
{
	const char *path = tmp("spill.xlsx");
	const char *sheet = "<row><c t=\"s\"><v>0</v></c><c t=\"s\"><v>999</v></c></row>"
	                    "<row><c t=\"s\"><v>5</v></c><c t=\"s\"><v>500</v></c></row>"
	                    "<row><c t=\"s\"><v>1000</v></c><c t=\"s\"><v>998</v></c></row>";
	xy_buf b;
	char *doc, want[200];
	size_t len;
	xy_reader *r;
	const xy_row *row;
	const long ids[][2] = {{0, 999}, {5, 500}, {-1, 998}};
	make_xlsx1(path, sheet, false);
	xy_buf_init(&b, 0);
	cr_assert_eq(xy_buf_addstr(&b, "<?xml version=\"1.0\"?><sst xmlns=\"http://schemas."
	                               "openxmlformats.org/spreadsheetml/2006/main\">"),
	             XY_OK);
	/* 1000 strings of ~110 bytes: 110 KB, far past a 4 KB budget */
	for (int i = 0; i < 1000; i++)
		cr_assert_eq(xy_buf_addf(&b,
		                         "<si><t>串%04d-%0100d</t><rPh><t>ヨミ</t></rPh></si>", i,
		                         i),
		             XY_OK);
	cr_assert_eq(xy_buf_addstr(&b, "</sst>"), XY_OK);
	doc = xy_buf_detach(&b, &len);
	add_sst(path, doc, len);

	r = open_xlsx(path, &(xy_reader_opts){.sst_budget = 4096});
	for (size_t k = 0; k < 3; k++) {
		row = next_row(r);
		cr_assert_eq(row->ncells, 2);
		for (int c = 0; c < 2; c++) {
			if (ids[k][c] < 0) {
				cr_assert_str_eq(row->cells[c], "");
				cr_assert_str_eq(row->problem, "shared string index out of range");
				continue;
			}
			snprintf(want, sizeof want, "串%04ld-%0100ld", ids[k][c], ids[k][c]);
			cr_assert_str_eq(row->cells[c], want);
			cr_assert_eq(row->lens[c], strlen(want));
		}
	}
	expect_end(r);
	xy_reader_free(r);
}

/* The shared strings are parsed by SAX callbacks fed 64 KiB at a time: a
 * string spread over many pieces (and over libxml2's 300-byte character
 * runs) comes back whole, with entities, character references, CDATA, rich
 * runs and kept spaces, and without its phonetic runs. */
Test(xlsx, long_shared_string_across_chunks)
{
	const char *path = tmp("longsst.xlsx");
	xy_buf b, want;
	char *doc;
	size_t len;
	xy_reader *r;
	const xy_row *row;
	make_xlsx1(path, "<row><c t=\"s\"><v>1</v></c><c t=\"s\"><v>0</v></c></row>", false);
	xy_buf_init(&b, 0);
	xy_buf_init(&want, 0);
	cr_assert_eq(xy_buf_addstr(&b, "<?xml version=\"1.0\"?><sst xmlns=\"http://schemas."
	                               "openxmlformats.org/spreadsheetml/2006/main\">"
	                               "<si><t xml:space=\"preserve\">  </t></si><si><r><t>"),
	             XY_OK);
	for (int i = 0; i < 20000; i++) { /* 20000 x 15 bytes: 300 KB, five chunks */
		cr_assert_eq(xy_buf_addf(&b, "信用%05d&amp;&#x4E2D;", i), XY_OK);
		cr_assert_eq(xy_buf_addf(&want, "信用%05d&中", i), XY_OK);
	}
	cr_assert_eq(xy_buf_addstr(&b, "</t></r><rPh sb=\"0\" eb=\"1\"><t>シン</t></rPh>"
	                               "<r><t><![CDATA[<末>]]></t></r></si></sst>"),
	             XY_OK);
	cr_assert_eq(xy_buf_addstr(&want, "<末>"), XY_OK);
	doc = xy_buf_detach(&b, &len);
	add_sst(path, doc, len);

	r = open_xlsx(path, NULL);
	row = next_row(r);
	cr_assert_null(row->problem, "%s", row->problem);
	cr_assert_eq(row->ncells, 2);
	cr_assert_eq(row->lens[0], want.len);
	cr_assert(memcmp(row->cells[0], want.data, want.len) == 0);
	cr_assert_str_eq(row->cells[1], "  ");
	expect_end(r);
	xy_reader_free(r);

	/* over max_cell: the row names the limit, the text is cut whole characters */
	r = open_xlsx(path, &(xy_reader_opts){.format = XY_FMT_XLSX, .max_cell = 100000});
	row = next_row(r);
	cr_assert_str_eq(row->problem, "cell longer than 100000 bytes");
	cr_assert_eq(row->problem_col, 0);
	cr_assert_leq(row->lens[0], 100000);
	cr_assert(memcmp(row->cells[0], want.data, row->lens[0]) == 0);
	cr_assert_gt(row->lens[0], 99996);
	xy_reader_free(r);
	xy_buf_release(&want);
}

/* The SAX parse of the shared strings keeps the XML hardening of the rest:
 * a DOCTYPE is refused, an undeclared entity or broken XML is a format error
 * naming the part, and a truncated part is no table. */
Test(xlsx, shared_strings_bad_xml_refused)
{
	static const char *const bad[][2] = {
	    {"<?xml version=\"1.0\"?><!DOCTYPE sst [<!ENTITY a \"aaaa\">]><sst><si><t>&a;</t>"
	     "</si></sst>", "DOCTYPE"},
	    {"<?xml version=\"1.0\"?><sst><si><t>&xxe;</t></si></sst>",
	     "malformed XML in xl/sharedStrings.xml"},
	    {"<?xml version=\"1.0\"?><sst><si><t>a</x></si></sst>",
	     "malformed XML in xl/sharedStrings.xml line 1"},
	    {"<?xml version=\"1.0\"?><sst><si><t>never closed", "malformed XML in xl/sharedStrings.xml"},
	};
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		const char *path = tmp("badsst.xlsx");
		xy_reader *r = NULL;
		xy_error e = XY_ERROR_INIT;
		make_xlsx1(path, "<row><c t=\"s\"><v>0</v></c></row>", false);
		add_sst(path, strdup(bad[i][0]), strlen(bad[i][0]));
		cr_assert_eq(xy_reader_open(&r, path, NULL, &e), XY_ERR_FORMAT, "case %zu", i);
		cr_assert_null(r);
		cr_assert(strstr(e.msg, bad[i][1]), "case %zu: %s", i, e.msg);
	}
}
