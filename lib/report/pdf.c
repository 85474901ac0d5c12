/* The PDF pages the bulletin and the credit report share (pdf.h). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pdf.h"

void xy__pdf_open(xy__doc *d, cairo_write_func_t fn, void *closure, const char *title,
		  const char *author, const char *created)
{
	d->page = 1;
	d->y = d->top;
	d->sf = cairo_pdf_surface_create_for_stream(fn, closure, XY__A4_W, XY__A4_H);
	if (title)
		cairo_pdf_surface_set_metadata(d->sf, CAIRO_PDF_METADATA_TITLE, title);
	if (author)
		cairo_pdf_surface_set_metadata(d->sf, CAIRO_PDF_METADATA_AUTHOR, author);
	cairo_pdf_surface_set_metadata(d->sf, CAIRO_PDF_METADATA_CREATOR, "xinyong");
	if (created) {
		cairo_pdf_surface_set_metadata(d->sf, CAIRO_PDF_METADATA_CREATE_DATE, created);
		cairo_pdf_surface_set_metadata(d->sf, CAIRO_PDF_METADATA_MOD_DATE, created);
	}
	d->cr = cairo_create(d->sf);
}

xy_code xy__pdf_close(xy__doc *d, const char *path, xy_code rc, xy_error *err)
{
	cairo_status_t st;
	if (rc == XY_ERR_NOMEM)
		xy_error_set(err, rc, "out of memory");
	if (!rc) {
		if (d->footer)
			d->footer(d);
		cairo_show_page(d->cr);
	}
	cairo_destroy(d->cr);
	cairo_surface_finish(d->sf);
	if (!rc && (st = cairo_surface_status(d->sf)))
		rc = xy_error_at(err, XY_ERR_IO, path, 0, NULL, "writing PDF: %s",
				 cairo_status_to_string(st));
	cairo_surface_destroy(d->sf);
	d->cr = NULL;
	d->sf = NULL;
	if (!rc && d->glyphs.unknown)
		rc = xy_error_at(err, XY_ERR_CONFIG, path, 0, NULL,
				 "no font can show %d character(s) of '%s' (install fonts-noto-cjk)",
				 d->glyphs.unknown, d->glyphs.missing);
	return rc;
}

void xy__pdf_ink(cairo_t *cr, unsigned c)
{
	cairo_set_source_rgb(cr, (c >> 16 & 0xFF) / 255.0, (c >> 8 & 0xFF) / 255.0,
			     (c & 0xFF) / 255.0);
}


/* A layout of width w (0: unwrapped) in the CJK font, zh-cn. */
PangoLayout *xy__pdf_lay(xy__doc *d, const char *text, double size, int flags, double w,
			double spacing)
{
	PangoLayout *l = xy__cjk_layout(d->cr, size, flags & XY__F_BOLD);
	if (w > 0) {
		pango_layout_set_width(l, (int)(w * PANGO_SCALE));
		pango_layout_set_wrap(l, PANGO_WRAP_WORD_CHAR);
	}
	if (spacing > 0)
		pango_layout_set_line_spacing(l, (float)spacing);
	if (flags & XY__F_JUSTIFY)
		pango_layout_set_justify(l, TRUE);
	if (flags & XY__F_INDENT)
		pango_layout_set_indent(l, (int)(2 * size * PANGO_SCALE));
	if (flags & XY__F_CENTER)
		pango_layout_set_alignment(l, PANGO_ALIGN_CENTER);
	if (flags & XY__F_RIGHT)
		pango_layout_set_alignment(l, PANGO_ALIGN_RIGHT);
	xy__cjk_set_text(l, text, flags & XY__F_MARKUP, &d->glyphs);
	return l;
}

/* cairo 1.16's CFF subsetter writes a broken outline for a few glyphs of
 * Noto Sans CJK SC Regular (of GB 2312 only 如 U+5982: found by rendering
 * every character and checking with mutool), so viewers xy__pdf_show a gap.  The
 * text stays as it is (extractable, searchable); those glyphs are drawn
 * once more as outlines over the gap. */
static bool broken_glyph(const char *s)
{
	return memcmp(s, "如", 3) == 0;
}

/* Show one line with its left baseline at (x, y), mending broken glyphs. */
static void show_line(cairo_t *cr, PangoLayoutLine *line, double x, double y)
{
	const char *text = pango_layout_get_text(line->layout);
	bool any = false;
	for (int i = line->start_index; i < line->start_index + line->length; i++)
		if ((unsigned char)text[i] == 0xE5 && broken_glyph(text + i))
			any = true;
	cairo_move_to(cr, x, y);
	pango_cairo_show_layout_line(cr, line);
	if (!any)
		return;
	for (GSList *r = line->runs; r; r = r->next) {
		PangoGlyphItem *run = r->data;
		PangoGlyphString *gs = run->glyphs;
		int gx = 0;
		for (int i = 0; i < gs->num_glyphs; i++) {
			PangoGlyphInfo *gi = &gs->glyphs[i];
			const char *c = text + run->item->offset + gs->log_clusters[i];
			if (broken_glyph(c)) {
				PangoGlyphInfo one = *gi;
				int cluster = 0;
				PangoGlyphString single = { 1, &one, &cluster, 0 };
				one.geometry.x_offset = 0;
				cairo_move_to(cr, x + (double)(gx + gi->geometry.x_offset) / PANGO_SCALE,
					      y + (double)gi->geometry.y_offset / PANGO_SCALE);
				pango_cairo_glyph_string_path(cr, run->item->analysis.font, &single);
				cairo_fill(cr);
			}
			gx += gi->geometry.width;
		}
		x += (double)gx / PANGO_SCALE;
	}
}

/* pango_cairo_show_layout with the top-left corner at (x, y), mended. */
void xy__pdf_show(xy__doc *d, PangoLayout *l, double x, double y)
{
	PangoLayoutIter *it = pango_layout_get_iter(l);
	do {
		PangoRectangle r;
		pango_layout_iter_get_line_extents(it, NULL, &r);
		show_line(d->cr, pango_layout_iter_get_line_readonly(it),
			  x + (double)r.x / PANGO_SCALE,
			  y + (double)pango_layout_iter_get_baseline(it) / PANGO_SCALE);
	} while (pango_layout_iter_next_line(it));
	pango_layout_iter_free(it);
}

double xy__pdf_h(PangoLayout *l)
{
	int w, h;
	pango_layout_get_size(l, &w, &h);
	return (double)h / PANGO_SCALE;
}

double xy__pdf_w(PangoLayout *l)
{
	int w, h;
	pango_layout_get_size(l, &w, &h);
	return (double)w / PANGO_SCALE;
}

void xy__pdf_new_page(xy__doc *d)
{
	if (d->footer)
		d->footer(d);
	cairo_show_page(d->cr);
	d->page++;
	d->y = d->top;
}

/* Start a new page unless h more points fit. */
void xy__pdf_need(xy__doc *d, double h)
{
	if (d->y + h > d->bottom && d->y > d->top + 1)
		xy__pdf_new_page(d);
}

/* Flow a layout at x, line by line, onto as many pages as it needs. */
void xy__pdf_flow(xy__doc *d, PangoLayout *l, double x)
{
	PangoLayoutIter *it = pango_layout_get_iter(l);
	double top = d->y, offset = 0; /* layout y at the top of this page's part */
	double total = xy__pdf_h(l);
	do {
		PangoRectangle r;
		double ly, lh, base;
		pango_layout_iter_get_line_extents(it, NULL, &r);
		ly = (double)r.y / PANGO_SCALE;
		lh = (double)r.height / PANGO_SCALE;
		if (top + (ly + lh - offset) > d->bottom && ly > offset) {
			xy__pdf_new_page(d);
			top = d->top;
			offset = ly;
		}
		base = (double)pango_layout_iter_get_baseline(it) / PANGO_SCALE;
		show_line(d->cr, pango_layout_iter_get_line_readonly(it),
			  x + (double)r.x / PANGO_SCALE, top + base - offset);
	} while (pango_layout_iter_next_line(it));
	pango_layout_iter_free(it);
	d->y = top + total - offset;
}

/* A block of text across the text width (markup when XY__F_MARKUP). */
void xy__pdf_text(xy__doc *d, const char *text, double size, int flags, unsigned color,
		       double spacing, double before, double after)
{
	PangoLayout *l = xy__pdf_lay(d, text, size, flags, d->width, spacing);
	d->y += before;
	/* keep at least two lines together at the bottom of a page */
	xy__pdf_need(d, fmin(xy__pdf_h(l), 2.2 * size * (spacing > 0 ? spacing : 1.2)));
	xy__pdf_ink(d->cr, color);
	xy__pdf_flow(d, l, d->left);
	g_object_unref(l);
	d->y += after;
}


void xy__grid_free(xy__grid *g)
{
	for (size_t c = 0; c < g->ncols; c++)
		free(g->head[c]);
	for (size_t r = 0; r < g->nrows; r++) {
		for (size_t c = 0; c < g->ncols; c++)
			free(g->cells[r][c]);
		free(g->cells[r]);
	}
	free(g->head);
	free(g->left);
	free(g->cells);
	free(g->kind);
}

bool xy__grid_init(xy__grid *g, size_t ncols, size_t nrows)
{
	memset(g, 0, sizeof *g);
	g->ncols = ncols;
	g->head = calloc(ncols, sizeof *g->head);
	g->left = calloc(ncols, sizeof *g->left);
	g->cells = calloc(nrows ? nrows : 1, sizeof *g->cells);
	g->kind = calloc(nrows ? nrows : 1, sizeof *g->kind);
	return g->head && g->left && g->cells && g->kind;
}

bool xy__grid_row(xy__grid *g, int kind)
{
	if (!(g->cells[g->nrows] = calloc(g->ncols, sizeof **g->cells)))
		return false;
	g->kind[g->nrows++] = kind;
	return true;
}

bool xy__grid_cell(char **slot, const char *s)
{
	return (*slot = strdup(s ? s : "")) != NULL;
}

#define CELL_PAD 2.5

/* Column widths: every cell's longest unbreakable run must fit (numbers
 * whole, names up to ten characters a line, headers may wrap anywhere);
 * the font shrinks until the minimum fits the width; what is left is
 * shared out towards the natural widths. */
static double *grid_widths(xy__doc *d, xy__grid *g, double avail)
{
	double *w = calloc(g->ncols, sizeof *w), *want = calloc(g->ncols, sizeof *want);
	double fs = g->fs, sum = 0, wsum = 0;
	if (!w || !want) {
		free(w);
		free(want);
		return NULL;
	}
	for (;;) {
		sum = wsum = 0;
		for (size_t c = 0; c < g->ncols; c++) {
			PangoLayout *l = xy__pdf_lay(d, g->head[c], fs, XY__F_BOLD, 0, 0);
			double hw = xy__pdf_w(l), mn = 2 * fs; /* a header wraps to >= 2 characters */
			g_object_unref(l);
			want[c] = fmin(hw, 4.2 * fs);
			for (size_t r = 0; r < g->nrows; r++) {
				double cw;
				if (g->kind[r] == XY__ROW_GROUP)
					continue;
				l = xy__pdf_lay(d, g->cells[r][c], fs, g->kind[r] == XY__ROW_TOTAL ? XY__F_BOLD : 0, 0, 0);
				cw = xy__pdf_w(l);
				g_object_unref(l);
				if (g->left[c]) {
					mn = fmax(mn, fmin(cw, 10 * fs));
					want[c] = fmax(want[c], cw);
				} else {
					mn = fmax(mn, cw);
					want[c] = fmax(want[c], cw);
				}
			}
			w[c] = mn + 2 * CELL_PAD;
			want[c] += 2 * CELL_PAD;
			sum += w[c];
			wsum += want[c];
		}
		if (sum <= avail || fs <= 5)
			break;
		fs -= 0.25;
	}
	g->fs = fs;
	if (wsum <= avail) {
		/* all natural widths fit: stretch them to the width (tables of many
		 * columns) or keep them (small tables) */
		double k = g->ncols > 6 ? avail / wsum : 1.3;
		if (wsum * k > avail)
			k = avail / wsum;
		for (size_t c = 0; c < g->ncols; c++)
			w[c] = want[c] * k;
	} else if (wsum > sum) {
		double k = (avail - sum) / (wsum - sum);
		for (size_t c = 0; c < g->ncols; c++)
			w[c] += (want[c] - w[c]) * k;
	}
	g->width = 0;
	for (size_t c = 0; c < g->ncols; c++)
		g->width += w[c];
	free(want);
	return w;
}

/* One row: layouts, height, and (when draw) the cells at d->y. */
static double grid_draw_row(xy__doc *d, const xy__grid *g, const double *w, double x0,
			    char *const *cells, int kind, bool head, bool draw)
{
	PangoLayout *l[64];
	double h = 0, x = x0, fs = g->fs;
	size_t n = kind == XY__ROW_GROUP ? 1 : g->ncols;
	if (n > 64)
		n = 64;
	for (size_t c = 0; c < n; c++) {
		double cw = kind == XY__ROW_GROUP ? g->width : w[c];
		int flags = (head || kind != XY__ROW_BODY ? XY__F_BOLD : 0) |
			    (kind == XY__ROW_GROUP || (!head && g->left[c]) ? 0 : XY__F_CENTER);
		l[c] = xy__pdf_lay(d, cells[c], fs, flags, cw - 2 * CELL_PAD, 0);
		h = fmax(h, xy__pdf_h(l[c]));
	}
	h += 2 * CELL_PAD + 1;
	for (size_t c = 0; c < n; c++) {
		double cw = kind == XY__ROW_GROUP ? g->width : w[c];
		if (draw) {
			if (head || kind == XY__ROW_GROUP) {
				xy__pdf_ink(d->cr, head ? 0xE8ECF2u : 0xF6F7F9u);
				cairo_rectangle(d->cr, x, d->y, cw, h);
				cairo_fill(d->cr);
			}
			xy__pdf_ink(d->cr, 0x555555u);
			cairo_set_line_width(d->cr, 0.5);
			cairo_rectangle(d->cr, x, d->y, cw, h);
			cairo_stroke(d->cr);
			xy__pdf_ink(d->cr, XY__PDF_INK);
			xy__pdf_show(d, l[c], x + CELL_PAD, d->y + (h - xy__pdf_h(l[c])) / 2);
		}
		x += cw;
		g_object_unref(l[c]);
	}
	return h;
}

xy_code xy__pdf_grid(xy__doc *d, xy__grid *g, double avail, double title_size)
{
	double *w, x0, hh, title_h = 0;
	PangoLayout *tl = NULL;
	if (g->fs <= 0)
		g->fs = 8;
	if (!(w = grid_widths(d, g, avail)))
		return XY_ERR_NOMEM;
	x0 = d->left + (d->width - g->width) / 2;
	hh = grid_draw_row(d, g, w, x0, g->head, XY__ROW_BODY, true, false);
	if (g->title) {
		tl = xy__pdf_lay(d, g->title, title_size, XY__F_BOLD | XY__F_CENTER, d->width, 0);
		title_h = xy__pdf_h(tl) + 4 + (g->note ? title_size + 4 : 0);
	}
	/* the title, the header and three rows start together */
	xy__pdf_need(d, title_h + hh + 3 * (g->fs * 1.6 + 2 * CELL_PAD));
	if (tl) {
		xy__pdf_ink(d->cr, XY__PDF_INK);
		xy__pdf_show(d, tl, d->left, d->y);
		d->y += xy__pdf_h(tl) + 4;
		g_object_unref(tl);
		if (g->note) {
			PangoLayout *nl = xy__pdf_lay(d, g->note, title_size - 3, XY__F_RIGHT, g->width, 0);
			xy__pdf_show(d, nl, x0, d->y);
			d->y += xy__pdf_h(nl) + 4;
			g_object_unref(nl);
		}
	}
	grid_draw_row(d, g, w, x0, g->head, XY__ROW_BODY, true, true);
	d->y += hh;
	for (size_t r = 0; r < g->nrows; r++) {
		double h = grid_draw_row(d, g, w, x0, g->cells[r], g->kind[r], false, false);
		if (d->y + h > d->bottom) {
			/* continue on the next page under the header again */
			PangoLayout *cl;
			char cont[256];
			xy__pdf_new_page(d);
			snprintf(cont, sizeof cont, "%s（续）", g->title ? g->title : "续表");
			cl = xy__pdf_lay(d, cont, g->fs + 1, 0, g->width, 0);
			xy__pdf_ink(d->cr, XY__PDF_INK);
			xy__pdf_show(d, cl, x0, d->y);
			d->y += xy__pdf_h(cl) + 3;
			g_object_unref(cl);
			grid_draw_row(d, g, w, x0, g->head, XY__ROW_BODY, true, true);
			d->y += hh;
		}
		grid_draw_row(d, g, w, x0, g->cells[r], g->kind[r], false, true);
		d->y += h;
	}
	free(w);
	d->y += 10;
	return XY_OK;
}