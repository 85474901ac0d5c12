/* What the XLSX and ODS readers share: zip entries streamed into libxml2,
 * libxml2 error capture, cell values and the row being assembled.  See
 * zipxml.h. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "zipxml.h"

/* ---- libxml2 error capture ---- */

static void xml_error(void *ctx, xmlErrorPtr e)
{
	xy__zipxml *z = ctx;
	size_t n;
	if (!e || e->level < XML_ERR_ERROR || z->xml_msg[0])
		return;
	snprintf(z->xml_msg, sizeof z->xml_msg, "%s", e->message ? e->message : "parse error");
	n = strlen(z->xml_msg);
	while (n > 0 && (z->xml_msg[n - 1] == '\n' || z->xml_msg[n - 1] == ' '))
		z->xml_msg[--n] = '\0';
	for (char *p = z->xml_msg; (p = strchr(p, '\n'));)
		*p = ' '; /* "…encoding !\nBytes: 0xBA …" stays on one line */
	z->xml_line = e->line;
}

void xy__zx_guard_on(xy__zx_guard *g, xy__zipxml *z)
{
	g->func = xmlStructuredError;
	g->ctx = xmlStructuredErrorContext;
	xmlSetStructuredErrorFunc(z, xml_error);
}

void xy__zx_guard_off(const xy__zx_guard *g)
{
	xmlSetStructuredErrorFunc(g->ctx, g->func);
}

/* ---- the archive ---- */

xy_code xy__zx_open(xy__zipxml *z, xy_error *err)
{
	unsigned char head[8] = {0};
	size_t n = 0;
	zip_error_t ze;
	char msg[256];
	FILE *f;
	int zerr = 0;
	z->za = zip_open(z->path, ZIP_RDONLY | ZIP_CHECKCONS, &zerr);
	if (z->za)
		return XY_OK;
	zip_error_init_with_code(&ze, zerr);
	snprintf(msg, sizeof msg, "%s", zip_error_strerror(&ze));
	zip_error_fini(&ze);
	if (zerr == ZIP_ER_MEMORY)
		return xy_error_at(err, XY_ERR_NOMEM, z->path, 0, NULL, "out of memory");
	if (zerr == ZIP_ER_NOENT || zerr == ZIP_ER_OPEN)
		return xy_error_at(err, XY_ERR_IO, z->path, 0, NULL, "cannot open: %s", msg);
	f = fopen(z->path, "rb");
	if (f) {
		n = fread(head, 1, sizeof head, f);
		fclose(f);
	}
	if (n >= 4 && head[0] == 0xD0 && head[1] == 0xCF && head[2] == 0x11 && head[3] == 0xE0)
		return xy_error_at(
		    err, XY_ERR_FORMAT, z->path, 0, NULL,
		    "not an %s file: an OLE document (legacy .xls or a "
		    "password-protected workbook); save it as .%s without a password",
		    z->kind, z->kind_lc);
	if (n >= 4 && head[0] == 'P' && head[1] == 'K') {
		if (zerr == ZIP_ER_NOZIP)
			return xy_error_at(
			    err, XY_ERR_FORMAT, z->path, 0, NULL,
			    "truncated or damaged zip: the directory at the end of the "
			    "file is missing (%s)",
			    msg);
		return xy_error_at(err, XY_ERR_FORMAT, z->path, 0, NULL,
		                   "truncated or damaged zip: %s", msg);
	}
	return xy_error_at(err, XY_ERR_FORMAT, z->path, 0, NULL,
	                   "not an %s file (not a zip archive): %s", z->kind, msg);
}

void xy__zx_release(xy__zipxml *z)
{
	xy__zx_entry_close(z);
	if (z->za)
		zip_discard(z->za);
	z->za = NULL;
}

zip_int64_t xy__zx_locate(xy__zipxml *z, const char *name)
{
	zip_int64_t idx = zip_name_locate(z->za, name, 0);
	if (idx < 0)
		idx = zip_name_locate(z->za, name, ZIP_FL_NOCASE);
	return idx;
}

/* ---- entries ---- */

/* Feeds libxml2 from the current zip entry, counting every inflated byte. */
int xy__zx_read(void *ctx, char *buf, int len)
{
	xy__zipxml *z = ctx;
	zip_int64_t n;
	if (z->io_code)
		return -1;
	n = zip_fread(z->zf, buf, (zip_uint64_t)len);
	if (n < 0) {
		z->io_code = XY_ERR_FORMAT;
		snprintf(z->io_msg, sizeof z->io_msg,
		         "truncated or damaged zip: cannot read %s: %s", z->entry,
		         zip_error_strerror(zip_file_get_error(z->zf)));
		return -1;
	}
	if (z->entry_sized && (n == 0 ? z->entry_read != z->entry_size
	                              : (uint64_t)n > z->entry_size - z->entry_read)) {
		z->io_code = XY_ERR_FORMAT;
		snprintf(z->io_msg, sizeof z->io_msg,
		         "truncated or damaged zip: zip entry %s declares %llu bytes but holds %s%llu",
		         z->entry, (unsigned long long)z->entry_size, n ? "more than " : "",
		         (unsigned long long)(n ? z->entry_size : z->entry_read));
		return -1;
	}
	z->entry_read += (uint64_t)n;
	z->unzipped += (uint64_t)n;
	if (z->unzipped > z->max_unzipped) {
		z->io_code = XY_ERR_LIMIT;
		snprintf(z->io_msg, sizeof z->io_msg,
		         "%s expands past the limit of %llu bytes (zip bomb?) while reading %s",
		         z->kind_lc, (unsigned long long)z->max_unzipped, z->entry);
		return -1;
	}
	return (int)n;
}

void xy__zx_entry_close(xy__zipxml *z)
{
	if (z->xr) {
		xmlFreeTextReader(z->xr);
		z->xr = NULL;
	}
	if (z->zf) {
		zip_fclose(z->zf);
		z->zf = NULL;
		z->comp_done += z->entry_comp;
	}
	z->entry_size = z->entry_comp = z->entry_read = 0;
	z->entry_sized = false;
}

xy_code xy__zx_entry_open(xy__zipxml *z, const char *name, bool optional, bool reader,
                          bool *found, xy_error *err)
{
	zip_int64_t idx;
	zip_stat_t st;
	if (found)
		*found = false;
	idx = xy__zx_locate(z, name);
	if (idx < 0) {
		if (optional)
			return XY_OK;
		return xy_error_at(err, XY_ERR_FORMAT, z->path, 0, NULL, "not an %s: %s missing",
		                   z->what, name);
	}
	snprintf(z->entry, sizeof z->entry, "%s", name);
	zip_stat_init(&st);
	if (zip_stat_index(z->za, (zip_uint64_t)idx, 0, &st) == 0) {
		z->entry_sized = (st.valid & ZIP_STAT_SIZE) != 0;
		z->entry_size = z->entry_sized ? st.size : 0;
		z->entry_comp = (st.valid & ZIP_STAT_COMP_SIZE) ? st.comp_size : 0;
	}
	z->zf = zip_fopen_index(z->za, (zip_uint64_t)idx, 0);
	if (!z->zf)
		return xy_error_at(err, XY_ERR_FORMAT, z->path, 0, NULL,
		                   "truncated or damaged zip: cannot open %s: %s", name,
		                   zip_strerror(z->za));
	z->io_code = XY_OK;
	z->io_msg[0] = '\0';
	z->xml_msg[0] = '\0';
	z->xml_line = 0;
	/* No XML_PARSE_NOENT (entities stay unexpanded), no XML_PARSE_HUGE
	 * (libxml2's 10 MB text node cap stays), never the network. */
	if (reader)
		z->xr = xmlReaderForIO(xy__zx_read, NULL, z, z->entry, NULL, XML_PARSE_NONET);
	if (reader && !z->xr) {
		xy__zx_entry_close(z);
		if (z->io_code)
			return xy_error_at(err, z->io_code, z->path, 0, NULL, "%s", z->io_msg);
		return xy_error_at(err, XY_ERR_FORMAT, z->path, 0, NULL, "cannot parse %s", name);
	}
	if (found)
		*found = true;
	return XY_OK;
}

xy_code xy__zx_xml_error(xy__zipxml *z, xy_error *err)
{
	if (z->io_code)
		return xy_error_at(err, z->io_code, z->path, 0, NULL, "%s", z->io_msg);
	if (z->xml_msg[0])
		return xy_error_at(err, XY_ERR_FORMAT, z->path, 0, NULL,
		                   "malformed XML in %s line %d: %s", z->entry, z->xml_line,
		                   z->xml_msg);
	return xy_error_at(err, XY_ERR_FORMAT, z->path, 0, NULL, "malformed XML in %s", z->entry);
}

xy_code xy__zx_next(xy__zipxml *z, int *more, xy_error *err)
{
	int rc = xmlTextReaderRead(z->xr);
	*more = 0;
	if (rc == 1 && xmlTextReaderNodeType(z->xr) == XML_READER_TYPE_DOCUMENT_TYPE)
		return xy_error_at(err, XY_ERR_FORMAT, z->path, 0, NULL,
		                   "malformed XML in %s: a DOCTYPE is not allowed in %s", z->entry,
		                   z->kind);
	if (rc == 1 && !z->io_code) {
		*more = 1;
		return XY_OK;
	}
	if (z->io_code || rc < 0)
		return xy__zx_xml_error(z, err);
	return XY_OK;
}

uint64_t xy__zx_offset(const xy__zipxml *z)
{
	uint64_t cur = 0;
	if (z->zf && z->entry_size)
		cur = (uint64_t)((double)z->entry_comp *
		                 ((double)z->entry_read / (double)z->entry_size));
	if (cur > z->entry_comp)
		cur = z->entry_comp;
	return z->comp_done + cur;
}

bool xy__zx_next_attr(xy__zipxml *z, const xmlChar **name, const xmlChar **value,
                      const xmlChar **ns)
{
	if (xmlTextReaderMoveToNextAttribute(z->xr) != 1) {
		xmlTextReaderMoveToElement(z->xr);
		return false;
	}
	*name = xmlTextReaderConstLocalName(z->xr);
	*value = xmlTextReaderConstValue(z->xr);
	if (ns)
		*ns = xmlTextReaderConstNamespaceUri(z->xr);
	if (!*name)
		*name = BAD_CAST "";
	if (!*value)
		*value = BAD_CAST "";
	return true;
}

bool xy__zx_is_text(int type)
{
	return type == XML_READER_TYPE_TEXT || type == XML_READER_TYPE_CDATA ||
	       type == XML_READER_TYPE_WHITESPACE || type == XML_READER_TYPE_SIGNIFICANT_WHITESPACE;
}

/* ---- values ---- */

xy_code xy__number_text(xy_buf *out, const char *s, size_t n)
{
	size_t i = 0, sig = 0;
	bool lead = true, exp = false, frac = false;
	char *end;
	double v;
	char tmp[40];
	if (i < n && (s[i] == '-' || s[i] == '+'))
		i++;
	for (; i < n; i++) {
		if (s[i] >= '0' && s[i] <= '9') {
			if (s[i] != '0')
				lead = false;
			if (!lead)
				sig++;
		} else if (s[i] == 'e' || s[i] == 'E') {
			exp = true;
			break;
		} else if (s[i] == '.' && !frac) {
			frac = true;
		} else {
			return xy_buf_add(out, s, n); /* not a plain number: as is */
		}
	}
	if (!exp && (!frac || sig <= 15))
		return xy_buf_add(out, s, n);
	v = strtod(s, &end);
	if (end != s + n || !isfinite(v))
		return xy_buf_add(out, s, n);
	snprintf(tmp, sizeof tmp, "%.15g", v);
	return xy_buf_addstr(out, tmp);
}

void xy__cell_text(xy_buf *val, bool *cut, size_t max_cell, const char *s, size_t n)
{
	size_t cap1 = max_cell + 1;
	size_t room = val->len < cap1 ? cap1 - val->len : 0;
	if (n > room) {
		n = room;
		*cut = true;
	}
	if (n && xy_buf_add(val, s, n))
		*cut = true;
}

size_t xy__utf8_cut(const char *s, size_t n)
{
	size_t i = n, k = 0;
	while (i > 0 && k < 4 && ((unsigned char)s[i - 1] & 0xC0) == 0x80) {
		i--;
		k++;
	}
	if (i > 0) {
		unsigned char c = (unsigned char)s[i - 1];
		size_t need;
		if (c < 0x80)
			return i; /* stray continuation bytes after ASCII */
		need = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
		if (need == k + 1)
			return n;
		return i - 1;
	}
	return n;
}

/* 1 if s[0..n) is valid UTF-8 without NUL bytes. */
static bool utf8_ok(const unsigned char *s, size_t n)
{
	size_t i = 0;
	while (i < n) {
		unsigned char c = s[i];
		size_t k;
		uint32_t cp;
		if (c == 0)
			return false;
		if (c < 0x80) {
			i++;
			continue;
		}
		if (c >= 0xC2 && c <= 0xDF) {
			k = 1;
			cp = c & 0x1F;
		} else if (c >= 0xE0 && c <= 0xEF) {
			k = 2;
			cp = c & 0x0F;
		} else if (c >= 0xF0 && c <= 0xF4) {
			k = 3;
			cp = c & 0x07;
		} else {
			return false;
		}
		if (n - i <= k)
			return false;
		for (size_t j = 1; j <= k; j++) {
			if ((s[i + j] & 0xC0) != 0x80)
				return false;
			cp = cp << 6 | (s[i + j] & 0x3F);
		}
		if ((k == 2 && (cp < 0x800 || (cp >= 0xD800 && cp <= 0xDFFF))) ||
		    (k == 3 && (cp < 0x10000 || cp > 0x10FFFF)))
			return false;
		i += k + 1;
	}
	return true;
}

void xy__reader_defaults(xy_reader_opts *o)
{
	if (!o->max_cell)
		o->max_cell = XY_READER_MAX_CELL;
	if (!o->max_columns)
		o->max_columns = XY_READER_MAX_COLUMNS;
	if (!o->max_unzipped)
		o->max_unzipped = XY_READER_MAX_UNZIPPED;
	if (o->max_cell > SIZE_MAX / 2)
		o->max_cell = SIZE_MAX / 2;
	if (!o->sst_budget)
		o->sst_budget = XY_READER_SST_BUDGET;
}

/* ---- the row being assembled ---- */

void xy__rowbuf_init(xy__rowbuf *b, const xy_reader_opts *o, size_t max_row_bytes)
{
	memset(b, 0, sizeof *b);
	b->max_columns = o->max_columns;
	b->max_cell = o->max_cell;
	b->max_row_bytes = max_row_bytes;
	xy_buf_init(&b->text, 0); /* bounded by max_columns and max_row_bytes */
	b->row.problem_col = -1;
}

void xy__rowbuf_release(xy__rowbuf *b)
{
	xy_buf_release(&b->text);
	free(b->off);
	free(b->cellp);
	free(b->lens);
	b->off = NULL;
	b->cellp = NULL;
	b->lens = NULL;
}

void xy__rowbuf_reset(xy__rowbuf *b)
{
	xy_buf_reset(&b->text);
	b->ncol = b->used = b->over_cols = 0;
	b->problem[0] = b->problem_zh[0] = '\0';
	b->row.problem_col = -1;
	b->row.hidden = false;
}

void xy__rowbuf_problem(xy__rowbuf *b, long col, const char *en, const char *zh)
{
	if (b->problem[0])
		return;
	snprintf(b->problem, sizeof b->problem, "%s", en);
	snprintf(b->problem_zh, sizeof b->problem_zh, "%s", zh);
	b->row.problem_col = col;
}

xy_code xy__rowbuf_push(xy__rowbuf *b, const char *s, size_t n)
{
	if (b->ncol == b->colcap) {
		size_t cap = b->colcap ? b->colcap * 2 : 32;
		size_t *p;
		if (cap > b->max_columns)
			cap = b->max_columns;
		p = realloc(b->off, cap * sizeof *p);
		if (!p)
			return XY_ERR_NOMEM;
		b->off = p;
		b->colcap = cap;
	}
	if (b->text.len + n > b->max_row_bytes) {
		char en[96], zh[96];
		snprintf(en, sizeof en, "row longer than %zu bytes", b->max_row_bytes);
		snprintf(zh, sizeof zh, "行超过 %zu 字节", b->max_row_bytes);
		xy__rowbuf_problem(b, (long)b->ncol, en, zh);
		n = 0;
	}
	b->off[b->ncol] = b->text.len;
	if (xy_buf_add(&b->text, s, n) || xy_buf_addch(&b->text, '\0'))
		return XY_ERR_NOMEM;
	b->ncol++;
	return XY_OK;
}

xy_code xy__rowbuf_cell(xy__rowbuf *b, size_t col, const char *v, size_t n, bool cut,
                        size_t rep)
{
	size_t end = rep > SIZE_MAX - col ? SIZE_MAX : col + rep;
	if (n == 0)
		return XY_OK; /* empty, however often repeated: costs nothing */
	if (col >= b->max_columns) {
		if (end > b->over_cols)
			b->over_cols = end;
		return XY_OK;
	}
	while (b->ncol < col)
		if (xy__rowbuf_push(b, "", 0))
			return XY_ERR_NOMEM;
	if (cut || n > b->max_cell) {
		char en[96], zh[96];
		snprintf(en, sizeof en, "cell longer than %zu bytes", b->max_cell);
		snprintf(zh, sizeof zh, "单元格超过 %zu 字节", b->max_cell);
		xy__rowbuf_problem(b, (long)col, en, zh);
		if (n > b->max_cell)
			n = xy__utf8_cut(v, b->max_cell);
	}
	for (size_t k = 0; k < rep; k++) {
		if (col + k >= b->max_columns) {
			b->over_cols = end;
			break;
		}
		if (xy__rowbuf_push(b, v, n))
			return XY_ERR_NOMEM;
	}
	b->used = b->ncol;
	return XY_OK;
}

xy_code xy__rowbuf_finish(xy__rowbuf *b, bool *ready)
{
	size_t n = b->used;
	*ready = false;
	/* a row with no value is skipped, unless something in it was unusable
	 * (every cell naming a missing shared string): that row is rejected, not
	 * dropped */
	if (n == 0 && b->over_cols == 0 && !b->problem[0])
		return XY_OK;
	if (b->over_cols) {
		char en[96], zh[96];
		snprintf(en, sizeof en, "too many columns (%zu > %zu)", b->over_cols,
		         b->max_columns);
		snprintf(zh, sizeof zh, "列数过多（%zu > %zu）", b->over_cols, b->max_columns);
		xy__rowbuf_problem(b, -1, en, zh);
	}
	if (n > b->cellcap || !b->cellp) {
		size_t cap = n ? n : 1;
		const char **c = realloc(b->cellp, cap * sizeof *c);
		size_t *l;
		if (!c)
			return XY_ERR_NOMEM;
		b->cellp = c;
		l = realloc(b->lens, cap * sizeof *l);
		if (!l)
			return XY_ERR_NOMEM;
		b->lens = l;
		b->cellcap = cap;
	}
	for (size_t i = 0; i < n; i++) {
		size_t end = i + 1 < b->ncol ? b->off[i + 1] - 1 : b->text.len - 1;
		b->cellp[i] = b->text.data + b->off[i];
		b->lens[i] = end - b->off[i];
		if (!utf8_ok((const unsigned char *)b->cellp[i], b->lens[i]))
			xy__rowbuf_problem(b, (long)i, "cell contains a NUL byte or invalid UTF-8",
			                   "单元格含有 NUL 字节或无效的 UTF-8");
	}
	b->row.ncells = n;
	b->row.cells = b->cellp;
	b->row.lens = b->lens;
	b->row.problem = b->problem[0] ? b->problem : NULL;
	b->row.problem_zh = b->problem[0] ? b->problem_zh : NULL;
	if (!b->row.problem)
		b->row.problem_col = -1;
	*ready = true;
	return XY_OK;
}
