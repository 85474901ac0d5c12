/* Unit tests of the store (SQLite backend).  Counts are read through the store
 * (table_rows below); what only the SQLite file can show — its schema version,
 * a hand-written old schema, a row changed by another connection, the bytes of
 * an encrypted value — is the SQLite backend's own test and reads the file
 * with the sqlite3 library (tests/cli/t0009-no-raw-sql.sh allows it here). */
#include <criterion/criterion.h>
#include <ftw.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "xinyong/buf.h"
#include "xinyong/registry.h"
#include "xinyong/sanctions.h"
#include "xinyong/store.h"

static char tmpdir[256];
static char dbpath[512];
static xy_store *st;
static xy_error err;

static int rm_one(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
	(void)sb;
	(void)flag;
	(void)ftw;
	return remove(path);
}

static void setup(void)
{
	snprintf(tmpdir, sizeof tmpdir, "/tmp/xy_store_test_XXXXXX");
	cr_assert_not_null(mkdtemp(tmpdir));
	/* nested: the store creates the parent directories */
	snprintf(dbpath, sizeof dbpath, "%s/a/b/xy.db", tmpdir);
	st = NULL;
	xy_error_clear(&err);
}

static void teardown(void)
{
	xy_store_close(st);
	st = NULL;
	nftw(tmpdir, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

TestSuite(store, .init = setup, .fini = teardown);

#define OK(expr) \
	do { \
		xy_code rc_ = (expr); \
		cr_assert_eq(rc_, XY_OK, "%s: %s (%s)", #expr, xy_code_name(rc_), err.msg); \
	} while (0)

static void open_store(void)
{
	OK(xy_store_open(&st, dbpath, NULL, &err));
}

/* ---- a hand-built registry ---- */

static char *dupstr(const char *s)
{
	size_t n = strlen(s) + 1;
	char *p = malloc(n);
	cr_assert_not_null(p);
	memcpy(p, s, n);
	return p;
}

static char **strv(size_t n, const char *const *v)
{
	char **a = calloc(n, sizeof *a);
	size_t i;
	cr_assert_not_null(a);
	for (i = 0; i < n; i++)
		a[i] = dupstr(v[i]);
	return a;
}

static void set_field(xy_field *f, const char *code, const char *name, xy_field_type t,
		      xy_field_role role, bool required, size_t max_len)
{
	memset(f, 0, sizeof *f);
	f->code = dupstr(code);
	f->name = dupstr(name);
	f->type = t;
	f->role = role;
	f->required = required;
	f->max_len = max_len;
}

/* Two units, two categories (sort order: 测试处罚 before 测试许可), one exception. */
static void build_registry(xy_registry *reg)
{
	static const char *const aliases[] = { "文书号", "决定书文号" };
	static const char *const kinds[] = { "法人及非法人组织", "自然人", "个体工商户" };
	xy_category *c;
	xy_registry_init(reg);
	reg->nunits = 2;
	reg->units = calloc(2, sizeof *reg->units);
	reg->units[0].name = dupstr("测试市场监管局");
	reg->units[0].kind = XY_UNIT_DEPARTMENT;
	reg->units[0].sort = 901;
	reg->units[1].name = dupstr("测试区");
	reg->units[1].kind = XY_UNIT_COUNTY;
	memcpy(reg->units[1].division, "210899", 7);
	reg->units[1].sort = 902;

	reg->ncategories = 2;
	reg->categories = calloc(2, sizeof *reg->categories);
	c = &reg->categories[0];
	c->code = dupstr("test_cf");
	c->name = dupstr("测试处罚");
	c->kind = XY_CAT_SUBJECT;
	c->nfields = 3;
	c->fields = calloc(3, sizeof *c->fields);
	set_field(&c->fields[0], "CF_XDR_MC", "行政相对人名称", XY_FT_TEXT, XY_ROLE_SUBJ_NAME,
		  true, 200);
	set_field(&c->fields[1], "CF_WSH", "行政处罚决定书文号", XY_FT_TEXT, XY_ROLE_KEY, true, 64);
	c->fields[1].aliases = strv(2, aliases);
	c->fields[1].naliases = 2;
	set_field(&c->fields[2], "CF_XDR_LB", "行政相对人类别", XY_FT_ENUM, XY_ROLE_SUBJ_KIND,
		  false, 0);
	c->fields[2].enum_values = strv(3, kinds);
	c->fields[2].nenum = 3;
	c->key_field = 1;

	c = &reg->categories[1];
	c->code = dupstr("test_xk");
	c->name = dupstr("测试许可");
	c->kind = XY_CAT_COUNT;
	c->nfields = 1;
	c->fields = calloc(1, sizeof *c->fields);
	set_field(&c->fields[0], "XK_XKJG", "许可机关", XY_FT_TEXT, XY_ROLE_NONE, false, 0);
	c->key_field = -1;

	reg->nexceptions = 1;
	reg->exceptions = calloc(1, sizeof *reg->exceptions);
	memcpy(reg->exceptions[0].code, "91210800TESTEXCEP", 18);
	reg->exceptions[0].note = dupstr("测试例外");
}

static const xy_unit *unit_named(const xy_registry *reg, const char *name)
{
	size_t i;
	for (i = 0; i < reg->nunits; i++)
		if (!strcmp(reg->units[i].name, name))
			return &reg->units[i];
	return NULL;
}

static const xy_category *cat_coded(const xy_registry *reg, const char *code)
{
	size_t i;
	for (i = 0; i < reg->ncategories; i++)
		if (!strcmp(reg->categories[i].code, code))
			return &reg->categories[i];
	return NULL;
}

/* Open, save the hand-built registry, return unit and category ids. */
static int64_t unit_id, unit2_id, cf_id, xk_id;

static void open_with_registry(void)
{
	xy_registry reg;
	open_store();
	build_registry(&reg);
	OK(xy_store_save_registry(st, &reg, &err));
	unit_id = reg.units[0].id;
	unit2_id = reg.units[1].id;
	cf_id = reg.categories[0].id;
	xk_id = reg.categories[1].id;
	xy_registry_release(&reg);
}

static int64_t new_batch(const char *reported_on)
{
	xy_batch b;
	memset(&b, 0, sizeof b);
	b.unit_id = unit_id;
	b.category_id = cf_id;
	b.file = "处罚.csv";
	snprintf(b.format, sizeof b.format, "csv");
	snprintf(b.encoding, sizeof b.encoding, "gb18030");
	snprintf(b.reported_on, sizeof b.reported_on, "%s", reported_on);
	OK(xy_store_batch_insert(st, &b, &err));
	cr_assert_gt(b.id, 0);
	return b.id;
}

static int64_t subject(const char *code, const char *name)
{
	xy_subject s;
	memset(&s, 0, sizeof s);
	s.kind = XY_SUBJ_LEGAL;
	OK(xy_subject_set(&s, code, "uscc", name));
	OK(xy_store_subject_upsert(st, &s, &err));
	cr_assert_gt(s.id, 0);
	int64_t id = s.id;
	xy_subject_release(&s);
	return id;
}

static xy_upsert_result upsert(int64_t batch, int64_t subj, const char *key, const char *data,
			       const char *decided_on)
{
	xy_record_in r = { unit_id, cf_id, batch, subj, key, data, strlen(data), decided_on };
	xy_upsert_result res;
	OK(xy_store_record_upsert(st, &r, &res, &err));
	return res;
}

struct one_table {
	const char *name;
	long long rows;
};

static int one_table(void *ctx, const char *name, long long rows)
{
	struct one_table *t = ctx;
	if (strcmp(name, t->name))
		return 0;
	t->rows = rows;
	return 1;
}

/* The rows of one table, as xy_store_table_rows (xinyong db counts) gives them. */
static long long table_rows(const char *name)
{
	struct one_table t = { name, -1 };
	OK(xy_store_table_rows(st, one_table, &t, &err));
	return t.rows;
}

/* SQLite backend's own test: a query on the SQLite file (see the top). */
static long db_count(const char *sql)
{
	sqlite3 *db;
	sqlite3_stmt *q;
	long n = -1;
	cr_assert_eq(sqlite3_open_v2(dbpath, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
	cr_assert_eq(sqlite3_prepare_v2(db, sql, -1, &q, NULL), SQLITE_OK, "%s",
		     sqlite3_errmsg(db));
	if (sqlite3_step(q) == SQLITE_ROW)
		n = (long)sqlite3_column_int64(q, 0);
	sqlite3_finalize(q);
	sqlite3_close(db);
	return n;
}

/* ---- opening and migrating ---- */

Test(store, open_creates_file_and_parents)
{
	struct stat sb;
	xy_registry reg;
	open_store();
	cr_assert_eq(stat(dbpath, &sb), 0);
	cr_assert_geq(xy_store_schema_version(st), 1);
	/* seeded from the default configuration */
	xy_registry_init(&reg);
	OK(xy_store_load_registry(st, &reg, &err));
	cr_assert_gt(reg.nunits, 0);
	cr_assert_gt(reg.ncategories, 0);
	xy_registry_release(&reg);
}

Test(store, sqlite_uri_prefix)
{
	char uri[600];
	snprintf(uri, sizeof uri, "sqlite:%s", dbpath);
	OK(xy_store_open(&st, uri, NULL, &err));
	cr_assert_geq(xy_store_schema_version(st), 1);
}

/* both URI schemes reach libpq (tests/pg/run.sh runs a real server); no
 * server behind the socket is a store error naming the backend */
Test(store, postgres_unreachable)
{
	cr_assert_eq(xy_store_open(&st, "postgresql:///xinyong?host=/nonexistent-xy", NULL, &err),
		     XY_ERR_STORE);
	cr_assert_null(st);
	cr_assert_not_null(strstr(err.msg, "postgresql: cannot connect"));
	cr_assert_eq(xy_store_open(&st, "postgres:///x?host=/nonexistent-xy", NULL, &err),
		     XY_ERR_STORE);
	cr_assert_null(st);
}

Test(store, migration_idempotent)
{
	xy_registry reg;
	size_t nunits;
	int v;
	open_store();
	v = xy_store_schema_version(st);
	xy_registry_init(&reg);
	OK(xy_store_load_registry(st, &reg, &err));
	nunits = reg.nunits;
	xy_registry_release(&reg);
	xy_store_close(st);
	st = NULL;

	open_store();
	cr_assert_eq(xy_store_schema_version(st), v);
	OK(xy_store_load_registry(st, &reg, &err));
	cr_assert_eq(reg.nunits, nunits, "seeded twice");
	xy_registry_release(&reg);
	cr_assert_eq(db_count("PRAGMA user_version"), v);
}

Test(store, newer_schema_refused)
{
	sqlite3 *db;
	open_store();
	xy_store_close(st);
	st = NULL;
	cr_assert_eq(sqlite3_open(dbpath, &db), SQLITE_OK);
	cr_assert_eq(sqlite3_exec(db, "PRAGMA user_version = 999", NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
	cr_assert_eq(xy_store_open(&st, dbpath, NULL, &err), XY_ERR_STORE);
	cr_assert_null(st);
	cr_assert_not_null(strstr(err.msg, "999 is newer than this xinyong"), "%s", err.msg);
}

/* Regression (fuzzing): a negative user_version indexed migrations[] before
 * its start (ASan global-buffer-overflow in migrate).  Refused, the file
 * left as it was, like a newer one. */
Test(store, negative_schema_refused)
{
	static const char *const versions[] = { "-1", "-9", "-2147483648" };
	for (size_t i = 0; i < sizeof versions / sizeof *versions; i++) {
		sqlite3 *db;
		sqlite3_stmt *q;
		char sql[64];
		if (st) {
			xy_store_close(st);
			st = NULL;
		}
		snprintf(dbpath, sizeof dbpath, "%s/neg%zu.db", tmpdir, i);
		cr_assert_eq(sqlite3_open(dbpath, &db), SQLITE_OK);
		snprintf(sql, sizeof sql, "PRAGMA user_version = %s", versions[i]);
		cr_assert_eq(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
		sqlite3_close(db);
		cr_assert_eq(xy_store_open(&st, dbpath, NULL, &err), XY_ERR_STORE, "%s", versions[i]);
		cr_assert_null(st);
		cr_assert_not_null(strstr(err.msg, "is invalid (expected 0 to"), "%s", err.msg);
		/* nothing was migrated: no table was created */
		cr_assert_eq(sqlite3_open(dbpath, &db), SQLITE_OK);
		cr_assert_eq(sqlite3_prepare_v2(db, "SELECT count(*) FROM sqlite_master", -1, &q,
						NULL), SQLITE_OK);
		cr_assert_eq(sqlite3_step(q), SQLITE_ROW);
		cr_assert_eq(sqlite3_column_int(q, 0), 0, "%s: tables created", versions[i]);
		sqlite3_finalize(q);
		sqlite3_close(db);
	}
}

Test(store, missing_config_dir_fails)
{
	char dir[600];
	snprintf(dir, sizeof dir, "%s/no-such-config", tmpdir);
	cr_assert_neq(xy_store_open(&st, dbpath, dir, &err), XY_OK);
	cr_assert_null(st);
}

/* ---- registry ---- */

Test(store, registry_round_trip)
{
	xy_registry reg, again, loaded;
	const xy_unit *u;
	const xy_category *c;
	size_t i;
	open_store();
	build_registry(&reg);
	OK(xy_store_save_registry(st, &reg, &err));
	for (i = 0; i < reg.nunits; i++)
		cr_assert_gt(reg.units[i].id, 0);
	cr_assert_gt(reg.categories[0].id, 0);
	cr_assert_neq(reg.categories[0].id, reg.categories[1].id);

	/* saving again inserts nothing and finds the same ids */
	build_registry(&again);
	OK(xy_store_save_registry(st, &again, &err));
	cr_assert_eq(again.units[0].id, reg.units[0].id);
	cr_assert_eq(again.units[1].id, reg.units[1].id);
	cr_assert_eq(again.categories[1].id, reg.categories[1].id);
	xy_registry_release(&again);

	xy_registry_init(&loaded);
	OK(xy_store_load_registry(st, &loaded, &err));
	u = unit_named(&loaded, "测试区");
	cr_assert_not_null(u);
	cr_assert_eq(u->id, reg.units[1].id);
	cr_assert_eq(u->kind, XY_UNIT_COUNTY);
	cr_assert_str_eq(u->division, "210899");
	cr_assert_eq(u->sort, 902);
	u = unit_named(&loaded, "测试市场监管局");
	cr_assert_not_null(u);
	cr_assert_str_eq(u->division, "");

	c = cat_coded(&loaded, "test_cf");
	cr_assert_not_null(c);
	cr_assert_eq(c->id, reg.categories[0].id);
	cr_assert_str_eq(c->name, "测试处罚");
	cr_assert_eq(c->kind, XY_CAT_SUBJECT);
	cr_assert_eq(c->nfields, 3);
	cr_assert_eq(c->key_field, 1);
	cr_assert_str_eq(c->fields[0].code, "CF_XDR_MC");
	cr_assert_eq(c->fields[0].role, XY_ROLE_SUBJ_NAME);
	cr_assert(c->fields[0].required);
	cr_assert_eq(c->fields[0].max_len, 200);
	cr_assert_eq(c->fields[0].naliases, 0);
	cr_assert_null(c->fields[0].aliases);
	cr_assert_str_eq(c->fields[1].name, "行政处罚决定书文号");
	cr_assert_eq(c->fields[1].naliases, 2);
	cr_assert_str_eq(c->fields[1].aliases[0], "文书号");
	cr_assert_str_eq(c->fields[1].aliases[1], "决定书文号");
	cr_assert_eq(c->fields[2].type, XY_FT_ENUM);
	cr_assert_eq(c->fields[2].nenum, 3);
	cr_assert_str_eq(c->fields[2].enum_values[2], "个体工商户");
	cr_assert_not(c->fields[2].required);

	c = cat_coded(&loaded, "test_xk");
	cr_assert_not_null(c);
	cr_assert_eq(c->kind, XY_CAT_COUNT);
	cr_assert_eq(c->key_field, -1);
	cr_assert_eq(c->nfields, 1);

	for (i = 0; i < loaded.nexceptions; i++)
		if (!strcmp(loaded.exceptions[i].code, "91210800TESTEXCEP"))
			break;
	cr_assert_lt(i, loaded.nexceptions);
	cr_assert_str_eq(loaded.exceptions[i].note, "测试例外");

	xy_registry_release(&loaded);
	xy_registry_release(&reg);
}

Test(store, registry_refuses_bar_in_alias)
{
	xy_registry reg;
	open_store();
	build_registry(&reg);
	free(reg.categories[0].fields[1].aliases[0]);
	reg.categories[0].fields[1].aliases[0] = dupstr("a|b");
	cr_assert_eq(xy_store_save_registry(st, &reg, &err), XY_ERR_CONFIG);
	xy_registry_release(&reg);
	/* nothing of it was kept */
	xy_registry_init(&reg);
	OK(xy_store_load_registry(st, &reg, &err));
	cr_assert_null(unit_named(&reg, "测试区"));
	xy_registry_release(&reg);
}

/* ---- subjects ---- */

static xy_subject *find(const char *q, size_t limit, size_t *n)
{
	xy_subject *v = NULL;
	OK(xy_store_subject_find(st, q, limit, &v, n, &err));
	return v;
}

Test(store, subject_upsert_same_code_same_id)
{
	xy_subject *v;
	size_t n;
	int64_t a, b, c;
	open_store();
	a = subject("91210800MA0TEST01X", "营口辽滨商贸有限公司");
	b = subject("91210800MA0TEST01X", "营口辽滨商贸有限公司");
	cr_assert_eq(a, b);
	c = subject("91210800MA0TEST02X", "营口另一家公司");
	cr_assert_neq(a, c);

	/* a new name updates the stored one, also through the cache */
	b = subject("91210800MA0TEST01X", "营口辽滨商贸集团有限公司");
	cr_assert_eq(a, b);
	v = find("91210800MA0TEST01X", 10, &n);
	cr_assert_eq(n, 1);
	cr_assert_eq(v[0].id, a);
	cr_assert_str_eq(v[0].name, "营口辽滨商贸集团有限公司");
	cr_assert_str_eq(v[0].code_type, "uscc");
	cr_assert_eq(v[0].kind, XY_SUBJ_LEGAL);
	xy_subjects_free(v, n);
	cr_assert_eq(table_rows("subjects"), 2);
	/* the FTS index follows the rename */
	v = find("辽滨商贸集团", 10, &n);
	cr_assert_eq(n, 1);
	xy_subjects_free(v, n);
}

Test(store, subject_cache_cleared_by_rollback)
{
	xy_subject *v;
	size_t n;
	int64_t kept, gone, again;
	open_store();
	kept = subject("91210800MA0KEPT01X", "保留公司");
	OK(xy_store_begin(st, true, &err));
	gone = subject("91210800MA0GONE01X", "回滚公司");
	cr_assert_eq(subject("91210800MA0GONE01X", "回滚公司"), gone);
	OK(xy_store_rollback(st, &err));
	cr_assert_eq(table_rows("subjects"), 1);

	/* the rolled back id must not come from the cache */
	OK(xy_store_begin(st, false, &err));
	again = subject("91210800MA0GONE01X", "回滚公司");
	cr_assert_eq(subject("91210800MA0KEPT01X", "保留公司"), kept);
	OK(xy_store_commit(st, &err));
	v = find("91210800MA0GONE01X", 0, &n);
	cr_assert_eq(n, 1);
	cr_assert_eq(v[0].id, again);
	xy_subjects_free(v, n);
	cr_assert_eq(table_rows("subjects"), 2);
}

Test(store, subject_cache_sees_other_connections)
{
	sqlite3 *db;
	xy_subject *v;
	size_t n;
	int64_t id;
	open_store();
	id = subject("91210800MA0OTHER1X", "原名公司");
	cr_assert_eq(sqlite3_open(dbpath, &db), SQLITE_OK);
	cr_assert_eq(sqlite3_exec(db, "UPDATE subjects SET name = '别人改的' WHERE code = "
				  "'91210800MA0OTHER1X'", NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
	/* same name as our cached one, but the database now holds another */
	cr_assert_eq(subject("91210800MA0OTHER1X", "原名公司"), id);
	v = find("91210800MA0OTHER1X", 0, &n);
	cr_assert_eq(n, 1);
	cr_assert_str_eq(v[0].name, "原名公司");
	xy_subjects_free(v, n);
}

Test(store, subject_find_by_name)
{
	xy_subject *v;
	size_t n;
	open_store();
	subject("91210800MA0FIND01X", "营口辽滨商贸有限公司");
	subject("91210800MA0FIND02X", "辽滨商贸");
	subject("91210800MA0FIND03X", "大连辽滨物流有限公司");
	subject("91210800MA0FIND04X", "鞍山钢铁集团");
	subject("91210800MA0FIND05X", "Quote \"Test\" Co");

	/* 2 characters: a scan (the trigram index cannot answer) */
	v = find("辽滨", 0, &n);
	cr_assert_eq(n, 3);
	xy_subjects_free(v, n);
	/* 3+ characters: trigram MATCH; exact name first */
	v = find("辽滨商贸", 0, &n);
	cr_assert_eq(n, 2);
	cr_assert_str_eq(v[0].name, "辽滨商贸");
	cr_assert_str_eq(v[1].name, "营口辽滨商贸有限公司");
	xy_subjects_free(v, n);
	v = find("滨商贸", 0, &n);
	cr_assert_eq(n, 2);
	xy_subjects_free(v, n);
	v = find("  滨商贸\xe3\x80\x80", 1, &n); /* trimmed; limit */
	cr_assert_eq(n, 1);
	xy_subjects_free(v, n);
	v = find("钢", 0, &n);
	cr_assert_eq(n, 1);
	cr_assert_str_eq(v[0].name, "鞍山钢铁集团");
	xy_subjects_free(v, n);
	v = find("有限公司", 0, &n);
	cr_assert_eq(n, 2);
	xy_subjects_free(v, n);
	/* FTS5 syntax in the query is taken literally */
	v = find("\"Test\"", 0, &n);
	cr_assert_eq(n, 1);
	xy_subjects_free(v, n);
	v = find("OR AND NOT *", 0, &n);
	cr_assert_eq(n, 0);
	xy_subjects_free(v, n);
	v = find("不存在的公司", 0, &n);
	cr_assert_eq(n, 0);
	cr_assert_null(v);
	v = find("   ", 0, &n);
	cr_assert_eq(n, 0);
	/* exact code wins over names */
	v = find(" 91210800MA0FIND04X ", 0, &n);
	cr_assert_eq(n, 1);
	cr_assert_str_eq(v[0].name, "鞍山钢铁集团");
	xy_subjects_free(v, n);
}

/* ---- records ---- */

struct seen {
	int n;
	char data[4][256];
	char category[4][64];
	char decided[4][16];
	int versions[4];
	char reported_on[4][16];
};

static int collect(void *ctx, const xy_record_view *r)
{
	struct seen *s = ctx;
	if (s->n < 4) {
		snprintf(s->data[s->n], sizeof s->data[0], "%s", r->data);
		snprintf(s->category[s->n], sizeof s->category[0], "%s", r->category);
		snprintf(s->decided[s->n], sizeof s->decided[0], "%s",
			 r->decided_on ? r->decided_on : "-");
		snprintf(s->reported_on[s->n], sizeof s->reported_on[0], "%s", r->reported_on);
		s->versions[s->n] = r->versions;
	}
	s->n++;
	return 0;
}

Test(store, record_upsert_states)
{
	int64_t b1, b2, b3, subj;
	struct seen seen = { 0 };
	char sql[256];
	long n;
	const char *key = "营市监罚〔2019〕第000123号";
	open_with_registry();
	subj = subject("91210800MA0REC001X", "营口辽滨商贸有限公司");

	OK(xy_store_begin(st, true, &err));
	b1 = new_batch("2019-03-01");
	cr_assert_eq(upsert(b1, subj, key, "{\"v\":\"1\"}", "2019-03-05"), XY_UPSERT_NEW);
	cr_assert_eq(upsert(b1, subj, key, "{\"v\":\"1\"}", "2019-03-05"), XY_UPSERT_DUPLICATE);
	/* a duplicate with other data still counts as a duplicate: first wins */
	cr_assert_eq(upsert(b1, subj, key, "{\"v\":\"X\"}", "2019-03-05"), XY_UPSERT_DUPLICATE);
	cr_assert_eq(upsert(b1, subj, "营市监罚〔2019〕第000124号", "{}", NULL), XY_UPSERT_NEW);
	OK(xy_store_commit(st, &err));

	OK(xy_store_begin(st, false, &err));
	b2 = new_batch("2019-04-01");
	cr_assert_eq(upsert(b2, subj, key, "{\"v\":\"1\"}", "2019-03-05"), XY_UPSERT_UNCHANGED);
	cr_assert_eq(upsert(b2, subj, key, "{\"v\":\"1\"}", "2019-03-05"), XY_UPSERT_DUPLICATE);
	OK(xy_store_commit(st, &err));

	b3 = new_batch("2019-05-01"); /* autocommit works too */
	cr_assert_eq(upsert(b3, subj, key, "{\"v\":\"2\"}", "2019-03-06"), XY_UPSERT_UPDATED);
	cr_assert_eq(upsert(b3, subj, key, "{\"v\":\"2\"}", "2019-03-06"), XY_UPSERT_DUPLICATE);
	/* a subject change alone is a change */
	cr_assert_eq(upsert(b3, 0, "营市监罚〔2019〕第000124号", "{}", NULL), XY_UPSERT_UPDATED);

	OK(xy_store_record_count(st, 0, &n, &err));
	cr_assert_eq(n, 2);
	OK(xy_store_record_count(st, b1, &n, &err));
	cr_assert_eq(n, 2);
	OK(xy_store_record_count(st, b3, &n, &err));
	cr_assert_eq(n, 0);

	/* the old version is kept with the batch that brought it and the one
	 * that replaced it */
	cr_assert_eq(table_rows("record_versions"), 2);
	/* (data is encrypted at rest: a BLOB of the 9 bytes of {"v":"1"} and the
	 * 45 bytes of format, key id, nonce and MAC; read back below through the
	 * store) */
	snprintf(sql, sizeof sql, "SELECT count(*) FROM record_versions WHERE typeof(data) = 'blob'"
		 " AND length(data) = 54"
		 " AND decided_on = '2019-03-05' AND batch_id = %lld AND replaced_by = %lld",
		 (long long)b1, (long long)b3);
	cr_assert_eq(db_count(sql), 1);
	snprintf(sql, sizeof sql, "SELECT last_batch FROM records WHERE key = '%s'", key);
	cr_assert_eq(db_count(sql), b3);

	OK(xy_store_subject_records(st, subj, collect, &seen, &err));
	cr_assert_eq(seen.n, 1);
	cr_assert_str_eq(seen.data[0], "{\"v\":\"2\"}");
	cr_assert_str_eq(seen.decided[0], "2019-03-06");
	cr_assert_str_eq(seen.category[0], "测试处罚");
	cr_assert_str_eq(seen.reported_on[0], "2019-03-01");
	cr_assert_eq(seen.versions[0], 2);
}

/* The bulk load (xy_store_records_load) gives the outcomes of the row path
 * for a chunk: new, a repeated key as a duplicate, then unchanged and
 * updated in a later batch; a subject is created once and its id used. */
Test(store, records_load_outcomes)
{
	int64_t b1, b2;
	long n;
	xy_subject s;
	xy_upsert_result res[3];
	struct seen seen = { 0 };
	open_with_registry();
	memset(&s, 0, sizeof s);
	s.kind = XY_SUBJ_LEGAL;
	OK(xy_subject_set(&s, "91210800MA0REC001X", "uscc", "营口批量商贸有限公司"));
	OK(xy_store_begin(st, true, &err));
	b1 = new_batch("2019-03-01");
	xy_record_load rows[3] = {
		{ &s, { unit_id, cf_id, b1, 0, "K1", "{\"v\":\"1\"}", 9, "2019-03-05" } },
		{ &s, { unit_id, cf_id, b1, 0, "K2", "{}", 2, NULL } },
		{ &s, { unit_id, cf_id, b1, 0, "K1", "{\"v\":\"X\"}", 9, NULL } },
	};
	OK(xy_store_records_load(st, rows, 3, res, &err));
	cr_assert_eq(res[0], XY_UPSERT_NEW);
	cr_assert_eq(res[1], XY_UPSERT_NEW);
	cr_assert_eq(res[2], XY_UPSERT_DUPLICATE);
	OK(xy_store_commit(st, &err));
	b2 = new_batch("2019-04-01");
	for (int i = 0; i < 2; i++)
		rows[i].rec.batch_id = b2;
	rows[1].rec.data = "{\"v\":\"2\"}";
	rows[1].rec.data_len = 9;
	OK(xy_store_begin(st, false, &err));
	OK(xy_store_records_load(st, rows, 2, res, &err));
	OK(xy_store_commit(st, &err));
	cr_assert_eq(res[0], XY_UPSERT_UNCHANGED);
	cr_assert_eq(res[1], XY_UPSERT_UPDATED);
	OK(xy_store_record_count(st, 0, &n, &err));
	cr_assert_eq(n, 2);
	OK(xy_store_subject_records(st, s.id, collect, &seen, &err));
	cr_assert_eq(seen.n, 2);
	/* rows of two batches in one call are refused */
	rows[1].rec.batch_id = b1;
	cr_assert_eq(xy_store_records_load(st, rows, 2, res, &err), XY_ERR_ARG);
	xy_subject_release(&s);
}

Test(store, subject_records_order)
{
	int64_t b, subj;
	struct seen seen = { 0 };
	xy_record_in r;
	xy_upsert_result res;
	open_with_registry();
	subj = subject("91210800MA0ORD001X", "排序公司");
	b = new_batch("2019-03-01");
	/* category sort: 测试处罚 (0) before 测试许可 (1); then decided_on desc */
	r = (xy_record_in){ unit_id, xk_id, b, subj, "k1", "{\"n\":1}", 7, "2019-01-01" };
	OK(xy_store_record_upsert(st, &r, &res, &err));
	upsert(b, subj, "k2", "{\"n\":2}", "2019-01-01");
	upsert(b, subj, "k3", "{\"n\":3}", "2019-06-01");
	upsert(b, subj, "k4", "{\"n\":4}", NULL);
	upsert(b, 0, "k5", "{\"n\":5}", NULL);
	OK(xy_store_subject_records(st, subj, collect, &seen, &err));
	cr_assert_eq(seen.n, 4);
	cr_assert_str_eq(seen.data[0], "{\"n\":3}");
	cr_assert_str_eq(seen.data[1], "{\"n\":2}");
	cr_assert_str_eq(seen.data[2], "{\"n\":4}");
	cr_assert_str_eq(seen.decided[2], "-");
	cr_assert_str_eq(seen.data[3], "{\"n\":1}");
	cr_assert_str_eq(seen.category[3], "测试许可");
}

static int stop_first(void *ctx, const xy_record_view *r)
{
	(void)r;
	++*(int *)ctx;
	return 1;
}

Test(store, callback_can_stop)
{
	int64_t b, subj;
	int calls = 0;
	open_with_registry();
	subj = subject("91210800MA0STOP01X", "停止公司");
	b = new_batch("2019-03-01");
	upsert(b, subj, "k1", "{}", NULL);
	upsert(b, subj, "k2", "{}", NULL);
	OK(xy_store_subject_records(st, subj, stop_first, &calls, &err));
	cr_assert_eq(calls, 1);
}

/* store.h, "Re-entrancy": a callback may call other store functions (here a
 * write and another query), not the iterating function that calls it. */
struct reenter {
	int64_t subj, batch;
	int rows;
	xy_code again, write, other;
	long count;
};

static int reenter_row(void *ctx, const xy_record_view *r)
{
	struct reenter *c = ctx;
	struct seen seen = { 0 };
	xy_error e = { 0 };
	char key[32];
	xy_record_in in;
	xy_upsert_result res;
	(void)r;
	c->rows++;
	c->again = xy_store_subject_records(st, c->subj, collect, &seen, &e);
	snprintf(key, sizeof key, "new%d", c->rows);
	in = (xy_record_in){ unit_id, cf_id, c->batch, 0, key, "{}", 2, NULL };
	c->write = xy_store_record_upsert(st, &in, &res, &e);
	c->other = xy_store_record_count(st, c->batch, &c->count, &e);
	return 0;
}

Test(store, callback_reentrancy)
{
	struct reenter c = { 0 };
	open_with_registry();
	c.subj = subject("91210800MA0REEN1X", "重入公司");
	c.batch = new_batch("2019-03-01");
	upsert(c.batch, c.subj, "k1", "{}", NULL);
	upsert(c.batch, c.subj, "k2", "{}", NULL);
	OK(xy_store_subject_records(st, c.subj, reenter_row, &c, &err));
	/* the outer loop was not cut short by the calls in its callback */
	cr_assert_eq(c.rows, 2);
	cr_assert_eq(c.again, XY_ERR_STORE, "the same query from its callback: %d", c.again);
	cr_assert_eq(c.write, XY_OK);
	cr_assert_eq(c.other, XY_OK);
	cr_assert_eq(c.count, 4);
}

Test(store, rollback_leaves_nothing)
{
	int64_t b, subj;
	xy_batch *v = NULL;
	size_t n;
	long count;
	open_with_registry();
	OK(xy_store_begin(st, true, &err));
	b = new_batch("2019-03-01");
	subj = subject("91210800MA0ROLL01X", "回滚公司");
	upsert(b, subj, "k1", "{}", NULL);
	OK(xy_store_rollback(st, &err));
	OK(xy_store_record_count(st, 0, &count, &err));
	cr_assert_eq(count, 0);
	OK(xy_store_batches(st, 0, &v, &n, &err));
	cr_assert_eq(n, 0);
	xy_batches_free(v, n);
	cr_assert_eq(table_rows("subjects"), 0);
	/* harmless without a transaction */
	OK(xy_store_rollback(st, &err));
	OK(xy_store_rollback(NULL, &err));
	/* commit without one is an error */
	cr_assert_eq(xy_store_commit(st, &err), XY_ERR_STORE);
}

Test(store, transaction_errors)
{
	xy_store *other = NULL;
	open_store();
	/* a second writer waits busy_timeout (5 s) and then reports the lock */
	OK(xy_store_open(&other, dbpath, NULL, &err));
	OK(xy_store_begin(st, false, &err));
	cr_assert_eq(xy_store_begin(other, false, &err), XY_ERR_STORE);
	cr_assert_not_null(strstr(err.msg, "locked by another process"), "%s", err.msg);
	OK(xy_store_commit(st, &err));
	xy_store_close(other);
}

/* A begin inside a transaction nests: its rollback undoes only its own work,
 * its commit leaves the work to the outer transaction. */
Test(store, transaction_nesting)
{
	xy_city_index a = { "2019-01", 80.0, 100 }, b = { "2019-02", 81.0, 90 },
		      c = { "2019-03", 82.0, 80 }, d = { "2019-04", 83.0, 70 };
	xy_city_index *v = NULL;
	size_t n = 0;
	open_store();
	OK(xy_store_begin(st, false, &err));
	OK(xy_store_index_put(st, &a, &err));
	OK(xy_store_begin(st, false, &err));
	OK(xy_store_index_put(st, &b, &err));
	OK(xy_store_rollback(st, &err)); /* b only */
	OK(xy_store_begin(st, true, &err));
	OK(xy_store_index_put(st, &c, &err));
	OK(xy_store_commit(st, &err)); /* c stays inside the outer transaction */
	OK(xy_store_commit(st, &err));
	OK(xy_store_index_list(st, &v, &n, &err));
	cr_assert_eq(n, 2);
	cr_assert_str_eq(v[0].month, "2019-01");
	cr_assert_str_eq(v[1].month, "2019-03");
	free(v);

	/* the outer rollback undoes a committed nested step */
	OK(xy_store_begin(st, false, &err));
	OK(xy_store_begin(st, false, &err));
	OK(xy_store_index_put(st, &d, &err));
	OK(xy_store_commit(st, &err));
	OK(xy_store_rollback(st, &err));
	OK(xy_store_index_list(st, &v, &n, &err));
	cr_assert_eq(n, 2);
	free(v);
}

/* ---- batches ---- */

Test(store, batches_newest_first)
{
	xy_batch *v = NULL, one;
	size_t n;
	int64_t b1, b2, b3;
	open_with_registry();
	b1 = new_batch("2019-01-01");
	b2 = new_batch("2019-02-01");
	b3 = new_batch("2019-03-01");
	OK(xy_store_batches(st, 0, &v, &n, &err));
	cr_assert_eq(n, 3);
	cr_assert_eq(v[0].id, b3);
	cr_assert_eq(v[1].id, b2);
	cr_assert_eq(v[2].id, b1);
	cr_assert_str_eq(v[0].unit, "测试市场监管局");
	cr_assert_str_eq(v[0].category, "测试处罚");
	cr_assert_str_eq(v[0].reported_on, "2019-03-01");
	cr_assert_str_eq(v[0].file, "处罚.csv");
	cr_assert_neq(v[0].started_at[0], '\0');
	cr_assert_eq(v[0].status, XY_BATCH_COMMITTED);
	xy_batches_free(v, n);
	OK(xy_store_batches(st, 2, &v, &n, &err));
	cr_assert_eq(n, 2);
	cr_assert_eq(v[1].id, b2);
	xy_batches_free(v, n);

	OK(xy_store_batch_get(st, b2, &one, &err));
	one.status = XY_BATCH_REFUSED;
	one.rows = 10;
	one.added = 4;
	one.updated = 3;
	one.unchanged = 2;
	one.rejected = 1;
	{
		/* the row owns what the get gave it; borrowed strings in a copy */
		xy_batch upd = one;
		upd.mem = NULL;
		upd.message = "第3行：文件损坏";
		snprintf(upd.finished_at, sizeof upd.finished_at, "2019-02-01T10:00:00Z");
		upd.error_report = "/tmp/errors.csv";
		OK(xy_store_batch_update(st, &upd, &err));
	}
	xy_batch_release(&one);
	OK(xy_store_batch_get(st, b2, &one, &err));
	cr_assert_eq(one.status, XY_BATCH_REFUSED);
	cr_assert_eq(one.rows, 10);
	cr_assert_eq(one.added, 4);
	cr_assert_eq(one.updated, 3);
	cr_assert_eq(one.unchanged, 2);
	cr_assert_eq(one.rejected, 1);
	cr_assert_str_eq(one.message, "第3行：文件损坏");
	cr_assert_str_eq(one.error_report, "/tmp/errors.csv");
	cr_assert_str_eq(one.finished_at, "2019-02-01T10:00:00Z");
	xy_batch_release(&one);

	cr_assert_eq(xy_store_batch_get(st, 999, &one, &err), XY_ERR_NOTFOUND);
	one.id = 999;
	cr_assert_eq(xy_store_batch_update(st, &one, &err), XY_ERR_NOTFOUND);
}

Test(store, batch_without_unit)
{
	xy_batch b;
	XY_AUTO(xy_batch, got);
	memset(&b, 0, sizeof b);
	open_store();
	b.status = XY_BATCH_REFUSED;
	snprintf(b.reported_on, sizeof b.reported_on, "2019-03-01");
	b.message = "unknown unit";
	OK(xy_store_batch_insert(st, &b, &err));
	OK(xy_store_batch_get(st, b.id, &got, &err));
	cr_assert_eq(got.unit_id, 0);
	cr_assert_str_eq(got.unit, "");
	cr_assert_str_eq(got.message, "unknown unit");
	cr_assert_eq(got.status, XY_BATCH_REFUSED);
	/* a unit id that does not exist breaks the foreign key */
	b.unit_id = 12345;
	cr_assert_eq(xy_store_batch_insert(st, &b, &err), XY_ERR_STORE);
	cr_assert_not_null(strstr(err.msg, "sqlite: FOREIGN KEY"), "%s", err.msg);
}

struct errs {
	int n;
	long rows[4];
	char text[4][128];
};

static int collect_error(void *ctx, const xy_batch_error *e)
{
	struct errs *s = ctx;
	if (s->n < 4) {
		s->rows[s->n] = e->row;
		snprintf(s->text[s->n], sizeof s->text[0], "%s|%s|%s|%s|%s",
			 e->sheet ? e->sheet : "(null)", e->column ? e->column : "(null)",
			 e->value ? e->value : "(null)", e->reason_zh ? e->reason_zh : "(null)",
			 e->reason_en ? e->reason_en : "(null)");
	}
	s->n++;
	return 0;
}

Test(store, batch_errors_round_trip)
{
	struct errs seen = { 0 };
	int64_t b1, b2;
	xy_batch_error e1 = { 0, 7, NULL, "统一社会信用代码", "91210800X", "校验位错误",
			      "bad check character" };
	xy_batch_error e2 = { 0, 9, "Sheet1", NULL, NULL, "列数不对", "wrong column count" };
	open_with_registry();
	b1 = new_batch("2019-03-01");
	b2 = new_batch("2019-03-01");
	e1.batch_id = b1;
	e2.batch_id = b1;
	OK(xy_store_batch_error_add(st, &e1, &err));
	OK(xy_store_batch_error_add(st, &e2, &err));
	e1.batch_id = b2;
	OK(xy_store_batch_error_add(st, &e1, &err));
	OK(xy_store_batch_errors(st, b1, collect_error, &seen, &err));
	cr_assert_eq(seen.n, 2);
	cr_assert_eq(seen.rows[0], 7);
	cr_assert_str_eq(seen.text[0], "(null)|统一社会信用代码|91210800X|校验位错误|bad check character");
	cr_assert_eq(seen.rows[1], 9);
	cr_assert_str_eq(seen.text[1], "Sheet1|(null)|(null)|列数不对|wrong column count");
	e1.batch_id = 4242;
	cr_assert_eq(xy_store_batch_error_add(st, &e1, &err), XY_ERR_STORE);
}

Test(store, bad_arguments)
{
	xy_subject s;
	xy_upsert_result res;
	xy_record_in r = { 1, 1, 1, 0, NULL, "{}", 2, NULL };
	xy_store *other = NULL;
	open_store();
	memset(&s, 0, sizeof s);
	cr_assert_eq(xy_store_subject_upsert(st, &s, &err), XY_ERR_ARG);
	cr_assert_eq(xy_store_record_upsert(st, &r, &res, &err), XY_ERR_ARG);
	cr_assert_eq(xy_store_open(&other, "", NULL, &err), XY_ERR_ARG);
	cr_assert_null(other);
	/* a row's required text left NULL is an argument error, not a crash */
	{
		xy_entry_row e;
		xy_commitment_row c;
		xy_gov_dishonesty_row g;
		memset(&e, 0, sizeof e);
		memset(&c, 0, sizeof c);
		memset(&g, 0, sizeof g);
		e.subject_id = e.unit_id = c.unit_id = c.subject_id = g.body_id = g.unit_id = 1;
		snprintf(c.signed_on, sizeof c.signed_on, "2026-01-01");
		snprintf(g.registered_on, sizeof g.registered_on, "2026-01-01");
		cr_assert_eq(xy_store_entry_insert(st, &e, &err), XY_ERR_ARG);
		cr_assert_eq(xy_store_commitment_insert(st, &c, &err), XY_ERR_ARG);
		cr_assert_eq(xy_store_gov_dishonesty_insert(st, &g, &err), XY_ERR_ARG);
	}
}

/* ---- values kept whole (issue 8: "Nothing is cut") ---- */

/* n repetitions of a 3-byte character, then an ASCII tail so the end shows */
static char *long_text(const char *ch, size_t n, const char *tail)
{
	size_t cl = strlen(ch), tl = strlen(tail);
	char *s = malloc(n * cl + tl + 1);
	cr_assert_not_null(s);
	for (size_t i = 0; i < n; i++)
		memcpy(s + i * cl, ch, cl);
	memcpy(s + n * cl, tail, tl + 1);
	return s;
}

struct seen_entry {
	int n;
	const char *reason;
	bool whole;
};

static int on_long_entry(void *ctx, const xy_entry_row *e)
{
	struct seen_entry *x = ctx;
	x->n++;
	x->whole = !strcmp(e->reason, x->reason) && e->mem == NULL; /* borrowed in a callback */
	return 0;
}

Test(store, values_longer_than_the_old_buffers_are_kept_whole)
{
	/* each longer than the fixed array that held it before */
	char *path = long_text("目", 500, "/处罚.csv");          /* file[1024]: 1,509 bytes */
	char *msg = long_text("错", 200, " end");                 /* message[512] */
	char *report = long_text("报", 400, ".errors.csv");       /* error_report[1024] */
	char *name = long_text("名", 600, "有限公司");             /* subject_name[512]: 600+ chars */
	char *reason = long_text("由", 3000, "。");               /* reason[2048]: 3,000 chars */
	char *content = long_text("诺", 2000, "。");              /* content[4096] */
	char *note = long_text("注", 400, "。");                  /* note[1024] */
	char *source = long_text("源", 200, "号");                /* source[512] */
	char *doc = long_text("文", 80, "号");                    /* 243 bytes: under XY_DOC_MAX */
	xy_list_type lt = { "测试失信名单", XY_LIST_BLACK, "", "", 0, 'd', "", false, "" };
	xy_batch b;
	XY_AUTO(xy_batch, got);
	XY_AUTO(xy_entry_row, e);
	XY_AUTO(xy_entry_row, copy);
	XY_AUTO(xy_commitment_row, c);
	XY_AUTO(xy_gov_dishonesty_row, g);
	xy_entry_row in;
	xy_commitment_row cin;
	xy_gov_dishonesty_row gin;
	xy_batch *v = NULL;
	size_t n = 0;
	struct seen_entry seen = { 0, reason, false };
	int64_t subj, body;

	open_with_registry();
	memset(&b, 0, sizeof b);
	b.unit_id = unit_id;
	b.category_id = cf_id;
	b.file = path;
	snprintf(b.reported_on, sizeof b.reported_on, "2019-03-01");
	OK(xy_store_batch_insert(st, &b, &err));
	b.message = msg;
	b.error_report = report;
	OK(xy_store_batch_update(st, &b, &err));
	OK(xy_store_batch_get(st, b.id, &got, &err));
	cr_assert_str_eq(got.file, path);
	cr_assert_str_eq(got.message, msg);
	cr_assert_str_eq(got.error_report, report);
	OK(xy_store_batches(st, 0, &v, &n, &err));
	cr_assert_eq(n, 1);
	cr_assert_str_eq(v[0].file, path);
	cr_assert_str_eq(v[0].error_report, report);
	xy_batches_free(v, n);

	subj = subject("91210800MA0LONG01R", name);
	OK(xy_store_list_type_ensure(st, &lt, &err));
	memset(&in, 0, sizeof in);
	in.subject_id = subj;
	in.unit_id = unit_id;
	in.list_type = lt.name;
	in.doc = doc;
	in.reason = reason;
	snprintf(in.from, sizeof in.from, "2026-01-01");
	OK(xy_store_entry_insert(st, &in, &err));
	OK(xy_store_entry_get(st, in.id, &e, &err));
	cr_assert_str_eq(e.subject_name, name);
	cr_assert_str_eq(e.reason, reason);
	cr_assert_str_eq(e.doc, doc);
	cr_assert_not_null(e.mem, "a get owns its strings");
	OK(xy_store_entries(st, NULL, on_long_entry, &seen, &err));
	cr_assert_eq(seen.n, 1);
	cr_assert(seen.whole, "the callback's row is whole and borrowed");
	/* a copy outlives the row it came from */
	OK(xy_entry_row_copy(&copy, &e));
	xy_entry_row_release(&e);
	cr_assert_null(e.reason, "release zeroes the row");
	cr_assert_str_eq(copy.reason, reason);
	cr_assert_str_eq(copy.subject_name, name);

	memset(&cin, 0, sizeof cin);
	cin.unit_id = unit_id;
	cin.subject_id = subj;
	cin.type = "其他";
	cin.matter = reason;
	cin.content = content;
	snprintf(cin.signed_on, sizeof cin.signed_on, "2026-01-02");
	cin.no = "";
	OK(xy_store_commitment_insert(st, &cin, &err));
	cr_assert_str_eq(cin.no, "", "the store does not number a commitment itself");
	/* the number is the caller's: the store keeps it, once */
	OK(xy_store_commitment_number(st, cin.id, "N-1", &err));
	cr_assert_eq(xy_store_commitment_number(st, cin.id, "N-2", &err), XY_ERR_NOTFOUND,
		     "a numbered commitment is not renumbered");
	xy_error_clear(&err);
	OK(xy_store_commitment_get(st, cin.id, &c, &err));
	cr_assert_str_eq(c.no, "N-1");
	cr_assert_str_eq(c.matter, reason);
	cr_assert_str_eq(c.content, content);
	cr_assert_str_eq(c.subject_name, name);

	body = subject("11210800MA0LONG02X", name);
	memset(&gin, 0, sizeof gin);
	gin.body_id = body;
	gin.unit_id = unit_id;
	gin.case_type = "拖欠账款";
	gin.source = source;
	gin.note = note;
	snprintf(gin.registered_on, sizeof gin.registered_on, "2026-01-03");
	OK(xy_store_gov_dishonesty_insert(st, &gin, &err));
	OK(xy_store_gov_dishonesty_get(st, gin.id, &g, &err));
	cr_assert_str_eq(g.source, source);
	cr_assert_str_eq(g.note, note);
	cr_assert_str_eq(g.body_name, name);
	cr_assert_str_eq(g.amount, "", "filled rows have no NULL string");

	free(path), free(msg), free(report), free(name), free(reason), free(content);
	free(note), free(source), free(doc);
}

/* Release is safe on zeroed and borrowed rows and twice in a row. */
Test(store, row_release_is_safe)
{
	xy_case_row c;
	memset(&c, 0, sizeof c);
	xy_case_row_release(&c);
	c.reason = "borrowed";
	xy_case_row_release(&c);
	cr_assert_null(c.reason);
	xy_case_row_release(&c);
	xy_case_row_release(NULL);
	xy_batches_free(NULL, 0);
}

/* A read transaction sees one snapshot: a write committed by another handle
 * meanwhile shows only after it ends.  Inside a transaction it adds nothing. */
Test(store, read_transaction_is_one_snapshot)
{
	xy_city_index a = { "2019-01", 80.0, 100 }, b = { "2019-02", 81.0, 90 };
	xy_city_index *v = NULL;
	xy_store *reader = NULL;
	size_t n = 0;
	open_store();
	OK(xy_store_index_put(st, &a, &err));
	OK(xy_store_open(&reader, dbpath, NULL, &err));
	OK(xy_store_read_begin(reader, &err));
	OK(xy_store_index_list(reader, &v, &n, &err));
	cr_assert_eq(n, 1);
	free(v);
	OK(xy_store_index_put(st, &b, &err)); /* the reader does not block the writer */
	OK(xy_store_index_list(reader, &v, &n, &err));
	cr_assert_eq(n, 1, "the snapshot taken by the first read holds");
	free(v);
	xy_store_read_end(reader);
	OK(xy_store_index_list(reader, &v, &n, &err));
	cr_assert_eq(n, 2, "after the end, the reader sees the write");
	free(v);
	xy_store_close(reader);

	/* inside a transaction: begin and end leave it open */
	OK(xy_store_begin(st, false, &err));
	OK(xy_store_read_begin(st, &err));
	xy_store_read_end(st);
	OK(xy_store_commit(st, &err));
	cr_assert_eq(xy_store_commit(st, &err), XY_ERR_STORE, "the one transaction ended once");
	xy_store_read_end(NULL);
	cr_assert_eq(xy_store_read_begin(NULL, &err), XY_ERR_ARG);
}

/* The data version: the same while nothing is committed, changed by another
 * handle's commit (seen at the next snapshot, not inside the current one) and
 * by the handle's own commit — the server's answer cache relies on all three. */
Test(store, data_version_changes_with_every_commit)
{
	xy_city_index a = { "2019-01", 80.0, 100 }, b = { "2019-02", 81.0, 90 },
		      c = { "2019-03", 82.0, 80 };
	xy_store *reader = NULL;
	uint64_t v0, v1, v2, v3, v4;
	open_store();
	OK(xy_store_index_put(st, &a, &err));
	OK(xy_store_open(&reader, dbpath, NULL, &err));
	OK(xy_store_data_version(reader, &v0, &err));
	OK(xy_store_data_version(reader, &v1, &err));
	cr_assert_eq(v0, v1, "nothing committed: the same version");
	OK(xy_store_read_begin(reader, &err));
	OK(xy_store_data_version(reader, &v1, &err));
	OK(xy_store_index_put(st, &b, &err)); /* another handle commits */
	OK(xy_store_data_version(reader, &v2, &err));
	cr_assert_eq(v1, v2, "inside one read transaction: the snapshot's version");
	xy_store_read_end(reader);
	OK(xy_store_data_version(reader, &v2, &err));
	cr_assert_neq(v1, v2, "another handle's commit changes it");
	OK(xy_store_index_put(reader, &c, &err)); /* the handle's own commit */
	OK(xy_store_data_version(reader, &v3, &err));
	cr_assert_neq(v2, v3, "the handle's own commit changes it");
	OK(xy_store_data_version(reader, &v4, &err));
	cr_assert_eq(v3, v4);
	xy_store_close(reader);
	cr_assert_eq(xy_store_data_version(NULL, &v4, &err), XY_ERR_ARG);
}

static int collect_gd(void *ctx, const xy_gov_dishonesty_row *g)
{
	xy_buf *b = ctx;
	xy_buf_addf(b, "%s:%s;", g->body_name, g->source);
	return 0;
}

/* A subject's government-dishonesty entries, whatever their district, and
 * none of another body's. */
Test(store, gov_dishonesty_by_subject)
{
	const char *who[][2] = { { "11210800MA0BODY01X", "甲" }, { "11210800MA0BODY02X", "乙" },
				 { "11210800MA0BODY03X", "丙" } };
	const char *src[] = { "甲1", "乙1", "甲2" };
	const int of[] = { 0, 1, 0 }; /* whose entry src[i] is */
	int64_t body[3];
	xy_buf b = XY_BUF_INIT;
	open_with_registry();
	for (int i = 0; i < 3; i++)
		body[i] = subject(who[i][0], who[i][1]);
	for (int i = 0; i < 3; i++) {
		xy_gov_dishonesty_row g;
		memset(&g, 0, sizeof g);
		g.body_id = body[of[i]];
		g.unit_id = unit_id;
		g.case_type = "拖欠账款";
		g.source = src[i];
		snprintf(g.registered_on, sizeof g.registered_on, "2026-01-0%c", '1' + i);
		OK(xy_store_gov_dishonesty_insert(st, &g, &err));
	}
	OK(xy_store_subject_gov_dishonesties(st, body[0], collect_gd, &b, &err));
	cr_assert_str_eq(b.data, "甲:甲1;甲:甲2;", "in id order, the other body's left out");
	xy_buf_truncate(&b, 0);
	OK(xy_store_subject_gov_dishonesties(st, body[1], collect_gd, &b, &err));
	cr_assert_str_eq(b.data, "乙:乙1;");
	xy_buf_truncate(&b, 0);
	OK(xy_store_subject_gov_dishonesties(st, body[2], collect_gd, &b, &err));
	cr_assert_eq(b.len, 0, "a subject without entries has none");
	cr_assert_eq(xy_store_subject_gov_dishonesties(st, 0, collect_gd, &b, &err), XY_ERR_ARG);
	xy_buf_release(&b);
}

/* Units added and renamed through the store: a former name finds the unit
 * after a reload, names (and former names) are never shared, renaming back
 * takes the name off the former ones. */
Test(store, unit_insert_rename_former_names)
{
	xy_registry reg;
	xy_unit u = { 0 };
	const xy_unit *f;
	open_with_registry();
	u.name = (char *)"测试新区";
	u.kind = XY_UNIT_PARK;
	u.sort = 903;
	OK(xy_store_unit_insert(st, &u, &err));
	cr_assert_gt(u.id, 0);
	cr_expect_eq(xy_store_unit_insert(st, &u, &err), XY_ERR_CONFLICT);
	cr_expect_str_eq(err.field, "name");
	OK(xy_store_unit_rename(st, unit_id, "测试市市场监督管理局", "2026-01-01T00:00:00Z", &err));
	cr_expect_eq(xy_store_unit_rename(st, u.id, "测试市场监管局", "2026-01-02T00:00:00Z", &err),
		     XY_ERR_CONFLICT, "another unit's former name");
	cr_expect_eq(xy_store_unit_rename(st, u.id, "测试区", "2026-01-02T00:00:00Z", &err),
		     XY_ERR_CONFLICT, "another unit's name");
	cr_expect_eq(xy_store_unit_rename(st, 99999, "无此", "2026-01-02T00:00:00Z", &err),
		     XY_ERR_NOTFOUND);
	u.name = (char *)"测试市场监管局";
	cr_expect_eq(xy_store_unit_insert(st, &u, &err), XY_ERR_CONFLICT, "a former name is taken");
	xy_registry_init(&reg);
	OK(xy_store_load_registry(st, &reg, &err));
	f = xy_registry_unit(&reg, "测试市场监管局");
	cr_assert_not_null(f);
	cr_expect_eq(f->id, unit_id);
	cr_expect_str_eq(f->name, "测试市市场监督管理局");
	cr_assert_eq(f->naliases, 1);
	xy_registry_release(&reg);
	OK(xy_store_unit_rename(st, unit_id, "测试市场监管局", "2026-01-03T00:00:00Z", &err));
	xy_registry_init(&reg);
	OK(xy_store_load_registry(st, &reg, &err));
	f = xy_registry_unit(&reg, "测试市场监管局");
	cr_assert_not_null(f);
	cr_expect_str_eq(f->name, "测试市场监管局");
	cr_assert_eq(f->naliases, 1, "the name it is again is no former name");
	cr_expect_str_eq(f->aliases[0], "测试市市场监督管理局");
	xy_registry_release(&reg);
}
