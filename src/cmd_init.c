/* xinyong init: create or migrate the database. */
#include <stdio.h>

#include "cli.h"

static int run(cli *c, int argc, char **argv)
{
	(void)argv;
	if (argc > 1)
		return cli_usage_error(c, &cmd_init, "init takes no arguments");
	if (cli_open_store(c))
		return EXIT_FAIL;
	if (c->json) {
		json_t *o = json_pack("{s:s,s:i,s:I,s:I}", "db", c->db, "schema_version",
				      xy_store_schema_version(c->store), "units",
				      (json_int_t)c->reg.nunits, "categories",
				      (json_int_t)c->reg.ncategories);
		cli_print_json(o);
	} else {
		printf("%s: schema version %d, %zu units, %zu categories\n", c->db,
		       xy_store_schema_version(c->store), c->reg.nunits, c->reg.ncategories);
	}
	return EXIT_OK;
}

const command cmd_init = {
	"init", run, "",
	"create the database (or migrate it) and seed the default configuration",
	"Every command does this on first use; init only makes it explicit.\n",
};
