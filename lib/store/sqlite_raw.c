/* xinyong: whole tables of a SQLite database, read for a copy into another
 * backend (backend.h, struct xy__store_raw_ops; lib/store/migrate.c).
 * A source only: loading a SQLite database this way is not needed (a copy
 * of the file is). */
#include <stdlib.h>
#include <string.h>

#include "raw.h"
#include "sqlite_int.h"

/* The column class from its declared type (SQLite's affinity rules,
 * https://sqlite.org/datatype3.html 3.1). */
static xy__raw_type affinity(const char *decl)
{
	char up[64];
	size_t i;
	for (i = 0; decl[i] && i + 1 < sizeof up; i++)
		up[i] = (char)(decl[i] >= 'a' && decl[i] <= 'z' ? decl[i] - 32 : decl[i]);
	up[i] = '\0';
	if (strstr(up, "INT"))
		return XY_RAW_INT;
	if (strstr(up, "CHAR") || strstr(up, "CLOB") || strstr(up, "TEXT"))
		return XY_RAW_TEXT;
	if (!up[0] || strstr(up, "BLOB"))
		return XY_RAW_BLOB;
	return XY_RAW_REAL; /* REAL, FLOA, DOUB, and NUMERIC's kin */
}

static xy_code columns(xy_store *base, const char *table, bool *exists, xy__raw_table_cb cb,
		       void *ctx, xy_error *err)
{
	sq_store *s = SQ(base);
	sqlite3_stmt *st = NULL;
	xy__raw_column *cols = NULL;
	size_t n = 0, cap = 0;
	xy_code rc = XY_OK;
	int src;
	*exists = false;
	if ((src = sqlite3_prepare_v2(s->db, "SELECT name, type FROM pragma_table_info(?1)", -1,
				      &st, NULL)))
		return sq_fail(s, src, "reading a table's columns", err);
	sq_bind_str(s, st, 1, table);
	while ((src = sq_step(s, st)) == SQLITE_ROW) {
		if (n == cap) {
			size_t c2 = cap ? 2 * cap : 16;
			xy__raw_column *v = realloc(cols, c2 * sizeof *v);
			if (!v) {
				rc = xy_error_set(err, XY_ERR_NOMEM, "out of memory");
				break;
			}
			cols = v;
			cap = c2;
		}
		cols[n].type = affinity(sq_col_str(st, 1));
		if (!(cols[n].name = strdup(sq_col_str(st, 0)))) {
			rc = xy_error_set(err, XY_ERR_NOMEM, "out of memory");
			break;
		}
		n++;
	}
	rc = xy__sq_done(s, st, src, rc, "reading a table's columns", err);
	sqlite3_finalize(st);
	if (!rc && n) {
		*exists = true;
		if (cb)
			cb(ctx, table, cols, n);
	}
	for (size_t i = 0; i < n; i++)
		free(cols[i].name);
	free(cols);
	return rc;
}

typedef struct {
	xy__raw_table_cb cb;
	void *ctx;
	bool stopped;
} tables_ctx;

static int table_seen(void *ctx, const char *table, const xy__raw_column *cols, size_t n)
{
	tables_ctx *t = ctx;
	if (t->cb(t->ctx, table, cols, n))
		t->stopped = true;
	return 0;
}

/* The data tables in creation order, without SQLite's own, the name
 * search's FTS5 index (subjects_fts and its shadow tables) and the
 * latest-grade map (grade_latest): derived data. */
static xy_code tables(xy_store *base, xy__raw_table_cb cb, void *ctx, xy_error *err)
{
	sq_store *s = SQ(base);
	sqlite3_stmt *st = NULL;
	tables_ctx t = { .cb = cb, .ctx = ctx };
	char **names = NULL;
	size_t n = 0, cap = 0;
	xy_code rc = XY_OK;
	int src;
	if ((src = sqlite3_prepare_v2(s->db,
				      "SELECT name FROM sqlite_master WHERE type = 'table'"
				      " AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'"
				      " AND name NOT LIKE 'subjects\\_fts%' ESCAPE '\\'"
				      " AND name <> 'grade_latest'"
				      " ORDER BY rowid",
				      -1, &st, NULL)))
		return sq_fail(s, src, "listing the tables", err);
	/* names first: the column walks below prepare statements of their own */
	while ((src = sq_step(s, st)) == SQLITE_ROW) {
		if (n == cap) {
			size_t c2 = cap ? 2 * cap : 64;
			char **v = realloc(names, c2 * sizeof *v);
			if (!v) {
				rc = xy_error_set(err, XY_ERR_NOMEM, "out of memory");
				break;
			}
			names = v;
			cap = c2;
		}
		if (!(names[n] = strdup(sq_col_str(st, 0)))) {
			rc = xy_error_set(err, XY_ERR_NOMEM, "out of memory");
			break;
		}
		n++;
	}
	rc = xy__sq_done(s, st, src, rc, "listing the tables", err);
	sqlite3_finalize(st);
	for (size_t i = 0; i < n && !rc && !t.stopped; i++) {
		bool exists;
		rc = columns(base, names[i], &exists, table_seen, &t, err);
	}
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	free(names);
	return rc;
}

static xy_code rows(xy_store *base, const char *table, const xy__raw_column *cols, size_t ncols,
		    xy__raw_row_cb cb, void *ctx, xy_error *err)
{
	sq_store *s = SQ(base);
	sqlite3_stmt *st = NULL;
	xy_buf sql = XY_BUF_INIT;
	xy__raw_value *v = calloc(ncols ? ncols : 1, sizeof *v);
	xy_code rc;
	int src;
	if (!v)
		return xy_error_set(err, XY_ERR_NOMEM, "out of memory");
	if ((rc = xy__raw_select(&sql, table, NULL, cols, ncols, "", "", err))) {
		free(v);
		return rc;
	}
	if ((src = sqlite3_prepare_v2(s->db, sql.data, -1, &st, NULL))) {
		xy_buf_release(&sql);
		free(v);
		return sq_fail(s, src, "reading a table", err);
	}
	xy_buf_release(&sql);
	while ((src = sq_step(s, st)) == SQLITE_ROW) {
		for (size_t i = 0; i < ncols; i++) {
			int c = (int)i;
			memset(&v[i], 0, sizeof v[i]);
			switch (sqlite3_column_type(st, c)) {
			case SQLITE_INTEGER:
				v[i].type = XY_RAW_INT;
				v[i].i = sqlite3_column_int64(st, c);
				break;
			case SQLITE_FLOAT:
				v[i].type = XY_RAW_REAL;
				v[i].d = sqlite3_column_double(st, c);
				break;
			case SQLITE_TEXT:
				v[i].type = XY_RAW_TEXT;
				v[i].p = (const char *)sqlite3_column_text(st, c);
				v[i].n = (size_t)sqlite3_column_bytes(st, c);
				break;
			case SQLITE_BLOB:
				v[i].type = XY_RAW_BLOB;
				v[i].p = sqlite3_column_blob(st, c);
				v[i].n = (size_t)sqlite3_column_bytes(st, c);
				if (!v[i].p)
					v[i].p = "";
				break;
			default:
				v[i].type = XY_RAW_NULL;
			}
		}
		if (cb(ctx, v, ncols))
			break;
	}
	rc = xy__sq_done(s, st, src, XY_OK, "reading a table", err);
	sqlite3_finalize(st);
	free(v);
	return rc;
}

static xy_code not_a_target(xy_error *err)
{
	return xy_error_set(err, XY_ERR_UNSUPPORTED,
			    "a SQLite database is a migration's source only (copy the file instead)");
}

static xy_code clear(xy_store *base, xy_error *err)
{
	(void)base;
	return not_a_target(err);
}

static xy_code load_begin(xy_store *base, const char *table, const xy__raw_column *cols,
			  size_t ncols, xy_error *err)
{
	(void)base, (void)table, (void)cols, (void)ncols;
	return not_a_target(err);
}

static xy_code load_row(xy_store *base, const xy__raw_value *vals, size_t n, xy_error *err)
{
	(void)base, (void)vals, (void)n;
	return not_a_target(err);
}

static xy_code load_end(xy_store *base, bool ok, xy_error *err)
{
	(void)base, (void)ok;
	return not_a_target(err);
}

const struct xy__store_raw_ops xy__sqlite_raw_ops = {
	.tables = tables,
	.columns = columns,
	.rows = rows,
	.clear = clear,
	.load_begin = load_begin,
	.load_row = load_row,
	.load_end = load_end,
};
