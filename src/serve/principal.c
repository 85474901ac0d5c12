/* xinyong serve: who is asking, and what a role may do.
 *
 * srv_authenticate is the one step that turns a request into a principal:
 * an `Authorization: Bearer` token (xy_auth_bearer) or the session cookie
 * of a signed-in page (xy_auth_session), else the public.  A cookie request
 * that changes state (any method but GET and HEAD) must carry the session's
 * CSRF token in X-CSRF-Token (xy_auth_csrf_check).  srv_allowed is the one
 * role check.  The users, sessions and tokens themselves are libxinyong's
 * (include/xinyong/auth.h); each worker reads them through its own store.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "serve.h"

static xy_auth *auth; /* one per process: options and the hashing cap */

xy_auth *srv_auth(void)
{
	return auth;
}

int srv_auth_init(xy_error *err)
{
	return xy_auth_new(&auth, NULL, err) ? -1 : 0;
}

void srv_auth_release(void)
{
	xy_auth_free(auth);
	auth = NULL;
}

void srv_principal_release(srv_principal *p)
{
	xy_principal_release(&p->p);
	free(p->unit);
	free(p->who);
	free(p->session);
	free(p->csrf);
	memset(p, 0, sizeof *p);
	p->role = SRV_PUBLIC;
}

/* Fill out from the library's principal (taken over); the unit's name from
 * the worker's registry. */
static int principal_set(srv_principal *out, xy_principal *p, const xy_registry *reg,
			 xy_error *err)
{
	xy_buf w = XY_BUF_INIT;
	out->p = *p;
	memset(p, 0, sizeof *p);
	out->role = (int)XY_ROLE_BIT(out->p.role);
	if (out->p.role == XY_ROLE_UNIT) {
		const xy_unit *u = xy_registry_unit_by_id(reg, out->p.unit_id);
		if (!u) {
			xy_error_set(err, XY_ERR_AUTH, "the principal's unit %lld is not known",
				     (long long)out->p.unit_id);
			return -1;
		}
		if (!(out->unit = strdup(u->name))) {
			xy_error_set(err, XY_ERR_NOMEM, "out of memory");
			return -1;
		}
	}
	if (xy_principal_who(&out->p, &w)) {
		xy_buf_release(&w);
		xy_error_set(err, XY_ERR_NOMEM, "out of memory");
		return -1;
	}
	size_t n;
	out->who = xy_buf_detach(&w, &n);
	return 0;
}

/* The session cookie's value, NULL when there is none. */
const char *srv_session_cookie(srv_req *r)
{
	return MHD_lookup_connection_value(r->conn, MHD_COOKIE_KIND, SRV_SESSION_COOKIE);
}

static bool changes_state(const char *method)
{
	return strcmp(method, "GET") && strcmp(method, "HEAD");
}

int srv_authenticate(srv_req *r, srv_principal *out, xy_error *err)
{
	const char *h = MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, "Authorization");
	const char *cookie = srv_session_cookie(r);
	xy_principal p;
	srv_thread *t;
	srv_principal_release(out);
	/* logging in is the public's: a stale cookie does not stand in its way */
	if (!strcmp(r->method, "POST") && !strcmp(r->url, "/api/v1/session"))
		cookie = NULL;
	if (!h && !cookie)
		return 0;
	if (h && strncasecmp(h, "Bearer ", 7) != 0) {
		xy_error_set(err, XY_ERR_AUTH, "only Bearer authorization is accepted");
		return 401;
	}
	if (!(t = srv_thread_get(err)))
		return 503;
	xy_principal_public(&p);
	if (h) {
		if (xy_auth_bearer(t->store, h + 7, &p, err))
			return err->code == XY_ERR_STORE || err->code == XY_ERR_NOMEM ? 503 : 401;
		return principal_set(out, &p, &t->reg, err) ? 401 : 0;
	}
	xy_session s = { 0 };
	if (xy_auth_session(auth, t->store, cookie, &s, err))
		return err->code == XY_ERR_STORE || err->code == XY_ERR_NOMEM ? 503 : 401;
	if (changes_state(r->method)) {
		const char *given =
			MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, "X-CSRF-Token");
		if (xy_auth_csrf_check(&s, given ? given : "", err)) {
			xy_session_release(&s);
			return 403;
		}
	}
	int rc = principal_set(out, &s.who, &t->reg, err);
	if (!rc && (!(out->session = strdup(s.token)) || !(out->csrf = strdup(s.csrf)))) {
		xy_error_set(err, XY_ERR_NOMEM, "out of memory");
		rc = -1;
	}
	xy_session_release(&s);
	return rc ? 401 : 0;
}

bool srv_allowed(const srv_principal *p, const srv_route *rt)
{
	return (rt->roles & p->role) != 0;
}

bool srv_unit_allowed(const srv_principal *p, const char *unit)
{
	if (p->role == SRV_ADMIN || p->role == SRV_AUDITOR)
		return true;
	return p->role == SRV_UNIT && unit && p->unit && strcmp(p->unit, unit) == 0;
}
