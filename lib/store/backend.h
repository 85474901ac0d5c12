/* xinyong: the store's internal backend interface.
 *
 * A backend defines its own handle struct with `struct xy_store` as its first
 * member and points `ops` at a static table of functions, one per public
 * xy_store_* function (plus a few internal ones used by store.c).  store.c
 * checks arguments that do not depend on the backend and dispatches; the
 * backend may therefore assume s != NULL and non-NULL output pointers.
 *
 * A handle is not thread-safe: use one xy_store per thread.  Callbacks given
 * to the iterating functions may call the store, but not the same iterating
 * function on the same handle: a backend answers that XY_ERR_STORE and keeps
 * the outer loop running (store.h, "Re-entrancy"; SQLite: xy__sq_prep
 * refuses a statement that is still stepping).
 */
#ifndef XY_STORE_BACKEND_H
#define XY_STORE_BACKEND_H

#include "xinyong/store.h"

/* Users, sessions, bearer tokens and the audit log (store.h, issue 9): a
 * table of its own so each backend can keep them in a file of their own
 * (lib/store/sqlite_auth.c). */
struct xy__store_auth_ops {
	xy_code (*user_insert)(xy_store *s, const xy_user_in *u, int64_t *id, xy_error *err);
	xy_code (*user_get)(xy_store *s, const char *name, int64_t id, xy_user_row *out,
			    xy_error *err);
	xy_code (*users)(xy_store *s, xy_user_row **out, size_t *n, xy_error *err);
	xy_code (*user_update)(xy_store *s, int64_t id, const char *pwhash, bool disable,
			       const char *at, xy_error *err);
	xy_code (*session_insert)(xy_store *s, const char *hash, int64_t user_id,
				  int64_t expires, const char *at, xy_error *err);
	xy_code (*session_get)(xy_store *s, const char *hash, int64_t *user_id,
			       int64_t *expires, xy_error *err);
	xy_code (*session_delete)(xy_store *s, const char *hash, xy_error *err);
	xy_code (*sessions_purge)(xy_store *s, int64_t now, xy_error *err);
	xy_code (*token_insert)(xy_store *s, const xy_token_in *t, int64_t *id, xy_error *err);
	xy_code (*token_get)(xy_store *s, int64_t id, xy_token_row *out, xy_error *err);
	xy_code (*tokens)(xy_store *s, xy_token_row **out, size_t *n, xy_error *err);
	xy_code (*token_revoke)(xy_store *s, int64_t id, const char *at, xy_error *err);
	xy_code (*audit_insert)(xy_store *s, const xy_audit_view *v, xy_error *err);
	xy_code (*audit_head)(xy_store *s, int64_t *seq, xy_buf *hash, xy_error *err);
	xy_code (*audit_list)(xy_store *s, const xy_audit_filter *f, xy_audit_cb cb, void *ctx,
			      xy_error *err);
};

/* The public API's reads (store.h, "双公示 feeds"): lib/store/sqlite_public.c. */
struct xy__store_public_ops {
	xy_code (*feed)(xy_store *s, const xy_feed_query *q, xy_feed_cb cb, void *ctx,
			xy_error *err);
};

/* What the source units' API reads and changes beyond issue 4's store
 * functions (store.h, "a unit's checks, feedback, watch list"; issue 9):
 * lib/store/sqlite_unit.c. */
struct xy__store_unit_ops {
	xy_code (*checks)(xy_store *s, int64_t unit_id, int64_t before, size_t limit,
			  xy_check_cb cb, void *ctx, xy_error *err);
	xy_code (*feedbacks)(xy_store *s, int64_t check_id, xy_feedback_cb cb, void *ctx,
			     xy_error *err);
	xy_code (*watches)(xy_store *s, int64_t unit_id, xy_watch_cb cb, void *ctx,
			   xy_error *err);
	xy_code (*watch_remove)(xy_store *s, int64_t unit_id, int64_t subject_id, bool *removed,
				xy_error *err);
	xy_code (*notices_read)(xy_store *s, int64_t unit_id, int64_t notice_id, const char *at,
				long *n, xy_error *err);
	xy_code (*batch_errors_page)(xy_store *s, int64_t batch_id, int64_t after, size_t limit,
				     xy_batch_error_page_cb cb, void *ctx, xy_error *err);
};

/* Issued credit reports (store.h, "issued credit reports"):
 * lib/store/sqlite_report.c. */
struct xy__store_report_ops {
	xy_code (*insert)(xy_store *s, const xy_report_row *r, xy_error *err);
	xy_code (*get)(xy_store *s, const char *number, xy_report_row *out, xy_error *err);
	xy_code (*last_seq)(xy_store *s, const char *day, int64_t *seq, xy_error *err);
	xy_code (*mac)(xy_store *s, const void *data, size_t n, unsigned char out[32],
		       xy_error *err);
};

/* Online applications (store.h, "online applications"):
 * lib/store/sqlite_apps.c. */
struct xy__store_apps_ops {
	xy_code (*insert)(xy_store *s, xy_application_row *a, xy_error *err);
	xy_code (*get)(xy_store *s, const char *receipt, int64_t case_id, xy_application_row *out,
		       xy_error *err);
	xy_code (*last_seq)(xy_store *s, const char *day, int64_t *seq, xy_error *err);
	xy_code (*attachment_insert)(xy_store *s, const xy_attachment_row *a, xy_error *err);
	xy_code (*attachments)(xy_store *s, int64_t application_id, xy_attachment_cb cb,
			       void *ctx, xy_error *err);
};

/* Units the office adds and renames (store.h, "units"): lib/store/sqlite_units.c. */
struct xy__store_units_ops {
	xy_code (*insert)(xy_store *s, xy_unit *u, xy_error *err);
	xy_code (*rename)(xy_store *s, int64_t id, const char *name, const char *at, xy_error *err);
};

/* Credit grading (store.h, "credit grading"): lib/store/sqlite_grade.c. */
struct xy__store_grade_ops {
	xy_code (*facts)(xy_store *s, xy_grade_source src, const char *arg, const char *from,
			 const char *to, int64_t batch_id, xy_grade_fact_cb cb, void *ctx,
			 xy_error *err);
	xy_code (*subjects)(xy_store *s, int64_t batch_id, xy_id_cb cb, void *ctx, xy_error *err);
	xy_code (*model_put)(xy_store *s, const char *sha256, const char *name, const char *text,
			     const char *at, int64_t *id, xy_error *err);
	/* sha256 NULL: the model of the latest run */
	xy_code (*model_last)(xy_store *s, const char *sha256, xy_buf *text, xy_error *err);
	xy_code (*run_insert)(xy_store *s, int64_t model_id, const char *as_of, int64_t batch_id,
			      const char *at, int64_t *run_id, xy_error *err);
	xy_code (*run_done)(xy_store *s, int64_t run_id, long subjects, xy_error *err);
	xy_code (*put)(xy_store *s, int64_t run_id, int64_t subject_id, long score,
		       const char *grade, const char *items, xy_error *err);
	xy_code (*grades_of)(xy_store *s, int64_t subject_id, int64_t run_id, xy_grade_cb cb,
			     void *ctx, xy_error *err);
	xy_code (*grades)(xy_store *s, const char *grade, int64_t run_id, int64_t after_id,
			  size_t limit, xy_grade_cb cb, void *ctx, xy_error *err);
	xy_code (*counts)(xy_store *s, int64_t run_id, xy_grade_count_cb cb, void *ctx,
			  xy_error *err);
	xy_code (*latest)(xy_store *s, xy_grade_cb cb, void *ctx, xy_error *err);
	/* every subject's latest grade into set (store.c's xy__grades_set_*);
	 * NULL: store.c fills it from latest */
	xy_code (*latest_read)(xy_store *s, struct xy_grades_set *set, xy_error *err);
	xy_code (*runs)(xy_store *s, xy_grade_cb cb, void *ctx, xy_error *err);
};

/* 双随机、一公开 plans, draws and results (store.h): lib/store/sqlite_inspect.c. */
struct xy__store_inspect_ops {
	xy_code (*plan_insert)(xy_store *s, const xy_inspect_plan_row *r, int64_t *id, xy_error *err);
	xy_code (*draw_insert)(xy_store *s, const xy_inspect_draw_row *r, int64_t *id, xy_error *err);
	xy_code (*result_insert)(xy_store *s, const xy_inspect_result_row *r, xy_error *err);
	xy_code (*plans)(xy_store *s, int64_t id, xy_inspect_plan_cb cb, void *ctx, xy_error *err);
	xy_code (*draws)(xy_store *s, int64_t id, int64_t plan_id, xy_inspect_draw_cb cb, void *ctx,
			 xy_error *err);
	xy_code (*results)(xy_store *s, int64_t draw_id, xy_inspect_result_cb cb, void *ctx,
			   xy_error *err);
};

/* Whole tables, for copying a database between backends (store.h,
 * xy_store_migrate; lib/store/migrate.c drives them): sqlite_raw.c reads,
 * pg_raw.c reads and loads.  A value comes with its storage class; the
 * driver converts it to the target column's class.  Table and column names
 * come from the database's own catalogue, never from a user. */
typedef enum { XY_RAW_NULL, XY_RAW_INT, XY_RAW_REAL, XY_RAW_TEXT, XY_RAW_BLOB } xy__raw_type;
typedef struct {
	xy__raw_type type;
	int64_t i;     /* XY_RAW_INT */
	double d;      /* XY_RAW_REAL */
	const char *p; /* XY_RAW_TEXT, XY_RAW_BLOB: p[0, n), borrowed for the callback */
	size_t n;
} xy__raw_value;
typedef struct {
	char *name;        /* owned by the table list */
	xy__raw_type type; /* the column's class: INT (also boolean), REAL, TEXT or BLOB */
} xy__raw_column;
/* A table and its columns, borrowed for the call; non-zero stops the walk. */
typedef int (*xy__raw_table_cb)(void *ctx, const char *table, const xy__raw_column *cols,
				size_t ncols);
/* A row of the columns asked for, in their order; non-zero stops the walk. */
typedef int (*xy__raw_row_cb)(void *ctx, const xy__raw_value *vals, size_t n);
struct xy__store_raw_ops {
	/* The data tables, referenced ones before those referencing them (the
	 * backend's own tables — search indexes, the schema version — left out). */
	xy_code (*tables)(xy_store *s, xy__raw_table_cb cb, void *ctx, xy_error *err);
	/* Whether table exists, and its columns' names and classes (cb once,
	 * with the columns in the table's order). */
	xy_code (*columns)(xy_store *s, const char *table, bool *exists, xy__raw_table_cb cb,
			   void *ctx, xy_error *err);
	/* Every row of cols, ordered by them (bytes, NULL first): the callback
	 * may not call this handle. */
	xy_code (*rows)(xy_store *s, const char *table, const xy__raw_column *cols, size_t ncols,
			xy__raw_row_cb cb, void *ctx, xy_error *err);
	/* Loading, in the caller's transaction: empty every data table, then per
	 * table begin, rows, end (ids go on after the largest loaded).  A
	 * backend that cannot be a target answers XY_ERR_UNSUPPORTED. */
	xy_code (*clear)(xy_store *s, xy_error *err);
	xy_code (*load_begin)(xy_store *s, const char *table, const xy__raw_column *cols,
			      size_t ncols, xy_error *err);
	xy_code (*load_row)(xy_store *s, const xy__raw_value *vals, size_t n, xy_error *err);
	xy_code (*load_end)(xy_store *s, bool ok, xy_error *err);
};

struct xy__store_ops {
	const char *name; /* "sqlite" */
	const struct xy__store_auth_ops *auth;
	const struct xy__store_public_ops *pub;
	const struct xy__store_unit_ops *unit;
	const struct xy__store_report_ops *report;
	const struct xy__store_apps_ops *apps;
	const struct xy__store_units_ops *units;
	const struct xy__store_grade_ops *grade;
	const struct xy__store_inspect_ops *inspect;
	const struct xy__store_raw_ops *raw;

	void (*close)(xy_store *s);
	int (*schema_version)(xy_store *s);
	xy_code (*table_rows)(xy_store *s, xy_table_rows_cb cb, void *ctx, xy_error *err);
	xy_code (*check)(xy_store *s, xy_buf *problems, xy_error *err);
	/* NULL: the backend partitions nothing */
	xy_code (*partitions)(xy_store *s, int ahead, xy_partition_cb cb, void *ctx,
			      xy_error *err);

	/* store.c seeds the registry when this says the units table is empty */
	xy_code (*registry_empty)(xy_store *s, bool *empty, xy_error *err);

	xy_code (*begin)(xy_store *s, bool bulk, xy_error *err);
	xy_code (*commit)(xy_store *s, xy_error *err);
	xy_code (*rollback)(xy_store *s, xy_error *err);
	xy_code (*read_begin)(xy_store *s, xy_error *err);
	void (*read_end)(xy_store *s);
	bool (*in_transaction)(xy_store *s);
	xy_code (*data_version)(xy_store *s, uint64_t *version, xy_error *err);
	xy_code (*log_position)(xy_store *s, uint64_t *pos, xy_error *err); /* NULL: none */
	xy_code (*checkpoint)(xy_store *s, bool manual, xy_error *err);
	void (*interrupt)(xy_store *s); /* from any thread */
	xy_code (*rekey)(xy_store *s, xy_rekey_fn progress, void *ctx, xy_error *err);

	xy_code (*save_registry)(xy_store *s, xy_registry *reg, xy_error *err);
	xy_code (*load_registry)(xy_store *s, xy_registry *reg, xy_error *err);

	xy_code (*subject_upsert)(xy_store *s, xy_subject *subj, xy_error *err);
	xy_code (*subject_find)(xy_store *s, const char *q, size_t qlen, size_t limit,
				xy_subject **out, size_t *n, xy_error *err);
	xy_code (*subject_search)(xy_store *s, const char *q, size_t qlen, int64_t after,
				  size_t limit, bool no_persons, xy_subject **out, size_t *n,
				  xy_error *err);

	xy_code (*batch_insert)(xy_store *s, xy_batch *b, xy_error *err);
	xy_code (*batch_update)(xy_store *s, const xy_batch *b, xy_error *err);
	xy_code (*batches)(xy_store *s, size_t limit, xy_batch **out, size_t *n,
			   xy_error *err);
	xy_code (*batch_get)(xy_store *s, int64_t id, xy_batch *out, xy_error *err);
	xy_code (*batch_error_add)(xy_store *s, const xy_batch_error *e, xy_error *err);
	xy_code (*batch_errors)(xy_store *s, int64_t batch_id, xy_batch_error_cb cb,
				void *ctx, xy_error *err);

	xy_code (*record_upsert)(xy_store *s, const xy_record_in *r,
				 xy_upsert_result *res, xy_error *err);
	/* NULL: store.c loads row after row with subject_upsert and record_upsert */
	xy_code (*records_load)(xy_store *s, xy_record_load *rows, size_t n,
				xy_upsert_result *res, xy_error *err);
	xy_code (*subject_records)(xy_store *s, int64_t subject_id, xy_record_cb cb,
				   void *ctx, xy_error *err);
	xy_code (*record_count)(xy_store *s, int64_t batch_id, long *n, xy_error *err);
	xy_code (*index_put)(xy_store *s, const xy_city_index *v, xy_error *err);
	xy_code (*index_list)(xy_store *s, xy_city_index **out, size_t *n, xy_error *err);

	xy_code (*list_type_ensure)(xy_store *s, const xy_list_type *lt, xy_error *err);
	xy_code (*entry_insert)(xy_store *s, xy_entry_row *e, xy_error *err);
	xy_code (*entry_history_add)(xy_store *s, int64_t entry_id, const char *action,
				     const char *detail, xy_error *err);
	xy_code (*entry_person_add)(xy_store *s, int64_t entry_id, int64_t person_id,
				    const char *role, xy_error *err);
	xy_code (*entry_get)(xy_store *s, int64_t id, xy_entry_row *out, xy_error *err);
	xy_code (*entry_exit)(xy_store *s, int64_t id, const char *how, const char *date,
			      const char *detail, xy_error *err);
	xy_code (*entries)(xy_store *s, const char *list_type, int64_t after, xy_entry_cb cb,
			   void *ctx, xy_error *err);
	xy_code (*subject_entries)(xy_store *s, int64_t subject_id, xy_entry_cb cb, void *ctx,
				   xy_error *err);
	xy_code (*entry_codes_on)(xy_store *s, const char *kind, const char *date,
				  xy_subject_code_cb cb, void *ctx, xy_error *err);
	xy_code (*entry_persons)(xy_store *s, int64_t entry_id, xy_entry_person_cb cb,
				 void *ctx, xy_error *err);
	xy_code (*entry_history)(xy_store *s, int64_t entry_id, xy_entry_event_cb cb,
				 void *ctx, xy_error *err);
	xy_code (*check_insert)(xy_store *s, xy_check_row *c, const char *answer,
				xy_error *err);
	xy_code (*check_get)(xy_store *s, int64_t id, xy_check_row *out, xy_buf *answer,
			     xy_error *err);
	xy_code (*feedback_insert)(xy_store *s, const xy_feedback_row *f, xy_error *err);
	xy_code (*feedback_count)(xy_store *s, int64_t check_id, long *n, xy_error *err);
	xy_code (*watch_add)(xy_store *s, int64_t unit_id, int64_t subject_id, xy_error *err);
	xy_code (*notify)(xy_store *s, int64_t subject_id, int64_t entry_id, long *n,
			  xy_error *err);
	xy_code (*notices)(xy_store *s, int64_t unit_id, xy_notice_cb cb, void *ctx,
			   xy_error *err);

	/* credit repair, objections, interviews */
	xy_code (*record_get)(xy_store *s, int64_t id, xy_record_row *out, xy_buf *data,
			      xy_error *err);
	xy_code (*case_insert)(xy_store *s, xy_case_row *c, xy_error *err);
	xy_code (*case_get)(xy_store *s, int64_t id, xy_case_row *out, xy_error *err);
	xy_code (*case_step)(xy_store *s, int64_t id, const char *from, const char *to,
			     const char *on, xy_error *err);
	xy_code (*cases)(xy_store *s, const char *kind, int64_t record_id, xy_case_cb cb,
			 void *ctx, xy_error *err);
	xy_code (*case_event_add)(xy_store *s, int64_t case_id, const xy_case_event *ev,
				  xy_error *err);
	xy_code (*case_events)(xy_store *s, int64_t case_id, xy_case_event_cb cb, void *ctx,
			       xy_error *err);
	xy_code (*interview_insert)(xy_store *s, xy_interview_row *r, xy_error *err);
	xy_code (*interviews)(xy_store *s, int64_t subject_id, xy_interview_cb cb, void *ctx,
			      xy_error *err);
	xy_code (*subject_by_code)(xy_store *s, const char *code, xy_subject *out,
				   xy_error *err);
	xy_code (*listed_subjects)(xy_store *s, xy_id_cb cb, void *ctx, xy_error *err);

	/* credit commitments and government dishonesty */
	xy_code (*commitment_insert)(xy_store *s, xy_commitment_row *c, xy_error *err);
	xy_code (*commitment_number)(xy_store *s, int64_t id, const char *no, xy_error *err);
	xy_code (*commitment_get)(xy_store *s, int64_t id, xy_commitment_row *out,
				  xy_error *err);
	xy_code (*commitments)(xy_store *s, int64_t unit_id, int64_t subject_id,
			       xy_commitment_cb cb, void *ctx, xy_error *err);
	xy_code (*commitment_check_add)(xy_store *s, const xy_commitment_check *v,
					xy_error *err);
	xy_code (*commitment_checks)(xy_store *s, int64_t commitment_id,
				     xy_commitment_check_cb cb, void *ctx, xy_error *err);
	xy_code (*batch_records)(xy_store *s, int64_t unit_id, int64_t category_id,
				 int64_t batch_id, xy_batch_record_cb cb, void *ctx, xy_error *err);
	xy_code (*gov_dishonesty_insert)(xy_store *s, xy_gov_dishonesty_row *g, xy_error *err);
	xy_code (*gov_dishonesty_get)(xy_store *s, int64_t id, xy_gov_dishonesty_row *out, xy_error *err);
	xy_code (*gov_dishonesties)(xy_store *s, int64_t unit_id, int64_t body_id,
				    xy_gov_dishonesty_cb cb, void *ctx,
			    xy_error *err);
	xy_code (*gov_dishonesty_status_add)(xy_store *s, int64_t id, const char *status,
				      const char *on, const char *evidence, xy_error *err);
	xy_code (*gov_dishonesty_history)(xy_store *s, int64_t id, xy_gov_dishonesty_event_cb cb, void *ctx,
				   xy_error *err);
	xy_code (*list_records)(xy_store *s, int64_t unit_id, int64_t category_id,
				xy_list_record_cb cb, void *ctx, xy_error *err);
	xy_code (*list_record_link)(xy_store *s, const xy_list_record *r, xy_error *err);
	xy_code (*list_record_entry)(xy_store *s, int64_t unit_id, int64_t category_id,
				     const char *key, int64_t *entry_id, xy_error *err);
	xy_code (*entry_find)(xy_store *s, const char *list_type, int64_t subject_id,
			      const char *doc, xy_entry_row *out, xy_error *err);
	xy_code (*entry_update)(xy_store *s, const xy_entry_row *e, const char *detail,
				xy_error *err);
	xy_code (*record_find)(xy_store *s, int64_t unit_id, int64_t category_id, const char *key,
			       int64_t *id, int64_t *subject_id, xy_error *err);
	xy_code (*memorandum_add)(xy_store *s, const char *doc, const char *file,
				  const char *text, xy_error *err);
	xy_code (*memorandum_replace)(xy_store *s, const char *doc, const char *file,
				      const char *text, xy_error *err);
	xy_code (*memoranda)(xy_store *s, xy_memo_cb cb, void *ctx, xy_error *err);
	xy_code (*mapping_put)(xy_store *s, const xy_mapping *m, bool *replaced, xy_error *err);
	xy_code (*mapping_remove)(xy_store *s, int64_t unit_id, int64_t category_id,
				  const char *header, xy_error *err);
	xy_code (*mappings)(xy_store *s, int64_t unit_id, int64_t category_id, xy_mapping_cb cb,
			    void *ctx, xy_error *err);
	xy_code (*batch_sheet_add)(xy_store *s, const xy_batch_sheet *sh, xy_error *err);
	xy_code (*batch_sheets)(xy_store *s, int64_t batch_id, xy_batch_sheet_cb cb, void *ctx,
				xy_error *err);
	xy_code (*batch_column_add)(xy_store *s, const xy_batch_column *c, xy_error *err);
	xy_code (*batch_columns)(xy_store *s, int64_t batch_id, xy_batch_column_cb cb, void *ctx,
				 xy_error *err);

	/* data quality (issue 8); months NULL = open, unit_id 0 = every unit */
	xy_code (*quality_records)(xy_store *s, const char *from, const char *to,
				   int64_t unit_id, const int64_t *data_categories, size_t ndata,
				   xy_quality_record_cb cb, void *ctx, xy_error *err);
	xy_code (*quality_batches)(xy_store *s, const char *from, const char *to,
				   int64_t unit_id, xy_quality_batches_cb cb, void *ctx,
				   xy_error *err);
	xy_code (*quality_reasons)(xy_store *s, const char *from, const char *to,
				   int64_t unit_id, xy_reason_count_cb cb, void *ctx,
				   xy_error *err);
	xy_code (*quality_columns)(xy_store *s, const char *from, const char *to,
				   int64_t unit_id, xy_column_seen_cb cb, void *ctx,
				   xy_error *err);
};

struct xy_store {
	const struct xy__store_ops *ops;
};

/* Open, create (with parent directories) and migrate the SQLite database at
 * path.  Does not seed the registry. */
xy_code xy__sqlite_open(xy_store **out, const char *path, xy_error *err);
/* The same, migrating only up to schema version `upto` (tests build a
 * database of an earlier schema with it, to test the later migrations). */
xy_code xy__sqlite_open_at(xy_store **out, const char *path, int upto, xy_error *err);

/* Connect to the PostgreSQL database of a postgresql:// or postgres:// URI
 * (libpq's connection URI) and migrate it (pg.c).  Does not seed the registry. */
xy_code xy__pg_open(xy_store **out, const char *uri, xy_error *err);

/* xy_store_set_wait's time in ms (store.c), and its notice, told once per
 * wait by the backend that starts waiting for another process's lock
 * ("the database is busy …; waiting up to N s"). */
unsigned xy__store_wait_ms(void);
void xy__store_wait_notice(void);

/* Parse a subject kind name ("legal", "person", "individual"); -1 if unknown. */
int xy__subject_kind_parse(const char *s, xy_subject_kind *k);

/* Filling a set of latest grades (xy_store_grades_latest_read, store.c): a
 * plain code (len bytes, no NUL in it) with its subject's grade (0: never
 * graded), a personal number's keyed hash with its grade, and the key that
 * hashes the codes looked up.  XY_ERR_NOMEM, or XY_ERR_LIMIT past 4 GB of
 * codes. */
struct xy__pii_key;
xy_code xy__grades_set_code(struct xy_grades_set *set, const char *code, size_t len, char grade,
			    xy_error *err);
xy_code xy__grades_set_hashed(struct xy_grades_set *set, const unsigned char *h, char grade,
			      xy_error *err);
void xy__grades_set_key(struct xy_grades_set *set, const struct xy__pii_key *key);
/* The grade of the i-th plain code added (i below the number added), for a
 * backend that learns it after adding the code */
void xy__grades_set_grade(struct xy_grades_set *set, size_t i, char grade);
/* Room made for about n plain codes of bytes in all, when known ahead (no
 * copying as the set grows); advice only: a failure leaves the set as it is */
void xy__grades_set_reserve(struct xy_grades_set *set, size_t n, size_t bytes);

#endif
