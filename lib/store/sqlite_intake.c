/* xinyong: the SQLite backend's intake: column mappings, the sheets of a batch, unmapped columns.
 * Split from sqlite.c; every value bound, each statement prepared once per
 * handle in its slot (xy__sq_prep, [XY__SQ_INTAKE, +16)). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "xinyong/buf.h"
#include "xinyong/store.h"
#include "sqlite_int.h"

enum st {
	ST_MAP_EXISTS,
	ST_MAP_PUT,
	ST_MAP_REMOVE,
	ST_MAP_LIST,
	ST_BSHEET_ADD,
	ST_BSHEET_LIST,
	ST_BCOL_ADD,
	ST_BCOL_LIST,
	ST__N
};


static const char *const sql_text[ST__N] = {
	[ST_MAP_EXISTS] =
		"SELECT 1 FROM column_mappings WHERE unit_id = ?1 AND category_id = ?2"
		" AND header = ?3",
	[ST_MAP_PUT] =
		"INSERT INTO column_mappings(unit_id, category_id, header, field_code, created_at)"
		" VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT(unit_id, category_id, header)"
		" DO UPDATE SET field_code = excluded.field_code, created_at = excluded.created_at",
	[ST_MAP_REMOVE] =
		"DELETE FROM column_mappings WHERE unit_id = ?1 AND category_id = ?2 AND header = ?3",
	[ST_MAP_LIST] =
		"SELECT m.unit_id, m.category_id, m.header, m.field_code, m.created_at"
		" FROM column_mappings m JOIN units u ON u.id = m.unit_id"
		" WHERE (?1 = 0 OR m.unit_id = ?1) AND (?2 = 0 OR m.category_id = ?2)"
		" ORDER BY u.sort, u.id, m.category_id, m.header",
	[ST_BSHEET_ADD] =
		"INSERT INTO batch_sheets(batch_id, seq, sheet, header_row, \"rows\", note)"
		" VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
	[ST_BSHEET_LIST] =
		"SELECT batch_id, seq, sheet, header_row, \"rows\", note FROM batch_sheets"
		" WHERE batch_id = ?1 ORDER BY seq",
	[ST_BCOL_ADD] =
		"INSERT INTO batch_columns(batch_id, sheet, col, header, suggestion, cells)"
		" VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
	[ST_BCOL_LIST] =
		"SELECT c.batch_id, c.sheet, c.col, c.header, c.suggestion, c.cells"
		" FROM batch_columns c LEFT JOIN batch_sheets s"
		" ON s.batch_id = c.batch_id AND s.sheet = c.sheet"
		" WHERE c.batch_id = ?1 ORDER BY s.seq, c.col",
};

static xy_code prep(sq_store *s, enum st id, sqlite3_stmt **out, xy_error *err)
{
	return xy__sq_prep(&s->base, XY__SQ_INTAKE + id, sql_text[id], out, err);
}

xy_code xy__sq_mapping_put(xy_store *base, const xy_mapping *m, bool *replaced,
			      xy_error *err)
{
	sq_store *s = SQ(base);
	sqlite3_stmt *st = NULL;
	char at[32];
	int src;
	xy_code rc = prep(s, ST_MAP_EXISTS, &st, err);
	if (rc)
		return rc;
	sq_bind_int64(s, st, 1, m->unit_id);
	sq_bind_int64(s, st, 2, m->category_id);
	sq_bind_str(s, st, 3, m->header);
	src = sq_step(s, st);
	sqlite3_reset(st);
	if (src != SQLITE_ROW && src != SQLITE_DONE)
		return sq_fail(s, src, "reading a column mapping", err);
	*replaced = src == SQLITE_ROW;
	if ((rc = prep(s, ST_MAP_PUT, &st, err)))
		return rc;
	sq_now_iso(at);
	sq_bind_int64(s, st, 1, m->unit_id);
	sq_bind_int64(s, st, 2, m->category_id);
	sq_bind_str(s, st, 3, m->header);
	sq_bind_str(s, st, 4, m->field_code);
	sq_bind_str(s, st, 5, at);
	return sq_run(s, st, "storing a column mapping", err);
}

xy_code xy__sq_mapping_remove(xy_store *base, int64_t unit_id, int64_t category_id,
				 const char *header, xy_error *err)
{
	sq_store *s = SQ(base);
	sqlite3_stmt *st = NULL;
	xy_code rc = prep(s, ST_MAP_REMOVE, &st, err);
	if (rc)
		return rc;
	sq_bind_int64(s, st, 1, unit_id);
	sq_bind_int64(s, st, 2, category_id);
	sq_bind_str(s, st, 3, header);
	if ((rc = sq_run(s, st, "removing a column mapping", err)))
		return rc;
	return sqlite3_changes(s->db) ? XY_OK : XY_ERR_NOTFOUND;
}

xy_code xy__sq_mappings(xy_store *base, int64_t unit_id, int64_t category_id,
			   xy_mapping_cb cb, void *ctx, xy_error *err)
{
	sq_store *s = SQ(base);
	sqlite3_stmt *st = NULL;
	xy_code rc = prep(s, ST_MAP_LIST, &st, err);
	int src;
	if (rc)
		return rc;
	sq_bind_int64(s, st, 1, unit_id);
	sq_bind_int64(s, st, 2, category_id);
	while ((src = sq_step(s, st)) == SQLITE_ROW) {
		xy_mapping m = { sqlite3_column_int64(st, 0), sqlite3_column_int64(st, 1),
				 sq_col_str(st, 2), sq_col_str(st, 3), sq_col_str(st, 4) };
		if (cb(ctx, &m))
			break;
	}
	rc = xy__sq_done(s, st, src, rc, "reading column mappings", err);
	return rc;
}

xy_code xy__sq_batch_sheet_add(xy_store *base, const xy_batch_sheet *sh, xy_error *err)
{
	sq_store *s = SQ(base);
	sqlite3_stmt *st = NULL;
	xy_code rc = prep(s, ST_BSHEET_ADD, &st, err);
	if (rc)
		return rc;
	sq_bind_int64(s, st, 1, sh->batch_id);
	sq_bind_int(s, st, 2, sh->seq);
	sq_bind_str(s, st, 3, sh->sheet);
	if (sh->header_row > 0)
		sq_bind_int64(s, st, 4, sh->header_row);
	else
		sq_bind_null(s, st, 4);
	sq_bind_int64(s, st, 5, sh->rows);
	sq_bind_opt(s, st, 6, sh->note);
	return sq_run(s, st, "recording a sheet", err);
}

xy_code xy__sq_batch_sheets(xy_store *base, int64_t batch_id, xy_batch_sheet_cb cb,
			       void *ctx, xy_error *err)
{
	sq_store *s = SQ(base);
	sqlite3_stmt *st = NULL;
	xy_code rc = prep(s, ST_BSHEET_LIST, &st, err);
	int src;
	if (rc)
		return rc;
	sq_bind_int64(s, st, 1, batch_id);
	while ((src = sq_step(s, st)) == SQLITE_ROW) {
		xy_batch_sheet sh = { sqlite3_column_int64(st, 0), sqlite3_column_int(st, 1),
				      sq_col_str(st, 2), (long)sqlite3_column_int64(st, 3),
				      (long)sqlite3_column_int64(st, 4), sq_col_or_null(st, 5) };
		if (cb(ctx, &sh))
			break;
	}
	rc = xy__sq_done(s, st, src, rc, "reading a batch's sheets", err);
	return rc;
}

xy_code xy__sq_batch_column_add(xy_store *base, const xy_batch_column *c, xy_error *err)
{
	sq_store *s = SQ(base);
	sqlite3_stmt *st = NULL;
	xy_code rc = prep(s, ST_BCOL_ADD, &st, err);
	if (rc)
		return rc;
	sq_bind_int64(s, st, 1, c->batch_id);
	sq_bind_str(s, st, 2, c->sheet);
	sq_bind_int64(s, st, 3, c->col);
	sq_bind_str(s, st, 4, c->header);
	sq_bind_opt(s, st, 5, c->suggestion);
	sq_bind_int64(s, st, 6, c->cells);
	return sq_run(s, st, "recording an unmapped column", err);
}

xy_code xy__sq_batch_columns(xy_store *base, int64_t batch_id, xy_batch_column_cb cb,
				void *ctx, xy_error *err)
{
	sq_store *s = SQ(base);
	sqlite3_stmt *st = NULL;
	xy_code rc = prep(s, ST_BCOL_LIST, &st, err);
	int src;
	if (rc)
		return rc;
	sq_bind_int64(s, st, 1, batch_id);
	while ((src = sq_step(s, st)) == SQLITE_ROW) {
		xy_batch_column c = { sqlite3_column_int64(st, 0), sq_col_str(st, 1),
				      (long)sqlite3_column_int64(st, 2), sq_col_str(st, 3),
				      sq_col_or_null(st, 4), (long)sqlite3_column_int64(st, 5) };
		if (cb(ctx, &c))
			break;
	}
	rc = xy__sq_done(s, st, src, rc, "reading a batch's unmapped columns", err);
	return rc;
}
