/* xinyong registry units|categories|category NAME: the source units and the
 * reporting categories with their fields, as the server's office routes give
 * them (views.h, "office administration"); units add|rename (units.h). */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "xinyong/units.h"
#include "xinyong/views.h"

static void print_units(const cli *c, json_t *v)
{
	size_t i;
	json_t *u;
	(void)c;
	json_array_foreach(json_object_get(v, "units"), i, u) {
		json_t *f = json_object_get(u, "former_names"), *n;
		size_t k;
		printf("%4lld  %-12s %-10s %s", (long long)json_integer_value(json_object_get(u, "id")),
		       json_string_value(json_object_get(u, "kind")),
		       json_string_value(json_object_get(u, "division")) ?: "-",
		       json_string_value(json_object_get(u, "name")));
		json_array_foreach(f, k, n)
			printf("%s%s", k ? "、" : "  (曾用名 ", json_string_value(n));
		puts(json_array_size(f) ? ")" : "");
	}
}

static void print_unit(const cli *c, json_t *v)
{
	json_t *all = json_pack("{s:[O]}", "units", v);
	if (all)
		print_units(c, all);
	json_decref(all);
}

/* registry units add NAME --kind KIND [--division CODE] | rename NAME NEW:
 * audited as done by cli:LOGIN; prints the unit as it is now. */
static int units_change(cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "kind", required_argument, NULL, 'k' },
		{ "division", required_argument, NULL, 'd' },
		{ NULL, 0, NULL, 0 },
	};
	const char *kind = NULL, *division = NULL, *sub = argv[0];
	int64_t id = 0;
	xy_error err = XY_ERROR_INIT;
	xy_buf who = XY_BUF_INIT;
	json_t *v = NULL;
	bool add = !strcmp(sub, "add");
	xy_code rc;
	int o;
	optind = 1;
	while ((o = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (o == 'k' && add)
			kind = optarg;
		else if (o == 'd' && add)
			division = optarg;
		else
			return cli_usage_error(c, &cmd_registry, "bad option for units %s", sub);
	}
	if (add ? optind + 1 != argc || !kind : optind + 2 != argc)
		return cli_usage_error(c, &cmd_registry, add ? "units add NAME --kind KIND [--division CODE]"
							     : "units rename NAME NEW-NAME");
	if (cli_open_store(c) || cli_admin(c, &who))
		return EXIT_FAIL;
	rc = add ? xy_unit_add(c->store, &c->reg, who.data, argv[optind], kind, division, &id, &err)
		 : xy_unit_rename(c->store, &c->reg, who.data, argv[optind], argv[optind + 1], &id,
				  &err);
	xy_buf_release(&who);
	if (!rc && !(v = xy_unit_json(xy_registry_unit_by_id(&c->reg, id))))
		rc = xy_error_set(&err, XY_ERR_NOMEM, "out of memory");
	return cli_render(c, rc, &err, v, print_unit);
}

static void print_categories(const cli *c, json_t *v)
{
	size_t i;
	json_t *k;
	(void)c;
	json_array_foreach(json_object_get(v, "categories"), i, k)
		printf("%-8s %-8s %3lld fields  %s\n", json_string_value(json_object_get(k, "code")),
		       json_string_value(json_object_get(k, "kind")),
		       (long long)json_integer_value(json_object_get(k, "fields")),
		       json_string_value(json_object_get(k, "name")));
}

static void print_category(const cli *c, json_t *v)
{
	size_t i;
	json_t *f;
	(void)c;
	printf("%s %s (%s)\n", json_string_value(json_object_get(v, "code")),
	       json_string_value(json_object_get(v, "name")),
	       json_string_value(json_object_get(v, "kind")));
	json_array_foreach(json_object_get(v, "fields"), i, f)
		printf("  %-14s %-8s %-10s %s%s\n", json_string_value(json_object_get(f, "code")),
		       json_string_value(json_object_get(f, "type")),
		       json_string_value(json_object_get(f, "role")),
		       json_string_value(json_object_get(f, "name")),
		       json_is_true(json_object_get(f, "required")) ? " (必填)" : "");
}

static int run(cli *c, int argc, char **argv)
{
	xy_error err = XY_ERROR_INIT;
	json_t *v = NULL;
	xy_code rc;
	const char *sub = argc >= 2 ? argv[1] : "";
	if (!strcmp(sub, "units") && argc >= 3 && (!strcmp(argv[2], "add") || !strcmp(argv[2], "rename")))
		return units_change(c, argc - 2, argv + 2);
	if (!strcmp(sub, "units") && argc == 2) {
		if (cli_open_store(c))
			return EXIT_FAIL;
		rc = xy_view_units(&c->reg, &v, &err);
		return cli_render(c, rc, &err, v, print_units);
	}
	if (!strcmp(sub, "categories") && argc == 2) {
		if (cli_open_store(c))
			return EXIT_FAIL;
		rc = xy_view_categories(&c->reg, &v, &err);
		return cli_render(c, rc, &err, v, print_categories);
	}
	if (!strcmp(sub, "category") && argc == 3) {
		if (cli_open_store(c))
			return EXIT_FAIL;
		rc = xy_view_category(&c->reg, argv[2], &v, &err);
		return cli_render(c, rc, &err, v, print_category);
	}
	return cli_usage_error(c, &cmd_registry, "give units, categories or category NAME");
}

const command cmd_registry = {
	"registry",
	run,
	"units [add NAME --kind KIND [--division CODE] | rename NAME NEW-NAME]\n"
	"                         | categories | category NAME",
	"the source units and reporting categories (信源单位、信息类别) with their fields",
	"  registry units            every source unit: id, kind, division code, name,\n"
	"                            former names\n"
	"  registry units add NAME --kind department|county|park [--division CODE]\n"
	"                            a new source unit (kind also 部门, 区县, 园区; a county\n"
	"                            needs its 6-digit GB/T 2260 code), last in the\n"
	"                            bulletin's order; audited unit.add\n"
	"  registry units rename NAME NEW-NAME\n"
	"                            rename a unit; the old name stays a former name that\n"
	"                            still finds it (imports, mappings, tables.tsv);\n"
	"                            audited unit.rename\n"
	"  registry categories       every reporting category with its number of fields\n"
	"  registry category NAME    one category (name or code) with its fields: code,\n"
	"                            type, role, required, length limit, aliases, values\n"
	"--format json gives what GET /api/v1/units, /categories and /categories/{category}\n"
	"answer (docs/api.md); add and rename give the unit as POST /api/v1/units and\n"
	"PATCH /api/v1/units/{name} do.\n",
	NULL,
};
