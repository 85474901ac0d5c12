/* xinyong: credit commitments (信用承诺书), their checks and breaches. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "xinyong/buf.h"
#include "xinyong/commitment.h"
#include "xinyong/date.h"
#include "xinyong/lists.h"
#include "xinyong/tsv.h"
#include "internal.h"

#define TYPES_FILE "commitment-types.tsv"
#define NOMEM() xy_error_set(err, XY_ERR_NOMEM, "out of memory")

/* ---- types ---- */

static void type_free(xy_commitment_type *t)
{
	free(t->name);
	free(t->breach_category);
	free(t->list_type);
	free(t->description);
}

void xy_commitments_release(xy_commitments *cm)
{
	if (!cm)
		return;
	for (size_t i = 0; i < cm->ntypes; i++)
		type_free(&cm->types[i]);
	free(cm->types);
	cm->types = NULL;
	cm->ntypes = 0;
}

const xy_commitment_type *xy_commitment_type_find(const xy_commitments *cm, const char *name)
{
	for (size_t i = 0; name && i < cm->ntypes; i++)
		if (!strcmp(cm->types[i].name, name))
			return &cm->types[i];
	return NULL;
}

xy_code xy_commitments_open(xy_commitments *cm, xy_credit *c, const char *config_dir,
			    xy_error *err)
{
	static const char *const hdr[] = { "name", "breach_category", "list_type", "description" };
	xy_tsv t;
	char path[1024];
	xy_code rc;

	memset(cm, 0, sizeof *cm);
	cm->credit = c;
	if (!xy_registry_category(c->reg, XY_COMMITMENT_CATEGORY))
		return xy_error_set(err, XY_ERR_CONFIG, "no category '%s' in the registry",
				    XY_COMMITMENT_CATEGORY);
	snprintf(path, sizeof path, "%s/%s", config_dir ? config_dir : xy_registry_default_dir(),
		 TYPES_FILE);
	if ((rc = xy_tsv_open(&t, path, 1u << 20, err)))
		return rc;
	rc = xy_tsv_header(&t, hdr, 4, err);
	while (!rc && xy_tsv_next(&t)) {
		xy_commitment_type *v, nt;
		if (!*xy_tsv_col(&t, 0)) {
			rc = xy_error_at(err, XY_ERR_CONFIG, path, t.line, "name", "empty name");
			break;
		}
		if (xy_commitment_type_find(cm, xy_tsv_col(&t, 0))) {
			rc = xy_error_at(err, XY_ERR_CONFIG, path, t.line, "name", "type '%s' twice",
					 xy_tsv_col(&t, 0));
			break;
		}
		if (!xy_registry_category(c->reg, xy_tsv_col(&t, 1))) {
			rc = xy_error_at(err, XY_ERR_CONFIG, path, t.line, "breach_category",
					 "'%s' is not a category (categories.tsv)", xy_tsv_col(&t, 1));
			break;
		}
		if (*xy_tsv_col(&t, 2) && !xy_sanctions_list_type(&c->cat, xy_tsv_col(&t, 2))) {
			rc = xy_error_at(err, XY_ERR_CONFIG, path, t.line, "list_type",
					 "'%s' is not a list type (list-types.tsv)", xy_tsv_col(&t, 2));
			break;
		}
		nt.name = strdup(xy_tsv_col(&t, 0));
		nt.breach_category = strdup(xy_tsv_col(&t, 1));
		nt.list_type = strdup(xy_tsv_col(&t, 2));
		nt.description = strdup(xy_tsv_col(&t, 3));
		v = realloc(cm->types, (cm->ntypes + 1) * sizeof *v);
		if (!v || !nt.name || !nt.breach_category || !nt.list_type || !nt.description) {
			if (v)
				cm->types = v;
			type_free(&nt);
			rc = NOMEM();
			break;
		}
		cm->types = v;
		cm->types[cm->ntypes++] = nt;
	}
	if (!rc && !cm->ntypes)
		rc = xy_error_at(err, XY_ERR_CONFIG, path, 0, NULL, "no commitment types");
	xy_tsv_close(&t);
	if (rc)
		xy_commitments_release(cm);
	return rc;
}

/* ---- helpers ---- */

/* One record of category `cat_name` for unit_id about subj, through a batch
 * of its own (file `file`, reported on `date`), so the statistics count it in
 * that month: the subject fields (xy__credit_subject_data), then data's,
 * through xy__credit_record.  *added: 1 when the record is new.  Runs inside
 * the caller's transaction. */
static xy_code record_via_batch(xy_credit *c, int64_t unit_id, const char *cat_name,
				const char *file, const char *date, const xy_subject *subj,
				const char *key, json_t *data, long *added, xy_error *err)
{
	char *js;
	xy_code rc;
	*added = 0;
	if (!(js = xy__credit_subject_data(subj, key, date, NULL, NULL, data)))
		return NOMEM();
	rc = xy__credit_record(c, unit_id, cat_name, file, "commitment", date, subj->id, key, js,
			       added, NULL, err);
	free(js);
	return rc;
}

/* ---- the audit log ---- */

/* "commitment.add" / "commitment.check" of object "commitment:ID": a, b, c
 * and the date say what (unit, subject, number / result, number, by); before
 * is the last check's result for a check (NULL for a new commitment). */
static xy_code commitment_audit(xy_credit *c, const char *action, int64_t id, const char *before,
				const char *a, const char *b, const char *cc, const char *date,
				xy_error *err)
{
	xy_buf obj = XY_BUF_INIT, d = XY_BUF_INIT;
	xy_code rc;
	if (xy_buf_addf(&obj, "commitment:%lld", (long long)id) ||
	    xy_buf_addf(&d, "%s %s %s %s", a ? a : "", b ? b : "", cc ? cc : "", date))
		rc = xy_error_set(err, XY_ERR_NOMEM, "out of memory");
	else
		rc = xy__credit_audit(c, action, obj.data, d.data, before, d.data, err);
	xy_buf_release(&obj);
	xy_buf_release(&d);
	return rc;
}

/* ---- add ---- */

xy_code xy_commitment_add(xy_commitments *cm, const xy_commitment_in *in,
			  xy_commitment_row *out, long *added, xy_error *err)
{
	xy_credit *c = cm->credit;
	const xy_unit *u;
	const xy_commitment_type *ty;
	XY_SUBJECT_AUTO(subj);
	bool fresh = false;
	json_t *data = NULL;
	char file[64], cn[24]; /* "CN" and a 64-bit id */
	xy_code rc;

	*added = 0;
	memset(out, 0, sizeof *out);
	if ((rc = xy__credit_unit(c->reg, in->unit, "unit", &u, err)))
		return rc;
	if (!(ty = xy_commitment_type_find(cm, in->type))) {
		xy_buf known = XY_BUF_INIT;
		for (size_t i = 0; i < cm->ntypes; i++)
			xy_buf_addf(&known, "%s%s", i ? "、" : "", cm->types[i].name);
		rc = xy_error_at(err, XY_ERR_NOTFOUND, NULL, 0, "type",
				 "unknown commitment type '%s' (%s: %s)", in->type ? in->type : "",
				 TYPES_FILE, known.data ? known.data : "");
		xy_buf_release(&known);
		return rc;
	}
	if ((rc = xy__credit_date(in->date, out->signed_on, "date", err)))
		return rc;
	if (in->deadline && *in->deadline) {
		if ((rc = xy__credit_date(in->deadline, out->deadline, "deadline", err)))
			return rc;
		if (strcmp(out->deadline, out->signed_on) < 0)
			return xy_error_at(err, XY_ERR_INVALID, NULL, 0, "deadline",
					   "deadline %s is before the signing date %s", out->deadline,
					   out->signed_on);
	}
	if (in->no && !*in->no)
		return xy_error_at(err, XY_ERR_ARG, NULL, 0, "no", "an empty commitment number");
	/* borrowed until xy_store_commitment_get below fills *out with its own */
	out->no = in->no ? in->no : "";
	out->type = ty->name;
	out->matter = in->matter ? in->matter : "";
	out->content = in->content ? in->content : "";

	if ((rc = xy_credit_subject_or_new(c, in->subject, in->name, "subject", &subj, &fresh,
					   err)))
		return rc;

	if ((rc = xy_store_begin(c->store, false, err)))
		return rc;
	if (fresh)
		rc = xy_store_subject_upsert(c->store, &subj, err);
	out->unit_id = u->id;
	out->subject_id = subj.id;
	if (!rc)
		rc = xy_store_commitment_insert(c->store, out, err);
	/* unnumbered: the platform's number CN<id> (borrowed from cn until the
	 * xy_store_commitment_get below) */
	if (!rc && !out->no[0]) {
		snprintf(cn, sizeof cn, "CN%lld", (long long)out->id);
		if (!(rc = xy_store_commitment_number(c->store, out->id, cn, err)))
			out->no = cn;
	}
	if (!rc) {
		char note[40] = "";
		if (out->deadline[0])
			snprintf(note, sizeof note, "履约期限 %s", out->deadline);
		data = json_pack("{s:s,s:s,s:s,s:s,s:s}", "XDR_LB", xy_subject_kind_name_zh(subj.kind),
				 "NR", out->content, "CNLX", out->type, "CNSX", out->matter,
				 "BZ", note);
		snprintf(file, sizeof file, "commitment:%lld", (long long)out->id);
		rc = data ? record_via_batch(c, u->id, XY_COMMITMENT_CATEGORY, file, out->signed_on,
					     &subj, out->no, data, added, err)
			  : NOMEM();
		json_decref(data);
	}
	if (!rc)
		rc = commitment_audit(c, "commitment.add", out->id, NULL, u->name, subj.code,
				      out->no[0] ? out->no : "(CN编号)", out->signed_on, err);
	if (!rc)
		rc = xy_store_commit(c->store, err);
	if (rc) {
		xy_store_rollback(c->store, NULL);
		*added = 0;
		return rc;
	}
	{
		int64_t id = out->id;
		xy_commitment_row_release(out); /* borrowed strings only: clears it */
		return xy_store_commitment_get(c->store, id, out, err);
	}
}

/* ---- checks ---- */

struct last_check {
	const char *upto;   /* only checks on or before this date; NULL: all */
	char on[11];
	char result[16];
	char breach_on[11];
};

static int last_cb(void *ctx, const xy_commitment_check *v)
{
	struct last_check *l = ctx;
	if (l->upto && strcmp(v->on, l->upto) > 0)
		return 0;
	/* checks are stored in date order (xy_commitment_verify refuses going back) */
	snprintf(l->on, sizeof l->on, "%s", v->on);
	snprintf(l->result, sizeof l->result, "%s", v->result);
	if (!strcmp(v->result, "未履约") && !l->breach_on[0])
		snprintf(l->breach_on, sizeof l->breach_on, "%s", v->on);
	return 0;
}

static int result_parse(const char *s)
{
	if (!s)
		return -1;
	if (!strcmp(s, "履约") || !strcmp(s, "kept"))
		return 0;
	if (!strcmp(s, "未履约") || !strcmp(s, "breached") || !strcmp(s, "失信"))
		return 1;
	return -1;
}

void xy_commitment_verify_out_release(xy_commitment_verify_out *out)
{
	if (out) {
		free(out->record_key);
		memset(out, 0, sizeof *out);
	}
}

xy_code xy_commitment_verify(xy_commitments *cm, const xy_commitment_verify_in *in,
			     xy_commitment_verify_out *out, xy_error *err)
{
	xy_credit *c = cm->credit;
	XY_AUTO(xy_commitment_row, row_);
	xy_commitment_row *row = &row_;
	const xy_commitment_type *ty;
	const xy_list_type *lt = NULL;
	const char *lt_name = NULL;
	struct last_check last;
	XY_SUBJECT_AUTO(subj);
	xy_commitment_check v;
	char d[11], file[64];
	xy_buf doc = XY_BUF_INIT, reason = XY_BUF_INIT, key = XY_BUF_INIT;
	int breach;
	xy_code rc;

	memset(out, 0, sizeof *out);
	out->category = out->list_type = "";
	if ((breach = result_parse(in->result)) < 0)
		return xy_error_at(err, XY_ERR_INVALID, NULL, 0, "result",
				   "result must be 履约 or 未履约, not '%s'",
				   in->result ? in->result : "");
	if (!in->by || !*in->by)
		return xy_error_at(err, XY_ERR_ARG, NULL, 0, "by", "say who checked (--by)");
	if ((rc = xy__credit_date(in->date, d, "date", err)))
		return rc;
	if ((rc = xy_store_commitment_get(c->store, in->id, row, err)))
		goto out;
	if (strcmp(d, row->signed_on) < 0) {
		rc = xy_error_at(err, XY_ERR_INVALID, NULL, 0, "date",
				 "check date %s is before the signing date %s", d, row->signed_on);
		goto out;
	}
	memset(&last, 0, sizeof last);
	if ((rc = xy_store_commitment_checks(c->store, row->id, last_cb, &last, err)))
		goto out;
	if (last.breach_on[0]) {
		rc = xy_error_at(err, XY_ERR_CONFLICT, NULL, 0, "commitment",
				 "commitment %lld was already found 未履约 on %s", (long long)row->id,
				 last.breach_on);
		goto out;
	}
	if (last.on[0] && strcmp(d, last.on) < 0) {
		rc = xy_error_at(err, XY_ERR_INVALID, NULL, 0, "date",
				 "check date %s is before the last check (%s on %s)", d, last.result,
				 last.on);
		goto out;
	}
	if (!(ty = xy_commitment_type_find(cm, row->type))) {
		rc = xy_error_at(err, XY_ERR_CONFIG, NULL, 0, "type",
				 "commitment %lld has type '%s', which %s no longer has",
				 (long long)row->id, row->type, TYPES_FILE);
		goto out;
	}
	if (breach && !in->no_list)
		lt_name = in->list_type && *in->list_type ? in->list_type
			  : *ty->list_type		  ? ty->list_type
							  : NULL;
	if (lt_name && !(lt = xy_sanctions_list_type(&c->cat, lt_name))) {
		rc = xy_error_at(err, XY_ERR_NOTFOUND, NULL, 0, "list",
				 "unknown list type '%s' (list-types.tsv)", lt_name);
		goto out;
	}
	if ((rc = xy_credit_subject(c, row->subject_code, &subj, err)))
		goto out;

	memset(&v, 0, sizeof v);
	v.commitment_id = row->id;
	v.on = d;
	v.result = breach ? "未履约" : "履约";
	v.by = in->by;
	v.note = in->note && *in->note ? in->note : NULL;
	if ((rc = xy_store_begin(c->store, false, err)))
		goto out;
	if (breach) {
		json_t *data;
		out->breach = true;
		out->category = ty->breach_category;
		if (xy_buf_addf(&key, "%s-未履约", row->no)) {
			rc = NOMEM();
			goto out;
		}
		snprintf(file, sizeof file, "commitment:%lld", (long long)row->id);
		xy_buf_addf(&reason, "违反信用承诺（%s，承诺书%s）%s%s", row->type, row->no,
			    row->matter[0] ? "：" : "", row->matter);
		data = json_pack("{s:s,s:s}", "NR", reason.data ? reason.data : "", "BZ",
				 v.note ? v.note : "");
		rc = data ? record_via_batch(c, row->unit_id, ty->breach_category, file, d, &subj,
					     key.data, data, &out->added, err)
			  : NOMEM();
		json_decref(data);
		v.record_key = key.data;
		if (!rc && lt_name) {
			xy_list_add a;
			XY_AUTO(xy_entry_row, e);
			memset(&a, 0, sizeof a);
			if (in->doc && *in->doc)
				xy_buf_addstr(&doc, in->doc);
			else
				xy_buf_addf(&doc, "%s-未履约", row->no);
			a.type = lt_name;
			a.subject = row->subject_code;
			a.unit = row->unit;
			a.doc = doc.data;
			a.from = d;
			a.to = in->to;
			a.reason = reason.data;
			/* a nested transaction: refused, it undoes only itself, and we roll
			 * back the rest below */
			rc = xy_credit_list_add(c, &a, &e, &out->notices, NULL, err);
			if (!rc) {
				out->entry_id = e.id;
				v.entry_id = e.id;
				out->list_type = lt->name;
			}
		}
	}
	if (!rc)
		rc = xy_store_commitment_check_add(c->store, &v, err);
	if (!rc)
		rc = commitment_audit(c, "commitment.check", row->id,
				      last.on[0] ? last.result : "待核查", v.result, row->no, v.by, d,
				      err);
	if (!rc)
		rc = xy_store_commit(c->store, err);
	if (rc) {
		xy_store_rollback(c->store, NULL);
		memset(out, 0, sizeof *out);
	} else if (key.len) {
		out->record_key = xy_buf_detach(&key, NULL);
	}
out:
	xy_buf_release(&doc);
	xy_buf_release(&reason);
	xy_buf_release(&key);
	return rc;
}

/* ---- bulk registration from an imported 信用承诺书 file ---- */

struct imported {
	int64_t subject_id;
	char *key, *data, *date;
};

struct import_rows {
	struct imported *v;
	size_t n, cap;
	bool nomem;
};

static int collect_row(void *ctx, int64_t subject_id, const xy_record_view *r)
{
	struct import_rows *rows = ctx;
	struct imported *it, *v = xy_array_grow(rows->v, rows->n, &rows->cap, sizeof *v, 64);
	if (!v) {
		rows->nomem = true;
		return 1;
	}
	rows->v = v;
	it = &rows->v[rows->n++];
	it->subject_id = subject_id;
	it->key = strdup(r->key);
	it->data = strdup(r->data);
	it->date = strdup(r->decided_on ? r->decided_on : "");
	if (!it->key || !it->data || !it->date) {
		rows->nomem = true;
		return 1;
	}
	return 0;
}

static const char *field_of(json_t *data, const char *code)
{
	const char *v = json_string_value(json_object_get(data, code));
	return v ? v : "";
}

/* One imported row as a commitment; *added / *existing count it. */
static xy_code register_row(xy_commitments *cm, const xy_unit *u, const struct imported *it,
			    long *added, long *existing, xy_error *err)
{
	json_error_t jerr;
	json_t *data = json_loads(it->data, 0, &jerr);
	xy_commitment_row *row;
	const char *type;
	xy_code rc = XY_OK;
	if (!data)
		return xy_error_set(err, XY_ERR_STORE, "record %s has unreadable data", it->key);
	if (!(row = calloc(1, sizeof *row))) {
		json_decref(data);
		return NOMEM();
	}
	type = *field_of(data, "CNLX") ? field_of(data, "CNLX") : "其他";
	if (!xy_commitment_type_find(cm, type)) {
		rc = xy_error_at(err, XY_ERR_CONFIG, NULL, 0, "type",
				 "row %s: 承诺类型 '%s' is not in %s", it->key, type, TYPES_FILE);
	} else if (!it->subject_id || xy_date_parse(it->date, row->signed_on)) {
		rc = xy_error_at(err, XY_ERR_INVALID, NULL, 0, NULL,
				 "row %s has no subject or no date", it->key);
	} else {
		row->unit_id = u->id;
		row->subject_id = it->subject_id;
		/* borrowed from data and it (the row is numbered: the store keeps
		 * none of it) */
		row->no = it->key;
		row->type = type;
		row->matter = field_of(data, "CNSX");
		row->content = field_of(data, "NR");
		rc = xy_store_commitment_insert(cm->credit->store, row, err);
		if (rc == XY_ERR_CONFLICT) {
			xy_error_clear(err);
			(*existing)++;
			rc = XY_OK;
		} else if (!rc) {
			(*added)++;
		}
	}
	xy_commitment_row_release(row);
	free(row);
	json_decref(data);
	return rc;
}

xy_code xy_commitment_import(xy_commitments *cm, const char *path, const xy_import_opts *io,
			     xy_commitment_import_out *out, xy_error *err)
{
	xy_credit *c = cm->credit;
	const xy_category *cat = xy_registry_category(c->reg, XY_COMMITMENT_CATEGORY);
	const xy_unit *u;
	xy_import_opts o;
	struct import_rows rows = { NULL, 0, 0, false };
	xy_code rc;

	memset(out, 0, sizeof *out);
	if ((rc = xy__credit_unit(c->reg, io->unit, "unit", &u, err)))
		return rc;
	o = *io;
	o.category = XY_COMMITMENT_CATEGORY;
	if ((rc = xy_import_file(c->store, c->reg, path, &o, &out->batch, err)))
		return rc;
	if ((rc = xy_store_batch_records(c->store, u->id, cat->id, out->batch.id, collect_row,
					 &rows, err)))
		goto out;
	if (rows.nomem) {
		rc = NOMEM();
		goto out;
	}
	if ((rc = xy_store_begin(c->store, false, err)))
		goto out;
	for (size_t i = 0; !rc && i < rows.n; i++)
		rc = register_row(cm, u, &rows.v[i], &out->added, &out->existing, err);
	if (!rc)
		rc = xy_store_commit(c->store, err);
	if (rc) {
		xy_store_rollback(c->store, NULL);
		out->added = out->existing = 0;
	}
out:
	for (size_t i = 0; i < rows.n; i++) {
		free(rows.v[i].key);
		free(rows.v[i].data);
		free(rows.v[i].date);
	}
	free(rows.v);
	return rc;
}

/* ---- status ---- */

const char *xy_commitment_status_name(xy_commitment_status st)
{
	static const char *const n[] = { "unsigned", "pending", "overdue", "kept", "breached" };
	return (size_t)st < 5 ? n[st] : "?";
}

const char *xy_commitment_status_name_zh(xy_commitment_status st)
{
	static const char *const n[] = { "尚未签署", "待核查", "逾期未核查", "履约", "未履约" };
	return (size_t)st < 5 ? n[st] : "?";
}

xy_code xy_commitment_status_on(xy_commitments *cm, const xy_commitment_row *c,
				const char *date, xy_commitment_status *out, xy_error *err)
{
	struct last_check last;
	char d[11];
	xy_code rc;
	if ((rc = xy__credit_date(date, d, "date", err)))
		return rc;
	memset(&last, 0, sizeof last);
	last.upto = d;
	if ((rc = xy_store_commitment_checks(cm->credit->store, c->id, last_cb, &last, err)))
		return rc;
	if (strcmp(c->signed_on, d) > 0)
		*out = XY_CN_UNSIGNED;
	else if (last.breach_on[0])
		*out = XY_CN_BREACHED;
	else if (last.on[0])
		*out = XY_CN_KEPT;
	else if (c->deadline[0] && strcmp(c->deadline, d) < 0)
		*out = XY_CN_OVERDUE;
	else
		*out = XY_CN_PENDING;
	return XY_OK;
}
