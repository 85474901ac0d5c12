/* xinyong: PostgreSQL backend, credit commitments and their checks, government dishonesty
 * (pg_int.h). */
#include "pg_int.h"

/* ---- credit commitments and their checks, government dishonesty ---- */

/* 0 id, 1 subject, 2 unit, 3 no, 4 type, 5-6 code, 7 name, 8 unit name, 9 matter,
 * 10 signed, 11 deadline, 12 content, 13 created */
#define PG_CN_SQL \
	"SELECT c.id, c.subject_id, c.unit_id, c.no, c.type, " SCODE_COLS(s) ", s.name, u.name," \
	" coalesce(c.matter, ''), c.signed_on, coalesce(c.deadline, ''), coalesce(c.content, '')," \
	" c.created_at FROM commitments c JOIN subjects s ON s.id = c.subject_id" \
	" JOIN units u ON u.id = c.unit_id"

/* A unit's commitment numbers are unique: checked under this lock, taken
 * to the end of the transaction, by a lookup of (unit_id, no), no longer
 * by a key (schema 25: a table distributed by subject cannot hold a unique
 * key without the subject).  Commitments are few; one lock for all units. */
#define PG_LOCK_COMMITMENTS "7831006"

static xy_code number_free(pg_store *s, int64_t unit_id, const char *no, xy_error *err)
{
	pq_args a = { .n = 0 };
	PGresult *r = NULL;
	xy_code rc;
	if ((rc = xy__pg_lock(s, PG_LOCK_COMMITMENTS, NULL,
			      "waiting for other writers of commitments", err)))
		return rc;
	a_int(&a, unit_id);
	a_str(&a, no);
	if ((rc = pq(s, "SELECT 1 FROM commitments WHERE unit_id = $1 AND no = $2 LIMIT 1", &a,
		     "looking up a commitment number", &r, err)))
		return rc;
	if (PQntuples(r))
		rc = xy_error_at(err, XY_ERR_CONFLICT, NULL, 0, "no",
				 "the unit already has a commitment numbered %s", no);
	PQclear(r);
	return rc;
}

static xy_code commitment_insert_tx(pg_store *s, void *arg, xy_error *err)
{
	xy_commitment_row *c = arg;
	bool numbered = c->no && c->no[0];
	pq_args a = { .n = 0 };
	PGresult *r = NULL;
	char tmp[64];
	xy_code rc;
	now_iso(c->created_at);
	/* unnumbered: a placeholder no unit can have typed, until the caller
	 * numbers it (xy__pg_commitment_number) */
	snprintf(tmp, sizeof tmp, "\x01%s", c->created_at);
	if ((rc = number_free(s, c->unit_id, numbered ? c->no : tmp, err)))
		return rc;
	a_int(&a, c->unit_id);
	a_int(&a, c->subject_id);
	a_str(&a, numbered ? c->no : tmp);
	a_txt0(&a, c->type);
	a_opt(&a, c->matter);
	a_str(&a, c->signed_on);
	a_opt(&a, c->deadline);
	a_opt(&a, c->content);
	a_str(&a, c->created_at);
	if ((rc = pq(s, "INSERT INTO commitments(unit_id, subject_id, no, type, matter, signed_on,"
		     " deadline, content, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)"
		     " RETURNING id", &a,
		     "inserting a commitment", &r, err)))
		return rc;
	if (PQntuples(r) != 1) {
		PQclear(r);
		return xy_error_at(err, XY_ERR_CONFLICT, NULL, 0, "no",
				   "the unit already has a commitment numbered %s", c->no);
	}
	c->id = ci(r, 0, 0);
	PQclear(r);
	return XY_OK; /* unnumbered: the caller numbers it (commitment_number) */
}

static xy_code commitment_insert_own(pg_store *s, void *arg, xy_error *err)
{
	return commitment_insert_tx(s, arg, err);
}

xy_code xy__pg_commitment_insert(xy_store *base, xy_commitment_row *c, xy_error *err)
{
	return xy__pg_in_own_tx(PG(base), commitment_insert_own, c, err);
}

/* only a placeholder is replaced: a number is never renumbered */
xy_code xy__pg_commitment_number(xy_store *base, int64_t id, const char *no, xy_error *err)
{
	pq_args a = { .n = 0 };
	PGresult *r = NULL;
	xy_code rc;
	a_str(&a, no);
	a_int(&a, id);
	/* a number the unit has already is refused (number_free's lock) */
	if ((rc = xy__pg_lock(PG(base), PG_LOCK_COMMITMENTS, NULL,
			      "waiting for other writers of commitments", err)) ||
	    (rc = pq(PG(base), "WITH c AS (SELECT id, unit_id, substr(no, 1, 1) = chr(1) AS open"
		     " FROM commitments WHERE id = $2), u AS (UPDATE commitments SET no = $1"
		     " WHERE id = (SELECT id FROM c WHERE open) AND NOT EXISTS (SELECT 1 FROM"
		     " commitments x WHERE x.unit_id = (SELECT unit_id FROM c) AND x.no = $1)"
		     " RETURNING id) SELECT (SELECT count(*) FROM u), (SELECT count(*) FROM c"
		     " WHERE open)", &a, "numbering a commitment", &r, err)))
		return rc;
	if (ci(r, 0, 0) != 1)
		rc = ci(r, 0, 1) ? xy_error_at(err, XY_ERR_CONFLICT, NULL, 0, "no",
					       "the unit already has a commitment numbered %s", no)
				 : xy_error_at(err, XY_ERR_NOTFOUND, NULL, 0, "id",
					       "no unnumbered commitment %lld", (long long)id);
	PQclear(r);
	return rc;
}

static xy_code commitment_from_row(pg_store *s, PGresult *r, int i, xy_commitment_row *c,
				   xy_buf *code, xy_error *err)
{
	memset(c, 0, sizeof *c);
	c->id = ci(r, i, 0);
	c->subject_id = ci(r, i, 1);
	c->unit_id = ci(r, i, 2);
	c->no = cv(r, i, 3);
	c->type = cv(r, i, 4);
	c->subject_name = cv(r, i, 7);
	c->unit = cv(r, i, 8);
	c->matter = cv(r, i, 9);
	xy__pg_copy_cut(c->signed_on, sizeof c->signed_on, cv(r, i, 10));
	xy__pg_copy_cut(c->deadline, sizeof c->deadline, cv(r, i, 11));
	c->content = cv(r, i, 12);
	xy__pg_copy_cut(c->created_at, sizeof c->created_at, cv(r, i, 13));
	return xy__pg_scode(s, r, i, 5, code, &c->subject_code, err);
}

xy_code xy__pg_commitment_get(xy_store *base, int64_t id, xy_commitment_row *out,
			      xy_error *err)
{
	pg_store *s = PG(base);
	pq_args a = { .n = 0 };
	PGresult *r = NULL;
	xy_buf code = XY_BUF_INIT;
	xy_code rc;
	a_int(&a, id);
	if ((rc = pq(s, PG_CN_SQL " WHERE c.id = $1", &a, "reading a commitment", &r, err)))
		return rc;
	if (PQntuples(r) != 1)
		rc = xy_error_at(err, XY_ERR_NOTFOUND, NULL, 0, "commitment", "no commitment %lld",
				 (long long)id);
	else if (!(rc = commitment_from_row(s, r, 0, out, &code, err)) &&
		 xy_commitment_row_copy(out, out))
		rc = xy_error_set(err, XY_ERR_NOMEM, "out of memory");
	PQclear(r);
	xy_buf_release(&code);
	return rc;
}

xy_code xy__pg_commitments(xy_store *base, int64_t unit_id, int64_t subject_id,
			   xy_commitment_cb cb, void *ctx, xy_error *err)
{
	pg_store *s = PG(base);
	pq_args a = { .n = 0 };
	PGresult *r = NULL;
	xy_buf code = XY_BUF_INIT;
	xy_commitment_row c;
	xy_code rc;
	a_id(&a, unit_id);
	a_id(&a, subject_id);
	if ((rc = pq(s, PG_CN_SQL " WHERE ($1::bigint IS NULL OR c.unit_id = $1)"
		     " AND ($2::bigint IS NULL OR c.subject_id = $2) ORDER BY c.id", &a,
		     "reading commitments", &r, err)))
		return rc;
	for (int i = 0; i < PQntuples(r); i++) {
		if ((rc = commitment_from_row(s, r, i, &c, &code, err)))
			break;
		if (cb(ctx, &c))
			break;
	}
	PQclear(r);
	xy_buf_release(&code);
	return rc;
}

xy_code xy__pg_commitment_check_add(xy_store *base, const xy_commitment_check *v,
				    xy_error *err)
{
	pq_args a = { .n = 0 };
	PGresult *r = NULL;
	xy_code rc;
	char now[32];
	now_iso(now);
	a_int(&a, v->commitment_id);
	a_str(&a, v->on);
	a_str(&a, v->result);
	a_str(&a, v->by);
	a_opt(&a, v->note);
	a_id(&a, v->entry_id);
	a_opt(&a, v->record_key);
	a_str(&a, now);
	/* with its commitment's subject (schema 25), which a breach's list
	 * entry is on too (credit/commitment.c) */
	if ((rc = pq(PG(base), "INSERT INTO commitment_checks(commitment_id, subject_id,"
		     " checked_on, result, checked_by, note, entry_id, record_key, at)"
		     " SELECT id, subject_id, $2, $3, $4, $5, $6, $7, $8 FROM commitments"
		     " WHERE id = $1", &a, "recording a commitment check", &r, err)))
		return rc;
	if (strcmp(PQcmdTuples(r), "1"))
		rc = xy_error_set(err, XY_ERR_NOTFOUND, "no commitment %lld",
				  (long long)v->commitment_id);
	PQclear(r);
	return rc;
}

xy_code xy__pg_commitment_checks(xy_store *base, int64_t commitment_id,
				 xy_commitment_check_cb cb, void *ctx, xy_error *err)
{
	pq_args a = { .n = 0 };
	PGresult *r = NULL;
	xy_code rc;
	a_int(&a, commitment_id);
	if ((rc = pq(PG(base), "SELECT commitment_id, checked_on, result, checked_by, note,"
		     " entry_id, record_key, at FROM commitment_checks WHERE commitment_id = $1"
		     " ORDER BY id", &a, "reading commitment checks", &r, err)))
		return rc;
	for (int i = 0; i < PQntuples(r); i++) {
		xy_commitment_check v = { .commitment_id = ci(r, i, 0) };
		v.on = cv(r, i, 1);
		v.result = cv(r, i, 2);
		v.by = cv(r, i, 3);
		v.note = cv_or_null(r, i, 4);
		v.entry_id = ci(r, i, 5);
		v.record_key = cv_or_null(r, i, 6);
		v.at = cv(r, i, 7);
		if (cb(ctx, &v))
			break;
	}
	PQclear(r);
	return XY_OK;
}

/* the latest status of an entry: the last line by date, then by insertion.
 * 0 id, 1 body, 2 unit, 3 creditor, 4-5 body code, 6 body name, 7 unit name,
 * 8-9 creditor code, 10 creditor name, 11 case type, 12 amount, 13 source,
 * 14 registered, 15 note, 16 created, 17 "STATUS DATE", 18 governed on */
#define PG_GD_SQL \
	"SELECT g.id, g.body_id, g.unit_id, coalesce(g.creditor_id, 0), " SCODE_COLS(b) "," \
	" b.name, u.name, coalesce(cr.code, ''), cr.code_enc, coalesce(cr.name, ''), g.case_type," \
	" coalesce(g.amount, ''), g.source, g.registered_on, coalesce(g.note, ''), g.created_at," \
	" (SELECT h.status || ' ' || h.status_on FROM gov_dishonesty_history h" \
	"  WHERE h.entry_id = g.id ORDER BY h.status_on COLLATE \"C\" DESC, h.id DESC LIMIT 1)," \
	" coalesce((SELECT min(h.status_on COLLATE \"C\") FROM gov_dishonesty_history h" \
	"  WHERE h.entry_id = g.id AND h.status = '已治理'), '')" \
	" FROM gov_dishonesty g JOIN subjects b ON b.id = g.body_id" \
	" JOIN units u ON u.id = g.unit_id LEFT JOIN subjects cr ON cr.id = g.creditor_id"

static xy_code gd_hist_add(pg_store *s, int64_t id, const char *status, const char *on,
			   const char *evidence, xy_error *err)
{
	pq_args a = { .n = 0 };
	char now[32];
	now_iso(now);
	a_int(&a, id);
	a_str(&a, status);
	a_str(&a, on);
	a_opt(&a, evidence);
	a_str(&a, now);
	return pq(s, "INSERT INTO gov_dishonesty_history(entry_id, status, status_on, evidence, at)"
		  " VALUES ($1, $2, $3, $4, $5)", &a, "recording a 治理 status", NULL, err);
}

static xy_code gd_insert_tx(pg_store *s, void *arg, xy_error *err)
{
	xy_gov_dishonesty_row *g = arg;
	pq_args a = { .n = 0 };
	PGresult *r = NULL;
	xy_code rc;
	now_iso(g->created_at);
	a_int(&a, g->body_id);
	a_int(&a, g->unit_id);
	a_id(&a, g->creditor_id);
	a_txt0(&a, g->case_type);
	a_opt(&a, g->amount);
	a_txt0(&a, g->source);
	a_str(&a, g->registered_on);
	a_opt(&a, g->note);
	a_str(&a, g->created_at);
	if ((rc = pq(s, "INSERT INTO gov_dishonesty(body_id, unit_id, creditor_id, case_type,"
		     " amount, source, registered_on, note, created_at)"
		     " SELECT $1, $2, $3::bigint, $4, $5, $6, $7, $8, $9 WHERE NOT EXISTS (SELECT 1"
		     " FROM gov_dishonesty WHERE body_id = $1 AND source = $6)"
		     " ON CONFLICT(body_id, source) DO NOTHING RETURNING id", &a,
		     "inserting a government-dishonesty entry", &r, err)))
		return rc;
	if (PQntuples(r) != 1) {
		PQclear(r);
		return xy_error_at(err, XY_ERR_CONFLICT, NULL, 0, "source",
				   "this government body already has an entry from %s", g->source);
	}
	g->id = ci(r, 0, 0);
	PQclear(r);
	return XY_OK; /* its first 治理 status is the caller's: gov_dishonesty_status_add */
}

xy_code xy__pg_gov_dishonesty_insert(xy_store *base, xy_gov_dishonesty_row *g, xy_error *err)
{
	return xy__pg_in_own_tx(PG(base), gd_insert_tx, g, err);
}

static xy_code gd_from_row(pg_store *s, PGresult *r, int i, xy_gov_dishonesty_row *g,
			   xy_buf *body, xy_buf *creditor, xy_error *err)
{
	const char *last, *sp;
	xy_code rc;
	memset(g, 0, sizeof *g);
	g->id = ci(r, i, 0);
	g->body_id = ci(r, i, 1);
	g->unit_id = ci(r, i, 2);
	g->creditor_id = ci(r, i, 3);
	g->body_name = cv(r, i, 6);
	g->unit = cv(r, i, 7);
	g->creditor_name = cv(r, i, 10);
	g->case_type = cv(r, i, 11);
	g->amount = cv(r, i, 12);
	g->source = cv(r, i, 13);
	xy__pg_copy_cut(g->registered_on, sizeof g->registered_on, cv(r, i, 14));
	g->note = cv(r, i, 15);
	xy__pg_copy_cut(g->created_at, sizeof g->created_at, cv(r, i, 16));
	/* "STATUS YYYY-MM-DD" */
	last = cv(r, i, 17);
	sp = strrchr(last, ' ');
	if (sp && (size_t)(sp - last) < sizeof g->status && strlen(sp + 1) < sizeof g->status_on) {
		memcpy(g->status, last, (size_t)(sp - last));
		g->status[sp - last] = '\0';
		memcpy(g->status_on, sp + 1, strlen(sp + 1) + 1);
	}
	xy__pg_copy_cut(g->governed_on, sizeof g->governed_on, cv(r, i, 18));
	if ((rc = xy__pg_scode(s, r, i, 4, body, &g->body_code, err)))
		return rc;
	return xy__pg_scode(s, r, i, 8, creditor, &g->creditor_code, err);
}

xy_code xy__pg_gov_dishonesty_get(xy_store *base, int64_t id, xy_gov_dishonesty_row *out,
				  xy_error *err)
{
	pg_store *s = PG(base);
	pq_args a = { .n = 0 };
	PGresult *r = NULL;
	xy_buf b1 = XY_BUF_INIT, b2 = XY_BUF_INIT;
	xy_code rc;
	a_int(&a, id);
	if ((rc = pq(s, PG_GD_SQL " WHERE g.id = $1", &a,
		     "reading a government-dishonesty entry", &r, err)))
		return rc;
	if (PQntuples(r) != 1)
		rc = xy_error_at(err, XY_ERR_NOTFOUND, NULL, 0, "id",
				 "no government-dishonesty entry %lld", (long long)id);
	else if (!(rc = gd_from_row(s, r, 0, out, &b1, &b2, err)) &&
		 xy_gov_dishonesty_row_copy(out, out))
		rc = xy_error_set(err, XY_ERR_NOMEM, "out of memory");
	PQclear(r);
	xy_buf_release(&b1);
	xy_buf_release(&b2);
	return rc;
}

/* Entries of one district (unit_id, 0 = all) or, when body_id is set, of one
 * body (subject) whatever its district. */
xy_code xy__pg_gov_dishonesties(xy_store *base, int64_t unit_id, int64_t body_id,
				xy_gov_dishonesty_cb cb, void *ctx, xy_error *err)
{
	pg_store *s = PG(base);
	pq_args a = { .n = 0 };
	PGresult *r = NULL;
	xy_buf b1 = XY_BUF_INIT, b2 = XY_BUF_INIT;
	xy_gov_dishonesty_row g;
	xy_code rc;
	if (body_id)
		a_int(&a, body_id);
	else
		a_id(&a, unit_id);
	if ((rc = pq(s, body_id ? PG_GD_SQL " WHERE g.body_id = $1 ORDER BY g.id"
				: PG_GD_SQL " WHERE ($1::bigint IS NULL OR g.unit_id = $1)"
					    " ORDER BY g.id",
		     &a, "reading government-dishonesty entries", &r, err)))
		return rc;
	for (int i = 0; i < PQntuples(r); i++) {
		if ((rc = gd_from_row(s, r, i, &g, &b1, &b2, err)))
			break;
		if (cb(ctx, &g))
			break;
	}
	PQclear(r);
	xy_buf_release(&b1);
	xy_buf_release(&b2);
	return rc;
}

xy_code xy__pg_gov_dishonesty_status_add(xy_store *base, int64_t id, const char *status,
					 const char *on, const char *evidence, xy_error *err)
{
	return gd_hist_add(PG(base), id, status, on, evidence, err);
}

xy_code xy__pg_gov_dishonesty_history(xy_store *base, int64_t id,
				      xy_gov_dishonesty_event_cb cb, void *ctx, xy_error *err)
{
	pq_args a = { .n = 0 };
	PGresult *r = NULL;
	xy_code rc;
	a_int(&a, id);
	if ((rc = pq(PG(base), "SELECT status, status_on, coalesce(evidence, ''), at"
		     " FROM gov_dishonesty_history WHERE entry_id = $1 ORDER BY id", &a,
		     "reading a 治理 history", &r, err)))
		return rc;
	for (int i = 0; i < PQntuples(r); i++) {
		xy_gov_dishonesty_event ev = { cv(r, i, 0), cv(r, i, 1), cv(r, i, 2), cv(r, i, 3) };
		if (cb(ctx, &ev))
			break;
	}
	PQclear(r);
	return XY_OK;
}
