/* The table model on PDF pages (table_pdf.h): the statistics tables of
 * `xinyong stats --format pdf` and GET /api/v1/stats?format=pdf, and the
 * bulletin's tables.  The drawing is pdf.h's grid (header repeated on every
 * page, the 合计 row bold); this file only turns the cells into that grid
 * and puts one table on its own pages. */
#include <stdlib.h>
#include <string.h>

#include "xinyong/buf.h"
#include "table_pdf.h"

bool xy__grid_from_table(xy__grid *g, const xy_table *t)
{
	size_t group = (size_t)-1, ncols, c;
	const char *last = NULL;
	char num[32];
	for (size_t i = 0; i < t->nlabels; i++)
		if (strcmp(t->label_names[i], "分组") == 0)
			group = i;
	ncols = t->nlabels - (group != (size_t)-1) + t->nvalues + (t->total_col_name != NULL);
	if (!xy__grid_init(g, ncols, 2 * t->nrows))
		return false;
	g->title = t->title;
	g->note = t->note;
	c = 0;
	for (size_t i = 0; i < t->nlabels; i++) {
		if (i == group)
			continue;
		g->left[c] = strcmp(t->label_names[i], "序号") != 0;
		if (!xy__grid_cell(&g->head[c++], t->label_names[i]))
			return false;
	}
	for (size_t i = 0; i < t->nvalues; i++)
		if (!xy__grid_cell(&g->head[c++], t->value_names[i]))
			return false;
	if (t->total_col_name && !xy__grid_cell(&g->head[c++], t->total_col_name))
		return false;
	for (size_t r = 0; r < t->nrows; r++) {
		const xy_table_row *row = &t->rows[r];
		if (group != (size_t)-1 && !row->is_total && *row->labels[group] &&
		    (!last || strcmp(last, row->labels[group]) != 0)) {
			last = row->labels[group];
			if (!xy__grid_row(g, XY__ROW_GROUP) || !xy__grid_cell(&g->cells[g->nrows - 1][0], last))
				return false;
			for (size_t k = 1; k < ncols; k++)
				if (!xy__grid_cell(&g->cells[g->nrows - 1][k], ""))
					return false;
		}
		if (!xy__grid_row(g, row->is_total ? XY__ROW_TOTAL : XY__ROW_BODY))
			return false;
		c = 0;
		for (size_t i = 0; i < t->nlabels; i++)
			if (i != group && !xy__grid_cell(&g->cells[g->nrows - 1][c++], row->labels[i]))
				return false;
		for (size_t i = 0; i <= t->nvalues; i++) {
			long long v = i < t->nvalues ? row->values[i] : row->total;
			if (i == t->nvalues && !t->total_col_name)
				break;
			if (v == 0 && t->zero_blank && i < t->nvalues)
				num[0] = '\0';
			else
				snprintf(num, sizeof num, "%lld", v);
			if (!xy__grid_cell(&g->cells[g->nrows - 1][c++], num))
				return false;
		}
	}
	return true;
}

/* ---- one table as a document ---- */

#define MARGIN (15 * XY__PT_PER_MM)
#define FOOT (12 * XY__PT_PER_MM)
#define CELL_PT 9.0
#define TITLE_PT 15.0
/* More columns than this go on landscape pages: at 9 pt a portrait page
 * (180 mm of text) gives a dozen columns about 14 mm each, which wraps the
 * bulletin's category names (“开展诚信教育、宣传活动”) into four lines and
 * more; landscape (267 mm) keeps them to two. */
#define PORTRAIT_MAX_COLS 8

typedef struct page_ctx {
	double w, h;
	int pages; /* 0 on the counting pass */
} page_ctx;

static void footer(xy__doc *d)
{
	const page_ctx *p = d->ctx;
	xy_buf s = XY_BUF_INIT;
	PangoLayout *l;
	if (p->pages ? xy_buf_addf(&s, "第 %d 页 共 %d 页", d->page, p->pages)
		     : xy_buf_addf(&s, "第 %d 页", d->page))
		return; /* out of memory: no footer */
	l = xy__pdf_lay(d, s.data, 9, XY__F_CENTER, d->width, 0);
	xy__pdf_ink(d->cr, XY__PDF_INK);
	xy__pdf_show(d, l, d->left, p->h - FOOT);
	g_object_unref(l);
	xy_buf_release(&s);
}

static cairo_status_t to_file(void *closure, const unsigned char *data, unsigned int len)
{
	return fwrite(data, 1, len, closure) == len ? CAIRO_STATUS_SUCCESS
						    : CAIRO_STATUS_WRITE_ERROR;
}

/* One pass: pages 0 counts (a dry document keeping its layouts in lays),
 * then the drawing pass replays them. */
static xy_code pass(const xy_table *t, xy__grid *g, page_ctx *p, FILE *f, const char *path,
		    xy__lays *lays, int *count, xy_error *err)
{
	xy__doc d;
	xy_code rc;
	memset(&d, 0, sizeof d);
	d.err = err;
	d.top = MARGIN;
	d.bottom = p->h - MARGIN - FOOT / 2;
	d.left = MARGIN;
	d.width = p->w - 2 * MARGIN;
	d.footer = footer;
	d.ctx = p;
	d.dry = p->pages == 0;
	d.lays = lays;
	lays->replay = !d.dry;
	lays->next = 0;
	xy__pdf_open(&d, to_file, f, t->title, NULL, NULL);
	/* xy__pdf_open makes A4 portrait pages; a landscape table turns them
	 * before anything is drawn (cairo allows it until the first drawing) */
	if (d.sf && p->w > p->h)
		cairo_pdf_surface_set_size(d.sf, p->w, p->h);
	g->fs = CELL_PT;
	rc = xy__pdf_grid(&d, g, d.width, TITLE_PT);
	*count = d.page;
	return xy__pdf_close(&d, path, rc, err);
}

xy_code xy__table_pdf(const xy_table *t, FILE *f, const char *path, xy_error *err)
{
	xy__grid g;
	xy__lays lays = { 0 };
	page_ctx p = { XY__A4_W, XY__A4_H, 0 };
	int pages = 0, again = 0;
	xy_code rc = XY_ERR_NOMEM;
	if (!xy__grid_from_table(&g, t)) {
		xy__grid_free(&g);
		return xy_error_set(err, rc, "out of memory");
	}
	if (g.ncols > PORTRAIT_MAX_COLS) {
		p.w = XY__A4_H;
		p.h = XY__A4_W;
	}
	/* the footer says "共 Y 页": lay out once to count, then draw */
	if (!(rc = pass(t, &g, &p, f, path, &lays, &pages, err))) {
		p.pages = pages;
		rc = pass(t, &g, &p, f, path, &lays, &again, err);
	}
	xy__lays_release(&lays);
	xy__grid_free(&g);
	return rc;
}
