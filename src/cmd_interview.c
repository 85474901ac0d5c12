/* xinyong interview add|list: interviews (约谈) of dishonest enterprises. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "xinyong/repair.h"

#define MAX_PERSONS 64

static const char *str(json_t *o, const char *k)
{
	const char *s = json_string_value(json_object_get(o, k));
	return s ? s : "";
}

static int print_list(cli *c, xy_repairs *rp, const char *subject)
{
	xy_buf b = XY_BUF_INIT;
	xy_error err = XY_ERROR_INIT;
	json_error_t jerr;
	json_t *arr, *o, *p;
	size_t i, k;
	if (xy_interviews_json(rp, subject, &b, &err)) {
		xy_buf_release(&b);
		return cli_error(c, &err);
	}
	if (c->json)
		printf("{\"interviews\":%s}\n", b.data);
	else if ((arr = json_loads(b.data, 0, &jerr))) {
		json_array_foreach(arr, i, o) {
			printf("约谈 %lld  %s  %s %s  %s\n",
			       (long long)json_integer_value(json_object_get(o, "id")), str(o, "date"),
			       str(o, "subject"), str(o, "subject_name"), str(o, "unit"));
			printf("  事由 %s\n  约谈对象", str(o, "topic"));
			json_array_foreach(json_object_get(o, "persons"), k, p)
				printf(" %s", json_string_value(p));
			printf("\n");
			if (*str(o, "result"))
				printf("  结果 %s\n", str(o, "result"));
		}
		if (!json_array_size(arr))
			printf("无\n");
		json_decref(arr);
	}
	xy_buf_release(&b);
	return EXIT_OK;
}

static int add(cli *c, xy_repairs *rp, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "subject", required_argument, NULL, 's' }, { "unit", required_argument, NULL, 'u' },
		{ "date", required_argument, NULL, 'd' },    { "person", required_argument, NULL, 'p' },
		{ "topic", required_argument, NULL, 't' },   { "result", required_argument, NULL, 'r' },
		{ NULL, 0, NULL, 0 },
	};
	const char *persons[MAX_PERSONS];
	xy_interview_in in;
	xy_error err = XY_ERROR_INIT;
	int64_t id;
	int o;
	memset(&in, 0, sizeof in);
	in.persons = persons;
	while ((o = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (o) {
		case 's': in.subject = optarg; break;
		case 'u': in.unit = optarg; break;
		case 'd': in.date = optarg; break;
		case 'p':
			if (in.npersons == MAX_PERSONS)
				return cli_usage_error(c, &cmd_interview, "at most %d --person", MAX_PERSONS);
			persons[in.npersons++] = optarg;
			break;
		case 't': in.topic = optarg; break;
		case 'r': in.result = optarg; break;
		default: return cli_usage_error(c, &cmd_interview, "bad option");
		}
	}
	if (optind != argc)
		return cli_usage_error(c, &cmd_interview, "unexpected argument '%s'", argv[optind]);
	if (xy_interview_add(rp, &in, &id, &err))
		return cli_error(c, &err);
	if (c->json)
		cli_print_json(json_pack("{s:I,s:{s:i,s:i}}", "id", (json_int_t)id, "counted",
					 "信用修复、约谈企业", 1, "约谈失信企业代表数量",
					 (int)in.npersons));
	else
		printf("interview %lld recorded; counted: 信用修复、约谈企业 1, 约谈失信企业代表数量 %zu\n",
		       (long long)id, in.npersons);
	return EXIT_OK;
}

static int run(cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "subject", required_argument, NULL, 's' }, { NULL, 0, NULL, 0 },
	};
	xy_credit cr;
	xy_repairs rp;
	const char *subject = NULL;
	int rc, o;
	if (argc < 2 || (strcmp(argv[1], "add") && strcmp(argv[1], "list")))
		return cli_usage_error(c, &cmd_interview, "give add or list");
	if (cli_open_repairs(c, &cr, &rp))
		return EXIT_FAIL;
	if (!strcmp(argv[1], "add")) {
		rc = add(c, &rp, argc - 1, argv + 1);
	} else {
		rc = EXIT_OK;
		while (rc == EXIT_OK && (o = getopt_long(argc - 1, argv + 1, "", opts, NULL)) != -1) {
			if (o == 's')
				subject = optarg;
			else
				rc = cli_usage_error(c, &cmd_interview, "bad option");
		}
		if (rc == EXIT_OK && optind != argc - 1)
			rc = cli_usage_error(c, &cmd_interview, "interview list takes no arguments");
		if (rc == EXIT_OK)
			rc = print_list(c, &rp, subject);
	}
	xy_repairs_release(&rp);
	xy_credit_release(&cr);
	return rc;
}

const command cmd_interview = {
	"interview",
	run,
	"add|list [options]",
	"interviews (约谈) of dishonest enterprises, counted in the statistics",
	"  interview add --subject CODE --unit UNIT --person 姓名[:职务] [--person …]\n"
	"                --topic TEXT [--result TEXT] [--date DATE]\n"
	"      counts 1 in 信用修复、约谈企业 and one per person in 约谈失信企业代表数量\n"
	"      for UNIT in the month of DATE.\n"
	"  interview list [--subject CODE]\n",
	NULL,
};
