/* xinyong: list entries (红黑名单) — added and exited by the office
 * (xy_credit_list_add, xy_credit_list_exit) and derived from imported records
 * (xy_credit_list_sync).
 *
 * Rows of 地方发布红名单, 地方发布黑名单 and 国家黑名单 are records like any
 * other: the importer stores them and the statistics count them.  The list
 * entries are a view derived from those records afterwards, so the import
 * path stays as it is and a re-import is idempotent: a link table remembers
 * which version of which record each entry reflects (store.h,
 * xy_store_list_records).  docs/credit.md, "List entries from imports".
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "xinyong/auth.h"
#include "xinyong/buf.h"
#include "xinyong/credit.h"
#include "xinyong/lists.h"
#include "xinyong/date.h"
#include "internal.h"

#define NOMEM() xy_error_set(err, XY_ERR_NOMEM, "out of memory")

typedef struct lrec {
	xy_list_record r;
	char *key, *data;
} lrec;

typedef struct lrecs {
	lrec *v;
	size_t n, cap;
	bool nomem;
} lrecs;

static int collect(void *ctx, const xy_list_record *r)
{
	lrecs *l = ctx;
	lrec *x, *v = xy_array_grow(l->v, l->n, &l->cap, sizeof *v, 16);
	if (!v) {
		l->nomem = true;
		return 1;
	}
	l->v = v;
	x = &l->v[l->n];
	x->r = *r;
	x->key = strdup(r->key);
	x->data = strdup(r->data);
	if (!x->key || !x->data) {
		free(x->key);
		free(x->data);
		l->nomem = true;
		return 1;
	}
	x->r.key = x->key;
	x->r.data = x->data;
	l->n++;
	return 0;
}

static void lrecs_free(lrecs *l)
{
	for (size_t i = 0; i < l->n; i++) {
		free(l->v[i].key);
		free(l->v[i].data);
	}
	free(l->v);
}

bool xy_credit_is_list_category(const xy_credit *c, const char *category)
{
	const xy_category *cat = xy_registry_category(c->reg, category);
	if (cat && !strcmp(cat->name, XY__EXIT_CATEGORY))
		return true;
	for (size_t i = 0; cat && i < c->cat.nlist_types; i++)
		if (!strcmp(c->cat.list_types[i].category, cat->name))
			return true;
	return false;
}

/* The catch-all type of a category: the first type counted under it that
 * has no designating unit (地方发布黑名单 for 地方发布黑名单 …). */
static const xy_list_type *default_type(const xy_credit *c, const char *category)
{
	for (size_t i = 0; i < c->cat.nlist_types; i++)
		if (!strcmp(c->cat.list_types[i].category, category) && !c->cat.list_types[i].unit[0])
			return &c->cat.list_types[i];
	return NULL;
}

/* A unit named in 认定单位: its registry name, or that name after the city's
 * prefix (营口市市场监管局 → 市场监管局). */
static const xy_unit *named_unit(const xy_credit *c, const char *name)
{
	static const char *const prefixes[] = { "营口市", "营口" };
	const xy_unit *u = xy_registry_unit(c->reg, name);
	for (size_t i = 0; !u && i < sizeof prefixes / sizeof *prefixes; i++) {
		size_t n = strlen(prefixes[i]);
		if (!strncmp(name, prefixes[i], n) && name[n])
			u = xy_registry_unit(c->reg, name + n);
	}
	return u;
}

static const char *field(json_t *o, const char *code)
{
	const char *v = json_string_value(json_object_get(o, code));
	return v ? v : "";
}

typedef struct sync_ctx {
	xy_credit *c;
	const xy_unit *reporter;
	const xy_category *cat;
	xy_list_sync_warn warn;
	void *warn_ctx;
	xy_list_sync_out *out;
	char today[11];
} sync_ctx;

/* A record that cannot become an entry: told, counted, left unlinked (it is
 * derived again by the next sync, e.g. once the configuration knows more). */
static void problem(sync_ctx *x, const lrec *l, const char *fieldname, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
static void problem(sync_ctx *x, const lrec *l, const char *fieldname, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	x->out->problems++;
	if (x->warn)
		x->warn(x->warn_ctx, x->reporter->name, x->cat->name, l->key, fieldname, msg);
}

/* Derive (or correct) the entry of one record. */
/* An entry's period as its history lines word it: "from – to", 无期限 when
 * it has no end. */
static xy_code period_add(xy_buf *b, const xy_entry_row *e)
{
	return xy_buf_addf(b, "%s – %s", e->from, e->to[0] ? e->to : "无期限");
}

/* Insert e and its history line 列入 with its period, inside the caller's
 * transaction: the store keeps the line, the wording is ours. */
static xy_code entry_insert(xy_credit *c, xy_entry_row *e, xy_error *err)
{
	xy_buf detail = XY_BUF_INIT;
	xy_code rc = xy_store_entry_insert(c->store, e, err);
	if (!rc && period_add(&detail, e))
		rc = xy_error_set(err, XY_ERR_NOMEM, "out of memory");
	if (!rc)
		rc = xy_store_entry_history_add(c->store, e->id, "列入", detail.data, err);
	xy_buf_release(&detail);
	return rc;
}

static xy_code derive(sync_ctx *x, lrec *l, xy_error *err)
{
	xy_credit *c = x->c;
	json_t *o;
	json_error_t jerr;
	const xy_list_type *lt;
	const xy_unit *u = NULL;
	const char *doc, *mdmc, *rddw, *rep_code, *rep_name, *reason;
	char from[11], to[11];
	xy_entry_row *e = NULL, *old = NULL;
	XY_SUBJECT_AUTO(person);
	xy_buf note = XY_BUF_INIT, detail = XY_BUF_INIT;
	bool have_old = false, person_ok = false;
	xy_code rc = XY_OK;

	if (!(o = json_loads(l->data, 0, &jerr)))
		return xy_error_set(err, XY_ERR_STORE, "record %s has unreadable data", l->key);
	doc = field(o, "BH");
	mdmc = field(o, "MDMC");
	rddw = field(o, "RDDW");
	rep_code = field(o, "FDDBR_ZJHM");
	rep_name = field(o, "FDDBR");
	reason = *field(o, "NR") ? field(o, "NR") : field(o, "YJ");

	if (!l->r.subject_id) {
		problem(x, l, "XDR_MC", "no subject (主体) in the record");
		goto out;
	}
	lt = *mdmc ? xy_sanctions_list_type(&c->cat, mdmc) : NULL;
	if (lt && strcmp(lt->category, x->cat->name)) {
		problem(x, l, "MDMC", "名单 %s is reported under %s, not %s", lt->name,
			lt->category[0] ? lt->category : "(no category)", x->cat->name);
		goto out;
	}
	/* the entry an earlier version of the record gave, or the one `list add`
	 * wrote the record for: read once, used for the type and the update below */
	if (!(old = calloc(1, sizeof *old))) {
		rc = NOMEM();
		goto out;
	}
	if (l->r.entry_id && (rc = xy_store_entry_get(c->store, l->r.entry_id, old, err)))
		goto out;
	if (!lt && !*mdmc && l->r.entry_id) {
		/* a row that names no list, for a record already linked to an entry
		 * (the unit reports a decision entered by `list add`, same 文书号):
		 * the entry's own type, counted under this category, stands */
		lt = xy_sanctions_list_type(&c->cat, old->list_type);
		if (lt && strcmp(lt->category, x->cat->name))
			lt = NULL;
	}
	if (!lt) {
		if (!(lt = default_type(c, x->cat->name))) {
			problem(x, l, "MDMC", "no list type is counted under %s (list-types.tsv)",
				x->cat->name);
			goto out;
		}
		/* a list the configuration does not know: the category's catch-all,
		 * keeping the name the unit gave */
		if (*mdmc && xy_buf_addf(&note, "名单名称：%s；", mdmc)) {
			rc = NOMEM();
			goto out;
		}
	}
	if (*rddw && (u = named_unit(c, rddw)) && lt->unit[0] && strcmp(lt->unit, u->name)) {
		problem(x, l, "RDDW", "%s is designated by %s, not %s (谁认定谁负责)", lt->name,
			lt->unit, u->name);
		goto out;
	}
	if (!u && lt->unit[0])
		u = xy_registry_unit(c->reg, lt->unit);
	if (!u)
		u = x->reporter;

	if (xy_date_parse(*field(o, "YXQZ") ? field(o, "YXQZ") : field(o, "RQ"), from)) {
		problem(x, l, "YXQZ", "no start date (有效期自 or 日期)");
		goto out;
	}
	if (*field(o, "YXQZI")) {
		if (xy_date_parse(field(o, "YXQZI"), to) || strcmp(to, from) < 0) {
			problem(x, l, "YXQZI", "end %s is before the start %s", field(o, "YXQZI"),
				from);
			goto out;
		}
	} else if (xy_list_type_end(lt, from, to)) {
		problem(x, l, "YXQZ", "bad start date %s", from);
		goto out;
	}
	if (*rep_code) {
		if (*field(o, "XDR_ZJHM") && !*field(o, "XDR_SHXYM")) {
			problem(x, l, "FDDBR_ZJHM", "a 法定代表人 is linked to an enterprise's "
				"entry, and the subject is a person");
			goto out;
		}
		if (xy__credit_new_subject(rep_code, *rep_name ? rep_name : rep_code, &person,
					   err) ||
		    person.kind != XY_SUBJ_PERSON) {
			xy_error_clear(err);
			problem(x, l, "FDDBR_ZJHM", "'%s' is not a valid 身份证号", rep_code);
			goto out;
		}
		person_ok = true;
	}

	if (!(e = calloc(1, sizeof *e)) ||
	    xy_buf_addstr(&note, reason)) {
		rc = NOMEM();
		goto out;
	}
	e->subject_id = l->r.subject_id;
	e->unit_id = u->id;
	if (strlen(doc) > XY_DOC_MAX) {
		problem(x, l, "BH", "the document number (认定文书号) is %zu bytes, longer than "
			"the %d a list entry takes", strlen(doc), XY_DOC_MAX);
		goto out;
	}
	/* borrowed from the record's data and the catalogue: the store copies them */
	e->list_type = lt->name;
	e->doc = doc;
	e->reason = note.data;
	memcpy(e->from, from, sizeof from);
	memcpy(e->to, to, sizeof to);

	/* the entry an earlier version of the record gave, else the same entry
	 * created otherwise (list add) */
	if (l->r.entry_id) {
		if (strcmp(old->list_type, e->list_type) || old->subject_id != e->subject_id ||
		    strcmp(old->doc, e->doc)) {
			/* the corrected row names another list or subject: the old entry
			 * was wrong, withdraw it (the history keeps it) */
			if (xy_buf_addf(&detail, "更正：记录 %s 改列", l->key)) {
				rc = NOMEM();
				goto out;
			}
			if (!old->exit_how[0] &&
			    (rc = xy_store_entry_exit(c->store, old->id, "撤销",
						      strcmp(x->today, old->from) < 0 ? old->from
										       : x->today,
						      detail.data, err)))
				goto out;
			x->out->withdrawn++;
		} else {
			have_old = true;
		}
	}
	if (!have_old) {
		xy_entry_row_release(old);
		rc = xy_store_entry_find(c->store, e->list_type, e->subject_id, e->doc, old, err);
		if (rc == XY_OK)
			have_old = true;
		else if (rc != XY_ERR_NOTFOUND)
			goto out;
		rc = XY_OK;
	}
	if (have_old) {
		e->id = old->id;
		if (old->unit_id != e->unit_id || strcmp(old->from, e->from) ||
		    strcmp(old->to, e->to) || strcmp(old->reason, e->reason)) {
			if (xy_buf_addf(&detail, "记录 %s：", l->key) || period_add(&detail, e)) {
				rc = NOMEM();
				goto out;
			}
			if ((rc = xy_store_entry_update(c->store, e, detail.data, err)))
				goto out;
			x->out->updated++;
		} else {
			x->out->unchanged++;
		}
	} else {
		long n = 0;
		if ((rc = entry_insert(c, e, err)))
			goto out;
		if (lt->kind == XY_LIST_BLACK &&
		    (rc = xy_store_notify(c->store, e->subject_id, e->id, &n, err)))
			goto out;
		x->out->created++;
		x->out->notices += n;
	}
	if (person_ok) {
		if ((rc = xy_store_subject_upsert(c->store, &person, err)) ||
		    (rc = xy_store_entry_person_add(c->store, e->id, person.id, "法定代表人", err)))
			goto out;
	}
	l->r.entry_id = e->id;
	rc = xy_store_list_record_link(c->store, &l->r, err);
out:
	json_decref(o);
	free(e); /* borrowed strings */
	xy_entry_row_release(old);
	free(old);
	xy_buf_release(&note);
	xy_buf_release(&detail);
	return rc;
}

/* ---- rows of 失信主体以注销、吊销等形式退出黑名单 ----
 *
 * A row that names the subject and the 文书号 (编号 BH) of one of the
 * subject's own black-list entries exits it: 注销 or 吊销 as the row's 内容
 * (NR), 备注 (BZ) or 认定依据 (YJ) says (exactly one of the two words), on the
 * row's 日期 (RQ).  The exit is not counted again (the row is), and the row is
 * linked to the entry.  A row naming no entry stays a record (exits of
 * entries never imported here are normal) and is looked at again by the next
 * sync; a row that names an entry but not how, or a date before its start,
 * is a problem. */

typedef struct black_own {
	const xy_credit *c;
	const char *doc;
	xy_entry_row e; /* owns its strings */
	int n;
	bool nomem;
} black_own;

static int on_black_own(void *ctx, const xy_entry_row *e)
{
	black_own *b = ctx;
	const xy_list_type *lt;
	if (e->via != XY_VIA_OWN || strcmp(e->doc, b->doc))
		return 0;
	lt = xy_sanctions_list_type(&b->c->cat, e->list_type);
	if (lt && lt->kind == XY_LIST_BLACK) {
		xy_entry_row_release(&b->e);
		if (xy_entry_row_copy(&b->e, e)) {
			b->nomem = true;
			return 1;
		}
		b->n++;
	}
	return 0;
}

static xy_code exit_from(sync_ctx *x, lrec *l, xy_error *err)
{
	xy_credit *c = x->c;
	static const char *const text_fields[] = { "NR", "BZ", "YJ" };
	black_own *b = NULL;
	json_t *o;
	json_error_t jerr;
	const char *how = NULL;
	bool cancel = false, revoke = false;
	char date[11];
	xy_buf detail = XY_BUF_INIT;
	xy_code rc = XY_OK;

	if (!l->r.subject_id)
		return XY_OK;
	if (!(o = json_loads(l->data, 0, &jerr)))
		return xy_error_set(err, XY_ERR_STORE, "record %s has unreadable data", l->key);
	if (!(b = calloc(1, sizeof *b))) {
		rc = NOMEM();
		goto out;
	}
	b->c = c;
	b->doc = field(o, "BH");
	if ((rc = xy_store_subject_entries(c->store, l->r.subject_id, on_black_own, b, err)))
		goto out;
	if (b->nomem) {
		rc = NOMEM();
		goto out;
	}
	if (!b->n)
		goto out;
	if (b->n > 1) {
		problem(x, l, "BH", "%d black-list entries of the subject have 文书号 %s", b->n,
			b->doc);
		goto out;
	}
	for (size_t i = 0; i < sizeof text_fields / sizeof *text_fields; i++) {
		cancel |= strstr(field(o, text_fields[i]), "注销") != NULL;
		revoke |= strstr(field(o, text_fields[i]), "吊销") != NULL;
	}
	if (cancel == revoke) {
		problem(x, l, "NR", "the row exits entry %lld but says %s (内容: 注销 or 吊销)",
			(long long)b->e.id, cancel ? "both 注销 and 吊销" : "neither 注销 nor 吊销");
		goto out;
	}
	how = cancel ? "注销" : "吊销";
	if (xy_date_parse(field(o, "RQ"), date) || strcmp(date, b->e.from) < 0) {
		problem(x, l, "RQ", "exit date '%s' is not a date on or after the entry's start %s",
			field(o, "RQ"), b->e.from);
		goto out;
	}
	if (b->e.exit_how[0]) {
		if (strcmp(b->e.exit_how, how) || strcmp(b->e.exit_date, date)) {
			problem(x, l, "RQ", "entry %lld has already exited (%s on %s)",
				(long long)b->e.id, b->e.exit_how, b->e.exit_date);
			goto out;
		}
		x->out->unchanged++; /* e.g. the record `list exit` wrote itself */
	} else {
		if (xy_buf_addf(&detail, "退出黑名单记录 %s", l->key)) {
			rc = NOMEM();
			goto out;
		}
		if ((rc = xy_store_entry_exit(c->store, b->e.id, how, date, detail.data, err)))
			goto out;
		x->out->exited++;
	}
	l->r.entry_id = b->e.id;
	rc = xy_store_list_record_link(c->store, &l->r, err);
out:
	json_decref(o);
	if (b)
		xy_entry_row_release(&b->e);
	free(b);
	xy_buf_release(&detail);
	return rc;
}

static xy_code sync_one(sync_ctx *x, xy_error *err)
{
	bool exits = !strcmp(x->cat->name, XY__EXIT_CATEGORY);
	lrecs l = { NULL, 0, 0, false };
	xy_code rc = xy_store_list_records(x->c->store, x->reporter->id, x->cat->id, collect, &l,
					   err);
	if (!rc && l.nomem)
		rc = NOMEM();
	for (size_t i = 0; !rc && i < l.n; i++)
		rc = exits ? exit_from(x, &l.v[i], err) : derive(x, &l.v[i], err);
	lrecs_free(&l);
	return rc;
}

xy_code xy_credit_list_sync(xy_credit *c, const char *unit, const char *category,
			    xy_list_sync_warn warn, void *ctx, xy_list_sync_out *out,
			    xy_error *err)
{
	sync_ctx x;
	xy_code rc;
	memset(out, 0, sizeof *out);
	memset(&x, 0, sizeof x);
	x.c = c;
	x.warn = warn;
	x.warn_ctx = ctx;
	x.out = out;
	xy_date_today(x.today);
	if (unit && !(x.reporter = xy_registry_unit(c->reg, unit)))
		return xy_error_at(err, XY_ERR_NOTFOUND, NULL, 0, "unit",
				   "unknown unit '%s' (units.tsv)", unit);
	if (category && !(x.cat = xy_registry_category(c->reg, category)))
		return xy_error_at(err, XY_ERR_NOTFOUND, NULL, 0, "category",
				   "unknown category '%s' (categories.tsv)", category);
	if (x.cat && !xy_credit_is_list_category(c, x.cat->name))
		return XY_OK; /* not a list category: nothing to derive */
	if ((rc = xy_store_begin(c->store, false, err)))
		return rc;
	for (size_t i = 0; !rc && i < c->reg->nunits; i++) {
		const xy_unit *uu = &c->reg->units[i];
		if (unit && uu != x.reporter)
			continue;
		for (size_t k = 0; !rc && k < c->reg->ncategories; k++) {
			const xy_category *cc = &c->reg->categories[k];
			if ((category && cc != x.cat) || !xy_credit_is_list_category(c, cc->name))
				continue;
			sync_ctx y = x;
			y.reporter = uu;
			y.cat = cc;
			rc = sync_one(&y, err);
		}
	}
	if (!rc)
		rc = xy_store_commit(c->store, err);
	if (rc) {
		xy_store_rollback(c->store, NULL);
		memset(out, 0, sizeof *out);
	}
	return rc;
}

/* ---- entries the office adds and exits ---- */

/* An entry's fields as the @list record of its category would carry them. */
static char *entry_data(const xy_entry_row *e, const char *unit, const xy_subject *subj,
			const char *date, const char *content, const xy_list_add *a,
			const xy_subject *persons)
{
	json_t *o = json_pack("{s:s,s:s,s:s,s:s}", "MDMC", e->list_type, "RDDW", unit, "YXQZ",
			      e->from, "YXQZI", e->to);
	char *js;
	for (size_t i = 0; o && a && i < a->npersons; i++)
		if (!strcmp(a->persons[i].role, "法定代表人")) {
			json_object_set_new(o, "FDDBR", json_string(persons[i].name));
			json_object_set_new(o, "FDDBR_ZJHM", json_string(persons[i].code));
			break;
		}
	js = o ? xy__credit_subject_data(subj, e->doc, date, content, NULL, o) : NULL;
	json_decref(o);
	return js;
}

/* The key of the record a credit action writes for decision `doc` about
 * subject_id in unit × category: the doc itself, as the unit's own report of
 * the decision is keyed (编号 BH), so that the same decision imported later
 * updates this record instead of being counted a second time.  *reported: a
 * record of this decision about this subject is there already (the unit
 * imported it): nothing to write, it is counted.  A record with that key
 * about another subject (one decision naming several) leaves the doc to it
 * and the action uses `fallback`. */
static xy_code decision_key(xy_credit *c, int64_t unit_id, const xy_category *cat,
			    const char *doc, int64_t subject_id, const char *fallback,
			    const char **key, bool *reported, xy_error *err)
{
	int64_t id, subj;
	xy_code rc = xy_store_record_find(c->store, unit_id, cat->id, doc, &id, &subj, err);
	*reported = false;
	if (rc == XY_ERR_NOTFOUND) {
		*key = doc;
		return XY_OK;
	}
	if (rc)
		return rc;
	if (subj == subject_id) {
		*reported = true;
		return XY_OK;
	}
	*key = fallback;
	return XY_OK;
}

/* list add of a type with a reporting category (地方发布红名单 …): one record
 * of it, reported today by the designating unit and keyed by the decision's
 * 文书号 (decision_key), linked to the entry so that xy_credit_list_sync does
 * not derive a second entry from it.  *counted: whether a record was written
 * (not when the unit had reported the decision already). */
static xy_code count_entry(xy_credit *c, const xy_list_type *lt, const xy_unit *u,
			   const xy_subject *subj, const xy_entry_row *e, const xy_list_add *a,
			   const xy_subject *persons, bool *counted, xy_error *err)
{
	const xy_category *cat = xy_registry_category(c->reg, lt->category);
	char today[11], fallback[64], file[64];
	const char *key = NULL;
	char *js;
	long added = 0;
	bool reported;
	xy_list_record link;
	xy_code rc;
	*counted = false;
	if (!cat)
		return xy_error_set(err, XY_ERR_CONFIG, "no category '%s' in the registry",
				    lt->category);
	snprintf(fallback, sizeof fallback, "entry-%lld", (long long)e->id);
	if ((rc = decision_key(c, u->id, cat, e->doc, subj->id, fallback, &key, &reported, err)) ||
	    reported)
		return rc;
	xy_date_today(today);
	snprintf(file, sizeof file, "list:%lld", (long long)e->id);
	if (!(js = entry_data(e, u->name, subj, e->from, e->reason, a, persons)))
		return NOMEM();
	memset(&link, 0, sizeof link);
	rc = xy__credit_record(c, u->id, cat->name, file, "list", today, subj->id, key, js,
			       &added, &link.data_batch, err);
	free(js);
	if (rc)
		return rc;
	link.unit_id = u->id;
	link.category_id = cat->id;
	link.key = key;
	link.entry_id = e->id;
	*counted = added > 0;
	return xy_store_list_record_link(c->store, &link, err);
}

/* An entry as the audit log digests it (before/after): its fields, one per
 * line, so that any change of them changes the digest. */
static xy_code entry_text(const xy_entry_row *e, xy_buf *out)
{
	xy_buf_reset(out);
	return xy_buf_addf(out, "entry=%lld\nlist_type=%s\nsubject=%s\nunit=%s\ndoc=%s\nfrom=%s\n"
				"to=%s\nexit=%s\nexit_date=%s\nreason=%s\n",
			   (long long)e->id, e->list_type ? e->list_type : "",
			   e->subject_code ? e->subject_code : "", e->unit ? e->unit : "",
			   e->doc ? e->doc : "", e->from, e->to, e->exit_how, e->exit_date,
			   e->reason ? e->reason : "");
}

/* The audit entry of a change to list entry e ("list.add", "list.exit"),
 * inside the caller's transaction; before may be NULL (a new entry). */
static xy_code audit_entry(xy_credit *c, const char *who, const char *action,
			   const xy_buf *before, const xy_entry_row *e, const char *detail,
			   xy_error *err)
{
	xy_buf after = XY_BUF_INIT, object = XY_BUF_INIT;
	xy_code rc;
	if (entry_text(e, &after) || xy_buf_addf(&object, "entry:%lld", (long long)e->id)) {
		rc = NOMEM();
	} else {
		xy_audit_entry a = { .who = who && *who ? who : "library", .action = action,
				     .object = object.data, .detail = detail,
				     .before = before ? before->data : NULL,
				     .before_len = before ? before->len : 0, .after = after.data,
				     .after_len = after.len };
		rc = xy_audit_append(c->store, &a, NULL, err);
	}
	xy_buf_release(&after);
	xy_buf_release(&object);
	return rc;
}

xy_code xy_credit_list_add(xy_credit *c, const xy_list_add *a, xy_entry_row *out,
			   long *notices, bool *counted_out, xy_error *err)
{
	const xy_list_type *lt;
	const xy_unit *u;
	XY_SUBJECT_AUTO(subj);
	xy_subject *persons = NULL;
	bool subj_new = false, counted = false;
	char from[11], to[11];
	xy_code rc;

	*notices = 0;
	if (counted_out)
		*counted_out = false;
	memset(out, 0, sizeof *out);
	if (!a->type || !(lt = xy_sanctions_list_type(&c->cat, a->type)))
		return xy_error_at(err, XY_ERR_NOTFOUND, NULL, 0, "type",
				   "unknown list type '%s' (list-types.tsv)", a->type ? a->type : "");
	if ((rc = xy__credit_unit(c->reg, a->unit, "unit", &u, err)))
		return rc;
	if (lt->unit[0] && strcmp(lt->unit, u->name))
		return xy_error_at(err, XY_ERR_INVALID, NULL, 0, "unit",
				   "%s is designated by %s, not %s (谁认定谁负责)", lt->name, lt->unit,
				   u->name);
	if (!a->doc || !*a->doc)
		return xy_error_at(err, XY_ERR_ARG, NULL, 0, "doc", "no decision document number");
	if ((rc = xy__credit_limit(a->doc, XY_DOC_MAX, "doc", err)))
		return rc;
	if (!a->from || !*a->from)
		return xy_error_at(err, XY_ERR_ARG, NULL, 0, "from", "no start date");
	if ((rc = xy__credit_date(a->from, from, "from", err)))
		return rc;
	if (a->to && *a->to) {
		if ((rc = xy__credit_date(a->to, to, "to", err)))
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
		if ((rc = xy__credit_new_subject(a->subject, a->name, &subj, err)))
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
		if ((rc = xy__credit_new_subject(a->persons[i].code, a->persons[i].name, &persons[i], err)))
			goto out;
		if (persons[i].kind != XY_SUBJ_PERSON) {
			rc = xy_error_at(err, XY_ERR_INVALID, NULL, 0, "person",
					 "%s is not a 身份证号", a->persons[i].code);
			goto out;
		}
	}

	/* borrowed until xy_store_entry_get below fills *out with its own */
	out->unit_id = u->id;
	out->list_type = lt->name;
	out->doc = a->doc;
	out->reason = a->reason ? a->reason : "";
	memcpy(out->from, from, sizeof from);
	memcpy(out->to, to, sizeof to);

	if ((rc = xy_store_begin(c->store, false, err)))
		goto out;
	if (subj_new)
		rc = xy_store_subject_upsert(c->store, &subj, err);
	out->subject_id = subj.id;
	if (!rc)
		rc = entry_insert(c, out, err);
	for (size_t i = 0; !rc && i < a->npersons; i++) {
		rc = xy_store_subject_upsert(c->store, &persons[i], err);
		if (!rc)
			rc = xy_store_entry_person_add(c->store, out->id, persons[i].id,
						       a->persons[i].role, err);
	}
	if (!rc && lt->kind == XY_LIST_BLACK)
		rc = xy_store_notify(c->store, subj.id, out->id, notices, err);
	if (!rc && lt->category[0])
		rc = count_entry(c, lt, u, &subj, out, a, persons, &counted, err);
	if (!rc) {
		/* the audit log digests the entry as stored */
		XY_AUTO(xy_entry_row, st);
		rc = xy_store_entry_get(c->store, out->id, &st, err);
		if (!rc)
			rc = audit_entry(c, a->who, "list.add", NULL, &st, st.list_type, err);
	}
	if (!rc)
		rc = xy_store_commit(c->store, err);
	if (rc) {
		xy_store_rollback(c->store, NULL);
		*notices = 0;
		goto out;
	}
	rc = xy_store_entry_get(c->store, out->id, out, err);
	if (counted_out)
		*counted_out = counted;
out:
	xy_subjects_free(persons, a->npersons);
	return rc;
}

static xy_code list_exit(xy_credit *c, int64_t entry, const char *how, const char *date,
			 xy_error *err)
{
	const xy_list_type *lt;
	const xy_category *cat;
	XY_SUBJECT_AUTO(subj);
	XY_AUTO(xy_entry_row, e);
	const char *key = NULL;
	char fallback[64], file[64];
	char *js;
	long added = 0;
	bool reported;
	xy_exit x;
	char d[11];
	xy_code rc;
	if (!how || xy_exit_parse(how, &x) < 0 || x == XY_EXIT_NONE)
		return xy_error_at(err, XY_ERR_INVALID, NULL, 0, "how",
				   "exit must be 修复, 注销, 吊销 or 撤销, not '%s'", how ? how : "");
	if (!date || !*date)
		return xy_error_at(err, XY_ERR_ARG, NULL, 0, "date", "no exit date");
	if ((rc = xy__credit_date(date, d, "date", err)))
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
	lt = xy_sanctions_list_type(&c->cat, e.list_type);
	if (!lt || lt->kind != XY_LIST_BLACK || (x != XY_EXIT_CANCEL && x != XY_EXIT_REVOKE))
		return xy_store_entry_exit(c->store, entry, how, d, NULL, err);

	/* 注销/吊销 of a black-list entry counts in 失信主体以注销、吊销等形式退出黑名单,
	 * reported by the designating unit in the month of the exit */
	if ((rc = xy_credit_subject(c, e.subject_code, &subj, err)))
		return rc;
	if (!(cat = xy_registry_category(c->reg, XY__EXIT_CATEGORY)))
		return xy_error_set(err, XY_ERR_CONFIG, "no category '%s' in the registry",
				    XY__EXIT_CATEGORY);
	/* keyed by the entry's 文书号 as the unit's 退出黑名单 row is (编号 = 认定文书号),
	 * so reporting the exit as well does not count it twice */
	snprintf(fallback, sizeof fallback, "exit-%lld", (long long)entry);
	if ((rc = decision_key(c, e.unit_id, cat, e.doc, subj.id, fallback, &key, &reported, err)))
		return rc;
	if (reported)
		return xy_store_entry_exit(c->store, entry, how, d, NULL, err);
	snprintf(file, sizeof file, "exit:%lld", (long long)entry);
	{
		char content[320];
		snprintf(content, sizeof content, "以%s形式退出%s", how, e.list_type);
		if (!(js = entry_data(&e, e.unit, &subj, d, content, NULL, NULL)))
			return NOMEM();
	}
	if (!(rc = xy_store_begin(c->store, false, err))) {
		rc = xy_store_entry_exit(c->store, entry, how, d, NULL, err);
		if (!rc)
			rc = xy__credit_record(c, e.unit_id, XY__EXIT_CATEGORY, file, "exit", d,
					       subj.id, key, js, &added, NULL, err);
		if (!rc)
			rc = xy_store_commit(c->store, err);
		if (rc)
			xy_store_rollback(c->store, NULL);
	}
	free(js);
	return rc;
}

xy_code xy_credit_list_exit(xy_credit *c, const char *who, int64_t entry, const char *how,
			    const char *date, xy_error *err)
{
	XY_AUTO(xy_entry_row, e);
	xy_buf before = XY_BUF_INIT, detail = XY_BUF_INIT;
	xy_code rc;
	if ((rc = xy_store_begin(c->store, false, err)))
		return rc;
	rc = xy_store_entry_get(c->store, entry, &e, err);
	if (rc == XY_ERR_NOTFOUND)
		xy_error_at(err, XY_ERR_NOTFOUND, NULL, 0, "entry", "no list entry %lld",
			    (long long)entry);
	if (!rc && entry_text(&e, &before))
		rc = NOMEM();
	if (!rc)
		rc = list_exit(c, entry, how, date, err);
	if (!rc) {
		xy_entry_row_release(&e); /* the entry again, as the exit left it */
		rc = xy_store_entry_get(c->store, entry, &e, err);
	}
	if (!rc && xy_buf_addf(&detail, "%s %s", e.exit_how, e.exit_date))
		rc = NOMEM();
	if (!rc)
		rc = audit_entry(c, who, "list.exit", &before, &e, detail.data, err);
	if (!rc)
		rc = xy_store_commit(c->store, err);
	if (rc)
		xy_store_rollback(c->store, NULL);
	xy_buf_release(&before);
	xy_buf_release(&detail);
	return rc;
}

/* ---- the check ---- */
