/* xinyong show QUERY: a subject's credit profile (built by xy_view_profile). */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "xinyong/date.h"
#include "xinyong/views.h"

static int profile(cli *c, xy_repairs *rp, const char *q, const xy_view_opts *vo)
{
	xy_error err = XY_ERROR_INIT;
	json_t *v = NULL;
	xy_code rc = xy_view_profile(rp, q, vo, &v, &err);
	if (rc == XY_ERR_NOTFOUND && v) {
		if (c->json)
			cli_print_json(v);
		else {
			json_decref(v);
			fprintf(stderr, "xinyong show: %s\n", err.msg); /* names the query, masked in the public view */
		}
		return EXIT_FAIL;
	}
	if (rc == XY_ERR_CONFLICT && v) { /* several: list them, pick one by its code */
		if (c->json)
			return cli_print_json(v) ? EXIT_FAIL : EXIT_OK;
		cli_print_matches(c, v);
		json_decref(v);
		return EXIT_OK;
	}
	return cli_render(c, rc, &err, v, cli_print_profile);
}

static int run(cli *c, int argc, char **argv)
{
	xy_error err = XY_ERROR_INIT;
	int rc;
	static const struct option opts[] = {
		{ "as-of", required_argument, NULL, 'a' }, { "public", no_argument, NULL, 'p' },
		{ NULL, 0, NULL, 0 },
	};
	xy_credit cr;
	xy_repairs rp;
	char asof[11] = "";
	xy_view_opts vo = { false, NULL };
	int o;
	while ((o = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (o == 'a') {
			if (xy_date_parse(optarg, asof))
				return cli_usage_error(c, &cmd_show, "--as-of '%s' is not a date", optarg);
			vo.asof = asof;
		} else if (o == 'p') {
			vo.public_view = true;
		} else {
			return cli_usage_error(c, &cmd_show, "bad option");
		}
	}
	argv += optind - 1;
	argc -= optind - 1;
	if (argc != 2)
		return cli_usage_error(c, &cmd_show, "give one USCC, 身份证号 or name");
	if (cli_open_store(c))
		return EXIT_FAIL;
	/* display status needs only the store, the registry and the catalogue's
	 * list kinds, read from the configuration (not xy_credit_open, which
	 * writes missing list types), so show stays read-only */
	memset(&cr, 0, sizeof cr);
	cr.store = c->store;
	cr.reg = &c->reg;
	xy_sanctions_init(&cr.cat);
	if (xy_sanctions_load_dir(&cr.cat, &c->reg, c->config ? c->config : xy_registry_default_dir(),
				  &err))
		return cli_error(c, &err);
	if (xy_repairs_open(&rp, &cr, c->config, &err)) {
		xy_sanctions_release(&cr.cat);
		return cli_error(c, &err);
	}
	rc = profile(c, &rp, argv[1], &vo);
	xy_repairs_release(&rp);
	xy_sanctions_release(&cr.cat);
	return rc;
}

const command cmd_show = {
	"show", run, "[--as-of DATE] [--public] USCC|身份证号|NAME",
	"a subject's credit profile: identity, records by category, source units",
	"A name matches any substring of 2 or more characters; several matches are\n"
	"listed so you can pick one by its code.\n"
	"Each record carries its publication status (公示状态) on --as-of DATE (default\n"
	"today): 公示中, 异议处理中, 公示期满, 已修复, 已撤销, 不予公示, 未到公示日期\n"
	"(docs/repair.md).  --public: the public view — only 公示中 and 异议处理中 (the\n"
	"latter without its content); the others are counted, not shown; every\n"
	"身份证号 masked; no watch lists, no cases.\n"
	"Also the list entries, commitments (信用承诺, status on the date), government-\n"
	"dishonesty entries of a government body and open repair/objection cases; the\n"
	"public view keeps commitments without checks, government dishonesty without\n"
	"creditor, amount, note and history, and no cases (docs/views.md).\n"
	"--format json: the profile view of docs/views.md — {\"subject\":{…},\n"
	"  \"categories\":{…},\"units\":{…},\"records\":[…],\"list_entries\":[…],\n"
	"  \"commitments\":[…],\"gov_dishonesty\":[…],\"as_of\",\"hidden\",\"cases\":[…]\n"
	"  (not with --public)}\n",
};
