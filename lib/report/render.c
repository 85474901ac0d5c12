/* Rendering the table model: terminal text, CSV, Markdown, HTML, JSON, XLSX
 * (PDF: table_pdf.c).
 *
 * Every format shows the same cells: label columns, value columns, the total
 * column, and the total row first (as the bulletin prints it).  Zero prints
 * blank when the table says so (except JSON, whose numbers stay numbers, and
 * XLSX, whose zero cells hold 0 under a number format that hides it, so
 * formulas and Excel users still see numbers).
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>
#include <xlsxwriter.h>

#include "xinyong/buf.h"
#include "xinyong/table.h"
#include "xinyong/text.h"
#include "table_pdf.h"

#if LXW_VERSION_ID < 100
#error "libxlsxwriter 1.0 or newer is needed (worksheet_write_formula_num, freeze panes)"
#endif

static const char *const format_names[] = { "text", "csv", "md", "html", "json", "xlsx", "pdf" };

int xy_table_format_parse(const char *s, xy_table_format *out)
{
	if (!s)
		return -1;
	if (strcmp(s, "table") == 0 || strcmp(s, "txt") == 0) {
		*out = XY_TABLE_TEXT;
		return 0;
	}
	if (strcmp(s, "markdown") == 0) {
		*out = XY_TABLE_MD;
		return 0;
	}
	for (size_t i = 0; i < sizeof format_names / sizeof format_names[0]; i++)
		if (strcmp(s, format_names[i]) == 0) {
			*out = (xy_table_format)i;
			return 0;
		}
	return -1;
}

const char *xy_table_format_name(xy_table_format fmt)
{
	return (size_t)fmt < sizeof format_names / sizeof format_names[0] ? format_names[fmt] : "?";
}

/* ---- cells ---- */

static size_t ncols(const xy_table *t)
{
	return t->nlabels + t->nvalues + (t->total_col_name ? 1 : 0);
}

static const char *col_name(const xy_table *t, size_t c)
{
	if (c < t->nlabels)
		return t->label_names[c];
	if (c < t->nlabels + t->nvalues)
		return t->value_names[c - t->nlabels];
	return t->total_col_name;
}

static bool col_numeric(const xy_table *t, size_t c)
{
	return c >= t->nlabels;
}

static long long cell_num(const xy_table_row *r, const xy_table *t, size_t c)
{
	return c < t->nlabels + t->nvalues ? r->values[c - t->nlabels] : r->total;
}

/* The text of a cell; numbers go through buf (valid until the next call). */
static const char *cell_text(const xy_table *t, const xy_table_row *r, size_t c, char buf[32])
{
	long long v;
	if (c < t->nlabels)
		return r->labels[c];
	v = cell_num(r, t, c);
	/* The bulletin leaves empty category cells blank but prints 总计 0. */
	if (v == 0 && t->zero_blank && c < t->nlabels + t->nvalues)
		return "";
	snprintf(buf, 32, "%lld", v);
	return buf;
}

/* ---- display width (terminal) ---- */

static void put_padded(xy_buf *b, const char *s, size_t width, bool right)
{
	size_t w = xy_text_width(s);
	if (right)
		for (; w < width; w++)
			xy_buf_addch(b, ' ');
	xy_buf_addstr(b, s);
	if (!right)
		for (; w < width; w++)
			xy_buf_addch(b, ' ');
}

/* Write the line without trailing blanks and start the next. */
static void put_line(FILE *f, xy_buf *b)
{
	size_t n = b->len;
	while (n && b->data[n - 1] == ' ')
		n--;
	fwrite(b->data, 1, n, f);
	fputc('\n', f);
	xy_buf_reset(b);
}

static void write_text(const xy_table *t, FILE *f)
{
	size_t nc = ncols(t);
	size_t *w = calloc(nc ? nc : 1, sizeof *w);
	xy_buf b = XY_BUF_INIT;
	char nb[32];
	if (!w)
		return;
	for (size_t c = 0; c < nc; c++) {
		w[c] = xy_text_width(col_name(t, c));
		for (size_t i = 0; i < t->nrows; i++) {
			size_t cw = xy_text_width(cell_text(t, &t->rows[i], c, nb));
			if (cw > w[c])
				w[c] = cw;
		}
	}
	if (t->title && *t->title) {
		fputs(t->title, f);
		fputc('\n', f);
	}
	if (t->note && *t->note) {
		fputs(t->note, f);
		fputc('\n', f);
	}
	for (size_t c = 0; c < nc; c++) {
		if (c)
			xy_buf_addstr(&b, "  ");
		put_padded(&b, col_name(t, c), w[c], col_numeric(t, c));
	}
	put_line(f, &b);
	for (size_t c = 0; c < nc; c++) {
		if (c)
			xy_buf_addstr(&b, "  ");
		for (size_t k = 0; k < w[c]; k++)
			xy_buf_addch(&b, '-');
	}
	put_line(f, &b);
	for (size_t i = 0; i < t->nrows; i++) {
		for (size_t c = 0; c < nc; c++) {
			if (c)
				xy_buf_addstr(&b, "  ");
			put_padded(&b, cell_text(t, &t->rows[i], c, nb), w[c], col_numeric(t, c));
		}
		put_line(f, &b);
	}
	xy_buf_release(&b);
	free(w);
}

/* ---- CSV ---- */

static void csv_cell(FILE *f, const char *s)
{
	if (!strpbrk(s, ",\"\r\n")) {
		fputs(s, f);
		return;
	}
	fputc('"', f);
	for (; *s; s++) {
		if (*s == '"')
			fputc('"', f);
		fputc(*s, f);
	}
	fputc('"', f);
}

static void write_csv(const xy_table *t, FILE *f)
{
	size_t nc = ncols(t);
	char nb[32];
	fputs("\xEF\xBB\xBF", f); /* BOM: Excel opens UTF-8 CSV correctly only with it */
	for (size_t c = 0; c < nc; c++) {
		if (c)
			fputc(',', f);
		csv_cell(f, col_name(t, c));
	}
	fputs("\r\n", f);
	for (size_t i = 0; i < t->nrows; i++) {
		for (size_t c = 0; c < nc; c++) {
			if (c)
				fputc(',', f);
			csv_cell(f, cell_text(t, &t->rows[i], c, nb));
		}
		fputs("\r\n", f);
	}
}

/* ---- Markdown ---- */

static void md_cell(FILE *f, const char *s)
{
	for (; *s; s++) {
		if (*s == '<') {
			fputs("&lt;", f); /* no raw HTML out of a cell */
			continue;
		}
		if (*s == '|' || *s == '\\' || *s == '*' || *s == '_')
			fputc('\\', f);
		fputc(*s == '\n' || *s == '\r' ? ' ' : *s, f);
	}
}

static void write_md(const xy_table *t, FILE *f)
{
	size_t nc = ncols(t);
	char nb[32];
	if (t->title && *t->title) {
		fputs("**", f);
		md_cell(f, t->title);
		fputs("**\n\n", f);
	}
	if (t->note && *t->note) {
		md_cell(f, t->note);
		fputs("\n\n", f);
	}
	fputc('|', f);
	for (size_t c = 0; c < nc; c++) {
		fputc(' ', f);
		md_cell(f, col_name(t, c));
		fputs(" |", f);
	}
	fputs("\n|", f);
	for (size_t c = 0; c < nc; c++)
		fputs(col_numeric(t, c) ? " ---: |" : " --- |", f);
	fputc('\n', f);
	for (size_t i = 0; i < t->nrows; i++) {
		const xy_table_row *r = &t->rows[i];
		fputc('|', f);
		for (size_t c = 0; c < nc; c++) {
			const char *s = cell_text(t, r, c, nb);
			fputc(' ', f);
			if (r->is_total && *s)
				fputs("**", f);
			md_cell(f, s);
			if (r->is_total && *s)
				fputs("**", f);
			fputs(" |", f);
		}
		fputc('\n', f);
	}
}

/* ---- HTML ---- */

static void html_text(FILE *f, const char *s)
{
	for (; *s; s++)
		switch (*s) {
		case '&': fputs("&amp;", f); break;
		case '<': fputs("&lt;", f); break;
		case '>': fputs("&gt;", f); break;
		case '"': fputs("&quot;", f); break;
		case '\'': fputs("&#39;", f); break;
		default: fputc(*s, f);
		}
}

static void write_html(const xy_table *t, FILE *f)
{
	size_t nc = ncols(t);
	char nb[32];
	fputs("<table class=\"xy-stats\">\n", f);
	if ((t->title && *t->title) || (t->note && *t->note)) {
		fputs("<caption>", f);
		html_text(f, t->title ? t->title : "");
		if (t->note && *t->note) {
			fputs("<br><small>", f);
			html_text(f, t->note);
			fputs("</small>", f);
		}
		fputs("</caption>\n", f);
	}
	fputs("<thead>\n<tr>", f);
	for (size_t c = 0; c < nc; c++) {
		fputs("<th scope=\"col\">", f);
		html_text(f, col_name(t, c));
		fputs("</th>", f);
	}
	fputs("</tr>\n</thead>\n<tbody>\n", f);
	for (size_t i = 0; i < t->nrows; i++) {
		const xy_table_row *r = &t->rows[i];
		fputs(r->is_total ? "<tr class=\"total\">" : "<tr>", f);
		for (size_t c = 0; c < nc; c++) {
			fputs(col_numeric(t, c) ? "<td class=\"num\">" : "<td>", f);
			html_text(f, cell_text(t, r, c, nb));
			fputs("</td>", f);
		}
		fputs("</tr>\n", f);
	}
	fputs("</tbody>\n</table>\n", f);
}

/* ---- JSON ---- */

static json_t *table_json(const xy_table *t)
{
	size_t nc = ncols(t);
	json_t *o = json_object(), *cols = json_array(), *rows = json_array();
	if (!o || !cols || !rows) {
		json_decref(o);
		json_decref(cols);
		json_decref(rows);
		return NULL;
	}
	json_object_set_new(o, "title", json_string(t->title ? t->title : ""));
	if (t->note)
		json_object_set_new(o, "note", json_string(t->note));
	for (size_t c = 0; c < nc; c++)
		json_array_append_new(cols, json_string(col_name(t, c)));
	json_object_set_new(o, "columns", cols);
	for (size_t i = 0; i < t->nrows; i++) {
		const xy_table_row *r = &t->rows[i];
		json_t *row = json_object();
		for (size_t c = 0; c < nc; c++)
			json_object_set_new(row, col_name(t, c),
					    c < t->nlabels ? json_string(r->labels[c])
							   : json_integer(cell_num(r, t, c)));
		json_array_append_new(rows, row);
	}
	json_object_set_new(o, "rows", rows);
	return o;
}

static xy_code write_json(const xy_table *t, FILE *f, xy_error *err)
{
	json_t *o = table_json(t);
	if (!o)
		return xy_error_set(err, XY_ERR_NOMEM, "out of memory");
	if (json_dumpf(o, f, JSON_COMPACT | JSON_PRESERVE_ORDER) != 0) {
		json_decref(o);
		return xy_error_set(err, XY_ERR_IO, "cannot write JSON");
	}
	fputc('\n', f);
	json_decref(o);
	return XY_OK;
}

xy_code xy_table_write(const xy_table *t, xy_table_format fmt, FILE *out, xy_error *err)
{
	xy_code rc = XY_OK;
	switch (fmt) {
	case XY_TABLE_TEXT: write_text(t, out); break;
	case XY_TABLE_CSV: write_csv(t, out); break;
	case XY_TABLE_MD: write_md(t, out); break;
	case XY_TABLE_HTML: write_html(t, out); break;
	case XY_TABLE_JSON: rc = write_json(t, out, err); break;
	case XY_TABLE_XLSX:
		return xy_error_set(err, XY_ERR_ARG, "XLSX needs an output file (-o FILE)");
	case XY_TABLE_PDF: rc = xy__table_pdf(t, out, "table", err); break;
	default: return xy_error_set(err, XY_ERR_ARG, "unknown table format %d", (int)fmt);
	}
	if (rc)
		return rc;
	if (ferror(out))
		return xy_error_set(err, XY_ERR_IO, "cannot write the table: %s", strerror(errno));
	return XY_OK;
}

xy_code xy_table_save(const xy_table *t, xy_table_format fmt, const char *path, xy_error *err)
{
	FILE *f;
	xy_code rc;
	if (fmt == XY_TABLE_XLSX)
		return xy_table_write_xlsx(&t, NULL, 1, path, err);
	f = fopen(path, "wb");
	if (!f)
		return xy_error_at(err, XY_ERR_IO, path, 0, NULL, "cannot create: %s",
				   strerror(errno));
	rc = fmt == XY_TABLE_PDF ? xy__table_pdf(t, f, path, err) : xy_table_write(t, fmt, f, err);
	if (fclose(f) != 0 && !rc)
		rc = xy_error_at(err, XY_ERR_IO, path, 0, NULL, "cannot write: %s",
				 strerror(errno));
	if (rc)
		remove(path);
	return rc;
}

/* ---- XLSX ---- */

typedef struct xlsx_formats {
	lxw_format *title, *note, *header, *label, *label_total, *num, *num_total;
	lxw_format *sum, *sum_total; /* the 总计 column: zero shows as 0 */
} xlsx_formats;

static lxw_format *fmt_new(lxw_workbook *wb, bool bold, bool border)
{
	lxw_format *f = workbook_add_format(wb);
	format_set_font_name(f, "等线");
	format_set_font_size(f, 10);
	format_set_align(f, LXW_ALIGN_VERTICAL_CENTER);
	if (bold)
		format_set_bold(f);
	if (border)
		format_set_border(f, LXW_BORDER_THIN);
	return f;
}

static void xlsx_formats_make(lxw_workbook *wb, xlsx_formats *x, bool zero_blank)
{
	/* "0;-0;;@": zero shows as an empty cell but stays a number */
	const char *numfmt = zero_blank ? "0;-0;;@" : "0";
	x->title = fmt_new(wb, true, false);
	format_set_font_size(x->title, 14);
	format_set_align(x->title, LXW_ALIGN_CENTER);
	x->note = fmt_new(wb, false, false);
	format_set_align(x->note, LXW_ALIGN_RIGHT);
	x->header = fmt_new(wb, true, true);
	format_set_align(x->header, LXW_ALIGN_CENTER);
	format_set_text_wrap(x->header);
	format_set_bg_color(x->header, 0xF2F2F2);
	x->label = fmt_new(wb, false, true);
	x->label_total = fmt_new(wb, true, true);
	format_set_align(x->label_total, LXW_ALIGN_CENTER);
	x->num = fmt_new(wb, false, true);
	format_set_num_format(x->num, numfmt);
	x->num_total = fmt_new(wb, true, true);
	format_set_num_format(x->num_total, numfmt);
	x->sum = fmt_new(wb, false, true);
	format_set_num_format(x->sum, "0");
	x->sum_total = fmt_new(wb, true, true);
	format_set_num_format(x->sum_total, "0");
}

static bool all_digits(const char *s)
{
	if (!*s || strlen(s) > 15)
		return false;
	for (; *s; s++)
		if (*s < '0' || *s > '9')
			return false;
	return true;
}

/* Excel column width units are roughly one Latin digit; a CJK character takes
 * about two.  Long headers wrap at `cap` units. */
static double col_width(const xy_table *t, size_t c, size_t cap, size_t *header_lines)
{
	char nb[32];
	size_t w = 0, hw = xy_text_width(col_name(t, c));
	for (size_t i = 0; i < t->nrows; i++) {
		size_t cw = xy_text_width(cell_text(t, &t->rows[i], c, nb));
		if (col_numeric(t, c) && cw < 1)
			cw = 1;
		if (cw > w)
			w = cw;
	}
	if (hw <= cap || hw <= w) {
		if (hw > w)
			w = hw;
		*header_lines = 1;
	} else {
		if (cap > w)
			w = cap;
		*header_lines = (hw + w - 1) / w;
	}
	return (double)w + 2.0;
}

static xy_code xlsx_sheet(lxw_workbook *wb, lxw_worksheet *ws, const xy_table *t)
{
	xlsx_formats x;
	size_t nc = ncols(t);
	lxw_row_t hr = 1, first = 0, last = 0, r0;
	size_t lines = 1;
	char a[32], b[32], formula[96];
	bool has_total_row = t->nrows && t->rows[0].is_total;
	size_t ndata = t->nrows - (has_total_row ? 1 : 0);

	if (nc == 0)
		return XY_OK;
	xlsx_formats_make(wb, &x, t->zero_blank);
	if (nc > 1)
		worksheet_merge_range(ws, 0, 0, 0, (lxw_col_t)(nc - 1), t->title ? t->title : "",
				      x.title);
	else
		worksheet_write_string(ws, 0, 0, t->title ? t->title : "", x.title);
	worksheet_set_row(ws, 0, 24, NULL);
	if (t->note && *t->note) {
		if (nc > 1)
			worksheet_merge_range(ws, 1, 0, 1, (lxw_col_t)(nc - 1), t->note, x.note);
		else
			worksheet_write_string(ws, 1, 0, t->note, x.note);
		hr = 2;
	}
	for (size_t c = 0; c < nc; c++) {
		size_t hl;
		double w = col_width(t, c, col_numeric(t, c) ? 10 : 30, &hl);
		if (hl > lines)
			lines = hl;
		worksheet_set_column(ws, (lxw_col_t)c, (lxw_col_t)c, w, NULL);
		worksheet_write_string(ws, hr, (lxw_col_t)c, col_name(t, c), x.header);
	}
	worksheet_set_row(ws, hr, 14.0 * (double)lines + 4.0, NULL);
	r0 = hr + 1;
	/* data rows sit below the total row: rows r0 + has_total_row … */
	first = r0 + (has_total_row ? 1 : 0);
	last = first + (lxw_row_t)ndata - 1;
	for (size_t i = 0; i < t->nrows; i++) {
		const xy_table_row *r = &t->rows[i];
		lxw_row_t row = r0 + (lxw_row_t)i;
		for (size_t c = 0; c < t->nlabels; c++) {
			const char *s = r->labels[c];
			lxw_format *lf = r->is_total ? x.label_total : x.label;
			if (all_digits(s))
				worksheet_write_number(ws, row, (lxw_col_t)c, strtod(s, NULL), lf);
			else
				worksheet_write_string(ws, row, (lxw_col_t)c, s, lf);
		}
		for (size_t j = 0; j < t->nvalues; j++) {
			lxw_col_t col = (lxw_col_t)(t->nlabels + j);
			if (r->is_total && ndata) {
				lxw_rowcol_to_cell(a, first, col);
				lxw_rowcol_to_cell(b, last, col);
				snprintf(formula, sizeof formula, "=SUM(%s:%s)", a, b);
				worksheet_write_formula_num(ws, row, col, formula, x.num_total,
							    (double)r->values[j]);
			} else {
				worksheet_write_number(ws, row, col, (double)r->values[j],
						       r->is_total ? x.num_total : x.num);
			}
		}
		if (t->total_col_name) {
			lxw_col_t col = (lxw_col_t)(t->nlabels + t->nvalues);
			if (r->is_total && ndata) {
				lxw_rowcol_to_cell(a, first, col);
				lxw_rowcol_to_cell(b, last, col);
			} else {
				lxw_rowcol_to_cell(a, row, (lxw_col_t)t->nlabels);
				lxw_rowcol_to_cell(b, row, (lxw_col_t)(t->nlabels + t->nvalues - 1));
			}
			if (t->nvalues && (!r->is_total || ndata)) {
				snprintf(formula, sizeof formula, "=SUM(%s:%s)", a, b);
				worksheet_write_formula_num(ws, row, col, formula,
							    r->is_total ? x.sum_total : x.sum,
							    (double)r->total);
			} else {
				worksheet_write_number(ws, row, col, (double)r->total,
						       r->is_total ? x.sum_total : x.sum);
			}
		}
	}
	/* A table of text columns only (the quality report) freezes its first
	 * column: freezing them all would leave nothing to scroll to. */
	worksheet_freeze_panes(ws, hr + 1 + (has_total_row ? 1 : 0),
			       (lxw_col_t)(t->nvalues || t->nlabels < 1 ? t->nlabels : 1));
	worksheet_repeat_rows(ws, hr, hr);
	worksheet_set_paper(ws, 9); /* A4 */
	worksheet_set_landscape(ws);
	worksheet_fit_to_pages(ws, 1, 0);
	return XY_OK;
}

xy_code xy_table_write_xlsx(const xy_table *const *tables, const char *const *sheet_names,
			    size_t n, const char *path, xy_error *err)
{
	lxw_workbook_options wo = { .constant_memory = LXW_FALSE, .tmpdir = NULL };
	lxw_workbook *wb;
	lxw_doc_properties props = { 0 };
	lxw_error lrc;
	xy_code rc = XY_OK;

	if (!path || !*path)
		return xy_error_set(err, XY_ERR_ARG, "XLSX needs an output file");
	wb = workbook_new_opt(path, &wo);
	if (!wb)
		return xy_error_at(err, XY_ERR_IO, path, 0, NULL, "cannot create the workbook");
	props.title = (char *)(n && tables[0]->title ? tables[0]->title : "");
	props.author = "xinyong";
	props.comments = "xinyong (libxlsxwriter " LXW_VERSION ")";
	workbook_set_properties(wb, &props);
	for (size_t i = 0; i < n && !rc; i++) {
		char def[32];
		const char *name = sheet_names && sheet_names[i] ? sheet_names[i] : NULL;
		lxw_worksheet *ws;
		if (!name) {
			snprintf(def, sizeof def, "表%zu", i + 1);
			name = def;
		}
		if (workbook_validate_sheet_name(wb, name) != LXW_NO_ERROR) {
			rc = xy_error_at(err, XY_ERR_ARG, path, 0, NULL,
					 "'%s' cannot name a worksheet (31 characters at most, "
					 "no []:*?/\\, not twice)",
					 name);
			break;
		}
		ws = workbook_add_worksheet(wb, name);
		if (!ws) {
			rc = xy_error_set(err, XY_ERR_NOMEM, "cannot add worksheet '%s'", name);
			break;
		}
		rc = xlsx_sheet(wb, ws, tables[i]);
	}
	lrc = workbook_close(wb);
	if (rc) {
		remove(path);
		return rc;
	}
	if (lrc != LXW_NO_ERROR) {
		remove(path);
		return xy_error_at(err, XY_ERR_IO, path, 0, NULL, "cannot write the workbook: %s",
				   lxw_strerror(lrc));
	}
	return XY_OK;
}
