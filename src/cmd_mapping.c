/* xinyong mapping add|list|remove: a unit's own column names for a category's
 * fields, kept in the database and applied on that unit's imports. */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "xinyong/ingest.h"

static int change(cli *c, const char *sub, const char *unit, const char *category, int argc,
		  char **argv, const char *who);

static int run(cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "unit", required_argument, NULL, 'u' },
		{ "category", required_argument, NULL, 'c' },
		{ NULL, 0, NULL, 0 },
	};
	const char *unit = NULL, *category = NULL, *sub;
	xy_error err = XY_ERROR_INIT;
	int o;

	if (argc < 2)
		return cli_usage_error(c, &cmd_mapping, "add, list or remove?");
	sub = argv[1];
	argc--;
	argv++;
	while ((o = getopt_long(argc, argv, "u:c:", opts, NULL)) != -1) {
		switch (o) {
		case 'u': unit = optarg; break;
		case 'c': category = optarg; break;
		default: return cli_usage_error(c, &cmd_mapping, "unknown option");
		}
	}
	argc -= optind;
	argv += optind;

	if (strcmp(sub, "list") == 0) {
		json_t *arr = NULL, *v;
		size_t i;
		if (argc)
			return cli_usage_error(c, &cmd_mapping, "list takes no arguments");
		if (cli_open_store(c))
			return EXIT_FAIL;
		if (xy_mapping_list(c->store, &c->reg, unit, category, &arr, &err))
			return cli_error(c, &err);
		if (c->json) {
			return cli_print_json(arr) ? EXIT_FAIL : EXIT_OK;
		}
		if (!json_array_size(arr))
			printf("no column mappings%s%s\n", unit || category ? " for this " : "",
			       unit && category ? "unit and category" : unit ? "unit" : category ? "category" : "");
		json_array_foreach(arr, i, v)
			printf("%s · %s  '%s' → %s %s\n", json_string_value(json_object_get(v, "unit")),
			       json_string_value(json_object_get(v, "category")),
			       json_string_value(json_object_get(v, "column")),
			       json_string_value(json_object_get(v, "field")),
			       json_string_value(json_object_get(v, "field_name")) ?
				       json_string_value(json_object_get(v, "field_name")) : "");
		json_decref(arr);
		return EXIT_OK;
	}
	if (!unit || !category)
		return cli_usage_error(c, &cmd_mapping, "--unit and --category are required");
	{
		xy_buf who = XY_BUF_INIT;
		int rc = cli_admin(c, &who) ? EXIT_FAIL
					    : change(c, sub, unit, category, argc, argv, who.data);
		xy_buf_release(&who);
		return rc;
	}
}

/* add and remove, audited as done by who (cli:LOGIN). */
static int change(cli *c, const char *sub, const char *unit, const char *category, int argc,
		  char **argv, const char *who)
{
	xy_error err = XY_ERROR_INIT;
	if (strcmp(sub, "add") == 0) {
		bool replaced = false;
		if (argc != 2)
			return cli_usage_error(c, &cmd_mapping, "add needs COLUMN and FIELD");
		if (cli_open_store(c))
			return EXIT_FAIL;
		if (xy_mapping_add(c->store, &c->reg, who, unit, category, argv[0], argv[1], &replaced,
				   &err))
			return cli_error(c, &err);
		if (c->json) {
			return cli_print_json(json_pack("{s:s,s:s,s:s,s:s,s:b}", "unit", unit,
							"category", category, "column", argv[0],
							"field", argv[1], "replaced", replaced)) ? EXIT_FAIL : EXIT_OK;
		}
		printf("%s · %s: '%s' → %s%s\n", unit, category, argv[0], argv[1],
		       replaced ? " (replaces the earlier mapping)" : "");
		return EXIT_OK;
	}
	if (strcmp(sub, "remove") == 0) {
		if (argc != 1)
			return cli_usage_error(c, &cmd_mapping, "remove needs COLUMN");
		if (cli_open_store(c))
			return EXIT_FAIL;
		if (xy_mapping_remove(c->store, &c->reg, who, unit, category, argv[0], &err))
			return cli_error(c, &err);
		if (c->json) {
			return cli_print_json(json_pack("{s:s,s:s,s:s,s:b}", "unit", unit, "category",
							category, "column", argv[0], "removed", 1)) ? EXIT_FAIL : EXIT_OK;
		}
		printf("%s · %s: '%s' no longer mapped\n", unit, category, argv[0]);
		return EXIT_OK;
	}
	return cli_usage_error(c, &cmd_mapping, "unknown subcommand '%s': add, list or remove", sub);
}

const command cmd_mapping = {
	"mapping", run,
	"add --unit UNIT --category CATEGORY 'COLUMN' FIELD\n"
	"                      | list [--unit UNIT] [--category CATEGORY]\n"
	"                      | remove --unit UNIT --category CATEGORY 'COLUMN'",
	"map a unit's own column names to a category's fields",
	"A unit whose files name a column its own way (内部编号, 罚没金额（元）…) need not\n"
	"change its template: `mapping add` makes COLUMN name FIELD (its code, e.g.\n"
	"CF_NR_FK, or Chinese name) on that unit's imports of that category, kept in\n"
	"the database.  Columns compare as headers do (blanks, brackets and case do\n"
	"not matter).  A column that already names a field cannot be mapped to\n"
	"another.  Columns that map to nothing are listed by each import\n"
	"(unmapped_columns, with the nearest field) and their values kept.\n",
};
