/* Chinese text layouts shared by the chart and the bulletin. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "xinyong/chart.h"
#include "cjk.h"

PangoLayout *xy__cjk_layout(cairo_t *cr, double size, bool bold)
{
	PangoLayout *l = pango_cairo_create_layout(cr);
	PangoContext *ctx = pango_layout_get_context(l);
	PangoFontDescription *fd = pango_font_description_from_string(XY_CJK_FONT);
	cairo_font_options_t *fo = cairo_font_options_create();

	cairo_font_options_set_hint_metrics(fo, CAIRO_HINT_METRICS_OFF);
	cairo_font_options_set_hint_style(fo, CAIRO_HINT_STYLE_NONE);
	pango_cairo_context_set_font_options(ctx, fo);
	cairo_font_options_destroy(fo);
	pango_context_set_language(ctx, pango_language_from_string("zh-cn"));
	pango_layout_context_changed(l);
	pango_font_description_set_absolute_size(fd, size * PANGO_SCALE);
	if (bold)
		pango_font_description_set_weight(fd, PANGO_WEIGHT_BOLD);
	pango_layout_set_font_description(l, fd);
	pango_font_description_free(fd);
	return l;
}

void xy__cjk_set_text(PangoLayout *l, const char *text, bool markup, xy__glyph_check *gc)
{
	int unknown;
	if (markup)
		pango_layout_set_markup(l, text, -1);
	else
		pango_layout_set_text(l, text, -1);
	unknown = pango_layout_get_unknown_glyphs_count(l);
	if (unknown <= 0)
		return;
	if (!gc->unknown) {
		size_t k = strlen(text);
		if (k >= sizeof gc->missing)
			k = sizeof gc->missing - 1;
		while (k && ((unsigned char)text[k] & 0xC0) == 0x80)
			k--; /* do not cut a character */
		memcpy(gc->missing, text, k);
		gc->missing[k] = '\0';
	}
	gc->unknown += unknown;
}

xy_code xy__publish(FILE *f, const char *tmp, const char *path, xy_code rc, xy_error *err)
{
	if (f) {
		if ((fflush(f) || ferror(f)) && !rc)
			rc = xy_error_at(err, XY_ERR_IO, path, 0, NULL, "cannot write: %s",
					 strerror(errno));
		if (fclose(f) && !rc)
			rc = xy_error_at(err, XY_ERR_IO, path, 0, NULL, "cannot write: %s",
					 strerror(errno));
	}
	if (!rc && rename(tmp, path))
		rc = xy_error_at(err, XY_ERR_IO, path, 0, NULL, "cannot rename into place: %s",
				 strerror(errno));
	if (rc)
		unlink(tmp);
	return rc;
}
