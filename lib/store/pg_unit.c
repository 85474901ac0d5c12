/* xinyong: PostgreSQL backend, the reporting unit's own views (checks, feedback, watches,
 * notices, batch errors) (pg_int.h). */
#include "pg_int.h"

static xy_code pg_unit_feedbacks(xy_store *base, int64_t check_id, xy_feedback_cb cb, void *ctx,
				 xy_error *err)
{
	pq_args a = { .n = 0 };
	PGresult *r = NULL;
	xy_code rc;
	a_int(&a, check_id);
	if ((rc = pq(PG(base), "SELECT check_id, memorandum, number, applied, result, reason, at"
		     " FROM feedback WHERE check_id = $1 ORDER BY id", &a, "reading feedback", &r,
		     err)))
		return rc;
	for (int i = 0; i < PQntuples(r); i++) {
		xy_feedback_row f = {
			.check_id = ci(r, i, 0),
			.memorandum = cv(r, i, 1),
			.number = (int)ci(r, i, 2),
			.applied = ci(r, i, 3) != 0,
			.result = cv_or_null(r, i, 4),
			.reason = cv_or_null(r, i, 5),
		};
		if (cb(ctx, &f, cv(r, i, 6)))
			break;
	}
	PQclear(r);
	return XY_OK;
}


/* SQLite orders the watch list by the plain code, which personal codes only
 * have after decryption: the rows are decrypted, then sorted here by bytes. */
struct watch_item {
	int row;
	char *code;
};

static int watch_cmp(const void *a, const void *b)
{
	const struct watch_item *x = a, *y = b;
	int c = strcmp(x->code, y->code);
	return c ? c : (x->row > y->row) - (x->row < y->row);
}

static xy_code pg_unit_watches(xy_store *base, int64_t unit_id, xy_watch_cb cb, void *ctx,
			       xy_error *err)
{
	pg_store *s = PG(base);
	pq_args a = { .n = 0 };
	PGresult *r = NULL;
	xy_buf code = XY_BUF_INIT;
	struct watch_item *it = NULL;
	int n = 0;
	xy_code rc;
	a_int(&a, unit_id);
	if ((rc = pq(s, "SELECT w.subject_id, " SCODE_COLS(s) ", s.name, w.created_at"
		     " FROM subscriptions w JOIN subjects s ON s.id = w.subject_id"
		     " WHERE w.unit_id = $1", &a, "reading the watch list", &r, err)))
		return rc;
	if (PQntuples(r) && !(it = calloc((size_t)PQntuples(r), sizeof *it)))
		rc = xy_error_set(err, XY_ERR_NOMEM, "out of memory");
	for (; !rc && n < PQntuples(r); n++) {
		const char *c;
		if ((rc = xy__pg_scode(s, r, n, 1, &code, &c, err)))
			break;
		it[n].row = n;
		if (!(it[n].code = strdup(c)))
			rc = xy_error_set(err, XY_ERR_NOMEM, "out of memory");
	}
	if (!rc) {
		if (n)
			qsort(it, (size_t)n, sizeof *it, watch_cmp);
		for (int i = 0; i < n; i++) {
			xy_watch_row w = { ci(r, it[i].row, 0), it[i].code, cv(r, it[i].row, 3),
					   cv(r, it[i].row, 4) };
			if (cb(ctx, &w))
				break;
		}
	}
	for (int i = 0; i < n; i++)
		free(it[i].code);
	free(it);
	PQclear(r);
	xy_buf_release(&code);
	return rc;
}


/* newest first; unit_id 0: every unit, before 0: from the newest, limit 0: all */
static xy_code pg_unit_checks(xy_store *base, int64_t unit_id, int64_t before, size_t limit,
			      xy_check_cb cb, void *ctx, xy_error *err)
{
	pg_store *s = PG(base);
	pq_args a = { .n = 0 };
	PGresult *r = NULL;
	xy_buf code = XY_BUF_INIT, ans = XY_BUF_INIT;
	xy_code rc;
	a_id(&a, unit_id);
	a_id(&a, before);
	a_id(&a, (int64_t)limit);
	if ((rc = pq(s, "SELECT c.id, c.unit_id, c.subject_id, u.name, " SCODE_COLS(s) ","
		     " coalesce(c.matter, ''), c.check_date, c.at, c.answer FROM checks c"
		     " JOIN units u ON u.id = c.unit_id JOIN subjects s ON s.id = c.subject_id"
		     " WHERE ($1::bigint IS NULL OR c.unit_id = $1)"
		     " AND ($2::bigint IS NULL OR c.id < $2) ORDER BY c.id DESC LIMIT $3::bigint", &a,
		     "reading checks", &r, err)))
		return rc;
	for (int i = 0; i < PQntuples(r); i++) {
		xy_check_row c;
		memset(&c, 0, sizeof c);
		if ((rc = xy__pg_scode(s, r, i, 4, &code, &c.subject_code, err)) ||
		    (rc = xy__pg_col_dec(s, r, i, 9, &ans, err)))
			break;
		c.id = ci(r, i, 0);
		c.unit_id = ci(r, i, 1);
		c.subject_id = ci(r, i, 2);
		c.unit = cv(r, i, 3);
		c.matter = cv(r, i, 6);
		xy__pg_copy_cut(c.date, sizeof c.date, cv(r, i, 7));
		xy__pg_copy_cut(c.at, sizeof c.at, cv(r, i, 8));
		if (cb(ctx, &c, ans.data))
			break;
	}
	PQclear(r);
	xy_buf_release(&code);
	xy_buf_release(&ans);
	return rc;
}

static xy_code pg_unit_watch_remove(xy_store *base, int64_t unit_id, int64_t subject_id,
				    bool *removed, xy_error *err)
{
	pq_args a = { .n = 0 };
	PGresult *r = NULL;
	xy_code rc;
	*removed = false;
	a_int(&a, unit_id);
	a_int(&a, subject_id);
	if ((rc = pq(PG(base), "DELETE FROM subscriptions WHERE unit_id = $1 AND subject_id = $2",
		     &a, "removing a watched subject", &r, err)))
		return rc;
	*removed = strcmp(PQcmdTuples(r), "0") != 0;
	PQclear(r);
	return XY_OK;
}

static xy_code pg_unit_notices_read(xy_store *base, int64_t unit_id, int64_t notice_id,
				    const char *at, long *n, xy_error *err)
{
	pg_store *s = PG(base);
	pq_args a = { .n = 0 };
	PGresult *r = NULL;
	xy_code rc;
	*n = 0;
	a_int(&a, unit_id);
	a_int(&a, notice_id);
	if (notice_id) { /* the unit's own notice, or not found */
		if ((rc = pq(s, "SELECT 1 FROM notices WHERE id = $2 AND unit_id = $1", &a,
			     "reading a notice", &r, err)))
			return rc;
		bool found = PQntuples(r) > 0;
		PQclear(r);
		if (!found)
			return xy_error_at(err, XY_ERR_NOTFOUND, NULL, 0, "id",
					   "notice %lld not found (通知不存在)", (long long)notice_id);
	}
	a_txt0(&a, at);
	if ((rc = pq(s, "UPDATE notices SET read_at = $3 WHERE unit_id = $1"
		     " AND ($2 = 0 OR id = $2) AND read_at IS NULL", &a, "marking notices read", &r,
		     err)))
		return rc;
	*n = strtol(PQcmdTuples(r), NULL, 10);
	PQclear(r);
	return XY_OK;
}

static xy_code pg_unit_batch_errors_page(xy_store *base, int64_t batch_id, int64_t after,
					 size_t limit, xy_batch_error_page_cb cb, void *ctx,
					 xy_error *err)
{
	pg_store *s = PG(base);
	pq_args a = { .n = 0 };
	PGresult *r = NULL;
	xy_buf v = XY_BUF_INIT;
	xy_code rc;
	a_int(&a, batch_id);
	a_int(&a, after);
	a_id(&a, (int64_t)limit);
	if ((rc = pq(s, "SELECT id, batch_id, \"row\", sheet, \"column\", value, reason_zh,"
		     " reason_en FROM batch_errors WHERE batch_id = $1 AND id > $2"
		     " ORDER BY id LIMIT $3::bigint", &a, "reading rejected rows", &r, err)))
		return rc;
	for (int i = 0; i < PQntuples(r); i++) {
		if ((rc = xy__pg_col_dec(s, r, i, 5, &v, err)))
			break;
		xy_batch_error e = {
			.batch_id = ci(r, i, 1),
			.row = (long)ci(r, i, 2),
			.sheet = cv_or_null(r, i, 3),
			.column = cv_or_null(r, i, 4),
			.value = v.data,
			.reason_zh = cv_or_null(r, i, 6),
			.reason_en = cv_or_null(r, i, 7),
		};
		if (cb(ctx, ci(r, i, 0), &e))
			break;
	}
	PQclear(r);
	xy_buf_release(&v);
	return rc;
}

const struct xy__store_unit_ops xy__pg_unit_ops = {
	.checks = pg_unit_checks,
	.feedbacks = pg_unit_feedbacks,
	.watches = pg_unit_watches,
	.watch_remove = pg_unit_watch_remove,
	.notices_read = pg_unit_notices_read,
	.batch_errors_page = pg_unit_batch_errors_page,
};
