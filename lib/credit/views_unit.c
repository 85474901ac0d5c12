/* xinyong: the source units' views (issue 9, views.h "a unit's own work"):
 * its logged checks and one check with its feedback, its cases filtered by
 * status, its watch list, a batch's rejected rows a page at a time.  The
 * server's unit routes and the CLI (`checks`, `repair|objection list
 * --unit`, `watch list`, `batches ID --after/--limit`) print these values. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "xinyong/text.h"
#include "xinyong/views.h"
#include "internal.h"
#include "views_internal.h"

/* ---- keyset cursors: a row id as decimal text ---- */

static xy_code cursor(const xy_view_page *pg, int64_t *out, xy_error *err)
{
	const char *s = pg ? pg->after : NULL;
	char *end;
	long long v;
	*out = 0;
	if (!s || !*s)
		return XY_OK;
	errno = 0;
	v = strtoll(s, &end, 10);
	if (*end || errno || v <= 0 || s[0] == '+' || s[0] == ' ')
		return xy_error_at(err, XY_ERR_ARG, NULL, 0, "after",
				   "'%s' is not a cursor of this list (a \"next\" value)", s);
	*out = v;
	return XY_OK;
}

static json_t *next_of(int64_t last, size_t got, size_t limit)
{
	if (got < limit || !last)
		return json_null();
	char b[24];
	snprintf(b, sizeof b, "%lld", (long long)last);
	return json_string(b);
}

static size_t page_limit(const xy_view_page *pg, size_t dflt, size_t max)
{
	size_t n = pg && pg->limit ? pg->limit : dflt;
	return n > max ? max : n;
}

/* ---- checks ---- */

struct checks_acc {
	xy_store *s;
	json_t *arr;
	int64_t last;
	size_t got;
	xy_code rc;
	xy_error *err;
};

static int on_check(void *ctx, const xy_check_row *c, const char *answer)
{
	struct checks_acc *a = ctx;
	json_error_t jerr;
	json_t *ans = json_loads(answer, 0, &jerr), *o;
	long fb = 0;
	if (!ans) {
		a->rc = xy_error_set(a->err, XY_ERR_STORE, "check %lld has an unreadable answer",
				     (long long)c->id);
		return 1;
	}
	if ((a->rc = xy_store_feedback_count(a->s, c->id, &fb, a->err))) {
		json_decref(ans);
		return 1;
	}
	o = json_pack("{s:I,s:o,s:O,s:o,s:o,s:s,s:s,s:O,s:i,s:i}", "check_id", (json_int_t)c->id,
		      "subject", xy_json_text(c->subject_code, NULL), "subject_name",
		      json_object_get(ans, "subject_name") ?: json_null(), "unit",
		      xy_json_text(c->unit, NULL), "matter", xy__opt_str(c->matter), "date",
		      c->date, "at", c->at, "answer",
		      json_object_get(ans, "answer") ?: json_null(), "measures",
		      (int)json_array_size(json_object_get(ans, "measures")), "feedback", (int)fb);
	json_decref(ans);
	if (!o || json_array_append_new(a->arr, o)) {
		a->rc = xy__view_nomem(a->err);
		return 1;
	}
	a->last = c->id;
	a->got++;
	return 0;
}

xy_code xy_view_checks(xy_credit *c, const char *unit, const xy_view_page *pg, json_t **out,
		       xy_error *err)
{
	const xy_unit *u = NULL;
	int64_t before;
	size_t limit = page_limit(pg, 20, 100);
	struct checks_acc a = { c->store, NULL, 0, 0, XY_OK, err };
	xy_code rc;
	*out = NULL;
	if (unit && (rc = xy__credit_unit(c->reg, unit, "unit", &u, err)))
		return rc;
	if ((rc = cursor(pg, &before, err)))
		return rc;
	if (!(a.arr = json_array()))
		return xy__view_nomem(err);
	rc = xy_store_checks(c->store, u ? u->id : 0, before, limit, on_check, &a, err);
	if (!rc)
		rc = a.rc;
	if (!rc && !(*out = json_pack("{s:o,s:O,s:o}", "unit", u ? json_string(u->name) : json_null(),
				      "checks", a.arr, "next", next_of(a.last, a.got, limit))))
		rc = xy__view_nomem(err);
	json_decref(a.arr);
	return rc;
}

static int on_feedback(void *ctx, const xy_feedback_row *f, const char *at)
{
	json_t *o = json_pack("{s:o,s:i,s:b,s:s,s:o,s:o,s:s}", "memorandum",
			      xy_json_text(f->memorandum, NULL), "number", f->number, "applied",
			      f->applied, "status", f->applied ? "已采取" : "未采取", "result",
			      xy__opt_str(f->result), "reason", xy__opt_str(f->reason), "at", at);
	if (!o || json_array_append_new(ctx, o))
		return 1;
	return 0;
}

xy_code xy_view_check_get(xy_credit *c, int64_t id, json_t **out, xy_error *err)
{
	XY_AUTO(xy_check_row, ck);
	xy_buf ans = XY_BUF_INIT;
	json_error_t jerr;
	json_t *o = NULL, *fb = NULL;
	xy_code rc;
	*out = NULL;
	rc = xy_store_check_get(c->store, id, &ck, &ans, err);
	if (rc == XY_ERR_NOTFOUND)
		rc = xy_error_at(err, XY_ERR_NOTFOUND, NULL, 0, "check", "no check %lld",
				 (long long)id);
	if (rc)
		goto out;
	if (!(o = json_loadb(ans.data, ans.len, 0, &jerr)) || !json_is_object(o)) {
		rc = xy_error_set(err, XY_ERR_STORE, "check %lld has an unreadable answer",
				  (long long)id);
		goto out;
	}
	/* the answer as logged, under the id it was logged with (as the check
	 * answered it) */
	if (!(fb = json_array()) || json_object_set_new(o, "check_id", json_integer(id)) ||
	    json_object_set_new(o, "at", json_string(ck.at))) {
		rc = xy__view_nomem(err);
		goto out;
	}
	if ((rc = xy_store_feedbacks(c->store, id, on_feedback, fb, err)))
		goto out;
	if (json_object_set(o, "feedback", fb)) {
		rc = xy__view_nomem(err);
		goto out;
	}
	*out = o;
	o = NULL;
out:
	json_decref(o);
	json_decref(fb);
	xy_buf_release(&ans);
	return rc;
}

/* ---- cases ---- */

static bool is_step(const char *s)
{
	static const char *const steps[] = { "申请", "受理", "审核", "通过", "不通过",
					     "更正", "维持", "撤销" };
	for (size_t i = 0; i < sizeof steps / sizeof steps[0]; i++)
		if (!strcmp(s, steps[i]))
			return true;
	return false;
}

static bool case_matches(json_t *cs, const char *unit, const char *status)
{
	if (unit && strcmp(json_string_value(json_object_get(cs, "unit")) ?: "", unit))
		return false;
	if (!status)
		return true;
	if (!strcmp(status, "open"))
		return json_is_true(json_object_get(cs, "open"));
	if (!strcmp(status, "closed"))
		return !json_is_true(json_object_get(cs, "open"));
	if (!strcmp(status, "overdue"))
		return json_is_true(json_object_get(cs, "overdue"));
	return !strcmp(json_string_value(json_object_get(cs, "step")) ?: "", status);
}

xy_code xy_view_unit_cases(xy_repairs *rp, const char *kind, const char *unit,
			   const char *status, const char *date, json_t **out, xy_error *err)
{
	const xy_unit *u = NULL;
	json_t *all = NULL, *arr, *keep, *cs;
	size_t i;
	xy_code rc;
	*out = NULL;
	if (status && strcmp(status, "open") && strcmp(status, "closed") &&
	    strcmp(status, "overdue") && !is_step(status))
		return xy_error_at(err, XY_ERR_ARG, NULL, 0, "status",
				   "status '%s' is none of open, closed, overdue or a step "
				   "(申请 受理 审核 通过 不通过 更正 维持 撤销)", status);
	if (unit && (rc = xy__credit_unit(rp->credit->reg, unit, "unit", &u, err)))
		return rc;
	if ((rc = xy_view_cases(rp, kind, false, date, &all, err)))
		return rc;
	arr = json_object_get(all, !strcmp(kind, "repair") ? "repairs" : "objections");
	if (!(keep = json_array())) {
		json_decref(all);
		return xy__view_nomem(err);
	}
	json_array_foreach(arr, i, cs) {
		if (case_matches(cs, u ? u->name : NULL, status) && json_array_append(keep, cs)) {
			json_decref(keep);
			json_decref(all);
			return xy__view_nomem(err);
		}
	}
	json_object_set_new(all, !strcmp(kind, "repair") ? "repairs" : "objections", keep);
	*out = all;
	return XY_OK;
}

/* ---- the watch list ---- */

static int on_watch(void *ctx, const xy_watch_row *w)
{
	json_t *o = json_pack("{s:o,s:o,s:s}", "subject", xy_json_text(w->subject_code, NULL),
			      "name", xy_json_text(w->subject_name, NULL), "since", w->created_at);
	if (!o || json_array_append_new(ctx, o))
		return 1;
	return 0;
}

xy_code xy_view_watches(xy_store *s, const xy_registry *reg, const char *unit, json_t **out,
			xy_error *err)
{
	const xy_unit *u;
	json_t *arr;
	xy_code rc;
	*out = NULL;
	if ((rc = xy__credit_unit(reg, unit, "unit", &u, err)))
		return rc;
	if (!(arr = json_array()))
		return xy__view_nomem(err);
	if ((rc = xy_store_watches(s, u->id, on_watch, arr, err))) {
		json_decref(arr);
		return rc;
	}
	if (!(*out = json_pack("{s:s,s:o}", "unit", u->name, "watching", arr)))
		return xy__view_nomem(err);
	return XY_OK;
}

/* ---- a batch's rejected rows, a page at a time ---- */

struct berr_acc {
	json_t *arr;
	int64_t last;
	size_t got;
	bool failed;
};

static int on_berr(void *ctx, int64_t id, const xy_batch_error *e)
{
	struct berr_acc *a = ctx;
	json_t *o = json_pack("{s:i,s:o,s:o,s:o,s:o,s:o}", "row", (int)e->row, "sheet",
			      xy_json_text(e->sheet, NULL), "column", xy_json_text(e->column, NULL),
			      "value", xy_json_text(e->value ? e->value : "", NULL), "reason_zh",
			      xy_json_text(e->reason_zh ? e->reason_zh : "", NULL), "reason_en",
			      xy_json_text(e->reason_en ? e->reason_en : "", NULL));
	if (!o || json_array_append_new(a->arr, o)) {
		a->failed = true;
		return 1;
	}
	a->last = id;
	a->got++;
	return 0;
}

xy_code xy_view_batch_page(xy_store *s, const xy_registry *reg, int64_t id,
			   const xy_view_page *pg, json_t **out, xy_error *err)
{
	XY_AUTO(xy_batch, b);
	struct berr_acc a = { NULL, 0, 0, false };
	size_t limit = page_limit(pg, 100, 1000);
	int64_t after;
	json_t *o = NULL;
	xy_code rc;
	*out = NULL;
	if ((rc = cursor(pg, &after, err)))
		return rc;
	if ((rc = xy_store_batch_get(s, id, &b, err)) || (rc = xy_batch_summary(s, reg, &b, &o, err)))
		return rc;
	if (!(a.arr = json_array()) || json_object_set_new(o, "errors", a.arr)) {
		json_decref(o);
		return xy__view_nomem(err);
	}
	if (!(rc = xy_store_batch_errors_page(s, id, after, limit, on_berr, &a, err)) && a.failed)
		rc = xy__view_nomem(err);
	if (!rc && json_object_set_new(o, "next", next_of(a.last, a.got, limit)))
		rc = xy__view_nomem(err);
	if (rc) {
		json_decref(o);
		return rc;
	}
	*out = o;
	return XY_OK;
}
