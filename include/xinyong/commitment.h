/* xinyong: credit commitments (信用承诺书) — registration, fulfilment checks
 * (核查) and breaches (未履约, 失信).
 *
 * A commitment is signed by a subject and received by a unit, for a matter,
 * with a type (commitment-types.tsv: 审批替代型, 主动型, 行业自律型, 信用修复型,
 * 证明事项告知承诺, 其他), a content and perhaps a deadline.  Registering it
 * writes a record of 信用承诺书 (key: the commitment's number) for the receiving
 * unit through a batch reported on the signing date, so the statistics count
 * it in that month.  A check finds it kept (履约) or broken (未履约); a breach
 * writes a record of the type's breach category and, when the type (or the
 * caller) names a list type, creates a list entry with xy_credit_list_add, all
 * in one transaction.  The status is computed from the checks as of a date,
 * never stored.  docs/commitments.md.
 *
 * Ownership: an xy_commitments borrows the credit layer (and through it the
 * store and registry) and owns its types.  Strings passed in are borrowed.
 */
#ifndef XINYONG_COMMITMENT_H
#define XINYONG_COMMITMENT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "credit.h"
#include "error.h"
#include "ingest.h"
#include "store.h"

#define XY_COMMITMENT_CATEGORY "信用承诺书"

typedef struct xy_commitment_type {
	char *name;            /* 审批替代型 */
	char *breach_category; /* category of the record a breach creates */
	char *list_type;       /* list type a breach leads to; "" = none */
	char *description;
} xy_commitment_type;

typedef struct xy_commitments {
	xy_credit *credit;
	xy_commitment_type *types;
	size_t ntypes;
} xy_commitments;

/* Load commitment-types.tsv from config_dir (NULL: the default
 * configuration), checking each breach category against the registry and
 * each list type against the credit catalogue (XY_ERR_CONFIG naming file and
 * line).  Needs the 信用承诺书 category in the registry. */
xy_code xy_commitments_open(xy_commitments *cm, xy_credit *c, const char *config_dir,
			    xy_error *err);
void xy_commitments_release(xy_commitments *cm);
const xy_commitment_type *xy_commitment_type_find(const xy_commitments *cm, const char *name);

typedef struct xy_commitment_in {
	const char *subject;   /* code (or exact name) of the signing subject */
	const char *name;      /* registers the subject when it is new; NULL: must exist */
	const char *unit;      /* the unit that received it */
	const char *type;      /* a commitment type */
	const char *no;        /* 承诺书编号; NULL: numbered CN<id> */
	const char *matter;    /* 承诺事项; may be NULL */
	const char *date;      /* signed on; NULL = today */
	const char *content;   /* may be NULL */
	const char *deadline;  /* 履约期限, not before date; NULL = none */
} xy_commitment_in;

/* Register a commitment and its 信用承诺书 record (one transaction).
 * *added: 1 when the record is new to the statistics, 0 when the unit had
 * already reported a 信用承诺书 record with that number (by import).
 * Unknown unit, type or subject: XY_ERR_NOTFOUND; the number taken:
 * XY_ERR_CONFLICT; bad dates: XY_ERR_INVALID.  Nothing written on error. */
xy_code xy_commitment_add(xy_commitments *cm, const xy_commitment_in *in,
			  xy_commitment_row *out, long *added, xy_error *err);

typedef struct xy_commitment_verify_in {
	int64_t id;
	const char *result;    /* 履约 or 未履约 (also kept / breached) */
	const char *date;      /* the check's date; NULL = today */
	const char *by;        /* who checked (person or unit), required */
	const char *note;      /* may be NULL */
	/* a breach only: */
	const char *list_type; /* a list type instead of the type's; NULL: the type's */
	bool no_list;          /* no list entry at all */
	const char *doc;       /* the entry's 认定文书号; NULL: "<no>-未履约" */
	const char *to;        /* the entry's last day; NULL: from the list type */
} xy_commitment_verify_in;

/* What a check did.  category and list_type are the catalogue's (valid as
 * long as cm), "" when none; record_key is owned: release the struct with
 * xy_commitment_verify_out_release whatever the result. */
typedef struct xy_commitment_verify_out {
	bool breach;
	const char *category;  /* breach: the record's category */
	char *record_key;      /* breach: the record's key ("<no>-未履约"), else NULL */
	long added;            /* breach: 1 when the record is new */
	int64_t entry_id;      /* breach: the list entry, 0 = none */
	const char *list_type; /* breach: the entry's list type */
	long notices;          /* notices the list entry sent */
} xy_commitment_verify_out;
void xy_commitment_verify_out_release(xy_commitment_verify_out *out); /* zeroes; NULL fine */

/* Record a fulfilment check.  Refused (XY_ERR_INVALID / XY_ERR_CONFLICT,
 * nothing written): a result other than 履约/未履约, a date before the
 * signing or before the last check, a commitment already found 未履约, an
 * unknown list type, a list type the receiving unit may not designate. */
xy_code xy_commitment_verify(xy_commitments *cm, const xy_commitment_verify_in *in,
			     xy_commitment_verify_out *out, xy_error *err);

/* What xy_commitment_import did. */
typedef struct xy_commitment_import_out {
	xy_batch batch;   /* the 信用承诺书 import batch (counts as for `xinyong import`);
			     owns its strings: xy_batch_release(&out->batch) */
	long added;       /* commitments registered from its rows */
	long existing;    /* rows whose number the unit had already registered */
} xy_commitment_import_out;

/* Bulk registration: import path as category 信用承诺书 for io->unit (the
 * normal import: validation, error report, one batch that the statistics
 * count), then register a commitment for each accepted row whose number
 * (编号) the unit has not registered yet — type from 承诺类型 (blank: 其他),
 * matter from 承诺事项, date from 日期, content from 内容; no second record.
 * io->category is ignored.  The commitments are one transaction after the
 * import's; if it fails the imported records stay, and importing the same
 * file again registers them (the rows come back unchanged). */
xy_code xy_commitment_import(xy_commitments *cm, const char *path, const xy_import_opts *io,
			     xy_commitment_import_out *out, xy_error *err);

typedef enum xy_commitment_status {
	XY_CN_UNSIGNED = 0, /* signed after the date asked */
	XY_CN_PENDING,      /* 待核查 */
	XY_CN_OVERDUE,      /* 逾期未核查: the deadline passed without a check */
	XY_CN_KEPT,         /* 履约: the last check on or before the date found it kept */
	XY_CN_BREACHED,     /* 未履约 */
} xy_commitment_status;

const char *xy_commitment_status_name(xy_commitment_status st);    /* pending … */
const char *xy_commitment_status_name_zh(xy_commitment_status st); /* 待核查 … */

/* The status of c on date (NULL = today), from its checks. */
xy_code xy_commitment_status_on(xy_commitments *cm, const xy_commitment_row *c,
				const char *date, xy_commitment_status *out, xy_error *err);

#endif
