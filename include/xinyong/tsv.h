/* xinyong: reading the configuration's TSV files (the *.tsv of data/).
 *
 * UTF-8 text (a BOM from an editor is dropped), tab-separated, one record a
 * line; lines starting with '#' and blank lines are skipped; CRLF is fine.
 * The whole file is read (configuration files are small; `limit` caps it) and
 * split in place, so the column strings live until xy_tsv_close.
 */
#ifndef XINYONG_TSV_H
#define XINYONG_TSV_H

#include <stdbool.h>
#include <stddef.h>

#include "error.h"

#define XY_TSV_MAXCOL 32

typedef struct xy_tsv {
	char path[1024];
	char *text;   /* the file, split in place */
	char *next;   /* next unread line */
	long line;    /* line number of the current record (1-based) */
	char *col[XY_TSV_MAXCOL];
	size_t ncol;
	bool toomany; /* the current line has more than XY_TSV_MAXCOL columns */
} xy_tsv;

/* Read path (at most limit bytes).  XY_ERR_IO when it cannot be read,
 * XY_ERR_CONFIG when too large or not text (NUL bytes). */
xy_code xy_tsv_open(xy_tsv *t, const char *path, size_t limit, xy_error *err);

/* The same over text in memory (copied); name stands for the path in errors. */
xy_code xy_tsv_open_text(xy_tsv *t, const char *name, const char *text, size_t len,
			 xy_error *err);

/* Next record, split on tabs: 1, or 0 at the end. */
int xy_tsv_next(xy_tsv *t);

/* Column i of the current record, "" past the last. */
const char *xy_tsv_col(const xy_tsv *t, size_t i);

/* Read the header line and check that its first n columns are names (more
 * may follow).  XY_ERR_CONFIG naming the path, line and the expected column
 * when the file is empty or a column differs. */
xy_code xy_tsv_header(xy_tsv *t, const char *const *names, size_t n, xy_error *err);

void xy_tsv_close(xy_tsv *t);

#endif
