/* xinyong: the SQLite backend's import batches and their errors, records and their versions,
 * the city monitoring index.
 * Split from sqlite.c; every value bound, each statement prepared once per
 * handle in its slot (xy__sq_prep, [XY__SQ_RECORDS, +32)). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "xinyong/buf.h"
#include "xinyong/store.h"
#include "sqlite_int.h"

enum st {
	ST_REC_INSERT,
	ST_REC_GET,
	ST_REC_TOUCH,
	ST_REC_VERSION,
	ST_REC_UPDATE,
	ST_REC_COUNT_ALL,
	ST_REC_COUNT_BATCH,
	ST_SUBJ_RECORDS,
	ST_BATCH_INSERT,
	ST_BATCH_UPDATE,
	ST_BATCH_LIST,
	ST_BATCH_GET,
	ST_BERR_ADD,
	ST_BERR_LIST,
	ST_INDEX_PUT,
	ST_INDEX_LIST,
	ST_RECORD_GET,
	ST_BATCH_RECORDS,
	ST__N
};

#define BATCH_COLS \
	"b.id, b.unit_id, b.category_id, coalesce(u.name, ''), coalesce(c.name, '')," \
	" b.file, b.format, b.encoding, b.reported_on, b.started_at, b.finished_at," \
	" b.status, b.message, b.\"rows\", b.added, b.updated, b.unchanged, b.rejected," \
	" b.error_report, b.errors_stored" \
	" FROM batches b LEFT JOIN units u ON u.id = b.unit_id" \
	" LEFT JOIN categories c ON c.id = b.category_id"

static const char *const sql_text[ST__N] = {
	[ST_REC_INSERT] =
		"INSERT INTO records(unit_id, category_id, key, subject_id, decided_on,"
		" first_batch, last_batch, data_batch, data)"
		" VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?6, ?6, xy_enc(?7))"
		" ON CONFLICT(unit_id, category_id, key) DO NOTHING",
	[ST_REC_GET] =
		"SELECT id, subject_id, decided_on, last_batch, data_batch, xy_dec(data)"
		" FROM records WHERE unit_id = ?1 AND category_id = ?2 AND key = ?3",
	[ST_REC_TOUCH] = "UPDATE records SET last_batch = ?2 WHERE id = ?1",
	[ST_REC_VERSION] =
		"INSERT INTO record_versions(record_id, subject_id, decided_on, batch_id,"
		" replaced_by, data) VALUES (?1, ?2, ?3, ?4, ?5, xy_enc(?6))",
	[ST_REC_UPDATE] =
		"UPDATE records SET subject_id = ?2, decided_on = ?3, last_batch = ?4,"
		" data_batch = ?4, data = xy_enc(?5) WHERE id = ?1",
	[ST_REC_COUNT_ALL] = "SELECT count(*) FROM records",
	/* no index on first_batch (migration 3): a full scan, for a rare call */
	[ST_REC_COUNT_BATCH] = "SELECT count(*) FROM records WHERE first_batch = ?1",
	[ST_SUBJ_RECORDS] =
		"SELECT r.id, coalesce(u.name, ''), coalesce(c.name, ''), r.key, xy_dec(r.data),"
		" r.decided_on, coalesce(b.reported_on, ''), r.first_batch, r.last_batch,"
		" 1 + (SELECT count(*) FROM record_versions v WHERE v.record_id = r.id)"
		" FROM records r"
		" LEFT JOIN units u ON u.id = r.unit_id"
		" LEFT JOIN categories c ON c.id = r.category_id"
		" LEFT JOIN batches b ON b.id = r.first_batch"
		" WHERE r.subject_id = ?1"
		" ORDER BY c.sort, r.category_id, r.decided_on DESC, r.id",
	[ST_BATCH_INSERT] =
		"INSERT INTO batches(unit_id, category_id, file, format, encoding,"
		" reported_on, started_at, finished_at, status, message, \"rows\", added,"
		" updated, unchanged, rejected, error_report)"
		" VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16)",
	[ST_BATCH_UPDATE] =
		"UPDATE batches SET finished_at = ?2, status = ?3, message = ?4,"
		" \"rows\" = ?5, added = ?6, updated = ?7, unchanged = ?8, rejected = ?9,"
		" error_report = ?10, errors_stored = ?11 WHERE id = ?1",
	[ST_BATCH_LIST] = "SELECT " BATCH_COLS " ORDER BY b.id DESC LIMIT ?1",
	[ST_BATCH_GET] = "SELECT " BATCH_COLS " WHERE b.id = ?1",
	[ST_BERR_ADD] =
		"INSERT INTO batch_errors(batch_id, \"row\", sheet, \"column\", value,"
		" reason_zh, reason_en) VALUES (?1, ?2, ?3, ?4, xy_enc(?5), ?6, ?7)",
	[ST_BERR_LIST] =
		"SELECT batch_id, \"row\", sheet, \"column\", xy_dec(value), reason_zh, reason_en"
		" FROM batch_errors WHERE batch_id = ?1 ORDER BY id",
	[ST_INDEX_PUT] = "INSERT INTO city_index(month, score, rank, updated_at)"
			 " VALUES (?1, ?2, ?3, strftime('%Y-%m-%dT%H:%M:%SZ','now'))"
			 " ON CONFLICT(month) DO UPDATE SET score = excluded.score,"
			 " rank = excluded.rank, updated_at = excluded.updated_at",
	[ST_INDEX_LIST] = "SELECT month, score, rank FROM city_index ORDER BY month",
	[ST_RECORD_GET] =
		"SELECT r.id, r.unit_id, r.category_id, coalesce(r.subject_id, 0), u.name, c.name,"
		" r.key, coalesce(r.decided_on, ''), coalesce(" SCODE(s) ", ''), coalesce(s.name, ''),"
		" xy_dec(r.data) FROM records r JOIN units u ON u.id = r.unit_id"
		" JOIN categories c ON c.id = r.category_id"
		" LEFT JOIN subjects s ON s.id = r.subject_id WHERE r.id = ?1",
	/* the prefix (unit_id, category_id) of the records' unique index */
	[ST_BATCH_RECORDS] =
		"SELECT id, coalesce(subject_id, 0), key, xy_dec(data), decided_on, first_batch, last_batch"
		" FROM records WHERE unit_id = ?1 AND category_id = ?2 AND last_batch = ?3"
		" ORDER BY id",
};

static xy_code prep(sq_store *s, enum st id, sqlite3_stmt **out, xy_error *err)
{
	return xy__sq_prep(&s->base, XY__SQ_RECORDS + id, sql_text[id], out, err);
}

static const char *status_name(xy_batch_status st)
{
	return st == XY_BATCH_REFUSED ? "refused" : "committed";
}

xy_code xy__sq_batch_insert(xy_store *base, xy_batch *b, xy_error *err)
{
	sq_store *s = SQ(base);
	sqlite3_stmt *st = NULL;
	xy_code rc = prep(s, ST_BATCH_INSERT, &st, err);
	if (rc)
		return rc;
	if (!b->started_at[0])
		sq_now_iso(b->started_at);
	sq_bind_id(s, st, 1, b->unit_id);
	sq_bind_id(s, st, 2, b->category_id);
	sq_bind_opt(s, st, 3, b->file);
	sq_bind_opt(s, st, 4, b->format);
	sq_bind_opt(s, st, 5, b->encoding);
	sq_bind_str(s, st, 6, b->reported_on);
	sq_bind_opt(s, st, 7, b->started_at);
	sq_bind_opt(s, st, 8, b->finished_at);
	sq_bind_str(s, st, 9, status_name(b->status));
	sq_bind_opt(s, st, 10, b->message);
	sq_bind_int64(s, st, 11, b->rows);
	sq_bind_int64(s, st, 12, b->added);
	sq_bind_int64(s, st, 13, b->updated);
	sq_bind_int64(s, st, 14, b->unchanged);
	sq_bind_int64(s, st, 15, b->rejected);
	sq_bind_opt(s, st, 16, b->error_report);
	if ((rc = sq_run(s, st, "inserting a batch", err)))
		return rc;
	b->id = sqlite3_last_insert_rowid(s->db);
	return XY_OK;
}

xy_code xy__sq_batch_update(xy_store *base, const xy_batch *b, xy_error *err)
{
	sq_store *s = SQ(base);
	sqlite3_stmt *st = NULL;
	xy_code rc = prep(s, ST_BATCH_UPDATE, &st, err);
	if (rc)
		return rc;
	sq_bind_int64(s, st, 1, b->id);
	sq_bind_opt(s, st, 2, b->finished_at);
	sq_bind_str(s, st, 3, status_name(b->status));
	sq_bind_opt(s, st, 4, b->message);
	sq_bind_int64(s, st, 5, b->rows);
	sq_bind_int64(s, st, 6, b->added);
	sq_bind_int64(s, st, 7, b->updated);
	sq_bind_int64(s, st, 8, b->unchanged);
	sq_bind_int64(s, st, 9, b->rejected);
	sq_bind_opt(s, st, 10, b->error_report);
	sq_bind_int64(s, st, 11, b->errors_stored);
	if ((rc = sq_run(s, st, "updating a batch", err)))
		return rc;
	if (sqlite3_changes(s->db) == 0)
		return xy_error_set(err, XY_ERR_NOTFOUND, "no batch %lld", (long long)b->id);
	return XY_OK;
}

static void batch_from_row(sqlite3_stmt *st, xy_batch *b)
{
	memset(b, 0, sizeof *b);
	b->id = sqlite3_column_int64(st, 0);
	b->unit_id = sqlite3_column_int64(st, 1);
	b->category_id = sqlite3_column_int64(st, 2);
	b->unit = sq_col_str(st, 3);
	b->category = sq_col_str(st, 4);
	b->file = sq_col_str(st, 5);
	sq_col_copy(st, 6, b->format, sizeof b->format);
	sq_col_copy(st, 7, b->encoding, sizeof b->encoding);
	sq_col_copy(st, 8, b->reported_on, sizeof b->reported_on);
	sq_col_copy(st, 9, b->started_at, sizeof b->started_at);
	sq_col_copy(st, 10, b->finished_at, sizeof b->finished_at);
	b->status = strcmp(sq_col_str(st, 11), "refused") ? XY_BATCH_COMMITTED : XY_BATCH_REFUSED;
	b->message = sq_col_str(st, 12);
	b->rows = (long)sqlite3_column_int64(st, 13);
	b->added = (long)sqlite3_column_int64(st, 14);
	b->updated = (long)sqlite3_column_int64(st, 15);
	b->unchanged = (long)sqlite3_column_int64(st, 16);
	b->rejected = (long)sqlite3_column_int64(st, 17);
	b->error_report = sq_col_str(st, 18);
	b->errors_stored = (long)sqlite3_column_int64(st, 19);
}

xy_code xy__sq_batches(xy_store *base, size_t limit, xy_batch **out, size_t *n,
			  xy_error *err)
{
	sq_store *s = SQ(base);
	sqlite3_stmt *st = NULL;
	size_t cap = 0;
	xy_code rc = prep(s, ST_BATCH_LIST, &st, err);
	int src;
	if (rc)
		return rc;
	sq_bind_int64(s, st, 1, limit ? (sqlite3_int64)limit : -1);
	while ((src = sq_step(s, st)) == SQLITE_ROW) {
		void *p = xy_array_grow(*out, *n, &cap, sizeof **out, 16);
		if (!p) {
			rc = xy_error_set(err, XY_ERR_NOMEM, "out of memory");
			break;
		}
		*out = p;
		batch_from_row(st, &(*out)[*n]);
		OWN(xy_batch, &(*out)[*n], rc);
		if (rc)
			break;
		(*n)++;
	}
	if (!rc && src != SQLITE_DONE)
		rc = sq_fail(s, src, "listing batches", err);
	sqlite3_reset(st);
	if (rc) {
		xy_batches_free(*out, *n);
		*out = NULL;
		*n = 0;
	}
	return rc;
}

xy_code xy__sq_batch_get(xy_store *base, int64_t id, xy_batch *out, xy_error *err)
{
	sq_store *s = SQ(base);
	sqlite3_stmt *st = NULL;
	xy_code rc = prep(s, ST_BATCH_GET, &st, err);
	int src;
	if (rc)
		return rc;
	sq_bind_int64(s, st, 1, id);
	src = sq_step(s, st);
	if (src == SQLITE_ROW) {
		batch_from_row(st, out);
		OWN(xy_batch, out, rc);
	} else if (src == SQLITE_DONE)
		rc = xy_error_set(err, XY_ERR_NOTFOUND, "no batch %lld", (long long)id);
	else
		rc = sq_fail(s, src, "reading a batch", err);
	sqlite3_reset(st);
	return rc;
}

xy_code xy__sq_batch_error_add(xy_store *base, const xy_batch_error *e, xy_error *err)
{
	sq_store *s = SQ(base);
	sqlite3_stmt *st = NULL;
	xy_code rc = prep(s, ST_BERR_ADD, &st, err);
	if (rc)
		return rc;
	sq_bind_int64(s, st, 1, e->batch_id);
	if (e->row > 0)
		sq_bind_int64(s, st, 2, e->row);
	else
		sq_bind_null(s, st, 2);
	sq_bind_str(s, st, 3, e->sheet);
	sq_bind_str(s, st, 4, e->column);
	sq_bind_str(s, st, 5, e->value);
	sq_bind_str(s, st, 6, e->reason_zh);
	sq_bind_str(s, st, 7, e->reason_en);
	return sq_run(s, st, "recording a rejected row", err);
}

xy_code xy__sq_batch_errors(xy_store *base, int64_t batch_id, xy_batch_error_cb cb,
			       void *ctx, xy_error *err)
{
	sq_store *s = SQ(base);
	sqlite3_stmt *st = NULL;
	xy_code rc = prep(s, ST_BERR_LIST, &st, err);
	int src;
	if (rc)
		return rc;
	sq_bind_int64(s, st, 1, batch_id);
	while ((src = sq_step(s, st)) == SQLITE_ROW) {
		xy_batch_error e;
		e.batch_id = sqlite3_column_int64(st, 0);
		e.row = (long)sqlite3_column_int64(st, 1);
		e.sheet = sq_col_or_null(st, 2);
		e.column = sq_col_or_null(st, 3);
		e.value = sq_col_or_null(st, 4);
		e.reason_zh = sq_col_or_null(st, 5);
		e.reason_en = sq_col_or_null(st, 6);
		if (cb(ctx, &e))
			break;
	}
	rc = xy__sq_done(s, st, src, rc, "reading rejected rows", err);
	return rc;
}

/* The import hot path: one INSERT for a new key; for a known key one SELECT
 * and at most one version INSERT and one UPDATE. */
xy_code xy__sq_record_upsert(xy_store *base, const xy_record_in *r,
				xy_upsert_result *res, xy_error *err)
{
	sq_store *s = SQ(base);
	sqlite3_stmt *st = NULL, *up = NULL;
	const char *dec = r->decided_on && r->decided_on[0] ? r->decided_on : NULL;
	size_t keylen = strlen(r->key), declen = dec ? strlen(dec) : 0;
	int64_t id, old_subject, old_data_batch;
	const void *old;
	xy_code rc;
	int src;

	if (s->bulk && ++s->bulk_rows % WRITEBACK_ROWS == 0)
		xy__sq_wal_writeback(s);
	if ((rc = prep(s, ST_REC_INSERT, &st, err)))
		return rc;
	sq_bind_int64(s, st, 1, r->unit_id);
	sq_bind_int64(s, st, 2, r->category_id);
	sq_bind_text(s, st, 3, r->key, keylen);
	sq_bind_id(s, st, 4, r->subject_id);
	sq_bind_text(s, st, 5, dec, declen);
	sq_bind_int64(s, st, 6, r->batch_id);
	sq_bind_text(s, st, 7, r->data, r->data_len);
	if ((rc = sq_run(s, st, "inserting a record", err)))
		return rc;
	if (sqlite3_changes(s->db) == 1) {
		*res = XY_UPSERT_NEW;
		return XY_OK;
	}

	if ((rc = prep(s, ST_REC_GET, &st, err)))
		return rc;
	sq_bind_int64(s, st, 1, r->unit_id);
	sq_bind_int64(s, st, 2, r->category_id);
	sq_bind_text(s, st, 3, r->key, keylen);
	src = sq_step(s, st);
	if (src != SQLITE_ROW) {
		rc = sq_fail(s, src == SQLITE_DONE ? SQLITE_INTERNAL : src, "reading a record", err);
		sqlite3_reset(st);
		return rc;
	}
	id = sqlite3_column_int64(st, 0);
	if (sqlite3_column_int64(st, 3) == r->batch_id) {
		sqlite3_reset(st);
		*res = XY_UPSERT_DUPLICATE;
		return XY_OK;
	}
	old_subject = sqlite3_column_int64(st, 1); /* NULL reads as 0 */
	old_data_batch = sqlite3_column_int64(st, 4);
	old = sqlite3_column_blob(st, 5);
	if (old_subject == r->subject_id && sq_col_eq(st, 2, dec ? dec : "") &&
	    (size_t)sqlite3_column_bytes(st, 5) == r->data_len &&
	    (!r->data_len || !memcmp(old, r->data, r->data_len))) {
		sqlite3_reset(st);
		if ((rc = prep(s, ST_REC_TOUCH, &up, err)))
			return rc;
		sq_bind_int64(s, up, 1, id);
		sq_bind_int64(s, up, 2, r->batch_id);
		if ((rc = sq_run(s, up, "updating a record", err)))
			return rc;
		*res = XY_UPSERT_UNCHANGED;
		return XY_OK;
	}

	/* keep the old version: bind straight from the SELECT's row, still valid */
	if ((rc = prep(s, ST_REC_VERSION, &up, err))) {
		sqlite3_reset(st);
		return rc;
	}
	sq_bind_int64(s, up, 1, id);
	sq_bind_id(s, up, 2, old_subject);
	sq_bound(s, up, sqlite3_bind_value(up, 3, sqlite3_column_value(st, 2)));
	sq_bind_int64(s, up, 4, old_data_batch);
	sq_bind_int64(s, up, 5, r->batch_id);
	sq_bound(s, up, sqlite3_bind_value(up, 6, sqlite3_column_value(st, 5)));
	rc = sq_run(s, up, "keeping a record version", err);
	sqlite3_reset(st);
	if (rc)
		return rc;

	if ((rc = prep(s, ST_REC_UPDATE, &up, err)))
		return rc;
	sq_bind_int64(s, up, 1, id);
	sq_bind_id(s, up, 2, r->subject_id);
	sq_bind_text(s, up, 3, dec, declen);
	sq_bind_int64(s, up, 4, r->batch_id);
	sq_bind_text(s, up, 5, r->data, r->data_len);
	if ((rc = sq_run(s, up, "updating a record", err)))
		return rc;
	*res = XY_UPSERT_UPDATED;
	return XY_OK;
}

xy_code xy__sq_subject_records(xy_store *base, int64_t subject_id, xy_record_cb cb,
				  void *ctx, xy_error *err)
{
	sq_store *s = SQ(base);
	sqlite3_stmt *st = NULL;
	xy_code rc = prep(s, ST_SUBJ_RECORDS, &st, err);
	int src;
	if (rc)
		return rc;
	sq_bind_int64(s, st, 1, subject_id);
	while ((src = sq_step(s, st)) == SQLITE_ROW) {
		xy_record_view v;
		v.id = sqlite3_column_int64(st, 0);
		v.unit = sq_col_str(st, 1);
		v.category = sq_col_str(st, 2);
		v.key = sq_col_str(st, 3);
		v.data = sq_col_str(st, 4);
		v.decided_on = sq_col_or_null(st, 5);
		v.reported_on = sq_col_str(st, 6);
		v.first_batch = sqlite3_column_int64(st, 7);
		v.last_batch = sqlite3_column_int64(st, 8);
		v.versions = sqlite3_column_int(st, 9);
		if (cb(ctx, &v))
			break;
	}
	rc = xy__sq_done(s, st, src, rc, "reading records", err);
	return rc;
}

xy_code xy__sq_record_count(xy_store *base, int64_t batch_id, long *n, xy_error *err)
{
	sq_store *s = SQ(base);
	sqlite3_stmt *st = NULL;
	xy_code rc = prep(s, batch_id ? ST_REC_COUNT_BATCH : ST_REC_COUNT_ALL, &st, err);
	int src;
	if (rc)
		return rc;
	if (batch_id)
		sq_bind_int64(s, st, 1, batch_id);
	src = sq_step(s, st);
	if (src == SQLITE_ROW)
		*n = (long)sqlite3_column_int64(st, 0);
	else
		rc = sq_fail(s, src, "counting records", err);
	sqlite3_reset(st);
	return rc;
}

xy_code xy__sq_index_put(xy_store *base, const xy_city_index *v, xy_error *err)
{
	sq_store *s = SQ(base);
	sqlite3_stmt *st = NULL;
	xy_code rc = prep(s, ST_INDEX_PUT, &st, err);
	int src;
	if (rc)
		return rc;
	sq_bind_text_d(s, st, 1, v->month, -1, SQLITE_TRANSIENT);
	sq_bind_double(s, st, 2, v->score);
	sq_bind_int(s, st, 3, v->rank);
	src = sq_step(s, st);
	if (src != SQLITE_DONE)
		rc = sq_fail(s, src, "storing the city index", err);
	sqlite3_reset(st);
	return rc;
}

xy_code xy__sq_index_list(xy_store *base, xy_city_index **out, size_t *n, xy_error *err)
{
	sq_store *s = SQ(base);
	sqlite3_stmt *st = NULL;
	xy_city_index *v = NULL;
	size_t cap = 0;
	xy_code rc = prep(s, ST_INDEX_LIST, &st, err);
	int src;
	if (rc)
		return rc;
	while ((src = sq_step(s, st)) == SQLITE_ROW) {
		const unsigned char *m = sqlite3_column_text(st, 0);
		xy_city_index *nv = xy_array_grow(v, *n, &cap, sizeof *v, 16);
		if (!nv) {
			rc = xy_error_set(err, XY_ERR_NOMEM, "out of memory");
			goto out;
		}
		v = nv;
		snprintf(v[*n].month, sizeof v[*n].month, "%s", m ? (const char *)m : "");
		v[*n].score = sqlite3_column_double(st, 1);
		v[*n].rank = sqlite3_column_int(st, 2);
		(*n)++;
	}
	if (src != SQLITE_DONE)
		rc = sq_fail(s, src, "reading the city index", err);
out:
	sqlite3_reset(st);
	if (rc) {
		free(v);
		*n = 0;
		return rc;
	}
	*out = v;
	return XY_OK;
}

xy_code xy__sq_record_get(xy_store *base, int64_t id, xy_record_row *out, xy_buf *data,
			     xy_error *err)
{
	sq_store *s = SQ(base);
	sqlite3_stmt *st = NULL;
	xy_code rc = prep(s, ST_RECORD_GET, &st, err);
	int src;
	if (rc)
		return rc;
	sq_bind_int64(s, st, 1, id);
	src = sq_step(s, st);
	if (src == SQLITE_ROW) {
		memset(out, 0, sizeof *out);
		out->id = sqlite3_column_int64(st, 0);
		out->unit_id = sqlite3_column_int64(st, 1);
		out->category_id = sqlite3_column_int64(st, 2);
		out->subject_id = sqlite3_column_int64(st, 3);
		out->unit = sq_col_str(st, 4);
		out->category = sq_col_str(st, 5);
		out->key = sq_col_str(st, 6);
		sq_col_copy(st, 7, out->decided_on, sizeof out->decided_on);
		out->subject_code = sq_col_str(st, 8);
		out->subject_name = sq_col_str(st, 9);
		if (data && xy_buf_add(data, sq_col_str(st, 10), (size_t)sqlite3_column_bytes(st, 10)))
			rc = xy_error_set(err, XY_ERR_NOMEM, "out of memory");
		OWN(xy_record_row, out, rc);
		if (rc)
			xy_record_row_release(out);
	} else if (src == SQLITE_DONE) {
		rc = XY_ERR_NOTFOUND;
	} else {
		rc = sq_fail(s, src, "reading a record", err);
	}
	sqlite3_reset(st);
	return rc;
}

xy_code xy__sq_batch_records(xy_store *base, int64_t unit_id, int64_t category_id,
				int64_t batch_id, xy_batch_record_cb cb, void *ctx, xy_error *err)
{
	sq_store *s = SQ(base);
	sqlite3_stmt *st = NULL;
	xy_code rc = prep(s, ST_BATCH_RECORDS, &st, err);
	int src;
	if (rc)
		return rc;
	sq_bind_int64(s, st, 1, unit_id);
	sq_bind_int64(s, st, 2, category_id);
	sq_bind_int64(s, st, 3, batch_id);
	while ((src = sq_step(s, st)) == SQLITE_ROW) {
		xy_record_view v;
		memset(&v, 0, sizeof v);
		v.id = sqlite3_column_int64(st, 0);
		v.unit = v.category = v.reported_on = "";
		v.key = sq_col_str(st, 2);
		v.data = sq_col_str(st, 3);
		v.decided_on = sqlite3_column_type(st, 4) == SQLITE_NULL ? NULL : sq_col_str(st, 4);
		v.first_batch = sqlite3_column_int64(st, 5);
		v.last_batch = sqlite3_column_int64(st, 6);
		v.versions = 1;
		if (cb(ctx, sqlite3_column_int64(st, 1), &v))
			break;
	}
	rc = xy__sq_done(s, st, src, rc, "reading a batch's records", err);
	return rc;
}

xy_code xy__sq_record_key_row(sq_store *s, sqlite3_stmt *st, int64_t unit_id,
			      int64_t category_id, const char *key, int64_t out[2],
			      const char *what, xy_error *err)
{
	xy_code rc = XY_OK;
	int src;
	out[0] = out[1] = 0;
	sq_bind_int64(s, st, 1, unit_id);
	sq_bind_int64(s, st, 2, category_id);
	sq_bind_str(s, st, 3, key);
	src = sq_step(s, st);
	if (src == SQLITE_ROW) {
		out[0] = sqlite3_column_int64(st, 0);
		out[1] = sqlite3_column_count(st) > 1 ? sqlite3_column_int64(st, 1) : 0;
	} else {
		rc = src == SQLITE_DONE ? XY_ERR_NOTFOUND : sq_fail(s, src, what, err);
	}
	sqlite3_reset(st);
	return rc;
}

xy_code xy__sq_record_find(xy_store *base, int64_t unit_id, int64_t category_id,
			      const char *key, int64_t *id, int64_t *subject_id, xy_error *err)
{
	int64_t v[2] = { 0, 0 };
	sq_store *s = SQ(base);
	sqlite3_stmt *st = NULL;
	xy_code rc = prep(s, ST_REC_GET, &st, err);
	if (!rc)
		rc = xy__sq_record_key_row(s, st, unit_id, category_id, key, v, "reading a record",
					   err);
	*id = v[0];
	*subject_id = v[1];
	return rc;
}
