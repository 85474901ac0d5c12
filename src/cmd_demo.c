/* xinyong demo: generated data that reproduces the bulletin's statistics tables. */
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"
#include "xinyong/text.h"
#include "xinyong/credit.h"
#include "xinyong/lists.h"
#include "xinyong/demo.h"

static void progress_stderr(void *ctx, const char *msg)
{
	const cli *c = ctx;
	fprintf(stderr, "xinyong %s: %s\n", c->cmd, msg);
}

static double now_seconds(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int run(cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "seed", required_argument, NULL, 's' },
		{ "work-dir", required_argument, NULL, 'w' },
		{ "counts", required_argument, NULL, 'C' },
		{ "only-unit", required_argument, NULL, 'u' },
		{ "verbose", no_argument, NULL, 'v' },
		{ NULL, 0, NULL, 0 },
	};
	xy_demo_opts o;
	xy_demo_summary sum;
	xy_error err = XY_ERROR_INIT;
	xy_batch *before = NULL;
	size_t nbefore = 0;
	xy_buf work __attribute__((cleanup(xy_buf_release))) = XY_BUF_INIT;
	xy_buf reports __attribute__((cleanup(xy_buf_release))) = XY_BUF_INIT;
	const char *work_dir = NULL;
	double t0;
	int opt;
	xy_code rc;

	memset(&o, 0, sizeof o);
	o.seed = 2019;
	while ((opt = getopt_long(argc, argv, "s:w:C:u:v", opts, NULL)) != -1) {
		switch (opt) {
		case 's': {
			char *end;
			o.seed = strtoull(optarg, &end, 10);
			if (end == optarg || *end || *optarg == '-')
				return cli_usage_error(c, &cmd_demo, "--seed needs a number, not '%s'",
						       optarg);
			break;
		}
		case 'w': work_dir = optarg; break;
		case 'C': o.counts = optarg; break;
		case 'u': o.only_unit = optarg; break;
		case 'v':
			o.progress = progress_stderr;
			o.progress_ctx = c;
			break;
		default:
			return cli_usage_error(c, &cmd_demo, "unknown option");
		}
	}
	if (optind < argc)
		return cli_usage_error(c, &cmd_demo, "unexpected argument '%s'", argv[optind]);

	/* generated files and (never expected) error reports live beside the database */
	if ((!work_dir && cli_beside_db(c, "demo", &work)) || cli_beside_db(c, "reports", &reports))
		return EXIT_FAIL;
	o.work_dir = work_dir ? work_dir : work.data;
	o.report_dir = reports.data;

	if (cli_open_store(c))
		return EXIT_FAIL;
	if (xy_store_batches(c->store, 0, &before, &nbefore, &err))
		return cli_error(c, &err);
	xy_batches_free(before, nbefore);

	t0 = now_seconds();
	rc = xy_demo_generate(c->store, &c->reg, &o, &sum, &err);
	if (rc)
		return cli_error(c, &err);
	/* the list entries of the demo's 地方发布红/黑名单 rows, as `xinyong import`
	 * derives them after each batch (docs/credit.md) */
	xy_list_sync_out lists;
	xy_credit cr;
	memset(&lists, 0, sizeof lists);
	if (xy_credit_open(&cr, c->store, &c->reg, c->config, &err))
		return cli_error(c, &err);
	rc = xy_credit_list_sync(&cr, o.only_unit, NULL, NULL, NULL, &lists, &err);
	xy_credit_release(&cr);
	if (rc)
		return cli_error(c, &err);
	double secs = now_seconds() - t0;

	if (c->json) {
		json_t *j = json_object();
		json_object_set_new(j, "generated", json_true());
		json_object_set_new(j, "synthetic", json_true());
		json_object_set_new(j, "seed", json_integer((json_int_t)o.seed));
		json_object_set_new(j, "db", json_string(c->db));
		json_object_set_new(j, "work_dir", xy_json_text(o.work_dir, NULL));
		json_object_set_new(j, "only_unit", o.only_unit ? json_string(o.only_unit) : json_null());
		json_object_set_new(j, "cells", json_integer(sum.cells));
		json_object_set_new(j, "batches", json_integer(sum.batches));
		json_object_set_new(j, "files_gb18030", json_integer(sum.files_gb18030));
		json_object_set_new(j, "records", json_integer(sum.records));
		json_object_set_new(j, "new", json_integer(sum.added));
		json_object_set_new(j, "updated", json_integer(sum.updated));
		json_object_set_new(j, "unchanged", json_integer(sum.unchanged));
		json_object_set_new(j, "rejected", json_integer(sum.rejected));
		json_object_set_new(j, "warnings", json_integer(sum.warnings));
		json_object_set_new(j, "gov_entries", json_integer(sum.gov_entries));
		json_object_set_new(j, "list_entries", json_integer(lists.created));
		json_object_set_new(j, "list_problems", json_integer(lists.problems));
		json_object_set_new(j, "batches_before", json_integer((json_int_t)nbefore));
		json_object_set_new(j, "seconds", json_real(secs));
		cli_print_json(j);
		return EXIT_OK;
	}
	printf("demo data generated — synthetic, not real: names are marked （示例）, codes are\n"
	       "invented with valid check characters (seed %" PRIu64 ")\n", o.seed);
	if (!nbefore)
		printf("  database  %s\n", c->db);
	else if (!sum.added && !sum.updated)
		printf("  database  %s (the same demo was already there: nothing changed)\n", c->db);
	else
		printf("  database  %s (had %zu batches before: statistics include them)\n", c->db,
		       nbefore);
	printf("  cells     %ld unit × category cells of the 2019-10 bulletin's two tables%s%s\n",
	       sum.cells, o.only_unit ? ", only " : "", o.only_unit ? o.only_unit : "");
	printf("  batches   %ld, one per cell and reporting month %d-01..%d-%02d\n", sum.batches,
	       XY_DEMO_YEAR, XY_DEMO_YEAR, XY_DEMO_MONTHS);
	printf("  records   %ld: %ld new, %ld updated, %ld unchanged, %ld rejected\n", sum.records,
	       sum.added, sum.updated, sum.unchanged, sum.rejected);
	printf("  files     %s/ (CSV, %ld of them GB18030)\n", o.work_dir, sum.files_gb18030);
	if (sum.gov_entries)
		printf("  政府失信  %ld entries registered (未治理) for the 政府失信未治理 rows\n",
		       sum.gov_entries);
	printf("  名单      %ld list entries derived from the 地方发布红/黑名单 rows%s\n",
	       lists.created, lists.problems ? " (some rows could not: xinyong list sync)" : "");
	printf("  time      %.1f s\n", secs);
	printf("next: xinyong stats --from %d-01 --to %d-%02d\n", XY_DEMO_YEAR, XY_DEMO_YEAR,
	       XY_DEMO_MONTHS);
	return EXIT_OK;
}

const command cmd_demo = {
	"demo", run,
	"[--seed N] [--work-dir DIR] [--counts FILE] [--only-unit UNIT] [--verbose]",
	"generate synthetic records that reproduce the 2019-10 bulletin's statistics tables",
	"Writes one CSV file per unit × category × reporting month (2019-01..2019-10) and\n"
	"imports each through the normal import path (--reported-on that month), so that\n"
	"'xinyong stats --from 2019-01 --to 2019-10' gives every row of the bulletin's\n"
	"department and region tables.  ALL DATA IS GENERATED: names carry （示例）, codes\n"
	"(统一社会信用代码, 身份证号) are invented with Yingkou division codes and valid\n"
	"check characters.  The same seed gives the same data: running it again on the\n"
	"same database changes nothing (every record unchanged).  See docs/demo.md.\n"
	"--seed N          seed of the generator (default 2019)\n"
	"--work-dir DIR    where the generated files go (default demo/ beside the database)\n"
	"--counts FILE     target counts (default data/demo-counts.tsv)\n"
	"--only-unit UNIT  generate only this unit's cells\n"
	"--verbose         one line per batch on stderr\n"
	"--format json     {\"generated\",\"synthetic\",\"seed\",\"db\",\"work_dir\",\"cells\",\"batches\",\n"
	"                   \"records\",\"new\",\"updated\",\"unchanged\",\"rejected\",\"seconds\",…}\n"
	"Exit status 1 if any generated row was rejected (a generator bug).\n",
};
