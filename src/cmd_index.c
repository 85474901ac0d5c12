/* xinyong index: the city's monthly credit monitoring figures (城市信用监测). */
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "xinyong/chart.h"
#include "xinyong/index.h"
#include "xinyong/views.h"

/* Month options (--from/--to) are normalised like the figures' months. */
static int month_opt(cli *c, const char *name, const char *arg, char out[8])
{
	xy_city_index v;
	xy_error err = XY_ERROR_INIT;
	if (xy_city_index_parse(arg, "0", "1", &v, &err))
		return cli_usage_error(c, &cmd_index, "%s must be a month YYYY-MM, not '%s'", name,
				       arg);
	memcpy(out, v.month, 8);
	return 0;
}

static int load(cli *c, const char *from, const char *to, xy_city_index **v, size_t *n)
{
	xy_error err = XY_ERROR_INIT;
	if (cli_open_store(c))
		return EXIT_FAIL;
	if (xy_store_index_list(c->store, v, n, &err))
		return cli_error(c, &err);
	*n = xy_city_index_range(*v, *n, from, to);
	return 0;
}

/* Options --from, --to and (for chart) -o of argv[1..]; the rest stay as
 * positional arguments in pos. */
static int range_opts(cli *c, int argc, char **argv, char from[8], char to[8],
		      const char **output)
{
	static const struct option opts[] = { { "from", required_argument, NULL, 'f' },
					      { "to", required_argument, NULL, 't' },
					      { "output", required_argument, NULL, 'o' },
					      { NULL, 0, NULL, 0 } };
	int o;
	from[0] = to[0] = '\0';
	optind = 1;
	while ((o = getopt_long(argc, argv, "o:", opts, NULL)) != -1) {
		if (o == 'f' && month_opt(c, "--from", optarg, from))
			return -1;
		else if (o == 't' && month_opt(c, "--to", optarg, to))
			return -1;
		else if (o == 'o' && output)
			*output = optarg;
		else if (o == '?' || (o == 'o' && !output)) {
			cli_usage_error(c, &cmd_index, "unknown option for 'index %s'", argv[0]);
			return -1;
		}
	}
	if (from[0] && to[0] && strcmp(from, to) > 0) {
		cli_usage_error(c, &cmd_index, "--from %s is after --to %s", from, to);
		return -1;
	}
	return 0;
}

static int do_add(cli *c, int argc, char **argv)
{
	xy_city_index v;
	xy_error err = XY_ERROR_INIT;
	xy_buf who = XY_BUF_INIT;
	xy_code rc;
	char m[8];
	if (argc != 4)
		return cli_usage_error(c, &cmd_index, "index add needs MONTH SCORE RANK");
	if (xy_city_index_parse(argv[1], argv[2], argv[3], &v, &err))
		return cli_error(c, &err);
	if (cli_open_store(c) || cli_admin(c, &who))
		return EXIT_FAIL;
	rc = xy_city_index_put(c->store, who.data, &v, &err);
	xy_buf_release(&who);
	if (rc)
		return cli_error(c, &err);
	xy_city_index_month_label(v.month, m);
	if (c->json)
		cli_print_json(json_pack("{s:s,s:f,s:i}", "month", v.month, "score", v.score,
					 "rank", v.rank));
	else
		printf("%s  综合指数 %.2f  排名 %d\n", m, v.score, v.rank);
	return EXIT_OK;
}

static int do_import(cli *c, int argc, char **argv)
{
	xy_city_index *v = NULL;
	size_t n = 0;
	xy_error err = XY_ERROR_INIT;
	xy_buf who = XY_BUF_INIT;
	if (argc != 2)
		return cli_usage_error(c, &cmd_index, "index import needs one TSV file");
	if (xy_city_index_read_tsv(argv[1], &v, &n, &err))
		return cli_error(c, &err);
	if (cli_open_store(c) || cli_admin(c, &who)) {
		free(v);
		return EXIT_FAIL;
	}
	if (xy_store_begin(c->store, false, &err))
		goto fail;
	for (size_t i = 0; i < n; i++)
		if (xy_city_index_put(c->store, who.data, &v[i], &err)) {
			xy_store_rollback(c->store, NULL);
			goto fail;
		}
	if (xy_store_commit(c->store, &err))
		goto fail;
	if (c->json)
		cli_print_json(json_pack("{s:s,s:i,s:s?,s:s?}", "file", argv[1], "months", (int)n,
					 "from", n ? v[0].month : NULL, "to",
					 n ? v[n - 1].month : NULL));
	else if (n)
		printf("%s: %zu months, %s … %s\n", argv[1], n, v[0].month, v[n - 1].month);
	else
		printf("%s: no months\n", argv[1]);
	free(v);
	xy_buf_release(&who);
	return EXIT_OK;
fail:
	free(v);
	xy_buf_release(&who);
	return cli_error(c, &err);
}

static int do_show(cli *c, int argc, char **argv)
{
	char from[8], to[8];
	xy_city_index *v = NULL;
	size_t n = 0;
	if (range_opts(c, argc, argv, from, to, NULL))
		return EXIT_USAGE;
	if (optind < argc)
		return cli_usage_error(c, &cmd_index, "index show takes no arguments");
	if (load(c, from[0] ? from : NULL, to[0] ? to : NULL, &v, &n))
		return EXIT_FAIL;
	if (c->json) {
		xy_error err = XY_ERROR_INIT;
		json_t *o = NULL;
		char *txt;
		free(v);
		if (xy_view_index(c->store, from[0] ? from : NULL, to[0] ? to : NULL, &o, &err))
			return cli_error(c, &err);
		/* two decimals, as the figures have */
		txt = json_dumps(o, JSON_COMPACT | JSON_REAL_PRECISION(12));
		json_decref(o);
		if (!txt)
			return cli_print_json(NULL), EXIT_FAIL;
		puts(txt);
		free(txt);
		return EXIT_OK;
	}
	if (!n) {
		printf("no index figures%s: add a month with 'xinyong index add 2019-08 82.43 57'\n"
		       "or load a table with 'xinyong index import FILE.tsv'\n",
		       from[0] || to[0] ? " in that range" : " yet");
		free(v);
		return EXIT_OK;
	}
	printf("城市信用监测  综合指数与全国排名\n\n");
	cli_pad(stdout, "月份", 9);
	cli_pad(stdout, "综合指数", 10);
	cli_pad(stdout, "排名", 6);
	cli_pad(stdout, "指数变化", 10);
	printf("排名变化\n");
	for (size_t i = 0; i < n; i++) {
		char m[8];
		xy_city_index_month_label(v[i].month, m);
		printf("%-9s%8.2f  %4d  ", m, v[i].score, v[i].rank);
		if (!i) {
			printf("\n");
			continue;
		}
		printf("%+8.2f  ", v[i].score - v[i - 1].score);
		if (v[i].rank < v[i - 1].rank)
			printf("↑%d\n", v[i - 1].rank - v[i].rank);
		else if (v[i].rank > v[i - 1].rank)
			printf("↓%d\n", v[i].rank - v[i - 1].rank);
		else
			printf("—\n");
	}
	if (n > 1) {
		char a[8], b[8];
		int d = v[0].rank - v[n - 1].rank;
		xy_city_index_month_label(v[0].month, a);
		xy_city_index_month_label(v[n - 1].month, b);
		printf("\n%s → %s：综合指数 %.2f → %.2f（%+.2f），排名 %d → %d（%s %d 位）\n", a, b,
		       v[0].score, v[n - 1].score, v[n - 1].score - v[0].score, v[0].rank,
		       v[n - 1].rank, d > 0 ? "上升" : d < 0 ? "下降" : "持平", abs(d));
	}
	free(v);
	return EXIT_OK;
}

static int do_chart(cli *c, int argc, char **argv)
{
	char from[8], to[8];
	const char *output = NULL;
	xy_city_index *v = NULL;
	size_t n = 0;
	xy_error err = XY_ERROR_INIT;
	if (range_opts(c, argc, argv, from, to, &output))
		return EXIT_USAGE;
	if (!output)
		return cli_usage_error(c, &cmd_index, "index chart needs -o FILE.svg|FILE.png");
	if (optind < argc)
		return cli_usage_error(c, &cmd_index, "index chart takes no arguments");
	if (load(c, from[0] ? from : NULL, to[0] ? to : NULL, &v, &n))
		return EXIT_FAIL;
	if (xy_chart_save(v, n, output, &err)) {
		free(v);
		xy_chart_fonts_release();
		return cli_error(c, &err);
	}
	xy_chart_fonts_release();
	if (c->json)
		cli_print_json(json_pack("{s:s,s:i}", "file", output, "months", (int)n));
	else
		printf("%s: %zu months, %s … %s\n", output, n, v[0].month, v[n - 1].month);
	free(v);
	return EXIT_OK;
}

static int run(cli *c, int argc, char **argv)
{
	const char *sub = argc > 1 ? argv[1] : "show";
	int sargc = argc > 1 ? argc - 1 : 1;
	char **sargv = argc > 1 ? argv + 1 : argv;
	if (argc > 1 && argv[1][0] == '-') { /* 'index --from …' means show */
		sub = "show";
		sargc = argc;
		sargv = argv;
	}
	if (strcmp(sub, "add") == 0)
		return do_add(c, sargc, sargv);
	if (strcmp(sub, "show") == 0)
		return do_show(c, sargc, sargv);
	if (strcmp(sub, "chart") == 0)
		return do_chart(c, sargc, sargv);
	if (strcmp(sub, "import") == 0)
		return do_import(c, sargc, sargv);
	return cli_usage_error(c, &cmd_index, "unknown subcommand '%s'", sub);
}

const command cmd_index = {
	"index", run,
	"add MONTH SCORE RANK | import FILE.tsv | show [--from M] [--to M] | "
	"chart -o FILE.svg|.png [--from M] [--to M]",
	"the city's monthly credit index and national rank (城市信用监测)",
	"  add MONTH SCORE RANK   store a month's 综合指数 (0–100) and national rank (>= 1);\n"
	"                         adding a month again replaces it.  MONTH: 2019-08 or 2019.08\n"
	"  import FILE.tsv        load a table with the columns 月份, 综合指数, 排名\n"
	"                         (as the bulletin prints it; data/samples/city-index-2019.tsv)\n"
	"  show                   the months with their changes and the trend over the range;\n"
	"                         --format json gives months[] (rank_change > 0: moved up) and trend\n"
	"  chart -o FILE          draw index and rank (rank axis inverted) as .svg, .png or .pdf\n"
	"  --from M, --to M       limit show and chart to a range of months\n",
};
