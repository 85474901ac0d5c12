/* xinyong: helpers shared by the files of lib/credit/ (not public API). */
#ifndef XINYONG_CREDIT_INTERNAL_H
#define XINYONG_CREDIT_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "xinyong/credit.h"
#include "xinyong/error.h"
#include "xinyong/registry.h"

/* A date option: "" or NULL is today, else parsed into out (YYYY-MM-DD);
 * XY_ERR_INVALID naming field when it is not a date. */
/* xy_credit_check with its answer as the JSON object (*answer owned by the
 * caller on XY_OK), not its text: a view hands it on without a round trip. */
xy_code xy__credit_check_json(xy_credit *c, const char *subject, const char *unit,
			      const char *matter, const char *date, int64_t *check_id,
			      json_t **answer, xy_error *err);
xy_code xy__credit_date(const char *in, char out[11], const char *field, xy_error *err);

/* The unit named unit (units.tsv) in *u: XY_ERR_ARG naming field when none is
 * given ("no unit given (--unit)"), XY_ERR_NOTFOUND when unknown. */
xy_code xy__credit_unit(const xy_registry *reg, const char *unit, const char *field,
			const xy_unit **u, xy_error *err);

/* XY_ERR_INVALID naming field and the limit when v (NULL = "") is longer
 * than max bytes: for values whose length a standard or the office limits
 * (a 认定文书号); everything else is kept whole. */
xy_code xy__credit_limit(const char *v, size_t max, const char *field, xy_error *err);

/* Where exits by 注销 or 吊销 are counted (categories.tsv: hmdtc); its imported
 * rows exit the entries they name (lists.c). */
#define XY__EXIT_CATEGORY "失信主体以注销、吊销等形式退出黑名单"



/* Write one record of category `category` (name or code) reported by unit_id
 * through a committed batch of its own (file, format, reported on `date`), so
 * that `xinyong stats` counts it in that month like any import.  key is the
 * record's key (the same key again updates or leaves it, and adds nothing);
 * data its fields as one JSON object; subject_id 0 for none.  *added grows by
 * 1 when the record is new; *batch_id (may be NULL) is the batch.  Runs inside
 * the caller's transaction.  Used by feedback (联合惩戒/激励案例, 国家黑名单结果
 * 反馈), list add (地方发布红/黑名单) and exits (退出黑名单). */
xy_code xy__credit_record(xy_credit *c, int64_t unit_id, const char *category,
			  const char *file, const char *format, const char *date,
			  int64_t subject_id, const char *key, const char *data, long *added,
			  int64_t *batch_id, xy_error *err);

/* The fields of a record the credit layer writes about subj, as one JSON text
 * (malloc'd; NULL when out of memory): 编号 BH = key, 名称 XDR_MC, the code
 * as XDR_SHXYM (legal person) or XDR_ZJHM (natural person), 日期 RQ = date,
 * then 内容 NR and 备注 BZ when not NULL, then the fields of more (borrowed;
 * may be NULL).  One shape for feedback, list, repair, interview and
 * commitment records. */
char *xy__credit_subject_data(const xy_subject *subj, const char *key, const char *date,
			      const char *content, const char *note, json_t *more);

/* The same for n records in one batch (keys[i], data[i]); *added grows by
 * the number of new ones. */
xy_code xy__credit_records(xy_credit *c, int64_t unit_id, const char *category,
			   const char *file, const char *format, const char *date,
			   int64_t subject_id, const char *const *keys, const char *const *data,
			   size_t n, long *added, int64_t *batch_id, xy_error *err);

/* A subject (not stored) from a code and a name: a valid USCC makes a legal
 * person, a valid 身份证号 a natural person; anything else XY_ERR_INVALID. */
xy_code xy__credit_new_subject(const char *code, const char *name, xy_subject *out,
			       xy_error *err);

/* Load the memoranda stored in the database into c->cat (xy_credit_open). */
xy_code xy__credit_load_stored_memoranda(xy_credit *c, xy_error *err);

/* Append an audit entry naming c->who (xy_audit_append; inside the
 * caller's transaction it is part of it).  before/after: the object's state
 * as text, digested (NULL: none). */
xy_code xy__credit_audit(xy_credit *c, const char *action, const char *object,
			 const char *detail, const char *before, const char *after,
			 xy_error *err);

#endif
