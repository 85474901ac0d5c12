/* XLS reader (lib/ingest/xls.c) on a workbook LibreOffice saved as .xls. */
#include <criterion/criterion.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "lib/ingest/xls_stream.h"
#include "xinyong/reader.h"
#include "xy_config.h"

#define DATA(name) XY_TEST_DATA "/xls/" name
#define REGRESSION(name) XY_TEST_DATA "/../fuzz/regressions/xls/" name

typedef struct seen {
	long line;
	char sheet[64];
	bool is_header;
	size_t ncells;
	char c0[256], c13[256], c19[64], c22[64], c15[256];
	bool problem;
} seen;

static size_t read_all(const char *path, seen *out, size_t max, xy_code *rc, xy_error *err)
{
	xy_reader *r = NULL;
	const xy_row *row;
	size_t n = 0;
	*rc = xy_reader_open(&r, path, NULL, err);
	if (*rc)
		return 0;
	cr_assert_eq(xy_reader_format(r), XY_FMT_XLS);
	while ((*rc = xy_reader_next(r, &row, err)) == XY_OK && row) {
		seen *s = &out[n];
		cr_assert_lt(n, max);
		memset(s, 0, sizeof *s);
		s->line = row->line;
		cr_assert_not_null(row->sheet, "every row of a workbook names its sheet");
		snprintf(s->sheet, sizeof s->sheet, "%s", row->sheet);
		s->is_header = row->is_header;
		s->ncells = row->ncells;
		s->problem = row->problem != NULL;
		for (size_t i = 0; i < row->ncells; i++)
			cr_assert_eq(strlen(row->cells[i]), row->lens[i]);
		if (row->ncells > 0)
			snprintf(s->c0, sizeof s->c0, "%s", row->cells[0]);
		if (row->ncells > 13)
			snprintf(s->c13, sizeof s->c13, "%s", row->cells[13]);
		if (row->ncells > 15)
			snprintf(s->c15, sizeof s->c15, "%s", row->cells[15]);
		if (row->ncells > 19)
			snprintf(s->c19, sizeof s->c19, "%s", row->cells[19]);
		if (row->ncells > 22)
			snprintf(s->c22, sizeof s->c22, "%s", row->cells[22]);
		n++;
	}
	xy_reader_free(r);
	return n;
}

Test(xls, libreoffice_saved_template_rows)
{
	seen rows[16];
	xy_error err = XY_ERROR_INIT;
	xy_code rc;
	size_t n = read_all(DATA("simple-2019.xls"), rows, 16, &rc, &err);
	cr_assert_eq(rc, XY_OK, "%s", err.msg);
	/* title, 填报单位 line, header, record, (blank row 5), record */
	cr_assert_eq(n, 5, "%zu rows", n);
	cr_expect_str_eq(rows[0].sheet, "simple-2019");
	cr_expect(rows[0].is_header, "first non-empty row of the sheet");
	cr_expect_str_eq(rows[0].c0, "行政处罚信息");
	cr_expect_eq(rows[0].line, 1);
	cr_expect_eq(rows[1].line, 2);
	cr_expect_str_eq(rows[2].c0, "行政相对人名称");
	cr_expect_not(rows[2].is_header);
	cr_expect_eq(rows[2].line, 3);
	cr_expect_str_eq(rows[3].c0, "营口市鑫源商贸有限公司");
	cr_expect_eq(rows[3].line, 4);
	cr_expect_eq(rows[4].line, 6, "the blank row 5 is counted");
	cr_expect_str_eq(rows[4].c0, "王示例");
	for (size_t i = 0; i < n; i++)
		cr_expect_not(rows[i].problem);
}

Test(xls, cells_numbers_and_dates)
{
	xy_reader *r = NULL;
	const xy_row *row;
	xy_error err = XY_ERROR_INIT;
	int k = 0;
	cr_assert_eq(xy_reader_open(&r, DATA("simple-2019.xls"), NULL, &err), XY_OK, "%s", err.msg);
	while (xy_reader_next(r, &row, &err) == XY_OK && row && ++k < 4)
		;
	cr_assert_not_null(row);
	cr_assert_eq(row->ncells, 5);
	cr_expect_str_eq(row->cells[1], "91210800MA0XY0001A");
	cr_expect_str_eq(row->cells[2], "营市监罚〔2019〕12号");
	cr_expect_str_eq(row->cells[3], "0.5");
	cr_expect_str_eq(row->cells[4], "2019-03-01");
	xy_reader_free(r);
}

/* freexl 1.0.6 cannot read the full 2019 template as LibreOffice 7.4 saves it
 * (it answers OK with no handle): refused with a message, never a crash or an
 * empty import. */
Test(xls, template_freexl_cannot_read_is_refused)
{
	seen rows[32];
	xy_error err = XY_ERROR_INIT;
	xy_code rc;
	size_t n = read_all(DATA("shuanggongshi-2019.xls"), rows, 32, &rc, &err);
	if (rc == XY_OK) { /* a fixed freexl: then the rows must be right */
		cr_expect_eq(n, 7);
		return;
	}
	cr_expect_eq(rc, XY_ERR_FORMAT);
	cr_expect(strstr(err.msg, ".xlsx") != NULL, "%s", err.msg);
}

Test(xls, ole2_that_is_not_biff_is_a_format_error)
{
	seen rows[4];
	xy_error err = XY_ERROR_INIT;
	xy_code rc;
	read_all(DATA("not-biff.xls"), rows, 4, &rc, &err);
	cr_expect_eq(rc, XY_ERR_FORMAT);
	cr_expect(strstr(err.msg, ".xls") != NULL, "%s", err.msg);
}

/* A damaged OLE2 container that freexl 1.0.6 does not survive is refused
 * before freexl reads it, with a message containing `says` and asking for
 * .xlsx (found by fuzzing, docs/fuzzing.md). */
static void expect_refused(const char *path, const char *says)
{
	seen rows[4];
	xy_error err = XY_ERROR_INIT;
	xy_code rc;
	size_t n = read_all(path, rows, 4, &rc, &err);
	cr_expect_eq(rc, XY_ERR_FORMAT, "%s", err.msg);
	cr_expect_eq(n, 0);
	cr_expect(strstr(err.msg, says) != NULL, "%s", err.msg);
	cr_expect(strstr(err.msg, ".xlsx") != NULL, "%s", err.msg);
}

/* A directory entry's name length over its 64-byte field made freexl read
 * past its stack buffer (ASan). */
Test(xls, directory_entry_name_too_long_is_refused)
{
	expect_refused(DATA("dir-name-size.xls"), "directory entry 2 names 5632 bytes");
}

/* A mini stream chain leaving the file made freexl fail without freeing its
 * buffer (LSan). */
Test(xls, mini_stream_outside_the_file_is_refused)
{
	expect_refused(DATA("mini-stream-outside.xls"), "mini stream (3008 bytes) runs outside");
}

/* ---- libfreexl in a child process (xinyong-xls-reader) ---- */

/* The input that made libfreexl 1.0.6 free an invalid pointer (SEGV in a
 * release build, which killed the importer): only the child dies. */
Test(xls, freexl_crash_refuses_the_file)
{
	seen rows[4];
	xy_error err = XY_ERROR_INIT;
	xy_code rc;
	size_t n = read_all(REGRESSION("freexl-invalid-free.xls"), rows, 4, &rc, &err);
	cr_expect_eq(rc, XY_ERR_FORMAT, "%s", err.msg);
	cr_expect_eq(n, 0);
	cr_expect(strstr(err.msg, "the .xls could not be read safely: the reader process") != NULL,
	          "%s", err.msg);
	cr_expect(strstr(err.msg, "save it as .xlsx") != NULL, "%s", err.msg);
	cr_expect(strstr(err.file, "freexl-invalid-free.xls") != NULL, "names the file: %s",
	          err.file);
}

/* The input where freexl allocated a sheet's cells twice and lost the first:
 * the loss is the child's (it ends without freeing anything); freexl then
 * fails on a cell, which refuses the file. */
Test(xls, freexl_leak_input_is_refused)
{
	seen rows[4];
	xy_error err = XY_ERROR_INIT;
	xy_code rc;
	size_t n = read_all(REGRESSION("freexl-cells-reallocated-leak.xls"), rows, 4, &rc, &err);
	cr_expect_eq(rc, XY_ERR_FORMAT, "%s", err.msg);
	cr_expect_eq(n, 0);
	cr_expect(strstr(err.msg, "freexl error") != NULL, "%s", err.msg);
	cr_expect(strstr(err.msg, ".xlsx") != NULL, "%s", err.msg);
}

/* The whole generated workbook, every row in order, through the child. */
Test(xls, generated_workbook_all_rows)
{
	seen rows[32];
	xy_error err = XY_ERROR_INIT;
	xy_code rc;
	size_t n = read_all(DATA("gen-20.xls"), rows, 32, &rc, &err);
	cr_assert_eq(rc, XY_OK, "%s", err.msg);
	cr_assert_eq(n, 21, "header and 20 rows: %zu", n);
	cr_expect(rows[0].is_header);
	for (size_t i = 0; i < n; i++) {
		cr_expect_eq(rows[i].line, (long)i + 1);
		cr_expect_str_eq(rows[i].sheet, "gen-20");
		cr_expect_neq(rows[i].c0[0], '\0', "row %zu has a name", i + 1);
	}
}

/* A child over its address-space limit: freexl's allocations fail in it and
 * the file is refused naming the limit.  (ASan's shadow memory needs more
 * address space than any such limit, so sanitized helpers do not set it.) */
Test(xls, memory_limit_refuses_the_file)
{
#if defined(__SANITIZE_ADDRESS__)
	cr_skip_test("RLIMIT_AS is not applied under ASan");
#else
	seen rows[4];
	xy_error err = XY_ERROR_INIT;
	xy_code rc;
	xy__xls_set_limits(1u << 20, 0); /* below what the process already maps */
	read_all(DATA("simple-2019.xls"), rows, 4, &rc, &err);
	xy__xls_set_limits(0, 0);
	cr_expect_eq(rc, XY_ERR_FORMAT, "%s", err.msg);
	cr_expect(strstr(err.msg, "could not be read safely") != NULL, "%s", err.msg);
	cr_expect(strstr(err.msg, "1 MiB of memory") != NULL, "%s", err.msg);
#endif
}

/* A stand-in for xinyong-xls-reader: a shell script (body after the #! line)
 * named by $XY_XLS_READER for this test's process.  REAL is the real one. */
static void fake_helper(const char *body)
{
	static char path[] = "/tmp/xy-fake-xls-reader-XXXXXX";
	int fd = mkstemp(path);
	FILE *f;
	cr_assert_geq(fd, 0);
	cr_assert_not_null(f = fdopen(fd, "w"));
	fprintf(f, "#!/bin/sh\nREAL='%s'\n%s\n", XY_XLS_READER_PATH, body);
	cr_assert_eq(fclose(f), 0);
	cr_assert_eq(chmod(path, 0700), 0);
	cr_assert_eq(setenv("XY_XLS_READER", path, 1), 0);
}

static void fake_helper_done(void)
{
	const char *p = getenv("XY_XLS_READER");
	if (p)
		unlink(p);
}

/* Rows handed out, then the child dies before the end: the reader ends with
 * an error (the importer refuses the whole batch on it: t0057). */
Test(xls, child_killed_after_rows_is_an_error, .fini = fake_helper_done)
{
	xy_reader *r = NULL;
	const xy_row *row;
	xy_error err = XY_ERROR_INIT;
	xy_code rc;
	int n = 0;
	/* the real stream without its closing 'Z', then a crash */
	fake_helper("\"$REAL\" \"$@\" | head -c -1\nkill -SEGV $$");
	cr_assert_eq(xy_reader_open(&r, DATA("gen-20.xls"), NULL, &err), XY_OK, "%s", err.msg);
	while ((rc = xy_reader_next(r, &row, &err)) == XY_OK && row)
		n++;
	cr_expect_eq(n, 21, "every row came before the crash");
	cr_expect_eq(rc, XY_ERR_FORMAT);
	cr_expect(strstr(err.msg, "could not be read safely: the reader process was killed by "
	                          "SIGSEGV") != NULL, "%s", err.msg);
	rc = xy_reader_next(r, &row, &err);
	cr_expect_eq(rc, XY_ERR_FORMAT, "and stays an error");
	xy_reader_free(r);
}

/* Malformed streams from a live child: refused, the child killed. */
static void expect_stream_refused(const char *body, const char *says)
{
	seen rows[4];
	xy_error err = XY_ERROR_INIT;
	xy_code rc;
	fake_helper(body);
	read_all(DATA("simple-2019.xls"), rows, 4, &rc, &err);
	cr_expect_eq(rc, XY_ERR_FORMAT, "%s", err.msg);
	cr_expect(strstr(err.msg, says) != NULL, "%s", err.msg);
	cr_expect_eq(waitpid(-1, NULL, WNOHANG), -1, "no child left behind");
}

Test(xls, stream_without_header_is_refused, .fini = fake_helper_done)
{
	expect_stream_refused("printf 'XYXLS\\000\\000\\002'; exec sleep 30",
	                      "did not answer as expected");
}

Test(xls, stream_row_before_sheet_is_refused, .fini = fake_helper_done)
{
	expect_stream_refused("printf 'XYXLS\\000\\000\\001W\\001\\000\\000\\000"
	                      "R\\000\\000\\000\\000\\001\\000\\000\\000'; exec sleep 30",
	                      "row 1 (1 cells) out of place");
}

Test(xls, stream_text_over_the_cap_is_refused, .fini = fake_helper_done)
{
	expect_stream_refused("printf 'XYXLS\\000\\000\\001W\\001\\000\\000\\000"
	                      "S\\001\\000\\000\\000\\001\\000\\000\\000"
	                      "\\377\\377\\377\\377'; exec sleep 30",
	                      "a text of 4294967295 bytes");
}

Test(xls, stream_ending_early_is_refused, .fini = fake_helper_done)
{
	expect_stream_refused("\"$REAL\" \"$@\" | head -c 40", "stopped before the end");
}

Test(xls, missing_helper_is_an_io_error)
{
	seen rows[4];
	xy_error err = XY_ERROR_INIT;
	xy_code rc;
	cr_assert_eq(setenv("XY_XLS_READER", "/nonexistent/xinyong-xls-reader", 1), 0);
	read_all(DATA("simple-2019.xls"), rows, 4, &rc, &err);
	cr_expect_eq(rc, XY_ERR_IO, "%s", err.msg);
	cr_expect(strstr(err.msg, "cannot start the .xls reader program") != NULL, "%s", err.msg);
}

/* Reading stopped early (an import cancelled): freeing the reader stops and
 * reaps the child. */
Test(xls, free_before_the_end_reaps_the_child)
{
	xy_reader *r = NULL;
	const xy_row *row;
	xy_error err = XY_ERROR_INIT;
	cr_assert_eq(xy_reader_open(&r, DATA("gen-20.xls"), NULL, &err), XY_OK, "%s", err.msg);
	cr_assert_eq(xy_reader_next(r, &row, &err), XY_OK);
	cr_assert_not_null(row);
	xy_reader_free(r);
	cr_expect_eq(waitpid(-1, NULL, WNOHANG), -1);
	cr_expect_eq(errno, ECHILD);
}

Test(xls, report_is_xlsx)
{
	cr_expect_eq(xy_report_format(XY_FMT_XLS), XY_FMT_XLSX);
	cr_expect_eq(xy_report_format(XY_FMT_CSV), XY_FMT_CSV);
	cr_expect_eq(xy_format_parse("et"), XY_FMT_XLS);
	cr_expect_eq(xy_encoding_parse("UTF-16LE"), XY_ENC_UTF16LE);
	cr_expect_eq(xy_encoding_parse("latin1"), -1);
}
