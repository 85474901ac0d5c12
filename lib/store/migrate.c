/* xinyong: copying a whole database into another backend's (store.h,
 * xy_store_migrate; `xinyong migrate`, docs/postgresql.md).
 *
 * The target's schema decides what is copied: its data tables in its load
 * order, with its columns.  The source must have every one of them and no
 * data table the target lacks (that data would be lost).  Each value is
 * converted to the target column's class (an integer into a text column
 * becomes its decimal digits, a blob into a text column its lowercase hex:
 * how the PostgreSQL backend keeps the keyed hashes SQLite keeps as blobs),
 * loaded, and fed to a SHA-256 of the table in the same converted form; the
 * table is then read back from the target and hashed again.  Row counts and
 * hashes must agree for every table before the one transaction commits.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "xinyong/buf.h"
#include "xinyong/store.h"
#include "backend.h"
#include "raw.h"

#define NOMEM() xy_error_set(err, XY_ERR_NOMEM, "out of memory")

typedef struct {
	char *name;
	xy__raw_column *cols;
	size_t ncols;
} table_def;

typedef struct {
	table_def *v;
	size_t n, cap;
	bool nomem;
} table_list;

static void columns_release(xy__raw_column *cols, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(cols[i].name);
	free(cols);
}

static void tables_release(table_list *l)
{
	for (size_t i = 0; i < l->n; i++) {
		free(l->v[i].name);
		columns_release(l->v[i].cols, l->v[i].ncols);
	}
	free(l->v);
	memset(l, 0, sizeof *l);
}

static int table_add(void *ctx, const char *table, const xy__raw_column *cols, size_t ncols)
{
	table_list *l = ctx;
	table_def *t;
	if (l->n == l->cap) {
		size_t cap = l->cap ? 2 * l->cap : 64;
		table_def *v = realloc(l->v, cap * sizeof *v);
		if (!v)
			goto nomem;
		l->v = v;
		l->cap = cap;
	}
	t = &l->v[l->n];
	memset(t, 0, sizeof *t);
	if (!(t->name = strdup(table)) || (ncols && !(t->cols = calloc(ncols, sizeof *t->cols)))) {
		free(t->name);
		goto nomem;
	}
	l->n++;
	for (size_t i = 0; i < ncols; i++, t->ncols++) {
		t->cols[i].type = cols[i].type;
		if (!(t->cols[i].name = strdup(cols[i].name)))
			goto nomem;
	}
	return 0;
nomem:
	l->nomem = true;
	return 1;
}

static const table_def *table_find(const table_list *l, const char *name)
{
	for (size_t i = 0; i < l->n; i++)
		if (!strcmp(l->v[i].name, name))
			return &l->v[i];
	return NULL;
}

static const char *class_name(xy__raw_type t)
{
	static const char *const names[] = { "null", "integer", "real", "text", "blob" };
	return names[t];
}

/* ---- one table's copy ---- */

typedef struct {
	xy_store *to;
	const table_def *t;
	xy_buf *scratch; /* one per column: converted text */
	xy__raw_value *out;
	crypto_hash_sha256_state sha;
	int64_t rows;
	bool load; /* hash and load (the source's walk), or hash only (the read-back) */
	xy_code rc;
	xy_error *err;
} copy_ctx;

static bool parse_int(const char *p, size_t n, int64_t *out)
{
	char *end;
	char tmp[32];
	if (!n || n >= sizeof tmp)
		return false;
	memcpy(tmp, p, n);
	tmp[n] = '\0';
	*out = strtoll(tmp, &end, 10);
	return *end == '\0';
}

/* in converted to the class `to` into *out (text kept in scratch) */
static xy_code convert(const xy__raw_value *in, xy__raw_type to, xy__raw_value *out,
		       xy_buf *scratch, const char *table, const char *col, int64_t row,
		       xy_error *err)
{
	static const char hex[] = "0123456789abcdef";
	*out = *in;
	if (in->type == XY_RAW_NULL || in->type == to)
		return XY_OK;
	xy_buf_reset(scratch);
	out->type = to;
	switch (to) {
	case XY_RAW_INT:
		/* in range before the cast (out of it the cast is undefined) */
		if (in->type == XY_RAW_REAL && in->d >= -9.2e18 && in->d <= 9.2e18 &&
		    in->d == (double)(int64_t)in->d) {
			out->i = (int64_t)in->d;
			return XY_OK;
		}
		if (in->type == XY_RAW_TEXT && parse_int(in->p, in->n, &out->i))
			return XY_OK;
		break;
	case XY_RAW_REAL:
		if (in->type == XY_RAW_INT) {
			out->d = (double)in->i;
			return XY_OK;
		}
		if (in->type == XY_RAW_TEXT) {
			char *end;
			if (xy_buf_add(scratch, in->p, in->n) || xy_buf_addch(scratch, '\0'))
				return NOMEM();
			out->d = strtod(scratch->data, &end);
			if (in->n && *end == '\0')
				return XY_OK;
		}
		break;
	case XY_RAW_TEXT:
		if (in->type == XY_RAW_INT && xy_buf_addf(scratch, "%" PRId64, in->i))
			return NOMEM();
		if (in->type == XY_RAW_REAL && xy_buf_addf(scratch, "%.17g", in->d))
			return NOMEM();
		if (in->type == XY_RAW_BLOB)
			for (size_t i = 0; i < in->n; i++) {
				unsigned char b = (unsigned char)in->p[i];
				if (xy_buf_addch(scratch, hex[b >> 4]) ||
				    xy_buf_addch(scratch, hex[b & 15]))
					return NOMEM();
			}
		out->p = scratch->len ? scratch->data : "";
		out->n = scratch->len;
		return XY_OK;
	case XY_RAW_BLOB:
		if (in->type == XY_RAW_TEXT)
			return XY_OK; /* the same bytes */
		break;
	case XY_RAW_NULL:
		break;
	}
	return xy_error_at(err, XY_ERR_INVALID, NULL, (long)row, col,
			   "%s.%s, row %" PRId64 ": a %s value does not fit the target's %s column",
			   table, col, row, class_name(in->type), class_name(to));
}

/* The row into the table's hash: per value a class letter, its length and
 * its bytes (integers and reals as their text), NULL as one letter. */
static void hash_row(crypto_hash_sha256_state *sha, const xy__raw_value *v, size_t n)
{
	char num[40];
	for (size_t i = 0; i < n; i++) {
		const unsigned char *p = (const unsigned char *)v[i].p;
		uint64_t len = v[i].n;
		unsigned char tag = (unsigned char)"NirtB"[v[i].type];
		crypto_hash_sha256_update(sha, &tag, 1);
		if (v[i].type == XY_RAW_NULL)
			continue;
		if (v[i].type == XY_RAW_INT || v[i].type == XY_RAW_REAL) {
			int k = v[i].type == XY_RAW_INT
					? snprintf(num, sizeof num, "%" PRId64, v[i].i)
					: snprintf(num, sizeof num, "%.17g", v[i].d);
			p = (const unsigned char *)num;
			len = (uint64_t)k;
		}
		unsigned char l8[8];
		for (int b = 0; b < 8; b++)
			l8[b] = (unsigned char)(len >> (8 * b));
		crypto_hash_sha256_update(sha, l8, 8);
		crypto_hash_sha256_update(sha, p, len);
	}
}

static int copy_row(void *ctx, const xy__raw_value *vals, size_t n)
{
	copy_ctx *c = ctx;
	c->rows++;
	if (n != c->t->ncols) {
		c->rc = xy_error_set(c->err, XY_ERR_STORE, "%s: %zu values in a row of %zu columns",
				     c->t->name, n, c->t->ncols);
		return 1;
	}
	for (size_t i = 0; i < n; i++)
		if ((c->rc = convert(&vals[i], c->t->cols[i].type, &c->out[i], &c->scratch[i],
				     c->t->name, c->t->cols[i].name, c->rows, c->err)))
			return 1;
	hash_row(&c->sha, c->out, n);
	if (c->load && (c->rc = c->to->ops->raw->load_row(c->to, c->out, n, c->err)))
		return 1;
	return 0;
}

static void sha_hex(crypto_hash_sha256_state *sha, char out[65])
{
	unsigned char d[crypto_hash_sha256_BYTES];
	crypto_hash_sha256_final(sha, d);
	sodium_bin2hex(out, 65, d, sizeof d);
}

/* Walk table t of s (into `to` when load), hashing; rows and hash out. */
static xy_code walk(xy_store *s, xy_store *to, const table_def *t, bool load, int64_t *rows,
		    char hex[65], xy_error *err)
{
	copy_ctx c = { .to = to, .t = t, .load = load, .err = err };
	xy_code rc;
	c.scratch = calloc(t->ncols ? t->ncols : 1, sizeof *c.scratch);
	c.out = calloc(t->ncols ? t->ncols : 1, sizeof *c.out);
	if (!c.scratch || !c.out) {
		free(c.scratch);
		free(c.out);
		return NOMEM();
	}
	crypto_hash_sha256_init(&c.sha);
	rc = s->ops->raw->rows(s, t->name, t->cols, t->ncols, copy_row, &c, err);
	if (!rc)
		rc = c.rc;
	for (size_t i = 0; i < t->ncols; i++)
		xy_buf_release(&c.scratch[i]);
	free(c.scratch);
	free(c.out);
	*rows = c.rows;
	sha_hex(&c.sha, hex);
	return rc;
}

static int stop_at_first(void *ctx, const xy__raw_value *vals, size_t n)
{
	(void)vals;
	(void)n;
	*(bool *)ctx = true;
	return 1;
}

/* XY_ERR_CONFLICT when table (if the target has it) has a row */
static xy_code must_be_empty(xy_store *to, const table_list *tl, const char *table,
			     xy_error *err)
{
	const table_def *t = table_find(tl, table);
	bool any = false;
	xy_code rc;
	if (!t || !t->ncols)
		return XY_OK;
	if ((rc = to->ops->raw->rows(to, t->name, t->cols, 1, stop_at_first, &any, err)))
		return rc;
	if (any)
		return xy_error_set(err, XY_ERR_CONFLICT,
				    "the target database holds data already (its table %s has rows):"
				    " migrate into a new, empty database",
				    table);
	return XY_OK;
}

/* Every source table the target has, with the same columns. */
static xy_code same_shape(const table_list *src, const table_list *dst, xy_error *err)
{
	for (size_t i = 0; i < src->n; i++) {
		const table_def *s = &src->v[i], *d = table_find(dst, s->name);
		if (!d)
			return xy_error_set(err, XY_ERR_INVALID,
					    "the target has no table %s: its rows would be lost",
					    s->name);
		for (size_t j = 0; j < s->ncols; j++) {
			bool found = false;
			for (size_t k = 0; k < d->ncols && !found; k++)
				found = !strcmp(s->cols[j].name, d->cols[k].name);
			if (!found)
				return xy_error_set(err, XY_ERR_INVALID,
						    "the target's table %s has no column %s: its"
						    " values would be lost",
						    s->name, s->cols[j].name);
		}
	}
	for (size_t i = 0; i < dst->n; i++) {
		const table_def *d = &dst->v[i], *s = table_find(src, d->name);
		if (!s)
			return xy_error_set(err, XY_ERR_INVALID, "the source has no table %s",
					    d->name);
		for (size_t k = 0; k < d->ncols; k++) {
			bool found = false;
			for (size_t j = 0; j < s->ncols && !found; j++)
				found = !strcmp(s->cols[j].name, d->cols[k].name);
			if (!found)
				return xy_error_set(err, XY_ERR_INVALID,
						    "the source's table %s has no column %s",
						    d->name, d->cols[k].name);
		}
	}
	return XY_OK;
}

xy_code xy_store_migrate(xy_store *from, xy_store *to, xy_migrate_fn progress, void *ctx,
			 xy_error *err)
{
	table_list src = { 0 }, dst = { 0 };
	bool in_read = false, in_tx = false;
	xy_code rc;
	int vf, vt;
	if (!from || !to)
		return xy_error_set(err, XY_ERR_ARG, "xy_store_migrate: two databases are needed");
	if (!from->ops->raw || !to->ops->raw)
		return xy_error_set(err, XY_ERR_UNSUPPORTED, "migrate: a backend cannot copy tables");
	if (xy_store_schema_version(from) != xy_store_schema_version(to)) {
		vf = xy_store_schema_version(from);
		vt = xy_store_schema_version(to);
		return xy_error_set(err, XY_ERR_INVALID,
				    "the source's schema is version %d (%s) and the target's %d (%s):"
				    " both must be at the same version (the same xinyong)",
				    vf, xy_store_backend(from), vt, xy_store_backend(to));
	}
	if ((rc = to->ops->raw->tables(to, table_add, &dst, err)) ||
	    (rc = from->ops->raw->tables(from, table_add, &src, err)))
		goto done;
	if (src.nomem || dst.nomem) {
		rc = NOMEM();
		goto done;
	}
	if ((rc = same_shape(&src, &dst, err)))
		goto done;
	if ((rc = xy_store_read_begin(from, err)))
		goto done;
	in_read = true;
	if ((rc = xy_store_begin(to, true, err)))
		goto done;
	in_tx = true;
	if ((rc = must_be_empty(to, &dst, "subjects", err)) ||
	    (rc = must_be_empty(to, &dst, "batches", err)) ||
	    (rc = must_be_empty(to, &dst, "audit_log", err)) ||
	    (rc = to->ops->raw->clear(to, err)))
		goto done;
	for (size_t i = 0; i < dst.n; i++) {
		const table_def *t = &dst.v[i];
		int64_t n_src = 0, n_dst = 0;
		char h_src[65], h_dst[65];
		if ((rc = to->ops->raw->load_begin(to, t->name, t->cols, t->ncols, err)))
			goto done;
		rc = walk(from, to, t, true, &n_src, h_src, err);
		if (rc) {
			to->ops->raw->load_end(to, false, NULL);
			goto done;
		}
		if ((rc = to->ops->raw->load_end(to, true, err)) ||
		    (rc = walk(to, NULL, t, false, &n_dst, h_dst, err)))
			goto done;
		if (n_src != n_dst || strcmp(h_src, h_dst)) {
			rc = xy_error_set(err, XY_ERR_STORE,
					  "%s: the copy differs from the source (%" PRId64
					  " rows, SHA-256 %.16s…; read back %" PRId64
					  " rows, %.16s…): nothing was kept",
					  t->name, n_src, h_src, n_dst, h_dst);
			goto done;
		}
		if (progress) {
			xy_migrate_table r = { .table = t->name, .rows = n_src, .sha256 = h_src };
			progress(ctx, &r);
		}
	}
	/* the copied checks of months without a partition wait in the default
	 * one: their months' partitions are made (PostgreSQL), in this
	 * transaction, before the commit */
	if ((rc = xy_store_partitions(to, 3, NULL, NULL, err)))
		goto done;
	rc = xy_store_commit(to, err);
	in_tx = false;
done:
	if (in_tx)
		xy_store_rollback(to, NULL);
	if (in_read)
		xy_store_read_end(from);
	tables_release(&src);
	tables_release(&dst);
	return rc;
}

/* ---- shared by the backends (raw.h) ---- */

bool xy__raw_name_ok(const char *name)
{
	if (!*name)
		return false;
	for (const char *p = name; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '_'))
			return false;
	return true;
}

xy_code xy__raw_select(xy_buf *sql, const char *table, const char *from,
		       const xy__raw_column *cols, size_t n, const char *text_order,
		       const char *nulls_first, xy_error *err)
{
	bool by_id = n && !strcmp(cols[0].name, "id");
	xy_code rc;
	if (!xy__raw_name_ok(table))
		return xy_error_set(err, XY_ERR_INVALID, "migrate: table %s: a name SQL cannot hold",
				    table);
	for (size_t i = 0; i < n; i++)
		if (!xy__raw_name_ok(cols[i].name))
			return xy_error_set(err, XY_ERR_INVALID,
					    "migrate: %s.%s: a name SQL cannot hold", table,
					    cols[i].name);
	xy_buf_reset(sql);
	rc = xy_buf_addstr(sql, "SELECT ");
	for (size_t i = 0; i < n && !rc; i++)
		rc = xy_buf_addf(sql, "%s\"%s\"", i ? ", " : "", cols[i].name);
	if (!rc)
		rc = from ? xy_buf_addf(sql, " FROM %s", from)
			  : xy_buf_addf(sql, " FROM \"%s\"", table);
	for (size_t i = 0; i < (by_id ? 1 : n) && !rc; i++)
		rc = xy_buf_addf(sql, "%s\"%s\"%s%s", i ? ", " : " ORDER BY ", cols[i].name,
				 cols[i].type == XY_RAW_TEXT ? text_order : "", nulls_first);
	return rc ? NOMEM() : XY_OK;
}
