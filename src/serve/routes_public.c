/* xinyong serve: the public's routes (公众) — the public view of the library,
 * disclosure rules applied there (docs/views.md). */
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

