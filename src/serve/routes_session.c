/* xinyong serve: log in and out (session cookies for the pages). */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "routes.h"
#include "xinyong/date.h"
#include "xinyong/ingest.h"
#include "xinyong/lists.h"
#include "xinyong/text.h"
#include "xinyong/views.h"

/* ---- sessions (pages): log in and out ---- */

/* A login between its two steps: the verdict (reached on the worker: the
 * password hash is the slow part, and the writer is not held up by it) and
 * the session it opens. */
typedef struct login_state {
	xy_login verdict;
	xy_session sess;
} login_state;

static void login_free(void *p)
{
	login_state *l = p;
	xy_login_release(&l->verdict);
	xy_session_release(&l->sess);
	free(l);
}

/* On the writer: the session (or the audit entry of a failure). */
static void login_run(srv_req *r, xy_store *s, xy_registry *reg, xy_credit *cr, bool *cr_open)
{
	srv_wjob *j = r->job_data;
	login_state *l = j->data;
	(void)reg, (void)cr, (void)cr_open;
	j->rc = xy_auth_login_finish(srv_auth(), s, &l->verdict, &l->sess, &j->err);
}

static void logout_run(srv_req *r, xy_store *s, xy_registry *reg, xy_credit *cr, bool *cr_open)
{
	srv_wjob *j = r->job_data;
	(void)reg, (void)cr, (void)cr_open;
	j->rc = xy_auth_logout(s, r->who.session, &j->err);
}

/* Set-Cookie for the session token (NULL: clear it). */
static void session_cookie(srv_req *r, const char *token, long max_age)
{
	xy_buf c = XY_BUF_INIT;
	if (!r->resp)
		return;
	xy_buf_addf(&c, "%s=%s; Path=/; Max-Age=%ld; HttpOnly; SameSite=Strict%s",
		    SRV_SESSION_COOKIE, token ? token : "", token ? max_age : 0L,
		    srv_https(r) ? "; Secure" : "");
	MHD_add_response_header(r->resp, "Set-Cookie", c.data);
	MHD_add_response_header(r->resp, "Cache-Control", "no-store");
	xy_buf_release(&c);
}

void h_login(srv_req *r)
{
	if (!r->job_sent) {
		json_t *req = srv_body_object(r);
		if (!req)
			return;
		if (!json_is_string(json_object_get(req, "name")) ||
		    !json_is_string(json_object_get(req, "password"))) {
			json_decref(req);
			srv_error(r, 422, "invalid", "name", 0, "须给出 name 与 password（字符串）");
			return;
		}
		xy_error err = XY_ERROR_INIT;
		srv_thread *t = srv_thread_get(&err);
		login_state *l = calloc(1, sizeof *l);
		json_t *pw = json_object_get(req, "password");
		xy_code rc;
		if (!t || !l) {
			json_decref(req);
			free(l);
			if (!t)
				return srv_xy_error(r, &err);
			srv_error(r, 500, "nomem", NULL, 0, "服务器内存不足");
			return;
		}
		rc = xy_auth_login_check(srv_auth(), t->store,
					 json_string_value(json_object_get(req, "name")),
					 json_string_value(pw), json_string_length(pw), &l->verdict,
					 &err);
		json_decref(req);
		if (rc) {
			login_free(l);
			srv_xy_error(r, &err);
			if (r->resp && rc == XY_ERR_BUSY)
				MHD_add_response_header(r->resp, "Retry-After", "1");
			return;
		}
		srv_wjob_send(r, NULL, l, login_free, login_run);
		return;
	}
	srv_wjob *j = srv_wjob_done(r);
	if (!j)
		return;
	xy_session *sess = &((login_state *)j->data)->sess;
	if (j->rc) {
		srv_xy_error(r, &j->err);
		if (r->resp && j->rc == XY_ERR_BUSY)
			MHD_add_response_header(r->resp, "Retry-After", "1");
		return;
	}
	/* the unit's name, for pages */
	srv_thread *t = srv_thread_get(&j->err);
	const xy_unit *u = t && sess->who.role == XY_ROLE_UNIT
				   ? xy_registry_unit_by_id(&t->reg, sess->who.unit_id)
				   : NULL;
	srv_json(r, 201, json_pack("{s:s,s:s,s:s?,s:s,s:I}", "user", sess->who.user, "role",
				   xy_role_name(sess->who.role), "unit", u ? u->name : NULL,
				   "csrf", sess->csrf, "expires", (json_int_t)sess->expires));
	session_cookie(r, sess->token, (long)(sess->expires - time(NULL)));
}

void h_logout(srv_req *r)
{
	if (!r->job_sent) {
		if (!r->who.session) {
			srv_error(r, 400, "no_session", NULL, 0, "请求没有会话 Cookie（令牌无需登出）");
			return;
		}
		srv_wjob_send(r, NULL, NULL, NULL, logout_run);
		return;
	}
	srv_wjob *j = srv_wjob_done(r);
	if (!j)
		return;
	if (j->rc)
		return srv_xy_error(r, &j->err);
	srv_text(r, 204, "text/plain; charset=utf-8", "", 0);
	session_cookie(r, NULL, 0);
}


/* Who the cookie (or token) is: the staff pages ask on load.  The CSRF token
 * is in the answer so that a page opened in a new tab can send changes; the
 * answer is same-origin only (no CORS) and, as every API answer, no-store. */
void h_session(srv_req *r)
{
	xy_error err = XY_ERROR_INIT;
	json_t *o;
	if (xy_view_principal(&r->who.p, r->who.unit, r->who.session ? r->who.csrf : NULL, &o,
			      &err))
		return srv_xy_error(r, &err);
	srv_json(r, 200, o);
}
