#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xinyong/buf.h"

char xy__buf_empty[1];

void xy_buf_init(xy_buf *b, size_t limit)
{
	b->data = xy__buf_empty;
	b->len = 0;
	b->cap = 0;
	b->limit = limit;
}

void xy_buf_release(xy_buf *b)
{
	if (b->cap)
		free(b->data);
	xy_buf_init(b, b->limit);
}

void xy_buf_reset(xy_buf *b)
{
	xy_buf_truncate(b, 0);
}

void xy_buf_truncate(xy_buf *b, size_t len)
{
	if (len > b->len)
		return;
	b->len = len;
	if (b->cap)
		b->data[len] = '\0';
}

char *xy_buf_detach(xy_buf *b, size_t *len)
{
	char *p;
	if (len)
		*len = b->len;
	if (!b->cap) {
		p = malloc(1);
		if (p)
			p[0] = '\0';
	} else {
		p = b->data;
	}
	xy_buf_init(b, b->limit);
	return p;
}

xy_code xy_buf_grow(xy_buf *b, size_t extra)
{
	size_t need, cap;
	char *p;
	if (extra > SIZE_MAX - b->len - 1)
		return XY_ERR_NOMEM;
	need = b->len + extra + 1;
	if (b->limit && b->len + extra > b->limit)
		return XY_ERR_LIMIT;
	if (need <= b->cap)
		return XY_OK;
	cap = b->cap ? b->cap : 64;
	while (cap < need)
		cap = cap > SIZE_MAX / 2 ? need : cap * 2;
	p = b->cap ? realloc(b->data, cap) : malloc(cap);
	if (!p)
		return XY_ERR_NOMEM;
	if (!b->cap)
		p[0] = '\0';
	b->data = p;
	b->cap = cap;
	return XY_OK;
}

xy_code xy_buf_add(xy_buf *b, const void *p, size_t n)
{
	xy_code rc = xy_buf_grow(b, n);
	if (rc)
		return rc;
	if (n)
		memcpy(b->data + b->len, p, n);
	b->len += n;
	b->data[b->len] = '\0';
	return XY_OK;
}

xy_code xy_buf_addstr(xy_buf *b, const char *s)
{
	return xy_buf_add(b, s, strlen(s));
}

xy_code xy_buf_addch(xy_buf *b, char c)
{
	return xy_buf_add(b, &c, 1);
}

xy_code xy_buf_vaddf(xy_buf *b, const char *fmt, va_list ap)
{
	va_list cp;
	int n;
	xy_code rc;
	va_copy(cp, ap);
	n = vsnprintf(NULL, 0, fmt, cp);
	va_end(cp);
	if (n < 0)
		return XY_ERR_ARG;
	rc = xy_buf_grow(b, (size_t)n);
	if (rc)
		return rc;
	vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
	b->len += (size_t)n;
	return XY_OK;
}

xy_code xy_buf_addf(xy_buf *b, const char *fmt, ...)
{
	va_list ap;
	xy_code rc;
	va_start(ap, fmt);
	rc = xy_buf_vaddf(b, fmt, ap);
	va_end(ap);
	return rc;
}

/* Hand-written rather than jansson's json_dumps: the importer serialises every
 * accepted row, and building a json_t per row costs more than the whole insert. */
static xy_code addjson(xy_buf *b, const char *s, size_t n);

/* Escapes may pass the limit half-way: then undo, so a failed append leaves
 * the buffer as it was (as buf.h promises). */
xy_code xy_buf_addjson(xy_buf *b, const char *s, size_t n)
{
	size_t len = b->len;
	xy_code rc = addjson(b, s, n);
	if (rc)
		xy_buf_truncate(b, len);
	return rc;
}

#define ONES UINT64_C(0x0101010101010101)
#define HIGH UINT64_C(0x8080808080808080)

/* The first i' >= i with s[i'] a byte JSON must escape (< 0x20, '"', '\\'),
 * or n.  Eight bytes a step while none of them is one (the bit tricks only
 * answer "any such byte?"; the last loop finds which).  Every field of every
 * imported row goes through here. */
static size_t plain_run(const unsigned char *s, size_t i, size_t n)
{
	while (n - i >= 8) {
		uint64_t x, q, bs;
		memcpy(&x, s + i, 8);
		q = x ^ (ONES * '"');
		bs = x ^ (ONES * '\\');
		if (((x - ONES * 0x20) & ~x & HIGH) | ((q - ONES) & ~q & HIGH) |
		    ((bs - ONES) & ~bs & HIGH))
			break;
		i += 8;
	}
	while (i < n && s[i] >= 0x20 && s[i] != '"' && s[i] != '\\')
		i++;
	return i;
}

static xy_code addjson(xy_buf *b, const char *s, size_t n)
{
	static const char hex[] = "0123456789abcdef";
	xy_code rc = n > SIZE_MAX - 2 ? XY_ERR_NOMEM : xy_buf_grow(b, n + 2);
	size_t i, run = 0;
	if (rc)
		return rc;
	b->data[b->len++] = '"';
	for (i = 0; (i = plain_run((const unsigned char *)s, i, n)) < n; i++) {
		unsigned char c = (unsigned char)s[i];
		char esc[7];
		size_t elen = 0;
		if ((rc = xy_buf_add(b, s + run, i - run)))
			return rc;
		esc[0] = '\\';
		switch (c) {
		case '"': esc[1] = '"'; elen = 2; break;
		case '\\': esc[1] = '\\'; elen = 2; break;
		case '\n': esc[1] = 'n'; elen = 2; break;
		case '\r': esc[1] = 'r'; elen = 2; break;
		case '\t': esc[1] = 't'; elen = 2; break;
		default:
			esc[1] = 'u'; esc[2] = '0'; esc[3] = '0';
			esc[4] = hex[c >> 4]; esc[5] = hex[c & 15];
			elen = 6;
		}
		if ((rc = xy_buf_add(b, esc, elen)))
			return rc;
		run = i + 1;
	}
	if ((rc = xy_buf_add(b, s + run, n - run)))
		return rc;
	return xy_buf_addch(b, '"');
}

void *xy_array_grow(void *v, size_t n, size_t *cap, size_t size, size_t first)
{
	size_t nc;
	if (n < *cap)
		return v;
	nc = *cap ? *cap * 2 : (first ? first : 1);
	if (nc < *cap || (size && nc > SIZE_MAX / size))
		return NULL;
	if (!(v = realloc(v, nc * size)))
		return NULL;
	*cap = nc;
	return v;
}
