/* Data quality per unit × category (quality.h): 双公示 timeliness and
 * completeness, rejected rows and unmapped columns, from the store's batches
 * and one pass over the records of the months.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "xinyong/date.h"
#include "xinyong/quality.h"
#include "xinyong/stats.h"

#define TOP_REASONS 3 /* in the table; JSON has them all */
#define TOP_FIELDS 3
#define TOP_COLUMNS 3
#define SLOW_UNITS 5  /* named in the bulletin's sentence; more are counted */

/* The 双公示 categories (categories.tsv codes): the 7-working-day rule. */
static bool publicity_category(const xy_category *c)
{
	return c && (strcmp(c->code, "xzxk") == 0 || strcmp(c->code, "xzcf") == 0);
}

/* ---- lag ---- */

/* 0 = Sunday … 6 = Saturday (1970-01-01 was a Thursday), as publication.c */
static int weekday(long day)
{
	return (int)(((day % 7) + 7 + 4) % 7);
}

/* Monday–Friday days in [MONDAY0, x]: MONDAY0 is a Monday (1900-01-01). */
static long weekdays_upto(long x, long monday0)
{
	long d = x - monday0 + 1;
	return d <= 0 ? 0 : 5 * (d / 7) + (d % 7 < 5 ? d % 7 : 5);
}

/* The calendar as prefix sums: adj[k] = the working days the first k
 * calendar entries add to a Monday–Friday count (+1 a 调休 weekend day, -1 a
 * holiday on a weekday). */
typedef struct workcal {
	const xy_publication *p;
	long *adj; /* ndays + 1 */
} workcal;

static xy_code workcal_init(workcal *w, const xy_publication *p)
{
	w->p = p;
	w->adj = calloc(p->ndays + 1, sizeof *w->adj);
	if (!w->adj)
		return XY_ERR_NOMEM;
	for (size_t i = 0; i < p->ndays; i++) {
		int wd = weekday(p->days[i].day);
		bool weekend = wd == 0 || wd == 6;
		w->adj[i + 1] = w->adj[i] + (p->days[i].work && weekend     ? 1
					     : !p->days[i].work && !weekend ? -1
									    : 0);
	}
	return XY_OK;
}

static void workcal_release(workcal *w)
{
	free(w->adj);
	w->adj = NULL;
}

/* calendar entries on or before day x */
static size_t entries_upto(const xy_publication *p, long x)
{
	size_t lo = 0, hi = p->ndays;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (p->days[mid].day <= x)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* Working days in (a, b], a <= b: the Monday–Friday days corrected by the
 * calendar entries in between, in O(log n).  The same count as
 * xy_cal_workdays_between (tested against it), which walks every day: a
 * report over 160,000 records decided years before their upload spent most
 * of its time there. */
static long workdays(const workcal *w, long a, long b)
{
	long monday0 = xy_date_days(1900, 1, 1), n = 0;
	if (a < monday0) { /* before 1900 (a typing mistake, surely): walk up to it */
		for (long d = a + 1; d <= b && d < monday0; d++) {
			int wd = weekday(d);
			n += wd != 0 && wd != 6;
		}
		if (b < monday0)
			return n;
		a = monday0 - 1;
	}
	n += weekdays_upto(b, monday0) - weekdays_upto(a, monday0);
	return n + w->adj[entries_upto(w->p, b)] - w->adj[entries_upto(w->p, a)];
}

/* YYYY-MM-DD at the start of s → days; false when it is not a real date. */
static bool date_days(const char *s, long *days, int *year)
{
	int y, m, d;
	if (!s || strlen(s) < 10 || s[4] != '-' || s[7] != '-')
		return false;
	for (int i = 0; i < 10; i++)
		if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9'))
			return false;
	y = atoi(s);
	m = atoi(s + 5);
	d = atoi(s + 8);
	if (!xy_date_valid(y, m, d))
		return false;
	*days = xy_date_days(y, m, d);
	*year = y;
	return true;
}

/* The upload day in China Standard Time (UTC+8, no daylight saving since
 * 1991) of an ISO 8601 UTC time "YYYY-MM-DDTHH:MM:SSZ"; a bare date is that
 * day. */
static bool upload_day(const char *at, long *days, int *year)
{
	int y, m, d;
	if (!date_days(at, days, year))
		return false;
	if ((at[10] == 'T' || at[10] == ' ') && at[11] >= '0' && at[11] <= '2' && at[12] >= '0' &&
	    at[12] <= '9') {
		int hour = (at[11] - '0') * 10 + (at[12] - '0');
		if (hour + 8 >= 24) {
			++*days;
			xy_date_from_days(*days, &y, &m, &d);
			*year = y;
		}
	}
	return true;
}

static bool covered(const xy_publication *p, int y1, int y2)
{
	return p->first_year && y1 >= p->first_year && y2 <= p->last_year;
}

xy_code xy_quality_lag(const xy_publication *p, const char *decided_on, const char *started_at,
		       long *lag, bool *estimated)
{
	long a, b;
	int ya, yb;
	workcal w;
	if (!p || !lag || !estimated || !date_days(decided_on, &a, &ya) ||
	    !upload_day(started_at, &b, &yb) || a > b)
		return XY_ERR_INVALID;
	if (workcal_init(&w, p))
		return XY_ERR_NOMEM;
	*lag = workdays(&w, a, b);
	*estimated = !covered(p, ya, yb);
	workcal_release(&w);
	return XY_OK;
}

/* ---- the model ---- */

static void row_release(xy_quality_row *r)
{
	free(r->unit);
	free(r->category);
	free(r->lags);
	for (size_t i = 0; i < r->nreasons; i++)
		free(r->reasons[i].reason);
	free(r->reasons);
	for (size_t i = 0; i < r->nfields; i++) {
		free(r->fields[i].code);
		free(r->fields[i].name);
	}
	free(r->fields);
	for (size_t i = 0; i < r->ncolumns; i++) {
		free(r->columns[i].header);
		free(r->columns[i].suggestion);
		free(r->columns[i].suggestion_name);
	}
	free(r->columns);
}

void xy_quality_free(xy_quality *q)
{
	if (!q)
		return;
	for (size_t i = 0; i < q->nrows; i++)
		row_release(&q->rows[i]);
	free(q->rows);
	free(q->unit);
	free(q);
}

double xy_quality_lag_mean(const xy_quality_row *r)
{
	double sum = 0;
	if (!r->nlags)
		return 0;
	for (size_t i = 0; i < r->nlags; i++)
		sum += (double)r->lags[i];
	return sum / (double)r->nlags;
}

static double median_of(const long *v, size_t n)
{
	return n ? ((double)v[(n - 1) / 2] + (double)v[n / 2]) / 2.0 : 0;
}

double xy_quality_lag_median(const xy_quality_row *r)
{
	return median_of(r->lags, r->nlags);
}

/* A row per unit × category met, found through index arrays over the
 * registry's positions. */
typedef struct builder {
	const xy_registry *reg;
	const xy_publication *pub;
	workcal cal;
	xy_quality *q;
	size_t cap;
	size_t *cell;           /* [unit pos × ncategories + category pos] → row + 1 */
	size_t *lag_cap;        /* per row: capacity of rows[i].lags */
	long long **empty;      /* per row: empty counts per field of its category */
	size_t cell_cap;
	xy_code rc;
	xy_error *err;
} builder;

static long unit_pos(const xy_registry *reg, int64_t id)
{
	for (size_t i = 0; i < reg->nunits; i++)
		if (reg->units[i].id == id)
			return (long)i;
	return -1;
}

static long category_pos(const xy_registry *reg, int64_t id)
{
	for (size_t i = 0; i < reg->ncategories; i++)
		if (reg->categories[i].id == id)
			return (long)i;
	return -1;
}

/* The row of unit × category (created on first use); NULL when out of memory
 * or when the ids are not in the registry (b->rc says which). */
static xy_quality_row *row_for(builder *b, int64_t unit_id, int64_t category_id)
{
	long up = unit_pos(b->reg, unit_id), cp = category_pos(b->reg, category_id);
	size_t k, idx;
	xy_quality_row *rows, *r;
	const xy_category *cat;
	if (up < 0 || cp < 0) {
		b->rc = xy_error_set(b->err, XY_ERR_STORE,
				     "the store names unit %lld / category %lld, which its registry "
				     "does not have",
				     (long long)unit_id, (long long)category_id);
		return NULL;
	}
	k = (size_t)up * b->reg->ncategories + (size_t)cp;
	if (b->cell[k])
		return &b->q->rows[b->cell[k] - 1];
	idx = b->q->nrows;
	rows = xy_array_grow(b->q->rows, idx, &b->cap, sizeof *rows, 16);
	if (!rows)
		goto nomem;
	b->q->rows = rows;
	if (idx >= b->cell_cap) {
		size_t ncap = b->cap;
		size_t *lc = realloc(b->lag_cap, ncap * sizeof *lc);
		long long **em;
		if (!lc)
			goto nomem;
		b->lag_cap = lc;
		em = realloc(b->empty, ncap * sizeof *em);
		if (!em)
			goto nomem;
		b->empty = em;
		b->cell_cap = ncap;
	}
	r = &rows[idx];
	memset(r, 0, sizeof *r);
	b->lag_cap[idx] = 0;
	b->empty[idx] = NULL;
	cat = &b->reg->categories[cp];
	r->unit = strdup(b->reg->units[up].name);
	r->category = strdup(cat->name);
	r->publicity = publicity_category(cat);
	if (r->publicity)
		b->empty[idx] = calloc(cat->nfields + 1, sizeof **b->empty);
	b->q->nrows++; /* from here row_release frees what it holds */
	if (!r->unit || !r->category || (r->publicity && !b->empty[idx]))
		goto nomem;
	b->cell[k] = idx + 1;
	return r;
nomem:
	b->rc = xy_error_set(b->err, XY_ERR_NOMEM, "out of memory");
	return NULL;
}

static size_t row_index(const builder *b, const xy_quality_row *r)
{
	return (size_t)(r - b->q->rows);
}

static bool empty_value(const json_t *v)
{
	return !v || json_is_null(v) || (json_is_string(v) && json_string_length(v) == 0);
}

static int on_record(void *ctx, const xy_quality_record *rec)
{
	builder *b = ctx;
	xy_quality_row *r = row_for(b, rec->unit_id, rec->category_id);
	long a, d;
	int ya, yd;
	bool decided;
	size_t i;
	if (!r)
		return 1;
	i = row_index(b, r);
	r->records++;
	decided = rec->decided_on && date_days(rec->decided_on, &d, &yd);
	r->decided += decided;
	if (!decided || !rec->started_at || !upload_day(rec->started_at, &a, &ya)) {
		r->undated++;
	} else if (d > a) {
		r->after_upload++;
	} else {
		long *v = xy_array_grow(r->lags, r->nlags, &b->lag_cap[i], sizeof *v, 64);
		if (!v) {
			b->rc = xy_error_set(b->err, XY_ERR_NOMEM, "out of memory");
			return 1;
		}
		r->lags = v;
		v[r->nlags] = workdays(&b->cal, d, a);
		if (v[r->nlags] <= XY_QUALITY_DAYS)
			r->within++;
		if (!covered(b->pub, yd, ya))
			r->estimated++;
		r->nlags++;
	}
	if (r->publicity) {
		const xy_category *cat = xy_registry_category_by_id(b->reg, rec->category_id);
		json_t *o = rec->data ? json_loads(rec->data, JSON_REJECT_DUPLICATES, NULL) : NULL;
		if (!json_is_object(o)) {
			r->unreadable++;
		} else {
			for (size_t f = 0; f < cat->nfields; f++)
				if (!cat->fields[f].required &&
				    empty_value(json_object_get(o, cat->fields[f].code)))
					b->empty[i][f]++;
		}
		json_decref(o);
	}
	return 0;
}

static int on_batches(void *ctx, const xy_quality_batches *qb)
{
	builder *b = ctx;
	xy_quality_row *r = row_for(b, qb->unit_id, qb->category_id);
	if (!r)
		return 1;
	r->batches += qb->batches;
	r->refused += qb->refused;
	r->rejected += qb->rejected;
	r->error_rows += qb->error_rows;
	return 0;
}

static int on_reason(void *ctx, const xy_reason_count *rc)
{
	builder *b = ctx;
	xy_quality_row *r = row_for(b, rc->unit_id, rc->category_id);
	xy_quality_reason *v;
	size_t cap = r ? r->nreasons : 0;
	if (!r)
		return 1;
	/* arrives grouped and ordered: grow one at a time is rare enough */
	v = realloc(r->reasons, (cap + 1) * sizeof *v);
	if (!v || !(v[cap].reason = strdup(rc->reason))) {
		if (v)
			r->reasons = v;
		b->rc = xy_error_set(b->err, XY_ERR_NOMEM, "out of memory");
		return 1;
	}
	r->reasons = v;
	v[cap].n = rc->n;
	r->nreasons++;
	return 0;
}

static char *dup_or_null(const char *s)
{
	return s ? strdup(s) : NULL;
}

static int on_column(void *ctx, const xy_column_seen *cs)
{
	builder *b = ctx;
	xy_quality_row *r = row_for(b, cs->unit_id, cs->category_id);
	xy_quality_column *v, *c;
	const xy_category *cat;
	if (!r)
		return 1;
	v = realloc(r->columns, (r->ncolumns + 1) * sizeof *v);
	if (!v) {
		b->rc = xy_error_set(b->err, XY_ERR_NOMEM, "out of memory");
		return 1;
	}
	r->columns = v;
	c = &v[r->ncolumns];
	memset(c, 0, sizeof *c);
	r->ncolumns++;
	c->batches = cs->batches;
	c->cells = cs->cells;
	c->header = strdup(cs->header);
	c->suggestion = dup_or_null(cs->suggestion);
	cat = xy_registry_category_by_id(b->reg, cs->category_id);
	if (cs->suggestion && cat)
		for (size_t f = 0; f < cat->nfields; f++)
			if (strcmp(cat->fields[f].code, cs->suggestion) == 0)
				c->suggestion_name = strdup(cat->fields[f].name);
	if (!c->header || (cs->suggestion && !c->suggestion)) {
		b->rc = xy_error_set(b->err, XY_ERR_NOMEM, "out of memory");
		return 1;
	}
	return 0;
}

static int cmp_long(const void *a, const void *b)
{
	long x = *(const long *)a, y = *(const long *)b;
	return (x > y) - (x < y);
}

static int cmp_field(const void *a, const void *b)
{
	const xy_quality_field *x = a, *y = b;
	if (x->empty != y->empty)
		return x->empty > y->empty ? -1 : 1;
	return 0;
}

/* The optional fields of a publicity row, emptiest first, ties in the
 * registry's order. */
static xy_code finish_fields(builder *b, xy_quality_row *r, size_t i)
{
	const xy_category *cat = xy_registry_category(b->reg, r->category);
	size_t n = 0;
	if (!cat || !b->empty[i])
		return XY_OK;
	r->fields = calloc(cat->nfields + 1, sizeof *r->fields);
	if (!r->fields)
		return XY_ERR_NOMEM;
	/* insertion sort: stable, and a category has a few dozen fields */
	for (size_t f = 0; f < cat->nfields; f++) {
		xy_quality_field nf;
		size_t at;
		if (cat->fields[f].required)
			continue;
		nf.code = strdup(cat->fields[f].code);
		nf.name = strdup(cat->fields[f].name);
		nf.empty = b->empty[i][f];
		if (!nf.code || !nf.name) {
			free(nf.code);
			free(nf.name);
			return XY_ERR_NOMEM;
		}
		for (at = n; at > 0 && cmp_field(&nf, &r->fields[at - 1]) < 0; at--)
			r->fields[at] = r->fields[at - 1];
		r->fields[at] = nf;
		r->nfields = ++n;
	}
	return XY_OK;
}

/* Order: the unit's sort (then name), then the category's registry order. */
typedef struct sort_item {
	int unit_sort;
	long category_pos;
	xy_quality_row row;
} sort_item;

static int cmp_item(const void *a, const void *b)
{
	const sort_item *x = a, *y = b;
	int c;
	if (x->unit_sort != y->unit_sort)
		return x->unit_sort < y->unit_sort ? -1 : 1;
	if ((c = strcmp(x->row.unit, y->row.unit)))
		return c;
	return (x->category_pos > y->category_pos) - (x->category_pos < y->category_pos);
}

static xy_code sort_rows(const xy_registry *reg, xy_quality *q)
{
	sort_item *v = calloc(q->nrows + 1, sizeof *v);
	if (!v)
		return XY_ERR_NOMEM;
	for (size_t i = 0; i < q->nrows; i++) {
		const xy_unit *u = xy_registry_unit(reg, q->rows[i].unit);
		const xy_category *c = xy_registry_category(reg, q->rows[i].category);
		v[i].unit_sort = u ? u->sort : 0;
		v[i].category_pos = c ? category_pos(reg, c->id) : 0;
		v[i].row = q->rows[i];
	}
	qsort(v, q->nrows, sizeof *v, cmp_item);
	for (size_t i = 0; i < q->nrows; i++)
		q->rows[i] = v[i].row;
	free(v);
	return XY_OK;
}

static void builder_release(builder *b)
{
	if (b->empty)
		for (size_t i = 0; i < b->q->nrows; i++)
			free(b->empty[i]);
	free(b->empty);
	free(b->lag_cap);
	free(b->cell);
	workcal_release(&b->cal);
}

static xy_code build_with(xy_store *s, const xy_registry *reg, const xy_publication *pub,
			  const char *from, const char *to, const char *unit, xy_quality **out,
			  xy_error *err)
{
	builder b;
	xy_quality *q;
	int64_t unit_id = 0, data_cats[8];
	size_t ndata = 0;
	xy_code rc;

	*out = NULL;
	if ((rc = xy_stats_check_range(from, to, err)))
		return rc;
	if (unit) {
		const xy_unit *u = xy_registry_unit(reg, unit);
		if (!u)
			return xy_error_at(err, XY_ERR_NOTFOUND, NULL, 0, "unit",
					   "'%s' is not a source unit (信源单位不存在)", unit);
		unit_id = u->id;
	}
	if (!(q = calloc(1, sizeof *q)))
		return xy_error_set(err, XY_ERR_NOMEM, "out of memory");
	memcpy(q->from, from, 7);
	memcpy(q->to, to, 7);
	q->cal_first = pub->first_year;
	q->cal_last = pub->last_year;
	memset(&b, 0, sizeof b);
	b.reg = reg;
	b.pub = pub;
	b.q = q;
	b.err = err;
	b.cell = calloc(reg->nunits * reg->ncategories + 1, sizeof *b.cell);
	if (!b.cell || (unit && !(q->unit = strdup(unit))) || workcal_init(&b.cal, pub)) {
		rc = xy_error_set(err, XY_ERR_NOMEM, "out of memory");
		goto done;
	}
	/* the data of the 双公示 records only: their optional fields are checked */
	for (size_t i = 0; i < reg->ncategories && ndata < sizeof data_cats / sizeof *data_cats;
	     i++)
		if (publicity_category(&reg->categories[i]))
			data_cats[ndata++] = reg->categories[i].id;
	if ((rc = xy_store_quality_records(s, from, to, unit_id, data_cats, ndata, on_record, &b,
					   err)) ||
	    (rc = b.rc) ||
	    (rc = xy_store_quality_batches(s, from, to, unit_id, on_batches, &b, err)) ||
	    (rc = b.rc) ||
	    (rc = xy_store_quality_reasons(s, from, to, unit_id, on_reason, &b, err)) ||
	    (rc = b.rc) ||
	    (rc = xy_store_quality_columns(s, from, to, unit_id, on_column, &b, err)) ||
	    (rc = b.rc))
		goto done;
	for (size_t i = 0; i < q->nrows; i++) {
		xy_quality_row *r = &q->rows[i];
		if (r->nlags)
			qsort(r->lags, r->nlags, sizeof *r->lags, cmp_long);
		if ((rc = finish_fields(&b, r, i))) {
			rc = xy_error_set(err, rc, "out of memory");
			goto done;
		}
	}
	if ((rc = sort_rows(reg, q)))
		rc = xy_error_set(err, rc, "out of memory");
done:
	builder_release(&b);
	if (rc)
		xy_quality_free(q);
	else
		*out = q;
	return rc;
}

xy_code xy_quality_build(xy_store *s, const xy_registry *reg, const xy_quality_opts *o,
			 xy_quality **out, xy_error *err)
{
	xy_publication pub;
	xy_code rc;
	if (!out)
		return xy_error_set(err, XY_ERR_ARG, "xy_quality_build: no output");
	*out = NULL;
	if (!s || !reg || !o)
		return xy_error_set(err, XY_ERR_ARG, "xy_quality_build: missing argument");
	xy_publication_init(&pub);
	if (!(rc = xy_publication_load_dir(&pub, o->config_dir, err)))
		rc = build_with(s, reg, &pub, o->from, o->to, o->unit, out, err);
	xy_publication_release(&pub);
	return rc;
}

/* ---- the table ---- */

static const char *const columns[] = {
	"单位",
	"类别",
	"记录数",
	"平均滞后(工作日)",
	"中位滞后(工作日)",
	"最大滞后(工作日)",
	"7个工作日内占比",
	"退回行数",
	"退回文件数",
	"主要退回原因",
	"空缺字段",
	"未识别列",
};
#define NCOLUMNS (sizeof columns / sizeof columns[0])
#define NA "—" /* a figure that does not apply */

/* 2, 2.5: a median is a whole or a half */
static void add_number(xy_buf *b, double v)
{
	if (v == (double)(long long)v)
		xy_buf_addf(b, "%lld", (long long)v);
	else
		xy_buf_addf(b, "%.1f", v);
}

static void add_share(xy_buf *b, long long n, long long of)
{
	xy_buf_addf(b, "%.1f%%", of ? 100.0 * (double)n / (double)of : 0.0);
}

/* The cells of row r into cells[NCOLUMNS] (one buffer each). */
static xy_code row_cells(const xy_quality_row *r, xy_buf *cells)
{
	const char *est = r->estimated ? "*" : "";
	size_t shown;
	for (size_t c = 0; c < NCOLUMNS; c++)
		xy_buf_reset(&cells[c]);
	xy_buf_addstr(&cells[0], r->unit);
	xy_buf_addstr(&cells[1], r->category);
	xy_buf_addf(&cells[2], "%lld", r->records);
	if (r->nlags) {
		xy_buf_addf(&cells[3], "%.1f%s", xy_quality_lag_mean(r), est);
		add_number(&cells[4], xy_quality_lag_median(r));
		xy_buf_addstr(&cells[4], est);
		xy_buf_addf(&cells[5], "%ld%s", r->lags[r->nlags - 1], est);
	} else {
		xy_buf_addstr(&cells[3], NA);
		xy_buf_addstr(&cells[4], NA);
		xy_buf_addstr(&cells[5], NA);
	}
	if (r->publicity && r->nlags)
		add_share(&cells[6], r->within, (long long)r->nlags);
	else
		xy_buf_addstr(&cells[6], NA);
	xy_buf_addf(&cells[7], "%lld", r->rejected);
	xy_buf_addf(&cells[8], "%lld", r->refused);
	for (size_t i = 0; i < r->nreasons && i < TOP_REASONS; i++)
		xy_buf_addf(&cells[9], "%s%s（%lld）", i ? "；" : "", r->reasons[i].reason,
			    r->reasons[i].n);
	if (r->nreasons > TOP_REASONS)
		xy_buf_addf(&cells[9], "；另%zu种", r->nreasons - TOP_REASONS);
	if (!r->publicity || !r->records) {
		xy_buf_addstr(&cells[10], NA);
	} else {
		long long checked = r->records - r->unreadable;
		shown = 0;
		for (size_t i = 0; i < r->nfields && shown < TOP_FIELDS; i++) {
			if (!r->fields[i].empty)
				break;
			xy_buf_addf(&cells[10], "%s%s ", shown ? "；" : "", r->fields[i].name);
			add_share(&cells[10], r->fields[i].empty, checked);
			shown++;
		}
		if (!shown)
			xy_buf_addstr(&cells[10], "无");
	}
	for (size_t i = 0; i < r->ncolumns && i < TOP_COLUMNS; i++) {
		const xy_quality_column *c = &r->columns[i];
		xy_buf_addf(&cells[11], "%s%s（%lld批/%lld格", i ? "；" : "", c->header, c->batches,
			    c->cells);
		if (c->suggestion)
			xy_buf_addf(&cells[11], "，疑为%s",
				    c->suggestion_name ? c->suggestion_name : c->suggestion);
		xy_buf_addstr(&cells[11], "）");
	}
	if (r->ncolumns > TOP_COLUMNS)
		xy_buf_addf(&cells[11], "；另%zu列", r->ncolumns - TOP_COLUMNS);
	for (size_t c = 0; c < NCOLUMNS; c++)
		if (cells[c].len == 0 && c != 9 && c != 11)
			return XY_ERR_NOMEM; /* every other cell has text: an empty one failed */
	return XY_OK;
}

xy_code xy_quality_table(const xy_quality *q, xy_table **out, xy_error *err)
{
	xy_buf title = XY_BUF_INIT, note = XY_BUF_INIT;
	xy_buf cells[NCOLUMNS];
	const char *labels[NCOLUMNS];
	char period[64];
	bool estimated = false;
	xy_table *t;
	xy_code rc = XY_OK;

	*out = NULL;
	xy_stats_period(q->from, q->to, period, sizeof period);
	if (q->unit)
		xy_buf_addstr(&title, q->unit);
	xy_buf_addf(&title, "%s信源单位数据质量情况", period);
	xy_buf_addf(&note,
		    "报送月份 %s 至 %s（按批次报送日期统计）；滞后：决定日期至上传日（北京时间）"
		    "的工作日数；7个工作日内占比仅适用于行政许可、行政处罚",
		    q->from, q->to);
	for (size_t i = 0; i < q->nrows; i++)
		estimated |= q->rows[i].estimated > 0;
	if (estimated)
		xy_buf_addstr(&note, "；标*者含节假日安排未载入的年份，按周一至周五推算");
	/* every column is text (a label column): the figures carry —, % and * */
	t = xy_table_new(title.data, NCOLUMNS, columns, 0, NULL, NULL, NULL, 0);
	if (!t || xy_table_set_note(t, note.data)) {
		rc = XY_ERR_NOMEM;
		goto done;
	}
	for (size_t c = 0; c < NCOLUMNS; c++)
		xy_buf_init(&cells[c], 0);
	for (size_t i = 0; i < q->nrows && !rc; i++) {
		if ((rc = row_cells(&q->rows[i], cells)))
			break;
		for (size_t c = 0; c < NCOLUMNS; c++)
			labels[c] = cells[c].data;
		rc = xy_table_add_row(t, labels, NULL);
	}
	for (size_t c = 0; c < NCOLUMNS; c++)
		xy_buf_release(&cells[c]);
done:
	xy_buf_release(&title);
	xy_buf_release(&note);
	if (rc) {
		xy_table_free(t);
		return xy_error_set(err, rc, "out of memory");
	}
	*out = t;
	return XY_OK;
}

/* ---- JSON ---- */

/* Builds values and remembers the first failure (out of memory, or text
 * that is not UTF-8), so a report that cannot be built is an error. */
typedef struct jb {
	bool failed;
} jb;

static json_t *jchk(jb *j, json_t *v)
{
	if (!v)
		j->failed = true;
	return v;
}

static json_t *jstr(jb *j, const char *s)
{
	return jchk(j, s ? json_string(s) : json_null());
}

/* The _new setters take v even when they fail; without a container, v is
 * released here. */
static void jset(jb *j, json_t *o, const char *key, json_t *v)
{
	if (!o) {
		json_decref(v);
		j->failed = true;
	} else if (!v || json_object_set_new(o, key, v)) {
		j->failed = true;
	}
}

static void jpush(jb *j, json_t *a, json_t *v)
{
	if (!a) {
		json_decref(v);
		j->failed = true;
	} else if (!v || json_array_append_new(a, v)) {
		j->failed = true;
	}
}

/* n/of to four decimals, null when of is 0 */
static json_t *jshare(jb *j, long long n, long long of)
{
	if (!of)
		return jchk(j, json_null());
	return jchk(j, json_real((double)(long long)(10000.0 * (double)n / (double)of + 0.5) /
				 10000.0));
}

static json_t *lag_json(jb *j, const xy_quality_row *r)
{
	static const long edges[] = { 7, 15, 30, 60 };
	json_t *o = jchk(j, json_object()), *h = jchk(j, json_array());
	size_t k = 0;
	bool any = r->nlags > 0;
	jset(j, o, "dated", jchk(j, json_integer((json_int_t)r->nlags)));
	jset(j, o, "undated", jchk(j, json_integer(r->undated)));
	jset(j, o, "decided_after_upload", jchk(j, json_integer(r->after_upload)));
	jset(j, o, "estimated", jchk(j, json_integer(r->estimated)));
	jset(j, o, "mean",
	     jchk(j, any ? json_real((double)(long long)(xy_quality_lag_mean(r) * 100 + 0.5) / 100)
		     : json_null()));
	jset(j, o, "median", jchk(j, any ? json_real(xy_quality_lag_median(r)) : json_null()));
	jset(j, o, "min", jchk(j, any ? json_integer(r->lags[0]) : json_null()));
	jset(j, o, "max", jchk(j, any ? json_integer(r->lags[r->nlags - 1]) : json_null()));
	jset(j, o, "within_7", jchk(j, r->publicity && any ? json_integer(r->within) : json_null()));
	jset(j, o, "share_within_7",
	     r->publicity ? jshare(j, r->within, (long long)r->nlags) : jchk(j, json_null()));
	/* how many lags fall in 0-7, 8-15, 16-30, 31-60 and over 60 working days */
	for (size_t e = 0; e <= sizeof edges / sizeof edges[0]; e++) {
		bool last = e == sizeof edges / sizeof edges[0];
		long lo = e ? edges[e - 1] + 1 : 0;
		long long n = 0;
		json_t *b = jchk(j, json_object());
		for (; k < r->nlags && (last || r->lags[k] <= edges[e]); k++)
			n++;
		jset(j, b, "from", jchk(j, json_integer(lo)));
		jset(j, b, "to", jchk(j, last ? json_null() : json_integer(edges[e])));
		jset(j, b, "n", jchk(j, json_integer(n)));
		jpush(j, h, b);
	}
	jset(j, o, "histogram", h);
	return o;
}

static json_t *row_json(jb *j, const xy_quality_row *r)
{
	json_t *o = jchk(j, json_object()), *a;
	long long checked = r->records - r->unreadable;
	jset(j, o, "unit", jstr(j, r->unit));
	jset(j, o, "category", jstr(j, r->category));
	jset(j, o, "publicity", jchk(j, json_boolean(r->publicity)));
	jset(j, o, "records", jchk(j, json_integer(r->records)));
	jset(j, o, "with_decision_date", jchk(j, json_integer(r->decided)));
	jset(j, o, "lag", lag_json(j, r));
	jset(j, o, "batches", jchk(j, json_integer(r->batches)));
	jset(j, o, "refused_files", jchk(j, json_integer(r->refused)));
	jset(j, o, "rejected_rows", jchk(j, json_integer(r->rejected)));
	jset(j, o, "rejected_rows_with_errors", jchk(j, json_integer(r->error_rows)));
	a = jchk(j, json_array());
	for (size_t i = 0; i < r->nreasons; i++) {
		json_t *e = jchk(j, json_object());
		jset(j, e, "reason", jstr(j, r->reasons[i].reason));
		jset(j, e, "count", jchk(j, json_integer(r->reasons[i].n)));
		jpush(j, a, e);
	}
	jset(j, o, "reasons", a);
	if (r->publicity) {
		a = jchk(j, json_array());
		for (size_t i = 0; i < r->nfields; i++) {
			json_t *e = jchk(j, json_object());
			jset(j, e, "code", jstr(j, r->fields[i].code));
			jset(j, e, "name", jstr(j, r->fields[i].name));
			jset(j, e, "empty", jchk(j, json_integer(r->fields[i].empty)));
			jset(j, e, "share", jshare(j, r->fields[i].empty, checked));
			jpush(j, a, e);
		}
		jset(j, o, "empty_fields", a);
		jset(j, o, "unreadable_records", jchk(j, json_integer(r->unreadable)));
	}
	a = jchk(j, json_array());
	for (size_t i = 0; i < r->ncolumns; i++) {
		const xy_quality_column *c = &r->columns[i];
		json_t *e = jchk(j, json_object());
		jset(j, e, "header", jstr(j, c->header));
		jset(j, e, "batches", jchk(j, json_integer(c->batches)));
		jset(j, e, "cells", jchk(j, json_integer(c->cells)));
		jset(j, e, "suggestion", jstr(j, c->suggestion));
		jset(j, e, "suggestion_name", jstr(j, c->suggestion_name));
		jpush(j, a, e);
	}
	jset(j, o, "unmapped_columns", a);
	return o;
}

xy_code xy_quality_json(const xy_quality *q, xy_buf *out, xy_error *err)
{
	jb j = { false };
	json_t *o = jchk(&j, json_object()), *cal = jchk(&j, json_object()),
	       *rows = jchk(&j, json_array());
	char *text = NULL;
	xy_code rc = XY_OK;
	jset(&j, o, "from", jstr(&j, q->from));
	jset(&j, o, "to", jstr(&j, q->to));
	jset(&j, o, "unit", jstr(&j, q->unit));
	jset(&j, o, "days", jchk(&j, json_integer(XY_QUALITY_DAYS)));
	jset(&j, cal, "first_year", jchk(&j, q->cal_first ? json_integer(q->cal_first) : json_null()));
	jset(&j, cal, "last_year", jchk(&j, q->cal_last ? json_integer(q->cal_last) : json_null()));
	jset(&j, o, "calendar", cal);
	for (size_t i = 0; i < q->nrows; i++)
		jpush(&j, rows, row_json(&j, &q->rows[i]));
	jset(&j, o, "rows", rows);
	if (!j.failed)
		text = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);
	if (j.failed || !text)
		rc = xy_error_set(err, XY_ERR_INVALID,
				  "the quality report cannot be written as JSON (out of memory, or "
				  "text that is not UTF-8)");
	else
		rc = xy_buf_addstr(out, text) ? xy_error_set(err, XY_ERR_NOMEM, "out of memory")
					     : XY_OK;
	free(text);
	json_decref(o);
	return rc;
}

/* ---- the bulletin's sentence ---- */

typedef struct slow_unit {
	const char *name;
	double median;
	bool estimated;
} slow_unit;

static int cmp_slow(const void *a, const void *b)
{
	const slow_unit *x = a, *y = b;
	if (x->median != y->median)
		return x->median > y->median ? -1 : 1;
	return 0;
}

xy_code xy_quality_sentence(xy_store *s, const xy_registry *reg, const char *month,
			    const char *config_dir, xy_buf *out, xy_error *err)
{
	xy_quality_opts o = { month, month, NULL, config_dir };
	xy_quality *q = NULL;
	slow_unit *slow = NULL;
	long *lags = NULL;
	size_t nslow = 0;
	xy_code rc;

	if ((rc = xy_quality_build(s, reg, &o, &q, err)))
		return rc;
	slow = calloc(q->nrows + 1, sizeof *slow);
	if (!slow) {
		rc = xy_error_set(err, XY_ERR_NOMEM, "out of memory");
		goto done;
	}
	/* rows come grouped by unit: merge each unit's 双公示 lags */
	for (size_t i = 0; i < q->nrows;) {
		size_t end = i, n = 0, at = 0;
		bool estimated = false;
		while (end < q->nrows && strcmp(q->rows[end].unit, q->rows[i].unit) == 0) {
			if (q->rows[end].publicity)
				n += q->rows[end].nlags;
			end++;
		}
		if (n) {
			long *v = realloc(lags, n * sizeof *v);
			if (!v) {
				rc = xy_error_set(err, XY_ERR_NOMEM, "out of memory");
				goto done;
			}
			lags = v;
			for (size_t k = i; k < end; k++)
				if (q->rows[k].publicity) {
					memcpy(lags + at, q->rows[k].lags,
					       q->rows[k].nlags * sizeof *lags);
					at += q->rows[k].nlags;
					estimated |= q->rows[k].estimated > 0;
				}
			qsort(lags, n, sizeof *lags, cmp_long);
			if (median_of(lags, n) > XY_QUALITY_DAYS) {
				slow[nslow].name = q->rows[i].unit;
				slow[nslow].median = median_of(lags, n);
				slow[nslow].estimated = estimated;
				nslow++;
			}
		}
		i = end;
	}
	if (!nslow)
		goto done;
	/* stable: equal medians keep the units' order */
	for (size_t i = 1; i < nslow; i++)
		for (size_t k = i; k > 0 && cmp_slow(&slow[k], &slow[k - 1]) < 0; k--) {
			slow_unit t = slow[k];
			slow[k] = slow[k - 1];
			slow[k - 1] = t;
		}
	xy_buf_addstr(out, "双公示报送较慢的单位：");
	for (size_t i = 0; i < nslow && i < SLOW_UNITS; i++) {
		xy_buf_addf(out, "%s%s（中位滞后%s", i ? "、" : "", slow[i].name,
			    slow[i].estimated ? "约" : "");
		add_number(out, slow[i].median);
		xy_buf_addstr(out, "个工作日）");
	}
	if (nslow > SLOW_UNITS)
		xy_buf_addf(out, "等%zu个单位", nslow);
	rc = xy_buf_addstr(out, "（超过7个工作日）。\n");
	if (rc)
		rc = xy_error_set(err, rc, "out of memory");
done:
	free(lags);
	free(slow);
	xy_quality_free(q);
	return rc;
}
