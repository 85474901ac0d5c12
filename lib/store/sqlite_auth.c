/* xinyong: the SQLite backend's users, sessions, bearer tokens and audit log
 * (issue 9).  Tables from migration 10 (sqlite.c); every value bound, each
 * statement prepared once per handle in its slot (xy__sq_prep). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "xinyong/store.h"
#include "sqlite_int.h"

enum {
	A_USER_INSERT,
	A_USER_BY_NAME,
	A_USER_BY_ID,
	A_USERS,
	A_USER_PASSWD,
	A_USER_DISABLE,
	A_SESS_END_USER,
	A_SESS_INSERT,
	A_SESS_GET,
	A_SESS_DELETE,
	A_SESS_PURGE,
	A_TOKEN_INSERT,
	A_TOKEN_GET,
	A_TOKENS,
	A_TOKEN_REVOKE,
	A_AUDIT_INSERT,
	A_AUDIT_HEAD_SET,
	A_AUDIT_HEAD,
	A_AUDIT_LIST,
	A_AUDIT_LIST_DESC,
	A_AUDIT_ACTION,
	A_AUDIT_ACTION_DESC,
	A__N
};

/* from/to compare as text with the ISO 8601 time: a `to` date covers its
 * whole day since only as many characters as it has are compared; ?6/?7 are
 * the keyset cursors (0 and INT64_MAX: none), a range on the rowid */
#define AUDIT_LIST                                                                 \
	"SELECT seq, at, who, action, object, detail, before_digest,"              \
	" after_digest, prev, hash FROM audit_log"                                 \
	" WHERE (?1 IS NULL OR who = ?1) AND (?2 IS NULL OR action = ?2)"          \
	" AND (?3 IS NULL OR at >= ?3)"                                            \
	" AND (?4 IS NULL OR substr(at, 1, length(?4)) <= ?4)"                     \
	" AND seq > ?6 AND seq < ?7"

static const char *const sql_text[A__N] = {
	[A_USER_INSERT] = "INSERT INTO users(name, role, unit_id, pwhash, created_at, changed_at)"
			  " VALUES (?1, ?2, ?3, ?4, ?5, ?5)",
	[A_USER_BY_NAME] = "SELECT u.id, u.name, u.role, coalesce(u.unit_id, 0),"
			   " coalesce(n.name, ''), u.pwhash, u.disabled, u.created_at,"
			   " u.changed_at FROM users u LEFT JOIN units n ON n.id = u.unit_id"
			   " WHERE u.name = ?1",
	[A_USER_BY_ID] = "SELECT u.id, u.name, u.role, coalesce(u.unit_id, 0),"
			 " coalesce(n.name, ''), u.pwhash, u.disabled, u.created_at,"
			 " u.changed_at FROM users u LEFT JOIN units n ON n.id = u.unit_id"
			 " WHERE u.id = ?1",
	[A_USERS] = "SELECT u.id, u.name, u.role, coalesce(u.unit_id, 0),"
		    " coalesce(n.name, ''), '', u.disabled, u.created_at,"
		    " u.changed_at FROM users u LEFT JOIN units n ON n.id = u.unit_id"
		    " ORDER BY u.name",
	[A_USER_PASSWD] = "UPDATE users SET pwhash = ?2, changed_at = ?3 WHERE id = ?1",
	[A_USER_DISABLE] = "UPDATE users SET disabled = 1, changed_at = ?2 WHERE id = ?1",
	[A_SESS_END_USER] = "DELETE FROM sessions WHERE user_id = ?1",
	[A_SESS_INSERT] = "INSERT INTO sessions(hash, user_id, created_at, expires)"
			  " VALUES (?1, ?2, ?3, ?4)",
	[A_SESS_GET] = "SELECT user_id, expires FROM sessions WHERE hash = ?1",
	[A_SESS_DELETE] = "DELETE FROM sessions WHERE hash = ?1",
	[A_SESS_PURGE] = "DELETE FROM sessions WHERE expires < ?1",
	[A_TOKEN_INSERT] = "INSERT INTO tokens(hash, role, unit_id, label, created_by,"
			   " created_at, expires) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
	[A_TOKEN_GET] = "SELECT t.id, t.role, coalesce(t.unit_id, 0), coalesce(n.name, ''),"
			" t.label, t.hash, t.created_by, t.created_at, t.expires,"
			" coalesce(t.revoked_at, '') FROM tokens t"
			" LEFT JOIN units n ON n.id = t.unit_id WHERE t.id = ?1",
	[A_TOKENS] = "SELECT t.id, t.role, coalesce(t.unit_id, 0), coalesce(n.name, ''),"
		     " t.label, '', t.created_by, t.created_at, t.expires,"
		     " coalesce(t.revoked_at, '') FROM tokens t"
		     " LEFT JOIN units n ON n.id = t.unit_id ORDER BY t.id DESC",
	[A_TOKEN_REVOKE] = "UPDATE tokens SET revoked_at = ?2"
			   " WHERE id = ?1 AND revoked_at IS NULL",
	[A_AUDIT_INSERT] = "INSERT INTO audit_log(seq, at, who, action, object, detail,"
			   " before_digest, after_digest, prev, hash)"
			   " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
	[A_AUDIT_HEAD_SET] = "INSERT INTO audit_head(one, seq, hash) VALUES (1, ?1, ?2)"
			     " ON CONFLICT(one) DO UPDATE SET seq = excluded.seq,"
			     " hash = excluded.hash",
	[A_AUDIT_HEAD] = "SELECT seq, hash FROM audit_head WHERE one = 1",
	[A_AUDIT_LIST] = AUDIT_LIST " ORDER BY seq LIMIT ?5",
	/* the dashboard's newest events: a walk down the primary key from the
	 * head (or from the keyset cursor ?7), not a count from the start */
	[A_AUDIT_LIST_DESC] = AUDIT_LIST " ORDER BY seq DESC LIMIT ?5",
	/* one action's entries through audit_log_action (action, seq): "?2 IS
	 * NULL OR" keeps SQLite off the index, so with 1M other entries after
	 * the newest grade.publish each public profile scanned them all (about
	 * 80 ms; docs/grading.md "Public grades") */
	[A_AUDIT_ACTION] = AUDIT_LIST " AND action = ?2 ORDER BY seq LIMIT ?5",
	[A_AUDIT_ACTION_DESC] = AUDIT_LIST " AND action = ?2 ORDER BY seq DESC LIMIT ?5",
};

static xy_code prep(xy_store *s, unsigned id, sqlite3_stmt **st, xy_error *err)
{
	return xy__sq_prep(s, id, sql_text[id], st, err);
}

/* Step a statement expected to return no row, reset it; *changes (may be
 * NULL) gets the rows changed.  A constraint failure is XY_ERR_CONFLICT. */
static xy_code run(xy_store *s, sqlite3_stmt *st, const char *what, int *changes,
		   xy_error *err)
{
	int rc = sq_step(SQ(s), st);
	xy_code code = XY_OK;
	if (rc == SQLITE_CONSTRAINT_UNIQUE || rc == SQLITE_CONSTRAINT_PRIMARYKEY)
		code = xy_error_set(err, XY_ERR_CONFLICT, "%s: already exists", what);
	else if (rc != SQLITE_DONE && rc != SQLITE_ROW)
		code = xy__sq_fail(s, rc, what, err);
	else if (changes)
		*changes = sqlite3_changes(xy__sq_db(s));
	sqlite3_reset(st);
	return code;
}

static char *dup_col(sqlite3_stmt *st, int i)
{
	const unsigned char *t = sqlite3_column_text(st, i);
	size_t n = t ? (size_t)sqlite3_column_bytes(st, i) : 0;
	char *p = malloc(n + 1);
	if (p) {
		if (n)
			memcpy(p, t, n);
		p[n] = '\0';
	}
	return p;
}

static const char *col(sqlite3_stmt *st, int i)
{
	const unsigned char *t = sqlite3_column_text(st, i);
	return t ? (const char *)t : "";
}

/* Step st once: fill(st, out) from the row, XY_ERR_NOTFOUND (err untouched)
 * without one.  Resets st. */
static xy_code one_row(xy_store *s, sqlite3_stmt *st, xy_code (*fill)(sqlite3_stmt *, void *),
		       void *out, const char *what, xy_error *err)
{
	int src = sq_step(SQ(s), st);
	xy_code rc = XY_OK;
	if (src == SQLITE_ROW) {
		if (fill(st, out))
			rc = xy_error_set(err, XY_ERR_NOMEM, "out of memory %s", what);
	} else if (src == SQLITE_DONE) {
		rc = XY_ERR_NOTFOUND;
	} else {
		rc = xy__sq_fail(s, src, what, err);
	}
	sqlite3_reset(st);
	return rc;
}

/* Every row of st as an array of `size`-byte elements filled by fill; on
 * failure the filled ones are released with release(v, n). */
static xy_code all_rows(xy_store *s, sqlite3_stmt *st, size_t size,
			xy_code (*fill)(sqlite3_stmt *, void *), void (*release)(void *, size_t),
			void **out, size_t *n, const char *what, xy_error *err)
{
	char *v = NULL;
	size_t len = 0, cap = 0;
	xy_code rc = XY_OK;
	int src;
	while ((src = sq_step(SQ(s), st)) == SQLITE_ROW) {
		char *g = xy_array_grow(v, len, &cap, size, 8);
		if (!g || fill(st, g + len * size)) {
			v = g ? g : v;
			rc = xy_error_set(err, XY_ERR_NOMEM, "out of memory %s", what);
			break;
		}
		v = g;
		len++;
	}
	if (!rc && src != SQLITE_DONE)
		rc = xy__sq_fail(s, src, what, err);
	sqlite3_reset(st);
	if (rc) {
		release(v, len);
		return rc;
	}
	*out = v;
	*n = len;
	return XY_OK;
}

/* ---- users ---- */

static xy_code sq_user_insert(xy_store *s, const xy_user_in *u, int64_t *id, xy_error *err)
{
	sqlite3_stmt *st = NULL;
	xy_code rc = prep(s, A_USER_INSERT, &st, err);
	if (rc)
		return rc;
	sq_bind_str(SQ(s), st, 1, u->name);
	sq_bind_str(SQ(s), st, 2, u->role);
	sq_bind_id(SQ(s), st, 3, u->unit_id);
	sq_bind_str(SQ(s), st, 4, u->pwhash);
	sq_bind_str(SQ(s), st, 5, u->at);
	if ((rc = run(s, st, "adding a user", NULL, err)))
		return rc == XY_ERR_CONFLICT
			       ? xy_error_at(err, XY_ERR_CONFLICT, NULL, 0, "name",
					     "a user named '%s' exists already", u->name)
			       : rc;
	*id = sqlite3_last_insert_rowid(xy__sq_db(s));
	return XY_OK;
}

static xy_code user_from_row(sqlite3_stmt *st, void *out)
{
	xy_user_row *u = out;
	memset(u, 0, sizeof *u);
	u->id = sqlite3_column_int64(st, 0);
	u->unit_id = sqlite3_column_int64(st, 3);
	u->disabled = sqlite3_column_int(st, 6) != 0;
	if (!(u->name = dup_col(st, 1)) || !(u->role = dup_col(st, 2)) ||
	    !(u->unit = dup_col(st, 4)) || !(u->pwhash = dup_col(st, 5)) ||
	    !(u->created_at = dup_col(st, 7)) || !(u->changed_at = dup_col(st, 8))) {
		xy_user_row_release(u);
		return XY_ERR_NOMEM;
	}
	return XY_OK;
}

static xy_code sq_user_get(xy_store *s, const char *name, int64_t id, xy_user_row *out,
			   xy_error *err)
{
	sqlite3_stmt *st = NULL;
	xy_code rc = prep(s, name ? A_USER_BY_NAME : A_USER_BY_ID, &st, err);
	if (rc)
		return rc;
	if (name)
		sq_bind_str(SQ(s), st, 1, name);
	else
		sq_bind_int64(SQ(s), st, 1, id);
	return one_row(s, st, user_from_row, out, "reading a user", err);
}

static void users_free(void *v, size_t n)
{
	xy_user_rows_free(v, n);
}

static xy_code sq_users(xy_store *s, xy_user_row **out, size_t *n, xy_error *err)
{
	sqlite3_stmt *st = NULL;
	xy_code rc = prep(s, A_USERS, &st, err);
	return rc ? rc : all_rows(s, st, sizeof **out, user_from_row, users_free, (void **)out, n,
				  "listing users", err);
}

static xy_code sq_user_update(xy_store *s, int64_t id, const char *pwhash, bool disable,
			      const char *at, xy_error *err)
{
	sqlite3_stmt *st = NULL;
	int changes = 0;
	xy_code rc;
	if (pwhash) {
		if ((rc = prep(s, A_USER_PASSWD, &st, err)))
			return rc;
		sq_bind_int64(SQ(s), st, 1, id);
		sq_bind_str(SQ(s), st, 2, pwhash);
		sq_bind_str(SQ(s), st, 3, at);
		if ((rc = run(s, st, "changing a password", &changes, err)))
			return rc;
		if (!changes)
			return xy_error_set(err, XY_ERR_NOTFOUND, "no user %lld", (long long)id);
	}
	if (disable) {
		if ((rc = prep(s, A_USER_DISABLE, &st, err)))
			return rc;
		sq_bind_int64(SQ(s), st, 1, id);
		sq_bind_str(SQ(s), st, 2, at);
		if ((rc = run(s, st, "disabling a user", &changes, err)))
			return rc;
		if (!changes)
			return xy_error_set(err, XY_ERR_NOTFOUND, "no user %lld", (long long)id);
	}
	if ((rc = prep(s, A_SESS_END_USER, &st, err)))
		return rc;
	sq_bind_int64(SQ(s), st, 1, id);
	return run(s, st, "ending a user's sessions", NULL, err);
}

/* ---- sessions ---- */

static xy_code sq_session_insert(xy_store *s, const char *hash, int64_t user_id,
				 int64_t expires, const char *at, xy_error *err)
{
	sqlite3_stmt *st = NULL;
	xy_code rc = prep(s, A_SESS_INSERT, &st, err);
	if (rc)
		return rc;
	sq_bind_str(SQ(s), st, 1, hash);
	sq_bind_int64(SQ(s), st, 2, user_id);
	sq_bind_str(SQ(s), st, 3, at);
	sq_bind_int64(SQ(s), st, 4, expires);
	return run(s, st, "opening a session", NULL, err);
}

static xy_code sq_session_get(xy_store *s, const char *hash, int64_t *user_id,
			      int64_t *expires, xy_error *err)
{
	sqlite3_stmt *st = NULL;
	xy_code rc = prep(s, A_SESS_GET, &st, err);
	int src;
	if (rc)
		return rc;
	sq_bind_str(SQ(s), st, 1, hash);
	src = sq_step(SQ(s), st);
	if (src == SQLITE_ROW) {
		*user_id = sqlite3_column_int64(st, 0);
		*expires = sqlite3_column_int64(st, 1);
	} else if (src == SQLITE_DONE) {
		rc = XY_ERR_NOTFOUND;
	} else {
		rc = xy__sq_fail(s, src, "reading a session", err);
	}
	sqlite3_reset(st);
	return rc;
}

static xy_code sq_session_delete(xy_store *s, const char *hash, xy_error *err)
{
	sqlite3_stmt *st = NULL;
	xy_code rc = prep(s, A_SESS_DELETE, &st, err);
	if (rc)
		return rc;
	sq_bind_str(SQ(s), st, 1, hash);
	return run(s, st, "ending a session", NULL, err);
}

static xy_code sq_sessions_purge(xy_store *s, int64_t now, xy_error *err)
{
	sqlite3_stmt *st = NULL;
	xy_code rc = prep(s, A_SESS_PURGE, &st, err);
	if (rc)
		return rc;
	sq_bind_int64(SQ(s), st, 1, now);
	return run(s, st, "removing expired sessions", NULL, err);
}

/* ---- bearer tokens ---- */

static xy_code sq_token_insert(xy_store *s, const xy_token_in *t, int64_t *id, xy_error *err)
{
	sqlite3_stmt *st = NULL;
	xy_code rc = prep(s, A_TOKEN_INSERT, &st, err);
	if (rc)
		return rc;
	sq_bind_str(SQ(s), st, 1, t->hash);
	sq_bind_str(SQ(s), st, 2, t->role);
	sq_bind_id(SQ(s), st, 3, t->unit_id);
	sq_bind_str(SQ(s), st, 4, t->label ? t->label : "");
	sq_bind_str(SQ(s), st, 5, t->created_by);
	sq_bind_str(SQ(s), st, 6, t->at);
	sq_bind_int64(SQ(s), st, 7, t->expires);
	if ((rc = run(s, st, "making a token", NULL, err)))
		return rc;
	*id = sqlite3_last_insert_rowid(xy__sq_db(s));
	return XY_OK;
}

static xy_code token_from_row(sqlite3_stmt *st, void *out)
{
	xy_token_row *t = out;
	memset(t, 0, sizeof *t);
	t->id = sqlite3_column_int64(st, 0);
	t->unit_id = sqlite3_column_int64(st, 2);
	t->expires = sqlite3_column_int64(st, 8);
	if (!(t->role = dup_col(st, 1)) || !(t->unit = dup_col(st, 3)) ||
	    !(t->label = dup_col(st, 4)) || !(t->hash = dup_col(st, 5)) ||
	    !(t->created_by = dup_col(st, 6)) || !(t->created_at = dup_col(st, 7)) ||
	    !(t->revoked_at = dup_col(st, 9))) {
		xy_token_row_release(t);
		return XY_ERR_NOMEM;
	}
	return XY_OK;
}

static xy_code sq_token_get(xy_store *s, int64_t id, xy_token_row *out, xy_error *err)
{
	sqlite3_stmt *st = NULL;
	xy_code rc = prep(s, A_TOKEN_GET, &st, err);
	if (rc)
		return rc;
	sq_bind_int64(SQ(s), st, 1, id);
	return one_row(s, st, token_from_row, out, "reading a token", err);
}

static void tokens_free(void *v, size_t n)
{
	xy_token_rows_free(v, n);
}

static xy_code sq_tokens(xy_store *s, xy_token_row **out, size_t *n, xy_error *err)
{
	sqlite3_stmt *st = NULL;
	xy_code rc = prep(s, A_TOKENS, &st, err);
	return rc ? rc : all_rows(s, st, sizeof **out, token_from_row, tokens_free, (void **)out, n,
				  "listing tokens", err);
}

static xy_code sq_token_revoke(xy_store *s, int64_t id, const char *at, xy_error *err)
{
	sqlite3_stmt *st = NULL;
	xy_token_row t;
	int changes = 0;
	xy_code rc = prep(s, A_TOKEN_REVOKE, &st, err);
	if (rc)
		return rc;
	sq_bind_int64(SQ(s), st, 1, id);
	sq_bind_str(SQ(s), st, 2, at);
	if ((rc = run(s, st, "revoking a token", &changes, err)) || changes)
		return rc;
	rc = sq_token_get(s, id, &t, err);
	if (rc == XY_ERR_NOTFOUND)
		return xy_error_set(err, XY_ERR_NOTFOUND, "no token %lld", (long long)id);
	if (rc)
		return rc;
	rc = xy_error_set(err, XY_ERR_CONFLICT, "token %lld was revoked already (%s)",
			  (long long)id, t.revoked_at);
	xy_token_row_release(&t);
	return rc;
}

/* ---- audit log ---- */

static xy_code sq_audit_insert(xy_store *s, const xy_audit_view *v, xy_error *err)
{
	sqlite3_stmt *st = NULL;
	xy_code rc = prep(s, A_AUDIT_INSERT, &st, err);
	if (rc)
		return rc;
	sq_bind_int64(SQ(s), st, 1, v->seq);
	sq_bind_str(SQ(s), st, 2, v->at);
	sq_bind_str(SQ(s), st, 3, v->who);
	sq_bind_str(SQ(s), st, 4, v->action);
	sq_bind_str(SQ(s), st, 5, v->object ? v->object : "");
	sq_bind_str(SQ(s), st, 6, v->detail ? v->detail : "");
	sq_bind_str(SQ(s), st, 7, v->before ? v->before : "");
	sq_bind_str(SQ(s), st, 8, v->after ? v->after : "");
	sq_bind_str(SQ(s), st, 9, v->prev);
	sq_bind_str(SQ(s), st, 10, v->hash);
	if ((rc = run(s, st, "appending to the audit log", NULL, err)))
		return rc;
	if ((rc = prep(s, A_AUDIT_HEAD_SET, &st, err)))
		return rc;
	sq_bind_int64(SQ(s), st, 1, v->seq);
	sq_bind_str(SQ(s), st, 2, v->hash);
	return run(s, st, "moving the audit log's head", NULL, err);
}

static xy_code sq_audit_head(xy_store *s, int64_t *seq, xy_buf *hash, xy_error *err)
{
	sqlite3_stmt *st = NULL;
	xy_code rc = prep(s, A_AUDIT_HEAD, &st, err);
	int src;
	if (rc)
		return rc;
	*seq = 0;
	xy_buf_reset(hash);
	src = sq_step(SQ(s), st);
	if (src == SQLITE_ROW) {
		*seq = sqlite3_column_int64(st, 0);
		if (xy_buf_addstr(hash, col(st, 1)))
			rc = xy_error_set(err, XY_ERR_NOMEM, "out of memory");
	} else if (src != SQLITE_DONE) {
		rc = xy__sq_fail(s, src, "reading the audit log's head", err);
	}
	sqlite3_reset(st);
	return rc;
}

static xy_code sq_audit_list(xy_store *s, const xy_audit_filter *f, xy_audit_cb cb, void *ctx,
			     xy_error *err)
{
	sqlite3_stmt *st = NULL;
	bool action = f && f->action;
	xy_code rc = prep(s,
			  f && f->desc ? (action ? A_AUDIT_ACTION_DESC : A_AUDIT_LIST_DESC)
				       : (action ? A_AUDIT_ACTION : A_AUDIT_LIST),
			  &st, err);
	int src;
	if (rc)
		return rc;
	sq_bind_str(SQ(s), st, 1, f ? f->who : NULL);
	sq_bind_str(SQ(s), st, 2, f ? f->action : NULL);
	sq_bind_str(SQ(s), st, 3, f ? f->from : NULL);
	sq_bind_str(SQ(s), st, 4, f ? f->to : NULL);
	sq_bind_int64(SQ(s), st, 5, f && f->limit ? (int64_t)f->limit : -1);
	sq_bind_int64(SQ(s), st, 6, f ? f->after : 0);
	sq_bind_int64(SQ(s), st, 7, f && f->before ? f->before : INT64_MAX);
	while ((src = sq_step(SQ(s), st)) == SQLITE_ROW) {
		xy_audit_view v = {
			.seq = sqlite3_column_int64(st, 0),
			.at = col(st, 1), .who = col(st, 2), .action = col(st, 3),
			.object = col(st, 4), .detail = col(st, 5), .before = col(st, 6),
			.after = col(st, 7), .prev = col(st, 8), .hash = col(st, 9),
		};
		if (cb(ctx, &v))
			break;
	}
	rc = xy__sq_done(SQ(s), st, src, rc, "reading the audit log", err);
	return rc;
}

const struct xy__store_auth_ops xy__sqlite_auth_ops = {
	.user_insert = sq_user_insert,
	.user_get = sq_user_get,
	.users = sq_users,
	.user_update = sq_user_update,
	.session_insert = sq_session_insert,
	.session_get = sq_session_get,
	.session_delete = sq_session_delete,
	.sessions_purge = sq_sessions_purge,
	.token_insert = sq_token_insert,
	.token_get = sq_token_get,
	.tokens = sq_tokens,
	.token_revoke = sq_token_revoke,
	.audit_insert = sq_audit_insert,
	.audit_head = sq_audit_head,
	.audit_list = sq_audit_list,
};
