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
 * copy any list type the store lacks into it. */
xy_code xy_credit_open(xy_credit *c, xy_store *s, const xy_registry *reg,
		       const char *config_dir, xy_error *err);
void xy_credit_release(xy_credit *c);

/* The one subject whose code (normalised) or exact name is q.
 * XY_ERR_NOTFOUND when none, XY_ERR_CONFLICT when a name is ambiguous. */
xy_code xy_credit_subject(xy_credit *c, const char *q, xy_subject *out, xy_error *err);

/* A person named in a decision: "法定代表人:身份证号:姓名" (role one of
 * 法定代表人 主要负责人 直接责任人; the 身份证号 a valid RIC). */
typedef struct xy_credit_person {
	char role[32];
	char code[64];
	char name[512];
} xy_credit_person;
xy_code xy_credit_person_parse(const char *s, xy_credit_person *out, xy_error *err);

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
 * watch the subject when the list is black).  *out is the stored entry;
 * *notices how many notices were stored. */
xy_code xy_credit_list_add(xy_credit *c, const xy_list_add *a, xy_entry_row *out,
			   long *notices, xy_error *err);

/* Record an exit (修复 注销 吊销 撤销) with its date (first day off the list). */
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

/* Subscribe unit to subject (idempotent). */
xy_code xy_credit_watch_add(xy_credit *c, const char *unit, const char *subject,
			    xy_error *err);

#endif
