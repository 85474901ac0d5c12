/* xinyong batches [ID]: import batches, or one batch with its rejected rows. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "xinyong/ingest.h"
#include "xinyong/views.h"

static void print_batch(const cli *c, json_t *o)
{
	json_t *errs = json_object_get(o, "errors"), *e;
	long long stored = (long long)json_integer_value(json_object_get(o, "errors_stored"));
	long long rejected = (long long)json_integer_value(json_object_get(o, "rejected"));
	size_t i;
	(void)c;
	printf("batch %lld  %s · %s · reported %s · %s\n",
	       (long long)json_integer_value(json_object_get(o, "batch")), cli_str(o, "unit"),
	       cli_str(o, "category"), cli_str(o, "reported_on"),
	       !strcmp(cli_str(o, "status"), "refused") ? "REFUSED" : "committed");
	printf("  file      %s (%s, %s)\n", cli_str(o, "file"), cli_str(o, "format"),
	       cli_str(o, "encoding"));
	printf("  time      %s → %s\n", cli_str(o, "started_at"), cli_str(o, "finished_at"));
	if (*cli_str(o, "message"))
		printf("  message   %s\n", cli_str(o, "message"));
	printf("  rows      %lld: %lld new, %lld updated, %lld unchanged, %lld rejected\n",
	       (long long)json_integer_value(json_object_get(o, "rows")),
	       (long long)json_integer_value(json_object_get(o, "added")),
	       (long long)json_integer_value(json_object_get(o, "updated")),
	       (long long)json_integer_value(json_object_get(o, "unchanged")), rejected);
	if (*cli_str(o, "error_report"))
		printf("  errors    %s\n", cli_str(o, "error_report"));
	cli_print_batch_layout(o);
	if (rejected > stored)
		printf("rejected rows: the first %lld of %lld are stored; every one is in the error "
		       "report\n", stored, rejected);
	if (rejected)
		printf("rejected rows (行 列: 原因 / reason [值]):\n");
	json_array_foreach(errs, i, e) {
		const char *sheet = json_string_value(json_object_get(e, "sheet"));
		printf("  %s%s%-6lld %s: %s / %s  [%s]\n", sheet ? sheet : "", sheet ? "!" : "",
		       (long long)json_integer_value(json_object_get(e, "row")),
		       json_is_string(json_object_get(e, "column")) ? cli_str(e, "column") : "(row)",
		       cli_str(e, "reason_zh"), cli_str(e, "reason_en"), cli_str(e, "value"));
	}
}

/* One batch: every stored rejected row, or one page of them (pg). */
static int show_one(cli *c, const char *arg, const xy_view_page *pg)
{
	xy_error err = XY_ERROR_INIT;
	json_t *o = NULL;
	long long id;
	xy_code rc;
	if (cli_parse_id(arg, &id))
		return cli_usage_error(c, &cmd_batches, "batch id must be a number, not '%s'", arg);
	rc = pg ? xy_view_batch_page(c->store, &c->reg, id, pg, &o, &err)
		: xy_view_batch(c->store, &c->reg, id, &o, &err);
	if (!rc && pg && !c->json && json_is_string(json_object_get(o, "next")))
		fprintf(stderr, "more rejected rows: --after %s\n", cli_str(o, "next"));
	return cli_render(c, rc, &err, o, print_batch);
}

static void print_batches(const cli *c, json_t *arr)
{
	json_t *b;
	size_t i;
	(void)c;
	if (!json_array_size(arr)) {
		printf("no batches yet: import a file with 'xinyong import'\n");
		return;
	}
	printf("%6s  %-10s  %-9s  ", "batch", "reported", "status");
	cli_pad(stdout, "unit", 14);
	cli_pad(stdout, "category", 20);
	printf("%8s %6s %8s %9s %8s  file\n", "rows", "new", "updated", "unchanged", "rejected");
	json_array_foreach(arr, i, b) {
		printf("%6lld  %-10s  %-9s  ", (long long)json_integer_value(json_object_get(b, "batch")),
		       cli_str(b, "reported_on"), cli_str(b, "status"));
		cli_pad(stdout, cli_str(b, "unit"), 14);
		cli_pad(stdout, cli_str(b, "category"), 20);
		printf("%8lld %6lld %8lld %9lld %8lld  %s\n",
		       (long long)json_integer_value(json_object_get(b, "rows")),
		       (long long)json_integer_value(json_object_get(b, "added")),
		       (long long)json_integer_value(json_object_get(b, "updated")),
		       (long long)json_integer_value(json_object_get(b, "unchanged")),
		       (long long)json_integer_value(json_object_get(b, "rejected")),
		       cli_str(b, "file"));
	}
}

/* A page of batches (xy_view_batches_page): the table, then where the next
 * page starts. */
static void print_batches_page(const cli *c, json_t *o)
{
	print_batches(c, json_object_get(o, "batches"));
	if (json_is_string(json_object_get(o, "next")))
		fprintf(stderr, "more batches: --after %s\n", cli_str(o, "next"));
}

static int run(cli *c, int argc, char **argv)
{
	static const struct option opts[] = { { "limit", required_argument, NULL, 'n' },
					      { "after", required_argument, NULL, 'a' },
					      { "unit", required_argument, NULL, 'u' },
					      { NULL, 0, NULL, 0 } };
	const char *unit = NULL;
	size_t limit = 0;
	xy_view_page pg = { NULL, 0, false };
	bool paged = false;
	xy_error err = XY_ERROR_INIT;
	json_t *v = NULL;
	xy_code rc;
	int o;

	while ((o = getopt_long(argc, argv, "n:", opts, NULL)) != -1) {
		if (o == 'n')
			limit = (size_t)strtoul(optarg, NULL, 10);
		else if (o == 'a')
			pg.after = optarg;
		else if (o == 'u')
			unit = optarg;
		else
			return cli_usage_error(c, &cmd_batches, "unknown option");
		paged = true;
	}
	if (optind + 1 < argc)
		return cli_usage_error(c, &cmd_batches, "at most one batch id");
	if (optind < argc && unit)
		return cli_usage_error(c, &cmd_batches, "--unit lists batches: give no BATCH");
	if (cli_open_store(c))
		return EXIT_FAIL;
	pg.limit = limit;
	if (optind < argc)
		return show_one(c, argv[optind], paged ? &pg : NULL);
	if (unit || pg.after) { /* a page of the list, as GET /api/v1/batches */
		rc = xy_view_batches_page(c->store, &c->reg, unit, &pg, &v, &err);
		return cli_render(c, rc, &err, v, print_batches_page);
	}
	rc = xy_view_batches(c->store, &c->reg, NULL, limit, &v, &err);
	return cli_render(c, rc, &err, v, print_batches);
}

const command cmd_batches = {
	"batches", run, "[--limit N] [--unit U] [--after CURSOR] [BATCH]",
	"list import batches, or show one batch with its rejected rows",
	"Newest first.  With a batch id: the batch's summary and every rejected row\n"
	"(row, column, value, reason in Chinese and English); with --limit N (default\n"
	"100, at most 1000) or --after CURSOR one page of them and \"next\", the cursor\n"
	"of the following page (the API's GET /api/v1/batches/{id}?limit=&after=).\n"
	"Without a batch, --unit U (or --after) gives one page of the list (default\n"
	"20, at most 1000) with \"next\": the API's GET /api/v1/batches?unit=&after=.\n",
};
