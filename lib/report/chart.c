/* City credit monitoring: the trend chart of the monthly index and rank
 * (cairo for drawing, pango for the Chinese text); the figures themselves are
 * index.c's. */
#include <errno.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cairo-pdf.h>
#include <cairo-svg.h>
#include <pango/pangocairo.h>

#include "xinyong/chart.h"
#include "xinyong/index.h"
#include "cjk.h"
#include "xinyong/text.h"

/* ---- drawing ---- */

typedef struct pen {
	cairo_t *cr;
	xy__glyph_check glyphs; /* characters the font could not show */
} pen;

/* A layout in the CJK font, sized in user units, with metrics unhinted so
 * vector output and the PNG agree. */
static PangoLayout *layout_new(pen *p, const char *text, double size, bool bold)
{
	PangoLayout *l = xy__cjk_layout(p->cr, size, bold);
	xy__cjk_set_text(l, text, false, &p->glyphs);
	return l;
}

/* Draw text with its box anchored at (x, y): ax, ay = 0 left/top, 0.5
 * centre, 1 right/bottom.  Returns the text's width. */
static double text_at(pen *p, double x, double y, const char *text, double size, bool bold,
		      double ax, double ay)
{
	PangoLayout *l = layout_new(p, text, size, bold);
	PangoRectangle ink, log;
	double w, h;
	pango_layout_get_extents(l, &ink, &log);
	w = (double)log.width / PANGO_SCALE;
	h = (double)log.height / PANGO_SCALE;
	cairo_move_to(p->cr, x - ax * w, y - ay * h);
	pango_cairo_show_layout(p->cr, l);
	cairo_new_path(p->cr); /* no current point: the next arc starts clean */
	g_object_unref(l);
	return w;
}

static void rgb(cairo_t *cr, unsigned c)
{
	cairo_set_source_rgb(cr, (c >> 16 & 0xFF) / 255.0, (c >> 8 & 0xFF) / 255.0,
			     (c & 0xFF) / 255.0);
}

/* A step of 1, 2, 2.5 or 5 × 10^k giving about `ticks` intervals. */
static double nice_step(double span, int ticks)
{
	double raw = span / ticks, mag = pow(10, floor(log10(raw))), f = raw / mag;
	return (f <= 1 ? 1 : f <= 2 ? 2 : f <= 2.5 ? 2.5 : f <= 5 ? 5 : 10) * mag;
}

static void fmt_num(char *out, size_t sz, double v, double step)
{
	snprintf(out, sz, step < 1 ? "%.1f" : "%.0f", v);
}

#define C_INDEX 0x1F5FA8u
#define C_RANK 0xD9480Fu
#define C_GRID 0xE3E6EAu
#define C_AXIS 0x5F6670u
#define C_TEXT 0x1F2328u

xy_code xy_chart_draw(cairo_t *cr, double w, double h, const xy_city_index *v, size_t n,
		      xy_error *err)
{
	pen p = { cr, { 0, "" } };
	/* text shrinks less than the drawing, so a small chart stays readable */
	double k = fmin(w / 800, h / 450), kf = k < 1 ? pow(k, 0.6) : k, fs = 13 * kf;
	double L = 78 * k, R = w - 78 * k, T = 112 * k, B = h - 52 * k;
	double smin = 100, smax = 0, sstep, slo, shi;
	int rmin = 0, rmax = 0;
	double rstep, rlo, rhi;
	double xpad, dx;
	size_t every;
	char s[32];

	if (!v || n < 1)
		return xy_error_set(err, XY_ERR_ARG, "the chart needs at least one month");
	if (w < 200 || h < 120)
		return xy_error_set(err, XY_ERR_ARG, "the chart needs at least 200 × 120");
	for (size_t i = 0; i < n; i++) {
		smin = fmin(smin, v[i].score);
		smax = fmax(smax, v[i].score);
		if (!i || v[i].rank < rmin)
			rmin = v[i].rank;
		if (!i || v[i].rank > rmax)
			rmax = v[i].rank;
	}
	/* index axis: a little room around the values, round ticks, within 0..100 */
	{
		double pad = fmax((smax - smin) * 0.2, 1.0);
		sstep = nice_step(smax - smin + 2 * pad, 5);
		slo = fmax(0, floor((smin - pad) / sstep) * sstep);
		shi = fmin(100, ceil((smax + pad) / sstep) * sstep);
		if (shi <= slo)
			shi = slo + sstep;
	}
	/* rank axis, inverted: the best rank is at the top */
	{
		double pad = fmax((rmax - rmin) * 0.2, 2.0);
		rstep = nice_step(rmax - rmin + 2 * pad, 5);
		if (rstep < 1)
			rstep = 1;
		rlo = floor((rmin - pad) / rstep) * rstep;
		if (rlo < 1)
			rlo = 1;
		rhi = ceil((rmax + pad) / rstep) * rstep;
		if (rhi <= rlo)
			rhi = rlo + rstep;
	}

	cairo_save(cr);
	cairo_rectangle(cr, 0, 0, w, h);
	cairo_set_source_rgb(cr, 1, 1, 1);
	cairo_fill(cr);

	/* title and legend */
	rgb(cr, C_TEXT);
	text_at(&p, w / 2, 14 * k, "城市信用综合指数与排名", 20 * kf, true, 0.5, 0);
	{
		const char *li = "综合指数（左轴）", *lr = "全国排名（右轴，越靠上越好）";
		double y = 30 * k + 30 * kf, x = w / 2 - 190 * k;
		cairo_set_line_width(cr, 2.5 * k);
		rgb(cr, C_INDEX);
		cairo_move_to(cr, x, y);
		cairo_line_to(cr, x + 28 * k, y);
		cairo_stroke(cr);
		cairo_arc(cr, x + 14 * k, y, 4 * k, 0, 2 * M_PI);
		cairo_fill(cr);
		rgb(cr, C_TEXT);
		x += 34 * k + text_at(&p, x + 34 * k, y, li, fs, false, 0, 0.5) + 30 * k;
		rgb(cr, C_RANK);
		cairo_set_dash(cr, (double[]){ 6 * k, 4 * k }, 2, 0);
		cairo_move_to(cr, x, y);
		cairo_line_to(cr, x + 28 * k, y);
		cairo_stroke(cr);
		cairo_set_dash(cr, NULL, 0, 0);
		cairo_rectangle(cr, x + 10 * k, y - 4 * k, 8 * k, 8 * k);
		cairo_fill(cr);
		rgb(cr, C_TEXT);
		text_at(&p, x + 34 * k, y, lr, fs, false, 0, 0.5);
	}

	/* grid and axes */
	cairo_set_line_width(cr, 1 * k);
	for (double t = slo; t <= shi + sstep / 1000; t += sstep) {
		double y = B - (t - slo) / (shi - slo) * (B - T);
		rgb(cr, C_GRID);
		cairo_move_to(cr, L, y);
		cairo_line_to(cr, R, y);
		cairo_stroke(cr);
		rgb(cr, C_INDEX);
		fmt_num(s, sizeof s, t, sstep);
		text_at(&p, L - 8 * k, y, s, fs * 0.9, false, 1, 0.5);
	}
	for (double t = rlo; t <= rhi + 1e-9;) {
		double y = T + (t - rlo) / (rhi - rlo) * (B - T);
		rgb(cr, C_RANK);
		snprintf(s, sizeof s, "%.0f", t);
		text_at(&p, R + 8 * k, y, s, fs * 0.9, false, 0, 0.5);
		/* after a first tick of 1, continue on the step's multiples */
		t = t < rstep ? rstep : t + rstep;
	}
	rgb(cr, C_AXIS);
	cairo_set_line_width(cr, 1.2 * k);
	cairo_move_to(cr, L, T);
	cairo_line_to(cr, L, B);
	cairo_line_to(cr, R, B);
	cairo_line_to(cr, R, T);
	cairo_stroke(cr);
	rgb(cr, C_INDEX);
	text_at(&p, L, T - 10 * k, "综合指数", fs, true, 0.5, 1);
	rgb(cr, C_RANK);
	text_at(&p, R, T - 10 * k, "排名", fs, true, 0.5, 1);

	/* months */
	xpad = (R - L) * 0.07;
	dx = n > 1 ? (R - L - 2 * xpad) / (double)(n - 1) : 0;
	every = 1;
	while (n / every > 12)
		every++;
#define XAT(i) (n > 1 ? L + xpad + (double)(i)*dx : (L + R) / 2)
#define YS(i) (B - (v[i].score - slo) / (shi - slo) * (B - T))
#define YR(i) (T + (v[i].rank - rlo) / (rhi - rlo) * (B - T))
	rgb(cr, C_TEXT);
	for (size_t i = 0; i < n; i++) {
		char m[8];
		rgb(cr, C_AXIS);
		cairo_move_to(cr, XAT(i), B);
		cairo_line_to(cr, XAT(i), B + 5 * k);
		cairo_stroke(cr);
		if (i % every && i != n - 1)
			continue;
		rgb(cr, C_TEXT);
		xy_city_index_month_label(v[i].month, m);
		text_at(&p, XAT(i), B + 9 * k, m, fs * 0.9, false, 0.5, 0);
	}

	/* the two lines, the rank dashed */
	cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND);
	cairo_set_line_width(cr, 2.5 * k);
	rgb(cr, C_INDEX);
	for (size_t i = 0; i < n; i++)
		(i ? cairo_line_to : cairo_move_to)(cr, XAT(i), YS(i));
	cairo_stroke(cr);
	rgb(cr, C_RANK);
	cairo_set_dash(cr, (double[]){ 6 * k, 4 * k }, 2, 0);
	for (size_t i = 0; i < n; i++)
		(i ? cairo_line_to : cairo_move_to)(cr, XAT(i), YR(i));
	cairo_stroke(cr);
	cairo_set_dash(cr, NULL, 0, 0);

	/* points and their values, each label on the side away from the other line */
	for (size_t i = 0; i < n; i++) {
		double x = XAT(i), ys = YS(i), yr = YR(i);
		bool index_above = ys <= yr;
		rgb(cr, C_INDEX);
		cairo_arc(cr, x, ys, 4.5 * k, 0, 2 * M_PI);
		cairo_fill(cr);
		snprintf(s, sizeof s, "%.2f", v[i].score);
		text_at(&p, x, index_above ? ys - 8 * k : ys + 8 * k, s, fs, true, 0.5,
			index_above ? 1 : 0);
		rgb(cr, C_RANK);
		cairo_rectangle(cr, x - 4.5 * k, yr - 4.5 * k, 9 * k, 9 * k);
		cairo_fill(cr);
		snprintf(s, sizeof s, "%d", v[i].rank);
		text_at(&p, x, index_above ? yr + 8 * k : yr - 8 * k, s, fs, true, 0.5,
			index_above ? 0 : 1);
	}
#undef XAT
#undef YS
#undef YR
	cairo_restore(cr);
	if (cairo_status(cr))
		return xy_error_set(err, XY_ERR_IO, "drawing the chart: %s",
				    cairo_status_to_string(cairo_status(cr)));
	if (p.glyphs.unknown)
		return xy_error_set(err, XY_ERR_CONFIG,
				    "the font %s cannot show %d character(s) of '%s' "
				    "(install fonts-noto-cjk)",
				    XY_CJK_FONT, p.glyphs.unknown, p.glyphs.missing);
	return XY_OK;
}

/* ---- output ---- */

static cairo_status_t to_buf(void *closure, const unsigned char *data, unsigned int len)
{
	return xy_buf_add(closure, data, len) ? CAIRO_STATUS_WRITE_ERROR : CAIRO_STATUS_SUCCESS;
}

static cairo_status_t to_file(void *closure, const unsigned char *data, unsigned int len)
{
	return fwrite(data, 1, len, closure) == len ? CAIRO_STATUS_SUCCESS
						    : CAIRO_STATUS_WRITE_ERROR;
}

/* Draw onto a fresh context of surface sf (scaled), finish it, report. */
static xy_code draw_on(cairo_surface_t *sf, double scale, double w, double h,
		       const xy_city_index *v, size_t n, xy_error *err)
{
	cairo_t *cr = cairo_create(sf);
	xy_code rc;
	cairo_scale(cr, scale, scale);
	rc = xy_chart_draw(cr, w, h, v, n, err);
	cairo_destroy(cr);
	return rc;
}

xy_code xy_chart_svg(const xy_city_index *v, size_t n, double w, double h, xy_buf *out,
		     xy_error *err)
{
	cairo_surface_t *sf;
	xy_code rc;
	size_t start = out->len;
	if (!v || n < 1)
		return xy_error_set(err, XY_ERR_ARG, "the chart needs at least one month");
	sf = cairo_svg_surface_create_for_stream(to_buf, out, w, h);
	rc = draw_on(sf, 1, w, h, v, n, err);
	cairo_surface_finish(sf);
	if (!rc && cairo_surface_status(sf))
		rc = xy_error_set(err, XY_ERR_NOMEM, "writing SVG: %s",
				  cairo_status_to_string(cairo_surface_status(sf)));
	cairo_surface_destroy(sf);
	if (rc)
		xy_buf_truncate(out, start);
	return rc;
}

static bool ends_with(const char *s, const char *ext)
{
	size_t a = strlen(s), b = strlen(ext);
	return a > b && strcasecmp(s + a - b, ext) == 0;
}

xy_code xy_chart_save(const xy_city_index *v, size_t n, const char *path, xy_error *err)
{
	enum { SVG, PNG, PDF } kind;
	const double W = 800, H = 450;
	xy_buf tmp = XY_BUF_INIT;
	cairo_surface_t *sf = NULL;
	cairo_status_t st;
	xy_code rc;
	FILE *f;
	int fd;

	if (ends_with(path, ".svg"))
		kind = SVG;
	else if (ends_with(path, ".png"))
		kind = PNG;
	else if (ends_with(path, ".pdf"))
		kind = PDF;
	else
		return xy_error_at(err, XY_ERR_ARG, path, 0, NULL,
				   "the chart file must end in .svg, .png or .pdf");
	if (!v || n < 1)
		return xy_error_at(err, XY_ERR_ARG, path, 0, NULL,
				   "no index figures to chart: add months with 'xinyong index add'");
	if ((rc = xy_buf_addf(&tmp, "%s.XXXXXX", path)))
		return xy_error_set(err, rc, "out of memory");
	if ((fd = mkstemp(tmp.data)) < 0 || !(f = fdopen(fd, "wb"))) {
		int e = errno;
		if (fd >= 0) {
			close(fd);
			unlink(tmp.data);
		}
		xy_buf_release(&tmp);
		return xy_error_at(err, XY_ERR_IO, path, 0, NULL, "cannot write: %s",
				   strerror(e));
	}
	fchmod(fd, 0644); /* a published file, not mkstemp's 0600 */
	if (kind == PNG) {
		sf = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, (int)(2 * W), (int)(2 * H));
		rc = draw_on(sf, 2, W, H, v, n, err);
		if (!rc && (st = cairo_surface_write_to_png_stream(sf, to_file, f)))
			rc = xy_error_at(err, XY_ERR_IO, path, 0, NULL, "writing PNG: %s",
					 cairo_status_to_string(st));
	} else {
		sf = kind == SVG ? cairo_svg_surface_create_for_stream(to_file, f, W, H)
				 : cairo_pdf_surface_create_for_stream(to_file, f, W, H);
		rc = draw_on(sf, 1, W, H, v, n, err);
		cairo_surface_finish(sf);
		if (!rc && (st = cairo_surface_status(sf)))
			rc = xy_error_at(err, XY_ERR_IO, path, 0, NULL, "writing: %s",
					 cairo_status_to_string(st));
	}
	cairo_surface_destroy(sf);
	rc = xy__publish(f, tmp.data, path, rc, err);
	xy_buf_release(&tmp);
	return rc;
}

void xy_chart_fonts_release(void)
{
	pango_cairo_font_map_set_default(NULL);
}
