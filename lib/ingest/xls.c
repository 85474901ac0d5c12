/* XLS: BIFF8 workbooks (Excel 97-2003 .xls, WPS .et saved as BIFF) through
 * libfreexl.
 *
 * freexl reads the whole workbook into memory when it opens it; BIFF8 is
 * bounded by its own format (65,536 rows x 256 columns per sheet), so that
 * memory is bounded too.  Text cells arrive as UTF-8, date cells as
 * 'YYYY-MM-DD' text.  Every row of every sheet is handed out in order with
 * its sheet name and row number (1-based, as Excel shows it); empty rows are
 * skipped but counted.  freexl does not say which sheets are hidden, so all
 * sheets are read (the importer skips sheets whose rows never match a header).
 */
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <freexl.h>

#include "xinyong/buf.h"
#include "xinyong/reader.h"

typedef struct xls_reader {
	const void *h;
	char *path;
	size_t max_cell, max_columns;
	unsigned int nsheets, sheet; /* current sheet */
	unsigned int nrows, row;     /* of the current sheet; next row to read */
	unsigned short ncols;
	bool sheet_open, seen_header;
	char *sheet_name;
	uint64_t size;

	xy_buf text;
	size_t *offs, *lens;
	const char **cells;
	size_t cap;
	char problem[160], problem_zh[160];
	xy_row out;
} xls_reader;

/* Shortest text that reads back as the same double (integers without ".0"). */
static int format_double(char *buf, size_t n, double d)
{
	if (isfinite(d) && d == floor(d) && fabs(d) < 1e15)
		return snprintf(buf, n, "%.0f", d);
	for (int prec = 15; prec <= 17; prec++) {
		int len = snprintf(buf, n, "%.*g", prec, d);
		if (strtod(buf, NULL) == d)
			return len;
	}
	return snprintf(buf, n, "%.17g", d);
}

static xy_code open_sheet(xls_reader *r, xy_error *err)
{
	const char *name = NULL;
	int rc;
	free(r->sheet_name);
	r->sheet_name = NULL;
	if ((rc = freexl_select_active_worksheet(r->h, (unsigned short)r->sheet)) != FREEXL_OK ||
	    (rc = freexl_worksheet_dimensions(r->h, &r->nrows, &r->ncols)) != FREEXL_OK ||
	    (rc = freexl_get_worksheet_name(r->h, (unsigned short)r->sheet, &name)) != FREEXL_OK)
		return xy_error_at(err, XY_ERR_FORMAT, r->path, 0, NULL,
		                   "cannot read sheet %u of the .xls workbook (freexl error %d)",
		                   r->sheet + 1, rc);
	if (!(r->sheet_name = strdup(name ? name : "")))
		return xy_error_set(err, XY_ERR_NOMEM, "out of memory");
	r->row = 0;
	r->sheet_open = true;
	r->seen_header = false;
	return XY_OK;
}

/* Read row r->row of the current sheet into r->out; *empty if no cell has text. */
static xy_code read_row(xls_reader *r, bool *empty, xy_error *err)
{
	size_t ncols = r->ncols, keep = ncols < r->max_columns ? ncols : r->max_columns;
	bool problem = false;
	size_t last = 0;
	xy_code rc;

	*empty = true;
	xy_buf_reset(&r->text);
	if (keep > r->cap) {
		size_t *o = realloc(r->offs, keep * sizeof *o), *l;
		const char **c;
		if (o)
			r->offs = o;
		l = o ? realloc(r->lens, keep * sizeof *l) : NULL;
		if (l)
			r->lens = l;
		c = l ? realloc(r->cells, keep * sizeof *c) : NULL;
		if (!c)
			return xy_error_set(err, XY_ERR_NOMEM, "out of memory");
		r->cells = c;
		r->cap = keep;
	}
	r->out.problem = r->out.problem_zh = NULL;
	r->out.problem_col = -1;
	for (size_t i = 0; i < ncols; i++) {
		FreeXL_CellValue v;
		char num[64];
		const char *s = "";
		size_t n = 0, start = r->text.len;
		if (freexl_get_cell_value(r->h, r->row, (unsigned short)i, &v) != FREEXL_OK)
			return xy_error_at(err, XY_ERR_FORMAT, r->path, (long)r->row + 1, NULL,
			                   "sheet %s: cannot read a cell (freexl)", r->sheet_name);
		switch (v.type) {
		case FREEXL_CELL_INT:
			n = (size_t)snprintf(num, sizeof num, "%d", v.value.int_value);
			s = num;
			break;
		case FREEXL_CELL_DOUBLE:
			n = (size_t)format_double(num, sizeof num, v.value.double_value);
			s = num;
			break;
		case FREEXL_CELL_TEXT:
		case FREEXL_CELL_SST_TEXT:
		case FREEXL_CELL_DATE:
		case FREEXL_CELL_DATETIME:
		case FREEXL_CELL_TIME:
			s = v.value.text_value ? v.value.text_value : "";
			n = strlen(s);
			break;
		default:
			break;
		}
		if (n)
			*empty = false;
		if (i >= keep) {
			if (n && !problem) {
				problem = true;
				snprintf(r->problem, sizeof r->problem, "too many columns (%zu > %zu)",
				         ncols, r->max_columns);
				snprintf(r->problem_zh, sizeof r->problem_zh, "列数过多（%zu > %zu）",
				         ncols, r->max_columns);
			}
			continue;
		}
		if (n > r->max_cell) {
			n = r->max_cell;
			while (n && ((unsigned char)s[n] & 0xC0) == 0x80)
				n--;
			if (!problem) {
				problem = true;
				r->out.problem_col = (long)i;
				snprintf(r->problem, sizeof r->problem,
				         "cell longer than %zu bytes in column %zu", r->max_cell, i + 1);
				snprintf(r->problem_zh, sizeof r->problem_zh, "第%zu列超过 %zu 字节",
				         i + 1, r->max_cell);
			}
		}
		if ((rc = xy_buf_add(&r->text, s, n)) || (rc = xy_buf_addch(&r->text, '\0')))
			return xy_error_set(err, rc, "out of memory");
		r->offs[i] = start;
		r->lens[i] = n;
		if (n)
			last = i + 1;
	}
	/* trailing empty cells (the sheet's width) are not part of the row */
	r->out.ncells = last;
	for (size_t i = 0; i < last; i++)
		r->cells[i] = r->text.data + r->offs[i];
	if (problem) {
		r->out.problem = r->problem;
		r->out.problem_zh = r->problem_zh;
		*empty = false;
	}
	return XY_OK;
}

static xy_code xls_next(void *impl, const xy_row **row, xy_error *err)
{
	xls_reader *r = impl;
	xy_code rc;
	bool empty;

	*row = NULL;
	for (;;) {
		if (!r->sheet_open) {
			if (r->sheet >= r->nsheets)
				return XY_OK;
			if ((rc = open_sheet(r, err)))
				return rc;
		}
		if (r->row >= r->nrows) {
			r->sheet_open = false;
			r->sheet++;
			continue;
		}
		if ((rc = read_row(r, &empty, err)))
			return rc;
		r->row++;
		if (empty)
			continue;
		r->out.line = (long)r->row;
		r->out.sheet = r->sheet_name;
		r->out.is_header = !r->seen_header;
		r->seen_header = true;
		r->out.cells = r->cells;
		r->out.lens = r->lens;
		*row = &r->out;
		return XY_OK;
	}
}

static uint64_t xls_offset(const void *impl)
{
	const xls_reader *r = impl;
	/* the workbook is read whole on open: progress by sheets */
	return r->nsheets ? r->size * r->sheet / r->nsheets : r->size;
}

static xy_encoding xls_encoding(const void *impl)
{
	(void)impl;
	return XY_ENC_UTF8;
}

static void xls_free(void *impl)
{
	xls_reader *r = impl;
	if (!r)
		return;
	if (r->h)
		freexl_close(r->h);
	xy_buf_release(&r->text);
	free(r->offs);
	free(r->lens);
	free(r->cells);
	free(r->sheet_name);
	free(r->path);
	free(r);
}

static const xy_reader_ops xls_ops = {
    .next = xls_next,
    .offset = xls_offset,
    .encoding = xls_encoding,
    .free = xls_free,
};

/* libfreexl 1.0.6 trusts the name length of the OLE2 (CFBF) directory
 * entries it scans for the Workbook stream: a length over the 64-byte name
 * field makes it convert up to 64 KiB past its 4 KiB stack buffer (found by
 * tests/fuzz, docs/fuzzing.md).  So check the entries it will read -- the
 * first directory sector, whose number is at 0x30 of the header, sectors of
 * 512 bytes or 4096 when the shift at 0x1E is 12, 128-byte entries with the
 * name length at 64 -- before handing it the file.  A file too short to
 * hold them is left to freexl, which refuses it. */
static xy_code check_directory(FILE *f, const char *path, xy_error *err)
{
	unsigned char head[512], dir[4096];
	size_t sector;
	uint64_t where;
	if (fseeko(f, 0, SEEK_SET) != 0 || fread(head, 1, sizeof head, f) != sizeof head)
		return XY_OK;
	sector = ((unsigned)head[0x1E] | (unsigned)head[0x1F] << 8) == 12 ? 4096 : 512;
	where = ((uint64_t)head[0x30] | (uint64_t)head[0x31] << 8 | (uint64_t)head[0x32] << 16 |
		 (uint64_t)head[0x33] << 24) + 1;
	where *= sector;
	if (where > (uint64_t)INT64_MAX || fseeko(f, (off_t)where, SEEK_SET) != 0 ||
	    fread(dir, 1, sector, f) != sector)
		return XY_OK;
	for (size_t e = 0; e < sector; e += 128) {
		unsigned len = (unsigned)dir[e + 64] | (unsigned)dir[e + 65] << 8;
		if (len > 64)
			return xy_error_at(err, XY_ERR_FORMAT, path, 0, NULL,
			                   "not a readable .xls (BIFF8) workbook: directory entry %zu "
			                   "names %u bytes, at most 64 fit (the file is damaged); "
			                   "save it as .xlsx (.xls 文件已损坏，请另存为 .xlsx)",
			                   e / 128 + 1, len);
	}
	return XY_OK;
}

xy_code xy__xls_open(void **impl, const xy_reader_ops **ops, const char *path,
                     const xy_reader_opts *opts, xy_error *err)
{
	xls_reader *r = calloc(1, sizeof *r);
	unsigned int n = 0;
	FILE *f;
	int rc;

	*impl = NULL;
	if (!r)
		return xy_error_set(err, XY_ERR_NOMEM, "out of memory");
	xy_buf_init(&r->text, 0);
	r->max_cell = opts && opts->max_cell ? opts->max_cell : XY_READER_MAX_CELL;
	r->max_columns = opts && opts->max_columns ? opts->max_columns : XY_READER_MAX_COLUMNS;
	if (!(r->path = strdup(path))) {
		xls_free(r);
		return xy_error_set(err, XY_ERR_NOMEM, "out of memory");
	}
	if (!(f = fopen(path, "rb"))) {
		xls_free(r);
		return xy_error_at(err, XY_ERR_IO, path, 0, NULL, "cannot open");
	}
	if (fseeko(f, 0, SEEK_END) == 0)
		r->size = (uint64_t)ftello(f);
	rc = check_directory(f, path, err);
	fclose(f);
	if (rc) {
		xls_free(r);
		return (xy_code)rc;
	}
	/* freexl 1.0.6 answers FREEXL_OK with a NULL handle for some workbooks
	 * LibreOffice saves (tests/data/xls/README): that is a refusal too */
	if ((rc = freexl_open(path, &r->h)) != FREEXL_OK || !r->h) {
		xls_free(r);
		return xy_error_at(err, XY_ERR_FORMAT, path, 0, NULL,
		                   "not a readable .xls (BIFF8) workbook (freexl error %d); "
		                   "save it as .xlsx (无法读取的 .xls 文件，请另存为 .xlsx)",
		                   rc);
	}
	if ((rc = freexl_get_info(r->h, FREEXL_BIFF_SHEET_COUNT, &n)) != FREEXL_OK) {
		xls_free(r);
		return xy_error_at(err, XY_ERR_FORMAT, path, 0, NULL,
		                   "cannot count the sheets of the .xls workbook (freexl error %d)",
		                   rc);
	}
	r->nsheets = n;
	*impl = r;
	*ops = &xls_ops;
	return XY_OK;
}
