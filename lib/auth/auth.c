/* xinyong: roles, users, sessions and bearer tokens (auth.h, issue 9).
 *
 * Secrets never reach the store: passwords as argon2id strings
 * (crypto_pwhash_str), session and bearer secrets as the hex of their
 * crypto_generichash.  The CSRF token of a session is derived from the
 * session token (a keyed generichash), so it needs no storage and dies with
 * the session. */
#include <errno.h>
#include <pthread.h>
#include <semaphore.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sodium.h>

#include "xinyong/auth.h"
#include "xinyong/date.h"
#include "xinyong/registry.h"
#include "xinyong/text.h"

/* ---- roles ---- */

static const struct {
	xy_role role;
	const char *name, *zh, *alias;
} roles[] = {
	{ XY_ROLE_PUBLIC, "public", "公众", NULL },
	{ XY_ROLE_UNIT, "unit", "信源单位操作员", "operator" },
	{ XY_ROLE_ADMIN, "admin", "信用办管理员", NULL },
	{ XY_ROLE_AUDITOR, "auditor", "审计员", NULL },
};
#define NROLES (sizeof roles / sizeof roles[0])

const char *xy_role_name(xy_role r)
{
	return (unsigned)r < NROLES ? roles[r].name : "unknown";
}

const char *xy_role_name_zh(xy_role r)
{
	return (unsigned)r < NROLES ? roles[r].zh : "未知";
}

int xy_role_parse(const char *s, xy_role *out)
{
	for (size_t i = 0; s && i < NROLES; i++) {
		if (!strcmp(s, roles[i].name) || !strcmp(s, roles[i].zh) ||
		    (roles[i].alias && !strcmp(s, roles[i].alias))) {
			*out = roles[i].role;
			return 0;
		}
	}
	return -1;
}

/* ---- principals ---- */

static char empty_user[1];

void xy_principal_public(xy_principal *p)
{
	memset(p, 0, sizeof *p);
	p->role = XY_ROLE_PUBLIC;
	p->user = empty_user;
}

void xy_principal_release(xy_principal *p)
{
	if (!p)
		return;
	if (p->user != empty_user)
		free(p->user);
	memset(p, 0, sizeof *p);
}

xy_code xy_principal_who(const xy_principal *p, xy_buf *out)
{
	xy_buf_reset(out);
	if (!p || p->role == XY_ROLE_PUBLIC)
		return xy_buf_addstr(out, "public");
	if (p->token_id)
		return xy_buf_addf(out, "token:%lld", (long long)p->token_id);
	return xy_buf_addf(out, "user:%s", p->user ? p->user : "");
}

xy_code xy_auth_allowed(const xy_principal *p, unsigned allowed, int64_t resource_unit,
			xy_error *err)
{
	xy_role r = p ? p->role : XY_ROLE_PUBLIC;
	if ((unsigned)r >= NROLES)
		return xy_error_set(err, XY_ERR_DENIED, "unknown role %d (未知角色)", (int)r);
	if (!(allowed & XY_ROLE_BIT(r))) {
		if (r == XY_ROLE_PUBLIC)
			return xy_error_set(err, XY_ERR_AUTH, "sign-in required (请先登录)");
		return xy_error_set(err, XY_ERR_DENIED, "the %s role may not do this (%s无此权限)",
				    xy_role_name(r), xy_role_name_zh(r));
	}
	if (r == XY_ROLE_UNIT && resource_unit && resource_unit != p->unit_id)
		return xy_error_set(err, XY_ERR_DENIED,
				    "unit %lld's data is not yours (unit %lld) (不能访问其他单位的数据)",
				    (long long)resource_unit, (long long)p->unit_id);
	return XY_OK;
}

/* ---- the context ---- */

struct xy_auth {
	unsigned long long opslimit;
	size_t memlimit;
	long hash_wait_ms;
	long session_ttl;
	sem_t hashing; /* free password-hashing slots */
	/* a hash of a random password at this cost, made on the first login
	 * of an unknown user and verified against for every such login */
	pthread_mutex_t dummy_lock;
	char dummy[crypto_pwhash_STRBYTES];
};

xy_code xy_auth_new(xy_auth **out, const xy_auth_opts *o, xy_error *err)
{
	xy_auth_opts d = { 0 };
	xy_auth *a;
	if (!out)
		return xy_error_set(err, XY_ERR_ARG, "xy_auth_new: no output");
	*out = NULL;
	if (!o)
		o = &d;
	if (sodium_init() < 0)
		return xy_error_set(err, XY_ERR_CONFIG, "libsodium failed to initialise");
	if ((o->opslimit && o->opslimit < crypto_pwhash_OPSLIMIT_MIN) ||
	    (o->memlimit && o->memlimit < crypto_pwhash_MEMLIMIT_MIN))
		return xy_error_set(err, XY_ERR_ARG,
				    "argon2id cost below libsodium's minimum (opslimit %llu, "
				    "memlimit %zu bytes)",
				    (unsigned long long)crypto_pwhash_OPSLIMIT_MIN,
				    (size_t)crypto_pwhash_MEMLIMIT_MIN);
	if (o->session_ttl < 0)
		return xy_error_set(err, XY_ERR_ARG, "session lifetime must not be negative");
	if (!(a = calloc(1, sizeof *a)))
		return xy_error_set(err, XY_ERR_NOMEM, "out of memory");
	a->opslimit = o->opslimit ? o->opslimit : crypto_pwhash_OPSLIMIT_INTERACTIVE;
	a->memlimit = o->memlimit ? o->memlimit : crypto_pwhash_MEMLIMIT_INTERACTIVE;
	a->hash_wait_ms = o->hash_wait_ms ? o->hash_wait_ms : 3000;
	a->session_ttl = o->session_ttl ? o->session_ttl : 8 * 3600;
	if (sem_init(&a->hashing, 0, o->max_hashing ? o->max_hashing : 2)) {
		free(a);
		return xy_error_set(err, XY_ERR_ARG, "cannot make the hashing semaphore: %s",
				    strerror(errno));
	}
	pthread_mutex_init(&a->dummy_lock, NULL);
	*out = a;
	return XY_OK;
}

void xy_auth_free(xy_auth *a)
{
	if (!a)
		return;
	sem_destroy(&a->hashing);
	pthread_mutex_destroy(&a->dummy_lock);
	free(a);
}

/* base64url (no padding) of n random bytes into out (room for 2n). */
static void random_b64(char *out, size_t outsz, size_t n)
{
	unsigned char raw[32];
	randombytes_buf(raw, n);
	sodium_bin2base64(out, outsz, raw, n, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	sodium_memzero(raw, sizeof raw);
}

#define SECRET_BYTES 32
#define SECRET_CHARS 43 /* base64url of 32 bytes, no padding */

/* Take a hashing slot: wait up to hash_wait_ms, or XY_ERR_BUSY. */
static xy_code slot_take(xy_auth *a, xy_error *err)
{
	struct timespec t;
	int rc;
	if (a->hash_wait_ms < 0) {
		rc = sem_trywait(&a->hashing);
	} else {
		clock_gettime(CLOCK_REALTIME, &t);
		t.tv_sec += a->hash_wait_ms / 1000;
		t.tv_nsec += (a->hash_wait_ms % 1000) * 1000000L;
		if (t.tv_nsec >= 1000000000L) {
			t.tv_sec++;
			t.tv_nsec -= 1000000000L;
		}
		while ((rc = sem_timedwait(&a->hashing, &t)) && errno == EINTR)
			;
	}
	if (rc)
		return xy_error_set(err, XY_ERR_BUSY,
				    "too many sign-ins at once, try again shortly (登录繁忙，请稍后再试)");
	return XY_OK;
}

static xy_code hash_password(xy_auth *a, const char *pw, size_t len,
			     char out[crypto_pwhash_STRBYTES], xy_error *err)
{
	xy_code rc = slot_take(a, err);
	int r;
	if (rc)
		return rc;
	r = crypto_pwhash_str(out, pw, len, a->opslimit, a->memlimit);
	sem_post(&a->hashing);
	if (r)
		return xy_error_set(err, XY_ERR_NOMEM, "out of memory hashing a password");
	return XY_OK;
}

/* The dummy hash (made once). */
static xy_code dummy_hash(xy_auth *a, xy_error *err)
{
	xy_code rc = XY_OK;
	pthread_mutex_lock(&a->dummy_lock);
	if (!a->dummy[0]) {
		char pw[SECRET_CHARS + 1];
		random_b64(pw, sizeof pw, SECRET_BYTES);
		rc = hash_password(a, pw, SECRET_CHARS, a->dummy, err);
		if (rc)
			a->dummy[0] = '\0';
	}
	pthread_mutex_unlock(&a->dummy_lock);
	return rc;
}

/* XY_OK when pw matches stored, XY_ERR_AUTH when not. */
static xy_code verify_password(xy_auth *a, const char *stored, const char *pw, size_t len,
			       xy_error *err)
{
	xy_code rc = slot_take(a, err);
	int r;
	if (rc)
		return rc;
	r = crypto_pwhash_str_verify(stored, pw, len);
	sem_post(&a->hashing);
	return r ? XY_ERR_AUTH : XY_OK;
}

/* ---- helpers ---- */

static void now_iso(char out[32])
{
	xy_time_iso((int64_t)time(NULL), out);
}

/* A login name: 1-64 bytes of UTF-8, no blanks, controls or ':'. */
static xy_code check_name(const char *name, xy_error *err)
{
	size_t n = name ? strlen(name) : 0, i = 0;
	if (!n || n > XY_AUTH_NAME_MAX)
		return xy_error_at(err, XY_ERR_INVALID, NULL, 0, "name",
				   "a login name has 1 to %d bytes (this one %zu) (登录名长度不符)",
				   XY_AUTH_NAME_MAX, n);
	while (i < n) {
		unsigned long cp;
		size_t k = xy_utf8_decode(name + i, n - i, &cp);
		if (!k)
			return xy_error_at(err, XY_ERR_INVALID, NULL, 0, "name",
					   "a login name must be UTF-8 (登录名编码无效)");
		if (cp <= 0x20 || cp == 0x7f || cp == ':' || cp == 0x3000 || cp == 0xa0 ||
		    (cp >= 0x80 && cp < 0xa0))
			return xy_error_at(err, XY_ERR_INVALID, NULL, 0, "name",
					   "a login name has no blanks, control characters or ':' "
					   "(登录名不能含空白、控制字符或冒号)");
		i += k;
	}
	return XY_OK;
}

static xy_code check_password(const char *pw, size_t len, xy_error *err)
{
	if (!pw || len < XY_AUTH_PASSWORD_MIN || len > XY_AUTH_PASSWORD_MAX)
		return xy_error_at(err, XY_ERR_INVALID, NULL, 0, "password",
				   "a password has %d to %d bytes (this one %zu) (密码长度不符)",
				   XY_AUTH_PASSWORD_MIN, XY_AUTH_PASSWORD_MAX, pw ? len : 0);
	if (memchr(pw, '\0', len))
		return xy_error_at(err, XY_ERR_INVALID, NULL, 0, "password",
				   "a password cannot contain a NUL byte (密码含空字节)");
	return XY_OK;
}

/* Role and unit of a user or token: unit operators need a unit, others none. */
static xy_code check_role(xy_role role, int64_t unit_id, xy_error *err)
{
	if (role != XY_ROLE_UNIT && role != XY_ROLE_ADMIN && role != XY_ROLE_AUDITOR)
		return xy_error_at(err, XY_ERR_INVALID, NULL, 0, "role",
				   "role must be unit, admin or auditor (角色无效)");
	if (role == XY_ROLE_UNIT && unit_id <= 0)
		return xy_error_at(err, XY_ERR_INVALID, NULL, 0, "unit",
				   "a unit operator needs a unit (信源单位操作员须指定单位)");
	if (role != XY_ROLE_UNIT && unit_id)
		return xy_error_at(err, XY_ERR_INVALID, NULL, 0, "unit",
				   "only unit operators belong to a unit (仅信源单位操作员绑定单位)");
	return XY_OK;
}

/* Whether s is SECRET_CHARS base64url characters. */
static bool secret_ok(const char *s, size_t n)
{
	if (n != SECRET_CHARS)
		return false;
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
		      c == '-' || c == '_'))
			return false;
	}
	return true;
}

/* Hex generichash of a secret, as the store keeps it. */
static void secret_hash(const char *s, size_t n, char out[65])
{
	unsigned char h[32];
	crypto_generichash(h, sizeof h, (const unsigned char *)s, n, NULL, 0);
	sodium_bin2hex(out, 65, h, sizeof h);
}

/* Digest text of a user's state for the audit log. */
static xy_code user_state(xy_buf *b, const char *name, const char *role, int64_t unit,
			  bool disabled)
{
	xy_buf_reset(b);
	return xy_buf_addf(b, "name=%s\nrole=%s\nunit=%lld\ndisabled=%d\n", name, role,
			   (long long)unit, disabled);
}

/* Run the store steps fn(ctx) and the audit entry e in one transaction. */
static xy_code audited(xy_store *s, xy_code (*fn)(xy_store *, void *, xy_error *), void *ctx,
		       const xy_audit_entry *e, xy_error *err)
{
	xy_code rc = xy_store_begin(s, false, err);
	if (rc)
		return rc;
	if ((rc = fn(s, ctx, err)) || (rc = xy_audit_append(s, e, NULL, err)) ||
	    (rc = xy_store_commit(s, err))) {
		xy_store_rollback(s, NULL);
		return rc;
	}
	return XY_OK;
}

/* ---- users ---- */

struct user_add {
	xy_user_in in;
	int64_t id;
};

static xy_code user_add_step(xy_store *s, void *ctx, xy_error *err)
{
	struct user_add *u = ctx;
	return xy_store_user_insert(s, &u->in, &u->id, err);
}

static xy_code unit_exists(xy_store *s, int64_t unit_id, xy_error *err)
{
	xy_registry reg;
	xy_code rc;
	if (!unit_id)
		return XY_OK;
	xy_registry_init(&reg);
	rc = xy_store_load_registry(s, &reg, err);
	if (!rc && !xy_registry_unit_by_id(&reg, unit_id))
		rc = xy_error_at(err, XY_ERR_NOTFOUND, NULL, 0, "unit", "no unit %lld (无此单位)",
				 (long long)unit_id);
	xy_registry_release(&reg);
	return rc;
}

xy_code xy_auth_user_add(xy_auth *a, xy_store *s, const char *who, const xy_user_spec *u,
			 int64_t *id, xy_error *err)
{
	char hash[crypto_pwhash_STRBYTES], at[32];
	struct user_add ua = { 0 };
	xy_buf state = XY_BUF_INIT, object = XY_BUF_INIT;
	xy_code rc;
	if (!a || !s || !u || !who || !*who)
		return xy_error_set(err, XY_ERR_ARG, "xy_auth_user_add: missing argument");
	if ((rc = check_name(u->name, err)) || (rc = check_role(u->role, u->unit_id, err)) ||
	    (rc = check_password(u->password, u->password_len, err)) ||
	    (rc = unit_exists(s, u->unit_id, err)))
		return rc;
	if ((rc = hash_password(a, u->password, u->password_len, hash, err)))
		return rc;
	now_iso(at);
	ua.in = (xy_user_in){ u->name, xy_role_name(u->role), hash, at, u->unit_id };
	if (user_state(&state, u->name, xy_role_name(u->role), u->unit_id, false) ||
	    xy_buf_addf(&object, "user:%s", u->name)) {
		rc = xy_error_set(err, XY_ERR_NOMEM, "out of memory");
	} else {
		xy_audit_entry e = { .who = who, .action = "user.add", .object = object.data,
				     .after = state.data, .after_len = state.len };
		rc = audited(s, user_add_step, &ua, &e, err);
	}
	sodium_memzero(hash, sizeof hash);
	xy_buf_release(&state);
	xy_buf_release(&object);
	if (!rc && id)
		*id = ua.id;
	return rc;
}

xy_code xy_auth_user_list(xy_store *s, xy_user_row **out, size_t *n, xy_error *err)
{
	return xy_store_users(s, out, n, err);
}

static xy_code find_user(xy_store *s, const char *name, xy_user_row *u, xy_error *err)
{
	xy_code rc = xy_store_user_get(s, name, u, err);
	if (rc == XY_ERR_NOTFOUND)
		return xy_error_at(err, XY_ERR_NOTFOUND, NULL, 0, "name",
				   "no user named '%s' (无此用户)", name);
	return rc;
}

struct user_change {
	int64_t id;
	const char *pwhash;
	bool disable;
	const char *at;
};

static xy_code user_change_step(xy_store *s, void *ctx, xy_error *err)
{
	struct user_change *c = ctx;
	return xy_store_user_update(s, c->id, c->pwhash, c->disable, c->at, err);
}

/* XY_ERR_CONFLICT when u is the last enabled admin: disabling them would
 * leave nobody to administer the office (only the CLI could add one). */
static xy_code not_last_admin(xy_store *s, const xy_user_row *u, xy_error *err)
{
	xy_user_row *v = NULL;
	size_t n = 0, admins = 0;
	xy_code rc;
	if (u->disabled || strcmp(u->role, "admin"))
		return XY_OK;
	if ((rc = xy_store_users(s, &v, &n, err)))
		return rc;
	for (size_t i = 0; i < n; i++)
		admins += !v[i].disabled && !strcmp(v[i].role, "admin");
	xy_user_rows_free(v, n);
	if (admins <= 1)
		return xy_error_at(err, XY_ERR_CONFLICT, NULL, 0, "name",
				   "%s is the last enabled admin; add another admin first "
				   "(不能停用最后一个管理员)", u->name);
	return XY_OK;
}

xy_code xy_auth_user_disable(xy_store *s, const char *who, const char *name, xy_error *err)
{
	xy_user_row u = { 0 };
	xy_buf before = XY_BUF_INIT, after = XY_BUF_INIT, object = XY_BUF_INIT;
	char at[32];
	xy_code rc;
	if (!s || !who || !*who || !name)
		return xy_error_set(err, XY_ERR_ARG, "xy_auth_user_disable: missing argument");
	if ((rc = find_user(s, name, &u, err)))
		return rc;
	if ((rc = not_last_admin(s, &u, err))) {
		xy_user_row_release(&u);
		return rc;
	}
	if (!u.disabled) {
		struct user_change c = { u.id, NULL, true, at };
		now_iso(at);
		if (user_state(&before, u.name, u.role, u.unit_id, false) ||
		    user_state(&after, u.name, u.role, u.unit_id, true) ||
		    xy_buf_addf(&object, "user:%s", u.name)) {
			rc = xy_error_set(err, XY_ERR_NOMEM, "out of memory");
		} else {
			xy_audit_entry e = { .who = who, .action = "user.disable",
					     .object = object.data, .before = before.data,
					     .before_len = before.len, .after = after.data,
					     .after_len = after.len };
			rc = audited(s, user_change_step, &c, &e, err);
		}
	}
	xy_buf_release(&before);
	xy_buf_release(&after);
	xy_buf_release(&object);
	xy_user_row_release(&u);
	return rc;
}

xy_code xy_auth_user_passwd(xy_auth *a, xy_store *s, const char *who, const char *name,
			    const char *password, size_t password_len, xy_error *err)
{
	xy_user_row u = { 0 };
	char hash[crypto_pwhash_STRBYTES], at[32];
	xy_buf object = XY_BUF_INIT;
	xy_code rc;
	if (!a || !s || !who || !*who || !name)
		return xy_error_set(err, XY_ERR_ARG, "xy_auth_user_passwd: missing argument");
	if ((rc = check_password(password, password_len, err)) ||
	    (rc = find_user(s, name, &u, err)))
		return rc;
	if (!(rc = hash_password(a, password, password_len, hash, err))) {
		struct user_change c = { u.id, hash, false, at };
		now_iso(at);
		if (xy_buf_addf(&object, "user:%s", u.name)) {
			rc = xy_error_set(err, XY_ERR_NOMEM, "out of memory");
		} else {
			/* digests of the argon2id strings: they tell a change
			 * happened and nothing about either password */
			xy_audit_entry e = { .who = who, .action = "user.passwd",
					     .object = object.data, .before = u.pwhash,
					     .before_len = strlen(u.pwhash), .after = hash,
					     .after_len = strlen(hash) };
			rc = audited(s, user_change_step, &c, &e, err);
		}
		sodium_memzero(hash, sizeof hash);
	}
	xy_buf_release(&object);
	xy_user_row_release(&u);
	return rc;
}

static json_t *opt_str(const char *s)
{
	return s && *s ? json_string(s) : json_null();
}

static json_t *opt_id(int64_t id)
{
	return id ? json_integer(id) : json_null();
}

json_t *xy_user_json(const xy_user_row *u)
{
	xy_role r = XY_ROLE_PUBLIC;
	xy_role_parse(u->role, &r);
	return json_pack("{s:I,s:s,s:s,s:s,s:o,s:o,s:b,s:s,s:s}", "id", (json_int_t)u->id,
			 "name", u->name, "role", u->role, "role_zh", xy_role_name_zh(r),
			 "unit_id", opt_id(u->unit_id), "unit", opt_str(u->unit), "disabled",
			 u->disabled, "created_at", u->created_at, "changed_at", u->changed_at);
}

/* ---- sessions ---- */

void xy_session_release(xy_session *s)
{
	if (!s)
		return;
	if (s->token)
		sodium_memzero(s->token, strlen(s->token));
	free(s->token);
	free(s->csrf);
	xy_principal_release(&s->who);
	memset(s, 0, sizeof *s);
}

/* The CSRF token of a session token: base64url of a generichash keyed with
 * the session token. */
static char *csrf_of(const char *token)
{
	static const char ctx[] = "xinyong csrf v1";
	unsigned char h[32];
	char *out = malloc(SECRET_CHARS + 1);
	if (!out)
		return NULL;
	crypto_generichash(h, sizeof h, (const unsigned char *)ctx, sizeof ctx - 1,
			   (const unsigned char *)token, SECRET_CHARS);
	sodium_bin2base64(out, SECRET_CHARS + 1, h, sizeof h,
			  sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	return out;
}

/* Fill p from a user row (role parsed, name copied). */
static xy_code principal_of_user(const xy_user_row *u, xy_principal *p, xy_error *err)
{
	xy_role role;
	memset(p, 0, sizeof *p);
	if (xy_role_parse(u->role, &role) || role == XY_ROLE_PUBLIC)
		return xy_error_set(err, XY_ERR_STORE, "user %lld has an unknown role '%s'",
				    (long long)u->id, u->role);
	p->role = role;
	p->user_id = u->id;
	p->unit_id = role == XY_ROLE_UNIT ? u->unit_id : 0;
	if (!(p->user = strdup(u->name)))
		return xy_error_set(err, XY_ERR_NOMEM, "out of memory");
	return XY_OK;
}

/* name NULL: the name given was no valid login name, of bad_len bytes. */
static xy_code login_failed(xy_store *s, const char *name, size_t bad_len, const char *why,
			    xy_code code, xy_error *err)
{
	xy_buf object = XY_BUF_INIT;
	xy_error aerr = XY_ERROR_INIT;
	xy_code rc;
	/* a name that is no valid login name is not stored: never a value cut */
	if (name)
		rc = xy_buf_addf(&object, "user:%s", name);
	else
		rc = xy_buf_addf(&object, "user:(invalid name, %zu bytes)", bad_len);
	if (!rc) {
		xy_audit_entry e = { .who = "public", .action = "login.fail",
				     .object = object.data, .detail = why };
		rc = xy_audit_append(s, &e, NULL, &aerr);
	}
	xy_buf_release(&object);
	if (rc) /* the failure could not be logged: say so rather than hide it */
		return aerr.code ? (*err = aerr, aerr.code)
				 : xy_error_set(err, XY_ERR_NOMEM, "out of memory");
	if (code == XY_ERR_REVOKED)
		return xy_error_set(err, code, "user '%s' is disabled (用户已停用)", name);
	if (code == XY_ERR_AUTH)
		return xy_error_set(err, code, "wrong user name or password (用户名或密码错误)");
	return code;
}

void xy_login_release(xy_login *l)
{
	if (!l)
		return;
	free(l->name);
	xy_user_row_release(&l->user);
	memset(l, 0, sizeof *l);
}

xy_code xy_auth_login_check(xy_auth *a, xy_store *s, const char *name, const char *password,
			    size_t password_len, xy_login *out, xy_error *err)
{
	xy_error lerr = XY_ERROR_INIT;
	xy_code rc;
	if (!a || !s || !out)
		return xy_error_set(err, XY_ERR_ARG, "xy_auth_login_check: missing argument");
	memset(out, 0, sizeof *out);
	out->verdict = XY_ERR_AUTH;
	if (check_name(name, NULL)) {
		out->why = "malformed name or password";
		out->name_len = name ? strlen(name) : 0;
		return XY_OK;
	}
	if (!(out->name = strdup(name)))
		return xy_error_set(err, XY_ERR_NOMEM, "out of memory");
	if (!password || !password_len || password_len > XY_AUTH_PASSWORD_MAX) {
		out->why = "malformed name or password";
		return XY_OK;
	}
	rc = xy_store_user_get(s, name, &out->user, &lerr);
	if (rc && rc != XY_ERR_NOTFOUND) {
		*err = lerr;
		goto fail;
	}
	if (rc == XY_ERR_NOTFOUND) {
		/* an unknown user costs a hash too: timing does not tell who exists */
		if ((rc = dummy_hash(a, err)) ||
		    (rc = verify_password(a, a->dummy, password, password_len, err)) == XY_ERR_BUSY)
			goto fail;
		out->why = "unknown user";
		return XY_OK;
	}
	rc = verify_password(a, out->user.pwhash, password, password_len, err);
	if (rc == XY_ERR_BUSY)
		goto fail;
	if (rc)
		out->why = "wrong password";
	else if (out->user.disabled)
		out->verdict = XY_ERR_REVOKED, out->why = "disabled user";
	else
		out->verdict = XY_OK;
	return XY_OK;
fail:
	xy_login_release(out);
	return rc;
}

xy_code xy_auth_login_finish(xy_auth *a, xy_store *s, const xy_login *l, xy_session *out,
			     xy_error *err)
{
	xy_user_row u = { 0 };
	char hash[65], at[32], token[SECRET_CHARS + 1];
	xy_code rc;
	time_t now = time(NULL);
	if (!a || !s || !l || !out)
		return xy_error_set(err, XY_ERR_ARG, "xy_auth_login_finish: missing argument");
	memset(out, 0, sizeof *out);
	/* a name that is no valid login name is not stored: never a value cut */
	if (l->verdict)
		return login_failed(s, l->name, l->name_len, l->why, l->verdict, err);
	/* the user again, on the writing handle: disabled since the check? */
	if ((rc = xy_store_user_get(s, l->name, &u, err)))
		return rc == XY_ERR_NOTFOUND ? login_failed(s, l->name, 0, "unknown user",
							    XY_ERR_AUTH, err)
					     : rc;
	if (u.disabled || u.id != l->user.id) {
		rc = login_failed(s, l->name, 0, "disabled user", XY_ERR_REVOKED, err);
		goto out;
	}
	random_b64(token, sizeof token, SECRET_BYTES);
	secret_hash(token, SECRET_CHARS, hash);
	now_iso(at);
	out->expires = (int64_t)now + a->session_ttl;
	if ((rc = xy_store_sessions_purge(s, (int64_t)now, err)) ||
	    (rc = xy_store_session_insert(s, hash, u.id, out->expires, at, err)) ||
	    (rc = principal_of_user(&u, &out->who, err)))
		goto out;
	if (!(out->token = strdup(token)) || !(out->csrf = csrf_of(token)))
		rc = xy_error_set(err, XY_ERR_NOMEM, "out of memory");
out:
	sodium_memzero(token, sizeof token);
	if (rc)
		xy_session_release(out);
	xy_user_row_release(&u);
	return rc;
}

xy_code xy_auth_login(xy_auth *a, xy_store *s, const char *name, const char *password,
		      size_t password_len, xy_session *out, xy_error *err)
{
	xy_login l;
	xy_code rc = xy_auth_login_check(a, s, name, password, password_len, &l, err);
	if (rc) {
		if (out)
			memset(out, 0, sizeof *out);
		return rc;
	}
	rc = xy_auth_login_finish(a, s, &l, out, err);
	xy_login_release(&l);
	return rc;
}

xy_code xy_auth_session(xy_auth *a, xy_store *s, const char *token, xy_session *out,
			xy_error *err)
{
	xy_user_row u = { 0 };
	char hash[65];
	int64_t user_id = 0, expires = 0;
	xy_code rc;
	if (!a || !s || !out)
		return xy_error_set(err, XY_ERR_ARG, "xy_auth_session: missing argument");
	memset(out, 0, sizeof *out);
	if (!token || !secret_ok(token, strlen(token)))
		return xy_error_set(err, XY_ERR_AUTH, "not a session (会话无效)");
	secret_hash(token, SECRET_CHARS, hash);
	rc = xy_store_session_get(s, hash, &user_id, &expires, err);
	if (rc == XY_ERR_NOTFOUND)
		return xy_error_set(err, XY_ERR_AUTH, "no such session (会话无效或已退出)");
	if (rc)
		return rc;
	if ((int64_t)time(NULL) >= expires) {
		xy_store_session_delete(s, hash, NULL);
		return xy_error_set(err, XY_ERR_EXPIRED, "the session has expired (会话已过期)");
	}
	if ((rc = xy_store_user_by_id(s, user_id, &u, err))) {
		if (rc == XY_ERR_NOTFOUND)
			rc = xy_error_set(err, XY_ERR_AUTH, "no such session (会话无效)");
		return rc;
	}
	if (u.disabled)
		rc = xy_error_set(err, XY_ERR_REVOKED, "user '%s' is disabled (用户已停用)", u.name);
	else if (!(rc = principal_of_user(&u, &out->who, err))) {
		out->expires = expires;
		if (!(out->token = strdup(token)) || !(out->csrf = csrf_of(token)))
			rc = xy_error_set(err, XY_ERR_NOMEM, "out of memory");
	}
	if (rc)
		xy_session_release(out);
	xy_user_row_release(&u);
	return rc;
}

xy_code xy_auth_csrf_check(const xy_session *sess, const char *given, xy_error *err)
{
	if (!sess || !sess->csrf || !given || strlen(given) != SECRET_CHARS ||
	    sodium_memcmp(sess->csrf, given, SECRET_CHARS) != 0)
		return xy_error_set(err, XY_ERR_DENIED,
				    "missing or wrong CSRF token (缺少或错误的 CSRF 令牌)");
	return XY_OK;
}

xy_code xy_auth_logout(xy_store *s, const char *token, xy_error *err)
{
	char hash[65];
	if (!s)
		return xy_error_set(err, XY_ERR_ARG, "xy_auth_logout: no store");
	if (!token || !secret_ok(token, strlen(token)))
		return XY_OK;
	secret_hash(token, SECRET_CHARS, hash);
	return xy_store_session_delete(s, hash, err);
}

/* ---- bearer tokens ---- */

#define TOKEN_PREFIX "xyt_"

static xy_code token_state(xy_buf *b, int64_t id, const char *role, int64_t unit,
			   int64_t expires, const char *label, const char *revoked)
{
	xy_buf_reset(b);
	return xy_buf_addf(b, "id=%lld\nrole=%s\nunit=%lld\nexpires=%lld\nlabel=%s\nrevoked=%s\n",
			   (long long)id, role, (long long)unit, (long long)expires,
			   label ? label : "", revoked ? revoked : "");
}

xy_code xy_auth_token_create(xy_store *s, const char *who, const xy_token_spec *t,
			     int64_t *id, char **secret, xy_error *err)
{
	char raw[SECRET_CHARS + 1], hash[65], at[32];
	xy_buf state = XY_BUF_INIT, object = XY_BUF_INIT, out = XY_BUF_INIT;
	int64_t tid = 0;
	xy_code rc;
	if (!s || !who || !*who || !t || !secret)
		return xy_error_set(err, XY_ERR_ARG, "xy_auth_token_create: missing argument");
	*secret = NULL;
	if ((rc = check_role(t->role, t->unit_id, err)) || (rc = unit_exists(s, t->unit_id, err)))
		return rc;
	if (t->expires <= xy_time_now())
		return xy_error_at(err, XY_ERR_INVALID, NULL, 0, "expires",
				   "a token's expiry must be in the future (有效期须晚于当前时间)");
	random_b64(raw, sizeof raw, SECRET_BYTES);
	secret_hash(raw, SECRET_CHARS, hash);
	xy_time_upload(at);
	if ((rc = xy_store_begin(s, false, err)))
		goto done;
	{
		xy_token_in in = { hash, xy_role_name(t->role), t->label, who, at,
				   t->unit_id, t->expires };
		rc = xy_store_token_insert(s, &in, &tid, err);
	}
	if (!rc) {
		if (token_state(&state, tid, xy_role_name(t->role), t->unit_id, t->expires,
				t->label, NULL) ||
		    xy_buf_addf(&object, "token:%lld", (long long)tid)) {
			rc = xy_error_set(err, XY_ERR_NOMEM, "out of memory");
		} else {
			xy_audit_entry e = { .who = who, .action = "token.create",
					     .object = object.data, .after = state.data,
					     .after_len = state.len };
			rc = xy_audit_append(s, &e, NULL, err);
		}
	}
	if (!rc && xy_buf_addf(&out, TOKEN_PREFIX "%lld_%s", (long long)tid, raw))
		rc = xy_error_set(err, XY_ERR_NOMEM, "out of memory");
	if (!rc)
		rc = xy_store_commit(s, err);
	if (rc) {
		xy_store_rollback(s, NULL);
		goto done;
	}
	*secret = xy_buf_detach(&out, NULL);
	if (id)
		*id = tid;
done:
	sodium_memzero(raw, sizeof raw);
	if (out.cap)
		sodium_memzero(out.data, out.len);
	xy_buf_release(&out);
	xy_buf_release(&state);
	xy_buf_release(&object);
	return rc;
}

json_t *xy_token_json(const xy_token_row *t)
{
	char exp[32];
	xy_role r = XY_ROLE_PUBLIC;
	xy_role_parse(t->role, &r);
	xy_time_iso(t->expires, exp);
	return json_pack("{s:I,s:s,s:s,s:o,s:o,s:s,s:s,s:s,s:s,s:o,s:s}", "id", (json_int_t)t->id,
			 "role", t->role, "role_zh", xy_role_name_zh(r), "unit_id",
			 opt_id(t->unit_id), "unit", opt_str(t->unit), "label", t->label,
			 "created_by", t->created_by, "created_at", t->created_at, "expires", exp,
			 "revoked_at", opt_str(t->revoked_at), "state",
			 *t->revoked_at ? "revoked"
			 : (int64_t)time(NULL) >= t->expires ? "expired"
							     : "valid");
}

xy_code xy_auth_token_list(xy_store *s, xy_token_row **out, size_t *n, xy_error *err)
{
	return xy_store_tokens(s, out, n, err);
}

struct revoke {
	int64_t id;
	const char *at;
};

static xy_code revoke_step(xy_store *s, void *ctx, xy_error *err)
{
	struct revoke *r = ctx;
	return xy_store_token_revoke(s, r->id, r->at, err);
}

xy_code xy_auth_token_revoke(xy_store *s, const char *who, int64_t id, xy_error *err)
{
	xy_token_row t = { 0 };
	xy_buf before = XY_BUF_INIT, after = XY_BUF_INIT, object = XY_BUF_INIT;
	char at[32];
	struct revoke r = { id, at };
	xy_code rc;
	if (!s || !who || !*who)
		return xy_error_set(err, XY_ERR_ARG, "xy_auth_token_revoke: missing argument");
	rc = xy_store_token_get(s, id, &t, err);
	if (rc == XY_ERR_NOTFOUND)
		return xy_error_set(err, XY_ERR_NOTFOUND, "no token %lld (无此令牌)", (long long)id);
	if (rc)
		return rc;
	now_iso(at);
	if (token_state(&before, t.id, t.role, t.unit_id, t.expires, t.label, t.revoked_at) ||
	    token_state(&after, t.id, t.role, t.unit_id, t.expires, t.label, at) ||
	    xy_buf_addf(&object, "token:%lld", (long long)id)) {
		rc = xy_error_set(err, XY_ERR_NOMEM, "out of memory");
	} else {
		xy_audit_entry e = { .who = who, .action = "token.revoke", .object = object.data,
				     .before = before.data, .before_len = before.len,
				     .after = after.data, .after_len = after.len };
		rc = audited(s, revoke_step, &r, &e, err);
	}
	xy_buf_release(&before);
	xy_buf_release(&after);
	xy_buf_release(&object);
	xy_token_row_release(&t);
	return rc;
}

xy_code xy_auth_bearer(xy_store *s, const char *token, xy_principal *out, xy_error *err)
{
	static const char bad[] = "unknown or forged token (令牌无效)";
	xy_token_row t = { 0 };
	char hash[65];
	const char *p, *sep;
	char *end;
	long long id;
	xy_role role;
	xy_code rc;
	if (!s || !out)
		return xy_error_set(err, XY_ERR_ARG, "xy_auth_bearer: missing argument");
	memset(out, 0, sizeof *out);
	if (!token || strncmp(token, TOKEN_PREFIX, strlen(TOKEN_PREFIX)))
		return xy_error_set(err, XY_ERR_AUTH, bad);
	p = token + strlen(TOKEN_PREFIX);
	sep = strchr(p, '_');
	if (!sep || sep == p || sep - p > 18 || *p < '1' || *p > '9')
		return xy_error_set(err, XY_ERR_AUTH, bad);
	errno = 0;
	id = strtoll(p, &end, 10);
	if (errno || end != sep || !secret_ok(sep + 1, strlen(sep + 1)))
		return xy_error_set(err, XY_ERR_AUTH, bad);
	rc = xy_store_token_get(s, id, &t, err);
	if (rc == XY_ERR_NOTFOUND)
		return xy_error_set(err, XY_ERR_AUTH, bad);
	if (rc)
		return rc;
	secret_hash(sep + 1, SECRET_CHARS, hash);
	/* the secret first, in constant time: a forger learns nothing of the
	 * token's state */
	if (strlen(t.hash) != 64 || sodium_memcmp(hash, t.hash, 64) != 0)
		rc = xy_error_set(err, XY_ERR_AUTH, bad);
	else if (*t.revoked_at)
		rc = xy_error_set(err, XY_ERR_REVOKED, "token %lld was revoked (令牌已吊销)", id);
	else if ((int64_t)time(NULL) >= t.expires)
		rc = xy_error_set(err, XY_ERR_EXPIRED, "token %lld has expired (令牌已过期)", id);
	else if (xy_role_parse(t.role, &role) || role == XY_ROLE_PUBLIC)
		rc = xy_error_set(err, XY_ERR_STORE, "token %lld has an unknown role", id);
	if (!rc) {
		out->role = role;
		out->token_id = t.id;
		out->unit_id = role == XY_ROLE_UNIT ? t.unit_id : 0;
		out->user = malloc(32);
		if (!out->user)
			rc = xy_error_set(err, XY_ERR_NOMEM, "out of memory");
		else
			snprintf(out->user, 32, "token:%lld", id);
	}
	xy_token_row_release(&t);
	return rc;
}
