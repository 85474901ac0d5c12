/* xinyong: PostgreSQL backend, import batches and their errors, records (the hot upsert path),
 * records by key, by id, of a batch (pg_int.h). */
#include "pg_int.h"

/* ---- batches ---- */

#define BATCH_COLS \
	"b.id, coalesce(b.unit_id, 0), coalesce(b.category_id, 0), coalesce(u.name, '')," \
	" coalesce(c.name, ''), b.file, b.format, b.encoding, b.reported_on, b.started_at," \
	" b.finished_at, b.status, b.message, b.\"rows\", b.added, b.updated, b.unchanged," \
	" b.rejected, b.error_report, b.errors_stored" \
	" FROM batches b LEFT JOIN units u ON u.id = b.unit_id" \
	" LEFT JOIN categories c ON c.id = b.category_id"

static const char *status_name(xy_batch_status st)
{
	return st == XY_BATCH_REFUSED ? "refused" : "committed";
}

xy_code xy__pg_batch_insert(xy_store *base, xy_batch *b, xy_error *err)
{
	pq_args a = { .n = 0 };
	PGresult *r = NULL;
	xy_code rc;
	if (!b->started_at[0])
		now_iso(b->started_at);
	a_id(&a, b->unit_id);
	a_id(&a, b->category_id);
	/* one import per (unit, category) at a time between processes: only
	 * those share records (their key holds both), so two of them would
	 * update the same rows in file order, possibly opposite orders */
	if (in_tx(PG(base)) &&
	    (rc = xy__pg_lock(PG(base), "$1::int, $2::int", &a,
			      "waiting for another import of the same unit and category", err)))
		return rc;
	xy_buf file;
	xy_buf_init(&file, 0);
	if (b->file && (rc = xy__pg_name_to_text(b->file, &file)))
		return xy_error_set(err, rc, "out of memory");
	a_opt(&a, b->file ? file.data : NULL);
	a_opt(&a, b->format);
	a_opt(&a, b->encoding);
	a_str(&a, b->reported_on);
	a_opt(&a, b->started_at);
	a_opt(&a, b->finished_at);
	a_str(&a, status_name(b->status));
	a_opt(&a, b->message);
	a_int(&a, b->rows);
	a_int(&a, b->added);
	a_int(&a, b->updated);
	a_int(&a, b->unchanged);
	a_int(&a, b->rejected);
	a_opt(&a, b->error_report);
	rc = pq(PG(base), "INSERT INTO batches(unit_id, category_id, file, format, encoding,"
		" reported_on, started_at, finished_at, status, message, \"rows\", added,"
		" updated, unchanged, rejected, error_report) VALUES ($1, $2, $3, $4, $5, $6, $7,"
		" $8, $9, $10, $11, $12, $13, $14, $15, $16) RETURNING id", &a,
		"inserting a batch", &r, err);
	xy_buf_release(&file);
	if (!rc)
		b->id = ci(r, 0, 0);
	PQclear(r);
	return rc;
}

xy_code xy__pg_batch_update(xy_store *base, const xy_batch *b, xy_error *err)
{
	pq_args a = { .n = 0 };
	PGresult *r = NULL;
	xy_code rc;
	a_int(&a, b->id);
	a_opt(&a, b->finished_at);
	a_str(&a, status_name(b->status));
	a_opt(&a, b->message);
	a_int(&a, b->rows);
	a_int(&a, b->added);
	a_int(&a, b->updated);
	a_int(&a, b->unchanged);
	a_int(&a, b->rejected);
	a_opt(&a, b->error_report);
	a_int(&a, b->errors_stored);
	rc = pq(PG(base), "UPDATE batches SET finished_at = $2, status = $3, message = $4,"
		" \"rows\" = $5, added = $6, updated = $7, unchanged = $8, rejected = $9,"
		" error_report = $10, errors_stored = $11 WHERE id = $1", &a, "updating a batch",
		&r, err);
	if (!rc && !strcmp(PQcmdTuples(r), "0"))
		rc = xy_error_set(err, XY_ERR_NOTFOUND, "no batch %lld", (long long)b->id);
	PQclear(r);
	return rc;
}

static void batch_from_row(PGresult *r, int i, xy_batch *b)
{
	memset(b, 0, sizeof *b);
	b->id = ci(r, i, 0);
	b->unit_id = ci(r, i, 1);
	b->category_id = ci(r, i, 2);
	b->unit = cv(r, i, 3);
	b->category = cv(r, i, 4);
	b->file = xy__pg_name_from_text(PQgetvalue(r, i, 5));
	xy__pg_copy_cut(b->format, sizeof b->format, cv(r, i, 6));
	xy__pg_copy_cut(b->encoding, sizeof b->encoding, cv(r, i, 7));
	xy__pg_copy_cut(b->reported_on, sizeof b->reported_on, cv(r, i, 8));
	xy__pg_copy_cut(b->started_at, sizeof b->started_at, cv(r, i, 9));
	xy__pg_copy_cut(b->finished_at, sizeof b->finished_at, cv(r, i, 10));
	b->status = strcmp(cv(r, i, 11), "refused") ? XY_BATCH_COMMITTED : XY_BATCH_REFUSED;
	b->message = cv(r, i, 12);
	b->rows = (long)ci(r, i, 13);
	b->added = (long)ci(r, i, 14);
	b->updated = (long)ci(r, i, 15);
	b->unchanged = (long)ci(r, i, 16);
	b->rejected = (long)ci(r, i, 17);
	b->error_report = cv(r, i, 18);
	b->errors_stored = (long)ci(r, i, 19);
}

xy_code xy__pg_batches(xy_store *base, size_t limit, xy_batch **out, size_t *n,
		       xy_error *err)
{
	pq_args a = { .n = 0 };
	PGresult *r = NULL;
	size_t cap = 0;
	xy_code rc;
	a_id(&a, (int64_t)limit); /* NULL: LIMIT ALL */
	if ((rc = pq(PG(base), "SELECT " BATCH_COLS " ORDER BY b.id DESC LIMIT $1", &a,
		     "listing batches", &r, err)))
		return rc;
	for (int i = 0; i < PQntuples(r); i++) {
		void *p = xy_array_grow(*out, *n, &cap, sizeof **out, 16);
		if (!p) {
			rc = xy_error_set(err, XY_ERR_NOMEM, "out of memory");
			break;
		}
		*out = p;
		batch_from_row(r, i, &(*out)[*n]);
		if (xy_batch_copy(&(*out)[*n], &(*out)[*n])) {
			rc = xy_error_set(err, XY_ERR_NOMEM, "out of memory");
			break;
		}
		(*n)++;
	}
	PQclear(r);
	if (rc) {
		xy_batches_free(*out, *n);
		*out = NULL;
		*n = 0;
	}
	return rc;
}

xy_code xy__pg_batch_get(xy_store *base, int64_t id, xy_batch *out, xy_error *err)
{
	pq_args a = { .n = 0 };
	PGresult *r = NULL;
	xy_code rc;
	a_int(&a, id);
	if ((rc = pq(PG(base), "SELECT " BATCH_COLS " WHERE b.id = $1", &a, "reading a batch", &r,
		     err)))
		return rc;
	if (!PQntuples(r))
		rc = xy_error_set(err, XY_ERR_NOTFOUND, "no batch %lld", (long long)id);
	else {
		batch_from_row(r, 0, out);
		if (xy_batch_copy(out, out))
			rc = xy_error_set(err, XY_ERR_NOMEM, "out of memory");
	}
	PQclear(r);
	return rc;
}

xy_code xy__pg_batch_error_add(xy_store *base, const xy_batch_error *e, xy_error *err)
{
	pg_store *s = PG(base);
	pq_args a = { .n = 0 };
	xy_buf enc = XY_BUF_INIT;
	const char *v = e->value ? e->value : "";
	xy_code rc;
	if (xy__pii_seal(&s->pii.cur, v, strlen(v), &enc))
		return xy_error_set(err, XY_ERR_NOMEM, "out of memory");
	a_int(&a, e->batch_id);
	a_id(&a, e->row > 0 ? e->row : 0);
	a_str(&a, e->sheet);
	a_str(&a, e->column);
	a_bin(&a, enc.data, enc.len);
	a_str(&a, e->reason_zh);
	a_str(&a, e->reason_en);
	rc = pq(s, "INSERT INTO batch_errors(batch_id, \"row\", sheet, \"column\", value,"
		" reason_zh, reason_en) VALUES ($1, $2, $3, $4, $5, $6, $7)", &a,
		"recording a rejected row", NULL, err);
	xy_buf_release(&enc);
	return rc;
}

xy_code xy__pg_batch_errors(xy_store *base, int64_t batch_id, xy_batch_error_cb cb,
			    void *ctx, xy_error *err)
{
	pg_store *s = PG(base);
	pq_args a = { .n = 0 };
	PGresult *r = NULL;
	xy_buf v = XY_BUF_INIT;
	xy_code rc;
	a_int(&a, batch_id);
	if ((rc = pq(s, "SELECT batch_id, \"row\", sheet, \"column\", value, reason_zh, reason_en"
		     " FROM batch_errors WHERE batch_id = $1 ORDER BY id", &a,
		     "reading rejected rows", &r, err)))
		return rc;
	for (int i = 0; i < PQntuples(r); i++) {
		xy_batch_error e;
		if ((rc = xy__pg_col_dec(s, r, i, 4, &v, err)))
			break;
		e.batch_id = ci(r, i, 0);
		e.row = (long)ci(r, i, 1);
		e.sheet = cv_or_null(r, i, 2);
		e.column = cv_or_null(r, i, 3);
		e.value = v.data;
		e.reason_zh = cv_or_null(r, i, 5);
		e.reason_en = cv_or_null(r, i, 6);
		if (cb(ctx, &e))
			break;
	}
	xy_buf_release(&v);
	PQclear(r);
	return rc;
}

/* ---- records ---- */

/* The same steps as SQLite's hot path: a new key is claimed in record_keys
 * (INSERT … ON CONFLICT DO NOTHING) and its record inserted with the id drawn
 * there, in one statement; for a known key the stored row decides duplicate
 * (same batch), unchanged (touch last_batch) or updated (old version kept,
 * then the row rewritten; a changed subject moves the row: pg_load.c's
 * PG_REC_MOVE).  Row at a time, as prepared statements; imports take the bulk
 * path (pg_load.c). */
xy_code xy__pg_record_upsert(xy_store *base, const xy_record_in *r,
			     xy_upsert_result *res, xy_error *err)
{
	pg_store *s = PG(base);
	const char *dec = r->decided_on && r->decided_on[0] ? r->decided_on : NULL;
	pq_args a = { .n = 0 };
	PGresult *q = NULL;
	xy_buf enc = XY_BUF_INIT, old = XY_BUF_INIT;
	unsigned char digest[XY__PII_HASH_BYTES];
	xy_code rc;
	if (xy__pii_seal(&s->pii.cur, r->data, r->data_len, &enc))
		return xy_error_set(err, XY_ERR_NOMEM, "out of memory");
	xy__pii_record_digest(&s->pii.cur, dec, r->data, r->data_len, digest);
	a_int(&a, r->unit_id);
	a_int(&a, r->category_id);
	a_str(&a, r->key);
	a_id(&a, r->subject_id);
	a_txt(&a, dec, 0);
	a_int(&a, r->batch_id);
	a_bin(&a, enc.data, enc.len);
	a_bin(&a, digest, sizeof digest);
	/* NOT EXISTS first: a conflicting row would still draw an id from the
	 * sequence, and record ids are visible (show, feeds) and equal SQLite's
	 * only without gaps; ON CONFLICT stays for a concurrent insert (the key's
	 * primary key in record_keys is what detects it) */
	rc = pq(s, 
		"WITH k AS (INSERT INTO record_keys(unit_id, category_id, key, record_id, subject_id,"
		" last_batch, digest) SELECT $1, $2, $3, nextval('records_id_seq'), $4::bigint, $6,"
		" $8::bytea WHERE NOT EXISTS"
		" (SELECT 1 FROM record_keys WHERE unit_id = $1 AND category_id = $2 AND key = $3)"
		" ON CONFLICT(unit_id, category_id, key) DO NOTHING RETURNING record_id)"
		" INSERT INTO records(id, unit_id, category_id, key, subject_id, decided_on,"
		" first_batch, data_batch, data) SELECT k.record_id, $1, $2, $3,"
		" $4::bigint, $5::text, $6, $6, $7::bytea FROM k", &a,
		"inserting a record", &q, err);
	if (rc)
		goto out;
	if (strcmp(PQcmdTuples(q), "0")) {
		*res = XY_UPSERT_NEW;
		goto out;
	}
	PQclear(q);
	a.n = 3;
	if ((rc = pq(s, 
		     "SELECT r.id, coalesce(r.subject_id, 0), coalesce(r.decided_on, ''),"
		     " k.last_batch, r.data_batch, r.data, r.decided_on FROM record_keys k, "
		     PG_REC_OF("k") " WHERE k.unit_id = $1 AND k.category_id = $2 AND k.key = $3",
		     &a, "reading a record", &q, err)))
		goto out;
	if (PQntuples(q) != 1) {
		rc = xy_error_set(err, XY_ERR_STORE, "reading a record: it vanished");
		goto out;
	}
	if (ci(q, 0, 3) == r->batch_id) {
		*res = XY_UPSERT_DUPLICATE;
		goto out;
	}
	if ((rc = xy__pg_col_dec(s, q, 0, 5, &old, err)))
		goto out;
	{
		int64_t id = ci(q, 0, 0), old_subject = ci(q, 0, 1);
		bool same = old_subject == r->subject_id && !strcmp(cv(q, 0, 2), dec ? dec : "") &&
			    old.len == r->data_len && !memcmp(old.data, r->data, r->data_len);
		pq_args b = { .n = 0 };
		a_int(&b, id);
		if (same) { /* its digest written too: NULL or from another key before */
			a_int(&b, r->batch_id);
			a_bin(&b, digest, sizeof digest);
			rc = pq(s, 
				"UPDATE record_keys SET last_batch = $2, digest = $3 WHERE record_id = $1",
				&b, "updating a record", NULL, err);
			*res = XY_UPSERT_UNCHANGED;
			goto out;
		}
		/* keep the old version: its stored (encrypted) data copied as it is */
		a_id(&b, r->subject_id);
		a_txt(&b, dec, 0);
		a_int(&b, r->batch_id);
		a_bin(&b, enc.data, enc.len);
		a_bin(&b, digest, sizeof digest);
		pq_args c = { .n = 0 };
		a_int(&c, id);
		a_int(&c, r->batch_id);
		if ((rc = pq(s, 
			      "INSERT INTO record_versions(record_id, subject_id, decided_on,"
			      " batch_id, replaced_by, data) SELECT id, subject_id, decided_on,"
			      " data_batch, $2, data FROM records WHERE id = $1", &c,
			      "keeping a record version", NULL, err)))
			goto out;
		if (old_subject == r->subject_id)
			rc = pq(s, 
				"WITH u AS (UPDATE records SET decided_on = $3, data_batch = $4, data = $5"
				" WHERE id = $1 AND subject_id IS NOT DISTINCT FROM $2::bigint RETURNING id)"
				" UPDATE record_keys k SET last_batch = $4, digest = $6 FROM u"
				" WHERE k.record_id = u.id", &b, "updating a record", NULL, err);
		else /* another subject: the row moves to its partition */
			rc = pq(s, 
				"WITH m(id, subject_id, decided_on, data, digest) AS (VALUES ($1::bigint,"
				" $2::bigint, $3::text, $5::bytea, $6::bytea)), "
				PG_REC_MOVE("r.id = $1", "$4::bigint"), &b,
				"moving a record to another subject", NULL, err);
		if (!rc)
			*res = XY_UPSERT_UPDATED;
	}
out:
	PQclear(q);
	xy_buf_release(&enc);
	xy_buf_release(&old);
	return rc;
}

xy_code xy__pg_subject_records(xy_store *base, int64_t subject_id, xy_record_cb cb,
			       void *ctx, xy_error *err)
{
	pg_store *s = PG(base);
	pq_args a = { .n = 0 };
	PGresult *r = NULL;
	xy_buf data = XY_BUF_INIT;
	xy_code rc;
	a_int(&a, subject_id);
	if ((rc = pq(s, "SELECT r.id, coalesce(u.name, ''), coalesce(c.name, ''), r.key, r.data,"
		     " r.decided_on, coalesce(b.reported_on, ''), r.first_batch, " PG_LAST_BATCH("r") ","
		     " 1 + (SELECT count(*) FROM record_versions v WHERE v.record_id = r.id)"
		     " FROM records r LEFT JOIN units u ON u.id = r.unit_id"
		     " LEFT JOIN categories c ON c.id = r.category_id"
		     " LEFT JOIN batches b ON b.id = r.first_batch WHERE r.subject_id = $1"
		     " ORDER BY c.sort, r.category_id, r.decided_on COLLATE \"C\" DESC NULLS LAST,"
		     " r.id", &a, "reading records", &r, err)))
		return rc;
	for (int i = 0; i < PQntuples(r); i++) {
		xy_record_view v;
		if ((rc = xy__pg_col_dec(s, r, i, 4, &data, err)))
			break;
		v.id = ci(r, i, 0);
		v.unit = cv(r, i, 1);
		v.category = cv(r, i, 2);
		v.key = cv(r, i, 3);
		v.data = data.data;
		v.decided_on = cv_or_null(r, i, 5);
		v.reported_on = cv(r, i, 6);
		v.first_batch = ci(r, i, 7);
		v.last_batch = ci(r, i, 8);
		v.versions = (int)ci(r, i, 9);
		if (cb(ctx, &v))
			break;
	}
	xy_buf_release(&data);
	PQclear(r);
	return rc;
}

xy_code xy__pg_record_count(xy_store *base, int64_t batch_id, long *n, xy_error *err)
{
	pq_args a = { .n = 0 };
	PGresult *r = NULL;
	xy_code rc;
	if (batch_id)
		a_int(&a, batch_id);
	rc = pq(PG(base), batch_id ? "SELECT count(*) FROM records WHERE first_batch = $1"
				   : "SELECT count(*) FROM records",
		&a, "counting records", &r, err);
	if (!rc)
		*n = (long)ci(r, 0, 0);
	PQclear(r);
	return rc;
}


/* ---- records: by key, by id, of a batch ---- */

xy_code xy__pg_record_find(xy_store *base, int64_t unit_id, int64_t category_id,
			   const char *key, int64_t *id, int64_t *subject_id, xy_error *err)
{
	int64_t v[2] = { 0, 0 };
	xy_code rc = xy__pg_key_row(PG(base), "SELECT record_id, subject_id FROM record_keys"
				    " WHERE unit_id = $1 AND category_id = $2 AND key = $3",
				    unit_id, category_id, key, v, "reading a record", err);
	*id = v[0];
	*subject_id = v[1];
	return rc;
}

xy_code xy__pg_record_get(xy_store *base, int64_t id, xy_record_row *out, xy_buf *data,
			  xy_error *err)
{
	pg_store *s = PG(base);
	pq_args a = { .n = 0 };
	PGresult *r = NULL;
	xy_buf code = XY_BUF_INIT, d = XY_BUF_INIT;
	xy_code rc;
	a_int(&a, id);
	if ((rc = pq(s, "SELECT r.id, r.unit_id, r.category_id, coalesce(r.subject_id, 0), u.name,"
		     " c.name, r.key, coalesce(r.decided_on, ''), coalesce(s.code, ''), s.code_enc,"
		     " coalesce(s.name, ''), r.data FROM records r JOIN units u ON u.id = r.unit_id"
		     " JOIN categories c ON c.id = r.category_id"
		     " LEFT JOIN subjects s ON s.id = r.subject_id WHERE r.id = $1", &a,
		     "reading a record", &r, err)))
		return rc;
	if (PQntuples(r) != 1) {
		PQclear(r);
		return XY_ERR_NOTFOUND;
	}
	memset(out, 0, sizeof *out);
	out->id = ci(r, 0, 0);
	out->unit_id = ci(r, 0, 1);
	out->category_id = ci(r, 0, 2);
	out->subject_id = ci(r, 0, 3);
	out->unit = cv(r, 0, 4);
	out->category = cv(r, 0, 5);
	out->key = cv(r, 0, 6);
	xy__pg_copy_cut(out->decided_on, sizeof out->decided_on, cv(r, 0, 7));
	out->subject_name = cv(r, 0, 10);
	if (!(rc = xy__pg_scode(s, r, 0, 8, &code, &out->subject_code, err)) &&
	    !(rc = xy__pg_col_dec(s, r, 0, 11, &d, err))) {
		if ((data && xy_buf_add(data, d.data, d.len)) || xy_record_row_copy(out, out))
			rc = xy_error_set(err, XY_ERR_NOMEM, "out of memory");
	}
	if (rc)
		xy_record_row_release(out);
	PQclear(r);
	xy_buf_release(&code);
	xy_buf_release(&d);
	return rc;
}

xy_code xy__pg_batch_records(xy_store *base, int64_t unit_id, int64_t category_id,
			     int64_t batch_id, xy_batch_record_cb cb, void *ctx, xy_error *err)
{
	pg_store *s = PG(base);
	pq_args a = { .n = 0 };
	PGresult *r = NULL;
	xy_buf d = XY_BUF_INIT;
	xy_code rc;
	a_int(&a, unit_id);
	a_int(&a, category_id);
	a_int(&a, batch_id);
	if ((rc = pq(s, "SELECT r.id, coalesce(r.subject_id, 0), r.key, r.data, r.decided_on,"
		     " r.first_batch, k.last_batch FROM record_keys k, " PG_REC_OF("k")
		     " WHERE k.unit_id = $1 AND k.category_id = $2 AND k.last_batch = $3"
		     " ORDER BY r.id", &a, "reading a batch's records", &r, err)))
		return rc;
	for (int i = 0; i < PQntuples(r); i++) {
		xy_record_view v;
		if ((rc = xy__pg_col_dec(s, r, i, 3, &d, err)))
			break;
		memset(&v, 0, sizeof v);
		v.id = ci(r, i, 0);
		v.unit = v.category = v.reported_on = "";
		v.key = cv(r, i, 2);
		v.data = d.data;
		v.decided_on = cv_or_null(r, i, 4);
		v.first_batch = ci(r, i, 5);
		v.last_batch = ci(r, i, 6);
		v.versions = 1;
		if (cb(ctx, ci(r, i, 1), &v))
			break;
	}
	PQclear(r);
	xy_buf_release(&d);
	return rc;
}

/* ---- the city index ---- */

xy_code xy__pg_index_put(xy_store *base, const xy_city_index *v, xy_error *err)
{
	pq_args a = { .n = 0 };
	char score[32], now[32];
	snprintf(score, sizeof score, "%.17g", v->score); /* exact: %.17g round-trips */
	now_iso(now);
	a_str(&a, v->month);
	a_str(&a, score);
	a_int(&a, v->rank);
	a_str(&a, now);
	return pq(PG(base),
		  "INSERT INTO city_index(month, score, rank, updated_at) VALUES ($1, $2, $3, $4)"
		  " ON CONFLICT(month) DO UPDATE SET score = excluded.score,"
		  " rank = excluded.rank, updated_at = excluded.updated_at",
		  &a, "storing the city index", NULL, err);
}

xy_code xy__pg_index_list(xy_store *base, xy_city_index **out, size_t *n, xy_error *err)
{
	PGresult *r = NULL;
	xy_city_index *v;
	int rows;
	xy_code rc = pq(PG(base),
			"SELECT month, score, rank FROM city_index ORDER BY month COLLATE \"C\"", NULL,
			"reading the city index", &r, err);
	if (rc)
		return rc;
	rows = PQntuples(r);
	if (!(v = calloc(rows ? (size_t)rows : 1, sizeof *v))) {
		PQclear(r);
		return xy_error_set(err, XY_ERR_NOMEM, "out of memory");
	}
	for (int i = 0; i < rows; i++) {
		snprintf(v[i].month, sizeof v[i].month, "%s", cv(r, i, 0));
		v[i].score = strtod(cv(r, i, 1), NULL);
		v[i].rank = (int)ci(r, i, 2);
	}
	PQclear(r);
	*out = v;
	*n = (size_t)rows;
	return XY_OK;
}
