/* xinyong: the SQLite backend's credit repair and objection cases, their events, interviews.
 * Split from sqlite.c; every value bound, each statement prepared once per
 * handle in its slot (xy__sq_prep, [XY__SQ_CASES, +16)). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "xinyong/buf.h"
#include "xinyong/store.h"
#include "sqlite_int.h"

enum st {
	ST_CASE_INSERT,
	ST_CASE_GET,
	ST_CASE_STEP,
	ST_CASES,
	ST_CASE_EVENT_ADD,
	ST_CASE_EVENTS,
	ST_INTERVIEW_INSERT,
	ST_INTERVIEWS,
	ST__N
};

/* a repair or objection case (case_from_row) */
#define CASE_COLS \
	"k.id, k.kind, k.record_id, coalesce(k.subject_id, 0), k.unit_id," \
	" coalesce(k.entry_id, 0), k.filed_on, k.step, k.step_on, coalesce(k.applicant, '')," \
	" coalesce(k.reason, ''), coalesce(k.evidence, ''), coalesce(k.commitment, '')," \
	" k.created_at, u.name, coalesce(" SCODE(s) ", ''), coalesce(s.name, ''), c.name, r.key" \
	" FROM credit_cases k JOIN units u ON u.id = k.unit_id" \
	" JOIN records r ON r.id = k.record_id JOIN categories c ON c.id = r.category_id" \
	" LEFT JOIN subjects s ON s.id = k.subject_id"

static const char *const sql_text[ST__N] = {
	[ST_CASE_INSERT] =
		"INSERT INTO credit_cases(kind, record_id, subject_id, unit_id, entry_id, filed_on,"
		" step, step_on, applicant, reason, evidence, commitment, created_at)"
		" VALUES (?1, ?2, nullif(?3, 0), ?4, nullif(?5, 0), ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
	[ST_CASE_GET] = "SELECT " CASE_COLS " WHERE k.id = ?1",
	[ST_CASE_STEP] = "UPDATE credit_cases SET step = ?3, step_on = ?4 WHERE id = ?1 AND step = ?2",
	[ST_CASES] = "SELECT " CASE_COLS
		     " WHERE (?1 IS NULL OR k.kind = ?1) AND (?2 = 0 OR k.record_id = ?2)"
		     " ORDER BY k.id",
	[ST_CASE_EVENT_ADD] =
		"INSERT INTO credit_case_events(case_id, on_date, at, action, actor, detail)"
		" VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
	[ST_CASE_EVENTS] =
		"SELECT on_date, at, action, coalesce(actor, ''), coalesce(detail, '')"
		" FROM credit_case_events WHERE case_id = ?1 ORDER BY id",
	[ST_INTERVIEW_INSERT] =
		"INSERT INTO interviews(subject_id, unit_id, on_date, persons, npersons, topic,"
		" result, created_at) VALUES (?1, ?2, ?3, xy_enc(?4), ?5, ?6, ?7, ?8)",
	[ST_INTERVIEWS] =
		"SELECT i.id, i.subject_id, i.unit_id, i.on_date, xy_dec(i.persons), i.npersons,"
		" coalesce(i.topic, ''), coalesce(i.result, ''), i.created_at, u.name, " SCODE(s) ", s.name"
		" FROM interviews i JOIN units u ON u.id = i.unit_id"
		" JOIN subjects s ON s.id = i.subject_id"
		" WHERE ?1 = 0 OR i.subject_id = ?1 ORDER BY i.on_date, i.id",
};

static xy_code prep(sq_store *s, enum st id, sqlite3_stmt **out, xy_error *err)
{
	return xy__sq_prep(&s->base, XY__SQ_CASES + id, sql_text[id], out, err);
}

xy_code xy__sq_case_insert(xy_store *base, xy_case_row *c, xy_error *err)
{
	sq_store *s = SQ(base);
	sqlite3_stmt *st = NULL;
	xy_code rc = prep(s, ST_CASE_INSERT, &st, err);
	if (rc)
		return rc;
	sq_now_iso(c->created_at);
	sq_bind_str(s, st, 1, c->kind);
	sq_bind_int64(s, st, 2, c->record_id);
	sq_bind_int64(s, st, 3, c->subject_id);
	sq_bind_int64(s, st, 4, c->unit_id);
	sq_bind_int64(s, st, 5, c->entry_id);
	sq_bind_str(s, st, 6, c->filed_on);
	sq_bind_str(s, st, 7, c->step);
	sq_bind_str(s, st, 8, c->step_on);
	sq_bind_opt(s, st, 9, c->applicant);
	sq_bind_opt(s, st, 10, c->reason);
	sq_bind_opt(s, st, 11, c->evidence);
	sq_bind_opt(s, st, 12, c->commitment);
	sq_bind_str(s, st, 13, c->created_at);
	if ((rc = sq_run(s, st, "recording a case", err)))
		return rc;
	c->id = sqlite3_last_insert_rowid(s->db);
	return XY_OK;
}

static void case_from_row(sqlite3_stmt *st, xy_case_row *c)
{
	memset(c, 0, sizeof *c);
	c->id = sqlite3_column_int64(st, 0);
	sq_col_copy(st, 1, c->kind, sizeof c->kind);
	c->record_id = sqlite3_column_int64(st, 2);
	c->subject_id = sqlite3_column_int64(st, 3);
	c->unit_id = sqlite3_column_int64(st, 4);
	c->entry_id = sqlite3_column_int64(st, 5);
	sq_col_copy(st, 6, c->filed_on, sizeof c->filed_on);
	sq_col_copy(st, 7, c->step, sizeof c->step);
	sq_col_copy(st, 8, c->step_on, sizeof c->step_on);
	c->applicant = sq_col_str(st, 9);
	c->reason = sq_col_str(st, 10);
	c->evidence = sq_col_str(st, 11);
	c->commitment = sq_col_str(st, 12);
	sq_col_copy(st, 13, c->created_at, sizeof c->created_at);
	c->unit = sq_col_str(st, 14);
	c->subject_code = sq_col_str(st, 15);
	c->subject_name = sq_col_str(st, 16);
	c->category = sq_col_str(st, 17);
	c->record_key = sq_col_str(st, 18);
}

xy_code xy__sq_case_get(xy_store *base, int64_t id, xy_case_row *out, xy_error *err)
{
	sq_store *s = SQ(base);
	sqlite3_stmt *st = NULL;
	xy_code rc = prep(s, ST_CASE_GET, &st, err);
	int src;
	if (rc)
		return rc;
	sq_bind_int64(s, st, 1, id);
	src = sq_step(s, st);
	if (src == SQLITE_ROW) {
		case_from_row(st, out);
		OWN(xy_case_row, out, rc);
	} else if (src == SQLITE_DONE)
		rc = XY_ERR_NOTFOUND;
	else
		rc = sq_fail(s, src, "reading a case", err);
	sqlite3_reset(st);
	return rc;
}

xy_code xy__sq_case_step(xy_store *base, int64_t id, const char *from, const char *to,
			    const char *on, xy_error *err)
{
	sq_store *s = SQ(base);
	sqlite3_stmt *st = NULL;
	xy_code rc = prep(s, ST_CASE_STEP, &st, err);
	if (rc)
		return rc;
	sq_bind_int64(s, st, 1, id);
	sq_bind_str(s, st, 2, from);
	sq_bind_str(s, st, 3, to);
	sq_bind_str(s, st, 4, on);
	if ((rc = sq_run(s, st, "recording a case step", err)))
		return rc;
	if (sqlite3_changes(s->db) != 1)
		return xy_error_set(err, XY_ERR_CONFLICT, "case %lld is no longer at step %s",
				    (long long)id, from);
	return XY_OK;
}

xy_code xy__sq_cases(xy_store *base, const char *kind, int64_t record_id, xy_case_cb cb,
			void *ctx, xy_error *err)
{
	sq_store *s = SQ(base);
	sqlite3_stmt *st = NULL;
	xy_case_row *c;
	xy_code rc = prep(s, ST_CASES, &st, err);
	int src;
	if (rc)
		return rc;
	if (!(c = malloc(sizeof *c)))
		return xy_error_set(err, XY_ERR_NOMEM, "out of memory");
	sq_bind_opt(s, st, 1, kind);
	sq_bind_int64(s, st, 2, record_id);
	while ((src = sq_step(s, st)) == SQLITE_ROW) {
		case_from_row(st, c);
		if (cb(ctx, c))
			break;
	}
	rc = xy__sq_done(s, st, src, rc, "reading cases", err);
	free(c);
	return rc;
}

xy_code xy__sq_case_event_add(xy_store *base, int64_t case_id, const xy_case_event *ev,
				 xy_error *err)
{
	sq_store *s = SQ(base);
	sqlite3_stmt *st = NULL;
	char now[32];
	xy_code rc = prep(s, ST_CASE_EVENT_ADD, &st, err);
	if (rc)
		return rc;
	sq_now_iso(now);
	sq_bind_int64(s, st, 1, case_id);
	sq_bind_str(s, st, 2, ev->on);
	sq_bind_str(s, st, 3, now);
	sq_bind_str(s, st, 4, ev->action);
	sq_bind_opt(s, st, 5, ev->actor);
	sq_bind_opt(s, st, 6, ev->detail);
	return sq_run(s, st, "recording a case step", err);
}

xy_code xy__sq_case_events(xy_store *base, int64_t case_id, xy_case_event_cb cb, void *ctx,
			      xy_error *err)
{
	sq_store *s = SQ(base);
	sqlite3_stmt *st = NULL;
	xy_code rc = prep(s, ST_CASE_EVENTS, &st, err);
	int src;
	if (rc)
		return rc;
	sq_bind_int64(s, st, 1, case_id);
	while ((src = sq_step(s, st)) == SQLITE_ROW) {
		xy_case_event ev = { sq_col_str(st, 0), sq_col_str(st, 1), sq_col_str(st, 2), sq_col_str(st, 3),
				     sq_col_str(st, 4) };
		if (cb(ctx, &ev))
			break;
	}
	rc = xy__sq_done(s, st, src, rc, "reading case history", err);
	return rc;
}

xy_code xy__sq_interview_insert(xy_store *base, xy_interview_row *r, xy_error *err)
{
	sq_store *s = SQ(base);
	sqlite3_stmt *st = NULL;
	xy_code rc = prep(s, ST_INTERVIEW_INSERT, &st, err);
	if (rc)
		return rc;
	sq_now_iso(r->created_at);
	sq_bind_int64(s, st, 1, r->subject_id);
	sq_bind_int64(s, st, 2, r->unit_id);
	sq_bind_str(s, st, 3, r->on);
	sq_bind_txt(s, st, 4, r->persons);
	sq_bind_int(s, st, 5, r->npersons);
	sq_bind_opt(s, st, 6, r->topic);
	sq_bind_opt(s, st, 7, r->result);
	sq_bind_str(s, st, 8, r->created_at);
	if ((rc = sq_run(s, st, "recording an interview", err)))
		return rc;
	r->id = sqlite3_last_insert_rowid(s->db);
	return XY_OK;
}

xy_code xy__sq_interviews(xy_store *base, int64_t subject_id, xy_interview_cb cb, void *ctx,
			     xy_error *err)
{
	sq_store *s = SQ(base);
	sqlite3_stmt *st = NULL;
	xy_interview_row *r;
	xy_code rc = prep(s, ST_INTERVIEWS, &st, err);
	int src;
	if (rc)
		return rc;
	if (!(r = malloc(sizeof *r)))
		return xy_error_set(err, XY_ERR_NOMEM, "out of memory");
	sq_bind_int64(s, st, 1, subject_id);
	while ((src = sq_step(s, st)) == SQLITE_ROW) {
		memset(r, 0, sizeof *r);
		r->id = sqlite3_column_int64(st, 0);
		r->subject_id = sqlite3_column_int64(st, 1);
		r->unit_id = sqlite3_column_int64(st, 2);
		sq_col_copy(st, 3, r->on, sizeof r->on);
		r->persons = sq_col_str(st, 4);
		r->npersons = sqlite3_column_int(st, 5);
		r->topic = sq_col_str(st, 6);
		r->result = sq_col_str(st, 7);
		sq_col_copy(st, 8, r->created_at, sizeof r->created_at);
		r->unit = sq_col_str(st, 9);
		r->subject_code = sq_col_str(st, 10);
		r->subject_name = sq_col_str(st, 11);
		if (cb(ctx, r))
			break;
	}
	rc = xy__sq_done(s, st, src, rc, "reading interviews", err);
	free(r);
	return rc;
}
