/* xinyong stats: the bulletin's statistics tables from the stored counts. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "xinyong/stats.h"
#include "xinyong/views.h"

enum view { VIEW_TABLE, VIEW_MOM, VIEW_CUMULATIVE };

static const char *const sheet_names[] = { "市有关部门", "县（市）区、园区" };

static int print_sentences(cli *c, const xy_stats_opts *o)
{
	xy_buf b = XY_BUF_INIT;
	xy_error err = XY_ERROR_INIT;
	if (!c->json && xy_stats_sentences(c->store, &c->reg, o, &b, &err)) {
		xy_buf_release(&b);
		return cli_error(c, &err);
	}
	if (c->json) {
		json_t *v = NULL;
		if (xy_view_stats_sentences(c->store, &c->reg, o, &v, &err))
			return cli_error(c, &err);
		return cli_print_json(v) ? EXIT_FAIL : EXIT_OK;
	}
	fputs(b.data, stdout);
	xy_buf_release(&b);
	return EXIT_OK;
}

static xy_code build(cli *c, const xy_stats_opts *o, enum view view, const char *unit,
		     xy_table **t, xy_error *err)
{
	if (unit)
		return xy_stats_unit(c->store, &c->reg, o, unit, view == VIEW_CUMULATIVE, t, err);
	if (view == VIEW_TABLE)
		return xy_stats_table(c->store, &c->reg, o, t, err);
	return xy_stats_months(c->store, &c->reg, o, view == VIEW_CUMULATIVE, t, err);
}

static int run(cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "from", required_argument, NULL, 'f' },
		{ "to", required_argument, NULL, 't' },
		{ "by", required_argument, NULL, 'b' },
		{ "view", required_argument, NULL, 'v' },
		{ "unit", required_argument, NULL, 'u' },
		{ "category", required_argument, NULL, 'c' },
		{ "output", required_argument, NULL, 'o' },
		{ "sentences", no_argument, NULL, 's' },
		{ NULL, 0, NULL, 0 },
	};
	xy_stats_opts so = { NULL, NULL, XY_STATS_DEPARTMENT, NULL, NULL };
	xy_error err = XY_ERROR_INIT;
	xy_table_format fmt;
	enum view view = VIEW_TABLE;
	const char *unit = NULL, *output = NULL, *by = "department";
	bool sentences = false, all = false;
	char to[8], from[8];
	xy_table *tables[2] = { NULL, NULL };
	size_t ntables = 0;
	int o, rc = EXIT_OK;

	while ((o = getopt_long(argc, argv, "o:", opts, NULL)) != -1) {
		switch (o) {
		case 'f': so.from = optarg; break;
		case 't': so.to = optarg; break;
		case 'b': by = optarg; break;
		case 'u': unit = optarg; break;
		case 'c': so.category = optarg; break;
		case 'o': output = optarg; break;
		case 's': sentences = true; break;
		case 'v':
			if (strcmp(optarg, "table") == 0)
				view = VIEW_TABLE;
			else if (strcmp(optarg, "mom") == 0 || strcmp(optarg, "monthly") == 0)
				view = VIEW_MOM;
			else if (strcmp(optarg, "cumulative") == 0)
				view = VIEW_CUMULATIVE;
			else
				return cli_usage_error(c, &cmd_stats,
						       "--view is table, mom or cumulative, not '%s'",
						       optarg);
			break;
		default: return cli_usage_error(c, &cmd_stats, "unknown option");
		}
	}
	if (optind < argc)
		return cli_usage_error(c, &cmd_stats, "unexpected argument '%s'", argv[optind]);
	if (strcmp(by, "all") == 0)
		all = true;
	else if (xy_stats_layout_parse(by, &so.layout))
		return cli_usage_error(c, &cmd_stats, "--by is department, region or all, not '%s'",
				       by);
	if (xy_table_format_parse(c->format, &fmt))
		return cli_usage_error(c, &cmd_stats, "unknown --format '%s'", c->format);
	if ((fmt == XY_TABLE_XLSX || fmt == XY_TABLE_PDF) && !output)
		return cli_usage_error(c, &cmd_stats, "--format %s needs -o FILE",
				       xy_table_format_name(fmt));
	if (all && (fmt != XY_TABLE_XLSX || unit || sentences))
		return cli_usage_error(c, &cmd_stats,
				       "--by all makes one workbook with both tables: use it with "
				       "--format xlsx -o FILE");
	if (sentences && fmt != XY_TABLE_TEXT && fmt != XY_TABLE_JSON)
		return cli_usage_error(c, &cmd_stats, "--sentences prints text or json");
	if (so.category && (view == VIEW_TABLE || unit))
		return cli_usage_error(c, &cmd_stats, "--category goes with --view mom|cumulative");
	xy_stats_default_range(&so.from, &so.to, from, to);
	if (xy_stats_check_range(so.from, so.to, &err))
		return cli_usage_error(c, &cmd_stats, "%s", err.msg);
	so.config_dir = c->config;
	if (cli_open_store(c))
		return EXIT_FAIL;
	if (sentences)
		return print_sentences(c, &so);

	for (int l = 0; l < (all ? 2 : 1); l++) {
		if (all)
			so.layout = (xy_stats_layout)l;
		if (build(c, &so, view, unit, &tables[ntables], &err)) {
			rc = cli_error(c, &err);
			goto done;
		}
		ntables++;
	}
	if (fmt == XY_TABLE_XLSX) {
		const char *names[2] = { sheet_names[all ? 0 : so.layout], sheet_names[1] };
		if (unit)
			names[0] = unit;
		if (xy_table_write_xlsx((const xy_table *const *)tables, names, ntables, output, &err))
			rc = cli_error(c, &err);
	} else if (output) {
		if (xy_table_save(tables[0], fmt, output, &err))
			rc = cli_error(c, &err);
	} else if (xy_table_write(tables[0], fmt, stdout, &err)) {
		rc = cli_error(c, &err);
	}
done:
	for (size_t i = 0; i < ntables; i++)
		xy_table_free(tables[i]);
	return rc;
}

const command cmd_stats = {
	"stats",
	run,
	"[--from YYYY-MM] [--to YYYY-MM] [--by department|region|all]\n"
	"       [--view table|mom|cumulative] [--unit UNIT] [--category CATEGORY]\n"
	"       [--format table|csv|xlsx|pdf|md|html|json] [-o FILE] [--sentences]",
	"statistics tables of the bulletin: records per source unit × category",
	"Counts the records each source unit (信源单位) brought in per category over the\n"
	"reporting months --from..--to (the month of the batch that first brought a\n"
	"record in; import --reported-on back-fills).  Default range: January of this\n"
	"year to this month.  Zero prints blank, as in the bulletin; totals are computed.\n"
	"\n"
	"  --by department   the 市有关部门 table: 序号, 部门名称, its categories, 总计, 合计 first\n"
	"  --by region       the 县（市）区、园区 table: 地区, 分组, its categories\n"
	"  --by all          both tables as two sheets of one workbook (--format xlsx)\n"
	"  --view mom        the units × months: new records per month (month over month)\n"
	"  --view cumulative the units × months: running totals since --from\n"
	"  --category CAT    with mom/cumulative: one category instead of all the table's\n"
	"  --unit UNIT       one unit: months × the categories of its table\n"
	"  --sentences       the 情况通报 sentences instead of the table (top units per\n"
	"                    category, units that reported nothing)\n"
	"  -o FILE           write to FILE (needed for xlsx and pdf)\n"
	"\n"
	"Formats: table (terminal), csv (UTF-8 with BOM, first line = the printed header),\n"
	"md, html (a <table> fragment), json ({\"title\",\"columns\",\"rows\":[{column: cell}]}),\n"
	"xlsx (合计 row and 总计 column as formulas), pdf (A4, landscape when wide; the\n"
	"header repeated on every page).  Columns, units and their order are\n"
	"configuration: tables.tsv (docs/reports.md).\n",
	"csv|xlsx|pdf|md|html",
};
