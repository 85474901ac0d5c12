/* Statements prepared by their text, once per connection (issue 11's server
 * on PostgreSQL).
 *
 * A statement sent with PQexecParams is parsed, analysed and planned on every
 * call.  For the server's reads that was most of the work: a profile's list
 * entries (a three-way UNION ALL) took ~3.9 ms to plan and 0.1 ms to run, so
 * a check or an uncached profile spent ~10 ms planning (bench/http.sh
 * BACKEND=postgresql, docs/postgresql.md).  So pq() hands every statement
 * with parameters to xy__pg_exec, which prepares it under a name of its own
 * ("xs<n>") the second time the same text comes, and from then on only
 * executes it: PostgreSQL then parses it once and, after its first five
 * executions, plans it once too when a generic plan costs no more than the
 * custom ones (plan_cache_mode = auto), as JDBC's prepareThreshold does.
 *
 * - Only statements with parameters: one statement each (PQexecParams
 *   refuses several), where the text of a statement without parameters may
 *   hold several commands (the schema) and cannot be prepared.
 * - Keyed by the whole text, compared byte for byte (a hash finds it): SQL
 *   built at run time with different texts gets an entry each, so the table
 *   is bounded (PG_STMT_MAX); once full, a text not in it runs unprepared.
 *   libpq has no statement cache of its own, hence this one.
 * - A prepared statement outlives a rolled-back transaction (it is the
 *   connection's, not the transaction's), and PostgreSQL re-analyses it when
 *   a table it names changes; one whose result columns changed fails with
 *   SQLSTATE 0A000 ("cached plan must not change result type"), which only a
 *   schema change made by another process while this connection is open can
 *   cause.  Such a change seldom alters one statement alone, so then every
 *   statement of the connection is forgotten (DEALLOCATE ALL, at once when no
 *   transaction is open, else before the next statement outside one) and
 *   prepared again when it comes back; the call is retried unprepared when
 *   no transaction is open.  Inside one the error stands (the transaction is
 *   already aborted): a server's worker fails one request, not one for each
 *   of its statements (tests/pg/run.sh: two workers, 30 profiles after
 *   subjects.name changed type, one failure for each worker). */
#include "pg_int.h"

#include <sodium.h>
#include <stdlib.h>
#include <string.h>

/* entries, a power of two; at most 3/4 of them used */
#define PG_STMT_SLOTS 1024u
#define PG_STMT_MAX (PG_STMT_SLOTS / 4u * 3u)

struct pg_stmt {
	char *sql; /* owned; NULL: a free slot */
	uint64_t hash;
	unsigned number; /* its name "xs<number>" once prepared, else 0 */
	bool seen;       /* executed once unprepared */
};

static uint64_t sql_hash(const char *sql, size_t n)
{
	/* SipHash (libsodium) with a fixed key: a table index, not a secret */
	static const unsigned char key[crypto_shorthash_KEYBYTES] = {0x78, 0x79};
	unsigned char h[crypto_shorthash_BYTES];
	uint64_t v;
	crypto_shorthash(h, (const unsigned char *)sql, n, key);
	memcpy(&v, h, sizeof v);
	return v;
}

/* The entry of sql, a new one when there is room, or NULL. */
static struct pg_stmt *stmt_of(pg_store *s, const char *sql)
{
	size_t n = strlen(sql);
	uint64_t h = sql_hash(sql, n);
	size_t i;
	if (!s->stmts && !(s->stmts = calloc(PG_STMT_SLOTS, sizeof *s->stmts)))
		return NULL;
	for (i = (size_t)h & (PG_STMT_SLOTS - 1);; i = (i + 1) & (PG_STMT_SLOTS - 1)) {
		struct pg_stmt *e = &s->stmts[i];
		if (!e->sql) {
			if (s->nstmts >= PG_STMT_MAX || !(e->sql = malloc(n + 1)))
				return NULL;
			memcpy(e->sql, sql, n + 1);
			e->hash = h;
			s->nstmts++;
			return e;
		}
		if (e->hash == h && !strcmp(e->sql, sql))
			return e;
	}
}

static bool result_type_changed(const PGresult *r)
{
	const char *st = r ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : NULL;
	return st && !strcmp(st, "0A000");
}

/* Every statement unprepared; seen stays, so each is prepared again when it
 * next comes. */
static void forget_all(pg_store *s)
{
	for (size_t i = 0; s->stmts && i < PG_STMT_SLOTS; i++)
		s->stmts[i].number = 0;
}

xy_code xy__pg_exec(pg_store *s, const char *sql, const pq_args *a, const char *what,
                    PGresult **out, xy_error *err)
{
	struct pg_stmt *e;
	char name[16];
	PGresult *r;
	if (s->stmts_stale && PQtransactionStatus(s->conn) == PQTRANS_IDLE) {
		/* those prepared again since are deallocated too: forget them */
		forget_all(s);
		PQclear(PQexec(s->conn, "DEALLOCATE ALL"));
		s->stmts_stale = false;
	}
	e = stmt_of(s, sql);
	if (e && !e->number && e->seen) {
		unsigned number = ++s->stmt_numbers;
		snprintf(name, sizeof name, "xs%u", number);
		r = PQprepare(s->conn, name, sql, a->n, NULL);
		if (PQresultStatus(r) != PGRES_COMMAND_OK) /* its error comes again below */
			e = NULL;
		else
			e->number = number;
		PQclear(r);
	}
	if (!e || !e->number) {
		if (e)
			e->seen = true;
		return xy__pg_result(
		    s, PQexecParams(s->conn, sql, a->n, NULL, a->v, a->len, a->fmt, 0), what, out,
		    err);
	}
	snprintf(name, sizeof name, "xs%u", e->number);
	r = PQexecPrepared(s->conn, name, a->n, a->v, a->len, a->fmt, 0);
	if (result_type_changed(r)) {
		forget_all(s);
		s->stmts_stale = true;
		if (PQtransactionStatus(s->conn) == PQTRANS_IDLE) {
			PQclear(r);
			PQclear(PQexec(s->conn, "DEALLOCATE ALL"));
			s->stmts_stale = false;
			r = PQexecParams(s->conn, sql, a->n, NULL, a->v, a->len, a->fmt, 0);
		}
	}
	return xy__pg_result(s, r, what, out, err);
}

void xy__pg_stmts_free(pg_store *s)
{
	if (!s->stmts)
		return;
	for (size_t i = 0; i < PG_STMT_SLOTS; i++)
		free(s->stmts[i].sql);
	free(s->stmts);
	s->stmts = NULL;
	s->nstmts = 0;
}
