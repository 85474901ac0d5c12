/* xinyong gov-dishonesty add|update|list|show: government dishonesty (政府失信). */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "xinyong/date.h"
#include "xinyong/gov_dishonesty.h"
#include "xinyong/views.h"

/* The entry id as of date, printed with or without its history. */
static void print_entry(const cli *c, json_t *g)
{
	cli_print_gov_dishonesty(c, g, false);
}

static void print_entry_history(const cli *c, json_t *g)
{
	cli_print_gov_dishonesty(c, g, true);
}

static int render(cli *c, int64_t id, const char *date, bool history)
{
	xy_error err = XY_ERROR_INIT;
	json_t *v = NULL;
	xy_code rc = xy_view_gov_dishonesty(c->store, id, &(xy_view_opts){ false, date }, &v, &err);
	return cli_render(c, rc, &err, v, history ? print_entry_history : print_entry);
}

static void print_list(const cli *c, json_t *v)
{
	json_t *arr = json_object_get(v, "entries"), *g, *n;
	const char *k;
	size_t i;
	printf("政府失信 as of %s%s\n", json_string_value(json_object_get(v, "as_of")),
	       json_is_true(json_object_get(v, "all")) ? " (all entries)" : " (未治理 and 治理中)");
	json_array_foreach(arr, i, g)
		cli_print_gov_dishonesty(c, g, false);
	if (!json_array_size(arr))
		printf("  无\n");
	printf("未治理 by district:");
	json_object_foreach(json_object_get(v, "open_by_district"), k, n)
		printf("  %s %lld", k, (long long)json_integer_value(n));
	printf("%s\n", json_object_size(json_object_get(v, "open_by_district")) ? "" : "  无");
}

static int date_opt(cli *c, const char *in, char d[11])
{
	if (!in) {
		xy_date_today(d);
		return 0;
	}
	if (xy_date_parse(in, d))
		return cli_usage_error(c, &cmd_gov_dishonesty, "'%s' is not a date", in);
	return 0;
}

static int add(cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "body", required_argument, NULL, 'b' },
		{ "body-name", required_argument, NULL, 'B' },
		{ "district", required_argument, NULL, 'D' },
		{ "creditor", required_argument, NULL, 'c' },
		{ "creditor-name", required_argument, NULL, 'C' },
		{ "case-type", required_argument, NULL, 't' },
		{ "amount", required_argument, NULL, 'a' },
		{ "source", required_argument, NULL, 's' },
		{ "date", required_argument, NULL, 'd' },
		{ "note", required_argument, NULL, 'n' },
		{ NULL, 0, NULL, 0 },
	};
	xy_gov_dishonesty_in in;
	xy_gov_dishonesty_row *g;
	xy_error err = XY_ERROR_INIT;
	int o, rc = EXIT_OK;
	memset(&in, 0, sizeof in);
	optind = 1;
	while ((o = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (o) {
		case 'b': in.body = optarg; break;
		case 'B': in.body_name = optarg; break;
		case 'D': in.district = optarg; break;
		case 'c': in.creditor = optarg; break;
		case 'C': in.creditor_name = optarg; break;
		case 't': in.case_type = optarg; break;
		case 'a': in.amount = optarg; break;
		case 's': in.source = optarg; break;
		case 'd': in.date = optarg; break;
		case 'n': in.note = optarg; break;
		default: return cli_usage_error(c, &cmd_gov_dishonesty, "bad option");
		}
	}
	if (optind != argc || !in.body || !in.district || !in.case_type || !in.source)
		return cli_usage_error(c, &cmd_gov_dishonesty,
				       "gov-dishonesty add needs --body, --district, --case-type and "
				       "--source");
	if (cli_open_store(c))
		return EXIT_FAIL;
	if (!(g = calloc(1, sizeof *g)))
		return EXIT_FAIL;
	if (xy_gov_dishonesty_add(c->store, &c->reg, c->config, &in, g, &err))
		rc = cli_error(c, &err);
	else
		rc = render(c, g->id, g->registered_on, false);
	xy_gov_dishonesty_row_release(g);
	free(g);
	return rc;
}

static int update(cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "status", required_argument, NULL, 's' },
		{ "date", required_argument, NULL, 'd' },
		{ "evidence", required_argument, NULL, 'e' },
		{ NULL, 0, NULL, 0 },
	};
	const char *status = NULL, *date = NULL, *evidence = NULL;
	xy_error err = XY_ERROR_INIT;
	xy_gov_dishonesty_row *g;
	char *end;
	long long id;
	int o, rc = EXIT_OK;
	optind = 1;
	while ((o = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (o) {
		case 's': status = optarg; break;
		case 'd': date = optarg; break;
		case 'e': evidence = optarg; break;
		default: return cli_usage_error(c, &cmd_gov_dishonesty, "bad option");
		}
	}
	if (optind + 1 != argc || !status)
		return cli_usage_error(c, &cmd_gov_dishonesty, "gov-dishonesty update needs ID and --status");
	id = strtoll(argv[optind], &end, 10);
	if (*end || id <= 0)
		return cli_usage_error(c, &cmd_gov_dishonesty, "'%s' is not an entry number", argv[optind]);
	if (cli_open_store(c))
		return EXIT_FAIL;
	if (xy_gov_dishonesty_update(c->store, id, status, date, evidence, &err))
		return cli_error(c, &err);
	if (!(g = calloc(1, sizeof *g)))
		return EXIT_FAIL;
	if (xy_store_gov_dishonesty_get(c->store, id, g, &err))
		rc = cli_error(c, &err);
	else
		rc = render(c, id, g->status_on, true);
	xy_gov_dishonesty_row_release(g);
	free(g);
	return rc;
}

static int list(cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "district", required_argument, NULL, 'D' },
		{ "as-of", required_argument, NULL, 'a' },
		{ "all", no_argument, NULL, 'A' },
		{ NULL, 0, NULL, 0 },
	};
	const char *district = NULL, *asof = NULL;
	xy_error err = XY_ERROR_INIT;
	json_t *v = NULL;
	bool all = false;
	xy_code rc;
	char d[11];
	int o;
	optind = 1;
	while ((o = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (o) {
		case 'D': district = optarg; break;
		case 'a': asof = optarg; break;
		case 'A': all = true; break;
		default: return cli_usage_error(c, &cmd_gov_dishonesty, "bad option");
		}
	}
	if (optind != argc)
		return cli_usage_error(c, &cmd_gov_dishonesty, "gov-dishonesty list takes no arguments");
	if (date_opt(c, asof, d))
		return EXIT_USAGE;
	if (cli_open_store(c))
		return EXIT_FAIL;
	rc = xy_view_gov_dishonesties(c->store, &c->reg, district, all, &(xy_view_opts){ false, d }, &v,
			      &err);
	if (!rc && !c->json) /* the table's title says which entries */
		json_object_set_new(v, "all", json_boolean(all));
	return cli_render(c, rc, &err, v, print_list);
}

static int show(cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "as-of", required_argument, NULL, 'a' },
		{ NULL, 0, NULL, 0 },
	};
	const char *asof = NULL;
	char d[11], *end;
	long long id;
	int o;
	optind = 1;
	while ((o = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (o == 'a')
			asof = optarg;
		else
			return cli_usage_error(c, &cmd_gov_dishonesty, "bad option");
	}
	if (optind + 1 != argc)
		return cli_usage_error(c, &cmd_gov_dishonesty, "gov-dishonesty show needs ID");
	id = strtoll(argv[optind], &end, 10);
	if (*end || id <= 0)
		return cli_usage_error(c, &cmd_gov_dishonesty, "'%s' is not an entry number", argv[optind]);
	if (date_opt(c, asof, d))
		return EXIT_USAGE;
	if (cli_open_store(c))
		return EXIT_FAIL;
	return render(c, id, d, true);
}

static int run(cli *c, int argc, char **argv)
{
	if (argc < 2)
		return cli_usage_error(c, &cmd_gov_dishonesty, "give add, update, list or show");
	if (!strcmp(argv[1], "add"))
		return add(c, argc - 1, argv + 1);
	if (!strcmp(argv[1], "update"))
		return update(c, argc - 1, argv + 1);
	if (!strcmp(argv[1], "list"))
		return list(c, argc - 1, argv + 1);
	if (!strcmp(argv[1], "show"))
		return show(c, argc - 1, argv + 1);
	return cli_usage_error(c, &cmd_gov_dishonesty, "'%s' is not add, update, list or show", argv[1]);
}

const command cmd_gov_dishonesty = {
	"gov-dishonesty",
	run,
	"add|update|list|show [options]",
	"government dishonesty (政府失信): entries against government bodies and their 治理",
	"  gov-dishonesty add --body USCC --district UNIT --case-type TYPE --source 文书号\n"
	"                 [--date DATE] [--amount 万元] [--creditor CODE] [--note TEXT]\n"
	"                 [--body-name NAME] [--creditor-name NAME]\n"
	"      The body's 统一社会信用代码 must start with 1 (机构编制: 机关, 事业单位);\n"
	"      UNIT a county or park (县（市）区、园区); TYPE from gov-dishonesty-types.tsv\n"
	"      (拖欠企业账款 不履行招商引资承诺 不执行司法判决 违约毁约 其他).  The entry\n"
	"      starts 未治理 on DATE (default today).  --body-name / --creditor-name\n"
	"      register a subject that is not yet known.\n"
	"  gov-dishonesty update ID --status 治理中|已治理 [--date DATE] [--evidence TEXT]\n"
	"      The status only moves forward, on or after the last step's date; 已治理\n"
	"      needs --evidence.\n"
	"  gov-dishonesty list [--district UNIT] [--as-of DATE] [--all]\n"
	"      entries not 已治理 on DATE (default today; --all: every entry registered by\n"
	"      then), with the count per district that `stats --by region` prints as\n"
	"      政府失信未治理 for a period ending on DATE.\n"
	"  gov-dishonesty show ID [--as-of DATE]   with its history\n",
	NULL,
};
