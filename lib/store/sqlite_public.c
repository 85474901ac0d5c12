/* xinyong: the SQLite backend's reads for the public API (issue 9): the
 * 双公示 feeds (store.h, xy_store_feed).  Every value bound; the statement
 * prepared once per handle in its slot (xy__sq_prep, XY__SQ_PUBLIC…). */
#include <stdint.h>
#include <string.h>

#include "xinyong/store.h"
#include "sqlite_int.h"

enum { P_FEED, P__N };

static const char *const sql_text[P__N] = {
	/* The walk of records_feed (migration 11): category_id fixed, decided_on
	 * from ?3 down to the keyset position (?5, ?6) — the first page starts
	 * at (to, INT64_MAX) — newest first.  The index holds rowid after
	 * decided_on, so ORDER BY needs no sort and the statement reads no more
	 * rows than the caller steps through.  Unit and kind filter the walk. */
	[P_FEED] = "SELECT r.id, coalesce(u.name, ''), coalesce(c.name, ''), r.key, xy_dec(r.data),"
		   " r.decided_on, coalesce(b.reported_on, ''), r.first_batch, r.last_batch,"
		   " 1 + (SELECT count(*) FROM record_versions v WHERE v.record_id = r.id),"
		   " s.id, s.kind, " SCODE(s) ", s.code_type, s.name, coalesce(s.division, '')"
		   " FROM records r JOIN subjects s ON s.id = r.subject_id"
		   " LEFT JOIN units u ON u.id = r.unit_id"
		   " LEFT JOIN categories c ON c.id = r.category_id"
		   " LEFT JOIN batches b ON b.id = r.first_batch"
		   " WHERE r.category_id = ?1 AND r.decided_on IS NOT NULL"
		   " AND r.decided_on >= ?2 AND r.decided_on <= ?5"
		   " AND (r.decided_on < ?5 OR r.id < ?6)"
		   " AND (?3 = 0 OR r.unit_id = ?3) AND (?4 IS NULL OR s.kind = ?4)"
		   " ORDER BY r.decided_on DESC, r.id DESC",
};

static const char *col(sqlite3_stmt *st, int i)
{
	const unsigned char *t = sqlite3_column_text(st, i);
	return t ? (const char *)t : "";
}

static xy_code sq_feed(xy_store *s, const xy_feed_query *q, xy_feed_cb cb, void *ctx,
		       xy_error *err)
{
	sqlite3_stmt *st = NULL;
	xy_code rc = xy__sq_prep(s, XY__SQ_PUBLIC + P_FEED, sql_text[P_FEED], &st, err);
	const char *upto = q->to ? q->to : "9999-12-31";
	int64_t before = INT64_MAX;
	int src;
	if (rc)
		return rc;
	/* the keyset position, or the range's end for the first page */
	if (q->before_date && strcmp(q->before_date, upto) <= 0) {
		upto = q->before_date;
		before = q->before_id;
	}
	sq_bind_int64(SQ(s), st, 1, q->category_id);
	sq_bind_text_d(SQ(s), st, 2, q->from ? q->from : "", -1, SQLITE_STATIC);
	sq_bind_int64(SQ(s), st, 3, q->unit_id);
	sq_bind_str(SQ(s), st, 4, q->kind);
	sq_bind_text_d(SQ(s), st, 5, upto, -1, SQLITE_STATIC);
	sq_bind_int64(SQ(s), st, 6, before);
	while ((src = sq_step(SQ(s), st)) == SQLITE_ROW) {
		xy_feed_row r;
		const char *div = col(st, 15);
		memset(&r, 0, sizeof r);
		r.rec.id = sqlite3_column_int64(st, 0);
		r.rec.unit = col(st, 1);
		r.rec.category = col(st, 2);
		r.rec.key = col(st, 3);
		r.rec.data = col(st, 4);
		r.rec.decided_on = col(st, 5);
		r.rec.reported_on = col(st, 6);
		r.rec.first_batch = sqlite3_column_int64(st, 7);
		r.rec.last_batch = sqlite3_column_int64(st, 8);
		r.rec.versions = sqlite3_column_int(st, 9);
		r.subject.id = sqlite3_column_int64(st, 10);
		if (xy__subject_kind_parse(col(st, 11), &r.subject.kind) < 0)
			r.subject.kind = XY_SUBJ_LEGAL;
		/* borrowed from the row: the struct is never released */
		r.subject.code = (char *)col(st, 12);
		r.subject.code_type = (char *)col(st, 13);
		r.subject.name = (char *)col(st, 14);
		if (strlen(div) < sizeof r.subject.division)
			memcpy(r.subject.division, div, strlen(div) + 1);
		if (cb(ctx, &r))
			break;
	}
	rc = xy__sq_done(SQ(s), st, src, rc, "reading a 双公示 feed", err);
	return rc;
}

const struct xy__store_public_ops xy__sqlite_public_ops = {
	.feed = sq_feed,
};
