/* xinyong: 双随机、一公开 plans and draws, the pure part (inspect.h;
 * docs/inspection.md).  Nothing here reads the store: a draw is a function of
 * the published texts only, so a verifier needs nothing else. */
#include <jansson.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#include "xinyong/inspect.h"

#define DRAW_MAGIC "xinyong-inspect-draw 1"
#define DOMAIN_TAG "xinyong/inspect/draw/v1"
#define RANDOM_MAX 256

static const unsigned default_ratio[4] = { 300, 500, 2000, 10000 };

static void hex32(const unsigned char d[32], char out[65])
{
	sodium_bin2hex(out, 65, d, 32);
}

static void sha256_hex(const char *s, size_t n, char out[65])
{
	unsigned char d[crypto_hash_sha256_BYTES];
	crypto_hash_sha256(d, (const unsigned char *)s, n);
	hex32(d, out);
}

/* A value that goes into a tab-separated line: no tab, no line break. */
static bool one_field(const char *s)
{
	return s && !strpbrk(s, "\t\r\n");
}

/* ---- plans ---- */

void xy_inspect_plan_release(xy_inspect_plan *p)
{
	size_t i, j;
	if (!p)
		return;
	free(p->name);
	free(p->unit);
	for (i = 0; i < p->nitems; i++) {
		free(p->items[i].item);
		free(p->items[i].basis);
		free(p->items[i].method);
	}
	free(p->items);
	free(p->category);
	free(p->industry);
	free(p->region);
	for (i = 0; i < p->npool; i++) {
		free(p->pool[i].name);
		free(p->pool[i].unit);
		free(p->pool[i].district);
		for (j = 0; j < p->pool[i].nlinks; j++)
			free(p->pool[i].links[j]);
		free(p->pool[i].links);
	}
	free(p->pool);
	free(p->text);
	memset(p, 0, sizeof *p);
}

static xy_code bad(xy_error *err, const char *file, const char *field, const char *msg)
{
	return xy_error_at(err, XY_ERR_INVALID, file, 0, field, "%s", msg);
}

/* A string member: NULL when absent or empty (optional), an error when it is
 * no string or holds a tab or line break. */
static xy_code opt_str(json_t *o, const char *key, const char *file, const char *field,
		       char **out, xy_error *err)
{
	json_t *v = json_object_get(o, key);
	*out = NULL;
	if (!v || json_is_null(v))
		return XY_OK;
	if (!json_is_string(v) || !one_field(json_string_value(v)))
		return xy_error_at(err, XY_ERR_INVALID, file, 0, field,
				   "%s 应为一行文字（不含制表符、换行）", field);
	if (!*json_string_value(v))
		return XY_OK;
	if (!(*out = strdup(json_string_value(v))))
		return xy_error_set(err, XY_ERR_NOMEM, "out of memory");
	return XY_OK;
}

static xy_code req_str(json_t *o, const char *key, const char *file, const char *field,
		       char **out, xy_error *err)
{
	xy_code rc = opt_str(o, key, file, field, out, err);
	if (!rc && !*out)
		rc = xy_error_at(err, XY_ERR_INVALID, file, 0, field, "缺少%s", field);
	return rc;
}

/* A ratio: a fraction 0…1 (0.05), a percentage string ("5%") or, in the
 * canonical text, an integer per 10,000 under ratios_bp. */
static xy_code ratio_of(json_t *v, bool bp, const char *file, const char *field, unsigned *out,
			xy_error *err)
{
	double f = -1;
	if (bp) {
		if (json_is_integer(v) && json_integer_value(v) >= 0 &&
		    json_integer_value(v) <= 10000) {
			*out = (unsigned)json_integer_value(v);
			return XY_OK;
		}
	} else if (json_is_number(v)) {
		f = json_number_value(v);
	} else if (json_is_string(v)) {
		char *end;
		f = strtod(json_string_value(v), &end) / 100;
		if (end == json_string_value(v) || strcmp(end, "%") != 0)
			f = -1;
	}
	if (f < 0 || f > 1)
		return xy_error_at(err, XY_ERR_INVALID, file, 0, field,
				   "%s 应为 0 到 1 之间的比例（如 0.05）或百分数（如 \"5%%\"）", field);
	*out = (unsigned)(f * 10000 + 0.5);
	return XY_OK;
}

static xy_code parse_items(json_t *a, const char *file, xy_inspect_plan *p, xy_error *err)
{
	size_t i;
	json_t *o;
	xy_code rc;
	if (!json_is_array(a) || !json_array_size(a))
		return bad(err, file, "items", "抽查事项清单（items）不能为空");
	if (!(p->items = calloc(json_array_size(a), sizeof *p->items)))
		return xy_error_set(err, XY_ERR_NOMEM, "out of memory");
	json_array_foreach(a, i, o) {
		p->nitems = i + 1;
		if (!json_is_object(o))
			return bad(err, file, "items", "抽查事项应为对象 {item, basis, method}");
		if ((rc = req_str(o, "item", file, "抽查事项", &p->items[i].item, err)) ||
		    (rc = opt_str(o, "basis", file, "检查依据", &p->items[i].basis, err)) ||
		    (rc = opt_str(o, "method", file, "检查方式", &p->items[i].method, err)))
			return rc;
	}
	return XY_OK;
}

static xy_code parse_pool(json_t *a, const char *file, xy_inspect_plan *p, xy_error *err)
{
	size_t i, j;
	json_t *o, *l;
	xy_code rc;
	if (!json_is_array(a) || !json_array_size(a))
		return bad(err, file, "inspectors", "执法检查人员名录（inspectors）不能为空");
	if (!(p->pool = calloc(json_array_size(a), sizeof *p->pool)))
		return xy_error_set(err, XY_ERR_NOMEM, "out of memory");
	json_array_foreach(a, i, o) {
		xy_inspector *in = &p->pool[i];
		json_t *links;
		p->npool = i + 1;
		if (!json_is_object(o))
			return bad(err, file, "inspectors", "检查人员应为对象 {name, unit, district, links}");
		if ((rc = req_str(o, "name", file, "检查人员姓名", &in->name, err)) ||
		    (rc = opt_str(o, "unit", file, "检查人员单位", &in->unit, err)) ||
		    (rc = opt_str(o, "district", file, "检查人员所在区域", &in->district, err)))
			return rc;
		for (j = 0; j < i; j++)
			if (strcmp(p->pool[j].name, in->name) == 0)
				return xy_error_at(err, XY_ERR_INVALID, file, 0, "检查人员姓名",
						   "检查人员“%s”重复", in->name);
		links = json_object_get(o, "links");
		if (!links)
			continue;
		if (!json_is_array(links))
			return bad(err, file, "links", "检查人员的关联主体（links）应为代码数组");
		if (!(in->links = calloc(json_array_size(links) + 1, sizeof *in->links)))
			return xy_error_set(err, XY_ERR_NOMEM, "out of memory");
		json_array_foreach(links, j, l) {
			if (!json_is_string(l) || !one_field(json_string_value(l)) ||
			    !*json_string_value(l))
				return bad(err, file, "links", "关联主体应为主体代码");
			if (!(in->links[in->nlinks++] = strdup(json_string_value(l))))
				return xy_error_set(err, XY_ERR_NOMEM, "out of memory");
		}
	}
	return XY_OK;
}

static json_t *str_or_null(const char *s)
{
	return s ? json_string(s) : json_null();
}

/* The canonical text: every member, defaults filled, keys sorted, compact. */
static xy_code canonical(xy_inspect_plan *p, xy_error *err)
{
	json_t *o = json_object(), *items = json_array(), *pool = json_array(),
	       *ratios = json_object(), *filters = json_object();
	size_t i, j;
	for (i = 0; i < p->nitems; i++)
		json_array_append_new(items, json_pack("{s:s, s:o, s:o}", "item", p->items[i].item,
						       "basis", str_or_null(p->items[i].basis),
						       "method", str_or_null(p->items[i].method)));
	for (i = 0; i < p->npool; i++) {
		json_t *links = json_array();
		for (j = 0; j < p->pool[i].nlinks; j++)
			json_array_append_new(links, json_string(p->pool[i].links[j]));
		json_array_append_new(pool, json_pack("{s:s, s:o, s:o, s:o}", "name", p->pool[i].name,
						      "unit", str_or_null(p->pool[i].unit),
						      "district", str_or_null(p->pool[i].district),
						      "links", links));
	}
	for (i = 0; i < 4; i++) {
		char g[2] = { XY_INSPECT_GRADES[i], 0 };
		json_object_set_new(ratios, g, json_integer(p->ratio[i]));
	}
	json_object_set_new(filters, "category", str_or_null(p->category));
	json_object_set_new(filters, "industry", str_or_null(p->industry));
	json_object_set_new(filters, "region", str_or_null(p->region));
	json_object_set_new(filters, "grades", json_string(p->grades));
	json_object_set_new(o, "format", json_string("xinyong-inspect-plan 1"));
	json_object_set_new(o, "name", json_string(p->name));
	json_object_set_new(o, "unit", json_string(p->unit));
	json_object_set_new(o, "items", items);
	json_object_set_new(o, "filters", filters);
	json_object_set_new(o, "ratios_bp", ratios);
	json_object_set_new(o, "key_black_list", json_boolean(p->key_black));
	json_object_set_new(o, "exclude_months", json_integer(p->exclude_months));
	json_object_set_new(o, "inspectors", pool);
	json_object_set_new(o, "team_size", json_integer((json_int_t)p->team_size));
	json_object_set_new(o, "not_own_district", json_boolean(p->not_own_district));
	p->text = json_dumps(o, JSON_SORT_KEYS | JSON_COMPACT | JSON_ENSURE_ASCII);
	json_decref(o);
	if (!p->text)
		return xy_error_set(err, XY_ERR_NOMEM, "out of memory");
	sha256_hex(p->text, strlen(p->text), p->digest);
	return XY_OK;
}

static xy_code parse_plan(json_t *root, const char *file, xy_inspect_plan *p, xy_error *err)
{
	json_t *filters, *ratios, *v;
	xy_code rc;
	size_t i;
	if (!json_is_object(root))
		return bad(err, file, NULL, "计划文件应为一个 JSON 对象");
	if ((rc = req_str(root, "name", file, "计划名称", &p->name, err)) ||
	    (rc = req_str(root, "unit", file, "检查单位", &p->unit, err)) ||
	    (rc = parse_items(json_object_get(root, "items"), file, p, err)))
		return rc;
	filters = json_object_get(root, "filters");
	if (filters && !json_is_object(filters))
		return bad(err, file, "filters", "抽查对象范围（filters）应为对象");
	if ((rc = opt_str(filters, "category", file, "对象类别", &p->category, err)) ||
	    (rc = opt_str(filters, "industry", file, "行业", &p->industry, err)) ||
	    (rc = opt_str(filters, "region", file, "区域", &p->region, err)))
		return rc;
	v = json_object_get(filters, "grades");
	if (!v) {
		memcpy(p->grades, XY_INSPECT_GRADES, 5);
	} else {
		const char *g = json_is_string(v) ? json_string_value(v) : "";
		size_t n = 0;
		for (i = 0; i < 4; i++)
			if (strchr(g, XY_INSPECT_GRADES[i]))
				p->grades[n++] = XY_INSPECT_GRADES[i];
		if (!n || strspn(g, XY_INSPECT_GRADES) != strlen(g))
			return bad(err, file, "grades", "信用等级范围（grades）应为 A、B、C、D 的组合，如 \"ABCD\"");
	}
	memcpy(p->ratio, default_ratio, sizeof p->ratio);
	ratios = json_object_get(root, "ratios_bp");
	if (!ratios)
		ratios = json_object_get(root, "ratios");
	if (ratios && !json_is_object(ratios))
		return bad(err, file, "ratios", "抽查比例（ratios）应为对象 {\"A\": 0.03, …}");
	if (ratios) {
		const char *k;
		json_object_foreach(ratios, k, v) {
			const char *g = strlen(k) == 1 ? strchr(XY_INSPECT_GRADES, *k) : NULL;
			char field[32];
			snprintf(field, sizeof field, "%s级抽查比例", k);
			if (!g || !*k)
				return xy_error_at(err, XY_ERR_INVALID, file, 0, "ratios",
						   "抽查比例的等级“%s”不是 A、B、C、D 之一", k);
			if ((rc = ratio_of(v, json_object_get(root, "ratios_bp") != NULL, file, field,
					   &p->ratio[g - XY_INSPECT_GRADES], err)))
				return rc;
		}
	}
	v = json_object_get(root, "key_black_list");
	p->key_black = !v || json_is_true(v);
	v = json_object_get(root, "exclude_months");
	if (v && (!json_is_integer(v) || json_integer_value(v) < 0 || json_integer_value(v) > 120))
		return bad(err, file, "exclude_months", "近期已检查的排除月数（exclude_months）应为 0 到 120 的整数");
	p->exclude_months = v ? (int)json_integer_value(v) : 0;
	v = json_object_get(root, "team_size");
	if (v && (!json_is_integer(v) || json_integer_value(v) < 1 || json_integer_value(v) > 20))
		return bad(err, file, "team_size", "每组检查人员数（team_size）应为 1 到 20 的整数");
	p->team_size = v ? (size_t)json_integer_value(v) : 2;
	p->not_own_district = json_is_true(json_object_get(root, "not_own_district"));
	if ((rc = parse_pool(json_object_get(root, "inspectors"), file, p, err)))
		return rc;
	if (p->npool < p->team_size)
		return xy_error_at(err, XY_ERR_INVALID, file, 0, "team_size",
				   "检查人员名录只有 %zu 人，每组需 %zu 人", p->npool, p->team_size);
	return canonical(p, err);
}

xy_code xy_inspect_plan_parse(const char *json, size_t len, const char *file,
			      xy_inspect_plan *out, xy_error *err)
{
	json_error_t je;
	json_t *root;
	xy_code rc;
	memset(out, 0, sizeof *out);
	if (sodium_init() < 0)
		return xy_error_set(err, XY_ERR_CONFIG, "libsodium failed to initialise");
	root = json_loadb(json, len, JSON_REJECT_DUPLICATES, &je);
	if (!root)
		return xy_error_at(err, XY_ERR_FORMAT, file, je.line, NULL, "计划文件不是有效的 JSON：%s",
				   je.text);
	rc = parse_plan(root, file, out, err);
	json_decref(root);
	if (rc)
		xy_inspect_plan_release(out);
	return rc;
}

/* ---- population ---- */

char xy_inspect_grade_or_default(const char *given)
{
	if (given && given[0] && !given[1] && strchr(XY_INSPECT_GRADES, given[0]))
		return given[0];
	return 'B';
}

xy_code xy_inspect_population_add(xy_inspect_population *p, const char *code, char grade,
				  const char *district, bool key, xy_error *err)
{
	xy_inspect_subject *v, *e;
	if (!one_field(code) || !*code || (district && !one_field(district)))
		return xy_error_at(err, XY_ERR_INVALID, NULL, 0, "主体代码",
				   "主体代码或区域含制表符、换行或为空");
	if (!(v = xy_array_grow(p->v, p->n, &p->cap, sizeof *p->v, 64)))
		return xy_error_set(err, XY_ERR_NOMEM, "out of memory");
	p->v = v;
	e = &v[p->n];
	e->grade = grade && strchr(XY_INSPECT_GRADES, grade) ? grade : 'B';
	e->key = key;
	e->code = strdup(code);
	e->district = strdup(district ? district : "");
	if (!e->code || !e->district) {
		free(e->code);
		free(e->district);
		return xy_error_set(err, XY_ERR_NOMEM, "out of memory");
	}
	p->n++;
	return XY_OK;
}

static int by_code(const void *a, const void *b)
{
	return strcmp(((const xy_inspect_subject *)a)->code, ((const xy_inspect_subject *)b)->code);
}

#define POP_HEADER "code\tgrade\tdistrict\tkey\n"

xy_code xy_inspect_population_seal(xy_inspect_population *p, xy_error *err)
{
	xy_buf b = XY_BUF_INIT;
	size_t i;
	if (p->n)
		qsort(p->v, p->n, sizeof *p->v, by_code);
	if (xy_buf_addstr(&b, POP_HEADER))
		goto nomem;
	for (i = 0; i < p->n; i++) {
		if (i && strcmp(p->v[i - 1].code, p->v[i].code) == 0) {
			xy_buf_release(&b);
			return xy_error_at(err, XY_ERR_INVALID, NULL, 0, "主体代码",
					   "抽查对象名单中主体“%s”重复", p->v[i].code);
		}
		if (xy_buf_addf(&b, "%s\t%c\t%s\t%d\n", p->v[i].code, p->v[i].grade,
				p->v[i].district, p->v[i].key ? 1 : 0))
			goto nomem;
	}
	free(p->text);
	p->text = xy_buf_detach(&b, NULL);
	sha256_hex(p->text, strlen(p->text), p->digest);
	return XY_OK;
nomem:
	xy_buf_release(&b);
	return xy_error_set(err, XY_ERR_NOMEM, "out of memory");
}

void xy_inspect_population_release(xy_inspect_population *p)
{
	size_t i;
	if (!p)
		return;
	for (i = 0; i < p->n; i++) {
		free(p->v[i].code);
		free(p->v[i].district);
	}
	free(p->v);
	free(p->text);
	memset(p, 0, sizeof *p);
}

xy_code xy_inspect_population_parse(const char *text, size_t len, xy_inspect_population *out,
				    xy_error *err)
{
	const char *p = text, *end = text + len;
	long line = 1;
	xy_code rc = XY_OK;
	memset(out, 0, sizeof *out);
	if (len < sizeof POP_HEADER - 1 || memcmp(text, POP_HEADER, sizeof POP_HEADER - 1) != 0)
		return xy_error_at(err, XY_ERR_FORMAT, NULL, 1, NULL,
				   "抽查对象名单应以 code\\tgrade\\tdistrict\\tkey 开头");
	p += sizeof POP_HEADER - 1;
	while (!rc && p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		char *ln, *f[4];
		size_t k = 0;
		line++;
		if (!nl) {
			rc = xy_error_at(err, XY_ERR_FORMAT, NULL, line, NULL, "最后一行没有换行");
			break;
		}
		if (!(ln = strndup(p, (size_t)(nl - p)))) {
			rc = xy_error_set(err, XY_ERR_NOMEM, "out of memory");
			break;
		}
		for (char *q = ln; k < 4; k++) {
			f[k] = q;
			q = strchr(q, '\t');
			if (!q)
				break;
			*q++ = 0;
		}
		if (k != 3 || strlen(f[1]) != 1 || !strchr(XY_INSPECT_GRADES, f[1][0]) ||
		    (strcmp(f[3], "0") != 0 && strcmp(f[3], "1") != 0))
			rc = xy_error_at(err, XY_ERR_FORMAT, NULL, line, NULL,
					 "应为 代码、等级(A–D)、区域、重点(0/1) 四列");
		else
			rc = xy_inspect_population_add(out, f[0], f[1][0], f[2], f[3][0] == '1', err);
		free(ln);
		p = nl + 1;
	}
	if (!rc && !(rc = xy_inspect_population_seal(out, err)) &&
	    (strlen(out->text) != len || memcmp(out->text, text, len) != 0))
		rc = xy_error_set(err, XY_ERR_INVALID,
				  "抽查对象名单不是规范形式（应按代码排序、不重复）");
	if (rc)
		xy_inspect_population_release(out);
	return rc;
}

/* ---- the random stream ---- */

void xy_inspect_seed(const char *plan_digest, const char *pop_digest, const char *random,
		     unsigned char seed[32])
{
	crypto_hash_sha256_state st;
	unsigned char d[32];
	crypto_hash_sha256_init(&st);
	crypto_hash_sha256_update(&st, (const unsigned char *)DOMAIN_TAG, sizeof DOMAIN_TAG);
	memset(d, 0, sizeof d);
	sodium_hex2bin(d, sizeof d, plan_digest, strlen(plan_digest), NULL, NULL, NULL);
	crypto_hash_sha256_update(&st, d, sizeof d);
	memset(d, 0, sizeof d);
	sodium_hex2bin(d, sizeof d, pop_digest, strlen(pop_digest), NULL, NULL, NULL);
	crypto_hash_sha256_update(&st, d, sizeof d);
	crypto_hash_sha256_update(&st, (const unsigned char *)random, strlen(random));
	crypto_hash_sha256_final(&st, seed);
}

void xy_inspect_rng_init(xy_inspect_rng *r, const unsigned char seed[32])
{
	memcpy(r->key, seed, 32);
	r->counter = 0;
	r->pos = sizeof r->block; /* empty: the first call makes block 0 */
}

static uint32_t next32(xy_inspect_rng *r)
{
	static const unsigned char nonce[crypto_stream_chacha20_NONCEBYTES]; /* fixed: zero */
	uint32_t v;
	if (r->pos + 4 > sizeof r->block) {
		/* block `counter` of the keystream: the key stream XORed onto zeros */
		memset(r->block, 0, sizeof r->block);
		crypto_stream_chacha20_xor_ic(r->block, r->block, sizeof r->block, nonce,
					      r->counter++, r->key);
		r->pos = 0;
	}
	v = (uint32_t)r->block[r->pos] | (uint32_t)r->block[r->pos + 1] << 8 |
	    (uint32_t)r->block[r->pos + 2] << 16 | (uint32_t)r->block[r->pos + 3] << 24;
	r->pos += 4;
	return v;
}

uint32_t xy_inspect_rng_below(xy_inspect_rng *r, uint32_t n)
{
	/* reject the top 2^32 mod n values so every residue is equally likely */
	uint32_t limit, v;
	if (n <= 1)
		return 0;
	limit = (uint32_t)(0x100000000ULL - 0x100000000ULL % n);
	do
		v = next32(r);
	while (limit && v >= limit);
	return v % n;
}

/* ---- draws ---- */

static bool linked(const xy_inspector *in, const char *code)
{
	for (size_t i = 0; i < in->nlinks; i++)
		if (strcmp(in->links[i], code) == 0)
			return true;
	return false;
}

static bool conflict(const xy_inspect_plan *plan, const xy_inspector *in,
		     const xy_inspect_subject *s)
{
	return linked(in, s->code) ||
	       (plan->not_own_district && in->district && *s->district &&
		strcmp(in->district, s->district) == 0);
}

static bool in_scope(const xy_inspect_plan *plan, const xy_inspect_subject *s)
{
	return strchr(plan->grades, s->grade) != NULL;
}

xy_code xy_inspect_check(const xy_inspect_plan *plan, const xy_inspect_population *pop,
			 xy_error *err)
{
	for (size_t i = 0; i < pop->n; i++) {
		size_t ok = 0;
		if (!in_scope(plan, &pop->v[i]))
			continue;
		for (size_t j = 0; j < plan->npool; j++)
			ok += !conflict(plan, &plan->pool[j], &pop->v[i]);
		if (ok < plan->team_size)
			return xy_error_at(err, XY_ERR_INVALID, NULL, 0, "team_size",
					   "抽查对象 %s：无利益冲突的检查人员仅 %zu 名，每组需 %zu 名；"
					   "未进行抽取",
					   pop->v[i].code, ok, plan->team_size);
	}
	return XY_OK;
}

static xy_code add_team(const xy_inspect_plan *plan, const xy_inspect_subject *s,
			xy_inspect_rng *rng, size_t *cand, xy_buf *out)
{
	size_t n = 0, k = plan->team_size, i;
	for (i = 0; i < plan->npool; i++)
		if (!conflict(plan, &plan->pool[i], s))
			cand[n++] = i;
	/* partial Fisher–Yates: cand[0..k) becomes a uniform k-subset */
	for (i = 0; i < k; i++) {
		size_t j = i + xy_inspect_rng_below(rng, (uint32_t)(n - i)), t = cand[i];
		cand[i] = cand[j];
		cand[j] = t;
	}
	for (i = 1; i < k; i++) /* listed in pool order: insertion sort, k is small */
		for (size_t j = i; j > 0 && cand[j - 1] > cand[j]; j--) {
			size_t t = cand[j];
			cand[j] = cand[j - 1];
			cand[j - 1] = t;
		}
	for (i = 0; i < k; i++)
		if (xy_buf_addf(out, "%s%zu:%s", i ? "," : "\t", cand[i] + 1,
				plan->pool[cand[i]].name))
			return XY_ERR_NOMEM;
	return xy_buf_addch(out, '\n');
}

xy_code xy_inspect_draw_text(const xy_inspect_plan *plan, const xy_inspect_population *pop,
			     const char *random, xy_buf *out, xy_error *err)
{
	unsigned char seed[32];
	char seedhex[65];
	xy_inspect_rng rng;
	size_t *idx = NULL, *cand = NULL, *chosen = NULL, nchosen = 0;
	xy_code rc;
	if (!random || !*random || strlen(random) > RANDOM_MAX || !one_field(random))
		return xy_error_at(err, XY_ERR_INVALID, NULL, 0, "random",
				   "公开随机数应为一行、不超过 %d 字节的文字", RANDOM_MAX);
	if ((rc = xy_inspect_check(plan, pop, err)))
		return rc;
	xy_inspect_seed(plan->digest, pop->digest, random, seed);
	hex32(seed, seedhex);
	xy_inspect_rng_init(&rng, seed);
	idx = malloc((pop->n + 1) * sizeof *idx);
	chosen = malloc((pop->n + 1) * sizeof *chosen);
	cand = malloc((plan->npool + 1) * sizeof *cand);
	if (!idx || !chosen || !cand ||
	    xy_buf_addf(out, DRAW_MAGIC "\nplan\t%s\npopulation\t%s\nrandom\t%s\nseed\t%s\n",
			plan->digest, pop->digest, random, seedhex))
		goto nomem;
	for (int g = 0; g < 4; g++) {
		char grade = XY_INSPECT_GRADES[g];
		size_t n = 0, nkey = 0, k;
		if (!strchr(plan->grades, grade))
			continue;
		for (size_t i = 0; i < pop->n; i++) {
			if (pop->v[i].grade != grade)
				continue;
			if (pop->v[i].key && plan->key_black)
				chosen[nchosen++] = i, nkey++;
			else
				idx[n++] = i;
		}
		/* k = ceil(n × ratio / 10000) of the subjects not already in as key */
		k = (size_t)(((uint64_t)n * plan->ratio[g] + 9999) / 10000);
		for (size_t i = 0; i < k; i++) {
			size_t j = i + xy_inspect_rng_below(&rng, (uint32_t)(n - i)), t = idx[i];
			idx[i] = idx[j];
			idx[j] = t;
			chosen[nchosen++] = idx[i];
		}
		if (xy_buf_addf(out, "stratum\t%c\t%zu\t%zu\t%u\t%zu\n", grade, n + nkey, nkey,
				plan->ratio[g], k))
			goto nomem;
	}
	for (size_t i = 0; i < nchosen; i++) {
		const xy_inspect_subject *s = &pop->v[chosen[i]];
		if (xy_buf_addf(out, "target\t%s\t%c\t%s", s->code, s->grade,
				s->key && plan->key_black ? "重点" : "随机") ||
		    add_team(plan, s, &rng, cand, out))
			goto nomem;
	}
	free(idx);
	free(chosen);
	free(cand);
	return XY_OK;
nomem:
	free(idx);
	free(chosen);
	free(cand);
	return xy_error_set(err, XY_ERR_NOMEM, "out of memory");
}

/* ---- comparing ---- */

/* The line of `text` starting with prefix (a whole first field), or NULL. */
static const char *find_line(const char *text, const char *prefix, size_t *len)
{
	size_t n = strlen(prefix);
	for (const char *p = text; p && *p;) {
		const char *nl = strchr(p, '\n');
		size_t l = nl ? (size_t)(nl - p) : strlen(p);
		if (l >= n && memcmp(p, prefix, n) == 0) {
			*len = l;
			return p;
		}
		p = nl ? nl + 1 : NULL;
	}
	return NULL;
}

static void compare_header(const char *a, const char *b, const char *key, const char *what,
			   xy_buf *why)
{
	char prefix[32];
	size_t la = 0, lb = 0;
	const char *pa, *pb;
	snprintf(prefix, sizeof prefix, "%s\t", key);
	pa = find_line(a, prefix, &la);
	pb = find_line(b, prefix, &lb);
	if (!pa || !pb || la != lb || memcmp(pa, pb, la) != 0)
		xy_buf_addf(why, "%s不同：记录为 %.*s，重算为 %.*s\n", what,
			    pa ? (int)(la - strlen(prefix)) : 1, pa ? pa + strlen(prefix) : "-",
			    pb ? (int)(lb - strlen(prefix)) : 1, pb ? pb + strlen(prefix) : "-");
}

/* Targets of one side missing or different on the other. */
static void compare_targets(const char *a, const char *b, const char *only_a, xy_buf *why,
			    bool teams)
{
	for (const char *p = a; p && *p;) {
		const char *nl = strchr(p, '\n');
		size_t l = nl ? (size_t)(nl - p) : strlen(p);
		if (l > 7 && memcmp(p, "target\t", 7) == 0) {
			const char *tab = memchr(p + 7, '\t', l - 7);
			size_t cl = tab ? (size_t)(tab - p) : l, ol = 0;
			xy_buf prefix = XY_BUF_INIT;
			const char *q;
			xy_buf_add(&prefix, p, cl);
			xy_buf_addch(&prefix, '\t');
			q = find_line(b, prefix.data, &ol);
			if (!q)
				xy_buf_addf(why, "对象 %.*s %s\n", (int)(cl - 7), p + 7, only_a);
			else if (teams && (ol != l || memcmp(q, p, l) != 0))
				xy_buf_addf(why, "对象 %.*s 的检查组不同：记录为 %.*s，重算为 %.*s\n",
					    (int)(cl - 7), p + 7, (int)(l - cl - 1), p + cl + 1,
					    (int)(ol - cl - 1), q + cl + 1);
			xy_buf_release(&prefix);
		}
		p = nl ? nl + 1 : NULL;
	}
}

xy_code xy_inspect_compare(const char *recorded, const char *recomputed, xy_buf *why)
{
	if (strcmp(recorded, recomputed) == 0)
		return XY_OK;
	compare_header(recorded, recomputed, "plan", "计划文本的 SHA-256 ", why);
	compare_header(recorded, recomputed, "population", "抽查对象名单的 SHA-256 ", why);
	compare_header(recorded, recomputed, "random", "公开随机数", why);
	compare_header(recorded, recomputed, "seed", "种子", why);
	compare_targets(recorded, recomputed, "记录中被抽中，重算未抽中", why, true);
	compare_targets(recomputed, recorded, "重算应抽中，记录中没有", why, false);
	if (!why->len)
		xy_buf_addstr(why, "抽取记录与重算结果的字节不同（各行顺序或格式）\n");
	return XY_ERR_INVALID;
}
