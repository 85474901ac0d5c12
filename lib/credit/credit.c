/* xinyong: credit actions on the store — lists, the check, feedback, watch. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "xinyong/codes.h"
#include "xinyong/credit.h"
#include "xinyong/date.h"

#define NOMEM() xy_error_set(err, XY_ERR_NOMEM, "out of memory")

xy_code xy_credit_open(xy_credit *c, xy_store *s, const xy_registry *reg,
		       const char *config_dir, xy_error *err)
{
	xy_code rc;
	memset(c, 0, sizeof *c);
	c->store = s;
	c->reg = reg;
	xy_sanctions_init(&c->cat);
	rc = xy_sanctions_load_dir(&c->cat, reg, config_dir ? config_dir : xy_registry_default_dir(),
				   err);
	for (size_t i = 0; !rc && i < c->cat.nlist_types; i++)
		rc = xy_store_list_type_ensure(s, &c->cat.list_types[i], err);
	if (rc)
		xy_sanctions_release(&c->cat);
	return rc;
}

void xy_credit_release(xy_credit *c)
{
	if (c)
		xy_sanctions_release(&c->cat);
}

xy_code xy_credit_subject(xy_credit *c, const char *q, xy_subject *out, xy_error *err)
{
	xy_subject *v = NULL;
	size_t n = 0, hit = 0, nhits = 0;
	char norm[XY_ID_MAX];
	xy_code rc;
	if (!q || !*q)
		return xy_error_at(err, XY_ERR_ARG, NULL, 0, "subject", "no subject given");
	xy_id_normalize(q, norm, sizeof norm);
	if ((rc = xy_store_subject_find(c->store, q, 20, &v, &n, err)))
		return rc;
	for (size_t i = 0; i < n; i++)
		if (!strcmp(v[i].code, norm) || !strcmp(v[i].name, q)) {
			if (!nhits++)
				hit = i;
		}
	if (nhits == 1)
		*out = v[hit];
	free(v);
	if (!nhits)
		return xy_error_at(err, XY_ERR_NOTFOUND, NULL, 0, "subject",
				   "unknown subject '%s' (未找到主体)", q);
	if (nhits > 1)
		return xy_error_at(err, XY_ERR_CONFLICT, NULL, 0, "subject",
				   "%zu subjects are named '%s'; give the code", nhits, q);
	return XY_OK;
}

xy_code xy_credit_person_parse(const char *s, xy_credit_person *out, xy_error *err)
{
	const char *a = s ? strchr(s, ':') : NULL, *b = a ? strchr(a + 1, ':') : NULL;
	xy_target t;
	xy_id_result id;
	memset(out, 0, sizeof *out);
	if (!a || !b || !b[1])
		return xy_error_at(err, XY_ERR_INVALID, NULL, 0, "person",
				   "'%s' is not ROLE:身份证号:姓名", s ? s : "");
	if ((size_t)(a - s) >= sizeof out->role || (size_t)(b - a - 1) >= sizeof out->code ||
	    strlen(b + 1) >= sizeof out->name)
		return xy_error_at(err, XY_ERR_INVALID, NULL, 0, "person", "'%s' is too long", s);
	memcpy(out->role, s, (size_t)(a - s));
	memcpy(out->code, a + 1, (size_t)(b - a - 1));
	memcpy(out->name, b + 1, strlen(b + 1) + 1);
	if (xy_target_parse(out->role, &t) < 0 || t == XY_TARGET_UNIT)
		return xy_error_at(err, XY_ERR_INVALID, NULL, 0, "person",
				   "role '%s' must be 法定代表人, 主要负责人 or 直接责任人", out->role);
	xy_id_check(out->code, XY_ID_RIC, &id);
	if (!id.valid)
		return xy_error_at(err, XY_ERR_INVALID, NULL, 0, "person",
				   "'%s' is not a valid 身份证号: %s", out->code, id.reason_zh);
	memcpy(out->code, id.normalized, sizeof out->code);
	return XY_OK;
}

static xy_code need_unit(xy_credit *c, const char *unit, const xy_unit **u, xy_error *err)
{
	if (!unit || !*unit)
		return xy_error_at(err, XY_ERR_ARG, NULL, 0, "unit", "no unit given");
	if (!(*u = xy_registry_unit(c->reg, unit)))
		return xy_error_at(err, XY_ERR_NOTFOUND, NULL, 0, "unit",
				   "unknown unit '%s' (units.tsv)", unit);
	return XY_OK;
}

static xy_code need_date(const char *in, char out[11], const char *field, xy_error *err)
{
	if (!in || !*in) {
		xy_date_today(out);
		return XY_OK;
	}
	if (xy_date_parse(in, out))
		return xy_error_at(err, XY_ERR_INVALID, NULL, 0, field, "'%s' is not a date", in);
	return XY_OK;
}

/* A new subject from a code and a name: USCC (legal person) or RIC (person). */
static xy_code new_subject(const char *code, const char *name, xy_subject *out, xy_error *err)
{
	xy_id_result id;
	memset(out, 0, sizeof *out);
	xy_id_check(code, XY_ID_UNKNOWN, &id);
	if (!id.valid || (id.kind != XY_ID_USCC && id.kind != XY_ID_RIC))
		return xy_error_at(err, XY_ERR_INVALID, NULL, 0, "subject",
				   "'%s' is not a valid 统一社会信用代码 or 身份证号: %s", code,
				   id.reason_zh[0] ? id.reason_zh : "unrecognised");
	if (strlen(name) >= sizeof out->name)
		return xy_error_at(err, XY_ERR_INVALID, NULL, 0, "name", "name too long");
	memcpy(out->code, id.normalized, sizeof out->code);
	memcpy(out->name, name, strlen(name) + 1);
	if (id.kind == XY_ID_USCC) {
		out->kind = XY_SUBJ_LEGAL;
		memcpy(out->code_type, "uscc", 5);
		xy_uscc_division(out->code, out->division);
	} else {
		out->kind = XY_SUBJ_PERSON;
		memcpy(out->code_type, "ric", 4);
		memcpy(out->division, out->code, 6);
		out->division[6] = '\0';
	}
	return XY_OK;
}

static xy_code copy_field(char *dst, size_t n, const char *src, const char *field, xy_error *err)
{
	size_t len = src ? strlen(src) : 0;
	if (len >= n)
		return xy_error_at(err, XY_ERR_INVALID, NULL, 0, field, "too long (%zu bytes)", len);
	if (len)
		memcpy(dst, src, len);
	dst[len] = '\0';
	return XY_OK;
}

xy_code xy_credit_list_add(xy_credit *c, const xy_list_add *a, xy_entry_row *out,
			   long *notices, xy_error *err)
{
	const xy_list_type *lt;
	const xy_unit *u;
	xy_subject subj;
	xy_subject *persons = NULL;
	bool subj_new = false;
	char from[11], to[11];
	xy_code rc;

	*notices = 0;
	memset(out, 0, sizeof *out);
	if (!a->type || !(lt = xy_sanctions_list_type(&c->cat, a->type)))
		return xy_error_at(err, XY_ERR_NOTFOUND, NULL, 0, "type",
				   "unknown list type '%s' (list-types.tsv)", a->type ? a->type : "");
	if ((rc = need_unit(c, a->unit, &u, err)))
		return rc;
	if (lt->unit[0] && strcmp(lt->unit, u->name))
		return xy_error_at(err, XY_ERR_INVALID, NULL, 0, "unit",
				   "%s is designated by %s, not %s (谁认定谁负责)", lt->name, lt->unit,
				   u->name);
	if (!a->doc || !*a->doc)
		return xy_error_at(err, XY_ERR_ARG, NULL, 0, "doc", "no decision document number");
	if (!a->from || !*a->from)
		return xy_error_at(err, XY_ERR_ARG, NULL, 0, "from", "no start date");
	if ((rc = need_date(a->from, from, "from", err)))
		return rc;
	if (a->to && *a->to) {
		if ((rc = need_date(a->to, to, "to", err)))
			return rc;
		if (strcmp(to, from) < 0)
			return xy_error_at(err, XY_ERR_INVALID, NULL, 0, "to",
					   "end %s is before start %s", to, from);
	} else if (xy_list_type_end(lt, from, to)) {
		return xy_error_at(err, XY_ERR_INVALID, NULL, 0, "from", "bad start date %s", from);
	}

	rc = xy_credit_subject(c, a->subject, &subj, err);
	if (rc == XY_ERR_NOTFOUND && a->name && *a->name) {
		xy_error_clear(err);
		if ((rc = new_subject(a->subject, a->name, &subj, err)))
			return rc;
		subj_new = true;
	} else if (rc == XY_ERR_NOTFOUND) {
		return xy_error_at(err, XY_ERR_NOTFOUND, NULL, 0, "subject",
				   "unknown subject '%s' (未找到主体); give --name to register it",
				   a->subject);
	} else if (rc) {
		return rc;
	}
	if (a->npersons && subj.kind == XY_SUBJ_PERSON)
		return xy_error_at(err, XY_ERR_INVALID, NULL, 0, "person",
				   "persons are linked to an enterprise's entry, and %s is a person",
				   subj.code);
	if (a->npersons && !(persons = calloc(a->npersons, sizeof *persons)))
		return NOMEM();
	for (size_t i = 0; i < a->npersons; i++) {
		if ((rc = new_subject(a->persons[i].code, a->persons[i].name, &persons[i], err)))
			goto out;
		if (persons[i].kind != XY_SUBJ_PERSON) {
			rc = xy_error_at(err, XY_ERR_INVALID, NULL, 0, "person",
					 "%s is not a 身份证号", a->persons[i].code);
			goto out;
		}
	}

	out->unit_id = u->id;
	if ((rc = copy_field(out->list_type, sizeof out->list_type, lt->name, "type", err)) ||
	    (rc = copy_field(out->doc, sizeof out->doc, a->doc, "doc", err)) ||
	    (rc = copy_field(out->reason, sizeof out->reason, a->reason, "reason", err)))
		goto out;
	memcpy(out->from, from, sizeof from);
	memcpy(out->to, to, sizeof to);

	if ((rc = xy_store_begin(c->store, false, err)))
		goto out;
	if (subj_new)
		rc = xy_store_subject_upsert(c->store, &subj, err);
	out->subject_id = subj.id;
	if (!rc)
		rc = xy_store_entry_insert(c->store, out, err);
	for (size_t i = 0; !rc && i < a->npersons; i++) {
		rc = xy_store_subject_upsert(c->store, &persons[i], err);
		if (!rc)
			rc = xy_store_entry_person_add(c->store, out->id, persons[i].id,
						       a->persons[i].role, err);
	}
	if (!rc && lt->kind == XY_LIST_BLACK)
		rc = xy_store_notify(c->store, subj.id, out->id, notices, err);
	if (!rc)
		rc = xy_store_commit(c->store, err);
	if (rc) {
		xy_store_rollback(c->store, NULL);
		*notices = 0;
		goto out;
	}
	rc = xy_store_entry_get(c->store, out->id, out, err);
out:
	free(persons);
	return rc;
}

xy_code xy_credit_list_exit(xy_credit *c, int64_t entry, const char *how, const char *date,
			    xy_error *err)
{
	xy_entry_row e;
	xy_exit x;
	char d[11];
	xy_code rc;
	if (!how || xy_exit_parse(how, &x) < 0 || x == XY_EXIT_NONE)
		return xy_error_at(err, XY_ERR_INVALID, NULL, 0, "how",
				   "exit must be 修复, 注销, 吊销 or 撤销, not '%s'", how ? how : "");
	if (!date || !*date)
		return xy_error_at(err, XY_ERR_ARG, NULL, 0, "date", "no exit date");
	if ((rc = need_date(date, d, "date", err)))
		return rc;
	if ((rc = xy_store_entry_get(c->store, entry, &e, err)))
		return rc;
	if (e.exit_how[0])
		return xy_error_set(err, XY_ERR_CONFLICT,
				    "list entry %lld has already exited (%s on %s)", (long long)entry,
				    e.exit_how, e.exit_date);
	if (strcmp(d, e.from) < 0)
		return xy_error_at(err, XY_ERR_INVALID, NULL, 0, "date",
				   "exit date %s is before the entry's start %s", d, e.from);
	return xy_store_entry_exit(c->store, entry, how, d, NULL, err);
}

/* ---- the check ---- */

typedef struct rows {
	xy_entry_row *v;
	size_t n, cap;
	bool nomem;
} rows;

static int collect(void *ctx, const xy_entry_row *e)
{
	rows *r = ctx;
	if (r->n == r->cap) {
		size_t cap = r->cap ? r->cap * 2 : 8;
		xy_entry_row *v = realloc(r->v, cap * sizeof *v);
		if (!v) {
			r->nomem = true;
			return 1;
		}
		r->v = v;
		r->cap = cap;
	}
	r->v[r->n++] = *e;
	return 0;
}

static const char *via_name(int via)
{
	return via == XY_VIA_PERSON ? "person" : via == XY_VIA_ENTERPRISE ? "enterprise" : "own";
}

xy_code xy_credit_check(xy_credit *c, const char *subject, const char *unit,
			const char *matter, const char *date, int64_t *check_id,
			xy_buf *answer, xy_error *err)
{
	const xy_unit *u;
	const xy_matter *mt = NULL;
	xy_subject subj;
	char d[11];
	rows r = { NULL, 0, 0, false };
	xy_list_entry *le = NULL;
	xy_sanction_hits hits = { NULL, 0 };
	xy_check_row ck;
	json_t *body = NULL, *ents, *meas, *out = NULL;
	char *text = NULL;
	xy_code rc;

	*check_id = 0;
	if ((rc = need_unit(c, unit, &u, err)))
		return rc;
	if (matter && *matter && !(mt = xy_sanctions_matter(&c->cat, matter)))
		return xy_error_at(err, XY_ERR_NOTFOUND, NULL, 0, "matter",
				   "unknown matter '%s' (matters.tsv)", matter);
	if ((rc = need_date(date, d, "date", err)))
		return rc;
	if ((rc = xy_credit_subject(c, subject, &subj, err)))
		return rc;
	if ((rc = xy_store_subject_entries(c->store, subj.id, collect, &r, err)))
		goto out;
	if (r.nomem) {
		rc = NOMEM();
		goto out;
	}
	if (r.n && !(le = calloc(r.n, sizeof *le))) {
		rc = NOMEM();
		goto out;
	}
	for (size_t i = 0; i < r.n; i++) {
		const xy_entry_row *e = &r.v[i];
		xy_target role = XY_TARGET_LEGAL_REP;
		xy_exit x = XY_EXIT_NONE;
		xy_exit_parse(e->exit_how, &x);
		if (e->via != XY_VIA_OWN)
			xy_target_parse(e->role, &role);
		le[i] = (xy_list_entry){ e->list_type, e->doc, e->from, e->to, x, e->exit_date,
					 (xy_entry_via)e->via, role, e->via_name };
	}
	if ((rc = xy_sanctions_resolve(&c->cat, u->name, mt ? mt->code : NULL, d, le, r.n, &hits,
				       err)))
		goto out;

	body = json_object();
	ents = json_array();
	meas = json_array();
	json_object_set_new(body, "subject", json_string(subj.code));
	json_object_set_new(body, "subject_name", json_string(subj.name));
	json_object_set_new(body, "unit", json_string(u->name));
	json_object_set_new(body, "matter", mt ? json_string(mt->name) : json_null());
	json_object_set_new(body, "date", json_string(d));
	json_object_set_new(body, "answer", json_string(hits.n ? "有" : "无"));
	for (size_t i = 0; i < r.n; i++) {
		const xy_entry_row *e = &r.v[i];
		json_t *o;
		if (xy_entry_status_on(&le[i], d) != XY_ENTRY_ACTIVE)
			continue;
		o = json_pack("{s:I,s:s,s:s,s:s,s:o,s:s,s:s}", "entry", (json_int_t)e->id,
			      "list_type", e->list_type, "doc", e->doc, "from", e->from, "to",
			      e->to[0] ? json_string(e->to) : json_null(), "unit", e->unit, "via",
			      via_name(e->via));
		if (o && e->via != XY_VIA_OWN) {
			json_object_set_new(o, "role", json_string(e->role));
			json_object_set_new(o, "through", json_string(e->via_code));
			json_object_set_new(o, "through_name", json_string(e->via_name));
		}
		json_array_append_new(ents, o);
	}
	for (size_t i = 0; i < hits.n; i++) {
		const xy_sanction_hit *h = &hits.v[i];
		json_t *o = json_pack("{s:s,s:i,s:s,s:s,s:s,s:o,s:s,s:I,s:s}", "memorandum",
				      h->memorandum->doc, "number", h->measure->number, "text",
				      h->measure->text, "kind", xy_measure_kind_name(h->measure->kind),
				      "legal_basis", h->measure->basis, "condition",
				      h->measure->condition[0] ? json_string(h->measure->condition)
							       : json_null(),
				      "triggered_by", r.v[h->entry].doc, "entry",
				      (json_int_t)r.v[h->entry].id, "list_type",
				      r.v[h->entry].list_type);
		json_array_append_new(meas, o);
	}
	json_object_set_new(body, "entries", ents);
	json_object_set_new(body, "measures", meas);
	if (!(text = json_dumps(body, JSON_COMPACT | JSON_PRESERVE_ORDER))) {
		rc = NOMEM();
		goto out;
	}
	memset(&ck, 0, sizeof ck);
	ck.unit_id = u->id;
	ck.subject_id = subj.id;
	if (mt)
		snprintf(ck.matter, sizeof ck.matter, "%s", mt->code);
	memcpy(ck.date, d, sizeof d);
	if ((rc = xy_store_check_insert(c->store, &ck, text, err)))
		goto out;
	*check_id = ck.id;
	free(text);
	out = json_pack("{s:I}", "check_id", (json_int_t)ck.id);
	json_object_update(out, body);
	if (!(text = json_dumps(out, JSON_COMPACT | JSON_PRESERVE_ORDER)) ||
	    xy_buf_addstr(answer, text))
		rc = NOMEM();
out:
	free(text);
	json_decref(out);
	json_decref(body);
	xy_sanction_hits_release(&hits);
	free(le);
	free(r.v);
	return rc;
}

/* ---- feedback ---- */

static bool listed(const int *v, size_t n, int x)
{
	for (size_t i = 0; i < n; i++)
		if (v[i] == x)
			return true;
	return false;
}

/* One statistics record of category `cat` for an applied measure. */
static xy_code stat_record(xy_credit *c, const xy_check_row *ck, const xy_subject *subj,
			   const char *cat_name, const char *date, const char *memo, int number,
			   const char *text, const char *result, long *count, xy_error *err)
{
	const xy_category *cat = xy_registry_category(c->reg, cat_name);
	xy_batch b;
	xy_record_in rec;
	xy_upsert_result res;
	xy_buf key = XY_BUF_INIT;
	json_t *data;
	char *js = NULL;
	xy_code rc;
	if (!cat)
		return xy_error_set(err, XY_ERR_CONFIG, "no category '%s' in the registry", cat_name);
	memset(&b, 0, sizeof b);
	b.unit_id = ck->unit_id;
	b.category_id = cat->id;
	snprintf(b.file, sizeof b.file, "feedback:%lld", (long long)ck->id);
	snprintf(b.format, sizeof b.format, "feedback");
	memcpy(b.reported_on, date, 11);
	b.status = XY_BATCH_COMMITTED;
	if ((rc = xy_store_batch_insert(c->store, &b, err)))
		return rc;
	if (xy_buf_addf(&key, "check-%lld-%s-%d", (long long)ck->id, memo, number))
		return NOMEM();
	data = json_pack("{s:s,s:s,s:s,s:s,s:s,s:s}", "BH", key.data, "XDR_MC", subj->name,
			 subj->kind == XY_SUBJ_PERSON ? "XDR_ZJHM" : "XDR_SHXYM", subj->code, "RQ",
			 date, "NR", text, "BZ", result ? result : "");
	if (data)
		js = json_dumps(data, JSON_COMPACT | JSON_PRESERVE_ORDER);
	json_decref(data);
	if (!js) {
		xy_buf_release(&key);
		return NOMEM();
	}
	memset(&rec, 0, sizeof rec);
	rec.unit_id = ck->unit_id;
	rec.category_id = cat->id;
	rec.batch_id = b.id;
	rec.subject_id = subj->id;
	rec.key = key.data;
	rec.data = js;
	rec.data_len = strlen(js);
	rec.decided_on = date;
	rc = xy_store_record_upsert(c->store, &rec, &res, err);
	if (!rc) {
		b.rows = 1;
		b.added = res == XY_UPSERT_NEW;
		b.updated = res == XY_UPSERT_UPDATED;
		b.unchanged = res == XY_UPSERT_UNCHANGED || res == XY_UPSERT_DUPLICATE;
		snprintf(b.finished_at, sizeof b.finished_at, "%s", b.started_at);
		rc = xy_store_batch_update(c->store, &b, err);
		*count += b.added;
	}
	free(js);
	xy_buf_release(&key);
	return rc;
}

xy_code xy_credit_feedback(xy_credit *c, const xy_feedback_in *f, xy_feedback_out *out,
			   xy_error *err)
{
	const xy_unit *u;
	xy_check_row ck;
	xy_subject subj;
	xy_buf ans = XY_BUF_INIT;
	json_t *a = NULL, *meas;
	json_error_t jerr;
	char d[11];
	xy_code rc;
	size_t i;

	memset(out, 0, sizeof *out);
	if ((rc = need_unit(c, f->unit, &u, err)) || (rc = need_date(f->date, d, "date", err)))
		return rc;
	if (!f->napplied && !f->nnot_applied)
		return xy_error_at(err, XY_ERR_ARG, NULL, 0, "applied",
				   "say which measures were applied (--applied) or not (--not-applied)");
	if (f->nnot_applied && (!f->reason || !*f->reason))
		return xy_error_at(err, XY_ERR_ARG, NULL, 0, "reason",
				   "a measure not applied needs a reason (--reason)");
	for (i = 0; i < f->napplied; i++)
		if (listed(f->not_applied, f->nnot_applied, f->applied[i]))
			return xy_error_at(err, XY_ERR_ARG, NULL, 0, "applied",
					   "measure %d is both applied and not applied", f->applied[i]);
	if ((rc = xy_store_check_get(c->store, f->check_id, &ck, &ans, err))) {
		if (rc == XY_ERR_NOTFOUND)
			rc = xy_error_at(err, XY_ERR_NOTFOUND, NULL, 0, "check",
					 "no check %lld", (long long)f->check_id);
		goto done;
	}
	if (ck.unit_id != u->id) {
		rc = xy_error_at(err, XY_ERR_INVALID, NULL, 0, "unit",
				 "check %lld was asked by %s, not %s", (long long)ck.id, ck.unit,
				 u->name);
		goto done;
	}
	if ((rc = xy_credit_subject(c, ck.subject_code, &subj, err)))
		goto done;
	if (!(a = json_loads(ans.data, 0, &jerr)) || !json_is_array(meas = json_object_get(a, "measures"))) {
		rc = xy_error_set(err, XY_ERR_STORE, "check %lld has an unreadable answer",
				  (long long)ck.id);
		goto done;
	}
	/* every number must be in the answer */
	for (int pass = 0; pass < 2; pass++) {
		const int *v = pass ? f->not_applied : f->applied;
		size_t n = pass ? f->nnot_applied : f->napplied;
		for (i = 0; i < n; i++) {
			size_t k;
			json_t *m;
			bool found = false;
			json_array_foreach(meas, k, m)
				found |= json_integer_value(json_object_get(m, "number")) == v[i];
			if (!found) {
				rc = xy_error_at(err, XY_ERR_INVALID, NULL, 0, "measure",
						 "measure %d is not in the answer of check %lld", v[i],
						 (long long)ck.id);
				goto done;
			}
		}
	}

	if ((rc = xy_store_begin(c->store, false, err)))
		goto done;
	{
		size_t k, j;
		json_t *m;
		json_array_foreach(meas, k, m) {
			int num = (int)json_integer_value(json_object_get(m, "number"));
			const char *memo = json_string_value(json_object_get(m, "memorandum"));
			const char *kind = json_string_value(json_object_get(m, "kind"));
			const char *text = json_string_value(json_object_get(m, "text"));
			bool applied = listed(f->applied, f->napplied, num), dup = false, national = false;
			xy_feedback_row fb;
			json_t *m2;
			if (!applied && !listed(f->not_applied, f->nnot_applied, num))
				continue;
			/* a measure triggered by several entries: one feedback */
			json_array_foreach(meas, j, m2) {
				if (j >= k)
					break;
				if (json_integer_value(json_object_get(m2, "number")) == num &&
				    json_equal(json_object_get(m2, "memorandum"),
					       json_object_get(m, "memorandum")))
					dup = true;
			}
			if (dup)
				continue;
			json_array_foreach(meas, j, m2) {
				const xy_list_type *lt;
				if (json_integer_value(json_object_get(m2, "number")) != num ||
				    !json_equal(json_object_get(m2, "memorandum"),
						json_object_get(m, "memorandum")))
					continue;
				lt = xy_sanctions_list_type(
					&c->cat, json_string_value(json_object_get(m2, "list_type")));
				national |= lt && lt->national && lt->kind == XY_LIST_BLACK;
			}
			fb = (xy_feedback_row){ ck.id, memo ? memo : "", num, applied, f->result,
						applied ? NULL : f->reason };
			if ((rc = xy_store_feedback_insert(c->store, &fb, err)))
				break;
			if (!applied)
				continue;
			if (kind && !strcmp(kind, "激励"))
				rc = stat_record(c, &ck, &subj, "联合激励案例", d, fb.memorandum, num,
						 text ? text : "", f->result, &out->reward, err);
			else
				rc = stat_record(c, &ck, &subj, "联合惩戒案例", d, fb.memorandum, num,
						 text ? text : "", f->result, &out->punish, err);
			if (!rc && national)
				rc = stat_record(c, &ck, &subj, "国家黑名单结果反馈", d, fb.memorandum,
						 num, text ? text : "", f->result, &out->national, err);
			if (rc)
				break;
		}
	}
	if (!rc)
		rc = xy_store_commit(c->store, err);
	if (rc) {
		xy_store_rollback(c->store, NULL);
		memset(out, 0, sizeof *out);
	}
done:
	json_decref(a);
	xy_buf_release(&ans);
	return rc;
}

xy_code xy_credit_watch_add(xy_credit *c, const char *unit, const char *subject,
			    xy_error *err)
{
	const xy_unit *u;
	xy_subject subj;
	xy_code rc;
	if ((rc = need_unit(c, unit, &u, err)) || (rc = xy_credit_subject(c, subject, &subj, err)))
		return rc;
	return xy_store_watch_add(c->store, u->id, subj.id, err);
}
