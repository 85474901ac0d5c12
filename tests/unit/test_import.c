/* End-to-end import through the library API (lib/ingest/import.c with the
 * readers, validation and the SQLite store), on fixtures in tests/data/import/
 * (see make-fixtures.sh there) and the shipped samples. */
#include <criterion/criterion.h>
#include <dirent.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "xinyong/ingest.h"

#define DATA(name) XY_TEST_DATA "/import/" name
#define SAMPLE(name) XY_TEST_DATA "/../../data/samples/" name

static char tmpdir[256];
static char dbpath[512];
static char reportdir[512];
static xy_store *st;
static xy_registry reg;
static xy_error err;

#define MAXWARN 64
static char *warnings[MAXWARN];
static size_t nwarnings;

static int rm_one(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
	(void)sb;
	(void)flag;
	(void)ftw;
	return remove(path);
}

#define OK(expr) \
	do { \
		xy_code rc_ = (expr); \
		cr_assert_eq(rc_, XY_OK, "%s: %s (%s:%ld %s)", #expr, xy_code_name(rc_), err.file, \
			     err.row, err.msg); \
	} while (0)

static void setup(void)
{
	cr_assert_eq(setenv("XINYONG_TODAY", "2026-11-26", 1), 0);
	snprintf(tmpdir, sizeof tmpdir, "/tmp/xy_import_test_XXXXXX");
	cr_assert_not_null(mkdtemp(tmpdir));
	snprintf(dbpath, sizeof dbpath, "%s/xy.db", tmpdir);
	snprintf(reportdir, sizeof reportdir, "%s/reports", tmpdir);
	st = NULL;
	nwarnings = 0;
	xy_error_clear(&err);
	xy_registry_init(&reg);
	OK(xy_store_open(&st, dbpath, NULL, &err));
	OK(xy_store_load_registry(st, &reg, &err));
}

/* Batches handed to the tests (imports, gets) are kept here until teardown,
 * so a test may fill the same variable again: keep(&b) takes the block its
 * strings live in, and b borrows them from here. */
static xy_batch *kept;
static size_t nkept, capkept;

static void keep(xy_batch *b)
{
	xy_batch *v = xy_array_grow(kept, nkept, &capkept, sizeof *v, 16);
	cr_assert_not_null(v);
	kept = v;
	kept[nkept++] = *b;
	b->mem = NULL;
}

static void teardown(void)
{
	for (size_t i = 0; i < nkept; i++)
		xy_batch_release(&kept[i]);
	free(kept);
	kept = NULL;
	nkept = capkept = 0;
	for (size_t i = 0; i < nwarnings; i++)
		free(warnings[i]);
	nwarnings = 0;
	xy_registry_release(&reg);
	xy_store_close(st);
	st = NULL;
	nftw(tmpdir, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

TestSuite(import, .init = setup, .fini = teardown);

static void on_warn(void *ctx, const char *msg)
{
	cr_assert_eq(ctx, (void *)&nwarnings);
	cr_assert_not_null(msg);
	if (nwarnings < MAXWARN)
		cr_assert_not_null(warnings[nwarnings++] = strdup(msg));
}

static xy_code import(const char *path, const char *unit, const char *category,
		      const char *reported_on, xy_batch *b)
{
	xy_import_opts o;
	xy_code rc;
	memset(&o, 0, sizeof o);
	o.unit = unit;
	o.category = category;
	o.reported_on = reported_on;
	o.report_dir = reportdir;
	o.warn = on_warn;
	o.warn_ctx = &nwarnings;
	xy_error_clear(&err);
	rc = xy_import_file(st, &reg, path, &o, b, &err);
	keep(b);
	return rc;
}

static void expect_counts(const xy_batch *b, long rows, long added, long updated,
			  long unchanged, long rejected)
{
	cr_expect_eq(b->status, XY_BATCH_COMMITTED);
	cr_expect_eq(b->rows, rows, "rows %ld, want %ld", b->rows, rows);
	cr_expect_eq(b->added, added, "new %ld, want %ld", b->added, added);
	cr_expect_eq(b->updated, updated, "updated %ld, want %ld", b->updated, updated);
	cr_expect_eq(b->unchanged, unchanged, "unchanged %ld, want %ld", b->unchanged, unchanged);
	cr_expect_eq(b->rejected, rejected, "rejected %ld, want %ld", b->rejected, rejected);
	cr_expect_eq(b->added + b->updated + b->unchanged + b->rejected, b->rows);
}

static long records_total(void)
{
	long n = -1;
	OK(xy_store_record_count(st, 0, &n, &err));
	return n;
}

static long records_of_batch(int64_t id)
{
	long n = -1;
	OK(xy_store_record_count(st, id, &n, &err));
	return n;
}

static size_t batch_count(void)
{
	xy_batch *v = NULL;
	size_t n = 0;
	OK(xy_store_batches(st, 0, &v, &n, &err));
	xy_batches_free(v, n);
	return n;
}

static bool file_exists(const char *path)
{
	struct stat sb;
	return stat(path, &sb) == 0 && S_ISREG(sb.st_mode);
}

static bool ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);
	return n >= m && strcmp(s + n - m, suffix) == 0;
}

/* Entries of the report directory other than finished reports (temporary files). */
static size_t stray_files(void)
{
	DIR *d = opendir(reportdir);
	struct dirent *e;
	size_t n = 0;
	if (!d)
		return 0;
	while ((e = readdir(d)))
		if (e->d_name[0] == '.' && strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
			n++;
	closedir(d);
	return n;
}

static size_t report_files(void)
{
	DIR *d = opendir(reportdir);
	struct dirent *e;
	size_t n = 0;
	if (!d)
		return 0;
	while ((e = readdir(d)))
		n += strstr(e->d_name, ".errors.") != NULL;
	closedir(d);
	return n;
}

/* ---- records of a subject ---- */

typedef struct rec {
	char key[256];
	char data[4096];
	char decided_on[11];
	char reported_on[11];
	int64_t first_batch, last_batch;
	int versions;
} rec;

typedef struct recs {
	rec v[32];
	size_t n;
} recs;

static int collect_rec(void *ctx, const xy_record_view *r)
{
	recs *rs = ctx;
	rec *x;
	cr_assert_lt(rs->n, 32);
	x = &rs->v[rs->n++];
	snprintf(x->key, sizeof x->key, "%s", r->key);
	snprintf(x->data, sizeof x->data, "%s", r->data);
	snprintf(x->decided_on, sizeof x->decided_on, "%s", r->decided_on ? r->decided_on : "");
	snprintf(x->reported_on, sizeof x->reported_on, "%s", r->reported_on ? r->reported_on : "");
	x->first_batch = r->first_batch;
	x->last_batch = r->last_batch;
	x->versions = r->versions;
	return 0;
}

/* Records of the subject with this code; 0 records when the subject is unknown. */
static recs subject_records(const char *code)
{
	recs rs;
	xy_subject *v = NULL;
	size_t n = 0;
	memset(&rs, 0, sizeof rs);
	OK(xy_store_subject_find(st, code, 10, &v, &n, &err));
	for (size_t i = 0; i < n; i++)
		if (strcmp(v[i].code, code) == 0)
			OK(xy_store_subject_records(st, v[i].id, collect_rec, &rs, &err));
	xy_subjects_free(v, n);
	return rs;
}

static const rec *find_key(const recs *rs, const char *key)
{
	for (size_t i = 0; i < rs->n; i++)
		if (strcmp(rs->v[i].key, key) == 0)
			return &rs->v[i];
	return NULL;
}

/* ---- stored batch errors ---- */

typedef struct berr {
	long row;
	char column[128];
	char zh[256], en[256];
} berr;

typedef struct berrs {
	berr v[32];
	size_t n;
} berrs;

static int collect_err(void *ctx, const xy_batch_error *e)
{
	berrs *es = ctx;
	berr *x;
	cr_assert_lt(es->n, 32);
	x = &es->v[es->n++];
	x->row = e->row;
	snprintf(x->column, sizeof x->column, "%s", e->column ? e->column : "");
	snprintf(x->zh, sizeof x->zh, "%s", e->reason_zh ? e->reason_zh : "");
	snprintf(x->en, sizeof x->en, "%s", e->reason_en ? e->reason_en : "");
	return 0;
}

static berrs batch_errors(int64_t id)
{
	berrs es;
	memset(&es, 0, sizeof es);
	OK(xy_store_batch_errors(st, id, collect_err, &es, &err));
	return es;
}

/* ---- reading an error report back ---- */

typedef struct report {
	xy_format fmt;
	xy_encoding enc;
	size_t nheader;
	char header[40][128];
	size_t nrows;
	char cells[16][40][128]; /* data rows, cut to 127 bytes */
} report;

static void read_report(const char *path, report *out)
{
	xy_reader *r = NULL;
	const xy_row *row;
	xy_reader_opts o;
	memset(&o, 0, sizeof o);
	memset(out, 0, sizeof *out);
	OK(xy_reader_open(&r, path, &o, &err));
	out->fmt = xy_reader_format(r);
	out->enc = xy_reader_encoding(r);
	for (;;) {
		OK(xy_reader_next(r, &row, &err));
		if (!row)
			break;
		cr_assert_null(row->problem, "report row %ld: %s", row->line, row->problem);
		if (row->is_header) {
			out->nheader = row->ncells < 40 ? row->ncells : 40;
			for (size_t i = 0; i < out->nheader; i++)
				snprintf(out->header[i], 128, "%s", row->cells[i]);
			continue;
		}
		cr_assert_lt(out->nrows, 16);
		for (size_t i = 0; i < row->ncells && i < 40; i++)
			snprintf(out->cells[out->nrows][i], 128, "%.127s", row->cells[i]);
		out->nrows++;
	}
	xy_reader_free(r);
}

static int report_col(const report *rp, const char *name)
{
	for (size_t i = 0; i < rp->nheader; i++)
		if (strcmp(rp->header[i], name) == 0)
			return (int)i;
	return -1;
}

static bool has_warning(const char *needle)
{
	for (size_t i = 0; i < nwarnings; i++)
		if (strstr(warnings[i], needle))
			return true;
	return false;
}

static void expect_reasons(const berrs *es)
{
	for (size_t i = 0; i < es->n; i++) {
		cr_expect_neq(es->v[i].zh[0], '\0', "row %ld: no Chinese reason", es->v[i].row);
		cr_expect_neq(es->v[i].en[0], '\0', "row %ld: no English reason", es->v[i].row);
	}
}

/* ======================================================================= */

Test(import, utf8_csv_counts_and_stored_values)
{
	xy_batch b, got;
	recs rs;
	const rec *r;
	OK(import(DATA("xzcf-utf8.csv"), "市场监管局", "行政处罚", "2019-10", &b));
	expect_counts(&b, 9, 4, 0, 0, 5);
	cr_expect_gt(b.id, 0);
	cr_expect_str_eq(b.reported_on, "2019-10-01");
	cr_expect_str_eq(b.format, "csv");
	cr_expect_str_eq(b.encoding, "utf-8");
	cr_expect_str_eq(b.unit, "市场监管局");
	cr_expect_str_eq(b.category, "行政处罚");
	cr_expect_eq(records_of_batch(b.id), 4);
	cr_expect_eq(records_total(), 4);

	/* the stored batch says the same */
	OK(xy_store_batch_get(st, b.id, &got, &err));
	keep(&got);
	cr_expect_eq(got.status, XY_BATCH_COMMITTED);
	cr_expect_eq(got.rows, 9);
	cr_expect_eq(got.added, 4);
	cr_expect_eq(got.rejected, 5);
	cr_expect_str_eq(got.reported_on, "2019-10-01");
	cr_expect_str_eq(got.error_report, b.error_report);
	cr_expect_eq(got.unit_id, xy_registry_unit(&reg, "市场监管局")->id);
	cr_expect_eq(got.category_id, xy_registry_category(&reg, "行政处罚")->id);

	/* normalised values: "1,234.50" → 1234.5, 2019/10/4 → 2019-10-04 */
	rs = subject_records("91210802H59ED1Y524");
	cr_assert_eq(rs.n, 1);
	r = &rs.v[0];
	cr_expect_str_eq(r->key, "营市监罚〔2019〕102号");
	cr_expect_neq(strstr(r->data, "\"CF_NR_FK\":\"1234.5\""), NULL, "%s", r->data);
	cr_expect_neq(strstr(r->data, "\"CF_JDRQ\":\"2019-10-04\""), NULL, "%s", r->data);
	cr_expect_str_eq(r->decided_on, "2019-10-04");
	cr_expect_str_eq(r->reported_on, "2019-10-01");
	cr_expect_eq(r->versions, 1);
	cr_expect_eq(r->first_batch, b.id);
	cr_expect_eq(r->last_batch, b.id);

	/* a natural person by RIC; ".5" → 0.5, 20190907 → 2019-09-07 */
	rs = subject_records("210804195604102130");
	cr_assert_eq(rs.n, 1);
	cr_expect_neq(strstr(rs.v[0].data, "\"CF_NR_FK\":\"0.5\""), NULL, "%s", rs.v[0].data);
	cr_expect_str_eq(rs.v[0].decided_on, "2019-09-07");

	/* the unmapped column's values are kept with the record, not as a field */
	rs = subject_records("91210803MADE2UMA8E");
	cr_assert_eq(rs.n, 1, "the duplicate 文书号 row must not add a record");
	cr_expect_neq(strstr(rs.v[0].data, "\"_extra\":{\"内部备忘\":\"备忘一\"}"), NULL, "%s",
		      rs.v[0].data);

	/* a decision dated today (XINYONG_TODAY) is accepted, tomorrow's and the
	 * impossible date are not */
	rs = subject_records("912108119KC5TK9N3N");
	cr_assert_eq(rs.n, 1);
	cr_expect_str_eq(rs.v[0].key, "营市监罚〔2026〕105号");
	cr_expect_str_eq(rs.v[0].decided_on, "2026-11-26");

	/* the row with the wrong check character created no subject */
	rs = subject_records("912108119KC5TK9N30");
	cr_expect_eq(rs.n, 0);
}

Test(import, rejected_rows_stored_with_row_column_reason)
{
	static const struct {
		long row;
		const char *column;
	} want[] = {
		{ 5, "统一社会信用代码" },     /* check character */
		{ 6, "行政处罚决定书文号" },   /* required and empty */
		{ 7, "行政处罚决定书文号" },   /* duplicate key */
		{ 8, "处罚决定日期" },         /* 2019-02-30 */
		{ 9, "处罚决定日期" },         /* tomorrow */
	};
	xy_batch b;
	berrs es;
	OK(import(DATA("xzcf-utf8.csv"), "市场监管局", "行政处罚", "2019-10", &b));
	es = batch_errors(b.id);
	cr_assert_eq(es.n, 5, "%zu errors", es.n);
	for (size_t i = 0; i < 5; i++) {
		cr_expect_eq(es.v[i].row, want[i].row, "error %zu: row %ld", i, es.v[i].row);
		cr_expect_str_eq(es.v[i].column, want[i].column, "row %ld", es.v[i].row);
	}
	expect_reasons(&es);
	cr_expect_neq(strstr(es.v[0].en, "check character"), NULL, "%s", es.v[0].en);
	cr_expect(strstr(es.v[2].zh, "重复") || strstr(es.v[2].en, "same key"), "%s / %s",
		  es.v[2].zh, es.v[2].en);
	cr_expect_neq(strstr(es.v[4].en, "future"), NULL, "%s", es.v[4].en);
}

Test(import, duplicate_key_keeps_first_row)
{
	xy_batch b;
	recs rs;
	OK(import(DATA("xzcf-utf8.csv"), "市场监管局", "行政处罚", NULL, &b));
	rs = subject_records("91210803MADE2UMA8E");
	cr_assert_eq(rs.n, 1);
	cr_expect_str_eq(rs.v[0].key, "营市监罚〔2019〕101号");
	cr_expect_neq(strstr(rs.v[0].data, "罚款人民币1千元整"), NULL, "%s", rs.v[0].data);
	cr_expect_eq(strstr(rs.v[0].data, "9千"), NULL, "the later duplicate won: %s", rs.v[0].data);
	cr_expect_eq(rs.v[0].versions, 1);
}

Test(import, error_report_csv)
{
	xy_batch b;
	report rp;
	int rowcol, keycol, reasoncol;
	OK(import(DATA("xzcf-utf8.csv"), "市场监管局", "行政处罚", "2019-10", &b));
	cr_assert_neq(b.error_report[0], '\0');
	cr_expect_eq(strncmp(b.error_report, reportdir, strlen(reportdir)), 0, "%s",
		     b.error_report);
	cr_expect(ends_with(b.error_report, ".errors.csv"), "%s", b.error_report);
	cr_expect_neq(strstr(b.error_report, "xzcf-utf8"), NULL, "named after the input: %s",
		      b.error_report);
	cr_assert(file_exists(b.error_report), "%s", b.error_report);
	cr_expect_eq(stray_files(), 0, "temporary report left behind");

	read_report(b.error_report, &rp);
	cr_expect_eq(rp.fmt, XY_FMT_CSV);
	cr_expect_eq(rp.enc, XY_ENC_UTF8, "same encoding as the input");
	/* the input's 19 columns, then the report's own */
	cr_assert_eq(rp.nheader, 19 + 4, "%zu columns", rp.nheader);
	cr_expect_str_eq(rp.header[0], "行政相对人名称");
	cr_expect_str_eq(rp.header[11], "罚款金额(万元)", "headers kept as the unit wrote them");
	cr_expect_str_eq(rp.header[18], "内部备忘", "ignored columns are kept too");
	rowcol = report_col(&rp, "错误行号");
	reasoncol = report_col(&rp, "错误原因");
	keycol = report_col(&rp, "行政处罚决定书文号");
	cr_assert_geq(rowcol, 19);
	cr_assert_geq(reasoncol, 19);
	cr_expect_geq(report_col(&rp, "错误字段"), 19);
	cr_expect_geq(report_col(&rp, "error"), 19);
	cr_assert_eq(rp.nrows, 5);
	for (size_t i = 0; i < rp.nrows; i++) {
		char want[8];
		snprintf(want, sizeof want, "%zu", i + 5);
		cr_expect_str_eq(rp.cells[i][rowcol], want);
		cr_expect_neq(rp.cells[i][reasoncol][0], '\0');
	}
	/* the rejected rows themselves, unchanged */
	cr_expect_str_eq(rp.cells[0][2], "912108119KC5TK9N30");
	cr_expect_str_eq(rp.cells[1][keycol], "");
	cr_expect_str_eq(rp.cells[2][keycol], "营市监罚〔2019〕101号");
	cr_expect_str_eq(rp.cells[3][12], "2019-02-30");
	cr_expect_str_eq(rp.cells[4][18], "明天的决定");
}

Test(import, warnings_name_unknown_columns)
{
	xy_batch b;
	OK(import(DATA("xzcf-utf8.csv"), "市场监管局", "行政处罚", NULL, &b));
	cr_expect(has_warning("内部备忘"), "no warning about the unknown column (%zu warnings)",
		  nwarnings);
	/* known columns are not warned about */
	cr_expect_not(has_warning("'行政处罚决定书文号'"));
	cr_expect_not(has_warning("'罚款金额(万元)'"));

	/* a run without a callback works the same */
	{
		xy_import_opts o;
		XY_AUTO(xy_batch, b2);
		memset(&o, 0, sizeof o);
		o.unit = "市场监管局";
		o.category = "xzcf";
		o.report_dir = reportdir;
		OK(xy_import_file(st, &reg, DATA("xzcf-utf8.csv"), &o, &b2, &err));
		expect_counts(&b2, 9, 0, 0, 4, 5);
	}
}

Test(import, reimport_is_idempotent)
{
	xy_batch b1, b2, b3;
	recs rs;
	OK(import(DATA("xzcf-utf8.csv"), "市场监管局", "行政处罚", "2019-10", &b1));
	OK(import(DATA("xzcf-utf8.csv"), "市场监管局", "行政处罚", "2019-10", &b2));
	expect_counts(&b2, 9, 0, 0, 4, 5);
	cr_expect_neq(b2.id, b1.id);
	OK(import(DATA("xzcf-utf8.csv"), "市场监管局", "行政处罚", "2019-10", &b3));
	expect_counts(&b3, 9, 0, 0, 4, 5);
	cr_expect_eq(records_total(), 4);
	cr_expect_eq(records_of_batch(b1.id), 4);
	cr_expect_eq(records_of_batch(b2.id), 0, "nothing new in the second batch");
	cr_expect_eq(batch_count(), 3);
	rs = subject_records("91210802H59ED1Y524");
	cr_assert_eq(rs.n, 1);
	cr_expect_eq(rs.v[0].versions, 1, "unchanged re-imports keep no versions");
	cr_expect_eq(rs.v[0].first_batch, b1.id);
	/* each import wrote its own report */
	cr_expect_eq(report_files(), 3);
	cr_expect_str_neq(b1.error_report, b2.error_report);
}

Test(import, changed_row_updates_and_keeps_old_version)
{
	xy_batch b1, b2;
	recs rs;
	const rec *r;
	OK(import(DATA("xzcf-utf8.csv"), "市场监管局", "行政处罚", "2019-10", &b1));
	OK(import(DATA("xzcf-changed.csv"), "市场监管局", "行政处罚", NULL, &b2));
	/* 101 changed; 102 only in its unmapped column 内部备忘, whose values are
	 * kept (under "_extra"), so it is updated too */
	expect_counts(&b2, 5, 1, 2, 2, 0);
	cr_expect_str_eq(b2.reported_on, "2026-11-26", "default: today (XINYONG_TODAY)");
	cr_expect_str_eq(b2.error_report, "", "no rejected rows, no report");
	cr_expect_eq(report_files(), 1);
	cr_expect_eq(records_total(), 5);
	cr_expect_eq(records_of_batch(b2.id), 1);

	rs = subject_records("91210803MADE2UMA8E");
	cr_assert_eq(rs.n, 1);
	r = &rs.v[0];
	cr_expect_eq(r->versions, 2, "the superseded version is kept");
	cr_expect_neq(strstr(r->data, "千五百"), NULL, "new content: %s", r->data);
	cr_expect_neq(strstr(r->data, "\"CF_NR_FK\":\"0.15\""), NULL, "%s", r->data);
	cr_expect_eq(r->first_batch, b1.id);
	cr_expect_eq(r->last_batch, b2.id);
	cr_expect_str_eq(r->reported_on, "2019-10-01", "reported with the batch that brought it");

	/* only the unmapped column changed (and 1234.5 was 1,234.50): a new
	 * version, since the unmapped value is kept; the amount did not move */
	rs = subject_records("91210802H59ED1Y524");
	cr_assert_eq(rs.n, 1);
	cr_expect_eq(rs.v[0].versions, 2);
	cr_expect_neq(strstr(rs.v[0].data, "\"CF_NR_FK\":\"1234.5\""), NULL, "%s", rs.v[0].data);

	rs = subject_records("912108119KC5TK9N3N");
	cr_assert_eq(rs.n, 2);
	cr_expect_not_null(find_key(&rs, "营市监罚〔2019〕106号"));
	cr_expect_not_null(find_key(&rs, "营市监罚〔2026〕105号"));

	/* importing the changed file again: all unchanged, still 2 versions */
	OK(import(DATA("xzcf-changed.csv"), "市场监管局", "行政处罚", NULL, &b2));
	expect_counts(&b2, 5, 0, 0, 5, 0);
	rs = subject_records("91210803MADE2UMA8E");
	cr_assert_eq(rs.n, 1);
	cr_expect_eq(rs.v[0].versions, 2);

	/* and the old file once more: 101 and 102 (its 内部备忘) change back */
	OK(import(DATA("xzcf-utf8.csv"), "市场监管局", "行政处罚", "2019-10", &b2));
	expect_counts(&b2, 9, 0, 2, 2, 5);
	rs = subject_records("91210803MADE2UMA8E");
	cr_assert_eq(rs.n, 1);
	cr_expect_eq(rs.v[0].versions, 3);
	cr_expect_neq(strstr(rs.v[0].data, "罚款人民币1千元整"), NULL, "%s", rs.v[0].data);
}

Test(import, same_records_from_another_unit_are_its_own)
{
	xy_batch b1, b2;
	OK(import(DATA("xzcf-utf8.csv"), "市场监管局", "行政处罚", NULL, &b1));
	OK(import(DATA("xzcf-utf8.csv"), "公安局", "行政处罚", NULL, &b2));
	expect_counts(&b2, 9, 4, 0, 0, 5);
	cr_expect_eq(records_total(), 8);
}

Test(import, reported_on_forms)
{
	static const struct {
		const char *in, *out; /* out NULL: refused as XY_ERR_ARG */
	} cases[] = {
		{ "2019-10", "2019-10-01" },
		{ "2019-10-15", "2019-10-15" },
		{ "2026-11", "2026-11-01" },
		{ "2026-11-26", "2026-11-26" },
		{ NULL, "2026-11-26" },
		{ "2026-12", NULL },       /* future */
		{ "2026-11-27", NULL },    /* tomorrow */
		{ "2019-13", NULL },
		{ "2019-02-30", NULL },
		{ "201910", NULL },
		{ "十月", NULL },
	};
	size_t committed = 0;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		xy_batch b;
		xy_code rc = import(DATA("xygzbd.csv"), "站前区", "信用工作报道", cases[i].in, &b);
		if (cases[i].out) {
			cr_expect_eq(rc, XY_OK, "'%s': %s %s", cases[i].in ? cases[i].in : "(null)",
				     xy_code_name(rc), err.msg);
			cr_expect_str_eq(b.reported_on, cases[i].out, "'%s'",
					 cases[i].in ? cases[i].in : "(null)");
			committed++;
		} else {
			cr_expect_eq(rc, XY_ERR_ARG, "'%s' accepted as %s", cases[i].in, b.reported_on);
			cr_expect_neq(err.msg[0], '\0');
		}
		cr_expect_eq(batch_count(), committed, "'%s': a refused option records no batch",
			     cases[i].in ? cases[i].in : "(null)");
	}
}

Test(import, unknown_unit_or_category)
{
	xy_batch b;
	cr_expect_eq(import(DATA("xzcf-utf8.csv"), "不存在的局", "行政处罚", NULL, &b),
		     XY_ERR_NOTFOUND);
	cr_expect_neq(strstr(err.msg, "不存在的局"), NULL, "%s", err.msg);
	cr_expect_eq(import(DATA("xzcf-utf8.csv"), NULL, "行政处罚", NULL, &b), XY_ERR_NOTFOUND);
	cr_expect_eq(import(DATA("xzcf-utf8.csv"), "市场监管局", "不存在的类别", NULL, &b),
		     XY_ERR_NOTFOUND);
	cr_expect_neq(strstr(err.msg, "不存在的类别"), NULL, "%s", err.msg);
	cr_expect_eq(import(DATA("xzcf-utf8.csv"), "市场监管局", NULL, NULL, &b), XY_ERR_NOTFOUND);
	cr_expect_eq(batch_count(), 0);
	cr_expect_eq(records_total(), 0);
	cr_expect_eq(report_files(), 0);
}

Test(import, duplicated_header_refuses_file)
{
	xy_batch b, got;
	xy_batch *all = NULL;
	size_t n = 0;
	recs rs;
	xy_code rc = import(DATA("dup-header.csv"), "市场监管局", "行政处罚", "2019-10", &b);
	cr_assert_eq(rc, XY_ERR_FORMAT, "%s", xy_code_name(rc));
	cr_expect_neq(strstr(err.msg, "CF_WSH"), NULL, "%s", err.msg);
	cr_expect_eq(err.row, 1, "the header line");
	cr_expect_eq(b.status, XY_BATCH_REFUSED);
	cr_assert_gt(b.id, 0, "a refused batch is recorded");
	cr_expect_neq(b.message[0], '\0');
	cr_expect_eq(b.rows + b.added + b.updated + b.unchanged + b.rejected, 0);
	cr_expect_str_eq(b.error_report, "");

	OK(xy_store_batches(st, 0, &all, &n, &err));
	cr_assert_eq(n, 1);
	cr_expect_eq(all[0].id, b.id);
	cr_expect_eq(all[0].status, XY_BATCH_REFUSED);
	cr_expect_neq(strstr(all[0].message, "CF_WSH"), NULL, "%s", all[0].message);
	xy_batches_free(all, n);
	OK(xy_store_batch_get(st, b.id, &got, &err));
	keep(&got);
	cr_expect_eq(got.status, XY_BATCH_REFUSED);
	cr_expect_str_eq(got.reported_on, "2019-10-01");

	/* nothing of the file was written */
	cr_expect_eq(records_total(), 0);
	cr_expect_eq(records_of_batch(b.id), 0);
	rs = subject_records("91210803MADE2UMA8E");
	cr_expect_eq(rs.n, 0);
	cr_expect_eq(report_files(), 0);
	cr_expect_eq(stray_files(), 0);

	/* and the store is still usable */
	OK(import(DATA("xzcf-utf8.csv"), "市场监管局", "行政处罚", "2019-10", &b));
	expect_counts(&b, 9, 4, 0, 0, 5);
}

Test(import, missing_file_is_io_error_without_batch)
{
	xy_batch b;
	cr_expect_eq(import(DATA("no-such-file.csv"), "市场监管局", "行政处罚", NULL, &b), XY_ERR_IO);
	cr_expect_eq(records_total(), 0);
}

Test(import, gb18030_csv_and_its_report)
{
	xy_batch b;
	report rp;
	FILE *f;
	char bytes[8192];
	size_t n;
	int keycol;
	OK(import(DATA("xzcf-gb18030.csv"), "鲅鱼圈", "行政处罚", "2019-10", &b));
	expect_counts(&b, 3, 2, 0, 0, 1);
	cr_expect_str_eq(b.encoding, "gb18030");
	cr_expect_str_eq(b.format, "csv");
	cr_assert(ends_with(b.error_report, ".errors.csv"), "%s", b.error_report);
	cr_assert(file_exists(b.error_report));

	/* the report is GB18030 like the input, not UTF-8 */
	f = fopen(b.error_report, "rb");
	cr_assert_not_null(f);
	n = fread(bytes, 1, sizeof bytes, f);
	fclose(f);
	cr_assert_gt(n, 0);
	cr_assert_lt(n, sizeof bytes);
	cr_expect_eq(xy_utf8_len(bytes, n), (size_t)-1, "report is valid UTF-8");

	read_report(b.error_report, &rp);
	cr_expect_eq(rp.enc, XY_ENC_GB18030);
	cr_assert_eq(rp.nrows, 1);
	keycol = report_col(&rp, "行政处罚决定书文号");
	cr_assert_geq(keycol, 0);
	cr_expect_str_eq(rp.cells[0][keycol], "鲅市监罚〔2019〕202号");
	cr_expect_str_eq(rp.cells[0][1], "公司");
	cr_expect_str_eq(rp.cells[0][report_col(&rp, "错误行号")], "3");

	/* the Chinese text arrived decoded */
	{
		recs rs = subject_records("91210803MADE2UMA8E");
		cr_assert_eq(rs.n, 1);
		cr_expect_neq(strstr(rs.v[0].data, "营口鲅鱼圈海鲜酒楼（示例）"), NULL, "%s",
			      rs.v[0].data);
	}
}

Test(import, json_array)
{
	xy_batch b, b2;
	report rp;
	recs rs;
	berrs es;
	OK(import(DATA("xzcf.json"), "老边区", "行政处罚", "2019-10", &b));
	expect_counts(&b, 3, 2, 0, 0, 1);
	cr_expect_str_eq(b.format, "json");
	cr_assert(ends_with(b.error_report, ".errors.json"), "%s", b.error_report);
	cr_assert(file_exists(b.error_report));

	es = batch_errors(b.id);
	cr_assert_eq(es.n, 1);
	cr_expect_eq(es.v[0].row, 3, "the third element");
	cr_expect_str_eq(es.v[0].column, "CF_NR_FK");
	expect_reasons(&es);

	read_report(b.error_report, &rp);
	cr_expect_eq(rp.fmt, XY_FMT_JSON);
	cr_assert_eq(rp.nrows, 1);
	cr_expect_str_eq(rp.cells[0][report_col(&rp, "CF_WSH")], "老市监罚〔2019〕403号");
	cr_expect_str_eq(rp.cells[0][report_col(&rp, "CF_NR_FK")], "-5");

	/* a JSON number is kept as written, not through a double */
	rs = subject_records("91210802H59ED1Y524");
	cr_assert_eq(rs.n, 1);
	cr_expect_neq(strstr(rs.v[0].data, "\"CF_NR_FK\":\"0.3\""), NULL, "%s", rs.v[0].data);
	rs = subject_records("210804195604102130");
	cr_assert_eq(rs.n, 1);
	cr_expect_str_eq(rs.v[0].key, "老市监罚〔2019〕402号");

	OK(import(DATA("xzcf.json"), "老边区", "行政处罚", "2019-10", &b2));
	expect_counts(&b2, 3, 0, 0, 2, 1);
}

Test(import, xlsx_sample)
{
	xy_batch b, b2;
	report rp;
	berrs es;
	OK(import(SAMPLE("市审批局-行政许可-2019-10.xlsx"), "市审批局", "行政许可", "2019-10", &b));
	expect_counts(&b, 10, 8, 0, 0, 2);
	cr_expect_str_eq(b.format, "xlsx");
	cr_assert(ends_with(b.error_report, ".errors.xlsx"), "%s", b.error_report);
	cr_assert(file_exists(b.error_report));
	cr_expect_eq(records_of_batch(b.id), 8);

	es = batch_errors(b.id);
	cr_assert_eq(es.n, 2);
	cr_expect_eq(es.v[0].row, 5);
	cr_expect_eq(es.v[1].row, 9);
	cr_expect_str_eq(es.v[0].column, "统一社会信用代码");
	cr_expect_str_eq(es.v[1].column, "许可类别");
	expect_reasons(&es);

	read_report(b.error_report, &rp);
	cr_expect_eq(rp.fmt, XY_FMT_XLSX);
	cr_expect_eq(rp.nrows, 2);
	cr_expect_geq(report_col(&rp, "错误原因"), 0);

	OK(import(SAMPLE("市审批局-行政许可-2019-10.xlsx"), "市审批局", "行政许可", "2019-10", &b2));
	expect_counts(&b2, 10, 0, 0, 8, 2);
	cr_expect_eq(records_total(), 8);
}

/* ---- a count category without a key column: content hashes ---- */

/* Every record, read through the store: each record's last batch is exactly
 * one batch, so a batch's records (xy_store_batch_records) over all batches
 * give each record once; the count is checked against xy_store_record_count. */
typedef struct key_scan {
	size_t total, hashed;
} key_scan;

static int scan_key(void *ctx, int64_t subject_id, const xy_record_view *r)
{
	key_scan *ks = ctx;
	const char *k = r->key;
	ks->total++;
	cr_expect_eq(subject_id, 0, "a count record has no subject (record %s)", k);
	if (k && k[0] == '#' && strlen(k) == 33 && strspn(k + 1, "0123456789abcdef") == 32)
		ks->hashed++;
	return 0;
}

static size_t hashed_keys(size_t *total)
{
	key_scan ks = { 0, 0 };
	xy_batch *v = NULL;
	size_t n = 0;
	OK(xy_store_batches(st, 0, &v, &n, &err));
	for (size_t i = 0; i < n; i++)
		OK(xy_store_batch_records(st, v[i].unit_id, v[i].category_id, v[i].id,
					  scan_key, &ks, &err));
	xy_batches_free(v, n);
	cr_expect_eq((long)ks.total, records_total(), "every record read once");
	*total = ks.total;
	return ks.hashed;
}

Test(import, count_category_content_hash_keys)
{
	xy_batch b1, b2, b3;
	size_t total;
	OK(import(DATA("xygzbd.csv"), "站前区", "信用工作报道", "2019-10", &b1));
	expect_counts(&b1, 3, 3, 0, 0, 0);
	cr_expect_str_eq(b1.error_report, "");
	cr_expect_eq(hashed_keys(&total), 3);
	cr_expect_eq(total, 3);

	OK(import(DATA("xygzbd.csv"), "站前区", "信用工作报道", "2019-10", &b2));
	expect_counts(&b2, 3, 0, 0, 3, 0);
	cr_expect_eq(records_total(), 3);

	/* the content is the identity: a corrected row is a new record */
	OK(import(DATA("xygzbd-corrected.csv"), "站前区", "信用工作报道", "2019-10", &b3));
	expect_counts(&b3, 3, 1, 0, 2, 0);
	cr_expect_eq(hashed_keys(&total), 4);
	cr_expect_eq(total, 4);

	/* the same report from another district is that district's */
	OK(import(DATA("xygzbd.csv"), "西市区", "信用工作报道", "2019-10", &b3));
	expect_counts(&b3, 3, 3, 0, 0, 0);
}
