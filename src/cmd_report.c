/* xinyong report: the public credit report (公共信用信息报告) — issue one as
 * PDF, verify one (credit_report.h, docs/credit-report.md). */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "xinyong/credit_report.h"
#include "xinyong/date.h"
#include "xinyong/views.h"

static int write_file(const cli *c, const char *path, const xy_buf *pdf)
{
	xy_buf tmp = XY_BUF_INIT;
	FILE *f;
	int bad;
	if (xy_buf_addf(&tmp, "%s.tmp", path) || !(f = fopen(tmp.data, "wb"))) {
		fprintf(stderr, "xinyong %s: %s: cannot write: %s\n", c->cmd, path, strerror(errno));
		xy_buf_release(&tmp);
		return -1;
	}
	bad = fwrite(pdf->data, 1, pdf->len, f) != pdf->len;
	bad |= fclose(f) != 0;
	if (bad || rename(tmp.data, path)) {
		fprintf(stderr, "xinyong %s: %s: cannot write: %s\n", c->cmd, path, strerror(errno));
		unlink(tmp.data);
		xy_buf_release(&tmp);
		return -1;
	}
	xy_buf_release(&tmp);
	return 0;
}

static int credit(cli *c, int argc, char **argv)
{
	static const struct option opts[] = { { "output", required_argument, NULL, 'o' },
					      { "date", required_argument, NULL, 'd' },
					      { NULL, 0, NULL, 0 } };
	xy_error err = XY_ERROR_INIT;
	xy_view_opts vo = { true, NULL };
	xy_buf pdf = XY_BUF_INIT, name = XY_BUF_INIT;
	xy_credit cr;
	xy_repairs rp;
	json_t *profile = NULL, *out = NULL;
	const char *output = NULL;
	char date[11];
	int o, rc = EXIT_FAIL;
	optind = 1;
	while ((o = getopt_long(argc, argv, "o:d:", opts, NULL)) != -1) {
		if (o == 'o') {
			output = optarg;
		} else if (o == 'd') {
			if (xy_date_parse(optarg, date))
				return cli_usage_error(c, &cmd_report, "--date '%s' is not a date",
						       optarg);
			vo.asof = date;
		} else {
			return cli_usage_error(c, &cmd_report, "bad option");
		}
	}
	if (optind + 1 != argc)
		return cli_usage_error(c, &cmd_report, "give one USCC, 身份证号 or name");
	if (cli_open_credit(c, &cr))
		return EXIT_FAIL;
	if (xy_repairs_open(&rp, &cr, c->config, &err)) {
		xy_credit_release(&cr);
		return cli_error(c, &err);
	}
	xy_credit_report_opts ro = { cr.who, c->config, 0 };
	if (xy_view_profile(&rp, argv[optind], &vo, &profile, &err) ||
	    xy_credit_report_issue(&cr, profile, &ro, &pdf, &out, &err)) {
		cli_error(c, &err);
		goto done;
	}
	if (!output) {
		if (xy_buf_addf(&name, "%s.pdf", json_string_value(json_object_get(out, "number"))))
			goto done;
		output = name.data;
	}
	if (write_file(c, output, &pdf))
		goto done;
	if (c->json) {
		json_object_set_new(out, "file", json_string(output));
		rc = cli_print_json(out) ? EXIT_FAIL : EXIT_OK;
		out = NULL;
	} else {
		printf("报告编号 %s\n验证码   %s\n文件     %s (%lld 字节)\nSHA-256  %s\n",
		       cli_str(out, "number"), cli_str(out, "code"), output,
		       (long long)json_integer_value(json_object_get(out, "bytes")),
		       cli_str(out, "sha256"));
		rc = EXIT_OK;
	}
done:
	json_decref(profile);
	json_decref(out);
	xy_buf_release(&pdf);
	xy_buf_release(&name);
	xy_repairs_release(&rp);
	xy_credit_release(&cr);
	return rc;
}

static int read_pdf(const cli *c, const char *path, xy_buf *out)
{
	FILE *f = fopen(path, "rb");
	char chunk[65536];
	size_t n;
	if (!f) {
		fprintf(stderr, "xinyong %s: %s: %s\n", c->cmd, path, strerror(errno));
		return -1;
	}
	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0) {
		if (out->len + n > XY_REPORT_PDF_MAX) {
			fprintf(stderr, "xinyong %s: %s: larger than a report can be (%u bytes)\n",
				c->cmd, path, XY_REPORT_PDF_MAX);
			fclose(f);
			return -1;
		}
		if (xy_buf_add(out, chunk, n)) {
			fclose(f);
			return -1;
		}
	}
	if (ferror(f)) {
		fprintf(stderr, "xinyong %s: %s: %s\n", c->cmd, path, strerror(errno));
		fclose(f);
		return -1;
	}
	fclose(f);
	return 0;
}

static void print_verify(const cli *c, json_t *v)
{
	json_t *r = json_object_get(v, "report");
	(void)c;
	printf("%s %s: %s\n", cli_str(v, "number"), cli_str(v, "status"), cli_str(v, "message"));
	if (r)
		printf("主体     %s %s\n生成时间 %s\n数据截止 %s\nSHA-256  %s\n",
		       cli_str(json_object_get(r, "subject"), "name"),
		       cli_str(json_object_get(r, "subject"), "code"), cli_str(r, "generated_at"),
		       cli_str(r, "data_as_of"), cli_str(r, "sha256"));
}

static int verify(cli *c, int argc, char **argv)
{
	static const struct option opts[] = { { "code", required_argument, NULL, 'c' },
					      { NULL, 0, NULL, 0 } };
	xy_error err = XY_ERROR_INIT;
	xy_buf pdf = XY_BUF_INIT;
	const char *code = NULL, *file = NULL;
	json_t *v = NULL;
	int o, rc;
	optind = 1;
	while ((o = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (o == 'c')
			code = optarg;
		else
			return cli_usage_error(c, &cmd_report, "bad option");
	}
	if (optind < argc - 2 || optind >= argc)
		return cli_usage_error(c, &cmd_report, "give NUMBER and FILE.pdf or --code CODE");
	if (optind + 2 == argc)
		file = argv[optind + 1];
	if (!file == !code)
		return cli_usage_error(c, &cmd_report, "give FILE.pdf or --code CODE, one of them");
	if (file && read_pdf(c, file, &pdf))
		return EXIT_FAIL;
	if (cli_open_store(c)) {
		xy_buf_release(&pdf);
		return EXIT_FAIL;
	}
	rc = xy_credit_report_verify(c->store, argv[optind], file ? pdf.data : NULL, pdf.len,
				     code, &v, &err);
	xy_buf_release(&pdf);
	if (rc)
		return cli_error(c, &err);
	/* exit 0 only for a genuine report: scripts test it */
	rc = strcmp(cli_str(v, "status"), "genuine") ? EXIT_FAIL : EXIT_OK;
	return cli_render(c, XY_OK, &err, v, print_verify) ? EXIT_FAIL : rc;
}

static int run(cli *c, int argc, char **argv)
{
	if (argc < 2)
		return cli_usage_error(c, &cmd_report, "give a subcommand: credit or verify");
	if (!strcmp(argv[1], "credit"))
		return credit(c, argc - 1, argv + 1);
	if (!strcmp(argv[1], "verify"))
		return verify(c, argc - 1, argv + 1);
	return cli_usage_error(c, &cmd_report, "unknown subcommand '%s'", argv[1]);
}

const command cmd_report = {
	"report", run,
	"credit QUERY [-o FILE.pdf] [--date D] | verify NUMBER [FILE.pdf | --code CODE]",
	"the public credit report (公共信用信息报告): issue one as PDF, or verify one",
	"credit QUERY: the subject's public credit report (its public profile as of\n"
	"  --date, default today) as PDF, into -o FILE (default NUMBER.pdf); the\n"
	"  report is numbered (XY + date + sequence), its SHA-256 and verification\n"
	"  code stored and the issue audit-logged (report.issue).  Prints the number\n"
	"  and the code; --format json: {\"number\",\"code\",\"subject\",\"generated_at\",\n"
	"  \"data_as_of\",\"sha256\",\"bytes\",\"file\"}.\n"
	"verify NUMBER FILE.pdf: whether FILE is report NUMBER as issued, unaltered;\n"
	"verify NUMBER --code CODE: whether NUMBER and CODE were issued together.\n"
	"  Exit 0 when genuine, 1 when altered or unknown.  --format json prints the\n"
	"  answer of GET/POST /api/v1/reports/NUMBER/verify: {\"number\",\"status\":\n"
	"  \"genuine\"|\"altered\"|\"unknown\",\"method\",\"message\",(\"sha256\"),(\"report\")}.\n"
	"docs/credit-report.md describes the report and its codes.\n",
	NULL,
};
