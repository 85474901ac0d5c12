/* xinyong: the SQLite backend's data quality reads (issue 8).  Split from
 * sqlite.c.  These statements run a few times per report, so they are
 * prepared per call instead of taking statement slots. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "xinyong/buf.h"
#include "xinyong/store.h"
#include "sqlite_int.h"

static xy_code q_prep(sq_store *s, const char *sql, sqlite3_stmt **st, xy_error *err)
{
	int rc = sqlite3_prepare_v2(s->db, sql, -1, st, NULL);
	if (rc != SQLITE_OK) {
		*st = NULL;
		return sq_fail(s, rc, "preparing a statement", err);
	}
	return XY_OK;
}

/* Binds ?1 from month, ?2 to month (NULL: open) and ?3 the unit (0: all). */
static void q_bind_range(sq_store *s, sqlite3_stmt *st, const char *from, const char *to, int64_t unit_id)
{
	sq_bind_str(s, st, 1, from);
	sq_bind_str(s, st, 2, to);
	sq_bind_int64(s, st, 3, unit_id);
}

/* the months' batches: ?1 ?2 months, ?3 unit */
#define Q_BATCH_RANGE \
	" (?1 IS NULL OR substr(b.reported_on, 1, 7) >= ?1)" \
	" AND (?2 IS NULL OR substr(b.reported_on, 1, 7) <= ?2)" \
	" AND (?3 = 0 OR b.unit_id = ?3)"

xy_code xy__sq_quality_records(xy_store *base, const char *from, const char *to,
				  int64_t unit_id, const int64_t *data_categories, size_t ndata,
				  xy_quality_record_cb cb, void *ctx, xy_error *err)
{
	sq_store *s = SQ(base);
	sqlite3_stmt *st = NULL;
	xy_buf ids = XY_BUF_INIT;
	/* Records drive the join (CROSS JOIN keeps that order): nothing indexes
	 * records by batch (migration 3), so one pass over the records (or over
	 * one unit's, through the unique index's unit prefix) with a primary-key
	 * probe into the few batches beats a scan of the records per batch.  ?4
	 * is a JSON array of the category ids whose data is read. */
#define Q_REC_COLS \
	"SELECT r.unit_id, r.category_id, r.decided_on, b.started_at," \
	" CASE WHEN r.category_id IN (SELECT value FROM json_each(?4)) THEN xy_dec(r.data) END" \
	" FROM records r CROSS JOIN batches b ON b.id = r.first_batch"
	const char *sql = unit_id ? Q_REC_COLS " WHERE r.unit_id = ?3 AND b.status = 'committed'"
					       " AND" Q_BATCH_RANGE
				  : Q_REC_COLS " WHERE b.status = 'committed' AND" Q_BATCH_RANGE;
#undef Q_REC_COLS
	xy_code rc;
	int src;
	xy_buf_addch(&ids, '[');
	for (size_t i = 0; i < ndata; i++)
		xy_buf_addf(&ids, "%s%lld", i ? "," : "", (long long)data_categories[i]);
	if (xy_buf_addch(&ids, ']')) {
		xy_buf_release(&ids);
		return xy_error_set(err, XY_ERR_NOMEM, "out of memory");
	}
	if ((rc = q_prep(s, sql, &st, err))) {
		xy_buf_release(&ids);
		return rc;
	}
	q_bind_range(s, st, from, to, unit_id);
	sq_bind_str(s, st, 4, ids.data);
	while ((src = sq_step(s, st)) == SQLITE_ROW) {
		xy_quality_record r = { sqlite3_column_int64(st, 0), sqlite3_column_int64(st, 1),
					sq_col_or_null(st, 2), sq_col_or_null(st, 3),
					sq_col_or_null(st, 4) };
		if (cb(ctx, &r))
			break;
	}
	if (src != SQLITE_ROW && src != SQLITE_DONE)
		rc = sq_fail(s, src, "reading records for the quality report", err);
	sqlite3_finalize(st);
	xy_buf_release(&ids);
	return rc;
}

xy_code xy__sq_quality_batches(xy_store *base, const char *from, const char *to,
				  int64_t unit_id, xy_quality_batches_cb cb, void *ctx,
				  xy_error *err)
{
	sq_store *s = SQ(base);
	sqlite3_stmt *st = NULL;
	xy_code rc = q_prep(
		s,
		"SELECT b.unit_id, b.category_id, count(*), sum(b.status = 'refused'),"
		" sum(b.rejected),"
		" sum((SELECT count(DISTINCT e.\"row\") FROM batch_errors e WHERE e.batch_id = b.id))"
		" FROM batches b WHERE b.unit_id IS NOT NULL AND b.category_id IS NOT NULL AND"
		Q_BATCH_RANGE " GROUP BY b.unit_id, b.category_id ORDER BY b.unit_id, b.category_id",
		&st, err);
	int src;
	if (rc)
		return rc;
	q_bind_range(s, st, from, to, unit_id);
	while ((src = sq_step(s, st)) == SQLITE_ROW) {
		xy_quality_batches b = { sqlite3_column_int64(st, 0), sqlite3_column_int64(st, 1),
					 sqlite3_column_int64(st, 2), sqlite3_column_int64(st, 3),
					 sqlite3_column_int64(st, 4), sqlite3_column_int64(st, 5) };
		if (cb(ctx, &b))
			break;
	}
	if (src != SQLITE_ROW && src != SQLITE_DONE)
		rc = sq_fail(s, src, "reading batches for the quality report", err);
	sqlite3_finalize(st);
	return rc;
}

xy_code xy__sq_quality_reasons(xy_store *base, const char *from, const char *to,
				  int64_t unit_id, xy_reason_count_cb cb, void *ctx,
				  xy_error *err)
{
	sq_store *s = SQ(base);
	sqlite3_stmt *st = NULL;
	xy_code rc = q_prep(
		s,
		"SELECT b.unit_id, b.category_id, coalesce(e.reason_zh, e.reason_en, '') AS reason,"
		" count(*) AS n FROM batches b JOIN batch_errors e ON e.batch_id = b.id"
		" WHERE b.unit_id IS NOT NULL AND b.category_id IS NOT NULL AND" Q_BATCH_RANGE
		" GROUP BY b.unit_id, b.category_id, reason"
		" ORDER BY b.unit_id, b.category_id, n DESC, reason",
		&st, err);
	int src;
	if (rc)
		return rc;
	q_bind_range(s, st, from, to, unit_id);
	while ((src = sq_step(s, st)) == SQLITE_ROW) {
		xy_reason_count r = { sqlite3_column_int64(st, 0), sqlite3_column_int64(st, 1),
					sq_col_str(st, 2), sqlite3_column_int64(st, 3) };
		if (cb(ctx, &r))
			break;
	}
	if (src != SQLITE_ROW && src != SQLITE_DONE)
		rc = sq_fail(s, src, "reading rejection reasons", err);
	sqlite3_finalize(st);
	return rc;
}

xy_code xy__sq_quality_columns(xy_store *base, const char *from, const char *to,
				  int64_t unit_id, xy_column_seen_cb cb, void *ctx,
				  xy_error *err)
{
	sq_store *s = SQ(base);
	sqlite3_stmt *st = NULL;
	/* the suggestion most batches made for the header (max() on ties) */
	xy_code rc = q_prep(
		s,
		"SELECT b.unit_id, b.category_id, c.header,"
		" (SELECT c2.suggestion FROM batch_columns c2 JOIN batches b2 ON b2.id = c2.batch_id"
		"  WHERE c2.header = c.header AND b2.unit_id = b.unit_id"
		"  AND b2.category_id = b.category_id AND c2.suggestion IS NOT NULL"
		"  GROUP BY c2.suggestion ORDER BY count(*) DESC, c2.suggestion LIMIT 1),"
		" count(DISTINCT c.batch_id), sum(c.cells) AS cells"
		" FROM batches b JOIN batch_columns c ON c.batch_id = b.id"
		" WHERE b.unit_id IS NOT NULL AND b.category_id IS NOT NULL AND" Q_BATCH_RANGE
		" GROUP BY b.unit_id, b.category_id, c.header"
		" ORDER BY b.unit_id, b.category_id, cells DESC, c.header",
		&st, err);
	int src;
	if (rc)
		return rc;
	q_bind_range(s, st, from, to, unit_id);
	while ((src = sq_step(s, st)) == SQLITE_ROW) {
		xy_column_seen c = { sqlite3_column_int64(st, 0), sqlite3_column_int64(st, 1),
					sq_col_str(st, 2), sq_col_or_null(st, 3),
					sqlite3_column_int64(st, 4), sqlite3_column_int64(st, 5) };
		if (cb(ctx, &c))
			break;
	}
	if (src != SQLITE_ROW && src != SQLITE_DONE)
		rc = sq_fail(s, src, "reading unmapped columns", err);
	sqlite3_finalize(st);
	return rc;
}
