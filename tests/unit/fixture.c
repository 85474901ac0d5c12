/* The store fixture of the credit unit tests (fixture.h). */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fixture.h"

char fx_dir[256];
xy_store *st;
xy_registry reg;
xy_credit cr;
xy_error err;

void fx_open(void)
{
	char db[300];
	snprintf(fx_dir, sizeof fx_dir, "/tmp/xy_unit_XXXXXX");
	cr_assert_not_null(mkdtemp(fx_dir));
	snprintf(db, sizeof db, "%s/x.db", fx_dir);
	setenv("XINYONG_TODAY", "2026-11-26", 1);
	xy_error_clear(&err);
	OK(xy_store_open(&st, db, NULL, &err));
	xy_registry_init(&reg);
	OK(xy_store_load_registry(st, &reg, &err));
	OK(xy_credit_open(&cr, st, &reg, NULL, &err));
}

static void **kept;
static size_t nkept, capkept;

void fx_keep(void *p)
{
	void **v;
	if (!p)
		return;
	v = xy_array_grow(kept, nkept, &capkept, sizeof *v, 16);
	cr_assert_not_null(v);
	kept = v;
	kept[nkept++] = p;
}

void fx_close(void)
{
	char cmd[400];
	for (size_t i = 0; i < nkept; i++)
		free(kept[i]);
	free(kept);
	kept = NULL;
	nkept = capkept = 0;
	xy_credit_release(&cr);
	xy_registry_release(&reg);
	xy_store_close(st);
	st = NULL;
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", fx_dir);
	cr_assert_eq(system(cmd), 0);
}

const char *fx_write(const char *name, const char *text)
{
	static char path[400];
	FILE *f;
	snprintf(path, sizeof path, "%s/%s", fx_dir, name);
	f = fopen(path, "w");
	cr_assert_not_null(f);
	fputs(text, f);
	fclose(f);
	return path;
}

void fx_import(const char *unit, const char *category, const char *csv)
{
	xy_import_opts o;
	xy_batch b;
	memset(&o, 0, sizeof o);
	o.unit = unit;
	o.category = category;
	o.report_dir = fx_dir;
	OK(xy_import_file(st, &reg, fx_write("in.csv", csv), &o, &b, &err));
	cr_assert_eq(b.rejected, 0, "rows rejected");
	xy_batch_release(&b);
}
