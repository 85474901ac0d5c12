/* xinyong notices [read ID|--all] --unit U: the notices of the subjects a
 * unit watches, and marking them read. */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "xinyong/credit.h"
#include "xinyong/views.h"

static void print_marked(const cli *c, json_t *v)
{
	(void)c;
	printf("%s: 标为已读 %lld 条，未读 %lld 条 (marked %lld read, %lld unread)\n",
	       cli_str(v, "unit"), (long long)json_integer_value(json_object_get(v, "marked")),
	       (long long)json_integer_value(json_object_get(v, "unread")),
	       (long long)json_integer_value(json_object_get(v, "marked")),
	       (long long)json_integer_value(json_object_get(v, "unread")));
}

/* notices read --unit U ID|--all */
static int mark_read(cli *c, const char *unit, const char *id, bool all)
{
	xy_credit cr;
	xy_error err = XY_ERROR_INIT;
	long long nid = 0;
	long n = 0;
	json_t *v = NULL;
	xy_code rc;
	if (!all && cli_parse_id(id, &nid))
		return cli_usage_error(c, &cmd_notices, "a notice id is a number, not '%s'", id);
	if (cli_open_credit(c, &cr))
		return EXIT_FAIL;
	rc = xy_credit_notices_read(&cr, unit, all ? 0 : nid, &n, &err);
	xy_credit_release(&cr);
	if (!rc && !(rc = xy_view_notices(c->store, &c->reg, unit, &v, &err)))
		json_object_set_new(v, "marked", json_integer(n));
	return cli_render(c, rc, &err, v, print_marked);
}

static int run(cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "unit", required_argument, NULL, 'u' },
		{ "all", no_argument, NULL, 'a' },
		{ NULL, 0, NULL, 0 },
	};
	const char *unit = NULL;
	xy_error err = XY_ERROR_INIT;
	json_t *v = NULL;
	bool read = argc > 1 && !strcmp(argv[1], "read"), all = false;
	xy_code rc;
	int o;
	if (read) {
		argc--;
		argv++;
		optind = 1;
	}
	while ((o = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (o == 'u')
			unit = optarg;
		else if (o == 'a' && read)
			all = true;
		else
			return cli_usage_error(c, &cmd_notices, "bad option");
	}
	if (!unit)
		return cli_usage_error(c, &cmd_notices, "give --unit");
	if (read) {
		if (all ? optind != argc : optind + 1 != argc)
			return cli_usage_error(c, &cmd_notices, "notices read takes one ID or --all");
		return mark_read(c, unit, all ? NULL : argv[optind], all);
	}
	if (optind != argc)
		return cli_usage_error(c, &cmd_notices, "unexpected argument '%s'", argv[optind]);
	if (cli_open_store(c))
		return EXIT_FAIL;
	rc = xy_view_notices(c->store, &c->reg, unit, &v, &err);
	return cli_render(c, rc, &err, v, cli_print_notices);
}

const command cmd_notices = {
	"notices",
	run,
	"--unit UNIT | read --unit UNIT ID|--all",
	"notices for a unit: new black-list entries of the subjects it watches",
	"Subscribe with 'xinyong watch add --unit UNIT SUBJECT'.  The list is newest\n"
	"first, each notice 未读 until marked read; --format json gives\n"
	"{\"unit\",\"unread\",\"notices\":[{…,\"read_at\"}]}.\n"
	"  notices read --unit UNIT ID   mark notice ID read (audit-logged notice.read;\n"
	"                                another unit's notice is not found)\n"
	"  notices read --unit UNIT --all  mark every unread notice of the unit read\n",
	NULL,
};
