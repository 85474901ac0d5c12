/* xinyong: a subject's credit profile, the office's and the public's view
 * (views.h, xy_view_profile).  The disclosure rules are views.c's. */
#include <stdlib.h>
#include <string.h>

#include "views_internal.h"
#include "xinyong/codes.h"
#include "xinyong/gov_dishonesty.h"
#include "xinyong/grade.h"

struct prof {
	xy_repairs *rp;
	const xy_subject *subj;
	const char *asof;
	bool pub;
	json_t *records, *units, *cats, *entries, *commitments, *gov_dishonesties, *cases;
	long hidden;
	xy_error *err;
	xy_code rc;
};

static int fail(struct prof *p, xy_code rc)
{
	p->rc = rc ? rc : xy__view_nomem(p->err);
	return 1;
}

static int count(json_t *o, const char *k)
{
	json_t *n = json_object_get(o, k);
	return json_object_set_new(o, k, json_integer(n ? json_integer_value(n) + 1 : 1));
}

static int on_record(void *ctx, const xy_record_view *r)
{
	struct prof *p = ctx;
	json_error_t jerr;
	json_t *data, *rec;
	xy_display disp;
	xy_pub_window w;
	xy_code rc;

	data = r->data ? json_loads(r->data, 0, &jerr) : NULL;
	if ((rc = xy__record_display_json(p->rp, r->id, r->category, data, r->decided_on, p->asof,
					  &disp, &w, p->err))) {
		json_decref(data);
		return fail(p, rc);
	}
	if (p->pub && !xy_display_shown(disp)) {
		json_decref(data);
		p->hidden++; /* its publication ended, was repaired or revoked, or not yet */
		return 0;
	}
	/* 异议处理中: shown marked, its content withheld from the public view */
	if (p->pub && disp == XY_DISP_OBJECTION) {
		json_decref(data);
		data = json_object();
	}
	if (!data)
		data = json_object();
	rec = json_pack("{s:I,s:s,s:s,s:s,s:o,s:s,s:i,s:o,s:s,s:b}", "id", (json_int_t)r->id,
			"category", r->category, "unit", r->unit, "key", r->key, "decided_on",
			xy__opt_str(r->decided_on), "reported_on",
			r->reported_on ? r->reported_on : "", "versions", r->versions, "data", data,
			"display", xy_display_name(disp), "public", xy_display_shown(disp));
	if (!rec || json_object_set_new(rec, "publication",
					json_pack("{s:s,s:o,s:o,s:o,s:b}", "severity", w.severity,
						  "last", xy__opt_str(w.last), "repairable_from",
						  xy__opt_str(w.repairable_from), "basis",
						  w.rule ? json_string(w.rule->basis) : json_null(),
						  "published", w.published)) ||
	    json_array_append_new(p->records, rec) || count(p->units, r->unit) ||
	    count(p->cats, r->category))
		return fail(p, XY_OK);
	return 0;
}

/* List entries that reach the subject (own and through linked persons), with
 * their status on the date; the public view only the active red and black
 * list entries (views.c, xy__entry_public). */
static int on_entry(void *ctx, const xy_entry_row *e)
{
	static const char *const via[] = { "own", "person", "enterprise" };
	struct prof *p = ctx;
	xy_entry_status st = xy__entry_status(e, p->asof);
	json_t *o;
	if (p->pub && !xy__entry_public(&p->rp->credit->cat, e->list_type, st))
		return 0;
	o = json_pack("{s:I,s:s,s:s,s:s,s:s,s:o,s:o,s:o,s:s,s:s}", "entry", (json_int_t)e->id,
		      "list_type", e->list_type, "doc", e->doc, "unit", e->unit, "from", e->from,
		      "to", xy__opt_str(e->to), "exit", xy__opt_str(e->exit_how), "exit_date",
		      xy__opt_str(e->exit_date), "status", xy_entry_status_name(st), "via",
		      via[e->via >= 0 && e->via <= 2 ? e->via : 0]);
	if (o && e->via &&
	    (json_object_set_new(o, "role", json_string(e->role)) ||
	     json_object_set_new(o, "through", json_string(e->via_code)) ||
	     json_object_set_new(o, "through_name", json_string(e->via_name)))) {
		json_decref(o);
		o = NULL;
	}
	return json_array_append_new(p->entries, o) ? fail(p, XY_OK) : 0;
}

static int on_commitment(void *ctx, const xy_commitment_row *r)
{
	struct prof *p = ctx;
	xy_commitments cm = { p->rp->credit, NULL, 0 }; /* statuses need no types */
	json_t *j;
	if (strcmp(r->signed_on, p->asof) > 0)
		return 0; /* signed after the date asked */
	if (!(j = xy__commitment_json(&cm, r, p->asof, p->pub, p->err)))
		return fail(p, p->err && p->err->code ? p->err->code : XY_ERR_NOMEM);
	return json_array_append_new(p->commitments, j) ? fail(p, XY_OK) : 0;
}

static int on_gov_dishonesty(void *ctx, const xy_gov_dishonesty_row *g)
{
	struct prof *p = ctx;
	json_t *j;
	if (strcmp(g->registered_on, p->asof) > 0)
		return 0;
	if (!(j = xy__gov_dishonesty_json(p->rp->credit->store, g, p->asof, p->pub, p->err)))
		return fail(p, p->err && p->err->code ? p->err->code : XY_ERR_NOMEM);
	return json_array_append_new(p->gov_dishonesties, j) ? fail(p, XY_OK) : 0;
}

/* The subject's cases of kind open on asof (filed on or before it). */
static xy_code open_cases(struct prof *p, const char *kind)
{
	json_t *all = NULL, *o;
	size_t i;
	xy_code rc = xy_view_cases(p->rp, kind, false, p->asof, &all, p->err);
	if (rc)
		return rc;
	json_array_foreach(json_object_get(all, !strcmp(kind, "repair") ? "repairs" : "objections"),
			   i, o) {
		const char *subj = json_string_value(json_object_get(o, "subject"));
		const char *filed = json_string_value(json_object_get(o, "filed_on"));
		if (!subj || strcmp(subj, p->subj->code) || !filed || strcmp(filed, p->asof) > 0 ||
		    !json_is_true(json_object_get(o, "open")))
			continue;
		if (json_array_append_new(
			    p->cases,
			    json_pack("{s:O,s:s,s:O,s:O,s:O,s:O,s:O,s:O,s:O}", "id",
				      json_object_get(o, "id"), "kind", kind, "record",
				      json_object_get(o, "record"), "category",
				      json_object_get(o, "category"), "unit",
				      json_object_get(o, "unit"), "filed_on",
				      json_object_get(o, "filed_on"), "step",
				      json_object_get(o, "step"), "due", json_object_get(o, "due"),
				      "overdue", json_object_get(o, "overdue")))) {
			json_decref(all);
			return xy__view_nomem(p->err);
		}
	}
	json_decref(all);
	return XY_OK;
}

/* The candidates of a query that named no single subject. */
static json_t *matches(const char *q, const xy_subject *v, size_t n, bool pub)
{
	json_t *arr = json_array();
	for (size_t i = 0; i < n && arr; i++)
		if (json_array_append_new(arr, json_pack("{s:o,s:s,s:s,s:s}", "code",
							 xy__subject_code(&v[i], pub), "name",
							 v[i].name, "kind",
							 xy_subject_kind_name(v[i].kind), "kind_zh",
							 xy_subject_kind_name_zh(v[i].kind)))) {
			json_decref(arr);
			arr = NULL;
		}
	return arr ? json_pack("{s:s,s:o}", "query", q, "matches", arr) : NULL;
}

static json_t *subject_json(const xy_registry *reg, const xy_subject *s, bool pub)
{
	const xy_unit *u = s->division[0] ? xy_registry_unit_by_division(reg, s->division) : NULL;
	return json_pack("{s:I,s:s,s:s,s:o,s:s,s:s,s:o,s:o}", "id", (json_int_t)s->id, "kind",
			 xy_subject_kind_name(s->kind), "kind_zh", xy_subject_kind_name_zh(s->kind),
			 "code", xy__subject_code(s, pub),
			 "code_type", s->code_type, "name", s->name, "division",
			 xy__opt_str(s->division), "district",
			 u ? json_string(u->name) : json_null());
}

static xy_code build(struct prof *p, json_t **out)
{
	xy_store *st = p->rp->credit->store;
	xy_code rc;
	json_t *res;
	if ((rc = xy_store_subject_entries(st, p->subj->id, on_entry, p, p->err)) || (rc = p->rc) ||
	    (rc = xy_store_subject_records(st, p->subj->id, on_record, p, p->err)) ||
	    (rc = p->rc) ||
	    (rc = xy_store_commitments(st, 0, p->subj->id, on_commitment, p, p->err)) ||
	    (rc = p->rc) || (rc = xy_store_subject_gov_dishonesties(st, p->subj->id, on_gov_dishonesty, p,
									  p->err)) ||
	    (rc = p->rc))
		return rc;
	/* cases are the office's work: a record under objection shows 异议处理中 on
	 * its own in the public view */
	if (!p->pub && ((rc = open_cases(p, "repair")) || (rc = open_cases(p, "objection"))))
		return rc;
	res = json_pack("{s:o,s:O,s:O,s:O,s:O,s:O,s:O,s:s,s:i}", "subject",
			subject_json(p->rp->credit->reg, p->subj, p->pub), "categories", p->cats,
			"units", p->units, "records", p->records, "list_entries", p->entries,
			"commitments", p->commitments, "gov_dishonesty", p->gov_dishonesties, "as_of",
			p->asof, "hidden", (int)p->hidden);
	if (res && !p->pub && json_object_set(res, "cases", p->cases)) {
		json_decref(res);
		res = NULL;
	}
	if (!res)
		return xy__view_nomem(p->err);
	/* the grade, only when the office publishes grades (grade.h: letter,
	 * date and model, never the explanation) */
	if (p->pub) {
		json_t *g = NULL;
		if ((rc = xy_grade_view_public(st, p->subj->id, p->asof, &g, p->err)) ||
		    (g && json_object_set_new(res, "grade", g))) {
			json_decref(res);
			return rc ? rc : xy__view_nomem(p->err);
		}
	}
	/* every 身份证号 in a record, an entry's linked person, … masked; no "_extra" */
	if (p->pub && (rc = xy_view_public_values(res, p->err))) {
		json_decref(res);
		return rc;
	}
	*out = res;
	return XY_OK;
}

xy_code xy_view_profile(xy_repairs *rp, const char *query, const xy_view_opts *o,
			json_t **out, xy_error *err)
{
	struct prof p;
	xy_subject *v = NULL;
	size_t n = 0;
	char asof[11], norm[XY_ID_MAX];
	bool pub = o && o->public_view;
	xy_code rc;

	*out = NULL;
	if (!query)
		return xy_error_at(err, XY_ERR_ARG, NULL, 0, "query", "no subject given");
	if ((rc = xy__view_date(o, asof, err)) ||
	    (rc = xy_store_subject_find(rp->credit->store, query, 50, &v, &n, err)))
		return rc;
	norm[0] = '\0';
	if (strlen(query) < sizeof norm)
		xy_id_normalize(query, norm, sizeof norm);
	if (!n || (n > 1 && strcmp(v[0].code, norm) && strcmp(v[0].name, query))) {
		*out = matches(query, v, n, pub);
		xy_subjects_free(v, n);
		if (!*out || (pub && xy_view_public_values(*out, err))) {
			json_decref(*out);
			*out = NULL;
			return xy__view_nomem(err);
		}
		/* the query as the answer echoes it (masked in the public view) */
		query = json_string_value(json_object_get(*out, "query"));
		if (!n)
			return xy_error_at(err, XY_ERR_NOTFOUND, NULL, 0, "query",
					   "no subject matches '%s' (未找到主体)", query);
		return xy_error_at(err, XY_ERR_CONFLICT, NULL, 0, "query",
				   "%zu subjects match '%s'%s; name one by its code", n, query,
				   n == 50 ? " (first 50)" : "");
	}
	memset(&p, 0, sizeof p);
	p.rp = rp;
	p.subj = &v[0];
	p.asof = asof;
	p.pub = pub;
	p.err = err;
	p.records = json_array();
	p.units = json_object();
	p.cats = json_object();
	p.entries = json_array();
	p.commitments = json_array();
	p.gov_dishonesties = json_array();
	p.cases = json_array();
	if (!p.records || !p.units || !p.cats || !p.entries || !p.commitments || !p.gov_dishonesties ||
	    !p.cases)
		rc = xy__view_nomem(err);
	else
		rc = build(&p, out);
	json_decref(p.records);
	json_decref(p.units);
	json_decref(p.cats);
	json_decref(p.entries);
	json_decref(p.commitments);
	json_decref(p.gov_dishonesties);
	json_decref(p.cases);
	xy_subjects_free(v, n);
	return rc;
}
