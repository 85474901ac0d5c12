/* xinyong watch add --unit U SUBJECT: subscribe a unit to a subject. */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"

static int run(cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "unit", required_argument, NULL, 'u' },
		{ NULL, 0, NULL, 0 },
	};
	const char *unit = NULL;
	xy_credit cr;
	xy_error err = XY_ERROR_INIT;
	int o, rc = EXIT_OK;
	if (argc < 2 || strcmp(argv[1], "add"))
		return cli_usage_error(c, &cmd_watch, "give add");
	argc--;
	argv++;
	optind = 1;
	while ((o = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (o == 'u')
			unit = optarg;
		else
			return cli_usage_error(c, &cmd_watch, "bad option");
	}
	if (optind + 1 != argc || !unit)
		return cli_usage_error(c, &cmd_watch, "give --unit and one subject");
	if (cli_open_credit(c, &cr))
		return EXIT_FAIL;
	if (xy_credit_watch_add(&cr, unit, argv[optind], &err))
		rc = cli_error(c, &err);
	else if (c->json)
		cli_print_json(json_pack("{s:s,s:s}", "unit", unit, "subject", argv[optind]));
	else
		printf("%s watches %s\n", unit, argv[optind]);
	xy_credit_release(&cr);
	return rc;
}

const command cmd_watch = {
	"watch",
	run,
	"add --unit UNIT SUBJECT",
	"subscribe a unit to a subject: a new black-list entry for it yields a notice",
	"See 'xinyong notices'.\n",
	NULL,
};
