/* xinyong batches [ID]: import batches, or one batch with its rejected rows. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "xinyong/ingest.h"

struct errs_ctx {
	const cli *c;
	json_t *arr;
};

static int print_error(void *ctx, const xy_batch_error *e)
{
	struct errs_ctx *x = ctx;
	if (x->c->json) {
		if (cli_json_append(x->arr,
				    json_pack("{s:i,s:o,s:o,s:o,s:o,s:o}", "row", (int)e->row,
					      "sheet", xy_json_text(e->sheet, NULL), "column",
					      xy_json_text(e->column, NULL), "value",
					      xy_json_text(e->value ? e->value : "", NULL),
					      "reason_zh", xy_json_text(e->reason_zh ? e->reason_zh : "", NULL),
					      "reason_en", xy_json_text(e->reason_en ? e->reason_en : "", NULL))))
			return 1;
	} else {
		printf("  %s%s%-6ld %s: %s / %s  [%s]\n", e->sheet ? e->sheet : "",
		       e->sheet ? "!" : "", e->row, e->column ? e->column : "(row)",
		       e->reason_zh ? e->reason_zh : "", e->reason_en ? e->reason_en : "",
		       e->value ? e->value : "");
	}
	return 0;
}

static int show_one(cli *c, const char *arg)
{
	XY_AUTO(xy_batch, b);
	xy_error err = XY_ERROR_INIT;
	char *end;
	long long id = strtoll(arg, &end, 10);
	struct errs_ctx x = { c, NULL };
	if (*end || id <= 0)
		return cli_usage_error(c, &cmd_batches, "batch id must be a number, not '%s'", arg);
	if (xy_store_batch_get(c->store, id, &b, &err))
		return cli_error(c, &err);
	json_t *o = NULL;
	if (xy_batch_summary(c->store, &c->reg, &b, &o, &err))
		return cli_error(c, &err);
	if (c->json) {
		x.arr = json_array();
		if (xy_store_batch_errors(c->store, id, print_error, &x, &err)) {
			json_decref(o);
			json_decref(x.arr);
			return cli_error(c, &err);
		}
		if (o)
			json_object_set_new(o, "errors", x.arr);
		else
			json_decref(x.arr);
		return cli_print_json(o) ? EXIT_FAIL : EXIT_OK;
	}
	printf("batch %lld  %s · %s · reported %s · %s\n", id, b.unit, b.category, b.reported_on,
	       b.status == XY_BATCH_REFUSED ? "REFUSED" : "committed");
	printf("  file      %s (%s, %s)\n", b.file, b.format, b.encoding);
	printf("  time      %s → %s\n", b.started_at, b.finished_at);
	if (b.message[0])
		printf("  message   %s\n", b.message);
	printf("  rows      %ld: %ld new, %ld updated, %ld unchanged, %ld rejected\n", b.rows,
	       b.added, b.updated, b.unchanged, b.rejected);
	if (b.error_report[0])
		printf("  errors    %s\n", b.error_report);
	cli_print_batch_layout(o);
	json_decref(o);
	if (b.rejected > b.errors_stored)
		printf("rejected rows: the first %ld of %ld are stored; every one is in the error "
		       "report\n", b.errors_stored, b.rejected);
	if (b.rejected)
		printf("rejected rows (行 列: 原因 / reason [值]):\n");
	if (xy_store_batch_errors(c->store, id, print_error, &x, &err))
		return cli_error(c, &err);
	return EXIT_OK;
}

static int run(cli *c, int argc, char **argv)
{
	static const struct option opts[] = { { "limit", required_argument, NULL, 'n' },
					      { NULL, 0, NULL, 0 } };
	xy_batch *v = NULL;
	size_t n = 0, limit = 0;
	xy_error err = XY_ERROR_INIT;
	int o;

	while ((o = getopt_long(argc, argv, "n:", opts, NULL)) != -1) {
		if (o != 'n')
			return cli_usage_error(c, &cmd_batches, "unknown option");
		limit = (size_t)strtoul(optarg, NULL, 10);
	}
	if (optind + 1 < argc)
		return cli_usage_error(c, &cmd_batches, "at most one batch id");
	if (cli_open_store(c))
		return EXIT_FAIL;
	if (optind < argc)
		return show_one(c, argv[optind]);
	if (xy_store_batches(c->store, limit, &v, &n, &err))
		return cli_error(c, &err);
	if (c->json) {
		json_t *arr = json_array();
		for (size_t i = 0; i < n; i++) {
			json_t *bj = NULL;
			if (xy_batch_summary(c->store, &c->reg, &v[i], &bj, &err)) {
				json_decref(arr);
				xy_batches_free(v, n);
				return cli_error(c, &err);
			}
			json_array_append_new(arr, bj);
		}
		if (cli_print_json(arr)) {
			xy_batches_free(v, n);
			return EXIT_FAIL;
		}
	} else if (!n) {
		printf("no batches yet: import a file with 'xinyong import'\n");
	} else {
		printf("%6s  %-10s  %-9s  ", "batch", "reported", "status");
		cli_pad(stdout, "unit", 14);
		cli_pad(stdout, "category", 20);
		printf("%8s %6s %8s %9s %8s  file\n", "rows", "new", "updated", "unchanged", "rejected");
		for (size_t i = 0; i < n; i++) {
			const xy_batch *b = &v[i];
			printf("%6lld  %-10s  %-9s  ", (long long)b->id, b->reported_on,
			       b->status == XY_BATCH_REFUSED ? "refused" : "committed");
			cli_pad(stdout, b->unit, 14);
			cli_pad(stdout, b->category, 20);
			printf("%8ld %6ld %8ld %9ld %8ld  %s\n", b->rows, b->added, b->updated,
			       b->unchanged, b->rejected, b->file);
		}
	}
	xy_batches_free(v, n);
	return EXIT_OK;
}

const command cmd_batches = {
	"batches", run, "[--limit N] [BATCH]",
	"list import batches, or show one batch with its rejected rows",
	"Newest first.  With a batch id: the batch's summary and every rejected row\n"
	"(row, column, value, reason in Chinese and English).\n",
};
