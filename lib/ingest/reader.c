/* Reader and writer dispatch: format detection and the report columns. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "xinyong/reader.h"

struct xy_reader {
	void *impl;
	const xy_reader_ops *ops;
	xy_format format;
};

const char *xy_format_name(xy_format f)
{
	switch (f) {
	case XY_FMT_CSV: return "csv";
	case XY_FMT_XLSX: return "xlsx";
	case XY_FMT_JSON: return "json";
	case XY_FMT_XLS: return "xls";
	case XY_FMT_ODS: return "ods";
	case XY_FMT_AUTO: break;
	}
	return "auto";
}

const char *xy_encoding_name(xy_encoding e)
{
	switch (e) {
	case XY_ENC_UTF8: return "utf-8";
	case XY_ENC_GB18030: return "gb18030";
	case XY_ENC_UTF16LE: return "utf-16le";
	case XY_ENC_UTF16BE: return "utf-16be";
	case XY_ENC_AUTO: break;
	}
	return "auto";
}

int xy_format_parse(const char *name)
{
	static const struct { const char *name; xy_format f; } names[] = {
		{ "csv", XY_FMT_CSV }, { "xlsx", XY_FMT_XLSX }, { "json", XY_FMT_JSON },
		{ "ndjson", XY_FMT_JSON }, { "xls", XY_FMT_XLS }, { "et", XY_FMT_XLS },
		{ "ods", XY_FMT_ODS },
	};
	for (size_t i = 0; i < sizeof names / sizeof *names; i++)
		if (strcasecmp(name, names[i].name) == 0)
			return (int)names[i].f;
	return -1;
}

int xy_encoding_parse(const char *name)
{
	static const struct { const char *name; xy_encoding e; } names[] = {
		{ "utf-8", XY_ENC_UTF8 },       { "utf8", XY_ENC_UTF8 },
		{ "gb18030", XY_ENC_GB18030 },  { "gbk", XY_ENC_GB18030 },
		{ "gb2312", XY_ENC_GB18030 },   { "utf-16le", XY_ENC_UTF16LE },
		{ "utf-16", XY_ENC_UTF16LE },   { "utf16le", XY_ENC_UTF16LE },
		{ "utf-16be", XY_ENC_UTF16BE }, { "utf16be", XY_ENC_UTF16BE },
	};
	for (size_t i = 0; i < sizeof names / sizeof *names; i++)
		if (strcasecmp(name, names[i].name) == 0)
			return (int)names[i].e;
	return -1;
}

/* An OpenDocument package starts with a stored (uncompressed) entry named
 * mimetype holding its media type; ods and ots (template) both read as ODS. */
static int is_ods(const unsigned char *head, size_t n)
{
	static const char mime[] = "application/vnd.oasis.opendocument.spreadsheet";
	size_t name_len, extra, data;
	if (n < 30)
		return 0;
	name_len = (size_t)head[26] | (size_t)head[27] << 8;
	extra = (size_t)head[28] | (size_t)head[29] << 8;
	data = 30 + name_len + extra;
	if (head[8] != 0 || head[9] != 0 || name_len != 8 || memcmp(head + 30, "mimetype", 8) != 0)
		return 0;
	return data + sizeof mime - 1 <= n && memcmp(head + data, mime, sizeof mime - 1) == 0;
}

xy_code xy_format_detect(const char *path, xy_format *out, xy_error *err)
{
	unsigned char head[512];
	size_t n, i = 0;
	FILE *f = fopen(path, "rb");
	if (!f)
		return xy_error_at(err, XY_ERR_IO, path, 0, NULL, "cannot open: %s", strerror(errno));
	n = fread(head, 1, sizeof head, f);
	fclose(f);
	if (n >= 4 && head[0] == 'P' && head[1] == 'K' && head[2] == 3 && head[3] == 4) {
		*out = is_ods(head, n) ? XY_FMT_ODS : XY_FMT_XLSX;
		return XY_OK;
	}
	if (n >= 4 && head[0] == 0xD0 && head[1] == 0xCF && head[2] == 0x11 && head[3] == 0xE0) {
		*out = XY_FMT_XLS; /* OLE2: .xls, or WPS .et saved as BIFF */
		return XY_OK;
	}
	if (n >= 3 && head[0] == 0xEF && head[1] == 0xBB && head[2] == 0xBF)
		i = 3;
	while (i < n && (head[i] == ' ' || head[i] == '\t' || head[i] == '\r' || head[i] == '\n'))
		i++;
	*out = (i < n && (head[i] == '[' || head[i] == '{')) ? XY_FMT_JSON : XY_FMT_CSV;
	return XY_OK;
}

xy_code xy_reader_open(xy_reader **out, const char *path, const xy_reader_opts *opts,
		       xy_error *err)
{
	xy_reader_opts o = { 0 };
	xy_reader *r;
	xy_code rc;
	*out = NULL;
	if (opts)
		o = *opts;
	if (!o.max_cell)
		o.max_cell = XY_READER_MAX_CELL;
	if (!o.max_columns)
		o.max_columns = XY_READER_MAX_COLUMNS;
	if (!o.max_unzipped)
		o.max_unzipped = XY_READER_MAX_UNZIPPED;
	if (o.format == XY_FMT_AUTO && (rc = xy_format_detect(path, &o.format, err)))
		return rc;
	r = calloc(1, sizeof *r);
	if (!r)
		return xy_error_set(err, XY_ERR_NOMEM, "out of memory");
	r->format = o.format;
	switch (o.format) {
	case XY_FMT_CSV: rc = xy__csv_open(&r->impl, &r->ops, path, &o, err); break;
	case XY_FMT_XLSX: rc = xy__xlsx_open(&r->impl, &r->ops, path, &o, err); break;
	case XY_FMT_JSON: rc = xy__json_open(&r->impl, &r->ops, path, &o, err); break;
	case XY_FMT_XLS: rc = xy__xls_open(&r->impl, &r->ops, path, &o, err); break;
	case XY_FMT_ODS: rc = xy__ods_open(&r->impl, &r->ops, path, &o, err); break;
	default: rc = xy_error_set(err, XY_ERR_ARG, "unknown format");
	}
	if (rc) {
		free(r);
		return rc;
	}
	*out = r;
	return XY_OK;
}

xy_code xy_reader_next(xy_reader *r, const xy_row **row, xy_error *err)
{
	*row = NULL;
	return r->ops->next(r->impl, row, err);
}

xy_format xy_reader_format(const xy_reader *r) { return r->format; }

xy_encoding xy_reader_encoding(const xy_reader *r)
{
	return r->ops->encoding ? r->ops->encoding(r->impl) : XY_ENC_UTF8;
}

uint64_t xy_reader_offset(const xy_reader *r)
{
	return r->ops->offset ? r->ops->offset(r->impl) : 0;
}

void xy_reader_free(xy_reader *r)
{
	if (!r)
		return;
	r->ops->free(r->impl);
	free(r);
}

/* ---- error reports ---- */

#define XY_REPORT_COLS 4
static const char *const report_cols[XY_REPORT_COLS] = { "错误行号", "错误字段", "错误原因", "error" };

struct xy_writer {
	void *impl;
	const xy_writer_ops *ops;
	const char **cells; /* scratch: row cells + report columns */
	size_t *lens;
	size_t cap;
	unsigned char *skip; /* per input column: a report column sent back */
	size_t nskip;
	size_t nkept;        /* input columns written (header minus report columns) */
};

static xy_code scratch(xy_writer *w, size_t n, xy_error *err)
{
	const char **c;
	size_t *l;
	if (n <= w->cap)
		return XY_OK;
	c = realloc(w->cells, n * sizeof *c);
	if (!c)
		return xy_error_set(err, XY_ERR_NOMEM, "out of memory");
	w->cells = c;
	l = realloc(w->lens, n * sizeof *l);
	if (!l)
		return xy_error_set(err, XY_ERR_NOMEM, "out of memory");
	w->lens = l;
	w->cap = n;
	return XY_OK;
}

xy_format xy_report_format(xy_format input)
{
	return input == XY_FMT_XLS || input == XY_FMT_ODS ? XY_FMT_XLSX : input;
}

xy_code xy_writer_open(xy_writer **out, const char *path, xy_format fmt, xy_encoding enc,
		       xy_error *err)
{
	xy_writer *w = calloc(1, sizeof *w);
	xy_code rc;
	*out = NULL;
	if (!w)
		return xy_error_set(err, XY_ERR_NOMEM, "out of memory");
	switch (xy_report_format(fmt)) {
	case XY_FMT_CSV: rc = xy__csv_writer_open(&w->impl, &w->ops, path, enc, err); break;
	case XY_FMT_XLSX: rc = xy__xlsx_writer_open(&w->impl, &w->ops, path, err); break;
	case XY_FMT_JSON: rc = xy__json_writer_open(&w->impl, &w->ops, path, err); break;
	default: rc = xy_error_set(err, XY_ERR_ARG, "unknown report format");
	}
	if (rc) {
		free(w);
		return rc;
	}
	*out = w;
	return XY_OK;
}

/* Report columns that a unit may send back with its corrected file. */
int xy__is_report_column(const char *name)
{
	for (size_t i = 0; i < XY_REPORT_COLS; i++)
		if (strcmp(name, report_cols[i]) == 0)
			return 1;
	return 0;
}

xy_code xy_writer_header(xy_writer *w, size_t ncols, const char *const *names, xy_error *err)
{
	size_t n = 0;
	unsigned char *skip;
	xy_code rc = scratch(w, ncols + XY_REPORT_COLS, err);
	if (rc)
		return rc;
	skip = realloc(w->skip, ncols ? ncols : 1);
	if (!skip)
		return xy_error_set(err, XY_ERR_NOMEM, "out of memory");
	w->skip = skip;
	w->nskip = ncols;
	w->nkept = 0;
	for (size_t i = 0; i < ncols; i++) {
		skip[i] = (unsigned char)xy__is_report_column(names[i]);
		if (!skip[i])
			w->cells[n++] = names[i];
	}
	w->nkept = n;
	for (size_t i = 0; i < XY_REPORT_COLS; i++)
		w->cells[n++] = report_cols[i];
	return w->ops->header(w->impl, n, w->cells, err);
}

xy_code xy_writer_row(xy_writer *w, const xy_row *row, const char *fields,
		      const char *reason_zh, const char *reason_en, xy_error *err)
{
	char line[192]; /* "sheet!row": sheet names reach 31 CJK characters */
	size_t n = 0;
	xy_code rc = scratch(w, (row->ncells > w->nkept ? row->ncells : w->nkept) + XY_REPORT_COLS, err);
	if (rc)
		return rc;
	/* Report columns the unit sent back are dropped; they get fresh values. */
	for (size_t i = 0; i < row->ncells; i++) {
		if (i < w->nskip && w->skip[i])
			continue;
		w->cells[n] = row->cells[i];
		w->lens[n++] = row->lens[i];
	}
	while (n < w->nkept) { /* a short row: keep the report columns under their headers */
		w->cells[n] = "";
		w->lens[n++] = 0;
	}
	if (row->sheet)
		snprintf(line, sizeof line, "%s!%ld", row->sheet, row->line);
	else
		snprintf(line, sizeof line, "%ld", row->line);
	w->cells[n] = line;
	w->lens[n++] = strlen(line);
	w->cells[n] = fields ? fields : "";
	w->lens[n] = strlen(w->cells[n]);
	n++;
	w->cells[n] = reason_zh ? reason_zh : "";
	w->lens[n] = strlen(w->cells[n]);
	n++;
	w->cells[n] = reason_en ? reason_en : "";
	w->lens[n] = strlen(w->cells[n]);
	n++;
	return w->ops->row(w->impl, n, w->cells, w->lens, err);
}

xy_code xy_writer_close(xy_writer *w, xy_error *err)
{
	xy_code rc;
	if (!w)
		return XY_OK;
	rc = w->ops->close(w->impl, err);
	free(w->cells);
	free(w->lens);
	free(w->skip);
	free(w);
	return rc;
}
