/* xinyong memorandum load|list|show: joint reward/punishment memoranda (备忘录). */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "xinyong/memoranda.h"

static json_t *strv(char *const *v, size_t n)
{
	json_t *a = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(a, json_string(v[i]));
	return a;
}

static int is_stored(void *ctx, const xy_stored_memo *m)
{
	json_t *set = ctx;
	json_object_set_new(set, m->doc,
			    json_pack("{s:s,s:i}", "loaded_at", m->loaded_at, "version", m->version));
	return 0;
}

/* Where a memorandum comes from: "config" (data/memoranda/) or "database". */
static const char *origin(json_t *stored, const xy_memorandum *m)
{
	return json_object_get(stored, m->doc) ? "database" : "config";
}

/* The stored version of a database memorandum (1 for a shipped one). */
static int version(json_t *stored, const xy_memorandum *m)
{
	json_t *v = json_object_get(json_object_get(stored, m->doc), "version");
	return v ? (int)json_integer_value(v) : 1;
}

static json_t *summary(const xy_memorandum *m, json_t *stored)
{
	return json_pack("{s:s,s:s,s:s,s:s,s:o,s:o,s:i,s:s,s:s,s:i}", "doc", m->doc, "title",
			 m->title, "date", m->date, "source", m->source, "signatories",
			 strv(m->signatories, m->nsignatories), "list_types",
			 strv(m->list_types, m->nlist_types), "measures", (int)m->nmeasures, "file",
			 m->file, "origin", origin(stored, m), "version", version(stored, m));
}

static json_t *full(const xy_memorandum *m, json_t *stored)
{
	json_t *o = summary(m, stored), *arr = json_array();
	for (size_t i = 0; i < m->nmeasures; i++) {
		const xy_measure *me = &m->measures[i];
		json_t *targets = json_array();
		static const xy_target all[] = { XY_TARGET_UNIT, XY_TARGET_LEGAL_REP,
						 XY_TARGET_PRINCIPAL, XY_TARGET_RESPONSIBLE };
		for (size_t k = 0; k < sizeof all / sizeof *all; k++)
			if (me->targets & (unsigned)all[k])
				json_array_append_new(targets, json_string(xy_target_name(all[k])));
		json_array_append_new(
			arr, json_pack("{s:i,s:s,s:s,s:o,s:o,s:o,s:s,s:o}", "number", me->number,
				       "text", me->text, "kind", xy_measure_kind_name(me->kind),
				       "units", strv(me->units, me->nunits), "target", targets,
				       "matters", strv(me->matters, me->nmatters), "legal_basis",
				       me->basis, "condition",
				       me->condition[0] ? json_string(me->condition) : json_null()));
	}
	json_object_set_new(o, "measures", arr);
	return o;
}

static void print_summary(const xy_memorandum *m, json_t *stored)
{
	printf("%s  %s\n  %s · %zu measures · 适用名单 ", m->doc, m->title,
	       m->date[0] ? m->date : "日期不详", m->nmeasures);
	for (size_t i = 0; i < m->nlist_types; i++)
		printf("%s%s", i ? "、" : "", m->list_types[i]);
	printf("\n  %s (%s", m->file, origin(stored, m));
	if (version(stored, m) > 1)
		printf(", 第%d版", version(stored, m));
	printf(")\n");
}

static int run(cli *c, int argc, char **argv)
{
	xy_credit cr;
	xy_error err = XY_ERROR_INIT;
	json_t *stored;
	int rc = EXIT_OK;
	const char *sub = argc >= 2 ? argv[1] : "";
	static const struct option opts[] = { { "replace", no_argument, NULL, 'r' },
					      { NULL, 0, NULL, 0 } };
	bool replace = false;
	int o;
	if (strcmp(sub, "load") && strcmp(sub, "list") && strcmp(sub, "show"))
		return cli_usage_error(c, &cmd_memorandum, "give load FILE, list or show DOC");
	optind = 2;
	while ((o = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (o != 'r' || strcmp(sub, "load"))
			return cli_usage_error(c, &cmd_memorandum, "bad option");
		replace = true;
	}
	argv += optind - 2;
	argc -= optind - 2;
	if ((!strcmp(sub, "list") && argc != 2) || (strcmp(sub, "list") && argc != 3))
		return cli_usage_error(c, &cmd_memorandum, "wrong number of arguments for %s", sub);
	if (cli_open_credit(c, &cr))
		return EXIT_FAIL;
	stored = json_object();
	if (!strcmp(sub, "load")) {
		const xy_memorandum *m;
		xy_buf who = XY_BUF_INIT;
		if (cli_admin(c, &who)) {
			rc = EXIT_FAIL;
		} else if ((replace ? xy_credit_memorandum_replace : xy_credit_memorandum_load)(
				   &cr, who.data, argv[2], &m, &err)) {
			rc = cli_error(c, &err);
		} else if (xy_store_memoranda(c->store, is_stored, stored, &err)) {
			rc = cli_error(c, &err);
		} else {
			if (c->json) {
				cli_print_json(summary(m, stored));
			} else {
				printf(replace ? "replaced " : "loaded ");
				print_summary(m, stored);
			}
		}
		xy_buf_release(&who);
	} else if (xy_store_memoranda(c->store, is_stored, stored, &err)) {
		rc = cli_error(c, &err);
	} else if (!strcmp(sub, "list")) {
		json_t *arr = json_array();
		for (size_t i = 0; i < cr.cat.nmemoranda; i++) {
			if (c->json)
				json_array_append_new(arr, summary(&cr.cat.memoranda[i], stored));
			else
				print_summary(&cr.cat.memoranda[i], stored);
		}
		if (c->json)
			cli_print_json(json_pack("{s:o}", "memoranda", arr));
		else
			json_decref(arr);
	} else {
		const xy_memorandum *m = xy_sanctions_memorandum(&cr.cat, argv[2]);
		if (!m) {
			xy_error_at(&err, XY_ERR_NOTFOUND, NULL, 0, "doc", "unknown memorandum '%s'",
				    argv[2]);
			rc = cli_error(c, &err);
		} else if (c->json) {
			cli_print_json(full(m, stored));
		} else {
			print_summary(m, stored);
			for (size_t i = 0; i < m->nmeasures; i++) {
				const xy_measure *me = &m->measures[i];
				printf("  第%d项 [%s] %s\n      实施单位 ", me->number,
				       xy_measure_kind_name(me->kind), me->text);
				for (size_t k = 0; k < me->nunits; k++)
					printf("%s%s", k ? "、" : "", me->units[k]);
				printf("  事项 ");
				for (size_t k = 0; k < me->nmatters; k++) {
					const xy_matter *mt = xy_sanctions_matter(&cr.cat, me->matters[k]);
					printf("%s%s", k ? "、" : "", mt ? mt->name : me->matters[k]);
				}
				printf("\n      依据 %s\n", me->basis);
			}
		}
	}
	json_decref(stored);
	xy_credit_release(&cr);
	return rc;
}

const command cmd_memorandum = {
	"memorandum",
	run,
	"load [--replace] FILE | list | show DOC",
	"joint reward/punishment memoranda (备忘录): load one from TSV or XLSX, list, show",
	"  memorandum load FILE   a memorandum in the shape of data/memoranda/NAME.tsv, as TSV\n"
	"                         or XLSX (first sheet): checked like the shipped ones (units,\n"
	"                         matters, list types, signatories) and stored in the database;\n"
	"                         the check uses its measures from then on.  An error names the\n"
	"                         file, row and column and stores nothing.\n"
	"  memorandum load --replace FILE\n"
	"                         a corrected version of a memorandum loaded before (same doc):\n"
	"                         checked the same way, it replaces the stored one, whose text\n"
	"                         is kept as an earlier version; logged checks keep their\n"
	"                         answers.  Shipped memoranda are edited in data/memoranda/.\n"
	"  memorandum list        every memorandum: shipped (config) and loaded (database)\n"
	"  memorandum show DOC    one memorandum with its measures\n"
	"--format json: load and list give {\"doc\",\"title\",\"date\",\"source\",\"signatories\",\n"
	"  \"list_types\",\"measures\" (count),\"file\",\"origin\",\"version\"} (list:\n"
	"  {\"memoranda\":[…]});\n"
	"  show adds \"measures\":[{\"number\",\"text\",\"kind\",\"units\",\"target\",\"matters\",\n"
	"  \"legal_basis\",\"condition\"}].\n",
	NULL,
};
