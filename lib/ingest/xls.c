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
#include <inttypes.h>
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

/* libfreexl 1.0.6 trusts the OLE2 (CFBF) container more than it should
 * (found by tests/fuzz, docs/fuzzing.md), so the parts it reads are checked
 * before it gets the file, the way it reads them: 512-byte sectors (4096 when
 * the shift at 0x1E is 12), sector n at (n + 1) * size computed in 32 bits,
 * the first 109 FAT sectors listed in the header, the first directory sector
 * (number at 0x30) of 128-byte entries.
 *  - A directory entry's name length (at 64) over its 64-byte field made it
 *    convert up to 64 KiB past its 4 KiB stack buffer.
 *  - When the Workbook stream is small enough for the mini stream, a chain
 *    of the mini stream that leaves the file or the FAT made it return an
 *    error without freeing the Root Entry's size in bytes (up to 4 GiB).
 * Files it refuses on its own before either point are left to it. */
static uint32_t le32(const unsigned char *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

/* The UTF-16LE name of entry e reads as the ASCII name, as freexl compares
 * it: its first characters, then the end of the stated length or a NUL. */
static bool entry_is(const unsigned char *e, const char *name)
{
	size_t n = strlen(name), len = (size_t)e[64] | (size_t)e[65] << 8;
	if (len < 2 * n)
		return false;
	for (size_t i = 0; i < n; i++)
		if (e[2 * i] != (unsigned char)name[i] || e[2 * i + 1] != 0)
			return false;
	return len < 2 * n + 2 || (e[2 * n] == 0 && e[2 * n + 1] == 0);
}

static xy_code check_container(FILE *f, const char *path, uint64_t size, xy_error *err)
{
	unsigned char head[512], dir[4096];
	const unsigned char *root = NULL, *book = NULL;
	uint32_t ssize, sec, *fat = NULL, nfat = 0, len = 0, want, cutoff;
	xy_code rc = XY_OK;
	if (fseeko(f, 0, SEEK_SET) != 0 || fread(head, 1, sizeof head, f) != sizeof head)
		return XY_OK;
	ssize = ((unsigned)head[0x1E] | (unsigned)head[0x1F] << 8) == 12 ? 4096 : 512;
	if (fseeko(f, (off_t)(uint32_t)((le32(head + 0x30) + 1) * ssize), SEEK_SET) != 0 ||
	    fread(dir, 1, ssize, f) != ssize)
		return XY_OK;
	for (size_t e = 0; e < ssize; e += 128) {
		unsigned n = (unsigned)dir[e + 64] | (unsigned)dir[e + 65] << 8;
		if (n > 64)
			return xy_error_at(err, XY_ERR_FORMAT, path, 0, NULL,
			                   "not a readable .xls (BIFF8) workbook: directory entry %zu "
			                   "names %u bytes, at most 64 fit (the file is damaged); "
			                   "save it as .xlsx (.xls 文件已损坏，请另存为 .xlsx)",
			                   e / 128 + 1, n);
		if (!book && entry_is(dir + e, "Root Entry"))
			root = dir + e;
		if (!book && (entry_is(dir + e, "Workbook") || entry_is(dir + e, "Book")))
			book = dir + e;
	}
	/* the mini stream is read only for a Workbook stream up to the cutoff */
	cutoff = le32(head + 0x40) > 0 ? le32(head + 0x38) : 0; /* mini FAT sectors, cutoff */
	if (!root || !book || le32(book + 0x78) > cutoff || le32(head + 0x48) > 0)
		return XY_OK;
	if (!(fat = malloc(109 * (size_t)(ssize / 4) * sizeof *fat)))
		return xy_error_set(err, XY_ERR_NOMEM, "out of memory");
	for (int i = 0; i < 109; i++) {
		uint32_t s = le32(head + 0x4C + 4 * i);
		unsigned char buf[4096];
		if (s == 0xFFFFFFFF)
			continue;
		if (fseeko(f, (off_t)(uint32_t)((s + 1) * ssize), SEEK_SET) != 0 ||
		    fread(buf, 1, ssize, f) != ssize)
			goto out; /* freexl refuses it while reading the FAT */
		for (uint32_t k = 0; k < ssize / 4; k++)
			fat[nfat++] = le32(buf + 4 * k);
	}
	want = le32(root + 0x78);
	for (sec = le32(root + 0x74); len < want;) {
		uint64_t where = (uint32_t)((sec + 1) * ssize);
		if (where + ssize > size || sec >= nfat) {
			rc = xy_error_at(err, XY_ERR_FORMAT, path, 0, NULL,
			                 "not a readable .xls (BIFF8) workbook: its mini stream "
			                 "(%" PRIu32 " bytes) runs outside the file (the file is damaged); "
			                 "save it as .xlsx (.xls 文件已损坏，请另存为 .xlsx)", want);
			goto out;
		}
		len += want - len < ssize ? want - len : ssize;
		if (fat[sec] == 0xFFFFFFFE)
			break;
		sec = fat[sec];
	}
out:
	free(fat);
	return rc;
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
	rc = check_container(f, path, r->size, err);
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
