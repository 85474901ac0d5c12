/* xinyong: the SQLite backend's online applications (store.h, "online
 * applications"; migration 14).  Every value bound; statements prepared
 * once per handle in their slots (XY__SQ_APPS…).  The contact is written
 * through xy_enc and read through xy_dec (the rules at the top of sqlite.c). */
#include <stdint.h>
#include <string.h>

#include "xinyong/store.h"
#include "sqlite_int.h"

enum { A_INSERT, A_BY_RECEIPT, A_BY_CASE, A_LAST, A_ATT_INSERT, A_ATTS, A__N };

#define A_COLS \
	"SELECT a.id, a.receipt, a.day, a.seq, a.kind, a.case_id, a.secret, xy_dec(a.contact)," \
	" a.filed_at, (SELECT count(*) FROM application_attachments t" \
	" WHERE t.application_id = a.id) FROM applications a"

static const char *const sql_text[A__N] = {
	[A_INSERT] = "INSERT INTO applications(receipt, day, seq, kind, case_id, secret, contact,"
		     " filed_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, xy_enc(?7), ?8)",
	[A_BY_RECEIPT] = A_COLS " WHERE a.receipt = ?1",
	[A_BY_CASE] = A_COLS " WHERE a.case_id = ?1",
	[A_LAST] = "SELECT coalesce(max(seq), 0) FROM applications WHERE day = ?1",
	[A_ATT_INSERT] = "INSERT INTO application_attachments(application_id, n, name, type, size,"
			 " sha256) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
	[A_ATTS] = "SELECT application_id, n, name, type, size, sha256"
		   " FROM application_attachments WHERE application_id = ?1 ORDER BY n",
};


static xy_code prep(xy_store *s, unsigned k, sqlite3_stmt **st, xy_error *err)
{
	return xy__sq_prep(s, XY__SQ_APPS + k, sql_text[k], st, err);
}

static xy_code sq_insert(xy_store *s, xy_application_row *a, xy_error *err)
{
	sqlite3_stmt *st = NULL;
	xy_code rc = prep(s, A_INSERT, &st, err);
	int src;
	if (rc)
		return rc;
	sq_bind_txt(SQ(s), st, 1, a->receipt);
	sq_bind_txt(SQ(s), st, 2, a->day);
	sq_bind_int64(SQ(s), st, 3, a->seq);
	sq_bind_txt(SQ(s), st, 4, a->kind);
	sq_bind_int64(SQ(s), st, 5, a->case_id);
	sq_bind_txt(SQ(s), st, 6, a->secret);
	sq_bind_txt(SQ(s), st, 7, a->contact);
	sq_bind_txt(SQ(s), st, 8, a->filed_at);
	src = sq_step(SQ(s), st);
	if (src == SQLITE_DONE)
		a->id = sqlite3_last_insert_rowid(xy__sq_db(s));
	else if (src == SQLITE_CONSTRAINT)
		rc = xy_error_set(err, XY_ERR_CONFLICT, "application %s exists already", a->receipt);
	else
		rc = xy__sq_fail(s, src, "storing an application", err);
	sqlite3_reset(st);
	return rc;
}

static xy_code sq_get(xy_store *s, const char *receipt, int64_t case_id,
		      xy_application_row *out, xy_error *err)
{
	sqlite3_stmt *st = NULL;
	xy_code rc = prep(s, receipt ? A_BY_RECEIPT : A_BY_CASE, &st, err);
	int src;
	if (rc)
		return rc;
	xy_application_row_release(out);
	if (receipt)
		sq_bind_txt(SQ(s), st, 1, receipt);
	else
		sq_bind_int64(SQ(s), st, 1, case_id);
	src = sq_step(SQ(s), st);
	if (src == SQLITE_ROW) {
		xy_application_row a = {
			.id = sqlite3_column_int64(st, 0), .receipt = xy__sq_col(st, 1), .day = xy__sq_col(st, 2),
			.seq = sqlite3_column_int64(st, 3), .kind = xy__sq_col(st, 4),
			.case_id = sqlite3_column_int64(st, 5), .secret = xy__sq_col(st, 6),
			.contact = xy__sq_col(st, 7), .filed_at = xy__sq_col(st, 8),
			.nattachments = sqlite3_column_int64(st, 9),
		};
		if (xy_application_row_copy(out, &a))
			rc = xy_error_set(err, XY_ERR_NOMEM, "out of memory");
	} else if (src == SQLITE_DONE) {
		rc = receipt ? xy_error_set(err, XY_ERR_NOTFOUND, "no application %s", receipt)
			     : xy_error_set(err, XY_ERR_NOTFOUND, "case %lld has no application",
					    (long long)case_id);
	} else {
		rc = xy__sq_fail(s, src, "reading an application", err);
	}
	sqlite3_reset(st);
	return rc;
}

static xy_code sq_last_seq(xy_store *s, const char *day, int64_t *seq, xy_error *err)
{
	sqlite3_stmt *st = NULL;
	xy_code rc = prep(s, A_LAST, &st, err);
	if (rc)
		return rc;
	sq_bind_txt(SQ(s), st, 1, day);
	return xy__sq_one_int64(s, st, "reading the applications of a day", seq, err);
}

static xy_code sq_attachment_insert(xy_store *s, const xy_attachment_row *a, xy_error *err)
{
	sqlite3_stmt *st = NULL;
	xy_code rc = prep(s, A_ATT_INSERT, &st, err);
	int src;
	if (rc)
		return rc;
	sq_bind_int64(SQ(s), st, 1, a->application_id);
	sq_bind_int64(SQ(s), st, 2, a->n);
	sq_bind_txt(SQ(s), st, 3, a->name);
	sq_bind_txt(SQ(s), st, 4, a->type);
	sq_bind_int64(SQ(s), st, 5, a->size);
	sq_bind_txt(SQ(s), st, 6, a->sha256);
	src = sq_step(SQ(s), st);
	if (src == SQLITE_CONSTRAINT)
		rc = xy_error_set(err, XY_ERR_INVALID, "attachment %lld of application %lld refused",
				  (long long)a->n, (long long)a->application_id);
	else if (src != SQLITE_DONE)
		rc = xy__sq_fail(s, src, "storing an attachment", err);
	sqlite3_reset(st);
	return rc;
}

static xy_code sq_attachments(xy_store *s, int64_t application_id, xy_attachment_cb cb,
			      void *ctx, xy_error *err)
{
	sqlite3_stmt *st = NULL;
	xy_code rc = prep(s, A_ATTS, &st, err);
	int src;
	if (rc)
		return rc;
	sq_bind_int64(SQ(s), st, 1, application_id);
	while ((src = sq_step(SQ(s), st)) == SQLITE_ROW) {
		xy_attachment_row a = {
			.application_id = sqlite3_column_int64(st, 0),
			.n = sqlite3_column_int64(st, 1), .name = xy__sq_col(st, 2), .type = xy__sq_col(st, 3),
			.size = sqlite3_column_int64(st, 4), .sha256 = xy__sq_col(st, 5),
		};
		if (cb(ctx, &a))
			break;
	}
	rc = xy__sq_done(SQ(s), st, src, rc, "reading attachments", err);
	return rc;
}

const struct xy__store_apps_ops xy__sqlite_apps_ops = {
	.insert = sq_insert,
	.get = sq_get,
	.last_seq = sq_last_seq,
	.attachment_insert = sq_attachment_insert,
	.attachments = sq_attachments,
};
