/* xinyong: credit lists and joint reward/punishment memoranda (联合奖惩), as data.
 *
 * The catalogue is three kinds of configuration (docs/sanctions.md):
 *   matters.tsv       the business matters (事项) a unit checks for: 政府采购, 土地供应, …
 *   list-types.tsv    red / black / watch list types, with designating unit and validity
 *   memoranda/NAME.tsv   one memorandum per file: header block, then its measures
 * and one pure function, xy_sanctions_resolve(): which measures must unit U apply,
 * for matter M on date D, to a subject with these list entries.  Nothing here
 * touches the store; the entries come from the caller.
 *
 * Ownership: an xy_sanctions owns every string and array it points to.  Loading
 * another file may move its arrays, so pointers into it (and the hits of a
 * resolution) are valid until the next load or xy_sanctions_release().
 * Dates are "YYYY-MM-DD" strings throughout.
 */
#ifndef XINYONG_SANCTIONS_H
#define XINYONG_SANCTIONS_H

#include <stdbool.h>
#include <stddef.h>

#include "error.h"
#include "registry.h"

/* A business matter (事项). */
typedef struct xy_matter {
	char *code;        /* stable ASCII slug: "zfcg" */
	char *name;        /* 政府采购 */
	char *description;
} xy_matter;

typedef enum xy_list_kind {
	XY_LIST_RED = 0,   /* 守信激励 */
	XY_LIST_BLACK,     /* 失信惩戒 */
	XY_LIST_WATCH,     /* 重点关注 */
} xy_list_kind;

typedef struct xy_list_type {
	char *name;        /* 拖欠农民工工资失信联合惩戒对象名单 */
	xy_list_kind kind;
	char *unit;        /* designating unit (谁认定谁负责); "" = the reporting unit */
	char *basis;       /* legal basis */
	int validity;      /* default period, in validity_unit; 0 = no end */
	char validity_unit; /* 'd', 'm' or 'y' ('d' when validity is 0) */
	char *exit;        /* exit conditions, as text */
	bool national;     /* a national list (国家黑名单) */
	char *category;    /* reporting category of a local list's entries; "" = none */
} xy_list_type;

typedef enum xy_measure_kind {
	XY_MEASURE_PUNISH = 0, /* 惩戒 */
	XY_MEASURE_REWARD,     /* 激励 */
} xy_measure_kind;

/* Whom a measure targets; a measure's targets are a bit set of these. */
typedef enum xy_target {
	XY_TARGET_UNIT = 1,        /* 单位: the listed subject itself */
	XY_TARGET_LEGAL_REP = 2,   /* 法定代表人 */
	XY_TARGET_PRINCIPAL = 4,   /* 主要负责人 */
	XY_TARGET_RESPONSIBLE = 8, /* 直接责任人 */
} xy_target;

typedef struct xy_measure {
	int number;        /* as numbered in the memorandum, unique within it */
	char *text;        /* verbatim */
	xy_measure_kind kind;
	char **units;      /* implementing units (names from units.tsv) */
	size_t nunits;
	char **matters;    /* matter codes (matters.tsv) */
	size_t nmatters;
	unsigned targets;  /* xy_target bits */
	char *basis;       /* legal basis */
	char *condition;   /* extra condition the unit must verify itself; "" = none */
} xy_measure;

typedef struct xy_memorandum {
	char *doc;         /* document number: 营发改信用〔2019〕266号 */
	char *title;
	char *date;        /* YYYY, YYYY-MM or YYYY-MM-DD, as precisely as known; "" = unknown */
	char *source;      /* where the text was taken from; may be "" */
	char *file;        /* the file it was loaded from */
	char **signatories; /* unit names */
	size_t nsignatories;
	char **list_types; /* list type names it applies to */
	size_t nlist_types;
	xy_measure *measures; /* in file order */
	size_t nmeasures;
} xy_memorandum;

typedef struct xy_sanctions {
	xy_matter *matters;
	size_t nmatters;
	xy_list_type *list_types;
	size_t nlist_types;
	xy_memorandum *memoranda;
	size_t nmemoranda;
} xy_sanctions;

void xy_sanctions_init(xy_sanctions *s);
void xy_sanctions_release(xy_sanctions *s);

/* Loaders.  Each file is loaded whole or not at all: on error the catalogue is
 * unchanged and err names the file, line and column (XY_ERR_CONFIG for bad
 * content, XY_ERR_IO when the file cannot be read, XY_ERR_NOMEM).
 * - list types check their designating unit and category against reg;
 * - a memorandum checks its signatories and each measure's units against reg,
 *   its list types and matters against those already loaded, so load matters
 *   and list types first; a second memorandum with the same doc is an error.
 */
xy_code xy_sanctions_load_matters(xy_sanctions *s, const char *path, xy_error *err);
xy_code xy_sanctions_load_list_types(xy_sanctions *s, const xy_registry *reg, const char *path,
				     xy_error *err);
xy_code xy_sanctions_load_memorandum(xy_sanctions *s, const xy_registry *reg, const char *path,
				     xy_error *err);
/* The same from a memorandum's TSV text in memory; name stands for the file
 * in errors and in xy_memorandum.file. */
xy_code xy_sanctions_load_memorandum_text(xy_sanctions *s, const xy_registry *reg,
					  const char *name, const char *text, size_t len,
					  xy_error *err);

/* Replace the loaded memorandum with the doc of `text` by the one in text,
 * in place (its order kept).  The new one is checked as by the loaders; on
 * error, or when no memorandum with its doc is loaded (XY_ERR_NOTFOUND), the
 * catalogue is unchanged.  On success *old receives the replaced memorandum,
 * owned by the caller: free it with xy_memorandum_release, or undo the
 * replacement with xy_sanctions_memorandum_put_back. */
xy_code xy_sanctions_replace_memorandum_text(xy_sanctions *s, const xy_registry *reg,
					     const char *name, const char *text, size_t len,
					     xy_memorandum *old, xy_error *err);
/* Undo a replacement: old takes its place again (the one that replaced it is
 * freed); old is consumed. */
void xy_sanctions_memorandum_put_back(xy_sanctions *s, xy_memorandum *old);
void xy_memorandum_release(xy_memorandum *m);

/* Drop the memorandum with that doc (0), or -1 if there is none. */
int xy_sanctions_memorandum_remove(xy_sanctions *s, const char *doc);

/* dir/matters.tsv, dir/list-types.tsv, then every dir/memoranda/NAME.tsv in name
 * order (a missing memoranda/ directory means none).  On error s is released. */
xy_code xy_sanctions_load_dir(xy_sanctions *s, const xy_registry *reg, const char *dir,
			      xy_error *err);

/* Lookups; NULL when absent.  Matters by code or name. */
const xy_matter *xy_sanctions_matter(const xy_sanctions *s, const char *code_or_name);
const xy_list_type *xy_sanctions_list_type(const xy_sanctions *s, const char *name);
const xy_memorandum *xy_sanctions_memorandum(const xy_sanctions *s, const char *doc);
const xy_measure *xy_memorandum_measure(const xy_memorandum *m, int number);

/* Default end date of an entry of type lt starting on `from`: the first day is
 * not counted, a period in months or years ends on the corresponding day (the
 * month's last day when there is none): 1y from 2019-10-15 ends 2020-10-15,
 * from 2020-02-29 ends 2021-02-28.  out = "" when the type has no end.
 * XY_ERR_INVALID when from is not a valid YYYY-MM-DD date. */
xy_code xy_list_type_end(const xy_list_type *lt, const char *from, char out[11]);

/* ---- list entries and their status ---- */

typedef enum xy_exit {
	XY_EXIT_NONE = 0,
	XY_EXIT_REPAIR,    /* 修复 */
	XY_EXIT_CANCEL,    /* 注销 */
	XY_EXIT_REVOKE,    /* 吊销 */
	XY_EXIT_WITHDRAW,  /* 撤销 */
} xy_exit;

/* How an entry reaches the subject being checked. */
typedef enum xy_entry_via {
	XY_VIA_OWN = 0,     /* the subject itself is listed */
	XY_VIA_PERSON,      /* the subject is a person linked to the listed enterprise
			     * (via_name) in the role `role` */
	XY_VIA_ENTERPRISE,  /* the subject is an enterprise whose person (via_name,
			     * in the role `role`) is listed */
} xy_entry_via;

/* One list entry as the caller (the store) hands it in; all strings are the
 * caller's.  to and exit_date: NULL or "" when none. */
typedef struct xy_list_entry {
	const char *list_type; /* list type name */
	const char *doc;       /* 认定文书号 */
	const char *from;      /* first day on the list */
	const char *to;        /* last day on the list (inclusive) */
	xy_exit exit;          /* recorded exit, if any */
	const char *exit_date; /* first day off the list after the exit */
	xy_entry_via via;
	xy_target role;        /* XY_VIA_PERSON / XY_VIA_ENTERPRISE: the person's role */
	const char *via_name;  /* the enterprise or person the link goes through */
} xy_list_entry;

typedef enum xy_entry_status {
	XY_ENTRY_ACTIVE = 0,
	XY_ENTRY_PENDING,  /* the date is before `from` */
	XY_ENTRY_EXPIRED,  /* 期满: the date is after `to` (computed, never stored) */
	XY_ENTRY_EXITED,   /* exited (修复 注销 吊销 撤销) on or before the date */
} xy_entry_status;

/* Status of e as of date (both assumed valid; see xy_list_entry_check).  An
 * exit recorded after the entry had already expired leaves it expired. */
xy_entry_status xy_entry_status_on(const xy_list_entry *e, const char *date);

/* Check an entry's dates and fields: XY_ERR_INVALID naming the field. */
xy_code xy_list_entry_check(const xy_list_entry *e, xy_error *err);

/* ---- the check ---- */

/* One measure that applies, and the entry (index into the caller's array)
 * that triggered it.  Pointers into the catalogue. */
typedef struct xy_sanction_hit {
	const xy_memorandum *memorandum;
	const xy_measure *measure;
	size_t entry;
} xy_sanction_hit;

typedef struct xy_sanction_hits {
	xy_sanction_hit *v;
	size_t n;
} xy_sanction_hits;

void xy_sanction_hits_release(xy_sanction_hits *h);

/* The measures unit `unit` must or may apply, for matter `matter` (code or
 * name; NULL or "" = every matter) on `date`, to a subject with these entries.
 * A measure applies for an entry when the entry is active on the date, the
 * measure's memorandum covers the entry's list type, the unit is among the
 * measure's units, the matter (if given) among its matters, and its targets
 * fit how the entry reaches the subject: 单位 for XY_VIA_OWN, the person's role
 * for XY_VIA_PERSON; XY_VIA_ENTERPRISE triggers no measure (none targets an
 * enterprise through its people).  Hits come per entry in array order, then by
 * memorandum and measure order; a measure triggered by two entries appears
 * twice.  out is filled (caller releases it) even when empty.
 * Errors: XY_ERR_ARG (no unit, bad date), XY_ERR_NOTFOUND (unknown matter),
 * XY_ERR_INVALID (a bad entry: err->row is its 1-based index). */
xy_code xy_sanctions_resolve(const xy_sanctions *s, const char *unit, const char *matter,
			     const char *date, const xy_list_entry *entries, size_t nentries,
			     xy_sanction_hits *out, xy_error *err);

/* Names: red black watch / 惩戒 激励 / 单位 法定代表人 主要负责人 直接责任人 /
 * "" 修复 注销 吊销 撤销 / active pending expired exited. */
const char *xy_list_kind_name(xy_list_kind k);
const char *xy_measure_kind_name(xy_measure_kind k);
const char *xy_target_name(xy_target t);
const char *xy_exit_name(xy_exit x);
const char *xy_entry_status_name(xy_entry_status st);

/* Parse names back; -1 if unknown. */
int xy_list_kind_parse(const char *s, xy_list_kind *k);
int xy_measure_kind_parse(const char *s, xy_measure_kind *k);
int xy_target_parse(const char *s, xy_target *t);
int xy_exit_parse(const char *s, xy_exit *x);

#endif
