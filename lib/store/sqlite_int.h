/* xinyong: what the SQLite backend's files share (sqlite.c holds the handle,
 * the schema and the migrations; sqlite_auth.c and later files one domain
 * each).  Internal to lib/store. */
#ifndef XY_STORE_SQLITE_INT_H
#define XY_STORE_SQLITE_INT_H

#include <sqlite3.h>

#include "backend.h"

/* Statement slots a handle keeps for the other files, each file its own
 * range: sqlite_auth.c [0, 32), sqlite_public.c [32, 40), sqlite_unit.c [40, 56),
 * sqlite_report.c [56, 64), sqlite_apps.c [64, 72), sqlite_units.c [72, 80),
 * sqlite_grade.c [80, 96), sqlite_inspect.c [112, 128). */
#define XY__SQ_EXTRA 128
#define XY__SQ_PUBLIC 32
#define XY__SQ_UNIT 40
#define XY__SQ_REPORT 56
#define XY__SQ_APPS 64
#define XY__SQ_UNITS 72
#define XY__SQ_GRADE 80
#define XY__SQ_INSPECT 112

sqlite3 *xy__sq_db(xy_store *s);
/* Wrap the SQLite error rc into err (as the backend does everywhere). */
xy_code xy__sq_fail(xy_store *s, int rc, const char *what, xy_error *err);
/* The statement of `slot`, prepared from sql the first time (persistent),
 * ready for binding; callers reset it after use. */
xy_code xy__sq_prep(xy_store *s, unsigned slot, const char *sql, sqlite3_stmt **out,
		    xy_error *err);

/* A text column, "" for NULL (valid until the next step or reset). */
static inline const char *xy__sq_col(sqlite3_stmt *st, int i)
{
	const unsigned char *t = sqlite3_column_text(st, i);
	return t ? (const char *)t : "";
}

/* Bind v (NULL as ""), borrowed until the statement is reset. */
static inline void xy__sq_bind_str(sqlite3_stmt *st, int i, const char *v)
{
	sqlite3_bind_text(st, i, v ? v : "", -1, SQLITE_STATIC);
}

/* Step a bound statement that answers one integer row into *out, then reset. */
static inline xy_code xy__sq_one_int64(xy_store *s, sqlite3_stmt *st, const char *what,
				       int64_t *out, xy_error *err)
{
	int src = sqlite3_step(st);
	xy_code rc = XY_OK;
	if (src == SQLITE_ROW)
		*out = sqlite3_column_int64(st, 0);
	else
		rc = xy__sq_fail(s, src, what, err);
	sqlite3_reset(st);
	return rc;
}

extern const struct xy__store_auth_ops xy__sqlite_auth_ops;
extern const struct xy__store_public_ops xy__sqlite_public_ops;
extern const struct xy__store_unit_ops xy__sqlite_unit_ops;
extern const struct xy__store_report_ops xy__sqlite_report_ops;
extern const struct xy__store_apps_ops xy__sqlite_apps_ops;
extern const struct xy__store_units_ops xy__sqlite_units_ops;
extern const struct xy__store_grade_ops xy__sqlite_grade_ops;
extern const struct xy__store_inspect_ops xy__sqlite_inspect_ops;
/* The former names of reg's units (loaded already) into their aliases. */
xy_code xy__sq_unit_aliases_load(xy_store *s, xy_registry *reg, xy_error *err);

/* Personal ID numbers at rest (sqlite_pii.c, pii.h). */
/* A subject's code as domain code sees it, for every statement of the
 * backend's files (the rules at the top of sqlite.c): subjects.code holds the
 * keyed hash of a personal number and code_enc the number encrypted. */
#define SCODE(a) "coalesce(xy_dec(" #a ".code_enc), " #a ".code)"
struct xy__pii;
/* The keys for the database at dbpath (path as opened), checked against
 * the key id it records: *out is the caller's (xy__sq_pii_free). */
xy_code xy__sq_pii_open(xy_store *s, const char *dbpath, struct xy__pii **out, xy_error *err);
/* Bind the SQL functions (xy_enc, xy_dec, xy_lk …) of p to the connection. */
xy_code xy__sq_pii_register(xy_store *s, struct xy__pii *p, xy_error *err);
void xy__sq_pii_free(struct xy__pii *p);
/* The handle's keys (never NULL on an open handle). */
struct xy__pii *xy__sq_pii(xy_store *s);
/* Rotate the key (xy_store_rekey). */
xy_code xy__sq_rekey(xy_store *s, struct xy__pii *p, xy_rekey_fn progress, void *ctx,
		     xy_error *err);

#endif
