/* JSON: streaming reader for a top-level array of flat objects, and the JSON
 * writer for error reports.
 *
 * The file is never loaded whole: a byte scanner splits the top-level array
 * into elements (tracking strings, escapes and nesting depth) and each
 * element, at most max_cell * 4 bytes, is parsed with jansson.  While
 * scanning, number literals are wrapped in quotes so jansson hands back
 * their text exactly as written (no int64 overflow on 20-digit codes, no
 * binary rounding of reals); a literal that is not a valid JSON number is
 * left alone and jansson rejects the element.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "xinyong/buf.h"
#include "xinyong/reader.h"

#define CHUNK (64u << 10)

static const char replacement[3] = {'\xEF', '\xBF', '\xBD'}; /* U+FFFD */

enum { ST_ELEMENT, ST_AFTER, ST_DONE };

typedef struct json_reader {
	FILE *f;
	char *path;
	unsigned char *in;
	size_t in_len, in_pos;
	uint64_t read_total;
	bool eof;
	size_t max_cell, max_columns;
	int state;
	long index; /* elements seen */

	xy_buf elem; /* current element (limit max_cell * 4) */
	bool elem_over;

	/* header: keys in the order first seen */
	json_t *keyidx; /* key -> index in keys */
	char **keys;
	size_t *keylens;
	size_t nkeys, keycap;
	xy_row hrow;

	/* data row */
	xy_buf text;
	size_t *offs, *lens;
	const char **cells;
	size_t cap, ncells;
	bool pending, has_problem;
	char problem[320], problem_zh[320];
	xy_row row;
} json_reader;

/* ---- input bytes ---- */

static xy_code fill(json_reader *r, xy_error *err)
{
	size_t n = fread(r->in, 1, CHUNK, r->f);
	r->in_pos = 0;
	r->in_len = n;
	r->read_total += n;
	if (n == 0) {
		if (ferror(r->f))
			return xy_error_at(err, XY_ERR_IO, r->path, 0, NULL, "read failed: %s",
			                   strerror(errno));
		r->eof = true;
	}
	return XY_OK;
}

/* Next byte without consuming it, or -1 at end of file (or error, see *rc). */
static int peek(json_reader *r, xy_code *rc, xy_error *err)
{
	if (r->in_pos == r->in_len) {
		if (r->eof || (*rc = fill(r, err)) || r->eof)
			return -1;
	}
	return r->in[r->in_pos];
}

static uint64_t offset_now(const json_reader *r)
{
	return r->read_total - (r->in_len - r->in_pos);
}

static bool is_ws(int c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* Skip whitespace; return the next byte (not consumed) or -1. */
static int skip_ws(json_reader *r, xy_code *rc, xy_error *err)
{
	int c;
	while ((c = peek(r, rc, err)) >= 0 && is_ws(c))
		r->in_pos++;
	return c;
}

static xy_code truncated(json_reader *r, xy_error *err)
{
	return xy_error_at(err, XY_ERR_FORMAT, r->path, 0, NULL,
	                   "truncated JSON: end of file inside the array at byte %" PRIu64
	                   " (element %ld)",
	                   offset_now(r), r->index + 1);
}

/* ---- splitting the array into elements ---- */

static bool is_num_char(int c)
{
	return (c >= '0' && c <= '9') || c == '-' || c == '+' || c == '.' || c == 'e' || c == 'E';
}

/* JSON number grammar: -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)? */
static bool valid_number(const char *s, size_t n)
{
	size_t i = 0, d;
	if (i < n && s[i] == '-')
		i++;
	if (i < n && s[i] == '0')
		i++;
	else if (i < n && s[i] >= '1' && s[i] <= '9')
		while (i < n && s[i] >= '0' && s[i] <= '9')
			i++;
	else
		return false;
	if (i < n && s[i] == '.') {
		for (d = ++i; i < n && s[i] >= '0' && s[i] <= '9'; i++)
			;
		if (i == d)
			return false;
	}
	if (i < n && (s[i] == 'e' || s[i] == 'E')) {
		i++;
		if (i < n && (s[i] == '+' || s[i] == '-'))
			i++;
		for (d = i; i < n && s[i] >= '0' && s[i] <= '9'; i++)
			;
		if (i == d)
			return false;
	}
	return i == n;
}

static void elem_add(json_reader *r, char c)
{
	if (!r->elem_over && xy_buf_addch(&r->elem, c))
		r->elem_over = true; /* limit (or no memory): keep scanning, stop keeping */
}

/* Quote the number literal that started at num (its opening quote). */
static void close_number(json_reader *r, size_t num)
{
	xy_buf *b = &r->elem;
	if (r->elem_over)
		return;
	if (valid_number(b->data + num + 1, b->len - num - 1)) {
		elem_add(r, '"');
	} else {
		memmove(b->data + num, b->data + num + 1, b->len - num - 1);
		xy_buf_truncate(b, b->len - 1);
	}
}

/* Read one element into r->elem; the first byte is not whitespace. */
static xy_code scan_element(json_reader *r, xy_error *err)
{
	size_t depth = 0, num = SIZE_MAX;
	bool in_str = false, esc = false;
	xy_code rc = XY_OK;
	int c;

	xy_buf_reset(&r->elem);
	r->elem_over = false;
	for (;;) {
		if ((c = peek(r, &rc, err)) < 0)
			return rc ? rc : truncated(r, err);
		if (in_str && !esc && c != '"' && c != '\\') {
			/* fast path: the run of plain string bytes in this chunk */
			size_t end = r->in_pos + 1;
			while (end < r->in_len && r->in[end] != '"' && r->in[end] != '\\')
				end++;
			if (!r->elem_over &&
			    xy_buf_add(&r->elem, r->in + r->in_pos, end - r->in_pos))
				r->elem_over = true;
			r->in_pos = end;
			continue;
		}
		if (in_str) {
			r->in_pos++;
			elem_add(r, (char)c);
			if (esc)
				esc = false;
			else if (c == '\\')
				esc = true;
			else if (c == '"') {
				in_str = false;
				if (depth == 0)
					return XY_OK;
			}
			continue;
		}
		if (num != SIZE_MAX) {
			if (is_num_char(c)) {
				r->in_pos++;
				elem_add(r, (char)c);
				continue;
			}
			close_number(r, num);
			num = SIZE_MAX;
		}
		if (depth == 0 && r->elem.len + r->elem_over > 0 &&
		    (c == ',' || c == ']' || c == '}' || is_ws(c)))
			return XY_OK; /* end of a scalar element; c is not consumed */
		r->in_pos++;
		if (c == '"') {
			in_str = true;
		} else if (c == '{' || c == '[') {
			depth++;
		} else if (c == '}' || c == ']') {
			if (depth == 0) /* a stray bracket where an element should be */
				return xy_error_at(err, XY_ERR_FORMAT, r->path, 0, NULL,
				                   "unexpected '%c' at byte %" PRIu64, c,
				                   offset_now(r) - 1);
			if (--depth == 0) {
				elem_add(r, (char)c);
				return XY_OK;
			}
		} else if (c == '-' || (c >= '0' && c <= '9')) {
			num = r->elem.len;
			elem_add(r, '"');
		}
		elem_add(r, (char)c);
	}
}

/* ---- rows ---- */

static void set_problem(json_reader *r, long col, const char *en, const char *zh)
{
	if (r->has_problem)
		return;
	r->has_problem = true;
	r->row.problem_col = col;
	snprintf(r->problem, sizeof r->problem, "%s", en);
	snprintf(r->problem_zh, sizeof r->problem_zh, "%s", zh);
}

static xy_code grow_row(json_reader *r, size_t n)
{
	size_t *o, *l;
	const char **c;
	if (n <= r->cap)
		return XY_OK;
	if (!(o = realloc(r->offs, n * sizeof *o)))
		return XY_ERR_NOMEM;
	r->offs = o;
	if (!(l = realloc(r->lens, n * sizeof *l)))
		return XY_ERR_NOMEM;
	r->lens = l;
	if (!(c = realloc(r->cells, n * sizeof *c)))
		return XY_ERR_NOMEM;
	r->cells = c;
	r->cap = n;
	return XY_OK;
}

/* Add key to the header; returns XY_ERR_LIMIT past max_columns. */
static xy_code add_key(json_reader *r, const char *key, size_t klen)
{
	json_t *idx;
	if (r->nkeys >= r->max_columns)
		return XY_ERR_LIMIT;
	if (r->nkeys == r->keycap) {
		size_t ncap = r->keycap ? r->keycap * 2 : 16;
		char **k = realloc(r->keys, ncap * sizeof *k);
		size_t *kl;
		if (!k)
			return XY_ERR_NOMEM;
		r->keys = k;
		if (!(kl = realloc(r->keylens, ncap * sizeof *kl)))
			return XY_ERR_NOMEM;
		r->keylens = kl;
		r->keycap = ncap;
	}
	if (!(r->keys[r->nkeys] = malloc(klen + 1)))
		return XY_ERR_NOMEM;
	memcpy(r->keys[r->nkeys], key, klen);
	r->keys[r->nkeys][klen] = '\0';
	r->keylens[r->nkeys] = klen;
	idx = json_integer((json_int_t)r->nkeys);
	if (!idx || json_object_setn_new_nocheck(r->keyidx, key, klen, idx)) {
		free(r->keys[r->nkeys]);
		return XY_ERR_NOMEM;
	}
	r->nkeys++;
	return XY_OK;
}

/* Text of one value onto r->text. */
static xy_code add_value(json_reader *r, size_t col, json_t *v)
{
	char num[64];
	const char *s = "";
	size_t n = 0, start = r->text.len;
	xy_code rc = XY_OK;
	char en[200], zh[200];

	switch (json_typeof(v)) {
	case JSON_STRING:
		s = json_string_value(v);
		n = json_string_length(v);
		break;
	case JSON_INTEGER: /* not reached: numbers arrive quoted */
		n = (size_t)snprintf(num, sizeof num, "%" JSON_INTEGER_FORMAT,
		                     json_integer_value(v));
		s = num;
		break;
	case JSON_REAL:
		n = (size_t)snprintf(num, sizeof num, "%.17g", json_real_value(v));
		s = num;
		break;
	case JSON_TRUE:
		s = "true";
		n = 4;
		break;
	case JSON_FALSE:
		s = "false";
		n = 5;
		break;
	case JSON_NULL:
		break;
	case JSON_OBJECT:
	case JSON_ARRAY:
		snprintf(en, sizeof en, "nested value in field %s", r->keys[col]);
		snprintf(zh, sizeof zh, "字段“%s”的值是嵌套的对象或数组", r->keys[col]);
		set_problem(r, (long)col, en, zh);
		break;
	}
	for (;;) { /* NUL (from \u0000) becomes U+FFFD */
		const char *z = memchr(s, 0, n);
		size_t seg = z ? (size_t)(z - s) : n;
		if ((rc = xy_buf_add(&r->text, s, seg)))
			return rc;
		if (!z)
			break;
		snprintf(en, sizeof en, "NUL byte in field %s", r->keys[col]);
		snprintf(zh, sizeof zh, "字段“%s”含有 NUL 空字节", r->keys[col]);
		set_problem(r, (long)col, en, zh);
		if ((rc = xy_buf_add(&r->text, replacement, sizeof replacement)))
			return rc;
		s += seg + 1;
		n -= seg + 1;
	}
	if (r->text.len - start > r->max_cell) {
		size_t keep = r->max_cell;
		while (keep && ((unsigned char)r->text.data[start + keep] & 0xC0) == 0x80)
			keep--;
		xy_buf_truncate(&r->text, start + keep);
		snprintf(en, sizeof en, "cell longer than %zu bytes in field %s", r->max_cell,
		         r->keys[col]);
		snprintf(zh, sizeof zh, "字段“%s”超过 %zu 字节", r->keys[col], r->max_cell);
		set_problem(r, (long)col, en, zh);
	}
	r->offs[col] = start;
	r->lens[col] = r->text.len - start;
	return xy_buf_addch(&r->text, '\0');
}

static void header_row(json_reader *r)
{
	r->hrow.line = r->index;
	r->hrow.sheet = NULL;
	r->hrow.is_header = true;
	r->hrow.ncells = r->nkeys;
	r->hrow.cells = (const char *const *)r->keys;
	r->hrow.lens = r->keylens;
	r->hrow.problem = r->hrow.problem_zh = NULL;
	r->hrow.problem_col = -1;
}

/* Turn r->elem into r->row; *new_keys says the header grew. */
static xy_code build_row(json_reader *r, bool *new_keys, bool *empty)
{
	json_error_t jerr;
	json_t *obj, *v;
	const char *key;
	size_t klen, extra = 0;
	char en[256], zh[256];
	xy_code rc = XY_OK;

	*new_keys = false;
	*empty = false;
	xy_buf_reset(&r->text);
	r->ncells = 0;
	r->has_problem = false;
	r->row.problem_col = -1;
	if (r->elem_over) {
		snprintf(en, sizeof en, "element longer than %zu bytes", r->elem.limit);
		snprintf(zh, sizeof zh, "该元素超过 %zu 字节", r->elem.limit);
		set_problem(r, -1, en, zh);
		return XY_OK;
	}
	obj = json_loadb(r->elem.data, r->elem.len,
	                 JSON_DECODE_ANY | JSON_ALLOW_NUL | JSON_REJECT_DUPLICATES, &jerr);
	if (!obj) {
		snprintf(en, sizeof en, "invalid JSON: %s", jerr.text);
		snprintf(zh, sizeof zh, "不是有效的 JSON（%s）", jerr.text);
		set_problem(r, -1, en, zh);
		return XY_OK;
	}
	if (!json_is_object(obj)) {
		set_problem(r, -1, "element is not an object", "该元素不是对象（{…}）");
		goto out;
	}
	json_object_keylen_foreach(obj, key, klen, v)
	{
		if (json_object_getn(r->keyidx, key, klen))
			continue;
		rc = add_key(r, key, klen);
		if (rc == XY_ERR_LIMIT) {
			extra++;
			rc = XY_OK;
		} else if (rc) {
			goto out;
		} else {
			*new_keys = true;
		}
	}
	if ((rc = grow_row(r, r->nkeys)))
		goto out;
	*empty = true;
	for (size_t i = 0; i < r->nkeys; i++) {
		v = json_object_getn(obj, r->keys[i], r->keylens[i]);
		if (!v)
			v = json_null();
		if ((rc = add_value(r, i, v)))
			goto out;
		if (r->lens[i])
			*empty = false;
	}
	r->ncells = r->nkeys;
	if (extra) {
		snprintf(en, sizeof en, "too many columns (%zu > %zu)", r->nkeys + extra,
		         r->max_columns);
		snprintf(zh, sizeof zh, "列数过多（%zu > %zu）", r->nkeys + extra, r->max_columns);
		set_problem(r, -1, en, zh);
	}
	if (r->has_problem)
		*empty = false;
out:
	json_decref(obj);
	return rc;
}

static void finish_row(json_reader *r)
{
	for (size_t i = 0; i < r->ncells; i++)
		r->cells[i] = r->text.data + r->offs[i];
	r->row.line = r->index;
	r->row.sheet = NULL;
	r->row.is_header = false;
	r->row.ncells = r->ncells;
	r->row.cells = r->cells;
	r->row.lens = r->lens;
	r->row.problem = r->has_problem ? r->problem : NULL;
	r->row.problem_zh = r->has_problem ? r->problem_zh : NULL;
}

static xy_code json_next(void *impl, const xy_row **row, xy_error *err)
{
	json_reader *r = impl;
	xy_code rc = XY_OK;
	bool new_keys, empty;
	int c;

	*row = NULL;
	if (r->pending) {
		r->pending = false;
		*row = &r->row;
		return XY_OK;
	}
	for (;;) {
		if (r->state == ST_DONE)
			return XY_OK;
		c = skip_ws(r, &rc, err);
		if (rc)
			return rc;
		if (r->state == ST_AFTER) {
			if (c == ',') {
				r->in_pos++;
				r->state = ST_ELEMENT;
				continue;
			}
			if (c != ']')
				return c < 0 ? truncated(r, err)
				             : xy_error_at(err, XY_ERR_FORMAT, r->path, 0, NULL,
				                           "expected ',' or ']' after element %ld "
				                           "at byte %" PRIu64,
				                           r->index, offset_now(r));
		}
		if (c < 0)
			return truncated(r, err);
		if (c == ']') { /* end of the array (a trailing comma is forgiven) */
			r->in_pos++;
			r->state = ST_DONE;
			c = skip_ws(r, &rc, err);
			if (rc)
				return rc;
			if (c >= 0)
				return xy_error_at(err, XY_ERR_FORMAT, r->path, 0, NULL,
				                   "garbage after the closing ']' at byte %" PRIu64,
				                   offset_now(r));
			return XY_OK;
		}
		if (c == ',')
			return xy_error_at(err, XY_ERR_FORMAT, r->path, 0, NULL,
			                   "unexpected ',' at byte %" PRIu64 " (missing element)",
			                   offset_now(r));
		if ((rc = scan_element(r, err)))
			return rc;
		r->index++;
		r->state = ST_AFTER;
		if ((rc = build_row(r, &new_keys, &empty)))
			return xy_error_at(err, rc, r->path, r->index, NULL, "out of memory");
		finish_row(r);
		if (new_keys) {
			header_row(r);
			r->pending = !empty;
			*row = &r->hrow;
			return XY_OK;
		}
		if (!empty) {
			*row = &r->row;
			return XY_OK;
		}
	}
}

static uint64_t json_offset(const void *impl)
{
	return offset_now(impl);
}

static xy_encoding json_encoding(const void *impl)
{
	(void)impl;
	return XY_ENC_UTF8;
}

static void json_reader_free(void *impl)
{
	json_reader *r = impl;
	if (!r)
		return;
	if (r->f)
		fclose(r->f);
	for (size_t i = 0; i < r->nkeys; i++)
		free(r->keys[i]);
	free(r->keys);
	free(r->keylens);
	json_decref(r->keyidx);
	xy_buf_release(&r->elem);
	xy_buf_release(&r->text);
	free(r->offs);
	free(r->lens);
	free(r->cells);
	free(r->in);
	free(r->path);
	free(r);
}

static const xy_reader_ops json_ops = {
    .next = json_next,
    .offset = json_offset,
    .encoding = json_encoding,
    .free = json_reader_free,
};

xy_code xy__json_open(void **impl, const xy_reader_ops **ops, const char *path,
                      const xy_reader_opts *opts, xy_error *err)
{
	json_reader *r = calloc(1, sizeof *r);
	xy_code rc = XY_OK;
	int c;

	*impl = NULL;
	if (!r)
		return xy_error_set(err, XY_ERR_NOMEM, "out of memory");
	r->max_cell = opts && opts->max_cell ? opts->max_cell : XY_READER_MAX_CELL;
	r->max_columns = opts && opts->max_columns ? opts->max_columns : XY_READER_MAX_COLUMNS;
	xy_buf_init(&r->elem, r->max_cell > SIZE_MAX / 4 ? SIZE_MAX / 4 : r->max_cell * 4);
	xy_buf_init(&r->text, 0);
	r->row.problem_col = -1;
	r->path = strdup(path);
	r->in = malloc(CHUNK);
	r->keyidx = json_object();
	if (!r->path || !r->in || !r->keyidx) {
		rc = xy_error_set(err, XY_ERR_NOMEM, "out of memory");
		goto fail;
	}
	if (!(r->f = fopen(path, "rb"))) {
		rc = xy_error_at(err, XY_ERR_IO, path, 0, NULL, "cannot open: %s", strerror(errno));
		goto fail;
	}
	if ((rc = fill(r, err)))
		goto fail;
	if (r->in_len >= 3 && memcmp(r->in, "\xEF\xBB\xBF", 3) == 0)
		r->in_pos = 3;
	c = skip_ws(r, &rc, err);
	if (rc)
		goto fail;
	if (c != '[') {
		rc = c < 0 ? xy_error_at(err, XY_ERR_FORMAT, path, 0, NULL,
		                         "not a JSON array: the file is empty")
		           : xy_error_at(err, XY_ERR_FORMAT, path, 0, NULL,
		                         "not a JSON array: expected '[' at byte %" PRIu64,
		                         offset_now(r));
		goto fail;
	}
	r->in_pos++;
	r->state = ST_ELEMENT;
	*impl = r;
	*ops = &json_ops;
	return XY_OK;
fail:
	json_reader_free(r);
	return rc;
}

/* ---- writer ----
 * By hand with xy_buf_addjson rather than jansson: a report row is written
 * once, so building a json_t object per row (hash table, copies of every key
 * and value) buys nothing; by hand the keys keep the header's order and
 * duplicate column names can be made unique first. */

typedef struct json_writer {
	FILE *f;
	char *path;
	xy_buf names; /* header names as JSON string literals, each NUL-terminated */
	size_t *name_offs;
	size_t nnames;
	xy_buf line;
	bool any;
} json_writer;

static bool name_taken(const char *const *names, size_t n, const char *s)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(names[i], s) == 0)
			return true;
	return false;
}

static xy_code jsonw_header(void *impl, size_t ncols, const char *const *names, xy_error *err)
{
	json_writer *w = impl;
	const char **uniq = calloc(ncols ? ncols : 1, sizeof *uniq);
	char **owned = calloc(ncols ? ncols : 1, sizeof *owned);
	size_t *offs = realloc(w->name_offs, (ncols ? ncols : 1) * sizeof *offs);
	xy_code rc = XY_OK;

	if (offs)
		w->name_offs = offs;
	if (!uniq || !owned || !offs) {
		rc = xy_error_set(err, XY_ERR_NOMEM, "out of memory");
		goto out;
	}
	/* JSON keys must be unique: a repeated column name becomes "name_2" … */
	for (size_t i = 0; i < ncols; i++) {
		uniq[i] = names[i] ? names[i] : "";
		for (unsigned k = 2; name_taken(uniq, i, uniq[i]); k++) {
			size_t len = strlen(names[i] ? names[i] : "") + 16;
			free(owned[i]);
			if (!(owned[i] = malloc(len))) {
				rc = xy_error_set(err, XY_ERR_NOMEM, "out of memory");
				goto out;
			}
			snprintf(owned[i], len, "%s_%u", names[i] ? names[i] : "", k);
			uniq[i] = owned[i];
		}
	}
	xy_buf_reset(&w->names);
	for (size_t i = 0; i < ncols; i++) {
		w->name_offs[i] = w->names.len;
		if ((rc = xy_buf_addjson(&w->names, uniq[i], strlen(uniq[i]))) ||
		    (rc = xy_buf_addch(&w->names, '\0'))) {
			rc = xy_error_set(err, rc, "out of memory");
			goto out;
		}
	}
	w->nnames = ncols;
out:
	for (size_t i = 0; owned && i < ncols; i++)
		free(owned[i]);
	free(owned);
	free(uniq);
	return rc;
}

static xy_code jsonw_row(void *impl, size_t ncells, const char *const *cells, const size_t *lens,
                         xy_error *err)
{
	json_writer *w = impl;
	xy_buf *b = &w->line;
	xy_code rc = XY_OK;

	xy_buf_reset(b);
	rc = xy_buf_addstr(b, w->any ? ",\n{" : "[\n{");
	for (size_t i = 0; !rc && i < ncells; i++) {
		if (i)
			rc = xy_buf_addch(b, ',');
		if (!rc && i < w->nnames)
			rc = xy_buf_addstr(b, w->names.data + w->name_offs[i]);
		else if (!rc) /* more cells than header names */
			rc = xy_buf_addf(b, "\"第%zu列\"", i + 1);
		if (!rc)
			rc = xy_buf_addch(b, ':');
		if (!rc)
			rc = xy_buf_addjson(b, cells[i] ? cells[i] : "", cells[i] ? lens[i] : 0);
	}
	if (!rc)
		rc = xy_buf_addch(b, '}');
	if (rc)
		return xy_error_set(err, rc, "out of memory");
	if (fwrite(b->data, 1, b->len, w->f) != b->len)
		return xy_error_at(err, XY_ERR_IO, w->path, 0, NULL, "write failed: %s",
		                   strerror(errno));
	w->any = true;
	return XY_OK;
}

static void json_writer_free(json_writer *w)
{
	xy_buf_release(&w->names);
	xy_buf_release(&w->line);
	free(w->name_offs);
	free(w->path);
	free(w);
}

static xy_code jsonw_close(void *impl, xy_error *err)
{
	json_writer *w = impl;
	const char *tail = w->any ? "\n]\n" : "[]\n";
	xy_code rc = XY_OK;
	if (fputs(tail, w->f) == EOF || fflush(w->f) != 0 || ferror(w->f))
		rc = xy_error_at(err, XY_ERR_IO, w->path, 0, NULL, "write failed: %s",
		                 strerror(errno));
	if (fclose(w->f) != 0 && !rc)
		rc = xy_error_at(err, XY_ERR_IO, w->path, 0, NULL, "close failed: %s",
		                 strerror(errno));
	json_writer_free(w);
	return rc;
}

static const xy_writer_ops json_writer_ops = {
    .header = jsonw_header,
    .row = jsonw_row,
    .close = jsonw_close,
};

xy_code xy__json_writer_open(void **impl, const xy_writer_ops **ops, const char *path,
                             xy_error *err)
{
	json_writer *w = calloc(1, sizeof *w);
	*impl = NULL;
	if (!w)
		return xy_error_set(err, XY_ERR_NOMEM, "out of memory");
	xy_buf_init(&w->names, 0);
	xy_buf_init(&w->line, 0);
	if (!(w->path = strdup(path))) {
		json_writer_free(w);
		return xy_error_set(err, XY_ERR_NOMEM, "out of memory");
	}
	if (!(w->f = fopen(path, "wb"))) {
		xy_code rc = xy_error_at(err, XY_ERR_IO, path, 0, NULL, "cannot create: %s",
		                         strerror(errno));
		json_writer_free(w);
		return rc;
	}
	*impl = w;
	*ops = &json_writer_ops;
	return XY_OK;
}
