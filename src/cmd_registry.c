/* xinyong registry units|categories|category NAME: the source units and the
 * reporting categories with their fields, as the server's office routes give
 * them (views.h, "office administration"). */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "xinyong/views.h"

static void print_units(const cli *c, json_t *v)
{
	size_t i;
	json_t *u;
	(void)c;
	json_array_foreach(json_object_get(v, "units"), i, u)
		printf("%4lld  %-12s %-10s %s\n", (long long)json_integer_value(json_object_get(u, "id")),
		       json_string_value(json_object_get(u, "kind")),
		       json_string_value(json_object_get(u, "division")) ?: "-",
		       json_string_value(json_object_get(u, "name")));
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
	"units | categories | category NAME",
	"the source units and reporting categories (信源单位、信息类别) with their fields",
	"  registry units            every source unit: id, kind, division code, name\n"
	"  registry categories       every reporting category with its number of fields\n"
	"  registry category NAME    one category (name or code) with its fields: code,\n"
	"                            type, role, required, length limit, aliases, values\n"
	"--format json gives what GET /api/v1/units, /categories and /categories/{category}\n"
	"answer (docs/api.md).\n",
	NULL,
};
