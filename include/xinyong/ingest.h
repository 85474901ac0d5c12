/* xinyong: importing a source unit's file as one atomic batch.
 *
 *   decode → parse (reader.h) → map headers to fields → validate each row →
 *   upsert subjects and records (store.h) → commit, with rejected rows written
 *   to an error report in the input's own format.
 *
 * A bad row never blocks the good ones; a broken file (the reader fails, a
 * duplicated or missing required column) is refused and nothing of it is
 * written, except a batch row with status "refused" saying why.
 */
#ifndef XINYONG_INGEST_H
#define XINYONG_INGEST_H

#include <stdbool.h>
#include <stddef.h>

#include <jansson.h>

#include "buf.h"
#include "error.h"
#include "reader.h"
#include "registry.h"
#include "store.h"
#include "text.h"

/* Receives warnings (ignored columns, accepted USCC exceptions, …); the
 * message is valid only during the call.  xy_import_file reads and validates
 * on a thread of its own, so the callback is called from that thread (one
 * call at a time, never concurrently with itself). */
typedef void (*xy_warn_fn)(void *ctx, const char *msg);

typedef struct xy_import_opts {
	const char *unit;        /* source unit name, e.g. 市场监管局 (required) */
	const char *category;    /* category name or code, e.g. 行政处罚 (required) */
	const char *reported_on; /* YYYY-MM-DD or YYYY-MM (→ the 1st); NULL: today */
	const char *report_dir;  /* where error reports go (created); NULL: "." */
	xy_reader_opts reader;
	xy_warn_fn warn;
	void *warn_ctx;
	bool strict;             /* refuse a file with data in a column that maps to no
	                            field (default: keep it under "_extra" and list it) */
	long max_stored_errors;  /* rejected rows whose errors are stored in the batch;
	                            later ones are counted and in the report file only;
	                            0: 10,000 */
	long refuse_after;       /* refuse the file when its first N data rows are all
	                            rejected for the same reason (a wrong template);
	                            0: 100, negative: never */
	const char *who;         /* who imports, for the audit log ("cli:LOGIN",
	                            "user:NAME", "token:ID"); NULL: "import" */
} xy_import_opts;

/* Import path.  On success (also when rows were rejected) returns XY_OK and
 * fills *batch (status committed, counts, error_report path or ""; the batch
 * owns its strings: xy_batch_release it).  When the
 * file is refused returns the error and, if a batch row could be recorded,
 * fills *batch with status refused; nothing else is written. */
xy_code xy_import_file(xy_store *s, const xy_registry *reg, const char *path,
		       const xy_import_opts *opts, xy_batch *batch, xy_error *err);

/* The summary of batch b as a new JSON object (*out, the caller's to
 * json_decref): its counts and names, "header_row" (of the first data sheet),
 * "sheets" [{sheet, header_row, rows, skipped}] (skipped: why, or null) and
 * "unmapped_columns" [{sheet, column, header, cells, suggestion: {code, name}
 * or null}].  A refused batch without id has empty lists.  The one builder of
 * what import, batches and the server show. */
xy_code xy_batch_summary(xy_store *s, const xy_registry *reg, const xy_batch *b, json_t **out,
			 xy_error *err);

/* ---- a unit's own column names (lib/ingest/mapping.c; xinyong mapping) ----
 *
 * A mapping makes COLUMN, as unit writes it in files of category, name field
 * (its code or Chinese name).  Columns are compared as headers are
 * (xy_header_key: blanks, brackets and case do not matter).  Applied on that
 * unit's imports before the category's own names and aliases.  Adding and
 * removing are audited ("mapping.add", "mapping.remove" of
 * "mapping:UNIT/CATEGORY/COLUMN") as done by who (NULL: "library"), in the
 * change's transaction. */

/* Add or replace; *replaced (may be NULL) says whether the column was mapped
 * before.  XY_ERR_NOTFOUND for an unknown unit, category or field;
 * XY_ERR_CONFLICT when the column already names a field of the category. */
xy_code xy_mapping_add(xy_store *s, const xy_registry *reg, const char *who, const char *unit,
		       const char *category, const char *column, const char *field,
		       bool *replaced, xy_error *err);
/* XY_ERR_NOTFOUND when there is no such mapping. */
xy_code xy_mapping_remove(xy_store *s, const xy_registry *reg, const char *who, const char *unit,
			  const char *category, const char *column, xy_error *err);
/* The mappings of unit and/or category (NULL: any) as a new JSON array of
 * {unit, category, column, field, field_name, created_at} (*out: caller's). */
xy_code xy_mapping_list(xy_store *s, const xy_registry *reg, const char *unit,
			const char *category, json_t **out, xy_error *err);

/* ---- validation (lib/ingest/validate.c), also used by the API later ---- */

/* Why a value was refused: static or formatted text in both languages. */
typedef struct xy_reason {
	char en[256];
	char zh[256];
} xy_reason;

/* Whether a value means "nothing" as units write it: empty or only blanks
 * (ASCII, U+3000, NBSP), 无, 空, / ／ \, N/A in any case (also full-width),
 * or only dashes with optional blanks between (- — —— — — -- － – ―).  The
 * importer calls it before the required check: a required field written 无
 * is "required field is empty"; an optional one is simply empty. */
bool xy_value_is_blank(const char *v, size_t len);

/* What became of an accepted value (xy_field_check). */
typedef enum xy_val_status {
	XY_VAL_OK = 0,      /* accepted; its normalised form was appended to out */
	XY_VAL_EXCEPTION,   /* a USCC accepted only as a configured exception; appended;
			     * *why says so (a warning) */
	XY_VAL_CONVERTED,   /* an amount converted to the field's unit (5000元 in a 万元
			     * field → 0.5); the converted value was appended; *why says
			     * from what (a warning) */
	XY_VAL_BLANK,       /* a marker meaning nothing (xy_value_is_blank: 无, /, —, N/A);
			     * nothing appended: the field is empty, the required check
			     * applies, no warning */
	XY_VAL_PLACEHOLDER, /* a placeholder code (00000000000000000X, all zeros) in a
			     * uscc, org or code field; nothing appended: the field is
			     * absent (the required check applies); *why is a warning */
} xy_val_status;

/* Check one value of field f and append its normalised form to out.  The
 * value is trimmed here (ASCII blanks, U+3000, NBSP).  Empty values are
 * accepted (requiredness is the caller's business).  `idtype` is the row's
 * 证件类型 (for XY_FT_IDNO), NULL when absent; `reg` gives the USCC
 * exceptions (may be NULL).
 * Returns XY_OK with *st set (and for XY_VAL_EXCEPTION, _CONVERTED and
 * _PLACEHOLDER a warning in *why, else *why empty), XY_ERR_INVALID with the
 * reason in *why (both languages) and nothing appended, or XY_ERR_NOMEM.
 *
 * Conventions: see docs/formats.md "Values as units write them": blank
 * markers; amounts with full-width digits, 1,234.5 / 1，234.5 separators and
 * (wan fields) 万元/元/亿元 units; dates as 2019年10月8日, 2019.10.08,
 * 2019/10/8, 20191008 or a spreadsheet serial; end dates (until) 长期; codes
 * in Excel's scientific notation refused ("Excel 把代码转成了科学计数法…"). */
xy_code xy_field_check(const xy_field *f, const char *v, size_t len, const char *idtype,
		       const xy_registry *reg, xy_buf *out, xy_reason *why, xy_val_status *st);

/* The former interface, kept for callers that only need a flag: as
 * xy_field_check, with *warned set when the value was accepted with a warning
 * (a USCC exception, a converted amount or a placeholder — *why holds the
 * text).  It cannot tell a placeholder (nothing appended) from a value:
 * callers that must treat placeholders as absent use xy_field_check. */
xy_code xy_field_validate(const xy_field *f, const char *v, size_t len, const char *idtype,
			  const xy_registry *reg, xy_buf *out, xy_reason *why, bool *warned);

#endif
