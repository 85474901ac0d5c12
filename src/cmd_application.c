/* xinyong application submit|show: online 信用修复 / 异议 applications
 * (applications.h): office staff entering a paper application, and its
 * status by receipt and secret (the JSON of GET /api/v1/applications/R). */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "xinyong/applications.h"

#define MAX_EVIDENCE 64

static const char *base_name(const char *path)
{
	const char *b = strrchr(path, '/');
	return b ? b + 1 : path;
}

static int submit(cli *c, xy_repairs *rp, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "kind", required_argument, NULL, 'k' },
		{ "record", required_argument, NULL, 'r' },
		{ "subject", required_argument, NULL, 's' },
		{ "applicant", required_argument, NULL, 'a' },
		{ "contact", required_argument, NULL, 'c' },
		{ "reason", required_argument, NULL, 'R' },
		{ "commitment", required_argument, NULL, 'C' },
		{ "evidence", required_argument, NULL, 'e' },
		{ "attach", required_argument, NULL, 'f' },
		{ "date", required_argument, NULL, 'd' },
		{ NULL, 0, NULL, 0 },
	};
	const char *evidence[MAX_EVIDENCE];
	xy_app_file files[XY_APP_MAX_FILES + 1];
	xy_application_in in = { 0 };
	xy_application_opts ao = { 0 };
	xy_error err = XY_ERROR_INIT;
	xy_buf dir = XY_BUF_INIT;
	json_t *out = NULL;
	long long v;
	int o, rc;
	while ((o = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (o) {
		case 'k': in.kind = optarg; break;
		case 'r':
			if (cli_parse_id(optarg, &v))
				return cli_usage_error(c, &cmd_application,
						       "--record '%s' is not a record id", optarg);
			in.record = v;
			break;
		case 's': in.subject = optarg; break;
		case 'a': in.applicant = optarg; break;
		case 'c': in.contact = optarg; break;
		case 'R': in.reason = optarg; break;
		case 'C': in.commitment = optarg; break;
		case 'e':
			if (in.nevidence == MAX_EVIDENCE)
				return cli_usage_error(c, &cmd_application, "at most %d --evidence",
						       MAX_EVIDENCE);
			evidence[in.nevidence++] = optarg;
			break;
		case 'f':
			if (in.nfiles == XY_APP_MAX_FILES + 1)
				return cli_usage_error(c, &cmd_application, "at most %d --attach",
						       XY_APP_MAX_FILES);
			files[in.nfiles++] = (xy_app_file){ base_name(optarg), optarg };
			break;
		case 'd': in.date = optarg; break;
		default: return cli_usage_error(c, &cmd_application, "bad option");
		}
	}
	if (optind != argc || !in.kind || !in.record)
		return cli_usage_error(c, &cmd_application,
				       "application submit needs --kind and --record");
	in.evidence = evidence;
	in.files = files;
	if (xy_application_dir(c->db, &dir, &err))
		return cli_error(c, &err);
	ao.attachments_dir = dir.data;
	ao.who = c->who;
	rc = xy_application_submit(rp, &in, &ao, &out, &err);
	xy_buf_release(&dir);
	if (rc)
		return cli_error(c, &err);
	if (c->json)
		return cli_print_json(out) ? EXIT_FAIL : EXIT_OK;
	printf("受理编号 %s\n查询密码 %s（只显示这一次，请交给申请人）\n",
	       json_string_value(json_object_get(out, "receipt")),
	       json_string_value(json_object_get(out, "secret")));
	if (json_is_string(json_object_get(out, "due")))
		printf("办理期限 %s\n", json_string_value(json_object_get(out, "due")));
	json_decref(out);
	return EXIT_OK;
}

static int show(cli *c, xy_repairs *rp, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "secret", required_argument, NULL, 's' },
		{ "as-of", required_argument, NULL, 'd' },
		{ NULL, 0, NULL, 0 },
	};
	const char *secret = NULL, *date = NULL;
	xy_error err = XY_ERROR_INIT;
	json_t *v = NULL, *e;
	size_t i;
	int o;
	while ((o = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (o) {
		case 's': secret = optarg; break;
		case 'd': date = optarg; break;
		default: return cli_usage_error(c, &cmd_application, "bad option");
		}
	}
	if (optind + 1 != argc || !secret)
		return cli_usage_error(c, &cmd_application,
				       "application show needs RECEIPT and --secret");
	if (xy_application_status(rp, argv[optind], secret, date, &v, &err))
		return cli_error(c, &err);
	if (c->json)
		return cli_print_json(v) ? EXIT_FAIL : EXIT_OK;
	printf("%s  %s  %s\n", json_string_value(json_object_get(v, "receipt")),
	       json_string_value(json_object_get(v, "step")),
	       json_string_value(json_object_get(v, "status_zh")));
	json_array_foreach(json_object_get(v, "history"), i, e)
		printf("  %s  %s\n", json_string_value(json_object_get(e, "on")),
		       json_string_value(json_object_get(e, "action")));
	if (json_is_string(json_object_get(v, "due")))
		printf("办理期限 %s%s\n", json_string_value(json_object_get(v, "due")),
		       json_is_true(json_object_get(v, "overdue")) ? "（已逾期）" : "");
	json_decref(v);
	return EXIT_OK;
}

static int run(cli *c, int argc, char **argv)
{
	xy_credit cr;
	xy_repairs rp;
	int rc;
	if (argc < 2 || (strcmp(argv[1], "submit") && strcmp(argv[1], "show")))
		return cli_usage_error(c, &cmd_application, "give submit or show");
	if (cli_open_repairs(c, &cr, &rp))
		return EXIT_FAIL;
	if (!strcmp(argv[1], "submit"))
		rc = submit(c, &rp, argc - 1, argv + 1);
	else
		rc = show(c, &rp, argc - 1, argv + 1);
	xy_repairs_release(&rp);
	xy_credit_release(&cr);
	return rc;
}

const command cmd_application = {
	"application",
	run,
	"submit|show [options]",
	"online 信用修复 / 异议 applications: receipt number, secret, status",
	"  application submit --kind repair|objection --record ID --subject CODE\n"
	"                     --applicant NAME --contact PHONE|EMAIL --reason TEXT\n"
	"                     [--commitment TEXT] [--evidence ITEM …] [--attach FILE …]\n"
	"                     [--date DATE]\n"
	"      a paper application entered by the office: files the case (the rules of\n"
	"      repair apply / objection add), prints the receipt and the secret (shown\n"
	"      once).  CODE: the record's subject's full USCC or 身份证号.  FILE: PDF, JPEG\n"
	"      or PNG (by content), at most 5, 10 MiB each, 20 MiB in all; stored under\n"
	"      attachments/ beside the database.\n"
	"  application show RECEIPT --secret S [--as-of DATE]\n"
	"      the public status (the JSON of GET /api/v1/applications/RECEIPT?secret=S).\n",
	NULL,
};
