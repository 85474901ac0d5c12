/* Internal: what the chart and the bulletin share: Chinese text layouts and
 * publishing an output file. */
#ifndef XY_REPORT_CJK_H
#define XY_REPORT_CJK_H

#include <stdbool.h>
#include <stdio.h>

#include "xinyong/error.h"

#include <pango/pangocairo.h>

/* Characters the font could not show, counted over every layout of a drawing. */
typedef struct xy__glyph_check {
	int unknown;       /* glyphs without a font */
	char missing[96];  /* the first text that had such glyphs (cut on a character) */
} xy__glyph_check;

/* A layout on cr in Noto Sans CJK SC (language zh-cn, so CJK never falls back to
 * Japanese shapes), size in user units, metrics unhinted so vector output and
 * PNG agree.  The caller sets width/alignment and then calls
 * xy__cjk_set_text; g_object_unref() frees it. */
PangoLayout *xy__cjk_layout(cairo_t *cr, double size, bool bold);

/* Set text (Pango markup when markup) and count glyphs the font lacks into gc. */
void xy__cjk_set_text(PangoLayout *l, const char *text, bool markup, xy__glyph_check *gc);

/* Finish an output written to the temporary file tmp: flush and close f (NULL
 * when the writer closed it itself), then, if rc is XY_OK, rename tmp over
 * path (readers never see half a file); otherwise remove tmp.  Returns rc or
 * the first write/close/rename error. */
xy_code xy__publish(FILE *f, const char *tmp, const char *path, xy_code rc, xy_error *err);

#endif
