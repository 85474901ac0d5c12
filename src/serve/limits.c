/* xinyong serve: request rate per IP and per token (token buckets).
 *
 * A fixed table of buckets (4096 slots, 4-way sets keyed by a hash of the
 * key): a key that finds no slot takes the set's least recently used one, so
 * memory stays bounded whatever a client sends.  An evicted key starts with a
 * full bucket again, which only ever lets a request through, never refuses
 * one wrongly.  Keys are hashed with libsodium's shorthash under a key drawn
 * at start, so a client cannot aim its keys at one set.
 */
#include <math.h>
#include <pthread.h>
#include <string.h>
#include <time.h>

#include <sodium.h>

#include "serve.h"

#define SETS 1024
#define WAYS 4

typedef struct bucket {
	uint64_t hash;   /* 0: free */
	double tokens;
	double last;     /* seconds, monotonic */
} bucket;

static bucket table[SETS][WAYS];
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static unsigned char hkey[crypto_shorthash_KEYBYTES];
static double rate = 20, burst = 40;

void srv_limits_init(double r, double b)
{
	rate = r;
	burst = b;
	randombytes_buf(hkey, sizeof hkey);
	memset(table, 0, sizeof table);
}

static double now_s(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

bool srv_limit_take(const char *key, unsigned *retry_after)
{
	uint64_t h;
	unsigned char out[crypto_shorthash_BYTES];
	double t = now_s();
	bool ok;
	if (rate <= 0)
		return true; /* --rate 0: no limit */
	crypto_shorthash(out, (const unsigned char *)key, strlen(key), hkey);
	memcpy(&h, out, sizeof h);
	h |= 1; /* never 0 */
	pthread_mutex_lock(&lock);
	bucket *set = table[h % SETS], *b = NULL, *old = &set[0];
	for (int i = 0; i < WAYS; i++) {
		if (set[i].hash == h) {
			b = &set[i];
			break;
		}
		if (set[i].last < old->last)
			old = &set[i];
	}
	if (!b) {
		b = old;
		b->hash = h;
		b->tokens = burst;
		b->last = t;
	}
	b->tokens = fmin(burst, b->tokens + (t - b->last) * rate);
	b->last = t;
	ok = b->tokens >= 1;
	if (ok)
		b->tokens -= 1;
	else
		*retry_after = (unsigned)ceil((1 - b->tokens) / rate);
	pthread_mutex_unlock(&lock);
	if (!ok && *retry_after < 1)
		*retry_after = 1;
	return ok;
}
