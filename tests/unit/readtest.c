/* What the workbook reader tests share: see readtest.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>

#include "readtest.h"

char rt_dir[256];

void rt_setup(void)
{
	snprintf(rt_dir, sizeof rt_dir, "/tmp/xy_read_XXXXXX");
	cr_assert_not_null(mkdtemp(rt_dir));
}

void rt_teardown(void)
{
	char cmd[300];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", rt_dir);
	cr_assert_eq(system(cmd), 0);
}

const char *tmp(const char *name)
{
	static char buf[4][400];
	static int k;
	char *p = buf[k++ % 4];
	snprintf(p, 400, "%s/%s", rt_dir, name);
	return p;
}

const xy_row *next_row(xy_reader *r)
{
	const xy_row *row = NULL;
	xy_error e = XY_ERROR_INIT;
	xy_code rc = xy_reader_next(r, &row, &e);
	cr_assert_eq(rc, XY_OK, "next: %s", e.msg);
	cr_assert_not_null(row, "unexpected end of file");
	return row;
}

void expect_end(xy_reader *r)
{
	const xy_row *row = (const xy_row *)1;
	xy_error e = XY_ERROR_INIT;
	cr_assert_eq(xy_reader_next(r, &row, &e), XY_OK, "%s", e.msg);
	cr_assert_null(row, "expected the end, got a row at line %ld", row ? row->line : 0);
}

void expect_cells(const xy_row *row, const char *const *want)
{
	size_t n = 0;
	while (want[n])
		n++;
	cr_assert_eq(row->ncells, n, "line %ld: %zu cells, want %zu", row->line, row->ncells, n);
	for (size_t i = 0; i < n; i++) {
		cr_assert_str_eq(row->cells[i], want[i], "line %ld col %zu", row->line, i);
		cr_assert_eq(row->lens[i], strlen(want[i]));
	}
}
