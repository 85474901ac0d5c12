/* The bulletin: articles, configuration, HTML and PDF (lib/report/bulletin.c).
 * The PDF is checked as a reader would: pages rendered (pdftoppm) and none
 * blank, the Chinese text extractable (pdftotext), the CJK font embedded. */
#include <cairo.h>
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "xinyong/bulletin.h"
#include "xinyong/chart.h"
#include "xy_config.h"

#define ARTICLES XY_DATADIR "/samples/articles"
#define CONFIG XY_DATADIR "/bulletin.tsv"

static char dir[64];

static void setup(void)
{
	memcpy(dir, "/tmp/xy-bulletin-XXXXXX", 24);
	cr_assert_not_null(mkdtemp(dir));
}

static void teardown(void)
{
	char cmd[128];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	cr_assert_eq(system(cmd), 0);
}

static const char *path(const char *name)
{
	static char p[4][256];
	static int k;
	k = (k + 1) % 4;
	snprintf(p[k], sizeof p[k], "%s/%s", dir, name);
	return p[k];
}

static char *run(const char *fmt, const char *arg)
{
	static char out[1 << 20];
	char cmd[512];
	FILE *p;
	size_t n;
	snprintf(cmd, sizeof cmd, fmt, arg);
	p = popen(cmd, "r");
	cr_assert_not_null(p);
	n = fread(out, 1, sizeof out - 1, p);
	out[n] = '\0';
	pclose(p);
	return out;
}

static int count(const char *hay, const char *needle)
{
	int n = 0;
	for (const char *p = hay; (p = strstr(p, needle)); p += strlen(needle))
		n++;
	return n;
}

static xy_article *add(xy_bulletin *b, const char *md, const char *section)
{
	xy_error err = XY_ERROR_INIT;
	cr_assert_eq(xy_bulletin_add_article(b, md, strlen(md), section, "t.md", &err), XY_OK,
		     "%s", err.msg);
	return &b->articles[b->narticles - 1];
}

Test(articles, title_paragraphs_bold_and_source)
{
	xy_bulletin *b = xy_bulletin_new();
	xy_article *a = add(b,
			    "# 国务院印发《意见》\n\n近日，国务院印发\n《意见》。\n\n"
			    "**一是**夯实监管责任。\n\nword\nwrap\n\n（来源：新华社）\n",
			    "重要文件");
	cr_assert_str_eq(a->section, "重要文件");
	cr_assert_str_eq(a->title, "国务院印发《意见》");
	cr_assert_eq(a->nparas, 3);
	cr_assert_str_eq(a->paras[0], "近日，国务院印发《意见》。", "CJK lines join without a space");
	cr_assert_str_eq(a->paras[1], "**一是**夯实监管责任。");
	cr_assert_str_eq(a->paras[2], "word wrap");
	cr_assert_str_eq(a->source, "（来源：新华社）");
	xy_bulletin_free(b);
}

Test(articles, front_line_section_list_marker_no_title)
{
	xy_bulletin *b = xy_bulletin_new();
	xy_article *a = add(b, "\xEF\xBB\xBFsection: 工作简讯\r\n\r\n- ◇ 市民政局着力打造。\r\n\r\n（市民政局）",
			    NULL);
	cr_assert_str_eq(a->section, "工作简讯");
	cr_assert_str_eq(a->title, "");
	cr_assert_eq(a->nparas, 1);
	cr_assert_str_eq(a->paras[0], "◇ 市民政局着力打造。");
	cr_assert_str_eq(a->source, "（市民政局）");
	a = add(b, "栏目：【县区风采】\n# 标题\n正文", NULL);
	cr_assert_str_eq(a->section, "县区风采");
	cr_assert_str_eq(a->source, "", "no source line");
	/* the front line wins over the directory */
	a = add(b, "section: 联合奖惩\n\n正文（括号）不是来源", "工作推进");
	cr_assert_str_eq(a->section, "联合奖惩");
	cr_assert_str_eq(a->source, "");
	xy_bulletin_free(b);
}

Test(articles, errors)
{
	xy_bulletin *b = xy_bulletin_new();
	xy_error err = XY_ERROR_INIT;
	const char *md = "# 标题\n\n正文";
	cr_assert_eq(xy_bulletin_add_article(b, md, strlen(md), NULL, "x.md", &err),
		     XY_ERR_INVALID, "no section");
	cr_assert_str_eq(err.file, "x.md");
	md = "section: 其他\n正文";
	cr_assert_eq(xy_bulletin_add_article(b, md, strlen(md), NULL, "y.md", &err),
		     XY_ERR_INVALID);
	cr_assert_eq(err.row, 1);
	cr_assert_eq(xy_bulletin_add_article(b, "x", 1, "其他", "z.md", &err), XY_ERR_INVALID);
	md = "\n\n  \n";
	cr_assert_eq(xy_bulletin_add_article(b, md, strlen(md), "工作推进", "e.md", &err),
		     XY_ERR_INVALID, "empty");
	cr_assert_eq(b->narticles, 0);
	xy_bulletin_free(b);
}

Test(articles, the_sample_bulletin)
{
	xy_bulletin *b = xy_bulletin_new();
	xy_error err = XY_ERROR_INIT;
	size_t brief = 0;
	cr_assert_eq(xy_bulletin_load_articles(b, ARTICLES, &err), XY_OK, "%s", err.msg);
	cr_assert_eq(b->narticles, 12);
	cr_assert_str_eq(b->articles[0].section, "重要文件");
	cr_assert_not_null(strstr(b->articles[0].title, "事中事后监管"));
	cr_assert_str_eq(b->articles[0].source, "（来源：新华社）");
	cr_assert_str_eq(b->articles[1].section, "工作推进");
	cr_assert_str_eq(b->articles[1].source, "（市信用办）");
	cr_assert_str_eq(b->articles[11].section, "情况通报");
	for (size_t i = 0; i < b->narticles; i++) {
		if (i && strcmp(b->articles[i].section, b->articles[i - 1].section) != 0) {
			int prev = -1, cur = -1;
			for (int k = 0; k < XY_BULLETIN_NSECTIONS; k++) {
				if (!strcmp(xy_bulletin_sections[k], b->articles[i - 1].section))
					prev = k;
				if (!strcmp(xy_bulletin_sections[k], b->articles[i].section))
					cur = k;
			}
			cr_assert_lt(prev, cur, "sections in print order");
		}
		if (!strcmp(b->articles[i].section, "工作简讯")) {
			brief++;
			cr_assert_str_eq(b->articles[i].title, "");
			cr_assert_neq(b->articles[i].source[0], '\0', "%s", b->articles[i].file);
			cr_assert_not_null(strstr(b->articles[i].paras[0], "◇"));
		}
	}
	cr_assert_eq(brief, 7);
	xy_bulletin_free(b);
}

Test(articles, a_file_outside_section_directories_needs_a_front_line, .init = setup,
     .fini = teardown)
{
	xy_bulletin *b = xy_bulletin_new();
	xy_error err = XY_ERROR_INIT;
	FILE *f = fopen(path("a.md"), "w");
	fputs("# 无栏目\n\n正文\n", f);
	fclose(f);
	cr_assert_eq(xy_bulletin_load_articles(b, dir, &err), XY_ERR_INVALID);
	cr_assert_not_null(strstr(err.file, "a.md"));
	cr_assert_eq(xy_bulletin_load_articles(b, path("nope"), &err), XY_ERR_IO);
	xy_bulletin_free(b);
}

Test(config, the_shipped_file, .init = setup, .fini = teardown)
{
	xy_bulletin *b = xy_bulletin_new();
	xy_error err = XY_ERROR_INIT;
	FILE *f;
	cr_assert_eq(xy_bulletin_load_config(b, CONFIG, &err), XY_OK, "%s", err.msg);
	cr_assert_str_eq(b->cfg.office, "营口市社会信用体系建设领导小组办公室");
	cr_assert_str_eq(b->cfg.masthead, "营口信用体系建设");
	cr_assert_str_eq(b->cfg.title, "工作简报");
	cr_assert_str_eq(b->cfg.reviewer, "李洪广");
	cr_assert_not_null(strstr(b->cfg.report_to, "辽宁省信用办"));
	f = fopen(path("bad.tsv"), "w");
	fputs("masthead\tx\ncolour\tred\n", f);
	fclose(f);
	cr_assert_eq(xy_bulletin_load_config(b, path("bad.tsv"), &err), XY_ERR_CONFIG);
	cr_assert_eq(err.row, 2);
	f = fopen(path("short.tsv"), "w");
	fputs("# nothing\n", f);
	fclose(f);
	xy_bulletin_free(b);
	b = xy_bulletin_new();
	cr_assert_eq(xy_bulletin_load_config(b, path("short.tsv"), &err), XY_ERR_CONFIG,
		     "masthead, title and office are required");
	xy_bulletin_free(b);
}

/* A bulletin built by hand: the sample articles and config, the index, and
 * two tables — a department table long enough to run over a page. */
static xy_bulletin *sample(size_t units)
{
	static const char *const labels[] = { "序号", "部门名称" };
	static const char *const values[] = { "行政许可", "行政处罚", "信用承诺书" };
	static const char *const rlabels[] = { "地区", "分组" };
	static const xy_city_index idx[] = { { "2019-03", 81.54, 105 }, { "2019-04", 79.58, 120 },
					     { "2019-08", 82.43, 57 } };
	xy_bulletin *b = xy_bulletin_new();
	xy_error err = XY_ERROR_INIT;
	char seq[32], name[64];

	cr_assert_eq(xy_bulletin_load_config(b, CONFIG, &err), XY_OK, "%s", err.msg);
	cr_assert_eq(xy_bulletin_load_articles(b, ARTICLES, &err), XY_OK, "%s", err.msg);
	b->issue = 6;
	memcpy(b->date, "2019-10-15", 11);
	memcpy(b->from, "2019-01", 8);
	memcpy(b->to, "2019-10", 8);
	b->index = malloc(sizeof idx);
	memcpy(b->index, idx, sizeof idx);
	b->nindex = 3;
	free(b->sentences);
	b->sentences = strdup("从县（市）区上报信用信息数据看，信用承诺书签订量最多的是站前区和西市区。\n"
			      "本期未报送数据的单位：司法局、财政局。\n");
	b->departments = xy_table_new("2019年1—10月份市有关部门信源单位数据上报情况", 2, labels,
				      3, values, "总计", "合计", 1);
	cr_assert_not_null(b->departments);
	b->departments->zero_blank = true;
	for (size_t i = 0; i < units; i++) {
		const char *row[2] = { seq, name };
		long long v[3] = { (long long)i * 7 % 13, (long long)i % 3, 0 };
		snprintf(seq, sizeof seq, "%zu", i + 1);
		snprintf(name, sizeof name, i ? "测试部门%zu" : "市场监管局", i);
		cr_assert_eq(xy_table_add_row(b->departments, row, v), XY_OK);
	}
	cr_assert_eq(xy_table_compute_totals(b->departments), XY_OK);
	b->regions = xy_table_new("2019年1—10月份各县（市）区、园区信源单位数据报送情况统计表", 2,
				  rlabels, 3, values, NULL, NULL, 0);
	{
		const char *r1[2] = { "站前区", "县（市）区" }, *r2[2] = { "自贸区", "园区" };
		long long v1[3] = { 1, 2, 3032 }, v2[3] = { 0, 7, 30 };
		cr_assert_eq(xy_table_add_row(b->regions, r1, v1), XY_OK);
		cr_assert_eq(xy_table_add_row(b->regions, r2, v2), XY_OK);
	}
	return b;
}

Test(html, one_self_contained_page)
{
	xy_bulletin *b = sample(5);
	xy_buf h = XY_BUF_INIT;
	xy_error err = XY_ERROR_INIT;
	cr_assert_eq(xy_bulletin_html(b, &h, &err), XY_OK, "%s", err.msg);
	cr_assert(strncmp(h.data, "<!DOCTYPE html>", 15) == 0);
	cr_assert_not_null(strstr(h.data, "<meta charset=\"utf-8\">"));
	cr_assert_not_null(strstr(h.data, "营口信用体系建设"));
	cr_assert_not_null(strstr(h.data, "〔2019〕第6期"));
	cr_assert_not_null(strstr(h.data, "2019年10月15日"));
	cr_assert_not_null(strstr(h.data, "【城市排名】"));
	cr_assert_not_null(strstr(h.data, "<td>2019.08</td><td>82.43</td><td>57</td>"));
	cr_assert_eq(count(h.data, "<svg"), 1, "the chart inline");
	cr_assert_null(strstr(h.data, "<?xml"), "no XML prolog inside HTML");
	cr_assert_not_null(strstr(h.data, "【重要文件】"));
	cr_assert_not_null(strstr(h.data, "<strong>一是</strong>"));
	cr_assert_not_null(strstr(h.data, "<p class=\"source\">（来源：新华社）</p>"));
	cr_assert_not_null(strstr(h.data, "站前区和西市区"));
	cr_assert_geq(count(h.data, "<table"), 3, "ranking + two statistics tables");
	cr_assert_not_null(strstr(h.data, "市场监管局"));
	cr_assert_not_null(strstr(h.data, "<strong>报：</strong>辽宁省信用办"));
	cr_assert_not_null(strstr(h.data, "李洪广"));
	cr_assert_null(strstr(h.data, "src=\"http"), "nothing loaded from elsewhere");
	cr_assert_null(strstr(h.data, "<link"));
	/* the sections in print order */
	cr_assert_lt(strstr(h.data, "【重要文件】"), strstr(h.data, "【工作推进】"));
	cr_assert_lt(strstr(h.data, "【工作简讯】"), strstr(h.data, "【情况通报】"));
	xy_buf_release(&h);
	xy_bulletin_free(b);
}

Test(html, escapes_and_no_index)
{
	xy_bulletin *b = xy_bulletin_new();
	xy_buf h = XY_BUF_INIT;
	add(b, "# A<b>&\n\n1 < 2 & **3 > 2", "工作推进");
	b->issue = 1;
	memcpy(b->date, "2020-01-02", 11);
	cr_assert_eq(xy_bulletin_html(b, &h, NULL), XY_OK);
	cr_assert_not_null(strstr(h.data, "<h3>A&lt;b&gt;&amp;</h3>"));
	cr_assert_not_null(strstr(h.data, "1 &lt; 2 &amp; <strong>3 &gt; 2</strong>"),
			   "an unclosed ** closes at the end");
	cr_assert_not_null(strstr(h.data, "暂无城市信用监测数据"));
	cr_assert_null(strstr(h.data, "<svg"));
	xy_buf_release(&h);
	xy_bulletin_free(b);
}

/* Fraction of pixels that are not white in a PNG. */
static double ink(const char *png)
{
	cairo_surface_t *s = cairo_image_surface_create_from_png(png);
	int w, h, stride;
	unsigned char *d;
	long dark = 0;
	cr_assert_eq(cairo_surface_status(s), CAIRO_STATUS_SUCCESS, "%s", png);
	w = cairo_image_surface_get_width(s);
	h = cairo_image_surface_get_height(s);
	stride = cairo_image_surface_get_stride(s);
	cairo_surface_flush(s);
	d = cairo_image_surface_get_data(s);
	for (int y = 0; y < h; y++)
		for (int x = 0; x < w; x++) {
			const unsigned char *p = d + y * stride + 4 * x;
			if (p[0] < 200 || p[1] < 200 || p[2] < 200)
				dark++;
		}
	cairo_surface_destroy(s);
	return (double)dark / ((double)w * h);
}

Test(pdf, reads_like_a_bulletin, .init = setup, .fini = teardown)
{
	xy_bulletin *b = sample(80);
	xy_error err = XY_ERROR_INIT;
	const char *text, *fonts;
	char pages[64];
	int npages;

	cr_assert_eq(xy_bulletin_save(b, path("b.pdf"), &err), XY_OK, "%s", err.msg);
	xy_bulletin_free(b);

	/* every page has something on it */
	snprintf(pages, sizeof pages, "%s", run("pdfinfo '%s' | sed -n 's/^Pages: *//p'", path("b.pdf")));
	npages = atoi(pages);
	cr_assert_geq(npages, 6, "%d pages", npages);
	{
		char cmd[512];
		snprintf(cmd, sizeof cmd, "pdftoppm -r 30 -png '%s/b.pdf' '%s/p'", dir, dir);
		run("%s", cmd);
	}
	for (int i = 1; i <= npages; i++) {
		char png[256];
		snprintf(png, sizeof png, "%s/p-%0*d.png", dir, npages >= 10 ? 2 : 1, i);
		cr_assert_eq(access(png, R_OK), 0, "%s", png);
		cr_assert_gt(ink(png), 0.004, "page %d is blank", i);
	}

	text = run("pdftotext -layout '%s' - 2>&1", path("b.pdf"));
	cr_assert_not_null(strstr(text, "营口信用体系建设"));
	cr_assert_not_null(strstr(text, "〔2019〕第6期"));
	cr_assert_not_null(strstr(text, "营口市社会信用体系建设领导小组办公室"));
	cr_assert_not_null(strstr(text, "【城市排名】"));
	cr_assert_not_null(strstr(text, "城市信用综合指数与排名"));
	cr_assert_not_null(strstr(text, "【工作推进】"));
	cr_assert_not_null(strstr(text, "（来源：新华社）"));
	cr_assert_not_null(strstr(text, "具体情况如下"));
	cr_assert_not_null(strstr(text, "站前区和西市区"));
	cr_assert_not_null(strstr(text, "市场监管局"));
	cr_assert_not_null(strstr(text, "测试部门79"), "the last row of the long table");
	cr_assert_geq(count(text, "部门名称"), 2, "the header repeats on the next page");
	cr_assert_not_null(strstr(text, "（续）"));
	cr_assert_not_null(strstr(text, "李洪广"));
	cr_assert_not_null(strstr(text, "（共印 80 份）"));
	cr_assert(strstr(text, "— 1 —") || strstr(text, "—1—"), "page numbers");

	fonts = run("pdffonts '%s' 2>&1", path("b.pdf"));
	cr_assert_not_null(strstr(fonts, "NotoSansCJKsc-Regular"), "%s", fonts);
	cr_assert_not_null(strstr(fonts, "NotoSansCJKsc-Bold"), "%s", fonts);
	cr_assert_null(strstr(fonts, " no "), "every font embedded: %s", fonts);
}

Test(pdf, a_bare_bulletin_still_has_masthead_and_footer, .init = setup, .fini = teardown)
{
	xy_bulletin *b = xy_bulletin_new();
	xy_error err = XY_ERROR_INIT;
	const char *text;
	cr_assert_eq(xy_bulletin_load_config(b, CONFIG, &err), XY_OK);
	b->issue = 1;
	memcpy(b->date, "2020-01-02", 11);
	cr_assert_eq(xy_bulletin_save(b, path("bare.pdf"), &err), XY_OK, "%s", err.msg);
	text = run("pdftotext '%s' - 2>&1", path("bare.pdf"));
	cr_assert_not_null(strstr(text, "工作简报"));
	cr_assert_not_null(strstr(text, "暂无城市信用监测数据"));
	cr_assert_not_null(strstr(text, "【情况通报】"));
	cr_assert_not_null(strstr(text, "审核"));
	xy_bulletin_free(b);
}

Test(save, formats_and_errors, .init = setup, .fini = teardown)
{
	xy_bulletin *b = sample(3);
	xy_error err = XY_ERROR_INIT;
	FILE *f;
	char magic[4] = "";
	cr_assert_eq(xy_bulletin_save(b, path("b.html"), &err), XY_OK, "%s", err.msg);
	cr_assert_eq(xy_bulletin_save(b, path("b.xlsx"), &err), XY_OK, "%s", err.msg);
	f = fopen(path("b.xlsx"), "rb");
	cr_assert_not_null(f);
	cr_assert_eq(fread(magic, 1, 2, f), 2);
	fclose(f);
	cr_assert(magic[0] == 'P' && magic[1] == 'K', "a zip");
	cr_assert_eq(xy_bulletin_save(b, path("b.doc"), &err), XY_ERR_ARG);
	cr_assert_eq(xy_bulletin_save(b, path("none/b.pdf"), &err), XY_ERR_IO);
	cr_assert_eq(count(run("ls -A '%s'", dir), "b."), 2, "no temporary file left: %s",
		     run("ls -A '%s'", dir));
	xy_bulletin_free(b);
}
