/* xinyong: the office's administration views (views.h, "office
 * administration"): units, categories and their fields, users, tokens, the
 * audit log and its check, a loaded memorandum's summary.  `xinyong registry`,
 * `user list`, `token list`, `audit show|verify`, `memorandum load` and the
 * server's office routes print these. */
#include <string.h>

#include "xinyong/auth.h"
#include "xinyong/memoranda.h"
#include "xinyong/units.h"
#include "views_internal.h"

/* ---- units and categories ---- */

xy_code xy_view_units(const xy_registry *reg, json_t **out, xy_error *err)
{
	json_t *arr = json_array();
	*out = NULL;
	for (size_t i = 0; arr && i < reg->nunits; i++) {
		if (json_array_append_new(arr, xy_unit_json(&reg->units[i]))) {
			json_decref(arr);
			return xy__view_nomem(err);
		}
	}
	if (!arr || !(*out = json_pack("{s:o}", "units", arr)))
		return xy__view_nomem(err);
	return XY_OK;
}

static json_t *strs(char *const *v, size_t n)
{
	json_t *a = json_array();
	for (size_t i = 0; a && i < n; i++)
		if (json_array_append_new(a, json_string(v[i]))) {
			json_decref(a);
			return NULL;
		}
	return a;
}

xy_code xy_view_categories(const xy_registry *reg, json_t **out, xy_error *err)
{
	json_t *arr = json_array();
	*out = NULL;
	for (size_t i = 0; arr && i < reg->ncategories; i++) {
		const xy_category *c = &reg->categories[i];
		if (json_array_append_new(arr, json_pack("{s:I,s:s,s:s,s:s,s:I}", "id",
							 (json_int_t)c->id, "code", c->code, "name",
							 c->name, "kind", xy_category_kind_name(c->kind),
							 "fields", (json_int_t)c->nfields))) {
			json_decref(arr);
			return xy__view_nomem(err);
		}
	}
	if (!arr || !(*out = json_pack("{s:o}", "categories", arr)))
		return xy__view_nomem(err);
	return XY_OK;
}

xy_code xy_view_category(const xy_registry *reg, const char *category, json_t **out,
			 xy_error *err)
{
	const xy_category *c = category ? xy_registry_category(reg, category) : NULL;
	json_t *fields;
	*out = NULL;
	if (!c)
		return xy_error_at(err, XY_ERR_NOTFOUND, NULL, 0, "category",
				   "unknown category '%s' (未知信息类别)", category ? category : "");
	if (!(fields = json_array()))
		return xy__view_nomem(err);
	for (size_t i = 0; i < c->nfields; i++) {
		const xy_field *f = &c->fields[i];
		json_t *o = json_pack("{s:s,s:s,s:s,s:s,s:b,s:o,s:o,s:o}", "code", f->code, "name",
				      f->name, "type", xy_field_type_name(f->type), "role",
				      xy_field_role_name(f->role), "required", f->required, "max_len",
				      f->max_len ? json_integer((json_int_t)f->max_len) : json_null(),
				      "aliases", strs(f->aliases, f->naliases), "values",
				      strs(f->enum_values, f->nenum));
		if (json_array_append_new(fields, o)) {
			json_decref(fields);
			return xy__view_nomem(err);
		}
	}
	*out = json_pack("{s:I,s:s,s:s,s:s,s:o,s:o}", "id", (json_int_t)c->id, "code", c->code,
			 "name", c->name, "kind", xy_category_kind_name(c->kind), "key",
			 c->key_field >= 0 ? json_string(c->fields[c->key_field].code) : json_null(),
			 "fields", fields);
	return *out ? XY_OK : xy__view_nomem(err);
}

/* ---- users and tokens ---- */

xy_code xy_view_users(xy_store *s, json_t **out, xy_error *err)
{
	xy_user_row *v = NULL;
	size_t n = 0;
	json_t *arr;
	xy_code rc;
	*out = NULL;
	if ((rc = xy_auth_user_list(s, &v, &n, err)))
		return rc;
	arr = json_array();
	for (size_t i = 0; arr && i < n; i++)
		if (json_array_append_new(arr, xy_user_json(&v[i]))) {
			json_decref(arr);
			arr = NULL;
		}
	xy_user_rows_free(v, n);
	if (!arr || !(*out = json_pack("{s:o}", "users", arr)))
		return xy__view_nomem(err);
	return XY_OK;
}

xy_code xy_view_user(xy_store *s, const char *name, json_t **out, xy_error *err)
{
	xy_user_row u = { 0 };
	xy_code rc;
	*out = NULL;
	rc = xy_store_user_get(s, name, &u, err);
	if (rc == XY_ERR_NOTFOUND)
		return xy_error_at(err, rc, NULL, 0, "name", "no user '%s' (没有此用户)", name);
	if (rc)
		return rc;
	*out = xy_user_json(&u);
	xy_user_row_release(&u);
	return *out ? XY_OK : xy__view_nomem(err);
}

xy_code xy_view_tokens(xy_store *s, json_t **out, xy_error *err)
{
	xy_token_row *v = NULL;
	size_t n = 0;
	json_t *arr;
	xy_code rc;
	*out = NULL;
	if ((rc = xy_auth_token_list(s, &v, &n, err)))
		return rc;
	arr = json_array();
	for (size_t i = 0; arr && i < n; i++)
		if (json_array_append_new(arr, xy_token_json(&v[i]))) {
			json_decref(arr);
			arr = NULL;
		}
	xy_token_rows_free(v, n);
	if (!arr || !(*out = json_pack("{s:o}", "tokens", arr)))
		return xy__view_nomem(err);
	return XY_OK;
}

/* ---- the audit log ---- */

struct audit_page {
	json_t *arr;
	size_t limit;
	int64_t next;
	bool nomem;
};

static int audit_one(void *ctx, const xy_audit_view *v)
{
	struct audit_page *p = ctx;
	if (p->limit && json_array_size(p->arr) == p->limit) {
		p->next = json_integer_value(
			json_object_get(json_array_get(p->arr, p->limit - 1), "seq"));
		return 1; /* one more than the page: there is a next one */
	}
	if (json_array_append_new(p->arr, xy_audit_json(v))) {
		p->nomem = true;
		return 1;
	}
	return 0;
}

xy_code xy_view_audit(xy_store *s, const xy_audit_filter *f, json_t **out, xy_error *err)
{
	xy_audit_filter q = { 0 };
	struct audit_page p = { json_array(), 0, 0, false };
	xy_code rc;
	*out = NULL;
	if (!p.arr)
		return xy__view_nomem(err);
	if (f)
		q = *f;
	p.limit = q.limit;
	if (q.limit)
		q.limit++; /* one more tells whether there is a next page */
	if ((rc = xy_audit_list(s, &q, audit_one, &p, err)) || p.nomem) {
		json_decref(p.arr);
		return rc ? rc : xy__view_nomem(err);
	}
	*out = json_pack("{s:o,s:o}", "entries", p.arr, "next",
			 p.next ? json_integer(p.next) : json_null());
	return *out ? XY_OK : xy__view_nomem(err);
}

xy_code xy_view_audit_verify(xy_store *s, const char *expect_head, json_t **out, xy_error *err)
{
	xy_audit_check chk;
	xy_error why = XY_ERROR_INIT;
	xy_code rc = xy_audit_verify(s, expect_head, &chk, &why);
	*out = NULL;
	if (rc && rc != XY_ERR_INVALID) {
		*err = why;
		return rc;
	}
	*out = json_pack("{s:b,s:I,s:I,s:s,s:I}", "ok", !rc, "entries", (json_int_t)chk.entries,
			 "head_seq", (json_int_t)chk.head_seq, "head", chk.head, "first_bad",
			 (json_int_t)chk.first_bad);
	if (*out && rc)
		json_object_set_new(*out, "error", json_string(why.msg));
	return *out ? XY_OK : xy__view_nomem(err);
}

/* ---- a memorandum's summary ---- */

/* ---- a list entry just added ---- */

xy_code xy_view_list_added(const xy_credit *c, const xy_entry_row *e, size_t npersons,
			   long notices, bool counted, json_t **out, xy_error *err)
{
	const xy_list_type *lt = xy_sanctions_list_type(&c->cat, e->list_type);
	json_t *k = json_object();
	*out = json_pack("{s:I,s:s,s:s,s:s,s:s,s:s,s:s,s:o,s:o,s:o,s:s,s:s,s:I,s:I,s:o}", "entry",
			 (json_int_t)e->id, "list_type", e->list_type, "subject", e->subject_code,
			 "name", e->subject_name, "unit", e->unit, "doc", e->doc, "from", e->from,
			 "to", xy__opt_str(e->to), "exit", xy__opt_str(e->exit_how), "exit_date",
			 xy__opt_str(e->exit_date), "status", "active", "reason", e->reason,
			 "persons", (json_int_t)npersons, "notices", (json_int_t)notices, "counted",
			 k);
	if (*out && counted && lt && lt->category[0])
		json_object_set_new(k, lt->category, json_integer(1));
	return *out ? XY_OK : xy__view_nomem(err);
}
