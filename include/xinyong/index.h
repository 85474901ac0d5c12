/* xinyong: city credit monitoring (城市信用监测) — the monthly 综合指数 and
 * national rank (the xy_city_index row is the store's, store.h), their
 * validation, the TSV the office keeps.  The chart of them is chart.h's.
 *
 * Ownership: arrays passed in are borrowed; arrays returned are malloc'd and
 * the caller's (free()).
 */
#ifndef XINYONG_INDEX_H
#define XINYONG_INDEX_H

#include <stddef.h>

#include "error.h"
#include "store.h"

/* Parse one month's figures as written by people or the bulletin: month
 * YYYY-MM, YYYY.MM or YYYY年M月; score 0..100 (综合指数); rank an integer
 * >= 1.  Errors are XY_ERR_INVALID with err->field naming the bad part. */
xy_code xy_city_index_parse(const char *month, const char *score, const char *rank,
			    xy_city_index *out, xy_error *err);

/* Read a TSV in the shape of the bulletin's 城市排名 table: a header line
 * (月份, 综合指数, 排名 — matched by name, any order, extra columns ignored)
 * and one month a line.  A bad line fails the whole file (err has its row).
 * A month given twice keeps the last.  *out is sorted by month. */
xy_code xy_city_index_read_tsv(const char *path, xy_city_index **out, size_t *n,
			       xy_error *err);

/* Keep the months in [from, to] (YYYY-MM, inclusive; NULL = open) of a
 * month-sorted array, in place; returns the new count. */
size_t xy_city_index_range(xy_city_index *v, size_t n, const char *from, const char *to);

/* Store one month's figures (replacing the month's), audited as `who`
 * ("cli:LOGIN", "token:ID", …; NULL: "index") did "index.put" of object
 * "index:YYYY-MM" with the figures before and after, in one transaction
 * (or inside the caller's). */
xy_code xy_city_index_put(xy_store *s, const char *who, const xy_city_index *v, xy_error *err);

/* "2019-03" → "2019.03", as the bulletin prints months.  out has room for 8. */
void xy_city_index_month_label(const char *month, char out[8]);

#endif
