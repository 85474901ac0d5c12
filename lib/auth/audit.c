/* xinyong: the hash-chained audit log (auth.h, docs/security.md).
 *
 * hash(n) = SHA-256(raw hash(n-1) || canonical(n)), hash(0) = 32 zero bytes.
 * canonical(n) is the netstrings ("<len>:<bytes>,") of seq (decimal), time,
 * who, action, object, detail, before digest and after digest: unambiguous
 * whatever bytes the fields hold, and easy to recompute with any tool. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sodium.h>

#include "xinyong/auth.h"
#include "xinyong/date.h"

#define ZERO_HASH "0000000000000000000000000000000000000000000000000000000000000000"

void xy_audit_digest(const void *data, size_t len, char out[65])
{
	unsigned char h[crypto_hash_sha256_BYTES];
	crypto_hash_sha256(h, data, len);
	sodium_bin2hex(out, 65, h, sizeof h);
}

static void netstring(crypto_hash_sha256_state *st, const char *s)
{
	char len[24];
	size_t n = s ? strlen(s) : 0;
	int k = snprintf(len, sizeof len, "%zu:", n);
	crypto_hash_sha256_update(st, (const unsigned char *)len, (unsigned long long)k);
	if (n)
		crypto_hash_sha256_update(st, (const unsigned char *)s, n);
	crypto_hash_sha256_update(st, (const unsigned char *)",", 1);
}

/* The hash of entry v chained on v->prev (hex) into out; -1 when prev is no
 * 64-digit hex. */
static int entry_hash(const xy_audit_view *v, char out[65])
{
	crypto_hash_sha256_state st;
	unsigned char prev[32], h[32];
	size_t plen = 0;
	char seq[24];
	if (strlen(v->prev) != 64 ||
	    sodium_hex2bin(prev, sizeof prev, v->prev, 64, NULL, &plen, NULL) || plen != 32)
		return -1;
	snprintf(seq, sizeof seq, "%lld", (long long)v->seq);
	crypto_hash_sha256_init(&st);
	crypto_hash_sha256_update(&st, prev, sizeof prev);
	netstring(&st, seq);
	netstring(&st, v->at);
	netstring(&st, v->who);
	netstring(&st, v->action);
	netstring(&st, v->object);
	netstring(&st, v->detail);
	netstring(&st, v->before);
	netstring(&st, v->after);
	crypto_hash_sha256_final(&st, h);
	sodium_bin2hex(out, 65, h, sizeof h);
	return 0;
}

xy_code xy_audit_append(xy_store *s, const xy_audit_entry *e, int64_t *seq, xy_error *err)
{
	char before[65] = "", after[65] = "", hash[65], at[32];
	xy_buf prev = XY_BUF_INIT;
	xy_audit_view v;
	int64_t last = 0;
	xy_code rc;
	if (!s || !e || !e->who || !*e->who || !e->action || !*e->action)
		return xy_error_set(err, XY_ERR_ARG, "xy_audit_append: who and action are required");
	if (e->before)
		xy_audit_digest(e->before, e->before_len, before);
	if (e->after_sha256 && strlen(e->after_sha256) == 64)
		memcpy(after, e->after_sha256, 65);
	else if (e->after)
		xy_audit_digest(e->after, e->after_len, after);
	xy_time_iso((int64_t)time(NULL), at);
	/* nested in the caller's transaction when there is one (a savepoint) */
	if ((rc = xy_store_begin(s, false, err)))
		return rc;
	if ((rc = xy_store_audit_head(s, &last, &prev, err)))
		goto fail;
	v = (xy_audit_view){ .seq = last + 1, .at = at, .who = e->who, .action = e->action,
			     .object = e->object ? e->object : "",
			     .detail = e->detail ? e->detail : "", .before = before,
			     .after = after, .prev = last ? prev.data : ZERO_HASH, .hash = hash };
	if (entry_hash(&v, hash)) {
		rc = xy_error_set(err, XY_ERR_STORE,
				  "the audit log's head is damaged (run xinyong audit verify)");
		goto fail;
	}
	if ((rc = xy_store_audit_insert(s, &v, err)) || (rc = xy_store_commit(s, err)))
		goto fail;
	xy_buf_release(&prev);
	if (seq)
		*seq = v.seq;
	return XY_OK;
fail:
	xy_store_rollback(s, NULL);
	xy_buf_release(&prev);
	return rc;
}

xy_code xy_audit_batch(xy_store *s, const char *who, const xy_batch *b, xy_error *err)
{
	xy_buf detail = XY_BUF_INIT, object = XY_BUF_INIT;
	xy_code rc;
	if (!b)
		return xy_error_set(err, XY_ERR_ARG, "xy_audit_batch: no batch");
	if (xy_buf_addf(&object, "batch:%lld", (long long)b->id) ||
	    xy_buf_addf(&detail,
			"unit=%s category=%s file=%s rows=%ld added=%ld updated=%ld "
			"unchanged=%ld rejected=%ld",
			b->unit, b->category, b->file, b->rows, b->added, b->updated, b->unchanged,
			b->rejected)) {
		rc = xy_error_set(err, XY_ERR_NOMEM, "out of memory");
	} else {
		xy_audit_entry e = { .who = who && *who ? who : "import",
				     .action = b->status == XY_BATCH_REFUSED ? "import.refuse"
									      : "import.commit",
				     .object = object.data, .detail = detail.data,
				     .after = detail.data, .after_len = detail.len };
		rc = xy_audit_append(s, &e, NULL, err);
	}
	xy_buf_release(&detail);
	xy_buf_release(&object);
	return rc;
}

struct verify {
	xy_audit_check *out;
	int64_t expect_seq;
	char expect_hash[65];
	bool expect_seen;
	char prev[65];
	xy_buf why;
};

static int verify_one(void *ctx, const xy_audit_view *v)
{
	struct verify *w = ctx;
	int64_t want = w->out->head_seq + 1;
	char hash[65];
	w->out->entries++;
	if (v->seq != want) {
		w->out->first_bad = want;
		xy_buf_addf(&w->why, "entry %lld is missing (deleted); the next is %lld", (long long)want,
			    (long long)v->seq);
		return 1;
	}
	if (strcmp(v->prev, w->prev)) {
		w->out->first_bad = v->seq;
		xy_buf_addf(&w->why,
			    "entry %lld does not follow entry %lld (inserted, or entry %lld "
			    "rewritten)",
			    (long long)v->seq, (long long)v->seq - 1, (long long)v->seq - 1);
		return 1;
	}
	if (entry_hash(v, hash) || strcmp(hash, v->hash)) {
		w->out->first_bad = v->seq;
		xy_buf_addf(&w->why, "entry %lld was edited (its hash does not match its content)",
			    (long long)v->seq);
		return 1;
	}
	if (w->expect_seq == v->seq) {
		w->expect_seen = true;
		if (strcmp(w->expect_hash, v->hash)) {
			w->out->first_bad = v->seq;
			xy_buf_addf(&w->why,
				    "entry %lld is not the one recorded (the log was rewritten "
				    "from there or before)",
				    (long long)v->seq);
			return 1;
		}
	}
	memcpy(w->prev, v->hash, 65);
	w->out->head_seq = v->seq;
	memcpy(w->out->head, v->hash, 65);
	return 0;
}

/* "SEQ:HASH" into w; -1 when malformed. */
static int parse_expect(struct verify *w, const char *s)
{
	char *end;
	long long seq = strtoll(s, &end, 10);
	size_t i;
	if (seq <= 0 || *end != ':' || strlen(end + 1) != 64)
		return -1;
	for (i = 0; i < 64; i++) {
		char c = end[1 + i];
		if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f')))
			return -1;
	}
	w->expect_seq = seq;
	memcpy(w->expect_hash, end + 1, 65);
	return 0;
}

xy_code xy_audit_verify(xy_store *s, const char *expect_head, xy_audit_check *out,
			xy_error *err)
{
	struct verify w = { .out = out, .prev = ZERO_HASH, .why = XY_BUF_INIT };
	xy_buf head = XY_BUF_INIT;
	int64_t head_seq = 0;
	xy_code rc;
	if (!s || !out)
		return xy_error_set(err, XY_ERR_ARG, "xy_audit_verify: missing argument");
	memset(out, 0, sizeof *out);
	if (expect_head && parse_expect(&w, expect_head))
		return xy_error_set(err, XY_ERR_ARG,
				    "--expect takes SEQ:HASH as audit verify printed it");
	/* one read transaction: the head and the entries agree */
	if ((rc = xy_store_begin(s, false, err)))
		return rc;
	if ((rc = xy_store_audit_head(s, &head_seq, &head, err)) ||
	    (rc = xy_store_audit_list(s, NULL, verify_one, &w, err))) {
		xy_store_rollback(s, NULL);
		goto done;
	}
	xy_store_rollback(s, NULL);
	if (!out->first_bad && (head_seq != out->head_seq || strcmp(head.data, out->head))) {
		if (head_seq > out->head_seq) {
			out->first_bad = out->head_seq + 1;
			xy_buf_addf(&w.why, "entries %lld to %lld are missing (deleted)",
				    (long long)out->head_seq + 1, (long long)head_seq);
		} else if (head_seq < out->head_seq) {
			out->first_bad = head_seq + 1;
			xy_buf_addf(&w.why, "entries after %lld were added outside xinyong (inserted)",
				    (long long)head_seq);
		} else {
			out->first_bad = head_seq;
			xy_buf_addf(&w.why, "entry %lld is not the head xinyong recorded",
				    (long long)head_seq);
		}
	}
	if (!out->first_bad && w.expect_seq && !w.expect_seen) {
		out->first_bad = out->head_seq + 1;
		xy_buf_addf(&w.why, "entry %lld (expected) is missing (deleted)",
			    (long long)w.expect_seq);
	}
	if (out->first_bad) {
		/* the good part ends before the first bad entry */
		rc = xy_error_set(err, XY_ERR_INVALID,
				  "audit log broken at entry %lld: %s (审计日志在第 %lld 条被篡改)",
				  (long long)out->first_bad, w.why.data, (long long)out->first_bad);
	}
done:
	xy_buf_release(&head);
	xy_buf_release(&w.why);
	return rc;
}

static json_t *opt_str(const char *s)
{
	return s && *s ? json_string(s) : json_null();
}

json_t *xy_audit_json(const xy_audit_view *v)
{
	return json_pack("{s:I,s:s,s:s,s:s,s:s,s:s,s:o,s:o,s:s,s:s}", "seq", (json_int_t)v->seq,
			 "at", v->at, "who", v->who, "action", v->action, "object", v->object,
			 "detail", v->detail, "before", opt_str(v->before), "after",
			 opt_str(v->after), "prev", v->prev, "hash", v->hash);
}

xy_code xy_audit_list(xy_store *s, const xy_audit_filter *f, xy_audit_cb cb, void *ctx,
		      xy_error *err)
{
	return xy_store_audit_list(s, f, cb, ctx, err);
}
