/* xinyong: the views of credit grading (grade.h): a subject's grade with its
 * explanation, its history, the subjects of a grade, the runs.  Built once
 * here as JSON values, so the CLI and the server print the same thing. */
#include <string.h>

#include "xinyong/grade.h"
#include "lib/credit/views_internal.h"

static json_t *run_json(const xy_grade_row *g)
{
	return json_pack("{s:I,s:s,s:s,s:s,s:s,s:o?,s:i}", "id", (json_int_t)g->run_id, "as_of",
			 g->as_of, "at", g->at, "model", g->model, "sha256", g->sha256, "batch",
			 g->batch_id ? json_integer(g->batch_id) : NULL, "subjects",
			 (int)g->subjects);
}

typedef struct collect {
	json_t *arr;
	bool items; /* with the explanation */
	bool subject;
	bool failed;
	size_t max;    /* a page's rows (0: all); one more row means "more" */
	size_t got;
	int64_t last;  /* the page's last subject id */
	bool more;
} collect;

/* The name of code among the model's groups (or indicators), NULL if none. */
static const char *name_of(const xy_grade_model *m, bool group, const char *code)
{
	if (!code)
		return NULL;
	if (group) {
		for (size_t i = 0; i < m->ngroups; i++)
			if (!strcmp(m->groups[i].code, code))
				return m->groups[i].name;
	} else {
		for (size_t i = 0; i < m->nindicators; i++)
			if (!strcmp(m->indicators[i].code, code))
				return m->indicators[i].name;
	}
	return NULL;
}

/* Each explanation item of the rows of arr (add_row's) gets group_name and
 * indicator_name from the model of its run (by SHA-256): items hold the
 * codes, the names are stored once per model instead of once per subject.
 * After the store's walk (a callback does not call the store: store.h); a
 * model is read and parsed once per run met.  One that cannot be read
 * leaves the codes alone (the explanation adds up without the names).
 * XY_ERR_NOMEM or XY_OK. */
static xy_code name_items(xy_store *s, json_t *arr, xy_error *err)
{
	xy_grade_model m = { 0 };
	bool have = false, failed = false;
	size_t i, j;
	json_t *row, *it;
	json_array_foreach(arr, i, row)
	{
		const char *sha = json_string_value(json_object_get(json_object_get(row, "run"),
								    "sha256"));
		json_t *items = json_object_get(row, "items");
		if (!sha || !json_array_size(items))
			continue;
		if (!have || strcmp(m.sha256, sha)) {
			xy_buf text = XY_BUF_INIT;
			xy_error e = XY_ERROR_INIT;
			if (have)
				xy_grade_model_release(&m);
			have = !xy_store_grade_model_text(s, sha, &text, &e) &&
			       !xy_grade_model_parse(&m, "(stored model)", text.data, text.len, NULL,
						     NULL, &e);
			xy_buf_release(&text);
			if (!have)
				continue;
		}
		json_array_foreach(items, j, it)
		{
			const char *g = name_of(&m, true, json_string_value(json_object_get(it, "group")));
			const char *in = name_of(&m, false,
						 json_string_value(json_object_get(it, "indicator")));
			if ((g && json_object_set_new(it, "group_name", json_string(g))) ||
			    (in && json_object_set_new(it, "indicator_name", json_string(in))))
				failed = true;
		}
	}
	if (have)
		xy_grade_model_release(&m);
	return failed ? xy_error_set(err, XY_ERR_NOMEM, "out of memory") : XY_OK;
}

static int add_row(void *ctx, const xy_grade_row *g)
{
	collect *c = ctx;
	if (c->max && c->got == c->max) {
		c->more = true;
		return 1;
	}
	c->got++;
	c->last = g->subject_id;
	json_t *o = json_pack("{s:o,s:f,s:s}", "run", run_json(g), "score", g->score / 100.0,
			      "grade", g->grade);
	if (o && c->subject)
		json_object_set_new(o, "subject",
				    json_pack("{s:s,s:s}", "code", g->code, "name", g->name));
	if (o && c->items) {
		json_error_t je;
		json_t *items = json_loads(g->items, 0, &je);
		json_t *forced = NULL;
		size_t i;
		json_t *it;
		json_array_foreach(items, i, it)
		{
			const char *kind = json_string_value(json_object_get(it, "kind"));
			if (!forced && kind && !strcmp(kind, "force"))
				forced = it;
		}
		json_object_set_new(o, "forced", forced ? json_string(g->grade) : json_null());
		json_object_set_new(o, "items", items ? items : json_array());
	}
	if (!o || json_array_append_new(c->arr, o)) {
		c->failed = true;
		return 1;
	}
	return 0;
}

static xy_code subject_of(xy_store *s, const char *code, xy_subject *subj, xy_error *err)
{
	if (!code || !*code)
		return xy_error_at(err, XY_ERR_ARG, NULL, 0, "subject",
				   "give the subject's code (请提供主体代码)");
	xy_code rc = xy_store_subject_by_code(s, code, subj, err);
	if (rc == XY_ERR_NOTFOUND) /* (the store leaves err untouched) */
		return xy_error_at(err, XY_ERR_NOTFOUND, NULL, 0, "subject",
				   "no subject with code '%s' (无此主体)", code);
	return rc;
}

static xy_code grades_of(xy_store *s, const char *code, int64_t run_id, json_t **subject,
			 json_t **arr, xy_error *err)
{
	xy_subject subj = { 0 };
	collect c = { .arr = json_array(), .items = true };
	xy_code rc = subject_of(s, code, &subj, err);
	if (!rc && !c.arr)
		rc = xy_error_set(err, XY_ERR_NOMEM, "out of memory");
	if (!rc)
		rc = xy_store_grades_of(s, subj.id, run_id, add_row, &c, err);
	if (!rc && c.failed)
		rc = xy_error_set(err, XY_ERR_NOMEM, "out of memory");
	if (!rc && !(*subject = json_pack("{s:s,s:s}", "code", subj.code, "name", subj.name)))
		rc = xy_error_set(err, XY_ERR_NOMEM, "out of memory");
	xy_subject_release(&subj);
	if (rc) {
		json_decref(c.arr);
		return rc;
	}
	*arr = c.arr;
	return XY_OK;
}

xy_code xy_grade_view_subject(xy_store *s, const char *code, int64_t run_id, json_t **out,
			      xy_error *err)
{
	json_t *subject = NULL, *arr = NULL, *g;
	xy_code rc = grades_of(s, code, run_id, &subject, &arr, err);
	if (rc)
		return rc;
	if (!json_array_size(arr)) {
		json_decref(subject);
		json_decref(arr);
		return run_id ? xy_error_at(err, XY_ERR_NOTFOUND, NULL, 0, "run",
					    "%s was not graded in run %lld (该主体未在此次分级中)",
					    code, (long long)run_id)
			      : xy_error_at(err, XY_ERR_NOTFOUND, NULL, 0, "subject",
					    "%s has not been graded (该主体尚未分级)", code);
	}
	/* the newest run's row only: the others' models are not read (history
	 * drops every row's items) */
	while (json_array_size(arr) > 1)
		json_array_remove(arr, 1);
	if ((rc = name_items(s, arr, err))) {
		json_decref(subject);
		json_decref(arr);
		return rc;
	}
	g = json_incref(json_array_get(arr, 0));
	json_decref(arr);
	json_object_set_new(g, "subject", subject);
	*out = g;
	return XY_OK;
}

xy_code xy_grade_view_history(xy_store *s, const char *code, json_t **out, xy_error *err)
{
	json_t *subject = NULL, *arr = NULL;
	size_t i;
	json_t *g;
	xy_code rc = grades_of(s, code, 0, &subject, &arr, err);
	if (rc)
		return rc;
	json_array_foreach(arr, i, g) json_object_del(g, "items");
	if (!(*out = json_pack("{s:o,s:o}", "subject", subject, "history", arr)))
		return xy_error_set(err, XY_ERR_NOMEM, "out of memory");
	return XY_OK;
}

xy_code xy_grade_view_list(xy_store *s, const char *grade, int64_t run_id, bool items,
			   const xy_view_page *pg, json_t **out, xy_error *err)
{
	collect c = { .items = items, .subject = true };
	int64_t after = 0;
	size_t limit = 0;
	xy_code rc;
	if (grade && *grade && (grade[0] < 'A' || grade[0] > 'Z' || grade[1]))
		return xy_error_at(err, XY_ERR_ARG, NULL, 0, "grade",
				   "a grade is one capital letter, not '%s' (等级无效)", grade);
	if (pg && (rc = xy__page_args(pg, &after, &limit, err)))
		return rc;
	if (!(c.arr = json_array()))
		return xy_error_set(err, XY_ERR_NOMEM, "out of memory");
	c.max = limit;
	/* one row more than the page tells whether another page follows */
	rc = xy_store_grades_page(s, grade, run_id, after, limit ? limit + 1 : 0, add_row, &c,
				  err);
	if (!rc && c.failed)
		rc = xy_error_set(err, XY_ERR_NOMEM, "out of memory");
	if (!rc && items)
		rc = name_items(s, c.arr, err);
	if (!rc && !(*out = json_pack("{s:I,s:s,s:o}", "run", (json_int_t)run_id, "grade",
				     grade ? grade : "", "subjects", c.arr)))
		return xy_error_set(err, XY_ERR_NOMEM, "out of memory");
	if (rc) {
		json_decref(c.arr);
		return rc;
	}
	if (pg && json_object_set_new(*out, "next",
				      c.more ? json_sprintf("%lld", (long long)c.last)
					     : json_null())) {
		json_decref(*out);
		*out = NULL;
		return xy_error_set(err, XY_ERR_NOMEM, "out of memory");
	}
	return XY_OK;
}

typedef struct counts {
	json_t *arr;
	long total;
	bool failed;
} counts;

static int add_count(void *ctx, const char *grade, long subjects)
{
	counts *c = ctx;
	if (json_array_append_new(c->arr, json_pack("{s:s,s:i}", "grade", grade, "subjects",
						     (int)subjects))) {
		c->failed = true;
		return 1;
	}
	c->total += subjects;
	return 0;
}

xy_code xy_grade_view_counts(xy_store *s, int64_t run_id, json_t **out, xy_error *err)
{
	counts c = { json_array(), 0, false };
	size_t i;
	json_t *g;
	xy_code rc;
	if (!c.arr)
		return xy_error_set(err, XY_ERR_NOMEM, "out of memory");
	rc = xy_store_grade_counts(s, run_id, add_count, &c, err);
	if (!rc && c.failed)
		rc = xy_error_set(err, XY_ERR_NOMEM, "out of memory");
	/* each grade's share in hundredths of a percent, so the shares are
	 * exact decimals (they may not add up to 100 by a rounding) */
	json_array_foreach(c.arr, i, g)
	{
		long n = (long)json_integer_value(json_object_get(g, "subjects"));
		long long centi = c.total ? ((long long)n * 10000 + c.total / 2) / c.total : 0;
		if (!rc && json_object_set_new(g, "share", json_real((double)centi / 100.0)))
			rc = xy_error_set(err, XY_ERR_NOMEM, "out of memory");
	}
	if (!rc && !(*out = json_pack("{s:I,s:i,s:o}", "run", (json_int_t)run_id, "total",
				     (int)c.total, "grades", c.arr)))
		return xy_error_set(err, XY_ERR_NOMEM, "out of memory");
	if (rc)
		json_decref(c.arr);
	return rc;
}

static int add_run(void *ctx, const xy_grade_row *g)
{
	collect *c = ctx;
	if (json_array_append_new(c->arr, run_json(g))) {
		c->failed = true;
		return 1;
	}
	return 0;
}

xy_code xy_grade_view_runs(xy_store *s, json_t **out, xy_error *err)
{
	collect c = { .arr = json_array() };
	xy_code rc;
	if (!c.arr)
		return xy_error_set(err, XY_ERR_NOMEM, "out of memory");
	rc = xy_store_grade_runs(s, add_run, &c, err);
	if (!rc && c.failed)
		rc = xy_error_set(err, XY_ERR_NOMEM, "out of memory");
	if (!rc && !(*out = json_pack("{s:o}", "runs", c.arr)))
		return xy_error_set(err, XY_ERR_NOMEM, "out of memory");
	if (rc)
		json_decref(c.arr);
	return rc;
}
