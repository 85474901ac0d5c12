/* The store fixture the credit unit tests share (test_credit, test_lists,
 * test_repair, test_commitment): a fresh database with the default
 * configuration in a temporary directory, today 2026-11-26, the registry and
 * the credit layer open on it. */
#ifndef XY_TEST_FIXTURE_H
#define XY_TEST_FIXTURE_H

#include "xinyong/credit.h"
#include "xinyong/ingest.h"

extern char fx_dir[256];  /* the temporary directory, removed by fx_close */
extern xy_store *st;
extern xy_registry reg;
extern xy_credit cr;
extern xy_error err;

#define OK(x) cr_assert_eq((x), XY_OK, "%s", err.msg)

void fx_open(void);
void fx_close(void);

/* Write text to a file in fx_dir; the path is valid until the next call. */
const char *fx_write(const char *name, const char *text);

/* Keep a heap block (a row's `mem`, an owned string) until fx_close, so a
 * test may fill the same variable again or return a row by value:
 * FX_KEEP(row) takes the row's block; the row then borrows its strings. */
void fx_keep(void *p);
#define FX_KEEP(row) (fx_keep((row).mem), (row).mem = NULL)

/* Import csv (the file's text) for unit × category, committed, no row rejected. */
void fx_import(const char *unit, const char *category, const char *csv);

#endif
