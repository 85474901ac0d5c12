/* xinyong check SUBJECT --unit U [--matter M] [--date D]: the 联合奖惩 check. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "xinyong/views.h"

/* The batch check: rows are buffered and printed only once every check is
 * logged (nothing printed when the batch fails). */
typedef struct file_out {
	cli *c;
	xy_buf out;
	bool nomem;
} file_out;

static int file_row(void *ctx, const xy_check_file_row *r)
{
	file_out *f = ctx;
	xy_buf *o = &f->out;
	xy_code rc;
	if (f->c->json) {
		rc = xy_buf_add(o, r->json, r->json_len);
		rc = rc ? rc : xy_buf_addch(o, '\n');
	} else {
		rc = xy_buf_addf(o, "  %-6ld %-20s %s  ", r->row, r->error ? "" : r->code,
				 r->name ? r->name : "-");
		if (!rc && r->error) {
			rc = xy_buf_addstr(o, "无效 ");
			rc = rc ? rc : xy_buf_add(o, r->input, r->input_len);
			rc = rc ? rc : xy_buf_addf(o, ": %s", r->error);
		} else if (!rc && r->nmeasures) {
			json_error_t jerr;
			json_t *a = json_loadb(r->json, r->json_len, 0, &jerr), *m;
			size_t i;
			rc = xy_buf_addf(o, "有 (check %lld):", (long long)r->check_id);
			json_array_foreach(json_object_get(a, "measures"), i, m) {
				if (!rc)
					rc = xy_buf_addf(o, " %s 第%lld项",
							 json_string_value(json_object_get(m, "memorandum")),
							 (long long)json_integer_value(json_object_get(m, "number")));
			}
			json_decref(a);
		} else if (!rc) {
			rc = xy_buf_addstr(o, r->answer);
		}
		rc = rc ? rc : xy_buf_addch(o, '\n');
	}
	if (rc) {
		f->nomem = true;
		return 1;
	}
	return 0;
}

static int run_file(cli *c, const char *path, const char *unit, const char *matter,
		    const char *date)
{
	xy_credit cr;
	xy_error err = XY_ERROR_INIT;
	xy_check_file_summary sum;
	file_out f = { c, XY_BUF_INIT, false };
	int rc = EXIT_OK;
	if (cli_open_credit(c, &cr))
		return EXIT_FAIL;
	if (!c->json)
		xy_buf_addf(&f.out, "  %-6s %-20s %s  %s\n", "行", "代码", "名称", "答复");
	if (xy_credit_check_file(&cr, path, unit, matter, date, file_row, &f, &sum, &err)) {
		if (f.nomem)
			fprintf(stderr, "xinyong check: error: out of memory\n");
		else
			rc = cli_error(c, &err);
		rc = EXIT_FAIL;
	} else {
		fwrite(f.out.data, 1, f.out.len, stdout);
		if (c->json) {
			json_t *s = json_pack(
				"{s:{s:s,s:s,s:s,s:s,s:o,s:s,s:i,s:i,s:i,s:i,s:i,s:i}}", "summary",
				"file", path, "format", sum.format, "encoding", sum.encoding, "unit", unit,
				"matter", matter && *matter ? json_string(matter) : json_null(), "date",
				sum.date, "rows", (int)sum.rows, "checked",
				(int)sum.checked, "with_measures", (int)sum.with_measures, "clean",
				(int)sum.clean, "unknown", (int)sum.unknown, "invalid", (int)sum.invalid);
			cli_print_json(s); /* releases s */
		} else {
			printf("\n%s · %s · 事项 %s · 日期 %s\n", path, unit, matter && *matter ? matter : "全部",
			       sum.date);
			printf("%ld rows: %ld checked (%ld with measures, %ld clean), %ld 未找到, "
			       "%ld 无效\n",
			       sum.rows, sum.checked, sum.with_measures, sum.clean, sum.unknown,
			       sum.invalid);
		}
	}
	xy_buf_release(&f.out);
	xy_credit_release(&cr);
	return rc;
}

static int run(cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "unit", required_argument, NULL, 'u' },
		{ "matter", required_argument, NULL, 'm' },
		{ "date", required_argument, NULL, 'd' },
		{ "file", required_argument, NULL, 'f' },
		{ NULL, 0, NULL, 0 },
	};
	const char *unit = NULL, *matter = NULL, *date = NULL, *file = NULL;
	xy_credit cr;
	xy_error err = XY_ERROR_INIT;
	json_t *v = NULL;
	xy_code code;
	int o, rc;
	while ((o = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (o) {
		case 'u': unit = optarg; break;
		case 'm': matter = optarg; break;
		case 'd': date = optarg; break;
		case 'f': file = optarg; break;
		default: return cli_usage_error(c, &cmd_check, "bad option");
		}
	}
	if (file) {
		if (optind != argc || !unit)
			return cli_usage_error(c, &cmd_check, "give --file and --unit, no subject");
		return run_file(c, file, unit, matter, date);
	}
	if (optind + 1 != argc || !unit)
		return cli_usage_error(c, &cmd_check, "give one subject and --unit");
	if (cli_open_credit(c, &cr))
		return EXIT_FAIL;
	code = xy_view_check(&cr, argv[optind], unit, matter, date, &v, &err);
	rc = cli_render(c, code, &err, v, cli_print_check);
	xy_credit_release(&cr);
	return rc;
}

const command cmd_check = {
	"check",
	run,
	"SUBJECT|--file FILE --unit UNIT [--matter MATTER] [--date DATE]",
	"联合奖惩 check: which measures must UNIT apply to SUBJECT (logged, with an id for feedback)",
	"SUBJECT is a USCC, 身份证号 or exact name.  The answer lists the subject's active\n"
	"list entries (its own, through the enterprises a person is linked to, and through\n"
	"the persons linked to an enterprise) and the measures the unit must or may apply\n"
	"for the matter (code or name from matters.tsv; none = every matter) on DATE\n"
	"(default today).  No measure: the answer is 无.  Every check is logged.\n"
	"--format json: {\"check_id\",\"subject\",\"answer\",\"entries\":[…],\"measures\":[…]}\n"
	"\n"
	"--file FILE checks every subject of a CSV (UTF-8 or GB18030), XLSX or JSON file:\n"
	"codes from the column 统一社会信用代码 / 证件号码 / code (else the first column),\n"
	"names from 名称 / name when present.  One line per row (行, 代码, 名称, 答复:\n"
	"有 with the measures, 无, 未找到, 无效 with the reason) and a summary.  Subjects\n"
	"with measures are logged as checks (feedback per check id); the others are not.\n"
	"--format json: one object per line per row {\"row\",\"code\",\"name\",\"found\",\n"
	"\"check_id\",(\"error\"),\"answer\",\"entries\",\"measures\"}, then {\"summary\":{…}}.\n",
	NULL,
};
