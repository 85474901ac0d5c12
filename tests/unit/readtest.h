/* What the workbook reader tests share (test_xlsx, test_ods): a temporary
 * directory per test, and reading rows with assertions. */
#ifndef XY_TEST_READTEST_H
#define XY_TEST_READTEST_H

#include "xinyong/reader.h"

extern char rt_dir[256]; /* the test's temporary directory */

void rt_setup(void);    /* .init: make rt_dir */
void rt_teardown(void); /* .fini: remove it */
/* rt_dir/name; four paths are valid at a time. */
const char *tmp(const char *name);

const xy_row *next_row(xy_reader *r);  /* the next row; fails the test at the end */
void expect_end(xy_reader *r);         /* fails the test unless the file ends */
/* Row cells equal to the NULL-terminated list want (CELLS(...)). */
void expect_cells(const xy_row *row, const char *const *want);
#define CELLS(...) ((const char *const[]){__VA_ARGS__, NULL})

#endif
