/* xinyong: credit grading (信用分级分类) — the model the office edits and the
 * run that grades every subject (grade.h, docs/grading.md).
 *
 * A run reads the facts of each indicator and rule with one query over the
 * whole table (xy_store_grade_facts), sorts them by subject in memory, then
 * walks the subjects in id order once, so the cost is one pass over the
 * facts plus one INSERT per subject, never a query per subject. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sodium.h>

#include "xinyong/auth.h"
#include "xinyong/date.h"
#include "xinyong/grade.h"
#include "xinyong/reader.h"
#include "xinyong/text.h"
#include "xinyong/tsv.h"

#define MODEL_LIMIT (1u << 20)
#define DAYS_PER_MONTH 30.436875

static char *dup(const char *s)
{
	size_t n = strlen(s) + 1;
	char *p = malloc(n);
	if (p)
		memcpy(p, s, n);
	return p;
}

void xy_grade_model_release(xy_grade_model *m)
{
	if (!m)
		return;
	free(m->name);
	free(m->text);
	for (size_t i = 0; i < m->ngroups; i++) {
		free(m->groups[i].code);
		free(m->groups[i].name);
	}
	free(m->groups);
	for (size_t i = 0; i < m->nindicators; i++) {
		free(m->indicators[i].code);
		free(m->indicators[i].name);
		free(m->indicators[i].arg);
	}
	free(m->indicators);
	free(m->bands);
	for (size_t i = 0; i < m->nforces; i++)
		free(m->forces[i].arg);
	free(m->forces);
	memset(m, 0, sizeof *m);
}

/* ---- parsing ---- */

typedef struct parse {
	xy_tsv *t;
	const char *file;
	xy_error *err;
} parse;

static xy_code bad(parse *p, const char *field, const char *fmt, const char *v)
{
	return xy_error_at(p->err, XY_ERR_CONFIG, p->file, p->t->line, field, fmt, v);
}

/* A number with at most two decimals into centi-units: "12.5" → 1250. */
static bool centi(const char *s, long *out)
{
	long whole = 0, frac = 0;
	int digits = 0, fd = 0;
	bool neg = false;
	if (*s == '-' || *s == '+')
		neg = *s++ == '-';
	for (; *s >= '0' && *s <= '9'; s++, digits++) {
		if (whole > 100000000L)
			return false;
		whole = whole * 10 + (*s - '0');
	}
	if (*s == '.')
		for (s++; *s >= '0' && *s <= '9'; s++, fd++) {
			if (fd >= 2)
				return false;
			frac = frac * 10 + (*s - '0');
		}
	if (*s || (digits == 0 && fd == 0))
		return false;
	if (fd == 1)
		frac *= 10;
	*out = (whole * 100 + frac) * (neg ? -1 : 1);
	return true;
}

static bool whole_number(const char *s, long lo, long hi, long *out)
{
	char *end;
	long v;
	if (!*s)
		return false;
	v = strtol(s, &end, 10);
	if (*end || v < lo || v > hi)
		return false;
	*out = v;
	return true;
}

/* "category:行政处罚", "list:black", "listtype:NAME", "commitment:kept". */
static xy_code source(parse *p, const char *field, const char *v, const xy_registry *reg,
		      const xy_sanctions *cat, xy_grade_source *src, char **arg)
{
	const char *colon = strchr(v, ':');
	const char *a = colon ? colon + 1 : "";
	size_t k = colon ? (size_t)(colon - v) : strlen(v);
	if (k == 8 && !strncmp(v, "category", k)) {
		const xy_category *c = reg ? xy_registry_category(reg, a) : NULL;
		if (reg && !c)
			return bad(p, field, "unknown category in source '%s' (未知的信息类别)", v);
		*src = XY_GSRC_CATEGORY;
		if (c)
			a = c->name;
	} else if (k == 4 && !strncmp(v, "list", k)) {
		if (strcmp(a, "black") && strcmp(a, "red") && strcmp(a, "watch"))
			return bad(p, field,
				   "list kind must be black, red or watch in source '%s'"
				   " (名单类型应为 black/red/watch)",
				   v);
		*src = XY_GSRC_LIST_KIND;
	} else if (k == 8 && !strncmp(v, "listtype", k)) {
		if (!*a || (cat && !xy_sanctions_list_type(cat, a)))
			return bad(p, field, "unknown list type in source '%s' (未知的名单)", v);
		*src = XY_GSRC_LIST_TYPE;
	} else if (k == 10 && !strncmp(v, "commitment", k) &&
		   (!strcmp(a, "kept") || !strcmp(a, "broken"))) {
		*src = strcmp(a, "kept") ? XY_GSRC_BROKEN : XY_GSRC_KEPT;
	} else {
		return bad(p, field,
			   "unknown source '%s': use category:NAME, list:black|red|watch,"
			   " listtype:NAME or commitment:kept|broken (未知的数据来源)",
			   v);
	}
	if (!(*arg = dup(a)))
		return xy_error_set(p->err, XY_ERR_NOMEM, "out of memory");
	return XY_OK;
}

static bool grade_letter(const char *v)
{
	return v[0] >= 'A' && v[0] <= 'Z' && !v[1];
}

#define GROW(arr, n)                                                               \
	do {                                                                       \
		void *g_ = realloc((arr), ((n) + 1) * sizeof *(arr));              \
		if (!g_)                                                           \
			return xy_error_set(p->err, XY_ERR_NOMEM, "out of memory"); \
		(arr) = g_;                                                        \
		memset(&(arr)[(n)], 0, sizeof *(arr));                             \
	} while (0)

static xy_code group_line(parse *p, xy_grade_model *m)
{
	const xy_tsv *t = p->t;
	xy_grade_group *g;
	const char *code = xy_tsv_col(t, 1);
	if (!*code || !*xy_tsv_col(t, 2))
		return bad(p, "group", "a group needs a code and a name%s (指标组需有代码和名称)", "");
	for (size_t i = 0; i < m->ngroups; i++)
		if (!strcmp(m->groups[i].code, code))
			return bad(p, "group", "group '%s' is declared twice (指标组重复)", code);
	GROW(m->groups, m->ngroups);
	g = &m->groups[m->ngroups++];
	g->line = t->line;
	if (!(g->code = dup(code)) || !(g->name = dup(xy_tsv_col(t, 2))))
		return xy_error_set(p->err, XY_ERR_NOMEM, "out of memory");
	if (!whole_number(xy_tsv_col(t, 3), 0, 100, &g->weight))
		return bad(p, "weight", "weight must be a whole percent 0–100, not '%s' (权重)",
			   xy_tsv_col(t, 3));
	if (!centi(xy_tsv_col(t, 4), &g->start) || g->start < 0 || g->start > 10000)
		return bad(p, "start", "start must be a number 0–100, not '%s' (起始分)",
			   xy_tsv_col(t, 4));
	return XY_OK;
}

static xy_code indicator_line(parse *p, xy_grade_model *m, const xy_registry *reg,
			      const xy_sanctions *cat)
{
	const xy_tsv *t = p->t;
	xy_grade_indicator *in;
	const char *group = xy_tsv_col(t, 1);
	long v;
	size_t gi = m->ngroups;
	xy_code rc;
	for (size_t i = 0; i < m->ngroups; i++)
		if (!strcmp(m->groups[i].code, group))
			gi = i;
	if (gi == m->ngroups)
		return bad(p, "group", "unknown group '%s': declare it on a group line first (未知的指标组)",
			   group);
	if (!*xy_tsv_col(t, 2) || !*xy_tsv_col(t, 3))
		return bad(p, "indicator", "an indicator needs a code and a name%s (指标需有代码和名称)",
			   "");
	for (size_t i = 0; i < m->nindicators; i++)
		if (!strcmp(m->indicators[i].code, xy_tsv_col(t, 2)))
			return bad(p, "indicator", "indicator '%s' is declared twice (指标重复)",
				   xy_tsv_col(t, 2));
	GROW(m->indicators, m->nindicators);
	in = &m->indicators[m->nindicators++];
	in->group = gi;
	in->line = t->line;
	if (!(in->code = dup(xy_tsv_col(t, 2))) || !(in->name = dup(xy_tsv_col(t, 3))))
		return xy_error_set(p->err, XY_ERR_NOMEM, "out of memory");
	if ((rc = source(p, "source", xy_tsv_col(t, 4), reg, cat, &in->source, &in->arg)))
		return rc;
	if (!whole_number(xy_tsv_col(t, 5), 0, 1200, &v))
		return bad(p, "window", "window must be whole months 0–1200, not '%s' (时间窗口)",
			   xy_tsv_col(t, 5));
	in->window = (int)v;
	if ((in->source == XY_GSRC_CATEGORY || in->source == XY_GSRC_KEPT ||
	     in->source == XY_GSRC_BROKEN) &&
	    in->window == 0)
		return bad(p, "window", "a %s source needs a window of at least 1 month (时间窗口)",
			   in->source == XY_GSRC_CATEGORY ? "category" : "commitment");
	if (!centi(xy_tsv_col(t, 6), &in->points) || in->points == 0 || labs(in->points) > 10000)
		return bad(p, "points",
			   "points must be a non-zero number -100–100, not '%s' (每条分值)",
			   xy_tsv_col(t, 6));
	if (!centi(xy_tsv_col(t, 7), &in->cap) || in->cap < 0 || in->cap > 10000)
		return bad(p, "cap", "cap must be a number 0–100 (0: none), not '%s' (上限)",
			   xy_tsv_col(t, 7));
	if (!whole_number(xy_tsv_col(t, 8), 0, 1200, &v))
		return bad(p, "half_life",
			   "half_life must be whole months 0–1200 (0: no decay), not '%s' (衰减半衰期)",
			   xy_tsv_col(t, 8));
	in->half_life = (int)v;
	return XY_OK;
}

static xy_code band_line(parse *p, xy_grade_model *m)
{
	const xy_tsv *t = p->t;
	xy_grade_band *b;
	if (!grade_letter(xy_tsv_col(t, 1)))
		return bad(p, "grade", "a grade is one capital letter, not '%s' (等级)",
			   xy_tsv_col(t, 1));
	for (size_t i = 0; i < m->nbands; i++)
		if (!strcmp(m->bands[i].grade, xy_tsv_col(t, 1)))
			return bad(p, "grade", "band '%s' is declared twice (等级重复)", xy_tsv_col(t, 1));
	if (m->nbands >= 8)
		return bad(p, "grade", "at most 8 bands%s (等级最多8个)", "");
	GROW(m->bands, m->nbands);
	b = &m->bands[m->nbands++];
	b->line = t->line;
	b->grade[0] = xy_tsv_col(t, 1)[0];
	if (!centi(xy_tsv_col(t, 2), &b->lo) || b->lo < 0 || b->lo > 10000)
		return bad(p, "lo", "lo must be a score 0–100, not '%s' (下限)", xy_tsv_col(t, 2));
	if (!centi(xy_tsv_col(t, 3), &b->hi) || b->hi <= b->lo || b->hi > 10000)
		return bad(p, "hi", "hi must be a score above lo, at most 100, not '%s' (上限)",
			   xy_tsv_col(t, 3));
	return XY_OK;
}

static xy_code force_line(parse *p, xy_grade_model *m, const xy_registry *reg,
			  const xy_sanctions *cat)
{
	const xy_tsv *t = p->t;
	xy_grade_force *f;
	if (!grade_letter(xy_tsv_col(t, 1)))
		return bad(p, "grade", "a grade is one capital letter, not '%s' (等级)",
			   xy_tsv_col(t, 1));
	GROW(m->forces, m->nforces);
	f = &m->forces[m->nforces++];
	f->line = t->line;
	f->grade[0] = xy_tsv_col(t, 1)[0];
	return source(p, "source", xy_tsv_col(t, 2), reg, cat, &f->source, &f->arg);
}

static int band_cmp(const void *a, const void *b)
{
	const xy_grade_band *x = a, *y = b;
	return (x->lo > y->lo) - (x->lo < y->lo);
}

/* Bands cover 0–100 without overlap or gap; weights add up to 100; every
 * force names a band; every group has an indicator or a start. */
static xy_code check(parse *p, xy_grade_model *m)
{
	long sum = 0;
	const char *file = p->file;
	if (!m->name)
		return xy_error_at(p->err, XY_ERR_CONFIG, file, 1, "model",
				   "the model has no 'model' line naming it (缺少模型名称)");
	if (!m->ngroups || !m->nindicators || !m->nbands)
		return xy_error_at(p->err, XY_ERR_CONFIG, file, p->t->line, NULL,
				   "a model needs groups, indicators and bands (模型缺少指标组、指标或等级)");
	for (size_t i = 0; i < m->ngroups; i++)
		sum += m->groups[i].weight;
	if (sum != 100)
		return xy_error_at(p->err, XY_ERR_CONFIG, file, m->groups[m->ngroups - 1].line,
				   "weight",
				   "the groups' weights add up to %ld, not 100 (指标组权重合计应为100)",
				   sum);
	qsort(m->bands, m->nbands, sizeof *m->bands, band_cmp);
	if (m->bands[0].lo != 0)
		return xy_error_at(p->err, XY_ERR_CONFIG, file, m->bands[0].line, "lo",
				   "no band covers scores from 0 (等级区间有缺口)");
	for (size_t i = 1; i < m->nbands; i++) {
		const xy_grade_band *a = &m->bands[i - 1], *b = &m->bands[i];
		if (b->lo < a->hi)
			return xy_error_at(p->err, XY_ERR_CONFIG, file, b->line, "lo",
					   "band %s overlaps band %s (等级区间重叠)", b->grade,
					   a->grade);
		if (b->lo > a->hi)
			return xy_error_at(p->err, XY_ERR_CONFIG, file, b->line, "lo",
					   "gap between band %s and band %s (等级区间有缺口)", a->grade,
					   b->grade);
	}
	if (m->bands[m->nbands - 1].hi != 10000)
		return xy_error_at(p->err, XY_ERR_CONFIG, file, m->bands[m->nbands - 1].line, "hi",
				   "no band covers scores up to 100 (等级区间有缺口)");
	for (size_t i = 0; i < m->nforces; i++) {
		bool known = false;
		for (size_t k = 0; k < m->nbands; k++)
			known |= m->bands[k].grade[0] == m->forces[i].grade[0];
		if (!known)
			return xy_error_at(p->err, XY_ERR_CONFIG, file, m->forces[i].line, "grade",
					   "grade %s has no band (该等级未定义)", m->forces[i].grade);
	}
	return XY_OK;
}

xy_code xy_grade_model_parse(xy_grade_model *out, const char *file, const char *text, size_t len,
			     const xy_registry *reg, const xy_sanctions *cat, xy_error *err)
{
	xy_grade_model m = { 0 };
	xy_tsv t;
	parse p = { &t, file ? file : "model", err };
	unsigned char h[crypto_hash_sha256_BYTES];
	xy_code rc;
	if (!out || !text)
		return xy_error_set(err, XY_ERR_ARG, "xy_grade_model_parse: missing argument");
	if (len > MODEL_LIMIT)
		return xy_error_at(err, XY_ERR_CONFIG, p.file, 0, NULL,
				   "a model is at most 1 MiB (模型文件过大)");
	if ((rc = xy_tsv_open_text(&t, p.file, text, len, err)))
		return rc;
	while (!rc && xy_tsv_next(&t)) {
		const char *kind = xy_tsv_col(&t, 0);
		if (t.toomany)
			rc = bad(&p, NULL, "too many columns%s (列数过多)", "");
		else if (!strcmp(kind, "model")) {
			if (m.name)
				rc = bad(&p, "model", "a second 'model' line%s (模型名称重复)", "");
			else if (!*xy_tsv_col(&t, 1))
				rc = bad(&p, "model", "the model needs a name%s (缺少模型名称)", "");
			else if (!(m.name = dup(xy_tsv_col(&t, 1))))
				rc = xy_error_set(err, XY_ERR_NOMEM, "out of memory");
		} else if (!strcmp(kind, "group"))
			rc = group_line(&p, &m);
		else if (!strcmp(kind, "indicator"))
			rc = indicator_line(&p, &m, reg, cat);
		else if (!strcmp(kind, "band"))
			rc = band_line(&p, &m);
		else if (!strcmp(kind, "force"))
			rc = force_line(&p, &m, reg, cat);
		else
			rc = bad(&p, "kind",
				 "unknown line kind '%s': model, group, indicator, band or force"
				 " (未知的行类型)",
				 kind);
	}
	if (!rc)
		rc = check(&p, &m);
	xy_tsv_close(&t);
	if (!rc && !(m.text = malloc(len + 1)))
		rc = xy_error_set(err, XY_ERR_NOMEM, "out of memory");
	if (rc) {
		xy_grade_model_release(&m);
		return rc;
	}
	memcpy(m.text, text, len);
	m.text[len] = '\0';
	crypto_hash_sha256(h, (const unsigned char *)text, len);
	sodium_bin2hex(m.sha256, sizeof m.sha256, h, sizeof h);
	*out = m;
	return XY_OK;
}

/* Column letters of 0-based column i ("A", "AB") into out[8]. */
static void column_name(size_t i, char out[8])
{
	char r[8];
	size_t n = 0, k = 0;
	for (i++; i && n < sizeof r - 1; i = (i - 1) / 26)
		r[n++] = (char)('A' + (i - 1) % 26);
	while (n)
		out[k++] = r[--n];
	out[k] = '\0';
}

/* The first visible sheet of an XLSX model as the TSV text of the same lines:
 * row N of the sheet is line N (empty rows as empty lines, so errors name the
 * sheet's row), its cells up to the last non-empty one joined by tabs.  A
 * model written as TSV and the same rows saved as XLSX give the same text,
 * hence the same SHA-256 and the same stored model.  label: "PATH [SHEET]",
 * the name the model's errors carry. */
static xy_code sheet_text(const char *path, xy_buf *text, xy_buf *label, xy_error *err)
{
	xy_reader_opts o = { .format = XY_FMT_XLSX, .max_unzipped = 64u << 20 };
	xy_reader *r = NULL;
	const xy_row *row;
	xy_buf sheet = XY_BUF_INIT;
	long line = 0;
	xy_code rc = xy_reader_open(&r, path, &o, err);
	if (rc)
		return rc;
	while (!(rc = xy_reader_next(r, &row, err)) && row) {
		const char *name = row->sheet ? row->sheet : "";
		size_t n = row->ncells;
		if (row->hidden)
			continue;
		if (!label->len && (xy_buf_addstr(&sheet, name) ||
				    xy_buf_addf(label, "%s [%s]", path, name))) {
			rc = xy_error_set(err, XY_ERR_NOMEM, "out of memory");
			break;
		}
		if (strcmp(name, sheet.data))
			break; /* the first visible sheet only: the others are notes */
		if (row->problem) {
			rc = xy_error_at(err, XY_ERR_CONFIG, label->data, row->line, NULL, "%s (%s)",
					 row->problem, row->problem_zh ? row->problem_zh : "");
			break;
		}
		while (n && !row->lens[n - 1])
			n--;
		for (; !rc && line < row->line - 1; line++)
			rc = xy_buf_addch(text, '\n');
		for (size_t i = 0; !rc && i < n; i++) {
			if (row->lens[i] != strcspn(row->cells[i], "\t\r\n")) {
				char col[8], field[16];
				column_name(i, col);
				snprintf(field, sizeof field, "column %s", col);
				rc = xy_error_at(err, XY_ERR_CONFIG, label->data, row->line, field,
						 "a cell holds a tab or a line break (单元格内含制表符或换行)");
			} else if (!(rc = i ? xy_buf_addch(text, '\t') : XY_OK))
				rc = xy_buf_add(text, row->cells[i], row->lens[i]);
		}
		if (!rc)
			rc = xy_buf_addch(text, '\n');
		line = row->line;
		if (rc == XY_ERR_LIMIT)
			rc = xy_error_at(err, XY_ERR_CONFIG, label->data, 0, NULL,
					 "a model is at most 1 MiB (模型文件过大)");
		else if (rc == XY_ERR_NOMEM)
			rc = xy_error_set(err, XY_ERR_NOMEM, "out of memory");
		if (rc)
			break;
	}
	xy_reader_free(r);
	xy_buf_release(&sheet);
	if (!rc && !label->len)
		rc = xy_error_at(err, XY_ERR_CONFIG, path, 0, NULL,
				 "the workbook has no visible sheet with rows (模型为空)");
	return rc;
}

xy_code xy_grade_model_load(xy_grade_model *m, const char *path, const xy_registry *reg,
			    const xy_sanctions *cat, xy_error *err)
{
	xy_tsv t;
	xy_format fmt = XY_FMT_AUTO;
	xy_code rc;
	if (xy_format_detect(path, &fmt, err) == XY_OK && fmt == XY_FMT_XLSX) {
		xy_buf text, label = XY_BUF_INIT;
		xy_buf_init(&text, MODEL_LIMIT);
		if (!(rc = sheet_text(path, &text, &label, err)))
			rc = xy_grade_model_parse(m, label.data, text.data, text.len, reg, cat, err);
		xy_buf_release(&text);
		xy_buf_release(&label);
		return rc;
	}
	/* read through xy_tsv for its limit and its errors; parse the text as read */
	if ((rc = xy_tsv_open(&t, path, MODEL_LIMIT, err)))
		return rc;
	xy_tsv_close(&t);
	{
		FILE *f = fopen(path, "rb");
		xy_buf b = XY_BUF_INIT;
		char chunk[8192];
		size_t n;
		if (!f)
			return xy_error_at(err, XY_ERR_IO, path, 0, NULL, "cannot open the model");
		while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
			if (xy_buf_add(&b, chunk, n)) {
				rc = xy_error_set(err, XY_ERR_NOMEM, "out of memory");
				break;
			}
		if (!rc && ferror(f))
			rc = xy_error_at(err, XY_ERR_IO, path, 0, NULL, "cannot read the model");
		fclose(f);
		if (!rc)
			rc = xy_grade_model_parse(m, path, b.data, b.len, reg, cat, err);
		xy_buf_release(&b);
	}
	return rc;
}

const char *xy_grade_band_of(const xy_grade_model *m, long score)
{
	for (size_t i = 0; i < m->nbands; i++)
		if (score >= m->bands[i].lo &&
		    (score < m->bands[i].hi || (i + 1 == m->nbands && score <= m->bands[i].hi)))
			return m->bands[i].grade;
	return m->nbands ? m->bands[0].grade : "";
}

/* ---- the run ---- */

typedef struct fact {
	int64_t subject_id;
	int64_t ref;
	uint32_t fetch; /* indicator index, then nindicators + force index */
	long days;      /* the fact's date as days since the epoch */
	size_t label;   /* offset into the run's labels */
	char on[11];
} fact;

typedef struct run {
	const xy_grade_model *m;
	xy_store *s;
	fact *v;
	size_t n, cap, at;
	uint32_t fetch;
	xy_buf labels;
	xy_buf items;
	long asof_days;
	int64_t run_id;
	xy_grade_run_result *res;
	xy_error *err;
	xy_code rc;
} run;

/* Digits d[0..n) as a number, -1 when one is not a digit. */
static int digits(const char *d, int n)
{
	int v = 0;
	for (int i = 0; i < n; i++) {
		if (d[i] < '0' || d[i] > '9')
			return -1;
		v = v * 10 + (d[i] - '0');
	}
	return v;
}

/* "YYYY-MM-DD…" as days since the epoch, 0 when it is not a date (read by
 * hand: sscanf took a tenth of a run's user time at a fact each). */
static long days_of(const char *d)
{
	int y, mo, da;
	if (strlen(d) < 10 || d[4] != '-' || d[7] != '-')
		return 0;
	y = digits(d, 4), mo = digits(d + 5, 2), da = digits(d + 8, 2);
	if (y < 0 || mo < 0 || da < 0)
		return 0;
	return xy_date_days(y, mo, da);
}

static int add_fact(void *ctx, const xy_grade_fact *f)
{
	run *r = ctx;
	fact *x;
	if (r->n == r->cap) {
		size_t cap = r->cap ? r->cap * 2 : 4096;
		fact *v = realloc(r->v, cap * sizeof *v);
		if (!v)
			goto nomem;
		r->v = v;
		r->cap = cap;
	}
	x = &r->v[r->n];
	x->subject_id = f->subject_id;
	x->ref = f->ref;
	x->fetch = r->fetch;
	x->days = days_of(f->on);
	memcpy(x->on, f->on, sizeof x->on);
	x->label = r->labels.len;
	if (xy_buf_add(&r->labels, f->label, strlen(f->label) + 1))
		goto nomem;
	r->n++;
	return 0;
nomem:
	r->rc = xy_error_set(r->err, XY_ERR_NOMEM, "out of memory");
	return 1;
}

/* By subject, then indicator, newest first: a cap keeps the latest facts. */
static int fact_cmp(const void *a, const void *b)
{
	const fact *x = a, *y = b;
	if (x->subject_id != y->subject_id)
		return x->subject_id < y->subject_id ? -1 : 1;
	if (x->fetch != y->fetch)
		return x->fetch < y->fetch ? -1 : 1;
	if (x->days != y->days)
		return x->days > y->days ? -1 : 1;
	return (x->ref < y->ref) - (x->ref > y->ref);
}

/* a × b / 100 rounded half away from zero. */
static long pct(long a, long b)
{
	long p = a * b;
	return p >= 0 ? (p + 50) / 100 : -((-p + 50) / 100);
}

static const char *kind_of(xy_grade_source s)
{
	return s == XY_GSRC_CATEGORY			   ? "record"
	       : s == XY_GSRC_LIST_KIND || s == XY_GSRC_LIST_TYPE ? "entry"
								  : "commitment_check";
}

/* v in decimal.  The explanation is built without printf: formatting its
 * numbers was a fifth of a run's user time (seven items and more a subject,
 * bench/RESULTS.md). */
static void add_int(xy_buf *b, long long v)
{
	char d[24]; /* the digits of one 64-bit integer */
	size_t n = sizeof d;
	unsigned long long u = v < 0 ? 0ULL - (unsigned long long)v : (unsigned long long)v;
	do
		d[--n] = (char)('0' + u % 10);
	while (u /= 10);
	if (v < 0)
		d[--n] = '-';
	xy_buf_add(b, d + n, sizeof d - n);
}

/* Hundredths as "-12.05". */
static void centi_json(xy_buf *b, long v)
{
	long a = labs(v);
	if (v < 0)
		xy_buf_addch(b, '-');
	add_int(b, a / 100);
	xy_buf_addch(b, '.');
	xy_buf_addch(b, (char)('0' + a / 10 % 10));
	xy_buf_addch(b, (char)('0' + a % 10));
}

/* The points of fact f of indicator in after decay (before the cap). */
static long decayed(const run *r, const xy_grade_indicator *in, const fact *f)
{
	double age;
	if (!in->half_life)
		return in->points;
	age = (double)(r->asof_days - f->days) / DAYS_PER_MONTH;
	if (age < 0)
		age = 0;
	return lround((double)in->points * pow(0.5, age / in->half_life));
}

static void item(xy_buf *b, const char *kind, const char *group, const char *indicator,
		 const fact *f, const char *label, long raw, long points, const char *note)
{
	xy_buf_addstr(b, b->len > 1 ? ",{\"kind\":\"" : "{\"kind\":\"");
	xy_buf_addstr(b, kind);
	xy_buf_addstr(b, "\",\"group\":");
	xy_buf_addjson(b, group, strlen(group));
	if (indicator) {
		xy_buf_addstr(b, ",\"indicator\":");
		xy_buf_addjson(b, indicator, strlen(indicator));
	}
	if (f) {
		xy_buf_addstr(b, ",\"ref\":");
		add_int(b, (long long)f->ref);
		xy_buf_addstr(b, ",\"on\":\"");
		xy_buf_addstr(b, f->on);
		xy_buf_addstr(b, "\",\"label\":");
		xy_buf_addjson(b, label, strlen(label));
	}
	xy_buf_addstr(b, ",\"raw\":");
	centi_json(b, raw);
	xy_buf_addstr(b, ",\"points\":");
	centi_json(b, points);
	if (note) {
		xy_buf_addstr(b, ",\"note\":");
		xy_buf_addjson(b, note, strlen(note));
	}
	xy_buf_addch(b, '}');
}

/* Grade one subject from its facts v[0..n) (sorted): score, grade and the
 * explanation, stored. */
static int grade_subject(void *ctx, int64_t subject_id)
{
	run *r = ctx;
	const xy_grade_model *m = r->m;
	long raw[16] = { 0 }, contrib[16] = { 0 }, used[64] = { 0 };
	long score = 0;
	const char *grade;
	char forced[2] = "";
	size_t i;
	xy_buf *b = &r->items;
	while (r->at < r->n && r->v[r->at].subject_id < subject_id)
		r->at++; /* facts about subjects not graded in this run */
	xy_buf_reset(b);
	xy_buf_addch(b, '[');
	for (i = 0; i < m->ngroups; i++) {
		raw[i] = m->groups[i].start;
		contrib[i] = pct(raw[i], m->groups[i].weight);
		item(b, "start", m->groups[i].code, NULL, NULL, NULL, raw[i], contrib[i], NULL);
	}
	for (; r->at < r->n && r->v[r->at].subject_id == subject_id; r->at++) {
		const fact *f = &r->v[r->at];
		const char *label = r->labels.data + f->label;
		if (f->fetch < m->nindicators) {
			const xy_grade_indicator *in = &m->indicators[f->fetch];
			long pts = decayed(r, in, f), c;
			const char *note = NULL;
			if (in->cap) {
				long left = in->cap - used[f->fetch];
				if (labs(pts) > left) {
					pts = pts < 0 ? -left : left;
					note = "已达上限";
				}
				used[f->fetch] += labs(pts);
			}
			raw[in->group] += pts;
			c = pct(pts, m->groups[in->group].weight);
			contrib[in->group] += c;
			item(b, kind_of(in->source), m->groups[in->group].code, in->code, f, label,
			     pts, c, note);
		} else {
			const xy_grade_force *fr = &m->forces[f->fetch - m->nindicators];
			if (!forced[0])
				forced[0] = fr->grade[0];
			item(b, "force", "", NULL, f, label, 0, 0,
			     fr->grade[0] == forced[0] ? "强制等级" : "强制等级（已由前一规则决定）");
		}
	}
	for (i = 0; i < m->ngroups; i++) {
		long held = raw[i] < 0 ? 0 : raw[i] > 10000 ? 10000 : raw[i];
		long target = pct(held, m->groups[i].weight);
		if (target != contrib[i])
			item(b, held != raw[i] ? "limit" : "rounding", m->groups[i].code, NULL, NULL,
			     NULL, held - raw[i], target - contrib[i],
			     held != raw[i] ? "指标组得分限于0–100" : "四舍五入");
		score += target;
	}
	if (xy_buf_addch(b, ']')) {
		r->rc = xy_error_set(r->err, XY_ERR_NOMEM, "out of memory");
		return 1;
	}
	grade = forced[0] ? forced : xy_grade_band_of(m, score);
	for (i = 0; i < m->nbands; i++)
		if (m->bands[i].grade[0] == grade[0])
			r->res->by_grade[i]++;
	r->res->subjects++;
	r->rc = xy_store_grade_put(r->s, r->run_id, subject_id, score, grade, b->data, r->err);
	return r->rc != XY_OK;
}

/* as_of minus `months` months (the day held within the month). */
static void months_before(const char *as_of, int months, char out[11])
{
	int y = 0, mo = 0, d = 0;
	long days;
	sscanf(as_of, "%4d-%2d-%2d", &y, &mo, &d);
	mo -= months;
	while (mo < 1) {
		mo += 12;
		y--;
	}
	while (d > 28 && !xy_date_valid(y, mo, d))
		d--;
	days = xy_date_days(y, mo, d);
	xy_date_from_days(days, &y, &mo, &d);
	snprintf(out, 11, "%04d-%02d-%02d", y, mo, d);
}

static xy_code fetch(run *r, xy_grade_source src, const char *arg, int window,
		     const char *as_of, int64_t batch_id)
{
	char from[11];
	xy_code rc;
	months_before(as_of, window, from);
	rc = xy_store_grade_facts(r->s, src, arg, from, as_of, batch_id, add_fact, r, r->err);
	return rc ? rc : r->rc;
}

/* The run's audit entry, inside its transaction (rolls back with it). */
static xy_code audit_run(xy_store *s, const xy_grade_model *m, const xy_grade_run_opts *o,
			 const char *as_of, int64_t run_id, long subjects, xy_error *err)
{
	xy_buf object = XY_BUF_INIT, detail = XY_BUF_INIT;
	xy_code rc;
	if (xy_buf_addf(&object, "grade_run:%lld", (long long)run_id) ||
	    xy_buf_addf(&detail, "model=%s sha256=%s as_of=%s batch=%lld subjects=%ld", m->name,
			m->sha256, as_of, (long long)(o ? o->batch_id : 0), subjects)) {
		rc = xy_error_set(err, XY_ERR_NOMEM, "out of memory");
	} else {
		xy_audit_entry e = { .who = o && o->who && *o->who ? o->who : "grade",
				     .action = "grade.run", .object = object.data,
				     .detail = detail.data };
		rc = xy_audit_append(s, &e, NULL, err);
	}
	xy_buf_release(&object);
	xy_buf_release(&detail);
	return rc;
}

xy_code xy_grade_run(xy_store *s, const xy_grade_model *m, const xy_grade_run_opts *o,
		     xy_grade_run_result *res, xy_error *err)
{
	run r = { 0 };
	char as_of[11], at[32];
	xy_grade_run_result dummy;
	xy_code rc = XY_OK;
	int64_t model_id = 0;
	if (!s || !m || !m->ngroups)
		return xy_error_set(err, XY_ERR_ARG, "xy_grade_run: missing argument");
	if (m->ngroups > 16 || m->nindicators > 64)
		return xy_error_set(err, XY_ERR_CONFIG,
				    "a model has at most 16 groups and 64 indicators (指标过多)");
	if (o && o->as_of) {
		if (xy_date_parse(o->as_of, as_of))
			return xy_error_at(err, XY_ERR_INVALID, NULL, 0, "date",
					   "'%s' is not a date YYYY-MM-DD (日期无效)", o->as_of);
	} else
		xy_date_today(as_of);
	if (o && o->at)
		snprintf(at, sizeof at, "%s", o->at);
	else
		xy_time_iso((int64_t)time(NULL), at);
	if (!res)
		res = &dummy;
	memset(res, 0, sizeof *res);
	r.m = m;
	r.s = s;
	r.res = res;
	r.err = err;
	r.asof_days = days_of(as_of);
	xy_buf_init(&r.labels, 0);
	xy_buf_init(&r.items, 0);
	for (r.fetch = 0; !rc && r.fetch < m->nindicators; r.fetch++) {
		const xy_grade_indicator *in = &m->indicators[r.fetch];
		rc = fetch(&r, in->source, in->arg, in->window, as_of, o ? o->batch_id : 0);
	}
	for (size_t i = 0; !rc && i < m->nforces; i++, r.fetch++)
		rc = fetch(&r, m->forces[i].source, m->forces[i].arg, 0, as_of,
			   o ? o->batch_id : 0);
	if (!rc) {
		res->facts = (long)r.n;
		qsort(r.v, r.n, sizeof *r.v, fact_cmp);
		rc = xy_store_begin(s, false, err);
	}
	if (!rc) {
		if (!(rc = xy_store_grade_model_put(s, m->sha256, m->name, m->text, at, &model_id,
						     err)) &&
		    !(rc = xy_store_grade_run_insert(s, model_id, as_of, o ? o->batch_id : 0, at,
						     &r.run_id, err)) &&
		    !(rc = xy_store_grade_subjects(s, o ? o->batch_id : 0, grade_subject, &r, err)))
			rc = r.rc;
		if (!rc)
			rc = xy_store_grade_run_done(s, r.run_id, res->subjects, err);
		if (!rc)
			rc = audit_run(s, m, o, as_of, r.run_id, res->subjects, err);
		if (!rc)
			rc = xy_store_commit(s, err);
		else
			xy_store_rollback(s, NULL);
	}
	if (!rc) {
		res->run_id = r.run_id;
		res->model_id = model_id;
	}
	free(r.v);
	xy_buf_release(&r.labels);
	xy_buf_release(&r.items);
	return rc;
}

xy_code xy_grade_last_model(xy_store *s, char **text, xy_error *err)
{
	xy_buf b = XY_BUF_INIT;
	xy_code rc = xy_store_grade_model_last(s, &b, err);
	if (rc) {
		xy_buf_release(&b);
		return rc;
	}
	*text = xy_buf_detach(&b, NULL);
	return XY_OK;
}

/* The date the run stamped at (UTC "YYYY-MM-DDTHH:MM:SSZ") fell on, in UTC
 * and in local time: a run "as of today" has its as-of date among them. */
static bool dated_its_day(const char *as_of, const char *at)
{
	int y, mo, d, h, mi, se;
	time_t t;
	struct tm tm;
	char local[32];
	if (!at || strlen(at) < 10)
		return false;
	if (!strncmp(as_of, at, 10))
		return true;
	if (sscanf(at, "%4d-%2d-%2dT%2d:%2d:%2d", &y, &mo, &d, &h, &mi, &se) != 6)
		return false;
	t = (time_t)xy_date_days(y, mo, d) * 86400 + h * 3600 + mi * 60 + se;
	if (!localtime_r(&t, &tm))
		return false;
	snprintf(local, sizeof local, "%04d-%02d-%02d", tm.tm_year + 1900, tm.tm_mon + 1,
		 tm.tm_mday);
	return !strcmp(as_of, local);
}

/* The latest run (runs come newest first): its as-of date and stamp. */
typedef struct latest_run {
	bool found;
	char as_of[11];
	char at[32];
} latest_run;

static int first_run(void *ctx, const xy_grade_row *g)
{
	latest_run *l = ctx;
	l->found = true;
	snprintf(l->as_of, sizeof l->as_of, "%s", g->as_of);
	snprintf(l->at, sizeof l->at, "%s", g->at ? g->at : "");
	return 1; /* the newest is enough */
}

void xy_grade_after_import(xy_store *s, const xy_registry *reg, const xy_sanctions *cat,
			   const xy_batch *b, const char *who, xy_grade_auto *out)
{
	latest_run last = { 0 };
	char *text = NULL;
	xy_grade_model m = { 0 };
	xy_grade_run_opts o = { .batch_id = b ? b->id : 0, .who = who };
	memset(out, 0, sizeof *out);
	out->err = (xy_error)XY_ERROR_INIT;
	if (!b || b->status != XY_BATCH_COMMITTED || b->added + b->updated == 0)
		return;
	out->rc = xy_store_grade_runs(s, first_run, &last, &out->err);
	/* a backend that cannot grade yet (PostgreSQL) was never graded */
	if (out->rc == XY_ERR_UNSUPPORTED) {
		out->rc = XY_OK;
		out->err = (xy_error)XY_ERROR_INIT;
		return;
	}
	out->ran = out->rc || last.found; /* could not tell: say so */
	if (!out->ran || out->rc)
		goto done;
	snprintf(out->as_of, sizeof out->as_of, "%s", last.as_of);
	if (dated_its_day(out->as_of, last.at))
		xy_date_today(out->as_of);
	o.as_of = out->as_of;
	if ((out->rc = xy_grade_last_model(s, &text, &out->err)) ||
	    (out->rc = xy_grade_model_parse(&m, "(stored model)", text, strlen(text), reg, cat,
					    &out->err)))
		goto done;
	snprintf(out->model, sizeof out->model, "%s", m.name ? m.name : "");
	out->rc = xy_grade_run(s, &m, &o, &out->res, &out->err);
done:
	xy_grade_model_release(&m);
	free(text);
}

json_t *xy_grade_auto_json(const xy_grade_auto *a)
{
	char msg[sizeof a->err.msg + 512];
	if (!a || !a->ran)
		return NULL;
	if (a->rc) {
		xy_error_format(&a->err, msg, sizeof msg);
		return json_pack("{s:o}", "error", xy_json_text(msg, NULL));
	}
	return json_pack("{s:I,s:s,s:o,s:i}", "run", (json_int_t)a->res.run_id, "as_of", a->as_of,
			 "model", xy_json_text(a->model, NULL), "subjects", (int)a->res.subjects);
}
