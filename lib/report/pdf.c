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

/* Show l with its top-left corner at (x, y + dy / PANGO_SCALE): dy (pango
 * units) is added to each line's baseline before it becomes points, so
 * layouts stacked by their heights put every line exactly where one layout
 * of all their text would. */
static void show_at(xy__doc *d, PangoLayout *l, double x, double y, int dy)
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
			  y + (double)(dy + pango_layout_iter_get_baseline(it)) / PANGO_SCALE);
	} while (pango_layout_iter_next_line(it));
	pango_layout_iter_free(it);
}

/* pango_cairo_show_layout with the top-left corner at (x, y), mended. */
void xy__pdf_show(xy__doc *d, PangoLayout *l, double x, double y)
{
	show_at(d, l, x, y, 0);
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

/* A grid's layouts by text, size, flags and width, each made once per
 * grid: tables repeat themselves (the same unit, date and status in many
 * rows; the same "处罚机关：…" line in every record of a unit). */
typedef struct lay_key {
	double size, w;
	int flags;
	char *text;
} lay_key;

static guint lay_key_hash(gconstpointer p)
{
	const lay_key *k = p;
	return g_str_hash(k->text) ^ (guint)k->flags * 2654435761u ^ (guint)(k->w * 64) * 40503u ^
	       (guint)(k->size * 64);
}

static gboolean lay_key_equal(gconstpointer a, gconstpointer b)
{
	const lay_key *x = a, *y = b;
	return x->size == y->size && x->w == y->w && x->flags == y->flags &&
	       strcmp(x->text, y->text) == 0;
}

static void lay_key_free(gpointer p)
{
	lay_key *k = p;
	free(k->text);
	free(k);
}

static GHashTable *lay_cache_new(void)
{
	return g_hash_table_new_full(lay_key_hash, lay_key_equal, lay_key_free, g_object_unref);
}

/* The layout of the first len bytes of text (borrowed: the cache keeps
 * it); NULL when out of memory. */
static PangoLayout *cached(xy__doc *d, GHashTable *cache, const char *text, size_t len,
			   double size, int flags, double w)
{
	lay_key probe = { size, w, flags, NULL }, *k;
	PangoLayout *l;
	if (!(probe.text = strndup(text, len)))
		return NULL;
	if ((l = g_hash_table_lookup(cache, &probe))) {
		free(probe.text);
		return l;
	}
	if (!(k = malloc(sizeof *k))) {
		free(probe.text);
		return NULL;
	}
	*k = probe;
	l = xy__pdf_lay(d, k->text, size, flags, w, 0);
	g_hash_table_insert(cache, k, l);
	return l;
}

/* Whether a body cell is laid out paragraph by paragraph ("名称：值" lines):
 * left-aligned text of several non-empty lines split at "\n" only, so that
 * the paragraphs' layouts stacked are line for line the layout of the
 * whole text (pango lays each paragraph out on its own).  Its unwrapped
 * width is its widest paragraph's; a paragraph that fits its column is
 * drawn unwrapped, and only one that does not is laid out at the column's
 * width.  Other cells are laid out whole. */
static bool by_paragraph(const char *s, int flags)
{
	const char *nl = strchr(s, '\n');
	if (!nl || (flags & (XY__F_CENTER | XY__F_RIGHT | XY__F_JUSTIFY | XY__F_INDENT | XY__F_MARKUP)))
		return false;
	if (*s == '\n' || s[strlen(s) - 1] == '\n' || strstr(s, "\n\n") || strchr(s, '\r') ||
	    strstr(s, "\u2028") || strstr(s, "\u2029"))
		return false; /* other paragraph separators, empty paragraphs: whole */
	return true;
}

/* The widest of s's paragraphs unwrapped; -1 when out of memory. */
static double paragraphs_w(xy__doc *d, GHashTable *cache, const char *s, double size, int flags)
{
	double w = 0;
	for (;;) {
		size_t n = strcspn(s, "\n");
		PangoLayout *l = cached(d, cache, s, n, size, flags, 0);
		if (!l)
			return -1;
		w = fmax(w, xy__pdf_w(l));
		if (!s[n])
			return w;
		s += n + 1;
	}
}

/* A grid being drawn: its column widths and, for the font size the widths
 * were measured at, every cell laid out unwrapped (a cell that fits its
 * column is drawn from that layout; only one that wraps is laid out again
 * at its width), or for a cell laid out by paragraph its widest
 * paragraph's width (cell NULL). */
typedef struct grid_run {
	double *w;
	double fs0;          /* the size head/cell were laid out at */
	PangoLayout **head;  /* ncols, unwrapped at fs0 */
	PangoLayout **cell;  /* nrows × ncols, unwrapped at fs0 (NULL for group rows) */
	double *head_w, *cell_w; /* their widths */
	GHashTable *cache;   /* the grid's layouts by text (lay_cache_new) */
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
			int flags = cell_flags(g, c, g->kind[i], false);
			size_t k = i * g->ncols + c;
			PangoLayout *l;
			if (by_paragraph(g->cells[i][c], flags)) {
				if ((r->cell_w[k] = paragraphs_w(d, r->cache, g->cells[i][c], g->fs, flags)) < 0)
					return false;
				continue;
			}
			if (!(l = cached(d, r->cache, g->cells[i][c], strlen(g->cells[i][c]), g->fs,
					 flags, 0)))
				return false;
			r->cell[k] = g_object_ref(l);
			r->cell_w[k] = xy__pdf_w(l);
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

/* A row's layouts: column c's are part[from[c]] to part[from[c + 1] - 1],
 * stacked top to bottom (one, or one per paragraph); h[c] is their height
 * in pango units. */
typedef struct row_lay {
	PangoLayout **part; /* a reference held on each */
	size_t n, cap;
	size_t *from;       /* ncols + 1 */
	int *h;             /* ncols */
	size_t ncells;      /* 1 for a group row, else ncols */
} row_lay;

static bool row_lay_init(row_lay *r, size_t ncols)
{
	memset(r, 0, sizeof *r);
	r->from = calloc(ncols + 1, sizeof *r->from);
	r->h = calloc(ncols, sizeof *r->h);
	return r->from && r->h;
}

static void row_lay_clear(row_lay *r)
{
	for (size_t i = 0; i < r->n; i++)
		g_object_unref(r->part[i]);
	r->n = 0;
}

static void row_lay_release(row_lay *r)
{
	row_lay_clear(r);
	free(r->part);
	free(r->from);
	free(r->h);
}

/* Add l (a reference taken) to the row's current cell; false when out of
 * memory or l is NULL. */
static bool row_lay_add(row_lay *r, PangoLayout *l)
{
	int w, h;
	if (!l)
		return false;
	if (r->n == r->cap) {
		size_t cap = r->cap ? 2 * r->cap : 16;
		PangoLayout **v = realloc(r->part, cap * sizeof *v);
		if (!v)
			return false;
		r->part = v;
		r->cap = cap;
	}
	r->part[r->n++] = g_object_ref(l);
	pango_layout_get_size(l, &w, &h);
	r->h[r->ncells] += h;
	return true;
}

/* One row's layouts into out, its height returned (-1: out of memory).  A
 * cell whose unwrapped layout (pre[c], at the grid's size) fits its column
 * is drawn from it: wrapping would not break it and centring is an offset;
 * a cell laid out by paragraph is so paragraph by paragraph. */
static double grid_row_lay(xy__doc *d, const xy__grid *g, const double *w, char *const *cells,
			   int kind, bool head, PangoLayout *const *pre, const double *pre_w,
			   GHashTable *cache, row_lay *out)
{
	size_t n = kind == XY__ROW_GROUP ? 1 : g->ncols;
	int h = 0;
	row_lay_clear(out);
	for (out->ncells = 0; out->ncells < n; out->ncells++) {
		size_t c = out->ncells;
		double cw = (kind == XY__ROW_GROUP ? g->width : w[c]) - 2 * CELL_PAD;
		int flags = cell_flags(g, c, kind, head);
		bool ok = true;
		out->from[c] = out->n;
		out->h[c] = 0;
		if (pre && pre[c] && pre_w[c] <= cw) {
			ok = row_lay_add(out, pre[c]);
		} else if (!head && kind == XY__ROW_BODY && by_paragraph(cells[c], flags)) {
			for (const char *s = cells[c]; ok; s += strcspn(s, "\n") + 1) {
				size_t len = strcspn(s, "\n");
				PangoLayout *l = cached(d, cache, s, len, g->fs, flags, 0);
				if (l && xy__pdf_w(l) > cw)
					l = cached(d, cache, s, len, g->fs, flags, cw);
				ok = row_lay_add(out, l);
				if (!s[len])
					break;
			}
		} else {
			ok = row_lay_add(out, cached(d, cache, cells[c], strlen(cells[c]), g->fs, flags, cw));
		}
		if (!ok)
			return -1;
		h = h > out->h[c] ? h : out->h[c];
	}
	out->from[n] = out->n;
	return (double)h / PANGO_SCALE + 2 * CELL_PAD + 1;
}

/* Draw a row laid out by grid_row_lay at d->y (nothing on a dry document). */
static void grid_row_draw(xy__doc *d, const xy__grid *g, const double *w, double x0,
			  int kind, bool head, const row_lay *rl, double h)
{
	double x = x0;
	if (d->dry)
		return;
	for (size_t c = 0; c < rl->ncells; c++) {
		double cw = kind == XY__ROW_GROUP ? g->width : w[c];
		double top = d->y + (h - (double)rl->h[c] / PANGO_SCALE) / 2;
		int dy = 0;
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
		for (size_t i = rl->from[c]; i < rl->from[c + 1]; i++) {
			PangoLayout *l = rl->part[i];
			double off = 0;
			int lw, lh;
			pango_layout_get_size(l, &lw, &lh);
			/* an unwrapped layout is as wide as its text: centre it in
			 * the cell as pango centres a line in a layout of the
			 * cell's width (to a whole point when both widths are
			 * whole points) */
			if (pango_layout_get_width(l) < 0 &&
			    (cell_flags(g, c, kind, head) & XY__F_CENTER)) {
				int room = (int)((cw - 2 * CELL_PAD) * PANGO_SCALE);
				int tw = lw, o = (room - tw) / 2;
				if (((room | tw) & (PANGO_SCALE - 1)) == 0)
					o = PANGO_UNITS_ROUND(o);
				off = (double)o / PANGO_SCALE;
			}
			show_at(d, l, x + CELL_PAD + off, top, dy);
			dy += lh;
		}
		x += cw;
	}
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
	PangoLayout *tl = NULL;
	row_lay hl, rl;
	xy_code rc = XY_ERR_NOMEM;
	memset(&run, 0, sizeof run);
	if (!row_lay_init(&hl, g->ncols) || !row_lay_init(&rl, g->ncols) ||
	    !(run.cache = lay_cache_new()))
		goto out;
	if (g->fs <= 0)
		g->fs = 8;
	if (!grid_measure(d, g, &run))
		goto out;
	grid_widths(g, &run, avail);
	if (g->fs != run.fs0) {
		/* the font shrank: lay the cells out again once, at the new size
		 * (the widths stay those computed from the scaled measures) */
		double *w = run.w;
		GHashTable *cache = run.cache;
		run.w = NULL;
		grid_run_release(g, &run);
		memset(&run, 0, sizeof run);
		run.cache = cache;
		if (!grid_measure(d, g, &run)) {
			free(w);
			goto out;
		}
		free(run.w);
		run.w = w;
	}
	x0 = d->left + (d->width - g->width) / 2;
	hh = grid_row_lay(d, g, run.w, g->head, XY__ROW_BODY, true, run.head, run.head_w, run.cache,
			  &hl);
	if (hh < 0)
		goto out;
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
	grid_row_draw(d, g, run.w, x0, XY__ROW_BODY, true, &hl, hh);
	d->y += hh;
	for (size_t r = 0; r < g->nrows; r++) {
		PangoLayout *const *pre = run.cell ? run.cell + r * g->ncols : NULL;
		double h = grid_row_lay(d, g, run.w, g->cells[r], g->kind[r], false, pre,
					run.cell_w ? run.cell_w + r * g->ncols : NULL, run.cache, &rl);
		if (h < 0)
			goto out;
		if (d->y + h > d->bottom) {
			/* continue on the next page under the header again */
			xy__pdf_new_page(d);
			grid_continued(d, g, x0);
			grid_row_draw(d, g, run.w, x0, XY__ROW_BODY, true, &hl, hh);
			d->y += hh;
		}
		grid_row_draw(d, g, run.w, x0, g->kind[r], false, &rl, h);
		d->y += h;
	}
	d->y += 10;
	rc = XY_OK;
out:
	row_lay_release(&hl);
	row_lay_release(&rl);
	grid_run_release(g, &run);
	if (run.cache)
		g_hash_table_destroy(run.cache);
	return rc;
}
