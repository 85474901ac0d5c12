/* Units and categories: loading the TSV configuration, lookups, header matching. */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xinyong/buf.h"
#include "xinyong/registry.h"
#include "xinyong/tsv.h"
#include "xy_config.h"

void xy_registry_init(xy_registry *reg)
{
	memset(reg, 0, sizeof *reg);
}

static void free_strv(char **v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

void xy_registry_release(xy_registry *reg)
{
	for (size_t i = 0; i < reg->nunits; i++) {
		free(reg->units[i].name);
		free_strv(reg->units[i].aliases, reg->units[i].naliases);
	}
	free(reg->units);
	for (size_t i = 0; i < reg->ncategories; i++) {
		xy_category *c = &reg->categories[i];
		for (size_t j = 0; j < c->nfields; j++) {
			xy_field *f = &c->fields[j];
			free(f->code);
			free(f->name);
			free_strv(f->aliases, f->naliases);
			free_strv(f->enum_values, f->nenum);
		}
		free(c->fields);
		free(c->code);
		free(c->name);
	}
	free(reg->categories);
	for (size_t i = 0; i < reg->nexceptions; i++)
		free(reg->exceptions[i].note);
	free(reg->exceptions);
	xy_registry_init(reg);
}

const char *xy_registry_default_dir(void)
{
	const char *env = getenv("XINYONG_DATA");
	return env && *env ? env : XY_DATADIR;
}

/* ---- names of enums ---- */

static const char *const field_types[] = { "text", "uscc", "org", "ric", "idno",
					   "enum", "date", "decimal", "int",
					   "wan", "until", "code" };
static const char *const field_roles[] = { "", "key", "subj_name", "subj_kind", "subj_uscc",
					   "subj_idtype", "subj_idno", "date" };
static const char *const unit_kinds[] = { "department", "county", "park", "city" };
static const char *const cat_kinds[] = { "subject", "count" };

#define NAMEOF(tab, v) ((size_t)(v) < sizeof tab / sizeof tab[0] ? tab[v] : "?")

static int lookup(const char *const *tab, size_t n, const char *s)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(tab[i], s) == 0)
			return (int)i;
	return -1;
}

#define PARSE(tab, s, out, type)                                              \
	do {                                                                  \
		int i_ = lookup(tab, sizeof tab / sizeof tab[0], s);          \
		if (i_ < 0)                                                   \
			return -1;                                            \
		*(out) = (type)i_;                                            \
		return 0;                                                     \
	} while (0)

const char *xy_field_type_name(xy_field_type t) { return NAMEOF(field_types, t); }
const char *xy_field_role_name(xy_field_role r) { return NAMEOF(field_roles, r); }
const char *xy_unit_kind_name(xy_unit_kind k) { return NAMEOF(unit_kinds, k); }
const char *xy_category_kind_name(xy_category_kind k) { return NAMEOF(cat_kinds, k); }

int xy_field_type_parse(const char *s, xy_field_type *t) { PARSE(field_types, s, t, xy_field_type); }
int xy_field_role_parse(const char *s, xy_field_role *r) { PARSE(field_roles, s, r, xy_field_role); }
int xy_unit_kind_parse(const char *s, xy_unit_kind *k) { PARSE(unit_kinds, s, k, xy_unit_kind); }
int xy_category_kind_parse(const char *s, xy_category_kind *k) { PARSE(cat_kinds, s, k, xy_category_kind); }

/* ---- lookups ---- */

const xy_unit *xy_registry_unit(const xy_registry *reg, const char *name)
{
	for (size_t i = 0; i < reg->nunits; i++)
		if (strcmp(reg->units[i].name, name) == 0)
			return &reg->units[i];
	for (size_t i = 0; i < reg->nunits; i++) /* a former name: never a unit's name */
		for (size_t k = 0; k < reg->units[i].naliases; k++)
			if (strcmp(reg->units[i].aliases[k], name) == 0)
				return &reg->units[i];
	return NULL;
}

const xy_unit *xy_registry_unit_by_id(const xy_registry *reg, int64_t id)
{
	for (size_t i = 0; i < reg->nunits; i++)
		if (reg->units[i].id == id)
			return &reg->units[i];
	return NULL;
}

const xy_unit *xy_registry_unit_by_division(const xy_registry *reg, const char *division)
{
	for (size_t i = 0; i < reg->nunits; i++)
		if (reg->units[i].kind == XY_UNIT_COUNTY && strcmp(reg->units[i].division, division) == 0)
			return &reg->units[i];
	return NULL;
}

const xy_category *xy_registry_category(const xy_registry *reg, const char *name_or_code)
{
	for (size_t i = 0; i < reg->ncategories; i++)
		if (strcmp(reg->categories[i].name, name_or_code) == 0 ||
		    strcmp(reg->categories[i].code, name_or_code) == 0)
			return &reg->categories[i];
	return NULL;
}

const xy_category *xy_registry_category_by_id(const xy_registry *reg, int64_t id)
{
	for (size_t i = 0; i < reg->ncategories; i++)
		if (reg->categories[i].id == id)
			return &reg->categories[i];
	return NULL;
}

bool xy_registry_uscc_excepted(const xy_registry *reg, const char *uscc)
{
	for (size_t i = 0; i < reg->nexceptions; i++)
		if (strcmp(reg->exceptions[i].code, uscc) == 0)
			return true;
	return false;
}

/* ---- header matching ---- */

/* One code point from s (NUL-terminated); an invalid byte is returned as
 * itself (0x80..0xFF) so that it still compares equal to itself. */
static uint32_t next_cp(const char **s)
{
	const unsigned char *u = (const unsigned char *)*s;
	uint32_t cp;
	size_t k;
	if (u[0] < 0x80) {
		*s += 1;
		return u[0];
	}
	if (u[0] >= 0xC2 && u[0] <= 0xDF) {
		k = 1;
		cp = u[0] & 0x1Fu;
	} else if (u[0] >= 0xE0 && u[0] <= 0xEF) {
		k = 2;
		cp = u[0] & 0x0Fu;
	} else if (u[0] >= 0xF0 && u[0] <= 0xF4) {
		k = 3;
		cp = u[0] & 0x07u;
	} else {
		*s += 1;
		return u[0];
	}
	for (size_t i = 1; i <= k; i++) {
		if ((u[i] & 0xC0) != 0x80) {
			*s += 1;
			return u[0];
		}
		cp = cp << 6 | (u[i] & 0x3Fu);
	}
	*s += k + 1;
	return cp;
}

static xy_code put_cp(xy_buf *b, uint32_t cp)
{
	char e[4];
	size_t n;
	if (cp < 0x80) {
		e[0] = (char)cp;
		n = 1;
	} else if (cp < 0x800) {
		e[0] = (char)(0xC0 | cp >> 6);
		e[1] = (char)(0x80 | (cp & 0x3F));
		n = 2;
	} else if (cp < 0x10000) {
		e[0] = (char)(0xE0 | cp >> 12);
		e[1] = (char)(0x80 | (cp >> 6 & 0x3F));
		e[2] = (char)(0x80 | (cp & 0x3F));
		n = 3;
	} else {
		e[0] = (char)(0xF0 | cp >> 18);
		e[1] = (char)(0x80 | (cp >> 12 & 0x3F));
		e[2] = (char)(0x80 | (cp >> 6 & 0x3F));
		e[3] = (char)(0x80 | (cp & 0x3F));
		n = 4;
	}
	return xy_buf_add(b, e, n);
}

static bool header_blank(uint32_t cp)
{
	return cp == ' ' || cp == '\t' || cp == '\r' || cp == '\n' || cp == 0x3000 ||
	       cp == 0xA0 || cp == 0x200B || cp == 0xFEFF || cp == 0x2028;
}

/* Markers templates put on a column's name: required/optional notes. */
static const char *const header_marks[] = { "*", "(必填)", "(必填项)", "(选填)",
					    "(非必填)", "(可选)", "(必选)" };

/* Header normalisation for matching: drop blanks anywhere (ASCII, U+3000,
 * NBSP, newlines inside a cell, zero-width space, BOM), full-width ASCII forms
 * (（）＊Ａ１…) and 【】 to their ASCII counterparts, ASCII letters
 * upper-cased, then strip a leading 「*」 and trailing 「*」/「(必填)」
 * markers. */
xy_code xy_header_key(const char *s, xy_buf *out)
{
	bool again = true;
	xy_buf_reset(out);
	while (*s) {
		uint32_t cp = next_cp(&s);
		if (header_blank(cp))
			continue;
		if (cp >= 0xFF01 && cp <= 0xFF5E)
			cp -= 0xFEE0;
		else if (cp == 0x3010)
			cp = '(';
		else if (cp == 0x3011)
			cp = ')';
		if (cp >= 'a' && cp <= 'z')
			cp -= 'a' - 'A';
		if (put_cp(out, cp))
			return XY_ERR_NOMEM;
	}
	if (!out->data)
		return xy_buf_addstr(out, "");
	while (again && out->len) {
		again = false;
		if (out->data[0] == '*') {
			memmove(out->data, out->data + 1, out->len);
			out->len--;
			again = true;
		}
		for (size_t i = 0; i < sizeof header_marks / sizeof *header_marks; i++) {
			size_t n = strlen(header_marks[i]);
			if (out->len > n && !memcmp(out->data + out->len - n, header_marks[i], n)) {
				xy_buf_truncate(out, out->len - n);
				again = true;
			}
		}
	}
	return XY_OK;
}

/* The field whose code, name or alias has key h; -1 when none. */
static int match_key(const xy_category *cat, const xy_buf *h, xy_buf *c)
{
	if (!h->len)
		return -1;
	for (size_t i = 0; i < cat->nfields; i++) {
		const xy_field *f = &cat->fields[i];
		if ((!xy_header_key(f->code, c) && strcmp(c->data, h->data) == 0) ||
		    (!xy_header_key(f->name, c) && strcmp(c->data, h->data) == 0))
			return (int)i;
		for (size_t k = 0; k < f->naliases; k++)
			if (!xy_header_key(f->aliases[k], c) && strcmp(c->data, h->data) == 0)
				return (int)i;
	}
	return -1;
}

int xy_category_match_header(const xy_category *cat, const char *header)
{
	xy_buf h = XY_BUF_INIT, c = XY_BUF_INIT;
	int found = -1;
	if (header && !xy_header_key(header, &h))
		found = match_key(cat, &h, &c);
	xy_buf_release(&h);
	xy_buf_release(&c);
	return found;
}

size_t xy_category_header_score(const xy_category *cat, size_t ncells,
				const char *const *cells)
{
	xy_buf h = XY_BUF_INIT, c = XY_BUF_INIT;
	unsigned char *seen;
	size_t score = 0;
	if (!cat->nfields || !(seen = calloc(cat->nfields, 1)))
		return 0;
	for (size_t i = 0; i < ncells; i++) {
		int f;
		if (!cells[i] || xy_header_key(cells[i], &h))
			continue;
		f = match_key(cat, &h, &c);
		if (f >= 0 && !seen[f]) {
			seen[f] = 1;
			score++;
		}
	}
	free(seen);
	xy_buf_release(&h);
	xy_buf_release(&c);
	return score;
}

/* ---- suggestions ---- */

/* A header longer than this is no misspelling of a field name. */
#define SUGGEST_MAX_CPS 128

/* Code points of a header key; returns the count, or SIZE_MAX when the key
 * is longer than SUGGEST_MAX_CPS. */
static size_t key_cps(const char *key, uint32_t *cps)
{
	size_t n = 0;
	while (*key) {
		if (n == SUGGEST_MAX_CPS)
			return SIZE_MAX;
		cps[n++] = next_cp(&key);
	}
	return n;
}

/* Levenshtein distance (one row of work space, row[] has n + 1 entries). */
static size_t levenshtein(const uint32_t *a, size_t m, const uint32_t *b, size_t n,
			  size_t *row)
{
	for (size_t j = 0; j <= n; j++)
		row[j] = j;
	for (size_t i = 1; i <= m; i++) {
		size_t diag = row[0];
		row[0] = i;
		for (size_t j = 1; j <= n; j++) {
			size_t up = row[j], best = diag + (a[i - 1] != b[j - 1]);
			if (up + 1 < best)
				best = up + 1;
			if (row[j - 1] + 1 < best)
				best = row[j - 1] + 1;
			diag = up;
			row[j] = best;
		}
	}
	return row[n];
}

/* Longest common substring, in code points. */
static size_t common_run(const uint32_t *a, size_t m, const uint32_t *b, size_t n)
{
	size_t best = 0;
	for (size_t i = 0; i < m; i++)
		for (size_t j = 0; j < n; j++) {
			size_t k = 0;
			while (i + k < m && j + k < n && a[i + k] == b[j + k])
				k++;
			if (k > best)
				best = k;
		}
	return best;
}

/* How near header h (m code points) is to candidate c, in thousandths:
 * 1000 - 1000 × distance / longer length, or for Chinese text the share of
 * the header covered by a common run of at least two characters, whichever is
 * higher. */
static unsigned nearness(const uint32_t *h, size_t m, const uint32_t *c, size_t n,
			 size_t *row)
{
	size_t longer = m > n ? m : n, d, run;
	unsigned score, rs = 0;
	bool cjk = false;
	if (!m || !n)
		return 0;
	d = levenshtein(h, m, c, n, row);
	score = d >= longer ? 0 : (unsigned)(1000 - 1000 * d / longer);
	for (size_t i = 0; i < m; i++)
		cjk |= h[i] >= 0x3400;
	if (cjk && (run = common_run(h, m, c, n)) >= 2)
		rs = (unsigned)(1000 * run / m);
	return rs > score ? rs : score;
}

/* Suggestions must be at least this near (thousandths). */
#define SUGGEST_MIN 500

int xy_category_suggest(const xy_category *cat, const char *header)
{
	xy_buf h = XY_BUF_INIT, c = XY_BUF_INIT;
	uint32_t hc[SUGGEST_MAX_CPS], cc[SUGGEST_MAX_CPS];
	size_t row[SUGGEST_MAX_CPS + 1], m;
	unsigned best = 0;
	int found = -1;
	if (!header || xy_header_key(header, &h) || !h.len)
		goto out;
	if ((found = match_key(cat, &h, &c)) >= 0)
		goto out;
	if ((m = key_cps(h.data, hc)) == SIZE_MAX)
		goto out;
	for (size_t i = 0; i < cat->nfields; i++) {
		const xy_field *f = &cat->fields[i];
		for (size_t k = 0; k < f->naliases + 2; k++) {
			const char *cand = k == 0 ? f->name : k == 1 ? f->code : f->aliases[k - 2];
			size_t n;
			unsigned s;
			if (xy_header_key(cand, &c) || (n = key_cps(c.data, cc)) == SIZE_MAX)
				continue;
			s = nearness(hc, m, cc, n, row);
			if (s > best) {
				best = s;
				found = (int)i;
			}
		}
	}
	if (best < SUGGEST_MIN)
		found = -1;
out:
	xy_buf_release(&h);
	xy_buf_release(&c);
	return found;
}

/* ---- TSV loading (core/tsv.c) ---- */

typedef xy_tsv tsv;
#define tsv_next xy_tsv_next
#define tsv_col xy_tsv_col
#define tsv_close xy_tsv_close

/* dir/name; a file that cannot be read is a configuration error here. */
static xy_code tsv_open(tsv *t, const char *dir, const char *name, xy_error *err)
{
	char path[1024];
	xy_code rc;
	snprintf(path, sizeof path, "%s/%s", dir, name);
	rc = xy_tsv_open(t, path, 16u << 20, err);
	if (rc == XY_ERR_IO && err)
		err->code = XY_ERR_CONFIG;
	return rc == XY_ERR_IO ? XY_ERR_CONFIG : rc;
}


static void *grow(void *p, size_t n, size_t size)
{
	return realloc(p, (n + 1) * size);
}

static char *dup(const char *s)
{
	return strdup(s);
}

/* Split "a|b|c" into a NULL-free array. */
static xy_code split_bar(const char *s, char ***out, size_t *n)
{
	*out = NULL;
	*n = 0;
	if (!*s)
		return XY_OK;
	for (const char *p = s;;) {
		const char *bar = strchr(p, '|');
		size_t len = bar ? (size_t)(bar - p) : strlen(p);
		char **v = grow(*out, *n, sizeof *v);
		if (!v)
			return XY_ERR_NOMEM;
		*out = v;
		v[*n] = strndup(p, len);
		if (!v[*n])
			return XY_ERR_NOMEM;
		(*n)++;
		if (!bar)
			break;
		p = bar + 1;
	}
	return XY_OK;
}

static xy_code load_units(xy_registry *reg, const char *dir, xy_error *err)
{
	static const char *const hdr[] = { "name", "kind", "division", "sort" };
	tsv t;
	xy_code rc = tsv_open(&t, dir, "units.tsv", err);
	if (rc)
		return rc;
	if ((rc = xy_tsv_header(&t, hdr, 4, err)))
		goto out;
	while (tsv_next(&t)) {
		xy_unit *u, *v = grow(reg->units, reg->nunits, sizeof *v);
		const char *div = tsv_col(&t, 2);
		if (!v) {
			rc = xy_error_set(err, XY_ERR_NOMEM, "out of memory");
			goto out;
		}
		reg->units = v;
		u = &v[reg->nunits];
		memset(u, 0, sizeof *u);
		if (!*tsv_col(&t, 0) || xy_registry_unit(reg, tsv_col(&t, 0))) {
			rc = xy_error_at(err, XY_ERR_CONFIG, t.path, t.line, "name",
					 "empty or duplicate unit name '%s'", tsv_col(&t, 0));
			goto out;
		}
		if (xy_unit_kind_parse(tsv_col(&t, 1), &u->kind)) {
			rc = xy_error_at(err, XY_ERR_CONFIG, t.path, t.line, "kind",
					 "unknown unit kind '%s'", tsv_col(&t, 1));
			goto out;
		}
		if (*div && (strlen(div) != 6 || strspn(div, "0123456789") != 6)) {
			rc = xy_error_at(err, XY_ERR_CONFIG, t.path, t.line, "division",
					 "division code must be 6 digits, not '%s'", div);
			goto out;
		}
		snprintf(u->division, sizeof u->division, "%s", div);
		u->sort = atoi(tsv_col(&t, 3));
		if (!(u->name = dup(tsv_col(&t, 0)))) {
			rc = xy_error_set(err, XY_ERR_NOMEM, "out of memory");
			goto out;
		}
		reg->nunits++;
	}
out:
	tsv_close(&t);
	return rc;
}

/* Parse "enum(a|b|1=c)" or a plain type name. */
static xy_code parse_type(const char *s, xy_field *f)
{
	size_t n = strlen(s);
	if (n > 6 && memcmp(s, "enum(", 5) == 0 && s[n - 1] == ')') {
		char *inner = strndup(s + 5, n - 6);
		xy_code rc;
		if (!inner)
			return XY_ERR_NOMEM;
		f->type = XY_FT_ENUM;
		rc = split_bar(inner, &f->enum_values, &f->nenum);
		free(inner);
		return rc;
	}
	return xy_field_type_parse(s, &f->type) ? XY_ERR_CONFIG : XY_OK;
}

static xy_code add_field(xy_category *c, const tsv *t, xy_error *err)
{
	xy_field *f, *v = grow(c->fields, c->nfields, sizeof *v);
	const char *max = tsv_col(t, 5);
	xy_code rc;
	if (!v)
		return xy_error_set(err, XY_ERR_NOMEM, "out of memory");
	c->fields = v;
	f = &v[c->nfields];
	memset(f, 0, sizeof *f);
	c->nfields++; /* counted now so release() frees what was filled */
	for (size_t i = 0; i + 1 < c->nfields; i++)
		if (strcmp(c->fields[i].code, tsv_col(t, 1)) == 0)
			return xy_error_at(err, XY_ERR_CONFIG, t->path, t->line, "code",
					   "field %s defined twice for %s", tsv_col(t, 1), c->name);
	if (!(f->code = dup(tsv_col(t, 1))) || !(f->name = dup(tsv_col(t, 2))))
		return xy_error_set(err, XY_ERR_NOMEM, "out of memory");
	if (!*f->code || !*f->name)
		return xy_error_at(err, XY_ERR_CONFIG, t->path, t->line, "code",
				   "field code and name must not be empty");
	rc = parse_type(tsv_col(t, 3), f);
	if (rc == XY_ERR_NOMEM)
		return xy_error_set(err, rc, "out of memory");
	if (rc)
		return xy_error_at(err, XY_ERR_CONFIG, t->path, t->line, "type",
				   "unknown field type '%s'", tsv_col(t, 3));
	f->required = strcmp(tsv_col(t, 4), "是") == 0;
	if (strspn(max, "0123456789") != strlen(max))
		return xy_error_at(err, XY_ERR_CONFIG, t->path, t->line, "max_len",
				   "max_len must be a number, not '%s'", max);
	f->max_len = (size_t)strtoul(max, NULL, 10);
	if (xy_field_role_parse(tsv_col(t, 6), &f->role))
		return xy_error_at(err, XY_ERR_CONFIG, t->path, t->line, "role",
				   "unknown role '%s'", tsv_col(t, 6));
	if (split_bar(tsv_col(t, 7), &f->aliases, &f->naliases))
		return xy_error_set(err, XY_ERR_NOMEM, "out of memory");
	return XY_OK;
}

/* A template is kept as a category whose name starts with '@' while loading. */
static xy_category *find_cat(xy_category *v, size_t n, const char *name)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(v[i].name, name) == 0)
			return &v[i];
	return NULL;
}

static xy_code copy_fields(xy_category *dst, const xy_category *src, xy_error *err)
{
	for (size_t i = 0; i < src->nfields; i++) {
		const xy_field *s = &src->fields[i];
		xy_field *f, *v = grow(dst->fields, dst->nfields, sizeof *v);
		if (!v)
			return xy_error_set(err, XY_ERR_NOMEM, "out of memory");
		dst->fields = v;
		f = &v[dst->nfields++];
		*f = *s;
		f->aliases = NULL;
		f->naliases = 0;
		f->enum_values = NULL;
		f->nenum = 0;
		f->code = dup(s->code);
		f->name = dup(s->name);
		if (!f->code || !f->name)
			return xy_error_set(err, XY_ERR_NOMEM, "out of memory");
		for (size_t k = 0; k < s->naliases; k++) {
			char **a = grow(f->aliases, f->naliases, sizeof *a);
			if (!a || !(a[f->naliases] = dup(s->aliases[k])))
				return xy_error_set(err, XY_ERR_NOMEM, "out of memory");
			f->aliases = a;
			f->naliases++;
		}
		for (size_t k = 0; k < s->nenum; k++) {
			char **a = grow(f->enum_values, f->nenum, sizeof *a);
			if (!a || !(a[f->nenum] = dup(s->enum_values[k])))
				return xy_error_set(err, XY_ERR_NOMEM, "out of memory");
			f->enum_values = a;
			f->nenum++;
		}
	}
	return XY_OK;
}

static xy_code load_categories(xy_registry *reg, const char *dir, xy_error *err)
{
	static const char *const chdr[] = { "code", "name", "kind", "template", "sort" };
	static const char *const fhdr[] = { "category", "code", "name", "type", "required",
					    "max_len", "role", "aliases" };
	xy_registry tpl; /* templates, as pseudo-categories */
	char **tplname = NULL; /* template of each category */
	/* Lines for error messages: of each category in categories.tsv, and of
	 * the key field of each category and template in fields.tsv (0: none). */
	long *catline = NULL, *keyline = NULL, *tplkey = NULL;
	tsv t;
	char catpath[sizeof t.path];
	xy_code rc;

	xy_registry_init(&tpl);
	if ((rc = tsv_open(&t, dir, "categories.tsv", err)))
		return rc;
	if ((rc = xy_tsv_header(&t, chdr, 5, err)))
		goto out;
	while (tsv_next(&t)) {
		xy_category *c, *v;
		char **tn;
		long *cl, *kl;
		if ((v = grow(reg->categories, reg->ncategories, sizeof *v)))
			reg->categories = v;
		if ((tn = grow(tplname, reg->ncategories, sizeof *tn)))
			tplname = tn;
		if ((cl = grow(catline, reg->ncategories, sizeof *cl)))
			catline = cl;
		if ((kl = grow(keyline, reg->ncategories, sizeof *kl)))
			keyline = kl;
		if (!v || !tn || !cl || !kl) {
			rc = xy_error_set(err, XY_ERR_NOMEM, "out of memory");
			goto out;
		}
		tplname[reg->ncategories] = NULL;
		catline[reg->ncategories] = t.line;
		keyline[reg->ncategories] = 0;
		c = &v[reg->ncategories];
		memset(c, 0, sizeof *c);
		c->key_field = -1;
		if (!*tsv_col(&t, 0) || !*tsv_col(&t, 1) ||
		    xy_registry_category(reg, tsv_col(&t, 0)) ||
		    xy_registry_category(reg, tsv_col(&t, 1))) {
			rc = xy_error_at(err, XY_ERR_CONFIG, t.path, t.line, "code",
					 "empty or duplicate category '%s' / '%s'",
					 tsv_col(&t, 0), tsv_col(&t, 1));
			goto out;
		}
		if (xy_category_kind_parse(tsv_col(&t, 2), &c->kind)) {
			rc = xy_error_at(err, XY_ERR_CONFIG, t.path, t.line, "kind",
					 "unknown category kind '%s'", tsv_col(&t, 2));
			goto out;
		}
		c->code = dup(tsv_col(&t, 0));
		c->name = dup(tsv_col(&t, 1));
		tplname[reg->ncategories] = dup(tsv_col(&t, 3));
		reg->ncategories++;
		if (!c->code || !c->name || !tplname[reg->ncategories - 1]) {
			rc = xy_error_set(err, XY_ERR_NOMEM, "out of memory");
			goto out;
		}
	}
	tsv_close(&t);
	memcpy(catpath, t.path, sizeof catpath);

	if ((rc = tsv_open(&t, dir, "fields.tsv", err)))
		goto out;
	if ((rc = xy_tsv_header(&t, fhdr, 8, err)))
		goto out;
	while (tsv_next(&t)) {
		const char *cn = tsv_col(&t, 0);
		xy_category *c;
		long *kl;
		if (cn[0] == '@') {
			c = find_cat(tpl.categories, tpl.ncategories, cn);
			if (!c) {
				xy_category *v = grow(tpl.categories, tpl.ncategories, sizeof *v);
				long *tk;
				if (v)
					tpl.categories = v;
				if ((tk = grow(tplkey, tpl.ncategories, sizeof *tk)))
					tplkey = tk;
				if (!v || !tk) {
					rc = xy_error_set(err, XY_ERR_NOMEM, "out of memory");
					goto out;
				}
				tplkey[tpl.ncategories] = 0;
				c = &v[tpl.ncategories++];
				memset(c, 0, sizeof *c);
				c->key_field = -1;
				if (!(c->name = dup(cn)) || !(c->code = dup(cn))) {
					rc = xy_error_set(err, XY_ERR_NOMEM, "out of memory");
					goto out;
				}
			}
		} else {
			c = (xy_category *)xy_registry_category(reg, cn);
			if (!c) {
				rc = xy_error_at(err, XY_ERR_CONFIG, t.path, t.line, "category",
						 "unknown category '%s'", cn);
				goto out;
			}
		}
		if ((rc = add_field(c, &t, err)))
			goto out;
		kl = cn[0] == '@' ? &tplkey[c - tpl.categories] : &keyline[c - reg->categories];
		if (c->fields[c->nfields - 1].role == XY_ROLE_KEY) {
			if (*kl) {
				rc = xy_error_at(err, XY_ERR_CONFIG, t.path, t.line, "role",
						 "%s has two key fields (the other on line %ld)",
						 c->name, *kl);
				goto out;
			}
			*kl = t.line;
		}
	}

	/* Categories get their template's fields first, then their own. */
	for (size_t i = 0; i < reg->ncategories; i++) {
		xy_category *c = &reg->categories[i];
		if (*tplname[i]) {
			const xy_category *src = find_cat(tpl.categories, tpl.ncategories, tplname[i]);
			xy_field *own = c->fields;
			size_t nown = c->nfields;
			if (!src) {
				rc = xy_error_at(err, XY_ERR_CONFIG, catpath, catline[i], "template",
						 "category %s names unknown template '%s'", c->name,
						 tplname[i]);
				goto out;
			}
			if (keyline[i] && tplkey[src - tpl.categories]) {
				rc = xy_error_at(err, XY_ERR_CONFIG, t.path, keyline[i], "role",
						 "category %s has two key fields: this one and that "
						 "of template %s (line %ld)", c->name, src->name,
						 tplkey[src - tpl.categories]);
				goto out;
			}
			c->fields = NULL;
			c->nfields = 0;
			rc = copy_fields(c, src, err);
			for (size_t j = 0; j < nown && !rc; j++) {
				xy_field *v = grow(c->fields, c->nfields, sizeof *v);
				if (!v) {
					rc = xy_error_set(err, XY_ERR_NOMEM, "out of memory");
					break;
				}
				c->fields = v;
				v[c->nfields++] = own[j];
				memset(&own[j], 0, sizeof own[j]);
			}
			for (size_t j = 0; j < nown; j++) { /* only left over on error */
				free(own[j].code);
				free(own[j].name);
				free_strv(own[j].aliases, own[j].naliases);
				free_strv(own[j].enum_values, own[j].nenum);
			}
			free(own);
			if (rc)
				goto out;
		}
		if (!c->nfields) {
			rc = xy_error_at(err, XY_ERR_CONFIG, catpath, catline[i], NULL,
					 "category %s has no fields", c->name);
			goto out;
		}
		for (size_t j = 0; j < c->nfields; j++)
			if (c->fields[j].role == XY_ROLE_KEY) {
				if (c->key_field >= 0) {
					rc = xy_error_at(err, XY_ERR_CONFIG, catpath, catline[i], NULL,
							 "category %s has two key fields", c->name);
					goto out;
				}
				c->key_field = (int)j;
			}
		if (c->kind == XY_CAT_SUBJECT) {
			bool has_name = false;
			for (size_t j = 0; j < c->nfields; j++)
				has_name |= c->fields[j].role == XY_ROLE_SUBJ_NAME;
			if (!has_name) {
				rc = xy_error_at(err, XY_ERR_CONFIG, catpath, catline[i], NULL,
						 "subject category %s has no subj_name field",
						 c->name);
				goto out;
			}
		}
	}
out:
	tsv_close(&t);
	if (tplname)
		free_strv(tplname, reg->ncategories);
	free(catline);
	free(keyline);
	free(tplkey);
	xy_registry_release(&tpl);
	return rc;
}

static xy_code load_exceptions(xy_registry *reg, const char *dir, xy_error *err)
{
	static const char *const hdr[] = { "code", "note" };
	tsv t;
	xy_code rc = tsv_open(&t, dir, "uscc-exceptions.tsv", err);
	if (rc)
		return rc;
	if ((rc = xy_tsv_header(&t, hdr, 2, err)))
		goto out;
	while (tsv_next(&t)) {
		xy_uscc_exception *v = grow(reg->exceptions, reg->nexceptions, sizeof *v);
		if (!v) {
			rc = xy_error_set(err, XY_ERR_NOMEM, "out of memory");
			goto out;
		}
		reg->exceptions = v;
		if (strlen(tsv_col(&t, 0)) != 18) {
			rc = xy_error_at(err, XY_ERR_CONFIG, t.path, t.line, "code",
					 "'%s' is not 18 characters", tsv_col(&t, 0));
			goto out;
		}
		snprintf(v[reg->nexceptions].code, sizeof v->code, "%s", tsv_col(&t, 0));
		if (!(v[reg->nexceptions].note = dup(tsv_col(&t, 1)))) {
			rc = xy_error_set(err, XY_ERR_NOMEM, "out of memory");
			goto out;
		}
		reg->nexceptions++;
	}
out:
	tsv_close(&t);
	return rc;
}

xy_code xy_registry_load_dir(xy_registry *reg, const char *dir, xy_error *err)
{
	xy_code rc;
	if ((rc = load_units(reg, dir, err)) || (rc = load_categories(reg, dir, err)) ||
	    (rc = load_exceptions(reg, dir, err))) {
		xy_registry_release(reg);
		return rc;
	}
	return XY_OK;
}
