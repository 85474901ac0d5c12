/* xinyong: helpers both backends' whole-table operations share
 * (backend.h, struct xy__store_raw_ops; sqlite_raw.c, pg_raw.c). */
#ifndef XY_STORE_RAW_H
#define XY_STORE_RAW_H

#include "backend.h"

/* A table or column name the catalogue gave: lowercase letters, digits and
 * '_', so it can stand quoted in SQL; anything else is refused. */
bool xy__raw_name_ok(const char *name);

/* "SELECT "c1", … FROM "t" ORDER BY …" into sql: by "id" alone when the
 * first column is id (unique), else by every column; text_order is appended
 * to each text column's term (PostgreSQL: COLLATE "C"), nulls_first after
 * every term (PostgreSQL: " NULLS FIRST"; SQLite sorts NULL first already).
 * from, when not NULL, stands for "t" after FROM (a subquery that gives the
 * table's columns as the other backend has them: PostgreSQL's records). */
xy_code xy__raw_select(xy_buf *sql, const char *table, const char *from,
		       const xy__raw_column *cols, size_t n, const char *text_order,
		       const char *nulls_first, xy_error *err);



#endif
