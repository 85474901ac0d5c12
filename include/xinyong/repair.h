/* xinyong: credit repair (信用修复), objections (异议) and interviews (约谈)
 * on the store, and the display status of a record as of a date.
 * docs/repair.md describes the rules, steps and deadlines.
 *
 * Every write is one transaction: on error nothing is changed.  Dates are
 * YYYY-MM-DD; NULL or "" means today (XINYONG_TODAY).  Cases come back as
 * JSON text (the same objects the CLI prints with --format json).
 *
 * Ownership: an xy_repairs borrows the credit layer (and through it the store
 * and registry) and owns its publication rules and calendar.  Strings passed
 * in are borrowed.
 */
#ifndef XINYONG_REPAIR_H
#define XINYONG_REPAIR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "credit.h"
#include "error.h"
#include "publication.h"
#include "store.h"

typedef struct xy_repairs {
	xy_credit *credit;
	xy_publication pub;
} xy_repairs;

/* Load the publication rules, calendar and deadlines from config_dir (NULL:
 * the default configuration; a file the directory lacks comes from the
 * default configuration). */
xy_code xy_repairs_open(xy_repairs *r, xy_credit *c, const char *config_dir, xy_error *err);
void xy_repairs_release(xy_repairs *r);

/* ---- display status ---- */

/* Display status on `date` of a record of `category` with data `data` (JSON:
 * the severity is the field whose code ends in SXYZCD, the record's own
 * 公示截止期 the one ending in _GSJZQ) decided on `decided_on`, with its
 * repairs and objections from the store.  *w (may be NULL) gets the window. */
xy_code xy_record_display(xy_repairs *r, int64_t record_id, const char *category,
			  const char *data, const char *decided_on, const char *date,
			  xy_display *out, xy_pub_window *w, xy_error *err);

/* ---- repair ---- */

typedef struct xy_repair_in {
	const char *subject;     /* code or exact name; must be the record's subject */
	int64_t record;          /* records.id */
	const char *reason;      /* why (已纠正失信行为 …); required */
	const char *const *evidence; /* evidence items; at least one */
	size_t nevidence;
	const char *commitment;  /* 信用修复承诺; required */
	const char *applicant;   /* who applies (经办人); NULL: the subject's name */
	int64_t entry;           /* a list entry to exit on approval; 0: none named */
	const char *date;        /* application date */
} xy_repair_in;

/* Apply for repair of a record that is public (公示中) on the date, with no
 * other repair under way.  Step 申请.  Not public (未到公示日期, 不予公示,
 * 公示期满, 已修复, 已撤销, 异议处理中): XY_ERR_INVALID naming the status. */
xy_code xy_repair_apply(xy_repairs *r, const xy_repair_in *in, int64_t *id, xy_error *err);

/* 受理 by `by` (NULL: 信用办).  Step 申请 → 受理. */
xy_code xy_repair_accept(xy_repairs *r, int64_t id, const char *by, const char *date,
			 const char *text, xy_error *err);

/* 审核 by the record's reporting unit, with its opinion.  Step 受理 → 审核. */
xy_code xy_repair_review(xy_repairs *r, int64_t id, const char *unit, const char *date,
			 const char *opinion, xy_error *err);

typedef struct xy_repair_out {
	long exited;   /* list entries exited (修复) */
	long counted;  /* records added to 信用修复、约谈企业 (0 or 1) */
} xy_repair_out;

/* The decision of the reporting unit: 通过 (approve) or 不通过.  Step 审核 →
 * 通过/不通过.  Approval needs the record public on the date and its minimum
 * publication period over (date >= repairable_from); it ends the record's
 * publication (已修复, the record stays), exits (修复, on the date) the named
 * entry and the entry the record is linked to (xy_store_list_record_entry:
 * derived from an imported list row, or written by list add), each once and
 * only while active, and counts one 信用修复、约谈企业 record for the unit in
 * the month of the date. */
xy_code xy_repair_decide(xy_repairs *r, int64_t id, const char *unit, bool approve,
			 const char *date, const char *text, xy_repair_out *out,
			 xy_error *err);

/* ---- objections ---- */

typedef struct xy_objection_in {
	int64_t record;
	const char *subject;   /* NULL or the record's subject (code or name) */
	const char *applicant; /* who objects; NULL: the subject's name */
	const char *reason;    /* required */
	const char *date;
} xy_objection_in;

/* File an objection against a record shown on the date (公示中), with no
 * other objection open: its display becomes 异议处理中, routed to the
 * record's reporting unit.  Step 受理. */
xy_code xy_objection_add(xy_repairs *r, const xy_objection_in *in, int64_t *id, xy_error *err);

/* The reporting unit's decision: 更正 (sets: "FIELD=VALUE" with the field
 * code or name of the record's category; a new version of the record through
 * a batch "objection:<id>", the old version kept), 维持, or 撤销 (the record
 * leaves public display: 已撤销).  Step 受理 → result. */
xy_code xy_objection_decide(xy_repairs *r, int64_t id, const char *unit, const char *result,
			    const char *const *sets, size_t nsets, const char *text,
			    const char *date, xy_error *err);

/* ---- cases (both kinds) ---- */

/* One case as JSON, with its history and, while open, its deadline (`due`)
 * and whether it is overdue on `date`:
 *   {"id","kind","record","category","record_key","subject","subject_name",
 *    "unit","entry","filed_on","step","step_on","open","due","overdue",
 *    "due_estimated" (the calendar does not cover the deadline's years),
 *    "applicant","reason","evidence":[…],"commitment","record_display",
 *    "history":[{"on","at","action","actor","detail"}]} */
xy_code xy_case_json(xy_repairs *r, int64_t id, const char *date, xy_buf *out, xy_error *err);

/* A JSON array of the cases of `kind` ("repair", "objection"), open and
 * closed, or only those overdue on `date`. */
xy_code xy_cases_json(xy_repairs *r, const char *kind, bool overdue_only, const char *date,
		      xy_buf *out, xy_error *err);

/* ---- interviews ---- */

typedef struct xy_interview_in {
	const char *subject;  /* an enterprise (not a natural person) */
	const char *unit;     /* the interviewing unit */
	const char *date;
	const char *const *persons; /* 姓名[:职务]; at least one */
	size_t npersons;
	const char *topic;    /* required */
	const char *result;   /* may be NULL */
} xy_interview_in;

/* Record an interview.  It counts one 信用修复、约谈企业 record and one
 * 约谈失信企业代表数量 record per person for the unit in the month of the
 * date (batches "interview:<id>"). */
xy_code xy_interview_add(xy_repairs *r, const xy_interview_in *in, int64_t *id,
			 xy_error *err);

/* Interviews of a subject (NULL: all) as a JSON array of
 * {"id","subject","subject_name","unit","date","persons":[…],"topic","result"}. */
xy_code xy_interviews_json(xy_repairs *r, const char *subject, xy_buf *out, xy_error *err);

#endif
