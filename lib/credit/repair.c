/* xinyong: credit repair, objections and interviews on the store. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "xinyong/applications.h"
#include "xinyong/buf.h"
#include "xinyong/codes.h"
#include "xinyong/date.h"
#include "xinyong/lists.h"
#include "xinyong/repair.h"
#include "internal.h"
#include "views_internal.h"

#define NOMEM() xy_error_set(err, XY_ERR_NOMEM, "out of memory")

xy_code xy_repairs_open(xy_repairs *r, xy_credit *c, const char *config_dir, xy_error *err)
{
	memset(r, 0, sizeof *r);
	r->credit = c;
	xy_publication_init(&r->pub);
	return xy_publication_load_dir(&r->pub, config_dir, err);
}

void xy_repairs_release(xy_repairs *r)
{
	if (r)
		xy_publication_release(&r->pub);
}

/* ---- small helpers ---- */

static xy_code need_unit(xy_repairs *r, const char *unit, const xy_unit **u, xy_error *err)
{
	return xy__credit_unit(r->credit->reg, unit, "unit", u, err);
}

/* Texts (reasons, evidence, topics) are kept whole: only their presence is
 * checked. */
static xy_code need_text(const char *v, const char *field, const char *what, xy_error *err)
{
	if (!v || !*v)
		return xy_error_at(err, XY_ERR_ARG, NULL, 0, field, "no %s given (--%s)", what, field);
	return XY_OK;
}

/* Copy a value of fixed format (a step, a date, an enum) into dst[n]: false,
 * with dst "", when it does not fit — it is then not that kind of value. */
static bool copy_fixed(char *dst, size_t n, const char *src)
{
	size_t len = src ? strlen(src) : 0;
	dst[0] = '\0';
	if (len >= n)
		return false;
	memcpy(dst, src ? src : "", len + 1);
	return true;
}

static void case_free(xy_case_row *c)
{
	xy_case_row_release(c);
	free(c);
}

static xy_code need_record(xy_repairs *r, int64_t id, xy_record_row *rec, xy_buf *data,
			   xy_error *err)
{
	xy_code rc = xy_store_record_get(r->credit->store, id, rec, data, err);
	if (rc == XY_ERR_NOTFOUND)
		return xy_error_at(err, XY_ERR_NOTFOUND, NULL, 0, "record",
				   "no record %lld (未找到该信用信息)", (long long)id);
	return rc;
}

/* "repair" or "objection", as messages name a case */
static const char *kind_name(const char *kind)
{
	return !strcmp(kind, "repair") ? "repair" : "objection";
}

static xy_code need_case(xy_repairs *r, int64_t id, const char *kind, xy_case_row *c,
			 xy_error *err)
{
	xy_code rc = xy_store_case_get(r->credit->store, id, c, err);
	if (rc == XY_ERR_NOTFOUND || (!rc && kind && strcmp(c->kind, kind)))
		return xy_error_at(err, XY_ERR_NOTFOUND, NULL, 0, kind ? kind : "case",
				   "no %s %lld", kind ? kind_name(kind) : "case", (long long)id);
	return rc;
}

/* ---- display status ---- */

typedef struct span_store {
	struct {
		char filed[11], decided[11], result[16];
	} v[64];
	size_t n;
	char repaired_on[11];
	int64_t open_repair, open_objection;
} span_store;

static bool final_step(const xy_case_row *c)
{
	return !strcmp(c->kind, "repair") ? !strcmp(c->step, "通过") || !strcmp(c->step, "不通过")
					  : strcmp(c->step, "受理") != 0;
}

static int on_fact(void *ctx, const xy_case_row *c)
{
	span_store *s = ctx;
	if (!strcmp(c->kind, "repair")) {
		if (!strcmp(c->step, "通过"))
			memcpy(s->repaired_on, c->step_on, 11);
		else if (!final_step(c))
			s->open_repair = c->id;
		return 0;
	}
	if (!final_step(c))
		s->open_objection = c->id;
	if (s->n == sizeof s->v / sizeof s->v[0])
		return 0; /* more than 64 objections to one record: the oldest decide */
	memcpy(s->v[s->n].filed, c->filed_on, 11);
	if (final_step(c)) {
		memcpy(s->v[s->n].decided, c->step_on, 11);
		copy_fixed(s->v[s->n].result, sizeof s->v[s->n].result, c->step);
	}
	s->n++;
	return 0;
}

/* The severity (a field ending in SXYZCD) and 公示截止期 (ending in _GSJZQ)
 * of a record's parsed data (NULL: neither). */
static void data_facts(const json_t *o, char sev[16], char until[11])
{
	const char *k;
	json_t *v;
	sev[0] = until[0] = '\0';
	json_object_foreach((json_t *)o, k, v) {
		size_t n = strlen(k);
		const char *s = json_string_value(v);
		if (!s || !*s)
			continue;
		if (n >= 6 && !strcmp(k + n - 6, "SXYZCD"))
			copy_fixed(sev, 16, s); /* 轻微 一般 严重: a longer text is none of them */
		else if (n >= 6 && !strcmp(k + n - 6, "_GSJZQ") && xy_date_parse(s, until))
			until[0] = '\0';
	}
}

static xy_code display_of(xy_repairs *r, int64_t record_id, const char *category,
			  const json_t *data, const char *decided_on, const char *date,
			  xy_display *out, xy_pub_window *w, span_store *facts, xy_error *err)
{
	xy_obj_span spans[64];
	xy_record_facts f;
	char sev[16], until[11];
	xy_code rc;
	memset(facts, 0, sizeof *facts);
	data_facts(data, sev, until);
	if ((rc = xy_pub_window_for(&r->pub, category, sev, decided_on, until, w, err)))
		return rc;
	if ((rc = xy_store_cases(r->credit->store, NULL, record_id, on_fact, facts, err)))
		return rc;
	for (size_t i = 0; i < facts->n; i++)
		spans[i] = (xy_obj_span){ facts->v[i].filed, facts->v[i].decided, facts->v[i].result };
	f.repaired_on = facts->repaired_on;
	f.objections = spans;
	f.nobjections = facts->n;
	*out = xy_pub_display(w, &f, date);
	return XY_OK;
}

/* display_of on the record's data as stored (JSON text, may be NULL). */
static xy_code display_of_text(xy_repairs *r, int64_t record_id, const char *category,
			       const char *data, const char *decided_on, const char *date,
			       xy_display *out, xy_pub_window *w, span_store *facts,
			       xy_error *err)
{
	json_error_t jerr;
	json_t *o = data ? json_loads(data, 0, &jerr) : NULL;
	xy_code rc = display_of(r, record_id, category, o, decided_on, date, out, w, facts, err);
	json_decref(o);
	return rc;
}

xy_code xy__record_display_json(xy_repairs *r, int64_t record_id, const char *category,
				const json_t *data, const char *decided_on, const char *date,
				xy_display *out, xy_pub_window *w, xy_error *err)
{
	xy_pub_window tmp;
	span_store *facts = malloc(sizeof *facts);
	char d[11];
	xy_code rc;
	if (!facts)
		return NOMEM();
	rc = xy__credit_date(date, d, "date", err);
	if (!rc)
		rc = display_of(r, record_id, category, data, decided_on, d, out, w ? w : &tmp, facts,
				err);
	free(facts);
	return rc;
}

xy_code xy_record_display(xy_repairs *r, int64_t record_id, const char *category,
			  const char *data, const char *decided_on, const char *date,
			  xy_display *out, xy_pub_window *w, xy_error *err)
{
	json_error_t jerr;
	json_t *o = data ? json_loads(data, 0, &jerr) : NULL;
	xy_code rc = xy__record_display_json(r, record_id, category, o, decided_on, date, out, w,
					     err);
	json_decref(o);
	return rc;
}

/* The record with its display status on d. */
typedef struct rec_state {
	xy_record_row rec;
	xy_buf data;
	xy_pub_window win;
	xy_display disp;
	span_store facts;
} rec_state;

static xy_code record_state(xy_repairs *r, int64_t id, const char *d, rec_state *st,
			    xy_error *err)
{
	xy_code rc;
	st->data = (xy_buf)XY_BUF_INIT;
	if ((rc = need_record(r, id, &st->rec, &st->data, err)))
		return rc;
	return display_of_text(r, id, st->rec.category, st->data.data, st->rec.decided_on, d,
			       &st->disp, &st->win, &st->facts, err);
}

static void rec_state_free(rec_state *st)
{
	if (st) {
		xy_buf_release(&st->data);
		xy_record_row_release(&st->rec);
		free(st);
	}
}

static xy_code not_public(const rec_state *st, const char *d, xy_error *err)
{
	const char *why = "";
	switch (st->disp) {
	case XY_DISP_EXPIRED: why = ": its publication period ended"; break;
	case XY_DISP_NOT_YET: why = ": it is decided later"; break;
	case XY_DISP_MINOR: why = ": the rules do not publish it"; break;
	case XY_DISP_REPAIRED: why = ": it has already been repaired"; break;
	case XY_DISP_REVOKED: why = ": it was withdrawn after an objection"; break;
	case XY_DISP_OBJECTION: why = ": an objection is being handled"; break;
	case XY_DISP_PUBLIC: break;
	}
	return xy_error_at(err, XY_ERR_INVALID, NULL, 0, "record",
			   "record %lld is not public on %s (%s)%s", (long long)st->rec.id, d,
			   xy_display_name(st->disp), why);
}

/* The subject a record is about, as stored. */
static xy_code record_subject(xy_repairs *r, const xy_record_row *rec, xy_subject *out,
			      xy_error *err)
{
	xy_code rc;
	if (!rec->subject_id)
		return xy_error_at(err, XY_ERR_INVALID, NULL, 0, "record",
				   "record %lld is not about a subject", (long long)rec->id);
	rc = xy_store_subject_by_code(r->credit->store, rec->subject_code, out, err);
	if (rc == XY_ERR_NOTFOUND)
		return xy_error_set(err, XY_ERR_STORE, "the subject of record %lld is missing",
				    (long long)rec->id);
	return rc;
}

/* The given subject must be the record's. */
static xy_code same_subject(xy_repairs *r, const char *q, const xy_record_row *rec,
			    xy_error *err)
{
	XY_SUBJECT_AUTO(s);
	xy_code rc;
	if (!q || !*q)
		return XY_OK;
	if ((rc = xy_credit_subject(r->credit, q, &s, err)))
		return rc;
	if (s.id != rec->subject_id)
		return xy_error_at(err, XY_ERR_INVALID, NULL, 0, "subject",
				   "record %lld is about %s %s, not %s", (long long)rec->id,
				   rec->subject_code, rec->subject_name, s.code);
	return XY_OK;
}

/* ---- statistics records ---- */

/* n records of category `cat_name` about subj, counted for unit in the month
 * of date through one batch (file, e.g. "repair:3") — xy__credit_records, as
 * xy_credit_feedback counts 联合奖惩 feedback.  Keys: `key` when n is 1, else
 * key-1 … key-n; texts[i] is each record's 内容. */
static xy_code count_records(xy_repairs *r, int64_t unit_id, const xy_subject *subj,
			     const char *cat_name, const char *date, const char *file,
			     const char *key, const char *const *texts, size_t n, long *count,
			     xy_error *err)
{
	char (*keybuf)[128] = calloc(n ? n : 1, sizeof *keybuf);
	const char **keys = calloc(n ? n : 1, sizeof *keys);
	char **js = calloc(n ? n : 1, sizeof *js);
	xy_code rc = XY_OK;
	if (!keybuf || !keys || !js) {
		rc = NOMEM();
		goto out;
	}
	for (size_t i = 0; i < n; i++) {
		if (n == 1)
			snprintf(keybuf[i], sizeof keybuf[i], "%s", key);
		else
			snprintf(keybuf[i], sizeof keybuf[i], "%s-%zu", key, i + 1);
		keys[i] = keybuf[i];
		if (!(js[i] = xy__credit_subject_data(subj, keys[i], date, texts[i], file, NULL))) {
			rc = NOMEM();
			goto out;
		}
	}
	rc = xy__credit_records(r->credit, unit_id, cat_name, file, "credit", date, subj->id,
				keys, (const char *const *)js, n, count, NULL, err);
out:
	for (size_t i = 0; js && i < n; i++)
		free(js[i]);
	free(keybuf);
	free(keys);
	free(js);
	return rc;
}

/* ---- transactions ---- */

static xy_code tx_begin(xy_repairs *r, xy_error *err)
{
	return xy_store_begin(r->credit->store, false, err);
}

static xy_code tx_end(xy_repairs *r, xy_code rc, xy_error *err)
{
	if (!rc)
		rc = xy_store_commit(r->credit->store, err);
	if (rc)
		xy_store_rollback(r->credit->store, NULL);
	return rc;
}

/* Record a step's event and its audit entry ("repair.step" /
 * "objection.step" of object "repair:ID", by r->credit->who), digesting the
 * case's step before (prev; NULL for a new case) and after. */
static xy_code add_event(xy_repairs *r, const char *kind, const xy_case_row *prev, int64_t id,
			 const char *on, const char *action, const char *actor,
			 const char *detail, xy_error *err)
{
	xy_case_event ev = { on, NULL, action, actor, detail };
	xy_buf obj = XY_BUF_INIT, before = XY_BUF_INIT, after = XY_BUF_INIT, what = XY_BUF_INIT;
	xy_code rc = xy_store_case_event_add(r->credit->store, id, &ev, err);
	if (rc)
		return rc;
	if (xy_buf_addf(&obj, "%s:%lld", kind, (long long)id) ||
	    xy_buf_addf(&what, "%s.step", kind) ||
	    (prev && xy_buf_addf(&before, "%s %lld step=%s on=%s", kind, (long long)id, prev->step,
				 prev->step_on)) ||
	    xy_buf_addf(&after, "%s %lld step=%s on=%s actor=%s detail=%s", kind, (long long)id,
			action, on, actor ? actor : "", detail ? detail : ""))
		rc = NOMEM();
	else
		rc = xy__credit_audit(r->credit, what.data, obj.data, after.data,
				      prev ? before.data : NULL, after.data, err);
	xy_buf_release(&obj);
	xy_buf_release(&before);
	xy_buf_release(&after);
	xy_buf_release(&what);
	return rc;
}

/* ---- repair ---- */

xy_code xy_repair_apply(xy_repairs *r, const xy_repair_in *in, int64_t *id, xy_error *err)
{
	rec_state *st = calloc(1, sizeof *st);
	xy_case_row *c = calloc(1, sizeof *c);
	xy_buf ev = XY_BUF_INIT;
	char d[11];
	xy_code rc;

	*id = 0;
	if (!st || !c) {
		rc = NOMEM();
		goto out;
	}
	if ((rc = xy__credit_date(in->date, d, "date", err)) ||
	    (rc = need_text(in->reason, "reason", "reason", err)) ||
	    (rc = need_text(in->commitment, "commitment", "credit commitment (信用修复承诺)", err)))
		goto out;
	if (!in->subject || !*in->subject) {
		rc = xy_error_at(err, XY_ERR_ARG, NULL, 0, "subject", "no subject given (--subject)");
		goto out;
	}
	if (!in->nevidence) {
		rc = xy_error_at(err, XY_ERR_ARG, NULL, 0, "evidence",
				 "no evidence given (--evidence, one per item)");
		goto out;
	}
	for (size_t i = 0; i < in->nevidence; i++) {
		if (!in->evidence[i] || !*in->evidence[i] || strchr(in->evidence[i], '\n')) {
			rc = xy_error_at(err, XY_ERR_INVALID, NULL, 0, "evidence",
					 "evidence item %zu is empty or has a line break", i + 1);
			goto out;
		}
		if (xy_buf_addf(&ev, "%s%s", i ? "\n" : "", in->evidence[i])) {
			rc = NOMEM();
			goto out;
		}
	}
	if ((rc = record_state(r, in->record, d, st, err)) ||
	    (rc = same_subject(r, in->subject, &st->rec, err)))
		goto out;
	if (st->disp != XY_DISP_PUBLIC) {
		rc = not_public(st, d, err);
		goto out;
	}
	if (st->facts.open_repair) {
		rc = xy_error_at(err, XY_ERR_CONFLICT, NULL, 0, "record",
				 "record %lld already has repair %lld under way",
				 (long long)in->record, (long long)st->facts.open_repair);
		goto out;
	}
	if (in->entry) {
		XY_AUTO(xy_entry_row, e);
		rc = xy_store_entry_get(r->credit->store, in->entry, &e, err);
		if (rc == XY_ERR_NOTFOUND)
			rc = xy_error_at(err, XY_ERR_NOTFOUND, NULL, 0, "entry", "no list entry %lld",
					 (long long)in->entry);
		if (rc)
			goto out;
		if (e.subject_id != st->rec.subject_id) {
			rc = xy_error_at(err, XY_ERR_INVALID, NULL, 0, "entry",
					 "list entry %lld is about %s, not the record's subject %s",
					 (long long)e.id, e.subject_code, st->rec.subject_code);
			goto out;
		}
		if (e.exit_how[0]) {
			rc = xy_error_at(err, XY_ERR_INVALID, NULL, 0, "entry",
					 "list entry %lld has already exited (%s on %s)",
					 (long long)e.id, e.exit_how, e.exit_date);
			goto out;
		}
	}
	copy_fixed(c->kind, sizeof c->kind, "repair");
	c->record_id = st->rec.id;
	c->subject_id = st->rec.subject_id;
	c->unit_id = st->rec.unit_id;
	c->entry_id = in->entry;
	memcpy(c->filed_on, d, 11);
	memcpy(c->step_on, d, 11);
	copy_fixed(c->step, sizeof c->step, "申请");
	/* borrowed: the store copies them */
	c->applicant = in->applicant && *in->applicant ? in->applicant : st->rec.subject_name;
	c->reason = in->reason;
	c->evidence = ev.data;
	c->commitment = in->commitment;
	if ((rc = tx_begin(r, err)))
		goto out;
	rc = xy_store_case_insert(r->credit->store, c, err);
	if (!rc)
		rc = add_event(r, "repair", NULL, c->id, d, "申请", c->applicant, in->reason, err);
	if ((rc = tx_end(r, rc, err)))
		goto out;
	*id = c->id;
out:
	xy_buf_release(&ev);
	rec_state_free(st);
	case_free(c);
	return rc;
}

/* Move case id of `kind` from step `from` to `to` on date; unit (when not
 * NULL) must be the case's reporting unit. */
static xy_code next_step(xy_repairs *r, int64_t id, const char *kind, const char *from,
			 const char *to, const char *unit, const char *date, char d[11],
			 xy_case_row *c, xy_error *err)
{
	const xy_unit *u = NULL;
	xy_code rc;
	if ((rc = xy__credit_date(date, d, "date", err)))
		return rc;
	if (unit && (rc = need_unit(r, unit, &u, err)))
		return rc;
	if ((rc = need_case(r, id, kind, c, err)))
		return rc;
	if (strcmp(c->step, from))
		return xy_error_at(err, XY_ERR_INVALID, NULL, 0, "step",
				   "%s %lld is at step %s; %s needs step %s", kind_name(kind),
				   (long long)id, c->step, to, from);
	if (u && u->id != c->unit_id)
		return xy_error_at(err, XY_ERR_INVALID, NULL, 0, "unit",
				   "%s %lld is for %s, the record's reporting unit, not %s",
				   kind_name(kind), (long long)id, c->unit, u->name);
	if (strcmp(d, c->step_on) < 0)
		return xy_error_at(err, XY_ERR_INVALID, NULL, 0, "date",
				   "%s on %s is before the previous step (%s on %s)", to, d, c->step,
				   c->step_on);
	return XY_OK;
}

xy_code xy_repair_accept(xy_repairs *r, int64_t id, const char *by, const char *date,
			 const char *text, xy_error *err)
{
	xy_case_row *c = calloc(1, sizeof *c);
	char d[11];
	xy_code rc;
	if (!c)
		return NOMEM();
	if (!(rc = next_step(r, id, "repair", "申请", "受理", NULL, date, d, c, err)) &&
	    !(rc = tx_begin(r, err))) {
		rc = xy_store_case_step(r->credit->store, id, "申请", "受理", d, err);
		if (!rc)
			rc = add_event(r, "repair", c, id, d, "受理", by && *by ? by : "信用办", text,
				       err);
		rc = tx_end(r, rc, err);
	}
	case_free(c);
	return rc;
}

xy_code xy_repair_review(xy_repairs *r, int64_t id, const char *unit, const char *date,
			 const char *opinion, xy_error *err)
{
	xy_case_row *c = calloc(1, sizeof *c);
	char d[11];
	xy_code rc;
	if (!c)
		return NOMEM();
	if (!unit || !*unit)
		rc = xy_error_at(err, XY_ERR_ARG, NULL, 0, "unit", "no unit given (--unit)");
	else if (!(rc = next_step(r, id, "repair", "受理", "审核", unit, date, d, c, err)) &&
		 !(rc = tx_begin(r, err))) {
		rc = xy_store_case_step(r->credit->store, id, "受理", "审核", d, err);
		if (!rc)
			rc = add_event(r, "repair", c, id, d, "审核", c->unit, opinion, err);
		rc = tx_end(r, rc, err);
	}
	case_free(c);
	return rc;
}

/* The entries an approved repair exits: the one named with --entry and the
 * one the record is linked to (list_entry_records: derived from the record by
 * a sync, or written with it by `list add`), each once, if the record's
 * subject's and still active. */
typedef struct to_exit {
	int64_t ids[2];
	size_t n;
} to_exit;

static xy_code exit_candidate(xy_repairs *r, int64_t id, int64_t subject_id, to_exit *l,
			      xy_error *err)
{
	XY_AUTO(xy_entry_row, e);
	xy_code rc;
	if (!id || (l->n && l->ids[0] == id))
		return XY_OK;
	rc = xy_store_entry_get(r->credit->store, id, &e, err);
	if (rc == XY_ERR_NOTFOUND)
		return XY_OK;
	if (!rc && e.subject_id == subject_id && !e.exit_how[0])
		l->ids[l->n++] = id;
	return rc;
}

static xy_code entries_to_exit(xy_repairs *r, const xy_record_row *rec, int64_t named,
			       to_exit *l, xy_error *err)
{
	int64_t linked = 0;
	xy_code rc = xy_store_list_record_entry(r->credit->store, rec->unit_id, rec->category_id,
						rec->key, &linked, err);
	if (!rc)
		rc = exit_candidate(r, named, rec->subject_id, l, err);
	if (!rc)
		rc = exit_candidate(r, linked, rec->subject_id, l, err);
	return rc;
}

xy_code xy_repair_decide(xy_repairs *r, int64_t id, const char *unit, bool approve,
			 const char *date, const char *text, xy_repair_out *out,
			 xy_error *err)
{
	xy_case_row *c = calloc(1, sizeof *c);
	rec_state *st = calloc(1, sizeof *st);
	to_exit *l = calloc(1, sizeof *l);
	const char *to = approve ? "通过" : "不通过";
	XY_SUBJECT_AUTO(subj);
	char d[11];
	xy_code rc;

	memset(out, 0, sizeof *out);
	if (!c || !st || !l) {
		rc = NOMEM();
		goto out;
	}
	if (!unit || !*unit) {
		rc = xy_error_at(err, XY_ERR_ARG, NULL, 0, "unit", "no unit given (--unit)");
		goto out;
	}
	if ((rc = next_step(r, id, "repair", "审核", to, unit, date, d, c, err)))
		goto out;
	if (approve) {
		if ((rc = record_state(r, c->record_id, d, st, err)))
			goto out;
		if (st->disp != XY_DISP_PUBLIC) {
			rc = not_public(st, d, err);
			goto out;
		}
		if (st->win.repairable_from[0] && strcmp(d, st->win.repairable_from) < 0) {
			rc = xy_error_at(err, XY_ERR_INVALID, NULL, 0, "date",
					 "the minimum publication period of record %lld (%s, %s) "
					 "runs to %s: repair can be approved from %s",
					 (long long)c->record_id, st->win.severity,
					 st->win.rule ? st->win.rule->basis : "", st->win.min_end,
					 st->win.repairable_from);
			goto out;
		}
		if ((rc = record_subject(r, &st->rec, &subj, err)))
			goto out;
		if ((rc = entries_to_exit(r, &st->rec, c->entry_id, l, err)))
			goto out;
	}
	if ((rc = tx_begin(r, err)))
		goto out;
	rc = xy_store_case_step(r->credit->store, id, "审核", to, d, err);
	if (!rc)
		rc = add_event(r, "repair", c, id, d, to, c->unit, text, err);
	if (!rc && approve) {
		char file[64], key[64];
		snprintf(file, sizeof file, "repair:%lld", (long long)id);
		snprintf(key, sizeof key, "repair-%lld", (long long)id);
		const char *what = text && *text ? text : "信用修复";
		rc = count_records(r, c->unit_id, &subj, "信用修复、约谈企业", d, file, key, &what, 1,
				   &out->counted, err);
		for (size_t i = 0; !rc && i < l->n; i++) {
			rc = xy_credit_list_exit(r->credit, "repair", l->ids[i], "修复", d, err);
			out->exited += !rc;
		}
	}
	rc = tx_end(r, rc, err);
	if (rc)
		memset(out, 0, sizeof *out);
out:
	rec_state_free(st);
	case_free(c);
	free(l);
	return rc;
}

/* ---- objections ---- */

xy_code xy_objection_add(xy_repairs *r, const xy_objection_in *in, int64_t *id, xy_error *err)
{
	rec_state *st = calloc(1, sizeof *st);
	xy_case_row *c = calloc(1, sizeof *c);
	char d[11];
	xy_code rc;
	*id = 0;
	if (!st || !c) {
		rc = NOMEM();
		goto out;
	}
	if ((rc = xy__credit_date(in->date, d, "date", err)) ||
	    (rc = need_text(in->reason, "reason", "reason", err)) ||
	    (rc = record_state(r, in->record, d, st, err)) ||
	    (rc = same_subject(r, in->subject, &st->rec, err)))
		goto out;
	if (st->facts.open_objection) {
		rc = xy_error_at(err, XY_ERR_CONFLICT, NULL, 0, "record",
				 "record %lld already has objection %lld under way",
				 (long long)in->record, (long long)st->facts.open_objection);
		goto out;
	}
	if (st->disp != XY_DISP_PUBLIC) {
		rc = not_public(st, d, err);
		goto out;
	}
	copy_fixed(c->kind, sizeof c->kind, "objection");
	c->record_id = st->rec.id;
	c->subject_id = st->rec.subject_id;
	c->unit_id = st->rec.unit_id;
	memcpy(c->filed_on, d, 11);
	memcpy(c->step_on, d, 11);
	copy_fixed(c->step, sizeof c->step, "受理");
	/* borrowed: the store copies them */
	c->applicant = in->applicant && *in->applicant ? in->applicant : st->rec.subject_name;
	c->reason = in->reason;
	if ((rc = tx_begin(r, err)))
		goto out;
	rc = xy_store_case_insert(r->credit->store, c, err);
	if (!rc)
		rc = add_event(r, "objection", NULL, c->id, d, "异议", c->applicant, in->reason,
			       err);
	if (!rc)
		rc = add_event(r, "objection", NULL, c->id, d, "转办", st->rec.unit,
			       "转信息提供单位核查", err);
	if ((rc = tx_end(r, rc, err)))
		goto out;
	*id = c->id;
out:
	rec_state_free(st);
	case_free(c);
	return rc;
}

static size_t utf8_chars(const char *s)
{
	size_t n = 0;
	for (; *s; s++)
		n += ((unsigned char)*s & 0xC0) != 0x80;
	return n;
}

/* Apply "FIELD=VALUE" corrections to the record's data (obj); *decided the
 * new decision date when the date field changes. */
static xy_code apply_sets(const xy_category *cat, json_t *obj, const char *const *sets,
			  size_t nsets, char decided[11], xy_error *err)
{
	for (size_t i = 0; i < nsets; i++) {
		const char *eq = strchr(sets[i], '=');
		const xy_field *f = NULL;
		char name[256], val[11], buf[256];
		const char *v;
		if (!eq || eq == sets[i] || (size_t)(eq - sets[i]) >= sizeof name)
			return xy_error_at(err, XY_ERR_INVALID, NULL, 0, "set",
					   "'%s' is not FIELD=VALUE", sets[i]);
		memcpy(name, sets[i], (size_t)(eq - sets[i]));
		name[eq - sets[i]] = '\0';
		v = eq + 1;
		for (size_t k = 0; k < cat->nfields && !f; k++)
			if (!strcmp(cat->fields[k].code, name) || !strcmp(cat->fields[k].name, name))
				f = &cat->fields[k];
		if (!f)
			return xy_error_at(err, XY_ERR_INVALID, NULL, 0, "set",
					   "%s has no field '%s' (fields.tsv)", cat->name, name);
		if (f->role != XY_ROLE_NONE && f->role != XY_ROLE_DATE)
			return xy_error_at(err, XY_ERR_INVALID, NULL, 0, "set",
					   "%s (%s) identifies the record or its subject and cannot be "
					   "corrected by an objection",
					   f->code, f->name);
		if (!*v && f->required)
			return xy_error_at(err, XY_ERR_INVALID, NULL, 0, "set",
					   "%s (%s) is required", f->code, f->name);
		if (f->max_len && utf8_chars(v) > f->max_len)
			return xy_error_at(err, XY_ERR_INVALID, NULL, 0, "set",
					   "%s (%s) is longer than %zu characters", f->code, f->name,
					   f->max_len);
		if (f->type == XY_FT_DATE && *v) {
			if (xy_date_parse(v, val))
				return xy_error_at(err, XY_ERR_INVALID, NULL, 0, "set",
						   "%s (%s): '%s' is not a date", f->code, f->name, v);
			v = val;
			if (f->role == XY_ROLE_DATE)
				memcpy(decided, val, 11);
		}
		if ((f->type == XY_FT_DECIMAL || f->type == XY_FT_INT) && *v) {
			char *end;
			double x = strtod(v, &end);
			if (end == v || *end || x < 0 || (f->type == XY_FT_INT && strchr(v, '.')))
				return xy_error_at(err, XY_ERR_INVALID, NULL, 0, "set",
						   "%s (%s): '%s' is not a non-negative number", f->code,
						   f->name, v);
		}
		if (f->type == XY_FT_ENUM && *v) {
			const char *stored = NULL;
			for (size_t k = 0; k < f->nenum && !stored; k++) {
				const char *e = f->enum_values[k], *q = strchr(e, '=');
				if (!strcmp(e, v))
					stored = q ? NULL : e;
				if (q && (!strcmp(q + 1, v) ||
					  ((size_t)(q - e) == strlen(v) && !strncmp(e, v, strlen(v))))) {
					snprintf(buf, sizeof buf, "%.*s", (int)(q - e), e);
					stored = buf;
				}
			}
			if (!stored)
				return xy_error_at(err, XY_ERR_INVALID, NULL, 0, "set",
						   "%s (%s): '%s' is not one of its values", f->code,
						   f->name, v);
			v = stored;
		}
		if (*v)
			json_object_set_new(obj, f->code, json_string(v));
		else
			json_object_del(obj, f->code);
	}
	return XY_OK;
}

/* 更正: the corrected data as a new version of the record, through a batch. */
static xy_code correct_record(xy_repairs *r, int64_t case_id, const rec_state *st,
			      const char *const *sets, size_t nsets, const char *d, xy_error *err)
{
	const xy_category *cat = xy_registry_category(r->credit->reg, st->rec.category);
	json_error_t jerr;
	json_t *obj = json_loads(st->data.data, 0, &jerr);
	char decided[11], file[64], *js = NULL;
	xy_batch b;
	xy_record_in rec;
	xy_upsert_result res;
	xy_code rc;
	copy_fixed(decided, sizeof decided, st->rec.decided_on);
	if (!cat || !json_is_object(obj)) {
		json_decref(obj);
		return xy_error_set(err, XY_ERR_STORE, "record %lld has unreadable data",
				    (long long)st->rec.id);
	}
	if ((rc = apply_sets(cat, obj, sets, nsets, decided, err)))
		goto out;
	if (!(js = json_dumps(obj, JSON_COMPACT | JSON_PRESERVE_ORDER))) {
		rc = NOMEM();
		goto out;
	}
	if (!strcmp(js, st->data.data)) {
		rc = xy_error_at(err, XY_ERR_INVALID, NULL, 0, "set",
				 "the correction changes nothing in record %lld", (long long)st->rec.id);
		goto out;
	}
	memset(&b, 0, sizeof b);
	b.unit_id = st->rec.unit_id;
	b.category_id = st->rec.category_id;
	snprintf(file, sizeof file, "objection:%lld", (long long)case_id);
	b.file = file;
	copy_fixed(b.format, sizeof b.format, "credit");
	memcpy(b.reported_on, d, 11);
	b.status = XY_BATCH_COMMITTED;
	if ((rc = xy_store_batch_insert(r->credit->store, &b, err)))
		goto out;
	memset(&rec, 0, sizeof rec);
	rec.unit_id = st->rec.unit_id;
	rec.category_id = st->rec.category_id;
	rec.batch_id = b.id;
	rec.subject_id = st->rec.subject_id;
	rec.key = st->rec.key;
	rec.data = js;
	rec.data_len = strlen(js);
	rec.decided_on = decided[0] ? decided : NULL;
	if ((rc = xy_store_record_upsert(r->credit->store, &rec, &res, err)))
		goto out;
	b.rows = 1;
	b.updated = res == XY_UPSERT_UPDATED;
	b.unchanged = !b.updated;
	copy_fixed(b.finished_at, sizeof b.finished_at, b.started_at);
	rc = xy_store_batch_update(r->credit->store, &b, err);
out:
	free(js);
	json_decref(obj);
	return rc;
}

xy_code xy_objection_decide(xy_repairs *r, int64_t id, const char *unit, const char *result,
			    const char *const *sets, size_t nsets, const char *text,
			    const char *date, xy_error *err)
{
	xy_case_row *c = calloc(1, sizeof *c);
	rec_state *st = calloc(1, sizeof *st);
	xy_buf detail = XY_BUF_INIT;
	char d[11];
	xy_code rc;
	if (!c || !st) {
		rc = NOMEM();
		goto out;
	}
	if (!result || (strcmp(result, "更正") && strcmp(result, "维持") && strcmp(result, "撤销"))) {
		rc = xy_error_at(err, XY_ERR_INVALID, NULL, 0, "result",
				 "the result must be 更正, 维持 or 撤销, not '%s'", result ? result : "");
		goto out;
	}
	if (!strcmp(result, "更正") && !nsets) {
		rc = xy_error_at(err, XY_ERR_ARG, NULL, 0, "set",
				 "更正 needs the corrected fields (--set FIELD=VALUE)");
		goto out;
	}
	if (strcmp(result, "更正") && nsets) {
		rc = xy_error_at(err, XY_ERR_ARG, NULL, 0, "set", "--set is only for 更正, not %s",
				 result);
		goto out;
	}
	if (!unit || !*unit) {
		rc = xy_error_at(err, XY_ERR_ARG, NULL, 0, "unit", "no unit given (--unit)");
		goto out;
	}
	if ((rc = next_step(r, id, "objection", "受理", result, unit, date, d, c, err)))
		goto out;
	st->data = (xy_buf)XY_BUF_INIT;
	if ((rc = need_record(r, c->record_id, &st->rec, &st->data, err)))
		goto out;
	if (xy_buf_addstr(&detail, text ? text : "")) {
		rc = NOMEM();
		goto out;
	}
	for (size_t i = 0; i < nsets; i++)
		if (xy_buf_addf(&detail, "%s%s", detail.len ? "; " : "", sets[i])) {
			rc = NOMEM();
			goto out;
		}
	if ((rc = tx_begin(r, err)))
		goto out;
	rc = xy_store_case_step(r->credit->store, id, "受理", result, d, err);
	if (!rc && nsets)
		rc = correct_record(r, id, st, sets, nsets, d, err);
	if (!rc)
		rc = add_event(r, "objection", c, id, d, result, c->unit, detail.data, err);
	rc = tx_end(r, rc, err);
out:
	xy_buf_release(&detail);
	rec_state_free(st);
	case_free(c);
	return rc;
}

/* ---- cases as JSON ---- */

static int on_event(void *ctx, const xy_case_event *ev)
{
	json_array_append_new(ctx, json_pack("{s:s,s:s,s:s,s:s,s:s}", "on", ev->on, "at", ev->at,
					     "action", ev->action, "actor", ev->actor, "detail",
					     ev->detail));
	return 0;
}

/* The deadline of an open case: "" when closed; *from the day it counts from. */
static void case_due(const xy_repairs *r, const xy_case_row *c, json_t *hist, char due[11],
		     const char **from)
{
	due[0] = '\0';
	*from = c->filed_on;
	if (final_step(c))
		return;
	if (!strcmp(c->kind, "objection")) {
		xy_cal_add_workdays(&r->pub, c->filed_on, r->pub.deadline[XY_DL_OBJECTION], due);
	} else if (!strcmp(c->step, "申请")) {
		xy_cal_add_workdays(&r->pub, c->filed_on, r->pub.deadline[XY_DL_REPAIR_ACCEPT], due);
	} else {
		const char *acc = c->step_on;
		size_t i;
		json_t *e;
		json_array_foreach(hist, i, e)
			if (!strcmp(json_string_value(json_object_get(e, "action")), "受理"))
				acc = json_string_value(json_object_get(e, "on"));
		xy_cal_add_workdays(&r->pub, acc, r->pub.deadline[XY_DL_REPAIR_DECIDE], due);
		*from = acc;
	}
}

static xy_code case_obj(xy_repairs *r, const xy_case_row *c, const char *d, json_t **out,
			xy_error *err)
{
	json_t *o, *hist = json_array(), *ev = json_array();
	xy_record_row *rec = calloc(1, sizeof *rec);
	xy_buf data = XY_BUF_INIT;
	xy_display disp = XY_DISP_PUBLIC;
	char due[11];
	const char *p = c->evidence, *due_from;
	xy_code rc;
	*out = NULL;
	if (!rec || !hist || !ev) {
		rc = NOMEM();
		goto fail;
	}
	if ((rc = xy_store_case_events(r->credit->store, c->id, on_event, hist, err)) ||
	    (rc = need_record(r, c->record_id, rec, &data, err)) ||
	    (rc = xy_record_display(r, c->record_id, rec->category, data.data, rec->decided_on, d,
				    &disp, NULL, err)))
		goto fail;
	while (*p) {
		size_t n = strcspn(p, "\n");
		json_array_append_new(ev, json_stringn(p, n));
		p += n + (p[n] == '\n');
	}
	case_due(r, c, hist, due, &due_from);
	o = json_pack("{s:I,s:s,s:I,s:s,s:s,s:s,s:s,s:s,s:o,s:s,s:s,s:s,s:b,s:o,s:b,s:b}", "id",
		      (json_int_t)c->id, "kind", c->kind, "record", (json_int_t)c->record_id,
		      "category", c->category, "record_key", c->record_key, "subject",
		      c->subject_code, "subject_name", c->subject_name, "unit", c->unit, "entry",
		      c->entry_id ? json_integer(c->entry_id) : json_null(), "filed_on", c->filed_on,
		      "step", c->step, "step_on", c->step_on, "open", !final_step(c), "due",
		      due[0] ? json_string(due) : json_null(), "overdue",
		      due[0] && strcmp(d, due) > 0, "due_estimated",
		      due[0] && !xy_cal_covers(&r->pub, due_from, due));
	if (!o) {
		rc = NOMEM();
		goto fail;
	}
	json_object_set_new(o, "applicant", json_string(c->applicant));
	json_object_set_new(o, "reason", json_string(c->reason));
	if (!strcmp(c->kind, "repair")) {
		json_object_set_new(o, "evidence", ev);
		json_object_set_new(o, "commitment", json_string(c->commitment));
		ev = NULL;
	}
	json_object_set_new(o, "record_display", json_string(xy_display_name(disp)));
	json_object_set_new(o, "history", hist);
	hist = NULL;
	{ /* filed online: the receipt, contact and attachments (applications.h) */
		json_t *app = NULL;
		if ((rc = xy_application_of_case(r->credit->store, c->id, &app, err))) {
			json_decref(o);
			goto fail;
		}
		if (app)
			json_object_set_new(o, "application", app);
	}
	*out = o;
fail:
	json_decref(hist);
	json_decref(ev);
	xy_buf_release(&data);
	xy_record_row_release(rec);
	free(rec);
	return rc;
}

static xy_code dump(json_t *v, xy_buf *out, xy_error *err)
{
	char *s = json_dumps(v, JSON_COMPACT | JSON_PRESERVE_ORDER);
	xy_code rc = s && !xy_buf_addstr(out, s) ? XY_OK : NOMEM();
	free(s);
	return rc;
}

xy_code xy_case_json(xy_repairs *r, int64_t id, const char *date, xy_buf *out, xy_error *err)
{
	xy_case_row *c = calloc(1, sizeof *c);
	json_t *o = NULL;
	char d[11];
	xy_code rc;
	if (!c)
		return NOMEM();
	if (!(rc = xy__credit_date(date, d, "date", err)) && !(rc = need_case(r, id, NULL, c, err)) &&
	    !(rc = case_obj(r, c, d, &o, err)))
		rc = dump(o, out, err);
	json_decref(o);
	case_free(c);
	return rc;
}

typedef struct ids {
	int64_t *v;
	size_t n, cap;
	bool nomem;
} ids;

static int on_case_id(void *ctx, const xy_case_row *c)
{
	ids *l = ctx;
	int64_t *v = xy_array_grow(l->v, l->n, &l->cap, sizeof *v, 16);
	if (!v) {
		l->nomem = true;
		return 1;
	}
	l->v = v;
	l->v[l->n++] = c->id;
	return 0;
}

xy_code xy_cases_json(xy_repairs *r, const char *kind, bool overdue_only, const char *date,
		      xy_buf *out, xy_error *err)
{
	ids l = { NULL, 0, 0, false };
	xy_case_row *c = calloc(1, sizeof *c);
	json_t *arr = json_array();
	char d[11];
	xy_code rc;
	if (!c || !arr) {
		rc = NOMEM();
		goto out;
	}
	if ((rc = xy__credit_date(date, d, "date", err)) ||
	    (rc = xy_store_cases(r->credit->store, kind, 0, on_case_id, &l, err)))
		goto out;
	if (l.nomem) {
		rc = NOMEM();
		goto out;
	}
	/* the ids first: building a case runs other queries of the store */
	for (size_t i = 0; !rc && i < l.n; i++) {
		json_t *o;
		rc = need_case(r, l.v[i], NULL, c, err);
		if (!rc)
			rc = case_obj(r, c, d, &o, err);
		xy_case_row_release(c);
		if (rc)
			break;
		if (overdue_only && !json_is_true(json_object_get(o, "overdue")))
			json_decref(o);
		else
			json_array_append_new(arr, o);
	}
	if (!rc)
		rc = dump(arr, out, err);
out:
	json_decref(arr);
	free(l.v);
	case_free(c);
	return rc;
}

/* ---- interviews ---- */

xy_code xy_interview_add(xy_repairs *r, const xy_interview_in *in, int64_t *id, xy_error *err)
{
	xy_interview_row *row = calloc(1, sizeof *row);
	const xy_unit *u;
	XY_SUBJECT_AUTO(subj);
	xy_buf persons = XY_BUF_INIT;
	char d[11];
	long counted = 0;
	xy_code rc;
	*id = 0;
	if (!row)
		return NOMEM();
	if ((rc = need_unit(r, in->unit, &u, err)) || (rc = xy__credit_date(in->date, d, "date", err)) ||
	    (rc = need_text(in->topic, "topic", "topic", err)))
		goto out;
	if (!in->npersons) {
		rc = xy_error_at(err, XY_ERR_ARG, NULL, 0, "person",
				 "no person interviewed given (--person 姓名[:职务])");
		goto out;
	}
	for (size_t i = 0; i < in->npersons; i++) {
		const char *p = in->persons[i];
		if (!p || !*p || *p == ':' || strchr(p, '\n')) {
			rc = xy_error_at(err, XY_ERR_INVALID, NULL, 0, "person",
					 "person %zu has no name (姓名[:职务])", i + 1);
			goto out;
		}
		if (xy_buf_addf(&persons, "%s%s", i ? "\n" : "", p)) {
			rc = NOMEM();
			goto out;
		}
	}
	if (!in->subject || !*in->subject) {
		rc = xy_error_at(err, XY_ERR_ARG, NULL, 0, "subject", "no subject given (--subject)");
		goto out;
	}
	if ((rc = xy_credit_subject(r->credit, in->subject, &subj, err)))
		goto out;
	if (subj.kind == XY_SUBJ_PERSON) {
		rc = xy_error_at(err, XY_ERR_INVALID, NULL, 0, "subject",
				 "%s is a natural person; 约谈 is of an enterprise (its representatives "
				 "are the persons)",
				 subj.code);
		goto out;
	}
	row->subject_id = subj.id;
	row->unit_id = u->id;
	memcpy(row->on, d, 11);
	/* borrowed: the store copies them */
	row->persons = persons.data;
	row->npersons = (int)in->npersons;
	row->topic = in->topic;
	row->result = in->result ? in->result : "";
	if ((rc = tx_begin(r, err)))
		goto out;
	rc = xy_store_interview_insert(r->credit->store, row, err);
	if (!rc) {
		char file[64], key[64];
		snprintf(file, sizeof file, "interview:%lld", (long long)row->id);
		snprintf(key, sizeof key, "interview-%lld", (long long)row->id);
		rc = count_records(r, u->id, &subj, "信用修复、约谈企业", d, file, key, &in->topic, 1,
				   &counted, err);
		/* one per person: the region table's 约谈失信企业代表数量 counts the
		 * representatives interviewed (docs/repair.md) */
		if (!rc)
			rc = count_records(r, u->id, &subj, "约谈失信企业代表数量", d, file, key,
					   in->persons, in->npersons, &counted, err);
	}
	if ((rc = tx_end(r, rc, err)))
		goto out;
	*id = row->id;
out:
	xy_buf_release(&persons);
	free(row);
	return rc;
}

static int on_interview(void *ctx, const xy_interview_row *iv)
{
	json_t *persons = json_array();
	const char *p = iv->persons;
	while (*p) {
		size_t n = strcspn(p, "\n");
		json_array_append_new(persons, json_stringn(p, n));
		p += n + (p[n] == '\n');
	}
	json_array_append_new(ctx, json_pack("{s:I,s:s,s:s,s:s,s:s,s:o,s:s,s:s}", "id",
					     (json_int_t)iv->id, "subject", iv->subject_code,
					     "subject_name", iv->subject_name, "unit", iv->unit,
					     "date", iv->on, "persons", persons, "topic", iv->topic,
					     "result", iv->result));
	return 0;
}

xy_code xy_interviews_json(xy_repairs *r, const char *subject, xy_buf *out, xy_error *err)
{
	json_t *arr = json_array();
	XY_SUBJECT_AUTO(subj);
	xy_code rc = XY_OK;
	subj.id = 0;
	if (!arr)
		return NOMEM();
	if (subject && *subject)
		rc = xy_credit_subject(r->credit, subject, &subj, err);
	if (!rc)
		rc = xy_store_interviews(r->credit->store, subj.id, on_interview, arr, err);
	if (!rc)
		rc = dump(arr, out, err);
	json_decref(arr);
	return rc;
}
