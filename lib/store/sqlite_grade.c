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
#include "pii.h"
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
	G_LATEST_CODES,
	G_LATEST_MAX,
	G_CODE_ORDER,
	G_MAP_GET,
	G_MAP_PUT,
	G_RUN_BEFORE,
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
	/* the latest grades (sq_latest): grades_latest (subject_id, run_id,
	 * grade) walked in order beside the subjects in id order */
	[G_LATEST] = "SELECT subject_id, grade FROM grades ORDER BY subject_id, run_id",
	[G_LATEST_CODES] = "SELECT s.id, " SCODE(s) " FROM subjects s ORDER BY s.id",
	/* latest_walk: the highest graded subject's id (the first column of
	 * grades_latest), then the subjects' code index walked in order */
	[G_LATEST_MAX] = "SELECT max(subject_id) FROM grades",
	[G_CODE_ORDER] = "SELECT code, id FROM subjects ORDER BY code",
	/* the latest-grade map (migration 23) and the run before ?1 (0: none;
	 * ?1 = 0: the newest run) */
	[G_MAP_GET] = "SELECT map FROM grade_latest WHERE id = 1",
	[G_MAP_PUT] = "INSERT OR REPLACE INTO grade_latest(id, map) VALUES (1, ?1)",
	[G_RUN_BEFORE] = "SELECT coalesce(max(id), 0) FROM grade_runs WHERE ?1 = 0 OR id < ?1",
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

/* ---- the latest-grade map (migration 23) ----
 *
 * One row of grade_latest holds one blob: MAP_HEAD bytes, the id of the run
 * the map is current to (big-endian), then a byte per subject id i, at
 * MAP_HEAD + i: the letter of i's grade in its latest run, 0 when it was
 * never graded.  A draw reads it instead of every grade of every run
 * (grades_latest), a third of a draw from a million subjects, and more
 * with each run kept.  Every run keeps it, in the run's transaction
 * (sq_run_done): the run's own grades, noted by sq_put, laid over the map of
 * the run before; a missing map, or one not of the run before (the first
 * run after the upgrade), is rebuilt from grades.  A map not of the newest
 * run is never read.  It grows MAP_SLACK subjects at a time, so a run that
 * grades some subjects only (after an import) rewrites only the MAP_PIECE
 * pieces it changed, through SQLite's incremental blob I/O, not the whole
 * map (its row would be rewritten whole by an UPDATE). */
#define MAP_HEAD 8
#define MAP_SLACK ((size_t)65536)
#define MAP_PIECE ((size_t)4096)
#define MAP_MAX ((size_t)900000000) /* under SQLite's default SQLITE_MAX_LENGTH */

static int64_t map_run(const unsigned char *m)
{
	uint64_t v = 0;
	for (int i = 0; i < MAP_HEAD; i++)
		v = v << 8 | m[i];
	return (int64_t)v;
}

static void map_set_run(unsigned char *m, int64_t run)
{
	for (int i = MAP_HEAD - 1; i >= 0; i--, run >>= 8)
		m[i] = (unsigned char)(run & 0xff);
}

/* The length of a map of subjects [0, n) */
static size_t map_len(size_t n)
{
	return MAP_HEAD + (n + MAP_SLACK - 1) / MAP_SLACK * MAP_SLACK;
}

/* The stored map (*m the caller's to free, *len bytes); NULL and 0 when
 * there is none (or a blob too short to be one). */
static xy_code map_get(xy_store *s, unsigned char **m, size_t *len, xy_error *err)
{
	sqlite3_stmt *st = NULL;
	xy_code rc = prep(s, G_MAP_GET, &st, err);
	int src;
	*m = NULL;
	*len = 0;
	if (rc)
		return rc;
	if ((src = sq_step(SQ(s), st)) == SQLITE_ROW) {
		const void *p = sqlite3_column_blob(st, 0);
		size_t n = (size_t)sqlite3_column_bytes(st, 0);
		if (p && n > MAP_HEAD) {
			if ((*m = malloc(n))) {
				memcpy(*m, p, n);
				*len = n;
			} else
				rc = xy_error_set(err, XY_ERR_NOMEM, "out of memory");
		}
	}
	return xy__sq_done(SQ(s), st, src, rc, "reading the latest grades", err);
}

/* The id of the newest run before run_id (0: the newest of all); 0 none. */
static xy_code run_before(xy_store *s, int64_t run_id, int64_t *out, xy_error *err)
{
	sqlite3_stmt *st = NULL;
	xy_code rc = prep(s, G_RUN_BEFORE, &st, err);
	if (rc)
		return rc;
	sq_bind_int64(SQ(s), st, 1, run_id);
	return xy__sq_one_int64(s, st, "reading the grading runs", out, err);
}

/* Each graded subject's latest grade read from grades into by_id[id] (a
 * subject's last run comes last in grades_latest), by_id (calloc'd, the
 * caller's) at the offset head of n bytes for subjects [0, *max]; *max 0
 * and by_id NULL when nothing is graded. */
static xy_code latest_walk(xy_store *s, size_t head, unsigned char **by_id, size_t *n,
			   int64_t *max, xy_error *err)
{
	sqlite3_stmt *st = NULL;
	unsigned char *v;
	int src;
	xy_code rc;
	*by_id = NULL;
	*n = 0;
	if ((rc = prep(s, G_LATEST_MAX, &st, err)) ||
	    (rc = xy__sq_one_int64(s, st, "reading the latest grades", max, err)))
		return rc;
	if (*max <= 0)
		return *max = 0, XY_OK;
	if ((uint64_t)*max >= UINT32_MAX)
		return xy_error_set(err, XY_ERR_LIMIT, "subject ids above %u", UINT32_MAX);
	*n = head ? map_len((size_t)*max + 1) : (size_t)*max + 1;
	if (!(v = calloc(*n, 1)))
		return xy_error_set(err, XY_ERR_NOMEM, "out of memory");
	if ((rc = prep(s, G_LATEST, &st, err))) {
		free(v);
		return rc;
	}
	while ((src = sq_step(SQ(s), st)) == SQLITE_ROW) {
		int64_t id = sqlite3_column_int64(st, 0);
		const unsigned char *g = sqlite3_column_text(st, 1);
		if (id > 0 && id <= *max)
			v[head + (size_t)id] = g ? g[0] : 0;
	}
	if ((rc = xy__sq_done(SQ(s), st, src, XY_OK, "reading the latest grades", err)))
		free(v);
	else
		*by_id = v;
	return rc;
}

/* Write map m of len bytes: in place, the pieces that differ from old (of
 * the same length), when there is an old one; else the whole row. */
static xy_code map_put(xy_store *s, const unsigned char *old, const unsigned char *m, size_t len,
		       xy_error *err)
{
	sqlite3_stmt *st = NULL;
	sqlite3_blob *b = NULL;
	xy_code rc;
	int src;
	if (!old) {
		if ((rc = prep(s, G_MAP_PUT, &st, err)))
			return rc;
		sq_bind_blob(SQ(s), st, 1, m, len);
		return step_done(s, st, "storing the latest grades", err);
	}
	src = sqlite3_blob_open(xy__sq_db(s), "main", "grade_latest", "map", 1, 1, &b);
	for (size_t at = 0; src == SQLITE_OK && at < len; at += MAP_PIECE) {
		size_t n = len - at < MAP_PIECE ? len - at : MAP_PIECE;
		if (memcmp(old + at, m + at, n))
			src = sqlite3_blob_write(b, m + at, (int)n, (int)at);
	}
	if (b) {
		int c = sqlite3_blob_close(b);
		src = src == SQLITE_OK ? c : src;
	}
	return src == SQLITE_OK ? XY_OK : xy__sq_fail(s, src, "storing the latest grades", err);
}

/* Bring the map to run_id, the run just stored (see above). */
static xy_code map_update(xy_store *s, int64_t run_id, xy_error *err)
{
	sq_store *q = SQ(s);
	unsigned char *old = NULL, *m = NULL;
	size_t oldlen = 0, len, top = 0;
	int64_t before = 0, max;
	xy_code rc;
	if ((rc = run_before(s, run_id, &before, err)) || (rc = map_get(s, &old, &oldlen, err)))
		return rc;
	if (q->run_open != run_id || (old ? map_run(old) != before : before != 0)) {
		/* no base to lay this run over: from grades, this run's included */
		if ((rc = latest_walk(s, MAP_HEAD, &m, &len, &max, err)))
			goto done;
		if (!m && !(m = calloc(len = map_len(0), 1)))
			goto nomem;
		free(old);
		old = NULL; /* written whole */
	} else {
		for (top = q->run_grades_len; top && !q->run_grades[top - 1]; top--)
			;
		len = oldlen >= MAP_HEAD + top ? oldlen : map_len(top);
		if (!(m = calloc(len, 1)))
			goto nomem;
		if (old)
			memcpy(m, old, oldlen);
		for (size_t i = 0; i < top; i++)
			if (q->run_grades[i])
				m[MAP_HEAD + i] = q->run_grades[i];
		if (len != oldlen) {
			free(old);
			old = NULL;
		}
	}
	if (len > MAP_MAX) {
		rc = xy_error_set(err, XY_ERR_LIMIT, "the latest-grade map of %zu subjects is over %zu bytes",
				  len - MAP_HEAD, MAP_MAX);
		goto done;
	}
	map_set_run(m, run_id);
	rc = map_put(s, old, m, len, err);
	goto done;
nomem:
	rc = xy_error_set(err, XY_ERR_NOMEM, "out of memory");
done:
	free(old);
	free(m);
	return rc;
}

/* xy_store_check's part (sq_check): the map, when it is the newest run's,
 * gives every subject the grade grades give it. */
xy_code xy__sq_grade_map_check(xy_store *s, xy_buf *problems, xy_error *err)
{
	unsigned char *map = NULL, *walk = NULL;
	size_t mlen = 0, wlen = 0, nmap, bad = 0;
	int64_t last = 0, max = 0;
	xy_code rc;
	if ((rc = run_before(s, 0, &last, err)) || (rc = map_get(s, &map, &mlen, err)))
		return rc;
	if (!map || map_run(map) != last) { /* not read by anyone: nothing to agree */
		free(map);
		return XY_OK;
	}
	if ((rc = latest_walk(s, 0, &walk, &wlen, &max, err))) {
		free(map);
		return rc;
	}
	nmap = mlen - MAP_HEAD;
	for (size_t id = 1; !rc && (id < nmap || id < wlen); id++) {
		char m[2] = { id < nmap ? (char)map[MAP_HEAD + id] : 0, 0 };
		char w[2] = { id < wlen ? (char)walk[id] : 0, 0 };
		if (m[0] == w[0] || ++bad > 10)
			continue;
		if (xy_buf_addf(problems, "grade_latest: subject %zu has %s in the latest-grade map,"
				" %s in grades\n", id, m[0] ? m : "no grade", w[0] ? w : "no grade"))
			rc = xy_error_set(err, XY_ERR_NOMEM, "out of memory");
	}
	if (!rc && bad > 10 && xy_buf_addf(problems, "grade_latest: %zu more subjects differ\n", bad - 10))
		rc = xy_error_set(err, XY_ERR_NOMEM, "out of memory");
	free(map);
	free(walk);
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
	if (!(rc = step_done(s, st, "storing a grading run", err))) {
		*run_id = sqlite3_last_insert_rowid(xy__sq_db(s));
		SQ(s)->run_open = *run_id;
		if (SQ(s)->run_grades)
			memset(SQ(s)->run_grades, 0, SQ(s)->run_grades_len);
	}
	return rc;
}

static xy_code map_update(xy_store *s, int64_t run_id, xy_error *err);

static xy_code sq_run_done(xy_store *s, int64_t run_id, long subjects, xy_error *err)
{
	sqlite3_stmt *st = NULL;
	xy_code rc = prep(s, G_RUN_DONE, &st, err);
	if (rc)
		return rc;
	sq_bind_int64(SQ(s), st, 1, run_id);
	sq_bind_int64(SQ(s), st, 2, subjects);
	if ((rc = step_done(s, st, "finishing a grading run", err)))
		return rc;
	return map_update(s, run_id, err);
}

/* Note subject_id's grade in the open run for the map (s->run_grades). */
static xy_code run_note(sq_store *s, int64_t run_id, int64_t subject_id, const char *grade,
			xy_error *err)
{
	if (run_id != s->run_open) {
		s->run_open = 0; /* a run sq_run_insert did not open here: map_update rebuilds */
		return XY_OK;
	}
	if (subject_id <= 0 || subject_id >= UINT32_MAX)
		return xy_error_set(err, XY_ERR_LIMIT, "subject id %lld out of range",
				    (long long)subject_id);
	if ((size_t)subject_id >= s->run_grades_len) {
		size_t n = s->run_grades_len ? s->run_grades_len : MAP_SLACK;
		unsigned char *v;
		while (n <= (size_t)subject_id)
			n *= 2;
		if (!(v = realloc(s->run_grades, n)))
			return xy_error_set(err, XY_ERR_NOMEM, "out of memory");
		memset(v + s->run_grades_len, 0, n - s->run_grades_len);
		s->run_grades = v;
		s->run_grades_len = n;
	}
	s->run_grades[subject_id] = (unsigned char)grade[0];
	return XY_OK;
}

static xy_code sq_put(xy_store *s, int64_t run_id, int64_t subject_id, long score,
		      const char *grade, const char *items, xy_error *err)
{
	sqlite3_stmt *st = NULL;
	xy_code rc = prep(s, G_PUT, &st, err);
	if (rc || (rc = run_note(SQ(s), run_id, subject_id, grade, err)))
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

/* Each subject's latest grade: the last of its rows in (subject, run) order,
 * the code from the subjects walked in id order beside them — two walks in
 * step.  A GROUP BY subject with max(run_id) joined to subjects materialised
 * a million rows first: 1.1 s of CPU in the sqlite3 shell against 0.13 s for
 * the index walk and 0.15 s for the subjects (bench/RESULTS.md "Draws at
 * 1M"); the draw reads this once for every subject. */
static xy_code sq_latest(xy_store *s, xy_grade_cb cb, void *ctx, xy_error *err)
{
	sqlite3_stmt *g = NULL, *c = NULL;
	int gs, cs = SQLITE_DONE;
	xy_code rc;
	if ((rc = prep(s, G_LATEST, &g, err)) || (rc = prep(s, G_LATEST_CODES, &c, err)))
		return rc;
	if ((gs = sq_step(SQ(s), g)) == SQLITE_ROW)
		cs = sq_step(SQ(s), c);
	while (gs == SQLITE_ROW && cs == SQLITE_ROW) {
		int64_t id = sqlite3_column_int64(g, 0);
		xy_grade_row r = { 0 };
		r.grade[0] = xy__sq_col(g, 1)[0];
		while ((gs = sq_step(SQ(s), g)) == SQLITE_ROW && sqlite3_column_int64(g, 0) == id)
			r.grade[0] = xy__sq_col(g, 1)[0];
		while (cs == SQLITE_ROW && sqlite3_column_int64(c, 0) < id)
			cs = sq_step(SQ(s), c);
		if (cs != SQLITE_ROW || sqlite3_column_int64(c, 0) != id)
			continue;
		r.code = xy__sq_col(c, 1);
		r.name = r.items = r.model = r.sha256 = r.at = "";
		if (cb(ctx, &r))
			break;
	}
	rc = xy__sq_done(SQ(s), g, gs, XY_OK, "reading the latest grades", err);
	return xy__sq_done(SQ(s), c, cs, rc, "reading the subjects' codes", err);
}

/* xy_store_grades_latest_read without reading a subject row or decrypting a
 * code (the decryption of 100,000 personal numbers and the walk over the
 * subjects table were a third of a 1M draw, bench/RESULTS.md):
 * (1) every graded subject's latest grade in an array by subject id: the
 *     latest-grade map when it is the newest run's (one read of a byte per
 *     subject), else from grades (latest_walk);
 * (2) the UNIQUE index of subjects.code walked in order, each plain code
 *     into the set with its subject's grade — the index compares TEXT as
 *     memcmp, then length, which for codes (no NUL) is strcmp's order, so
 *     the set needs no sort — and its BLOBs, the keyed hashes of personal
 *     numbers (they sort after every TEXT), with theirs when graded; the
 *     set hashes a code no plain code matches as a subject lookup does. */
#define PENDING 16 /* a power of two */

/* Plain codes whose grade byte was asked for: the set's index and the byte. */
struct pending {
	size_t n;
	struct {
		size_t i;
		const unsigned char *at;
	} v[PENDING];
};

static void pend_one(struct pending *p, size_t k, struct xy_grades_set *set)
{
	if (p->v[k].at && *p->v[k].at)
		xy__grades_set_grade(set, p->v[k].i, (char)*p->v[k].at);
}

static void pend_push(struct pending *p, size_t i, const unsigned char *at,
		      struct xy_grades_set *set)
{
	size_t k = p->n++ & (PENDING - 1);
	if (p->n > PENDING)
		pend_one(p, k, set);
	p->v[k].i = i;
	p->v[k].at = at;
}

static void pend_drain(struct pending *p, struct xy_grades_set *set)
{
	for (size_t k = 0; k < PENDING && k < p->n; k++)
		pend_one(p, k, set);
	p->n = 0;
}

static xy_code sq_latest_read(xy_store *s, struct xy_grades_set *set, xy_error *err)
{
	struct pending pend = { 0 };
	size_t added = 0;
	sqlite3_stmt *st = NULL;
	unsigned char *map = NULL, *by_id;
	int64_t max = 0, last = 0;
	size_t mlen = 0;
	int src;
	xy_code rc;
	if ((rc = run_before(s, 0, &last, err)) || (rc = map_get(s, &map, &mlen, err)))
		return rc;
	if (map && map_run(map) == last) {
		by_id = map + MAP_HEAD;
		max = (int64_t)(mlen - MAP_HEAD) - 1;
	} else {
		free(map);
		if ((rc = latest_walk(s, 0, &map, &mlen, &max, err)))
			return rc;
		by_id = map;
	}
	if (max <= 0) {
		free(map);
		return XY_OK; /* nothing graded: an empty set */
	}
	xy__grades_set_key(set, &xy__sq_pii(s)->cur);
	/* about as many subjects as the highest graded id, ~20 bytes a code:
	 * growing a 20 MB buffer by doubling copied it over and over */
	xy__grades_set_reserve(set, (size_t)max + 1, ((size_t)max + 1) * 20);
	if ((rc = prep(s, G_CODE_ORDER, &st, err))) {
		free(map);
		return rc;
	}
	/* The ids come in code order, so each plain code's grade byte is a
	 * cache miss (a ninth of a 1M draw's CPU, the walk's largest part):
	 * it is asked for as the code is added and read PENDING codes later. */
	while ((src = sq_step(SQ(s), st)) == SQLITE_ROW) {
		int64_t id = sqlite3_column_int64(st, 1);
		const unsigned char *at = id > 0 && id <= max ? &by_id[id] : NULL;
		if (sqlite3_column_type(st, 0) == SQLITE_TEXT) {
			const char *code = (const char *)sqlite3_column_text(st, 0);
			if (!code) {
				rc = xy_error_set(err, XY_ERR_NOMEM, "out of memory");
				break;
			}
			if ((rc = xy__grades_set_code(set, code, (size_t)sqlite3_column_bytes(st, 0), 0,
						      err)))
				break;
			if (at)
				__builtin_prefetch(at);
			pend_push(&pend, added++, at, set);
		} else if (at && *at && sqlite3_column_type(st, 0) == SQLITE_BLOB &&
			   sqlite3_column_bytes(st, 0) == XY__PII_HASH_BYTES) {
			if ((rc = xy__grades_set_hashed(set, sqlite3_column_blob(st, 0), (char)*at, err)))
				break;
		}
	}
	pend_drain(&pend, set);
	rc = xy__sq_done(SQ(s), st, src, rc, "reading the subjects' codes", err);
	free(map);
	return rc;
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
	.latest_read = sq_latest_read,
	.runs = sq_runs,
	.counts = sq_counts,
};
