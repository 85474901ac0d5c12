/* xinyong commitment add|verify|list|show: credit commitments (信用承诺书). */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "xinyong/commitment.h"
#include "xinyong/date.h"
#include "xinyong/views.h"

static void print_commitment(const cli *c, json_t *j)
{
	cli_print_commitment(c, j, true);
	if (json_is_string(json_object_get(j, "content")))
		printf("  内容 %s\n", json_string_value(json_object_get(j, "content")));
}

static void print_list(const cli *c, json_t *v)
{
	json_t *arr = json_object_get(v, "commitments"), *j;
	size_t i;
	printf("信用承诺书 as of %s\n", json_string_value(json_object_get(v, "as_of")));
	json_array_foreach(arr, i, j)
		cli_print_commitment(c, j, false);
	if (!json_array_size(arr))
		printf("  无\n");
}

static int add(cli *c, xy_commitments *cm, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "subject", required_argument, NULL, 's' }, { "name", required_argument, NULL, 'n' },
		{ "unit", required_argument, NULL, 'u' },    { "type", required_argument, NULL, 't' },
		{ "no", required_argument, NULL, 'N' },      { "matter", required_argument, NULL, 'm' },
		{ "date", required_argument, NULL, 'd' },    { "content", required_argument, NULL, 'c' },
		{ "deadline", required_argument, NULL, 'D' }, { NULL, 0, NULL, 0 },
	};
	xy_commitment_in in;
	xy_commitment_row *r;
	xy_error err = XY_ERROR_INIT;
	long added = 0;
	int o;

	memset(&in, 0, sizeof in);
	optind = 1;
	while ((o = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (o) {
		case 's': in.subject = optarg; break;
		case 'n': in.name = optarg; break;
		case 'u': in.unit = optarg; break;
		case 't': in.type = optarg; break;
		case 'N': in.no = optarg; break;
		case 'm': in.matter = optarg; break;
		case 'd': in.date = optarg; break;
		case 'c': in.content = optarg; break;
		case 'D': in.deadline = optarg; break;
		default: return cli_usage_error(c, &cmd_commitment, "bad option");
		}
	}
	if (optind != argc || !in.subject || !in.unit || !in.type)
		return cli_usage_error(c, &cmd_commitment,
				       "commitment add needs --subject, --unit and --type");
	if (!(r = calloc(1, sizeof *r)))
		return EXIT_FAIL;
	if (xy_commitment_add(cm, &in, r, &added, &err)) {
		xy_commitment_row_release(r);
		free(r);
		return cli_error(c, &err);
	}
	if (c->json) {
		json_t *j = NULL;
		if (xy_view_commitment(cm, r->id, &(xy_view_opts){ false, r->signed_on }, &j, &err)) {
			xy_commitment_row_release(r);
			free(r);
			return cli_error(c, &err);
		}
		json_object_set_new(j, "counted", json_boolean(added));
		cli_print_json(j);
	} else {
		printf("commitment %lld  %s  %s\n  %s %s\n  %s  签署 %s%s%s\n", (long long)r->id,
		       r->no, r->type, r->subject_code, r->subject_name, r->unit, r->signed_on,
		       r->deadline[0] ? "  期限 " : "", r->deadline);
		printf("  %s\n", added ? "计入信用承诺书统计 (counted in 信用承诺书)"
				       : "信用承诺书 already reported with this number: not counted again");
	}
	xy_commitment_row_release(r);
	free(r);
	return EXIT_OK;
}

static int verify(cli *c, xy_commitments *cm, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "result", required_argument, NULL, 'r' }, { "date", required_argument, NULL, 'd' },
		{ "by", required_argument, NULL, 'b' },     { "note", required_argument, NULL, 'n' },
		{ "list", required_argument, NULL, 'l' },   { "no-list", no_argument, NULL, 'L' },
		{ "doc", required_argument, NULL, 'D' },    { "to", required_argument, NULL, 'T' },
		{ NULL, 0, NULL, 0 },
	};
	xy_commitment_verify_in in;
	xy_commitment_verify_out out;
	xy_error err = XY_ERROR_INIT;
	char *end;
	long long id;
	int o;

	memset(&in, 0, sizeof in);
	optind = 1;
	while ((o = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (o) {
		case 'r': in.result = optarg; break;
		case 'd': in.date = optarg; break;
		case 'b': in.by = optarg; break;
		case 'n': in.note = optarg; break;
		case 'l': in.list_type = optarg; break;
		case 'L': in.no_list = true; break;
		case 'D': in.doc = optarg; break;
		case 'T': in.to = optarg; break;
		default: return cli_usage_error(c, &cmd_commitment, "bad option");
		}
	}
	if (optind + 1 != argc || !in.result || !in.by)
		return cli_usage_error(c, &cmd_commitment,
				       "commitment verify needs ID, --result and --by");
	if (in.list_type && in.no_list)
		return cli_usage_error(c, &cmd_commitment, "--list and --no-list exclude each other");
	id = strtoll(argv[optind], &end, 10);
	if (*end || id <= 0)
		return cli_usage_error(c, &cmd_commitment, "'%s' is not a commitment number",
				       argv[optind]);
	in.id = id;
	if (xy_commitment_verify(cm, &in, &out, &err)) {
		xy_commitment_verify_out_release(&out);
		return cli_error(c, &err);
	}
	if (c->json) {
		json_t *j = json_pack("{s:I,s:s,s:b}", "id", (json_int_t)id, "result",
				      out.breach ? "未履约" : "履约", "breach", out.breach);
		if (out.breach) {
			json_object_set_new(j, "record",
					    json_pack("{s:s,s:s,s:b}", "category", out.category, "key",
						      out.record_key, "counted", out.added));
			json_object_set_new(j, "entry", out.entry_id
								? json_integer((json_int_t)out.entry_id)
								: json_null());
			json_object_set_new(j, "list_type", cli_opt_str(out.list_type));
			json_object_set_new(j, "notices", json_integer(out.notices));
		}
		cli_print_json(j);
	} else if (!out.breach) {
		printf("commitment %lld: 履约\n", id);
	} else {
		printf("commitment %lld: 未履约 — 记录 %s (%s)\n", id, out.record_key, out.category);
		if (out.entry_id)
			printf("  列入 %s: entry %lld%s\n", out.list_type, (long long)out.entry_id,
			       out.notices ? " (notices sent)" : "");
	}
	xy_commitment_verify_out_release(&out);
	return EXIT_OK;
}

static int list(cli *c, xy_commitments *cm, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "unit", required_argument, NULL, 'u' },
		{ "subject", required_argument, NULL, 's' },
		{ "as-of", required_argument, NULL, 'a' },
		{ "status", required_argument, NULL, 'S' },
		{ NULL, 0, NULL, 0 },
	};
	const char *unit = NULL, *subject = NULL, *status = NULL;
	xy_view_opts vo = { false, NULL };
	xy_error err = XY_ERROR_INIT;
	json_t *v = NULL;
	xy_code rc;
	int o;

	optind = 1;
	while ((o = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (o) {
		case 'u': unit = optarg; break;
		case 's': subject = optarg; break;
		case 'a': vo.asof = optarg; break;
		case 'S': status = optarg; break;
		default: return cli_usage_error(c, &cmd_commitment, "bad option");
		}
	}
	if (optind != argc)
		return cli_usage_error(c, &cmd_commitment, "commitment list takes no arguments");
	rc = xy_view_commitments(cm, unit, subject, status, &vo, &v, &err);
	if (rc == XY_ERR_ARG || (rc == XY_ERR_INVALID && !strcmp(err.field, "as_of")))
		return cli_usage_error(c, &cmd_commitment, "%s", err.msg);
	return cli_render(c, rc, &err, v, print_list);
}

static int show(cli *c, xy_commitments *cm, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "as-of", required_argument, NULL, 'a' },
		{ NULL, 0, NULL, 0 },
	};
	xy_view_opts vo = { false, NULL };
	xy_error err = XY_ERROR_INIT;
	json_t *v = NULL;
	xy_code rc;
	long long id;
	int o;
	optind = 1;
	while ((o = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (o == 'a')
			vo.asof = optarg;
		else
			return cli_usage_error(c, &cmd_commitment, "bad option");
	}
	if (optind + 1 != argc)
		return cli_usage_error(c, &cmd_commitment, "commitment show needs ID");
	if (cli_parse_id(argv[optind], &id))
		return cli_usage_error(c, &cmd_commitment, "'%s' is not a commitment number",
				       argv[optind]);
	rc = xy_view_commitment(cm, id, &vo, &v, &err);
	if (rc == XY_ERR_INVALID && !strcmp(err.field, "as_of"))
		return cli_usage_error(c, &cmd_commitment, "%s", err.msg);
	return cli_render(c, rc, &err, v, print_commitment);
}

static int import(cli *c, xy_commitments *cm, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "unit", required_argument, NULL, 'u' },
		{ "reported-on", required_argument, NULL, 'r' },
		{ NULL, 0, NULL, 0 },
	};
	xy_import_opts io;
	xy_commitment_import_out out;
	xy_error err = XY_ERROR_INIT;
	xy_buf reports __attribute__((cleanup(xy_buf_release))) = XY_BUF_INIT;
	int o;
	memset(&io, 0, sizeof io);
	optind = 1;
	while ((o = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (o) {
		case 'u': io.unit = optarg; break;
		case 'r': io.reported_on = optarg; break;
		default: return cli_usage_error(c, &cmd_commitment, "bad option");
		}
	}
	if (optind + 1 != argc || !io.unit)
		return cli_usage_error(c, &cmd_commitment, "commitment import needs --unit and FILE");
	/* error reports beside the database, as `xinyong import` writes them */
	if (cli_beside_db(c, "reports", &reports))
		return EXIT_FAIL;
	io.report_dir = reports.data;
	if (xy_commitment_import(cm, argv[optind], &io, &out, &err)) {
		cli_error(c, &err);
		if (out.batch.error_report && out.batch.error_report[0])
			fprintf(stderr, "error report: %s\n", out.batch.error_report);
		xy_batch_release(&out.batch);
		return EXIT_FAIL;
	}
	if (c->json) {
		cli_print_json(json_pack("{s:I,s:s,s:s,s:i,s:i,s:i,s:i,s:i,s:o,s:i,s:i}", "batch",
					 (json_int_t)out.batch.id, "file", out.batch.file,
					 "reported_on", out.batch.reported_on, "rows",
					 (int)out.batch.rows, "new", (int)out.batch.added, "updated",
					 (int)out.batch.updated, "unchanged", (int)out.batch.unchanged,
					 "rejected", (int)out.batch.rejected, "error_report",
					 cli_opt_str(out.batch.error_report), "commitments", (int)out.added,
					 "already_registered", (int)out.existing));
	} else {
		printf("batch %lld  %s  信用承诺书  reported %s\n  %ld rows: %ld new, %ld updated, "
		       "%ld unchanged, %ld rejected\n  %ld commitments registered, %ld already "
		       "registered\n",
		       (long long)out.batch.id, io.unit, out.batch.reported_on, out.batch.rows,
		       out.batch.added, out.batch.updated, out.batch.unchanged, out.batch.rejected,
		       out.added, out.existing);
		if (out.batch.error_report[0])
			printf("  error report: %s\n", out.batch.error_report);
	}
	xy_batch_release(&out.batch);
	return EXIT_OK;
}

static int run(cli *c, int argc, char **argv)
{
	static const char *const subs[] = { "add", "verify", "list", "show", "import" };
	xy_credit cr;
	xy_commitments cm;
	xy_error err = XY_ERROR_INIT;
	int rc, which = -1;
	if (argc < 2)
		return cli_usage_error(c, &cmd_commitment, "give add, verify, list, show or import");
	for (int i = 0; i < 5; i++)
		if (!strcmp(argv[1], subs[i]))
			which = i;
	if (which < 0)
		return cli_usage_error(c, &cmd_commitment,
				       "'%s' is not add, verify, list, show or import", argv[1]);
	if (cli_open_credit(c, &cr))
		return EXIT_FAIL;
	if (xy_commitments_open(&cm, &cr, c->config, &err)) {
		xy_credit_release(&cr);
		return cli_error(c, &err);
	}
	switch (which) {
	case 0: rc = add(c, &cm, argc - 1, argv + 1); break;
	case 1: rc = verify(c, &cm, argc - 1, argv + 1); break;
	case 2: rc = list(c, &cm, argc - 1, argv + 1); break;
	case 3: rc = show(c, &cm, argc - 1, argv + 1); break;
	default: rc = import(c, &cm, argc - 1, argv + 1); break;
	}
	xy_commitments_release(&cm);
	xy_credit_release(&cr);
	return rc;
}

const command cmd_commitment = {
	"commitment",
	run,
	"add|verify|list|show|import [options]",
	"credit commitments (信用承诺书): register, check fulfilment (履约/未履约), list",
	"  commitment add --subject CODE --unit UNIT --type TYPE [--no 编号] [--matter 事项]\n"
	"                 [--date DATE] [--content TEXT] [--deadline DATE] [--name NAME]\n"
	"      TYPE from commitment-types.tsv (审批替代型 主动型 行业自律型 信用修复型\n"
	"      证明事项告知承诺 其他).  Counts in 信用承诺书 for UNIT in the month of DATE\n"
	"      (a record keyed by the number; default number CN<id>).  --name registers a\n"
	"      new subject.\n"
	"  commitment verify ID --result 履约|未履约 --by WHO [--date DATE] [--note TEXT]\n"
	"                 [--list TYPE | --no-list] [--doc 文书号] [--to DATE]\n"
	"      未履约 writes a record of the type's breach category and, when the type (or\n"
	"      --list) names a list type, a list entry from DATE designated by the receiving\n"
	"      unit (visible in `xinyong check`).  One transaction.\n"
	"  commitment list [--unit UNIT] [--subject CODE] [--as-of DATE] [--status S]\n"
	"      S: pending overdue kept breached (待核查 逾期未核查 履约 未履约), computed as of\n"
	"      DATE (default today) from the checks.\n"
	"  commitment show ID [--as-of DATE]   with its checks\n"
	"  commitment import --unit UNIT [--reported-on DATE] FILE\n"
	"      a unit's 信用承诺书 file (CSV/XLSX/JSON, the fields of 信用承诺书): imported as\n"
	"      `xinyong import --category 信用承诺书` does (one batch, counted, error report),\n"
	"      then each accepted row becomes a commitment (编号, 承诺类型, 承诺事项, 日期, 内容)\n"
	"      unless the unit registered that number already.\n",
	NULL,
};
