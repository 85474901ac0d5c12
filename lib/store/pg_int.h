/* xinyong: what the PostgreSQL backend's files share.  pg.c holds the
 * connection, the schema and its migration, transactions, the statement and
 * parameter helpers and personal ID numbers; every other pg_*.c file one
 * domain, as the SQLite backend divides (sqlite_int.h).  Internal to lib/store. */
#ifndef XY_STORE_PG_INT_H
#define XY_STORE_PG_INT_H

#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <libpq-fe.h>
#include <sodium.h>

#include "xinyong/buf.h"
#include "xinyong/registry.h"
#include "xinyong/sanctions.h"
#include "xinyong/store.h"
#include "backend.h"
#include "pii.h"

/* ---- the handle ---- */

typedef struct pg_store {
	struct xy_store base;
	PGconn *conn;
	int version;
	int depth;    /* savepoints inside the outer transaction */
	bool read_tx; /* read_begin opened the transaction */
	bool read_pending; /* ... and its BEGIN is still to be sent (pg_read_begin) */
	bool subjects_locked; /* this transaction holds PG_LOCK_SUBJECTS (pg_subjects.c) */
	bool standby; /* a hot standby (pg_is_in_recovery): read only, no migration */
	bool staged;  /* this transaction has the bulk load's staging tables (pg_load.c) */
	unsigned stage_used; /* ... and which hold rows: PG_STAGE_S | PG_STAGE_R | PG_STAGE_N */
	bool records_remote; /* with them: records has a foreign partition (postgres_fdw) */
	xy__pii pii;
	struct pg_stmt *stmts; /* statements prepared by their text (pg_stmt.c), owned */
	size_t nstmts;         /* entries of stmts used */
	unsigned stmt_numbers; /* the last "xs<n>" name given */
	bool stmts_stale;      /* prepared ones forgotten in a transaction: DEALLOCATE ALL when idle */
	struct pg_load *load; /* a COPY of xy__pg_raw_ops in progress (pg_raw.c) */
	xy_buf grades; /* a run's grades not yet sent: COPY text rows (pg_supervision.c) */
	struct pg_settled *settled; /* subjects the bulk load knows as stored (pg_load.c), owned */
} pg_store;

/* the bulk load's staging tables (pg_load.c), as bits of stage_used */
#define PG_STAGE_S 1u /* xy_stage_s: a chunk's subjects */
#define PG_STAGE_R 2u /* xy_stage_r: its updated records */
#define PG_STAGE_N 4u /* xy_stage_n: its new records, when records has a foreign partition */

/* records' hash partitions (schema version 21, pg.c): records_h0 …
 * records_h{PG_RECORD_PARTS - 1}, by subject_id */
#define PG_RECORD_PARTS 8
#define PG_STR_(x) #x
#define PG_STR(x) PG_STR_(x)

/* The record a row k of record_keys names, as a LATERAL subquery "r": the
 * subject and the id both given, so the planner prunes to the one partition
 * holding it (a subject-less record: the NULL partition, records_h0). */
#define PG_REC_OF(k)                                                                 \
	"LATERAL (SELECT * FROM records r WHERE r.subject_id = " k ".subject_id"      \
	" AND r.id = " k ".record_id UNION ALL SELECT * FROM records r"               \
	" WHERE " k ".subject_id IS NULL AND r.subject_id IS NULL AND r.id = " k      \
	".record_id) r"

/* The last batch that contained record r (record_keys, schema 24) */
#define PG_LAST_BATCH(r) "(SELECT k.last_batch FROM record_keys k WHERE k.record_id = " r ".id)"

/* The backend's own tables, which no other backend has: kept out of the
 * table counts (xy_store_table_rows) and of a copy between backends
 * (pg_raw.c derives record_keys from records and subject_keys from
 * subjects instead). */
#define PG_RAW_OWN "('xy_schema', 'record_keys', 'subject_keys')"

/* A change of subject: the rows of records WHERE where (r) deleted and
 * inserted again with the same id, key and first batch and the new values of
 * the relation m(id, subject_id, decided_on, data, digest) (a CTE the
 * statement starts with, followed by ", "), data_batch = batch, and
 * record_keys told the new subject, digest and last_batch = batch.  Not an
 * UPDATE of subject_id: PostgreSQL
 * would move the row between partitions itself, but postgres_fdw cannot move
 * a row into a foreign partition that is also a target of the same UPDATE,
 * and Citus never updates a distribution column. */
#define PG_REC_MOVE(where, batch)                                                       \
	"d AS (DELETE FROM records r WHERE " where " RETURNING r.id, r.unit_id,"         \
	" r.category_id, r.key, r.first_batch), i AS (INSERT INTO records(id, unit_id,"  \
	" category_id, key, subject_id, decided_on, first_batch, data_batch, data)"      \
	" SELECT d.id, d.unit_id, d.category_id, d.key, m.subject_id, m.decided_on,"     \
	" d.first_batch, " batch ", m.data FROM d JOIN m ON m.id = d.id"                 \
	" RETURNING id, subject_id) UPDATE record_keys k SET subject_id = i.subject_id," \
	" last_batch = " batch ", digest = m.digest FROM i JOIN m ON m.id = i.id"        \
	" WHERE k.record_id = i.id"

static inline pg_store *PG(xy_store *s)
{
	return (pg_store *)s;
}

/* Bound parameters of one statement: text (or bytea, binary), NULL allowed.
 * Numbers are formatted into num[]; strings are borrowed. */
#define PG_MAXARGS 20
typedef struct pq_args {
	const char *v[PG_MAXARGS];
	int len[PG_MAXARGS];
	int fmt[PG_MAXARGS];
	char num[PG_MAXARGS][24];
	int n;
} pq_args;

static inline void a_txt(pq_args *a, const char *v, size_t n)
{
	a->v[a->n] = v;
	a->len[a->n] = (int)n;
	a->fmt[a->n] = 0;
	a->n++;
}

/* NULL as SQL NULL, as SQLite's sq_bind_str */
static inline void a_str(pq_args *a, const char *v)
{
	a_txt(a, v, 0);
}

/* NULL as "" (sq_bind_txt: a text a row struct may leave NULL) */
static inline void a_txt0(pq_args *a, const char *v)
{
	a_txt(a, v ? v : "", 0);
}

/* NULL and "" both as SQL NULL (bind_opt) */
static inline void a_opt(pq_args *a, const char *v)
{
	a_txt(a, v && *v ? v : NULL, 0);
}

static inline void a_int(pq_args *a, int64_t v)
{
	snprintf(a->num[a->n], sizeof a->num[0], "%lld", (long long)v);
	a_txt(a, a->num[a->n], 0);
}

/* 0 as SQL NULL (bind_id) */
static inline void a_id(pq_args *a, int64_t v)
{
	if (v)
		a_int(a, v);
	else
		a_txt(a, NULL, 0);
}

static inline void a_bin(pq_args *a, const void *v, size_t n)
{
	a->v[a->n] = v;
	a->len[a->n] = (int)n;
	a->fmt[a->n] = 1;
	a->n++;
}

/* Check r, the result of a command or query named what: *out gets it (the
 * caller's: PQclear) when out is not NULL, else it is cleared (pg.c). */
xy_code xy__pg_result(pg_store *s, PGresult *r, const char *what, PGresult **out,
		      xy_error *err);

/* pq with parameters (pg_stmt.c): prepared by its text from its second call. */
xy_code xy__pg_exec(pg_store *s, const char *sql, const pq_args *a, const char *what,
		    PGresult **out, xy_error *err);
/* Free the statement table (pg_close; the statements die with the connection). */
void xy__pg_stmts_free(pg_store *s);

/* The BEGIN of a read transaction begun lazily (pg_read_begin), sent before
 * any other statement; XY_OK at once when none is pending.  pq sends it in
 * the same round trip as a statement without parameters. */
#define PG_READ_BEGIN "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY"
xy_code xy__pg_flush_begin(pg_store *s, xy_error *err);
xy_code xy__pg_exec_begun(pg_store *s, const char *sql, const char *what, PGresult **out,
			  xy_error *err);

/* Run sql with a (may be NULL); *out gets the result of a query (the
 * caller's: PQclear), and is NULL for a command when out is NULL. */
static inline xy_code pq(pg_store *s, const char *sql, const pq_args *a, const char *what,
			 PGresult **out, xy_error *err)
{
	xy_code rc;
	/* with parameters: prepared by its text from its second call (pg_stmt.c);
	 * without, PQexec, which also runs several commands (the schema) */
	if (a) {
		if ((rc = xy__pg_flush_begin(s, err)))
			return rc;
		return xy__pg_exec(s, sql, a, what, out, err);
	}
	if (s->read_pending)
		return xy__pg_exec_begun(s, sql, what, out, err);
	return xy__pg_result(s, PQexec(s->conn, sql), what, out, err);
}

static inline const char *cv(PGresult *r, int row, int col)
{
	return PQgetvalue(r, row, col); /* "" for NULL */
}

static inline const char *cv_or_null(PGresult *r, int row, int col)
{
	return PQgetisnull(r, row, col) ? NULL : PQgetvalue(r, row, col);
}

static inline int64_t ci(PGresult *r, int row, int col)
{
	return strtoll(PQgetvalue(r, row, col), NULL, 10); /* NULL reads as 0 */
}

/* A read transaction begun but not yet sent counts as open (pg_read_begin). */
static inline bool in_tx(pg_store *s)
{
	return s->read_pending || PQtransactionStatus(s->conn) != PQTRANS_IDLE;
}

static inline void now_iso(char out[32])
{
	time_t t = time(NULL);
	struct tm tm;
	gmtime_r(&t, &tm);
	strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

static inline xy_code unsupported(xy_error *err, const char *op)
{
	return xy_error_set(err, XY_ERR_UNSUPPORTED, "%s is not implemented on PostgreSQL yet",
			    op);
}

/* A subject's code from the columns code and code_enc (xy__pg_scode). */
#define SCODE_COLS(a) #a ".code, " #a ".code_enc"

/* ---- pg.c ---- */

/* The lookup value of a subject code (hex of its keyed hash when personal). */
void xy__pg_code_lookup(pg_store *s, const char *code, size_t n, bool personal,
			char hex[2 * XY__PII_HASH_BYTES + 1]);
/* A bytea column decrypted into out (NUL-terminated). */
xy_code xy__pg_col_dec(pg_store *s, PGresult *r, int row, int col, xy_buf *out, xy_error *err);
xy_code xy__pg_begin(xy_store *base, bool bulk, xy_error *err);
xy_code xy__pg_commit(xy_store *base, xy_error *err);
xy_code xy__pg_rollback(xy_store *base, xy_error *err);
/* v into dst[n], cut at a character boundary. */
void xy__pg_copy_cut(char *dst, size_t n, const char *v);
/* A name that may not be UTF-8 (a file name) into a text column: s as UTF-8 text, its
 * bytes that are not UTF-8 as private-use characters, appended to out with its '\0'
 * (pg.c); xy__pg_name_from_text maps a value read back to the bytes, in place, and
 * returns s. */
xy_code xy__pg_name_to_text(const char *s, xy_buf *out);
char *xy__pg_name_from_text(char *s);
/* A subject's code from columns col, col + 1 (SCODE_COLS), decrypted into b
 * when personal; *out points into r or b. */
xy_code xy__pg_scode(pg_store *s, PGresult *r, int i, int col, xy_buf *b, const char **out,
		     xy_error *err);
/* The first column of sql's one row with $1 = arg (text) into *v (0 when no row). */
xy_code xy__pg_one_int(pg_store *s, const char *sql, const char *arg, const char *what,
		       int64_t *v, xy_error *err);
/* fn inside a transaction of its own unless the caller has one (a savepoint). */
xy_code xy__pg_in_own_tx(pg_store *s, xy_code (*fn)(pg_store *, void *, xy_error *), void *arg,
			 xy_error *err);

/* ---- pg_registry.c: the registry (units, categories, exceptions), memoranda ---- */
xy_code xy__pg_save_registry(xy_store *base, xy_registry *reg, xy_error *err);
xy_code xy__pg_load_registry(xy_store *base, xy_registry *reg, xy_error *err);
xy_code xy__pg_memorandum_add(xy_store *base, const char *doc, const char *file,
			      const char *text, xy_error *err);
xy_code xy__pg_memorandum_replace(xy_store *base, const char *doc, const char *file,
				  const char *text, xy_error *err);
xy_code xy__pg_memoranda(xy_store *base, xy_memo_cb cb, void *ctx, xy_error *err);

/* ---- pg_subjects.c ---- */
xy_code xy__pg_subject_upsert(xy_store *base, xy_subject *subj, xy_error *err);
xy_code xy__pg_subject_by_code(xy_store *base, const char *code, xy_subject *out,
			       xy_error *err);
/* Take the subjects' advisory lock for the rest of the transaction (once). */
/* Forget the subjects the bulk load knows as stored in this transaction
 * (pg_load.c): at its end, at a rollback to a savepoint, and when anything
 * else writes a subject.  xy__pg_settled_free also frees the table. */
void xy__pg_settled_clear(pg_store *s);
void xy__pg_settled_free(pg_store *s);
xy_code xy__pg_lock_subjects(pg_store *s, xy_error *err);
/* pg.c: `sql` (a COPY … FROM STDIN) with data[0..len) as its input, every
 * result checked; what names it in errors. */
xy_code xy__pg_copy_in(pg_store *s, const char *sql, const char *data, size_t len,
		       const char *what, xy_error *err);
/* After a COPY's end: every result of the connection read, the first
 * refusal kept unless rc already is one (then rc). */
xy_code xy__pg_copy_results(pg_store *s, xy_code rc, const char *what, xy_error *err);
/* pg_supervision.c: send the grades pg_grade_put kept (before a commit, the
 * end of a run), or drop them (a rollback). */
xy_code xy__pg_grades_flush(pg_store *s, xy_error *err);
/* pg.c: a transaction-level advisory lock on key (SQL: "7831004", or
 * "$1::int, $2::int" bound from a), waited for at most XINYONG_WAIT, the
 * wait told to xy_store_set_wait's notice. */
xy_code xy__pg_lock(pg_store *s, const char *key, const pq_args *a, const char *what,
		    xy_error *err);
xy_code xy__pg_subject_find(xy_store *base, const char *q, size_t qlen, size_t limit,
			    xy_subject **out, size_t *n, xy_error *err);
xy_code xy__pg_subject_search(xy_store *base, const char *q, size_t qlen, int64_t after,
			      size_t limit, bool no_persons, xy_subject **out, size_t *n,
			      xy_error *err);

/* ---- pg_records.c: batches, their errors, records ---- */
xy_code xy__pg_batch_insert(xy_store *base, xy_batch *b, xy_error *err);
xy_code xy__pg_batch_update(xy_store *base, const xy_batch *b, xy_error *err);
xy_code xy__pg_batches(xy_store *base, size_t limit, xy_batch **out, size_t *n,
		       xy_error *err);
xy_code xy__pg_batch_get(xy_store *base, int64_t id, xy_batch *out, xy_error *err);
xy_code xy__pg_batch_error_add(xy_store *base, const xy_batch_error *e, xy_error *err);
xy_code xy__pg_batch_errors(xy_store *base, int64_t batch_id, xy_batch_error_cb cb,
			    void *ctx, xy_error *err);
xy_code xy__pg_record_upsert(xy_store *base, const xy_record_in *r,
			     xy_upsert_result *res, xy_error *err);

/* ---- pg_load.c: the bulk load (COPY into staging tables) ---- */
xy_code xy__pg_records_load(xy_store *base, xy_record_load *rows, size_t n,
			    xy_upsert_result *res, xy_error *err);
xy_code xy__pg_subject_records(xy_store *base, int64_t subject_id, xy_record_cb cb,
			       void *ctx, xy_error *err);
xy_code xy__pg_record_count(xy_store *base, int64_t batch_id, long *n, xy_error *err);
xy_code xy__pg_record_find(xy_store *base, int64_t unit_id, int64_t category_id,
			   const char *key, int64_t *id, int64_t *subject_id, xy_error *err);
xy_code xy__pg_record_get(xy_store *base, int64_t id, xy_record_row *out, xy_buf *data,
			  xy_error *err);
xy_code xy__pg_index_put(xy_store *s, const xy_city_index *v, xy_error *err);
xy_code xy__pg_index_list(xy_store *s, xy_city_index **out, size_t *n, xy_error *err);
xy_code xy__pg_batch_records(xy_store *base, int64_t unit_id, int64_t category_id,
			     int64_t batch_id, xy_batch_record_cb cb, void *ctx, xy_error *err);

/* ---- pg_intake.c: column mappings, the sheets and unmapped columns of a batch ---- */
xy_code xy__pg_mappings(xy_store *base, int64_t unit_id, int64_t category_id,
			xy_mapping_cb cb, void *ctx, xy_error *err);
xy_code xy__pg_batch_sheet_add(xy_store *base, const xy_batch_sheet *sh, xy_error *err);
xy_code xy__pg_batch_column_add(xy_store *base, const xy_batch_column *c, xy_error *err);
xy_code xy__pg_mapping_put(xy_store *base, const xy_mapping *m, bool *replaced, xy_error *err);
xy_code xy__pg_mapping_remove(xy_store *base, int64_t unit_id, int64_t category_id,
			      const char *header, xy_error *err);
xy_code xy__pg_batch_sheets(xy_store *base, int64_t batch_id, xy_batch_sheet_cb cb,
			    void *ctx, xy_error *err);
xy_code xy__pg_batch_columns(xy_store *base, int64_t batch_id, xy_batch_column_cb cb,
			     void *ctx, xy_error *err);

/* ---- pg_lists.c: list types and entries, checks, feedback, the watch list ---- */
xy_code xy__pg_list_type_ensure(xy_store *base, const xy_list_type *lt, xy_error *err);
xy_code xy__pg_entry_insert(xy_store *base, xy_entry_row *e, xy_error *err);
xy_code xy__pg_entry_history_add(xy_store *base, int64_t entry_id, const char *action,
				   const char *detail, xy_error *err);
xy_code xy__pg_entry_person_add(xy_store *base, int64_t entry_id, int64_t person_id,
				const char *role, xy_error *err);
xy_code xy__pg_entry_get(xy_store *base, int64_t id, xy_entry_row *out, xy_error *err);
xy_code xy__pg_entry_exit(xy_store *base, int64_t id, const char *how, const char *date,
			  const char *detail, xy_error *err);
xy_code xy__pg_entry_codes_on(xy_store *base, const char *kind, const char *date,
			      xy_subject_code_cb cb, void *ctx, xy_error *err);
xy_code xy__pg_entries(xy_store *base, const char *list_type, int64_t after, xy_entry_cb cb,
		       void *ctx, xy_error *err);
xy_code xy__pg_subject_entries(xy_store *base, int64_t subject_id, xy_entry_cb cb, void *ctx,
			       xy_error *err);
xy_code xy__pg_entry_persons(xy_store *base, int64_t entry_id, xy_entry_person_cb cb,
			     void *ctx, xy_error *err);
xy_code xy__pg_entry_history(xy_store *base, int64_t entry_id, xy_entry_event_cb cb,
			     void *ctx, xy_error *err);
xy_code xy__pg_check_insert(xy_store *base, xy_check_row *c, const char *answer,
			    xy_error *err);
xy_code xy__pg_check_get(xy_store *base, int64_t id, xy_check_row *out, xy_buf *answer,
			 xy_error *err);
xy_code xy__pg_feedback_insert(xy_store *base, const xy_feedback_row *f, xy_error *err);
xy_code xy__pg_feedback_count(xy_store *base, int64_t check_id, long *n, xy_error *err);
xy_code xy__pg_watch_add(xy_store *base, int64_t unit_id, int64_t subject_id, xy_error *err);
xy_code xy__pg_notify(xy_store *base, int64_t subject_id, int64_t entry_id, long *n,
		      xy_error *err);
xy_code xy__pg_notices(xy_store *base, int64_t unit_id, xy_notice_cb cb, void *ctx,
		       xy_error *err);
xy_code xy__pg_listed_subjects(xy_store *base, xy_id_cb cb, void *ctx, xy_error *err);
xy_code xy__pg_list_records(xy_store *base, int64_t unit_id, int64_t category_id,
			    xy_list_record_cb cb, void *ctx, xy_error *err);
xy_code xy__pg_list_record_link(xy_store *base, const xy_list_record *v, xy_error *err);
xy_code xy__pg_key_row(pg_store *s, const char *sql, int64_t unit_id, int64_t category_id,
		       const char *key, int64_t v[2], const char *what, xy_error *err);
xy_code xy__pg_list_record_entry(xy_store *base, int64_t unit_id, int64_t category_id,
				 const char *key, int64_t *entry_id, xy_error *err);
xy_code xy__pg_entry_find(xy_store *base, const char *list_type, int64_t subject_id,
			  const char *doc, xy_entry_row *out, xy_error *err);
xy_code xy__pg_entry_update(xy_store *base, const xy_entry_row *e, const char *detail,
			    xy_error *err);

/* ---- pg_cases.c: credit repair and objection cases, interviews ---- */
xy_code xy__pg_case_insert(xy_store *base, xy_case_row *c, xy_error *err);
xy_code xy__pg_case_get(xy_store *base, int64_t id, xy_case_row *out, xy_error *err);
xy_code xy__pg_case_step(xy_store *base, int64_t id, const char *from, const char *to,
			 const char *on, xy_error *err);
xy_code xy__pg_cases(xy_store *base, const char *kind, int64_t record_id, xy_case_cb cb,
		     void *ctx, xy_error *err);
xy_code xy__pg_case_event_add(xy_store *base, int64_t case_id, const xy_case_event *ev,
			      xy_error *err);
xy_code xy__pg_case_events(xy_store *base, int64_t case_id, xy_case_event_cb cb, void *ctx,
			   xy_error *err);
xy_code xy__pg_interview_insert(xy_store *base, xy_interview_row *v, xy_error *err);
xy_code xy__pg_interviews(xy_store *base, int64_t subject_id, xy_interview_cb cb, void *ctx,
			  xy_error *err);

/* ---- pg_commitments.c: credit commitments, government dishonesty ---- */
xy_code xy__pg_commitment_insert(xy_store *base, xy_commitment_row *c, xy_error *err);
xy_code xy__pg_commitment_number(xy_store *base, int64_t id, const char *no, xy_error *err);
xy_code xy__pg_commitment_get(xy_store *base, int64_t id, xy_commitment_row *out,
			      xy_error *err);
xy_code xy__pg_commitments(xy_store *base, int64_t unit_id, int64_t subject_id,
			   xy_commitment_cb cb, void *ctx, xy_error *err);
xy_code xy__pg_commitment_check_add(xy_store *base, const xy_commitment_check *v,
				    xy_error *err);
xy_code xy__pg_commitment_checks(xy_store *base, int64_t commitment_id,
				 xy_commitment_check_cb cb, void *ctx, xy_error *err);
xy_code xy__pg_gov_dishonesty_insert(xy_store *base, xy_gov_dishonesty_row *g, xy_error *err);
xy_code xy__pg_gov_dishonesty_get(xy_store *base, int64_t id, xy_gov_dishonesty_row *out,
				  xy_error *err);
xy_code xy__pg_gov_dishonesties(xy_store *base, int64_t unit_id, int64_t body_id,
				xy_gov_dishonesty_cb cb, void *ctx, xy_error *err);
xy_code xy__pg_gov_dishonesty_status_add(xy_store *base, int64_t id, const char *status,
					 const char *on, const char *evidence, xy_error *err);
xy_code xy__pg_gov_dishonesty_history(xy_store *base, int64_t id,
				      xy_gov_dishonesty_event_cb cb, void *ctx, xy_error *err);

/* ---- pg_rekey.c: xinyong rekey ---- */
xy_code xy__pg_rekey(xy_store *s, xy_rekey_fn progress, void *ctx, xy_error *err);

/* ---- pg_quality.c: the data quality reads ---- */
xy_code xy__pg_quality_records(xy_store *base, const char *from, const char *to,
				 int64_t unit_id, const int64_t *data_categories, size_t ndata,
				 xy_quality_record_cb cb, void *ctx, xy_error *err);
xy_code xy__pg_quality_batches(xy_store *base, const char *from, const char *to,
				 int64_t unit_id, xy_quality_batches_cb cb, void *ctx,
				 xy_error *err);
xy_code xy__pg_quality_reasons(xy_store *base, const char *from, const char *to,
				 int64_t unit_id, xy_reason_count_cb cb, void *ctx,
				 xy_error *err);
xy_code xy__pg_quality_columns(xy_store *base, const char *from, const char *to,
				 int64_t unit_id, xy_column_seen_cb cb, void *ctx,
				 xy_error *err);

/* The operation tables of the files with their own (struct xy__store_ops). */
extern const struct xy__store_auth_ops xy__pg_auth_ops; /* pg_auth.c */
extern const struct xy__store_public_ops xy__pg_public_ops; /* pg_public.c */
extern const struct xy__store_unit_ops xy__pg_unit_ops; /* pg_unit.c */
extern const struct xy__store_report_ops xy__pg_report_ops; /* pg_report.c */
extern const struct xy__store_apps_ops xy__pg_apps_ops; /* pg_apps.c */
extern const struct xy__store_units_ops xy__pg_units_ops; /* pg_units.c */
extern const struct xy__store_grade_ops xy__pg_grade_ops; /* pg_supervision.c */
extern const struct xy__store_inspect_ops xy__pg_inspect_ops; /* pg_supervision.c */
extern const struct xy__store_raw_ops xy__pg_raw_ops;         /* pg_raw.c */

#endif
