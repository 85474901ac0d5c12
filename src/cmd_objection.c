/* xinyong objection add|decide|show|list: objections (异议) against records. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "xinyong/repair.h"

#define MAX_SETS 64

static int add(cli *c, xy_repairs *rp, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "record", required_argument, NULL, 'r' }, { "subject", required_argument, NULL, 's' },
		{ "applicant", required_argument, NULL, 'a' }, { "reason", required_argument, NULL, 'R' },
		{ "date", required_argument, NULL, 'd' }, { NULL, 0, NULL, 0 },
	};
	xy_objection_in in;
	xy_error err = XY_ERROR_INIT;
	long long v;
	int64_t id;
	int o;
	memset(&in, 0, sizeof in);
	while ((o = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (o) {
		case 'r':
			if (cli_parse_id(optarg, &v))
				return cli_usage_error(c, &cmd_objection, "--record '%s' is not a record id",
						       optarg);
			in.record = v;
			break;
		case 's': in.subject = optarg; break;
		case 'a': in.applicant = optarg; break;
		case 'R': in.reason = optarg; break;
		case 'd': in.date = optarg; break;
		default: return cli_usage_error(c, &cmd_objection, "bad option");
		}
	}
	if (optind != argc || !in.record)
		return cli_usage_error(c, &cmd_objection, "objection add needs --record");
	if (xy_objection_add(rp, &in, &id, &err))
		return cli_error(c, &err);
	if (!c->json)
		printf("objection %lld filed (异议处理中)\n", (long long)id);
	return cli_print_case_id(c, rp, id);
}

static int decide(cli *c, xy_repairs *rp, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "unit", required_argument, NULL, 'u' }, { "result", required_argument, NULL, 'r' },
		{ "set", required_argument, NULL, 's' }, { "text", required_argument, NULL, 't' },
		{ "date", required_argument, NULL, 'd' }, { NULL, 0, NULL, 0 },
	};
	const char *sets[MAX_SETS];
	const char *unit = NULL, *result = NULL, *text = NULL, *date = NULL;
	size_t nsets = 0;
	xy_error err = XY_ERROR_INIT;
	long long id;
	int o;
	while ((o = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (o) {
		case 'u': unit = optarg; break;
		case 'r': result = optarg; break;
		case 's':
			if (nsets == MAX_SETS)
				return cli_usage_error(c, &cmd_objection, "at most %d --set", MAX_SETS);
			sets[nsets++] = optarg;
			break;
		case 't': text = optarg; break;
		case 'd': date = optarg; break;
		default: return cli_usage_error(c, &cmd_objection, "bad option");
		}
	}
	if (optind + 1 != argc || cli_parse_id(argv[optind], &id))
		return cli_usage_error(c, &cmd_objection, "objection decide needs one objection id");
	if (!result)
		return cli_usage_error(c, &cmd_objection, "objection decide needs --result 更正|维持|撤销");
	if (xy_objection_decide(rp, id, unit, result, sets, nsets, text, date, &err))
		return cli_error(c, &err);
	if (!c->json)
		printf("objection %lld: %s\n", id, result);
	return cli_print_case_id(c, rp, id);
}

static int run(cli *c, int argc, char **argv)
{
	xy_credit cr;
	xy_repairs rp;
	long long id;
	int rc;
	if (argc < 2 || (strcmp(argv[1], "add") && strcmp(argv[1], "decide") &&
			 strcmp(argv[1], "show") && strcmp(argv[1], "list")))
		return cli_usage_error(c, &cmd_objection, "give add, decide, show or list");
	if (!strcmp(argv[1], "show") && (argc != 3 || cli_parse_id(argv[2], &id)))
		return cli_usage_error(c, &cmd_objection, "objection show needs one objection id");
	if (cli_open_repairs(c, &cr, &rp))
		return EXIT_FAIL;
	if (!strcmp(argv[1], "add"))
		rc = add(c, &rp, argc - 1, argv + 1);
	else if (!strcmp(argv[1], "decide"))
		rc = decide(c, &rp, argc - 1, argv + 1);
	else if (!strcmp(argv[1], "show"))
		rc = cli_print_case_id(c, &rp, id);
	else
		rc = cli_list_cases(c, &rp, "objection", &cmd_objection, argc - 1, argv + 1);
	xy_repairs_release(&rp);
	xy_credit_release(&cr);
	return rc;
}

const command cmd_objection = {
	"objection",
	run,
	"add|decide|show|list [options]",
	"objections (异议) against records: routed to the reporting unit, 更正/维持/撤销",
	"  objection add --record ID --reason TEXT [--subject CODE] [--applicant NAME] [--date DATE]\n"
	"      the record must be public (公示中); its display becomes 异议处理中.\n"
	"  objection decide ID --unit UNIT --result 更正|维持|撤销 [--set FIELD=VALUE …]\n"
	"                  [--text T] [--date DATE]\n"
	"      UNIT must be the record's reporting unit.  更正 writes a new version of the\n"
	"      record with the --set fields (code or name); 撤销 withdraws it from display.\n"
	"  objection show ID\n"
	"  objection list [--overdue] [--as-of DATE] [--unit UNIT] [--status S]\n"
	"      S: open, closed, overdue or a step (受理 更正 维持 撤销);\n"
	"      deadline: data/deadlines.tsv (异议处理)\n",
	NULL,
};
