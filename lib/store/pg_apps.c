/* xinyong: PostgreSQL backend, online applications (store.h, "online applications";
 * sqlite_apps.c is the reference behaviour).  The contact is encrypted in C before
 * binding and decrypted after reading (pg_int.h). */
#include "pg_int.h"

#define A_COLS                                                                                     \
	"SELECT a.id, a.receipt, a.day, a.seq, a.kind, a.case_id, a.secret, a.contact,"           \
	" a.filed_at, (SELECT count(*) FROM application_attachments t"                             \
	" WHERE t.application_id = a.id) FROM applications a"

static xy_code pg_apps_insert(xy_store *base, xy_application_row *v, xy_error *err)
{
	pg_store *s = PG(base);
	pq_args a = { .n = 0 };
	PGresult *r = NULL;
	xy_buf enc = XY_BUF_INIT;
	const char *contact = v->contact ? v->contact : "";
	xy_code rc;
	if (xy__pii_seal(&s->pii.cur, contact, strlen(contact), &enc))
		return xy_error_set(err, XY_ERR_NOMEM, "out of memory");
	a_txt0(&a, v->receipt);
	a_txt0(&a, v->day);
	a_int(&a, v->seq);
	a_txt0(&a, v->kind);
	a_int(&a, v->case_id);
	a_txt0(&a, v->secret);
	a_bin(&a, enc.data, enc.len);
	a_txt0(&a, v->filed_at);
	/* NOT EXISTS first: a refused insert would still draw an id (no gaps) */
	rc = pq(s,
		"INSERT INTO applications(receipt, day, seq, kind,"
		" case_id, secret, contact, filed_at)"
		" SELECT $1, $2, $3::bigint, $4, $5::bigint, $6, $7, $8 WHERE NOT EXISTS"
		" (SELECT 1 FROM applications WHERE receipt = $1 OR case_id = $5"
		" OR (day = $2 AND seq = $3)) RETURNING id",
		&a, "storing an application", &r, err);
	if (!rc && PQntuples(r) == 1)
		v->id = ci(r, 0, 0);
	else if (!rc || rc == XY_ERR_CONFLICT) {
		xy_error_clear(err);
		rc = xy_error_set(err, XY_ERR_CONFLICT, "application %s exists already",
				  v->receipt);
	}
	PQclear(r);
	xy_buf_release(&enc);
	return rc;
}

static xy_code pg_apps_get(xy_store *base, const char *receipt, int64_t case_id,
			   xy_application_row *out, xy_error *err)
{
	pg_store *s = PG(base);
	pq_args a = { .n = 0 };
	PGresult *r = NULL;
	xy_buf contact = XY_BUF_INIT;
	xy_code rc;
	xy_application_row_release(out);
	if (receipt)
		a_str(&a, receipt);
	else
		a_int(&a, case_id);
	if ((rc = pq(s, receipt ? A_COLS " WHERE a.receipt = $1" : A_COLS " WHERE a.case_id = $1",
		     &a, "reading an application", &r, err)))
		return rc;
	if (PQntuples(r) != 1)
		rc = receipt ? xy_error_set(err, XY_ERR_NOTFOUND, "no application %s", receipt)
			     : xy_error_set(err, XY_ERR_NOTFOUND, "case %lld has no application",
					    (long long)case_id);
	else if (!(rc = xy__pg_col_dec(s, r, 0, 7, &contact, err))) {
		xy_application_row v = {
			.id = ci(r, 0, 0), .receipt = cv(r, 0, 1), .day = cv(r, 0, 2),
			.seq = ci(r, 0, 3), .kind = cv(r, 0, 4), .case_id = ci(r, 0, 5),
			.secret = cv(r, 0, 6), .contact = contact.data, .filed_at = cv(r, 0, 8),
			.nattachments = ci(r, 0, 9),
		};
		if (xy_application_row_copy(out, &v))
			rc = xy_error_set(err, XY_ERR_NOMEM, "out of memory");
	}
	PQclear(r);
	if (contact.data)
		sodium_memzero(contact.data, contact.len);
	xy_buf_release(&contact);
	return rc;
}

static xy_code pg_apps_last_seq(xy_store *base, const char *day, int64_t *seq, xy_error *err)
{
	return xy__pg_one_int(PG(base),
			      "SELECT coalesce(max(seq), 0) FROM applications WHERE day = $1", day,
			      "reading the applications of a day", seq, err);
}

static xy_code pg_apps_attachment_insert(xy_store *base, const xy_attachment_row *v,
					 xy_error *err)
{
	pq_args a = { .n = 0 };
	PGresult *r = NULL;
	xy_code rc;
	a_int(&a, v->application_id);
	a_int(&a, v->n);
	a_txt0(&a, v->name);
	a_txt0(&a, v->type);
	a_int(&a, v->size);
	a_txt0(&a, v->sha256);
	/* what SQLite's constraints refuse, refused before the insert */
	rc = pq(PG(base),
		"INSERT INTO application_attachments(application_id, n, name, type, size, sha256)"
		" SELECT $1, $2, $3, $4, $5, $6 WHERE $2::bigint BETWEEN"
		" 1 AND 5 AND $5::bigint >= 0"
		" AND EXISTS (SELECT 1 FROM applications WHERE id = $1) AND NOT EXISTS"
		" (SELECT 1 FROM application_attachments WHERE application_id = $1 AND n = $2)",
		&a, "storing an attachment", &r, err);
	if (!rc && !strcmp(PQcmdTuples(r), "0"))
		rc = xy_error_set(err, XY_ERR_INVALID,
				  "attachment %lld of application %lld refused", (long long)v->n,
				  (long long)v->application_id);
	PQclear(r);
	return rc;
}

static xy_code pg_apps_attachments(xy_store *base, int64_t application_id,
				   xy_attachment_cb cb, void *ctx, xy_error *err)
{
	pq_args a = { .n = 0 };
	PGresult *r = NULL;
	xy_code rc;
	a_int(&a, application_id);
	if ((rc = pq(PG(base),
		     "SELECT application_id, n, name, type, size, sha256"
		     " FROM application_attachments WHERE application_id = $1 ORDER BY n",
		     &a, "reading attachments", &r, err)))
		return rc;
	for (int i = 0; i < PQntuples(r); i++) {
		xy_attachment_row v = {
			.application_id = ci(r, i, 0), .n = ci(r, i, 1), .name = cv(r, i, 2),
			.type = cv(r, i, 3), .size = ci(r, i, 4), .sha256 = cv(r, i, 5),
		};
		if (cb(ctx, &v))
			break;
	}
	PQclear(r);
	return rc;
}

const struct xy__store_apps_ops xy__pg_apps_ops = {
	.insert = pg_apps_insert,
	.get = pg_apps_get,
	.last_seq = pg_apps_last_seq,
	.attachment_insert = pg_apps_attachment_insert,
	.attachments = pg_apps_attachments,
};
