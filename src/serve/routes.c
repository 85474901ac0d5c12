/* xinyong serve: the route table and its handlers.
 *
 * srv_routes is the one source of the served API: the dispatcher matches it,
 * `xinyong serve --routes` prints it, and tests/http compares it with the
 * paths and methods of docs/openapi.yaml.  Handlers parse the request, call
 * libxinyong and render its answer as JSON; what a profile, a check or a
 * batch summary contains is the library's business.
 */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "serve.h"
#include "xinyong/date.h"
#include "xinyong/ingest.h"
#include "xinyong/lists.h"
#include "xinyong/views.h"
#include "xinyong/text.h"

/* ---- health ---- */

static void h_healthz(srv_req *r)
{
	srv_json(r, 200, json_pack("{s:s}", "status", "ok"));
}

static void h_readyz(srv_req *r)
{
	xy_error err = XY_ERROR_INIT;
	srv_thread *t = srv_thread_get(&err);
	int v = t ? xy_store_schema_version(t->store) : 0;
	if (v <= 0) {
		srv_error(r, 503, "store", NULL, 0, "数据库不可用：%s", t ? "无法读取" : err.msg);
		return;
	}
	srv_json(r, 200, json_pack("{s:s,s:i}", "status", "ready", "schema", v));
}

static void h_metrics(srv_req *r)
{
	xy_buf b = XY_BUF_INIT;
	if (srv_metrics_render(&b)) {
		srv_error(r, 500, "nomem", NULL, 0, "服务器内存不足");
	} else {
		srv_text(r, 200, "text/plain; version=0.0.4; charset=utf-8", b.data, b.len);
	}
	xy_buf_release(&b);
}

/* ---- arguments ---- */

/* A positive id (batch …) from a path parameter; 0 after answering 400. */
static int64_t param_id(srv_req *r, int k, const char *name)
{
	char *end;
	const char *s = r->params[k];
	errno = 0;
	long long v = strtoll(s, &end, 10);
	if (*end || errno || v <= 0 || s[0] == '+' || s[0] == '-' || s[0] == ' ') {
		srv_error(r, 400, "invalid_parameter", name, 0, "%s 须为正整数", name);
		return 0;
	}
	return v;
}

/* ?limit=N within 1..max (default dflt); -1 after answering 400. */
static long arg_limit(srv_req *r, long dflt, long max)
{
	const char *s = srv_arg(r, "limit");
	char *end;
	if (!s)
		return dflt;
	long v = strtol(s, &end, 10);
	if (*end || !*s || v < 1 || v > max) {
		srv_error(r, 400, "invalid_parameter", "limit", 0, "limit 须为 1 到 %ld 的整数", max);
		return -1;
	}
	return v;
}

/* ---- public: subjects and lists (the public view, disclosure rules applied) ---- */

/* ?date= into vo (the view's as-of date); -1 after answering 400. */
static int arg_date(srv_req *r, xy_view_opts *vo, char d[11])
{
	const char *s = srv_arg(r, "date");
	vo->public_view = true;
	vo->asof = NULL;
	if (!s)
		return 0;
	if (xy_date_parse(s, d)) {
		srv_error(r, 400, "invalid_parameter", "date", 0, "date 须为日期（YYYY-MM-DD）");
		return -1;
	}
	vo->asof = d;
	return 0;
}

static void h_subjects(srv_req *r)
{
	xy_error err = XY_ERROR_INIT;
	srv_thread *t = srv_thread_get(&err);
	xy_view_opts vo = { true, NULL };
	xy_view_page pg = { srv_arg(r, "after"), 0, false };
	const char *q = srv_arg(r, "q");
	long limit = arg_limit(r, 20, 100);
	json_t *v = NULL;
	if (limit < 0)
		return;
	if (!q || !*q) {
		srv_error(r, 400, "missing_parameter", "q", 0, "缺少 q（名称、统一社会信用代码或身份证号）");
		return;
	}
	if (!t)
		return srv_xy_error(r, &err);
	pg.limit = (size_t)limit;
	if (xy_view_search(t->store, &t->reg, q, &vo, &pg, &v, &err))
		return srv_xy_error(r, &err);
	srv_json(r, 200, v);
}

/* A view's answer that says no or several (its "matches" in v): the error
 * object beside them. */
static void view_matches(srv_req *r, unsigned status, json_t *v, const xy_error *err)
{
	json_object_set_new(v, "error",
			    json_pack("{s:s,s:o}", "code", xy_code_name(err->code), "message",
				      xy_json_text(status == 404 ? "未找到该主体"
							      : "查询对应多个主体，请用代码查询",
						   NULL)));
	srv_json(r, status, v);
}

static void h_subject(srv_req *r)
{
	xy_error err = XY_ERROR_INIT;
	srv_thread *t = srv_thread_get(&err);
	xy_repairs *rp;
	xy_view_opts vo;
	char d[11];
	json_t *v = NULL;
	if (arg_date(r, &vo, d))
		return;
	if (!t || !(rp = srv_repairs(t, &err)))
		return srv_xy_error(r, &err);
	xy_code rc = xy_view_profile(rp, r->params[0], &vo, &v, &err);
	if ((rc == XY_ERR_NOTFOUND || rc == XY_ERR_CONFLICT) && v)
		return view_matches(r, rc == XY_ERR_NOTFOUND ? 404 : 409, v, &err);
	if (rc)
		return srv_xy_error(r, &err);
	srv_json(r, 200, v);
}

static void h_list(srv_req *r)
{
	xy_error err = XY_ERROR_INIT;
	srv_thread *t = srv_thread_get(&err);
	xy_credit *c;
	xy_view_opts vo;
	char d[11];
	json_t *v = NULL;
	if (arg_date(r, &vo, d))
		return;
	if (!t || !(c = srv_credit(t->store, &t->reg, &t->credit, &t->credit_open, &err)))
		return srv_xy_error(r, &err);
	if (xy_view_entries(c, r->params[0], false, &vo, &v, &err))
		return srv_xy_error(r, &err);
	srv_json(r, 200, v);
}

/* ---- batches ---- */

/* The API's batch summary: the library's (xy_batch_summary, as `import`
 * and `batches` print it), with the paths that only mean something on the
 * server replaced: "file" is the name the client uploaded, "error_report"
 * the URL to fetch the report from. */
static void batch_paths(json_t *o)
{
	const char *file = json_string_value(json_object_get(o, "file"));
	json_t *id = json_object_get(o, "batch");
	const char *slash = file ? strrchr(file, '/') : NULL;
	if (slash)
		json_object_set_new(o, "file", xy_json_text(slash + 1, NULL));
	if (json_string_value(json_object_get(o, "error_report")) && json_integer_value(id) > 0) {
		xy_buf u = XY_BUF_INIT;
		xy_buf_addf(&u, "/api/v1/batches/%lld/errors", (long long)json_integer_value(id));
		json_object_set_new(o, "error_report", json_string(u.data));
		xy_buf_release(&u);
	} else {
		json_object_set_new(o, "error_report", json_null());
	}
}

static json_t *batch_json(xy_store *s, const xy_registry *reg, const xy_batch *b, xy_error *err)
{
	json_t *o = NULL;
	if (xy_batch_summary(s, reg, b, &o, err))
		return NULL;
	batch_paths(o);
	return o;
}

static void h_batches(srv_req *r)
{
	xy_error err = XY_ERROR_INIT;
	srv_thread *t = srv_thread_get(&err);
	long limit = arg_limit(r, 50, 1000);
	json_t *arr = NULL, *o;
	size_t i;
	if (limit < 0)
		return;
	if (!t)
		return srv_xy_error(r, &err);
	/* a unit operator sees its own unit's batches */
	if (xy_view_batches(t->store, &t->reg, r->who.role == SRV_UNIT ? r->who.unit : NULL,
			    (size_t)limit, &arr, &err))
		return srv_xy_error(r, &err);
	json_array_foreach(arr, i, o) batch_paths(o);
	srv_json(r, 200, json_pack("{s:o}", "batches", arr));
}

/* The batch of the path, if r->who may see it; answers and returns -1 when
 * not (404 for another unit's batch too: its existence is not disclosed). */
static int batch_of_path(srv_req *r, srv_thread *t, xy_batch *b)
{
	xy_error err = XY_ERROR_INIT;
	int64_t id = param_id(r, 0, "id");
	if (!id)
		return -1;
	if (xy_store_batch_get(t->store, id, b, &err)) {
		if (err.code == XY_ERR_NOTFOUND)
			srv_error(r, 404, "notfound", NULL, 0, "批次 %lld 不存在", (long long)id);
		else
			srv_xy_error(r, &err);
		return -1;
	}
	if (!srv_unit_allowed(&r->who, b->unit)) {
		srv_error(r, 404, "notfound", NULL, 0, "批次 %lld 不存在", (long long)id);
		return -1;
	}
	return 0;
}

static void h_batch(srv_req *r)
{
	xy_error err = XY_ERROR_INIT;
	srv_thread *t = srv_thread_get(&err);
	XY_AUTO(xy_batch, b);
	json_t *o = NULL;
	if (!t)
		return srv_xy_error(r, &err);
	if (batch_of_path(r, t, &b))
		return;
	if (xy_view_batch(t->store, &t->reg, b.id, &o, &err))
		return srv_xy_error(r, &err);
	batch_paths(o);
	srv_json(r, 200, o);
}

/* Whether path lies inside dir (both resolved): the one check before a file
 * named by the database is sent. */
static bool path_inside(const char *path, const char *dir)
{
	char *rp = realpath(path, NULL), *rd = realpath(dir, NULL);
	bool ok = rp && rd && strncmp(rp, rd, strlen(rd)) == 0 && rp[strlen(rd)] == '/';
	free(rp);
	free(rd);
	return ok;
}

static void h_batch_errors(srv_req *r)
{
	xy_error err = XY_ERROR_INIT;
	srv_thread *t = srv_thread_get(&err);
	XY_AUTO(xy_batch, b);
	if (!t)
		return srv_xy_error(r, &err);
	if (batch_of_path(r, t, &b))
		return;
	if (!b.error_report[0]) {
		srv_error(r, 404, "notfound", NULL, 0, "批次 %lld 没有错误报告", (long long)b.id);
		return;
	}
	if (!path_inside(b.error_report, srv_S->cfg.reports)) {
		srv_log_error("batch %lld: error report %s is outside %s; not sent", (long long)b.id,
			      b.error_report, srv_S->cfg.reports);
		srv_error(r, 404, "notfound", NULL, 0, "批次 %lld 的错误报告不在报告目录中",
			  (long long)b.id);
		return;
	}
	const char *name = strrchr(b.error_report, '/');
	name = name ? name + 1 : b.error_report;
	const char *ext = strrchr(name, '.');
	const char *type = "application/octet-stream";
	if (ext && !strcmp(ext, ".csv"))
		type = !strcmp(b.encoding, "gb18030") ? "text/csv; charset=gb18030"
						       : "text/csv; charset=utf-8";
	else if (ext && !strcmp(ext, ".xlsx"))
		type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
	else if (ext && !strcmp(ext, ".json"))
		type = "application/json; charset=utf-8";
	srv_file(r, b.error_report, type, name);
}

/* ---- uploads ---- */

typedef struct upload_job {
	xy_code rc;
	xy_error err;
	json_t *summary;  /* the batch summary (also of a refused file), or NULL */
	bool refused;
} upload_job;

static void upload_free(void *p)
{
	upload_job *j = p;
	json_decref(j->summary);
	free(j);
}

static void sync_warn(void *ctx, const char *unit, const char *category, const char *key,
		      const char *field, const char *msg)
{
	(void)ctx;
	srv_log_error("upload %s · %s record %s: %s: no list entry: %s", unit, category, key,
		      field, msg);
}

/* On the writer: the same import as `xinyong import`, then, for a list
 * category, its list entries (as cmd_import.c). */
static void upload_run(srv_req *r, xy_store *s, xy_registry *reg, xy_credit *cr, bool *cr_open)
{
	upload_job *j = r->job_data;
	xy_import_opts io;
	XY_AUTO(xy_batch, b);
	const char *strict = srv_arg(r, "strict");
	memset(&io, 0, sizeof io);
	io.unit = r->who.role == SRV_UNIT ? r->who.unit : srv_arg(r, "unit");
	io.category = srv_arg(r, "category");
	io.reported_on = srv_arg(r, "reported_on");
	io.report_dir = srv_S->cfg.reports;
	io.who = r->who.who; /* the audit log names the uploader */
	io.strict = strict && (!strcmp(strict, "1") || !strcmp(strict, "true"));
	j->rc = xy_import_file(s, reg, r->spool_path, &io, &b, &j->err);
	if (j->rc && b.status != XY_BATCH_REFUSED) {
		srv_metrics_import(0, false);
		return;
	}
	j->refused = b.status == XY_BATCH_REFUSED;
	srv_metrics_import(b.rows, !j->refused);
	if (!j->rc && !j->refused) {
		xy_list_sync_out lo;
		xy_error e2 = XY_ERROR_INIT;
		xy_credit *c = srv_credit(s, reg, cr, cr_open, &e2);
		if (c && xy_credit_is_list_category(c, b.category) &&
		    xy_credit_list_sync(c, b.unit, b.category, sync_warn, NULL, &lo, &e2))
			srv_log_error("upload batch %lld: list entries: %s", (long long)b.id, e2.msg);
	}
	j->summary = b.id || j->refused ? batch_json(s, reg, &b, &j->err) : NULL;
}

static void h_upload(srv_req *r)
{
	if (!r->job_sent) {
		const char *unit = srv_arg(r, "unit"), *cat = srv_arg(r, "category");
		if (!cat || !*cat) {
			srv_error(r, 400, "missing_parameter", "category", 0, "缺少 category（信息类别）");
			return;
		}
		if (r->who.role == SRV_UNIT && unit && strcmp(unit, r->who.unit)) {
			srv_error(r, 403, "forbidden", "unit", 0, "只能上传本单位（%s）的数据",
				  r->who.unit);
			return;
		}
		if (r->who.role != SRV_UNIT && (!unit || !*unit)) {
			srv_error(r, 400, "missing_parameter", "unit", 0, "缺少 unit（信源单位）");
			return;
		}
		upload_job *j = calloc(1, sizeof *j);
		if (!j) {
			srv_error(r, 500, "nomem", NULL, 0, "服务器内存不足");
			return;
		}
		r->job_data = j;
		r->job_free = upload_free;
		srv_write_job(r, upload_run);
		return;
	}
	upload_job *j = r->job_data;
	if (r->resp) /* the writer answered (stopping) */
		return;
	if (j->rc && !j->refused) {
		if (j->err.code == XY_ERR_NOTFOUND) /* unknown unit or category */
			j->err.code = XY_ERR_INVALID;
		return srv_xy_error(r, &j->err);
	}
	if (!j->summary)
		return srv_xy_error(r, &j->err);
	if (j->refused) {
		char msg[sizeof j->err.msg + 512];
		xy_error_format(&j->err, msg, sizeof msg);
		json_t *e = json_pack("{s:s,s:o}", "code", xy_code_name(j->err.code), "message",
				      xy_json_text(msg, NULL));
		if (e && j->err.field[0])
			json_object_set_new(e, "field", xy_json_text(j->err.field, NULL));
		if (e && j->err.row > 0)
			json_object_set_new(e, "row", json_integer(j->err.row));
		json_t *o = e ? json_pack("{s:o,s:O}", "error", e, "batch", j->summary) : NULL;
		srv_json(r, 422, o);
		return;
	}
	srv_json(r, 201, json_incref(j->summary));
}

/* ---- checks (联合奖惩) ---- */

typedef struct check_job {
	json_t *req;     /* the parsed body */
	json_t *out;     /* the answer */
	unsigned status;
	xy_error err;
} check_job;

static void check_free(void *p)
{
	check_job *j = p;
	json_decref(j->req);
	json_decref(j->out);
	free(j);
}

#define MAX_BATCH_CHECK 1000

/* One subject: the library's answer object (xy_view_check), NULL with err. */
static json_t *check_one(xy_credit *c, const char *subject, const char *unit, const char *matter,
			 const char *date, xy_error *err)
{
	json_t *o = NULL;
	if (xy_view_check(c, subject, unit, matter, date, &o, err))
		return NULL;
	return o;
}

static void check_run(srv_req *r, xy_store *s, xy_registry *reg, xy_credit *cr, bool *cr_open)
{
	check_job *j = r->job_data;
	xy_credit *c = srv_credit(s, reg, cr, cr_open, &j->err);
	const char *unit = r->who.role == SRV_UNIT ? r->who.unit
						    : json_string_value(json_object_get(j->req, "unit"));
	const char *matter = json_string_value(json_object_get(j->req, "matter"));
	const char *date = json_string_value(json_object_get(j->req, "date"));
	json_t *subjects = json_object_get(j->req, "subjects");
	if (!c) {
		j->status = 0;
		return;
	}
	if (!subjects) {
		j->out = check_one(c, json_string_value(json_object_get(j->req, "subject")), unit,
				   matter, date, &j->err);
		j->status = j->out ? 200 : 0;
		return;
	}
	json_t *res = json_array();
	size_t i;
	json_t *v;
	long found = 0, with = 0, unknown = 0;
	json_array_foreach(subjects, i, v) {
		xy_error e = XY_ERROR_INIT;
		json_t *o = check_one(c, json_string_value(v), unit, matter, date, &e);
		if (!o && e.code == XY_ERR_NOTFOUND && strstr(e.msg, "subject")) {
			unknown++;
			o = json_pack("{s:O,s:{s:s,s:s}}", "subject", v, "error", "code", "notfound",
				      "message", "未找到该主体");
		} else if (!o) {
			j->err = e;
			json_decref(res);
			j->status = 0;
			return;
		} else {
			found++;
			with += !strcmp(json_string_value(json_object_get(o, "answer")) ?: "", "有");
		}
		json_array_append_new(res, o);
	}
	j->out = json_pack("{s:{s:i,s:i,s:i,s:i},s:o}", "summary", "rows", (int)i, "checked",
			   (int)found, "with_measures", (int)with, "unknown", (int)unknown,
			   "results", res);
	j->status = 200;
}

static void h_checks(srv_req *r)
{
	if (!r->job_sent) {
		json_error_t je;
		json_t *req = json_loadb(r->body.data, r->body.len, JSON_REJECT_DUPLICATES, &je);
		json_t *subj, *subjects, *unit, *matter, *date;
		if (!req || !json_is_object(req)) {
			json_decref(req);
			srv_error(r, 400, "invalid_json", NULL, req ? 0 : je.line,
				  "请求体不是 JSON 对象%s%s", req ? "" : "：", req ? "" : je.text);
			return;
		}
		subj = json_object_get(req, "subject");
		subjects = json_object_get(req, "subjects");
		unit = json_object_get(req, "unit");
		matter = json_object_get(req, "matter");
		date = json_object_get(req, "date");
		const char *bad = NULL;
		if (!subj == !subjects)
			bad = "subject";
		else if (subj && !json_is_string(subj))
			bad = "subject";
		else if (subjects && (!json_is_array(subjects) || !json_array_size(subjects)))
			bad = "subjects";
		else if ((matter && !json_is_string(matter)) || (date && !json_is_string(date)) ||
			 (unit && !json_is_string(unit)))
			bad = matter && !json_is_string(matter) ? "matter"
			      : date && !json_is_string(date)   ? "date"
								: "unit";
		if (!bad && subjects) {
			size_t i;
			json_t *v;
			json_array_foreach(subjects, i, v) if (!json_is_string(v)) bad = "subjects";
		}
		if (bad) {
			json_decref(req);
			srv_error(r, 422, "invalid", bad, 0,
				  "须给出 subject（字符串）或 subjects（非空字符串数组）之一；"
				  "matter、date、unit 须为字符串（问题字段：%s）", bad);
			return;
		}
		if (subjects && json_array_size(subjects) > MAX_BATCH_CHECK) {
			json_decref(req);
			srv_error(r, 413, "too_large", "subjects", 0, "一次最多核查 %d 个主体",
				  MAX_BATCH_CHECK);
			return;
		}
		if (r->who.role == SRV_UNIT && unit && strcmp(json_string_value(unit), r->who.unit)) {
			json_decref(req);
			srv_error(r, 403, "forbidden", "unit", 0, "只能以本单位（%s）的名义核查",
				  r->who.unit);
			return;
		}
		if (r->who.role != SRV_UNIT && !unit) {
			json_decref(req);
			srv_error(r, 422, "invalid", "unit", 0, "缺少 unit（实施核查的单位）");
			return;
		}
		check_job *j = calloc(1, sizeof *j);
		if (!j) {
			json_decref(req);
			srv_error(r, 500, "nomem", NULL, 0, "服务器内存不足");
			return;
		}
		j->req = req;
		r->job_data = j;
		r->job_free = check_free;
		srv_write_job_grouped(r, check_run);
		return;
	}
	check_job *j = r->job_data;
	if (r->resp)
		return;
	if (!j->status)
		return srv_xy_error(r, &j->err);
	srv_json(r, j->status, json_incref(j->out));
}

/* ---- sessions (pages): log in and out ---- */

typedef struct session_job {
	json_t *req;
	xy_code rc;
	xy_error err;
	xy_session sess;
} session_job;

static void session_free(void *p)
{
	session_job *j = p;
	json_decref(j->req);
	xy_session_release(&j->sess);
	free(j);
}

/* On the writer: the login writes the session (or the audit entry of a
 * failure). */
static void login_run(srv_req *r, xy_store *s, xy_registry *reg, xy_credit *cr, bool *cr_open)
{
	session_job *j = r->job_data;
	json_t *pw = json_object_get(j->req, "password");
	(void)reg, (void)cr, (void)cr_open;
	j->rc = xy_auth_login(srv_auth(), s, json_string_value(json_object_get(j->req, "name")),
			      json_string_value(pw), json_string_length(pw), &j->sess, &j->err);
}

static void logout_run(srv_req *r, xy_store *s, xy_registry *reg, xy_credit *cr, bool *cr_open)
{
	session_job *j = r->job_data;
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

static void h_login(srv_req *r)
{
	if (!r->job_sent) {
		json_error_t je;
		json_t *req = json_loadb(r->body.data, r->body.len, JSON_REJECT_DUPLICATES, &je);
		if (!req || !json_is_object(req)) {
			json_decref(req);
			srv_error(r, 400, "invalid_json", NULL, 0, "请求体不是 JSON 对象");
			return;
		}
		if (!json_is_string(json_object_get(req, "name")) ||
		    !json_is_string(json_object_get(req, "password"))) {
			json_decref(req);
			srv_error(r, 422, "invalid", "name", 0, "须给出 name 与 password（字符串）");
			return;
		}
		session_job *j = calloc(1, sizeof *j);
		if (!j) {
			json_decref(req);
			srv_error(r, 500, "nomem", NULL, 0, "服务器内存不足");
			return;
		}
		j->req = req;
		r->job_data = j;
		r->job_free = session_free;
		srv_write_job(r, login_run);
		return;
	}
	session_job *j = r->job_data;
	if (r->resp)
		return;
	if (j->rc) {
		srv_xy_error(r, &j->err);
		if (r->resp && j->rc == XY_ERR_BUSY)
			MHD_add_response_header(r->resp, "Retry-After", "1");
		return;
	}
	/* the unit's name, for pages */
	srv_thread *t = srv_thread_get(&j->err);
	const xy_unit *u = t && j->sess.who.role == XY_ROLE_UNIT
				   ? xy_registry_unit_by_id(&t->reg, j->sess.who.unit_id)
				   : NULL;
	srv_json(r, 201, json_pack("{s:s,s:s,s:s?,s:s,s:I}", "user", j->sess.who.user, "role",
				   xy_role_name(j->sess.who.role), "unit", u ? u->name : NULL,
				   "csrf", j->sess.csrf, "expires", (json_int_t)j->sess.expires));
	session_cookie(r, j->sess.token, (long)(j->sess.expires - time(NULL)));
}

static void h_logout(srv_req *r)
{
	if (!r->job_sent) {
		if (!r->who.session) {
			srv_error(r, 400, "no_session", NULL, 0, "请求没有会话 Cookie（令牌无需登出）");
			return;
		}
		session_job *j = calloc(1, sizeof *j);
		if (!j) {
			srv_error(r, 500, "nomem", NULL, 0, "服务器内存不足");
			return;
		}
		r->job_data = j;
		r->job_free = session_free;
		srv_write_job(r, logout_run);
		return;
	}
	session_job *j = r->job_data;
	if (r->resp)
		return;
	if (j->rc)
		return srv_xy_error(r, &j->err);
	srv_text(r, 204, "text/plain; charset=utf-8", "", 0);
	session_cookie(r, NULL, 0);
}

/* ---- the table ---- */

const srv_route srv_routes[] = {
	{ "GET", "/healthz", h_healthz, SRV_ANYONE, 0, "liveness: the process answers" },
	{ "GET", "/readyz", h_readyz, SRV_ANYONE, 0, "readiness: the database can be read" },
	{ "GET", "/metrics", h_metrics, SRV_ANYONE, 0, "Prometheus metrics" },
	{ "POST", "/api/v1/session", h_login, SRV_ANYONE, SRV_BODY_JSON,
	  "log in with name and password: a session cookie and its CSRF token" },
	{ "DELETE", "/api/v1/session", h_logout, SRV_STAFF, 0, "log out (end the cookie's session)" },
	{ "GET", "/api/v1/subjects", h_subjects, SRV_ANYONE, 0,
	  "subject search (public view; keyset paging)" },
	{ "GET", "/api/v1/subjects/{code}", h_subject, SRV_ANYONE, 0,
	  "a subject's public credit profile" },
	{ "GET", "/api/v1/lists/{type}", h_list, SRV_ANYONE, 0,
	  "a red or black list's active entries as of ?date= (public view)" },
	{ "POST", "/api/v1/uploads", h_upload, SRV_UNIT | SRV_ADMIN, SRV_BODY_UPLOAD,
	  "upload a file of a category as one batch (the import of `xinyong import`)" },
	{ "GET", "/api/v1/batches", h_batches, SRV_STAFF, 0,
	  "batches, newest first (a unit operator sees its unit's)" },
	{ "GET", "/api/v1/batches/{id}", h_batch, SRV_STAFF, 0,
	  "one batch: its summary and stored rejected rows" },
	{ "GET", "/api/v1/batches/{id}/errors", h_batch_errors, SRV_STAFF, 0,
	  "the batch's error report, in the format the unit uploaded" },
	{ "POST", "/api/v1/checks", h_checks, SRV_UNIT | SRV_ADMIN, SRV_BODY_JSON,
	  "联合奖惩 check of one subject or up to 1000" },
};
const size_t srv_nroutes = sizeof srv_routes / sizeof srv_routes[0];
