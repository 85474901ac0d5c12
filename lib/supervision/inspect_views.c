/* xinyong: the views of 双随机、一公开 (inspect.h "views"): plans for the
 * office; draws, their targets and results and their verification for
 * anyone (一公开).  The public views never carry a person's number: every
 * target's code is in its public form (xy_id_public, the public profile's
 * rule), and teams are counted, not named (a plan does not say its
 * inspectors' names are published). */
#include <stdlib.h>
#include <string.h>

#include "xinyong/codes.h"
#include "xinyong/inspect.h"

static xy_code nomem(xy_error *err)
{
	return xy_error_set(err, XY_ERR_NOMEM, "out of memory");
}

static int plan_one_cb(void *ctx, const xy_inspect_plan_row *r)
{
	json_t **out = ctx;
	json_t *o = json_loads(r->text, 0, NULL);
	*out = json_pack("{s:I, s:s, s:s, s:o, s:s, s:s}", "id", (json_int_t)r->id, "unit", r->unit,
			 "name", r->name, "plan", o ? o : json_null(), "sha256", r->digest,
			 "created_at", r->created_at);
	return 1;
}

static int plan_list_cb(void *ctx, const xy_inspect_plan_row *r)
{
	json_array_append_new(ctx, json_pack("{s:I, s:s, s:s, s:s, s:s}", "id", (json_int_t)r->id,
					     "unit", r->unit, "name", r->name, "sha256", r->digest,
					     "created_at", r->created_at));
	return 0;
}

xy_code xy_inspect_view_plan(xy_store *s, int64_t id, json_t **out, xy_error *err)
{
	json_t *a;
	xy_code rc;
	*out = NULL;
	if (id > 0) {
		if ((rc = xy_store_inspect_plans(s, id, plan_one_cb, out, err)))
			return rc;
		return *out ? XY_OK : nomem(err);
	}
	if (!(a = json_array()))
		return nomem(err);
	if ((rc = xy_store_inspect_plans(s, 0, plan_list_cb, a, err))) {
		json_decref(a);
		return rc;
	}
	*out = json_pack("{s:o}", "plans", a);
	return *out ? XY_OK : nomem(err);
}

/* Plans by id as {id: {name, unit, sha256}} for the draws' lines. */
static int plan_map_cb(void *ctx, const xy_inspect_plan_row *r)
{
	char key[24];
	snprintf(key, sizeof key, "%lld", (long long)r->id);
	json_object_set_new(ctx, key, json_pack("{s:s, s:s, s:s}", "name", r->name, "unit", r->unit,
						"sha256", r->digest));
	return 0;
}

static const char *member(json_t *o, const char *k)
{
	const char *v = json_string_value(json_object_get(o, k));
	return v ? v : "";
}

/* The line of one draw in the public views: what was published, no text. */
static json_t *draw_head(json_t *plans, const xy_inspect_draw_row *r)
{
	char key[24];
	json_t *p;
	long targets = 0;
	snprintf(key, sizeof key, "%lld", (long long)r->plan_id);
	p = json_object_get(plans, key);
	for (const char *q = strstr(r->text, "\ntarget\t"); q; q = strstr(q + 1, "\ntarget\t"))
		targets++;
	return json_pack("{s:I, s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:I}", "id", (json_int_t)r->id,
			 "plan", (json_int_t)r->plan_id, "plan_name",
			 member(p, "name"), "unit",
			 member(p, "unit"), "drawn_at", r->drawn_at,
			 "random", r->random, "plan_sha256",
			 member(p, "sha256"), "population_sha256",
			 r->population_digest, "draw_sha256", r->digest, "targets", (json_int_t)targets);
}

struct draws {
	json_t *plans, *list, *one;
	int64_t id;
};

static int draw_list_cb(void *ctx, const xy_inspect_draw_row *r)
{
	struct draws *c = ctx;
	json_array_append_new(c->list, draw_head(c->plans, r));
	return 0;
}

xy_code xy_inspect_view_draws(xy_store *s, json_t **out, xy_error *err)
{
	struct draws c = { json_object(), json_array(), NULL, 0 };
	xy_code rc = XY_OK;
	*out = NULL;
	if (!c.plans || !c.list)
		rc = nomem(err);
	if (!rc && !(rc = xy_store_inspect_plans(s, 0, plan_map_cb, c.plans, err)))
		rc = xy_store_inspect_draws(s, 0, 0, draw_list_cb, &c, err);
	json_decref(c.plans);
	if (!rc && !(*out = json_pack("{s:O}", "draws", c.list)))
		rc = nomem(err);
	json_decref(c.list);
	return rc;
}

/* The public form of a code, a new string (NULL: out of memory). */
static char *public_code(const char *code)
{
	size_t n = xy_id_public(code, NULL, 0) + 1;
	char *p = malloc(n);
	if (p)
		xy_id_public(code, p, n);
	return p;
}

/* The draw's strata and targets (codes public, teams counted). */
static int draw_one_cb(void *ctx, const xy_inspect_draw_row *r)
{
	struct draws *c = ctx;
	json_t *strata = json_array(), *targets = json_array();
	c->one = draw_head(c->plans, r);
	for (const char *q = strchr(r->text, '\n'); q; q = strchr(q, '\n')) {
		const char *line = ++q, *end = strchr(line, '\n');
		size_t len = end ? (size_t)(end - line) : strlen(line);
		char *f[6] = { 0 }, *buf = strndup(line, len), *save = NULL, *tok;
		int n = 0;
		if (!buf)
			break;
		for (tok = strtok_r(buf, "\t", &save); tok && n < 6; tok = strtok_r(NULL, "\t", &save))
			f[n++] = tok;
		if (n == 6 && !strcmp(f[0], "stratum")) {
			json_array_append_new(strata, json_pack("{s:s, s:I, s:I, s:I, s:I}", "grade", f[1],
								"in_scope", (json_int_t)atol(f[2]), "key",
								(json_int_t)atol(f[3]), "ratio_bp",
								(json_int_t)atol(f[4]), "drawn",
								(json_int_t)atol(f[5])));
		} else if (n >= 4 && !strcmp(f[0], "target")) {
			char *pub = public_code(f[1]);
			long team = 0;
			for (const char *t = n >= 5 ? f[4] : ""; *t; t++)
				team += *t == ',';
			team += n >= 5 && *f[4];
			json_array_append_new(targets, json_pack("{s:s?, s:s, s:s, s:I, s:n, s:n}", "code", pub,
								 "grade", f[2], "kind", f[3], "team_size",
								 (json_int_t)team, "result", "recorded_at"));
			free(pub);
		}
		free(buf);
	}
	json_object_set_new(c->one, "strata", strata);
	json_object_set_new(c->one, "targets", targets);
	return 1;
}

/* A result onto its target: matched by the public form of its code. */
static int draw_result_cb(void *ctx, const xy_inspect_result_row *r)
{
	struct draws *c = ctx;
	char *pub = public_code(r->code);
	json_t *t;
	size_t i;
	json_array_foreach(json_object_get(c->one, "targets"), i, t) {
		if (pub && !strcmp(json_string_value(json_object_get(t, "code")), pub) &&
		    json_is_null(json_object_get(t, "result"))) {
			json_object_set_new(t, "result", json_string(r->outcome));
			json_object_set_new(t, "recorded_at", json_string(r->recorded_at));
			break;
		}
	}
	free(pub);
	return 0;
}

xy_code xy_inspect_view_draw(xy_store *s, int64_t id, json_t **out, xy_error *err)
{
	struct draws c = { json_object(), NULL, NULL, id };
	xy_code rc = XY_OK;
	*out = NULL;
	if (id <= 0)
		rc = xy_error_set(err, XY_ERR_ARG, "抽取编号应为正整数");
	else if (!c.plans)
		rc = nomem(err);
	if (!rc && !(rc = xy_store_inspect_plans(s, 0, plan_map_cb, c.plans, err)) &&
	    !(rc = xy_store_inspect_draws(s, id, 0, draw_one_cb, &c, err)))
		rc = c.one ? xy_store_inspect_results(s, id, draw_result_cb, &c, err) : nomem(err);
	json_decref(c.plans);
	if (rc)
		json_decref(c.one);
	else
		*out = c.one;
	return rc;
}

xy_code xy_inspect_view_verify(xy_store *s, int64_t id, json_t **out, xy_error *err)
{
	xy_buf why = XY_BUF_INIT;
	xy_error e = XY_ERROR_INIT;
	xy_code rc = xy_inspect_verify(s, id, &why, &e);
	*out = NULL;
	if (rc && rc != XY_ERR_INVALID) {
		xy_buf_release(&why);
		if (err)
			*err = e;
		return rc;
	}
	*out = json_pack("{s:b, s:s}", "ok", !rc, "differences", why.data ? why.data : "");
	xy_buf_release(&why);
	return *out ? XY_OK : nomem(err);
}
