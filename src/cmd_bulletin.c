/* xinyong bulletin: the monthly 工作简报 as HTML, PDF or XLSX. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "xinyong/bulletin.h"
#include "xinyong/chart.h"
#include "xinyong/views.h"

static int run(cli *c, int argc, char **argv)
{
	static const struct option opts[] = { { "issue", required_argument, NULL, 'i' },
					      { "date", required_argument, NULL, 'd' },
					      { "articles", required_argument, NULL, 'a' },
					      { "output", required_argument, NULL, 'o' },
					      { "from", required_argument, NULL, 'f' },
					      { "to", required_argument, NULL, 't' },
					      { NULL, 0, NULL, 0 } };
	xy_bulletin_opts o;
	xy_bulletin *b = NULL;
	xy_error err = XY_ERROR_INIT;
	const char *output = NULL;
	xy_buf who __attribute__((cleanup(xy_buf_release))) = XY_BUF_INIT;
	char *end;
	xy_code rc;
	int opt;

	memset(&o, 0, sizeof o);
	while ((opt = getopt_long(argc, argv, "i:d:a:o:", opts, NULL)) != -1) {
		switch (opt) {
		case 'i':
			o.issue = (int)strtol(optarg, &end, 10);
			if (*end || o.issue < 1)
				return cli_usage_error(c, &cmd_bulletin,
						       "--issue must be a number >= 1, not '%s'", optarg);
			break;
		case 'd': o.date = optarg; break;
		case 'a': o.articles = optarg; break;
		case 'o': output = optarg; break;
		case 'f': o.from = optarg; break;
		case 't': o.to = optarg; break;
		default: return cli_usage_error(c, &cmd_bulletin, "unknown option");
		}
	}
	if (optind < argc)
		return cli_usage_error(c, &cmd_bulletin, "unexpected argument '%s'", argv[optind]);
	if (!o.issue || !o.date || !output)
		return cli_usage_error(c, &cmd_bulletin, "--issue, --date and -o are required");
	o.config_dir = c->config;
	if (cli_open_store(c) || cli_admin(c, &who))
		return EXIT_FAIL;
	/* a bad date, range or file extension is a usage error (exit 2) */
	if (xy_bulletin_build(c->store, &c->reg, &o, &b, &err))
		return err.code == XY_ERR_ARG ? (cli_error(c, &err), EXIT_USAGE) : cli_error(c, &err);
	rc = xy_bulletin_publish(c->store, who.data, b, output, &err); /* audited */
	xy_chart_fonts_release();
	if (rc) {
		xy_bulletin_free(b);
		return err.code == XY_ERR_ARG ? (cli_error(c, &err), EXIT_USAGE) : cli_error(c, &err);
	}
	if (c->json) {
		json_t *v = NULL;
		if (xy_view_bulletin(b, output, &v, &err)) {
			xy_bulletin_free(b);
			return cli_error(c, &err);
		}
		cli_print_json(v);
	} else {
		printf("%s: 第%d期 %s, %zu articles, ranking %zu months, statistics %s … %s\n",
		       output, b->issue, b->date, b->narticles, b->nindex, b->from, b->to);
	}
	xy_bulletin_free(b);
	return EXIT_OK;
}

const command cmd_bulletin = {
	"bulletin", run,
	"--issue N --date YYYY-MM-DD [--articles DIR] [--from YYYY-MM] [--to YYYY-MM] "
	"-o FILE.html|.pdf|.xlsx",
	"the monthly bulletin (工作简报): ranking, articles, 情况通报 and statistics tables",
	"  --issue N          期数 printed in the masthead (第N期)\n"
	"  --date DATE        the bulletin's date; the ranking shows the twelve months up\n"
	"                     to its month\n"
	"  --articles DIR     Markdown articles: DIR/<栏目>/*.md or files starting with a line\n"
	"                     'section: 工作推进' (see docs/bulletin.md)\n"
	"  --from, --to       statistics range (default: January of the date's year to its month)\n"
	"  -o FILE            .html (self-contained, chart inline), .pdf (A4) or .xlsx (the two\n"
	"                     statistics tables)\n"
	"The masthead, office and the 报/送/编辑/审核 footer come from bulletin.tsv in the\n"
	"configuration directory (data/bulletin.tsv).\n",
};

/* Read by LeakSanitizer only (sanitizer builds).  cairo 1.16 leaks 1.5 KB
 * of its own when it finishes a PDF surface that embeds font subsets; it
 * is not ours to free.  Debian's libcairo has no frame pointers, so the
 * fast unwinder's stack is often just "libcairo.so.2": match that too (the
 * unit tests, without this, still see leaks of cairo objects we own). */
const char *__lsan_default_suppressions(void);
const char *__lsan_default_suppressions(void)
{
	return "leak:cairo_surface_finish\nleak:libcairo.so.2\n";
}
