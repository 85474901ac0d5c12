/* xinyong: helpers shared by the files of lib/credit/ (not public API). */
#ifndef XY_CREDIT_INTERNAL_H
#define XY_CREDIT_INTERNAL_H

#include <stddef.h>

#include "xinyong/error.h"

/* A date option: "" or NULL is today, else parsed into out (YYYY-MM-DD);
 * XY_ERR_INVALID naming field when it is not a date. */
xy_code xy__credit_date(const char *in, char out[11], const char *field, xy_error *err);

/* Copy src (NULL = "") into dst[n]; XY_ERR_INVALID naming field when too long. */
xy_code xy__credit_copy(char *dst, size_t n, const char *src, const char *field, xy_error *err);

#endif
