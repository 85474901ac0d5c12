/* xinyong: the office's dashboard view (views.h, "the office's dashboard"):
 * the data quality report (quality.h) summed per unit, with the rejection
 * rate, the 7-working-day share, a ranking and the units that brought in
 * nothing.  `xinyong quality --by-unit --format json` prints it; the server
 * answers it at GET /api/v1/quality?by=unit. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "views_internal.h"
#include "xinyong/quality.h"
#include "xinyong/views.h"

typedef struct unit_sum {
	const xy_unit *u;
	size_t order; /* bulletin order */
	long long records, batches, refused, rejected, pub_lagged, within;
	double rate, share; /* < 0: null */
	long long rank;     /* 0: null */
} unit_sum;

static int by_sort(const void *a, const void *b)
{
	const unit_sum *x = a, *y = b;
	if (x->u->sort != y->u->sort)
		return x->u->sort < y->u->sort ? -1 : 1;
	return x->u->id < y->u->id ? -1 : x->u->id > y->u->id;
}

/* The ranking's order (views.h): share desc (null last), rate asc, records
 * desc, bulletin order. */
static int by_quality(const void *a, const void *b)
{
	const unit_sum *x = *(unit_sum *const *)a, *y = *(unit_sum *const *)b;
	if ((x->share < 0) != (y->share < 0))
		return x->share < 0 ? 1 : -1;
	if (x->share != y->share)
		return x->share > y->share ? -1 : 1;
	if (x->rate != y->rate)
		return x->rate < y->rate ? -1 : 1;
	if (x->records != y->records)
		return x->records > y->records ? -1 : 1;
	return x->order < y->order ? -1 : x->order > y->order;
}

static json_t *ratio(double d)
{
	return d < 0 ? json_null() : json_real((double)llround(d * 10000) / 10000);
}

xy_code xy_view_quality_units(const xy_quality *q, const xy_registry *reg, json_t **out,
			      xy_error *err)
{
	unit_sum *sums = calloc(reg->nunits + 1, sizeof *sums);
	unit_sum **ranked = calloc(reg->nunits + 1, sizeof *ranked);
	json_t *units = json_array(), *silent = json_array(), *o = NULL;
	size_t n = 0, nr = 0;
	bool bad = !sums || !ranked || !units || !silent;

	*out = NULL;
	for (size_t i = 0; !bad && i < reg->nunits; i++) {
		const xy_unit *u = &reg->units[i];
		if (u->kind == XY_UNIT_CITY || (q->unit && strcmp(q->unit, u->name)))
			continue;
		sums[n++].u = u;
	}
	if (!bad)
		qsort(sums, n, sizeof *sums, by_sort);
	for (size_t i = 0; !bad && i < n; i++) {
		unit_sum *s = &sums[i];
		s->order = i;
		for (size_t k = 0; k < q->nrows; k++) {
			const xy_quality_row *r = &q->rows[k];
			if (strcmp(r->unit, s->u->name))
				continue;
			s->records += r->records;
			s->batches += r->batches;
			s->refused += r->refused;
			s->rejected += r->rejected;
			if (r->publicity) {
				s->pub_lagged += (long long)r->nlags;
				s->within += r->within;
			}
		}
		s->rate = s->records + s->rejected
				  ? (double)s->rejected / (double)(s->records + s->rejected)
				  : -1;
		s->share = s->pub_lagged ? (double)s->within / (double)s->pub_lagged : -1;
		if (s->records)
			ranked[nr++] = s;
	}
	if (!bad)
		qsort(ranked, nr, sizeof *ranked, by_quality);
	for (size_t i = 0; !bad && i < nr; i++)
		ranked[i]->rank = (long long)i + 1;
	for (size_t i = 0; !bad && i < n; i++) {
		const unit_sum *s = &sums[i];
		json_t *row = json_pack(
			"{s:s,s:s,s:I,s:I,s:I,s:I,s:o,s:I,s:I,s:o,s:o}", "unit", s->u->name, "kind",
			xy_unit_kind_name(s->u->kind), "records", (json_int_t)s->records, "batches",
			(json_int_t)s->batches, "refused_files", (json_int_t)s->refused,
			"rejected_rows", (json_int_t)s->rejected, "rejection_rate", ratio(s->rate),
			"publicity_records", (json_int_t)s->pub_lagged, "within_7",
			(json_int_t)s->within, "share_within_7", ratio(s->share), "rank",
			s->rank ? json_integer(s->rank) : json_null());
		if (!row || json_array_append_new(units, row))
			bad = true;
		if (!bad && !s->records && json_array_append_new(silent, json_string(s->u->name)))
			bad = true;
	}
	free(sums);
	free(ranked);
	if (!bad)
		o = json_pack("{s:s,s:s,s:o,s:o}", "from", q->from, "to", q->to, "units", units,
			      "silent", silent);
	else {
		json_decref(units);
		json_decref(silent);
	}
	if (!o)
		return xy__view_nomem(err);
	*out = o;
	return XY_OK;
}
