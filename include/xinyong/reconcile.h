/* xinyong: reconciling a hand-compiled statistics table.
 *
 * Reads a table in one of the layouts of tables.tsv (the department table,
 * told by its 部门名称 column, or the region table, told by 地区 / 分组) from
 * TSV, CSV or XLSX, matches its columns by header name (any order; extra
 * columns are ignored and listed), and reports every cell where the printed
 * value differs from the computed one:
 *
 *   total_row     the printed 合计 row against the sum of the unit rows
 *   total_column  a printed 总计 against the sum of its row
 *   data          a unit's printed cell against the stored counts (only when
 *                 a store and a month range are given)
 *
 * Ownership: the result and everything in it belong to the caller
 * (xy_reconcile_free).
 */
#ifndef XINYONG_RECONCILE_H
#define XINYONG_RECONCILE_H

#include <stdbool.h>
#include <stddef.h>

#include "error.h"
#include "registry.h"
#include "stats.h"
#include "store.h"

typedef enum xy_reconcile_kind {
	XY_RECON_TOTAL_ROW = 0,
	XY_RECON_TOTAL_COLUMN,
	XY_RECON_DATA,
} xy_reconcile_kind;

/* "total_row", "total_column", "data" */
const char *xy_reconcile_kind_name(xy_reconcile_kind k);

typedef struct xy_reconcile_diff {
	char *row;          /* the unit as printed, or the total row's label (合计) */
	char *column;       /* the column header as the layout names it */
	long line;          /* row in the file (CSV/TSV line, XLSX row); 0: the unit is
	                       missing from the file */
	long long printed;  /* blank counts as 0 */
	long long computed;
	xy_reconcile_kind kind;
} xy_reconcile_diff;

typedef struct xy_reconcile {
	xy_stats_layout layout;   /* detected from the header */
	char *sheet;              /* XLSX: the sheet read; NULL otherwise */
	long header_line;
	size_t nrows;             /* unit rows read */
	size_t ncolumns;          /* value columns matched by header */
	bool total_row;           /* the file has a 合计 row */
	bool total_column;        /* the file has a 总计 column */
	bool checked_data;        /* compared with the stored counts */
	char **ignored;           /* headers that are no column of the layout */
	size_t nignored;
	char **missing;           /* columns of the layout the file lacks */
	size_t nmissing;
	char **unknown_units;     /* rows naming a unit the layout does not list */
	size_t nunknown_units;
	xy_reconcile_diff *diffs; /* in the order of the file (units missing from the file last) */
	size_t ndiffs;
} xy_reconcile;

typedef struct xy_reconcile_opts {
	const char *from;       /* YYYY-MM; with `to` and a store: compare with the data */
	const char *to;
	const char *config_dir; /* tables.tsv; NULL: the default configuration */
} xy_reconcile_opts;

/* Read and check path.  s and reg may be NULL unless o->from/o->to are set.
 * Errors: the file cannot be read (XY_ERR_IO / XY_ERR_FORMAT), it is neither
 * layout (XY_ERR_FORMAT), a printed cell is not a number (XY_ERR_FORMAT with
 * the line and column), a bad month range (XY_ERR_ARG). */
xy_code xy_reconcile_file(const char *path, xy_store *s, const xy_registry *reg,
			  const xy_reconcile_opts *o, xy_reconcile **out, xy_error *err);

void xy_reconcile_free(xy_reconcile *r); /* NULL is fine */

#endif
