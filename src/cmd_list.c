/* xinyong list add|exit|show: red/black/watch list entries. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "xinyong/date.h"
#include "xinyong/lists.h"
#include "xinyong/views.h"

#define MAX_PERSONS 32

static int add(cli *c, xy_credit *cr, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "type", required_argument, NULL, 't' },  { "subject", required_argument, NULL, 's' },
		{ "name", required_argument, NULL, 'n' },  { "unit", required_argument, NULL, 'u' },
		{ "doc", required_argument, NULL, 'd' },   { "from", required_argument, NULL, 'f' },
		{ "to", required_argument, NULL, 'T' },    { "reason", required_argument, NULL, 'r' },
		{ "person", required_argument, NULL, 'p' }, { NULL, 0, NULL, 0 },
	};
	xy_list_add a;
	xy_credit_person persons[MAX_PERSONS];
	xy_entry_row *e = NULL;
	xy_error err = XY_ERROR_INIT;
	long notices = 0;
	bool counted = false;
	const xy_list_type *lt;
	xy_buf who = XY_BUF_INIT;
	int o, rc = EXIT_OK;

	memset(&a, 0, sizeof a);
	memset(persons, 0, sizeof persons);
	a.persons = persons;
	optind = 1;
	while ((o = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (o) {
		case 't': a.type = optarg; break;
		case 's': a.subject = optarg; break;
		case 'n': a.name = optarg; break;
		case 'u': a.unit = optarg; break;
		case 'd': a.doc = optarg; break;
		case 'f': a.from = optarg; break;
		case 'T': a.to = optarg; break;
		case 'r': a.reason = optarg; break;
		case 'p':
			if (a.npersons == MAX_PERSONS) {
				rc = cli_usage_error(c, &cmd_list, "at most %d --person", MAX_PERSONS);
				goto done;
			}
			if (xy_credit_person_parse(optarg, &persons[a.npersons++], &err)) {
				rc = cli_error(c, &err);
				goto done;
			}
			break;
		default: rc = cli_usage_error(c, &cmd_list, "bad option"); goto done;
		}
	}
	if (optind != argc || !a.type || !a.subject || !a.unit || !a.doc || !a.from) {
		rc = cli_usage_error(c, &cmd_list,
				     "list add needs --type, --subject, --unit, --doc and --from");
		goto done;
	}
	if (!(e = calloc(1, sizeof *e))) {
		rc = EXIT_FAIL;
		goto done;
	}
	if (cli_admin(c, &who)) {
		rc = EXIT_FAIL;
		goto done;
	}
	a.who = who.data;
	if (xy_credit_list_add(cr, &a, e, &notices, &counted, &err)) {
		rc = cli_error(c, &err);
		goto done;
	}
	lt = xy_sanctions_list_type(&cr->cat, e->list_type);
	if (c->json) {
		json_t *j = NULL;
		if (xy_view_list_added(cr, e, a.npersons, notices, counted, &j, &err))
			rc = cli_error(c, &err);
		else
			cli_print_json(j);
	} else {
		printf("entry %lld  %s\n  %s %s\n  %s  %s – %s  (%s)\n", (long long)e->id,
		       e->list_type, e->subject_code, e->subject_name, e->doc, e->from,
		       e->to[0] ? e->to : "无期限", e->unit);
		for (size_t i = 0; i < a.npersons; i++)
			printf("  %s  %s %s\n", persons[i].role, persons[i].code, persons[i].name);
		if (notices)
			printf("  %ld notice%s to watching units\n", notices, notices == 1 ? "" : "s");
		if (counted)
			printf("  counted in %s: 1\n", lt->category);
		else if (lt && lt->category[0])
			printf("  not counted again: %s already reported this decision (%s)\n",
			       e->unit, lt->category);
	}
done:
	xy_buf_release(&who);
	xy_entry_row_release(e);
	free(e);
	for (size_t i = 0; i < a.npersons; i++)
		xy_credit_person_release(&persons[i]);
	return rc;
}

static int do_exit(cli *c, xy_credit *cr, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "how", required_argument, NULL, 'h' },
		{ "date", required_argument, NULL, 'd' },
		{ NULL, 0, NULL, 0 },
	};
	const char *how = NULL, *date = NULL;
	xy_error err = XY_ERROR_INIT;
	xy_buf who = XY_BUF_INIT;
	xy_code rc;
	char *end;
	long long id;
	int o;
	optind = 1;
	while ((o = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (o == 'h')
			how = optarg;
		else if (o == 'd')
			date = optarg;
		else
			return cli_usage_error(c, &cmd_list, "bad option");
	}
	if (optind + 1 != argc || !how || !date)
		return cli_usage_error(c, &cmd_list, "list exit needs ENTRY, --how and --date");
	id = strtoll(argv[optind], &end, 10);
	if (*end || id <= 0)
		return cli_usage_error(c, &cmd_list, "'%s' is not an entry number", argv[optind]);
	if (cli_admin(c, &who))
		return EXIT_FAIL;
	rc = xy_credit_list_exit(cr, who.data, id, how, date, &err);
	xy_buf_release(&who);
	if (rc)
		return cli_error(c, &err);
	if (c->json)
		cli_print_json(json_pack("{s:I,s:s,s:s}", "entry", (json_int_t)id, "exit", how,
					 "exit_date", date));
	else
		printf("entry %lld exited: %s on %s\n", id, how, date);
	return EXIT_OK;
}

static void print_show(const cli *c, json_t *v)
{
	printf("名单 as of %s%s\n", json_string_value(json_object_get(v, "as_of")),
	       json_is_true(json_object_get(v, "all")) ? " (all entries)" : " (active entries)");
	cli_print_entries(c, v);
}

static int show(cli *c, xy_credit *cr, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "type", required_argument, NULL, 't' },
		{ "as-of", required_argument, NULL, 'a' },
		{ "all", no_argument, NULL, 'A' },
		{ "public", no_argument, NULL, 'p' },
		{ "after", required_argument, NULL, 'f' },
		{ "limit", required_argument, NULL, 'l' },
		{ NULL, 0, NULL, 0 },
	};
	const char *type = NULL;
	xy_view_opts vo = { false, NULL };
	xy_view_page pg = { NULL, 0, false };
	bool paged = false;
	xy_error err = XY_ERROR_INIT;
	json_t *v = NULL;
	bool all = false;
	xy_code rc;
	char d[11];
	int o;
	optind = 1;
	while ((o = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (o == 't')
			type = optarg;
		else if (o == 'a')
			vo.asof = optarg;
		else if (o == 'A')
			all = true;
		else if (o == 'p')
			vo.public_view = true;
		else if (o == 'f' || o == 'l') {
			if (o == 'f')
				pg.after = optarg;
			else if (cli_parse_limit(optarg, &pg.limit))
				return cli_usage_error(c, &cmd_list, "--limit is 1 to 100, not '%s'",
						       optarg);
			paged = true;
		} else
			return cli_usage_error(c, &cmd_list, "bad option");
	}
	if (optind != argc)
		return cli_usage_error(c, &cmd_list, "list show takes no arguments");
	if (vo.asof && xy_date_parse(vo.asof, d))
		return cli_usage_error(c, &cmd_list, "--as-of '%s' is not a date", vo.asof);
	if (paged && all)
		return cli_usage_error(c, &cmd_list, "--after/--limit page the active entries, not --all");
	rc = paged ? xy_view_entries_page(cr, type, &vo, &pg, &v, &err)
		   : xy_view_entries(cr, type, all, &vo, &v, &err);
	if (!rc && !c->json) /* the table's title says which entries */
		json_object_set_new(v, "all", json_boolean(all && !vo.public_view));
	return cli_render(c, rc, &err, v, print_show);
}

static void print_types(const cli *c, json_t *v)
{
	json_t *t;
	size_t i;
	(void)c;
	printf("名单类型 as of %s\n", cli_str(v, "as_of"));
	json_array_foreach(json_object_get(v, "list_types"), i, t)
		printf("  %-6s %6lld  %s\n", cli_str(t, "kind"),
		       (long long)json_integer_value(json_object_get(t, "active")),
		       cli_str(t, "name"));
}

static int types(cli *c, xy_credit *cr, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "as-of", required_argument, NULL, 'a' },
		{ "public", no_argument, NULL, 'p' },
		{ NULL, 0, NULL, 0 },
	};
	xy_view_opts vo = { false, NULL };
	xy_error err = XY_ERROR_INIT;
	json_t *v = NULL;
	char d[11];
	int o;
	optind = 1;
	while ((o = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (o == 'a')
			vo.asof = optarg;
		else if (o == 'p')
			vo.public_view = true;
		else
			return cli_usage_error(c, &cmd_list, "bad option");
	}
	if (optind != argc)
		return cli_usage_error(c, &cmd_list, "list types takes no arguments");
	if (vo.asof && xy_date_parse(vo.asof, d))
		return cli_usage_error(c, &cmd_list, "--as-of '%s' is not a date", vo.asof);
	xy_code rc = xy_view_list_types(cr, &vo, &v, &err);
	return cli_render(c, rc, &err, v, print_types);
}

static void sync_warn(void *ctx, const char *unit, const char *category, const char *key,
		      const char *field, const char *msg)
{
	json_t *arr = ctx;
	json_array_append_new(arr, json_pack("{s:s,s:s,s:s,s:s,s:s}", "unit", unit, "category",
					     category, "key", key, "field", field, "message", msg));
}

static int sync(cli *c, xy_credit *cr, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "unit", required_argument, NULL, 'u' },
		{ "category", required_argument, NULL, 'c' },
		{ NULL, 0, NULL, 0 },
	};
	const char *unit = NULL, *category = NULL;
	xy_error err = XY_ERROR_INIT;
	xy_list_sync_out out;
	json_t *problems = json_array(), *p;
	size_t i;
	int o;
	optind = 1;
	while ((o = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (o == 'u')
			unit = optarg;
		else if (o == 'c')
			category = optarg;
		else
			return cli_usage_error(c, &cmd_list, "bad option");
	}
	if (optind != argc)
		return cli_usage_error(c, &cmd_list, "list sync takes no arguments");
	if (xy_credit_list_sync(cr, unit, category, sync_warn, problems, &out, &err)) {
		json_decref(problems);
		return cli_error(c, &err);
	}
	if (c->json) {
		cli_print_json(json_pack("{s:i,s:i,s:i,s:i,s:i,s:i,s:i,s:o}", "created",
					 (int)out.created, "updated", (int)out.updated, "unchanged",
					 (int)out.unchanged, "withdrawn", (int)out.withdrawn,
					 "problems", (int)out.problems, "notices", (int)out.notices,
					 "exited", (int)out.exited, "without_entry", problems));
		return EXIT_OK;
	}
	printf("名单 from imported records: %ld new, %ld corrected, %ld unchanged, %ld withdrawn, "
	       "%ld exited, %ld without entry\n", out.created, out.updated, out.unchanged,
	       out.withdrawn, out.exited, out.problems);
	json_array_foreach(problems, i, p)
		printf("  %s · %s  %s  %s: %s\n", json_string_value(json_object_get(p, "unit")),
		       json_string_value(json_object_get(p, "category")),
		       json_string_value(json_object_get(p, "key")),
		       json_string_value(json_object_get(p, "field")),
		       json_string_value(json_object_get(p, "message")));
	json_decref(problems);
	return EXIT_OK;
}

static int run(cli *c, int argc, char **argv)
{
	xy_credit cr;
	int rc;
	if (argc < 2)
		return cli_usage_error(c, &cmd_list, "give add, exit, show, types or sync");
	if (strcmp(argv[1], "add") && strcmp(argv[1], "exit") && strcmp(argv[1], "show") &&
	    strcmp(argv[1], "sync") && strcmp(argv[1], "types"))
		return cli_usage_error(c, &cmd_list, "'%s' is not add, exit, show, types or sync",
				       argv[1]);
	if (cli_open_credit(c, &cr))
		return EXIT_FAIL;
	if (!strcmp(argv[1], "add"))
		rc = add(c, &cr, argc - 1, argv + 1);
	else if (!strcmp(argv[1], "exit"))
		rc = do_exit(c, &cr, argc - 1, argv + 1);
	else if (!strcmp(argv[1], "sync"))
		rc = sync(c, &cr, argc - 1, argv + 1);
	else if (!strcmp(argv[1], "types"))
		rc = types(c, &cr, argc - 1, argv + 1);
	else
		rc = show(c, &cr, argc - 1, argv + 1);
	xy_credit_release(&cr);
	return rc;
}

const command cmd_list = {
	"list",
	run,
	"add|exit|show|types|sync [options]",
	"red/black/watch lists (红/黑名单): add entries, record exits, show the lists as of a date",
	"  list add --type TYPE --subject CODE --unit UNIT --doc 文书号 --from DATE\n"
	"           [--to DATE] [--reason TEXT] [--name NAME] [--person ROLE:身份证号:姓名 …]\n"
	"      --to defaults from the list type's validity; --name registers a new subject;\n"
	"      ROLE is 法定代表人, 主要负责人 or 直接责任人.  Units watching the subject get a\n"
	"      notice when the list is black.  A type with a reporting category (地方发布\n"
	"      红名单/黑名单, 国家黑名单) also counts one record of it, today, for UNIT,\n"
	"      keyed by the 文书号: not again when UNIT reported the decision already (JSON\n"
	"      \"counted\": {CATEGORY: 1} or {}).\n"
	"  list exit ENTRY --how 修复|注销|吊销|撤销 --date DATE   (DATE: first day off the list)\n"
	"      注销/吊销 of a black-list entry counts in 失信主体以注销、吊销等形式退出黑名单\n"
	"      (not again when the unit reported the exit).\n"
	"  list sync [--unit UNIT] [--category CATEGORY]\n"
	"      derive entries from imported rows of 地方发布红名单/黑名单 and 国家黑名单 not yet\n"
	"      reflected (import does this after each batch); lists rows that cannot be.\n"
	"  list show [--type TYPE] [--as-of DATE] [--all] [--public]\n"
	"      the entries active on DATE (default today); --all: every entry with its status\n"
	"      (active pending expired exited), computed from the dates.  --public: the\n"
	"      public view — red and black lists only, active entries, 身份证号 masked,\n"
	"      without reason and history (docs/views.md).\n"
	"  list show [--type TYPE] [--as-of DATE] [--public] [--after CURSOR] [--limit N]\n"
	"      one keyset page of the active entries (N: 1-100, default 20), by entry id,\n"
	"      with \"next\" (the cursor of the following page, null on the last): the\n"
	"      JSON of GET /api/v1/lists/TYPE.\n"
	"  list types [--as-of DATE] [--public]\n"
	"      the list types with their entries active on DATE; --public: red and black\n"
	"      lists only (GET /api/v1/lists).\n",
	NULL,
};
