/* xinyong: streaming readers for the files source units upload.
 *
 * One interface over CSV (UTF-8 with/without BOM, GB18030/GBK), XLSX (libzip +
 * libxml2 stream reader, every sheet) and JSON (a top-level array of objects).
 * Memory stays bounded by the limits in xy_reader_opts whatever the file size.
 *
 * The reader hands out rows one at a time.  A row flagged `is_header` names the
 * columns of the rows that follow it (the first non-empty row of a CSV file or
 * of each XLSX sheet; for JSON, the keys seen so far, re-sent whenever an
 * object brings a new key).  Entirely empty rows are skipped.
 *
 * Problems confined to one row (too many columns, a cell over max_cell, bytes
 * that do not decode, NUL bytes) do not stop the reader: the row is returned
 * with `problem` set, so the importer can reject that row and go on.  Problems
 * with the file itself (truncated zip, binary junk, undetectable encoding,
 * unzip limit) end reading with an error.
 */
#ifndef XINYONG_READER_H
#define XINYONG_READER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "error.h"

typedef enum xy_format {
	XY_FMT_AUTO = 0,
	XY_FMT_CSV,
	XY_FMT_XLSX,
	XY_FMT_JSON,
	XY_FMT_XLS, /* BIFF8 .xls, WPS .et saved as BIFF (OLE2 magic D0 CF 11 E0) */
	XY_FMT_ODS, /* OpenDocument spreadsheet (zip whose first entry is mimetype) */
} xy_format;

typedef enum xy_encoding {
	XY_ENC_AUTO = 0,
	XY_ENC_UTF8,
	XY_ENC_GB18030,
	XY_ENC_UTF16LE, /* "Unicode 文本" as Excel saves it: BOM FF FE, tab-separated */
	XY_ENC_UTF16BE, /* BOM FE FF */
} xy_encoding;

typedef struct xy_reader_opts {
	xy_format format;      /* AUTO: zip starting with an ODS mimetype entry ->
	                          ODS, other zip -> XLSX, OLE2 magic -> XLS,
	                          '[' or '{' -> JSON, else CSV */
	xy_encoding encoding;  /* CSV only; AUTO: BOM, else UTF-16 by its NUL bytes,
	                          else the first non-ASCII bytes of the file (wherever
	                          they come): valid UTF-8, else GB18030 */
	size_t max_cell;       /* bytes of one decoded cell; 0 -> XY_READER_MAX_CELL */
	size_t max_columns;    /* cells per row; 0 -> XY_READER_MAX_COLUMNS */
	uint64_t max_unzipped; /* XLSX/ODS: total uncompressed bytes; 0 -> XY_READER_MAX_UNZIPPED */
	size_t sst_budget;     /* XLSX: bytes of shared strings (text + 8-byte index entries)
	                          kept in memory; the rest goes to an unlinked temporary
	                          file in $TMPDIR (else /tmp), read back when a cell names
	                          it.  0 -> XY_READER_SST_BUDGET.  Tests set it small. */
} xy_reader_opts;

#define XY_READER_MAX_CELL     (4u << 20)          /* 4 MiB */
#define XY_READER_MAX_COLUMNS  1024u
#define XY_READER_MAX_UNZIPPED (4ull << 30)        /* 4 GiB */
#define XY_READER_SST_BUDGET   ((size_t)64 << 20)  /* 64 MiB */

typedef struct xy_row {
	long line;            /* row number as a person sees it in Excel/WPS: CSV:
	                         the record number, blank lines counted, a quoted
	                         cell over several lines being one row (1 for a
	                         header on the first line); XLSX: the sheet's row
	                         number; ODS: the row number LibreOffice shows
	                         (repeated rows counted); JSON: the element number (first element =
	                         1); NDJSON: the line */
	const char *sheet;    /* XLSX/XLS/ODS sheet name (every row of a workbook carries
	                         it), NULL otherwise */
	bool is_header;
	bool hidden;          /* XLSX/ODS: a sheet the workbook hides (XLSX
	                         state="hidden"/"veryHidden", ODS table:display=
	                         "false"): templates keep drop-down lists there.
	                         The reader hands out this one row for it (no
	                         cells, is_header set, line 0) and none of its rows. */
	size_t ncells;
	const char *const *cells; /* UTF-8, NUL-terminated, never NULL ("" when empty) */
	const size_t *lens;
	const char *problem;      /* NULL, or why this row cannot be used (English) */
	const char *problem_zh;   /* same in Chinese */
	long problem_col;         /* 0-based column of the problem, -1 = whole row */
} xy_row;

typedef struct xy_reader xy_reader;

/* Open path.  On failure returns non-zero, *out is NULL and err says why. */
xy_code xy_reader_open(xy_reader **out, const char *path,
		       const xy_reader_opts *opts, xy_error *err);

/* Next row: returns XY_OK and sets *row (valid until the next call), or
 * XY_OK with *row == NULL at the end of the file, or an error code with err
 * set (the file is broken; stop reading). */
xy_code xy_reader_next(xy_reader *r, const xy_row **row, xy_error *err);

xy_format xy_reader_format(const xy_reader *r);
xy_encoding xy_reader_encoding(const xy_reader *r); /* CSV: detected; else UTF8 */

/* Bytes of input consumed so far (compressed bytes for XLSX), for progress. */
uint64_t xy_reader_offset(const xy_reader *r);

void xy_reader_free(xy_reader *r); /* NULL is fine */

const char *xy_format_name(xy_format f);     /* "csv", "xlsx", "json", "xls", "ods" */
const char *xy_encoding_name(xy_encoding e); /* "utf-8", "gb18030", "utf-16le", "utf-16be" */

/* The format or encoding a name (as printed by the functions above,
 * case-insensitive; also "gbk", "utf8", "utf-16" = LE, "et" = xls) stands
 * for, or -1. */
int xy_format_parse(const char *name);
int xy_encoding_parse(const char *name);

/* Guess the format of a file from its first bytes (zip magic: ODS when its
 * first entry is a stored `mimetype` naming an OpenDocument spreadsheet, else
 * XLSX; OLE2 magic; '[' after
 * BOM/whitespace, else CSV). */
xy_code xy_format_detect(const char *path, xy_format *out, xy_error *err);

/* ---- per-format entry points used by xy_reader_open (lib/ingest/) ---- */
typedef struct xy_reader_ops {
	xy_code (*next)(void *impl, const xy_row **row, xy_error *err);
	uint64_t (*offset)(const void *impl);
	xy_encoding (*encoding)(const void *impl);
	void (*free)(void *impl);
} xy_reader_ops;

xy_code xy__csv_open(void **impl, const xy_reader_ops **ops, const char *path,
		     const xy_reader_opts *opts, xy_error *err);
xy_code xy__xlsx_open(void **impl, const xy_reader_ops **ops, const char *path,
		      const xy_reader_opts *opts, xy_error *err);
xy_code xy__json_open(void **impl, const xy_reader_ops **ops, const char *path,
		      const xy_reader_opts *opts, xy_error *err);
xy_code xy__xls_open(void **impl, const xy_reader_ops **ops, const char *path,
		     const xy_reader_opts *opts, xy_error *err);
xy_code xy__ods_open(void **impl, const xy_reader_ops **ops, const char *path,
		     const xy_reader_opts *opts, xy_error *err);

/* ---- error report writers: same format (and CSV encoding) as the input ---- */
typedef struct xy_writer xy_writer;

/* The format an error report for an input of format `input` is written in:
 * the input's own, except .xls and .ods (we write neither), whose report is .xlsx.
 * Use it for the report's file extension too. */
xy_format xy_report_format(xy_format input);

/* Create path as fmt (CSV in enc; .xls input as xy_report_format()).  The
 * report has the input's columns and then 错误行号 / 错误字段 / 错误原因 / error (the extra columns are ignored if
 * the unit sends the corrected report back). */
xy_code xy_writer_open(xy_writer **out, const char *path, xy_format fmt,
		       xy_encoding enc, xy_error *err);
/* Column names of the following rows (may be called again, e.g. per sheet). */
xy_code xy_writer_header(xy_writer *w, size_t ncols, const char *const *names,
			 xy_error *err);
/* One rejected row: its original cells plus where and why. */
xy_code xy_writer_row(xy_writer *w, const xy_row *row, const char *fields,
		      const char *reason_zh, const char *reason_en, xy_error *err);
/* Finish the file; returns an error if flushing fails.  Frees w. */
xy_code xy_writer_close(xy_writer *w, xy_error *err);

/* True for the columns an error report adds (错误行号 …): ignored on import. */
int xy__is_report_column(const char *name);

/* Per-format writer entry points (lib/ingest/). */
typedef struct xy_writer_ops {
	xy_code (*header)(void *impl, size_t ncols, const char *const *names, xy_error *err);
	xy_code (*row)(void *impl, size_t ncells, const char *const *cells,
		       const size_t *lens, xy_error *err);
	xy_code (*close)(void *impl, xy_error *err); /* frees impl */
} xy_writer_ops;

xy_code xy__csv_writer_open(void **impl, const xy_writer_ops **ops, const char *path,
			    xy_encoding enc, xy_error *err);
xy_code xy__xlsx_writer_open(void **impl, const xy_writer_ops **ops, const char *path,
			     xy_error *err);
/* A plain table in XLSX: the same ops (header, rows of text cells, close)
 * with the first sheet named sheet (at most 31 characters; Excel's limit)
 * instead of 错误.  Used by the inspection export (docs/inspection.md). */
xy_code xy__xlsx_table_open(void **impl, const xy_writer_ops **ops, const char *path,
			    const char *sheet, xy_error *err);
xy_code xy__json_writer_open(void **impl, const xy_writer_ops **ops, const char *path,
			     xy_error *err);

#endif
