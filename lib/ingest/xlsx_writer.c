/* XLSX error reports (and other plain tables: xy__xlsx_table_open) with
 * libxlsxwriter.
 *
 * One sheet "错误" (or the table's name): a bold header row (frozen), then the rejected rows.  Every
 * cell is written as a string, exactly as the reader returned it, so that a
 * unit sending the report back re-imports the same text.  A second header()
 * (the next input sheet) goes after a blank row.  The workbook is built in
 * libxlsxwriter's constant-memory mode (rows stream to a temporary file), so
 * a large report does not grow the heap.
 *
 * libxlsxwriter prints to stderr on some failures (it has no switch to turn
 * that off); the path is checked for writability at open and again at close
 * so the common failures (bad directory, no permission, directory removed)
 * are reported here without that output.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <xlsxwriter.h>

#include "xinyong/buf.h"
#include "xinyong/reader.h"

#define XW_SHEET "错误"
#define XW_MAX_STRING 32767 /* Excel's limit for one cell */
#define XW_MAX_WIDTH 60.0
#define XW_MIN_WIDTH 8.0
#define XW_MAX_COLS 16384 /* Excel's column limit */

typedef struct xw {
	char *path;
	char *sheet; /* the first sheet's name; the next ones get 2, 3, … */
	lxw_workbook *wb;
	lxw_worksheet *ws;
	lxw_format *bold;
	lxw_row_t row; /* next row to write */
	int nsheets;
	bool any_header;
	double *width; /* per column, in character units */
	size_t nwidth;
	char **header; /* the last header, re-sent on a new sheet */
	size_t nheader;
	xy_buf cell; /* scratch: one cell, NUL-terminated, truncated */
} xw;

/* Display width of UTF-8 text: CJK and other wide characters count 2. */
static double text_width(const char *s, size_t n)
{
	double w = 0;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c < 0x80)
			w += 1;
		else if (c >= 0xE0)
			w += 2; /* a 3- or 4-byte sequence: CJK, full-width forms */
		else if (c >= 0xC0)
			w += 1;
	}
	return w;
}

static void free_header(xw *w)
{
	for (size_t i = 0; i < w->nheader; i++)
		free(w->header[i]);
	free(w->header);
	w->header = NULL;
	w->nheader = 0;
}

static xy_code lxw_fail(xw *w, lxw_error e, const char *what, xy_error *err)
{
	if (e == LXW_ERROR_MEMORY_MALLOC_FAILED)
		return xy_error_at(err, XY_ERR_NOMEM, w->path, 0, NULL, "out of memory");
	return xy_error_at(err, XY_ERR_IO, w->path, 0, NULL, "%s: %s", what, lxw_strerror(e));
}

static void track_width(xw *w, size_t col, const char *s, size_t n)
{
	double cw = text_width(s, n) + 2;
	if (col >= w->nwidth) {
		size_t cap = w->nwidth ? w->nwidth : 16;
		double *p;
		while (cap <= col)
			cap *= 2;
		p = realloc(w->width, cap * sizeof *p);
		if (!p)
			return; /* widths are cosmetic */
		for (size_t i = w->nwidth; i < cap; i++)
			p[i] = 0;
		w->width = p;
		w->nwidth = cap;
	}
	if (cw > w->width[col])
		w->width[col] = cw;
}

/* Write s[0..n) as a string cell (cut at XW_MAX_STRING bytes on a character
 * boundary, and at an embedded NUL). */
static xy_code put(xw *w, size_t col, const char *s, size_t n, lxw_format *fmt, xy_error *err)
{
	lxw_error e;
	const char *nul = memchr(s, '\0', n);
	if (nul)
		n = (size_t)(nul - s);
	if (n > XW_MAX_STRING) {
		n = XW_MAX_STRING;
		while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
			n--;
	}
	if (!n && !fmt)
		return XY_OK;
	xy_buf_reset(&w->cell);
	if (xy_buf_add(&w->cell, s, n))
		return xy_error_at(err, XY_ERR_NOMEM, w->path, 0, NULL, "out of memory");
	e = worksheet_write_string(w->ws, w->row, (lxw_col_t)col, w->cell.data, fmt);
	if (e)
		return lxw_fail(w, e, "cannot write a cell", err);
	track_width(w, col, s, n);
	return XY_OK;
}

static xy_code new_sheet(xw *w, xy_error *err)
{
	char name[32]; /* Excel's limit: 31 characters */
	if (w->nsheets == 0)
		snprintf(name, sizeof name, "%s", w->sheet);
	else
		snprintf(name, sizeof name, "%s%d", w->sheet, w->nsheets + 1);
	w->ws = workbook_add_worksheet(w->wb, name);
	if (!w->ws)
		return xy_error_at(err, XY_ERR_NOMEM, w->path, 0, NULL, "cannot add a worksheet");
	w->nsheets++;
	w->row = 0;
	w->any_header = false;
	free(w->width);
	w->width = NULL;
	w->nwidth = 0;
	return XY_OK;
}

static void apply_widths(xw *w)
{
	for (size_t i = 0; i < w->nwidth && i < XW_MAX_COLS; i++) {
		double cw = w->width[i];
		if (cw == 0)
			continue;
		if (cw < XW_MIN_WIDTH)
			cw = XW_MIN_WIDTH;
		if (cw > XW_MAX_WIDTH)
			cw = XW_MAX_WIDTH;
		worksheet_set_column(w->ws, (lxw_col_t)i, (lxw_col_t)i, cw, NULL);
	}
}

static xy_code write_header(xw *w, xy_error *err)
{
	xy_code rc;
	if (w->any_header)
		w->row++; /* a blank row between this header and the rows above */
	if (w->row >= LXW_ROW_MAX) {
		apply_widths(w);
		if ((rc = new_sheet(w, err)))
			return rc;
	}
	for (size_t i = 0; i < w->nheader && i < XW_MAX_COLS; i++)
		if ((rc = put(w, i, w->header[i], strlen(w->header[i]), w->bold, err)))
			return rc;
	if (!w->any_header)
		worksheet_freeze_panes(w->ws, w->row + 1, 0);
	w->any_header = true;
	w->row++;
	return XY_OK;
}

static xy_code xw_header(void *impl, size_t ncols, const char *const *names, xy_error *err)
{
	xw *w = impl;
	free_header(w);
	w->header = calloc(ncols ? ncols : 1, sizeof *w->header);
	if (!w->header)
		return xy_error_at(err, XY_ERR_NOMEM, w->path, 0, NULL, "out of memory");
	for (size_t i = 0; i < ncols; i++) {
		size_t n = strlen(names[i]);
		w->header[i] = malloc(n + 1);
		if (!w->header[i]) {
			w->nheader = i;
			return xy_error_at(err, XY_ERR_NOMEM, w->path, 0, NULL, "out of memory");
		}
		memcpy(w->header[i], names[i], n + 1);
	}
	w->nheader = ncols;
	return write_header(w, err);
}

static xy_code xw_row(void *impl, size_t ncells, const char *const *cells, const size_t *lens,
                      xy_error *err)
{
	xw *w = impl;
	xy_code rc;
	if (w->row >= LXW_ROW_MAX) {
		/* the sheet is full: go on in 错误2 under the same header */
		apply_widths(w);
		if ((rc = new_sheet(w, err)) || (w->nheader && (rc = write_header(w, err))))
			return rc;
	}
	for (size_t i = 0; i < ncells && i < XW_MAX_COLS; i++)
		if ((rc = put(w, i, cells[i], lens ? lens[i] : strlen(cells[i]), NULL, err)))
			return rc;
	w->row++;
	return XY_OK;
}

static void xw_free(xw *w)
{
	free_header(w);
	free(w->width);
	xy_buf_release(&w->cell);
	free(w->path);
	free(w->sheet);
	free(w);
}

static xy_code xw_close(void *impl, xy_error *err)
{
	xw *w = impl;
	lxw_error e;
	xy_code rc = XY_OK;
	FILE *f;
	apply_widths(w);
	/* workbook_close() prints when it cannot create the file: check first */
	f = fopen(w->path, "wb");
	if (!f) {
		rc = xy_error_at(err, XY_ERR_IO, w->path, 0, NULL, "cannot write the report: %s",
		                 strerror(errno));
		lxw_workbook_free(w->wb);
		xw_free(w);
		return rc;
	}
	fclose(f);
	e = workbook_close(w->wb);
	if (e)
		rc = xy_error_at(err, XY_ERR_IO, w->path, 0, NULL, "cannot write the report: %s",
		                 lxw_strerror(e));
	xw_free(w);
	return rc;
}

static const xy_writer_ops xw_ops = {
    .header = xw_header,
    .row = xw_row,
    .close = xw_close,
};

xy_code xy__xlsx_writer_open(void **impl, const xy_writer_ops **ops, const char *path,
                             xy_error *err)
{
	return xy__xlsx_table_open(impl, ops, path, XW_SHEET, err);
}

xy_code xy__xlsx_table_open(void **impl, const xy_writer_ops **ops, const char *path,
                            const char *sheet, xy_error *err)
{
	lxw_workbook_options opt = {
	    .constant_memory = LXW_TRUE, .tmpdir = NULL, .use_zip64 = LXW_FALSE};
	xw *w;
	FILE *f;
	xy_code rc;
	*impl = NULL;
	/* libxlsxwriter only creates the file in workbook_close(), and prints
	 * when it cannot: find out now. */
	f = fopen(path, "wb");
	if (!f)
		return xy_error_at(err, XY_ERR_IO, path, 0, NULL, "cannot create: %s",
		                   strerror(errno));
	fclose(f);
	w = calloc(1, sizeof *w);
	if (!w)
		return xy_error_at(err, XY_ERR_NOMEM, path, 0, NULL, "out of memory");
	xy_buf_init(&w->cell, 0);
	w->path = malloc(strlen(path) + 1);
	if (!w->path) {
		xw_free(w);
		return xy_error_at(err, XY_ERR_NOMEM, path, 0, NULL, "out of memory");
	}
	memcpy(w->path, path, strlen(path) + 1);
	w->sheet = malloc(strlen(sheet) + 1);
	if (!w->sheet) {
		xw_free(w);
		return xy_error_at(err, XY_ERR_NOMEM, path, 0, NULL, "out of memory");
	}
	memcpy(w->sheet, sheet, strlen(sheet) + 1);
	w->wb = workbook_new_opt(path, &opt);
	if (!w->wb) {
		xw_free(w);
		return xy_error_at(
		    err, XY_ERR_NOMEM, path, 0, NULL,
		    "cannot start the workbook (out of memory or no temporary directory)");
	}
	w->bold = workbook_add_format(w->wb);
	if (!w->bold) {
		workbook_close(w->wb);
		xw_free(w);
		return xy_error_at(err, XY_ERR_NOMEM, path, 0, NULL, "out of memory");
	}
	format_set_bold(w->bold);
	if ((rc = new_sheet(w, err))) {
		workbook_close(w->wb);
		xw_free(w);
		return rc;
	}
	*impl = w;
	*ops = &xw_ops;
	return XY_OK;
}
