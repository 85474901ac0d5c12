/* xinyong: the public credit report (公共信用信息报告): its model, its PDF,
 * issuing and verifying it (credit_report.h, docs/credit-report.md). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sodium.h>

#include "xinyong/auth.h"
#include "xinyong/bulletin.h"
#include "xinyong/credit_report.h"
#include "xinyong/date.h"
#include "xinyong/text.h"
#include "pdf.h"

#define TITLE "公共信用信息报告"
#define NONE_TEXT "无"

static const char *str(json_t *o, const char *k)
{
	const char *s = json_string_value(json_object_get(o, k));
	return s ? s : "";
}

/* s, or "—" when empty (a cell never looks forgotten). */
static const char *or_dash(const char *s)
{
	return s && *s ? s : "—";
}

bool xy_credit_report_number_ok(const char *s)
{
	if (!s || strncmp(s, "XY", 2) || strlen(s) != 16)
		return false;
	for (s += 2; *s; s++)
		if (*s < '0' || *s > '9')
			return false;
	return true;
}

/* ---- the model ---- */

/* A section: {"title","columns":[…],"rows":[]}. */
static json_t *section(json_t *sections, const char *title, const char *const *cols)
{
	json_t *c = json_array(), *s;
	for (size_t i = 0; cols[i]; i++)
		json_array_append_new(c, json_string(cols[i]));
	s = json_pack("{s:s,s:o,s:[]}", "title", title, "columns", c, "rows");
	if (s && json_array_append_new(sections, s))
		return NULL;
	return s;
}

/* Append a row of n cells (strings, NULL as "—"). */
static int row(json_t *sec, size_t n, const char *const *cells)
{
	json_t *r = json_array();
	for (size_t i = 0; r && i < n; i++)
		if (json_array_append_new(r, xy_json_text(or_dash(cells[i]), NULL))) {
			json_decref(r);
			r = NULL;
		}
	return r ? json_array_append_new(json_object_get(sec, "rows"), r) : -1;
}

static void seqno(char out[16], json_t *sec)
{
	snprintf(out, 16, "%zu", json_array_size(json_object_get(sec, "rows")) + 1);
}

/* A record's key fields: "名称：值" lines by the registry's field order,
 * without the subject's identity (the report's heading names it). */
static int record_content(const xy_registry *reg, json_t *rec, xy_buf *out)
{
	const xy_category *cat = xy_registry_category(reg, str(rec, "category"));
	json_t *data = json_object_get(rec, "data");
	xy_buf_reset(out);
	if (!strcmp(str(rec, "display"), "异议处理中"))
		return xy_buf_addstr(out, "（异议处理中，内容暂不公示）");
	for (size_t i = 0; cat && i < cat->nfields; i++) {
		const xy_field *f = &cat->fields[i];
		json_t *v = json_object_get(data, f->code);
		const char *s = json_string_value(v);
		char num[32];
		if (f->role >= XY_ROLE_SUBJ_NAME && f->role <= XY_ROLE_SUBJ_IDNO)
			continue;
		if (!s && json_is_number(v)) {
			snprintf(num, sizeof num, "%g", json_number_value(v));
			s = num;
		}
		if (!s || !*s)
			continue;
		if ((out->len && xy_buf_addch(out, '\n')) ||
		    xy_buf_addf(out, "%s：%s", f->name, s))
			return -1;
	}
	return out->len ? 0 : xy_buf_addstr(out, "—");
}

static int record_rows(const xy_credit *c, json_t *profile, json_t *sec, const char *category,
		       bool others)
{
	static const char *const other_cats[] = { "行政许可", "行政处罚", NULL };
	size_t i;
	json_t *rec;
	xy_buf content = XY_BUF_INIT, status = XY_BUF_INIT;
	int rc = 0;
	json_array_foreach(json_object_get(profile, "records"), i, rec) {
		const char *cat = str(rec, "category");
		bool main_cat = !strcmp(cat, other_cats[0]) || !strcmp(cat, other_cats[1]);
		char n[16];
		const char *last = str(json_object_get(rec, "publication"), "last");
		if (others ? main_cat : strcmp(cat, category))
			continue;
		seqno(n, sec);
		xy_buf_reset(&status);
		if ((rc = record_content(c->reg, rec, &content)) ||
		    (rc = xy_buf_addstr(&status, str(rec, "display"))) ||
		    (*last && (rc = xy_buf_addf(&status, "（公示至 %s）", last))))
			break;
		if (others) {
			const char *cells[] = { n, cat, str(rec, "decided_on"), str(rec, "unit"),
						content.data, status.data };
			rc = row(sec, 6, cells);
		} else {
			const char *cells[] = { n, str(rec, "decided_on"), str(rec, "unit"),
						content.data, status.data };
			rc = row(sec, 5, cells);
		}
		if (rc)
			break;
	}
	xy_buf_release(&content);
	xy_buf_release(&status);
	return rc;
}

static const xy_list_type *list_type(const xy_credit *c, const char *name)
{
	for (size_t i = 0; i < c->cat.nlist_types; i++)
		if (!strcmp(c->cat.list_types[i].name, name))
			return &c->cat.list_types[i];
	return NULL;
}

static int entry_rows(const xy_credit *c, json_t *profile, json_t *sec, xy_list_kind kind)
{
	size_t i;
	json_t *e;
	json_array_foreach(json_object_get(profile, "list_entries"), i, e) {
		const xy_list_type *lt = list_type(c, str(e, "list_type"));
		char n[16];
		if (!lt || lt->kind != kind)
			continue;
		seqno(n, sec);
		const char *cells[] = { n, str(e, "list_type"), str(e, "unit"), str(e, "doc"),
					str(e, "from"), str(e, "to"), str(e, "status") };
		if (row(sec, 7, cells))
			return -1;
	}
	return 0;
}

/* The memoranda that name a list type one of the subject's entries is on. */
static int memo_rows(const xy_credit *c, json_t *profile, json_t *sec)
{
	json_t *entries = json_object_get(profile, "list_entries");
	for (size_t m = 0; m < c->cat.nmemoranda; m++) {
		const xy_memorandum *mm = &c->cat.memoranda[m];
		xy_buf lists = XY_BUF_INIT;
		char n[16], measures[24];
		int rc = 0;
		for (size_t k = 0; k < mm->nlist_types && !rc; k++) {
			size_t i;
			json_t *e;
			json_array_foreach(entries, i, e) {
				if (strcmp(str(e, "list_type"), mm->list_types[k]))
					continue;
				rc = (lists.len && xy_buf_addstr(&lists, "、")) ||
				     xy_buf_addstr(&lists, mm->list_types[k]);
				break;
			}
		}
		if (!rc && lists.len) {
			seqno(n, sec);
			snprintf(measures, sizeof measures, "%zu", mm->nmeasures);
			const char *cells[] = { n, mm->doc, mm->title, lists.data, measures };
			rc = row(sec, 5, cells);
		}
		xy_buf_release(&lists);
		if (rc)
			return -1;
	}
	return 0;
}

static int commitment_rows(json_t *profile, json_t *sec)
{
	size_t i;
	json_t *o;
	json_array_foreach(json_object_get(profile, "commitments"), i, o) {
		char n[16];
		seqno(n, sec);
		const char *cells[] = { n, str(o, "no"), str(o, "type"), str(o, "matter"),
					str(o, "date"), str(o, "deadline"), str(o, "status_zh") };
		if (row(sec, 7, cells))
			return -1;
	}
	return 0;
}

static int gov_rows(json_t *profile, json_t *sec)
{
	size_t i;
	json_t *o;
	json_array_foreach(json_object_get(profile, "gov_dishonesty"), i, o) {
		char n[16];
		seqno(n, sec);
		const char *cells[] = { n, str(o, "case_type"), str(o, "source"), str(o, "date"),
					str(o, "status") };
		if (row(sec, 5, cells))
			return -1;
	}
	return 0;
}

/* The grade the office publishes: the public profile's "grade" (docs/grading.md "Public
 * grades": only when the office publishes grades, and only a subject graded by the profile's
 * date), as three rows of 基础信息: the letter and its date, the model with the SHA-256 of its
 * text, and the note that the model is an example.  Never the score or the explanation, as
 * on the profile: the report shows no more than the public profile does. */
static int grade_rows(json_t *g, json_t *sec)
{
	xy_buf v = XY_BUF_INIT, model = XY_BUF_INIT;
	int bad = xy_buf_addf(&v, "%s（评定日期 %s）", str(g, "grade"), str(g, "as_of")) ||
		  xy_buf_addf(&model, "%s（SHA-256 %s）", str(g, "model"), str(g, "sha256"));
	if (!bad) {
		const char *r1[] = { "信用等级", v.data };
		const char *r2[] = { "分级模型", model.data };
		const char *r3[] = { "等级说明", str(g, "note") };
		bad = row(sec, 2, r1) || row(sec, 2, r2) || row(sec, 2, r3);
	}
	xy_buf_release(&v);
	xy_buf_release(&model);
	return bad;
}

static const char *code_label(const char *code_type)
{
	if (!strcmp(code_type, "uscc"))
		return "统一社会信用代码";
	if (!strcmp(code_type, "regno"))
		return "工商注册号";
	if (!strcmp(code_type, "org"))
		return "组织机构代码";
	return "身份证号（已脱敏）";
}

xy_code xy_credit_report_model(const xy_credit *c, json_t *profile, const char *number,
			       const char *generated_at, const char *office, const char *site,
			       json_t **out, xy_error *err)
{
	static const char *const basic_cols[] = { "项目", "内容", NULL };
	static const char *const rec_cols[] = { "序号", "决定日期", "报送单位", "主要内容",
						"公示状态", NULL };
	static const char *const other_cols[] = { "序号", "类别", "决定日期", "报送单位",
						  "主要内容", "公示状态", NULL };
	static const char *const list_cols[] = { "序号", "名单", "认定单位", "认定文书号",
						 "列入日期", "有效期至", "状态", NULL };
	static const char *const memo_cols[] = { "序号", "文号", "备忘录名称", "适用名单",
						 "措施数", NULL };
	static const char *const cm_cols[] = { "序号", "承诺书编号", "类型", "承诺事项",
					       "签署日期", "承诺期限", "履约状态", NULL };
	static const char *const gov_cols[] = { "序号", "案件类型", "信息来源", "认定日期",
						"状态", NULL };
	json_t *subj = json_object_get(profile, "subject"), *m, *secs, *s;
	xy_buf url = XY_BUF_INIT;
	const char *district;
	int bad = 0;
	*out = NULL;
	if (!json_is_object(subj) || json_object_get(profile, "cases") ||
	    !json_is_string(json_object_get(profile, "as_of")))
		return xy_error_set(err, XY_ERR_ARG,
				    "a credit report is made from the public profile view only");
	if (site && *site) {
		size_t n = strlen(site);
		while (n && site[n - 1] == '/')
			n--;
		if (xy_buf_add(&url, site, n) ||
		    xy_buf_addf(&url, "/api/v1/reports/%s/verify", number))
			return xy_error_set(err, XY_ERR_NOMEM, "out of memory");
	}
	m = json_pack("{s:s,s:s,s:s,s:O,s:o,s:s,s:{s:o,s:o,s:s,s:s},s:[]}", "title", TITLE, "number",
		      number, "generated_at", generated_at, "data_as_of",
		      json_object_get(profile, "as_of"), "office", xy_json_text(office, NULL),
		      "verify_url", url.data ? url.data : "", "subject", "name",
		      xy_json_text(str(subj, "name"), NULL), "code",
		      xy_json_text(str(subj, "code"), NULL), "code_label",
		      code_label(str(subj, "code_type")), "kind_zh", str(subj, "kind_zh"),
		      "sections");
	xy_buf_release(&url);
	if (!m)
		return xy_error_set(err, XY_ERR_NOMEM, "out of memory");
	secs = json_object_get(m, "sections");
	district = str(subj, "district");
	if (!(s = section(secs, "基础信息", basic_cols)))
		bad = 1;
	else {
		const char *r1[] = { "主体名称", str(subj, "name") };
		const char *r2[] = { code_label(str(subj, "code_type")), str(subj, "code") };
		const char *r3[] = { "主体类型", str(subj, "kind_zh") };
		const char *r4[] = { "所属区县", *district ? district : str(subj, "division") };
		bad = row(s, 2, r1) || row(s, 2, r2) || row(s, 2, r3) || row(s, 2, r4);
		if (!bad && json_is_object(json_object_get(profile, "grade")))
			bad = grade_rows(json_object_get(profile, "grade"), s);
	}
	bad = bad || !(s = section(secs, "行政许可", rec_cols)) ||
	      record_rows(c, profile, s, "行政许可", false);
	bad = bad || !(s = section(secs, "行政处罚", rec_cols)) ||
	      record_rows(c, profile, s, "行政处罚", false);
	bad = bad || !(s = section(secs, "其他公示信息", other_cols)) ||
	      record_rows(c, profile, s, NULL, true);
	bad = bad || !(s = section(secs, "红名单", list_cols)) ||
	      entry_rows(c, profile, s, XY_LIST_RED);
	bad = bad || !(s = section(secs, "黑名单", list_cols)) ||
	      entry_rows(c, profile, s, XY_LIST_BLACK);
	bad = bad || !(s = section(secs, "联合奖惩备忘录", memo_cols)) || memo_rows(c, profile, s);
	bad = bad || !(s = section(secs, "信用承诺", cm_cols)) || commitment_rows(profile, s);
	bad = bad || !(s = section(secs, "政府失信", gov_cols)) || gov_rows(profile, s);
	if (bad) {
		json_decref(m);
		return xy_error_set(err, XY_ERR_NOMEM, "out of memory");
	}
	*out = m;
	return XY_OK;
}

/* ---- the PDF ---- */

#define M_TOP (22 * XY__PT_PER_MM)
#define M_BOTTOM (28 * XY__PT_PER_MM)
#define M_SIDE (20 * XY__PT_PER_MM)
#define TEXT_W (XY__A4_W - 2 * M_SIDE)
#define BLUE 0x1F4E79u
#define GREY 0x555555u

static const char *const numerals[] = { "一", "二", "三", "四", "五", "六", "七", "八",
					"九", "十", "十一", "十二" };

typedef struct footer_ctx {
	const char *number, *code, *url;
	int pages; /* 0 on the counting pass */
} footer_ctx;

/* "ABCD-EFGH-JKLM-NPQR" */
static void code_dashed(const char *code, char out[XY_REPORT_CODE_LEN + 4])
{
	size_t k = 0;
	for (size_t i = 0; code[i] && i < XY_REPORT_CODE_LEN; i++) {
		if (i && i % 4 == 0)
			out[k++] = '-';
		out[k++] = code[i];
	}
	out[k] = '\0';
}

static void footer(xy__doc *d)
{
	const footer_ctx *f = d->ctx;
	char dashed[XY_REPORT_CODE_LEN + 4];
	xy_buf t = XY_BUF_INIT;
	PangoLayout *l;
	double y = XY__A4_H - M_BOTTOM + 10;
	code_dashed(f->code, dashed);
	xy__pdf_ink(d->cr, GREY);
	cairo_set_line_width(d->cr, 0.6);
	cairo_move_to(d->cr, M_SIDE, y);
	cairo_line_to(d->cr, M_SIDE + TEXT_W, y);
	cairo_stroke(d->cr);
	if (f->pages)
		xy_buf_addf(&t, "报告编号：%s　　验证码：%s　　第 %d/%d 页\n", f->number, dashed,
			    d->page, f->pages);
	else
		xy_buf_addf(&t, "报告编号：%s　　验证码：%s　　第 %d/%d 页\n", f->number, dashed,
			    d->page, d->page);
	if (*f->url)
		xy_buf_addf(&t, "可通过 %s 核验本报告的真实性（凭验证码或上传本文件）", f->url);
	else
		xy_buf_addf(&t, "可通过 /api/v1/reports/%s/verify 核验本报告的真实性（凭验证码或上传本文件）",
			    f->number);
	if (!t.data)
		return; /* out of memory: the page goes without its footer line */
	l = xy__pdf_lay(d, t.data, 8, 0, TEXT_W, 1.3);
	xy__pdf_show(d, l, M_SIDE, y + 4);
	g_object_unref(l);
	xy_buf_release(&t);
}

/* 2026-12-02T07:31:20Z → "2026-12-02 15:31:20（北京时间）". */
static void beijing_time(const char *iso, char *out, size_t n)
{
	struct tm tm;
	memset(&tm, 0, sizeof tm);
	if (!strptime(iso, "%Y-%m-%dT%H:%M:%SZ", &tm)) {
		snprintf(out, n, "%s", iso);
		return;
	}
	time_t t = timegm(&tm) + 8 * 3600;
	gmtime_r(&t, &tm);
	strftime(out, n, "%Y-%m-%d %H:%M:%S（北京时间）", &tm);
}

static xy_code pdf_section(xy__doc *d, json_t *sec, size_t k)
{
	json_t *cols = json_object_get(sec, "columns"), *rows = json_object_get(sec, "rows");
	xy_buf h = XY_BUF_INIT;
	xy__grid g;
	size_t i, ncols = json_array_size(cols);
	json_t *r;
	xy_code rc = XY_ERR_NOMEM;
	if (xy_buf_addf(&h, "%s、%s", k < 12 ? numerals[k] : "十", str(sec, "title")))
		return XY_ERR_NOMEM;
	d->y += 6;
	xy__pdf_need(d, 70); /* a heading never ends a page */
	xy__pdf_text(d, h.data, 12.5, XY__F_BOLD, BLUE, 0, 0, 5);
	if (!json_array_size(rows)) {
		xy__pdf_text(d, NONE_TEXT, 10.5, XY__F_INDENT, XY__PDF_INK, 0, 0, 6);
		xy_buf_release(&h);
		return XY_OK;
	}
	if (!xy__grid_init(&g, ncols, json_array_size(rows)))
		goto out;
	g.fs = 8.5;
	g.cont = h.data; /* a page the table goes on to says "三、行政处罚（续）" */
	for (size_t c = 0; c < ncols; c++) {
		const char *name = json_string_value(json_array_get(cols, c));
		g.left[c] = strcmp(name, "序号") != 0;
		if (!xy__grid_cell(&g.head[c], name))
			goto out;
	}
	json_array_foreach(rows, i, r) {
		if (!xy__grid_row(&g, XY__ROW_BODY))
			goto out;
		for (size_t c = 0; c < ncols; c++)
			if (!xy__grid_cell(&g.cells[i][c], json_string_value(json_array_get(r, c))))
				goto out;
	}
	rc = xy__pdf_grid(d, &g, TEXT_W, 10);
out:
	xy__grid_free(&g);
	xy_buf_release(&h);
	return rc;
}

static xy_code pdf_body(xy__doc *d, json_t *m, const char *code)
{
	json_t *subj = json_object_get(m, "subject"), *sec;
	char when[96], dashed[XY_REPORT_CODE_LEN + 4];
	xy_buf t = XY_BUF_INIT;
	size_t k;
	xy_code rc = XY_OK;
	d->y = M_TOP + 4;
	xy__pdf_text(d, TITLE, 24, XY__F_BOLD | XY__F_CENTER, BLUE, 0, 0, 4);
	xy__pdf_text(d, "（供企业、银行及招投标等场景使用）", 10, XY__F_CENTER, GREY, 0, 0, 14);
	beijing_time(str(m, "generated_at"), when, sizeof when);
	code_dashed(code, dashed);
	if (xy_buf_addf(&t,
			"报告编号：%s\n生成时间：%s\n数据截止：%s\n出具机构：%s\n验证码：%s\n"
			"信用主体：%s\n%s：%s\n主体类型：%s",
			str(m, "number"), when, str(m, "data_as_of"), str(m, "office"), dashed,
			str(subj, "name"), str(subj, "code_label"), or_dash(str(subj, "code")),
			str(subj, "kind_zh")))
		return XY_ERR_NOMEM;
	xy__pdf_text(d, t.data, 10.5, 0, XY__PDF_INK, 1.5, 0, 8);
	xy_buf_release(&t);
	xy__pdf_text(d,
		     "说明：本报告依据信用主体在本平台公示的公共信用信息生成，仅包含按规定公开的信息"
		     "（自然人身份证号已脱敏）；公示期满、已修复或已撤销的信息不再列入。各栏目无记录的"
		     "注明“无”。",
		     9, XY__F_JUSTIFY, GREY, 1.4, 0, 8);
	json_array_foreach(json_object_get(m, "sections"), k, sec)
		if ((rc = pdf_section(d, sec, k)))
			return rc;
	d->y += 8;
	xy__pdf_need(d, 40);
	xy__pdf_text(d, "（报告结束）", 10, XY__F_CENTER, GREY, 0, 0, 0);
	return rc;
}

static cairo_status_t to_buf(void *closure, const unsigned char *data, unsigned int len)
{
	return xy_buf_add(closure, data, len) ? CAIRO_STATUS_NO_MEMORY : CAIRO_STATUS_SUCCESS;
}

/* One pass over the report.  pages 0 is the counting pass: a dry document
 * that lays everything out (keeping the layouts in lays) and counts the
 * pages into *count; then the drawing pass with the same layouts. */
static xy_code render(json_t *m, const char *code, int pages, int *count, xy_buf *pdf,
		      xy__lays *lays, xy_error *err)
{
	footer_ctx f = { str(m, "number"), code, str(m, "verify_url"), pages };
	xy_buf title = XY_BUF_INIT;
	char created[32];
	xy__doc d;
	xy_code rc;
	const char *g = str(m, "generated_at");
	memset(&d, 0, sizeof d);
	d.err = err;
	d.top = M_TOP;
	d.bottom = XY__A4_H - M_BOTTOM;
	d.left = M_SIDE;
	d.width = TEXT_W;
	d.footer = footer;
	d.ctx = &f;
	d.dry = pages == 0;
	d.lays = lays;
	lays->replay = !d.dry;
	lays->next = 0;
	/* cairo's date: YYYY-MM-DDThh:mm:ss, the zone after it */
	snprintf(created, sizeof created, "%.19s", g);
	if (xy_buf_addf(&title, "%s %s %s", TITLE, str(json_object_get(m, "subject"), "name"),
			str(m, "number")))
		return xy_error_set(err, XY_ERR_NOMEM, "out of memory");
	xy__pdf_open(&d, to_buf, pdf, title.data, str(m, "office"),
		     strlen(g) >= 19 ? created : NULL);
	xy_buf_release(&title);
	rc = pdf_body(&d, m, code);
	*count = d.page;
	return xy__pdf_close(&d, "credit report", rc, err);
}

xy_code xy_credit_report_pdf(json_t *model, const char *code, xy_buf *pdf, xy_error *err)
{
	int pages = 0, again = 0;
	xy__lays lays = { 0 };
	xy_code rc;
	/* the footer says "page X/Y": lay out once to count Y (drawing
	 * nothing), then draw with the same layouts */
	if (!(rc = render(model, code, 0, &pages, pdf, &lays, err)))
		rc = render(model, code, pages, &again, pdf, &lays, err);
	xy__lays_release(&lays);
	return rc;
}

/* ---- code, issue, verify ---- */

static void base32(const unsigned char *in, size_t n, char *out, size_t chars)
{
	static const char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
	unsigned buf = 0;
	int bits = 0;
	size_t k = 0;
	for (size_t i = 0; i < n && k < chars; i++) {
		buf = (buf << 8) | in[i];
		bits += 8;
		while (bits >= 5 && k < chars) {
			out[k++] = alphabet[(buf >> (bits - 5)) & 31];
			bits -= 5;
		}
	}
	out[k] = '\0';
}

static void hex(const unsigned char *d, size_t n, char *out)
{
	sodium_bin2hex(out, 2 * n + 1, d, n);
}

xy_code xy_credit_report_code(xy_store *s, json_t *model, char code[XY_REPORT_CODE_LEN + 1],
			      xy_error *err)
{
	char *text = json_dumps(model, JSON_COMPACT | JSON_SORT_KEYS);
	unsigned char digest[crypto_hash_sha256_BYTES], mac[32];
	xy_buf msg = XY_BUF_INIT;
	char dhex[2 * sizeof digest + 1];
	xy_code rc;
	if (!text)
		return xy_error_set(err, XY_ERR_NOMEM, "out of memory");
	crypto_hash_sha256(digest, (const unsigned char *)text, strlen(text));
	free(text);
	hex(digest, sizeof digest, dhex);
	if (xy_buf_addf(&msg, "xinyong credit report\n%s\n%s", str(model, "number"), dhex))
		return xy_error_set(err, XY_ERR_NOMEM, "out of memory");
	rc = xy_store_report_mac(s, msg.data, msg.len, mac, err);
	xy_buf_release(&msg);
	if (!rc)
		base32(mac, sizeof mac, code, XY_REPORT_CODE_LEN);
	return rc;
}

/* bulletin.tsv's office and website. */
static xy_code office_of(const char *config_dir, xy_bulletin **b, xy_error *err)
{
	xy_buf path = XY_BUF_INIT;
	xy_code rc;
	if (!(*b = xy_bulletin_new()) ||
	    xy_buf_addf(&path, "%s/bulletin.tsv",
			config_dir ? config_dir : xy_registry_default_dir()))
		return xy_error_set(err, XY_ERR_NOMEM, "out of memory");
	rc = xy_bulletin_load_config(*b, path.data, err);
	xy_buf_release(&path);
	return rc;
}

xy_code xy_credit_report_issue(xy_credit *c, json_t *profile, const xy_credit_report_opts *o,
			       xy_buf *pdf, json_t **out, xy_error *err)
{
	static const xy_credit_report_opts none = { 0 };
	xy_store *s = c->store;
	xy_bulletin *b = NULL;
	json_t *m = NULL, *subj = json_object_get(profile, "subject");
	char number[48], day[11], at[32], code[XY_REPORT_CODE_LEN + 1], dashed[24];
	unsigned char digest[crypto_hash_sha256_BYTES];
	char dhex[2 * sizeof digest + 1];
	int64_t seq = 0;
	time_t now;
	struct tm tm;
	size_t start = pdf->len;
	xy_code rc;
	const char *who;
	*out = NULL;
	if (!o)
		o = &none;
	who = o->who && *o->who ? o->who : "public";
	now = o->now ? (time_t)o->now : time(NULL);
	if (!json_is_integer(json_object_get(subj, "id")))
		return xy_error_set(err, XY_ERR_ARG,
				    "a credit report is made from the public profile view only");
	if ((rc = office_of(o->config_dir, &b, err)))
		goto done;
	localtime_r(&now, &tm);
	strftime(day, sizeof day, "%Y-%m-%d", &tm);
	xy_time_iso((int64_t)now, at);
	if ((rc = xy_store_begin(s, false, err)))
		goto done;
	if ((rc = xy_store_report_last_seq(s, day, &seq, err)))
		goto rollback;
	if (seq >= 999999) {
		rc = xy_error_set(err, XY_ERR_LIMIT, "999999 reports were issued on %s already",
				  day);
		goto rollback;
	}
	snprintf(number, sizeof number, "XY%.4s%.2s%.2s%06lld", day, day + 5, day + 8,
		 (long long)seq + 1);
	if ((rc = xy_credit_report_model(c, profile, number, at, b->cfg.office, b->cfg.website, &m,
					 err)) ||
	    (rc = xy_credit_report_code(s, m, code, err)) ||
	    (rc = xy_credit_report_pdf(m, code, pdf, err)))
		goto rollback;
	crypto_hash_sha256(digest, (const unsigned char *)pdf->data + start, pdf->len - start);
	hex(digest, sizeof digest, dhex);
	{
		json_t *ms = json_object_get(m, "subject");
		xy_report_row r = { .number = number, .day = day, .seq = seq + 1,
				    .subject_id = json_integer_value(json_object_get(subj, "id")),
				    .subject_name = str(ms, "name"), .subject_code = str(ms, "code"),
				    .generated_at = at, .data_as_of = str(m, "data_as_of"),
				    .sha256 = dhex, .code = code, .who = who };
		xy_buf object = XY_BUF_INIT, detail = XY_BUF_INIT;
		if (xy_buf_addf(&object, "report:%s", number) ||
		    xy_buf_addf(&detail, "subject=%lld data_as_of=%s sha256=%s bytes=%zu",
				(long long)r.subject_id, r.data_as_of, dhex, pdf->len - start)) {
			rc = xy_error_set(err, XY_ERR_NOMEM, "out of memory");
		} else {
			xy_audit_entry e = { .who = who, .action = "report.issue",
					     .object = object.data, .detail = detail.data,
					     .after = pdf->data + start,
					     .after_len = pdf->len - start,
					     .after_sha256 = dhex }; /* hashed once */
			rc = xy_store_report_insert(s, &r, err);
			if (!rc)
				rc = xy_audit_append(s, &e, NULL, err);
		}
		xy_buf_release(&object);
		xy_buf_release(&detail);
		if (rc)
			goto rollback;
	}
	if ((rc = xy_store_commit(s, err)))
		goto fail;
	code_dashed(code, dashed);
	*out = json_pack("{s:s,s:s,s:{s:O,s:O},s:s,s:O,s:s,s:I}", "number", number, "code", dashed,
			 "subject", "name", json_object_get(json_object_get(m, "subject"), "name"),
			 "code", json_object_get(json_object_get(m, "subject"), "code"),
			 "generated_at", at, "data_as_of", json_object_get(m, "data_as_of"),
			 "sha256", dhex, "bytes", (json_int_t)(pdf->len - start));
	if (!*out)
		rc = xy_error_set(err, XY_ERR_NOMEM, "out of memory");
	goto done;
rollback:
	xy_store_rollback(s, NULL);
fail:
	xy_buf_truncate(pdf, start);
done:
	json_decref(m);
	xy_bulletin_free(b);
	return rc;
}

/* code without dashes and spaces, upper case, into out; false when it is
 * not 16 base32 characters. */
static bool code_norm(const char *in, char out[XY_REPORT_CODE_LEN + 1])
{
	size_t k = 0;
	for (; *in; in++) {
		char ch = *in;
		if (ch == '-' || ch == ' ')
			continue;
		if (ch >= 'a' && ch <= 'z')
			ch = (char)(ch - 'a' + 'A');
		if (!((ch >= 'A' && ch <= 'Z') || (ch >= '2' && ch <= '7')) ||
		    k == XY_REPORT_CODE_LEN)
			return false;
		out[k++] = ch;
	}
	out[k] = '\0';
	return k == XY_REPORT_CODE_LEN;
}

xy_code xy_credit_report_verify(xy_store *s, const char *number, const void *pdf, size_t len,
				const char *code, json_t **out, xy_error *err)
{
	XY_AUTO(xy_report_row, r);
	char want[XY_REPORT_CODE_LEN + 1], dhex[2 * crypto_hash_sha256_BYTES + 1] = "";
	const char *status, *msg;
	bool show = false;
	xy_code rc;
	json_t *o;
	*out = NULL;
	if (!xy_credit_report_number_ok(number))
		return xy_error_at(err, XY_ERR_ARG, NULL, 0, "number",
				   "not a report number (XY and 14 digits)");
	if (!pdf == !code)
		return xy_error_set(err, XY_ERR_ARG, "verify by the PDF or by the code, one of them");
	if (code && !code_norm(code, want))
		return xy_error_at(err, XY_ERR_ARG, NULL, 0, "code",
				   "a verification code is 16 characters A-Z and 2-7");
	if (pdf && len > XY_REPORT_PDF_MAX)
		return xy_error_set(err, XY_ERR_LIMIT, "a report is at most %u bytes",
				    XY_REPORT_PDF_MAX);
	if (pdf) {
		unsigned char digest[crypto_hash_sha256_BYTES];
		crypto_hash_sha256(digest, pdf, len);
		hex(digest, sizeof digest, dhex);
	}
	rc = xy_store_report_get(s, number, &r, err);
	if (rc == XY_ERR_NOTFOUND) {
		xy_error_clear(err);
		status = "unknown";
		msg = "未找到该编号的信用报告";
	} else if (rc) {
		return rc;
	} else if (code) {
		show = strlen(r.code) == XY_REPORT_CODE_LEN &&
		       sodium_memcmp(want, r.code, XY_REPORT_CODE_LEN) == 0;
		status = show ? "genuine" : "unknown";
		msg = show ? "报告编号与验证码一致：该报告由本平台出具"
			   : "报告编号与验证码不匹配：本平台未出具这样的报告";
	} else {
		show = strlen(r.sha256) == strlen(dhex) &&
		       sodium_memcmp(dhex, r.sha256, strlen(dhex)) == 0;
		status = show ? "genuine" : "altered";
		msg = show ? "文件与本平台出具的报告完全一致，未被改动"
			   : "文件与该编号的报告不一致：内容已被改动或并非本平台出具";
	}
	o = json_pack("{s:s,s:s,s:s,s:s}", "number", number, "status", status, "method",
		      pdf ? "pdf" : "code", "message", msg);
	if (o && pdf && json_object_set_new(o, "sha256", json_string(dhex)))
		json_object_clear(o);
	if (o && show &&
	    json_object_set_new(o, "report",
				json_pack("{s:s,s:{s:o,s:o},s:s,s:s,s:s}", "number", r.number,
					  "subject", "name", xy_json_text(r.subject_name, NULL),
					  "code", xy_json_text(r.subject_code, NULL),
					  "generated_at", r.generated_at, "data_as_of",
					  r.data_as_of, "sha256", r.sha256)))
		json_object_clear(o);
	if (!o || !json_object_size(o)) {
		json_decref(o);
		return xy_error_set(err, XY_ERR_NOMEM, "out of memory");
	}
	*out = o;
	return XY_OK;
}
