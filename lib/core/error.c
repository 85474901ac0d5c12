#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "xinyong/error.h"

/* An error holds messages, not data: a text longer than its field is cut,
 * on a UTF-8 character boundary and marked with "…", never mid-character.
 * want is what vsnprintf/snprintf said the whole text needs. */
static void mark_cut(char *dst, size_t n, int want)
{
	static const char mark[] = "\u2026"; /* … : 3 bytes */
	size_t end;
	if (want < 0 || (size_t)want < n || n < sizeof mark)
		return;
	end = n - sizeof mark; /* the first byte dropped */
	while (end && ((unsigned char)dst[end] & 0xC0) == 0x80)
		end--;
	memcpy(dst + end, mark, sizeof mark);
}

static void copy(char *dst, size_t n, const char *src)
{
	if (!src)
		src = "";
	mark_cut(dst, n, snprintf(dst, n, "%s", src));
}

static xy_code vset(xy_error *err, xy_code code, const char *file, long row,
		    const char *field, const char *fmt, va_list ap)
{
	if (!err)
		return code;
	err->code = code;
	err->row = row;
	copy(err->file, sizeof err->file, file);
	copy(err->field, sizeof err->field, field);
	mark_cut(err->msg, sizeof err->msg, vsnprintf(err->msg, sizeof err->msg, fmt, ap));
	return code;
}

xy_code xy_error_set(xy_error *err, xy_code code, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vset(err, code, NULL, 0, NULL, fmt, ap);
	va_end(ap);
	return code;
}

xy_code xy_error_at(xy_error *err, xy_code code, const char *file, long row,
		    const char *field, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vset(err, code, file, row, field, fmt, ap);
	va_end(ap);
	return code;
}

void xy_error_clear(xy_error *err)
{
	if (err)
		memset(err, 0, sizeof *err);
}

const char *xy_code_name(xy_code code)
{
	switch (code) {
	case XY_OK: return "ok";
	case XY_ERR_NOMEM: return "nomem";
	case XY_ERR_IO: return "io";
	case XY_ERR_ARG: return "arg";
	case XY_ERR_FORMAT: return "format";
	case XY_ERR_ENCODING: return "encoding";
	case XY_ERR_LIMIT: return "limit";
	case XY_ERR_NOTFOUND: return "notfound";
	case XY_ERR_INVALID: return "invalid";
	case XY_ERR_STORE: return "store";
	case XY_ERR_CONFIG: return "config";
	case XY_ERR_CONFLICT: return "conflict";
	case XY_ERR_AUTH: return "auth";
	case XY_ERR_EXPIRED: return "expired";
	case XY_ERR_REVOKED: return "revoked";
	case XY_ERR_DENIED: return "denied";
	case XY_ERR_BUSY: return "busy";
	case XY_ERR_UNSUPPORTED: return "unsupported";
	}
	return "unknown";
}

void xy_error_format(const xy_error *err, char *out, size_t outsz)
{
	size_t n = 0;
	if (!outsz)
		return;
	out[0] = '\0';
	if (err->file[0])
		n += (size_t)snprintf(out + n, outsz - n, "%s:", err->file);
	if (n < outsz && err->row > 0)
		n += (size_t)snprintf(out + n, outsz - n, "%ld:", err->row);
	if (n < outsz && n > 0)
		n += (size_t)snprintf(out + n, outsz - n, " ");
	if (n < outsz && err->field[0])
		n += (size_t)snprintf(out + n, outsz - n, "%s: ", err->field);
	if (n < outsz)
		n += (size_t)snprintf(out + n, outsz - n, "%s", err->msg);
	mark_cut(out, outsz, n > (size_t)INT_MAX ? INT_MAX : (int)n);
}
