/* xinyong serve: request rate per IP and per token (token buckets), and a
 * deadline for a request's headers (slow clients, at the end).
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
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
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

/* ---- slow clients ----
 * libmicrohttpd's --timeout counts silence only: a client sending its headers
 * a byte a second would hold a connection (and a slot of --per-ip) for ever.
 * So each connection is watched while a request's headers are being read:
 * from its opening, or from the previous answer on a kept-alive connection,
 * the headers must be complete within twice --timeout, or a watchdog shuts
 * the socket down (libmicrohttpd then sees the end and closes it cleanly).
 * Entries are removed when libmicrohttpd reports the connection closed, which
 * it does before closing the socket. */
struct srv_conn {
	int fd;
	double since;       /* when the current request's headers were awaited */
	bool reading;       /* awaiting headers */
	bool cut;           /* shut down by the watchdog */
	srv_conn *prev, *next;
};

static srv_conn *conns;
static pthread_mutex_t conns_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_t dog;
static bool dog_running, dog_quit;
static pthread_cond_t dog_cond = PTHREAD_COND_INITIALIZER;
static double header_deadline;

srv_conn *srv_conn_open(int fd)
{
	srv_conn *c = calloc(1, sizeof *c);
	if (!c)
		return NULL; /* not watched: only the silence timeout applies */
	c->fd = fd;
	c->since = now_s();
	c->reading = true;
	pthread_mutex_lock(&conns_lock);
	c->next = conns;
	if (conns)
		conns->prev = c;
	conns = c;
	pthread_mutex_unlock(&conns_lock);
	return c;
}

void srv_conn_reading(srv_conn *c, bool reading)
{
	if (!c)
		return;
	pthread_mutex_lock(&conns_lock);
	c->reading = reading;
	c->since = now_s();
	pthread_mutex_unlock(&conns_lock);
}

void srv_conn_close(srv_conn *c)
{
	if (!c)
		return;
	pthread_mutex_lock(&conns_lock);
	if (c->prev)
		c->prev->next = c->next;
	else
		conns = c->next;
	if (c->next)
		c->next->prev = c->prev;
	pthread_mutex_unlock(&conns_lock);
	free(c);
}

static void *watchdog(void *arg)
{
	(void)arg;
	pthread_mutex_lock(&conns_lock);
	while (!dog_quit) {
		struct timespec until;
		clock_gettime(CLOCK_REALTIME, &until);
		until.tv_nsec += 250000000;
		if (until.tv_nsec >= 1000000000) {
			until.tv_sec++;
			until.tv_nsec -= 1000000000;
		}
		pthread_cond_timedwait(&dog_cond, &conns_lock, &until);
		double t = now_s();
		for (srv_conn *c = conns; c; c = c->next) {
			if (!c->reading || c->cut || t - c->since <= header_deadline)
				continue;
			c->cut = true;
			shutdown(c->fd, SHUT_RDWR);
			srv_log_error("a slow client: a request's headers not complete after %.0f s; "
				      "connection closed", header_deadline);
		}
	}
	pthread_mutex_unlock(&conns_lock);
	return NULL;
}

int srv_slow_start(unsigned timeout)
{
	if (!timeout)
		return 0; /* no time-outs at all */
	header_deadline = 2.0 * timeout;
	dog_quit = false;
	if (pthread_create(&dog, NULL, watchdog, NULL))
		return -1;
	dog_running = true;
	return 0;
}

void srv_slow_stop(void)
{
	if (!dog_running)
		return;
	pthread_mutex_lock(&conns_lock);
	dog_quit = true;
	pthread_cond_signal(&dog_cond);
	pthread_mutex_unlock(&conns_lock);
	pthread_join(dog, NULL);
	dog_running = false;
}
