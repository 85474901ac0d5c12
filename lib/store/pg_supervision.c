/* xinyong: PostgreSQL backend, credit grading and inspections (SQLite migrations 17-18), not
 * yet written (pg_int.h). */
#include "pg_int.h"

/* credit grading and inspections (migrations 17-18): not yet on PostgreSQL */
static xy_code pg_grade_facts(xy_store *s, xy_grade_source src, const char *arg, const char *from, const char *to, int64_t batch_id, xy_grade_fact_cb cb, void *ctx, xy_error *err)
{
	(void)s; (void)src; (void)arg; (void)from; (void)to; (void)batch_id; (void)cb; (void)ctx;
	return unsupported(err, "grade_facts");
}

static xy_code pg_grade_subjects(xy_store *s, int64_t batch_id, xy_id_cb cb, void *ctx, xy_error *err)
{
	(void)s; (void)batch_id; (void)cb; (void)ctx;
	return unsupported(err, "grade_subjects");
}

static xy_code pg_grade_model_put(xy_store *s, const char *sha256, const char *name, const char *text, const char *at, int64_t *id, xy_error *err)
{
	(void)s; (void)sha256; (void)name; (void)text; (void)at; (void)id;
	return unsupported(err, "grade_model_put");
}

static xy_code pg_grade_model_last(xy_store *s, xy_buf *text, xy_error *err)
{
	(void)s; (void)text;
	return unsupported(err, "grade_model_last");
}

static xy_code pg_grade_run_insert(xy_store *s, int64_t model_id, const char *as_of, int64_t batch_id, const char *at, int64_t *run_id, xy_error *err)
{
	(void)s; (void)model_id; (void)as_of; (void)batch_id; (void)at; (void)run_id;
	return unsupported(err, "grade_run_insert");
}

static xy_code pg_grade_run_done(xy_store *s, int64_t run_id, long subjects, xy_error *err)
{
	(void)s; (void)run_id; (void)subjects;
	return unsupported(err, "grade_run_done");
}

static xy_code pg_grade_put(xy_store *s, int64_t run_id, int64_t subject_id, long score, const char *grade, const char *items, xy_error *err)
{
	(void)s; (void)run_id; (void)subject_id; (void)score; (void)grade; (void)items;
	return unsupported(err, "grade_put");
}

static xy_code pg_grade_grades_of(xy_store *s, int64_t subject_id, int64_t run_id, xy_grade_cb cb, void *ctx, xy_error *err)
{
	(void)s; (void)subject_id; (void)run_id; (void)cb; (void)ctx;
	return unsupported(err, "grade_grades_of");
}

static xy_code pg_grade_latest(xy_store *s, xy_grade_cb cb, void *ctx, xy_error *err)
{
	(void)s; (void)cb; (void)ctx;
	return unsupported(err, "grade_latest");
}

static xy_code pg_grade_grades(xy_store *s, const char *grade, int64_t run_id, int64_t after_id, size_t limit, xy_grade_cb cb, void *ctx, xy_error *err)
{
	(void)s; (void)grade; (void)run_id; (void)after_id; (void)limit; (void)cb; (void)ctx;
	return unsupported(err, "grade_grades");
}

static xy_code pg_grade_counts(xy_store *s, int64_t run_id, xy_grade_count_cb cb, void *ctx, xy_error *err)
{
	(void)s; (void)run_id; (void)cb; (void)ctx;
	return unsupported(err, "grade_counts");
}

static xy_code pg_grade_runs(xy_store *s, xy_grade_cb cb, void *ctx, xy_error *err)
{
	(void)s; (void)cb; (void)ctx;
	return unsupported(err, "grade_runs");
}

static xy_code pg_inspect_plan_insert(xy_store *s, const xy_inspect_plan_row *r, int64_t *id, xy_error *err)
{
	(void)s; (void)r; (void)id;
	return unsupported(err, "inspect_plan_insert");
}

static xy_code pg_inspect_draw_insert(xy_store *s, const xy_inspect_draw_row *r, int64_t *id, xy_error *err)
{
	(void)s; (void)r; (void)id;
	return unsupported(err, "inspect_draw_insert");
}

static xy_code pg_inspect_result_insert(xy_store *s, const xy_inspect_result_row *r, xy_error *err)
{
	(void)s; (void)r;
	return unsupported(err, "inspect_result_insert");
}

static xy_code pg_inspect_plans(xy_store *s, int64_t id, xy_inspect_plan_cb cb, void *ctx, xy_error *err)
{
	(void)s; (void)id; (void)cb; (void)ctx;
	return unsupported(err, "inspect_plans");
}

static xy_code pg_inspect_draws(xy_store *s, int64_t id, int64_t plan_id, xy_inspect_draw_cb cb, void *ctx, xy_error *err)
{
	(void)s; (void)id; (void)plan_id; (void)cb; (void)ctx;
	return unsupported(err, "inspect_draws");
}

static xy_code pg_inspect_results(xy_store *s, int64_t draw_id, xy_inspect_result_cb cb, void *ctx, xy_error *err)
{
	(void)s; (void)draw_id; (void)cb; (void)ctx;
	return unsupported(err, "inspect_results");
}

const struct xy__store_grade_ops xy__pg_grade_ops = {
	.facts = pg_grade_facts,
	.subjects = pg_grade_subjects,
	.model_put = pg_grade_model_put,
	.model_last = pg_grade_model_last,
	.run_insert = pg_grade_run_insert,
	.run_done = pg_grade_run_done,
	.put = pg_grade_put,
	.grades_of = pg_grade_grades_of,
	.grades = pg_grade_grades,
	.latest = pg_grade_latest,
	.runs = pg_grade_runs,
	.counts = pg_grade_counts,
};

const struct xy__store_inspect_ops xy__pg_inspect_ops = {
	.plan_insert = pg_inspect_plan_insert,
	.draw_insert = pg_inspect_draw_insert,
	.result_insert = pg_inspect_result_insert,
	.plans = pg_inspect_plans,
	.draws = pg_inspect_draws,
	.results = pg_inspect_results,
};
