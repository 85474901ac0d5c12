/* xinyong: the table model every statistics table and bulletin table uses.
 *
 * A table has label columns (序号, 部门名称 / 地区, 分组) and value columns
 * (one per category), optionally a computed total column (总计) and a
 * computed total row (合计, placed first as the bulletin prints it).  Totals
 * are always computed by xy_table_compute_totals(), never typed.  Values are
 * counts; zero prints blank in the bulletin's layouts.
 *
 * Ownership: the table owns every string and array in it (all malloc'd);
 * xy_table_free() releases everything.  Renderers only read.
 */
#ifndef XINYONG_TABLE_H
#define XINYONG_TABLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "error.h"

typedef struct xy_table_row {
	char **labels;      /* nlabels strings, "" when empty */
	long long *values;  /* nvalues numbers */
	long long total;    /* sum of values (when the table has a total column) */
	bool is_total;      /* the 合计 row */
} xy_table_row;

typedef struct xy_table {
	char *title;            /* e.g. 2019年1—10月份各县（市）区、园区信源单位数据报送情况统计表 */
	char *note;             /* a line under the title (period, unit); may be NULL */
	size_t nlabels;
	char **label_names;     /* 序号, 部门名称 */
	size_t nvalues;
	char **value_names;     /* 行政许可, 行政处罚, … */
	char *total_col_name;   /* 总计, or NULL for no total column */
	char *total_row_label;  /* 合计, or NULL for no total row */
	size_t total_row_label_col; /* label column that carries 合计 (e.g. 1: 部门名称) */
	bool zero_blank;        /* print 0 as an empty cell */
	size_t nrows;
	xy_table_row *rows;     /* the total row, when present, is rows[0] */
} xy_table;

/* New empty table with the given columns (strings copied).  total_col_name
 * and total_row_label may be NULL.  Returns NULL when out of memory. */
xy_table *xy_table_new(const char *title, size_t nlabels, const char *const *label_names,
		       size_t nvalues, const char *const *value_names,
		       const char *total_col_name, const char *total_row_label,
		       size_t total_row_label_col);
void xy_table_free(xy_table *t); /* NULL is fine */

xy_code xy_table_set_note(xy_table *t, const char *note);

/* Append a data row (strings and values copied). */
xy_code xy_table_add_row(xy_table *t, const char *const *labels, const long long *values);

/* (Re)compute every row's total and the total row (inserted as rows[0] if
 * absent).  Call after the last add_row and after any change. */
xy_code xy_table_compute_totals(xy_table *t);

/* Index of a value column by name, -1 if none. */
int xy_table_value_index(const xy_table *t, const char *name);

/* Index of the first row whose label column label_col equals label, -1 if
 * none (e.g. xy_table_row_index(t, 1, "市审批局")). */
int xy_table_row_index(const xy_table *t, size_t label_col, const char *label);

typedef enum xy_table_format {
	XY_TABLE_TEXT = 0, /* aligned for a terminal (CJK double width) */
	XY_TABLE_CSV,      /* UTF-8 with BOM, CRLF; header row exactly as printed */
	XY_TABLE_MD,
	XY_TABLE_HTML,     /* a <table> fragment with <caption> */
	XY_TABLE_JSON,     /* {"title","columns":[…],"rows":[{col:value,…}]} */
	XY_TABLE_XLSX,     /* libxlsxwriter; 合计 row and 总计 column as formulas */
	XY_TABLE_PDF,      /* cairo + pango (Noto Sans CJK SC): title, note, the header
			    * repeated on every page, "第 X 页 共 Y 页"; A4, landscape
			    * when the table has more than 8 columns */
} xy_table_format;

/* "text", "csv", "md", "html", "json", "xlsx", "pdf" → format; -1 when unknown.
 * "table" is accepted as "text" (the CLI's default --format). */
int xy_table_format_parse(const char *s, xy_table_format *out);
const char *xy_table_format_name(xy_table_format fmt); /* "text", "csv", … */

/* Render to a stream (all formats but XLSX; PDF is binary). */
xy_code xy_table_write(const xy_table *t, xy_table_format fmt, FILE *out, xy_error *err);

/* Render to a file (every format; XLSX needs a path).  Several tables go to
 * one XLSX as separate sheets with xy_table_write_xlsx. */
xy_code xy_table_save(const xy_table *t, xy_table_format fmt, const char *path, xy_error *err);
xy_code xy_table_write_xlsx(const xy_table *const *tables, const char *const *sheet_names,
			    size_t n, const char *path, xy_error *err);

#endif
