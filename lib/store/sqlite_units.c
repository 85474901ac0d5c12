/* xinyong: the SQLite backend's units added and renamed by the office, and
 * their former names (migration 16, unit_aliases).  Every value bound, each
 * statement prepared once per handle in its slot (xy__sq_prep, [XY__SQ_UNITS,
 * +8)). */
#include <stdlib.h>
#include <string.h>

#include "xinyong/registry.h"
#include "xinyong/sanctions.h"
#include "xinyong/store.h"
#include "sqlite_int.h"

enum {
	N_TAKEN,
	N_INSERT,
	N_NAME,
	N_RENAME,
	N_ALIAS_ADD,
	N_ALIAS_DROP,
	N_ALIASES,
	N__N
};

static const char *const sql_text[N__N] = {
	/* the unit (other than ?2) that has or had the name ?1 */
	[N_TAKEN] = "SELECT name FROM units WHERE name = ?1 AND id <> ?2"
		    " UNION ALL SELECT u.name FROM unit_aliases a JOIN units u ON u.id = a.unit_id"
		    " WHERE a.name = ?1 AND a.unit_id <> ?2 LIMIT 1",
	[N_INSERT] = "INSERT INTO units(name, kind, division, sort)"
		     " VALUES (?1, ?2, nullif(?3, ''), ?4)",
	[N_NAME] = "SELECT name FROM units WHERE id = ?1",
	[N_RENAME] = "UPDATE units SET name = ?2 WHERE id = ?1",
	[N_ALIAS_ADD] = "INSERT INTO unit_aliases(name, unit_id, until) VALUES (?1, ?2, ?3)",
	[N_ALIAS_DROP] = "DELETE FROM unit_aliases WHERE name = ?1 AND unit_id = ?2",
	[N_ALIASES] = "SELECT unit_id, name FROM unit_aliases ORDER BY unit_id, until, name",
};

static xy_code prep(xy_store *s, unsigned id, sqlite3_stmt **st, xy_error *err)
{
	return xy__sq_prep(s, XY__SQ_UNITS + id, sql_text[id], st, err);
}

/* XY_ERR_CONFLICT naming "name" when a unit other than id has or had name. */
static xy_code taken(xy_store *s, const char *name, int64_t id, xy_error *err)
{
	sqlite3_stmt *st = NULL;
	xy_code rc = prep(s, N_TAKEN, &st, err);
	int src;
	if (rc)
		return rc;
	sq_bind_txt(SQ(s), st, 1, name);
	sq_bind_int64(SQ(s), st, 2, id);
	src = sq_step(SQ(s), st);
	if (src == SQLITE_ROW)
		rc = !strcmp(xy__sq_col(st, 0), name)
			     ? xy_error_at(err, XY_ERR_CONFLICT, NULL, 0, "name",
					   "unit '%s' exists already (信源单位已存在)", name)
			     : xy_error_at(err, XY_ERR_CONFLICT, NULL, 0, "name",
					   "'%s' is a former name of %s (该名称是%s的曾用名)", name,
					   xy__sq_col(st, 0), xy__sq_col(st, 0));
	else if (src != SQLITE_DONE)
		rc = xy__sq_fail(s, src, "looking up a unit name", err);
	sqlite3_reset(st);
	return rc;
}

static xy_code step_done(xy_store *s, sqlite3_stmt *st, const char *what, xy_error *err)
{
	int src = sq_step(SQ(s), st);
	xy_code rc = src == SQLITE_DONE ? XY_OK : xy__sq_fail(s, src, what, err);
	sqlite3_reset(st);
	return rc;
}

static xy_code sq_insert(xy_store *s, xy_unit *u, xy_error *err)
{
	sqlite3_stmt *st = NULL;
	xy_code rc = taken(s, u->name, 0, err);
	if (rc || (rc = prep(s, N_INSERT, &st, err)))
		return rc;
	sq_bind_txt(SQ(s), st, 1, u->name);
	sq_bind_txt(SQ(s), st, 2, xy_unit_kind_name(u->kind));
	sq_bind_txt(SQ(s), st, 3, u->division);
	sq_bind_int(SQ(s), st, 4, u->sort);
	if (!(rc = step_done(s, st, "adding a unit", err)))
		u->id = sqlite3_last_insert_rowid(xy__sq_db(s));
	return rc;
}

static xy_code sq_rename(xy_store *s, int64_t id, const char *name, const char *at,
			 xy_error *err)
{
	sqlite3_stmt *st = NULL;
	xy_buf old = XY_BUF_INIT;
	xy_code rc = taken(s, name, id, err);
	int src;
	if (rc || (rc = prep(s, N_NAME, &st, err)))
		return rc;
	sq_bind_int64(SQ(s), st, 1, id);
	src = sq_step(SQ(s), st);
	if (src == SQLITE_ROW && xy_buf_addstr(&old, xy__sq_col(st, 0)))
		rc = xy_error_set(err, XY_ERR_NOMEM, "out of memory");
	else if (src == SQLITE_DONE)
		rc = xy_error_at(err, XY_ERR_NOTFOUND, NULL, 0, "unit", "no unit %lld (信源单位不存在)",
				 (long long)id);
	else if (src != SQLITE_ROW)
		rc = xy__sq_fail(s, src, "reading a unit", err);
	sqlite3_reset(st);
	if (!rc && !(rc = prep(s, N_RENAME, &st, err))) {
		sq_bind_int64(SQ(s), st, 1, id);
		sq_bind_txt(SQ(s), st, 2, name);
		rc = step_done(s, st, "renaming a unit", err);
	}
	if (!rc && strcmp(old.data, name)) {
		/* back to a former name: it is the name again, not a former one */
		if (!(rc = prep(s, N_ALIAS_DROP, &st, err))) {
			sq_bind_txt(SQ(s), st, 1, name);
			sq_bind_int64(SQ(s), st, 2, id);
			rc = step_done(s, st, "renaming a unit", err);
		}
		if (!rc && !(rc = prep(s, N_ALIAS_ADD, &st, err))) {
			sq_bind_txt(SQ(s), st, 1, old.data);
			sq_bind_int64(SQ(s), st, 2, id);
			sq_bind_txt(SQ(s), st, 3, at);
			rc = step_done(s, st, "keeping a unit's former name", err);
		}
	}
	xy_buf_release(&old);
	return rc;
}

xy_code xy__sq_unit_aliases_load(xy_store *s, xy_registry *reg, xy_error *err)
{
	sqlite3_stmt *st = NULL;
	xy_code rc = prep(s, N_ALIASES, &st, err);
	int src;
	if (rc)
		return rc;
	while ((src = sq_step(SQ(s), st)) == SQLITE_ROW) {
		xy_unit *u = (xy_unit *)xy_registry_unit_by_id(reg, sqlite3_column_int64(st, 0));
		char **v;
		if (!u)
			continue; /* cannot happen: the foreign key */
		v = realloc(u->aliases, (u->naliases + 1) * sizeof *v);
		if (!v || !(v[u->naliases] = strdup(xy__sq_col(st, 1)))) {
			if (v)
				u->aliases = v;
			rc = xy_error_set(err, XY_ERR_NOMEM, "out of memory");
			break;
		}
		u->aliases = v;
		u->naliases++;
	}
	if (!rc && src != SQLITE_DONE)
		rc = xy__sq_fail(s, src, "loading former unit names", err);
	sqlite3_reset(st);
	return rc;
}

const struct xy__store_units_ops xy__sqlite_units_ops = {
	.insert = sq_insert,
	.rename = sq_rename,
};
