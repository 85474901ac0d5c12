/* xinyong serve: the office's administration routes (信用办管理员 changes,
 * 审计员 reads): units, categories and their fields, column mappings, users,
 * tokens, memoranda, list entries, the audit log.  The answers are the
 * library's views (views.h, "office administration"), the JSON the CLI
 * prints; every change runs on the writer and is audited by the library call
 * it makes, naming r->who.who as the CLI's same command names cli:LOGIN. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sodium.h>

#include "routes.h"
#include "xinyong/auth.h"
#include "xinyong/date.h"
#include "xinyong/grade.h"
#include "xinyong/ingest.h"
#include "xinyong/inspect.h"
#include "xinyong/lists.h"
#include "xinyong/memoranda.h"
#include "xinyong/text.h"
#include "xinyong/units.h"
#include "xinyong/views.h"

/* ---- what these handlers share ---- */

/* Member k of the body: a string (NULL when absent and optional).  Sets
 * *bad to k when it is not a string, or absent and required. */
static const char *member(json_t *req, const char *k, bool required, const char **bad)
{
	json_t *v = json_object_get(req, k);
	if ((!v && required) || (v && !json_is_string(v))) {
		if (!*bad)
			*bad = k;
		return NULL;
	}
	return json_string_value(v);
}

/* 422 naming the member that is missing or of the wrong type; req freed. */
static void bad_member(srv_req *r, json_t *req, const char *bad, const char *want)
{
	json_decref(req);
	srv_error(r, 422, "invalid", bad, 0, "%s 缺失或类型不对：须为%s", bad, want);
}

/* The job's answer, 200 or `created`. */
static void answer(srv_req *r)
{
	srv_wjob *j = srv_wjob_done(r);
	if (j)
		srv_wjob_answer(r, j);
}

#define J(r) ((srv_wjob *)(r)->job_data)

/* ---- units and categories ---- */

void h_units(srv_req *r)
{
	srv_thread *t = srv_reader(r);
	xy_error err = XY_ERROR_INIT;
	json_t *v = NULL;
	if (t)
		srv_view(r, xy_view_units(&t->reg, &v, &err), &v, &err);
}

/* A unit added or renamed (units.h): the library reloads the writer's
 * registry; the writer's credit layer is let go (it was opened on the old
 * one) and every handle reloads at its next request. */
static void unit_change_run(srv_req *r, xy_store *s, xy_registry *reg, xy_credit *cr,
			    bool *cr_open)
{
	srv_wjob *j = J(r);
	const char *name = json_string_value(json_object_get(j->req, "name"));
	const char *kind = json_string_value(json_object_get(j->req, "kind"));
	const char *division = json_string_value(json_object_get(j->req, "division"));
	const char *old = j->data; /* NULL: add */
	int64_t id = 0;
	xy_code rc = old ? xy_unit_rename(s, reg, r->who.who, old, name, &id, &j->err)
			 : xy_unit_add(s, reg, r->who.who, name, kind, division, &id, &j->err);
	if (rc)
		return;
	if (*cr_open) {
		xy_credit_release(cr);
		*cr_open = false;
	}
	srv_catalogue_changed();
	if (!(j->out = xy_unit_json(xy_registry_unit_by_id(reg, id))))
		srv_error(r, 500, "nomem", NULL, 0, "服务器内存不足");
	else
		j->status = old ? 200 : 201;
}

/* POST /api/v1/units {"name","kind","division"?} */
void h_unit_add(srv_req *r)
{
	if (!r->job_sent) {
		json_t *req = srv_body_object(r);
		const char *bad = NULL;
		if (!req)
			return;
		member(req, "name", true, &bad);
		member(req, "kind", true, &bad);
		member(req, "division", false, &bad);
		if (bad)
			return bad_member(r, req, bad, "字符串（name；kind：部门、区县 或 园区；division：行政区划代码，可省略）");
		srv_wjob_send(r, req, NULL, NULL, unit_change_run);
		return;
	}
	answer(r);
}

/* PATCH /api/v1/units/{name} {"name": the new name} */
void h_unit_rename(srv_req *r)
{
	if (!r->job_sent) {
		json_t *req = srv_body_object(r);
		const char *bad = NULL;
		char *old;
		if (!req)
			return;
		member(req, "name", true, &bad);
		if (bad)
			return bad_member(r, req, bad, "字符串（name：新名称）");
		if (!(old = strdup(r->params[0]))) {
			json_decref(req);
			return srv_error(r, 500, "nomem", NULL, 0, "服务器内存不足");
		}
		srv_wjob_send(r, req, old, free, unit_change_run);
		return;
	}
	answer(r);
}

void h_categories(srv_req *r)
{
	srv_thread *t = srv_reader(r);
	xy_error err = XY_ERROR_INIT;
	json_t *v = NULL;
	if (t)
		srv_view(r, xy_view_categories(&t->reg, &v, &err), &v, &err);
}

void h_category(srv_req *r)
{
	srv_thread *t = srv_reader(r);
	xy_error err = XY_ERROR_INIT;
	json_t *v = NULL;
	if (t)
		srv_view(r, xy_view_category(&t->reg, r->params[0], &v, &err), &v, &err);
}

/* ---- column mappings ---- */

void h_mappings(srv_req *r)
{
	srv_thread *t = srv_reader(r);
	xy_error err = XY_ERROR_INIT;
	json_t *v = NULL;
	if (t)
		srv_view(r, xy_mapping_list(t->store, &t->reg, srv_arg(r, "unit"), srv_arg(r, "category"),
					&v, &err),
		     &v, &err);
}

static void mapping_put_run(srv_req *r, xy_store *s, xy_registry *reg, xy_credit *cr,
			    bool *cr_open)
{
	srv_wjob *j = J(r);
	const char *unit = json_string_value(json_object_get(j->req, "unit"));
	const char *cat = json_string_value(json_object_get(j->req, "category"));
	const char *col = json_string_value(json_object_get(j->req, "column"));
	const char *field = json_string_value(json_object_get(j->req, "field"));
	bool replaced = false;
	(void)cr;
	(void)cr_open;
	if (xy_mapping_add(s, reg, r->who.who, unit, cat, col, field, &replaced, &j->err))
		return;
	srv_catalogue_changed();
	j->out = json_pack("{s:s,s:s,s:s,s:s,s:b}", "unit", unit, "category", cat, "column", col,
			   "field", field, "replaced", replaced);
	j->status = replaced ? 200 : 201;
}

void h_mapping_put(srv_req *r)
{
	if (!r->job_sent) {
		json_t *req = srv_body_object(r);
		const char *bad = NULL;
		if (!req)
			return;
		member(req, "unit", true, &bad);
		member(req, "category", true, &bad);
		member(req, "column", true, &bad);
		member(req, "field", true, &bad);
		if (bad)
			return bad_member(r, req, bad, "字符串（unit、category、column、field）");
		srv_wjob_send(r, req, NULL, NULL, mapping_put_run);
		return;
	}
	answer(r);
}

static void mapping_delete_run(srv_req *r, xy_store *s, xy_registry *reg, xy_credit *cr,
			       bool *cr_open)
{
	srv_wjob *j = J(r);
	const char *unit = srv_arg(r, "unit"), *cat = srv_arg(r, "category");
	const char *col = srv_arg(r, "column");
	(void)cr;
	(void)cr_open;
	if (xy_mapping_remove(s, reg, r->who.who, unit, cat, col, &j->err))
		return;
	srv_catalogue_changed();
	j->out = json_pack("{s:s,s:s,s:s,s:b}", "unit", unit, "category", cat, "column", col,
			   "removed", 1);
	j->status = 200;
}

void h_mapping_delete(srv_req *r)
{
	if (!r->job_sent) {
		static const char *const need[] = { "unit", "category", "column" };
		for (size_t i = 0; i < 3; i++)
			if (!srv_arg(r, need[i])) {
				srv_error(r, 400, "missing_parameter", need[i], 0, "缺少 %s", need[i]);
				return;
			}
		srv_wjob_send(r, NULL, NULL, NULL, mapping_delete_run);
		return;
	}
	answer(r);
}

/* ---- users ---- */

void h_users(srv_req *r)
{
	srv_thread *t = srv_reader(r);
	xy_error err = XY_ERROR_INIT;
	json_t *v = NULL;
	if (t)
		srv_view(r, xy_view_users(t->store, &v, &err), &v, &err);
}

/* A password member: 8-1024 bytes (the library says which limit). */
static void wipe_password(json_t *req)
{
	json_t *p = json_object_get(req, "password");
	if (json_is_string(p))
		sodium_memzero((void *)json_string_value(p), json_string_length(p));
}

static void user_add_run(srv_req *r, xy_store *s, xy_registry *reg, xy_credit *cr,
			 bool *cr_open)
{
	srv_wjob *j = J(r);
	const char *name = json_string_value(json_object_get(j->req, "name"));
	const char *unit = json_string_value(json_object_get(j->req, "unit"));
	json_t *pw = json_object_get(j->req, "password");
	const xy_unit *u = NULL;
	xy_user_spec spec = { name, XY_ROLE_PUBLIC, 0, json_string_value(pw),
			      json_string_length(pw) };
	(void)cr;
	(void)cr_open;
	xy_role_parse(json_string_value(json_object_get(j->req, "role")), &spec.role);
	if (unit && !(u = xy_registry_unit(reg, unit))) {
		xy_error_at(&j->err, XY_ERR_INVALID, NULL, 0, "unit", "no unit named '%s'", unit);
		goto out;
	}
	spec.unit_id = u ? u->id : 0;
	if (xy_auth_user_add(srv_auth(), s, r->who.who, &spec, NULL, &j->err) ||
	    xy_view_user(s, name, &j->out, &j->err))
		goto out;
	j->status = 201;
out:
	wipe_password(j->req);
}

void h_user_add(srv_req *r)
{
	if (!r->job_sent) {
		json_t *req = srv_body_object(r);
		const char *bad = NULL, *role;
		xy_role ro;
		if (!req)
			return;
		member(req, "name", true, &bad);
		role = member(req, "role", true, &bad);
		member(req, "unit", false, &bad);
		member(req, "password", true, &bad);
		if (bad) {
			wipe_password(req);
			return bad_member(r, req, bad, "字符串（name、role、password；unit 可选）");
		}
		if (xy_role_parse(role, &ro) || ro == XY_ROLE_PUBLIC) {
			wipe_password(req);
			json_decref(req);
			srv_error(r, 422, "invalid", "role", 0, "role 须为 unit、admin 或 auditor");
			return;
		}
		srv_wjob_send(r, req, NULL, NULL, user_add_run);
		return;
	}
	answer(r);
}

static void user_patch_run(srv_req *r, xy_store *s, xy_registry *reg, xy_credit *cr,
			   bool *cr_open)
{
	srv_wjob *j = J(r);
	(void)reg;
	(void)cr;
	(void)cr_open;
	if (json_is_true(json_object_get(j->req, "disabled")) &&
	    xy_auth_user_disable(s, r->who.who, r->params[0], &j->err))
		return;
	if (!xy_view_user(s, r->params[0], &j->out, &j->err))
		j->status = 200;
}

void h_user_patch(srv_req *r)
{
	if (!r->job_sent) {
		json_t *req = srv_body_object(r), *d;
		const char *k;
		json_t *v;
		if (!req)
			return;
		json_object_foreach(req, k, v) if (strcmp(k, "disabled")) {
			srv_error(r, 422, "invalid", k, 0,
				  "只能修改 disabled（停用用户）；角色与单位不能修改：停用后另建用户");
			json_decref(req);
			return;
		}
		d = json_object_get(req, "disabled");
		if (!json_is_true(d)) {
			json_decref(req);
			srv_error(r, 422, "invalid", "disabled", 0,
				  "disabled 须为 true（停用不可撤销：另建用户）");
			return;
		}
		srv_wjob_send(r, req, NULL, NULL, user_patch_run);
		return;
	}
	answer(r);
}

static void user_passwd_run(srv_req *r, xy_store *s, xy_registry *reg, xy_credit *cr,
			    bool *cr_open)
{
	srv_wjob *j = J(r);
	json_t *pw = json_object_get(j->req, "password");
	(void)reg;
	(void)cr;
	(void)cr_open;
	if (!xy_auth_user_passwd(srv_auth(), s, r->who.who, r->params[0], json_string_value(pw),
				 json_string_length(pw), &j->err)) {
		j->out = json_pack("{s:s,s:b}", "name", r->params[0], "password_changed", 1);
		j->status = 200;
	}
	wipe_password(j->req);
}

void h_user_passwd(srv_req *r)
{
	if (!r->job_sent) {
		json_t *req = srv_body_object(r);
		const char *bad = NULL;
		if (!req)
			return;
		member(req, "password", true, &bad);
		if (bad)
			return bad_member(r, req, bad, "字符串（password）");
		srv_wjob_send(r, req, NULL, NULL, user_passwd_run);
		return;
	}
	answer(r);
}

/* ---- tokens ---- */

void h_tokens(srv_req *r)
{
	srv_thread *t = srv_reader(r);
	xy_error err = XY_ERROR_INIT;
	json_t *v = NULL;
	if (t)
		srv_view(r, xy_view_tokens(t->store, &v, &err), &v, &err);
}

static void token_create_run(srv_req *r, xy_store *s, xy_registry *reg, xy_credit *cr,
			     bool *cr_open)
{
	srv_wjob *j = J(r);
	const char *unit = json_string_value(json_object_get(j->req, "unit"));
	json_t *days = json_object_get(j->req, "expires_days");
	xy_token_spec spec = { 0 };
	const xy_unit *u = NULL;
	char *secret = NULL;
	int64_t id = 0;
	(void)cr;
	(void)cr_open;
	xy_role_parse(json_string_value(json_object_get(j->req, "role")), &spec.role);
	spec.label = json_string_value(json_object_get(j->req, "label"));
	spec.expires = (int64_t)time(NULL) + (days ? json_integer_value(days) : 90) * 86400;
	if (unit && !(u = xy_registry_unit(reg, unit))) {
		xy_error_at(&j->err, XY_ERR_INVALID, NULL, 0, "unit", "no unit named '%s'", unit);
		return;
	}
	spec.unit_id = u ? u->id : 0;
	if (xy_auth_token_create(s, r->who.who, &spec, &id, &secret, &j->err))
		return;
	j->out = json_pack("{s:I,s:s}", "id", (json_int_t)id, "token", secret);
	j->status = 201;
	sodium_memzero(secret, strlen(secret));
	free(secret);
}

void h_token_create(srv_req *r)
{
	if (!r->job_sent) {
		json_t *req = srv_body_object(r), *days;
		const char *bad = NULL, *role;
		xy_role ro;
		if (!req)
			return;
		role = member(req, "role", true, &bad);
		member(req, "unit", false, &bad);
		member(req, "label", false, &bad);
		days = json_object_get(req, "expires_days");
		if (!bad && days &&
		    (!json_is_integer(days) || json_integer_value(days) < 1 ||
		     json_integer_value(days) > 3650))
			bad = "expires_days";
		if (bad)
			return bad_member(r, req, bad,
					  "字符串（role；unit、label 可选）或 1 到 3650 的整数（expires_days）");
		if (xy_role_parse(role, &ro) || ro == XY_ROLE_PUBLIC) {
			json_decref(req);
			srv_error(r, 422, "invalid", "role", 0, "role 须为 unit、admin 或 auditor");
			return;
		}
		srv_wjob_send(r, req, NULL, NULL, token_create_run);
		return;
	}
	answer(r);
}

static void token_revoke_run(srv_req *r, xy_store *s, xy_registry *reg, xy_credit *cr,
			     bool *cr_open)
{
	srv_wjob *j = J(r);
	int64_t id = *(int64_t *)j->data;
	(void)reg;
	(void)cr;
	(void)cr_open;
	if (xy_auth_token_revoke(s, r->who.who, id, &j->err))
		return;
	j->out = json_pack("{s:I,s:b}", "id", (json_int_t)id, "revoked", 1);
	j->status = 200;
}

void h_token_revoke(srv_req *r)
{
	if (!r->job_sent) {
		int64_t *id = malloc(sizeof *id);
		if (!id) {
			srv_error(r, 500, "nomem", NULL, 0, "服务器内存不足");
			return;
		}
		if (!(*id = srv_param_id(r, 0, "id"))) {
			free(id);
			return;
		}
		srv_wjob_send(r, NULL, id, free, token_revoke_run);
		return;
	}
	answer(r);
}

/* ---- memoranda ---- */

static void memo_run(srv_req *r, xy_store *s, xy_registry *reg, xy_credit *cr, bool *cr_open)
{
	srv_wjob *j = J(r);
	const char *replace = srv_arg(r, "replace");
	bool rep = replace && (!strcmp(replace, "1") || !strcmp(replace, "true"));
	xy_credit *c = srv_credit(s, reg, cr, cr_open, &j->err);
	const xy_memorandum *m = NULL;
	if (!c || (rep ? xy_credit_memorandum_replace : xy_credit_memorandum_load)(
			  c, r->who.who, r->spool_path, &m, &j->err))
		return;
	srv_catalogue_changed(); /* the workers' credit layers load it */
	/* the summary `memorandum load` prints: the measures as a count */
	if (xy_view_memorandum(c, m->doc, NULL, &j->out, &j->err))
		return;
	json_object_set_new(j->out, "measures", json_integer((json_int_t)m->nmeasures));
	/* the spool path means nothing to the client: the name it uploaded */
	json_object_set_new(j->out, "file", xy_json_text(r->upload_name ? r->upload_name : "", NULL));
	j->status = rep ? 200 : 201;
}

void h_memorandum_load(srv_req *r)
{
	if (!r->job_sent) {
		srv_wjob_send(r, NULL, NULL, NULL, memo_run);
		return;
	}
	srv_wjob *j = srv_wjob_done(r);
	if (!j)
		return;
	if (!j->status && j->err.code == XY_ERR_CONFIG) /* the file's content: 422 */
		j->err.code = XY_ERR_INVALID;
	srv_wjob_answer(r, j);
}

/* ---- list entries (office view) ---- */

void h_entries(srv_req *r)
{
	srv_thread *t = srv_reader(r);
	xy_error err = XY_ERROR_INIT;
	xy_view_opts vo = { false, NULL };
	const char *all = srv_arg(r, "all");
	xy_credit *c;
	json_t *v = NULL;
	char d[11];
	if (!t || srv_arg_date(r, "date", d, &vo.asof))
		return;
	if (!(c = srv_credit(t->store, &t->reg, &t->credit, &t->credit_open, &err)))
		return srv_xy_error(r, &err);
	srv_view(r,
	     xy_view_entries(c, srv_arg(r, "type"),
			     all && (!strcmp(all, "1") || !strcmp(all, "true")), &vo, &v, &err),
	     &v, &err);
}

#define MAX_PERSONS 32

static void entry_add_run(srv_req *r, xy_store *s, xy_registry *reg, xy_credit *cr,
			  bool *cr_open)
{
	srv_wjob *j = J(r);
	xy_credit *c = srv_credit(s, reg, cr, cr_open, &j->err);
	json_t *persons = json_object_get(j->req, "persons"), *p;
	xy_credit_person pv[MAX_PERSONS];
	XY_AUTO(xy_entry_row, e);
	xy_list_add a;
	long notices = 0;
	bool counted = false;
	size_t i;
	memset(&a, 0, sizeof a);
	memset(pv, 0, sizeof pv);
	if (!c)
		return;
#define S(k) json_string_value(json_object_get(j->req, k))
	a = (xy_list_add){ .type = S("type"), .subject = S("subject"), .name = S("name"),
			   .unit = S("unit"), .doc = S("doc"), .from = S("from"), .to = S("to"),
			   .reason = S("reason"), .persons = pv, .who = r->who.who };
#undef S
	json_array_foreach(persons, i, p) {
		xy_buf spec = XY_BUF_INIT;
		xy_buf_addf(&spec, "%s:%s:%s", json_string_value(json_object_get(p, "role")),
			    json_string_value(json_object_get(p, "code")),
			    json_string_value(json_object_get(p, "name")));
		xy_code rc = xy_credit_person_parse(spec.data, &pv[a.npersons], &j->err);
		xy_buf_release(&spec);
		if (rc)
			goto out;
		a.npersons++;
	}
	if (xy_credit_list_add(c, &a, &e, &notices, &counted, &j->err) ||
	    xy_view_list_added(c, &e, a.npersons, notices, counted, &j->out, &j->err))
		goto out;
	j->status = 201;
out:
	for (i = 0; i < a.npersons; i++)
		xy_credit_person_release(&pv[i]);
}

void h_entry_add(srv_req *r)
{
	if (!r->job_sent) {
		json_t *req = srv_body_object(r), *persons, *p;
		const char *bad = NULL;
		size_t i;
		if (!req)
			return;
		member(req, "type", true, &bad);
		member(req, "subject", true, &bad);
		member(req, "unit", true, &bad);
		member(req, "doc", true, &bad);
		member(req, "from", true, &bad);
		member(req, "to", false, &bad);
		member(req, "name", false, &bad);
		member(req, "reason", false, &bad);
		persons = json_object_get(req, "persons");
		if (!bad && persons && (!json_is_array(persons) ||
					json_array_size(persons) > MAX_PERSONS))
			bad = "persons";
		json_array_foreach(persons, i, p) {
			const char *pb = NULL;
			member(p, "role", true, &pb);
			member(p, "code", true, &pb);
			member(p, "name", true, &pb);
			if (pb && !bad)
				bad = "persons";
		}
		if (bad)
			return bad_member(r, req, bad,
					  "字符串（type、subject、unit、doc、from；to、name、reason 可选）"
					  "或至多 32 个 {role,code,name}（persons）");
		srv_wjob_send(r, req, NULL, NULL, entry_add_run);
		return;
	}
	answer(r);
}

static void entry_exit_run(srv_req *r, xy_store *s, xy_registry *reg, xy_credit *cr,
			   bool *cr_open)
{
	srv_wjob *j = J(r);
	xy_credit *c = srv_credit(s, reg, cr, cr_open, &j->err);
	int64_t id = *(int64_t *)j->data;
	const char *how = json_string_value(json_object_get(j->req, "how"));
	const char *date = json_string_value(json_object_get(j->req, "date"));
	if (!c || xy_credit_list_exit(c, r->who.who, id, how, date, &j->err))
		return;
	j->out = json_pack("{s:I,s:s,s:s}", "entry", (json_int_t)id, "exit", how, "exit_date",
			   date);
	j->status = 200;
}

void h_entry_exit(srv_req *r)
{
	if (!r->job_sent) {
		int64_t id = srv_param_id(r, 0, "id"), *data;
		json_t *req;
		const char *bad = NULL;
		if (!id || !(req = srv_body_object(r)))
			return;
		member(req, "how", true, &bad);
		member(req, "date", true, &bad);
		if (bad)
			return bad_member(r, req, bad, "字符串（how：修复 注销 吊销 撤销；date）");
		if (!(data = malloc(sizeof *data))) {
			json_decref(req);
			srv_error(r, 500, "nomem", NULL, 0, "服务器内存不足");
			return;
		}
		*data = id;
		srv_wjob_send(r, req, data, free, entry_exit_run);
		return;
	}
	answer(r);
}

/* ---- the audit log ---- */

/* A keyset cursor ?NAME= (a seq, >= 0); -1 after answering 400. */
/* ?name=N: an integer >= min into *out (0 when absent); -1 after answering
 * 400 with "name 须为 what". */
static int arg_int(srv_req *r, const char *name, long long min, const char *what, int64_t *out)
{
	const char *s = srv_arg(r, name);
	char *end = NULL;
	long long v;
	*out = 0;
	if (!s)
		return 0;
	errno = 0;
	v = strtoll(s, &end, 10);
	if (!*s || *end || errno || v < min) {
		srv_error(r, 400, "invalid_parameter", name, 0, "%s 须为%s", name, what);
		return -1;
	}
	*out = v;
	return 0;
}

static int arg_seq(srv_req *r, const char *name, int64_t *out)
{
	return arg_int(r, name, 0, "上一页的 next（非负整数）", out);
}

void h_audit(srv_req *r)
{
	srv_thread *t = srv_reader(r);
	xy_error err = XY_ERROR_INIT;
	xy_audit_filter f = { srv_arg(r, "who"), srv_arg(r, "action"), srv_arg(r, "from"),
			      srv_arg(r, "to"), 0, 0, 0, false };
	const char *order = srv_arg(r, "order");
	long limit = srv_arg_limit(r, 100, 1000);
	json_t *v = NULL;
	if (!t || limit < 0 || arg_seq(r, "after", &f.after) || arg_seq(r, "before", &f.before))
		return;
	if (order && strcmp(order, "asc") && strcmp(order, "desc")) {
		srv_error(r, 400, "invalid_parameter", "order", 0,
			  "order 须为 asc（最早的在前）或 desc（最新的在前）");
		return;
	}
	f.desc = order && !strcmp(order, "desc");
	f.limit = (size_t)limit;
	srv_view(r, xy_view_audit(t->store, &f, &v, &err), &v, &err);
}

void h_audit_verify(srv_req *r)
{
	srv_thread *t = srv_reader(r);
	xy_error err = XY_ERROR_INIT;
	json_t *v = NULL;
	if (t)
		srv_view(r, xy_view_audit_verify(t->store, srv_arg(r, "expect"), &v, &err), &v, &err);
}

/* ---- credit grading (grade.h; docs/grading.md): the office's reads ---- */

/* ?run=N: a run number, 0 when absent (each subject's latest); -1 after answering. */
static int arg_run(srv_req *r, int64_t *run)
{
	return arg_int(r, "run", 1, "评价批次号（正整数）", run);
}

void h_grades(srv_req *r)
{
	srv_thread *t = srv_reader(r);
	xy_error err = XY_ERROR_INIT;
	const char *g = srv_arg(r, "grade"), *explain = srv_arg(r, "explain");
	long limit = srv_arg_limit(r, 0, 100);
	/* with ?limit or ?after one keyset page and "next", else every subject */
	xy_view_page pg = { srv_arg(r, "after"), limit > 0 ? (size_t)limit : 0, false };
	bool paged = pg.limit || pg.after;
	int64_t run;
	json_t *v = NULL;
	if (!t || limit < 0 || arg_run(r, &run))
		return;
	if (g && *g && (g[0] < 'A' || g[0] > 'Z' || g[1])) {
		srv_error(r, 400, "invalid_parameter", "grade", 0, "grade 须为一个大写字母（A、B、C、D…）");
		return;
	}
	if (explain && strcmp(explain, "0") && strcmp(explain, "1")) {
		srv_error(r, 400, "invalid_parameter", "explain", 0, "explain 须为 0 或 1");
		return;
	}
	srv_view(r,
		 xy_grade_view_list(t->store, g, run, explain && !strcmp(explain, "1"),
				    paged ? &pg : NULL, &v, &err),
		 &v, &err);
}

void h_grade_counts(srv_req *r)
{
	srv_thread *t = srv_reader(r);
	xy_error err = XY_ERROR_INIT;
	int64_t run;
	json_t *v = NULL;
	if (t && !arg_run(r, &run))
		srv_view(r, xy_grade_view_counts(t->store, run, &v, &err), &v, &err);
}

void h_grade_runs(srv_req *r)
{
	srv_thread *t = srv_reader(r);
	xy_error err = XY_ERROR_INIT;
	json_t *v = NULL;
	if (t)
		srv_view(r, xy_grade_view_runs(t->store, &v, &err), &v, &err);
}

/* Whether the public profile carries grades: the office's setting (grade.h,
 * xy_grade_public_set: audited as the caller, once per change). */
void h_grade_publication(srv_req *r)
{
	srv_thread *t = srv_reader(r);
	xy_error err = XY_ERROR_INIT;
	json_t *v = NULL;
	if (t)
		srv_view(r, xy_grade_view_publication(t->store, &v, &err), &v, &err);
}

static void grade_publication_run(srv_req *r, xy_store *s, xy_registry *reg, xy_credit *cr,
				  bool *cr_open)
{
	srv_wjob *j = J(r);
	bool changed = false;
	(void)reg;
	(void)cr;
	(void)cr_open;
	if (xy_grade_public_set(s, json_is_true(json_object_get(j->req, "public")), r->who.who,
				&changed, &j->err) ||
	    xy_grade_view_publication(s, &j->out, &j->err))
		return;
	json_object_set_new(j->out, "changed", json_boolean(changed));
	j->status = 200;
}

void h_grade_publication_put(srv_req *r)
{
	if (!r->job_sent) {
		json_t *req = srv_body_object(r);
		const char *k;
		json_t *v;
		if (!req)
			return;
		json_object_foreach(req, k, v) if (strcmp(k, "public")) {
			srv_error(r, 422, "invalid", k, 0,
				  "只能设置 public（是否向公众公开信用等级）");
			json_decref(req); /* (k is req's) */
			return;
		}
		if (!json_is_boolean(json_object_get(req, "public")))
			return bad_member(r, req, "public",
					  "true 或 false（是否向公众公开信用等级）");
		srv_wjob_send(r, req, NULL, NULL, grade_publication_run);
		return;
	}
	answer(r);
}

void h_subject_grade(srv_req *r)
{
	srv_thread *t = srv_reader(r);
	xy_error err = XY_ERROR_INIT;
	int64_t run;
	json_t *v = NULL;
	if (!t || arg_run(r, &run))
		return;
	srv_view(r, xy_grade_view_subject(t->store, r->params[0], run, &v, &err), &v, &err);
}

void h_subject_grades(srv_req *r)
{
	srv_thread *t = srv_reader(r);
	xy_error err = XY_ERROR_INIT;
	json_t *v = NULL;
	if (t)
		srv_view(r, xy_grade_view_history(t->store, r->params[0], &v, &err), &v, &err);
}

/* ---- 双随机、一公开 (inspect.h; docs/inspection.md): plans and draws are the
 * office's writes, on the writer, audited by the library as the CLI's; the
 * draws, their results and their verification are anyone's (一公开). ---- */

/* A job acting through the writer's credit layer as r->who.who. */
#define INSPECT_CREDIT(r, j, s, reg, cr, cr_open)                                   \
	xy_credit *c = srv_credit(s, reg, cr, cr_open, &(j)->err);                   \
	if (!c)                                                                     \
		return;                                                             \
	c->who = (r)->who.who

static void plan_add_run(srv_req *r, xy_store *s, xy_registry *reg, xy_credit *cr, bool *cr_open)
{
	srv_wjob *j = J(r);
	char *text;
	int64_t id = 0;
	INSPECT_CREDIT(r, j, s, reg, cr, cr_open);
	if (!(text = json_dumps(j->req, JSON_COMPACT)))
		xy_error_set(&j->err, XY_ERR_NOMEM, "服务器内存不足");
	else if (!xy_inspect_plan_add_text(c, text, strlen(text), "plan", &id, &j->err) &&
		 !xy_inspect_view_plan(s, id, &j->out, &j->err))
		j->status = 201;
	c->who = NULL;
	free(text);
}

/* POST /api/v1/inspection-plans: the plan file's JSON as the body. */
void h_inspect_plan_add(srv_req *r)
{
	if (!r->job_sent) {
		json_t *req = srv_body_object(r);
		if (req)
			srv_wjob_send(r, req, NULL, NULL, plan_add_run);
		return;
	}
	answer(r);
}

void h_inspect_plans(srv_req *r)
{
	srv_thread *t = srv_reader(r);
	xy_error err = XY_ERROR_INIT;
	json_t *v = NULL;
	if (t)
		srv_view(r, xy_inspect_view_plan(t->store, 0, &v, &err), &v, &err);
}

void h_inspect_plan(srv_req *r)
{
	int64_t id = srv_param_id(r, 0, "id");
	srv_thread *t = id ? srv_reader(r) : NULL;
	xy_error err = XY_ERROR_INIT;
	json_t *v = NULL;
	if (t)
		srv_view(r, xy_inspect_view_plan(t->store, id, &v, &err), &v, &err);
}

static void draw_run(srv_req *r, xy_store *s, xy_registry *reg, xy_credit *cr, bool *cr_open)
{
	srv_wjob *j = J(r);
	int64_t plan = *(int64_t *)j->data, id = 0;
	INSPECT_CREDIT(r, j, s, reg, cr, cr_open);
	if (!xy_inspect_draw_json(c, plan, json_object_get(j->req, "subjects"),
				  json_string_value(json_object_get(j->req, "random")), &id, &j->err) &&
	    !xy_inspect_view_draw(s, id, &j->out, &j->err))
		j->status = 201;
	c->who = NULL;
}

/* POST /api/v1/inspection-plans/{id}/draws {"random", "subjects":[{code,…}]} */
void h_inspect_draw(srv_req *r)
{
	if (!r->job_sent) {
		int64_t id = srv_param_id(r, 0, "id"), *data;
		json_t *req;
		const char *bad = NULL;
		if (!id || !(req = srv_body_object(r)))
			return;
		member(req, "random", true, &bad);
		if (!bad && !json_is_array(json_object_get(req, "subjects")))
			bad = "subjects";
		if (bad)
			return bad_member(r, req, bad,
					  "random：公开随机数（字符串）；subjects：数组 [{code, grade, category, "
					  "industry, region, key}]");
		if (!(data = malloc(sizeof *data))) {
			json_decref(req);
			return srv_error(r, 500, "nomem", NULL, 0, "服务器内存不足");
		}
		*data = id;
		srv_wjob_send(r, req, data, free, draw_run);
		return;
	}
	answer(r);
}

static void result_run(srv_req *r, xy_store *s, xy_registry *reg, xy_credit *cr, bool *cr_open)
{
	srv_wjob *j = J(r);
	int64_t id = *(int64_t *)j->data;
	INSPECT_CREDIT(r, j, s, reg, cr, cr_open);
	if (!xy_inspect_result(c, id, json_string_value(json_object_get(j->req, "subject")),
			       json_string_value(json_object_get(j->req, "outcome")), NULL, &j->err) &&
	    !xy_inspect_view_draw(s, id, &j->out, &j->err))
		j->status = 201;
	c->who = NULL;
}

/* POST /api/v1/inspection-draws/{id}/results {"subject", "outcome"} */
void h_inspect_result(srv_req *r)
{
	if (!r->job_sent) {
		int64_t id = srv_param_id(r, 0, "id"), *data;
		json_t *req;
		const char *bad = NULL;
		if (!id || !(req = srv_body_object(r)))
			return;
		member(req, "subject", true, &bad);
		member(req, "outcome", true, &bad);
		if (bad)
			return bad_member(r, req, bad,
					  "字符串（subject：主体代码；outcome：未发现问题、责令整改、立案查处 或 未检查）");
		if (!(data = malloc(sizeof *data))) {
			json_decref(req);
			return srv_error(r, 500, "nomem", NULL, 0, "服务器内存不足");
		}
		*data = id;
		srv_wjob_send(r, req, data, free, result_run);
		return;
	}
	answer(r);
}

void h_inspect_draws(srv_req *r)
{
	srv_thread *t = srv_reader(r);
	xy_error err = XY_ERROR_INIT;
	json_t *v = NULL;
	if (t)
		srv_view(r, xy_inspect_view_draws(t->store, &v, &err), &v, &err);
}

void h_inspect_draw_show(srv_req *r)
{
	int64_t id = srv_param_id(r, 0, "id");
	srv_thread *t = id ? srv_reader(r) : NULL;
	xy_error err = XY_ERROR_INIT;
	json_t *v = NULL;
	if (t)
		srv_view(r, xy_inspect_view_draw(t->store, id, &v, &err), &v, &err);
}

void h_inspect_verify(srv_req *r)
{
	int64_t id = srv_param_id(r, 0, "id");
	srv_thread *t = id ? srv_reader(r) : NULL;
	xy_error err = XY_ERROR_INIT;
	json_t *v = NULL;
	if (t)
		srv_view(r, xy_inspect_view_verify(t->store, id, &v, &err), &v, &err);
}
