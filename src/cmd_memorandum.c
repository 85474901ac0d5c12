/* xinyong memorandum load|list|show: joint reward/punishment memoranda (备忘录). */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "xinyong/memoranda.h"
#include "xinyong/views.h"

/* The catalogue, for the matters' names in the table view of show. */
static const xy_sanctions *show_cat;

/* The table view of a memorandum as the library's JSON gives it
 * (xy_view_memoranda / xy_view_memorandum). */
static void print_summary(json_t *m)
{
	json_t *x;
	size_t i;
	json_t *measures = json_object_get(m, "measures");
	long long version = json_integer_value(json_object_get(m, "version"));
	printf("%s  %s\n  %s · %zu measures · 适用名单 ", cli_str(m, "doc"), cli_str(m, "title"),
	       *cli_str(m, "date") ? cli_str(m, "date") : "日期不详",
	       json_is_array(measures) ? json_array_size(measures)
				       : (size_t)json_integer_value(measures));
	json_array_foreach(json_object_get(m, "list_types"), i, x)
		printf("%s%s", i ? "、" : "", json_string_value(x));
	printf("\n  %s (%s", json_object_get(m, "file") ? cli_str(m, "file") : "-",
	       cli_str(m, "origin"));
	if (version > 1)
		printf(", 第%lld版", version);
	printf(")\n");
}

static void print_list(const cli *c, json_t *v)
{
	json_t *m;
	size_t i;
	(void)c;
	json_array_foreach(json_object_get(v, "memoranda"), i, m)
		print_summary(m);
}

static void print_show(const cli *c, json_t *m)
{
	json_t *me, *x;
	size_t i, k;
	(void)c;
	print_summary(m);
	json_array_foreach(json_object_get(m, "measures"), i, me) {
		printf("  第%lld项 [%s] %s\n      实施单位 ",
		       (long long)json_integer_value(json_object_get(me, "number")),
		       cli_str(me, "kind"), cli_str(me, "text"));
		json_array_foreach(json_object_get(me, "units"), k, x)
			printf("%s%s", k ? "、" : "", json_string_value(x));
		printf("  事项 ");
		json_array_foreach(json_object_get(me, "matters"), k, x) {
			const xy_matter *mt = xy_sanctions_matter(show_cat, json_string_value(x));
			printf("%s%s", k ? "、" : "", mt ? mt->name : json_string_value(x));
		}
		printf("\n      依据 %s\n", cli_str(me, "legal_basis"));
	}
}

static int run(cli *c, int argc, char **argv)
{
	xy_credit cr;
	xy_error err = XY_ERROR_INIT;
	xy_view_opts vo = { false, NULL };
	json_t *v = NULL;
	int rc = EXIT_OK;
	const char *sub = argc >= 2 ? argv[1] : "";
	static const struct option opts[] = { { "replace", no_argument, NULL, 'r' },
					      { "public", no_argument, NULL, 'p' },
					      { NULL, 0, NULL, 0 } };
	bool replace = false;
	int o;
	if (strcmp(sub, "load") && strcmp(sub, "list") && strcmp(sub, "show"))
		return cli_usage_error(c, &cmd_memorandum, "give load FILE, list or show DOC");
	optind = 2;
	while ((o = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (o == 'r' && !strcmp(sub, "load"))
			replace = true;
		else if (o == 'p' && strcmp(sub, "load"))
			vo.public_view = true;
		else
			return cli_usage_error(c, &cmd_memorandum, "bad option");
	}
	argv += optind - 2;
	argc -= optind - 2;
	if ((!strcmp(sub, "list") && argc != 2) || (strcmp(sub, "list") && argc != 3))
		return cli_usage_error(c, &cmd_memorandum, "wrong number of arguments for %s", sub);
	if (cli_open_credit(c, &cr))
		return EXIT_FAIL;
	show_cat = &cr.cat;
	if (!strcmp(sub, "load")) {
		const xy_memorandum *m;
		xy_buf who = XY_BUF_INIT;
		if (cli_admin(c, &who)) {
			rc = EXIT_FAIL;
		} else if ((replace ? xy_credit_memorandum_replace : xy_credit_memorandum_load)(
				   &cr, who.data, argv[2], &m, &err)) {
			rc = cli_error(c, &err);
		} else if (xy_view_memorandum(&cr, m->doc, &vo, &v, &err)) {
			rc = cli_error(c, &err);
		} else {
			/* load answers the summary: the measures as a count */
			json_object_set_new(v, "measures", json_integer((json_int_t)m->nmeasures));
			if (c->json) {
				rc = cli_print_json(v) ? EXIT_FAIL : EXIT_OK;
			} else {
				printf(replace ? "replaced " : "loaded ");
				print_summary(v);
				json_decref(v);
			}
		}
		xy_buf_release(&who);
	} else if (!strcmp(sub, "list")) {
		xy_code vrc = xy_view_memoranda(&cr, &vo, &v, &err);
		rc = cli_render(c, vrc, &err, v, print_list);
	} else {
		xy_code vrc = xy_view_memorandum(&cr, argv[2], &vo, &v, &err);
		rc = cli_render(c, vrc, &err, v, print_show);
	}
	show_cat = NULL;
	xy_credit_release(&cr);
	return rc;
}

const command cmd_memorandum = {
	"memorandum",
	run,
	"load [--replace] FILE | list [--public] | show [--public] DOC",
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
	"  --public               the public view: without \"file\" (a path on this machine);\n"
	"                         the JSON of GET /api/v1/memoranda and /api/v1/memoranda/DOC\n"
	"--format json: load and list give {\"doc\",\"title\",\"date\",\"source\",\"signatories\",\n"
	"  \"list_types\",\"measures\" (count),\"file\",\"origin\",\"version\"} (list:\n"
	"  {\"memoranda\":[…]});\n"
	"  show adds \"measures\":[{\"number\",\"text\",\"kind\",\"units\",\"target\",\"matters\",\n"
	"  \"legal_basis\",\"condition\"}].\n",
	NULL,
};
