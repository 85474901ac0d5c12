/* xinyong serve: the answer cache of public GET routes.
 *
 * A public answer (a profile, a search page, a 双公示 feed page …) depends
 * only on its URL with its query, on the database's content and on today's
 * date: not on who asks (the public view is the same for everyone; routes
 * marked SRV_CACHED in the table must keep it so).  Each worker thread keeps
 * the answers it built, as the libmicrohttpd responses themselves (queued
 * again without copying: a response is reference-counted), under
 *
 *   key   the route's path and its query arguments, in the order sent;
 *   valid while the worker's store handle reports the same data version
 *         (xy_store_data_version: any commit, by this server's writer, a CLI
 *         import or another process, changes it) and the same day.
 *
 * The version is read inside the request's read transaction, the one the
 * handler would read in, so a kept answer is never older than what the
 * handler would build.  When it changes, the whole cache is dropped: a
 * commit can change any profile (a list entry, a repair, a rule).
 *
 * Per thread: no lock on the hot path.  Bounded: --cache bytes in all (split
 * between the workers), least recently used answers go first; an answer
 * larger than an eighth of a worker's share is not kept.
 *
 * Hand-written rather than GLib's GHashTable: the table, its LRU list and
 * the byte bound are one small structure here, and GLib is not otherwise a
 * dependency of the executable.
 */
#include <stdlib.h>
#include <string.h>

#include "serve.h"
#include "xinyong/date.h"

typedef struct entry {
	struct entry *chain;             /* the bucket's next */
	struct entry *older, *newer;     /* the LRU list */
	uint64_t hash;
	struct MHD_Response *resp;       /* the cache's reference */
	unsigned status;
	uint64_t bytes;                  /* the body, for the access log */
	size_t cost;                     /* what counts against the bound */
	size_t klen;
	char key[];
} entry;

struct srv_cache {
	entry **buckets;
	size_t nbuckets, n;
	entry *newest, *oldest;
	size_t used, limit;
	uint64_t version;
	char day[11];
	bool valid;                      /* version and day are set */
};

/* What an entry costs besides its body and key: the structure and the
 * response's headers (security headers, content type: about 300 bytes). */
#define ENTRY_OVERHEAD 512

static uint64_t fnv1a(const char *s, size_t n)
{
	uint64_t h = 14695981039346656037ull;
	for (size_t i = 0; i < n; i++) {
		h ^= (unsigned char)s[i];
		h *= 1099511628211ull;
	}
	return h;
}

srv_cache *srv_cache_new(size_t limit)
{
	srv_cache *c = calloc(1, sizeof *c);
	if (!c)
		return NULL;
	c->nbuckets = 256;
	c->buckets = calloc(c->nbuckets, sizeof *c->buckets);
	if (!c->buckets) {
		free(c);
		return NULL;
	}
	c->limit = limit;
	return c;
}

static void unlink_lru(srv_cache *c, entry *e)
{
	if (e->older)
		e->older->newer = e->newer;
	else
		c->oldest = e->newer;
	if (e->newer)
		e->newer->older = e->older;
	else
		c->newest = e->older;
	e->older = e->newer = NULL;
}

static void push_newest(srv_cache *c, entry *e)
{
	e->older = c->newest;
	e->newer = NULL;
	if (c->newest)
		c->newest->newer = e;
	else
		c->oldest = e;
	c->newest = e;
}

static void drop(srv_cache *c, entry *e)
{
	entry **p = &c->buckets[e->hash & (c->nbuckets - 1)];
	while (*p != e)
		p = &(*p)->chain;
	*p = e->chain;
	unlink_lru(c, e);
	c->used -= e->cost;
	c->n--;
	/* the cache's reference: a connection still sending it holds its own */
	MHD_destroy_response(e->resp);
	free(e);
}

static void clear(srv_cache *c)
{
	while (c->oldest)
		drop(c, c->oldest);
}

void srv_cache_free(srv_cache *c)
{
	if (!c)
		return;
	clear(c);
	free(c->buckets);
	free(c);
}

/* Twice the buckets when there are more entries than buckets (a failed
 * allocation keeps the table as it is: longer chains, still correct). */
static void grow(srv_cache *c)
{
	size_t nb = c->nbuckets * 2;
	entry **b = calloc(nb, sizeof *b);
	if (!b)
		return;
	for (size_t i = 0; i < c->nbuckets; i++)
		for (entry *e = c->buckets[i], *next; e; e = next) {
			next = e->chain;
			e->chain = b[e->hash & (nb - 1)];
			b[e->hash & (nb - 1)] = e;
		}
	free(c->buckets);
	c->buckets = b;
	c->nbuckets = nb;
}

struct key_ctx {
	xy_buf *key;
	bool failed;
};

static enum MHD_Result key_arg(void *cls, enum MHD_ValueKind kind, const char *k, const char *v)
{
	struct key_ctx *kc = cls;
	(void)kind;
	/* lengths first: no separator a value could contain makes two queries
	 * one key */
	if (xy_buf_addf(kc->key, "&%zu:%s=%zu:%s", strlen(k), k, v ? strlen(v) : (size_t)0,
			v ? v : ""))
		kc->failed = true;
	return MHD_YES;
}

bool srv_cache_answer(srv_req *r)
{
	xy_error err = XY_ERROR_INIT;
	srv_thread *t;
	srv_cache *c;
	uint64_t version;
	char day[11];
	if (!(r->route->flags & SRV_CACHED) || !srv_S->cfg.cache_bytes)
		return false;
	if (!(t = srv_thread_get(&err)))
		return false;
	if (!t->cache && !(t->cache = srv_cache_new(srv_S->cfg.cache_bytes / srv_S->cfg.workers)))
		return false;
	c = t->cache;
	if (xy_store_data_version(t->store, &version, &err))
		return false; /* the handler meets the same store and answers */
	xy_date_today(day);
	if (!c->valid || c->version != version || strcmp(c->day, day)) {
		clear(c);
		c->version = version;
		memcpy(c->day, day, sizeof day);
		c->valid = true;
	}
	struct key_ctx kc = { &r->cache_key, false };
	xy_buf_reset(&r->cache_key);
	if (xy_buf_addstr(&r->cache_key, r->url))
		kc.failed = true;
	MHD_get_connection_values(r->conn, MHD_GET_ARGUMENT_KIND, key_arg, &kc);
	if (kc.failed) {
		xy_buf_release(&r->cache_key);
		return false;
	}
	uint64_t h = fnv1a(r->cache_key.data, r->cache_key.len);
	for (entry *e = c->buckets[h & (c->nbuckets - 1)]; e; e = e->chain) {
		if (e->hash != h || e->klen != r->cache_key.len ||
		    memcmp(e->key, r->cache_key.data, e->klen))
			continue;
		unlink_lru(c, e);
		push_newest(c, e);
		r->resp = e->resp;
		r->resp_cached = true;
		r->status = e->status;
		r->resp_bytes = e->bytes;
		xy_buf_release(&r->cache_key);
		srv_metrics_cache(true);
		return true;
	}
	r->cache_hash = h;
	srv_metrics_cache(false);
	return false;
}

void srv_cache_keep(srv_req *r)
{
	xy_error err = XY_ERROR_INIT;
	srv_thread *t;
	srv_cache *c;
	entry *e;
	size_t cost;
	if (!r->cache_key.len || !r->resp || r->resp_cached || r->status != 200)
		goto done;
	if (!(t = srv_thread_get(&err)) || !(c = t->cache))
		goto done;
	cost = sizeof *e + r->cache_key.len + (size_t)r->resp_bytes + ENTRY_OVERHEAD;
	if (cost > c->limit / 8)
		goto done;
	if (!(e = malloc(sizeof *e + r->cache_key.len)))
		goto done;
	while (c->used + cost > c->limit && c->oldest)
		drop(c, c->oldest);
	e->hash = r->cache_hash;
	e->resp = r->resp; /* the handler's reference becomes the cache's */
	e->status = r->status;
	e->bytes = r->resp_bytes;
	e->cost = cost;
	e->klen = r->cache_key.len;
	memcpy(e->key, r->cache_key.data, e->klen);
	e->chain = c->buckets[e->hash & (c->nbuckets - 1)];
	c->buckets[e->hash & (c->nbuckets - 1)] = e;
	push_newest(c, e);
	c->used += cost;
	c->n++;
	r->resp_cached = true;
	if (c->n > c->nbuckets)
		grow(c);
done:
	xy_buf_release(&r->cache_key);
}
