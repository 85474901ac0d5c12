/* xinyong: PostgreSQL backend, intake: column mappings, the sheets and unmapped columns of a
 * batch (pg_int.h). */
#include "pg_int.h"

/* ---- intake: mappings (read), sheets and unmapped columns (write) ---- */

xy_code xy__pg_mappings(xy_store *base, int64_t unit_id, int64_t category_id,
			xy_mapping_cb cb, void *ctx, xy_error *err)
{
	pq_args a = { .n = 0 };
	PGresult *r = NULL;
	xy_code rc;
	a_int(&a, unit_id);
	a_int(&a, category_id);
	if ((rc = pq(PG(base), "SELECT m.unit_id, m.category_id, m.header, m.field_code,"
		     " m.created_at FROM column_mappings m JOIN units u ON u.id = m.unit_id"
		     " WHERE ($1 = 0 OR m.unit_id = $1) AND ($2 = 0 OR m.category_id = $2)"
		     " ORDER BY u.sort, u.id, m.category_id, m.header COLLATE \"C\"", &a,
		     "reading column mappings", &r, err)))
		return rc;
	for (int i = 0; i < PQntuples(r); i++) {
		xy_mapping m = { ci(r, i, 0), ci(r, i, 1), cv(r, i, 2), cv(r, i, 3), cv(r, i, 4) };
		if (cb(ctx, &m))
			break;
	}
	PQclear(r);
	return XY_OK;
}

xy_code xy__pg_batch_sheet_add(xy_store *base, const xy_batch_sheet *sh, xy_error *err)
{
	pq_args a = { .n = 0 };
	a_int(&a, sh->batch_id);
	a_int(&a, sh->seq);
	a_str(&a, sh->sheet);
	a_id(&a, sh->header_row > 0 ? sh->header_row : 0);
	a_int(&a, sh->rows);
	a_opt(&a, sh->note);
	return pq(PG(base), "INSERT INTO batch_sheets(batch_id, seq, sheet, header_row, \"rows\","
		  " note) VALUES ($1, $2, $3, $4, $5, $6)", &a, "recording a sheet", NULL, err);
}

xy_code xy__pg_batch_column_add(xy_store *base, const xy_batch_column *c, xy_error *err)
{
	pq_args a = { .n = 0 };
	a_int(&a, c->batch_id);
	a_str(&a, c->sheet);
	a_int(&a, c->col);
	a_str(&a, c->header);
	a_opt(&a, c->suggestion);
	a_int(&a, c->cells);
	return pq(PG(base), "INSERT INTO batch_columns(batch_id, sheet, col, header, suggestion,"
		  " cells) VALUES ($1, $2, $3, $4, $5, $6)", &a, "recording an unmapped column",
		  NULL, err);
}


/* ---- intake: mapping writes, the sheets and unmapped columns of a batch ---- */

xy_code xy__pg_mapping_put(xy_store *base, const xy_mapping *m, bool *replaced, xy_error *err)
{
	pg_store *s = PG(base);
	pq_args a = { .n = 0 };
	PGresult *r = NULL;
	char at[32];
	xy_code rc;
	a_int(&a, m->unit_id);
	a_int(&a, m->category_id);
	a_str(&a, m->header);
	if ((rc = pq(s, "SELECT 1 FROM column_mappings WHERE unit_id = $1 AND category_id = $2"
		     " AND header = $3", &a, "reading a column mapping", &r, err)))
		return rc;
	*replaced = PQntuples(r) > 0;
	PQclear(r);
	now_iso(at);
	a_str(&a, m->field_code);
	a_str(&a, at);
	return pq(s, "INSERT INTO column_mappings(unit_id, category_id, header, field_code,"
		  " created_at) VALUES ($1, $2, $3, $4, $5) ON CONFLICT(unit_id, category_id, header)"
		  " DO UPDATE SET field_code = excluded.field_code, created_at = excluded.created_at",
		  &a, "storing a column mapping", NULL, err);
}

xy_code xy__pg_mapping_remove(xy_store *base, int64_t unit_id, int64_t category_id,
			      const char *header, xy_error *err)
{
	pq_args a = { .n = 0 };
	PGresult *r = NULL;
	xy_code rc;
	a_int(&a, unit_id);
	a_int(&a, category_id);
	a_str(&a, header);
	if ((rc = pq(PG(base), "DELETE FROM column_mappings WHERE unit_id = $1 AND category_id = $2"
		     " AND header = $3", &a, "removing a column mapping", &r, err)))
		return rc;
	rc = strcmp(PQcmdTuples(r), "0") ? XY_OK : XY_ERR_NOTFOUND;
	PQclear(r);
	return rc;
}

xy_code xy__pg_batch_sheets(xy_store *base, int64_t batch_id, xy_batch_sheet_cb cb,
			    void *ctx, xy_error *err)
{
	pq_args a = { .n = 0 };
	PGresult *r = NULL;
	xy_code rc;
	a_int(&a, batch_id);
	if ((rc = pq(PG(base), "SELECT batch_id, seq, sheet, header_row, \"rows\", note"
		     " FROM batch_sheets WHERE batch_id = $1 ORDER BY seq", &a,
		     "reading a batch's sheets", &r, err)))
		return rc;
	for (int i = 0; i < PQntuples(r); i++) {
		xy_batch_sheet sh = { ci(r, i, 0), (int)ci(r, i, 1), cv(r, i, 2), (long)ci(r, i, 3),
				      (long)ci(r, i, 4), cv_or_null(r, i, 5) };
		if (cb(ctx, &sh))
			break;
	}
	PQclear(r);
	return XY_OK;
}

xy_code xy__pg_batch_columns(xy_store *base, int64_t batch_id, xy_batch_column_cb cb,
			     void *ctx, xy_error *err)
{
	pq_args a = { .n = 0 };
	PGresult *r = NULL;
	xy_code rc;
	a_int(&a, batch_id);
	if ((rc = pq(PG(base), "SELECT c.batch_id, c.sheet, c.col, c.header, c.suggestion, c.cells"
		     " FROM batch_columns c LEFT JOIN batch_sheets s"
		     " ON s.batch_id = c.batch_id AND s.sheet = c.sheet"
		     " WHERE c.batch_id = $1 ORDER BY s.seq, c.col", &a,
		     "reading a batch's unmapped columns", &r, err)))
		return rc;
	for (int i = 0; i < PQntuples(r); i++) {
		xy_batch_column c = { ci(r, i, 0), cv(r, i, 1), (long)ci(r, i, 2), cv(r, i, 3),
				      cv_or_null(r, i, 4), (long)ci(r, i, 5) };
		if (cb(ctx, &c))
			break;
	}
	PQclear(r);
	return XY_OK;
}
