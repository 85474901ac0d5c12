/* xinyong grade: credit grading (信用分级分类, grade.h, docs/grading.md). */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "xinyong/grade.h"

/* Scores are hundredths: twelve digits print 74.89, not 74.890000000000001. */
static int print_json(json_t *v)
{
	char *text = v ? json_dumps(v, JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(12))
		       : NULL;
	int ret = text && puts(text) >= 0 ? EXIT_OK : cli_print_json(NULL);
	free(text);
	json_decref(v);
	return ret;
}

static const char *model_path(const cli *c, xy_buf *b)
{
	xy_buf_reset(b);
	if (xy_buf_addf(b, "%s/grade-model.tsv", c->config ? c->config : xy_registry_default_dir()))
		return NULL;
	return b->data;
}

/* --model FILE, else the model of the latest run, else the default model. */
static int load_model(cli *c, xy_credit *cr, const char *file, xy_grade_model *m)
{
	xy_error err = XY_ERROR_INIT;
	xy_buf path = XY_BUF_INIT;
	char *text = NULL;
	xy_code rc;
	if (file)
		rc = xy_grade_model_load(m, file, &c->reg, &cr->cat, &err);
	else if (!(rc = xy_grade_last_model(c->store, &text, &err)))
		rc = xy_grade_model_parse(m, "(stored model)", text, strlen(text), &c->reg, &cr->cat,
					  &err);
	else if (rc == XY_ERR_NOTFOUND)
		rc = xy_grade_model_load(m, model_path(c, &path), &c->reg, &cr->cat, &err);
	free(text);
	xy_buf_release(&path);
	return rc ? cli_error(c, &err) : 0;
}

static int do_run(cli *c, int argc, char **argv)
{
	static const struct option opts[] = { { "date", required_argument, NULL, 'd' },
					      { "model", required_argument, NULL, 'm' },
					      { "subjects-of-batch", required_argument, NULL, 'b' },
					      { NULL, 0, NULL, 0 } };
	xy_grade_run_opts o = { 0 };
	xy_grade_run_result res;
	xy_grade_model m = { 0 };
	xy_credit cr = { 0 };
	xy_error err = XY_ERROR_INIT;
	const char *file = NULL;
	long long batch = 0;
	int opt, ret;
	optind = 1;
	while ((opt = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (opt == 'd')
			o.as_of = optarg;
		else if (opt == 'm')
			file = optarg;
		else if (opt == 'b' && !cli_parse_id(optarg, &batch))
			o.batch_id = batch;
		else
			return cli_usage_error(c, &cmd_grade, "grade run [--date D] [--model FILE]"
							      " [--subjects-of-batch N]");
	}
	if (optind != argc)
		return cli_usage_error(c, &cmd_grade, "unexpected argument '%s'", argv[optind]);
	if ((ret = cli_open_credit(c, &cr)))
		return ret;
	o.who = cr.who; /* the audit log's who, as the other commands */
	if (!(ret = load_model(c, &cr, file, &m)) && xy_grade_run(c->store, &m, &o, &res, &err))
		ret = cli_error(c, &err);
	if (!ret && c->json) {
		json_t *g = json_object();
		for (size_t i = 0; i < m.nbands; i++)
			json_object_set_new(g, m.bands[i].grade, json_integer(res.by_grade[i]));
		ret = print_json(json_pack("{s:I,s:s,s:s,s:o?,s:i,s:i,s:o}", "run",
					       (json_int_t)res.run_id, "model", m.name, "sha256",
					       m.sha256, "batch",
					       o.batch_id ? json_integer(o.batch_id) : NULL,
					       "subjects", (int)res.subjects, "facts", (int)res.facts,
					       "grades", g));
	} else if (!ret) {
		printf("run %lld: %ld subjects graded from %ld facts with %s (sha256 %.12s…)\n",
		       (long long)res.run_id, res.subjects, res.facts, m.name, m.sha256);
		for (size_t i = m.nbands; i-- > 0;)
			printf("  %s  %ld\n", m.bands[i].grade, res.by_grade[i]);
	}
	xy_grade_model_release(&m);
	xy_credit_release(&cr);
	return ret;
}

static void print_items(json_t *items)
{
	size_t i;
	json_t *it;
	json_array_foreach(items, i, it)
	{
		const char *label = json_string_value(json_object_get(it, "label"));
		const char *ind = json_string_value(json_object_get(it, "indicator"));
		const char *note = json_string_value(json_object_get(it, "note"));
		printf("  %+8.2f  %-6s %-10s %-12s %s%s%s\n",
		       json_number_value(json_object_get(it, "points")),
		       json_string_value(json_object_get(it, "group")),
		       json_string_value(json_object_get(it, "kind")), ind ? ind : "",
		       label ? label : "", note ? "  " : "", note ? note : "");
	}
}

static void print_grade(json_t *g)
{
	json_t *run = json_object_get(g, "run");
	json_t *subj = json_object_get(g, "subject");
	printf("%s  %s\n", json_string_value(json_object_get(subj, "code")),
	       json_string_value(json_object_get(subj, "name")));
	printf("grade %s, score %.2f%s — run %lld as of %s, model %s\n",
	       json_string_value(json_object_get(g, "grade")),
	       json_number_value(json_object_get(g, "score")),
	       json_is_string(json_object_get(g, "forced")) ? " (forced by a rule)" : "",
	       (long long)json_integer_value(json_object_get(run, "id")),
	       json_string_value(json_object_get(run, "as_of")),
	       json_string_value(json_object_get(run, "model")));
	print_items(json_object_get(g, "items"));
}

static int parse_run(cli *c, const char *v, int64_t *run)
{
	long long id;
	if (cli_parse_id(v, &id))
		return cli_usage_error(c, &cmd_grade, "--run must be a run number, not '%s'", v);
	*run = id;
	return 0;
}

static int do_show(cli *c, int argc, char **argv, bool history)
{
	static const struct option opts[] = { { "run", required_argument, NULL, 'r' },
					      { NULL, 0, NULL, 0 } };
	xy_error err = XY_ERROR_INIT;
	json_t *v = NULL;
	int64_t run = 0;
	int opt;
	optind = 1;
	while ((opt = getopt_long(argc, argv, "", opts, NULL)) != -1)
		if (opt != 'r' || history)
			return cli_usage_error(c, &cmd_grade, "grade %s SUBJECT%s", argv[0],
					       history ? "" : " [--run N]");
		else if (parse_run(c, optarg, &run))
			return EXIT_USAGE;
	if (optind + 1 != argc)
		return cli_usage_error(c, &cmd_grade, "grade %s needs one SUBJECT (its code)",
				       argv[0]);
	if (cli_open_store(c))
		return EXIT_FAIL;
	if (history ? xy_grade_view_history(c->store, argv[optind], &v, &err)
		    : xy_grade_view_subject(c->store, argv[optind], run, &v, &err))
		return cli_error(c, &err);
	if (c->json)
		return print_json(v);
	if (!history)
		print_grade(v);
	else {
		size_t i;
		json_t *g;
		json_t *subj = json_object_get(v, "subject");
		printf("%s  %s\n", json_string_value(json_object_get(subj, "code")),
		       json_string_value(json_object_get(subj, "name")));
		json_array_foreach(json_object_get(v, "history"), i, g)
		{
			json_t *r = json_object_get(g, "run");
			printf("  run %-4lld as of %s  %s %6.2f  %s\n",
			       (long long)json_integer_value(json_object_get(r, "id")),
			       json_string_value(json_object_get(r, "as_of")),
			       json_string_value(json_object_get(g, "grade")),
			       json_number_value(json_object_get(g, "score")),
			       json_string_value(json_object_get(r, "model")));
		}
	}
	json_decref(v);
	return EXIT_OK;
}

static int do_list(cli *c, int argc, char **argv)
{
	static const struct option opts[] = { { "grade", required_argument, NULL, 'g' },
					      { "run", required_argument, NULL, 'r' },
					      { "explain", no_argument, NULL, 'e' },
					      { "after", required_argument, NULL, 'a' },
					      { "limit", required_argument, NULL, 'n' },
					      { NULL, 0, NULL, 0 } };
	xy_error err = XY_ERROR_INIT;
	const char *grade = "";
	json_t *v = NULL, *g;
	xy_view_page pg = { 0 };
	bool paged = false;
	int64_t run = 0;
	bool explain = false;
	size_t i;
	int opt;
	optind = 1;
	while ((opt = getopt_long(argc, argv, "", opts, NULL)) != -1)
		if (opt == 'g')
			grade = optarg;
		else if (opt == 'e')
			explain = true;
		else if (opt == 'a')
			pg.after = optarg, paged = true;
		else if (opt == 'n') {
			long long n;
			if (cli_parse_id(optarg, &n) || n > 100)
				return cli_usage_error(c, &cmd_grade,
						       "--limit must be 1 to 100, not '%s'", optarg);
			pg.limit = (size_t)n;
			paged = true;
		} else if (opt != 'r')
			return cli_usage_error(c, &cmd_grade, "grade list [--grade G] [--run N]"
							      " [--explain] [--limit N] [--after C]");
		else if (parse_run(c, optarg, &run))
			return EXIT_USAGE;
	if (optind != argc)
		return cli_usage_error(c, &cmd_grade, "unexpected argument '%s'", argv[optind]);
	if (cli_open_store(c))
		return EXIT_FAIL;
	if (xy_grade_view_list(c->store, grade, run, explain, paged ? &pg : NULL, &v, &err))
		return cli_error(c, &err);
	if (c->json)
		return print_json(v);
	json_array_foreach(json_object_get(v, "subjects"), i, g)
	{
		if (explain) {
			print_grade(g);
			continue;
		}
		printf("%s  %6.2f  %-20s %s\n", json_string_value(json_object_get(g, "grade")),
		       json_number_value(json_object_get(g, "score")),
		       json_string_value(json_object_get(json_object_get(g, "subject"), "code")),
		       json_string_value(json_object_get(json_object_get(g, "subject"), "name")));
	}
	printf("%zu subjects\n", json_array_size(json_object_get(v, "subjects")));
	if (json_is_string(json_object_get(v, "next")))
		fprintf(stderr, "more subjects: --after %s\n",
			json_string_value(json_object_get(v, "next")));
	json_decref(v);
	return EXIT_OK;
}

static int do_counts(cli *c, int argc, char **argv)
{
	static const struct option opts[] = { { "run", required_argument, NULL, 'r' },
					      { NULL, 0, NULL, 0 } };
	xy_error err = XY_ERROR_INIT;
	json_t *v = NULL, *g;
	int64_t run = 0;
	size_t i;
	int opt;
	optind = 1;
	while ((opt = getopt_long(argc, argv, "", opts, NULL)) != -1)
		if (opt != 'r')
			return cli_usage_error(c, &cmd_grade, "grade counts [--run N]");
		else if (parse_run(c, optarg, &run))
			return EXIT_USAGE;
	if (optind != argc)
		return cli_usage_error(c, &cmd_grade, "unexpected argument '%s'", argv[optind]);
	if (cli_open_store(c))
		return EXIT_FAIL;
	if (xy_grade_view_counts(c->store, run, &v, &err))
		return cli_error(c, &err);
	if (c->json)
		return print_json(v);
	json_array_foreach(json_object_get(v, "grades"), i, g) printf("%s  %8d  %6.2f%%\n", json_string_value(json_object_get(g, "grade")),
	       (int)json_integer_value(json_object_get(g, "subjects")),
	       json_number_value(json_object_get(g, "share")));
	printf("%d subjects\n", (int)json_integer_value(json_object_get(v, "total")));
	json_decref(v);
	return EXIT_OK;
}

static int do_runs(cli *c, int argc, char **argv)
{
	xy_error err = XY_ERROR_INIT;
	json_t *v = NULL, *r;
	size_t i;
	(void)argv;
	if (argc != 1)
		return cli_usage_error(c, &cmd_grade, "grade runs takes no argument");
	if (cli_open_store(c))
		return EXIT_FAIL;
	if (xy_grade_view_runs(c->store, &v, &err))
		return cli_error(c, &err);
	if (c->json)
		return print_json(v);
	json_array_foreach(json_object_get(v, "runs"), i, r)
	{
		json_t *b = json_object_get(r, "batch");
		b = json_is_integer(b) ? b : NULL;
		printf("run %-4lld as of %s  %7d subjects  %s  %s",
		       (long long)json_integer_value(json_object_get(r, "id")),
		       json_string_value(json_object_get(r, "as_of")),
		       (int)json_integer_value(json_object_get(r, "subjects")),
		       json_string_value(json_object_get(r, "model")),
		       json_string_value(json_object_get(r, "at")));
		if (b)
			printf("  batch %lld", (long long)json_integer_value(b));
		putchar('\n');
	}
	json_decref(v);
	return EXIT_OK;
}

/* grade publish on|off|show: whether the public profile carries grades. */
static int do_publish(cli *c, int argc, char **argv)
{
	xy_error err = XY_ERROR_INIT;
	xy_buf who = XY_BUF_INIT;
	json_t *v = NULL;
	bool on = argc == 2 && !strcmp(argv[1], "on"), changed = false;
	if (argc != 2 || (!on && strcmp(argv[1], "off") && strcmp(argv[1], "show")))
		return cli_usage_error(c, &cmd_grade, "grade publish needs on, off or show");
	if (cli_open_store(c))
		return EXIT_FAIL;
	if (strcmp(argv[1], "show")) {
		if (cli_admin(c, &who))
			return EXIT_FAIL;
		if (xy_grade_public_set(c->store, on, who.data, &changed, &err)) {
			xy_buf_release(&who);
			return cli_error(c, &err);
		}
		xy_buf_release(&who);
	}
	if (xy_grade_view_publication(c->store, &v, &err))
		return cli_error(c, &err);
	if (strcmp(argv[1], "show"))
		json_object_set_new(v, "changed", json_boolean(changed));
	if (c->json)
		return print_json(v);
	printf("grades public (信用等级公开): %s",
	       json_is_true(json_object_get(v, "public")) ? "on" : "off");
	if (json_is_string(json_object_get(v, "changed_at")))
		printf(" — set %s by %s", json_string_value(json_object_get(v, "changed_at")),
		       json_string_value(json_object_get(v, "changed_by")));
	if (json_is_false(json_object_get(v, "changed")))
		printf(" (unchanged)");
	putchar('\n');
	json_decref(v);
	return EXIT_OK;
}

static int run(cli *c, int argc, char **argv)
{
	if (argc < 2)
		return cli_usage_error(c, &cmd_grade,
				       "grade needs run, show, history, list, counts, runs"
				       " or publish");
	argc--;
	argv++;
	if (!strcmp(argv[0], "run"))
		return do_run(c, argc, argv);
	if (!strcmp(argv[0], "show"))
		return do_show(c, argc, argv, false);
	if (!strcmp(argv[0], "history"))
		return do_show(c, argc, argv, true);
	if (!strcmp(argv[0], "list"))
		return do_list(c, argc, argv);
	if (!strcmp(argv[0], "counts"))
		return do_counts(c, argc, argv);
	if (!strcmp(argv[0], "runs"))
		return do_runs(c, argc, argv);
	if (!strcmp(argv[0], "publish"))
		return do_publish(c, argc, argv);
	return cli_usage_error(c, &cmd_grade, "unknown subcommand '%s'", argv[0]);
}

const command cmd_grade = {
	.name = "grade",
	.run = run,
	.usage = "run [--date D] [--model FILE] [--subjects-of-batch N] | show SUBJECT [--run N]"
		 " | history SUBJECT | list [--grade G] [--run N] [--explain] [--limit N]"
		 " [--after C] | counts [--run N] | runs | publish on|off|show",
	.summary = "credit grading: grade every subject, explain a grade (信用分级分类)",
	.help = "  run       grade every subject as of --date (default today) with --model FILE\n"
		"            (TSV, or XLSX: the first sheet's rows as the TSV's lines), else the\n"
		"            model of the latest run, else data/grade-model.tsv;\n"
		"            --subjects-of-batch N re-grades only the subjects of the records\n"
		"            batch N added or changed\n"
		"  show      a subject's latest grade (or run N's) with every contributing record,\n"
		"            list entry and commitment check and its points (they add up to the score)\n"
		"  history   every grade the subject had: run, date, model\n"
		"  list      subjects of a grade (each subject's latest, or run N's); --explain adds\n"
		"            the explanations; --limit N (1-100) or --after C gives one page and\n"
		"            \"next\", the cursor of the following page (GET /api/v1/grades)\n"
		"  counts    how many subjects have each grade and their share (of each subject's\n"
		"            latest grade, or run N's)\n"
		"  runs      the runs, newest first\n"
		"  publish   on|off: whether the public profile (show --public, GET\n"
		"            /api/v1/subjects/{code}) carries each subject's latest grade\n"
		"            (letter, date, model and its SHA-256; never the explanation); off by\n"
		"            default; each change is a grade.publish audit entry.  show: the\n"
		"            setting\n"
		"\nThe model format and the default model's reasoning: docs/grading.md.\n",
};
