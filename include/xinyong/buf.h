/* xinyong: the one growable byte buffer (after git's strbuf and curl's dynbuf).
 *
 * - `data` is never NULL and always NUL-terminated, so it can be used as a C
 *   string; it may also hold embedded NULs (use `len`).
 * - `limit` caps the length for buffers filled from untrusted input: an append
 *   that would pass it fails with XY_ERR_LIMIT and leaves the buffer unchanged.
 *   0 means no cap.
 * - The buffer owns `data`; xy_buf_release() frees it, xy_buf_detach() hands it
 *   to the caller (who then free()s it).
 */
#ifndef XINYONG_BUF_H
#define XINYONG_BUF_H

#include <stdarg.h>
#include <stddef.h>

#include "error.h"

typedef struct xy_buf {
	char *data;
	size_t len;
	size_t cap;   /* 0 while data points at the shared empty string */
	size_t limit; /* max len, 0 = unlimited */
} xy_buf;

extern char xy__buf_empty[1];
#define XY_BUF_INIT { xy__buf_empty, 0, 0, 0 }

void xy_buf_init(xy_buf *b, size_t limit);
void xy_buf_release(xy_buf *b);                 /* free and re-init (keeps limit) */
void xy_buf_reset(xy_buf *b);                   /* len = 0, keeps memory */
void xy_buf_truncate(xy_buf *b, size_t len);    /* len must be <= b->len */
char *xy_buf_detach(xy_buf *b, size_t *len);    /* caller frees; b re-inited */

xy_code xy_buf_grow(xy_buf *b, size_t extra);   /* room for extra more bytes */
xy_code xy_buf_add(xy_buf *b, const void *p, size_t n);
xy_code xy_buf_addstr(xy_buf *b, const char *s);
xy_code xy_buf_addch(xy_buf *b, char c);
xy_code xy_buf_addf(xy_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
xy_code xy_buf_vaddf(xy_buf *b, const char *fmt, va_list ap);

/* Append s[0..n) as a JSON string literal, quotes included.  s must be UTF-8. */
xy_code xy_buf_addjson(xy_buf *b, const char *s, size_t n);

/* Room for element n of an array v of `size`-byte elements with *cap slots:
 * v itself when n < *cap, else v grown by realloc (first slots the first
 * time, then twice as many; *cap updated).  NULL when out of memory or the
 * size would overflow; v is then untouched and still owned by the caller.
 * One growth rule for every array the library builds row by row. */
void *xy_array_grow(void *v, size_t n, size_t *cap, size_t size, size_t first);

#endif
