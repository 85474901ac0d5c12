/* xinyong reconcile: check a hand-compiled statistics table. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "xinyong/reconcile.h"
#include "xinyong/views.h"

static void print_list(const char *what, char *const *v, size_t n)
{
	if (!n)
		return;
	printf("  %s:", what);
	for (size_t i = 0; i < n; i++)
		printf("%s%s", i ? "、" : " ", v[i]);
	printf("\n");
}

static void print_text(const char *path, const xy_reconcile *r)
{
	printf("%s: %s table (%s), %zu unit rows, %zu columns%s%s", path,
	       xy_stats_layout_name(r->layout),
	       r->layout == XY_STATS_DEPARTMENT ? "市有关部门" : "县（市）区、园区", r->nrows,
	       r->ncolumns, r->total_column ? " + 总计" : "", r->total_row ? ", 合计 row" : "");
	if (r->sheet)
		printf(", sheet %s", r->sheet);
	printf("\n");
	print_list("ignored columns (不是本表的列)", r->ignored, r->nignored);
	print_list("columns not in the file (表中缺少的列)", r->missing, r->nmissing);
	print_list("units not in the layout (未配置的单位)", r->unknown_units, r->nunknown_units);
	for (size_t i = 0; i < r->ndiffs; i++) {
		const xy_reconcile_diff *d = &r->diffs[i];
		if (d->line)
			printf("line %-4ld ", d->line);
		else
			printf("(missing) ");
		printf("%s · %s: printed %lld, %s %lld — ", d->row, d->column, d->printed,
		       d->kind == XY_RECON_DATA ? "stored" : "computed", d->computed);
		switch (d->kind) {
		case XY_RECON_TOTAL_ROW:
			printf("合计与各行之和不符 (the total row differs from the sum of the rows)\n");
			break;
		case XY_RECON_TOTAL_COLUMN:
			printf("总计与本行之和不符 (the total differs from the sum of its row)\n");
			break;
		case XY_RECON_DATA:
			printf("%s (differs from the stored records)\n",
			       d->line ? "与数据库记录不符" : "表中缺少此单位，数据库有记录");
			break;
		}
	}
	if (r->ndiffs)
		printf("%zu difference%s (%zu 处不符)\n", r->ndiffs, r->ndiffs == 1 ? "" : "s",
		       r->ndiffs);
	else
		printf("no differences (无差异): %s\n",
		       r->checked_data			       ? "the cells agree with the stored counts"
		       : r->total_row || r->total_column ? "the printed totals agree with the rows"
							 : "the table prints no totals to check");
}

static int run(cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "from", required_argument, NULL, 'f' },
		{ "to", required_argument, NULL, 't' },
		{ NULL, 0, NULL, 0 },
	};
	xy_reconcile_opts ro = { NULL, NULL, NULL };
	xy_reconcile *r = NULL;
	xy_error err = XY_ERROR_INIT;
	int o;

	while ((o = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (o) {
		case 'f': ro.from = optarg; break;
		case 't': ro.to = optarg; break;
		default: return cli_usage_error(c, &cmd_reconcile, "unknown option");
		}
	}
	if (optind + 1 != argc)
		return cli_usage_error(c, &cmd_reconcile, "one table file, please");
	if (!ro.from != !ro.to)
		return cli_usage_error(c, &cmd_reconcile,
				       "comparing with the data needs both --from and --to");
	if (ro.from && xy_stats_check_range(ro.from, ro.to, &err))
		return cli_usage_error(c, &cmd_reconcile, "%s", err.msg);
	ro.config_dir = c->config;
	if (ro.from && cli_open_store(c))
		return EXIT_FAIL;
	if (xy_reconcile_file(argv[optind], c->store, c->store ? &c->reg : NULL, &ro, &r, &err))
		return cli_error(c, &err);
	if (c->json) {
		json_t *arr = NULL;
		if (xy_view_reconcile(r, &arr, &err)) {
			xy_reconcile_free(r);
			return cli_error(c, &err);
		}
		cli_print_json(arr);
	} else {
		print_text(argv[optind], r);
	}
	o = r->ndiffs ? EXIT_FAIL : EXIT_OK;
	xy_reconcile_free(r);
	return o;
}

const command cmd_reconcile = {
	"reconcile",
	run,
	"TABLE.tsv|csv|xlsx [--from YYYY-MM --to YYYY-MM]",
	"check a hand-compiled statistics table: its totals, and against the data",
	"Reads a table in the department layout (a 部门名称 column) or the region layout\n"
	"(地区 / 分组), from TSV, CSV or XLSX.  Columns are matched by header name, so\n"
	"their order does not matter and extra columns are ignored.  Reports every cell\n"
	"where the printed value differs from the computed one:\n"
	"\n"
	"  total_row     the printed 合计 row against the sum of the unit rows\n"
	"  total_column  a printed 总计 against the sum of its row\n"
	"  data          with --from/--to: a unit's cell against the stored counts\n"
	"                (as 'xinyong stats' computes them)\n"
	"\n"
	"Exit status: 0 when everything agrees, 1 when there are differences (or an\n"
	"error).  --format json prints [{\"row\",\"column\",\"line\",\"printed\",\"computed\",\"kind\"}]\n"
	"(line: the file's row; null for a unit missing from the file).\n",
	NULL,
};
