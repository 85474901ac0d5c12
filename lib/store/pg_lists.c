/* xinyong: PostgreSQL backend, list types and entries, checks, feedback, the watch list and
 * notices, list records (pg_int.h). */
#include "pg_int.h"

/* ---- list types and entries, checks, feedback, the watch list ---- */

/* 0 id, 1 subject, 2 unit, 3 type, 4-5 code, 6 name, 7 unit name, 8 doc, 9 reason,
 * 10 from, 11 to, 12 exit how, 13 exit on, 14 created; then 15 via, 16 role,
 * 17-18 via code, 19 via name */
#define PG_ENTRY_COLS \
	"e.id, e.subject_id, e.unit_id, t.name, " SCODE_COLS(s) ", s.name, u.name, e.doc," \
	" coalesce(e.reason, ''), e.start_on, coalesce(e.end_on, ''), coalesce(e.exit_how, '')," \
	" coalesce(e.exit_on, ''), e.created_at"
#define PG_ENTRY_OWN ", 0, NULL::text, NULL::text, NULL::bytea, NULL::text"
#define PG_ENTRY_FROM \
	" FROM list_entries e JOIN list_types t ON t.id = e.list_type_id" \
	" JOIN subjects s ON s.id = e.subject_id JOIN units u ON u.id = e.unit_id"

xy_code xy__pg_list_type_ensure(xy_store *base, const xy_list_type *lt, xy_error *err)
{
	pq_args a = { .n = 0 };
	char validity[32];
	if (lt->validity)
		snprintf(validity, sizeof validity, "%d%c", lt->validity, lt->validity_unit);
	else
		snprintf(validity, sizeof validity, "0");
	a_str(&a, lt->name);
	a_str(&a, xy_list_kind_name(lt->kind));
	a_opt(&a, lt->unit);
	a_opt(&a, lt->basis);
	a_str(&a, validity);
	a_opt(&a, lt->exit);
	a_int(&a, lt->national);
	a_opt(&a, lt->category);
	return pq(PG(base), "INSERT INTO list_types(name, kind, unit, basis, validity, exit,"
		  " national, category) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)"
		  " ON CONFLICT(name) DO NOTHING", &a, "saving a list type", NULL, err);
}

static xy_code history_add(pg_store *s, int64_t entry, const char *action, const char *detail,
			   xy_error *err)
{
	pq_args a = { .n = 0 };
	PGresult *r = NULL;
	char now[32];
	xy_code rc;
	now_iso(now);
	a_int(&a, entry);
	a_str(&a, now);
	a_str(&a, action);
	a_opt(&a, detail);
	/* with its entry's subject (schema 25: the key it is distributed by) */
	if ((rc = pq(s, "INSERT INTO list_entry_history(entry_id, subject_id, at, action, detail)"
		     " SELECT id, subject_id, $2, $3, $4 FROM list_entries WHERE id = $1", &a,
		     "recording list entry history", &r, err)))
		return rc;
	if (strcmp(PQcmdTuples(r), "1"))
		rc = xy_error_set(err, XY_ERR_NOTFOUND, "no list entry %lld", (long long)entry);
	PQclear(r);
	return rc;
}

static xy_code entry_insert_tx(pg_store *s, void *arg, xy_error *err)
{
	xy_entry_row *e = arg;
	pq_args a = { .n = 0 };
	PGresult *r = NULL;
	xy_code rc;
	now_iso(e->created_at);
	a_txt0(&a, e->list_type);
	a_int(&a, e->subject_id);
	a_int(&a, e->unit_id);
	a_txt0(&a, e->doc);
	a_opt(&a, e->reason);
	a_str(&a, e->from);
	a_opt(&a, e->to);
	a_str(&a, e->created_at);
	if ((rc = pq(s, "INSERT INTO list_entries(list_type_id, subject_id, unit_id, doc, reason,"
		     " start_on, end_on, created_at) SELECT t.id, $2, $3, $4, $5, $6, $7, $8"
		     " FROM list_types t WHERE t.name = $1 AND NOT EXISTS (SELECT 1"
		     " FROM list_entries x WHERE x.list_type_id = t.id AND x.subject_id = $2"
		     " AND x.doc = $4)"
		     " ON CONFLICT(list_type_id, subject_id, doc) DO NOTHING RETURNING id", &a,
		     "inserting a list entry", &r, err)))
		return rc;
	if (PQntuples(r) != 1) {
		/* either the type is unknown or the entry exists */
		PQclear(r);
		a.n = 1;
		if ((rc = pq(s, "SELECT id FROM list_types WHERE name = $1", &a,
			     "reading a list type", &r, err)))
			return rc;
		rc = PQntuples(r) ? xy_error_set(err, XY_ERR_CONFLICT,
						 "the entry %s on %s for this subject already exists",
						 e->doc, e->list_type)
				  : xy_error_set(err, XY_ERR_NOTFOUND, "unknown list type '%s'",
						 e->list_type);
		PQclear(r);
		return rc;
	}
	e->id = ci(r, 0, 0);
	PQclear(r);
	return XY_OK; /* its history line (列入 …) is the caller's: entry_history_add */
}

xy_code xy__pg_entry_insert(xy_store *base, xy_entry_row *e, xy_error *err)
{
	return xy__pg_in_own_tx(PG(base), entry_insert_tx, e, err);
}

xy_code xy__pg_entry_history_add(xy_store *base, int64_t entry_id, const char *action,
				   const char *detail, xy_error *err)
{
	return history_add(PG(base), entry_id, action, detail, err);
}

xy_code xy__pg_entry_person_add(xy_store *base, int64_t entry_id, int64_t person_id,
				const char *role, xy_error *err)
{
	pq_args a = { .n = 0 };
	a_int(&a, entry_id);
	a_int(&a, person_id);
	a_str(&a, role);
	return pq(PG(base), "INSERT INTO list_entry_persons(entry_id, subject_id, role)"
		  " VALUES ($1, $2, $3) ON CONFLICT DO NOTHING", &a,
		  "linking a person to a list entry", NULL, err);
}

/* e borrows from r, code and via (valid until the next row) */
static xy_code entry_from_row(pg_store *s, PGresult *r, int i, xy_entry_row *e, xy_buf *code,
			      xy_buf *via, xy_error *err)
{
	xy_code rc;
	memset(e, 0, sizeof *e);
	e->id = ci(r, i, 0);
	e->subject_id = ci(r, i, 1);
	e->unit_id = ci(r, i, 2);
	e->list_type = cv(r, i, 3);
	if ((rc = xy__pg_scode(s, r, i, 4, code, &e->subject_code, err)))
		return rc;
	e->subject_name = cv(r, i, 6);
	e->unit = cv(r, i, 7);
	e->doc = cv(r, i, 8);
	e->reason = cv(r, i, 9);
	xy__pg_copy_cut(e->from, sizeof e->from, cv(r, i, 10));
	xy__pg_copy_cut(e->to, sizeof e->to, cv(r, i, 11));
	xy__pg_copy_cut(e->exit_how, sizeof e->exit_how, cv(r, i, 12));
	xy__pg_copy_cut(e->exit_date, sizeof e->exit_date, cv(r, i, 13));
	xy__pg_copy_cut(e->created_at, sizeof e->created_at, cv(r, i, 14));
	e->via = (int)ci(r, i, 15);
	e->role = cv_or_null(r, i, 16);
	if (PQgetisnull(r, i, 17))
		e->via_code = NULL;
	else if ((rc = xy__pg_scode(s, r, i, 17, via, &e->via_code, err)))
		return rc;
	e->via_name = cv_or_null(r, i, 19);
	return XY_OK;
}

/* The one entry sql finds with a, owning its strings; XY_ERR_NOTFOUND (err
 * untouched) when none. */
static xy_code entry_one(pg_store *s, const char *sql, const pq_args *a, xy_entry_row *out,
			 const char *what, xy_error *err)
{
	PGresult *r = NULL;
	xy_buf code = XY_BUF_INIT, via = XY_BUF_INIT;
	xy_code rc = pq(s, sql, a, what, &r, err);
	if (rc)
		return rc;
	if (PQntuples(r) != 1)
		rc = XY_ERR_NOTFOUND;
	else if (!(rc = entry_from_row(s, r, 0, out, &code, &via, err)) &&
		 xy_entry_row_copy(out, out))
		rc = xy_error_set(err, XY_ERR_NOMEM, "out of memory");
	PQclear(r);
	xy_buf_release(&code);
	xy_buf_release(&via);
	return rc;
}

xy_code xy__pg_entry_get(xy_store *base, int64_t id, xy_entry_row *out, xy_error *err)
{
	pq_args a = { .n = 0 };
	xy_code rc;
	a_int(&a, id);
	rc = entry_one(PG(base), "SELECT " PG_ENTRY_COLS PG_ENTRY_OWN PG_ENTRY_FROM
		       " WHERE e.id = $1", &a, out, "reading a list entry", err);
	if (rc == XY_ERR_NOTFOUND)
		return xy_error_set(err, XY_ERR_NOTFOUND, "no list entry %lld", (long long)id);
	return rc;
}

struct exit_arg {
	int64_t id;
	const char *how, *date, *detail;
};

static xy_code entry_exit_tx(pg_store *s, void *arg, xy_error *err)
{
	struct exit_arg *x = arg;
	XY_AUTO(xy_entry_row, e);
	pq_args a = { .n = 0 };
	PGresult *r = NULL;
	xy_buf d = XY_BUF_INIT;
	xy_code rc;
	if ((rc = xy__pg_entry_get(&s->base, x->id, &e, err)))
		return rc;
	if (e.exit_how[0])
		return xy_error_set(err, XY_ERR_CONFLICT,
				    "list entry %lld has already exited (%s on %s)",
				    (long long)x->id, e.exit_how, e.exit_date);
	a_int(&a, x->id);
	a_str(&a, x->date);
	a_str(&a, x->how);
	if ((rc = pq(s, "UPDATE list_entries SET exit_on = $2, exit_how = $3"
		     " WHERE id = $1 AND exit_on IS NULL", &a, "recording a list exit", &r, err)))
		return rc;
	if (strcmp(PQcmdTuples(r), "1"))
		rc = xy_error_set(err, XY_ERR_CONFLICT, "list entry %lld has already exited",
				  (long long)x->id);
	PQclear(r);
	if (rc)
		return rc;
	if (xy_buf_addf(&d, "%s%s%s", x->date, x->detail && *x->detail ? " " : "",
			x->detail ? x->detail : ""))
		return xy_error_set(err, XY_ERR_NOMEM, "out of memory");
	rc = history_add(s, x->id, x->how, d.data, err);
	xy_buf_release(&d);
	return rc;
}

xy_code xy__pg_entry_exit(xy_store *base, int64_t id, const char *how, const char *date,
			  const char *detail, xy_error *err)
{
	struct exit_arg x = { id, how, date, detail };
	return xy__pg_in_own_tx(PG(base), entry_exit_tx, &x, err);
}

static xy_code each_entry(pg_store *s, const char *sql, const pq_args *a, xy_entry_cb cb,
			  void *ctx, xy_error *err)
{
	PGresult *r = NULL;
	xy_buf code = XY_BUF_INIT, via = XY_BUF_INIT;
	xy_entry_row e;
	xy_code rc = pq(s, sql, a, "reading list entries", &r, err);
	if (rc)
		return rc;
	for (int i = 0; i < PQntuples(r); i++) {
		if ((rc = entry_from_row(s, r, i, &e, &code, &via, err)))
			break;
		if (cb(ctx, &e))
			break;
	}
	PQclear(r);
	xy_buf_release(&code);
	xy_buf_release(&via);
	return rc;
}

xy_code xy__pg_entries(xy_store *base, const char *list_type, int64_t after, xy_entry_cb cb,
		       void *ctx, xy_error *err)
{
	pq_args a = { .n = 0 };
	a_str(&a, list_type);
	a_int(&a, after);
	return each_entry(PG(base),
			  list_type ? "SELECT " PG_ENTRY_COLS PG_ENTRY_OWN PG_ENTRY_FROM
				      " WHERE t.name = $1 AND e.id > $2 ORDER BY e.id"
				    : "SELECT " PG_ENTRY_COLS PG_ENTRY_OWN PG_ENTRY_FROM
				      " WHERE $1::text IS NULL AND e.id > $2 ORDER BY e.id",
			  &a, cb, ctx, err);
}

/* xy_store_entry_codes_on, as SQLite's ST_ENTRY_CODES_ON */
xy_code xy__pg_entry_codes_on(xy_store *base, const char *kind, const char *date,
			      xy_subject_code_cb cb, void *ctx, xy_error *err)
{
	pg_store *s = PG(base);
	pq_args a = { .n = 0 };
	PGresult *r = NULL;
	xy_buf code = XY_BUF_INIT;
	xy_code rc;
	a_txt0(&a, kind);
	a_txt0(&a, date);
	rc = pq(s, "SELECT " SCODE_COLS(s) " FROM list_types t"
		" JOIN list_entries e ON e.list_type_id = t.id"
		" JOIN subjects s ON s.id = e.subject_id WHERE t.kind = $1"
		" AND e.start_on <= $2 AND (e.end_on IS NULL OR e.end_on = '' OR e.end_on >= $2)"
		" AND (e.exit_on IS NULL OR e.exit_on = '' OR e.exit_on > $2)", &a,
		"reading list entries in force", &r, err);
	for (int i = 0; !rc && i < PQntuples(r); i++) {
		const char *c = NULL;
		if ((rc = xy__pg_scode(s, r, i, 0, &code, &c, err)) || cb(ctx, c))
			break;
	}
	xy_buf_release(&code);
	PQclear(r);
	return rc;
}

/* own entries; entries of enterprises the subject is a linked person of;
 * entries of the persons linked to the subject's own entries (SQLite's query) */
xy_code xy__pg_subject_entries(xy_store *base, int64_t subject_id, xy_entry_cb cb, void *ctx,
			       xy_error *err)
{
	pq_args a = { .n = 0 };
	a_int(&a, subject_id);
	return each_entry(PG(base),
		"SELECT " PG_ENTRY_COLS PG_ENTRY_OWN PG_ENTRY_FROM " WHERE e.subject_id = $1"
		" UNION ALL"
		" SELECT " PG_ENTRY_COLS ", 1, p.role, " SCODE_COLS(s) ", s.name" PG_ENTRY_FROM
		" JOIN list_entry_persons p ON p.entry_id = e.id WHERE p.subject_id = $1"
		" UNION ALL"
		" SELECT " PG_ENTRY_COLS ", 2, lp.role, " SCODE_COLS(s) ", s.name" PG_ENTRY_FROM
		" JOIN (SELECT DISTINCT p2.subject_id AS pid, p2.role AS role"
		"  FROM list_entry_persons p2 JOIN list_entries e2 ON e2.id = p2.entry_id"
		"  WHERE e2.subject_id = $1 AND p2.subject_id <> $1) lp ON lp.pid = e.subject_id"
		" ORDER BY 16, 1", &a, cb, ctx, err);
}

/* linked persons in the order they were linked: SQLite's rowid order is the
 * insertion order; the table is append-only here, so its physical order (ctid)
 * is too */
xy_code xy__pg_entry_persons(xy_store *base, int64_t entry_id, xy_entry_person_cb cb,
			     void *ctx, xy_error *err)
{
	pg_store *s = PG(base);
	pq_args a = { .n = 0 };
	PGresult *r = NULL;
	xy_buf code = XY_BUF_INIT;
	xy_code rc;
	a_int(&a, entry_id);
	if ((rc = pq(s, "SELECT p.role, " SCODE_COLS(s) ", s.name FROM list_entry_persons p"
		     " JOIN subjects s ON s.id = p.subject_id WHERE p.entry_id = $1 ORDER BY p.ctid",
		     &a, "reading linked persons", &r, err)))
		return rc;
	for (int i = 0; i < PQntuples(r); i++) {
		xy_entry_person p = { cv(r, i, 0), NULL, cv(r, i, 3) };
		if ((rc = xy__pg_scode(s, r, i, 1, &code, &p.code, err)))
			break;
		if (cb(ctx, &p))
			break;
	}
	PQclear(r);
	xy_buf_release(&code);
	return rc;
}

xy_code xy__pg_entry_history(xy_store *base, int64_t entry_id, xy_entry_event_cb cb,
			     void *ctx, xy_error *err)
{
	pq_args a = { .n = 0 };
	PGresult *r = NULL;
	xy_code rc;
	a_int(&a, entry_id);
	if ((rc = pq(PG(base), "SELECT at, action, coalesce(detail, '') FROM list_entry_history"
		     " WHERE entry_id = $1 ORDER BY id", &a, "reading list entry history", &r,
		     err)))
		return rc;
	for (int i = 0; i < PQntuples(r); i++) {
		xy_entry_event ev = { cv(r, i, 0), cv(r, i, 1), cv(r, i, 2) };
		if (cb(ctx, &ev))
			break;
	}
	PQclear(r);
	return XY_OK;
}

xy_code xy__pg_check_insert(xy_store *base, xy_check_row *c, const char *answer,
			    xy_error *err)
{
	pg_store *s = PG(base);
	pq_args a = { .n = 0 };
	PGresult *r = NULL;
	xy_buf enc = XY_BUF_INIT;
	xy_code rc;
	if (xy__pii_seal(&s->pii.cur, answer ? answer : "", answer ? strlen(answer) : 0, &enc))
		return xy_error_set(err, XY_ERR_NOMEM, "out of memory");
	now_iso(c->at);
	a_int(&a, c->unit_id);
	a_int(&a, c->subject_id);
	a_opt(&a, c->matter);
	a_str(&a, c->date);
	a_str(&a, c->at);
	a_bin(&a, enc.data, enc.len);
	rc = pq(s, "INSERT INTO checks(unit_id, subject_id, matter, check_date, at, answer)"
		" VALUES ($1, $2, $3, $4, $5, $6) RETURNING id", &a, "logging a check", &r, err);
	if (!rc)
		c->id = ci(r, 0, 0);
	PQclear(r);
	xy_buf_release(&enc);
	return rc;
}

xy_code xy__pg_check_get(xy_store *base, int64_t id, xy_check_row *out, xy_buf *answer,
			 xy_error *err)
{
	pg_store *s = PG(base);
	pq_args a = { .n = 0 };
	PGresult *r = NULL;
	xy_buf code = XY_BUF_INIT, ans = XY_BUF_INIT;
	xy_code rc;
	a_int(&a, id);
	if ((rc = pq(s, "SELECT c.id, c.unit_id, c.subject_id, u.name, " SCODE_COLS(s) ","
		     " coalesce(c.matter, ''), c.check_date, c.at, c.answer FROM checks c"
		     " JOIN units u ON u.id = c.unit_id JOIN subjects s ON s.id = c.subject_id"
		     " WHERE c.id = $1", &a, "reading a check", &r, err)))
		return rc;
	if (PQntuples(r) != 1) {
		PQclear(r);
		return xy_error_set(err, XY_ERR_NOTFOUND, "no check %lld", (long long)id);
	}
	memset(out, 0, sizeof *out);
	out->id = ci(r, 0, 0);
	out->unit_id = ci(r, 0, 1);
	out->subject_id = ci(r, 0, 2);
	out->unit = cv(r, 0, 3);
	out->matter = cv(r, 0, 6);
	xy__pg_copy_cut(out->date, sizeof out->date, cv(r, 0, 7));
	xy__pg_copy_cut(out->at, sizeof out->at, cv(r, 0, 8));
	if (!(rc = xy__pg_scode(s, r, 0, 4, &code, &out->subject_code, err)) &&
	    !(rc = xy__pg_col_dec(s, r, 0, 9, &ans, err))) {
		if (xy_buf_add(answer, ans.data, ans.len) || xy_check_row_copy(out, out))
			rc = xy_error_set(err, XY_ERR_NOMEM, "out of memory");
	}
	if (rc)
		xy_check_row_release(out);
	PQclear(r);
	xy_buf_release(&code);
	xy_buf_release(&ans);
	return rc;
}

xy_code xy__pg_feedback_insert(xy_store *base, const xy_feedback_row *f, xy_error *err)
{
	pq_args a = { .n = 0 };
	PGresult *r = NULL;
	char now[32];
	xy_code rc;
	now_iso(now);
	a_int(&a, f->check_id);
	a_str(&a, f->memorandum);
	a_int(&a, f->number);
	a_int(&a, f->applied ? 1 : 0);
	a_opt(&a, f->result);
	a_opt(&a, f->reason);
	a_str(&a, now);
	/* with its check's subject (schema 25); credit.c read the check first */
	if ((rc = pq(PG(base), "INSERT INTO feedback(check_id, subject_id, memorandum, number,"
		     " applied, result, reason, at) SELECT $1, (SELECT c.subject_id FROM checks c"
		     " WHERE c.id = $1 LIMIT 1), $2, $3, $4, $5, $6, $7 WHERE NOT EXISTS (SELECT 1"
		     " FROM feedback WHERE check_id = $1 AND memorandum = $2 AND number = $3)"
		     " ON CONFLICT(check_id, subject_id, memorandum, number) DO NOTHING", &a,
		     "recording feedback", &r, err)))
		return rc;
	if (strcmp(PQcmdTuples(r), "1"))
		rc = xy_error_set(err, XY_ERR_CONFLICT,
				  "check %lld already has feedback on measure %d of %s",
				  (long long)f->check_id, f->number, f->memorandum);
	PQclear(r);
	return rc;
}

xy_code xy__pg_feedback_count(xy_store *base, int64_t check_id, long *n, xy_error *err)
{
	pq_args a = { .n = 0 };
	PGresult *r = NULL;
	xy_code rc;
	a_int(&a, check_id);
	if ((rc = pq(PG(base), "SELECT count(*) FROM feedback WHERE $1 = 0 OR check_id = $1", &a,
		     "counting feedback", &r, err)))
		return rc;
	*n = (long)ci(r, 0, 0);
	PQclear(r);
	return XY_OK;
}

xy_code xy__pg_watch_add(xy_store *base, int64_t unit_id, int64_t subject_id, xy_error *err)
{
	pq_args a = { .n = 0 };
	char now[32];
	now_iso(now);
	a_int(&a, unit_id);
	a_int(&a, subject_id);
	a_str(&a, now);
	return pq(PG(base), "INSERT INTO subscriptions(unit_id, subject_id, created_at)"
		  " VALUES ($1, $2, $3) ON CONFLICT DO NOTHING", &a, "adding a subscription", NULL,
		  err);
}

/* notices in the order the units started watching (SQLite: the rowid order
 * of subscriptions; to the second here, then by unit) */
xy_code xy__pg_notify(xy_store *base, int64_t subject_id, int64_t entry_id, long *n,
		      xy_error *err)
{
	pq_args a = { .n = 0 };
	PGresult *r = NULL;
	char now[32];
	xy_code rc;
	now_iso(now);
	a_int(&a, subject_id);
	a_int(&a, entry_id);
	a_str(&a, now);
	if ((rc = pq(PG(base), "INSERT INTO notices(unit_id, subject_id, entry_id, at)"
		     " SELECT unit_id, subject_id, $2, $3 FROM subscriptions WHERE subject_id = $1"
		     " ORDER BY created_at COLLATE \"C\", unit_id", &a, "storing notices", &r, err)))
		return rc;
	*n = strtol(PQcmdTuples(r), NULL, 10);
	PQclear(r);
	return XY_OK;
}

xy_code xy__pg_notices(xy_store *base, int64_t unit_id, xy_notice_cb cb, void *ctx,
		       xy_error *err)
{
	pg_store *s = PG(base);
	pq_args a = { .n = 0 };
	PGresult *r = NULL;
	xy_buf code = XY_BUF_INIT;
	xy_code rc;
	a_int(&a, unit_id);
	if ((rc = pq(s, "SELECT n.id, n.at, " SCODE_COLS(s) ", s.name, e.id, t.name, e.doc,"
		     " e.start_on, coalesce(n.read_at, '') FROM notices n"
		     " JOIN subjects s ON s.id = n.subject_id JOIN list_entries e ON e.id = n.entry_id"
		     " JOIN list_types t ON t.id = e.list_type_id WHERE n.unit_id = $1"
		     " ORDER BY n.id DESC", &a, "reading notices", &r, err)))
		return rc;
	for (int i = 0; i < PQntuples(r); i++) {
		xy_notice v;
		v.id = ci(r, i, 0);
		v.at = cv(r, i, 1);
		if ((rc = xy__pg_scode(s, r, i, 2, &code, &v.subject_code, err)))
			break;
		v.subject_name = cv(r, i, 4);
		v.entry_id = ci(r, i, 5);
		v.list_type = cv(r, i, 6);
		v.doc = cv(r, i, 7);
		v.from = cv(r, i, 8);
		v.read_at = cv(r, i, 9);
		if (cb(ctx, &v))
			break;
	}
	PQclear(r);
	xy_buf_release(&code);
	return rc;
}

xy_code xy__pg_listed_subjects(xy_store *base, xy_id_cb cb, void *ctx, xy_error *err)
{
	PGresult *r = NULL;
	xy_code rc;
	if ((rc = pq(PG(base), "SELECT subject_id FROM list_entries"
		     " UNION SELECT subject_id FROM list_entry_persons", NULL,
		     "reading listed subjects", &r, err)))
		return rc;
	for (int i = 0; i < PQntuples(r); i++)
		if (cb(ctx, ci(r, i, 0)))
			break;
	PQclear(r);
	return XY_OK;
}

xy_code xy__pg_list_records(xy_store *base, int64_t unit_id, int64_t category_id,
			    xy_list_record_cb cb, void *ctx, xy_error *err)
{
	pg_store *s = PG(base);
	pq_args a = { .n = 0 };
	PGresult *r = NULL;
	xy_buf data = XY_BUF_INIT;
	xy_code rc;
	a_int(&a, unit_id);
	a_int(&a, category_id);
	if ((rc = pq(s, "SELECT r.key, coalesce(r.subject_id, 0), r.data_batch,"
		     " coalesce(l.entry_id, 0), r.data FROM record_keys k CROSS JOIN " PG_REC_OF("k")
		     " LEFT JOIN list_entry_records l ON l.unit_id = r.unit_id"
		     " AND l.category_id = r.category_id AND l.key = r.key"
		     " WHERE k.unit_id = $1 AND k.category_id = $2"
		     " AND (l.entry_id IS NULL OR l.data_batch <> r.data_batch) ORDER BY r.id", &a,
		     "reading list records", &r, err)))
		return rc;
	for (int i = 0; i < PQntuples(r); i++) {
		if ((rc = xy__pg_col_dec(s, r, i, 4, &data, err)))
			break;
		xy_list_record v = { unit_id, category_id, cv(r, i, 0), ci(r, i, 1), ci(r, i, 2),
				     ci(r, i, 3), data.data };
		if (cb(ctx, &v))
			break;
	}
	PQclear(r);
	xy_buf_release(&data);
	return rc;
}

xy_code xy__pg_list_record_link(xy_store *base, const xy_list_record *v, xy_error *err)
{
	pq_args a = { .n = 0 };
	a_int(&a, v->unit_id);
	a_int(&a, v->category_id);
	a_str(&a, v->key);
	a_int(&a, v->entry_id);
	a_int(&a, v->data_batch);
	return pq(PG(base), "INSERT INTO list_entry_records(unit_id, category_id, key, entry_id,"
		  " data_batch) VALUES ($1, $2, $3, $4, $5) ON CONFLICT(unit_id, category_id, key)"
		  " DO UPDATE SET entry_id = excluded.entry_id, data_batch = excluded.data_batch", &a,
		  "linking a record to its list entry", NULL, err);
}

/* the first column of the row (unit, category, key) finds; 0 when none */
xy_code xy__pg_key_row(pg_store *s, const char *sql, int64_t unit_id, int64_t category_id,
		       const char *key, int64_t v[2], const char *what, xy_error *err)
{
	pq_args a = { .n = 0 };
	PGresult *r = NULL;
	xy_code rc;
	a_int(&a, unit_id);
	a_int(&a, category_id);
	a_str(&a, key);
	if ((rc = pq(s, sql, &a, what, &r, err)))
		return rc;
	if (PQntuples(r) == 1) {
		v[0] = ci(r, 0, 0);
		v[1] = PQnfields(r) > 1 ? ci(r, 0, 1) : 0;
	} else
		rc = XY_ERR_NOTFOUND;
	PQclear(r);
	return rc;
}

xy_code xy__pg_list_record_entry(xy_store *base, int64_t unit_id, int64_t category_id,
				 const char *key, int64_t *entry_id, xy_error *err)
{
	int64_t v[2] = { 0, 0 };
	xy_code rc = xy__pg_key_row(PG(base), "SELECT entry_id FROM list_entry_records"
				    " WHERE unit_id = $1 AND category_id = $2 AND key = $3",
				    unit_id, category_id, key, v, "reading a record's list entry", err);
	*entry_id = v[0];
	return rc == XY_ERR_NOTFOUND ? XY_OK : rc;
}

xy_code xy__pg_entry_find(xy_store *base, const char *list_type, int64_t subject_id,
			  const char *doc, xy_entry_row *out, xy_error *err)
{
	pq_args a = { .n = 0 };
	a_str(&a, list_type);
	a_int(&a, subject_id);
	a_str(&a, doc);
	return entry_one(PG(base), "SELECT " PG_ENTRY_COLS PG_ENTRY_OWN PG_ENTRY_FROM
			 " WHERE t.name = $1 AND e.subject_id = $2 AND e.doc = $3", &a, out,
			 "finding a list entry", err);
}

struct update_arg {
	const xy_entry_row *e;
	const char *detail;
};

static xy_code entry_update_tx(pg_store *s, void *arg, xy_error *err)
{
	struct update_arg *x = arg;
	pq_args a = { .n = 0 };
	PGresult *r = NULL;
	xy_code rc;
	a_int(&a, x->e->id);
	a_int(&a, x->e->unit_id);
	a_opt(&a, x->e->reason);
	a_str(&a, x->e->from);
	a_opt(&a, x->e->to);
	if ((rc = pq(s, "UPDATE list_entries SET unit_id = $2, reason = $3, start_on = $4,"
		     " end_on = $5 WHERE id = $1", &a, "correcting a list entry", &r, err)))
		return rc;
	if (strcmp(PQcmdTuples(r), "1"))
		rc = xy_error_set(err, XY_ERR_NOTFOUND, "no list entry %lld", (long long)x->e->id);
	PQclear(r);
	return rc ? rc : history_add(s, x->e->id, "更正", x->detail, err);
}

xy_code xy__pg_entry_update(xy_store *base, const xy_entry_row *e, const char *detail,
			    xy_error *err)
{
	struct update_arg x = { e, detail };
	return xy__pg_in_own_tx(PG(base), entry_update_tx, &x, err);
}
