/* xinyong: PostgreSQL backend, users, sessions, bearer tokens and the audit log (pg_int.h). */
#include "pg_int.h"

/* ---- the audit log's append (every change is logged: docs/security.md) ---- */

static xy_code pg_auth_audit_insert(xy_store *base, const xy_audit_view *v, xy_error *err)
{
	pq_args a = { .n = 0 };
	xy_code rc;
	/* the object and detail may name a file that is not UTF-8 (an import's) */
	xy_buf obj, det;
	xy_buf_init(&obj, 0);
	xy_buf_init(&det, 0);
	if ((v->object && xy__pg_name_to_text(v->object, &obj)) ||
	    (v->detail && xy__pg_name_to_text(v->detail, &det))) {
		xy_buf_release(&obj);
		xy_buf_release(&det);
		return xy_error_set(err, XY_ERR_NOMEM, "out of memory");
	}
	a_int(&a, v->seq);
	a_str(&a, v->at);
	a_str(&a, v->who);
	a_str(&a, v->action);
	a_str(&a, v->object ? obj.data : NULL);
	a_str(&a, v->detail ? det.data : NULL);
	a_str(&a, v->before);
	a_str(&a, v->after);
	a_str(&a, v->prev);
	a_str(&a, v->hash);
	rc = pq(PG(base), "INSERT INTO audit_log(seq, at, who, action, object, detail,"
		     " before_digest, after_digest, prev, hash) VALUES ($1, $2, $3, $4, $5, $6,"
		     " $7, $8, $9, $10)", &a, "appending to the audit log", NULL, err);
	xy_buf_release(&obj);
	xy_buf_release(&det);
	if (rc)
		return rc;
	a.n = 1;
	a_str(&a, v->hash);
	return pq(PG(base), "INSERT INTO audit_head(one, seq, hash) VALUES (1, $1, $2)"
		  " ON CONFLICT(one) DO UPDATE SET seq = excluded.seq, hash = excluded.hash", &a,
		  "moving the audit log's head", NULL, err);
}

static xy_code pg_auth_audit_head(xy_store *base, int64_t *seq, xy_buf *hash, xy_error *err)
{
	PGresult *r = NULL;
	/* Appends (in a transaction) take turns between processes until they
	 * commit, so the second reads the head the first committed instead of
	 * both chaining onto one; an advisory lock rather than FOR UPDATE, as
	 * the head row does not exist before the first entry.  (READ
	 * COMMITTED: the SELECT after the wait sees the other's commit.) */
	xy_code rc = XY_OK;
	if (in_tx(PG(base)))
		rc = xy__pg_lock(PG(base), "7831004", NULL,
				 "waiting for another append to the audit log", err);
	if (!rc)
		rc = pq(PG(base), "SELECT seq, hash FROM audit_head WHERE one = 1", NULL,
			"reading the audit log's head", &r, err);
	*seq = 0;
	xy_buf_reset(hash);
	if (!rc && PQntuples(r)) {
		*seq = ci(r, 0, 0);
		if (xy_buf_addstr(hash, cv(r, 0, 1)))
			rc = xy_error_set(err, XY_ERR_NOMEM, "out of memory");
	}
	PQclear(r);
	return rc;
}

/* ---- users, sessions, bearer tokens, the audit log's pages (issue 9's
 * tables; sqlite_auth.c is the reference behaviour) ---- */

#define PG_USER_COLS(pw)                                                                           \
	"SELECT u.id, u.name, u.role, coalesce(u.unit_id, 0), coalesce(n.name, ''), " pw           \
	", u.disabled, u.created_at, u.changed_at FROM users u"                                    \
	" LEFT JOIN units n ON n.id = u.unit_id"

#define PG_TOKEN_COLS(hash)                                                                        \
	"SELECT t.id, t.role, coalesce(t.unit_id, 0), coalesce(n.name, ''), t.label, " hash        \
	", t.created_by, t.created_at, t.expires, coalesce(t.revoked_at, '')"                      \
	" FROM tokens t LEFT JOIN units n ON n.id = t.unit_id"

static char *pg_dup(PGresult *r, int i, int c)
{
	const char *v = cv(r, i, c);
	size_t n = (size_t)PQgetlength(r, i, c);
	char *p = malloc(n + 1);
	if (p) {
		memcpy(p, v, n);
		p[n] = '\0';
	}
	return p;
}

static xy_code pg_user_from_row(PGresult *r, int i, void *out)
{
	xy_user_row *u = out;
	memset(u, 0, sizeof *u);
	u->id = ci(r, i, 0);
	u->unit_id = ci(r, i, 3);
	u->disabled = ci(r, i, 6) != 0;
	if (!(u->name = pg_dup(r, i, 1)) || !(u->role = pg_dup(r, i, 2)) ||
	    !(u->unit = pg_dup(r, i, 4)) || !(u->pwhash = pg_dup(r, i, 5)) ||
	    !(u->created_at = pg_dup(r, i, 7)) || !(u->changed_at = pg_dup(r, i, 8))) {
		xy_user_row_release(u);
		return XY_ERR_NOMEM;
	}
	return XY_OK;
}

static xy_code pg_token_from_row(PGresult *r, int i, void *out)
{
	xy_token_row *t = out;
	memset(t, 0, sizeof *t);
	t->id = ci(r, i, 0);
	t->unit_id = ci(r, i, 2);
	t->expires = ci(r, i, 8);
	if (!(t->role = pg_dup(r, i, 1)) || !(t->unit = pg_dup(r, i, 3)) ||
	    !(t->label = pg_dup(r, i, 4)) || !(t->hash = pg_dup(r, i, 5)) ||
	    !(t->created_by = pg_dup(r, i, 6)) || !(t->created_at = pg_dup(r, i, 7)) ||
	    !(t->revoked_at = pg_dup(r, i, 9))) {
		xy_token_row_release(t);
		return XY_ERR_NOMEM;
	}
	return XY_OK;
}

/* The first row of sql's answer through fill; XY_ERR_NOTFOUND (err
 * untouched) without one, as sqlite_auth.c's one_row. */
static xy_code pg_one_row(pg_store *s, const char *sql, const pq_args *a,
                          xy_code (*fill)(PGresult *, int, void *), void *out, const char *what,
                          xy_error *err)
{
	PGresult *r = NULL;
	xy_code rc = pq(s, sql, a, what, &r, err);
	if (rc)
		return rc;
	if (!PQntuples(r))
		rc = XY_ERR_NOTFOUND;
	else if (fill(r, 0, out))
		rc = xy_error_set(err, XY_ERR_NOMEM, "out of memory %s", what);
	PQclear(r);
	return rc;
}

/* Every row as an array of size-byte elements; release(v, n) on failure. */
static xy_code pg_all_rows(pg_store *s, const char *sql, size_t size,
                           xy_code (*fill)(PGresult *, int, void *),
                           void (*release)(void *, size_t), void **out, size_t *n, const char *what,
                           xy_error *err)
{
	PGresult *r = NULL;
	char *v = NULL;
	size_t len = 0, cap = 0;
	xy_code rc = pq(s, sql, NULL, what, &r, err);
	if (rc)
		return rc;
	for (int i = 0; i < PQntuples(r); i++) {
		char *g = xy_array_grow(v, len, &cap, size, 8);
		if (!g || fill(r, i, g + len * size)) {
			v = g ? g : v;
			rc = xy_error_set(err, XY_ERR_NOMEM, "out of memory %s", what);
			break;
		}
		v = g;
		len++;
	}
	PQclear(r);
	if (rc) {
		release(v, len);
		return rc;
	}
	*out = v;
	*n = len;
	return XY_OK;
}

/* A command's row count: PQcmdTuples of an UPDATE/DELETE. */
static xy_code pg_changes(pg_store *s, const char *sql, const pq_args *a, const char *what,
                          long *changes, xy_error *err)
{
	PGresult *r = NULL;
	xy_code rc = pq(s, sql, a, what, &r, err);
	if (!rc && changes)
		*changes = strtol(PQcmdTuples(r), NULL, 10);
	PQclear(r);
	return rc;
}

static xy_code pg_auth_user_insert(xy_store *base, const xy_user_in *u, int64_t *id, xy_error *err)
{
	pq_args a = {.n = 0};
	PGresult *r = NULL;
	xy_code rc;
	a_str(&a, u->name);
	a_str(&a, u->role);
	a_id(&a, u->unit_id);
	a_str(&a, u->pwhash);
	a_str(&a, u->at);
	/* NOT EXISTS first: a conflicting INSERT would still draw an id */
	if ((rc = pq(PG(base),
	             "INSERT INTO users(name, role, unit_id, pwhash, created_at,"
	             " changed_at) SELECT $1, $2, $3::bigint, $4, $5, $5 WHERE NOT EXISTS"
	             " (SELECT 1 FROM users WHERE name = $1) RETURNING id",
	             &a, "adding a user", &r, err)))
		return rc == XY_ERR_CONFLICT
		           ? xy_error_at(err, XY_ERR_CONFLICT, NULL, 0, "name",
		                         "a user named '%s' exists already", u->name)
		           : rc;
	if (!PQntuples(r))
		rc = xy_error_at(err, XY_ERR_CONFLICT, NULL, 0, "name",
		                 "a user named '%s' exists already", u->name);
	else
		*id = ci(r, 0, 0);
	PQclear(r);
	return rc;
}

static xy_code pg_auth_user_get(xy_store *base, const char *name, int64_t id, xy_user_row *out,
                                xy_error *err)
{
	pq_args a = {.n = 0};
	if (name)
		a_str(&a, name);
	else
		a_int(&a, id);
	return pg_one_row(PG(base),
	                  name ? PG_USER_COLS("u.pwhash") " WHERE u.name = $1"
	                       : PG_USER_COLS("u.pwhash") " WHERE u.id = $1",
	                  &a, pg_user_from_row, out, "reading a user", err);
}

static void pg_users_free(void *v, size_t n)
{
	xy_user_rows_free(v, n);
}

static xy_code pg_auth_users(xy_store *base, xy_user_row **out, size_t *n, xy_error *err)
{
	return pg_all_rows(PG(base), PG_USER_COLS("''") " ORDER BY u.name COLLATE \"C\"",
	                   sizeof **out, pg_user_from_row, pg_users_free, (void **)out, n,
	                   "listing users", err);
}

static xy_code pg_auth_user_update(xy_store *base, int64_t id, const char *pwhash, bool disable,
                                   const char *at, xy_error *err)
{
	pq_args a = {.n = 0};
	long changes = 0;
	xy_code rc;
	a_int(&a, id);
	a_str(&a, at);
	if (pwhash) {
		a_str(&a, pwhash);
		if ((rc = pg_changes(PG(base),
		                     "UPDATE users SET pwhash = $3, changed_at = $2"
		                     " WHERE id = $1",
		                     &a, "changing a password", &changes, err)))
			return rc;
		if (!changes)
			return xy_error_set(err, XY_ERR_NOTFOUND, "no user %lld", (long long)id);
		a.n = 2;
	}
	if (disable) {
		if ((rc = pg_changes(PG(base),
		                     "UPDATE users SET disabled = 1, changed_at = $2"
		                     " WHERE id = $1",
		                     &a, "disabling a user", &changes, err)))
			return rc;
		if (!changes)
			return xy_error_set(err, XY_ERR_NOTFOUND, "no user %lld", (long long)id);
	}
	a.n = 1;
	return pq(PG(base), "DELETE FROM sessions WHERE user_id = $1", &a,
	          "ending a user's sessions", NULL, err);
}

static xy_code pg_auth_session_insert(xy_store *base, const char *hash, int64_t user_id,
                                      int64_t expires, const char *at, xy_error *err)
{
	pq_args a = {.n = 0};
	xy_code rc;
	a_str(&a, hash);
	a_int(&a, user_id);
	a_str(&a, at);
	a_int(&a, expires);
	rc = pq(PG(base),
	        "INSERT INTO sessions(hash, user_id, created_at, expires)"
	        " VALUES ($1, $2, $3, $4)",
	        &a, "opening a session", NULL, err);
	return rc == XY_ERR_CONFLICT
	           ? xy_error_set(err, XY_ERR_CONFLICT, "opening a session: already exists")
	           : rc;
}

static xy_code pg_auth_session_get(xy_store *base, const char *hash, int64_t *user_id,
                                   int64_t *expires, xy_error *err)
{
	pq_args a = {.n = 0};
	PGresult *r = NULL;
	xy_code rc;
	a_str(&a, hash);
	if ((rc = pq(PG(base), "SELECT user_id, expires FROM sessions WHERE hash = $1", &a,
	             "reading a session", &r, err)))
		return rc;
	if (!PQntuples(r)) {
		rc = XY_ERR_NOTFOUND;
	} else {
		*user_id = ci(r, 0, 0);
		*expires = ci(r, 0, 1);
	}
	PQclear(r);
	return rc;
}

static xy_code pg_auth_session_delete(xy_store *base, const char *hash, xy_error *err)
{
	pq_args a = {.n = 0};
	a_str(&a, hash);
	return pq(PG(base), "DELETE FROM sessions WHERE hash = $1", &a, "ending a session", NULL,
	          err);
}

static xy_code pg_auth_sessions_purge(xy_store *base, int64_t now, xy_error *err)
{
	pq_args a = {.n = 0};
	a_int(&a, now);
	return pq(PG(base), "DELETE FROM sessions WHERE expires < $1", &a,
	          "removing expired sessions", NULL, err);
}

static xy_code pg_auth_token_insert(xy_store *base, const xy_token_in *t, int64_t *id,
                                    xy_error *err)
{
	pq_args a = {.n = 0};
	PGresult *r = NULL;
	xy_code rc;
	a_str(&a, t->hash);
	a_str(&a, t->role);
	a_id(&a, t->unit_id);
	a_txt0(&a, t->label);
	a_str(&a, t->created_by);
	a_str(&a, t->at);
	a_int(&a, t->expires);
	if ((rc = pq(PG(base),
	             "INSERT INTO tokens(hash, role, unit_id, label, created_by,"
	             " created_at, expires) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
	             &a, "making a token", &r, err)))
		return rc;
	*id = ci(r, 0, 0);
	PQclear(r);
	return XY_OK;
}

static xy_code pg_auth_token_get(xy_store *base, int64_t id, xy_token_row *out, xy_error *err)
{
	pq_args a = {.n = 0};
	a_int(&a, id);
	return pg_one_row(PG(base), PG_TOKEN_COLS("t.hash") " WHERE t.id = $1", &a,
	                  pg_token_from_row, out, "reading a token", err);
}

static void pg_tokens_free(void *v, size_t n)
{
	xy_token_rows_free(v, n);
}

static xy_code pg_auth_tokens(xy_store *base, xy_token_row **out, size_t *n, xy_error *err)
{
	return pg_all_rows(PG(base), PG_TOKEN_COLS("''") " ORDER BY t.id DESC", sizeof **out,
	                   pg_token_from_row, pg_tokens_free, (void **)out, n, "listing tokens",
	                   err);
}

static xy_code pg_auth_token_revoke(xy_store *base, int64_t id, const char *at, xy_error *err)
{
	pq_args a = {.n = 0};
	xy_token_row t;
	long changes = 0;
	xy_code rc;
	a_int(&a, id);
	a_str(&a, at);
	if ((rc = pg_changes(PG(base),
	                     "UPDATE tokens SET revoked_at = $2"
	                     " WHERE id = $1 AND revoked_at IS NULL",
	                     &a, "revoking a token", &changes, err)) ||
	    changes)
		return rc;
	rc = pg_auth_token_get(base, id, &t, err);
	if (rc == XY_ERR_NOTFOUND)
		return xy_error_set(err, XY_ERR_NOTFOUND, "no token %lld", (long long)id);
	if (rc)
		return rc;
	rc = xy_error_set(err, XY_ERR_CONFLICT, "token %lld was revoked already (%s)",
	                  (long long)id, t.revoked_at);
	xy_token_row_release(&t);
	return rc;
}

#define PG_AUDIT_LIST                                                                              \
	"SELECT seq, at, who, action, object, detail, before_digest, after_digest,"                \
	" prev, hash FROM audit_log WHERE ($1::text IS NULL OR who = $1)"                          \
	" AND ($2::text IS NULL OR action = $2)"                                                   \
	" AND ($3::text IS NULL OR at >= $3 COLLATE \"C\")"                                        \
	" AND ($4::text IS NULL OR substr(at, 1, length($4)) <= $4 COLLATE \"C\")"                 \
	" AND seq > $6 AND seq < $7"

/* As sqlite_auth.c's AUDIT_LIST: from/to compare as text (bytes, COLLATE
 * "C"), a `to` date covering its whole day; $6/$7 the keyset cursors; $5
 * NULL is LIMIT ALL.  One page is one answer: the callers ask for pages. */
static xy_code pg_auth_audit_list(xy_store *base, const xy_audit_filter *f, xy_audit_cb cb,
                                  void *ctx, xy_error *err)
{
	pq_args a = {.n = 0};
	PGresult *r = NULL;
	xy_code rc;
	a_str(&a, f ? f->who : NULL);
	a_str(&a, f ? f->action : NULL);
	a_str(&a, f ? f->from : NULL);
	a_str(&a, f ? f->to : NULL);
	a_id(&a, f ? (int64_t)f->limit : 0);
	a_int(&a, f ? f->after : 0);
	a_int(&a, f && f->before ? f->before : INT64_MAX);
	if ((rc = pq(PG(base),
	             f && f->desc ? PG_AUDIT_LIST " ORDER BY seq DESC LIMIT $5"
	                          : PG_AUDIT_LIST " ORDER BY seq LIMIT $5",
	             &a, "reading the audit log", &r, err)))
		return rc;
	for (int i = 0; i < PQntuples(r); i++) {
		xy_audit_view v = {
		    .seq = ci(r, i, 0),
		    .at = cv(r, i, 1),
		    .who = cv(r, i, 2),
		    .action = cv(r, i, 3),
		    .object = xy__pg_name_from_text(PQgetvalue(r, i, 4)),
		    .detail = xy__pg_name_from_text(PQgetvalue(r, i, 5)),
		    .before = cv(r, i, 6),
		    .after = cv(r, i, 7),
		    .prev = cv(r, i, 8),
		    .hash = cv(r, i, 9),
		};
		if (cb(ctx, &v))
			break;
	}
	PQclear(r);
	return XY_OK;
}

const struct xy__store_auth_ops xy__pg_auth_ops = {
	.user_insert = pg_auth_user_insert,
	.user_get = pg_auth_user_get,
	.users = pg_auth_users,
	.user_update = pg_auth_user_update,
	.session_insert = pg_auth_session_insert,
	.session_get = pg_auth_session_get,
	.session_delete = pg_auth_session_delete,
	.sessions_purge = pg_auth_sessions_purge,
	.token_insert = pg_auth_token_insert,
	.token_get = pg_auth_token_get,
	.tokens = pg_auth_tokens,
	.token_revoke = pg_auth_token_revoke,
	.audit_insert = pg_auth_audit_insert,
	.audit_head = pg_auth_audit_head,
	.audit_list = pg_auth_audit_list,
};
