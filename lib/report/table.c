/* The table model: rows × columns of counts with computed totals. */
#include <stdlib.h>
#include <string.h>

#include "xinyong/table.h"

static char *dup0(const char *s)
{
	return strdup(s ? s : "");
}

static void free_strv(char **v, size_t n)
{
	if (!v)
		return;
	for (size_t i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

static char **dup_strv(size_t n, const char *const *src)
{
	char **v = calloc(n ? n : 1, sizeof *v);
	if (!v)
		return NULL;
	for (size_t i = 0; i < n; i++)
		if (!(v[i] = dup0(src ? src[i] : ""))) {
			free_strv(v, i);
			return NULL;
		}
	return v;
}

static void row_release(const xy_table *t, xy_table_row *r)
{
	free_strv(r->labels, t->nlabels);
	free(r->values);
	memset(r, 0, sizeof *r);
}

xy_table *xy_table_new(const char *title, size_t nlabels, const char *const *label_names,
		       size_t nvalues, const char *const *value_names,
		       const char *total_col_name, const char *total_row_label,
		       size_t total_row_label_col)
{
	xy_table *t = calloc(1, sizeof *t);
	if (!t)
		return NULL;
	t->nlabels = nlabels;
	t->nvalues = nvalues;
	t->zero_blank = true;
	t->total_row_label_col = total_row_label_col < nlabels ? total_row_label_col : 0;
	t->title = dup0(title);
	t->label_names = dup_strv(nlabels, label_names);
	t->value_names = dup_strv(nvalues, value_names);
	if (total_col_name)
		t->total_col_name = strdup(total_col_name);
	if (total_row_label)
		t->total_row_label = strdup(total_row_label);
	if (!t->title || !t->label_names || !t->value_names ||
	    (total_col_name && !t->total_col_name) || (total_row_label && !t->total_row_label)) {
		xy_table_free(t);
		return NULL;
	}
	return t;
}

void xy_table_free(xy_table *t)
{
	if (!t)
		return;
	for (size_t i = 0; i < t->nrows; i++)
		row_release(t, &t->rows[i]);
	free(t->rows);
	free(t->title);
	free(t->note);
	free_strv(t->label_names, t->nlabels);
	free_strv(t->value_names, t->nvalues);
	free(t->total_col_name);
	free(t->total_row_label);
	free(t);
}

xy_code xy_table_set_note(xy_table *t, const char *note)
{
	char *n = NULL;
	if (note && !(n = strdup(note)))
		return XY_ERR_NOMEM;
	free(t->note);
	t->note = n;
	return XY_OK;
}

/* Room for one more row at the end. */
static xy_table_row *row_append(xy_table *t, const char *const *labels, const long long *values)
{
	xy_table_row *rows = realloc(t->rows, (t->nrows + 1) * sizeof *rows);
	xy_table_row *r;
	if (!rows)
		return NULL;
	t->rows = rows;
	r = &rows[t->nrows];
	memset(r, 0, sizeof *r);
	r->labels = dup_strv(t->nlabels, labels);
	r->values = calloc(t->nvalues ? t->nvalues : 1, sizeof *r->values);
	if (!r->labels || !r->values) {
		row_release(t, r);
		return NULL;
	}
	if (values)
		memcpy(r->values, values, t->nvalues * sizeof *values);
	t->nrows++;
	return r;
}

xy_code xy_table_add_row(xy_table *t, const char *const *labels, const long long *values)
{
	xy_table_row *r = row_append(t, labels, values);
	if (!r)
		return XY_ERR_NOMEM;
	for (size_t j = 0; j < t->nvalues; j++)
		r->total += r->values[j];
	return XY_OK;
}

xy_code xy_table_compute_totals(xy_table *t)
{
	xy_table_row *tot = NULL;
	if (t->total_row_label) {
		if (t->nrows && t->rows[0].is_total) {
			tot = &t->rows[0];
		} else {
			/* append, then rotate it to the front */
			xy_table_row tmp;
			if (!row_append(t, NULL, NULL))
				return XY_ERR_NOMEM;
			tmp = t->rows[t->nrows - 1];
			memmove(&t->rows[1], &t->rows[0], (t->nrows - 1) * sizeof tmp);
			t->rows[0] = tmp;
			tot = &t->rows[0];
			tot->is_total = true;
			if (t->nlabels) {
				char *l = strdup(t->total_row_label);
				if (!l)
					return XY_ERR_NOMEM;
				free(tot->labels[t->total_row_label_col]);
				tot->labels[t->total_row_label_col] = l;
			}
		}
		memset(tot->values, 0, t->nvalues * sizeof *tot->values);
		tot->total = 0;
	}
	for (size_t i = 0; i < t->nrows; i++) {
		xy_table_row *r = &t->rows[i];
		if (r->is_total)
			continue;
		r->total = 0;
		for (size_t j = 0; j < t->nvalues; j++) {
			r->total += r->values[j];
			if (tot)
				tot->values[j] += r->values[j];
		}
		if (tot)
			tot->total += r->total;
	}
	return XY_OK;
}

int xy_table_value_index(const xy_table *t, const char *name)
{
	for (size_t j = 0; j < t->nvalues; j++)
		if (strcmp(t->value_names[j], name) == 0)
			return (int)j;
	return -1;
}

int xy_table_row_index(const xy_table *t, size_t label_col, const char *label)
{
	if (label_col >= t->nlabels)
		return -1;
	for (size_t i = 0; i < t->nrows; i++)
		if (strcmp(t->rows[i].labels[label_col], label) == 0)
			return (int)i;
	return -1;
}
