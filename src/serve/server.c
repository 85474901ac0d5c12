/* xinyong serve: the libmicrohttpd daemon and the life of a request.
 *
 * A request is answered on the second call of the access handler, never the
 * first (libmicrohttpd 0.9.75 closes the connection after a response queued
 * on the first call: ../shared/LIBRARY-NOTES.md), except a 413 for a body
 * announced too big whose client waits for "100 Continue" or which is over
 * SRV_DRAIN_MAX: that body is not read at all.  Any other refused body is
 * read and dropped before the answer (a response sent while the client still
 * sends reaches it as a reset connection, and curl reports no status at all),
 * up to SRV_DRAIN_MAX bytes past the refusal.  Bodies are read as they
 * come: JSON into a capped xy_buf, uploads into a spool file.  Writes run on
 * one writer thread with its own store handle; the connection waits
 * suspended meanwhile, so a worker keeps answering its other connections
 * (reads on the worker's own handle: SQLite WAL) while an import runs.
 *
 * Read replica (--read-db, PostgreSQL; docs/postgresql.md "Read replicas"):
 * a worker has a second handle on a hot standby, and the public cached routes
 * (SRV_CACHED: answers that depend only on the URL, the data and the day) read
 * it.  Everything else reads --db, the primary: authentication (a session
 * just created, a token just revoked must count at once), the staff's reads
 * (a batch just uploaded, a check just logged: reads that follow the same
 * client's write) and every write.  A replica that cannot be read sends the
 * public reads to the primary (slower, never wrong) and is tried again
 * SRV_REPLICA_RETRY seconds later; /readyz says so.
 */
#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <malloc.h>
#include <netdb.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "xinyong/applications.h"
#include "serve.h"
#include "xinyong/text.h"

srv *srv_S;
static __thread srv_thread *tl_thread;   /* the worker's handle on --db */
static __thread srv_thread *tl_replica;  /* on --read-db, NULL until opened */
static __thread time_t tl_replica_retry; /* not before then after a failure */
static __thread srv_thread *tl_step;     /* the handle of the read step under way
					    (read_begin), NULL: tl_thread */

/* Seconds before a worker tries a replica that failed again. */
#define SRV_REPLICA_RETRY 5

/* Each handle's page cache (the workers', the writer's).  SQLite's default of
 * 2 MiB is 62 pages of 32 KiB: a profile's dozen pages were read again and
 * again (pread, memset, malloc/free of 32 KiB) as other queries evicted them. */
#define SRV_CACHE_KIB 16384
#define SRV_TRIM_BYTES (32 << 20)

struct srv_job {
	srv_req *r;
	srv_job_fn fn;
	bool grouped; /* srv_write_job_grouped */
	struct srv_job *next;
};

/* The most grouped jobs one transaction takes. */
#define SRV_GROUP_MAX 128

/* ---- logs ---- */

static pthread_mutex_t log_lock = PTHREAD_MUTEX_INITIALIZER;

void srv_log_error(const char *fmt, ...)
{
	char when[32];
	time_t now = time(NULL);
	struct tm tm;
	va_list ap;
	FILE *f = srv_S && srv_S->errors ? srv_S->errors : stderr;
	gmtime_r(&now, &tm);
	strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", &tm);
	pthread_mutex_lock(&log_lock);
	fprintf(f, "%s xinyong serve: ", when);
	va_start(ap, fmt);
	vfprintf(f, fmt, ap);
	va_end(ap);
	fputc('\n', f);
	fflush(f);
	pthread_mutex_unlock(&log_lock);
}

/* s for a quoted log field: quotes, backslashes and control bytes escaped
 * (a request cannot forge log lines). */
static void log_quoted(xy_buf *b, const char *s)
{
	if (!s || !*s) {
		xy_buf_addstr(b, "-");
		return;
	}
	for (; *s; s++) {
		unsigned char ch = (unsigned char)*s;
		if (ch == '"' || ch == '\\')
			xy_buf_addf(b, "\\%c", ch);
		else if (ch < 0x20 || ch == 0x7f)
			xy_buf_addf(b, "\\x%02x", ch);
		else
			xy_buf_addch(b, (char)ch);
	}
}

/* Combined Log Format plus the duration in seconds:
 * ip - who [day/Mon/year:H:M:S +0000] "METHOD path HTTP/1.1" status bytes
 * "referer" "user-agent" 0.000123
 * The path is logged without its query string (a search may be for a
 * person's ID number). */
static void log_access(srv_req *r, double secs)
{
	xy_buf b = XY_BUF_INIT;
	char when[40];
	time_t now = time(NULL);
	struct tm tm;
	if (!srv_S->access)
		return;
	gmtime_r(&now, &tm);
	strftime(when, sizeof when, "%d/%b/%Y:%H:%M:%S +0000", &tm);
	xy_buf_addf(&b, "%s - ", r->ip);
	log_quoted(&b, r->who.who);
	xy_buf_addf(&b, " [%s] \"", when);
	log_quoted(&b, r->method);
	xy_buf_addch(&b, ' ');
	log_quoted(&b, r->url);
	xy_buf_addch(&b, ' ');
	log_quoted(&b, r->version);
	xy_buf_addf(&b, "\" %u %llu \"", r->status, (unsigned long long)r->resp_bytes);
	log_quoted(&b, MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, "Referer"));
	xy_buf_addstr(&b, "\" \"");
	log_quoted(&b, MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, "User-Agent"));
	xy_buf_addf(&b, "\" %.6f\n", secs);
	pthread_mutex_lock(&log_lock);
	fwrite(b.data, 1, b.len, srv_S->access);
	fflush(srv_S->access);
	pthread_mutex_unlock(&log_lock);
	xy_buf_release(&b);
}

/* ---- store handles ---- */

static xy_code open_handle(xy_store **s, xy_registry *reg, const char *db, xy_error *err)
{
	xy_code rc = xy_store_open(s, db, srv_S->cfg.config_dir, err);
	xy_registry_init(reg);
	if (!rc && (rc = xy_store_load_registry(*s, reg, err))) {
		xy_store_close(*s);
		*s = NULL;
	}
	return rc;
}

void srv_catalogue_changed(void)
{
	srv_S->catalogue_dirty = true; /* published by the writer after the job */
}

/* After a job that changed the catalogue: the primary's log position first,
 * then the generation, so a worker that sees the generation sees the
 * position a replica must reach before its handles may keep what they load. */
static void catalogue_publish(srv *S)
{
	xy_error err = XY_ERROR_INIT;
	uint64_t pos = 0;
	if (!S->catalogue_dirty)
		return;
	S->catalogue_dirty = false;
	if (S->cfg.read_db && xy_store_log_position(S->wstore, &pos, &err))
		srv_log_error("read replica: the primary's WAL position: %s", err.msg);
	atomic_store(&S->gen_pos, pos);
	atomic_fetch_add(&S->gen, 1);
}

/* Drop a handle's cached catalogue and load the registry again (after
 * srv_catalogue_changed); 0 or -1 with err. */
static int reload(xy_store *s, xy_registry *reg, xy_credit *cr, bool *cr_open,
		  xy_repairs *rp, bool *rp_open, xy_error *err)
{
	if (rp_open && *rp_open) {
		xy_repairs_release(rp);
		*rp_open = false;
	}
	if (*cr_open) {
		xy_credit_release(cr);
		*cr_open = false;
	}
	xy_registry_release(reg);
	xy_registry_init(reg);
	return xy_store_load_registry(s, reg, err) ? -1 : 0;
}

static void thread_free(srv_thread *t)
{
	if (t->repairs_open)
		xy_repairs_release(&t->repairs);
	if (t->credit_open)
		xy_credit_release(&t->credit);
	xy_registry_release(&t->reg);
	srv_cache_free(t->cache);
	xy_store_close(t->store);
	free(t);
}

/* The catalogue again when the generation moved.  A replica's handle keeps
 * the new generation only once it has replayed the commit that made it
 * (its log position, read before the load, at least gen_pos); until then it
 * loads again on each request and drops the answers it kept meanwhile. */
static int thread_refresh(srv_thread *t, xy_error *err)
{
	unsigned g = atomic_load(&srv_S->gen);
	uint64_t want = atomic_load(&srv_S->gen_pos), have = 0;
	bool caught_up = true;
	if (t->gen == g)
		return 0;
	if (t->replica && want)
		caught_up = !xy_store_log_position(t->store, &have, err) && have >= want;
	if (reload(t->store, &t->reg, &t->credit, &t->credit_open, &t->repairs,
		   &t->repairs_open, err)) {
		srv_metrics_store_error();
		return -1;
	}
	if (caught_up) {
		t->gen = g;
		if (t->replica) { /* answers built meanwhile with the old catalogue */
			srv_cache_free(t->cache);
			t->cache = NULL;
		}
	}
	return 0;
}

/* A new handle on db into *slot, listed for the shutdown; -1 with err. */
static int thread_open(srv_thread **slot, const char *db, bool replica, xy_error *err)
{
	srv_thread *t = calloc(1, sizeof *t);
	if (!t) {
		xy_error_set(err, XY_ERR_NOMEM, "out of memory");
		return -1;
	}
	t->gen = atomic_load(&srv_S->gen);
	t->replica = replica;
	if (open_handle(&t->store, &t->reg, db, err)) {
		xy_registry_release(&t->reg);
		free(t);
		srv_metrics_store_error();
		return -1;
	}
	pthread_mutex_lock(&srv_S->threads_lock);
	t->next = srv_S->threads;
	srv_S->threads = t;
	pthread_mutex_unlock(&srv_S->threads_lock);
	*slot = t;
	return 0;
}

srv_thread *srv_thread_get(xy_error *err)
{
	if (tl_step)
		return tl_step;
	if (!tl_thread && thread_open(&tl_thread, srv_S->cfg.db, false, err))
		return NULL;
	return thread_refresh(tl_thread, err) ? NULL : tl_thread;
}

void srv_replica_failed(const char *why)
{
	srv_thread *t = tl_replica;
	tl_replica = NULL;
	tl_replica_retry = time(NULL) + SRV_REPLICA_RETRY;
	/* libpq's messages run over several lines: the first says it */
	srv_log_error("read replica %s: %.*s; public reads go to the primary, next try in %d s",
		      srv_S->cfg.read_db, (int)strcspn(why, "\n"), why, SRV_REPLICA_RETRY);
	srv_metrics_store_error();
	if (!t)
		return;
	pthread_mutex_lock(&srv_S->threads_lock);
	for (srv_thread **p = &srv_S->threads; *p; p = &(*p)->next)
		if (*p == t) {
			*p = t->next;
			break;
		}
	pthread_mutex_unlock(&srv_S->threads_lock);
	thread_free(t);
}

srv_thread *srv_replica(xy_error *err)
{
	if (!srv_S->cfg.read_db) {
		xy_error_set(err, XY_ERR_ARG, "no --read-db");
		return NULL;
	}
	if (!tl_replica) {
		if (time(NULL) < tl_replica_retry) {
			xy_error_set(err, XY_ERR_STORE, "the read replica failed less than %d s ago",
				     SRV_REPLICA_RETRY);
			return NULL;
		}
		if (thread_open(&tl_replica, srv_S->cfg.read_db, true, err)) {
			srv_replica_failed(err->msg);
			return NULL;
		}
	}
	if (thread_refresh(tl_replica, err)) {
		srv_replica_failed(err->msg);
		return NULL;
	}
	return tl_replica;
}

xy_credit *srv_credit(xy_store *s, xy_registry *reg, xy_credit *cr, bool *open, xy_error *err)
{
	if (*open)
		return cr;
	if ((s == srv_S->wstore ? xy_credit_open
				: xy_credit_open_readonly)(cr, s, reg, srv_S->cfg.config_dir, err))
		return NULL;
	*open = true;
	return cr;
}

xy_repairs *srv_repairs(srv_thread *t, xy_error *err)
{
	if (t->repairs_open)
		return &t->repairs;
	if (!srv_credit(t->store, &t->reg, &t->credit, &t->credit_open, err) ||
	    xy_repairs_open(&t->repairs, &t->credit, srv_S->cfg.config_dir, err))
		return NULL;
	t->repairs_open = true;
	return &t->repairs;
}

bool srv_https(srv_req *r)
{
	const char *p = srv_S->cfg.trusted_proxy;
	const char *proto;
	if (!p || strcmp(p, r->ip))
		return false;
	proto = MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, "X-Forwarded-Proto");
	return proto && !strcasecmp(proto, "https");
}

/* ---- answers ---- */

static void set_response(srv_req *r, unsigned status, struct MHD_Response *resp)
{
	if (r->resp) { /* the first answer wins */
		if (resp)
			MHD_destroy_response(resp);
		return;
	}
	if (!resp) {
		static const char oom[] = "{\"error\":{\"code\":\"nomem\",\"message\":\"服务器内存不足\"}}";
		resp = MHD_create_response_from_buffer(sizeof oom - 1, (void *)oom,
							MHD_RESPMEM_PERSISTENT);
		status = MHD_HTTP_INTERNAL_SERVER_ERROR;
		if (!resp)
			return;
		MHD_add_response_header(resp, "Content-Type", "application/json; charset=utf-8");
	}
	/* on every response (docs/api.md "Security headers"); the pages' CSP
	 * and cache rule are static.c's */
	MHD_add_response_header(resp, "Content-Security-Policy",
				r->csp ? r->csp
				       : "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; "
					 "form-action 'none'");
	MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
	MHD_add_response_header(resp, "X-Frame-Options", "DENY");
	MHD_add_response_header(resp, "Referrer-Policy", "no-referrer");
	MHD_add_response_header(resp, "Cache-Control", r->cache ? r->cache : "no-store");
	r->resp = resp;
	r->status = status;
}

void srv_answer(srv_req *r, unsigned status, struct MHD_Response *resp)
{
	set_response(r, status, resp);
}

void srv_text(srv_req *r, unsigned status, const char *type, const char *text, size_t len)
{
	struct MHD_Response *resp =
		MHD_create_response_from_buffer(len, (void *)text, MHD_RESPMEM_MUST_COPY);
	if (resp)
		MHD_add_response_header(resp, "Content-Type", type);
	r->resp_bytes = len;
	set_response(r, status, resp);
}

void srv_json_text(srv_req *r, unsigned status, char *text, size_t len)
{
	struct MHD_Response *resp = NULL;
	if (!text) {
		srv_log_error("%s %s: could not build the JSON answer", r->method, r->url);
		set_response(r, 500, NULL);
		return;
	}
	resp = MHD_create_response_from_buffer(len, text, MHD_RESPMEM_MUST_FREE);
	if (!resp)
		free(text);
	else
		MHD_add_response_header(resp, "Content-Type", "application/json; charset=utf-8");
	r->resp_bytes = len;
	set_response(r, status, resp);
}

void srv_json(srv_req *r, unsigned status, json_t *v)
{
	xy_buf b = XY_BUF_INIT;
	char *s = NULL;
	size_t n = 0;
	if (v && !xy_json_dump(v, &b))
		s = xy_buf_detach(&b, &n);
	xy_buf_release(&b);
	json_decref(v);
	srv_json_text(r, status, s, n);
}

void srv_error(srv_req *r, unsigned status, const char *code, const char *field, long row,
	       const char *fmt, ...)
{
	xy_buf msg = XY_BUF_INIT;
	va_list ap;
	va_start(ap, fmt);
	xy_buf_vaddf(&msg, fmt, ap);
	va_end(ap);
	json_t *e = json_pack("{s:s,s:o}", "code", code, "message", xy_json_text(msg.data, NULL));
	xy_buf_release(&msg);
	if (e && field)
		json_object_set_new(e, "field", xy_json_text(field, NULL));
	if (e && row > 0)
		json_object_set_new(e, "row", json_integer(row));
	srv_json(r, status, e ? json_pack("{s:o}", "error", e) : NULL);
}

void srv_xy_error(srv_req *r, const xy_error *err)
{
	unsigned st;
	char msg[sizeof err->msg + 512];
	switch (err->code) {
	case XY_ERR_NOTFOUND: st = 404; break;
	case XY_ERR_ARG: case XY_ERR_INVALID: case XY_ERR_FORMAT: case XY_ERR_ENCODING:
		st = 422; break;
	case XY_ERR_LIMIT: st = 413; break;
	case XY_ERR_CONFLICT: st = 409; break;
	case XY_ERR_AUTH: case XY_ERR_EXPIRED: case XY_ERR_REVOKED: st = 401; break;
	case XY_ERR_DENIED: st = 403; break;
	case XY_ERR_BUSY: st = 429; break;
	case XY_ERR_UNSUPPORTED: st = 501; break; /* not on this backend yet (PostgreSQL) */
	case XY_ERR_STORE:
		srv_metrics_store_error();
		st = 503;
		break;
	default: st = 500; break;
	}
	if (st >= 500)
		srv_log_error("%s %s: %s", r->method, r->url, err->msg);
	/* The library's messages are English with the Chinese reason where it
	 * has one; the API's message is Chinese first. */
	xy_error_format(err, msg, sizeof msg);
	srv_error(r, st, xy_code_name(err->code), err->field[0] ? err->field : NULL, err->row,
		  "%s：%s", st == 404 ? "未找到" : st == 409 ? "冲突" : st == 413 ? "超出限制"
		  : st == 422 ? "请求无法处理" : st == 503 ? "数据库暂不可用"
		  : st == 501 ? "此数据库尚不支持" : "服务器错误", msg);
}

void srv_file(srv_req *r, const char *path, const char *type, const char *download_name)
{
	struct stat st;
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0 || fstat(fd, &st) || !S_ISREG(st.st_mode)) {
		if (fd >= 0)
			close(fd);
		srv_error(r, 404, "notfound", NULL, 0, "文件不存在");
		return;
	}
	struct MHD_Response *resp = MHD_create_response_from_fd((uint64_t)st.st_size, fd);
	if (!resp) {
		close(fd);
	} else {
		xy_buf cd = XY_BUF_INIT;
		MHD_add_response_header(resp, "Content-Type", type);
		/* RFC 6266/5987: the UTF-8 name percent-encoded */
		xy_buf_addstr(&cd, "attachment; filename*=UTF-8''");
		for (const unsigned char *p = (const unsigned char *)download_name; *p; p++) {
			if ((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') ||
			    (*p >= '0' && *p <= '9') || strchr("-._~", *p))
				xy_buf_addch(&cd, (char)*p);
			else
				xy_buf_addf(&cd, "%%%02X", *p);
		}
		MHD_add_response_header(resp, "Content-Disposition", cd.data);
		xy_buf_release(&cd);
	}
	r->resp_bytes = (uint64_t)st.st_size;
	set_response(r, 200, resp);
}

const char *srv_arg(srv_req *r, const char *name)
{
	return MHD_lookup_connection_value(r->conn, MHD_GET_ARGUMENT_KIND, name);
}

/* ---- the writer ---- */

static void write_job(srv_req *r, srv_job_fn fn, bool grouped)
{
	struct srv_job *j = calloc(1, sizeof *j);
	if (!j) {
		srv_error(r, 500, "nomem", NULL, 0, "服务器内存不足");
		return;
	}
	j->r = r;
	j->fn = fn;
	j->grouped = grouped;
	r->job_sent = true;
	MHD_suspend_connection(r->conn); /* before the writer can resume it */
	pthread_mutex_lock(&srv_S->wlock);
	*srv_S->jobs_tail = j;
	srv_S->jobs_tail = &j->next;
	/* a writer gathering a group is woken by the last job being prepared
	 * (srv_group_coming), not by each one */
	if (!grouped || !srv_S->gathering || atomic_load(&srv_S->group_coming) <= 1)
		pthread_cond_signal(&srv_S->wcond);
	pthread_mutex_unlock(&srv_S->wlock);
}

void srv_write_job(srv_req *r, srv_job_fn fn)
{
	write_job(r, fn, false);
}

void srv_write_job_grouped(srv_req *r, srv_job_fn fn)
{
	write_job(r, fn, true);
}

/* Group commit (after PostgreSQL's commit_delay and commit_siblings).  A
 * check's write is one row, but its COMMIT writes whole 32 KiB pages (the
 * table's and its index's last leaves) to the WAL: committing each check
 * alone wrote 70 KB per check.  So a writer holding grouped jobs waits
 * before its one COMMIT:
 * - for the jobs workers are still preparing (srv_group_coming);
 * - when it is busy (its previous group ended less than SRV_GROUP_BUSY_US
 *   ago), at least SRV_GROUP_MIN_US for more to arrive;
 * - never longer than SRV_GROUP_WAIT_US.
 * An idle writer with nothing being prepared commits at once, so a lone
 * check never waits.  Measured (bench/RESULTS.md, 100k subjects, wrk 64
 * connections): groups of 13 → 37 checks, 7.5 → 3.4 KB written per check. */
#define SRV_GROUP_WAIT_US 1000
#define SRV_GROUP_MIN_US 400
#define SRV_GROUP_BUSY_US 1000

static void ts_add_us(struct timespec *t, long us)
{
	t->tv_nsec += us * 1000L;
	while (t->tv_nsec >= 1000000000L) {
		t->tv_sec++;
		t->tv_nsec -= 1000000000L;
	}
}

static bool ts_before(const struct timespec *a, const struct timespec *b)
{
	return a->tv_sec < b->tv_sec || (a->tv_sec == b->tv_sec && a->tv_nsec < b->tv_nsec);
}

void srv_group_coming(int delta)
{
	if (atomic_fetch_add(&srv_S->group_coming, delta) + delta == 0) {
		/* the last one announced was sent or given up: nobody to wait for */
		pthread_mutex_lock(&srv_S->wlock);
		pthread_cond_signal(&srv_S->wcond);
		pthread_mutex_unlock(&srv_S->wlock);
	}
}

/* Append to the group ending at *last the grouped jobs at the head of the
 * queue (S->wlock held). */
static void take_grouped(srv *S, struct srv_job **last, size_t *n)
{
	while (S->jobs && S->jobs->grouped && *n < SRV_GROUP_MAX) {
		struct srv_job *j = S->jobs;
		S->jobs = j->next;
		j->next = NULL;
		(*last)->next = j;
		*last = j;
		(*n)++;
	}
	if (!S->jobs)
		S->jobs_tail = &S->jobs;
}

/* Take the next job off the queue (S->wlock held), with the grouped jobs
 * right behind a grouped one, and those still coming (group commit, above):
 * a list of n jobs. */
static struct srv_job *take_jobs(srv *S, size_t *n)
{
	struct srv_job *first = S->jobs, *last = first;
	struct timespec now, busy_until, min_until, until;
	S->jobs = first->next;
	first->next = NULL;
	if (!S->jobs)
		S->jobs_tail = &S->jobs;
	*n = 1;
	if (!first->grouped)
		return first;
	take_grouped(S, &last, n);
	clock_gettime(CLOCK_REALTIME, &now);
	busy_until = S->group_done;
	ts_add_us(&busy_until, SRV_GROUP_BUSY_US);
	min_until = until = now;
	if (ts_before(&now, &busy_until))
		ts_add_us(&min_until, SRV_GROUP_MIN_US);
	ts_add_us(&until, SRV_GROUP_WAIT_US);
	S->gathering = true;
	while (*n < SRV_GROUP_MAX && !S->writer_quit && (!S->jobs || S->jobs->grouped)) {
		bool at_least = ts_before(&now, &min_until);
		if (!at_least && atomic_load(&S->group_coming) <= 0)
			break;
		if (pthread_cond_timedwait(&S->wcond, &S->wlock, at_least ? &min_until : &until) &&
		    !at_least)
			break; /* waited long enough */
		take_grouped(S, &last, n);
		clock_gettime(CLOCK_REALTIME, &now);
	}
	S->gathering = false;
	take_grouped(S, &last, n);
	return first;
}

/* The writer's registry and credit layer again after srv_catalogue_changed;
 * -1 after answering every job of list 503 when they cannot be read. */
static int writer_reload(srv *S, struct srv_job *list)
{
	unsigned g = atomic_load(&S->gen);
	xy_error err = XY_ERROR_INIT;
	if (S->wgen == g)
		return 0;
	if (reload(S->wstore, &S->wreg, &S->wcredit, &S->wcredit_open, NULL, NULL, &err)) {
		srv_metrics_store_error();
		for (struct srv_job *j = list; j; j = j->next)
			srv_error(j->r, 503, "store", NULL, 0, "数据库不可用：%s", err.msg);
		return -1;
	}
	S->wgen = g;
	return 0;
}

static void run_job(srv *S, struct srv_job *j)
{
	atomic_store(&S->writing, true);
	j->fn(j->r, S->wstore, &S->wreg, &S->wcredit, &S->wcredit_open);
	atomic_store(&S->writing, false);
	if (!xy_store_in_transaction(S->wstore)) /* a group publishes after its COMMIT */
		catalogue_publish(S);
}

/* A group: one transaction, one COMMIT.  Each grouped job writes
 * atomically on its own (serve.h), so a job that fails leaves the others'
 * work intact without a savepoint around every job (a savepoint copies every
 * page the job touches into a statement journal: 64 KiB a check, spilled to
 * a temporary file).  A job is answered only after the COMMIT, so none
 * reports a write that is not durable; if the transaction ends early (SQLite
 * rolls back on a full disk) the jobs not yet run are not run, and if the
 * COMMIT fails every job of the group gets its error. */
static void run_group(srv *S, struct srv_job *list)
{
	xy_error err = XY_ERROR_INIT;
	bool ok = !xy_store_begin(S->wstore, false, &err);
	for (struct srv_job *j = list; j && ok; j = j->next) {
		run_job(S, j);
		if (!xy_store_in_transaction(S->wstore)) {
			/* SQLite rolled the whole group back: the jobs run so far
			 * lost their writes too, so none of the group succeeded */
			xy_error_set(&err, XY_ERR_STORE, "the transaction ended before its COMMIT");
			xy_store_rollback(S->wstore, NULL);
			ok = false;
		}
	}
	if (!ok) {
		/* every job of the group gets the group's error (a job's own
		 * answer is only made after this, by its handler) */
		for (struct srv_job *j = list; j; j = j->next)
			srv_xy_error(j->r, &err);
	} else if (xy_store_commit(S->wstore, &err)) {
		xy_store_rollback(S->wstore, NULL);
		for (struct srv_job *j = list; j; j = j->next)
			srv_xy_error(j->r, &err);
	}
	catalogue_publish(S);
}

static void *writer_main(void *arg)
{
	srv *S = arg;
	pthread_mutex_lock(&S->wlock);
	for (;;) {
		while (!S->jobs && !S->writer_quit)
			pthread_cond_wait(&S->wcond, &S->wlock);
		if (!S->jobs)
			break;
		size_t n;
		struct srv_job *list = take_jobs(S, &n), *next;
		pthread_mutex_unlock(&S->wlock);
		if (atomic_load(&S->stopping)) {
			for (struct srv_job *j = list; j; j = j->next)
				srv_error(j->r, 503, "stopping", NULL, 0, "服务正在停止，请稍后重试");
		} else if (writer_reload(S, list)) {
			/* answered: the catalogue could not be reloaded */
		} else if (n > 1) {
			run_group(S, list);
		} else {
			run_job(S, list);
		}
		if (list->grouped)
			clock_gettime(CLOCK_REALTIME, &S->group_done);
		for (struct srv_job *j = list; j; j = next) {
			next = j->next;
			atomic_store(&j->r->job_done, true);
			MHD_resume_connection(j->r->conn);
			free(j);
		}
		pthread_mutex_lock(&S->wlock);
	}
	pthread_mutex_unlock(&S->wlock);
	return NULL;
}

/* ---- checkpoints ----
 *
 * The writer's commits only append to the WAL (its handle is in manual
 * checkpoint mode); this thread copies the WAL into the database every
 * SRV_CHECKPOINT_MS on the sentinel handle (a PASSIVE checkpoint: it waits
 * for no reader and no writer).  With SQLite's automatic checkpoint the
 * writer's COMMIT that crossed 1,000 pages did the copy and its fsync
 * itself, and every request queued behind it waited: the checks' p99. */
#define SRV_CHECKPOINT_MS 200

static void *checkpointer_main(void *arg)
{
	srv *S = arg;
	pthread_mutex_lock(&S->wlock);
	while (!S->writer_quit) {
		struct timespec until;
		xy_error err = XY_ERROR_INIT;
		clock_gettime(CLOCK_REALTIME, &until);
		until.tv_nsec += SRV_CHECKPOINT_MS * 1000000L;
		if (until.tv_nsec >= 1000000000L) {
			until.tv_sec++;
			until.tv_nsec -= 1000000000L;
		}
		pthread_cond_timedwait(&S->ckcond, &S->wlock, &until);
		if (S->writer_quit)
			break;
		pthread_mutex_unlock(&S->wlock);
		if (xy_store_checkpoint(S->sentinel, false, &err))
			srv_log_error("checkpoint: %s", err.msg);
		pthread_mutex_lock(&S->wlock);
	}
	pthread_mutex_unlock(&S->wlock);
	return NULL;
}

/* ---- requests ---- */

/* A path parameter: decoded by libmicrohttpd, one segment (no '/'), valid
 * UTF-8 without control characters, at most 256 bytes.  NULL when not. */
static const char *param_problem(const char *s, size_t n)
{
	if (!n)
		return "为空";
	if (n > 256)
		return "超过 256 字节";
	if (xy_utf8_len(s, n) == (size_t)-1)
		return "不是有效的 UTF-8";
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f)
			return "含控制字符";
	return NULL;
}

/* libmicrohttpd's unescaping of paths and query arguments (%HH), but for
 * %00: a NUL would end the C string and cut the value silently ("a%00b" would
 * be "a"), so it becomes DEL, which the checks of path parameters and query
 * arguments (param_problem) refuse with 400. */
static int hexval(char c)
{
	return c >= '0' && c <= '9' ? c - '0'
	       : c >= 'a' && c <= 'f' ? c - 'a' + 10
	       : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
}

static size_t unescape(void *cls, struct MHD_Connection *c, char *s)
{
	char *w = s;
	(void)cls;
	(void)c;
	for (const char *p = s; *p; p++) {
		int hi, lo;
		if (*p == '%' && (hi = hexval(p[1])) >= 0 && (lo = hexval(p[2])) >= 0) {
			*w = (char)(hi * 16 + lo);
			if (!*w)
				*w = 0x7f;
			w++;
			p += 2;
		} else {
			*w++ = *p;
		}
	}
	*w = '\0';
	return (size_t)(w - s);
}

struct arg_check {
	srv_req *r;
	bool bad;
};

/* A query argument that is not valid UTF-8 or holds a control character is
 * refused (a handler would echo it into JSON, which cannot hold it). */
static enum MHD_Result check_arg(void *cls, enum MHD_ValueKind kind, const char *key,
				 const char *value)
{
	struct arg_check *a = cls;
	const char *why = param_problem(key, strlen(key));
	(void)kind;
	if (!why && value && *value)
		why = param_problem(value, strlen(value));
	if (!why)
		return MHD_YES;
	a->bad = true;
	if (param_problem(key, strlen(key)))
		srv_error(a->r, 400, "invalid_parameter", NULL, 0, "查询参数名%s", why);
	else
		srv_error(a->r, 400, "invalid_parameter", key, 0, "查询参数 %s %s", key, why);
	return MHD_NO;
}

/* Match url against the table: r->route and r->params, or an answer (404,
 * 405 with Allow, 400 for a bad parameter). */
static void route(srv_req *r)
{
	bool path_matched = false;
	xy_buf allow = XY_BUF_INIT;
	for (size_t i = 0; i < srv_nroutes; i++) {
		const srv_route *rt = &srv_routes[i];
		const char *p = rt->pattern, *u = r->url;
		const char *vals[SRV_MAX_PARAMS];
		size_t lens[SRV_MAX_PARAMS], np = 0;
		bool ok = true;
		while (*p && *u) {
			if (*p == '{') {
				size_t n = strcspn(u, "/");
				if (np == SRV_MAX_PARAMS) {
					ok = false;
					break;
				}
				vals[np] = u;
				lens[np++] = n;
				u += n;
				p += strcspn(p, "}") + 1;
			} else if (*p++ != *u++) {
				ok = false;
				break;
			}
		}
		if (!ok || *p || *u)
			continue;
		path_matched = true;
		/* HEAD is answered as GET without the body (libmicrohttpd drops it) */
		if (strcmp(rt->method, r->method) != 0 &&
		    !(!strcmp(r->method, "HEAD") && !strcmp(rt->method, "GET"))) {
			xy_buf_addf(&allow, "%s%s", allow.len ? ", " : "", rt->method);
			continue;
		}
		for (size_t k = 0; k < np; k++) {
			const char *why = param_problem(vals[k], lens[k]);
			if (why) {
				srv_error(r, 400, "invalid_parameter", NULL, 0, "路径参数%s", why);
				xy_buf_release(&allow);
				return;
			}
			r->params[k] = strndup(vals[k], lens[k]);
			if (!r->params[k]) {
				set_response(r, 500, NULL);
				xy_buf_release(&allow);
				return;
			}
		}
		r->route = rt;
		r->route_label = rt->pattern;
		xy_buf_release(&allow);
		return;
	}
	if (path_matched) {
		srv_error(r, 405, "method_not_allowed", NULL, 0, "不支持 %s 方法", r->method);
		if (r->resp)
			MHD_add_response_header(r->resp, "Allow", allow.data);
	} else {
		srv_error(r, 404, "not_found", NULL, 0, "没有这个接口");
	}
	xy_buf_release(&allow);
}

/* ---- uploads: the body into a spool file ---- */

/* A file name as a client gave it, safe as one path component: its last
 * component (after / or \), valid UTF-8 without control characters, not
 * "." or "..", at most 200 bytes (the error report's name is built from it
 * within NAME_MAX).  NULL when not acceptable. */
static const char *upload_name_problem(const char *name)
{
	size_t n = strlen(name);
	if (!n || !strcmp(name, ".") || !strcmp(name, ".."))
		return "文件名为空";
	if (n > 200)
		return "文件名超过 200 字节";
	if (xy_utf8_len(name, n) == (size_t)-1)
		return "文件名不是有效的 UTF-8";
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)name[i] < 0x20 || name[i] == 0x7f || name[i] == '/' ||
		    name[i] == '\\')
			return "文件名含控制字符或路径分隔符";
	return NULL;
}

/* Remove what a killed server left in the spool: the upXXXXXX directories
 * spool_open makes, each holding one file.  At start only, before any
 * request: one server per spool directory (docs/operations.md).  How many
 * were removed, or -1 when the spool cannot be read. */
static int spool_sweep(const char *spool)
{
	DIR *d = opendir(spool);
	struct dirent *e;
	int n = 0;
	if (!d)
		return -1;
	while ((e = readdir(d))) {
		if (strncmp(e->d_name, "up", 2) || strlen(e->d_name) != 8)
			continue;
		int fd = openat(dirfd(d), e->d_name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		DIR *sub = fd >= 0 ? fdopendir(fd) : NULL;
		struct dirent *f;
		if (!sub) {
			if (fd >= 0)
				close(fd);
			continue;
		}
		while ((f = readdir(sub)))
			if (strcmp(f->d_name, ".") && strcmp(f->d_name, ".."))
				unlinkat(dirfd(sub), f->d_name, 0);
		closedir(sub);
		if (!unlinkat(dirfd(d), e->d_name, AT_REMOVEDIR))
			n++;
	}
	closedir(d);
	return n;
}

static int spool_open(srv_req *r, const char *name)
{
	xy_buf dir = XY_BUF_INIT, path = XY_BUF_INIT;
	const char *base = name;
	for (const char *p = name; *p; p++)
		if (*p == '/' || *p == '\\')
			base = p + 1;
	const char *why = upload_name_problem(base);
	if (why) {
		srv_error(r, 400, "invalid_filename", "filename", 0, "%s", why);
		return -1;
	}
	xy_buf_addf(&dir, "%s/upXXXXXX", srv_S->cfg.spool);
	if (!mkdtemp(dir.data)) {
		srv_log_error("spool: cannot create a directory in %s: %s", srv_S->cfg.spool,
			      strerror(errno));
		srv_error(r, 500, "io", NULL, 0, "无法保存上传的文件");
		xy_buf_release(&dir);
		return -1;
	}
	xy_buf_addf(&path, "%s/%s", dir.data, base);
	r->spool_fd = open(path.data, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	r->spool_dir = xy_buf_detach(&dir, NULL);
	r->spool_path = xy_buf_detach(&path, NULL);
	r->upload_name = strdup(base);
	if (r->spool_fd < 0 || !r->upload_name) {
		srv_log_error("spool: cannot create %s: %s", r->spool_path, strerror(errno));
		srv_error(r, 500, "io", NULL, 0, "无法保存上传的文件");
		return -1;
	}
	return 0;
}

static int spool_write(srv_req *r, const char *data, size_t n)
{
	r->body_len += n;
	if (r->body_len > srv_S->cfg.max_body) {
		r->too_big = true;
		srv_error(r, 413, "too_large", NULL, 0, "上传内容超过 %llu 字节的上限",
			  (unsigned long long)srv_S->cfg.max_body);
		return -1;
	}
	while (n) {
		ssize_t w = write(r->spool_fd, data, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			srv_log_error("spool: writing %s: %s", r->spool_path, strerror(errno));
			srv_error(r, 507, "io", NULL, 0, "服务器无法保存上传的文件（磁盘已满？）");
			return -1;
		}
		data += w;
		n -= (size_t)w;
	}
	return 0;
}

static enum MHD_Result post_part(void *cls, enum MHD_ValueKind kind, const char *key,
				 const char *filename, const char *content_type,
				 const char *transfer_encoding, const char *data, uint64_t off,
				 size_t size)
{
	srv_req *r = cls;
	(void)kind, (void)content_type, (void)transfer_encoding;
	if (!key || strcmp(key, "file") != 0)
		return MHD_YES; /* other form fields are not used */
	if (off == 0 && r->spool_fd >= 0 && r->body_len > 0) { /* a second file part */
		srv_error(r, 400, "invalid_body", "file", 0, "一次只能上传一个文件");
		return MHD_NO;
	}
	if (r->spool_fd < 0) {
		if (r->upload_seen) /* its spool could not be opened: answered */
			return MHD_NO;
		r->upload_seen = true;
		if (spool_open(r, filename && *filename ? filename : "upload"))
			return MHD_NO;
	}
	if (size && spool_write(r, data, size))
		return MHD_NO;
	return MHD_YES;
}

/* ---- forms: text fields and several files (SRV_BODY_FORM) ---- */

#define FORM_FIELD_MAX (64 * 1024) /* bytes of one text field */
#define FORM_FIELDS_MAX 64         /* text field parts */

/* The text field read so far into r->form: a repeated name becomes an array.
 * -1 after answering (not UTF-8, a NUL byte). */
static int form_flush(srv_req *r)
{
	json_t *v, *old;
	int bad = 0;
	if (!r->form_key)
		return 0;
	if (xy_utf8_len(r->form_val.data ? r->form_val.data : "", r->form_val.len) == (size_t)-1 ||
	    (r->form_val.len && memchr(r->form_val.data, '\0', r->form_val.len))) {
		srv_error(r, 400, "invalid_body", r->form_key, 0, "表单字段 %s 不是有效的 UTF-8 文本",
			  r->form_key);
		bad = -1;
	} else if (!(v = json_stringn(r->form_val.data ? r->form_val.data : "", r->form_val.len))) {
		srv_error(r, 500, "nomem", NULL, 0, "服务器内存不足");
		bad = -1;
	} else if (!(old = json_object_get(r->form, r->form_key))) {
		json_object_set_new(r->form, r->form_key, v);
	} else if (json_is_array(old)) {
		json_array_append_new(old, v);
	} else {
		json_object_set_new(r->form, r->form_key, json_pack("[O,o]", old, v));
	}
	free(r->form_key);
	r->form_key = NULL;
	xy_buf_reset(&r->form_val);
	return bad;
}

/* The next file part: a spool file of its own in the request's spool
 * directory, named by its number (the client's name is kept aside). */
static int form_file_open(srv_req *r, const char *filename)
{
	const char *base = filename;
	xy_buf path = XY_BUF_INIT;
	srv_form_file *f;
	for (const char *p = filename; *p; p++)
		if (*p == '/' || *p == '\\')
			base = p + 1;
	const char *why = upload_name_problem(base);
	if (why) {
		srv_error(r, 400, "invalid_filename", "files", 0, "附件 %zu：%s", r->nfiles + 1, why);
		return -1;
	}
	if (r->nfiles == XY_APP_MAX_FILES) {
		srv_error(r, 413, "too_large", "files", 0, "附件至多 %d 个", XY_APP_MAX_FILES);
		return -1;
	}
	if (r->spool_fd >= 0) {
		close(r->spool_fd);
		r->spool_fd = -1;
	}
	if (!r->spool_dir) {
		xy_buf dir = XY_BUF_INIT;
		xy_buf_addf(&dir, "%s/upXXXXXX", srv_S->cfg.spool);
		if (!mkdtemp(dir.data)) {
			srv_log_error("spool: cannot create a directory in %s: %s", srv_S->cfg.spool,
				      strerror(errno));
			xy_buf_release(&dir);
			srv_error(r, 500, "io", NULL, 0, "无法保存上传的文件");
			return -1;
		}
		r->spool_dir = xy_buf_detach(&dir, NULL);
	}
	if (!r->files && !(r->files = calloc(XY_APP_MAX_FILES, sizeof *r->files))) {
		srv_error(r, 500, "nomem", NULL, 0, "服务器内存不足");
		return -1;
	}
	f = &r->files[r->nfiles];
	xy_buf_addf(&path, "%s/%zu", r->spool_dir, r->nfiles + 1);
	f->path = xy_buf_detach(&path, NULL);
	f->name = strdup(base);
	r->nfiles++;
	r->spool_fd = f->path ? open(f->path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600) : -1;
	if (r->spool_fd < 0 || !f->name) {
		srv_log_error("spool: cannot create %s: %s", f->path ? f->path : "-", strerror(errno));
		srv_error(r, 500, "io", NULL, 0, "无法保存上传的文件");
		return -1;
	}
	return 0;
}

static enum MHD_Result form_part(void *cls, enum MHD_ValueKind kind, const char *key,
				 const char *filename, const char *content_type,
				 const char *transfer_encoding, const char *data, uint64_t off,
				 size_t size)
{
	srv_req *r = cls;
	(void)kind, (void)content_type, (void)transfer_encoding;
	if (!key || !*key)
		return MHD_YES;
	if (filename && !*filename)
		return MHD_YES; /* a file input left empty (browsers send it so) */
	if (filename) {
		srv_form_file *f;
		if (off == 0 && (form_flush(r) || form_file_open(r, filename)))
			return MHD_NO;
		if (!r->nfiles)
			return MHD_NO;
		f = &r->files[r->nfiles - 1];
		f->size += size;
		r->files_total += size;
		if (f->size > XY_APP_MAX_FILE || r->files_total > XY_APP_MAX_TOTAL) {
			srv_error(r, 413, "too_large", "files", 0, "附件“%s”使%s超过 %u MiB 的上限",
				  f->name, f->size > XY_APP_MAX_FILE ? "单个文件" : "附件合计",
				  (f->size > XY_APP_MAX_FILE ? XY_APP_MAX_FILE : XY_APP_MAX_TOTAL) >> 20);
			r->too_big = true;
			return MHD_NO;
		}
		return size && spool_write(r, data, size) ? MHD_NO : MHD_YES;
	}
	if (off == 0 || !r->form_key || strcmp(r->form_key, key)) {
		size_t n = strlen(key);
		if (form_flush(r))
			return MHD_NO;
		if (json_object_size(r->form) >= FORM_FIELDS_MAX || n > 64 ||
		    strspn(key, "abcdefghijklmnopqrstuvwxyz_") != n) {
			srv_error(r, 400, "invalid_body", NULL, 0,
				  "表单字段名须为至多 64 个小写字母或下划线，字段至多 %d 个",
				  FORM_FIELDS_MAX);
			return MHD_NO;
		}
		if (!(r->form_key = strdup(key))) {
			srv_error(r, 500, "nomem", NULL, 0, "服务器内存不足");
			return MHD_NO;
		}
	}
	if (xy_buf_add(&r->form_val, data, size)) {
		srv_error(r, 413, "too_large", r->form_key, 0, "表单字段 %s 超过 %d 字节的上限",
			  r->form_key, FORM_FIELD_MAX);
		r->too_big = true;
		return MHD_NO;
	}
	return MHD_YES;
}

static bool content_type_is(srv_req *r, const char *want)
{
	const char *ct = MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, "Content-Type");
	size_t n = strlen(want);
	return ct && strncasecmp(ct, want, n) == 0 && (ct[n] == '\0' || ct[n] == ';' ||
							ct[n] == ' ');
}

/* The connection's slow-client watch (limits.c), NULL when none. */
static srv_conn *conn_watch(struct MHD_Connection *conn)
{
	const union MHD_ConnectionInfo *ci =
		MHD_get_connection_info(conn, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
	return ci ? ci->socket_context : NULL;
}

/* The first call: route, who, rate, role, body set-up.  Answers on error. */
static void begin(srv_req *r)
{
	const char *cl;
	xy_error aerr = XY_ERROR_INIT;
	srv_conn_reading(conn_watch(r->conn), false); /* the headers are complete */
	int ast = srv_authenticate(r, &r->who, &aerr);
	if (ast) {
		if (ast == 503)
			return srv_xy_error(r, &aerr);
		srv_error(r, (unsigned)ast, ast == 403 ? "csrf" : xy_code_name(aerr.code), NULL, 0,
			  "%s", ast == 403 ? "缺少或错误的 X-CSRF-Token（会话请求须带上 CSRF 令牌）"
			  : aerr.code == XY_ERR_EXPIRED ? "令牌或会话已过期"
			  : aerr.code == XY_ERR_REVOKED ? "令牌已吊销或用户已停用"
							: "令牌或会话无效");
		if (r->resp && ast == 401)
			MHD_add_response_header(r->resp, "WWW-Authenticate", "Bearer");
		return;
	}
	/* the rate counts every request but the probes, found or not (a scan of
	 * unknown paths is limited like any other) */
	if (strcmp(r->url, "/healthz") && strcmp(r->url, "/readyz") && strcmp(r->url, "/metrics")) {
		xy_buf key = XY_BUF_INIT;
		unsigned retry = 1;
		if (r->who.who)
			xy_buf_addf(&key, "t:%s", r->who.who);
		else
			xy_buf_addf(&key, "i:%s", r->ip);
		if (!srv_limit_take(key.data, &retry)) {
			char s[24];
			xy_buf_release(&key);
			srv_error(r, 429, "rate_limited", NULL, 0, "请求过于频繁，请 %u 秒后重试", retry);
			snprintf(s, sizeof s, "%u", retry);
			if (r->resp)
				MHD_add_response_header(r->resp, "Retry-After", s);
			return;
		}
		xy_buf_release(&key);
	}
	route(r);
	if (r->resp)
		return;
	struct arg_check args = { r, false };
	MHD_get_connection_values(r->conn, MHD_GET_ARGUMENT_KIND, check_arg, &args);
	if (args.bad)
		return;
	if (!srv_allowed(&r->who, r->route)) {
		if (r->who.role == SRV_PUBLIC) {
			srv_error(r, 401, "unauthorized", NULL, 0, "需要登录或令牌");
			if (r->resp)
				MHD_add_response_header(r->resp, "WWW-Authenticate", "Bearer");
		} else {
			srv_error(r, 403, "forbidden", NULL, 0, "当前角色无权访问此接口");
		}
		return;
	}
	cl = MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, "Content-Length");
	if (cl && strtoull(cl, NULL, 10) > srv_S->cfg.max_body) {
		srv_error(r, 413, "too_large", NULL, 0, "请求体超过 %llu 字节的上限",
			  (unsigned long long)srv_S->cfg.max_body);
		r->too_big = true;
		return;
	}
	if (cl && r->route->body == SRV_BODY_JSON && strtoull(cl, NULL, 10) > srv_S->cfg.max_json) {
		srv_error(r, 413, "too_large", NULL, 0, "JSON 请求体超过 %zu 字节的上限",
			  srv_S->cfg.max_json);
		r->too_big = true;
		return;
	}
	switch (r->route->body) {
	case SRV_BODY_JSON:
		if (!content_type_is(r, "application/json")) {
			srv_error(r, 415, "unsupported_media_type", NULL, 0,
				  "请求体须为 application/json");
			return;
		}
		xy_buf_init(&r->body, srv_S->cfg.max_json);
		break;
	case SRV_BODY_FORM:
		if (content_type_is(r, "multipart/form-data")) {
			xy_buf_init(&r->form_val, FORM_FIELD_MAX);
			if (!(r->form = json_object()) ||
			    !(r->pp = MHD_create_post_processor(r->conn, 64 * 1024, form_part, r)))
				srv_error(r, 400, "invalid_body", NULL, 0, "multipart 请求体无法解析");
		} else if (content_type_is(r, "application/json")) {
			xy_buf_init(&r->body, srv_S->cfg.max_json);
		} else {
			srv_error(r, 415, "unsupported_media_type", NULL, 0,
				  "请求体须为 multipart/form-data 或 application/json");
		}
		break;
	case SRV_BODY_UPLOAD:
		if (content_type_is(r, "multipart/form-data")) {
			r->pp = MHD_create_post_processor(r->conn, 64 * 1024, post_part, r);
			if (!r->pp)
				srv_error(r, 400, "invalid_body", NULL, 0, "multipart 请求体无法解析");
		} else if (content_type_is(r, "application/x-www-form-urlencoded")) {
			srv_error(r, 415, "unsupported_media_type", NULL, 0,
				  "上传文件请用 multipart/form-data 或原始文件内容");
		} else {
			const char *name = srv_arg(r, "filename");
			r->upload_seen = true;
			spool_open(r, name && *name ? name : "upload");
		}
		break;
	default:
		break;
	}
}

/* A chunk of the body. */
static void body_chunk(srv_req *r, const char *data, size_t n)
{
	switch (r->route->body) {
	case SRV_BODY_FORM:
		if (r->pp) {
			if (MHD_post_process(r->pp, data, n) != MHD_YES && !r->resp)
				srv_error(r, 400, "invalid_body", NULL, 0, "multipart 请求体无法解析");
			break;
		}
		__attribute__((fallthrough)); /* a JSON body */
	case SRV_BODY_JSON:
		if (xy_buf_add(&r->body, data, n)) {
			r->too_big = true;
			srv_error(r, 413, "too_large", NULL, 0, "JSON 请求体超过 %zu 字节的上限",
				  srv_S->cfg.max_json);
		}
		break;
	case SRV_BODY_UPLOAD:
		if (r->pp) {
			if (MHD_post_process(r->pp, data, n) != MHD_YES && !r->resp)
				srv_error(r, 400, "invalid_body", NULL, 0, "multipart 请求体无法解析");
		} else {
			spool_write(r, data, n);
		}
		break;
	default:
		if (n)
			srv_error(r, 400, "invalid_body", NULL, 0, "此接口不接受请求体");
	}
}

static enum MHD_Result queue(srv_req *r)
{
	enum MHD_Result ok = MHD_queue_response(r->conn, r->status, r->resp);
	if (!r->resp_cached) /* the cache keeps its reference */
		MHD_destroy_response(r->resp);
	r->resp = NULL;
	return ok;
}

/* One read transaction on the worker's handle around a step of a request
 * (authentication, the handler): its statements read one snapshot and lock
 * the database once instead of once each.  Workers never write; a handler
 * that needs a write hands it to the writer and is suspended after this
 * transaction ended.  NULL (the handler then runs in autocommit and reports
 * a broken handle itself) when the handle cannot be had. */
static xy_store *read_begin(const srv_req *r)
{
	xy_error err = XY_ERROR_INIT;
	srv_thread *t;
	tl_step = NULL;
	if (r && r->route && (r->route->flags & SRV_CACHED) && srv_S->cfg.read_db &&
	    (t = srv_replica(&err))) {
		if (!xy_store_read_begin(t->store, &err)) {
			tl_step = t; /* the handler and the cache read the replica */
			return t->store;
		}
		srv_replica_failed(err.msg);
	}
	t = srv_thread_get(&err);
	if (!t || xy_store_read_begin(t->store, &err))
		return NULL;
	return t->store;
}

static void read_end(xy_store *s)
{
	xy_store_read_end(s);
	tl_step = NULL;
}

/* Whether a body announced (Content-Length) too big is read and dropped
 * before the 413 rather than left unread: not when the client waits for
 * "100 Continue" (RFC 9110 10.1.1: it sends nothing until told), nor past
 * SRV_DRAIN_MAX bytes. */
static bool drain_announced(srv_req *r)
{
	const char *cl = MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, "Content-Length");
	const char *ex = MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, "Expect");
	if (ex && !strcasecmp(ex, "100-continue"))
		return false;
	return cl && strtoull(cl, NULL, 10) <= SRV_DRAIN_MAX;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn, const char *url,
				  const char *method, const char *version,
				  const char *upload_data, size_t *upload_size, void **con_cls)
{
	srv_req *r = *con_cls;
	(void)cls;
	if (!r) {
		const union MHD_ConnectionInfo *ci;
		r = calloc(1, sizeof *r);
		if (!r)
			return MHD_NO;
		*con_cls = r;
		r->conn = conn;
		r->url = url;
		r->method = method;
		r->version = version;
		r->spool_fd = -1;
		r->route_label = "other";
		r->who.role = SRV_PUBLIC;
		clock_gettime(CLOCK_MONOTONIC, &r->start);
		atomic_fetch_add(&srv_S->inflight, 1);
		r->started = true;
		ci = MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
		if (ci && ci->client_addr) {
			const struct sockaddr *sa = ci->client_addr;
			if (sa->sa_family == AF_INET)
				inet_ntop(AF_INET, &((const struct sockaddr_in *)sa)->sin_addr, r->ip,
					  sizeof r->ip);
			else if (sa->sa_family == AF_INET6)
				inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)sa)->sin6_addr,
					  r->ip, sizeof r->ip);
		}
		if (!r->ip[0])
			snprintf(r->ip, sizeof r->ip, "-");
		if (atomic_load(&srv_S->stopping)) {
			srv_error(r, 503, "stopping", NULL, 0, "服务正在停止，请稍后重试");
			return queue(r);
		}
		xy_store *rs = read_begin(NULL); /* authentication: the primary */
		begin(r);
		read_end(rs);
		/* a body announced too big is refused before it is read when the
		 * client waits for "100 Continue" (it then sends nothing) or when
		 * the body is too big to drain; else it is drained like any other */
		if (r->resp && r->too_big && !drain_announced(r))
			return queue(r);
		return MHD_YES;
	}
	if (*upload_size) {
		/* once answered (a body grown past its limit, a bad part), the rest
		 * is read and dropped: a response queued while the client still
		 * sends would reach it as a reset connection.  A client that goes on
		 * past SRV_DRAIN_MAX gets its answer anyway (and, likely, a reset) */
		size_t n = *upload_size;
		*upload_size = 0;
		if (!r->resp && !r->drained) {
			body_chunk(r, upload_data, n);
			return MHD_YES;
		}
		r->drained += n;
		if (r->resp && r->drained > SRV_DRAIN_MAX)
			return queue(r);
		return MHD_YES;
	}
	if (!r->resp && r->route) {
		if (r->pp && !r->job_sent) {
			MHD_destroy_post_processor(r->pp);
			r->pp = NULL;
		}
		if (r->route->body == SRV_BODY_FORM && !r->job_sent && !r->resp) {
			form_flush(r);
			if (r->spool_fd >= 0 && close(r->spool_fd))
				srv_error(r, 507, "io", NULL, 0, "服务器无法保存上传的文件");
			r->spool_fd = -1;
		}
		if (r->route->body == SRV_BODY_UPLOAD && !r->job_sent && !r->resp) {
			if (r->spool_fd < 0) {
				srv_error(r, 400, "invalid_body", "file", 0,
					  "没有上传文件（multipart 字段名须为 file）");
			} else if (close(r->spool_fd)) {
				r->spool_fd = -1;
				srv_error(r, 507, "io", NULL, 0, "服务器无法保存上传的文件");
			} else {
				r->spool_fd = -1;
			}
		}
		if (!r->resp) {
			xy_store *rs = read_begin(r);
			if (!srv_cache_answer(r)) {
				r->route->fn(r);
				srv_cache_keep(r);
			}
			read_end(rs);
		}
		if (!r->resp)
			return MHD_YES; /* suspended for the writer */
	}
	if (!r->resp)
		srv_error(r, 500, "internal", NULL, 0, "服务器错误");
	return queue(r);
}

static void on_completed(void *cls, struct MHD_Connection *conn, void **con_cls,
			 enum MHD_RequestTerminationCode why)
{
	srv_req *r = *con_cls;
	struct timespec now;
	(void)cls;
	srv_conn_reading(conn_watch(conn), true); /* the next request's headers */
	if (!r)
		return;
	clock_gettime(CLOCK_MONOTONIC, &now);
	double secs = (double)(now.tv_sec - r->start.tv_sec) +
		      (double)(now.tv_nsec - r->start.tv_nsec) / 1e9;
	if (why != MHD_REQUEST_TERMINATED_COMPLETED_OK && !r->status)
		r->status = 499; /* nginx's "client closed the request" */
	log_access(r, secs);
	srv_metrics_request(r->route_label, r->status, secs);
	if (r->resp && !r->resp_cached)
		MHD_destroy_response(r->resp);
	xy_buf_release(&r->cache_key);
	if (r->pp)
		MHD_destroy_post_processor(r->pp);
	if (r->spool_fd >= 0)
		close(r->spool_fd);
	if (r->spool_path)
		unlink(r->spool_path);
	for (size_t i = 0; i < r->nfiles; i++) {
		if (r->files[i].path)
			unlink(r->files[i].path);
		free(r->files[i].path);
		free(r->files[i].name);
	}
	free(r->files);
	json_decref(r->form);
	free(r->form_key);
	xy_buf_release(&r->form_val);
	if (r->spool_dir)
		rmdir(r->spool_dir);
	free(r->spool_path);
	free(r->spool_dir);
	free(r->upload_name);
	for (int i = 0; i < SRV_MAX_PARAMS; i++)
		free(r->params[i]);
	xy_buf_release(&r->body);
	srv_principal_release(&r->who);
	if (r->job_free)
		r->job_free(r->job_data);
	free(r);
	*con_cls = NULL;
	atomic_fetch_sub(&srv_S->inflight, 1);
}

static void on_connection(void *cls, struct MHD_Connection *conn, void **socket_context,
			  enum MHD_ConnectionNotificationCode toe)
{
	(void)cls;
	srv_metrics_connection(toe == MHD_CONNECTION_NOTIFY_STARTED ? 1 : -1);
	if (toe == MHD_CONNECTION_NOTIFY_STARTED) {
		const union MHD_ConnectionInfo *ci =
			MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CONNECTION_FD);
		*socket_context = ci ? srv_conn_open(ci->connect_fd) : NULL;
	} else {
		srv_conn_close(*socket_context);
		*socket_context = NULL;
	}
}

static void mhd_log(void *cls, const char *fmt, va_list ap)
{
	xy_buf b = XY_BUF_INIT;
	(void)cls;
	xy_buf_vaddf(&b, fmt, ap);
	while (b.len && b.data[b.len - 1] == '\n')
		xy_buf_truncate(&b, b.len - 1);
	srv_log_error("libmicrohttpd: %s", b.data);
	xy_buf_release(&b);
}

/* HOST:PORT, [V6]:PORT → a socket address.  0 or -1 with err. */
static int parse_listen(const char *s, struct sockaddr_storage *ss, bool *v6, xy_error *err)
{
	xy_buf host = XY_BUF_INIT;
	const char *colon = strrchr(s, ':');
	struct addrinfo hints = { 0 }, *res = NULL;
	int rc = -1;
	if (!colon || !colon[1]) {
		xy_error_set(err, XY_ERR_ARG, "--listen needs HOST:PORT, not '%s'", s);
		return -1;
	}
	if (s[0] == '[' && colon > s && colon[-1] == ']')
		xy_buf_add(&host, s + 1, (size_t)(colon - s - 2));
	else
		xy_buf_add(&host, s, (size_t)(colon - s));
	hints.ai_flags = AI_NUMERICHOST | AI_NUMERICSERV;
	hints.ai_socktype = SOCK_STREAM;
	if (getaddrinfo(host.data, colon + 1, &hints, &res) || !res) {
		xy_error_set(err, XY_ERR_ARG, "--listen: '%s' is not a numeric address and port", s);
	} else {
		memcpy(ss, res->ai_addr, res->ai_addrlen);
		*v6 = res->ai_family == AF_INET6;
		rc = 0;
	}
	if (res)
		freeaddrinfo(res);
	xy_buf_release(&host);
	return rc;
}

static FILE *open_log(const char *path, FILE *dflt, xy_error *err)
{
	FILE *f;
	if (!path)
		return dflt;
	if (!strcmp(path, "-"))
		return stdout;
	f = fopen(path, "ae");
	if (!f)
		xy_error_set(err, XY_ERR_IO, "cannot open log %s: %s", path, strerror(errno));
	return f;
}

static double since(const struct timespec *t0)
{
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	return (double)(now.tv_sec - t0->tv_sec) + (double)(now.tv_nsec - t0->tv_nsec) / 1e9;
}

int srv_run(const srv_config *cfg)
{
	static srv S;
	xy_error err = XY_ERROR_INIT;
	struct sockaddr_storage ss;
	bool v6 = false;
	sigset_t sigs;
	int sig = 0, status = 0;

	memset(&S, 0, sizeof S);
	S.cfg = *cfg;
	srv_S = &S;
	pthread_mutex_init(&S.threads_lock, NULL);
	pthread_mutex_init(&S.wlock, NULL);
	pthread_cond_init(&S.wcond, NULL);
	pthread_cond_init(&S.ckcond, NULL);
	S.jobs_tail = &S.jobs;
	S.errors = stderr;
	S.access = NULL;
	if (!(S.errors = open_log(cfg->error_log, stderr, &err)) ||
	    (cfg->access_log && !(S.access = open_log(cfg->access_log, NULL, &err)))) {
		S.errors = stderr;
		srv_log_error("%s", err.msg);
		return 1;
	}
	if (parse_listen(cfg->listen, &ss, &v6, &err) || srv_auth_init(&err)) {
		srv_log_error("%s", err.msg);
		return 1;
	}
	if (mkdir(cfg->spool, 0700) && errno != EEXIST) {
		srv_log_error("cannot create the spool directory %s: %s", cfg->spool,
			      strerror(errno));
		return 1;
	}
	{
		int swept = spool_sweep(cfg->spool);
		if (swept > 0)
			srv_log_error("spool: removed %d upload(s) a previous run left in %s", swept,
				      cfg->spool);
	}
	srv_limits_init(cfg->rate, cfg->burst);
	xy_store_set_cache(SRV_CACHE_KIB);
	/* glibc gives a thread arena's free top back (madvise) once it passes
	 * 128 KiB, and the next request faults the pages in again: measured 26
	 * page faults and ~40 % of the CPU per profile request.  Keep up to
	 * SRV_TRIM_BYTES per arena; blocks up to 1 MiB come from the heap. */
	mallopt(M_TRIM_THRESHOLD, SRV_TRIM_BYTES);
	mallopt(M_MMAP_THRESHOLD, 1 << 20);
	/* the writer's handle (creates and migrates a new database) and the
	 * sentinel, opened before any worker */
	if (open_handle(&S.wstore, &S.wreg, cfg->db, &err) ||
	    xy_store_open(&S.sentinel, cfg->db, cfg->config_dir, &err)) {
		srv_log_error("cannot open the database %s: %s", cfg->db, err.msg);
		return 1;
	}
	if (cfg->read_db) { /* opened by each worker when needed: a word now if it cannot be */
		xy_store *rs = NULL;
		if (xy_store_open(&rs, cfg->read_db, cfg->config_dir, &err)) {
			srv_log_error("read replica %s: cannot open it (%s); public reads go to the "
				      "primary until it can", cfg->read_db, err.msg);
			xy_error_clear(&err);
		}
		xy_store_close(rs);
	}
	/* the writer's credit layer copies any list type the store lacks, once,
	 * so that the workers' read-only credit layers find them */
	if (!srv_credit(S.wstore, &S.wreg, &S.wcredit, &S.wcredit_open, &err)) {
		srv_log_error("cannot open the credit catalogue: %s", err.msg);
		return 1;
	}
	/* the signals are waited for here, never delivered to a worker */
	sigemptyset(&sigs);
	sigaddset(&sigs, SIGTERM);
	sigaddset(&sigs, SIGINT);
	pthread_sigmask(SIG_BLOCK, &sigs, NULL);
	signal(SIGPIPE, SIG_IGN);
	if (srv_slow_start(cfg->timeout)) { /* after the mask: signals go to sigwait */
		srv_log_error("cannot start the slow-client watchdog");
		return 1;
	}
	if (xy_store_checkpoint(S.wstore, true, &err)) {
		srv_log_error("cannot set up the checkpoints: %s", err.msg);
		srv_slow_stop();
		return 1;
	}
	/* PostgreSQL's check log by month: this month's partition and three
	 * more (a row no partition takes waits in the default one, so a failure
	 * here is logged, not fatal; `xinyong db partitions --ahead N` from cron
	 * does the same for a server that runs for months) */
	if (xy_store_partitions(S.wstore, 3, NULL, NULL, &err))
		srv_log_error("partitions: %s", err.msg);
	if (pthread_create(&S.writer, NULL, writer_main, &S)) {
		srv_log_error("cannot start the writer thread");
		srv_slow_stop();
		return 1;
	}
	if (pthread_create(&S.checkpointer, NULL, checkpointer_main, &S)) {
		srv_log_error("cannot start the checkpoint thread");
		pthread_mutex_lock(&S.wlock);
		S.writer_quit = true;
		pthread_cond_signal(&S.wcond);
		pthread_mutex_unlock(&S.wlock);
		pthread_join(S.writer, NULL);
		srv_slow_stop();
		return 1;
	}
	/* the site's files (static.c), released with the rest at the end */
	if (cfg->web && srv_static_load(cfg->web, &err)) {
		srv_log_error("%s", err.msg);
		status = 1;
		goto stop_writer;
	}
	S.daemon = MHD_start_daemon(
		MHD_USE_EPOLL_INTERNAL_THREAD | MHD_ALLOW_SUSPEND_RESUME | MHD_USE_ERROR_LOG |
			(v6 ? MHD_USE_IPv6 : 0),
		0, NULL, NULL, on_request, NULL,
		MHD_OPTION_EXTERNAL_LOGGER, mhd_log, NULL,
		MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&ss,
		MHD_OPTION_THREAD_POOL_SIZE, (unsigned)cfg->workers,
		MHD_OPTION_CONNECTION_MEMORY_LIMIT, cfg->header_memory,
		MHD_OPTION_CONNECTION_LIMIT, cfg->max_conns,
		MHD_OPTION_PER_IP_CONNECTION_LIMIT, cfg->per_ip,
		MHD_OPTION_CONNECTION_TIMEOUT, cfg->timeout,
		MHD_OPTION_LISTEN_BACKLOG_SIZE, 1024u,
		MHD_OPTION_NOTIFY_COMPLETED, on_completed, NULL,
		MHD_OPTION_NOTIFY_CONNECTION, on_connection, NULL,
		MHD_OPTION_UNESCAPE_CALLBACK, unescape, NULL,
		MHD_OPTION_END);
	if (!S.daemon) {
		srv_log_error("cannot listen on %s: %s", cfg->listen, strerror(errno));
		status = 1;
		goto stop_writer;
	}
	{
		const union MHD_DaemonInfo *di = MHD_get_daemon_info(S.daemon,
								     MHD_DAEMON_INFO_BIND_PORT);
		xy_buf host = XY_BUF_INIT;
		xy_buf_add(&host, cfg->listen, (size_t)(strrchr(cfg->listen, ':') - cfg->listen));
		printf("xinyong serve: listening on http://%s:%u/ (database %s%s%s, %u workers)\n",
		       host.data, di ? di->port : 0, cfg->db, cfg->read_db ? ", public reads " : "",
		       cfg->read_db ? cfg->read_db : "", cfg->workers);
		fflush(stdout);
		xy_buf_release(&host);
	}
	while (sigwait(&sigs, &sig) == 0 && sig != SIGTERM && sig != SIGINT)
		;
	srv_log_error("%s: stopping (no new connections; in-flight requests get %u s)",
		      sig == SIGINT ? "SIGINT" : "SIGTERM", cfg->grace);
	{
		/* 1. stop accepting */
		MHD_socket ls = MHD_quiesce_daemon(S.daemon);
		struct timespec t0;
		if (ls != MHD_INVALID_SOCKET)
			close(ls);
		atomic_store(&S.stopping, true);
		/* 2. an import in progress is rolled back (its transaction fails), queued
		 *    writes are refused (503); requests being read or answered finish */
		clock_gettime(CLOCK_MONOTONIC, &t0);
		while (atomic_load(&S.inflight) > 0 && since(&t0) < cfg->grace) {
			if (atomic_load(&S.writing))
				xy_store_interrupt(S.wstore);
			usleep(10000);
		}
		if (atomic_load(&S.inflight) > 0)
			srv_log_error("%ld requests still in flight after %u s; closing them",
				      atomic_load(&S.inflight), cfg->grace);
	}
stop_writer:
	pthread_mutex_lock(&S.wlock);
	S.writer_quit = true;
	pthread_cond_signal(&S.wcond);
	pthread_cond_signal(&S.ckcond);
	pthread_mutex_unlock(&S.wlock);
	pthread_join(S.writer, NULL);
	pthread_join(S.checkpointer, NULL);
	if (S.daemon)
		MHD_stop_daemon(S.daemon);
	srv_slow_stop();
	/* 3. close the database */
	while (S.threads) {
		srv_thread *t = S.threads;
		S.threads = t->next;
		thread_free(t);
	}
	if (S.wcredit_open)
		xy_credit_release(&S.wcredit);
	xy_registry_release(&S.wreg);
	xy_store_close(S.wstore);
	xy_store_close(S.sentinel);
	srv_auth_release();
	srv_static_release();
	if (!status)
		srv_log_error("stopped cleanly");
	if (S.access && S.access != stdout)
		fclose(S.access);
	if (S.errors != stderr && S.errors != stdout) {
		FILE *f = S.errors;
		S.errors = stderr;
		fclose(f);
	}
	return status;
}
