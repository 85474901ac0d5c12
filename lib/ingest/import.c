/* Importing one file as one atomic batch.  See include/xinyong/ingest.h.
 *
 * Two threads share the work, because reading, decoding and validating a row
 * costs about as much CPU as storing it: a reader thread (reader.h + field
 * validation, building each record's JSON) and the calling thread, which owns
 * the store handle and the error report.  Rows travel between them in file
 * order, in chunks through a queue of NCHUNKS chunks, so memory stays bounded
 * and the threads meet once per chunk, not once per row.  Everything that
 * depends on the database (subject ids, duplicate keys, the batch's error
 * rows) happens on the calling thread in file order, so results and error
 * reports are the same as a one-thread import's.
 */
#include <errno.h>
#include <pthread.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <sodium.h>

#include "xinyong/auth.h"
#include "xinyong/codes.h"
#include "xinyong/date.h"
#include "xinyong/ingest.h"
#include "xinyong/text.h"

#define MAX_WARNINGS 20
/* The header is the first row among the first HEADER_ROWS of a sheet that
 * names at least min(HEADER_FIELDS, required fields) fields of the category:
 * title rows, 填报单位/日期 lines and notes above it are skipped, and a sheet
 * where no row qualifies (填报说明, 字典) is skipped with a note. */
#define HEADER_ROWS 20
#define HEADER_FIELDS 3
/* Defaults of xy_import_opts.max_stored_errors and .refuse_after. */
#define DEFAULT_STORED_ERRORS 10000
#define DEFAULT_REFUSE_AFTER 100

typedef struct row_error {
	long col;          /* column index, -1 = whole row */
	char column[128];  /* header text */
	xy_reason why;
} row_error;

/* ---- the queue between the reader thread and the store thread ---- */

#define CHUNK_ROWS 8192
#define NCHUNKS 4
/* A chunk is handed over at CHUNK_ROWS rows or once its strings pass
 * CHUNK_BYTES, so the queue holds about NCHUNKS × 4 MiB whatever the rows
 * hold.  4 MiB rather than 1: PostgreSQL's bulk load pays a few statements a
 * chunk, and a re-import of 200,000 unchanged rows took half the server CPU
 * (25 s instead of 53); SQLite's import is as fast, its peak RSS 68 → 110 MB;
 * an arena that grew past ARENA_KEEP for one huge row gives the memory back. */
#define CHUNK_BYTES (4u << 20)
#define ARENA_KEEP (2u << 20)
#define NONE ((size_t)-1)

typedef enum item_kind {
	IT_HEADER, /* new column names for the error report */
	IT_RECORD, /* a valid row for the store */
	IT_REJECT, /* a rejected row for the report */
	IT_SHEET,  /* a sheet ended: line = header row (0: skipped), count = rows,
	              note = why skipped (NONE: not skipped) */
	IT_COLUMN, /* an unmapped column with data: line = 1-based column,
	              name = header, note = suggested field code (NONE: none),
	              count = non-empty cells */
} item_kind;

/* One row in a chunk.  Strings are offsets into the chunk's arena (it may
 * move while the chunk fills). */
typedef struct item {
	item_kind kind;
	long line;
	size_t sheet;          /* NONE: no sheet */
	size_t cell0, ncells;  /* the row's cells: chunk->cells[cell0 …] */
	size_t err0, nerrs;    /* IT_REJECT: chunk->errs[err0 …] */
	long key_col;          /* IT_HEADER: column of the key field, -1 none */
	int seq;               /* IT_SHEET: order of the sheet in the file */
	long count;            /* IT_SHEET, IT_COLUMN */
	size_t name, note;     /* IT_SHEET, IT_COLUMN */
	/* IT_RECORD */
	bool has_subject;
	xy_subject subj;
	size_t key, data, data_len, decided; /* decided: NONE when absent */
} item;

typedef struct cell_ref {
	size_t off, len;
} cell_ref;

typedef struct chunk {
	item *items;
	size_t nitems;
	xy_buf arena;
	cell_ref *cells;
	size_t ncells, capcells;
	row_error *errs;
	size_t nerrs, caperrs;
	/* the reader thread's last chunk: how reading ended */
	bool last;
	bool refuse;           /* rc refuses the file (vs. a plain failure) */
	xy_code rc;
	xy_error err;
	long rows;             /* data rows read */
	struct chunk *next;
} chunk;

typedef struct queue {
	pthread_mutex_t mu;
	pthread_cond_t filled, freed;
	chunk *head, *tail;    /* full chunks, in file order */
	chunk *free;
	bool cancel;           /* the store thread gave up: stop reading */
	chunk all[NCHUNKS];
} queue;

/* ---- the import ---- */

typedef struct imp {
	const xy_registry *reg;
	const xy_category *cat;
	const xy_import_opts *o;
	const char *path;
	char today[11];

	/* reader thread */
	xy_reader *r;
	queue q;
	chunk *cur;      /* being filled */
	long rows;
	char **hdr;      /* current header */
	size_t nhdr;
	int *colfield;   /* per column: field index, -1 ignored */
	int *fieldcol;   /* per field: column index, -1 absent */
	int role[XY_ROLE_DATE + 1]; /* field index of each role, -1 none */
	xy_buf *vals;    /* per field: normalised value of the current row */
	xy_buf *jkey;    /* per field: its code as a JSON key, '"code":' */
	row_error *errs;
	size_t nerrs, caperrs;
	long warnings;
	/* the unit's own column names (xinyong mapping): header key → field */
	char **map_keys;
	int *map_fields;
	size_t nmaps;
	xy_buf hkey;          /* scratch: a header's normalised form */
	unsigned char *seen;  /* scratch: per field, named by the row scored */
	size_t threshold;     /* fields a header row must name */
	/* the current sheet */
	int sheet_seq;        /* 0 before the first row */
	char *sheet_name;     /* "" for files without sheets */
	bool searching;       /* its header has not been found yet */
	bool hidden;          /* the workbook hides it (xy_row.hidden): skipped */
	long header_row, sheet_rows, sheet_skipped;
	int data_sheets;
	xy_buf skipped;       /* names of sheets skipped so far */
	long *colcells;       /* per header column: non-empty data cells */
	bool *unmapped;       /* per header column: named, but maps to no field */
	bool *yuan;           /* per header column: an amount in 元 (its header says so) */
	xy_buf amount;        /* scratch: a bare number of a 元 column, with its unit */
	size_t ncolcells;
	/* refusing a wrong template early */
	long refuse_after;    /* 0: never */
	long early_rows;      /* data rows so far, while all were rejected alike */
	bool early_alike;
	row_error early_first;

	/* store thread */
	xy_store *s;
	xy_batch *b;
	int64_t unit_id;
	char **rhdr;     /* the report's current header */
	size_t nrhdr;
	long key_col;    /* column of the key field in rhdr, -1 none */
	bool hdr_pending; /* report writer has not seen this header yet */
	const char **rcells; /* scratch: a queued row's cells as pointers */
	size_t *rlens;
	size_t caprcells;
	xy_writer *w;
	/* one chunk's records for xy_store_records_load, and their outcomes */
	xy_record_load *load;     /* CHUNK_ROWS of each */
	xy_upsert_result *loaded;
	xy_format fmt;
	xy_encoding enc;
	long max_stored;      /* rejected rows whose errors go to the store */
	int sheets_stored;
	char tmp_report[1024];
	char report[1024];
	/* a refused file's message: an xy_error formatted, which its bounded
	 * fields always fit */
	char refusal[2048];
} imp;

static void warn(imp *m, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void warn(imp *m, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;
	if (!m->o->warn)
		return;
	if (++m->warnings > MAX_WARNINGS)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	m->o->warn(m->o->warn_ctx, msg);
}

static void now_iso(char out[32])
{
	xy_time_upload(out);
}

static xy_code mkdir_p(const char *dir, xy_error *err)
{
	char tmp[1024];
	size_t n = (size_t)snprintf(tmp, sizeof tmp, "%s", dir);
	if (n >= sizeof tmp)
		return xy_error_set(err, XY_ERR_ARG, "directory name too long: %s", dir);
	for (char *p = tmp + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(tmp, 0777) && errno != EEXIST)
			return xy_error_at(err, XY_ERR_IO, tmp, 0, NULL, "cannot create directory: %s",
					   strerror(errno));
		*p = '/';
	}
	if (mkdir(tmp, 0777) && errno != EEXIST)
		return xy_error_at(err, XY_ERR_IO, tmp, 0, NULL, "cannot create directory: %s",
				   strerror(errno));
	return XY_OK;
}

/* ---- the queue ---- */

static void chunk_reset(chunk *c)
{
	for (size_t i = 0; i < c->nitems; i++)
		if (c->items[i].has_subject)
			xy_subject_release(&c->items[i].subj);
	c->nitems = c->ncells = c->nerrs = 0;
	if (c->arena.cap > ARENA_KEEP)
		xy_buf_release(&c->arena);
	else
		xy_buf_reset(&c->arena);
	c->last = c->refuse = false;
	c->rc = XY_OK;
	c->rows = 0;
	c->next = NULL;
}

static xy_code queue_init(queue *q)
{
	memset(q, 0, sizeof *q);
	for (size_t i = 0; i < NCHUNKS; i++) {
		chunk *c = &q->all[i];
		xy_buf_init(&c->arena, 0);
		if (!(c->items = malloc(CHUNK_ROWS * sizeof *c->items)))
			return XY_ERR_NOMEM;
		c->next = q->free;
		q->free = c;
	}
	if (pthread_mutex_init(&q->mu, NULL))
		return XY_ERR_NOMEM;
	if (pthread_cond_init(&q->filled, NULL)) {
		pthread_mutex_destroy(&q->mu);
		return XY_ERR_NOMEM;
	}
	if (pthread_cond_init(&q->freed, NULL)) {
		pthread_cond_destroy(&q->filled);
		pthread_mutex_destroy(&q->mu);
		return XY_ERR_NOMEM;
	}
	return XY_OK;
}

/* Only after queue_init succeeded. */
static void queue_destroy(queue *q)
{
	pthread_cond_destroy(&q->freed);
	pthread_cond_destroy(&q->filled);
	pthread_mutex_destroy(&q->mu);
}

/* Also after a failed queue_init (the chunks are zeroed or initialised). */
static void queue_free_chunks(queue *q)
{
	for (size_t i = 0; i < NCHUNKS; i++) {
		chunk *c = &q->all[i];
		if (c->items)
			chunk_reset(c);
		free(c->items);
		free(c->cells);
		free(c->errs);
		xy_buf_release(&c->arena);
	}
}

/* Reader thread: an empty chunk to fill, or NULL once the store thread has
 * cancelled. */
static chunk *queue_get_free(queue *q)
{
	chunk *c;
	pthread_mutex_lock(&q->mu);
	while (!q->free && !q->cancel)
		pthread_cond_wait(&q->freed, &q->mu);
	c = q->cancel ? NULL : q->free;
	if (c)
		q->free = c->next;
	pthread_mutex_unlock(&q->mu);
	if (c)
		chunk_reset(c);
	return c;
}

static void queue_put_full(queue *q, chunk *c)
{
	c->next = NULL;
	pthread_mutex_lock(&q->mu);
	if (q->tail)
		q->tail->next = c;
	else
		q->head = c;
	q->tail = c;
	pthread_cond_signal(&q->filled);
	pthread_mutex_unlock(&q->mu);
}

/* Store thread: the next full chunk, in file order (the reader thread always
 * ends with a chunk flagged `last`). */
static chunk *queue_get_full(queue *q)
{
	chunk *c;
	pthread_mutex_lock(&q->mu);
	while (!q->head)
		pthread_cond_wait(&q->filled, &q->mu);
	c = q->head;
	q->head = c->next;
	if (!q->head)
		q->tail = NULL;
	pthread_mutex_unlock(&q->mu);
	return c;
}

static void queue_put_free(queue *q, chunk *c)
{
	pthread_mutex_lock(&q->mu);
	c->next = q->free;
	q->free = c;
	pthread_cond_signal(&q->freed);
	pthread_mutex_unlock(&q->mu);
}

static void queue_cancel(queue *q)
{
	pthread_mutex_lock(&q->mu);
	q->cancel = true;
	pthread_cond_broadcast(&q->freed);
	pthread_mutex_unlock(&q->mu);
}

/* ---- reader thread ---- */

static void free_header(imp *m)
{
	for (size_t i = 0; i < m->nhdr; i++)
		free(m->hdr[i]);
	free(m->hdr);
	free(m->colfield);
	m->hdr = NULL;
	m->colfield = NULL;
	m->nhdr = 0;
}

/* The next item of the current chunk; NULL when the chunk could not be
 * swapped because the store thread cancelled. */
static item *next_item(imp *m)
{
	item *it;
	if (m->cur->nitems == CHUNK_ROWS || m->cur->arena.len >= CHUNK_BYTES) {
		queue_put_full(&m->q, m->cur);
		if (!(m->cur = queue_get_free(&m->q)))
			return NULL;
	}
	it = &m->cur->items[m->cur->nitems];
	memset(it, 0, offsetof(item, subj));
	it->sheet = it->decided = NONE;
	return it;
}

static xy_code arena_str(chunk *c, const char *p, size_t n, size_t *off)
{
	xy_code rc = xy_buf_grow(&c->arena, n + 1);
	if (rc)
		return rc;
	*off = c->arena.len;
	memcpy(c->arena.data + c->arena.len, p, n);
	c->arena.len += n;
	c->arena.data[c->arena.len++] = '\0';
	return XY_OK;
}

/* Copy the row's line, sheet and cells into the item (the report needs them
 * for rejected rows and for rows the store finds duplicated). */
static xy_code item_row(chunk *c, item *it, const xy_row *row)
{
	xy_code rc;
	it->line = row->line;
	if (row->sheet && (rc = arena_str(c, row->sheet, strlen(row->sheet), &it->sheet)))
		return rc;
	if (c->ncells + row->ncells > c->capcells) {
		size_t cap = c->capcells ? c->capcells : 64;
		cell_ref *v;
		while (cap < c->ncells + row->ncells)
			cap *= 2;
		if (!(v = realloc(c->cells, cap * sizeof *v)))
			return XY_ERR_NOMEM;
		c->cells = v;
		c->capcells = cap;
	}
	it->cell0 = c->ncells;
	it->ncells = row->ncells;
	for (size_t i = 0; i < row->ncells; i++) {
		cell_ref *cr = &c->cells[c->ncells++];
		cr->len = row->lens[i];
		if ((rc = arena_str(c, row->cells[i], row->lens[i], &cr->off)))
			return rc;
	}
	return XY_OK;
}

/* Hand the header to the store thread for the error report. */
static xy_code emit_header(imp *m, const xy_row *row)
{
	item *it = next_item(m);
	xy_code rc;
	int kf = m->cat->key_field;
	if (!it)
		return XY_OK;
	it->kind = IT_HEADER;
	it->key_col = kf >= 0 ? m->fieldcol[kf] : -1;
	if ((rc = item_row(m->cur, it, row)))
		return rc;
	m->cur->nitems++;
	return XY_OK;
}

/* The field a header cell names: the unit's own mapping first, then the
 * category's codes, names and aliases; -1 when none. */
static int column_field(imp *m, const char *cell)
{
	if (m->nmaps && xy_header_key(cell, &m->hkey) == XY_OK && m->hkey.len)
		for (size_t i = 0; i < m->nmaps; i++)
			if (strcmp(m->map_keys[i], m->hkey.data) == 0)
				return m->map_fields[i];
	return xy_category_match_header(m->cat, cell);
}

/* How many distinct fields the row names. */
static size_t header_score(imp *m, const xy_row *row)
{
	size_t score = 0;
	memset(m->seen, 0, m->cat->nfields);
	for (size_t i = 0; i < row->ncells; i++) {
		int f;
		if (!row->lens[i] || xy__is_report_column(row->cells[i]))
			continue;
		f = column_field(m, row->cells[i]);
		if (f >= 0 && !m->seen[f]) {
			m->seen[f] = 1;
			score++;
		}
	}
	return score;
}

/* Room for the per-column counters of n header columns; existing counts are
 * kept (a JSON file re-sends its header with new keys appended). */
static xy_code colcells_grow(imp *m, size_t n)
{
	long *c;
	bool *u;
	if (n <= m->ncolcells)
		return XY_OK;
	if (!(c = realloc(m->colcells, n * sizeof *c)))
		return XY_ERR_NOMEM;
	m->colcells = c;
	if (!(u = realloc(m->unmapped, n * sizeof *u)))
		return XY_ERR_NOMEM;
	m->unmapped = u;
	if (!(u = realloc(m->yuan, n * sizeof *u)))
		return XY_ERR_NOMEM;
	m->yuan = u;
	for (size_t i = m->ncolcells; i < n; i++) {
		c[i] = 0;
		m->unmapped[i] = m->yuan[i] = false;
	}
	m->ncolcells = n;
	return XY_OK;
}

/* Whether a money column's header gives its unit as 元 (罚没金额（元）,
 * 罚款金额(元)), not 万元: its bare numbers are then 元, converted to the
 * field's 万元 with a warning instead of being read as 万元. */
static bool yuan_header(const char *h)
{
	return (strstr(h, "（元）") || strstr(h, "(元)") || strstr(h, "单位：元") ||
		strstr(h, "单位:元")) && !strstr(h, "万元");
}

/* A header row: map every column to a field.  A named column that maps to no
 * field is unmapped: its values are kept with each record ("_extra") and the
 * column is listed with the batch.  A field named by two columns, or a
 * required field named by none, refuses the file. */
static xy_code map_header(imp *m, const xy_row *row, xy_error *err)
{
	const xy_category *cat = m->cat;
	size_t matched = 0;
	xy_buf missing = XY_BUF_INIT;
	free_header(m);
	m->hdr = calloc(row->ncells ? row->ncells : 1, sizeof *m->hdr);
	m->colfield = calloc(row->ncells ? row->ncells : 1, sizeof *m->colfield);
	if (!m->hdr || !m->colfield || colcells_grow(m, row->ncells))
		return xy_error_set(err, XY_ERR_NOMEM, "out of memory");
	m->nhdr = row->ncells;
	for (size_t f = 0; f < cat->nfields; f++)
		m->fieldcol[f] = -1;
	for (size_t i = 0; i < row->ncells; i++) {
		int f;
		if (!(m->hdr[i] = strdup(row->cells[i])))
			return xy_error_set(err, XY_ERR_NOMEM, "out of memory");
		m->colfield[i] = -1;
		m->unmapped[i] = false;
		if (xy__is_report_column(row->cells[i]))
			continue;
		f = column_field(m, row->cells[i]);
		if (f < 0) {
			m->unmapped[i] = row->lens[i] > 0;
			continue;
		}
		if (m->fieldcol[f] >= 0)
			return xy_error_at(err, XY_ERR_FORMAT, m->path, row->line, row->cells[i],
					   "%s%s%scolumns %d ('%s') and %zu ('%s') both name field %s %s; "
					   "remove one (第%d列与第%zu列重复)",
					   row->sheet ? "sheet " : "", row->sheet ? row->sheet : "",
					   row->sheet ? ": " : "",
					   m->fieldcol[f] + 1, row->cells[m->fieldcol[f]], i + 1,
					   row->cells[i], cat->fields[f].code, cat->fields[f].name,
					   m->fieldcol[f] + 1, i + 1);
		m->fieldcol[f] = (int)i;
		m->colfield[i] = f;
		m->yuan[i] = cat->fields[f].type == XY_FT_WAN && yuan_header(row->cells[i]);
		matched++;
	}
	if (!matched)
		return xy_error_at(err, XY_ERR_FORMAT, m->path, row->line, NULL,
				   "no column of the header is a field of %s: is this a %s file? "
				   "(表头中没有%s的字段)", cat->name, cat->name, cat->name);
	for (size_t f = 0; f < cat->nfields; f++)
		if (cat->fields[f].required && m->fieldcol[f] < 0)
			xy_buf_addf(&missing, "%s%s (%s)", missing.len ? ", " : "",
				    cat->fields[f].name, cat->fields[f].code);
	if (missing.len) {
		xy_code rc = xy_error_at(err, XY_ERR_FORMAT, m->path, row->line, NULL,
					 "%s%s%srequired columns missing: %s (缺少必填列)",
					 row->sheet ? "sheet " : "", row->sheet ? row->sheet : "",
					 row->sheet ? ": " : "", missing.data);
		xy_buf_release(&missing);
		return rc;
	}
	if (emit_header(m, row))
		return xy_error_set(err, XY_ERR_NOMEM, "out of memory");
	return XY_OK;
}

/* Queue a sheet's or an unmapped column's summary for the store thread. */
static xy_code emit_summary(imp *m, item_kind kind, long line, long count, const char *name,
			    const char *note)
{
	item *it = next_item(m);
	xy_code rc;
	if (!it)
		return XY_OK;
	it->kind = kind;
	it->line = line;
	it->count = count;
	it->seq = m->sheet_seq;
	it->name = it->note = NONE;
	if ((rc = arena_str(m->cur, m->sheet_name, strlen(m->sheet_name), &it->sheet)) ||
	    (name && (rc = arena_str(m->cur, name, strlen(name), &it->name))) ||
	    (note && (rc = arena_str(m->cur, note, strlen(note), &it->note))))
		return rc;
	m->cur->nitems++;
	return XY_OK;
}

/* The current sheet is over: its unmapped columns with data, then the sheet. */
static xy_code sheet_end(imp *m)
{
	xy_code rc;
	if (!m->sheet_seq)
		return XY_OK;
	if (m->hidden) {
		warn(m, "%s: sheet '%s' skipped: hidden in the workbook (drop-down lists and the "
		     "like)", m->path, m->sheet_name);
		return emit_summary(m, IT_SHEET, 0, 0, NULL, "隐藏的工作表（下拉列表等），已跳过");
	}
	if (m->searching) {
		char note[512];
		const char *name = *m->sheet_name ? m->sheet_name : m->path;
		snprintf(note, sizeof note, "前%d行中没有%s的表头（至少%zu个字段名），已跳过"
			 "（%ld行有内容）", HEADER_ROWS, m->cat->name, m->threshold,
			 m->sheet_skipped);
		if (*m->sheet_name)
			warn(m, "%s: sheet '%s' skipped: no row among its first %d names %zu fields "
			     "of %s (%ld rows with content)", m->path, name, HEADER_ROWS, m->threshold,
			     m->cat->name, m->sheet_skipped);
		if (xy_buf_addf(&m->skipped, "%s'%s'", m->skipped.len ? ", " : "", name))
			return XY_ERR_NOMEM;
		return emit_summary(m, IT_SHEET, 0, 0, NULL, note);
	}
	for (size_t i = 0; i < m->nhdr && i < m->ncolcells; i++) {
		int f;
		if (!m->unmapped[i] || !m->colcells[i])
			continue;
		f = xy_category_suggest(m->cat, m->hdr[i]);
		warn(m, "%s: %s%s%scolumn %zu '%s' is not a field of %s: %ld values kept with the "
		     "batch, not as a field%s%s%s", m->path, *m->sheet_name ? "sheet " : "",
		     m->sheet_name, *m->sheet_name ? ": " : "", i + 1, m->hdr[i], m->cat->name,
		     m->colcells[i], f >= 0 ? " (nearest field: " : "",
		     f >= 0 ? m->cat->fields[f].name : "", f >= 0 ? ")" : "");
		if ((rc = emit_summary(m, IT_COLUMN, (long)i + 1, m->colcells[i], m->hdr[i],
				       f >= 0 ? m->cat->fields[f].code : NULL)))
			return rc;
	}
	return emit_summary(m, IT_SHEET, m->header_row, m->sheet_rows, NULL, NULL);
}

/* A new sheet (or the file without sheets) starts with row. */
static xy_code sheet_begin(imp *m, const xy_row *row)
{
	xy_code rc = sheet_end(m);
	if (rc)
		return rc;
	free(m->sheet_name);
	if (!(m->sheet_name = strdup(row->sheet ? row->sheet : "")))
		return XY_ERR_NOMEM;
	m->sheet_seq++;
	m->searching = true;
	m->hidden = row->hidden;
	m->header_row = m->sheet_rows = m->sheet_skipped = 0;
	free_header(m);
	for (size_t i = 0; i < m->ncolcells; i++) {
		m->colcells[i] = 0;
		m->unmapped[i] = false;
	}
	return XY_OK;
}

/* Whether row opens a sheet: the reader flags the first non-empty row of a
 * CSV file and of each sheet (a JSON file re-sends its header instead). */
static bool new_sheet(const imp *m, const xy_row *row)
{
	if (!m->sheet_seq)
		return true;
	if (m->fmt == XY_FMT_JSON)
		return false;
	if (row->is_header)
		return true;
	return strcmp(row->sheet ? row->sheet : "", m->sheet_name) != 0;
}

static xy_code add_error(imp *m, long col, const char *column, const char *en, const char *zh)
{
	row_error *e;
	if (m->nerrs == m->caperrs) {
		size_t cap = m->caperrs ? m->caperrs * 2 : 8;
		row_error *v = realloc(m->errs, cap * sizeof *v);
		if (!v)
			return XY_ERR_NOMEM;
		m->errs = v;
		m->caperrs = cap;
	}
	e = &m->errs[m->nerrs++];
	e->col = col;
	snprintf(e->column, sizeof e->column, "%s", column ? column : "");
	snprintf(e->why.en, sizeof e->why.en, "%s", en);
	snprintf(e->why.zh, sizeof e->why.zh, "%s", zh);
	return XY_OK;
}

static const char *field_column(imp *m, int f)
{
	return m->fieldcol[f] >= 0 ? m->hdr[m->fieldcol[f]] : m->cat->fields[f].name;
}

static const char *val(imp *m, xy_field_role r)
{
	return m->role[r] >= 0 ? m->vals[m->role[r]].data : "";
}

/* The normalised value of the field named `name` (its Chinese name in
 * fields.tsv), "" when the category has none or the row left it empty: the
 * fields a subject may be identified by beyond the roles (工商注册号, the
 * 经营者 of an 个体工商户 in 法定代表人 / 法定代表人证件号码). */
static const char *named_val(imp *m, const char *const *names)
{
	for (; *names; names++)
		for (size_t f = 0; f < m->cat->nfields; f++)
			if (!strcmp(m->cat->fields[f].name, *names) && m->vals[f].len)
				return m->vals[f].data;
	return "";
}

/* 17 zeros and X, or all zeros: what templates tell an 个体工商户 without a
 * USCC to write.  Absent, not wrong. */
static bool placeholder_code(const char *v)
{
	size_t z = strspn(v, "0");
	return z >= 15 && (!v[z] || (v[z] == 'X' && !v[z + 1]));
}

/* Subject key "NUMBER NAME" (store.h) into subj->code. */
static xy_code keyed_code(xy_subject *subj, const char *number, const char *name,
			  const char *type)
{
	xy_buf k = XY_BUF_INIT;
	xy_code rc = xy_buf_addf(&k, "%s %s", number, name);
	if (!rc)
		rc = xy_subject_set(subj, k.data, type, NULL);
	xy_buf_release(&k);
	return rc;
}

/* Who the row is about, from the subject fields.  Fills subj (its strings
 * owned: the caller releases it) or adds a row error. */
static xy_code row_subject(imp *m, xy_subject *subj)
{
	static const char *const regno_names[] = { "工商注册号", NULL };
	static const char *const op_names[] = { "法定代表人", "经营者", "经营者姓名", NULL };
	static const char *const op_id_names[] = { "法定代表人证件号码", "法定代表人身份证号",
						   "经营者证件号码", "经营者身份证号", NULL };
	const char *kind = val(m, XY_ROLE_SUBJ_KIND), *uscc = val(m, XY_ROLE_SUBJ_USCC);
	const char *idno = val(m, XY_ROLE_SUBJ_IDNO), *idtype = val(m, XY_ROLE_SUBJ_IDTYPE);
	const char *name = val(m, XY_ROLE_SUBJ_NAME);
	const char *regno = named_val(m, regno_names);
	int fk = m->role[XY_ROLE_SUBJ_USCC] >= 0 ? m->role[XY_ROLE_SUBJ_USCC] : m->role[XY_ROLE_SUBJ_IDNO];
	const char *col = fk >= 0 ? field_column(m, fk) : "";
	char regbuf[XY_ID_MAX];
	xy_id_result id;
	memset(subj, 0, sizeof *subj);
	if (*uscc && placeholder_code(uscc)) {
		warn(m, "%s:%ld: 统一社会信用代码 '%s' is a placeholder (占位代码); treated as absent",
		     m->path, m->rows, uscc);
		uscc = "";
	}
	if (*regno) {
		xy_id_normalize(regno, regbuf, sizeof regbuf);
		regno = placeholder_code(regbuf) ? "" : regbuf;
	}
	if (!*kind)
		subj->kind = *uscc ? (strncmp(uscc, "92", 2) == 0 ? XY_SUBJ_INDIVIDUAL : XY_SUBJ_LEGAL)
		       : *regno ? XY_SUBJ_INDIVIDUAL : XY_SUBJ_PERSON;
	else if (strcmp(kind, "自然人") == 0)
		subj->kind = XY_SUBJ_PERSON;
	else if (strcmp(kind, "个体工商户") == 0)
		subj->kind = XY_SUBJ_INDIVIDUAL;
	else
		subj->kind = XY_SUBJ_LEGAL;

	if (subj->kind == XY_SUBJ_LEGAL && !*uscc)
		return add_error(m, -1, col,
				 "a legal person needs its unified social credit code",
				 "法人及非法人组织须填写统一社会信用代码");
	if (subj->kind == XY_SUBJ_PERSON && *uscc)
		return add_error(m, -1, col,
				 "a natural person has no unified social credit code; use 证件号码",
				 "自然人不应填写统一社会信用代码，请填写证件号码");
	if (subj->kind == XY_SUBJ_PERSON && !*idno)
		return add_error(m, -1, col, "a natural person needs an ID document number",
				 "自然人须填写证件号码");

	if (*uscc) {
		if (xy_subject_set(subj, uscc, "uscc", name))
			return XY_ERR_NOMEM;
		xy_uscc_division(uscc, subj->division);
		return XY_OK;
	}
	if (subj->kind == XY_SUBJ_INDIVIDUAL && *regno) {
		/* GS 15-2006 numbers carry a MOD 11,10 check digit; those issued
		 * before 2007 follow older rules: kept, with a warning. */
		xy_id_check(regno, XY_ID_REGNO, &id);
		if (!id.valid)
			warn(m, "%s:%ld: 工商注册号 '%s': %s (%s); kept as the identity",
			     m->path, m->rows, regno, id.reason, id.reason_zh);
		if (xy_subject_set(subj, regno, "regno", name))
			return XY_ERR_NOMEM;
		if (strspn(regno, "0123456789") >= 6) {
			memcpy(subj->division, regno, 6);
			subj->division[6] = '\0';
		}
		return XY_OK;
	}
	if (subj->kind == XY_SUBJ_INDIVIDUAL) {
		/* by its 经营者: the ID number and the 经营者's name */
		const char *op = named_val(m, op_names), *opid = *idno ? idno : named_val(m, op_id_names);
		char opbuf[XY_ID_MAX];
		if (!*opid)
			return add_error(m, -1, col,
					 "an individual business needs its USCC, 工商注册号 or its "
					 "operator's ID number",
					 "个体工商户须填写统一社会信用代码、工商注册号或经营者证件号码");
		xy_id_normalize(opid, opbuf, sizeof opbuf);
		if (keyed_code(subj, opbuf, *op ? op : name, "operator") ||
		    xy_subject_set(subj, NULL, NULL, name))
			return XY_ERR_NOMEM;
		return XY_OK;
	}
	/* a natural person: 证件号码 (validated already) */
	if (!*idtype || strstr(idtype, "身份证")) {
		xy_id_check(idno, XY_ID_RIC, &id);
		if (id.masked) {
			/* a mask identifies nobody alone: mask and name (store.h) */
			if (keyed_code(subj, id.normalized, name, "ric_masked") ||
			    xy_subject_set(subj, NULL, NULL, name))
				return XY_ERR_NOMEM;
			if (strcspn(id.normalized, "*") >= 6) {
				memcpy(subj->division, id.normalized, 6);
				subj->division[6] = '\0';
			}
			return XY_OK;
		}
		if (xy_subject_set(subj, idno, "ric", name))
			return XY_ERR_NOMEM;
		if (strspn(idno, "0123456789") >= 6) {
			memcpy(subj->division, idno, 6);
			subj->division[6] = '\0';
		}
		return XY_OK;
	}
	if (xy_subject_set(subj, idno, idtype, name))
		return XY_ERR_NOMEM;
	return XY_OK;
}

/* Queue the current row as rejected, with the errors gathered in m->errs. */
static xy_code emit_reject(imp *m, const xy_row *row)
{
	item *it = next_item(m);
	chunk *c = m->cur;
	xy_code rc;
	if (!it)
		return XY_OK;
	it->kind = IT_REJECT;
	if ((rc = item_row(c, it, row)))
		return rc;
	if (c->nerrs + m->nerrs > c->caperrs) {
		size_t cap = c->caperrs ? c->caperrs : 16;
		row_error *v;
		while (cap < c->nerrs + m->nerrs)
			cap *= 2;
		if (!(v = realloc(c->errs, cap * sizeof *v)))
			return XY_ERR_NOMEM;
		c->errs = v;
		c->caperrs = cap;
	}
	it->err0 = c->nerrs;
	it->nerrs = m->nerrs;
	memcpy(c->errs + c->nerrs, m->errs, m->nerrs * sizeof *m->errs);
	c->nerrs += m->nerrs;
	c->nitems++;
	return XY_OK;
}

/* The values of the row's unmapped columns as "_extra":{header: value, …}
 * (nothing when they are all empty), so no value a unit sent is lost.  A
 * header that an earlier unmapped column also has gets "（第N列）". */
static xy_code add_extra(imp *m, const xy_row *row, xy_buf *a, bool comma)
{
	bool any = false;
	xy_code rc = XY_OK;
	for (size_t i = 0; i < m->nhdr && i < row->ncells && !rc; i++) {
		bool dup = false;
		if (!m->unmapped[i] || !row->lens[i])
			continue;
		for (size_t j = 0; j < i && !dup; j++)
			dup = m->unmapped[j] && strcmp(m->hdr[j], m->hdr[i]) == 0;
		if (!any)
			rc = xy_buf_addstr(a, comma ? ",\"_extra\":{" : "\"_extra\":{");
		else
			rc = xy_buf_addch(a, ',');
		any = true;
		if (!rc && !dup)
			rc = xy_buf_addjson(a, m->hdr[i], strlen(m->hdr[i]));
		if (!rc && dup) {
			xy_buf k = XY_BUF_INIT;
			if (!(rc = xy_buf_addf(&k, "%s（第%zu列）", m->hdr[i], i + 1)))
				rc = xy_buf_addjson(a, k.data, k.len);
			xy_buf_release(&k);
		}
		if (!rc && !(rc = xy_buf_addch(a, ':')))
			rc = xy_buf_addjson(a, row->cells[i], row->lens[i]);
	}
	if (!rc && any)
		rc = xy_buf_addch(a, '}');
	return rc;
}

/* Queue the current (valid) row as a record: its normalised fields as a JSON
 * object in field order, its key, decision date and subject. */
static xy_code emit_record(imp *m, const xy_row *row, xy_subject *subj)
{
	const xy_category *cat = m->cat;
	item *it = next_item(m);
	chunk *c = m->cur;
	xy_buf *a;
	xy_code rc = XY_OK;
	if (!it) /* cancelled: the writer failed or was interrupted (m->cur is NULL) */
		return XY_OK;
	a = &c->arena;
	it->kind = IT_RECORD;
	if ((rc = item_row(c, it, row)))
		return rc;
	if (subj) { /* moved into the item; chunk_reset releases it */
		it->has_subject = true;
		it->subj = *subj;
		memset(subj, 0, sizeof *subj);
	}

	it->data = a->len;
	rc = xy_buf_addch(a, '{');
	for (size_t f = 0; f < cat->nfields && !rc; f++) {
		if (!m->vals[f].len)
			continue;
		if (a->len > it->data + 1 && (rc = xy_buf_addch(a, ',')))
			break;
		if (!(rc = xy_buf_add(a, m->jkey[f].data, m->jkey[f].len)))
			rc = xy_buf_addjson(a, m->vals[f].data, m->vals[f].len);
	}
	if (!rc)
		rc = add_extra(m, row, a, a->len > it->data + 1);
	if (rc || (rc = xy_buf_addch(a, '}')))
		return rc;
	it->data_len = a->len - it->data;
	if ((rc = xy_buf_addch(a, '\0')))
		return rc;

	if (cat->key_field >= 0 && m->vals[cat->key_field].len) {
		rc = arena_str(c, m->vals[cat->key_field].data, m->vals[cat->key_field].len,
			       &it->key);
	} else {
		/* No key of the unit's own: the content is the identity. */
		unsigned char h[16];
		char hex[34];
		crypto_generichash(h, sizeof h, (const unsigned char *)a->data + it->data,
				   it->data_len, NULL, 0);
		hex[0] = '#';
		sodium_bin2hex(hex + 1, sizeof hex - 1, h, sizeof h);
		rc = arena_str(c, hex, strlen(hex), &it->key);
	}
	if (rc)
		return rc;
	if (m->role[XY_ROLE_DATE] >= 0 && m->vals[m->role[XY_ROLE_DATE]].len) {
		const xy_buf *d = &m->vals[m->role[XY_ROLE_DATE]];
		if ((rc = arena_str(c, d->data, d->len, &it->decided)))
			return rc;
	}
	c->nitems++;
	return XY_OK;
}

/* A wrong template shows itself at once: when the first refuse_after data
 * rows of the file are all rejected for the same reason in the same column,
 * the file is refused saying so, instead of storing that error for every
 * row of a large file. */
static xy_code early_refusal(imp *m, const xy_row *row, xy_error *err)
{
	const row_error *e = &m->errs[0];
	if (!m->early_alike || !m->refuse_after)
		return XY_OK;
	if (m->early_rows++ == 0) {
		m->early_first = *e;
	} else if (e->col != m->early_first.col ||
		   strcmp(e->why.en, m->early_first.why.en) != 0) {
		m->early_alike = false;
		return XY_OK;
	}
	if (m->early_rows < m->refuse_after)
		return XY_OK;
	return xy_error_at(err, XY_ERR_FORMAT, m->path, row->line,
			   m->early_first.column[0] ? m->early_first.column : NULL,
			   "the first %ld rows were all rejected for the same reason (%s): is this "
			   "the %s template? (前%ld行均因同一原因被退回：%s，请确认所用模板)",
			   m->early_rows, m->early_first.why.en, m->cat->name, m->early_rows,
			   m->early_first.why.zh);
}

/* Validate one data row and queue it as a record or a rejected row.  Returns
 * non-zero only for failures that end the import. */
static xy_code do_row(imp *m, const xy_row *row, xy_error *err)
{
	const xy_category *cat = m->cat;
	xy_code rc;
	xy_subject subj;
	bool any = false;

	m->nerrs = 0;
	m->rows++;
	for (size_t f = 0; f < cat->nfields; f++)
		xy_buf_reset(&m->vals[f]);

	if (row->problem) {
		long c = row->problem_col;
		if ((rc = add_error(m, c, c >= 0 && (size_t)c < m->nhdr ? m->hdr[c] : NULL,
				    row->problem, row->problem_zh ? row->problem_zh : row->problem)))
			return xy_error_set(err, rc, "out of memory");
		goto reject;
	}
	for (size_t i = m->nhdr; i < row->ncells; i++)
		if (row->lens[i]) {
			char col[32], en[128], zh[128];
			snprintf(col, sizeof col, "第%zu列", i + 1);
			snprintf(en, sizeof en, "value in column %zu, which has no header", i + 1);
			snprintf(zh, sizeof zh, "第%zu列没有表头，却有值", i + 1);
			if (add_error(m, (long)i, col, en, zh))
				return xy_error_set(err, XY_ERR_NOMEM, "out of memory");
			break;
		}

	for (size_t i = 0; i < m->nhdr && i < row->ncells; i++) {
		if (!m->unmapped[i] || !row->lens[i])
			continue;
		m->colcells[i]++;
		if (m->o->strict)
			return xy_error_at(err, XY_ERR_FORMAT, m->path, row->line, m->hdr[i],
					   "%s%s%scolumn %zu has data but is not a field of %s (--strict); "
					   "map it (xinyong mapping add) or remove it "
					   "(第%zu列不是%s的字段，严格模式下拒收)",
					   row->sheet ? "sheet " : "", row->sheet ? row->sheet : "",
					   row->sheet ? ": " : "", i + 1, m->cat->name, i + 1,
					   m->cat->name);
	}

	/* The 证件类型 decides how 证件号码 is checked, so read it first. */
	const char *idtype = NULL;
	if (m->role[XY_ROLE_SUBJ_IDTYPE] >= 0) {
		int c = m->fieldcol[m->role[XY_ROLE_SUBJ_IDTYPE]];
		if (c >= 0 && (size_t)c < row->ncells)
			idtype = row->cells[c];
	}
	for (size_t f = 0; f < cat->nfields; f++) {
		const xy_field *fd = &cat->fields[f];
		int c = m->fieldcol[f];
		const char *v = "";
		size_t len = 0;
		xy_reason why;
		xy_val_status st;
		if (c >= 0 && (size_t)c < row->ncells) {
			len = row->lens[c];
			v = xy_trim(row->cells[c], &len);
		}
		if (len) { /* xy_field_check says XY_VAL_BLANK for 无, /, — */
			if (m->yuan[c] && v[len - 1] >= '0' && v[len - 1] <= '9') {
				xy_buf_reset(&m->amount);
				if (xy_buf_add(&m->amount, v, len) || xy_buf_addstr(&m->amount, "元"))
					return xy_error_set(err, XY_ERR_NOMEM, "out of memory");
				v = m->amount.data;
				len = m->amount.len;
			}
			rc = xy_field_check(fd, v, len, idtype, m->reg, &m->vals[f], &why, &st);
			if (rc == XY_ERR_INVALID) {
				any = true;
				if (add_error(m, c, field_column(m, (int)f), why.en, why.zh))
					return xy_error_set(err, XY_ERR_NOMEM, "out of memory");
				xy_buf_reset(&m->vals[f]);
				continue;
			} else if (rc) {
				return xy_error_set(err, rc, "out of memory");
			}
			if (st == XY_VAL_EXCEPTION || st == XY_VAL_CONVERTED ||
			    st == XY_VAL_PLACEHOLDER)
				warn(m, "%s:%s%s%ld: %s '%.*s': %s", m->path,
				     row->sheet ? row->sheet : "", row->sheet ? "!" : "", row->line,
				     field_column(m, (int)f), (int)len, v, why.en);
			if (m->vals[f].len) {
				any = true;
				continue;
			}
		}
		/* empty, a blank marker (无, /, —) or a placeholder code */
		if (fd->required &&
		    add_error(m, c, field_column(m, (int)f),
			      len ? "required field is empty (a placeholder such as 无, / or a zero code)"
				  : "required field is empty",
			      len ? "必填项为空（填写的是“无”“/”或全零代码等占位符）" : "必填项为空"))
			return xy_error_set(err, XY_ERR_NOMEM, "out of memory");
	}
	if (!any && !m->nerrs) {
		/* no field has a value: an empty row, unless unmapped columns have
		 * values (never drop what a unit sent without saying so) */
		bool extra = false;
		for (size_t i = 0; i < m->nhdr && i < row->ncells && !extra; i++)
			extra = m->unmapped[i] && row->lens[i];
		if (!extra)
			return XY_OK;
		if (add_error(m, -1, NULL, "no field of this row has a value; only columns that "
			      "are not fields of the category do",
			      "本行的字段均为空，只有不属于该类别的列有值"))
			return xy_error_set(err, XY_ERR_NOMEM, "out of memory");
	}
	if (m->nerrs)
		goto reject;
	if (m->role[XY_ROLE_DATE] >= 0) {
		const char *d = m->vals[m->role[XY_ROLE_DATE]].data;
		if (*d && strcmp(d, m->today) > 0) {
			if (add_error(m, m->fieldcol[m->role[XY_ROLE_DATE]],
				      field_column(m, m->role[XY_ROLE_DATE]),
				      "decision date is in the future", "决定日期晚于今天"))
				return xy_error_set(err, XY_ERR_NOMEM, "out of memory");
			goto reject;
		}
	}
	if (cat->kind == XY_CAT_SUBJECT) {
		rc = row_subject(m, &subj);
		if (rc || m->nerrs)
			xy_subject_release(&subj);
		if (rc)
			return xy_error_set(err, rc, "out of memory");
		if (m->nerrs)
			goto reject;
	}
	rc = emit_record(m, row, cat->kind == XY_CAT_SUBJECT ? &subj : NULL);
	if (cat->kind == XY_CAT_SUBJECT)
		xy_subject_release(&subj); /* when emit_record did not take it */
	if (rc)
		return xy_error_set(err, rc, "out of memory");
	m->early_alike = false;
	return XY_OK;
reject:
	if ((rc = emit_reject(m, row)))
		return xy_error_set(err, rc, "out of memory");
	return early_refusal(m, row, err);
}

/* One row while the current sheet's header is being looked for: the header
 * (mapped), or a title/note row above it (skipped). */
static xy_code look_for_header(imp *m, const xy_row *row, xy_error *err)
{
	xy_code rc;
	if (m->fmt == XY_FMT_JSON) {
		/* a JSON file's header is its keys: no title rows to skip; an element
		 * that is no usable object is a rejected row even before any header */
		if (!row->is_header) {
			m->sheet_rows++;
			return do_row(m, row, err);
		}
	} else if (row->problem || row->line > HEADER_ROWS ||
		   header_score(m, row) < m->threshold) {
		m->sheet_skipped++;
		return XY_OK;
	}
	if ((rc = map_header(m, row, err)))
		return rc;
	m->searching = false;
	m->header_row = row->line;
	m->data_sheets++;
	return XY_OK;
}

/* The reader thread: read, validate and queue every row, then a last chunk
 * saying how reading ended (the store thread decides what that means). */
static void *read_rows(void *arg)
{
	imp *m = arg;
	xy_error e = XY_ERROR_INIT;
	const xy_row *row;
	bool refuse = false;
	xy_code rc = XY_OK;

	if (!(m->cur = queue_get_free(&m->q)))
		return NULL;
	for (;;) {
		if ((rc = xy_reader_next(m->r, &row, &e))) {
			refuse = true;
			break;
		}
		if (!row)
			break;
		if (new_sheet(m, row) && (rc = sheet_begin(m, row))) {
			xy_error_set(&e, rc, "out of memory");
			break;
		}
		if (m->hidden) {
			continue; /* the one row naming a hidden sheet */
		} else if (m->searching) {
			rc = look_for_header(m, row, &e);
		} else if (row->is_header && m->fmt == XY_FMT_JSON) {
			rc = map_header(m, row, &e); /* new keys */
		} else {
			m->sheet_rows++;
			rc = do_row(m, row, &e);
		}
		if (rc) {
			refuse = rc == XY_ERR_FORMAT || rc == XY_ERR_LIMIT || rc == XY_ERR_ENCODING;
			break;
		}
		if (!m->cur)
			return NULL; /* the store thread cancelled */
	}
	if (!rc && (rc = sheet_end(m)))
		xy_error_set(&e, rc, "out of memory");
	if (!m->cur)
		return NULL;
	if (!rc && !m->data_sheets && !(m->fmt == XY_FMT_JSON && m->rows)) {
		if (m->skipped.len && m->sheet_seq > 1)
			rc = xy_error_at(&e, XY_ERR_FORMAT, m->path, 0, NULL,
					 "no header row: in no sheet (%s) does a row among the "
					 "first %d name %zu fields of %s: no column matches; is this "
					 "a %s file? (各工作表前%d行中均没有表头)", m->skipped.data,
					 HEADER_ROWS, m->threshold, m->cat->name, m->cat->name,
					 HEADER_ROWS);
		else if (m->sheet_seq)
			rc = xy_error_at(&e, XY_ERR_FORMAT, m->path, 0, NULL,
					 "no header row: no row among the first %d names %zu fields "
					 "of %s: no column matches; is this a %s file? "
					 "(前%d行中没有表头)", HEADER_ROWS, m->threshold,
					 m->cat->name, m->cat->name, HEADER_ROWS);
		else
			rc = xy_error_at(&e, XY_ERR_FORMAT, m->path, 0, NULL,
					 "the file is empty: no header row (文件为空，没有表头)");
		refuse = true;
	}
	m->cur->last = true;
	m->cur->refuse = refuse;
	m->cur->rc = rc;
	m->cur->err = e;
	m->cur->rows = m->rows;
	queue_put_full(&m->q, m->cur);
	m->cur = NULL;
	return NULL;
}

/* ---- store thread ---- */

static void free_report_header(imp *m)
{
	for (size_t i = 0; i < m->nrhdr; i++)
		free(m->rhdr[i]);
	free(m->rhdr);
	m->rhdr = NULL;
	m->nrhdr = 0;
}

/* A queued row as an xy_row (pointers valid while the chunk is). */
static xy_code item_as_row(imp *m, const chunk *c, const item *it, xy_row *row)
{
	if (it->ncells > m->caprcells) {
		size_t cap = it->ncells < 32 ? 32 : it->ncells;
		const char **cells = realloc(m->rcells, cap * sizeof *cells);
		size_t *lens;
		if (cells)
			m->rcells = cells;
		lens = cells ? realloc(m->rlens, cap * sizeof *lens) : NULL;
		if (!lens)
			return XY_ERR_NOMEM;
		m->rlens = lens;
		m->caprcells = cap;
	}
	for (size_t i = 0; i < it->ncells; i++) {
		m->rcells[i] = c->arena.data + c->cells[it->cell0 + i].off;
		m->rlens[i] = c->cells[it->cell0 + i].len;
	}
	memset(row, 0, sizeof *row);
	row->line = it->line;
	row->sheet = it->sheet == NONE ? NULL : c->arena.data + it->sheet;
	row->ncells = it->ncells;
	row->cells = m->rcells;
	row->lens = m->rlens;
	row->problem_col = -1;
	return XY_OK;
}

static xy_code set_report_header(imp *m, const chunk *c, const item *it, xy_error *err)
{
	free_report_header(m);
	if (!(m->rhdr = calloc(it->ncells ? it->ncells : 1, sizeof *m->rhdr)))
		return xy_error_set(err, XY_ERR_NOMEM, "out of memory");
	for (size_t i = 0; i < it->ncells; i++) {
		if (!(m->rhdr[i] = strdup(c->arena.data + c->cells[it->cell0 + i].off)))
			return xy_error_set(err, XY_ERR_NOMEM, "out of memory");
		m->nrhdr = i + 1;
	}
	m->nrhdr = it->ncells;
	m->key_col = it->key_col;
	m->hdr_pending = true;
	return XY_OK;
}

/* The input file's name without directory and extension, made fit for the
 * report's name: bytes that are not UTF-8 (a GBK name from a Windows zip)
 * become '_', and the stem is cut, on a character boundary, to REPORT_STEM
 * bytes so that "batch-N-STEM.errors.xlsx" stays within NAME_MAX (255). */
#define REPORT_STEM 160
static xy_code report_stem(const char *path, xy_buf *out)
{
	const char *base = strrchr(path, '/'), *dot;
	size_t n, i = 0;
	base = base ? base + 1 : path;
	dot = strrchr(base, '.');
	n = dot && dot > base ? (size_t)(dot - base) : strlen(base);
	while (i < n) {
		size_t k = xy_utf8_seq(base + i, n - i);
		if (out->len + (k ? k : 1) > REPORT_STEM)
			break;
		if (k ? xy_buf_add(out, base + i, k) : xy_buf_addch(out, '_'))
			return XY_ERR_NOMEM;
		i += k ? k : 1;
	}
	return XY_OK;
}

/* A rejected row: its errors into batch_errors, the row into the report. */
static xy_code report_row(imp *m, const xy_row *row, const row_error *errs, size_t nerrs,
			  xy_error *err)
{
	xy_buf fields = XY_BUF_INIT, zh = XY_BUF_INIT, en = XY_BUF_INIT;
	xy_code rc = XY_OK;

	/* The first max_stored rejected rows have their errors in the store; the
	 * rest are counted and in the report file (1.2M junk rows must not grow
	 * the database by gigabytes). */
	bool store = m->b->errors_stored < m->max_stored;
	m->b->rejected++;
	if (store && nerrs)
		m->b->errors_stored++;
	for (size_t i = 0; i < nerrs; i++) {
		const row_error *e = &errs[i];
		const char *value = e->col >= 0 && (size_t)e->col < row->ncells ? row->cells[e->col] : "";
		char shown[512];
		xy_batch_error be = { m->b->id, row->line, row->sheet, e->column[0] ? e->column : NULL,
				      shown, e->why.zh, e->why.en };
		/* The report row carries the whole value; the table keeps a bounded
		 * excerpt, cut on a character boundary and marked with "…". */
		snprintf(shown, sizeof shown, "%s", value);
		if (strlen(value) >= sizeof shown) {
			size_t n = sizeof shown - 4;
			while (n && ((unsigned char)shown[n] & 0xC0) == 0x80)
				n--;
			memcpy(shown + n, "…", sizeof "…");
		}
		if (store && (rc = xy_store_batch_error_add(m->s, &be, err)))
			goto out;
		xy_buf_addf(&fields, "%s%s", i ? "、" : "", e->column[0] ? e->column : "整行");
		xy_buf_addf(&zh, "%s%s%s%s", i ? "；" : "", e->column[0] ? e->column : "",
			    e->column[0] ? "：" : "", e->why.zh);
		xy_buf_addf(&en, "%s%s%s%s", i ? "; " : "", e->column[0] ? e->column : "",
			    e->column[0] ? ": " : "", e->why.en);
	}

	if (!m->w) {
		char dir[768];
		const char *ext = xy_format_name(xy_report_format(m->fmt));
		snprintf(dir, sizeof dir, "%s", m->o->report_dir ? m->o->report_dir : ".");
		if ((rc = mkdir_p(dir, err)))
			goto out;
		snprintf(m->tmp_report, sizeof m->tmp_report, "%s/.batch-%lld.%s.tmp", dir,
			 (long long)m->b->id, ext);
		{
			xy_buf stem = XY_BUF_INIT;
			if ((rc = report_stem(m->path, &stem))) {
				xy_error_set(err, rc, "out of memory");
				goto out;
			}
			if ((size_t)snprintf(m->report, sizeof m->report, "%s/batch-%lld-%s.errors.%s",
					     dir, (long long)m->b->id, stem.data, ext) >=
			    sizeof m->report) {
				xy_buf_release(&stem);
				rc = xy_error_at(err, XY_ERR_ARG, dir, 0, NULL,
						 "the report directory's name is too long");
				goto out;
			}
			xy_buf_release(&stem);
		}
		if ((rc = xy_writer_open(&m->w, m->tmp_report, m->fmt, m->enc, err)))
			goto out;
	}
	if (m->hdr_pending) {
		if ((rc = xy_writer_header(m->w, m->nrhdr, (const char *const *)m->rhdr, err)))
			goto out;
		m->hdr_pending = false;
	}
	rc = xy_writer_row(m->w, row, fields.data, zh.data, en.data, err);
out:
	xy_buf_release(&fields);
	xy_buf_release(&zh);
	xy_buf_release(&en);
	return rc;
}

/* Count one stored record's outcome; a duplicate key is a rejected row. */
static xy_code record_outcome(imp *m, chunk *c, item *it, xy_upsert_result res,
			      xy_error *err)
{
	const xy_category *cat = m->cat;
	switch (res) {
	case XY_UPSERT_NEW: m->b->added++; break;
	case XY_UPSERT_UPDATED: m->b->updated++; break;
	case XY_UPSERT_UNCHANGED: m->b->unchanged++; break;
	case XY_UPSERT_DUPLICATE: {
		row_error e;
		xy_row row;
		e.col = m->key_col;
		snprintf(e.column, sizeof e.column, "%s",
			 cat->key_field < 0 ? ""
			 : m->key_col >= 0 && (size_t)m->key_col < m->nrhdr ? m->rhdr[m->key_col]
			 : cat->fields[cat->key_field].name);
		snprintf(e.why.en, sizeof e.why.en, "the same key as an earlier row of this file");
		snprintf(e.why.zh, sizeof e.why.zh, "与本文件中前面的行重复（同一文书号/编号）");
		if (item_as_row(m, c, it, &row))
			return xy_error_set(err, XY_ERR_NOMEM, "out of memory");
		return report_row(m, &row, &e, 1, err);
	}
	}
	return XY_OK;
}

/* Store the queued records items[0..n) of c (all IT_RECORD, in file order)
 * with one bulk load (xy_store_records_load: PostgreSQL COPYs them), then
 * count their outcomes in the same order. */
static xy_code store_records(imp *m, chunk *c, item *items, size_t n, xy_error *err)
{
	const char *a = c->arena.data;
	xy_code rc;
	for (size_t i = 0; i < n; i++) {
		item *it = &items[i];
		xy_record_load *l = &m->load[i];
		memset(l, 0, sizeof *l);
		l->subj = it->has_subject ? &it->subj : NULL;
		l->rec.unit_id = m->unit_id;
		l->rec.category_id = m->cat->id;
		l->rec.batch_id = m->b->id;
		l->rec.key = a + it->key;
		l->rec.data = a + it->data;
		l->rec.data_len = it->data_len;
		l->rec.decided_on = it->decided == NONE ? NULL : a + it->decided;
	}
	if ((rc = xy_store_records_load(m->s, m->load, n, m->loaded, err)))
		return rc;
	for (size_t i = 0; i < n && !rc; i++)
		rc = record_outcome(m, c, &items[i], m->loaded[i], err);
	return rc;
}

/* Store the queued rows until the reader thread's last chunk.  Returns the
 * store's failure, or the reader's (with *refuse set when it refuses the
 * file); either way no chunk is held afterwards. */
static xy_code store_rows(imp *m, bool *refuse, xy_error *err)
{
	for (;;) {
		chunk *c = queue_get_full(&m->q);
		xy_code rc = XY_OK;
		for (size_t i = 0; i < c->nitems && !rc; i++) {
			item *it = &c->items[i];
			xy_row row;
			switch (it->kind) {
			case IT_HEADER:
				rc = set_report_header(m, c, it, err);
				break;
			case IT_RECORD: {
				size_t n = 1;
				while (i + n < c->nitems && c->items[i + n].kind == IT_RECORD)
					n++;
				rc = store_records(m, c, it, n, err);
				i += n - 1;
				break;
			}
			case IT_REJECT:
				if (item_as_row(m, c, it, &row))
					rc = xy_error_set(err, XY_ERR_NOMEM, "out of memory");
				else
					rc = report_row(m, &row, c->errs + it->err0, it->nerrs, err);
				break;
			case IT_SHEET: {
				xy_batch_sheet sh = { m->b->id, ++m->sheets_stored,
						      c->arena.data + it->sheet, it->line, it->count,
						      it->note == NONE ? NULL : c->arena.data + it->note };
				rc = xy_store_batch_sheet_add(m->s, &sh, err);
				break;
			}
			case IT_COLUMN: {
				xy_batch_column bc = { m->b->id, c->arena.data + it->sheet, it->line,
						       c->arena.data + it->name,
						       it->note == NONE ? NULL : c->arena.data + it->note,
						       it->count };
				rc = xy_store_batch_column_add(m->s, &bc, err);
				break;
			}
			}
		}
		if (rc) {
			/* the store's own failure: the same codes refuse the file as
			 * when they come from the reader */
			*refuse = rc == XY_ERR_FORMAT || rc == XY_ERR_LIMIT ||
				  rc == XY_ERR_ENCODING;
		} else if (c->last) {
			m->b->rows = c->rows;
			if ((rc = c->rc)) {
				*refuse = c->refuse;
				if (err)
					*err = c->err;
			}
		}
		if (rc || c->last) {
			queue_put_free(&m->q, c);
			return rc;
		}
		queue_put_free(&m->q, c);
	}
}

static void release(imp *m)
{
	free_header(m);
	free_report_header(m);
	free(m->fieldcol);
	if (m->vals)
		for (size_t f = 0; f < m->cat->nfields; f++)
			xy_buf_release(&m->vals[f]);
	free(m->vals);
	if (m->jkey)
		for (size_t f = 0; f < m->cat->nfields; f++)
			xy_buf_release(&m->jkey[f]);
	free(m->jkey);
	free(m->errs);
	free(m->rcells);
	free(m->rlens);
	for (size_t i = 0; i < m->nmaps; i++)
		free(m->map_keys[i]);
	free(m->map_keys);
	free(m->map_fields);
	xy_buf_release(&m->hkey);
	xy_buf_release(&m->skipped);
	free(m->seen);
	free(m->sheet_name);
	free(m->colcells);
	free(m->unmapped);
	free(m->yuan);
	xy_buf_release(&m->amount);
	free(m->load);
	free(m->loaded);
	queue_free_chunks(&m->q);
}

/* The unit's column mappings for the category, as header keys. */
typedef struct map_load {
	imp *m;
	xy_code rc;
} map_load;

static int load_mapping(void *ctx, const xy_mapping *mp)
{
	map_load *ml = ctx;
	imp *m = ml->m;
	int f = -1;
	void *p;
	for (size_t i = 0; i < m->cat->nfields && f < 0; i++)
		if (strcmp(m->cat->fields[i].code, mp->field_code) == 0)
			f = (int)i;
	if (f < 0) /* the field left the configuration: the mapping names nothing */
		return 0;
	if (!(p = realloc(m->map_keys, (m->nmaps + 1) * sizeof *m->map_keys)))
		goto nomem;
	m->map_keys = p;
	if (!(p = realloc(m->map_fields, (m->nmaps + 1) * sizeof *m->map_fields)))
		goto nomem;
	m->map_fields = p;
	if (xy_header_key(mp->header, &m->hkey) || !(m->map_keys[m->nmaps] = strdup(m->hkey.data)))
		goto nomem;
	m->map_fields[m->nmaps++] = f;
	return 0;
nomem:
	ml->rc = XY_ERR_NOMEM;
	return 1;
}

/* b's strings point into the import's state and the caller's arguments:
 * give b copies of its own before xy_import_file returns (on failure, ""). */
static xy_code own_batch(xy_batch *b)
{
	if (b->mem || xy_batch_copy(b, b) == XY_OK)
		return XY_OK;
	b->unit = b->category = b->file = b->message = b->error_report = "";
	return XY_ERR_NOMEM;
}

/* Record that a file was refused (its own small transaction). */
static void record_refusal(imp *m, const xy_error *why)
{
	xy_error ignore = XY_ERROR_INIT;
	xy_error_format(why, m->refusal, sizeof m->refusal);
	m->b->id = 0;
	m->b->status = XY_BATCH_REFUSED;
	m->b->rows = m->b->added = m->b->updated = m->b->unchanged = m->b->rejected = 0;
	m->b->error_report = "";
	m->b->message = m->refusal;
	now_iso(m->b->finished_at);
	if (xy_store_begin(m->s, false, &ignore) == XY_OK) {
		if (xy_store_batch_insert(m->s, m->b, &ignore) == XY_OK &&
		    xy_store_batch_update(m->s, m->b, &ignore) == XY_OK &&
		    xy_audit_batch(m->s, m->o->who, m->b, &ignore) == XY_OK &&
		    xy_store_commit(m->s, &ignore) == XY_OK)
			return;
		xy_store_rollback(m->s, &ignore);
	}
	m->b->id = 0;
}

xy_code xy_import_file(xy_store *s, const xy_registry *reg, const char *path,
		       const xy_import_opts *o, xy_batch *b, xy_error *err)
{
	imp m;
	const xy_unit *unit;
	pthread_t reader;
	xy_code rc;
	bool in_tx = false, queue_ok = false, running = false, refuse = false;

	memset(b, 0, sizeof *b);
	memset(&m, 0, sizeof m);
	m.s = s;
	m.reg = reg;
	m.o = o;
	m.path = path;
	m.b = b;
	m.key_col = -1;
	xy_buf_init(&m.hkey, 0);
	xy_buf_init(&m.skipped, 0);
	xy_buf_init(&m.amount, 0);
	xy_date_today(m.today);
	if (sodium_init() < 0)
		return xy_error_set(err, XY_ERR_NOMEM, "libsodium failed to initialise");

	if (!o->unit || !(unit = xy_registry_unit(reg, o->unit)))
		return xy_error_set(err, XY_ERR_NOTFOUND, "unknown source unit '%s' (未知信源单位)",
				    o->unit ? o->unit : "");
	if (!o->category || !(m.cat = xy_registry_category(reg, o->category)))
		return xy_error_set(err, XY_ERR_NOTFOUND, "unknown category '%s' (未知信息类别)",
				    o->category ? o->category : "");
	if (o->reported_on) {
		char tmp[16];
		snprintf(tmp, sizeof tmp, strlen(o->reported_on) == 7 ? "%s-01" : "%s", o->reported_on);
		if (xy_date_parse(tmp, b->reported_on) != XY_OK)
			return xy_error_set(err, XY_ERR_ARG,
					    "--reported-on '%s' is not a date (YYYY-MM-DD or YYYY-MM)",
					    o->reported_on);
		if (strcmp(b->reported_on, m.today) > 0)
			return xy_error_set(err, XY_ERR_ARG, "--reported-on %s is in the future",
					    b->reported_on);
	} else {
		memcpy(b->reported_on, m.today, sizeof b->reported_on);
	}
	m.unit_id = unit->id;
	b->unit_id = unit->id;
	b->category_id = m.cat->id;
	/* borrowed until own_batch below */
	b->unit = unit->name;
	b->category = m.cat->name;
	b->file = path;
	now_iso(b->started_at);

	m.fieldcol = calloc(m.cat->nfields, sizeof *m.fieldcol);
	m.vals = calloc(m.cat->nfields, sizeof *m.vals);
	m.jkey = calloc(m.cat->nfields, sizeof *m.jkey);
	if (!m.fieldcol || !m.vals || !m.jkey) {
		rc = xy_error_set(err, XY_ERR_NOMEM, "out of memory");
		goto out;
	}
	for (size_t f = 0; f < m.cat->nfields; f++) {
		const char *code = m.cat->fields[f].code;
		xy_buf_init(&m.vals[f], 0);
		xy_buf_init(&m.jkey[f], 0);
		if (xy_buf_addjson(&m.jkey[f], code, strlen(code)) ||
		    xy_buf_addch(&m.jkey[f], ':')) {
			rc = xy_error_set(err, XY_ERR_NOMEM, "out of memory");
			goto out;
		}
	}
	{
		map_load ml = { &m, XY_OK };
		size_t nreq = 0;
		if ((rc = xy_store_mappings(s, unit->id, m.cat->id, load_mapping, &ml, err)))
			goto out;
		if ((rc = ml.rc)) {
			xy_error_set(err, rc, "out of memory");
			goto out;
		}
		for (size_t f = 0; f < m.cat->nfields; f++)
			nreq += m.cat->fields[f].required;
		m.threshold = nreq < HEADER_FIELDS ? (nreq ? nreq : 1) : HEADER_FIELDS;
		if (!(m.seen = malloc(m.cat->nfields ? m.cat->nfields : 1))) {
			rc = xy_error_set(err, XY_ERR_NOMEM, "out of memory");
			goto out;
		}
	}
	m.max_stored = o->max_stored_errors > 0 ? o->max_stored_errors : DEFAULT_STORED_ERRORS;
	m.refuse_after = o->refuse_after < 0 ? 0 : o->refuse_after ? o->refuse_after
								  : DEFAULT_REFUSE_AFTER;
	m.early_alike = true;
	for (size_t i = 0; i <= XY_ROLE_DATE; i++)
		m.role[i] = -1;
	for (size_t f = 0; f < m.cat->nfields; f++)
		if (m.cat->fields[f].role != XY_ROLE_NONE && m.role[m.cat->fields[f].role] < 0)
			m.role[m.cat->fields[f].role] = (int)f;

	if ((rc = xy_reader_open(&m.r, path, &o->reader, err))) {
		if (rc != XY_ERR_IO && rc != XY_ERR_NOMEM)
			goto refuse;
		goto out;
	}
	m.fmt = xy_reader_format(m.r);
	m.enc = xy_reader_encoding(m.r);
	snprintf(b->format, sizeof b->format, "%s", xy_format_name(m.fmt));
	snprintf(b->encoding, sizeof b->encoding, "%s",
		 m.fmt == XY_FMT_CSV ? xy_encoding_name(m.enc) : "utf-8");

	if ((rc = xy_store_begin(s, true, err)))
		goto out;
	in_tx = true;
	b->status = XY_BATCH_COMMITTED;
	if ((rc = xy_store_batch_insert(s, b, err)))
		goto out;

	m.load = malloc(CHUNK_ROWS * sizeof *m.load);
	m.loaded = malloc(CHUNK_ROWS * sizeof *m.loaded);
	if (!m.load || !m.loaded || queue_init(&m.q)) {
		rc = xy_error_set(err, XY_ERR_NOMEM, "out of memory");
		goto out;
	}
	queue_ok = true;
	if (pthread_create(&reader, NULL, read_rows, &m)) {
		rc = xy_error_set(err, XY_ERR_NOMEM, "cannot start the reader thread");
		goto out;
	}
	running = true;
	rc = store_rows(&m, &refuse, err);
	if (rc)
		queue_cancel(&m.q);
	pthread_join(reader, NULL);
	running = false;
	if (rc) {
		if (refuse)
			goto refuse;
		goto out;
	}

	if (m.warnings > MAX_WARNINGS && o->warn) {
		char msg[160];
		snprintf(msg, sizeof msg, "%s: %ld more warnings not shown", path,
			 m.warnings - MAX_WARNINGS);
		o->warn(o->warn_ctx, msg);
	}
	if (m.w) {
		xy_writer *w = m.w;
		m.w = NULL;
		if ((rc = xy_writer_close(w, err)))
			goto out;
		if (rename(m.tmp_report, m.report)) {
			rc = xy_error_at(err, XY_ERR_IO, m.report, 0, NULL, "cannot write report: %s",
					 strerror(errno));
			goto out;
		}
		b->error_report = m.report;
	}
	if ((rc = own_batch(b))) {
		xy_error_set(err, rc, "out of memory");
		goto out;
	}
	now_iso(b->finished_at);
	if ((rc = xy_store_batch_update(s, b, err)) || (rc = xy_audit_batch(s, o->who, b, err)))
		goto out;
	if ((rc = xy_store_commit(s, err)))
		goto out;
	in_tx = false;
	m.tmp_report[0] = '\0';
	m.report[0] = '\0';
	goto out;

refuse:
	if (in_tx) {
		xy_store_rollback(s, NULL);
		in_tx = false;
	}
	if (m.w) {
		xy_writer_close(m.w, NULL);
		m.w = NULL;
	}
	if (m.tmp_report[0])
		unlink(m.tmp_report);
	m.tmp_report[0] = '\0';
	{
		xy_error why = err ? *err : (xy_error)XY_ERROR_INIT;
		if (!err)
			xy_error_set(&why, rc, "file refused");
		record_refusal(&m, &why);
	}
out:
	if (running) {
		queue_cancel(&m.q);
		pthread_join(reader, NULL);
	}
	if (in_tx)
		xy_store_rollback(s, NULL);
	if (m.w)
		xy_writer_close(m.w, NULL);
	if (m.tmp_report[0])
		unlink(m.tmp_report);
	if (rc && m.report[0])
		unlink(m.report);
	own_batch(b);
	xy_reader_free(m.r);
	if (queue_ok)
		queue_destroy(&m.q);
	release(&m);
	return rc;
}
