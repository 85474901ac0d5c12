/* xinyong feedback CHECK --unit U --applied N[,N…]: what the unit did. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

#define MAX_MEASURES 64

/* "7,8 9" → numbers appended to v. */
static int numbers(const char *s, int *v, size_t *n)
{
	const char *p = s;
	while (*p) {
		char *end;
		long x;
		if (*p == ',' || *p == ' ') {
			p++;
			continue;
		}
		x = strtol(p, &end, 10);
		if (end == p || x <= 0 || x > 9999 || *n == MAX_MEASURES)
			return -1;
		v[(*n)++] = (int)x;
		p = end;
	}
	return 0;
}

static int run(cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "unit", required_argument, NULL, 'u' },
		{ "applied", required_argument, NULL, 'a' },
		{ "not-applied", required_argument, NULL, 'n' },
		{ "reason", required_argument, NULL, 'r' },
		{ "result", required_argument, NULL, 'R' },
		{ "date", required_argument, NULL, 'd' },
		{ NULL, 0, NULL, 0 },
	};
	int applied[MAX_MEASURES], not_applied[MAX_MEASURES];
	xy_feedback_in f;
	xy_feedback_out out;
	xy_credit cr;
	xy_error err = XY_ERROR_INIT;
	char *end;
	long long id;
	int o, rc = EXIT_OK;

	memset(&f, 0, sizeof f);
	f.applied = applied;
	f.not_applied = not_applied;
	while ((o = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (o) {
		case 'u': f.unit = optarg; break;
		case 'a':
			if (numbers(optarg, applied, &f.napplied))
				return cli_usage_error(c, &cmd_feedback, "--applied '%s' is not N[,N…]", optarg);
			break;
		case 'n':
			if (numbers(optarg, not_applied, &f.nnot_applied))
				return cli_usage_error(c, &cmd_feedback, "--not-applied '%s' is not N[,N…]",
						       optarg);
			break;
		case 'r': f.reason = optarg; break;
		case 'R': f.result = optarg; break;
		case 'd': f.date = optarg; break;
		default: return cli_usage_error(c, &cmd_feedback, "bad option");
		}
	}
	if (optind + 1 != argc || !f.unit)
		return cli_usage_error(c, &cmd_feedback, "give one check id and --unit");
	id = strtoll(argv[optind], &end, 10);
	if (*end || id <= 0)
		return cli_usage_error(c, &cmd_feedback, "'%s' is not a check id", argv[optind]);
	f.check_id = id;
	if (cli_open_credit(c, &cr))
		return EXIT_FAIL;
	if (xy_credit_feedback(&cr, &f, &out, &err))
		rc = cli_error(c, &err);
	else if (c->json)
		cli_print_json(json_pack("{s:I,s:i,s:i,s:{s:i,s:i,s:i}}", "check_id", (json_int_t)id,
					 "applied", (int)f.napplied, "not_applied",
					 (int)f.nnot_applied, "counted", "联合惩戒案例", (int)out.punish,
					 "联合激励案例", (int)out.reward, "国家黑名单结果反馈",
					 (int)out.national));
	else
		printf("feedback on check %lld: %zu applied, %zu not applied; counted: 联合惩戒案例 %ld, "
		       "联合激励案例 %ld, 国家黑名单结果反馈 %ld\n",
		       id, f.napplied, f.nnot_applied, out.punish, out.reward, out.national);
	xy_credit_release(&cr);
	return rc;
}

const command cmd_feedback = {
	"feedback",
	run,
	"CHECK-ID --unit UNIT [--applied N[,N…]] [--not-applied N[,N…] --reason TEXT] "
	"[--result TEXT] [--date DATE]",
	"report what the unit did about a check's measures (已采取 / 未采取)",
	"Only the unit that asked may answer, and only about measures in the check's answer.\n"
	"Applied 惩戒 measures count as 联合惩戒案例, 激励 as 联合激励案例, and measures\n"
	"triggered by a national list entry also as 国家黑名单结果反馈, in the statistics\n"
	"month of DATE (default today).\n",
	NULL,
};
