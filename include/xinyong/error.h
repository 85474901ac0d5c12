/* xinyong: the one error convention.
 *
 * Every fallible library function returns an xy_code, where XY_OK (0) is
 * success, and takes an optional `xy_error *err` (may be NULL) that it fills
 * with a human-readable message and, where known, the file, row and field the
 * failure concerns.  The library never prints and never exits; callers decide.
 */
#ifndef XINYONG_ERROR_H
#define XINYONG_ERROR_H

#include <stddef.h>

typedef enum xy_code {
	XY_OK = 0,
	XY_ERR_NOMEM,    /* allocation failed */
	XY_ERR_IO,       /* read/write/open failed (errno text in message) */
	XY_ERR_ARG,      /* caller passed something unusable (usage error) */
	XY_ERR_FORMAT,   /* a file is not what it claims: truncated zip, junk */
	XY_ERR_ENCODING, /* bytes are neither UTF-8 nor GB18030 */
	XY_ERR_LIMIT,    /* a configured limit was exceeded (cell, columns, unzip) */
	XY_ERR_NOTFOUND, /* unit, category, subject, batch does not exist */
	XY_ERR_INVALID,  /* a value failed validation */
	XY_ERR_STORE,    /* the database reported an error */
	XY_ERR_CONFIG,   /* configuration data is inconsistent */
	XY_ERR_CONFLICT, /* a uniqueness rule would be broken */
	/* authentication and roles (auth.h); a server maps them to 401/403/429 */
	XY_ERR_AUTH,     /* unknown user, wrong password, unknown or forged token */
	XY_ERR_EXPIRED,  /* a session or bearer token past its expiry */
	XY_ERR_REVOKED,  /* a revoked bearer token or a disabled user */
	XY_ERR_DENIED,   /* the principal's role or unit may not do this */
	XY_ERR_BUSY,     /* too many password hashes at once: try again later */
	XY_ERR_UNSUPPORTED, /* this backend does not implement the operation yet */
} xy_code;

typedef struct xy_error {
	xy_code code;
	long row;          /* 1-based row the error concerns, 0 when none */
	char file[256];    /* file the error concerns, "" when none */
	char field[128];   /* field/column the error concerns, "" when none */
	char msg[768];     /* message, without file/row/field prefix */
} xy_error;

#define XY_ERROR_INIT { XY_OK, 0, "", "", "" }

/* Set err (if not NULL) and return code.  msg is printf-style. */
xy_code xy_error_set(xy_error *err, xy_code code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Same, also recording the file, row (0 = none) and field (NULL = none). */
xy_code xy_error_at(xy_error *err, xy_code code, const char *file, long row,
		    const char *field, const char *fmt, ...)
	__attribute__((format(printf, 6, 7)));

void xy_error_clear(xy_error *err);

/* Short stable name of a code ("nomem", "io", "format", ...). */
const char *xy_code_name(xy_code code);

/* Render "file:row: field: message" (parts omitted when unknown) into out. */
void xy_error_format(const xy_error *err, char *out, size_t outsz);

#endif
