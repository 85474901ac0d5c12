/* Unit tests of the views (lib/credit/views.c, profile.c): each disclosure
 * rule of the public view, and its absence in the office view.  All codes and
 * names are generated. */
#include <criterion/criterion.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xinyong/codes.h"
#include "xinyong/lists.h"
#include "xinyong/repair.h"
#include "xinyong/views.h"
#include "fixture.h"

#define CO "91210802MA0XYQA01T" /* a made-up enterprise */
#define CO2 "91210802MA0XYQB02K"
#define AG "11210800MAR7YF578P"
#define H "CF_XDR_MC,CF_XDR_LB,CF_XDR_SHXYM,CF_XDR_ZJHM,CF_FRDB,CF_FR_ZJHM,CF_WSH,CF_WFXW," \
	  "CF_SY,CF_YJ,CF_CFLB,CF_NR,CF_JDRQ,CF_YXQ,CF_CFJG,CF_CFJGDM,CF_SJLY,CF_SJLYDM," \
	  "CF_SXYZCD,内部备注X\n"
#define TAIL ",2027-12-31,营口市市场监督管理局," AG ",营口市市场监督管理局," AG ","

static xy_repairs rp;
static char ric[19], rep_ric[19]; /* a person's and a 法定代表人's 身份证号 */

static void make_ric(char out[19], const char *first17)
{
	memcpy(out, first17, 17);
	out[17] = xy_ric_check_char(first17);
	out[18] = '\0';
}

static json_t *view(const char *q, bool pub)
{
	json_t *v = NULL;
	xy_view_opts o = { pub, NULL };
	cr_assert_eq(xy_view_profile(&rp, q, &o, &v, &err), XY_OK, "%s: %s", q, err.msg);
	return v;
}

/* The dumped JSON of v contains s. */
static bool has_text(json_t *v, const char *s)
{
	char *d = json_dumps(v, JSON_COMPACT);
	bool r = d && strstr(d, s);
	free(d);
	return r;
}

static json_t *record(json_t *prof, const char *key)
{
	json_t *r;
	size_t i;
	json_array_foreach(json_object_get(prof, "records"), i, r)
		if (!strcmp(json_string_value(json_object_get(r, "key")), key))
			return r;
	return NULL;
}

static void setup(void)
{
	char csv[4096], dup[64];
	xy_import_opts o;
	xy_batch bt;
	json_t *p;
	xy_entry_row e;
	long notices;
	int64_t id;

	fx_open();
	make_ric(ric, "21080219900101123");
	make_ric(rep_ric, "21080419800202456");
	snprintf(csv, sizeof csv,
		 H "营口某建筑工程有限公司,法人及非法人组织," CO ",,示例甲,%s,营市监罚〔2026〕1号,价格,"
		   "事实,依据,罚款,罚款1万元,2026-03-10" TAIL "一般,内部的话\n"
		   "营口某建筑工程有限公司,法人及非法人组织," CO ",,示例甲,%s,营市监罚〔2026〕2号,价格,"
		   "事实,依据,罚款,罚款2万元,2026-03-11" TAIL "一般,\n"
		   "营口某建筑工程有限公司,法人及非法人组织," CO ",,示例甲,%s,营市监罚〔2026〕3号,价格,"
		   "事实,依据,警告,警告,2026-03-12" TAIL "轻微,\n"
		   "营口某建材有限公司,法人及非法人组织," CO2 ",,示例乙,,营市监罚〔2026〕5号,价格,"
		   "事实,依据,警告,警告,2026-03-12" TAIL "一般,\n"
		   "测试人员甲,自然人,,%s,,,营市监罚〔2026〕4号,价格,事实,依据,罚款,罚款1千元,"
		   "2026-03-13" TAIL "一般,\n",
		 rep_ric, rep_ric, rep_ric, ric);
	memset(&o, 0, sizeof o);
	o.unit = "市场监管局";
	o.category = "行政处罚";
	o.report_dir = fx_dir;
	OK(xy_import_file(st, &reg, fx_write("cf.csv", csv), &o, &bt, &err));
	cr_assert_eq(bt.rejected, 0, "rows rejected");
	xy_batch_release(&bt);
	OK(xy_repairs_open(&rp, &cr, NULL, &err));

	/* an objection against the second record */
	p = view(CO, false);
	id = json_integer_value(json_object_get(record(p, "营市监罚〔2026〕2号"), "id"));
	json_decref(p);
	cr_assert(id > 0);
	xy_objection_in ob = { id, CO, NULL, "金额有误", "2026-11-20" };
	OK(xy_objection_add(&rp, &ob, &id, &err));

	/* a watch-list entry and a black-list entry, the latter naming the 法定代表人 */
	xy_list_add w = { "重点关注名单", CO, NULL, "发改委", "发改关注〔2026〕1号", "2026-03-10",
			  NULL, "内部关注", NULL, 0 };
	OK(xy_credit_list_add(&cr, &w, &e, &notices, NULL, &err));
	xy_entry_row_release(&e);
	xy_credit_person per;
	snprintf(dup, sizeof dup, "法定代表人:%s:示例甲", rep_ric);
	OK(xy_credit_person_parse(dup, &per, &err));
	xy_list_add b = { "失信被执行人名单", CO, NULL, "中级法院", "（2026）辽08执1号", "2026-04-01",
			  NULL, "拒不履行", &per, 1 };
	OK(xy_credit_list_add(&cr, &b, &e, &notices, NULL, &err));
	xy_entry_row_release(&e);
	xy_credit_person_release(&per);
}

static void teardown(void)
{
	xy_repairs_release(&rp);
	fx_close();
}

TestSuite(views, .init = setup, .fini = teardown);

Test(views, office_profile_shows_everything)
{
	json_t *p = view(CO, false);
	/* three penalties, and the 国家黑名单 record the black-list entry wrote */
	cr_expect_eq(json_array_size(json_object_get(p, "records")), 4);
	cr_expect_eq(json_integer_value(json_object_get(p, "hidden")), 0);
	cr_expect_eq(json_array_size(json_object_get(p, "cases")), 1, "the open objection");
	cr_expect_eq(json_array_size(json_object_get(p, "list_entries")), 2, "watch and black");
	cr_expect(has_text(p, rep_ric), "the 法定代表人's full number");
	cr_expect(has_text(p, "\"_extra\""), "the unmapped column's value");
	cr_expect_str_eq(json_string_value(json_object_get(
				 json_object_get(record(p, "营市监罚〔2026〕2号"), "data"), "CF_NR")),
			 "罚款2万元", "the objected record's content");
	json_decref(p);
}

Test(views, public_profile_applies_each_rule)
{
	json_t *p = view(CO, true), *e;
	cr_expect_eq(json_array_size(json_object_get(p, "records")), 3,
		     "the 轻微 record is not published");
	cr_expect_eq(json_integer_value(json_object_get(p, "hidden")), 1);
	cr_expect_null(json_object_get(p, "cases"), "no cases");
	cr_expect_eq(json_array_size(json_object_get(p, "list_entries")), 1, "no watch list");
	e = json_array_get(json_object_get(p, "list_entries"), 0);
	cr_expect_str_eq(json_string_value(json_object_get(e, "list_type")), "失信被执行人名单");
	cr_expect(!has_text(p, rep_ric), "no full 身份证号 anywhere");
	cr_expect(has_text(p, "210804********"), "the 法定代表人's number masked");
	cr_expect(!has_text(p, "_extra") && !has_text(p, "内部的话"), "no unchecked column");
	cr_expect_eq(json_object_size(json_object_get(record(p, "营市监罚〔2026〕2号"), "data")), 0,
		     "异议处理中: content withheld");
	cr_expect_str_eq(json_string_value(json_object_get(record(p, "营市监罚〔2026〕2号"),
							   "display")),
			 "异议处理中");
	json_decref(p);
}

Test(views, public_profile_of_a_person_masks_the_code)
{
	json_t *o = view(ric, false), *p = view(ric, true);
	cr_expect_str_eq(json_string_value(json_object_get(json_object_get(o, "subject"), "code")),
			 ric);
	cr_expect(!has_text(p, ric), "the full number nowhere in the public view");
	cr_expect_eq(strncmp(json_string_value(json_object_get(json_object_get(p, "subject"), "code")),
			     "210802********", 14), 0);
	json_decref(o);
	json_decref(p);
}

Test(views, unknown_and_ambiguous_queries)
{
	json_t *v = NULL;
	xy_view_opts o = { false, NULL };
	cr_expect_eq(xy_view_profile(&rp, "没有这个主体名称", &o, &v, &err), XY_ERR_NOTFOUND);
	cr_assert_not_null(v, "the (empty) candidates");
	cr_expect_eq(json_array_size(json_object_get(v, "matches")), 0);
	json_decref(v);
	cr_expect_eq(xy_view_profile(&rp, "营口某建", &o, &v, &err), XY_ERR_CONFLICT);
	cr_assert_not_null(v);
	cr_expect_eq(json_array_size(json_object_get(v, "matches")), 2);
	json_decref(v);
}

Test(views, search_pages_and_public_rules)
{
	json_t *v = NULL, *w = NULL;
	xy_view_opts off = { false, NULL }, pub = { true, NULL };
	xy_view_page pg = { NULL, 1, false };
	OK(xy_view_search(st, &reg, "营口某建", &off, &pg, &v, &err));
	cr_expect_eq(json_array_size(json_object_get(v, "items")), 1);
	cr_assert(json_is_string(json_object_get(v, "next")), "a second page");
	pg.after = json_string_value(json_object_get(v, "next"));
	OK(xy_view_search(st, &reg, "营口某建", &off, &pg, &w, &err));
	cr_expect_eq(json_array_size(json_object_get(w, "items")), 1);
	cr_expect(json_is_null(json_object_get(w, "next")), "the last page");
	cr_expect_str_neq(json_string_value(json_object_get(json_array_get(json_object_get(v, "items"), 0), "code")),
			  json_string_value(json_object_get(json_array_get(json_object_get(w, "items"), 0), "code")));
	json_decref(v);
	json_decref(w);

	pg = (xy_view_page){ NULL, 0, false };
	OK(xy_view_search(st, &reg, "人员甲", &off, &pg, &v, &err));
	cr_expect_eq(json_array_size(json_object_get(v, "items")), 1, "the office finds a person by name");
	json_decref(v);
	OK(xy_view_search(st, &reg, "人员甲", &pub, &pg, &v, &err));
	cr_expect_eq(json_array_size(json_object_get(v, "items")), 0, "the public does not");
	json_decref(v);
	pg.person_names = true;
	OK(xy_view_search(st, &reg, "人员甲", &pub, &pg, &v, &err));
	cr_expect_eq(json_array_size(json_object_get(v, "items")), 1, "unless configured");
	cr_expect(!has_text(v, ric), "and then masked");
	json_decref(v);
	OK(xy_view_search(st, &reg, ric, &pub, &pg, &v, &err));
	cr_expect_eq(json_array_size(json_object_get(v, "items")), 1, "by the full number");
	cr_expect(!has_text(v, ric), "answered masked");
	json_decref(v);

	cr_expect_eq(xy_view_search(st, &reg, "营", &off, &pg, &v, &err), XY_ERR_INVALID);
	cr_expect_null(v);
	pg.after = "x1";
	cr_expect_eq(xy_view_search(st, &reg, "营口", &off, &pg, &v, &err), XY_ERR_ARG);
}

Test(views, entries_public_view)
{
	json_t *v = NULL;
	xy_view_opts off = { false, NULL }, pub = { true, NULL };
	OK(xy_view_entries(&cr, NULL, false, &off, &v, &err));
	cr_expect_eq(json_array_size(json_object_get(v, "entries")), 2);
	cr_expect(has_text(v, rep_ric) && has_text(v, "拒不履行"), "persons and reasons");
	json_decref(v);
	OK(xy_view_entries(&cr, NULL, true, &pub, &v, &err));
	cr_expect_eq(json_array_size(json_object_get(v, "entries")), 1, "no watch list, all ignored");
	cr_expect(!has_text(v, rep_ric) && !has_text(v, "拒不履行") && !has_text(v, "history"),
		  "masked, no reason, no history");
	json_decref(v);
	cr_expect_eq(xy_view_entries(&cr, "重点关注名单", false, &pub, &v, &err), XY_ERR_NOTFOUND);
	pub.asof = "2026-03-31";
	OK(xy_view_entries(&cr, NULL, false, &pub, &v, &err));
	cr_expect_eq(json_array_size(json_object_get(v, "entries")), 0, "not yet active");
	json_decref(v);
}

Test(views, public_values_walks_every_depth)
{
	char doc[256];
	json_t *v;
	snprintf(doc, sizeof doc,
		 "{\"a\":[{\"b\":\"%s\",\"_extra\":{\"x\":\"1\"}}],\"c\":\"%s\",\"_extra\":1,"
		 "\"d\":\"91210802MA0XYQA01T\"}", ric, rep_ric);
	v = json_loads(doc, 0, NULL);
	cr_assert_not_null(v);
	OK(xy_view_public_values(v, &err));
	cr_expect(!has_text(v, ric) && !has_text(v, rep_ric) && !has_text(v, "_extra"));
	cr_expect(has_text(v, CO), "a USCC stays");
	json_decref(v);
}
