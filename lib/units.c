/* Source units the office adds and renames (include/xinyong/units.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "xinyong/auth.h"
#include "xinyong/buf.h"
#include "xinyong/date.h"
#include "xinyong/text.h"
#include "xinyong/units.h"

#define NAME_MAX_CHARS 64

/* The name trimmed into out, or an error naming "name". */
static xy_code check_name(const char *name, xy_buf *out, xy_error *err)
{
	size_t len = name ? strlen(name) : 0, chars;
	const char *p = name ? xy_trim(name, &len) : "";
	if (!len)
		return xy_error_at(err, XY_ERR_ARG, NULL, 0, "name",
				   "the unit name is empty (单位名称不能为空)");
	chars = xy_utf8_len(p, len);
	if (chars == (size_t)-1)
		return xy_error_at(err, XY_ERR_ARG, NULL, 0, "name",
				   "the unit name is not UTF-8 text (单位名称不是有效的文本)");
	if (chars > NAME_MAX_CHARS)
		return xy_error_at(err, XY_ERR_ARG, NULL, 0, "name",
				   "the unit name has %zu characters, at most %d (单位名称最多 %d 个字)",
				   chars, NAME_MAX_CHARS, NAME_MAX_CHARS);
	for (size_t i = 0; i < len; i++)
		if ((unsigned char)p[i] < 0x20 || p[i] == 0x7f || p[i] == '/')
			return xy_error_at(err, XY_ERR_ARG, NULL, 0, "name",
					   "the unit name may not hold '/' or control characters "
					   "(单位名称不能含“/”或控制字符)");
	return xy_buf_add(out, p, len) ? xy_error_set(err, XY_ERR_NOMEM, "out of memory") : XY_OK;
}

static xy_code parse_kind(const char *s, xy_unit_kind *k, xy_error *err)
{
	static const struct { const char *zh; xy_unit_kind k; } zh[] = {
		{ "部门", XY_UNIT_DEPARTMENT }, { "市有关部门", XY_UNIT_DEPARTMENT },
		{ "区县", XY_UNIT_COUNTY },     { "县区", XY_UNIT_COUNTY },
		{ "县（市）区", XY_UNIT_COUNTY }, { "园区", XY_UNIT_PARK },
	};
	for (size_t i = 0; s && i < sizeof zh / sizeof zh[0]; i++)
		if (!strcmp(s, zh[i].zh)) {
			*k = zh[i].k;
			return XY_OK;
		}
	if (s && !xy_unit_kind_parse(s, k) && *k != XY_UNIT_CITY)
		return XY_OK;
	return xy_error_at(err, XY_ERR_ARG, NULL, 0, "kind",
			   "the kind is department, county or park, not '%s' "
			   "(单位类别须为 部门、区县 或 园区)", s ? s : "");
}

static xy_code check_division(const xy_registry *reg, const char *d, xy_unit_kind kind,
			      char out[7], xy_error *err)
{
	size_t n = d ? strlen(d) : 0;
	out[0] = '\0';
	if (!n) {
		if (kind == XY_UNIT_COUNTY)
			return xy_error_at(err, XY_ERR_ARG, NULL, 0, "division",
					   "a county needs its division code (区县须填写行政区划代码)");
		return XY_OK;
	}
	if (n != 6 || strspn(d, "0123456789") != 6)
		return xy_error_at(err, XY_ERR_ARG, NULL, 0, "division",
				   "the division code is 6 digits (GB/T 2260), not '%s' "
				   "(行政区划代码须为 6 位数字)", d);
	for (size_t i = 0; i < reg->nunits; i++)
		if (!strcmp(reg->units[i].division, d) && reg->units[i].kind != XY_UNIT_CITY)
			return xy_error_at(err, XY_ERR_CONFLICT, NULL, 0, "division",
					   "%s has division code %s already (该行政区划代码已属于%s)",
					   reg->units[i].name, d, reg->units[i].name);
	memcpy(out, d, 7);
	return XY_OK;
}

/* fn's change and its audit entry in one transaction, then reg reloaded. */
static xy_code audited(xy_store *s, xy_registry *reg, const char *who, const char *action,
		       const char *object, const char *detail, const char *before,
		       const char *after, xy_code (*fn)(xy_store *, void *, xy_error *), void *ctx,
		       xy_error *err)
{
	xy_audit_entry a = { .who = who && *who ? who : "library", .action = action,
			     .object = object, .detail = detail, .before = before,
			     .before_len = before ? strlen(before) : 0, .after = after,
			     .after_len = after ? strlen(after) : 0 };
	xy_code rc = xy_store_begin(s, false, err);
	if (rc)
		return rc;
	if (!(rc = fn(s, ctx, err)) && !(rc = xy_audit_append(s, &a, NULL, err)))
		rc = xy_store_commit(s, err);
	if (rc) {
		xy_store_rollback(s, NULL);
		return rc;
	}
	xy_registry_release(reg);
	xy_registry_init(reg);
	return xy_store_load_registry(s, reg, err);
}

static xy_code insert(xy_store *s, void *u, xy_error *err)
{
	return xy_store_unit_insert(s, u, err);
}

/* "name=…\nkind=…\ndivision=…\n": what the audit entry digests. */
static xy_code unit_text(xy_buf *b, const char *name, xy_unit_kind kind, const char *division)
{
	return xy_buf_addf(b, "name=%s\nkind=%s\ndivision=%s\n", name, xy_unit_kind_name(kind),
			   division);
}

xy_code xy_unit_add(xy_store *s, xy_registry *reg, const char *who, const char *name,
		    const char *kind, const char *division, int64_t *id, xy_error *err)
{
	xy_buf n = XY_BUF_INIT, obj = XY_BUF_INIT, text = XY_BUF_INIT, detail = XY_BUF_INIT;
	xy_unit u;
	xy_code rc;
	memset(&u, 0, sizeof u);
	if ((rc = check_name(name, &n, err)) || (rc = parse_kind(kind, &u.kind, err)) ||
	    (rc = check_division(reg, division, u.kind, u.division, err)))
		goto out;
	if (xy_registry_unit(reg, n.data)) {
		const xy_unit *o = xy_registry_unit(reg, n.data);
		rc = strcmp(o->name, n.data)
			     ? xy_error_at(err, XY_ERR_CONFLICT, NULL, 0, "name",
					   "'%s' is a former name of %s (该名称是%s的曾用名)", n.data,
					   o->name, o->name)
			     : xy_error_at(err, XY_ERR_CONFLICT, NULL, 0, "name",
					   "unit '%s' exists already (信源单位已存在)", n.data);
		goto out;
	}
	u.name = n.data;
	for (size_t i = 0; i < reg->nunits; i++)
		if (reg->units[i].sort >= u.sort)
			u.sort = reg->units[i].sort + 1;
	if (xy_buf_addf(&obj, "unit:%s", n.data) || unit_text(&text, n.data, u.kind, u.division) ||
	    xy_buf_addf(&detail, "新增信源单位 %s（%s%s%s）", n.data, xy_unit_kind_name(u.kind),
			*u.division ? " " : "", u.division)) {
		rc = xy_error_set(err, XY_ERR_NOMEM, "out of memory");
		goto out;
	}
	rc = audited(s, reg, who, "unit.add", obj.data, detail.data, NULL, text.data, insert, &u,
		     err);
	if (!rc && id)
		*id = u.id;
out:
	xy_buf_release(&n);
	xy_buf_release(&obj);
	xy_buf_release(&text);
	xy_buf_release(&detail);
	return rc;
}

struct rename_ctx {
	int64_t id;
	const char *name;
};

static xy_code rename_fn(xy_store *s, void *p, xy_error *err)
{
	const struct rename_ctx *r = p;
	char at[32];
	xy_time_iso((int64_t)time(NULL), at);
	return xy_store_unit_rename(s, r->id, r->name, at, err);
}

xy_code xy_unit_rename(xy_store *s, xy_registry *reg, const char *who, const char *unit,
		       const char *name, int64_t *id, xy_error *err)
{
	const xy_unit *u = unit ? xy_registry_unit(reg, unit) : NULL, *o;
	xy_buf n = XY_BUF_INIT, obj = XY_BUF_INIT, before = XY_BUF_INIT, after = XY_BUF_INIT,
	       detail = XY_BUF_INIT;
	struct rename_ctx r;
	xy_code rc;
	if (!u)
		return xy_error_at(err, XY_ERR_NOTFOUND, NULL, 0, "unit",
				   "unknown source unit '%s' (未知信源单位)", unit ? unit : "");
	if ((rc = check_name(name, &n, err)))
		goto out;
	if (!strcmp(u->name, n.data)) {
		rc = xy_error_at(err, XY_ERR_CONFLICT, NULL, 0, "name",
				 "%s is the unit's name already (新名称与现名称相同)", n.data);
		goto out;
	}
	if ((o = xy_registry_unit(reg, n.data)) && o != u) {
		rc = xy_error_at(err, XY_ERR_CONFLICT, NULL, 0, "name",
				 strcmp(o->name, n.data) ? "'%s' is a former name of %s (该名称是%s的曾用名)"
							 : "'%s' is the name of %s (该名称已属于%s)",
				 n.data, o->name, o->name);
		goto out;
	}
	r = (struct rename_ctx){ u->id, n.data };
	if (xy_buf_addf(&obj, "unit:%s", n.data) ||
	    unit_text(&before, u->name, u->kind, u->division) ||
	    unit_text(&after, n.data, u->kind, u->division) ||
	    xy_buf_addf(&detail, "信源单位 %s 更名为 %s（原名称仍可识别）", u->name, n.data)) {
		rc = xy_error_set(err, XY_ERR_NOMEM, "out of memory");
		goto out;
	}
	rc = audited(s, reg, who, "unit.rename", obj.data, detail.data, before.data, after.data,
		     rename_fn, &r, err);
	if (!rc && id)
		*id = r.id;
out:
	xy_buf_release(&n);
	xy_buf_release(&obj);
	xy_buf_release(&before);
	xy_buf_release(&after);
	xy_buf_release(&detail);
	return rc;
}

json_t *xy_unit_json(const xy_unit *u)
{
	json_t *former = u ? json_array() : NULL;
	for (size_t k = 0; former && k < u->naliases; k++)
		if (json_array_append_new(former, json_string(u->aliases[k]))) {
			json_decref(former);
			return NULL;
		}
	if (!former)
		return NULL;
	return json_pack("{s:I,s:s,s:s,s:o,s:i,s:o}", "id", (json_int_t)u->id, "name", u->name,
			 "kind", xy_unit_kind_name(u->kind), "division",
			 *u->division ? json_string(u->division) : json_null(), "sort", u->sort,
			 "former_names", former);
}
