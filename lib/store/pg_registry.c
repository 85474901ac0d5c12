/* xinyong: PostgreSQL backend, the registry (units, categories and their exceptions) and the
 * memoranda of cooperation (pg_int.h). */
#include "pg_int.h"

/* ---- registry ---- */

/* Join strings with '|'; a string containing '|' cannot be stored. */
static xy_code join(xy_buf *b, char **v, size_t n, const char *what, xy_error *err)
{
	xy_buf_reset(b);
	for (size_t i = 0; i < n; i++) {
		if (strchr(v[i], '|'))
			return xy_error_set(err, XY_ERR_CONFIG, "%s '%s' contains '|'", what, v[i]);
		if ((i && xy_buf_addch(b, '|')) || xy_buf_addstr(b, v[i]))
			return xy_error_set(err, XY_ERR_NOMEM, "out of memory");
	}
	if (!b->data && xy_buf_addstr(b, ""))
		return xy_error_set(err, XY_ERR_NOMEM, "out of memory");
	return XY_OK;
}

static xy_code save_unit(pg_store *s, xy_unit *u, xy_error *err)
{
	pq_args a = { .n = 0 };
	PGresult *r = NULL;
	xy_code rc;
	a_str(&a, u->name);
	a_str(&a, xy_unit_kind_name(u->kind));
	a_opt(&a, u->division);
	a_int(&a, u->sort);
	if ((rc = pq(s, "INSERT INTO units(name, kind, division, sort) VALUES ($1, $2, $3, $4)"
		     " ON CONFLICT(name) DO NOTHING", &a, "saving a unit", NULL, err)))
		return rc;
	a.n = 1;
	if ((rc = pq(s, "SELECT id FROM units WHERE name = $1", &a, "saving a unit", &r, err)))
		return rc;
	if (PQntuples(r) == 1)
		u->id = ci(r, 0, 0);
	else
		rc = xy_error_set(err, XY_ERR_STORE, "saving a unit: '%s' not found", u->name);
	PQclear(r);
	return rc;
}

static xy_code save_category(pg_store *s, xy_category *c, int sort, xy_buf *b1, xy_buf *b2,
			     xy_error *err)
{
	pq_args a = { .n = 0 };
	PGresult *r = NULL;
	xy_code rc;
	a_str(&a, c->code);
	a_str(&a, c->name);
	a_str(&a, xy_category_kind_name(c->kind));
	a_int(&a, sort);
	if ((rc = pq(s, "INSERT INTO categories(code, name, kind, sort) VALUES ($1, $2, $3, $4)"
		     " ON CONFLICT DO NOTHING", &a, "saving a category", NULL, err)))
		return rc;
	a.n = 1;
	if ((rc = pq(s, "SELECT id FROM categories WHERE code = $1", &a, "saving a category", &r,
		     err)))
		return rc;
	if (PQntuples(r) == 1)
		c->id = ci(r, 0, 0);
	else /* the insert was ignored although the code is new: the name is taken */
		rc = xy_error_set(err, XY_ERR_CONFLICT,
				  "category name '%s' is already used by another category code",
				  c->name);
	PQclear(r);
	for (size_t i = 0; i < c->nfields && !rc; i++) {
		xy_field *f = &c->fields[i];
		if ((rc = join(b1, f->enum_values, f->nenum, "enum value", err)) ||
		    (rc = join(b2, f->aliases, f->naliases, "alias", err)))
			return rc;
		a.n = 0;
		a_int(&a, c->id);
		a_int(&a, (int64_t)i);
		a_str(&a, f->code);
		a_str(&a, f->name);
		a_str(&a, xy_field_type_name(f->type));
		a_txt(&a, f->nenum ? b1->data : NULL, 0);
		a_int(&a, f->required);
		a_int(&a, (int64_t)f->max_len);
		a_str(&a, xy_field_role_name(f->role));
		a_txt(&a, f->naliases ? b2->data : NULL, 0);
		rc = pq(s, "INSERT INTO fields(category_id, pos, code, name, type, enum_values,"
			" required, max_len, role, aliases)"
			" VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)"
			" ON CONFLICT(category_id, code) DO NOTHING", &a, "saving a field", NULL, err);
	}
	return rc;
}

xy_code xy__pg_save_registry(xy_store *base, xy_registry *reg, xy_error *err)
{
	pg_store *s = PG(base);
	xy_buf b1 = XY_BUF_INIT, b2 = XY_BUF_INIT;
	xy_code rc;
	size_t i;
	/* all or nothing, inside the caller's transaction or alone */
	if ((rc = xy__pg_begin(base, false, err)))
		return rc;
	for (i = 0; i < reg->nunits && !rc; i++)
		rc = save_unit(s, &reg->units[i], err);
	for (i = 0; i < reg->ncategories && !rc; i++)
		rc = save_category(s, &reg->categories[i], (int)i, &b1, &b2, err);
	for (i = 0; i < reg->nexceptions && !rc; i++) {
		pq_args a = { .n = 0 };
		a_str(&a, reg->exceptions[i].code);
		a_str(&a, reg->exceptions[i].note);
		rc = pq(s, "INSERT INTO uscc_exceptions(code, note) VALUES ($1, $2)"
			" ON CONFLICT(code) DO NOTHING", &a, "saving a USCC exception", NULL, err);
	}
	xy_buf_release(&b1);
	xy_buf_release(&b2);
	if (rc) {
		xy__pg_rollback(base, NULL);
		return rc;
	}
	return xy__pg_commit(base, err);
}

/* Split a '|'-joined column into a malloc'd array of malloc'd strings. */
static xy_code split(const char *t, char ***out, size_t *n)
{
	size_t len = strlen(t), parts = 1, k = 0, start = 0;
	char **v;
	*out = NULL;
	*n = 0;
	if (!len)
		return XY_OK;
	for (size_t i = 0; i < len; i++)
		parts += t[i] == '|';
	if (!(v = calloc(parts, sizeof *v)))
		return XY_ERR_NOMEM;
	*out = v;
	for (size_t i = 0; i <= len; i++) {
		if (i < len && t[i] != '|')
			continue;
		if (!(v[k] = strndup(t + start, i - start)))
			return XY_ERR_NOMEM;
		*n = ++k;
		start = i + 1;
	}
	return XY_OK;
}

static xy_code bad_value(const char *what, const char *v, xy_error *err)
{
	return xy_error_set(err, XY_ERR_STORE, "unknown %s '%s' in the database", what, v);
}

static xy_code load_units(pg_store *s, xy_registry *reg, xy_error *err)
{
	PGresult *r = NULL;
	size_t cap = 0;
	xy_code rc = pq(s, "SELECT id, name, kind, division, sort FROM units ORDER BY sort, id",
			NULL, "loading units", &r, err);
	for (int i = 0; !rc && i < PQntuples(r); i++) {
		xy_unit *u;
		void *p = xy_array_grow(reg->units, reg->nunits, &cap, sizeof *reg->units, 32);
		if (!p) {
			rc = xy_error_set(err, XY_ERR_NOMEM, "out of memory");
			break;
		}
		reg->units = p;
		u = &reg->units[reg->nunits];
		memset(u, 0, sizeof *u);
		u->id = ci(r, i, 0);
		if (!(u->name = strdup(cv(r, i, 1)))) {
			rc = xy_error_set(err, XY_ERR_NOMEM, "out of memory");
			break;
		}
		reg->nunits++;
		if (xy_unit_kind_parse(cv(r, i, 2), &u->kind) < 0)
			rc = bad_value("unit kind", cv(r, i, 2), err);
		xy__pg_copy_cut(u->division, sizeof u->division, cv(r, i, 3));
		u->sort = (int)ci(r, i, 4);
	}
	PQclear(r);
	if (rc)
		return rc;
	/* former names (xy__sq_unit_aliases_load's twin) */
	rc = pq(s, "SELECT unit_id, name FROM unit_aliases ORDER BY unit_id, until, name", NULL,
		"loading former unit names", &r, err);
	for (int i = 0; !rc && i < PQntuples(r); i++) {
		xy_unit *u = (xy_unit *)xy_registry_unit_by_id(reg, ci(r, i, 0));
		char **v;
		if (!u)
			continue;
		v = realloc(u->aliases, (u->naliases + 1) * sizeof *v);
		if (v)
			u->aliases = v;
		if (!v || !(v[u->naliases] = strdup(cv(r, i, 1))))
			rc = xy_error_set(err, XY_ERR_NOMEM, "out of memory");
		else
			u->naliases++;
	}
	PQclear(r);
	return rc;
}

static xy_code load_categories(pg_store *s, xy_registry *reg, xy_error *err)
{
	PGresult *r = NULL;
	size_t cap = 0;
	xy_code rc = pq(s, "SELECT id, code, name, kind FROM categories ORDER BY sort, id", NULL,
			"loading categories", &r, err);
	for (int i = 0; !rc && i < PQntuples(r); i++) {
		xy_category *c;
		void *p = xy_array_grow(reg->categories, reg->ncategories, &cap,
					sizeof *reg->categories, 16);
		if (!p) {
			rc = xy_error_set(err, XY_ERR_NOMEM, "out of memory");
			break;
		}
		reg->categories = p;
		c = &reg->categories[reg->ncategories];
		memset(c, 0, sizeof *c);
		c->key_field = -1;
		c->id = ci(r, i, 0);
		c->code = strdup(cv(r, i, 1));
		c->name = strdup(cv(r, i, 2));
		reg->ncategories++;
		if (!c->code || !c->name)
			rc = xy_error_set(err, XY_ERR_NOMEM, "out of memory");
		else if (xy_category_kind_parse(cv(r, i, 3), &c->kind) < 0)
			rc = bad_value("category kind", cv(r, i, 3), err);
	}
	PQclear(r);
	if (rc)
		return rc;
	rc = pq(s, "SELECT category_id, code, name, type, coalesce(enum_values, ''), required,"
		" max_len, role, coalesce(aliases, '') FROM fields ORDER BY category_id, pos, id",
		NULL, "loading fields", &r, err);
	for (int i = 0; !rc && i < PQntuples(r); i++) {
		xy_category *c = NULL;
		xy_field *f;
		void *p;
		for (size_t k = 0; k < reg->ncategories; k++)
			if (reg->categories[k].id == ci(r, i, 0))
				c = &reg->categories[k];
		if (!c)
			continue;
		if (!(p = realloc(c->fields, (c->nfields + 1) * sizeof *c->fields))) {
			rc = xy_error_set(err, XY_ERR_NOMEM, "out of memory");
			break;
		}
		c->fields = p;
		f = &c->fields[c->nfields];
		memset(f, 0, sizeof *f);
		c->nfields++;
		f->code = strdup(cv(r, i, 1));
		f->name = strdup(cv(r, i, 2));
		if (!f->code || !f->name || split(cv(r, i, 4), &f->enum_values, &f->nenum) ||
		    split(cv(r, i, 8), &f->aliases, &f->naliases))
			rc = xy_error_set(err, XY_ERR_NOMEM, "out of memory");
		else if (xy_field_type_parse(cv(r, i, 3), &f->type) < 0)
			rc = bad_value("field type", cv(r, i, 3), err);
		else if (xy_field_role_parse(cv(r, i, 7), &f->role) < 0)
			rc = bad_value("field role", cv(r, i, 7), err);
		f->required = ci(r, i, 5) != 0;
		f->max_len = (size_t)ci(r, i, 6);
		if (f->role == XY_ROLE_KEY && c->key_field < 0)
			c->key_field = (int)(c->nfields - 1);
	}
	PQclear(r);
	return rc;
}

static xy_code load_exceptions(pg_store *s, xy_registry *reg, xy_error *err)
{
	PGresult *r = NULL;
	size_t cap = 0;
	xy_code rc = pq(s, "SELECT code, note FROM uscc_exceptions ORDER BY code COLLATE \"C\"",
			NULL, "loading USCC exceptions", &r, err);
	for (int i = 0; !rc && i < PQntuples(r); i++) {
		xy_uscc_exception *e;
		void *p = xy_array_grow(reg->exceptions, reg->nexceptions, &cap,
					sizeof *reg->exceptions, 16);
		if (!p) {
			rc = xy_error_set(err, XY_ERR_NOMEM, "out of memory");
			break;
		}
		reg->exceptions = p;
		e = &reg->exceptions[reg->nexceptions];
		memset(e, 0, sizeof *e);
		xy__pg_copy_cut(e->code, sizeof e->code, cv(r, i, 0));
		reg->nexceptions++;
		if (!PQgetisnull(r, i, 1) && !(e->note = strdup(cv(r, i, 1))))
			rc = xy_error_set(err, XY_ERR_NOMEM, "out of memory");
	}
	PQclear(r);
	return rc;
}

xy_code xy__pg_load_registry(xy_store *base, xy_registry *reg, xy_error *err)
{
	pg_store *s = PG(base);
	bool own = !in_tx(s);
	xy_code rc;
	/* one snapshot of all the tables */
	if (own && (rc = pq(s, "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", NULL,
			    "loading the registry", NULL, err)))
		return rc;
	rc = load_units(s, reg, err);
	if (!rc)
		rc = load_categories(s, reg, err);
	if (!rc)
		rc = load_exceptions(s, reg, err);
	if (own && PQtransactionStatus(s->conn) != PQTRANS_IDLE)
		PQclear(PQexec(s->conn, "COMMIT"));
	return rc;
}

/* ---- memoranda ---- */

xy_code xy__pg_memorandum_add(xy_store *base, const char *doc, const char *file,
			      const char *text, xy_error *err)
{
	pq_args a = { .n = 0 };
	PGresult *r = NULL;
	char now[32];
	xy_code rc;
	now_iso(now);
	a_str(&a, doc);
	a_str(&a, file);
	a_str(&a, text);
	a_str(&a, now);
	if ((rc = pq(PG(base), "INSERT INTO memoranda(doc, file, text, loaded_at)"
		     " SELECT $1, $2, $3, $4 WHERE NOT EXISTS (SELECT 1 FROM memoranda"
		     " WHERE doc = $1) ON CONFLICT(doc) DO NOTHING", &a,
		     "storing a memorandum", &r, err)))
		return rc;
	if (strcmp(PQcmdTuples(r), "1"))
		rc = xy_error_set(err, XY_ERR_CONFLICT, "memorandum %s is already stored", doc);
	PQclear(r);
	return rc;
}

xy_code xy__pg_memorandum_replace(xy_store *base, const char *doc, const char *file,
				  const char *text, xy_error *err)
{
	pg_store *s = PG(base);
	pq_args a = { .n = 0 };
	PGresult *r = NULL;
	char now[32];
	xy_code rc;
	now_iso(now);
	a_str(&a, doc);
	a_str(&a, now);
	if ((rc = xy__pg_begin(base, false, err)))
		return rc;
	if (!(rc = pq(s, "INSERT INTO memorandum_versions(doc, file, text, loaded_at, replaced_at)"
		      " SELECT doc, file, text, loaded_at, $2 FROM memoranda WHERE doc = $1", &a,
		      "keeping a memorandum's version", &r, err)) &&
	    strcmp(PQcmdTuples(r), "1"))
		rc = xy_error_set(err, XY_ERR_NOTFOUND, "memorandum %s is not stored", doc);
	PQclear(r);
	if (!rc) {
		pq_args b = { .n = 0 };
		a_str(&b, doc);
		a_str(&b, file);
		a_str(&b, text);
		a_str(&b, now);
		rc = pq(s, "UPDATE memoranda SET file = $2, text = $3, loaded_at = $4 WHERE doc = $1",
			&b, "replacing a memorandum", NULL, err);
	}
	if (rc) {
		xy__pg_rollback(base, NULL);
		return rc;
	}
	return xy__pg_commit(base, err);
}

xy_code xy__pg_memoranda(xy_store *base, xy_memo_cb cb, void *ctx, xy_error *err)
{
	PGresult *r = NULL;
	xy_code rc;
	if ((rc = pq(PG(base), "SELECT doc, file, text, loaded_at,"
		     " 1 + (SELECT count(*) FROM memorandum_versions v WHERE v.doc = m.doc)"
		     " FROM memoranda m ORDER BY id", NULL, "reading memoranda", &r, err)))
		return rc;
	for (int i = 0; i < PQntuples(r); i++) {
		xy_stored_memo m = { cv(r, i, 0), cv(r, i, 1), cv(r, i, 2), cv(r, i, 3),
				     (int)ci(r, i, 4) };
		if (cb(ctx, &m))
			break;
	}
	PQclear(r);
	return XY_OK;
}
