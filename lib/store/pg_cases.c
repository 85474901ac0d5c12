/* xinyong: PostgreSQL backend, credit repair and objection cases, their events, interviews
 * (pg_int.h). */
#include "pg_int.h"

/* ---- credit repair and objection cases, their events, interviews ---- */

/* 0 id .. 14 unit, 15-16 subject code, 17 subject name, 18 category, 19 key */
#define PG_CASE_COLS \
	"k.id, k.kind, k.record_id, coalesce(k.subject_id, 0), k.unit_id," \
	" coalesce(k.entry_id, 0), k.filed_on, k.step, k.step_on, coalesce(k.applicant, '')," \
	" coalesce(k.reason, ''), coalesce(k.evidence, ''), coalesce(k.commitment, '')," \
	" k.created_at, u.name, coalesce(s.code, ''), s.code_enc, coalesce(s.name, ''), c.name," \
	" r.key FROM credit_cases k JOIN units u ON u.id = k.unit_id" \
	" JOIN records r ON r.id = k.record_id JOIN categories c ON c.id = r.category_id" \
	" LEFT JOIN subjects s ON s.id = k.subject_id"

xy_code xy__pg_case_insert(xy_store *base, xy_case_row *c, xy_error *err)
{
	pq_args a = { .n = 0 };
	PGresult *r = NULL;
	xy_code rc;
	now_iso(c->created_at);
	a_str(&a, c->kind);
	a_int(&a, c->record_id);
	a_id(&a, c->subject_id);
	a_int(&a, c->unit_id);
	a_id(&a, c->entry_id);
	a_str(&a, c->filed_on);
	a_str(&a, c->step);
	a_str(&a, c->step_on);
	a_opt(&a, c->applicant);
	a_opt(&a, c->reason);
	a_opt(&a, c->evidence);
	a_opt(&a, c->commitment);
	a_str(&a, c->created_at);
	rc = pq(PG(base), "INSERT INTO credit_cases(kind, record_id, subject_id, unit_id, entry_id,"
		" filed_on, step, step_on, applicant, reason, evidence, commitment, created_at)"
		" VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) RETURNING id", &a,
		"recording a case", &r, err);
	if (!rc)
		c->id = ci(r, 0, 0);
	PQclear(r);
	return rc;
}

static xy_code case_from_row(pg_store *s, PGresult *r, int i, xy_case_row *c, xy_buf *code,
			     xy_error *err)
{
	memset(c, 0, sizeof *c);
	c->id = ci(r, i, 0);
	xy__pg_copy_cut(c->kind, sizeof c->kind, cv(r, i, 1));
	c->record_id = ci(r, i, 2);
	c->subject_id = ci(r, i, 3);
	c->unit_id = ci(r, i, 4);
	c->entry_id = ci(r, i, 5);
	xy__pg_copy_cut(c->filed_on, sizeof c->filed_on, cv(r, i, 6));
	xy__pg_copy_cut(c->step, sizeof c->step, cv(r, i, 7));
	xy__pg_copy_cut(c->step_on, sizeof c->step_on, cv(r, i, 8));
	c->applicant = cv(r, i, 9);
	c->reason = cv(r, i, 10);
	c->evidence = cv(r, i, 11);
	c->commitment = cv(r, i, 12);
	xy__pg_copy_cut(c->created_at, sizeof c->created_at, cv(r, i, 13));
	c->unit = cv(r, i, 14);
	c->subject_name = cv(r, i, 17);
	c->category = cv(r, i, 18);
	c->record_key = cv(r, i, 19);
	return xy__pg_scode(s, r, i, 15, code, &c->subject_code, err);
}

xy_code xy__pg_case_get(xy_store *base, int64_t id, xy_case_row *out, xy_error *err)
{
	pg_store *s = PG(base);
	pq_args a = { .n = 0 };
	PGresult *r = NULL;
	xy_buf code = XY_BUF_INIT;
	xy_code rc;
	a_int(&a, id);
	if ((rc = pq(s, "SELECT " PG_CASE_COLS " WHERE k.id = $1", &a, "reading a case", &r, err)))
		return rc;
	if (PQntuples(r) != 1)
		rc = XY_ERR_NOTFOUND;
	else if (!(rc = case_from_row(s, r, 0, out, &code, err)) && xy_case_row_copy(out, out))
		rc = xy_error_set(err, XY_ERR_NOMEM, "out of memory");
	PQclear(r);
	xy_buf_release(&code);
	return rc;
}

xy_code xy__pg_case_step(xy_store *base, int64_t id, const char *from, const char *to,
			 const char *on, xy_error *err)
{
	pq_args a = { .n = 0 };
	PGresult *r = NULL;
	xy_code rc;
	a_int(&a, id);
	a_str(&a, from);
	a_str(&a, to);
	a_str(&a, on);
	if ((rc = pq(PG(base), "UPDATE credit_cases SET step = $3, step_on = $4"
		     " WHERE id = $1 AND step = $2", &a, "recording a case step", &r, err)))
		return rc;
	if (strcmp(PQcmdTuples(r), "1"))
		rc = xy_error_set(err, XY_ERR_CONFLICT, "case %lld is no longer at step %s",
				  (long long)id, from);
	PQclear(r);
	return rc;
}

xy_code xy__pg_cases(xy_store *base, const char *kind, int64_t record_id, xy_case_cb cb,
		     void *ctx, xy_error *err)
{
	pg_store *s = PG(base);
	pq_args a = { .n = 0 };
	PGresult *r = NULL;
	xy_buf code = XY_BUF_INIT;
	xy_case_row c;
	xy_code rc;
	a_opt(&a, kind);
	a_int(&a, record_id);
	if ((rc = pq(s, "SELECT " PG_CASE_COLS " WHERE ($1::text IS NULL OR k.kind = $1)"
		     " AND ($2 = 0 OR k.record_id = $2) ORDER BY k.id", &a, "reading cases", &r,
		     err)))
		return rc;
	for (int i = 0; i < PQntuples(r); i++) {
		if ((rc = case_from_row(s, r, i, &c, &code, err)))
			break;
		if (cb(ctx, &c))
			break;
	}
	PQclear(r);
	xy_buf_release(&code);
	return rc;
}

xy_code xy__pg_case_event_add(xy_store *base, int64_t case_id, const xy_case_event *ev,
			      xy_error *err)
{
	pq_args a = { .n = 0 };
	char now[32];
	now_iso(now);
	a_int(&a, case_id);
	a_str(&a, ev->on);
	a_str(&a, now);
	a_str(&a, ev->action);
	a_opt(&a, ev->actor);
	a_opt(&a, ev->detail);
	return pq(PG(base), "INSERT INTO credit_case_events(case_id, on_date, at, action, actor,"
		  " detail) VALUES ($1, $2, $3, $4, $5, $6)", &a, "recording a case step", NULL,
		  err);
}

xy_code xy__pg_case_events(xy_store *base, int64_t case_id, xy_case_event_cb cb, void *ctx,
			   xy_error *err)
{
	pq_args a = { .n = 0 };
	PGresult *r = NULL;
	xy_code rc;
	a_int(&a, case_id);
	if ((rc = pq(PG(base), "SELECT on_date, at, action, coalesce(actor, ''),"
		     " coalesce(detail, '') FROM credit_case_events WHERE case_id = $1 ORDER BY id",
		     &a, "reading case history", &r, err)))
		return rc;
	for (int i = 0; i < PQntuples(r); i++) {
		xy_case_event ev = { cv(r, i, 0), cv(r, i, 1), cv(r, i, 2), cv(r, i, 3),
				     cv(r, i, 4) };
		if (cb(ctx, &ev))
			break;
	}
	PQclear(r);
	return XY_OK;
}

xy_code xy__pg_interview_insert(xy_store *base, xy_interview_row *v, xy_error *err)
{
	pg_store *s = PG(base);
	pq_args a = { .n = 0 };
	PGresult *r = NULL;
	xy_buf enc = XY_BUF_INIT;
	xy_code rc;
	const char *persons = v->persons ? v->persons : "";
	if (xy__pii_seal(&s->pii.cur, persons, strlen(persons), &enc))
		return xy_error_set(err, XY_ERR_NOMEM, "out of memory");
	now_iso(v->created_at);
	a_int(&a, v->subject_id);
	a_int(&a, v->unit_id);
	a_str(&a, v->on);
	a_bin(&a, enc.data, enc.len);
	a_int(&a, v->npersons);
	a_opt(&a, v->topic);
	a_opt(&a, v->result);
	a_str(&a, v->created_at);
	rc = pq(s, "INSERT INTO interviews(subject_id, unit_id, on_date, persons, npersons, topic,"
		" result, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id", &a,
		"recording an interview", &r, err);
	if (!rc)
		v->id = ci(r, 0, 0);
	PQclear(r);
	xy_buf_release(&enc);
	return rc;
}

xy_code xy__pg_interviews(xy_store *base, int64_t subject_id, xy_interview_cb cb, void *ctx,
			  xy_error *err)
{
	pg_store *s = PG(base);
	pq_args a = { .n = 0 };
	PGresult *r = NULL;
	xy_buf code = XY_BUF_INIT, persons = XY_BUF_INIT;
	xy_interview_row v;
	xy_code rc;
	a_int(&a, subject_id);
	if ((rc = pq(s, "SELECT i.id, i.subject_id, i.unit_id, i.on_date, i.persons, i.npersons,"
		     " coalesce(i.topic, ''), coalesce(i.result, ''), i.created_at, u.name, "
		     SCODE_COLS(s) ", s.name FROM interviews i JOIN units u ON u.id = i.unit_id"
		     " JOIN subjects s ON s.id = i.subject_id WHERE $1 = 0 OR i.subject_id = $1"
		     " ORDER BY i.on_date COLLATE \"C\", i.id", &a, "reading interviews", &r, err)))
		return rc;
	for (int i = 0; i < PQntuples(r); i++) {
		memset(&v, 0, sizeof v);
		if ((rc = xy__pg_col_dec(s, r, i, 4, &persons, err)) ||
		    (rc = xy__pg_scode(s, r, i, 10, &code, &v.subject_code, err)))
			break;
		v.id = ci(r, i, 0);
		v.subject_id = ci(r, i, 1);
		v.unit_id = ci(r, i, 2);
		xy__pg_copy_cut(v.on, sizeof v.on, cv(r, i, 3));
		v.persons = persons.data;
		v.npersons = (int)ci(r, i, 5);
		v.topic = cv(r, i, 6);
		v.result = cv(r, i, 7);
		xy__pg_copy_cut(v.created_at, sizeof v.created_at, cv(r, i, 8));
		v.unit = cv(r, i, 9);
		v.subject_name = cv(r, i, 12);
		if (cb(ctx, &v))
			break;
	}
	PQclear(r);
	xy_buf_release(&code);
	xy_buf_release(&persons);
	return rc;
}
