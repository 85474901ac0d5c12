/* xinyong: the views every front end renders (views.h), and the disclosure
 * rules of the public view, once.  The profile is in profile.c; this file
 * holds the rules and the smaller views. */
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "views_internal.h"
#include "xinyong/codes.h"
#include "xinyong/gov_dishonesty.h"
#include "xinyong/ingest.h"
#include "xinyong/text.h"
#include "xinyong/views.h"

/* ---- helpers ---- */

/* s, or "" for NULL: row fields may be arrays or pointers (store.h) */
static const char *nz(const char *s)
{
	return s ? s : "";
}

json_t *xy__opt_str(const char *s)
{
	return s && *s ? json_string(s) : json_null();
}

xy_code xy__view_nomem(xy_error *err)
{
	return xy_error_set(err, XY_ERR_NOMEM,
			    "a JSON answer could not be built (out of memory or a value that "
			    "is not UTF-8)");
}

xy_code xy__view_date(const xy_view_opts *o, char d[11], xy_error *err)
{
	return xy__credit_date(o ? o->asof : NULL, d, "as_of", err);
}

/* An array filled by a store callback: a value that could not be built or
 * appended stops the walk and is remembered (the store returns XY_OK then). */
struct jacc {
	json_t *arr;
	bool failed;
};

static int jacc_add(struct jacc *a, json_t *v)
{
	if (json_array_append_new(a->arr, v)) {
		a->failed = true;
		return 1;
	}
	return 0;
}

/* ---- the disclosure rules ---- */

/* A string that is a 身份证号 (full, or a mask that may show more than the
 * public form) in its public form. */
static xy_code mask_string(json_t *v)
{
	char pub[XY_ID_MAX];
	if (json_string_length(v) >= XY_ID_MAX)
		return XY_OK; /* far longer than any identifier */
	if (xy_id_guess(json_string_value(v)) != XY_ID_RIC)
		return XY_OK;
	xy_id_public(json_string_value(v), pub, sizeof pub);
	return json_string_set(v, pub) ? XY_ERR_NOMEM : XY_OK;
}

xy_code xy_view_public_values(json_t *v, xy_error *err)
{
	const char *k;
	json_t *m;
	void *tmp;
	size_t i;
	if (json_is_string(v))
		return mask_string(v) ? xy__view_nomem(err) : XY_OK;
	if (json_is_array(v)) {
		json_array_foreach(v, i, m)
			if (xy_view_public_values(m, err))
				return err ? err->code : XY_ERR_NOMEM;
		return XY_OK;
	}
	if (!json_is_object(v))
		return XY_OK;
	/* "_extra": columns that were no field of the category — nobody checked
	 * them, so nothing says they may be published */
	json_object_del(v, "_extra");
	json_object_foreach_safe(v, tmp, k, m)
		if (xy_view_public_values(m, err))
			return err ? err->code : XY_ERR_NOMEM;
	return XY_OK;
}

void xy__public_drop(json_t *o, const char *const *keys)
{
	for (; *keys; keys++)
		json_object_del(o, *keys);
}

/* The code the public sees: a 身份证号 (or an operator's "number name" code)
 * masked, a USCC as it is. */
json_t *xy__subject_code(const xy_subject *s, bool public_view)
{
	xy_buf num = XY_BUF_INIT;
	char pub[XY_ID_MAX];
	json_t *j;
	if (!public_view || s->kind == XY_SUBJ_LEGAL || !strcmp(s->code_type, "uscc"))
		return json_string(s->code);
	if (xy_subject_number(s, &num))
		return NULL;
	xy_id_public(num.data ? num.data : "", pub, sizeof pub);
	xy_buf_release(&num);
	j = json_string(pub);
	return j;
}

bool xy__entry_public(const xy_sanctions *cat, const char *list_type, xy_entry_status st)
{
	const xy_list_type *lt = xy_sanctions_list_type(cat, list_type);
	/* a 重点关注名单 is a supervision tool, not a published list; an entry that
	 * expired or exited has left publication like a repaired record */
	return st == XY_ENTRY_ACTIVE && !(lt && lt->kind == XY_LIST_WATCH);
}

xy_entry_status xy__entry_status(const xy_entry_row *e, const char *date)
{
	xy_exit x = XY_EXIT_NONE;
	xy_list_entry le;
	xy_exit_parse(e->exit_how, &x);
	le = (xy_list_entry){ e->list_type, e->doc, e->from, e->to, x, e->exit_date, XY_VIA_OWN,
			      0, NULL };
	return xy_entry_status_on(&le, date);
}

/* ---- keyset pages ---- */

xy_code xy__page_args(const xy_view_page *pg, int64_t *after, size_t *limit, xy_error *err)
{
	*after = 0;
	*limit = pg && pg->limit ? (pg->limit > 100 ? 100 : pg->limit) : 20;
	if (pg && pg->after && *pg->after) {
		char *end;
		errno = 0;
		long long v = strtoll(pg->after, &end, 10);
		if (*end || errno || v <= 0 || !isdigit((unsigned char)pg->after[0]))
			return xy_error_at(err, XY_ERR_ARG, NULL, 0, "after",
					   "'%s' is not a cursor of this list", pg->after);
		*after = v;
	}
	return XY_OK;
}

/* ---- subject search ---- */

json_t *xy__subject_item(const xy_registry *reg, const xy_subject *s, bool public_view)
{
	const xy_unit *u = s->division[0] ? xy_registry_unit_by_division(reg, s->division) : NULL;
	return json_pack("{s:o,s:s,s:s,s:s,s:s,s:o,s:o}", "code", xy__subject_code(s, public_view),
			 "code_type", s->code_type, "kind", xy_subject_kind_name(s->kind), "kind_zh",
			 xy_subject_kind_name_zh(s->kind), "name", s->name, "division",
			 xy__opt_str(s->division), "district", u ? json_string(u->name) : json_null());
}

/* Whether q, normalised, has the shape of an identifier (USCC, 身份证号,
 * 工商注册号, organisation code, or a mask of digits and '*'). */
static bool looks_like_id(const char *q)
{
	char norm[XY_ID_MAX];
	size_t n;
	if (strlen(q) >= XY_ID_MAX)
		return false;
	n = xy_id_normalize(q, norm, sizeof norm);
	return (n == 9 || n == 15 || n == 18 || strchr(norm, '*')) && n >= 8 && n <= 18 &&
	       strspn(norm, "0123456789ABCDEFGHJKLMNPQRTUWXY*") == n;
}

xy_code xy_view_search(xy_store *s, const xy_registry *reg, const char *q, const xy_view_opts *o,
		       const xy_view_page *pg, json_t **out, xy_error *err)
{
	bool pub = o && o->public_view;
	size_t limit;
	xy_subject *v = NULL;
	size_t n = 0, i;
	int64_t after = 0;
	json_t *items, *res;
	bool more = false;
	xy_code rc;

	*out = NULL;
	if (!q)
		return xy_error_at(err, XY_ERR_ARG, NULL, 0, "q", "no search text given");
	if ((rc = xy__page_args(pg, &after, &limit, err)))
		return rc;
	if (!after && strchr(q, '*') && looks_like_id(q)) {
		/* a mask: the masked subjects with that mask */
		if ((rc = xy_store_subject_find(s, q, limit, &v, &n, err)))
			return rc;
	} else if (!after && looks_like_id(q)) {
		/* an identifier: its subject, if stored */
		char norm[XY_ID_MAX];
		xy_id_normalize(q, norm, sizeof norm);
		if (!(v = calloc(1, sizeof *v)))
			return xy__view_nomem(err);
		rc = xy_store_subject_by_code(s, norm, v, err);
		if (rc && rc != XY_ERR_NOTFOUND) {
			free(v);
			return rc;
		}
		n = rc ? 0 : 1;
	} else if ((rc = xy_store_subject_search(s, q, after, limit + 1,
						 pub && !(pg && pg->person_names), &v, &n, err))) {
		return rc;
	} else if (n > limit) {
		more = true;
	}
	items = json_array();
	for (i = 0; i < n && i < limit && items; i++)
		if (json_array_append_new(items, xy__subject_item(reg, &v[i], pub))) {
			json_decref(items);
			items = NULL;
		}
	res = items ? json_pack("{s:s,s:o,s:o}", "query", q, "items", items, "next",
				more ? json_sprintf("%lld", (long long)v[limit - 1].id)
				     : json_null())
		    : NULL;
	xy_subjects_free(v, n);
	if (!res)
		return xy__view_nomem(err);
	/* the echoed query too: a response never carries a full 身份证号 */
	if (pub && (rc = xy_view_public_values(res, err))) {
		json_decref(res);
		return rc;
	}
	*out = res;
	return XY_OK;
}

/* ---- list entries ---- */

struct entries {
	xy_credit *c;
	const char *date;
	bool all, pub;
	json_t *arr;
	xy_error *err;
	xy_code rc;
	size_t limit;   /* a page's size; 0: every entry */
	bool more;      /* an entry beyond the page would be shown */
	int64_t last;   /* the page's last entry */
};

static int hist_json(void *ctx, const xy_entry_event *ev)
{
	return jacc_add(ctx, json_pack("{s:s,s:s,s:s}", "at", ev->at, "action",
						    ev->action, "detail", ev->detail ? ev->detail : ""));
}

static int person_json(void *ctx, const xy_entry_person *p)
{
	return jacc_add(ctx, json_pack("{s:s,s:s,s:s}", "role", p->role, "code",
						    p->code, "name", p->name));
}

static int on_entry(void *ctx, const xy_entry_row *e)
{
	static const char *const internal[] = { "reason", "history", NULL };
	struct entries *x = ctx;
	xy_entry_status st = xy__entry_status(e, x->date);
	json_t *j, *h, *p;
	if (x->pub ? !xy__entry_public(&x->c->cat, e->list_type, st)
		   : !x->all && st != XY_ENTRY_ACTIVE)
		return 0;
	if (x->limit && json_array_size(x->arr) == x->limit) {
		x->more = true; /* the page is full and one more follows */
		return 1;
	}
	x->last = e->id;
	j = json_pack("{s:I,s:s,s:s,s:s,s:s,s:s,s:s,s:o,s:o,s:o,s:s,s:s}", "entry",
		      (json_int_t)e->id, "list_type", e->list_type, "subject", e->subject_code,
		      "name", e->subject_name, "unit", e->unit, "doc", e->doc, "from", e->from,
		      "to", xy__opt_str(e->to), "exit", xy__opt_str(e->exit_how), "exit_date",
		      xy__opt_str(e->exit_date), "status", xy_entry_status_name(st), "reason",
		      nz(e->reason));
	h = json_array();
	p = json_array();
	if (!j || !h || !p) {
		json_decref(j);
		json_decref(h);
		json_decref(p);
		x->rc = xy__view_nomem(x->err);
		return 1;
	}
	struct jacc pa = { p, false }, ha = { h, false };
	json_object_set_new(j, "persons", p);
	json_object_set_new(j, "history", h);
	if ((x->rc = xy_store_entry_persons(x->c->store, e->id, person_json, &pa, x->err)) ||
	    (x->rc = xy_store_entry_history(x->c->store, e->id, hist_json, &ha, x->err)) ||
	    ((pa.failed || ha.failed) && (x->rc = xy__view_nomem(x->err)))) {
		json_decref(j);
		return 1;
	}
	if (x->pub)
		xy__public_drop(j, internal);
	if (json_array_append_new(x->arr, j)) {
		x->rc = xy__view_nomem(x->err);
		return 1;
	}
	return 0;
}

/* The entries of a list, every one (pg NULL) or a keyset page. */
static xy_code entries(xy_credit *c, const char *list_type, bool all, const xy_view_opts *o,
		       const xy_view_page *pg, json_t **out, xy_error *err)
{
	struct entries x = { c, NULL, all, o && o->public_view, NULL, err, XY_OK, 0, false, 0 };
	const xy_list_type *lt = NULL;
	int64_t after = 0;
	char d[11];
	xy_code rc;
	*out = NULL;
	if ((rc = xy__view_date(o, d, err)) ||
	    (pg && (rc = xy__page_args(pg, &after, &x.limit, err))))
		return rc;
	if (list_type && (!(lt = xy_sanctions_list_type(&c->cat, list_type)) ||
			  (x.pub && lt->kind == XY_LIST_WATCH)))
		return xy_error_at(err, XY_ERR_NOTFOUND, NULL, 0, "type",
				   "unknown list type '%s' (list-types.tsv)", list_type);
	x.date = d;
	if (!(x.arr = json_array()))
		return xy__view_nomem(err);
	if ((rc = xy_store_entries_after(c->store, list_type, after, on_entry, &x, err)) ||
	    (rc = x.rc) || (x.pub && (rc = xy_view_public_values(x.arr, err)))) {
		json_decref(x.arr);
		return rc;
	}
	if (!(*out = json_pack("{s:s,s:o}", "as_of", d, "entries", x.arr)) ||
	    (pg && json_object_set_new(*out, "next",
				       x.more ? json_sprintf("%lld", (long long)x.last)
					      : json_null()))) {
		json_decref(*out);
		*out = NULL;
		return xy__view_nomem(err);
	}
	return XY_OK;
}

xy_code xy_view_entries(xy_credit *c, const char *list_type, bool all, const xy_view_opts *o,
			json_t **out, xy_error *err)
{
	return entries(c, list_type, all, o, NULL, out, err);
}

xy_code xy_view_entries_page(xy_credit *c, const char *list_type, const xy_view_opts *o,
			     const xy_view_page *pg, json_t **out, xy_error *err)
{
	static const xy_view_page first = { NULL, 0, false };
	return entries(c, list_type, false, o, pg ? pg : &first, out, err);
}

/* ---- the check ---- */

static xy_code parse_answer(const xy_buf *b, json_t **out, xy_error *err)
{
	json_error_t jerr;
	if (!(*out = json_loadb(b->data ? b->data : "", b->len, 0, &jerr)))
		return xy_error_set(err, XY_ERR_FORMAT, "an answer could not be read back: %s",
				    jerr.text);
	return XY_OK;
}

xy_code xy_view_check(xy_credit *c, const char *subject, const char *unit, const char *matter,
		      const char *date, json_t **out, xy_error *err)
{
	int64_t id = 0;
	return xy__credit_check_json(c, subject, unit, matter, date, &id, out, err);
}

/* ---- cases ---- */

xy_code xy_view_case(xy_repairs *rp, int64_t id, const char *date, json_t **out, xy_error *err)
{
	xy_buf b = XY_BUF_INIT;
	xy_code rc = xy_case_json(rp, id, date, &b, err);
	*out = NULL;
	if (!rc)
		rc = parse_answer(&b, out, err);
	xy_buf_release(&b);
	return rc;
}

xy_code xy_view_cases(xy_repairs *rp, const char *kind, bool overdue_only, const char *date,
		      json_t **out, xy_error *err)
{
	xy_buf b = XY_BUF_INIT;
	json_t *arr = NULL;
	xy_code rc;
	*out = NULL;
	if (!kind || (strcmp(kind, "repair") && strcmp(kind, "objection")))
		return xy_error_at(err, XY_ERR_ARG, NULL, 0, "kind",
				   "a case is a repair or an objection");
	if (!(rc = xy_cases_json(rp, kind, overdue_only, date, &b, err)))
		rc = parse_answer(&b, &arr, err);
	xy_buf_release(&b);
	if (rc)
		return rc;
	if (!(*out = json_pack("{s:o}", !strcmp(kind, "repair") ? "repairs" : "objections", arr)))
		return xy__view_nomem(err);
	return XY_OK;
}

/* ---- batches ---- */

xy_code xy_view_batches(xy_store *s, const xy_registry *reg, const char *unit, size_t limit,
			json_t **out, xy_error *err)
{
	const xy_unit *u = NULL;
	xy_batch *v = NULL;
	size_t n = 0, i, kept = 0;
	json_t *arr;
	xy_code rc;
	*out = NULL;
	if (unit && (rc = xy__credit_unit(reg, unit, "unit", &u, err)))
		return rc;
	/* the store lists every unit's batches: a unit's newest come after a filter */
	if ((rc = xy_store_batches(s, u ? 0 : limit, &v, &n, err)))
		return rc;
	if (!(arr = json_array())) {
		xy_batches_free(v, n);
		return xy__view_nomem(err);
	}
	for (i = 0; i < n && (!limit || kept < limit); i++) {
		json_t *b = NULL;
		if (u && v[i].unit_id != u->id)
			continue;
		if ((rc = xy_batch_summary(s, reg, &v[i], &b, err)))
			break;
		if (json_array_append_new(arr, b)) {
			rc = xy__view_nomem(err);
			break;
		}
		kept++;
	}
	xy_batches_free(v, n);
	if (rc) {
		json_decref(arr);
		return rc;
	}
	*out = arr;
	return XY_OK;
}

static int batch_error_json(void *ctx, const xy_batch_error *e)
{
	return jacc_add(ctx, json_pack("{s:i,s:o,s:o,s:o,s:o,s:o}", "row", (int)e->row, "sheet",
			       xy_json_text(e->sheet, NULL), "column", xy_json_text(e->column, NULL),
			       "value", xy_json_text(e->value ? e->value : "", NULL), "reason_zh",
			       xy_json_text(e->reason_zh ? e->reason_zh : "", NULL), "reason_en",
			       xy_json_text(e->reason_en ? e->reason_en : "", NULL)));
}

xy_code xy_view_batch(xy_store *s, const xy_registry *reg, int64_t id, json_t **out,
		      xy_error *err)
{
	XY_AUTO(xy_batch, b); /* owns its strings (store.h) */
	json_t *o = NULL, *errs;
	xy_code rc;
	*out = NULL;
	if ((rc = xy_store_batch_get(s, id, &b, err)) || (rc = xy_batch_summary(s, reg, &b, &o, err)))
		return rc;
	if (!(errs = json_array()) || json_object_set_new(o, "errors", errs)) {
		json_decref(o);
		return xy__view_nomem(err);
	}
	struct jacc ea = { errs, false };
	if (!(rc = xy_store_batch_errors(s, id, batch_error_json, &ea, err)) && ea.failed)
		rc = xy__view_nomem(err);
	if (rc) {
		json_decref(o);
		return rc;
	}
	*out = o;
	return XY_OK;
}

/* ---- commitments ---- */

static int check_json(void *ctx, const xy_commitment_check *v)
{
	return jacc_add(ctx, json_pack("{s:s,s:s,s:s,s:o,s:o,s:o,s:s}", "date", v->on, "result",
				      v->result, "by", v->by, "note", xy__opt_str(v->note), "entry",
				      v->entry_id ? json_integer((json_int_t)v->entry_id) : json_null(),
				      "record", xy__opt_str(v->record_key), "at", v->at));
}

json_t *xy__commitment_json(xy_commitments *cm, const xy_commitment_row *r, const char *date,
			    bool public_view, xy_error *err)
{
	xy_commitment_status st;
	json_t *j, *checks = NULL;
	if (xy_commitment_status_on(cm, r, date, &st, err))
		return NULL;
	if (!public_view) {
		/* the checks (核查) are the office's work, not 信用承诺公示 */
		if (!(checks = json_array())) {
			xy__view_nomem(err);
			return NULL;
		}
		struct jacc ca = { checks, false };
		if (xy_store_commitment_checks(cm->credit->store, r->id, check_json, &ca, err) ||
		    (ca.failed && xy__view_nomem(err))) {
			json_decref(checks);
			return NULL;
		}
	}
	j = json_pack("{s:I,s:s,s:s,s:s,s:s,s:s,s:o,s:s,s:o,s:o,s:s,s:s}", "id",
		      (json_int_t)r->id, "no", r->no, "type", r->type, "subject", r->subject_code,
		      "name", r->subject_name, "unit", r->unit, "matter", xy__opt_str(r->matter),
		      "date", r->signed_on, "deadline", xy__opt_str(r->deadline), "content",
		      xy__opt_str(r->content), "status", xy_commitment_status_name(st), "status_zh",
		      xy_commitment_status_name_zh(st));
	if (j && checks && json_object_set_new(j, "checks", checks)) {
		json_decref(j);
		j = NULL;
	} else if (!j) {
		json_decref(checks);
	}
	if (j && public_view && xy_view_public_values(j, err)) {
		json_decref(j);
		return NULL;
	}
	if (!j)
		xy__view_nomem(err);
	return j;
}

xy_code xy_view_commitment(xy_commitments *cm, int64_t id, const xy_view_opts *o, json_t **out,
			   xy_error *err)
{
	xy_commitment_row *r;
	char d[11];
	xy_code rc;
	*out = NULL;
	if ((rc = xy__view_date(o, d, err)))
		return rc;
	if (!(r = calloc(1, sizeof *r)))
		return xy__view_nomem(err);
	if (!(rc = xy_store_commitment_get(cm->credit->store, id, r, err)) &&
	    !(*out = xy__commitment_json(cm, r, d, o && o->public_view, err)))
		rc = err && err->code ? err->code : XY_ERR_NOMEM;
	xy_commitment_row_release(r);
	free(r);
	return rc;
}

struct commitments {
	xy_commitments *cm;
	const char *date;
	int status; /* -1: any */
	bool pub;
	json_t *arr;
	xy_error *err;
	xy_code rc;
};

static int on_commitment(void *ctx, const xy_commitment_row *r)
{
	struct commitments *l = ctx;
	xy_commitment_status st;
	json_t *j;
	if ((l->rc = xy_commitment_status_on(l->cm, r, l->date, &st, l->err)))
		return 1;
	if (st == XY_CN_UNSIGNED || (l->status >= 0 && (int)st != l->status))
		return 0;
	if (!(j = xy__commitment_json(l->cm, r, l->date, l->pub, l->err))) {
		l->rc = l->err && l->err->code ? l->err->code : XY_ERR_NOMEM;
		return 1;
	}
	if (json_array_append_new(l->arr, j)) {
		l->rc = xy__view_nomem(l->err);
		return 1;
	}
	return 0;
}

xy_code xy_view_commitments(xy_commitments *cm, const char *unit, const char *subject,
			    const char *status, const xy_view_opts *o, json_t **out,
			    xy_error *err)
{
	struct commitments l = { cm, NULL, -1, o && o->public_view, NULL, err, XY_OK };
	const xy_unit *u = NULL;
	XY_SUBJECT_AUTO(subj);
	char d[11];
	xy_code rc;
	*out = NULL;
	if (status) {
		for (int i = XY_CN_PENDING; i <= XY_CN_BREACHED; i++)
			if (!strcmp(status, xy_commitment_status_name(i)) ||
			    !strcmp(status, xy_commitment_status_name_zh(i)))
				l.status = i;
		if (l.status < 0)
			return xy_error_at(err, XY_ERR_ARG, NULL, 0, "status",
					   "status is pending, overdue, kept or breached (待核查 "
					   "逾期未核查 履约 未履约), not '%s'", status);
	}
	if ((rc = xy__view_date(o, d, err)) ||
	    (unit && (rc = xy__credit_unit(cm->credit->reg, unit, "unit", &u, err))) ||
	    (subject && (rc = xy_credit_subject(cm->credit, subject, &subj, err))))
		return rc;
	l.date = d;
	if (!(l.arr = json_array()))
		return xy__view_nomem(err);
	if ((rc = xy_store_commitments(cm->credit->store, u ? u->id : 0, subject ? subj.id : 0,
				       on_commitment, &l, err)) || (rc = l.rc)) {
		json_decref(l.arr);
		return rc;
	}
	if (!(*out = json_pack("{s:s,s:o}", "as_of", d, "commitments", l.arr)))
		return xy__view_nomem(err);
	return XY_OK;
}

/* ---- government dishonesty ---- */

static int gov_dishonesty_hist_json(void *ctx, const xy_gov_dishonesty_event *ev)
{
	return jacc_add(ctx, json_pack("{s:s,s:s,s:o,s:s}", "status", ev->status,
						    "date", ev->on, "evidence",
						    xy__opt_str(ev->evidence), "at", ev->at));
}

json_t *xy__gov_dishonesty_json(xy_store *s, const xy_gov_dishonesty_row *g, const char *date,
			 bool public_view, xy_error *err)
{
	/* who is owed, how much, notes and the steps are the office's file, not
	 * what 政务诚信 publishes */
	static const char *const internal[] = { "creditor", "creditor_name", "amount", "note",
						"history", NULL };
	char st[16];
	json_t *h, *j;
	if (xy_gov_dishonesty_status_on(s, g->id, date, st, err))
		return NULL;
	if (!(h = json_array())) {
		xy__view_nomem(err);
		return NULL;
	}
	struct jacc ha = { h, false };
	if (xy_store_gov_dishonesty_history(s, g->id, gov_dishonesty_hist_json, &ha, err) ||
	    (ha.failed && xy__view_nomem(err))) {
		json_decref(h);
		return NULL;
	}
	j = json_pack("{s:I,s:s,s:s,s:s,s:o,s:o,s:s,s:o,s:s,s:s,s:o,s:o,s:b,s:o}", "id",
		      (json_int_t)g->id, "body", g->body_code, "body_name", g->body_name,
		      "district", g->unit, "creditor", xy__opt_str(g->creditor_code),
		      "creditor_name", xy__opt_str(g->creditor_name), "case_type", g->case_type,
		      "amount", xy__opt_str(g->amount), "source", g->source, "date",
		      g->registered_on, "note", xy__opt_str(g->note), "status", xy__opt_str(st),
		      "open", xy_gov_dishonesty_open_on(g, date), "history", h);
	if (!j) {
		xy__view_nomem(err);
		return NULL;
	}
	if (public_view) {
		xy__public_drop(j, internal);
		if (xy_view_public_values(j, err)) {
			json_decref(j);
			return NULL;
		}
	}
	return j;
}

xy_code xy_view_gov_dishonesty(xy_store *s, int64_t id, const xy_view_opts *o, json_t **out,
			xy_error *err)
{
	xy_gov_dishonesty_row *g;
	char d[11];
	xy_code rc;
	*out = NULL;
	if ((rc = xy__view_date(o, d, err)))
		return rc;
	if (!(g = calloc(1, sizeof *g)))
		return xy__view_nomem(err);
	if (!(rc = xy_store_gov_dishonesty_get(s, id, g, err)) &&
	    !(*out = xy__gov_dishonesty_json(s, g, d, o && o->public_view, err)))
		rc = err && err->code ? err->code : XY_ERR_NOMEM;
	xy_gov_dishonesty_row_release(g);
	free(g);
	return rc;
}

struct gov_dishonesties {
	xy_store *s;
	const char *date;
	bool all, pub;
	json_t *arr;
	xy_error *err;
	xy_code rc;
};

static int on_gov_dishonesty(void *ctx, const xy_gov_dishonesty_row *g)
{
	struct gov_dishonesties *l = ctx;
	json_t *j;
	if (strcmp(g->registered_on, l->date) > 0 || (!l->all && !xy_gov_dishonesty_open_on(g, l->date)))
		return 0;
	if (!(j = xy__gov_dishonesty_json(l->s, g, l->date, l->pub, l->err))) {
		l->rc = l->err && l->err->code ? l->err->code : XY_ERR_NOMEM;
		return 1;
	}
	if (json_array_append_new(l->arr, j)) {
		l->rc = xy__view_nomem(l->err);
		return 1;
	}
	return 0;
}

struct district_counts {
	json_t *obj;
	const xy_registry *reg;
};

static int count_cb(void *ctx, int64_t unit_id, long long n)
{
	struct district_counts *r = ctx;
	const xy_unit *u = xy_registry_unit_by_id(r->reg, unit_id);
	return json_object_set_new(r->obj, u ? u->name : "?", json_integer(n)) ? 1 : 0;
}

xy_code xy_view_gov_dishonesties(xy_store *s, const xy_registry *reg, const char *district, bool all,
			 const xy_view_opts *o, json_t **out, xy_error *err)
{
	struct gov_dishonesties l = { s, NULL, all, o && o->public_view, NULL, err, XY_OK };
	struct district_counts dc = { NULL, reg };
	const xy_unit *u = NULL;
	char d[11];
	xy_code rc;
	*out = NULL;
	if ((rc = xy__view_date(o, d, err)) ||
	    (district && (rc = xy__credit_unit(reg, district, "district", &u, err))))
		return rc;
	l.date = d;
	l.arr = json_array();
	dc.obj = json_object();
	if (!l.arr || !dc.obj)
		rc = xy__view_nomem(err);
	else if (!(rc = xy_store_gov_dishonesties(s, u ? u->id : 0, on_gov_dishonesty, &l, err)) &&
		 !(rc = l.rc))
		rc = xy_gov_dishonesty_open_counts(s, d, count_cb, &dc, err);
	if (rc) {
		json_decref(l.arr);
		json_decref(dc.obj);
		return rc;
	}
	if (!(*out = json_pack("{s:s,s:o,s:o}", "as_of", d, "open_by_district", dc.obj, "entries",
			       l.arr)))
		return xy__view_nomem(err);
	return XY_OK;
}

/* ---- watch notices ---- */

static int notice_json(void *ctx, const xy_notice *n)
{
	return jacc_add(ctx, json_pack("{s:I,s:s,s:s,s:s,s:I,s:s,s:s,s:s,s:o}", "id",
						    (json_int_t)n->id, "at", n->at, "subject",
						    n->subject_code, "name", n->subject_name,
						    "entry", (json_int_t)n->entry_id, "list_type",
						    n->list_type, "doc", n->doc, "from", n->from,
						    "read_at",
						    *n->read_at ? json_string(n->read_at) : json_null()));
}

xy_code xy_view_notices(xy_store *s, const xy_registry *reg, const char *unit, json_t **out,
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
	struct jacc na = { arr, false };
	if ((rc = xy_store_notices(s, u->id, notice_json, &na, err)) ||
	    (na.failed && (rc = xy__view_nomem(err)))) {
		json_decref(arr);
		return rc;
	}
	{
		size_t i, unread = 0;
		json_t *e;
		json_array_foreach(arr, i, e)
			unread += json_is_null(json_object_get(e, "read_at"));
		if (!(*out = json_pack("{s:s,s:I,s:o}", "unit", u->name, "unread",
				       (json_int_t)unread, "notices", arr)))
			return xy__view_nomem(err);
	}
	return XY_OK;
}

static int table_rows_json(void *ctx, const char *name, long long rows)
{
	struct jacc *a = ctx;
	if (json_object_set_new(a->arr, name, json_integer((json_int_t)rows)))
		a->failed = true;
	return a->failed;
}

xy_code xy_view_table_rows(xy_store *s, const char *const *names, size_t n, json_t **out,
			   xy_error *err)
{
	json_t *all = json_object(), *tables = n ? json_object() : all;
	struct jacc a = { all, false };
	xy_code rc;
	*out = NULL;
	if (!all || !tables) {
		rc = xy__view_nomem(err);
		goto done;
	}
	if ((rc = xy_store_table_rows(s, table_rows_json, &a, err)))
		goto done;
	if (a.failed) {
		rc = xy__view_nomem(err);
		goto done;
	}
	for (size_t i = 0; i < n; i++) {
		json_t *v = json_object_get(all, names[i]);
		if (!v) {
			rc = xy_error_set(err, XY_ERR_NOTFOUND, "没有表 '%s' (no table '%s')",
					  names[i], names[i]);
			goto done;
		}
		if (json_object_set(tables, names[i], v)) {
			rc = xy__view_nomem(err);
			goto done;
		}
	}
	if (!(*out = json_pack("{s:s,s:i,s:O}", "backend", xy_store_backend(s), "schema",
			       xy_store_schema_version(s), "tables", tables)))
		rc = xy__view_nomem(err);
done:
	if (tables != all)
		json_decref(tables);
	json_decref(all);
	return rc;
}

static int partition_json(void *ctx, const char *table, const char *partition,
			  const char *bound, long long rows)
{
	struct jacc *a = ctx;
	if (json_array_append_new(a->arr, json_pack("{s:s,s:s,s:s,s:I}", "table", table,
						     "partition", partition, "bound", bound,
						     "rows", (json_int_t)rows)))
		a->failed = true;
	return a->failed;
}

xy_code xy_view_partitions(xy_store *s, int ahead, json_t **out, xy_error *err)
{
	struct jacc a = { json_array(), false };
	xy_code rc;
	*out = NULL;
	if (!a.arr)
		return xy__view_nomem(err);
	if (!(rc = xy_store_partitions(s, ahead, partition_json, &a, err)) &&
	    (a.failed || !(*out = json_pack("{s:s,s:O}", "backend", xy_store_backend(s),
					    "partitions", a.arr))))
		rc = xy__view_nomem(err);
	json_decref(a.arr);
	return rc;
}

xy_code xy_view_db_check(xy_store *s, json_t **out, xy_error *err)
{
	xy_buf p = XY_BUF_INIT;
	json_t *arr = NULL;
	xy_code rc;
	*out = NULL;
	if ((rc = xy_store_check(s, &p, err)))
		goto done;
	if (!(arr = json_array())) {
		rc = xy__view_nomem(err);
		goto done;
	}
	/* xy_store_check ends every problem with a newline */
	for (char *line = p.data, *nl; (nl = strchr(line, '\n')); line = nl + 1)
		if (json_array_append_new(arr, json_stringn(line, (size_t)(nl - line)))) {
			rc = xy__view_nomem(err);
			goto done;
		}
	if (!(*out = json_pack("{s:s,s:b,s:O}", "backend", xy_store_backend(s), "ok",
			       json_array_size(arr) == 0, "problems", arr)))
		rc = xy__view_nomem(err);
done:
	json_decref(arr);
	xy_buf_release(&p);
	return rc;
}
