/* xinyong serve: /metrics in the Prometheus text format (version 0.0.4).
 *
 * Counters are relaxed atomics in fixed arrays: one row per route of the
 * table (plus "other" for what matched none), one column per status the
 * server answers; nothing is allocated per request.
 */
#include <stdatomic.h>
#include <string.h>

#include "serve.h"

static const unsigned statuses[] = { 200, 201, 304, 400, 401, 403, 404, 405, 409, 413, 415,
				     422, 429, 431, 499, 500, 503, 507, 0 /* other */ };
#define NSTATUS (sizeof statuses / sizeof statuses[0])
static const double bounds[] = { 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5,
				 1, 2.5, 5, 10 };
#define NBOUNDS (sizeof bounds / sizeof bounds[0])
#define MAXROUTES 128

static atomic_ullong requests[MAXROUTES + 1][NSTATUS];
static atomic_ullong hist[MAXROUTES + 1][NBOUNDS + 1];
static atomic_ullong usec_sum[MAXROUTES + 1];
static atomic_llong connections;
static atomic_ullong import_rows, import_batches, import_failed, store_errors;
static atomic_ullong cache_hits, cache_misses;

static size_t route_index(const char *label)
{
	for (size_t i = 0; i < srv_nroutes && i < MAXROUTES; i++)
		if (srv_routes[i].pattern == label)
			return i;
	return MAXROUTES; /* other */
}

void srv_metrics_request(const char *route, unsigned status, double seconds)
{
	size_t ri = route_index(route), si = NSTATUS - 1, bi = NBOUNDS;
	for (size_t i = 0; i + 1 < NSTATUS; i++)
		if (statuses[i] == status)
			si = i;
	for (size_t i = 0; i < NBOUNDS; i++)
		if (seconds <= bounds[i]) {
			bi = i;
			break;
		}
	atomic_fetch_add_explicit(&requests[ri][si], 1, memory_order_relaxed);
	atomic_fetch_add_explicit(&hist[ri][bi], 1, memory_order_relaxed);
	atomic_fetch_add_explicit(&usec_sum[ri], (unsigned long long)(seconds * 1e6),
				  memory_order_relaxed);
}

void srv_metrics_connection(int delta)
{
	atomic_fetch_add_explicit(&connections, delta, memory_order_relaxed);
}

void srv_metrics_import(long rows, bool committed)
{
	if (committed) {
		atomic_fetch_add_explicit(&import_batches, 1, memory_order_relaxed);
		atomic_fetch_add_explicit(&import_rows, (unsigned long long)rows,
					  memory_order_relaxed);
	} else {
		atomic_fetch_add_explicit(&import_failed, 1, memory_order_relaxed);
	}
}

void srv_metrics_store_error(void)
{
	atomic_fetch_add_explicit(&store_errors, 1, memory_order_relaxed);
}

void srv_metrics_cache(bool hit)
{
	atomic_fetch_add_explicit(hit ? &cache_hits : &cache_misses, 1, memory_order_relaxed);
}

static void labels(xy_buf *b, size_t ri, const char *method)
{
	xy_buf_addf(b, "route=\"%s\",method=\"%s\"",
		    ri < MAXROUTES ? srv_routes[ri].pattern : "other", method);
}

xy_code srv_metrics_render(xy_buf *out)
{
	size_t nr = srv_nroutes < MAXROUTES ? srv_nroutes : MAXROUTES;
	xy_buf_addstr(out, "# HELP xinyong_http_requests_total Requests answered, by route and "
			   "status.\n# TYPE xinyong_http_requests_total counter\n");
	for (size_t ri = 0; ri <= MAXROUTES; ri++) {
		if (ri >= nr && ri != MAXROUTES)
			continue;
		const char *m = ri < MAXROUTES ? srv_routes[ri].method : "-";
		for (size_t si = 0; si < NSTATUS; si++) {
			unsigned long long v = atomic_load_explicit(&requests[ri][si],
								    memory_order_relaxed);
			if (!v)
				continue;
			xy_buf_addstr(out, "xinyong_http_requests_total{");
			labels(out, ri, m);
			if (statuses[si])
				xy_buf_addf(out, ",status=\"%u\"} %llu\n", statuses[si], v);
			else
				xy_buf_addf(out, ",status=\"other\"} %llu\n", v);
		}
	}
	xy_buf_addstr(out, "# HELP xinyong_http_request_duration_seconds Time from the first "
			   "byte of a request to its completion.\n"
			   "# TYPE xinyong_http_request_duration_seconds histogram\n");
	for (size_t ri = 0; ri <= MAXROUTES; ri++) {
		if (ri >= nr && ri != MAXROUTES)
			continue;
		const char *m = ri < MAXROUTES ? srv_routes[ri].method : "-";
		unsigned long long cum = 0;
		for (size_t bi = 0; bi <= NBOUNDS; bi++) {
			cum += atomic_load_explicit(&hist[ri][bi], memory_order_relaxed);
			xy_buf_addstr(out, "xinyong_http_request_duration_seconds_bucket{");
			labels(out, ri, m);
			if (bi < NBOUNDS)
				xy_buf_addf(out, ",le=\"%g\"} %llu\n", bounds[bi], cum);
			else
				xy_buf_addf(out, ",le=\"+Inf\"} %llu\n", cum);
		}
		xy_buf_addstr(out, "xinyong_http_request_duration_seconds_sum{");
		labels(out, ri, m);
		xy_buf_addf(out, "} %.6f\n",
			    (double)atomic_load_explicit(&usec_sum[ri], memory_order_relaxed) / 1e6);
		xy_buf_addstr(out, "xinyong_http_request_duration_seconds_count{");
		labels(out, ri, m);
		xy_buf_addf(out, "} %llu\n", cum);
	}
	xy_buf_addf(out,
		    "# HELP xinyong_import_rows_total Rows read by committed uploads.\n"
		    "# TYPE xinyong_import_rows_total counter\nxinyong_import_rows_total %llu\n"
		    "# HELP xinyong_import_batches_total Uploads committed as batches.\n"
		    "# TYPE xinyong_import_batches_total counter\nxinyong_import_batches_total %llu\n"
		    "# HELP xinyong_import_failures_total Uploads refused or failed.\n"
		    "# TYPE xinyong_import_failures_total counter\n"
		    "xinyong_import_failures_total %llu\n"
		    "# HELP xinyong_store_errors_total Database errors met while answering.\n"
		    "# TYPE xinyong_store_errors_total counter\nxinyong_store_errors_total %llu\n"
		    "# HELP xinyong_http_open_connections Connections open now.\n"
		    "# TYPE xinyong_http_open_connections gauge\nxinyong_http_open_connections %lld\n"
		    "# HELP xinyong_cache_hits_total Public answers sent from the answer cache.\n"
		    "# TYPE xinyong_cache_hits_total counter\nxinyong_cache_hits_total %llu\n"
		    "# HELP xinyong_cache_misses_total Cacheable answers that had to be built.\n"
		    "# TYPE xinyong_cache_misses_total counter\nxinyong_cache_misses_total %llu\n",
		    atomic_load(&import_rows), atomic_load(&import_batches),
		    atomic_load(&import_failed), atomic_load(&store_errors),
		    (long long)atomic_load(&connections), atomic_load(&cache_hits),
		    atomic_load(&cache_misses));
	return XY_OK;
}
