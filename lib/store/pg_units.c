/* xinyong: PostgreSQL backend, units added and renamed by the office and their former names
 * (unit_aliases; sqlite_units.c is the reference behaviour) (pg_int.h). */
#include "pg_int.h"

/* XY_ERR_CONFLICT naming "name" when a unit other than id has or had name. */
static xy_code taken(pg_store *s, const char *name, int64_t id, xy_error *err)
{
	pq_args a = { .n = 0 };
	PGresult *r = NULL;
	xy_code rc;
	a_str(&a, name);
	a_int(&a, id);
	if ((rc = pq(s,
		     "SELECT name FROM units WHERE name = $1 AND id <> $2"
		     " UNION ALL SELECT u.name FROM unit_aliases a JOIN units u ON u.id = a.unit_id"
		     " WHERE a.name = $1 AND a.unit_id <> $2 LIMIT 1",
		     &a, "looking up a unit name", &r, err)))
		return rc;
	if (PQntuples(r))
		rc = !strcmp(cv(r, 0, 0), name)
			     ? xy_error_at(err, XY_ERR_CONFLICT, NULL, 0, "name",
					   "unit '%s' exists already (信源单位已存在)", name)
			     : xy_error_at(err, XY_ERR_CONFLICT, NULL, 0, "name",
					   "'%s' is a former name of %s (该名称是%s的曾用名)", name,
					   cv(r, 0, 0), cv(r, 0, 0));
	PQclear(r);
	return rc;
}

static xy_code pg_units_insert(xy_store *base, xy_unit *u, xy_error *err)
{
	pg_store *s = PG(base);
	pq_args a = { .n = 0 };
	PGresult *r = NULL;
	xy_code rc = taken(s, u->name, 0, err);
	if (rc)
		return rc;
	a_str(&a, u->name);
	a_str(&a, xy_unit_kind_name(u->kind));
	a_opt(&a, u->division);
	a_int(&a, u->sort);
	if (!(rc = pq(s,
		      "INSERT INTO units(name, kind, division, sort) VALUES ($1, $2, $3, $4)"
		      " RETURNING id",
		      &a, "adding a unit", &r, err)))
		u->id = ci(r, 0, 0);
	PQclear(r);
	return rc;
}

static xy_code pg_units_rename(xy_store *base, int64_t id, const char *name, const char *at,
			       xy_error *err)
{
	pg_store *s = PG(base);
	pq_args a = { .n = 0 };
	PGresult *r = NULL;
	xy_buf old = XY_BUF_INIT;
	xy_code rc = taken(s, name, id, err);
	if (rc)
		return rc;
	a_int(&a, id);
	if ((rc = pq(s, "SELECT name FROM units WHERE id = $1", &a, "reading a unit", &r, err)))
		return rc;
	if (!PQntuples(r))
		rc = xy_error_at(err, XY_ERR_NOTFOUND, NULL, 0, "unit", "no unit %lld (信源单位不存在)",
				 (long long)id);
	else if (xy_buf_addstr(&old, cv(r, 0, 0)))
		rc = xy_error_set(err, XY_ERR_NOMEM, "out of memory");
	PQclear(r);
	a_str(&a, name);
	if (!rc)
		rc = pq(s, "UPDATE units SET name = $2 WHERE id = $1", &a, "renaming a unit", NULL,
			err);
	if (!rc && strcmp(old.data, name)) {
		/* back to a former name: it is the name again, not a former one */
		rc = pq(s, "DELETE FROM unit_aliases WHERE name = $2 AND unit_id = $1", &a,
			"renaming a unit", NULL, err);
		a.n = 1;
		a_str(&a, old.data);
		a_str(&a, at);
		if (!rc)
			rc = pq(s,
				"INSERT INTO unit_aliases(name, unit_id, until) VALUES ($2, $1, $3)",
				&a, "keeping a unit's former name", NULL, err);
	}
	xy_buf_release(&old);
	return rc;
}

const struct xy__store_units_ops xy__pg_units_ops = {
	.insert = pg_units_insert,
	.rename = pg_units_rename,
};
