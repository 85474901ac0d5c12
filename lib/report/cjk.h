/* Internal: Chinese text layouts shared by the chart and the bulletin. */
#ifndef XY_REPORT_CJK_H
#define XY_REPORT_CJK_H

#include <stdbool.h>

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

#endif
