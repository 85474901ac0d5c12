/* xinyong: credit grading (信用分级分类监管, issue 12).
 *
 * A model is data the office edits (a TSV or XLSX file, docs/grading.md): indicator
 * groups with weights adding up to 100, indicators (a source of facts, a
 * window in months, points per fact, a cap, a half-life of decay), grade
 * bands covering 0–100 and rules that force a grade (an active black-list
 * entry forces D).  A run grades every subject as of a date, or only the
 * subjects one import batch touched, and keeps for each subject its score,
 * its grade and the explanation: every contributing record, list entry or
 * commitment check with its points, adding up to the score.  Runs are kept
 * with the model's text and SHA-256, so a subject's history says which
 * model graded it as of which date.
 *
 * Points are kept in hundredths (centi-points) as integers, so the
 * explanation adds up exactly.  A group is scored on its own 0–100 scale:
 * its start plus its indicators' points, held within 0–100; the score is the
 * sum of each group's scale × weight / 100, so it lies within 0–100 too.
 *
 * Ownership: a parsed model owns all its strings (xy_grade_model_release).
 * Views returned as json_t are the caller's (json_decref).
 */
#ifndef XINYONG_GRADE_H
#define XINYONG_GRADE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "error.h"
#include "registry.h"
#include "sanctions.h"
#include "store.h"
#include "views.h"

/* Sources (xy_grade_source) are declared in store.h. */

typedef struct xy_grade_group {
	char *code, *name;
	long weight; /* percent; the groups' weights add up to 100 */
	long start;  /* centi-points on the group's 0–100 scale before any fact */
	long line;   /* line of the model that declared it */
} xy_grade_group;

typedef struct xy_grade_indicator {
	size_t group;         /* index into groups */
	char *code, *name;
	xy_grade_source source;
	char *arg;            /* category name, list kind or list type name */
	int window;           /* months before the date (0: lists, active on the date) */
	long points;          /* centi-points per fact on the group's scale, signed */
	long cap;             /* at most this many centi-points in all (0: no cap) */
	int half_life;        /* months in which a fact's points halve (0: no decay) */
	long line;
} xy_grade_indicator;

typedef struct xy_grade_band {
	char grade[2];
	long lo, hi; /* centi-points: lo <= score < hi (the top band includes hi) */
	long line;
} xy_grade_band;

/* A rule: any fact of the source (a list source: an entry active on the
 * date) forces the grade, whatever the score. */
typedef struct xy_grade_force {
	char grade[2];
	xy_grade_source source;
	char *arg;
	long line;
} xy_grade_force;

typedef struct xy_grade_model {
	char *name;
	char *text;        /* the model as read */
	char sha256[65];   /* hex of text */
	xy_grade_group *groups;
	size_t ngroups;
	xy_grade_indicator *indicators;
	size_t nindicators;
	xy_grade_band *bands; /* sorted by lo */
	size_t nbands;
	xy_grade_force *forces;
	size_t nforces;
} xy_grade_model;

/* Parse the model text (file names it in errors).  Categories are checked
 * against reg, list types against cat (NULL: any name passes; a stored
 * model, checked when it was stored, is read back so for its names).
 * XY_ERR_CONFIG naming file, line and field for an unknown line kind or
 * source, a bad number, a group that does not exist, overlapping or gapped
 * bands, weights that do not add up to 100.  *m is the caller's
 * (xy_grade_model_release), filled only on success. */
xy_code xy_grade_model_parse(xy_grade_model *m, const char *file, const char *text, size_t len,
			     const xy_registry *reg, const xy_sanctions *cat, xy_error *err);
/* The same from a file: TSV (at most 1 MiB), or XLSX (told by its content,
 * read by the upload reader, reader.h): the first visible sheet's rows as the
 * lines of the same TSV text (row N is line N, cells joined by tabs up to the
 * last non-empty one), so a model saved either way has the same text and
 * SHA-256.  Errors name "FILE [SHEET]", the row and the field; a cell holding
 * a tab or a line break is refused naming its column. */
xy_code xy_grade_model_load(xy_grade_model *m, const char *path, const xy_registry *reg,
			    const xy_sanctions *cat, xy_error *err);
void xy_grade_model_release(xy_grade_model *m);

/* The band of score (centi-points) in m: "A" … (never NULL for 0–100). */
const char *xy_grade_band_of(const xy_grade_model *m, long score);

typedef struct xy_grade_run_opts {
	const char *as_of;  /* YYYY-MM-DD; NULL: today */
	int64_t batch_id;   /* > 0: only the subjects this batch's records are about */
	const char *at;     /* timestamp of the run (NULL: now) */
	const char *who;    /* the audit log's who (NULL: "grade") */
} xy_grade_run_opts;

typedef struct xy_grade_run_result {
	int64_t run_id;
	int64_t model_id;
	long subjects;      /* subjects graded */
	long facts;         /* facts read */
	long by_grade[8];   /* per band, in m->bands order */
} xy_grade_run_result;

/* Grade the subjects as of the date with m, in one transaction: the model is
 * stored (once per SHA-256), then the run and each subject's grade with its
 * explanation, and one audit entry "grade.run" of object "grade_run:ID" whose
 * detail names the model's SHA-256, the date, the batch and the subjects.  Facts are read with one query per indicator and rule, never
 * one per subject. */
xy_code xy_grade_run(xy_store *s, const xy_grade_model *m, const xy_grade_run_opts *o,
		     xy_grade_run_result *res, xy_error *err);

/* The stored model a run used last, as text (*text the caller's, free):
 * XY_ERR_NOTFOUND when nothing was graded yet. */
xy_code xy_grade_last_model(xy_store *s, char **text, xy_error *err);

/* The re-grade after an import (xy_grade_after_import). */
typedef struct xy_grade_auto {
	bool ran;            /* the database had been graded, so a re-grade was tried */
	xy_code rc;          /* XY_OK, or why it failed (err) */
	xy_error err;
	char as_of[11];      /* the date it graded as of */
	char model[256];     /* the model's name (cut) */
	xy_grade_run_result res;
} xy_grade_auto;

/* After a committed import of batch b (CLI and upload alike, after its list
 * entries were derived): when the database has at least one grading run, the
 * batch's subjects are graded again (xy_grade_run, batch_id) with the model of
 * the latest run, by the latest run's date rule — a run dated the day it ran
 * ("as of today") gives as of today, a run dated otherwise (a fixed reporting
 * date) gives that date (docs/grading.md).  Nothing is tried for a batch
 * that is not committed or added and updated no record.  Never touches the batch: a
 * failure is reported in *out (rc, err), not returned.  cat may be NULL
 * (list type names then pass; the stored model was checked when first run). */
void xy_grade_after_import(xy_store *s, const xy_registry *reg, const xy_sanctions *cat,
			   const xy_batch *b, const char *who, xy_grade_auto *out);
/* Its summary for the import's answer: {"run","as_of","model","subjects"} or
 * {"error"}; NULL when no re-grade was tried (the caller's, json_decref). */
json_t *xy_grade_auto_json(const xy_grade_auto *a);

/* Views (the CLI prints them; the server will return them).
 * A subject's grade — run_id 0: its latest — {"subject":{code,name},
 * "run":{id,as_of,model,sha256,batch},"score","grade","forced",
 * "items":[{kind,group,indicator,ref,on,label,points,note}…]}; XY_ERR_NOTFOUND
 * when the subject is unknown or was never graded (in that run). */
xy_code xy_grade_view_subject(xy_store *s, const char *code, int64_t run_id, json_t **out,
			      xy_error *err);
/* Every grade the subject had, newest run first: {"subject","history":[…]}. */
xy_code xy_grade_view_history(xy_store *s, const char *code, json_t **out, xy_error *err);
/* Subjects of a grade ("" or NULL: any) — run_id 0: each subject's latest
 * grade — {"run","grade","subjects":[{subject,score,grade,run}…]}, in
 * subject order; items: each with its "forced" and "items" as in
 * xy_grade_view_subject.  pg NULL: every subject; else one keyset page
 * (pg->limit 0: 20, at most 100; pg->after the previous page's "next") and
 * "next": the following page's cursor, null on the last page (a malformed
 * cursor XY_ERR_ARG naming "after"). */
xy_code xy_grade_view_list(xy_store *s, const char *grade, int64_t run_id, bool items,
			   const xy_view_page *pg, json_t **out, xy_error *err);
/* How many subjects have each grade — run_id 0: each subject's latest, as
 * xy_grade_view_list counts them — {"run","total","grades":[{grade,
 * subjects,share}…]} in the grades' order; share in percent of total
 * (two decimals); a grade no subject has is absent. */
xy_code xy_grade_view_counts(xy_store *s, int64_t run_id, json_t **out, xy_error *err);
/* The runs, newest first: {"runs":[{id,as_of,at,model,sha256,batch,subjects}…]}. */
xy_code xy_grade_view_runs(xy_store *s, json_t **out, xy_error *err);

/* ---- publication (信用等级公开; docs/grading.md "Public grades") ----
 *
 * Whether the public sees grades is the office's setting, off by default.
 * It is kept in the audit log (each change one "grade.publish" entry of
 * object "setting:grade_public", detail "on" or "off"; the newest is the
 * setting), so its history is the log's.  When on, the public profile
 * (xy_view_profile, public view) carries the subject's grade as
 * xy_grade_view_public builds it: the letter, its date, the model's name and
 * SHA-256 and the note below, never the score or the explanation (its items
 * name records and list entries the public view may not show). */

/* The note the public sees beside a grade (static). */
extern const char *const xy_grade_public_note;

/* The setting into *on (false when never set). */
xy_code xy_grade_public_get(xy_store *s, bool *on, xy_error *err);
/* Set it, as who ("cli:LOGIN", "user:NAME"): one audit entry when it
 * changes, none when it already was so (*changed false; changed may be
 * NULL). */
xy_code xy_grade_public_set(xy_store *s, bool on, const char *who, bool *changed, xy_error *err);
/* {"public":bool,"changed_at":TIME|null,"changed_by":WHO|null}. */
xy_code xy_grade_view_publication(xy_store *s, json_t **out, xy_error *err);
/* The public's grade of subject_id as of asof (YYYY-MM-DD): from the newest
 * run as of that date, {"grade","as_of","model","sha256","note"}; *out NULL
 * (and XY_OK) when grades are not public or the subject was not graded by
 * then. */
xy_code xy_grade_view_public(xy_store *s, int64_t subject_id, const char *asof, json_t **out,
			     xy_error *err);

#endif
