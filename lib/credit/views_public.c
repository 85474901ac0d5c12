/* xinyong: the views of the public API (views.h, issue 9): the 双公示 feeds
 * (行政许可 / 行政处罚 decided in a date range, keyset pages), the list types
 * with their active entries, and the memoranda with their measures.  The
 * disclosure rules are views.c's; the publication rules are the profile's
 * (xy_record_display). */
#include <ctype.h>
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "views_internal.h"
#include "xinyong/date.h"
#include "xinyong/text.h"
#include "xinyong/views.h"

/* ---- 双公示 feeds ---- */

struct feed {
	xy_repairs *rp;
	const char *asof;
	bool pub;
	size_t limit;
	json_t *items;
	bool more;
	char last_date[11];
	int64_t last_id;
	xy_error *err;
	xy_code rc;
};

static int feed_fail(struct feed *f, xy_code rc)
{
	f->rc = rc ? rc : xy__view_nomem(f->err);
	return 1;
}

static int on_feed(void *ctx, const xy_feed_row *r)
{
	struct feed *f = ctx;
	json_error_t jerr;
	json_t *data, *item;
	xy_display disp;
	xy_code rc;
	if ((rc = xy_record_display(f->rp, r->rec.id, r->rec.category, r->rec.data,
				    r->rec.decided_on, f->asof, &disp, NULL, f->err)))
		return feed_fail(f, rc);
	if (f->pub && !xy_display_shown(disp))
		return 0; /* publication ended, repaired, revoked, 不予公示 or not yet */
	if (json_array_size(f->items) == f->limit) {
		f->more = true;
		return 1;
	}
	/* 异议处理中: shown marked, its content withheld (as in the profile) */
	data = f->pub && disp == XY_DISP_OBJECTION ? json_object() : json_loads(r->rec.data, 0, &jerr);
	item = json_pack("{s:I,s:s,s:s,s:s,s:s,s:s,s:o,s:o}", "id", (json_int_t)r->rec.id,
			 "category", r->rec.category, "unit", r->rec.unit, "key", r->rec.key,
			 "decided_on", r->rec.decided_on, "display", xy_display_name(disp), "subject",
			 xy__subject_item(f->rp->credit->reg, &r->subject, f->pub), "data",
			 data ? data : json_object());
	if (!item || (f->pub && (rc = xy_view_public_values(item, f->err)))) {
		json_decref(item);
		return feed_fail(f, item ? rc : XY_OK);
	}
	if (json_array_append_new(f->items, item))
		return feed_fail(f, XY_OK);
	snprintf(f->last_date, sizeof f->last_date, "%s", r->rec.decided_on);
	f->last_id = r->rec.id;
	return 0;
}

/* A feed's cursor, DATE.ID: the page starts after that record. */
static xy_code feed_cursor(const char *s, char date[11], int64_t *id, xy_error *err)
{
	const char *dot = s ? strchr(s, '.') : NULL;
	char *end;
	long long v;
	if (!dot || dot - s != 10 || !isdigit((unsigned char)dot[1]))
		goto bad;
	memcpy(date, s, 10);
	date[10] = '\0';
	errno = 0;
	v = strtoll(dot + 1, &end, 10);
	if (*end || errno || v <= 0 || xy_date_parse(date, date))
		goto bad;
	*id = v;
	return XY_OK;
bad:
	return xy_error_at(err, XY_ERR_ARG, NULL, 0, "after", "'%s' is not a cursor of this feed",
			   s ? s : "");
}

static xy_code feed_date(const char *in, char out[11], const char *field, const char **dst,
			 xy_error *err)
{
	*dst = NULL;
	if (!in)
		return XY_OK;
	if (xy_date_parse(in, out))
		return xy_error_at(err, XY_ERR_ARG, NULL, 0, field, "%s '%s' is not a date (YYYY-MM-DD)",
				   field, in);
	*dst = out;
	return XY_OK;
}

static const char *kind_name(const char *k)
{
	static const xy_subject_kind all[] = { XY_SUBJ_LEGAL, XY_SUBJ_PERSON, XY_SUBJ_INDIVIDUAL };
	for (size_t i = 0; i < sizeof all / sizeof all[0]; i++)
		if (!strcmp(k, xy_subject_kind_name(all[i])) ||
		    !strcmp(k, xy_subject_kind_name_zh(all[i])))
			return xy_subject_kind_name(all[i]);
	return NULL;
}

/* Nothing decided after the view's date is public yet (未到公示日期 comes
 * before any other status: an objection or repair needs a decision first),
 * so the public view's walk ends there.  No lower bound: a record whose
 * period ended still shows 异议处理中 while an objection on it is open. */
static void public_upto(const char *asof, xy_feed_query *q)
{
	if (!q->to || strcmp(q->to, asof) > 0)
		q->to = asof;
}

xy_code xy_view_feed(xy_repairs *rp, const xy_feed_opts *f, const xy_view_opts *o,
		     const xy_view_page *pg, json_t **out, xy_error *err)
{
	struct feed x;
	xy_feed_query q;
	const xy_category *cat;
	const xy_unit *u = NULL;
	char asof[11], from[11], to[11], before[11];
	const char *asked_to;
	xy_code rc;
	*out = NULL;
	memset(&x, 0, sizeof x);
	memset(&q, 0, sizeof q);
	if (!f || !f->category)
		return xy_error_at(err, XY_ERR_ARG, NULL, 0, "category", "no category given");
	if (!(cat = xy_registry_category(rp->credit->reg, f->category)))
		return xy_error_at(err, XY_ERR_NOTFOUND, NULL, 0, "category",
				   "unknown category '%s'", f->category);
	if ((rc = xy__view_date(o, asof, err)) ||
	    (rc = feed_date(f->from, from, "from", &q.from, err)) ||
	    (rc = feed_date(f->to, to, "to", &q.to, err)) ||
	    (f->unit && (rc = xy__credit_unit(rp->credit->reg, f->unit, "unit", &u, err))))
		return rc;
	if (q.from && q.to && strcmp(q.from, q.to) > 0)
		return xy_error_at(err, XY_ERR_ARG, NULL, 0, "from", "from %s is after to %s", q.from,
				   q.to);
	if (f->kind && !(q.kind = kind_name(f->kind)))
		return xy_error_at(err, XY_ERR_ARG, NULL, 0, "kind",
				   "kind is legal, person or individual, not '%s'", f->kind);
	if (pg && pg->after && *pg->after) {
		if ((rc = feed_cursor(pg->after, before, &q.before_id, err)))
			return rc;
		q.before_date = before;
	}
	asked_to = q.to;
	if (o && o->public_view)
		public_upto(asof, &q);
	q.category_id = cat->id;
	q.unit_id = u ? u->id : 0;
	x.rp = rp;
	x.asof = asof;
	x.pub = o && o->public_view;
	x.limit = pg && pg->limit ? (pg->limit > 100 ? 100 : pg->limit) : 20;
	x.err = err;
	if (!(x.items = json_array()))
		return xy__view_nomem(err);
	if ((rc = xy_store_feed(rp->credit->store, &q, on_feed, &x, err)) || (rc = x.rc)) {
		json_decref(x.items);
		return rc;
	}
	*out = json_pack("{s:s,s:o,s:o,s:o,s:o,s:s,s:o,s:o}", "category", cat->name, "from",
			 xy__opt_str(q.from), "to", xy__opt_str(asked_to), "unit",
			 xy__opt_str(u ? u->name : NULL), "kind", xy__opt_str(q.kind), "as_of", asof,
			 "items", x.items, "next",
			 x.more ? json_sprintf("%s.%lld", x.last_date, (long long)x.last_id)
				: json_null());
	return *out ? XY_OK : xy__view_nomem(err);
}

/* ---- list types and their active entries ---- */

struct tally {
	xy_credit *c;
	const char *date;
	json_t *counts; /* list type → active entries */
};

static int on_tally(void *ctx, const xy_entry_row *e)
{
	struct tally *t = ctx;
	json_t *n;
	if (xy__entry_status(e, t->date) != XY_ENTRY_ACTIVE)
		return 0;
	n = json_object_get(t->counts, e->list_type);
	return json_object_set_new(t->counts, e->list_type,
				   json_integer(n ? json_integer_value(n) + 1 : 1)) != 0;
}

xy_code xy_view_list_types(xy_credit *c, const xy_view_opts *o, json_t **out, xy_error *err)
{
	struct tally t = { c, NULL, NULL };
	bool pub = o && o->public_view;
	json_t *arr = NULL;
	char d[11];
	xy_code rc;
	*out = NULL;
	if ((rc = xy__view_date(o, d, err)))
		return rc;
	t.date = d;
	if (!(t.counts = json_object()) || !(arr = json_array())) {
		rc = xy__view_nomem(err);
		goto done;
	}
	if ((rc = xy_store_entries(c->store, NULL, on_tally, &t, err)))
		goto done;
	for (size_t i = 0; i < c->cat.nlist_types; i++) {
		const xy_list_type *lt = &c->cat.list_types[i];
		json_t *n = json_object_get(t.counts, lt->name);
		char validity[16] = "";
		if (pub && lt->kind == XY_LIST_WATCH)
			continue; /* a supervision tool, never published */
		if (lt->validity)
			snprintf(validity, sizeof validity, "%d%c", lt->validity, lt->validity_unit);
		if (json_array_append_new(
			    arr, json_pack("{s:s,s:s,s:o,s:o,s:s,s:b,s:I}", "name", lt->name, "kind",
					   xy_list_kind_name(lt->kind), "unit", xy__opt_str(lt->unit),
					   "basis", xy__opt_str(lt->basis), "validity", validity,
					   "national", lt->national, "active",
					   (json_int_t)(n ? json_integer_value(n) : 0)))) {
			rc = xy__view_nomem(err);
			goto done;
		}
	}
	if (!(*out = json_pack("{s:s,s:O}", "as_of", d, "list_types", arr)))
		rc = xy__view_nomem(err);
done:
	json_decref(t.counts);
	json_decref(arr);
	return rc;
}

/* ---- memoranda and their measures ---- */

static json_t *strv(char *const *v, size_t n)
{
	json_t *a = json_array();
	for (size_t i = 0; a && i < n; i++)
		if (json_array_append_new(a, json_string(v[i]))) {
			json_decref(a);
			return NULL;
		}
	return a;
}

static int is_stored(void *ctx, const xy_stored_memo *m)
{
	return json_object_set_new(ctx, m->doc, json_integer(m->version)) != 0;
}

/* One memorandum: its summary, or with its measures when full. */
static json_t *memo_json(const xy_memorandum *m, json_t *stored, bool full, bool pub)
{
	json_t *version = json_object_get(stored, m->doc);
	json_t *o = json_pack("{s:s,s:s,s:s,s:s,s:o,s:o,s:i,s:s,s:s,s:I}", "doc", m->doc, "title",
			      m->title, "date", m->date, "source", m->source, "signatories",
			      strv(m->signatories, m->nsignatories), "list_types",
			      strv(m->list_types, m->nlist_types), "measures", (int)m->nmeasures,
			      "file", m->file, "origin", version ? "database" : "config",
			      "version", (json_int_t)(version ? json_integer_value(version) : 1));
	json_t *arr;
	if (!o)
		return NULL;
	if (pub)
		json_object_del(o, "file"); /* a path on the office's machine */
	if (!full)
		return o;
	if (!(arr = json_array()) || json_object_set_new(o, "measures", arr)) {
		json_decref(o);
		return NULL;
	}
	for (size_t i = 0; i < m->nmeasures; i++) {
		static const xy_target all[] = { XY_TARGET_UNIT, XY_TARGET_LEGAL_REP,
						 XY_TARGET_PRINCIPAL, XY_TARGET_RESPONSIBLE };
		const xy_measure *me = &m->measures[i];
		json_t *targets = json_array();
		for (size_t k = 0; targets && k < sizeof all / sizeof *all; k++)
			if ((me->targets & (unsigned)all[k]) &&
			    json_array_append_new(targets, json_string(xy_target_name(all[k])))) {
				json_decref(targets);
				targets = NULL;
			}
		if (json_array_append_new(
			    arr, json_pack("{s:i,s:s,s:s,s:o,s:o,s:o,s:s,s:o}", "number", me->number,
					   "text", me->text, "kind", xy_measure_kind_name(me->kind),
					   "units", strv(me->units, me->nunits), "target", targets,
					   "matters", strv(me->matters, me->nmatters), "legal_basis",
					   me->basis, "condition", xy__opt_str(me->condition)))) {
			json_decref(o);
			return NULL;
		}
	}
	return o;
}

/* The stored memoranda's versions by doc (a new object in *out). */
static xy_code stored_versions(xy_credit *c, json_t **out, xy_error *err)
{
	xy_code rc;
	if (!(*out = json_object()))
		return xy__view_nomem(err);
	if ((rc = xy_store_memoranda(c->store, is_stored, *out, err))) {
		json_decref(*out);
		*out = NULL;
	}
	return rc;
}

xy_code xy_view_memoranda(xy_credit *c, const xy_view_opts *o, json_t **out, xy_error *err)
{
	json_t *stored, *arr;
	xy_code rc;
	*out = NULL;
	if ((rc = stored_versions(c, &stored, err)))
		return rc;
	arr = json_array();
	for (size_t i = 0; arr && i < c->cat.nmemoranda; i++)
		if (json_array_append_new(arr, memo_json(&c->cat.memoranda[i], stored, false,
							 o && o->public_view))) {
			json_decref(arr);
			arr = NULL;
		}
	json_decref(stored);
	if (!arr || !(*out = json_pack("{s:o}", "memoranda", arr)))
		return xy__view_nomem(err);
	return XY_OK;
}

xy_code xy_view_memorandum(xy_credit *c, const char *doc, const xy_view_opts *o, json_t **out,
			   xy_error *err)
{
	const xy_memorandum *m = doc ? xy_sanctions_memorandum(&c->cat, doc) : NULL;
	json_t *stored;
	xy_code rc;
	*out = NULL;
	if (!m)
		return xy_error_at(err, XY_ERR_NOTFOUND, NULL, 0, "doc", "unknown memorandum '%s'",
				   doc ? doc : "");
	if ((rc = stored_versions(c, &stored, err)))
		return rc;
	*out = memo_json(m, stored, true, o && o->public_view);
	json_decref(stored);
	return *out ? XY_OK : xy__view_nomem(err);
}
