/* JSON: streaming reader for flat objects, and the JSON writer for error
 * reports.
 *
 * Accepted layouts: a top-level array; an object wrapping the array under
 * rows/data/list/records/result/items, directly or one level down
 * ({"data":{"list":[…]}}; other members such as total/code/msg are skipped);
 * NDJSON (one object per line).  Every element is a row: one that is not a
 * usable object comes back with `problem` set.
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
enum { MODE_ARRAY, MODE_NDJSON };

/* Problem rows met before any object gave a header are held back (the
 * importer maps the header first) and handed out right after it. */
#define MAX_DEFERRED 1000

typedef struct deferred {
	long line;
	char *en, *zh;
} deferred;

typedef struct json_reader {
	FILE *f;
	char *path;
	unsigned char *in;
	size_t in_len, in_pos;
	uint64_t read_total;
	bool eof;
	size_t max_cell, max_columns;
	int state;
	int mode;       /* MODE_ARRAY (also inside an envelope) or MODE_NDJSON */
	int env_depth;  /* objects open around the array (0, 1 or 2) */
	long index;     /* elements seen */
	long nl;        /* newlines seen (NDJSON row numbers) */
	long elem_line; /* line where the current element starts */
	bool elem_cut;  /* NDJSON: the element ended at a newline, unfinished */

	deferred *def;
	size_t ndef, defcap, def_out;
	bool flushing, header_sent;
	xy_row drow;

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
	while ((c = peek(r, rc, err)) >= 0 && is_ws(c)) {
		if (c == '\n')
			r->nl++;
		r->in_pos++;
	}
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

/* Read one element into r->elem; the first byte is not whitespace.  In NDJSON
 * mode a newline outside a finished element ends it (r->elem_cut), as does
 * the end of the file: the line becomes a row with a problem. */
static xy_code scan_element(json_reader *r, xy_error *err)
{
	size_t depth = 0, num = SIZE_MAX;
	bool in_str = false, esc = false, nd = r->mode == MODE_NDJSON;
	xy_code rc = XY_OK;
	int c;

	xy_buf_reset(&r->elem);
	r->elem_over = false;
	r->elem_cut = false;
	r->elem_line = r->nl + 1;
	for (;;) {
		if ((c = peek(r, &rc, err)) < 0) {
			if (rc)
				return rc;
			if (nd || (depth == 0 && !in_str && r->elem.len + r->elem_over > 0)) {
				if (num != SIZE_MAX)
					close_number(r, num);
				r->elem_cut = depth > 0 || in_str;
				return XY_OK;
			}
			return truncated(r, err);
		}
		if (nd && c == '\n' && (in_str || depth > 0)) {
			r->elem_cut = true; /* not consumed: the caller counts the line */
			return XY_OK;
		}
		if (in_str && !esc && c != '"' && c != '\\') {
			/* fast path: the run of plain string bytes in this chunk */
			size_t end = r->in_pos + 1;
			if (nd)
				while (end < r->in_len && r->in[end] != '"' && r->in[end] != '\\' &&
				       r->in[end] != '\n')
					end++;
			else
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
		    (c == ',' || c == ']' || c == '}' || c == ':' || is_ws(c)))
			return XY_OK; /* end of a scalar element; c is not consumed */
		r->in_pos++;
		if (c == '\n')
			r->nl++;
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
	r->hrow.line = r->mode == MODE_NDJSON ? r->elem_line : r->index;
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
	if (r->elem_cut) {
		set_problem(r, -1, "incomplete JSON object on this line",
		            "该行的 JSON 对象不完整");
		return XY_OK;
	}
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
	if (json_object_size(obj) == 0) {
		set_problem(r, -1, "empty object {}", "空对象 {}");
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
	if (*empty)
		set_problem(r, -1, "every value of the object is empty",
		            "空对象：所有字段的值都为空");
	*empty = false; /* every element is a row */
out:
	json_decref(obj);
	return rc;
}

static void finish_row(json_reader *r)
{
	for (size_t i = 0; i < r->ncells; i++)
		r->cells[i] = r->text.data + r->offs[i];
	r->row.line = r->mode == MODE_NDJSON ? r->elem_line : r->index;
	r->row.sheet = NULL;
	r->row.is_header = false;
	r->row.ncells = r->ncells;
	r->row.cells = r->cells;
	r->row.lens = r->lens;
	r->row.problem = r->has_problem ? r->problem : NULL;
	r->row.problem_zh = r->has_problem ? r->problem_zh : NULL;
}

static const char *const no_cells[1] = {""};
static const size_t no_lens[1] = {0};

static void defer_free(json_reader *r)
{
	for (size_t i = 0; i < r->ndef; i++) {
		free(r->def[i].en);
		free(r->def[i].zh);
	}
	r->ndef = r->def_out = 0;
	r->flushing = false;
}

/* Hold back r->row (a problem row before any header). */
static xy_code defer_row(json_reader *r, xy_error *err)
{
	deferred *d;
	if (r->ndef == MAX_DEFERRED)
		return xy_error_at(err, XY_ERR_FORMAT, r->path, r->row.line, NULL,
		                   "none of the first %d elements is an object with values: "
		                   "not a list of records (前%d个元素都不是有效的记录对象)",
		                   MAX_DEFERRED, MAX_DEFERRED);
	if (!(d = xy_array_grow(r->def, r->ndef, &r->defcap, sizeof *d, 8)))
		return xy_error_set(err, XY_ERR_NOMEM, "out of memory");
	r->def = d;
	d = &r->def[r->ndef];
	d->line = r->row.line;
	d->en = strdup(r->row.problem);
	d->zh = strdup(r->row.problem_zh);
	r->ndef++;
	if (!d->en || !d->zh)
		return xy_error_set(err, XY_ERR_NOMEM, "out of memory");
	return XY_OK;
}

static const xy_row *deferred_row(json_reader *r)
{
	const deferred *d = &r->def[r->def_out++];
	r->drow.line = d->line;
	r->drow.sheet = NULL;
	r->drow.is_header = false;
	r->drow.ncells = 0;
	r->drow.cells = no_cells;
	r->drow.lens = no_lens;
	r->drow.problem = d->en;
	r->drow.problem_zh = d->zh;
	r->drow.problem_col = -1;
	return &r->drow;
}

static xy_code expect_char(json_reader *r, int want, xy_error *err)
{
	xy_code rc = XY_OK;
	int c = skip_ws(r, &rc, err);
	if (rc)
		return rc;
	if (c < 0)
		return truncated(r, err);
	if (c != want)
		return xy_error_at(err, XY_ERR_FORMAT, r->path, 0, NULL,
		                   "expected '%c' at byte %" PRIu64, want, offset_now(r));
	r->in_pos++;
	return XY_OK;
}

/* Read a member name (the next token, a string); *wrapper says it is one of
 * the keys an envelope puts its records under. */
static xy_code read_key(json_reader *r, bool *wrapper, xy_error *err)
{
	static const char *const wrappers[] = {"rows",   "data",  "list",
	                                       "records", "result", "items"};
	uint64_t at = offset_now(r);
	xy_code rc;
	json_t *k;

	*wrapper = false;
	if ((rc = scan_element(r, err)))
		return rc;
	if (r->elem_over || r->elem_cut || !r->elem.len || r->elem.data[0] != '"' ||
	    !(k = json_loadb(r->elem.data, r->elem.len, JSON_DECODE_ANY, NULL)))
		return xy_error_at(err, XY_ERR_FORMAT, r->path, 0, NULL,
		                   "expected a member name at byte %" PRIu64, at);
	for (size_t i = 0; i < sizeof wrappers / sizeof *wrappers; i++)
		if (strcmp(json_string_value(k), wrappers[i]) == 0)
			*wrapper = true;
	json_decref(k);
	return XY_OK;
}

/* Skip a member value (bounded: scan_element stops keeping bytes past its
 * limit but goes on scanning). */
static xy_code skip_value(json_reader *r, xy_error *err)
{
	xy_code rc = XY_OK;
	int c = skip_ws(r, &rc, err);
	if (rc)
		return rc;
	if (c < 0)
		return truncated(r, err);
	return scan_element(r, err);
}

/* After '{' of an envelope at `level` (0 or 1): look for a wrapper member
 * whose value is an array, consuming its '['; or consume the whole object and
 * leave *found false. */
static xy_code find_array(json_reader *r, int level, bool *found, xy_error *err)
{
	xy_code rc = XY_OK;
	bool wrap;
	int c;

	*found = false;
	c = skip_ws(r, &rc, err);
	if (!rc && c == '}') {
		r->in_pos++;
		return XY_OK;
	}
	for (;;) {
		if (rc)
			return rc;
		if (c < 0)
			return truncated(r, err);
		if (c != '"')
			return xy_error_at(err, XY_ERR_FORMAT, r->path, 0, NULL,
			                   "expected a member name at byte %" PRIu64, offset_now(r));
		if ((rc = read_key(r, &wrap, err)) || (rc = expect_char(r, ':', err)))
			return rc;
		c = skip_ws(r, &rc, err);
		if (rc)
			return rc;
		if (wrap && c == '[') {
			r->in_pos++;
			r->env_depth = level + 1;
			*found = true;
			return XY_OK;
		}
		if (wrap && c == '{' && level == 0) {
			r->in_pos++;
			if ((rc = find_array(r, 1, found, err)) || *found)
				return rc;
		} else if ((rc = skip_value(r, err))) {
			return rc;
		}
		c = skip_ws(r, &rc, err);
		if (rc)
			return rc;
		if (c == '}') {
			r->in_pos++;
			return XY_OK;
		}
		if (c != ',')
			return c < 0 ? truncated(r, err)
			             : xy_error_at(err, XY_ERR_FORMAT, r->path, 0, NULL,
			                           "expected ',' or '}' at byte %" PRIu64,
			                           offset_now(r));
		r->in_pos++;
		c = skip_ws(r, &rc, err);
	}
}

/* After the array of an envelope: the remaining members of each enclosing
 * object are skipped, then its '}'. */
static xy_code close_envelope(json_reader *r, xy_error *err)
{
	xy_code rc = XY_OK;
	bool wrap;
	int c;

	while (r->env_depth > 0) {
		c = skip_ws(r, &rc, err);
		while (!rc && c == ',') {
			r->in_pos++;
			c = skip_ws(r, &rc, err);
			if (rc)
				return rc;
			if (c != '"')
				return c < 0 ? truncated(r, err)
				             : xy_error_at(err, XY_ERR_FORMAT, r->path, 0, NULL,
				                           "expected a member name at byte %" PRIu64,
				                           offset_now(r));
			if ((rc = read_key(r, &wrap, err)) || (rc = expect_char(r, ':', err)) ||
			    (rc = skip_value(r, err)))
				return rc;
			c = skip_ws(r, &rc, err);
		}
		if (rc)
			return rc;
		if (c != '}')
			return c < 0 ? truncated(r, err)
			             : xy_error_at(err, XY_ERR_FORMAT, r->path, 0, NULL,
			                           "expected ',' or '}' at byte %" PRIu64,
			                           offset_now(r));
		r->in_pos++;
		r->env_depth--;
	}
	return XY_OK;
}

static xy_code json_next(void *impl, const xy_row **row, xy_error *err)
{
	json_reader *r = impl;
	xy_code rc = XY_OK;
	bool new_keys, empty;
	int c;

	*row = NULL;
	if (r->flushing) {
		if (r->def_out < r->ndef) {
			*row = deferred_row(r);
			return XY_OK;
		}
		defer_free(r);
	}
	if (r->pending) {
		r->pending = false;
		*row = &r->row;
		return XY_OK;
	}
	for (;;) {
		if (r->state == ST_DONE) {
			if (r->ndef) { /* no element ever gave a header */
				r->flushing = true;
				*row = deferred_row(r);
			}
			return XY_OK;
		}
		c = skip_ws(r, &rc, err);
		if (rc)
			return rc;
		if (r->mode == MODE_NDJSON) {
			if (c < 0) {
				r->state = ST_DONE;
				continue;
			}
			if (r->state == ST_AFTER && c == ',') { /* "…},\n{…}": forgiven */
				r->in_pos++;
				r->state = ST_ELEMENT;
				continue;
			}
		} else {
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
				if ((rc = close_envelope(r, err)))
					return rc;
				c = skip_ws(r, &rc, err);
				if (rc)
					return rc;
				if (c >= 0)
					return xy_error_at(err, XY_ERR_FORMAT, r->path, 0, NULL,
					                   "garbage after the closing ']' at byte %" PRIu64,
					                   offset_now(r));
				continue;
			}
			if (c == ',')
				return xy_error_at(err, XY_ERR_FORMAT, r->path, 0, NULL,
				                   "unexpected ',' at byte %" PRIu64 " (missing element)",
				                   offset_now(r));
		}
		if ((rc = scan_element(r, err)))
			return rc;
		r->index++;
		r->state = ST_AFTER;
		if ((rc = build_row(r, &new_keys, &empty)))
			return xy_error_at(err, rc, r->path, r->index, NULL, "out of memory");
		finish_row(r);
		if (new_keys) {
			header_row(r);
			r->header_sent = true;
			r->pending = true;
			r->flushing = r->ndef > 0;
			*row = &r->hrow;
			return XY_OK;
		}
		if (r->row.problem && !r->header_sent) {
			if ((rc = defer_row(r, err)))
				return rc;
			continue;
		}
		*row = &r->row;
		return XY_OK;
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
	defer_free(r);
	free(r->def);
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
	if (c == '[') {
		r->in_pos++;
	} else if (c == '{') {
		/* An envelope ({"total":3,"rows":[…]}) or NDJSON: look for the array;
		 * a one-line object without one is the first line of NDJSON. */
		uint64_t start = offset_now(r);
		long nl0 = r->nl;
		bool found = false;
		r->in_pos++;
		rc = find_array(r, 0, &found, err);
		if (rc && rc != XY_ERR_FORMAT)
			goto fail;
		if (!found) {
			if (r->nl > nl0) {
				if (!rc)
					rc = xy_error_at(err, XY_ERR_FORMAT, path, 0, NULL,
					                 "a JSON object without an array of records under "
					                 "rows, data, list, records, result or items "
					                 "(JSON 对象中没有记录数组)");
				goto fail;
			}
			*err = (xy_error)XY_ERROR_INIT;
			rc = XY_OK;
			if (fseeko(r->f, (off_t)start, SEEK_SET) != 0) {
				rc = xy_error_at(err, XY_ERR_IO, path, 0, NULL, "seek failed: %s",
				                 strerror(errno));
				goto fail;
			}
			r->in_len = r->in_pos = 0;
			r->read_total = start;
			r->eof = false;
			r->nl = nl0;
			r->env_depth = 0;
			r->mode = MODE_NDJSON;
		}
	} else {
		rc = c < 0 ? xy_error_at(err, XY_ERR_FORMAT, path, 0, NULL,
		                         "not a JSON array: the file is empty")
		           : xy_error_at(err, XY_ERR_FORMAT, path, 0, NULL,
		                         "not a JSON array, object or NDJSON: expected '[' or '{' "
		                         "at byte %" PRIu64,
		                         offset_now(r));
		goto fail;
	}
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
