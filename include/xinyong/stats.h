/* xinyong: the bulletin's statistics tables, computed from the data.
 *
 * Records are counted per source unit × category over a range of reporting
 * months (the month of the batch that first brought each record in), in the
 * two layouts of the monthly bulletin: by department (市有关部门信源单位数据
 * 上报情况: 序号, 部门名称, 16 categories, 总计, a 合计 row first) and by
 * region (各县（市）区、园区: 地区, 分组, 10 columns).  Which columns, in which
 * order, and which units appear in which table is configuration
 * (tables.tsv in the configuration directory).
 */
#ifndef XINYONG_STATS_H
#define XINYONG_STATS_H

#include "buf.h"
#include "error.h"
#include "registry.h"
#include "store.h"
#include "table.h"

typedef enum xy_stats_layout {
	XY_STATS_DEPARTMENT = 0,
	XY_STATS_REGION,
} xy_stats_layout;

typedef struct xy_stats_opts {
	const char *from;        /* YYYY-MM, required */
	const char *to;          /* YYYY-MM, required, not before from */
	xy_stats_layout layout;
	const char *config_dir;  /* where tables.tsv is; NULL: xy_registry_default_dir() */
	const char *category;    /* month views only: count just this category (NULL: all
	                            the layout's columns) */
} xy_stats_opts;

/* The table for the range, totals computed.  *out is the caller's
 * (xy_table_free).  Errors: a backwards range, malformed months, a unit or
 * category in tables.tsv that the registry does not know. */
xy_code xy_stats_table(xy_store *s, const xy_registry *reg, const xy_stats_opts *o,
		       xy_table **out, xy_error *err);

/* The 情况通报 sentences for the range, in Chinese, appended to out: the
 * units that reported nothing, and per category the units that reported most
 * (“信用承诺书签订量最多的是站前区和西市区”). */
xy_code xy_stats_sentences(xy_store *s, const xy_registry *reg, const xy_stats_opts *o,
			   xy_buf *out, xy_error *err);

/* ---- views over months ---- */

/* Month by month (cumulative false): the layout's units as rows (same label
 * columns), the months from..to as value columns ("2019-01" …), each cell the
 * records a unit brought in that month over the layout's categories (or just
 * o->category), with a 总计 column and the 合计 row: the month-over-month
 * view.  Cumulative: each cell is the running total from `from` through that
 * month (no total column: the last month is the total). */
xy_code xy_stats_months(xy_store *s, const xy_registry *reg, const xy_stats_opts *o,
			bool cumulative, xy_table **out, xy_error *err);

/* One unit's own view: the months from..to as rows (label 月份), the
 * categories of the layout the unit belongs to (o->layout when it is in both
 * or neither) as columns, with 总计 and 合计.  Cumulative: running totals per
 * month, no 合计 row.  XY_ERR_NOTFOUND when the registry has no such unit. */
xy_code xy_stats_unit(xy_store *s, const xy_registry *reg, const xy_stats_opts *o,
		      const char *unit, bool cumulative, xy_table **out, xy_error *err);

/* ---- helpers ---- */

/* Check a month range: both YYYY-MM with a real month, from not after to.
 * XY_ERR_ARG with a message saying what is wrong. */
xy_code xy_stats_check_range(const char *from, const char *to, xy_error *err);

/* The default range of stats and quality: to = the month of today
 * (XINYONG_TODAY) when NULL, from = January of to's year when NULL.  Sets
 * *from and *to, pointing into f and t where a default was needed (the
 * range is not checked: xy_stats_check_range). */
void xy_stats_default_range(const char **from, const char **to, char f[8], char t[8]);

/* The period as the bulletin writes it into titles: 2019年1—10月份,
 * 2019年10月份, 2018年11月—2019年2月份.  Returns out. */
char *xy_stats_period(const char *from, const char *to, char *out, size_t outsz);

/* "department" / "region" (also 部门 / 地区); -1 when unknown. */
int xy_stats_layout_parse(const char *s, xy_stats_layout *out);
const char *xy_stats_layout_name(xy_stats_layout l);

/* What a label column holds. */
typedef enum xy_stats_label {
	XY_STATS_LABEL_NUMBER = 0, /* 序号: 1, 2, … */
	XY_STATS_LABEL_UNIT,       /* the unit's name; the 合计 row's label goes here */
	XY_STATS_LABEL_GROUP,      /* the unit's group (县（市）区 / 园区) */
} xy_stats_label;

/* One layout of tables.tsv (see docs/reports.md).  Owns every string. */
typedef struct xy_stats_config {
	xy_stats_layout layout;
	char *title;             /* template; {period} is replaced */
	char *scope;             /* 市有关部门: how sentences name the units */
	size_t nlabels;
	char **label_names;      /* 序号, 部门名称 */
	xy_stats_label *label_roles;
	size_t ncolumns;
	char **columns;          /* category names, in order */
	char **phrases;          /* per column: 信用承诺书签订量最多的是 (never NULL) */
	char **sources;          /* per column: a computed source (xy_stats_source_names,
	                            e.g. gov-dishonesty-open) or NULL: the batch counts */
	char *total_column;      /* 总计, NULL: none */
	char *total_row;         /* 合计, NULL: none */
	size_t nunits;
	char **units;            /* in the printed order */
	char **groups;           /* per unit, "" when none */
} xy_stats_config;

/* Load one layout from dir/tables.tsv (dir NULL: the default configuration).
 * With reg, every unit and category must exist in it (XY_ERR_CONFIG
 * otherwise, naming the file and line).  Release with
 * xy_stats_config_release. */
xy_code xy_stats_config_load(xy_stats_config *out, const char *dir, xy_stats_layout layout,
			     const xy_registry *reg, xy_error *err);
void xy_stats_config_release(xy_stats_config *c);

/* The computed sources a column can take its values from instead of the
 * batch counts (tables.tsv item `source`), NULL-terminated.  A source is a
 * stock counted per unit at a date, e.g. gov-dishonesty-open: government-
 * dishonesty entries not 已治理 (gov_dishonesty.h).  In a table the cell is the
 * stock at the end of the range's last month; in the month views each month
 * holds the change of the stock in that month, so a cumulative view shows
 * the stock at each month's end. */
extern const char *const xy_stats_source_names[];

/* Label column index holding `role`, or -1. */
int xy_stats_config_label(const xy_stats_config *c, xy_stats_label role);

#endif
