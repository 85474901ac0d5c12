/* xinyong show QUERY: a subject's credit profile. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "xinyong/codes.h"
#include "xinyong/date.h"

struct prof {
	cli *c;
	json_t *records;  /* json mode */
	json_t *units;    /* unit name → record count */
	json_t *cats;     /* category name → record count */
	char last_cat[128];
};

static int on_record(void *ctx, const xy_record_view *r)
{
	struct prof *p = ctx;
	json_error_t jerr;
	json_t *data = json_loads(r->data, 0, &jerr);
	json_t *n;

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
		return 0;
	}
	if (strcmp(p->last_cat, r->category) != 0) {
		snprintf(p->last_cat, sizeof p->last_cat, "%s", r->category);
		printf("\n【%s】\n", r->category);
	}
	printf("  %s  %s  %s (报送 %s%s)\n", r->decided_on ? r->decided_on : "----------", r->key,
	       r->unit, r->reported_on ? r->reported_on : "", r->versions > 1 ? ", 已更新" : "");
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
			printf("      %s：%s\n", label, json_string_value(v) ? json_string_value(v) : "");
		}
		json_decref(data);
	}
	return 0;
}

/* List entries that reach the subject (own and through linked persons),
 * with their status today. */
struct ents {
	const cli *c;
	char today[11];
	json_t *arr;
	size_t n;
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

static void print_subject_line(const cli *c, const xy_subject *s)
{
	const xy_unit *u = s->division[0] ? xy_registry_unit_by_division(&c->reg, s->division) : NULL;
	printf("  %-20s %-10s %s%s%s\n", s->code, xy_subject_kind_name_zh(s->kind), s->name,
	       u ? "  " : "", u ? u->name : "");
}

static int run(cli *c, int argc, char **argv)
{
	xy_subject *v = NULL;
	size_t n = 0;
	xy_error err = XY_ERROR_INIT;
	const xy_subject *s;
	const xy_unit *district;
	struct prof p;
	int rc = EXIT_OK;

	if (argc != 2)
		return cli_usage_error(c, &cmd_show, "give one USCC, 身份证号 or name");
	if (cli_open_store(c))
		return EXIT_FAIL;
	if (xy_store_subject_find(c->store, argv[1], 50, &v, &n, &err))
		return cli_error(c, &err);
	if (!n) {
		if (c->json)
			cli_print_json(json_pack("{s:s,s:[]}", "query", argv[1], "matches"));
		else
			fprintf(stderr, "xinyong show: no subject matches '%s' (未找到主体)\n", argv[1]);
		free(v);
		return EXIT_FAIL;
	}
	s = &v[0];
	{
		char norm[XY_ID_MAX];
		xy_id_normalize(argv[1], norm, sizeof norm);
		bool exact = strcmp(s->code, norm) == 0 || strcmp(s->name, argv[1]) == 0;
		if (n > 1 && !exact) {
			if (c->json) {
				json_t *arr = json_array();
				for (size_t i = 0; i < n; i++)
					json_array_append_new(
						arr, json_pack("{s:s,s:s,s:s}", "code", v[i].code, "name",
							       v[i].name, "kind",
							       xy_subject_kind_name(v[i].kind)));
				cli_print_json(json_pack("{s:s,s:o}", "query", argv[1], "matches", arr));
			} else {
				printf("%zu subjects match '%s'%s; show one by its code:\n", n, argv[1],
				       n == 50 ? " (first 50)" : "");
				for (size_t i = 0; i < n; i++)
					print_subject_line(c, &v[i]);
			}
			free(v);
			return EXIT_OK;
		}
	}

	district = s->division[0] ? xy_registry_unit_by_division(&c->reg, s->division) : NULL;
	memset(&p, 0, sizeof p);
	p.c = c;
	p.records = json_array();
	p.units = json_object();
	p.cats = json_object();
	if (!c->json) {
		printf("%s\n", s->name);
		printf("  主体类别  %s (%s)\n", xy_subject_kind_name_zh(s->kind), xy_subject_kind_name(s->kind));
		printf("  %s  %s\n", strcmp(s->code_type, "uscc") == 0 ? "信用代码" : "证件号码", s->code);
		if (s->division[0])
			printf("  行政区划  %s%s%s\n", s->division, district ? " " : "",
			       district ? district->name : "");
	}
	struct ents en = { c, "", json_array(), 0 };
	xy_date_today(en.today);
	if (xy_store_subject_entries(c->store, s->id, on_entry, &en, &err) ||
	    xy_store_subject_records(c->store, s->id, on_record, &p, &err)) {
		json_decref(en.arr);
		rc = cli_error(c, &err);
		goto out;
	}
	if (c->json) {
		json_t *subj = json_pack("{s:I,s:s,s:s,s:s,s:s,s:o,s:o}", "id", (json_int_t)s->id,
					 "kind", xy_subject_kind_name(s->kind), "code", s->code,
					 "code_type", s->code_type, "name", s->name, "division",
					 s->division[0] ? json_string(s->division) : json_null(),
					 "district", district ? json_string(district->name) : json_null());
		cli_print_json(json_pack("{s:o,s:O,s:O,s:O,s:o}", "subject", subj, "categories", p.cats,
					 "units", p.units, "records", p.records, "list_entries", en.arr));
	} else {
		const char *k;
		json_t *val;
		printf("\n信息来源单位 (source units):");
		json_object_foreach(p.units, k, val)
			printf(" %s×%lld", k, (long long)json_integer_value(val));
		printf("\n");
		json_decref(en.arr);
	}
out:
	json_decref(p.records);
	json_decref(p.units);
	json_decref(p.cats);
	free(v);
	return rc;
}

const command cmd_show = {
	"show", run, "USCC|身份证号|NAME",
	"a subject's credit profile: identity, records by category, source units",
	"A name matches any substring of 2 or more characters; several matches are\n"
	"listed so you can pick one by its code.\n"
	"--format json: {\"subject\":{…},\"categories\":{…},\"units\":{…},\"records\":[…]}\n",
};
