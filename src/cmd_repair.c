/* xinyong repair apply|accept|review|decide|show|list: credit repair (信用修复). */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "xinyong/repair.h"
#include "xinyong/views.h"

#define MAX_ITEMS 64

static void print_case(const cli *c, json_t *o)
{
	(void)c;
	cli_print_case(o);
}

static void print_cases(const cli *c, json_t *v)
{
	json_t *arr = json_object_get(v, "repairs"), *o;
	size_t i;
	(void)c;
	if (!arr)
		arr = json_object_get(v, "objections");
	json_array_foreach(arr, i, o)
		cli_print_case(o);
	if (!json_array_size(arr))
		printf("无%s\n", json_is_true(json_object_get(v, "overdue_only")) ? "逾期" : "");
}

int cli_print_case_id(cli *c, xy_repairs *rp, long long id)
{
	xy_error err = XY_ERROR_INIT;
	json_t *v = NULL;
	xy_code rc = xy_view_case(rp, id, NULL, &v, &err);
	return cli_render(c, rc, &err, v, print_case);
}

int cli_print_cases(cli *c, xy_repairs *rp, const char *kind, bool overdue, const char *asof)
{
	xy_error err = XY_ERROR_INIT;
	json_t *v = NULL;
	xy_code rc = xy_view_cases(rp, kind, overdue, asof, &v, &err);
	if (!rc && !c->json) /* the table says 无逾期 for an empty overdue list */
		json_object_set_new(v, "overdue_only", json_boolean(overdue));
	return cli_render(c, rc, &err, v, print_cases);
}

/* A positive id from argv. */
int cli_parse_id(const char *s, long long *id)
{
	char *end;
	*id = strtoll(s, &end, 10);
	return *end || *id <= 0 ? -1 : 0;
}

static int apply(cli *c, xy_repairs *rp, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "subject", required_argument, NULL, 's' }, { "record", required_argument, NULL, 'r' },
		{ "reason", required_argument, NULL, 'R' },  { "evidence", required_argument, NULL, 'e' },
		{ "commitment", required_argument, NULL, 'c' }, { "applicant", required_argument, NULL, 'a' },
		{ "entry", required_argument, NULL, 'E' },   { "date", required_argument, NULL, 'd' },
		{ NULL, 0, NULL, 0 },
	};
	const char *evidence[MAX_ITEMS];
	xy_repair_in in;
	xy_error err = XY_ERROR_INIT;
	long long v;
	int64_t id;
	int o;
	memset(&in, 0, sizeof in);
	in.evidence = evidence;
	while ((o = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (o) {
		case 's': in.subject = optarg; break;
		case 'r':
			if (cli_parse_id(optarg, &v))
				return cli_usage_error(c, &cmd_repair, "--record '%s' is not a record id", optarg);
			in.record = v;
			break;
		case 'R': in.reason = optarg; break;
		case 'e':
			if (in.nevidence == MAX_ITEMS)
				return cli_usage_error(c, &cmd_repair, "at most %d --evidence", MAX_ITEMS);
			evidence[in.nevidence++] = optarg;
			break;
		case 'c': in.commitment = optarg; break;
		case 'a': in.applicant = optarg; break;
		case 'E':
			if (cli_parse_id(optarg, &v))
				return cli_usage_error(c, &cmd_repair, "--entry '%s' is not an entry id", optarg);
			in.entry = v;
			break;
		case 'd': in.date = optarg; break;
		default: return cli_usage_error(c, &cmd_repair, "bad option");
		}
	}
	if (optind != argc || !in.record)
		return cli_usage_error(c, &cmd_repair, "repair apply needs --record (and no other argument)");
	if (xy_repair_apply(rp, &in, &id, &err))
		return cli_error(c, &err);
	if (!c->json)
		printf("repair %lld applied (申请)\n", (long long)id);
	return cli_print_case_id(c, rp, id);
}

/* accept|review|decide ID [--unit U] [--by WHO] [--result 通过|不通过] [--text T] [--date D] */
static int step(cli *c, xy_repairs *rp, const char *what, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "unit", required_argument, NULL, 'u' }, { "by", required_argument, NULL, 'b' },
		{ "result", required_argument, NULL, 'r' }, { "text", required_argument, NULL, 't' },
		{ "opinion", required_argument, NULL, 't' }, { "date", required_argument, NULL, 'd' },
		{ NULL, 0, NULL, 0 },
	};
	const char *unit = NULL, *by = NULL, *result = NULL, *text = NULL, *date = NULL;
	xy_error err = XY_ERROR_INIT;
	xy_repair_out out = { 0, 0 };
	long long id;
	xy_code rc;
	int o;
	while ((o = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (o) {
		case 'u': unit = optarg; break;
		case 'b': by = optarg; break;
		case 'r': result = optarg; break;
		case 't': text = optarg; break;
		case 'd': date = optarg; break;
		default: return cli_usage_error(c, &cmd_repair, "bad option");
		}
	}
	if (optind + 1 != argc || cli_parse_id(argv[optind], &id))
		return cli_usage_error(c, &cmd_repair, "repair %s needs one repair id", what);
	if (!strcmp(what, "accept")) {
		rc = xy_repair_accept(rp, id, by, date, text, &err);
	} else if (!strcmp(what, "review")) {
		rc = xy_repair_review(rp, id, unit, date, text, &err);
	} else {
		if (!result || (strcmp(result, "通过") && strcmp(result, "不通过")))
			return cli_usage_error(c, &cmd_repair, "repair decide needs --result 通过|不通过");
		rc = xy_repair_decide(rp, id, unit, !strcmp(result, "通过"), date, text, &out, &err);
	}
	if (rc)
		return cli_error(c, &err);
	if (!c->json) {
		printf("repair %lld: %s", id, what);
		if (!strcmp(what, "decide"))
			printf(" %s; list entries exited: %ld; counted in 信用修复、约谈企业: %ld", result,
			       out.exited, out.counted);
		printf("\n");
	}
	return cli_print_case_id(c, rp, id);
}

int cli_list_cases(cli *c, xy_repairs *rp, const char *kind, const command *cmd, int argc,
		   char **argv)
{
	static const struct option opts[] = {
		{ "overdue", no_argument, NULL, 'o' }, { "as-of", required_argument, NULL, 'a' },
		{ "unit", required_argument, NULL, 'u' }, { "status", required_argument, NULL, 's' },
		{ NULL, 0, NULL, 0 },
	};
	const char *asof = NULL, *unit = NULL, *status = NULL;
	bool overdue = false;
	int o;
	while ((o = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (o == 'o')
			overdue = true;
		else if (o == 'a')
			asof = optarg;
		else if (o == 'u')
			unit = optarg;
		else if (o == 's')
			status = optarg;
		else
			return cli_usage_error(c, cmd, "bad option");
	}
	if (optind != argc)
		return cli_usage_error(c, cmd, "list takes no arguments");
	if (overdue && status)
		return cli_usage_error(c, cmd, "--overdue is --status overdue: give one");
	if (unit || status) {
		xy_error err = XY_ERROR_INIT;
		json_t *v = NULL;
		xy_code rc = xy_view_unit_cases(rp, kind, unit, overdue ? "overdue" : status, asof,
						&v, &err);
		return cli_render(c, rc, &err, v, print_cases);
	}
	return cli_print_cases(c, rp, kind, overdue, asof);
}

int cli_open_repairs(cli *c, xy_credit *cr, xy_repairs *rp)
{
	xy_error err = XY_ERROR_INIT;
	if (cli_open_credit(c, cr))
		return EXIT_FAIL;
	if (xy_repairs_open(rp, cr, c->config, &err)) {
		xy_credit_release(cr);
		return cli_error(c, &err);
	}
	return 0;
}

static int run(cli *c, int argc, char **argv)
{
	static const char *const subs[] = { "apply", "accept", "review", "decide", "show", "list" };
	xy_credit cr;
	xy_repairs rp;
	size_t i;
	int rc;
	if (argc < 2)
		return cli_usage_error(c, &cmd_repair, "give apply, accept, review, decide, show or list");
	for (i = 0; i < sizeof subs / sizeof subs[0] && strcmp(argv[1], subs[i]); i++)
		;
	if (i == sizeof subs / sizeof subs[0])
		return cli_usage_error(c, &cmd_repair, "'%s' is not apply, accept, review, decide, show or list",
				       argv[1]);
	if (cli_open_repairs(c, &cr, &rp))
		return EXIT_FAIL;
	if (i == 0) {
		rc = apply(c, &rp, argc - 1, argv + 1);
	} else if (i <= 3) {
		rc = step(c, &rp, subs[i], argc - 1, argv + 1);
	} else if (i == 4) {
		long long id;
		if (argc != 3 || cli_parse_id(argv[2], &id))
			rc = cli_usage_error(c, &cmd_repair, "repair show needs one repair id");
		else
			rc = cli_print_case_id(c, &rp, id);
	} else {
		rc = cli_list_cases(c, &rp, "repair", &cmd_repair, argc - 1, argv + 1);
	}
	xy_repairs_release(&rp);
	xy_credit_release(&cr);
	return rc;
}

const command cmd_repair = {
	"repair",
	run,
	"apply|accept|review|decide|show|list [options]",
	"credit repair (信用修复): apply, 受理, 审核 and decide by the reporting unit",
	"  repair apply --record ID --subject CODE --reason TEXT --evidence ITEM [--evidence …]\n"
	"               --commitment TEXT [--applicant NAME] [--entry ENTRY] [--date DATE]\n"
	"      the record must be public (公示中) on DATE; --entry: a list entry to exit too.\n"
	"  repair accept ID [--by 信用办] [--text T] [--date DATE]          申请 → 受理\n"
	"  repair review ID --unit UNIT [--opinion T] [--date DATE]          受理 → 审核\n"
	"  repair decide ID --unit UNIT --result 通过|不通过 [--text T] [--date DATE]\n"
	"      UNIT must be the record's reporting unit; 通过 needs the minimum publication\n"
	"      period over, ends publication (已修复), exits the list entries named or whose\n"
	"      文书号 is the record's, and counts in 信用修复、约谈企业 for the month of DATE.\n"
	"  repair show ID            the application, its deadline and history\n"
	"  repair list [--overdue] [--as-of DATE] [--unit UNIT] [--status S]\n"
	"      S: open, closed, overdue or a step (申请 受理 审核 通过 不通过)\n"
	"      deadlines in working days (data/deadlines.tsv, data/holidays.tsv).\n",
	NULL,
};
