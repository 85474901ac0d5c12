/* xinyong: PostgreSQL backend, xinyong rekey: every personal value re-encrypted and every
 * lookup hash recomputed with a new key in one transaction (sqlite_pii.c's rekey is the
 * reference behaviour; the key files: pii.h).  The values are decrypted and sealed in C, a
 * page of rows at a time through a cursor (pg_int.h). */
#include "pg_int.h"

#define REKEY_PAGE 500 /* rows a FETCH reads: REKEY_FETCH says the same number */
#define REKEY_FETCH "FETCH 500 FROM xy_rekey"

/* What a rotation rewrites, in SQLite's order (the progress callback names
 * each): the encrypted column is the second of select; update takes the id,
 * the new value and, for subjects, the new lookup hash. */
static const struct {
	const char *what, *select, *update;
} steps[] = {
	/* the code's key in subject_keys (schema 25) deleted and inserted
	 * again, not updated: Citus never updates a distribution column */
	{ "subjects", "SELECT id, code_enc FROM subjects WHERE code_enc IS NOT NULL",
	  "WITH d AS (DELETE FROM subject_keys WHERE code = (SELECT code FROM subjects"
	  " WHERE id = $1) AND subject_id = $1 RETURNING 1), i AS (INSERT INTO"
	  " subject_keys(code, subject_id) SELECT $3, $1 FROM d)"
	  " UPDATE subjects SET code_enc = $2, code = $3 WHERE id = $1" },
	{ "records", "SELECT id, data FROM records WHERE data IS NOT NULL",
	  "UPDATE records SET data = $2 WHERE id = $1" },
	{ "record_versions", "SELECT id, data FROM record_versions WHERE data IS NOT NULL",
	  "UPDATE record_versions SET data = $2 WHERE id = $1" },
	{ "batch_errors", "SELECT id, value FROM batch_errors WHERE value IS NOT NULL",
	  "UPDATE batch_errors SET value = $2 WHERE id = $1" },
	{ "checks", "SELECT id, answer FROM checks WHERE answer IS NOT NULL",
	  "UPDATE checks SET answer = $2 WHERE id = $1" },
	{ "interviews", "SELECT id, persons FROM interviews WHERE persons IS NOT NULL",
	  "UPDATE interviews SET persons = $2 WHERE id = $1" },
	{ "applications", "SELECT id, contact FROM applications WHERE contact IS NOT NULL",
	  "UPDATE applications SET contact = $2 WHERE id = $1" },
};

/* One row of a step: its value decrypted with cur, sealed with next. */
static xy_code reseal_row(pg_store *s, const char *update, bool lookup, PGresult *r, int i,
			  xy_buf *plain, xy_buf *enc, xy_error *err)
{
	unsigned char h[XY__PII_HASH_BYTES];
	char hex[2 * XY__PII_HASH_BYTES + 1];
	pq_args a = { .n = 0 };
	xy_code rc = xy__pg_col_dec(s, r, i, 1, plain, err);
	if (rc)
		return rc;
	if (xy__pii_seal(&s->pii.next, plain->data, plain->len, enc))
		return xy_error_set(err, XY_ERR_NOMEM, "out of memory");
	a_int(&a, ci(r, i, 0));
	a_bin(&a, enc->data, enc->len);
	if (lookup) {
		xy__pii_hash(&s->pii.next, plain->data, plain->len, h);
		sodium_bin2hex(hex, sizeof hex, h, sizeof h);
		a_str(&a, hex);
	}
	return pq(s, update, &a, "re-encrypting", NULL, err);
}

static xy_code reseal_step(pg_store *s, size_t k, xy_error *err)
{
	xy_buf sql = XY_BUF_INIT, plain = XY_BUF_INIT, enc = XY_BUF_INIT;
	PGresult *r = NULL;
	xy_code rc = XY_OK;
	int rows;
	if (xy_buf_addf(&sql, "DECLARE xy_rekey NO SCROLL CURSOR FOR %s", steps[k].select))
		return xy_error_set(err, XY_ERR_NOMEM, "out of memory");
	if ((rc = pq(s, sql.data, NULL, "re-encrypting", NULL, err)))
		goto out;
	do {
		if ((rc = pq(s, REKEY_FETCH, NULL, "re-encrypting", &r, err)))
			goto out;
		rows = PQntuples(r);
		for (int i = 0; i < rows && !rc; i++)
			rc = reseal_row(s, steps[k].update, k == 0, r, i, &plain, &enc, err);
		PQclear(r);
		r = NULL;
	} while (!rc && rows == REKEY_PAGE);
	if (!rc)
		rc = pq(s, "CLOSE xy_rekey", NULL, "re-encrypting", NULL, err);
out:
	if (plain.data)
		sodium_memzero(plain.data, plain.len);
	xy_buf_release(&plain);
	xy_buf_release(&enc);
	xy_buf_release(&sql);
	return rc;
}

xy_code xy__pg_rekey(xy_store *base, xy_rekey_fn progress, void *ctx, xy_error *err)
{
	pg_store *s = PG(base);
	xy__pii *p = &s->pii;
	bool swapped = false, tx = false, committed = false;
	PGresult *r = NULL;
	pq_args a = { .n = 0 };
	xy_code rc;
	if (!p->path)
		return xy_error_set(err, XY_ERR_ARG, "the database has no key file to rotate");
	if (in_tx(s))
		return xy_error_set(err, XY_ERR_ARG, "rekey cannot run inside a transaction");
	/* 1. the key id read under a row lock: a second rekey started while one
	 *    runs waits here, then finds the key changed and stops without
	 *    touching a key file (as on SQLite) */
	if ((rc = pq(s, "BEGIN", NULL, "starting the key rotation", NULL, err)))
		return rc;
	tx = true;
	if ((rc = pq(s, "SELECT key_id FROM pii_key WHERE one = 1 FOR UPDATE", NULL,
		     "reading the key id", &r, err)))
		goto out;
	if (PQntuples(r) != 1 || strcmp(cv(r, 0, 0), p->cur.hex)) {
		rc = xy_error_at(err, XY_ERR_CONFLICT, p->path, 0, NULL,
				 "the database's key changed since it was opened (now %.8s…, was "
				 "%.8s…): another xinyong rekey ran meanwhile; nothing was changed, "
				 "run it again if a new rotation is wanted",
				 PQntuples(r) ? cv(r, 0, 0) : "?", p->cur.hex);
		goto out;
	}
	/* 2. the new key in place, the old one kept (pii.h) */
	if ((rc = xy__pii_rotate_start(p, &swapped, err)))
		goto out;
	/* 3. every value and keyed hash, in the one transaction */
	for (size_t k = 0; k < sizeof steps / sizeof *steps; k++) {
		if ((rc = reseal_step(s, k, err)))
			goto out;
		if (progress)
			progress(ctx, steps[k].what);
	}
	a_str(&a, p->next.hex);
	if ((rc = pq(s, "UPDATE pii_key SET key_id = $1 WHERE one = 1", &a, "re-encrypting", NULL,
		     err)))
		goto out;
	if (progress)
		progress(ctx, "pii_key");
	if ((rc = pq(s, "COMMIT", NULL, "committing the key rotation", NULL, err)))
		goto out;
	tx = false;
	committed = true;
out:
	PQclear(r);
	if (tx)
		PQclear(PQexec(s->conn, "ROLLBACK"));
	/* 4. committed: the new key is the key; else the old one back */
	return xy__pii_rotate_end(p, committed, swapped, rc, err);
}
