/* xinyong: the SQLite backend's 双随机、一公开 plans, draws and results
 * (store.h "inspections"; migration 18).  Every value bound; statements
 * prepared once per handle in their slots (XY__SQ_INSPECT…). */
#include <stdint.h>
#include <string.h>

#include "xinyong/store.h"
#include "sqlite_int.h"

enum { I_PLAN_INS, I_DRAW_INS, I_RES_INS, I_PLANS, I_DRAWS, I_RESULTS, I__N };

static const char *const sql_text[I__N] = {
	[I_PLAN_INS] = "INSERT INTO inspect_plans(unit, name, text, digest, created_at, who)"
		       " VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
	[I_DRAW_INS] = "INSERT INTO inspect_draws(plan_id, random, population, population_digest,"
		       " text, digest, drawn_at, who) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
	[I_RES_INS] = "INSERT INTO inspect_results(draw_id, code, outcome, detail, recorded_at, who,"
		      " batch_id) VALUES (?1, ?2, ?3, ?4, ?5, ?6, nullif(?7, 0))",
	[I_PLANS] = "SELECT id, unit, name, text, digest, created_at, who FROM inspect_plans"
		    " WHERE ?1 = 0 OR id = ?1 ORDER BY id",
	[I_DRAWS] = "SELECT id, plan_id, random, population, population_digest, text, digest,"
		    " drawn_at, who FROM inspect_draws"
		    " WHERE (?1 = 0 OR id = ?1) AND (?2 = 0 OR plan_id = ?2) ORDER BY id",
	[I_RESULTS] = "SELECT draw_id, code, outcome, detail, recorded_at, who,"
		      " coalesce(batch_id, 0) FROM inspect_results"
		      " WHERE ?1 = 0 OR draw_id = ?1 ORDER BY draw_id, code",
};

static xy_code prep(xy_store *s, int which, sqlite3_stmt **st, xy_error *err)
{
	return xy__sq_prep(s, XY__SQ_INSPECT + (unsigned)which, sql_text[which], st, err);
}

/* Step an INSERT; *id (may be NULL) gets the new rowid. */
static xy_code insert(xy_store *s, sqlite3_stmt *st, const char *what, int64_t *id,
		      xy_error *err)
{
	int src = sq_step(SQ(s), st);
	xy_code rc = XY_OK;
	if ((src & 0xff) == SQLITE_CONSTRAINT) /* extended codes are on (sqlite.c) */
		rc = xy_error_set(err, XY_ERR_CONFLICT, "%s: 已存在", what);
	else if (src != SQLITE_DONE)
		rc = xy__sq_fail(s, src, what, err);
	else if (id)
		*id = sqlite3_last_insert_rowid(xy__sq_db(s));
	sqlite3_reset(st);
	return rc;
}

static xy_code sq_plan_insert(xy_store *s, const xy_inspect_plan_row *r, int64_t *id,
			      xy_error *err)
{
	sqlite3_stmt *st = NULL;
	xy_code rc = prep(s, I_PLAN_INS, &st, err);
	if (rc)
		return rc;
	sq_bind_txt(SQ(s), st, 1, r->unit);
	sq_bind_txt(SQ(s), st, 2, r->name);
	sq_bind_txt(SQ(s), st, 3, r->text);
	sq_bind_txt(SQ(s), st, 4, r->digest);
	sq_bind_txt(SQ(s), st, 5, r->created_at);
	sq_bind_txt(SQ(s), st, 6, r->who && *r->who ? r->who : "cli");
	return insert(s, st, "检查计划（相同内容的计划）", id, err);
}

static xy_code sq_draw_insert(xy_store *s, const xy_inspect_draw_row *r, int64_t *id,
			      xy_error *err)
{
	sqlite3_stmt *st = NULL;
	xy_code rc = prep(s, I_DRAW_INS, &st, err);
	if (rc)
		return rc;
	sq_bind_int64(SQ(s), st, 1, r->plan_id);
	sq_bind_txt(SQ(s), st, 2, r->random);
	sq_bind_txt(SQ(s), st, 3, r->population);
	sq_bind_txt(SQ(s), st, 4, r->population_digest);
	sq_bind_txt(SQ(s), st, 5, r->text);
	sq_bind_txt(SQ(s), st, 6, r->digest);
	sq_bind_txt(SQ(s), st, 7, r->drawn_at);
	sq_bind_txt(SQ(s), st, 8, r->who && *r->who ? r->who : "cli");
	return insert(s, st, "抽取记录", id, err);
}

static xy_code sq_result_insert(xy_store *s, const xy_inspect_result_row *r, xy_error *err)
{
	sqlite3_stmt *st = NULL;
	xy_code rc = prep(s, I_RES_INS, &st, err);
	if (rc)
		return rc;
	sq_bind_int64(SQ(s), st, 1, r->draw_id);
	sq_bind_txt(SQ(s), st, 2, r->code);
	sq_bind_txt(SQ(s), st, 3, r->outcome);
	sq_bind_txt(SQ(s), st, 4, r->detail);
	sq_bind_txt(SQ(s), st, 5, r->recorded_at);
	sq_bind_txt(SQ(s), st, 6, r->who && *r->who ? r->who : "cli");
	sq_bind_int64(SQ(s), st, 7, r->batch_id);
	return insert(s, st, "该对象的检查结果", NULL, err);
}

/* Walk a bound SELECT, handing each row to row_fn; XY_ERR_NOTFOUND when
 * `one` and no row came. */
static xy_code walk(xy_store *s, sqlite3_stmt *st, const char *what, bool one,
		    xy__sq_row_fn row_fn, void *cb, void *ctx, xy_error *err)
{
	long n = 0;
	xy_code rc = xy__sq_each(s, st, row_fn, cb, ctx, what, &n, err);
	if (!rc && one && !n)
		rc = xy_error_set(err, XY_ERR_NOTFOUND, "没有这个%s", what);
	return rc;
}

static int plan_row(sqlite3_stmt *st, void *cb, void *ctx)
{
	xy_inspect_plan_row r = {
		.id = sqlite3_column_int64(st, 0), .unit = xy__sq_col(st, 1),
		.name = xy__sq_col(st, 2), .text = xy__sq_col(st, 3), .digest = xy__sq_col(st, 4),
		.created_at = xy__sq_col(st, 5), .who = xy__sq_col(st, 6),
	};
	return ((xy_inspect_plan_cb)cb)(ctx, &r);
}

static int draw_row(sqlite3_stmt *st, void *cb, void *ctx)
{
	xy_inspect_draw_row r = {
		.id = sqlite3_column_int64(st, 0), .plan_id = sqlite3_column_int64(st, 1),
		.random = xy__sq_col(st, 2), .population = xy__sq_col(st, 3),
		.population_digest = xy__sq_col(st, 4), .text = xy__sq_col(st, 5),
		.digest = xy__sq_col(st, 6), .drawn_at = xy__sq_col(st, 7), .who = xy__sq_col(st, 8),
	};
	return ((xy_inspect_draw_cb)cb)(ctx, &r);
}

static int result_row(sqlite3_stmt *st, void *cb, void *ctx)
{
	xy_inspect_result_row r = {
		.draw_id = sqlite3_column_int64(st, 0), .code = xy__sq_col(st, 1),
		.outcome = xy__sq_col(st, 2), .detail = xy__sq_col(st, 3),
		.recorded_at = xy__sq_col(st, 4), .who = xy__sq_col(st, 5),
		.batch_id = sqlite3_column_int64(st, 6),
	};
	return ((xy_inspect_result_cb)cb)(ctx, &r);
}

static xy_code sq_plans(xy_store *s, int64_t id, xy_inspect_plan_cb cb, void *ctx, xy_error *err)
{
	sqlite3_stmt *st = NULL;
	xy_code rc = prep(s, I_PLANS, &st, err);
	if (rc)
		return rc;
	sq_bind_int64(SQ(s), st, 1, id);
	return walk(s, st, "检查计划", id > 0, plan_row, (void *)cb, ctx, err);
}

static xy_code sq_draws(xy_store *s, int64_t id, int64_t plan_id, xy_inspect_draw_cb cb,
			void *ctx, xy_error *err)
{
	sqlite3_stmt *st = NULL;
	xy_code rc = prep(s, I_DRAWS, &st, err);
	if (rc)
		return rc;
	sq_bind_int64(SQ(s), st, 1, id);
	sq_bind_int64(SQ(s), st, 2, plan_id);
	return walk(s, st, "抽取记录", id > 0, draw_row, (void *)cb, ctx, err);
}

static xy_code sq_results(xy_store *s, int64_t draw_id, xy_inspect_result_cb cb, void *ctx,
			  xy_error *err)
{
	sqlite3_stmt *st = NULL;
	xy_code rc = prep(s, I_RESULTS, &st, err);
	if (rc)
		return rc;
	sq_bind_int64(SQ(s), st, 1, draw_id);
	return walk(s, st, "检查结果", false, result_row, (void *)cb, ctx, err);
}

const struct xy__store_inspect_ops xy__sqlite_inspect_ops = {
	.plan_insert = sq_plan_insert,
	.draw_insert = sq_draw_insert,
	.result_insert = sq_result_insert,
	.plans = sq_plans,
	.draws = sq_draws,
	.results = sq_results,
};
