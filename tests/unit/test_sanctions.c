/* Lists, memoranda and the 联合奖惩 check (lib/credit/sanctions.c). */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "xinyong/sanctions.h"

#define SHIPPED XY_TEST_DATA "/../../data"
#define MEMO_266 SHIPPED "/memoranda/yingfagai-xinyong-2019-266.tsv"
/* The reference table, when the shared tree sits beside the repository. */
#define REFERENCE XY_TEST_DATA "/../../../shared/reference/memorandum-yingfagai-xinyong-2019-266-measures.tsv"
#define WAGE_LIST "拖欠农民工工资失信联合惩戒对象名单"
#define DOC_266 "营发改信用〔2019〕266号"

static xy_registry reg;
static xy_sanctions sx;
static xy_error err;
static char tmpdir[64];

static void setup(void)
{
	xy_code rc;
	xy_registry_init(&reg);
	xy_sanctions_init(&sx);
	xy_error_clear(&err);
	rc = xy_registry_load_dir(&reg, SHIPPED, &err);
	cr_assert_eq(rc, XY_OK, "registry: %s:%ld %s", err.file, err.row, err.msg);
	rc = xy_sanctions_load_dir(&sx, &reg, SHIPPED, &err);
	cr_assert_eq(rc, XY_OK, "sanctions: %s:%ld: %s: %s", err.file, err.row, err.field, err.msg);
	tmpdir[0] = '\0';
}

static void teardown(void)
{
	xy_sanctions_release(&sx);
	xy_registry_release(&reg);
	if (tmpdir[0]) {
		char cmd[128];
		snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
		cr_expect_eq(system(cmd), 0);
	}
}

TestSuite(sanctions, .init = setup, .fini = teardown);

/* ---- helpers ---- */

static const char *write_file(const char *name, const char *text)
{
	static char path[256];
	FILE *f;
	if (!tmpdir[0]) {
		memcpy(tmpdir, "/tmp/xy-sanctions-XXXXXX", 25);
		cr_assert_not_null(mkdtemp(tmpdir));
	}
	snprintf(path, sizeof path, "%s/%s", tmpdir, name);
	f = fopen(path, "w");
	cr_assert_not_null(f);
	fputs(text, f);
	fclose(f);
	return path;
}

#define MEMO_HEAD                                                              \
	"doc\t测试〔2020〕1号\n"                                                \
	"title\t测试备忘录\n"                                                   \
	"date\t2020-01\n"                                                       \
	"signatories\t发改委|人社局\n"                                          \
	"list_types\t" WAGE_LIST "\n"                                           \
	"number\ttext\tkind\tunits\ttarget\tmatters\tbasis\n"

/* Load a memorandum that must fail; checks the catalogue did not change. */
static void expect_broken(const char *text, xy_code code, long row, const char *field,
			  const char *needle)
{
	const char *p = write_file("memo.tsv", text);
	size_t before = sx.nmemoranda;
	xy_code rc = xy_sanctions_load_memorandum(&sx, &reg, p, &err);
	cr_assert_eq(rc, code, "expected %s, got %s: %s", xy_code_name(code), xy_code_name(rc),
		     err.msg);
	cr_expect_str_eq(err.file, p);
	cr_expect_eq(err.row, row, "row %ld, expected %ld (%s)", err.row, row, err.msg);
	cr_expect_str_eq(err.field, field);
	cr_expect(strstr(err.msg, needle) != NULL, "'%s' not in '%s'", needle, err.msg);
	cr_expect_eq(sx.nmemoranda, before);
}

static xy_list_entry own(const char *doc, const char *from, const char *to)
{
	xy_list_entry e = { .list_type = WAGE_LIST, .doc = doc, .from = from, .to = to };
	return e;
}

static xy_list_entry via_person(xy_target role, const char *from, const char *to)
{
	xy_list_entry e = own("人社黑〔2020〕1号", from, to);
	e.via = XY_VIA_PERSON;
	e.role = role;
	e.via_name = "营口某建筑工程有限公司";
	return e;
}

static xy_sanction_hits check(const char *unit, const char *matter, const char *date,
			      const xy_list_entry *e, size_t n)
{
	xy_sanction_hits h;
	xy_code rc = xy_sanctions_resolve(&sx, unit, matter, date, e, n, &h, &err);
	cr_assert_eq(rc, XY_OK, "%s: %s", xy_code_name(rc), err.msg);
	return h;
}

/* The hit numbers as "7,8" for compact assertions. */
static const char *numbers(const xy_sanction_hits *h)
{
	static char out[512];
	size_t len = 0;
	out[0] = '\0';
	for (size_t i = 0; i < h->n && len + 8 < sizeof out; i++)
		len += (size_t)snprintf(out + len, sizeof out - len, "%s%d", i ? "," : "",
					h->v[i].measure->number);
	return out;
}

/* ---- the shipped catalogue ---- */

Test(sanctions, shipped_memorandum)
{
	const xy_memorandum *m = xy_sanctions_memorandum(&sx, DOC_266);
	cr_assert_eq(sx.nmemoranda, 1);
	cr_assert_not_null(m);
	cr_expect_str_eq(m->title,
			 "《营口市关于对严重拖欠农民工工资用人单位及其有关人员开展联合惩戒的合作备忘录》");
	cr_expect_str_eq(m->date, "2019");
	cr_assert_eq(m->nlist_types, 1);
	cr_expect_str_eq(m->list_types[0], WAGE_LIST);
	cr_assert_eq(m->nsignatories, 3);
	cr_expect_str_eq(m->signatories[0], "发改委");
	cr_expect_str_eq(m->signatories[1], "市人民银行");
	cr_expect_str_eq(m->signatories[2], "人社局");
	cr_assert_eq(m->nmeasures, 30);
	for (size_t i = 0; i < m->nmeasures; i++) {
		const xy_measure *me = &m->measures[i];
		cr_expect_eq(me->number, (int)i + 1);
		cr_expect_eq(me->kind, XY_MEASURE_PUNISH);
		cr_expect(me->nunits > 0 && me->nmatters > 0 && me->targets != 0);
		cr_expect(strstr(me->basis, DOC_266) == me->basis,
			  "measure %d: basis should start with the memorandum", me->number);
		for (size_t j = 0; j < me->nunits; j++)
			cr_expect_not_null(xy_registry_unit(&reg, me->units[j]), "%d: %s",
					   me->number, me->units[j]);
		for (size_t j = 0; j < me->nmatters; j++)
			cr_expect_not_null(xy_sanctions_matter(&sx, me->matters[j]), "%d: %s",
					   me->number, me->matters[j]);
	}
	cr_expect_str_eq(xy_memorandum_measure(m, 7)->text,
			 "在一定期限内依法禁止其作为供应商参与政府采购活动");
	cr_expect_str_eq(xy_memorandum_measure(m, 8)->text, "依法限制取得政府供应土地");
	cr_expect_eq(xy_memorandum_measure(m, 24)->targets,
		     XY_TARGET_LEGAL_REP | XY_TARGET_PRINCIPAL);
	cr_expect_neq(xy_memorandum_measure(m, 24)->condition[0], '\0');
	cr_expect_eq(xy_memorandum_measure(m, 28)->targets & XY_TARGET_UNIT, 0);
	cr_expect_null(xy_memorandum_measure(m, 31));
}

Test(sanctions, shipped_texts_are_verbatim)
{
	const xy_memorandum *m = xy_sanctions_memorandum(&sx, DOC_266);
	char line[2048];
	int seen = 0;
	FILE *f = fopen(REFERENCE, "r");
	if (!f)
		cr_skip_test("reference table not beside the repository");
	while (fgets(line, sizeof line, f)) {
		char *tab = strchr(line, '\t');
		size_t n = strlen(line);
		if (!tab || line[0] < '0' || line[0] > '9')
			continue;
		if (n && line[n - 1] == '\n')
			line[n - 1] = '\0';
		cr_assert_not_null(xy_memorandum_measure(m, atoi(line)));
		cr_expect_str_eq(xy_memorandum_measure(m, atoi(line))->text, tab + 1);
		seen++;
	}
	fclose(f);
	cr_expect_eq(seen, 30);
}

Test(sanctions, shipped_matters_and_list_types)
{
	const xy_list_type *lt = xy_sanctions_list_type(&sx, WAGE_LIST);
	static const char *const need[] = { "政府采购", "招标投标", "土地供应", "财政补贴", "评先评优",
					    "公务员招录", "海关认证", "融资授信", "重大项目审批",
					    "特许经营", "债券发行", "股票发行", "金融机构设立审批",
					    "外汇管理", "认证机构资质", "高消费", "投资优惠政策",
					    "日常监管", "劳动保障监察", "信息公示", "媒体广告", "信息披露" };
	for (size_t i = 0; i < sizeof need / sizeof need[0]; i++)
		cr_expect_not_null(xy_sanctions_matter(&sx, need[i]), "%s", need[i]);
	cr_expect_eq(xy_sanctions_matter(&sx, "zfcg"), xy_sanctions_matter(&sx, "政府采购"));
	cr_expect_null(xy_sanctions_matter(&sx, "不存在的事项"));

	cr_assert_not_null(lt);
	cr_expect_eq(lt->kind, XY_LIST_BLACK);
	cr_expect_str_eq(lt->unit, "人社局");
	cr_expect_eq(lt->validity, 1);
	cr_expect_eq(lt->validity_unit, 'y');
	cr_expect_not(lt->national);
	cr_expect_str_eq(lt->category, "地方发布黑名单");
	lt = xy_sanctions_list_type(&sx, "失信被执行人名单");
	cr_assert_not_null(lt);
	cr_expect(lt->national && lt->kind == XY_LIST_BLACK);
	cr_expect_str_eq(lt->unit, "中级法院");
	lt = xy_sanctions_list_type(&sx, "重大税收违法失信主体");
	cr_assert_not_null(lt);
	cr_expect_str_eq(lt->unit, "税务局");
	cr_expect_eq(xy_sanctions_list_type(&sx, "A级纳税人名单")->kind, XY_LIST_RED);
	cr_expect_eq(xy_sanctions_list_type(&sx, "守信激励对象名单")->kind, XY_LIST_RED);
	cr_expect_eq(xy_sanctions_list_type(&sx, "重点关注名单")->kind, XY_LIST_WATCH);
	cr_expect_eq(xy_sanctions_list_type(&sx, "地方发布红名单")->kind, XY_LIST_RED);
	cr_expect_eq(xy_sanctions_list_type(&sx, "地方发布黑名单")->kind, XY_LIST_BLACK);
	cr_expect(xy_sanctions_list_type(&sx, "国家黑名单")->national);
	for (size_t i = 0; i < sx.nlist_types; i++) {
		const xy_list_type *t = &sx.list_types[i];
		cr_expect(!*t->unit || xy_registry_unit(&reg, t->unit), "%s", t->name);
		cr_expect(!*t->category || xy_registry_category(&reg, t->category), "%s", t->name);
	}
}

Test(sanctions, national_types_counted_under_guojia_heimingdan)
{
	cr_expect_str_eq(xy_sanctions_list_type(&sx, "失信被执行人名单")->category, "国家黑名单");
	cr_expect_str_eq(xy_sanctions_list_type(&sx, "重大税收违法失信主体")->category, "国家黑名单");
	cr_expect_str_eq(xy_sanctions_list_type(&sx, "国家黑名单")->category, "国家黑名单");
	cr_expect_str_eq(xy_sanctions_list_type(&sx, "重点关注名单")->category, "");
}

/* A memorandum from text in memory (xinyong memorandum load stores TSV text):
 * loaded like a file, errors name the given name; removed again by doc. */
Test(sanctions, memo_from_text_and_remove)
{
	static const char good[] = MEMO_HEAD "1\t某措施\t惩戒\t财政局\t单位\tzfcg\t依据\n";
	static const char bad[] = MEMO_HEAD "1\t某措施\t惩戒\t不存在局\t单位\tzfcg\t依据\n";
	size_t n = sx.nmemoranda;
	cr_expect_eq(xy_sanctions_load_memorandum_text(&sx, &reg, "bad.xlsx", bad, strlen(bad),
						       &err),
		     XY_ERR_CONFIG);
	cr_expect_str_eq(err.file, "bad.xlsx");
	cr_expect_eq(err.row, 7);
	cr_expect_eq(sx.nmemoranda, n);
	cr_assert_eq(xy_sanctions_load_memorandum_text(&sx, &reg, "m.xlsx", good, strlen(good),
						       &err),
		     XY_OK, "%s", err.msg);
	cr_assert_eq(sx.nmemoranda, n + 1);
	cr_expect_str_eq(sx.memoranda[n].file, "m.xlsx");
	cr_expect_eq(xy_sanctions_memorandum_remove(&sx, sx.memoranda[n].doc), 0);
	cr_expect_eq(sx.nmemoranda, n);
	cr_expect_not_null(xy_sanctions_memorandum(&sx, DOC_266));
	cr_expect_eq(xy_sanctions_memorandum_remove(&sx, "不存在"), -1);
}

/* ---- broken files ---- */

Test(sanctions, memo_unknown_unit)
{
	expect_broken(MEMO_HEAD "1\t某措施\t惩戒\t财政局|市财政局\t单位\tzfcg\t依据\n", XY_ERR_CONFIG, 7,
		      "units", "unknown unit '市财政局'");
}

Test(sanctions, memo_unknown_matter)
{
	expect_broken(MEMO_HEAD "1\t某措施\t惩戒\t财政局\t单位\t政府采购|买地\t依据\n", XY_ERR_CONFIG, 7,
		      "matters", "unknown matter '买地'");
}

Test(sanctions, memo_duplicate_number)
{
	expect_broken(MEMO_HEAD "1\t甲\t惩戒\t财政局\t单位\tzfcg\t依据\n"
				"# a comment line still counts for line numbers\n"
				"1\t乙\t惩戒\t财政局\t单位\tzfcg\t依据\n",
		      XY_ERR_CONFIG, 9, "number", "measure 1 given twice");
}

Test(sanctions, memo_other_errors)
{
	expect_broken(MEMO_HEAD "1\t甲\t奖励\t财政局\t单位\tzfcg\t依据\n", XY_ERR_CONFIG, 7, "kind",
		      "惩戒 or 激励");
	expect_broken(MEMO_HEAD "1\t甲\t惩戒\t财政局\t股东\tzfcg\t依据\n", XY_ERR_CONFIG, 7, "target",
		      "'股东'");
	expect_broken(MEMO_HEAD "x\t甲\t惩戒\t财政局\t单位\tzfcg\t依据\n", XY_ERR_CONFIG, 7, "number",
		      "'x'");
	expect_broken(MEMO_HEAD "1\t甲\t惩戒\t\t单位\tzfcg\t依据\n", XY_ERR_CONFIG, 7, "units",
		      "no implementing unit");
	expect_broken(MEMO_HEAD "1\t甲\t惩戒\t财政局\t单位\tzfcg\t\n", XY_ERR_CONFIG, 7, "basis",
		      "no legal basis");
	expect_broken(MEMO_HEAD "1\t甲\t惩戒\t财政局||人社局\t单位\tzfcg\t依据\n", XY_ERR_CONFIG, 7,
		      "units", "empty item");
	expect_broken(MEMO_HEAD "1\t甲\t惩戒\t财政局\t单位\tzfcg\t依据\textra\n", XY_ERR_CONFIG, 7,
		      "", "more columns");
	expect_broken("doc\t测试〔2020〕1号\ntitle\t测试\nsignatories\t发改委\n"
		      "list_types\t不存在的名单\n", XY_ERR_CONFIG, 4, "list_types",
		      "unknown list type '不存在的名单'");
	expect_broken("doc\t测试〔2020〕1号\ntitle\t测试\nsignatories\t人民银行营口中心支行\n",
		      XY_ERR_CONFIG, 3, "signatories", "unknown unit");
	expect_broken("doc\t测试〔2020〕1号\ndate\t2019-13\n", XY_ERR_CONFIG, 2, "date", "'2019-13'");
	expect_broken("doc\tA\nwho\tB\n", XY_ERR_CONFIG, 2, "who", "unknown header key");
	expect_broken("doc\tA\nnumber\ttext\tkind\tunits\ttarget\tbasis\n", XY_ERR_CONFIG, 2,
		      "matters", "missing column 'matters'");
	expect_broken("title\t测试\nsignatories\t发改委\nlist_types\t" WAGE_LIST "\n", XY_ERR_CONFIG, 0,
		      "doc", "no document number");
	expect_broken(MEMO_HEAD, XY_ERR_CONFIG, 0, "number", "no measures");
	/* the shipped one again */
	{
		size_t before = sx.nmemoranda;
		cr_expect_eq(xy_sanctions_load_memorandum(&sx, &reg, MEMO_266, &err), XY_ERR_CONFIG);
		cr_expect(strstr(err.msg, "already loaded"));
		cr_expect_eq(sx.nmemoranda, before);
	}
	cr_expect_eq(xy_sanctions_load_memorandum(&sx, &reg, "/nonexistent/memo.tsv", &err),
		     XY_ERR_IO);
}

Test(sanctions, memo_by_name_columns_any_order)
{
	const char *p = write_file("ok.tsv",
				   "doc\t测试〔2020〕1号\ntitle\t测试\nsignatories\t发改委\n"
				   "list_types\t" WAGE_LIST "|守信激励对象名单\n"
				   "matters\tnumber\tunits\ttarget\tkind\tbasis\ttext\tcondition\n"
				   "政府采购|tdgy\t3\t财政局\t单位|法定代表人\t激励\t依据\t某措施\t条件\n");
	const xy_memorandum *m;
	cr_assert_eq(xy_sanctions_load_memorandum(&sx, &reg, p, &err), XY_OK, "%s", err.msg);
	m = xy_sanctions_memorandum(&sx, "测试〔2020〕1号");
	cr_assert_not_null(m);
	cr_expect_str_eq(m->date, "");
	cr_assert_eq(m->nmeasures, 1);
	cr_expect_eq(m->measures[0].number, 3);
	cr_expect_eq(m->measures[0].kind, XY_MEASURE_REWARD);
	cr_expect_eq(m->measures[0].targets, XY_TARGET_UNIT | XY_TARGET_LEGAL_REP);
	cr_expect_str_eq(m->measures[0].matters[0], "zfcg", "names are stored as codes");
	cr_expect_str_eq(m->measures[0].matters[1], "tdgy");
	cr_expect_str_eq(m->measures[0].condition, "条件");
}

Test(sanctions, broken_matters_and_list_types)
{
	const char *p = write_file("matters.tsv", "code\tname\tdescription\nzfcg\t重复\t\n");
	size_t n = sx.nmatters;
	cr_expect_eq(xy_sanctions_load_matters(&sx, p, &err), XY_ERR_CONFIG);
	cr_expect_eq(err.row, 2);
	cr_expect_str_eq(err.field, "code");
	cr_expect_eq(sx.nmatters, n);
	p = write_file("matters.tsv", "code\tname\tdescription\nnew1\t新事项\t\nBad\t坏\t\n");
	cr_expect_eq(xy_sanctions_load_matters(&sx, p, &err), XY_ERR_CONFIG);
	cr_expect_eq(err.row, 3);
	cr_expect_eq(sx.nmatters, n, "a file loads whole or not at all");
	cr_expect_null(xy_sanctions_matter(&sx, "new1"));

	n = sx.nlist_types;
	p = write_file("lt.tsv", "name\tkind\tunit\tbasis\tvalidity\texit\tnational\tcategory\n"
				 "新名单\tblack\t人社厅\t依据\t1y\t\tno\t\n");
	cr_expect_eq(xy_sanctions_load_list_types(&sx, &reg, p, &err), XY_ERR_CONFIG);
	cr_expect_str_eq(err.field, "unit");
	cr_expect_eq(err.row, 2);
	p = write_file("lt.tsv", "name\tkind\tunit\tbasis\tvalidity\texit\tnational\tcategory\n"
				 "新名单\tgrey\t人社局\t依据\t1y\t\tno\t\n");
	cr_expect_eq(xy_sanctions_load_list_types(&sx, &reg, p, &err), XY_ERR_CONFIG);
	cr_expect_str_eq(err.field, "kind");
	p = write_file("lt.tsv", "name\tkind\tunit\tbasis\tvalidity\texit\tnational\tcategory\n"
				 "新名单\tred\t人社局\t依据\t1 year\t\tno\t\n");
	cr_expect_eq(xy_sanctions_load_list_types(&sx, &reg, p, &err), XY_ERR_CONFIG);
	cr_expect_str_eq(err.field, "validity");
	p = write_file("lt.tsv", "name\tkind\tunit\tbasis\tvalidity\texit\tnational\tcategory\n"
				 "新名单\tred\t人社局\t依据\t6m\t\tno\t红名单\n");
	cr_expect_eq(xy_sanctions_load_list_types(&sx, &reg, p, &err), XY_ERR_CONFIG);
	cr_expect_str_eq(err.field, "category");
	p = write_file("lt.tsv", "name\tkind\tunit\tbasis\tvalidity\n");
	cr_expect_eq(xy_sanctions_load_list_types(&sx, &reg, p, &err), XY_ERR_CONFIG);
	cr_expect_eq(err.row, 1);
	cr_expect_eq(sx.nlist_types, n);
}

/* ---- resolution ---- */

Test(sanctions, procurement_is_measure_7)
{
	xy_list_entry e = own("人社黑〔2020〕1号", "2020-01-10", "2021-01-10");
	xy_sanction_hits h = check("财政局", "政府采购", "2020-06-01", &e, 1);
	cr_assert_eq(h.n, 1);
	cr_expect_eq(h.v[0].measure->number, 7);
	cr_expect_str_eq(h.v[0].memorandum->doc, DOC_266);
	cr_expect_eq(h.v[0].entry, 0);
	cr_expect_eq(h.v[0].measure->kind, XY_MEASURE_PUNISH);
	cr_expect(strstr(h.v[0].measure->basis, "政府采购法"));
	xy_sanction_hits_release(&h);
	h = check("财政局", "zfcg", "2020-06-01", &e, 1); /* by code */
	cr_expect_str_eq(numbers(&h), "7");
	xy_sanction_hits_release(&h);
	h = check("财政局", NULL, "2020-06-01", &e, 1); /* every matter */
	cr_expect_str_eq(numbers(&h), "3,5,6,7");
	xy_sanction_hits_release(&h);
}

Test(sanctions, land_is_measure_8)
{
	xy_list_entry e = own("人社黑〔2020〕1号", "2020-01-10", "");
	xy_sanction_hits h = check("自然资源局", "土地供应", "2020-06-01", &e, 1);
	cr_expect_str_eq(numbers(&h), "8");
	xy_sanction_hits_release(&h);
	h = check("自然资源局", "政府采购", "2020-06-01", &e, 1);
	cr_expect_eq(h.n, 0, "the unit has no measure for that matter");
	xy_sanction_hits_release(&h);
}

Test(sanctions, unit_without_measures)
{
	xy_list_entry e = own("人社黑〔2020〕1号", "2020-01-10", "");
	xy_sanction_hits h = check("教育局", NULL, "2020-06-01", &e, 1);
	cr_expect_eq(h.n, 0);
	xy_sanction_hits_release(&h);
	h = check("司法局", "政府采购", "2020-06-01", &e, 1);
	cr_expect_eq(h.n, 0);
	xy_sanction_hits_release(&h);
}

Test(sanctions, clean_subject_and_other_lists)
{
	xy_list_entry e = own("税总〔2020〕1号", "2020-01-10", "");
	xy_sanction_hits h = check("财政局", "政府采购", "2020-06-01", NULL, 0);
	cr_expect_eq(h.n, 0);
	xy_sanction_hits_release(&h);
	e.list_type = "重大税收违法失信主体"; /* no shipped memorandum covers it */
	h = check("财政局", "政府采购", "2020-06-01", &e, 1);
	cr_expect_eq(h.n, 0);
	xy_sanction_hits_release(&h);
}

Test(sanctions, entry_ending_yesterday_or_today)
{
	xy_list_entry e = own("人社黑〔2019〕9号", "2019-06-01", "2020-05-31");
	xy_sanction_hits h = check("财政局", "政府采购", "2020-06-01", &e, 1);
	cr_expect_eq(h.n, 0, "ended yesterday: expired");
	cr_expect_eq(xy_entry_status_on(&e, "2020-06-01"), XY_ENTRY_EXPIRED);
	xy_sanction_hits_release(&h);
	h = check("财政局", "政府采购", "2020-05-31", &e, 1);
	cr_expect_str_eq(numbers(&h), "7", "ends today: still active");
	xy_sanction_hits_release(&h);
	h = check("财政局", "政府采购", "2019-06-01", &e, 1);
	cr_expect_str_eq(numbers(&h), "7", "starts today: active");
	xy_sanction_hits_release(&h);
	h = check("财政局", "政府采购", "2019-05-31", &e, 1);
	cr_expect_eq(h.n, 0, "not yet listed");
	xy_sanction_hits_release(&h);
}

Test(sanctions, leap_day_boundaries)
{
	xy_list_entry e = own("人社黑〔2019〕9号", "2019-03-01", "2020-02-29");
	const xy_list_type *lt = xy_sanctions_list_type(&sx, WAGE_LIST);
	char end[11];
	xy_sanction_hits h = check("自然资源局", "土地供应", "2020-02-29", &e, 1);
	cr_expect_str_eq(numbers(&h), "8", "ends on the leap day: active on it");
	xy_sanction_hits_release(&h);
	h = check("自然资源局", "土地供应", "2020-03-01", &e, 1);
	cr_expect_eq(h.n, 0, "expired the day after the leap day");
	xy_sanction_hits_release(&h);
	e = own("人社黑〔2020〕2号", "2020-02-29", "");
	h = check("自然资源局", "土地供应", "2020-02-28", &e, 1);
	cr_expect_eq(h.n, 0, "starts on the leap day");
	xy_sanction_hits_release(&h);
	h = check("自然资源局", "土地供应", "2020-02-29", &e, 1);
	cr_expect_eq(h.n, 1);
	xy_sanction_hits_release(&h);

	/* default end dates: 1 year, first day not counted */
	cr_expect_eq(xy_list_type_end(lt, "2019-10-15", end), XY_OK);
	cr_expect_str_eq(end, "2020-10-15");
	cr_expect_eq(xy_list_type_end(lt, "2020-02-29", end), XY_OK);
	cr_expect_str_eq(end, "2021-02-28", "no 29th in 2021: the month's last day");
	cr_expect_eq(xy_list_type_end(lt, "2019-02-28", end), XY_OK);
	cr_expect_str_eq(end, "2020-02-28");
	cr_expect_eq(xy_list_type_end(lt, "2019-02-29", end), XY_ERR_INVALID);
	{
		xy_list_type days = *lt, months = *lt, none = *lt;
		days.validity = 365;
		days.validity_unit = 'd';
		cr_expect_eq(xy_list_type_end(&days, "2020-01-01", end), XY_OK);
		cr_expect_str_eq(end, "2020-12-31", "2020 has 366 days");
		months.validity = 1;
		months.validity_unit = 'm';
		cr_expect_eq(xy_list_type_end(&months, "2020-01-31", end), XY_OK);
		cr_expect_str_eq(end, "2020-02-29");
		months.validity = 6;
		cr_expect_eq(xy_list_type_end(&months, "2019-08-31", end), XY_OK);
		cr_expect_str_eq(end, "2020-02-29");
		none.validity = 0;
		cr_expect_eq(xy_list_type_end(&none, "2020-01-01", end), XY_OK);
		cr_expect_str_eq(end, "");
	}
}

Test(sanctions, persons_only_through_persons)
{
	xy_list_entry company = own("人社黑〔2020〕1号", "2020-01-10", "");
	xy_list_entry rep = via_person(XY_TARGET_LEGAL_REP, "2020-01-10", "");
	xy_list_entry resp = via_person(XY_TARGET_RESPONSIBLE, "2020-01-10", "");
	xy_list_entry ent = via_person(XY_TARGET_LEGAL_REP, "2020-01-10", "");
	xy_sanction_hits h;
	ent.via = XY_VIA_ENTERPRISE;

	/* 24 高消费 targets 法定代表人 and 主要负责人, never the unit */
	h = check("中级法院", "高消费", "2020-06-01", &company, 1);
	cr_expect_eq(h.n, 0);
	xy_sanction_hits_release(&h);
	h = check("中级法院", "高消费", "2020-06-01", &rep, 1);
	cr_expect_str_eq(numbers(&h), "24,25");
	xy_sanction_hits_release(&h);
	h = check("中级法院", "高消费", "2020-06-01", &resp, 1);
	cr_expect_eq(h.n, 0, "24/25 do not target 直接责任人");
	xy_sanction_hits_release(&h);

	/* 28 公务员招录: persons in every role, not the unit */
	h = check("市委组织部", "公务员招录", "2020-06-01", &resp, 1);
	cr_expect_str_eq(numbers(&h), "28");
	xy_sanction_hits_release(&h);
	h = check("市委组织部", "公务员招录", "2020-06-01", &company, 1);
	cr_expect_eq(h.n, 0);
	xy_sanction_hits_release(&h);

	/* unit measures do not reach persons */
	h = check("财政局", "政府采购", "2020-06-01", &rep, 1);
	cr_expect_eq(h.n, 0);
	xy_sanction_hits_release(&h);
	/* 27 评先评优 targets both */
	h = check("市总工会", "评先评优", "2020-06-01", &company, 1);
	cr_expect_str_eq(numbers(&h), "27");
	xy_sanction_hits_release(&h);
	h = check("市总工会", "评先评优", "2020-06-01", &rep, 1);
	cr_expect_str_eq(numbers(&h), "27");
	xy_sanction_hits_release(&h);
	/* an enterprise reached through its listed person: shown, but no measure */
	h = check("市总工会", "评先评优", "2020-06-01", &ent, 1);
	cr_expect_eq(h.n, 0);
	xy_sanction_hits_release(&h);
}

Test(sanctions, two_entries_listed_per_entry)
{
	xy_list_entry e[3] = {
		own("人社黑〔2019〕5号", "2019-06-01", "2020-06-01"),
		own("人社黑〔2020〕1号", "2020-03-01", "2021-03-01"),
		own("人社黑〔2018〕2号", "2018-01-01", "2019-01-01"), /* expired */
	};
	xy_sanction_hits h = check("财政局", NULL, "2020-04-01", e, 3);
	cr_assert_eq(h.n, 8);
	cr_expect_str_eq(numbers(&h), "3,5,6,7,3,5,6,7");
	for (size_t i = 0; i < 4; i++) {
		cr_expect_eq(h.v[i].entry, 0);
		cr_expect_eq(h.v[i + 4].entry, 1);
	}
	xy_sanction_hits_release(&h);
}

Test(sanctions, entry_status)
{
	xy_list_entry e = own("人社黑〔2020〕1号", "2020-01-10", "2021-01-10");
	cr_expect_eq(xy_entry_status_on(&e, "2020-01-09"), XY_ENTRY_PENDING);
	cr_expect_eq(xy_entry_status_on(&e, "2020-01-10"), XY_ENTRY_ACTIVE);
	cr_expect_eq(xy_entry_status_on(&e, "2021-01-10"), XY_ENTRY_ACTIVE);
	cr_expect_eq(xy_entry_status_on(&e, "2021-01-11"), XY_ENTRY_EXPIRED);
	e.exit = XY_EXIT_REPAIR;
	e.exit_date = "2020-07-10";
	cr_expect_eq(xy_entry_status_on(&e, "2020-07-09"), XY_ENTRY_ACTIVE, "as it stood then");
	cr_expect_eq(xy_entry_status_on(&e, "2020-07-10"), XY_ENTRY_EXITED);
	cr_expect_eq(xy_entry_status_on(&e, "2022-01-01"), XY_ENTRY_EXITED);
	e.exit_date = "2021-03-01"; /* recorded after it had already expired */
	cr_expect_eq(xy_entry_status_on(&e, "2021-02-01"), XY_ENTRY_EXPIRED);
	cr_expect_eq(xy_entry_status_on(&e, "2021-03-02"), XY_ENTRY_EXPIRED);
	e.to = NULL;
	cr_expect_eq(xy_entry_status_on(&e, "2030-01-01"), XY_ENTRY_EXITED);
	cr_expect_str_eq(xy_entry_status_name(XY_ENTRY_EXPIRED), "expired");
	{
		xy_exit x;
		cr_expect_eq(xy_exit_parse("吊销", &x), 0);
		cr_expect_eq(x, XY_EXIT_REVOKE);
		cr_expect_eq(xy_exit_parse("期满", &x), -1, "期满 is computed, never recorded");
		cr_expect_eq(xy_exit_parse("", &x), -1);
		cr_expect_str_eq(xy_exit_name(XY_EXIT_WITHDRAW), "撤销");
	}
	{
		xy_sanction_hits h;
		e.to = "2021-01-10";
		e.exit_date = "2020-07-10";
		h = check("财政局", "政府采购", "2020-07-10", &e, 1);
		cr_expect_eq(h.n, 0, "exited on the day: no measure");
		xy_sanction_hits_release(&h);
	}
}

Test(sanctions, bad_arguments)
{
	xy_list_entry e = own("人社黑〔2020〕1号", "2020-01-10", "");
	xy_sanction_hits h;
	cr_expect_eq(xy_sanctions_resolve(&sx, "财政局", "买地", "2020-06-01", &e, 1, &h, &err),
		     XY_ERR_NOTFOUND);
	cr_expect_str_eq(err.field, "matter");
	cr_expect_eq(h.n, 0);
	cr_expect_eq(xy_sanctions_resolve(&sx, "财政局", NULL, "2019-02-29", &e, 1, &h, &err),
		     XY_ERR_ARG);
	cr_expect_eq(xy_sanctions_resolve(&sx, "财政局", NULL, "2020-6-1", &e, 1, &h, &err),
		     XY_ERR_ARG);
	cr_expect_eq(xy_sanctions_resolve(&sx, "", NULL, "2020-06-01", &e, 1, &h, &err), XY_ERR_ARG);
	{
		xy_list_entry bad[2] = { e, own("X", "2020-01-10", "2019-12-31") };
		cr_expect_eq(xy_sanctions_resolve(&sx, "财政局", NULL, "2020-06-01", bad, 2, &h, &err),
			     XY_ERR_INVALID);
		cr_expect_eq(err.row, 2);
		cr_expect_str_eq(err.field, "to");
		bad[1] = via_person(XY_TARGET_UNIT, "2020-01-10", "");
		cr_expect_eq(xy_sanctions_resolve(&sx, "财政局", NULL, "2020-06-01", bad, 2, &h, &err),
			     XY_ERR_INVALID);
		cr_expect_str_eq(err.field, "role");
		bad[1] = own("X", "2020-01-10", "");
		bad[1].exit = XY_EXIT_CANCEL;
		cr_expect_eq(xy_sanctions_resolve(&sx, "财政局", NULL, "2020-06-01", bad, 2, &h, &err),
			     XY_ERR_INVALID);
		cr_expect_str_eq(err.field, "exit_date");
	}
}

Test(sanctions, load_dir_failure_releases)
{
	xy_sanctions other;
	xy_sanctions_init(&other);
	cr_expect_eq(xy_sanctions_load_dir(&other, &reg, "/nonexistent", &err), XY_ERR_IO);
	cr_expect_eq(other.nmatters, 0);
	cr_expect_eq(other.nlist_types, 0);
	xy_sanctions_release(&other);
}
