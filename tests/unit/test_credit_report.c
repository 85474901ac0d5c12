/* Unit tests of the public credit report (lib/report/credit_report.c): every
 * section present when empty, the 身份证号 masked, records the public view
 * leaves out absent, the same inputs rendering the same bytes, the code
 * depending on the key, issue and verify.  Generated codes and names only. */
#include <criterion/criterion.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xinyong/auth.h"
#include "xinyong/codes.h"
#include "xinyong/credit_report.h"
#include "xinyong/repair.h"
#include "xinyong/views.h"
#include "fixture.h"

#define CO "91210802MA0XYQA01T"
#define AG "11210800MAR7YF578P"
#define H "CF_XDR_MC,CF_XDR_LB,CF_XDR_SHXYM,CF_XDR_ZJHM,CF_FRDB,CF_FR_ZJHM,CF_WSH,CF_WFXW," \
	  "CF_SY,CF_YJ,CF_CFLB,CF_NR,CF_JDRQ,CF_YXQ,CF_CFJG,CF_CFJGDM,CF_SJLY,CF_SJLYDM," \
	  "CF_SXYZCD\n"
#define TAIL ",2027-12-31,营口市市场监督管理局," AG ",营口市市场监督管理局," AG ","

static xy_repairs rp;
static char ric[19];

static void setup(void)
{
	char csv[4096];
	xy_import_opts o;
	xy_batch bt;
	fx_open();
	memcpy(ric, "21080219900101123", 17);
	ric[17] = xy_ric_check_char(ric);
	ric[18] = '\0';
	/* 一般 (public a year) and 轻微 (three months: over by 2026-11-26) */
	snprintf(csv, sizeof csv,
		 H "营口报告单元测试有限公司,法人及非法人组织," CO ",,示例甲,,营市监罚〔2026〕1号,价格,"
		   "事实,依据,罚款,罚款1万元,2026-03-10" TAIL "一般\n"
		   "营口报告单元测试有限公司,法人及非法人组织," CO ",,示例甲,,营市监罚〔2026〕9号,价格,"
		   "事实,依据,警告,警告,2026-03-11" TAIL "轻微\n"
		   "测试人员丙,自然人,,%s,,,营市监罚〔2026〕4号,价格,事实,依据,罚款,罚款1千元,"
		   "2026-03-13" TAIL "一般\n",
		 ric);
	memset(&o, 0, sizeof o);
	o.unit = "市场监管局";
	o.category = "行政处罚";
	o.report_dir = fx_dir;
	OK(xy_import_file(st, &reg, fx_write("cf.csv", csv), &o, &bt, &err));
	cr_assert_eq(bt.rejected, 0, "rows rejected");
	xy_batch_release(&bt);
	OK(xy_repairs_open(&rp, &cr, NULL, &err));
}

static void teardown(void)
{
	xy_repairs_release(&rp);
	fx_close();
}

TestSuite(credit_report, .init = setup, .fini = teardown);

static json_t *profile(const char *q)
{
	json_t *v = NULL;
	xy_view_opts o = { true, NULL };
	cr_assert_eq(xy_view_profile(&rp, q, &o, &v, &err), XY_OK, "%s", err.msg);
	return v;
}

static json_t *model(const char *q)
{
	json_t *p = profile(q), *m = NULL;
	OK(xy_credit_report_model(&cr, p, "XY20261126000001", "2026-11-26T02:00:00Z", "测试信用办",
				  "https://credit.example.invalid/", &m, &err));
	json_decref(p);
	return m;
}

static json_t *sec(json_t *m, const char *title)
{
	size_t i;
	json_t *s;
	json_array_foreach(json_object_get(m, "sections"), i, s)
		if (!strcmp(json_string_value(json_object_get(s, "title")), title))
			return s;
	return NULL;
}

static bool has_text(json_t *v, const char *s)
{
	char *d = json_dumps(v, JSON_COMPACT);
	bool r = d && strstr(d, s);
	free(d);
	return r;
}

Test(credit_report, every_section_present_when_empty)
{
	static const char *const titles[] = { "基础信息", "行政许可", "行政处罚", "其他公示信息",
					      "红名单", "黑名单", "联合奖惩备忘录", "信用承诺",
					      "政府失信" };
	json_t *m = model(CO);
	cr_assert_eq(json_array_size(json_object_get(m, "sections")), 9);
	for (size_t i = 0; i < 9; i++)
		cr_expect(sec(m, titles[i]) != NULL, "no section %s", titles[i]);
	cr_expect_eq(json_array_size(json_object_get(sec(m, "行政许可"), "rows")), 0);
	cr_expect_eq(json_array_size(json_object_get(sec(m, "黑名单"), "rows")), 0);
	cr_expect_eq(json_array_size(json_object_get(sec(m, "基础信息"), "rows")), 4);
	cr_expect_str_eq(json_string_value(json_object_get(m, "verify_url")),
			 "https://credit.example.invalid/api/v1/reports/XY20261126000001/verify");
	json_decref(m);
}

Test(credit_report, a_persons_number_masked)
{
	json_t *m = model(ric);
	cr_expect(!has_text(m, ric), "the full 身份证号 is in the model");
	cr_expect(has_text(m, "210802"), "the masked number's visible part");
	cr_expect_str_eq(json_string_value(json_object_get(json_object_get(m, "subject"),
							   "code_label")),
			 "身份证号（已脱敏）");
	json_decref(m);
}

Test(credit_report, records_not_published_are_absent)
{
	json_t *m = model(CO), *rows = json_object_get(sec(m, "行政处罚"), "rows");
	/* the 轻微 penalty's three months ended before 2026-11-26 */
	cr_expect_eq(json_array_size(rows), 1);
	cr_expect(has_text(rows, "营市监罚〔2026〕1号"));
	cr_expect(!has_text(m, "营市监罚〔2026〕9号"), "a record past its publication is shown");
	json_decref(m);
}

Test(credit_report, office_view_refused)
{
	json_t *v = NULL, *m = NULL;
	xy_view_opts o = { false, NULL };
	OK(xy_view_profile(&rp, CO, &o, &v, &err));
	cr_expect_eq(xy_credit_report_model(&cr, v, "XY20261126000001", "2026-11-26T02:00:00Z",
					    "x", "", &m, &err),
		     XY_ERR_ARG);
	cr_expect_null(m);
	json_decref(v);
}

Test(credit_report, same_inputs_same_bytes)
{
	json_t *m = model(CO);
	xy_buf a = XY_BUF_INIT, b = XY_BUF_INIT;
	OK(xy_credit_report_pdf(m, "ABCDEFGHIJKLMNOP", &a, &err));
	OK(xy_credit_report_pdf(m, "ABCDEFGHIJKLMNOP", &b, &err));
	cr_assert(a.len > 1000);
	cr_expect_eq(memcmp(a.data, "%PDF-", 5), 0);
	cr_expect(a.len == b.len && memcmp(a.data, b.data, a.len) == 0, "two renderings differ");
	xy_buf_reset(&b);
	OK(xy_credit_report_pdf(m, "ABCDEFGHIJKLMNOQ", &b, &err));
	cr_expect(a.len != b.len || memcmp(a.data, b.data, a.len) != 0, "the code is not printed");
	xy_buf_release(&a);
	xy_buf_release(&b);
	json_decref(m);
}

Test(credit_report, the_code_depends_on_the_key)
{
	json_t *m = model(CO);
	char c1[XY_REPORT_CODE_LEN + 1], c2[XY_REPORT_CODE_LEN + 1], c3[XY_REPORT_CODE_LEN + 1];
	xy_store *other = NULL;
	OK(xy_credit_report_code(st, m, c1, &err));
	OK(xy_credit_report_code(st, m, c2, &err));
	cr_expect_str_eq(c1, c2);
	cr_expect_eq(strlen(c1), XY_REPORT_CODE_LEN);
	/* another database, another key file: another code for the same model */
	OK(xy_store_open(&other, fx_write("other.db", ""), NULL, &err));
	OK(xy_credit_report_code(other, m, c3, &err));
	cr_expect_str_neq(c1, c3);
	xy_store_close(other);
	/* another model (a changed number), another code */
	json_object_set_new(m, "number", json_string("XY20261126000002"));
	OK(xy_credit_report_code(st, m, c3, &err));
	cr_expect_str_neq(c1, c3);
	json_decref(m);
}

/* The after-digest of the last report.issue audit entry, into ctx (65 bytes). */
static int issue_after(void *ctx, const xy_audit_view *v)
{
	snprintf(ctx, 65, "%s", v->after ? v->after : "");
	return 0;
}

Test(credit_report, issue_then_verify)
{
	json_t *p = profile(CO), *out = NULL, *v = NULL;
	xy_buf pdf = XY_BUF_INIT;
	xy_credit_report_opts o = { "test:unit", NULL, 1795658400 }; /* 2026-11-26 */
	const char *number, *code;
	OK(xy_credit_report_issue(&cr, p, &o, &pdf, &out, &err));
	number = json_string_value(json_object_get(out, "number"));
	code = json_string_value(json_object_get(out, "code"));
	cr_expect(xy_credit_report_number_ok(number), "%s", number);
	{
		/* the audit entry's after-digest is the PDF's SHA-256 (given by the
		 * report, not hashed a second time) */
		xy_audit_filter f = { .action = "report.issue" };
		char after[65] = "", want[65];
		xy_audit_digest(pdf.data, pdf.len, want);
		OK(xy_audit_list(st, &f, issue_after, after, &err));
		cr_expect_str_eq(after, want);
		cr_expect_str_eq(json_string_value(json_object_get(out, "sha256")), want);
	}
	OK(xy_credit_report_verify(st, number, pdf.data, pdf.len, NULL, &v, &err));
	cr_expect_str_eq(json_string_value(json_object_get(v, "status")), "genuine");
	json_decref(v);
	OK(xy_credit_report_verify(st, number, NULL, 0, code, &v, &err));
	cr_expect_str_eq(json_string_value(json_object_get(v, "status")), "genuine");
	json_decref(v);
	pdf.data[pdf.len / 2] ^= 1;
	OK(xy_credit_report_verify(st, number, pdf.data, pdf.len, NULL, &v, &err));
	cr_expect_str_eq(json_string_value(json_object_get(v, "status")), "altered");
	cr_expect_null(json_object_get(v, "report"));
	json_decref(v);
	OK(xy_credit_report_verify(st, "XY20000101000001", NULL, 0, code, &v, &err));
	cr_expect_str_eq(json_string_value(json_object_get(v, "status")), "unknown");
	json_decref(v);
	cr_expect_eq(xy_credit_report_verify(st, "../x", NULL, 0, code, &v, &err), XY_ERR_ARG);
	cr_expect_eq(xy_credit_report_verify(st, number, NULL, 0, "short", &v, &err), XY_ERR_ARG);
	xy_buf_release(&pdf);
	json_decref(out);
	json_decref(p);
}

/* pdftotext's text of a PDF (pages separated by form feeds), malloc'd. */
static char *pdf_text(const xy_buf *pdf)
{
	xy_buf cmd = XY_BUF_INIT, out = XY_BUF_INIT;
	char chunk[65536];
	FILE *p = fopen(fx_write("long.pdf", ""), "wb");
	size_t n;
	cr_assert_not_null(p);
	cr_assert_eq(fwrite(pdf->data, 1, pdf->len, p), pdf->len);
	cr_assert_eq(fclose(p), 0);
	cr_assert_eq(xy_buf_addf(&cmd, "pdftotext '%s/long.pdf' - 2>&1", fx_dir), 0);
	cr_assert_not_null(p = popen(cmd.data, "r"));
	while ((n = fread(chunk, 1, sizeof chunk, p)) > 0)
		cr_assert_eq(xy_buf_add(&out, chunk, n), 0);
	pclose(p);
	xy_buf_release(&cmd);
	return xy_buf_detach(&out, NULL);
}

/* A subject with 200 penalties and a name wider than a line: every record is
 * in the PDF, the table's header is repeated on every page the table goes
 * on to, and the name wraps whole (never cut). */
Test(credit_report, two_hundred_records_every_one_on_some_page)
{
	static const char name[] = "营口市鲅鱼圈区经济技术开发区沿海产业基地新材料科技研发"
				   "生产销售及进出口贸易综合服务集团股份有限公司第二分公司";
	xy_buf csv = XY_BUF_INIT, pdf = XY_BUF_INIT, flat = XY_BUF_INIT;
	json_t *m;
	char *text, doc[64];
	int with_rows = 0, with_header = 0;
	cr_assert_eq(xy_buf_addstr(&csv, H), 0);
	for (int i = 1; i <= 200; i++)
		cr_assert_eq(xy_buf_addf(&csv,
					 "%s,法人及非法人组织,91210802MA0XYQB02K,,示例乙,,营市监罚〔2025〕%d号,"
					 "价格,事实,依据,罚款,罚款%d元,2026-%02d-%02d" TAIL "一般\n",
					 name, i, 1000 + i, i % 9 + 1, i % 27 + 1),
			     0);
	fx_import("市场监管局", "行政处罚", csv.data);
	m = model("91210802MA0XYQB02K");
	cr_assert_eq(json_array_size(json_object_get(sec(m, "行政处罚"), "rows")), 200);
	OK(xy_credit_report_pdf(m, "ABCDEFGHIJKLMNOP", &pdf, &err));
	text = pdf_text(&pdf);
	for (const char *p = text; *p; p++)
		if (*p != '\n')
			cr_assert_eq(xy_buf_addch(&flat, *p), 0);
	for (int i = 1; i <= 200; i++) {
		snprintf(doc, sizeof doc, "营市监罚〔2025〕%d号\n", i);
		cr_expect(strstr(text, doc) != NULL, "record %d is not in the PDF", i);
	}
	/* the name: on no single line (it wraps), whole once the lines are joined */
	cr_expect(strstr(flat.data, name) != NULL, "the name is cut");
	for (char *line = text; line; line = strchr(line, '\n') ? strchr(line, '\n') + 1 : NULL) {
		const char *end = strchr(line, '\n');
		cr_expect(!end || !memmem(line, (size_t)(end - line), name, strlen(name)),
			  "the long name does not wrap");
		if (!end)
			break;
	}
	for (char *page = text, *next; page && *page; page = next) {
		if ((next = strchr(page, '\f')))
			*next++ = '\0';
		if (!strstr(page, "营市监罚〔2025〕"))
			continue;
		with_rows++;
		with_header += strstr(page, "决定日期") && strstr(page, "报送单位") &&
			       strstr(page, "主要内容") && strstr(page, "公示状态");
	}
	cr_expect(with_rows > 3, "200 records on %d pages only", with_rows);
	cr_expect_eq(with_header, with_rows, "the header is on %d of %d pages with records",
		     with_header, with_rows);
	cr_expect(strstr(flat.data, "三、行政处罚（续）") != NULL, "a continued table names its section");
	free(text);
	xy_buf_release(&csv);
	xy_buf_release(&flat);
	xy_buf_release(&pdf);
	json_decref(m);
}

/* A record's key fields are one paragraph each in their cell, laid out one
 * by one and stacked (the lines every record repeats are shaped once): each
 * still starts its own line, in the registry's order, below the one before
 * (stacked at the same height they would run together into one line), and
 * a paragraph too wide for the column wraps whole under itself. */
Test(credit_report, key_fields_one_line_each_in_order)
{
	static const char fact[] = "经查当事人在经营场所销售的多种商品未按规定明码标价，且在价格"
				   "标签上标示的内容与实际收费不一致，经责令改正后仍未改正";
	static const char *const after[] = { "\n违法行为类型：价格", "\n违法事实：",
					     "\n处罚依据：依据", "\n处罚类别：罚款" };
	xy_buf csv = XY_BUF_INIT, pdf = XY_BUF_INIT, flat = XY_BUF_INIT;
	json_t *m;
	char *text, doc[80];
	int whole = 0;
	cr_assert_eq(xy_buf_addstr(&csv, H), 0);
	for (int i = 1; i <= 3; i++)
		cr_assert_eq(xy_buf_addf(&csv,
					 "营口段落测试有限公司,法人及非法人组织,91210802MA0XYQB02K,,示例乙,,"
					 "营市监罚〔2025〕%d号,价格,%s,依据,罚款,罚款%d元,2026-03-%02d" TAIL
					 "一般\n",
					 i, fact, 1000 + i, i + 1),
			     0);
	fx_import("市场监管局", "行政处罚", csv.data);
	m = model("91210802MA0XYQB02K");
	OK(xy_credit_report_pdf(m, "ABCDEFGHIJKLMNOP", &pdf, &err));
	text = pdf_text(&pdf);
	for (int i = 1; i <= 3; i++) {
		const char *p;
		snprintf(doc, sizeof doc, "\n行政处罚决定书文号：营市监罚〔2025〕%d号\n", i);
		p = strstr(text, doc);
		cr_expect(p != NULL, "record %d's first field does not start a line", i);
		for (size_t k = 0; p && k < sizeof after / sizeof *after; k++) {
			p = strstr(p, after[k]);
			cr_expect(p != NULL, "record %d: '%s' is not on a line of its own after the "
					     "fields before it", i, after[k] + 1);
		}
	}
	for (const char *p = text; *p; p++)
		if (*p != '\n')
			cr_assert_eq(xy_buf_addch(&flat, *p), 0);
	for (const char *p = flat.data; (p = strstr(p, fact)); p += strlen(fact))
		whole++;
	cr_expect_eq(whole, 3, "the long fact is whole %d times of 3", whole);
	cr_expect(strstr(text, fact) == NULL, "the long fact does not wrap");
	free(text);
	xy_buf_release(&csv);
	xy_buf_release(&flat);
	xy_buf_release(&pdf);
	json_decref(m);
}
