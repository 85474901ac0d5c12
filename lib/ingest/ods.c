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
 * The zip, libxml2 and row plumbing shared with xlsx.c is in zipxml.c.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "zipxml.h"

#define ODS_MAX_ROW 1048576L                /* LibreOffice's (and Excel's) last row */
#define ODS_MAX_ROW_BYTES ((size_t)256 << 20)
#define ODS_CONTENT "content.xml"

#define NS_TABLE "urn:oasis:names:tc:opendocument:xmlns:table:1.0"
#define NS_OFFICE "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
#define NS_TEXT "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
#define NS_STYLE "urn:oasis:names:tc:opendocument:xmlns:style:1.0"

/* Value types (office:value-type). */
enum { VT_STRING, VT_NUMBER, VT_DATE, VT_BOOL, VT_TIME };

typedef struct ods {
	char *path;
	xy_reader_opts opts;
	xy__zipxml z; /* the archive and content.xml */
	bool done;

	/* sheet state */
	char *sheet; /* table:name of the current table:table */
	bool in_table, seen_header;
	bool table_hidden; /* its style says table:display="false": named, not read */
	xy_buf hidden_styles; /* names of table styles with display="false", each NUL-terminated */
	xy_buf table_style;   /* the table style:style being read ("" if none) */
	long line;   /* last row number counted in this sheet */

	/* row state */
	bool in_row;
	long rows_rep;
	xy__rowbuf rb; /* the row's cells, then the row handed out */
	size_t col;    /* next column */

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

	xy_code failed;
} ods;

static xy_code nomem(ods *x, xy_error *err)
{
	return xy_error_at(err, XY_ERR_NOMEM, x->path, 0, NULL, "out of memory");
}

#define eq xy__zx_eq

static bool in_ns(ods *x, const char *ns)
{
	return eq(xmlTextReaderConstNamespaceUri(x->z.xr), ns);
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

static void cell_begin(ods *x)
{
	x->vtype = VT_STRING;
	x->cols_rep = 1;
	x->annot = x->in_p = 0;
	x->npara = 0;
	x->val_long = false;
	xy_buf_reset(&x->val);
	xy_buf_reset(&x->attr);
	while (xmlTextReaderMoveToNextAttribute(x->z.xr) == 1) {
		const xmlChar *an = xmlTextReaderConstLocalName(x->z.xr);
		const xmlChar *av = xmlTextReaderConstValue(x->z.xr);
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
	xmlTextReaderMoveToElement(x->z.xr);
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
			if (xy__number_text(&x->out, a, an))
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
	if (xy__rowbuf_cell(&x->rb, col, v, n, x->val_long, rep))
		return nomem(x, err);
	return XY_OK;
}

static void row_begin(ods *x)
{
	x->rows_rep = 1;
	while (xmlTextReaderMoveToNextAttribute(x->z.xr) == 1) {
		const xmlChar *an = xmlTextReaderConstLocalName(x->z.xr);
		const xmlChar *av = xmlTextReaderConstValue(x->z.xr);
		if (an && av && in_ns(x, NS_TABLE) && eq(an, "number-rows-repeated"))
			x->rows_rep = (long)repeat(av, (unsigned long long)ODS_MAX_ROW * 16);
	}
	xmlTextReaderMoveToElement(x->z.xr);
	x->in_row = true;
	xy__rowbuf_reset(&x->rb);
	x->col = 0;
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
	x->rb.row.line = x->line;
	x->rb.row.is_header = !x->seen_header;
	x->seen_header = true;
	return XY_OK;
}

/* Finish the row; *ready when it is to be handed out (not entirely empty). */
static xy_code row_end(ods *x, bool *ready, xy_error *err)
{
	x->in_row = false;
	if (xy__rowbuf_finish(&x->rb, ready))
		return nomem(x, err);
	if (!*ready) {
		/* empty rows are counted, never looped over */
		x->line += x->rows_rep;
		if (x->line > ODS_MAX_ROW * 16)
			x->line = ODS_MAX_ROW * 16;
		return XY_OK;
	}
	x->rb.row.sheet = x->sheet;
	x->emit_left = x->rows_rep;
	return emit(x, err);
}

/* Whether style is one of the hidden table styles. */
static bool style_hidden(const ods *x, const char *style)
{
	for (size_t i = 0; i < x->hidden_styles.len; i += strlen(x->hidden_styles.data + i) + 1)
		if (strcmp(x->hidden_styles.data + i, style) == 0)
			return true;
	return false;
}

/* A table: a sheet, or a hidden one handed out as its one xy_row.hidden row. */
static xy_code table_begin(ods *x, bool *ready, xy_error *err)
{
	char *name = NULL;
	x->table_hidden = false;
	while (xmlTextReaderMoveToNextAttribute(x->z.xr) == 1) {
		const xmlChar *an = xmlTextReaderConstLocalName(x->z.xr);
		const xmlChar *av = xmlTextReaderConstValue(x->z.xr);
		if (an && av && in_ns(x, NS_TABLE) && eq(an, "style-name"))
			x->table_hidden = style_hidden(x, (const char *)av);
		if (an && av && in_ns(x, NS_TABLE) && eq(an, "name")) {
			free(name);
			name = strdup((const char *)av);
			if (!name) {
				xmlTextReaderMoveToElement(x->z.xr);
				return nomem(x, err);
			}
		}
	}
	xmlTextReaderMoveToElement(x->z.xr);
	free(x->sheet);
	x->sheet = name ? name : strdup("");
	if (!x->sheet)
		return nomem(x, err);
	x->in_table = true;
	x->seen_header = false;
	x->line = 0;
	if (x->table_hidden) {
		x->rb.row = (xy_row){.sheet = x->sheet,
		                     .is_header = true,
		                     .hidden = true,
		                     .cells = (const char *const *)x->rb.cellp,
		                     .lens = x->rb.lens,
		                     .problem_col = -1};
		*ready = true;
	}
	return XY_OK;
}

/* <style:style style:family="table"> and its <style:table-properties
 * table:display="false"> (office:automatic-styles, before the body). */
static xy_code table_style(ods *x, const xmlChar *el, xy_error *err)
{
	const xmlChar *an, *av, *ns;
	bool table = false, hide = false;
	if (eq(el, "style"))
		xy_buf_reset(&x->table_style);
	while (xy__zx_next_attr(&x->z, &an, &av, &ns)) {
		if (eq(el, "style") && eq(ns, NS_STYLE) && eq(an, "family")) {
			table = eq(av, "table");
		} else if (eq(el, "style") && eq(ns, NS_STYLE) && eq(an, "name")) {
			xy_buf_reset(&x->table_style);
			if (xy_buf_addstr(&x->table_style, (const char *)av))
				return nomem(x, err);
		} else if (eq(el, "table-properties") && eq(ns, NS_TABLE) && eq(an, "display")) {
			hide = eq(av, "false");
		}
	}
	if (eq(el, "style") && !table)
		xy_buf_reset(&x->table_style);
	if (hide && x->table_style.len && !style_hidden(x, x->table_style.data) &&
	    (xy_buf_addstr(&x->hidden_styles, x->table_style.data) ||
	     xy_buf_addch(&x->hidden_styles, '\0')))
		return nomem(x, err);
	return XY_OK;
}

/* text:s c="n": n spaces, bounded by what the cell can still hold. */
static void spaces(ods *x)
{
	unsigned long long c = 1;
	const xmlChar *v = xmlTextReaderGetAttributeNs(x->z.xr, BAD_CAST "c", BAD_CAST NS_TEXT);
	if (v) {
		c = repeat(v, (unsigned long long)x->opts.max_cell + 1);
		xmlFree((void *)v);
	}
	while (c-- > 0 && !(x->val_long && x->val.len > x->opts.max_cell))
		xy__cell_text(&x->val, &x->val_long, x->opts.max_cell, " ", 1);
}

/* One node of content.xml. */
static xy_code node(ods *x, bool *ready, xy_error *err)
{
	int type = xmlTextReaderNodeType(x->z.xr);
	const xmlChar *el;
	bool empty, table_ns, text_ns;
	*ready = false;
	if (xy__zx_is_text(type)) {
		if (x->in_cell && x->in_p > 0 && x->annot == 0) {
			const xmlChar *v = xmlTextReaderConstValue(x->z.xr);
			if (v)
				xy__cell_text(&x->val, &x->val_long, x->opts.max_cell, (const char *)v, strlen((const char *)v));
		}
		return XY_OK;
	}
	if (type != XML_READER_TYPE_ELEMENT && type != XML_READER_TYPE_END_ELEMENT)
		return XY_OK;
	el = xmlTextReaderConstLocalName(x->z.xr);
	if (!el)
		return XY_OK;
	table_ns = in_ns(x, NS_TABLE);
	text_ns = in_ns(x, NS_TEXT);
	if (type == XML_READER_TYPE_ELEMENT) {
		empty = xmlTextReaderIsEmptyElement(x->z.xr);
		if (x->in_cell) {
			if (eq(el, "annotation") && in_ns(x, NS_OFFICE)) {
				if (!empty)
					x->annot++;
			} else if (x->annot) {
				return XY_OK;
			} else if (text_ns && (eq(el, "p") || eq(el, "h"))) {
				if (x->in_p == 0 && x->npara++ > 0)
					xy__cell_text(&x->val, &x->val_long, x->opts.max_cell, "\n", 1);
				if (!empty)
					x->in_p++;
			} else if (text_ns && x->in_p > 0) {
				if (eq(el, "s"))
					spaces(x);
				else if (eq(el, "tab"))
					xy__cell_text(&x->val, &x->val_long, x->opts.max_cell, "\t", 1);
				else if (eq(el, "line-break"))
					xy__cell_text(&x->val, &x->val_long, x->opts.max_cell, "\n", 1);
			}
			return XY_OK; /* nested tables in a cell are not sheets */
		}
		if (!x->in_table && in_ns(x, NS_STYLE) &&
		    (eq(el, "style") || eq(el, "table-properties")))
			return table_style(x, el, err);
		if (!table_ns)
			return XY_OK;
		if (eq(el, "table") && !x->in_table) {
			xy_code rc = table_begin(x, ready, err);
			if (rc || !empty)
				return rc;
			x->in_table = false;
		} else if (eq(el, "table-row") && x->in_table && !x->in_row && !x->table_hidden) {
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
	xy__zx_guard g;
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
		*row = &x->rb.row;
		return XY_OK;
	}
	if (x->done)
		return XY_OK;
	xy__zx_guard_on(&g, &x->z);
	for (;;) {
		int more;
		bool ready = false;
		if ((rc = xy__zx_next(&x->z, &more, err)))
			break;
		if (!more) {
			xy__zx_entry_close(&x->z);
			x->done = true;
			break;
		}
		if ((rc = node(x, &ready, err)))
			break;
		if (ready) {
			*row = &x->rb.row;
			break;
		}
	}
	xy__zx_guard_off(&g);
	if (rc) {
		*row = NULL;
		x->failed = rc;
		xy__zx_entry_close(&x->z);
	}
	return rc;
}

static uint64_t ods_offset(const void *impl)
{
	return xy__zx_offset(&((const ods *)impl)->z);
}

static xy_encoding ods_encoding(const void *impl)
{
	(void)impl;
	return XY_ENC_UTF8;
}

static void ods_free(void *impl)
{
	ods *x = impl;
	xy__zx_guard g;
	if (!x)
		return;
	xy__zx_guard_on(&g, &x->z);
	xy__zx_release(&x->z);
	xy__zx_guard_off(&g);
	free(x->sheet);
	xy__rowbuf_release(&x->rb);
	xy_buf_release(&x->val);
	xy_buf_release(&x->attr);
	xy_buf_release(&x->hidden_styles);
	xy_buf_release(&x->table_style);
	xy_buf_release(&x->out);
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
	zip_int64_t idx;
	zip_stat_t st;
	xy_code rc = xy__zx_open(&x->z, err);
	if (rc)
		return rc;
	idx = xy__zx_locate(&x->z, ODS_CONTENT);
	zip_stat_init(&st);
	if (idx >= 0 && zip_stat_index(x->z.za, (zip_uint64_t)idx, 0, &st) == 0 &&
	    (st.valid & ZIP_STAT_SIZE) && st.size > x->opts.max_unzipped)
		return xy_error_at(err, XY_ERR_LIMIT, x->path, 0, NULL,
		                   "ods expands past the limit of %llu bytes (zip bomb?): "
		                   ODS_CONTENT " declares %llu bytes",
		                   (unsigned long long)x->opts.max_unzipped,
		                   (unsigned long long)st.size);
	return xy__zx_entry_open(&x->z, ODS_CONTENT, false, true, NULL, err);
}

xy_code xy__ods_open(void **impl, const xy_reader_ops **ops, const char *path,
                     const xy_reader_opts *opts, xy_error *err)
{
	ods *x;
	xy__zx_guard g;
	xy_code rc;
	*impl = NULL;
	x = calloc(1, sizeof *x);
	if (!x)
		return xy_error_set(err, XY_ERR_NOMEM, "out of memory");
	x->path = strdup(path);
	if (!x->path) {
		free(x);
		return xy_error_set(err, XY_ERR_NOMEM, "out of memory");
	}
	if (opts)
		x->opts = *opts;
	xy__reader_defaults(&x->opts);
	x->z.path = x->path;
	x->z.kind = "ODS";
	x->z.kind_lc = "ods";
	x->z.what = "ODS spreadsheet";
	x->z.max_unzipped = x->opts.max_unzipped;
	xy__rowbuf_init(&x->rb, &x->opts, ODS_MAX_ROW_BYTES);
	xy_buf_init(&x->val, 0);  /* bounded by max_cell + 1 in xy__cell_text() */
	xy_buf_init(&x->attr, 0);
	xy_buf_init(&x->out, 0);
	xy_buf_init(&x->hidden_styles, 0); /* bounded by content.xml (max_unzipped) */
	xy_buf_init(&x->table_style, 0);
	xmlInitParser();
	xy__zx_guard_on(&g, &x->z);
	rc = ods_load(x, err);
	xy__zx_guard_off(&g);
	if (rc) {
		ods_free(x);
		return rc;
	}
	*impl = x;
	*ops = &ods_ops;
	return XY_OK;
}
