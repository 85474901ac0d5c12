/* xinyong serve: the route table, and what its handlers share.
 *
 * srv_routes is the one source of the served API: the dispatcher matches it,
 * `xinyong serve --routes` prints it, and tests/http compares it with the
 * paths and methods of docs/openapi.yaml.  Handlers live by audience
 * (routes.h): routes_public.c, routes_unit.c, routes_office.c,
 * routes_session.c.  They parse the request, call libxinyong and render its
 * answer as JSON; what a profile, a check or a batch summary contains is the
 * library's business.
 */
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

/* ---- what handlers share (serve.h) ---- */

int64_t srv_param_id(srv_req *r, int k, const char *name)
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

long srv_arg_limit(srv_req *r, long dflt, long max)
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

int srv_arg_date(srv_req *r, const char *name, char d[11], const char **out)
{
	const char *s = srv_arg(r, name);
	*out = NULL;
	if (!s)
		return 0;
	if (xy_date_parse(s, d)) {
		srv_error(r, 400, "invalid_parameter", name, 0, "%s 须为日期（YYYY-MM-DD）", name);
		return -1;
	}
	*out = d;
	return 0;
}

srv_thread *srv_reader(srv_req *r)
{
	xy_error err = XY_ERROR_INIT;
	srv_thread *t = srv_thread_get(&err);
	if (!t)
		srv_xy_error(r, &err);
	return t;
}

xy_credit *srv_reader_credit(srv_req *r)
{
	xy_error err = XY_ERROR_INIT;
	srv_thread *t = srv_thread_get(&err);
	xy_credit *c = t ? srv_credit(t->store, &t->reg, &t->credit, &t->credit_open, &err) : NULL;
	if (!c)
		srv_xy_error(r, &err);
	return c;
}

xy_repairs *srv_reader_repairs(srv_req *r)
{
	xy_error err = XY_ERROR_INIT;
	srv_thread *t = srv_thread_get(&err);
	xy_repairs *rp = t ? srv_repairs(t, &err) : NULL;
	if (!rp)
		srv_xy_error(r, &err);
	return rp;
}

void srv_view(srv_req *r, xy_code rc, json_t **v, const xy_error *err)
{
	if (rc)
		return srv_xy_error(r, err);
	srv_json(r, 200, *v);
}

json_t *srv_body_object(srv_req *r)
{
	json_error_t je;
	json_t *req = json_loadb(r->body.data, r->body.len, JSON_REJECT_DUPLICATES, &je);
	if (!req || !json_is_object(req)) {
		json_decref(req);
		srv_error(r, 400, "invalid_json", NULL, req ? 0 : je.line, "请求体不是 JSON 对象%s%s",
			  req ? "" : "：", req ? "" : je.text);
		return NULL;
	}
	return req;
}

static void wjob_free(void *p)
{
	srv_wjob *j = p;
	json_decref(j->req);
	json_decref(j->out);
	if (j->data_free)
		j->data_free(j->data);
	free(j);
}

static srv_wjob *wjob_queue(srv_req *r, json_t *req, void *data, void (*data_free)(void *),
			    srv_job_fn fn, bool grouped)
{
	srv_wjob *j = calloc(1, sizeof *j);
	if (!j) {
		json_decref(req);
		if (data_free)
			data_free(data);
		srv_error(r, 500, "nomem", NULL, 0, "服务器内存不足");
		return NULL;
	}
	j->req = req;
	j->data = data;
	j->data_free = data_free;
	j->err = (xy_error)XY_ERROR_INIT;
	r->job_data = j;
	r->job_free = wjob_free;
	(grouped ? srv_write_job_grouped : srv_write_job)(r, fn);
	return j;
}

srv_wjob *srv_wjob_send(srv_req *r, json_t *req, void *data, void (*data_free)(void *),
			srv_job_fn fn)
{
	return wjob_queue(r, req, data, data_free, fn, false);
}

srv_wjob *srv_wjob_send_grouped(srv_req *r, json_t *req, void *data, void (*data_free)(void *),
				srv_job_fn fn)
{
	return wjob_queue(r, req, data, data_free, fn, true);
}

srv_wjob *srv_wjob_done(srv_req *r)
{
	return r->resp ? NULL : r->job_data; /* answered: the writer stopped */
}

void srv_wjob_answer(srv_req *r, srv_wjob *j)
{
	if (!j->status)
		return srv_xy_error(r, &j->err);
	srv_json(r, j->status, json_incref(j->out));
}

/* ---- health ---- */

void h_healthz(srv_req *r)
{
	srv_json(r, 200, json_pack("{s:s}", "status", "ok"));
}

/* The read replica's part of /readyz: ready with how far it is behind the
 * primary (bytes of WAL not replayed yet), or down with why (public reads
 * then go to the primary: the server stays ready). */
static json_t *readyz_replica(xy_store *primary)
{
	xy_error err = XY_ERROR_INIT;
	srv_thread *t = srv_replica(&err);
	uint64_t have = 0, want = 0;
	if (t && xy_store_log_position(t->store, &have, &err))
		srv_replica_failed(err.msg);
	else if (t && !xy_store_log_position(primary, &want, &err))
		return json_pack("{s:s,s:i,s:I}", "status", "ready", "schema",
				 xy_store_schema_version(t->store), "behind_bytes",
				 (json_int_t)(want > have ? want - have : 0));
	/* libpq's messages run over several lines: the first says it */
	return json_pack("{s:s,s:s#}", "status", "down", "message", err.msg,
			 (int)strcspn(err.msg, "\n"));
}

void h_readyz(srv_req *r)
{
	xy_error err = XY_ERROR_INIT;
	srv_thread *t = srv_thread_get(&err);
	int v = t ? xy_store_schema_version(t->store) : 0;
	json_t *o;
	if (v <= 0) {
		srv_error(r, 503, "store", NULL, 0, "数据库不可用：%s", t ? "无法读取" : err.msg);
		return;
	}
	o = json_pack("{s:s,s:i}", "status", "ready", "schema", v);
	if (o && srv_S->cfg.read_db)
		json_object_set_new(o, "replica", readyz_replica(t->store));
	srv_json(r, 200, o);
}

void h_metrics(srv_req *r)
{
	xy_buf b = XY_BUF_INIT;
	if (srv_metrics_render(&b)) {
		srv_error(r, 500, "nomem", NULL, 0, "服务器内存不足");
	} else {
		srv_text(r, 200, "text/plain; version=0.0.4; charset=utf-8", b.data, b.len);
	}
	xy_buf_release(&b);
}

/* ---- the table ---- */

const srv_route srv_routes[] = {
	{ "GET", "/healthz", h_healthz, SRV_ANYONE, 0, "liveness: the process answers" },
	{ "GET", "/readyz", h_readyz, SRV_ANYONE, 0, "readiness: the database can be read" },
	{ "GET", "/metrics", h_metrics, SRV_ANYONE, 0, "Prometheus metrics" },
	/* the public site (static.c): pages and assets of --web DIR, from memory;
	 * a page here needs its file web/NAME.html (tests/http/t0190) */
	{ "GET", "/", h_static, SRV_ANYONE, 0, "the portal's home page (web/index.html)" },
	{ "GET", "/index.html", h_static, SRV_ANYONE, 0, "首页: search, 双公示, lists, index chart" },
	{ "GET", "/search.html", h_static, SRV_ANYONE, 0, "subject search results (keyset paging)" },
	{ "GET", "/subject.html", h_static, SRV_ANYONE, 0, "a subject's public credit page" },
	{ "GET", "/publicity.html", h_static, SRV_ANYONE, 0, "双公示: 行政许可 / 行政处罚 with filters" },
	{ "GET", "/lists.html", h_static, SRV_ANYONE, 0, "红黑名单: list types and entries" },
	{ "GET", "/memoranda.html", h_static, SRV_ANYONE, 0, "联合奖惩 memoranda and their measures" },
	{ "GET", "/inspections.html", h_static, SRV_ANYONE, 0,
	  "双随机、一公开: published inspection draws, results and 核验" },
	{ "GET", "/apply.html", h_static, SRV_ANYONE, 0,
	  "信用修复 / 异议 application form with attachments, then its receipt" },
	{ "GET", "/application.html", h_static, SRV_ANYONE, 0,
	  "申请进度查询: an application's status by receipt number and secret" },
	{ "GET", "/verify.html", h_static, SRV_ANYONE, 0,
	  "信用报告核验: a report by number and code, or by its PDF" },
	/* staff pages: unit */
	{ "GET", "/login.html", h_static, SRV_ANYONE, 0, "登录: staff sign in (session cookie)" },
	{ "GET", "/unit.html", h_static, SRV_ANYONE, 0,
	  "信源单位工作台: this month's reporting, deadlines, notices, cases" },
	{ "GET", "/upload.html", h_static, SRV_ANYONE, 0,
	  "上传数据: a unit's file with progress, then its batch and rejected rows" },
	{ "GET", "/batches.html", h_static, SRV_ANYONE, 0,
	  "报送记录: the unit's batches; ?id= one with its rejected rows" },
	{ "GET", "/check.html", h_static, SRV_ANYONE, 0,
	  "联合奖惩核查: check subjects, the answer, feedback on the measures" },
	/* staff pages: office */
	{ "GET", "/office.html", h_static, SRV_ANYONE, 0,
	  "信用办工作台: reporting per unit, silent units, rejection rates, ranking, audit" },
	{ "GET", "/office-reports.html", h_static, SRV_ANYONE, 0,
	  "统计与通报: statistics tables and exports, reconciliation, bulletin, city index" },
	{ "GET", "/grades.html", h_static, SRV_ANYONE, 0,
	  "信用分级分类: the latest run, the distribution by grade, subjects, an explanation" },
	{ "GET", "/office-inspect.html", h_static, SRV_ANYONE, 0,
	  "双随机抽查: the inspection plans, a plan added from its JSON, a draw" },
	{ "GET", "/office-admin.html", h_static, SRV_ANYONE, 0,
	  "系统管理: users, tokens, units, mappings, memoranda, list entries" },
	{ "GET", "/assets/{file}", h_static, SRV_ANYONE, 0, "the pages' scripts, styles and images" },
	/* sessions (routes_session.c) */
	{ "POST", "/api/v1/session", h_login, SRV_ANYONE, SRV_BODY_JSON,
	  "log in with name and password: a session cookie and its CSRF token" },
	{ "DELETE", "/api/v1/session", h_logout, SRV_STAFF, 0, "log out (end the cookie's session)" },
	{ "GET", "/api/v1/session", h_session, SRV_STAFF, 0,
	  "who is signed in (user, role, unit) and the session's CSRF token, for the staff pages" },
	/* public (routes_public.c) */
	{ "GET", "/api/v1/subjects", h_subjects, SRV_ANYONE, 0,
	  "subject search (public view; keyset paging)", SRV_CACHED },
	{ "GET", "/api/v1/subjects/{code}", h_subject, SRV_ANYONE, 0,
	  "a subject's public credit profile", SRV_CACHED },
	{ "GET", "/api/v1/lists/{type}", h_list, SRV_ANYONE, 0,
	  "a red or black list's active entries as of ?date= (public view; keyset paging)",
	  SRV_CACHED },
	{ "GET", "/api/v1/lists", h_list_types, SRV_ANYONE, 0,
	  "the red and black list types with their active entries as of ?date=", SRV_CACHED },
	{ "GET", "/api/v1/licensing", h_licensing, SRV_ANYONE, 0,
	  "双公示: 行政许可 decided from..to, newest first (public view; keyset paging)", SRV_CACHED },
	{ "GET", "/api/v1/penalties", h_penalties, SRV_ANYONE, 0,
	  "双公示: 行政处罚 decided from..to, newest first (public view; keyset paging)", SRV_CACHED },
	{ "GET", "/api/v1/memoranda", h_memoranda, SRV_ANYONE, 0,
	  "the 联合奖惩 memoranda (public view)", SRV_CACHED },
	{ "GET", "/api/v1/memoranda/{doc}", h_memorandum, SRV_ANYONE, 0,
	  "one memorandum with its measures (public view)", SRV_CACHED },
	{ "GET", "/api/v1/subjects/{code}/report", h_subject_report, SRV_ANYONE, 0,
	  "the subject's public credit report (公共信用信息报告) as PDF: issued, numbered, audited" },
	{ "GET", "/api/v1/reports/{number}/verify", h_report_verify, SRV_ANYONE, 0,
	  "whether report number and ?code= were issued together, and what was issued" },
	{ "POST", "/api/v1/reports/{number}/verify", h_report_verify_pdf, SRV_ANYONE,
	  SRV_BODY_UPLOAD, "whether the PDF in the body is report number as issued, unaltered" },
	{ "POST", "/api/v1/applications", h_application_submit, SRV_ANYONE, SRV_BODY_FORM,
	  "apply online for 信用修复 or file an 异议 (multipart with attachments, or JSON)" },
	{ "GET", "/api/v1/applications/{receipt}", h_application_status, SRV_ANYONE, 0,
	  "an application's status by receipt number and ?secret=" },
	/* units (routes_unit.c) */
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
	{ "GET", "/api/v1/checks", h_checks_list, SRV_STAFF, 0,
	  "logged checks, newest first (a unit operator's own; keyset paging)" },
	{ "GET", "/api/v1/checks/{id}", h_check, SRV_STAFF, 0, "one check with its feedback" },
	{ "POST", "/api/v1/checks/{id}/feedback", h_feedback, SRV_UNIT | SRV_ADMIN, SRV_BODY_JSON,
	  "feedback on a check's measures (已采取 / 未采取), by the unit that checked" },
	{ "GET", "/api/v1/cases", h_cases, SRV_STAFF, 0,
	  "repair or objection cases routed to the unit (?kind=, ?status=)" },
	{ "GET", "/api/v1/cases/{id}", h_case, SRV_STAFF, 0, "one case with its steps" },
	{ "POST", "/api/v1/cases/{id}/steps", h_case_step, SRV_UNIT | SRV_ADMIN, SRV_BODY_JSON,
	  "a case step: accept (受理), review (审核), decide" },
	{ "GET", "/api/v1/cases/{id}/attachments/{n}", h_case_attachment, SRV_STAFF, 0,
	  "an attachment of a case filed online, as uploaded" },
	{ "GET", "/api/v1/commitments", h_commitments, SRV_STAFF, 0,
	  "commitments received by the unit (信用承诺)" },
	{ "POST", "/api/v1/commitments", h_commitment_add, SRV_UNIT | SRV_ADMIN, SRV_BODY_JSON,
	  "register a commitment" },
	{ "GET", "/api/v1/commitments/{id}", h_commitment, SRV_STAFF, 0,
	  "one commitment with its checks" },
	{ "POST", "/api/v1/commitments/{id}/checks", h_commitment_check, SRV_UNIT | SRV_ADMIN,
	  SRV_BODY_JSON, "a fulfilment check (履约 / 未履约)" },
	{ "GET", "/api/v1/watch", h_watches, SRV_STAFF, 0, "the subjects the unit watches" },
	{ "POST", "/api/v1/watch", h_watch_add, SRV_UNIT | SRV_ADMIN, SRV_BODY_JSON,
	  "watch a subject" },
	{ "DELETE", "/api/v1/watch/{subject}", h_watch_remove, SRV_UNIT | SRV_ADMIN, 0,
	  "stop watching a subject" },
	{ "GET", "/api/v1/notices", h_notices, SRV_STAFF, 0,
	  "the unit's notices: new black-list entries of watched subjects" },
	{ "POST", "/api/v1/notices/{id}/read", h_notice_read, SRV_UNIT, 0,
	  "mark one of the unit's notices read (audited)" },
	{ "POST", "/api/v1/notices/read-all", h_notices_read_all, SRV_UNIT, 0,
	  "mark every unread notice of the unit read (audited)" },
	/* office (routes_office.c) */
	/* office reports (routes_reports.c); the city index is public */
	{ "GET", "/api/v1/stats", h_stats, SRV_ADMIN | SRV_AUDITOR, 0,
	  "statistics tables in every format of `xinyong stats` (json csv xlsx md html text)" },
	{ "GET", "/api/v1/quality", h_quality, SRV_STAFF, 0,
	  "data quality per unit × category (the JSON of `xinyong quality`, or a table format); a unit operator's own unit" },
	{ "POST", "/api/v1/reconcile", h_reconcile, SRV_ADMIN | SRV_AUDITOR, SRV_BODY_UPLOAD,
	  "check a hand-made statistics table (TSV/CSV/XLSX): its wrong cells" },
	{ "POST", "/api/v1/bulletins", h_bulletin_create, SRV_ADMIN, SRV_BODY_JSON,
	  "generate the monthly bulletin (PDF, HTML or XLSX) into the report directory" },
	{ "GET", "/api/v1/bulletins/{name}", h_bulletin_get, SRV_ADMIN | SRV_AUDITOR, 0,
	  "a generated bulletin's file" },
	{ "GET", "/api/v1/index", h_index, SRV_ANYONE, 0,
	  "the city credit index (综合指数, national rank) by month, with the trend", SRV_CACHED },
	{ "POST", "/api/v1/index", h_index_put, SRV_ADMIN, SRV_BODY_JSON,
	  "store a month's index and rank (replacing it)" },
	{ "GET", "/api/v1/index/chart", h_index_chart, SRV_ANYONE, 0,
	  "the city index chart as SVG or PNG" },
	{ "GET", "/api/v1/units", h_units, SRV_ADMIN | SRV_AUDITOR, 0, "the source units (信源单位)" },
	{ "POST", "/api/v1/units", h_unit_add, SRV_ADMIN, SRV_BODY_JSON,
	  "add a source unit (audited)" },
	{ "PATCH", "/api/v1/units/{name}", h_unit_rename, SRV_ADMIN, SRV_BODY_JSON,
	  "rename a source unit; the old name stays a former name (audited)" },
	{ "GET", "/api/v1/categories", h_categories, SRV_STAFF, 0, "the reporting categories" },
	{ "GET", "/api/v1/categories/{category}", h_category, SRV_STAFF, 0,
	  "one category with its fields" },
	{ "GET", "/api/v1/mappings", h_mappings, SRV_ADMIN | SRV_AUDITOR, 0,
	  "column mappings of ?unit= and/or ?category= (`xinyong mapping list`)" },
	{ "PUT", "/api/v1/mappings", h_mapping_put, SRV_ADMIN, SRV_BODY_JSON,
	  "add or replace a unit's column mapping (audited)" },
	{ "DELETE", "/api/v1/mappings", h_mapping_delete, SRV_ADMIN, 0,
	  "remove the mapping of ?unit=&category=&column= (audited)" },
	{ "GET", "/api/v1/users", h_users, SRV_ADMIN | SRV_AUDITOR, 0, "users (never a password hash)" },
	{ "POST", "/api/v1/users", h_user_add, SRV_ADMIN, SRV_BODY_JSON, "add a user (audited)" },
	{ "PATCH", "/api/v1/users/{name}", h_user_patch, SRV_ADMIN, SRV_BODY_JSON,
	  "disable a user (audited; not the last admin)" },
	{ "POST", "/api/v1/users/{name}/password", h_user_passwd, SRV_ADMIN, SRV_BODY_JSON,
	  "set a user's password (audited; their sessions end)" },
	{ "GET", "/api/v1/tokens", h_tokens, SRV_ADMIN | SRV_AUDITOR, 0,
	  "bearer tokens (never a secret)" },
	{ "POST", "/api/v1/tokens", h_token_create, SRV_ADMIN, SRV_BODY_JSON,
	  "make a bearer token: its secret is in this answer only (audited)" },
	{ "DELETE", "/api/v1/tokens/{id}", h_token_revoke, SRV_ADMIN, 0, "revoke a token (audited)" },
	{ "POST", "/api/v1/memorandum-files", h_memorandum_load, SRV_ADMIN, SRV_BODY_UPLOAD,
	  "load (or ?replace=1) a memorandum from a TSV or XLSX file (audited)" },
	{ "GET", "/api/v1/entries", h_entries, SRV_ADMIN | SRV_AUDITOR, 0,
	  "list entries, office view: watch lists too, unmasked (?type=&all=&date=)" },
	{ "POST", "/api/v1/entries", h_entry_add, SRV_ADMIN, SRV_BODY_JSON,
	  "add a list entry (audited)" },
	{ "POST", "/api/v1/entries/{id}/exit", h_entry_exit, SRV_ADMIN, SRV_BODY_JSON,
	  "record a list entry's exit (移出; audited)" },
	{ "GET", "/api/v1/audit", h_audit, SRV_ADMIN | SRV_AUDITOR, 0,
	  "audit log entries (filters of `xinyong audit show`; keyset paging)" },
	{ "GET", "/api/v1/audit/verify", h_audit_verify, SRV_ADMIN | SRV_AUDITOR, 0,
	  "check the audit log's hash chain (`xinyong audit verify`)" },
	/* credit grading (信用分级分类, docs/grading.md): the office's; routes_office.c */
	{ "GET", "/api/v1/grades", h_grades, SRV_ADMIN | SRV_AUDITOR, 0,
	  "subjects by credit grade (?grade=A|B|C|D, ?run=N, ?explain=1, ?after=&limit=: `xinyong grade list`)" },
	{ "GET", "/api/v1/grade-counts", h_grade_counts, SRV_ADMIN | SRV_AUDITOR, 0,
	  "how many subjects have each grade, and their share (`xinyong grade counts`)" },
	{ "GET", "/api/v1/grade-runs", h_grade_runs, SRV_ADMIN | SRV_AUDITOR, 0,
	  "the grading runs, newest first (`xinyong grade runs`)" },
	{ "GET", "/api/v1/grade-publication", h_grade_publication, SRV_ADMIN | SRV_AUDITOR, 0,
	  "whether the public profile carries grades (`xinyong grade publish show`)" },
	{ "PUT", "/api/v1/grade-publication", h_grade_publication_put, SRV_ADMIN, SRV_BODY_JSON,
	  "publish grades to the public or stop ({\"public\":true|false}; audited)" },
	{ "GET", "/api/v1/subjects/{code}/grade", h_subject_grade, SRV_ADMIN | SRV_AUDITOR, 0,
	  "a subject's grade with every contributing record and its points (`grade show`)" },
	{ "GET", "/api/v1/subjects/{code}/grades", h_subject_grades, SRV_ADMIN | SRV_AUDITOR, 0,
	  "every grade a subject had, newest run first (`xinyong grade history`)" },
	/* 双随机、一公开 (docs/inspection.md): plans and draws the office's, audited;
	 * draws, results and verification public; routes_office.c */
	{ "POST", "/api/v1/inspection-plans", h_inspect_plan_add, SRV_ADMIN, SRV_BODY_JSON,
	  "register an inspection plan (the plan file's JSON; `inspect plan add`, audited)" },
	{ "GET", "/api/v1/inspection-plans", h_inspect_plans, SRV_ADMIN | SRV_AUDITOR, 0,
	  "the inspection plans (`inspect plan list`)" },
	{ "GET", "/api/v1/inspection-plans/{id}", h_inspect_plan, SRV_ADMIN | SRV_AUDITOR, 0,
	  "one plan with its canonical text's JSON and SHA-256 (`inspect plan show`)" },
	{ "POST", "/api/v1/inspection-plans/{id}/draws", h_inspect_draw, SRV_ADMIN, SRV_BODY_JSON,
	  "draw targets and teams from a subjects array and a public random value (`inspect draw`, audited)" },
	{ "POST", "/api/v1/inspection-draws/{id}/results", h_inspect_result, SRV_ADMIN, SRV_BODY_JSON,
	  "record a drawn target's result (`inspect result`, audited)" },
	{ "GET", "/api/v1/inspection-draws", h_inspect_draws, SRV_ANYONE, 0,
	  "一公开: the draws with their published inputs' digests and random values (`inspect draws`)",
	  SRV_CACHED },
	{ "GET", "/api/v1/inspection-draws/{id}", h_inspect_draw_show, SRV_ANYONE, 0,
	  "一公开: one draw's targets (codes in public form), team sizes and results (`inspect show`)",
	  SRV_CACHED },
	{ "GET", "/api/v1/inspection-draws/{id}/verify", h_inspect_verify, SRV_ANYONE, 0,
	  "recompute a draw from its published inputs: ok, or what differs (`inspect verify`)",
	  SRV_CACHED }, /* a public recomputation: once per data version, not per request */
};
const size_t srv_nroutes = sizeof srv_routes / sizeof srv_routes[0];
