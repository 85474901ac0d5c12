/* ODS reader: content.xml streamed from libzip through libxml2's xmlTextReader.
 *
 * Modelled on xlsx.c (same zip accounting, error capture and XML hardening:
 * XML_PARSE_NONET, no entity expansion, DOCTYPE refused).  content.xml is
 * parsed one node at a time and one <table:table-row> is kept in memory.
 *
 * Repeats are bounded: an empty row or cell with number-rows-repeated /
 * number-columns-repeated (LibreOffice pads every sheet to 1048576 rows and
 * 1024 columns that way) only advances a counter.  A repeated non-empty cell
 * is stored once per column up to max_columns; a repeated non-empty row is
 * handed out once per repetition (the same cells, the next row number).
 *
 * The small helpers below (UTF-8 checks, libxml2 error capture, zip read
 * callback) are copies of xlsx.c's; they could move to a shared internal
 * file.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/xmlreader.h>
#include <zip.h>

#include "xinyong/buf.h"
#include "xinyong/reader.h"

#define ODS_MAX_ROW 1048576L                /* LibreOffice's (and Excel's) last row */
#define ODS_MAX_ROW_BYTES ((size_t)256 << 20)
#define ODS_CONTENT "content.xml"

#define NS_TABLE "urn:oasis:names:tc:opendocument:xmlns:table:1.0"
#define NS_OFFICE "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
#define NS_TEXT "urn:oasis:names:tc:opendocument:xmlns:text:1.0"

/* Value types (office:value-type). */
enum { VT_STRING, VT_NUMBER, VT_DATE, VT_BOOL, VT_TIME };

typedef struct ods {
	char *path;
	xy_reader_opts opts;
	zip_t *za;

	zip_file_t *zf;
	xmlTextReaderPtr xr;
	uint64_t entry_size, entry_comp, entry_read;
	uint64_t unzipped;
	bool done;
	xy_code io_code;
	char io_msg[768];
	char xml_msg[256];
	int xml_line;

	/* sheet state */
	char *sheet; /* table:name of the current table:table */
	bool in_table, seen_header;
	long line;   /* last row number counted in this sheet */

	/* row state */
	bool in_row;
	long rows_rep;
	xy_buf text; /* the row's cells, each NUL-terminated */
	size_t *off;
	size_t ncol, colcap;
	size_t used;
	size_t over_cols;
	size_t col; /* next column */

	/* cell state */
	bool in_cell, val_long;
	int vtype;
	size_t cols_rep;
	int annot;   /* depth inside office:annotation (comments: not the value) */
	int in_p;    /* depth inside text:p / text:h */
	size_t npara;
	xy_buf attr; /* office:value / date-value / boolean-value / time-value */
	xy_buf val;  /* paragraph text, capped near max_cell */
	xy_buf out;

	/* the row handed out */
	long emit_left; /* further repetitions of the current row still to hand out */
	xy_row row;
	const char **cellp;
	size_t *lens;
	size_t cellcap;
	char problem[160], problem_zh[160];

	xy_code failed;
} ods;

static char *dup(const char *s)
{
	size_t n = strlen(s);
	char *p = malloc(n + 1);
	if (p)
		memcpy(p, s, n + 1);
	return p;
}

static xy_code nomem(ods *x, xy_error *err)
{
	return xy_error_at(err, XY_ERR_NOMEM, x->path, 0, NULL, "out of memory");
}

static bool eq(const xmlChar *a, const char *b)
{
	return a && strcmp((const char *)a, b) == 0;
}

/* Longest prefix of s[0..n) that does not end inside a UTF-8 sequence. */
static size_t utf8_cut(const char *s, size_t n)
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
			return i;
		need = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
		if (need == k + 1)
			return n;
		return i - 1;
	}
	return n;
}

/* ---- libxml2 error capture (as in xlsx.c) ---- */

static void xml_error(void *ctx, xmlErrorPtr e)
{
	ods *x = ctx;
	size_t n;
	if (!e || e->level < XML_ERR_ERROR || x->xml_msg[0])
		return;
	snprintf(x->xml_msg, sizeof x->xml_msg, "%s", e->message ? e->message : "parse error");
	n = strlen(x->xml_msg);
	while (n > 0 && (x->xml_msg[n - 1] == '\n' || x->xml_msg[n - 1] == ' '))
		x->xml_msg[--n] = '\0';
	for (char *p = x->xml_msg; (p = strchr(p, '\n'));)
		*p = ' ';
	x->xml_line = e->line;
}

typedef struct xml_guard {
	xmlStructuredErrorFunc func;
	void *ctx;
} xml_guard;

static void guard_on(xml_guard *g, ods *x)
{
	g->func = xmlStructuredError;
	g->ctx = xmlStructuredErrorContext;
	xmlSetStructuredErrorFunc(x, xml_error);
}

static void guard_off(const xml_guard *g)
{
	xmlSetStructuredErrorFunc(g->ctx, g->func);
}

/* ---- content.xml ---- */

static int read_cb(void *ctx, char *buf, int len)
{
	ods *x = ctx;
	zip_int64_t n;
	if (x->io_code)
		return -1;
	n = zip_fread(x->zf, buf, (zip_uint64_t)len);
	if (n < 0) {
		x->io_code = XY_ERR_FORMAT;
		snprintf(x->io_msg, sizeof x->io_msg,
		         "truncated or damaged zip: cannot read " ODS_CONTENT ": %s",
		         zip_error_strerror(zip_file_get_error(x->zf)));
		return -1;
	}
	x->entry_read += (uint64_t)n;
	x->unzipped += (uint64_t)n;
	if (x->unzipped > x->opts.max_unzipped) {
		x->io_code = XY_ERR_LIMIT;
		snprintf(x->io_msg, sizeof x->io_msg,
		         "ods expands past the limit of %llu bytes (zip bomb?) while reading "
		         ODS_CONTENT, (unsigned long long)x->opts.max_unzipped);
		return -1;
	}
	return (int)n;
}

static void entry_close(ods *x)
{
	if (x->xr) {
		xmlFreeTextReader(x->xr);
		x->xr = NULL;
	}
	if (x->zf) {
		zip_fclose(x->zf);
		x->zf = NULL;
	}
}

static xy_code entry_read(ods *x, int *more, xy_error *err)
{
	int rc = xmlTextReaderRead(x->xr);
	*more = 0;
	if (rc == 1 && xmlTextReaderNodeType(x->xr) == XML_READER_TYPE_DOCUMENT_TYPE)
		return xy_error_at(err, XY_ERR_FORMAT, x->path, 0, NULL,
		                   "malformed XML in " ODS_CONTENT ": a DOCTYPE is not allowed in ODS");
	if (rc == 1 && !x->io_code) {
		*more = 1;
		return XY_OK;
	}
	if (x->io_code)
		return xy_error_at(err, x->io_code, x->path, 0, NULL, "%s", x->io_msg);
	if (rc < 0) {
		if (x->xml_msg[0])
			return xy_error_at(err, XY_ERR_FORMAT, x->path, 0, NULL,
			                   "malformed XML in " ODS_CONTENT " line %d: %s",
			                   x->xml_line, x->xml_msg);
		return xy_error_at(err, XY_ERR_FORMAT, x->path, 0, NULL,
		                   "malformed XML in " ODS_CONTENT);
	}
	return XY_OK;
}

static bool in_ns(ods *x, const char *ns)
{
	return eq(xmlTextReaderConstNamespaceUri(x->xr), ns);
}

/* A repeat count attribute: 1 when absent or unusable, at most `cap`. */
static unsigned long long repeat(const xmlChar *v, unsigned long long cap)
{
	char *end;
	unsigned long long n;
	errno = 0;
	n = strtoull((const char *)v, &end, 10);
	if (*end || errno || n == 0 || (const char *)v == end || v[0] == '-')
		return 1;
	return n > cap ? cap : n;
}

/* ---- rows and cells ---- */

/* Numbers as stored, unless a binary float artefact or an exponent: then
 * 15 significant digits, as spreadsheets show them (as xlsx.c). */
static xy_code number_text(xy_buf *out, const char *s, size_t n)
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
			return xy_buf_add(out, s, n);
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

static void set_problem(ods *x, long col, const char *en, const char *zh)
{
	if (x->problem[0])
		return;
	snprintf(x->problem, sizeof x->problem, "%s", en);
	snprintf(x->problem_zh, sizeof x->problem_zh, "%s", zh);
	x->row.problem_col = col;
}

static xy_code push_cell(ods *x, const char *s, size_t n)
{
	size_t limit = x->opts.max_columns;
	if (x->ncol == x->colcap) {
		size_t cap = x->colcap ? x->colcap * 2 : 32;
		size_t *p;
		if (cap > limit)
			cap = limit;
		p = realloc(x->off, cap * sizeof *p);
		if (!p)
			return XY_ERR_NOMEM;
		x->off = p;
		x->colcap = cap;
	}
	if (x->text.len + n > ODS_MAX_ROW_BYTES) {
		char en[96], zh[96];
		snprintf(en, sizeof en, "row longer than %zu bytes", ODS_MAX_ROW_BYTES);
		snprintf(zh, sizeof zh, "行超过 %zu 字节", ODS_MAX_ROW_BYTES);
		set_problem(x, (long)x->ncol, en, zh);
		n = 0;
	}
	x->off[x->ncol] = x->text.len;
	if (xy_buf_add(&x->text, s, n) || xy_buf_addch(&x->text, '\0'))
		return XY_ERR_NOMEM;
	x->ncol++;
	return XY_OK;
}

/* Append to the cell's text, keeping at most max_cell + 1 bytes. */
static void cell_text(ods *x, const char *s, size_t n)
{
	size_t cap1 = x->opts.max_cell + 1;
	size_t room = x->val.len < cap1 ? cap1 - x->val.len : 0;
	if (n > room) {
		n = room;
		x->val_long = true;
	}
	if (n && xy_buf_add(&x->val, s, n))
		x->val_long = true;
}

static void cell_begin(ods *x)
{
	x->vtype = VT_STRING;
	x->cols_rep = 1;
	x->annot = x->in_p = 0;
	x->npara = 0;
	x->val_long = false;
	xy_buf_reset(&x->val);
	xy_buf_reset(&x->attr);
	while (xmlTextReaderMoveToNextAttribute(x->xr) == 1) {
		const xmlChar *an = xmlTextReaderConstLocalName(x->xr);
		const xmlChar *av = xmlTextReaderConstValue(x->xr);
		if (!an || !av)
			continue;
		if (in_ns(x, NS_TABLE) && eq(an, "number-columns-repeated")) {
			x->cols_rep = (size_t)repeat(av, (unsigned long long)1 << 24);
		} else if (in_ns(x, NS_OFFICE)) {
			if (eq(an, "value-type")) {
				if (eq(av, "float") || eq(av, "percentage") || eq(av, "currency"))
					x->vtype = VT_NUMBER;
				else if (eq(av, "date"))
					x->vtype = VT_DATE;
				else if (eq(av, "boolean"))
					x->vtype = VT_BOOL;
				else if (eq(av, "time"))
					x->vtype = VT_TIME;
			} else if (eq(an, "value") || eq(an, "date-value") ||
			           eq(an, "boolean-value")) {
				/* a cell has one of them; keep it whole (bounded by libxml2) */
				xy_buf_reset(&x->attr);
				if (xy_buf_addstr(&x->attr, (const char *)av))
					x->val_long = true;
			}
		}
	}
	xmlTextReaderMoveToElement(x->xr);
	x->in_cell = true;
}

static xy_code cell_end(ods *x, xy_error *err)
{
	const char *v = x->val.data ? x->val.data : "";
	size_t n = x->val.len;
	const char *a = x->attr.data ? x->attr.data : "";
	size_t an = x->attr.len;
	size_t col = x->col, rep = x->cols_rep;
	x->in_cell = false;
	xy_buf_reset(&x->out);
	switch (x->vtype) {
	case VT_NUMBER:
		if (an) {
			if (number_text(&x->out, a, an))
				return nomem(x, err);
			v = x->out.data;
			n = x->out.len;
		}
		break;
	case VT_DATE:
		if (an) { /* "2019-03-01" or "2019-03-01T10:30:00": the date part */
			const char *t = memchr(a, 'T', an);
			v = a;
			n = t ? (size_t)(t - a) : an;
		}
		break;
	case VT_BOOL:
		if (an) {
			v = eq((const xmlChar *)a, "true") ? "1" : "0";
			n = 1;
		}
		break;
	default: /* string, time (as displayed): the paragraphs */
		break;
	}
	x->col = rep > (size_t)-1 - col ? (size_t)-1 : col + rep;
	if (n == 0)
		return XY_OK; /* empty, however often repeated: costs nothing */
	if (col >= x->opts.max_columns) {
		if (x->col > x->over_cols)
			x->over_cols = x->col;
		return XY_OK;
	}
	while (x->ncol < col)
		if (push_cell(x, "", 0))
			return nomem(x, err);
	if (x->val_long || n > x->opts.max_cell) {
		char en[96], zh[96];
		snprintf(en, sizeof en, "cell longer than %zu bytes", x->opts.max_cell);
		snprintf(zh, sizeof zh, "单元格超过 %zu 字节", x->opts.max_cell);
		set_problem(x, (long)col, en, zh);
		if (n > x->opts.max_cell)
			n = utf8_cut(v, x->opts.max_cell);
	}
	for (size_t k = 0; k < rep; k++) {
		if (col + k >= x->opts.max_columns) {
			x->over_cols = x->col;
			break;
		}
		if (push_cell(x, v, n))
			return nomem(x, err);
	}
	x->used = x->ncol;
	return XY_OK;
}

static void row_begin(ods *x)
{
	x->rows_rep = 1;
	while (xmlTextReaderMoveToNextAttribute(x->xr) == 1) {
		const xmlChar *an = xmlTextReaderConstLocalName(x->xr);
		const xmlChar *av = xmlTextReaderConstValue(x->xr);
		if (an && av && in_ns(x, NS_TABLE) && eq(an, "number-rows-repeated"))
			x->rows_rep = (long)repeat(av, (unsigned long long)ODS_MAX_ROW * 16);
	}
	xmlTextReaderMoveToElement(x->xr);
	x->in_row = true;
	xy_buf_reset(&x->text);
	x->ncol = x->used = x->over_cols = x->col = 0;
	x->problem[0] = x->problem_zh[0] = '\0';
	x->row.problem_col = -1;
}

/* Hand out the next repetition of the stored row. */
static xy_code emit(ods *x, xy_error *err)
{
	if (x->line >= ODS_MAX_ROW)
		return xy_error_at(err, XY_ERR_FORMAT, x->path, x->line, NULL,
		                   "sheet %s: more than %ld rows", x->sheet ? x->sheet : "",
		                   ODS_MAX_ROW);
	x->line++;
	x->emit_left--;
	x->row.line = x->line;
	x->row.is_header = !x->seen_header;
	x->seen_header = true;
	return XY_OK;
}

/* Finish the row; *ready when it is to be handed out (not entirely empty). */
static xy_code row_end(ods *x, bool *ready, xy_error *err)
{
	size_t n = x->used;
	x->in_row = false;
	*ready = false;
	if (n == 0 && x->over_cols == 0 && !x->problem[0]) {
		/* empty rows are counted, never looped over */
		x->line += x->rows_rep;
		if (x->line > ODS_MAX_ROW * 16)
			x->line = ODS_MAX_ROW * 16;
		return XY_OK;
	}
	if (x->over_cols) {
		char en[96], zh[96];
		snprintf(en, sizeof en, "too many columns (%zu > %zu)", x->over_cols,
		         x->opts.max_columns);
		snprintf(zh, sizeof zh, "列数过多（%zu > %zu）", x->over_cols, x->opts.max_columns);
		set_problem(x, -1, en, zh);
	}
	if (n > x->cellcap || !x->cellp) {
		size_t cap = n ? n : 1;
		const char **c = realloc(x->cellp, cap * sizeof *c);
		size_t *l;
		if (!c)
			return nomem(x, err);
		x->cellp = c;
		l = realloc(x->lens, cap * sizeof *l);
		if (!l)
			return nomem(x, err);
		x->lens = l;
		x->cellcap = cap;
	}
	for (size_t i = 0; i < n; i++) {
		size_t end = i + 1 < x->ncol ? x->off[i + 1] - 1 : x->text.len - 1;
		x->cellp[i] = x->text.data + x->off[i];
		x->lens[i] = end - x->off[i];
		if (memchr(x->cellp[i], '\0', x->lens[i]))
			set_problem(x, (long)i, "cell contains a NUL byte", "单元格含有 NUL 字节");
	}
	x->row.sheet = x->sheet;
	x->row.ncells = n;
	x->row.cells = x->cellp;
	x->row.lens = x->lens;
	x->row.problem = x->problem[0] ? x->problem : NULL;
	x->row.problem_zh = x->problem[0] ? x->problem_zh : NULL;
	if (!x->row.problem)
		x->row.problem_col = -1;
	x->emit_left = x->rows_rep;
	*ready = true;
	return emit(x, err);
}

static xy_code table_begin(ods *x, xy_error *err)
{
	char *name = NULL;
	while (xmlTextReaderMoveToNextAttribute(x->xr) == 1) {
		const xmlChar *an = xmlTextReaderConstLocalName(x->xr);
		const xmlChar *av = xmlTextReaderConstValue(x->xr);
		if (an && av && in_ns(x, NS_TABLE) && eq(an, "name")) {
			free(name);
			name = dup((const char *)av);
			if (!name) {
				xmlTextReaderMoveToElement(x->xr);
				return nomem(x, err);
			}
		}
	}
	xmlTextReaderMoveToElement(x->xr);
	free(x->sheet);
	x->sheet = name ? name : dup("");
	if (!x->sheet)
		return nomem(x, err);
	x->in_table = true;
	x->seen_header = false;
	x->line = 0;
	return XY_OK;
}

static bool is_text_node(int type)
{
	return type == XML_READER_TYPE_TEXT || type == XML_READER_TYPE_CDATA ||
	       type == XML_READER_TYPE_WHITESPACE || type == XML_READER_TYPE_SIGNIFICANT_WHITESPACE;
}

/* text:s c="n": n spaces, bounded by what the cell can still hold. */
static void spaces(ods *x)
{
	unsigned long long c = 1;
	const xmlChar *v = xmlTextReaderGetAttributeNs(x->xr, BAD_CAST "c", BAD_CAST NS_TEXT);
	if (v) {
		c = repeat(v, (unsigned long long)x->opts.max_cell + 1);
		xmlFree((void *)v);
	}
	while (c-- > 0 && !(x->val_long && x->val.len > x->opts.max_cell))
		cell_text(x, " ", 1);
}

/* One node of content.xml. */
static xy_code node(ods *x, bool *ready, xy_error *err)
{
	int type = xmlTextReaderNodeType(x->xr);
	const xmlChar *el;
	bool empty, table_ns, text_ns;
	*ready = false;
	if (is_text_node(type)) {
		if (x->in_cell && x->in_p > 0 && x->annot == 0) {
			const xmlChar *v = xmlTextReaderConstValue(x->xr);
			if (v)
				cell_text(x, (const char *)v, strlen((const char *)v));
		}
		return XY_OK;
	}
	if (type != XML_READER_TYPE_ELEMENT && type != XML_READER_TYPE_END_ELEMENT)
		return XY_OK;
	el = xmlTextReaderConstLocalName(x->xr);
	if (!el)
		return XY_OK;
	table_ns = in_ns(x, NS_TABLE);
	text_ns = in_ns(x, NS_TEXT);
	if (type == XML_READER_TYPE_ELEMENT) {
		empty = xmlTextReaderIsEmptyElement(x->xr);
		if (x->in_cell) {
			if (eq(el, "annotation") && in_ns(x, NS_OFFICE)) {
				if (!empty)
					x->annot++;
			} else if (x->annot) {
				return XY_OK;
			} else if (text_ns && (eq(el, "p") || eq(el, "h"))) {
				if (x->in_p == 0 && x->npara++ > 0)
					cell_text(x, "\n", 1);
				if (!empty)
					x->in_p++;
			} else if (text_ns && x->in_p > 0) {
				if (eq(el, "s"))
					spaces(x);
				else if (eq(el, "tab"))
					cell_text(x, "\t", 1);
				else if (eq(el, "line-break"))
					cell_text(x, "\n", 1);
			}
			return XY_OK; /* nested tables in a cell are not sheets */
		}
		if (!table_ns)
			return XY_OK;
		if (eq(el, "table") && !x->in_table) {
			xy_code rc = table_begin(x, err);
			if (rc || !empty)
				return rc;
			x->in_table = false;
		} else if (eq(el, "table-row") && x->in_table && !x->in_row) {
			row_begin(x);
			if (empty)
				return row_end(x, ready, err);
		} else if ((eq(el, "table-cell") || eq(el, "covered-table-cell")) && x->in_row) {
			cell_begin(x);
			if (empty)
				return cell_end(x, err);
		}
		return XY_OK;
	}
	/* end element */
	if (x->in_cell) {
		if (eq(el, "annotation") && in_ns(x, NS_OFFICE) && x->annot > 0)
			x->annot--;
		else if (x->annot == 0 && text_ns && (eq(el, "p") || eq(el, "h")) && x->in_p > 0)
			x->in_p--;
		else if (table_ns && (eq(el, "table-cell") || eq(el, "covered-table-cell")))
			return cell_end(x, err);
		return XY_OK;
	}
	if (!table_ns)
		return XY_OK;
	if (eq(el, "table-row") && x->in_row)
		return row_end(x, ready, err);
	if (eq(el, "table") && x->in_table)
		x->in_table = false;
	return XY_OK;
}

/* ---- ops ---- */

static xy_code ods_next(void *impl, const xy_row **row, xy_error *err)
{
	ods *x = impl;
	xml_guard g;
	xy_code rc = XY_OK;
	*row = NULL;
	if (x->failed)
		return xy_error_at(err, x->failed, x->path, 0, NULL,
		                   "reading stopped after an earlier error");
	if (x->emit_left > 0) {
		if ((rc = emit(x, err))) {
			x->failed = rc;
			return rc;
		}
		*row = &x->row;
		return XY_OK;
	}
	if (x->done)
		return XY_OK;
	guard_on(&g, x);
	for (;;) {
		int more;
		bool ready = false;
		if ((rc = entry_read(x, &more, err)))
			break;
		if (!more) {
			entry_close(x);
			x->done = true;
			break;
		}
		if ((rc = node(x, &ready, err)))
			break;
		if (ready) {
			*row = &x->row;
			break;
		}
	}
	guard_off(&g);
	if (rc) {
		*row = NULL;
		x->failed = rc;
		entry_close(x);
	}
	return rc;
}

static uint64_t ods_offset(const void *impl)
{
	const ods *x = impl;
	uint64_t cur;
	if (x->done || !x->entry_size)
		return x->done ? x->entry_comp : 0;
	cur = (uint64_t)((double)x->entry_comp * ((double)x->entry_read / (double)x->entry_size));
	return cur > x->entry_comp ? x->entry_comp : cur;
}

static xy_encoding ods_encoding(const void *impl)
{
	(void)impl;
	return XY_ENC_UTF8;
}

static void ods_free(void *impl)
{
	ods *x = impl;
	xml_guard g;
	if (!x)
		return;
	guard_on(&g, x);
	entry_close(x);
	guard_off(&g);
	if (x->za)
		zip_discard(x->za);
	free(x->sheet);
	xy_buf_release(&x->text);
	xy_buf_release(&x->val);
	xy_buf_release(&x->attr);
	xy_buf_release(&x->out);
	free(x->off);
	free(x->cellp);
	free(x->lens);
	free(x->path);
	free(x);
}

static const xy_reader_ops ods_ops = {
    .next = ods_next,
    .offset = ods_offset,
    .encoding = ods_encoding,
    .free = ods_free,
};

/* ---- open ---- */

static xy_code ods_load(ods *x, xy_error *err)
{
	int zerr = 0;
	zip_int64_t idx;
	zip_stat_t st;
	x->za = zip_open(x->path, ZIP_RDONLY | ZIP_CHECKCONS, &zerr);
	if (!x->za) {
		zip_error_t ze;
		char msg[256];
		zip_error_init_with_code(&ze, zerr);
		snprintf(msg, sizeof msg, "%s", zip_error_strerror(&ze));
		zip_error_fini(&ze);
		if (zerr == ZIP_ER_MEMORY)
			return nomem(x, err);
		if (zerr == ZIP_ER_NOENT || zerr == ZIP_ER_OPEN)
			return xy_error_at(err, XY_ERR_IO, x->path, 0, NULL, "cannot open: %s", msg);
		return xy_error_at(err, XY_ERR_FORMAT, x->path, 0, NULL,
		                   "not an ODS file or truncated/damaged zip: %s", msg);
	}
	idx = zip_name_locate(x->za, ODS_CONTENT, 0);
	if (idx < 0)
		return xy_error_at(err, XY_ERR_FORMAT, x->path, 0, NULL,
		                   "not an ODS spreadsheet: " ODS_CONTENT " missing");
	zip_stat_init(&st);
	if (zip_stat_index(x->za, (zip_uint64_t)idx, 0, &st) == 0) {
		x->entry_size = (st.valid & ZIP_STAT_SIZE) ? st.size : 0;
		x->entry_comp = (st.valid & ZIP_STAT_COMP_SIZE) ? st.comp_size : 0;
	}
	if (x->entry_size > x->opts.max_unzipped)
		return xy_error_at(err, XY_ERR_LIMIT, x->path, 0, NULL,
		                   "ods expands past the limit of %llu bytes (zip bomb?): "
		                   ODS_CONTENT " declares %llu bytes",
		                   (unsigned long long)x->opts.max_unzipped,
		                   (unsigned long long)x->entry_size);
	x->zf = zip_fopen_index(x->za, (zip_uint64_t)idx, 0);
	if (!x->zf)
		return xy_error_at(err, XY_ERR_FORMAT, x->path, 0, NULL,
		                   "truncated or damaged zip: cannot open " ODS_CONTENT ": %s",
		                   zip_strerror(x->za));
	/* No XML_PARSE_NOENT (entities stay unexpanded), no XML_PARSE_HUGE,
	 * never the network. */
	x->xr = xmlReaderForIO(read_cb, NULL, x, ODS_CONTENT, NULL, XML_PARSE_NONET);
	if (!x->xr) {
		if (x->io_code)
			return xy_error_at(err, x->io_code, x->path, 0, NULL, "%s", x->io_msg);
		return xy_error_at(err, XY_ERR_FORMAT, x->path, 0, NULL,
		                   "cannot parse " ODS_CONTENT);
	}
	return XY_OK;
}

xy_code xy__ods_open(void **impl, const xy_reader_ops **ops, const char *path,
                     const xy_reader_opts *opts, xy_error *err)
{
	ods *x;
	xml_guard g;
	xy_code rc;
	*impl = NULL;
	x = calloc(1, sizeof *x);
	if (!x)
		return xy_error_set(err, XY_ERR_NOMEM, "out of memory");
	x->path = dup(path);
	if (!x->path) {
		free(x);
		return xy_error_set(err, XY_ERR_NOMEM, "out of memory");
	}
	if (opts)
		x->opts = *opts;
	if (!x->opts.max_cell)
		x->opts.max_cell = XY_READER_MAX_CELL;
	if (!x->opts.max_columns)
		x->opts.max_columns = XY_READER_MAX_COLUMNS;
	if (!x->opts.max_unzipped)
		x->opts.max_unzipped = XY_READER_MAX_UNZIPPED;
	if (x->opts.max_cell > SIZE_MAX / 2)
		x->opts.max_cell = SIZE_MAX / 2;
	xy_buf_init(&x->text, 0); /* bounded by max_columns and ODS_MAX_ROW_BYTES */
	xy_buf_init(&x->val, 0);  /* bounded by max_cell + 1 in cell_text() */
	xy_buf_init(&x->attr, 0);
	xy_buf_init(&x->out, 0);
	x->row.problem_col = -1;
	xmlInitParser();
	guard_on(&g, x);
	rc = ods_load(x, err);
	guard_off(&g);
	if (rc) {
		ods_free(x);
		return rc;
	}
	*impl = x;
	*ops = &ods_ops;
	return XY_OK;
}
