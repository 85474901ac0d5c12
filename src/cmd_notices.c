/* xinyong notices --unit U: the notices of the subjects a unit watches. */
#include <getopt.h>
#include <stdio.h>

#include "cli.h"
#include "xinyong/views.h"

static int run(cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "unit", required_argument, NULL, 'u' },
		{ NULL, 0, NULL, 0 },
	};
	const char *unit = NULL;
	xy_error err = XY_ERROR_INIT;
	json_t *v = NULL;
	xy_code rc;
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
	rc = xy_view_notices(c->store, &c->reg, unit, &v, &err);
	return cli_render(c, rc, &err, v, cli_print_notices);
}

const command cmd_notices = {
	"notices",
	run,
	"--unit UNIT",
	"notices for a unit: new black-list entries of the subjects it watches",
	"Subscribe with 'xinyong watch add --unit UNIT SUBJECT'.\n",
	NULL,
};
