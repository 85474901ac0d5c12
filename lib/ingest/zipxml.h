/* xinyong: what the XLSX and ODS readers share (internal to lib/ingest/).
 *
 * xy__zipxml: one zip archive and the entry being parsed, streamed from
 * libzip through libxml2's xmlTextReader (or, with reader = false, read by
 * xy__zx_read() alone), every inflated byte counted against max_unzipped and
 * each entry held to the size its zip directory declares.  libxml2 errors are
 * captured (xy__zx_guard_on/off around every call into libxml2), never
 * printed; the first becomes the message of the xy_error.  No
 * XML_PARSE_NOENT, no XML_PARSE_HUGE, never the network; a DOCTYPE is refused.
 *
 * xy__rowbuf: one row of cells being assembled and then handed out as an
 * xy_row (its cells valid until the next xy__rowbuf_reset()).
 */
#ifndef XINYONG_INGEST_ZIPXML_H
#define XINYONG_INGEST_ZIPXML_H

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include <libxml/xmlreader.h>
#include <zip.h>

#include "xinyong/buf.h"
#include "xinyong/reader.h"

typedef struct xy__zipxml {
	const char *path; /* the file, for messages (the reader owns it) */
	const char *kind;    /* "XLSX", "ODS": messages */
	const char *kind_lc; /* "xlsx", "ods" */
	const char *what;    /* "XLSX workbook", "ODS spreadsheet" */
	uint64_t max_unzipped;
	zip_t *za;

	/* the entry being parsed */
	zip_file_t *zf;
	xmlTextReaderPtr xr;
	char entry[256]; /* for messages */
	uint64_t entry_size, entry_comp, entry_read;
	bool entry_sized;   /* entry_size was declared */
	uint64_t unzipped;  /* uncompressed bytes read from all entries */
	uint64_t comp_done; /* compressed size of the entries finished */
	xy_code io_code;    /* set by xy__zx_read() */
	char io_msg[768];
	char xml_msg[256]; /* first libxml2 error of the entry */
	int xml_line;
} xy__zipxml;

/* Open the archive z->path; messages say which kind of file was expected. */
xy_code xy__zx_open(xy__zipxml *z, xy_error *err);
/* Close the entry and the archive. */
void xy__zx_release(xy__zipxml *z);

zip_int64_t xy__zx_locate(xy__zipxml *z, const char *name); /* exact, else any case */

/* Start reading entry name: through z->xr when `reader`, else by
 * xy__zx_read().  A missing entry: *found = false if optional (found may be
 * NULL otherwise), else "not an <kind> file: <name> missing". */
xy_code xy__zx_entry_open(xy__zipxml *z, const char *name, bool optional, bool reader,
			  bool *found, xy_error *err);
void xy__zx_entry_close(xy__zipxml *z);
/* Up to len bytes of the entry (0 at its end), or -1 with z->io_code/io_msg. */
int xy__zx_read(void *z, char *buf, int len);
/* Next node of z->xr: *more = 1, or 0 at the end; errors through err. */
xy_code xy__zx_next(xy__zipxml *z, int *more, xy_error *err);
/* The error of a failed parse of the entry (libxml2's first message). */
xy_code xy__zx_xml_error(xy__zipxml *z, xy_error *err);
/* Compressed bytes consumed: the finished entries plus the current one pro rata. */
uint64_t xy__zx_offset(const xy__zipxml *z);

/* Iterate the attributes of the current element; false when done (and back
 * on the element).  *ns: the attribute's namespace URI or NULL. */
bool xy__zx_next_attr(xy__zipxml *z, const xmlChar **name, const xmlChar **value,
		      const xmlChar **ns);
bool xy__zx_is_text(int node_type);

typedef struct xy__zx_guard {
	xmlStructuredErrorFunc func;
	void *ctx;
} xy__zx_guard;
void xy__zx_guard_on(xy__zx_guard *g, xy__zipxml *z);
void xy__zx_guard_off(const xy__zx_guard *g);

static inline bool xy__zx_eq(const xmlChar *a, const char *b)
{
	return a && strcmp((const char *)a, b) == 0;
}

/* ---- values ---- */

/* Numbers as stored, unless a binary float artefact ("0.30000000000000004")
 * or written with an exponent ("1.0E-2"): then 15 significant digits, as
 * spreadsheets show them. */
xy_code xy__number_text(xy_buf *out, const char *s, size_t n);
/* Append s[0..n) to a cell's text, keeping at most max_cell + 1 bytes
 * (*cut set when bytes were dropped). */
void xy__cell_text(xy_buf *val, bool *cut, size_t max_cell, const char *s, size_t n);
/* Longest prefix of s[0..n) that does not end inside a UTF-8 sequence. */
size_t xy__utf8_cut(const char *s, size_t n);
/* The reader options with every 0 replaced by its default. */
void xy__reader_defaults(xy_reader_opts *o);

/* ---- the row being assembled ---- */
typedef struct xy__rowbuf {
	size_t max_columns, max_cell, max_row_bytes;
	xy_buf text; /* the row's cells, each NUL-terminated */
	size_t *off; /* start of each cell in text */
	size_t ncol, colcap;
	size_t used;      /* cells up to the last non-empty one */
	size_t over_cols; /* last non-empty column + 1 beyond max_columns */
	xy_row row;       /* handed out */
	const char **cellp;
	size_t *lens;
	size_t cellcap;
	char problem[160], problem_zh[160];
} xy__rowbuf;

void xy__rowbuf_init(xy__rowbuf *b, const xy_reader_opts *o, size_t max_row_bytes);
void xy__rowbuf_release(xy__rowbuf *b);
void xy__rowbuf_reset(xy__rowbuf *b); /* a new row */
/* The row's problem (the first one set wins). */
void xy__rowbuf_problem(xy__rowbuf *b, long col, const char *en, const char *zh);
/* Append one cell (the next column); XY_ERR_NOMEM on failure. */
xy_code xy__rowbuf_push(xy__rowbuf *b, const char *s, size_t n);
/* Cell value v[0..n) of column col (empty columns before it filled in),
 * pushed `rep` times, the problem set when it is over max_cell (`cut`: the
 * reader had to drop bytes already). */
xy_code xy__rowbuf_cell(xy__rowbuf *b, size_t col, const char *v, size_t n, bool cut,
			size_t rep);
/* Finish the row: b->row gets its cells (the sheet, line and is_header are
 * the caller's).  False if it is entirely empty (nothing to hand out). */
xy_code xy__rowbuf_finish(xy__rowbuf *b, bool *ready);

#endif
