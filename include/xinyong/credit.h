/* xinyong: credit actions — red/black lists, the 联合奖惩 check, feedback,
 * watch notices.  The domain layer between the CLI (or API) and the store:
 * it validates names and dates against the registry and the sanctions
 * catalogue (sanctions.h), computes statuses from dates and writes through
 * store.h.  Every write is one transaction: on error nothing is changed.
 *
 * Ownership: an xy_credit borrows the store and the registry and owns its
 * catalogue.  Strings passed in are borrowed.
 */
#ifndef XINYONG_CREDIT_H
#define XINYONG_CREDIT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "codes.h"
#include "error.h"
#include "registry.h"
#include "sanctions.h"
#include "store.h"

typedef struct xy_credit {
	xy_store *store;
	const xy_registry *reg;
	xy_sanctions cat;
	/* Who acts (xy_principal_who: "cli:LOGIN", "user:NAME", "token:ID"), named
	 * in the audit log by every state change made through this layer and the
	 * layers on it (feedback, watch, repair and objection steps, commitments);
	 * borrowed, set by the caller before a write; NULL is logged as "-". */
	const char *who;
} xy_credit;

/* Load the catalogue from config_dir (NULL: the default configuration) and
 * the memoranda stored by xy_credit_memorandum_load, and copy any list type
 * the store lacks into it. */
xy_code xy_credit_open(xy_credit *c, xy_store *s, const xy_registry *reg,
		       const char *config_dir, xy_error *err);
/* As xy_credit_open, without writing: for a read handle beside a writer that
 * opened the credit layer already (the server's workers).  A list type the
 * store lacks stays out of the store; nothing is written. */
xy_code xy_credit_open_readonly(xy_credit *c, xy_store *s, const xy_registry *reg,
				const char *config_dir, xy_error *err);
void xy_credit_release(xy_credit *c);

/* The one subject whose code (normalised) or exact name is q.
 * XY_ERR_NOTFOUND when none, XY_ERR_CONFLICT when a name is ambiguous. */
xy_code xy_credit_subject(xy_credit *c, const char *q, xy_subject *out, xy_error *err);

/* A person named in a decision: "法定代表人:身份证号:姓名" (role one of
 * 法定代表人 主要负责人 直接责任人; the 身份证号 a valid RIC; the name kept
 * whole).  out is overwritten; release it with xy_credit_person_release
 * whatever the result. */
typedef struct xy_credit_person {
	const char *role;     /* static (xy_target_name) */
	char code[XY_ID_MAX]; /* the normalised 身份证号 */
	char *name;           /* owned */
} xy_credit_person;
xy_code xy_credit_person_parse(const char *s, xy_credit_person *out, xy_error *err);
void xy_credit_person_release(xy_credit_person *p); /* zeroes p; NULL is fine */

/* The 联合奖惩 check: what must `unit` do about `subject` for `matter` (code
 * or name; NULL = every matter) on `date` (NULL = today).  Logs the check
 * and appends its answer to `answer` as one JSON object:
 *   {"check_id","subject","subject_name","unit","matter","date","answer":"有"|"无",
 *    "entries":[{"entry","list_type","doc","from","to","unit","via",
 *                "role","through","through_name"}],
 *    "measures":[{"memorandum","number","text","kind","legal_basis","condition",
 *                 "triggered_by","entry"}]}
 * "entries" are the entries active on the date; "answer" is 无 when no measure
 * applies.  A valid full USCC or 身份证号 never reported is answered 无 with
 * "found": false and logged (the code becomes a subject without a name);
 * an unknown name, unit or matter: XY_ERR_NOTFOUND, nothing logged; a masked
 * number: XY_ERR_INVALID.  xy_credit_check_prepare then _record on c. */
xy_code xy_credit_check(xy_credit *c, const char *subject, const char *unit,
			const char *matter, const char *date, int64_t *check_id,
			xy_buf *answer, xy_error *err);

/* The same check in two steps, for a server that reads on several
 * connections and writes on one: _prepare computes the answer from c's store
 * and writes nothing (c may be a read-only layer); _record, on a layer that
 * writes (w: another connection to the same database, or c), makes an
 * unknown code a subject, logs the check and appends the answer, the same
 * text as xy_credit_check's, to `answer` (NULL: none).  The answer is as of
 * the snapshot _prepare read.  *out is owned by the caller, to be freed with
 * xy_check_prep_free (NULL is fine) after _record or instead of it; it may
 * be freed on another thread than the one that made it. */
typedef struct xy_check_prep xy_check_prep;
xy_code xy_credit_check_prepare(xy_credit *c, const char *subject, const char *unit,
				const char *matter, const char *date, xy_check_prep **out,
				xy_error *err);
xy_code xy_credit_check_record(xy_credit *w, xy_check_prep *p, int64_t *check_id,
			       xy_buf *answer, xy_error *err);
void xy_check_prep_free(xy_check_prep *p);

/* The batch check (docs/credit.md, "Batch check"): one row of the result. */
typedef struct xy_check_file_row {
	long row;            /* the file's row number (xy_row.line) */
	const char *code;    /* normalised code; "" when invalid */
	const char *input;   /* invalid rows: the code as given (input_len bytes) */
	size_t input_len;
	const char *name;    /* stored name; for an unknown subject the file's, or NULL */
	bool found;
	int64_t check_id;    /* the logged check (rows with measures), else 0 */
	const char *answer;  /* 有 无 未找到 无效 */
	const char *error;   /* invalid rows: why (Chinese), else NULL */
	size_t nmeasures;
	const char *json;    /* the row as one JSON object (json_len bytes, no newline):
	                      * {"row","code","name","found","check_id",("error"),"answer",
	                      *  "entries":[…],"measures":[…]} with entries and measures
	                      * as in xy_credit_check */
	size_t json_len;
} xy_check_file_row;
typedef int (*xy_check_file_cb)(void *ctx, const xy_check_file_row *r); /* non-zero stops */

typedef struct xy_check_file_summary {
	long rows;          /* data rows = checked + unknown + invalid */
	long checked;       /* found = with_measures + clean */
	long with_measures; /* answer 有 (each logged as a check) */
	long clean;         /* answer 无 */
	long unknown;       /* 未找到 */
	long invalid;       /* 无效: the code is not a valid identifier and not stored */
	const char *format;   /* static: csv xlsx json xls ods */
	const char *encoding; /* static: CSV: utf-8 or gb18030 …, else "" */
	char date[11];      /* the date checked */
} xy_check_file_summary;

/* Check every subject of a file (CSV UTF-8/GB18030, XLSX or JSON, read with
 * xy_reader) for `unit` and `matter` on `date`, as xy_credit_check would.  The
 * codes come from the column headed 统一社会信用代码 / 证件号码 / code (and a few
 * synonyms; else the first column; a first row that is itself a valid code is
 * data), names from 名称 / name … when present.  Unknown and invalid codes are
 * rows of the result, not errors.  A subject with measures is logged as one
 * check (its answer also names the file), so feedback works per subject;
 * clean, unknown and invalid rows are not logged.  All checks commit in one
 * transaction, after the last callback; on error nothing is logged.  Unknown
 * unit or matter: XY_ERR_NOTFOUND; no data row: XY_ERR_INVALID. */
xy_code xy_credit_check_file(xy_credit *c, const char *path, const char *unit,
			     const char *matter, const char *date, xy_check_file_cb cb,
			     void *ctx, xy_check_file_summary *sum, xy_error *err);

typedef struct xy_feedback_in {
	int64_t check_id;
	const char *unit;        /* must be the unit that asked */
	const int *applied;      /* measure numbers applied (已采取) */
	size_t napplied;
	const int *not_applied;  /* measure numbers not applied (未采取) */
	size_t nnot_applied;
	const char *reason;      /* why not; required with not_applied */
	const char *result;      /* what was done; may be NULL */
	const char *date;        /* the feedback date; NULL = today */
} xy_feedback_in;

/* What a feedback added to the statistics. */
typedef struct xy_feedback_out {
	long punish;   /* 联合惩戒案例 */
	long reward;   /* 联合激励案例 */
	long national; /* 国家黑名单结果反馈 */
} xy_feedback_out;

/* Record what the unit did (audit-logged "check.feedback").  Each applied measure also becomes a record of
 * 联合惩戒案例 (惩戒) or 联合激励案例 (激励), and of 国家黑名单结果反馈 when
 * the triggering entry is on a national list, through one batch per category
 * (file "feedback:<check-id>", reported on the feedback date), so the
 * statistics count it.  One transaction. */
xy_code xy_credit_feedback(xy_credit *c, const xy_feedback_in *f, xy_feedback_out *out,
			   xy_error *err);

/* Subscribe unit to subject (idempotent; audit-logged "watch.add" when new). */
xy_code xy_credit_watch_add(xy_credit *c, const char *unit, const char *subject,
			    xy_error *err);
/* Unsubscribe unit from subject (audit-logged "watch.remove").  Unknown unit
 * or subject, or a subject the unit does not watch: XY_ERR_NOTFOUND. */
xy_code xy_credit_watch_remove(xy_credit *c, const char *unit, const char *subject,
			       xy_error *err);

/* Mark the unit's notice id read, or with id 0 every unread notice of the
 * unit; *n (may be NULL) = how many were unread.  Audit-logged
 * "notice.read" (object "notice:ID", or "unit:NAME" for all) when any
 * changed, in one transaction.  Unknown unit, or an id that is not one of
 * the unit's notices (another unit's included): XY_ERR_NOTFOUND. */
xy_code xy_credit_notices_read(xy_credit *c, const char *unit, int64_t id, long *n,
			       xy_error *err);

/* The subject q (code or exact name), or, when none is stored and name is
 * given, a new one from q and name — a valid USCC makes a legal person, a
 * valid 身份证号 a natural person — not yet stored (*fresh says so; the caller
 * upserts it in its transaction).  Errors name `field`: XY_ERR_NOTFOUND when q
 * is unknown and no name was given, XY_ERR_INVALID for a bad code.  Used by
 * commitments and government dishonesty. */
xy_code xy_credit_subject_or_new(xy_credit *c, const char *q, const char *name, const char *field,
				 xy_subject *out, bool *fresh, xy_error *err);

#endif
