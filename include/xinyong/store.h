/* xinyong: the store — one interface, several backends.
 *
 * Domain code talks to the database only through these functions; SQL lives
 * in the backend files (lib/store/sqlite.c now, lib/store/pg.c later).  Every
 * function returns XY_OK or an error code with err filled in.
 *
 * Values are kept whole.  A text value (a name, a reason, a file path,
 * anything a unit typed) is a `const char *` in the structs below, never a
 * fixed array, so nothing is cut however long it is; fixed arrays hold only
 * values whose format fixes their length (dates, timestamps, enums, GB/T 2260
 * codes).  Limits a value must respect are checked by the domain layer,
 * which rejects a longer value naming the limit.
 *
 * Ownership, one rule for every row type (xy_batch, xy_entry_row,
 * xy_check_row, xy_record_row, xy_case_row, xy_interview_row,
 * xy_commitment_row, xy_gov_dishonesty_row):
 *
 * - Passed in (insert, update): borrowed.  Point the strings at your own
 *   text (NULL reads as ""); the store never keeps or frees them.
 * - Handed to a callback: the strings point into the backend's current row
 *   (SQLite's sqlite3_column_text, valid until the next step), so they are
 *   valid only during the callback.  Keep a row with T_copy.
 * - Returned (a get, an array, or a string an insert fills in): the row owns
 *   its strings, all in one heap block (`mem`).  Release it with T_release
 *   (an array with the plural *_free).  Filled rows never have NULL strings.
 *
 * T_release is safe on a zeroed row, a borrowed row and twice in a row (it
 * zeroes the row).  XY_AUTO(T, v) declares a zeroed row released when it
 * goes out of scope.  xy_subject (below) owns each string separately
 * (xy_subject_set/xy_subject_release); lists of subjects are freed with
 * xy_subjects_free.  Other views handed to callbacks (xy_record_view,
 * xy_batch_error, …) are valid only during the callback.
 *
 * Re-entrancy, one rule for every function that takes a callback: the
 * callback may call other store functions on the same handle (reads and
 * writes: tests/unit/test_store.c, callback_reentrancy), but not the
 * iterating function that is calling it: each query is one prepared statement, reused,
 * and calling it again would end the outer loop.  Such a call fails with
 * XY_ERR_STORE and leaves the outer loop running.  A write made from a
 * callback may or may not be seen by the rows still to come; collect the
 * rows first when that matters.  A handle is not thread-safe: one xy_store
 * per thread.
 */
#ifndef XINYONG_STORE_H
#define XINYONG_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "error.h"
#include "buf.h"

typedef struct xy_store xy_store;

/* The store does not include domain headers: the domain types it only
 * passes through are declared here and defined in registry.h and
 * sanctions.h, which the code that looks inside them includes. */
typedef struct xy_registry xy_registry;
typedef struct xy_unit xy_unit;
typedef struct xy_list_type xy_list_type;

/* A local row (any type T with a T_release) that is zeroed and released
 * when it goes out of scope (GNU C cleanup, as gnu17 builds allow). */
#define XY_AUTO(T, v) T v __attribute__((cleanup(T##_release))) = { 0 }

/* Open (and create and migrate) the database at `uri`: a file path,
 * "sqlite:PATH" or "postgresql://..." (docs/postgresql.md).  A new database
 * is seeded with the registry loaded from `config_dir` (NULL: the default
 * configuration).  Parent directories of a new file are created. */
xy_code xy_store_open(xy_store **out, const char *uri, const char *config_dir,
		      xy_error *err);
void xy_store_close(xy_store *s); /* NULL is fine */

/* Replace out's contents with the path of `name` beside the database `uri`
 * (its file's directory; "./name" for a server's database, postgresql://…,
 * which has no directory).  The one rule for what lives beside a database:
 * error reports, the server's spool, attachments, demo work files. */
xy_code xy_store_beside(const char *uri, const char *name, xy_buf *out, xy_error *err);

/* How long a connection waits for a lock another process holds (an import in
 * bulk mode holds the database for its whole transaction) before failing
 * with XY_ERR_STORE, and who hears about the wait: notify (may be NULL) is
 * called once per wait, on the waiting thread, with a message saying so, so a
 * person or script sees why nothing happens.  Process-wide, for handles
 * opened afterwards.  Default: 5 s, no notice. */
typedef void (*xy_wait_fn)(void *ctx, const char *msg);
void xy_store_set_wait(unsigned seconds, xy_wait_fn notify, void *ctx);

/* The page cache of each handle opened afterwards, in KiB (0: the backend's
 * default, 2 MiB for SQLite).  Process-wide.  A long-running reader (the
 * server's workers) answers from memory with a cache that holds its working
 * set; a short command keeps the small default.  Bulk mode still uses its
 * own cache for the transaction and returns to this one after. */
void xy_store_set_cache(size_t kib);
/* Personal ID numbers are encrypted at rest (docs/security.md) with a key
 * kept in a file outside the database: the path given here (the CLI's
 * --key-file; NULL or "" forgets it), else $XINYONG_KEY_FILE, else
 * "<database>.key".  Process-wide, for handles opened afterwards.  The file
 * is created (mode 0600) on the first open of a database that has no key
 * yet; a key file readable by group or others, or holding another key than
 * the one the database was written with, is refused (XY_ERR_INVALID /
 * XY_ERR_STORE naming the file). */
void xy_store_set_key_file(const char *path);
/* Replace out's contents with the key file a database `uri` opened now
 * would use (the rule above); XY_ERR_NOTFOUND when none could be named (a
 * PostgreSQL database with neither of the first two). */
xy_code xy_store_key_path(const char *uri, xy_buf *out, xy_error *err);

/* Copy a whole database into another backend's (`xinyong migrate`,
 * docs/postgresql.md "Moving a city database"): every data table of `to`
 * (its schema decides the tables, their order and their columns, which
 * `from` must all have) is emptied and loaded with `from`'s rows, in one
 * transaction on `to`; then each table is read back and its row count and
 * SHA-256 (over the rows in key order, values in the target's column
 * classes) compared with the source's.  Committed only when every table
 * matches; otherwise nothing changes and err names the first table that
 * differs.  Both databases must be at the same schema version, and `to` may
 * hold nothing but its seeded configuration (no subject, batch or audit
 * entry).  Personal values are copied as stored: both must use the same key
 * file.  progress (may be NULL) is told each table when it is verified.  A
 * SQLite database can be a source only. */
typedef struct xy_migrate_table {
	const char *table;
	int64_t rows;            /* in the source and, verified, in the target */
	const char *sha256;      /* hex, of the source's rows (= the target's) */
} xy_migrate_table;
typedef void (*xy_migrate_fn)(void *ctx, const xy_migrate_table *t);
xy_code xy_store_migrate(xy_store *from, xy_store *to, xy_migrate_fn progress, void *ctx,
			 xy_error *err);

/* Rotate the key: a new key file replaces the old one (kept as "<key>.old"
 * until the rotation commits), and every encrypted value and keyed hash is
 * rewritten in one transaction.  Interrupted at any point, the database
 * opens with whichever of the two files matches it.  Other handles on the
 * database keep the old key and must be reopened (stop the server first).
 * progress (may be NULL) is told the name of each table done.  Not inside a
 * transaction. */
typedef void (*xy_rekey_fn)(void *ctx, const char *done);
xy_code xy_store_rekey(xy_store *s, xy_rekey_fn progress, void *ctx, xy_error *err);

/* "sqlite" or "postgresql": the backend s runs on (a static string). */
const char *xy_store_backend(const xy_store *s);

/* Schema version after migration (PRAGMA user_version for SQLite). */
int xy_store_schema_version(xy_store *s);

/* How many rows each table of the database holds, one call of cb per table
 * in name order (the backend's own bookkeeping tables, such as SQLite's
 * sqlite_* and full-text index shadow tables, left out): what an operator
 * checks after a load or a copy to another backend, and what tests read
 * instead of querying the database behind the store.  name is valid during
 * the call only.  cb returns non-zero to stop. */
typedef int (*xy_table_rows_cb)(void *ctx, const char *name, long long rows);
xy_code xy_store_table_rows(xy_store *s, xy_table_rows_cb cb, void *ctx, xy_error *err);

/* Check that the database is intact, e.g. after a process was killed while
 * writing: every problem found, one line each, is appended to problems
 * (left as it is when there is none).  SQLite: PRAGMA integrity_check (every
 * page, index and constraint); PostgreSQL: every table is read through (its
 * write-ahead log makes a killed writer harmless; a damaged page fails the
 * read).  An error only when the check itself cannot run. */
xy_code xy_store_check(xy_store *s, xy_buf *problems, xy_error *err);

/* The most months xy_store_partitions makes ahead (ten years). */
#define XY_PARTITIONS_AHEAD_MAX 120

/* The partitions of the database's partitioned tables, one call of cb each,
 * by table, then partition name: table, partition, bound (PostgreSQL's own
 * words: "FOR VALUES FROM ('2026-12') TO ('2027-01')", "DEFAULT", …) and
 * rows, valid during the call only.  PostgreSQL partitions the check log by
 * month of logging (docs/postgresql.md "Partitions").  ahead >= 0 first
 * makes, in one transaction, the month partitions of this month and of the
 * ahead months after it, and of every month whose rows sit in the default
 * partition (they move there); ahead < 0 only lists; more than
 * XY_PARTITIONS_AHEAD_MAX: XY_ERR_ARG.  SQLite partitions nothing: no call,
 * XY_OK.  cb returns non-zero to stop; NULL: nothing is listed (nor counted:
 * a server's start makes the partitions ahead this way). */
typedef int (*xy_partition_cb)(void *ctx, const char *table, const char *partition,
			       const char *bound, long long rows);
xy_code xy_store_partitions(xy_store *s, int ahead, xy_partition_cb cb, void *ctx,
			    xy_error *err);

/* Transactions.  Bulk mode enlarges caches and relaxes syncing for the
 * duration of one import transaction (durability still holds at commit).
 * A begin inside a transaction nests (a savepoint; bulk is then ignored): its
 * commit keeps the work inside the outer transaction, its rollback undoes
 * only that work.  So a domain function with its own transaction
 * (xy_credit_list_add) can be one step of a larger one. */
xy_code xy_store_begin(xy_store *s, bool bulk, xy_error *err);
xy_code xy_store_commit(xy_store *s, xy_error *err);
xy_code xy_store_rollback(xy_store *s, xy_error *err);
/* Whether a transaction is open on s: false after a failure that ended it
 * by itself (SQLite rolls back on a full disk or an I/O error), so a caller
 * running several steps in one transaction can tell that later steps would
 * run outside it.  NULL: false. */
bool xy_store_in_transaction(xy_store *s);
/* A read transaction: the reads until xy_store_read_end see one snapshot
 * of the database (a page built from several statements is consistent) and
 * pay for locking it once instead of once per statement.  Nothing is to be
 * written inside it (a write would fail when another connection wrote since
 * the snapshot).  When a transaction is already open, begin does nothing and
 * so does the matching end.  End never fails: it commits (nothing was
 * written), or rolls back if that cannot be done. */
xy_code xy_store_read_begin(xy_store *s, xy_error *err);
void xy_store_read_end(xy_store *s); /* NULL is fine */
/* A number that changes whenever the database's content changes: through
 * this handle, another connection or another process.  Inside a read
 * transaction it names the snapshot the handle reads (it starts the
 * snapshot when none is taken yet), so an answer built inside the same
 * transaction may be kept under it and reused while it stays the same (the
 * server's answer cache).  Only comparable with values of the same handle. */
xy_code xy_store_data_version(xy_store *s, uint64_t *version, xy_error *err);
/* Where the database server is in its log of committed writes, as a number
 * that only grows (PostgreSQL: the WAL position written so far on a primary,
 * replayed so far on a hot standby).  A standby whose position is at least
 * the one its primary gave after a commit has replayed that commit (the
 * server's read replica, docs/postgresql.md).  XY_ERR_UNSUPPORTED on a
 * backend without such a log (SQLite). */
xy_code xy_store_log_position(xy_store *s, uint64_t *pos, xy_error *err);
/* Copy what the log of committed writes holds into the database proper
 * (SQLite: a PASSIVE WAL checkpoint: it waits for no reader and no writer,
 * and copies what it can).  manual: from now on this handle's commits leave
 * that to such calls (SQLite: wal_autocheckpoint off), so a busy writer's
 * COMMIT never waits for a checkpoint's copy and fsync; the server runs
 * them on a thread of their own.  A backend without such a log: no-op. */
xy_code xy_store_checkpoint(xy_store *s, bool manual, xy_error *err);

/* Make the statement s is running (and those it starts until none runs) fail
 * with XY_ERR_STORE, so that a long transaction (an import) ends and rolls
 * back.  The one function that may be called from another thread than the
 * handle's (sqlite3_interrupt); a server stopping uses it. */
void xy_store_interrupt(xy_store *s);

/* ---- registry ---- */

/* Replace nothing, insert what is missing: units, categories, fields and
 * USCC exceptions of reg, matched by name/code.  Sets ids in reg. */
xy_code xy_store_save_registry(xy_store *s, xy_registry *reg, xy_error *err);
/* Load the registry (ids set, units' former names as aliases) into reg
 * (initialised, empty). */
xy_code xy_store_load_registry(xy_store *s, xy_registry *reg, xy_error *err);

/* A new unit u (name, kind, division, sort; u->id set).  XY_ERR_CONFLICT
 * naming "name" when a unit has that name or had it (a former name). */
xy_code xy_store_unit_insert(xy_store *s, xy_unit *u, xy_error *err);
/* Rename unit id to name at `at`: the old name becomes a former name that
 * still finds the unit; renaming back to a former name takes it off that
 * list.  XY_ERR_NOTFOUND for no such unit; XY_ERR_CONFLICT naming "name"
 * when another unit has or had that name. */
xy_code xy_store_unit_rename(xy_store *s, int64_t id, const char *name, const char *at,
			     xy_error *err);

/* ---- subjects ---- */

typedef enum xy_subject_kind {
	XY_SUBJ_LEGAL = 0,  /* 法人及非法人组织 */
	XY_SUBJ_PERSON,     /* 自然人 */
	XY_SUBJ_INDIVIDUAL, /* 个体工商户 */
} xy_subject_kind;

const char *xy_subject_kind_name(xy_subject_kind k);    /* legal person individual */
const char *xy_subject_kind_name_zh(xy_subject_kind k); /* 法人及非法人组织 … */

/* A subject.  Its strings are owned by the struct (malloc'd, kept whole
 * whatever their length), set with xy_subject_set and freed with
 * xy_subject_release; a struct assignment moves them (release only one of
 * the two).  Filled subjects never have NULL strings.
 *
 * code is the identity, the store's unique key:
 * - "uscc", "ric", "regno" (工商注册号), "org" or the 证件类型 text: the
 *   normalised number;
 * - "ric_masked": a published mask (2108**********1234) identifies nobody on
 *   its own (two people share a mask), so the key is the mask, one space and
 *   the name: "2108**********1234 张三".  A full number never matches it;
 * - "operator": an 个体工商户 without USCC or 工商注册号, by its 经营者: the
 *   经营者's ID number, one space and the 经营者's name.
 * Normalised numbers and masks never contain a space, so the part before
 * the first space is the number (xy_subject_number). */
typedef struct xy_subject {
	int64_t id;
	xy_subject_kind kind;
	char *code;         /* identity key, see above */
	char *code_type;    /* "uscc", "ric", "ric_masked", "regno", "operator", … */
	char *name;
	char division[7];   /* GB/T 2260 code from the USCC, RIC or 工商注册号: always 6 digits or "" */
} xy_subject;

/* Copy code, code_type and name into s (NULL leaves that one as it is; a
 * string not set yet becomes "").  XY_ERR_NOMEM leaves s releasable. */
xy_code xy_subject_set(xy_subject *s, const char *code, const char *code_type,
		       const char *name);
/* Free the strings; s is zeroed (NULL is fine). */
void xy_subject_release(xy_subject *s);
/* A local subject released when it goes out of scope (GNU C cleanup, as
 * gnu17 builds allow): XY_SUBJECT_AUTO(subj); — zeroed, so every return
 * path is safe.  Move out of it with a struct copy and a memset. */
#define XY_SUBJECT_AUTO(v) xy_subject v __attribute__((cleanup(xy_subject_release))) = { 0 }
/* Release n subjects and free the array (from xy_store_subject_find). */
void xy_subjects_free(xy_subject *v, size_t n);
/* The number a code shows: the code up to its first space, into out
 * (replacing its content). */
xy_code xy_subject_number(const xy_subject *s, xy_buf *out);

/* Find or create the subject with s->code; a different name updates the stored
 * name (the latest report wins).  Sets subj->id.  The strings stay the
 * caller's. */
xy_code xy_store_subject_upsert(xy_store *s, xy_subject *subj, xy_error *err);

/* Subjects matching q: exact code first; otherwise names containing q (FTS5
 * trigram for 3+ characters, a scan for 1-2).  At most `limit` results.
 * A masked number (2108**********1234) finds the masked subjects with that
 * mask, whatever their names; a full number never finds a masked subject.
 * *out is malloc'd: xy_subjects_free(*out, *n). */
xy_code xy_store_subject_find(xy_store *s, const char *q, size_t limit,
			      xy_subject **out, size_t *n, xy_error *err);

/* One keyset page of a name search: subjects with id > after whose names
 * contain q (at least 2 characters: XY_ERR_INVALID otherwise), by id, at most
 * limit (>= 1); no natural persons when no_persons.  For the search view
 * (views.h), which handles identifiers with xy_store_subject_find.
 * *out is malloc'd: xy_subjects_free(*out, *n). */
xy_code xy_store_subject_search(xy_store *s, const char *q, int64_t after, size_t limit,
				bool no_persons, xy_subject **out, size_t *n, xy_error *err);

/* The subject whose stored code is exactly `code` (already normalised): one
 * indexed lookup, for batch checks.  XY_ERR_NOTFOUND, with err untouched,
 * when there is none.  *out is filled (xy_subject_release it) only on XY_OK. */
xy_code xy_store_subject_by_code(xy_store *s, const char *code, xy_subject *out,
				 xy_error *err);

/* ---- batches and records ---- */

typedef enum xy_batch_status {
	XY_BATCH_COMMITTED = 0,
	XY_BATCH_REFUSED,   /* the file was broken; no record was written */
} xy_batch_status;

typedef struct xy_batch {
	int64_t id;
	int64_t unit_id;
	int64_t category_id;
	const char *unit;      /* names, filled when read */
	const char *category;
	const char *file;      /* as given, any length */
	char format[16];       /* csv xlsx xls ods json, or the domain's own (list, exit …) */
	char encoding[16];
	char reported_on[11];  /* YYYY-MM-DD: the month the office counts */
	char started_at[32];   /* ISO 8601 UTC */
	char finished_at[32];
	xy_batch_status status;
	const char *message;   /* why refused, or a note; "" when none */
	long rows, added, updated, unchanged, rejected;
	long errors_stored;    /* rejected rows whose errors are in the store (the
	                          first N of the batch; the rest are only counted) */
	const char *error_report; /* path, "" when none */
	void *mem;             /* the block owning the strings, NULL: borrowed */
} xy_batch;

/* Copy src into dst with its own copies of the strings (dst is overwritten,
 * not released; dst == src makes a row with borrowed strings own them).
 * XY_ERR_NOMEM leaves dst zeroed. */
xy_code xy_batch_copy(xy_batch *dst, const xy_batch *src);
void xy_batch_release(xy_batch *b);
/* Release n batches and free the array (from xy_store_batches). */
void xy_batches_free(xy_batch *v, size_t n);

/* Insert the batch row (inside the caller's transaction); sets b->id. */
xy_code xy_store_batch_insert(xy_store *s, xy_batch *b, xy_error *err);
/* Update counts, status, finished_at, message and error_report of b->id. */
xy_code xy_store_batch_update(xy_store *s, const xy_batch *b, xy_error *err);
/* All batches, newest first (limit 0 = all): xy_batches_free(*out, *n). */
xy_code xy_store_batches(xy_store *s, size_t limit, xy_batch **out, size_t *n,
			 xy_error *err);
/* *out owns its strings on XY_OK (xy_batch_release). */
xy_code xy_store_batch_get(xy_store *s, int64_t id, xy_batch *out, xy_error *err);

typedef struct xy_batch_error {
	int64_t batch_id;
	long row;
	const char *sheet;   /* NULL when the file has no sheets */
	const char *column;  /* header as the file wrote it, NULL for the whole row */
	const char *value;
	const char *reason_zh;
	const char *reason_en;
} xy_batch_error;

xy_code xy_store_batch_error_add(xy_store *s, const xy_batch_error *e, xy_error *err);
typedef int (*xy_batch_error_cb)(void *ctx, const xy_batch_error *e); /* non-zero stops */
xy_code xy_store_batch_errors(xy_store *s, int64_t batch_id, xy_batch_error_cb cb,
			      void *ctx, xy_error *err);

typedef struct xy_record_in {
	int64_t unit_id;
	int64_t category_id;
	int64_t batch_id;
	int64_t subject_id;     /* 0: no subject */
	const char *key;        /* the unit's own key, normalised */
	const char *data;       /* JSON object {"CODE":"value",…} of normalised fields */
	size_t data_len;
	const char *decided_on; /* YYYY-MM-DD or NULL */
} xy_record_in;

typedef enum xy_upsert_result {
	XY_UPSERT_NEW = 0,
	XY_UPSERT_UPDATED,    /* data differed: old version kept in history */
	XY_UPSERT_UNCHANGED,
	XY_UPSERT_DUPLICATE,  /* the same key already came earlier in this batch */
} xy_upsert_result;

/* Insert or update the record identified by (unit, category, key). */
xy_code xy_store_record_upsert(xy_store *s, const xy_record_in *r,
			       xy_upsert_result *res, xy_error *err);

/* One row of a bulk load: its subject (NULL: none) and its record, whose
 * subject_id is ignored (the subject's id is used). */
typedef struct xy_record_load {
	xy_subject *subj;
	xy_record_in rec;
} xy_record_load;

/* Load rows[0..n) of one batch (the same unit, category and batch_id), in
 * file order, inside the caller's transaction: the same effect and the same
 * outcome per row (res[i] for rows[i]) as xy_store_subject_upsert then
 * xy_store_record_upsert row after row, each backend its fastest way
 * (SQLite: exactly that, row after row; PostgreSQL: COPY into staging
 * tables, then set-based statements; docs/postgresql.md).  Subject ids are
 * set on SQLite only (nothing needs them after a load).  On failure the
 * rows may be partly loaded: roll the transaction back. */
xy_code xy_store_records_load(xy_store *s, xy_record_load *rows, size_t n,
			      xy_upsert_result *res, xy_error *err);

typedef struct xy_record_view {
	int64_t id;
	const char *unit;
	const char *category;
	const char *key;
	const char *data;        /* JSON object */
	const char *decided_on;  /* may be NULL */
	const char *reported_on; /* of the batch that first brought it in */
	int64_t first_batch, last_batch;
	int versions;            /* 1 + number of superseded versions */
} xy_record_view;

typedef int (*xy_record_cb)(void *ctx, const xy_record_view *r); /* non-zero stops */

/* Records of a subject ordered by category, then decided_on desc. */
xy_code xy_store_subject_records(xy_store *s, int64_t subject_id, xy_record_cb cb,
				 void *ctx, xy_error *err);

/* Record count, optionally for one batch (first_batch = id; 0 = all). */
xy_code xy_store_record_count(xy_store *s, int64_t batch_id, long *n, xy_error *err);

/* ---- statistics ---- */

/* New records of one unit × category in one reporting month. */
typedef struct xy_count {
	int64_t unit_id;
	int64_t category_id;
	char month[8];   /* YYYY-MM of the batch's reported_on */
	long long n;     /* records that batches of that month brought in first */
} xy_count;

typedef int (*xy_count_cb)(void *ctx, const xy_count *c); /* non-zero stops */

/* Counts per unit × category × reporting month for months from..to
 * (YYYY-MM, inclusive; NULL = open), from committed batches: a record is
 * counted in the month of the batch that first brought it in, so each batch's
 * `added` is exactly its contribution and no per-record scan is needed.
 * Ordered by month, unit, category. */
xy_code xy_store_counts(xy_store *s, const char *from_month, const char *to_month,
			xy_count_cb cb, void *ctx, xy_error *err);

/* ---- city credit monitoring (城市信用监测) ---- */

typedef struct xy_city_index {
	char month[8];  /* YYYY-MM */
	double score;   /* 综合指数 */
	int rank;       /* national rank, 1 = best */
} xy_city_index;

/* Insert or replace the month's figures. */
xy_code xy_store_index_put(xy_store *s, const xy_city_index *v, xy_error *err);
/* All months in order; *out malloc'd (free()). */
xy_code xy_store_index_list(xy_store *s, xy_city_index **out, size_t *n, xy_error *err);

/* ---- lists, checks, feedback, watch (issue 4) ----
 *
 * List types are copied from the sanctions catalogue (list-types.tsv) into
 * the store; entries refer to them by name.  An entry's status is never
 * stored: it is computed from its dates (xy_entry_status_on).  Exits are
 * recorded on the entry and in its history, never deleted. */

/* Insert the list type if no type of that name is stored (nothing else). */
xy_code xy_store_list_type_ensure(xy_store *s, const xy_list_type *lt, xy_error *err);

/* One list entry as stored; in views from xy_store_subject_entries also how
 * it reaches the subject asked about. */
typedef struct xy_entry_row {
	int64_t id;
	int64_t subject_id;
	int64_t unit_id;
	const char *list_type;
	const char *subject_code;
	const char *subject_name;
	const char *unit;
	const char *doc;      /* 认定文书号 (at most XY_DOC_MAX bytes when added) */
	const char *reason;
	char from[11];        /* first day */
	char to[11];          /* last day, "" = no end */
	char exit_how[16];    /* "" or 修复 注销 吊销 撤销 */
	char exit_date[11];   /* first day off the list, "" when no exit */
	char created_at[32];
	int via;              /* xy_entry_via (0 = own) */
	const char *role;     /* the linked person's role when via != own */
	const char *via_code; /* the enterprise (via person) or person (via enterprise) */
	const char *via_name;
	void *mem;            /* the block owning the strings, NULL: borrowed */
} xy_entry_row;

/* The longest 认定文书号 (doc) an entry takes, in bytes: a document number
 * is an identifier printed on a decision, not free text. */
#define XY_DOC_MAX 255

xy_code xy_entry_row_copy(xy_entry_row *dst, const xy_entry_row *src); /* as xy_batch_copy */
void xy_entry_row_release(xy_entry_row *e);

typedef int (*xy_entry_cb)(void *ctx, const xy_entry_row *e); /* non-zero stops */

/* Insert an entry (subject_id, unit_id, list_type, doc, reason, from, to);
 * sets e->id and created_at.  No history line: its wording is the domain's
 * (xy_store_entry_history_add, in the same transaction).  XY_ERR_CONFLICT
 * when the (list type, subject, doc) entry exists, XY_ERR_NOTFOUND for an
 * unknown list type. */
xy_code xy_store_entry_insert(xy_store *s, xy_entry_row *e, xy_error *err);
/* Append a history line (action, detail: text the caller composed, detail
 * may be NULL) to entry entry_id. */
xy_code xy_store_entry_history_add(xy_store *s, int64_t entry_id, const char *action,
				   const char *detail, xy_error *err);
/* Link a natural person to an entry in a role (法定代表人 主要负责人 直接责任人). */
xy_code xy_store_entry_person_add(xy_store *s, int64_t entry_id, int64_t person_id,
				  const char *role, xy_error *err);
/* *out owns its strings on XY_OK (xy_entry_row_release). */
xy_code xy_store_entry_get(xy_store *s, int64_t id, xy_entry_row *out, xy_error *err);
/* Record an exit (how: 修复 注销 吊销 撤销; date: first day off the list) and its
 * history line.  XY_ERR_CONFLICT when the entry has already exited,
 * XY_ERR_NOTFOUND when there is no such entry. */
xy_code xy_store_entry_exit(xy_store *s, int64_t id, const char *how, const char *date,
			    const char *detail, xy_error *err);
/* All entries (list_type NULL) or those of one type, by id. */
xy_code xy_store_entries(xy_store *s, const char *list_type, xy_entry_cb cb, void *ctx,
			 xy_error *err);
/* The codes of the subjects with an own entry of a list type of kind `kind`
 * ("black", "red" …) in force on date (YYYY-MM-DD): started on or before it,
 * not ended before it, not exited on or before it.  One call a code per such
 * entry, in no order; code valid during the call.  What the draws' key
 * supervision needs, without reading every entry of every list. */
typedef int (*xy_subject_code_cb)(void *ctx, const char *code);
xy_code xy_store_entry_codes_on(xy_store *s, const char *kind, const char *date,
				xy_subject_code_cb cb, void *ctx, xy_error *err);
/* The same, one keyset page's walk: only entries with id > after (0: all),
 * by id; cb stops it at the page's end. */
xy_code xy_store_entries_after(xy_store *s, const char *list_type, int64_t after,
			       xy_entry_cb cb, void *ctx, xy_error *err);
/* Entries that reach a subject: its own (via 0), those of enterprises it is a
 * linked person of (via 1, via_* = the enterprise), and those of persons
 * linked to its own entries (via 2, via_* = the person). */
xy_code xy_store_subject_entries(xy_store *s, int64_t subject_id, xy_entry_cb cb, void *ctx,
				 xy_error *err);

/* The ids of every subject some list entry reaches (whatever its dates): the
 * listed subjects and the persons linked to entries.  A subject not among them
 * has no entries in xy_store_subject_entries.  Each id once, in no order. */
typedef int (*xy_id_cb)(void *ctx, int64_t id); /* non-zero stops */
xy_code xy_store_listed_subjects(xy_store *s, xy_id_cb cb, void *ctx, xy_error *err);

typedef struct xy_entry_person {
	const char *role, *code, *name;
} xy_entry_person;
typedef int (*xy_entry_person_cb)(void *ctx, const xy_entry_person *p);
xy_code xy_store_entry_persons(xy_store *s, int64_t entry_id, xy_entry_person_cb cb, void *ctx,
			       xy_error *err);

typedef struct xy_entry_event {
	const char *at, *action, *detail;
} xy_entry_event;
typedef int (*xy_entry_event_cb)(void *ctx, const xy_entry_event *ev);
xy_code xy_store_entry_history(xy_store *s, int64_t entry_id, xy_entry_event_cb cb, void *ctx,
			       xy_error *err);

/* A logged 联合奖惩 check. */
typedef struct xy_check_row {
	int64_t id;
	int64_t unit_id;
	int64_t subject_id;
	const char *unit;
	const char *subject_code;
	const char *matter; /* matter code, "" = every matter */
	char date[11];      /* the date checked */
	char at[32];        /* when it was asked (ISO 8601 UTC) */
	void *mem;          /* the block owning the strings, NULL: borrowed */
} xy_check_row;

xy_code xy_check_row_copy(xy_check_row *dst, const xy_check_row *src); /* as xy_batch_copy */
void xy_check_row_release(xy_check_row *c);

/* Log a check with its answer (JSON text); sets c->id and c->at. */
xy_code xy_store_check_insert(xy_store *s, xy_check_row *c, const char *answer, xy_error *err);
/* Read a check (owning its strings: xy_check_row_release) and its answer
 * (appended to answer).  XY_ERR_NOTFOUND if none. */
xy_code xy_store_check_get(xy_store *s, int64_t id, xy_check_row *out, xy_buf *answer,
			   xy_error *err);

typedef struct xy_feedback_row {
	int64_t check_id;
	const char *memorandum; /* document number */
	int number;             /* measure number */
	bool applied;           /* 已采取 / 未采取 */
	const char *result;     /* may be NULL */
	const char *reason;     /* why not applied; may be NULL */
} xy_feedback_row;

/* XY_ERR_CONFLICT when this measure of this check already has feedback. */
xy_code xy_store_feedback_insert(xy_store *s, const xy_feedback_row *f, xy_error *err);
/* Number of feedback rows of a check (0 = all checks). */
xy_code xy_store_feedback_count(xy_store *s, int64_t check_id, long *n, xy_error *err);

/* Subscribe a unit to a subject (idempotent). */
xy_code xy_store_watch_add(xy_store *s, int64_t unit_id, int64_t subject_id, xy_error *err);
/* A notice for every unit subscribed to subject_id about entry_id; *n = how many. */
xy_code xy_store_notify(xy_store *s, int64_t subject_id, int64_t entry_id, long *n,
			xy_error *err);

typedef struct xy_notice {
	int64_t id;
	const char *at;
	const char *subject_code, *subject_name;
	int64_t entry_id;
	const char *list_type, *doc, *from;
	const char *read_at; /* when the unit marked it read, "" while unread */
} xy_notice;
typedef int (*xy_notice_cb)(void *ctx, const xy_notice *n);
/* The notices of a unit, newest first. */
xy_code xy_store_notices(xy_store *s, int64_t unit_id, xy_notice_cb cb, void *ctx,
			 xy_error *err);

/* ---- a unit's checks, feedback and watch list (issue 9: the source units' API) ---- */

/* Logged checks of unit_id (0: every unit), newest first, only those with
 * id < before (0: no bound: keyset paging), at most limit (0: all).  The row
 * and the answer (the check's JSON text) are valid during the callback. */
typedef int (*xy_check_cb)(void *ctx, const xy_check_row *c, const char *answer);
xy_code xy_store_checks(xy_store *s, int64_t unit_id, int64_t before, size_t limit,
			xy_check_cb cb, void *ctx, xy_error *err);

/* The feedback rows of a check in the order they were recorded; at is when
 * (ISO 8601 UTC).  Valid during the callback. */
typedef int (*xy_feedback_cb)(void *ctx, const xy_feedback_row *f, const char *at);
xy_code xy_store_feedbacks(xy_store *s, int64_t check_id, xy_feedback_cb cb, void *ctx,
			   xy_error *err);

/* A subject a unit watches. */
typedef struct xy_watch_row {
	int64_t subject_id;
	const char *subject_code, *subject_name;
	const char *created_at; /* when the unit subscribed */
} xy_watch_row;
typedef int (*xy_watch_cb)(void *ctx, const xy_watch_row *w);
/* The subjects unit_id watches, by subject code. */
xy_code xy_store_watches(xy_store *s, int64_t unit_id, xy_watch_cb cb, void *ctx, xy_error *err);
/* Unsubscribe; *removed says whether the unit watched the subject. */
xy_code xy_store_watch_remove(xy_store *s, int64_t unit_id, int64_t subject_id, bool *removed,
			      xy_error *err);
/* Mark notice_id of unit_id read at `at` (an ISO 8601 time), or with
 * notice_id 0 every unread notice of unit_id; *n = how many were unread and
 * are read now.  XY_ERR_NOTFOUND when notice_id is no notice of unit_id (of
 * another unit, or none); one read already is XY_OK with *n 0. */
xy_code xy_store_notices_read(xy_store *s, int64_t unit_id, int64_t notice_id, const char *at,
			      long *n, xy_error *err);

/* A batch's stored rejected rows with id > after (0: from the first), in
 * order, at most limit (0: all); id is the keyset cursor. */
typedef int (*xy_batch_error_page_cb)(void *ctx, int64_t id, const xy_batch_error *e);
xy_code xy_store_batch_errors_page(xy_store *s, int64_t batch_id, int64_t after, size_t limit,
				   xy_batch_error_page_cb cb, void *ctx, xy_error *err);

/* ---- credit repair, objections, interviews (issue 4; docs/repair.md) ----
 *
 * A case is a repair application or an objection against one record.  Its
 * step is the last thing done (an event, not a time-dependent status: overdue
 * and display status are computed from the dates).  Every step is also an
 * event; nothing is deleted. */

/* One record with what repair and objections need. */
typedef struct xy_record_row {
	int64_t id;
	int64_t unit_id, category_id, subject_id; /* subject_id 0: none */
	const char *unit;
	const char *category;
	const char *key;
	char decided_on[11];  /* "" when none */
	const char *subject_code;
	const char *subject_name;
	void *mem;            /* the block owning the strings, NULL: borrowed */
} xy_record_row;

xy_code xy_record_row_copy(xy_record_row *dst, const xy_record_row *src); /* as xy_batch_copy */
void xy_record_row_release(xy_record_row *r);

/* The record (owning its strings: xy_record_row_release) and its current
 * data (JSON, appended to data; may be NULL).
 * XY_ERR_NOTFOUND, err untouched, when there is no such record. */
xy_code xy_store_record_get(xy_store *s, int64_t id, xy_record_row *out, xy_buf *data,
			    xy_error *err);

typedef struct xy_case_row {
	int64_t id;
	char kind[16];          /* repair | objection */
	int64_t record_id, subject_id, unit_id; /* unit: the record's reporting unit */
	int64_t entry_id;       /* a list entry named or linked, 0 = none */
	char filed_on[11];      /* application / objection date */
	char step[16];          /* repair: 申请 受理 审核 通过 不通过; objection: 受理 更正 维持 撤销 */
	char step_on[11];       /* date of the last step */
	const char *applicant;  /* who applied / objected */
	const char *reason;
	const char *evidence;   /* evidence list, one item a line */
	const char *commitment; /* 信用承诺 text */
	char created_at[32];
	/* filled when read: */
	const char *unit, *subject_code, *subject_name, *category, *record_key;
	void *mem;              /* the block owning the strings, NULL: borrowed */
} xy_case_row;

xy_code xy_case_row_copy(xy_case_row *dst, const xy_case_row *src); /* as xy_batch_copy */
void xy_case_row_release(xy_case_row *c);
typedef int (*xy_case_cb)(void *ctx, const xy_case_row *c); /* non-zero stops */

/* Insert a case (kind … commitment; step and step_on as given); sets id and
 * created_at. */
xy_code xy_store_case_insert(xy_store *s, xy_case_row *c, xy_error *err);
/* *out owns its strings on XY_OK (xy_case_row_release).  XY_ERR_NOTFOUND,
 * err untouched, when there is none. */
xy_code xy_store_case_get(xy_store *s, int64_t id, xy_case_row *out, xy_error *err);
/* Move case id from step `from` to `to` on date `on`: XY_ERR_CONFLICT when
 * its step is no longer `from` (another decision came first). */
xy_code xy_store_case_step(xy_store *s, int64_t id, const char *from, const char *to,
			   const char *on, xy_error *err);
/* Cases of one kind (NULL: both) and record (0: every record), by id. */
xy_code xy_store_cases(xy_store *s, const char *kind, int64_t record_id, xy_case_cb cb,
		       void *ctx, xy_error *err);

typedef struct xy_case_event {
	const char *on;     /* the step's date */
	const char *at;     /* when it was recorded (ISO 8601 UTC) */
	const char *action; /* 申请 受理 审核 通过 不通过 更正 维持 撤销 … */
	const char *actor;  /* unit or applicant */
	const char *detail; /* decision text, opinion, … ("" when none) */
} xy_case_event;
typedef int (*xy_case_event_cb)(void *ctx, const xy_case_event *ev);
xy_code xy_store_case_event_add(xy_store *s, int64_t case_id, const xy_case_event *ev,
				xy_error *err);
xy_code xy_store_case_events(xy_store *s, int64_t case_id, xy_case_event_cb cb, void *ctx,
			     xy_error *err);

/* An interview (约谈) of a subject by a unit. */
typedef struct xy_interview_row {
	int64_t id;
	int64_t subject_id, unit_id;
	char on[11];
	const char *persons; /* one person a line: 姓名[:职务] */
	int npersons;
	const char *topic;
	const char *result;
	char created_at[32];
	const char *unit, *subject_code, *subject_name; /* filled when read */
	void *mem;           /* the block owning the strings, NULL: borrowed */
} xy_interview_row;

xy_code xy_interview_row_copy(xy_interview_row *dst, const xy_interview_row *src);
void xy_interview_row_release(xy_interview_row *r);
typedef int (*xy_interview_cb)(void *ctx, const xy_interview_row *r);
xy_code xy_store_interview_insert(xy_store *s, xy_interview_row *r, xy_error *err);
/* Interviews of a subject (0: all), by date then id. */
xy_code xy_store_interviews(xy_store *s, int64_t subject_id, xy_interview_cb cb, void *ctx,
			    xy_error *err);

/* ---- credit commitments (信用承诺书) and government dishonesty (政府失信) ----
 *
 * Statuses are never stored: a commitment's status follows from its checks
 * and a government-dishonesty entry's 治理 status from its history, as of the
 * date asked (commitment.h, gov_dishonesty.h). */

/* A signed commitment as stored. */
typedef struct xy_commitment_row {
	int64_t id;
	int64_t subject_id;
	int64_t unit_id;         /* the unit that received it */
	const char *no;          /* 承诺书编号: the key of its 信用承诺书 record */
	const char *type;        /* 承诺类型 (commitment-types.tsv) */
	const char *subject_code;
	const char *subject_name;
	const char *unit;
	const char *matter;      /* 承诺事项 */
	char signed_on[11];
	char deadline[11];       /* 履约期限, "" = none */
	const char *content;
	char created_at[32];
	void *mem;               /* the block owning the strings, NULL: borrowed */
} xy_commitment_row;

xy_code xy_commitment_row_copy(xy_commitment_row *dst, const xy_commitment_row *src);
void xy_commitment_row_release(xy_commitment_row *c);

/* Insert (unit_id, subject_id, no, type, matter, signed_on, deadline,
 * content); sets c->id and created_at.  An empty no leaves the commitment
 * unnumbered (c->no stays ""): the caller numbers it with
 * xy_store_commitment_number in the same transaction.  XY_ERR_CONFLICT when
 * the unit already has a commitment numbered no. */
xy_code xy_store_commitment_insert(xy_store *s, xy_commitment_row *c, xy_error *err);
/* Give the unnumbered commitment id its number no (composed by the caller).
 * XY_ERR_NOTFOUND when there is no commitment id; XY_ERR_CONFLICT when its
 * unit already has a commitment numbered no. */
xy_code xy_store_commitment_number(xy_store *s, int64_t id, const char *no, xy_error *err);
/* *out owns its strings on XY_OK (xy_commitment_row_release);
 * XY_ERR_NOTFOUND when there is no commitment id. */
xy_code xy_store_commitment_get(xy_store *s, int64_t id, xy_commitment_row *out,
				xy_error *err);
typedef int (*xy_commitment_cb)(void *ctx, const xy_commitment_row *c); /* non-zero stops */
/* Commitments received by unit_id and/or signed by subject_id (0 = any), by id. */
xy_code xy_store_commitments(xy_store *s, int64_t unit_id, int64_t subject_id,
			     xy_commitment_cb cb, void *ctx, xy_error *err);

/* A fulfilment check (核查) of a commitment. */
typedef struct xy_commitment_check {
	int64_t commitment_id;
	const char *on;          /* 核查日期 */
	const char *result;      /* 履约 | 未履约 */
	const char *by;          /* who checked */
	const char *note;        /* may be NULL */
	int64_t entry_id;        /* the list entry a breach created, 0 = none */
	const char *record_key;  /* the key of the breach record, NULL = none */
	const char *at;          /* when it was stored (filled when read) */
} xy_commitment_check;

xy_code xy_store_commitment_check_add(xy_store *s, const xy_commitment_check *v,
				      xy_error *err);
typedef int (*xy_commitment_check_cb)(void *ctx, const xy_commitment_check *v);
/* The checks of a commitment in the order they were stored. */
xy_code xy_store_commitment_checks(xy_store *s, int64_t commitment_id,
				   xy_commitment_check_cb cb, void *ctx, xy_error *err);

/* The records of unit × category that batch_id brought in or saw again (new,
 * updated and unchanged rows of that batch: last_batch = batch_id), by id.
 * The view's unit, category and reported_on are not filled; subject_id is
 * passed beside it (0: none).  For turning an imported 信用承诺书 batch into
 * commitments. */
typedef int (*xy_batch_record_cb)(void *ctx, int64_t subject_id, const xy_record_view *r);
xy_code xy_store_batch_records(xy_store *s, int64_t unit_id, int64_t category_id,
			       int64_t batch_id, xy_batch_record_cb cb, void *ctx, xy_error *err);

/* A government-dishonesty entry as stored, with what its history says. */
typedef struct xy_gov_dishonesty_row {
	int64_t id;
	int64_t body_id;           /* the government body (a subject, USCC 1…) */
	int64_t unit_id;           /* the district: a county or park unit */
	int64_t creditor_id;       /* the creditor subject, 0 = none */
	const char *body_code;
	const char *body_name;
	const char *unit;
	const char *creditor_code;
	const char *creditor_name;
	const char *case_type;     /* gov-dishonesty-types.tsv */
	const char *amount;        /* 万元, "" = not given */
	const char *source;        /* the document it comes from (判决书文号 …): identity with body */
	char registered_on[11];
	const char *note;
	char created_at[32];
	char status[16];           /* the history's last status (whatever its date) */
	char status_on[11];        /* … and its date */
	char governed_on[11];      /* the date of 已治理, "" = none */
	void *mem;                 /* the block owning the strings, NULL: borrowed */
} xy_gov_dishonesty_row;

xy_code xy_gov_dishonesty_row_copy(xy_gov_dishonesty_row *dst, const xy_gov_dishonesty_row *src);
void xy_gov_dishonesty_row_release(xy_gov_dishonesty_row *g);

/* Insert (body_id, unit_id, creditor_id, case_type, amount, source,
 * registered_on, note); sets g->id and created_at.  The first history line
 * (xy_store_gov_dishonesty_status_add) is the caller's.  XY_ERR_CONFLICT when the body already has an
 * entry from that source. */
xy_code xy_store_gov_dishonesty_insert(xy_store *s, xy_gov_dishonesty_row *g, xy_error *err);
/* *out owns its strings on XY_OK (xy_gov_dishonesty_row_release). */
xy_code xy_store_gov_dishonesty_get(xy_store *s, int64_t id, xy_gov_dishonesty_row *out, xy_error *err);
typedef int (*xy_gov_dishonesty_cb)(void *ctx, const xy_gov_dishonesty_row *g); /* non-zero stops */
/* Entries of one district (unit_id; 0 = all), by id. */
xy_code xy_store_gov_dishonesties(xy_store *s, int64_t unit_id, xy_gov_dishonesty_cb cb, void *ctx,
			  xy_error *err);
/* Entries whose body is the subject body_id (> 0), by id: an index lookup. */
xy_code xy_store_subject_gov_dishonesties(xy_store *s, int64_t body_id, xy_gov_dishonesty_cb cb,
					  void *ctx, xy_error *err);
/* Append a history line (status 未治理 治理中 已治理, its date, evidence).
 * The order of statuses is the caller's business. */
xy_code xy_store_gov_dishonesty_status_add(xy_store *s, int64_t id, const char *status,
				    const char *on, const char *evidence, xy_error *err);
typedef struct xy_gov_dishonesty_event {
	const char *status, *on, *evidence, *at;
} xy_gov_dishonesty_event;
typedef int (*xy_gov_dishonesty_event_cb)(void *ctx, const xy_gov_dishonesty_event *ev);
xy_code xy_store_gov_dishonesty_history(xy_store *s, int64_t id, xy_gov_dishonesty_event_cb cb, void *ctx,
				 xy_error *err);

/* ---- list entries derived from imported records (docs/credit.md) ----
 *
 * Rows of a list category (地方发布红名单, 地方发布黑名单, 国家黑名单) become list
 * entries after their batch commits (xy_credit_list_sync).  A link remembers
 * which record, in which version (data_batch), an entry reflects. */

/* A record of a list category; from xy_store_list_records, or filled by the
 * caller for xy_store_list_record_link. */
typedef struct xy_list_record {
	int64_t unit_id;      /* the reporting unit */
	int64_t category_id;
	const char *key;      /* the unit's key (编号/文书号) */
	int64_t subject_id;   /* 0: none */
	int64_t data_batch;   /* the batch that brought the record's current data */
	int64_t entry_id;     /* the entry derived from an earlier version, 0 = none */
	const char *data;     /* JSON object of the fields */
} xy_list_record;
typedef int (*xy_list_record_cb)(void *ctx, const xy_list_record *r); /* non-zero stops */

/* The records of unit × category that no entry reflects yet, or whose data
 * changed since (entry_id then names the entry), in record order.  Views are
 * valid during the callback; do not write to the store from it. */
xy_code xy_store_list_records(xy_store *s, int64_t unit_id, int64_t category_id,
			      xy_list_record_cb cb, void *ctx, xy_error *err);
/* Remember that r (in version r->data_batch) is reflected by r->entry_id. */
xy_code xy_store_list_record_link(xy_store *s, const xy_list_record *r, xy_error *err);
/* The entry the record (unit, category, key) is linked to: derived from it by
 * a sync, or the entry `list add` wrote it for; 0 when none. */
xy_code xy_store_list_record_entry(xy_store *s, int64_t unit_id, int64_t category_id,
				   const char *key, int64_t *entry_id, xy_error *err);

/* The record (unit, category, key): its id and subject (0: none);
 * XY_ERR_NOTFOUND, err untouched, if there is none. */
xy_code xy_store_record_find(xy_store *s, int64_t unit_id, int64_t category_id, const char *key,
			     int64_t *id, int64_t *subject_id, xy_error *err);
/* The entry (list type, subject, doc), owning its strings
 * (xy_entry_row_release); XY_ERR_NOTFOUND, err untouched, if none. */
xy_code xy_store_entry_find(xy_store *s, const char *list_type, int64_t subject_id,
			    const char *doc, xy_entry_row *out, xy_error *err);
/* Correct an entry's unit_id, reason, from and to (a corrected report), with a
 * history line 更正 and detail. */
xy_code xy_store_entry_update(xy_store *s, const xy_entry_row *e, const char *detail,
			      xy_error *err);

/* Memoranda loaded at run time (xinyong memorandum load), kept as TSV text. */
typedef struct xy_stored_memo {
	const char *doc, *file, *text, *loaded_at;
	int version; /* 1, and one more for each replacement */
} xy_stored_memo;
typedef int (*xy_memo_cb)(void *ctx, const xy_stored_memo *m); /* non-zero stops */
/* XY_ERR_CONFLICT when a memorandum with that doc is stored. */
xy_code xy_store_memorandum_add(xy_store *s, const char *doc, const char *file,
				const char *text, xy_error *err);
/* Replace the stored memorandum doc, keeping the text it had as an earlier
 * version (memorandum_versions); XY_ERR_NOTFOUND when none is stored. */
xy_code xy_store_memorandum_replace(xy_store *s, const char *doc, const char *file,
				    const char *text, xy_error *err);
/* Every stored memorandum, in the order they were loaded. */
xy_code xy_store_memoranda(xy_store *s, xy_memo_cb cb, void *ctx, xy_error *err);

/* ---- 双公示 feeds (issue 9, the public API; lib/store/sqlite_public.c) ---- */

/* Which records of a feed, and where a keyset page starts. */
typedef struct xy_feed_query {
	int64_t category_id;     /* the category (行政许可, 行政处罚 …); required */
	const char *from, *to;   /* decided_on range, inclusive, YYYY-MM-DD; NULL: open */
	int64_t unit_id;         /* 0: every unit */
	const char *kind;        /* subject kind (xy_subject_kind_name); NULL: any */
	const char *before_date; /* keyset: only records before (before_date, before_id) */
	int64_t before_id;       /* in the feed's order; before_date NULL: from the newest */
} xy_feed_query;

/* One record of a feed and its subject.  Everything points into the current
 * row (valid during the callback); subject's strings are borrowed: never
 * release it. */
typedef struct xy_feed_row {
	xy_record_view rec;
	xy_subject subject;
} xy_feed_row;
typedef int (*xy_feed_cb)(void *ctx, const xy_feed_row *r); /* non-zero stops */

/* The records of q->category decided in the range, newest decision first,
 * then by id descending; records without a decision date or a subject are in
 * no feed.  A walk of the index records_feed (migration 11) that reads no
 * further than the callback asks: a page costs its own rows, not the
 * category's, whatever OFFSET a client is at. */
xy_code xy_store_feed(xy_store *s, const xy_feed_query *q, xy_feed_cb cb, void *ctx,
		      xy_error *err);

/* ---- intake as units send it (issue 8; docs/formats.md) ---- */

/* A unit's own column name for a field of a category (xinyong mapping). */
typedef struct xy_mapping {
	int64_t unit_id, category_id;
	const char *header;     /* as the unit writes it, trimmed */
	const char *field_code; /* e.g. CF_FK */
	const char *created_at;
} xy_mapping;
typedef int (*xy_mapping_cb)(void *ctx, const xy_mapping *m); /* non-zero stops */

/* Add or replace the mapping of (unit, category, header); *replaced (may be
 * NULL) tells whether one was stored before. */
xy_code xy_store_mapping_put(xy_store *s, const xy_mapping *m, bool *replaced, xy_error *err);
/* XY_ERR_NOTFOUND, err untouched, when there is no such mapping. */
xy_code xy_store_mapping_remove(xy_store *s, int64_t unit_id, int64_t category_id,
				const char *header, xy_error *err);
/* Mappings of a unit and/or category (0 = any), by unit, category, header. */
xy_code xy_store_mappings(xy_store *s, int64_t unit_id, int64_t category_id, xy_mapping_cb cb,
			  void *ctx, xy_error *err);

/* One sheet of an imported file: where its header was, or why it was skipped. */
typedef struct xy_batch_sheet {
	int64_t batch_id;
	int seq;              /* order in the file, from 1 */
	const char *sheet;    /* "" for a file without sheets */
	long header_row;      /* 0: no header found, the sheet was skipped */
	long rows;            /* data rows read below the header */
	const char *note;     /* why skipped (Chinese), NULL otherwise */
} xy_batch_sheet;
typedef int (*xy_batch_sheet_cb)(void *ctx, const xy_batch_sheet *sh);
xy_code xy_store_batch_sheet_add(xy_store *s, const xy_batch_sheet *sh, xy_error *err);
xy_code xy_store_batch_sheets(xy_store *s, int64_t batch_id, xy_batch_sheet_cb cb, void *ctx,
			      xy_error *err);

/* A column with data that maps to no field (its values are kept in each
 * record's data under "_extra"). */
typedef struct xy_batch_column {
	int64_t batch_id;
	const char *sheet;      /* "" for a file without sheets */
	long col;               /* 1-based */
	const char *header;
	const char *suggestion; /* nearest field code, NULL when none is near */
	long cells;             /* non-empty cells */
} xy_batch_column;
typedef int (*xy_batch_column_cb)(void *ctx, const xy_batch_column *c);
xy_code xy_store_batch_column_add(xy_store *s, const xy_batch_column *c, xy_error *err);
/* The unmapped columns of a batch, in file order. */
xy_code xy_store_batch_columns(xy_store *s, int64_t batch_id, xy_batch_column_cb cb, void *ctx,
			       xy_error *err);

/* ---- data quality per unit (xinyong quality; issue 8) ----
 *
 * What the quality report (quality.h) reads: the records that batches of a
 * range of reporting months first brought in, with their decision and upload
 * dates, and per unit × category the batches' rejected rows, their stored
 * reasons and the unmapped columns seen.  Months are YYYY-MM of
 * batches.reported_on, as in xy_store_counts; unit_id 0 means every unit. */

/* A record that a committed batch of the months first brought in. */
typedef struct xy_quality_record {
	int64_t unit_id, category_id;
	const char *decided_on;  /* YYYY-MM-DD, NULL when the record has none */
	const char *started_at;  /* when its first batch started (ISO 8601 UTC), NULL
				    when the batch has no start time */
	const char *data;        /* JSON object of field code → value; NULL unless
				    the record's category was asked for */
} xy_quality_record;
typedef int (*xy_quality_record_cb)(void *ctx, const xy_quality_record *r); /* non-zero stops */
/* Every such record, in no particular order, with its data when its
 * category is one of data_categories[0..ndata) (reading every record's data
 * doubled the time of the scan).  A scan of the records (none is indexed by
 * batch): the cost grows with the database, not the range. */
xy_code xy_store_quality_records(xy_store *s, const char *from_month, const char *to_month,
				 int64_t unit_id, const int64_t *data_categories, size_t ndata,
				 xy_quality_record_cb cb, void *ctx, xy_error *err);

/* The batches of the months (committed and refused) of one unit × category. */
typedef struct xy_quality_batches {
	int64_t unit_id, category_id;
	long long batches;     /* files imported */
	long long refused;     /* of them refused (status refused) */
	long long rejected;    /* rejected rows, summed (stored errors or not) */
	long long error_rows;  /* rejected rows whose errors are stored (batch_errors) */
} xy_quality_batches;
typedef int (*xy_quality_batches_cb)(void *ctx, const xy_quality_batches *b);
/* One call per unit × category with batches in the months, by unit id then
 * category id. */
xy_code xy_store_quality_batches(xy_store *s, const char *from_month, const char *to_month,
				 int64_t unit_id, xy_quality_batches_cb cb, void *ctx,
				 xy_error *err);

/* A rejection reason as stored (batch_errors.reason_zh, the English reason
 * when there is none), and how many stored errors give it. */
typedef struct xy_reason_count {
	int64_t unit_id, category_id;
	const char *reason;
	long long n;
} xy_reason_count;
typedef int (*xy_reason_count_cb)(void *ctx, const xy_reason_count *r);
/* Reasons of the months' batches grouped on their text, by unit id, category
 * id, then most frequent first (ties by text). */
xy_code xy_store_quality_reasons(xy_store *s, const char *from_month, const char *to_month,
				 int64_t unit_id, xy_reason_count_cb cb, void *ctx,
				 xy_error *err);

/* An unmapped column header over the months' batches of one unit × category. */
typedef struct xy_column_seen {
	int64_t unit_id, category_id;
	const char *header;
	const char *suggestion; /* a field code suggested for it, NULL: none */
	long long batches;      /* batches that had it */
	long long cells;        /* non-empty cells, summed */
} xy_column_seen;
typedef int (*xy_column_seen_cb)(void *ctx, const xy_column_seen *c);
/* Distinct headers by unit id, category id, then most cells first. */
xy_code xy_store_quality_columns(xy_store *s, const char *from_month, const char *to_month,
				 int64_t unit_id, xy_column_seen_cb cb, void *ctx,
				 xy_error *err);

/* ---- users, sessions, bearer tokens, audit log (issue 9; auth.h) ----
 *
 * The store keeps what auth.c decides: password hashes (argon2id strings),
 * token and session hashes (hex), never a secret in clear.  Roles are stored
 * by name (xy_role_name).  Times are Unix seconds (expiry) or ISO 8601 UTC
 * text (when something happened). */

/* A user.  Strings are heap copies owned by the row (never NULL once filled);
 * xy_user_row_release frees them. */
typedef struct xy_user_row {
	int64_t id;
	char *name;
	char *role;        /* "unit" "admin" "auditor" */
	int64_t unit_id;   /* 0: none */
	char *unit;        /* the unit's name, "" when none */
	char *pwhash;      /* crypto_pwhash_str output; "" in listings */
	bool disabled;
	char *created_at;
	char *changed_at;  /* last password change or disabling */
} xy_user_row;
void xy_user_row_release(xy_user_row *u);             /* NULL ok; zeroes u */
void xy_user_rows_free(xy_user_row *v, size_t n);

/* Borrowed input of xy_store_user_insert. */
typedef struct xy_user_in {
	const char *name, *role, *pwhash, *at;
	int64_t unit_id;
} xy_user_in;
/* XY_ERR_CONFLICT when the name exists. */
xy_code xy_store_user_insert(xy_store *s, const xy_user_in *u, int64_t *id, xy_error *err);
/* By name or id; XY_ERR_NOTFOUND (err untouched) when none. */
xy_code xy_store_user_get(xy_store *s, const char *name, xy_user_row *out, xy_error *err);
xy_code xy_store_user_by_id(xy_store *s, int64_t id, xy_user_row *out, xy_error *err);
/* Every user by name, pwhash "". *out malloc'd: xy_user_rows_free. */
xy_code xy_store_users(xy_store *s, xy_user_row **out, size_t *n, xy_error *err);
/* Set the password hash (pwhash != NULL) and/or disable, stamping
 * changed_at; also ends the user's sessions.  XY_ERR_NOTFOUND. */
xy_code xy_store_user_update(xy_store *s, int64_t id, const char *pwhash, bool disable,
			     const char *at, xy_error *err);

/* Sessions: hash is the hex generichash of the cookie's token. */
xy_code xy_store_session_insert(xy_store *s, const char *hash, int64_t user_id,
				int64_t expires, const char *at, xy_error *err);
/* XY_ERR_NOTFOUND (err untouched) when no such session. */
xy_code xy_store_session_get(xy_store *s, const char *hash, int64_t *user_id,
			     int64_t *expires, xy_error *err);
xy_code xy_store_session_delete(xy_store *s, const char *hash, xy_error *err);
/* Delete sessions that expired before `now`. */
xy_code xy_store_sessions_purge(xy_store *s, int64_t now, xy_error *err);

/* A bearer token; hash is "" in listings. */
typedef struct xy_token_row {
	int64_t id;
	char *role;
	int64_t unit_id;
	char *unit;        /* "" when none */
	char *label;       /* "" when none */
	char *hash;
	char *created_by;
	char *created_at;
	int64_t expires;   /* Unix time */
	char *revoked_at;  /* "" while valid */
} xy_token_row;
void xy_token_row_release(xy_token_row *t);
void xy_token_rows_free(xy_token_row *v, size_t n);

typedef struct xy_token_in {
	const char *hash, *role, *label, *created_by, *at;
	int64_t unit_id, expires;
} xy_token_in;
xy_code xy_store_token_insert(xy_store *s, const xy_token_in *t, int64_t *id, xy_error *err);
/* XY_ERR_NOTFOUND (err untouched) when none; the row has its hash. */
xy_code xy_store_token_get(xy_store *s, int64_t id, xy_token_row *out, xy_error *err);
/* Newest first, hash "". */
xy_code xy_store_tokens(xy_store *s, xy_token_row **out, size_t *n, xy_error *err);
/* XY_ERR_NOTFOUND; XY_ERR_CONFLICT when revoked already. */
xy_code xy_store_token_revoke(xy_store *s, int64_t id, const char *at, xy_error *err);

/* One audit log entry as stored (views: valid during the callback).
 * before/after are hex SHA-256 digests or "". */
typedef struct xy_audit_view {
	int64_t seq;
	const char *at, *who, *action, *object, *detail, *before, *after, *prev, *hash;
} xy_audit_view;
typedef int (*xy_audit_cb)(void *ctx, const xy_audit_view *v); /* non-zero stops */

typedef struct xy_audit_filter {
	const char *who, *action, *from, *to; /* NULL: any */
	size_t limit;                         /* 0: all */
	int64_t after, before;                /* keyset: seq > after, seq < before (0: none) */
	bool desc;                            /* newest first (seq descending) */
} xy_audit_filter;

/* Append v (v->seq must be the head's seq + 1) and move the head to it, in
 * the caller's transaction.  XY_ERR_CONFLICT when seq is taken. */
xy_code xy_store_audit_insert(xy_store *s, const xy_audit_view *v, xy_error *err);
/* The head: last seq (0 when empty) and its hash ("" when empty), replacing
 * hash's contents. */
xy_code xy_store_audit_head(xy_store *s, int64_t *seq, xy_buf *hash, xy_error *err);
/* Entries matching f (NULL: all) in seq order, or newest first with f->desc. */
xy_code xy_store_audit_list(xy_store *s, const xy_audit_filter *f, xy_audit_cb cb, void *ctx,
			    xy_error *err);

/* ---- issued credit reports (信用报告; lib/report/credit_report.c,
 * lib/store/sqlite_report.c; docs/credit-report.md) ---- */

/* One issued report.  subject_name and subject_code are as the report
 * printed them (the public view: a 身份证号 masked), so showing them never
 * shows more than the public profile did. */
typedef struct xy_report_row {
	const char *number;       /* XY + YYYYMMDD + sequence */
	const char *day;          /* YYYY-MM-DD of the number */
	int64_t seq;              /* the sequence within the day, from 1 */
	int64_t subject_id;
	const char *subject_name;
	const char *subject_code;
	const char *generated_at; /* YYYY-MM-DDTHH:MM:SSZ */
	const char *data_as_of;   /* YYYY-MM-DD */
	const char *sha256;       /* hex SHA-256 of the PDF's bytes */
	const char *code;         /* the verification code (16 base32 characters) */
	const char *who;          /* who asked: "public" or a principal ("user:NAME") */
	void *mem;
} xy_report_row;
xy_code xy_report_row_copy(xy_report_row *dst, const xy_report_row *src);
void xy_report_row_release(xy_report_row *r);

/* Insert an issued report.  XY_ERR_CONFLICT when its number exists. */
xy_code xy_store_report_insert(xy_store *s, const xy_report_row *r, xy_error *err);
/* The report numbered number; XY_ERR_NOTFOUND (err set) when none. */
xy_code xy_store_report_get(xy_store *s, const char *number, xy_report_row *out,
			    xy_error *err);
/* The highest sequence issued on day (0 when none). */
xy_code xy_store_report_last_seq(xy_store *s, const char *day, int64_t *seq, xy_error *err);
/* A keyed BLAKE2b-256 of data[0..n) under a key derived from the database's
 * key file (the personal-data master key, docs/security.md) for this
 * purpose alone, so a value made with it cannot be forged without that
 * file.  A rekey changes it (values already stored stay as they are). */
xy_code xy_store_report_mac(xy_store *s, const void *data, size_t n, unsigned char out[32],
			    xy_error *err);

/* ---- online applications (信用修复 / 异议 from the public;
 * lib/credit/applications.c, lib/store/sqlite_apps.c; docs/repair.md) ---- */

/* One application: the case it filed and how its status is asked for. */
typedef struct xy_application_row {
	int64_t id;
	const char *receipt;  /* XF/YY + YYYYMMDD + 6-digit sequence */
	const char *day;      /* YYYY-MM-DD of the receipt */
	int64_t seq;          /* the sequence within the day, from 1 */
	const char *kind;     /* "repair" or "objection" */
	int64_t case_id;
	const char *secret;   /* hex hash of the secret (never the secret) */
	const char *contact;  /* phone or e-mail (encrypted at rest) */
	const char *filed_at; /* YYYY-MM-DDTHH:MM:SSZ */
	int64_t nattachments; /* filled by get */
	void *mem;
} xy_application_row;
xy_code xy_application_row_copy(xy_application_row *dst, const xy_application_row *src);
void xy_application_row_release(xy_application_row *r);

/* One attached file, stored by its SHA-256 (the file's name in the
 * attachments directory). */
typedef struct xy_attachment_row {
	int64_t application_id;
	int64_t n;            /* 1.. in the order given */
	const char *name;     /* as the applicant named it */
	const char *type;     /* application/pdf, image/jpeg, image/png (from the bytes) */
	int64_t size;
	const char *sha256;   /* hex */
	void *mem;
} xy_attachment_row;
xy_code xy_attachment_row_copy(xy_attachment_row *dst, const xy_attachment_row *src);
void xy_attachment_row_release(xy_attachment_row *r);
typedef int (*xy_attachment_cb)(void *ctx, const xy_attachment_row *a);

/* Insert an application (sets a->id).  XY_ERR_CONFLICT when its receipt, its
 * day and sequence or its case has one already. */
xy_code xy_store_application_insert(xy_store *s, xy_application_row *a, xy_error *err);
/* The application with receipt (when not NULL) or of case_id;
 * XY_ERR_NOTFOUND (err set) when none. */
xy_code xy_store_application_get(xy_store *s, const char *receipt, int64_t case_id,
				 xy_application_row *out, xy_error *err);
/* The highest sequence of the day's receipts (0 when none). */
xy_code xy_store_application_last_seq(xy_store *s, const char *day, int64_t *seq,
				      xy_error *err);
xy_code xy_store_attachment_insert(xy_store *s, const xy_attachment_row *a, xy_error *err);
/* An application's attachments by n. */
xy_code xy_store_attachments(xy_store *s, int64_t application_id, xy_attachment_cb cb,
			     void *ctx, xy_error *err);

/* ---- credit grading (grade.h; migration 17, lib/store/sqlite_grade.c) ---- */

/* Where a grading indicator's facts come from (grade.h). */
typedef enum xy_grade_source {
	XY_GSRC_CATEGORY,  /* category:行政处罚 — records of a category decided in the window */
	XY_GSRC_LIST_KIND, /* list:black|red|watch — entries active on the date */
	XY_GSRC_LIST_TYPE, /* listtype:NAME — entries of one list type active on the date */
	XY_GSRC_KEPT,      /* commitment:kept — commitment checks 履约 in the window */
	XY_GSRC_BROKEN,    /* commitment:broken — commitment checks 未履约 in the window */
} xy_grade_source;

/* One fact about a subject, handed to a callback (label valid during it). */
typedef struct xy_grade_fact {
	int64_t subject_id;
	int64_t ref;       /* records.id, list_entries.id or commitment_checks.id */
	char on[11];       /* decided_on, start_on or checked_on */
	const char *label; /* "行政处罚 KEY", "list type DOC", "commitment NO" */
} xy_grade_fact;
typedef int (*xy_grade_fact_cb)(void *ctx, const xy_grade_fact *f);

/* The facts of a source about subjects, in no particular order, in one
 * query: records of the category named arg decided within [from, to];
 * entries of the list kind (red/black/watch) or list type arg active on `to`;
 * commitment checks kept or broken within [from, to].  batch_id > 0: only
 * about the subjects of that batch's records. */
xy_code xy_store_grade_facts(xy_store *s, xy_grade_source src, const char *arg,
			     const char *from, const char *to, int64_t batch_id,
			     xy_grade_fact_cb cb, void *ctx, xy_error *err);
/* Every subject id in ascending order (batch_id > 0: those of its records). */
xy_code xy_store_grade_subjects(xy_store *s, int64_t batch_id, xy_id_cb cb, void *ctx,
				xy_error *err);
/* Store a model's text once per SHA-256 (*id: the new or existing row). */
xy_code xy_store_grade_model_put(xy_store *s, const char *sha256, const char *name,
				 const char *text, const char *at, int64_t *id, xy_error *err);
/* The text of the model of the latest run into text; XY_ERR_NOTFOUND if none. */
xy_code xy_store_grade_model_last(xy_store *s, xy_buf *text, xy_error *err);
/* The text of the stored model whose SHA-256 (hex) is sha256 into text;
 * XY_ERR_NOTFOUND if there is none. */
xy_code xy_store_grade_model_text(xy_store *s, const char *sha256, xy_buf *text, xy_error *err);
xy_code xy_store_grade_run_insert(xy_store *s, int64_t model_id, const char *as_of,
				  int64_t batch_id, const char *at, int64_t *run_id,
				  xy_error *err);
xy_code xy_store_grade_run_done(xy_store *s, int64_t run_id, long subjects, xy_error *err);
/* A subject's grade in a run; items is its explanation (JSON text). */
xy_code xy_store_grade_put(xy_store *s, int64_t run_id, int64_t subject_id, long score,
			   const char *grade, const char *items, xy_error *err);

/* A stored grade (or run, with the subject fields empty), handed to a
 * callback: the strings are valid during it. */
typedef struct xy_grade_row {
	int64_t run_id, subject_id, batch_id; /* batch_id 0: a full run */
	const char *code, *name;              /* the subject */
	long score;                           /* centi-points */
	char grade[2];
	const char *items;                    /* explanation JSON ("" in lists) */
	char as_of[11];
	const char *model, *sha256, *at;
	long subjects;                        /* subjects the run graded */
} xy_grade_row;
typedef int (*xy_grade_cb)(void *ctx, const xy_grade_row *g);
/* A subject's grades, newest run first (run_id > 0: that run's only). */
xy_code xy_store_grades_of(xy_store *s, int64_t subject_id, int64_t run_id, xy_grade_cb cb,
			   void *ctx, xy_error *err);
/* Each graded subject's grade in its latest run, in no order: only code and
 * grade are set (no explanation, no run).  One pass over an index (migration
 * 19), for the draws (inspect.h), which look up a million subjects at once. */
xy_code xy_store_grades_latest(xy_store *s, xy_grade_cb cb, void *ctx, xy_error *err);
/* The latest grade of n subjects named by code, for a draw over a million:
 * codes[0..n) sorted in strcmp order (equal codes side by side; each is the
 * caller's, only read); grades[i] (the caller's, n bytes) gets the grade of
 * codes[i] in its subject's latest run as xy_store_grades_latest gives it,
 * or 0 when no subject of that code was graded.  A code is the subject whose
 * code it is as written; only a code no such subject has is looked up as a
 * personal number (its keyed hash), as a subject lookup does (SQLite; a
 * backend without its own, PostgreSQL, answers from xy_store_grades_latest,
 * where such a code, if it ever named two subjects, takes the one read
 * last).  One read snapshot; on SQLite the latest-grade map and one index
 * walk, no decryption. */
xy_code xy_store_grades_latest_of(xy_store *s, const char *const *codes, size_t n, char *grades,
				  xy_error *err);
/* xy_store_grades_latest_of in two steps, so that a draw reads the grades
 * while it reads its file: xy_store_grades_latest_read reads every
 * subject's code and latest grade into *out (the caller's, freed by
 * xy_grades_set_free; one read snapshot).  It uses only s, and may run on
 * another thread as long as no other thread uses s until it returns.
 * xy_grades_set_of then answers for n sorted codes exactly as
 * xy_store_grades_latest_of does (grades[i] 0: no graded subject), using
 * nothing but the set, which it only reads: threads may each answer for a
 * slice of one sorted list at once. */
typedef struct xy_grades_set xy_grades_set;
xy_code xy_store_grades_latest_read(xy_store *s, xy_grades_set **out, xy_error *err);
xy_code xy_grades_set_of(const xy_grades_set *set, const char *const *codes, size_t n,
			 char *grades, xy_error *err);
void xy_grades_set_free(xy_grades_set *set);
/* Grades of `grade` ("": any) by subject id; run_id 0: each subject's latest. */
xy_code xy_store_grades(xy_store *s, const char *grade, int64_t run_id, xy_grade_cb cb,
			void *ctx, xy_error *err);
/* The same, one keyset page: subjects with an id above after_id (0: from the
 * first), at most limit rows (0: no limit). */
xy_code xy_store_grades_page(xy_store *s, const char *grade, int64_t run_id, int64_t after_id,
			     size_t limit, xy_grade_cb cb, void *ctx, xy_error *err);
/* How many subjects have each grade, in the order of the grades' letters;
 * run_id 0: each subject's latest grade. */
typedef int (*xy_grade_count_cb)(void *ctx, const char *grade, long subjects);
xy_code xy_store_grade_counts(xy_store *s, int64_t run_id, xy_grade_count_cb cb, void *ctx,
			      xy_error *err);
/* The runs, newest first. */
xy_code xy_store_grade_runs(xy_store *s, xy_grade_cb cb, void *ctx, xy_error *err);
/* ---- 双随机、一公开 inspections (inspect.h; migration 18, sqlite_inspect.c) ----
 *
 * Plans and draws are kept as the texts that were published (canonical plan
 * JSON, population snapshot, draw text) with their SHA-256; a draw is never
 * updated nor deleted (triggers refuse it).  One result per drawn target.
 * Rows are views valid during the callback. */
typedef struct xy_inspect_plan_row {
	int64_t id;
	const char *unit, *name, *text, *digest, *created_at, *who;
} xy_inspect_plan_row;
typedef struct xy_inspect_draw_row {
	int64_t id, plan_id;
	const char *random, *population, *population_digest, *text, *digest, *drawn_at, *who;
} xy_inspect_draw_row;
typedef struct xy_inspect_result_row {
	int64_t draw_id;
	const char *code, *outcome, *detail, *recorded_at, *who;
	int64_t batch_id; /* the 行政处罚 batch a penalty came in by, 0: none */
} xy_inspect_result_row;
typedef int (*xy_inspect_plan_cb)(void *ctx, const xy_inspect_plan_row *r);   /* non-zero stops */
typedef int (*xy_inspect_draw_cb)(void *ctx, const xy_inspect_draw_row *r);
typedef int (*xy_inspect_result_cb)(void *ctx, const xy_inspect_result_row *r);

/* Insert (r->id ignored; *id set).  XY_ERR_CONFLICT for a plan whose digest
 * is stored already, or a second result for a target. */
xy_code xy_store_inspect_plan_insert(xy_store *s, const xy_inspect_plan_row *r, int64_t *id,
				     xy_error *err);
xy_code xy_store_inspect_draw_insert(xy_store *s, const xy_inspect_draw_row *r, int64_t *id,
				     xy_error *err);
xy_code xy_store_inspect_result_insert(xy_store *s, const xy_inspect_result_row *r,
				       xy_error *err);
/* One plan (id > 0) or all by id (id 0); XY_ERR_NOTFOUND for an unknown id. */
xy_code xy_store_inspect_plans(xy_store *s, int64_t id, xy_inspect_plan_cb cb, void *ctx,
			       xy_error *err);
/* One draw (id > 0), or those of plan_id (id 0), or all (both 0), by id. */
xy_code xy_store_inspect_draws(xy_store *s, int64_t id, int64_t plan_id, xy_inspect_draw_cb cb,
			       void *ctx, xy_error *err);
/* The results of a draw (draw_id > 0) or all, by draw then code. */
xy_code xy_store_inspect_results(xy_store *s, int64_t draw_id, xy_inspect_result_cb cb,
				 void *ctx, xy_error *err);

#endif
