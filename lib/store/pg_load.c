/* xinyong: PostgreSQL backend, the bulk load of an import's records
 * (xy_store_records_load; docs/postgresql.md, "The bulk path").
 *
 * A chunk of rows does what xy__pg_subject_upsert and xy__pg_record_upsert
 * do row after row, with a few statements:
 *
 * 1. subjects: its distinct subjects go to a TEMP staging table by one
 *    binary COPY; one query gives each one's id and says whether it is new
 *    or changed; only then is the subjects' advisory lock taken
 *    (pg_subjects.c: imports naming no new subject still run side by side);
 *    new ones are inserted in the order the file first names them (ids as
 *    the per-row path draws them, returned to C), changed ones updated to
 *    what the last row of the chunk says.
 * 2. records: the chunk's keys are looked up in record_keys (a binary
 *    text[]), whose last_batch says a key seen earlier in this file and
 *    whose digest (xy__pii_record_digest, a keyed hash of the content) an
 *    unchanged record; only records whose digest differs or is not known
 *    are read and compared in C, since data is encrypted with a random
 *    nonce.  Unchanged ones have only their narrow record_keys row touched;
 *    updated ones go to a staging table, have their version kept and are
 *    updated; new ones are COPYed straight into record_keys and records
 *    (records through a staging table when a partition is foreign).
 *
 * No gaps in ids: every insert skips what exists before drawing an id (the
 * (unit, category) lock held since the batch row keeps other imports off
 * these keys, the subjects' lock off these subjects); a new record's id is
 * drawn once its key is known to be missing, one per new row, in file
 * order. */
#include "pg_int.h"

#define HEXLEN (2 * XY__PII_HASH_BYTES + 1)
#define SLOTS(n) ((n) * 2 + 1) /* open addressing, at most half full */

/* ---- binary COPY (the PostgreSQL documentation, "COPY", Binary Format) ---- */

static int put_be(xy_buf *b, uint64_t v, int bytes)
{
	unsigned char c[8];
	for (int i = 0; i < bytes; i++)
		c[i] = (unsigned char)(v >> (8 * (bytes - 1 - i)));
	return xy_buf_add(b, c, (size_t)bytes) ? -1 : 0;
}

static int copy_begin(xy_buf *b)
{
	static const char sig[11] = "PGCOPY\n\377\r\n";
	xy_buf_reset(b);
	return xy_buf_add(b, sig, sizeof sig) || put_be(b, 0, 4) || put_be(b, 0, 4) ? -1 : 0;
}

/* A field of n bytes (v NULL: SQL NULL) */
static int copy_field(xy_buf *b, const void *v, size_t n)
{
	if (!v)
		return put_be(b, 0xffffffffu, 4);
	return put_be(b, n, 4) || xy_buf_add(b, v, n) ? -1 : 0;
}

static int copy_str(xy_buf *b, const char *v)
{
	return copy_field(b, v, v ? strlen(v) : 0);
}

static int copy_int4(xy_buf *b, uint32_t v)
{
	return put_be(b, 4, 4) || put_be(b, v, 4) ? -1 : 0;
}

/* Send b to `COPY table FROM STDIN (FORMAT binary)`, its trailer added. */
static xy_code copy_send(pg_store *s, const char *sql, xy_buf *b, const char *what,
			 xy_error *err)
{
	if (put_be(b, 0xffff, 2))
		return xy_error_set(err, XY_ERR_NOMEM, "out of memory");
	return xy__pg_copy_in(s, sql, b->data, b->len, what, err);
}

/* The same COPY sent while it is built, so the server inserts the first
 * rows while the rest are encrypted: copy_open starts it (b gets the
 * header), copy_more sends b once it holds COPY_FLUSH bytes, copy_close
 * ends it (rc not XY_OK: abandons it, so the connection leaves COPY mode)
 * and returns rc or its result. */
#define COPY_FLUSH (256 * 1024)

static xy_code copy_open(pg_store *s, const char *sql, xy_buf *b, const char *what,
			 xy_error *err)
{
	xy_code rc0 = xy__pg_flush_begin(s, err);
	PGresult *r;
	if (rc0)
		return rc0;
	r = PQexec(s->conn, sql);
	if (PQresultStatus(r) != PGRES_COPY_IN) {
		xy_code rc = xy__pg_result(s, r, what, NULL, err);
		return rc ? rc : xy_error_set(err, XY_ERR_STORE, "postgresql: %s: no COPY", what);
	}
	PQclear(r);
	return copy_begin(b) ? xy_error_set(err, XY_ERR_NOMEM, "out of memory") : XY_OK;
}

static xy_code copy_more(pg_store *s, xy_buf *b, const char *what, xy_error *err)
{
	if (b->len < COPY_FLUSH)
		return XY_OK;
	if (PQputCopyData(s->conn, b->data, (int)b->len) != 1)
		return xy_error_set(err, XY_ERR_STORE, "postgresql: %s: %s", what,
				    PQerrorMessage(s->conn));
	xy_buf_reset(b);
	return XY_OK;
}

static xy_code copy_close(pg_store *s, xy_buf *b, xy_code rc, const char *what, xy_error *err)
{
	if (!rc && put_be(b, 0xffff, 2))
		rc = xy_error_set(err, XY_ERR_NOMEM, "out of memory");
	if (!rc && PQputCopyData(s->conn, b->data, (int)b->len) != 1)
		rc = xy_error_set(err, XY_ERR_STORE, "postgresql: %s: %s", what,
				  PQerrorMessage(s->conn));
	if (PQputCopyEnd(s->conn, rc ? "the load stopped" : NULL) != 1 && !rc)
		rc = xy_error_set(err, XY_ERR_STORE, "postgresql: %s: %s", what,
				  PQerrorMessage(s->conn));
	rc = xy__pg_copy_results(s, rc, what, err);
	xy_buf_reset(b);
	return rc;
}

/* ---- one chunk ---- */

/* A distinct subject of the chunk, as its last row leaves it. */
typedef struct stage_subj {
	char code[HEXLEN];     /* the lookup value when personal */
	const xy_subject *subj; /* the first row naming it */
	const xy_subject *last; /* the last one */
	const char *name;       /* the last non-empty name, "" when none */
	size_t first;           /* the row that first names it */
	int64_t id;             /* its id, once loaded (load_subjects) */
} stage_subj;

typedef struct load {
	pg_store *s;
	xy_record_load *rows;
	size_t n;
	xy_upsert_result *res;
	const char **scode;     /* per row: its subject's lookup value, NULL none */
	size_t *sidx;           /* per row: its subject in subj, SIZE_MAX none */
	size_t *krow;           /* the rows whose key is looked up (not dup), in order */
	size_t *stg;            /* the subjects staged (not settled), in order */
	size_t *touched;        /* the rows found unchanged by their digest, in order */
	size_t ntouched;
	unsigned char (*digest)[XY__PII_HASH_BYTES]; /* per row: xy__pii_record_digest */
	char (*hex)[HEXLEN];    /* per row: a personal code's keyed hash */
	stage_subj *subj;
	size_t nsubj;
	size_t *slot;           /* hash slots: 1 + index, 0 free (subjects, then keys) */
	bool *dup;              /* per row: its key came earlier in the chunk */
	xy_buf copy, enc, old, arr[5];
} load;

static uint32_t fnv(const char *p)
{
	uint32_t h = 2166136261u;
	for (; *p; p++)
		h = (h ^ (unsigned char)*p) * 16777619u;
	return h;
}

/* The distinct subjects (L->subj) and each row's subject lookup value. */
static void find_subjects(load *L)
{
	size_t ns = SLOTS(L->n);
	memset(L->slot, 0, ns * sizeof *L->slot);
	for (size_t i = 0; i < L->n; i++) {
		const xy_subject *j = L->rows[i].subj;
		const char *code;
		size_t h;
		L->scode[i] = NULL;
		L->sidx[i] = SIZE_MAX;
		if (!j)
			continue;
		if (xy__pii_code_type(j->code_type)) {
			xy__pg_code_lookup(L->s, j->code, strlen(j->code), true, L->hex[i]);
			code = L->hex[i];
		} else
			code = j->code;
		for (h = fnv(code) % ns; L->slot[h]; h = (h + 1) % ns)
			if (!strcmp(L->scode[L->subj[L->slot[h] - 1].first], code))
				break;
		L->scode[i] = code;
		if (!L->slot[h]) {
			stage_subj *t = &L->subj[L->nsubj++];
			L->slot[h] = L->nsubj;
			t->first = i;
			t->subj = j;
			t->name = "";
		}
		stage_subj *t = &L->subj[L->slot[h] - 1];
		L->sidx[i] = L->slot[h] - 1;
		t->last = j;
		if (j->name[0])
			t->name = j->name;
	}
}

/* Which rows repeat a key of an earlier row of the chunk (L->dup). */
static void find_dups(load *L)
{
	size_t ns = SLOTS(L->n);
	memset(L->slot, 0, ns * sizeof *L->slot);
	for (size_t i = 0; i < L->n; i++) {
		const char *k = L->rows[i].rec.key;
		size_t h;
		for (h = fnv(k) % ns; L->slot[h]; h = (h + 1) % ns)
			if (!strcmp(L->rows[L->slot[h] - 1].rec.key, k))
				break;
		L->dup[i] = L->slot[h] != 0;
		if (!L->slot[h])
			L->slot[h] = i + 1;
	}
}

/* ---- the subjects this transaction has settled ----
 *
 * A file names most of its subjects in many chunks (the benchmark's 200,000
 * rows: 40,000 subjects, each in ~5 of 73 chunks), and every chunk staged and
 * compared each of them again: 2.0 s of the server's statements (the
 * comparison) and 0.4 s (the staging COPY) in an 11.5 s import.  Once this
 * transaction holds the subjects' advisory lock, no other one writes a
 * subject until it ends, so what a chunk left a subject as is what the next
 * chunk would read: the table below keeps that (id, kind, code type,
 * division, and the name when a row gave one), and a later chunk whose rows
 * leave a subject as it is known needs neither staging nor comparison.
 * Only what was compared or written under the lock goes in; it is cleared at
 * the transaction's end, at a rollback to a savepoint (what it knows may be
 * undone) and by every other writer of subjects (xy__pg_settled_clear).
 * Bounded: PG_SETTLED_MAX entries and PG_SETTLED_BYTES of text; a full table
 * answers what it holds and the rest is compared as before. */
#define PG_SETTLED_MAX (1u << 20)
#define PG_SETTLED_SLOTS (2u * PG_SETTLED_MAX)
#define PG_SETTLED_BYTES ((size_t)128 << 20)

typedef struct settled_entry {
	size_t at;   /* its text in arena: code, code type, division, name (NUL each) */
	int64_t id;
	uint32_t hash;
	int kind;
	bool named;  /* the name is known (a row gave one) */
} settled_entry;

struct pg_settled {
	settled_entry *e; /* n used, cap allocated */
	size_t n, cap;
	uint32_t *slot;   /* PG_SETTLED_SLOTS: 1 + index into e, 0 free */
	xy_buf arena;
};

void xy__pg_settled_clear(pg_store *s)
{
	struct pg_settled *c = s->settled;
	if (!c || !c->n)
		return;
	memset(c->slot, 0, PG_SETTLED_SLOTS * sizeof *c->slot);
	c->n = 0;
	xy_buf_reset(&c->arena);
}

void xy__pg_settled_free(pg_store *s)
{
	struct pg_settled *c = s->settled;
	if (!c)
		return;
	free(c->e);
	free(c->slot);
	xy_buf_release(&c->arena);
	free(c);
	s->settled = NULL;
}

/* The slot of code (free when it is not in the table). */
static uint32_t *settled_slot(const struct pg_settled *c, const char *code, uint32_t h)
{
	for (size_t i = h & (PG_SETTLED_SLOTS - 1);; i = (i + 1) & (PG_SETTLED_SLOTS - 1)) {
		uint32_t *x = &c->slot[i];
		if (!*x || (c->e[*x - 1].hash == h && !strcmp(c->arena.data + c->e[*x - 1].at, code)))
			return x;
	}
}

/* The four texts of entry e */
static void settled_text(const struct pg_settled *c, const settled_entry *e, const char **ct,
			 const char **div, const char **name)
{
	const char *p = c->arena.data + e->at;
	*ct = p + strlen(p) + 1;
	*div = *ct + strlen(*ct) + 1;
	*name = *div + strlen(*div) + 1;
}

/* Whether the chunk leaves subject t (lookup value code) as it is known: then
 * its id into t->id. */
static bool settled_find(const pg_store *s, const char *code, stage_subj *t)
{
	const struct pg_settled *c = s->settled;
	const xy_subject *j = t->last;
	const char *ct, *div, *name;
	uint32_t *x;
	if (!c || !c->n || !*(x = settled_slot(c, code, fnv(code))))
		return false;
	const settled_entry *e = &c->e[*x - 1];
	settled_text(c, e, &ct, &div, &name);
	if (e->kind != (int)j->kind || strcmp(ct, j->code_type) || strcmp(div, j->division) ||
	    (t->name[0] && (!e->named || strcmp(name, t->name))))
		return false;
	t->id = e->id;
	return true;
}

/* Keep what staged subject t (lookup value code) is now stored as.  Out of
 * memory or room only leaves it out. */
static void settled_put(pg_store *s, const char *code, const stage_subj *t)
{
	struct pg_settled *c = s->settled;
	const xy_subject *j = t->last;
	bool named = t->name[0] != 0;
	size_t name_at = SIZE_MAX; /* the known name, when kept: its offset in arena */
	uint32_t h = fnv(code), *x;
	size_t at;
	if (!c) {
		if (!(c = calloc(1, sizeof *c)))
			return;
		if (!(c->slot = calloc(PG_SETTLED_SLOTS, sizeof *c->slot))) {
			free(c);
			return;
		}
		xy_buf_init(&c->arena, PG_SETTLED_BYTES);
		s->settled = c;
	}
	x = settled_slot(c, code, h);
	if (*x && !named && c->e[*x - 1].named) { /* an empty name keeps the known one */
		const char *ct, *div, *name;
		settled_text(c, &c->e[*x - 1], &ct, &div, &name);
		name_at = (size_t)(name - c->arena.data);
	}
	if (!*x && c->n == c->cap) {
		size_t cap = c->cap ? 2 * c->cap : 4096;
		settled_entry *e;
		if (c->n >= PG_SETTLED_MAX || !(e = realloc(c->e, cap * sizeof *e)))
			return;
		c->e = e;
		c->cap = cap;
	}
	at = c->arena.len;
	if (xy_buf_add(&c->arena, code, strlen(code) + 1) ||
	    xy_buf_add(&c->arena, j->code_type, strlen(j->code_type) + 1) ||
	    xy_buf_add(&c->arena, j->division, strlen(j->division) + 1) ||
	    (name_at == SIZE_MAX && xy_buf_add(&c->arena, t->name, strlen(t->name) + 1))) {
		goto full;
	}
	if (name_at != SIZE_MAX) { /* copied within the arena: grown first */
		size_t n = strlen(c->arena.data + name_at) + 1;
		if (xy_buf_grow(&c->arena, n))
			goto full;
		memcpy(c->arena.data + c->arena.len, c->arena.data + name_at, n);
		c->arena.len += n;
		c->arena.data[c->arena.len] = '\0';
		named = true;
	}
	if (!*x)
		*x = (uint32_t)++c->n;
	c->e[*x - 1] = (settled_entry){ .at = at, .id = t->id, .hash = h, .kind = (int)j->kind,
					.named = named };
	return;
full:
	xy_buf_truncate(&c->arena, at);
	/* a known subject whose new state cannot be kept must not answer with
	 * its old one: no subject has kind -1, so it never matches again */
	if (*x)
		c->e[*x - 1].kind = -1;
}

/* Every lookup is a subquery with LIMIT, which the planner keeps as an
 * index lookup per staged row: as a join it would not know the staging
 * tables hold a chunk (never analysed) and could scan whole tables. */
#define SUBJ_ID(code) "SELECT x.subject_id FROM subject_keys x WHERE x.code = " code " LIMIT 1"
#define SUBJ_OF(code) "SELECT x.* FROM subject_keys y JOIN subjects x ON x.id = y.subject_id" \
	" WHERE y.code = " code " LIMIT 1"

/* The record_keys row of key k of the chunk's unit ($1) and category ($2) */
#define KEY_OF(k) "SELECT * FROM record_keys k WHERE k.unit_id = $1 AND k.category_id = $2" \
	" AND k.key = " k " LIMIT 1"

/* Whether the chunk's subjects are ready and equal to what its rows say. */
#define SUBJ_DIFFERS \
	" (s.kind <> t.kind OR s.code_type <> t.code_type OR (t.name <> '' AND s.name <> t.name)" \
	" OR coalesce(s.division, '') <> coalesce(t.division, ''))"

static xy_code load_subjects(load *L, xy_error *err)
{
	pg_store *s = L->s;
	xy_buf *b = &L->copy;
	PGresult *r = NULL;
	pq_args a = { .n = 0 };
	char now[32];
	int64_t fresh, changed, got = 0;
	/* under the lock from the start, what the comparison reads stays true */
	bool exact = s->subjects_locked;
	size_t *stg = L->stg, nstg = 0; /* the subjects staged, in order */
	xy_code rc;
	if (!L->nsubj)
		return XY_OK;
	if (copy_begin(b))
		return xy_error_set(err, XY_ERR_NOMEM, "out of memory");
	for (size_t i = 0; i < L->nsubj; i++) {
		stage_subj *t = &L->subj[i];
		const xy_subject *j = t->last;
		bool personal = t->subj->code != L->scode[t->first];
		if (exact && settled_find(s, L->scode[t->first], t))
			continue;
		stg[nstg++] = i;
		if (personal && xy__pii_seal(&s->pii.cur, t->subj->code, strlen(t->subj->code),
					     &L->enc))
			return xy_error_set(err, XY_ERR_NOMEM, "out of memory");
		if (put_be(b, 7, 2) || copy_int4(b, (uint32_t)t->first) ||
		    copy_str(b, L->scode[t->first]) ||
		    copy_field(b, personal ? L->enc.data : NULL, L->enc.len) ||
		    copy_str(b, xy_subject_kind_name(j->kind)) || copy_str(b, j->code_type) ||
		    copy_str(b, t->name) || copy_str(b, j->division[0] ? j->division : NULL))
			return xy_error_set(err, XY_ERR_NOMEM, "out of memory");
	}
	if (!nstg) {
		xy_buf_reset(b);
		return XY_OK;
	}
	s->stage_used |= PG_STAGE_S;
	if ((rc = copy_send(s, "COPY xy_stage_s FROM STDIN (FORMAT binary)", b,
			    "copying subjects", err)))
		return rc;
	/* each one's id, and whether new or changed: a statement that would
	 * find nothing to do is not sent (on a first import every subject is
	 * new, and the UPDATE's lookups cost as much as the INSERT's) */
	if ((rc = pq(s, "SELECT coalesce(s.id, 0), s.id IS NOT NULL AND" SUBJ_DIFFERS
		     " FROM xy_stage_s t LEFT JOIN LATERAL (" SUBJ_OF("t.code") ") s ON true"
		     " ORDER BY t.o", NULL, "comparing subjects", &r, err)))
		return rc;
	if ((size_t)PQntuples(r) != nstg) {
		PQclear(r);
		return xy_error_set(err, XY_ERR_STORE, "comparing subjects: %d of %zu",
				    PQntuples(r), nstg);
	}
	fresh = changed = 0;
	for (size_t k = 0; k < nstg; k++) { /* stg[] is in the order of t.o */
		L->subj[stg[k]].id = ci(r, (int)k, 0);
		fresh += !L->subj[stg[k]].id;
		changed += !strcmp(cv(r, (int)k, 1), "t");
	}
	PQclear(r);
	if (!fresh && !changed)
		goto settle;
	if ((rc = xy__pg_lock_subjects(s, err)))
		return rc;
	now_iso(now);
	a_str(&a, now);
	/* another process cannot insert these codes meanwhile (the lock), so
	 * NOT EXISTS is exact and no identity value is drawn in vain */
	if (fresh &&
	    (rc = pq(s, "WITH n AS (INSERT INTO subjects(kind, code, code_enc, code_type, name,"
		     " division, created_at, updated_at) SELECT t.kind, t.code, t.code_enc,"
		     " t.code_type, t.name, t.division, $1, $1 FROM xy_stage_s t WHERE ("
		     SUBJ_ID("t.code") ") IS NULL ORDER BY t.o RETURNING id, code), k AS ("
		     "INSERT INTO subject_keys(code, subject_id) SELECT code, id FROM n)"
		     " SELECT id, code FROM n", &a, "inserting subjects", &r, err)))
		return rc;
	if (fresh) {
		/* their ids, returned in the order inserted (file order): the
		 * missing ones, less any another import added in between */
		size_t j = 0;
		got = 0;
		for (int k = 0; k < PQntuples(r); k++) {
			while (j < nstg && (L->subj[stg[j]].id ||
					    strcmp(L->scode[L->subj[stg[j]].first], cv(r, k, 1))))
				j++;
			if (j == nstg)
				break; /* not in that order after all: read them all below */
			L->subj[stg[j]].id = ci(r, k, 0);
			got++;
		}
		/* fewer inserted than were missing: another import added some
		 * between the count and the lock, and they may differ */
		if (atoll(PQcmdTuples(r)) < fresh)
			changed = 1;
		PQclear(r);
	}
	/* the UPDATE compares every staged subject again under the lock */
	if (changed) {
		if ((rc = pq(s, "UPDATE subjects s SET kind = t.kind, code_type = t.code_type,"
			     " name = CASE WHEN t.name <> '' THEN t.name ELSE s.name END,"
			     " division = t.division, updated_at = $1 FROM xy_stage_s t"
			     " WHERE s.id = (" SUBJ_ID("t.code") ") AND" SUBJ_DIFFERS, &a,
			     "updating subjects", NULL, err)))
			return rc;
		exact = true;
	}
	if (got != fresh) {
		/* the ids of those another import added (the records are sent
		 * with their subject's id) */
		if ((rc = pq(s, "SELECT (" SUBJ_ID("t.code") ") FROM xy_stage_s t ORDER BY t.o",
			     NULL, "reading subject ids", &r, err)))
			return rc;
		for (size_t k = 0; k < nstg && k < (size_t)PQntuples(r); k++)
			L->subj[stg[k]].id = ci(r, (int)k, 0);
		if ((size_t)PQntuples(r) != nstg)
			rc = xy_error_set(err, XY_ERR_STORE, "reading subject ids: %d of %zu",
					  PQntuples(r), nstg);
		for (size_t k = 0; !rc && k < nstg; k++)
			if (!L->subj[stg[k]].id)
				rc = xy_error_set(err, XY_ERR_STORE,
						  "reading subject ids: one missing");
		PQclear(r);
		if (rc)
			return rc;
	}
settle:
	if (exact)
		for (size_t k = 0; k < nstg; k++)
			settled_put(s, L->scode[L->subj[stg[k]].first], &L->subj[stg[k]]);
	return XY_OK;
}

/* ---- records ---- */

/* "{a,b,…}" of the values v[0..n) into out: a bigint[] or int[] parameter */
static int array_add(xy_buf *out, int64_t v)
{
	char num[24];
	snprintf(num, sizeof num, "%lld", (long long)v);
	return xy_buf_addch(out, out->len > 1 ? ',' : '{') == XY_OK &&
			       xy_buf_addstr(out, num) == XY_OK
		       ? 0
		       : -1;
}

/* the same for a text[] of hex digits (no character needs quoting) */
static int array_add_hex(xy_buf *out, const unsigned char *v, size_t n)
{
	char hex[2 * XY__PII_HASH_BYTES + 1];
	sodium_bin2hex(hex, sizeof hex, v, n);
	return xy_buf_addch(out, out->len > 1 ? ',' : '{') == XY_OK &&
			       xy_buf_addstr(out, hex) == XY_OK
		       ? 0
		       : -1;
}

static const char *array_end(xy_buf *out)
{
	if (!out->len && xy_buf_addch(out, '{'))
		return NULL;
	return xy_buf_addch(out, '}') ? NULL : out->data;
}

static int copy_int8(xy_buf *b, int64_t v)
{
	return put_be(b, 8, 4) || put_be(b, (uint64_t)v, 8) ? -1 : 0;
}

/* 0 as SQL NULL (a record without subject) */
static int copy_id(xy_buf *b, int64_t v)
{
	return v ? copy_int8(b, v) : copy_field(b, NULL, 0);
}

/* Row i's decision date as stored: NULL when empty */
static const char *decided(const xy_record_in *r)
{
	return r->decided_on && r->decided_on[0] ? r->decided_on : NULL;
}

static int64_t subject_of(const load *L, size_t i)
{
	return L->sidx[i] == SIZE_MAX ? 0 : L->subj[L->sidx[i]].id;
}

/* The keys of rows[0..n) as a binary text[] (the documentation's
 * array_send: dimensions, flags, element type, then each element as length
 * and bytes). */
static int text_array(const load *L, xy_buf *b, const size_t *rows, size_t n)
{
	xy_buf_reset(b);
	if (put_be(b, 1, 4) || put_be(b, 0, 4) || put_be(b, 25, 4) /* text */ ||
	    put_be(b, n, 4) || put_be(b, 1, 4))
		return -1;
	for (size_t k = 0; k < n; k++)
		if (copy_str(b, L->rows[rows[k]].rec.key))
			return -1;
	return 0;
}

/* The keys of the rows that are not duplicates within the chunk, row
 * indexes into L->krow. */
static int keys_array(load *L, xy_buf *b, size_t *nk)
{
	size_t n = 0;
	for (size_t i = 0; i < L->n; i++)
		if (!L->dup[i])
			L->krow[n++] = i;
	*nk = n;
	return text_array(L, b, L->krow, n);
}

/* The outcome of each row: the chunk's keys looked up in record_keys (an
 * index lookup each; their last_batch says a duplicate of an earlier chunk,
 * their digest an unchanged record); only a record whose digest differs or
 * is not known yet is read from records and compared in C after
 * decrypting, since data is encrypted with a random nonce (one statement a
 * partition by id = ANY, which postgres_fdw sends to a shard as it is).
 * Out: the rows to touch (touched), the ids to touch and give their digest (heal:
 * ids, digests as hex), updated in place (arr[1], arr[2]: ids, rows) or
 * moved to another subject (arr[3], arr[4]). */
static xy_code compare_records(load *L, xy_buf *heal, xy_buf *heal_digest, xy_error *err)
{
	pg_store *s = L->s;
	const xy_record_in *r0 = &L->rows[0].rec;
	xy_buf check = XY_BUF_INIT;
	pq_args a = { .n = 0 };
	PGresult *q = NULL, *ids = NULL;
	xy_code rc;
	size_t nk;
	int nids, j = 0, nchecked = 0;
	for (size_t i = 0; i < L->n; i++)
		L->res[i] = L->dup[i] ? XY_UPSERT_DUPLICATE : XY_UPSERT_NEW;
	if (keys_array(L, &L->copy, &nk))
		return xy_error_set(err, XY_ERR_NOMEM, "out of memory");
	a_int(&a, r0->unit_id);
	a_int(&a, r0->category_id);
	a_bin(&a, L->copy.data, L->copy.len);
	if ((rc = pq(s, "SELECT u.o - 1, k.record_id, coalesce(k.subject_id, 0), k.last_batch,"
		     " k.digest FROM unnest($3::text[]) WITH ORDINALITY u(key, o) JOIN LATERAL ("
		     KEY_OF("u.key") ") k ON true ORDER BY k.record_id", &a, "reading records",
		     &ids, err)))
		return rc;
	nids = PQntuples(ids);
	for (int k = 0; k < nids && !rc; k++) {
		size_t o = (size_t)ci(ids, k, 0), i;
		int64_t id = ci(ids, k, 1);
		if (o >= nk) {
			rc = xy_error_set(err, XY_ERR_STORE, "reading records: key %zu unexpected", o);
			break;
		}
		i = L->krow[o];
		L->res[i] = XY_UPSERT_UPDATED; /* until found unchanged */
		if (ci(ids, k, 3) == r0->batch_id) {
			L->res[i] = XY_UPSERT_DUPLICATE;
			continue;
		}
		xy__pii_record_digest(&s->pii.cur, decided(&L->rows[i].rec), L->rows[i].rec.data,
				      L->rows[i].rec.data_len, L->digest[i]);
		if (ci(ids, k, 2) == subject_of(L, i) && !PQgetisnull(ids, k, 4)) {
			size_t dn = 0;
			unsigned char *d = PQunescapeBytea((const unsigned char *)cv(ids, k, 4), &dn);
			bool same = d && dn == XY__PII_HASH_BYTES &&
				    !sodium_memcmp(d, L->digest[i], XY__PII_HASH_BYTES);
			PQfreemem(d);
			if (same) {
				L->res[i] = XY_UPSERT_UNCHANGED;
				L->touched[L->ntouched++] = i;
				continue;
			}
		}
		nchecked++;
		if (array_add(&check, id))
			rc = xy_error_set(err, XY_ERR_NOMEM, "out of memory");
	}
	if (!rc && nchecked) {
		if (!array_end(&check)) {
			rc = xy_error_set(err, XY_ERR_NOMEM, "out of memory");
			goto out;
		}
		a.n = 0;
		a_str(&a, check.data);
		if ((rc = pq(s, "SELECT id, coalesce(subject_id, 0), coalesce(decided_on, ''), data"
			     " FROM records WHERE id = ANY($1::bigint[]) ORDER BY id", &a,
			     "reading records", &q, err)))
			goto out;
	}
	/* ids and q both by id; q holds the checked ones only */
	for (int k = 0; !rc && nchecked && k < PQntuples(q); k++) {
		size_t i;
		while (j < nids && ci(ids, j, 1) < ci(q, k, 0))
			j++;
		if (j == nids || ci(ids, j, 1) != ci(q, k, 0)) {
			rc = xy_error_set(err, XY_ERR_STORE, "reading records: record %lld unexpected",
					  (long long)ci(q, k, 0));
			break;
		}
		i = L->krow[ci(ids, j, 0)];
		int64_t id = ci(q, k, 0), was = ci(q, k, 1), now = subject_of(L, i);
		const xy_record_in *r = &L->rows[i].rec;
		const char *dec = r->decided_on ? r->decided_on : "";
		if ((rc = xy__pg_col_dec(s, q, k, 3, &L->old, err)))
			break;
		if (was == now && !strcmp(cv(q, k, 2), dec) && L->old.len == r->data_len &&
		    !memcmp(L->old.data, r->data, r->data_len)) {
			L->res[i] = XY_UPSERT_UNCHANGED; /* its digest written with the touch */
			if (array_add(heal, id) || array_add_hex(heal_digest, L->digest[i],
								 XY__PII_HASH_BYTES))
				rc = xy_error_set(err, XY_ERR_NOMEM, "out of memory");
		} else {
			int m = was == now ? 1 : 3;
			if (array_add(&L->arr[m], id) || array_add(&L->arr[m + 1], (int64_t)i))
				rc = xy_error_set(err, XY_ERR_NOMEM, "out of memory");
		}
	}
	if (!rc && nchecked && PQntuples(q) != nchecked)
		rc = xy_error_set(err, XY_ERR_STORE, "reading records: %d of %d found",
				  PQntuples(q), nchecked);
out:
	PQclear(q);
	PQclear(ids);
	xy_buf_release(&check);
	return rc;
}

/* The updated rows (arr[2] and arr[4]) into xy_stage_r: what their UPDATE
 * and move need from C, with their digest and subject id. */
static xy_code copy_updated(load *L, xy_error *err)
{
	pg_store *s = L->s;
	xy_buf *b = &L->copy;
	if (copy_begin(b))
		return xy_error_set(err, XY_ERR_NOMEM, "out of memory");
	for (size_t i = 0; i < L->n; i++) {
		const xy_record_in *r = &L->rows[i].rec;
		if (L->res[i] != XY_UPSERT_UPDATED)
			continue;
		if (xy__pii_seal(&s->pii.cur, r->data, r->data_len, &L->enc) ||
		    put_be(b, 5, 2) || copy_int4(b, (uint32_t)i) || copy_id(b, subject_of(L, i)) ||
		    copy_str(b, decided(r)) || copy_field(b, L->enc.data, L->enc.len) ||
		    copy_field(b, L->digest[i], XY__PII_HASH_BYTES))
			return xy_error_set(err, XY_ERR_NOMEM, "out of memory");
	}
	s->stage_used |= PG_STAGE_R;
	return copy_send(s, "COPY xy_stage_r FROM STDIN (FORMAT binary)", b, "copying records",
			 err);
}

/* The new rows straight into record_keys and records, by binary COPY, with
 * ids drawn from the sequence first, one for each, in file order: exact
 * (no gap) since the (unit, category) lock keeps other imports off these
 * keys, so every key found missing is inserted. */
static xy_code insert_new(load *L, size_t nfresh, xy_error *err)
{
	pg_store *s = L->s;
	const xy_record_in *r0 = &L->rows[0].rec;
	xy_buf *b = &L->copy;
	pq_args a = { .n = 0 };
	PGresult *q = NULL;
	int64_t *id = calloc(nfresh, sizeof *id);
	size_t k = 0;
	xy_code rc;
	if (!id)
		return xy_error_set(err, XY_ERR_NOMEM, "out of memory");
	a_int(&a, (int64_t)nfresh);
	if ((rc = pq(s, "SELECT nextval('records_id_seq') FROM generate_series(1, $1::int)", &a,
		     "drawing record ids", &q, err)))
		goto out;
	if ((size_t)PQntuples(q) != nfresh) {
		rc = xy_error_set(err, XY_ERR_STORE, "drawing record ids: %d of %zu", PQntuples(q),
				  nfresh);
		goto out;
	}
	for (k = 0; k < nfresh; k++) { /* drawn one after another: increasing */
		id[k] = ci(q, (int)k, 0);
		if (k && id[k] <= id[k - 1]) {
			rc = xy_error_set(err, XY_ERR_STORE, "drawing record ids: not increasing");
			goto out;
		}
	}
#define KEYS_WHAT "inserting record keys"
	if ((rc = copy_open(s, "COPY record_keys(unit_id, category_id, key, record_id, subject_id,"
			    " last_batch, digest) FROM STDIN (FORMAT binary)", b, KEYS_WHAT, err)))
		goto out;
	k = 0;
	for (size_t i = 0; i < L->n && !rc; i++) {
		const xy_record_in *r = &L->rows[i].rec;
		if (L->res[i] != XY_UPSERT_NEW)
			continue;
		xy__pii_record_digest(&s->pii.cur, decided(r), r->data, r->data_len, L->digest[i]);
		if (put_be(b, 7, 2) || copy_int8(b, r0->unit_id) || copy_int8(b, r0->category_id) ||
		    copy_str(b, r->key) || copy_int8(b, id[k++]) || copy_id(b, subject_of(L, i)) ||
		    copy_int8(b, r0->batch_id) ||
		    copy_field(b, L->digest[i], XY__PII_HASH_BYTES))
			rc = xy_error_set(err, XY_ERR_NOMEM, "out of memory");
		else
			rc = copy_more(s, b, KEYS_WHAT, err);
	}
	if ((rc = copy_close(s, b, rc, KEYS_WHAT, err)))
		goto out;
#define RECORDS_WHAT "inserting records"
#define RECORDS_COLS "(id, unit_id, category_id, key, subject_id, decided_on, first_batch," \
	" data_batch, data)"
	if (s->records_remote)
		s->stage_used |= PG_STAGE_N;
	if ((rc = copy_open(s, s->records_remote ? "COPY xy_stage_n FROM STDIN (FORMAT binary)"
			    : "COPY records" RECORDS_COLS " FROM STDIN (FORMAT binary)", b,
			    RECORDS_WHAT, err)))
		goto out;
	k = 0;
	for (size_t i = 0; i < L->n && !rc; i++) {
		const xy_record_in *r = &L->rows[i].rec;
		if (L->res[i] != XY_UPSERT_NEW)
			continue;
		if (xy__pii_seal(&s->pii.cur, r->data, r->data_len, &L->enc) ||
		    put_be(b, 9, 2) || copy_int8(b, id[k++]) || copy_int8(b, r0->unit_id) ||
		    copy_int8(b, r0->category_id) || copy_str(b, r->key) ||
		    copy_id(b, subject_of(L, i)) || copy_str(b, decided(r)) ||
		    copy_int8(b, r0->batch_id) || copy_int8(b, r0->batch_id) ||
		    copy_field(b, L->enc.data, L->enc.len))
			rc = xy_error_set(err, XY_ERR_NOMEM, "out of memory");
		else
			rc = copy_more(s, b, RECORDS_WHAT, err);
	}
	rc = copy_close(s, b, rc, RECORDS_WHAT, err);
	if (!rc && s->records_remote)
		rc = pq(s, "INSERT INTO records" RECORDS_COLS " SELECT * FROM xy_stage_n ORDER BY id",
			NULL, RECORDS_WHAT, NULL, err);
#undef RECORDS_COLS
#undef KEYS_WHAT
#undef RECORDS_WHAT
out:
	PQclear(q);
	free(id);
	return rc;
}

/* The rows of the chunk's updated records: stage row u.o's values for
 * record u.id, ids and rows the arrays $2 and $3 */
#define UPDATED_ROWS                                                                    \
	"SELECT u.id, t.subject_id, t.decided AS decided_on, t.data, t.digest"           \
	" FROM unnest($2::bigint[], $3::int[]) u(id, o) JOIN xy_stage_r t ON t.o = u.o"

static xy_code load_records(load *L, xy_error *err)
{
	pg_store *s = L->s;
	const xy_record_in *r0 = &L->rows[0].rec;
	xy_buf heal = XY_BUF_INIT, heal_digest = XY_BUF_INIT;
	pq_args a = { .n = 0 };
	size_t nfresh = 0, nupdated = 0;
	xy_code rc;
	for (int k = 0; k < 5; k++)
		xy_buf_reset(&L->arr[k]);
	if ((rc = compare_records(L, &heal, &heal_digest, err)))
		goto out;
	for (size_t i = 0; i < L->n; i++) {
		nfresh += L->res[i] == XY_UPSERT_NEW;
		nupdated += L->res[i] == XY_UPSERT_UPDATED;
	}
	for (int k = 0; k < 5 && !rc; k++)
		if (!array_end(&L->arr[k]))
			rc = xy_error_set(err, XY_ERR_NOMEM, "out of memory");
	if (rc || !array_end(&heal) || !array_end(&heal_digest)) {
		rc = rc ? rc : xy_error_set(err, XY_ERR_NOMEM, "out of memory");
		goto out;
	}
	a_int(&a, r0->batch_id);
	/* unchanged: only the narrow record_keys row is written, found by its
	 * primary key.  Not by record_id = ANY(ids): record_id is not unique
	 * since schema 25, and before autovacuum has analysed the table (right
	 * after a large first import) the planner guessed thousands of rows
	 * per id and scanned all of it for every chunk (a 10,000,000-record
	 * re-import ran ~2 s a chunk; the primary key's uniqueness needs no
	 * statistics) */
	if (L->ntouched) {
		if (text_array(L, &L->copy, L->touched, L->ntouched)) {
			rc = xy_error_set(err, XY_ERR_NOMEM, "out of memory");
			goto out;
		}
		a_int(&a, r0->unit_id);
		a_int(&a, r0->category_id);
		a_bin(&a, L->copy.data, L->copy.len);
		if ((rc = pq(s, "UPDATE record_keys SET last_batch = $1 WHERE unit_id = $2"
			     " AND category_id = $3 AND key = ANY($4::text[])", &a,
			     "updating records", NULL, err)))
			goto out;
		a.n = 1;
	}
	if (heal.len > 2) {
		a_str(&a, heal.data);
		a_str(&a, heal_digest.data);
		if ((rc = pq(s, "UPDATE record_keys k SET last_batch = $1, digest = decode(u.d, 'hex')"
			     " FROM unnest($2::bigint[], $3::text[]) u(id, d)"
			     " WHERE k.record_id = ANY($2::bigint[]) AND k.record_id = u.id", &a,
			     "updating records", NULL, err)))
			goto out;
		a.n = 1;
	}
	if (nupdated && (rc = copy_updated(L, err)))
		goto out;
	/* in place (arr 1, 2), then to another subject (arr 3, 4) */
	for (int m = 1; m <= 3; m += 2) {
		if (L->arr[m].len <= 2)
			continue;
		/* the old versions as they are stored (encrypted), in file order */
		a_str(&a, L->arr[m].data);
		if ((rc = pq(s, "INSERT INTO record_versions(record_id, subject_id, decided_on,"
			     " batch_id, replaced_by, data) SELECT r.id, r.subject_id, r.decided_on,"
			     " r.data_batch, $1, r.data FROM unnest($2::bigint[]) WITH ORDINALITY"
			     " u(id, o) JOIN records r ON r.id = u.id WHERE r.id = ANY($2::bigint[])"
			     " ORDER BY u.o", &a,
			     "keeping record versions", NULL, err)))
			goto out;
		a_str(&a, L->arr[m + 1].data);
		if (m == 1)
			rc = pq(s, "WITH m AS (" UPDATED_ROWS "), u AS (UPDATE records r SET"
				" decided_on = m.decided_on, data_batch = $1, data = m.data FROM m"
				" WHERE r.id = ANY($2::bigint[]) AND r.id = m.id RETURNING r.id)"
				" UPDATE record_keys k SET last_batch = $1, digest = m.digest FROM u"
				" JOIN m ON m.id = u.id WHERE k.record_id = ANY($2::bigint[])"
				" AND k.record_id = u.id", &a, "updating records", NULL, err);
		else
			rc = pq(s, "WITH m AS (" UPDATED_ROWS "), "
				PG_REC_MOVE("r.id = ANY($2::bigint[])", "$1"), &a,
				"moving records to another subject", NULL, err);
		if (rc)
			goto out;
		a.n = 1;
	}
	if (nfresh)
		rc = insert_new(L, nfresh, err);
out:
	xy_buf_release(&heal);
	xy_buf_release(&heal_digest);
	return rc;
}

static xy_code stage(pg_store *s, xy_error *err)
{
	xy_code rc;
	PGresult *r = NULL;
	if (s->staged) {
		/* only those the last chunk filled: a TRUNCATE gives a table a new
		 * file each time (a fresh import fills xy_stage_s alone, and after
		 * its subjects are settled not even that) */
		static const char *const sql[8] = {
			NULL, "TRUNCATE xy_stage_s", "TRUNCATE xy_stage_r",
			"TRUNCATE xy_stage_s, xy_stage_r", "TRUNCATE xy_stage_n",
			"TRUNCATE xy_stage_s, xy_stage_n", "TRUNCATE xy_stage_r, xy_stage_n",
			"TRUNCATE xy_stage_s, xy_stage_r, xy_stage_n"
		};
		unsigned used = s->stage_used & 7u;
		s->stage_used = 0;
		return used ? pq(s, sql[used], NULL, "emptying the staging tables", NULL, err)
			    : XY_OK;
	}
	/* dropped with the transaction; created in it, they are truncated in
	 * place for every chunk.  Never analysed, they look big enough to the
	 * planner that a chunk's INSERT would pass jit_above_cost: the session
	 * has JIT off (xy__pg_open) */
	rc = pq(s, "CREATE TEMP TABLE IF NOT EXISTS xy_stage_s(o int, code text,"
		" code_enc bytea, kind text, code_type text, name text, division text) ON COMMIT DROP;"
		" CREATE TEMP TABLE IF NOT EXISTS xy_stage_r(o int, subject_id bigint,"
		" decided text, data bytea, digest bytea) ON COMMIT DROP;"
		" CREATE TEMP TABLE IF NOT EXISTS xy_stage_n(id bigint, unit_id bigint,"
		" category_id bigint, key text, subject_id bigint, decided_on text,"
		" first_batch bigint, data_batch bigint, data bytea) ON COMMIT DROP;"
		" TRUNCATE xy_stage_s, xy_stage_r, xy_stage_n", NULL, "creating the staging tables",
		NULL, err);
	/* a sharded records (scripts/pg-shard.sh): PostgreSQL 15's postgres_fdw
	 * sends a COPY's rows to a foreign partition one INSERT each, an INSERT
	 * … SELECT's by batch_size (20,000 rows: 4.6 s against 1.7 s), so new
	 * records go through xy_stage_n there (insert_new) */
	if (!rc && !(rc = pq(s, "SELECT EXISTS (SELECT 1 FROM pg_inherits i JOIN pg_class c"
			     " ON c.oid = i.inhrelid WHERE i.inhparent = 'records'::regclass"
			     " AND c.relkind = 'f')", NULL, "reading the records' partitions", &r,
			     err))) {
		s->records_remote = !strcmp(cv(r, 0, 0), "t");
		PQclear(r);
	}
	s->staged = !rc;
	s->stage_used = 0; /* all three emptied above */
	return rc;
}

xy_code xy__pg_records_load(xy_store *base, xy_record_load *rows, size_t n,
			    xy_upsert_result *res, xy_error *err)
{
	pg_store *s = PG(base);
	load L = { .s = s, .rows = rows, .n = n, .res = res, .copy = XY_BUF_INIT,
		   .enc = XY_BUF_INIT, .old = XY_BUF_INIT,
		   .arr = { XY_BUF_INIT, XY_BUF_INIT, XY_BUF_INIT, XY_BUF_INIT,
			    XY_BUF_INIT } };
	xy_code rc;
	if (!n)
		return XY_OK;
	if (!in_tx(s)) /* the staging tables live in a transaction */
		return xy_error_set(err, XY_ERR_ARG, "records_load: not in a transaction");
	L.scode = calloc(n, sizeof *L.scode);
	L.hex = calloc(n, sizeof *L.hex);
	L.subj = calloc(n, sizeof *L.subj);
	L.slot = calloc(SLOTS(n), sizeof *L.slot);
	L.dup = calloc(n, sizeof *L.dup);
	L.sidx = calloc(n, sizeof *L.sidx);
	L.krow = calloc(n, sizeof *L.krow);
	L.stg = calloc(n, sizeof *L.stg);
	L.touched = calloc(n, sizeof *L.touched);
	L.digest = calloc(n, sizeof *L.digest);
	if (!L.scode || !L.hex || !L.subj || !L.slot || !L.dup || !L.sidx || !L.krow || !L.stg || !L.touched ||
	    !L.digest) {
		rc = xy_error_set(err, XY_ERR_NOMEM, "out of memory");
		goto out;
	}
	find_subjects(&L);
	find_dups(&L);
	if (!(rc = stage(s, err)) && !(rc = load_subjects(&L, err)))
		rc = load_records(&L, err);
out:
	free(L.scode);
	free(L.hex);
	free(L.subj);
	free(L.slot);
	free(L.dup);
	free(L.sidx);
	free(L.krow);
	free(L.stg);
	free(L.touched);
	free(L.digest);
	xy_buf_release(&L.copy);
	xy_buf_release(&L.enc);
	xy_buf_release(&L.old);
	for (int k = 0; k < 5; k++)
		xy_buf_release(&L.arr[k]);
	return rc;
}
