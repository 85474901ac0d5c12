/* xinyong: PostgreSQL backend, the bulk load of an import's records
 * (xy_store_records_load; docs/postgresql.md, "The bulk path").
 *
 * A chunk of rows goes to two TEMP staging tables with one binary COPY each
 * (its distinct subjects, its records), then set-based statements do what
 * xy__pg_subject_upsert and xy__pg_record_upsert do row after row:
 *
 * 1. subjects: one query says whether any is new or changed; only then is
 *    the subjects' advisory lock taken (pg_subjects.c: imports naming no new
 *    subject still run side by side); new ones are inserted in the order the
 *    file first names them (ids as the per-row path draws them), changed
 *    ones updated to what the last row of the chunk says.
 * 2. records: the existing records of the chunk's keys are read back (none
 *    on a first import) and compared in C, since data is encrypted with a
 *    random nonce and cannot be compared in SQL; then new records are
 *    inserted in file order, unchanged ones touched, updated ones have their
 *    version kept and are updated, each with one statement over arrays.
 *
 * No gaps in ids: every insert skips what exists before drawing an id (the
 * (unit, category) lock held since the batch row keeps other imports off
 * these keys, the subjects' lock off these subjects). */
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

/* ---- one chunk ---- */

/* A distinct subject of the chunk, as its last row leaves it. */
typedef struct stage_subj {
	char code[HEXLEN];     /* the lookup value when personal */
	const xy_subject *subj; /* the first row naming it */
	const xy_subject *last; /* the last one */
	const char *name;       /* the last non-empty name, "" when none */
	size_t first;           /* the row that first names it */
} stage_subj;

typedef struct load {
	pg_store *s;
	xy_record_load *rows;
	size_t n;
	xy_upsert_result *res;
	const char **scode;     /* per row: its subject's lookup value, NULL none */
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

/* Every lookup is a subquery with LIMIT, which the planner keeps as an
 * index lookup per staged row: as a join it would not know the staging
 * tables hold a chunk (never analysed) and could scan whole tables. */
#define SUBJ_ID(code) "SELECT x.id FROM subjects x WHERE x.code = " code " LIMIT 1"
#define SUBJ_OF(code) "SELECT * FROM subjects x WHERE x.code = " code " LIMIT 1"

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
	int64_t fresh, changed;
	xy_code rc;
	if (!L->nsubj)
		return XY_OK;
	if (copy_begin(b))
		return xy_error_set(err, XY_ERR_NOMEM, "out of memory");
	for (size_t i = 0; i < L->nsubj; i++) {
		const stage_subj *t = &L->subj[i];
		const xy_subject *j = t->last;
		bool personal = t->subj->code != L->scode[t->first];
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
	if ((rc = copy_send(s, "COPY xy_stage_s FROM STDIN (FORMAT binary)", b,
			    "copying subjects", err)))
		return rc;
	/* how many are new, how many changed: a statement that would find
	 * nothing to do is not sent (on a first import every subject is new,
	 * and the UPDATE's lookups cost as much as the INSERT's) */
	if ((rc = pq(s, "SELECT count(*) FILTER (WHERE s.id IS NULL), count(*) FILTER (WHERE"
		     " s.id IS NOT NULL AND" SUBJ_DIFFERS ") FROM xy_stage_s t LEFT JOIN LATERAL ("
		     SUBJ_OF("t.code") ") s ON true", NULL, "comparing subjects", &r, err)))
		return rc;
	fresh = ci(r, 0, 0);
	changed = ci(r, 0, 1);
	PQclear(r);
	if (!fresh && !changed)
		return XY_OK;
	if ((rc = xy__pg_lock_subjects(s, err)))
		return rc;
	now_iso(now);
	a_str(&a, now);
	/* another process cannot insert these codes meanwhile (the lock), so
	 * NOT EXISTS is exact and no identity value is drawn in vain */
	if (fresh && (rc = pq(s, "INSERT INTO subjects(kind, code, code_enc, code_type, name,"
			      " division, created_at, updated_at) SELECT t.kind, t.code, t.code_enc,"
			      " t.code_type, t.name, t.division, $1, $1 FROM xy_stage_s t WHERE ("
			      SUBJ_ID("t.code") ") IS NULL ORDER BY t.o", &a, "inserting subjects",
			      &r, err)))
		return rc;
	if (fresh) {
		/* fewer inserted than were missing: another import added some
		 * between the count and the lock, and they may differ */
		if (atoll(PQcmdTuples(r)) < fresh)
			changed = 1;
		PQclear(r);
	}
	if (!changed)
		return XY_OK;
	return pq(s, "UPDATE subjects s SET kind = t.kind, code_type = t.code_type,"
		  " name = CASE WHEN t.name <> '' THEN t.name ELSE s.name END, division = t.division,"
		  " updated_at = $1 FROM xy_stage_s t WHERE s.id = (" SUBJ_ID("t.code") ") AND" SUBJ_DIFFERS, &a,
		  "updating subjects", NULL, err);
}

static xy_code copy_records(load *L, xy_error *err)
{
	pg_store *s = L->s;
	xy_buf *b = &L->copy;
	if (copy_begin(b))
		return xy_error_set(err, XY_ERR_NOMEM, "out of memory");
	for (size_t i = 0; i < L->n; i++) {
		const xy_record_in *r = &L->rows[i].rec;
		const char *dec = r->decided_on && r->decided_on[0] ? r->decided_on : NULL;
		if (L->dup[i])
			continue; /* a duplicate: nothing of it is written */
		if (xy__pii_seal(&s->pii.cur, r->data, r->data_len, &L->enc) ||
		    put_be(b, 5, 2) || copy_int4(b, (uint32_t)i) || copy_str(b, r->key) ||
		    copy_str(b, L->scode[i]) || copy_str(b, dec) ||
		    copy_field(b, L->enc.data, L->enc.len))
			return xy_error_set(err, XY_ERR_NOMEM, "out of memory");
	}
	return copy_send(s, "COPY xy_stage_r FROM STDIN (FORMAT binary)", b, "copying records",
			 err);
}

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

static const char *array_end(xy_buf *out)
{
	if (!out->len && xy_buf_addch(out, '{'))
		return NULL;
	return xy_buf_addch(out, '}') ? NULL : out->data;
}

/* The outcome of each row, from the records its keys have now: the ids to
 * touch, and the ids and rows updated in place (arr[1], arr[2]) or moved to
 * another subject (arr[3], arr[4]). */
static xy_code compare_records(load *L, xy_buf *touch, xy_error *err)
{
	pg_store *s = L->s;
	const xy_record_in *r0 = &L->rows[0].rec;
	xy_buf known = XY_BUF_INIT;
	pq_args a = { .n = 0 };
	PGresult *q = NULL, *ids = NULL;
	xy_code rc;
	int nk, j = 0;
	for (size_t i = 0; i < L->n; i++)
		L->res[i] = L->dup[i] ? XY_UPSERT_DUPLICATE : XY_UPSERT_NEW;
	a_int(&a, r0->unit_id);
	a_int(&a, r0->category_id);
	/* the ids the chunk's keys have (record_keys, an index lookup each) and
	 * the subject each row names, then their records by id = ANY(ids): one
	 * statement a partition, which postgres_fdw sends to a shard as it is
	 * (PG_REC_OF would be one remote query a row).  Both come by id and are
	 * matched here: a join of the two leaves the planner, which knows
	 * neither size, free to read the records again for every staged row. */
	if ((rc = pq(s, "SELECT k.record_id, t.o, coalesce((" SUBJ_ID("t.scode") "), 0)"
		     " FROM xy_stage_r t JOIN LATERAL (" KEY_OF("t.key") ") k ON true"
		     " ORDER BY k.record_id", &a, "reading records", &ids, err)))
		return rc;
	nk = PQntuples(ids);
	for (int k = 0; k < nk && !rc; k++)
		if (array_add(&known, ci(ids, k, 0)))
			rc = xy_error_set(err, XY_ERR_NOMEM, "out of memory");
	if (!rc && nk && !array_end(&known))
		rc = xy_error_set(err, XY_ERR_NOMEM, "out of memory");
	if (!rc && nk) {
		a.n = 0;
		a_str(&a, known.data);
		rc = pq(s, "SELECT id, coalesce(subject_id, 0), coalesce(decided_on, ''), last_batch,"
			" data FROM records WHERE id = ANY($1::bigint[]) ORDER BY id", &a,
			"reading records", &q, err);
	}
	for (int k = 0; !rc && nk && k < PQntuples(q); k++) {
		while (j < nk && ci(ids, j, 0) < ci(q, k, 0))
			j++;
		if (j == nk || ci(ids, j, 0) != ci(q, k, 0) || (size_t)ci(ids, j, 1) >= L->n) {
			rc = xy_error_set(err, XY_ERR_STORE, "reading records: record %lld unexpected",
					  (long long)ci(q, k, 0));
			break;
		}
		size_t i = (size_t)ci(ids, j, 1);
		int64_t id = ci(q, k, 0), was = ci(q, k, 1), now = ci(ids, j, 2);
		const xy_record_in *r = &L->rows[i].rec;
		const char *dec = r->decided_on ? r->decided_on : "";
		if (ci(q, k, 3) == r->batch_id) {
			L->res[i] = XY_UPSERT_DUPLICATE;
			continue;
		}
		if ((rc = xy__pg_col_dec(s, q, k, 4, &L->old, err)))
			break;
		if (was == now && !strcmp(cv(q, k, 2), dec) && L->old.len == r->data_len &&
		    !memcmp(L->old.data, r->data, r->data_len)) {
			L->res[i] = XY_UPSERT_UNCHANGED;
			if (array_add(touch, id))
				rc = xy_error_set(err, XY_ERR_NOMEM, "out of memory");
		} else {
			int m = was == now ? 1 : 3;
			L->res[i] = XY_UPSERT_UPDATED;
			if (array_add(&L->arr[m], id) || array_add(&L->arr[m + 1], (int64_t)i))
				rc = xy_error_set(err, XY_ERR_NOMEM, "out of memory");
		}
	}
	PQclear(q);
	PQclear(ids);
	xy_buf_release(&known);
	return rc;
}

/* The rows of the chunk's updated records: stage row u.o's values for
 * record u.id, ids and rows the arrays $2 and $3 */
#define UPDATED_ROWS                                                                       \
	"SELECT u.id, (" SUBJ_ID("t.scode") ") AS subject_id, t.decided AS decided_on, t.data" \
	" FROM unnest($2::bigint[], $3::int[]) u(id, o) JOIN xy_stage_r t ON t.o = u.o"

static xy_code load_records(load *L, xy_error *err)
{
	pg_store *s = L->s;
	const xy_record_in *r0 = &L->rows[0].rec;
	xy_buf *touch = &L->arr[0];
	xy_buf fresh = XY_BUF_INIT;
	pq_args a = { .n = 0 };
	size_t nfresh = 0, nstaged = 0; /* rows new; rows in xy_stage_r */
	xy_code rc;
	for (int k = 0; k < 5; k++)
		xy_buf_reset(&L->arr[k]);
	if ((rc = copy_records(L, err)) || (rc = compare_records(L, touch, err)))
		goto out;
	for (size_t i = 0; i < L->n && !rc; i++) {
		nstaged += !L->dup[i];
		if (L->res[i] == XY_UPSERT_NEW) {
			nfresh++;
			if (array_add(&fresh, (int64_t)i))
				rc = xy_error_set(err, XY_ERR_NOMEM, "out of memory");
		}
	}
	for (int k = 0; k < 5 && !rc; k++)
		if (!array_end(&L->arr[k]))
			rc = xy_error_set(err, XY_ERR_NOMEM, "out of memory");
	if (rc || !array_end(&fresh)) {
		rc = rc ? rc : xy_error_set(err, XY_ERR_NOMEM, "out of memory");
		goto out;
	}
	a_int(&a, r0->batch_id);
	if (touch->len > 2) {
		a_str(&a, touch->data);
		if ((rc = pq(s, "UPDATE records SET last_batch = $1 WHERE id = ANY($2::bigint[])",
			     &a, "updating records", NULL, err)))
			goto out;
		a.n = 1;
	}
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
			rc = pq(s, "UPDATE records r SET decided_on = m.decided_on, last_batch = $1,"
				" data_batch = $1, data = m.data FROM (" UPDATED_ROWS ") m"
				" WHERE r.id = ANY($2::bigint[]) AND r.id = m.id", &a,
				"updating records", NULL, err);
		else
			rc = pq(s, "WITH m AS (" UPDATED_ROWS "), "
				PG_REC_MOVE("r.id = ANY($2::bigint[])", "$1"), &a,
				"moving records to another subject", NULL, err);
		if (rc)
			goto out;
		a.n = 1;
	}
	if (nfresh) {
		/* each key claimed in record_keys with an id drawn in file order,
		 * its record inserted with it; when every staged row is new (a
		 * first import) without the filter, which tests each staged row
		 * against the whole array */
#define INSERT_NEW(filter)                                                                      \
	"WITH k AS (INSERT INTO record_keys(unit_id, category_id, key, record_id, subject_id)"  \
	" SELECT $2, $3, t.key, nextval('records_id_seq'), t.subject_id FROM (SELECT t.key, ("  \
	SUBJ_ID("t.scode") ") AS subject_id FROM xy_stage_r t " filter " ORDER BY t.o) t"       \
	" RETURNING key, record_id, subject_id) INSERT INTO records(id, unit_id, category_id,"   \
	" key, subject_id, decided_on, first_batch, last_batch, data_batch, data) SELECT"       \
	" k.record_id, $2, $3, t.key, k.subject_id, t.decided, $1, $1, $1, t.data FROM k JOIN"  \
	" xy_stage_r t ON t.key = k.key ORDER BY k.record_id"
		bool all = nfresh == nstaged;
		a_int(&a, r0->unit_id);
		a_int(&a, r0->category_id);
		if (!all)
			a_str(&a, fresh.data);
		rc = pq(s, all ? INSERT_NEW("") : INSERT_NEW("WHERE t.o = ANY($4::int[])"), &a,
			"inserting records", NULL, err);
#undef INSERT_NEW
	}
out:
	xy_buf_release(&fresh);
	return rc;
}

static xy_code stage(pg_store *s, xy_error *err)
{
	xy_code rc;
	if (s->staged)
		return pq(s, "TRUNCATE xy_stage_s, xy_stage_r", NULL, "emptying the staging tables",
			  NULL, err);
	/* dropped with the transaction; created in it, they are truncated in
	 * place for every chunk.  Never analysed, the staging tables look big
	 * enough to the planner that a chunk's INSERT passes jit_above_cost:
	 * compiling it took 0.85 s of a 0.92 s statement, every chunk (a
	 * 200,000-row import: 40 s of server CPU instead of 10), so JIT is off
	 * for the rest of the import's transaction -- where the server has the
	 * setting (PostgreSQL 11 on; a compatible server may not: SET would fail) */
	rc = pq(s, "SELECT set_config('jit', 'off', true) WHERE current_setting('jit', true)"
		" IS NOT NULL; CREATE TEMP TABLE IF NOT EXISTS xy_stage_s(o int, code text,"
		" code_enc bytea, kind text, code_type text, name text, division text) ON COMMIT DROP;"
		" CREATE TEMP TABLE IF NOT EXISTS xy_stage_r(o int, key text, scode text,"
		" decided text, data bytea) ON COMMIT DROP;"
		" TRUNCATE xy_stage_s, xy_stage_r", NULL, "creating the staging tables", NULL, err);
	s->staged = !rc;
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
	if (!L.scode || !L.hex || !L.subj || !L.slot || !L.dup) {
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
	xy_buf_release(&L.copy);
	xy_buf_release(&L.enc);
	xy_buf_release(&L.old);
	for (int k = 0; k < 5; k++)
		xy_buf_release(&L.arr[k]);
	return rc;
}
