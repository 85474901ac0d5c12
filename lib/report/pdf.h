/* Internal: the PDF pages the bulletin and the credit report share — a
 * document flowing Chinese text down A4 pages (cairo + pango, Noto Sans CJK
 * SC through cjk.h), a footer drawn on every page, and tables split across
 * pages with their header repeated. */
#ifndef XY_REPORT_PDF_H
#define XY_REPORT_PDF_H

#include <stdbool.h>
#include <stddef.h>

#include <cairo-pdf.h>
#include <pango/pangocairo.h>

#include "xinyong/error.h"
#include "cjk.h"

#define XY__PT_PER_MM (72.0 / 25.4)
#define XY__A4_W (210 * XY__PT_PER_MM)
#define XY__A4_H (297 * XY__PT_PER_MM)
#define XY__PDF_INK 0x1F2328u

/* The layouts of a counting pass kept for the drawing pass (a document
 * laid out twice to know its page count shapes its text once). */
typedef struct xy__lay_memo {
	PangoLayout *l; /* one reference held */
	char *text;
	double size, w, spacing;
	int flags;
} xy__lay_memo;

typedef struct xy__lays {
	xy__lay_memo *v;
	size_t n, cap, next;
	bool replay;    /* false: record every layout made; true: hand them out in order */
	bool broken;    /* a call did not match the recorded sequence: make the rest anew */
} xy__lays;

void xy__lays_release(xy__lays *k);

/* One document being drawn.  The caller sets the page box (top, bottom,
 * left, width: where the flow goes) and the footer; xy__pdf_open makes the
 * surface.  A dry document (counting pages) lays text out and moves the
 * cursor but draws nothing and makes no PDF. */
typedef struct xy__doc {
	cairo_surface_t *sf;
	cairo_t *cr;
	int page;          /* current page, 1-based */
	double y;          /* the flow's cursor */
	double top, bottom, left, width; /* the flow's box on every page */
	void (*footer)(struct xy__doc *d); /* draws the page's footer (NULL: none) */
	void *ctx;         /* the footer's */
	xy__glyph_check glyphs; /* characters no font could show */
	xy_error *err;
	bool dry;          /* set before xy__pdf_open: lay out only */
	bool in_footer;    /* the footer is being drawn (its layouts are not kept) */
	xy__lays *lays;    /* NULL, or the layouts shared by a counting and a drawing pass */
} xy__doc;

/* Start d (its box and footer set) writing A4 pages to fn(closure); the
 * title, author and creation date ("YYYY-MM-DDTHH:MM:SS", NULL: cairo's
 * default) go into the PDF's metadata. */
void xy__pdf_open(xy__doc *d, cairo_write_func_t fn, void *closure, const char *title,
		  const char *author, const char *created);
/* Finish: when rc is XY_OK the last page gets its footer and is shown;
 * the surface is finished and freed.  Returns rc, else a cairo error or
 * the glyphs no font could show (XY_ERR_CONFLICT naming path). */
xy_code xy__pdf_close(xy__doc *d, const char *path, xy_code rc, xy_error *err);

void xy__pdf_ink(cairo_t *cr, unsigned rgb);

enum { XY__F_BOLD = 1, XY__F_MARKUP = 2, XY__F_JUSTIFY = 4, XY__F_INDENT = 8, XY__F_CENTER = 16, XY__F_RIGHT = 32 };

/* A layout of width w (0: unwrapped) in the CJK font, zh-cn; spacing 0:
 * the font's.  g_object_unref() it.  Layouts come from one PangoContext per
 * thread (font map and fontconfig set up once per thread, not per layout);
 * with d->lays they are recorded on the counting pass and handed out again
 * on the drawing pass. */
PangoLayout *xy__pdf_lay(xy__doc *d, const char *text, double size, int flags, double w,
			 double spacing);
/* Show l with its top-left corner at (x, y). */
void xy__pdf_show(xy__doc *d, PangoLayout *l, double x, double y);
double xy__pdf_h(PangoLayout *l);
double xy__pdf_w(PangoLayout *l);
/* The footer, the page shown, the cursor at the top of the next. */
void xy__pdf_new_page(xy__doc *d);
/* Start a new page unless h more points fit. */
void xy__pdf_need(xy__doc *d, double h);
/* Flow a layout at x, line by line, onto as many pages as it needs. */
void xy__pdf_flow(xy__doc *d, PangoLayout *l, double x);
/* A block of text across the box's width (markup when XY__F_MARKUP). */
void xy__pdf_text(xy__doc *d, const char *text, double size, int flags, unsigned color,
		  double spacing, double before, double after);

/* A table: rows of cells, drawn by xy__pdf_grid. */
enum { XY__ROW_BODY = 0, XY__ROW_TOTAL, XY__ROW_GROUP };

typedef struct xy__grid {
	const char *title, *note;
	size_t ncols;
	char **head;       /* ncols */
	bool *left;        /* ncols: left-aligned (names) or centred */
	size_t nrows;
	char ***cells;     /* nrows × ncols (a group row uses cells[r][0] only) */
	int *kind;
	double width;      /* total width (<= d->width) */
	double fs;         /* font size */
	const char *cont;  /* NULL, or what a continued table says above its header
			    * on the next page when it has no title (then "CONT（续）") */
} xy__grid;

void xy__grid_free(xy__grid *g);
/* Room for ncols columns and up to nrows rows; false when out of memory. */
bool xy__grid_init(xy__grid *g, size_t ncols, size_t nrows);
/* Append a row of kind (its cells then set with xy__grid_cell). */
bool xy__grid_row(xy__grid *g, int kind);
/* *slot = a copy of s ("" for NULL). */
bool xy__grid_cell(char **slot, const char *s);
/* Draw g (title, note, header, rows) at the cursor within avail points,
 * centred; a row that does not fit starts a new page under the title
 * （续） and the header again. */
xy_code xy__pdf_grid(xy__doc *d, xy__grid *g, double avail, double title_size);

#endif
