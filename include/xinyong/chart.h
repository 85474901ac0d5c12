/* xinyong: city credit monitoring (城市信用监测) — the monthly 综合指数 and
 * national rank, their validation, and the trend chart.
 *
 * The chart draws both series over the months: the index as a line against
 * the left axis, the rank as a line against the right axis, which is
 * inverted (a better, smaller rank is higher; the top of the axis is the
 * best rank shown), each point labelled with its value.  Text is laid out by
 * pango in "Noto Sans CJK SC" with the language zh-cn; a character the font
 * cannot show is an error (XY_ERR_CONFIG), never a missing-glyph box.
 *
 * Ownership: arrays passed in are borrowed; arrays returned are malloc'd and
 * the caller's (free()).
 */
#ifndef XINYONG_CHART_H
#define XINYONG_CHART_H

#include <stddef.h>

#include <cairo.h>

#include "buf.h"
#include "error.h"
#include "store.h"

/* The font every chart, PDF and bulletin asks pango for. */
#define XY_CJK_FONT "Noto Sans CJK SC"

/* Parse one month's figures as written by people or the bulletin: month
 * YYYY-MM, YYYY.MM or YYYY年M月; score 0..100 (综合指数); rank an integer
 * >= 1.  Errors are XY_ERR_INVALID with err->field naming the bad part. */
xy_code xy_city_index_parse(const char *month, const char *score, const char *rank,
			    xy_city_index *out, xy_error *err);

/* Read a TSV in the shape of the bulletin's 城市排名 table: a header line
 * (月份, 综合指数, 排名 — matched by name, any order, extra columns ignored)
 * and one month a line.  A bad line fails the whole file (err has its row).
 * A month given twice keeps the last.  *out is sorted by month. */
xy_code xy_city_index_read_tsv(const char *path, xy_city_index **out, size_t *n,
			       xy_error *err);

/* Keep the months in [from, to] (YYYY-MM, inclusive; NULL = open) of a
 * month-sorted array, in place; returns the new count. */
size_t xy_city_index_range(xy_city_index *v, size_t n, const char *from, const char *to);

/* "2019-03" → "2019.03", as the bulletin prints months.  out has room for 8. */
void xy_city_index_month_label(const char *month, char out[8]);

/* Draw the chart into cr with its top-left corner at the current origin and
 * size w × h (user units; about 800 × 450 reads well).  n >= 1. */
xy_code xy_chart_draw(cairo_t *cr, double w, double h, const xy_city_index *v, size_t n,
		      xy_error *err);

/* Append the chart as an SVG document (w × h points) to out. */
xy_code xy_chart_svg(const xy_city_index *v, size_t n, double w, double h, xy_buf *out,
		     xy_error *err);

/* Write the chart to path: .svg (800 × 450 pt), .png (1600 × 900 px) or
 * .pdf, chosen by the extension (XY_ERR_ARG for any other).  The file is
 * written under a temporary name and renamed, so a failure leaves no partial
 * file; XY_ERR_IO when the directory is not writable. */
xy_code xy_chart_save(const xy_city_index *v, size_t n, const char *path, xy_error *err);

/* Drop pango's default font map (and the fonts it holds).  Call at most
 * once, when no more text will be drawn (at exit of a command that drew
 * charts or bulletins).  fontconfig's process-wide caches stay: freeing them
 * (FcFini, cairo_debug_reset_static_data) asserts that nothing is alive and
 * races with pango's worker threads; tests/lsan.supp names them. */
void xy_chart_fonts_release(void);

#endif
