/* Unit tests of the demo generator (lib/report/demo.c): the month split, the
 * counts file, and the whole demo checked cell by cell against the bulletin's
 * two tables (tests/data/reference/) through xy_store_counts. */
#include <criterion/criterion.h>
#include <dirent.h>
#include <ftw.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "xinyong/codes.h"
#include "xinyong/date.h"
#include "xinyong/demo.h"
#include "xinyong/publication.h"

#define REF(name) XY_TEST_DATA "/reference/" name

static char tmpdir[256];
static xy_error err;

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
	snprintf(tmpdir, sizeof tmpdir, "/tmp/xy_demo_test_XXXXXX");
	cr_assert_not_null(mkdtemp(tmpdir));
	xy_error_clear(&err);
}

static void teardown(void)
{
	nftw(tmpdir, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

TestSuite(demo, .init = setup, .fini = teardown, .timeout = 300);

/* ---- a database with the default configuration ---- */

typedef struct db {
	char path[512];
	xy_store *st;
	xy_registry reg;
} db;

static void db_open(db *d, const char *name)
{
	snprintf(d->path, sizeof d->path, "%s/%s.db", tmpdir, name);
	d->st = NULL;
	xy_registry_init(&d->reg);
	OK(xy_store_open(&d->st, d->path, NULL, &err));
	OK(xy_store_load_registry(d->st, &d->reg, &err));
}

static void db_close(db *d)
{
	xy_registry_release(&d->reg);
	xy_store_close(d->st);
	d->st = NULL;
}

static xy_code run_demo(db *d, uint64_t seed, const char *work, const char *only,
			xy_demo_summary *sum)
{
	char wd[600], rd[600];
	xy_demo_opts o;
	snprintf(wd, sizeof wd, "%s/%s", tmpdir, work);
	snprintf(rd, sizeof rd, "%s/reports", tmpdir);
	memset(&o, 0, sizeof o);
	o.seed = seed;
	o.work_dir = wd;
	o.report_dir = rd;
	o.only_unit = only;
	return xy_demo_generate(d->st, &d->reg, &o, sum, &err);
}

/* ---- the reference tables as (unit, category, count) ---- */

typedef struct ref_cell {
	char unit[128];
	char cat[128];
	long n; /* -1: the printed cell is empty */
} ref_cell;

static ref_cell refs[2048];
static size_t nrefs;

/* Split a TSV line in place into at most max cells. */
static size_t split_tabs(char *line, char **cells, size_t max)
{
	size_t n = 0;
	line[strcspn(line, "\r\n")] = '\0';
	cells[n++] = line;
	for (char *p = line; n < max && (p = strchr(p, '\t'));)
		*p++ = '\0', cells[n++] = p;
	return n;
}

/* first_col: the column of the unit name; ncat: category columns after it,
 * starting at column 2; the departments table's 合计 row is skipped. */
static void load_ref(const char *path, int unit_col, size_t ncat)
{
	char line[8192], hdr[8192], *h[64], *c[64];
	size_t nh, nc;
	FILE *f = fopen(path, "r");
	cr_assert_not_null(f, "%s", path);
	cr_assert_not_null(fgets(hdr, sizeof hdr, f));
	nh = split_tabs(hdr, h, 64);
	cr_assert_geq(nh, 2 + ncat);
	while (fgets(line, sizeof line, f)) {
		nc = split_tabs(line, c, 64);
		cr_assert_geq(nc, 2 + ncat, "%s: short row", path);
		if (strcmp(c[unit_col], "合计") == 0)
			continue;
		for (size_t i = 2; i < 2 + ncat; i++) {
			ref_cell *r = &refs[nrefs++];
			cr_assert_lt(nrefs, sizeof refs / sizeof refs[0]);
			snprintf(r->unit, sizeof r->unit, "%s", c[unit_col]);
			snprintf(r->cat, sizeof r->cat, "%s", h[i]);
			r->n = *c[i] ? atol(c[i]) : -1;
		}
	}
	fclose(f);
}

static void load_refs(void)
{
	nrefs = 0;
	load_ref(REF("bulletin-2019-10-departments.tsv"), 1, 16); /* 序号 部门名称 16 … 总计 */
	load_ref(REF("bulletin-2019-10-regions.tsv"), 0, 10);     /* 地区 分组 10 */
}

/* ---- sums of xy_store_counts per unit × category ---- */

typedef struct sums {
	const xy_registry *reg;
	long long n[128][64]; /* [unit id][category id] */
	long long total;
	bool outside;         /* a month outside 2019-01..2019-10 */
} sums;

static int add_count(void *ctx, const xy_count *c)
{
	sums *s = ctx;
	cr_assert_lt(c->unit_id, 128);
	cr_assert_lt(c->category_id, 64);
	s->n[c->unit_id][c->category_id] += c->n;
	s->total += c->n;
	if (strcmp(c->month, "2019-01") < 0 || strcmp(c->month, "2019-10") > 0)
		s->outside = true;
	return 0;
}

static long long cell(const sums *s, const char *unit, const char *cat)
{
	const xy_unit *u = xy_registry_unit(s->reg, unit);
	const xy_category *c = xy_registry_category(s->reg, cat);
	cr_assert_not_null(u, "unit %s", unit);
	cr_assert_not_null(c, "category %s", cat);
	return s->n[u->id][c->id];
}

/* ---- the city's subjects and records, read through the store ---- */

/* How many rows a table holds (xy_store_table_rows); -1: no such table. */
typedef struct table_count {
	const char *name;
	long long rows;
} table_count;

static int count_table(void *ctx, const char *name, long long rows)
{
	table_count *t = ctx;
	if (strcmp(name, t->name) == 0)
		t->rows = rows;
	return 0;
}

static long long table_rows(xy_store *st, const char *name)
{
	table_count t = { name, -1 };
	OK(xy_store_table_rows(st, count_table, &t, &err));
	return t.rows;
}

/* A subject, and which units its records came from. */
typedef struct subj {
	int64_t id;
	bool gov;        /* its code is a government body's USCC (authority 1, category 1) */
	int64_t unit;    /* the first unit its records came from; 0: none yet */
	bool shared;     /* records from two units or more */
} subj;

/* A batch's reporting month as dates: its records were decided from lo to hi. */
typedef struct month {
	int64_t batch;
	char lo[11], hi[11];
} month;

typedef struct city {
	subj *subjects;  /* by id */
	size_t nsubjects;
	month *months;   /* by batch id */
	size_t nmonths;
	int64_t unit, category; /* of the batch being read */
	int64_t gov_category;   /* 政府失信未治理 */
	long long records;
	long gov_records;       /* 政府失信未治理 records with a subject */
	long gov_coded;         /* … whose subject's code starts with 11 */
	long outside;           /* records decided outside their batch's months */
} city;

static int by_id(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
	return (x > y) - (x < y);
}

static int scan_record(void *ctx, int64_t subject_id, const xy_record_view *r)
{
	city *c = ctx;
	const month *mo = bsearch(&r->first_batch, c->months, c->nmonths, sizeof *mo, by_id);
	subj *s;
	c->records++;
	cr_assert_not_null(mo, "record %" PRId64 ": no batch %" PRId64, r->id, r->first_batch);
	if (r->decided_on &&
	    (strcmp(r->decided_on, mo->hi) > 0 || strcmp(r->decided_on, mo->lo) < 0))
		c->outside++;
	if (!subject_id)
		return 0;
	s = bsearch(&subject_id, c->subjects, c->nsubjects, sizeof *s, by_id);
	cr_assert_not_null(s, "record %" PRId64 ": subject %" PRId64 " not found", r->id,
			   subject_id);
	if (!s->unit)
		s->unit = c->unit;
	else if (s->unit != c->unit)
		s->shared = true;
	if (c->category == c->gov_category) {
		c->gov_records++;
		c->gov_coded += s->gov;
	}
	return 0;
}

/* Every record once: each has exactly one last batch, and a batch's records
 * (xy_store_batch_records) are those whose last batch it is. */
static void scan_records(xy_store *st, city *c)
{
	xy_batch *b = NULL;
	size_t nb = 0;
	long n = -1;
	OK(xy_store_batches(st, 0, &b, &nb, &err));
	c->months = calloc(nb ? nb : 1, sizeof *c->months);
	cr_assert_not_null(c->months);
	for (size_t i = 0; i < nb; i++) {
		month *mo = &c->months[i];
		mo->batch = b[i].id;
		char next[11];
		/* a batch's reporting month starts on its first day (reported_on),
		 * so moving it by months keeps the day: from the month before to
		 * the last day of the month */
		cr_assert_eq(xy_date_add_months(b[i].reported_on, -1, mo->lo), XY_OK, "%s",
			     b[i].reported_on);
		cr_assert_eq(xy_date_add_months(b[i].reported_on, 1, next), XY_OK, "%s",
			     b[i].reported_on);
		cr_assert_eq(xy_date_add_days(next, -1, mo->hi), XY_OK, "%s", next);
	}
	c->nmonths = nb;
	qsort(c->months, nb, sizeof *c->months, by_id);
	for (size_t i = 0; i < nb; i++) {
		c->unit = b[i].unit_id;
		c->category = b[i].category_id;
		OK(xy_store_batch_records(st, b[i].unit_id, b[i].category_id, b[i].id,
					  scan_record, c, &err));
	}
	xy_batches_free(b, nb);
	OK(xy_store_record_count(st, 0, &n, &err));
	cr_assert_eq(c->records, n, "every record read once: %lld of %ld", c->records, n);
}

/* ---- tests ---- */

Test(demo, split_sums_and_is_deterministic)
{
	static const long ns[] = { 1, 2, 3, 9, 10, 11, 29, 30, 64, 299, 300, 1229, 106879 };
	for (size_t i = 0; i < sizeof ns / sizeof ns[0]; i++) {
		long a[XY_DEMO_MONTHS], b[XY_DEMO_MONTHS], sum = 0;
		int months = 0;
		xy_demo_split(2019, "市场监管局", "行政处罚", ns[i], a);
		xy_demo_split(2019, "市场监管局", "行政处罚", ns[i], b);
		cr_assert_arr_eq(a, b, sizeof a);
		for (int m = 0; m < XY_DEMO_MONTHS; m++) {
			cr_assert_geq(a[m], 0);
			sum += a[m];
			months += a[m] > 0;
		}
		cr_assert_eq(sum, ns[i], "n=%ld: sum %ld", ns[i], sum);
		cr_assert_leq(months, ns[i]);
		if (ns[i] >= 300)
			cr_assert_geq(months, 8, "n=%ld in %d months", ns[i], months);
	}
	long z[XY_DEMO_MONTHS];
	xy_demo_split(2019, "a", "b", 0, z);
	for (int m = 0; m < XY_DEMO_MONTHS; m++)
		cr_assert_eq(z[m], 0);
}

Test(demo, split_is_uneven_and_small_cells_use_few_months)
{
	/* over many cells of 20 records: some in one or two months, some spread */
	int few = 0, many = 0;
	long big[XY_DEMO_MONTHS], lo = -1, hi = 0;
	for (int i = 0; i < 200; i++) {
		char unit[32];
		long a[XY_DEMO_MONTHS];
		int months = 0;
		snprintf(unit, sizeof unit, "unit%d", i);
		xy_demo_split(2019, unit, "信用信息", 20, a);
		for (int m = 0; m < XY_DEMO_MONTHS; m++)
			months += a[m] > 0;
		few += months <= 3;
		many += months >= 8;
	}
	cr_assert_gt(few, 10);
	cr_assert_gt(many, 10);
	xy_demo_split(2019, "人社局", "行业业务信息", 106879, big);
	for (int m = 0; m < XY_DEMO_MONTHS; m++)
		if (big[m]) {
			lo = lo < 0 || big[m] < lo ? big[m] : lo;
			hi = big[m] > hi ? big[m] : hi;
		}
	cr_assert_gt(hi, 2 * lo, "months between %ld and %ld: too even", lo, hi);
}

Test(demo, split_depends_on_seed_not_on_count_total)
{
	long a[XY_DEMO_MONTHS], b[XY_DEMO_MONTHS];
	xy_demo_split(1, "人社局", "行业业务信息", 5000, a);
	xy_demo_split(2, "人社局", "行业业务信息", 5000, b);
	cr_assert(memcmp(a, b, sizeof a) != 0);
}

Test(demo, counts_file_matches_reference_tables)
{
	db d;
	xy_demo_cell *cells;
	size_t n, nonempty = 0;
	long total = 0;
	char path[600];
	db_open(&d, "counts");
	snprintf(path, sizeof path, "%s/demo-counts.tsv", xy_registry_default_dir());
	OK(xy_demo_counts_load(path, &d.reg, &cells, &n, &err));
	load_refs();
	for (size_t i = 0; i < nrefs; i++) {
		bool found = false;
		if (refs[i].n < 0)
			continue;
		nonempty++;
		for (size_t j = 0; j < n && !found; j++)
			if (strcmp(cells[j].unit->name, refs[i].unit) == 0 &&
			    strcmp(cells[j].cat->name, refs[i].cat) == 0) {
				cr_assert_eq(cells[j].count, refs[i].n, "%s · %s", refs[i].unit,
					     refs[i].cat);
				found = true;
			}
		cr_assert(found, "%s · %s missing from demo-counts.tsv", refs[i].unit, refs[i].cat);
	}
	for (size_t j = 0; j < n; j++)
		total += cells[j].count;
	cr_assert_eq(n, nonempty);
	cr_assert_eq(total, 161785);
	free(cells);
	db_close(&d);
}

static void write_text(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");
	cr_assert_not_null(f);
	fputs(text, f);
	fclose(f);
}

Test(demo, bad_counts_files_name_the_line)
{
	static const struct {
		const char *text;
		long line;
		const char *what;
	} cases[] = {
		{ "# c\ntable\tunit\tcategory\tcount\nregion\t无此单位\t信用承诺书\t3\n", 3, "unknown unit" },
		{ "region\t站前区\t无此类别\t3\n", 1, "unknown category" },
		{ "region\t站前区\t信用承诺书\t-3\n", 1, "positive" },
		{ "region\t站前区\t信用承诺书\tx\n", 1, "positive" },
		{ "region\t站前区\t信用承诺书\n", 1, "4 tab-separated" },
		{ "region\t站前区\t信用承诺书\t1\nregion\t站前区\t信用承诺书\t2\n", 2, "twice" },
	};
	db d;
	char path[600];
	db_open(&d, "bad");
	snprintf(path, sizeof path, "%s/counts.tsv", tmpdir);
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		xy_demo_cell *cells = NULL;
		size_t n = 0;
		write_text(path, cases[i].text);
		xy_error_clear(&err);
		cr_assert_eq(xy_demo_counts_load(path, &d.reg, &cells, &n, &err), XY_ERR_CONFIG,
			     "case %zu", i);
		cr_assert_eq(err.row, cases[i].line, "case %zu: line %ld", i, err.row);
		cr_assert_not_null(strstr(err.msg, cases[i].what), "case %zu: %s", i, err.msg);
		cr_assert_null(cells);
	}
	cr_assert_eq(xy_demo_counts_load("/nonexistent/counts.tsv", &d.reg, &(xy_demo_cell *){ 0 },
					 &(size_t){ 0 }, &err),
		     XY_ERR_IO);
	db_close(&d);
}

Test(demo, unknown_only_unit)
{
	db d;
	xy_demo_summary sum;
	db_open(&d, "unknown");
	cr_assert_eq(run_demo(&d, 1, "w", "无此单位", &sum), XY_ERR_NOTFOUND);
	db_close(&d);
}

/* The whole demo: every cell of both tables, exactly, and 0 rejected. */
Test(demo, reproduces_both_bulletin_tables)
{
	db d;
	xy_demo_summary sum;
	sums s;
	long long want = 0;
	size_t checked = 0;

	/* About a minute under ASan; tests/cli/t0120-demo.sh runs the whole demo there. */
	if (getenv("XY_SANITIZED"))
		cr_skip_test("the whole demo is checked under ASan by tests/cli/t0120-demo.sh");
	db_open(&d, "full");
	OK(run_demo(&d, 2019, "work", NULL, &sum));
	cr_assert_eq(sum.rejected, 0);
	cr_assert_eq(sum.warnings, 0);
	cr_assert_eq(sum.records, 161785);
	cr_assert_eq(sum.added, 161785);
	cr_assert_eq(sum.cells, 171);
	cr_assert_gt(sum.batches, sum.cells);
	cr_assert_gt(sum.files_gb18030, 0);
	cr_assert_lt(sum.files_gb18030, sum.batches);

	memset(&s, 0, sizeof s);
	s.reg = &d.reg;
	OK(xy_store_counts(d.st, "2019-01", "2019-10", add_count, &s, &err));
	load_refs();
	for (size_t i = 0; i < nrefs; i++) {
		long long got = cell(&s, refs[i].unit, refs[i].cat);
		cr_assert_eq(got, refs[i].n < 0 ? 0 : refs[i].n, "%s · %s: %lld, bulletin %ld",
			     refs[i].unit, refs[i].cat, got, refs[i].n);
		want += refs[i].n < 0 ? 0 : refs[i].n;
		checked++;
	}
	cr_assert_eq(checked, 63 * 16 + 11 * 10);
	cr_assert_eq(s.total, want, "records outside the tables' cells");
	cr_assert_eq(want, 161785);
	cr_assert_eq(cell(&s, "人社局", "行业业务信息"), 106879);

	/* nothing outside 2019-01..2019-10 */
	memset(&s, 0, sizeof s);
	s.reg = &d.reg;
	OK(xy_store_counts(d.st, NULL, NULL, add_count, &s, &err));
	cr_assert_eq(s.total, 161785);
	cr_assert(!s.outside);

	/* the subjects: Yingkou divisions, valid codes (persons' numbers as the
	 * office reads them: encrypted at rest, test_pii.c), marked names — every
	 * one, as many as the table holds — and shared */
	city c;
	long nsubj = 0, kinds[3] = { 0, 0, 0 }, persons = 0;
	int64_t after = 0;
	size_t cap = 0;
	memset(&c, 0, sizeof c);
	for (;;) {
		xy_subject *v = NULL;
		size_t k = 0;
		OK(xy_store_subject_search(d.st, "（示例）", after, 1000, false, &v, &k, &err));
		for (size_t i = 0; i < k; i++) {
			const xy_subject *su = &v[i];
			subj *p;
			xy_id_result r;
			xy_id_check(su->code,
				    strcmp(su->code_type, "uscc") == 0 ? XY_ID_USCC : XY_ID_RIC, &r);
			cr_assert(r.valid, "%s: %s", su->code, r.reason);
			persons += strcmp(su->code_type, "ric") == 0;
			cr_assert_not_null(strstr(su->name, "（示例）"), "%s", su->name);
			cr_assert_not_null(strstr("210802 210803 210804 210811 210881 210882",
						  su->division),
					   "%s: division %s", su->code, su->division);
			cr_assert_lt((unsigned)su->kind, 3);
			kinds[su->kind]++;
			nsubj++;
			p = xy_array_grow(c.subjects, c.nsubjects, &cap, sizeof *p, 1024);
			cr_assert_not_null(p);
			c.subjects = p;
			p = &c.subjects[c.nsubjects++];
			memset(p, 0, sizeof *p);
			p->id = su->id;
			p->gov = strncmp(su->code, "11", 2) == 0;
			cr_assert_gt(su->id, after, "by id");
			after = su->id;
		}
		xy_subjects_free(v, k);
		if (!k)
			break;
	}
	cr_assert_eq(nsubj, table_rows(d.st, "subjects"), "subjects whose names are not marked");
	cr_assert_geq(persons, 50);
	cr_assert_gt(nsubj, 10000);
	cr_assert_gt(kinds[XY_SUBJ_LEGAL], 1000);
	cr_assert_gt(kinds[XY_SUBJ_PERSON], 1000);
	cr_assert_gt(kinds[XY_SUBJ_INDIVIDUAL], 100);

	c.gov_category = xy_registry_category(&d.reg, "政府失信未治理")->id;
	scan_records(d.st, &c);
	/* a realistic share of subjects reported by several units */
	long shared = 0;
	for (size_t i = 0; i < c.nsubjects; i++)
		shared += c.subjects[i].shared;
	cr_assert_gt(shared, 1000);
	/* 政府失信未治理 is about government bodies (authority 1, category 1) */
	cr_assert_eq(c.gov_records, 7);
	cr_assert_eq(c.gov_coded, 7);
	/* decision dates in the reporting month or the month before */
	cr_assert_eq(c.outside, 0);
	free(c.subjects);
	free(c.months);
	db_close(&d);
}

/* Read a whole file into a malloc'd buffer. */
static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *p;
	long n;
	cr_assert_not_null(f, "%s", path);
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	p = malloc((size_t)n + 1);
	cr_assert_not_null(p);
	cr_assert_eq(fread(p, 1, (size_t)n, f), (size_t)n);
	fclose(f);
	*len = (size_t)n;
	return p;
}

/* 0: every file of dir a has an identical twin in b (and as many files). */
static int compare_dirs(const char *a, const char *b, int *nfiles)
{
	DIR *d = opendir(a);
	struct dirent *e;
	int differ = 0, n = 0, nb = 0;
	cr_assert_not_null(d);
	while ((e = readdir(d))) {
		char pa[1024], pb[1024];
		size_t la, lb;
		char *x, *y;
		if (e->d_name[0] == '.')
			continue;
		snprintf(pa, sizeof pa, "%s/%s", a, e->d_name);
		snprintf(pb, sizeof pb, "%s/%s", b, e->d_name);
		x = slurp(pa, &la);
		y = slurp(pb, &lb);
		differ += la != lb || memcmp(x, y, la) != 0;
		free(x);
		free(y);
		n++;
	}
	closedir(d);
	cr_assert_not_null(d = opendir(b));
	while ((e = readdir(d)))
		nb += e->d_name[0] != '.';
	closedir(d);
	cr_assert_eq(n, nb);
	*nfiles = n;
	return differ;
}

/* Same seed, same files and records; another seed, other names and codes but
 * the same counts.  Re-running on the same database changes nothing. */
Test(demo, deterministic_and_idempotent)
{
	db a, b, c;
	xy_demo_summary sa, sb, sc, again;
	char wa[600], wb[600], wc[600];
	int nfiles, differ;
	sums s1, s3;

	db_open(&a, "a");
	db_open(&b, "b");
	db_open(&c, "c");
	OK(run_demo(&a, 2019, "wa", "市场监管局", &sa));
	OK(run_demo(&b, 2019, "wb", "市场监管局", &sb));
	OK(run_demo(&c, 7, "wc", "市场监管局", &sc));
	cr_assert_eq(sa.records, 1719);
	cr_assert_eq(sa.added, 1719);
	cr_assert_eq(sc.added, 1719);
	cr_assert_eq(sa.cells, 12);
	cr_assert_eq(sa.batches, sb.batches);
	snprintf(wa, sizeof wa, "%s/wa", tmpdir);
	snprintf(wb, sizeof wb, "%s/wb", tmpdir);
	snprintf(wc, sizeof wc, "%s/wc", tmpdir);
	cr_assert_eq(compare_dirs(wa, wb, &nfiles), 0);
	cr_assert_eq(nfiles, sa.batches);

	/* another seed: the same totals per cell, other files */
	memset(&s1, 0, sizeof s1);
	memset(&s3, 0, sizeof s3);
	s1.reg = &a.reg;
	s3.reg = &c.reg;
	OK(xy_store_counts(a.st, NULL, NULL, add_count, &s1, &err));
	OK(xy_store_counts(c.st, NULL, NULL, add_count, &s3, &err));
	cr_assert_eq(memcmp(s1.n, s3.n, sizeof s1.n), 0);
	DIR *d = opendir(wc);
	struct dirent *e;
	int differ_c = 0, common = 0;
	cr_assert_not_null(d);
	while ((e = readdir(d))) {
		char pa[1024], pc[1024];
		struct stat stt;
		size_t la, lc;
		char *x, *y;
		if (e->d_name[0] == '.')
			continue;
		snprintf(pa, sizeof pa, "%s/%s", wa, e->d_name);
		snprintf(pc, sizeof pc, "%s/%s", wc, e->d_name);
		if (stat(pa, &stt))
			continue; /* that month has records under one seed only */
		x = slurp(pa, &la);
		y = slurp(pc, &lc);
		differ_c += la != lc || memcmp(x, y, la) != 0;
		common++;
		free(x);
		free(y);
	}
	closedir(d);
	cr_assert_gt(common, 0);
	cr_assert_eq(differ_c, common, "seed 7 wrote %d files identical to seed 2019's",
		     common - differ_c);

	/* again on the same database: all unchanged */
	OK(run_demo(&a, 2019, "wa", "市场监管局", &again));
	cr_assert_eq(again.records, 1719);
	cr_assert_eq(again.added, 0);
	cr_assert_eq(again.updated, 0);
	cr_assert_eq(again.unchanged, 1719);
	cr_assert_eq(again.rejected, 0);
	differ = compare_dirs(wa, wb, &nfiles);
	cr_assert_eq(differ, 0);
	db_close(&a);
	db_close(&b);
	db_close(&c);
}
