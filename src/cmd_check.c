/* xinyong check SUBJECT --unit U [--matter M] [--date D]: the 联合奖惩 check. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static void print_table(json_t *a)
{
	json_t *ents = json_object_get(a, "entries"), *meas = json_object_get(a, "measures"), *v;
	const char *matter = json_string_value(json_object_get(a, "matter"));
	size_t i;
	printf("check %lld  %s %s\n  单位 %s · 事项 %s · 日期 %s\n",
	       (long long)json_integer_value(json_object_get(a, "check_id")),
	       json_string_value(json_object_get(a, "subject")),
	       json_string_value(json_object_get(a, "subject_name")),
	       json_string_value(json_object_get(a, "unit")), matter ? matter : "全部",
	       json_string_value(json_object_get(a, "date")));
	printf("\n名单 (active entries):%s\n", json_array_size(ents) ? "" : " 无");
	json_array_foreach(ents, i, v) {
		const char *via = json_string_value(json_object_get(v, "via"));
		const char *to = json_string_value(json_object_get(v, "to"));
		printf("  [%lld] %s  %s  %s – %s", (long long)json_integer_value(json_object_get(v, "entry")),
		       json_string_value(json_object_get(v, "list_type")),
		       json_string_value(json_object_get(v, "doc")),
		       json_string_value(json_object_get(v, "from")), to ? to : "无期限");
		if (strcmp(via, "own"))
			printf("  (%s %s %s %s)", strcmp(via, "person") ? "通过关联人员" : "作为",
			       json_string_value(json_object_get(v, "role")),
			       json_string_value(json_object_get(v, "through")),
			       json_string_value(json_object_get(v, "through_name")));
		printf("\n");
	}
	printf("\n措施 (measures to apply):%s\n", json_array_size(meas) ? "" : " 无");
	json_array_foreach(meas, i, v) {
		const char *cond = json_string_value(json_object_get(v, "condition"));
		printf("  %s 第%lld项 [%s] %s\n      依据: %s\n      触发: %s\n",
		       json_string_value(json_object_get(v, "memorandum")),
		       (long long)json_integer_value(json_object_get(v, "number")),
		       json_string_value(json_object_get(v, "kind")),
		       json_string_value(json_object_get(v, "text")),
		       json_string_value(json_object_get(v, "legal_basis")),
		       json_string_value(json_object_get(v, "triggered_by")));
		if (cond)
			printf("      条件: %s\n", cond);
	}
	printf("\n答复: %s\n", json_string_value(json_object_get(a, "answer")));
}

static int run(cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "unit", required_argument, NULL, 'u' },
		{ "matter", required_argument, NULL, 'm' },
		{ "date", required_argument, NULL, 'd' },
		{ NULL, 0, NULL, 0 },
	};
	const char *unit = NULL, *matter = NULL, *date = NULL;
	xy_credit cr;
	xy_buf ans = XY_BUF_INIT;
	xy_error err = XY_ERROR_INIT;
	int64_t id = 0;
	int o, rc = EXIT_OK;
	while ((o = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (o) {
		case 'u': unit = optarg; break;
		case 'm': matter = optarg; break;
		case 'd': date = optarg; break;
		default: return cli_usage_error(c, &cmd_check, "bad option");
		}
	}
	if (optind + 1 != argc || !unit)
		return cli_usage_error(c, &cmd_check, "give one subject and --unit");
	if (cli_open_credit(c, &cr))
		return EXIT_FAIL;
	if (xy_credit_check(&cr, argv[optind], unit, matter, date, &id, &ans, &err)) {
		rc = cli_error(c, &err);
	} else if (c->json) {
		puts(ans.data);
	} else {
		json_error_t jerr;
		json_t *a = json_loads(ans.data, 0, &jerr);
		if (a)
			print_table(a);
		json_decref(a);
	}
	xy_buf_release(&ans);
	xy_credit_release(&cr);
	return rc;
}

const command cmd_check = {
	"check",
	run,
	"SUBJECT --unit UNIT [--matter MATTER] [--date DATE]",
	"联合奖惩 check: which measures must UNIT apply to SUBJECT (logged, with an id for feedback)",
	"SUBJECT is a USCC, 身份证号 or exact name.  The answer lists the subject's active\n"
	"list entries (its own, through the enterprises a person is linked to, and through\n"
	"the persons linked to an enterprise) and the measures the unit must or may apply\n"
	"for the matter (code or name from matters.tsv; none = every matter) on DATE\n"
	"(default today).  No measure: the answer is 无.  Every check is logged.\n"
	"--format json: {\"check_id\",\"subject\",\"answer\",\"entries\":[…],\"measures\":[…]}\n",
	NULL,
};
