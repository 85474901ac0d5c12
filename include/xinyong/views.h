/* xinyong: views — what people see, built once.
 *
 * Every answer a front end shows (the CLI's `--format json`, the server's
 * responses) is built here as a jansson value; the CLI's table output is
 * rendered from the same value.  So the CLI and the server give the same JSON
 * for the same question, and the disclosure rules exist once:
 *
 *   The public view (xy_view_opts.public_view) shows only records the
 *   publication rules show on the date (公示中; 异议处理中 marked, without its
 *   content), never a record whose publication ended, was repaired or
 *   revoked; every value that is a 身份证号 (the subject's code, a 法定代表人's
 *   number in a record, a linked person's code) in its masked form
 *   (xy_id_public); no "_extra" (columns that were no field: nobody checked
 *   them for publication); no watch lists (重点关注名单), only entries active on
 *   the date; commitments without their checks; government dishonesty
 *   without creditor, amount, note and history; no repair or objection cases.
 *
 * docs/views.md gives each view's JSON shape.
 *
 * Ownership: every view returns a new JSON value in *out: the caller's
 * reference (json_decref it).  On error *out is NULL unless the function says
 * otherwise.  Strings passed in are borrowed.  Dates are YYYY-MM-DD; NULL
 * means today (XINYONG_TODAY).  Views only read, except xy_view_check, which
 * logs the check like xy_credit_check.
 */
#ifndef XINYONG_VIEWS_H
#define XINYONG_VIEWS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "auth.h"
#include "commitment.h"
#include "credit.h"
#include "error.h"
#include "registry.h"
#include "repair.h"
#include "sanctions.h"
#include "store.h"

typedef struct xy_view_opts {
	bool public_view;   /* the public's view: disclosure rules applied */
	const char *asof;   /* YYYY-MM-DD the view is as of; NULL = today */
} xy_view_opts;

/* ---- a subject's credit profile ---- */

/* The credit profile of the subject named by query (a code in any accepted
 * form, a masked number + name, or an exact name) as a new JSON object (*out:
 * caller's reference).  XY_ERR_NOTFOUND when no subject; XY_ERR_CONFLICT when
 * ambiguous.  With those two codes *out is still set, to
 * {"query","matches":[{"code","name","kind","kind_zh"}]} (empty, or the candidates, at
 * most 50; codes masked in the public view), so a front end can list them.
 *   {"subject":{"id","kind","kind_zh","code","code_type","name","division",
 *               "district"},
 *    "categories":{NAME:n},"units":{NAME:n},
 *    "records":[{"id","category","unit","key","decided_on","reported_on",
 *                "versions","data":{…},"display","public",
 *                "publication":{"severity","last","repairable_from","basis",
 *                               "published"}}],
 *    "list_entries":[{"entry","list_type","doc","unit","from","to","exit",
 *                     "exit_date","status","via",("role","through",
 *                     "through_name")}],
 *    "commitments":[…as xy_view_commitment…],
 *    "gov_dishonesty":[…as xy_view_gov_dishonesty…],
 *    "cases":[{"id","kind","record","category","unit","filed_on","step","due",
 *              "overdue"}]   (open cases; office view only),
 *    "grade":{"grade","as_of","model","sha256","note"}
 *             (public view only, when the office publishes grades and the
 *              subject was graded: xy_grade_view_public),
 *    "as_of","hidden"}
 * "hidden" counts the records the public view leaves out. */
xy_code xy_view_profile(xy_repairs *rp, const char *query, const xy_view_opts *o,
			json_t **out, xy_error *err);

/* ---- subject search (keyset paging) ---- */

typedef struct xy_view_page {
	const char *after;  /* the "next" cursor of the previous page; NULL or "": first page */
	size_t limit;       /* items per page; 0: 20; more than 100: 100 */
	bool person_names;  /* public view: a name alone may find natural persons
	                     * (off unless the office configures it) */
} xy_view_page;

/* Subjects matching q: an identifier (USCC, 身份证号, 工商注册号, in any
 * accepted form; a masked number finds the masked subjects with that mask),
 * else a name substring of at least 2 characters (XY_ERR_INVALID for a
 * shorter q).  Ordered by subject id; the public view masks 身份证号 and, unless
 * pg->person_names, finds natural persons only by their full number.
 *   {"query","items":[{"code","code_type","kind","kind_zh","name",
 *                      "division","district"}],"next":CURSOR|null}
 * "next" is the cursor of the following page, null on the last one.  A
 * malformed cursor is XY_ERR_ARG. */
xy_code xy_view_search(xy_store *s, const xy_registry *reg, const char *q, const xy_view_opts *o,
		       const xy_view_page *pg, json_t **out, xy_error *err);

/* ---- list entries (红/黑名单) ---- */

/* The entries of list_type (NULL: every type) as of o->asof:
 *   {"as_of","entries":[{"entry","list_type","subject","name","unit","doc",
 *                        "from","to","exit","exit_date","status","reason",
 *                        "persons":[{"role","code","name"}],
 *                        "history":[{"at","action","detail"}]}]}
 * Active entries only unless all (office view).  The public view: only red and
 * black list types (a public list_type that is a watch list is
 * XY_ERR_NOTFOUND), only active entries (all ignored), codes masked, without
 * reason and history.  Unknown list_type: XY_ERR_NOTFOUND. */
xy_code xy_view_entries(xy_credit *c, const char *list_type, bool all, const xy_view_opts *o,
			json_t **out, xy_error *err);

/* ---- the 联合奖惩 check (office and units; logged) ---- */

/* xy_credit_check's answer as a JSON object (the shape credit.h gives).  A
 * valid code not in the database answers 无 with "found": false. */
xy_code xy_view_check(xy_credit *c, const char *subject, const char *unit, const char *matter,
		      const char *date, json_t **out, xy_error *err);

/* ---- repair and objection cases (office view only) ---- */

/* One case (repair.h, xy_case_json) as of date. */
xy_code xy_view_case(xy_repairs *rp, int64_t id, const char *date, json_t **out, xy_error *err);
/* {"repairs":[…]} or {"objections":[…]} for kind "repair" / "objection";
 * only the cases overdue on date when overdue_only. */
xy_code xy_view_cases(xy_repairs *rp, const char *kind, bool overdue_only, const char *date,
		      json_t **out, xy_error *err);

/* ---- import batches (office and units) ---- */

/* The newest batches (limit 0: all) of unit (NULL: every unit), each as
 * xy_batch_summary, in a JSON array. */
xy_code xy_view_batches(xy_store *s, const xy_registry *reg, const char *unit, size_t limit,
			json_t **out, xy_error *err);
/* One batch: xy_batch_summary plus "errors":[{"row","sheet","column","value",
 * "reason_zh","reason_en"}] (the stored rejected rows). */
xy_code xy_view_batch(xy_store *s, const xy_registry *reg, int64_t id, json_t **out,
		      xy_error *err);

/* ---- commitments (信用承诺) ---- */

/* One commitment with its status on o->asof:
 *   {"id","no","type","subject","name","unit","matter","date","deadline",
 *    "content","status","status_zh","checks":[{"date","result","by","note",
 *    "entry","record","at"}]}
 * The public view masks the subject's 身份证号 and leaves out "checks". */
xy_code xy_view_commitment(xy_commitments *cm, int64_t id, const xy_view_opts *o, json_t **out,
			   xy_error *err);
/* Commitments received by unit and/or signed by subject (NULL: any), signed
 * on or before o->asof, with status (a commitment status name, pending …;
 * NULL: any): {"as_of","commitments":[…]}.  Unknown unit or subject:
 * XY_ERR_NOTFOUND; unknown status: XY_ERR_ARG. */
xy_code xy_view_commitments(xy_commitments *cm, const char *unit, const char *subject,
			    const char *status, const xy_view_opts *o, json_t **out,
			    xy_error *err);

/* ---- government dishonesty (政府失信) ---- */

/* One entry with its status on o->asof:
 *   {"id","body","body_name","district","creditor","creditor_name",
 *    "case_type","amount","source","date","note","status","open",
 *    "history":[{"status","date","evidence","at"}]}
 * The public view leaves out creditor, creditor_name, amount, note, history. */
xy_code xy_view_gov_dishonesty(xy_store *s, int64_t id, const xy_view_opts *o, json_t **out,
			xy_error *err);
/* Entries of district (a county or park unit; NULL: every one) registered on
 * or before o->asof, open ones only unless all, with the open entries per
 * district on that date (the 政府失信未治理 column of `stats --by region`):
 *   {"as_of","open_by_district":{UNIT:n},"entries":[…]}
 * Unknown district: XY_ERR_NOTFOUND. */
xy_code xy_view_gov_dishonesties(xy_store *s, const xy_registry *reg, const char *district, bool all,
			 const xy_view_opts *o, json_t **out, xy_error *err);

/* ---- watch notices (a unit's own) ---- */

/* {"unit","unread":N,"notices":[{"id","at","subject","name","entry","list_type",
 * "doc","from","read_at"}]}, newest first; read_at null while unread (N of
 * them); unknown unit: XY_ERR_NOTFOUND. */
xy_code xy_view_notices(xy_store *s, const xy_registry *reg, const char *unit, json_t **out,
			xy_error *err);

/* ---- the database's tables and their rows (xinyong db counts; office) ---- */

/* {"backend":"sqlite"|"postgresql","schema":N,"tables":{NAME:ROWS,…}} from
 * xy_store_table_rows, every table in name order, or only the n names given
 * (in their order; an unknown name: XY_ERR_NOTFOUND naming it). */
xy_code xy_view_table_rows(xy_store *s, const char *const *names, size_t n, json_t **out,
			   xy_error *err);

/* {"backend","ok":BOOL,"problems":[LINE,…]} from xy_store_check. */
xy_code xy_view_db_check(xy_store *s, json_t **out, xy_error *err);

/* {"backend","partitions":[{"table","partition","bound","rows"},…]} from
 * xy_store_partitions (ahead as there: < 0 only lists). */
xy_code xy_view_partitions(xy_store *s, int ahead, json_t **out, xy_error *err);

/* ---- reports: statistics, reconciliation, bulletin, city index (office;
 * the index is public) ----
 * Implemented in lib/credit/views_reports.c.  The statistics tables
 * themselves are table models (stats.h) rendered by table.h (its "json"
 * format is their JSON); data quality is xy_quality_json (quality.h). */

struct xy_reconcile;
struct xy_bulletin;
struct xy_stats_opts;

/* The city index over [from, to] (YYYY-MM, NULL = open), as `xinyong index
 * show --format json` prints it:
 *   {"months":[{"month","score","rank","score_change","rank_change"}],
 *    "trend":{"from","to","score_change","rank_change","best_score",
 *             "best_rank"}|null}
 * scores rounded to two decimals; rank_change > 0: the city moved up. */
xy_code xy_view_index(xy_store *s, const char *from, const char *to, json_t **out,
		      xy_error *err);

/* A reconciliation's wrong cells, in the file's order:
 *   [{"row","column","line","printed","computed","kind"}]
 * "line" is the file's row (null: a unit missing from the file). */
xy_code xy_view_reconcile(const struct xy_reconcile *r, json_t **out, xy_error *err);

/* The 情况通报 sentences of the range: {"sentences":["…",…]}. */
xy_code xy_view_stats_sentences(xy_store *s, const xy_registry *reg,
				const struct xy_stats_opts *o, json_t **out, xy_error *err);

/* A generated bulletin: {"file","issue","date","from","to","articles",
 * "index_months"} (file as given). */
xy_code xy_view_bulletin(const struct xy_bulletin *b, const char *file, json_t **out,
			 xy_error *err);
/* ---- the public API (issue 9): 双公示 feeds, list pages, list types,
 * memoranda (lib/credit/views_public.c; entry pages in views.c) ---- */

/* Which records a 双公示 feed holds. */
typedef struct xy_feed_opts {
	const char *category;  /* a category's name or code: 行政许可 (xzxk), 行政处罚 (xzcf) */
	const char *from, *to; /* decision dates, inclusive, YYYY-MM-DD; NULL: open */
	const char *unit;      /* the reporting unit; NULL: every unit */
	const char *kind;      /* subject kind: legal person individual (or 法人及非法人组织
				  自然人 个体工商户); NULL: any */
} xy_feed_opts;

/* The records of a category decided from..to, newest decision first (then
 * by id, descending), a keyset page at a time (pg: after = the previous
 * page's "next", limit 0: 20, at most 100):
 *   {"category","from","to","unit","kind","as_of",
 *    "items":[{"id","category","unit","key","decided_on","display",
 *              "subject":{"code","code_type","kind","kind_zh","name",
 *                         "division","district"},"data":{…}}],
 *    "next":CURSOR|null}
 * The public view holds only the records the publication rules show on
 * o->asof (公示中; 异议处理中 with "data" withheld as {}), like the profile,
 * with every 身份证号 masked and no "_extra"; the office view holds every
 * record of the range with its display status.  The cursor is opaque
 * (DATE.ID); a malformed one, a bad date, from after to or an unknown kind is
 * XY_ERR_ARG; an unknown category or unit XY_ERR_NOTFOUND. */
xy_code xy_view_feed(xy_repairs *rp, const xy_feed_opts *f, const xy_view_opts *o,
		     const xy_view_page *pg, json_t **out, xy_error *err);

/* xy_view_entries (all = false) a keyset page at a time: the entries with
 * id greater than pg->after (an entry id, the previous page's "next"), at
 * most pg->limit (0: 20, at most 100), plus "next" (null on the last page):
 *   {"as_of","entries":[…],"next":CURSOR|null}
 * A malformed cursor is XY_ERR_ARG. */
xy_code xy_view_entries_page(xy_credit *c, const char *list_type, const xy_view_opts *o,
			     const xy_view_page *pg, json_t **out, xy_error *err);

/* The list types with the entries active on o->asof:
 *   {"as_of","list_types":[{"name","kind","unit","basis","validity","national",
 *                           "active"}]}
 * (catalogue order; validity like "3y", "" for none).  The public view: red and
 * black lists only, never a watch list. */
xy_code xy_view_list_types(xy_credit *c, const xy_view_opts *o, json_t **out, xy_error *err);

/* The memoranda (shipped and loaded), in catalogue order:
 *   {"memoranda":[{"doc","title","date","source","signatories","list_types",
 *                  "measures" (a count),"file","origin","version"}]}
 * origin: "config" (data/memoranda/) or "database" (memorandum load),
 * version: 1 and one more per replacement.  The public view leaves out
 * "file" (a path on the office's machine). */
xy_code xy_view_memoranda(xy_credit *c, const xy_view_opts *o, json_t **out, xy_error *err);
/* One memorandum by its doc, its measures in full:
 *   {…as above…,"measures":[{"number","text","kind","units","target",
 *                            "matters","legal_basis","condition"}]}
 * Unknown doc: XY_ERR_NOTFOUND. */
xy_code xy_view_memorandum(xy_credit *c, const char *doc, const xy_view_opts *o, json_t **out,
			   xy_error *err);
/* ---- office administration (lib/credit/views_admin.c) ---- */
/* {"units":[{"id","name","kind","division","sort"}]} (division null when none). */
xy_code xy_view_units(const xy_registry *reg, json_t **out, xy_error *err);
/* {"categories":[{"id","code","name","kind","fields" (how many)}]}. */
xy_code xy_view_categories(const xy_registry *reg, json_t **out, xy_error *err);
/* One category (name or code) with its fields:
 *   {"id","code","name","kind","key","fields":[{"code","name","type","role",
 *    "required","max_len","aliases":[…],"values":[…]}]}
 * Unknown category: XY_ERR_NOTFOUND. */
xy_code xy_view_category(const xy_registry *reg, const char *category, json_t **out,
			 xy_error *err);
/* {"users":[xy_user_json…]} by name; one user as xy_user_json
 * (XY_ERR_NOTFOUND naming "name"). */
xy_code xy_view_users(xy_store *s, json_t **out, xy_error *err);
xy_code xy_view_user(xy_store *s, const char *name, json_t **out, xy_error *err);
/* {"tokens":[xy_token_json…]}, newest first (never a secret or hash). */
xy_code xy_view_tokens(xy_store *s, json_t **out, xy_error *err);
/* One page of the audit entries matching f: oldest first from the cursor
 * f->after, or newest first (f->desc) below the cursor f->before (0: from
 * the head), at most f->limit (0: all): {"entries":[xy_audit_json…],
 * "next":SEQ|null}; "next" is the following page's after (before with
 * desc).  The store reads limit + 1 entries from the cursor, never the log
 * before it. */
xy_code xy_view_audit(xy_store *s, const xy_audit_filter *f, json_t **out, xy_error *err);
/* The chain check: {"ok","entries","head_seq","head","first_bad",("error")};
 * XY_OK also when the chain is broken (ok false, "error" why); other codes
 * for store errors. */
xy_code xy_view_audit_verify(xy_store *s, const char *expect_head, json_t **out, xy_error *err);
/* An entry xy_credit_list_add just stored, as `list add` prints it:
 *   {"entry","list_type","subject","name","unit","doc","from","to","exit",
 *    "exit_date","status","reason","persons" (count),"notices" (count),
 *    "counted":{CATEGORY:1} or {}} */
xy_code xy_view_list_added(const xy_credit *c, const xy_entry_row *e, size_t npersons,
			   long notices, bool counted, json_t **out, xy_error *err);
/* ---- a unit's own work (the source units' API, issue 9; views_unit.c) ---- */

/* The logged 联合奖惩 checks of unit (NULL: every unit), newest first, one
 * keyset page (pg->limit 0: 20, at most 100; pg->after: a "next" cursor):
 *   {"unit","checks":[{"check_id","subject","subject_name","unit","matter",
 *                      "date","at","answer","measures":n,"feedback":n}],
 *    "next":CURSOR|null}
 * "measures" counts the answer's measures, "feedback" the feedback rows given.
 * Unknown unit: XY_ERR_NOTFOUND; a malformed cursor: XY_ERR_ARG. */
xy_code xy_view_checks(xy_credit *c, const char *unit, const xy_view_page *pg, json_t **out,
		       xy_error *err);
/* One logged check: its answer (xy_credit_check's object) plus "at" and
 * "feedback":[{"memorandum","number","applied","status":"已采取"|"未采取",
 * "result","reason","at"}].  No such check: XY_ERR_NOTFOUND. */
xy_code xy_view_check_get(xy_credit *c, int64_t id, json_t **out, xy_error *err);

/* xy_view_cases of kind ("repair" / "objection"), as of date, keeping the
 * cases routed to unit (the record's reporting unit; NULL: every unit) whose
 * status is status (NULL: any): "open", "closed", "overdue" or a step (申请
 * 受理 审核 通过 不通过 更正 维持 撤销).  Unknown unit: XY_ERR_NOTFOUND; another
 * status or kind: XY_ERR_ARG. */
xy_code xy_view_unit_cases(xy_repairs *rp, const char *kind, const char *unit,
			   const char *status, const char *date, json_t **out, xy_error *err);

/* The subjects unit watches: {"unit","watching":[{"subject","name","since"}]}
 * by code.  Unknown unit: XY_ERR_NOTFOUND. */
xy_code xy_view_watches(xy_store *s, const xy_registry *reg, const char *unit, json_t **out,
			xy_error *err);

/* xy_view_batch with one keyset page of its stored rejected rows
 * (pg->limit 0: 100, at most 1000; pg->after: a "next" cursor) and "next"
 * (CURSOR|null).  Malformed cursor: XY_ERR_ARG. */
xy_code xy_view_batch_page(xy_store *s, const xy_registry *reg, int64_t id,
			   const xy_view_page *pg, json_t **out, xy_error *err);

/* ---- the office's dashboard (lib/credit/views_dashboard.c) ---- */

struct xy_quality;
/* xy_quality_build's report summed per unit, for the office's dashboard
 * (`xinyong quality --by-unit --format json`, GET /api/v1/quality?by=unit):
 *   {"from","to","units":[{"unit","kind","records","batches","refused_files",
 *     "rejected_rows","rejection_rate","publicity_records","within_7",
 *     "share_within_7","rank"}],"silent":[UNIT…]}
 * Every unit of the registry but the city itself, in bulletin order (sort),
 * q->unit only when the report was built for one unit.
 * rejection_rate: rejected rows / (records + rejected rows), 4 decimals,
 * null when both are 0; share_within_7: of the 行政许可/行政处罚 records with a
 * lag, those public within 7 working days (null: none).  rank: 1 = best, for
 * the units with records only (null otherwise): by share_within_7 (higher
 * first, null last), then rejection_rate (lower first), then records (more
 * first), then bulletin order.  silent: the units with no record brought in
 * over the months (the 情况通报's 本期未报送数据的单位), in bulletin order. */
xy_code xy_view_quality_units(const struct xy_quality *q, const xy_registry *reg, json_t **out,
			      xy_error *err);

/* ---- the staff pages (issue 10; views_staff.c) ---- */

/* Who is signed in, for the staff pages (GET /api/v1/session):
 *   {"user":NAME|null (null for a bearer token),"role":"unit"|"admin"|
 *    "auditor"|"public","role_zh","unit":NAME|null,"csrf":TOKEN|null,
 *    "today":YYYY-MM-DD (the server's day: XINYONG_TODAY, the pages' "this month")}
 * unit is the operator's unit name (borrowed; NULL: none); csrf the cookie
 * session's CSRF token (NULL for a token: it needs none). */
xy_code xy_view_principal(const xy_principal *p, const char *unit, const char *csrf,
			  json_t **out, xy_error *err);

/* The batches of unit (NULL: every unit), newest first, one keyset page
 * (pg->limit 0: 20, at most 1000; pg->after: a "next" cursor):
 *   {"unit":NAME|null,"batches":[xy_batch_summary…],"next":CURSOR|null}
 * Unknown unit: XY_ERR_NOTFOUND; a malformed cursor: XY_ERR_ARG. */
xy_code xy_view_batches_page(xy_store *s, const xy_registry *reg, const char *unit,
			     const xy_view_page *pg, json_t **out, xy_error *err);

/* ---- the disclosure rules, for views built elsewhere ---- */

/* Apply the public view's value rules to a JSON value in place: every string
 * that is a valid 身份证号 (at any depth) becomes its masked form, and every
 * "_extra" member is dropped.  XY_ERR_NOMEM leaves v partly masked: do not
 * publish it then. */
xy_code xy_view_public_values(json_t *v, xy_error *err);

#endif
