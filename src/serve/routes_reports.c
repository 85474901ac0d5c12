/* xinyong serve: the office's report routes (信用办; the auditor reads):
 * statistics tables in every format of `xinyong stats`, reconciliation of a
 * hand-made table, data quality, bulletin generation, the city index (its
 * figures and chart are public).  Every answer is built by libxinyong, as the
 * CLI command that answers the same question builds it (docs/api.md,
 * "Reports"). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "routes.h"
#include "xinyong/bulletin.h"
#include "xinyong/chart.h"
#include "xinyong/date.h"
#include "xinyong/index.h"
#include "xinyong/quality.h"
#include "xinyong/reconcile.h"
#include "xinyong/stats.h"
#include "xinyong/text.h"
#include "xinyong/views.h"

#define XLSX_TYPE "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

/* ---- rendering a table model ---- */

static const char *table_type(xy_table_format f)
{
	switch (f) {
	case XY_TABLE_CSV: return "text/csv; charset=utf-8";
	case XY_TABLE_MD: return "text/markdown; charset=utf-8";
	case XY_TABLE_HTML: return "text/html; charset=utf-8";
	case XY_TABLE_JSON: return "application/json; charset=utf-8";
	case XY_TABLE_XLSX: return XLSX_TYPE;
	case XY_TABLE_PDF: return "application/pdf";
	default: return "text/plain; charset=utf-8";
	}
}

/* A fresh file name in the spool directory ending in ext (".xlsx"), created
 * empty (mode 0600) so that no other request gets it; -1 after answering. */
static int spool_temp(srv_req *r, const char *ext, xy_buf *path)
{
	int fd;
	xy_buf_addf(path, "%s/rpXXXXXX%s", srv_S->cfg.spool, ext);
	fd = path->data ? mkstemps(path->data, (int)strlen(ext)) : -1;
	if (fd < 0) {
		srv_log_error("reports: cannot create a file in %s: %s", srv_S->cfg.spool,
			      strerror(errno));
		srv_error(r, 507, "io", NULL, 0, "服务器无法写临时文件");
		return -1;
	}
	close(fd);
	return 0;
}

/* Add Content-Disposition: attachment with name to the answer (ASCII names:
 * the ones built here). */
static void attachment(srv_req *r, const char *name)
{
	xy_buf cd = XY_BUF_INIT;
	if (r->resp && r->status == 200 && !xy_buf_addf(&cd, "attachment; filename=\"%s\"", name))
		MHD_add_response_header(r->resp, "Content-Disposition", cd.data);
	xy_buf_release(&cd);
}

/* Answer with tables in fmt, as the CLI renders them (`-o FILE` or stdout):
 * XLSX through a spool file (one sheet per table), the rest in memory.
 * name: the download's name without extension (CSV, XLSX and PDF are sent as
 * attachments). */
static void send_tables(srv_req *r, xy_table *const *t, const char *const *sheets, size_t n,
			xy_table_format fmt, const char *name)
{
	xy_error err = XY_ERROR_INIT;
	xy_buf fname = XY_BUF_INIT;
	xy_buf_addf(&fname, "%s.%s", name, xy_table_format_name(fmt));
	if (fmt == XY_TABLE_XLSX) {
		xy_buf path = XY_BUF_INIT;
		if (!spool_temp(r, ".xlsx", &path)) {
			if (xy_table_write_xlsx((const xy_table *const *)t, sheets, n, path.data, &err))
				srv_xy_error(r, &err);
			else
				srv_file(r, path.data, XLSX_TYPE, fname.data);
			unlink(path.data); /* srv_file holds it open */
		}
		xy_buf_release(&path);
	} else {
		char *text = NULL;
		size_t len = 0;
		FILE *f = open_memstream(&text, &len);
		if (!f) {
			srv_error(r, 500, "nomem", NULL, 0, "服务器内存不足");
		} else {
			xy_code rc = xy_table_write(t[0], fmt, f, &err);
			if (fclose(f) && !rc)
				rc = xy_error_set(&err, XY_ERR_NOMEM, "out of memory");
			if (rc)
				srv_xy_error(r, &err);
			else
				srv_text(r, 200, table_type(fmt), text, len);
		}
		free(text);
		if (fmt == XY_TABLE_CSV || fmt == XY_TABLE_PDF)
			attachment(r, fname.data);
	}
	xy_buf_release(&fname);
}

/* ?format= as a table format (dflt when absent); -1 after answering 400. */
static int arg_format(srv_req *r, xy_table_format dflt, xy_table_format *out)
{
	const char *s = srv_arg(r, "format");
	*out = dflt;
	if (s && (xy_table_format_parse(s, out) || !strcmp(s, "table"))) {
		srv_error(r, 400, "invalid_parameter", "format", 0,
			  "format 须为 json、csv、xlsx、pdf、md、html 或 text");
		return -1;
	}
	return 0;
}

/* ?from=&to= months with the CLI's defaults into so's strings (f and t hold
 * the defaults); -1 after answering 400. */
static int arg_range(srv_req *r, const char **from, const char **to, char f[8], char t[8])
{
	xy_error err = XY_ERROR_INIT;
	*from = srv_arg(r, "from");
	*to = srv_arg(r, "to");
	xy_stats_default_range(from, to, f, t);
	if (xy_stats_check_range(*from, *to, &err)) {
		srv_error(r, 400, "invalid_parameter", err.field[0] ? err.field : "from", 0,
			  "月份范围无效（from、to 为 YYYY-MM，from 不晚于 to）：%s", err.msg);
		return -1;
	}
	return 0;
}

/* A query argument that names something (a unit, a category): unknown is 422,
 * not 404 (the path exists). */
static void answer_lookup(srv_req *r, xy_error *err)
{
	if (err->code == XY_ERR_NOTFOUND)
		err->code = XY_ERR_INVALID;
	srv_xy_error(r, err);
}

/* ---- statistics ---- */

static const char *const stats_sheets[] = { "市有关部门", "县（市）区、园区" };

void h_stats(srv_req *r)
{
	xy_error err = XY_ERROR_INIT;
	srv_thread *t = srv_thread_get(&err);
	xy_stats_opts so = { NULL, NULL, XY_STATS_DEPARTMENT, NULL, NULL };
	const char *by = srv_arg(r, "by"), *view = srv_arg(r, "view"), *unit = srv_arg(r, "unit");
	const char *sent = srv_arg(r, "sentences");
	char f[8], to[8];
	xy_table_format fmt;
	xy_table *tables[2] = { NULL, NULL };
	size_t ntables = 0;
	bool all = by && !strcmp(by, "all"), sentences = sent && !strcmp(sent, "1");
	int v = 0; /* 0 table, 1 mom, 2 cumulative */

	if (!t)
		return srv_xy_error(r, &err);
	so.category = srv_arg(r, "category");
	if (arg_format(r, XY_TABLE_JSON, &fmt) || arg_range(r, &so.from, &so.to, f, to))
		return;
	if (by && !all && xy_stats_layout_parse(by, &so.layout))
		return srv_error(r, 400, "invalid_parameter", "by", 0,
				 "by 须为 department、region 或 all");
	if (view) {
		v = !strcmp(view, "table") ? 0 : !strcmp(view, "mom") ? 1
		    : !strcmp(view, "cumulative")                       ? 2
									: -1;
		if (v < 0)
			return srv_error(r, 400, "invalid_parameter", "view", 0,
					 "view 须为 table、mom 或 cumulative");
	}
	if (sent && strcmp(sent, "0") && !sentences)
		return srv_error(r, 400, "invalid_parameter", "sentences", 0, "sentences 须为 0 或 1");
	if (all && (fmt != XY_TABLE_XLSX || unit || sentences))
		return srv_error(r, 400, "invalid_parameter", "by", 0,
				 "by=all 只用于 format=xlsx（两张表各一个工作表）");
	if (sentences && fmt != XY_TABLE_TEXT && fmt != XY_TABLE_JSON)
		return srv_error(r, 400, "invalid_parameter", "format", 0,
				 "sentences 只有 json 与 text 两种格式");
	if (so.category && (v == 0 || unit))
		return srv_error(r, 400, "invalid_parameter", "category", 0,
				 "category 只用于 view=mom 或 cumulative");
	so.config_dir = srv_S->cfg.config_dir;
	if (sentences) {
		json_t *o = NULL;
		xy_buf b = XY_BUF_INIT;
		if (fmt == XY_TABLE_JSON ? xy_view_stats_sentences(t->store, &t->reg, &so, &o, &err)
					 : xy_stats_sentences(t->store, &t->reg, &so, &b, &err))
			answer_lookup(r, &err);
		else if (o)
			srv_json(r, 200, o);
		else
			srv_text(r, 200, "text/plain; charset=utf-8", b.data, b.len);
		xy_buf_release(&b);
		return;
	}
	for (int l = 0; l < (all ? 2 : 1); l++) {
		xy_code rc;
		if (all)
			so.layout = (xy_stats_layout)l;
		if (unit)
			rc = xy_stats_unit(t->store, &t->reg, &so, unit, v == 2, &tables[ntables], &err);
		else if (v == 0)
			rc = xy_stats_table(t->store, &t->reg, &so, &tables[ntables], &err);
		else
			rc = xy_stats_months(t->store, &t->reg, &so, v == 2, &tables[ntables], &err);
		if (rc) {
			answer_lookup(r, &err);
			goto done;
		}
		ntables++;
	}
	{
		const char *names[2] = { stats_sheets[all ? 0 : so.layout], stats_sheets[1] };
		xy_buf name = XY_BUF_INIT;
		if (unit)
			names[0] = unit;
		xy_buf_addf(&name, "stats-%s-%s-%s", all ? "all" : xy_stats_layout_name(so.layout),
			    so.from, so.to);
		send_tables(r, tables, names, ntables, fmt, name.data ? name.data : "stats");
		xy_buf_release(&name);
	}
done:
	for (size_t i = 0; i < ntables; i++)
		xy_table_free(tables[i]);
}

/* ---- data quality ---- */

void h_quality(srv_req *r)
{
	xy_error err = XY_ERROR_INIT;
	srv_thread *t = srv_thread_get(&err);
	xy_quality_opts qo = { NULL, NULL, NULL, NULL };
	xy_quality *q = NULL;
	xy_table *tb = NULL;
	xy_table_format fmt;
	const char *by;
	char f[8], to[8];

	if (!t)
		return srv_xy_error(r, &err);
	if (arg_format(r, XY_TABLE_JSON, &fmt) || arg_range(r, &qo.from, &qo.to, f, to))
		return;
	if (fmt == XY_TABLE_PDF) /* as `xinyong quality`: no PDF of this table yet */
		return srv_error(r, 400, "invalid_parameter", "format", 0,
				 "数据质量表没有 PDF 格式：format 须为 json、csv、xlsx、md、html 或 text");
	qo.unit = srv_arg(r, "unit");
	/* a unit operator reads its own unit's (the unit pages' deadlines) */
	if (r->who.role == SRV_UNIT) {
		if (qo.unit && strcmp(qo.unit, r->who.unit))
			return srv_error(r, 403, "forbidden", "unit", 0, "只能查看本单位（%s）的数据质量",
					 r->who.unit);
		qo.unit = r->who.unit;
	}
	qo.config_dir = srv_S->cfg.config_dir;
	by = srv_arg(r, "by");
	if (by && (strcmp(by, "unit") || fmt != XY_TABLE_JSON))
		return srv_error(r, 400, "invalid_parameter", "by", 0,
				 "by 只能为 unit，且仅用于 JSON 格式");
	if (xy_quality_build(t->store, &t->reg, &qo, &q, &err))
		return answer_lookup(r, &err);
	if (by) { /* the dashboard's per-unit summary */
		json_t *v = NULL;
		xy_code vrc = xy_view_quality_units(q, &t->reg, &v, &err);
		srv_view(r, vrc, &v, &err);
	} else if (fmt == XY_TABLE_JSON) { /* every detail: the library's JSON, not the table's */
		xy_buf b = XY_BUF_INIT;
		if (xy_quality_json(q, &b, &err))
			srv_xy_error(r, &err);
		else
			srv_text(r, 200, table_type(fmt), b.data, b.len);
		xy_buf_release(&b);
	} else if (xy_quality_table(q, &tb, &err)) {
		srv_xy_error(r, &err);
	} else {
		static const char *const sheet[] = { "数据质量" };
		xy_buf name = XY_BUF_INIT;
		xy_buf_addf(&name, "quality-%s-%s", qo.from, qo.to);
		send_tables(r, &tb, sheet, 1, fmt, name.data ? name.data : "quality");
		xy_buf_release(&name);
	}
	xy_table_free(tb);
	xy_quality_free(q);
}

/* ---- reconciliation ---- */

/* The uploaded table (spooled; its name's extension tells TSV/CSV/XLSX, as
 * the CLI's file name does), read on this worker: nothing is written. */
void h_reconcile(srv_req *r)
{
	xy_error err = XY_ERROR_INIT;
	srv_thread *t = srv_thread_get(&err);
	xy_reconcile_opts ro = { srv_arg(r, "from"), srv_arg(r, "to"), NULL };
	xy_reconcile *rc = NULL;
	json_t *v = NULL;

	if (!t)
		return srv_xy_error(r, &err);
	if (!ro.from != !ro.to)
		return srv_error(r, 400, "invalid_parameter", ro.from ? "to" : "from", 0,
				 "与数据比对须同时给出 from 和 to");
	if (ro.from && xy_stats_check_range(ro.from, ro.to, &err))
		return srv_error(r, 400, "invalid_parameter", "from", 0, "月份范围无效：%s", err.msg);
	ro.config_dir = srv_S->cfg.config_dir;
	if (xy_reconcile_file(r->spool_path, t->store, &t->reg, &ro, &rc, &err) ||
	    xy_view_reconcile(rc, &v, &err)) {
		/* the file is the client's: name it as given, not the spool's path */
		if (err.file[0])
			snprintf(err.file, sizeof err.file, "%s", r->upload_name ? r->upload_name : "");
		xy_reconcile_free(rc);
		return srv_xy_error(r, &err);
	}
	xy_reconcile_free(rc);
	srv_json(r, 200, v);
}

/* ---- the city index ---- */

/* ?name= as a month (YYYY-MM, YYYY.MM, YYYY年M月) into m ("" when absent);
 * -1 after answering 400. */
static int arg_month(srv_req *r, const char *name, char m[8])
{
	const char *s = srv_arg(r, name);
	xy_city_index v;
	xy_error err = XY_ERROR_INIT;
	m[0] = '\0';
	if (!s)
		return 0;
	if (xy_city_index_parse(s, "0", "1", &v, &err)) {
		srv_error(r, 400, "invalid_parameter", name, 0, "%s 须为月份（YYYY-MM）", name);
		return -1;
	}
	memcpy(m, v.month, 8);
	return 0;
}

static int arg_months(srv_req *r, char from[8], char to[8])
{
	if (arg_month(r, "from", from) || arg_month(r, "to", to))
		return -1;
	if (from[0] && to[0] && strcmp(from, to) > 0) {
		srv_error(r, 400, "invalid_parameter", "from", 0, "from 晚于 to");
		return -1;
	}
	return 0;
}

void h_index(srv_req *r)
{
	xy_error err = XY_ERROR_INIT;
	srv_thread *t = srv_thread_get(&err);
	char from[8], to[8], *s;
	json_t *o = NULL;
	if (!t)
		return srv_xy_error(r, &err);
	if (arg_months(r, from, to))
		return;
	if (xy_view_index(t->store, from[0] ? from : NULL, to[0] ? to : NULL, &o, &err))
		return srv_xy_error(r, &err);
	/* two decimals, as the figures have (and as `index show` prints them) */
	s = json_dumps(o, JSON_COMPACT | JSON_REAL_PRECISION(12));
	json_decref(o);
	if (!s)
		return srv_error(r, 500, "nomem", NULL, 0, "服务器内存不足");
	srv_text(r, 200, "application/json; charset=utf-8", s, strlen(s));
	free(s);
}

void h_index_chart(srv_req *r)
{
	xy_error err = XY_ERROR_INIT;
	srv_thread *t = srv_thread_get(&err);
	const char *fmt = srv_arg(r, "format");
	char from[8], to[8];
	xy_city_index *v = NULL;
	size_t n = 0;
	xy_buf path = XY_BUF_INIT;
	bool png;
	if (!t)
		return srv_xy_error(r, &err);
	if (fmt && strcmp(fmt, "svg") && strcmp(fmt, "png"))
		return srv_error(r, 400, "invalid_parameter", "format", 0, "format 须为 svg 或 png");
	png = fmt && !strcmp(fmt, "png");
	if (arg_months(r, from, to))
		return;
	if (xy_store_index_list(t->store, &v, &n, &err))
		return srv_xy_error(r, &err);
	n = xy_city_index_range(v, n, from[0] ? from : NULL, to[0] ? to : NULL);
	if (!n) {
		free(v);
		return srv_error(r, 404, "notfound", NULL, 0, "没有城市信用监测数据");
	}
	/* the file `xinyong index chart -o` writes, through the spool */
	if (!spool_temp(r, png ? ".png" : ".svg", &path)) {
		if (xy_chart_save(v, n, path.data, &err))
			srv_xy_error(r, &err);
		else
			srv_file(r, path.data, png ? "image/png" : "image/svg+xml",
				 png ? "city-index.png" : "city-index.svg");
		unlink(path.data);
	}
	xy_buf_release(&path);
	free(v);
}

/* On the writer: xy_city_index_put, audited as the principal. */
static void index_put_run(srv_req *r, xy_store *s, xy_registry *reg, xy_credit *cr, bool *cr_open)
{
	srv_wjob *j = r->job_data;
	const xy_city_index *v = j->data;
	(void)reg, (void)cr, (void)cr_open;
	if (xy_city_index_put(s, r->who.who, v, &j->err))
		return;
	j->out = json_pack("{s:s,s:f,s:i}", "month", v->month, "score", v->score, "rank", v->rank);
	j->status = j->out ? 200 : 0;
	if (!j->out)
		xy_error_set(&j->err, XY_ERR_NOMEM, "out of memory");
}

/* A JSON member as the text xy_city_index_parse takes: a string as is, a
 * number printed; NULL when neither. */
static const char *num_text(json_t *v, char *buf, size_t n)
{
	if (json_is_string(v))
		return json_string_value(v);
	if (json_is_integer(v))
		snprintf(buf, n, "%lld", (long long)json_integer_value(v));
	else if (json_is_real(v))
		snprintf(buf, n, "%.10g", json_real_value(v));
	else
		return NULL;
	return buf;
}

void h_index_put(srv_req *r)
{
	if (!r->job_sent) {
		json_t *req = srv_body_object(r);
		char sb[64], rb[64];
		const char *month, *score, *rank;
		xy_city_index *v;
		xy_error err = XY_ERROR_INIT;
		if (!req)
			return;
		month = json_string_value(json_object_get(req, "month"));
		score = num_text(json_object_get(req, "score"), sb, sizeof sb);
		rank = num_text(json_object_get(req, "rank"), rb, sizeof rb);
		if (!month || !score || !rank) {
			json_decref(req);
			return srv_error(r, 422, "invalid", !month ? "month" : !score ? "score" : "rank",
					 0, "须给出 month（字符串）、score（0–100 的数）与 rank（≥1 的整数）");
		}
		if (!(v = malloc(sizeof *v))) {
			json_decref(req);
			return srv_error(r, 500, "nomem", NULL, 0, "服务器内存不足");
		}
		if (xy_city_index_parse(month, score, rank, v, &err)) {
			free(v);
			json_decref(req);
			return srv_xy_error(r, &err);
		}
		srv_wjob_send(r, req, v, free, index_put_run);
		return;
	}
	srv_wjob *j = srv_wjob_done(r);
	if (j)
		srv_wjob_answer(r, j);
}

/* ---- bulletins ---- */

static const char *const bulletin_exts[] = { "pdf", "html", "xlsx", NULL };

/* The bulletins' directory: DIR/bulletins under the report directory,
 * into out (created when create). */
static int bulletin_dir(xy_buf *out, bool create)
{
	if (create && mkdir(srv_S->cfg.reports, 0750) && errno != EEXIST) {
		srv_log_error("bulletins: cannot create %s: %s", srv_S->cfg.reports, strerror(errno));
		return -1;
	}
	if (xy_buf_addf(out, "%s/bulletins", srv_S->cfg.reports))
		return -1;
	if (create && mkdir(out->data, 0750) && errno != EEXIST) {
		srv_log_error("bulletins: cannot create %s: %s", out->data, strerror(errno));
		return -1;
	}
	return 0;
}

/* A bulletin's file name as this server makes them:
 * bulletin-ISSUE-YYYY-MM-DD.EXT, nothing else (no path can be named). */
static const char *bulletin_name_ext(const char *name)
{
	const char *p = name, *dot;
	char d[11];
	if (strncmp(p, "bulletin-", 9))
		return NULL;
	p += 9;
	if (*p < '1' || *p > '9')
		return NULL;
	while (*p >= '0' && *p <= '9')
		p++;
	if (*p++ != '-' || strlen(p) < 12 || p[10] != '.')
		return NULL;
	memcpy(d, p, 10);
	d[10] = '\0';
	if (xy_date_parse(d, d) || memcmp(d, p, 10))
		return NULL;
	dot = p + 10;
	for (size_t i = 0; bulletin_exts[i]; i++)
		if (!strcmp(dot + 1, bulletin_exts[i]))
			return bulletin_exts[i];
	return NULL;
}

static const char *bulletin_type(const char *ext)
{
	return !strcmp(ext, "pdf")    ? "application/pdf"
	       : !strcmp(ext, "html") ? "text/html; charset=utf-8"
				      : XLSX_TYPE;
}

/* On the writer (it may take seconds; reads go on): build from the writer's
 * store, the articles of the request, render and audit. */
static void bulletin_run(srv_req *r, xy_store *s, xy_registry *reg, xy_credit *cr,
			 bool *cr_open)
{
	srv_wjob *j = r->job_data;
	const char *ext = j->data;
	xy_bulletin_opts o;
	xy_bulletin *b = NULL;
	xy_buf dir = XY_BUF_INIT, path = XY_BUF_INIT, name = XY_BUF_INIT;
	json_t *arts = json_object_get(j->req, "articles"), *a;
	size_t i;
	(void)cr, (void)cr_open;
	memset(&o, 0, sizeof o);
	o.issue = (int)json_integer_value(json_object_get(j->req, "issue"));
	o.date = json_string_value(json_object_get(j->req, "date"));
	o.from = json_string_value(json_object_get(j->req, "from"));
	o.to = json_string_value(json_object_get(j->req, "to"));
	o.config_dir = srv_S->cfg.config_dir;
	if (xy_bulletin_build(s, reg, &o, &b, &j->err))
		goto done;
	json_array_foreach(arts, i, a) {
		const char *text = json_string_value(json_object_get(a, "text"));
		const char *sec = json_string_value(json_object_get(a, "section"));
		xy_buf_reset(&name);
		xy_buf_addf(&name, "article %03zu", i + 1); /* print order within a section */
		if (xy_bulletin_add_article(b, text, strlen(text), sec, name.data, &j->err)) {
			j->err.row = (long)i + 1;
			if (!j->err.field[0])
				snprintf(j->err.field, sizeof j->err.field, "articles");
			goto done;
		}
	}
	xy_bulletin_sort_articles(b);
	xy_buf_reset(&name);
	if (bulletin_dir(&dir, true) ||
	    xy_buf_addf(&name, "bulletin-%d-%s.%s", b->issue, b->date, ext) ||
	    xy_buf_addf(&path, "%s/%s", dir.data, name.data)) {
		xy_error_set(&j->err, XY_ERR_IO, "the report directory cannot be written");
		goto done;
	}
	if (xy_bulletin_publish(s, r->who.who, b, path.data, &j->err) ||
	    xy_view_bulletin(b, name.data, &j->out, &j->err))
		goto done;
	xy_buf_reset(&path);
	xy_buf_addf(&path, "/api/v1/bulletins/%s", name.data);
	json_object_set_new(j->out, "url", json_string(path.data));
	j->status = 201;
done:
	xy_bulletin_free(b);
	xy_buf_release(&dir);
	xy_buf_release(&path);
	xy_buf_release(&name);
}

void h_bulletin_create(srv_req *r)
{
	if (!r->job_sent) {
		json_t *req = srv_body_object(r), *arts, *a, *issue;
		const char *fmt, *bad = NULL, *ext = NULL;
		char d[11];
		size_t i;
		if (!req)
			return;
		issue = json_object_get(req, "issue");
		arts = json_object_get(req, "articles");
		fmt = json_string_value(json_object_get(req, "format"));
		if (!json_is_integer(issue) || json_integer_value(issue) < 1 ||
		    json_integer_value(issue) > 99999)
			bad = "issue";
		else if (!json_is_string(json_object_get(req, "date")) ||
			 xy_date_parse(json_string_value(json_object_get(req, "date")), d))
			bad = "date";
		else if ((json_object_get(req, "from") && !json_is_string(json_object_get(req, "from"))) ||
			 (json_object_get(req, "to") && !json_is_string(json_object_get(req, "to"))))
			bad = json_is_string(json_object_get(req, "from")) ? "to" : "from";
		else if (json_object_get(req, "format") && !fmt)
			bad = "format";
		else if (arts && !json_is_array(arts))
			bad = "articles";
		json_array_foreach(arts, i, a) {
			json_t *sec = json_object_get(a, "section");
			if (!bad && (!json_is_string(json_object_get(a, "text")) ||
				     (sec && !json_is_string(sec))))
				bad = "articles";
		}
		for (size_t k = 0; !bad && bulletin_exts[k]; k++)
			if (!strcmp(fmt ? fmt : "pdf", bulletin_exts[k]))
				ext = bulletin_exts[k];
		if (!bad && !ext)
			bad = "format";
		if (bad) {
			json_decref(req);
			return srv_error(r, 422, "invalid", bad, 0,
					 "须给出 issue（≥1 的整数）、date（YYYY-MM-DD）；from、to 为 "
					 "YYYY-MM；format 为 pdf、html 或 xlsx；articles 为 "
					 "[{\"text\",\"section\"?}]（问题字段：%s）", bad);
		}
		srv_wjob_send(r, req, (void *)ext, NULL, bulletin_run);
		return;
	}
	srv_wjob *j = srv_wjob_done(r);
	if (!j)
		return;
	if (!j->status && (j->err.code == XY_ERR_ARG || j->err.code == XY_ERR_NOTFOUND))
		j->err.code = XY_ERR_INVALID; /* a bad range or article: the request's */
	srv_wjob_answer(r, j);
}

void h_bulletin_get(srv_req *r)
{
	const char *name = r->params[0], *ext = bulletin_name_ext(name);
	xy_buf path = XY_BUF_INIT;
	struct stat st;
	if (!ext) /* anything else, ../ included, names no bulletin */
		return srv_error(r, 404, "notfound", "name", 0, "没有这期简报文件");
	if (bulletin_dir(&path, false) || xy_buf_addf(&path, "/%s", name)) {
		xy_buf_release(&path);
		return srv_error(r, 500, "nomem", NULL, 0, "服务器内存不足");
	}
	if (lstat(path.data, &st) || !S_ISREG(st.st_mode))
		srv_error(r, 404, "notfound", "name", 0, "没有这期简报文件");
	else
		srv_file(r, path.data, bulletin_type(ext), name);
	xy_buf_release(&path);
}
