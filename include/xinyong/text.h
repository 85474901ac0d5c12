/* xinyong: small UTF-8 text helpers.  Pure functions. */
#ifndef XINYONG_TEXT_H
#define XINYONG_TEXT_H

#include <stddef.h>

/* Trim ASCII blanks, U+3000 and NBSP from both ends: returns the start and
 * sets *len (in: length of s, out: length of the trimmed text). */
const char *xy_trim(const char *s, size_t *len);

/* Number of UTF-8 characters in s[0..n), or (size_t)-1 when not valid UTF-8
 * (overlong forms, surrogates and code points past U+10FFFF are invalid). */
size_t xy_utf8_len(const char *s, size_t n);

/* Terminal columns of a UTF-8 string: East Asian wide characters (CJK,
 * full-width forms) count two, ambiguous ones such as “” one. */
size_t xy_text_width(const char *s);

#endif
