/* xinyong serve: the source units' routes (信源单位操作员; the office may act
 * for any unit): uploads, batches and their error reports, 联合奖惩 checks.
 * A unit operator sees and acts for its own unit only (srv_unit_allowed). */
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

void h_batches(srv_req *r)
{
	xy_error err = XY_ERROR_INIT;
	srv_thread *t = srv_thread_get(&err);
	long limit = srv_arg_limit(r, 50, 1000);
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
	int64_t id = srv_param_id(r, 0, "id");
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

void h_batch(srv_req *r)
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

void h_batch_errors(srv_req *r)
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
	srv_wjob *j = r->job_data;
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
	j->flag = b.status == XY_BATCH_REFUSED; /* refused: the summary says why */
	srv_metrics_import(b.rows, !j->flag);
	if (!j->rc && !j->flag) {
		xy_list_sync_out lo;
		xy_error e2 = XY_ERROR_INIT;
		xy_credit *c = srv_credit(s, reg, cr, cr_open, &e2);
		if (c && xy_credit_is_list_category(c, b.category) &&
		    xy_credit_list_sync(c, b.unit, b.category, sync_warn, NULL, &lo, &e2))
			srv_log_error("upload batch %lld: list entries: %s", (long long)b.id, e2.msg);
	}
	j->out = b.id || j->flag ? batch_json(s, reg, &b, &j->err) : NULL;
}

void h_upload(srv_req *r)
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
		srv_wjob_send(r, NULL, NULL, NULL, upload_run);
		return;
	}
	srv_wjob *j = srv_wjob_done(r);
	if (!j)
		return;
	if (j->rc && !j->flag) {
		if (j->err.code == XY_ERR_NOTFOUND) /* unknown unit or category */
			j->err.code = XY_ERR_INVALID;
		return srv_xy_error(r, &j->err);
	}
	if (!j->out)
		return srv_xy_error(r, &j->err);
	if (j->flag) {
		char msg[sizeof j->err.msg + 512];
		xy_error_format(&j->err, msg, sizeof msg);
		json_t *e = json_pack("{s:s,s:o}", "code", xy_code_name(j->err.code), "message",
				      xy_json_text(msg, NULL));
		if (e && j->err.field[0])
			json_object_set_new(e, "field", xy_json_text(j->err.field, NULL));
		if (e && j->err.row > 0)
			json_object_set_new(e, "row", json_integer(j->err.row));
		json_t *o = e ? json_pack("{s:o,s:O}", "error", e, "batch", j->out) : NULL;
		srv_json(r, 422, o);
		return;
	}
	srv_json(r, 201, json_incref(j->out));
}

/* ---- checks (联合奖惩) ---- */

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
	srv_wjob *j = r->job_data;
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

void h_checks(srv_req *r)
{
	if (!r->job_sent) {
		json_t *req = srv_body_object(r);
		json_t *subj, *subjects, *unit, *matter, *date;
		if (!req)
			return;
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
		srv_wjob_send_grouped(r, req, check_run);
		return;
	}
	srv_wjob *j = srv_wjob_done(r);
	if (j)
		srv_wjob_answer(r, j);
}

