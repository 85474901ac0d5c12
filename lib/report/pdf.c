/* The PDF pages the bulletin and the credit report share (pdf.h). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xinyong/chart.h"
#include "pdf.h"

/* A cairo context in an error state: every drawing call on it does nothing
 * (a dry document's). */
static cairo_t *nil_cr(void)
{
	return cairo_create(cairo_image_surface_create(CAIRO_FORMAT_INVALID, 1, 1));
}

void xy__pdf_open(xy__doc *d, cairo_write_func_t fn, void *closure, const char *title,
		  const char *author, const char *created)
{
	d->page = 1;
	d->y = d->top;
	if (d->dry) {
		d->sf = NULL;
		d->cr = nil_cr();
		return;
	}
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
	if (!rc && !d->dry) {
		if (d->footer) {
			d->in_footer = true;
			d->footer(d);
			d->in_footer = false;
		}
		cairo_show_page(d->cr);
	}
	cairo_destroy(d->cr);
	if (d->sf) {
		cairo_surface_finish(d->sf);
		if (!rc && (st = cairo_surface_status(d->sf)))
			rc = xy_error_at(err, XY_ERR_IO, path, 0, NULL, "writing PDF: %s",
					 cairo_status_to_string(st));
		cairo_surface_destroy(d->sf);
	}
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


/* The thread's PangoContext for PDF pages, made once: creating a context
 * per layout (pango_cairo_create_layout) cost more than a short cell's
 * shaping.  pango's default font map is already one per thread (pango >=
 * 1.32.6), and so is this context: a GPrivate, released when the thread
 * ends, so the server's threads never share one.  It is set up as
 * pango_cairo_create_layout on a PDF surface sets its own up (the surface's
 * font options, identity matrix), then unhinted metrics and zh-cn as
 * xy__cjk_layout does. */
static GPrivate pdf_ctx_key = G_PRIVATE_INIT(g_object_unref);

static PangoContext *pdf_context(void)
{
	PangoContext *ctx = g_private_get(&pdf_ctx_key);
	cairo_surface_t *sf;
	cairo_font_options_t *fo;
	cairo_t *cr;
	if (ctx)
		return ctx;
	sf = cairo_pdf_surface_create_for_stream(NULL, NULL, XY__A4_W, XY__A4_H);
	cr = cairo_create(sf);
	ctx = pango_cairo_create_context(cr);
	cairo_destroy(cr);
	cairo_surface_destroy(sf);
	fo = cairo_font_options_create();
	cairo_font_options_set_hint_metrics(fo, CAIRO_HINT_METRICS_OFF);
	cairo_font_options_set_hint_style(fo, CAIRO_HINT_STYLE_NONE);
	pango_cairo_context_set_font_options(ctx, fo);
	cairo_font_options_destroy(fo);
	pango_context_set_language(ctx, pango_language_from_string("zh-cn"));
	g_private_set(&pdf_ctx_key, ctx);
	return ctx;
}

static PangoLayout *new_layout(xy__doc *d, const char *text, double size, int flags, double w,
			       double spacing)
{
	PangoLayout *l = pango_layout_new(pdf_context());
	PangoFontDescription *fd = pango_font_description_from_string(XY_CJK_FONT);
	pango_font_description_set_absolute_size(fd, size * PANGO_SCALE);
	if (flags & XY__F_BOLD)
		pango_font_description_set_weight(fd, PANGO_WEIGHT_BOLD);
	pango_layout_set_font_description(l, fd);
	pango_font_description_free(fd);
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

void xy__lays_release(xy__lays *k)
{
	for (size_t i = 0; i < k->n; i++) {
		g_object_unref(k->v[i].l);
		free(k->v[i].text);
	}
	free(k->v);
	memset(k, 0, sizeof *k);
}

/* The drawing pass asks for the layouts in the order the counting pass made
 * them; anything else (it never happens: both passes run the same code on
 * the same model) makes the rest anew. */
static PangoLayout *replayed(xy__lays *k, const char *text, double size, int flags, double w,
			     double spacing)
{
	xy__lay_memo *m = k->next < k->n ? &k->v[k->next] : NULL;
	if (!m || m->size != size || m->flags != flags || m->w != w || m->spacing != spacing ||
	    strcmp(m->text, text)) {
		k->broken = true;
		return NULL;
	}
	k->next++;
	return g_object_ref(m->l);
}

static void record(xy__lays *k, PangoLayout *l, const char *text, double size, int flags,
		   double w, double spacing)
{
	xy__lay_memo *m;
	if (k->n == k->cap) {
		size_t cap = k->cap ? 2 * k->cap : 256;
		xy__lay_memo *v = realloc(k->v, cap * sizeof *v);
		if (!v) {
			k->broken = true; /* out of memory: the drawing pass lays out again */
			return;
		}
		k->v = v;
		k->cap = cap;
	}
	m = &k->v[k->n];
	if (!(m->text = strdup(text))) {
		k->broken = true;
		return;
	}
	m->l = g_object_ref(l);
	m->size = size;
	m->flags = flags;
	m->w = w;
	m->spacing = spacing;
	k->n++;
}

/* A layout of width w (0: unwrapped) in the CJK font, zh-cn. */
PangoLayout *xy__pdf_lay(xy__doc *d, const char *text, double size, int flags, double w,
			double spacing)
{
	xy__lays *k = d->in_footer ? NULL : d->lays;
	PangoLayout *l;
	if (k && !k->broken && k->replay && (l = replayed(k, text, size, flags, w, spacing)))
		return l;
	l = new_layout(d, text, size, flags, w, spacing);
	if (k && !k->broken && !k->replay)
		record(k, l, text, size, flags, w, spacing);
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
	PangoLayoutIter *it;
	if (d->dry)
		return;
	it = pango_layout_get_iter(l);
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
	if (!d->dry) {
		if (d->footer) {
			d->in_footer = true;
			d->footer(d);
			d->in_footer = false;
		}
		cairo_show_page(d->cr);
	}
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
		if (!d->dry)
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

/* A cell's flags as drawn. */
static int cell_flags(const xy__grid *g, size_t c, int kind, bool head)
{
	return (head || kind != XY__ROW_BODY ? XY__F_BOLD : 0) |
	       (kind == XY__ROW_GROUP || (!head && g->left[c]) ? 0 : XY__F_CENTER);
}

/* A grid being drawn: its column widths and, for the font size the widths
 * were measured at, every cell laid out unwrapped (a cell that fits its
 * column is drawn from that layout; only one that wraps is laid out again
 * at its width). */
typedef struct grid_run {
	double *w;
	double fs0;          /* the size head/cell were laid out at */
	PangoLayout **head;  /* ncols, unwrapped at fs0 */
	PangoLayout **cell;  /* nrows × ncols, unwrapped at fs0 (NULL for group rows) */
	double *head_w, *cell_w; /* their widths */
} grid_run;

static void grid_run_release(const xy__grid *g, grid_run *r)
{
	for (size_t c = 0; r->head && c < g->ncols; c++)
		if (r->head[c])
			g_object_unref(r->head[c]);
	for (size_t i = 0; r->cell && i < g->nrows * g->ncols; i++)
		if (r->cell[i])
			g_object_unref(r->cell[i]);
	free(r->head);
	free(r->cell);
	free(r->head_w);
	free(r->cell_w);
	free(r->w);
}

/* Lay out every cell unwrapped at g->fs. */
static bool grid_measure(xy__doc *d, const xy__grid *g, grid_run *r)
{
	size_t n = g->nrows * g->ncols;
	r->fs0 = g->fs;
	r->w = calloc(g->ncols, sizeof *r->w);
	r->head = calloc(g->ncols, sizeof *r->head);
	r->head_w = calloc(g->ncols, sizeof *r->head_w);
	r->cell = calloc(n ? n : 1, sizeof *r->cell);
	r->cell_w = calloc(n ? n : 1, sizeof *r->cell_w);
	if (!r->w || !r->head || !r->head_w || !r->cell || !r->cell_w)
		return false;
	for (size_t c = 0; c < g->ncols; c++) {
		r->head[c] = xy__pdf_lay(d, g->head[c], g->fs, cell_flags(g, c, XY__ROW_BODY, true), 0, 0);
		r->head_w[c] = xy__pdf_w(r->head[c]);
	}
	for (size_t i = 0; i < g->nrows; i++) {
		if (g->kind[i] == XY__ROW_GROUP)
			continue;
		for (size_t c = 0; c < g->ncols; c++) {
			PangoLayout *l = xy__pdf_lay(d, g->cells[i][c], g->fs,
						     cell_flags(g, c, g->kind[i], false), 0, 0);
			r->cell[i * g->ncols + c] = l;
			r->cell_w[i * g->ncols + c] = xy__pdf_w(l);
		}
	}
	return true;
}

/* Column widths: every cell's longest unbreakable run must fit (numbers
 * whole, names up to ten characters a line, headers may wrap anywhere);
 * the font shrinks until the minimum fits the width; what is left is
 * shared out towards the natural widths.  The cells are measured once:
 * unhinted text scales with the font size, so a smaller size's widths are
 * the measured ones scaled. */
static void grid_widths(xy__grid *g, grid_run *run, double avail)
{
	double *w = run->w, fs = g->fs, sum = 0, wsum = 0;
	double *want = calloc(g->ncols, sizeof *want);
	if (!want)
		want = w; /* out of memory: natural widths not shared out (never seen) */
	for (;;) {
		double k = fs / run->fs0;
		sum = wsum = 0;
		for (size_t c = 0; c < g->ncols; c++) {
			double hw = run->head_w[c] * k, mn = 2 * fs; /* a header wraps to >= 2 characters */
			double nat = fmin(hw, 4.2 * fs);
			for (size_t r = 0; r < g->nrows; r++) {
				double cw;
				if (g->kind[r] == XY__ROW_GROUP)
					continue;
				cw = run->cell_w[r * g->ncols + c] * k;
				mn = fmax(mn, g->left[c] ? fmin(cw, 10 * fs) : cw);
				nat = fmax(nat, cw);
			}
			w[c] = mn + 2 * CELL_PAD;
			want[c] = nat + 2 * CELL_PAD;
			sum += w[c];
			wsum += want[c];
		}
		if (sum <= avail || fs <= 5)
			break;
		fs -= 0.25;
	}
	g->fs = fs;
	if (want == w) {
		/* keep the minimum widths */
	} else if (wsum <= avail) {
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
	if (want != w)
		free(want);
}

/* One row's layouts into l[] (n of them), its height returned.  A cell
 * whose unwrapped layout (pre[c], at the grid's size) fits its column is
 * drawn from it: wrapping would not break it and centring is an offset. */
static double grid_row_lay(xy__doc *d, const xy__grid *g, const double *w, char *const *cells,
			   int kind, bool head, PangoLayout *const *pre, const double *pre_w,
			   PangoLayout **l, size_t *n)
{
	double h = 0;
	*n = kind == XY__ROW_GROUP ? 1 : g->ncols;
	for (size_t c = 0; c < *n; c++) {
		double cw = (kind == XY__ROW_GROUP ? g->width : w[c]) - 2 * CELL_PAD;
		if (pre && pre[c] && pre_w[c] <= cw)
			l[c] = g_object_ref(pre[c]);
		else
			l[c] = xy__pdf_lay(d, cells[c], g->fs, cell_flags(g, c, kind, head), cw, 0);
		h = fmax(h, xy__pdf_h(l[c]));
	}
	return h + 2 * CELL_PAD + 1;
}

/* Draw a row laid out by grid_row_lay at d->y (nothing on a dry document). */
static void grid_row_draw(xy__doc *d, const xy__grid *g, const double *w, double x0,
			  int kind, bool head, PangoLayout *const *l, size_t n, double h)
{
	double x = x0;
	if (d->dry)
		return;
	for (size_t c = 0; c < n; c++) {
		double cw = kind == XY__ROW_GROUP ? g->width : w[c], lw = xy__pdf_w(l[c]), off = 0;
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
		/* an unwrapped layout is as wide as its text: centre it in the
		 * cell as pango centres a line in a layout of the cell's width
		 * (to a whole point when both widths are whole points) */
		if (pango_layout_get_width(l[c]) < 0 &&
		    (cell_flags(g, c, kind, head) & XY__F_CENTER)) {
			int room = (int)((cw - 2 * CELL_PAD) * PANGO_SCALE);
			int tw = (int)(lw * PANGO_SCALE), o = (room - tw) / 2;
			if (((room | tw) & (PANGO_SCALE - 1)) == 0)
				o = PANGO_UNITS_ROUND(o);
			off = (double)o / PANGO_SCALE;
		}
		xy__pdf_show(d, l[c], x + CELL_PAD + off, d->y + (h - xy__pdf_h(l[c])) / 2);
		x += cw;
	}
}

static void unref_all(PangoLayout **l, size_t n)
{
	for (size_t c = 0; c < n; c++)
		g_object_unref(l[c]);
}

/* What a continued table says above its header again. */
static void grid_continued(xy__doc *d, const xy__grid *g, double x0)
{
	xy_buf t = XY_BUF_INIT;
	PangoLayout *cl;
	if (xy_buf_addf(&t, "%s（续）", g->title ? g->title : g->cont ? g->cont : "续表"))
		return; /* out of memory: the header alone */
	cl = xy__pdf_lay(d, t.data, g->fs + 1, 0, g->width, 0);
	xy__pdf_ink(d->cr, XY__PDF_INK);
	xy__pdf_show(d, cl, x0, d->y);
	d->y += xy__pdf_h(cl) + 3;
	g_object_unref(cl);
	xy_buf_release(&t);
}

xy_code xy__pdf_grid(xy__doc *d, xy__grid *g, double avail, double title_size)
{
	grid_run run;
	double x0, hh, title_h = 0;
	PangoLayout *tl = NULL, **hl = NULL, **rl = NULL;
	size_t hn = 0, rn;
	xy_code rc = XY_ERR_NOMEM;
	memset(&run, 0, sizeof run);
	if (g->fs <= 0)
		g->fs = 8;
	if (!grid_measure(d, g, &run))
		goto out;
	grid_widths(g, &run, avail);
	if (g->fs != run.fs0) {
		/* the font shrank: lay the cells out again once, at the new size
		 * (the widths stay those computed from the scaled measures) */
		double *w = run.w;
		run.w = NULL;
		grid_run_release(g, &run);
		memset(&run, 0, sizeof run);
		if (!grid_measure(d, g, &run)) {
			free(w);
			goto out;
		}
		free(run.w);
		run.w = w;
	}
	if (!(hl = calloc(g->ncols, sizeof *hl)) || !(rl = calloc(g->ncols, sizeof *rl)))
		goto out;
	x0 = d->left + (d->width - g->width) / 2;
	hh = grid_row_lay(d, g, run.w, g->head, XY__ROW_BODY, true, run.head, run.head_w, hl, &hn);
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
	grid_row_draw(d, g, run.w, x0, XY__ROW_BODY, true, hl, hn, hh);
	d->y += hh;
	for (size_t r = 0; r < g->nrows; r++) {
		PangoLayout *const *pre = run.cell ? run.cell + r * g->ncols : NULL;
		double h = grid_row_lay(d, g, run.w, g->cells[r], g->kind[r], false, pre,
					run.cell_w ? run.cell_w + r * g->ncols : NULL, rl, &rn);
		if (d->y + h > d->bottom) {
			/* continue on the next page under the header again */
			xy__pdf_new_page(d);
			grid_continued(d, g, x0);
			grid_row_draw(d, g, run.w, x0, XY__ROW_BODY, true, hl, hn, hh);
			d->y += hh;
		}
		grid_row_draw(d, g, run.w, x0, g->kind[r], false, rl, rn, h);
		unref_all(rl, rn);
		d->y += h;
	}
	d->y += 10;
	rc = XY_OK;
out:
	if (hl)
		unref_all(hl, hn);
	free(hl);
	free(rl);
	grid_run_release(g, &run);
	return rc;
}
