/* xinyong: PostgreSQL backend, subjects: upsert (personal ID numbers hashed and encrypted), by
 * code, the name search (pg_int.h). */
#include "pg_int.h"

/* ---- subjects ---- */

#define HEXLEN (2 * XY__PII_HASH_BYTES + 1)
/* id, kind, code, code_type, name, division, code_enc */
#define SUBJ_COLS "s.id, s.kind, s.code, s.code_type, s.name, coalesce(s.division, ''), s.code_enc"

static xy_code subject_from_row(pg_store *s, PGresult *r, int i, xy_subject *o, xy_error *err)
{
	xy_buf code = XY_BUF_INIT;
	xy_code rc = XY_OK;
	memset(o, 0, sizeof *o);
	o->id = ci(r, i, 0);
	if (xy__subject_kind_parse(cv(r, i, 1), &o->kind) < 0)
		o->kind = XY_SUBJ_LEGAL;
	if (!PQgetisnull(r, i, 6) && (rc = xy__pg_col_dec(s, r, i, 6, &code, err)))
		return rc;
	/* an empty xy_buf's data is "", never NULL: the column says which */
	if (xy_subject_set(o, PQgetisnull(r, i, 6) ? cv(r, i, 2) : code.data, cv(r, i, 3),
			   cv(r, i, 4)))
		rc = xy_error_set(err, XY_ERR_NOMEM, "out of memory");
	xy__pg_copy_cut(o->division, sizeof o->division, cv(r, i, 5));
	xy_buf_release(&code);
	if (rc)
		xy_subject_release(o);
	return rc;
}

static xy_code collect(pg_store *s, PGresult *r, xy_subject **out, size_t *n, xy_error *err)
{
	size_t cap = 0;
	xy_code rc = XY_OK;
	for (int i = 0; i < PQntuples(r); i++) {
		void *p = xy_array_grow(*out, *n, &cap, sizeof **out, 8);
		if (!p) {
			rc = xy_error_set(err, XY_ERR_NOMEM, "out of memory");
			break;
		}
		*out = p;
		if ((rc = subject_from_row(s, r, i, &(*out)[*n], err)))
			break;
		(*n)++;
	}
	PQclear(r);
	if (rc) {
		xy_subjects_free(*out, *n);
		*out = NULL;
		*n = 0;
	}
	return rc;
}

/* Writers of subjects between processes (issue 11's concurrency).  Two
 * imports creating or renaming the same subjects in different orders would
 * wait for each other's row locks until PostgreSQL ended one with a
 * deadlock; so a transaction takes this advisory lock before its first
 * subject write and keeps it to its end: imports touching no new subject run
 * side by side, those that do take turns from their first new subject on.
 * (A single 64-bit key: the (unit, category) locks of pg_batch_insert use
 * the two-key space, which does not overlap it.) */
#define PG_LOCK_SUBJECTS "7831003"

xy_code xy__pg_lock_subjects(pg_store *s, xy_error *err)
{
	xy_code rc;
	if (s->subjects_locked || !in_tx(s)) /* autocommit: one statement */
		return XY_OK;
	if ((rc = xy__pg_lock(s, PG_LOCK_SUBJECTS, NULL, "waiting for other writers of subjects",
			      err)))
		return rc;
	s->subjects_locked = true;
	return XY_OK;
}

static xy_code subject_write_once(pg_store *s, xy_subject *subj, bool again, xy_error *err)
{
	size_t clen = strlen(subj->code);
	bool personal = xy__pii_code_type(subj->code_type);
	char hex[HEXLEN], now[32];
	pq_args a = { .n = 0 };
	PGresult *r = NULL;
	xy_buf enc = XY_BUF_INIT;
	xy_code rc;
	xy__pg_settled_clear(s); /* the bulk load's knowledge of subjects (pg_load.c) */
	xy__pg_code_lookup(s, subj->code, clen, personal, hex);
	a_str(&a, personal ? hex : subj->code);
	/* by code through subject_keys (schema 25), then by id */
	if ((rc = pq(s, "SELECT s.id, s.kind, s.code_type, s.name,"
			      " coalesce(s.division, '') FROM subject_keys k JOIN subjects s"
			      " ON s.id = k.subject_id WHERE k.code = $1", &a,
			      "looking up a subject", &r, err)))
		return rc;
	now_iso(now);
	if (PQntuples(r)) {
		/* an empty name never erases a known one */
		const char *name = subj->name[0] ? subj->name : cv(r, 0, 3);
		subj->id = ci(r, 0, 0);
		if (!strcmp(cv(r, 0, 1), xy_subject_kind_name(subj->kind)) &&
		    !strcmp(cv(r, 0, 2), subj->code_type) && !strcmp(cv(r, 0, 3), name) &&
		    !strcmp(cv(r, 0, 4), subj->division)) {
			PQclear(r);
			return XY_OK;
		}
		if ((rc = xy__pg_lock_subjects(s, err))) {
			PQclear(r);
			return rc;
		}
		a.n = 0;
		a_int(&a, subj->id);
		a_str(&a, xy_subject_kind_name(subj->kind));
		a_str(&a, subj->code_type);
		a_str(&a, name);
		a_opt(&a, subj->division);
		a_str(&a, now);
		rc = pq(s, "UPDATE subjects SET kind = $2, code_type = $3, name = $4, division = $5,"
			" updated_at = $6 WHERE id = $1", &a, "updating a subject", NULL, err);
		PQclear(r); /* name may point into it */
		return rc;
	}
	PQclear(r);
	if ((rc = xy__pg_lock_subjects(s, err)))
		return rc;
	if (personal && xy__pii_seal(&s->pii.cur, subj->code, clen, &enc))
		return xy_error_set(err, XY_ERR_NOMEM, "out of memory");
	a.n = 0;
	a_str(&a, xy_subject_kind_name(subj->kind));
	a_str(&a, personal ? hex : subj->code);
	if (personal)
		a_bin(&a, enc.data, enc.len);
	else
		a_txt(&a, NULL, 0);
	a_str(&a, subj->code_type);
	a_str(&a, subj->name);
	a_opt(&a, subj->division);
	a_str(&a, now);
	/* another process may have created the same subject (two units'
	 * imports naming it) between the lookup and the lock: under the lock
	 * NOT EXISTS sees it (a statement's snapshot is taken after the
	 * wait), inserts nothing, and the subject is read again as an existing
	 * one (tests/pg/concurrency.sh).  The code's key goes to subject_keys
	 * in the same statement (schema 25); no identity value is drawn for a
	 * subject not inserted. */
	rc = pq(s, "WITH n AS (INSERT INTO subjects(kind, code, code_enc,"
			 " code_type, name, division, created_at, updated_at)"
			 " SELECT $1, $2, $3, $4, $5, $6, $7, $7 WHERE NOT EXISTS (SELECT 1"
			 " FROM subject_keys WHERE code = $2) RETURNING id, code), k AS ("
			 "INSERT INTO subject_keys(code, subject_id) SELECT code, id FROM n)"
			 " SELECT id FROM n", &a, "inserting a subject", &r, err);
	xy_buf_release(&enc);
	if (!rc && PQntuples(r) == 1) {
		subj->id = ci(r, 0, 0);
	} else if (!rc) {
		PQclear(r);
		if (again)
			return xy_error_set(err, XY_ERR_STORE,
					    "postgresql: the subject %s was neither found nor inserted",
					    personal ? "(personal)" : subj->code);
		return subject_write_once(s, subj, true, err);
	}
	PQclear(r);
	return rc;
}

/* Every library caller writes subjects inside a transaction, which takes the
 * subjects' lock before inserting (above).  A caller in autocommit gets a
 * transaction of its own, so its insert takes the lock too: two such
 * inserts of one new code would otherwise both pass NOT EXISTS, and the
 * second would fail on subject_keys' key instead of finding the first's. */
static xy_code subject_write(pg_store *s, xy_subject *subj, xy_error *err)
{
	xy_code rc;
	if (in_tx(s))
		return subject_write_once(s, subj, false, err);
	if ((rc = xy__pg_begin(&s->base, false, err)))
		return rc;
	if ((rc = subject_write_once(s, subj, false, err))) {
		xy__pg_rollback(&s->base, NULL);
		return rc;
	}
	return xy__pg_commit(&s->base, err);
}

xy_code xy__pg_subject_upsert(xy_store *base, xy_subject *subj, xy_error *err)
{
	return subject_write(PG(base), subj, err);
}

/* The subject whose code is exactly `code` (plain, or personal by its hash):
 * XY_ERR_NOTFOUND (err untouched) when none.  One index-only probe of
 * subject_keys for both forms (IN, not OR: OR plans a bitmap scan of its
 * heap), then the subject by id. */
xy_code xy__pg_subject_by_code(xy_store *base, const char *code, xy_subject *out,
			       xy_error *err)
{
	pg_store *s = PG(base);
	char hex[HEXLEN];
	pq_args a = { .n = 0 };
	PGresult *r = NULL;
	xy_code rc;
	xy__pg_code_lookup(s, code, strlen(code), true, hex);
	a_str(&a, code);
	a_str(&a, hex);
	if ((rc = pq(s, "SELECT " SUBJ_COLS " FROM subject_keys k JOIN subjects s"
		     " ON s.id = k.subject_id WHERE k.code IN ($1, $2) LIMIT 1", &a,
		     "looking up a subject", &r, err)))
		return rc;
	if (!PQntuples(r)) {
		PQclear(r);
		return XY_ERR_NOTFOUND;
	}
	rc = subject_from_row(s, r, 0, out, err);
	PQclear(r);
	return rc;
}

/* LIKE's own characters in q escaped, and % around it */
static xy_code like_pattern(const char *q, size_t qlen, xy_buf *m, xy_error *err)
{
	xy_code rc = xy_buf_addch(m, '%');
	for (size_t i = 0; i < qlen && !rc; i++) {
		if (q[i] == '%' || q[i] == '_' || q[i] == '\\')
			rc = xy_buf_addch(m, '\\');
		if (!rc)
			rc = xy_buf_addch(m, q[i]);
	}
	if (!rc)
		rc = xy_buf_addch(m, '%');
	return rc ? xy_error_set(err, XY_ERR_NOMEM, "out of memory") : XY_OK;
}

xy_code xy__pg_subject_find(xy_store *base, const char *q, size_t qlen, size_t limit,
			    xy_subject **out, size_t *n, xy_error *err)
{
	pg_store *s = PG(base);
	pq_args a = { .n = 0 };
	PGresult *r = NULL;
	xy_buf m = XY_BUF_INIT;
	char *z = strndup(q, qlen);
	xy_code rc;
	if (!z)
		return xy_error_set(err, XY_ERR_NOMEM, "out of memory");
	/* a code is one subject's at most */
	if (!memchr(q, '\0', qlen)) {
		xy_subject one = { 0 };
		rc = xy__pg_subject_by_code(base, z, &one, err);
		if (!rc) {
			free(z);
			if (!(*out = malloc(sizeof **out))) {
				xy_subject_release(&one);
				return xy_error_set(err, XY_ERR_NOMEM, "out of memory");
			}
			(*out)[0] = one;
			*n = 1;
			return XY_OK;
		}
		if (rc != XY_ERR_NOTFOUND) {
			free(z);
			return rc;
		}
	}
	if (memchr(q, '*', qlen) && !memchr(q, ' ', qlen)) {
		/* masked subjects of one mask: their codes are "MASK NAME" */
		a_str(&a, z);
		a_id(&a, (int64_t)limit);
		rc = pq(s, "SELECT " SUBJ_COLS " FROM subject_keys k JOIN subjects s"
			" ON s.id = k.subject_id WHERE k.code COLLATE \"C\" > $1 || ' '"
			" AND k.code COLLATE \"C\" < $1 || '!' AND s.code_type = 'ric_masked'"
			" ORDER BY k.code COLLATE \"C\" LIMIT $2", &a, "searching subjects", &r,
			err);
		if (rc || (rc = collect(s, r, out, n, err)) || *n) {
			free(z);
			return rc;
		}
	}
	/* by name: exact name first, then by name */
	if ((rc = like_pattern(q, qlen, &m, err))) {
		free(z);
		return rc;
	}
	a.n = 0;
	a_str(&a, m.data);
	a_str(&a, z);
	a_id(&a, (int64_t)limit);
	rc = pq(s, "SELECT " SUBJ_COLS " FROM subjects s WHERE s.name LIKE $1"
		" ORDER BY s.name <> $2, s.name COLLATE \"C\", s.id LIMIT $3", &a,
		"searching subjects", &r, err);
	free(z);
	xy_buf_release(&m);
	return rc ? rc : collect(s, r, out, n, err);
}

xy_code xy__pg_subject_search(xy_store *base, const char *q, size_t qlen, int64_t after,
			      size_t limit, bool no_persons, xy_subject **out, size_t *n,
			      xy_error *err)
{
	pg_store *s = PG(base);
	pq_args a = { .n = 0 };
	PGresult *r = NULL;
	xy_buf m = XY_BUF_INIT;
	xy_code rc = like_pattern(q, qlen, &m, err);
	if (rc)
		return rc;
	a_str(&a, m.data);
	a_int(&a, after);
	a_int(&a, (int64_t)limit);
	a_int(&a, no_persons);
	rc = pq(s, "SELECT " SUBJ_COLS " FROM subjects s WHERE s.name LIKE $1 AND s.id > $2"
		" AND ($4 = 0 OR s.kind <> 'person') ORDER BY s.id LIMIT $3", &a,
		"searching subjects", &r, err);
	xy_buf_release(&m);
	return rc ? rc : collect(s, r, out, n, err);
}
