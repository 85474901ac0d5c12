/* xinyong: list entries (红黑名单) — added and exited by the office, and
 * derived from the records of list categories (lib/credit/lists.c;
 * docs/credit.md, docs/sanctions.md).  The check that reads them is in
 * credit.h. */
#ifndef XINYONG_LISTS_H
#define XINYONG_LISTS_H

#include <stdbool.h>

#include "credit.h"

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
	const char *who;      /* who adds it, for the audit log ("cli:LOGIN",
			       * "user:NAME", "token:ID"); NULL: "library" */
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
 * whether a record was written.  The audit log gets "list.add" of
 * "entry:ID" by a->who (after: a digest of the entry).  One transaction. */
xy_code xy_credit_list_add(xy_credit *c, const xy_list_add *a, xy_entry_row *out,
			   long *notices, bool *counted, xy_error *err);

/* Record an exit (修复 注销 吊销 撤销) with its date (first day off the list).
 * 注销 or 吊销 of a black-list entry also writes one record of 失信主体以注销、
 * 吊销等形式退出黑名单, reported on the exit date by the entry's unit, in a
 * transaction of its own (so not inside the caller's); other exits use the
 * caller's transaction when there is one.  The audit log gets "list.exit"
 * of "entry:ID" by who (NULL: "library") with digests of the entry before
 * and after, in the same transaction.  XY_ERR_NOTFOUND for an unknown entry,
 * XY_ERR_CONFLICT when it exited already. */
xy_code xy_credit_list_exit(xy_credit *c, const char *who, int64_t entry, const char *how,
			    const char *date, xy_error *err);

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

#endif
