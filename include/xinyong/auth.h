/* xinyong: users, roles, sessions, bearer tokens and the audit log (issue 9).
 *
 * Who may do what lives here once, so the CLI and the server agree:
 *
 * - Roles: XY_ROLE_PUBLIC (公众, anonymous), XY_ROLE_UNIT (信源单位操作员,
 *   bound to one unit), XY_ROLE_ADMIN (信用办管理员), XY_ROLE_AUDITOR (审计员:
 *   reads everything an admin reads, plus the audit log; changes nothing).
 * - Users log in with a password (argon2id, libsodium crypto_pwhash_str) and
 *   get a session token for pages plus its CSRF token; machine clients use
 *   bearer tokens scoped to a role and a unit, with an expiry.  Tokens are
 *   random (randombytes_buf) and only their hash (crypto_generichash) is
 *   stored: a token is shown once, when it is made.
 * - Every change made here (user add/disable/passwd, token create/revoke) and
 *   every failed login is appended to the audit log (xy_audit_append), a
 *   hash chain that xy_audit_verify checks.
 *
 * Threads: one xy_auth is shared by every thread (it holds the options and
 * the password-hashing semaphore); each thread passes its own xy_store.
 *
 * Ownership: inputs are borrowed.  Structs the functions fill (principal,
 * session, user and token rows) own heap strings and are freed with their
 * release function; a filled struct never has NULL strings.
 *
 * Errors (error.h): XY_ERR_AUTH for an unknown user, a wrong password, an
 * unknown or forged token or session; XY_ERR_EXPIRED, XY_ERR_REVOKED (a
 * revoked token, a disabled user), XY_ERR_DENIED (role or unit may not),
 * XY_ERR_BUSY (password hashing at its cap, nothing was checked: retry).
 */
#ifndef XINYONG_AUTH_H
#define XINYONG_AUTH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "buf.h"
#include "error.h"
#include "store.h"

/* ---- roles and principals ---- */

typedef enum xy_role {
	XY_ROLE_PUBLIC = 0, /* 公众: anonymous */
	XY_ROLE_UNIT,       /* 信源单位操作员: one unit's data only */
	XY_ROLE_ADMIN,      /* 信用办管理员 */
	XY_ROLE_AUDITOR,    /* 审计员: read-only, and the audit log */
} xy_role;

#define XY_ROLE_BIT(r) (1u << (r))
/* Role sets for route tables: an OR of XY_ROLE_BIT()s. */
#define XY_ROLES_ANYONE                                                          \
	(XY_ROLE_BIT(XY_ROLE_PUBLIC) | XY_ROLE_BIT(XY_ROLE_UNIT) |                \
	 XY_ROLE_BIT(XY_ROLE_ADMIN) | XY_ROLE_BIT(XY_ROLE_AUDITOR))
#define XY_ROLES_SIGNED_IN (XY_ROLES_ANYONE & ~XY_ROLE_BIT(XY_ROLE_PUBLIC))
#define XY_ROLES_OFFICE (XY_ROLE_BIT(XY_ROLE_ADMIN))                /* changes */
#define XY_ROLES_OFFICE_READ (XY_ROLE_BIT(XY_ROLE_ADMIN) | XY_ROLE_BIT(XY_ROLE_AUDITOR))
#define XY_ROLES_AUDIT (XY_ROLE_BIT(XY_ROLE_ADMIN) | XY_ROLE_BIT(XY_ROLE_AUDITOR))

const char *xy_role_name(xy_role r);    /* "public" "unit" "admin" "auditor" */
const char *xy_role_name_zh(xy_role r); /* 公众 信源单位操作员 信用办管理员 审计员 */
/* English or Chinese name (also "operator" for unit); -1 when unknown. */
int xy_role_parse(const char *s, xy_role *out);

/* Who is asking.  user is the login name ("" for the public); for a bearer
 * token, "token:<id>". */
typedef struct xy_principal {
	xy_role role;
	int64_t user_id;  /* 0: anonymous or a bearer token */
	int64_t token_id; /* the bearer token, 0 otherwise */
	int64_t unit_id;  /* XY_ROLE_UNIT: the operator's unit; 0 otherwise */
	char *user;
} xy_principal;

/* The anonymous public: role PUBLIC, no ids, user "" (no allocation). */
void xy_principal_public(xy_principal *p);
void xy_principal_release(xy_principal *p); /* frees user, zeroes p; NULL ok */
/* How the audit log names p, replacing out's contents: "user:NAME",
 * "token:ID" or "public". */
xy_code xy_principal_who(const xy_principal *p, xy_buf *out);

/* The role matrix.  XY_OK when p's role is in `roles` (XY_ROLE_BIT set) and,
 * for a unit operator, resource_unit is 0 (not a unit's resource) or p's own
 * unit.  Otherwise XY_ERR_AUTH when p is the public and a signed-in role
 * would be allowed (a server answers 401), else XY_ERR_DENIED (403), with a
 * message naming the role, and the unit when that was the reason.
 * A unit-scoped route for operators passes the unit of the batch, case,
 * error report or upload asked for: another unit's is XY_ERR_DENIED. */
xy_code xy_auth_allowed(const xy_principal *p, unsigned roles, int64_t resource_unit,
			xy_error *err);

/* ---- the auth context ---- */

typedef struct xy_auth_opts {
	/* argon2id cost: 0 = crypto_pwhash_OPSLIMIT_INTERACTIVE and
	 * crypto_pwhash_MEMLIMIT_INTERACTIVE (~0.13 s, 64 MiB per hash).  Tests
	 * lower them (MIN: 1 and 8 KiB); stored hashes carry their own cost. */
	unsigned long long opslimit;
	size_t memlimit;
	/* Password hashes computed at once (login, add, passwd): 0 = 2.  A
	 * hash past the cap waits up to hash_wait_ms (0 = 3000; negative =
	 * refuse at once) for a slot, then fails with XY_ERR_BUSY. */
	unsigned max_hashing;
	long hash_wait_ms;
	/* Session lifetime in seconds: 0 = 8 hours. */
	long session_ttl;
} xy_auth_opts;

typedef struct xy_auth xy_auth;

/* Initialise libsodium and make a context (opts may be NULL: defaults).
 * XY_ERR_ARG for a cost below libsodium's minimum. */
xy_code xy_auth_new(xy_auth **out, const xy_auth_opts *opts, xy_error *err);
void xy_auth_free(xy_auth *a); /* NULL is fine */

/* ---- users ---- */

/* Login names: 1-64 bytes of UTF-8 without blanks, control characters or
 * ':'.  Passwords: 8-1024 bytes, any bytes but NUL. */
#define XY_AUTH_NAME_MAX 64
#define XY_AUTH_PASSWORD_MIN 8
#define XY_AUTH_PASSWORD_MAX 1024

typedef struct xy_user_spec {
	const char *name;
	xy_role role;          /* UNIT, ADMIN or AUDITOR */
	int64_t unit_id;       /* required for UNIT, must be 0 otherwise */
	const char *password;
	size_t password_len;
} xy_user_spec;

/* Add a user (audited as `who` did "user.add").  XY_ERR_CONFLICT when the
 * name is taken, XY_ERR_INVALID for a bad name, password or role/unit,
 * XY_ERR_NOTFOUND for an unknown unit.  *id may be NULL. */
xy_code xy_auth_user_add(xy_auth *a, xy_store *s, const char *who, const xy_user_spec *u,
			 int64_t *id, xy_error *err);
/* Every user by name (never the password hash): *out malloc'd,
 * xy_user_rows_free(*out, *n). */
xy_code xy_auth_user_list(xy_store *s, xy_user_row **out, size_t *n, xy_error *err);
/* Disable a user ("user.disable"): their sessions end, logins fail with
 * XY_ERR_REVOKED.  XY_ERR_NOTFOUND for an unknown name; disabling a disabled
 * user is XY_OK and changes nothing.  XY_ERR_CONFLICT for the last enabled
 * admin (nobody would be left to administer). */
xy_code xy_auth_user_disable(xy_store *s, const char *who, const char *name, xy_error *err);
/* Set a new password ("user.passwd"): the user's sessions end. */
xy_code xy_auth_user_passwd(xy_auth *a, xy_store *s, const char *who, const char *name,
			    const char *password, size_t password_len, xy_error *err);

/* A user as the CLI and the server show it (never the password hash):
 * {"id","name","role","role_zh","unit_id","unit","disabled","created_at",
 * "changed_at"}; unit and unit_id null when none.  NULL when out of memory
 * or a string is not UTF-8.  The caller owns the reference. */
json_t *xy_user_json(const xy_user_row *u);

/* ---- sessions (pages) ---- */

typedef struct xy_session {
	char *token;       /* the session cookie's value (43 characters, base64url) */
	char *csrf;        /* the CSRF token pages send back (43 characters) */
	int64_t expires;   /* Unix time */
	xy_principal who;
} xy_session;

void xy_session_release(xy_session *s); /* NULL ok */

/* Check name and password and open a session.  A failure is audited
 * ("login.fail", who "public", object "user:NAME", detail the reason) and answers
 * XY_ERR_AUTH for an unknown name or a wrong password alike (an unknown
 * name costs a hash too), XY_ERR_REVOKED for a disabled user (only after
 * the right password), XY_ERR_BUSY at the hashing cap. */
xy_code xy_auth_login(xy_auth *a, xy_store *s, const char *name, const char *password,
		      size_t password_len, xy_session *out, xy_error *err);

/* The same login in two steps, for a server whose writes run on one thread:
 * xy_auth_login_check reads (the user and the password hash, the slow part)
 * on any handle and records the verdict in *out; xy_auth_login_finish, on the
 * writing handle, writes what the verdict means (the session, or the
 * failure's audit entry) and answers as xy_auth_login.  _check returns
 * XY_OK once it has a verdict (a wrong password too) and XY_ERR_BUSY or a
 * store error otherwise (then there is nothing to finish).  xy_login_release
 * frees what _check filled (NULL ok). */
typedef struct xy_login {
	xy_code verdict;    /* XY_OK, XY_ERR_AUTH or XY_ERR_REVOKED */
	const char *why;    /* a static reason for the audit entry */
	char *name;         /* the name as given (owned); NULL when not a valid name */
	size_t name_len;
	xy_user_row user;   /* the user, when the name exists */
} xy_login;
void xy_login_release(xy_login *l);
xy_code xy_auth_login_check(xy_auth *a, xy_store *s, const char *name, const char *password,
			    size_t password_len, xy_login *out, xy_error *err);
xy_code xy_auth_login_finish(xy_auth *a, xy_store *s, const xy_login *l, xy_session *out,
			     xy_error *err);
/* The session of a cookie's token: who and the CSRF token.  XY_ERR_AUTH for
 * an unknown (or logged out) token, XY_ERR_EXPIRED past its expiry,
 * XY_ERR_REVOKED when the user was disabled since. */
xy_code xy_auth_session(xy_auth *a, xy_store *s, const char *token, xy_session *out,
			xy_error *err);
/* Whether `given` (from a header or form) is the session's CSRF token:
 * XY_OK or XY_ERR_DENIED; constant time. */
xy_code xy_auth_csrf_check(const xy_session *sess, const char *given, xy_error *err);
/* End the session (an unknown token is XY_OK). */
xy_code xy_auth_logout(xy_store *s, const char *token, xy_error *err);

/* ---- bearer tokens (machine clients) ---- */

typedef struct xy_token_spec {
	xy_role role;        /* UNIT (unit_id required), ADMIN or AUDITOR */
	int64_t unit_id;
	int64_t expires;     /* Unix time, must be in the future */
	const char *label;   /* what it is for, may be NULL; kept whole */
} xy_token_spec;

/* Make a token ("token.create"); *secret (malloc'd, free()) is the only
 * copy of the token ever given: "xyt_<id>_<43 characters>".  *id may be
 * NULL. */
xy_code xy_auth_token_create(xy_store *s, const char *who, const xy_token_spec *t,
			     int64_t *id, char **secret, xy_error *err);
/* Every token, newest first, without its secret or hash: *out malloc'd,
 * xy_token_rows_free(*out, *n). */
xy_code xy_auth_token_list(xy_store *s, xy_token_row **out, size_t *n, xy_error *err);
/* A token as shown (never the secret or its hash): {"id","role","role_zh",
 * "unit_id","unit","label","created_by","created_at","expires" (ISO 8601
 * UTC),"revoked_at" (null while valid),"state" ("valid" "revoked"
 * "expired") as of now}. */
json_t *xy_token_json(const xy_token_row *t);
/* Revoke ("token.revoke").  XY_ERR_NOTFOUND, XY_ERR_CONFLICT when revoked
 * already. */
xy_code xy_auth_token_revoke(xy_store *s, const char *who, int64_t id, xy_error *err);
/* The principal of an Authorization: Bearer token.  XY_ERR_AUTH for a
 * malformed, unknown or forged token (the secret is compared in constant
 * time, and before anything else is told), XY_ERR_REVOKED, XY_ERR_EXPIRED. */
xy_code xy_auth_bearer(xy_store *s, const char *token, xy_principal *out, xy_error *err);

/* ---- audit log ----
 *
 * Append-only and hash-chained: entry n stores hash(n) = SHA-256(hash(n-1) ||
 * canonical(n)), hash(0) = 32 zero bytes, where canonical(n) is its seq, time,
 * who, action, object, detail and before/after digests as netstrings
 * (docs/security.md).  The store keeps the head (last seq and hash) beside
 * the log, so deleting the last entries is detected too. */

typedef struct xy_audit_entry {
	const char *who;      /* "cli:LOGIN", "user:NAME", "token:ID", "public" */
	const char *action;   /* "user.add", "import.commit", "login.fail", … */
	const char *object;   /* "user:alice", "batch:12", … (may be NULL) */
	const char *detail;   /* free text, e.g. counts (may be NULL) */
	const void *before;   /* the object before / after the change, digested */
	size_t before_len;    /* (SHA-256; NULL = none); never stored itself */
	const void *after;
	size_t after_len;
	const char *after_sha256; /* NULL, or after's hex SHA-256 (xy_audit_digest) when the
				   * caller has it already: used instead of hashing after again */
} xy_audit_entry;

/* Append one entry.  Inside the caller's transaction it is part of it (and
 * rolls back with it); otherwise it runs in its own.  *seq may be NULL. */
xy_code xy_audit_append(xy_store *s, const xy_audit_entry *e, int64_t *seq, xy_error *err);

/* The import hook: "import.commit" (or "import.refuse" for a refused
 * batch) of object "batch:ID" by who (NULL: "import"), the detail naming
 * unit, category, file and counts, inside the import's transaction. */
xy_code xy_audit_batch(xy_store *s, const char *who, const xy_batch *b, xy_error *err);

/* The outcome of a verification. */
typedef struct xy_audit_check {
	int64_t entries;    /* entries read */
	int64_t first_bad;  /* seq of the first bad entry, 0 when the chain holds;
			       for deleted last entries the first missing seq */
	char head[65];      /* hex hash of the last good entry ("" when none): write it
			       down elsewhere to detect a rewrite of the whole log */
	int64_t head_seq;
} xy_audit_check;

/* Walk the whole chain.  XY_OK when it holds (and, when expect_head is not
 * NULL, ends at that "SEQ:HASH"); XY_ERR_INVALID naming the first bad seq
 * and why (edited, inserted, deleted, head mismatch) with out->first_bad
 * set; other codes for store errors. */
xy_code xy_audit_verify(xy_store *s, const char *expect_head, xy_audit_check *out,
			xy_error *err);

/* List entries matching every filter set (NULL = any): exact who and
 * action; from/to compare with the entry time as strings, so "2024-03-01"
 * and "2024-03-01T10:00:00Z" both work and a date `to` includes that day.
 * In seq order (newest first with f->desc), only seq > f->after and seq <
 * f->before when they are set; limit 0 = all.  Views are valid during the
 * callback. */
xy_code xy_audit_list(xy_store *s, const xy_audit_filter *f, xy_audit_cb cb, void *ctx,
		      xy_error *err);

/* An entry as shown: {"seq","at","who","action","object","detail","before",
 * "after","prev","hash"} (before/after digests null when none). */
json_t *xy_audit_json(const xy_audit_view *v);

/* Hex SHA-256 of data (out: 65 bytes) — the before/after digests. */
void xy_audit_digest(const void *data, size_t len, char out[65]);

#endif
