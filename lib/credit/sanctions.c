/* Credit lists and joint reward/punishment memoranda: loading the catalogue
 * (matters.tsv, list-types.tsv, memoranda/NAME.tsv) and the pure check of which
 * measures apply.  No store access here: the entries come from the caller.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xinyong/buf.h"
#include "xinyong/date.h"
#include "xinyong/sanctions.h"
#include "xinyong/tsv.h"

#define FILE_MAX (4u << 20) /* a configuration file */

/* ---- names ---- */

static const char *const list_kinds[] = { "red", "black", "watch" };
static const char *const measure_kinds[] = { "惩戒", "激励" };
static const char *const exits[] = { "", "修复", "注销", "吊销", "撤销" };
static const char *const statuses[] = { "active", "pending", "expired", "exited" };
static const struct {
	xy_target t;
	const char *name;
} targets[] = {
	{ XY_TARGET_UNIT, "单位" },
	{ XY_TARGET_LEGAL_REP, "法定代表人" },
	{ XY_TARGET_PRINCIPAL, "主要负责人" },
	{ XY_TARGET_RESPONSIBLE, "直接责任人" },
};

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))
#define NAMEOF(tab, v) ((size_t)(v) < NELEM(tab) ? tab[v] : "?")

static int lookup(const char *const *tab, size_t n, const char *s)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(tab[i], s) == 0)
			return (int)i;
	return -1;
}

const char *xy_list_kind_name(xy_list_kind k) { return NAMEOF(list_kinds, k); }
const char *xy_measure_kind_name(xy_measure_kind k) { return NAMEOF(measure_kinds, k); }
const char *xy_exit_name(xy_exit x) { return NAMEOF(exits, x); }
const char *xy_entry_status_name(xy_entry_status st) { return NAMEOF(statuses, st); }

const char *xy_target_name(xy_target t)
{
	for (size_t i = 0; i < NELEM(targets); i++)
		if (targets[i].t == t)
			return targets[i].name;
	return "?";
}

int xy_list_kind_parse(const char *s, xy_list_kind *k)
{
	int i = lookup(list_kinds, NELEM(list_kinds), s);
	if (i < 0)
		return -1;
	*k = (xy_list_kind)i;
	return 0;
}

int xy_measure_kind_parse(const char *s, xy_measure_kind *k)
{
	int i = lookup(measure_kinds, NELEM(measure_kinds), s);
	if (i < 0)
		return -1;
	*k = (xy_measure_kind)i;
	return 0;
}

int xy_exit_parse(const char *s, xy_exit *x)
{
	int i = *s ? lookup(exits, NELEM(exits), s) : -1; /* "" is no exit, not a way out */
	if (i < 0)
		return -1;
	*x = (xy_exit)i;
	return 0;
}

int xy_target_parse(const char *s, xy_target *t)
{
	for (size_t i = 0; i < NELEM(targets); i++)
		if (strcmp(targets[i].name, s) == 0) {
			*t = targets[i].t;
			return 0;
		}
	return -1;
}

/* ---- dates ---- */

/* A canonical, valid YYYY-MM-DD (so that strcmp orders dates). */
static bool iso_date(const char *s)
{
	char out[11];
	return s && strlen(s) == 10 && xy_date_parse(s, out) == XY_OK && strcmp(out, s) == 0;
}

static bool empty(const char *s)
{
	return !s || !*s;
}

/* ---- freeing ---- */

static void free_strv(char **v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

static void matter_free(xy_matter *m)
{
	free(m->code);
	free(m->name);
	free(m->description);
}

static void list_type_free(xy_list_type *t)
{
	free(t->name);
	free(t->unit);
	free(t->basis);
	free(t->exit);
	free(t->category);
}

static void measure_free(xy_measure *m)
{
	free(m->text);
	free_strv(m->units, m->nunits);
	free_strv(m->matters, m->nmatters);
	free(m->basis);
	free(m->condition);
}

static void memo_free(xy_memorandum *m)
{
	free(m->doc);
	free(m->title);
	free(m->date);
	free(m->source);
	free(m->file);
	free_strv(m->signatories, m->nsignatories);
	free_strv(m->list_types, m->nlist_types);
	for (size_t i = 0; i < m->nmeasures; i++)
		measure_free(&m->measures[i]);
	free(m->measures);
	memset(m, 0, sizeof *m);
}

int xy_sanctions_memorandum_remove(xy_sanctions *s, const char *doc)
{
	for (size_t i = 0; i < s->nmemoranda; i++)
		if (strcmp(s->memoranda[i].doc, doc) == 0) {
			memo_free(&s->memoranda[i]);
			memmove(&s->memoranda[i], &s->memoranda[i + 1],
				(s->nmemoranda - i - 1) * sizeof *s->memoranda);
			s->nmemoranda--;
			return 0;
		}
	return -1;
}

void xy_sanctions_init(xy_sanctions *s)
{
	memset(s, 0, sizeof *s);
}

void xy_sanctions_release(xy_sanctions *s)
{
	for (size_t i = 0; i < s->nmatters; i++)
		matter_free(&s->matters[i]);
	free(s->matters);
	for (size_t i = 0; i < s->nlist_types; i++)
		list_type_free(&s->list_types[i]);
	free(s->list_types);
	for (size_t i = 0; i < s->nmemoranda; i++)
		memo_free(&s->memoranda[i]);
	free(s->memoranda);
	xy_sanctions_init(s);
}

/* Configuration files are read with the shared TSV reader (core/tsv.c). */
typedef xy_tsv tsv;
#define tsv_next xy_tsv_next
#define tsv_close xy_tsv_close
#define tsv_open(t, path, err) xy_tsv_open(t, path, FILE_MAX, err)

static const char *col(const tsv *t, size_t i)
{
	return xy_tsv_col(t, i);
}

#define NOMEM() xy_error_set(err, XY_ERR_NOMEM, "out of memory")
#define BAD(t, field, ...) xy_error_at(err, XY_ERR_CONFIG, (t)->path, (t)->line, field, __VA_ARGS__)

/* Header line of a fixed-column file. */
static xy_code tsv_header(tsv *t, const char *const *names, size_t n, xy_error *err)
{
	xy_code rc = xy_tsv_header(t, names, n, err);
	if (rc)
		return rc;
	if (t->ncol != n)
		return BAD(t, NULL, "header has %zu columns; expected %zu", t->ncol, n);
	return XY_OK;
}

static xy_code check_ncol(const tsv *t, size_t n, xy_error *err)
{
	if (t->toomany || t->ncol > n)
		return BAD(t, NULL, "more than %zu columns", n);
	return XY_OK;
}

/* Append one element of `size` bytes to *v (n elements), zeroed; NULL on ENOMEM. */
static void *push(void *v, size_t *n, size_t size)
{
	char *p = realloc(v, (*n + 1) * size);
	if (!p)
		return NULL;
	memset(p + *n * size, 0, size);
	(*n)++;
	return p;
}

/* Split "a|b|c" into strings; empty items are refused (returns XY_ERR_INVALID). */
static xy_code split_bar(const char *s, char ***out, size_t *n)
{
	*out = NULL;
	*n = 0;
	if (!*s)
		return XY_OK;
	for (const char *p = s;;) {
		const char *bar = strchr(p, '|');
		size_t len = bar ? (size_t)(bar - p) : strlen(p);
		char **v;
		if (!len)
			return XY_ERR_INVALID;
		if (!(v = realloc(*out, (*n + 1) * sizeof *v)))
			return XY_ERR_NOMEM;
		*out = v;
		if (!(v[*n] = strndup(p, len)))
			return XY_ERR_NOMEM;
		(*n)++;
		if (!bar)
			return XY_OK;
		p = bar + 1;
	}
}

/* ---- lookups ---- */

const xy_matter *xy_sanctions_matter(const xy_sanctions *s, const char *code_or_name)
{
	for (size_t i = 0; i < s->nmatters; i++)
		if (strcmp(s->matters[i].code, code_or_name) == 0 ||
		    strcmp(s->matters[i].name, code_or_name) == 0)
			return &s->matters[i];
	return NULL;
}

const xy_list_type *xy_sanctions_list_type(const xy_sanctions *s, const char *name)
{
	for (size_t i = 0; i < s->nlist_types; i++)
		if (strcmp(s->list_types[i].name, name) == 0)
			return &s->list_types[i];
	return NULL;
}

const xy_memorandum *xy_sanctions_memorandum(const xy_sanctions *s, const char *doc)
{
	for (size_t i = 0; i < s->nmemoranda; i++)
		if (strcmp(s->memoranda[i].doc, doc) == 0)
			return &s->memoranda[i];
	return NULL;
}

const xy_measure *xy_memorandum_measure(const xy_memorandum *m, int number)
{
	for (size_t i = 0; i < m->nmeasures; i++)
		if (m->measures[i].number == number)
			return &m->measures[i];
	return NULL;
}

/* ---- matters.tsv ---- */

xy_code xy_sanctions_load_matters(xy_sanctions *s, const char *path, xy_error *err)
{
	static const char *const hdr[] = { "code", "name", "description" };
	size_t n0 = s->nmatters;
	tsv t;
	xy_code rc = tsv_open(&t, path, err);
	if (rc)
		return rc;
	if ((rc = tsv_header(&t, hdr, NELEM(hdr), err)))
		goto out;
	while (tsv_next(&t)) {
		const char *code = col(&t, 0), *name = col(&t, 1);
		xy_matter *v, *m;
		if ((rc = check_ncol(&t, NELEM(hdr), err)))
			goto out;
		if (!*code || strspn(code, "abcdefghijklmnopqrstuvwxyz0123456789_") != strlen(code)) {
			rc = BAD(&t, "code", "matter code must be lower-case ASCII, not '%s'", code);
			goto out;
		}
		if (!*name) {
			rc = BAD(&t, "name", "empty matter name");
			goto out;
		}
		if (xy_sanctions_matter(s, code) || xy_sanctions_matter(s, name)) {
			rc = BAD(&t, xy_sanctions_matter(s, code) ? "code" : "name",
				 "matter '%s' / '%s' defined twice", code, name);
			goto out;
		}
		if (!(v = push(s->matters, &s->nmatters, sizeof *v))) {
			rc = NOMEM();
			goto out;
		}
		s->matters = v;
		m = &v[s->nmatters - 1];
		if (!(m->code = strdup(code)) || !(m->name = strdup(name)) ||
		    !(m->description = strdup(col(&t, 2)))) {
			rc = NOMEM();
			goto out;
		}
	}
out:
	tsv_close(&t);
	if (rc) { /* whole file or nothing */
		for (size_t i = n0; i < s->nmatters; i++)
			matter_free(&s->matters[i]);
		s->nmatters = n0;
	}
	return rc;
}

/* ---- list-types.tsv ---- */

/* "0", "N" (days), "Nd", "Nm", "Ny"; N < 1000. */
static int parse_validity(const char *s, int *n, char *unit)
{
	size_t d = strspn(s, "0123456789");
	if (d == 0 || d > 3)
		return -1;
	*n = atoi(s);
	*unit = 'd';
	if (s[d] == '\0')
		return 0;
	if (s[d + 1] != '\0' || !strchr("dmy", s[d]))
		return -1;
	*unit = s[d];
	return 0;
}

xy_code xy_sanctions_load_list_types(xy_sanctions *s, const xy_registry *reg, const char *path,
				     xy_error *err)
{
	static const char *const hdr[] = { "name", "kind", "unit", "basis", "validity",
					   "exit", "national", "category" };
	size_t n0 = s->nlist_types;
	tsv t;
	xy_code rc = tsv_open(&t, path, err);
	if (rc)
		return rc;
	if ((rc = tsv_header(&t, hdr, NELEM(hdr), err)))
		goto out;
	while (tsv_next(&t)) {
		xy_list_type lt, *v;
		const char *unit = col(&t, 2), *nat = col(&t, 6), *cat = col(&t, 7);
		memset(&lt, 0, sizeof lt);
		if ((rc = check_ncol(&t, NELEM(hdr), err)))
			goto out;
		if (!*col(&t, 0) || xy_sanctions_list_type(s, col(&t, 0))) {
			rc = BAD(&t, "name", "empty or duplicate list type '%s'", col(&t, 0));
			goto out;
		}
		if (xy_list_kind_parse(col(&t, 1), &lt.kind)) {
			rc = BAD(&t, "kind", "list kind is red, black or watch, not '%s'", col(&t, 1));
			goto out;
		}
		if (*unit && !xy_registry_unit(reg, unit)) {
			rc = BAD(&t, "unit", "unknown unit '%s' (units.tsv)", unit);
			goto out;
		}
		if (parse_validity(col(&t, 4), &lt.validity, &lt.validity_unit)) {
			rc = BAD(&t, "validity", "validity is 0, N, Nd, Nm or Ny, not '%s'", col(&t, 4));
			goto out;
		}
		if (strcmp(nat, "yes") != 0 && strcmp(nat, "no") != 0) {
			rc = BAD(&t, "national", "national is yes or no, not '%s'", nat);
			goto out;
		}
		lt.national = strcmp(nat, "yes") == 0;
		if (*cat && !xy_registry_category(reg, cat)) {
			rc = BAD(&t, "category", "unknown category '%s' (categories.tsv)", cat);
			goto out;
		}
		if (!(v = push(s->list_types, &s->nlist_types, sizeof *v))) {
			rc = NOMEM();
			goto out;
		}
		s->list_types = v;
		lt.name = strdup(col(&t, 0));
		lt.unit = strdup(unit);
		lt.basis = strdup(col(&t, 3));
		lt.exit = strdup(col(&t, 5));
		lt.category = strdup(cat);
		v[s->nlist_types - 1] = lt;
		if (!lt.name || !lt.unit || !lt.basis || !lt.exit || !lt.category) {
			rc = NOMEM();
			goto out;
		}
	}
out:
	tsv_close(&t);
	if (rc) {
		for (size_t i = n0; i < s->nlist_types; i++)
			list_type_free(&s->list_types[i]);
		s->nlist_types = n0;
	}
	return rc;
}

/* ---- memoranda ---- */

enum { C_NUMBER, C_TEXT, C_KIND, C_UNITS, C_TARGET, C_MATTERS, C_BASIS, C_CONDITION, C_N };
static const char *const measure_cols[C_N] = { "number", "text", "kind", "units", "target",
					       "matters", "basis", "condition" };

/* A header-block line "key<TAB>value". */
static xy_code memo_key(xy_memorandum *m, const xy_sanctions *s, const xy_registry *reg,
			const tsv *t, xy_error *err)
{
	const char *key = col(t, 0), *val = col(t, 1);
	char **slot = NULL;
	xy_code rc;
	if (t->ncol != 2)
		return BAD(t, key, "a header line is key<TAB>value");
	if (strcmp(key, "doc") == 0)
		slot = &m->doc;
	else if (strcmp(key, "title") == 0)
		slot = &m->title;
	else if (strcmp(key, "date") == 0)
		slot = &m->date;
	else if (strcmp(key, "source") == 0)
		slot = &m->source;
	if (slot) {
		if (*slot)
			return BAD(t, key, "%s given twice", key);
		if (!(*slot = strdup(val)))
			return NOMEM();
		if (strcmp(key, "date") == 0 && *val) {
			/* as precisely as known: YYYY, YYYY-MM or YYYY-MM-DD */
			char probe[11];
			size_t n = strlen(val);
			bool ok = (n == 4 || n == 7 || n == 10) && n < sizeof probe;
			if (ok) {
				memcpy(probe, val, n);
				if (n == 4)
					memcpy(probe + 4, "-01-01", 7);
				else if (n == 7)
					memcpy(probe + 7, "-01", 4);
				else
					probe[10] = '\0';
				ok = iso_date(probe);
			}
			if (!ok)
				return BAD(t, key, "date is YYYY, YYYY-MM or YYYY-MM-DD, not '%s'", val);
		}
		return XY_OK;
	}
	if (strcmp(key, "signatories") == 0) {
		if (m->signatories)
			return BAD(t, key, "%s given twice", key);
		if ((rc = split_bar(val, &m->signatories, &m->nsignatories)))
			return rc == XY_ERR_NOMEM ? NOMEM() : BAD(t, key, "empty item in '%s'", val);
		for (size_t i = 0; i < m->nsignatories; i++)
			if (!xy_registry_unit(reg, m->signatories[i]))
				return BAD(t, key, "unknown unit '%s' (units.tsv)", m->signatories[i]);
		return XY_OK;
	}
	if (strcmp(key, "list_types") == 0) {
		if (m->list_types)
			return BAD(t, key, "%s given twice", key);
		if ((rc = split_bar(val, &m->list_types, &m->nlist_types)))
			return rc == XY_ERR_NOMEM ? NOMEM() : BAD(t, key, "empty item in '%s'", val);
		for (size_t i = 0; i < m->nlist_types; i++)
			if (!xy_sanctions_list_type(s, m->list_types[i]))
				return BAD(t, key, "unknown list type '%s' (list-types.tsv)",
					   m->list_types[i]);
		return XY_OK;
	}
	return BAD(t, key, "unknown header key '%s' (doc, title, date, source, signatories, "
		   "list_types), nor a measure column", key);
}

static xy_code memo_columns(const tsv *t, int where[C_N], xy_error *err)
{
	for (size_t c = 0; c < C_N; c++)
		where[c] = -1;
	if (t->toomany)
		return BAD(t, NULL, "more than %d columns", XY_TSV_MAXCOL);
	for (size_t i = 0; i < t->ncol; i++) {
		int c = lookup(measure_cols, C_N, t->col[i]);
		if (c < 0)
			return BAD(t, t->col[i], "unknown column '%s'", t->col[i]);
		if (where[c] >= 0)
			return BAD(t, t->col[i], "column '%s' twice", t->col[i]);
		where[c] = (int)i;
	}
	for (size_t c = 0; c < C_CONDITION; c++)
		if (where[c] < 0)
			return BAD(t, measure_cols[c], "missing column '%s'", measure_cols[c]);
	return XY_OK;
}

static xy_code memo_measure(xy_memorandum *m, const xy_sanctions *s, const xy_registry *reg,
			    const tsv *t, const int where[C_N], size_t ncols, xy_error *err)
{
#define CELL(c) (where[c] >= 0 ? col(t, (size_t)where[c]) : "")
	const char *num = CELL(C_NUMBER);
	xy_measure *v, *me;
	char **tv = NULL;
	size_t nt = 0;
	xy_code rc;
	if (t->toomany || t->ncol > ncols)
		return BAD(t, NULL, "more columns than the header line (%zu)", ncols);
	if (!(v = push(m->measures, &m->nmeasures, sizeof *v)))
		return NOMEM();
	m->measures = v;
	me = &v[m->nmeasures - 1];
	if (!*num || strlen(num) > 4 || strspn(num, "0123456789") != strlen(num) || atoi(num) < 1)
		return BAD(t, "number", "measure number must be 1..9999, not '%s'", num);
	me->number = atoi(num);
	if (xy_memorandum_measure(m, me->number) != me)
		return BAD(t, "number", "measure %d given twice", me->number);
	if (!(me->text = strdup(CELL(C_TEXT))) || !(me->basis = strdup(CELL(C_BASIS))) ||
	    !(me->condition = strdup(CELL(C_CONDITION))))
		return NOMEM();
	if (!*me->text)
		return BAD(t, "text", "measure %d has no text", me->number);
	if (!*me->basis)
		return BAD(t, "basis", "measure %d has no legal basis", me->number);
	if (xy_measure_kind_parse(CELL(C_KIND), &me->kind))
		return BAD(t, "kind", "measure kind is 惩戒 or 激励, not '%s'", CELL(C_KIND));

	if ((rc = split_bar(CELL(C_UNITS), &me->units, &me->nunits)))
		return rc == XY_ERR_NOMEM ? NOMEM() : BAD(t, "units", "empty item in '%s'", CELL(C_UNITS));
	if (!me->nunits)
		return BAD(t, "units", "measure %d has no implementing unit", me->number);
	for (size_t i = 0; i < me->nunits; i++) {
		if (!xy_registry_unit(reg, me->units[i]))
			return BAD(t, "units", "measure %d: unknown unit '%s' (units.tsv)",
				   me->number, me->units[i]);
		for (size_t j = 0; j < i; j++)
			if (strcmp(me->units[i], me->units[j]) == 0)
				return BAD(t, "units", "measure %d names unit '%s' twice", me->number,
					   me->units[i]);
	}

	if ((rc = split_bar(CELL(C_MATTERS), &me->matters, &me->nmatters)))
		return rc == XY_ERR_NOMEM ? NOMEM() : BAD(t, "matters", "empty item in '%s'", CELL(C_MATTERS));
	if (!me->nmatters)
		return BAD(t, "matters", "measure %d has no matter", me->number);
	for (size_t i = 0; i < me->nmatters; i++) {
		const xy_matter *mt = xy_sanctions_matter(s, me->matters[i]);
		char *code;
		if (!mt)
			return BAD(t, "matters", "measure %d: unknown matter '%s' (matters.tsv)",
				   me->number, me->matters[i]);
		if (strcmp(mt->code, me->matters[i]) != 0) { /* written by name: keep the code */
			if (!(code = strdup(mt->code)))
				return NOMEM();
			free(me->matters[i]);
			me->matters[i] = code;
		}
	}

	if ((rc = split_bar(CELL(C_TARGET), &tv, &nt))) {
		free_strv(tv, nt);
		return rc == XY_ERR_NOMEM ? NOMEM() : BAD(t, "target", "empty item in '%s'", CELL(C_TARGET));
	}
	for (size_t i = 0; i < nt; i++) {
		xy_target tg;
		if (xy_target_parse(tv[i], &tg)) {
			rc = BAD(t, "target", "target is 单位, 法定代表人, 主要负责人 or 直接责任人, "
				 "not '%s'", tv[i]);
			break;
		}
		me->targets |= (unsigned)tg;
	}
	free_strv(tv, nt);
	if (!rc && !me->targets)
		rc = BAD(t, "target", "measure %d has no target", me->number);
	return rc;
#undef CELL
}

/* The memorandum in t (opened; closed here): added, or with `old` set, put in
 * the place of the loaded one with its doc, which goes to *old. */
static xy_code load_memo(xy_sanctions *s, const xy_registry *reg, tsv *t_, xy_memorandum *old,
			 xy_error *err)
{
	xy_memorandum m, *v;
	int where[C_N];
	size_t ncols = 0;
	bool in_measures = false;
	tsv t = *t_;
	const char *path = t.path;
	xy_code rc = XY_OK;

	memset(&m, 0, sizeof m);
	while (tsv_next(&t)) {
		if (in_measures)
			rc = memo_measure(&m, s, reg, &t, where, ncols, err);
		else if (lookup(measure_cols, C_N, col(&t, 0)) >= 0) { /* the measures' header */
			rc = memo_columns(&t, where, err);
			ncols = t.ncol;
			in_measures = true;
		} else {
			rc = memo_key(&m, s, reg, &t, err);
		}
		if (rc)
			goto out;
	}
	t.line = 0; /* what is missing concerns the whole file */
	if (!m.doc || !*m.doc)
		rc = BAD(&t, "doc", "no document number (doc)");
	else if (!m.title || !*m.title)
		rc = BAD(&t, "title", "no title");
	else if (!m.nlist_types)
		rc = BAD(&t, "list_types", "no list type: a memorandum applies to at least one");
	else if (!m.nsignatories)
		rc = BAD(&t, "signatories", "no signatory unit");
	else if (!m.nmeasures)
		rc = BAD(&t, "number", "no measures");
	else if (!old && xy_sanctions_memorandum(s, m.doc))
		rc = BAD(&t, "doc", "memorandum %s is already loaded (a corrected version: --replace)",
			 m.doc);
	else if (old && !xy_sanctions_memorandum(s, m.doc))
		rc = xy_error_at(err, XY_ERR_NOTFOUND, path, 0, "doc",
				 "memorandum %s is not loaded: nothing to replace", m.doc);
	if (rc)
		goto out;
	if ((!m.date && !(m.date = strdup(""))) || (!m.source && !(m.source = strdup(""))) ||
	    !(m.file = strdup(path))) {
		rc = NOMEM();
		goto out;
	}
	if (old) {
		xy_memorandum *at = (xy_memorandum *)xy_sanctions_memorandum(s, m.doc);
		*old = *at;
		*at = m;
		memset(&m, 0, sizeof m);
		goto out;
	}
	if (!(v = realloc(s->memoranda, (s->nmemoranda + 1) * sizeof *v))) {
		rc = NOMEM();
		goto out;
	}
	s->memoranda = v;
	v[s->nmemoranda++] = m;
	memset(&m, 0, sizeof m);
out:
	tsv_close(&t);
	memo_free(&m);
	return rc;
}

xy_code xy_sanctions_load_memorandum(xy_sanctions *s, const xy_registry *reg, const char *path,
				     xy_error *err)
{
	tsv t;
	xy_code rc;
	if ((rc = tsv_open(&t, path, err)))
		return rc;
	return load_memo(s, reg, &t, NULL, err);
}

/* A memorandum from text: added, or replacing the loaded one (old set). */
static xy_code memo_text(xy_sanctions *s, const xy_registry *reg, const char *name,
			 const char *text, size_t len, xy_memorandum *old, xy_error *err)
{
	tsv t;
	xy_code rc;
	if (len > FILE_MAX)
		return xy_error_at(err, XY_ERR_CONFIG, name, 0, NULL, "larger than %u bytes",
				   FILE_MAX);
	if ((rc = xy_tsv_open_text(&t, name, text, len, err)))
		return rc;
	return load_memo(s, reg, &t, old, err);
}

xy_code xy_sanctions_load_memorandum_text(xy_sanctions *s, const xy_registry *reg,
					  const char *name, const char *text, size_t len,
					  xy_error *err)
{
	return memo_text(s, reg, name, text, len, NULL, err);
}

xy_code xy_sanctions_replace_memorandum_text(xy_sanctions *s, const xy_registry *reg,
					     const char *name, const char *text, size_t len,
					     xy_memorandum *old, xy_error *err)
{
	memset(old, 0, sizeof *old);
	return memo_text(s, reg, name, text, len, old, err);
}

void xy_sanctions_memorandum_put_back(xy_sanctions *s, xy_memorandum *old)
{
	xy_memorandum *at = old->doc ? (xy_memorandum *)xy_sanctions_memorandum(s, old->doc) : NULL;
	if (at) {
		memo_free(at);
		*at = *old;
	} else {
		memo_free(old);
	}
	memset(old, 0, sizeof *old);
}

void xy_memorandum_release(xy_memorandum *m)
{
	memo_free(m);
	memset(m, 0, sizeof *m);
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

xy_code xy_sanctions_load_dir(xy_sanctions *s, const xy_registry *reg, const char *dir,
			      xy_error *err)
{
	xy_buf path = XY_BUF_INIT;
	char **names = NULL;
	size_t nnames = 0;
	DIR *d = NULL;
	struct dirent *de;
	xy_code rc;

	if ((rc = xy_buf_addf(&path, "%s/matters.tsv", dir)) ||
	    (rc = xy_sanctions_load_matters(s, path.data, err)))
		goto out;
	xy_buf_reset(&path);
	if ((rc = xy_buf_addf(&path, "%s/list-types.tsv", dir)) ||
	    (rc = xy_sanctions_load_list_types(s, reg, path.data, err)))
		goto out;
	xy_buf_reset(&path);
	if ((rc = xy_buf_addf(&path, "%s/memoranda", dir)))
		goto out;
	if (!(d = opendir(path.data))) {
		if (errno != ENOENT)
			rc = xy_error_at(err, XY_ERR_IO, path.data, 0, NULL, "cannot open: %s",
					 strerror(errno));
		goto out;
	}
	while ((de = readdir(d))) {
		size_t n = strlen(de->d_name);
		char **nv;
		if (de->d_name[0] == '.' || n < 5 || strcmp(de->d_name + n - 4, ".tsv") != 0)
			continue;
		if (!(nv = realloc(names, (nnames + 1) * sizeof *nv)) ||
		    !(nv[nnames] = strdup(de->d_name))) {
			if (nv)
				names = nv;
			rc = NOMEM();
			goto out;
		}
		names = nv;
		nnames++;
	}
	qsort(names, nnames, sizeof *names, cmp_str);
	for (size_t i = 0; i < nnames && !rc; i++) {
		xy_buf_reset(&path);
		if (!(rc = xy_buf_addf(&path, "%s/memoranda/%s", dir, names[i])))
			rc = xy_sanctions_load_memorandum(s, reg, path.data, err);
	}
out:
	if (rc == XY_ERR_NOMEM && err && err->code != XY_ERR_NOMEM)
		NOMEM();
	if (d)
		closedir(d);
	free_strv(names, nnames);
	xy_buf_release(&path);
	if (rc)
		xy_sanctions_release(s);
	return rc;
}

/* ---- dates of entries ---- */

static int days_in_month(int y, int m)
{
	static const int md[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	return md[m - 1] + (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0));
}

xy_code xy_list_type_end(const xy_list_type *lt, const char *from, char out[11])
{
	int y, m, d;
	out[0] = '\0';
	if (!iso_date(from))
		return XY_ERR_INVALID;
	if (lt->validity == 0)
		return XY_OK;
	y = atoi(from);
	m = atoi(from + 5);
	d = atoi(from + 8);
	if (lt->validity_unit == 'd') {
		xy_date_from_days(xy_date_days(y, m, d) + lt->validity, &y, &m, &d);
	} else {
		long months = (long)m - 1 + (lt->validity_unit == 'y' ? 12L : 1L) * lt->validity;
		y += (int)(months / 12);
		m = (int)(months % 12) + 1;
		if (d > days_in_month(y, m))
			d = days_in_month(y, m);
	}
	if (!xy_date_valid(y, m, d))
		return XY_ERR_INVALID;
	/* the modulos keep -Wformat-truncation quiet; the date is valid */
	snprintf(out, 11, "%04u-%02u-%02u", (unsigned)y % 10000u, (unsigned)m % 100u,
		 (unsigned)d % 100u);
	return XY_OK;
}

xy_code xy_list_entry_check(const xy_list_entry *e, xy_error *err)
{
	if (empty(e->list_type))
		return xy_error_at(err, XY_ERR_INVALID, NULL, 0, "list_type", "entry has no list type");
	if (!iso_date(e->from))
		return xy_error_at(err, XY_ERR_INVALID, NULL, 0, "from",
				   "start date '%s' is not YYYY-MM-DD", e->from ? e->from : "");
	if (!empty(e->to) && !iso_date(e->to))
		return xy_error_at(err, XY_ERR_INVALID, NULL, 0, "to",
				   "end date '%s' is not YYYY-MM-DD", e->to);
	if (!empty(e->to) && strcmp(e->to, e->from) < 0)
		return xy_error_at(err, XY_ERR_INVALID, NULL, 0, "to",
				   "end date %s is before start date %s", e->to, e->from);
	if ((unsigned)e->exit > XY_EXIT_WITHDRAW)
		return xy_error_at(err, XY_ERR_INVALID, NULL, 0, "exit", "unknown exit %d", (int)e->exit);
	if (e->exit != XY_EXIT_NONE && !iso_date(e->exit_date))
		return xy_error_at(err, XY_ERR_INVALID, NULL, 0, "exit_date",
				   "exit %s has no valid exit date", xy_exit_name(e->exit));
	if (e->exit == XY_EXIT_NONE && !empty(e->exit_date))
		return xy_error_at(err, XY_ERR_INVALID, NULL, 0, "exit_date",
				   "exit date %s without an exit", e->exit_date);
	if (e->via != XY_VIA_OWN && e->via != XY_VIA_PERSON && e->via != XY_VIA_ENTERPRISE)
		return xy_error_at(err, XY_ERR_INVALID, NULL, 0, "via", "unknown via %d", (int)e->via);
	if (e->via != XY_VIA_OWN && e->role != XY_TARGET_LEGAL_REP &&
	    e->role != XY_TARGET_PRINCIPAL && e->role != XY_TARGET_RESPONSIBLE)
		return xy_error_at(err, XY_ERR_INVALID, NULL, 0, "role",
				   "an entry reached through a person needs the person's role "
				   "(法定代表人, 主要负责人 or 直接责任人)");
	return XY_OK;
}

xy_entry_status xy_entry_status_on(const xy_list_entry *e, const char *date)
{
	bool ends = !empty(e->to);
	if (strcmp(date, e->from) < 0)
		return XY_ENTRY_PENDING;
	if (e->exit != XY_EXIT_NONE && !empty(e->exit_date) && strcmp(e->exit_date, date) <= 0 &&
	    (!ends || strcmp(e->exit_date, e->to) <= 0))
		return XY_ENTRY_EXITED;
	if (ends && strcmp(date, e->to) > 0)
		return XY_ENTRY_EXPIRED;
	return XY_ENTRY_ACTIVE;
}

/* ---- the check ---- */

void xy_sanction_hits_release(xy_sanction_hits *h)
{
	free(h->v);
	h->v = NULL;
	h->n = 0;
}

static bool has(char *const *v, size_t n, const char *s)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(v[i], s) == 0)
			return true;
	return false;
}

/* Do the measure's targets fit the way the entry reaches the subject? */
static bool target_fits(const xy_measure *me, const xy_list_entry *e)
{
	switch (e->via) {
	case XY_VIA_OWN:
		return me->targets & XY_TARGET_UNIT;
	case XY_VIA_PERSON:
		return me->targets & (unsigned)e->role;
	case XY_VIA_ENTERPRISE:
	default:
		return false;
	}
}

xy_code xy_sanctions_resolve(const xy_sanctions *s, const char *unit, const char *matter,
			     const char *date, const xy_list_entry *entries, size_t nentries,
			     xy_sanction_hits *out, xy_error *err)
{
	const xy_matter *mt = NULL;
	xy_error sub = XY_ERROR_INIT;
	out->v = NULL;
	out->n = 0;
	if (empty(unit))
		return xy_error_at(err, XY_ERR_ARG, NULL, 0, "unit", "no unit given");
	if (!iso_date(date))
		return xy_error_at(err, XY_ERR_ARG, NULL, 0, "date", "date '%s' is not YYYY-MM-DD",
				   date ? date : "");
	if (!empty(matter) && !(mt = xy_sanctions_matter(s, matter)))
		return xy_error_at(err, XY_ERR_NOTFOUND, NULL, 0, "matter",
				   "unknown matter '%s' (matters.tsv)", matter);
	for (size_t i = 0; i < nentries; i++)
		if (xy_list_entry_check(&entries[i], &sub))
			return xy_error_at(err, XY_ERR_INVALID, NULL, (long)i + 1, sub.field,
					   "entry %zu (%s): %s", i + 1,
					   entries[i].doc ? entries[i].doc : "", sub.msg);

	for (size_t i = 0; i < nentries; i++) {
		const xy_list_entry *e = &entries[i];
		if (xy_entry_status_on(e, date) != XY_ENTRY_ACTIVE)
			continue;
		for (size_t k = 0; k < s->nmemoranda; k++) {
			const xy_memorandum *m = &s->memoranda[k];
			if (!has(m->list_types, m->nlist_types, e->list_type))
				continue;
			for (size_t j = 0; j < m->nmeasures; j++) {
				const xy_measure *me = &m->measures[j];
				xy_sanction_hit *v;
				if (!has(me->units, me->nunits, unit) ||
				    (mt && !has(me->matters, me->nmatters, mt->code)) ||
				    !target_fits(me, e))
					continue;
				if (!(v = realloc(out->v, (out->n + 1) * sizeof *v))) {
					xy_sanction_hits_release(out);
					return NOMEM();
				}
				out->v = v;
				v[out->n++] = (xy_sanction_hit){ m, me, i };
			}
		}
	}
	return XY_OK;
}
