/* Unit tests of the error object (lib/core/error.c): it holds messages, not
 * data, so a text longer than its field is cut — on a UTF-8 character
 * boundary, marked with "…". */
#include <criterion/criterion.h>
#include <string.h>

#include "xinyong/error.h"

/* true when s is valid UTF-8 */
static bool utf8_ok(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	while (*p) {
		int n = *p < 0x80 ? 0 : (*p & 0xE0) == 0xC0 ? 1 : (*p & 0xF0) == 0xE0 ? 2
			: (*p & 0xF8) == 0xF0 ? 3 : -1;
		if (n < 0)
			return false;
		for (p++; n; n--, p++)
			if ((*p & 0xC0) != 0x80)
				return false;
	}
	return true;
}

static bool ends_with(const char *s, const char *t)
{
	size_t a = strlen(s), b = strlen(t);
	return a >= b && !strcmp(s + a - b, t);
}

Test(error, short_messages_are_whole)
{
	xy_error err = XY_ERROR_INIT;
	cr_assert_eq(xy_error_at(&err, XY_ERR_INVALID, "名单.csv", 3, "原因", "太长：%d", 5),
		     XY_ERR_INVALID);
	cr_assert_str_eq(err.msg, "太长：5");
	cr_assert_str_eq(err.file, "名单.csv");
	cr_assert_str_eq(err.field, "原因");
}

/* Every offset of a 3-byte character against the end of msg: the cut never
 * leaves half a character, and says it cut. */
Test(error, long_message_cut_on_a_character_and_marked)
{
	char text[2048];
	for (size_t pad = 0; pad < 3; pad++) {
		xy_error err = XY_ERROR_INIT;
		size_t n = 0;
		for (size_t i = 0; i < pad; i++)
			text[n++] = 'a';
		while (n + 3 < sizeof text) {
			memcpy(text + n, "证", 3);
			n += 3;
		}
		text[n] = '\0';
		xy_error_set(&err, XY_ERR_INVALID, "%s", text);
		cr_assert(utf8_ok(err.msg), "pad %zu: cut mid-character", pad);
		cr_assert(ends_with(err.msg, "…"), "pad %zu: the cut is not marked", pad);
		cr_assert_lt(strlen(err.msg), sizeof err.msg);
		cr_assert_gt(strlen(err.msg), sizeof err.msg - 8, "pad %zu: cut too much", pad);
		/* what it kept is the start of the text */
		cr_assert_eq(strncmp(err.msg, text, strlen(err.msg) - strlen("…")), 0);

		/* the same for the file and field names */
		xy_error_at(&err, XY_ERR_INVALID, text, 1, text, "x");
		cr_assert(utf8_ok(err.file) && ends_with(err.file, "…"), "pad %zu: file", pad);
		cr_assert(utf8_ok(err.field) && ends_with(err.field, "…"), "pad %zu: field", pad);
	}
}

Test(error, format_cut_on_a_character_and_marked)
{
	xy_error err = XY_ERROR_INIT;
	char out[100];
	xy_error_at(&err, XY_ERR_INVALID, "文件.csv", 7, "名称", "%s",
		    "一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十");
	xy_error_format(&err, out, sizeof out);
	cr_assert(utf8_ok(out), "%s", out);
	cr_assert(ends_with(out, "…"), "%s", out);
	cr_assert_eq(strncmp(out, "文件.csv:7: 名称: 一二三", strlen("文件.csv:7: 名称: 一二三")), 0,
		     "%s", out);
	/* room enough: whole, unmarked */
	{
		char big[512];
		xy_error_format(&err, big, sizeof big);
		cr_assert(!ends_with(big, "…"), "%s", big);
		cr_assert(ends_with(big, "九十"), "%s", big);
	}
}
