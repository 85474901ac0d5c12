/* Personal ID numbers at rest (lib/store/pii.c, sqlite_pii.c; docs/security.md):
 * the database file never holds a number after an import, a migration or a
 * rekey, the office still reads them, and wrong, missing or too-open keys
 * are refused.  The SQLite backend's own test: it reads the file as bytes
 * and writes an old-schema database with the sqlite3 library. */
#include <criterion/criterion.h>
#include <errno.h>
#include <ftw.h>
#include <signal.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "xinyong/demo.h"
#include "xinyong/ingest.h"
#include "xinyong/views.h"
#include "lib/store/backend.h"
#include "lib/store/pii.h"

#define DATA(name) XY_TEST_DATA "/import/" name

static char tmpdir[256];
static char dbpath[512];
static char keypath[600];
static xy_store *st;
static xy_registry reg;
static xy_error err;

#define OK(expr) \
	do { \
		xy_code rc_ = (expr); \
		cr_assert_eq(rc_, XY_OK, "%s: %s (%s %s)", #expr, xy_code_name(rc_), err.file, \
			     err.msg); \
	} while (0)

static int rm_one(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
	(void)sb;
	(void)flag;
	(void)ftw;
	return remove(path);
}

static void setup(void)
{
	cr_assert_eq(setenv("XINYONG_TODAY", "2026-11-26", 1), 0);
	unsetenv("XINYONG_KEY_FILE");
	xy_store_set_key_file(NULL);
	snprintf(tmpdir, sizeof tmpdir, "/tmp/xy_pii_test_XXXXXX");
	cr_assert_not_null(mkdtemp(tmpdir));
	snprintf(dbpath, sizeof dbpath, "%s/xy.db", tmpdir);
	snprintf(keypath, sizeof keypath, "%s.key", dbpath);
	xy_error_clear(&err);
	xy_registry_init(&reg);
	st = NULL;
}

static void teardown(void)
{
	xy_registry_release(&reg);
	xy_store_close(st);
	st = NULL;
	nftw(tmpdir, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

TestSuite(pii, .init = setup, .fini = teardown);

static void open_db(void)
{
	OK(xy_store_open(&st, dbpath, NULL, &err));
	xy_registry_release(&reg);
	xy_registry_init(&reg);
	OK(xy_store_load_registry(st, &reg, &err));
}

static void close_db(void)
{
	xy_store_close(st);
	st = NULL;
}

/* The ID numbers of natural persons in a CSV file: runs of 17 digits and a
 * digit or X between commas (USCCs have letters; no other column of the
 * fixture has 18 digits). */
static size_t id_numbers(const char *path, char ids[][19], size_t max)
{
	FILE *f = fopen(path, "r");
	char line[4096];
	size_t n = 0;
	cr_assert_not_null(f);
	while (fgets(line, sizeof line, f)) {
		for (char *p = line; *p; p++) {
			if (p != line && p[-1] != ',')
				continue;
			size_t d = strspn(p, "0123456789");
			if ((d == 18 || (d == 17 && p[17] == 'X')) &&
			    (p[18] == ',' || p[18] == '\n' || p[18] == '\r' || !p[18]) && n < max) {
				memcpy(ids[n], p, 18);
				ids[n++][18] = '\0';
			}
		}
	}
	fclose(f);
	return n;
}

/* Whether the bytes of the database file (and of its WAL, if any) contain s. */
static bool file_holds(const char *s)
{
	static const char *const suffix[] = { "", "-wal", "-journal" };
	for (size_t i = 0; i < 3; i++) {
		char path[600];
		FILE *f;
		char *buf;
		long len;
		bool found;
		snprintf(path, sizeof path, "%s%s", dbpath, suffix[i]);
		if (!(f = fopen(path, "rb")))
			continue;
		fseek(f, 0, SEEK_END);
		len = ftell(f);
		rewind(f);
		buf = malloc((size_t)len + 1);
		cr_assert_not_null(buf);
		cr_assert_eq(fread(buf, 1, (size_t)len, f), (size_t)len);
		fclose(f);
		found = memmem(buf, (size_t)len, s, strlen(s)) != NULL;
		free(buf);
		if (found)
			return true;
	}
	return false;
}

static void import_fixture(void)
{
	xy_import_opts o;
	XY_AUTO(xy_batch, b);
	char reports[600];
	snprintf(reports, sizeof reports, "%s/reports", tmpdir);
	memset(&o, 0, sizeof o);
	o.unit = "市场监管局";
	o.category = "行政处罚";
	o.reported_on = "2019-10";
	o.report_dir = reports;
	OK(xy_import_file(st, &reg, DATA("xzcf-utf8.csv"), &o, &b, &err));
	cr_assert_gt(b.added, 0);
}

struct has_ctx {
	const char *id;
	int records, with_id;
};

static int record_has(void *ctx, const xy_record_view *r)
{
	struct has_ctx *h = ctx;
	h->records++;
	h->with_id += strstr(r->data, h->id) != NULL;
	return 0;
}

/* The office still reads the number: found by it (keyed hash), the subject's
 * code is the number, its records' data hold it. */
static void expect_readable(const char *id)
{
	xy_subject *v = NULL;
	size_t n = 0;
	struct has_ctx h = { id, 0, 0 };
	OK(xy_store_subject_find(st, id, 5, &v, &n, &err));
	cr_assert_eq(n, 1, "%s found %zu times", id, n);
	cr_assert_str_eq(v[0].code, id);
	cr_assert_eq(v[0].kind, XY_SUBJ_PERSON);
	OK(xy_store_subject_records(st, v[0].id, record_has, &h, &err));
	cr_assert_gt(h.records, 0);
	cr_assert_eq(h.with_id, h.records, "%d of %d records show %s", h.with_id, h.records, id);
	xy_subjects_free(v, n);
}

Test(pii, raw_file_holds_no_id_number_after_import)
{
	char ids[16][19];
	size_t n = id_numbers(DATA("xzcf-utf8.csv"), ids, 16);
	struct stat sb;
	cr_assert_geq(n, 1, "the fixture has a natural person");
	open_db();
	import_fixture();
	close_db();
	cr_assert_eq(stat(keypath, &sb), 0, "the key file was created beside the database");
	cr_assert_eq(sb.st_mode & 0777, 0600, "key file mode %o", sb.st_mode & 0777);
	for (size_t i = 0; i < n; i++)
		cr_expect_not(file_holds(ids[i]), "%s is in the database file", ids[i]);
	/* the check is able to fail: a USCC of the same file is stored plain */
	cr_assert(file_holds("91210803MADE2UMA8E"));
	open_db();
	for (size_t i = 0; i < n; i++) {
		xy_subject *v = NULL;
		size_t k = 0;
		OK(xy_store_subject_find(st, ids[i], 5, &v, &k, &err));
		xy_subjects_free(v, k);
		if (k) /* rejected rows have no subject */
			expect_readable(ids[i]);
	}
}

/* The demo's natural persons (lib/demo/demo.c) are stored as every import's
 * are: their numbers are not in the file, though the office reads them.
 * (tests/unit/test_demo.c checks the whole demo city through the store.) */
Test(pii, demo_persons_not_in_the_file)
{
	static char ids[50][32];
	char uscc[32] = "", wd[600], rd[600];
	size_t n = 0;
	int64_t after = 0;
	xy_demo_opts o;
	xy_demo_summary sum;
	open_db();
	snprintf(wd, sizeof wd, "%s/demo", tmpdir);
	snprintf(rd, sizeof rd, "%s/reports", tmpdir);
	memset(&o, 0, sizeof o);
	o.seed = 2019;
	o.work_dir = wd;
	o.report_dir = rd;
	o.only_unit = "公安局";
	OK(xy_demo_generate(st, &reg, &o, &sum, &err));
	cr_assert_eq(sum.rejected, 0);
	for (size_t k = 1; k && n < 50;) {
		xy_subject *v = NULL;
		OK(xy_store_subject_search(st, "（示例）", after, 500, false, &v, &k, &err));
		for (size_t i = 0; i < k; i++) {
			if (v[i].kind == XY_SUBJ_PERSON && n < 50) {
				cr_assert_str_eq(v[i].code_type, "ric", "%s", v[i].code);
				snprintf(ids[n++], sizeof ids[0], "%s", v[i].code);
			} else if (strcmp(v[i].code_type, "uscc") == 0 && !*uscc) {
				snprintf(uscc, sizeof uscc, "%s", v[i].code);
			}
			after = v[i].id;
		}
		xy_subjects_free(v, k);
	}
	cr_assert_eq(n, 50, "the demo has natural persons: %zu", n);
	close_db();
	for (size_t i = 0; i < n; i++)
		cr_expect_not(file_holds(ids[i]), "%s is in the database file", ids[i]);
	/* the check is able to fail: a USCC of the same demo is stored plain */
	cr_assert(*uscc);
	cr_assert(file_holds(uscc), "%s", uscc);
	open_db();
	expect_readable(ids[0]);
}

Test(pii, group_readable_key_refused)
{
	open_db();
	close_db();
	cr_assert_eq(chmod(keypath, 0644), 0);
	cr_assert_eq(xy_store_open(&st, dbpath, NULL, &err), XY_ERR_INVALID);
	cr_assert_null(st);
	cr_assert_str_eq(err.file, keypath);
	cr_assert_not_null(strstr(err.msg, "mode 0644"), "%s", err.msg);
	cr_assert_eq(chmod(keypath, 0600), 0);
	open_db();
}

Test(pii, wrong_key_refused)
{
	char other[600];
	open_db();
	import_fixture();
	close_db();
	/* another database's key */
	snprintf(other, sizeof other, "%s/other.db", tmpdir);
	OK(xy_store_open(&st, other, NULL, &err));
	close_db();
	snprintf(other, sizeof other, "%s/other.db.key", tmpdir);
	cr_assert_eq(setenv("XINYONG_KEY_FILE", other, 1), 0);
	cr_assert_eq(xy_store_open(&st, dbpath, NULL, &err), XY_ERR_STORE);
	cr_assert_null(st);
	cr_assert_not_null(strstr(err.msg, "wrong key"), "%s", err.msg);
	/* the process-wide path (--key-file) wins over the environment */
	xy_store_set_key_file(keypath);
	open_db();
	close_db();
	xy_store_set_key_file(NULL);
	unsetenv("XINYONG_KEY_FILE");
}

Test(pii, missing_key_refused_never_plain)
{
	char moved[700];
	open_db();
	import_fixture();
	close_db();
	snprintf(moved, sizeof moved, "%s.moved", keypath);
	cr_assert_eq(rename(keypath, moved), 0);
	cr_assert_eq(xy_store_open(&st, dbpath, NULL, &err), XY_ERR_STORE);
	cr_assert_not_null(strstr(err.msg, "does not exist"), "%s", err.msg);
	cr_assert_eq(access(keypath, F_OK), -1, "no new key was made for an encrypted database");
	cr_assert_eq(rename(moved, keypath), 0);
	open_db();
}

/* A database of schema 11 (the migrations before this one, then rows written
 * as that schema kept them) is encrypted in place by migration 12. */
Test(pii, migration_encrypts_an_old_database)
{
	static const char id[] = "210804195604102130"; /* generated, as in the fixtures */
	sqlite3 *db;
	char *msg = NULL;
	OK(xy__sqlite_open_at(&st, dbpath, 11, &err));
	cr_assert_eq(xy_store_schema_version(st), 11);
	close_db();
	cr_assert_eq(sqlite3_open(dbpath, &db), SQLITE_OK);
	cr_assert_eq(sqlite3_exec(db,
		"INSERT INTO subjects(id, kind, code, code_type, name, created_at, updated_at)"
		" VALUES (1, 'person', '210804195604102130', 'ric', '李洋静', 'x', 'x'),"
		" (2, 'legal', '91210803MADE2UMA8E', 'uscc', '营口沙岗印刷经销部', 'x', 'x');"
		"INSERT INTO subjects_fts(rowid, name) SELECT id, name FROM subjects;"
		"INSERT INTO batches(id, reported_on, status) VALUES (1, '2019-10-01', 'committed');"
		"INSERT INTO batch_errors(batch_id, \"row\", value, reason_zh)"
		" VALUES (1, 3, '210804195604102130', '校验位错误');"
		"INSERT INTO records(unit_id, category_id, key, subject_id, first_batch, last_batch,"
		" data_batch, data) VALUES (1, 1, 'k1', 1, 1, 1, 1,"
		" '{\"CF_XDR_ZJHM\":\"210804195604102130\"}');"
		"INSERT INTO record_versions(record_id, subject_id, batch_id, replaced_by, data)"
		" VALUES (1, 1, 1, 1, '{\"CF_XDR_ZJHM\":\"210804195604102130\",\"old\":1}');",
		NULL, NULL, &msg), SQLITE_OK, "%s", msg ? msg : "");
	sqlite3_close(db);
	cr_assert(file_holds(id), "the old database holds the number plain");

	open_db();
	/* migrated all the way (12 encrypts; later migrations run after it) */
	cr_assert_geq(xy_store_schema_version(st), 12);
	expect_readable(id);
	close_db();
	cr_assert_not(file_holds(id), "the migrated database still holds the number");
	cr_assert(file_holds("91210803MADE2UMA8E"), "a USCC stays plain");

	/* the name index still finds both */
	open_db();
	{
		xy_subject *v = NULL;
		size_t n = 0;
		OK(xy_store_subject_find(st, "李洋静", 5, &v, &n, &err));
		cr_assert_eq(n, 1);
		cr_assert_str_eq(v[0].code, id);
		xy_subjects_free(v, n);
	}
}

static char *slurp(const char *path)
{
	FILE *f = fopen(path, "rb");
	char *buf = calloc(1, 256);
	cr_assert_not_null(f);
	cr_assert_not_null(buf);
	cr_assert_gt(fread(buf, 1, 255, f), 0);
	fclose(f);
	return buf;
}

Test(pii, rekey_rewrites_everything_and_retires_the_old_key)
{
	char ids[16][19], oldcopy[700];
	size_t n = id_numbers(DATA("xzcf-utf8.csv"), ids, 16);
	char *before, *after;
	FILE *f;
	open_db();
	import_fixture();
	before = slurp(keypath);
	OK(xy_store_rekey(st, NULL, NULL, &err));
	after = slurp(keypath);
	cr_assert_str_neq(before, after, "a new key was written");
	cr_assert_eq(access(keypath, F_OK), 0);
	{
		char old[700];
		snprintf(old, sizeof old, "%s.old", keypath);
		cr_assert_eq(access(old, F_OK), -1, "the old key is removed once committed");
	}
	/* readable through the same handle and after reopening */
	expect_readable("210804195604102130");
	close_db();
	{
		struct stat sb;
		cr_assert_eq(stat(keypath, &sb), 0);
		cr_assert_eq(sb.st_mode & 0777, 0600);
	}
	for (size_t i = 0; i < n; i++)
		cr_expect_not(file_holds(ids[i]), "%s is in the database file", ids[i]);
	open_db();
	expect_readable("210804195604102130");
	close_db();
	/* the old key no longer opens it */
	snprintf(oldcopy, sizeof oldcopy, "%s/old.key", tmpdir);
	f = fopen(oldcopy, "w");
	cr_assert_not_null(f);
	fputs(before, f);
	fclose(f);
	cr_assert_eq(chmod(oldcopy, 0600), 0);
	xy_store_set_key_file(oldcopy);
	cr_assert_eq(xy_store_open(&st, dbpath, NULL, &err), XY_ERR_STORE);
	cr_assert_not_null(strstr(err.msg, "wrong key"), "%s", err.msg);
	xy_store_set_key_file(NULL);
	free(before);
	free(after);
}

static void die_now(void *ctx, const char *done)
{
	(void)ctx;
	if (!strcmp(done, "records"))
		raise(SIGKILL); /* mid-transaction: subjects and records rewritten */
}

/* A rekey in a child process, killed with SIGKILL inside its transaction. */
static void rekey_killed_midway(void)
{
	int status = 0;
	pid_t pid = fork();
	cr_assert_geq(pid, 0);
	if (pid == 0) {
		xy_store *s = NULL;
		xy_error e = XY_ERROR_INIT;
		if (xy_store_open(&s, dbpath, NULL, &e) == XY_OK)
			xy_store_rekey(s, die_now, NULL, &e);
		_exit(3); /* reached only if the kill did not happen */
	}
	cr_assert_eq(waitpid(pid, &status, 0), pid);
	cr_assert(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL, "status %d", status);
}

Test(pii, rekey_killed_midway_loses_nothing)
{
	long count = 0, again = 0;
	char old[700];
	open_db();
	import_fixture();
	OK(xy_store_record_count(st, 0, &count, &err));
	close_db();
	rekey_killed_midway();
	snprintf(old, sizeof old, "%s.old", keypath);
	cr_assert_eq(access(old, F_OK), 0, "the old key is still there as .old");
	/* the new key file is in place but the database opens with the old one */
	open_db();
	OK(xy_store_record_count(st, 0, &again, &err));
	cr_assert_eq(again, count);
	expect_readable("210804195604102130");
	/* and a second rotation finishes the job */
	OK(xy_store_rekey(st, NULL, NULL, &err));
	cr_assert_eq(access(old, F_OK), -1);
	close_db();
	open_db();
	expect_readable("210804195604102130");
}

Test(pii, memory_database_needs_no_key_file)
{
	OK(xy_store_open(&st, ":memory:", NULL, &err));
	cr_assert_eq(xy_store_rekey(st, NULL, NULL, &err), XY_ERR_ARG);
}

/* The keyed hash is computed on the normalised number, at insert and at
 * lookup alike: a number typed in lower case, full width or with spaces finds
 * its subject, an upsert of the same number is the same subject, and a
 * masked number (kept plain) is still found by its mask. */
Test(pii, lookup_by_number_as_typed)
{
	static const char *const typed[] = {
		"21080219850612103X", "21080219850612103x", " 210802 19850612 103x ",
		"２１０８０２１９８５０６１２１０３Ｘ",
	};
	XY_SUBJECT_AUTO(subj);
	XY_SUBJECT_AUTO(again);
	json_t *j = NULL;
	open_db();
	OK(xy_subject_set(&subj, "21080219850612103X", "ric", "张某"));
	OK(xy_store_subject_upsert(st, &subj, &err));
	OK(xy_subject_set(&again, "21080219850612103X", "ric", "张某"));
	OK(xy_store_subject_upsert(st, &again, &err));
	cr_assert_eq(again.id, subj.id, "the same number is one subject");
	for (size_t i = 0; i < sizeof typed / sizeof *typed; i++) {
		xy_subject *v = NULL;
		size_t n = 0;
		OK(xy_store_subject_find(st, typed[i], 5, &v, &n, &err));
		cr_assert_eq(n, 1, "'%s' found %zu subjects", typed[i], n);
		cr_assert_eq(v[0].id, subj.id);
		cr_assert_str_eq(v[0].code, "21080219850612103X");
		xy_subjects_free(v, n);
		OK(xy_view_search(st, &reg, typed[i], NULL, NULL, &j, &err));
		cr_assert_eq(json_array_size(json_object_get(j, "items")), 1, "search '%s'",
			     typed[i]);
		json_decref(j);
	}
	{
		XY_SUBJECT_AUTO(v1);
		cr_assert_eq(xy_store_subject_by_code(st, "210802198506121038", &v1, &err),
			     XY_ERR_NOTFOUND, "another number is not found");
	}
	xy_subject_release(&again);
	OK(xy_subject_set(&again, "2108**********1234 王某", "ric_masked", "王某"));
	OK(xy_store_subject_upsert(st, &again, &err));
	close_db();
	cr_assert(file_holds("2108**********1234 王某"), "a mask is kept plain");
	open_db();
	{
		xy_subject *v = NULL;
		size_t n = 0;
		OK(xy_store_subject_find(st, "2108**********1234", 5, &v, &n, &err));
		cr_assert_eq(n, 1);
		cr_assert_str_eq(v[0].name, "王某");
		xy_subjects_free(v, n);
	}
}

/* Two rotations at once (two handles opened before either ran, here after an
 * interrupted one, so both read the key from .old): the second waits for the
 * first's lock, then finds the key changed and stops without touching a key
 * file.  Before, it replaced the key the first had just committed with, and
 * the ID numbers were lost with it. */
Test(pii, second_concurrent_rekey_refused_and_key_kept)
{
	xy_store *b = NULL;
	open_db();
	import_fixture();
	close_db();
	rekey_killed_midway();
	open_db();
	OK(xy_store_open(&b, dbpath, NULL, &err));
	OK(xy_store_rekey(st, NULL, NULL, &err));
	cr_assert_eq(xy_store_rekey(b, NULL, NULL, &err), XY_ERR_CONFLICT);
	cr_assert_not_null(strstr(err.msg, "another xinyong rekey"), "%s", err.msg);
	xy_store_close(b);
	close_db();
	open_db();
	expect_readable("210804195604102130");
	/* the same without the interruption: both read the key file itself */
	OK(xy_store_open(&b, dbpath, NULL, &err));
	OK(xy_store_rekey(st, NULL, NULL, &err));
	cr_assert_eq(xy_store_rekey(b, NULL, NULL, &err), XY_ERR_CONFLICT);
	xy_store_close(b);
	close_db();
	open_db();
	expect_readable("210804195604102130");
}

/* Nonces come from a pool refilled from the system's generator: every value
 * gets its own, across refills, and a forked child never repeats the
 * parent's next one (the pool is emptied in the child). */
Test(pii, nonces_never_repeat)
{
	enum { N = 400 };
	static unsigned char nonce[N + 1][crypto_secretbox_NONCEBYTES];
	unsigned char m[32] = { 1 };
	xy__pii_key k;
	xy_buf b = XY_BUF_INIT;
	int fd[2], status = 0;
	pid_t pid;
	xy__pii_derive(&k, m);
	cr_assert_eq(xy__pii_seal(&k, "x", 1, &b), XY_OK); /* the pool is filled */
	cr_assert_eq(pipe(fd), 0);
	pid = fork();
	cr_assert_geq(pid, 0);
	if (pid == 0) {
		bool ok = xy__pii_seal(&k, "x", 1, &b) == XY_OK &&
			  write(fd[1], b.data + 5, crypto_secretbox_NONCEBYTES) ==
				  crypto_secretbox_NONCEBYTES;
		_exit(ok ? 0 : 1);
	}
	for (size_t i = 0; i < N; i++) {
		cr_assert_eq(xy__pii_seal(&k, "x", 1, &b), XY_OK);
		memcpy(nonce[i], b.data + 5, sizeof nonce[i]);
	}
	cr_assert_eq(waitpid(pid, &status, 0), pid);
	cr_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	cr_assert_eq(read(fd[0], nonce[N], sizeof nonce[N]), (ssize_t)sizeof nonce[N]);
	close(fd[0]);
	close(fd[1]);
	for (size_t i = 0; i <= N; i++)
		for (size_t j = i + 1; j <= N; j++)
			cr_assert_neq(memcmp(nonce[i], nonce[j], sizeof nonce[i]), 0,
				      "nonces %zu and %zu are equal", i, j);
	xy_buf_release(&b);
}

/* record_keys.digest (PostgreSQL's bulk path): equal for equal content only,
 * the decision date NULL and "" alike (both are stored as NULL), another key
 * another digest, and never the lookup hash of the same bytes */
Test(pii, record_digest_tells_content_apart)
{
	unsigned char m[32] = { 1 }, m2[32] = { 2 };
	unsigned char d[6][XY__PII_HASH_BYTES], h[XY__PII_HASH_BYTES];
	xy__pii_key k, k2;
	xy__pii_derive(&k, m);
	xy__pii_derive(&k2, m2);
	xy__pii_record_digest(&k, NULL, "{\"v\":1}", 7, d[0]);
	xy__pii_record_digest(&k, "", "{\"v\":1}", 7, d[1]);
	xy__pii_record_digest(&k, "2019-03-05", "{\"v\":1}", 7, d[2]);
	xy__pii_record_digest(&k, NULL, "{\"v\":2}", 7, d[3]);
	xy__pii_record_digest(&k2, NULL, "{\"v\":1}", 7, d[4]);
	/* the date's length is hashed: moving bytes between date and data differs */
	xy__pii_record_digest(&k, "2019-03-0", "5{\"v\":1}", 8, d[5]);
	xy__pii_hash(&k, "{\"v\":1}", 7, h);
	cr_assert_eq(memcmp(d[0], d[1], sizeof d[0]), 0);
	for (int i = 1; i < 6; i++)
		for (int j = i + 1; j < 6; j++)
			cr_assert_neq(memcmp(d[i], d[j], sizeof d[i]), 0, "digests %d and %d", i, j);
	cr_assert_neq(memcmp(d[0], h, sizeof h), 0);
}
