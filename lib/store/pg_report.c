/* xinyong: PostgreSQL backend, issued credit reports (store.h, "issued credit reports";
 * sqlite_report.c is the reference behaviour) (pg_int.h). */
#include "pg_int.h"

static xy_code pg_report_insert(xy_store *base, const xy_report_row *r, xy_error *err)
{
	pq_args a = { .n = 0 };
	PGresult *q = NULL;
	xy_code rc;
	a_txt0(&a, r->number);
	a_txt0(&a, r->day);
	a_int(&a, r->seq);
	a_int(&a, r->subject_id);
	a_txt0(&a, r->subject_name);
	a_txt0(&a, r->subject_code);
	a_txt0(&a, r->generated_at);
	a_txt0(&a, r->data_as_of);
	a_txt0(&a, r->sha256);
	a_txt0(&a, r->code);
	a_str(&a, r->who && *r->who ? r->who : "public");
	rc = pq(PG(base),
		"INSERT INTO credit_reports(number, day, seq,"
		" subject_id, subject_name, subject_code,"
		" generated_at, data_as_of, sha256, code, who)"
		" SELECT $1, $2, $3::bigint, $4::bigint, $5, $6, $7, $8,"
		" $9, $10, $11 WHERE NOT EXISTS"
		" (SELECT 1 FROM credit_reports WHERE number = $1 OR (day = $2 AND seq = $3))",
		&a, "storing an issued report", &q, err);
	if (!rc && !strcmp(PQcmdTuples(q), "0"))
		rc = XY_ERR_CONFLICT;
	if (rc == XY_ERR_CONFLICT) {
		xy_error_clear(err);
		rc = xy_error_set(err, XY_ERR_CONFLICT, "report %s exists already", r->number);
	}
	PQclear(q);
	return rc;
}

static xy_code pg_report_get(xy_store *base, const char *number, xy_report_row *out,
			     xy_error *err)
{
	pq_args a = { .n = 0 };
	PGresult *q = NULL;
	xy_code rc;
	xy_report_row_release(out);
	a_str(&a, number);
	if ((rc = pq(PG(base),
		     "SELECT number, day, seq, subject_id, subject_name,"
		     " subject_code, generated_at,"
		     " data_as_of, sha256, code, who FROM credit_reports WHERE number = $1",
		     &a, "reading an issued report", &q, err)))
		return rc;
	if (PQntuples(q) == 1) {
		xy_report_row r = {
			.number = cv(q, 0, 0), .day = cv(q, 0, 1), .seq = ci(q, 0, 2),
			.subject_id = ci(q, 0, 3), .subject_name = cv(q, 0, 4),
			.subject_code = cv(q, 0, 5), .generated_at = cv(q, 0, 6),
			.data_as_of = cv(q, 0, 7), .sha256 = cv(q, 0, 8), .code = cv(q, 0, 9),
			.who = cv(q, 0, 10),
		};
		if (xy_report_row_copy(out, &r))
			rc = xy_error_set(err, XY_ERR_NOMEM, "out of memory");
	} else {
		rc = xy_error_set(err, XY_ERR_NOTFOUND, "no report numbered %s", number);
	}
	PQclear(q);
	return rc;
}

static xy_code pg_report_last_seq(xy_store *base, const char *day, int64_t *seq, xy_error *err)
{
	return xy__pg_one_int(PG(base),
			      "SELECT coalesce(max(seq), 0) FROM credit_reports WHERE day = $1",
			      day, "reading the reports of a day", seq, err);
}

static xy_code pg_report_mac(xy_store *base, const void *data, size_t n, unsigned char out[32],
			     xy_error *err)
{
	(void)err;
	xy__pii_report_mac(&PG(base)->pii.cur, data, n, out);
	return XY_OK;
}

const struct xy__store_report_ops xy__pg_report_ops = {
	.insert = pg_report_insert,
	.get = pg_report_get,
	.last_seq = pg_report_last_seq,
	.mac = pg_report_mac,
};
