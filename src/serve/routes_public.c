/* xinyong serve: the public's routes (公众) — the public view of the library,
 * disclosure rules applied there (docs/views.md). */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "routes.h"
#include "xinyong/applications.h"
#include "xinyong/credit_report.h"
#include "xinyong/date.h"
#include "xinyong/ingest.h"
#include "xinyong/lists.h"
#include "xinyong/text.h"
#include "xinyong/views.h"

/* ---- public: subjects and lists (the public view, disclosure rules applied) ---- */

/* The public view as of ?date=; -1 after answering 400. */
static int arg_date(srv_req *r, xy_view_opts *vo, char d[11])
{
	vo->public_view = true;
	return srv_arg_date(r, "date", d, &vo->asof);
}

void h_subjects(srv_req *r)
{
	xy_error err = XY_ERROR_INIT;
	srv_thread *t = srv_thread_get(&err);
	xy_view_opts vo = { true, NULL };
	xy_view_page pg = { srv_arg(r, "after"), 0, false };
	const char *q = srv_arg(r, "q");
	long limit = srv_arg_limit(r, 20, 100);
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

void h_subject(srv_req *r)
{
	xy_error err = XY_ERROR_INIT;
	xy_repairs *rp;
	xy_view_opts vo;
	char d[11];
	json_t *v = NULL;
	if (arg_date(r, &vo, d) || !(rp = srv_reader_repairs(r)))
		return;
	xy_code rc = xy_view_profile(rp, r->params[0], &vo, &v, &err);
	if ((rc == XY_ERR_NOTFOUND || rc == XY_ERR_CONFLICT) && v)
		return view_matches(r, rc == XY_ERR_NOTFOUND ? 404 : 409, v, &err);
	if (rc)
		return srv_xy_error(r, &err);
	srv_json(r, 200, v);
}

/* A keyset page's ?after= and ?limit= (at most 100); -1 after answering 400. */
static int arg_page(srv_req *r, xy_view_page *pg)
{
	long limit = srv_arg_limit(r, 20, 100);
	if (limit < 0)
		return -1;
	pg->after = srv_arg(r, "after");
	pg->limit = (size_t)limit;
	pg->person_names = false;
	return 0;
}

void h_list(srv_req *r)
{
	xy_error err = XY_ERROR_INIT;
	xy_credit *c;
	xy_view_opts vo;
	xy_view_page pg;
	char d[11];
	json_t *v = NULL;
	if (arg_date(r, &vo, d) || arg_page(r, &pg) || !(c = srv_reader_credit(r)))
		return;
	if (xy_view_entries_page(c, r->params[0], &vo, &pg, &v, &err))
		return srv_xy_error(r, &err);
	srv_json(r, 200, v);
}

/* ---- public: 双公示 feeds, list types, memoranda (issue 9) ---- */

/* The feed of one category: ?from= ?to= ?unit= ?kind= ?date= ?after= ?limit=. */
static void feed(srv_req *r, const char *category)
{
	xy_error err = XY_ERROR_INIT;
	xy_feed_opts f = { category, srv_arg(r, "from"), srv_arg(r, "to"), srv_arg(r, "unit"),
			   srv_arg(r, "kind") };
	xy_repairs *rp;
	xy_view_opts vo;
	xy_view_page pg;
	char d[11];
	json_t *v = NULL;
	if (arg_date(r, &vo, d) || arg_page(r, &pg) || !(rp = srv_reader_repairs(r)))
		return;
	srv_view(r, xy_view_feed(rp, &f, &vo, &pg, &v, &err), &v, &err);
}

void h_licensing(srv_req *r)
{
	feed(r, "行政许可");
}

void h_penalties(srv_req *r)
{
	feed(r, "行政处罚");
}

void h_list_types(srv_req *r)
{
	xy_error err = XY_ERROR_INIT;
	xy_credit *c;
	xy_view_opts vo;
	char d[11];
	json_t *v = NULL;
	if (arg_date(r, &vo, d) || !(c = srv_reader_credit(r)))
		return;
	if (xy_view_list_types(c, &vo, &v, &err))
		return srv_xy_error(r, &err);
	srv_json(r, 200, v);
}

void h_memoranda(srv_req *r)
{
	xy_error err = XY_ERROR_INIT;
	xy_view_opts vo = { true, NULL };
	xy_credit *c = srv_reader_credit(r);
	json_t *v = NULL;
	if (!c)
		return;
	if (xy_view_memoranda(c, &vo, &v, &err))
		return srv_xy_error(r, &err);
	srv_json(r, 200, v);
}

void h_memorandum(srv_req *r)
{
	xy_error err = XY_ERROR_INIT;
	xy_view_opts vo = { true, NULL };
	xy_credit *c = srv_reader_credit(r);
	json_t *v = NULL;
	if (!c)
		return;
	if (xy_view_memorandum(c, r->params[0], &vo, &v, &err))
		return srv_xy_error(r, &err);
	srv_json(r, 200, v);
}


/* ---- public: the credit report (信用报告) and its verification ---- */

static void pdf_free(void *p)
{
	xy_buf_release(p);
	free(p);
}

/* On the writer: issue the report of the profile the worker built (j->req). */
static void report_run(srv_req *r, xy_store *s, xy_registry *reg, xy_credit *cr, bool *cr_open)
{
	srv_wjob *j = r->job_data;
	xy_credit *c = srv_credit(s, reg, cr, cr_open, &j->err);
	xy_credit_report_opts o = { r->who.who, srv_S->cfg.config_dir, 0 };
	j->status = 0;
	if (c && !xy_credit_report_issue(c, j->req, &o, j->data, &j->out, &j->err))
		j->status = 200;
}

/* RFC 6266: an ASCII name, and the UTF-8 one percent-encoded (RFC 5987). */
static void attachment(srv_req *r, const char *number, const char *name)
{
	xy_buf cd = XY_BUF_INIT, utf = XY_BUF_INIT;
	if (!r->resp)
		return;
	xy_buf_addf(&utf, "公共信用信息报告-%s-%s.pdf", name, number);
	xy_buf_addf(&cd, "attachment; filename=\"%s.pdf\"; filename*=UTF-8''", number);
	for (const unsigned char *p = (const unsigned char *)utf.data; *p; p++) {
		if ((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') ||
		    strchr("-._~", *p))
			xy_buf_addch(&cd, (char)*p);
		else
			xy_buf_addf(&cd, "%%%02X", *p);
	}
	if (cd.data[0])
		MHD_add_response_header(r->resp, "Content-Disposition", cd.data);
	xy_buf_release(&cd);
	xy_buf_release(&utf);
}

void h_subject_report(srv_req *r)
{
	if (!r->job_sent) {
		xy_error err = XY_ERROR_INIT;
		srv_thread *t = srv_thread_get(&err);
		xy_repairs *rp;
		xy_view_opts vo;
		xy_buf *pdf;
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
		if (!(pdf = malloc(sizeof *pdf))) {
			json_decref(v);
			return srv_error(r, 500, "nomem", NULL, 0, "服务器内存不足");
		}
		*pdf = (xy_buf)XY_BUF_INIT;
		srv_wjob_send(r, v, pdf, pdf_free, report_run);
		return;
	}
	srv_wjob *j = srv_wjob_done(r);
	if (!j)
		return;
	if (!j->status)
		return srv_xy_error(r, &j->err);
	xy_buf *pdf = j->data;
	json_t *subj = json_object_get(j->out, "subject");
	srv_text(r, 200, "application/pdf", pdf->data, pdf->len);
	attachment(r, json_string_value(json_object_get(j->out, "number")),
		   json_string_value(json_object_get(subj, "name")));
	if (r->resp) {
		MHD_add_response_header(r->resp, "X-Report-Number",
					json_string_value(json_object_get(j->out, "number")));
		MHD_add_response_header(r->resp, "X-Report-Code",
					json_string_value(json_object_get(j->out, "code")));
	}
}

/* The verification's answer: 404 for an unknown report (or pair), else 200. */
static void verify_answer(srv_req *r, xy_code rc, json_t *v, const xy_error *err)
{
	if (rc)
		return srv_xy_error(r, err);
	srv_json(r, strcmp(json_string_value(json_object_get(v, "status")), "unknown") ? 200 : 404,
		 v);
}

void h_report_verify(srv_req *r)
{
	xy_error err = XY_ERROR_INIT;
	srv_thread *t = srv_reader(r);
	const char *code = srv_arg(r, "code");
	json_t *v = NULL;
	if (!t)
		return;
	if (!code || !*code)
		return srv_error(r, 400, "missing_parameter", "code", 0,
				 "缺少 code（报告上的验证码），或以 POST 提交报告 PDF 文件核验");
	xy_code rc = xy_credit_report_verify(t->store, r->params[0], NULL, 0, code, &v, &err);
	verify_answer(r, rc, v, &err);
}

void h_report_verify_pdf(srv_req *r)
{
	xy_error err = XY_ERROR_INIT;
	srv_thread *t = srv_reader(r);
	const char *ct = MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, "Content-Type");
	xy_buf pdf = XY_BUF_INIT;
	json_t *v = NULL;
	FILE *f;
	char chunk[65536];
	size_t n;
	if (!t)
		return;
	/* the PDF itself (as a PDF or as bytes), or a form's file field */
	if (!ct || (strncasecmp(ct, "application/pdf", 15) &&
		    strncasecmp(ct, "application/octet-stream", 24) &&
		    strncasecmp(ct, "multipart/form-data", 19)))
		return srv_error(r, 415, "unsupported_media_type", NULL, 0,
				 "请求体须为报告 PDF 文件（application/pdf）");
	if (!(f = fopen(r->spool_path, "rb")))
		return srv_error(r, 500, "io", NULL, 0, "无法读取上传的文件");
	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0) {
		if (pdf.len + n > XY_REPORT_PDF_MAX) {
			fclose(f);
			xy_buf_release(&pdf);
			return srv_error(r, 413, "too_large", NULL, 0, "报告文件超过 %u 字节的上限",
					 XY_REPORT_PDF_MAX);
		}
		if (xy_buf_add(&pdf, chunk, n)) {
			fclose(f);
			xy_buf_release(&pdf);
			return srv_error(r, 500, "nomem", NULL, 0, "服务器内存不足");
		}
	}
	fclose(f);
	xy_code rc = xy_credit_report_verify(t->store, r->params[0], pdf.data, pdf.len, NULL, &v,
					     &err);
	xy_buf_release(&pdf);
	verify_answer(r, rc, v, &err);
}

/* applications: online 信用修复 / 异议 (applications.h; docs/repair.md) */

/* The submit on the writer: the body's fields and the spooled files (r
 * keeps them until it is answered). */
static void application_run(srv_req *r, xy_store *s, xy_registry *reg, xy_credit *cr,
			    bool *cr_open)
{
	srv_wjob *j = r->job_data;
	xy_credit *c = srv_credit(s, reg, cr, cr_open, &j->err);
	json_t *q = j->req, *ev = json_object_get(q, "evidence"), *rec = json_object_get(q, "record"), *x;
	const char *evidence[XY_APP_MAX_EVIDENCE];
	xy_app_file files[XY_APP_MAX_FILES];
	xy_application_in in = { 0 };
	xy_application_opts o = { srv_S->cfg.attachments, r->who.who ? r->who.who : "public" };
	xy_repairs rp;
	size_t i;
	if (!c || xy_repairs_open(&rp, c, srv_S->cfg.config_dir, &j->err))
		return;
	in.kind = json_string_value(json_object_get(q, "kind"));
	in.record = json_is_integer(rec) ? (int64_t)json_integer_value(rec)
					 : (int64_t)strtoll(json_string_value(rec), NULL, 10);
	in.subject = json_string_value(json_object_get(q, "subject"));
	in.applicant = json_string_value(json_object_get(q, "applicant"));
	in.contact = json_string_value(json_object_get(q, "contact"));
	in.reason = json_string_value(json_object_get(q, "reason"));
	in.commitment = json_string_value(json_object_get(q, "commitment"));
	if (json_is_string(ev) && *json_string_value(ev))
		evidence[in.nevidence++] = json_string_value(ev);
	json_array_foreach(ev, i, x) evidence[in.nevidence++] = json_string_value(x);
	for (i = 0; i < r->nfiles; i++)
		files[i] = (xy_app_file){ r->files[i].name, r->files[i].path };
	in.evidence = evidence;
	in.files = files;
	in.nfiles = r->nfiles;
	if (!xy_application_submit(&rp, &in, &o, &j->out, &j->err))
		j->status = 201;
	xy_repairs_release(&rp);
}

/* Fields are strings (a form sends nothing else); record a positive number
 * or its digits; evidence a string or up to XY_APP_MAX_EVIDENCE of them. */
static bool application_fields(srv_req *r, json_t *q)
{
	static const char *const known[] = { "kind", "record", "subject", "applicant", "contact",
					      "reason", "commitment", "evidence", NULL };
	const char *k;
	json_t *v, *x;
	size_t i;
	json_object_foreach(q, k, v) {
		bool ok = false;
		for (i = 0; known[i] && !ok; i++)
			ok = !strcmp(known[i], k);
		if (!ok) {
			srv_error(r, 422, "invalid", k, 0, "未知的字段 %s", k);
			return false;
		}
		if (!strcmp(k, "record")) {
			const char *t = json_string_value(v);
			if (!(json_is_integer(v) && json_integer_value(v) > 0) &&
			    !(t && *t && strlen(t) < 19 && strspn(t, "0123456789") == strlen(t))) {
				srv_error(r, 422, "invalid", "record", 0, "record 须为信用信息编号（正整数）");
				return false;
			}
		} else if (!strcmp(k, "evidence") && json_is_array(v)) {
			if (json_array_size(v) > XY_APP_MAX_EVIDENCE) {
				srv_error(r, 422, "invalid", k, 0, "证明材料至多 %d 项", XY_APP_MAX_EVIDENCE);
				return false;
			}
			json_array_foreach(v, i, x) if (!json_is_string(x)) {
				srv_error(r, 422, "invalid", k, 0, "evidence 须为字符串数组");
				return false;
			}
		} else if (!json_is_string(v)) {
			srv_error(r, 422, "invalid", k, 0, "%s 须为字符串", k);
			return false;
		}
	}
	if (!json_object_get(q, "record")) {
		srv_error(r, 422, "invalid", "record", 0, "请填写信用信息编号（record）");
		return false;
	}
	return true;
}

void h_application_submit(srv_req *r)
{
	json_t *q;
	if (r->job_sent) {
		srv_wjob *j = srv_wjob_done(r);
		if (j)
			srv_wjob_answer(r, j);
		return;
	}
	q = r->form ? json_incref(r->form) : srv_body_object(r);
	if (!q)
		return;
	if (!application_fields(r, q)) {
		json_decref(q);
		return;
	}
	srv_wjob_send(r, q, NULL, NULL, application_run);
}

void h_application_status(srv_req *r)
{
	xy_error err = XY_ERROR_INIT;
	xy_repairs *rp = srv_reader_repairs(r);
	json_t *v = NULL;
	const char *secret = srv_arg(r, "secret");
	if (!rp)
		return;
	xy_code rc = xy_application_status(rp, r->params[0], secret ? secret : "", NULL, &v, &err);
	srv_view(r, rc, &v, &err);
}

