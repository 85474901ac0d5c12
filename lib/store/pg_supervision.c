/* xinyong: PostgreSQL backend, credit grading and 双随机、一公开 inspections (schema
 * versions 17-18, pg.c; pg_int.h).  The same queries as sqlite_grade.c and
 * sqlite_inspect.c, so every answer is byte-identical on both backends: facts
 * are read one source at a time over the whole table (grade.c sorts them),
 * lists are ordered by ids, results by code under COLLATE "C" (SQLite's
 * binary order).  Every value is bound. */
#include "pg_int.h"

/* ---- credit grading (docs/grading.md) ---- */

/* The subjects of batch P's records, as sqlite_grade.c's BATCH_SUBJECTS: those
 * it added or changed (data_batch, indexed by migration 20), and the subject
 * a changed record had before. */
#define BATCH_SUBJECTS(p)                                                               \
	"SELECT subject_id FROM records WHERE data_batch = " p " AND subject_id IS NOT NULL" \
	" UNION SELECT v.subject_id FROM records r JOIN record_versions v"                 \
	" ON v.record_id = r.id WHERE r.data_batch = " p " AND v.replaced_by = " p         \
	" AND v.subject_id IS NOT NULL"
/* Subjects of batch $4 (0: every subject). */
#define IN_BATCH(col) " AND ($4::bigint = 0 OR " col " IN (" BATCH_SUBJECTS("$4") "))"
/* A list entry active on $3 (xy_entry_status_on). */
#define ACTIVE(e)                                                                      \
	" AND " e ".start_on <= $3 AND (" e ".end_on IS NULL OR " e ".end_on >= $3)"    \
	" AND (" e ".exit_on IS NULL OR " e ".exit_on > $3)"
/* 0 run, 1 subject, 2 batch, 3-4 code (SCODE_COLS), 5 name, 6 score, 7 grade, 8 items,
 * 9 as_of, 10 model, 11 sha256, 12 at, 13 subjects */
#define GRADE_SQL                                                                        \
	"SELECT g.run_id, g.subject_id, coalesce(r.batch_id, 0), " SCODE_COLS(s) ", s.name," \
	" g.score, g.grade, g.items, r.as_of, m.name, m.sha256, r.at, r.subjects"         \
	" FROM grades g JOIN grade_runs r ON r.id = g.run_id"                             \
	" JOIN grade_models m ON m.id = r.model_id JOIN subjects s ON s.id = g.subject_id"

/* A row of r handed to the caller's callback cb; non-zero stops the walk. */
typedef int (*row_fn)(PGresult *r, int i, void *cb, void *ctx);

/* Run the query sql for the rows named what and hand each to fn;
 * XY_ERR_NOTFOUND "没有这个what" when `one` and no row came. */
static xy_code walk(pg_store *s, const char *sql, const pq_args *a, const char *what, bool one,
		    row_fn fn, void *cb, void *ctx, xy_error *err)
{
	PGresult *r = NULL;
	xy_code rc = pq(s, sql, a, what, &r, err);
	if (rc)
		return rc;
	if (one && !PQntuples(r))
		rc = xy_error_set(err, XY_ERR_NOTFOUND, "没有这个%s", what);
	for (int i = 0; i < PQntuples(r); i++)
		if (fn(r, i, cb, ctx))
			break;
	PQclear(r);
	return rc;
}

/* As walk, for a query whose rows may not fit in memory at once (a grading
 * source over every record): through a cursor, FETCH_ROWS rows at a time, in
 * the caller's transaction or one of its own. */
#define FETCH_ROWS 20000
static xy_code walk_cursor(pg_store *s, const char *sql, const pq_args *a, const char *what,
			   row_fn fn, void *cb, void *ctx, xy_error *err)
{
	bool own = !in_tx(s), stop = false;
	xy_buf decl = XY_BUF_INIT;
	xy_code rc;
	if (xy_buf_addf(&decl, "DECLARE xy_walk NO SCROLL CURSOR FOR %s", sql))
		return xy_error_set(err, XY_ERR_NOMEM, "out of memory");
	rc = own ? pq(s, "BEGIN", NULL, what, NULL, err) : XY_OK;
	/* the whole result is wanted: plan for all rows, not the first 10 %
	 * (cursor_tuple_fraction's default would pick nested loops) */
	if (!rc)
		rc = pq(s, "SET LOCAL cursor_tuple_fraction = 1", NULL, what, NULL, err);
	if (!rc)
		rc = pq(s, decl.data, a, what, NULL, err);
	xy_buf_release(&decl);
	while (!rc && !stop) {
		PGresult *r = NULL;
		if ((rc = pq(s, "FETCH " PG_STR(FETCH_ROWS) " FROM xy_walk", NULL, what, &r, err)))
			break;
		for (int i = 0; i < PQntuples(r) && !stop; i++)
			stop = fn(r, i, cb, ctx) != 0;
		stop = stop || PQntuples(r) < FETCH_ROWS;
		PQclear(r);
	}
	if (!rc)
		rc = pq(s, "CLOSE xy_walk", NULL, what, NULL, err);
	if (own && in_tx(s)) {
		xy_code c = pq(s, rc ? "ROLLBACK" : "COMMIT", NULL, what, NULL, rc ? NULL : err);
		if (!rc)
			rc = c;
	}
	return rc;
}

/* $2 is unused by the list sources but bound for all: typed, as SQLite's ?2 = ?2 */
static const char *const fact_sql[] = {
	[XY_GSRC_CATEGORY] = "SELECT r.subject_id, r.id, r.decided_on, c.name || ' ' || r.key"
			     " FROM categories c JOIN records r ON r.category_id = c.id"
			     " WHERE c.name = $1 AND r.decided_on BETWEEN $2 AND $3"
			     " AND r.subject_id IS NOT NULL" IN_BATCH("r.subject_id"),
	[XY_GSRC_LIST_KIND] = "SELECT e.subject_id, e.id, e.start_on, t.name || ' ' || e.doc"
			      " FROM list_types t JOIN list_entries e ON e.list_type_id = t.id"
			      " WHERE t.kind = $1 AND $2::text = $2::text" ACTIVE("e")
			      IN_BATCH("e.subject_id"),
	[XY_GSRC_LIST_TYPE] = "SELECT e.subject_id, e.id, e.start_on, t.name || ' ' || e.doc"
			      " FROM list_types t JOIN list_entries e ON e.list_type_id = t.id"
			      " WHERE t.name = $1 AND $2::text = $2::text" ACTIVE("e")
			      IN_BATCH("e.subject_id"),
	[XY_GSRC_KEPT] = "SELECT c.subject_id, k.id, k.checked_on, c.type || ' ' || c.no"
			 " FROM commitment_checks k JOIN commitments c ON c.id = k.commitment_id"
			 " WHERE k.result = $1 AND k.checked_on BETWEEN $2 AND $3"
			 IN_BATCH("c.subject_id"),
};

static int fact_row(PGresult *r, int i, void *cb, void *ctx)
{
	xy_grade_fact f = { 0 };
	f.subject_id = ci(r, i, 0);
	f.ref = ci(r, i, 1);
	xy__pg_copy_cut(f.on, sizeof f.on, cv(r, i, 2));
	f.label = cv(r, i, 3);
	return ((xy_grade_fact_cb)cb)(ctx, &f);
}

static xy_code pg_grade_facts(xy_store *base, xy_grade_source src, const char *arg,
			      const char *from, const char *to, int64_t batch_id,
			      xy_grade_fact_cb cb, void *ctx, xy_error *err)
{
	pq_args a = { .n = 0 };
	bool checks = src == XY_GSRC_KEPT || src == XY_GSRC_BROKEN;
	a_txt0(&a, checks ? (src == XY_GSRC_KEPT ? "履约" : "未履约") : arg);
	a_txt0(&a, from);
	a_txt0(&a, to);
	a_int(&a, batch_id);
	return walk_cursor(PG(base), fact_sql[checks ? XY_GSRC_KEPT : src], &a,
			   "reading grading facts", fact_row, (void *)cb, ctx, err);
}

static int id_row(PGresult *r, int i, void *cb, void *ctx)
{
	return ((xy_id_cb)cb)(ctx, ci(r, i, 0));
}

static xy_code pg_grade_subjects(xy_store *base, int64_t batch_id, xy_id_cb cb, void *ctx,
				 xy_error *err)
{
	pq_args a = { .n = 0 };
	a_int(&a, batch_id);
	return batch_id > 0 ? walk(PG(base), BATCH_SUBJECTS("$1") " ORDER BY 1",
				   &a, "reading the subjects to grade", false, id_row, (void *)cb,
				   ctx, err)
			    : walk(PG(base), "SELECT id FROM subjects ORDER BY id", NULL,
				   "reading the subjects to grade", false, id_row, (void *)cb, ctx,
				   err);
}

/* the model stored once per SHA-256: the existing row's id when it is there */
static xy_code pg_grade_model_put(xy_store *base, const char *sha256, const char *name,
				  const char *text, const char *at, int64_t *id, xy_error *err)
{
	pq_args a = { .n = 0 };
	PGresult *r = NULL;
	xy_code rc;
	a_txt0(&a, sha256);
	a_txt0(&a, name);
	a_txt0(&a, text);
	a_txt0(&a, at);
	if ((rc = pq(PG(base), "WITH n AS (INSERT INTO grade_models(sha256, name, text, loaded_at)"
		     " VALUES ($1, $2, $3, $4) ON CONFLICT(sha256) DO NOTHING RETURNING id)"
		     " SELECT id FROM n UNION ALL SELECT id FROM grade_models WHERE sha256 = $1",
		     &a, "storing a grading model", &r, err)))
		return rc;
	*id = PQntuples(r) ? ci(r, 0, 0) : 0;
	PQclear(r);
	/* stored meanwhile by another process, whose row this statement did not see */
	a.n = 1;
	if (!*id && !(rc = pq(PG(base), "SELECT id FROM grade_models WHERE sha256 = $1", &a,
			      "storing a grading model", &r, err))) {
		*id = PQntuples(r) ? ci(r, 0, 0) : 0;
		PQclear(r);
	}
	return rc;
}

static xy_code pg_grade_model_last(xy_store *base, const char *sha256, xy_buf *text,
				   xy_error *err)
{
	PGresult *r = NULL;
	pq_args a = { .n = 0 };
	xy_code rc;
	if (sha256)
		a_txt0(&a, sha256);
	rc = pq(PG(base), sha256 ? "SELECT text FROM grade_models WHERE sha256 = $1"
				 : "SELECT m.text FROM grade_runs r JOIN grade_models m"
				   " ON m.id = r.model_id ORDER BY r.id DESC LIMIT 1",
		&a, "reading a grading model", &r, err);
	if (rc)
		return rc;
	if (!PQntuples(r) && sha256)
		rc = xy_error_set(err, XY_ERR_NOTFOUND, "no stored grading model %.12s", sha256);
	else if (!PQntuples(r))
		rc = xy_error_set(err, XY_ERR_NOTFOUND,
				  "no grading run yet: give --model (尚未进行信用分级)");
	else {
		xy_buf_reset(text);
		if (xy_buf_addstr(text, cv(r, 0, 0)))
			rc = xy_error_set(err, XY_ERR_NOMEM, "out of memory");
	}
	PQclear(r);
	return rc;
}

static xy_code pg_grade_run_insert(xy_store *base, int64_t model_id, const char *as_of,
				   int64_t batch_id, const char *at, int64_t *run_id,
				   xy_error *err)
{
	pq_args a = { .n = 0 };
	PGresult *r = NULL;
	xy_code rc;
	a_int(&a, model_id);
	a_txt0(&a, as_of);
	a_id(&a, batch_id);
	a_txt0(&a, at);
	if ((rc = pq(PG(base), "INSERT INTO grade_runs(model_id, as_of, batch_id, at)"
		     " VALUES ($1, $2, $3, $4) RETURNING id", &a, "storing a grading run", &r,
		     err)))
		return rc;
	*run_id = ci(r, 0, 0);
	PQclear(r);
	return XY_OK;
}

static xy_code pg_grade_run_done(xy_store *base, int64_t run_id, long subjects, xy_error *err)
{
	pq_args a = { .n = 0 };
	xy_code rc = xy__pg_grades_flush(PG(base), err);
	if (rc)
		return rc;
	a_int(&a, run_id);
	a_int(&a, subjects);
	return pq(PG(base), "UPDATE grade_runs SET subjects = $2 WHERE id = $1", &a,
		  "finishing a grading run", NULL, err);
}

/* A run's grades go to the server by COPY, GRADES_COPY bytes at a time
 * (and at the run's end, or a commit): one round trip per subject was 90 % of
 * a run on PostgreSQL (docs/postgresql.md).  Kept in s->grades as COPY's
 * text rows. */
#define GRADES_COPY (1u << 20)

/* v as a field of COPY's text format: a backslash, a tab, a line break
 * escaped (the PostgreSQL documentation, "COPY", Text Format). */
static xy_code copy_text(xy_buf *b, const char *v)
{
	for (;;) {
		size_t n = strcspn(v, "\\\t\n\r");
		if (xy_buf_add(b, v, n))
			return XY_ERR_NOMEM;
		v += n;
		if (!*v)
			return XY_OK;
		if (xy_buf_addstr(b, *v == '\\' ? "\\\\" : *v == '\t' ? "\\t" : *v == '\n' ? "\\n" : "\\r"))
			return XY_ERR_NOMEM;
		v++;
	}
}

xy_code xy__pg_grades_flush(pg_store *s, xy_error *err)
{
	xy_code rc;
	if (!s->grades.len)
		return XY_OK;
	rc = xy__pg_copy_in(s, "COPY grades(run_id, subject_id, score, grade, items) FROM STDIN",
			    s->grades.data, s->grades.len, "storing grades", err);
	xy_buf_reset(&s->grades);
	return rc;
}

static xy_code pg_grade_put(xy_store *base, int64_t run_id, int64_t subject_id, long score,
			    const char *grade, const char *items, xy_error *err)
{
	pg_store *s = PG(base);
	xy_buf *b = &s->grades;
	if (xy_buf_addf(b, "%lld\t%lld\t%ld\t", (long long)run_id, (long long)subject_id, score) ||
	    copy_text(b, grade) || xy_buf_addch(b, '\t') || copy_text(b, items) ||
	    xy_buf_addch(b, '\n'))
		return xy_error_set(err, XY_ERR_NOMEM, "out of memory");
	return b->len >= GRADES_COPY ? xy__pg_grades_flush(s, err) : XY_OK;
}

/* Hand each GRADE_SQL row of r to cb. */
static xy_code grade_rows(pg_store *s, PGresult *r, xy_grade_cb cb, void *ctx, xy_error *err)
{
	xy_buf code = XY_BUF_INIT;
	xy_code rc = XY_OK;
	for (int i = 0; i < PQntuples(r); i++) {
		xy_grade_row g = { 0 };
		g.run_id = ci(r, i, 0);
		g.subject_id = ci(r, i, 1);
		g.batch_id = ci(r, i, 2);
		if ((rc = xy__pg_scode(s, r, i, 3, &code, &g.code, err)))
			break;
		g.name = cv(r, i, 5);
		g.score = (long)ci(r, i, 6);
		g.grade[0] = cv(r, i, 7)[0];
		g.items = cv(r, i, 8);
		xy__pg_copy_cut(g.as_of, sizeof g.as_of, cv(r, i, 9));
		g.model = cv(r, i, 10);
		g.sha256 = cv(r, i, 11);
		g.at = cv(r, i, 12);
		g.subjects = (long)ci(r, i, 13);
		if (cb(ctx, &g))
			break;
	}
	xy_buf_release(&code);
	PQclear(r);
	return rc;
}

static xy_code pg_grade_grades_of(xy_store *base, int64_t subject_id, int64_t run_id,
				  xy_grade_cb cb, void *ctx, xy_error *err)
{
	pq_args a = { .n = 0 };
	PGresult *r = NULL;
	xy_code rc;
	a_int(&a, subject_id);
	a_int(&a, run_id);
	if ((rc = pq(PG(base), GRADE_SQL " WHERE g.subject_id = $1 AND ($2::bigint = 0"
		     " OR g.run_id = $2) ORDER BY g.run_id DESC", &a, "reading grades", &r, err)))
		return rc;
	return grade_rows(PG(base), r, cb, ctx, err);
}

/* run $2, or each subject's latest run (grades_subject walked in order), a
 * page of $4 after subject $3 ($4 NULL: all) */
static xy_code pg_grade_grades(xy_store *base, const char *grade, int64_t run_id,
			       int64_t after_id, size_t limit, xy_grade_cb cb, void *ctx,
			       xy_error *err)
{
	pq_args a = { .n = 0 };
	PGresult *r = NULL;
	xy_code rc;
	a_txt0(&a, grade);
	a_int(&a, run_id);
	a_int(&a, after_id);
	a_id(&a, (int64_t)limit);
	if ((rc = pq(PG(base), GRADE_SQL " WHERE ($1::text = '' OR g.grade = $1)"
		     " AND g.run_id = CASE WHEN $2::bigint > 0 THEN $2 ELSE (SELECT max(l.run_id)"
		     " FROM grades l WHERE l.subject_id = g.subject_id) END AND g.subject_id > $3"
		     " ORDER BY g.subject_id LIMIT $4::bigint", &a, "reading grades", &r, err)))
		return rc;
	return grade_rows(PG(base), r, cb, ctx, err);
}

static int count_row(PGresult *r, int i, void *cb, void *ctx)
{
	return ((xy_grade_count_cb)cb)(ctx, cv(r, i, 0), (long)ci(r, i, 1));
}

/* run $1, or each subject's latest run, as pg_grade_grades */
static xy_code pg_grade_counts(xy_store *base, int64_t run_id, xy_grade_count_cb cb, void *ctx,
			       xy_error *err)
{
	pq_args a = { .n = 0 };
	a_int(&a, run_id);
	return walk(PG(base), "SELECT g.grade, count(*) FROM grades g WHERE g.run_id ="
		    " CASE WHEN $1::bigint > 0 THEN $1 ELSE (SELECT max(l.run_id) FROM grades l"
		    " WHERE l.subject_id = g.subject_id) END GROUP BY g.grade"
		    " ORDER BY g.grade COLLATE \"C\"", &a, "counting grades", false, count_row,
		    (void *)cb, ctx, err);
}

/* each subject's latest grade, as sqlite_grade.c's G_LATEST (code and grade only) */
static xy_code pg_grade_latest(xy_store *base, xy_grade_cb cb, void *ctx, xy_error *err)
{
	pg_store *s = PG(base);
	PGresult *r = NULL;
	xy_buf code = XY_BUF_INIT;
	xy_code rc = pq(s, "SELECT " SCODE_COLS(s) ", l.grade FROM (SELECT DISTINCT ON (subject_id)"
			" subject_id, grade FROM grades ORDER BY subject_id, run_id DESC) l"
			" JOIN subjects s ON s.id = l.subject_id", NULL,
			"reading the latest grades", &r, err);
	for (int i = 0; !rc && i < PQntuples(r); i++) {
		xy_grade_row g = { 0 };
		if ((rc = xy__pg_scode(s, r, i, 0, &code, &g.code, err)))
			break;
		g.grade[0] = cv(r, i, 2)[0];
		g.name = g.items = g.model = g.sha256 = g.at = "";
		if (cb(ctx, &g))
			break;
	}
	xy_buf_release(&code);
	PQclear(r);
	return rc;
}

static xy_code pg_grade_runs(xy_store *base, xy_grade_cb cb, void *ctx, xy_error *err)
{
	PGresult *r = NULL;
	xy_code rc = pq(PG(base), "SELECT r.id, 0, coalesce(r.batch_id, 0), '', NULL::bytea, '',"
			" 0, '', '', r.as_of, m.name, m.sha256, r.at, r.subjects FROM grade_runs r"
			" JOIN grade_models m ON m.id = r.model_id ORDER BY r.id DESC", NULL,
			"reading grades", &r, err);
	if (rc)
		return rc;
	return grade_rows(PG(base), r, cb, ctx, err);
}

/* ---- 双随机、一公开 plans, draws and results (docs/inspection.md) ---- */

/* Run an INSERT … ON CONFLICT DO NOTHING RETURNING one column: no row, or any
 * other constraint refusing it, is XY_ERR_CONFLICT "what: 已存在" (SQLite's
 * SQLITE_CONSTRAINT); *id (may be NULL) gets the returned value. */
static xy_code insert(pg_store *s, const char *sql, const pq_args *a, const char *what,
		      int64_t *id, xy_error *err)
{
	PGresult *r;
	const char *state;
	xy_code rc = xy__pg_flush_begin(s, err);
	if (rc)
		return rc;
	r = PQexecParams(s->conn, sql, a->n, NULL, a->v, a->len, a->fmt, 0);
	state = r ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : NULL;
	if (state && !strncmp(state, "23", 2)) {
		PQclear(r);
		return xy_error_set(err, XY_ERR_CONFLICT, "%s: 已存在", what);
	}
	if ((rc = xy__pg_result(s, r, what, &r, err)))
		return rc;
	if (PQntuples(r) != 1)
		rc = xy_error_set(err, XY_ERR_CONFLICT, "%s: 已存在", what);
	else if (id)
		*id = ci(r, 0, 0);
	PQclear(r);
	return rc;
}

static const char *who_of(const char *who)
{
	return who && *who ? who : "cli";
}

static xy_code pg_inspect_plan_insert(xy_store *base, const xy_inspect_plan_row *r,
				      int64_t *id, xy_error *err)
{
	pq_args a = { .n = 0 };
	a_txt0(&a, r->unit);
	a_txt0(&a, r->name);
	a_txt0(&a, r->text);
	a_txt0(&a, r->digest);
	a_txt0(&a, r->created_at);
	a_txt0(&a, who_of(r->who));
	return insert(PG(base), "INSERT INTO inspect_plans(unit, name, text, digest, created_at,"
		      " who) VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING RETURNING id",
		      &a, "检查计划（相同内容的计划）", id, err);
}

static xy_code pg_inspect_draw_insert(xy_store *base, const xy_inspect_draw_row *r,
				      int64_t *id, xy_error *err)
{
	pq_args a = { .n = 0 };
	a_int(&a, r->plan_id);
	a_txt0(&a, r->random);
	a_txt0(&a, r->population);
	a_txt0(&a, r->population_digest);
	a_txt0(&a, r->text);
	a_txt0(&a, r->digest);
	a_txt0(&a, r->drawn_at);
	a_txt0(&a, who_of(r->who));
	return insert(PG(base), "INSERT INTO inspect_draws(plan_id, random, population,"
		      " population_digest, text, digest, drawn_at, who)"
		      " VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT DO NOTHING RETURNING id",
		      &a, "抽取记录", id, err);
}

static xy_code pg_inspect_result_insert(xy_store *base, const xy_inspect_result_row *r,
					xy_error *err)
{
	pq_args a = { .n = 0 };
	a_int(&a, r->draw_id);
	a_txt0(&a, r->code);
	a_txt0(&a, r->outcome);
	a_txt0(&a, r->detail);
	a_txt0(&a, r->recorded_at);
	a_txt0(&a, who_of(r->who));
	a_id(&a, r->batch_id);
	return insert(PG(base), "INSERT INTO inspect_results(draw_id, code, outcome, detail,"
		      " recorded_at, who, batch_id) VALUES ($1, $2, $3, $4, $5, $6, $7)"
		      " ON CONFLICT DO NOTHING RETURNING draw_id",
		      &a, "该对象的检查结果", NULL, err);
}

static int plan_row(PGresult *r, int i, void *cb, void *ctx)
{
	xy_inspect_plan_row p = {
		.id = ci(r, i, 0), .unit = cv(r, i, 1), .name = cv(r, i, 2), .text = cv(r, i, 3),
		.digest = cv(r, i, 4), .created_at = cv(r, i, 5), .who = cv(r, i, 6),
	};
	return ((xy_inspect_plan_cb)cb)(ctx, &p);
}

static int draw_row(PGresult *r, int i, void *cb, void *ctx)
{
	xy_inspect_draw_row d = {
		.id = ci(r, i, 0), .plan_id = ci(r, i, 1), .random = cv(r, i, 2),
		.population = cv(r, i, 3), .population_digest = cv(r, i, 4), .text = cv(r, i, 5),
		.digest = cv(r, i, 6), .drawn_at = cv(r, i, 7), .who = cv(r, i, 8),
	};
	return ((xy_inspect_draw_cb)cb)(ctx, &d);
}

static int result_row(PGresult *r, int i, void *cb, void *ctx)
{
	xy_inspect_result_row v = {
		.draw_id = ci(r, i, 0), .code = cv(r, i, 1), .outcome = cv(r, i, 2),
		.detail = cv(r, i, 3), .recorded_at = cv(r, i, 4), .who = cv(r, i, 5),
		.batch_id = ci(r, i, 6),
	};
	return ((xy_inspect_result_cb)cb)(ctx, &v);
}

static xy_code pg_inspect_plans(xy_store *base, int64_t id, xy_inspect_plan_cb cb, void *ctx,
				xy_error *err)
{
	pq_args a = { .n = 0 };
	a_int(&a, id);
	return walk(PG(base), "SELECT id, unit, name, text, digest, created_at, who"
		    " FROM inspect_plans WHERE $1::bigint = 0 OR id = $1 ORDER BY id",
		    &a, "检查计划", id > 0, plan_row, (void *)cb, ctx, err);
}

static xy_code pg_inspect_draws(xy_store *base, int64_t id, int64_t plan_id,
				xy_inspect_draw_cb cb, void *ctx, xy_error *err)
{
	pq_args a = { .n = 0 };
	a_int(&a, id);
	a_int(&a, plan_id);
	return walk(PG(base), "SELECT id, plan_id, random, population, population_digest, text,"
		    " digest, drawn_at, who FROM inspect_draws WHERE ($1::bigint = 0 OR id = $1)"
		    " AND ($2::bigint = 0 OR plan_id = $2) ORDER BY id",
		    &a, "抽取记录", id > 0, draw_row, (void *)cb, ctx, err);
}

static xy_code pg_inspect_results(xy_store *base, int64_t draw_id, xy_inspect_result_cb cb,
				  void *ctx, xy_error *err)
{
	pq_args a = { .n = 0 };
	a_int(&a, draw_id);
	return walk(PG(base), "SELECT draw_id, code, outcome, detail, recorded_at, who,"
		    " coalesce(batch_id, 0) FROM inspect_results WHERE $1::bigint = 0"
		    " OR draw_id = $1 ORDER BY draw_id, code COLLATE \"C\"",
		    &a, "检查结果", false, result_row, (void *)cb, ctx, err);
}

const struct xy__store_grade_ops xy__pg_grade_ops = {
	.facts = pg_grade_facts,
	.subjects = pg_grade_subjects,
	.model_put = pg_grade_model_put,
	.model_last = pg_grade_model_last,
	.run_insert = pg_grade_run_insert,
	.run_done = pg_grade_run_done,
	.put = pg_grade_put,
	.grades_of = pg_grade_grades_of,
	.grades = pg_grade_grades,
	.latest = pg_grade_latest,
	.runs = pg_grade_runs,
	.counts = pg_grade_counts,
};

const struct xy__store_inspect_ops xy__pg_inspect_ops = {
	.plan_insert = pg_inspect_plan_insert,
	.draw_insert = pg_inspect_draw_insert,
	.result_insert = pg_inspect_result_insert,
	.plans = pg_inspect_plans,
	.draws = pg_inspect_draws,
	.results = pg_inspect_results,
};
