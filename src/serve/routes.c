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
#include <unistd.h>

#include "serve.h"
#include "xinyong/ingest.h"
#include "xinyong/lists.h"
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

/* ---- batches ---- */

/* The API's batch summary: the library's (xy_batch_summary, as `import`
 * and `batches` print it), with the paths that only mean something on the
 * server replaced: "file" is the name the client uploaded, "error_report"
 * the URL to fetch the report from. */
static json_t *batch_json(xy_store *s, const xy_registry *reg, const xy_batch *b, xy_error *err)
{
	json_t *o = NULL;
	if (xy_batch_summary(s, reg, b, &o, err))
		return NULL;
	const char *slash = strrchr(b->file, '/');
	json_object_set_new(o, "file", xy_json_text(slash ? slash + 1 : b->file, NULL));
	if (b->error_report[0] && b->id) {
		xy_buf u = XY_BUF_INIT;
		xy_buf_addf(&u, "/api/v1/batches/%lld/errors", (long long)b->id);
		json_object_set_new(o, "error_report", json_string(u.data));
		xy_buf_release(&u);
	} else {
		json_object_set_new(o, "error_report", json_null());
	}
	return o;
}

static void h_batches(srv_req *r)
{
	xy_error err = XY_ERROR_INIT;
	srv_thread *t = srv_thread_get(&err);
	long limit = arg_limit(r, 50, 1000);
	xy_batch *v = NULL;
	size_t n = 0;
	if (limit < 0)
		return;
	if (!t)
		return srv_xy_error(r, &err);
	/* a unit operator's own batches among the newest: the store has no
	 * per-unit listing yet, so the unit's are filtered from all of them */
	if (xy_store_batches(t->store, r->who.role == SRV_UNIT ? 0 : (size_t)limit, &v, &n, &err))
		return srv_xy_error(r, &err);
	json_t *arr = json_array();
	long shown = 0;
	for (size_t i = 0; i < n && shown < limit && arr; i++) {
		if (!srv_unit_allowed(&r->who, v[i].unit))
			continue;
		json_t *o = batch_json(t->store, &t->reg, &v[i], &err);
		if (!o) {
			json_decref(arr);
			xy_batches_free(v, n);
			return srv_xy_error(r, &err);
		}
		json_array_append_new(arr, o);
		shown++;
	}
	xy_batches_free(v, n);
	srv_json(r, 200, arr ? json_pack("{s:o}", "batches", arr) : NULL);
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

struct errs {
	json_t *arr;
};

static int add_error(void *ctx, const xy_batch_error *e)
{
	struct errs *x = ctx;
	json_t *o = json_pack("{s:i,s:o,s:o,s:o,s:o,s:o}", "row", (int)e->row, "sheet",
			      xy_json_text(e->sheet, NULL), "column", xy_json_text(e->column, NULL),
			      "value", xy_json_text(e->value ? e->value : "", NULL), "reason_zh",
			      xy_json_text(e->reason_zh ? e->reason_zh : "", NULL), "reason_en",
			      xy_json_text(e->reason_en ? e->reason_en : "", NULL));
	return !o || json_array_append_new(x->arr, o);
}

static void h_batch(srv_req *r)
{
	xy_error err = XY_ERROR_INIT;
	srv_thread *t = srv_thread_get(&err);
	XY_AUTO(xy_batch, b);
	struct errs x = { json_array() };
	if (!t) {
		json_decref(x.arr);
		return srv_xy_error(r, &err);
	}
	if (batch_of_path(r, t, &b)) {
		json_decref(x.arr);
		return;
	}
	json_t *o = batch_json(t->store, &t->reg, &b, &err);
	if (!o || xy_store_batch_errors(t->store, b.id, add_error, &x, &err)) {
		json_decref(o);
		json_decref(x.arr);
		return srv_xy_error(r, &err);
	}
	json_object_set_new(o, "errors", x.arr);
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

/* One subject: the library's answer object, or {"subject","error"}. */
static json_t *check_one(xy_credit *c, const char *subject, const char *unit, const char *matter,
			 const char *date, xy_error *err)
{
	xy_buf ans = XY_BUF_INIT;
	int64_t id = 0;
	json_t *o;
	if (xy_credit_check(c, subject, unit, matter, date, &id, &ans, err)) {
		xy_buf_release(&ans);
		return NULL;
	}
	o = json_loadb(ans.data, ans.len, 0, NULL);
	xy_buf_release(&ans);
	if (!o)
		xy_error_set(err, XY_ERR_NOMEM, "the check's answer could not be read back");
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
		srv_write_job(r, check_run);
		return;
	}
	check_job *j = r->job_data;
	if (r->resp)
		return;
	if (!j->status)
		return srv_xy_error(r, &j->err);
	srv_json(r, j->status, json_incref(j->out));
}

/* ---- the table ---- */

const srv_route srv_routes[] = {
	{ "GET", "/healthz", h_healthz, SRV_ANYONE, 0, "liveness: the process answers" },
	{ "GET", "/readyz", h_readyz, SRV_ANYONE, 0, "readiness: the database can be read" },
	{ "GET", "/metrics", h_metrics, SRV_ANYONE, 0, "Prometheus metrics" },
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
