/* The bulletin's statistics tables, computed from the batch counts.
 *
 * Everything here reads xy_store_counts() (one row per unit × category ×
 * reporting month, built from the batches, not the records), so a table over
 * ten million records costs what a table over ten does.  Layouts (columns,
 * units, their order and groups) come from tables.tsv.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xinyong/date.h"
#include "xinyong/gov_dishonesty.h"
#include "xinyong/stats.h"

#define TABLES_FILE "tables.tsv"
#define MAX_MONTHS 600 /* fifty years: a longer range is a typing mistake */

static const char *const layout_names[] = { "department", "region" };

int xy_stats_layout_parse(const char *s, xy_stats_layout *out)
{
	if (!s)
		return -1;
	if (strcmp(s, "department") == 0 || strcmp(s, "部门") == 0) {
		*out = XY_STATS_DEPARTMENT;
		return 0;
	}
	if (strcmp(s, "region") == 0 || strcmp(s, "地区") == 0) {
		*out = XY_STATS_REGION;
		return 0;
	}
	return -1;
}

const char *xy_stats_layout_name(xy_stats_layout l)
{
	return (size_t)l < 2 ? layout_names[l] : "?";
}

/* ---- months ---- */

/* "YYYY-MM" → months since year 0, or -1. */
static long month_index(const char *s)
{
	int y = 0, m = 0;
	if (!s || strlen(s) != 7 || s[4] != '-')
		return -1;
	for (int i = 0; i < 7; i++)
		if (i != 4 && (s[i] < '0' || s[i] > '9'))
			return -1;
	y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
	m = (s[5] - '0') * 10 + (s[6] - '0');
	if (y < 1900 || m < 1 || m > 12)
		return -1;
	return (long)y * 12 + (m - 1);
}

static void month_name(long idx, char out[8])
{
	char tmp[48];
	snprintf(tmp, sizeof tmp, "%04ld-%02ld", (idx / 12) % 10000, idx % 12 + 1);
	memcpy(out, tmp, 7);
	out[7] = '\0';
}

xy_code xy_stats_check_range(const char *from, const char *to, xy_error *err)
{
	long f, t;
	if (!from || !*from || !to || !*to)
		return xy_error_set(err, XY_ERR_ARG, "a month range needs both ends (--from and --to, YYYY-MM)");
	if ((f = month_index(from)) < 0)
		return xy_error_set(err, XY_ERR_ARG, "'%s' is not a month: write YYYY-MM, e.g. 2019-01",
				    from);
	if ((t = month_index(to)) < 0)
		return xy_error_set(err, XY_ERR_ARG, "'%s' is not a month: write YYYY-MM, e.g. 2019-10",
				    to);
	if (t < f)
		return xy_error_set(err, XY_ERR_ARG,
				    "the month range runs backwards: %s is after %s (起始月份晚于截止月份)",
				    from, to);
	if (t - f >= MAX_MONTHS)
		return xy_error_set(err, XY_ERR_ARG, "the month range %s..%s is longer than %d months",
				    from, to, MAX_MONTHS);
	return XY_OK;
}

void xy_stats_default_range(const char **from, const char **to, char f[8], char t[8])
{
	if (!*to) {
		char today[11];
		xy_date_today(today);
		memcpy(t, today, 7);
		t[7] = '\0';
		*to = t;
	}
	if (!*from) {
		*from = *to;
		if (strlen(*to) >= 4) {
			memcpy(f, *to, 4);
			memcpy(f + 4, "-01", 4);
			*from = f;
		}
	}
}

char *xy_stats_period(const char *from, const char *to, char *out, size_t outsz)
{
	long f = month_index(from), t = month_index(to);
	if (f < 0 || t < 0 || !outsz) {
		if (outsz)
			out[0] = '\0';
		return out;
	}
	if (f == t)
		snprintf(out, outsz, "%ld年%ld月份", f / 12, f % 12 + 1);
	else if (f / 12 == t / 12)
		snprintf(out, outsz, "%ld年%ld—%ld月份", f / 12, f % 12 + 1, t % 12 + 1);
	else
		snprintf(out, outsz, "%ld年%ld月—%ld年%ld月份", f / 12, f % 12 + 1, t / 12,
			 t % 12 + 1);
	return out;
}

/* ---- computed sources ---- */

/* A stock per unit on a date: cb once per unit with its count. */
typedef xy_code (*stock_fn)(xy_store *s, const char *date, xy_unit_count_cb cb, void *ctx,
			    xy_error *err);

static const struct {
	const char *name;
	stock_fn fn;
} sources[] = {
	{ "gov-dishonesty-open", xy_gov_dishonesty_open_counts },
};

const char *const xy_stats_source_names[] = { "gov-dishonesty-open", NULL };

static stock_fn source_fn(const char *name)
{
	for (size_t i = 0; name && i < sizeof sources / sizeof sources[0]; i++)
		if (strcmp(sources[i].name, name) == 0)
			return sources[i].fn;
	return NULL;
}

/* ---- tables.tsv ---- */

static void free_strv(char **v, size_t n)
{
	if (!v)
		return;
	for (size_t i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

void xy_stats_config_release(xy_stats_config *c)
{
	if (!c)
		return;
	free(c->title);
	free(c->scope);
	free_strv(c->label_names, c->nlabels);
	free(c->label_roles);
	free_strv(c->columns, c->ncolumns);
	free_strv(c->phrases, c->ncolumns);
	if (c->sources)
		for (size_t i = 0; i < c->ncolumns; i++)
			free(c->sources[i]);
	free(c->sources);
	free(c->total_column);
	free(c->total_row);
	free_strv(c->units, c->nunits);
	free_strv(c->groups, c->nunits);
	memset(c, 0, sizeof *c);
}

int xy_stats_config_label(const xy_stats_config *c, xy_stats_label role)
{
	for (size_t i = 0; i < c->nlabels; i++)
		if (c->label_roles[i] == role)
			return (int)i;
	return -1;
}

/* Append s to *v (n entries). */
static int push(char ***v, size_t n, const char *s)
{
	char **nv = realloc(*v, (n + 1) * sizeof *nv);
	if (!nv)
		return -1;
	*v = nv;
	if (!(nv[n] = strdup(s)))
		return -1;
	return 0;
}

static bool in_list(char *const *v, size_t n, const char *s)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(v[i], s) == 0)
			return true;
	return false;
}

static xy_code read_file(const char *path, char **out, xy_error *err)
{
	FILE *f = fopen(path, "rb");
	xy_buf b = XY_BUF_INIT;
	char chunk[8192];
	size_t n;
	if (!f)
		return xy_error_at(err, XY_ERR_CONFIG, path, 0, NULL, "cannot open: %s",
				   strerror(errno));
	b.limit = 4u << 20;
	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
		if (xy_buf_add(&b, chunk, n)) {
			fclose(f);
			xy_buf_release(&b);
			return xy_error_at(err, XY_ERR_CONFIG, path, 0, NULL, "file too large");
		}
	fclose(f);
	*out = xy_buf_detach(&b, NULL);
	return *out ? XY_OK : xy_error_set(err, XY_ERR_NOMEM, "out of memory");
}

#define CFG_NOMEM() \
	do { \
		rc = xy_error_set(err, XY_ERR_NOMEM, "out of memory"); \
		goto done; \
	} while (0)
#define CFG_ERR(field, ...) \
	do { \
		rc = xy_error_at(err, XY_ERR_CONFIG, path, line, field, __VA_ARGS__); \
		goto done; \
	} while (0)

xy_code xy_stats_config_load(xy_stats_config *c, const char *dir, xy_stats_layout layout,
			     const xy_registry *reg, xy_error *err)
{
	char path[1024], *text = NULL, *p, *next;
	long line = 0;
	bool header = false;
	xy_code rc = XY_OK;

	memset(c, 0, sizeof *c);
	c->layout = layout;
	if (!dir || !*dir)
		dir = xy_registry_default_dir();
	snprintf(path, sizeof path, "%s/%s", dir, TABLES_FILE);
	if ((rc = read_file(path, &text, err)))
		return rc;
	p = text;
	if ((unsigned char)p[0] == 0xEF && (unsigned char)p[1] == 0xBB && (unsigned char)p[2] == 0xBF)
		p += 3;
	for (; p; p = next) {
		char *col[4] = { "", "", "", "" }, *q;
		size_t ncol = 0, len;
		next = strchr(p, '\n');
		if (next)
			*next++ = '\0';
		line++;
		len = strlen(p);
		if (len && p[len - 1] == '\r')
			p[--len] = '\0';
		if (!*p || *p == '#')
			continue;
		for (q = p;;) {
			char *tab = strchr(q, '\t');
			if (tab)
				*tab = '\0';
			if (ncol < 4)
				col[ncol] = q;
			ncol++;
			if (!tab)
				break;
			q = tab + 1;
		}
		if (!header) {
			if (strcmp(col[0], "layout") || strcmp(col[1], "item") || strcmp(col[2], "name") ||
			    strcmp(col[3], "detail"))
				CFG_ERR(NULL, "the header line should be: layout, item, name, detail");
			header = true;
			continue;
		}
		if (ncol > 4)
			CFG_ERR(NULL, "%zu columns; expected 4 (layout, item, name, detail)", ncol);
		{
			xy_stats_layout l;
			if (xy_stats_layout_parse(col[0], &l))
				CFG_ERR("layout", "unknown layout '%s' (department or region)", col[0]);
			if (l != layout)
				continue;
		}
		if (!*col[2])
			CFG_ERR("name", "empty name");
		if (strcmp(col[1], "title") == 0 || strcmp(col[1], "scope") == 0) {
			char **dst = col[1][0] == 't' ? &c->title : &c->scope;
			if (*dst)
				CFG_ERR("item", "a second %s", col[1]);
			if (!(*dst = strdup(col[2])))
				CFG_NOMEM();
		} else if (strcmp(col[1], "label") == 0) {
			xy_stats_label role;
			xy_stats_label *nr;
			if (strcmp(col[3], "number") == 0)
				role = XY_STATS_LABEL_NUMBER;
			else if (strcmp(col[3], "unit") == 0)
				role = XY_STATS_LABEL_UNIT;
			else if (strcmp(col[3], "group") == 0)
				role = XY_STATS_LABEL_GROUP;
			else
				CFG_ERR("detail", "a label holds number, unit or group, not '%s'", col[3]);
			if (xy_stats_config_label(c, role) >= 0)
				CFG_ERR("detail", "a second %s label", col[3]);
			if (!(nr = realloc(c->label_roles, (c->nlabels + 1) * sizeof *nr)))
				CFG_NOMEM();
			c->label_roles = nr;
			nr[c->nlabels] = role;
			if (push(&c->label_names, c->nlabels, col[2]))
				CFG_NOMEM();
			c->nlabels++;
		} else if (strcmp(col[1], "column") == 0) {
			xy_buf ph = XY_BUF_INIT;
			if (in_list(c->columns, c->ncolumns, col[2]))
				CFG_ERR("name", "column '%s' twice", col[2]);
			if (reg && !xy_registry_category(reg, col[2]))
				CFG_ERR("name", "'%s' is not a category (categories.tsv)", col[2]);
			if (*col[3])
				xy_buf_addstr(&ph, col[3]);
			else
				xy_buf_addf(&ph, "%s数量最多的是", col[2]);
			if (push(&c->columns, c->ncolumns, col[2])) {
				xy_buf_release(&ph);
				CFG_NOMEM();
			}
			if (push(&c->phrases, c->ncolumns, ph.data)) {
				free(c->columns[c->ncolumns]);
				xy_buf_release(&ph);
				CFG_NOMEM();
			}
			xy_buf_release(&ph);
			{
				char **ns = realloc(c->sources, (c->ncolumns + 1) * sizeof *ns);
				if (!ns) {
					free(c->columns[c->ncolumns]);
					free(c->phrases[c->ncolumns]);
					CFG_NOMEM();
				}
				c->sources = ns;
				ns[c->ncolumns] = NULL;
			}
			c->ncolumns++;
		} else if (strcmp(col[1], "source") == 0) {
			size_t k;
			for (k = 0; k < c->ncolumns && strcmp(c->columns[k], col[2]); k++)
				;
			if (k == c->ncolumns)
				CFG_ERR("name", "source for '%s', which is not a column of this layout "
						"(declare the column first)", col[2]);
			if (!source_fn(col[3]))
				CFG_ERR("detail", "unknown source '%s' (gov-dishonesty-open)", col[3]);
			if (c->sources[k])
				CFG_ERR("name", "a second source for '%s'", col[2]);
			if (!(c->sources[k] = strdup(col[3])))
				CFG_NOMEM();
		} else if (strcmp(col[1], "total") == 0) {
			char **dst;
			if (strcmp(col[3], "column") == 0)
				dst = &c->total_column;
			else if (strcmp(col[3], "row") == 0)
				dst = &c->total_row;
			else
				CFG_ERR("detail", "a total is a column or a row, not '%s'", col[3]);
			if (*dst)
				CFG_ERR("detail", "a second total %s", col[3]);
			if (!(*dst = strdup(col[2])))
				CFG_NOMEM();
		} else if (strcmp(col[1], "unit") == 0) {
			if (in_list(c->units, c->nunits, col[2]))
				CFG_ERR("name", "unit '%s' twice", col[2]);
			if (reg && !xy_registry_unit(reg, col[2]))
				CFG_ERR("name", "'%s' is not a source unit (units.tsv)", col[2]);
			if (push(&c->units, c->nunits, col[2]))
				CFG_NOMEM();
			if (push(&c->groups, c->nunits, col[3])) {
				free(c->units[c->nunits]);
				CFG_NOMEM();
			}
			c->nunits++;
		} else {
			CFG_ERR("item", "unknown item '%s' (title, scope, label, column, source, total, "
					"unit)",
				col[1]);
		}
	}
	line = 0;
	if (!header)
		CFG_ERR(NULL, "empty file: no header line");
	if (!c->title && !c->nunits && !c->ncolumns)
		CFG_ERR(NULL, "no '%s' layout", xy_stats_layout_name(layout));
	if (xy_stats_config_label(c, XY_STATS_LABEL_UNIT) < 0)
		CFG_ERR(NULL, "the %s layout has no unit label column", xy_stats_layout_name(layout));
	if (!c->ncolumns)
		CFG_ERR(NULL, "the %s layout has no columns", xy_stats_layout_name(layout));
	if (!c->title && !(c->title = strdup("{period}")))
		CFG_NOMEM();
	if (!c->scope && !(c->scope = strdup(layout == XY_STATS_DEPARTMENT ? "市有关部门" : "各地区")))
		CFG_NOMEM();
done:
	free(text);
	if (rc)
		xy_stats_config_release(c);
	return rc;
}

/* ---- counting ---- */

typedef struct grid {
	const xy_stats_config *cfg;
	int64_t *unit_ids;    /* per config unit */
	int64_t *cat_ids;     /* per config column */
	long first_month;     /* month_index(from) */
	size_t nmonths;
	long long *cells;     /* [unit][column][month] */
	bool *reported;       /* per config unit: any record in the range, any category */
} grid;

static int find_id(const int64_t *v, size_t n, int64_t id)
{
	for (size_t i = 0; i < n; i++)
		if (v[i] == id)
			return (int)i;
	return -1;
}

static int count_cb(void *ctx, const xy_count *c)
{
	grid *g = ctx;
	int u = find_id(g->unit_ids, g->cfg->nunits, c->unit_id);
	int k;
	long m;
	if (u < 0 || c->n == 0)
		return 0;
	g->reported[u] = true;
	k = find_id(g->cat_ids, g->cfg->ncolumns, c->category_id);
	m = month_index(c->month) - g->first_month;
	if (k < 0 || m < 0 || (size_t)m >= g->nmonths)
		return 0;
	g->cells[((size_t)u * g->cfg->ncolumns + (size_t)k) * g->nmonths + (size_t)m] += c->n;
	return 0;
}

static void grid_release(grid *g)
{
	free(g->unit_ids);
	free(g->cat_ids);
	free(g->cells);
	free(g->reported);
}

struct stock {
	grid *g;
	size_t k, m;
};

static int stock_cb(void *ctx, int64_t unit_id, long long n)
{
	struct stock *st = ctx;
	int u = find_id(st->g->unit_ids, st->g->cfg->nunits, unit_id);
	if (u >= 0)
		st->g->cells[((size_t)u * st->g->cfg->ncolumns + st->k) * st->g->nmonths + st->m] = n;
	return 0;
}

/* Column k from a computed source: the stock at each month's end, then each
 * cell made the change over its month, so a sum over months is the stock at
 * the end and a running total the stock at each month's end. */
static xy_code grid_source(grid *g, xy_store *s, size_t k, stock_fn fn, xy_error *err)
{
	for (size_t m = 0; m < g->nmonths; m++) {
		struct stock st = { g, k, m };
		char end[11], name[8];
		long idx = g->first_month + (long)m;
		int y = (int)(idx / 12), mo = (int)(idx % 12) + 1, d = 31;
		xy_code rc;
		while (d > 28 && !xy_date_valid(y, mo, d))
			d--;
		month_name(idx, name);
		snprintf(end, sizeof end, "%s-%02d", name, d);
		if ((rc = fn(s, end, stock_cb, &st, err)))
			return rc;
	}
	for (size_t u = 0; u < g->cfg->nunits; u++)
		for (size_t m = g->nmonths; m-- > 1;) {
			long long *cell = &g->cells[(u * g->cfg->ncolumns + k) * g->nmonths];
			cell[m] -= cell[m - 1];
		}
	return XY_OK;
}

/* Counts of the configured units × columns × months from..to. */
static xy_code grid_fill(grid *g, xy_store *s, const xy_registry *reg, const xy_stats_config *cfg,
			 const char *from, const char *to, xy_error *err)
{
	xy_code rc;
	memset(g, 0, sizeof *g);
	g->cfg = cfg;
	g->first_month = month_index(from);
	g->nmonths = (size_t)(month_index(to) - g->first_month + 1);
	g->unit_ids = calloc(cfg->nunits + 1, sizeof *g->unit_ids);
	g->cat_ids = calloc(cfg->ncolumns + 1, sizeof *g->cat_ids);
	g->reported = calloc(cfg->nunits + 1, sizeof *g->reported);
	g->cells = calloc(cfg->nunits * cfg->ncolumns * g->nmonths + 1, sizeof *g->cells);
	if (!g->unit_ids || !g->cat_ids || !g->reported || !g->cells) {
		grid_release(g);
		return xy_error_set(err, XY_ERR_NOMEM, "out of memory");
	}
	for (size_t i = 0; i < cfg->nunits; i++) {
		const xy_unit *u = xy_registry_unit(reg, cfg->units[i]);
		g->unit_ids[i] = u ? u->id : -1;
	}
	for (size_t k = 0; k < cfg->ncolumns; k++) {
		const xy_category *cat = xy_registry_category(reg, cfg->columns[k]);
		/* a computed column ignores the batches of its category */
		g->cat_ids[k] = cat && !cfg->sources[k] ? cat->id : -1;
	}
	if (!s)
		return XY_OK;
	rc = xy_store_counts(s, from, to, count_cb, g, err);
	for (size_t k = 0; !rc && k < cfg->ncolumns; k++)
		if (cfg->sources[k])
			rc = grid_source(g, s, k, source_fn(cfg->sources[k]), err);
	if (rc)
		grid_release(g);
	return rc;
}

static long long grid_at(const grid *g, size_t u, size_t k, size_t m)
{
	return g->cells[(u * g->cfg->ncolumns + k) * g->nmonths + m];
}

static xy_code prepare(const xy_registry *reg, const xy_stats_opts *o, xy_stats_layout layout,
		       xy_stats_config *cfg, xy_error *err)
{
	xy_code rc;
	if (!o || !reg)
		return xy_error_set(err, XY_ERR_ARG, "statistics need options and a registry");
	if ((rc = xy_stats_check_range(o->from, o->to, err)))
		return rc;
	if ((size_t)layout > XY_STATS_REGION)
		return xy_error_set(err, XY_ERR_ARG, "unknown layout %d", (int)layout);
	return xy_stats_config_load(cfg, o->config_dir, layout, reg, err);
}

/* The title from the template: {period} replaced. */
static xy_code make_title(const char *tmpl, const char *from, const char *to, const char *suffix,
			  xy_buf *out)
{
	char period[64];
	const char *p = strstr(tmpl, "{period}");
	xy_stats_period(from, to, period, sizeof period);
	if (p) {
		xy_buf_add(out, tmpl, (size_t)(p - tmpl));
		xy_buf_addstr(out, period);
		xy_buf_addstr(out, p + strlen("{period}"));
	} else {
		xy_buf_addstr(out, tmpl);
	}
	return suffix ? xy_buf_addstr(out, suffix) : XY_OK;
}

static xy_code set_range_note(xy_table *t, const char *from, const char *to)
{
	xy_buf b = XY_BUF_INIT;
	xy_code rc;
	xy_buf_addf(&b, "报送月份 %s 至 %s（按批次报送日期统计）；单位：条", from, to);
	rc = xy_table_set_note(t, b.data);
	xy_buf_release(&b);
	return rc;
}

/* Label cells of config unit i. */
static void unit_labels(const xy_stats_config *cfg, size_t i, const char **labels, char num[24])
{
	snprintf(num, 24, "%zu", i + 1);
	for (size_t l = 0; l < cfg->nlabels; l++)
		labels[l] = cfg->label_roles[l] == XY_STATS_LABEL_NUMBER ? num
			    : cfg->label_roles[l] == XY_STATS_LABEL_UNIT ? cfg->units[i]
									: cfg->groups[i];
}

static xy_table *table_for(const xy_stats_config *cfg, const char *title, size_t nvalues,
			   const char *const *value_names, const char *total_col,
			   const char *total_row)
{
	int ul = xy_stats_config_label(cfg, XY_STATS_LABEL_UNIT);
	return xy_table_new(title, cfg->nlabels, (const char *const *)cfg->label_names, nvalues,
			    value_names, total_col, total_row, ul < 0 ? 0 : (size_t)ul);
}

xy_code xy_stats_table(xy_store *s, const xy_registry *reg, const xy_stats_opts *o,
		       xy_table **out, xy_error *err)
{
	xy_stats_config cfg;
	grid g;
	xy_table *t = NULL;
	xy_buf title = XY_BUF_INIT;
	long long *vals = NULL;
	const char **labels = NULL;
	char num[24];
	xy_code rc;

	*out = NULL;
	if ((rc = prepare(reg, o, o ? o->layout : XY_STATS_DEPARTMENT, &cfg, err)))
		return rc;
	if ((rc = grid_fill(&g, s, reg, &cfg, o->from, o->to, err))) {
		xy_stats_config_release(&cfg);
		return rc;
	}
	make_title(cfg.title, o->from, o->to, NULL, &title);
	t = table_for(&cfg, title.data, cfg.ncolumns, (const char *const *)cfg.columns,
		      cfg.total_column, cfg.total_row);
	vals = calloc(cfg.ncolumns + 1, sizeof *vals);
	labels = calloc(cfg.nlabels + 1, sizeof *labels);
	if (!t || !vals || !labels || set_range_note(t, o->from, o->to)) {
		rc = xy_error_set(err, XY_ERR_NOMEM, "out of memory");
		goto done;
	}
	for (size_t i = 0; i < cfg.nunits && !rc; i++) {
		for (size_t k = 0; k < cfg.ncolumns; k++) {
			vals[k] = 0;
			for (size_t m = 0; m < g.nmonths; m++)
				vals[k] += grid_at(&g, i, k, m);
		}
		unit_labels(&cfg, i, labels, num);
		rc = xy_table_add_row(t, labels, vals);
	}
	if (!rc)
		rc = xy_table_compute_totals(t);
	if (rc)
		rc = xy_error_set(err, rc, "out of memory");
done:
	free(vals);
	free(labels);
	xy_buf_release(&title);
	grid_release(&g);
	xy_stats_config_release(&cfg);
	if (rc)
		xy_table_free(t);
	else
		*out = t;
	return rc;
}

static char **month_names(long first, size_t n)
{
	char **v = calloc(n + 1, sizeof *v);
	if (!v)
		return NULL;
	for (size_t m = 0; m < n; m++) {
		if (!(v[m] = malloc(8))) {
			free_strv(v, m);
			return NULL;
		}
		month_name(first + (long)m, v[m]);
	}
	return v;
}

xy_code xy_stats_months(xy_store *s, const xy_registry *reg, const xy_stats_opts *o,
			bool cumulative, xy_table **out, xy_error *err)
{
	xy_stats_config cfg;
	grid g;
	xy_table *t = NULL;
	xy_buf title = XY_BUF_INIT;
	long long *vals = NULL;
	const char **labels = NULL;
	char **months = NULL;
	char num[24];
	int only = -1;
	xy_code rc;

	*out = NULL;
	if ((rc = prepare(reg, o, o ? o->layout : XY_STATS_DEPARTMENT, &cfg, err)))
		return rc;
	if (o->category) {
		for (size_t k = 0; k < cfg.ncolumns; k++)
			if (strcmp(cfg.columns[k], o->category) == 0)
				only = (int)k;
		if (only < 0) {
			rc = xy_error_at(err, XY_ERR_NOTFOUND, NULL, 0, o->category,
					 "'%s' is not a column of the %s table", o->category,
					 xy_stats_layout_name(cfg.layout));
			xy_stats_config_release(&cfg);
			return rc;
		}
	}
	if ((rc = grid_fill(&g, s, reg, &cfg, o->from, o->to, err))) {
		xy_stats_config_release(&cfg);
		return rc;
	}
	make_title(cfg.title, o->from, o->to, NULL, &title);
	if (only >= 0)
		xy_buf_addf(&title, "·%s", cfg.columns[only]);
	xy_buf_addstr(&title, cumulative ? "（逐月累计）" : "（逐月）");
	months = month_names(g.first_month, g.nmonths);
	if (months)
		t = table_for(&cfg, title.data, g.nmonths, (const char *const *)months,
			      cumulative ? NULL : (cfg.total_column ? cfg.total_column : "总计"),
			      cfg.total_row ? cfg.total_row : "合计");
	vals = calloc(g.nmonths + 1, sizeof *vals);
	labels = calloc(cfg.nlabels + 1, sizeof *labels);
	if (!t || !vals || !labels || set_range_note(t, o->from, o->to)) {
		rc = xy_error_set(err, XY_ERR_NOMEM, "out of memory");
		goto done;
	}
	for (size_t i = 0; i < cfg.nunits && !rc; i++) {
		long long run = 0;
		for (size_t m = 0; m < g.nmonths; m++) {
			long long v = 0;
			for (size_t k = 0; k < cfg.ncolumns; k++)
				if (only < 0 || (size_t)only == k)
					v += grid_at(&g, i, k, m);
			run += v;
			vals[m] = cumulative ? run : v;
		}
		unit_labels(&cfg, i, labels, num);
		rc = xy_table_add_row(t, labels, vals);
	}
	if (!rc)
		rc = xy_table_compute_totals(t);
	if (rc)
		rc = xy_error_set(err, rc, "out of memory");
done:
	free(vals);
	free(labels);
	free_strv(months, months ? g.nmonths : 0);
	xy_buf_release(&title);
	grid_release(&g);
	xy_stats_config_release(&cfg);
	if (rc)
		xy_table_free(t);
	else
		*out = t;
	return rc;
}

xy_code xy_stats_unit(xy_store *s, const xy_registry *reg, const xy_stats_opts *o,
		      const char *unit, bool cumulative, xy_table **out, xy_error *err)
{
	xy_stats_config cfg;
	grid g;
	xy_table *t = NULL;
	xy_buf title = XY_BUF_INIT;
	long long *vals = NULL;
	static const char *const label_names[] = { "月份" };
	const char *label[1];
	char mname[8];
	int ui = -1;
	xy_stats_layout layout;
	xy_code rc;

	*out = NULL;
	if (!o || !reg)
		return xy_error_set(err, XY_ERR_ARG, "statistics need options and a registry");
	if ((rc = xy_stats_check_range(o->from, o->to, err)))
		return rc;
	if (!unit || !xy_registry_unit(reg, unit))
		return xy_error_at(err, XY_ERR_NOTFOUND, NULL, 0, "unit",
				   "'%s' is not a source unit (信源单位不存在)", unit ? unit : "");
	/* the layout that lists the unit: the asked one first */
	layout = o->layout;
	for (int attempt = 0; attempt < 2; attempt++) {
		xy_stats_layout l = attempt ? (xy_stats_layout)!o->layout : o->layout;
		if ((rc = prepare(reg, o, l, &cfg, err))) {
			if (attempt) /* a tables.tsv with one layout only */
				break;
			return rc;
		}
		for (size_t i = 0; i < cfg.nunits; i++)
			if (strcmp(cfg.units[i], unit) == 0)
				ui = (int)i;
		if (ui >= 0) {
			layout = l;
			break;
		}
		xy_stats_config_release(&cfg);
	}
	if (ui < 0) {
		/* a unit of neither table (营口市): the asked layout's columns */
		if ((rc = prepare(reg, o, layout, &cfg, err)))
			return rc;
		/* make it a configured unit so the grid counts it */
		if (push(&cfg.units, cfg.nunits, unit) || push(&cfg.groups, cfg.nunits, "")) {
			xy_stats_config_release(&cfg);
			return xy_error_set(err, XY_ERR_NOMEM, "out of memory");
		}
		ui = (int)cfg.nunits++;
	}
	if ((rc = grid_fill(&g, s, reg, &cfg, o->from, o->to, err))) {
		xy_stats_config_release(&cfg);
		return rc;
	}
	xy_buf_addstr(&title, unit);
	make_title("{period}信用信息数据报送情况", o->from, o->to,
		   cumulative ? "（逐月累计）" : "（逐月）", &title);
	t = xy_table_new(title.data, 1, label_names, cfg.ncolumns,
			 (const char *const *)cfg.columns,
			 cfg.total_column ? cfg.total_column : "总计",
			 cumulative ? NULL : (cfg.total_row ? cfg.total_row : "合计"), 0);
	vals = calloc(cfg.ncolumns + 1, sizeof *vals);
	if (!t || !vals || set_range_note(t, o->from, o->to)) {
		rc = xy_error_set(err, XY_ERR_NOMEM, "out of memory");
		goto done;
	}
	for (size_t m = 0; m < g.nmonths && !rc; m++) {
		for (size_t k = 0; k < cfg.ncolumns; k++)
			vals[k] = (cumulative && m ? vals[k] : 0) + grid_at(&g, (size_t)ui, k, m);
		month_name(g.first_month + (long)m, mname);
		label[0] = mname;
		rc = xy_table_add_row(t, label, vals);
	}
	if (!rc)
		rc = xy_table_compute_totals(t);
	if (rc)
		rc = xy_error_set(err, rc, "out of memory");
done:
	free(vals);
	xy_buf_release(&title);
	grid_release(&g);
	xy_stats_config_release(&cfg);
	if (rc)
		xy_table_free(t);
	else
		*out = t;
	return rc;
}

/* ---- 情况通报 sentences ---- */

/* "A", "A和B", "A、B和C"; more than five: "A、B、C等N个单位". */
static void join_names(xy_buf *out, const char *const *names, size_t n)
{
	if (n > 5) {
		for (size_t i = 0; i < 3; i++) {
			if (i)
				xy_buf_addstr(out, "、");
			xy_buf_addstr(out, names[i]);
		}
		xy_buf_addf(out, "等%zu个单位", n);
		return;
	}
	for (size_t i = 0; i < n; i++) {
		if (i)
			xy_buf_addstr(out, i + 1 == n ? "和" : "、");
		xy_buf_addstr(out, names[i]);
	}
}

/* Units (row indexes in members) with the most of column k: the top two,
 * with ties listed together — every unit sharing the first place when two
 * or more do, else the first and every unit sharing the second place.
 * Order: by value, then the table's order.  Fills names, returns how many. */
static size_t top_units(const xy_table *t, size_t unit_col, const size_t *members,
			size_t nmembers, size_t k, const char **names)
{
	long long first = 0, second = 0, cut;
	size_t nfirst = 0, n = 0;
	for (size_t i = 0; i < nmembers; i++) {
		long long v = t->rows[members[i]].values[k];
		if (v > first) {
			first = v;
			nfirst = 1;
		} else if (v == first && v > 0) {
			nfirst++;
		}
	}
	if (first <= 0)
		return 0;
	for (size_t i = 0; i < nmembers; i++) {
		long long v = t->rows[members[i]].values[k];
		if (v < first && v > second)
			second = v;
	}
	cut = nfirst >= 2 || second <= 0 ? first : second;
	for (int pass = 0; pass < 2; pass++)
		for (size_t i = 0; i < nmembers; i++) {
			long long v = t->rows[members[i]].values[k];
			if ((pass == 0 && v == first) || (pass == 1 && v == cut && cut != first))
				names[n++] = t->rows[members[i]].labels[unit_col];
		}
	return n;
}

xy_code xy_stats_sentences(xy_store *s, const xy_registry *reg, const xy_stats_opts *o,
			   xy_buf *out, xy_error *err)
{
	xy_stats_config cfg;
	grid g;
	xy_table *t = NULL;
	size_t *members = NULL, first_row;
	const char **names = NULL;
	char **groups = NULL;
	size_t ngroups = 0, nsilent = 0;
	xy_code rc;

	if ((rc = prepare(reg, o, o ? o->layout : XY_STATS_DEPARTMENT, &cfg, err)))
		return rc;
	if ((rc = grid_fill(&g, s, reg, &cfg, o->from, o->to, err))) {
		xy_stats_config_release(&cfg);
		return rc;
	}
	rc = xy_stats_table(s, reg, o, &t, err);
	if (rc)
		goto done;
	first_row = t->nrows - cfg.nunits; /* after the 合计 row, when there is one */
	members = calloc(cfg.nunits + 1, sizeof *members);
	names = calloc(cfg.nunits + 1, sizeof *names);
	if (!members || !names) {
		rc = xy_error_set(err, XY_ERR_NOMEM, "out of memory");
		goto done;
	}
	/* groups in order of appearance ("" = the whole layout) */
	for (size_t i = 0; i < cfg.nunits; i++)
		if (!in_list(groups, ngroups, cfg.groups[i])) {
			if (push(&groups, ngroups, cfg.groups[i])) {
				rc = xy_error_set(err, XY_ERR_NOMEM, "out of memory");
				goto done;
			}
			ngroups++;
		}
	for (size_t gi = 0; gi < ngroups; gi++) {
		size_t nm = 0;
		bool any = false;
		for (size_t i = 0; i < cfg.nunits; i++)
			if (strcmp(cfg.groups[i], groups[gi]) == 0)
				members[nm++] = first_row + i;
		for (size_t k = 0; k < cfg.ncolumns; k++) {
			size_t n = top_units(t, (size_t)xy_stats_config_label(&cfg, XY_STATS_LABEL_UNIT),
					     members, nm, k, names);
			if (!n)
				continue;
			if (!any)
				xy_buf_addf(out, "从%s上报信用信息数据看，",
					    *groups[gi] ? groups[gi] : cfg.scope);
			else
				xy_buf_addstr(out, "；");
			any = true;
			xy_buf_addstr(out, cfg.phrases[k]);
			join_names(out, names, n);
		}
		if (any)
			xy_buf_addstr(out, "。\n");
	}
	for (size_t i = 0; i < cfg.nunits; i++)
		if (!g.reported[i])
			names[nsilent++] = cfg.units[i];
	if (nsilent == cfg.nunits) {
		xy_buf_addf(out, "本期%s均未报送数据。\n", cfg.scope);
	} else if (nsilent) {
		xy_buf_addstr(out, "本期未报送数据的单位：");
		for (size_t i = 0; i < nsilent; i++) {
			if (i)
				xy_buf_addstr(out, "、");
			xy_buf_addstr(out, names[i]);
		}
		xy_buf_addstr(out, "。\n");
	} else {
		xy_buf_addf(out, "本期%s均报送了数据。\n", cfg.scope);
	}
done:
	free(members);
	free(names);
	free_strv(groups, ngroups);
	xy_table_free(t);
	grid_release(&g);
	xy_stats_config_release(&cfg);
	return rc;
}
