/* xinyong: small UTF-8 text helpers.  Pure functions. */
#ifndef XINYONG_TEXT_H
#define XINYONG_TEXT_H

#include <stdbool.h>
#include <stddef.h>

#include <jansson.h>

#include "error.h"

/* Trim ASCII blanks, U+3000 and NBSP from both ends: returns the start and
 * sets *len (in: length of s, out: length of the trimmed text). */
const char *xy_trim(const char *s, size_t *len);

/* Number of UTF-8 characters in s[0..n), or (size_t)-1 when not valid UTF-8
 * (overlong forms, surrogates and code points past U+10FFFF are invalid). */
size_t xy_utf8_len(const char *s, size_t n);

/* Terminal columns of a UTF-8 string: East Asian wide characters (CJK,
 * full-width forms) count two, ambiguous ones such as “” one. */
size_t xy_text_width(const char *s);

/* Length of the UTF-8 character at s[0..n) (1-4) with its code point in
 * *cp, or 0 when the bytes there are not one (invalid, overlong, surrogate,
 * past U+10FFFF, cut off).  The one UTF-8 decoder of the library. */
size_t xy_utf8_decode(const char *s, size_t n, unsigned long *cp);
/* The same without the code point. */
size_t xy_utf8_seq(const char *s, size_t n);

/* s as a new JSON string, whatever its bytes: bytes that are not UTF-8 (a
 * GBK file name from unzipping a Windows archive) become the text \xNN and
 * *escaped (may be NULL) is set.  json_null() for NULL; NULL when out of
 * memory.  For names and paths shown to people and scripts. */
json_t *xy_json_text(const char *s, bool *escaped);

/* Append v as compact JSON (members in insertion order, non-ASCII kept as
 * UTF-8, no spaces: what json_dumps(v, JSON_COMPACT) writes, up to the
 * escapes chosen).  jansson's own dump feeds its output through a callback
 * a few bytes at a time and re-decodes every string's UTF-8: 20,000
 * instructions for a 250-byte check answer, most of a cached answer's cost;
 * this writes each string with xy_buf_addjson (eight bytes a step).  On
 * failure (out of memory) out is left as it was. */
struct xy_buf;
xy_code xy_json_dump(const json_t *v, struct xy_buf *out);

#endif
