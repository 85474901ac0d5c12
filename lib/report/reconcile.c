/* Reconciling a hand-compiled statistics table against its own rows and the
 * stored counts.  The file is read through the project's reader (CSV/TSV in
 * UTF-8 or GB18030, XLSX), so anything `xinyong import` can read works here. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xinyong/buf.h"
#include "xinyong/reader.h"
#include "xinyong/reconcile.h"
#include "xinyong/text.h"

#define HEADER_SCAN 20 /* rows looked at for the header (titles above it) */

static const char *const kind_names[] = { "total_row", "total_column", "data" };

const char *xy_reconcile_kind_name(xy_reconcile_kind k)
{
	return (size_t)k < 3 ? kind_names[k] : "?";
}

static void free_strv(char **v, size_t n)
{
	if (!v)
		return;
	for (size_t i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

void xy_reconcile_free(xy_reconcile *r)
{
	if (!r)
		return;
	free(r->sheet);
	free_strv(r->ignored, r->nignored);
	free_strv(r->missing, r->nmissing);
	free_strv(r->unknown_units, r->nunknown_units);
	for (size_t i = 0; i < r->ndiffs; i++) {
		free(r->diffs[i].row);
		free(r->diffs[i].column);
	}
	free(r->diffs);
	free(r);
}

static int push(char ***v, size_t *n, const char *s)
{
	char **nv = realloc(*v, (*n + 1) * sizeof *nv);
	if (!nv)
		return -1;
	*v = nv;
	if (!(nv[*n] = strdup(s)))
		return -1;
	(*n)++;
	return 0;
}

static int add_diff(xy_reconcile *r, const char *row, const char *col, long line,
		    long long printed, long long computed, xy_reconcile_kind kind)
{
	xy_reconcile_diff *v = realloc(r->diffs, (r->ndiffs + 1) * sizeof *v), *d;
	if (!v)
		return -1;
	r->diffs = v;
	d = &v[r->ndiffs];
	d->row = strdup(row);
	d->column = strdup(col);
	if (!d->row || !d->column) {
		free(d->row);
		free(d->column);
		return -1;
	}
	d->line = line;
	d->printed = printed;
	d->computed = computed;
	d->kind = kind;
	r->ndiffs++;
	return 0;
}

/* A header or unit name without the blanks printed tables wrap lines with:
 * "政府失信 未治理", "园 区", "开展诚信教\n育、宣传活动". */
static void squeeze(const char *s, xy_buf *out)
{
	xy_buf_reset(out);
	while (*s) {
		if (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\n') {
			s++;
		} else if (strncmp(s, "\xE3\x80\x80", 3) == 0) { /* U+3000 */
			s += 3;
		} else if (strncmp(s, "\xC2\xA0", 2) == 0) { /* NBSP */
			s += 2;
		} else {
			xy_buf_addch(out, *s++);
		}
	}
}

/* A printed count: blank, "-" or "—" is 0; "1,229" and "1229.0" are fine. */
static int parse_count(const char *s, long long *out)
{
	long long v = 0;
	bool digits = false;
	size_t n = strlen(s);
	const char *p = xy_trim(s, &n), *end = p + n;
	*out = 0;
	if (n == 0 || (n == 1 && *p == '-') || (n == 3 && strncmp(p, "—", 3) == 0) ||
	    (n == 3 && strncmp(p, "－", 3) == 0))
		return 0;
	for (; p < end; p++) {
		if (*p >= '0' && *p <= '9') {
			if (v > (9000000000000000000LL - 9) / 10)
				return -1;
			v = v * 10 + (*p - '0');
			digits = true;
		} else if (*p == ',' && digits) {
			continue;
		} else if (*p == '.') {
			for (p++; p < end; p++)
				if (*p != '0')
					return -1;
			break;
		} else {
			return -1;
		}
	}
	if (!digits)
		return -1;
	*out = v;
	return 0;
}

/* One printed row of units (or the total row). */
typedef struct prow {
	char *unit;
	long line;
	long long *values;  /* per config column; 0 when the column is missing */
	long long total;    /* the printed 总计 */
	bool is_total;
} prow;

typedef struct sheet {
	const xy_stats_config *cfg;
	size_t ncells;        /* columns of the header */
	int *col_of;          /* per file column: config column, -1 none */
	int unit_col, total_col;
	bool *present;        /* per config column */
	prow *rows;
	size_t nrows;
} sheet;

static void sheet_release(sheet *sh)
{
	free(sh->col_of);
	free(sh->present);
	for (size_t i = 0; i < sh->nrows; i++) {
		free(sh->rows[i].unit);
		free(sh->rows[i].values);
	}
	free(sh->rows);
}

static bool is_total_row_label(const xy_stats_config *cfg, const char *s)
{
	return (cfg->total_row && strcmp(s, cfg->total_row) == 0) || strcmp(s, "合计") == 0 ||
	       strcmp(s, "总计") == 0 || strcmp(s, "合 计") == 0;
}

static bool is_total_col_name(const xy_stats_config *cfg, const char *s)
{
	return (cfg->total_column && strcmp(s, cfg->total_column) == 0) || strcmp(s, "总计") == 0 ||
	       strcmp(s, "合计") == 0;
}

/* Which layout a header row belongs to, -1 if neither: it must carry the
 * layout's unit column (部门名称 / 地区) or its group column (分组). */
static int header_layout(const xy_row *row, const xy_stats_config *cfgs, xy_buf *tmp)
{
	for (int l = 0; l < 2; l++) {
		int ul = xy_stats_config_label(&cfgs[l], XY_STATS_LABEL_UNIT);
		if (!cfgs[l].ncolumns)
			continue; /* not configured */
		int gl = xy_stats_config_label(&cfgs[l], XY_STATS_LABEL_GROUP);
		for (size_t c = 0; c < row->ncells; c++) {
			squeeze(row->cells[c], tmp);
			if ((ul >= 0 && strcmp(tmp->data, cfgs[l].label_names[ul]) == 0) ||
			    (gl >= 0 && strcmp(tmp->data, cfgs[l].label_names[gl]) == 0))
				return l;
		}
	}
	return -1;
}

static xy_code map_header(sheet *sh, xy_reconcile *r, const xy_row *row, xy_buf *tmp,
			  xy_error *err)
{
	const xy_stats_config *cfg = sh->cfg;
	int ul = xy_stats_config_label(cfg, XY_STATS_LABEL_UNIT);
	sh->ncells = row->ncells;
	sh->col_of = calloc(row->ncells + 1, sizeof *sh->col_of);
	sh->present = calloc(cfg->ncolumns + 1, sizeof *sh->present);
	sh->unit_col = sh->total_col = -1;
	if (!sh->col_of || !sh->present)
		return xy_error_set(err, XY_ERR_NOMEM, "out of memory");
	for (size_t c = 0; c < row->ncells; c++) {
		bool known = false;
		sh->col_of[c] = -1;
		squeeze(row->cells[c], tmp);
		if (!tmp->len)
			continue;
		for (size_t k = 0; k < cfg->ncolumns; k++) {
			xy_buf name = XY_BUF_INIT;
			squeeze(cfg->columns[k], &name);
			if (strcmp(tmp->data, name.data) == 0 && !sh->present[k]) {
				sh->col_of[c] = (int)k;
				sh->present[k] = true;
				known = true;
			}
			xy_buf_release(&name);
			if (known)
				break;
		}
		if (known)
			continue;
		if (ul >= 0 && strcmp(tmp->data, cfg->label_names[ul]) == 0 && sh->unit_col < 0) {
			sh->unit_col = (int)c;
			continue;
		}
		if (is_total_col_name(cfg, tmp->data) && sh->total_col < 0) {
			sh->total_col = (int)c;
			continue;
		}
		for (size_t l = 0; l < cfg->nlabels && !known; l++)
			known = strcmp(tmp->data, cfg->label_names[l]) == 0;
		if (!known && push(&r->ignored, &r->nignored, row->cells[c]))
			return xy_error_set(err, XY_ERR_NOMEM, "out of memory");
	}
	if (sh->unit_col < 0)
		return xy_error_at(err, XY_ERR_FORMAT, NULL, row->line, NULL,
				   "the header has no '%s' column naming the units",
				   cfg->label_names[ul]);
	for (size_t k = 0; k < cfg->ncolumns; k++)
		if (sh->present[k])
			r->ncolumns++;
		else if (push(&r->missing, &r->nmissing, cfg->columns[k]))
			return xy_error_set(err, XY_ERR_NOMEM, "out of memory");
	r->total_column = sh->total_col >= 0;
	return XY_OK;
}

static bool in_list(char *const *v, size_t n, const char *s)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(v[i], s) == 0)
			return true;
	return false;
}

/* One row below the header. */
static xy_code take_row(sheet *sh, xy_reconcile *r, const xy_row *row, const char *path,
			xy_buf *tmp, xy_error *err)
{
	const xy_stats_config *cfg = sh->cfg;
	prow *pr, *v;
	bool blank = true;
	long long total = 0;
	const char *unit = (size_t)sh->unit_col < row->ncells ? row->cells[sh->unit_col] : "";
	squeeze(unit, tmp);
	for (size_t c = 0; c < row->ncells && c < sh->ncells; c++)
		if ((sh->col_of[c] >= 0 || (int)c == sh->total_col) && *row->cells[c]) {
			size_t n = strlen(row->cells[c]);
			xy_trim(row->cells[c], &n);
			blank = blank && n == 0;
		}
	/* a group heading (县（市）区, 园 区) or an empty line between blocks */
	if (blank && (!tmp->len || in_list(cfg->groups, cfg->nunits, tmp->data)))
		return XY_OK;
	if (!tmp->len && blank)
		return XY_OK;
	v = realloc(sh->rows, (sh->nrows + 1) * sizeof *v);
	if (!v)
		return xy_error_set(err, XY_ERR_NOMEM, "out of memory");
	sh->rows = v;
	pr = &v[sh->nrows];
	memset(pr, 0, sizeof *pr);
	pr->unit = strdup(tmp->data);
	pr->values = calloc(cfg->ncolumns + 1, sizeof *pr->values);
	if (!pr->unit || !pr->values) {
		free(pr->unit);
		free(pr->values);
		return xy_error_set(err, XY_ERR_NOMEM, "out of memory");
	}
	sh->nrows++;
	pr->line = row->line;
	pr->is_total = is_total_row_label(cfg, tmp->data);
	for (size_t c = 0; c < row->ncells && c < sh->ncells; c++) {
		long long n;
		if (sh->col_of[c] < 0 && (int)c != sh->total_col)
			continue;
		if (parse_count(row->cells[c], &n))
			return xy_error_at(err, XY_ERR_FORMAT, path, row->line,
					   sh->col_of[c] >= 0 ? cfg->columns[sh->col_of[c]]
							     : cfg->total_column ? cfg->total_column
										 : "总计",
					   "'%s' is not a count", row->cells[c]);
		if ((int)c == sh->total_col)
			total = n;
		else
			pr->values[sh->col_of[c]] = n;
	}
	pr->total = total;
	if (pr->is_total)
		r->total_row = true;
	else
		r->nrows++;
	return XY_OK;
}

static const char *total_col_label(const xy_stats_config *cfg)
{
	return cfg->total_column ? cfg->total_column : "总计";
}

static xy_code check_internal(const sheet *sh, xy_reconcile *r, xy_error *err)
{
	const xy_stats_config *cfg = sh->cfg;
	long long *sums = calloc(cfg->ncolumns + 1, sizeof *sums), grand = 0;
	if (!sums)
		return xy_error_set(err, XY_ERR_NOMEM, "out of memory");
	for (size_t i = 0; i < sh->nrows; i++) {
		const prow *p = &sh->rows[i];
		if (p->is_total)
			continue;
		for (size_t k = 0; k < cfg->ncolumns; k++) {
			sums[k] += p->values[k];
			grand += p->values[k];
		}
	}
	for (size_t i = 0; i < sh->nrows; i++) {
		const prow *p = &sh->rows[i];
		long long rowsum = 0;
		for (size_t k = 0; k < cfg->ncolumns; k++) {
			rowsum += p->values[k];
			if (p->is_total && sh->present[k] && p->values[k] != sums[k] &&
			    add_diff(r, p->unit, cfg->columns[k], p->line, p->values[k], sums[k],
				     XY_RECON_TOTAL_ROW))
				goto nomem;
		}
		if (sh->total_col < 0)
			continue;
		/* the total row's 总计 is the grand total of every unit's cells */
		if (p->is_total && p->total != grand &&
		    add_diff(r, p->unit, total_col_label(cfg), p->line, p->total, grand,
			     XY_RECON_TOTAL_ROW))
			goto nomem;
		if (!p->is_total && p->total != rowsum &&
		    add_diff(r, p->unit, total_col_label(cfg), p->line, p->total, rowsum,
			     XY_RECON_TOTAL_COLUMN))
			goto nomem;
	}
	free(sums);
	return XY_OK;
nomem:
	free(sums);
	return xy_error_set(err, XY_ERR_NOMEM, "out of memory");
}

static xy_code check_data(const sheet *sh, xy_reconcile *r, xy_store *s, const xy_registry *reg,
			  const xy_reconcile_opts *o, xy_error *err)
{
	const xy_stats_config *cfg = sh->cfg;
	xy_stats_opts so = { o->from, o->to, r->layout, o->config_dir, NULL };
	xy_table *t = NULL;
	int ul = xy_stats_config_label(cfg, XY_STATS_LABEL_UNIT);
	bool *seen = NULL;
	xy_code rc = xy_stats_table(s, reg, &so, &t, err);
	if (rc)
		return rc;
	seen = calloc(t->nrows + 1, sizeof *seen);
	if (!seen) {
		xy_table_free(t);
		return xy_error_set(err, XY_ERR_NOMEM, "out of memory");
	}
	for (size_t i = 0; i < sh->nrows && !rc; i++) {
		const prow *p = &sh->rows[i];
		int ti;
		if (p->is_total)
			continue;
		ti = xy_table_row_index(t, (size_t)ul, p->unit);
		if (ti < 0 || t->rows[ti].is_total) {
			if (!in_list(r->unknown_units, r->nunknown_units, p->unit) &&
			    push(&r->unknown_units, &r->nunknown_units, p->unit))
				rc = XY_ERR_NOMEM;
			continue;
		}
		seen[ti] = true;
		for (size_t k = 0; k < cfg->ncolumns && !rc; k++)
			if (sh->present[k] && p->values[k] != t->rows[ti].values[k] &&
			    add_diff(r, p->unit, cfg->columns[k], p->line, p->values[k],
				     t->rows[ti].values[k], XY_RECON_DATA))
				rc = XY_ERR_NOMEM;
	}
	/* units with data that the printed table leaves out */
	for (size_t ti = 0; ti < t->nrows && !rc; ti++) {
		if (seen[ti] || t->rows[ti].is_total)
			continue;
		for (size_t k = 0; k < cfg->ncolumns && !rc; k++)
			if (sh->present[k] && t->rows[ti].values[k] &&
			    add_diff(r, t->rows[ti].labels[ul], cfg->columns[k], 0, 0,
				     t->rows[ti].values[k], XY_RECON_DATA))
				rc = XY_ERR_NOMEM;
	}
	free(seen);
	xy_table_free(t);
	if (rc)
		return xy_error_set(err, XY_ERR_NOMEM, "out of memory");
	r->checked_data = true;
	return XY_OK;
}

static const char *unit_label(const xy_stats_config *c, const char *dflt)
{
	int ul = c->ncolumns ? xy_stats_config_label(c, XY_STATS_LABEL_UNIT) : -1;
	return ul >= 0 ? c->label_names[ul] : dflt;
}

xy_code xy_reconcile_file(const char *path, xy_store *s, const xy_registry *reg,
			  const xy_reconcile_opts *o, xy_reconcile **out, xy_error *err)
{
	static const xy_reconcile_opts none = { NULL, NULL, NULL };
	xy_stats_config cfgs[2];
	xy_reader *rd = NULL;
	xy_reader_opts ro = { 0 };
	xy_reconcile *r = NULL;
	xy_buf tmp = XY_BUF_INIT;
	sheet sh;
	const xy_row *row;
	long scanned = 0;
	bool data;
	int layout = -1;
	xy_code rc;

	*out = NULL;
	memset(&sh, 0, sizeof sh);
	memset(cfgs, 0, sizeof cfgs);
	if (!o)
		o = &none;
	data = (o->from && *o->from) || (o->to && *o->to);
	if (data) {
		if ((rc = xy_stats_check_range(o->from, o->to, err)))
			return rc;
		if (!s || !reg)
			return xy_error_set(err, XY_ERR_ARG, "comparing with the data needs a database");
	}
	/* both layouts; a configuration may define only one */
	for (int l = 0; l < 2; l++) {
		xy_error e2 = XY_ERROR_INIT;
		if (xy_stats_config_load(&cfgs[l], o->config_dir, (xy_stats_layout)l, NULL, &e2)) {
			if (l == 1 && !cfgs[0].nunits && err)
				*err = e2;
		}
	}
	if (!cfgs[0].ncolumns && !cfgs[1].ncolumns) {
		rc = err && err->code ? err->code : XY_ERR_CONFIG;
		if (!err || !err->code)
			xy_error_set(err, XY_ERR_CONFIG, "tables.tsv defines no layout");
		goto done;
	}
	if (!(r = calloc(1, sizeof *r))) {
		rc = xy_error_set(err, XY_ERR_NOMEM, "out of memory");
		goto done;
	}
	if ((rc = xy_reader_open(&rd, path, &ro, err)))
		goto done;
	while (!(rc = xy_reader_next(rd, &row, err)) && row) {
		if (layout < 0) {
			if (++scanned > HEADER_SCAN)
				break;
			layout = header_layout(row, cfgs, &tmp);
			if (layout < 0)
				continue;
			r->layout = (xy_stats_layout)layout;
			r->header_line = row->line;
			if (row->sheet && !(r->sheet = strdup(row->sheet))) {
				rc = xy_error_set(err, XY_ERR_NOMEM, "out of memory");
				goto done;
			}
			sh.cfg = &cfgs[layout];
			if ((rc = map_header(&sh, r, row, &tmp, err))) {
				if (err && !err->file[0])
					snprintf(err->file, sizeof err->file, "%s", path);
				goto done;
			}
			continue;
		}
		/* an XLSX file: the table is the first sheet with the header */
		if (r->sheet && row->sheet && strcmp(row->sheet, r->sheet) != 0)
			break;
		if (row->problem) {
			rc = xy_error_at(err, XY_ERR_FORMAT, path, row->line, NULL, "%s",
					 row->problem);
			goto done;
		}
		if ((rc = take_row(&sh, r, row, path, &tmp, err)))
			goto done;
	}
	if (rc)
		goto done;
	if (layout < 0) {
		rc = xy_error_at(err, XY_ERR_FORMAT, path, 0, NULL,
				 "neither statistics table: no '%s' (department) or '%s' (region) "
				 "column in the first %d rows (不是部门表或地区表)",
				 unit_label(&cfgs[0], "部门名称"), unit_label(&cfgs[1], "地区"),
				 HEADER_SCAN);
		goto done;
	}
	if (!r->ncolumns) {
		rc = xy_error_at(err, XY_ERR_FORMAT, path, r->header_line, NULL,
				 "no column of the %s table in the header",
				 xy_stats_layout_name(r->layout));
		goto done;
	}
	if ((rc = check_internal(&sh, r, err)))
		goto done;
	if (data)
		rc = check_data(&sh, r, s, reg, o, err);
done:
	xy_reader_free(rd);
	xy_buf_release(&tmp);
	sheet_release(&sh);
	xy_stats_config_release(&cfgs[0]);
	xy_stats_config_release(&cfgs[1]);
	if (rc)
		xy_reconcile_free(r);
	else
		*out = r;
	return rc;
}
