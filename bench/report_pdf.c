/* xy-report-pdf DB CODE [N [OUT]]: render CODE's public credit report N
 * times (5) in one process and thread, as the server's writer thread does
 * (process start, database open and the first font set-up not counted), and
 * print one line: "view_ms model_ms first_pdf_ms median_pdf_ms min_pdf_ms
 * bytes".  The view and the model are made once; only the PDF is timed N
 * times.  OUT: the last PDF is written there (the same model and code every
 * run, so the bytes can be compared before and after a change).
 * bench/report.sh runs it. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "xinyong/credit_report.h"
#include "xinyong/repair.h"
#include "xinyong/store.h"
#include "xinyong/views.h"

static double now_ms(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

static int cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

int main(int argc, char **argv)
{
	xy_error err = XY_ERROR_INIT;
	xy_store *s = NULL;
	xy_registry reg;
	xy_credit cr;
	xy_repairs rp;
	xy_view_opts vo = { true, "2026-11-20" };
	json_t *profile = NULL, *model = NULL;
	xy_buf pdf = XY_BUF_INIT;
	int n = argc > 3 ? atoi(argv[3]) : 5;
	double t0, t_view, t_model, *t;
	if (argc < 3 || n < 1) {
		fprintf(stderr, "usage: xy-report-pdf DB CODE [N [OUT]]\n");
		return 2;
	}
	if (!(t = calloc((size_t)n, sizeof *t)))
		return 1;
	xy_registry_init(&reg);
	if (xy_store_open(&s, argv[1], NULL, &err) || xy_store_load_registry(s, &reg, &err) ||
	    xy_credit_open(&cr, s, &reg, NULL, &err) || xy_repairs_open(&rp, &cr, NULL, &err)) {
		fprintf(stderr, "xy-report-pdf: %s\n", err.msg);
		return 1;
	}
	t0 = now_ms();
	if (xy_view_profile(&rp, argv[2], &vo, &profile, &err)) {
		fprintf(stderr, "xy-report-pdf: %s\n", err.msg);
		return 1;
	}
	t_view = now_ms() - t0;
	t0 = now_ms();
	if (xy_credit_report_model(&cr, profile, "XY20261120000001", "2026-11-20T02:00:00Z",
				   "基准测试信用办", "https://credit.example.invalid/", &model, &err)) {
		fprintf(stderr, "xy-report-pdf: %s\n", err.msg);
		return 1;
	}
	t_model = now_ms() - t0;
	for (int i = 0; i < n; i++) {
		xy_buf_reset(&pdf);
		t0 = now_ms();
		if (xy_credit_report_pdf(model, "ABCDEFGHIJKLMNOP", &pdf, &err)) {
			fprintf(stderr, "xy-report-pdf: %s\n", err.msg);
			return 1;
		}
		t[i] = now_ms() - t0;
	}
	{
		double first = t[0];
		qsort(t, (size_t)n, sizeof *t, cmp);
		printf("%.1f %.1f %.1f %.1f %.1f %zu\n", t_view, t_model, first, t[n / 2], t[0],
		       pdf.len);
	}
	if (argc > 4) {
		FILE *f = fopen(argv[4], "wb");
		if (!f || fwrite(pdf.data, 1, pdf.len, f) != pdf.len || fclose(f)) {
			fprintf(stderr, "xy-report-pdf: cannot write %s\n", argv[4]);
			return 1;
		}
	}
	xy_buf_release(&pdf);
	json_decref(model);
	json_decref(profile);
	xy_repairs_release(&rp);
	xy_credit_release(&cr);
	xy_registry_release(&reg);
	xy_store_close(s);
	free(t);
	return 0;
}
