/* xinyong: the office's report views (views.h, "reports"): the city index,
 * a reconciliation's wrong cells, the 情况通报 sentences, a generated
 * bulletin.  `xinyong index show|reconcile|stats --sentences|bulletin`
 * print them with --format json; the server answers them. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "views_internal.h"
#include "xinyong/bulletin.h"
#include "xinyong/index.h"
#include "xinyong/reconcile.h"
#include "xinyong/stats.h"
#include "xinyong/text.h"
#include "xinyong/views.h"

/* Two decimals are what the figures have (jansson would print 17 digits). */
static json_t *real2(double d)
{
	return json_real((double)llround(d * 100) / 100);
}

xy_code xy_view_index(xy_store *s, const char *from, const char *to, json_t **out,
		      xy_error *err)
{
	xy_city_index *v = NULL;
	size_t n = 0;
	json_t *arr, *trend = json_null(), *o;
	xy_code rc;

	*out = NULL;
	if ((rc = xy_store_index_list(s, &v, &n, err)))
		return rc;
	n = xy_city_index_range(v, n, from, to);
	arr = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(
			arr, json_pack("{s:s,s:o,s:i,s:o,s:o}", "month", v[i].month, "score",
				       real2(v[i].score), "rank", v[i].rank, "score_change",
				       i ? real2(v[i].score - v[i - 1].score) : json_null(),
				       "rank_change",
				       i ? json_integer(v[i - 1].rank - v[i].rank) : json_null()));
	if (n) {
		size_t bs = 0, br = 0; /* best of the range, not of the last month */
		for (size_t i = 1; i < n; i++) {
			if (v[i].score > v[bs].score)
				bs = i;
			if (v[i].rank < v[br].rank)
				br = i;
		}
		trend = json_pack("{s:s,s:s,s:o,s:i,s:o,s:i}", "from", v[0].month, "to",
				  v[n - 1].month, "score_change", real2(v[n - 1].score - v[0].score),
				  "rank_change", v[0].rank - v[n - 1].rank, "best_score",
				  real2(v[bs].score), "best_rank", v[br].rank);
	}
	free(v);
	o = json_pack("{s:o,s:o}", "months", arr, "trend", trend);
	if (!o || json_array_size(arr) != n)
		return json_decref(o), xy__view_nomem(err);
	*out = o;
	return XY_OK;
}

xy_code xy_view_reconcile(const xy_reconcile *r, json_t **out, xy_error *err)
{
	json_t *arr = json_array();
	*out = NULL;
	for (size_t i = 0; arr && i < r->ndiffs; i++) {
		const xy_reconcile_diff *d = &r->diffs[i];
		json_t *o = json_pack("{s:o,s:o,s:o,s:I,s:I,s:s}", "row", xy_json_text(d->row, NULL),
				      "column", xy_json_text(d->column, NULL), "line",
				      d->line ? json_integer(d->line) : json_null(), "printed",
				      (json_int_t)d->printed, "computed", (json_int_t)d->computed,
				      "kind", xy_reconcile_kind_name(d->kind));
		if (json_array_append_new(arr, o)) {
			json_decref(arr);
			arr = NULL;
		}
	}
	if (!arr)
		return xy__view_nomem(err);
	*out = arr;
	return XY_OK;
}

xy_code xy_view_stats_sentences(xy_store *s, const xy_registry *reg, const xy_stats_opts *o,
				json_t **out, xy_error *err)
{
	xy_buf b = XY_BUF_INIT;
	json_t *arr;
	xy_code rc;
	*out = NULL;
	if ((rc = xy_stats_sentences(s, reg, o, &b, err))) {
		xy_buf_release(&b);
		return rc;
	}
	arr = json_array();
	for (const char *p = b.data; arr && *p;) {
		size_t n = strcspn(p, "\n");
		if (json_array_append_new(arr, json_stringn(p, n))) {
			json_decref(arr);
			arr = NULL;
		}
		p += n + (p[n] == '\n');
	}
	xy_buf_release(&b);
	if (!arr || !(*out = json_pack("{s:o}", "sentences", arr)))
		return xy__view_nomem(err);
	return XY_OK;
}

xy_code xy_view_bulletin(const xy_bulletin *b, const char *file, json_t **out, xy_error *err)
{
	*out = json_pack("{s:o,s:i,s:s,s:s,s:s,s:i,s:i}", "file", xy_json_text(file, NULL),
			 "issue", b->issue, "date", b->date, "from", b->from, "to", b->to,
			 "articles", (int)b->narticles, "index_months", (int)b->nindex);
	return *out ? XY_OK : xy__view_nomem(err);
}
