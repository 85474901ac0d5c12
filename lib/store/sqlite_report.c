/* xinyong: the SQLite backend's issued credit reports (store.h, "issued
 * credit reports"; migration 13).  Every value bound; statements prepared
 * once per handle in their slots (XY__SQ_REPORT…). */
#include <stdint.h>
#include <string.h>

#include "xinyong/store.h"
#include "pii.h"
#include "sqlite_int.h"

enum { R_INSERT, R_GET, R_LAST, R__N };

static const char *const sql_text[R__N] = {
	[R_INSERT] = "INSERT INTO credit_reports(number, day, seq, subject_id, subject_name,"
		     " subject_code, generated_at, data_as_of, sha256, code, who)"
		     " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
	[R_GET] = "SELECT number, day, seq, subject_id, subject_name, subject_code,"
		  " generated_at, data_as_of, sha256, code, who"
		  " FROM credit_reports WHERE number = ?1",
	[R_LAST] = "SELECT coalesce(max(seq), 0) FROM credit_reports WHERE day = ?1",
};


static xy_code sq_insert(xy_store *s, const xy_report_row *r, xy_error *err)
{
	sqlite3_stmt *st = NULL;
	xy_code rc = xy__sq_prep(s, XY__SQ_REPORT + R_INSERT, sql_text[R_INSERT], &st, err);
	int src;
	if (rc)
		return rc;
	sq_bind_txt(SQ(s), st, 1, r->number);
	sq_bind_txt(SQ(s), st, 2, r->day);
	sq_bind_int64(SQ(s), st, 3, r->seq);
	sq_bind_int64(SQ(s), st, 4, r->subject_id);
	sq_bind_txt(SQ(s), st, 5, r->subject_name);
	sq_bind_txt(SQ(s), st, 6, r->subject_code);
	sq_bind_txt(SQ(s), st, 7, r->generated_at);
	sq_bind_txt(SQ(s), st, 8, r->data_as_of);
	sq_bind_txt(SQ(s), st, 9, r->sha256);
	sq_bind_txt(SQ(s), st, 10, r->code);
	sq_bind_txt(SQ(s), st, 11, r->who && *r->who ? r->who : "public");
	src = sq_step(SQ(s), st);
	if (src == SQLITE_CONSTRAINT)
		rc = xy_error_set(err, XY_ERR_CONFLICT, "report %s exists already", r->number);
	else if (src != SQLITE_DONE)
		rc = xy__sq_fail(s, src, "storing an issued report", err);
	sqlite3_reset(st);
	return rc;
}

static xy_code sq_get(xy_store *s, const char *number, xy_report_row *out, xy_error *err)
{
	sqlite3_stmt *st = NULL;
	xy_code rc = xy__sq_prep(s, XY__SQ_REPORT + R_GET, sql_text[R_GET], &st, err);
	int src;
	if (rc)
		return rc;
	xy_report_row_release(out);
	sq_bind_txt(SQ(s), st, 1, number);
	src = sq_step(SQ(s), st);
	if (src == SQLITE_ROW) {
		xy_report_row r = {
			.number = xy__sq_col(st, 0), .day = xy__sq_col(st, 1), .seq = sqlite3_column_int64(st, 2),
			.subject_id = sqlite3_column_int64(st, 3), .subject_name = xy__sq_col(st, 4),
			.subject_code = xy__sq_col(st, 5), .generated_at = xy__sq_col(st, 6),
			.data_as_of = xy__sq_col(st, 7), .sha256 = xy__sq_col(st, 8), .code = xy__sq_col(st, 9),
			.who = xy__sq_col(st, 10),
		};
		if (xy_report_row_copy(out, &r))
			rc = xy_error_set(err, XY_ERR_NOMEM, "out of memory");
	} else if (src == SQLITE_DONE) {
		rc = xy_error_set(err, XY_ERR_NOTFOUND, "no report numbered %s", number);
	} else {
		rc = xy__sq_fail(s, src, "reading an issued report", err);
	}
	sqlite3_reset(st);
	return rc;
}

static xy_code sq_last_seq(xy_store *s, const char *day, int64_t *seq, xy_error *err)
{
	sqlite3_stmt *st = NULL;
	xy_code rc = xy__sq_prep(s, XY__SQ_REPORT + R_LAST, sql_text[R_LAST], &st, err);
	if (rc)
		return rc;
	sq_bind_txt(SQ(s), st, 1, day);
	return xy__sq_one_int64(s, st, "reading the reports of a day", seq, err);
}

static xy_code sq_mac(xy_store *s, const void *data, size_t n, unsigned char out[32],
		      xy_error *err)
{
	(void)err;
	xy__pii_report_mac(&xy__sq_pii(s)->cur, data, n, out);
	return XY_OK;
}

const struct xy__store_report_ops xy__sqlite_report_ops = {
	.insert = sq_insert,
	.get = sq_get,
	.last_seq = sq_last_seq,
	.mac = sq_mac,
};
