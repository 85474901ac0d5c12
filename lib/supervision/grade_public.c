/* xinyong: whether the public sees credit grades (grade.h, "Publication";
 * docs/grading.md "Public grades").  Off unless the office turns it on.
 *
 * The setting lives in the audit log: each change is one "grade.publish"
 * entry whose detail is "on" or "off", and the newest such entry is the
 * setting.  So it is stored in the database, its history (who, when) is the
 * hash-chained log itself, and it needs no table of its own: the same on
 * SQLite and PostgreSQL, no migration.  Reading it is one indexed query
 * (audit_log_action, newest first, one row).
 *
 * What the public sees of a grade is decided here once: the letter, the
 * date it is as of, the model's name and SHA-256 and a note that the model
 * is an example — never the score or the explanation, whose items name
 * records and list entries the public view may not show (a repaired record,
 * a watch list) and whose points would tell them apart. */
#include <stdio.h>
#include <string.h>

#include "xinyong/auth.h"
#include "xinyong/grade.h"
#include "lib/credit/views_internal.h"

#define ACTION "grade.publish"
#define OBJECT "setting:grade_public"

const char *const xy_grade_public_note =
	"信用等级由示例分级模型按平台数据计算，不是官方评价方法；"
	"模型全文可凭 SHA-256 核对。";

typedef struct latest {
	bool found, on;
	char at[32];
	xy_buf who;
} latest;

static int on_entry(void *ctx, const xy_audit_view *v)
{
	latest *l = ctx;
	l->found = true;
	l->on = !strcmp(v->detail, "on");
	snprintf(l->at, sizeof l->at, "%s", v->at);
	xy_buf_reset(&l->who);
	xy_buf_addstr(&l->who, v->who);
	return 1;
}

static xy_code read_setting(xy_store *s, latest *l, xy_error *err)
{
	xy_audit_filter f = { .action = ACTION, .limit = 1, .desc = true };
	l->found = l->on = false;
	l->at[0] = '\0';
	return xy_audit_list(s, &f, on_entry, l, err);
}

xy_code xy_grade_public_get(xy_store *s, bool *on, xy_error *err)
{
	latest l = { .who = XY_BUF_INIT };
	xy_code rc;
	if (!s || !on)
		return xy_error_set(err, XY_ERR_ARG, "xy_grade_public_get: missing argument");
	rc = read_setting(s, &l, err);
	*on = !rc && l.on;
	xy_buf_release(&l.who);
	return rc;
}

xy_code xy_grade_public_set(xy_store *s, bool on, const char *who, bool *changed, xy_error *err)
{
	latest l = { .who = XY_BUF_INIT };
	xy_code rc;
	bool dummy;
	if (!s || !who || !*who)
		return xy_error_set(err, XY_ERR_ARG, "xy_grade_public_set: missing argument");
	if (!changed)
		changed = &dummy;
	*changed = false;
	if ((rc = xy_store_begin(s, false, err)))
		return rc;
	if (!(rc = read_setting(s, &l, err)) && l.on != on) {
		xy_audit_entry e = { .who = who, .action = ACTION, .object = OBJECT,
				     .detail = on ? "on" : "off" };
		rc = xy_audit_append(s, &e, NULL, err);
		*changed = !rc;
	}
	if (!rc)
		rc = xy_store_commit(s, err);
	else
		xy_store_rollback(s, NULL);
	if (rc)
		*changed = false;
	xy_buf_release(&l.who);
	return rc;
}

xy_code xy_grade_view_publication(xy_store *s, json_t **out, xy_error *err)
{
	latest l = { .who = XY_BUF_INIT };
	xy_code rc = read_setting(s, &l, err);
	if (!rc && !(*out = json_pack("{s:b,s:o,s:o}", "public", l.on, "changed_at",
				     l.found ? json_string(l.at) : json_null(), "changed_by",
				     l.found ? json_string(l.who.data) : json_null())))
		rc = xy__view_nomem(err);
	xy_buf_release(&l.who);
	return rc;
}

typedef struct pick {
	const char *asof;
	json_t *out;
	bool failed;
} pick;

/* The newest run as of the date asked (runs come newest first). */
static int on_grade(void *ctx, const xy_grade_row *g)
{
	pick *p = ctx;
	if (strcmp(g->as_of, p->asof) > 0)
		return 0;
	p->out = json_pack("{s:s,s:s,s:s,s:s,s:s}", "grade", g->grade, "as_of", g->as_of,
			   "model", g->model, "sha256", g->sha256, "note", xy_grade_public_note);
	p->failed = !p->out;
	return 1;
}

xy_code xy_grade_view_public(xy_store *s, int64_t subject_id, const char *asof, json_t **out,
			     xy_error *err)
{
	pick p = { asof, NULL, false };
	bool on = false;
	xy_code rc;
	*out = NULL;
	if (!asof)
		return xy_error_set(err, XY_ERR_ARG, "xy_grade_view_public: missing date");
	if ((rc = xy_grade_public_get(s, &on, err)) || !on)
		return rc;
	if ((rc = xy_store_grades_of(s, subject_id, 0, on_grade, &p, err)))
		return rc;
	if (p.failed)
		return xy__view_nomem(err);
	*out = p.out;
	return XY_OK;
}
