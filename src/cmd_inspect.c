/* xinyong inspect: 双随机、一公开 — plans, verifiable draws, results, export
 * and the per-grade report (inspect.h, docs/inspection.md). */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "xinyong/credit.h"
#include "xinyong/inspect.h"

static int parse_id(cli *c, const char *s, const char *what, int64_t *id)
{
	long long v;
	if (!s || cli_parse_id(s, &v))
		return cli_usage_error(c, &cmd_inspect, "%s '%s' is not a positive number", what,
				       s ? s : "");
	*id = v;
	return 0;
}

static int show_plan(void *ctx, const xy_inspect_plan_row *r)
{
	cli *c = ctx;
	(void)c;
	{
		printf("计划 %lld  %s  %s\nSHA-256 %s\n登记于 %s\n%s\n", (long long)r->id, r->unit, r->name,
		       r->digest, r->created_at, r->text);
	}
	return 0;
}

static int verify_out(cli *c, xy_code rc, const xy_error *err, const xy_buf *why)
{
	if (rc && rc != XY_ERR_INVALID)
		return cli_error(c, err);
	if (c->json) {
		json_t *v = json_pack("{s:b, s:s}", "ok", !rc, "differences", why->data);
		if (cli_print_json(v)) /* (it releases v) */
			return EXIT_FAIL;
	} else if (!rc) {
		printf("一致：按公开输入重算的抽取结果与记录逐字节相同\n");
	} else {
		printf("不一致：%s\n%s", err->msg, why->data);
	}
	return rc ? EXIT_FAIL : EXIT_OK;
}

static void print_report(const cli *c, json_t *v)
{
	json_t *p, *g;
	size_t i, j;
	(void)c;
	json_array_foreach(json_object_get(v, "plans"), i, p) {
		printf("计划 %lld %s（%s，抽取 %lld 次）\n", (long long)json_integer_value(json_object_get(p, "id")),
		       cli_str(p, "name"), cli_str(p, "unit"),
		       (long long)json_integer_value(json_object_get(p, "draws")));
		printf("  等级  范围内  抽中  已检查  发现问题  抽中比例\n");
		json_array_foreach(json_object_get(p, "grades"), j, g)
			printf("  %-4s %7lld %5lld %7lld %9lld %8.1f%%\n", cli_str(g, "grade"),
			       (long long)json_integer_value(json_object_get(g, "in_scope")),
			       (long long)json_integer_value(json_object_get(g, "drawn")),
			       (long long)json_integer_value(json_object_get(g, "inspected")),
			       (long long)json_integer_value(json_object_get(g, "problems")),
			       100 * json_number_value(json_object_get(g, "drawn_rate")));
	}
	json_array_foreach(json_object_get(v, "units"), i, p) {
		printf("单位 %s\n  等级  范围内  抽中  已检查  发现问题\n", cli_str(p, "unit"));
		json_array_foreach(json_object_get(p, "grades"), j, g)
			printf("  %-4s %7lld %5lld %7lld %9lld\n", cli_str(g, "grade"),
			       (long long)json_integer_value(json_object_get(g, "in_scope")),
			       (long long)json_integer_value(json_object_get(g, "drawn")),
			       (long long)json_integer_value(json_object_get(g, "inspected")),
			       (long long)json_integer_value(json_object_get(g, "problems")));
	}
}

static int run(cli *c, int argc, char **argv)
{
	xy_error err = XY_ERROR_INIT;
	xy_buf why = XY_BUF_INIT;
	const char *sub = argc > 1 ? argv[1] : "";
	const char *random = NULL, *subjects = NULL, *penalty = NULL, *inputs = NULL, *dir = NULL;
	static const struct option opts[] = {
		{ "random", required_argument, NULL, 'r' }, { "subjects", required_argument, NULL, 's' },
		{ "penalty", required_argument, NULL, 'p' }, { "inputs", required_argument, NULL, 'i' },
		{ "dir", required_argument, NULL, 'd' },     { NULL, 0, NULL, 0 },
	};
	xy_credit cr;
	int64_t id = 0, id2 = 0;
	xy_code rc;
	int o, ret;
	argc--, argv++;
	optind = 1;
	while ((o = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (o) {
		case 'r': random = optarg; break;
		case 's': subjects = optarg; break;
		case 'p': penalty = optarg; break;
		case 'i': inputs = optarg; break;
		case 'd': dir = optarg; break;
		default: return cli_usage_error(c, &cmd_inspect, "bad option");
		}
	}
	argc -= optind, argv += optind;
	if (!strcmp(sub, "verify") && inputs) {
		/* no database: the published bundle alone */
		rc = xy_inspect_verify_dir(inputs, &why, &err);
		ret = verify_out(c, rc, &err, &why);
		xy_buf_release(&why);
		return ret;
	}
	if ((!strcmp(sub, "plan") && argc == 1 && !strcmp(argv[0], "list")) ||
	    (!strcmp(sub, "draws") && argc == 0) || (!strcmp(sub, "show") && argc == 1)) {
		/* the views the server answers (GET /api/v1/inspection-plans, -draws[/{id}]) */
		json_t *v = NULL;
		if ((!strcmp(sub, "show") && parse_id(c, argv[0], "DRAW", &id)) || cli_open_store(c))
			return EXIT_FAIL;
		rc = !strcmp(sub, "plan")    ? xy_inspect_view_plan(c->store, 0, &v, &err)
		     : !strcmp(sub, "draws") ? xy_inspect_view_draws(c->store, &v, &err)
					     : xy_inspect_view_draw(c->store, id, &v, &err);
		if (rc)
			return cli_error(c, &err);
		if (cli_print_json(v)) /* (it releases v) */
			return EXIT_FAIL;
		return EXIT_OK;
	}
	if (!strcmp(sub, "plan") && argc == 2 && !strcmp(argv[0], "show")) {
		if (parse_id(c, argv[1], "PLAN", &id) || cli_open_store(c))
			return EXIT_FAIL;
		if (c->json) {
			json_t *v = NULL;
			if (xy_inspect_view_plan(c->store, id, &v, &err))
				return cli_error(c, &err);
			if (cli_print_json(v)) /* (it releases v) */
				return EXIT_FAIL;
			return EXIT_OK;
		}
		return xy_store_inspect_plans(c->store, id, show_plan, c, &err) ? cli_error(c, &err)
										  : EXIT_OK;
	}
	if (!strcmp(sub, "report")) {
		json_t *v = NULL;
		if ((argc == 1 && parse_id(c, argv[0], "PLAN", &id)) || argc > 1)
			return argc > 1 ? cli_usage_error(c, &cmd_inspect, "report [PLAN]") : EXIT_USAGE;
		if (cli_open_store(c))
			return EXIT_FAIL;
		rc = xy_inspect_report(c->store, id, &v, &err);
		return cli_render(c, rc, &err, v, print_report);
	}
	if (!strcmp(sub, "verify")) {
		if (argc != 1 || parse_id(c, argv[0], "DRAW", &id) || cli_open_store(c))
			return argc != 1 ? cli_usage_error(c, &cmd_inspect, "verify DRAW | --inputs DIR")
					 : EXIT_FAIL;
		rc = xy_inspect_verify(c->store, id, &why, &err);
		ret = verify_out(c, rc, &err, &why);
		xy_buf_release(&why);
		return ret;
	}
	if (!strcmp(sub, "export")) {
		if (argc != 1 || !dir || parse_id(c, argv[0], "DRAW", &id))
			return cli_usage_error(c, &cmd_inspect, "export DRAW --dir DIR");
		if (cli_open_store(c))
			return EXIT_FAIL;
		if (xy_inspect_export(c->store, id, dir, &err))
			return cli_error(c, &err);
		if (!c->json)
			printf("已导出到 %s：plan.json population.tsv random.txt draw.txt draw.csv results.csv\n",
			       dir);
		return EXIT_OK;
	}
	if (strcmp(sub, "plan") && strcmp(sub, "draw") && strcmp(sub, "result"))
		return cli_usage_error(c, &cmd_inspect, "unknown subcommand '%s'", sub);
	if (!strcmp(sub, "plan") && (argc != 2 || strcmp(argv[0], "add")))
		return cli_usage_error(c, &cmd_inspect, "plan add FILE | plan show PLAN");
	if (!strcmp(sub, "draw") && (argc != 1 || !random || !subjects || parse_id(c, argv[0], "PLAN", &id)))
		return cli_usage_error(c, &cmd_inspect, "draw PLAN --subjects FILE --random VALUE");
	if (!strcmp(sub, "result") && (argc != 3 || parse_id(c, argv[0], "DRAW", &id2)))
		return cli_usage_error(c, &cmd_inspect,
				       "result DRAW SUBJECT 未发现问题|责令整改|立案查处 [--penalty FILE]");
	if (cli_open_credit(c, &cr))
		return EXIT_FAIL;
	if (!strcmp(sub, "plan"))
		rc = xy_inspect_plan_add(&cr, argv[1], &id, &err);
	else if (!strcmp(sub, "draw"))
		rc = xy_inspect_draw(&cr, id, subjects, random, &id2, &err);
	else
		rc = xy_inspect_result(&cr, id2, argv[1], argv[2], penalty, &err);
	xy_credit_release(&cr);
	if (rc)
		return cli_error(c, &err);
	if (!strcmp(sub, "plan"))
		printf(c->json ? "{\"plan\": %lld}\n" : "检查计划 %lld 已登记\n", (long long)id);
	else if (!strcmp(sub, "draw"))
		printf(c->json ? "{\"draw\": %lld}\n" : "抽取 %lld 已完成并记录（inspect verify %lld 可复核）\n",
		       (long long)id2, (long long)id2);
	else
		printf(c->json ? "{\"ok\": true}\n" : "检查结果已登记\n");
	return EXIT_OK;
}

const command cmd_inspect = {
	"inspect", run,
	"plan add FILE | plan show PLAN | plan list | draws | show DRAW | draw PLAN --subjects FILE --random VALUE | verify DRAW |"
	" verify --inputs DIR | result DRAW SUBJECT OUTCOME [--penalty FILE] | export DRAW --dir DIR |"
	" report [PLAN]",
	"双随机、一公开: inspection plans, verifiable draws, results and reports",
	"plan add FILE: register a plan (JSON, docs/inspection.md); plan show PLAN;\n"
	"  plan list.  draws: the published draws; show DRAW: one draw's targets\n"
	"  (codes in public form), team sizes and results (JSON, as the API).\n"
	"draw PLAN --subjects FILE --random VALUE: the population snapshot from the\n"
	"  subjects file (TSV: 主体代码 [等级 类别 行业 区域 重点]; no 等级 → the latest\n"
	"  grade run's, never graded → B), the\n"
	"  public random value announced before the draw; stored, immutable, audited.\n"
	"verify DRAW: recompute from the published inputs and compare byte for byte;\n"
	"  verify --inputs DIR: the same from an exported bundle, without the database.\n"
	"  Exit 0 when identical, 1 naming what differs.\n"
	"result DRAW SUBJECT 未发现问题|责令整改|立案查处|未检查 [--penalty FILE]: the\n"
	"  result (一公开); a penalty file is imported as 行政处罚 of the plan's unit.\n"
	"export DRAW --dir DIR: plan.json population.tsv random.txt draw.txt draw.csv\n"
	"  results.csv.\n"
	"report [PLAN]: per plan and unit, by grade: in scope, drawn, inspected, problems.\n",
	NULL,
};
