/* view_dump DB VIEW [ARG] [public] [AS-OF]: print a library view (views.h) as
 * the CLI prints JSON, so tests/cli/t0262-views.sh can check that
 * `xinyong … --format json` is exactly the library's value.  Test tool only. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xinyong/views.h"

int main(int argc, char **argv)
{
	xy_error err = XY_ERROR_INIT;
	xy_store *st = NULL;
	xy_registry reg;
	xy_credit cr;
	xy_repairs rp;
	xy_commitments cm = { &cr, NULL, 0 };
	json_t *v = NULL;
	const char *view, *arg;
	xy_view_opts o = { false, NULL };
	xy_code rc;
	char *s;

	if (argc < 3) {
		fprintf(stderr, "usage: view_dump DB VIEW [ARG] [public] [AS-OF]\n");
		return 2;
	}
	view = argv[2];
	arg = argc > 3 ? argv[3] : NULL;
	o.public_view = argc > 4 && !strcmp(argv[4], "public");
	o.asof = argc > 5 ? argv[5] : NULL;
	xy_registry_init(&reg);
	if (xy_store_open(&st, argv[1], NULL, &err) || xy_store_load_registry(st, &reg, &err))
		goto fail;
	memset(&cr, 0, sizeof cr);
	cr.store = st;
	cr.reg = &reg;
	xy_sanctions_init(&cr.cat);
	if (xy_sanctions_load_dir(&cr.cat, &reg, xy_registry_default_dir(), &err) ||
	    xy_repairs_open(&rp, &cr, NULL, &err))
		goto fail;
	if (!strcmp(view, "profile"))
		rc = xy_view_profile(&rp, arg, &o, &v, &err);
	else if (!strcmp(view, "entries"))
		rc = xy_view_entries(&cr, NULL, false, &o, &v, &err);
	else if (!strcmp(view, "commitments"))
		rc = xy_view_commitments(&cm, NULL, NULL, NULL, &o, &v, &err);
	else if (!strcmp(view, "gov_dishonesties"))
		rc = xy_view_gov_dishonesties(st, &reg, NULL, false, &o, &v, &err);
	else if (!strcmp(view, "batches"))
		rc = xy_view_batches(st, &reg, NULL, 0, &v, &err);
	else if (!strcmp(view, "batch"))
		rc = xy_view_batch(st, &reg, atoll(arg), &v, &err);
	else if (!strcmp(view, "notices"))
		rc = xy_view_notices(st, &reg, arg, &v, &err);
	else if (!strcmp(view, "cases"))
		rc = xy_view_cases(&rp, arg, false, NULL, &v, &err);
	else if (!strcmp(view, "search"))
		rc = xy_view_search(st, &reg, arg, &o, &(xy_view_page){ NULL, 0, false }, &v, &err);
	else
		rc = xy_error_set(&err, XY_ERR_ARG, "unknown view '%s'", view);
	if (v && (s = json_dumps(v, JSON_COMPACT | JSON_PRESERVE_ORDER))) {
		puts(s);
		free(s);
	}
	json_decref(v);
	xy_repairs_release(&rp);
	xy_sanctions_release(&cr.cat);
	xy_registry_release(&reg);
	xy_store_close(st);
	if (rc)
		fprintf(stderr, "view_dump: %s\n", err.msg);
	return rc ? 1 : 0;
fail:
	fprintf(stderr, "view_dump: %s\n", err.msg);
	return 1;
}
