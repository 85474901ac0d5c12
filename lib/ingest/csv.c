/* CSV: streaming reader on libcsv (UTF-8, GB18030 or UTF-16 input) and the CSV
 * writer for error reports.
 *
 * Reading: a BOM decides the encoding; else the first non-ASCII bytes do
 * (valid UTF-8, else GB18030), wherever they come: when the first 1 MiB is
 * ASCII the rest of the file is scanned ahead (pread, no parsing) for the
 * first byte >= 0x80.  The delimiter is ',' or TAB (first line).  UTF-16
 * ("Unicode 文本" as Excel saves it: BOM FF FE, tab-separated) is converted to
 * UTF-8 chunk by chunk before parsing.  libcsv is fed one physical line at a
 * time (at most SEG_MAX bytes per call), which gives us
 *   - the row number of each record as Excel/WPS shows it: one per record
 *     (a quoted cell over several lines is one row), blank lines counted,
 *   - at most one completed record per csv_parse() call, so no queue: we stop
 *     feeding as soon as a record is complete and hand it out,
 *   - a point between calls to cut libcsv's field buffer at max_cell, so one
 *     huge cell cannot make it grow with the file.
 * GB18030 trail bytes never collide with , " TAB CR LF, so libcsv splits the
 * raw bytes and each field is decoded to UTF-8 afterwards.
 */
#include <errno.h>
#include <iconv.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <csv.h>

#include "xinyong/buf.h"
#include "xinyong/reader.h"
#include "xinyong/text.h"

#define SAMPLE_MAX (1u << 20) /* bytes looked at to guess encoding and delimiter */
#define CHUNK (64u << 10)
#define SEG_MAX (64u << 10) /* bytes per csv_parse() call */
#define NUL_BINARY 16       /* more NUL bytes than this in the sample: binary */

/* libcsv parser states (csv.c, not in csv.h). */
#define XY_CSV_ROW_NOT_BEGUN 0
#define XY_CSV_FIELD_BEGUN 2
#define XY_CSV_FIELD_MIGHT_HAVE_ENDED 3

static const char utf8_bom[3] = {'\xEF', '\xBB', '\xBF'};
static const char replacement[3] = {'\xEF', '\xBF', '\xBD'}; /* U+FFFD */

enum problem_kind { P_UTF8, P_GB18030, P_NUL, P_LONG, P_COLUMNS, P_QUOTE };

typedef struct csv_reader {
	FILE *f;
	char *path;
	struct csv_parser p;
	bool p_init;
	xy_encoding enc;
	iconv_t cd; /* GB18030/UTF-16 -> UTF-8, (iconv_t)-1 in UTF-8 mode */

	/* UTF-16: raw bytes, converted into `in` by fill() */
	unsigned char *raw;
	size_t raw_len, raw_pos;
	bool raw_eof;
	uint64_t raw_used; /* raw bytes converted: the offset for progress */
	size_t max_cell, max_columns;

	unsigned char *in; /* SAMPLE_MAX bytes: the sample, then CHUNK reads */
	size_t in_len, in_pos;
	uint64_t read_total;
	bool eof, finished;
	xy_code cb_rc; /* error raised inside a libcsv callback */

	long cur_line; /* physical line of the next byte fed */
	long next_row; /* row number (as Excel counts) of the next record */
	bool prev_cr;
	bool rec_open;
	long rec_line; /* row number of the current record */
	bool field_cut; /* libcsv's current field was cut at max_cell */

	/* record being built */
	xy_buf text; /* decoded cells, each NUL-terminated */
	size_t *offs, *lens;
	const char **cells;
	size_t cap, ncells, nfields;
	bool ready, emitted, seen_header, has_problem;
	long problem_col;
	char problem[160], problem_zh[160];
	xy_row row;
} csv_reader;

/* ---- UTF-8 ---- */


/* True if s[0..n) is the valid start of a sequence cut by the end of the data. */
static bool utf8_cut(const unsigned char *s, size_t n)
{
	size_t need = s[0] >= 0xF0 ? 4 : s[0] >= 0xE0 ? 3 : 2;
	if (s[0] < 0xC2 || s[0] > 0xF4 || n >= need)
		return false;
	for (size_t i = 1; i < n; i++)
		if ((s[i] & 0xC0) != 0x80)
			return false;
	return true;
}

/* ---- row problems ---- */

static void row_problem(csv_reader *r, enum problem_kind kind, long col, size_t a, size_t b)
{
	long c1 = col + 1;
	if (r->has_problem) /* the first problem of a row is the one reported */
		return;
	r->has_problem = true;
	r->problem_col = col;
	switch (kind) {
	case P_UTF8: {
		const char *e = r->enc == XY_ENC_UTF16LE || r->enc == XY_ENC_UTF16BE ? "UTF-16"
		                                                                    : "UTF-8";
		snprintf(r->problem, sizeof r->problem, "invalid %s in column %ld", e, c1);
		snprintf(r->problem_zh, sizeof r->problem_zh, "第%ld列不是有效的 %s 编码", c1, e);
		break;
	}
	case P_GB18030:
		snprintf(r->problem, sizeof r->problem, "bytes that are not GB18030 in column %ld",
		         c1);
		snprintf(r->problem_zh, sizeof r->problem_zh,
		         "第%ld列含有无法按 GB18030 解码的字节", c1);
		break;
	case P_NUL:
		snprintf(r->problem, sizeof r->problem, "NUL byte in column %ld", c1);
		snprintf(r->problem_zh, sizeof r->problem_zh, "第%ld列含有 NUL 空字节", c1);
		break;
	case P_LONG:
		snprintf(r->problem, sizeof r->problem, "cell longer than %zu bytes in column %ld",
		         a, c1);
		snprintf(r->problem_zh, sizeof r->problem_zh, "第%ld列超过 %zu 字节", c1, a);
		break;
	case P_COLUMNS:
		snprintf(r->problem, sizeof r->problem, "too many columns (%zu > %zu)", a, b);
		snprintf(r->problem_zh, sizeof r->problem_zh, "列数过多（%zu > %zu）", a, b);
		break;
	case P_QUOTE:
		snprintf(r->problem, sizeof r->problem,
		         "quote in column %ld never closed: the rest of the file is in this cell",
		         c1);
		snprintf(r->problem_zh, sizeof r->problem_zh,
		         "第%ld列的引号直到文件末尾都没有闭合（其后内容都进了这一格）", c1);
		break;
	}
}

/* ---- decoding one field ---- */

static xy_code decode_utf8(csv_reader *r, const unsigned char *s, size_t n, long col)
{
	size_t i = 0, run = 0, k;
	xy_code rc;
	while (i < n) {
		unsigned char c = s[i];
		if (c < 0x80) {
			i++;
			continue;
		}
		/* the common Chinese case without the general check (see xy_utf8_len) */
		if (c >= 0xE1 && c != 0xED && c <= 0xEF && i + 2 < n &&
		    (s[i + 1] & 0xC0) == 0x80 && (s[i + 2] & 0xC0) == 0x80) {
			i += 3;
			continue;
		}
		if ((k = xy_utf8_seq((const char *)s + i, n - i))) {
			i += k;
			continue;
		}
		if ((rc = xy_buf_add(&r->text, s + run, i - run)) ||
		    (rc = xy_buf_add(&r->text, replacement, sizeof replacement)))
			return rc;
		row_problem(r, P_UTF8, col, 0, 0);
		run = ++i;
	}
	return xy_buf_add(&r->text, s + run, n - run);
}

static xy_code decode_gb18030(csv_reader *r, const unsigned char *s, size_t n, long col)
{
	char *in = (char *)(uintptr_t)s;
	size_t inleft = n;
	xy_code rc;
	iconv(r->cd, NULL, NULL, NULL, NULL);
	while (inleft) {
		char *out;
		size_t outleft, done;
		/* 2-byte GB18030 -> 3-byte UTF-8, a bad byte -> U+FFFD (3 bytes) */
		if ((rc = xy_buf_grow(&r->text, inleft * 3 + 4)))
			return rc;
		out = r->text.data + r->text.len;
		outleft = r->text.cap - r->text.len - 1;
		done = iconv(r->cd, &in, &inleft, &out, &outleft);
		r->text.len = (size_t)(out - r->text.data);
		r->text.data[r->text.len] = '\0';
		if (done != (size_t)-1)
			break;
		if (errno == E2BIG)
			continue;
		/* EILSEQ, or EINVAL: a sequence cut by the end of the field */
		if ((rc = xy_buf_add(&r->text, replacement, sizeof replacement)))
			return rc;
		row_problem(r, P_GB18030, col, 0, 0);
		in++;
		inleft--;
		iconv(r->cd, NULL, NULL, NULL, NULL);
	}
	return XY_OK;
}

/* Decode raw field bytes onto r->text; NUL bytes become U+FFFD. */
static xy_code decode_field(csv_reader *r, const unsigned char *s, size_t n, long col)
{
	xy_code rc;
	for (;;) {
		const unsigned char *nul = memchr(s, 0, n);
		size_t seg = nul ? (size_t)(nul - s) : n;
		if (seg) {
			rc = r->enc == XY_ENC_GB18030 ? decode_gb18030(r, s, seg, col)
			                              : decode_utf8(r, s, seg, col);
			if (rc)
				return rc;
		}
		if (!nul)
			return XY_OK;
		row_problem(r, P_NUL, col, 0, 0);
		if ((rc = xy_buf_add(&r->text, replacement, sizeof replacement)))
			return rc;
		s += seg + 1;
		n -= seg + 1;
	}
}

/* ---- libcsv callbacks ---- */

static int no_space(unsigned char c)
{
	(void)c;
	return 0; /* keep spaces around unquoted fields: the data is the unit's */
}

static void on_field(void *s, size_t len, void *data)
{
	csv_reader *r = data;
	size_t off, idx, dlen;
	bool cut = r->field_cut;
	xy_code rc;

	r->field_cut = false;
	r->nfields++;
	if (r->cb_rc || r->ncells >= r->max_columns)
		return;
	idx = r->ncells;
	if (idx == r->cap) {
		size_t ncap = r->cap ? r->cap * 2 : 32;
		size_t *o = realloc(r->offs, ncap * sizeof *o);
		size_t *l;
		const char **c;
		if (o)
			r->offs = o;
		l = o ? realloc(r->lens, ncap * sizeof *l) : NULL;
		if (l)
			r->lens = l;
		c = l ? realloc(r->cells, ncap * sizeof *c) : NULL;
		if (!c) {
			r->cb_rc = XY_ERR_NOMEM;
			return;
		}
		r->cells = c;
		r->cap = ncap;
	}
	off = r->text.len;
	if (len && (rc = decode_field(r, s, len, (long)idx))) {
		r->cb_rc = rc;
		return;
	}
	dlen = r->text.len - off;
	if (cut || dlen > r->max_cell) {
		if (dlen > r->max_cell) {
			dlen = r->max_cell;
			while (dlen && ((unsigned char)r->text.data[off + dlen] & 0xC0) == 0x80)
				dlen--;
			xy_buf_truncate(&r->text, off + dlen);
		}
		row_problem(r, P_LONG, (long)idx, r->max_cell, 0);
	}
	if ((rc = xy_buf_addch(&r->text, '\0'))) {
		r->cb_rc = rc;
		return;
	}
	r->offs[idx] = off;
	r->lens[idx] = dlen;
	r->ncells++;
}

static bool record_empty(const csv_reader *r)
{
	for (size_t i = 0; i < r->ncells; i++)
		for (size_t j = 0; j < r->lens[i]; j++)
			if (r->text.data[r->offs[i] + j] != ' ' &&
			    r->text.data[r->offs[i] + j] != '\t')
				return false;
	return !r->has_problem;
}

static void reset_record(csv_reader *r)
{
	xy_buf_reset(&r->text);
	r->ncells = r->nfields = 0;
	r->has_problem = false;
	r->problem_col = -1;
	r->problem[0] = r->problem_zh[0] = '\0';
}

static void on_record(int c, void *data)
{
	csv_reader *r = data;
	(void)c;
	r->rec_open = false;
	r->next_row++;
	if (r->cb_rc)
		return;
	if (record_empty(r)) {
		reset_record(r);
		return;
	}
	r->ready = true;
}

/* ---- reading ---- */

static bool is_utf16(xy_encoding e)
{
	return e == XY_ENC_UTF16LE || e == XY_ENC_UTF16BE;
}

/* UTF-16: convert raw bytes into `in` (at most SAMPLE_MAX bytes of UTF-8).  A
 * unit that does not decode (a lone surrogate, an odd last byte) becomes a
 * 0xFF byte, which decode_utf8 turns into U+FFFD and a row problem. */
static xy_code fill_utf16(csv_reader *r, xy_error *err)
{
	r->in_pos = r->in_len = 0;
	for (;;) {
		size_t left = r->raw_len - r->raw_pos, outleft, done;
		char *in, *out;
		if (left < 4 && !r->raw_eof) {
			size_t n;
			memmove(r->raw, r->raw + r->raw_pos, left);
			r->raw_len = left;
			r->raw_pos = 0;
			n = fread(r->raw + left, 1, CHUNK, r->f);
			r->raw_len += n;
			r->read_total += n;
			if (n == 0) {
				if (ferror(r->f))
					return xy_error_at(err, XY_ERR_IO, r->path, 0, NULL,
					                   "read failed: %s", strerror(errno));
				r->raw_eof = true;
			}
			continue;
		}
		if (!left || SAMPLE_MAX - r->in_len < 8)
			break;
		in = (char *)r->raw + r->raw_pos;
		out = (char *)r->in + r->in_len;
		outleft = SAMPLE_MAX - r->in_len - 4; /* room for a 0xFF marker */
		done = iconv(r->cd, &in, &left, &out, &outleft);
		r->raw_used += (size_t)((unsigned char *)in - (r->raw + r->raw_pos));
		r->raw_pos = (size_t)((unsigned char *)in - r->raw);
		r->in_len = (size_t)((unsigned char *)out - r->in);
		if (done != (size_t)-1) {
			if (r->in_len >= CHUNK)
				break;
			continue;
		}
		if (errno == E2BIG)
			break;
		if (errno == EINVAL && !r->raw_eof && left < 4)
			continue; /* a unit cut by the end of the buffer: read more */
		r->in[r->in_len++] = 0xFF;
		r->raw_pos += left < 2 ? left : 2;
		r->raw_used += left < 2 ? left : 2;
		iconv(r->cd, NULL, NULL, NULL, NULL);
	}
	if (!r->in_len)
		r->eof = true;
	return XY_OK;
}

static xy_code fill(csv_reader *r, size_t want, xy_error *err)
{
	size_t n;
	if (is_utf16(r->enc) && r->raw)
		return fill_utf16(r, err);
	r->in_pos = r->in_len = 0;
	while (r->in_len < want) {
		n = fread(r->in + r->in_len, 1, want - r->in_len, r->f);
		r->in_len += n;
		r->read_total += n;
		if (n == 0) {
			if (ferror(r->f))
				return xy_error_at(err, XY_ERR_IO, r->path, 0, NULL,
				                   "read failed: %s", strerror(errno));
			r->eof = true;
			break;
		}
	}
	return XY_OK;
}

/* A whole record on one line without quotes: split it here.  libcsv would
 * hand over exactly these fields (no quoting to undo, and no_space() keeps
 * spaces), but it costs ~60 instructions per byte (a callback per byte for
 * the space test) against a memchr per field: most lines of most files take
 * this path, quoted or multi-line records still go through libcsv. */
static void split_line(csv_reader *r, const unsigned char *s, size_t n, unsigned char term)
{
	unsigned char delim = csv_get_delim(&r->p);
	const unsigned char *end = s + n;
	for (;;) {
		const unsigned char *d = memchr(s, delim, (size_t)(end - s));
		const unsigned char *e = d ? d : end;
		on_field((void *)(uintptr_t)s, (size_t)(e - s), r);
		if (!d)
			break;
		s = d + 1;
	}
	on_record(term, r);
}

/* Feed libcsv up to and including the next CR or LF (at most SEG_MAX bytes). */
static xy_code feed(csv_reader *r, xy_error *err)
{
	const unsigned char *s = r->in + r->in_pos;
	size_t avail = r->in_len - r->in_pos;
	size_t lim = avail < SEG_MAX ? avail : SEG_MAX;
	size_t k = 0, n;
	bool term;

	while (k < lim && s[k] != '\r' && s[k] != '\n')
		k++;
	term = k < lim;
	n = term ? k + 1 : k;
	if (k) {
		if (!r->rec_open) {
			r->rec_open = true;
			r->rec_line = r->next_row;
		}
		r->prev_cr = false;
	}
	if (term) {
		if (!(s[k] == '\n' && r->prev_cr)) {
			r->cur_line++;
			/* a blank line outside a record: a row of its own in Excel */
			if (!k && !r->rec_open && r->p.pstate == XY_CSV_ROW_NOT_BEGUN)
				r->next_row++;
		}
		r->prev_cr = s[k] == '\r';
	}
	if (term && k && r->p.pstate == XY_CSV_ROW_NOT_BEGUN && !memchr(s, '"', k)) {
		split_line(r, s, k, s[k]);
		r->in_pos += n;
		return XY_OK;
	}
	if (csv_parse(&r->p, s, n, on_field, on_record, r) != n)
		return xy_error_at(err, XY_ERR_NOMEM, r->path, r->rec_line, NULL, "CSV parser: %s",
		                   csv_strerror(csv_error(&r->p)));
	r->in_pos += n;
	/* Cut an over-long field in libcsv's own buffer (struct csv_parser is
	 * public; with no_space() its `spaces` count stays 0).  In the
	 * might-have-ended state the last byte is a quote libcsv strips later. */
	if (r->p.pstate == XY_CSV_FIELD_BEGUN && r->p.entry_pos > r->max_cell) {
		r->p.entry_pos = r->max_cell;
		r->field_cut = true;
	} else if (r->p.pstate == XY_CSV_FIELD_MIGHT_HAVE_ENDED &&
	           r->p.entry_pos > r->max_cell + 1) {
		r->p.entry_buf[r->max_cell] = r->p.entry_buf[r->p.entry_pos - 1];
		r->p.entry_pos = r->max_cell + 1;
		r->field_cut = true;
	}
	return XY_OK;
}

static void emit(csv_reader *r, const xy_row **row)
{
	if (r->nfields > r->max_columns)
		row_problem(r, P_COLUMNS, -1, r->nfields, r->max_columns);
	for (size_t i = 0; i < r->ncells; i++)
		r->cells[i] = r->text.data + r->offs[i];
	r->row.line = r->rec_line;
	r->row.sheet = NULL;
	r->row.is_header = !r->seen_header;
	r->seen_header = true;
	r->row.ncells = r->ncells;
	r->row.cells = r->cells;
	r->row.lens = r->lens;
	r->row.problem = r->has_problem ? r->problem : NULL;
	r->row.problem_zh = r->has_problem ? r->problem_zh : NULL;
	r->row.problem_col = r->has_problem ? r->problem_col : -1;
	r->ready = false;
	r->emitted = true;
	*row = &r->row;
}

static xy_code csv_next(void *impl, const xy_row **row, xy_error *err)
{
	csv_reader *r = impl;
	xy_code rc;

	*row = NULL;
	if (r->emitted) {
		reset_record(r);
		r->emitted = false;
	}
	for (;;) {
		if (r->cb_rc)
			return xy_error_at(err, r->cb_rc, r->path, r->rec_line, NULL,
			                   r->cb_rc == XY_ERR_NOMEM ? "out of memory"
			                                            : "cannot decode row");
		if (r->ready) {
			emit(r, row);
			return XY_OK;
		}
		if (r->in_pos < r->in_len) {
			if ((rc = feed(r, err)))
				return rc;
		} else if (!r->eof) {
			if ((rc = fill(r, CHUNK, err)))
				return rc;
		} else if (!r->finished) {
			/* a last line without newline is only delivered by csv_fini */
			r->finished = true;
			if (r->p.pstate == XY_CSV_FIELD_BEGUN && r->p.quoted)
				row_problem(r, P_QUOTE, (long)r->nfields, 0, 0);
			csv_fini(&r->p, on_field, on_record, r);
		} else {
			return XY_OK;
		}
	}
}

static uint64_t csv_offset(const void *impl)
{
	const csv_reader *r = impl;
	if (r->raw)
		return r->raw_used;
	return r->read_total - (r->in_len - r->in_pos);
}

static xy_encoding csv_encoding(const void *impl)
{
	return ((const csv_reader *)impl)->enc;
}

static void csv_reader_free(void *impl)
{
	csv_reader *r = impl;
	if (!r)
		return;
	if (r->f)
		fclose(r->f);
	if (r->p_init)
		csv_free(&r->p);
	if (r->cd != (iconv_t)-1)
		iconv_close(r->cd);
	xy_buf_release(&r->text);
	free(r->in);
	free(r->raw);
	free(r->offs);
	free(r->lens);
	free(r->cells);
	free(r->path);
	free(r);
}

static const xy_reader_ops csv_ops = {
    .next = csv_next,
    .offset = csv_offset,
    .encoding = csv_encoding,
    .free = csv_reader_free,
};

/* ---- detection on the first 1 MiB ---- */

static bool has_prefix(const unsigned char *s, size_t n, const char *magic, size_t m)
{
	return n >= m && memcmp(s, magic, m) == 0;
}

static xy_code check_binary(csv_reader *r, xy_encoding *utf16, xy_error *err)
{
	static const struct {
		const char *magic;
		size_t len;
		const char *what;
	} magics[] = {
	    {"\x7f"
	     "ELF",
	     4, "an executable"},
	    {"\x89PNG", 4, "a PNG image"},
	    {"\xff\xd8\xff", 3, "a JPEG image"},
	    {"GIF8", 4, "a GIF image"},
	    {"%PDF", 4, "a PDF document"},
	    {"PK\x03\x04", 4, "a zip archive (an .xlsx workbook must be named .xlsx)"},
	    {"\x1f\x8b", 2, "a gzip archive"},
	    {"\xd0\xcf\x11\xe0", 4, "an old .xls/.doc file (save it as .xlsx or CSV)"},
	    {"Rar!", 4, "a RAR archive"},
	    {"7z\xbc\xaf", 4, "a 7-Zip archive"},
	};
	const unsigned char *s = r->in;
	size_t n = r->in_len, nul = 0, odd = 0;

	for (size_t i = 0; i < sizeof magics / sizeof magics[0]; i++)
		if (has_prefix(s, n, magics[i].magic, magics[i].len))
			return xy_error_at(err, XY_ERR_FORMAT, r->path, 0, NULL,
			                   "binary file, not CSV: %s", magics[i].what);
	for (size_t i = 0; i < n; i++)
		if (!s[i]) {
			nul++;
			odd += i & 1;
		}
	if (nul <= NUL_BINARY)
		return XY_OK;
	/* UTF-16 without BOM: the NULs are the high bytes of ASCII, nearly all on
	 * one side (a CJK character such as U+4E00 has a NUL low byte) */
	if (odd * 10 >= nul * 9 || (nul - odd) * 10 >= nul * 9) {
		*utf16 = odd * 2 > nul ? XY_ENC_UTF16LE : XY_ENC_UTF16BE;
		return XY_OK;
	}
	return xy_error_at(err, XY_ERR_FORMAT, r->path, 0, NULL,
	                   "binary file, not CSV (%zu NUL bytes in the first %zu bytes)", nul, n);
}

/* Count invalid bytes and valid multi-byte characters in s as UTF-8. */
static void score_utf8(const unsigned char *s, size_t n, bool at_eof, size_t *bad, size_t *good)
{
	size_t i = 0, k;
	*bad = *good = 0;
	while (i < n) {
		if (s[i] < 0x80) {
			i++;
		} else if ((k = xy_utf8_seq((const char *)s + i, n - i))) {
			(*good)++;
			i += k;
		} else if (!at_eof && utf8_cut(s + i, n - i)) {
			break;
		} else {
			(*bad)++;
			i++;
		}
	}
}

/* Same as GB18030 through iconv. */
static xy_code score_gb18030(const unsigned char *s, size_t n, bool at_eof, size_t *bad,
                             size_t *high)
{
	char out[16384];
	char *in = (char *)(uintptr_t)s;
	size_t inleft = n;
	iconv_t cd = iconv_open("UTF-8", "GB18030");
	*bad = *high = 0;
	if (cd == (iconv_t)-1)
		return XY_ERR_ENCODING;
	for (size_t i = 0; i < n; i++)
		*high += s[i] >= 0x80;
	while (inleft) {
		char *o = out;
		size_t oleft = sizeof out;
		if (iconv(cd, &in, &inleft, &o, &oleft) != (size_t)-1)
			break;
		if (errno == E2BIG)
			continue;
		if (errno == EINVAL && !at_eof && inleft < 4)
			break;
		(*bad)++;
		in++;
		inleft--;
		iconv(cd, NULL, NULL, NULL, NULL);
	}
	iconv_close(cd);
	return XY_OK;
}

/* Offset of the first byte >= 0x80 in s[0..n), or n. */
static size_t first_high(const unsigned char *s, size_t n)
{
	size_t i = 0;
	for (; i + 8 <= n; i += 8) {
		uint64_t w;
		memcpy(&w, s + i, 8);
		if (w & 0x8080808080808080ull)
			break;
	}
	while (i < n && s[i] < 0x80)
		i++;
	return i;
}

#define AHEAD_BLOCK (256u << 10)

/* The sample is all ASCII: read on (pread, without parsing) to the first
 * non-ASCII bytes and copy up to AHEAD_BLOCK of them from there into *buf.
 * *len = 0 when the whole file is ASCII (or cannot be read ahead: a pipe). */
static xy_code scan_ahead(csv_reader *r, unsigned char **buf, size_t *len, bool *at_eof,
                          xy_error *err)
{
	int fd = fileno(r->f);
	off_t off = (off_t)r->in_len;
	unsigned char *b = malloc(AHEAD_BLOCK);
	*buf = NULL;
	*len = 0;
	if (!b)
		return xy_error_set(err, XY_ERR_NOMEM, "out of memory");
	for (;;) {
		ssize_t n = pread(fd, b, AHEAD_BLOCK, off);
		size_t i;
		if (n < 0) {
			if (errno == ESPIPE)
				break;
			free(b);
			return xy_error_at(err, XY_ERR_IO, r->path, 0, NULL, "read failed: %s",
			                   strerror(errno));
		}
		if (n == 0)
			break;
		i = first_high(b, (size_t)n);
		if (i < (size_t)n) {
			n = pread(fd, b, AHEAD_BLOCK, off + (off_t)i);
			if (n <= 0)
				break;
			*buf = b;
			*len = (size_t)n;
			*at_eof = (size_t)n < AHEAD_BLOCK;
			return XY_OK;
		}
		off += n;
	}
	free(b);
	return XY_OK;
}

/* Valid UTF-8 (a few broken rows allowed), else GB18030, else an error. */
static xy_code decide(csv_reader *r, const unsigned char *s, size_t n, bool at_eof,
                      xy_error *err)
{
	size_t ubad, ugood, gbad, ghigh;
	score_utf8(s, n, at_eof, &ubad, &ugood);
	/* UTF-8 with a few broken rows is still UTF-8: the rows get problems. */
	if (ubad == 0 || ubad * 10 <= ugood) {
		r->enc = XY_ENC_UTF8;
		return XY_OK;
	}
	if (score_gb18030(s, n, at_eof, &gbad, &ghigh))
		return xy_error_at(err, XY_ERR_ENCODING, r->path, 0, NULL,
		                   "iconv has no GB18030 converter");
	if (gbad == 0 || gbad * 100 <= ghigh) {
		r->enc = XY_ENC_GB18030;
		return XY_OK;
	}
	return xy_error_at(err, XY_ERR_ENCODING, r->path, 0, NULL,
	                   "neither UTF-8 nor GB18030 text");
}

static xy_code detect(csv_reader *r, xy_encoding want, xy_error *err)
{
	const unsigned char *s = r->in;
	size_t n = r->in_len, ahead_len;
	xy_encoding utf16 = XY_ENC_AUTO;
	unsigned char *ahead;
	bool ahead_eof = true;
	xy_code rc;

	if (has_prefix(s, n, "\xff\xfe", 2) && (want == XY_ENC_AUTO || want == XY_ENC_UTF16LE)) {
		r->in_pos = 2;
		r->enc = XY_ENC_UTF16LE;
		return XY_OK;
	}
	if (has_prefix(s, n, "\xfe\xff", 2) && (want == XY_ENC_AUTO || want == XY_ENC_UTF16BE)) {
		r->in_pos = 2;
		r->enc = XY_ENC_UTF16BE;
		return XY_OK;
	}
	if ((rc = check_binary(r, &utf16, err)))
		return rc;
	if (utf16 != XY_ENC_AUTO && (want == XY_ENC_AUTO || is_utf16(want))) {
		r->enc = want == XY_ENC_AUTO ? utf16 : want;
		return XY_OK;
	}
	if (utf16 != XY_ENC_AUTO)
		return xy_error_at(err, XY_ERR_ENCODING, r->path, 0, NULL,
		                   "the file looks like UTF-16 text, not %s",
		                   xy_encoding_name(want));
	if (has_prefix(s, n, utf8_bom, sizeof utf8_bom) && want != XY_ENC_GB18030) {
		r->in_pos = sizeof utf8_bom;
		r->enc = XY_ENC_UTF8;
		return XY_OK;
	}
	if (want != XY_ENC_AUTO) {
		r->enc = want;
		return XY_OK;
	}
	if (first_high(s, n) < n || r->eof)
		return decide(r, s, n, r->eof, err);
	/* ASCII so far is both: decide on the first non-ASCII bytes */
	if ((rc = scan_ahead(r, &ahead, &ahead_len, &ahead_eof, err)))
		return rc;
	if (!ahead_len) {
		r->enc = XY_ENC_UTF8;
		return XY_OK;
	}
	rc = decide(r, ahead, ahead_len, ahead_eof, err);
	free(ahead);
	return rc;
}

/* TAB-separated if the first non-empty line has tabs and no commas. */
static char detect_delim(const csv_reader *r)
{
	const unsigned char *s = r->in + r->in_pos, *end = r->in + r->in_len;
	size_t tabs = 0, commas = 0;
	while (s < end && (*s == '\r' || *s == '\n'))
		s++;
	for (; s < end && *s != '\r' && *s != '\n'; s++) {
		tabs += *s == '\t';
		commas += *s == ',';
	}
	return tabs && !commas ? '\t' : ',';
}

xy_code xy__csv_open(void **impl, const xy_reader_ops **ops, const char *path,
                     const xy_reader_opts *opts, xy_error *err)
{
	csv_reader *r = calloc(1, sizeof *r);
	xy_code rc;

	*impl = NULL;
	if (!r)
		return xy_error_set(err, XY_ERR_NOMEM, "out of memory");
	r->cd = (iconv_t)-1;
	xy_buf_init(&r->text, 0);
	r->max_cell = opts && opts->max_cell ? opts->max_cell : XY_READER_MAX_CELL;
	r->max_columns = opts && opts->max_columns ? opts->max_columns : XY_READER_MAX_COLUMNS;
	r->cur_line = 1;
	r->next_row = 1;
	r->problem_col = -1;
	r->path = strdup(path);
	r->in = malloc(SAMPLE_MAX);
	if (!r->path || !r->in) {
		rc = xy_error_set(err, XY_ERR_NOMEM, "out of memory");
		goto fail;
	}
	r->f = fopen(path, "rb");
	if (!r->f) {
		rc = xy_error_at(err, XY_ERR_IO, path, 0, NULL, "cannot open: %s", strerror(errno));
		goto fail;
	}
	if ((rc = fill(r, SAMPLE_MAX, err)) ||
	    (rc = detect(r, opts ? opts->encoding : XY_ENC_AUTO, err)))
		goto fail;
	if (r->enc == XY_ENC_GB18030 && (r->cd = iconv_open("UTF-8", "GB18030")) == (iconv_t)-1) {
		rc = xy_error_at(err, XY_ERR_ENCODING, path, 0, NULL,
		                 "iconv has no GB18030 converter");
		goto fail;
	}
	if (is_utf16(r->enc)) {
		/* the sample becomes the first raw bytes; `in` holds UTF-8 from now */
		const char *from = r->enc == XY_ENC_UTF16LE ? "UTF-16LE" : "UTF-16BE";
		if ((r->cd = iconv_open("UTF-8", from)) == (iconv_t)-1) {
			rc = xy_error_at(err, XY_ERR_ENCODING, path, 0, NULL,
			                 "iconv has no %s converter", from);
			goto fail;
		}
		if (!(r->raw = malloc(SAMPLE_MAX))) {
			rc = xy_error_set(err, XY_ERR_NOMEM, "out of memory");
			goto fail;
		}
		r->raw_len = r->in_len - r->in_pos;
		memcpy(r->raw, r->in + r->in_pos, r->raw_len);
		r->raw_used = r->in_pos;
		r->raw_eof = r->eof;
		r->eof = false;
		if ((rc = fill_utf16(r, err)))
			goto fail;
	}
	if (csv_init(&r->p, 0)) {
		rc = xy_error_set(err, XY_ERR_NOMEM, "out of memory");
		goto fail;
	}
	r->p_init = true;
	csv_set_space_func(&r->p, no_space);
	csv_set_delim(&r->p, (unsigned char)detect_delim(r));
	csv_set_blk_size(&r->p, 16384);
	*impl = r;
	*ops = &csv_ops;
	return XY_OK;
fail:
	csv_reader_free(r);
	return rc;
}

/* ---- writer ---- */

typedef struct csv_writer {
	FILE *f;
	char *path;
	iconv_t cd; /* UTF-8 -> GB18030 or UTF-16, (iconv_t)-1 for UTF-8 output */
	char delim; /* ',' or TAB (UTF-16, as Excel's "Unicode 文本") */
	xy_buf line, conv;
} csv_writer;

static bool needs_quotes(const char *s, size_t n, char delim)
{
	if (!n)
		return false;
	if (s[0] == ' ' || s[0] == '\t' || s[n - 1] == ' ' || s[n - 1] == '\t')
		return true;
	for (size_t i = 0; i < n; i++)
		if (s[i] == delim || s[i] == '"' || s[i] == '\r' || s[i] == '\n')
			return true;
	return false;
}

static xy_code add_cell(xy_buf *b, const char *s, size_t n, char delim)
{
	size_t run = 0;
	xy_code rc;
	if (!needs_quotes(s, n, delim))
		return xy_buf_add(b, s, n);
	if ((rc = xy_buf_addch(b, '"')))
		return rc;
	for (size_t i = 0; i < n; i++) {
		if (s[i] != '"')
			continue;
		if ((rc = xy_buf_add(b, s + run, i + 1 - run)) || (rc = xy_buf_addch(b, '"')))
			return rc;
		run = i + 1;
	}
	if ((rc = xy_buf_add(b, s + run, n - run)))
		return rc;
	return xy_buf_addch(b, '"');
}

/* UTF-8 -> GB18030 or UTF-16.  Both cover all of Unicode; only bytes that are
 * not UTF-8 at all can fail, and those become '?'. */
static xy_code to_target(csv_writer *w, const xy_buf *src)
{
	char *in = src->data;
	size_t inleft = src->len;
	xy_code rc;
	xy_buf_reset(&w->conv);
	iconv(w->cd, NULL, NULL, NULL, NULL);
	while (inleft) {
		char *out;
		size_t outleft;
		if ((rc = xy_buf_grow(&w->conv, inleft * 2 + 8)))
			return rc;
		out = w->conv.data + w->conv.len;
		outleft = w->conv.cap - w->conv.len - 1;
		if (iconv(w->cd, &in, &inleft, &out, &outleft) != (size_t)-1)
			inleft = 0;
		w->conv.len = (size_t)(out - w->conv.data);
		w->conv.data[w->conv.len] = '\0';
		if (inleft && errno != E2BIG) {
			char q[2] = {'?', 0}; /* '?' in UTF-16: the writer's cd knows */
			char *qi = q, *qo;
			size_t ql = 1, qol;
			if ((rc = xy_buf_grow(&w->conv, 8)))
				return rc;
			qo = w->conv.data + w->conv.len;
			qol = w->conv.cap - w->conv.len - 1;
			iconv(w->cd, NULL, NULL, NULL, NULL);
			iconv(w->cd, &qi, &ql, &qo, &qol);
			w->conv.len = (size_t)(qo - w->conv.data);
			w->conv.data[w->conv.len] = '\0';
			in++;
			inleft--;
			iconv(w->cd, NULL, NULL, NULL, NULL);
		}
	}
	return XY_OK;
}

static xy_code write_record(csv_writer *w, size_t n, const char *const *cells, const size_t *lens,
                            xy_error *err)
{
	const xy_buf *out = &w->line;
	xy_code rc;
	xy_buf_reset(&w->line);
	for (size_t i = 0; i < n; i++) {
		const char *s = cells[i] ? cells[i] : "";
		size_t len = lens ? lens[i] : strlen(s);
		if ((i && (rc = xy_buf_addch(&w->line, w->delim))) ||
		    (rc = add_cell(&w->line, s, len, w->delim)))
			return xy_error_set(err, rc, "out of memory");
	}
	if ((rc = xy_buf_add(&w->line, "\r\n", 2)))
		return xy_error_set(err, rc, "out of memory");
	if (w->cd != (iconv_t)-1) {
		if ((rc = to_target(w, &w->line)))
			return xy_error_set(err, rc, "out of memory");
		out = &w->conv;
	}
	if (fwrite(out->data, 1, out->len, w->f) != out->len)
		return xy_error_at(err, XY_ERR_IO, w->path, 0, NULL, "write failed: %s",
		                   strerror(errno));
	return XY_OK;
}

static xy_code csvw_header(void *impl, size_t ncols, const char *const *names, xy_error *err)
{
	return write_record(impl, ncols, names, NULL, err);
}

static xy_code csvw_row(void *impl, size_t ncells, const char *const *cells, const size_t *lens,
                        xy_error *err)
{
	return write_record(impl, ncells, cells, lens, err);
}

static void csv_writer_free(csv_writer *w)
{
	if (w->cd != (iconv_t)-1)
		iconv_close(w->cd);
	xy_buf_release(&w->line);
	xy_buf_release(&w->conv);
	free(w->path);
	free(w);
}

static xy_code csvw_close(void *impl, xy_error *err)
{
	csv_writer *w = impl;
	xy_code rc = XY_OK;
	if (fflush(w->f) != 0 || ferror(w->f))
		rc = xy_error_at(err, XY_ERR_IO, w->path, 0, NULL, "write failed: %s",
		                 strerror(errno));
	if (fclose(w->f) != 0 && !rc)
		rc = xy_error_at(err, XY_ERR_IO, w->path, 0, NULL, "close failed: %s",
		                 strerror(errno));
	csv_writer_free(w);
	return rc;
}

static const xy_writer_ops csv_writer_ops = {
    .header = csvw_header,
    .row = csvw_row,
    .close = csvw_close,
};

xy_code xy__csv_writer_open(void **impl, const xy_writer_ops **ops, const char *path,
                            xy_encoding enc, xy_error *err)
{
	csv_writer *w = calloc(1, sizeof *w);
	*impl = NULL;
	if (!w)
		return xy_error_set(err, XY_ERR_NOMEM, "out of memory");
	w->cd = (iconv_t)-1;
	w->delim = is_utf16(enc) ? '\t' : ',';
	xy_buf_init(&w->line, 0);
	xy_buf_init(&w->conv, 0);
	if (!(w->path = strdup(path))) {
		csv_writer_free(w);
		return xy_error_set(err, XY_ERR_NOMEM, "out of memory");
	}
	if (enc == XY_ENC_GB18030 && (w->cd = iconv_open("GB18030", "UTF-8")) == (iconv_t)-1) {
		csv_writer_free(w);
		return xy_error_at(err, XY_ERR_ENCODING, path, 0, NULL,
		                   "iconv has no GB18030 converter");
	}
	if (is_utf16(enc) &&
	    (w->cd = iconv_open(enc == XY_ENC_UTF16LE ? "UTF-16LE" : "UTF-16BE", "UTF-8")) ==
	        (iconv_t)-1) {
		csv_writer_free(w);
		return xy_error_at(err, XY_ERR_ENCODING, path, 0, NULL,
		                   "iconv has no UTF-16 converter");
	}
	if (!(w->f = fopen(path, "wb"))) {
		xy_code rc = xy_error_at(err, XY_ERR_IO, path, 0, NULL, "cannot create: %s",
		                         strerror(errno));
		csv_writer_free(w);
		return rc;
	}
	/* a BOM makes Excel open UTF-8 CSV as UTF-8 instead of the ANSI code page,
	 * and UTF-16 as "Unicode 文本" */
	const char *bom = enc == XY_ENC_UTF16LE   ? "\xff\xfe"
	                  : enc == XY_ENC_UTF16BE ? "\xfe\xff"
	                                          : utf8_bom;
	size_t bomlen = is_utf16(enc) ? 2 : sizeof utf8_bom;
	if (enc != XY_ENC_GB18030 && fwrite(bom, 1, bomlen, w->f) != bomlen) {
		xy_code rc =
		    xy_error_at(err, XY_ERR_IO, path, 0, NULL, "write failed: %s", strerror(errno));
		fclose(w->f);
		csv_writer_free(w);
		return rc;
	}
	*impl = w;
	*ops = &csv_writer_ops;
	return XY_OK;
}
