/* xinyong publicity licensing|penalties: the 双公示 feeds (行政许可 / 行政处罚
 * 公示), built by xy_view_feed — the JSON of GET /api/v1/licensing and
 * /api/v1/penalties. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "xinyong/date.h"
#include "xinyong/views.h"

static void print_feed(const cli *c, json_t *v)
{
	json_t *it;
	size_t i;
	(void)c;
	printf("%s 公示 %s … %s (as of %s)\n", cli_str(v, "category"),
	       json_is_string(json_object_get(v, "from")) ? cli_str(v, "from") : "",
	       json_is_string(json_object_get(v, "to")) ? cli_str(v, "to") : "",
	       cli_str(v, "as_of"));
	json_array_foreach(json_object_get(v, "items"), i, it) {
		json_t *s = json_object_get(it, "subject");
		printf("  %s  %-20s %s  %s  [%s] %s\n", cli_str(it, "decided_on"), cli_str(s, "code"),
		       cli_str(s, "name"), cli_str(it, "unit"), cli_str(it, "display"),
		       cli_str(it, "key"));
	}
	if (json_is_string(json_object_get(v, "next")))
		printf("next page: --after %s\n", cli_str(v, "next"));
}

static int run(cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "from", required_argument, NULL, 'f' }, { "to", required_argument, NULL, 't' },
		{ "unit", required_argument, NULL, 'u' }, { "kind", required_argument, NULL, 'k' },
		{ "after", required_argument, NULL, 'A' }, { "limit", required_argument, NULL, 'l' },
		{ "as-of", required_argument, NULL, 'a' }, { "public", no_argument, NULL, 'p' },
		{ NULL, 0, NULL, 0 },
	};
	const char *sub = argc >= 2 ? argv[1] : "";
	xy_feed_opts f = { NULL, NULL, NULL, NULL, NULL };
	xy_view_opts vo = { false, NULL };
	xy_view_page pg = { NULL, 0, false };
	xy_error err = XY_ERROR_INIT;
	xy_credit cr;
	xy_repairs rp;
	json_t *v = NULL;
	char asof[11];
	int o, rc;
	if (!strcmp(sub, "licensing"))
		f.category = "行政许可";
	else if (!strcmp(sub, "penalties"))
		f.category = "行政处罚";
	else
		return cli_usage_error(c, &cmd_publicity, "give licensing or penalties");
	optind = 2;
	while ((o = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (o) {
		case 'f': f.from = optarg; break;
		case 't': f.to = optarg; break;
		case 'u': f.unit = optarg; break;
		case 'k': f.kind = optarg; break;
		case 'A': pg.after = optarg; break;
		case 'l':
			if (cli_parse_limit(optarg, &pg.limit))
				return cli_usage_error(c, &cmd_publicity, "--limit is 1 to 100, not '%s'",
						       optarg);
			break;
		case 'a':
			if (xy_date_parse(optarg, asof))
				return cli_usage_error(c, &cmd_publicity, "--as-of '%s' is not a date",
						       optarg);
			vo.asof = asof;
			break;
		case 'p': vo.public_view = true; break;
		default: return cli_usage_error(c, &cmd_publicity, "bad option");
		}
	}
	if (optind != argc)
		return cli_usage_error(c, &cmd_publicity, "publicity %s takes no arguments", sub);
	if (cli_open_credit(c, &cr))
		return EXIT_FAIL;
	if (xy_repairs_open(&rp, &cr, c->config, &err)) {
		xy_credit_release(&cr);
		return cli_error(c, &err);
	}
	rc = xy_view_feed(&rp, &f, &vo, &pg, &v, &err);
	rc = cli_render(c, (xy_code)rc, &err, v, print_feed);
	xy_repairs_release(&rp);
	xy_credit_release(&cr);
	return rc;
}

const command cmd_publicity = {
	"publicity",
	run,
	"licensing|penalties [--from D] [--to D] [--unit U] [--kind K] [--after C] [--limit N]\n"
	"       [--as-of D] [--public]",
	"双公示: 行政许可 / 行政处罚 decided in a date range, newest first, a page at a time",
	"  publicity licensing   行政许可 records decided from --from to --to (inclusive; open\n"
	"                        when not given), newest decision first\n"
	"  publicity penalties   the same for 行政处罚\n"
	"  --unit U   one reporting unit's; --kind legal|person|individual: one subject kind\n"
	"  --limit N  records a page (1-100, default 20); --after C: the page after the one\n"
	"             whose \"next\" was C (keyset: the cursor is opaque)\n"
	"  --as-of D  publication status on D (default today)\n"
	"  --public   the public view (docs/views.md): only records the publication rules\n"
	"             show on D (公示中; 异议处理中 without its content), 身份证号 masked, no\n"
	"             _extra — the JSON of GET /api/v1/licensing and /api/v1/penalties\n"
	"--format json: {\"category\",\"from\",\"to\",\"unit\",\"kind\",\"as_of\",\"items\":[{\"id\",\n"
	"  \"category\",\"unit\",\"key\",\"decided_on\",\"display\",\"subject\":{…},\"data\":{…}}],\n"
	"  \"next\"}\n",
	NULL,
};
