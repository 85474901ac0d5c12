/* xinyong: the trend chart of city credit monitoring (城市信用监测): the
 * monthly 综合指数 and national rank (their figures: index.h).
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
#include "index.h"
#include "store.h"

/* The font every chart, PDF and bulletin asks pango for. */
#define XY_CJK_FONT "Noto Sans CJK SC"

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
