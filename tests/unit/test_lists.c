/* Unit tests of list entries from imports, list counting and loaded memoranda
 * (lib/credit/lists.c, lib/credit/memoranda.c, the counting in credit.c). */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fixture.h"
#include "xinyong/lists.h"
#include "xinyong/memoranda.h"
#include "xinyong/repair.h"

#define LT "拖欠农民工工资失信联合惩戒对象名单"
#define CO "91210802MA0XYQA01T"  /* generated, valid */
#define CO2 "91210802MA0XYQB02K"
#define REP "21080219850612103X"
#define HDR "决定文书号,企业名称,统一社会信用代码,名单名称,认定单位,列入日期,截止日期,事由,法定代表人,法定代表人身份证号\n"

/* The last entry a listing saw, copied (a callback's row is valid only
 * during the callback); released when the next listing starts and at the
 * end of each test. */
static xy_entry_row last_entry;

static void fini(void)
{
	xy_entry_row_release(&last_entry);
	fx_close();
}

TestSuite(lists, .init = fx_open, .fini = fini);

typedef struct problems {
	int n;
	char last_field[64];
	char last_msg[1024];
} problems;

static void on_problem(void *ctx, const char *unit, const char *category, const char *key,
		       const char *field, const char *msg)
{
	problems *p = ctx;
	(void)unit, (void)category, (void)key;
	p->n++;
	snprintf(p->last_field, sizeof p->last_field, "%s", field);
	snprintf(p->last_msg, sizeof p->last_msg, "%s", msg);
}

typedef struct entries {
	int n;
	xy_entry_row last;
} entries;

static int on_entry(void *ctx, const xy_entry_row *e)
{
	entries *x = ctx;
	x->n++;
	xy_entry_row_release(&last_entry);
	cr_assert_eq(xy_entry_row_copy(&last_entry, e), XY_OK);
	x->last = last_entry; /* borrowed from last_entry */
	return 0;
}

static entries all_entries(const char *type)
{
	entries x;
	memset(&x, 0, sizeof x);
	cr_assert_eq(xy_store_entries(st, type, on_entry, &x, &err), XY_OK, "%s", err.msg);
	return x;
}

static int on_event(void *ctx, const xy_entry_event *ev)
{
	char *actions = ctx;
	size_t n = strlen(actions);
	snprintf(actions + n, 256 - n, "%s%s", n ? "," : "", ev->action);
	return 0;
}

/* Records the statistics count for a unit and category (all months). */
typedef struct counted {
	int64_t unit, cat;
	long long n;
} counted;

static int on_count(void *ctx, const xy_count *c)
{
	counted *k = ctx;
	if (c->unit_id == k->unit && c->category_id == k->cat)
		k->n += c->n;
	return 0;
}

static long long count(const char *unit, const char *category)
{
	counted k = { xy_registry_unit(&reg, unit)->id, xy_registry_category(&reg, category)->id,
		      0 };
	cr_assert_eq(xy_store_counts(st, NULL, NULL, on_count, &k, &err), XY_OK, "%s", err.msg);
	return k.n;
}

Test(lists, list_categories)
{
	cr_expect(xy_credit_is_list_category(&cr, "地方发布红名单"));
	cr_expect(xy_credit_is_list_category(&cr, "dfheimd"));
	cr_expect(xy_credit_is_list_category(&cr, "国家黑名单"));
	cr_expect_not(xy_credit_is_list_category(&cr, "行政处罚"));
	cr_expect(xy_credit_is_list_category(&cr, "失信主体以注销、吊销等形式退出黑名单"),
		  "its rows exit the entries they name");
	cr_expect(xy_credit_is_list_category(&cr, "hmdtc"));
}

Test(lists, import_sync_is_idempotent_and_follows_corrections)
{
	xy_list_sync_out o;
	problems p = { 0 };
	entries e;
	char actions[256] = "";

	fx_import("人社局", "地方发布黑名单",
	       HDR "营人社欠薪〔2026〕1号,营口某建筑工程有限公司," CO "," LT
		   ",人社局,2026-06-01,,拖欠农民工工资,张某," REP "\n");
	cr_assert_eq(xy_credit_list_sync(&cr, "人社局", "地方发布黑名单", on_problem, &p, &o, &err),
		     XY_OK, "%s", err.msg);
	cr_expect_eq(o.created, 1);
	cr_expect_eq(p.n, 0, "%s: %s", p.last_field, p.last_msg);
	e = all_entries(LT);
	cr_assert_eq(e.n, 1);
	cr_expect_str_eq(e.last.unit, "人社局");
	cr_expect_str_eq(e.last.from, "2026-06-01");
	cr_expect_str_eq(e.last.to, "2027-06-01"); /* the type's 1y */
	cr_expect_str_eq(e.last.reason, "拖欠农民工工资");

	/* the same rows again: nothing to derive */
	fx_import("人社局", "地方发布黑名单",
	       HDR "营人社欠薪〔2026〕1号,营口某建筑工程有限公司," CO "," LT
		   ",人社局,2026-06-01,,拖欠农民工工资,张某," REP "\n");
	cr_assert_eq(xy_credit_list_sync(&cr, NULL, NULL, on_problem, &p, &o, &err), XY_OK);
	cr_expect_eq(o.created + o.updated + o.unchanged + o.problems, 0);
	cr_expect_eq(all_entries(NULL).n, 1);

	/* a corrected row: the entry's end moves, the history says so */
	fx_import("人社局", "地方发布黑名单",
	       HDR "营人社欠薪〔2026〕1号,营口某建筑工程有限公司," CO "," LT
		   ",人社局,2026-06-01,2026-12-31,拖欠农民工工资,张某," REP "\n");
	cr_assert_eq(xy_credit_list_sync(&cr, NULL, NULL, on_problem, &p, &o, &err), XY_OK);
	cr_expect_eq(o.updated, 1);
	cr_expect_eq(o.created, 0);
	e = all_entries(LT);
	cr_assert_eq(e.n, 1);
	cr_expect_str_eq(e.last.to, "2026-12-31");
	cr_assert_eq(xy_store_entry_history(st, e.last.id, on_event, actions, &err), XY_OK);
	cr_expect_str_eq(actions, "列入,更正");

	/* the imported entry is counted once: the record of the import */
	cr_expect_eq(count("人社局", "地方发布黑名单"), 1);
}

Test(lists, import_defaults_and_problems)
{
	xy_list_sync_out o;
	problems p = { 0 };
	entries e;
	/* an unknown list name: the category's catch-all, keeping the name;
	 * 营口市X is unit X */
	fx_import("住建局", "地方发布黑名单",
	       HDR "营住建〔2026〕3号,营口另一公司," CO2 ",某某失信名单,营口市住建局,2026-05-01,"
		   "2026-12-31,违法,,\n");
	cr_assert_eq(xy_credit_list_sync(&cr, "住建局", NULL, on_problem, &p, &o, &err), XY_OK);
	cr_expect_eq(o.created, 1);
	e = all_entries("地方发布黑名单");
	cr_assert_eq(e.n, 1);
	cr_expect_str_eq(e.last.unit, "住建局");
	cr_expect_str_eq(e.last.reason, "名单名称：某某失信名单；违法");

	/* a red list named in the black category, and a designated list by another
	 * unit: no entry, each a problem naming the field */
	fx_import("发改委", "地方发布黑名单",
	       HDR "营发改〔2026〕5号,营口另一公司," CO2 ",守信激励对象名单,,2026-05-01,,x,,\n");
	cr_assert_eq(xy_credit_list_sync(&cr, "发改委", NULL, on_problem, &p, &o, &err), XY_OK);
	cr_expect_eq(o.problems, 1);
	cr_expect_str_eq(p.last_field, "MDMC");
	fx_import("财政局", "地方发布黑名单",
	       HDR "营财〔2026〕6号,营口另一公司," CO2 "," LT ",财政局,2026-05-01,,x,,\n");
	cr_assert_eq(xy_credit_list_sync(&cr, "财政局", NULL, on_problem, &p, &o, &err), XY_OK);
	cr_expect_eq(o.problems, 1);
	cr_expect_str_eq(p.last_field, "RDDW");
	cr_expect(strstr(p.last_msg, "谁认定谁负责") != NULL, "%s", p.last_msg);
	cr_expect_eq(all_entries(NULL).n, 1);

	/* problems stay unlinked: the next sync tells them again */
	cr_assert_eq(xy_credit_list_sync(&cr, NULL, NULL, on_problem, &p, &o, &err), XY_OK);
	cr_expect_eq(o.problems, 2);
	cr_expect_eq(o.created, 0);

	/* unknown unit or category: an error */
	cr_expect_eq(xy_credit_list_sync(&cr, "不存在局", NULL, NULL, NULL, &o, &err),
		     XY_ERR_NOTFOUND);
	cr_expect_eq(xy_credit_list_sync(&cr, NULL, "不存在", NULL, NULL, &o, &err),
		     XY_ERR_NOTFOUND);
}

Test(lists, national_rows)
{
	xy_list_sync_out o;
	problems p = { 0 };
	entries e;
	fx_import("发改委", "国家黑名单",
	       HDR "（2026）辽08执1号,营口另一公司," CO2 ",失信被执行人名单,,2026-03-01,,未履行,,\n");
	cr_assert_eq(xy_credit_list_sync(&cr, NULL, NULL, on_problem, &p, &o, &err), XY_OK);
	cr_expect_eq(o.created, 1, "%s", p.last_msg);
	e = all_entries("失信被执行人名单");
	cr_assert_eq(e.n, 1);
	cr_expect_str_eq(e.last.unit, "中级法院"); /* the designating unit */
	cr_expect_str_eq(e.last.to, "");             /* no default end */
}

Test(lists, list_add_and_exits_count)
{
	xy_credit_person person;
	xy_list_add a = { LT, CO, "营口某建筑工程有限公司", "人社局", "营人社欠薪〔2026〕1号",
			  "2026-06-01", NULL, "拖欠工资", &person, 1 };
	xy_list_add b = { "地方发布黑名单", CO2, "营口另一公司", "住建局", "营住建〔2026〕7号",
			  "2026-01-01", NULL, NULL, NULL, 0 };
	xy_list_add w = { "重点关注名单", CO2, NULL, "发改委", "营发改关注〔2026〕1号",
			  "2026-01-01", NULL, NULL, NULL, 0 };
	xy_entry_row e1, e2, e3;
	xy_list_sync_out o;
	long n;
	cr_assert_eq(xy_credit_person_parse("法定代表人:" REP ":张某", &person, &err), XY_OK);
	fx_keep(person.name);
	cr_assert_eq(xy_credit_list_add(&cr, &a, &e1, &n, NULL, &err), XY_OK, "%s", err.msg);
	FX_KEEP(e1);
	cr_assert_eq(xy_credit_list_add(&cr, &b, &e2, &n, NULL, &err), XY_OK, "%s", err.msg);
	FX_KEEP(e2);
	cr_assert_eq(xy_credit_list_add(&cr, &w, &e3, &n, NULL, &err), XY_OK, "%s", err.msg);
	FX_KEEP(e3);
	cr_expect_eq(count("人社局", "地方发布黑名单"), 1);
	cr_expect_eq(count("住建局", "地方发布黑名单"), 1);
	cr_expect_eq(count("发改委", "地方发布黑名单"), 0); /* a watch list counts nowhere */

	/* the records of list add are linked: a sync derives nothing from them */
	cr_assert_eq(xy_credit_list_sync(&cr, NULL, NULL, NULL, NULL, &o, &err), XY_OK);
	cr_expect_eq(o.created + o.updated + o.unchanged + o.problems, 0);
	cr_expect_eq(all_entries(NULL).n, 3);

	/* 修复 does not count; 吊销 of a black-list entry counts in the exit month */
	cr_assert_eq(xy_credit_list_exit(&cr, "test", e1.id, "修复", "2026-12-01", &err), XY_OK);
	cr_assert_eq(xy_credit_list_exit(&cr, "test", e2.id, "吊销", "2026-12-05", &err), XY_OK);
	cr_assert_eq(xy_credit_list_exit(&cr, "test", e3.id, "注销", "2026-12-05", &err), XY_OK);
	cr_expect_eq(count("人社局", "失信主体以注销、吊销等形式退出黑名单"), 0);
	cr_expect_eq(count("住建局", "失信主体以注销、吊销等形式退出黑名单"), 1);
	cr_expect_eq(count("发改委", "失信主体以注销、吊销等形式退出黑名单"), 0);
	{
		counted k = { xy_registry_unit(&reg, "住建局")->id,
			      xy_registry_category(&reg, "hmdtc")->id, 0 };
		cr_assert_eq(xy_store_counts(st, "2026-12", "2026-12", on_count, &k, &err), XY_OK);
		cr_expect_eq(k.n, 1, "counted in the month of the exit");
	}
	/* a refused exit counts nothing */
	cr_expect_eq(xy_credit_list_exit(&cr, "test", e2.id, "注销", "2026-12-06", &err), XY_ERR_CONFLICT);
	cr_expect_eq(count("住建局", "失信主体以注销、吊销等形式退出黑名单"), 1);
}

static const char memo_tsv[] =
	"# a test memorandum\n"
	"doc\t营发改信用〔2026〕9号\n"
	"title\t《测试备忘录》\n"
	"date\t2026\n"
	"signatories\t发改委|财政局\n"
	"list_types\t" LT "\n"
	"number\ttext\tkind\tunits\ttarget\tmatters\tbasis\n"
	"1\t限制参加政府采购活动\t惩戒\t财政局\t单位\t政府采购\t营发改信用〔2026〕9号\n"
	"2\t限制担任国有企业高管\t惩戒\t国资委\t法定代表人\tjrgg\t营发改信用〔2026〕9号\n";

static int count_memo(void *ctx, const xy_stored_memo *m)
{
	(void)m;
	++*(int *)ctx;
	return 0;
}

Test(lists, memorandum_load)
{
	const xy_memorandum *m;
	char bad[sizeof memo_tsv + 32];
	const char *p;
	size_t before = cr.cat.nmemoranda;
	int stored = 0;

	/* an unknown unit: error naming file, line and field; nothing changed */
	p = strstr(memo_tsv, "国资委");
	snprintf(bad, sizeof bad, "%.*s不存在局%s", (int)(p - memo_tsv), memo_tsv, p + strlen("国资委"));
	p = fx_write("bad.tsv", bad);
	cr_assert_eq(xy_credit_memorandum_load(&cr, "test", p, &m, &err), XY_ERR_CONFIG);
	cr_expect_eq(err.row, 9);
	cr_expect_str_eq(err.field, "units");
	cr_expect(strstr(err.msg, "不存在局") != NULL, "%s", err.msg);
	cr_expect_eq(cr.cat.nmemoranda, before);
	cr_assert_eq(xy_store_memoranda(st, count_memo, &stored, &err), XY_OK);
	cr_expect_eq(stored, 0);

	cr_assert_eq(xy_credit_memorandum_load(&cr, "test", fx_write("m.tsv", memo_tsv), &m, &err),
		     XY_OK, "%s", err.msg);
	cr_expect_str_eq(m->doc, "营发改信用〔2026〕9号");
	cr_expect_eq(m->nmeasures, 2);
	cr_expect_eq(cr.cat.nmemoranda, before + 1);
	/* twice: refused, still one */
	cr_expect_eq(xy_credit_memorandum_load(&cr, "test", fx_write("m2.tsv", memo_tsv), &m, &err),
		     XY_ERR_CONFIG);
	cr_expect_eq(cr.cat.nmemoranda, before + 1);

	/* a new credit handle loads it from the store */
	xy_credit_release(&cr);
	cr_assert_eq(xy_credit_open(&cr, st, &reg, NULL, &err), XY_OK, "%s", err.msg);
	cr_assert_eq(cr.cat.nmemoranda, before + 1);
	cr_expect_not_null(xy_sanctions_memorandum(&cr.cat, "营发改信用〔2026〕9号"));
}

Test(lists, memorandum_file_text)
{
	xy_buf b = XY_BUF_INIT;
	cr_assert_eq(xy_memorandum_file_text(fx_write("m.tsv", "\xEF\xBB\xBF" "doc\tx\n"), &b,
					     &err),
		     XY_OK, "%s", err.msg);
	cr_expect_str_eq(b.data, "doc\tx\n"); /* the BOM dropped */
	xy_buf_release(&b);
	cr_expect_eq(xy_memorandum_file_text("/nonexistent/m.tsv", &b, &err), XY_ERR_IO);
	xy_buf_release(&b);
}

/* ---- repair of an imported list row (lib/credit/repair.c) ---- */

typedef struct found {
	const char *category;
	int64_t id;
} found;

static int on_record(void *ctx, const xy_record_view *r)
{
	found *f = ctx;
	if (!strcmp(r->category, f->category))
		f->id = r->id;
	return 0;
}

static int64_t entry_by_doc(const char *type, const char *doc)
{
	entries x;
	memset(&x, 0, sizeof x);
	OK(xy_store_entries(st, type, on_entry, &x, &err));
	cr_assert_eq(x.n, 1);
	cr_assert_str_eq(x.last.doc, doc);
	return x.last.id;
}

/* An approved repair of the record exits the entry derived from it, found
 * through the link, and not another entry of the subject with the same 文书号. */
Test(lists, repair_of_an_imported_row_exits_its_entry)
{
	static const char *const ev[] = { "工资支付凭证" };
	xy_list_add la = { "重点关注名单", CO, NULL, "发改委", "营人社欠薪〔2026〕1号", "2026-06-01",
			   NULL, NULL, NULL, 0 };
	xy_list_sync_out o;
	xy_repairs rp;
	xy_repair_out out;
	xy_entry_row e;
	found f = { "地方发布黑名单", 0 };
	int64_t black, watch, id;
	long n;

	fx_import("人社局", "地方发布黑名单",
		  HDR "营人社欠薪〔2026〕1号,营口某建筑工程有限公司," CO "," LT
		      ",人社局,2026-06-01,,拖欠农民工工资,张某," REP "\n");
	OK(xy_credit_list_sync(&cr, NULL, NULL, NULL, NULL, &o, &err));
	black = entry_by_doc(LT, "营人社欠薪〔2026〕1号");
	OK(xy_credit_list_add(&cr, &la, &e, &n, NULL, &err));
	FX_KEEP(e);
	watch = e.id;
	OK(xy_store_entry_get(st, black, &e, &err));
	FX_KEEP(e);
	OK(xy_store_subject_records(st, e.subject_id, on_record, &f, &err));
	cr_assert_gt(f.id, 0);

	OK(xy_repairs_open(&rp, &cr, NULL, &err));
	xy_repair_in in = { CO, f.id, "已支付拖欠工资", ev, 1, "按时足额支付工资", NULL, 0,
			    "2026-12-01" };
	OK(xy_repair_apply(&rp, &in, &id, &err));
	OK(xy_repair_accept(&rp, id, NULL, "2026-12-01", NULL, &err));
	OK(xy_repair_review(&rp, id, "人社局", "2026-12-02", NULL, &err));
	OK(xy_repair_decide(&rp, id, "人社局", true, "2026-12-03", NULL, &out, &err));
	xy_repairs_release(&rp);
	cr_expect_eq(out.exited, 1);
	OK(xy_store_entry_get(st, black, &e, &err));
	FX_KEEP(e);
	cr_expect_str_eq(e.exit_how, "修复");
	cr_expect_str_eq(e.exit_date, "2026-12-03");
	OK(xy_store_entry_get(st, watch, &e, &err));
	FX_KEEP(e);
	cr_expect_str_eq(e.exit_how, "", "the other list's entry with the same 文书号 stays");
}

static int memo_version(void *ctx, const xy_stored_memo *m)
{
	*(int *)ctx = m->version;
	return 0;
}

Test(lists, memorandum_replace)
{
	const xy_memorandum *m;
	char v2[sizeof memo_tsv + 128], bad[sizeof v2 + 32];
	size_t before = cr.cat.nmemoranda;
	int version = 0;
	const char *p;

	cr_assert_eq(xy_credit_memorandum_load(&cr, "test", fx_write("m.tsv", memo_tsv), &m, &err), XY_OK,
		     "%s", err.msg);
	snprintf(v2, sizeof v2, "%s3\t不得参与土地出让竞买\t惩戒\t自然资源局\t单位\t土地供应\t营发改信用〔2026〕9号\n",
		 memo_tsv);
	p = strstr(v2, "自然资源局");
	snprintf(bad, sizeof bad, "%.*s不存在局%s", (int)(p - v2), v2, p + strlen("自然资源局"));

	/* a bad version: refused, the loaded one (2 measures) stays in memory and store */
	cr_expect_eq(xy_credit_memorandum_replace(&cr, "test", fx_write("bad.tsv", bad), &m, &err),
		     XY_ERR_CONFIG);
	cr_expect_eq(err.row, 10);
	cr_expect_eq(xy_sanctions_memorandum(&cr.cat, "营发改信用〔2026〕9号")->nmeasures, 2);
	/* the shipped memorandum cannot be replaced from a file: put back unchanged */
	m = &cr.cat.memoranda[0];
	{
		char *doc = strdup(m->doc);
		size_t n = m->nmeasures;
		xy_buf text = XY_BUF_INIT;
		cr_assert_eq(xy_memorandum_file_text(m->file, &text, &err), XY_OK, "%s", err.msg);
		cr_expect_eq(xy_credit_memorandum_replace(&cr, "test", fx_write("s.tsv", text.data), &m, &err),
			     XY_ERR_CONFLICT);
		cr_expect(strstr(err.msg, "ships with the configuration") != NULL, "%s", err.msg);
		cr_expect_eq(xy_sanctions_memorandum(&cr.cat, doc)->nmeasures, n);
		cr_expect(strstr(xy_sanctions_memorandum(&cr.cat, doc)->file, "s.tsv") == NULL);
		xy_buf_release(&text);
		free(doc);
	}

	cr_assert_eq(xy_credit_memorandum_replace(&cr, "test", fx_write("v2.tsv", v2), &m, &err), XY_OK,
		     "%s", err.msg);
	cr_expect_eq(m->nmeasures, 3);
	cr_expect_eq(cr.cat.nmemoranda, before + 1);
	cr_assert_eq(xy_store_memoranda(st, memo_version, &version, &err), XY_OK);
	cr_expect_eq(version, 2);

	/* a new handle loads the replacement */
	xy_credit_release(&cr);
	cr_assert_eq(xy_credit_open(&cr, st, &reg, NULL, &err), XY_OK, "%s", err.msg);
	cr_expect_eq(xy_sanctions_memorandum(&cr.cat, "营发改信用〔2026〕9号")->nmeasures, 3);
}
