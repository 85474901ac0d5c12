/* xinyong audit verify|show: the hash-chained audit log (issue 9). */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "xinyong/auth.h"
#include "xinyong/views.h"

struct show {
	cli *c;
	json_t *arr;
	long n;
};

static int show_one(void *ctx, const xy_audit_view *v)
{
	struct show *s = ctx;
	s->n++;
	if (s->c->json)
		return cli_json_append(s->arr, xy_audit_json(v)) ? 1 : 0;
	printf("%6lld  %s  %-16s %-14s %s%s%s\n", (long long)v->seq, v->at, v->who, v->action,
	       v->object, *v->detail ? "  " : "", v->detail);
	return 0;
}

static int run(cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "who", required_argument, NULL, 'w' },
		{ "action", required_argument, NULL, 'a' },
		{ "from", required_argument, NULL, 'f' },
		{ "to", required_argument, NULL, 't' },
		{ "limit", required_argument, NULL, 'n' },
		{ "expect", required_argument, NULL, 'e' },
		{ "after", required_argument, NULL, 'A' },
		{ "before", required_argument, NULL, 'B' },
		{ "desc", no_argument, NULL, 'd' },
		{ NULL, 0, NULL, 0 },
	};
	xy_audit_filter f = { 0 };
	const char *expect = NULL, *sub;
	xy_error err = XY_ERROR_INIT;
	long long limit = 0, after = 0, before = 0;
	int o;

	if (argc < 2)
		return cli_usage_error(c, &cmd_audit, "verify or show?");
	sub = argv[1];
	argc--;
	argv++;
	while ((o = getopt_long(argc, argv, "w:a:f:t:n:e:A:B:d", opts, NULL)) != -1) {
		switch (o) {
		case 'A':
			if (cli_parse_id(optarg, &after))
				return cli_usage_error(c, &cmd_audit, "--after takes a sequence number");
			f.after = after;
			break;
		case 'B':
			if (cli_parse_id(optarg, &before))
				return cli_usage_error(c, &cmd_audit, "--before takes a sequence number");
			f.before = before;
			break;
		case 'd': f.desc = true; break;
		case 'w': f.who = optarg; break;
		case 'a': f.action = optarg; break;
		case 'f': f.from = optarg; break;
		case 't': f.to = optarg; break;
		case 'e': expect = optarg; break;
		case 'n':
			if (cli_parse_id(optarg, &limit))
				return cli_usage_error(c, &cmd_audit, "--limit takes a number");
			f.limit = (size_t)limit;
			break;
		default: return cli_usage_error(c, &cmd_audit, "unknown option");
		}
	}
	argc -= optind;
	if (argc)
		return cli_usage_error(c, &cmd_audit, "%s takes options only", sub);

	if (!strcmp(sub, "verify")) {
		xy_audit_check chk;
		xy_code rc;
		if (f.who || f.action || f.from || f.to || f.limit || after || before || f.desc)
			return cli_usage_error(c, &cmd_audit, "verify checks the whole log: no filters");
		if (cli_open_store(c))
			return EXIT_FAIL;
		rc = xy_audit_verify(c->store, expect, &chk, &err);
		if (rc && rc != XY_ERR_INVALID)
			return cli_error(c, &err);
		if (c->json) {
			json_t *res = NULL;
			xy_error e2 = XY_ERROR_INIT;
			if (xy_view_audit_verify(c->store, expect, &res, &e2))
				return cli_error(c, &e2);
			if (cli_print_json(res))
				return EXIT_FAIL;
		} else if (!rc) {
			printf("audit log intact: %lld entries (审计日志完整)\n", (long long)chk.entries);
			if (chk.head_seq)
				printf("head %lld:%s\n", (long long)chk.head_seq, chk.head);
		}
		return rc ? cli_error(c, &err) : EXIT_OK;
	}
	if (!strcmp(sub, "show")) {
		struct show s = { c, NULL, 0 };
		if (expect)
			return cli_usage_error(c, &cmd_audit, "--expect is for verify");
		if (cli_open_store(c))
			return EXIT_FAIL;
		if (c->json) {
			json_t *v = NULL;
			if (xy_view_audit(c->store, &f, &v, &err))
				return cli_error(c, &err);
			return cli_print_json(v) ? EXIT_FAIL : EXIT_OK;
		}
		s.arr = json_array();
		if (xy_audit_list(c->store, &f, show_one, &s, &err)) {
			json_decref(s.arr);
			return cli_error(c, &err);
		}
		json_decref(s.arr);
		if (!s.n)
			printf("no audit entries%s\n",
			       f.who || f.action || f.from || f.to ? " match" : "");
		return EXIT_OK;
	}
	return cli_usage_error(c, &cmd_audit, "unknown subcommand '%s': verify or show", sub);
}

const command cmd_audit = {
	"audit", run,
	"verify [--expect SEQ:HASH]\n"
	"                      | show [--who WHO] [--action ACTION] [--from DATE] [--to DATE] "
	"[--limit N]\n"
	"                        [--desc] [--after SEQ] [--before SEQ]",
	"the tamper-evident audit log (审计日志)",
	"Every change (import commits and refusals, users, tokens) and every failed\n"
	"login is appended to a hash chain.  `verify` recomputes it and names the first\n"
	"entry that was edited, inserted or deleted (exit 1); it prints the head\n"
	"(SEQ:HASH): keep it somewhere else and pass it back with --expect to detect a\n"
	"rewrite of the whole log.  `show` lists entries oldest first (--desc: newest\n"
	"first, e.g. `show --desc --limit 10` for the last ten); --who and\n"
	"--action match exactly (cli:LOGIN, user:NAME, token:ID, public; user.add,\n"
	"login.fail, import.commit …); --from/--to take a date or an ISO 8601 time\n"
	"(UTC), a --to date including its day.  With --format json the answer is\n"
	"{\"entries\":[…],\"next\":SEQ|null}, GET /api/v1/audit's: pass next to --after\n"
	"(to --before with --desc) for the following page of --limit entries.\n"
	"--after SEQ / --before SEQ show only entries after / before that seq.\n",
};
