/* xinyong notices --unit U: the notices of the subjects a unit watches. */
#include <getopt.h>
#include <stdio.h>

#include "cli.h"

struct acc {
	bool json;
	json_t *arr;
	size_t n;
};

static int on_notice(void *ctx, const xy_notice *n)
{
	struct acc *a = ctx;
	a->n++;
	if (a->json)
		json_array_append_new(a->arr, json_pack("{s:I,s:s,s:s,s:s,s:I,s:s,s:s,s:s}", "id",
							(json_int_t)n->id, "at", n->at, "subject",
							n->subject_code, "name", n->subject_name,
							"entry", (json_int_t)n->entry_id, "list_type",
							n->list_type, "doc", n->doc, "from", n->from));
	else
		printf("%-5lld %s  %s %s\n      列入 %s  %s  (entry %lld, from %s)\n",
		       (long long)n->id, n->at, n->subject_code, n->subject_name, n->list_type,
		       n->doc, (long long)n->entry_id, n->from);
	return 0;
}

static int run(cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "unit", required_argument, NULL, 'u' },
		{ NULL, 0, NULL, 0 },
	};
	const char *unit = NULL;
	const xy_unit *u;
	struct acc a = { c->json, NULL, 0 };
	xy_error err = XY_ERROR_INIT;
	int o;
	while ((o = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (o == 'u')
			unit = optarg;
		else
			return cli_usage_error(c, &cmd_notices, "bad option");
	}
	if (optind != argc || !unit)
		return cli_usage_error(c, &cmd_notices, "give --unit");
	if (cli_open_store(c))
		return EXIT_FAIL;
	if (!(u = xy_registry_unit(&c->reg, unit))) {
		xy_error_at(&err, XY_ERR_NOTFOUND, NULL, 0, "unit", "unknown unit '%s' (units.tsv)", unit);
		return cli_error(c, &err);
	}
	a.arr = json_array();
	if (xy_store_notices(c->store, u->id, on_notice, &a, &err)) {
		json_decref(a.arr);
		return cli_error(c, &err);
	}
	if (c->json) {
		cli_print_json(json_pack("{s:s,s:o}", "unit", u->name, "notices", a.arr));
	} else {
		json_decref(a.arr);
		if (!a.n)
			printf("%s: 无通知 (no notices)\n", u->name);
	}
	return EXIT_OK;
}

const command cmd_notices = {
	"notices",
	run,
	"--unit UNIT",
	"notices for a unit: new black-list entries of the subjects it watches",
	"Subscribe with 'xinyong watch add --unit UNIT SUBJECT'.\n",
	NULL,
};
