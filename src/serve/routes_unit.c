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
#include "xinyong/grade.h"
#include "xinyong/applications.h"
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
	const char *unit = srv_arg(r, "unit");
	json_t *o, *b;
	size_t i;
	if (limit < 0)
		return;
	if (!t)
		return srv_xy_error(r, &err);
	/* a unit operator sees its own unit's batches */
	if (r->who.role == SRV_UNIT) {
		if (unit && strcmp(unit, r->who.unit))
			return srv_error(r, 403, "forbidden", "unit", 0, "只能查看本单位（%s）的批次",
					 r->who.unit);
		unit = r->who.unit;
	}
	xy_view_page pg = { srv_arg(r, "after"), (size_t)limit, false };
	if (xy_view_batches_page(t->store, &t->reg, unit && *unit ? unit : NULL, &pg, &o, &err)) {
		if (err.code == XY_ERR_NOTFOUND) /* an unknown unit */
			err.code = XY_ERR_INVALID;
		return srv_xy_error(r, &err);
	}
	json_array_foreach(json_object_get(o, "batches"), i, b) batch_paths(b);
	srv_json(r, 200, o);
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
	long limit = srv_arg_limit(r, 100, 1000);
	xy_view_page pg = { srv_arg(r, "after"), limit > 0 ? (size_t)limit : 0, false };
	xy_code rc;
	if (limit < 0 || batch_of_path(r, t, &b))
		return;
	/* ?limit= or ?after=: one page of the rejected rows (`batches ID --limit`) */
	rc = pg.after || srv_arg(r, "limit") ? xy_view_batch_page(t->store, &t->reg, b.id, &pg, &o, &err)
					     : xy_view_batch(t->store, &t->reg, b.id, &o, &err);
	if (rc && err.code == XY_ERR_ARG)
		return srv_error(r, 400, "invalid_parameter", "after", 0, "%s", err.msg);
	if (rc)
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
	xy_grade_auto ga = { 0 };
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
		/* a graded database: the batch's subjects again, as `xinyong import` */
		xy_grade_after_import(s, reg, c ? &c->cat : NULL, &b, io.who, &ga);
		if (ga.ran && ga.rc)
			srv_log_error("upload batch %lld: re-grading failed: %s", (long long)b.id,
				      ga.err.msg);
	}
	j->out = b.id || j->flag ? batch_json(s, reg, &b, &j->err) : NULL;
	if (j->out && ga.ran)
		json_object_set_new(j->out, "grade", xy_grade_auto_json(&ga));
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

/* A check's answers are computed on the worker, from its read snapshot, in
 * parallel with the other workers (xy_credit_check_prepare); the writer only
 * logs them (xy_credit_check_record: one INSERT each, grouped with the other
 * checks queued beside it into one transaction).  One subject ("subject") or
 * up to MAX_BATCH_CHECK ("subjects", where an unknown name is a result, not
 * an error). */
typedef struct check_job {
	size_t n;
	xy_check_prep **prep; /* n; NULL: a subject not found (batch only) */
	bool single;
	xy_buf answer;        /* the single check's answer (the writer's text) */
} check_job;

static void check_job_free(void *p)
{
	check_job *cj = p;
	if (!cj)
		return;
	for (size_t i = 0; i < cj->n; i++)
		xy_check_prep_free(cj->prep[i]);
	free(cj->prep);
	xy_buf_release(&cj->answer);
	free(cj);
}

static void check_run(srv_req *r, xy_store *s, xy_registry *reg, xy_credit *cr, bool *cr_open)
{
	srv_wjob *j = r->job_data;
	check_job *cj = j->data;
	xy_credit *c = srv_credit(s, reg, cr, cr_open, &j->err);
	json_t *subjects = json_object_get(j->req, "subjects"), *res;
	long found = 0, with = 0, unknown = 0;
	int64_t id;

	j->status = 0;
	if (!c)
		return;
	if (cj->single) {
		if (!xy_credit_check_record(c, cj->prep[0], &id, &cj->answer, &j->err))
			j->status = 200;
		return;
	}
	if (!(res = json_array()))
		goto nomem;
	for (size_t i = 0; i < cj->n; i++) {
		json_t *o;
		if (!cj->prep[i]) {
			unknown++;
			o = json_pack("{s:O,s:{s:s,s:s}}", "subject", json_array_get(subjects, i),
				      "error", "code", "notfound", "message", "未找到该主体");
		} else {
			xy_buf_reset(&cj->answer);
			if (xy_credit_check_record(c, cj->prep[i], &id, &cj->answer, &j->err)) {
				json_decref(res);
				return;
			}
			o = json_loadb(cj->answer.data, cj->answer.len, 0, NULL);
			found++;
			with += o && !strcmp(json_string_value(json_object_get(o, "answer")) ?: "",
					     "有");
		}
		if (json_array_append_new(res, o)) {
			json_decref(res);
			goto nomem;
		}
	}
	j->out = json_pack("{s:{s:i,s:i,s:i,s:i},s:o}", "summary", "rows", (int)cj->n, "checked",
			   (int)found, "with_measures", (int)with, "unknown", (int)unknown,
			   "results", res);
	if (j->out) {
		j->status = 200;
		return;
	}
nomem:
	xy_error_set(&j->err, XY_ERR_NOMEM, "out of memory");
}

/* Prepare every check of the request on the worker's snapshot; NULL after
 * answering (the first error that is not "subject not found" in a batch). */
static check_job *check_prepare(srv_req *r, json_t *req, const char *unit)
{
	xy_credit *c = srv_reader_credit(r);
	const char *matter = json_string_value(json_object_get(req, "matter"));
	const char *date = json_string_value(json_object_get(req, "date"));
	json_t *subjects = json_object_get(req, "subjects");
	check_job *cj;
	if (!c)
		return NULL;
	if (!(cj = calloc(1, sizeof *cj)) ||
	    !(cj->prep = calloc(subjects ? json_array_size(subjects) : 1, sizeof *cj->prep))) {
		free(cj);
		srv_error(r, 500, "nomem", NULL, 0, "服务器内存不足");
		return NULL;
	}
	cj->single = !subjects;
	cj->n = subjects ? json_array_size(subjects) : 1;
	for (size_t i = 0; i < cj->n; i++) {
		xy_error e = XY_ERROR_INIT;
		const char *subj = json_string_value(subjects ? json_array_get(subjects, i)
							      : json_object_get(req, "subject"));
		if (!xy_credit_check_prepare(c, subj, unit, matter, date, &cj->prep[i], &e))
			continue;
		if (!cj->single && e.code == XY_ERR_NOTFOUND && strstr(e.msg, "subject"))
			continue; /* a result: 未找到该主体 */
		srv_xy_error(r, &e);
		check_job_free(cj);
		return NULL;
	}
	return cj;
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
		srv_group_coming(1);
		check_job *cj = check_prepare(
			r, req, r->who.role == SRV_UNIT ? r->who.unit : json_string_value(unit));
		if (cj)
			srv_wjob_send_grouped(r, req, cj, check_job_free, check_run);
		else
			json_decref(req);
		srv_group_coming(-1);
		return;
	}
	srv_wjob *j = srv_wjob_done(r);
	if (!j)
		return;
	check_job *cj = j->data;
	if (j->status && cj->single) {
		size_t n;
		char *text = xy_buf_detach(&cj->answer, &n);
		srv_json_text(r, j->status, text, n);
		return;
	}
	srv_wjob_answer(r, j);
}


/* ---- a unit's own work (issue 9): checks and feedback, cases, commitments,
 * watch list and notices.  Reads on the worker's handle, writes on the
 * writer naming the principal to the library (xy_credit.who), which writes
 * the audit entry.  Another unit's object answers 404. */

/* The unit a list is about: a unit operator's own (naming another is 403),
 * else ?unit= (NULL when absent and not required).  -1 after answering. */
static int unit_scope(srv_req *r, bool required, const char **unit)
{
	const char *u = srv_arg(r, "unit");
	*unit = NULL;
	if (r->who.role == SRV_UNIT) {
		if (u && strcmp(u, r->who.unit)) {
			srv_error(r, 403, "forbidden", "unit", 0, "只能查看本单位（%s）的数据",
				  r->who.unit);
			return -1;
		}
		*unit = r->who.unit;
		return 0;
	}
	if (u && !*u)
		u = NULL;
	if (required && !u) {
		srv_error(r, 400, "missing_parameter", "unit", 0, "缺少 unit（信源单位）");
		return -1;
	}
	*unit = u;
	return 0;
}

/* The unit a write acts for: a unit operator's own; the office names it in
 * the body's "unit" (dflt when absent, e.g. the object's unit).  NULL after
 * answering (a unit naming another unit: 403). */
static const char *acting_unit(srv_req *r, json_t *req, const char *dflt)
{
	json_t *u = json_object_get(req, "unit");
	if (u && !json_is_string(u)) {
		srv_error(r, 422, "invalid", "unit", 0, "unit 须为字符串");
		return NULL;
	}
	if (r->who.role == SRV_UNIT) {
		if (u && strcmp(json_string_value(u), r->who.unit)) {
			srv_error(r, 403, "forbidden", "unit", 0, "只能以本单位（%s）的名义办理",
				  r->who.unit);
			return NULL;
		}
		return r->who.unit;
	}
	if (u)
		return json_string_value(u);
	if (!dflt)
		srv_error(r, 422, "invalid", "unit", 0, "缺少 unit（办理的单位）");
	return dflt;
}

/* Whether the object o (a view with "unit") is r's to see; answers 404 when not. */
static bool own_object(srv_req *r, json_t *o, const char *what, int64_t id)
{
	if (srv_unit_allowed(&r->who, json_string_value(json_object_get(o, "unit")) ?: ""))
		return true;
	srv_error(r, 404, "notfound", NULL, 0, "%s %lld 不存在", what, (long long)id);
	return false;
}

/* Body members named in keys (NULL-terminated) must be strings when present;
 * answers 422 naming the first that is not. */
static bool strings_only(srv_req *r, json_t *req, const char *const *keys)
{
	for (; *keys; keys++) {
		json_t *v = json_object_get(req, *keys);
		if (v && !json_is_string(v)) {
			srv_error(r, 422, "invalid", *keys, 0, "%s 须为字符串", *keys);
			return false;
		}
	}
	return true;
}

static const char *jstr(json_t *req, const char *k)
{
	return json_string_value(json_object_get(req, k));
}

/* The writer's credit layer acting as r's principal; NULL with j->err set. */
static xy_credit *write_credit(srv_req *r, xy_store *s, xy_registry *reg, xy_credit *cr,
			       bool *cr_open)
{
	srv_wjob *j = r->job_data;
	xy_credit *c = srv_credit(s, reg, cr, cr_open, &j->err);
	if (c)
		c->who = r->who.who;
	return c;
}

/* Answer a second call of a writer handler. */
static void answer_job(srv_req *r)
{
	srv_wjob *j = srv_wjob_done(r);
	if (j)
		srv_wjob_answer(r, j);
}

/* The same for a body that names things (a subject, a unit, a type): one the
 * library does not know is invalid input (422), not a missing resource. */
static void answer_job_body(srv_req *r)
{
	srv_wjob *j = srv_wjob_done(r);
	if (!j)
		return;
	if (!j->status && j->err.code == XY_ERR_NOTFOUND)
		j->err.code = XY_ERR_INVALID;
	srv_wjob_answer(r, j);
}

/* ---- checks and feedback ---- */

void h_checks_list(srv_req *r)
{
	xy_error err = XY_ERROR_INIT;
	long limit = srv_arg_limit(r, 20, 100);
	xy_view_page pg = { srv_arg(r, "after"), 0, false };
	const char *unit;
	json_t *v = NULL;
	xy_credit *c;
	if (limit < 0 || unit_scope(r, false, &unit) || !(c = srv_reader_credit(r)))
		return;
	pg.limit = (size_t)limit;
	if (xy_view_checks(c, unit, &pg, &v, &err)) {
		if (err.code == XY_ERR_ARG) /* a malformed cursor */
			return srv_error(r, 400, "invalid_parameter", "after", 0, "%s", err.msg);
		return srv_xy_error(r, &err);
	}
	srv_json(r, 200, v);
}

void h_check(srv_req *r)
{
	xy_error err = XY_ERROR_INIT;
	int64_t id = srv_param_id(r, 0, "id");
	json_t *v = NULL;
	xy_credit *c;
	if (!id || !(c = srv_reader_credit(r)))
		return;
	if (xy_view_check_get(c, id, &v, &err))
		return srv_xy_error(r, &err);
	if (own_object(r, v, "核查", id))
		srv_json(r, 200, v);
	else
		json_decref(v);
}

#define MAX_MEASURES 64

/* "applied" / "not_applied": arrays of measure numbers; -1 after answering. */
static int measure_numbers(srv_req *r, json_t *req, const char *k, int *v, size_t *n)
{
	json_t *a = json_object_get(req, k), *x;
	size_t i;
	*n = 0;
	if (!a)
		return 0;
	if (!json_is_array(a) || json_array_size(a) > MAX_MEASURES) {
		srv_error(r, 422, "invalid", k, 0, "%s 须为至多 %d 个措施序号的数组", k, MAX_MEASURES);
		return -1;
	}
	json_array_foreach(a, i, x) {
		if (!json_is_integer(x) || json_integer_value(x) <= 0 ||
		    json_integer_value(x) > 9999) {
			srv_error(r, 422, "invalid", k, 0, "%s 的元素须为 1 到 9999 的整数", k);
			return -1;
		}
		v[(*n)++] = (int)json_integer_value(x);
	}
	return 0;
}

typedef struct feedback_job {
	int64_t id;
	int applied[MAX_MEASURES], not_applied[MAX_MEASURES];
	xy_feedback_in f;
} feedback_job;

static void feedback_run(srv_req *r, xy_store *s, xy_registry *reg, xy_credit *cr, bool *cr_open)
{
	srv_wjob *j = r->job_data;
	feedback_job *fj = j->data;
	xy_credit *c = write_credit(r, s, reg, cr, cr_open);
	xy_feedback_out fo;
	json_t *v = NULL;
	if (!c)
		return;
	/* the check must be r's to see before anything is said about it */
	if (xy_view_check_get(c, fj->id, &v, &j->err))
		goto out;
	if (!srv_unit_allowed(&r->who, json_string_value(json_object_get(v, "unit")) ?: "")) {
		xy_error_at(&j->err, XY_ERR_NOTFOUND, NULL, 0, "check", "核查 %lld 不存在",
			    (long long)fj->id);
		goto out;
	}
	if (!fj->f.unit)
		fj->f.unit = json_string_value(json_object_get(v, "unit"));
	if (xy_credit_feedback(c, &fj->f, &fo, &j->err))
		goto out;
	json_decref(v);
	v = NULL;
	if (xy_view_check_get(c, fj->id, &j->out, &j->err))
		goto out;
	json_object_set_new(j->out, "counted",
			    json_pack("{s:i,s:i,s:i}", "联合惩戒案例", (int)fo.punish, "联合激励案例",
				      (int)fo.reward, "国家黑名单结果反馈", (int)fo.national));
	j->status = 201;
out:
	c->who = NULL;
	json_decref(v);
}

void h_feedback(srv_req *r)
{
	static const char *const keys[] = { "reason", "result", "date", NULL };
	if (r->job_sent)
		return answer_job(r);
	int64_t id = srv_param_id(r, 0, "id");
	json_t *req = id ? srv_body_object(r) : NULL;
	feedback_job *fj;
	if (!req)
		return;
	if (!strings_only(r, req, keys) || !(fj = calloc(1, sizeof *fj))) {
		if (!r->resp)
			srv_error(r, 500, "nomem", NULL, 0, "服务器内存不足");
		json_decref(req);
		return;
	}
	fj->id = id;
	fj->f.check_id = id;
	fj->f.applied = fj->applied;
	fj->f.not_applied = fj->not_applied;
	fj->f.reason = jstr(req, "reason");
	fj->f.result = jstr(req, "result");
	fj->f.date = jstr(req, "date");
	if (measure_numbers(r, req, "applied", fj->applied, &fj->f.napplied) ||
	    measure_numbers(r, req, "not_applied", fj->not_applied, &fj->f.nnot_applied) ||
	    (json_object_get(req, "unit") && !(fj->f.unit = acting_unit(r, req, NULL)))) {
		free(fj);
		json_decref(req);
		return;
	}
	if (r->who.role == SRV_UNIT)
		fj->f.unit = r->who.unit;
	srv_wjob_send(r, req, fj, free, feedback_run);
}

/* ---- repair and objection cases routed to the unit ---- */

void h_cases(srv_req *r)
{
	xy_error err = XY_ERROR_INIT;
	xy_repairs *rp;
	const char *kind = srv_arg(r, "kind"), *status = srv_arg(r, "status"), *unit, *date;
	char d[11];
	json_t *v = NULL;
	if (unit_scope(r, false, &unit) || srv_arg_date(r, "date", d, &date))
		return;
	if (!kind || (strcmp(kind, "repair") && strcmp(kind, "objection"))) {
		srv_error(r, 400, "invalid_parameter", "kind", 0, "kind 须为 repair（信用修复）或 objection（异议）");
		return;
	}
	if (!(rp = srv_reader_repairs(r)))
		return;
	if (xy_view_unit_cases(rp, kind, unit, status && *status ? status : NULL, date, &v, &err)) {
		if (err.code == XY_ERR_ARG) /* a status none of the known */
			return srv_error(r, 400, "invalid_parameter", err.field[0] ? err.field : NULL,
					 0, "%s", err.msg);
		return srv_xy_error(r, &err);
	}
	srv_json(r, 200, v);
}

void h_case(srv_req *r)
{
	xy_error err = XY_ERROR_INIT;
	xy_repairs *rp;
	int64_t id = srv_param_id(r, 0, "id");
	const char *date;
	char d[11];
	json_t *v = NULL;
	if (!id || srv_arg_date(r, "date", d, &date) || !(rp = srv_reader_repairs(r)))
		return;
	if (xy_view_case(rp, id, date, &v, &err)) {
		if (err.code == XY_ERR_NOTFOUND)
			return srv_error(r, 404, "notfound", NULL, 0, "案件 %lld 不存在", (long long)id);
		return srv_xy_error(r, &err);
	}
	if (own_object(r, v, "案件", id))
		srv_json(r, 200, v);
	else
		json_decref(v);
}

/* An attachment of a case filed online (applications.h), for the unit the
 * case is routed to and the office. */
void h_case_attachment(srv_req *r)
{
	xy_error err = XY_ERROR_INIT;
	XY_AUTO(xy_attachment_row, t);
	xy_buf path = XY_BUF_INIT;
	xy_repairs *rp;
	int64_t id = srv_param_id(r, 0, "id"), n = id ? srv_param_id(r, 1, "n") : 0;
	json_t *v = NULL;
	if (!n || !(rp = srv_reader_repairs(r)))
		return;
	if (xy_view_case(rp, id, NULL, &v, &err)) {
		if (err.code == XY_ERR_NOTFOUND)
			return srv_error(r, 404, "notfound", NULL, 0, "案件 %lld 不存在", (long long)id);
		return srv_xy_error(r, &err);
	}
	if (own_object(r, v, "案件", id)) {
		if (!xy_application_attachment(rp->credit->store, srv_S->cfg.attachments, id, n, &t,
					       &path, &err))
			srv_file(r, path.data, t.type, t.name);
		else if (err.code == XY_ERR_NOTFOUND)
			srv_error(r, 404, "notfound", NULL, 0, "案件 %lld 没有附件 %lld", (long long)id,
				  (long long)n);
		else
			srv_xy_error(r, &err);
	}
	json_decref(v);
	xy_buf_release(&path);
}

#define MAX_SETS 64

static void case_step_run(srv_req *r, xy_store *s, xy_registry *reg, xy_credit *cr, bool *cr_open)
{
	srv_wjob *j = r->job_data;
	int64_t id = *(int64_t *)j->data;
	xy_credit *c = write_credit(r, s, reg, cr, cr_open);
	xy_repairs rp;
	json_t *v = NULL, *sets = json_object_get(j->req, "sets"), *x;
	const char *action = jstr(j->req, "action"), *result = jstr(j->req, "result");
	const char *text = jstr(j->req, "text"), *date = jstr(j->req, "date"), *unit, *kind;
	const char *setv[MAX_SETS];
	size_t nsets = 0, i;
	xy_repair_out ro;
	xy_code rc;
	if (!c)
		return;
	if (xy_repairs_open(&rp, c, srv_S->cfg.config_dir, &j->err)) {
		c->who = NULL;
		return;
	}
	if ((rc = xy_view_case(&rp, id, NULL, &v, &j->err)))
		goto out;
	unit = json_string_value(json_object_get(v, "unit")) ?: "";
	kind = json_string_value(json_object_get(v, "kind")) ?: "";
	if (!srv_unit_allowed(&r->who, unit)) {
		xy_error_at(&j->err, XY_ERR_NOTFOUND, NULL, 0, "id", "案件 %lld 不存在", (long long)id);
		goto out;
	}
	if (r->who.role == SRV_UNIT)
		unit = r->who.unit;
	else if (jstr(j->req, "unit"))
		unit = jstr(j->req, "unit");
	json_array_foreach(sets, i, x) setv[nsets++] = json_string_value(x);
	if (!strcmp(action, "accept") && !strcmp(kind, "repair")) /* the office accepts as 信用办 */
		rc = xy_repair_accept(&rp, id,
				      r->who.role == SRV_UNIT || jstr(j->req, "unit") ? unit : NULL,
				      date, text, &j->err);
	else if (!strcmp(action, "review") && !strcmp(kind, "repair"))
		rc = xy_repair_review(&rp, id, unit, date, text, &j->err);
	else if (!strcmp(action, "decide") && !strcmp(kind, "repair"))
		rc = !result || (strcmp(result, "通过") && strcmp(result, "不通过"))
			     ? xy_error_at(&j->err, XY_ERR_INVALID, NULL, 0, "result",
					   "信用修复的决定须为 通过 或 不通过")
			     : xy_repair_decide(&rp, id, unit, !strcmp(result, "通过"), date, text,
						&ro, &j->err);
	else if (!strcmp(action, "decide"))
		rc = xy_objection_decide(&rp, id, unit, result, setv, nsets, text, date, &j->err);
	else
		rc = xy_error_at(&j->err, XY_ERR_INVALID, NULL, 0, "action",
				 "异议只有 decide 一步；信用修复为 accept、review、decide");
	if (rc)
		goto out;
	json_decref(v);
	v = NULL;
	if (!xy_view_case(&rp, id, NULL, &j->out, &j->err))
		j->status = 200;
out:
	json_decref(v);
	xy_repairs_release(&rp);
	c->who = NULL;
}

void h_case_step(srv_req *r)
{
	static const char *const keys[] = { "action", "result", "text", "date", "unit", NULL };
	if (r->job_sent)
		return answer_job(r);
	int64_t id = srv_param_id(r, 0, "id"), *idp;
	json_t *req = id ? srv_body_object(r) : NULL, *sets, *x;
	const char *action;
	size_t i;
	if (!req)
		return;
	if (!strings_only(r, req, keys))
		goto bad;
	action = jstr(req, "action");
	if (!action || (strcmp(action, "accept") && strcmp(action, "review") &&
			strcmp(action, "decide"))) {
		srv_error(r, 422, "invalid", "action", 0, "action 须为 accept（受理）、review（审核）或 decide（决定）");
		goto bad;
	}
	sets = json_object_get(req, "sets");
	if (sets && (!json_is_array(sets) || json_array_size(sets) > MAX_SETS)) {
		srv_error(r, 422, "invalid", "sets", 0, "sets 须为至多 %d 个 \"字段=值\" 的数组", MAX_SETS);
		goto bad;
	}
	json_array_foreach(sets, i, x) if (!json_is_string(x)) {
		srv_error(r, 422, "invalid", "sets", 0, "sets 的元素须为字符串（字段=值）");
		goto bad;
	}
	if (r->who.role == SRV_UNIT && jstr(req, "unit") && strcmp(jstr(req, "unit"), r->who.unit)) {
		srv_error(r, 403, "forbidden", "unit", 0, "只能以本单位（%s）的名义办理", r->who.unit);
		goto bad;
	}
	if (!(idp = malloc(sizeof *idp))) {
		srv_error(r, 500, "nomem", NULL, 0, "服务器内存不足");
		goto bad;
	}
	*idp = id;
	srv_wjob_send(r, req, idp, free, case_step_run);
	return;
bad:
	json_decref(req);
}

/* ---- commitments (信用承诺) ---- */

void h_commitments(srv_req *r)
{
	xy_error err = XY_ERROR_INIT;
	xy_commitments cm;
	const char *unit, *status = srv_arg(r, "status");
	xy_view_opts vo = { false, NULL };
	char d[11];
	json_t *v = NULL;
	xy_credit *c;
	if (unit_scope(r, false, &unit) || srv_arg_date(r, "date", d, &vo.asof) ||
	    !(c = srv_reader_credit(r)))
		return;
	if (xy_commitments_open(&cm, c, srv_S->cfg.config_dir, &err))
		return srv_xy_error(r, &err);
	if (xy_view_commitments(&cm, unit, NULL, status && *status ? status : NULL, &vo, &v, &err)) {
		xy_commitments_release(&cm);
		if (err.code == XY_ERR_ARG)
			return srv_error(r, 400, "invalid_parameter", "status", 0, "%s", err.msg);
		return srv_xy_error(r, &err);
	}
	xy_commitments_release(&cm);
	srv_json(r, 200, v);
}

void h_commitment(srv_req *r)
{
	xy_error err = XY_ERROR_INIT;
	xy_commitments cm;
	int64_t id = srv_param_id(r, 0, "id");
	xy_view_opts vo = { false, NULL };
	char d[11];
	json_t *v = NULL;
	xy_credit *c;
	xy_code rc;
	if (!id || srv_arg_date(r, "date", d, &vo.asof) || !(c = srv_reader_credit(r)))
		return;
	if (xy_commitments_open(&cm, c, srv_S->cfg.config_dir, &err))
		return srv_xy_error(r, &err);
	rc = xy_view_commitment(&cm, id, &vo, &v, &err);
	xy_commitments_release(&cm);
	if (rc == XY_ERR_NOTFOUND)
		return srv_error(r, 404, "notfound", NULL, 0, "承诺 %lld 不存在", (long long)id);
	if (rc)
		return srv_xy_error(r, &err);
	if (own_object(r, v, "承诺", id))
		srv_json(r, 200, v);
	else
		json_decref(v);
}

static void commitment_add_run(srv_req *r, xy_store *s, xy_registry *reg, xy_credit *cr,
			       bool *cr_open)
{
	srv_wjob *j = r->job_data;
	xy_credit *c = write_credit(r, s, reg, cr, cr_open);
	xy_commitments cm;
	XY_AUTO(xy_commitment_row, row);
	long added = 0;
	xy_commitment_in in = {
		.subject = jstr(j->req, "subject"), .name = jstr(j->req, "name"),
		.unit = j->data, .type = jstr(j->req, "type"), .no = jstr(j->req, "no"),
		.matter = jstr(j->req, "matter"), .date = jstr(j->req, "date"),
		.content = jstr(j->req, "content"), .deadline = jstr(j->req, "deadline"),
	};
	if (!c)
		return;
	if (!xy_commitments_open(&cm, c, srv_S->cfg.config_dir, &j->err)) {
		if (!xy_commitment_add(&cm, &in, &row, &added, &j->err) &&
		    !xy_view_commitment(&cm, row.id, &(xy_view_opts){ false, row.signed_on }, &j->out,
					&j->err))
			j->status = 201;
		xy_commitments_release(&cm);
	}
	c->who = NULL;
}

void h_commitment_add(srv_req *r)
{
	static const char *const keys[] = { "subject", "name", "type", "no", "matter", "date",
					    "content", "deadline", NULL };
	if (r->job_sent)
		return answer_job_body(r);
	json_t *req = srv_body_object(r);
	const char *unit;
	char *u;
	if (!req)
		return;
	if (!strings_only(r, req, keys) || !(unit = acting_unit(r, req, NULL))) {
		json_decref(req);
		return;
	}
	if (!jstr(req, "subject") || !jstr(req, "type")) {
		json_decref(req);
		return srv_error(r, 422, "invalid", jstr(req, "subject") ? "type" : "subject", 0,
				 "须给出 subject（承诺主体）和 type（承诺类型）");
	}
	if (!(u = strdup(unit))) {
		json_decref(req);
		return srv_error(r, 500, "nomem", NULL, 0, "服务器内存不足");
	}
	srv_wjob_send(r, req, u, free, commitment_add_run);
}

static void commitment_check_run(srv_req *r, xy_store *s, xy_registry *reg, xy_credit *cr,
				 bool *cr_open)
{
	srv_wjob *j = r->job_data;
	int64_t id = *(int64_t *)j->data;
	xy_credit *c = write_credit(r, s, reg, cr, cr_open);
	xy_commitments cm;
	xy_commitment_verify_out vo;
	json_t *v = NULL;
	xy_commitment_verify_in in = {
		.id = id, .result = jstr(j->req, "result"), .date = jstr(j->req, "date"),
		.by = jstr(j->req, "by"), .note = jstr(j->req, "note"),
		.list_type = jstr(j->req, "list_type"),
		.no_list = json_is_true(json_object_get(j->req, "no_list")),
		.doc = jstr(j->req, "doc"), .to = jstr(j->req, "to"),
	};
	memset(&vo, 0, sizeof vo);
	if (!c)
		return;
	if (xy_commitments_open(&cm, c, srv_S->cfg.config_dir, &j->err)) {
		c->who = NULL;
		return;
	}
	if (xy_view_commitment(&cm, id, NULL, &v, &j->err))
		goto out;
	if (!srv_unit_allowed(&r->who, json_string_value(json_object_get(v, "unit")) ?: "")) {
		xy_error_at(&j->err, XY_ERR_NOTFOUND, NULL, 0, "id", "承诺 %lld 不存在",
			    (long long)id);
		goto out;
	}
	if (!in.by) /* who checked: the unit by default */
		in.by = r->who.role == SRV_UNIT ? r->who.unit
						 : json_string_value(json_object_get(v, "unit"));
	if (xy_commitment_verify(&cm, &in, &vo, &j->err) ||
	    xy_view_commitment(&cm, id, &(xy_view_opts){ false, in.date }, &j->out, &j->err))
		goto out;
	json_object_set_new(j->out, "breach",
			    json_pack("{s:b,s:o,s:o}", "breach", vo.breach, "record",
				      vo.record_key ? json_string(vo.record_key) : json_null(),
				      "entry", vo.entry_id ? json_integer(vo.entry_id) : json_null()));
	j->status = 201;
out:
	xy_commitment_verify_out_release(&vo);
	xy_commitments_release(&cm);
	json_decref(v);
	c->who = NULL;
}

void h_commitment_check(srv_req *r)
{
	static const char *const keys[] = { "result", "date", "by", "note", "list_type", "doc",
					    "to", NULL };
	if (r->job_sent)
		return answer_job(r);
	int64_t id = srv_param_id(r, 0, "id"), *idp;
	json_t *req = id ? srv_body_object(r) : NULL, *nl;
	if (!req)
		return;
	nl = json_object_get(req, "no_list");
	if (!strings_only(r, req, keys) ||
	    (nl && !json_is_boolean(nl) &&
	     (srv_error(r, 422, "invalid", "no_list", 0, "no_list 须为 true 或 false"), 1)) ||
	    (!jstr(req, "result") &&
	     (srv_error(r, 422, "invalid", "result", 0, "须给出 result（履约 或 未履约）"), 1))) {
		json_decref(req);
		return;
	}
	if (!(idp = malloc(sizeof *idp))) {
		json_decref(req);
		return srv_error(r, 500, "nomem", NULL, 0, "服务器内存不足");
	}
	*idp = id;
	srv_wjob_send(r, req, idp, free, commitment_check_run);
}

/* ---- watch list and notices ---- */

void h_watches(srv_req *r)
{
	xy_error err = XY_ERROR_INIT;
	srv_thread *t = srv_thread_get(&err);
	const char *unit;
	json_t *v = NULL;
	if (unit_scope(r, true, &unit))
		return;
	if (!t || xy_view_watches(t->store, &t->reg, unit, &v, &err))
		return srv_xy_error(r, &err);
	srv_json(r, 200, v);
}

void h_notices(srv_req *r)
{
	xy_error err = XY_ERROR_INIT;
	srv_thread *t = srv_thread_get(&err);
	const char *unit;
	json_t *v = NULL;
	if (unit_scope(r, true, &unit))
		return;
	if (!t || xy_view_notices(t->store, &t->reg, unit, &v, &err))
		return srv_xy_error(r, &err);
	srv_json(r, 200, v);
}

/* Notices marked read: data is a notice_job (owned); id 0 is every unread
 * notice of the unit.  The answer is the unit's notices as GET /notices
 * gives them, with "marked". */
typedef struct notice_job {
	int64_t id;
	char unit[]; /* the operator's unit, whole */
} notice_job;

static void notices_read_run(srv_req *r, xy_store *s, xy_registry *reg, xy_credit *cr,
			     bool *cr_open)
{
	srv_wjob *j = r->job_data;
	xy_credit *c = write_credit(r, s, reg, cr, cr_open);
	const notice_job *nj = j->data;
	long n = 0;
	if (!c)
		return;
	if (!xy_credit_notices_read(c, nj->unit, nj->id, &n, &j->err) &&
	    !xy_view_notices(s, reg, nj->unit, &j->out, &j->err)) {
		json_object_set_new(j->out, "marked", json_integer(n));
		j->status = 200;
	}
	c->who = NULL;
}

static void notices_read_send(srv_req *r, int64_t id)
{
	size_t n = strlen(r->who.unit) + 1;
	notice_job *nj = malloc(sizeof *nj + n);
	if (!nj)
		return srv_error(r, 500, "nomem", NULL, 0, "服务器内存不足");
	nj->id = id;
	memcpy(nj->unit, r->who.unit, n);
	srv_wjob_send(r, NULL, nj, free, notices_read_run);
}

/* A unit operator's own notices only: another unit's id is 404 (the
 * library looks it up among the unit's). */
void h_notice_read(srv_req *r)
{
	int64_t id;
	if (r->job_sent)
		return answer_job(r);
	if ((id = srv_param_id(r, 0, "id")))
		notices_read_send(r, id);
}

void h_notices_read_all(srv_req *r)
{
	if (r->job_sent)
		return answer_job(r);
	notices_read_send(r, 0);
}

/* A watch change: data is a watch_job (owned); the subject is the body's
 * (add) or the path's (remove). */
typedef struct watch_job {
	bool add;
	char unit[]; /* the unit, whole */
} watch_job;

static void watch_run(srv_req *r, xy_store *s, xy_registry *reg, xy_credit *cr, bool *cr_open)
{
	srv_wjob *j = r->job_data;
	xy_credit *c = write_credit(r, s, reg, cr, cr_open);
	const watch_job *w = j->data;
	xy_code rc;
	if (!c)
		return;
	rc = w->add ? xy_credit_watch_add(c, w->unit, jstr(j->req, "subject"), &j->err)
		    : xy_credit_watch_remove(c, w->unit, r->params[0], &j->err);
	if (!rc && !xy_view_watches(s, reg, w->unit, &j->out, &j->err))
		j->status = w->add ? 201 : 200;
	c->who = NULL;
}

static void watch_send(srv_req *r, json_t *req, const char *unit, bool add)
{
	size_t n = strlen(unit) + 1;
	watch_job *w = malloc(sizeof *w + n);
	if (!w) {
		json_decref(req);
		return srv_error(r, 500, "nomem", NULL, 0, "服务器内存不足");
	}
	w->add = add;
	memcpy(w->unit, unit, n);
	srv_wjob_send(r, req, w, free, watch_run);
}

void h_watch_add(srv_req *r)
{
	if (r->job_sent)
		return answer_job_body(r);
	json_t *req = srv_body_object(r);
	const char *unit;
	if (!req)
		return;
	if (!json_is_string(json_object_get(req, "subject"))) {
		json_decref(req);
		return srv_error(r, 422, "invalid", "subject", 0, "须给出 subject（统一社会信用代码、身份证号或名称）");
	}
	if (!(unit = acting_unit(r, req, NULL))) {
		json_decref(req);
		return;
	}
	watch_send(r, req, unit, true);
}

void h_watch_remove(srv_req *r)
{
	if (r->job_sent)
		return answer_job(r);
	const char *unit;
	if (unit_scope(r, true, &unit))
		return;
	watch_send(r, NULL, unit, false);
}
