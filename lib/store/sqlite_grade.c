/* xinyong: the SQLite backend's credit grading (migration 17: grade_models,
 * grade_runs, grades; docs/grading.md).  Facts are read one source at a time
 * (set-based, one query per indicator, never one per subject): over the whole
 * table for a full run, from the batch's subjects through their indexes for
 * an incremental one (migration 19), so that re-grading N subjects reads
 * about N subjects' rows.  Every value bound, each statement prepared once
 * per handle in its slot (xy__sq_prep, [XY__SQ_GRADE, +32)). */
#include <stdlib.h>
#include <string.h>

#include "xinyong/store.h"
#include "sqlite_int.h"

enum {
	G_CATEGORY,
	G_LIST_KIND,
	G_LIST_TYPE,
	G_COMMITMENT,
	G_CATEGORY_B, /* the same four, about one batch's subjects */
	G_LIST_KIND_B,
	G_LIST_TYPE_B,
	G_COMMITMENT_B,
	G_SUBJECTS,
	G_SUBJECTS_BATCH,
	G_MODEL_FIND,
	G_MODEL_INSERT,
	G_MODEL_LAST,
	G_MODEL_TEXT,
	G_RUN_INSERT,
	G_RUN_DONE,
	G_PUT,
	G_OF,
	G_LIST,
	G_LATEST,
	G_RUNS,
	G_COUNTS,
	G__N
};
_Static_assert(XY__SQ_GRADE + G__N <= XY__SQ_INSPECT, "grading statements overrun their slots");

/* bs(id): the subjects of batch P's records — those it added or changed
 * (data_batch, indexed by migration 20), and the subject a changed record
 * had before, which may have lost a fact.  Records the batch only saw again
 * unchanged are left out: their subjects' facts did not change. */
#define BATCH_SUBJECTS(p)                                                              \
	"WITH bs(id) AS (SELECT subject_id FROM records WHERE data_batch = " p             \
	" AND subject_id IS NOT NULL UNION SELECT v.subject_id FROM records r"             \
	" JOIN record_versions v ON v.record_id = r.id WHERE r.data_batch = " p            \
	" AND v.replaced_by = " p " AND v.subject_id IS NOT NULL) "
/* A list entry active on ?3 (xy_entry_status_on). */
#define ACTIVE(e)                                                              \
	" AND " e ".start_on <= ?3 AND (" e ".end_on IS NULL OR " e ".end_on >= ?3)" \
	" AND (" e ".exit_on IS NULL OR " e ".exit_on > ?3)"
/* A grade row: run, subject, score, explanation, run and model. */
#define GRADE_FROM                                                    \
	" FROM grades g JOIN grade_runs r ON r.id = g.run_id"          \
	" JOIN grade_models m ON m.id = r.model_id JOIN subjects s ON s.id = g.subject_id"

static const char *const sql_text[G__N] = {
	/* The window's record ids from the index alone (records_feed covers
	 * category, date and rowid), then the rows in rowid order: each page of
	 * records is read once for all its rows in the window, instead of once
	 * per row in date order (a 32 KiB page copied per fact; at 10M records
	 * that copying was most of a run's CPU time, bench/RESULTS.md). */
	[G_CATEGORY] = "SELECT r.subject_id, r.id, r.decided_on, c.name || ' ' || r.key"
		       " FROM categories c JOIN records r ON r.category_id = c.id"
		       " WHERE c.name = ?1 AND r.id IN (SELECT f.id FROM records f"
		       " WHERE f.category_id = c.id AND f.decided_on BETWEEN ?2 AND ?3)"
		       " AND r.subject_id IS NOT NULL",
	[G_LIST_KIND] = "SELECT e.subject_id, e.id, e.start_on, t.name || ' ' || e.doc"
			" FROM list_types t JOIN list_entries e ON e.list_type_id = t.id"
			" WHERE t.kind = ?1 AND ?2 = ?2" ACTIVE("e"),
	[G_LIST_TYPE] = "SELECT e.subject_id, e.id, e.start_on, t.name || ' ' || e.doc"
			" FROM list_types t JOIN list_entries e ON e.list_type_id = t.id"
			" WHERE t.name = ?1 AND ?2 = ?2" ACTIVE("e"),
	[G_COMMITMENT] = "SELECT c.subject_id, k.id, k.checked_on, c.type || ' ' || c.no"
			 " FROM commitment_checks k JOIN commitments c ON c.id = k.commitment_id"
			 " WHERE k.result = ?1 AND k.checked_on BETWEEN ?2 AND ?3",
	/* CROSS JOIN fixes the order (SQLite keeps it): bs first, then each
	 * subject's rows by its subject index.  Left to itself the planner
	 * starts from the category and walks its whole window once per subject. */
	[G_CATEGORY_B] = BATCH_SUBJECTS("?4")
	"SELECT r.subject_id, r.id, r.decided_on, c.name || ' ' || r.key"
	" FROM bs CROSS JOIN records r CROSS JOIN categories c"
	" WHERE r.subject_id = bs.id AND c.id = r.category_id AND c.name = ?1 AND r.decided_on BETWEEN ?2 AND ?3",
	[G_LIST_KIND_B] = BATCH_SUBJECTS("?4")
	"SELECT e.subject_id, e.id, e.start_on, t.name || ' ' || e.doc"
	" FROM bs CROSS JOIN list_entries e CROSS JOIN list_types t"
	" WHERE e.subject_id = bs.id AND t.id = e.list_type_id AND t.kind = ?1 AND ?2 = ?2" ACTIVE("e"),
	[G_LIST_TYPE_B] = BATCH_SUBJECTS("?4")
	"SELECT e.subject_id, e.id, e.start_on, t.name || ' ' || e.doc"
	" FROM bs CROSS JOIN list_entries e CROSS JOIN list_types t"
	" WHERE e.subject_id = bs.id AND t.id = e.list_type_id AND t.name = ?1 AND ?2 = ?2" ACTIVE("e"),
	[G_COMMITMENT_B] = BATCH_SUBJECTS("?4")
	"SELECT c.subject_id, k.id, k.checked_on, c.type || ' ' || c.no"
	" FROM bs CROSS JOIN commitments c CROSS JOIN commitment_checks k"
	" WHERE c.subject_id = bs.id AND k.commitment_id = c.id AND k.result = ?1 AND k.checked_on BETWEEN ?2 AND ?3",
	[G_SUBJECTS] = "SELECT id FROM subjects ORDER BY id",
	[G_SUBJECTS_BATCH] = BATCH_SUBJECTS("?1") "SELECT id FROM bs ORDER BY id",
	[G_MODEL_FIND] = "SELECT id FROM grade_models WHERE sha256 = ?1",
	[G_MODEL_INSERT] = "INSERT INTO grade_models(sha256, name, text, loaded_at)"
			   " VALUES (?1, ?2, ?3, ?4)",
	[G_MODEL_LAST] = "SELECT m.text FROM grade_runs r JOIN grade_models m ON m.id = r.model_id"
			 " ORDER BY r.id DESC LIMIT 1",
	[G_MODEL_TEXT] = "SELECT text FROM grade_models WHERE sha256 = ?1",
	[G_RUN_INSERT] = "INSERT INTO grade_runs(model_id, as_of, batch_id, at)"
			 " VALUES (?1, ?2, nullif(?3, 0), ?4)",
	[G_RUN_DONE] = "UPDATE grade_runs SET subjects = ?2 WHERE id = ?1",
	[G_PUT] = "INSERT INTO grades(run_id, subject_id, score, grade, items)"
		  " VALUES (?1, ?2, ?3, ?4, ?5)",
	[G_OF] = "SELECT g.run_id, g.subject_id, coalesce(r.batch_id, 0), " SCODE(s) ", s.name,"
		 " g.score, g.grade, g.items, r.as_of, m.name, m.sha256, r.at, r.subjects"
		 GRADE_FROM " WHERE g.subject_id = ?1 AND (?2 = 0 OR g.run_id = ?2)"
		 " ORDER BY g.run_id DESC",
	/* run ?2, or each subject's latest run (grades_subject walked in order) */
	[G_LIST] = "SELECT g.run_id, g.subject_id, coalesce(r.batch_id, 0), " SCODE(s) ", s.name,"
		   " g.score, g.grade, g.items, r.as_of, m.name, m.sha256, r.at, r.subjects"
		   GRADE_FROM " WHERE (?1 = '' OR g.grade = ?1) AND g.run_id = CASE WHEN ?2 > 0"
		   " THEN ?2 ELSE (SELECT max(l.run_id) FROM grades l"
		   " WHERE l.subject_id = g.subject_id) END AND g.subject_id > ?3"
		   " ORDER BY g.subject_id LIMIT ?4",
	/* grades_latest (subject_id, run_id, grade) covers it: max() picks the
	 * grade of the row with the newest run, in one walk of the index */
	[G_LATEST] = "SELECT " SCODE(s) ", l.grade FROM (SELECT subject_id, grade, max(run_id)"
		     " FROM grades GROUP BY subject_id) l JOIN subjects s ON s.id = l.subject_id",
	[G_RUNS] = "SELECT r.id, 0, coalesce(r.batch_id, 0), '', '', 0, '', '', r.as_of, m.name,"
		   " m.sha256, r.at, r.subjects FROM grade_runs r"
		   " JOIN grade_models m ON m.id = r.model_id ORDER BY r.id DESC",
	/* run ?1, or each subject's latest run, as G_LIST */
	[G_COUNTS] = "SELECT g.grade, count(*) FROM grades g WHERE g.run_id = CASE WHEN ?1 > 0"
		     " THEN ?1 ELSE (SELECT max(l.run_id) FROM grades l"
		     " WHERE l.subject_id = g.subject_id) END GROUP BY g.grade ORDER BY g.grade",
};

static xy_code prep(xy_store *s, unsigned id, sqlite3_stmt **st, xy_error *err)
{
	return xy__sq_prep(s, XY__SQ_GRADE + id, sql_text[id], st, err);
}

static xy_code step_done(xy_store *s, sqlite3_stmt *st, const char *what, xy_error *err)
{
	int src = sq_step(SQ(s), st);
	xy_code rc = src == SQLITE_DONE ? XY_OK : xy__sq_fail(s, src, what, err);
	sqlite3_reset(st);
	return rc;
}

static void copy_date(char out[11], const char *v)
{
	size_t n = strlen(v);
	if (n > 10)
		n = 10;
	memcpy(out, v, n);
	out[n] = '\0';
}

static int fact_row(sqlite3_stmt *st, void *cb, void *ctx)
{
	xy_grade_fact f = { 0 };
	f.subject_id = sqlite3_column_int64(st, 0);
	f.ref = sqlite3_column_int64(st, 1);
	copy_date(f.on, xy__sq_col(st, 2));
	f.label = xy__sq_col(st, 3);
	return ((xy_grade_fact_cb)cb)(ctx, &f);
}

static int id_row(sqlite3_stmt *st, void *cb, void *ctx)
{
	return ((xy_id_cb)cb)(ctx, sqlite3_column_int64(st, 0));
}

static xy_code sq_facts(xy_store *s, xy_grade_source src, const char *arg, const char *from,
			const char *to, int64_t batch_id, xy_grade_fact_cb cb, void *ctx,
			xy_error *err)
{
	sqlite3_stmt *st = NULL;
	unsigned id = src == XY_GSRC_CATEGORY	   ? G_CATEGORY
		      : src == XY_GSRC_LIST_KIND ? G_LIST_KIND
		      : src == XY_GSRC_LIST_TYPE ? G_LIST_TYPE
						 : G_COMMITMENT;
	xy_code rc = prep(s, batch_id > 0 ? id + G_CATEGORY_B - G_CATEGORY : id, &st, err);
	if (rc)
		return rc;
	if (id == G_COMMITMENT)
		sq_bind_txt(SQ(s), st, 1, src == XY_GSRC_KEPT ? "履约" : "未履约");
	else
		sq_bind_txt(SQ(s), st, 1, arg);
	sq_bind_txt(SQ(s), st, 2, from);
	sq_bind_txt(SQ(s), st, 3, to);
	if (batch_id > 0)
		sq_bind_int64(SQ(s), st, 4, batch_id);
	return xy__sq_each(s, st, fact_row, (void *)cb, ctx, "reading grading facts", NULL, err);
}

static xy_code sq_subjects(xy_store *s, int64_t batch_id, xy_id_cb cb, void *ctx,
			   xy_error *err)
{
	sqlite3_stmt *st = NULL;
	xy_code rc = prep(s, batch_id > 0 ? G_SUBJECTS_BATCH : G_SUBJECTS, &st, err);
	if (rc)
		return rc;
	if (batch_id > 0)
		sq_bind_int64(SQ(s), st, 1, batch_id);
	return xy__sq_each(s, st, id_row, (void *)cb, ctx, "reading the subjects to grade", NULL,
			   err);
}

static xy_code sq_model_put(xy_store *s, const char *sha256, const char *name,
			    const char *text, const char *at, int64_t *id, xy_error *err)
{
	sqlite3_stmt *st = NULL;
	xy_code rc = prep(s, G_MODEL_FIND, &st, err);
	int sr;
	if (rc)
		return rc;
	sq_bind_txt(SQ(s), st, 1, sha256);
	sr = sq_step(SQ(s), st);
	*id = sr == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
	if (sr != SQLITE_ROW && sr != SQLITE_DONE)
		rc = xy__sq_fail(s, sr, "looking up a grading model", err);
	sqlite3_reset(st);
	if (rc || *id)
		return rc;
	if ((rc = prep(s, G_MODEL_INSERT, &st, err)))
		return rc;
	sq_bind_txt(SQ(s), st, 1, sha256);
	sq_bind_txt(SQ(s), st, 2, name);
	sq_bind_txt(SQ(s), st, 3, text);
	sq_bind_txt(SQ(s), st, 4, at);
	if (!(rc = step_done(s, st, "storing a grading model", err)))
		*id = sqlite3_last_insert_rowid(xy__sq_db(s));
	return rc;
}

static xy_code sq_model_last(xy_store *s, const char *sha256, xy_buf *text, xy_error *err)
{
	sqlite3_stmt *st = NULL;
	xy_code rc = prep(s, sha256 ? G_MODEL_TEXT : G_MODEL_LAST, &st, err);
	int sr;
	if (rc)
		return rc;
	if (sha256)
		sq_bind_txt(SQ(s), st, 1, sha256);
	sr = sq_step(SQ(s), st);
	if (sr == SQLITE_ROW) {
		xy_buf_reset(text);
		if (xy_buf_addstr(text, xy__sq_col(st, 0)))
			rc = xy_error_set(err, XY_ERR_NOMEM, "out of memory");
	} else if (sr == SQLITE_DONE && sha256)
		rc = xy_error_set(err, XY_ERR_NOTFOUND, "no stored grading model %.12s", sha256);
	else if (sr == SQLITE_DONE)
		rc = xy_error_set(err, XY_ERR_NOTFOUND,
				  "no grading run yet: give --model (尚未进行信用分级)");
	else
		rc = xy__sq_fail(s, sr, "reading the last grading model", err);
	sqlite3_reset(st);
	return rc;
}

static xy_code sq_run_insert(xy_store *s, int64_t model_id, const char *as_of,
			     int64_t batch_id, const char *at, int64_t *run_id, xy_error *err)
{
	sqlite3_stmt *st = NULL;
	xy_code rc = prep(s, G_RUN_INSERT, &st, err);
	if (rc)
		return rc;
	sq_bind_int64(SQ(s), st, 1, model_id);
	sq_bind_txt(SQ(s), st, 2, as_of);
	sq_bind_int64(SQ(s), st, 3, batch_id);
	sq_bind_txt(SQ(s), st, 4, at);
	if (!(rc = step_done(s, st, "storing a grading run", err)))
		*run_id = sqlite3_last_insert_rowid(xy__sq_db(s));
	return rc;
}

static xy_code sq_run_done(xy_store *s, int64_t run_id, long subjects, xy_error *err)
{
	sqlite3_stmt *st = NULL;
	xy_code rc = prep(s, G_RUN_DONE, &st, err);
	if (rc)
		return rc;
	sq_bind_int64(SQ(s), st, 1, run_id);
	sq_bind_int64(SQ(s), st, 2, subjects);
	return step_done(s, st, "finishing a grading run", err);
}

static xy_code sq_put(xy_store *s, int64_t run_id, int64_t subject_id, long score,
		      const char *grade, const char *items, xy_error *err)
{
	sqlite3_stmt *st = NULL;
	xy_code rc = prep(s, G_PUT, &st, err);
	if (rc)
		return rc;
	sq_bind_int64(SQ(s), st, 1, run_id);
	sq_bind_int64(SQ(s), st, 2, subject_id);
	sq_bind_int64(SQ(s), st, 3, score);
	sq_bind_txt(SQ(s), st, 4, grade);
	sq_bind_txt(SQ(s), st, 5, items);
	return step_done(s, st, "storing a grade", err);
}

/* One GRADE_COLS row. */
static int grade_row(sqlite3_stmt *st, void *cb, void *ctx)
{
	xy_grade_row g = { 0 };
	g.run_id = sqlite3_column_int64(st, 0);
	g.subject_id = sqlite3_column_int64(st, 1);
	g.batch_id = sqlite3_column_int64(st, 2);
	g.code = xy__sq_col(st, 3);
	g.name = xy__sq_col(st, 4);
	g.score = (long)sqlite3_column_int64(st, 5);
	g.grade[0] = xy__sq_col(st, 6)[0];
	g.items = xy__sq_col(st, 7);
	copy_date(g.as_of, xy__sq_col(st, 8));
	g.model = xy__sq_col(st, 9);
	g.sha256 = xy__sq_col(st, 10);
	g.at = xy__sq_col(st, 11);
	g.subjects = (long)sqlite3_column_int64(st, 12);
	return ((xy_grade_cb)cb)(ctx, &g);
}

/* Walk a bound statement of GRADE_COLS rows. */
static xy_code walk(xy_store *s, sqlite3_stmt *st, xy_grade_cb cb, void *ctx, xy_error *err)
{
	return xy__sq_each(s, st, grade_row, (void *)cb, ctx, "reading grades", NULL, err);
}

static xy_code sq_grades_of(xy_store *s, int64_t subject_id, int64_t run_id, xy_grade_cb cb,
			    void *ctx, xy_error *err)
{
	sqlite3_stmt *st = NULL;
	xy_code rc = prep(s, G_OF, &st, err);
	if (rc)
		return rc;
	sq_bind_int64(SQ(s), st, 1, subject_id);
	sq_bind_int64(SQ(s), st, 2, run_id);
	return walk(s, st, cb, ctx, err);
}

static xy_code sq_grades(xy_store *s, const char *grade, int64_t run_id, int64_t after_id,
			 size_t limit, xy_grade_cb cb, void *ctx, xy_error *err)
{
	sqlite3_stmt *st = NULL;
	xy_code rc = prep(s, G_LIST, &st, err);
	if (rc)
		return rc;
	sq_bind_txt(SQ(s), st, 1, grade);
	sq_bind_int64(SQ(s), st, 2, run_id);
	sq_bind_int64(SQ(s), st, 3, after_id);
	sq_bind_int64(SQ(s), st, 4, limit ? (int64_t)limit : -1); /* LIMIT -1: none */
	return walk(s, st, cb, ctx, err);
}

static int count_row(sqlite3_stmt *st, void *cb, void *ctx)
{
	return ((xy_grade_count_cb)cb)(ctx, xy__sq_col(st, 0), (long)sqlite3_column_int64(st, 1));
}

static xy_code sq_counts(xy_store *s, int64_t run_id, xy_grade_count_cb cb, void *ctx,
			 xy_error *err)
{
	sqlite3_stmt *st = NULL;
	xy_code rc = prep(s, G_COUNTS, &st, err);
	if (rc)
		return rc;
	sq_bind_int64(SQ(s), st, 1, run_id);
	return xy__sq_each(s, st, count_row, (void *)cb, ctx, "counting grades", NULL, err);
}

static int latest_row(sqlite3_stmt *st, void *cb, void *ctx)
{
	xy_grade_row g = { 0 };
	g.code = xy__sq_col(st, 0);
	g.grade[0] = xy__sq_col(st, 1)[0];
	g.name = g.items = g.model = g.sha256 = g.at = "";
	return ((xy_grade_cb)cb)(ctx, &g);
}

static xy_code sq_latest(xy_store *s, xy_grade_cb cb, void *ctx, xy_error *err)
{
	sqlite3_stmt *st = NULL;
	xy_code rc = prep(s, G_LATEST, &st, err);
	if (rc)
		return rc;
	return xy__sq_each(s, st, latest_row, (void *)cb, ctx, "reading the latest grades", NULL,
			   err);
}

static xy_code sq_runs(xy_store *s, xy_grade_cb cb, void *ctx, xy_error *err)
{
	sqlite3_stmt *st = NULL;
	xy_code rc = prep(s, G_RUNS, &st, err);
	if (rc)
		return rc;
	return walk(s, st, cb, ctx, err);
}

const struct xy__store_grade_ops xy__sqlite_grade_ops = {
	.facts = sq_facts,
	.subjects = sq_subjects,
	.model_put = sq_model_put,
	.model_last = sq_model_last,
	.run_insert = sq_run_insert,
	.run_done = sq_run_done,
	.put = sq_put,
	.grades_of = sq_grades_of,
	.grades = sq_grades,
	.latest = sq_latest,
	.runs = sq_runs,
	.counts = sq_counts,
};
