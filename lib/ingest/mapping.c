/* A unit's own column names for a category's fields (xinyong mapping).  See
 * include/xinyong/ingest.h. */
#include <string.h>

#include "xinyong/auth.h"
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

/* The change done by fn (a store call) with its audit entry ("mapping.add",
 * "mapping.remove" of "mapping:UNIT/CATEGORY/COLUMN"; the mapping as text
 * digested after an add, before a removal), in one transaction. */
typedef xy_code (*mapping_change)(xy_store *s, const xy_mapping *m, bool *replaced,
				  xy_error *err);

static xy_code audited(xy_store *s, const char *who, const char *action, const xy_unit *u,
		       const xy_category *c, const xy_mapping *m, mapping_change fn,
		       bool *replaced, xy_error *err)
{
	xy_buf object = XY_BUF_INIT, text = XY_BUF_INIT;
	bool add = !strcmp(action, "mapping.add");
	xy_code rc;
	if (xy_buf_addf(&object, "mapping:%s/%s/%s", u->name, c->name, m->header) ||
	    xy_buf_addf(&text, "unit=%s\ncategory=%s\ncolumn=%s\nfield=%s\n", u->name, c->name,
			m->header, m->field_code ? m->field_code : ""))
		rc = xy_error_set(err, XY_ERR_NOMEM, "out of memory");
	else
		rc = xy_store_begin(s, false, err);
	if (rc)
		goto out;
	if (!(rc = fn(s, m, replaced, err))) {
		xy_audit_entry a = { .who = who && *who ? who : "library", .action = action,
				     .object = object.data, .detail = m->field_code,
				     .before = add ? NULL : text.data, .before_len = text.len,
				     .after = add ? text.data : NULL, .after_len = text.len };
		rc = xy_audit_append(s, &a, NULL, err);
	}
	if (!rc)
		rc = xy_store_commit(s, err);
	if (rc)
		xy_store_rollback(s, NULL);
out:
	xy_buf_release(&object);
	xy_buf_release(&text);
	return rc;
}

static xy_code put(xy_store *s, const xy_mapping *m, bool *replaced, xy_error *err)
{
	return xy_store_mapping_put(s, m, replaced, err);
}

static xy_code removal(xy_store *s, const xy_mapping *m, bool *replaced, xy_error *err)
{
	(void)replaced;
	return xy_store_mapping_remove(s, m->unit_id, m->category_id, m->header, err);
}

xy_code xy_mapping_add(xy_store *s, const xy_registry *reg, const char *who, const char *unit,
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
	rc = audited(s, who, "mapping.add", u, c, &m, put, replaced, err);
	xy_buf_release(&trimmed);
	return rc;
}

xy_code xy_mapping_remove(xy_store *s, const xy_registry *reg, const char *who, const char *unit,
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
	xy_mapping m = { u->id, c->id, trimmed.data, NULL, NULL };
	rc = audited(s, who, "mapping.remove", u, c, &m, removal, NULL, err);
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
