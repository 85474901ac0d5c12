/* xinyong: what the SQLite backend's files share.  sqlite.c holds the
 * handle, the schema and the migrations, transactions and bulk mode; every
 * other sqlite_*.c file one domain, with its SQL next to the code that binds
 * it and its own statement slot range below (docs/ARCHITECTURE.md, "store").
 * Internal to lib/store. */
#ifndef XY_STORE_SQLITE_INT_H
#define XY_STORE_SQLITE_INT_H

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sodium.h>
#include <sqlite3.h>

#include "backend.h"

/* Statement slots a handle keeps, each file its own range:
 * sqlite_auth.c [0, 32), sqlite_public.c [32, 40), sqlite_unit.c [40, 56),
 * sqlite_report.c [56, 64), sqlite_apps.c [64, 72), sqlite_units.c [72, 80),
 * sqlite_grade.c [80, 112), sqlite_inspect.c [112, 128);
 * sqlite.c [128, 144), sqlite_registry.c [144, 176), sqlite_subjects.c [176, 200),
 * sqlite_records.c [200, 232), sqlite_lists.c [232, 272), sqlite_cases.c [272, 288),
 * sqlite_commitments.c [288, 312), sqlite_intake.c [312, 328).
 * sqlite_quality.c prepares its few statements per call.  A new file takes a
 * new range; ranges are never renumbered. */
#define XY__SQ_EXTRA 328
#define XY__SQ_PUBLIC 32
#define XY__SQ_UNIT 40
#define XY__SQ_REPORT 56
#define XY__SQ_APPS 64
#define XY__SQ_UNITS 72
#define XY__SQ_GRADE 80
#define XY__SQ_INSPECT 112
#define XY__SQ_CORE 128
#define XY__SQ_REGISTRY 144
#define XY__SQ_SUBJECTS 176
#define XY__SQ_RECORDS 200
#define XY__SQ_LISTS 232
#define XY__SQ_CASES 272
#define XY__SQ_COMMITMENTS 288
#define XY__SQ_INTAKE 312

sqlite3 *xy__sq_db(xy_store *s);
/* Wrap the SQLite error rc into err (as the backend does everywhere). */
xy_code xy__sq_fail(xy_store *s, int rc, const char *what, xy_error *err);
/* The statement of `slot`, prepared from sql the first time (persistent),
 * ready for binding; callers reset it after use. */
xy_code xy__sq_prep(xy_store *s, unsigned slot, const char *sql, sqlite3_stmt **out,
		    xy_error *err);

/* A text column, "" for NULL (valid until the next step or reset). */
static inline const char *xy__sq_col(sqlite3_stmt *st, int i)
{
	const unsigned char *t = sqlite3_column_text(st, i);
	return t ? (const char *)t : "";
}

extern const struct xy__store_auth_ops xy__sqlite_auth_ops;
extern const struct xy__store_public_ops xy__sqlite_public_ops;
extern const struct xy__store_unit_ops xy__sqlite_unit_ops;
extern const struct xy__store_report_ops xy__sqlite_report_ops;
extern const struct xy__store_apps_ops xy__sqlite_apps_ops;
extern const struct xy__store_units_ops xy__sqlite_units_ops;
extern const struct xy__store_grade_ops xy__sqlite_grade_ops;
extern const struct xy__store_inspect_ops xy__sqlite_inspect_ops;
extern const struct xy__store_raw_ops xy__sqlite_raw_ops; /* sqlite_raw.c */
/* The former names of reg's units (loaded already) into their aliases. */
xy_code xy__sq_unit_aliases_load(xy_store *s, xy_registry *reg, xy_error *err);

/* Personal ID numbers at rest (sqlite_pii.c, pii.h). */
/* A subject's code as domain code sees it, for every statement of the
 * backend's files (the rules at the top of sqlite.c): subjects.code holds the
 * keyed hash of a personal number and code_enc the number encrypted. */
#define SCODE(a) "coalesce(xy_dec(" #a ".code_enc), " #a ".code)"
struct xy__pii;
/* The keys for the database at dbpath (path as opened), checked against
 * the key id it records: *out is the caller's (xy__sq_pii_free). */
xy_code xy__sq_pii_open(xy_store *s, const char *dbpath, struct xy__pii **out, xy_error *err);
/* Bind the SQL functions (xy_enc, xy_dec, xy_lk …) of p to the connection. */
xy_code xy__sq_pii_register(xy_store *s, struct xy__pii *p, xy_error *err);
void xy__sq_pii_free(struct xy__pii *p);
/* The handle's keys (never NULL on an open handle). */
struct xy__pii *xy__sq_pii(xy_store *s);
/* Rotate the key (xy_store_rekey). */
xy_code xy__sq_rekey(xy_store *s, struct xy__pii *p, xy_rekey_fn progress, void *ctx,
		     xy_error *err);

/* ---- the handle and the helpers of the files split from sqlite.c ---- */

struct xy__pii;

/* Subject cache: a set-associative table from code to id, so the subjects of
 * a large import are looked up in SQL once.  Memory is fixed whatever the
 * input size.  A slot keeps a keyed 64-bit hash (SipHash, random key per
 * handle) of the code instead of the code, so a slot is 16 bytes and 2^19
 * slots (8 MiB) cover the ~200k subjects of a 1M-row file at a load of 0.4
 * (2^16 slots of 56 bytes thrashed: measured, 300k rows / 60k subjects, 15%
 * less CPU for the whole import once they did not).  Two codes share a hash
 * with probability 2^-64 per lookup, and without the key nobody can make
 * them.  A slot also remembers a 32-bit hash of the other columns so a
 * changed name still reaches SQL (a change goes unnoticed with probability
 * 2^-32); ids that do not fit 32 bits are not cached.
 *
 * A code may sit in any of the SUBJ_WAYS slots of its set (two cache lines);
 * a full set loses a slot picked by the hash.  Direct-mapped (one way), 200k
 * subjects in 2^18 slots collided for about half of them: a 1M-row import
 * then missed the cache 208k times, and each miss read a random page of the
 * subjects table back from the WAL (strace: 208k of the 240k page reads of
 * the transaction; bench/RESULTS.md, third pass). */
#define SUBJ_SLOTS (1u << 19) /* power of two */
#define SUBJ_WAYS 8u          /* power of two, divides SUBJ_SLOTS */

struct subj_slot {
	uint64_t code;
	uint32_t id; /* 0: empty */
	uint32_t content;
};

typedef struct sq_store {
	struct xy_store base;
	sqlite3 *db;
	unsigned busy_slept;     /* ms slept in the current wait (busy_wait) */
	sqlite3_stmt *extra[XY__SQ_EXTRA]; /* every statement, by slot (xy__sq_prep) */
	struct subj_slot *cache; /* allocated on first subject upsert */
	unsigned char cache_key[crypto_shorthash_KEYBYTES];
	size_t cache_used;
	int version;
	int64_t data_version;
	bool bulk;
	bool excl; /* this bulk transaction runs with a rollback journal (excl_begin) */
	/* Bulk transaction: subjects with id >= fts_from were inserted in it and
	 * their names are not in subjects_fts yet (0: none pending).  Flushed by
	 * one INSERT … SELECT before COMMIT, before a subject search and before a
	 * subject update (the update trigger deletes the old name from the
	 * index, which must be there). */
	int64_t fts_from;
	/* Bulk transaction: records upserted so far, and our own read-only
	 * descriptor of the WAL (the database in an exclusive bulk load) to
	 * start its write-back early (wal_writeback);
	 * -1 when not open. */
	long bulk_rows;
	int wal_fd;
	int cache_size; /* cache_size and temp_store to restore after a bulk tx */
	int temp_store;
	int depth; /* nested xy_store_begin calls open inside the transaction (savepoints) */
	struct xy__pii *pii; /* the keys of personal values (sqlite_pii.c) */
	bool read_tx; /* xy_store_read_begin opened the transaction */
	/* The grading run being stored: each subject sq_put gave a grade in run
	 * run_open, its letter at run_grades[id] (0: none), merged into the
	 * grade_latest map by sq_run_done (sqlite_grade.c); reset by
	 * sq_run_insert. */
	int64_t run_open;
	unsigned char *run_grades;
	size_t run_grades_len;
	int bind_rc;            /* the first failed bind since the last step (sq_bound) */
	sqlite3_stmt *bind_st;  /* … of this statement */
} sq_store;

static inline sq_store *SQ(xy_store *s)
{
	return (sq_store *)s;
}

/* Wrap the SQLite error rc (just returned by s->db) into err. */
static inline xy_code sq_fail(sq_store *s, int rc, const char *what, xy_error *err)
{
	return xy__sq_fail(&s->base, rc, what, err);
}

/* ---- binding and stepping, every result checked ----
 *
 * A bind can fail (SQLITE_NOMEM, SQLITE_TOOBIG, SQLITE_RANGE) and would leave
 * its parameter NULL.  Every bind goes through sq_bound, which keeps the
 * first failure on the handle; the statement's next sq_step answers that
 * error instead of running without the value, so the caller's usual error
 * path reports it. */
static inline int sq_bound(sq_store *s, sqlite3_stmt *st, int rc)
{
	if (rc != SQLITE_OK && !s->bind_rc) {
		s->bind_rc = rc;
		s->bind_st = st;
	}
	return rc;
}

/* sqlite3_step, or the failure of a bind of st since its last step. */
static inline int sq_step(sq_store *s, sqlite3_stmt *st)
{
	if (s->bind_rc) {
		int rc = s->bind_rc;
		bool mine = s->bind_st == st;
		s->bind_rc = 0;
		s->bind_st = NULL;
		if (mine)
			return rc;
	}
	return sqlite3_step(st);
}

static inline int sq_bind_int64(sq_store *s, sqlite3_stmt *st, int i, int64_t v)
{
	return sq_bound(s, st, sqlite3_bind_int64(st, i, v));
}

static inline int sq_bind_int(sq_store *s, sqlite3_stmt *st, int i, int v)
{
	return sq_bound(s, st, sqlite3_bind_int(st, i, v));
}

static inline int sq_bind_double(sq_store *s, sqlite3_stmt *st, int i, double v)
{
	return sq_bound(s, st, sqlite3_bind_double(st, i, v));
}

static inline int sq_bind_null(sq_store *s, sqlite3_stmt *st, int i)
{
	return sq_bound(s, st, sqlite3_bind_null(st, i));
}

/* sqlite3_bind_text with its destructor argument (SQLITE_STATIC, SQLITE_TRANSIENT) */
static inline int sq_bind_text_d(sq_store *s, sqlite3_stmt *st, int i, const char *v, int n,
				 void (*destructor)(void *))
{
	return sq_bound(s, st, sqlite3_bind_text(st, i, v, n, destructor));
}

/* v[0, n) borrowed until the statement is reset; NULL binds NULL */
static inline int sq_bind_text(sq_store *s, sqlite3_stmt *st, int i, const char *v, size_t n)
{
	if (!v)
		return sq_bind_null(s, st, i);
	return sq_bound(s, st, sqlite3_bind_text64(st, i, v, n, SQLITE_STATIC, SQLITE_UTF8));
}

static inline int sq_bind_str(sq_store *s, sqlite3_stmt *st, int i, const char *v)
{
	return sq_bind_text(s, st, i, v, v ? strlen(v) : 0);
}

/* v[0, n) as a BLOB, borrowed until the statement is reset */
static inline int sq_bind_blob(sq_store *s, sqlite3_stmt *st, int i, const void *v, size_t n)
{
	return sq_bound(s, st, sqlite3_bind_blob64(st, i, v, n, SQLITE_STATIC));
}

/* NULL and "" both become '' (a text a row struct may leave NULL) */
static inline int sq_bind_txt(sq_store *s, sqlite3_stmt *st, int i, const char *v)
{
	return sq_bind_text(s, st, i, v ? v : "", v ? strlen(v) : 0);
}

/* NULL and "" both become SQL NULL */
static inline int sq_bind_opt(sq_store *s, sqlite3_stmt *st, int i, const char *v)
{
	return sq_bind_str(s, st, i, v && *v ? v : NULL);
}

/* 0 binds NULL */
static inline int sq_bind_id(sq_store *s, sqlite3_stmt *st, int i, int64_t id)
{
	return id ? sq_bind_int64(s, st, i, id) : sq_bind_null(s, st, i);
}

/* Step a statement expected to return no row and reset it. */
static inline xy_code sq_run(sq_store *s, sqlite3_stmt *st, const char *what, xy_error *err)
{
	int rc = sq_step(s, st);
	xy_code code = XY_OK;
	if (rc != SQLITE_DONE && rc != SQLITE_ROW)
		code = xy__sq_fail(&s->base, rc, what, err);
	sqlite3_reset(st);
	return code;
}

/* The end of every row loop:
 *	while ((src = sq_step(s, st)) == SQLITE_ROW) { …; if (cb(ctx, &row)) break; }
 *	rc = xy__sq_done(s, st, src, rc, "reading …", err);
 * resets st and answers the step's error wrapped as `what` when src is one
 * (neither SQLITE_ROW, a stop, nor SQLITE_DONE), else rc, the loop's own. */
xy_code xy__sq_done(sq_store *s, sqlite3_stmt *st, int src, xy_code rc, const char *what,
		    xy_error *err);

/* The row loop: step the bound st until SQLITE_DONE, handing each row to
 * row(st, cb, ctx) (cb: the caller's typed callback, which row calls; a
 * non-zero answer stops the walk), then reset st.  A step error comes back
 * wrapped as `what`; *rows (NULL: not wanted) counts the rows handed over.
 * The row's values live until row returns. */
typedef int (*xy__sq_row_fn)(sqlite3_stmt *st, void *cb, void *ctx);
xy_code xy__sq_each(xy_store *base, sqlite3_stmt *st, xy__sq_row_fn row, void *cb, void *ctx,
		    const char *what, long *rows, xy_error *err);

/* Step a bound statement that answers one integer row into *out, then reset. */
static inline xy_code xy__sq_one_int64(xy_store *base, sqlite3_stmt *st, const char *what,
				       int64_t *out, xy_error *err)
{
	int src = sq_step(SQ(base), st);
	xy_code rc = XY_OK;
	if (src == SQLITE_ROW)
		*out = sqlite3_column_int64(st, 0);
	else
		rc = xy__sq_fail(base, src, what, err);
	sqlite3_reset(st);
	return rc;
}

static inline const char *sq_col_str(sqlite3_stmt *st, int i)
{
	const unsigned char *t = sqlite3_column_text(st, i);
	return t ? (const char *)t : "";
}

/* Copy column i into dst[n], cutting at a UTF-8 character boundary. */
static inline void sq_col_copy(sqlite3_stmt *st, int i, char *dst, size_t n)
{
	const char *t = (const char *)sqlite3_column_text(st, i);
	size_t len = t ? (size_t)sqlite3_column_bytes(st, i) : 0;
	if (len >= n) {
		len = n - 1;
		while (len && ((unsigned char)t[len] & 0xc0) == 0x80)
			len--;
	}
	if (len)
		memcpy(dst, t, len);
	dst[len] = '\0';
}

static inline char *sq_col_dup(sqlite3_stmt *st, int i)
{
	const char *t = (const char *)sqlite3_column_text(st, i);
	size_t len = t ? (size_t)sqlite3_column_bytes(st, i) : 0;
	char *p = malloc(len + 1);
	if (p) {
		if (len)
			memcpy(p, t, len);
		p[len] = '\0';
	}
	return p;
}

/* A row filled from the current row of a statement owns its strings before
 * the statement moves on (store.h, "Ownership"). */
#define OWN(T, row, rc) \
	do { \
		if (!(rc) && T##_copy((row), (row))) \
			(rc) = xy_error_set(err, XY_ERR_NOMEM, "out of memory"); \
	} while (0)

static inline void sq_now_iso(char out[32])
{
	time_t t = time(NULL);
	struct tm tm;
	gmtime_r(&t, &tm);
	strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

static inline bool sq_col_eq(sqlite3_stmt *st, int i, const char *v)
{
	const char *t = (const char *)sqlite3_column_text(st, i);
	size_t n = strlen(v);
	if (!t)
		return n == 0;
	return (size_t)sqlite3_column_bytes(st, i) == n && !memcmp(t, v, n);
}


static inline const char *sq_col_or_null(sqlite3_stmt *st, int i)
{
	return (const char *)sqlite3_column_text(st, i);
}

/* A row filled from the current row of a statement owns its strings before
 * the statement moves on (store.h, "Ownership"). */
#define OWN(T, row, rc) \
	do { \
		if (!(rc) && T##_copy((row), (row))) \
			(rc) = xy_error_set(err, XY_ERR_NOMEM, "out of memory"); \
	} while (0)

/* sqlite.c: run sql (no values: pragmas, BEGIN) with sqlite3_exec. */
xy_code xy__sq_exec(sq_store *s, const char *sql, const char *what, xy_error *err);
/* sqlite.c: run fn inside a transaction of its own unless the caller has one. */
xy_code xy__sq_in_tx(sq_store *s, xy_code (*fn)(sq_store *, void *, xy_error *), void *arg,
		     xy_error *err);
/* sqlite.c: forget the cached subjects (after a rollback or another
 * connection's commit); xy__sq_cache_check does the latter when needed. */
void xy__sq_cache_clear(sq_store *s);
void xy__sq_cache_check(sq_store *s);
/* sqlite.c: start the write-back of a bulk transaction's WAL every
 * WRITEBACK_ROWS records (sqlite.c says why). */
#define WRITEBACK_ROWS 4096
void xy__sq_wal_writeback(sq_store *s);
/* sqlite_subjects.c: index the names of the subjects this bulk transaction
 * inserted (sq_store.fts_from). */
xy_code xy__sq_fts_flush(sq_store *s, xy_error *err);
/* xy_store_check's test of the latest-grade map against grades (sqlite_grade.c) */
xy_code xy__sq_grade_map_check(xy_store *s, xy_buf *problems, xy_error *err);
/* sqlite_records.c: the first two integer columns of st's row for a record
 * key (unit ?1, category ?2, key ?3); XY_ERR_NOTFOUND, err untouched, if none. */
xy_code xy__sq_record_key_row(sq_store *s, sqlite3_stmt *st, int64_t unit_id,
			      int64_t category_id, const char *key, int64_t out[2],
			      const char *what, xy_error *err);

/* The store operations of the files split from sqlite.c (struct xy__store_ops). */
/* sqlite_registry.c */
xy_code xy__sq_save_registry(xy_store *base, xy_registry *reg, xy_error *err);
xy_code xy__sq_load_registry(xy_store *base, xy_registry *reg, xy_error *err);
xy_code xy__sq_memorandum_add(xy_store *base, const char *doc, const char *file,
				 const char *text, xy_error *err);
xy_code xy__sq_memorandum_replace(xy_store *base, const char *doc, const char *file,
				     const char *text, xy_error *err);
xy_code xy__sq_memoranda(xy_store *base, xy_memo_cb cb, void *ctx, xy_error *err);

/* sqlite_subjects.c */
xy_code xy__sq_subject_upsert(xy_store *base, xy_subject *subj, xy_error *err);
xy_code xy__sq_subject_by_code(xy_store *base, const char *code, xy_subject *out,
				  xy_error *err);

xy_code xy__sq_subject_find(xy_store *base, const char *q, size_t qlen, size_t limit,
			       xy_subject **out, size_t *n, xy_error *err);
xy_code xy__sq_subject_search(xy_store *base, const char *q, size_t qlen, int64_t after,
				 size_t limit, bool no_persons, xy_subject **out, size_t *n,
				 xy_error *err);
xy_code xy__sq_subject_by_code(xy_store *base, const char *code, xy_subject *out,
				  xy_error *err);

/* sqlite_records.c */
xy_code xy__sq_batch_insert(xy_store *base, xy_batch *b, xy_error *err);
xy_code xy__sq_batch_update(xy_store *base, const xy_batch *b, xy_error *err);
xy_code xy__sq_batches(xy_store *base, size_t limit, xy_batch **out, size_t *n,
			  xy_error *err);
xy_code xy__sq_batch_get(xy_store *base, int64_t id, xy_batch *out, xy_error *err);
xy_code xy__sq_batch_error_add(xy_store *base, const xy_batch_error *e, xy_error *err);
xy_code xy__sq_batch_errors(xy_store *base, int64_t batch_id, xy_batch_error_cb cb,
			       void *ctx, xy_error *err);
xy_code xy__sq_record_upsert(xy_store *base, const xy_record_in *r,
				xy_upsert_result *res, xy_error *err);
xy_code xy__sq_subject_records(xy_store *base, int64_t subject_id, xy_record_cb cb,
				  void *ctx, xy_error *err);
xy_code xy__sq_record_count(xy_store *base, int64_t batch_id, long *n, xy_error *err);
xy_code xy__sq_index_put(xy_store *base, const xy_city_index *v, xy_error *err);
xy_code xy__sq_index_list(xy_store *base, xy_city_index **out, size_t *n, xy_error *err);
xy_code xy__sq_record_get(xy_store *base, int64_t id, xy_record_row *out, xy_buf *data,
			     xy_error *err);
xy_code xy__sq_batch_records(xy_store *base, int64_t unit_id, int64_t category_id,
				int64_t batch_id, xy_batch_record_cb cb, void *ctx, xy_error *err);
xy_code xy__sq_record_find(xy_store *base, int64_t unit_id, int64_t category_id,
			      const char *key, int64_t *id, int64_t *subject_id, xy_error *err);

/* sqlite_lists.c */
xy_code xy__sq_list_type_ensure(xy_store *base, const xy_list_type *lt, xy_error *err);
xy_code xy__sq_entry_insert(xy_store *base, xy_entry_row *e, xy_error *err);
xy_code xy__sq_entry_history_add(xy_store *base, int64_t entry_id, const char *action,
				 const char *detail, xy_error *err);
xy_code xy__sq_entry_person_add(xy_store *base, int64_t entry_id, int64_t person_id,
				   const char *role, xy_error *err);
xy_code xy__sq_entry_get(xy_store *base, int64_t id, xy_entry_row *out, xy_error *err);
xy_code xy__sq_entry_exit(xy_store *base, int64_t id, const char *how, const char *date,
			     const char *detail, xy_error *err);
xy_code xy__sq_entry_codes_on(xy_store *base, const char *kind, const char *date,
			      xy_subject_code_cb cb, void *ctx, xy_error *err);
xy_code xy__sq_entries(xy_store *base, const char *list_type, int64_t after, xy_entry_cb cb,
			  void *ctx, xy_error *err);
xy_code xy__sq_subject_entries(xy_store *base, int64_t subject_id, xy_entry_cb cb, void *ctx,
				  xy_error *err);
xy_code xy__sq_entry_persons(xy_store *base, int64_t entry_id, xy_entry_person_cb cb,
				void *ctx, xy_error *err);
xy_code xy__sq_entry_history(xy_store *base, int64_t entry_id, xy_entry_event_cb cb,
				void *ctx, xy_error *err);
xy_code xy__sq_check_insert(xy_store *base, xy_check_row *c, const char *answer,
			       xy_error *err);
xy_code xy__sq_check_get(xy_store *base, int64_t id, xy_check_row *out, xy_buf *answer,
			    xy_error *err);
xy_code xy__sq_feedback_insert(xy_store *base, const xy_feedback_row *f, xy_error *err);
xy_code xy__sq_feedback_count(xy_store *base, int64_t check_id, long *n, xy_error *err);
xy_code xy__sq_watch_add(xy_store *base, int64_t unit_id, int64_t subject_id, xy_error *err);
xy_code xy__sq_notify(xy_store *base, int64_t subject_id, int64_t entry_id, long *n,
			 xy_error *err);
xy_code xy__sq_notices(xy_store *base, int64_t unit_id, xy_notice_cb cb, void *ctx,
			  xy_error *err);
xy_code xy__sq_listed_subjects(xy_store *base, xy_id_cb cb, void *ctx, xy_error *err);
xy_code xy__sq_list_records(xy_store *base, int64_t unit_id, int64_t category_id,
			       xy_list_record_cb cb, void *ctx, xy_error *err);
xy_code xy__sq_list_record_link(xy_store *base, const xy_list_record *r, xy_error *err);
xy_code xy__sq_list_record_entry(xy_store *base, int64_t unit_id, int64_t category_id,
				    const char *key, int64_t *entry_id, xy_error *err);
xy_code xy__sq_entry_find(xy_store *base, const char *list_type, int64_t subject_id,
			     const char *doc, xy_entry_row *out, xy_error *err);
xy_code xy__sq_entry_update(xy_store *base, const xy_entry_row *e, const char *detail,
			       xy_error *err);

/* sqlite_cases.c */
xy_code xy__sq_case_insert(xy_store *base, xy_case_row *c, xy_error *err);
xy_code xy__sq_case_get(xy_store *base, int64_t id, xy_case_row *out, xy_error *err);
xy_code xy__sq_case_step(xy_store *base, int64_t id, const char *from, const char *to,
			    const char *on, xy_error *err);
xy_code xy__sq_cases(xy_store *base, const char *kind, int64_t record_id, xy_case_cb cb,
			void *ctx, xy_error *err);
xy_code xy__sq_case_event_add(xy_store *base, int64_t case_id, const xy_case_event *ev,
				 xy_error *err);
xy_code xy__sq_case_events(xy_store *base, int64_t case_id, xy_case_event_cb cb, void *ctx,
			      xy_error *err);
xy_code xy__sq_interview_insert(xy_store *base, xy_interview_row *r, xy_error *err);
xy_code xy__sq_interviews(xy_store *base, int64_t subject_id, xy_interview_cb cb, void *ctx,
			     xy_error *err);

/* sqlite_commitments.c */
xy_code xy__sq_commitment_insert(xy_store *base, xy_commitment_row *c, xy_error *err);
xy_code xy__sq_commitment_number(xy_store *base, int64_t id, const char *no, xy_error *err);
xy_code xy__sq_commitment_get(xy_store *base, int64_t id, xy_commitment_row *out,
				 xy_error *err);
xy_code xy__sq_commitments(xy_store *base, int64_t unit_id, int64_t subject_id,
			      xy_commitment_cb cb, void *ctx, xy_error *err);
xy_code xy__sq_commitment_check_add(xy_store *base, const xy_commitment_check *v,
				       xy_error *err);
xy_code xy__sq_commitment_checks(xy_store *base, int64_t commitment_id,
				    xy_commitment_check_cb cb, void *ctx, xy_error *err);
xy_code xy__sq_gov_dishonesty_insert(xy_store *base, xy_gov_dishonesty_row *g, xy_error *err);
xy_code xy__sq_gov_dishonesty_get(xy_store *base, int64_t id, xy_gov_dishonesty_row *out, xy_error *err);
xy_code xy__sq_gov_dishonesties(xy_store *base, int64_t unit_id, int64_t body_id,
				   xy_gov_dishonesty_cb cb, void *ctx, xy_error *err);
xy_code xy__sq_gov_dishonesty_status_add(xy_store *base, int64_t id, const char *status,
				     const char *on, const char *evidence, xy_error *err);
xy_code xy__sq_gov_dishonesty_history(xy_store *base, int64_t id, xy_gov_dishonesty_event_cb cb,
				  void *ctx, xy_error *err);

/* sqlite_intake.c */
xy_code xy__sq_mapping_put(xy_store *base, const xy_mapping *m, bool *replaced,
			      xy_error *err);
xy_code xy__sq_mapping_remove(xy_store *base, int64_t unit_id, int64_t category_id,
				 const char *header, xy_error *err);
xy_code xy__sq_mappings(xy_store *base, int64_t unit_id, int64_t category_id,
			   xy_mapping_cb cb, void *ctx, xy_error *err);
xy_code xy__sq_batch_sheet_add(xy_store *base, const xy_batch_sheet *sh, xy_error *err);
xy_code xy__sq_batch_sheets(xy_store *base, int64_t batch_id, xy_batch_sheet_cb cb,
			       void *ctx, xy_error *err);
xy_code xy__sq_batch_column_add(xy_store *base, const xy_batch_column *c, xy_error *err);
xy_code xy__sq_batch_columns(xy_store *base, int64_t batch_id, xy_batch_column_cb cb,
				void *ctx, xy_error *err);

/* sqlite_quality.c */
xy_code xy__sq_quality_records(xy_store *base, const char *from, const char *to,
				  int64_t unit_id, const int64_t *data_categories, size_t ndata,
				  xy_quality_record_cb cb, void *ctx, xy_error *err);
xy_code xy__sq_quality_batches(xy_store *base, const char *from, const char *to,
				  int64_t unit_id, xy_quality_batches_cb cb, void *ctx,
				  xy_error *err);
xy_code xy__sq_quality_reasons(xy_store *base, const char *from, const char *to,
				  int64_t unit_id, xy_reason_count_cb cb, void *ctx,
				  xy_error *err);
xy_code xy__sq_quality_columns(xy_store *base, const char *from, const char *to,
				  int64_t unit_id, xy_column_seen_cb cb, void *ctx,
				  xy_error *err);

#endif
