/* xinyong db counts [TABLE…] | check | partitions [--ahead N]: how many rows
 * each table of the database holds, whether it is intact, and its partitions,
 * whichever backend it is on (xy_view_table_rows, xy_view_db_check,
 * xy_view_partitions). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "xinyong/views.h"

static void print_counts(const cli *c, json_t *v)
{
	const char *name;
	json_t *n;
	(void)c;
	json_object_foreach(json_object_get(v, "tables"), name, n)
		printf("%s\t%lld\n", name, (long long)json_integer_value(n));
}

/* db check: exit 1 when a problem is found */
static int check(cli *c)
{
	xy_error err = XY_ERROR_INIT;
	json_t *v = NULL, *p;
	size_t i;
	int ok;
	if (cli_open_store(c))
		return EXIT_FAIL;
	if (xy_view_db_check(c->store, &v, &err))
		return cli_error(c, &err);
	ok = json_is_true(json_object_get(v, "ok"));
	if (c->json) {
		if (cli_print_json(v)) /* takes v */
			ok = 0;
		v = NULL;
	} else if (ok) {
		puts("ok");
	} else {
		json_array_foreach(json_object_get(v, "problems"), i, p)
			printf("%s\n", json_string_value(p));
	}
	json_decref(v);
	return ok ? EXIT_OK : EXIT_FAIL;
}

static void print_partitions(const cli *c, json_t *v)
{
	size_t i;
	json_t *p;
	(void)c;
	json_array_foreach(json_object_get(v, "partitions"), i, p)
		printf("%s\t%s\t%s\t%lld\n", json_string_value(json_object_get(p, "table")),
		       json_string_value(json_object_get(p, "partition")),
		       json_string_value(json_object_get(p, "bound")),
		       (long long)json_integer_value(json_object_get(p, "rows")));
}

/* db partitions [--ahead N] */
static int partitions(cli *c, int argc, char **argv)
{
	xy_error err = XY_ERROR_INIT;
	json_t *v = NULL;
	long ahead = -1;
	xy_code rc;
	if (argc == 4 && !strcmp(argv[2], "--ahead")) {
		char *end;
		ahead = strtol(argv[3], &end, 10);
		if (end == argv[3] || *end || ahead < 0 || ahead > XY_PARTITIONS_AHEAD_MAX)
			return cli_usage_error(c, &cmd_db, "--ahead takes 0 to %d months, not '%s'",
					       XY_PARTITIONS_AHEAD_MAX, argv[3]);
	} else if (argc != 2) {
		return cli_usage_error(c, &cmd_db, "db partitions takes only --ahead N");
	}
	if (cli_open_store(c))
		return EXIT_FAIL;
	rc = xy_view_partitions(c->store, (int)ahead, &v, &err);
	return cli_render(c, rc, &err, v, print_partitions);
}

static int run(cli *c, int argc, char **argv)
{
	xy_error err = XY_ERROR_INIT;
	json_t *v = NULL;
	xy_code rc;
	if (argc == 2 && !strcmp(argv[1], "check"))
		return check(c);
	if (argc >= 2 && !strcmp(argv[1], "partitions"))
		return partitions(c, argc, argv);
	if (argc < 2 || strcmp(argv[1], "counts"))
		return cli_usage_error(c, &cmd_db,
				       "db takes: counts [TABLE…] | check | partitions [--ahead N]");
	for (int i = 2; i < argc; i++)
		if (argv[i][0] == '-')
			return cli_usage_error(c, &cmd_db, "bad option '%s'", argv[i]);
	if (cli_open_store(c))
		return EXIT_FAIL;
	rc = xy_view_table_rows(c->store, (const char *const *)argv + 2, (size_t)argc - 2, &v,
				&err);
	return cli_render(c, rc, &err, v, print_counts);
}

const command cmd_db = {
	"db",
	run,
	"counts [TABLE…] | check | partitions [--ahead N]",
	"the database: how many rows each table holds, whether it is intact, its partitions",
	"  db counts            every table and its rows, one 'TABLE<tab>ROWS' line each,\n"
	"                       in name order (the backend's own bookkeeping tables left out)\n"
	"  db counts T1 T2 …    only those tables, in that order (an unknown one is an error)\n"
	"  db check             'ok', or every problem found, one a line (exit 1): SQLite's\n"
	"                       integrity_check; on PostgreSQL every table is read through\n"
	"  db partitions        every partition of a partitioned table, one\n"
	"                       'TABLE<tab>PARTITION<tab>BOUND<tab>ROWS' line each (PostgreSQL\n"
	"                       partitions the check log by month; SQLite: none, no line)\n"
	"  db partitions --ahead N\n"
	"                       first make the partitions of this month and N more, and of\n"
	"                       any month whose rows sit in the default partition (moved\n"
	"                       there): run it monthly, e.g. from cron (docs/postgresql.md)\n"
	"--format json gives {\"backend\",\"schema\",\"tables\":{TABLE:ROWS,…}},\n"
	"{\"backend\",\"ok\",\"problems\":[…]} and\n"
	"{\"backend\",\"partitions\":[{\"table\",\"partition\",\"bound\",\"rows\"},…]}.  Reads for\n"
	"operators (after a load, or a copy to another backend) and for tests: there is\n"
	"no way to run SQL through xinyong.\n",
	NULL,
};
