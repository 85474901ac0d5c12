/* xinyong: the SQLite backend's units, categories, their fields and USCC exceptions (the registry),
 * and the memoranda: what the office configures.
 * Split from sqlite.c; every value bound, each statement prepared once per
 * handle in its slot (xy__sq_prep, [XY__SQ_REGISTRY, +32)). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "xinyong/buf.h"
#include "xinyong/registry.h"
#include "xinyong/sanctions.h"
#include "xinyong/store.h"
#include "sqlite_int.h"

enum st {
	ST_SAVEPOINT,
	ST_RELEASE,
	ST_ROLLBACK_TO,
	ST_UNIT_INSERT,
	ST_UNIT_ID,
	ST_CAT_INSERT,
	ST_CAT_ID,
	ST_FIELD_INSERT,
	ST_EXC_INSERT,
	ST_UNIT_LIST,
	ST_CAT_LIST,
	ST_FIELD_LIST,
	ST_EXC_LIST,
	ST_MEMO_INSERT,
	ST_MEMO_KEEP,
	ST_MEMO_REPLACE,
	ST_MEMO_LIST,
	ST__N
};


static const char *const sql_text[ST__N] = {
	[ST_SAVEPOINT] = "SAVEPOINT xy_registry",
	[ST_RELEASE] = "RELEASE xy_registry",
	[ST_ROLLBACK_TO] = "ROLLBACK TO xy_registry",
	[ST_UNIT_INSERT] =
		"INSERT INTO units(name, kind, division, sort) VALUES (?1, ?2, ?3, ?4)"
		" ON CONFLICT(name) DO NOTHING",
	[ST_UNIT_ID] = "SELECT id FROM units WHERE name = ?1",
	[ST_CAT_INSERT] =
		"INSERT INTO categories(code, name, kind, sort) VALUES (?1, ?2, ?3, ?4)"
		" ON CONFLICT DO NOTHING",
	[ST_CAT_ID] = "SELECT id, name FROM categories WHERE code = ?1",
	[ST_FIELD_INSERT] =
		"INSERT INTO fields(category_id, pos, code, name, type, enum_values,"
		" required, max_len, role, aliases)"
		" VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)"
		" ON CONFLICT(category_id, code) DO NOTHING",
	[ST_EXC_INSERT] =
		"INSERT INTO uscc_exceptions(code, note) VALUES (?1, ?2)"
		" ON CONFLICT(code) DO NOTHING",
	[ST_UNIT_LIST] = "SELECT id, name, kind, division, sort FROM units ORDER BY sort, id",
	[ST_CAT_LIST] = "SELECT id, code, name, kind FROM categories ORDER BY sort, id",
	[ST_FIELD_LIST] =
		"SELECT category_id, code, name, type, enum_values, required, max_len, role,"
		" aliases FROM fields ORDER BY category_id, pos, id",
	[ST_EXC_LIST] = "SELECT code, note FROM uscc_exceptions ORDER BY code",
	[ST_MEMO_INSERT] =
		"INSERT INTO memoranda(doc, file, text, loaded_at) VALUES (?1, ?2, ?3, ?4)"
		" ON CONFLICT(doc) DO NOTHING",
	[ST_MEMO_KEEP] =
		"INSERT INTO memorandum_versions(doc, file, text, loaded_at, replaced_at)"
		" SELECT doc, file, text, loaded_at, ?2 FROM memoranda WHERE doc = ?1",
	[ST_MEMO_REPLACE] = "UPDATE memoranda SET file = ?2, text = ?3, loaded_at = ?4 WHERE doc = ?1",
	[ST_MEMO_LIST] =
		"SELECT doc, file, text, loaded_at,"
		" 1 + (SELECT count(*) FROM memorandum_versions v WHERE v.doc = m.doc)"
		" FROM memoranda m ORDER BY id",
};

static xy_code prep(sq_store *s, enum st id, sqlite3_stmt **out, xy_error *err)
{
	return xy__sq_prep(&s->base, XY__SQ_REGISTRY + id, sql_text[id], out, err);
}

/* Prepare, bind nothing, run. */
static xy_code run_id(sq_store *s, enum st id, const char *what, xy_error *err)
{
	sqlite3_stmt *st = NULL;
	xy_code rc = prep(s, id, &st, err);
	return rc ? rc : sq_run(s, st, what, err);
}

/* Join strings with '|'; a string containing '|' cannot be stored. */
static xy_code join(xy_buf *b, char **v, size_t n, const char *what, xy_error *err)
{
	size_t i;
	xy_buf_reset(b);
	for (i = 0; i < n; i++) {
		if (strchr(v[i], '|'))
			return xy_error_set(err, XY_ERR_CONFIG, "%s '%s' contains '|'", what,
					    v[i]);
		if ((i && xy_buf_addch(b, '|')) || xy_buf_addstr(b, v[i]))
			return xy_error_set(err, XY_ERR_NOMEM, "out of memory");
	}
	return XY_OK;
}

static xy_code save_unit(sq_store *s, xy_unit *u, xy_error *err)
{
	sqlite3_stmt *st = NULL;
	xy_code rc;
	int src;
	if ((rc = prep(s, ST_UNIT_INSERT, &st, err)))
		return rc;
	sq_bind_str(s, st, 1, u->name);
	sq_bind_str(s, st, 2, xy_unit_kind_name(u->kind));
	sq_bind_opt(s, st, 3, u->division);
	sq_bind_int(s, st, 4, u->sort);
	if ((rc = sq_run(s, st, "saving a unit", err)) || (rc = prep(s, ST_UNIT_ID, &st, err)))
		return rc;
	sq_bind_str(s, st, 1, u->name);
	src = sq_step(s, st);
	if (src == SQLITE_ROW)
		u->id = sqlite3_column_int64(st, 0);
	else
		rc = sq_fail(s, src == SQLITE_DONE ? SQLITE_INTERNAL : src, "saving a unit", err);
	sqlite3_reset(st);
	return rc;
}

static xy_code save_category(sq_store *s, xy_category *c, int sort, xy_buf *b1,
			     xy_buf *b2, xy_error *err)
{
	sqlite3_stmt *st = NULL;
	xy_code rc;
	size_t i;
	int src;
	if ((rc = prep(s, ST_CAT_INSERT, &st, err)))
		return rc;
	sq_bind_str(s, st, 1, c->code);
	sq_bind_str(s, st, 2, c->name);
	sq_bind_str(s, st, 3, xy_category_kind_name(c->kind));
	sq_bind_int(s, st, 4, sort);
	if ((rc = sq_run(s, st, "saving a category", err)) || (rc = prep(s, ST_CAT_ID, &st, err)))
		return rc;
	sq_bind_str(s, st, 1, c->code);
	src = sq_step(s, st);
	if (src == SQLITE_ROW) {
		c->id = sqlite3_column_int64(st, 0);
	} else if (src == SQLITE_DONE) {
		/* the insert was ignored although the code is new: the name is taken */
		rc = xy_error_set(err, XY_ERR_CONFLICT,
				  "category name '%s' is already used by another category code",
				  c->name);
	} else {
		rc = sq_fail(s, src, "saving a category", err);
	}
	sqlite3_reset(st);
	if (rc)
		return rc;
	for (i = 0; i < c->nfields; i++) {
		xy_field *f = &c->fields[i];
		if ((rc = join(b1, f->enum_values, f->nenum, "enum value", err)) ||
		    (rc = join(b2, f->aliases, f->naliases, "alias", err)) ||
		    (rc = prep(s, ST_FIELD_INSERT, &st, err)))
			return rc;
		sq_bind_int64(s, st, 1, c->id);
		sq_bind_int64(s, st, 2, (int64_t)i);
		sq_bind_str(s, st, 3, f->code);
		sq_bind_str(s, st, 4, f->name);
		sq_bind_str(s, st, 5, xy_field_type_name(f->type));
		sq_bind_text(s, st, 6, f->nenum ? b1->data : NULL, b1->len);
		sq_bind_int(s, st, 7, f->required);
		sq_bind_int64(s, st, 8, (int64_t)f->max_len);
		sq_bind_str(s, st, 9, xy_field_role_name(f->role));
		sq_bind_text(s, st, 10, f->naliases ? b2->data : NULL, b2->len);
		if ((rc = sq_run(s, st, "saving a field", err)))
			return rc;
	}
	return XY_OK;
}

xy_code xy__sq_save_registry(xy_store *base, xy_registry *reg, xy_error *err)
{
	sq_store *s = SQ(base);
	xy_buf b1 = XY_BUF_INIT, b2 = XY_BUF_INIT;
	sqlite3_stmt *st = NULL;
	xy_code rc;
	size_t i;
	/* a savepoint works both inside the caller's transaction and alone */
	if ((rc = run_id(s, ST_SAVEPOINT, "saving the registry", err)))
		return rc;
	for (i = 0; i < reg->nunits && !rc; i++)
		rc = save_unit(s, &reg->units[i], err);
	for (i = 0; i < reg->ncategories && !rc; i++)
		rc = save_category(s, &reg->categories[i], (int)i, &b1, &b2, err);
	for (i = 0; i < reg->nexceptions && !rc; i++) {
		if ((rc = prep(s, ST_EXC_INSERT, &st, err)))
			break;
		sq_bind_str(s, st, 1, reg->exceptions[i].code);
		sq_bind_str(s, st, 2, reg->exceptions[i].note);
		rc = sq_run(s, st, "saving a USCC exception", err);
	}
	xy_buf_release(&b1);
	xy_buf_release(&b2);
	if (rc) {
		run_id(s, ST_ROLLBACK_TO, "saving the registry", NULL);
		run_id(s, ST_RELEASE, "saving the registry", NULL);
		return rc;
	}
	return run_id(s, ST_RELEASE, "saving the registry", err);
}

/* Split a '|'-joined column into a malloc'd array of malloc'd strings. */
static xy_code split(sqlite3_stmt *st, int col, char ***out, size_t *n)
{
	const char *t = (const char *)sqlite3_column_text(st, col);
	size_t len = t ? (size_t)sqlite3_column_bytes(st, col) : 0, i, k, start;
	size_t parts = 1;
	char **v;
	*out = NULL;
	*n = 0;
	if (!len)
		return XY_OK;
	for (i = 0; i < len; i++)
		parts += t[i] == '|';
	v = calloc(parts, sizeof *v);
	if (!v)
		return XY_ERR_NOMEM;
	*out = v;
	for (i = 0, k = 0, start = 0; i <= len; i++) {
		if (i < len && t[i] != '|')
			continue;
		v[k] = malloc(i - start + 1);
		if (!v[k])
			return XY_ERR_NOMEM;
		memcpy(v[k], t + start, i - start);
		v[k][i - start] = '\0';
		*n = ++k;
		start = i + 1;
	}
	return XY_OK;
}

static xy_code bad_value(const char *what, const char *v, xy_error *err)
{
	return xy_error_set(err, XY_ERR_STORE, "unknown %s '%s' in the database", what, v);
}

static xy_code load_units(sq_store *s, xy_registry *reg, xy_error *err)
{
	sqlite3_stmt *st = NULL;
	size_t cap = 0;
	xy_code rc = prep(s, ST_UNIT_LIST, &st, err);
	int src;
	if (rc)
		return rc;
	while ((src = sq_step(s, st)) == SQLITE_ROW) {
		xy_unit *u;
		void *p = xy_array_grow(reg->units, reg->nunits, &cap, sizeof *reg->units, 32);
		if (!p) {
			rc = xy_error_set(err, XY_ERR_NOMEM, "out of memory");
			break;
		}
		reg->units = p;
		u = &reg->units[reg->nunits];
		memset(u, 0, sizeof *u);
		u->id = sqlite3_column_int64(st, 0);
		if (!(u->name = sq_col_dup(st, 1))) {
			rc = xy_error_set(err, XY_ERR_NOMEM, "out of memory");
			break;
		}
		reg->nunits++;
		if (xy_unit_kind_parse(sq_col_str(st, 2), &u->kind) < 0) {
			rc = bad_value("unit kind", sq_col_str(st, 2), err);
			break;
		}
		sq_col_copy(st, 3, u->division, sizeof u->division);
		u->sort = sqlite3_column_int(st, 4);
	}
	if (!rc && src != SQLITE_DONE)
		rc = sq_fail(s, src, "loading units", err);
	sqlite3_reset(st);
	return rc;
}

static xy_code load_categories(sq_store *s, xy_registry *reg, xy_error *err)
{
	sqlite3_stmt *st = NULL;
	size_t cap = 0;
	xy_code rc = prep(s, ST_CAT_LIST, &st, err);
	int src;
	if (rc)
		return rc;
	while ((src = sq_step(s, st)) == SQLITE_ROW) {
		xy_category *c;
		void *p = xy_array_grow(reg->categories, reg->ncategories, &cap, sizeof *reg->categories, 16);
		if (!p) {
			rc = xy_error_set(err, XY_ERR_NOMEM, "out of memory");
			break;
		}
		reg->categories = p;
		c = &reg->categories[reg->ncategories];
		memset(c, 0, sizeof *c);
		c->key_field = -1;
		c->id = sqlite3_column_int64(st, 0);
		c->code = sq_col_dup(st, 1);
		c->name = sq_col_dup(st, 2);
		reg->ncategories++;
		if (!c->code || !c->name) {
			rc = xy_error_set(err, XY_ERR_NOMEM, "out of memory");
			break;
		}
		if (xy_category_kind_parse(sq_col_str(st, 3), &c->kind) < 0) {
			rc = bad_value("category kind", sq_col_str(st, 3), err);
			break;
		}
	}
	if (!rc && src != SQLITE_DONE)
		rc = sq_fail(s, src, "loading categories", err);
	sqlite3_reset(st);
	return rc;
}

static xy_code load_field(sqlite3_stmt *st, xy_category *c, xy_error *err)
{
	xy_field *f;
	void *p = realloc(c->fields, (c->nfields + 1) * sizeof *c->fields);
	if (!p)
		return xy_error_set(err, XY_ERR_NOMEM, "out of memory");
	c->fields = p;
	f = &c->fields[c->nfields];
	memset(f, 0, sizeof *f);
	c->nfields++;
	f->code = sq_col_dup(st, 1);
	f->name = sq_col_dup(st, 2);
	if (!f->code || !f->name || split(st, 4, &f->enum_values, &f->nenum) ||
	    split(st, 8, &f->aliases, &f->naliases))
		return xy_error_set(err, XY_ERR_NOMEM, "out of memory");
	if (xy_field_type_parse(sq_col_str(st, 3), &f->type) < 0)
		return bad_value("field type", sq_col_str(st, 3), err);
	if (xy_field_role_parse(sq_col_str(st, 7), &f->role) < 0)
		return bad_value("field role", sq_col_str(st, 7), err);
	f->required = sqlite3_column_int(st, 5) != 0;
	f->max_len = (size_t)sqlite3_column_int64(st, 6);
	if (f->role == XY_ROLE_KEY && c->key_field < 0)
		c->key_field = (int)(c->nfields - 1);
	return XY_OK;
}

static xy_code load_fields(sq_store *s, xy_registry *reg, xy_error *err)
{
	sqlite3_stmt *st = NULL;
	xy_category *c = NULL;
	xy_code rc = prep(s, ST_FIELD_LIST, &st, err);
	int src;
	if (rc)
		return rc;
	while ((src = sq_step(s, st)) == SQLITE_ROW) {
		int64_t cid = sqlite3_column_int64(st, 0);
		size_t i;
		if (!c || c->id != cid) {
			c = NULL;
			for (i = 0; i < reg->ncategories; i++)
				if (reg->categories[i].id == cid)
					c = &reg->categories[i];
			if (!c) /* cannot happen with foreign keys on */
				continue;
		}
		if ((rc = load_field(st, c, err)))
			break;
	}
	if (!rc && src != SQLITE_DONE)
		rc = sq_fail(s, src, "loading fields", err);
	sqlite3_reset(st);
	return rc;
}

static xy_code load_exceptions(sq_store *s, xy_registry *reg, xy_error *err)
{
	sqlite3_stmt *st = NULL;
	size_t cap = 0;
	xy_code rc = prep(s, ST_EXC_LIST, &st, err);
	int src;
	if (rc)
		return rc;
	while ((src = sq_step(s, st)) == SQLITE_ROW) {
		xy_uscc_exception *e;
		void *p = xy_array_grow(reg->exceptions, reg->nexceptions, &cap, sizeof *reg->exceptions, 16);
		if (!p) {
			rc = xy_error_set(err, XY_ERR_NOMEM, "out of memory");
			break;
		}
		reg->exceptions = p;
		e = &reg->exceptions[reg->nexceptions];
		memset(e, 0, sizeof *e);
		sq_col_copy(st, 0, e->code, sizeof e->code);
		reg->nexceptions++;
		if (sqlite3_column_type(st, 1) != SQLITE_NULL && !(e->note = sq_col_dup(st, 1))) {
			rc = xy_error_set(err, XY_ERR_NOMEM, "out of memory");
			break;
		}
	}
	if (!rc && src != SQLITE_DONE)
		rc = sq_fail(s, src, "loading USCC exceptions", err);
	sqlite3_reset(st);
	return rc;
}

xy_code xy__sq_load_registry(xy_store *base, xy_registry *reg, xy_error *err)
{
	sq_store *s = SQ(base);
	bool own_tx = sqlite3_get_autocommit(s->db);
	xy_code rc;
	/* one read transaction: a consistent snapshot of all four tables */
	if (own_tx && (rc = xy__sq_exec(s, "BEGIN", "loading the registry", err)))
		return rc;
	rc = load_units(s, reg, err);
	if (!rc)
		rc = xy__sq_unit_aliases_load(base, reg, err);
	if (!rc)
		rc = load_categories(s, reg, err);
	if (!rc)
		rc = load_fields(s, reg, err);
	if (!rc)
		rc = load_exceptions(s, reg, err);
	if (own_tx)
		sqlite3_exec(s->db, "COMMIT", NULL, NULL, NULL);
	return rc;
}

xy_code xy__sq_memorandum_add(xy_store *base, const char *doc, const char *file,
				 const char *text, xy_error *err)
{
	sq_store *s = SQ(base);
	sqlite3_stmt *st = NULL;
	char now[32];
	xy_code rc = prep(s, ST_MEMO_INSERT, &st, err);
	if (rc)
		return rc;
	sq_now_iso(now);
	sq_bind_str(s, st, 1, doc);
	sq_bind_str(s, st, 2, file);
	sq_bind_str(s, st, 3, text);
	sq_bind_str(s, st, 4, now);
	if ((rc = sq_run(s, st, "storing a memorandum", err)))
		return rc;
	if (sqlite3_changes(s->db) != 1)
		return xy_error_set(err, XY_ERR_CONFLICT, "memorandum %s is already stored", doc);
	return XY_OK;
}

struct memo_arg {
	const char *doc, *file, *text;
};

static xy_code memo_replace_tx(sq_store *s, void *arg, xy_error *err)
{
	const struct memo_arg *a = arg;
	sqlite3_stmt *st = NULL;
	char now[32];
	xy_code rc = prep(s, ST_MEMO_KEEP, &st, err);
	if (rc)
		return rc;
	sq_now_iso(now);
	sq_bind_str(s, st, 1, a->doc);
	sq_bind_str(s, st, 2, now);
	if ((rc = sq_run(s, st, "keeping a memorandum's version", err)))
		return rc;
	if (sqlite3_changes(s->db) != 1)
		return xy_error_set(err, XY_ERR_NOTFOUND, "memorandum %s is not stored", a->doc);
	if ((rc = prep(s, ST_MEMO_REPLACE, &st, err)))
		return rc;
	sq_bind_str(s, st, 1, a->doc);
	sq_bind_str(s, st, 2, a->file);
	sq_bind_str(s, st, 3, a->text);
	sq_bind_str(s, st, 4, now);
	return sq_run(s, st, "replacing a memorandum", err);
}

xy_code xy__sq_memorandum_replace(xy_store *base, const char *doc, const char *file,
				     const char *text, xy_error *err)
{
	struct memo_arg a = { doc, file, text };
	return xy__sq_in_tx(SQ(base), memo_replace_tx, &a, err);
}

xy_code xy__sq_memoranda(xy_store *base, xy_memo_cb cb, void *ctx, xy_error *err)
{
	sq_store *s = SQ(base);
	sqlite3_stmt *st = NULL;
	xy_code rc = prep(s, ST_MEMO_LIST, &st, err);
	int src;
	if (rc)
		return rc;
	while ((src = sq_step(s, st)) == SQLITE_ROW) {
		xy_stored_memo m = { sq_col_str(st, 0), sq_col_str(st, 1), sq_col_str(st, 2),
				     sq_col_str(st, 3), sqlite3_column_int(st, 4) };
		if (cb(ctx, &m))
			break;
	}
	rc = xy__sq_done(s, st, src, rc, "reading memoranda", err);
	return rc;
}
