/* xinyong: PostgreSQL backend, the 双公示 feeds of the public pages (pg_int.h). */
#include "pg_int.h"

/* ---- 双公示 feeds ---- */

/* SQLite steps one statement as far as the callback asks; here the same walk
 * of records_feed (category, decided_on, id) in pages of FEED_PAGE rows, each
 * page starting after the last row of the one before: a client's page costs
 * about its own rows, not the category's. */
#define FEED_PAGE 256
static xy_code pg_public_feed(xy_store *base, const xy_feed_query *q, xy_feed_cb cb, void *ctx,
			      xy_error *err)
{
	pg_store *s = PG(base);
	xy_buf code = XY_BUF_INIT, data = XY_BUF_INIT, upto = XY_BUF_INIT;
	int64_t before = INT64_MAX;
	bool stop = false;
	xy_code rc = XY_OK;
	const char *to = q->to ? q->to : "9999-12-31";
	/* the keyset position, or the range's end for the first page */
	if (q->before_date && strcmp(q->before_date, to) <= 0) {
		to = q->before_date;
		before = q->before_id;
	}
	if (xy_buf_addstr(&upto, to))
		return xy_error_set(err, XY_ERR_NOMEM, "out of memory");
	while (!rc && !stop) {
		pq_args a = { .n = 0 };
		PGresult *r = NULL;
		int n;
		a_int(&a, q->category_id);
		a_str(&a, q->from ? q->from : "");
		a_int(&a, q->unit_id);
		a_opt(&a, q->kind);
		a_str(&a, upto.data);
		a_int(&a, before);
		a_int(&a, FEED_PAGE);
		if ((rc = pq(s, "SELECT r.id, coalesce(u.name, ''), coalesce(c.name, ''), r.key, r.data,"
			     " r.decided_on, coalesce(b.reported_on, ''), r.first_batch, "
			     PG_LAST_BATCH("r") ","
			     " 1 + (SELECT count(*) FROM record_versions v WHERE v.record_id = r.id),"
			     " s.id, s.kind, " SCODE_COLS(s) ", s.code_type, s.name,"
			     " coalesce(s.division, '') FROM records r"
			     " JOIN subjects s ON s.id = r.subject_id LEFT JOIN units u ON u.id = r.unit_id"
			     " LEFT JOIN categories c ON c.id = r.category_id"
			     " LEFT JOIN batches b ON b.id = r.first_batch"
			     " WHERE r.category_id = $1 AND r.decided_on IS NOT NULL"
			     " AND r.decided_on COLLATE \"C\" >= $2 AND r.decided_on COLLATE \"C\" <= $5"
			     " AND (r.decided_on COLLATE \"C\" < $5 OR r.id < $6)"
			     " AND ($3 = 0 OR r.unit_id = $3) AND ($4::text IS NULL OR s.kind = $4)"
			     " ORDER BY r.decided_on COLLATE \"C\" DESC, r.id DESC LIMIT $7", &a,
			     "reading a 双公示 feed", &r, err)))
			break;
		n = PQntuples(r);
		for (int i = 0; i < n && !stop; i++) {
			xy_feed_row v;
			const char *div = cv(r, i, 16);
			memset(&v, 0, sizeof v);
			if ((rc = xy__pg_col_dec(s, r, i, 4, &data, err)) ||
			    (rc = xy__pg_scode(s, r, i, 12, &code, (const char **)&v.subject.code,
						 err)))
				break;
			v.rec.id = ci(r, i, 0);
			v.rec.unit = cv(r, i, 1);
			v.rec.category = cv(r, i, 2);
			v.rec.key = cv(r, i, 3);
			v.rec.data = data.data;
			v.rec.decided_on = cv(r, i, 5);
			v.rec.reported_on = cv(r, i, 6);
			v.rec.first_batch = ci(r, i, 7);
			v.rec.last_batch = ci(r, i, 8);
			v.rec.versions = (int)ci(r, i, 9);
			v.subject.id = ci(r, i, 10);
			if (xy__subject_kind_parse(cv(r, i, 11), &v.subject.kind) < 0)
				v.subject.kind = XY_SUBJ_LEGAL;
			/* borrowed from the row: the struct is never released */
			v.subject.code_type = (char *)cv(r, i, 14);
			v.subject.name = (char *)cv(r, i, 15);
			if (strlen(div) < sizeof v.subject.division)
				memcpy(v.subject.division, div, strlen(div) + 1);
			stop = cb(ctx, &v) != 0;
		}
		if (!rc && !stop && n == FEED_PAGE) {
			xy_buf_reset(&upto);
			if (xy_buf_addstr(&upto, cv(r, n - 1, 5)))
				rc = xy_error_set(err, XY_ERR_NOMEM, "out of memory");
			before = ci(r, n - 1, 0);
		} else
			stop = true;
		PQclear(r);
	}
	xy_buf_release(&code);
	xy_buf_release(&data);
	xy_buf_release(&upto);
	return rc;
}
const struct xy__store_public_ops xy__pg_public_ops = {
	.feed = pg_public_feed,
};
