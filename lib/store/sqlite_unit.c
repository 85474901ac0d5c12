/* xinyong: the SQLite backend's reads and writes for the source units' API
 * (issue 9): a unit's logged checks with keyset paging, a check's feedback,
 * the watch list and its removal, notices marked read, a batch's rejected
 * rows a page at a time.  Tables of migrations 1, 4 and 15 (sqlite.c); every value bound, each statement
 * prepared once per handle in its slot (xy__sq_prep, [XY__SQ_UNIT, +16)). */
#include <stdlib.h>
#include <string.h>

#include "xinyong/store.h"
#include "sqlite_int.h"

enum {
	U_CHECKS,
	U_FEEDBACKS,
	U_WATCHES,
	U_WATCH_REMOVE,
	U_BERR_PAGE,
	U_NOTICE_OF,
	U_NOTICES_READ,
	U__N
};

static const char *const sql_text[U__N] = {
	/* ?1 NULL: every unit; ?2 NULL: no upper bound; ?3 -1: no limit */
	[U_CHECKS] = "SELECT c.id, c.unit_id, c.subject_id, u.name, " SCODE(s) ","
		     " coalesce(c.matter, ''), c.check_date, c.at, xy_dec(c.answer) FROM checks c"
		     " JOIN units u ON u.id = c.unit_id JOIN subjects s ON s.id = c.subject_id"
		     " WHERE (?1 IS NULL OR c.unit_id = ?1) AND (?2 IS NULL OR c.id < ?2)"
		     " ORDER BY c.id DESC LIMIT ?3",
	[U_FEEDBACKS] = "SELECT check_id, memorandum, number, applied, result, reason, at"
			" FROM feedback WHERE check_id = ?1 ORDER BY id",
	[U_WATCHES] = "SELECT w.subject_id, " SCODE(s) " AS plain, s.name, w.created_at"
		      " FROM subscriptions w"
		      " JOIN subjects s ON s.id = w.subject_id WHERE w.unit_id = ?1"
		      " ORDER BY plain",
	[U_WATCH_REMOVE] = "DELETE FROM subscriptions WHERE unit_id = ?1 AND subject_id = ?2",
	[U_BERR_PAGE] = "SELECT id, batch_id, \"row\", sheet, \"column\", xy_dec(value), reason_zh,"
			" reason_en FROM batch_errors WHERE batch_id = ?1 AND id > ?2"
			" ORDER BY id LIMIT ?3",
	[U_NOTICE_OF] = "SELECT 1 FROM notices WHERE id = ?2 AND unit_id = ?1",
	/* ?2 0: every unread notice of the unit */
	[U_NOTICES_READ] = "UPDATE notices SET read_at = ?3 WHERE unit_id = ?1"
			   " AND (?2 = 0 OR id = ?2) AND read_at IS NULL",
};

static xy_code prep(xy_store *s, unsigned id, sqlite3_stmt **st, xy_error *err)
{
	return xy__sq_prep(s, XY__SQ_UNIT + id, sql_text[id], st, err);
}

static const char *col(sqlite3_stmt *st, int i)
{
	const unsigned char *t = sqlite3_column_text(st, i);
	return t ? (const char *)t : "";
}

static const char *col_or_null(sqlite3_stmt *st, int i)
{
	return sqlite3_column_type(st, i) == SQLITE_NULL ? NULL : col(st, i);
}

/* A short fixed-size column (a date, a timestamp) into dst, cut to fit. */
static void col_copy(sqlite3_stmt *st, int i, char *dst, size_t n)
{
	const char *t = col(st, i);
	size_t len = strlen(t);
	if (len >= n)
		len = n - 1;
	memcpy(dst, t, len);
	dst[len] = '\0';
}

static int64_t limit_of(size_t limit)
{
	return limit ? (int64_t)limit : -1;
}

static xy_code sq_checks(xy_store *s, int64_t unit_id, int64_t before, size_t limit,
			 xy_check_cb cb, void *ctx, xy_error *err)
{
	sqlite3_stmt *st = NULL;
	xy_code rc = prep(s, U_CHECKS, &st, err);
	int src;
	if (rc)
		return rc;
	if (unit_id)
		sq_bind_int64(SQ(s), st, 1, unit_id);
	else
		sq_bind_null(SQ(s), st, 1);
	if (before)
		sq_bind_int64(SQ(s), st, 2, before);
	else
		sq_bind_null(SQ(s), st, 2);
	sq_bind_int64(SQ(s), st, 3, limit_of(limit));
	while ((src = sq_step(SQ(s), st)) == SQLITE_ROW) {
		xy_check_row c;
		memset(&c, 0, sizeof c);
		c.id = sqlite3_column_int64(st, 0);
		c.unit_id = sqlite3_column_int64(st, 1);
		c.subject_id = sqlite3_column_int64(st, 2);
		c.unit = col(st, 3);
		c.subject_code = col(st, 4);
		c.matter = col(st, 5);
		col_copy(st, 6, c.date, sizeof c.date);
		col_copy(st, 7, c.at, sizeof c.at);
		if (cb(ctx, &c, col(st, 8)))
			break;
	}
	return xy__sq_done(SQ(s), st, src, XY_OK, "reading checks", err);
}

static xy_code sq_feedbacks(xy_store *s, int64_t check_id, xy_feedback_cb cb, void *ctx,
			    xy_error *err)
{
	sqlite3_stmt *st = NULL;
	xy_code rc = prep(s, U_FEEDBACKS, &st, err);
	int src;
	if (rc)
		return rc;
	sq_bind_int64(SQ(s), st, 1, check_id);
	while ((src = sq_step(SQ(s), st)) == SQLITE_ROW) {
		xy_feedback_row f = {
			.check_id = sqlite3_column_int64(st, 0),
			.memorandum = col(st, 1),
			.number = sqlite3_column_int(st, 2),
			.applied = sqlite3_column_int(st, 3) != 0,
			.result = col_or_null(st, 4),
			.reason = col_or_null(st, 5),
		};
		if (cb(ctx, &f, col(st, 6)))
			break;
	}
	return xy__sq_done(SQ(s), st, src, XY_OK, "reading feedback", err);
}

static xy_code sq_watches(xy_store *s, int64_t unit_id, xy_watch_cb cb, void *ctx, xy_error *err)
{
	sqlite3_stmt *st = NULL;
	xy_code rc = prep(s, U_WATCHES, &st, err);
	int src;
	if (rc)
		return rc;
	sq_bind_int64(SQ(s), st, 1, unit_id);
	while ((src = sq_step(SQ(s), st)) == SQLITE_ROW) {
		xy_watch_row w = {
			.subject_id = sqlite3_column_int64(st, 0),
			.subject_code = col(st, 1),
			.subject_name = col(st, 2),
			.created_at = col(st, 3),
		};
		if (cb(ctx, &w))
			break;
	}
	return xy__sq_done(SQ(s), st, src, XY_OK, "reading the watch list", err);
}

static xy_code sq_watch_remove(xy_store *s, int64_t unit_id, int64_t subject_id, bool *removed,
			       xy_error *err)
{
	sqlite3_stmt *st = NULL;
	xy_code rc = prep(s, U_WATCH_REMOVE, &st, err);
	int src;
	if (rc)
		return rc;
	sq_bind_int64(SQ(s), st, 1, unit_id);
	sq_bind_int64(SQ(s), st, 2, subject_id);
	src = sq_step(SQ(s), st);
	*removed = src == SQLITE_DONE && sqlite3_changes(xy__sq_db(s)) > 0;
	return xy__sq_done(SQ(s), st, src, XY_OK, "removing a watched subject", err);
}

static xy_code sq_notices_read(xy_store *s, int64_t unit_id, int64_t notice_id, const char *at,
			       long *n, xy_error *err)
{
	sqlite3_stmt *st = NULL;
	xy_code rc;
	int src;
	*n = 0;
	if (notice_id) { /* the unit's own notice, or not found */
		if ((rc = prep(s, U_NOTICE_OF, &st, err)))
			return rc;
		sq_bind_int64(SQ(s), st, 1, unit_id);
		sq_bind_int64(SQ(s), st, 2, notice_id);
		src = sq_step(SQ(s), st);
		if ((rc = xy__sq_done(SQ(s), st, src, XY_OK, "reading a notice", err)))
			return rc;
		if (src != SQLITE_ROW)
			return xy_error_at(err, XY_ERR_NOTFOUND, NULL, 0, "id",
					   "notice %lld not found (通知不存在)", (long long)notice_id);
	}
	if ((rc = prep(s, U_NOTICES_READ, &st, err)))
		return rc;
	sq_bind_int64(SQ(s), st, 1, unit_id);
	sq_bind_int64(SQ(s), st, 2, notice_id);
	sq_bind_txt(SQ(s), st, 3, at);
	src = sq_step(SQ(s), st);
	if (src == SQLITE_DONE)
		*n = (long)sqlite3_changes(xy__sq_db(s));
	return xy__sq_done(SQ(s), st, src, XY_OK, "marking notices read", err);
}

static xy_code sq_batch_errors_page(xy_store *s, int64_t batch_id, int64_t after, size_t limit,
				    xy_batch_error_page_cb cb, void *ctx, xy_error *err)
{
	sqlite3_stmt *st = NULL;
	xy_code rc = prep(s, U_BERR_PAGE, &st, err);
	int src;
	if (rc)
		return rc;
	sq_bind_int64(SQ(s), st, 1, batch_id);
	sq_bind_int64(SQ(s), st, 2, after);
	sq_bind_int64(SQ(s), st, 3, limit_of(limit));
	while ((src = sq_step(SQ(s), st)) == SQLITE_ROW) {
		xy_batch_error e = {
			.batch_id = sqlite3_column_int64(st, 1),
			.row = (long)sqlite3_column_int64(st, 2),
			.sheet = col_or_null(st, 3),
			.column = col_or_null(st, 4),
			.value = col_or_null(st, 5),
			.reason_zh = col_or_null(st, 6),
			.reason_en = col_or_null(st, 7),
		};
		if (cb(ctx, sqlite3_column_int64(st, 0), &e))
			break;
	}
	return xy__sq_done(SQ(s), st, src, XY_OK, "reading rejected rows", err);
}

const struct xy__store_unit_ops xy__sqlite_unit_ops = {
	.checks = sq_checks,
	.feedbacks = sq_feedbacks,
	.watches = sq_watches,
	.watch_remove = sq_watch_remove,
	.notices_read = sq_notices_read,
	.batch_errors_page = sq_batch_errors_page,
};
