/* CSV reader and writer (lib/ingest/csv.c). */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "xinyong/reader.h"

#define DATA(name) XY_TEST_DATA "/csv/" name

/* A copy of every row a reader hands out. */
typedef struct trow {
	long line;
	bool is_header;
	size_t ncells;
	char **cells;
	size_t *lens;
	char *problem, *problem_zh;
	long problem_col;
} trow;

typedef struct tfile {
	xy_code open_rc, next_rc;
	xy_error err;
	xy_encoding enc;
	uint64_t offset;
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
	cr_assert_eq(xy_reader_format(r), XY_FMT_CSV);
	t.enc = xy_reader_encoding(r);
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
		tr->lens = calloc(row->ncells + 1, sizeof *tr->lens);
		for (size_t i = 0; i < row->ncells; i++) {
			cr_assert_not_null(row->cells[i]);
			cr_assert_eq(strlen(row->cells[i]), row->lens[i]);
			tr->cells[i] = dup_n(row->cells[i], row->lens[i]);
			tr->lens[i] = row->lens[i];
		}
		tr->problem = row->problem ? dup_n(row->problem, strlen(row->problem)) : NULL;
		tr->problem_zh =
		    row->problem_zh ? dup_n(row->problem_zh, strlen(row->problem_zh)) : NULL;
		tr->problem_col = row->problem_col;
		cr_assert_eq(!row->problem, !row->problem_zh);
	}
	t.offset = xy_reader_offset(r);
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
		free(t->rows[i].lens);
		free(t->rows[i].problem);
		free(t->rows[i].problem_zh);
	}
	free(t->rows);
}

static long file_size(const char *path)
{
	FILE *f = fopen(path, "rb");
	long n;
	cr_assert_not_null(f);
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fclose(f);
	return n;
}

static const char *const header[] = {"行政相对人名称", "统一社会信用代码", "行政处罚决定书文号",
                                     "处罚类别", "处罚决定日期"};
static const char *const row1[] = {"营口市鑫源商贸有限公司", "91210800MA0XY0001A",
                                   "营市监罚〔2019〕12号", "罚款", "2019-03-01"};
static const char *const row2[] = {"盖州市禾丰农资经营部", "92210881MA0XY0002B",
                                   "盖市监罚〔2020〕7号", "警告", "2020-11-15"};
static const char *const row3[] = {"鲅鱼圈区㐀䶮𠀀餐饮店", "92210804MA0XY0003C",
                                   "鲅市监罚〔2021〕3号", "罚款", "2021-06-30"};

static void expect_cells(const trow *r, const char *const *want, size_t n)
{
	cr_assert_eq(r->ncells, n, "line %ld: %zu cells, want %zu", r->line, r->ncells, n);
	for (size_t i = 0; i < n; i++)
		cr_expect_str_eq(r->cells[i], want[i], "line %ld col %zu", r->line, i);
}

/* The 4-row fixture every encoding variant carries. */
static void expect_standard(const tfile *t)
{
	cr_assert_eq(t->open_rc, XY_OK, "open: %s", t->err.msg);
	cr_assert_eq(t->next_rc, XY_OK, "next: %s", t->err.msg);
	cr_assert_eq(t->nrows, 4);
	cr_expect(t->rows[0].is_header);
	for (size_t i = 1; i < 4; i++) {
		cr_expect_not(t->rows[i].is_header);
		cr_expect_null(t->rows[i].problem, "line %ld: %s", t->rows[i].line,
		               t->rows[i].problem);
	}
	expect_cells(&t->rows[0], header, 5);
	expect_cells(&t->rows[1], row1, 5);
	expect_cells(&t->rows[2], row2, 5);
	expect_cells(&t->rows[3], row3, 5);
	for (size_t i = 0; i < 4; i++)
		cr_expect_eq(t->rows[i].line, (long)i + 1);
}

Test(csv, utf8_with_bom)
{
	tfile t = read_file(DATA("utf8-bom.csv"));
	expect_standard(&t);
	cr_expect_eq(t.enc, XY_ENC_UTF8);
	cr_expect_eq(t.offset, (uint64_t)file_size(DATA("utf8-bom.csv")));
	tfile_free(&t);
}

Test(csv, utf8_without_bom_last_line_without_newline)
{
	tfile t = read_file(DATA("utf8-nobom.csv"));
	expect_standard(&t);
	cr_expect_eq(t.enc, XY_ENC_UTF8);
	tfile_free(&t);
}

Test(csv, gb18030_detected_and_decoded)
{
	tfile t = read_file(DATA("gb18030.csv"));
	expect_standard(&t); /* row 3 holds 𠀀, a 4-byte GB18030 sequence */
	cr_expect_eq(t.enc, XY_ENC_GB18030);
	tfile_free(&t);
}

Test(csv, encoding_forced)
{
	xy_reader_opts o = {.encoding = XY_ENC_GB18030};
	tfile t = read_with(DATA("gb18030.csv"), &o);
	expect_standard(&t);
	cr_expect_eq(t.enc, XY_ENC_GB18030);
	tfile_free(&t);
}

Test(csv, quoted_multiline_cells)
{
	tfile t = read_file(DATA("multiline.csv"));
	cr_assert_eq(t.open_rc, XY_OK);
	cr_assert_eq(t.nrows, 4);
	cr_expect_eq(t.rows[0].line, 1);
	cr_expect_eq(t.rows[1].line, 2);
	/* the row Excel shows: a cell over several lines is one row (physical
	 * lines 4 and 7 before issue 8) */
	cr_expect_eq(t.rows[2].line, 3);
	cr_expect_eq(t.rows[3].line, 4);
	cr_assert_eq(t.rows[1].ncells, 6);
	cr_expect_str_eq(t.rows[1].cells[5], "第一行\r\n第二行");
	cr_assert_eq(t.rows[2].ncells, 6);
	cr_expect_str_eq(t.rows[2].cells[0], "盖州市\"禾丰\"农资经营部");
	cr_expect_str_eq(t.rows[2].cells[2], "盖市监罚〔2020〕7号,补");
	cr_expect_str_eq(t.rows[2].cells[5], "a\n\nb");
	cr_expect_str_eq(t.rows[3].cells[5], "末行");
	tfile_free(&t);
}

Test(csv, mixed_line_endings_and_empty_records)
{
	tfile t = read_file(DATA("mixed-eol.csv"));
	cr_assert_eq(t.open_rc, XY_OK);
	cr_assert_eq(t.nrows, 4, "blank line and ,,,, are skipped");
	expect_cells(&t.rows[0], header, 5);
	expect_cells(&t.rows[1], row1, 5);
	expect_cells(&t.rows[2], row2, 5);
	expect_cells(&t.rows[3], row3, 5);
	cr_expect_eq(t.rows[1].line, 2);
	cr_expect_eq(t.rows[2].line, 4);
	cr_expect_eq(t.rows[3].line, 6);
	tfile_free(&t);
}

Test(csv, empty_file)
{
	tfile t = read_file(DATA("empty.csv"));
	cr_assert_eq(t.open_rc, XY_OK);
	cr_expect_eq(t.next_rc, XY_OK);
	cr_expect_eq(t.nrows, 0);
	tfile_free(&t);
}

Test(csv, header_only)
{
	tfile t = read_file(DATA("header-only.csv"));
	cr_assert_eq(t.open_rc, XY_OK);
	cr_assert_eq(t.nrows, 1);
	cr_expect(t.rows[0].is_header);
	expect_cells(&t.rows[0], header, 5);
	tfile_free(&t);
}

Test(csv, spaces_are_kept)
{
	tfile t = read_file(DATA("spaces.csv"));
	cr_assert_eq(t.nrows, 2);
	cr_expect_str_eq(t.rows[1].cells[0], "  前后空格  ");
	cr_expect_str_eq(t.rows[1].cells[1], "  引号内 ");
	tfile_free(&t);
}

Test(csv, invalid_utf8_is_a_row_problem)
{
	tfile t = read_file(DATA("bad-utf8.csv"));
	cr_assert_eq(t.open_rc, XY_OK, "%s", t.err.msg);
	cr_expect_eq(t.enc, XY_ENC_UTF8, "a few bad bytes do not make the file GB18030");
	cr_assert_eq(t.nrows, 4);
	expect_cells(&t.rows[1], row1, 5);
	cr_expect_null(t.rows[1].problem);
	cr_assert_not_null(t.rows[2].problem);
	cr_expect_str_eq(t.rows[2].problem, "invalid UTF-8 in column 1");
	cr_expect_str_eq(t.rows[2].problem_zh, "第1列不是有效的 UTF-8 编码");
	cr_expect_eq(t.rows[2].problem_col, 0);
	cr_expect_str_eq(t.rows[2].cells[0], "坏\xEF\xBF\xBD\xEF\xBF\xBD编码商行");
	cr_expect_str_eq(t.rows[2].cells[1], "92210881MA0XY0002B");
	expect_cells(&t.rows[3], row3, 5);
	cr_expect_null(t.rows[3].problem);
	tfile_free(&t);
}

Test(csv, nul_bytes_are_a_row_problem)
{
	tfile t = read_file(DATA("nul.csv"));
	cr_assert_eq(t.open_rc, XY_OK, "%s", t.err.msg);
	cr_assert_eq(t.nrows, 3);
	cr_assert_not_null(t.rows[1].problem);
	cr_expect_str_eq(t.rows[1].problem, "NUL byte in column 2");
	cr_expect_eq(t.rows[1].problem_col, 1);
	cr_expect_str_eq(t.rows[1].cells[1], "9121\xEF\xBF\xBD\xEF\xBF\xBDMA0XY0001A");
	expect_cells(&t.rows[2], row2, 5);
	cr_expect_null(t.rows[2].problem);
	tfile_free(&t);
}

Test(csv, tab_separated)
{
	tfile t = read_file(DATA("tab-separated.csv"));
	cr_assert_eq(t.nrows, 2);
	expect_cells(&t.rows[0], header, 5);
	expect_cells(&t.rows[1], row1, 5);
	tfile_free(&t);
}

Test(csv, utf16_unicode_text_as_excel_saves_it)
{
	tfile t = read_file(DATA("utf16le-tab.csv"));
	cr_assert_eq(t.open_rc, XY_OK, "%s", t.err.msg);
	cr_assert_eq(t.next_rc, XY_OK, "%s", t.err.msg);
	cr_expect_eq(t.enc, XY_ENC_UTF16LE);
	cr_assert_eq(t.nrows, 4);
	expect_cells(&t.rows[0], header, 5);
	expect_cells(&t.rows[1], row1, 5);
	cr_expect_str_eq(t.rows[2].cells[0], "盖州市禾丰\r\n农资经营部");
	cr_expect_str_eq(t.rows[2].cells[1], row2[1]);
	expect_cells(&t.rows[3], row3, 5);
	cr_expect_eq(t.rows[2].line, 3);
	cr_expect_eq(t.rows[3].line, 5, "the blank line is row 4");
	cr_expect_eq(t.offset, (uint64_t)file_size(DATA("utf16le-tab.csv")));
	tfile_free(&t);
}

Test(csv, utf16_other_forms)
{
	static const struct { const char *file; xy_encoding enc; } cases[] = {
	    {DATA("utf16.csv"), XY_ENC_UTF16LE}, /* iconv -t UTF-16: BOM, comma */
	    {DATA("utf16be.csv"), XY_ENC_UTF16BE},
	    {DATA("utf16le-nobom.csv"), XY_ENC_UTF16LE},
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		tfile t = read_file(cases[i].file);
		cr_assert_eq(t.open_rc, XY_OK, "%s: %s", cases[i].file, t.err.msg);
		cr_assert_eq(t.next_rc, XY_OK, "%s: %s", cases[i].file, t.err.msg);
		cr_expect_eq(t.enc, cases[i].enc, "%s", cases[i].file);
		cr_assert_eq(t.nrows, 2, "%s", cases[i].file);
		expect_cells(&t.rows[0], header, 5);
		expect_cells(&t.rows[1], row1, 5);
		tfile_free(&t);
	}
}

Test(csv, utf16_lone_surrogate_is_a_row_problem)
{
	tfile t = read_file(DATA("utf16le-surrogate.csv"));
	cr_assert_eq(t.open_rc, XY_OK, "%s", t.err.msg);
	cr_assert_eq(t.next_rc, XY_OK, "%s", t.err.msg);
	cr_assert_eq(t.nrows, 2);
	cr_assert_not_null(t.rows[1].problem);
	cr_expect_str_eq(t.rows[1].problem, "invalid UTF-16 in column 1");
	cr_expect_str_eq(t.rows[1].cells[0], "x\xEF\xBF\xBD");
	cr_expect_str_eq(t.rows[1].cells[1], "y");
	tfile_free(&t);
}

Test(csv, binary_refused)
{
	tfile t = read_file(DATA("binary-elf.csv"));
	cr_expect_eq(t.open_rc, XY_ERR_FORMAT);
	cr_expect(strstr(t.err.msg, "binary file, not CSV") != NULL, "%s", t.err.msg);
	t = read_file(DATA("binary-nul.csv"));
	cr_expect_eq(t.open_rc, XY_ERR_FORMAT);
	cr_expect(strstr(t.err.msg, "binary file, not CSV") != NULL, "%s", t.err.msg);
}

Test(csv, neither_utf8_nor_gb18030_refused)
{
	tfile t = read_file(DATA("neither.csv"));
	cr_expect_eq(t.open_rc, XY_ERR_ENCODING);
	cr_expect_str_eq(t.err.msg, "neither UTF-8 nor GB18030 text");
	cr_expect(strstr(t.err.file, "neither.csv") != NULL);
}

/* a file of this process's own (the two builds' suites may run at once) */
static char *tmp_path(const char *name)
{
	static char buf[256];
	snprintf(buf, sizeof buf, "/tmp/xy_test_csv_%ld_%s", (long)getpid(), name);
	return buf;
}

Test(csv, unterminated_quote_reported)
{
	const char *p = tmp_path("unterminated.csv");
	FILE *f = fopen(p, "wb");
	tfile t;
	cr_assert_not_null(f);
	fputs("名称,代码\n营口市鑫源商贸有限公司,\"9121\n盖州市禾丰农资经营部,9221\n", f);
	fclose(f);
	t = read_file(p);
	unlink(p);
	cr_assert_eq(t.nrows, 2);
	cr_assert_not_null(t.rows[1].problem);
	cr_expect_eq(t.rows[1].problem_col, 1);
	cr_expect(strstr(t.rows[1].problem, "never closed") != NULL, "%s", t.rows[1].problem);
	cr_expect_str_eq(t.rows[1].cells[1], "9121\n盖州市禾丰农资经营部,9221\n");
	tfile_free(&t);
}

Test(csv, missing_file)
{
	tfile t = read_file(DATA("no-such-file.csv"));
	cr_expect_eq(t.open_rc, XY_ERR_IO);
}

/* ---- big inputs, generated in /tmp ---- */

Test(csv, ten_thousand_columns)
{
	const char *p = tmp_path("wide.csv");
	FILE *f = fopen(p, "wb");
	tfile t;
	cr_assert_not_null(f);
	fputs("名称,代码\n", f);
	for (int i = 0; i < 10000; i++)
		fprintf(f, "%s%d", i ? "," : "", i);
	fputs("\n营口市鑫源商贸有限公司,91210800MA0XY0001A\n", f);
	fclose(f);
	t = read_file(p);
	unlink(p);
	cr_assert_eq(t.open_rc, XY_OK);
	cr_assert_eq(t.nrows, 3);
	cr_expect_eq(t.rows[1].ncells, XY_READER_MAX_COLUMNS, "cells cut at the limit");
	cr_assert_not_null(t.rows[1].problem);
	cr_expect_str_eq(t.rows[1].problem, "too many columns (10000 > 1024)");
	cr_expect_str_eq(t.rows[1].cells[1023], "1023");
	cr_expect_null(t.rows[2].problem);
	cr_expect_eq(t.rows[2].line, 3);
	tfile_free(&t);
}

static void write_big_cell(const char *p, size_t n, bool quoted)
{
	FILE *f = fopen(p, "wb");
	cr_assert_not_null(f);
	fputs("名称,备注,代码\n营口市鑫源商贸有限公司,", f);
	if (quoted)
		fputc('"', f);
	for (size_t i = 0; i < n; i++)
		fputc(quoted && i % 1000 == 999 ? '\n' : 'a' + (int)(i % 26), f);
	if (quoted)
		fputc('"', f);
	fputs(",91210800MA0XY0001A\r\n盖州市禾丰农资经营部,,92210881MA0XY0002B\r\n", f);
	fclose(f);
}

Test(csv, one_mebibyte_cell_fits_default_limit)
{
	const char *p = tmp_path("bigcell.csv");
	tfile t;
	write_big_cell(p, 1u << 20, false);
	t = read_file(p);
	unlink(p);
	cr_assert_eq(t.nrows, 3);
	cr_expect_null(t.rows[1].problem);
	cr_expect_eq(t.rows[1].lens[1], 1u << 20);
	cr_expect_str_eq(t.rows[1].cells[2], "91210800MA0XY0001A");
	tfile_free(&t);
}

Test(csv, cell_over_max_cell_is_cut)
{
	const char *p = tmp_path("overcell.csv");
	xy_reader_opts o = {.max_cell = 65536};
	tfile t;
	write_big_cell(p, 1u << 20, true);
	t = read_with(p, &o);
	unlink(p);
	cr_assert_eq(t.open_rc, XY_OK);
	cr_assert_eq(t.nrows, 3);
	cr_assert_not_null(t.rows[1].problem);
	cr_expect_str_eq(t.rows[1].problem, "cell longer than 65536 bytes in column 2");
	cr_expect_eq(t.rows[1].problem_col, 1);
	cr_expect_eq(t.rows[1].lens[1], 65536);
	cr_expect_str_eq(t.rows[1].cells[2], "91210800MA0XY0001A", "the row goes on after the cut");
	cr_expect_eq(t.rows[2].line, 3, "the lines inside the cell are one row");
	cr_expect_null(t.rows[2].problem);
	tfile_free(&t);
}

Test(csv, many_rows_across_chunks)
{
	const char *p = tmp_path("many.csv");
	FILE *f = fopen(p, "wb");
	tfile t;
	cr_assert_not_null(f);
	fputs("名称,代码\r\n", f);
	for (int i = 0; i < 50000; i++)
		fprintf(f, "测试企业%d,\"9121%014d\"\r\n", i, i);
	fclose(f);
	t = read_file(p);
	unlink(p);
	cr_assert_eq(t.nrows, 50001);
	cr_expect_str_eq(t.rows[50000].cells[0], "测试企业49999");
	cr_expect_str_eq(t.rows[50000].cells[1], "912100000000049999");
	cr_expect_eq(t.rows[50000].line, 50001);
	tfile_free(&t);
}

/* A GB18030 file whose first MiB ends inside a 4-byte sequence. */
Test(csv, gb18030_sample_boundary)
{
	const char *p = tmp_path("gbbig.csv");
	FILE *f = fopen(p, "wb");
	size_t n = 0;
	tfile t;
	cr_assert_not_null(f);
	n += (size_t)fprintf(f, "a,b\n");
	while (n < (1u << 20) - 2)
		n += fwrite("\xB0\xA1", 1, 2, f); /* 啊 */
	fwrite("\x95\x32\x82\x36,x\n", 1, 7, f);  /* 𠀀 across the 1 MiB mark */
	fclose(f);
	t = read_file(p);
	unlink(p);
	cr_assert_eq(t.open_rc, XY_OK, "%s", t.err.msg);
	cr_expect_eq(t.enc, XY_ENC_GB18030);
	cr_assert_eq(t.nrows, 2);
	cr_expect_null(t.rows[1].problem);
	cr_expect(strstr(t.rows[1].cells[0], "啊啊𠀀") != NULL);
	tfile_free(&t);
}

/* Many UTF-16 rows: the conversion crosses chunk edges (also inside a
 * surrogate pair) without losing or splitting a character. */
Test(csv, utf16_across_chunks)
{
	char p[256], u[256];
	char cmd[1024];
	FILE *f;
	tfile t;
	snprintf(p, sizeof p, "%s", tmp_path("u16big.csv"));
	snprintf(u, sizeof u, "%s", tmp_path("u16big.txt"));
	f = fopen(u, "wb");
	cr_assert_not_null(f);
	fputs("名称\t代码\r\n", f);
	for (int i = 0; i < 40000; i++)
		fprintf(f, "𠀀营口%d\t%d\r\n", i, i);
	fclose(f);
	snprintf(cmd, sizeof cmd, "{ printf '\\377\\376'; iconv -f UTF-8 -t UTF-16LE %s; } >%s", u, p);
	cr_assert_eq(system(cmd), 0);
	unlink(u);
	t = read_file(p);
	unlink(p);
	cr_assert_eq(t.next_rc, XY_OK, "%s", t.err.msg);
	cr_assert_eq(t.nrows, 40001);
	for (size_t i = 1; i < t.nrows; i++) {
		char want[64];
		snprintf(want, sizeof want, "𠀀营口%zu", i - 1);
		cr_assert_str_eq(t.rows[i].cells[0], want);
		cr_assert_null(t.rows[i].problem);
		cr_assert_eq(t.rows[i].line, (long)i + 1);
	}
	tfile_free(&t);
}

/* GB18030 first seen after 1 MiB of ASCII: decided there, not as UTF-8. */
Test(csv, gb18030_after_a_mebibyte_of_ascii)
{
	const char *p = tmp_path("latebg.csv");
	FILE *f = fopen(p, "wb");
	size_t n = 0;
	long rows = 1;
	tfile t;
	cr_assert_not_null(f);
	n += (size_t)fprintf(f, "name,code\n");
	while (n < (3u << 20)) {
		n += (size_t)fprintf(f, "ascii company %ld,91210800MA0XY0001A\n", rows);
		rows++;
	}
	fputs("\xD3\xAA\xBF\xDA\xCA\xD0,x\n", f); /* 营口市 in GB18030 */
	fclose(f);
	t = read_file(p);
	unlink(p);
	cr_assert_eq(t.open_rc, XY_OK, "%s", t.err.msg);
	cr_assert_eq(t.next_rc, XY_OK, "%s", t.err.msg);
	cr_expect_eq(t.enc, XY_ENC_GB18030);
	cr_assert_eq(t.nrows, (size_t)rows + 1);
	cr_expect_str_eq(t.rows[rows].cells[0], "营口市");
	cr_expect_null(t.rows[rows].problem);
	cr_expect_eq(t.rows[rows].line, rows + 1);
	tfile_free(&t);
}

Test(csv, ascii_then_utf8_stays_utf8)
{
	const char *p = tmp_path("lateu8.csv");
	FILE *f = fopen(p, "wb");
	size_t n = 0;
	tfile t;
	cr_assert_not_null(f);
	while (n < (2u << 20))
		n += (size_t)fprintf(f, "ascii,row\n");
	fputs("营口市,x\n", f);
	fclose(f);
	t = read_file(p);
	unlink(p);
	cr_assert_eq(t.open_rc, XY_OK, "%s", t.err.msg);
	cr_expect_eq(t.enc, XY_ENC_UTF8);
	cr_expect_str_eq(t.rows[t.nrows - 1].cells[0], "营口市");
	cr_expect_null(t.rows[t.nrows - 1].problem);
	tfile_free(&t);
}

/* ---- writer ---- */

static const char *const report_cells[] = {"盖州市\"禾丰\",农资", " 前导空格", "第一行\n第二行",
                                           "鲅鱼圈区㐀䶮𠀀餐饮店", ""};

Test(csv_writer, gb18030_round_trip)
{
	const char *p = tmp_path("report-gb.csv");
	xy_writer *w;
	xy_error err = XY_ERROR_INIT;
	xy_row in = {.line = 3, .ncells = 5, .cells = report_cells};
	size_t lens[5];
	tfile t;
	for (size_t i = 0; i < 5; i++)
		lens[i] = strlen(report_cells[i]);
	in.lens = lens;
	cr_assert_eq(xy_writer_open(&w, p, XY_FMT_CSV, XY_ENC_GB18030, &err), XY_OK, "%s", err.msg);
	cr_assert_eq(xy_writer_header(w, 5, header, &err), XY_OK);
	cr_assert_eq(
	    xy_writer_row(w, &in, "统一社会信用代码", "校验码错误", "bad check digit", &err),
	    XY_OK);
	cr_assert_eq(xy_writer_close(w, &err), XY_OK);

	t = read_file(p);
	unlink(p);
	cr_assert_eq(t.open_rc, XY_OK, "%s", t.err.msg);
	cr_expect_eq(t.enc, XY_ENC_GB18030);
	cr_assert_eq(t.nrows, 2);
	cr_assert_eq(t.rows[0].ncells, 9);
	cr_expect_str_eq(t.rows[0].cells[0], "行政相对人名称");
	cr_expect_str_eq(t.rows[0].cells[5], "错误行号");
	cr_expect_str_eq(t.rows[0].cells[8], "error");
	cr_assert_eq(t.rows[1].ncells, 9);
	for (size_t i = 0; i < 5; i++)
		cr_expect_str_eq(t.rows[1].cells[i], report_cells[i]);
	cr_expect_str_eq(t.rows[1].cells[5], "3");
	cr_expect_str_eq(t.rows[1].cells[6], "统一社会信用代码");
	cr_expect_str_eq(t.rows[1].cells[7], "校验码错误");
	cr_expect_str_eq(t.rows[1].cells[8], "bad check digit");
	tfile_free(&t);
}

Test(csv_writer, utf16le_round_trip_with_bom_and_tabs)
{
	const char *p = tmp_path("report-u16.csv");
	xy_writer *w;
	xy_error err = XY_ERROR_INIT;
	xy_row in = {.line = 3, .ncells = 5, .cells = report_cells};
	size_t lens[5];
	unsigned char head[8];
	FILE *f;
	tfile t;
	for (size_t i = 0; i < 5; i++)
		lens[i] = strlen(report_cells[i]);
	in.lens = lens;
	cr_assert_eq(xy_writer_open(&w, p, XY_FMT_CSV, XY_ENC_UTF16LE, &err), XY_OK, "%s",
	             err.msg);
	cr_assert_eq(xy_writer_header(w, 5, header, &err), XY_OK);
	cr_assert_eq(xy_writer_row(w, &in, "统一社会信用代码", "校验码错误", "bad, check", &err),
	             XY_OK);
	cr_assert_eq(xy_writer_close(w, &err), XY_OK);
	f = fopen(p, "rb");
	cr_assert_not_null(f);
	cr_assert_eq(fread(head, 1, 8, f), 8);
	fclose(f);
	cr_expect_eq(head[0], 0xFF);
	cr_expect_eq(head[1], 0xFE);
	cr_expect_eq(head[2], 0x4C); /* 行 = U+884C, little-endian */
	cr_expect_eq(head[3], 0x88);

	t = read_file(p);
	unlink(p);
	cr_assert_eq(t.open_rc, XY_OK, "%s", t.err.msg);
	cr_expect_eq(t.enc, XY_ENC_UTF16LE);
	cr_assert_eq(t.nrows, 2);
	cr_assert_eq(t.rows[1].ncells, 9, "tab-separated: the comma cells stay whole");
	for (size_t i = 0; i < 5; i++)
		cr_expect_str_eq(t.rows[1].cells[i], report_cells[i]);
	cr_expect_str_eq(t.rows[1].cells[8], "bad, check");
	tfile_free(&t);
}

Test(csv_writer, utf8_has_bom_quotes_and_crlf)
{
	const char *p = tmp_path("report-utf8.csv");
	const char *const names[] = {"a", "b"};
	const char *const cells[] = {"x,y", "say \"hi\""};
	const size_t lens[] = {3, 8};
	void *impl;
	const xy_writer_ops *ops;
	xy_error err = XY_ERROR_INIT;
	char buf[128] = {0};
	FILE *f;
	size_t n;

	cr_assert_eq(xy__csv_writer_open(&impl, &ops, p, XY_ENC_UTF8, &err), XY_OK);
	cr_assert_eq(ops->header(impl, 2, names, &err), XY_OK);
	cr_assert_eq(ops->row(impl, 2, cells, lens, &err), XY_OK);
	cr_assert_eq(ops->close(impl, &err), XY_OK);
	f = fopen(p, "rb");
	cr_assert_not_null(f);
	n = fread(buf, 1, sizeof buf - 1, f);
	fclose(f);
	unlink(p);
	cr_expect_eq(n, strlen("\xEF\xBB\xBF"
	                       "a,b\r\n\"x,y\",\"say \"\"hi\"\"\"\r\n"));
	cr_expect_str_eq(buf, "\xEF\xBB\xBF"
	                      "a,b\r\n\"x,y\",\"say \"\"hi\"\"\"\r\n");
}

Test(csv_writer, disk_full_reported_on_close)
{
	const char *const names[] = {"行政相对人名称"};
	void *impl;
	const xy_writer_ops *ops;
	xy_error err = XY_ERROR_INIT;
	xy_code rc = XY_OK;

	if (access("/dev/full", W_OK) != 0)
		cr_skip_test("no /dev/full");
	cr_assert_eq(xy__csv_writer_open(&impl, &ops, "/dev/full", XY_ENC_UTF8, &err), XY_OK);
	for (int i = 0; i < 10 && !rc; i++) /* small writes stay in stdio's buffer */
		rc = ops->header(impl, 1, names, &err);
	cr_expect_eq(rc, XY_OK);
	cr_expect_eq(ops->close(impl, &err), XY_ERR_IO);
	cr_expect(strstr(err.msg, "No space") != NULL, "%s", err.msg);
}

Test(csv_writer, cannot_create)
{
	xy_writer *w = NULL;
	xy_error err = XY_ERROR_INIT;
	cr_expect_eq(xy_writer_open(&w, "/nonexistent-dir/r.csv", XY_FMT_CSV, XY_ENC_UTF8, &err),
	             XY_ERR_IO);
	cr_expect_null(w);
}
