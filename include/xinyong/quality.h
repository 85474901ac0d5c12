/* xinyong: data quality per source unit (数据质量), as the national monitoring
 * scores 双公示: how fast and how completely each unit reports.
 *
 * For a range of reporting months (batches.reported_on, as xy_stats counts)
 * and per unit × category:
 *  - records: those that committed batches of the months first brought in;
 *  - lag: working days from a record's decision date (决定日期) to the day
 *    its first batch was uploaded (batches.started_at, taken as a date in
 *    China Standard Time, UTC+8), over the holiday calendar (holidays.tsv,
 *    publication.h).  The decision day is not counted, the upload day is: a
 *    decision on 2019-09-30 uploaded on 2019-10-09 is 2 working days (国庆
 *    2019-10-01..07).  A lag reaching a year the calendar does not cover
 *    counts Monday–Friday and is marked an estimate;
 *  - within 7 working days: only 行政许可 and 行政处罚 (the 双公示 rule);
 *  - rejected rows (batches.rejected, stored errors or not), files refused,
 *    and the rejection reasons as stored (batch_errors.reason_zh), grouped;
 *  - for 行政许可 and 行政处罚, each optional national field (registry,
 *    required = false): how many records leave it empty (key absent, null
 *    or "");
 *  - unmapped columns seen (batch_columns): distinct headers with the number
 *    of batches and cells and the field suggested for them.
 *
 * The library builds the model (xy_quality) and from it the table model
 * (xy_quality_table, rendered by table.h to text, CSV, XLSX, Markdown,
 * HTML) and the JSON with every detail (xy_quality_json); front ends only
 * render.
 *
 * Ownership: an xy_quality owns every string and array in it;
 * xy_quality_free() releases it.
 */
#ifndef XINYONG_QUALITY_H
#define XINYONG_QUALITY_H

#include <stdbool.h>
#include <stddef.h>

#include "buf.h"
#include "error.h"
#include "publication.h"
#include "registry.h"
#include "store.h"
#include "table.h"

#define XY_QUALITY_DAYS 7 /* 双公示: public within 7 working days of the decision */

typedef struct xy_quality_opts {
	const char *from;       /* YYYY-MM, required */
	const char *to;         /* YYYY-MM, required, not before from */
	const char *unit;       /* one unit's rows; NULL: every unit */
	const char *config_dir; /* where holidays.tsv is; NULL: the default configuration */
} xy_quality_opts;

/* A rejection reason and how many stored errors give it. */
typedef struct xy_quality_reason {
	char *reason;
	long long n;
} xy_quality_reason;

/* An optional field and how many of the row's records leave it empty. */
typedef struct xy_quality_field {
	char *code;  /* XK_XKBH */
	char *name;  /* 许可编号 */
	long long empty;
} xy_quality_field;

/* An unmapped column header over the row's batches. */
typedef struct xy_quality_column {
	char *header;
	char *suggestion;      /* field code, NULL: none */
	char *suggestion_name; /* its Chinese name, NULL: none or not a field */
	long long batches, cells;
} xy_quality_column;

typedef struct xy_quality_row {
	char *unit;
	char *category;
	bool publicity;          /* 行政许可 / 行政处罚: the 7-working-day rule applies */
	long long records;       /* first brought in by committed batches of the months */
	long long decided;       /* of them with a decision date */
	long long undated;       /* without a lag: no decision date, or a batch without a
				    start time */
	long long after_upload;  /* decided after the upload day: a date to check, no lag */
	long long estimated;     /* lags reaching a year the calendar does not cover */
	long *lags;              /* the lags, ascending; nlags = records with a lag */
	size_t nlags;
	long long within;        /* lags <= XY_QUALITY_DAYS */
	long long batches;       /* files of the months (committed and refused) */
	long long refused;       /* files refused */
	long long rejected;      /* rejected rows, summed over the batches */
	long long error_rows;    /* of them with stored errors */
	xy_quality_reason *reasons; /* every stored reason, most frequent first */
	size_t nreasons;
	long long unreadable;    /* records whose data is not a JSON object (fields not checked) */
	xy_quality_field *fields; /* publicity categories: optional fields, emptiest first */
	size_t nfields;
	xy_quality_column *columns; /* most cells first */
	size_t ncolumns;
} xy_quality_row;

typedef struct xy_quality {
	char from[8], to[8];
	char *unit;              /* the --unit asked, NULL: every unit */
	int cal_first, cal_last; /* years holidays.tsv covers (0: none) */
	xy_quality_row *rows;    /* by unit sort, then category sort */
	size_t nrows;
} xy_quality;

/* Build the report.  *out is the caller's (xy_quality_free).  Errors: a bad
 * month range (XY_ERR_ARG), an unknown unit (XY_ERR_NOTFOUND), the calendar
 * (XY_ERR_CONFIG), the store. */
xy_code xy_quality_build(xy_store *s, const xy_registry *reg, const xy_quality_opts *o,
			 xy_quality **out, xy_error *err);
void xy_quality_free(xy_quality *q); /* NULL is fine */

/* Figures of a row's lags (0 when nlags is 0). */
double xy_quality_lag_mean(const xy_quality_row *r);
double xy_quality_lag_median(const xy_quality_row *r);

/* The table: 单位, 类别, 记录数, 平均滞后(工作日), 中位滞后(工作日), 最大滞后(工作日),
 * 7个工作日内占比, 退回行数, 退回文件数, 主要退回原因 (top 3), 空缺字段 (worst 3
 * with their shares), 未识别列; every cell text (a label column), "—" where a
 * figure does not apply.  *out is the caller's (xy_table_free). */
xy_code xy_quality_table(const xy_quality *q, xy_table **out, xy_error *err);

/* The JSON with every detail, appended to out (one line, no newline):
 * {"from","to","unit","calendar":{"first_year","last_year"},"rows":[{…}]}
 * (docs/reports.md).  An output that cannot be built is an error. */
xy_code xy_quality_json(const xy_quality *q, xy_buf *out, xy_error *err);

/* The bulletin's sentence on the month's slowest units, appended to out with
 * its newline: the units whose median lag over their 行政许可 and 行政处罚
 * records exceeds 7 working days, slowest first
 * ("双公示报送较慢的单位：市场监管局（中位滞后12个工作日）、…。").  Nothing when
 * every unit is within 7 working days or none reported 双公示 records. */
xy_code xy_quality_sentence(xy_store *s, const xy_registry *reg, const char *month,
			    const char *config_dir, xy_buf *out, xy_error *err);

/* The lag of one record: working days after decided_on (YYYY-MM-DD) up to
 * and including the day, in China Standard Time, of started_at (ISO 8601
 * UTC, or a bare YYYY-MM-DD taken as that day), as xy_cal_workdays_between
 * counts them.  *estimated: the span reaches a year the calendar does not
 * cover.  XY_ERR_INVALID when a date is malformed or the decision comes
 * after the upload day. */
xy_code xy_quality_lag(const xy_publication *p, const char *decided_on, const char *started_at,
		       long *lag, bool *estimated);

#endif
