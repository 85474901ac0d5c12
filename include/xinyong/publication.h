/* xinyong: publication windows (公示期限), the working-day calendar and the
 * display status of a record.  Pure functions over configuration data:
 * data/publication.tsv (rules with effective dates), data/holidays.tsv
 * (法定节假日 and 调休 working weekends) and data/deadlines.tsv (working-day
 * deadlines of repair and objection steps).  docs/repair.md explains the rules.
 *
 * Periods follow 民法典 第二百零一条、第二百零三条: the decision day is not
 * counted, and a period of N months ends on the corresponding day N months
 * later (the month's last day when there is none: 2024-02-29 + 1 年 ends
 * 2025-02-28).  That day is the last day of the period.
 *
 * Ownership: an xy_publication owns its rules and calendar; strings passed in
 * are borrowed.
 */
#ifndef XINYONG_PUBLICATION_H
#define XINYONG_PUBLICATION_H

#include <stdbool.h>
#include <stddef.h>

#include "error.h"

#define XY_PUB_NO_MAX (-1) /* max_months: published without a maximum */

typedef struct xy_pub_rule {
	char category[128];  /* category name (行政处罚) */
	char severity[16];   /* 轻微 一般 严重, or "" for every severity */
	int min_months;      /* minimum publication period; 0 = none */
	int max_months;      /* maximum; 0 = not published; XY_PUB_NO_MAX = no maximum */
	char from[11];       /* in force for decisions made on or after this date */
	char basis[512];     /* legal basis */
} xy_pub_rule;

typedef enum xy_deadline {
	XY_DL_REPAIR_ACCEPT = 0, /* 修复受理: from the application */
	XY_DL_REPAIR_DECIDE,     /* 修复审核决定: from acceptance */
	XY_DL_OBJECTION,         /* 异议处理: from filing */
	XY_DL__N
} xy_deadline;

typedef struct xy_cal_day {
	long day;       /* xy_date_days */
	bool work;      /* true: 调休 working weekend day; false: holiday */
	char name[32];  /* 国庆节 … */
} xy_cal_day;

typedef struct xy_publication {
	xy_pub_rule *rules;
	size_t nrules;
	xy_cal_day *days;   /* sorted by day */
	size_t ndays;
	int first_year, last_year; /* years the calendar file covers; 0 when empty */
	int deadline[XY_DL__N];    /* working days */
	char deadline_basis[XY_DL__N][256];
} xy_publication;

/* The severity used when a record gives none (docs/repair.md). */
#define XY_SEVERITY_DEFAULT "一般"

void xy_publication_init(xy_publication *p);
void xy_publication_release(xy_publication *p);

/* Load publication.tsv, holidays.tsv and deadlines.tsv from dir (NULL: the
 * default configuration).  XY_ERR_CONFIG names the file, line and column of
 * anything malformed. */
xy_code xy_publication_load_dir(xy_publication *p, const char *dir, xy_error *err);

/* ---- date arithmetic (d is YYYY-MM-DD; out may alias nothing) ---- */

/* d plus n months, clamped to the month's last day; XY_ERR_INVALID for a bad d. */
xy_code xy_date_add_months(const char *d, int n, char out[11]);
/* d plus n days (n may be negative). */
xy_code xy_date_add_days(const char *d, long n, char out[11]);

/* Whether d is a working day: Monday–Friday unless a holiday, Saturday or
 * Sunday only when a 调休 working day. */
bool xy_cal_workday(const xy_publication *p, const char *d);
/* The n-th working day after d (d itself not counted); n >= 1. */
xy_code xy_cal_add_workdays(const xy_publication *p, const char *d, int n, char out[11]);
/* Working days after `from` up to and including `to` (0 when to <= from). */
long xy_cal_workdays_between(const xy_publication *p, const char *from, const char *to);
/* Whether the holiday calendar covers every year from `from` to `to`.  Outside
 * it a working day is Monday–Friday, so a deadline there is an estimate until
 * that year's State Council notice is added to holidays.tsv. */
bool xy_cal_covers(const xy_publication *p, const char *from, const char *to);

/* ---- publication windows and display status ---- */

/* The rule for a record of `category` with `severity` ("" or NULL: the
 * default) decided on `decided_on`: the latest rule in force on that date
 * whose severity matches (exactly, else a rule for every severity).  NULL
 * when no rule applies (the category has no publication limit). */
const xy_pub_rule *xy_pub_rule_for(const xy_publication *p, const char *category,
				   const char *severity, const char *decided_on);

typedef struct xy_pub_window {
	const xy_pub_rule *rule; /* NULL: no rule, public without limit */
	char severity[16];       /* the severity used */
	bool published;          /* false: not published at all (max 0) */
	char first[11];          /* first public day (the decision date) */
	char min_end[11];        /* last day of the minimum period, "" when none */
	char repairable_from[11];/* first day repair may be approved ("" = from `first`) */
	char last[11];           /* last public day, "" = no end */
} xy_pub_window;

/* Window of a record decided on decided_on ("" or NULL: unknown, no limit).
 * `until` ("" or NULL: none) is the record's own 公示截止期: it ends the
 * window earlier, but never before the minimum period nor after the rule's
 * maximum. */
xy_code xy_pub_window_for(const xy_publication *p, const char *category, const char *severity,
			  const char *decided_on, const char *until, xy_pub_window *w,
			  xy_error *err);

typedef enum xy_display {
	XY_DISP_PUBLIC = 0, /* 公示中 */
	XY_DISP_OBJECTION,  /* 异议处理中: shown marked, content withheld */
	XY_DISP_NOT_YET,    /* 未到公示日期: decided after the date asked */
	XY_DISP_MINOR,      /* 不予公示: the rule publishes nothing (轻微) */
	XY_DISP_EXPIRED,    /* 公示期满 */
	XY_DISP_REPAIRED,   /* 已修复 */
	XY_DISP_REVOKED,    /* 已撤销: an objection withdrew the record */
} xy_display;

const char *xy_display_name(xy_display d);  /* the Chinese term */
const char *xy_display_code(xy_display d);  /* public objection not_yet minor expired repaired revoked */
bool xy_display_shown(xy_display d);        /* public view shows it (公示中, 异议处理中) */

/* An objection's span: filed on `filed`, decided on `decided` ("" = open),
 * ending `result` (更正 维持 撤销, "" while open). */
typedef struct xy_obj_span {
	const char *filed, *decided, *result;
} xy_obj_span;

/* What the display status depends on besides the window. */
typedef struct xy_record_facts {
	const char *repaired_on;           /* approval date of a repair, NULL/"" = none */
	const xy_obj_span *objections;
	size_t nobjections;
} xy_record_facts;

/* Display status of a record with window w on date d (computed, never stored):
 * 已撤销 and 已修复 from their decision dates on, then 异议处理中 while an
 * objection is open, then the window (未到公示日期, 不予公示, 公示期满, 公示中). */
xy_display xy_pub_display(const xy_pub_window *w, const xy_record_facts *f, const char *d);

#endif
