/* Unit tests of the credit layer on the store (lib/credit/credit.c). */
#include <criterion/criterion.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fixture.h"
#include "xinyong/lists.h"

#define LT "拖欠农民工工资失信联合惩戒对象名单"
#define CO "91210802MA0XYQA01T"
#define REP "21080219850612103X"

TestSuite(credit, .init = fx_open, .fini = fx_close);

static int64_t add_employer(void)
{
	xy_credit_person p;
	xy_list_add a = { LT, CO, "营口某建筑工程有限公司", "人社局", "营人社欠薪〔2026〕1号",
			  "2026-06-01", NULL, "拖欠工资", &p, 1 };
	xy_entry_row e;
	long n = -1;
	cr_assert_eq(xy_credit_person_parse("法定代表人:" REP ":张某", &p, &err), XY_OK, "%s", err.msg);
	fx_keep(p.name);
	cr_assert_eq(xy_credit_list_add(&cr, &a, &e, &n, NULL, &err), XY_OK, "%s", err.msg);
	FX_KEEP(e);
	cr_assert_str_eq(e.to, "2027-06-01");
	cr_assert_eq(n, 0);
	return e.id;
}

static json_t *check(const char *subj, const char *unit, const char *matter, const char *date)
{
	xy_buf b = XY_BUF_INIT;
	int64_t id;
	json_t *j;
	json_error_t jerr;
	cr_assert_eq(xy_credit_check(&cr, subj, unit, matter, date, &id, &b, &err), XY_OK, "%s",
		     err.msg);
	cr_assert_gt(id, 0);
	j = json_loads(b.data, 0, &jerr);
	xy_buf_release(&b);
	cr_assert_not_null(j);
	return j;
}

static int first_measure(json_t *j)
{
	json_t *m = json_array_get(json_object_get(j, "measures"), 0);
	return m ? (int)json_integer_value(json_object_get(m, "number")) : 0;
}

/* Opening the credit layer copies every list type of the catalogue into the
 * store: an entry of each can be stored (the store refuses an entry of a type
 * it does not hold), and opening again keeps them usable. */
static void insert_one_of_each(int round)
{
	XY_SUBJECT_AUTO(subj);
	char code[32];
	const xy_unit *u = xy_registry_unit(&reg, "人社局");
	cr_assert_not_null(u);
	cr_assert_gt(cr.cat.nlist_types, 5, "the shipped catalogue has its list types");
	snprintf(code, sizeof code, "%s", CO);
	cr_assert_eq(xy_subject_set(&subj, code, "uscc", "营口某建筑工程有限公司"), XY_OK);
	cr_assert_eq(xy_store_subject_upsert(st, &subj, &err), XY_OK, "%s", err.msg);
	for (size_t i = 0; i < cr.cat.nlist_types; i++) {
		xy_entry_row e;
		char doc[64];
		memset(&e, 0, sizeof e);
		e.subject_id = subj.id;
		e.unit_id = u->id;
		e.list_type = cr.cat.list_types[i].name;
		snprintf(doc, sizeof doc, "测试〔%d〕%zu号", round, i);
		e.doc = doc;
		snprintf(e.from, sizeof e.from, "2026-01-01");
		cr_expect_eq(xy_store_entry_insert(st, &e, &err), XY_OK, "%s: %s",
			     cr.cat.list_types[i].name, err.msg);
	}
}

Test(credit, list_types_seeded)
{
	xy_entry_row e;
	memset(&e, 0, sizeof e);
	insert_one_of_each(1);
	/* a type the catalogue does not have is not in the store */
	e.subject_id = 1;
	e.unit_id = 1;
	e.list_type = "没有这个名单";
	e.doc = "测试〔0〕1号";
	snprintf(e.from, sizeof e.from, "2026-01-01");
	cr_expect_eq(xy_store_entry_insert(st, &e, &err), XY_ERR_NOTFOUND);
	/* opening again keeps them (and does not fail on the ones stored) */
	xy_credit_release(&cr);
	cr_assert_eq(xy_credit_open(&cr, st, &reg, NULL, &err), XY_OK, "%s", err.msg);
	insert_one_of_each(2);
}

Test(credit, person_parse)
{
	xy_credit_person p;
	cr_assert_eq(xy_credit_person_parse("法定代表人:" REP ":张某", &p, &err), XY_OK);
	fx_keep(p.name);
	cr_assert_str_eq(p.role, "法定代表人");
	cr_assert_str_eq(p.name, "张某");
	cr_assert_eq(xy_credit_person_parse("单位:" REP ":张某", &p, &err), XY_ERR_INVALID);
	fx_keep(p.name);
	cr_assert_eq(xy_credit_person_parse("法定代表人:210802198506121039:张某", &p, &err),
		     XY_ERR_INVALID);
	fx_keep(p.name);
	cr_assert_eq(xy_credit_person_parse("法定代表人:" REP, &p, &err), XY_ERR_INVALID);
	fx_keep(p.name);
}

Test(credit, scenario)
{
	int64_t e = add_employer(), cid;
	json_t *j;
	int applied[] = { 7 };
	xy_feedback_in f = { 0 };
	xy_feedback_out out;
	xy_buf b = XY_BUF_INIT;

	j = check(CO, "财政局", "政府采购", NULL);
	cr_assert_eq(first_measure(j), 7);
	cr_assert_eq(json_array_size(json_object_get(j, "measures")), 1);
	cid = json_integer_value(json_object_get(j, "check_id"));
	json_decref(j);
	j = check(CO, "自然资源局", "tdgy", NULL);
	cr_assert_eq(first_measure(j), 8);
	json_decref(j);
	j = check(REP, "人社局", "公务员招录", NULL);
	cr_assert_eq(first_measure(j), 28);
	cr_assert_str_eq(json_string_value(json_object_get(
				 json_array_get(json_object_get(j, "entries"), 0), "via")),
			 "person");
	json_decref(j);

	f.check_id = cid;
	f.unit = "自然资源局";
	f.applied = applied;
	f.napplied = 1;
	cr_assert_eq(xy_credit_feedback(&cr, &f, &out, &err), XY_ERR_INVALID);
	f.unit = "财政局";
	cr_assert_eq(xy_credit_feedback(&cr, &f, &out, &err), XY_OK, "%s", err.msg);
	cr_assert_eq(out.punish, 1);
	cr_assert_eq(xy_credit_feedback(&cr, &f, &out, &err), XY_ERR_CONFLICT);
	f.check_id = 9999;
	cr_assert_eq(xy_credit_feedback(&cr, &f, &out, &err), XY_ERR_NOTFOUND);

	cr_assert_eq(xy_credit_list_exit(&cr, "test", e, "修复", "2026-12-01", &err), XY_OK, "%s", err.msg);
	cr_assert_eq(xy_credit_list_exit(&cr, "test", e, "注销", "2026-12-02", &err), XY_ERR_CONFLICT);
	j = check(CO, "财政局", "政府采购", "2026-12-01");
	cr_assert_str_eq(json_string_value(json_object_get(j, "answer")), "无");
	json_decref(j);
	j = check(CO, "财政局", "政府采购", "2026-11-30");
	cr_assert_eq(first_measure(j), 7);
	json_decref(j);
	xy_buf_release(&b);
}

static int keep_check_id(void *ctx, const xy_check_file_row *r)
{
	if (r->check_id)
		*(int64_t *)ctx = r->check_id;
	return 0;
}

/* A batch check logs the row with measures as a check whose stored answer
 * names the file (read back through the store: the answer is kept encrypted
 * at rest, docs/security.md). */
Test(credit, check_file_logs_the_file)
{
	const char *path = fx_write("bidders.csv", "统一社会信用代码\n" CO "\n");
	xy_check_file_summary sum;
	xy_check_row row;
	xy_buf ans = XY_BUF_INIT;
	int64_t id = 0;
	json_t *j;
	json_error_t jerr;
	add_employer();
	cr_assert_eq(xy_credit_check_file(&cr, path, "财政局", "政府采购", "2026-11-26",
					  keep_check_id, &id, &sum, &err),
		     XY_OK, "%s", err.msg);
	cr_assert_eq(sum.with_measures, 1);
	cr_assert_gt(id, 0);
	cr_assert_eq(xy_store_check_get(st, id, &row, &ans, &err), XY_OK, "%s", err.msg);
	cr_assert_str_eq(row.subject_code, CO);
	j = json_loads(ans.data, 0, &jerr);
	cr_assert_not_null(j, "%s", ans.data);
	cr_assert_str_eq(json_string_value(json_object_get(j, "file")), path);
	json_decref(j);
	xy_check_row_release(&row);
	xy_buf_release(&ans);
}

/* A valid code never reported answers 无 with found false, and is logged. */
Test(credit, unknown_valid_code_answers_none)
{
	xy_buf b = XY_BUF_INIT;
	int64_t id = 0;
	add_employer();
	cr_assert_eq(xy_credit_check(&cr, "91210802MA0XYQB02K", "财政局", NULL, NULL, &id, &b, &err),
		     XY_OK, "%s", err.msg);
	cr_assert_gt(id, 0);
	cr_assert_not_null(strstr(b.data, "\"answer\":\"无\""), "%s", b.data);
	cr_assert_not_null(strstr(b.data, "\"found\":false"), "%s", b.data);
	xy_buf_release(&b);
}

Test(credit, bad_check_logs_nothing)
{
	xy_buf b = XY_BUF_INIT;
	int64_t id = 0;
	add_employer();
	cr_assert_eq(xy_credit_check(&cr, "不存在的公司", "财政局", NULL, NULL, &id, &b, &err),
		     XY_ERR_NOTFOUND);
	cr_assert_eq(xy_credit_check(&cr, "2108**********1234", "财政局", NULL, NULL, &id, &b, &err),
		     XY_ERR_INVALID);
	cr_assert_eq(xy_credit_check(&cr, CO, "无此局", NULL, NULL, &id, &b, &err), XY_ERR_NOTFOUND);
	cr_assert_eq(xy_credit_check(&cr, CO, "财政局", "买菜", NULL, &id, &b, &err), XY_ERR_NOTFOUND);
	cr_assert_eq(id, 0);
	cr_assert_eq(b.len, 0);
	xy_buf_release(&b);
}

/* The check in two steps on two handles, as the server runs it: prepared on
 * a read-only layer over a second connection, recorded through the writer.
 * The answer is the one-step check's (check_id first, then the same
 * members); what is stored is the answer without check_id; a prepared check
 * that is freed instead of recorded logs nothing; a code never reported
 * becomes a subject only when recorded, once, even when prepared twice. */
Test(credit, prepare_on_reader_record_on_writer)
{
	xy_store *rs = NULL;
	xy_registry rreg;
	xy_credit rc;
	xy_check_prep *p = NULL, *q = NULL, *u1 = NULL, *u2 = NULL;
	xy_buf a = XY_BUF_INIT, one = XY_BUF_INIT, stored = XY_BUF_INIT;
	xy_check_row row;
	int64_t id = 0, id1 = 0, idu1 = 0, idu2 = 0;
	char db[300];
	json_t *ja, *j1;

	add_employer();
	snprintf(db, sizeof db, "%s/x.db", fx_dir);
	OK(xy_store_open(&rs, db, NULL, &err));
	xy_registry_init(&rreg);
	OK(xy_store_load_registry(rs, &rreg, &err));
	OK(xy_credit_open_readonly(&rc, rs, &rreg, NULL, &err));

	OK(xy_credit_check_prepare(&rc, CO, "财政局", NULL, "2026-11-26", &p, &err));
	OK(xy_credit_check_record(&cr, p, &id, &a, &err));
	cr_assert_gt(id, 0);
	cr_assert(!strncmp(a.data, "{\"check_id\":", 12), "%s", a.data);
	OK(xy_credit_check(&cr, CO, "财政局", NULL, "2026-11-26", &id1, &one, &err));
	cr_assert_eq(id1, id + 1);
	ja = json_loads(a.data, 0, NULL);
	j1 = json_loads(one.data, 0, NULL);
	cr_assert(ja && j1, "%s", a.data);
	json_object_del(ja, "check_id");
	json_object_del(j1, "check_id");
	cr_assert(json_equal(ja, j1), "two steps %s\none step %s", a.data, one.data);
	cr_assert_str_eq(json_string_value(json_object_get(ja, "answer")), "有");
	memset(&row, 0, sizeof row);
	OK(xy_store_check_get(st, id, &row, &stored, &err));
	j1 = (json_decref(j1), json_loads(stored.data, 0, NULL));
	cr_assert(json_equal(ja, j1), "stored %s", stored.data);
	xy_check_row_release(&row);
	json_decref(ja);
	json_decref(j1);

	/* prepared, not recorded: nothing logged */
	OK(xy_credit_check_prepare(&rc, CO, "财政局", NULL, NULL, &q, &err));
	xy_check_prep_free(q);
	xy_buf_reset(&one);
	OK(xy_credit_check(&cr, CO, "财政局", NULL, NULL, &id1, &one, &err));
	cr_assert_eq(id1, id + 2, "a prepared check that was not recorded took no id");

	/* a code never reported, prepared twice before either is recorded */
	OK(xy_credit_check_prepare(&rc, "91210802MA0XYQB02K", "财政局", NULL, NULL, &u1, &err));
	OK(xy_credit_check_prepare(&rc, "91210802MA0XYQB02K", "财政局", NULL, NULL, &u2, &err));
	xy_buf_reset(&a);
	OK(xy_credit_check_record(&cr, u1, &idu1, &a, &err));
	cr_assert_not_null(strstr(a.data, "\"found\":false"), "%s", a.data);
	OK(xy_credit_check_record(&cr, u2, &idu2, NULL, &err));
	cr_assert_gt(idu2, idu1);
	{
		xy_check_row r1, r2;
		xy_buf t = XY_BUF_INIT;
		memset(&r1, 0, sizeof r1);
		memset(&r2, 0, sizeof r2);
		OK(xy_store_check_get(st, idu1, &r1, &t, &err));
		OK(xy_store_check_get(st, idu2, &r2, &t, &err));
		cr_assert_gt(r1.subject_id, 0);
		cr_assert_eq(r1.subject_id, r2.subject_id, "one subject made, not two");
		xy_check_row_release(&r1);
		xy_check_row_release(&r2);
		xy_buf_release(&t);
	}
	xy_check_prep_free(p);
	xy_check_prep_free(u1);
	xy_check_prep_free(u2);
	xy_credit_release(&rc);
	xy_registry_release(&rreg);
	xy_store_close(rs);
	xy_buf_release(&a);
	xy_buf_release(&one);
	xy_buf_release(&stored);
}
