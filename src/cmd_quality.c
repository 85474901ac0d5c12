/* xinyong quality: data quality per unit × category (双公示 timeliness and
 * completeness), built by the library (quality.h), rendered here. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "xinyong/quality.h"
#include "xinyong/stats.h"
#include "xinyong/views.h"

/* The dashboard's per-unit summary (views.h) as one line of JSON in b. */
static xy_code unit_json(const xy_quality *q, const xy_registry *reg, xy_buf *b, xy_error *err)
{
	json_t *v = NULL;
	char *text;
	xy_code rc = xy_view_quality_units(q, reg, &v, err);
	if (rc)
		return rc;
	text = json_dumps(v, JSON_COMPACT);
	json_decref(v);
	if (!text)
		return xy_error_set(err, XY_ERR_NOMEM, "out of memory");
	xy_buf_addstr(b, text);
	free(text);
	return XY_OK;
}

static int run(cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "from", required_argument, NULL, 'f' },
		{ "to", required_argument, NULL, 't' },
		{ "unit", required_argument, NULL, 'u' },
		{ "output", required_argument, NULL, 'o' },
		{ "by-unit", no_argument, NULL, 'b' },
		{ NULL, 0, NULL, 0 },
	};
	xy_quality_opts qo = { NULL, NULL, NULL, NULL };
	xy_error err = XY_ERROR_INIT;
	xy_table_format fmt;
	xy_quality *q = NULL;
	xy_table *t = NULL;
	const char *output = NULL;
	char to[8], from[8];
	int o, rc = EXIT_OK;
	bool by_unit = false;

	while ((o = getopt_long(argc, argv, "o:", opts, NULL)) != -1) {
		switch (o) {
		case 'f': qo.from = optarg; break;
		case 't': qo.to = optarg; break;
		case 'u': qo.unit = optarg; break;
		case 'o': output = optarg; break;
		case 'b': by_unit = true; break;
		default: return cli_usage_error(c, &cmd_quality, "unknown option");
		}
	}
	if (optind < argc)
		return cli_usage_error(c, &cmd_quality, "unexpected argument '%s'", argv[optind]);
	if (xy_table_format_parse(c->format, &fmt))
		return cli_usage_error(c, &cmd_quality, "unknown --format '%s'", c->format);
	if (by_unit && fmt != XY_TABLE_JSON)
		return cli_usage_error(c, &cmd_quality, "--by-unit needs --format json");
	if (fmt == XY_TABLE_XLSX && !output)
		return cli_usage_error(c, &cmd_quality, "--format xlsx needs -o FILE");
	xy_stats_default_range(&qo.from, &qo.to, from, to);
	if (xy_stats_check_range(qo.from, qo.to, &err))
		return cli_usage_error(c, &cmd_quality, "%s", err.msg);
	qo.config_dir = c->config;
	if (cli_open_store(c))
		return EXIT_FAIL;
	if (xy_quality_build(c->store, &c->reg, &qo, &q, &err))
		return cli_error(c, &err);

	if (fmt == XY_TABLE_JSON) {
		/* every detail: the library's JSON, not the table's */
		xy_buf b = XY_BUF_INIT;
		FILE *f = output ? fopen(output, "wb") : stdout;
		if (!f) {
			xy_error_at(&err, XY_ERR_IO, output, 0, NULL, "cannot create the file");
			rc = cli_error(c, &err);
		} else if (by_unit ? unit_json(q, &c->reg, &b, &err) : xy_quality_json(q, &b, &err)) {
			rc = cli_error(c, &err);
		} else {
			fputs(b.data, f);
			fputc('\n', f);
			if (fflush(f) != 0 || ferror(f)) {
				xy_error_at(&err, XY_ERR_IO, output ? output : "stdout", 0, NULL,
					    "cannot write the report");
				rc = cli_error(c, &err);
			}
		}
		if (f && f != stdout && fclose(f) != 0 && rc == EXIT_OK) {
			xy_error_at(&err, XY_ERR_IO, output, 0, NULL, "cannot write the report");
			rc = cli_error(c, &err);
		}
		if (rc != EXIT_OK && output)
			remove(output);
		xy_buf_release(&b);
		goto done;
	}
	if (xy_quality_table(q, &t, &err)) {
		rc = cli_error(c, &err);
		goto done;
	}
	if (fmt == XY_TABLE_XLSX) {
		const char *name = "数据质量";
		if (xy_table_write_xlsx((const xy_table *const *)&t, &name, 1, output, &err))
			rc = cli_error(c, &err);
	} else if (output) {
		if (xy_table_save(t, fmt, output, &err))
			rc = cli_error(c, &err);
	} else if (xy_table_write(t, fmt, stdout, &err)) {
		rc = cli_error(c, &err);
	}
done:
	xy_table_free(t);
	xy_quality_free(q);
	return rc;
}

const command cmd_quality = {
	"quality",
	run,
	"[--from YYYY-MM] [--to YYYY-MM] [--unit UNIT] [--by-unit]\n"
	"       [--format table|csv|xlsx|md|html|json] [-o FILE]",
	"data quality per source unit × category: 双公示 timeliness and completeness",
	"For the reporting months --from..--to (the month of the batch that first\n"
	"brought a record in, as stats counts), one row per source unit × category\n"
	"with data, in the units' order:\n"
	"\n"
	"  记录数             records brought in\n"
	"  平均/中位/最大滞后  working days from the decision date (决定日期) to the day\n"
	"                     the batch was uploaded (Beijing time), over the holiday\n"
	"                     calendar (holidays.tsv); * marks a lag reaching a year the\n"
	"                     calendar does not cover (counted Monday–Friday)\n"
	"  7个工作日内占比     行政许可 and 行政处罚 only (the 双公示 rule); — elsewhere\n"
	"  退回行数/退回文件数  rejected rows and refused files\n"
	"  主要退回原因        the three most frequent stored reasons (count)\n"
	"  空缺字段            行政许可/行政处罚: the optional national fields most often\n"
	"                     left empty, with the share of records\n"
	"  未识别列            columns with data that mapped to no field (batches/cells,\n"
	"                     the field they may be)\n"
	"\n"
	"  --unit UNIT       only that unit's rows\n"
	"  --by-unit         (--format json) the office dashboard's summary: per unit\n"
	"                    records, rejection rate, share within 7 working days, a\n"
	"                    ranking, and the units that brought in nothing\n"
	"  -o FILE           write to FILE (needed for xlsx)\n"
	"\n"
	"Default range: January of this year to this month.  --format json has every\n"
	"detail: the lag figures and histogram, all reasons, every optional field with\n"
	"its share, every unmapped column (docs/reports.md).\n",
	"csv|xlsx|md|html",
};
