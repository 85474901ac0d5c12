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
} xy_credit;

/* Load the catalogue from config_dir (NULL: the default configuration) and
 * the memoranda stored by xy_credit_memorandum_load, and copy any list type
 * the store lacks into it. */
xy_code xy_credit_open(xy_credit *c, xy_store *s, const xy_registry *reg,
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

typedef struct xy_list_add {
	const char *type;     /* list type name */
	const char *subject;  /* code (or exact name) of the listed subject */
	const char *name;     /* registers the subject when it is new; NULL: must exist */
	const char *unit;     /* the designating unit */
	const char *doc;      /* 认定文书号 */
	const char *from;     /* first day */
	const char *to;       /* last day; NULL: from the list type's validity */
	const char *reason;   /* may be NULL */
	const xy_credit_person *persons;
	size_t npersons;
} xy_list_add;

/* Create an entry (and link its persons, store notices for the units that
 * watch the subject when the list is black).  A list type with a reporting
 * category (地方发布红名单, 地方发布黑名单, 国家黑名单) also writes one record of
 * it, reported today by the unit and keyed by the 文书号 as the unit's own
 * report would be, so the statistics count the entry once even when the unit
 * also imports the decision; the record is linked to the entry
 * (xy_credit_list_sync leaves it).  No record is written when the unit has
 * reported the decision about this subject already.  *out is the stored
 * entry; *notices how many notices were stored; *counted (may be NULL)
 * whether a record was written.  One transaction. */
xy_code xy_credit_list_add(xy_credit *c, const xy_list_add *a, xy_entry_row *out,
			   long *notices, bool *counted, xy_error *err);

/* Record an exit (修复 注销 吊销 撤销) with its date (first day off the list).
 * 注销 or 吊销 of a black-list entry also writes one record of 失信主体以注销、
 * 吊销等形式退出黑名单, reported on the exit date by the entry's unit, in a
 * transaction of its own (so not inside the caller's); other exits use the
 * caller's transaction when there is one. */
xy_code xy_credit_list_exit(xy_credit *c, int64_t entry, const char *how, const char *date,
			    xy_error *err);

/* The 联合奖惩 check: what must `unit` do about `subject` for `matter` (code
 * or name; NULL = every matter) on `date` (NULL = today).  Logs the check
 * and appends its answer to `answer` as one JSON object:
 *   {"check_id","subject","subject_name","unit","matter","date","answer":"有"|"无",
 *    "entries":[{"entry","list_type","doc","from","to","unit","via",
 *                "role","through","through_name"}],
 *    "measures":[{"memorandum","number","text","kind","legal_basis","condition",
 *                 "triggered_by","entry"}]}
 * "entries" are the entries active on the date; "answer" is 无 when no measure
 * applies.  Unknown subject, unit or matter: XY_ERR_NOTFOUND, nothing logged. */
xy_code xy_credit_check(xy_credit *c, const char *subject, const char *unit,
			const char *matter, const char *date, int64_t *check_id,
			xy_buf *answer, xy_error *err);

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

/* Record what the unit did.  Each applied measure also becomes a record of
 * 联合惩戒案例 (惩戒) or 联合激励案例 (激励), and of 国家黑名单结果反馈 when
 * the triggering entry is on a national list, through one batch per category
 * (file "feedback:<check-id>", reported on the feedback date), so the
 * statistics count it.  One transaction. */
xy_code xy_credit_feedback(xy_credit *c, const xy_feedback_in *f, xy_feedback_out *out,
			   xy_error *err);

/* ---- list entries from imported records (docs/credit.md) ---- */

/* True when category (name or code) is the reporting category of some list
 * type (地方发布红名单, 地方发布黑名单, 国家黑名单): its rows become entries;
 * or 失信主体以注销、吊销等形式退出黑名单: its rows exit the entries they name. */
bool xy_credit_is_list_category(const xy_credit *c, const char *category);

/* A record that could not become an entry (left for the next sync). */
typedef void (*xy_list_sync_warn)(void *ctx, const char *unit, const char *category,
				  const char *key, const char *field, const char *msg);

typedef struct xy_list_sync_out {
	long created;   /* new entries */
	long updated;   /* entries corrected from a changed record (更正) */
	long unchanged; /* records linked to an entry that already said the same */
	long withdrawn; /* entries withdrawn (撤销) because their record now names
	                 * another list type or subject */
	long problems;  /* records that cannot become entries (told to warn) */
	long notices;   /* watch notices for new black-list entries */
	long exited;    /* entries exited (注销/吊销) by rows of 失信主体以注销、吊销等
	                 * 形式退出黑名单 that name them */
} xy_list_sync_out;

/* Derive list entries from the records of list categories reported by `unit`
 * (NULL: every unit) in `category` (NULL: every list category; a category
 * that is no list category: nothing to do) that no entry reflects yet or that
 * changed since.  Per record: the list type is 名单名称 (MDMC) when it names a
 * configured type counted under the record's category, else the category's
 * catch-all type (its name kept in the reason); the designating unit is
 * 认定单位 (RDDW, a unit name, also after 营口市), else the type's, else the
 * reporting unit; start 有效期自 (YXQZ) or 日期 (RQ); end 有效期至 (YXQZI) or
 * the type's validity; 法定代表人 + 法定代表人身份证号 link the person.  An
 * entry that exists (list type, subject, doc) is linked and corrected, not
 * duplicated, so syncing again changes nothing.  Imported entries are not
 * counted again: their records already are.  A row of 失信主体以注销、吊销等
 * 形式退出黑名单 naming (编号) one of the subject's own black-list entries exits
 * it (注销/吊销 as 内容/备注/认定依据 says, on 日期), not counted again.  warn
 * (may be NULL) is told each record that cannot become an entry.  One
 * transaction. */
xy_code xy_credit_list_sync(xy_credit *c, const char *unit, const char *category,
			    xy_list_sync_warn warn, void *ctx, xy_list_sync_out *out,
			    xy_error *err);

/* ---- memoranda loaded at run time (docs/credit.md, "Memoranda") ---- */

/* The memorandum file at path as TSV text appended to out: a TSV file as it
 * is, an XLSX file's first visible sheet converted (one line per row, cells
 * tab-separated, line numbers = row numbers).  At most 4 MiB. */
xy_code xy_memorandum_file_text(const char *path, xy_buf *out, xy_error *err);

/* Load a memorandum file (TSV or XLSX in the shape of data/memoranda/NAME.tsv),
 * check it like the shipped ones (units, matters, list types, signatories,
 * numbers; a doc already loaded is an error) and store it, so that every
 * later xy_credit_open loads it and checks use its measures.  *out points
 * into c->cat.  On error (XY_ERR_CONFIG naming file, row and column) nothing
 * is stored and the catalogue is unchanged. */
xy_code xy_credit_memorandum_load(xy_credit *c, const char *path, const xy_memorandum **out,
				  xy_error *err);
/* The same for a corrected version of a memorandum loaded before (its doc
 * stored in the database): checked the same way, it takes the place of the
 * stored one, whose text is kept as an earlier version; checks logged before
 * keep the answers they gave.  XY_ERR_NOTFOUND when no memorandum with that
 * doc is loaded, XY_ERR_CONFLICT when it ships with the configuration
 * (data/memoranda/: edit that file instead).  On error nothing changes. */
xy_code xy_credit_memorandum_replace(xy_credit *c, const char *path,
				     const xy_memorandum **out, xy_error *err);

/* Subscribe unit to subject (idempotent). */
xy_code xy_credit_watch_add(xy_credit *c, const char *unit, const char *subject,
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
