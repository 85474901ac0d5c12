/* JSON reader and writer (lib/ingest/json.c). */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "xinyong/reader.h"

#define DATA(name) XY_TEST_DATA "/json/" name

typedef struct trow {
	long line;
	bool is_header;
	size_t ncells;
	char **cells;
	char *problem, *problem_zh;
	long problem_col;
} trow;

typedef struct tfile {
	xy_code open_rc, next_rc;
	xy_error err;
	size_t nrows, cap;
	trow *rows;
} tfile;

static char *dup_n(const char *s, size_t n)
{
	char *p = malloc(n + 1);
	cr_assert_not_null(p);
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

static tfile read_with(const char *path, const xy_reader_opts *opts)
{
	tfile t = {0};
	xy_reader *r = NULL;
	const xy_row *row;

	t.open_rc = xy_reader_open(&r, path, opts, &t.err);
	if (t.open_rc) {
		cr_assert_null(r);
		return t;
	}
	cr_assert_eq(xy_reader_format(r), XY_FMT_JSON);
	cr_assert_eq(xy_reader_encoding(r), XY_ENC_UTF8);
	while ((t.next_rc = xy_reader_next(r, &row, &t.err)) == XY_OK && row) {
		trow *tr;
		if (t.nrows == t.cap) {
			t.cap = t.cap ? t.cap * 2 : 16;
			t.rows = realloc(t.rows, t.cap * sizeof *t.rows);
			cr_assert_not_null(t.rows);
		}
		tr = &t.rows[t.nrows++];
		tr->line = row->line;
		tr->is_header = row->is_header;
		tr->ncells = row->ncells;
		tr->cells = calloc(row->ncells + 1, sizeof *tr->cells);
		for (size_t i = 0; i < row->ncells; i++) {
			cr_assert_not_null(row->cells[i]);
			cr_assert_eq(strlen(row->cells[i]), row->lens[i]);
			tr->cells[i] = dup_n(row->cells[i], row->lens[i]);
		}
		tr->problem = row->problem ? dup_n(row->problem, strlen(row->problem)) : NULL;
		tr->problem_zh =
		    row->problem_zh ? dup_n(row->problem_zh, strlen(row->problem_zh)) : NULL;
		tr->problem_col = row->problem_col;
	}
	xy_reader_free(r);
	return t;
}

static tfile read_file(const char *path)
{
	return read_with(path, NULL);
}

static void tfile_free(tfile *t)
{
	for (size_t i = 0; i < t->nrows; i++) {
		for (size_t j = 0; j < t->rows[i].ncells; j++)
			free(t->rows[i].cells[j]);
		free(t->rows[i].cells);
		free(t->rows[i].problem);
		free(t->rows[i].problem_zh);
	}
	free(t->rows);
}

static void expect_cells(const trow *r, const char *const *want, size_t n)
{
	cr_assert_eq(r->ncells, n, "line %ld: %zu cells, want %zu", r->line, r->ncells, n);
	for (size_t i = 0; i < n; i++)
		cr_expect_str_eq(r->cells[i], want[i], "line %ld col %zu", r->line, i);
}

static const char *const keys[] = {"CF_XDR_MC", "CF_XDR_SHXYM", "CF_WSH", "CF_FK", "CF_SFGS"};
static const char *const obj1[] = {"营口市鑫源商贸有限公司", "91210800MA0XY0001A",
                                   "营市监罚〔2019〕12号", "5000", "true"};
static const char *const obj2[] = {"盖州市禾丰农资经营部", "92210881MA0XY0002B",
                                   "盖市监罚〔2020〕7号", "1.50", "false"};
static const char *const obj3[] = {"鲅鱼圈区㐀𠀀餐饮店", "", "鲅市监罚〔2021〕3号",
                                   "123456789012345678901234", ""};

Test(json, normal_array)
{
	tfile t = read_file(DATA("normal.json"));
	cr_assert_eq(t.open_rc, XY_OK, "%s", t.err.msg);
	cr_assert_eq(t.next_rc, XY_OK, "%s", t.err.msg);
	cr_assert_eq(t.nrows, 4);
	cr_expect(t.rows[0].is_header);
	expect_cells(&t.rows[0], keys, 5);
	expect_cells(&t.rows[1], obj1, 5); /* numbers keep their text: 1.50, 24 digits */
	expect_cells(&t.rows[2], obj2, 5);
	expect_cells(&t.rows[3], obj3, 5); /* null -> "" */
	for (size_t i = 1; i < 4; i++) {
		cr_expect_not(t.rows[i].is_header);
		cr_expect_null(t.rows[i].problem);
		cr_expect_eq(t.rows[i].line, (long)i);
	}
	cr_expect_eq(t.rows[0].line, 1);
	tfile_free(&t);
}

Test(json, bom_allowed)
{
	tfile t = read_file(DATA("bom.json"));
	cr_assert_eq(t.open_rc, XY_OK, "%s", t.err.msg);
	cr_assert_eq(t.next_rc, XY_OK, "%s", t.err.msg);
	cr_assert_eq(t.nrows, 2);
	expect_cells(&t.rows[0], keys, 5);
	expect_cells(&t.rows[1], obj1, 5);
	tfile_free(&t);
}

Test(json, empty_array)
{
	tfile t = read_file(DATA("empty-array.json"));
	cr_assert_eq(t.open_rc, XY_OK);
	cr_expect_eq(t.next_rc, XY_OK);
	cr_expect_eq(t.nrows, 0);
}

Test(json, new_key_midway_resends_header)
{
	static const char *const hdr2[] = {"CF_XDR_MC", "CF_XDR_SHXYM", "CF_WSH",
	                                   "CF_FK",     "CF_SFGS",      "CF_BZ"};
	static const char *const r2[] = {
	    "盖州\"禾丰\"农资,经营部", "", "盖市监罚〔2020〕7号", "", "", "备注\n第二行"};
	static const char *const r3[] = {"鲅鱼圈区[}餐饮店", "", "x", "", "", ""};
	tfile t = read_file(DATA("new-key.json"));
	cr_assert_eq(t.next_rc, XY_OK, "%s", t.err.msg);
	cr_assert_eq(t.nrows, 5);
	cr_expect(t.rows[0].is_header);
	expect_cells(&t.rows[0], keys, 5);
	expect_cells(&t.rows[1], obj1, 5);
	cr_expect(t.rows[2].is_header);
	cr_expect_eq(t.rows[2].line, 2);
	expect_cells(&t.rows[2], hdr2, 6);
	cr_expect_not(t.rows[3].is_header);
	cr_expect_eq(t.rows[3].line, 2);
	expect_cells(&t.rows[3], r2, 6);
	cr_expect_eq(t.rows[4].line, 3);
	expect_cells(&t.rows[4], r3, 6);
	tfile_free(&t);
}

Test(json, nested_value_is_a_row_problem)
{
	tfile t = read_file(DATA("nested.json"));
	cr_assert_eq(t.next_rc, XY_OK, "%s", t.err.msg);
	cr_assert_eq(t.nrows, 4);
	cr_assert_not_null(t.rows[2].problem);
	cr_expect_str_eq(t.rows[2].problem, "nested value in field CF_WSH");
	cr_expect_eq(t.rows[2].problem_col, 2);
	cr_expect_str_eq(t.rows[2].cells[0], "嵌套公司");
	cr_expect_null(t.rows[3].problem);
	expect_cells(&t.rows[3], obj2, 5);
	tfile_free(&t);
}

Test(json, non_objects_are_row_problems)
{
	tfile t = read_file(DATA("not-object.json"));
	cr_assert_eq(t.next_rc, XY_OK, "%s", t.err.msg);
	cr_assert_eq(t.nrows, 6);
	for (size_t i = 2; i < 5; i++) {
		cr_assert_not_null(t.rows[i].problem, "row %zu", i);
		cr_expect_str_eq(t.rows[i].problem, "element is not an object");
		cr_expect_eq(t.rows[i].line, (long)i);
		cr_expect_eq(t.rows[i].problem_col, -1);
	}
	expect_cells(&t.rows[5], obj2, 5);
	cr_expect_eq(t.rows[5].line, 5);
	tfile_free(&t);
}

Test(json, invalid_utf8_is_a_row_problem)
{
	tfile t = read_file(DATA("bad-utf8.json"));
	cr_assert_eq(t.next_rc, XY_OK, "%s", t.err.msg);
	cr_assert_eq(t.nrows, 4);
	cr_assert_not_null(t.rows[2].problem);
	cr_expect(strstr(t.rows[2].problem, "invalid JSON") != NULL, "%s", t.rows[2].problem);
	cr_expect_eq(t.rows[2].line, 2);
	expect_cells(&t.rows[3], obj2, 5);
	tfile_free(&t);
}

Test(json, bad_elements)
{
	tfile t = read_file(DATA("bad-elements.json"));
	cr_assert_eq(t.next_rc, XY_OK, "%s", t.err.msg);
	/* header, obj1, duplicate key, 01, NUL, {} (a row too), obj2 */
	cr_assert_eq(t.nrows, 7);
	cr_assert_not_null(t.rows[2].problem);
	cr_expect(strstr(t.rows[2].problem, "duplicate") != NULL, "%s", t.rows[2].problem);
	cr_assert_not_null(t.rows[3].problem, "01 is not a JSON number");
	cr_assert_not_null(t.rows[4].problem);
	cr_expect_str_eq(t.rows[4].problem, "NUL byte in field CF_XDR_MC");
	cr_expect_str_eq(t.rows[4].cells[0], "空\xEF\xBF\xBD字节");
	cr_assert_not_null(t.rows[5].problem);
	cr_expect_str_eq(t.rows[5].problem, "empty object {}");
	cr_expect_str_eq(t.rows[5].problem_zh, "空对象 {}");
	cr_expect_eq(t.rows[5].line, 5);
	cr_expect_eq(t.rows[6].line, 6);
	expect_cells(&t.rows[6], obj2, 5);
	tfile_free(&t);
}

Test(json, truncated_is_a_format_error)
{
	tfile t = read_file(DATA("truncated.json"));
	cr_assert_eq(t.open_rc, XY_OK);
	cr_expect_eq(t.next_rc, XY_ERR_FORMAT);
	cr_expect_eq(t.nrows, 2, "the complete element before the cut is delivered");
	cr_expect(strstr(t.err.msg, "truncated") != NULL, "%s", t.err.msg);
	cr_expect(strstr(t.err.msg, "byte") != NULL, "%s", t.err.msg);
	cr_expect(strstr(t.err.file, "truncated.json") != NULL);
	tfile_free(&t);
}

Test(json, one_line_object_is_ndjson)
{
	tfile t = read_file(DATA("not-array.json"));
	cr_assert_eq(t.open_rc, XY_OK, "%s", t.err.msg);
	cr_assert_eq(t.next_rc, XY_OK, "%s", t.err.msg);
	cr_assert_eq(t.nrows, 2);
	expect_cells(&t.rows[0], keys, 5);
	expect_cells(&t.rows[1], obj1, 5);
	cr_expect_eq(t.rows[1].line, 1);
	tfile_free(&t);
}

Test(json, ndjson_lines)
{
	tfile t = read_file(DATA("ndjson.json"));
	cr_assert_eq(t.open_rc, XY_OK, "%s", t.err.msg);
	cr_assert_eq(t.next_rc, XY_OK, "%s", t.err.msg);
	/* header, line 1, line 3, line 4 unfinished, line 5 */
	cr_assert_eq(t.nrows, 5);
	expect_cells(&t.rows[1], obj1, 5);
	cr_expect_eq(t.rows[1].line, 1);
	expect_cells(&t.rows[2], obj2, 5);
	cr_expect_eq(t.rows[2].line, 3, "the blank line counts");
	cr_assert_not_null(t.rows[3].problem);
	cr_expect(strstr(t.rows[3].problem, "incomplete") != NULL, "%s", t.rows[3].problem);
	cr_expect_eq(t.rows[3].line, 4);
	expect_cells(&t.rows[4], obj3, 5);
	cr_expect_eq(t.rows[4].line, 5);
	tfile_free(&t);
}

static void expect_envelope(const char *path, size_t nobj)
{
	tfile t = read_file(path);
	cr_assert_eq(t.open_rc, XY_OK, "%s: %s", path, t.err.msg);
	cr_assert_eq(t.next_rc, XY_OK, "%s: %s", path, t.err.msg);
	cr_assert_eq(t.nrows, nobj + 1, "%s: %zu rows", path, t.nrows);
	cr_expect(t.rows[0].is_header);
	expect_cells(&t.rows[0], keys, 5);
	expect_cells(&t.rows[1], obj1, 5);
	cr_expect_eq(t.rows[1].line, 1);
	if (nobj > 1) {
		expect_cells(&t.rows[2], obj2, 5);
		cr_expect_eq(t.rows[2].line, 2);
	}
	tfile_free(&t);
}

Test(json, envelopes)
{
	expect_envelope(DATA("envelope-rows.json"), 2);
	expect_envelope(DATA("envelope-nested.json"), 2);
	expect_envelope(DATA("envelope-result.json"), 1);
}

Test(json, object_without_records_is_refused)
{
	tfile t = read_file(DATA("envelope-none.json"));
	cr_expect_eq(t.open_rc, XY_ERR_FORMAT);
	cr_expect(strstr(t.err.msg, "rows, data, list") != NULL, "%s", t.err.msg);
}

Test(json, not_json_at_all)
{
	xy_reader_opts o = {.format = XY_FMT_JSON};
	tfile t = read_with(DATA("../csv/utf8-nobom.csv"), &o);
	cr_expect_eq(t.open_rc, XY_ERR_FORMAT);
	cr_expect(strstr(t.err.msg, "expected '[' or '{'") != NULL, "%s", t.err.msg);
	cr_expect(strstr(t.err.msg, "byte 0") != NULL, "%s", t.err.msg);
}

Test(json, garbage_after_array)
{
	tfile t = read_file(DATA("garbage.json"));
	cr_assert_eq(t.open_rc, XY_OK);
	cr_expect_eq(t.next_rc, XY_ERR_FORMAT);
	cr_expect(strstr(t.err.msg, "garbage") != NULL, "%s", t.err.msg);
	tfile_free(&t);
}

/* ---- generated inputs ---- */

static char *tmp_path(const char *name)
{
	static char buf[256];
	snprintf(buf, sizeof buf, "/tmp/xy_test_json_%ld_%s", (long)getpid(), name);
	return buf;
}

Test(json, oversized_element_skipped_without_buffering)
{
	const char *p = tmp_path("big.json");
	xy_reader_opts o = {.max_cell = 1024};
	FILE *f = fopen(p, "wb");
	tfile t;
	cr_assert_not_null(f);
	fputs("[{\"CF_XDR_MC\":\"营口\"},\n{\"CF_XDR_MC\":\"", f);
	for (int i = 0; i < 100000; i++)
		fputs("\\\"{[", f);
	fputs("\"},\n{\"CF_XDR_MC\":\"盖州\"}]", f);
	fclose(f);
	t = read_with(p, &o);
	unlink(p);
	cr_assert_eq(t.next_rc, XY_OK, "%s", t.err.msg);
	cr_assert_eq(t.nrows, 4);
	cr_assert_not_null(t.rows[2].problem);
	cr_expect_str_eq(t.rows[2].problem, "element longer than 4096 bytes");
	cr_expect_str_eq(t.rows[3].cells[0], "盖州");
	cr_expect_eq(t.rows[3].line, 3);
	tfile_free(&t);
}

Test(json, many_elements_across_chunks)
{
	const char *p = tmp_path("many.json");
	FILE *f = fopen(p, "wb");
	tfile t;
	cr_assert_not_null(f);
	fputs("[\n", f);
	for (int i = 0; i < 20000; i++)
		fprintf(f, "%s{\"CF_XDR_MC\":\"测试企业%d\",\"CF_FK\":%d.25}", i ? ",\n" : "", i,
		        i);
	fputs("\n]\n", f);
	fclose(f);
	t = read_file(p);
	unlink(p);
	cr_assert_eq(t.next_rc, XY_OK, "%s", t.err.msg);
	cr_assert_eq(t.nrows, 20001);
	cr_expect_str_eq(t.rows[20000].cells[0], "测试企业19999");
	cr_expect_str_eq(t.rows[20000].cells[1], "19999.25");
	cr_expect_eq(t.rows[20000].line, 20000);
	tfile_free(&t);
}

/* ---- writer ---- */

Test(json_writer, round_trip)
{
	static const char *const hdr[] = {"行政相对人名称", "统一社会信用代码", "行政相对人名称"};
	static const char *const cells[] = {"盖州\"禾丰\"\\农资", "第一行\n第二行\t\x01", "㐀𠀀"};
	const char *p = tmp_path("report.json");
	xy_writer *w;
	xy_error err = XY_ERROR_INIT;
	size_t lens[3];
	xy_row in = {.line = 7, .ncells = 3, .cells = cells, .lens = lens};
	tfile t;

	for (size_t i = 0; i < 3; i++)
		lens[i] = strlen(cells[i]);
	cr_assert_eq(xy_writer_open(&w, p, XY_FMT_JSON, XY_ENC_AUTO, &err), XY_OK, "%s", err.msg);
	cr_assert_eq(xy_writer_header(w, 3, hdr, &err), XY_OK);
	cr_assert_eq(
	    xy_writer_row(w, &in, "统一社会信用代码", "校验码错误", "bad check digit", &err),
	    XY_OK);
	cr_assert_eq(xy_writer_row(w, &in, NULL, "重复", "duplicate", &err), XY_OK);
	cr_assert_eq(xy_writer_close(w, &err), XY_OK, "%s", err.msg);

	t = read_file(p);
	unlink(p);
	cr_assert_eq(t.next_rc, XY_OK, "%s", t.err.msg);
	cr_assert_eq(t.nrows, 3);
	cr_assert_eq(t.rows[0].ncells, 7);
	cr_expect_str_eq(t.rows[0].cells[0], "行政相对人名称");
	cr_expect_str_eq(t.rows[0].cells[2], "行政相对人名称_2", "duplicate names made unique");
	cr_expect_str_eq(t.rows[0].cells[3], "错误行号");
	for (size_t r = 1; r < 3; r++) {
		cr_assert_eq(t.rows[r].ncells, 7);
		cr_expect_null(t.rows[r].problem);
		for (size_t i = 0; i < 3; i++)
			cr_expect_str_eq(t.rows[r].cells[i], cells[i]);
		cr_expect_str_eq(t.rows[r].cells[3], "7");
	}
	cr_expect_str_eq(t.rows[1].cells[5], "校验码错误");
	cr_expect_str_eq(t.rows[2].cells[4], "");
	tfile_free(&t);
}

Test(json_writer, empty_report_is_an_empty_array)
{
	const char *p = tmp_path("empty.json");
	void *impl;
	const xy_writer_ops *ops;
	xy_error err = XY_ERROR_INIT;
	char buf[16] = {0};
	FILE *f;
	cr_assert_eq(xy__json_writer_open(&impl, &ops, p, &err), XY_OK);
	cr_assert_eq(ops->close(impl, &err), XY_OK);
	f = fopen(p, "rb");
	cr_assert_not_null(f);
	cr_expect_eq(fread(buf, 1, sizeof buf - 1, f), 3);
	fclose(f);
	unlink(p);
	cr_expect_str_eq(buf, "[]\n");
}

Test(json_writer, disk_full_reported_on_close)
{
	const char *const names[] = {"行政相对人名称"};
	const char *const cells[] = {"营口"};
	const size_t lens[] = {6};
	void *impl;
	const xy_writer_ops *ops;
	xy_error err = XY_ERROR_INIT;

	if (access("/dev/full", W_OK) != 0)
		cr_skip_test("no /dev/full");
	cr_assert_eq(xy__json_writer_open(&impl, &ops, "/dev/full", &err), XY_OK);
	cr_assert_eq(ops->header(impl, 1, names, &err), XY_OK);
	cr_expect_eq(ops->row(impl, 1, cells, lens, &err), XY_OK);
	cr_expect_eq(ops->close(impl, &err), XY_ERR_IO);
}

/* ---- a malformed FIRST element is a row too (issue 8) ---- */

static const char *const bad_first[] = {
    "{\"CF_XDR_MC\":\"重复\",\"CF_XDR_MC\":\"键\"}", /* duplicate key */
    "{\"CF_XDR_MC\":\"\\ud800\"}",                /* lone surrogate */
    "1", "null", "[]", "{}", "{\"CF_FK\":01}",
};

static void write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "wb");
	cr_assert_not_null(f);
	fputs(text, f);
	cr_assert_eq(fclose(f), 0);
}

Test(json, malformed_first_element_alone_is_a_row)
{
	for (size_t i = 0; i < sizeof bad_first / sizeof *bad_first; i++) {
		char text[256];
		const char *p = tmp_path("first-alone.json");
		tfile t;
		snprintf(text, sizeof text, "[%s]", bad_first[i]);
		write_file(p, text);
		t = read_file(p);
		cr_assert_eq(t.open_rc, XY_OK, "%s: %s", text, t.err.msg);
		cr_assert_eq(t.next_rc, XY_OK, "%s: %s", text, t.err.msg);
		cr_assert_eq(t.nrows, 1, "%s: %zu rows", text, t.nrows);
		cr_expect_not(t.rows[0].is_header);
		cr_expect_not_null(t.rows[0].problem, "%s", text);
		cr_expect_not_null(t.rows[0].problem_zh, "%s", text);
		cr_expect_eq(t.rows[0].line, 1);
		tfile_free(&t);
		unlink(p);
	}
}

Test(json, malformed_first_element_comes_after_the_header)
{
	for (size_t i = 0; i < sizeof bad_first / sizeof *bad_first; i++) {
		char text[1024];
		const char *p = tmp_path("first.json");
		tfile t;
		snprintf(text, sizeof text,
		         "[%s,\n%s,\n{\"CF_XDR_MC\":\"营口市鑫源商贸有限公司\",\"CF_XDR_SHXYM\":"
		         "\"91210800MA0XY0001A\",\"CF_WSH\":\"营市监罚〔2019〕12号\",\"CF_FK\":"
		         "5000,\"CF_SFGS\":true}]",
		         bad_first[i], bad_first[i]);
		write_file(p, text);
		t = read_file(p);
		cr_assert_eq(t.next_rc, XY_OK, "%s: %s", text, t.err.msg);
		/* header (from element 3), element 1, element 2, element 3 */
		cr_assert_eq(t.nrows, 4, "%s: %zu rows", text, t.nrows);
		cr_expect(t.rows[0].is_header);
		cr_expect_not_null(t.rows[1].problem, "%s", bad_first[i]);
		cr_expect_eq(t.rows[1].line, 1);
		cr_expect_not_null(t.rows[2].problem, "%s", bad_first[i]);
		cr_expect_eq(t.rows[2].line, 2);
		cr_expect_null(t.rows[3].problem);
		cr_expect_eq(t.rows[3].line, 3);
		expect_cells(&t.rows[3], obj1, 5);
		tfile_free(&t);
		unlink(p);
	}
}

Test(json, only_junk_elements_refused_after_a_bound)
{
	const char *p = tmp_path("junk.json");
	FILE *f = fopen(p, "wb");
	tfile t;
	cr_assert_not_null(f);
	fputc('[', f);
	for (int i = 0; i < 5000; i++)
		fprintf(f, "%s1", i ? "," : "");
	fputc(']', f);
	cr_assert_eq(fclose(f), 0);
	t = read_file(p);
	cr_expect_eq(t.next_rc, XY_ERR_FORMAT);
	cr_expect(strstr(t.err.msg, "none of the first") != NULL, "%s", t.err.msg);
	cr_expect_eq(t.nrows, 0);
	tfile_free(&t);
	unlink(p);
}

Test(json, object_of_empty_values_is_a_row_with_a_problem)
{
	const char *p = tmp_path("nulls.json");
	tfile t;
	write_file(p, "[{\"CF_XDR_MC\":null,\"CF_WSH\":\"\"}]");
	t = read_file(p);
	cr_assert_eq(t.next_rc, XY_OK, "%s", t.err.msg);
	cr_assert_eq(t.nrows, 2);
	cr_expect(t.rows[0].is_header);
	cr_assert_not_null(t.rows[1].problem);
	cr_expect(strstr(t.rows[1].problem_zh, "空对象") != NULL, "%s", t.rows[1].problem_zh);
	tfile_free(&t);
	unlink(p);
}
