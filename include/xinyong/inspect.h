/* xinyong: 双随机、一公开 — inspection plans, verifiable draws and their results
 * (issue 12; docs/inspection.md describes the formats and the algorithm).
 *
 * A draw is a pure function of three published inputs: the plan's canonical
 * text, the population snapshot's text (the sorted eligible subjects with
 * grade, district and key-supervision flag) and a public random value
 * announced before the draw.  xy_inspect_draw_text computes the draw's text
 * from them alone; verifying is computing it again and comparing bytes
 * (xy_inspect_compare names what differs).  The store-backed functions at the
 * end keep plans, draws (immutable) and results, and audit-log them.
 *
 * Ownership: every struct filled here owns its strings; release it with its
 * _release function (safe on a zeroed or released struct).  Strings passed in
 * are borrowed for the call.
 */
#ifndef XINYONG_INSPECT_H
#define XINYONG_INSPECT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "buf.h"
#include "error.h"
#include "store.h"

/* ---- plans ---- */

typedef struct xy_inspect_item { /* one line of the 抽查事项清单 */
	char *item, *basis, *method;
} xy_inspect_item;

typedef struct xy_inspector { /* one entry of the 执法检查人员名录 */
	char *name, *unit, *district;
	char **links; /* subject codes the inspector is linked to (never inspects) */
	size_t nlinks;
} xy_inspector;

#define XY_INSPECT_GRADES "ABCD"

/* Whether g, not NUL, is one of the letters of set (a plan's grades,
 * XY_INSPECT_GRADES): what strchr(set, g) says, without strchr's call and
 * its NUL match -- a draw asks it a few times for each of a million subjects. */
static inline bool xy_inspect_grade_in(const char *set, char g)
{
	for (; *set; set++)
		if (*set == g)
			return true;
	return false;
}

typedef struct xy_inspect_plan {
	char *name, *unit;           /* plan name, supervising unit */
	xy_inspect_item *items;
	size_t nitems;
	char *category, *industry, *region; /* population filters, NULL: any */
	char grades[5];              /* grades in scope, a subset of "ABCD" in that order */
	unsigned ratio[4];           /* sampling ratio per grade A B C D, per 10,000
				      * (default 300 500 2000 10000) */
	bool key_black;              /* active black-list subjects are always drawn */
	int exclude_months;          /* subjects inspected in the last N months are out; 0: none */
	xy_inspector *pool;
	size_t npool;
	size_t team_size;            /* inspectors per target (default 2) */
	bool not_own_district;       /* nobody inspects a subject of their own district */
	char *text;                  /* canonical JSON text (what is published and digested) */
	char digest[65];             /* hex SHA-256 of text */
} xy_inspect_plan;

/* Parse a plan from JSON (docs/inspection.md "Plan file"), fill the defaults
 * and build its canonical text and digest.  file names the input in errors.
 * XY_ERR_INVALID naming the field (in Chinese) for a bad plan.  The canonical
 * text parses back to the same plan and the same text. */
xy_code xy_inspect_plan_parse(const char *json, size_t len, const char *file,
			      xy_inspect_plan *out, xy_error *err);
void xy_inspect_plan_release(xy_inspect_plan *p);

/* ---- population snapshots ---- */

typedef struct xy_inspect_subject {
	char *code;     /* subject code (统一社会信用代码 …) */
	char *district; /* "" when unknown */
	char grade;     /* 'A'…'D' */
	bool key;       /* key supervision (active black-list entry) */
} xy_inspect_subject; /* 24 bytes: a million are read several times a draw */

/* The strings of a population (internal to inspect.c): codes and districts
 * live in blocks that never move, a district once however many subjects
 * share it, so a million subjects are a few allocations, not two each. */
struct xy__inspect_arena;

typedef struct xy_inspect_population {
	xy_inspect_subject *v;  /* code and district point into arena: the population's */
	size_t n, cap;
	char *text;     /* the published list, built by _seal */
	char digest[65];
	struct xy__inspect_arena *arena;
} xy_inspect_population;

/* Append one subject (copied); grade 0 means unknown and counts as 'B'
 * (docs/inspection.md: until the grading module supplies grades). */
xy_code xy_inspect_population_add(xy_inspect_population *p, const char *code, char grade,
				  const char *district, bool key, xy_error *err);
/* Sort by code (byte order, as strcmp) keeping subjects of one code in the
 * order they were added; nothing else (no text, duplicates stay). */
xy_code xy_inspect_population_sort(xy_inspect_population *p, xy_error *err);
/* The same on `threads` threads (0: as many as the machine has, up to 4,
 * for 65,536 subjects and more; fewer when a thread cannot be started).
 * The order never depends on the number. */
xy_code xy_inspect_population_sort_threads(xy_inspect_population *p, unsigned threads,
					   xy_error *err);
/* Sort by code (unless in order already), refuse duplicates and build text
 * and digest. */
xy_code xy_inspect_population_seal(xy_inspect_population *p, xy_error *err);
/* Read a published snapshot text back (and seal it: the text must come out
 * byte for byte the same, or XY_ERR_INVALID naming the line). */
xy_code xy_inspect_population_parse(const char *text, size_t len, xy_inspect_population *out,
				    xy_error *err);
void xy_inspect_population_release(xy_inspect_population *p);

/* The grade a subject is sampled in: `given` when it is one of A–D, else
 * 'B' (documented fallback while no grade is known). */
char xy_inspect_grade_or_default(const char *given);

/* ---- draws ---- */

/* Check that a draw of plan over pop can be made in full: every subject that
 * could be drawn has team_size inspectors without a conflict.  Refuses
 * (XY_ERR_INVALID) naming the first subject that has not, before any draw. */
xy_code xy_inspect_check(const xy_inspect_plan *plan, const xy_inspect_population *pop,
			 xy_error *err);

/* The draw: xy_inspect_check, then the seeded ChaCha20 stream, Fisher–Yates
 * per grade stratum, teams; its text appended to out (docs/inspection.md
 * "Draw text").  random: the public value, one line of at most 256 bytes. */
xy_code xy_inspect_draw_text(const xy_inspect_plan *plan, const xy_inspect_population *pop,
			     const char *random, xy_buf *out, xy_error *err);

/* Compare a recorded draw text with a recomputed one: XY_OK when the bytes
 * are the same, else XY_ERR_INVALID with `why` listing each difference (an
 * input digest, a target drawn on one side only, a different team). */
xy_code xy_inspect_compare(const char *recorded, const char *recomputed, xy_buf *why);

/* The seed of a draw (hex in the text): SHA-256 of the domain tag, the plan
 * digest, the population digest (raw bytes) and the random value. */
void xy_inspect_seed(const char *plan_digest, const char *pop_digest, const char *random,
		     unsigned char seed[32]);

/* The hex SHA-256 of a published text (plan, population, draw): out holds
 * 64 hex digits and a NUL. */
void xy_inspect_digest(const char *text, size_t len, char out[65]);

/* A uniform integer in [0, n) from a ChaCha20 stream (rejection sampling). */
typedef struct xy_inspect_rng {
	unsigned char key[32];
	unsigned char block[64];
	uint64_t counter;
	unsigned pos;
} xy_inspect_rng;
void xy_inspect_rng_init(xy_inspect_rng *r, const unsigned char seed[32]);
uint32_t xy_inspect_rng_below(xy_inspect_rng *r, uint32_t n);

/* ---- kept in the store (inspect_run.c) ----
 *
 * These act through a credit layer (credit.h): its store, registry, list
 * catalogue (for key supervision) and `who` (the audit log's actor).  Every
 * change is audit-logged in the same transaction: inspect.plan.add,
 * inspect.draw, inspect.result. */
struct xy_credit;

/* Read a plan file (JSON), store its canonical text and digest. */
xy_code xy_inspect_plan_add(struct xy_credit *cr, const char *path, int64_t *id, xy_error *err);
/* The same from the plan's JSON text (file names it in errors). */
xy_code xy_inspect_plan_add_text(struct xy_credit *cr, const char *text, size_t len,
				  const char *file, int64_t *id, xy_error *err);
/* A stored plan, parsed back from its canonical text (*out the caller's). */
xy_code xy_inspect_plan_load(xy_store *s, int64_t id, xy_inspect_plan *out, xy_error *err);

/* The population snapshot of plan from a subjects file (TSV with a header:
 * 主体代码, and optionally 等级, 类别, 行业, 区域, 重点 — docs/inspection.md):
 * rows outside the plan's filters are left out; a row without 等级 takes
 * the subject's latest grade from the grading module (grade.h), and a
 * subject never graded counts as B; 重点 is set for a
 * subject with an active own black-list entry in the store (or 重点 = 1 in
 * the file); subjects with a result recorded within exclude_months before
 * `date` (NULL: today) are left out. */
xy_code xy_inspect_population_load(struct xy_credit *cr, const xy_inspect_plan *plan,
				   const char *subjects_path, const char *date,
				   xy_inspect_population *out, xy_error *err);

/* The same from a JSON array of subjects, each {"code", and optionally
 * "grade", "category", "industry", "region" (strings), "key" (true/false)}:
 * the columns of the subjects file; a refusal names subjects[i].member. */
xy_code xy_inspect_population_json(struct xy_credit *cr, const xy_inspect_plan *plan,
				   const json_t *subjects, const char *date,
				   xy_inspect_population *out, xy_error *err);

/* Draw plan_id over the subjects file with the public random value; store
 * the draw (immutable) and audit it.  Refused before drawing when the plan
 * cannot be met. */
xy_code xy_inspect_draw(struct xy_credit *cr, int64_t plan_id, const char *subjects_path,
			const char *random, int64_t *draw_id, xy_error *err);

/* The same over a JSON array of subjects (xy_inspect_population_json). */
xy_code xy_inspect_draw_json(struct xy_credit *cr, int64_t plan_id, const json_t *subjects,
			     const char *random, int64_t *draw_id, xy_error *err);

/* Recompute a stored draw from its stored published inputs: XY_OK when
 * identical, XY_ERR_INVALID with `why` naming what differs. */
xy_code xy_inspect_verify(xy_store *s, int64_t draw_id, xy_buf *why, xy_error *err);
/* The same from an exported bundle (xy_inspect_export) without a database:
 * plan.json, population.tsv, random.txt against draw.txt. */
xy_code xy_inspect_verify_dir(const char *dir, xy_buf *why, xy_error *err);

/* The outcomes a result may have (一公开). */
extern const char *const xy_inspect_outcomes[]; /* NULL-terminated */
/* Record the result for one drawn target; a penalty file is imported as
 * 行政处罚 records of the plan's unit through the import path. */
xy_code xy_inspect_result(struct xy_credit *cr, int64_t draw_id, const char *code,
			  const char *outcome, const char *penalty_path, xy_error *err);

/* Write the published bundle of a draw into dir (created): plan.json,
 * population.tsv, random.txt, draw.txt, and draw.csv / results.csv (UTF-8
 * with BOM) — the targets with grade, team and result. */
xy_code xy_inspect_export(xy_store *s, int64_t draw_id, const char *dir, xy_error *err);

/* Per plan (plan_id > 0, or every plan), by grade: in scope, drawn,
 * inspected, problems found; and per supervising unit.  *out is a new JSON
 * object {"plans":[{id,name,unit,grades:[{grade,in_scope,drawn,inspected,problems,
 * drawn_rate}]}],"units":[…same by unit…]}, the caller's to json_decref. */
xy_code xy_inspect_report(xy_store *s, int64_t plan_id, json_t **out, xy_error *err);

/* ---- views (inspect_views.c): the JSON the CLI prints and the server
 * answers; each a new value in *out, the caller's to json_decref ---- */

/* id > 0: one plan {id,unit,name,plan,sha256,created_at} (plan: its
 * canonical JSON); id 0: {"plans":[{id,unit,name,sha256,created_at}…]}. */
xy_code xy_inspect_view_plan(xy_store *s, int64_t id, json_t **out, xy_error *err);
/* Public (一公开): {"draws":[{id,plan,plan_name,unit,drawn_at,random,
 * plan_sha256,population_sha256,draw_sha256,targets}…]} by id. */
xy_code xy_inspect_view_draws(xy_store *s, json_t **out, xy_error *err);
/* Public: one draw's line as above with "strata":[{grade,in_scope,key,
 * ratio_bp,drawn}] and "targets":[{code,grade,kind,team_size,result,
 * recorded_at}] — code in its public form (xy_id_public: a 身份证号 masked),
 * teams counted, not named; result null until recorded. */
xy_code xy_inspect_view_draw(xy_store *s, int64_t id, json_t **out, xy_error *err);
/* Public: {"ok": the recomputed draw is byte for byte the stored one,
 * "differences": what differs, one line each ("" when ok)}. */
xy_code xy_inspect_view_verify(xy_store *s, int64_t id, json_t **out, xy_error *err);

#endif
