/* Small UTF-8 text helpers shared by ingest, store and CLI. */
#include <stdbool.h>
#include <stddef.h>

#include <stdlib.h>
#include <string.h>

#include "xinyong/buf.h"
#include "xinyong/text.h"

static bool is_blank(const unsigned char *u, size_t left, size_t *w)
{
	if (*u == ' ' || *u == '\t' || *u == '\r' || *u == '\n') {
		*w = 1;
		return true;
	}
	if (left >= 3 && u[0] == 0xE3 && u[1] == 0x80 && u[2] == 0x80) {
		*w = 3;
		return true;
	}
	if (left >= 2 && u[0] == 0xC2 && u[1] == 0xA0) {
		*w = 2;
		return true;
	}
	return false;
}

const char *xy_trim(const char *s, size_t *len)
{
	size_t n = *len, w;
	while (n && is_blank((const unsigned char *)s, n, &w)) {
		s += w;
		n -= w;
	}
	for (;;) {
		const unsigned char *end = (const unsigned char *)s + n;
		if (n >= 1 && (end[-1] == ' ' || end[-1] == '\t' || end[-1] == '\r' || end[-1] == '\n'))
			n -= 1;
		else if (n >= 3 && end[-3] == 0xE3 && end[-2] == 0x80 && end[-1] == 0x80)
			n -= 3;
		else if (n >= 2 && end[-2] == 0xC2 && end[-1] == 0xA0)
			n -= 2;
		else
			break;
	}
	*len = n;
	return s;
}

size_t xy_utf8_len(const char *s, size_t n)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t i = 0, chars = 0;
	while (i < n) {
		unsigned char c = u[i];
		size_t k;
		unsigned cp;
		if (c < 0x80) {
			i++;
			chars++;
			continue;
		}
		/* most Chinese text: leads E1-EC and EE-EF have no overlong or
		 * surrogate forms, two continuation bytes are all they need */
		if (c >= 0xE1 && c != 0xED && c <= 0xEF && i + 2 < n &&
		    (u[i + 1] & 0xC0) == 0x80 && (u[i + 2] & 0xC0) == 0x80) {
			i += 3;
			chars++;
			continue;
		}
		if (c >= 0xC2 && c <= 0xDF) {
			k = 1;
			cp = c & 0x1F;
		} else if (c >= 0xE0 && c <= 0xEF) {
			k = 2;
			cp = c & 0x0F;
		} else if (c >= 0xF0 && c <= 0xF4) {
			k = 3;
			cp = c & 0x07;
		} else {
			return (size_t)-1;
		}
		if (i + k >= n)
			return (size_t)-1;
		for (size_t j = 1; j <= k; j++) {
			if ((u[i + j] & 0xC0) != 0x80)
				return (size_t)-1;
			cp = (cp << 6) | (u[i + j] & 0x3F);
		}
		if ((k == 2 && (cp < 0x800 || (cp >= 0xD800 && cp <= 0xDFFF))) ||
		    (k == 3 && (cp < 0x10000 || cp > 0x10FFFF)))
			return (size_t)-1;
		i += k + 1;
		chars++;
	}
	return chars;
}

static int wide(unsigned cp)
{
	return cp >= 0x1100 &&
	       (cp <= 0x115F || (cp >= 0x2E80 && cp <= 0xA4CF) || (cp >= 0xAC00 && cp <= 0xD7A3) ||
		(cp >= 0xF900 && cp <= 0xFAFF) || (cp >= 0xFE30 && cp <= 0xFE4F) ||
		(cp >= 0xFF00 && cp <= 0xFF60) || (cp >= 0xFFE0 && cp <= 0xFFE6) ||
		(cp >= 0x20000 && cp <= 0x3FFFD));
}

/* Written here rather than with wcwidth(3), which depends on the process locale. */
size_t xy_text_width(const char *s)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t w = 0;
	while (*u) {
		int k = *u < 0x80 ? 1 : *u >= 0xF0 ? 4 : *u >= 0xE0 ? 3 : *u >= 0xC0 ? 2 : 1;
		unsigned cp = k == 1 ? *u : (unsigned)(*u & (0x7F >> k));
		for (int i = 1; i < k; i++) {
			if (!u[i])
				return w + 1;
			cp = (cp << 6) | (u[i] & 0x3Fu);
		}
		w += wide(cp) ? 2 : 1;
		u += k;
	}
	return w;
}

size_t xy_utf8_decode(const char *str, size_t n, unsigned long *cp)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t len;
	unsigned long c;
	if (!n)
		return 0;
	if (s[0] < 0x80) {
		*cp = s[0];
		return 1;
	}
	if (s[0] >= 0xC2 && s[0] <= 0xDF)
		len = 2, c = s[0] & 0x1F;
	else if (s[0] >= 0xE0 && s[0] <= 0xEF)
		len = 3, c = s[0] & 0x0F;
	else if (s[0] >= 0xF0 && s[0] <= 0xF4)
		len = 4, c = s[0] & 0x07;
	else
		return 0;
	if (n < len)
		return 0;
	for (size_t i = 1; i < len; i++) {
		if ((s[i] & 0xC0) != 0x80)
			return 0;
		c = c << 6 | (s[i] & 0x3F);
	}
	/* overlong forms and surrogates are not characters */
	if ((len == 3 && c < 0x800) || (len == 4 && (c < 0x10000 || c > 0x10FFFF)) ||
	    (c >= 0xD800 && c <= 0xDFFF))
		return 0;
	*cp = c;
	return len;
}

size_t xy_utf8_seq(const char *s, size_t n)
{
	unsigned long cp;
	return xy_utf8_decode(s, n, &cp);
}

json_t *xy_json_text(const char *s, bool *escaped)
{
	json_t *j;
	xy_buf b = XY_BUF_INIT;
	size_t n;
	if (escaped)
		*escaped = false;
	if (!s)
		return json_null();
	if ((j = json_string(s)))
		return j;
	n = strlen(s);
	while (n) {
		size_t k = xy_utf8_seq(s, n);
		xy_code rc;
		if (k) {
			rc = xy_buf_add(&b, s, k);
		} else {
			rc = xy_buf_addf(&b, "\\x%02X", (unsigned char)*s);
			k = 1;
			if (escaped)
				*escaped = true;
		}
		if (rc) {
			xy_buf_release(&b);
			return NULL;
		}
		s += k;
		n -= k;
	}
	j = json_string(b.data);
	xy_buf_release(&b);
	return j;
}

static xy_code json_dump_value(const json_t *v, xy_buf *b)
{
	xy_code rc = XY_OK;
	bool first = true;
	switch (json_typeof(v)) {
	case JSON_OBJECT: {
		const char *k;
		size_t klen;
		json_t *m;
		rc = xy_buf_addch(b, '{');
		json_object_keylen_foreach((json_t *)v, k, klen, m) {
			if (!rc && !first)
				rc = xy_buf_addch(b, ',');
			first = false;
			if (!rc)
				rc = xy_buf_addjson(b, k, klen);
			if (!rc)
				rc = xy_buf_addch(b, ':');
			if (!rc)
				rc = json_dump_value(m, b);
			if (rc)
				break;
		}
		return rc ? rc : xy_buf_addch(b, '}');
	}
	case JSON_ARRAY: {
		size_t i;
		json_t *m;
		rc = xy_buf_addch(b, '[');
		json_array_foreach((json_t *)v, i, m) {
			if (!rc && i)
				rc = xy_buf_addch(b, ',');
			if (!rc)
				rc = json_dump_value(m, b);
			if (rc)
				break;
		}
		return rc ? rc : xy_buf_addch(b, ']');
	}
	case JSON_STRING:
		return xy_buf_addjson(b, json_string_value(v), json_string_length(v));
	case JSON_INTEGER:
		return xy_buf_addf(b, "%" JSON_INTEGER_FORMAT, json_integer_value(v));
	case JSON_REAL: {
		/* jansson's own spelling of a double (shortest that reads back) */
		char *s = json_dumps(v, JSON_ENCODE_ANY);
		rc = s ? xy_buf_addstr(b, s) : XY_ERR_NOMEM;
		free(s);
		return rc;
	}
	case JSON_TRUE:
		return xy_buf_add(b, "true", 4);
	case JSON_FALSE:
		return xy_buf_add(b, "false", 5);
	case JSON_NULL:
		return xy_buf_add(b, "null", 4);
	}
	return XY_ERR_INVALID;
}

xy_code xy_json_dump(const json_t *v, xy_buf *out)
{
	size_t len = out->len;
	xy_code rc = v ? json_dump_value(v, out) : XY_ERR_INVALID;
	if (rc)
		xy_buf_truncate(out, len);
	return rc;
}
