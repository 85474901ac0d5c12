/* xinyong gov-dishonesty add|update|list|show: government dishonesty (政府失信). */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "xinyong/date.h"
#include "xinyong/govdebt.h"

static int hist_json(void *ctx, const xy_govdebt_event *ev)
{
	json_array_append_new(ctx, json_pack("{s:s,s:s,s:o,s:s}", "status", ev->status, "date",
					     ev->on, "evidence", cli_opt_str(ev->evidence), "at",
					     ev->at));
	return 0;
}

static int hist_print(void *ctx, const xy_govdebt_event *ev)
{
	(void)ctx;
	printf("  %s  %s%s%s\n", ev->on, ev->status, ev->evidence[0] ? "  " : "", ev->evidence);
	return 0;
}

/* The status on date from the row: the history is in date order, so the
 * row's governed_on and status_on are enough except for 治理中 after date. */
static const char *status_on(xy_store *s, const xy_govdebt_row *g, const char *date, char buf[16])
{
	if (xy_govdebt_status_on(s, g->id, date, buf, NULL))
		buf[0] = '\0';
	return buf;
}

json_t *cli_govdebt_json(xy_store *s, const xy_govdebt_row *g, const char *date)
{
	char st[16];
	json_t *h = json_array();
	xy_store_govdebt_history(s, g->id, hist_json, h, NULL);
	status_on(s, g, date, st);
	return json_pack("{s:I,s:s,s:s,s:s,s:o,s:o,s:s,s:o,s:s,s:s,s:o,s:o,s:b,s:o}", "id",
			 (json_int_t)g->id, "body", g->body_code, "body_name", g->body_name,
			 "district", g->unit, "creditor", cli_opt_str(g->creditor_code),
			 "creditor_name", cli_opt_str(g->creditor_name), "case_type", g->case_type,
			 "amount", cli_opt_str(g->amount), "source", g->source, "date",
			 g->registered_on, "note", cli_opt_str(g->note), "status",
			 cli_opt_str(st), "open", xy_govdebt_open_on(g, date), "history", h);
}

void cli_govdebt_print(xy_store *s, const xy_govdebt_row *g, const char *date, bool history,
		       bool internal)
{
	char st[16];
	status_on(s, g, date, st);
	printf("%-5lld ", (long long)g->id);
	cli_pad(stdout, st[0] ? st : "未登记", 8);
	printf(" %s  %s %s\n      %s  %s  登记 %s%s%s%s\n", g->case_type, g->body_code,
	       g->body_name, g->unit, g->source, g->registered_on,
	       internal && g->amount[0] ? "  金额 " : "", internal ? g->amount : "",
	       internal && g->amount[0] ? "万元" : "");
	if (internal && g->creditor_name[0])
		printf("      债权人 %s %s\n", g->creditor_code, g->creditor_name);
	if (history)
		xy_store_govdebt_history(s, g->id, hist_print, NULL, NULL);
}

static int date_opt(cli *c, const char *in, char d[11])
{
	if (!in) {
		xy_date_today(d);
		return 0;
	}
	if (xy_date_parse(in, d))
		return cli_usage_error(c, &cmd_govdebt, "'%s' is not a date", in);
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
	xy_govdebt_in in;
	xy_govdebt_row *g;
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
		default: return cli_usage_error(c, &cmd_govdebt, "bad option");
		}
	}
	if (optind != argc || !in.body || !in.district || !in.case_type || !in.source)
		return cli_usage_error(c, &cmd_govdebt,
				       "gov-dishonesty add needs --body, --district, --case-type and "
				       "--source");
	if (cli_open_store(c))
		return EXIT_FAIL;
	if (!(g = calloc(1, sizeof *g)))
		return EXIT_FAIL;
	if (xy_govdebt_add(c->store, &c->reg, c->config, &in, g, &err))
		rc = cli_error(c, &err);
	else if (c->json)
		cli_print_json(cli_govdebt_json(c->store, g, g->registered_on));
	else
		cli_govdebt_print(c->store, g, g->registered_on, false, true);
	xy_govdebt_row_release(g);
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
	xy_govdebt_row *g;
	char *end;
	long long id;
	int o, rc = EXIT_OK;
	optind = 1;
	while ((o = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (o) {
		case 's': status = optarg; break;
		case 'd': date = optarg; break;
		case 'e': evidence = optarg; break;
		default: return cli_usage_error(c, &cmd_govdebt, "bad option");
		}
	}
	if (optind + 1 != argc || !status)
		return cli_usage_error(c, &cmd_govdebt, "gov-dishonesty update needs ID and --status");
	id = strtoll(argv[optind], &end, 10);
	if (*end || id <= 0)
		return cli_usage_error(c, &cmd_govdebt, "'%s' is not an entry number", argv[optind]);
	if (cli_open_store(c))
		return EXIT_FAIL;
	if (xy_govdebt_update(c->store, id, status, date, evidence, &err))
		return cli_error(c, &err);
	if (!(g = calloc(1, sizeof *g)))
		return EXIT_FAIL;
	if (xy_store_govdebt_get(c->store, id, g, &err))
		rc = cli_error(c, &err);
	else if (c->json)
		cli_print_json(cli_govdebt_json(c->store, g, g->status_on));
	else
		cli_govdebt_print(c->store, g, g->status_on, true, true);
	xy_govdebt_row_release(g);
	free(g);
	return rc;
}

struct listing {
	cli *c;
	const char *date;
	bool all;
	json_t *arr;
	size_t n;
};

static int on_entry(void *ctx, const xy_govdebt_row *g)
{
	struct listing *l = ctx;
	if (strcmp(g->registered_on, l->date) > 0 || (!l->all && !xy_govdebt_open_on(g, l->date)))
		return 0;
	l->n++;
	if (l->c->json)
		json_array_append_new(l->arr, cli_govdebt_json(l->c->store, g, l->date));
	else
		cli_govdebt_print(l->c->store, g, l->date, false, true);
	return 0;
}

struct count_row {
	json_t *obj;
	const xy_registry *reg;
};

static int count_cb(void *ctx, int64_t unit_id, long long n)
{
	struct count_row *r = ctx;
	const xy_unit *u = xy_registry_unit_by_id(r->reg, unit_id);
	json_object_set_new(r->obj, u ? u->name : "?", json_integer(n));
	return 0;
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
	const xy_unit *u = NULL;
	struct listing l;
	struct count_row cr;
	xy_error err = XY_ERROR_INIT;
	char d[11];
	int o;
	memset(&l, 0, sizeof l);
	optind = 1;
	while ((o = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (o) {
		case 'D': district = optarg; break;
		case 'a': asof = optarg; break;
		case 'A': l.all = true; break;
		default: return cli_usage_error(c, &cmd_govdebt, "bad option");
		}
	}
	if (optind != argc)
		return cli_usage_error(c, &cmd_govdebt, "gov-dishonesty list takes no arguments");
	if (date_opt(c, asof, d))
		return EXIT_USAGE;
	if (cli_open_store(c))
		return EXIT_FAIL;
	if (district && !(u = xy_registry_unit(&c->reg, district))) {
		xy_error_at(&err, XY_ERR_NOTFOUND, NULL, 0, "district",
			    "unknown unit '%s' (units.tsv)", district);
		return cli_error(c, &err);
	}
	l.c = c;
	l.date = d;
	l.arr = json_array();
	if (!c->json)
		printf("政府失信 as of %s%s\n", d, l.all ? " (all entries)" : " (未治理 and 治理中)");
	if (xy_store_govdebts(c->store, u ? u->id : 0, on_entry, &l, &err)) {
		json_decref(l.arr);
		return cli_error(c, &err);
	}
	cr.obj = json_object();
	cr.reg = &c->reg;
	if (xy_govdebt_open_counts(c->store, d, count_cb, &cr, &err)) {
		json_decref(l.arr);
		json_decref(cr.obj);
		return cli_error(c, &err);
	}
	if (c->json) {
		cli_print_json(json_pack("{s:s,s:o,s:o}", "as_of", d, "open_by_district", cr.obj,
					 "entries", l.arr));
	} else {
		const char *k;
		json_t *v;
		json_decref(l.arr);
		if (!l.n)
			printf("  无\n");
		printf("未治理 by district:");
		json_object_foreach(cr.obj, k, v)
			printf("  %s %lld", k, (long long)json_integer_value(v));
		printf("%s\n", json_object_size(cr.obj) ? "" : "  无");
		json_decref(cr.obj);
	}
	return EXIT_OK;
}

static int show(cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "as-of", required_argument, NULL, 'a' },
		{ NULL, 0, NULL, 0 },
	};
	const char *asof = NULL;
	xy_error err = XY_ERROR_INIT;
	xy_govdebt_row *g;
	char d[11], *end;
	long long id;
	int o, rc = EXIT_OK;
	optind = 1;
	while ((o = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (o == 'a')
			asof = optarg;
		else
			return cli_usage_error(c, &cmd_govdebt, "bad option");
	}
	if (optind + 1 != argc)
		return cli_usage_error(c, &cmd_govdebt, "gov-dishonesty show needs ID");
	id = strtoll(argv[optind], &end, 10);
	if (*end || id <= 0)
		return cli_usage_error(c, &cmd_govdebt, "'%s' is not an entry number", argv[optind]);
	if (date_opt(c, asof, d))
		return EXIT_USAGE;
	if (cli_open_store(c))
		return EXIT_FAIL;
	if (!(g = calloc(1, sizeof *g)))
		return EXIT_FAIL;
	if (xy_store_govdebt_get(c->store, id, g, &err))
		rc = cli_error(c, &err);
	else if (c->json)
		cli_print_json(cli_govdebt_json(c->store, g, d));
	else
		cli_govdebt_print(c->store, g, d, true, true);
	xy_govdebt_row_release(g);
	free(g);
	return rc;
}

static int run(cli *c, int argc, char **argv)
{
	if (argc < 2)
		return cli_usage_error(c, &cmd_govdebt, "give add, update, list or show");
	if (!strcmp(argv[1], "add"))
		return add(c, argc - 1, argv + 1);
	if (!strcmp(argv[1], "update"))
		return update(c, argc - 1, argv + 1);
	if (!strcmp(argv[1], "list"))
		return list(c, argc - 1, argv + 1);
	if (!strcmp(argv[1], "show"))
		return show(c, argc - 1, argv + 1);
	return cli_usage_error(c, &cmd_govdebt, "'%s' is not add, update, list or show", argv[1]);
}

const command cmd_govdebt = {
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
