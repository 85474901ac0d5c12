/* xinyong: credit actions on the store — lists, the check, feedback, watch. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <jansson.h>

#include "xinyong/auth.h"
#include "xinyong/buf.h"
#include "xinyong/codes.h"
#include "xinyong/credit.h"
#include "xinyong/date.h"
#include "xinyong/reader.h"
#include "xinyong/text.h"
#include "internal.h"

#define NOMEM() xy_error_set(err, XY_ERR_NOMEM, "out of memory")

static xy_code credit_open(xy_credit *c, xy_store *s, const xy_registry *reg,
			   const char *config_dir, bool write, xy_error *err)
{
	xy_code rc;
	memset(c, 0, sizeof *c);
	c->store = s;
	c->reg = reg;
	xy_sanctions_init(&c->cat);
	rc = xy_sanctions_load_dir(&c->cat, reg, config_dir ? config_dir : xy_registry_default_dir(),
				   err);
	if (!rc)
		rc = xy__credit_load_stored_memoranda(c, err);
	for (size_t i = 0; write && !rc && i < c->cat.nlist_types; i++)
		rc = xy_store_list_type_ensure(s, &c->cat.list_types[i], err);
	if (rc)
		xy_sanctions_release(&c->cat);
	return rc;
}

xy_code xy_credit_open(xy_credit *c, xy_store *s, const xy_registry *reg,
		       const char *config_dir, xy_error *err)
{
	return credit_open(c, s, reg, config_dir, true, err);
}

xy_code xy_credit_open_readonly(xy_credit *c, xy_store *s, const xy_registry *reg,
				const char *config_dir, xy_error *err)
{
	return credit_open(c, s, reg, config_dir, false, err);
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
	/* a mask shared by one masked subject only names that one */
	if (!nhits && n == 1 && strchr(norm, '*') && !strcmp(v[0].code_type, "ric_masked"))
		nhits = 1;
	if (nhits == 1) {
		xy_subject_release(out);
		*out = v[hit]; /* moved: not released below */
		memset(&v[hit], 0, sizeof v[hit]);
	}
	xy_subjects_free(v, n);
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
	char *role, *code;
	memset(out, 0, sizeof *out);
	if (!a || !b || !b[1])
		return xy_error_at(err, XY_ERR_INVALID, NULL, 0, "person",
				   "'%s' is not ROLE:身份证号:姓名", s ? s : "");
	role = strndup(s, (size_t)(a - s));
	code = strndup(a + 1, (size_t)(b - a - 1));
	if (!role || !code || !(out->name = strdup(b + 1))) {
		free(role);
		free(code);
		return NOMEM();
	}
	if (xy_target_parse(role, &t) < 0 || t == XY_TARGET_UNIT) {
		xy_error_at(err, XY_ERR_INVALID, NULL, 0, "person",
			    "role '%s' must be 法定代表人, 主要负责人 or 直接责任人", role);
		goto bad;
	}
	out->role = xy_target_name(t);
	xy_id_check(code, XY_ID_RIC, &id);
	if (!id.valid) {
		xy_error_at(err, XY_ERR_INVALID, NULL, 0, "person",
			    "'%s' is not a valid 身份证号: %s", code, id.reason_zh);
		goto bad;
	}
	memcpy(out->code, id.normalized, sizeof out->code);
	free(role);
	free(code);
	return XY_OK;
bad:
	free(role);
	free(code);
	return XY_ERR_INVALID;
}

void xy_credit_person_release(xy_credit_person *p)
{
	if (p) {
		free(p->name);
		memset(p, 0, sizeof *p);
	}
}

xy_code xy__credit_unit(const xy_registry *reg, const char *unit, const char *field,
			const xy_unit **u, xy_error *err)
{
	if (!unit || !*unit)
		return xy_error_at(err, XY_ERR_ARG, NULL, 0, field, "no %s given (--%s)", field,
				   field);
	if (!(*u = xy_registry_unit(reg, unit)))
		return xy_error_at(err, XY_ERR_NOTFOUND, NULL, 0, field,
				   "unknown unit '%s' (units.tsv)", unit);
	return XY_OK;
}

static xy_code need_unit(xy_credit *c, const char *unit, const xy_unit **u, xy_error *err)
{
	return xy__credit_unit(c->reg, unit, "unit", u, err);
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
xy_code xy__credit_new_subject(const char *code, const char *name, xy_subject *out, xy_error *err)
{
	xy_id_result id;
	xy_subject_release(out);
	xy_id_check(code, XY_ID_UNKNOWN, &id);
	if (!id.valid || (id.kind != XY_ID_USCC && id.kind != XY_ID_RIC))
		return xy_error_at(err, XY_ERR_INVALID, NULL, 0, "subject",
				   "'%s' is not a valid 统一社会信用代码 or 身份证号: %s", code,
				   id.reason_zh[0] ? id.reason_zh : "unrecognised");
	if (id.masked)
		return xy_error_at(err, XY_ERR_INVALID, NULL, 0, "subject",
				   "'%s' is a masked 身份证号: a new subject needs the full number",
				   code);
	if (xy_subject_set(out, id.normalized, id.kind == XY_ID_USCC ? "uscc" : "ric", name))
		return xy_error_set(err, XY_ERR_NOMEM, "out of memory");
	if (id.kind == XY_ID_USCC) {
		out->kind = XY_SUBJ_LEGAL;
		xy_uscc_division(out->code, out->division);
	} else {
		out->kind = XY_SUBJ_PERSON;
		memcpy(out->division, out->code, 6);
		out->division[6] = '\0';
	}
	return XY_OK;
}

xy_code xy__credit_limit(const char *v, size_t max, const char *field, xy_error *err)
{
	size_t len = v ? strlen(v) : 0;
	if (len > max)
		return xy_error_at(err, XY_ERR_INVALID, NULL, 0, field,
				   "too long: %zu bytes, at most %zu (超过%zu字节的上限)", len, max, max);
	return XY_OK;
}

char *xy__credit_subject_data(const xy_subject *subj, const char *key, const char *date,
			      const char *content, const char *note, json_t *more)
{
	json_t *o = json_pack("{s:s,s:s,s:s,s:s}", "BH", key, "XDR_MC", subj->name,
			      subj->kind == XY_SUBJ_PERSON ? "XDR_ZJHM" : "XDR_SHXYM", subj->code,
			      "RQ", date);
	char *js = NULL;
	if (o && content)
		json_object_set_new(o, "NR", json_string(content));
	if (o && note)
		json_object_set_new(o, "BZ", json_string(note));
	if (o && more && json_object_update(o, more)) {
		json_decref(o);
		o = NULL;
	}
	if (o)
		js = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);
	json_decref(o);
	return js;
}

typedef struct rows {
	xy_entry_row *v;
	size_t n, cap;
	bool nomem;
} rows;

static int collect(void *ctx, const xy_entry_row *e)
{
	rows *r = ctx;
	xy_entry_row *v = xy_array_grow(r->v, r->n, &r->cap, sizeof *v, 8);
	if (!v) {
		r->nomem = true;
		return 1;
	}
	r->v = v;
	if (xy_entry_row_copy(&r->v[r->n], e)) {
		r->nomem = true;
		return 1;
	}
	r->n++;
	return 0;
}

static const char *via_name(int via)
{
	return via == XY_VIA_PERSON ? "person" : via == XY_VIA_ENTERPRISE ? "enterprise" : "own";
}

/* The answer body of a check of subj (everything but check_id): its entries
 * active on d and the measures unit u must apply for matter mt.  *nmeasures
 * how many measures apply. */
static xy_code check_body(xy_credit *c, const xy_unit *u, const xy_matter *mt, const char *d,
			  const xy_subject *subj, json_t **out_body, size_t *nmeasures,
			  xy_error *err)
{
	rows r = { NULL, 0, 0, false };
	xy_list_entry *le = NULL;
	xy_sanction_hits hits = { NULL, 0 };
	json_t *body = NULL, *ents, *meas;
	xy_code rc;

	*out_body = NULL;
	*nmeasures = 0;
	if (subj->id && (rc = xy_store_subject_entries(c->store, subj->id, collect, &r, err)))
		goto out; /* (a code never reported, id 0, has no entries) */
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
	json_object_set_new(body, "subject", json_string(subj->code));
	json_object_set_new(body, "subject_name", json_string(subj->name));
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
	*out_body = body;
	*nmeasures = hits.n;
out:
	xy_sanction_hits_release(&hits);
	free(le);
	for (size_t i = 0; i < r.n; i++)
		xy_entry_row_release(&r.v[i]);
	free(r.v);
	return rc;
}

/* Log a check of subj with its answer body (the batch check); sets *check_id. */
static xy_code check_log(xy_credit *c, const xy_unit *u, const xy_matter *mt, const char *d,
			 const xy_subject *subj, json_t *body, int64_t *check_id, xy_error *err)
{
	xy_check_row ck;
	char *text = json_dumps(body, JSON_COMPACT | JSON_PRESERVE_ORDER);
	xy_code rc;
	if (!text)
		return NOMEM();
	memset(&ck, 0, sizeof ck);
	ck.unit_id = u->id;
	ck.subject_id = subj->id;
	ck.matter = mt ? mt->code : "";
	memcpy(ck.date, d, 11);
	rc = xy_store_check_insert(c->store, &ck, text, err);
	free(text);
	if (!rc)
		*check_id = ck.id;
	return rc;
}

/* ---- the single check, in two steps ----
 *
 * xy_credit_check_prepare computes the answer from the store it is given and
 * writes nothing; xy_credit_check_record logs it (and makes an unknown code a
 * subject) through a layer that may write.  The server prepares on its
 * worker's read connection, in parallel, and records on its one writer: the
 * writer's share of a check is one INSERT.  The answer is that of the read
 * snapshot the check was prepared on (a few milliseconds old at most). */

struct xy_check_prep {
	int64_t unit_id;
	char *matter;       /* matter code, "" = every matter */
	char date[11];
	int64_t subject_id; /* 0: a valid code never reported, made a subject by record */
	char *code;         /* the subject's code */
	json_t *body;       /* the answer without check_id */
	char *text;         /* body as compact JSON, dumped once */
	size_t text_len;
};

void xy_check_prep_free(xy_check_prep *p)
{
	if (!p)
		return;
	free(p->matter);
	free(p->code);
	json_decref(p->body);
	free(p->text);
	free(p);
}

xy_code xy_credit_check_prepare(xy_credit *c, const char *subject, const char *unit,
				const char *matter, const char *date, xy_check_prep **out,
				xy_error *err)
{
	const xy_unit *u;
	const xy_matter *mt = NULL;
	XY_SUBJECT_AUTO(subj);
	xy_check_prep *p;
	size_t nmeas;
	bool found = true;
	xy_code rc;

	*out = NULL;
	if ((rc = need_unit(c, unit, &u, err)))
		return rc;
	if (matter && *matter && !(mt = xy_sanctions_matter(&c->cat, matter)))
		return xy_error_at(err, XY_ERR_NOTFOUND, NULL, 0, "matter",
				   "unknown matter '%s' (matters.tsv)", matter);
	if (!(p = calloc(1, sizeof *p)))
		return NOMEM();
	if ((rc = need_date(date, p->date, "date", err)))
		goto fail;
	{
		xy_id_result q;
		xy_id_check(subject, XY_ID_UNKNOWN, &q);
		if (q.masked) {
			rc = xy_error_at(err, XY_ERR_INVALID, NULL, 0, "subject",
					 "'%s' is a masked number: a check needs the full code "
					 "(脱敏号码无法核查)", subject);
			goto fail;
		}
	}
	rc = xy_credit_subject(c, subject, &subj, err);
	if (rc == XY_ERR_NOTFOUND) {
		/* A valid full code never reported (a supplier checked before a
		 * contract): the answer is 无, logged like every check.  The log
		 * refers to a subject, so record makes the code one, without a
		 * name and without records. */
		xy_id_result id;
		xy_id_check(subject, XY_ID_UNKNOWN, &id);
		if (!id.valid || id.masked || (id.kind != XY_ID_USCC && id.kind != XY_ID_RIC))
			goto fail;
		xy_error_clear(err);
		found = false;
		if ((rc = xy__credit_new_subject(id.normalized, "", &subj, err)))
			goto fail;
	} else if (rc) {
		goto fail;
	}
	p->unit_id = u->id;
	p->subject_id = found ? subj.id : 0;
	if (!(p->matter = strdup(mt ? mt->code : "")) || !(p->code = strdup(subj.code))) {
		rc = NOMEM();
		goto fail;
	}
	if ((rc = check_body(c, u, mt, p->date, &subj, &p->body, &nmeas, err)))
		goto fail;
	{
		xy_buf t = XY_BUF_INIT;
		if (json_object_set_new(p->body, "found", json_boolean(found)) ||
		    xy_json_dump(p->body, &t)) {
			xy_buf_release(&t);
			rc = NOMEM();
			goto fail;
		}
		p->text = xy_buf_detach(&t, &p->text_len);
	}
	*out = p;
	return XY_OK;
fail:
	xy_check_prep_free(p);
	return rc;
}

xy_code xy_credit_check_record(xy_credit *w, xy_check_prep *p, int64_t *check_id,
			       xy_buf *answer, xy_error *err)
{
	xy_check_row ck;
	xy_code rc;

	*check_id = 0;
	memset(&ck, 0, sizeof ck);
	ck.unit_id = p->unit_id;
	ck.subject_id = p->subject_id;
	ck.matter = p->matter;
	memcpy(ck.date, p->date, sizeof ck.date);
	if (p->subject_id) {
		/* one INSERT: atomic on its own (a server groups many into one
		 * transaction without a savepoint each) */
		if ((rc = xy_store_check_insert(w->store, &ck, p->text, err)))
			return rc;
	} else {
		/* a code never reported: the subject and the log row together,
		 * or neither; another writer may have made the code a subject
		 * since it was read */
		XY_SUBJECT_AUTO(subj);
		if ((rc = xy_store_begin(w->store, false, err)))
			return rc;
		rc = xy_credit_subject(w, p->code, &subj, err);
		if (rc == XY_ERR_NOTFOUND) {
			xy_error_clear(err);
			if (!(rc = xy__credit_new_subject(p->code, "", &subj, err)))
				rc = xy_store_subject_upsert(w->store, &subj, err);
		}
		ck.subject_id = subj.id;
		if (!rc)
			rc = xy_store_check_insert(w->store, &ck, p->text, err);
		if (!rc)
			rc = xy_store_commit(w->store, err);
		if (rc) {
			xy_store_rollback(w->store, NULL);
			return rc;
		}
	}
	*check_id = ck.id;
	/* {"check_id":N, then the body's members: the text dumped once, not again */
	if (answer && (xy_buf_addf(answer, "{\"check_id\":%lld,", (long long)ck.id) ||
		       xy_buf_add(answer, p->text + 1, p->text_len - 1)))
		return NOMEM();
	return XY_OK;
}

xy_code xy__credit_check_json(xy_credit *c, const char *subject, const char *unit,
			      const char *matter, const char *date, int64_t *check_id,
			      json_t **answer, xy_error *err)
{
	xy_check_prep *p = NULL;
	json_t *out = NULL;
	xy_code rc;

	*check_id = 0;
	*answer = NULL;
	if ((rc = xy_credit_check_prepare(c, subject, unit, matter, date, &p, err)) ||
	    (rc = xy_credit_check_record(c, p, check_id, NULL, err)))
		goto out;
	if (!(out = json_pack("{s:I}", "check_id", (json_int_t)*check_id)) ||
	    json_object_update(out, p->body)) {
		json_decref(out);
		rc = NOMEM();
		goto out;
	}
	*answer = out;
out:
	xy_check_prep_free(p);
	return rc;
}

xy_code xy_credit_check(xy_credit *c, const char *subject, const char *unit,
			const char *matter, const char *date, int64_t *check_id,
			xy_buf *answer, xy_error *err)
{
	xy_check_prep *p = NULL;
	xy_code rc = xy_credit_check_prepare(c, subject, unit, matter, date, &p, err);
	if (!rc)
		rc = xy_credit_check_record(c, p, check_id, answer, err);
	xy_check_prep_free(p);
	return rc;
}

/* ---- the batch check ---- */

/* A set of subject ids (open addressing, 0 = empty slot; ids are > 0). */
typedef struct idset {
	int64_t *v;
	size_t cap, n; /* cap a power of two */
	bool nomem;
} idset;

static uint64_t id_hash(int64_t id)
{
	uint64_t x = (uint64_t)id * 0x9E3779B97F4A7C15ull;
	return x ^ (x >> 29);
}

static int idset_add(void *ctx, int64_t id)
{
	idset *s = ctx;
	if (id <= 0)
		return 0;
	if ((s->n + 1) * 2 > s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 1024;
		int64_t *v = calloc(cap, sizeof *v);
		if (!v) {
			s->nomem = true;
			return 1;
		}
		for (size_t i = 0; i < s->cap; i++) {
			if (!s->v[i])
				continue;
			size_t k = id_hash(s->v[i]) & (cap - 1);
			while (v[k])
				k = (k + 1) & (cap - 1);
			v[k] = s->v[i];
		}
		free(s->v);
		s->v = v;
		s->cap = cap;
	}
	size_t k = id_hash(id) & (s->cap - 1);
	while (s->v[k]) {
		if (s->v[k] == id)
			return 0;
		k = (k + 1) & (s->cap - 1);
	}
	s->v[k] = id;
	s->n++;
	return 0;
}

static bool idset_has(const idset *s, int64_t id)
{
	if (!s->cap)
		return false;
	for (size_t k = id_hash(id) & (s->cap - 1); s->v[k]; k = (k + 1) & (s->cap - 1))
		if (s->v[k] == id)
			return true;
	return false;
}

/* Header names of the code and name columns (compared after trimming; ASCII
 * case-insensitive). */
static const char *const code_headers[] = {
	"统一社会信用代码", "证件号码", "code", "身份证号", "身份证号码", "公民身份号码",
	"统一社会信用代码/身份证号", "统一社会信用代码或身份证号", "代码", "证照号码", NULL,
};
static const char *const name_headers[] = {
	"名称", "name", "主体名称", "企业名称", "单位名称", "姓名", "投标人", "投标人名称",
	"供应商", "供应商名称", "市场主体名称", NULL,
};

static bool header_is(const char *cell, size_t len, const char *const *names)
{
	const char *t = xy_trim(cell, &len);
	for (size_t i = 0; names[i]; i++)
		if (strlen(names[i]) == len && !strncasecmp(t, names[i], len))
			return true;
	return false;
}

/* Column of the codes: a known header name, else one containing 代码 or 证件号
 * or 身份证, else the first column.  *named: found by name. */
static long find_columns(const xy_row *h, long *name_col, bool *named)
{
	long code = -1;
	*name_col = -1;
	*named = true;
	for (size_t i = 0; i < h->ncells && code < 0; i++)
		if (header_is(h->cells[i], h->lens[i], code_headers))
			code = (long)i;
	for (size_t i = 0; i < h->ncells && code < 0; i++)
		if (strstr(h->cells[i], "信用代码") || strstr(h->cells[i], "证件号") ||
		    strstr(h->cells[i], "身份证"))
			code = (long)i;
	for (size_t i = 0; i < h->ncells && *name_col < 0; i++)
		if ((long)i != code && header_is(h->cells[i], h->lens[i], name_headers))
			*name_col = (long)i;
	for (size_t i = 0; i < h->ncells && *name_col < 0; i++)
		if ((long)i != code && strstr(h->cells[i], "名称"))
			*name_col = (long)i;
	if (code < 0) {
		*named = false;
		code = 0;
	}
	return code;
}

typedef struct batch {
	xy_credit *c;
	const xy_unit *u;
	const xy_matter *mt;
	const char *d;
	const char *file;
	idset listed;
	xy_buf line;
	xy_check_file_cb cb;
	void *ctx;
	xy_check_file_summary *sum;
} batch;

static xy_code add_tail(xy_buf *b, const char *answer, const char *entries, const char *measures)
{
	if (xy_buf_addstr(b, ",\"answer\":") || xy_buf_addjson(b, answer, strlen(answer)) ||
	    xy_buf_addf(b, ",\"entries\":%s,\"measures\":%s}", entries, measures))
		return XY_ERR_NOMEM;
	return XY_OK;
}

/* One data row: check its code and hand the result to the callback. */
static xy_code batch_row(batch *b, long line, const char *cell, size_t cell_len,
			 const char *fname, const char *problem_zh, xy_error *err)
{
	xy_check_file_row r;
	xy_id_result id;
	XY_SUBJECT_AUTO(subj);
	xy_buf *o = &b->line;
	json_t *body = NULL;
	char *ents = NULL, *meas = NULL;
	size_t nmeas = 0;
	const char *raw;
	size_t rawlen = cell_len;
	xy_code rc = XY_OK, brc = XY_OK;

	memset(&r, 0, sizeof r);
	r.row = line;
	raw = xy_trim(cell, &rawlen);
	xy_buf_reset(o);
	id.valid = false;
	id.normalized[0] = '\0';
	id.reason_zh[0] = id.reason[0] = '\0';
	if (problem_zh) {
		r.error = problem_zh;
	} else if (!rawlen) {
		r.error = "代码为空 (no code)";
	} else {
		xy_id_check(raw, XY_ID_UNKNOWN, &id);
		xy_subject_release(&subj);
		if (id.masked) {
			/* a mask identifies nobody: it cannot be checked */
			id.valid = false;
			snprintf(id.reason_zh, sizeof id.reason_zh,
				 "脱敏号码无法核查，请提供完整证件号码");
		}
		rc = id.masked ? XY_ERR_NOTFOUND
			       : xy_store_subject_by_code(b->c->store, id.normalized, &subj, err);
		if (rc == XY_OK) {
			r.found = true;
		} else if (rc == XY_ERR_NOTFOUND) {
			rc = XY_OK;
			if (!id.valid)
				r.error = id.reason_zh;
		} else {
			return rc;
		}
	}
	r.code = r.error ? "" : id.normalized;
	r.name = r.found ? subj.name : fname;
	if (r.found && idset_has(&b->listed, subj.id)) {
		if ((rc = check_body(b->c, b->u, b->mt, b->d, &subj, &body, &nmeas, err)))
			return rc;
		if (nmeas) {
			json_object_set_new(body, "file", json_string(b->file));
			if ((rc = check_log(b->c, b->u, b->mt, b->d, &subj, body, &r.check_id, err)))
				goto out;
			json_object_del(body, "file");
		}
		ents = json_dumps(json_object_get(body, "entries"), JSON_COMPACT | JSON_PRESERVE_ORDER);
		meas = json_dumps(json_object_get(body, "measures"), JSON_COMPACT | JSON_PRESERVE_ORDER);
		if (!ents || !meas) {
			rc = NOMEM();
			goto out;
		}
	}
	/* a valid code never reported is answered 无 (found: false) */
	r.answer = r.error ? "无效" : nmeas ? "有" : "无";
	r.nmeasures = nmeas;

	/* {"row","code","name","found","check_id","answer","entries","measures"}
	 * (+ "input" and "error" for an invalid code) */
	brc = xy_buf_addf(o, "{\"row\":%ld,\"code\":", line);
	if (!brc && r.error)
		brc = xy_buf_addjson(o, raw, rawlen);
	else if (!brc)
		brc = xy_buf_addjson(o, r.code, strlen(r.code));
	if (!brc)
		brc = xy_buf_addstr(o, ",\"name\":");
	if (!brc)
		brc = r.name && *r.name ? xy_buf_addjson(o, r.name, strlen(r.name))
					: xy_buf_addstr(o, "null");
	if (!brc)
		brc = xy_buf_addf(o, ",\"found\":%s", r.found ? "true" : "false");
	if (!brc && r.check_id)
		brc = xy_buf_addf(o, ",\"check_id\":%lld", (long long)r.check_id);
	else if (!brc)
		brc = xy_buf_addstr(o, ",\"check_id\":null");
	if (!brc && r.error) {
		brc = xy_buf_addstr(o, ",\"error\":");
		if (!brc)
			brc = xy_buf_addjson(o, r.error, strlen(r.error));
	}
	if (!brc)
		brc = add_tail(o, r.answer, ents ? ents : "[]", meas ? meas : "[]");
	if (brc) {
		rc = NOMEM();
		goto out;
	}
	if (r.error) {
		r.input = raw;
		r.input_len = rawlen;
	}
	r.json = o->data;
	r.json_len = o->len;
	if (r.error)
		b->sum->invalid++;
	else if (!r.found)
		b->sum->unknown++;
	else if (nmeas)
		b->sum->with_measures++;
	else
		b->sum->clean++;
	if (r.found)
		b->sum->checked++;
	b->sum->rows++;
	if (b->cb(b->ctx, &r))
		rc = xy_error_set(err, XY_ERR_IO, "stopped by the caller");
out:
	free(ents);
	free(meas);
	json_decref(body);
	return rc;
}

xy_code xy_credit_check_file(xy_credit *c, const char *path, const char *unit,
			     const char *matter, const char *date, xy_check_file_cb cb,
			     void *ctx, xy_check_file_summary *sum, xy_error *err)
{
	batch b;
	xy_reader *rd = NULL;
	xy_reader_opts ro;
	const xy_row *row;
	long code_col = -1, name_col = -1;
	char d[11];
	bool in_tx = false;
	xy_code rc;

	memset(sum, 0, sizeof *sum);
	sum->format = sum->encoding = "";
	memset(&b, 0, sizeof b);
	b.c = c;
	b.d = d;
	b.file = path;
	b.cb = cb;
	b.ctx = ctx;
	b.sum = sum;
	b.line = (xy_buf)XY_BUF_INIT;
	if ((rc = need_unit(c, unit, &b.u, err)))
		return rc;
	if (matter && *matter && !(b.mt = xy_sanctions_matter(&c->cat, matter)))
		return xy_error_at(err, XY_ERR_NOTFOUND, NULL, 0, "matter",
				   "unknown matter '%s' (matters.tsv)", matter);
	if ((rc = need_date(date, d, "date", err)))
		return rc;
	memset(&ro, 0, sizeof ro);
	if ((rc = xy_reader_open(&rd, path, &ro, err)))
		return rc;
	sum->encoding =
		xy_reader_format(rd) == XY_FMT_CSV ? xy_encoding_name(xy_reader_encoding(rd)) : "";
	sum->format = xy_format_name(xy_reader_format(rd));
	if ((rc = xy_store_listed_subjects(c->store, idset_add, &b.listed, err)))
		goto out;
	if (b.listed.nomem) {
		rc = NOMEM();
		goto out;
	}
	/* bulk: the larger page cache keeps the subjects' code index in memory
	 * (bench/check.sh: 100k codes against 200k subjects, 47k -> 123k/s) */
	if ((rc = xy_store_begin(c->store, true, err)))
		goto out;
	in_tx = true;
	while (!(rc = xy_reader_next(rd, &row, err)) && row) {
		const char *fname = NULL, *cell;
		size_t len;
		if (row->is_header) {
			bool named;
			code_col = find_columns(row, &name_col, &named);
			if (named || !row->ncells)
				continue;
			/* no header names a code column: a file of bare codes when the first
			 * cell is one, else a header we do not know (first column) */
			xy_id_result id;
			xy_id_check(row->cells[0], XY_ID_UNKNOWN, &id);
			if (!id.valid)
				continue;
			name_col = row->ncells > 1 ? 1 : -1;
		}
		cell = (size_t)code_col < row->ncells ? row->cells[code_col] : "";
		len = (size_t)code_col < row->ncells ? row->lens[code_col] : 0;
		if (name_col >= 0 && (size_t)name_col < row->ncells && row->lens[name_col])
			fname = row->cells[name_col];
		if ((rc = batch_row(&b, row->line, cell, len, fname, row->problem_zh, err)))
			break;
	}
	if (!rc && !sum->rows)
		rc = xy_error_at(err, XY_ERR_INVALID, path, 0, NULL,
				 "no subjects to check: the file is empty or has only a header "
				 "(文件中没有待查主体)");
	if (!rc) {
		rc = xy_store_commit(c->store, err);
		in_tx = false;
	}
	if (!rc)
		memcpy(sum->date, d, sizeof d);
out:
	if (in_tx)
		xy_store_rollback(c->store, NULL);
	if (rc)
		memset(sum, 0, sizeof *sum);
	xy_reader_free(rd);
	free(b.listed.v);
	xy_buf_release(&b.line);
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

/* See internal.h: the one way credit actions reach the statistics. */
xy_code xy__credit_records(xy_credit *c, int64_t unit_id, const char *category,
			   const char *file, const char *format, const char *date,
			   int64_t subject_id, const char *const *keys, const char *const *data,
			   size_t n, long *added, int64_t *batch_id, xy_error *err)
{
	const xy_category *cat = xy_registry_category(c->reg, category);
	xy_batch b;
	xy_code rc;
	if (!cat)
		return xy_error_set(err, XY_ERR_CONFIG, "no category '%s' in the registry", category);
	memset(&b, 0, sizeof b);
	b.unit_id = unit_id;
	b.category_id = cat->id;
	b.file = file;
	snprintf(b.format, sizeof b.format, "%s", format);
	memcpy(b.reported_on, date, 11);
	b.status = XY_BATCH_COMMITTED;
	if ((rc = xy_store_batch_insert(c->store, &b, err)))
		return rc;
	for (size_t i = 0; i < n; i++) {
		xy_record_in rec;
		xy_upsert_result res;
		memset(&rec, 0, sizeof rec);
		rec.unit_id = unit_id;
		rec.category_id = cat->id;
		rec.batch_id = b.id;
		rec.subject_id = subject_id;
		rec.key = keys[i];
		rec.data = data[i];
		rec.data_len = strlen(data[i]);
		rec.decided_on = date;
		if ((rc = xy_store_record_upsert(c->store, &rec, &res, err)))
			return rc;
		b.rows++;
		b.added += res == XY_UPSERT_NEW;
		b.updated += res == XY_UPSERT_UPDATED;
		b.unchanged += res == XY_UPSERT_UNCHANGED || res == XY_UPSERT_DUPLICATE;
	}
	snprintf(b.finished_at, sizeof b.finished_at, "%s", b.started_at);
	if ((rc = xy_store_batch_update(c->store, &b, err)))
		return rc;
	*added += b.added;
	if (batch_id)
		*batch_id = b.id;
	return XY_OK;
}

xy_code xy__credit_record(xy_credit *c, int64_t unit_id, const char *category,
			  const char *file, const char *format, const char *date,
			  int64_t subject_id, const char *key, const char *data, long *added,
			  int64_t *batch_id, xy_error *err)
{
	return xy__credit_records(c, unit_id, category, file, format, date, subject_id, &key,
				  &data, 1, added, batch_id, err);
}

/* The record of an applied measure, in category cat_name. */
static xy_code stat_record(xy_credit *c, const xy_check_row *ck, const xy_subject *subj,
			   const char *cat_name, const char *date, const char *memo, int number,
			   const char *text, const char *result, long *count, xy_error *err)
{
	xy_buf key = XY_BUF_INIT;
	char file[64];
	char *js;
	xy_code rc;
	if (xy_buf_addf(&key, "check-%lld-%s-%d", (long long)ck->id, memo, number))
		return NOMEM();
	js = xy__credit_subject_data(subj, key.data, date, text, result ? result : "", NULL);
	if (!js) {
		xy_buf_release(&key);
		return NOMEM();
	}
	snprintf(file, sizeof file, "feedback:%lld", (long long)ck->id);
	rc = xy__credit_record(c, ck->unit_id, cat_name, file, "feedback", date, subj->id,
			       key.data, js, count, NULL, err);
	free(js);
	xy_buf_release(&key);
	return rc;
}

xy_code xy__credit_audit(xy_credit *c, const char *action, const char *object,
			 const char *detail, const char *before, const char *after,
			 xy_error *err)
{
	xy_audit_entry e = {
		.who = c->who && *c->who ? c->who : "-",
		.action = action,
		.object = object,
		.detail = detail,
		.before = before,
		.before_len = before ? strlen(before) : 0,
		.after = after,
		.after_len = after ? strlen(after) : 0,
	};
	return xy_audit_append(c->store, &e, NULL, err);
}

/* "check.feedback": which measures the unit applied and did not. */
static xy_code feedback_audit(xy_credit *c, const xy_feedback_in *f, const xy_check_row *ck,
			      const xy_unit *u, xy_error *err)
{
	xy_buf obj = XY_BUF_INIT, d = XY_BUF_INIT;
	xy_code rc = xy_buf_addf(&obj, "check:%lld", (long long)ck->id);
	rc = rc ? rc : xy_buf_addf(&d, "%s 反馈 已采取", u->name);
	for (size_t i = 0; !rc && i < f->napplied; i++)
		rc = xy_buf_addf(&d, "%s%d", i ? "," : " ", f->applied[i]);
	rc = rc ? rc : xy_buf_addstr(&d, "; 未采取");
	for (size_t i = 0; !rc && i < f->nnot_applied; i++)
		rc = xy_buf_addf(&d, "%s%d", i ? "," : " ", f->not_applied[i]);
	if (!rc && f->reason && *f->reason)
		rc = xy_buf_addf(&d, "; 原因 %s", f->reason);
	if (!rc && f->result && *f->result)
		rc = xy_buf_addf(&d, "; 结果 %s", f->result);
	if (rc)
		rc = NOMEM();
	else
		rc = xy__credit_audit(c, "check.feedback", obj.data, d.data, NULL, d.data, err);
	xy_buf_release(&obj);
	xy_buf_release(&d);
	return rc;
}

xy_code xy_credit_feedback(xy_credit *c, const xy_feedback_in *f, xy_feedback_out *out,
			   xy_error *err)
{
	const xy_unit *u;
	XY_AUTO(xy_check_row, ck);
	XY_SUBJECT_AUTO(subj);
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
		rc = feedback_audit(c, f, &ck, u, err);
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

static int count_watch(void *ctx, const xy_watch_row *w)
{
	(void)w;
	(*(long *)ctx)++;
	return 0;
}

static xy_code watch_count(xy_credit *c, int64_t unit_id, long *n, xy_error *err)
{
	*n = 0;
	return xy_store_watches(c->store, unit_id, count_watch, n, err);
}

/* Add or remove a watched subject and audit it, in one transaction. */
static xy_code watch_change(xy_credit *c, const xy_unit *u, const xy_subject *subj, bool add,
			    xy_error *err)
{
	xy_buf obj = XY_BUF_INIT, d = XY_BUF_INIT;
	bool changed = false;
	long before = 0, after = 0;
	xy_code rc = xy_store_begin(c->store, false, err);
	if (rc)
		return rc;
	if (add) {
		/* the store's insert is idempotent: count the list to know */
		rc = watch_count(c, u->id, &before, err);
		rc = rc ? rc : xy_store_watch_add(c->store, u->id, subj->id, err);
		rc = rc ? rc : watch_count(c, u->id, &after, err);
		changed = after > before;
	} else if (!(rc = xy_store_watch_remove(c->store, u->id, subj->id, &changed, err)) &&
		   !changed) {
		rc = xy_error_at(err, XY_ERR_NOTFOUND, NULL, 0, "subject",
				 "%s does not watch %s (未关注该主体)", u->name, subj->code);
	}
	if (!rc && changed) {
		if (xy_buf_addf(&obj, "unit:%s", u->name) ||
		    xy_buf_addf(&d, "%s %s（%s）", add ? "关注" : "取消关注", subj->code,
				subj->name ? subj->name : ""))
			rc = NOMEM();
		else
			rc = xy__credit_audit(c, add ? "watch.add" : "watch.remove", obj.data, d.data,
					      add ? NULL : subj->code, add ? subj->code : NULL, err);
	}
	rc = rc ? rc : xy_store_commit(c->store, err);
	if (rc)
		xy_store_rollback(c->store, NULL);
	xy_buf_release(&obj);
	xy_buf_release(&d);
	return rc;
}

xy_code xy_credit_watch_add(xy_credit *c, const char *unit, const char *subject,
			    xy_error *err)
{
	const xy_unit *u;
	XY_SUBJECT_AUTO(subj);
	xy_code rc;
	if ((rc = need_unit(c, unit, &u, err)) || (rc = xy_credit_subject(c, subject, &subj, err)))
		return rc;
	return watch_change(c, u, &subj, true, err);
}

xy_code xy_credit_watch_remove(xy_credit *c, const char *unit, const char *subject,
			       xy_error *err)
{
	const xy_unit *u;
	XY_SUBJECT_AUTO(subj);
	xy_code rc;
	if ((rc = need_unit(c, unit, &u, err)) || (rc = xy_credit_subject(c, subject, &subj, err)))
		return rc;
	return watch_change(c, u, &subj, false, err);
}

xy_code xy_credit_notices_read(xy_credit *c, const char *unit, int64_t id, long *n,
			       xy_error *err)
{
	const xy_unit *u;
	xy_buf obj = XY_BUF_INIT, d = XY_BUF_INIT;
	char at[32];
	long got = 0;
	xy_code rc;
	if (n)
		*n = 0;
	if (id < 0)
		return xy_error_at(err, XY_ERR_NOTFOUND, NULL, 0, "id", "notice %lld not found (通知不存在)",
				   (long long)id);
	if ((rc = need_unit(c, unit, &u, err)) || (rc = xy_store_begin(c->store, false, err)))
		return rc;
	xy_time_iso((int64_t)time(NULL), at);
	rc = xy_store_notices_read(c->store, u->id, id, at, &got, err);
	if (!rc && got) {
		if ((id ? xy_buf_addf(&obj, "notice:%lld", (long long)id)
			: xy_buf_addf(&obj, "unit:%s", u->name)) ||
		    xy_buf_addf(&d, "%s 标为已读 %ld 条", u->name, got))
			rc = NOMEM();
		else
			rc = xy__credit_audit(c, "notice.read", obj.data, d.data, NULL, NULL, err);
	}
	rc = rc ? rc : xy_store_commit(c->store, err);
	if (rc)
		xy_store_rollback(c->store, NULL);
	else if (n)
		*n = got;
	xy_buf_release(&obj);
	xy_buf_release(&d);
	return rc;
}

xy_code xy_credit_subject_or_new(xy_credit *c, const char *q, const char *name, const char *field,
				 xy_subject *out, bool *fresh, xy_error *err)
{
	xy_code rc = xy_credit_subject(c, q, out, err);
	*fresh = false;
	if (rc != XY_ERR_NOTFOUND)
		return rc;
	if (!name || !*name)
		return xy_error_at(err, XY_ERR_NOTFOUND, NULL, 0, field,
				   "unknown subject '%s' (未找到主体); give its name to register it",
				   q ? q : "");
	xy_error_clear(err);
	if ((rc = xy__credit_new_subject(q, name, out, err)))
		return rc;
	*fresh = true;
	return XY_OK;
}

xy_code xy__credit_date(const char *in, char out[11], const char *field, xy_error *err)
{
	return need_date(in, out, field, err);
}

