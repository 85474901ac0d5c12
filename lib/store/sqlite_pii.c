/* xinyong: personal ID numbers at rest in the SQLite backend (pii.h,
 * docs/security.md).
 *
 * The statements stay SQL: each connection gets a few functions bound to its
 * keys, and the statements that write or read a personal value call them.
 *
 *   xy_enc(x)         x encrypted (NULL stays NULL, a BLOB is already encrypted)
 *   xy_dec(x)         x decrypted (TEXT and NULL pass through: plain values)
 *   xy_lk(code, type) the lookup value of a subject code: its keyed hash (a
 *                     16-byte BLOB) when the type is personal, else the code
 *   xy_enc_if(code, type)  the code encrypted when the type is personal, else NULL
 *   xy_h(code)        the keyed hash, whatever the code (an exact search)
 *   xy_key_id()       the hex id of the current key (pii_key.key_id)
 *   xy_reenc(x), xy_relk(x), xy_next_key_id(): the same with the next key,
 *                     during xinyong rekey only
 *
 * subjects.code holds the lookup value (the keyed hash for personal codes,
 * never the number) and subjects.code_enc the number encrypted; records.data,
 * record_versions.data, batch_errors.value, checks.answer and
 * interviews.persons are encrypted whole. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "pii.h"
#include "sqlite_int.h"

static void result_buf(sqlite3_context *ctx, xy_buf *b, bool blob)
{
	size_t len = b->len;
	char *p;
	if (!b->cap && xy_buf_grow(b, 1)) {
		sqlite3_result_error_nomem(ctx);
		return;
	}
	p = xy_buf_detach(b, NULL);
	if (blob)
		sqlite3_result_blob64(ctx, p, len, free);
	else
		sqlite3_result_text64(ctx, p, len, free, SQLITE_UTF8);
}

static void seal_value(sqlite3_context *ctx, const xy__pii_key *k, sqlite3_value *v)
{
	xy_buf out = XY_BUF_INIT;
	const unsigned char *t = sqlite3_value_text(v);
	if (!t && sqlite3_value_type(v) != SQLITE_NULL) {
		sqlite3_result_error_nomem(ctx);
		return;
	}
	if (xy__pii_seal(k, t, (size_t)sqlite3_value_bytes(v), &out)) {
		sqlite3_result_error_nomem(ctx);
		return;
	}
	result_buf(ctx, &out, true);
}

/* Decrypt v with k into out; on failure the function's result is the error. */
static bool open_value(sqlite3_context *ctx, const xy__pii_key *k, sqlite3_value *v,
		       xy_buf *out)
{
	xy_error err = XY_ERROR_INIT;
	if (xy__pii_open(k, sqlite3_value_blob(v), (size_t)sqlite3_value_bytes(v), out, &err)) {
		xy_buf_release(out);
		if (err.code == XY_ERR_NOMEM)
			sqlite3_result_error_nomem(ctx);
		else
			sqlite3_result_error(ctx, err.msg, -1);
		return false;
	}
	return true;
}

static void fn_enc(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	xy__pii *p = sqlite3_user_data(ctx);
	(void)argc;
	switch (sqlite3_value_type(argv[0])) {
	case SQLITE_NULL:
	case SQLITE_BLOB:
		sqlite3_result_value(ctx, argv[0]);
		return;
	default:
		seal_value(ctx, &p->cur, argv[0]);
	}
}

static void fn_dec(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	xy__pii *p = sqlite3_user_data(ctx);
	xy_buf out = XY_BUF_INIT;
	(void)argc;
	if (sqlite3_value_type(argv[0]) != SQLITE_BLOB) {
		sqlite3_result_value(ctx, argv[0]);
		return;
	}
	if (open_value(ctx, &p->cur, argv[0], &out))
		result_buf(ctx, &out, false);
}

static void hash_result(sqlite3_context *ctx, const xy__pii_key *k, const void *t, size_t n)
{
	unsigned char h[XY__PII_HASH_BYTES];
	xy__pii_hash(k, t, n, h);
	sqlite3_result_blob(ctx, h, sizeof h, SQLITE_TRANSIENT);
}

static void fn_lk(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	xy__pii *p = sqlite3_user_data(ctx);
	(void)argc;
	if (sqlite3_value_type(argv[0]) == SQLITE_NULL ||
	    !xy__pii_code_type((const char *)sqlite3_value_text(argv[1]))) {
		sqlite3_result_value(ctx, argv[0]);
		return;
	}
	hash_result(ctx, &p->cur, sqlite3_value_text(argv[0]), (size_t)sqlite3_value_bytes(argv[0]));
}

static void fn_enc_if(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	xy__pii *p = sqlite3_user_data(ctx);
	(void)argc;
	if (sqlite3_value_type(argv[0]) == SQLITE_NULL ||
	    !xy__pii_code_type((const char *)sqlite3_value_text(argv[1]))) {
		sqlite3_result_null(ctx);
		return;
	}
	seal_value(ctx, &p->cur, argv[0]);
}

static void fn_h(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	xy__pii *p = sqlite3_user_data(ctx);
	(void)argc;
	if (sqlite3_value_type(argv[0]) == SQLITE_NULL) {
		sqlite3_result_null(ctx);
		return;
	}
	hash_result(ctx, &p->cur, sqlite3_value_text(argv[0]), (size_t)sqlite3_value_bytes(argv[0]));
}

static void fn_key_id(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	xy__pii *p = sqlite3_user_data(ctx);
	(void)argc;
	(void)argv;
	sqlite3_result_text(ctx, p->cur.hex, -1, SQLITE_TRANSIENT);
}

/* ---- rekey: decrypt with cur, write with next ---- */

static bool rekeying(sqlite3_context *ctx, xy__pii *p)
{
	if (!p->has_next)
		sqlite3_result_error(ctx, "no key rotation is running", -1);
	return p->has_next;
}

static void fn_reenc(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	xy__pii *p = sqlite3_user_data(ctx);
	xy_buf plain = XY_BUF_INIT, out = XY_BUF_INIT;
	(void)argc;
	if (!rekeying(ctx, p))
		return;
	if (sqlite3_value_type(argv[0]) != SQLITE_BLOB) {
		sqlite3_result_value(ctx, argv[0]);
		return;
	}
	if (!open_value(ctx, &p->cur, argv[0], &plain))
		return;
	if (xy__pii_seal(&p->next, plain.data, plain.len, &out))
		sqlite3_result_error_nomem(ctx);
	else
		result_buf(ctx, &out, true);
	sodium_memzero(plain.data, plain.len);
	xy_buf_release(&plain);
}

static void fn_relk(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	xy__pii *p = sqlite3_user_data(ctx);
	xy_buf plain = XY_BUF_INIT;
	(void)argc;
	if (!rekeying(ctx, p))
		return;
	if (sqlite3_value_type(argv[0]) != SQLITE_BLOB) {
		sqlite3_result_error(ctx, "xy_relk: not an encrypted code", -1);
		return;
	}
	if (!open_value(ctx, &p->cur, argv[0], &plain))
		return;
	hash_result(ctx, &p->next, plain.data, plain.len);
	sodium_memzero(plain.data, plain.len);
	xy_buf_release(&plain);
}

static void fn_next_key_id(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	xy__pii *p = sqlite3_user_data(ctx);
	(void)argc;
	(void)argv;
	if (rekeying(ctx, p))
		sqlite3_result_text(ctx, p->next.hex, -1, SQLITE_TRANSIENT);
}

static const struct {
	const char *name;
	int nargs;
	bool deterministic;
	void (*fn)(sqlite3_context *, int, sqlite3_value **);
} functions[] = {
	{ "xy_enc", 1, false, fn_enc },
	{ "xy_dec", 1, true, fn_dec },
	{ "xy_lk", 2, true, fn_lk },
	{ "xy_enc_if", 2, false, fn_enc_if },
	{ "xy_h", 1, true, fn_h },
	{ "xy_key_id", 0, true, fn_key_id },
	{ "xy_reenc", 1, false, fn_reenc },
	{ "xy_relk", 1, false, fn_relk },
	{ "xy_next_key_id", 0, false, fn_next_key_id },
};

/* The key id the database was written with, "" when it has none yet (a new
 * database, or one from before migration 11), into id[33]. */
static xy_code stored_key_id(xy_store *s, char id[2 * XY__PII_ID_BYTES + 1], xy_error *err)
{
	sqlite3 *db = xy__sq_db(s);
	sqlite3_stmt *st = NULL;
	int rc = sqlite3_prepare_v2(db,
				    "SELECT key_id FROM pii_key WHERE one = 1 AND EXISTS"
				    " (SELECT 1 FROM sqlite_master WHERE name = 'pii_key')",
				    -1, &st, NULL);
	id[0] = '\0';
	if (rc != SQLITE_OK) {
		/* no such table: a database from before migration 11 */
		if (strstr(sqlite3_errmsg(db), "no such table"))
			return XY_OK;
		return xy__sq_fail(s, rc, "reading the key id", err);
	}
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		const char *t = (const char *)sqlite3_column_text(st, 0);
		snprintf(id, 2 * XY__PII_ID_BYTES + 1, "%s", t ? t : "");
	} else if (rc != SQLITE_DONE) {
		xy_code code = xy__sq_fail(s, rc, "reading the key id", err);
		sqlite3_finalize(st);
		return code;
	}
	sqlite3_finalize(st);
	return XY_OK;
}

/* Read path (0600 checked) into k; XY_ERR_NOTFOUND when it does not exist. */
static xy_code read_key(const char *path, xy__pii_key *k, xy_error *err)
{
	unsigned char master[32];
	xy_code rc = xy__pii_key_read(path, master, err);
	if (!rc)
		xy__pii_derive(k, master);
	sodium_memzero(master, sizeof master);
	return rc;
}

xy_code xy__sq_pii_open(xy_store *s, const char *dbpath, xy__pii **out, xy_error *err)
{
	char want[2 * XY__PII_ID_BYTES + 1];
	xy_buf path = XY_BUF_INIT, old = XY_BUF_INIT;
	unsigned char master[32];
	bool has_file = false;
	xy__pii *p;
	xy_code rc;
	*out = NULL;
	if (sodium_init() < 0)
		return xy_error_set(err, XY_ERR_STORE, "libsodium cannot start");
	if (!(p = calloc(1, sizeof *p)))
		return xy_error_set(err, XY_ERR_NOMEM, "out of memory");
	if ((rc = stored_key_id(s, want, err)) ||
	    (rc = xy__pii_key_path(dbpath, &path, &has_file, err)))
		goto fail;
	if (!has_file) {
		/* an in-memory database: a key for this handle only */
		if (*want) {
			rc = xy_error_set(err, XY_ERR_STORE, "encrypted database without a key file");
			goto fail;
		}
		randombytes_buf(master, sizeof master);
		xy__pii_derive(&p->cur, master);
		sodium_memzero(master, sizeof master);
		*out = p;
		return XY_OK;
	}
	rc = read_key(path.data, &p->cur, err);
	if (rc == XY_ERR_NOTFOUND && !*want) {
		/* first open: make the key (another process may be making it too) */
		xy_error_clear(err);
		rc = xy__pii_key_create(path.data, master, err);
		if (!rc)
			xy__pii_derive(&p->cur, master);
		else if (rc == XY_ERR_CONFLICT) {
			xy_error_clear(err);
			rc = read_key(path.data, &p->cur, err);
		}
		sodium_memzero(master, sizeof master);
	}
	if (rc && rc != XY_ERR_NOTFOUND)
		goto fail;
	if (*want && (rc || strcmp(want, p->cur.hex))) {
		/* an interrupted rekey leaves the key the database still uses as .old */
		xy_error e2 = XY_ERROR_INIT;
		bool missing = rc == XY_ERR_NOTFOUND;
		if (xy_buf_addf(&old, "%s.old", path.data)) {
			rc = xy_error_set(err, XY_ERR_NOMEM, "out of memory");
			goto fail;
		}
		if (!read_key(old.data, &p->cur, &e2) && !strcmp(want, p->cur.hex)) {
			xy_error_clear(err);
			p->from_old = true;
		} else if (missing) {
			rc = xy_error_at(err, XY_ERR_STORE, path.data, 0, NULL,
					 "key file does not exist, and the database %s holds ID "
					 "numbers encrypted with key %.8s…: restore the key file from "
					 "the backup (without it they cannot be read) (缺少密钥文件)",
					 dbpath, want);
			goto fail;
		} else {
			rc = xy_error_at(err, XY_ERR_STORE, path.data, 0, NULL,
					 "wrong key: this key file holds key %.8s…, but the database "
					 "%s was written with key %.8s… (密钥与数据库不符)",
					 p->cur.hex, dbpath, want);
			goto fail;
		}
	}
	p->path = xy_buf_detach(&path, NULL);
	xy_buf_release(&old);
	*out = p;
	return XY_OK;
fail:
	xy_buf_release(&path);
	xy_buf_release(&old);
	sodium_memzero(p, sizeof *p);
	free(p);
	return rc;
}

xy_code xy__sq_pii_register(xy_store *s, xy__pii *p, xy_error *err)
{
	sqlite3 *db = xy__sq_db(s);
	for (size_t i = 0; i < sizeof functions / sizeof *functions; i++) {
		int flags = SQLITE_UTF8 | SQLITE_DIRECTONLY |
			    (functions[i].deterministic ? SQLITE_DETERMINISTIC : 0);
		int rc = sqlite3_create_function_v2(db, functions[i].name, functions[i].nargs,
						    flags, p, functions[i].fn, NULL, NULL, NULL);
		if (rc != SQLITE_OK)
			return xy__sq_fail(s, rc, "registering the key functions", err);
	}
	return XY_OK;
}

void xy__sq_pii_free(xy__pii *p)
{
	if (!p)
		return;
	free(p->path);
	sodium_memzero(p, sizeof *p);
	free(p);
}

/* ---- xinyong rekey ---- */

/* What a rotation rewrites, in order (the progress callback names each). */
static const struct {
	const char *what;
	const char *sql;
} rekey_steps[] = {
	{ "subjects", "UPDATE subjects SET code = xy_relk(code_enc), code_enc = xy_reenc(code_enc)"
		      " WHERE code_enc IS NOT NULL" },
	{ "records", "UPDATE records SET data = xy_reenc(data) WHERE typeof(data) = 'blob'" },
	{ "record_versions",
	  "UPDATE record_versions SET data = xy_reenc(data) WHERE typeof(data) = 'blob'" },
	{ "batch_errors",
	  "UPDATE batch_errors SET value = xy_reenc(value) WHERE typeof(value) = 'blob'" },
	{ "checks", "UPDATE checks SET answer = xy_reenc(answer) WHERE typeof(answer) = 'blob'" },
	{ "interviews",
	  "UPDATE interviews SET persons = xy_reenc(persons) WHERE typeof(persons) = 'blob'" },
	{ "applications",
	  "UPDATE applications SET contact = xy_reenc(contact) WHERE typeof(contact) = 'blob'" },
	{ "pii_key", "UPDATE pii_key SET key_id = xy_next_key_id() WHERE one = 1" },
};

static xy_code exec_sql(xy_store *s, const char *sql, const char *what, xy_error *err)
{
	int rc = sqlite3_exec(xy__sq_db(s), sql, NULL, NULL, NULL);
	return rc == SQLITE_OK ? XY_OK : xy__sq_fail(s, rc, what, err);
}

xy_code xy__sq_rekey(xy_store *s, xy__pii *p, xy_rekey_fn progress, void *ctx, xy_error *err)
{
	char want[2 * XY__PII_ID_BYTES + 1];
	bool swapped = false, in_tx = false, committed = false;
	xy_code rc;
	if (!p->path)
		return xy_error_set(err, XY_ERR_ARG, "an in-memory database has no key file to rotate");
	if (!sqlite3_get_autocommit(xy__sq_db(s)))
		return xy_error_set(err, XY_ERR_ARG, "rekey cannot run inside a transaction");
	/* 1. the write lock first, and the key id read under it: the key files
	 *    are only touched by the one writer, against the key the database
	 *    holds now.  A second rekey started while one ran waits here, then
	 *    finds the key changed and stops without touching a file (before,
	 *    it replaced the key the first one had just committed with). */
	if ((rc = exec_sql(s, "BEGIN IMMEDIATE", "starting the key rotation", err)))
		goto out;
	in_tx = true;
	if ((rc = stored_key_id(s, want, err)))
		goto out;
	if (strcmp(want, p->cur.hex)) {
		rc = xy_error_at(err, XY_ERR_CONFLICT, p->path, 0, NULL,
				 "the database's key changed since it was opened (now %.8s…, was "
				 "%.8s…): another xinyong rekey ran meanwhile; nothing was changed, "
				 "run it again if a new rotation is wanted",
				 want, p->cur.hex);
		goto out;
	}
	/* 2. the new key in place, the old one kept (pii.h) */
	if ((rc = xy__pii_rotate_start(p, &swapped, err)))
		goto out;
	/* 3. every value and keyed hash, in the one transaction */
	for (size_t i = 0; i < sizeof rekey_steps / sizeof *rekey_steps; i++) {
		if ((rc = exec_sql(s, rekey_steps[i].sql, "re-encrypting", err)))
			goto out;
		if (progress)
			progress(ctx, rekey_steps[i].what);
	}
	if ((rc = exec_sql(s, "COMMIT", "committing the key rotation", err)))
		goto out;
	in_tx = false;
	committed = true;
out:
	if (in_tx)
		sqlite3_exec(xy__sq_db(s), "ROLLBACK", NULL, NULL, NULL);
	/* 4. committed: the new key is the key; else the old one back */
	return xy__pii_rotate_end(p, committed, swapped, rc, err);
}
