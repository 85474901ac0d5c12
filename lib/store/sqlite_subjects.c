/* xinyong: the SQLite backend's subjects: upsert through the subject cache, lookup by code,
 * name search (FTS5 trigram or a scan).
 * Split from sqlite.c; every value bound, each statement prepared once per
 * handle in its slot (xy__sq_prep, [XY__SQ_SUBJECTS, +24)). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "xinyong/buf.h"
#include "xinyong/store.h"
#include "sqlite_int.h"

enum st {
	ST_SUBJ_GET,
	ST_SUBJ_INSERT,
	ST_SUBJ_UPDATE,
	ST_FTS_INSERT,
	ST_FTS_FLUSH,
	ST_SUBJ_BY_CODE,
	ST_SUBJ_BY_MASK,
	ST_SUBJ_FTS,
	ST_SUBJ_SCAN,
	ST_SUBJ_SEARCH_FTS,
	ST_SUBJ_SEARCH_SCAN,
	ST__N
};

#define SUBJ_COLS "s.id, s.kind, " SCODE(s) ", s.code_type, s.name, s.division"

static const char *const sql_text[ST__N] = {
	[ST_SUBJ_GET] =
		"SELECT id, kind, code_type, name, division FROM subjects WHERE code = xy_lk(?1, ?2)",
	[ST_SUBJ_INSERT] =
		"INSERT INTO subjects(kind, code, code_enc, code_type, name, division, created_at,"
		" updated_at) VALUES (?1, xy_lk(?2, ?3), xy_enc_if(?2, ?3), ?3, ?4, ?5, ?6, ?6)",
	[ST_SUBJ_UPDATE] =
		"UPDATE subjects SET kind = ?2, code_type = ?3, name = ?4, division = ?5,"
		" updated_at = ?6 WHERE id = ?1",
	[ST_FTS_INSERT] = "INSERT INTO subjects_fts(rowid, name) VALUES (?1, ?2)",
	/* the names of the subjects a bulk transaction inserted (fts_from) */
	[ST_FTS_FLUSH] = "INSERT INTO subjects_fts(rowid, name)"
			 " SELECT id, name FROM subjects WHERE id >= ?1 ORDER BY id",
	/* `code IN (?1, xy_h(?1))` written as two index lookups: SQLite 3.40
	 * builds an ephemeral table for any IN list, which cost a check ~15 % of
	 * its instructions (a code and its hash are never both stored) */
	[ST_SUBJ_BY_CODE] = "SELECT " SUBJ_COLS " FROM subjects s WHERE s.code = ?1"
			    " UNION ALL SELECT " SUBJ_COLS " FROM subjects s WHERE s.code = xy_h(?1)",
	/* masked subjects of one mask: their codes are "MASK NAME" (store.h);
	 * a range on the unique index of code */
	[ST_SUBJ_BY_MASK] = "SELECT " SUBJ_COLS " FROM subjects s WHERE s.code > ?1 || ' '"
			    " AND s.code < ?1 || '!' AND s.code_type = 'ric_masked'"
			    " ORDER BY s.code LIMIT ?2",
	/* exact name first, then by name */
	[ST_SUBJ_FTS] =
		"SELECT " SUBJ_COLS " FROM subjects_fts f JOIN subjects s ON s.id = f.rowid"
		" WHERE subjects_fts MATCH ?1"
		" ORDER BY s.name <> ?2, s.name, s.id LIMIT ?3",
	[ST_SUBJ_SCAN] =
		"SELECT " SUBJ_COLS " FROM subjects s WHERE instr(s.name, ?1) > 0"
		" ORDER BY s.name <> ?1, s.name, s.id LIMIT ?2",
	/* keyset pages of a name search, by id: the scan stops at the page's
	 * last match instead of sorting every match (?4 = 1: no natural persons) */
	[ST_SUBJ_SEARCH_FTS] =
		"SELECT " SUBJ_COLS " FROM subjects_fts f JOIN subjects s ON s.id = f.rowid"
		" WHERE subjects_fts MATCH ?1 AND f.rowid > ?2 AND (?4 = 0 OR s.kind <> 'person')"
		" ORDER BY f.rowid LIMIT ?3",
	[ST_SUBJ_SEARCH_SCAN] =
		"SELECT " SUBJ_COLS " FROM subjects s WHERE s.id > ?2 AND instr(s.name, ?1) > 0"
		" AND (?4 = 0 OR s.kind <> 'person') ORDER BY s.id LIMIT ?3",
};

static xy_code prep(sq_store *s, enum st id, sqlite3_stmt **out, xy_error *err)
{
	return xy__sq_prep(&s->base, XY__SQ_SUBJECTS + id, sql_text[id], out, err);
}


/* Index the names of the subjects this bulk transaction inserted.  Done by
 * groups of FTS_GROUP subjects: one flush of all the subjects of a 1M-row
 * import at COMMIT raised peak RSS from 59 to 70 MB. */
#define FTS_GROUP 4096
xy_code xy__sq_fts_flush(sq_store *s, xy_error *err)
{
	sqlite3_stmt *st = NULL;
	xy_code rc;
	if (!s->fts_from)
		return XY_OK;
	if ((rc = prep(s, ST_FTS_FLUSH, &st, err)))
		return rc;
	sq_bind_int64(s, st, 1, s->fts_from);
	if ((rc = sq_run(s, st, "indexing subject names", err)))
		return rc;
	s->fts_from = 0;
	return XY_OK;
}

static uint64_t subj_hash(const sq_store *s, const void *p, size_t n)
{
	unsigned char h[crypto_shorthash_BYTES];
	uint64_t v;
	crypto_shorthash(h, p, n, s->cache_key);
	memcpy(&v, h, sizeof v);
	return v;
}

/* Hash of the columns other than the code (their lengths first, so no two
 * different subjects hash the same bytes). */
static uint64_t subj_content(const sq_store *s, const xy_subject *subj)
{
	crypto_generichash_state g;
	unsigned char h[crypto_generichash_BYTES_MIN];
	size_t len[3] = { strlen(subj->name), strlen(subj->code_type), strlen(subj->division) };
	char kind = (char)subj->kind;
	uint64_t v;
	crypto_generichash_init(&g, s->cache_key, sizeof s->cache_key, sizeof h);
	crypto_generichash_update(&g, (const unsigned char *)len, sizeof len);
	crypto_generichash_update(&g, (const unsigned char *)subj->name, len[0]);
	crypto_generichash_update(&g, (const unsigned char *)subj->code_type, len[1]);
	crypto_generichash_update(&g, (const unsigned char *)subj->division, len[2]);
	crypto_generichash_update(&g, (const unsigned char *)&kind, 1);
	crypto_generichash_final(&g, h, sizeof h);
	memcpy(&v, h, sizeof v);
	return v;
}

static xy_code subject_write(sq_store *s, xy_subject *subj, size_t clen, xy_error *err);

struct write_arg {
	xy_subject *subj;
	size_t clen;
};

static xy_code subject_write_tx(sq_store *s, void *arg, xy_error *err)
{
	struct write_arg *a = arg;
	return subject_write(s, a->subj, a->clen, err);
}

xy_code xy__sq_subject_upsert(xy_store *base, xy_subject *subj, xy_error *err)
{
	sq_store *s = SQ(base);
	size_t clen = strlen(subj->code);
	struct subj_slot *slot = NULL;
	uint64_t h = 0;
	uint32_t content = 0;
	xy_code rc;

	if (!s->cache) {
		if (sodium_init() >= 0 && (s->cache = calloc(SUBJ_SLOTS, sizeof *s->cache)))
			randombytes_buf(s->cache_key, sizeof s->cache_key);
	} else if (sqlite3_get_autocommit(s->db)) {
		xy__sq_cache_check(s); /* xy__sq_begin checks inside transactions */
	}
	if (s->cache) {
		struct subj_slot *set, *empty = NULL;
		unsigned w;
		h = subj_hash(s, subj->code, clen);
		content = (uint32_t)subj_content(s, subj);
		set = &s->cache[h & (SUBJ_SLOTS - SUBJ_WAYS)];
		for (w = 0; w < SUBJ_WAYS; w++) {
			if (!set[w].id) {
				if (!empty)
					empty = &set[w];
			} else if (set[w].code == h) {
				slot = &set[w];
				break;
			}
		}
		if (slot && slot->content == content) {
			subj->id = slot->id;
			return XY_OK;
		}
		/* where the answer goes: its own slot, a free one, or a victim */
		if (!slot)
			slot = empty ? empty : &set[(h >> 32) & (SUBJ_WAYS - 1)];
	}

	/* subject and name index change together, also without a transaction */
	if ((rc = xy__sq_in_tx(s, subject_write_tx, &(struct write_arg){ subj, clen }, err)))
		return rc;
	if (slot && subj->id > 0 && subj->id <= (int64_t)UINT32_MAX) {
		if (!slot->id)
			s->cache_used++;
		slot->id = (uint32_t)subj->id;
		slot->code = h;
		slot->content = content;
	}
	return XY_OK;
}

/* Look the subject up by code and insert or update it; sets subj->id. */
static xy_code subject_write(sq_store *s, xy_subject *subj, size_t clen, xy_error *err)
{
	sqlite3_stmt *st = NULL;
	char now[32];
	xy_code rc;
	int src;

	if ((rc = prep(s, ST_SUBJ_GET, &st, err)))
		return rc;
	sq_bind_text(s, st, 1, subj->code, clen);
	sq_bind_str(s, st, 2, subj->code_type);
	src = sq_step(s, st);
	if (src == SQLITE_ROW) {
		const char *name = subj->name;
		int64_t id = sqlite3_column_int64(st, 0);
		bool same;
		/* an empty name never erases a known one */
		if (!name[0])
			name = sq_col_str(st, 3);
		same = sq_col_eq(st, 1, xy_subject_kind_name(subj->kind)) &&
		       sq_col_eq(st, 2, subj->code_type) && sq_col_eq(st, 3, name) &&
		       sq_col_eq(st, 4, subj->division);
		if (same) {
			sqlite3_reset(st);
		} else {
			sqlite3_stmt *up = NULL;
			char *keep = NULL;
			if (name != subj->name) {
				size_t kl = (size_t)sqlite3_column_bytes(st, 3);
				if (!(keep = malloc(kl + 1))) {
					sqlite3_reset(st);
					return xy_error_set(err, XY_ERR_NOMEM, "out of memory");
				}
				memcpy(keep, name, kl);
				keep[kl] = '\0';
				name = keep;
			}
			sqlite3_reset(st);
			if ((s->fts_from && id >= s->fts_from && (rc = xy__sq_fts_flush(s, err))) ||
			    (rc = prep(s, ST_SUBJ_UPDATE, &up, err))) {
				free(keep);
				return rc;
			}
			sq_now_iso(now);
			sq_bind_int64(s, up, 1, id);
			sq_bind_str(s, up, 2, xy_subject_kind_name(subj->kind));
			sq_bind_str(s, up, 3, subj->code_type);
			sq_bind_str(s, up, 4, name);
			sq_bind_opt(s, up, 5, subj->division);
			sq_bind_str(s, up, 6, now);
			rc = sq_run(s, up, "updating a subject", err);
			free(keep);
			if (rc)
				return rc;
		}
		subj->id = id;
	} else if (src == SQLITE_DONE) {
		sqlite3_reset(st);
		if ((rc = prep(s, ST_SUBJ_INSERT, &st, err)))
			return rc;
		sq_now_iso(now);
		sq_bind_str(s, st, 1, xy_subject_kind_name(subj->kind));
		sq_bind_text(s, st, 2, subj->code, clen);
		sq_bind_str(s, st, 3, subj->code_type);
		sq_bind_str(s, st, 4, subj->name);
		sq_bind_opt(s, st, 5, subj->division);
		sq_bind_str(s, st, 6, now);
		if ((rc = sq_run(s, st, "inserting a subject", err)))
			return rc;
		subj->id = sqlite3_last_insert_rowid(s->db);
		if (s->bulk) { /* indexed in groups, and before COMMIT (fts_flush) */
			if (!s->fts_from)
				s->fts_from = subj->id;
			if (subj->id - s->fts_from + 1 >= FTS_GROUP)
				return xy__sq_fts_flush(s, err);
			return XY_OK;
		}
		if ((rc = prep(s, ST_FTS_INSERT, &st, err)))
			return rc;
		sq_bind_int64(s, st, 1, subj->id);
		sq_bind_str(s, st, 2, subj->name);
		if ((rc = sq_run(s, st, "indexing a subject name", err)))
			return rc;
	} else {
		rc = sq_fail(s, src, "looking up a subject", err);
		sqlite3_reset(st);
		return rc;
	}
	return XY_OK;
}

/* Fill o (zeroed first) from a SUBJ_COLS row: XY_ERR_NOMEM leaves o empty. */
static xy_code subject_from_row(sqlite3_stmt *st, xy_subject *o)
{
	memset(o, 0, sizeof *o);
	o->id = sqlite3_column_int64(st, 0);
	if (xy__subject_kind_parse(sq_col_str(st, 1), &o->kind) < 0)
		o->kind = XY_SUBJ_LEGAL;
	if (xy_subject_set(o, sq_col_str(st, 2), sq_col_str(st, 3), sq_col_str(st, 4))) {
		xy_subject_release(o);
		return XY_ERR_NOMEM;
	}
	sq_col_copy(st, 5, o->division, sizeof o->division); /* 6 digits when set */
	return XY_OK;
}

/* Step st and append every row to *out. */
static xy_code collect_subjects(sq_store *s, sqlite3_stmt *st, xy_subject **out, size_t *n,
				xy_error *err)
{
	size_t cap = 0;
	xy_code rc = XY_OK;
	int src;
	while ((src = sq_step(s, st)) == SQLITE_ROW) {
		void *p = xy_array_grow(*out, *n, &cap, sizeof **out, 8);
		if (!p) {
			rc = xy_error_set(err, XY_ERR_NOMEM, "out of memory");
			break;
		}
		*out = p;
		if (subject_from_row(st, &(*out)[*n])) {
			rc = xy_error_set(err, XY_ERR_NOMEM, "out of memory");
			break;
		}
		(*n)++;
	}
	if (!rc && src != SQLITE_DONE)
		rc = sq_fail(s, src, "searching subjects", err);
	sqlite3_reset(st);
	if (rc) {
		xy_subjects_free(*out, *n);
		*out = NULL;
		*n = 0;
	}
	return rc;
}

static size_t utf8_chars(const char *q, size_t len)
{
	size_t i, n = 0;
	for (i = 0; i < len; i++)
		n += ((unsigned char)q[i] & 0xc0) != 0x80;
	return n;
}

xy_code xy__sq_subject_find(xy_store *base, const char *q, size_t qlen, size_t limit,
			       xy_subject **out, size_t *n, xy_error *err)
{
	sq_store *s = SQ(base);
	sqlite3_stmt *st = NULL;
	sqlite3_int64 lim = limit ? (sqlite3_int64)limit : -1;
	xy_code rc;

	if ((rc = xy__sq_fts_flush(s, err)))
		return rc;
	/* a code is one subject's at most: the first row ends the lookup (a
	 * plain code found skips hashing q for the personal ones: xy_h) */
	if (!memchr(q, '\0', qlen)) {
		xy_subject one = { 0 };
		char *z = strndup(q, qlen);
		if (!z)
			return xy_error_set(err, XY_ERR_NOMEM, "out of memory");
		rc = xy__sq_subject_by_code(base, z, &one, err);
		free(z);
		if (!rc) {
			if (!(*out = malloc(sizeof **out))) {
				xy_subject_release(&one);
				return xy_error_set(err, XY_ERR_NOMEM, "out of memory");
			}
			(*out)[0] = one;
			*n = 1;
			return XY_OK;
		}
		if (rc != XY_ERR_NOTFOUND)
			return rc;
	}
	if (memchr(q, '*', qlen) && !memchr(q, ' ', qlen)) {
		if ((rc = prep(s, ST_SUBJ_BY_MASK, &st, err)))
			return rc;
		sq_bind_text(s, st, 1, q, qlen);
		sq_bind_int64(s, st, 2, lim);
		if ((rc = collect_subjects(s, st, out, n, err)) || *n)
			return rc;
	}

	if (utf8_chars(q, qlen) >= 3) {
		/* an FTS5 string: "…" with inner quotes doubled, so no query syntax */
		xy_buf m = XY_BUF_INIT;
		size_t i;
		xy_code brc = xy_buf_grow(&m, qlen + 8);
		brc = brc ? brc : xy_buf_addch(&m, '"');
		for (i = 0; i < qlen && !brc; i++)
			brc = q[i] == '"' ? xy_buf_add(&m, "\"\"", 2) : xy_buf_addch(&m, q[i]);
		brc = brc ? brc : xy_buf_addch(&m, '"');
		if (brc) {
			xy_buf_release(&m);
			return xy_error_set(err, XY_ERR_NOMEM, "out of memory");
		}
		if ((rc = prep(s, ST_SUBJ_FTS, &st, err))) {
			xy_buf_release(&m);
			return rc;
		}
		sq_bind_text(s, st, 1, m.data, m.len);
		sq_bind_text(s, st, 2, q, qlen);
		sq_bind_int64(s, st, 3, lim);
		rc = collect_subjects(s, st, out, n, err);
		xy_buf_release(&m);
		return rc;
	}
	if ((rc = prep(s, ST_SUBJ_SCAN, &st, err)))
		return rc;
	sq_bind_text(s, st, 1, q, qlen);
	sq_bind_int64(s, st, 2, lim);
	return collect_subjects(s, st, out, n, err);
}

xy_code xy__sq_subject_search(xy_store *base, const char *q, size_t qlen, int64_t after,
				 size_t limit, bool no_persons, xy_subject **out, size_t *n,
				 xy_error *err)
{
	sq_store *s = SQ(base);
	sqlite3_stmt *st = NULL;
	xy_buf m = XY_BUF_INIT;
	bool fts = utf8_chars(q, qlen) >= 3;
	xy_code rc;

	if ((rc = xy__sq_fts_flush(s, err)))
		return rc;
	if (fts) {
		/* an FTS5 string: "…" with inner quotes doubled, so no query syntax */
		size_t i;
		rc = xy_buf_grow(&m, qlen + 8);
		rc = rc ? rc : xy_buf_addch(&m, '"');
		for (i = 0; i < qlen && !rc; i++)
			rc = q[i] == '"' ? xy_buf_add(&m, "\"\"", 2) : xy_buf_addch(&m, q[i]);
		rc = rc ? rc : xy_buf_addch(&m, '"');
		if (rc) {
			xy_buf_release(&m);
			return xy_error_set(err, XY_ERR_NOMEM, "out of memory");
		}
	}
	if ((rc = prep(s, fts ? ST_SUBJ_SEARCH_FTS : ST_SUBJ_SEARCH_SCAN, &st, err))) {
		xy_buf_release(&m);
		return rc;
	}
	if (fts)
		sq_bind_text(s, st, 1, m.data, m.len);
	else
		sq_bind_text(s, st, 1, q, qlen);
	sq_bind_int64(s, st, 2, after);
	sq_bind_int64(s, st, 3, (sqlite3_int64)limit);
	sq_bind_int(s, st, 4, no_persons);
	rc = collect_subjects(s, st, out, n, err);
	xy_buf_release(&m);
	return rc;
}

/* The subject whose code is exactly `code`: XY_ERR_NOTFOUND (err untouched) when none. */
xy_code xy__sq_subject_by_code(xy_store *base, const char *code, xy_subject *out,
				  xy_error *err)
{
	sq_store *s = SQ(base);
	sqlite3_stmt *st = NULL;
	xy_code rc = prep(s, ST_SUBJ_BY_CODE, &st, err);
	int src;
	if (rc)
		return rc;
	sq_bind_str(s, st, 1, code);
	src = sq_step(s, st);
	if (src == SQLITE_ROW) {
		if (subject_from_row(st, out))
			rc = xy_error_set(err, XY_ERR_NOMEM, "out of memory");
	} else if (src == SQLITE_DONE) {
		rc = XY_ERR_NOTFOUND;
	} else {
		rc = sq_fail(s, src, "finding a subject", err);
	}
	sqlite3_reset(st);
	return rc;
}
