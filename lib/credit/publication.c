/* xinyong: publication windows, the working-day calendar, display status. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "xinyong/buf.h"
#include "xinyong/date.h"
#include "xinyong/publication.h"
#include "xinyong/registry.h"
#include "xinyong/tsv.h"
#include "internal.h"

#define FILE_MAX (1u << 20)
#define NOMEM() xy_error_set(err, XY_ERR_NOMEM, "out of memory")
#define BAD(t, field, ...) \
	xy_error_at(err, XY_ERR_CONFIG, (t)->path, (t)->line, field, __VA_ARGS__)

void xy_publication_init(xy_publication *p)
{
	memset(p, 0, sizeof *p);
}

void xy_publication_release(xy_publication *p)
{
	if (!p)
		return;
	free(p->rules);
	free(p->days);
	xy_publication_init(p);
}

/* ---- dates ---- */

static bool parse_iso(const char *d, int *y, int *m, int *dd)
{
	char norm[11];
	if (!d || xy_date_parse(d, norm) || strcmp(norm, d) != 0)
		return false;
	*y = atoi(norm);
	*m = atoi(norm + 5);
	*dd = atoi(norm + 8);
	return true;
}

static void fmt_ymd(int y, int m, int d, char out[11])
{
	char tmp[32];
	snprintf(tmp, sizeof tmp, "%04u-%02u-%02u", (unsigned)y % 10000u, (unsigned)m % 100u,
		 (unsigned)d % 100u);
	memcpy(out, tmp, 11);
}

static void fmt_days(long days, char out[11])
{
	int y, m, d;
	xy_date_from_days(days, &y, &m, &d);
	fmt_ymd(y, m, d, out);
}

static bool to_days(const char *d, long *out)
{
	int y, m, dd;
	if (!parse_iso(d, &y, &m, &dd))
		return false;
	*out = xy_date_days(y, m, dd);
	return true;
}

xy_code xy_date_add_months(const char *d, int n, char out[11])
{
	int y, m, dd;
	long mi;
	if (!parse_iso(d, &y, &m, &dd))
		return XY_ERR_INVALID;
	mi = (long)y * 12 + (m - 1) + n;
	y = (int)(mi / 12);
	m = (int)(mi % 12) + 1;
	if (y < 1 || y > 9999)
		return XY_ERR_INVALID;
	while (!xy_date_valid(y, m, dd))
		dd--;
	fmt_ymd(y, m, dd, out);
	return XY_OK;
}

xy_code xy_date_add_days(const char *d, long n, char out[11])
{
	long days;
	if (!to_days(d, &days))
		return XY_ERR_INVALID;
	fmt_days(days + n, out);
	return XY_OK;
}

/* ---- calendar ---- */

static const xy_cal_day *cal_find(const xy_publication *p, long day)
{
	size_t lo = 0, hi = p->ndays;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (p->days[mid].day == day)
			return &p->days[mid];
		if (p->days[mid].day < day)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

static bool workday_n(const xy_publication *p, long day)
{
	const xy_cal_day *c = cal_find(p, day);
	long wd = ((day % 7) + 7 + 4) % 7; /* 1970-01-01 was a Thursday; 0 = Sunday */
	if (c)
		return c->work;
	return wd != 0 && wd != 6;
}

bool xy_cal_workday(const xy_publication *p, const char *d)
{
	long day;
	return to_days(d, &day) && workday_n(p, day);
}

xy_code xy_cal_add_workdays(const xy_publication *p, const char *d, int n, char out[11])
{
	long day;
	if (!to_days(d, &day) || n < 1)
		return XY_ERR_INVALID;
	while (n > 0) {
		day++;
		if (workday_n(p, day))
			n--;
	}
	fmt_days(day, out);
	return XY_OK;
}

long xy_cal_workdays_between(const xy_publication *p, const char *from, const char *to)
{
	long a, b, n = 0;
	if (!to_days(from, &a) || !to_days(to, &b))
		return 0;
	for (long day = a + 1; day <= b; day++)
		n += workday_n(p, day);
	return n;
}

bool xy_cal_covers(const xy_publication *p, const char *from, const char *to)
{
	int a = atoi(from), b = atoi(to); /* both checked dates: the year leads */
	return p->first_year && a >= p->first_year && b <= p->last_year;
}

/* ---- loading ---- */

/* dir/name, or the default configuration's file when dir has none. */
static xy_code conf_path(const char *dir, const char *name, xy_buf *path)
{
	struct stat sb;
	xy_buf_reset(path);
	if (dir && *dir) {
		if (xy_buf_addf(path, "%s/%s", dir, name))
			return XY_ERR_NOMEM;
		if (stat(path->data, &sb) == 0 || errno != ENOENT)
			return XY_OK;
		xy_buf_reset(path);
	}
	return xy_buf_addf(path, "%s/%s", xy_registry_default_dir(), name);
}

static xy_code copy_col(xy_tsv *t, size_t i, char *dst, size_t n, const char *field,
			xy_error *err)
{
	const char *v = xy_tsv_col(t, i);
	size_t len = strlen(v);
	if (len >= n)
		return BAD(t, field, "too long (%zu bytes, at most %zu)", len, n - 1);
	memcpy(dst, v, len + 1);
	return XY_OK;
}

/* A period: "" or "0" → 0, "3m" → 3, "1y" → 12, "-" → no maximum (when allowed). */
static int parse_period(const char *s, bool allow_none, int *months)
{
	char *end;
	long v;
	if (!*s || !strcmp(s, "0")) {
		*months = 0;
		return 0;
	}
	if (!strcmp(s, "-")) {
		if (!allow_none)
			return -1;
		*months = XY_PUB_NO_MAX;
		return 0;
	}
	v = strtol(s, &end, 10);
	if (end == s || v <= 0 || v > 1200 || end[1])
		return -1;
	if (*end == 'm')
		*months = (int)v;
	else if (*end == 'y')
		*months = (int)v * 12;
	else
		return -1;
	return 0;
}

static bool severity_ok(const char *s)
{
	return !*s || !strcmp(s, "轻微") || !strcmp(s, "一般") || !strcmp(s, "严重");
}

static xy_code load_rules(xy_publication *p, const char *path, xy_error *err)
{
	static const char *const names[] = { "category", "severity", "min", "max", "from", "basis" };
	xy_tsv t;
	size_t cap = 0;
	xy_code rc;
	if ((rc = xy_tsv_open(&t, path, FILE_MAX, err)))
		return rc;
	if ((rc = xy_tsv_header(&t, names, 6, err)))
		goto out;
	while (xy_tsv_next(&t)) {
		xy_pub_rule r;
		char norm[11];
		memset(&r, 0, sizeof r);
		if ((rc = copy_col(&t, 0, r.category, sizeof r.category, "category", err)) ||
		    (rc = copy_col(&t, 1, r.severity, sizeof r.severity, "severity", err)) ||
		    (rc = copy_col(&t, 4, r.from, sizeof r.from, "from", err)) ||
		    (rc = copy_col(&t, 5, r.basis, sizeof r.basis, "basis", err)))
			goto out;
		if (!r.category[0]) {
			rc = BAD(&t, "category", "no category");
			goto out;
		}
		if (!severity_ok(r.severity)) {
			rc = BAD(&t, "severity", "'%s' is not 轻微, 一般, 严重 or empty", r.severity);
			goto out;
		}
		if (parse_period(xy_tsv_col(&t, 2), false, &r.min_months)) {
			rc = BAD(&t, "min", "'%s' is not a period (0, Nm, Ny)", xy_tsv_col(&t, 2));
			goto out;
		}
		if (parse_period(xy_tsv_col(&t, 3), true, &r.max_months)) {
			rc = BAD(&t, "max", "'%s' is not a period (0, Nm, Ny, -)", xy_tsv_col(&t, 3));
			goto out;
		}
		if (r.max_months != XY_PUB_NO_MAX && r.max_months < r.min_months) {
			rc = BAD(&t, "max", "maximum %s is shorter than minimum %s", xy_tsv_col(&t, 3),
				 xy_tsv_col(&t, 2));
			goto out;
		}
		if (xy_date_parse(r.from, norm) || strcmp(norm, r.from)) {
			rc = BAD(&t, "from", "'%s' is not a date YYYY-MM-DD", r.from);
			goto out;
		}
		for (size_t i = 0; i < p->nrules; i++)
			if (!strcmp(p->rules[i].category, r.category) &&
			    !strcmp(p->rules[i].severity, r.severity) &&
			    !strcmp(p->rules[i].from, r.from)) {
				rc = BAD(&t, "from", "a rule for %s %s from %s is already given",
					 r.category, r.severity[0] ? r.severity : "(every severity)",
					 r.from);
				goto out;
			}
		xy_pub_rule *v = xy_array_grow(p->rules, p->nrules, &cap, sizeof *v, 16);
		if (!v) {
			rc = NOMEM();
			goto out;
		}
		p->rules = v;
		p->rules[p->nrules++] = r;
	}
out:
	xy_tsv_close(&t);
	return rc;
}

static int cmp_day(const void *a, const void *b)
{
	long x = ((const xy_cal_day *)a)->day, y = ((const xy_cal_day *)b)->day;
	return (x > y) - (x < y);
}

static xy_code load_holidays(xy_publication *p, const char *path, xy_error *err)
{
	static const char *const names[] = { "date", "kind", "name" };
	xy_tsv t;
	size_t cap = 0;
	xy_code rc;
	if ((rc = xy_tsv_open(&t, path, FILE_MAX, err)))
		return rc;
	if ((rc = xy_tsv_header(&t, names, 3, err)))
		goto out;
	while (xy_tsv_next(&t)) {
		xy_cal_day c;
		const char *kind = xy_tsv_col(&t, 1);
		int y = atoi(xy_tsv_col(&t, 0));
		memset(&c, 0, sizeof c);
		if (!to_days(xy_tsv_col(&t, 0), &c.day)) {
			rc = BAD(&t, "date", "'%s' is not a date YYYY-MM-DD", xy_tsv_col(&t, 0));
			goto out;
		}
		if (!strcmp(kind, "休"))
			c.work = false;
		else if (!strcmp(kind, "班"))
			c.work = true;
		else {
			rc = BAD(&t, "kind", "'%s' must be 休 (holiday) or 班 (调休 working day)", kind);
			goto out;
		}
		if ((rc = copy_col(&t, 2, c.name, sizeof c.name, "name", err)))
			goto out;
		if (cal_find(p, c.day)) {
			rc = BAD(&t, "date", "%s is given twice", xy_tsv_col(&t, 0));
			goto out;
		}
		xy_cal_day *v = xy_array_grow(p->days, p->ndays, &cap, sizeof *v, 128);
		if (!v) {
			rc = NOMEM();
			goto out;
		}
		p->days = v;
		p->days[p->ndays++] = c;
		/* keep sorted as we go so cal_find sees duplicates (files are in order) */
		if (p->ndays > 1 && p->days[p->ndays - 2].day > c.day)
			qsort(p->days, p->ndays, sizeof *p->days, cmp_day);
		if (!p->first_year || y < p->first_year)
			p->first_year = y;
		if (y > p->last_year)
			p->last_year = y;
	}
out:
	xy_tsv_close(&t);
	return rc;
}

static xy_code load_deadlines(xy_publication *p, const char *path, xy_error *err)
{
	static const char *const names[] = { "step", "working_days", "basis" };
	static const char *const steps[XY_DL__N] = { "修复受理", "修复决定", "异议处理" };
	xy_tsv t;
	xy_code rc;
	if ((rc = xy_tsv_open(&t, path, FILE_MAX, err)))
		return rc;
	if ((rc = xy_tsv_header(&t, names, 3, err)))
		goto out;
	while (xy_tsv_next(&t)) {
		const char *step = xy_tsv_col(&t, 0);
		char *end;
		long n = strtol(xy_tsv_col(&t, 1), &end, 10);
		size_t i;
		for (i = 0; i < XY_DL__N && strcmp(steps[i], step); i++)
			;
		if (i == XY_DL__N) {
			rc = BAD(&t, "step", "unknown step '%s' (修复受理, 修复决定, 异议处理)", step);
			goto out;
		}
		if (end == xy_tsv_col(&t, 1) || *end || n < 1 || n > 365) {
			rc = BAD(&t, "working_days", "'%s' is not a number of working days (1-365)",
				 xy_tsv_col(&t, 1));
			goto out;
		}
		p->deadline[i] = (int)n;
		if ((rc = copy_col(&t, 2, p->deadline_basis[i], sizeof p->deadline_basis[i], "basis",
				   err)))
			goto out;
	}
	for (size_t i = 0; i < XY_DL__N; i++)
		if (!p->deadline[i]) {
			rc = xy_error_at(err, XY_ERR_CONFIG, path, 0, "step", "no deadline for %s",
					 steps[i]);
			goto out;
		}
out:
	xy_tsv_close(&t);
	return rc;
}

xy_code xy_publication_load_dir(xy_publication *p, const char *dir, xy_error *err)
{
	xy_buf path = XY_BUF_INIT;
	xy_code rc;
	xy_publication_release(p);
	if ((rc = conf_path(dir, "publication.tsv", &path)) ||
	    (rc = load_rules(p, path.data, err)) ||
	    (rc = conf_path(dir, "holidays.tsv", &path)) ||
	    (rc = load_holidays(p, path.data, err)) ||
	    (rc = conf_path(dir, "deadlines.tsv", &path)) ||
	    (rc = load_deadlines(p, path.data, err)))
		xy_publication_release(p);
	if (rc == XY_ERR_NOMEM)
		NOMEM();
	xy_buf_release(&path);
	return rc;
}

/* ---- windows ---- */

const xy_pub_rule *xy_pub_rule_for(const xy_publication *p, const char *category,
				   const char *severity, const char *decided_on)
{
	const xy_pub_rule *best = NULL;
	if (!severity || !*severity)
		severity = XY_SEVERITY_DEFAULT;
	if (!decided_on || !*decided_on)
		return NULL;
	for (int pass = 0; pass < 2 && !best; pass++)
		for (size_t i = 0; i < p->nrules; i++) {
			const xy_pub_rule *r = &p->rules[i];
			if (strcmp(r->category, category) ||
			    strcmp(r->severity, pass ? "" : severity) || strcmp(r->from, decided_on) > 0)
				continue;
			if (!best || strcmp(r->from, best->from) > 0)
				best = r;
		}
	return best;
}

xy_code xy_pub_window_for(const xy_publication *p, const char *category, const char *severity,
			  const char *decided_on, const char *until, xy_pub_window *w,
			  xy_error *err)
{
	const xy_pub_rule *r;
	memset(w, 0, sizeof *w);
	w->published = true;
	/* a severity the rules do not know counts as the default (import checks
	 * the field's values; this guards data from elsewhere) */
	snprintf(w->severity, sizeof w->severity, "%s",
		 severity && *severity && severity_ok(severity) ? severity : XY_SEVERITY_DEFAULT);
	if (!decided_on || !*decided_on)
		return XY_OK;
	if (xy_date_add_days(decided_on, 0, w->first))
		return xy_error_at(err, XY_ERR_INVALID, NULL, 0, "decided_on",
				   "'%s' is not a date YYYY-MM-DD", decided_on);
	if (!(r = xy_pub_rule_for(p, category, w->severity, decided_on)))
		return XY_OK;
	w->rule = r;
	if (r->max_months == 0) {
		w->published = false;
		return XY_OK;
	}
	if (r->min_months) {
		xy_date_add_months(decided_on, r->min_months, w->min_end);
		xy_date_add_days(w->min_end, 1, w->repairable_from);
	}
	if (r->max_months != XY_PUB_NO_MAX)
		xy_date_add_months(decided_on, r->max_months, w->last);
	if (until && *until) {
		char u[11];
		if (xy_date_parse(until, u))
			return xy_error_at(err, XY_ERR_INVALID, NULL, 0, "until",
					   "'%s' is not a date", until);
		if (w->min_end[0] && strcmp(u, w->min_end) < 0)
			memcpy(u, w->min_end, sizeof u);
		if (strcmp(u, w->first) < 0)
			memcpy(u, w->first, sizeof u);
		if (!w->last[0] || strcmp(u, w->last) < 0)
			memcpy(w->last, u, sizeof u);
	}
	return XY_OK;
}

const char *xy_display_name(xy_display d)
{
	switch (d) {
	case XY_DISP_PUBLIC: return "公示中";
	case XY_DISP_OBJECTION: return "异议处理中";
	case XY_DISP_NOT_YET: return "未到公示日期";
	case XY_DISP_MINOR: return "不予公示";
	case XY_DISP_EXPIRED: return "公示期满";
	case XY_DISP_REPAIRED: return "已修复";
	case XY_DISP_REVOKED: return "已撤销";
	}
	return "?";
}

const char *xy_display_code(xy_display d)
{
	switch (d) {
	case XY_DISP_PUBLIC: return "public";
	case XY_DISP_OBJECTION: return "objection";
	case XY_DISP_NOT_YET: return "not_yet";
	case XY_DISP_MINOR: return "minor";
	case XY_DISP_EXPIRED: return "expired";
	case XY_DISP_REPAIRED: return "repaired";
	case XY_DISP_REVOKED: return "revoked";
	}
	return "?";
}

bool xy_display_shown(xy_display d)
{
	return d == XY_DISP_PUBLIC || d == XY_DISP_OBJECTION;
}

static bool on_or_before(const char *a, const char *d)
{
	return a && *a && strcmp(a, d) <= 0;
}

xy_display xy_pub_display(const xy_pub_window *w, const xy_record_facts *f, const char *d)
{
	if (f) {
		for (size_t i = 0; i < f->nobjections; i++) {
			const xy_obj_span *o = &f->objections[i];
			if (o->result && !strcmp(o->result, "撤销") && on_or_before(o->decided, d))
				return XY_DISP_REVOKED;
		}
		if (on_or_before(f->repaired_on, d))
			return XY_DISP_REPAIRED;
		for (size_t i = 0; i < f->nobjections; i++) {
			const xy_obj_span *o = &f->objections[i];
			if (on_or_before(o->filed, d) && !on_or_before(o->decided, d))
				return XY_DISP_OBJECTION;
		}
	}
	if (w->first[0] && strcmp(d, w->first) < 0)
		return XY_DISP_NOT_YET;
	if (!w->published)
		return XY_DISP_MINOR;
	if (w->last[0] && strcmp(d, w->last) > 0)
		return XY_DISP_EXPIRED;
	return XY_DISP_PUBLIC;
}
