/* xinyong: whole tables of a PostgreSQL database, read and loaded for a
 * copy between backends (backend.h, struct xy__store_raw_ops;
 * lib/store/migrate.c).  Loading is COPY … FROM STDIN in text format, the
 * fastest way in (https://www.postgresql.org/docs/15/sql-copy.html), in the
 * caller's transaction; reading walks a cursor 10,000 rows at a time, so a
 * table of any size never sits in memory whole. */
#include "pg_int.h"
#include "raw.h"
#include "xinyong/text.h"

#define FETCH_ROWS "10000"
#define COPY_FLUSH (256 * 1024)

struct pg_load {
	xy_buf buf;   /* COPY text not sent yet */
	char *table;
	bool has_id;
	/* records: the column last_batch (record_keys' since schema 24), which
	 * is not sent with the rest, and id; their "id\tlast_batch" lines */
	size_t last, id;
	bool has_last;
	xy_buf last_rows;
	/* a table with a derived column (derived[]): its rows go to
	 * xy_raw_stage, then into the table with the column filled */
	const struct derived *derived;
	xy_buf cols; /* the columns sent, for that INSERT */
};

/* Schema 24 keeps a record's last_batch in record_keys: a copy between
 * backends sees it as a column of records, as SQLite has it, read from
 * there (rows) and put back there (derive_keys). */
#define LAST_BATCH "last_batch"
#define RECORDS_AS_COPIED \
	"(SELECT r.*, k.last_batch FROM records r LEFT JOIN record_keys k ON k.record_id = r.id)" \
	" \"records\""

static bool is_records(const char *table)
{
	return !strcmp(table, "records");
}

/* Schema 25 (pg.c) gives the children of list entries, checks and
 * commitments their parent's subject_id, which another backend does not
 * have: a copy does not see the column, and loading fills it from the
 * parent, which must be loaded first (tables() lists these last; nothing
 * references them). */
static const struct derived {
	const char *table, *column, *value; /* value: of the staged row t */
} derived[] = {
	{ "list_entry_history", "subject_id",
	  "(SELECT e.subject_id FROM list_entries e WHERE e.id = t.entry_id)" },
	{ "feedback", "subject_id", "(SELECT c.subject_id FROM checks c WHERE c.id = t.check_id)" },
	{ "commitment_checks", "subject_id",
	  "(SELECT c.subject_id FROM commitments c WHERE c.id = t.commitment_id)" },
};
#define DERIVED_LAST "c.relname IN ('list_entry_history', 'feedback', 'commitment_checks')"

static const struct derived *derived_of(const char *table, const char *column)
{
	for (size_t i = 0; i < sizeof derived / sizeof derived[0]; i++)
		if (!strcmp(derived[i].table, table) &&
		    (!column || !strcmp(derived[i].column, column)))
			return &derived[i];
	return NULL;
}

/* The column class from format_type(): integers and booleans, floating
 * point and numeric, bytea, everything else as text. */
static xy__raw_type column_class(const char *t)
{
	if (!strcmp(t, "bigint") || !strcmp(t, "integer") || !strcmp(t, "smallint") ||
	    !strcmp(t, "boolean"))
		return XY_RAW_INT;
	if (!strcmp(t, "double precision") || !strcmp(t, "real") || !strncmp(t, "numeric", 7))
		return XY_RAW_REAL;
	if (!strcmp(t, "bytea"))
		return XY_RAW_BLOB;
	return XY_RAW_TEXT;
}

static xy_code columns(xy_store *base, const char *table, bool *exists, xy__raw_table_cb cb,
		       void *ctx, xy_error *err)
{
	pg_store *s = PG(base);
	pq_args a = { .n = 0 };
	PGresult *r = NULL;
	xy__raw_column *cols;
	xy_code rc;
	int n;
	*exists = false;
	a_str(&a, table);
	if ((rc = pq(s, "SELECT a.attname, format_type(a.atttypid, a.atttypmod) FROM pg_attribute a"
			" JOIN pg_class c ON c.oid = a.attrelid"
			" WHERE c.relname = $1 AND c.relnamespace = current_schema()::regnamespace"
			" AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum",
		     &a, "reading a table's columns", &r, err)))
		return rc;
	if (!(n = PQntuples(r))) {
		PQclear(r);
		return XY_OK;
	}
	*exists = true;
	if (!(cols = calloc((size_t)n + 1, sizeof *cols))) {
		PQclear(r);
		return xy_error_set(err, XY_ERR_NOMEM, "out of memory");
	}
	for (int i = 0, k = n; i < k; i++) {
		if (derived_of(table, PQgetvalue(r, i, 0))) {
			n--;
			continue;
		}
		cols[i - (k - n)].name = PQgetvalue(r, i, 0); /* borrowed from r for the call */
		cols[i - (k - n)].type = column_class(PQgetvalue(r, i, 1));
	}
	if (is_records(table)) {
		bool has = false;
		for (int i = 0; i < n && !has; i++)
			has = !strcmp(cols[i].name, LAST_BATCH);
		if (!has) /* record_keys' (schema 24) */
			cols[n++] = (xy__raw_column){ .name = LAST_BATCH, .type = XY_RAW_INT };
	}
	if (cb)
		cb(ctx, table, cols, (size_t)n);
	free(cols);
	PQclear(r);
	return XY_OK;
}

/* The data tables of the current schema in creation order (a table can
 * only reference one that existed before it, so this loads referenced rows
 * first; a case's record is checked at commit), those with a derived column
 * last, without xy_schema (the version, the target's own), record_keys and
 * subject_keys (derived from records and subjects: load_end) and partitions
 * (their parent is the table). */
static xy_code tables(xy_store *base, xy__raw_table_cb cb, void *ctx, xy_error *err)
{
	pg_store *s = PG(base);
	PGresult *r = NULL;
	xy_code rc;
	struct stop {
		xy__raw_table_cb cb;
		void *ctx;
		bool stopped;
	};
	if ((rc = pq(s, "SELECT c.relname FROM pg_class c"
			" WHERE c.relnamespace = current_schema()::regnamespace"
			" AND c.relkind IN ('r', 'p') AND NOT c.relispartition"
			" AND c.relname NOT IN " PG_RAW_OWN " ORDER BY " DERIVED_LAST ", c.oid",
		     NULL, "listing the tables", &r, err)))
		return rc;
	for (int i = 0; i < PQntuples(r) && !rc; i++) {
		bool exists;
		rc = columns(base, PQgetvalue(r, i, 0), &exists, cb, ctx, err);
	}
	PQclear(r);
	return rc;
}

static xy_code rows(xy_store *base, const char *table, const xy__raw_column *cols, size_t ncols,
		    xy__raw_row_cb cb, void *ctx, xy_error *err)
{
	pg_store *s = PG(base);
	xy_buf sql = XY_BUF_INIT, decl = XY_BUF_INIT;
	xy__raw_value *v = calloc(ncols ? ncols : 1, sizeof *v);
	unsigned char **bytes = calloc(ncols ? ncols : 1, sizeof *bytes);
	bool own = !in_tx(s), stop = false;
	PGresult *r = NULL;
	xy_code rc;
	if (!v || !bytes) {
		free(v);
		free(bytes);
		return xy_error_set(err, XY_ERR_NOMEM, "out of memory");
	}
	if ((rc = xy__raw_select(&sql, table, is_records(table) ? RECORDS_AS_COPIED : NULL, cols,
				 ncols, " COLLATE \"C\"", " NULLS FIRST", err)) ||
	    (own && (rc = pq(s, "BEGIN", NULL, "beginning a transaction", NULL, err))))
		goto out;
	if (xy_buf_addf(&decl, "DECLARE xy_raw NO SCROLL CURSOR FOR %s", sql.data)) {
		rc = xy_error_set(err, XY_ERR_NOMEM, "out of memory");
		goto out;
	}
	if ((rc = pq(s, decl.data, NULL, "reading a table", NULL, err)))
		goto out;
	while (!rc && !stop) {
		int n;
		if ((rc = pq(s, "FETCH FORWARD " FETCH_ROWS " FROM xy_raw", NULL, "reading a table",
			     &r, err)))
			break;
		if (!(n = PQntuples(r))) {
			PQclear(r);
			break;
		}
		for (int row = 0; row < n && !rc && !stop; row++) {
			for (size_t i = 0; i < ncols; i++) {
				int c = (int)i;
				const char *t = PQgetvalue(r, row, c);
				memset(&v[i], 0, sizeof v[i]);
				if (PQgetisnull(r, row, c))
					continue; /* XY_RAW_NULL */
				switch (PQftype(r, c)) {
				case 16: /* boolean */
					v[i].type = XY_RAW_INT;
					v[i].i = t[0] == 't';
					break;
				case 20: case 21: case 23: /* bigint, smallint, integer */
					v[i].type = XY_RAW_INT;
					v[i].i = strtoll(t, NULL, 10);
					break;
				case 700: case 701: case 1700: /* real, double, numeric */
					v[i].type = XY_RAW_REAL;
					v[i].d = strtod(t, NULL);
					break;
				case 17: { /* bytea, as \x… text */
					size_t len = 0;
					if (!(bytes[i] = PQunescapeBytea((const unsigned char *)t,
									 &len))) {
						rc = xy_error_set(err, XY_ERR_NOMEM, "out of memory");
						break;
					}
					v[i].type = XY_RAW_BLOB;
					v[i].p = (const char *)bytes[i];
					v[i].n = len;
					break;
				}
				default:
					v[i].type = XY_RAW_TEXT;
					v[i].p = t;
					v[i].n = (size_t)PQgetlength(r, row, c);
					/* bytes a file name had that were not UTF-8
					 * (xy__pg_name_to_text), back as they were */
					if (memchr(t, 0xEE, v[i].n))
						v[i].n = strlen(xy__pg_name_from_text(
							PQgetvalue(r, row, c)));
				}
			}
			if (!rc && cb(ctx, v, ncols))
				stop = true;
			for (size_t i = 0; i < ncols; i++) {
				PQfreemem(bytes[i]);
				bytes[i] = NULL;
			}
		}
		PQclear(r);
	}
	if (!rc)
		rc = pq(s, "CLOSE xy_raw", NULL, "reading a table", NULL, err);
out:
	if (own && in_tx(s)) {
		if (rc)
			pq(s, "ROLLBACK", NULL, "rolling back", NULL, NULL);
		else
			rc = pq(s, "COMMIT", NULL, "committing", NULL, err);
	}
	xy_buf_release(&sql);
	xy_buf_release(&decl);
	free(v);
	free(bytes);
	return rc;
}

/* ---- loading ---- */

typedef struct {
	xy_buf *sql;
	bool bad;
} clear_ctx;

static int add_to_truncate(void *ctx, const char *table, const xy__raw_column *cols, size_t n)
{
	clear_ctx *c = ctx;
	(void)cols, (void)n;
	if (!xy__raw_name_ok(table) ||
	    xy_buf_addf(c->sql, ", \"%s\"", table)) {
		c->bad = true;
		return 1;
	}
	return 0;
}

static xy_code clear(xy_store *base, xy_error *err)
{
	xy_buf sql = XY_BUF_INIT;
	clear_ctx c = { .sql = &sql };
	xy_code rc;
	if (xy_buf_addstr(&sql, "TRUNCATE record_keys, subject_keys"))
		return xy_error_set(err, XY_ERR_NOMEM, "out of memory");
	rc = tables(base, add_to_truncate, &c, err);
	if (!rc && c.bad)
		rc = xy_error_set(err, XY_ERR_INVALID, "migrate: a table name SQL cannot hold");
	if (!rc && xy_buf_addstr(&sql, " RESTART IDENTITY CASCADE"))
		rc = xy_error_set(err, XY_ERR_NOMEM, "out of memory");
	if (!rc)
		rc = pq(PG(base), sql.data, NULL, "emptying the target's tables", NULL, err);
	xy_buf_release(&sql);
	return rc;
}

static void load_free(pg_store *s)
{
	if (!s->load)
		return;
	xy_buf_release(&s->load->buf);
	xy_buf_release(&s->load->last_rows);
	xy_buf_release(&s->load->cols);
	free(s->load->table);
	free(s->load);
	s->load = NULL;
}

static xy_code load_begin(xy_store *base, const char *table, const xy__raw_column *cols,
			  size_t ncols, xy_error *err)
{
	pg_store *s = PG(base);
	xy_buf sql = XY_BUF_INIT;
	PGresult *r;
	xy_code rc = XY_OK;
	load_free(s);
	if (!xy__raw_name_ok(table))
		return xy_error_set(err, XY_ERR_INVALID, "migrate: table %s: a name SQL cannot hold",
				    table);
	if (!(s->load = calloc(1, sizeof *s->load)) || !(s->load->table = strdup(table))) {
		load_free(s);
		return xy_error_set(err, XY_ERR_NOMEM, "out of memory");
	}
	s->load->derived = derived_of(table, NULL);
	if (xy_buf_addstr(&s->load->cols, ""))
		rc = xy_error_set(err, XY_ERR_NOMEM, "out of memory");
	for (size_t i = 0, sent = 0; i < ncols && !rc; i++) {
		if (!strcmp(cols[i].name, "id") && cols[i].type == XY_RAW_INT) {
			s->load->has_id = true;
			s->load->id = i;
		}
		if (is_records(table) && !strcmp(cols[i].name, LAST_BATCH)) {
			s->load->has_last = true; /* kept for record_keys */
			s->load->last = i;
			continue;
		}
		if (!xy__raw_name_ok(cols[i].name))
			rc = xy_error_set(err, XY_ERR_INVALID, "migrate: %s.%s: a name SQL cannot hold",
					  table, cols[i].name);
		else if (xy_buf_addf(&s->load->cols, "%s\"%s\"", sent++ ? ", " : "", cols[i].name))
			rc = xy_error_set(err, XY_ERR_NOMEM, "out of memory");
	}
	/* a derived column: the rows staged in a table of the sent columns
	 * (CREATE TABLE AS keeps no NOT NULL), moved at load_end */
	if (!rc && s->load->derived &&
	    !(rc = xy_buf_addf(&sql, "CREATE TEMP TABLE xy_raw_stage ON COMMIT DROP AS SELECT %s"
			       " FROM \"%s\" WITH NO DATA", s->load->cols.data, table)
			   ? xy_error_set(err, XY_ERR_NOMEM, "out of memory")
			   : XY_OK)) {
		rc = pq(s, sql.data, NULL, "staging a table", NULL, err);
		xy_buf_reset(&sql);
	}
	if (!rc && xy_buf_addf(&sql, "COPY \"%s\" (%s", s->load->derived ? "xy_raw_stage" : table,
			       s->load->cols.data))
		rc = xy_error_set(err, XY_ERR_NOMEM, "out of memory");
	if (!rc && s->load->has_last && !s->load->has_id)
		rc = xy_error_set(err, XY_ERR_INVALID, "migrate: records without an id");
	if (!rc && xy_buf_addstr(&sql, ") FROM STDIN"))
		rc = xy_error_set(err, XY_ERR_NOMEM, "out of memory");
	if (!rc)
		rc = xy__pg_flush_begin(s, err);
	if (!rc) {
		r = PQexec(s->conn, sql.data);
		if (PQresultStatus(r) == PGRES_COPY_IN)
			PQclear(r);
		else if (!(rc = xy__pg_result(s, r, "starting a COPY", NULL, err)))
			/* it succeeded as something else than a COPY */
			rc = xy_error_set(err, XY_ERR_STORE, "postgresql: COPY %s did not start",
					  table);
	}
	xy_buf_release(&sql);
	if (rc)
		load_free(s);
	return rc;
}

/* One value in COPY's text format (sql-copy.html, "Text Format"). */
static xy_code put_value(xy_buf *b, const xy__raw_value *v)
{
	static const char hex[] = "0123456789abcdef";
	xy_code rc = XY_OK;
	switch (v->type) {
	case XY_RAW_NULL:
		return xy_buf_add(b, "\\N", 2);
	case XY_RAW_INT:
		return xy_buf_addf(b, "%lld", (long long)v->i);
	case XY_RAW_REAL:
		return xy_buf_addf(b, "%.17g", v->d);
	case XY_RAW_BLOB: /* bytea's hex input, its backslash escaped for COPY */
		rc = xy_buf_add(b, "\\\\x", 3);
		for (size_t i = 0; i < v->n && !rc; i++) {
			unsigned char c = (unsigned char)v->p[i];
			char two[2] = { hex[c >> 4], hex[c & 15] };
			rc = xy_buf_add(b, two, 2);
		}
		return rc;
	case XY_RAW_TEXT:
		for (size_t i = 0; i < v->n && !rc; i++) {
			char c = v->p[i];
			rc = c == '\\'   ? xy_buf_add(b, "\\\\", 2)
			     : c == '\n' ? xy_buf_add(b, "\\n", 2)
			     : c == '\r' ? xy_buf_add(b, "\\r", 2)
			     : c == '\t' ? xy_buf_add(b, "\\t", 2)
					 : xy_buf_addch(b, c);
		}
		return rc;
	}
	return XY_OK;
}

static xy_code flush(pg_store *s, xy_error *err)
{
	xy_buf *b = &s->load->buf;
	if (b->len && PQputCopyData(s->conn, b->data, (int)b->len) != 1)
		return xy_error_set(err, XY_ERR_STORE, "postgresql: COPY %s: %s", s->load->table,
				    PQerrorMessage(s->conn));
	xy_buf_reset(b);
	return XY_OK;
}

/* A text that is not UTF-8 (a file name SQLite kept as it came) as
 * PostgreSQL keeps such names: its other bytes as private-use characters
 * (xy__pg_name_to_text), which the read-back maps back for the checksum. */
static xy_code put_text(xy_buf *b, const xy__raw_value *v)
{
	xy_buf raw = XY_BUF_INIT, text = XY_BUF_INIT;
	xy__raw_value t = *v;
	xy_code rc;
	if (xy_utf8_len(v->p, v->n) != (size_t)-1)
		return put_value(b, v);
	if ((rc = xy_buf_add(&raw, v->p, v->n)) || (rc = xy_buf_addch(&raw, '\0')) ||
	    (rc = xy__pg_name_to_text(raw.data, &text)))
		goto out;
	t.p = text.data;
	t.n = strlen(text.data);
	rc = put_value(b, &t);
out:
	xy_buf_release(&raw);
	xy_buf_release(&text);
	return rc;
}

static xy_code load_row(xy_store *base, const xy__raw_value *vals, size_t n, xy_error *err)
{
	pg_store *s = PG(base);
	xy_buf *b;
	if (!s->load)
		return xy_error_set(err, XY_ERR_ARG, "migrate: a row without load_begin");
	b = &s->load->buf;
	for (size_t i = 0, sent = 0; i < n; i++) {
		if (s->load->has_last && i == s->load->last)
			continue;
		if ((sent++ && xy_buf_addch(b, '\t')) ||
		    (vals[i].type == XY_RAW_TEXT ? put_text(b, &vals[i]) : put_value(b, &vals[i])))
			return xy_error_set(err, XY_ERR_NOMEM, "out of memory");
	}
	if (s->load->has_last) {
		xy_buf *l = &s->load->last_rows;
		if (s->load->last >= n || s->load->id >= n)
			return xy_error_set(err, XY_ERR_ARG, "migrate: a row of records too short");
		if (put_value(l, &vals[s->load->id]) || xy_buf_addch(l, '\t') ||
		    put_value(l, &vals[s->load->last]) || xy_buf_addch(l, '\n'))
			return xy_error_set(err, XY_ERR_NOMEM, "out of memory");
	}
	if (xy_buf_addch(b, '\n'))
		return xy_error_set(err, XY_ERR_NOMEM, "out of memory");
	return b->len >= COPY_FLUSH ? flush(s, err) : XY_OK;
}

/* record_keys from the records just loaded and their last_batch (lines
 * "id\tlast_batch" of COPY text), then checked against them: one key a
 * record, naming its id and subject (a key twice fails on the primary key,
 * a record without its last_batch on the count; the ids are the source's,
 * unique there: record_id is no longer a unique key, schema 25).  The digest
 * stays NULL: the next import compares the data. */
static xy_code derive_keys(pg_store *s, const xy_buf *last, xy_error *err)
{
	PGresult *r = NULL;
	xy_code rc = pq(s, "CREATE TEMP TABLE xy_raw_last(id bigint PRIMARY KEY,"
			" last_batch bigint NOT NULL) ON COMMIT DROP", NULL, "deriving record_keys",
			NULL, err);
	if (!rc)
		rc = xy__pg_copy_in(s, "COPY xy_raw_last FROM STDIN", last->data ? last->data : "",
				    last->len, "deriving record_keys", err);
	if (!rc)
		rc = pq(s, "INSERT INTO record_keys(unit_id, category_id, key, record_id, subject_id,"
			" last_batch) SELECT r.unit_id, r.category_id, r.key, r.id, r.subject_id,"
			" l.last_batch FROM records r JOIN xy_raw_last l ON l.id = r.id; DROP TABLE"
			" xy_raw_last", NULL, "deriving record_keys", NULL, err);
	if (rc || (rc = pq(s, "SELECT (SELECT count(*) FROM records), (SELECT count(*) FROM"
			   " record_keys k JOIN records r ON r.id = k.record_id AND r.unit_id ="
			   " k.unit_id AND r.category_id = k.category_id AND r.key = k.key"
			   " AND r.subject_id IS NOT DISTINCT FROM k.subject_id)", NULL,
			   "checking record_keys", &r, err)))
		return rc;
	if (ci(r, 0, 0) != ci(r, 0, 1))
		rc = xy_error_set(err, XY_ERR_STORE,
				  "record_keys: %lld of %lld records have their key: nothing was kept",
				  (long long)ci(r, 0, 1), (long long)ci(r, 0, 0));
	PQclear(r);
	return rc;
}

static xy_code load_end(xy_store *base, bool ok, xy_error *err)
{
	pg_store *s = PG(base);
	xy_code rc = XY_OK;
	PGresult *r;
	char sql[256];
	if (!s->load)
		return XY_OK;
	if (ok)
		rc = flush(s, err);
	if (PQputCopyEnd(s->conn, ok && !rc ? NULL : "the migration stopped") != 1 && !rc)
		rc = xy_error_set(err, XY_ERR_STORE, "postgresql: COPY %s: %s", s->load->table,
				  PQerrorMessage(s->conn));
	while ((r = PQgetResult(s->conn))) {
		if (PQresultStatus(r) != PGRES_COMMAND_OK && ok && !rc)
			rc = xy__pg_result(s, r, "loading a table", NULL, err);
		else
			PQclear(r);
	}
	if (ok && !rc && s->load->derived) {
		const struct derived *d = s->load->derived;
		xy_buf sq = XY_BUF_INIT;
		if (xy_buf_addf(&sq, "INSERT INTO \"%s\" (%s, \"%s\") SELECT %s, %s"
				" FROM xy_raw_stage t; DROP TABLE xy_raw_stage", s->load->table,
				s->load->cols.data, d->column, s->load->cols.data, d->value))
			rc = xy_error_set(err, XY_ERR_NOMEM, "out of memory");
		else
			rc = pq(s, sq.data, NULL, "loading a table", NULL, err);
		xy_buf_release(&sq);
	}
	/* an identity column goes on after the largest id loaded */
	if (ok && !rc && s->load->has_id) {
		snprintf(sql, sizeof sql,
			 "SELECT setval(pg_get_serial_sequence('\"%s\"', 'id'), max(id))"
			 " FROM \"%s\" HAVING max(id) IS NOT NULL",
			 s->load->table, s->load->table);
		rc = pq(s, sql, NULL, "moving the table's ids on", NULL, err);
	}
	if (ok && !rc && is_records(s->load->table))
		rc = derive_keys(s, &s->load->last_rows, err);
	/* subject_keys (schema 25) from the subjects just loaded: a code twice
	 * fails on its primary key */
	if (ok && !rc && !strcmp(s->load->table, "subjects"))
		rc = pq(s, "INSERT INTO subject_keys(code, subject_id)"
			" SELECT code, id FROM subjects", NULL, "deriving subject_keys", NULL, err);
	load_free(s);
	return rc;
}

const struct xy__store_raw_ops xy__pg_raw_ops = {
	.tables = tables,
	.columns = columns,
	.rows = rows,
	.clear = clear,
	.load_begin = load_begin,
	.load_row = load_row,
	.load_end = load_end,
};
