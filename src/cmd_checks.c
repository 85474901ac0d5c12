/* xinyong checks [--unit U] [--after C] [--limit N] | checks ID: the logged
 * 联合奖惩 checks (newest first) and one check with its feedback. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>

#include "cli.h"
#include "xinyong/views.h"

static void print_checks(const cli *c, json_t *v)
{
	size_t i;
	json_t *k, *arr = json_object_get(v, "checks");
	(void)c;
	json_array_foreach(arr, i, k)
		printf("%-6lld %s %-20s %s  %s  %s  measures %lld, feedback %lld\n",
		       (long long)json_integer_value(json_object_get(k, "check_id")),
		       cli_str(k, "date"), cli_str(k, "subject"), cli_str(k, "subject_name"),
		       cli_str(k, "unit"), cli_str(k, "answer"),
		       (long long)json_integer_value(json_object_get(k, "measures")),
		       (long long)json_integer_value(json_object_get(k, "feedback")));
	if (!json_array_size(arr))
		printf("no checks\n");
	if (json_is_string(json_object_get(v, "next")))
		printf("more: --after %s\n", cli_str(v, "next"));
}

static void print_check(const cli *c, json_t *v)
{
	size_t i;
	json_t *m;
	(void)c;
	printf("check %lld on %s by %s: %s %s — %s\n",
	       (long long)json_integer_value(json_object_get(v, "check_id")), cli_str(v, "date"),
	       cli_str(v, "unit"), cli_str(v, "subject"), cli_str(v, "subject_name"),
	       cli_str(v, "answer"));
	json_array_foreach(json_object_get(v, "measures"), i, m)
		printf("  %s 第%lld项 [%s] %s\n", cli_str(m, "memorandum"),
		       (long long)json_integer_value(json_object_get(m, "number")), cli_str(m, "kind"),
		       cli_str(m, "text"));
	json_array_foreach(json_object_get(v, "feedback"), i, m)
		printf("  反馈 %s 第%lld项: %s%s%s\n", cli_str(m, "memorandum"),
		       (long long)json_integer_value(json_object_get(m, "number")), cli_str(m, "status"),
		       json_is_string(json_object_get(m, "reason")) ? "，" : "", cli_str(m, "reason"));
}

static int run(cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "unit", required_argument, NULL, 'u' },
		{ "after", required_argument, NULL, 'a' },
		{ "limit", required_argument, NULL, 'n' },
		{ NULL, 0, NULL, 0 },
	};
	const char *unit = NULL;
	xy_view_page pg = { NULL, 0, false };
	xy_credit cr;
	xy_error err = XY_ERROR_INIT;
	json_t *v = NULL;
	xy_code xrc;
	long long id = 0;
	char *end;
	int o, rc;
	while ((o = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (o) {
		case 'u': unit = optarg; break;
		case 'a': pg.after = optarg; break;
		case 'n':
			pg.limit = (size_t)strtoul(optarg, &end, 10);
			if (*end || !pg.limit)
				return cli_usage_error(c, &cmd_checks, "--limit '%s' is not a count", optarg);
			break;
		default: return cli_usage_error(c, &cmd_checks, "bad option");
		}
	}
	if (optind + 1 < argc)
		return cli_usage_error(c, &cmd_checks, "at most one check id");
	if (optind < argc && (cli_parse_id(argv[optind], &id) || unit || pg.after || pg.limit))
		return cli_usage_error(c, &cmd_checks, "give a check id alone, or list options");
	if (cli_open_credit(c, &cr))
		return EXIT_FAIL;
	xrc = id ? xy_view_check_get(&cr, id, &v, &err) : xy_view_checks(&cr, unit, &pg, &v, &err);
	rc = cli_render(c, xrc, &err, v, id ? print_check : print_checks);
	xy_credit_release(&cr);
	return rc;
}

const command cmd_checks = {
	"checks",
	run,
	"[--unit UNIT] [--after CURSOR] [--limit N] | CHECK-ID",
	"logged 联合奖惩 checks, newest first; or one check with its feedback",
	"A page holds --limit checks (default 20, at most 100); \"next\" in the JSON\n"
	"(or the last line) is the --after cursor of the following page.  With a\n"
	"check id: its answer, measures and the feedback given ('xinyong feedback').\n",
	NULL,
};
