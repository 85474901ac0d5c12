/* xinyong: 双随机、一公开 through the store (inspect.h "kept in the store"):
 * plans, populations from a subjects file, draws, verification, results,
 * export and the per-grade report.  The draw itself is inspect.c's. */
#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "xinyong/auth.h"
#include "xinyong/credit.h"
#include "xinyong/date.h"
#include "xinyong/grade.h"
#include "xinyong/ingest.h"
#include "xinyong/inspect.h"
#include "xinyong/reader.h"
#include "xinyong/sanctions.h"
#include "xinyong/tsv.h"

#define FILE_LIMIT (64u << 20)

const char *const xy_inspect_outcomes[] = { "未发现问题", "责令整改", "立案查处", "未检查", NULL };

static xy_code nomem(xy_error *err)
{
	return xy_error_set(err, XY_ERR_NOMEM, "out of memory");
}

/* The whole of a file into b (at most FILE_LIMIT bytes). */
static xy_code read_all(const char *path, xy_buf *b, xy_error *err)
{
	FILE *f = fopen(path, "rb");
	char chunk[65536];
	size_t n;
	xy_code rc = XY_OK;
	if (!f)
		return xy_error_at(err, XY_ERR_IO, path, 0, NULL, "无法打开：%s", strerror(errno));
	b->limit = FILE_LIMIT;
	while (!rc && (n = fread(chunk, 1, sizeof chunk, f)) > 0)
		if (xy_buf_add(b, chunk, n))
			rc = xy_error_at(err, XY_ERR_LIMIT, path, 0, NULL, "文件超过 64 MiB");
	if (!rc && ferror(f))
		rc = xy_error_at(err, XY_ERR_IO, path, 0, NULL, "读取失败：%s", strerror(errno));
	fclose(f);
	return rc;
}

static xy_code write_all(const char *dir, const char *name, const char *data, size_t n,
			 xy_error *err)
{
	xy_buf path = XY_BUF_INIT;
	FILE *f;
	xy_code rc = XY_OK;
	if (xy_buf_addf(&path, "%s/%s", dir, name))
		return nomem(err);
	if (!(f = fopen(path.data, "wb")) || fwrite(data, 1, n, f) != n)
		rc = xy_error_at(err, XY_ERR_IO, path.data, 0, NULL, "无法写入：%s", strerror(errno));
	if (f && fclose(f) && !rc)
		rc = xy_error_at(err, XY_ERR_IO, path.data, 0, NULL, "无法写入：%s", strerror(errno));
	xy_buf_release(&path);
	return rc;
}

static void now_iso(char out[32])
{
	xy_time_iso((int64_t)time(NULL), out);
}

/* after_sha256: after's SHA-256 when the caller has it (a draw's text: hashing
 * its megabytes again was 5 % of a 1M draw), else NULL. */
static xy_code audit(xy_credit *cr, const char *action, const char *kind, int64_t id,
		     const char *detail, const char *after, const char *after_sha256, xy_error *err)
{
	char object[48];
	xy_audit_entry e = { .who = cr->who ? cr->who : "-", .action = action, .object = object,
			     .detail = detail, .after = after, .after_len = after ? strlen(after) : 0,
			     .after_sha256 = after_sha256 };
	snprintf(object, sizeof object, "%s:%lld", kind, (long long)id);
	return xy_audit_append(cr->store, &e, NULL, err);
}

/* ---- plans ---- */

xy_code xy_inspect_plan_add_text(xy_credit *cr, const char *text, size_t len, const char *file,
				  int64_t *id, xy_error *err)
{
	xy_buf detail = XY_BUF_INIT;
	xy_inspect_plan p;
	char at[32];
	xy_code rc;
	memset(&p, 0, sizeof p);
	if ((rc = xy_inspect_plan_parse(text, len, file, &p, err)))
		goto done;
	now_iso(at);
	{
		xy_inspect_plan_row r = { .unit = p.unit, .name = p.name, .text = p.text,
					  .digest = p.digest, .created_at = at, .who = cr->who };
		if (xy_buf_addf(&detail, "%s %s sha256=%s", p.unit, p.name, p.digest)) {
			rc = nomem(err);
			goto done;
		}
		if ((rc = xy_store_begin(cr->store, false, err)))
			goto done;
		if ((rc = xy_store_inspect_plan_insert(cr->store, &r, id, err)) ||
		    (rc = audit(cr, "inspect.plan.add", "inspect-plan", *id, detail.data, p.text, NULL,
				err)) ||
		    (rc = xy_store_commit(cr->store, err)))
			xy_store_rollback(cr->store, NULL);
	}
done:
	xy_inspect_plan_release(&p);
	xy_buf_release(&detail);
	return rc;
}

xy_code xy_inspect_plan_add(xy_credit *cr, const char *path, int64_t *id, xy_error *err)
{
	xy_buf text = XY_BUF_INIT;
	xy_code rc = read_all(path, &text, err);
	if (!rc)
		rc = xy_inspect_plan_add_text(cr, text.data ? text.data : "", text.len, path, id, err);
	xy_buf_release(&text);
	return rc;
}

struct plan_ctx {
	xy_inspect_plan *out;
	xy_code rc;
	xy_error *err;
};

static int plan_cb(void *ctx, const xy_inspect_plan_row *r)
{
	struct plan_ctx *c = ctx;
	c->rc = xy_inspect_plan_parse(r->text, strlen(r->text), "inspect_plans", c->out, c->err);
	if (!c->rc && strcmp(c->out->digest, r->digest) != 0)
		c->rc = xy_error_set(c->err, XY_ERR_INVALID,
				     "计划 %lld 的文本与记录的 SHA-256 不符", (long long)r->id);
	return 1;
}

xy_code xy_inspect_plan_load(xy_store *s, int64_t id, xy_inspect_plan *out, xy_error *err)
{
	struct plan_ctx c = { out, XY_OK, err };
	xy_code rc;
	memset(out, 0, sizeof *out);
	if (id <= 0)
		return xy_error_set(err, XY_ERR_ARG, "计划编号应为正整数");
	rc = xy_store_inspect_plans(s, id, plan_cb, &c, err);
	return rc ? rc : c.rc;
}

/* ---- populations ---- */

/* The subjects under key supervision and those inspected recently are read
 * once per draw into sets — populations used as sorted lists of codes — and
 * matched, with the latest grades (read for the whole sorted population at
 * once), against the sorted population in one merge when it is closed
 * (pop_close), never one query or one hash lookup per subject: at a million subjects the hash lookups were a quarter
 * of the draw, each a cache miss or two (bench/RESULTS.md "Draws at 1M").
 * A code that could not be a population's (a tab or line break in it, or
 * empty) cannot match one and is left out. */
static bool set_add(xy_inspect_population *set, const char *code)
{
	if (!*code || strpbrk(code, "\t\r\n"))
		return true;
	return xy_inspect_population_add(set, code, 'B', "", false, NULL) == XY_OK;
}

/* Whether code is in set, both sorted, *at the position of an earlier
 * search for a code not after this one. */
static bool set_find(const xy_inspect_population *set, size_t *at, const char *code)
{
	size_t i = *at;
	int c = 1;
	while (i < set->n && (c = strcmp(set->v[i].code, code)) < 0)
		i++;
	*at = i;
	return i < set->n && c == 0;
}

/* Subjects with an own entry of a black-list type in force on the date
 * (from ≤ date ≤ to, no exit on or before it): the key-supervision rule. */
struct black {
	xy_inspect_population *keys;
	bool nomem;
};

static int black_cb(void *ctx, const char *code)
{
	struct black *c = ctx;
	return c->nomem = !set_add(c->keys, code);
}

/* Subjects with a result (other than 未检查) recorded since a date. */
struct recent {
	const char *since;
	xy_inspect_population *codes;
	bool nomem;
};

static int recent_cb(void *ctx, const xy_inspect_result_row *r)
{
	struct recent *c = ctx;
	if (strcmp(r->recorded_at, c->since) < 0 || strcmp(r->outcome, "未检查") == 0)
		return 0;
	return c->nomem = !set_add(c->codes, r->code);
}

static long column(const xy_tsv *t, const char *a, const char *b)
{
	for (size_t i = 0; i < t->ncol; i++)
		if (strcmp(t->col[i], a) == 0 || (b && strcmp(t->col[i], b) == 0))
			return (long)i;
	return -1;
}

static const char *cell(const xy_tsv *t, long i)
{
	return i < 0 ? "" : xy_tsv_col(t, (size_t)i);
}

static bool matches(const char *filter, const char *value)
{
	return !filter || strcmp(filter, value) == 0;
}

/* What the loaders of a population share: the plan, the date, the subjects
 * inspected recently and those under key supervision (pop_queries) and the
 * grading runs' grades, all read at the close -- or ahead, on a thread of
 * their own, from the first subject without a 等级, while the file is read
 * (pop_ahead). */
struct pop {
	xy_credit *cr;
	const xy_inspect_plan *plan;
	char today[11], since[32];
	xy_inspect_population recent, black;
	bool ungraded;
	xy_inspect_population *out;
	pthread_t reader;
	bool queried;          /* pop_queries ran (recent, black) */
	bool reading;          /* reader runs: nothing else may use the store */
	xy_grades_set *latest; /* what it read */
	xy_code latest_rc;
	xy_error latest_err;
};

/* The population's state, its date and the first date of the exclusion
 * window; nothing read yet (pop_queries). */
static void pop_open(struct pop *p, xy_credit *cr, const xy_inspect_plan *plan, const char *date,
		     xy_inspect_population *out)
{
	memset(p, 0, sizeof *p);
	memset(out, 0, sizeof *out);
	p->cr = cr, p->plan = plan, p->out = out;
	if (date)
		snprintf(p->today, sizeof p->today, "%s", date);
	else
		xy_date_today(p->today);
	snprintf(p->since, sizeof p->since, "%s", p->today);
	if (plan->exclude_months > 0) {
		int y, m, d, back = plan->exclude_months;
		if (sscanf(p->today, "%d-%d-%d", &y, &m, &d) == 3) {
			m -= back;
			while (m < 1)
				m += 12, y--;
			snprintf(p->since, sizeof p->since, "%04d-%02d-%02d", y, m, d > 28 ? 28 : d);
		}
	}
}

/* The subjects inspected recently and those under key supervision, from
 * the store (on the reader thread when there is one, else at the close). */
static xy_code pop_queries(struct pop *p, xy_error *err)
{
	struct black b = { &p->black, false };
	struct recent r = { p->since, &p->recent, false };
	xy_code rc;
	p->queried = true;
	if (p->plan->exclude_months > 0) {
		if ((rc = xy_store_inspect_results(p->cr->store, 0, recent_cb, &r, err)))
			return rc;
		if (r.nomem)
			return nomem(err);
	}
	if (p->plan->key_black) {
		if ((rc = xy_store_entry_codes_on(p->cr->store, xy_list_kind_name(XY_LIST_BLACK),
						   p->today, black_cb, &b, err)))
			return rc;
		if (b.nomem)
			return nomem(err);
	}
	return XY_OK;
}

/* The store's part of a population (pop_queries, then the latest grades of
 * every subject: xy_store_grades_latest_read) read on a thread of its own
 * while this one reads the file and sorts it:
 * a draw from a file without 等级 needs them for every row, and the
 * store's walk over a million codes took a quarter of the draw.  Until
 * pop_join, only the reader uses the store.  Without a thread they are read
 * at the close, on this one. */
static void *read_ahead(void *arg)
{
	struct pop *p = arg;
	if (!(p->latest_rc = pop_queries(p, &p->latest_err)))
		p->latest_rc = xy_store_grades_latest_read(p->cr->store, &p->latest, &p->latest_err);
	return NULL;
}

static void pop_ahead(struct pop *p)
{
	p->reading = pthread_create(&p->reader, NULL, read_ahead, p) == 0;
}

/* Wait for the reader; its refusal becomes the population's (rc first). */
static xy_code pop_join(struct pop *p, xy_code rc, xy_error *err)
{
	if (!p->reading)
		return rc;
	pthread_join(p->reader, NULL);
	p->reading = false;
	if (!rc && p->latest_rc) {
		if (err)
			*err = p->latest_err;
		rc = p->latest_rc;
	}
	return rc;
}

/* One subject of the input: out of the filters it is left out; else added
 * with its grade (given; without one, 0 until pop_close gives it the latest
 * grading run's, else B) and key flag.  The caller names where a refusal
 * points (err). */
static xy_code pop_row(struct pop *p, const char *code, const char *g, const char *cat,
		       const char *ind, const char *region, bool key, xy_error *err)
{
	char grade = xy_inspect_grade_or_default(g);
	xy_code rc;
	if (*g && grade != g[0])
		return xy_error_at(err, XY_ERR_INVALID, NULL, 0, "等级",
				   "等级“%s”应为 A、B、C、D 之一（或留空，按最近一次信用评价，无则 B 级）", g);
	if (!matches(p->plan->category, cat) || !matches(p->plan->industry, ind) ||
	    !matches(p->plan->region, region) || (*g && !xy_inspect_grade_in(p->plan->grades, grade)))
		return XY_OK;
	if ((rc = xy_inspect_population_add(p->out, code, grade, region, key, err)))
		return rc;
	if (!*g) { /* no 等级 given: decided in pop_close */
		p->out->v[p->out->n - 1].grade = 0;
		p->ungraded = true;
	}
	return XY_OK;
}

/* xy_grades_set_of on this thread and one more, each taking the next
 * slice of SET_SLICE codes until none is left (a tenth of a 1M draw, most
 * of it the keyed hash of each personal number; those sort before the
 * 统一社会信用代码, so halves would leave one thread most of the work); on
 * this one alone when there are few, or the thread cannot be started. */
#define SET_SLICE 8192

struct set_work {
	const xy_grades_set *set;
	const char *const *codes;
	size_t n;
	char *out;
	atomic_size_t next; /* the next slice's first code */
	atomic_int failed;  /* a slice failed: the others stop */
};

struct set_part {
	struct set_work *w;
	xy_code rc;
	xy_error err;
};

static void *set_part(void *arg)
{
	struct set_part *p = arg;
	struct set_work *w = p->w;
	size_t at;
	while (!atomic_load(&w->failed) && (at = atomic_fetch_add(&w->next, SET_SLICE)) < w->n) {
		size_t n = w->n - at < SET_SLICE ? w->n - at : SET_SLICE;
		if ((p->rc = xy_grades_set_of(w->set, w->codes + at, n, w->out + at, &p->err))) {
			atomic_store(&w->failed, 1);
			break;
		}
	}
	return NULL;
}

static xy_code set_of_slices(const xy_grades_set *set, const char **codes, size_t n, char *out,
			     xy_error *err)
{
	struct set_work w = { .set = set, .codes = codes, .n = n, .out = out };
	struct set_part mine = { &w, XY_OK, { 0 } }, other = { &w, XY_OK, { 0 } };
	pthread_t t;
	if (n < 65536 || pthread_create(&t, NULL, set_part, &other))
		return xy_grades_set_of(set, codes, n, out, err);
	set_part(&mine);
	pthread_join(t, NULL);
	if (!mine.rc && other.rc) {
		mine.rc = other.rc;
		mine.err = other.err;
	}
	if (mine.rc && err)
		*err = mine.err;
	return mine.rc;
}

/* Each subject the file gives no grade its latest one from the grading
 * module (grade.h), all at once for the population in code order
 * (xy_store_grades_latest_of); NUL for a subject never graded. */
static xy_code latest_grades(struct pop *p, char **out, xy_error *err)
{
	const xy_inspect_population *o = p->out;
	const char **codes;
	size_t n = 0;
	xy_code rc;
	*out = NULL;
	if (!p->ungraded || !o->n)
		return XY_OK;
	if (!(codes = malloc(o->n * sizeof *codes)) || !(*out = malloc(o->n)))
		goto nomem;
	for (size_t i = 0; i < o->n; i++)
		if (!o->v[i].grade)
			codes[n++] = o->v[i].code;
	rc = pop_join(p, XY_OK, err);
	if (!rc)
		rc = p->latest ? set_of_slices(p->latest, codes, n, *out, err)
			       : xy_store_grades_latest_of(p->cr->store, codes, n, *out, err);
	free(codes);
	return rc;
nomem:
	free(codes);
	return nomem(err);
}

/* Sort the population and the sets, then one merge: each subject without a
 * grade gets its latest one (else B); out of the plan's grades or inspected
 * recently it is left out; on the black list it is key.  Then seal. */
static xy_code pop_merge(struct pop *p, xy_error *err)
{
	xy_inspect_population *o = p->out;
	size_t gi = 0, bi = 0, ri = 0, w = 0;
	char *latest = NULL;
	xy_code rc;
	if ((rc = xy_inspect_population_sort(o, err)) ||
	    (rc = latest_grades(p, &latest, err)) || (rc = pop_join(p, XY_OK, err)) ||
	    (!p->queried && (rc = pop_queries(p, err))) ||
	    (rc = xy_inspect_population_sort(&p->black, err)) ||
	    (rc = xy_inspect_population_sort(&p->recent, err))) {
		free(latest);
		return rc;
	}
	for (size_t i = 0; i < o->n; i++) {
		xy_inspect_subject s = o->v[i];
		if (!s.grade) {
			char g = latest[gi++];
			s.grade = g && xy_inspect_grade_in(XY_INSPECT_GRADES, g) ? g : 'B';
		}
		if (!xy_inspect_grade_in(p->plan->grades, s.grade) || set_find(&p->recent, &ri, s.code))
			continue;
		s.key = set_find(&p->black, &bi, s.code) || s.key;
		o->v[w++] = s;
	}
	free(latest);
	o->n = w;
	return xy_inspect_population_seal(o, err);
}

static xy_code pop_close(struct pop *p, xy_code rc, xy_error *err)
{
	if (!rc)
		rc = pop_merge(p, err);
	rc = pop_join(p, rc, err); /* when pop_merge did not wait for it */
	xy_grades_set_free(p->latest);
	p->latest = NULL;
	xy_inspect_population_release(&p->black);
	xy_inspect_population_release(&p->recent);
	if (rc)
		xy_inspect_population_release(p->out);
	return rc;
}

xy_code xy_inspect_population_load(xy_credit *cr, const xy_inspect_plan *plan,
				   const char *subjects_path, const char *date,
				   xy_inspect_population *out, xy_error *err)
{
	struct pop p;
	xy_tsv t;
	long ccode, cgrade, ccat, cind, creg, ckey;
	xy_code rc;
	pop_open(&p, cr, plan, date, out);
	if ((rc = xy_tsv_open(&t, subjects_path, FILE_LIMIT, err)))
		return pop_close(&p, rc, err);
	if (!xy_tsv_next(&t)) {
		rc = xy_error_at(err, XY_ERR_INVALID, subjects_path, 1, "主体代码", "抽查对象文件为空");
		goto done;
	}
	ccode = column(&t, "主体代码", "统一社会信用代码");
	cgrade = column(&t, "等级", "信用等级");
	ccat = column(&t, "类别", NULL);
	cind = column(&t, "行业", NULL);
	creg = column(&t, "区域", NULL);
	ckey = column(&t, "重点", NULL);
	if (ccode < 0) {
		rc = xy_error_at(err, XY_ERR_INVALID, subjects_path, 1, "主体代码",
				 "抽查对象文件缺少“主体代码”列");
		goto done;
	}
	while (xy_tsv_next(&t)) {
		const char *code = cell(&t, ccode), *k = cell(&t, ckey);
		if (!*code)
			continue;
		/* the first subject without a 等级 (no such column, or the cell
		 * empty): the file's rows are likely to need their latest grades */
		if (!p.reading && !p.ungraded && !*cell(&t, cgrade))
			pop_ahead(&p);
		if ((rc = pop_row(&p, code, cell(&t, cgrade), cell(&t, ccat), cell(&t, cind),
				  cell(&t, creg), !strcmp(k, "1") || !strcmp(k, "是"), err))) {
			if (err && !err->file[0])
				snprintf(err->file, sizeof err->file, "%s", subjects_path);
			if (err)
				err->row = t.line;
			goto done;
		}
	}
done:
	xy_tsv_close(&t);
	return pop_close(&p, rc, err);
}

/* A string member of a subject object, "" when absent; *bad names a member
 * of another type. */
static const char *subj_member(json_t *o, const char *k, const char **bad)
{
	json_t *v = json_object_get(o, k);
	if (v && !json_is_string(v) && !*bad)
		*bad = k;
	return json_is_string(v) ? json_string_value(v) : "";
}

xy_code xy_inspect_population_json(xy_credit *cr, const xy_inspect_plan *plan,
				   const json_t *subjects, const char *date,
				   xy_inspect_population *out, xy_error *err)
{
	struct pop p;
	json_t *o;
	size_t i;
	xy_code rc = XY_OK;
	pop_open(&p, cr, plan, date, out);
	if ((!json_is_array(subjects) || !json_array_size(subjects)))
		rc = xy_error_at(err, XY_ERR_INVALID, NULL, 0, "subjects",
				 "subjects 应为非空数组：[{\"code\":…, \"grade\":…}]");
	json_array_foreach(subjects, i, o) {
		const char *bad = NULL, *code, *g, *cat, *ind, *region;
		json_t *key = json_object_get(o, "key");
		char field[48];
		if (rc)
			break;
		code = subj_member(o, "code", &bad);
		g = subj_member(o, "grade", &bad);
		cat = subj_member(o, "category", &bad);
		ind = subj_member(o, "industry", &bad);
		region = subj_member(o, "region", &bad);
		if (key && !json_is_boolean(key) && !bad)
			bad = "key";
		if (!json_is_object(o) || !*code)
			bad = "code";
		snprintf(field, sizeof field, "subjects[%zu].%s", i, bad ? bad : "grade");
		if (bad) {
			rc = xy_error_at(err, XY_ERR_INVALID, NULL, (long)i + 1, field,
					 "%s 缺失或类型不对（code 必填；grade、category、industry、region 为字符串，key 为 true/false）",
					 field);
			break;
		}
		if ((rc = pop_row(&p, code, g, cat, ind, region, json_is_true(key), err)) && err) {
			err->row = (long)i + 1;
			if (rc == XY_ERR_INVALID)
				snprintf(err->field, sizeof err->field, "%s", field);
		}
	}
	return pop_close(&p, rc, err);
}

/* ---- draws ---- */

/* Draw plan over pop and store the draw (immutable), audited. */
static xy_code draw_store(xy_credit *cr, int64_t plan_id, const xy_inspect_plan *plan,
			  const xy_inspect_population *pop, const char *random, int64_t *draw_id,
			  xy_error *err)
{
	xy_buf text = XY_BUF_INIT, detail = XY_BUF_INIT;
	char at[32], digest[65];
	xy_code rc;
	if ((rc = xy_inspect_draw_text(plan, pop, random, &text, err)))
		goto done;
	xy_inspect_digest(text.data, text.len, digest); /* OpenSSL's: libsodium's took 2 % */
	now_iso(at);
	{
		xy_inspect_draw_row r = { .plan_id = plan_id, .random = random, .population = pop->text,
					  .population_digest = pop->digest, .text = text.data,
					  .digest = digest, .drawn_at = at, .who = cr->who };
		if (xy_buf_addf(&detail, "plan=%lld population=%s subjects=%zu random=%s",
				(long long)plan_id, pop->digest, pop->n, random)) {
			rc = nomem(err);
			goto done;
		}
		if ((rc = xy_store_begin(cr->store, false, err)))
			goto done;
		if ((rc = xy_store_inspect_draw_insert(cr->store, &r, draw_id, err)) ||
		    (rc = audit(cr, "inspect.draw", "inspect-draw", *draw_id, detail.data, text.data,
				digest, err)) ||
		    (rc = xy_store_commit(cr->store, err)))
			xy_store_rollback(cr->store, NULL);
	}
done:
	xy_buf_release(&text);
	xy_buf_release(&detail);
	return rc;
}

xy_code xy_inspect_draw(xy_credit *cr, int64_t plan_id, const char *subjects_path,
			const char *random, int64_t *draw_id, xy_error *err)
{
	xy_inspect_plan plan;
	xy_inspect_population pop;
	xy_code rc;
	memset(&pop, 0, sizeof pop);
	if (!(rc = xy_inspect_plan_load(cr->store, plan_id, &plan, err)) &&
	    !(rc = xy_inspect_population_load(cr, &plan, subjects_path, NULL, &pop, err)))
		rc = draw_store(cr, plan_id, &plan, &pop, random, draw_id, err);
	xy_inspect_plan_release(&plan);
	xy_inspect_population_release(&pop);
	return rc;
}

xy_code xy_inspect_draw_json(xy_credit *cr, int64_t plan_id, const json_t *subjects,
			     const char *random, int64_t *draw_id, xy_error *err)
{
	xy_inspect_plan plan;
	xy_inspect_population pop;
	xy_code rc;
	memset(&pop, 0, sizeof pop);
	if (!(rc = xy_inspect_plan_load(cr->store, plan_id, &plan, err)) &&
	    !(rc = xy_inspect_population_json(cr, &plan, subjects, NULL, &pop, err)))
		rc = draw_store(cr, plan_id, &plan, &pop, random, draw_id, err);
	xy_inspect_plan_release(&plan);
	xy_inspect_population_release(&pop);
	return rc;
}

/* Recompute from the three published texts and compare with the recorded
 * draw; why names the differences, including an input that does not parse. */
static xy_code recompute(const char *plan_text, const char *pop_text, const char *random,
			 const char *recorded, xy_buf *why, xy_error *err)
{
	xy_inspect_plan plan;
	xy_inspect_population pop;
	xy_buf again = XY_BUF_INIT;
	xy_error e = XY_ERROR_INIT;
	xy_code rc;
	memset(&pop, 0, sizeof pop);
	if ((rc = xy_inspect_plan_parse(plan_text, strlen(plan_text), "plan.json", &plan, &e))) {
		xy_buf_addf(why, "计划文本无法读取：%s\n", e.msg);
		return xy_error_set(err, XY_ERR_INVALID, "计划文本无法读取：%s", e.msg);
	}
	if ((rc = xy_inspect_population_parse(pop_text, strlen(pop_text), &pop, &e))) {
		xy_buf_addf(why, "抽查对象名单无法读取（第 %ld 行）：%s\n", e.row, e.msg);
		rc = xy_error_set(err, XY_ERR_INVALID, "抽查对象名单无法读取：%s", e.msg);
		goto done;
	}
	if ((rc = xy_inspect_draw_text(&plan, &pop, random, &again, &e))) {
		xy_buf_addf(why, "按公开输入无法重算：%s\n", e.msg);
		rc = xy_error_set(err, XY_ERR_INVALID, "按公开输入无法重算：%s", e.msg);
		goto done;
	}
	if ((rc = xy_inspect_compare(recorded, again.data, why)))
		rc = xy_error_set(err, XY_ERR_INVALID, "抽取结果与按公开输入重算的结果不一致");
done:
	xy_inspect_plan_release(&plan);
	xy_inspect_population_release(&pop);
	xy_buf_release(&again);
	return rc;
}

struct draw_ctx {
	xy_buf plan_id_text, random, population, text;
	int64_t plan_id;
	bool nomem;
};

static int draw_cb(void *ctx, const xy_inspect_draw_row *r)
{
	struct draw_ctx *c = ctx;
	c->plan_id = r->plan_id;
	c->nomem = xy_buf_addstr(&c->random, r->random) || xy_buf_addstr(&c->population, r->population) ||
		   xy_buf_addstr(&c->text, r->text);
	return 1;
}

struct plan_text {
	xy_buf text;
	bool nomem;
};

static int plan_text_cb(void *ctx, const xy_inspect_plan_row *r)
{
	struct plan_text *c = ctx;
	c->nomem = xy_buf_addstr(&c->text, r->text) != XY_OK;
	return 1;
}

static void draw_ctx_release(struct draw_ctx *c)
{
	xy_buf_release(&c->random);
	xy_buf_release(&c->population);
	xy_buf_release(&c->text);
}

/* A stored draw and its plan's stored text. */
static xy_code load_draw(xy_store *s, int64_t draw_id, struct draw_ctx *d, struct plan_text *p,
			 xy_error *err)
{
	xy_code rc;
	if (draw_id <= 0)
		return xy_error_set(err, XY_ERR_ARG, "抽取编号应为正整数");
	if ((rc = xy_store_inspect_draws(s, draw_id, 0, draw_cb, d, err)) ||
	    (rc = xy_store_inspect_plans(s, d->plan_id, plan_text_cb, p, err)))
		return rc;
	return d->nomem || p->nomem ? nomem(err) : XY_OK;
}

xy_code xy_inspect_verify(xy_store *s, int64_t draw_id, xy_buf *why, xy_error *err)
{
	struct draw_ctx d = { XY_BUF_INIT, XY_BUF_INIT, XY_BUF_INIT, XY_BUF_INIT, 0, false };
	struct plan_text p = { XY_BUF_INIT, false };
	xy_code rc = load_draw(s, draw_id, &d, &p, err);
	if (!rc)
		rc = recompute(p.text.data, d.population.data, d.random.data, d.text.data, why, err);
	draw_ctx_release(&d);
	xy_buf_release(&p.text);
	return rc;
}

static const char *const bundle[] = { "plan.json", "population.tsv", "random.txt", "draw.txt" };

xy_code xy_inspect_verify_dir(const char *dir, xy_buf *why, xy_error *err)
{
	xy_buf b[4] = { XY_BUF_INIT, XY_BUF_INIT, XY_BUF_INIT, XY_BUF_INIT }, path = XY_BUF_INIT;
	xy_code rc = XY_OK;
	for (int i = 0; !rc && i < 4; i++) {
		xy_buf_reset(&path);
		if (xy_buf_addf(&path, "%s/%s", dir, bundle[i]))
			rc = nomem(err);
		else
			rc = read_all(path.data, &b[i], err);
	}
	if (!rc) {
		/* random.txt holds the value and one line break */
		if (b[2].len && b[2].data[b[2].len - 1] == '\n')
			xy_buf_truncate(&b[2], b[2].len - 1);
		rc = recompute(b[0].data, b[1].data, b[2].data, b[3].data, why, err);
	}
	for (int i = 0; i < 4; i++)
		xy_buf_release(&b[i]);
	xy_buf_release(&path);
	return rc;
}

/* ---- results (一公开) ---- */

/* Whether code is a target of the draw text ("target\tCODE\t…"). */
static bool is_target(const char *text, const char *code)
{
	size_t n = strlen(code);
	for (const char *p = strstr(text, "\ntarget\t"); p; p = strstr(p + 1, "\ntarget\t"))
		if (strncmp(p + 8, code, n) == 0 && p[8 + n] == '\t')
			return true;
	return false;
}

xy_code xy_inspect_result(xy_credit *cr, int64_t draw_id, const char *code, const char *outcome,
			  const char *penalty_path, xy_error *err)
{
	struct draw_ctx d = { XY_BUF_INIT, XY_BUF_INIT, XY_BUF_INIT, XY_BUF_INIT, 0, false };
	struct plan_text p = { XY_BUF_INIT, false };
	xy_inspect_plan plan;
	xy_batch batch;
	xy_buf detail = XY_BUF_INIT;
	char at[32];
	size_t i;
	xy_code rc;
	memset(&plan, 0, sizeof plan);
	memset(&batch, 0, sizeof batch);
	for (i = 0; xy_inspect_outcomes[i] && strcmp(xy_inspect_outcomes[i], outcome); i++)
		;
	if (!xy_inspect_outcomes[i])
		return xy_error_at(err, XY_ERR_INVALID, NULL, 0, "检查结果",
				   "检查结果“%s”应为 未发现问题、责令整改、立案查处 或 未检查", outcome);
	if (penalty_path && strcmp(outcome, "立案查处") != 0)
		return xy_error_at(err, XY_ERR_INVALID, NULL, 0, "penalty",
				   "只有“立案查处”的结果带行政处罚文件");
	if ((rc = load_draw(cr->store, draw_id, &d, &p, err)))
		goto done;
	if (!is_target(d.text.data, code)) {
		rc = xy_error_at(err, XY_ERR_NOTFOUND, NULL, 0, "主体代码",
				 "主体 %s 不是抽取 %lld 的检查对象", code, (long long)draw_id);
		goto done;
	}
	if ((rc = xy_inspect_plan_parse(p.text.data, p.text.len, "plan", &plan, err)))
		goto done;
	if (penalty_path) {
		/* the penalty is a 行政处罚 record of the plan's unit, through the
		 * import path: validated, counted and audited like any report */
		xy_import_opts o;
		memset(&o, 0, sizeof o);
		o.unit = plan.unit;
		o.category = "行政处罚";
		o.who = cr->who;
		o.strict = false;
		if ((rc = xy_import_file(cr->store, cr->reg, penalty_path, &o, &batch, err)))
			goto done;
		if (batch.added + batch.updated + batch.unchanged == 0) {
			rc = xy_error_at(err, XY_ERR_INVALID, penalty_path, 0, "penalty",
					 "行政处罚文件没有被接受的记录（批次 %lld）", (long long)batch.id);
			goto done;
		}
	}
	now_iso(at);
	{
		xy_inspect_result_row r = { .draw_id = draw_id, .code = code, .outcome = outcome,
					    .detail = "", .recorded_at = at, .who = cr->who,
					    .batch_id = penalty_path ? batch.id : 0 };
		if (xy_buf_addf(&detail, "draw=%lld %s %s batch=%lld", (long long)draw_id, code, outcome,
				(long long)r.batch_id)) {
			rc = nomem(err);
			goto done;
		}
		if ((rc = xy_store_begin(cr->store, false, err)))
			goto done;
		if ((rc = xy_store_inspect_result_insert(cr->store, &r, err)) ||
		    (rc = audit(cr, "inspect.result", "inspect-draw", draw_id, detail.data, NULL, NULL,
				err)) ||
		    (rc = xy_store_commit(cr->store, err)))
			xy_store_rollback(cr->store, NULL);
	}
done:
	draw_ctx_release(&d);
	xy_buf_release(&p.text);
	xy_buf_release(&detail);
	xy_inspect_plan_release(&plan);
	xy_batch_release(&batch);
	return rc;
}

/* ---- export ---- */

/* One published table written twice from the same cells: as CSV (UTF-8 with
 * BOM, for Excel/WPS; a cell holding a comma or quote is quoted) and as XLSX
 * (every cell text, lib/ingest/xlsx_writer.c), so the two cannot differ. */
struct table {
	xy_buf csv;
	void *xlsx;
	const xy_writer_ops *ops;
	xy_code rc;
	xy_error *err;
};

static xy_code table_open(struct table *t, const char *dir, const char *name, const char *sheet,
			  size_t n, const char *const *head, xy_error *err)
{
	xy_buf path = XY_BUF_INIT;
	xy_code rc;
	t->err = err;
	if (xy_buf_addf(&path, "%s/%s", dir, name) || xy_buf_addstr(&t->csv, "\xef\xbb\xbf"))
		rc = nomem(err);
	else
		rc = xy__xlsx_table_open(&t->xlsx, &t->ops, path.data, sheet, err);
	xy_buf_release(&path);
	return rc ? rc : (t->rc = t->ops->header(t->xlsx, n, head, err)) ? t->rc : XY_OK;
}

/* A row of n cells into both files (the header too, for the CSV). */
static void table_row(struct table *t, size_t n, const char *const *cells)
{
	if (t->rc)
		return;
	for (size_t i = 0; i < n; i++) {
		const char *c = cells[i];
		int quote = strpbrk(c, ",\"\r\n") != NULL;
		if (i && xy_buf_addstr(&t->csv, ","))
			t->rc = XY_ERR_NOMEM;
		if (quote)
			xy_buf_addstr(&t->csv, "\"");
		for (; *c; c++)
			if ((*c == '"' && xy_buf_addstr(&t->csv, "\"")) || xy_buf_add(&t->csv, c, 1))
				t->rc = XY_ERR_NOMEM;
		if (quote)
			xy_buf_addstr(&t->csv, "\"");
	}
	if (xy_buf_addstr(&t->csv, "\r\n"))
		t->rc = XY_ERR_NOMEM;
	if (t->rc)
		nomem(t->err);
}

/* Write the CSV beside the XLSX and finish the XLSX; releases t. */
static xy_code table_close(struct table *t, const char *dir, const char *name, xy_code rc)
{
	xy_code rc2 = t->xlsx ? t->ops->close(t->xlsx, rc ? NULL : t->err) : XY_OK;
	if (!rc && !(rc = t->rc) && !(rc = rc2))
		rc = write_all(dir, name, t->csv.data, t->csv.len, t->err);
	xy_buf_release(&t->csv);
	return rc;
}

static const char *const DRAW_HEAD[] = { "主体代码", "等级", "类型", "检查组" };
static const char *const RESULT_HEAD[] = { "主体代码", "检查结果", "登记时间", "行政处罚批次" };

static int res_row_cb(void *ctx, const xy_inspect_result_row *r)
{
	struct table *t = ctx;
	char batch[24];
	snprintf(batch, sizeof batch, "%lld", (long long)r->batch_id);
	const char *cells[] = { r->code, r->outcome, r->recorded_at, batch };
	table_row(t, 4, cells);
	if (!t->rc)
		t->rc = t->ops->row(t->xlsx, 4, cells, NULL, t->err);
	return t->rc != XY_OK;
}

xy_code xy_inspect_export(xy_store *s, int64_t draw_id, const char *dir, xy_error *err)
{
	struct draw_ctx d = { XY_BUF_INIT, XY_BUF_INIT, XY_BUF_INIT, XY_BUF_INIT, 0, false };
	struct plan_text p = { XY_BUF_INIT, false };
	struct table dt = { XY_BUF_INIT, NULL, NULL, XY_OK, err };
	struct table rt = { XY_BUF_INIT, NULL, NULL, XY_OK, err };
	xy_code rc = load_draw(s, draw_id, &d, &p, err);
	if (rc)
		goto done;
	if (mkdir(dir, 0777) && errno != EEXIST) {
		rc = xy_error_at(err, XY_ERR_IO, dir, 0, NULL, "无法创建目录：%s", strerror(errno));
		goto done;
	}
	/* draw.csv / draw.xlsx: the targets, one row per draw text target line */
	if ((rc = table_open(&dt, dir, "draw.xlsx", "抽查对象", 4, DRAW_HEAD, err)))
		goto done;
	table_row(&dt, 4, DRAW_HEAD);
	for (const char *q = strstr(d.text.data, "\ntarget\t"); q && !dt.rc;
	     q = strstr(q + 1, "\ntarget\t")) {
		const char *nl = strchr(q + 1, '\n');
		xy_buf line = XY_BUF_INIT;
		const char *cells[4] = { "", "", "", "" };
		char *save = NULL, *tok;
		size_t n = 0;
		if (xy_buf_add(&line, q + 8, (size_t)((nl ? nl : q + strlen(q)) - (q + 8)))) {
			dt.rc = nomem(err);
			break;
		}
		for (tok = strtok_r(line.data, "\t", &save); tok && n < 4; tok = strtok_r(NULL, "\t", &save))
			cells[n++] = tok;
		table_row(&dt, 4, cells);
		if (!dt.rc)
			dt.rc = dt.ops->row(dt.xlsx, 4, cells, NULL, err);
		xy_buf_release(&line);
	}
	/* results.csv / results.xlsx */
	if (!(rc = dt.rc) && !(rc = table_open(&rt, dir, "results.xlsx", "检查结果", 4, RESULT_HEAD, err))) {
		table_row(&rt, 4, RESULT_HEAD);
		rc = xy_store_inspect_results(s, draw_id, res_row_cb, &rt, err);
		if (!rc)
			rc = rt.rc;
	}
	xy_buf_addstr(&d.random, "\n");
	if (!rc && ((rc = write_all(dir, "plan.json", p.text.data, p.text.len, err)) ||
		    (rc = write_all(dir, "population.tsv", d.population.data, d.population.len, err)) ||
		    (rc = write_all(dir, "random.txt", d.random.data, d.random.len, err)) ||
		    (rc = write_all(dir, "draw.txt", d.text.data, d.text.len, err))))
		goto done;
done:
	rc = table_close(&dt, dir, "draw.csv", rc);
	rc = table_close(&rt, dir, "results.csv", rc);
	draw_ctx_release(&d);
	xy_buf_release(&p.text);
	return rc;
}

/* ---- report ---- */

struct counts {
	long in_scope[4], drawn[4], inspected[4], problems[4];
};

struct rep {
	xy_store *s;
	json_t *plans, *units;
	int64_t plan_id;
	struct counts *cur;
	const char *text; /* the draw text results are matched against */
	xy_code rc;
	xy_error *err;
};

/* The grade of a target in a draw text, or 0. */
static char target_grade(const char *text, const char *code)
{
	size_t n = strlen(code);
	for (const char *p = strstr(text, "\ntarget\t"); p; p = strstr(p + 1, "\ntarget\t"))
		if (strncmp(p + 8, code, n) == 0 && p[8 + n] == '\t')
			return p[9 + n];
	return 0;
}

static int rep_result_cb(void *ctx, const xy_inspect_result_row *r)
{
	struct rep *c = ctx;
	const char *g = strchr(XY_INSPECT_GRADES, target_grade(c->text, r->code));
	if (!g || !*g || strcmp(r->outcome, "未检查") == 0)
		return 0;
	c->cur->inspected[g - XY_INSPECT_GRADES]++;
	c->cur->problems[g - XY_INSPECT_GRADES] +=
		strcmp(r->outcome, "责令整改") == 0 || strcmp(r->outcome, "立案查处") == 0;
	return 0;
}

static int rep_draw_cb(void *ctx, const xy_inspect_draw_row *r)
{
	struct rep *c = ctx;
	for (const char *p = strstr(r->text, "\nstratum\t"); p; p = strstr(p + 1, "\nstratum\t")) {
		const char *g = strchr(XY_INSPECT_GRADES, p[9]);
		long n = 0;
		if (g && *g && sscanf(p + 11, "%ld", &n) == 1)
			c->cur->in_scope[g - XY_INSPECT_GRADES] += n;
	}
	for (const char *p = strstr(r->text, "\ntarget\t"); p; p = strstr(p + 1, "\ntarget\t")) {
		const char *tab = strchr(p + 8, '\t');
		const char *g = tab ? strchr(XY_INSPECT_GRADES, tab[1]) : NULL;
		if (g && *g)
			c->cur->drawn[g - XY_INSPECT_GRADES]++;
	}
	c->text = r->text;
	return 0;
}

static json_t *grades_json(const struct counts *k)
{
	json_t *a = json_array();
	for (int g = 0; g < 4; g++) {
		char name[2] = { XY_INSPECT_GRADES[g], 0 };
		json_array_append_new(
			a, json_pack("{s:s, s:I, s:I, s:I, s:I, s:f}", "grade", name, "in_scope",
				     (json_int_t)k->in_scope[g], "drawn", (json_int_t)k->drawn[g],
				     "inspected", (json_int_t)k->inspected[g], "problems",
				     (json_int_t)k->problems[g], "drawn_rate",
				     k->in_scope[g] ? (double)k->drawn[g] / (double)k->in_scope[g] : 0.0));
	}
	return a;
}

struct draw_ids {
	int64_t *v;
	size_t n, cap;
};

static int draw_id_cb(void *ctx, const xy_inspect_draw_row *r)
{
	struct draw_ids *d = ctx;
	int64_t *v = xy_array_grow(d->v, d->n, &d->cap, sizeof *v, 8);
	if (!v)
		return 1;
	d->v = v;
	v[d->n++] = r->id;
	return 0;
}

static void add_counts(struct counts *to, const struct counts *k)
{
	for (int g = 0; g < 4; g++) {
		to->in_scope[g] += k->in_scope[g];
		to->drawn[g] += k->drawn[g];
		to->inspected[g] += k->inspected[g];
		to->problems[g] += k->problems[g];
	}
}

static int rep_plan_cb(void *ctx, const xy_inspect_plan_row *r)
{
	struct rep *c = ctx;
	struct counts k;
	struct draw_ids ids = { NULL, 0, 0 };
	memset(&k, 0, sizeof k);
	c->cur = &k;
	if ((c->rc = xy_store_inspect_draws(c->s, 0, r->id, draw_id_cb, &ids, c->err)))
		return 1;
	for (size_t i = 0; i < ids.n && !c->rc; i++) {
		struct counts one;
		memset(&one, 0, sizeof one);
		c->cur = &one;
		if (!(c->rc = xy_store_inspect_draws(c->s, ids.v[i], 0, rep_draw_cb, c, c->err))) {
			/* text is valid only in the callback: match results there */
			struct draw_ctx d = { XY_BUF_INIT, XY_BUF_INIT, XY_BUF_INIT, XY_BUF_INIT, 0, false };
			c->rc = xy_store_inspect_draws(c->s, ids.v[i], 0, draw_cb, &d, c->err);
			c->text = d.text.data;
			if (!c->rc)
				c->rc = xy_store_inspect_results(c->s, ids.v[i], rep_result_cb, c, c->err);
			draw_ctx_release(&d);
		}
		add_counts(&k, &one);
	}
	free(ids.v);
	if (c->rc)
		return 1;
	json_array_append_new(c->plans, json_pack("{s:I, s:s, s:s, s:I, s:o}", "id", (json_int_t)r->id,
						  "name", r->name, "unit", r->unit, "draws",
						  (json_int_t)ids.n, "grades", grades_json(&k)));
	{ /* accumulate per unit in the units object: unit → counts as JSON */
		json_t *u = json_object_get(c->units, r->unit), *g;
		size_t i;
		if (!u) {
			json_object_set_new(c->units, r->unit, grades_json(&k));
			return 0;
		}
		json_array_foreach(u, i, g) {
			static const char *const keys[] = { "in_scope", "drawn", "inspected", "problems" };
			long *vals[] = { k.in_scope, k.drawn, k.inspected, k.problems };
			for (int j = 0; j < 4; j++)
				json_object_set_new(g, keys[j],
						    json_integer(json_integer_value(json_object_get(g, keys[j])) +
								 vals[j][i]));
			{
				json_int_t n = json_integer_value(json_object_get(g, "in_scope"));
				json_object_set_new(g, "drawn_rate",
						    json_real(n ? (double)json_integer_value(json_object_get(g, "drawn")) / (double)n : 0.0));
			}
		}
	}
	return 0;
}

xy_code xy_inspect_report(xy_store *s, int64_t plan_id, json_t **out, xy_error *err)
{
	struct rep c = { s, json_array(), json_object(), plan_id, NULL, NULL, XY_OK, err };
	json_t *units = json_array();
	const char *name;
	json_t *g;
	xy_code rc = xy_store_inspect_plans(s, plan_id, rep_plan_cb, &c, err);
	if (!rc)
		rc = c.rc;
	json_object_foreach(c.units, name, g)
		json_array_append_new(units, json_pack("{s:s, s:O}", "unit", name, "grades", g));
	json_decref(c.units);
	if (rc) {
		json_decref(c.plans);
		json_decref(units);
		return rc;
	}
	*out = json_pack("{s:o, s:o}", "plans", c.plans, "units", units);
	return *out ? XY_OK : nomem(err);
}
