/* xinyong: the SQLite backend's list types and entries (also those derived from records),
 * 联合奖惩 checks, feedback, the watch list and its notices.
 * Split from sqlite.c; every value bound, each statement prepared once per
 * handle in its slot (xy__sq_prep, [XY__SQ_LISTS, +40)). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "xinyong/buf.h"
#include "xinyong/registry.h"
#include "xinyong/sanctions.h"
#include "xinyong/store.h"
#include "sqlite_int.h"

enum st {
	ST_LT_ENSURE,
	ST_LT_ID,
	ST_ENTRY_INSERT,
	ST_ENTRY_HIST,
	ST_ENTRY_PERSON,
	ST_ENTRY_GET,
	ST_ENTRY_EXIT,
	ST_ENTRIES_ALL,
	ST_ENTRIES_TYPE,
	ST_SUBJ_ENTRIES,
	ST_SUBJ_ANY_ENTRY,
	ST_ENTRY_PERSONS,
	ST_ENTRY_HISTORY,
	ST_CHECK_INSERT,
	ST_SUBJ_LISTED,
	ST_CHECK_GET,
	ST_FB_INSERT,
	ST_FB_COUNT,
	ST_FB_COUNT_ALL,
	ST_WATCH_ADD,
	ST_NOTIFY,
	ST_NOTICES,
	ST_LREC_LIST,
	ST_LREC_LINK,
	ST_LREC_ENTRY,
	ST_ENTRY_FIND,
	ST_ENTRY_UPDATE,
	ST_ENTRY_CODES_ON,
	ST__N
};

#define ENTRY_COLS \
	"e.id, e.subject_id, e.unit_id, t.name, " SCODE(s) ", s.name, u.name, e.doc," \
	" coalesce(e.reason, ''), e.start_on, coalesce(e.end_on, ''), coalesce(e.exit_how, '')," \
	" coalesce(e.exit_on, ''), e.created_at"
/* the 15th column (via) follows ENTRY_COLS */
#define ENTRY_FROM \
	" FROM list_entries e JOIN list_types t ON t.id = e.list_type_id" \
	" JOIN subjects s ON s.id = e.subject_id JOIN units u ON u.id = e.unit_id"

static const char *const sql_text[ST__N] = {
	[ST_LT_ENSURE] =
		"INSERT INTO list_types(name, kind, unit, basis, validity, exit, national, category)"
		" VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) ON CONFLICT(name) DO NOTHING",
	[ST_LT_ID] = "SELECT id FROM list_types WHERE name = ?1",
	[ST_ENTRY_INSERT] =
		"INSERT INTO list_entries(list_type_id, subject_id, unit_id, doc, reason,"
		" start_on, end_on, created_at)"
		" SELECT t.id, ?2, ?3, ?4, ?5, ?6, ?7, ?8 FROM list_types t WHERE t.name = ?1"
		" ON CONFLICT(list_type_id, subject_id, doc) DO NOTHING",
	[ST_ENTRY_HIST] =
		"INSERT INTO list_entry_history(entry_id, at, action, detail)"
		" VALUES (?1, ?2, ?3, ?4)",
	[ST_ENTRY_PERSON] =
		"INSERT INTO list_entry_persons(entry_id, subject_id, role) VALUES (?1, ?2, ?3)"
		" ON CONFLICT DO NOTHING",
	[ST_ENTRY_GET] = "SELECT " ENTRY_COLS ", 0, NULL, NULL, NULL" ENTRY_FROM " WHERE e.id = ?1",
	[ST_ENTRY_EXIT] =
		"UPDATE list_entries SET exit_on = ?2, exit_how = ?3"
		" WHERE id = ?1 AND exit_on IS NULL",
	/* ?2: a keyset page starts after that id (0: from the first) */
	[ST_ENTRIES_ALL] = "SELECT " ENTRY_COLS ", 0, NULL, NULL, NULL" ENTRY_FROM
			   " WHERE e.id > ?2 ORDER BY e.id",
	/* xy_store_entry_codes_on: an empty end or exit date counts as none */
	[ST_ENTRY_CODES_ON] = "SELECT " SCODE(s) " FROM list_types t"
			      " JOIN list_entries e ON e.list_type_id = t.id"
			      " JOIN subjects s ON s.id = e.subject_id WHERE t.kind = ?1"
			      " AND e.start_on <= ?2 AND (e.end_on IS NULL OR e.end_on = ''"
			      " OR e.end_on >= ?2) AND (e.exit_on IS NULL OR e.exit_on = ''"
			      " OR e.exit_on > ?2)",
	[ST_ENTRIES_TYPE] = "SELECT " ENTRY_COLS ", 0, NULL, NULL, NULL" ENTRY_FROM
			    " WHERE t.name = ?1 AND e.id > ?2 ORDER BY e.id",
	/* own entries; entries of enterprises the subject is a linked person of;
	 * entries of the persons linked to the subject's own entries */
	[ST_SUBJ_ENTRIES] =
		"SELECT " ENTRY_COLS ", 0, NULL, NULL, NULL" ENTRY_FROM " WHERE e.subject_id = ?1"
		" UNION ALL"
		" SELECT " ENTRY_COLS ", 1, p.role, " SCODE(s) ", s.name" ENTRY_FROM
		" JOIN list_entry_persons p ON p.entry_id = e.id WHERE p.subject_id = ?1"
		" UNION ALL"
		" SELECT " ENTRY_COLS ", 2, lp.role, " SCODE(s) ", s.name" ENTRY_FROM
		" JOIN (SELECT DISTINCT p2.subject_id AS pid, p2.role AS role"
		"  FROM list_entry_persons p2 JOIN list_entries e2 ON e2.id = p2.entry_id"
		"  WHERE e2.subject_id = ?1 AND p2.subject_id <> ?1) lp ON lp.pid = e.subject_id"
		" ORDER BY 15, 1",
	/* whether ST_SUBJ_ENTRIES can return a row: all three parts need an entry
	 * of the subject or a link to it (two index probes instead of the three
	 * parts and their sort, for the many subjects on no list) */
	[ST_SUBJ_ANY_ENTRY] = "SELECT EXISTS (SELECT 1 FROM list_entries WHERE subject_id = ?1)"
			      " OR EXISTS (SELECT 1 FROM list_entry_persons WHERE subject_id = ?1)",
	[ST_ENTRY_PERSONS] =
		"SELECT p.role, " SCODE(s) ", s.name FROM list_entry_persons p"
		" JOIN subjects s ON s.id = p.subject_id WHERE p.entry_id = ?1 ORDER BY p.rowid",
	[ST_ENTRY_HISTORY] =
		"SELECT at, action, coalesce(detail, '') FROM list_entry_history"
		" WHERE entry_id = ?1 ORDER BY id",
	[ST_CHECK_INSERT] =
		"INSERT INTO checks(unit_id, subject_id, matter, check_date, at, answer)"
		" VALUES (?1, ?2, ?3, ?4, ?5, xy_enc(?6))",
	/* every subject some entry reaches: listed subjects and linked persons (the
	 * persons' enterprises are listed subjects themselves) */
	[ST_SUBJ_LISTED] = "SELECT subject_id FROM list_entries"
			   " UNION SELECT subject_id FROM list_entry_persons",
	[ST_CHECK_GET] =
		"SELECT c.id, c.unit_id, c.subject_id, u.name, " SCODE(s) ", coalesce(c.matter, ''),"
		" c.check_date, c.at, xy_dec(c.answer) FROM checks c JOIN units u ON u.id = c.unit_id"
		" JOIN subjects s ON s.id = c.subject_id WHERE c.id = ?1",
	[ST_FB_INSERT] =
		"INSERT INTO feedback(check_id, memorandum, number, applied, result, reason, at)"
		" VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)"
		" ON CONFLICT(check_id, memorandum, number) DO NOTHING",
	[ST_FB_COUNT] = "SELECT count(*) FROM feedback WHERE check_id = ?1",
	[ST_FB_COUNT_ALL] = "SELECT count(*) FROM feedback",
	[ST_WATCH_ADD] =
		"INSERT INTO subscriptions(unit_id, subject_id, created_at) VALUES (?1, ?2, ?3)"
		" ON CONFLICT DO NOTHING",
	[ST_NOTIFY] =
		"INSERT INTO notices(unit_id, subject_id, entry_id, at)"
		" SELECT unit_id, subject_id, ?2, ?3 FROM subscriptions WHERE subject_id = ?1",
	[ST_NOTICES] =
		"SELECT n.id, n.at, " SCODE(s) ", s.name, e.id, t.name, e.doc, e.start_on,"
		" coalesce(n.read_at, '')"
		" FROM notices n JOIN subjects s ON s.id = n.subject_id"
		" JOIN list_entries e ON e.id = n.entry_id"
		" JOIN list_types t ON t.id = e.list_type_id"
		" WHERE n.unit_id = ?1 ORDER BY n.id DESC",
	/* (unit, category) is a prefix of the records' unique index */
	[ST_LREC_LIST] =
		"SELECT r.key, r.subject_id, r.data_batch, coalesce(l.entry_id, 0), xy_dec(r.data)"
		" FROM records r LEFT JOIN list_entry_records l ON l.unit_id = r.unit_id"
		" AND l.category_id = r.category_id AND l.key = r.key"
		" WHERE r.unit_id = ?1 AND r.category_id = ?2"
		" AND (l.entry_id IS NULL OR l.data_batch <> r.data_batch) ORDER BY r.id",
	[ST_LREC_LINK] =
		"INSERT INTO list_entry_records(unit_id, category_id, key, entry_id, data_batch)"
		" VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT(unit_id, category_id, key) DO UPDATE"
		" SET entry_id = excluded.entry_id, data_batch = excluded.data_batch",
	[ST_LREC_ENTRY] = "SELECT entry_id FROM list_entry_records"
			  " WHERE unit_id = ?1 AND category_id = ?2 AND key = ?3",
	[ST_ENTRY_FIND] = "SELECT " ENTRY_COLS ", 0, NULL, NULL, NULL" ENTRY_FROM
			  " WHERE t.name = ?1 AND e.subject_id = ?2 AND e.doc = ?3",
	[ST_ENTRY_UPDATE] =
		"UPDATE list_entries SET unit_id = ?2, reason = ?3, start_on = ?4, end_on = ?5"
		" WHERE id = ?1",
};

static xy_code prep(sq_store *s, enum st id, sqlite3_stmt **out, xy_error *err)
{
	return xy__sq_prep(&s->base, XY__SQ_LISTS + id, sql_text[id], out, err);
}

xy_code xy__sq_list_type_ensure(xy_store *base, const xy_list_type *lt, xy_error *err)
{
	sq_store *s = SQ(base);
	sqlite3_stmt *st = NULL;
	char validity[32];
	xy_code rc = prep(s, ST_LT_ENSURE, &st, err);
	if (rc)
		return rc;
	if (lt->validity)
		snprintf(validity, sizeof validity, "%d%c", lt->validity, lt->validity_unit);
	else
		snprintf(validity, sizeof validity, "0");
	sq_bind_str(s, st, 1, lt->name);
	sq_bind_str(s, st, 2, xy_list_kind_name(lt->kind));
	sq_bind_opt(s, st, 3, lt->unit);
	sq_bind_opt(s, st, 4, lt->basis);
	sq_bind_str(s, st, 5, validity);
	sq_bind_opt(s, st, 6, lt->exit);
	sq_bind_int(s, st, 7, lt->national);
	sq_bind_opt(s, st, 8, lt->category);
	return sq_run(s, st, "saving a list type", err);
}

static xy_code history_add(sq_store *s, int64_t entry, const char *action, const char *detail,
			   xy_error *err)
{
	sqlite3_stmt *st = NULL;
	char now[32];
	xy_code rc = prep(s, ST_ENTRY_HIST, &st, err);
	if (rc)
		return rc;
	sq_now_iso(now);
	sq_bind_int64(s, st, 1, entry);
	sq_bind_str(s, st, 2, now);
	sq_bind_str(s, st, 3, action);
	sq_bind_opt(s, st, 4, detail);
	return sq_run(s, st, "recording list entry history", err);
}

static xy_code entry_insert_tx(sq_store *s, void *arg, xy_error *err)
{
	xy_entry_row *e = arg;
	sqlite3_stmt *st = NULL;
	xy_code rc = prep(s, ST_ENTRY_INSERT, &st, err);
	if (rc)
		return rc;
	sq_now_iso(e->created_at);
	sq_bind_txt(s, st, 1, e->list_type);
	sq_bind_int64(s, st, 2, e->subject_id);
	sq_bind_int64(s, st, 3, e->unit_id);
	sq_bind_txt(s, st, 4, e->doc);
	sq_bind_opt(s, st, 5, e->reason);
	sq_bind_str(s, st, 6, e->from);
	sq_bind_opt(s, st, 7, e->to);
	sq_bind_str(s, st, 8, e->created_at);
	if ((rc = sq_run(s, st, "inserting a list entry", err)))
		return rc;
	if (sqlite3_changes(s->db) != 1) {
		/* either the type is unknown or the entry exists */
		sqlite3_stmt *t = NULL;
		int src;
		if ((rc = prep(s, ST_LT_ID, &t, err)))
			return rc;
		sq_bind_str(s, t, 1, e->list_type);
		src = sq_step(s, t);
		sqlite3_reset(t);
		if (src == SQLITE_DONE)
			return xy_error_set(err, XY_ERR_NOTFOUND, "unknown list type '%s'",
					    e->list_type);
		return xy_error_set(err, XY_ERR_CONFLICT,
				    "the entry %s on %s for this subject already exists",
				    e->doc, e->list_type);
	}
	e->id = sqlite3_last_insert_rowid(s->db);
	return XY_OK;
}

xy_code xy__sq_entry_insert(xy_store *base, xy_entry_row *e, xy_error *err)
{
	return xy__sq_in_tx(SQ(base), entry_insert_tx, e, err);
}

xy_code xy__sq_entry_history_add(xy_store *base, int64_t entry_id, const char *action,
				 const char *detail, xy_error *err)
{
	return history_add(SQ(base), entry_id, action, detail, err);
}

xy_code xy__sq_entry_person_add(xy_store *base, int64_t entry_id, int64_t person_id,
				   const char *role, xy_error *err)
{
	sq_store *s = SQ(base);
	sqlite3_stmt *st = NULL;
	xy_code rc = prep(s, ST_ENTRY_PERSON, &st, err);
	if (rc)
		return rc;
	sq_bind_int64(s, st, 1, entry_id);
	sq_bind_int64(s, st, 2, person_id);
	sq_bind_str(s, st, 3, role);
	return sq_run(s, st, "linking a person to a list entry", err);
}

static void entry_from_row(sqlite3_stmt *st, xy_entry_row *e)
{
	memset(e, 0, sizeof *e);
	e->id = sqlite3_column_int64(st, 0);
	e->subject_id = sqlite3_column_int64(st, 1);
	e->unit_id = sqlite3_column_int64(st, 2);
	e->list_type = sq_col_str(st, 3);
	e->subject_code = sq_col_str(st, 4);
	e->subject_name = sq_col_str(st, 5);
	e->unit = sq_col_str(st, 6);
	e->doc = sq_col_str(st, 7);
	e->reason = sq_col_str(st, 8);
	sq_col_copy(st, 9, e->from, sizeof e->from);
	sq_col_copy(st, 10, e->to, sizeof e->to);
	sq_col_copy(st, 11, e->exit_how, sizeof e->exit_how);
	sq_col_copy(st, 12, e->exit_date, sizeof e->exit_date);
	sq_col_copy(st, 13, e->created_at, sizeof e->created_at);
	e->via = sqlite3_column_int(st, 14);
	e->role = sq_col_str(st, 15);
	e->via_code = sq_col_str(st, 16);
	e->via_name = sq_col_str(st, 17);
}

xy_code xy__sq_entry_get(xy_store *base, int64_t id, xy_entry_row *out, xy_error *err)
{
	sq_store *s = SQ(base);
	sqlite3_stmt *st = NULL;
	xy_code rc = prep(s, ST_ENTRY_GET, &st, err);
	int src;
	if (rc)
		return rc;
	sq_bind_int64(s, st, 1, id);
	src = sq_step(s, st);
	if (src == SQLITE_ROW) {
		entry_from_row(st, out);
		OWN(xy_entry_row, out, rc);
	} else if (src == SQLITE_DONE)
		rc = xy_error_set(err, XY_ERR_NOTFOUND, "no list entry %lld", (long long)id);
	else
		rc = sq_fail(s, src, "reading a list entry", err);
	sqlite3_reset(st);
	return rc;
}

struct exit_arg {
	int64_t id;
	const char *how, *date, *detail;
};

static xy_code entry_exit_tx(sq_store *s, void *arg, xy_error *err)
{
	struct exit_arg *a = arg;
	sqlite3_stmt *st = NULL;
	XY_AUTO(xy_entry_row, e);
	xy_buf d = XY_BUF_INIT;
	xy_code rc;
	if ((rc = xy__sq_entry_get(&s->base, a->id, &e, err)))
		return rc;
	if (e.exit_how[0])
		return xy_error_set(err, XY_ERR_CONFLICT,
				    "list entry %lld has already exited (%s on %s)",
				    (long long)a->id, e.exit_how, e.exit_date);
	if ((rc = prep(s, ST_ENTRY_EXIT, &st, err)))
		return rc;
	sq_bind_int64(s, st, 1, a->id);
	sq_bind_str(s, st, 2, a->date);
	sq_bind_str(s, st, 3, a->how);
	if ((rc = sq_run(s, st, "recording a list exit", err)))
		return rc;
	if (sqlite3_changes(s->db) != 1)
		return xy_error_set(err, XY_ERR_CONFLICT, "list entry %lld has already exited",
				    (long long)a->id);
	if (xy_buf_addf(&d, "%s%s%s", a->date, a->detail && *a->detail ? " " : "",
			a->detail ? a->detail : ""))
		return xy_error_set(err, XY_ERR_NOMEM, "out of memory");
	rc = history_add(s, a->id, a->how, d.data, err);
	xy_buf_release(&d);
	return rc;
}

xy_code xy__sq_entry_exit(xy_store *base, int64_t id, const char *how, const char *date,
			     const char *detail, xy_error *err)
{
	struct exit_arg a = { id, how, date, detail };
	return xy__sq_in_tx(SQ(base), entry_exit_tx, &a, err);
}

static xy_code each_entry(sq_store *s, sqlite3_stmt *st, xy_entry_cb cb, void *ctx,
			  xy_error *err)
{
	xy_entry_row *e = malloc(sizeof *e);
	xy_code rc = XY_OK;
	int src;
	if (!e) {
		sqlite3_reset(st);
		return xy_error_set(err, XY_ERR_NOMEM, "out of memory");
	}
	while ((src = sq_step(s, st)) == SQLITE_ROW) {
		entry_from_row(st, e);
		if (cb(ctx, e))
			break;
	}
	rc = xy__sq_done(s, st, src, rc, "reading list entries", err);
	free(e);
	return rc;
}

xy_code xy__sq_entries(xy_store *base, const char *list_type, int64_t after, xy_entry_cb cb,
			  void *ctx, xy_error *err)
{
	sq_store *s = SQ(base);
	sqlite3_stmt *st = NULL;
	xy_code rc = prep(s, list_type ? ST_ENTRIES_TYPE : ST_ENTRIES_ALL, &st, err);
	if (rc)
		return rc;
	if (list_type)
		sq_bind_str(s, st, 1, list_type);
	sq_bind_int64(s, st, 2, after);
	return each_entry(s, st, cb, ctx, err);
}

static int code_row(sqlite3_stmt *st, void *cb, void *ctx)
{
	return ((xy_subject_code_cb)cb)(ctx, xy__sq_col(st, 0));
}

xy_code xy__sq_entry_codes_on(xy_store *base, const char *kind, const char *date,
			      xy_subject_code_cb cb, void *ctx, xy_error *err)
{
	sq_store *s = SQ(base);
	sqlite3_stmt *st = NULL;
	xy_code rc = prep(s, ST_ENTRY_CODES_ON, &st, err);
	if (rc)
		return rc;
	sq_bind_str(s, st, 1, kind);
	sq_bind_str(s, st, 2, date);
	return xy__sq_each(base, st, code_row, (void *)cb, ctx, "reading list entries in force",
			   NULL, err);
}

xy_code xy__sq_subject_entries(xy_store *base, int64_t subject_id, xy_entry_cb cb, void *ctx,
				  xy_error *err)
{
	sq_store *s = SQ(base);
	sqlite3_stmt *st = NULL;
	xy_code rc = prep(s, ST_SUBJ_ANY_ENTRY, &st, err);
	int src;
	if (rc)
		return rc;
	sq_bind_int64(s, st, 1, subject_id);
	src = sq_step(s, st);
	bool any = src == SQLITE_ROW && sqlite3_column_int(st, 0);
	if (src != SQLITE_ROW)
		rc = sq_fail(s, src, "looking for list entries", err);
	sqlite3_reset(st);
	if (rc || !any)
		return rc;
	if ((rc = prep(s, ST_SUBJ_ENTRIES, &st, err)))
		return rc;
	sq_bind_int64(s, st, 1, subject_id);
	return each_entry(s, st, cb, ctx, err);
}

xy_code xy__sq_entry_persons(xy_store *base, int64_t entry_id, xy_entry_person_cb cb,
				void *ctx, xy_error *err)
{
	sq_store *s = SQ(base);
	sqlite3_stmt *st = NULL;
	xy_code rc = prep(s, ST_ENTRY_PERSONS, &st, err);
	int src;
	if (rc)
		return rc;
	sq_bind_int64(s, st, 1, entry_id);
	while ((src = sq_step(s, st)) == SQLITE_ROW) {
		xy_entry_person p = { sq_col_str(st, 0), sq_col_str(st, 1), sq_col_str(st, 2) };
		if (cb(ctx, &p))
			break;
	}
	rc = xy__sq_done(s, st, src, rc, "reading linked persons", err);
	return rc;
}

xy_code xy__sq_entry_history(xy_store *base, int64_t entry_id, xy_entry_event_cb cb,
				void *ctx, xy_error *err)
{
	sq_store *s = SQ(base);
	sqlite3_stmt *st = NULL;
	xy_code rc = prep(s, ST_ENTRY_HISTORY, &st, err);
	int src;
	if (rc)
		return rc;
	sq_bind_int64(s, st, 1, entry_id);
	while ((src = sq_step(s, st)) == SQLITE_ROW) {
		xy_entry_event ev = { sq_col_str(st, 0), sq_col_str(st, 1), sq_col_str(st, 2) };
		if (cb(ctx, &ev))
			break;
	}
	rc = xy__sq_done(s, st, src, rc, "reading list entry history", err);
	return rc;
}

xy_code xy__sq_check_insert(xy_store *base, xy_check_row *c, const char *answer,
			       xy_error *err)
{
	sq_store *s = SQ(base);
	sqlite3_stmt *st = NULL;
	xy_code rc = prep(s, ST_CHECK_INSERT, &st, err);
	if (rc)
		return rc;
	sq_now_iso(c->at);
	sq_bind_int64(s, st, 1, c->unit_id);
	sq_bind_int64(s, st, 2, c->subject_id);
	sq_bind_opt(s, st, 3, c->matter);
	sq_bind_str(s, st, 4, c->date);
	sq_bind_str(s, st, 5, c->at);
	sq_bind_str(s, st, 6, answer);
	if ((rc = sq_run(s, st, "logging a check", err)))
		return rc;
	c->id = sqlite3_last_insert_rowid(s->db);
	return XY_OK;
}

xy_code xy__sq_check_get(xy_store *base, int64_t id, xy_check_row *out, xy_buf *answer,
			    xy_error *err)
{
	sq_store *s = SQ(base);
	sqlite3_stmt *st = NULL;
	xy_code rc = prep(s, ST_CHECK_GET, &st, err);
	int src;
	if (rc)
		return rc;
	sq_bind_int64(s, st, 1, id);
	src = sq_step(s, st);
	if (src == SQLITE_ROW) {
		memset(out, 0, sizeof *out);
		out->id = sqlite3_column_int64(st, 0);
		out->unit_id = sqlite3_column_int64(st, 1);
		out->subject_id = sqlite3_column_int64(st, 2);
		out->unit = sq_col_str(st, 3);
		out->subject_code = sq_col_str(st, 4);
		out->matter = sq_col_str(st, 5);
		sq_col_copy(st, 6, out->date, sizeof out->date);
		sq_col_copy(st, 7, out->at, sizeof out->at);
		if (xy_buf_add(answer, sq_col_str(st, 8), (size_t)sqlite3_column_bytes(st, 8)))
			rc = xy_error_set(err, XY_ERR_NOMEM, "out of memory");
		OWN(xy_check_row, out, rc);
		if (rc)
			xy_check_row_release(out);
	} else if (src == SQLITE_DONE) {
		rc = xy_error_set(err, XY_ERR_NOTFOUND, "no check %lld", (long long)id);
	} else {
		rc = sq_fail(s, src, "reading a check", err);
	}
	sqlite3_reset(st);
	return rc;
}

xy_code xy__sq_feedback_insert(xy_store *base, const xy_feedback_row *f, xy_error *err)
{
	sq_store *s = SQ(base);
	sqlite3_stmt *st = NULL;
	char now[32];
	xy_code rc = prep(s, ST_FB_INSERT, &st, err);
	if (rc)
		return rc;
	sq_now_iso(now);
	sq_bind_int64(s, st, 1, f->check_id);
	sq_bind_str(s, st, 2, f->memorandum);
	sq_bind_int(s, st, 3, f->number);
	sq_bind_int(s, st, 4, f->applied ? 1 : 0);
	sq_bind_opt(s, st, 5, f->result);
	sq_bind_opt(s, st, 6, f->reason);
	sq_bind_str(s, st, 7, now);
	if ((rc = sq_run(s, st, "recording feedback", err)))
		return rc;
	if (sqlite3_changes(s->db) != 1)
		return xy_error_set(err, XY_ERR_CONFLICT,
				    "check %lld already has feedback on measure %d of %s",
				    (long long)f->check_id, f->number, f->memorandum);
	return XY_OK;
}

xy_code xy__sq_feedback_count(xy_store *base, int64_t check_id, long *n, xy_error *err)
{
	sq_store *s = SQ(base);
	sqlite3_stmt *st = NULL;
	xy_code rc = prep(s, check_id ? ST_FB_COUNT : ST_FB_COUNT_ALL, &st, err);
	int src;
	if (rc)
		return rc;
	if (check_id)
		sq_bind_int64(s, st, 1, check_id);
	src = sq_step(s, st);
	if (src == SQLITE_ROW)
		*n = (long)sqlite3_column_int64(st, 0);
	else
		rc = sq_fail(s, src, "counting feedback", err);
	sqlite3_reset(st);
	return rc;
}

xy_code xy__sq_watch_add(xy_store *base, int64_t unit_id, int64_t subject_id, xy_error *err)
{
	sq_store *s = SQ(base);
	sqlite3_stmt *st = NULL;
	char now[32];
	xy_code rc = prep(s, ST_WATCH_ADD, &st, err);
	if (rc)
		return rc;
	sq_now_iso(now);
	sq_bind_int64(s, st, 1, unit_id);
	sq_bind_int64(s, st, 2, subject_id);
	sq_bind_str(s, st, 3, now);
	return sq_run(s, st, "adding a subscription", err);
}

xy_code xy__sq_notify(xy_store *base, int64_t subject_id, int64_t entry_id, long *n,
			 xy_error *err)
{
	sq_store *s = SQ(base);
	sqlite3_stmt *st = NULL;
	char now[32];
	xy_code rc = prep(s, ST_NOTIFY, &st, err);
	if (rc)
		return rc;
	sq_now_iso(now);
	sq_bind_int64(s, st, 1, subject_id);
	sq_bind_int64(s, st, 2, entry_id);
	sq_bind_str(s, st, 3, now);
	if ((rc = sq_run(s, st, "storing notices", err)))
		return rc;
	*n = (long)sqlite3_changes(s->db);
	return XY_OK;
}

xy_code xy__sq_notices(xy_store *base, int64_t unit_id, xy_notice_cb cb, void *ctx,
			  xy_error *err)
{
	sq_store *s = SQ(base);
	sqlite3_stmt *st = NULL;
	xy_code rc = prep(s, ST_NOTICES, &st, err);
	int src;
	if (rc)
		return rc;
	sq_bind_int64(s, st, 1, unit_id);
	while ((src = sq_step(s, st)) == SQLITE_ROW) {
		xy_notice v;
		v.id = sqlite3_column_int64(st, 0);
		v.at = sq_col_str(st, 1);
		v.subject_code = sq_col_str(st, 2);
		v.subject_name = sq_col_str(st, 3);
		v.entry_id = sqlite3_column_int64(st, 4);
		v.list_type = sq_col_str(st, 5);
		v.doc = sq_col_str(st, 6);
		v.from = sq_col_str(st, 7);
		v.read_at = sq_col_str(st, 8);
		if (cb(ctx, &v))
			break;
	}
	rc = xy__sq_done(s, st, src, rc, "reading notices", err);
	return rc;
}

xy_code xy__sq_listed_subjects(xy_store *base, xy_id_cb cb, void *ctx, xy_error *err)
{
	sq_store *s = SQ(base);
	sqlite3_stmt *st = NULL;
	xy_code rc = prep(s, ST_SUBJ_LISTED, &st, err);
	int src;
	if (rc)
		return rc;
	while ((src = sq_step(s, st)) == SQLITE_ROW)
		if (cb(ctx, sqlite3_column_int64(st, 0)))
			break;
	rc = xy__sq_done(s, st, src, rc, "reading listed subjects", err);
	return rc;
}

xy_code xy__sq_list_records(xy_store *base, int64_t unit_id, int64_t category_id,
			       xy_list_record_cb cb, void *ctx, xy_error *err)
{
	sq_store *s = SQ(base);
	sqlite3_stmt *st = NULL;
	xy_code rc = prep(s, ST_LREC_LIST, &st, err);
	int src;
	if (rc)
		return rc;
	sq_bind_int64(s, st, 1, unit_id);
	sq_bind_int64(s, st, 2, category_id);
	while ((src = sq_step(s, st)) == SQLITE_ROW) {
		xy_list_record r = { unit_id, category_id, sq_col_str(st, 0),
				     sqlite3_column_int64(st, 1), sqlite3_column_int64(st, 2),
				     sqlite3_column_int64(st, 3), sq_col_str(st, 4) };
		if (cb(ctx, &r))
			break;
	}
	rc = xy__sq_done(s, st, src, rc, "reading list records", err);
	return rc;
}

xy_code xy__sq_list_record_link(xy_store *base, const xy_list_record *r, xy_error *err)
{
	sq_store *s = SQ(base);
	sqlite3_stmt *st = NULL;
	xy_code rc = prep(s, ST_LREC_LINK, &st, err);
	if (rc)
		return rc;
	sq_bind_int64(s, st, 1, r->unit_id);
	sq_bind_int64(s, st, 2, r->category_id);
	sq_bind_str(s, st, 3, r->key);
	sq_bind_int64(s, st, 4, r->entry_id);
	sq_bind_int64(s, st, 5, r->data_batch);
	return sq_run(s, st, "linking a record to its list entry", err);
}

xy_code xy__sq_list_record_entry(xy_store *base, int64_t unit_id, int64_t category_id,
				    const char *key, int64_t *entry_id, xy_error *err)
{
	int64_t v[2] = { 0, 0 };
	sq_store *s = SQ(base);
	sqlite3_stmt *st = NULL;
	xy_code rc = prep(s, ST_LREC_ENTRY, &st, err);
	if (!rc)
		rc = xy__sq_record_key_row(s, st, unit_id, category_id, key, v,
					   "reading a record's list entry", err);
	*entry_id = v[0];
	return rc == XY_ERR_NOTFOUND ? XY_OK : rc;
}

xy_code xy__sq_entry_find(xy_store *base, const char *list_type, int64_t subject_id,
			     const char *doc, xy_entry_row *out, xy_error *err)
{
	sq_store *s = SQ(base);
	sqlite3_stmt *st = NULL;
	xy_code rc = prep(s, ST_ENTRY_FIND, &st, err);
	int src;
	if (rc)
		return rc;
	sq_bind_str(s, st, 1, list_type);
	sq_bind_int64(s, st, 2, subject_id);
	sq_bind_str(s, st, 3, doc);
	src = sq_step(s, st);
	if (src == SQLITE_ROW) {
		entry_from_row(st, out);
		OWN(xy_entry_row, out, rc);
	} else if (src == SQLITE_DONE)
		rc = XY_ERR_NOTFOUND;
	else
		rc = sq_fail(s, src, "finding a list entry", err);
	sqlite3_reset(st);
	return rc;
}

struct update_arg {
	const xy_entry_row *e;
	const char *detail;
};

static xy_code entry_update_tx(sq_store *s, void *arg, xy_error *err)
{
	struct update_arg *a = arg;
	sqlite3_stmt *st = NULL;
	xy_code rc = prep(s, ST_ENTRY_UPDATE, &st, err);
	if (rc)
		return rc;
	sq_bind_int64(s, st, 1, a->e->id);
	sq_bind_int64(s, st, 2, a->e->unit_id);
	sq_bind_opt(s, st, 3, a->e->reason);
	sq_bind_str(s, st, 4, a->e->from);
	sq_bind_opt(s, st, 5, a->e->to);
	if ((rc = sq_run(s, st, "correcting a list entry", err)))
		return rc;
	if (sqlite3_changes(s->db) != 1)
		return xy_error_set(err, XY_ERR_NOTFOUND, "no list entry %lld",
				    (long long)a->e->id);
	return history_add(s, a->e->id, "更正", a->detail, err);
}

xy_code xy__sq_entry_update(xy_store *base, const xy_entry_row *e, const char *detail,
			       xy_error *err)
{
	struct update_arg a = { e, detail };
	return xy__sq_in_tx(SQ(base), entry_update_tx, &a, err);
}
