/* xinyong: 双随机、一公开 plans and draws, the pure part (inspect.h;
 * docs/inspection.md).  Nothing here reads the store: a draw is a function of
 * the published texts only, so a verifier needs nothing else. */
#include <jansson.h>
#include <openssl/evp.h>
#include <pthread.h>
#include <sodium.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "xinyong/inspect.h"

#define DRAW_MAGIC "xinyong-inspect-draw 1"
#define DOMAIN_TAG "xinyong/inspect/draw/v1"
#define RANDOM_MAX 256

static const unsigned default_ratio[4] = { 300, 500, 2000, 10000 };

static void hex32(const unsigned char d[32], char out[65])
{
	sodium_bin2hex(out, 65, d, 32);
}

/* SHA-256 through OpenSSL rather than libsodium: the same function, but
 * OpenSSL's uses the CPU's SHA extensions where it has them — 0.04 s instead
 * of 0.33 s for the 40 MB population text of a million subjects here
 * (bench/RESULTS.md "Draws at 1M").  libsodium still makes the stream. */
void xy_inspect_digest(const char *text, size_t len, char out[65])
{
	unsigned char d[EVP_MAX_MD_SIZE];
	unsigned int n = 0;
	if (!EVP_Digest(text, len, d, &n, EVP_sha256(), NULL) || n != 32) {
		/* cannot happen with a working libcrypto; fall back to libsodium's */
		crypto_hash_sha256(d, (const unsigned char *)text, len);
	}
	hex32(d, out);
}

static void sha256_hex(const char *s, size_t n, char out[65])
{
	xy_inspect_digest(s, n, out);
}

/* malloc, and for a large block advice to back it with 2 MiB pages where
 * the kernel does so on request (transparent huge pages "madvise"): a
 * million-subject draw fills ~200 MB of fresh memory, and its 4 KiB page
 * faults were a tenth of the draw.  The block is freed with free(). */
static void *big_malloc(size_t n)
{
	void *p = malloc(n);
#ifdef MADV_HUGEPAGE
	const uintptr_t huge = (uintptr_t)2 << 20;
	if (p && n >= 2 * huge) {
		uintptr_t a = ((uintptr_t)p + huge - 1) & ~(huge - 1), e = ((uintptr_t)p + n) & ~(huge - 1);
		if (e > a)
			(void)madvise((void *)a, e - a, MADV_HUGEPAGE); /* advice only */
	}
#endif
	return p;
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

/* The arena of a population's strings: blocks of at least ARENA_BLOCK
 * bytes, chained, that never move, so a subject's code costs no allocation
 * of its own and release frees a few blocks instead of two strings a subject
 * (the profile of a 1M draw had malloc and free at ~10 %).  Codes have a
 * chain of their own, which the sort replaces by one block holding them in
 * code order, so that every pass after it (the grades, the merge, the text)
 * reads them in a row instead of one cache miss a subject.  Districts are
 * interned in the other chain: a subject's district points at the one copy
 * of its name (a city has a dozen), up to DISTRICTS_INTERNED names, past
 * which a district is simply copied (correct, only bigger). */
#define ARENA_BLOCK (1u << 20)
#define DISTRICTS_INTERNED 4096

struct arena_block {
	struct arena_block *next; /* the strings follow */
};

struct arena_chain {
	struct arena_block *blocks;
	char *at;
	size_t left;
};

struct xy__inspect_arena {
	struct arena_chain codes, names; /* names: districts, a parsed text */
	char **dist; /* interned districts, NULL: free; ndist_slot a power of two */
	size_t ndist_slot, ndist;
};

/* s[0..n) and a NUL into the chain; NULL when out of memory. */
static char *arena_copy(struct arena_chain *a, const char *s, size_t n)
{
	char *p;
	if (n + 1 > a->left) {
		size_t size = n + 1 > ARENA_BLOCK ? n + 1 : ARENA_BLOCK;
		struct arena_block *b = big_malloc(sizeof *b + size);
		if (!b)
			return NULL;
		b->next = a->blocks;
		a->blocks = b;
		a->at = (char *)(b + 1);
		a->left = size;
	}
	p = a->at;
	memcpy(p, s, n);
	p[n] = '\0';
	a->at += n + 1;
	a->left -= n + 1;
	return p;
}

static void chain_free(struct arena_chain *a)
{
	while (a->blocks) {
		struct arena_block *b = a->blocks;
		a->blocks = b->next;
		free(b);
	}
	memset(a, 0, sizeof *a);
}

static size_t name_hash(const char *s)
{
	uint64_t h = 1469598103934665603ULL; /* FNV-1a: names are short */
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ULL;
	return (size_t)(h ^ (h >> 29));
}

static char **district_slot(char **slot, size_t nslot, const char *s)
{
	size_t i = name_hash(s) & (nslot - 1);
	while (slot[i] && strcmp(slot[i], s) != 0)
		i = (i + 1) & (nslot - 1);
	return &slot[i];
}

/* The arena's copy of district s (interned); NULL when out of memory. */
static char *arena_district(struct xy__inspect_arena *a, const char *s)
{
	char **at;
	if (a->ndist >= DISTRICTS_INTERNED)
		return arena_copy(&a->names, s, strlen(s));
	if ((a->ndist + 1) * 2 > a->ndist_slot) {
		size_t nslot = a->ndist_slot ? a->ndist_slot * 2 : 64;
		char **slot = calloc(nslot, sizeof *slot);
		if (!slot)
			return NULL;
		for (size_t i = 0; i < a->ndist_slot; i++)
			if (a->dist[i])
				*district_slot(slot, nslot, a->dist[i]) = a->dist[i];
		free(a->dist);
		a->dist = slot;
		a->ndist_slot = nslot;
	}
	at = district_slot(a->dist, a->ndist_slot, s);
	if (!*at) {
		if (!(*at = arena_copy(&a->names, s, strlen(s))))
			return NULL;
		a->ndist++;
	}
	return *at;
}

static void arena_free(struct xy__inspect_arena *a)
{
	if (!a)
		return;
	chain_free(&a->codes);
	chain_free(&a->names);
	free(a->dist);
	free(a);
}

xy_code xy_inspect_population_add(xy_inspect_population *p, const char *code, char grade,
				  const char *district, bool key, xy_error *err)
{
	xy_inspect_subject *v, *e;
	if (!one_field(code) || !*code || (district && !one_field(district)))
		return xy_error_at(err, XY_ERR_INVALID, NULL, 0, "主体代码",
				   "主体代码或区域含制表符、换行或为空");
	if (!p->arena && !(p->arena = calloc(1, sizeof *p->arena)))
		return xy_error_set(err, XY_ERR_NOMEM, "out of memory");
	if (!(v = xy_array_grow(p->v, p->n, &p->cap, sizeof *p->v, 64)))
		return xy_error_set(err, XY_ERR_NOMEM, "out of memory");
	p->v = v;
	e = &v[p->n];
	e->grade = grade && xy_inspect_grade_in(XY_INSPECT_GRADES, grade) ? grade : 'B';
	e->key = key;
	e->code = arena_copy(&p->arena->codes, code, strlen(code));
	e->district = arena_district(p->arena, district ? district : "");
	if (!e->code || !e->district)
		return xy_error_set(err, XY_ERR_NOMEM, "out of memory");
	p->n++;
	return XY_OK;
}

/* ---- sorting by code ----
 *
 * The snapshot is sorted by code in byte order (strcmp).  qsort with strcmp
 * was a quarter of a 1M draw: n log n string compares, each a cache miss or
 * two.  Here each subject gets a 16-byte integer key and the keys are sorted
 * by a least-significant-digit radix sort.
 *
 * The key is the code's first L bytes (L <= 16), rank-coded (struct ranks):
 * at each position only the byte values some code has there are numbered,
 * in byte order (0, where a code has ended, first), and the prefix becomes
 * its L ranks one after the other, each in as few bits as its position
 * needs (0 where every code has the same byte, like the region part of a
 * city's 统一社会信用代码).  The numbering keeps byte order and is one to one,
 * so keys compare as the prefixes do under strcmp (a code has no NUL, and a
 * shorter code sorts first).  L is 16, or fewer when 16 positions would take
 * over 96 bits; the key's low 32 bits hold the subject's index, so a key is
 * two words and every pass moves 16 bytes a subject.  The passes take 11
 * bits at a time (2,048 buckets, whose write positions stay in the caches:
 * 16-bit digits took a 1M sort's passes 2.5 times as long), as many as the
 * ranks have bits (51 for the 1M fixture: 5), skipping a digit every key
 * shares.  Codes with equal prefixes are put in order by strcmp afterwards
 * (codes longer than L can tie without being equal), then by index.  The
 * order is the one qsort gave, so the text and its digest are the same bytes
 * (tests/cli/t0414-inspect-golden.sh).  A radix sort written here rather
 * than a library's: none in Debian sorts variable-length byte strings by a
 * key of this kind. */

#define RADIX_MIN 256 /* fewer subjects: one qsort */
#define KEY_BITS 96   /* the prefix's ranks above the 32 bits of the index */
#define DIGIT_BITS 11
#define BUCKETS (1u << DIGIT_BITS)
#define DIGITS ((KEY_BITS + DIGIT_BITS - 1) / DIGIT_BITS)

struct sort_key {
	uint64_t hi, lo; /* ranks in hi and the top of lo; the index in lo's low 32 bits */
};

struct ranks {
	uint8_t seen[16][256];
	/* the rank of byte b at position j, shifted into place in the key */
	uint64_t hi[16][256], lo[16][256];
	unsigned len, bits; /* the prefix used (L) and its ranks' bits */
};

static void ranks_see(uint8_t seen[16][256], const char *code, size_t len)
{
	size_t j, m = len < 16 ? len : 16;
	for (j = 0; j < m; j++)
		seen[j][(unsigned char)code[j]] = 1;
	for (; j < 16; j++)
		seen[j][0] = 1;
}

/* Number the bytes seen, choose L and put each rank in place: position j's
 * field ends where the fields of positions j+1… begin, above the index. */
static void ranks_number(struct ranks *r)
{
	unsigned width[16], at = 32;
	r->len = 0;
	r->bits = 0;
	for (int j = 0; j < 16; j++) {
		unsigned n = 0, w = 0;
		for (unsigned b = 0; b < 256; b++)
			n += r->seen[j][b];
		while ((n - 1) >> w) /* the bits of the highest rank, n - 1 */
			w++;
		if (r->bits + w > KEY_BITS)
			break;
		width[j] = w;
		r->bits += w;
		r->len++;
	}
	memset(r->hi, 0, sizeof r->hi);
	memset(r->lo, 0, sizeof r->lo);
	for (int j = (int)r->len - 1; j >= 0; j--) {
		uint64_t next = 0;
		for (unsigned b = 0; b < 256; b++) {
			if (!r->seen[j][b])
				continue;
			/* rank next at bits [at, at + width) of hi:lo */
			if (at >= 64)
				r->hi[j][b] = next << (at - 64);
			else {
				r->lo[j][b] = next << at;
				r->hi[j][b] = at ? next >> (64 - at) : 0;
			}
			next++;
		}
		at += width[j];
	}
}

static void ranks_key(const struct ranks *r, const char *code, size_t len, uint32_t i,
		      struct sort_key *k)
{
	unsigned char c[16] = { 0 };
	uint64_t hi = 0, lo = i;
	memcpy(c, code, len < r->len ? len : r->len);
	for (unsigned j = 0; j < r->len; j++) {
		hi |= r->hi[j][c[j]];
		lo |= r->lo[j][c[j]];
	}
	k->hi = hi;
	k->lo = lo;
}

/* Digit d of a key: bits [32 + d * DIGIT_BITS, + DIGIT_BITS) of hi:lo. */
static unsigned digit(const struct sort_key *k, unsigned d)
{
	unsigned at = 32 + d * DIGIT_BITS;
	uint64_t v;
	if (at >= 64)
		v = k->hi >> (at - 64);
	else if (at + DIGIT_BITS <= 64)
		v = k->lo >> at;
	else
		v = k->lo >> at | k->hi << (64 - at);
	return (unsigned)(v & (BUCKETS - 1));
}

static uint32_t key_index(const struct sort_key *k)
{
	return (uint32_t)k->lo;
}

static bool same_prefix(const struct sort_key *a, const struct sort_key *b)
{
	return a->hi == b->hi && a->lo >> 32 == b->lo >> 32;
}

/* Keys of one prefix in order: by the whole code, then by index. */
static int by_code_r(const void *a, const void *b, void *ctx)
{
	const struct sort_key *x = a, *y = b;
	const xy_inspect_subject *v = ctx;
	uint32_t i = key_index(x), j = key_index(y);
	int c = strcmp(v[i].code, v[j].code);
	return c ? c : (i > j) - (i < j);
}

/* ---- the sort on several threads ----
 *
 * A 1M sort was a fifth of a draw, on one core of two.  Each thread takes
 * an equal slice of the positions and does the same steps, the threads
 * meeting at a barrier between them (the classic parallel LSD radix sort):
 *   1. its codes' lengths and the bytes they have at each position;
 *   2. (thread 0 alone) the ranks from every thread's bytes, the buffers;
 *   3. its keys, and the count of each digit of them;
 *   4. each pass: the count of the pass's digit over its slice (the first
 *      pass has it from 3), then every thread's counts give each thread
 *      where in each bucket its keys go — after those of the threads
 *      before it, so the pass is as stable as one thread's — and it moves
 *      its keys;
 *   5. the runs of equal prefix that start in its slice, sorted by code;
 *   6. the subjects of its slice of the output, their codes copied into
 *      place at the offset that the slices before it take.
 * The order is therefore the same bytes whatever the number of threads
 * (tests/unit/test_inspect.c compares 1 to 4). */

#define SORT_THREADS_MAX 4
#define SORT_THREADED_MIN 65536 /* fewer subjects: one thread (starting one costs more) */

struct sort_job {
	xy_inspect_population *p;
	size_t n;
	unsigned nt;
	pthread_barrier_t bar;
	pthread_mutex_t gate; /* held while the threads are started */
	struct sort_key *k, *t;
	uint32_t *lens;
	struct ranks *ranks;
	xy_inspect_subject *v;
	struct arena_block *blk; /* the codes in code order, or NULL (out of memory) */
	unsigned nd;             /* digits with a bit in them */
	bool active[DIGITS];     /* digits not every key shares */
	bool fail;               /* step 2 ran out of memory, or a code was too long */
	xy_code why;
	struct sort_part {
		uint8_t seen[16][256];
		uint32_t count[DIGITS][BUCKETS]; /* step 3; then each pass's in count[0] */
		size_t bytes;                    /* the slice's codes' bytes (NULs too) */
		size_t start;                    /* step 5: where its first run starts */
		size_t at;                       /* step 6: its codes' bytes */
	} *part;
	struct sort_arg {
		struct sort_job *job;
		unsigned id;
	} arg[SORT_THREADS_MAX];
};

static size_t slice_lo(const struct sort_job *j, unsigned id)
{
	return (size_t)((uint64_t)j->n * id / j->nt);
}

/* Step 2 (thread 0): the ranks and the buffers, or j->fail. */
static void sort_prepare(struct sort_job *j)
{
	size_t bytes = 0;
	for (unsigned id = 0; id < j->nt; id++) {
		bytes += j->part[id].bytes;
		for (int q = 0; q < 16; q++)
			for (unsigned b = 0; b < 256; b++)
				j->ranks->seen[q][b] |= j->part[id].seen[q][b];
	}
	if (bytes > UINT32_MAX) {
		j->fail = true;
		j->why = XY_ERR_LIMIT;
		return;
	}
	ranks_number(j->ranks);
	j->nd = (j->ranks->bits + DIGIT_BITS - 1) / DIGIT_BITS;
	if (j->p->arena)
		j->blk = big_malloc(sizeof *j->blk + bytes); /* NULL: the codes stay */
}

static void sort_wait(struct sort_job *j)
{
	if (j->nt > 1)
		pthread_barrier_wait(&j->bar);
}

static void *sort_worker(void *arg)
{
	struct sort_arg *a = arg;
	struct sort_job *j = a->job;
	unsigned id = a->id;
	struct sort_part *me;
	size_t lo, hi, i, e;
	struct sort_key *k, *t;
	const xy_inspect_subject *in;
	bool first = true;
	pthread_mutex_lock(&j->gate); /* j->nt is final once the gate opens */
	pthread_mutex_unlock(&j->gate);
	if (id >= j->nt) /* started, but the threads could not be made to meet */
		return NULL;
	me = &j->part[id];
	lo = slice_lo(j, id);
	hi = slice_lo(j, id + 1);
	in = j->p->v;
	/* 1 */
	for (i = lo; i < hi; i++) {
		size_t len = strlen(in[i].code);
		me->bytes += len + 1;
		j->lens[i] = (uint32_t)len; /* cut only when bytes is too long, refused */
		ranks_see(me->seen, in[i].code, len);
	}
	sort_wait(j);
	if (id == 0)
		sort_prepare(j);
	sort_wait(j);
	if (j->fail)
		return NULL;
	/* 3 */
	k = j->k;
	t = j->t;
	for (i = lo; i < hi; i++) {
		ranks_key(j->ranks, in[i].code, j->lens[i], (uint32_t)i, &k[i]);
		for (unsigned d = 0; d < j->nd; d++)
			me->count[d][digit(&k[i], d)]++;
	}
	sort_wait(j);
	if (id == 0) /* a digit every key shares is skipped: its counts say so */
		for (unsigned d = 0; d < j->nd; d++) {
			size_t same = 0;
			for (unsigned q = 0; q < j->nt; q++)
				same += j->part[q].count[d][digit(&k[0], d)];
			j->active[d] = same != j->n;
		}
	sort_wait(j);
	/* 4 */
	for (unsigned d = 0; d < j->nd; d++) {
		uint32_t at[BUCKETS], sum = 0;
		unsigned c = first ? d : 0; /* where this pass's counts are */
		struct sort_key *s;
		if (!j->active[d])
			continue;
		if (!first) {
			memset(me->count[0], 0, sizeof me->count[0]);
			for (i = lo; i < hi; i++)
				me->count[0][digit(&k[i], d)]++;
			sort_wait(j);
		}
		for (unsigned b = 0; b < BUCKETS; b++)
			for (unsigned q = 0; q < j->nt; q++) {
				if (q == id)
					at[b] = sum;
				sum += j->part[q].count[c][b];
			}
		for (i = lo; i < hi; i++)
			t[at[digit(&k[i], d)]++] = k[i];
		sort_wait(j); /* every key moved, every count read */
		s = k, k = t, t = s;
		first = false;
	}
	/* 5: the runs that start in the slice (a run running into it from the
	 * slice before is that slice's): first where they start, read by all
	 * before any thread moves a key */
	for (i = lo; i > 0 && i < j->n && same_prefix(&k[i], &k[i - 1]); i++)
		;
	me->start = i;
	sort_wait(j);
	hi = id + 1 < j->nt ? j->part[id + 1].start : j->n;
	for (i = me->start; i < hi; i = e) {
		for (e = i + 1; e < hi && same_prefix(&k[e], &k[i]); e++)
			;
		if (e - i > 1)
			qsort_r(k + i, e - i, sizeof *k, by_code_r, j->p->v);
	}
	hi = slice_lo(j, id + 1);
	sort_wait(j);
	/* 6: the subjects and their codes laid out in code order (see the
	 * arena); without a block for that the codes stay where they are.  The
	 * subjects are read in a random order: each one, then its code, is asked
	 * for some keys ahead. */
	if (j->blk) {
		char *w;
		for (i = lo; i < hi; i++)
			me->at += (size_t)j->lens[key_index(&k[i])] + 1;
		sort_wait(j);
		w = (char *)(j->blk + 1);
		for (unsigned q = 0; q < id; q++)
			w += j->part[q].at;
		for (i = lo; i < hi; i++) {
			uint32_t from = key_index(&k[i]);
			size_t len = (size_t)j->lens[from] + 1;
			if (i + 16 < hi)
				__builtin_prefetch(&in[key_index(&k[i + 16])]);
			if (i + 8 < hi)
				__builtin_prefetch(in[key_index(&k[i + 8])].code);
			j->v[i] = in[from];
			memcpy(w, j->v[i].code, len);
			j->v[i].code = w;
			w += len;
		}
	} else {
		for (i = lo; i < hi; i++)
			j->v[i] = in[key_index(&k[i])];
	}
	if (id == 0) { /* the buffers as the passes left them, for the caller to free */
		j->k = k;
		j->t = t;
	}
	return NULL;
}

/* The threads to sort n subjects with: 0 asks for the machine's, up to
 * SORT_THREADS_MAX, and one below SORT_THREADED_MIN subjects. */
static unsigned sort_threads(size_t n, unsigned threads)
{
	long cpus;
	if (threads)
		return threads < SORT_THREADS_MAX ? threads : SORT_THREADS_MAX;
	if (n < SORT_THREADED_MIN || (cpus = sysconf(_SC_NPROCESSORS_ONLN)) < 2)
		return 1;
	return cpus < SORT_THREADS_MAX ? (unsigned)cpus : SORT_THREADS_MAX;
}

/* The radix sort on up to `want` threads (fewer when a thread cannot be
 * started: the order is the same). */
static xy_code radix_sort(xy_inspect_population *p, unsigned want, xy_error *err)
{
	struct sort_job j = { .p = p, .n = p->n, .nt = 1, .gate = PTHREAD_MUTEX_INITIALIZER };
	pthread_t th[SORT_THREADS_MAX];
	unsigned started = 0;
	xy_code rc = XY_OK;
	j.k = big_malloc(j.n * sizeof *j.k);
	j.t = big_malloc(j.n * sizeof *j.t);
	j.v = big_malloc(j.n * sizeof *j.v);
	j.lens = big_malloc(j.n * sizeof *j.lens);
	j.ranks = calloc(1, sizeof *j.ranks);
	j.part = calloc(want, sizeof *j.part);
	if (!j.k || !j.t || !j.v || !j.lens || !j.ranks || !j.part) {
		rc = xy_error_set(err, XY_ERR_NOMEM, "out of memory");
		goto done;
	}
	pthread_mutex_lock(&j.gate);
	for (unsigned id = 1; id < want; id++) {
		j.arg[id] = (struct sort_arg){ &j, id };
		if (pthread_create(&th[id], NULL, sort_worker, &j.arg[id]))
			break;
		started++;
	}
	j.nt = started + 1;
	if (j.nt > 1 && pthread_barrier_init(&j.bar, NULL, j.nt))
		j.nt = 1; /* the threads cannot meet: they stop, thread 0 sorts alone */
	pthread_mutex_unlock(&j.gate);
	j.arg[0] = (struct sort_arg){ &j, 0 };
	sort_worker(&j.arg[0]);
	for (unsigned id = 1; id <= started; id++)
		pthread_join(th[id], NULL);
	if (j.nt > 1)
		pthread_barrier_destroy(&j.bar);
	if (j.fail) {
		rc = j.why == XY_ERR_LIMIT
			     ? xy_error_set(err, XY_ERR_LIMIT, "抽查对象的代码共超过 %u 字节",
					    UINT32_MAX)
			     : xy_error_set(err, XY_ERR_NOMEM, "out of memory");
		goto done;
	}
	if (j.blk) {
		chain_free(&p->arena->codes);
		j.blk->next = NULL;
		p->arena->codes.blocks = j.blk;
	}
	free(p->v);
	p->v = j.v;
	p->cap = j.n;
	j.v = NULL;
done:
	free(j.k), free(j.t), free(j.v), free(j.lens), free(j.ranks), free(j.part);
	return rc;
}

xy_code xy_inspect_population_sort_threads(xy_inspect_population *p, unsigned threads,
					   xy_error *err)
{
	size_t n = p->n, bytes = 0;
	struct sort_key *k;
	xy_inspect_subject *v;
	if (n < 2)
		return XY_OK;
	if (n > UINT32_MAX)
		return xy_error_set(err, XY_ERR_LIMIT, "抽查对象超过 %u 个", UINT32_MAX);
	if (n >= RADIX_MIN)
		return radix_sort(p, sort_threads(n, threads), err);
	/* a few: one qsort by code and index, the subjects moved, the codes not */
	k = malloc(n * sizeof *k);
	v = malloc(n * sizeof *v);
	if (!k || !v) {
		free(k), free(v);
		return xy_error_set(err, XY_ERR_NOMEM, "out of memory");
	}
	for (size_t i = 0; i < n; i++) {
		bytes += strlen(p->v[i].code) + 1;
		k[i].hi = 0;
		k[i].lo = i;
	}
	if (bytes > UINT32_MAX) {
		free(k), free(v);
		return xy_error_set(err, XY_ERR_LIMIT, "抽查对象的代码共超过 %u 字节", UINT32_MAX);
	}
	qsort_r(k, n, sizeof *k, by_code_r, p->v);
	for (size_t i = 0; i < n; i++)
		v[i] = p->v[key_index(&k[i])];
	free(p->v);
	p->v = v;
	p->cap = n;
	free(k);
	return XY_OK;
}

xy_code xy_inspect_population_sort(xy_inspect_population *p, xy_error *err)
{
	return xy_inspect_population_sort_threads(p, 0, err);
}

#define POP_HEADER "code\tgrade\tdistrict\tkey\n"

xy_code xy_inspect_population_seal(xy_inspect_population *p, xy_error *err)
{
	size_t i, size = sizeof POP_HEADER - 1;
	char *text, *w;
	size_t dup = 0; /* the first subject whose code is its predecessor's */
	xy_code rc;
	int c = -1;
	for (i = 1; i < p->n && (c = strcmp(p->v[i - 1].code, p->v[i].code)) <= 0; i++)
		if (!c && !dup)
			dup = i;
	if (i < p->n) { /* not in order yet (a population_load's is) */
		if ((rc = xy_inspect_population_sort(p, err)))
			return rc;
		for (dup = 1; dup < p->n && strcmp(p->v[dup - 1].code, p->v[dup].code) != 0; dup++)
			;
	}
	if ((i = dup) && i < p->n)
		return xy_error_at(err, XY_ERR_INVALID, NULL, 0, "主体代码",
				   "抽查对象名单中主体“%s”重复", p->v[i].code);
	for (i = 0; i < p->n; i++)
		size += strlen(p->v[i].code) + strlen(p->v[i].district) + 6;
	/* "code\tG\tdistrict\tK\n" a subject, written in place: printf was a
	 * tenth of a 1M draw */
	if (!(text = w = big_malloc(size + 1)))
		return xy_error_set(err, XY_ERR_NOMEM, "out of memory");
	memcpy(w, POP_HEADER, sizeof POP_HEADER - 1);
	w += sizeof POP_HEADER - 1;
	for (i = 0; i < p->n; i++) {
		size_t lc = strlen(p->v[i].code), ld = strlen(p->v[i].district);
		memcpy(w, p->v[i].code, lc);
		w += lc;
		*w++ = '\t';
		*w++ = p->v[i].grade;
		*w++ = '\t';
		memcpy(w, p->v[i].district, ld);
		w += ld;
		*w++ = '\t';
		*w++ = p->v[i].key ? '1' : '0';
		*w++ = '\n';
	}
	*w = '\0';
	free(p->text);
	p->text = text;
	sha256_hex(p->text, size, p->digest);
	return XY_OK;
}

void xy_inspect_population_release(xy_inspect_population *p)
{
	if (!p)
		return;
	arena_free(p->arena);
	free(p->v);
	free(p->text);
	memset(p, 0, sizeof *p);
}

/* A published snapshot already in canonical form, read without copying a
 * line or sorting: the text is split in one copy in the arena, each line
 * checked (four fields, a grade A–D, key 0/1, no CR) and its code checked
 * to come after the previous one.  Such a text is exactly what _seal writes
 * for those subjects, so it is kept as it is.  1: done; 0: not canonical
 * (the caller reads it the long way, which names the fault as before);
 * -1: out of memory. */
static int parse_canonical(const char *text, size_t len, xy_inspect_population *out)
{
	const char *body = text + sizeof POP_HEADER - 1;
	size_t blen = len - (sizeof POP_HEADER - 1), lines = 0;
	char *p, *end, *prev = NULL;
	if (memchr(text, '\0', len) || (blen && body[blen - 1] != '\n'))
		return 0;
	for (const char *q = body; (q = memchr(q, '\n', (size_t)(body + blen - q))); q++)
		lines++;
	if (!(out->arena = calloc(1, sizeof *out->arena)) ||
	    (lines && !(out->v = big_malloc(lines * sizeof *out->v))))
		return -1;
	out->cap = lines;
	if (!blen)
		goto done;
	if (!(p = arena_copy(&out->arena->names, body, blen)))
		return -1;
	for (end = p + blen; p < end;) {
		char *nl = memchr(p, '\n', (size_t)(end - p)), *t1, *t2, *t3;
		xy_inspect_subject *e = &out->v[out->n];
		*nl = '\0';
		if (!(t1 = strchr(p, '\t')) || !(t2 = strchr(t1 + 1, '\t')) ||
		    !(t3 = strchr(t2 + 1, '\t')) || strchr(t3 + 1, '\t') || t1 == p ||
		    t2 != t1 + 2 || !strchr(XY_INSPECT_GRADES, t1[1]) || !t1[1] ||
		    (strcmp(t3 + 1, "0") != 0 && strcmp(t3 + 1, "1") != 0) ||
		    memchr(p, '\r', (size_t)(t3 - p)))
			return 0;
		*t1 = *t2 = *t3 = '\0';
		if (prev && strcmp(prev, p) >= 0)
			return 0; /* out of order or twice */
		e->code = prev = p;
		e->grade = t1[1];
		e->district = t2 + 1;
		e->key = t3[1] == '1';
		out->n++;
		p = nl + 1;
	}
done:
	if (!(out->text = big_malloc(len + 1)))
		return -1;
	memcpy(out->text, text, len);
	out->text[len] = '\0';
	sha256_hex(out->text, len, out->digest);
	return 1;
}

xy_code xy_inspect_population_parse(const char *text, size_t len, xy_inspect_population *out,
				    xy_error *err)
{
	const char *p = text, *end = text + len;
	long line = 1;
	xy_code rc = XY_OK;
	int fast;
	memset(out, 0, sizeof *out);
	if (len < sizeof POP_HEADER - 1 || memcmp(text, POP_HEADER, sizeof POP_HEADER - 1) != 0)
		return xy_error_at(err, XY_ERR_FORMAT, NULL, 1, NULL,
				   "抽查对象名单应以 code\\tgrade\\tdistrict\\tkey 开头");
	if ((fast = parse_canonical(text, len, out)) == 1)
		return XY_OK;
	xy_inspect_population_release(out);
	if (fast < 0)
		return xy_error_set(err, XY_ERR_NOMEM, "out of memory");
	/* not canonical: line by line, to name what is wrong */
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

/* gidx[grade letter]: its index in XY_INSPECT_GRADES when the plan draws
 * from that grade, else -1 (the subjects in scope) */
static void grade_index(const xy_inspect_plan *plan, signed char gidx[256])
{
	memset(gidx, -1, 256);
	for (int g = 0; g < 4; g++)
		if (xy_inspect_grade_in(plan->grades, XY_INSPECT_GRADES[g]))
			gidx[(unsigned char)XY_INSPECT_GRADES[g]] = (signed char)g;
}

/* Who may inspect whom, without testing every inspector against every
 * subject (12 million conflict tests for a million subjects and 12
 * inspectors).  A subject no inspector is linked to conflicts only through
 * its district, so its candidates — the inspectors without a conflict, in
 * pool order — are the same for every subject of that district: worked out
 * once per district (up to FIT_DISTRICTS; past that, per subject).  A subject
 * in some inspector's links (a sorted array of all links, searched) is
 * worked out on its own.  Either way the list is exactly the one `conflict`
 * gives, so the draw consumes the stream as before. */
#define FIT_DISTRICTS 64

struct fit_district {
	const char *district;
	size_t *cand, n;
};

struct fit {
	const xy_inspect_plan *plan;
	const char **links; /* every inspector's links, sorted */
	size_t nlinks;
	struct fit_district d[FIT_DISTRICTS];
	size_t nd;
	size_t *own; /* the candidates of a subject worked out on its own */
};

static int by_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static void fit_release(struct fit *f)
{
	free(f->links);
	for (size_t i = 0; i < f->nd; i++)
		free(f->d[i].cand);
	free(f->own);
	memset(f, 0, sizeof *f);
}

static bool fit_init(struct fit *f, const xy_inspect_plan *plan)
{
	size_t n = 0;
	memset(f, 0, sizeof *f);
	f->plan = plan;
	for (size_t i = 0; i < plan->npool; i++)
		n += plan->pool[i].nlinks;
	if (!(f->own = malloc((plan->npool + 1) * sizeof *f->own)) ||
	    !(f->links = malloc((n + 1) * sizeof *f->links)))
		return false;
	for (size_t i = 0; i < plan->npool; i++)
		for (size_t j = 0; j < plan->pool[i].nlinks; j++)
			f->links[f->nlinks++] = plan->pool[i].links[j];
	qsort(f->links, f->nlinks, sizeof *f->links, by_str);
	return true;
}

static size_t candidates_of(const xy_inspect_plan *plan, const xy_inspect_subject *s,
			    size_t *cand)
{
	size_t n = 0;
	for (size_t i = 0; i < plan->npool; i++)
		if (!conflict(plan, &plan->pool[i], s))
			cand[n++] = i;
	return n;
}

/* The candidates of s (*cand, valid until the next call); SIZE_MAX when out
 * of memory. */
static size_t fit_candidates(struct fit *f, const xy_inspect_subject *s, const size_t **cand)
{
	struct fit_district *d;
	size_t i;
	if (f->nlinks && bsearch(&s->code, f->links, f->nlinks, sizeof *f->links, by_str))
		goto own;
	for (i = 0; i < f->nd; i++) /* interned districts: the same pointer */
		if (f->d[i].district == s->district)
			goto found;
	for (i = 0; i < f->nd; i++)
		if (strcmp(f->d[i].district, s->district) == 0)
			goto found;
	if (f->nd == FIT_DISTRICTS)
		goto own;
	d = &f->d[f->nd];
	if (!(d->cand = malloc((f->plan->npool + 1) * sizeof *d->cand)))
		return SIZE_MAX;
	d->district = s->district;
	d->n = candidates_of(f->plan, s, d->cand);
	i = f->nd++;
found:
	*cand = f->d[i].cand;
	return f->d[i].n;
own:
	*cand = f->own;
	return candidates_of(f->plan, s, f->own);
}

/* The check over a fit already made (the draw makes one for both), in the
 * same pass counting each grade's subjects in scope, n[g], and the key ones
 * among them, nkey[g] (gidx: a grade's index, -1 out of scope). */
static xy_code check(struct fit *f, const xy_inspect_population *pop, const signed char gidx[256],
		     size_t n[4], size_t nkey[4], xy_error *err)
{
	const xy_inspect_plan *plan = f->plan;
	for (size_t i = 0; i < pop->n; i++) {
		const size_t *cand;
		size_t ok;
		int g = gidx[(unsigned char)pop->v[i].grade];
		if (g < 0)
			continue;
		if (pop->v[i].key && plan->key_black)
			nkey[g]++;
		else
			n[g]++;
		if ((ok = fit_candidates(f, &pop->v[i], &cand)) == SIZE_MAX)
			return xy_error_set(err, XY_ERR_NOMEM, "out of memory");
		if (ok < plan->team_size)
			return xy_error_at(err, XY_ERR_INVALID, NULL, 0, "team_size",
					   "抽查对象 %s：无利益冲突的检查人员仅 %zu 名，每组需 %zu 名；"
					   "未进行抽取",
					   pop->v[i].code, ok, plan->team_size);
	}
	return XY_OK;
}

xy_code xy_inspect_check(const xy_inspect_plan *plan, const xy_inspect_population *pop,
			 xy_error *err)
{
	struct fit f;
	size_t n[4] = { 0 }, nkey[4] = { 0 };
	signed char gidx[256];
	xy_code rc;
	grade_index(plan, gidx);
	rc = fit_init(&f, plan) ? check(&f, pop, gidx, n, nkey, err)
				: xy_error_set(err, XY_ERR_NOMEM, "out of memory");
	fit_release(&f);
	return rc;
}

static xy_code add_team(struct fit *f, const xy_inspect_subject *s, xy_inspect_rng *rng,
			size_t *cand, xy_buf *out)
{
	const xy_inspect_plan *plan = f->plan;
	const size_t *fits;
	size_t n = fit_candidates(f, s, &fits), k = plan->team_size, i;
	if (n == SIZE_MAX)
		return XY_ERR_NOMEM;
	memcpy(cand, fits, n * sizeof *cand);
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
	for (i = 0; i < k; i++) { /* "\tn:name,n:name" by hand, no format call (57,000 teams) */
		char num[24], *d = num + sizeof num;
		size_t no = cand[i] + 1;
		do
			*--d = (char)('0' + no % 10);
		while (no /= 10);
		if (xy_buf_addch(out, i ? ',' : '\t') || xy_buf_add(out, d, (size_t)(num + sizeof num - d)) ||
		    xy_buf_addch(out, ':') || xy_buf_addstr(out, plan->pool[cand[i]].name))
			return XY_ERR_NOMEM;
	}
	return xy_buf_addch(out, '\n');
}

xy_code xy_inspect_draw_text(const xy_inspect_plan *plan, const xy_inspect_population *pop,
			     const char *random, xy_buf *out, xy_error *err)
{
	unsigned char seed[32];
	char seedhex[65];
	xy_inspect_rng rng;
	size_t *idx = NULL, *cand = NULL, *chosen = NULL, nchosen = 0, n_in = 0;
	/* per grade (A…D): subjects in scope, key ones among them, how many
	 * are drawn, where the grade's go in idx and chosen */
	size_t n[4] = { 0 }, nkey[4] = { 0 }, k[4], ig[4], kg[4];
	signed char gidx[256]; /* a grade's index, -1 when out of the plan */
	struct fit fit;
	xy_code rc;
	if (!random || !*random || strlen(random) > RANDOM_MAX || !one_field(random))
		return xy_error_at(err, XY_ERR_INVALID, NULL, 0, "random",
				   "公开随机数应为一行、不超过 %d 字节的文字", RANDOM_MAX);
	if (!fit_init(&fit, plan)) {
		fit_release(&fit);
		return xy_error_set(err, XY_ERR_NOMEM, "out of memory");
	}
	grade_index(plan, gidx);
	if ((rc = check(&fit, pop, gidx, n, nkey, err))) {
		fit_release(&fit);
		return rc;
	}
	xy_inspect_seed(plan->digest, pop->digest, random, seed);
	hex32(seed, seedhex);
	xy_inspect_rng_init(&rng, seed);
	idx = big_malloc((pop->n + 1) * sizeof *idx);
	chosen = big_malloc((pop->n + 1) * sizeof *chosen);
	cand = malloc((plan->npool + 1) * sizeof *cand);
	if (!idx || !chosen || !cand ||
	    xy_buf_addf(out, DRAW_MAGIC "\nplan\t%s\npopulation\t%s\nrandom\t%s\nseed\t%s\n",
			plan->digest, pop->digest, random, seedhex))
		goto nomem;
	/* Each grade's subjects in population order: the key ones into chosen,
	 * the others into idx, each grade's at its offset (two passes over the
	 * population, not one a grade) */
	for (int g = 0; g < 4; g++) {
		ig[g] = n_in;
		kg[g] = nchosen;
		n_in += n[g];
		k[g] = (size_t)(((uint64_t)n[g] * plan->ratio[g] + 9999) / 10000);
		nchosen += nkey[g] + k[g];
	}
	for (size_t i = 0; i < pop->n; i++) {
		int g = gidx[(unsigned char)pop->v[i].grade];
		if (g < 0)
			continue;
		if (pop->v[i].key && plan->key_black)
			chosen[kg[g]++] = i;
		else
			idx[ig[g]++] = i;
	}
	for (int g = 0; g < 4; g++) {
		size_t *in = idx + ig[g] - n[g]; /* ig[g], kg[g]: past the grade's last */
		if (gidx[(unsigned char)XY_INSPECT_GRADES[g]] < 0)
			continue;
		/* k = ceil(n × ratio / 10000) of the subjects not already in as key */
		for (size_t i = 0; i < k[g]; i++) {
			size_t j = i + xy_inspect_rng_below(&rng, (uint32_t)(n[g] - i)), t = in[i];
			in[i] = in[j];
			in[j] = t;
			chosen[kg[g]++] = in[i];
		}
		if (xy_buf_addf(out, "stratum\t%c\t%zu\t%zu\t%u\t%zu\n", XY_INSPECT_GRADES[g],
				n[g] + nkey[g], nkey[g], plan->ratio[g], k[g]))
			goto nomem;
	}
	for (size_t i = 0; i < nchosen; i++) {
		const xy_inspect_subject *s = &pop->v[chosen[i]];
		if (xy_buf_addstr(out, "target\t") || xy_buf_addstr(out, s->code) ||
		    xy_buf_addch(out, '\t') || xy_buf_addch(out, s->grade) ||
		    xy_buf_addstr(out, s->key && plan->key_black ? "\t重点" : "\t随机") ||
		    add_team(&fit, s, &rng, cand, out))
			goto nomem;
	}
	free(idx);
	free(chosen);
	free(cand);
	fit_release(&fit);
	return XY_OK;
nomem:
	free(idx);
	free(chosen);
	free(cand);
	fit_release(&fit);
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
