/* xinyong watch add|remove|list --unit U [SUBJECT]: a unit's watched subjects. */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "xinyong/views.h"

static void print_watches(const cli *c, json_t *v)
{
	size_t i;
	json_t *w, *arr = json_object_get(v, "watching");
	(void)c;
	json_array_foreach(arr, i, w)
		printf("%-20s %s  (since %s)\n", cli_str(w, "subject"), cli_str(w, "name"),
		       cli_str(w, "since"));
	if (!json_array_size(arr))
		printf("%s watches no subject\n", cli_str(v, "unit"));
}

static int run(cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "unit", required_argument, NULL, 'u' },
		{ NULL, 0, NULL, 0 },
	};
	const char *unit = NULL, *sub;
	xy_credit cr;
	xy_error err = XY_ERROR_INIT;
	xy_code xrc;
	int o, rc = EXIT_OK;
	if (argc < 2 || (strcmp(argv[1], "add") && strcmp(argv[1], "remove") &&
			 strcmp(argv[1], "list")))
		return cli_usage_error(c, &cmd_watch, "give add, remove or list");
	sub = argv[1];
	argc--;
	argv++;
	optind = 1;
	while ((o = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (o == 'u')
			unit = optarg;
		else
			return cli_usage_error(c, &cmd_watch, "bad option");
	}
	if (!strcmp(sub, "list")) {
		json_t *v = NULL;
		if (optind != argc || !unit)
			return cli_usage_error(c, &cmd_watch, "watch list needs --unit and no subject");
		if (cli_open_store(c))
			return EXIT_FAIL;
		xrc = xy_view_watches(c->store, &c->reg, unit, &v, &err);
		return cli_render(c, xrc, &err, v, print_watches);
	}
	if (optind + 1 != argc || !unit)
		return cli_usage_error(c, &cmd_watch, "give --unit and one subject");
	if (cli_open_credit(c, &cr))
		return EXIT_FAIL;
	xrc = !strcmp(sub, "add") ? xy_credit_watch_add(&cr, unit, argv[optind], &err)
				  : xy_credit_watch_remove(&cr, unit, argv[optind], &err);
	if (xrc)
		rc = cli_error(c, &err);
	else if (c->json)
		cli_print_json(json_pack("{s:s,s:s,s:b}", "unit", unit, "subject", argv[optind],
					 "watching", !strcmp(sub, "add")));
	else
		printf("%s %s %s\n", unit, !strcmp(sub, "add") ? "watches" : "no longer watches",
		       argv[optind]);
	xy_credit_release(&cr);
	return rc;
}

const command cmd_watch = {
	"watch",
	run,
	"add|remove --unit UNIT SUBJECT | list --unit UNIT",
	"a unit's watched subjects: a new black-list entry for one yields a notice",
	"  watch add --unit UNIT SUBJECT      subscribe (audit-logged)\n"
	"  watch remove --unit UNIT SUBJECT   unsubscribe (audit-logged)\n"
	"  watch list --unit UNIT             the subjects the unit watches\n"
	"See 'xinyong notices'.\n",
	NULL,
};
