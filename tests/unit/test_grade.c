/* Unit tests of credit grading (lib/supervision/grade.c, grade_views.c): the
 * model's refusals name their line and field; a run's windows, caps, decay
 * and forced grades; every explanation adds up to its score.  Generated
 * codes and names only. */
#include <criterion/criterion.h>
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xinyong/codes.h"
#include "xinyong/grade.h"
#include "xinyong/lists.h"
#include "fixture.h"

#define CO "91210802MA0XYQA01T"
#define CO2 "91210802MA0XYQB02K"
#define AG "11210800MAR7YF578P"
#define H "CF_XDR_MC,CF_XDR_LB,CF_XDR_SHXYM,CF_XDR_ZJHM,CF_FRDB,CF_FR_ZJHM,CF_WSH,CF_WFXW," \
	  "CF_SY,CF_YJ,CF_CFLB,CF_NR,CF_JDRQ,CF_YXQ,CF_CFJG,CF_CFJGDM,CF_SJLY,CF_SJLYDM," \
	  "CF_SXYZCD\n"
#define TAIL ",2027-12-31,营口市市场监督管理局," AG ",营口市市场监督管理局," AG ",一般\n"
#define ROW(name, code, doc, date) name ",法人及非法人组织," code ",,示例甲,," doc ",价格,事实,依据,罚款,罚款1万元," date TAIL

/* Weights 60 + 40; no decay except the last indicator's. */
#define MODEL                                                                     \
	"# test model\n"                                                          \
	"model\t测试模型\n"                                                       \
	"group\ta\t遵纪守法\t60\t100\n"                                           \
	"group\tb\t失信惩戒\t40\t100\n"                                           \
	"indicator\ta\tcf\t行政处罚\tcategory:行政处罚\t12\t-30\t50\t0\n"          \
	"indicator\tb\thmd\t黑名单\tlist:black\t0\t-100\t100\t0\n"                 \
	"band\tA\t80\t100\n"                                                      \
	"band\tB\t60\t80\n"                                                       \
	"band\tC\t40\t60\n"                                                       \
	"band\tD\t0\t40\n"                                                        \
	"force\tD\tlist:black\n"

static char co3[19];

static void setup(void)
{
	char csv[4096];
	xy_import_opts o;
	xy_batch bt;
	fx_open();
	memcpy(co3, "91210802MA0XYQC03", 17);
	co3[17] = xy_uscc_check_char(co3);
	co3[18] = '\0';
	/* CO: three penalties in the last 12 months, one before; CO3: one a year old */
	snprintf(csv, sizeof csv,
		 H ROW("营口分级测试甲有限公司", CO, "营市监罚〔2026〕1号", "2026-03-10")
			 ROW("营口分级测试甲有限公司", CO, "营市监罚〔2026〕2号", "2026-03-11")
				 ROW("营口分级测试甲有限公司", CO, "营市监罚〔2026〕3号", "2026-06-01")
					 ROW("营口分级测试甲有限公司", CO, "营市监罚〔2025〕4号", "2025-06-01")
		 "营口分级测试丙有限公司,法人及非法人组织,%s,,示例甲,,营市监罚〔2025〕5号,价格,事实,"
		 "依据,罚款,罚款1万元,2025-11-26" TAIL,
		 co3);
	memset(&o, 0, sizeof o);
	o.unit = "市场监管局";
	o.category = "行政处罚";
	o.report_dir = fx_dir;
	OK(xy_import_file(st, &reg, fx_write("cf.csv", csv), &o, &bt, &err));
	cr_assert_eq(bt.rejected, 0, "rows rejected");
	xy_batch_release(&bt);
}

TestSuite(grade, .init = setup, .fini = fx_close);

static xy_code parse(const char *text, xy_grade_model *m)
{
	return xy_grade_model_parse(m, "m.tsv", text, strlen(text), &reg, &cr.cat, &err);
}

/* MODEL with line `from` replaced by `to`: the refusal names line and field. */
static void refused(const char *from, const char *to, long line, const char *field,
		    const char *words)
{
	char text[4096];
	const char *p = strstr(MODEL, from);
	xy_grade_model m = { 0 };
	cr_assert(p, "%s not in MODEL", from);
	snprintf(text, sizeof text, "%.*s%s%s", (int)(p - MODEL), MODEL, to, p + strlen(from));
	cr_assert_eq(parse(text, &m), XY_ERR_CONFIG, "accepted: %s", to);
	cr_expect_str_eq(err.file, "m.tsv");
	cr_expect_eq(err.row, line, "line %ld for %s (%s)", err.row, to, err.msg);
	cr_expect_str_eq(err.field, field, "%s: %s", to, err.msg);
	cr_expect(strstr(err.msg, words), "'%s' not in: %s", words, err.msg);
}

Test(grade, model_parses)
{
	xy_grade_model m = { 0 };
	OK(parse(MODEL, &m));
	cr_expect_str_eq(m.name, "测试模型");
	cr_expect_eq(m.ngroups, 2);
	cr_expect_eq(m.nindicators, 2);
	cr_expect_eq(m.indicators[0].points, -3000);
	cr_expect_str_eq(m.bands[0].grade, "D"); /* sorted by lo */
	cr_expect_str_eq(xy_grade_band_of(&m, 10000), "A");
	cr_expect_str_eq(xy_grade_band_of(&m, 7999), "B");
	cr_expect_str_eq(xy_grade_band_of(&m, 8000), "A");
	cr_expect_str_eq(xy_grade_band_of(&m, 0), "D");
	cr_expect_eq(strlen(m.sha256), 64);
	xy_grade_model_release(&m);
}

Test(grade, default_model_parses)
{
	xy_grade_model m = { 0 };
	char path[1024];
	snprintf(path, sizeof path, "%s/grade-model.tsv", xy_registry_default_dir());
	cr_assert_eq(xy_grade_model_load(&m, path, &reg, &cr.cat, &err), XY_OK, "%s", err.msg);
	xy_grade_model_release(&m);
}

Test(grade, refusals_name_line_and_field)
{
	refused("category:行政处罚", "category:不存在的类别", 5, "source", "unknown category");
	refused("list:black\t0", "list:grey\t0", 6, "source", "list kind");
	refused("list:black\n", "list:purple\n", 11, "source", "list kind");
	refused("category:行政处罚", "bogus:x", 5, "source", "unknown source");
	refused("\t40\t100\n", "\t45\t100\n", 4, "weight", "add up to 105");
	refused("band\tB\t60\t80", "band\tB\t60\t85", 7, "lo", "overlaps");
	refused("band\tB\t60\t80", "band\tB\t60\t75", 7, "lo", "gap");
	refused("band\tD\t0\t40", "band\tD\t5\t40", 10, "lo", "from 0");
	refused("indicator\ta\tcf", "indicator\tz\tcf", 5, "group", "unknown group");
	refused("\t12\t-30", "\t12\tx", 5, "points", "points");
	refused("\t12\t-30", "\t0\t-30", 5, "window", "window");
	refused("\t50\t0\n", "\t50\t0.123\n", 5, "half_life", "half_life");
	refused("band\tA", "bnad\tA", 7, "kind", "unknown line kind");
	refused("force\tD", "force\tE", 11, "grade", "no band");
}

/* The sum of an explanation's points, in hundredths. */
static long sum_items(json_t *g)
{
	double sum = 0;
	size_t i;
	json_t *it;
	json_array_foreach(json_object_get(g, "items"), i, it)
		sum += json_number_value(json_object_get(it, "points"));
	return lround(sum * 100);
}

static json_t *show(const char *code)
{
	json_t *v = NULL;
	cr_assert_eq(xy_grade_view_subject(st, code, 0, &v, &err), XY_OK, "%s", err.msg);
	cr_expect_eq(sum_items(v), lround(json_number_value(json_object_get(v, "score")) * 100),
		     "the explanation of %s does not add up", code);
	return v;
}

static size_t count_kind(json_t *g, const char *kind)
{
	size_t i, n = 0;
	json_t *it;
	json_array_foreach(json_object_get(g, "items"), i, it)
		n += !strcmp(json_string_value(json_object_get(it, "kind")), kind);
	return n;
}

Test(grade, window_cap_force_and_sums)
{
	xy_grade_model m = { 0 };
	xy_grade_run_opts o = { "2026-11-26", 0, NULL };
	xy_grade_run_result res;
	xy_list_add b = { "地方发布黑名单", CO2, "营口分级测试乙有限公司", "住建局",
			  "营住建〔2026〕7号", "2026-01-01", NULL, NULL, NULL, 0, NULL };
	xy_entry_row e = { 0 };
	json_t *v, *list;
	long notices;
	size_t i;
	OK(xy_credit_list_add(&cr, &b, &e, &notices, NULL, &err));
	xy_entry_row_release(&e);
	OK(parse(MODEL, &m));
	OK(xy_grade_run(st, &m, &o, &res, &err));
	cr_expect_eq(res.subjects, 3);

	/* three penalties in the window: -30, then -20 to the cap of 50, then 0 */
	v = show(CO);
	cr_expect_eq(count_kind(v, "record"), 3, "the 2025-06-01 penalty is outside 12 months");
	cr_expect_eq(lround(json_number_value(json_object_get(v, "score")) * 100), 7000);
	cr_expect_str_eq(json_string_value(json_object_get(v, "grade")), "B");
	json_decref(v);

	/* the black-list entry: score 60 (B by score), forced to D */
	v = show(CO2);
	cr_expect_eq(lround(json_number_value(json_object_get(v, "score")) * 100), 6000);
	cr_expect_str_eq(json_string_value(json_object_get(v, "grade")), "D");
	cr_expect_str_eq(json_string_value(json_object_get(v, "forced")), "D");
	cr_expect_eq(count_kind(v, "force"), 1);
	json_decref(v);

	/* every subject's explanation adds up */
	OK(xy_grade_view_list(st, "", 0, true, NULL, &list, &err));
	cr_expect_eq(json_array_size(json_object_get(list, "subjects")), 3);
	json_array_foreach(json_object_get(list, "subjects"), i, v)
		cr_expect_eq(sum_items(v),
			     lround(json_number_value(json_object_get(v, "score")) * 100));
	json_decref(list);
	OK(xy_grade_view_list(st, "D", 0, false, NULL, &list, &err));
	cr_expect_eq(json_array_size(json_object_get(list, "subjects")), 1);
	json_decref(list);
	xy_grade_model_release(&m);
}

Test(grade, decay_halves_a_year_old_fact)
{
	xy_grade_model m = { 0 };
	xy_grade_run_opts o = { "2026-11-26", 0, NULL };
	char text[4096];
	const char *p = strstr(MODEL, "\t50\t0\n");
	json_t *v, *it;
	size_t i;
	double pts = 0;
	/* half-life 12 months: a fact 365 days old keeps 0.5^(365/365.24) of -30 */
	snprintf(text, sizeof text, "%.*s\t50\t12\n%s", (int)(p - MODEL), MODEL, p + 6);
	OK(parse(text, &m));
	OK(xy_grade_run(st, &m, &o, NULL, &err));
	v = show(co3);
	json_array_foreach(json_object_get(v, "items"), i, it)
		if (!strcmp(json_string_value(json_object_get(it, "kind")), "record"))
			pts = json_number_value(json_object_get(it, "raw"));
	cr_expect_eq(lround(pts * 100), -1501, "raw %f", pts);
	json_decref(v);
	xy_grade_model_release(&m);
}

Test(grade, history_keeps_runs_and_models)
{
	xy_grade_model m1 = { 0 }, m2 = { 0 };
	xy_grade_run_opts o = { "2026-11-26", 0, NULL };
	char text[4096];
	const char *p = strstr(MODEL, "测试模型");
	json_t *h;
	snprintf(text, sizeof text, "%.*s测试模型二%s", (int)(p - MODEL), MODEL, p + strlen("测试模型"));
	OK(parse(MODEL, &m1));
	OK(parse(text, &m2));
	OK(xy_grade_run(st, &m1, &o, NULL, &err));
	o.as_of = "2026-12-31";
	OK(xy_grade_run(st, &m2, &o, NULL, &err));
	OK(xy_grade_view_history(st, CO, &h, &err));
	cr_assert_eq(json_array_size(json_object_get(h, "history")), 2);
	cr_expect_str_eq(json_string_value(json_object_get(
				 json_object_get(json_array_get(json_object_get(h, "history"), 0), "run"),
				 "model")),
			 "测试模型二");
	cr_expect_str_eq(json_string_value(json_object_get(
				 json_object_get(json_array_get(json_object_get(h, "history"), 1), "run"),
				 "as_of")),
			 "2026-11-26");
	json_decref(h);
	xy_grade_model_release(&m1);
	xy_grade_model_release(&m2);
}

/* The latest grades of sorted codes at once (the draws'): each code its
 * subject's grade in the latest run, a personal number found through its
 * keyed hash, a code given twice both times, an unknown or ungraded code 0;
 * the same answers as the one-by-one walk (xy_store_grades_latest). */
struct walked {
	char code[32][24];
	char grade[32];
	size_t n;
};

static int walked_cb(void *ctx, const xy_grade_row *g)
{
	struct walked *w = ctx;
	cr_assert_lt(w->n, 32);
	snprintf(w->code[w->n], sizeof w->code[0], "%s", g->code);
	w->grade[w->n++] = g->grade[0];
	return 0;
}

static int by_code(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

Test(grade, latest_of_sorted_codes)
{
	xy_grade_model m = { 0 };
	xy_grade_run_opts o = { "2026-11-26", 0, NULL };
	XY_SUBJECT_AUTO(person);
	XY_SUBJECT_AUTO(late);
	struct walked w = { 0 };
	const char *codes[] = { CO, CO, co3, "21080219850612103X", "21080219900101001X",
				"91210802MA0XYQZ99Z", "" };
	char grades[7];
	size_t n = sizeof codes / sizeof *codes;
	OK(xy_subject_set(&person, "21080219850612103X", "ric", "张某"));
	OK(xy_store_subject_upsert(st, &person, &err));
	OK(parse(MODEL, &m));
	OK(xy_grade_run(st, &m, &o, NULL, &err));
	o.as_of = "2026-12-31"; /* a second run: its grades are the latest */
	OK(xy_grade_run(st, &m, &o, NULL, &err));
	/* graded after the runs: 0, as one never graded */
	OK(xy_subject_set(&late, "21080219900101001X", "ric", "李某"));
	OK(xy_store_subject_upsert(st, &late, &err));
	codes[n - 1] = "91210802MA0XYQA01"; /* a prefix of CO */
	qsort(codes, n, sizeof *codes, by_code);
	memset(grades, '?', sizeof grades);
	OK(xy_store_grades_latest_of(st, codes, n, grades, &err));
	OK(xy_store_grades_latest(st, walked_cb, &w, &err));
	cr_assert_eq(w.n, 3, "CO, co3 and the person graded");
	for (size_t i = 0; i < n; i++) {
		char want = 0;
		for (size_t j = 0; j < w.n; j++)
			if (!strcmp(w.code[j], codes[i]))
				want = w.grade[j];
		cr_expect_eq(grades[i], want, "%s: %c, walked %c", codes[i], grades[i] ? grades[i] : '0',
			     want ? want : '0');
		if (!strcmp(codes[i], "21080219850612103X") || !strcmp(codes[i], CO))
			cr_expect_neq(grades[i], 0, "%s graded", codes[i]);
	}
	xy_grade_model_release(&m);
}

/* The list a keyset page at a time: pages of one walked by "next" are the
 * whole list in order, the last page's next is null, a malformed cursor is
 * refused naming "after"; the counts are the list's, with shares. */
Test(grade, pages_and_counts)
{
	xy_grade_model m = { 0 };
	xy_grade_run_opts o = { "2026-11-26", 0, NULL };
	xy_view_page pg = { NULL, 1, false };
	json_t *all, *page, *counts, *g;
	char after[32] = "";
	size_t i, n = 0;
	long sum = 0;
	OK(parse(MODEL, &m));
	OK(xy_grade_run(st, &m, &o, NULL, &err));
	OK(xy_grade_view_list(st, "", 0, false, NULL, &all, &err));
	cr_assert_eq(json_array_size(json_object_get(all, "subjects")), 2);
	cr_expect_null(json_object_get(all, "next"), "an unpaged list has no next");
	for (;;) {
		pg.after = after;
		OK(xy_grade_view_list(st, "", 0, false, &pg, &page, &err));
		cr_assert_eq(json_array_size(json_object_get(page, "subjects")), 1);
		cr_expect(json_equal(json_array_get(json_object_get(page, "subjects"), 0),
				     json_array_get(json_object_get(all, "subjects"), n)),
			  "page %zu is not the list's subject %zu", n + 1, n);
		n++;
		g = json_object_get(page, "next");
		cr_assert(g && (json_is_null(g) || json_is_string(g)));
		if (json_is_null(g)) {
			json_decref(page);
			break;
		}
		snprintf(after, sizeof after, "%s", json_string_value(g));
		json_decref(page);
		cr_assert(n < 5, "the pages do not end");
	}
	cr_expect_eq(n, 2);
	pg.after = "x1";
	cr_expect_eq(xy_grade_view_list(st, "", 0, false, &pg, &page, &err), XY_ERR_ARG);
	cr_expect_str_eq(err.field, "after");

	OK(xy_grade_view_counts(st, 0, &counts, &err));
	cr_expect_eq(json_integer_value(json_object_get(counts, "total")), 2);
	json_array_foreach(json_object_get(counts, "grades"), i, g)
	{
		size_t j, k = 0;
		json_t *s;
		json_array_foreach(json_object_get(all, "subjects"), j, s)
			k += !strcmp(json_string_value(json_object_get(s, "grade")),
				     json_string_value(json_object_get(g, "grade")));
		cr_expect_eq((size_t)json_integer_value(json_object_get(g, "subjects")), k);
		sum += lround(json_real_value(json_object_get(g, "share")) * 100);
	}
	cr_expect_eq(sum, 10000, "two subjects' shares add up to 100%%");
	json_decref(counts);
	json_decref(all);
	xy_grade_model_release(&m);
}
