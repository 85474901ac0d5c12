/* A unit's own column names for a category's fields (xinyong mapping).  See
 * include/xinyong/ingest.h. */
#include <string.h>

#include "xinyong/ingest.h"

/* The unit and category, or an error naming what is unknown. */
static xy_code lookup(const xy_registry *reg, const char *unit, const char *category,
		      const xy_unit **u, const xy_category **c, xy_error *err)
{
	if (!unit || !(*u = xy_registry_unit(reg, unit)))
		return xy_error_at(err, XY_ERR_NOTFOUND, NULL, 0, "unit",
				   "unknown source unit '%s' (未知信源单位)", unit ? unit : "");
	if (!category || !(*c = xy_registry_category(reg, category)))
		return xy_error_at(err, XY_ERR_NOTFOUND, NULL, 0, "category",
				   "unknown category '%s' (未知信息类别)", category ? category : "");
	return XY_OK;
}

xy_code xy_mapping_add(xy_store *s, const xy_registry *reg, const char *unit,
		       const char *category, const char *column, const char *field,
		       bool *replaced, xy_error *err)
{
	const xy_unit *u;
	const xy_category *c;
	const xy_field *f = NULL;
	size_t len = column ? strlen(column) : 0;
	const char *col = column ? xy_trim(column, &len) : "";
	xy_buf key = XY_BUF_INIT, trimmed = XY_BUF_INIT;
	xy_mapping m;
	xy_code rc = lookup(reg, unit, category, &u, &c, err);
	if (rc)
		return rc;
	for (size_t i = 0; field && i < c->nfields && !f; i++)
		if (strcmp(c->fields[i].code, field) == 0 || strcmp(c->fields[i].name, field) == 0)
			f = &c->fields[i];
	if (!f)
		return xy_error_at(err, XY_ERR_NOTFOUND, NULL, 0, "field",
				   "%s has no field '%s' (该类别没有此字段): give its code or "
				   "Chinese name", c->name, field ? field : "");
	if ((rc = xy_header_key(col, &key)))
		return xy_error_set(err, rc, "out of memory");
	if (!key.len) {
		xy_buf_release(&key);
		return xy_error_at(err, XY_ERR_ARG, NULL, 0, "column",
				   "the column name is empty (列名为空)");
	}
	if (xy_category_match_header(c, col) >= 0) {
		int g = xy_category_match_header(c, col);
		xy_buf_release(&key);
		if (&c->fields[g] == f)
			return xy_error_at(err, XY_ERR_CONFLICT, NULL, 0, "column",
					   "'%s' already names %s %s without a mapping "
					   "(该列名已能识别，无需映射)", col, f->code, f->name);
		return xy_error_at(err, XY_ERR_CONFLICT, NULL, 0, "column",
				   "'%s' is a header of field %s %s of %s; a mapping to %s would "
				   "make the same header mean two fields (该列名已属于另一字段)", col,
				   c->fields[g].code, c->fields[g].name, c->name, f->code);
	}
	xy_buf_release(&key);
	if ((rc = xy_buf_add(&trimmed, col, len)))
		return xy_error_set(err, rc, "out of memory");
	m = (xy_mapping){ u->id, c->id, trimmed.data, f->code, NULL };
	rc = xy_store_mapping_put(s, &m, replaced, err);
	xy_buf_release(&trimmed);
	return rc;
}

xy_code xy_mapping_remove(xy_store *s, const xy_registry *reg, const char *unit,
			  const char *category, const char *column, xy_error *err)
{
	const xy_unit *u;
	const xy_category *c;
	size_t len = column ? strlen(column) : 0;
	const char *col = column ? xy_trim(column, &len) : "";
	xy_buf trimmed = XY_BUF_INIT;
	xy_code rc = lookup(reg, unit, category, &u, &c, err);
	if (rc)
		return rc;
	if ((rc = xy_buf_add(&trimmed, col, len)))
		return xy_error_set(err, rc, "out of memory");
	rc = xy_store_mapping_remove(s, u->id, c->id, trimmed.data, err);
	if (rc == XY_ERR_NOTFOUND)
		xy_error_at(err, rc, NULL, 0, "column",
			    "%s has no mapping of '%s' for %s (没有此映射)", u->name, trimmed.data,
			    c->name);
	xy_buf_release(&trimmed);
	return rc;
}

typedef struct list_ctx {
	const xy_registry *reg;
	json_t *arr;
	bool nomem;
} list_ctx;

static int add_one(void *ctx, const xy_mapping *m)
{
	list_ctx *x = ctx;
	const xy_unit *u = xy_registry_unit_by_id(x->reg, m->unit_id);
	const xy_category *c = xy_registry_category_by_id(x->reg, m->category_id);
	const char *fname = NULL;
	json_t *o;
	for (size_t i = 0; c && i < c->nfields && !fname; i++)
		if (strcmp(c->fields[i].code, m->field_code) == 0)
			fname = c->fields[i].name;
	o = json_pack("{s:s,s:s,s:s,s:s,s:o,s:s}", "unit", u ? u->name : "?", "category",
		      c ? c->name : "?", "column", m->header, "field", m->field_code, "field_name",
		      fname ? json_string(fname) : json_null(), "created_at",
		      m->created_at ? m->created_at : "");
	if (!o || json_array_append_new(x->arr, o)) {
		x->nomem = true;
		return 1;
	}
	return 0;
}

xy_code xy_mapping_list(xy_store *s, const xy_registry *reg, const char *unit,
			const char *category, json_t **out, xy_error *err)
{
	const xy_unit *u = NULL;
	const xy_category *c = NULL;
	list_ctx x = { reg, json_array(), false };
	xy_code rc;
	*out = NULL;
	if (!x.arr)
		return xy_error_set(err, XY_ERR_NOMEM, "out of memory");
	if (unit && !(u = xy_registry_unit(reg, unit)))
		rc = xy_error_at(err, XY_ERR_NOTFOUND, NULL, 0, "unit",
				 "unknown source unit '%s' (未知信源单位)", unit);
	else if (category && !(c = xy_registry_category(reg, category)))
		rc = xy_error_at(err, XY_ERR_NOTFOUND, NULL, 0, "category",
				 "unknown category '%s' (未知信息类别)", category);
	else
		rc = xy_store_mappings(s, u ? u->id : 0, c ? c->id : 0, add_one, &x, err);
	if (!rc && x.nomem)
		rc = xy_error_set(err, XY_ERR_NOMEM, "out of memory");
	if (rc) {
		json_decref(x.arr);
		return rc;
	}
	*out = x.arr;
	return XY_OK;
}
