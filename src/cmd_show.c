/* xinyong show QUERY: a subject's credit profile. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "xinyong/codes.h"
#include "xinyong/commitment.h"
#include "xinyong/date.h"
#include "xinyong/govdebt.h"
#include "xinyong/repair.h"

struct prof {
	cli *c;
	json_t *records;  /* json mode */
	json_t *units;    /* unit name → record count */
	json_t *cats;     /* category name → record count */
	char last_cat[128];
	/* publication (docs/repair.md): display status as of `asof` */
	xy_repairs *rp;
	const char *asof;
	bool public_only;  /* --public: leave out what the public may not see */
	long hidden;       /* records left out */
	xy_error err;
	bool failed;
};

static int on_record(void *ctx, const xy_record_view *r)
{
	struct prof *p = ctx;
	json_error_t jerr;
	json_t *data = json_loads(r->data, 0, &jerr);
	json_t *n;
	xy_display disp;
	xy_pub_window w;

	if (xy_record_display(p->rp, r->id, r->category, r->data, r->decided_on, p->asof, &disp,
			      &w, &p->err)) {
		p->failed = true;
		json_decref(data);
		return 1;
	}
	if (p->public_only && !xy_display_shown(disp)) {
		p->hidden++;
		json_decref(data);
		return 0;
	}
	/* 异议处理中: shown marked, its content withheld from the public view */
	if (p->public_only && disp == XY_DISP_OBJECTION) {
		json_decref(data);
		data = NULL;
	}
	/* the public never sees a full 身份证号: every value that is one (the
	 * subject's, a 法定代表人's) in its public form; and never the values of
	 * columns that were no field of the category ("_extra"): nobody checked
	 * them, so nothing says they may be published */
	if (p->public_only && data)
		json_object_del(data, "_extra");
	if (p->public_only && data) {
		const char *k;
		json_t *v;
		json_object_foreach(data, k, v) {
			xy_id_result id;
			char pub[XY_ID_MAX];
			if (!json_is_string(v) || json_string_length(v) >= XY_ID_MAX)
				continue;
			xy_id_check(json_string_value(v), XY_ID_UNKNOWN, &id);
			if (id.kind != XY_ID_RIC)
				continue;
			xy_id_public(json_string_value(v), pub, sizeof pub);
			json_string_set(v, pub);
		}
	}
	n = json_object_get(p->units, r->unit);
	json_object_set_new(p->units, r->unit, json_integer(n ? json_integer_value(n) + 1 : 1));
	n = json_object_get(p->cats, r->category);
	json_object_set_new(p->cats, r->category, json_integer(n ? json_integer_value(n) + 1 : 1));

	if (p->c->json) {
		json_array_append_new(
			p->records,
			json_pack("{s:I,s:s,s:s,s:s,s:o,s:s,s:i,s:o}", "id", (json_int_t)r->id,
				  "category", r->category, "unit", r->unit, "key", r->key,
				  "decided_on", r->decided_on ? json_string(r->decided_on) : json_null(),
				  "reported_on", r->reported_on ? r->reported_on : "", "versions",
				  r->versions, "data", data ? data : json_object()));
		{
			json_t *rec = json_array_get(p->records, json_array_size(p->records) - 1);
			json_object_set_new(rec, "display", json_string(xy_display_name(disp)));
			json_object_set_new(rec, "public", json_boolean(xy_display_shown(disp)));
			json_object_set_new(
				rec, "publication",
				json_pack("{s:s,s:o,s:o,s:o,s:o}", "severity", w.severity, "last",
					  w.last[0] ? json_string(w.last) : json_null(),
					  "repairable_from",
					  w.repairable_from[0] ? json_string(w.repairable_from)
							       : json_null(),
					  "basis", w.rule ? json_string(w.rule->basis) : json_null(),
					  "published", json_boolean(w.published)));
		}
		return 0;
	}
	if (strcmp(p->last_cat, r->category) != 0) {
		snprintf(p->last_cat, sizeof p->last_cat, "%s", r->category);
		printf("\n【%s】\n", r->category);
	}
	printf("  %s  %s  %s (报送 %s%s)  [%lld] %s\n", r->decided_on ? r->decided_on : "----------",
	       r->key, r->unit, r->reported_on ? r->reported_on : "", r->versions > 1 ? ", 已更新" : "",
	       (long long)r->id, xy_display_name(disp));
	if (data) {
		const xy_category *cat = xy_registry_category(&p->c->reg, r->category);
		const char *k;
		json_t *v;
		json_object_foreach(data, k, v) {
			const char *label = k;
			const xy_field *f = NULL;
			if (cat)
				for (size_t i = 0; i < cat->nfields; i++)
					if (strcmp(cat->fields[i].code, k) == 0)
						f = &cat->fields[i];
			if (f) {
				if (f->role == XY_ROLE_KEY || f->role == XY_ROLE_DATE ||
				    f->role == XY_ROLE_SUBJ_NAME || f->role == XY_ROLE_SUBJ_USCC ||
				    f->role == XY_ROLE_SUBJ_IDNO || f->role == XY_ROLE_SUBJ_KIND ||
				    f->role == XY_ROLE_SUBJ_IDTYPE)
					continue;
				label = f->name;
			}
			if (strcmp(k, "_extra") == 0 && json_is_object(v)) {
				const char *ek;
				json_t *ev;
				json_object_foreach(v, ek, ev)
					printf("      （未识别列）%s：%s\n", ek,
					       json_string_value(ev) ? json_string_value(ev) : "");
				continue;
			}
			printf("      %s：%s\n", label, json_string_value(v) ? json_string_value(v) : "");
		}
		json_decref(data);
	}
	return 0;
}

/* List entries that reach the subject (own and through linked persons),
 * with their status on the date asked.  The public view shows only the red
 * and black list entries active on the date: a 重点关注名单 (watch list) is a
 * supervision tool, not a published list, and an entry that has expired or
 * exited has left publication like a repaired record. */
struct ents {
	const cli *c;
	const char *today;
	json_t *arr;
	size_t n;
	bool public_only;
	const xy_sanctions *cat;
};

static int on_entry(void *ctx, const xy_entry_row *e)
{
	struct ents *p = ctx;
	static const char *const via[] = { "own", "person", "enterprise" };
	xy_exit x = XY_EXIT_NONE;
	xy_list_entry le;
	const char *st;
	xy_exit_parse(e->exit_how, &x);
	le = (xy_list_entry){ e->list_type, e->doc, e->from, e->to, x, e->exit_date, XY_VIA_OWN,
			      0, NULL };
	if (p->public_only) {
		const xy_list_type *lt = xy_sanctions_list_type(p->cat, e->list_type);
		if (xy_entry_status_on(&le, p->today) != XY_ENTRY_ACTIVE ||
		    (lt && lt->kind == XY_LIST_WATCH))
			return 0;
	}
	st = xy_entry_status_name(xy_entry_status_on(&le, p->today));
	if (p->c->json) {
		json_t *o = json_pack("{s:I,s:s,s:s,s:s,s:s,s:o,s:o,s:o,s:s,s:s}", "entry",
				      (json_int_t)e->id, "list_type", e->list_type, "doc", e->doc,
				      "unit", e->unit, "from", e->from, "to",
				      e->to[0] ? json_string(e->to) : json_null(), "exit",
				      e->exit_how[0] ? json_string(e->exit_how) : json_null(),
				      "exit_date",
				      e->exit_date[0] ? json_string(e->exit_date) : json_null(),
				      "status", st, "via", via[e->via >= 0 && e->via <= 2 ? e->via : 0]);
		if (o && e->via) {
			json_object_set_new(o, "role", json_string(e->role));
			json_object_set_new(o, "through", json_string(e->via_code));
			json_object_set_new(o, "through_name", json_string(e->via_name));
		}
		json_array_append_new(p->arr, o);
		return 0;
	}
	if (!p->n++)
		printf("\n【名单】\n");
	printf("  [%lld] %s  %s  %s – %s  %s  %s%s%s\n", (long long)e->id, e->list_type, e->doc,
	       e->from, e->to[0] ? e->to : "无期限", e->unit, st, e->exit_how[0] ? " " : "",
	       e->exit_how);
	if (e->via == XY_VIA_PERSON)
		printf("      作为 %s 的%s\n", e->via_name, e->role);
	else if (e->via == XY_VIA_ENTERPRISE)
		printf("      通过%s %s\n", e->role, e->via_name);
	return 0;
}

/* The subject's commitments, government-dishonesty entries (a government body)
 * and open repair/objection cases, as of asof.  The public view (信用承诺公示)
 * keeps commitments without their checks, government dishonesty without the
 * creditor, amount, note and history, and no cases (a record under objection
 * shows 异议处理中 on its own).  docs/cli.md, "show". */
struct more {
	cli *c;
	int64_t subject_id;
	const char *subject_code;
	const char *asof;
	bool public_only;
	xy_commitments *cm;
	json_t *commitments, *govdebts, *cases;
	size_t n;
	xy_error *err;
	bool failed;
};

static void drop(json_t *o, const char *const *keys)
{
	for (; *keys; keys++)
		json_object_del(o, *keys);
}

static int on_commitment(void *ctx, const xy_commitment_row *r)
{
	static const char *const internal[] = { "checks", NULL };
	struct more *m = ctx;
	json_t *j;
	if (strcmp(r->signed_on, m->asof) > 0)
		return 0; /* signed after the date asked */
	if (!m->c->json) {
		if (!m->n++)
			printf("\n【信用承诺】\n");
		cli_commitment_print(m->cm, r, m->asof, !m->public_only);
		return 0;
	}
	if (!(j = cli_commitment_json(m->cm, r, m->asof, m->err))) {
		m->failed = true;
		return 1;
	}
	if (m->public_only)
		drop(j, internal);
	json_array_append_new(m->commitments, j);
	return 0;
}

static int on_govdebt(void *ctx, const xy_govdebt_row *g)
{
	static const char *const internal[] = { "creditor", "creditor_name", "amount", "note",
						"history", NULL };
	struct more *m = ctx;
	json_t *j;
	if (g->body_id != m->subject_id || strcmp(g->registered_on, m->asof) > 0)
		return 0;
	if (!m->c->json) {
		if (!m->n++)
			printf("\n【政府失信】\n");
		cli_govdebt_print(m->c->store, g, m->asof, !m->public_only, !m->public_only);
		return 0;
	}
	j = cli_govdebt_json(m->c->store, g, m->asof);
	if (m->public_only)
		drop(j, internal);
	json_array_append_new(m->govdebts, j);
	return 0;
}

/* Open cases of the subject filed on or before asof, from the cases' JSON. */
static xy_code open_cases(struct more *m, xy_repairs *rp, const char *kind)
{
	xy_buf b = XY_BUF_INIT;
	json_error_t jerr;
	json_t *arr, *o;
	size_t i;
	xy_code rc = xy_cases_json(rp, kind, false, m->asof, &b, m->err);
	if (rc)
		return rc;
	arr = json_loads(b.data, 0, &jerr);
	xy_buf_release(&b);
	json_array_foreach(arr, i, o) {
		const char *subj = json_string_value(json_object_get(o, "subject"));
		const char *filed = json_string_value(json_object_get(o, "filed_on"));
		if (!subj || strcmp(subj, m->subject_code) || !filed || strcmp(filed, m->asof) > 0 ||
		    !json_is_true(json_object_get(o, "open")))
			continue;
		if (m->c->json) {
			json_array_append_new(
				m->cases,
				json_pack("{s:O,s:s,s:O,s:O,s:O,s:O,s:O,s:O,s:O}", "id",
					  json_object_get(o, "id"), "kind", kind, "record",
					  json_object_get(o, "record"), "category",
					  json_object_get(o, "category"), "unit",
					  json_object_get(o, "unit"), "filed_on",
					  json_object_get(o, "filed_on"), "step",
					  json_object_get(o, "step"), "due", json_object_get(o, "due"),
					  "overdue", json_object_get(o, "overdue")));
			continue;
		}
		if (!m->n++)
			printf("\n【办理中的信用修复、异议】\n");
		printf("  %s %lld  记录 %lld %s  %s  %s %s%s%s\n",
		       !strcmp(kind, "repair") ? "信用修复" : "异议",
		       (long long)json_integer_value(json_object_get(o, "id")),
		       (long long)json_integer_value(json_object_get(o, "record")),
		       json_string_value(json_object_get(o, "category")),
		       json_string_value(json_object_get(o, "unit")), filed,
		       json_string_value(json_object_get(o, "step")),
		       json_is_string(json_object_get(o, "due")) ? "  期限 " : "",
		       json_is_string(json_object_get(o, "due"))
			       ? json_string_value(json_object_get(o, "due"))
			       : "");
	}
	json_decref(arr);
	return XY_OK;
}

static xy_code more_of(struct more *m, xy_repairs *rp)
{
	xy_code rc;
	m->n = 0;
	if ((rc = xy_store_commitments(m->c->store, 0, m->subject_id, on_commitment, m, m->err)) ||
	    m->failed)
		return m->failed ? m->err->code : rc;
	m->n = 0;
	if ((rc = xy_store_govdebts(m->c->store, 0, on_govdebt, m, m->err)))
		return rc;
	m->n = 0;
	if (m->public_only)
		return XY_OK;
	if ((rc = open_cases(m, rp, "repair")))
		return rc;
	return open_cases(m, rp, "objection");
}

static void print_subject_line(const cli *c, const xy_subject *s)
{
	const xy_unit *u = s->division[0] ? xy_registry_unit_by_division(&c->reg, s->division) : NULL;
	printf("  %-20s %-10s %s%s%s\n", s->code, xy_subject_kind_name_zh(s->kind), s->name,
	       u ? "  " : "", u ? u->name : "");
}

/* The profile of the subject argv[1] with the records' display status on asof. */
static int profile(cli *c, const char *q, xy_repairs *rp, const xy_sanctions *cat,
		   const char *asof, bool public_only)
{
	xy_subject *v = NULL;
	size_t n = 0;
	xy_error err = XY_ERROR_INIT;
	const xy_subject *s;
	const xy_unit *district;
	struct prof p;
	int rc = EXIT_OK;

	if (xy_store_subject_find(c->store, q, 50, &v, &n, &err))
		return cli_error(c, &err);
	if (!n) {
		if (c->json)
			cli_print_json(json_pack("{s:s,s:[]}", "query", q, "matches"));
		else
			fprintf(stderr, "xinyong show: no subject matches '%s' (未找到主体)\n", q);
		xy_subjects_free(v, n);
		return EXIT_FAIL;
	}
	s = &v[0];
	{
		char norm[XY_ID_MAX];
		xy_id_normalize(q, norm, sizeof norm);
		bool exact = strcmp(s->code, norm) == 0 || strcmp(s->name, q) == 0;
		if (n > 1 && !exact) {
			if (c->json) {
				json_t *arr = json_array();
				for (size_t i = 0; i < n; i++)
					json_array_append_new(
						arr, json_pack("{s:s,s:s,s:s}", "code", v[i].code, "name",
							       v[i].name, "kind",
							       xy_subject_kind_name(v[i].kind)));
				cli_print_json(json_pack("{s:s,s:o}", "query", q, "matches", arr));
			} else {
				printf("%zu subjects match '%s'%s; show one by its code:\n", n, q,
				       n == 50 ? " (first 50)" : "");
				for (size_t i = 0; i < n; i++)
					print_subject_line(c, &v[i]);
			}
			xy_subjects_free(v, n);
			return EXIT_OK;
		}
	}

	district = s->division[0] ? xy_registry_unit_by_division(&c->reg, s->division) : NULL;
	memset(&p, 0, sizeof p);
	p.c = c;
	p.records = json_array();
	p.units = json_object();
	p.cats = json_object();
	p.rp = rp;
	p.asof = asof;
	p.public_only = public_only;
	p.err = (xy_error)XY_ERROR_INIT;
	if (!c->json) {
		printf("%s\n", s->name);
		printf("  主体类别  %s (%s)\n", xy_subject_kind_name_zh(s->kind), xy_subject_kind_name(s->kind));
		{
			xy_buf num = XY_BUF_INIT;
			char pub[XY_ID_MAX];
			xy_subject_number(s, &num);
			xy_id_public(num.data, pub, sizeof pub);
			printf("  %s  %s\n", strcmp(s->code_type, "uscc") == 0 ? "信用代码" : "证件号码",
			       public_only && strcmp(s->code_type, "uscc") ? pub : s->code);
			xy_buf_release(&num);
		}
		if (s->division[0])
			printf("  行政区划  %s%s%s\n", s->division, district ? " " : "",
			       district ? district->name : "");
	}
	struct ents en = { c, asof, json_array(), 0, public_only, cat };
	if (xy_store_subject_entries(c->store, s->id, on_entry, &en, &err) ||
	    xy_store_subject_records(c->store, s->id, on_record, &p, &err) || p.failed) {
		json_decref(en.arr);
		rc = cli_error(c, p.failed ? &p.err : &err);
		goto out;
	}
	xy_commitments cm = { rp->credit, NULL, 0 }; /* statuses need no types */
	struct more m = { .c = c, .subject_id = s->id, .subject_code = s->code, .asof = asof,
			  .public_only = public_only, .cm = &cm, .commitments = json_array(),
			  .govdebts = json_array(), .cases = json_array(), .err = &err };
	if (more_of(&m, rp)) {
		json_decref(m.commitments);
		json_decref(m.govdebts);
		json_decref(m.cases);
		json_decref(en.arr);
		rc = cli_error(c, &err);
		goto out;
	}
	if (c->json) {
		xy_buf num = XY_BUF_INIT;
		char pub[XY_ID_MAX];
		xy_subject_number(s, &num);
		xy_id_public(num.data, pub, sizeof pub);
		xy_buf_release(&num);
		json_t *subj = json_pack("{s:I,s:s,s:s,s:s,s:s,s:o,s:o}", "id", (json_int_t)s->id,
					 "kind", xy_subject_kind_name(s->kind), "code",
					 public_only && s->kind != XY_SUBJ_LEGAL && strcmp(s->code_type, "uscc")
						 ? pub : s->code,
					 "code_type", s->code_type, "name", s->name, "division",
					 s->division[0] ? json_string(s->division) : json_null(),
					 "district", district ? json_string(district->name) : json_null());
		json_t *out = json_pack("{s:o,s:O,s:O,s:O,s:o,s:o,s:o,s:s,s:i}", "subject", subj,
					"categories", p.cats, "units", p.units, "records", p.records,
					"list_entries", en.arr, "commitments", m.commitments,
					"gov_dishonesty", m.govdebts, "as_of", asof, "hidden",
					(int)p.hidden);
		if (public_only)
			json_decref(m.cases);
		else
			json_object_set_new(out, "cases", m.cases);
		cli_print_json(out);
	} else {
		const char *k;
		json_t *val;
		if (p.hidden)
			printf("\n另有 %ld 条信息不在公示期内，不予公示 (as of %s)\n", p.hidden, asof);
		printf("\n信息来源单位 (source units):");
		json_object_foreach(p.units, k, val)
			printf(" %s×%lld", k, (long long)json_integer_value(val));
		printf("\n");
		json_decref(en.arr);
		json_decref(m.commitments);
		json_decref(m.govdebts);
		json_decref(m.cases);
	}
out:
	json_decref(p.records);
	json_decref(p.units);
	json_decref(p.cats);
	xy_subjects_free(v, n);
	return rc;
}

static int run(cli *c, int argc, char **argv)
{
	xy_error err = XY_ERROR_INIT;
	int rc;
	static const struct option opts[] = {
		{ "as-of", required_argument, NULL, 'a' }, { "public", no_argument, NULL, 'p' },
		{ NULL, 0, NULL, 0 },
	};
	xy_credit cr;
	xy_repairs rp;
	char asof[11] = "";
	bool public_only = false;
	int o;
	while ((o = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (o == 'a') {
			if (xy_date_parse(optarg, asof))
				return cli_usage_error(c, &cmd_show, "--as-of '%s' is not a date", optarg);
		} else if (o == 'p') {
			public_only = true;
		} else {
			return cli_usage_error(c, &cmd_show, "bad option");
		}
	}
	argv += optind - 1;
	argc -= optind - 1;
	if (argc != 2)
		return cli_usage_error(c, &cmd_show, "give one USCC, 身份证号 or name");
	if (!asof[0])
		xy_date_today(asof);
	if (cli_open_store(c))
		return EXIT_FAIL;
	/* display status needs only the store, the registry and the catalogue's
	 * list kinds, read from the configuration (not xy_credit_open, which
	 * writes missing list types), so show stays read-only */
	memset(&cr, 0, sizeof cr);
	cr.store = c->store;
	cr.reg = &c->reg;
	xy_sanctions_init(&cr.cat);
	if (xy_sanctions_load_dir(&cr.cat, &c->reg, c->config ? c->config : xy_registry_default_dir(),
				  &err))
		return cli_error(c, &err);
	if (xy_repairs_open(&rp, &cr, c->config, &err)) {
		xy_sanctions_release(&cr.cat);
		return cli_error(c, &err);
	}
	rc = profile(c, argv[1], &rp, &cr.cat, asof, public_only);
	xy_repairs_release(&rp);
	xy_sanctions_release(&cr.cat);
	return rc;
}

const command cmd_show = {
	"show", run, "[--as-of DATE] [--public] USCC|身份证号|NAME",
	"a subject's credit profile: identity, records by category, source units",
	"A name matches any substring of 2 or more characters; several matches are\n"
	"listed so you can pick one by its code.\n"
	"Each record carries its publication status (公示状态) on --as-of DATE (default\n"
	"today): 公示中, 异议处理中, 公示期满, 已修复, 已撤销, 不予公示, 未到公示日期\n"
	"(docs/repair.md).  --public: the public view — only 公示中 and 异议处理中 (the\n"
	"latter without its content); the others are counted, not shown.\n"
	"Also the list entries, commitments (信用承诺, status on the date), government-\n"
	"dishonesty entries of a government body and open repair/objection cases; the\n"
	"public view keeps commitments without checks, government dishonesty without\n"
	"creditor, amount, note and history, and no cases (docs/cli.md).\n"
	"--format json: {\"subject\":{…},\"categories\":{…},\"units\":{…},\"records\":[…\n"
	"  {…,\"display\",\"public\",\"publication\":{\"severity\",\"last\",\"repairable_from\",\n"
	"  \"basis\",\"published\"}}],\"list_entries\":[…],\"commitments\":[…],\n"
	"  \"gov_dishonesty\":[…],\"cases\":[{\"id\",\"kind\",\"record\",\"category\",\"unit\",\n"
	"  \"filed_on\",\"step\",\"due\",\"overdue\"}] (not with --public),\"as_of\",\"hidden\"}\n",
};
