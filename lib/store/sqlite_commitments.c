/* xinyong: the SQLite backend's credit commitments and their checks, government dishonesty.
 * Split from sqlite.c; every value bound, each statement prepared once per
 * handle in its slot (xy__sq_prep, [XY__SQ_COMMITMENTS, +24)). */
#include <stdint.h>
#include <string.h>

#include <sqlite3.h>

#include "xinyong/buf.h"
#include "xinyong/store.h"
#include "sqlite_int.h"

enum st {
	ST_CN_INSERT,
	ST_CN_NUMBER,
	ST_CN_GET,
	ST_CN_LIST,
	ST_CN_CHECK_ADD,
	ST_CN_CHECKS,
	ST_GD_INSERT,
	ST_GD_HIST_ADD,
	ST_GD_GET,
	ST_GD_LIST,
	ST_GD_BY_BODY,
	ST_GD_HISTORY,
	ST__N
};

#define CN_COLS \
	"c.id, c.subject_id, c.unit_id, c.no, c.type, " SCODE(s) ", s.name, u.name," \
	" coalesce(c.matter, ''), c.signed_on, coalesce(c.deadline, ''), coalesce(c.content, '')," \
	" c.created_at"
#define CN_FROM \
	" FROM commitments c JOIN subjects s ON s.id = c.subject_id JOIN units u ON u.id = c.unit_id"
/* the latest status of an entry: the last line by date, then by insertion */
#define GD_COLS \
	"g.id, g.body_id, g.unit_id, coalesce(g.creditor_id, 0), " SCODE(b) ", b.name, u.name," \
	" coalesce(" SCODE(cr) ", ''), coalesce(cr.name, ''), g.case_type, coalesce(g.amount, '')," \
	" g.source, g.registered_on, coalesce(g.note, ''), g.created_at," \
	" (SELECT h.status || ' ' || h.status_on FROM gov_dishonesty_history h" \
	"  WHERE h.entry_id = g.id ORDER BY h.status_on DESC, h.id DESC LIMIT 1)," \
	" coalesce((SELECT min(h.status_on) FROM gov_dishonesty_history h" \
	"  WHERE h.entry_id = g.id AND h.status = '已治理'), '')"
#define GD_FROM \
	" FROM gov_dishonesty g JOIN subjects b ON b.id = g.body_id" \
	" JOIN units u ON u.id = g.unit_id LEFT JOIN subjects cr ON cr.id = g.creditor_id"

static const char *const sql_text[ST__N] = {
	[ST_CN_INSERT] =
		"INSERT INTO commitments(unit_id, subject_id, no, type, matter, signed_on,"
		" deadline, content, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)"
		" ON CONFLICT(unit_id, no) DO NOTHING",
	/* only a placeholder (below) is replaced: a number is never renumbered */
	[ST_CN_NUMBER] = "UPDATE OR ABORT commitments SET no = ?1 WHERE id = ?2"
			 " AND substr(no, 1, 1) = char(1)",
	[ST_CN_GET] = "SELECT " CN_COLS CN_FROM " WHERE c.id = ?1",
	[ST_CN_LIST] = "SELECT " CN_COLS CN_FROM
		       " WHERE (?1 IS NULL OR c.unit_id = ?1) AND (?2 IS NULL OR c.subject_id = ?2)"
		       " ORDER BY c.id",
	[ST_CN_CHECK_ADD] =
		"INSERT INTO commitment_checks(commitment_id, checked_on, result, checked_by, note,"
		" entry_id, record_key, at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
	[ST_CN_CHECKS] =
		"SELECT commitment_id, checked_on, result, checked_by, note, entry_id, record_key,"
		" at FROM commitment_checks WHERE commitment_id = ?1 ORDER BY id",
	[ST_GD_INSERT] =
		"INSERT INTO gov_dishonesty(body_id, unit_id, creditor_id, case_type, amount, source,"
		" registered_on, note, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)"
		" ON CONFLICT(body_id, source) DO NOTHING",
	[ST_GD_HIST_ADD] =
		"INSERT INTO gov_dishonesty_history(entry_id, status, status_on, evidence, at)"
		" VALUES (?1, ?2, ?3, ?4, ?5)",
	[ST_GD_GET] = "SELECT " GD_COLS GD_FROM " WHERE g.id = ?1",
	[ST_GD_LIST] = "SELECT " GD_COLS GD_FROM " WHERE (?1 IS NULL OR g.unit_id = ?1)"
		       " ORDER BY g.id",
	/* the index of UNIQUE(body_id, source): a profile reads its subject's
	 * entries only, not every district's */
	[ST_GD_BY_BODY] = "SELECT " GD_COLS GD_FROM " WHERE g.body_id = ?1 ORDER BY g.id",
	[ST_GD_HISTORY] =
		"SELECT status, status_on, coalesce(evidence, ''), at FROM gov_dishonesty_history"
		" WHERE entry_id = ?1 ORDER BY id",
};

static xy_code prep(sq_store *s, enum st id, sqlite3_stmt **out, xy_error *err)
{
	return xy__sq_prep(&s->base, XY__SQ_COMMITMENTS + id, sql_text[id], out, err);
}

static xy_code commitment_insert_tx(sq_store *s, void *arg, xy_error *err)
{
	xy_commitment_row *c = arg;
	sqlite3_stmt *st = NULL;
	xy_code rc = prep(s, ST_CN_INSERT, &st, err);
	bool numbered = c->no && c->no[0];
	char tmp[64];
	if (rc)
		return rc;
	sq_now_iso(c->created_at);
	/* unnumbered: a placeholder no unit can have typed, until the caller
	 * numbers it (xy__sq_commitment_number) */
	snprintf(tmp, sizeof tmp, "\x01%s", c->created_at);
	sq_bind_int64(s, st, 1, c->unit_id);
	sq_bind_int64(s, st, 2, c->subject_id);
	sq_bind_str(s, st, 3, numbered ? c->no : tmp);
	sq_bind_txt(s, st, 4, c->type);
	sq_bind_opt(s, st, 5, c->matter);
	sq_bind_str(s, st, 6, c->signed_on);
	sq_bind_opt(s, st, 7, c->deadline);
	sq_bind_opt(s, st, 8, c->content);
	sq_bind_str(s, st, 9, c->created_at);
	if ((rc = sq_run(s, st, "inserting a commitment", err)))
		return rc;
	if (sqlite3_changes(s->db) != 1)
		return xy_error_at(err, XY_ERR_CONFLICT, NULL, 0, "no",
				   "the unit already has a commitment numbered %s", c->no);
	c->id = sqlite3_last_insert_rowid(s->db);
	return XY_OK;
}

xy_code xy__sq_commitment_number(xy_store *base, int64_t id, const char *no, xy_error *err)
{
	sq_store *s = SQ(base);
	sqlite3_stmt *st = NULL;
	xy_code rc = prep(s, ST_CN_NUMBER, &st, err);
	if (rc)
		return rc;
	sq_bind_str(s, st, 1, no);
	sq_bind_int64(s, st, 2, id);
	if ((rc = sq_run(s, st, "numbering a commitment", err)))
		return rc;
	if (sqlite3_changes(s->db) != 1)
		return xy_error_at(err, XY_ERR_NOTFOUND, NULL, 0, "id",
				   "no unnumbered commitment %lld", (long long)id);
	return XY_OK;
}

xy_code xy__sq_commitment_insert(xy_store *base, xy_commitment_row *c, xy_error *err)
{
	return xy__sq_in_tx(SQ(base), commitment_insert_tx, c, err);
}

static void commitment_from_row(sqlite3_stmt *st, xy_commitment_row *c)
{
	memset(c, 0, sizeof *c);
	c->id = sqlite3_column_int64(st, 0);
	c->subject_id = sqlite3_column_int64(st, 1);
	c->unit_id = sqlite3_column_int64(st, 2);
	c->no = sq_col_str(st, 3);
	c->type = sq_col_str(st, 4);
	c->subject_code = sq_col_str(st, 5);
	c->subject_name = sq_col_str(st, 6);
	c->unit = sq_col_str(st, 7);
	c->matter = sq_col_str(st, 8);
	sq_col_copy(st, 9, c->signed_on, sizeof c->signed_on);
	sq_col_copy(st, 10, c->deadline, sizeof c->deadline);
	c->content = sq_col_str(st, 11);
	sq_col_copy(st, 12, c->created_at, sizeof c->created_at);
}

xy_code xy__sq_commitment_get(xy_store *base, int64_t id, xy_commitment_row *out,
				 xy_error *err)
{
	sq_store *s = SQ(base);
	sqlite3_stmt *st = NULL;
	xy_code rc = prep(s, ST_CN_GET, &st, err);
	int src;
	if (rc)
		return rc;
	sq_bind_int64(s, st, 1, id);
	src = sq_step(s, st);
	if (src == SQLITE_ROW) {
		commitment_from_row(st, out);
		OWN(xy_commitment_row, out, rc);
	} else if (src == SQLITE_DONE)
		rc = xy_error_at(err, XY_ERR_NOTFOUND, NULL, 0, "commitment", "no commitment %lld",
				 (long long)id);
	else
		rc = sq_fail(s, src, "reading a commitment", err);
	sqlite3_reset(st);
	return rc;
}

static int commitment_row(sqlite3_stmt *st, void *cb, void *ctx)
{
	xy_commitment_row c;
	commitment_from_row(st, &c);
	return ((xy_commitment_cb)cb)(ctx, &c);
}

xy_code xy__sq_commitments(xy_store *base, int64_t unit_id, int64_t subject_id,
			      xy_commitment_cb cb, void *ctx, xy_error *err)
{
	sq_store *s = SQ(base);
	sqlite3_stmt *st = NULL;
	xy_code rc = prep(s, ST_CN_LIST, &st, err);
	if (rc)
		return rc;
	sq_bind_id(s, st, 1, unit_id);
	sq_bind_id(s, st, 2, subject_id);
	return xy__sq_each(base, st, commitment_row, (void *)cb, ctx, "reading commitments", NULL,
			   err);
}

xy_code xy__sq_commitment_check_add(xy_store *base, const xy_commitment_check *v,
				       xy_error *err)
{
	sq_store *s = SQ(base);
	sqlite3_stmt *st = NULL;
	char now[32];
	xy_code rc = prep(s, ST_CN_CHECK_ADD, &st, err);
	if (rc)
		return rc;
	sq_now_iso(now);
	sq_bind_int64(s, st, 1, v->commitment_id);
	sq_bind_str(s, st, 2, v->on);
	sq_bind_str(s, st, 3, v->result);
	sq_bind_str(s, st, 4, v->by);
	sq_bind_opt(s, st, 5, v->note);
	sq_bind_id(s, st, 6, v->entry_id);
	sq_bind_opt(s, st, 7, v->record_key);
	sq_bind_str(s, st, 8, now);
	return sq_run(s, st, "recording a commitment check", err);
}

static int check_row(sqlite3_stmt *st, void *cb, void *ctx)
{
	xy_commitment_check v;
	v.commitment_id = sqlite3_column_int64(st, 0);
	v.on = sq_col_str(st, 1);
	v.result = sq_col_str(st, 2);
	v.by = sq_col_str(st, 3);
	v.note = sqlite3_column_type(st, 4) == SQLITE_NULL ? NULL : sq_col_str(st, 4);
	v.entry_id = sqlite3_column_int64(st, 5);
	v.record_key = sqlite3_column_type(st, 6) == SQLITE_NULL ? NULL : sq_col_str(st, 6);
	v.at = sq_col_str(st, 7);
	return ((xy_commitment_check_cb)cb)(ctx, &v);
}

xy_code xy__sq_commitment_checks(xy_store *base, int64_t commitment_id,
				    xy_commitment_check_cb cb, void *ctx, xy_error *err)
{
	sq_store *s = SQ(base);
	sqlite3_stmt *st = NULL;
	xy_code rc = prep(s, ST_CN_CHECKS, &st, err);
	if (rc)
		return rc;
	sq_bind_int64(s, st, 1, commitment_id);
	return xy__sq_each(base, st, check_row, (void *)cb, ctx, "reading commitment checks", NULL,
			   err);
}

static xy_code gov_dishonesty_hist_add(sq_store *s, int64_t id, const char *status, const char *on,
				const char *evidence, xy_error *err)
{
	sqlite3_stmt *st = NULL;
	char now[32];
	xy_code rc = prep(s, ST_GD_HIST_ADD, &st, err);
	if (rc)
		return rc;
	sq_now_iso(now);
	sq_bind_int64(s, st, 1, id);
	sq_bind_str(s, st, 2, status);
	sq_bind_str(s, st, 3, on);
	sq_bind_opt(s, st, 4, evidence);
	sq_bind_str(s, st, 5, now);
	return sq_run(s, st, "recording a 治理 status", err);
}

static xy_code gov_dishonesty_insert_tx(sq_store *s, void *arg, xy_error *err)
{
	xy_gov_dishonesty_row *g = arg;
	sqlite3_stmt *st = NULL;
	xy_code rc = prep(s, ST_GD_INSERT, &st, err);
	if (rc)
		return rc;
	sq_now_iso(g->created_at);
	sq_bind_int64(s, st, 1, g->body_id);
	sq_bind_int64(s, st, 2, g->unit_id);
	sq_bind_id(s, st, 3, g->creditor_id);
	sq_bind_txt(s, st, 4, g->case_type);
	sq_bind_opt(s, st, 5, g->amount);
	sq_bind_txt(s, st, 6, g->source);
	sq_bind_str(s, st, 7, g->registered_on);
	sq_bind_opt(s, st, 8, g->note);
	sq_bind_str(s, st, 9, g->created_at);
	if ((rc = sq_run(s, st, "inserting a government-dishonesty entry", err)))
		return rc;
	if (sqlite3_changes(s->db) != 1)
		return xy_error_at(err, XY_ERR_CONFLICT, NULL, 0, "source",
				   "this government body already has an entry from %s", g->source);
	g->id = sqlite3_last_insert_rowid(s->db);
	return XY_OK;
}

xy_code xy__sq_gov_dishonesty_insert(xy_store *base, xy_gov_dishonesty_row *g, xy_error *err)
{
	return xy__sq_in_tx(SQ(base), gov_dishonesty_insert_tx, g, err);
}

static void gov_dishonesty_from_row(sqlite3_stmt *st, xy_gov_dishonesty_row *g)
{
	const char *last;
	memset(g, 0, sizeof *g);
	g->id = sqlite3_column_int64(st, 0);
	g->body_id = sqlite3_column_int64(st, 1);
	g->unit_id = sqlite3_column_int64(st, 2);
	g->creditor_id = sqlite3_column_int64(st, 3);
	g->body_code = sq_col_str(st, 4);
	g->body_name = sq_col_str(st, 5);
	g->unit = sq_col_str(st, 6);
	g->creditor_code = sq_col_str(st, 7);
	g->creditor_name = sq_col_str(st, 8);
	g->case_type = sq_col_str(st, 9);
	g->amount = sq_col_str(st, 10);
	g->source = sq_col_str(st, 11);
	sq_col_copy(st, 12, g->registered_on, sizeof g->registered_on);
	g->note = sq_col_str(st, 13);
	sq_col_copy(st, 14, g->created_at, sizeof g->created_at);
	/* "STATUS YYYY-MM-DD" */
	last = sq_col_str(st, 15);
	{
		const char *sp = strrchr(last, ' ');
		size_t n = sp ? (size_t)(sp - last) : 0;
		if (sp && n < sizeof g->status && strlen(sp + 1) < sizeof g->status_on) {
			memcpy(g->status, last, n);
			g->status[n] = '\0';
			memcpy(g->status_on, sp + 1, strlen(sp + 1) + 1);
		}
	}
	sq_col_copy(st, 16, g->governed_on, sizeof g->governed_on);
}

xy_code xy__sq_gov_dishonesty_get(xy_store *base, int64_t id, xy_gov_dishonesty_row *out, xy_error *err)
{
	sq_store *s = SQ(base);
	sqlite3_stmt *st = NULL;
	xy_code rc = prep(s, ST_GD_GET, &st, err);
	int src;
	if (rc)
		return rc;
	sq_bind_int64(s, st, 1, id);
	src = sq_step(s, st);
	if (src == SQLITE_ROW) {
		gov_dishonesty_from_row(st, out);
		OWN(xy_gov_dishonesty_row, out, rc);
	} else if (src == SQLITE_DONE)
		rc = xy_error_at(err, XY_ERR_NOTFOUND, NULL, 0, "id",
				 "no government-dishonesty entry %lld", (long long)id);
	else
		rc = sq_fail(s, src, "reading a government-dishonesty entry", err);
	sqlite3_reset(st);
	return rc;
}

static int gov_dishonesty_row(sqlite3_stmt *st, void *cb, void *ctx)
{
	xy_gov_dishonesty_row g;
	gov_dishonesty_from_row(st, &g);
	return ((xy_gov_dishonesty_cb)cb)(ctx, &g);
}

/* Entries of one district (unit_id, 0 = all) or, when body_id is set, of one
 * body (subject) whatever its district. */
xy_code xy__sq_gov_dishonesties(xy_store *base, int64_t unit_id, int64_t body_id,
				   xy_gov_dishonesty_cb cb, void *ctx, xy_error *err)
{
	sq_store *s = SQ(base);
	sqlite3_stmt *st = NULL;
	xy_code rc = prep(s, body_id ? ST_GD_BY_BODY : ST_GD_LIST, &st, err);
	if (rc)
		return rc;
	if (body_id)
		sq_bind_int64(s, st, 1, body_id);
	else
		sq_bind_id(s, st, 1, unit_id);
	return xy__sq_each(base, st, gov_dishonesty_row, (void *)cb, ctx,
			   "reading government-dishonesty entries", NULL, err);
}

xy_code xy__sq_gov_dishonesty_status_add(xy_store *base, int64_t id, const char *status,
				     const char *on, const char *evidence, xy_error *err)
{
	return gov_dishonesty_hist_add(SQ(base), id, status, on, evidence, err);
}

static int gov_event_row(sqlite3_stmt *st, void *cb, void *ctx)
{
	xy_gov_dishonesty_event ev = { sq_col_str(st, 0), sq_col_str(st, 1), sq_col_str(st, 2),
				       sq_col_str(st, 3) };
	return ((xy_gov_dishonesty_event_cb)cb)(ctx, &ev);
}

xy_code xy__sq_gov_dishonesty_history(xy_store *base, int64_t id, xy_gov_dishonesty_event_cb cb,
				  void *ctx, xy_error *err)
{
	sq_store *s = SQ(base);
	sqlite3_stmt *st = NULL;
	xy_code rc = prep(s, ST_GD_HISTORY, &st, err);
	if (rc)
		return rc;
	sq_bind_int64(s, st, 1, id);
	return xy__sq_each(base, st, gov_event_row, (void *)cb, ctx, "reading a 治理 history", NULL,
			   err);
}
