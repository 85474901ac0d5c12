/* Unit tests of auth (users, sessions, bearer tokens, the role matrix) and
 * the audit log, on a fresh SQLite store.  argon2id runs at libsodium's
 * minimum cost through xy_auth_opts so the suite stays fast; one test checks
 * the default is INTERACTIVE.  The tamper tests edit the SQLite file with raw
 * SQL (this backend's own test only). */
#include <criterion/criterion.h>
#include <ftw.h>
#include <pthread.h>
#include <sodium.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "xinyong/auth.h"
#include "xinyong/ingest.h"

static char tmpdir[256];
static char dbpath[512];
static xy_store *st;
static xy_auth *au;
static xy_registry reg;
static xy_error err;
static int64_t unit_a, unit_b;

#define OK(expr)                                                                       \
	do {                                                                           \
		xy_code rc_ = (expr);                                                  \
		cr_assert_eq(rc_, XY_OK, "%s: %s (%s)", #expr, xy_code_name(rc_), err.msg); \
	} while (0)
#define IS(expr, code)                                                                  \
	do {                                                                            \
		xy_code rc_ = (expr);                                                   \
		cr_assert_eq(rc_, (code), "%s: %s, wanted %s (%s)", #expr, xy_code_name(rc_), \
			     xy_code_name(code), err.msg);                              \
	} while (0)

static int rm_one(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
	(void)sb;
	(void)flag;
	(void)ftw;
	return remove(path);
}

static void cheap_auth(xy_auth **a, unsigned max_hashing, long wait_ms, long ttl)
{
	xy_auth_opts o = { .opslimit = crypto_pwhash_OPSLIMIT_MIN,
			   .memlimit = crypto_pwhash_MEMLIMIT_MIN,
			   .max_hashing = max_hashing,
			   .hash_wait_ms = wait_ms,
			   .session_ttl = ttl };
	OK(xy_auth_new(a, &o, &err));
}

static void setup(void)
{
	snprintf(tmpdir, sizeof tmpdir, "/tmp/xy_auth_test_XXXXXX");
	cr_assert_not_null(mkdtemp(tmpdir));
	snprintf(dbpath, sizeof dbpath, "%s/xy.db", tmpdir);
	xy_error_clear(&err);
	OK(xy_store_open(&st, dbpath, NULL, &err));
	xy_registry_init(&reg);
	OK(xy_store_load_registry(st, &reg, &err));
	cr_assert_geq(reg.nunits, 2);
	unit_a = reg.units[0].id;
	unit_b = reg.units[1].id;
	cheap_auth(&au, 0, 0, 0);
}

static void teardown(void)
{
	xy_auth_free(au);
	au = NULL;
	xy_registry_release(&reg);
	xy_store_close(st);
	st = NULL;
	nftw(tmpdir, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

TestSuite(auth, .init = setup, .fini = teardown);

static void add_user(const char *name, xy_role role, int64_t unit, const char *pw)
{
	xy_user_spec u = { name, role, unit, pw, strlen(pw) };
	OK(xy_auth_user_add(au, st, "cli:test", &u, NULL, &err));
}

/* Run sql on the database file through a connection of its own.
 * SQLite backend's own test: its append-only triggers, and edits of the audit
 * chain behind the store's back that verify must find
 * (tests/cli/t0009-no-raw-sql.sh allows the sqlite3 library here for that). */
static void raw_sql(const char *sql)
{
	sqlite3 *db;
	char *msg = NULL;
	cr_assert_eq(sqlite3_open(dbpath, &db), SQLITE_OK);
	cr_assert_eq(sqlite3_exec(db, sql, NULL, NULL, &msg), SQLITE_OK, "%s: %s", sql,
		     msg ? msg : "");
	sqlite3_close(db);
}

static int count_cb(void *ctx, const xy_audit_view *v)
{
	(void)v;
	(*(int *)ctx)++;
	return 0;
}

static int audit_count(const char *action)
{
	xy_audit_filter f = { .action = action };
	int n = 0;
	OK(xy_audit_list(st, &f, count_cb, &n, &err));
	return n;
}

/* ---- roles ---- */

Test(auth, role_names_round_trip)
{
	xy_role r;
	for (int i = XY_ROLE_PUBLIC; i <= XY_ROLE_AUDITOR; i++) {
		cr_assert_eq(xy_role_parse(xy_role_name((xy_role)i), &r), 0);
		cr_assert_eq(r, (xy_role)i);
		cr_assert_eq(xy_role_parse(xy_role_name_zh((xy_role)i), &r), 0);
		cr_assert_eq(r, (xy_role)i);
	}
	cr_assert_eq(xy_role_parse("root", &r), -1);
	cr_assert_eq(xy_role_parse(NULL, &r), -1);
}

/* Every role against every role set, with own, other and no unit. */
Test(auth, role_matrix)
{
	static const unsigned sets[] = { XY_ROLES_ANYONE, XY_ROLES_SIGNED_IN, XY_ROLES_OFFICE,
					 XY_ROLES_OFFICE_READ, XY_ROLE_BIT(XY_ROLE_UNIT) };
	for (int r = XY_ROLE_PUBLIC; r <= XY_ROLE_AUDITOR; r++) {
		xy_principal p = { .role = (xy_role)r, .unit_id = r == XY_ROLE_UNIT ? unit_a : 0 };
		for (size_t k = 0; k < sizeof sets / sizeof *sets; k++) {
			for (int u = 0; u < 3; u++) {
				int64_t res = u == 0 ? 0 : u == 1 ? unit_a : unit_b;
				xy_code want;
				if (!(sets[k] & XY_ROLE_BIT(r)))
					want = r == XY_ROLE_PUBLIC ? XY_ERR_AUTH : XY_ERR_DENIED;
				else if (r == XY_ROLE_UNIT && res == unit_b)
					want = XY_ERR_DENIED; /* another unit's resource */
				else
					want = XY_OK;
				IS(xy_auth_allowed(&p, sets[k], res, &err), want);
			}
		}
	}
	/* the auditor reads but never changes; the public reads public routes */
	xy_principal aud = { .role = XY_ROLE_AUDITOR };
	IS(xy_auth_allowed(&aud, XY_ROLES_OFFICE, 0, &err), XY_ERR_DENIED);
	IS(xy_auth_allowed(&aud, XY_ROLES_AUDIT, 0, &err), XY_OK);
	xy_principal op = { .role = XY_ROLE_UNIT, .unit_id = unit_a };
	IS(xy_auth_allowed(&op, XY_ROLES_AUDIT, 0, &err), XY_ERR_DENIED);
	IS(xy_auth_allowed(NULL, XY_ROLES_ANYONE, 0, &err), XY_OK);
	IS(xy_auth_allowed(NULL, XY_ROLES_SIGNED_IN, 0, &err), XY_ERR_AUTH);
}

/* ---- users and passwords ---- */

Test(auth, default_cost_is_interactive)
{
	xy_auth *a = NULL;
	xy_user_row u = { 0 };
	char want[32];
	OK(xy_auth_new(&a, NULL, &err));
	xy_user_spec spec = { "slow", XY_ROLE_ADMIN, 0, "a long password", 15 };
	OK(xy_auth_user_add(a, st, "cli:test", &spec, NULL, &err));
	OK(xy_store_user_get(st, "slow", &u, &err));
	snprintf(want, sizeof want, "$argon2id$v=19$m=%zu,t=%llu,",
		 (size_t)crypto_pwhash_MEMLIMIT_INTERACTIVE / 1024,
		 (unsigned long long)crypto_pwhash_OPSLIMIT_INTERACTIVE);
	cr_assert(strncmp(u.pwhash, want, strlen(want)) == 0, "%s vs %s", u.pwhash, want);
	xy_user_row_release(&u);
	xy_auth_free(a);
	xy_auth_opts bad = { .opslimit = 0, .memlimit = 1 };
	IS(xy_auth_new(&a, &bad, &err), XY_ERR_ARG);
}

Test(auth, password_stored_hashed_and_checked)
{
	xy_session s = { 0 };
	xy_user_row u = { 0 };
	add_user("admin1", XY_ROLE_ADMIN, 0, "correct horse");
	OK(xy_store_user_get(st, "admin1", &u, &err));
	cr_assert(strncmp(u.pwhash, "$argon2id$", 10) == 0);
	cr_assert_null(strstr(u.pwhash, "correct horse"));
	xy_user_row_release(&u);

	OK(xy_auth_login(au, st, "admin1", "correct horse", 13, &s, &err));
	cr_assert_eq(s.who.role, XY_ROLE_ADMIN);
	cr_assert_str_eq(s.who.user, "admin1");
	cr_assert_eq(strlen(s.token), 43);
	cr_assert_eq(strlen(s.csrf), 43);
	cr_assert_str_neq(s.token, s.csrf);
	cr_assert_gt(s.expires, (int64_t)time(NULL));
	xy_session_release(&s);

	IS(xy_auth_login(au, st, "admin1", "correct horsf", 13, &s, &err), XY_ERR_AUTH);
	cr_assert_null(s.token);
	IS(xy_auth_login(au, st, "admin1", "correct hors", 12, &s, &err), XY_ERR_AUTH);
	/* an unknown user answers exactly like a wrong password */
	char msg_wrong[sizeof err.msg];
	memcpy(msg_wrong, err.msg, sizeof msg_wrong);
	IS(xy_auth_login(au, st, "nobody", "correct horse", 13, &s, &err), XY_ERR_AUTH);
	cr_assert_str_eq(err.msg, msg_wrong);
	cr_assert_eq(audit_count("login.fail"), 3);
}

Test(auth, user_validation)
{
	xy_user_spec u = { "ok", XY_ROLE_ADMIN, 0, "short", 5 };
	IS(xy_auth_user_add(au, st, "cli:t", &u, NULL, &err), XY_ERR_INVALID);
	cr_assert_str_eq(err.field, "password");
	cr_assert(strstr(err.msg, "8") != NULL, "the limit is named: %s", err.msg);
	u.password = "long enough";
	u.password_len = 11;
	u.name = "has space";
	IS(xy_auth_user_add(au, st, "cli:t", &u, NULL, &err), XY_ERR_INVALID);
	u.name = "a:b";
	IS(xy_auth_user_add(au, st, "cli:t", &u, NULL, &err), XY_ERR_INVALID);
	u.name = "x12345678901234567890123456789012345678901234567890123456789012345";
	IS(xy_auth_user_add(au, st, "cli:t", &u, NULL, &err), XY_ERR_INVALID);
	cr_assert(strstr(err.msg, "64") != NULL, "%s", err.msg);
	u.name = "王小明"; /* UTF-8 names are fine */
	OK(xy_auth_user_add(au, st, "cli:t", &u, NULL, &err));
	IS(xy_auth_user_add(au, st, "cli:t", &u, NULL, &err), XY_ERR_CONFLICT);
	/* operators need a unit, others have none */
	xy_user_spec op = { "op", XY_ROLE_UNIT, 0, "long enough", 11 };
	IS(xy_auth_user_add(au, st, "cli:t", &op, NULL, &err), XY_ERR_INVALID);
	op.unit_id = 999999;
	IS(xy_auth_user_add(au, st, "cli:t", &op, NULL, &err), XY_ERR_NOTFOUND);
	xy_user_spec adm = { "adm", XY_ROLE_ADMIN, unit_a, "long enough", 11 };
	IS(xy_auth_user_add(au, st, "cli:t", &adm, NULL, &err), XY_ERR_INVALID);
	xy_user_spec pub = { "pub", XY_ROLE_PUBLIC, 0, "long enough", 11 };
	IS(xy_auth_user_add(au, st, "cli:t", &pub, NULL, &err), XY_ERR_INVALID);
	cr_assert_eq(audit_count("user.add"), 1);
}

Test(auth, disabled_user_and_passwd_end_sessions)
{
	xy_session s = { 0 }, s2 = { 0 };
	xy_user_row *v = NULL;
	size_t n = 0;
	add_user("op1", XY_ROLE_UNIT, unit_a, "password1");
	OK(xy_auth_login(au, st, "op1", "password1", 9, &s, &err));
	cr_assert_eq(s.who.role, XY_ROLE_UNIT);
	cr_assert_eq(s.who.unit_id, unit_a);
	OK(xy_auth_user_passwd(au, st, "cli:t", "op1", "password2", 9, &err));
	IS(xy_auth_session(au, st, s.token, &s2, &err), XY_ERR_AUTH);
	xy_session_release(&s);
	IS(xy_auth_login(au, st, "op1", "password1", 9, &s, &err), XY_ERR_AUTH);
	OK(xy_auth_login(au, st, "op1", "password2", 9, &s, &err));

	OK(xy_auth_user_disable(st, "cli:t", "op1", &err));
	IS(xy_auth_session(au, st, s.token, &s2, &err), XY_ERR_AUTH);
	xy_session_release(&s);
	IS(xy_auth_login(au, st, "op1", "password2", 9, &s, &err), XY_ERR_REVOKED);
	/* a disabled user's wrong password says nothing about the account */
	IS(xy_auth_login(au, st, "op1", "password9", 9, &s, &err), XY_ERR_AUTH);
	OK(xy_auth_user_disable(st, "cli:t", "op1", &err)); /* again: nothing changes */
	cr_assert_eq(audit_count("user.disable"), 1);
	IS(xy_auth_user_disable(st, "cli:t", "ghost", &err), XY_ERR_NOTFOUND);
	IS(xy_auth_user_passwd(au, st, "cli:t", "ghost", "password3", 9, &err), XY_ERR_NOTFOUND);

	/* the last enabled admin cannot be disabled; with a second one it can */
	add_user("boss1", XY_ROLE_ADMIN, 0, "password1");
	IS(xy_auth_user_disable(st, "cli:t", "boss1", &err), XY_ERR_CONFLICT);
	cr_assert_eq(audit_count("user.disable"), 1);
	add_user("boss2", XY_ROLE_ADMIN, 0, "password1");
	OK(xy_auth_user_disable(st, "cli:t", "boss1", &err));
	IS(xy_auth_user_disable(st, "cli:t", "boss2", &err), XY_ERR_CONFLICT);

	OK(xy_auth_user_list(st, &v, &n, &err));
	cr_assert_eq(n, 3); /* by name: boss1 boss2 op1 */
	cr_assert_str_eq(v[2].name, "op1");
	cr_assert(v[2].disabled);
	cr_assert_str_eq(v[2].pwhash, "");
	cr_assert_str_eq(v[2].unit, reg.units[0].name);
	json_t *j = xy_user_json(&v[2]);
	cr_assert_not_null(j);
	cr_assert_null(json_object_get(j, "pwhash"));
	cr_assert_str_eq(json_string_value(json_object_get(j, "role_zh")), "信源单位操作员");
	json_decref(j);
	xy_user_rows_free(v, n);
	cr_assert_eq(audit_count("user.passwd"), 1);
}

/* The server's two-step login: the verdict read on one handle, written on
 * another; what happens between the steps counts (a user disabled after the
 * password was checked gets no session). */
Test(auth, login_in_two_steps)
{
	xy_login l = { 0 };
	xy_session s = { 0 };
	add_user("op2", XY_ROLE_UNIT, unit_a, "password1");
	/* a verdict is XY_OK to the caller, with nothing written yet */
	OK(xy_auth_login_check(au, st, "op2", "password9", 9, &l, &err));
	cr_assert_eq(l.verdict, XY_ERR_AUTH);
	cr_assert_eq(audit_count("login.fail"), 0);
	IS(xy_auth_login_finish(au, st, &l, &s, &err), XY_ERR_AUTH);
	cr_assert_null(s.token);
	cr_assert_eq(audit_count("login.fail"), 1);
	xy_login_release(&l);
	/* an invalid name is logged by its length, never stored */
	OK(xy_auth_login_check(au, st, "bad name\n", "password1", 9, &l, &err));
	cr_assert_null(l.name);
	IS(xy_auth_login_finish(au, st, &l, &s, &err), XY_ERR_AUTH);
	cr_assert_eq(audit_count("login.fail"), 2);
	xy_login_release(&l);
	/* the right password, then the user is disabled before the session */
	OK(xy_auth_login_check(au, st, "op2", "password1", 9, &l, &err));
	cr_assert_eq(l.verdict, XY_OK);
	OK(xy_auth_user_disable(st, "cli:t", "op2", &err));
	IS(xy_auth_login_finish(au, st, &l, &s, &err), XY_ERR_REVOKED);
	cr_assert_null(s.token);
	xy_login_release(&l);
	xy_login_release(&l); /* twice: nothing left to free */
}

/* ---- sessions and CSRF ---- */

Test(auth, session_lookup_logout_and_csrf)
{
	xy_session s = { 0 }, got = { 0 };
	xy_buf who = XY_BUF_INIT;
	add_user("aud", XY_ROLE_AUDITOR, 0, "password1");
	OK(xy_auth_login(au, st, "aud", "password1", 9, &s, &err));
	OK(xy_auth_session(au, st, s.token, &got, &err));
	cr_assert_eq(got.who.role, XY_ROLE_AUDITOR);
	cr_assert_str_eq(got.csrf, s.csrf);
	OK(xy_auth_csrf_check(&got, s.csrf, &err));
	IS(xy_auth_csrf_check(&got, NULL, &err), XY_ERR_DENIED);
	IS(xy_auth_csrf_check(&got, "", &err), XY_ERR_DENIED);
	char forged[44];
	memcpy(forged, s.csrf, 44);
	forged[10] = forged[10] == 'A' ? 'B' : 'A';
	IS(xy_auth_csrf_check(&got, forged, &err), XY_ERR_DENIED);
	/* the session token itself is not its CSRF token */
	IS(xy_auth_csrf_check(&got, s.token, &err), XY_ERR_DENIED);
	OK(xy_principal_who(&got.who, &who));
	cr_assert_str_eq(who.data, "user:aud");
	xy_session_release(&got);

	/* a forged cookie: right shape, unknown; a malformed one */
	memcpy(forged, s.token, 44);
	forged[5] = forged[5] == 'A' ? 'B' : 'A';
	IS(xy_auth_session(au, st, forged, &got, &err), XY_ERR_AUTH);
	IS(xy_auth_session(au, st, "short", &got, &err), XY_ERR_AUTH);
	IS(xy_auth_session(au, st, NULL, &got, &err), XY_ERR_AUTH);

	OK(xy_auth_logout(st, s.token, &err));
	IS(xy_auth_session(au, st, s.token, &got, &err), XY_ERR_AUTH);
	OK(xy_auth_logout(st, s.token, &err));
	xy_session_release(&s);
	xy_buf_release(&who);
}

Test(auth, session_expires)
{
	xy_auth *shortlived = NULL;
	xy_session s = { 0 }, got = { 0 };
	cheap_auth(&shortlived, 0, 0, 1);
	add_user("adm", XY_ROLE_ADMIN, 0, "password1");
	OK(xy_auth_login(shortlived, st, "adm", "password1", 9, &s, &err));
	cr_assert_leq(s.expires, (int64_t)time(NULL) + 1);
	OK(xy_auth_session(shortlived, st, s.token, &got, &err));
	xy_session_release(&got);
	sleep(2);
	IS(xy_auth_session(shortlived, st, s.token, &got, &err), XY_ERR_EXPIRED);
	/* an expired session is gone afterwards */
	IS(xy_auth_session(shortlived, st, s.token, &got, &err), XY_ERR_AUTH);
	xy_session_release(&s);
	xy_auth_free(shortlived);
}

/* ---- the hashing cap ---- */

struct hold {
	xy_auth *a;
	xy_code rc;
	pthread_barrier_t *start;
};

static void *login_thread(void *arg)
{
	struct hold *h = arg;
	xy_store *s2 = NULL;
	xy_session s = { 0 };
	xy_error e = XY_ERROR_INIT;
	xy_code rc = xy_store_open(&s2, dbpath, NULL, &e);
	pthread_barrier_wait(h->start); /* all logins start together */
	if (rc) {
		h->rc = rc;
		return NULL;
	}
	h->rc = xy_auth_login(h->a, s2, "adm", "password1", 9, &s, &e);
	xy_session_release(&s);
	xy_store_close(s2);
	return NULL;
}

Test(auth, hashing_cap_refuses_past_the_cap)
{
	xy_auth *capped = NULL;
	xy_auth_opts o = { .opslimit = 3, .memlimit = 32u << 20, .max_hashing = 1,
			   .hash_wait_ms = -1 };
	pthread_t t[4];
	struct hold h[4];
	pthread_barrier_t start;
	int busy = 0, ok = 0;
	OK(xy_auth_new(&capped, &o, &err));
	add_user("adm", XY_ROLE_ADMIN, 0, "password1");
	/* the stored hash is cheap; verifying costs what the hash says, so
	 * make it dear enough that four logins overlap */
	OK(xy_auth_user_passwd(capped, st, "cli:t", "adm", "password1", 9, &err));
	pthread_barrier_init(&start, NULL, 4);
	for (int i = 0; i < 4; i++) {
		h[i] = (struct hold){ capped, XY_OK, &start };
		cr_assert_eq(pthread_create(&t[i], NULL, login_thread, &h[i]), 0);
	}
	for (int i = 0; i < 4; i++) {
		pthread_join(t[i], NULL);
		busy += h[i].rc == XY_ERR_BUSY;
		ok += h[i].rc == XY_OK;
	}
	cr_assert_geq(ok, 1);
	cr_assert_geq(busy, 1, "with one slot and no waiting, some login must be refused");
	cr_assert_eq(ok + busy, 4);
	xy_auth_free(capped);
	pthread_barrier_destroy(&start);

	/* waiting instead of refusing: all get through */
	o.hash_wait_ms = 30000;
	OK(xy_auth_new(&capped, &o, &err));
	pthread_barrier_init(&start, NULL, 3);
	for (int i = 0; i < 3; i++) {
		h[i] = (struct hold){ capped, XY_ERR_BUSY, &start };
		cr_assert_eq(pthread_create(&t[i], NULL, login_thread, &h[i]), 0);
	}
	for (int i = 0; i < 3; i++) {
		pthread_join(t[i], NULL);
		cr_assert_eq(h[i].rc, XY_OK, "%s", xy_code_name(h[i].rc));
	}
	pthread_barrier_destroy(&start);
	xy_auth_free(capped);
}

/* ---- bearer tokens ---- */

Test(auth, bearer_tokens)
{
	xy_token_spec spec = { XY_ROLE_UNIT, unit_a, (int64_t)time(NULL) + 3600, "上传脚本" };
	xy_principal p = { 0 };
	xy_token_row *v = NULL;
	xy_token_row row = { 0 };
	size_t n = 0;
	char *tok = NULL, *tok2 = NULL;
	int64_t id = 0, id2 = 0;

	OK(xy_auth_token_create(st, "cli:t", &spec, &id, &tok, &err));
	cr_assert_gt(id, 0);
	cr_assert(strncmp(tok, "xyt_", 4) == 0);
	OK(xy_auth_bearer(st, tok, &p, &err));
	cr_assert_eq(p.role, XY_ROLE_UNIT);
	cr_assert_eq(p.unit_id, unit_a);
	cr_assert_eq(p.token_id, id);
	cr_assert_eq(p.user_id, 0);
	IS(xy_auth_allowed(&p, XY_ROLE_BIT(XY_ROLE_UNIT), unit_b, &err), XY_ERR_DENIED);
	xy_principal_release(&p);

	/* only the hash is stored */
	OK(xy_store_token_get(st, id, &row, &err));
	cr_assert_eq(strlen(row.hash), 64);
	cr_assert_null(strstr(tok, row.hash));
	xy_token_row_release(&row);

	/* forged: right id, wrong secret; unknown id; malformed */
	char *forged = strdup(tok);
	size_t L = strlen(forged);
	forged[L - 3] = forged[L - 3] == 'A' ? 'B' : 'A';
	IS(xy_auth_bearer(st, forged, &p, &err), XY_ERR_AUTH);
	free(forged);
	IS(xy_auth_bearer(st, "xyt_99999_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", &p, &err),
	   XY_ERR_AUTH);
	IS(xy_auth_bearer(st, "Bearer junk", &p, &err), XY_ERR_AUTH);
	IS(xy_auth_bearer(st, "xyt_1_", &p, &err), XY_ERR_AUTH);
	IS(xy_auth_bearer(st, "xyt_01_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", &p, &err),
	   XY_ERR_AUTH);
	IS(xy_auth_bearer(st, NULL, &p, &err), XY_ERR_AUTH);

	/* revoked */
	spec = (xy_token_spec){ XY_ROLE_ADMIN, 0, (int64_t)time(NULL) + 3600, NULL };
	OK(xy_auth_token_create(st, "cli:t", &spec, &id2, &tok2, &err));
	OK(xy_auth_token_revoke(st, "cli:t", id2, &err));
	IS(xy_auth_bearer(st, tok2, &p, &err), XY_ERR_REVOKED);
	IS(xy_auth_token_revoke(st, "cli:t", id2, &err), XY_ERR_CONFLICT);
	IS(xy_auth_token_revoke(st, "cli:t", 424242, &err), XY_ERR_NOTFOUND);
	/* a forger of a revoked token learns nothing: AUTH, not REVOKED */
	tok2[strlen(tok2) - 1] = tok2[strlen(tok2) - 1] == 'A' ? 'B' : 'A';
	IS(xy_auth_bearer(st, tok2, &p, &err), XY_ERR_AUTH);

	/* expired: made valid, then its expiry passes */
	free(tok2);
	tok2 = NULL;
	spec = (xy_token_spec){ XY_ROLE_AUDITOR, 0, (int64_t)time(NULL) + 1, NULL };
	OK(xy_auth_token_create(st, "cli:t", &spec, NULL, &tok2, &err));
	sleep(2);
	IS(xy_auth_bearer(st, tok2, &p, &err), XY_ERR_EXPIRED);

	/* bad specs */
	spec = (xy_token_spec){ XY_ROLE_ADMIN, 0, (int64_t)time(NULL) - 1, NULL };
	char *none = NULL;
	IS(xy_auth_token_create(st, "cli:t", &spec, NULL, &none, &err), XY_ERR_INVALID);
	spec = (xy_token_spec){ XY_ROLE_UNIT, 0, (int64_t)time(NULL) + 60, NULL };
	IS(xy_auth_token_create(st, "cli:t", &spec, NULL, &none, &err), XY_ERR_INVALID);
	cr_assert_null(none);

	OK(xy_auth_token_list(st, &v, &n, &err));
	cr_assert_eq(n, 3);
	for (size_t i = 0; i < n; i++) {
		cr_assert_str_eq(v[i].hash, "");
		json_t *j = xy_token_json(&v[i]);
		cr_assert_not_null(j);
		const char *state = json_string_value(json_object_get(j, "state"));
		cr_assert_str_eq(state, v[i].id == id ? "valid" : v[i].id == id2 ? "revoked"
										: "expired");
		json_decref(j);
	}
	cr_assert_str_eq(v[n - 1].label, "上传脚本");
	xy_token_rows_free(v, n);
	cr_assert_eq(audit_count("token.create"), 3);
	cr_assert_eq(audit_count("token.revoke"), 1);
	free(tok);
	free(tok2);
}

/* ---- the audit log ---- */

static void append(const char *who, const char *action, const char *object)
{
	xy_audit_entry e = { .who = who, .action = action, .object = object, .detail = "d",
			     .before = "old", .before_len = 3, .after = "new", .after_len = 3 };
	OK(xy_audit_append(st, &e, NULL, &err));
}

static void five_entries(void)
{
	append("cli:a", "x.one", "o:1");
	append("cli:b", "x.two", "o:2");
	append("cli:a", "x.three", "o:3");
	append("user:c", "x.one", "o:4");
	append("cli:a", "x.five", "o:5");
}

/* Reopen the store after raw SQL and verify: the first bad seq. */
static int64_t verify_bad(void)
{
	xy_audit_check chk;
	xy_store_close(st);
	st = NULL;
	OK(xy_store_open(&st, dbpath, NULL, &err));
	xy_code rc = xy_audit_verify(st, NULL, &chk, &err);
	if (rc == XY_OK)
		return 0;
	cr_assert_eq(rc, XY_ERR_INVALID, "%s", err.msg);
	return chk.first_bad;
}

#define UNLOCK "DROP TRIGGER audit_log_no_update; DROP TRIGGER audit_log_no_delete;"

Test(auth, audit_chain_holds_and_filters)
{
	xy_audit_check chk;
	char anchor[100], head[65];
	int64_t seq = 0;
	five_entries();
	OK(xy_audit_verify(st, NULL, &chk, &err));
	cr_assert_eq(chk.entries, 5);
	cr_assert_eq(chk.first_bad, 0);
	cr_assert_eq(chk.head_seq, 5);
	cr_assert_eq(strlen(chk.head), 64);
	memcpy(head, chk.head, sizeof head);
	snprintf(anchor, sizeof anchor, "3:%s", head);
	IS(xy_audit_verify(st, anchor, &chk, &err), XY_ERR_INVALID); /* entry 3 has another hash */
	cr_assert_eq(chk.first_bad, 3);
	snprintf(anchor, sizeof anchor, "9:%s", head); /* past the end: deleted */
	IS(xy_audit_verify(st, anchor, &chk, &err), XY_ERR_INVALID);
	cr_assert_eq(chk.first_bad, 6);
	snprintf(anchor, sizeof anchor, "5:%s", head);
	OK(xy_audit_verify(st, anchor, &chk, &err));
	IS(xy_audit_verify(st, "5:nothex", &chk, &err), XY_ERR_ARG);

	xy_audit_filter f = { .who = "cli:a" };
	int n = 0;
	OK(xy_audit_list(st, &f, count_cb, &n, &err));
	cr_assert_eq(n, 3);
	f = (xy_audit_filter){ .who = "cli:a", .action = "x.one" };
	n = 0;
	OK(xy_audit_list(st, &f, count_cb, &n, &err));
	cr_assert_eq(n, 1);
	f = (xy_audit_filter){ .from = "2000-01-01", .to = "2999-12-31", .limit = 2 };
	n = 0;
	OK(xy_audit_list(st, &f, count_cb, &n, &err));
	cr_assert_eq(n, 2);
	f = (xy_audit_filter){ .to = "2000-01-01" };
	n = 0;
	OK(xy_audit_list(st, &f, count_cb, &n, &err));
	cr_assert_eq(n, 0);

	/* inside a transaction that rolls back, the entry goes too */
	OK(xy_store_begin(st, false, &err));
	xy_audit_entry e = { .who = "cli:a", .action = "x.gone" };
	OK(xy_audit_append(st, &e, &seq, &err));
	cr_assert_eq(seq, 6);
	OK(xy_store_rollback(st, &err));
	cr_assert_eq(audit_count("x.gone"), 0);
	OK(xy_audit_verify(st, NULL, &chk, &err));
	cr_assert_eq(chk.entries, 5);
	IS(xy_audit_append(st, &(xy_audit_entry){ .who = "", .action = "a" }, NULL, &err), XY_ERR_ARG);
}

Test(auth, audit_is_append_only_in_sqlite)
{
	sqlite3 *db;
	five_entries();
	cr_assert_eq(sqlite3_open(dbpath, &db), SQLITE_OK);
	cr_assert_neq(sqlite3_exec(db, "UPDATE audit_log SET who = 'x' WHERE seq = 2", NULL, NULL,
				   NULL), SQLITE_OK);
	cr_assert_neq(sqlite3_exec(db, "DELETE FROM audit_log WHERE seq = 2", NULL, NULL, NULL),
		      SQLITE_OK);
	sqlite3_close(db);
	cr_assert_eq(verify_bad(), 0);
}

Test(auth, audit_detects_an_edit)
{
	five_entries();
	raw_sql(UNLOCK "UPDATE audit_log SET detail = 'nothing happened' WHERE seq = 3;");
	cr_assert_eq(verify_bad(), 3);
	cr_assert(strstr(err.msg, "3") != NULL);
}

Test(auth, audit_detects_an_edit_with_a_new_hash)
{
	five_entries();
	/* entry 2 rewritten with another hash: it no longer hashes right */
	raw_sql(UNLOCK "UPDATE audit_log SET who = 'cli:z', hash = lower(hex(randomblob(32)))"
		       " WHERE seq = 2;");
	cr_assert_eq(verify_bad(), 2);
}

/* The documented formula, computed independently of lib/auth/audit.c. */
static void ns(crypto_hash_sha256_state *h, const char *s)
{
	char len[32];
	snprintf(len, sizeof len, "%zu:", strlen(s));
	crypto_hash_sha256_update(h, (const unsigned char *)len, strlen(len));
	crypto_hash_sha256_update(h, (const unsigned char *)s, strlen(s));
	crypto_hash_sha256_update(h, (const unsigned char *)",", 1);
}

static void doc_hash(const char *prev_hex, const char *const f[8], char out[65])
{
	crypto_hash_sha256_state h;
	unsigned char prev[32], d[32];
	cr_assert_eq(sodium_hex2bin(prev, 32, prev_hex, 64, NULL, NULL, NULL), 0);
	crypto_hash_sha256_init(&h);
	crypto_hash_sha256_update(&h, prev, 32);
	for (int i = 0; i < 8; i++)
		ns(&h, f[i]);
	crypto_hash_sha256_final(&h, d);
	sodium_bin2hex(out, 65, d, 32);
}

static int last_cb(void *ctx, const xy_audit_view *v)
{
	char *const *out = ctx;
	char seq[24], want[65];
	snprintf(seq, sizeof seq, "%lld", (long long)v->seq);
	const char *f[8] = { seq, v->at, v->who, v->action, v->object, v->detail,
			     v->before, v->after };
	doc_hash(v->prev, f, want);
	cr_assert_str_eq(want, v->hash, "entry %lld does not follow docs/security.md",
			 (long long)v->seq);
	memcpy(out[0], v->hash, 65);
	memcpy(out[1], v->at, strlen(v->at) + 1);
	return 0;
}

Test(auth, audit_detects_a_well_formed_appended_entry)
{
	char hash5[65], at[64], h6[65], sql[1024];
	char *out[2] = { hash5, at };
	five_entries();
	/* every entry hashes as documented */
	OK(xy_audit_list(st, NULL, last_cb, out, &err));
	/* a forger who knows the format appends a perfect entry 6 */
	const char *const f[8] = { "6", at, "cli:evil", "user.add", "user:evil", "", "", "" };
	doc_hash(hash5, f, h6);
	snprintf(sql, sizeof sql,
		 UNLOCK "INSERT INTO audit_log(seq, at, who, action, object, detail,"
			" before_digest, after_digest, prev, hash) VALUES (6, '%s', 'cli:evil',"
			" 'user.add', 'user:evil', '', '', '', '%s', '%s');",
		 at, hash5, h6);
	raw_sql(sql);
	/* the chain holds, but not the head xinyong kept */
	cr_assert_eq(verify_bad(), 6);
	cr_assert(strstr(err.msg, "inserted") != NULL, "%s", err.msg);
}

Test(auth, audit_detects_a_deletion)
{
	five_entries();
	raw_sql(UNLOCK "DELETE FROM audit_log WHERE seq = 2;");
	cr_assert_eq(verify_bad(), 2);
}

Test(auth, audit_detects_a_renumbered_deletion)
{
	five_entries();
	/* delete 2 and close the gap: 3 no longer follows 1 */
	raw_sql(UNLOCK "DELETE FROM audit_log WHERE seq = 2;"
		       "UPDATE audit_log SET seq = seq - 1 WHERE seq > 2;");
	cr_assert_eq(verify_bad(), 2);
}

Test(auth, audit_detects_a_deleted_tail)
{
	five_entries();
	raw_sql(UNLOCK "DELETE FROM audit_log WHERE seq >= 4;");
	cr_assert_eq(verify_bad(), 4);
}

Test(auth, audit_detects_an_insertion)
{
	five_entries();
	/* make room after 2 and insert a copy of entry 2 as 3 */
	raw_sql(UNLOCK "UPDATE audit_log SET seq = seq + 100 WHERE seq > 2;"
		       "UPDATE audit_log SET seq = seq - 99 WHERE seq > 100;"
		       "INSERT INTO audit_log(seq, at, who, action, object, detail, before_digest,"
		       " after_digest, prev, hash) SELECT 3, at, 'cli:evil', action, object, detail,"
		       " before_digest, after_digest, hash, hash FROM audit_log WHERE seq = 2;");
	cr_assert_eq(verify_bad(), 3);
}

Test(auth, import_commit_is_audited)
{
	xy_import_opts o = { .unit = reg.units[0].name, .category = "行政许可",
			     .report_dir = tmpdir, .who = "cli:importer" };
	XY_AUTO(xy_batch, b);
	char path[600];
	FILE *f;
	snprintf(path, sizeof path, "%s/empty.csv", tmpdir);
	f = fopen(path, "w");
	cr_assert_not_null(f);
	fputs("not,a,template\n1,2,3\n", f);
	fclose(f);
	(void)xy_import_file(st, &reg, path, &o, &b, &err);
	xy_audit_filter fl = { .who = "cli:importer" };
	int n = 0;
	OK(xy_audit_list(st, &fl, count_cb, &n, &err));
	cr_assert_eq(n, 1, "one audit entry for the batch, committed or refused");
	cr_assert_eq(audit_count(b.status == XY_BATCH_REFUSED ? "import.refuse" : "import.commit"), 1);
	xy_audit_check chk;
	OK(xy_audit_verify(st, NULL, &chk, &err));
}
