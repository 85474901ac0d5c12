/* City index values and the trend chart (lib/report/chart.c). */
#include <criterion/criterion.h>
#include <dirent.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "xinyong/chart.h"
#include "xy_config.h"

#define SAMPLE XY_DATADIR "/samples/city-index-2019.tsv"

static char dir[64];

static void setup(void)
{
	memcpy(dir, "/tmp/xy-chart-XXXXXX", 21);
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
	static char p[256];
	snprintf(p, sizeof p, "%s/%s", dir, name);
	return p;
}

static void write_file(const char *p, const char *text)
{
	FILE *f = fopen(p, "w");
	cr_assert_not_null(f);
	fputs(text, f);
	fclose(f);
}

/* stdout of a shell command */
static char *run(const char *fmt, const char *arg)
{
	static char out[65536];
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

static const xy_city_index six[] = {
	{ "2019-03", 81.54, 105 }, { "2019-04", 79.58, 120 }, { "2019-05", 78.83, 122 },
	{ "2019-06", 79.42, 99 },  { "2019-07", 81.28, 69 },  { "2019-08", 82.43, 57 },
};

Test(index, parse_accepts_the_ways_months_are_written)
{
	const char *ways[] = { "2019-08", "2019.08", "2019.8", "2019/8", "2019年8月", " 2019-08 " };
	for (size_t i = 0; i < sizeof ways / sizeof *ways; i++) {
		xy_city_index v;
		cr_assert_eq(xy_city_index_parse(ways[i], "82.43", "57", &v, NULL), XY_OK, "%s",
			     ways[i]);
		cr_assert_str_eq(v.month, "2019-08");
		cr_assert_float_eq(v.score, 82.43, 1e-9);
		cr_assert_eq(v.rank, 57);
	}
}

Test(index, parse_bounds)
{
	xy_city_index v;
	cr_assert_eq(xy_city_index_parse("2019-01", "0", "1", &v, NULL), XY_OK);
	cr_assert_eq(xy_city_index_parse("2019-01", "100", "1", &v, NULL), XY_OK);
	cr_assert_eq(xy_city_index_parse("2019-12", "99.99", "300", &v, NULL), XY_OK);
}

Test(index, parse_rejects_with_the_field)
{
	struct {
		const char *m, *s, *r, *field;
	} bad[] = {
		{ "2019-13", "80", "1", "月份" },  { "2019-00", "80", "1", "月份" },
		{ "19-08", "80", "1", "月份" },    { "2019-08-01", "80", "1", "月份" },
		{ "", "80", "1", "月份" },         { "2019-08", "100.01", "1", "综合指数" },
		{ "2019-08", "-1", "1", "综合指数" }, { "2019-08", "abc", "1", "综合指数" },
		{ "2019-08", "", "1", "综合指数" },  { "2019-08", "nan", "1", "综合指数" },
		{ "2019-08", "80", "0", "排名" },   { "2019-08", "80", "-3", "排名" },
		{ "2019-08", "80", "1.5", "排名" }, { "2019-08", "80", "x", "排名" },
	};
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		xy_city_index v;
		xy_error err = XY_ERROR_INIT;
		cr_assert_eq(xy_city_index_parse(bad[i].m, bad[i].s, bad[i].r, &v, &err),
			     XY_ERR_INVALID, "%s %s %s", bad[i].m, bad[i].s, bad[i].r);
		cr_assert_str_eq(err.field, bad[i].field, "%s %s %s", bad[i].m, bad[i].s, bad[i].r);
	}
}

Test(index, reads_the_bulletins_table)
{
	xy_city_index *v;
	size_t n;
	cr_assert_eq(xy_city_index_read_tsv(SAMPLE, &v, &n, NULL), XY_OK);
	cr_assert_eq(n, 6);
	for (size_t i = 0; i < n; i++) {
		cr_assert_str_eq(v[i].month, six[i].month);
		cr_assert_float_eq(v[i].score, six[i].score, 1e-9);
		cr_assert_eq(v[i].rank, six[i].rank);
	}
	free(v);
}

Test(index, tsv_by_header_name_sorted_last_wins, .init = setup, .fini = teardown)
{
	xy_city_index *v;
	size_t n;
	write_file(path("a.tsv"), "\xEF\xBB\xBF排名\t备注\t月份\t综合指数\r\n"
				  "57\tx\t2019.08\t82.43\r\n\r\n"
				  "99\t\t2019.06\t79.42\r\n"
				  "58\t\t2019.08\t82.40\r\n");
	cr_assert_eq(xy_city_index_read_tsv(path("a.tsv"), &v, &n, NULL), XY_OK);
	cr_assert_eq(n, 2);
	cr_assert_str_eq(v[0].month, "2019-06");
	cr_assert_str_eq(v[1].month, "2019-08");
	cr_assert_eq(v[1].rank, 58);
	free(v);
}

Test(index, tsv_errors_name_file_and_row, .init = setup, .fini = teardown)
{
	xy_city_index *v = NULL;
	size_t n = 9;
	xy_error err = XY_ERROR_INIT;
	write_file(path("b.tsv"), "月份\t综合指数\t排名\n2019.03\t81.54\t105\n2019.04\t179.58\t120\n");
	cr_assert_eq(xy_city_index_read_tsv(path("b.tsv"), &v, &n, &err), XY_ERR_INVALID);
	cr_assert_eq(err.row, 3);
	cr_assert_str_eq(err.field, "综合指数");
	cr_assert_not_null(strstr(err.file, "b.tsv"));
	cr_assert_null(v);
	cr_assert_eq(n, 0);

	write_file(path("c.tsv"), "month\tvalue\n2019-03\t1\n");
	cr_assert_eq(xy_city_index_read_tsv(path("c.tsv"), &v, &n, &err), XY_ERR_FORMAT);
	write_file(path("d.tsv"), "");
	cr_assert_eq(xy_city_index_read_tsv(path("d.tsv"), &v, &n, &err), XY_ERR_FORMAT);
	cr_assert_eq(xy_city_index_read_tsv(path("none.tsv"), &v, &n, &err), XY_ERR_IO);
	write_file(path("e.tsv"), "月份\t综合指数\t排名\n2019\xff\t1\t1\n");
	cr_assert_eq(xy_city_index_read_tsv(path("e.tsv"), &v, &n, &err), XY_ERR_ENCODING);
}

Test(index, range_and_label)
{
	xy_city_index v[6];
	char m[8];
	memcpy(v, six, sizeof v);
	cr_assert_eq(xy_city_index_range(v, 6, "2019-04", "2019-06"), 3);
	cr_assert_str_eq(v[0].month, "2019-04");
	cr_assert_str_eq(v[2].month, "2019-06");
	memcpy(v, six, sizeof v);
	cr_assert_eq(xy_city_index_range(v, 6, NULL, "2019-03"), 1);
	memcpy(v, six, sizeof v);
	cr_assert_eq(xy_city_index_range(v, 6, "2020-01", NULL), 0);
	xy_city_index_month_label("2019-03", m);
	cr_assert_str_eq(m, "2019.03");
}

/* Fraction of pixels of a PNG that are not (near) white. */
static double ink(const char *png, int *w, int *h)
{
	cairo_surface_t *s = cairo_image_surface_create_from_png(png);
	unsigned char *d;
	int stride;
	long dark = 0;
	cr_assert_eq(cairo_surface_status(s), CAIRO_STATUS_SUCCESS, "%s", png);
	*w = cairo_image_surface_get_width(s);
	*h = cairo_image_surface_get_height(s);
	stride = cairo_image_surface_get_stride(s);
	cairo_surface_flush(s);
	d = cairo_image_surface_get_data(s);
	for (int y = 0; y < *h; y++)
		for (int x = 0; x < *w; x++) {
			const unsigned char *p = d + y * stride + 4 * x;
			if (p[0] < 200 || p[1] < 200 || p[2] < 200)
				dark++;
		}
	cairo_surface_destroy(s);
	return (double)dark / ((double)*w * *h);
}

Test(chart, png_is_drawn, .init = setup, .fini = teardown)
{
	int w, h;
	double f;
	cr_assert_eq(xy_chart_save(six, 6, path("c.png"), NULL), XY_OK);
	f = ink(path("c.png"), &w, &h);
	cr_assert_eq(w, 1600);
	cr_assert_eq(h, 900);
	cr_assert(f > 0.02 && f < 0.5, "ink fraction %f", f);
}

Test(chart, svg_document, .init = setup, .fini = teardown)
{
	xy_buf b = XY_BUF_INIT;
	FILE *f;
	char head[64] = "";
	cr_assert_eq(xy_chart_save(six, 6, path("c.SVG"), NULL), XY_OK);
	f = fopen(path("c.SVG"), "r");
	cr_assert_not_null(f);
	cr_assert(fread(head, 1, sizeof head - 1, f) > 0);
	fclose(f);
	cr_assert(strstr(head, "<?xml") == head);
	cr_assert_eq(xy_chart_svg(six, 6, 800, 450, &b, NULL), XY_OK);
	cr_assert_not_null(strstr(b.data, "<svg"));
	cr_assert_not_null(strstr(b.data, "viewBox=\"0 0 800 450\""));
	cr_assert_not_null(strstr(b.data, "<path")); /* glyphs and lines */
	xy_buf_release(&b);
}

/* A PDF keeps the text: the Chinese labels are there, in Noto Sans CJK SC. */
Test(chart, pdf_has_the_chinese_labels_in_noto, .init = setup, .fini = teardown)
{
	const char *text, *fonts;
	cr_assert_eq(xy_chart_save(six, 6, path("c.pdf"), NULL), XY_OK);
	text = run("pdftotext '%s' - 2>&1", path("c.pdf"));
	cr_assert_not_null(strstr(text, "城市信用综合指数与排名"), "%s", text);
	cr_assert_not_null(strstr(text, "综合指数"));
	cr_assert_not_null(strstr(text, "排名"));
	cr_assert_not_null(strstr(text, "2019.03"));
	cr_assert_not_null(strstr(text, "82.43"));
	cr_assert_not_null(strstr(text, "122"));
	fonts = run("pdffonts '%s' 2>&1", path("c.pdf"));
	cr_assert_not_null(strstr(fonts, "NotoSansCJKsc"), "%s", fonts);
}

Test(chart, one_month_and_flat_series, .init = setup, .fini = teardown)
{
	xy_city_index flat[3] = { { "2019-01", 80, 50 }, { "2019-02", 80, 50 }, { "2019-03", 80, 50 } };
	int w, h;
	cr_assert_eq(xy_chart_save(six, 1, path("one.png"), NULL), XY_OK);
	cr_assert(ink(path("one.png"), &w, &h) > 0.01);
	cr_assert_eq(xy_chart_save(flat, 3, path("flat.png"), NULL), XY_OK);
	flat[0].score = 0;
	flat[1].score = 100;
	flat[2].rank = 1;
	cr_assert_eq(xy_chart_save(flat, 3, path("extremes.png"), NULL), XY_OK);
}

static int entries(const char *d)
{
	DIR *dd = opendir(d);
	struct dirent *e;
	int n = 0;
	cr_assert_not_null(dd);
	while ((e = readdir(dd)))
		if (e->d_name[0] != '.')
			n++;
	closedir(dd);
	return n;
}

Test(chart, errors, .init = setup, .fini = teardown)
{
	xy_error err = XY_ERROR_INIT;
	xy_buf b = XY_BUF_INIT;
	cr_assert_eq(xy_chart_save(six, 0, path("z.png"), &err), XY_ERR_ARG);
	cr_assert_eq(xy_chart_save(NULL, 0, path("z.png"), &err), XY_ERR_ARG);
	cr_assert_eq(xy_chart_save(six, 6, path("z.txt"), &err), XY_ERR_ARG);
	cr_assert_eq(xy_chart_save(six, 6, path("png"), &err), XY_ERR_ARG);
	cr_assert_eq(xy_chart_save(six, 6, path("no/such/dir/z.png"), &err), XY_ERR_IO);
	cr_assert_not_null(strstr(err.file, "z.png"));
	cr_assert_eq(xy_chart_svg(six, 0, 800, 450, &b, &err), XY_ERR_ARG);
	cr_assert_eq(b.len, 0);
	cr_assert_eq(entries(dir), 0, "a failed save leaves no file behind");
	if (geteuid() != 0) { /* root writes anywhere */
		char ro[256];
		snprintf(ro, sizeof ro, "%s/ro", dir);
		cr_assert_eq(mkdir(ro, 0555), 0);
		cr_assert_eq(xy_chart_save(six, 6, path("ro/z.svg"), &err), XY_ERR_IO);
	}
}

Test(chart, draw_into_a_context)
{
	cairo_surface_t *s = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, 400, 300);
	cairo_t *cr = cairo_create(s);
	xy_error err = XY_ERROR_INIT;
	cr_assert_eq(xy_chart_draw(cr, 400, 300, six, 6, &err), XY_OK, "%s", err.msg);
	cr_assert_eq(xy_chart_draw(cr, 100, 50, six, 6, &err), XY_ERR_ARG);
	cairo_destroy(cr);
	cairo_surface_destroy(s);
}
