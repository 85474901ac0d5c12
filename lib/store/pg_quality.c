/* xinyong: PostgreSQL backend, the data quality reads (issue 8; sqlite_quality.c is the
 * reference behaviour).  They run a few times per report: plain statements, not
 * prepared (pg_int.h). */
#include "pg_int.h"

/* the months' batches: $1 $2 months (NULL: open), $3 unit (0: all) */
#define Q_BATCH_RANGE                                                                              \
	" ($1::text IS NULL OR substr(b.reported_on, 1, 7) >= $1 COLLATE \"C\")"                  \
	" AND ($2::text IS NULL OR substr(b.reported_on, 1, 7) <= $2 COLLATE \"C\")"              \
	" AND ($3::bigint = 0 OR b.unit_id = $3)"

static xy_code q_run(pg_store *s, const char *sql, const char *from, const char *to,
		     int64_t unit_id, const char *ids, const char *what, PGresult **r,
		     xy_error *err)
{
	pq_args a = { .n = 0 };
	a_str(&a, from);
	a_str(&a, to);
	a_int(&a, unit_id);
	if (ids)
		a_str(&a, ids);
	return pq(s, sql, &a, what, r, err);
}

xy_code xy__pg_quality_records(xy_store *base, const char *from, const char *to,
			       int64_t unit_id, const int64_t *data_categories, size_t ndata,
			       xy_quality_record_cb cb, void *ctx, xy_error *err)
{
	pg_store *s = PG(base);
	xy_buf ids = XY_BUF_INIT, data = XY_BUF_INIT;
	PGresult *r = NULL;
	xy_code rc;
	/* $4: the category ids whose data is read, as an array literal */
	xy_buf_addch(&ids, '{');
	for (size_t i = 0; i < ndata; i++)
		xy_buf_addf(&ids, "%s%lld", i ? "," : "", (long long)data_categories[i]);
	if (xy_buf_addch(&ids, '}')) {
		xy_buf_release(&ids);
		return xy_error_set(err, XY_ERR_NOMEM, "out of memory");
	}
	rc = q_run(s,
		   "SELECT r.unit_id, r.category_id, r.decided_on, b.started_at,"
		   " CASE WHEN r.category_id = ANY($4::bigint[]) THEN r.data END"
		   " FROM records r JOIN batches b ON b.id = r.first_batch"
		   " WHERE b.status = 'committed' AND" Q_BATCH_RANGE " ORDER BY r.id",
		   from, to, unit_id, ids.data, "reading records for the quality report", &r, err);
	xy_buf_release(&ids);
	for (int i = 0; !rc && i < PQntuples(r); i++) {
		xy_quality_record q = { ci(r, i, 0), ci(r, i, 1), cv_or_null(r, i, 2),
					cv_or_null(r, i, 3), NULL };
		if (!PQgetisnull(r, i, 4)) {
			if ((rc = xy__pg_col_dec(s, r, i, 4, &data, err)))
				break;
			q.data = data.data;
		}
		if (cb(ctx, &q))
			break;
	}
	PQclear(r);
	if (data.data)
		sodium_memzero(data.data, data.len);
	xy_buf_release(&data);
	return rc;
}

xy_code xy__pg_quality_batches(xy_store *base, const char *from, const char *to,
			       int64_t unit_id, xy_quality_batches_cb cb, void *ctx,
			       xy_error *err)
{
	PGresult *r = NULL;
	xy_code rc = q_run(
		PG(base),
		"SELECT b.unit_id, b.category_id, count(*), count(*) FILTER"
		" (WHERE b.status = 'refused'),"
		" sum(b.rejected),"
		" sum((SELECT count(DISTINCT e.\"row\") FROM"
		" batch_errors e WHERE e.batch_id = b.id))"
		" FROM batches b WHERE b.unit_id IS NOT NULL AND b.category_id IS NOT NULL AND"
		Q_BATCH_RANGE " GROUP BY b.unit_id, b.category_id"
		" ORDER BY b.unit_id, b.category_id",
		from, to, unit_id, NULL, "reading batches for the quality report", &r, err);
	for (int i = 0; !rc && i < PQntuples(r); i++) {
		xy_quality_batches b = { ci(r, i, 0), ci(r, i, 1), ci(r, i, 2),
					 ci(r, i, 3), ci(r, i, 4), ci(r, i, 5) };
		if (cb(ctx, &b))
			break;
	}
	PQclear(r);
	return rc;
}

xy_code xy__pg_quality_reasons(xy_store *base, const char *from, const char *to,
			       int64_t unit_id, xy_reason_count_cb cb, void *ctx,
			       xy_error *err)
{
	PGresult *r = NULL;
	xy_code rc = q_run(
		PG(base),
		"SELECT b.unit_id, b.category_id, coalesce(e.reason_zh, e.reason_en, '') AS reason,"
		" count(*) AS n FROM batches b JOIN batch_errors e ON e.batch_id = b.id"
		" WHERE b.unit_id IS NOT NULL AND b.category_id IS NOT NULL AND" Q_BATCH_RANGE
		" GROUP BY b.unit_id, b.category_id, reason"
		" ORDER BY b.unit_id, b.category_id, n DESC,"
		" coalesce(e.reason_zh, e.reason_en, '') COLLATE \"C\"",
		from, to, unit_id, NULL, "reading rejection reasons", &r, err);
	for (int i = 0; !rc && i < PQntuples(r); i++) {
		xy_reason_count c = { ci(r, i, 0), ci(r, i, 1), cv(r, i, 2), ci(r, i, 3) };
		if (cb(ctx, &c))
			break;
	}
	PQclear(r);
	return rc;
}

xy_code xy__pg_quality_columns(xy_store *base, const char *from, const char *to,
			       int64_t unit_id, xy_column_seen_cb cb, void *ctx,
			       xy_error *err)
{
	PGresult *r = NULL;
	/* the suggestion most batches made for the header (the first by bytes on ties) */
	xy_code rc = q_run(
		PG(base),
		"SELECT b.unit_id, b.category_id, c.header,"
		" (SELECT c2.suggestion FROM batch_columns c2 JOIN"
		" batches b2 ON b2.id = c2.batch_id"
		"  WHERE c2.header = c.header AND b2.unit_id = b.unit_id"
		"  AND b2.category_id = b.category_id AND c2.suggestion IS NOT NULL"
		"  GROUP BY c2.suggestion ORDER BY count(*) DESC,"
		" c2.suggestion COLLATE \"C\" LIMIT 1),"
		" count(DISTINCT c.batch_id), sum(c.cells) AS cells"
		" FROM batches b JOIN batch_columns c ON c.batch_id = b.id"
		" WHERE b.unit_id IS NOT NULL AND b.category_id IS NOT NULL AND" Q_BATCH_RANGE
		" GROUP BY b.unit_id, b.category_id, c.header"
		" ORDER BY b.unit_id, b.category_id, cells DESC, c.header COLLATE \"C\"",
		from, to, unit_id, NULL, "reading unmapped columns", &r, err);
	for (int i = 0; !rc && i < PQntuples(r); i++) {
		xy_column_seen c = { ci(r, i, 0), ci(r, i, 1), cv(r, i, 2), cv_or_null(r, i, 3),
				     ci(r, i, 4), ci(r, i, 5) };
		if (cb(ctx, &c))
			break;
	}
	PQclear(r);
	return rc;
}
