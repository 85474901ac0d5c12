/* xinyong: the staff pages' views (issue 10, views.h "the staff pages"):
 * who is signed in, as GET /api/v1/session answers it; a unit's batches a
 * page at a time (GET /api/v1/batches, `xinyong batches --unit U`). */
#include <stdio.h>

#include <jansson.h>

#include "xinyong/auth.h"
#include "xinyong/views.h"
#include "internal.h"
#include "views_internal.h"

xy_code xy_view_principal(const xy_principal *p, const char *unit, const char *csrf,
			  json_t **out, xy_error *err)
{
	static const xy_view_opts now = { false, NULL };
	char today[11];
	*out = NULL;
	if (xy__view_date(&now, today, err))
		return err->code;
	*out = json_pack("{s:o,s:s,s:s,s:o,s:o,s:s}", "user",
			 xy__opt_str(p->user_id ? p->user : NULL), "role", xy_role_name(p->role),
			 "role_zh", xy_role_name_zh(p->role), "unit", xy__opt_str(unit), "csrf",
			 xy__opt_str(csrf), "today", today);
	return *out ? XY_OK : xy__view_nomem(err);
}

xy_code xy_view_batches_page(xy_store *s, const xy_registry *reg, const char *unit,
			     const xy_view_page *pg, json_t **out, xy_error *err)
{
	const xy_unit *u = NULL;
	xy_batch *v = NULL;
	size_t n = 0, i, limit, kept = 0;
	int64_t after, last = 0;
	bool more = false;
	json_t *arr;
	xy_code rc;
	*out = NULL;
	xy_view_page first = { pg ? pg->after : NULL, 0, false };
	if ((rc = xy__page_args(&first, &after, &limit, err)))
		return rc;
	limit = !pg || !pg->limit ? 20 : pg->limit > 1000 ? 1000 : pg->limit;
	if (unit && (rc = xy__credit_unit(reg, unit, "unit", &u, err)))
		return rc;
	/* newest first: ids descending; a page starts below the cursor */
	if ((rc = xy_store_batches(s, 0, &v, &n, err)))
		return rc;
	if (!(arr = json_array())) {
		xy_batches_free(v, n);
		return xy__view_nomem(err);
	}
	for (i = 0; i < n; i++) {
		json_t *b = NULL;
		if ((u && v[i].unit_id != u->id) || (after && v[i].id >= after))
			continue;
		if (kept == limit) {
			more = true;
			break;
		}
		if ((rc = xy_batch_summary(s, reg, &v[i], &b, err)))
			break;
		if (json_array_append_new(arr, b)) {
			rc = xy__view_nomem(err);
			break;
		}
		last = v[i].id;
		kept++;
	}
	xy_batches_free(v, n);
	if (rc) {
		json_decref(arr);
		return rc;
	}
	char c[24];
	snprintf(c, sizeof c, "%lld", (long long)last);
	*out = json_pack("{s:o,s:o,s:o}", "unit", xy__opt_str(u ? u->name : NULL), "batches", arr,
			 "next", more ? json_string(c) : json_null());
	return *out ? XY_OK : xy__view_nomem(err);
}
