/* xinyong import: one file → one atomic batch. */
#include <getopt.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "xinyong/grade.h"
#include "xinyong/ingest.h"
#include "xinyong/lists.h"
#include "xinyong/text.h"

static void warn_stderr(void *ctx, const char *msg)
{
	const cli *c = ctx;
	fprintf(stderr, "xinyong %s: warning: %s\n", c->cmd, msg);
}

static void sync_warn(void *ctx, const char *unit, const char *category, const char *key,
		      const char *field, const char *msg)
{
	const cli *c = ctx;
	fprintf(stderr, "xinyong %s: warning: %s · %s record %s: %s: no list entry: %s\n", c->cmd,
		unit, category, key, field, msg);
}

/* After a committed batch of a list category (地方发布红名单 …): derive its
 * list entries (docs/credit.md).  *cr is opened on first use; a configuration
 * without list-types.tsv has no list categories. */
static int sync_lists(cli *c, xy_credit *cr, bool *opened, const xy_batch *b,
		      xy_list_sync_out *out, bool *synced)
{
	xy_error err = XY_ERROR_INIT;
	char path[1200];
	*synced = false;
	if (!*opened) {
		snprintf(path, sizeof path, "%s/list-types.tsv",
			 c->config ? c->config : xy_registry_default_dir());
		if (access(path, R_OK))
			return 0;
		if (xy_credit_open(cr, c->store, &c->reg, c->config, &err))
			return cli_error(c, &err);
		*opened = true;
	}
	if (!xy_credit_is_list_category(cr, b->category))
		return 0;
	if (xy_credit_list_sync(cr, b->unit, b->category, sync_warn, c, out, &err))
		return cli_error(c, &err);
	*synced = true;
	return 0;
}

/* The JSON outcome of a file that left no batch behind (the database was
 * busy or failing): status "failed", nothing written. */
static void failed_json(const char *file, const char *msg)
{
	cli_print_json(json_pack("{s:n,s:s,s:o,s:s}", "batch", "status", "failed", "file",
				 xy_json_text(file, NULL), "message", msg));
}

int cli_parse_size(const char *s, uint64_t *out)
{
	char *end;
	unsigned long long v = strtoull(s, &end, 10);
	int shift = 0;
	if (end == s)
		return -1;
	switch (*end) {
	case 'k': case 'K': shift = 10; end++; break;
	case 'm': case 'M': shift = 20; end++; break;
	case 'g': case 'G': shift = 30; end++; break;
	default: break;
	}
	if (*end || !v || v > (~0ULL >> shift))
		return -1;
	*out = (uint64_t)v << shift;
	return 0;
}

static int run(cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "unit", required_argument, NULL, 'u' },
		{ "category", required_argument, NULL, 'c' },
		{ "reported-on", required_argument, NULL, 'r' },
		{ "encoding", required_argument, NULL, 'e' },
		{ "input-format", required_argument, NULL, 'i' },
		{ "reports", required_argument, NULL, 'R' },
		{ "max-unzipped", required_argument, NULL, 'Z' },
		{ "strict", no_argument, NULL, 'S' },
		{ "max-errors", required_argument, NULL, 'E' },
		{ "no-grade", no_argument, NULL, 'G' },
		{ NULL, 0, NULL, 0 },
	};
	xy_import_opts io;
	xy_buf who = XY_BUF_INIT;
	xy_credit cr;
	bool cr_open = false;
	xy_buf reports_buf __attribute__((cleanup(xy_buf_release))) = XY_BUF_INIT;
	const char *reports = NULL;
	int o, status = EXIT_OK;
	bool grade = true;

	memset(&io, 0, sizeof io);
	io.warn = warn_stderr;
	io.warn_ctx = c;
	while ((o = getopt_long(argc, argv, "u:c:r:e:i:R:Z:SE:", opts, NULL)) != -1) {
		switch (o) {
		case 'S': io.strict = true; break;
		case 'G': grade = false; break;
		case 'E': {
			char *end;
			long n = strtol(optarg, &end, 10);
			if (*end || n <= 0)
				return cli_usage_error(c, &cmd_import,
						       "--max-errors needs a number of rows > 0");
			io.max_stored_errors = n;
			break;
		}
		case 'u': io.unit = optarg; break;
		case 'c': io.category = optarg; break;
		case 'r': io.reported_on = optarg; break;
		case 'R': reports = optarg; break;
		case 'Z':
			if (cli_parse_size(optarg, &io.reader.max_unzipped))
				return cli_usage_error(c, &cmd_import,
						       "--max-unzipped needs a size like 512M or 2G");
			break;
		case 'e': {
			int e = xy_encoding_parse(optarg);
			if (e < 0)
				return cli_usage_error(c, &cmd_import, "--encoding must be utf-8, "
						       "gb18030 (gbk), utf-16le or utf-16be");
			io.reader.encoding = (xy_encoding)e;
			break;
		}
		case 'i': {
			int f = xy_format_parse(optarg);
			if (f < 0 || f == XY_FMT_AUTO)
				return cli_usage_error(c, &cmd_import, "--input-format must be csv, "
						       "xlsx, xls (et), ods or json");
			io.reader.format = (xy_format)f;
			break;
		}
		default:
			return cli_usage_error(c, &cmd_import, "unknown option");
		}
	}
	if (!io.unit || !io.category)
		return cli_usage_error(c, &cmd_import, "--unit and --category are required");
	if (optind >= argc)
		return cli_usage_error(c, &cmd_import, "no file given");
	if (!reports) { /* error reports live beside the database */
		if (cli_beside_db(c, "reports", &reports_buf))
			return EXIT_FAIL;
		reports = reports_buf.data;
	}
	io.report_dir = reports;
	if (cli_open_store(c)) {
		/* a script asking for JSON gets an outcome for each file even when
		 * the database could not be opened (busy past XINYONG_WAIT, …) */
		for (int i = optind; c->json && i < argc; i++)
			failed_json(argv[i], "the database could not be opened (see the error above)");
		return EXIT_FAIL;
	}
	if (cli_admin(c, &who))
		return EXIT_FAIL;
	io.who = who.data; /* the audit log's who */

	for (int i = optind; i < argc; i++) {
		XY_AUTO(xy_batch, b);
		xy_error err = XY_ERROR_INIT;
		xy_list_sync_out lo;
		bool synced = false;
		xy_code rc = xy_import_file(c->store, &c->reg, argv[i], &io, &b, &err);
		if (rc) {
			cli_error(c, &err);
			status = EXIT_FAIL;
			if (b.status != XY_BATCH_REFUSED) {
				if (c->json) {
					char msg[sizeof err.msg + 64];
					xy_error_format(&err, msg, sizeof msg);
					failed_json(argv[i], msg);
				}
				continue;
			}
		}
		if (!rc && b.status == XY_BATCH_COMMITTED &&
		    sync_lists(c, &cr, &cr_open, &b, &lo, &synced))
			status = EXIT_FAIL;
		/* a graded database: the batch's subjects again (docs/grading.md);
		 * a failure is said, the batch stays committed */
		xy_grade_auto ga = { 0 };
		if (!rc && grade)
			xy_grade_after_import(c->store, &c->reg, cr_open ? &cr.cat : NULL, &b,
					      who.data, &ga);
		if (ga.ran && ga.rc) {
			fprintf(stderr, "xinyong %s: batch %lld committed, but re-grading its subjects "
				"failed:\n", c->cmd, (long long)b.id);
			cli_error(c, &ga.err);
			status = EXIT_FAIL;
		}
		json_t *bj = NULL;
		if (xy_batch_summary(c->store, &c->reg, &b, &bj, &err)) {
			cli_error(c, &err);
			status = EXIT_FAIL;
			continue;
		}
		if (c->json) {
			if (synced)
				json_object_set_new(bj, "list_entries",
						    json_pack("{s:i,s:i,s:i,s:i,s:i,s:i,s:i}",
							      "created", (int)lo.created, "updated",
							      (int)lo.updated, "unchanged",
							      (int)lo.unchanged, "withdrawn",
							      (int)lo.withdrawn, "problems",
							      (int)lo.problems, "notices", (int)lo.notices,
							      "exited", (int)lo.exited));
			if (ga.ran)
				json_object_set_new(bj, "grade", xy_grade_auto_json(&ga));
			if (cli_print_json(bj))
				status = EXIT_FAIL;
			continue;
		}
		if (b.status == XY_BATCH_REFUSED) {
			if (b.id)
				printf("batch %lld refused: %s\n", (long long)b.id, argv[i]);
			json_decref(bj);
			continue;
		}
		printf("batch %lld  %s · %s · reported %s\n", (long long)b.id, b.unit, b.category,
		       b.reported_on);
		printf("  file      %s (%s, %s)\n", b.file, b.format, b.encoding);
		printf("  rows      %ld: %ld new, %ld updated, %ld unchanged, %ld rejected\n", b.rows,
		       b.added, b.updated, b.unchanged, b.rejected);
		if (b.error_report[0])
			printf("  errors    %s\n", b.error_report);
		if (b.rejected > b.errors_stored)
			printf("            (the first %ld rejected rows have their reasons in `xinyong "
			       "batches %lld`; all are in the report)\n", b.errors_stored,
			       (long long)b.id);
		cli_print_batch_layout(bj);
		json_decref(bj);
		if (synced)
			printf("  名单      %ld new, %ld corrected, %ld unchanged, %ld withdrawn, "
			       "%ld exited, %ld without entry\n", lo.created, lo.updated,
			       lo.unchanged, lo.withdrawn, lo.exited, lo.problems);
		if (ga.ran && !ga.rc)
			printf("  分级      run %lld: %ld subjects graded again as of %s\n",
			       (long long)ga.res.run_id, ga.res.subjects, ga.as_of);
		else if (ga.ran)
			printf("  分级      re-grading failed: %s\n", ga.err.msg);
	}
	if (cr_open)
		xy_credit_release(&cr);
	xy_buf_release(&who);
	return status;
}

const command cmd_import = {
	"import", run,
	"--unit UNIT --category CATEGORY [--reported-on DATE] [--encoding utf-8|gb18030|utf-16le]\n"
	"                      [--input-format csv|xlsx|xls|ods|json] [--reports DIR] [--max-unzipped SIZE]\n"
	"                      [--no-grade] FILE…",
	"import a source unit's file (CSV, XLSX, XLS, ODS, JSON) as one atomic batch",
	"Every row is validated; accepted rows commit together, rejected rows go to an\n"
	"error report in the input's own format (default DIR: reports/ beside the database)\n"
	"with the row, column and reason, so the unit can fix and resend it.  Re-importing\n"
	"is idempotent: records are identified by (unit, category, the unit's key).\n"
	"--reported-on DATE   the month the office counts this batch in (default today)\n"
	"--max-unzipped SIZE  refuse an XLSX or ODS that expands past SIZE (default 4G)\n"
	"--strict             refuse a file with data in a column that is not a field\n"
	"                     (default: keep its values with each record under _extra\n"
	"                     and list the column in the summary)\n"
	"--max-errors N       store the reasons of the first N rejected rows (default\n"
	"                     10000); later ones are counted and in the error report\n"
	"The header is found, not assumed: title rows and 填报单位/日期 lines above it\n"
	"are skipped (the first of the first 20 rows naming enough fields); sheets\n"
	"without one (填报说明, 字典) are skipped with a note.  A unit's own column\n"
	"names are mapped with `xinyong mapping`.\n"
	"--format json        one summary object per file:\n"
	"  {\"batch\",\"status\",\"unit\",\"category\",\"file\",\"format\",\"encoding\",\"reported_on\",\n"
	"   \"rows\",\"new\",\"updated\",\"unchanged\",\"rejected\",\"errors_stored\",\"error_report\",\n"
	"   \"message\",\"header_row\",\"sheets\":[…],\"unmapped_columns\":[{\"column\",\"header\",\n"
	"   \"cells\",\"suggestion\"}]}\n"
	"  plus, for a list category, \"list_entries\": {\"created\",\"updated\",\"unchanged\",\n"
	"   \"withdrawn\",\"problems\",\"notices\",\"exited\"}\n"
	"Rows of a list category (地方发布红名单, 地方发布黑名单, 国家黑名单) also become\n"
	"list entries after the commit (xinyong list sync; docs/credit.md); a row that\n"
	"cannot is reported as a warning and stays a record.  Rows of 失信主体以注销、\n"
	"吊销等形式退出黑名单 naming an entry's 文书号 exit it (注销/吊销).\n"
	"In a database that was graded (xinyong grade run), the subjects of a batch that\n"
	"added or updated records are graded again with the latest run's model\n"
	"(docs/grading.md): \"分级\" in the summary, \"grade\": {\"run\",\"as_of\",\"model\",\n"
	"\"subjects\"} or {\"error\"} in JSON; a failure leaves the batch committed.\n"
	"--no-grade           do not (grade run --subjects-of-batch N does it later)\n"
	"Exit status 0 when every file was committed (rows may have been rejected),\n"
	"1 when a file was refused or an error occurred (a failed re-grade too).\n",
};
