/* Internal: the table model on PDF pages (table_pdf.c) — the cells of an
 * xy_table as the grid of pdf.h draws them, and a whole table as a PDF
 * (xy_table_write with XY_TABLE_PDF). */
#ifndef XY_REPORT_TABLE_PDF_H
#define XY_REPORT_TABLE_PDF_H

#include <stdio.h>

#include "xinyong/table.h"
#include "pdf.h"

/* g (uninitialised) = the cells of t as printed: zeros blank when t says
 * so, a label column named 分组 turned into group rows, the 合计 row a total
 * row; title and note borrowed from t.  false when out of memory (free g
 * with xy__grid_free either way). */
bool xy__grid_from_table(xy__grid *g, const xy_table *t);

/* t as a PDF document written to f (path names it in errors): the title,
 * the note, the table with its header repeated on every page, "第 X 页 共 Y
 * 页" under each; A4 portrait, landscape when the table is wide. */
xy_code xy__table_pdf(const xy_table *t, FILE *f, const char *path, xy_error *err);

#endif
