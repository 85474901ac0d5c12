/* xinyong serve: the HTTP server's shared state (src/serve/).
 *
 * server.c   the libmicrohttpd daemon: request life cycle, limits, security
 *            headers, access/error logs, the writer thread, shutdown
 * routes.c   the route table (the one source of the served API, of
 *            `xinyong serve --routes` and of the OpenAPI check) and what
 *            handlers share; handlers by audience in routes_public.c,
 *            routes_unit.c, routes_office.c, routes_session.c (routes.h)
 * principal.c who is asking (authenticate) and whether a role may (srv_allowed)
 * limits.c   token buckets per IP and per token (429 with Retry-After)
 * metrics.c  Prometheus counters
 *
 * Names here are srv_ (the executable's own, like cli_ in src/cli.h).
 */
#ifndef XINYONG_SERVE_H
#define XINYONG_SERVE_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include <jansson.h>
#include <microhttpd.h>

#include "xinyong/auth.h"
#include "xinyong/buf.h"
#include "xinyong/credit.h"
#include "xinyong/error.h"
#include "xinyong/registry.h"
#include "xinyong/repair.h"
#include "xinyong/store.h"

/* ---- roles (issue 9): a bit each, a route allows a set ---- */
enum {
	SRV_PUBLIC = 1,  /* 公众, anonymous */
	SRV_UNIT = 2,    /* 信源单位操作员: one unit's data */
	SRV_ADMIN = 4,   /* 信用办管理员 */
	SRV_AUDITOR = 8, /* 审计员: read-only */
	SRV_ANYONE = SRV_PUBLIC | SRV_UNIT | SRV_ADMIN | SRV_AUDITOR,
	SRV_STAFF = SRV_UNIT | SRV_ADMIN | SRV_AUDITOR,
};

/* Who asks (principal.c).  Owns its strings: srv_principal_release. */
typedef struct srv_principal {
	int role;           /* one SRV_ role bit (= XY_ROLE_BIT(p.role)) */
	char *unit;         /* SRV_UNIT: the unit's name; NULL otherwise */
	char *who;          /* xy_principal_who: "user:NAME", "token:ID"; NULL for
			       the public (the access log shows "-") */
	char *session;      /* a cookie session's token, NULL otherwise */
	char *csrf;         /* and its CSRF token */
	xy_principal p;     /* the library's principal */
} srv_principal;

/* The session cookie's name. */
#define SRV_SESSION_COOKIE "xy_session"

/* Server configuration (xinyong serve's options). */
typedef struct srv_config {
	const char *db;
	const char *read_db;      /* --read-db: a hot standby of db that the public
				     cached routes read (server.c "read replica");
				     NULL: everything reads db */
	const char *config_dir;
	const char *listen;       /* HOST:PORT (IPv4 or [IPv6]) */
	unsigned workers;         /* MHD thread pool size */
	uint64_t max_body;        /* bytes of a request body (uploads included) */
	size_t max_json;          /* bytes of a JSON body */
	size_t header_memory;     /* MHD_OPTION_CONNECTION_MEMORY_LIMIT */
	unsigned per_ip;          /* connections per IP */
	unsigned max_conns;       /* connections in all */
	unsigned timeout;         /* seconds of silence before a connection is closed */
	double rate;              /* requests per second per IP / per token */
	double burst;             /* bucket size */
	unsigned grace;           /* seconds in-flight requests get at shutdown */
	const char *spool;        /* upload spool directory */
	const char *reports;      /* error report directory */
	const char *attachments;  /* online applications' attachments (applications.h) */
	const char *access_log;   /* file, "-" = stdout, NULL = none */
	const char *error_log;    /* file, NULL = stderr */
	const char *trusted_proxy; /* the address of a proxy whose X-Forwarded-Proto
				      is believed (Secure cookies behind TLS) */
	size_t cache_bytes;       /* the answer cache, all workers together; 0 = off */
	const char *web;          /* the public site's directory (static.c), NULL: none */
} srv_config;

/* What one worker thread reads with: its own store handle (SQLite WAL: many
 * readers beside one writer), the registry and the credit catalogue. */
typedef struct srv_thread {
	xy_store *store;
	xy_registry reg;
	xy_credit credit;
	bool credit_open;
	xy_repairs repairs;       /* publication rules, for profiles */
	bool repairs_open;
	unsigned gen;             /* the catalogue generation these were loaded at */
	bool replica;             /* store is on --read-db */
	struct srv_cache *cache;  /* this worker's answers (cache.c), NULL until used */
	struct srv_thread *next;  /* all of them, to close at shutdown */
} srv_thread;

typedef struct srv_route srv_route;
typedef struct srv_req srv_req;

/* A handler answers with srv_json / srv_error / srv_file / srv_text.  A
 * handler that needs the writer calls srv_write_job and returns; it is called
 * again when the job is done (r->job_done), and then answers. */
typedef void (*srv_handler)(srv_req *r);

/* SRV_BODY_FORM: multipart/form-data with text fields and up to
 * XY_APP_MAX_FILES files (applications.h limits; 413 past them), or
 * application/json without files (r->body, as SRV_BODY_JSON). */
enum { SRV_BODY_NONE = 0, SRV_BODY_JSON, SRV_BODY_UPLOAD, SRV_BODY_FORM };

/* A file part of a SRV_BODY_FORM body, spooled. */
typedef struct srv_form_file {
	char *name;     /* the client's file name (checked as one path component) */
	char *path;     /* the spool file */
	uint64_t size;
} srv_form_file;

struct srv_route {
	const char *method;
	const char *pattern;   /* /api/v1/batches/{id}: a {name} is one path segment */
	srv_handler fn;
	int roles;             /* SRV_ role bits allowed */
	int body;              /* SRV_BODY_ */
	const char *summary;
	int flags;             /* SRV_CACHED */
};

/* Body bytes read and dropped after a refusal (413, a bad part) so that the
 * client, still sending, reads the answer instead of a reset connection. */
#define SRV_DRAIN_MAX (8u << 20)

/* The route's 200 answers are kept in the answer cache (cache.c): its answer
 * must depend only on the URL, the data and the day, never on who asks. */
#define SRV_CACHED 1

extern const srv_route srv_routes[];
extern const size_t srv_nroutes;

#define SRV_MAX_PARAMS 2

/* One request, from its first call to the completion notice. */
struct srv_req {
	struct MHD_Connection *conn;
	const srv_route *route;     /* NULL: no route (404/405) */
	const char *method, *url, *version;
	char *params[SRV_MAX_PARAMS];  /* {name} values, decoded, validated */
	srv_principal who;
	char ip[64];
	struct timespec start;
	bool started;               /* the first call passed */
	/* body */
	xy_buf body;                /* SRV_BODY_JSON, capped at max_json */
	uint64_t body_len;
	bool too_big;
	uint64_t drained; /* body bytes dropped after the answer was made */
	struct MHD_PostProcessor *pp;
	int spool_fd;               /* SRV_BODY_UPLOAD: the spooled file, -1 */
	char *spool_dir, *spool_path;
	char *upload_name;          /* the file's name as the client gave it */
	bool upload_seen;
	/* SRV_BODY_FORM (multipart): text fields (a repeated field becomes an
	 * array of strings) and files; NULL / 0 for a JSON body */
	json_t *form;
	char *form_key;             /* the text field being read */
	xy_buf form_val;
	srv_form_file *files;
	size_t nfiles;
	uint64_t files_total;
	/* a job on the writer thread */
	bool job_sent;
	atomic_bool job_done;
	void *job_data;
	void (*job_free)(void *);
	/* the answer */
	struct MHD_Response *resp;
	unsigned status;
	uint64_t resp_bytes;
	bool resp_cached;           /* resp is the answer cache's: queued, never destroyed here */
	xy_buf cache_key;           /* a cacheable route's key until srv_cache_keep */
	uint64_t cache_hash;
	const char *route_label;    /* for metrics: the pattern, or "other" */
	const char *csp;            /* Content-Security-Policy instead of the API's */
	const char *cache;          /* Cache-Control instead of "no-store" */
};

/* The running server (one per process). */
typedef struct srv {
	srv_config cfg;
	struct MHD_Daemon *daemon;
	FILE *access, *errors;
	atomic_bool stopping;
	atomic_long inflight;         /* requests between first call and completion */
	/* worker threads' handles */
	pthread_mutex_t threads_lock;
	srv_thread *threads;
	/* the writer */
	pthread_t writer;
	pthread_mutex_t wlock;
	pthread_cond_t wcond;
	pthread_t checkpointer;       /* WAL checkpoints off the writer (server.c) */
	pthread_cond_t ckcond;
	struct srv_job *jobs, **jobs_tail;
	atomic_int group_coming;      /* grouped jobs being prepared (srv_group_coming) */
	bool gathering;               /* the writer waits for them (under wlock) */
	struct timespec group_done;
	bool writer_quit;
	xy_store *wstore;
	xy_registry wreg;
	xy_credit wcredit;
	bool wcredit_open;
	atomic_bool writing;          /* a job runs */
	atomic_uint gen;              /* catalogue generation (srv_catalogue_changed) */
	unsigned wgen;                /* the writer's registry and credit layer's */
	bool catalogue_dirty;         /* the writer's job changed it (srv_catalogue_changed) */
	_Atomic uint64_t gen_pos;     /* the primary's log position after the commit
					 that made gen (xy_store_log_position) */
	xy_store *sentinel;           /* a handle kept open so that an import never
					 takes the database exclusively (store.c) */
} srv;

extern srv *srv_S;

/* Run the server until SIGTERM/SIGINT; 0 after a clean shutdown. */
int srv_run(const srv_config *cfg);

/* The calling worker's read handle, opened on first use; NULL with err set.
 * The handle on --db, except while a public cached route's handler runs with
 * --read-db: then the read replica's (server.c "read replica"), so that the
 * handlers and the answer cache need not know which one they read. */
srv_thread *srv_thread_get(xy_error *err);
/* The calling worker's handle on --read-db, opened on first use (again at
 * most every SRV_REPLICA_RETRY seconds after a failure); NULL with err set
 * when there is no --read-db or the replica cannot be read. */
srv_thread *srv_replica(xy_error *err);
/* The replica could not be read (why): the calling worker closes its handle
 * on it (a broken connection is not mended) and sends public reads to the
 * primary until the next try. */
void srv_replica_failed(const char *why);
/* A writer job changed what handles cache (units, categories, fields,
 * mappings, memoranda, list types): once the job is done, every handle
 * reloads its registry and credit layer before its next request (workers)
 * or job (the writer); a replica's handles once they have replayed it. */
void srv_catalogue_changed(void);
/* The publication rules on the calling worker's handle (profiles). */
xy_repairs *srv_repairs(srv_thread *t, xy_error *err);
/* Whether r reached us over HTTPS (through --trusted-proxy). */
bool srv_https(srv_req *r);
/* The credit layer on a thread's (or the writer's) handle, opened on first
 * use: read-only on a worker's handle (the writer opened it at start). */
xy_credit *srv_credit(xy_store *s, xy_registry *reg, xy_credit *cr, bool *open, xy_error *err);

/* Queue fn on the writer thread: it runs with the writer's store, registry
 * and credit layer; r is suspended until it is done and the handler is
 * called again with r->job_done. */
typedef void (*srv_job_fn)(srv_req *r, xy_store *s, xy_registry *reg, xy_credit *cr,
			   bool *cr_open);
void srv_write_job(srv_req *r, srv_job_fn fn);
/* The same for a short write (a check's log row) that may share one
 * transaction with the other such jobs queued behind it (group commit: one
 * COMMIT for all the checks queued or being prepared while it waits, at
 * most a millisecond: srv_group_coming).  Such a job must write
 * atomically on its own — one statement, or its own xy_store_begin/commit
 * (a savepoint inside the group's transaction) — so that when it fails it
 * leaves the store as it found it; the group adds no savepoint per job.
 * When the shared COMMIT fails, every job of the group is answered with that
 * error.  Not for a job with its own bulk transaction (an upload). */
void srv_write_job_grouped(srv_req *r, srv_job_fn fn);
/* A handler about to prepare a grouped job says so (+1), and again once it
 * has sent it or given up (-1): a writer holding a group waits for the jobs
 * being prepared (up to a millisecond) instead of committing alone. */
void srv_group_coming(int delta);

/* Answers: each sets r->resp and r->status (the first one wins).  srv_json
 * takes the reference to v (NULL v: a 500). */
void srv_json(srv_req *r, unsigned status, json_t *v);
/* JSON already dumped: takes text (malloc'd, len bytes; NULL: a 500). */
void srv_json_text(srv_req *r, unsigned status, char *text, size_t len);
void srv_error(srv_req *r, unsigned status, const char *code, const char *field, long row,
	       const char *fmt, ...) __attribute__((format(printf, 6, 7)));
/* An xy_error as the status its code means (NOTFOUND 404, INVALID/ARG 422, …). */
void srv_xy_error(srv_req *r, const xy_error *err);
void srv_text(srv_req *r, unsigned status, const char *type, const char *text, size_t len);
/* Send the file at path (opened here) as type; 404 when it cannot be opened. */
void srv_file(srv_req *r, const char *path, const char *type, const char *download_name);

/* Answer with resp as it is (a handler's own response; NULL: a 500), the
 * security headers added. */
void srv_answer(srv_req *r, unsigned status, struct MHD_Response *resp);

/* A query argument, NULL when absent. */
const char *srv_arg(srv_req *r, const char *name);

/* ---- routes.c: what handlers share ---- */
/* Path parameter k as a positive id; 0 after answering 400 naming name. */
int64_t srv_param_id(srv_req *r, int k, const char *name);
/* ?limit=N within 1..max (dflt when absent); -1 after answering 400. */
long srv_arg_limit(srv_req *r, long dflt, long max);
/* ?name= as a date into d, *out = d (NULL when absent); -1 after answering 400. */
int srv_arg_date(srv_req *r, const char *name, char d[11], const char **out);
/* The calling worker's read handle / its credit layer / its publication
 * rules; NULL after answering. */
srv_thread *srv_reader(srv_req *r);
xy_credit *srv_reader_credit(srv_req *r);
xy_repairs *srv_reader_repairs(srv_req *r);
/* Answer a view's result: 200 with *v, or err (rc first: *v is read after
 * the call that fills it). */
void srv_view(srv_req *r, xy_code rc, json_t **v, const xy_error *err);
/* The JSON body as an object (the caller owns it); NULL after answering 400. */
json_t *srv_body_object(srv_req *r);

/* A writer job of the common shape: a handler validates the request on its
 * first call and sends the job (srv_wjob_send); fn fills status and out (or
 * leaves status 0 with err set); on its second call the handler takes
 * srv_wjob_done (NULL: already answered, the server is stopping) and answers,
 * usually with srv_wjob_answer.  The job owns req, out and data. */
typedef struct srv_wjob {
	json_t *req;       /* the parsed body, or NULL */
	json_t *out;       /* the answer */
	unsigned status;   /* its HTTP status; 0: answer err */
	xy_code rc;        /* for handlers that need the library's code */
	xy_error err;
	bool flag;         /* a handler's own yes/no (an upload: refused) */
	void *data;        /* a handler's own state, freed with data_free */
	void (*data_free)(void *);
} srv_wjob;
/* Queue fn with a new job holding req and data (both taken, also on
 * failure: data_free(data) then); the job, or NULL after answering 500. */
srv_wjob *srv_wjob_send(srv_req *r, json_t *req, void *data, void (*data_free)(void *),
			srv_job_fn fn);
/* The same for a short write that may share a transaction with the jobs
 * queued beside it (srv_write_job_grouped: a check, never an import). */
srv_wjob *srv_wjob_send_grouped(srv_req *r, json_t *req, void *data, void (*data_free)(void *),
				srv_job_fn fn);
srv_wjob *srv_wjob_done(srv_req *r);
/* 200/201… with out, or err as its status. */
void srv_wjob_answer(srv_req *r, srv_wjob *j);

/* The error log: one line, with the time. */
void srv_log_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* ---- principal.c ---- */
/* The process's xy_auth (sessions, password hashing cap); 0 or -1. */
int srv_auth_init(xy_error *err);
void srv_auth_release(void);
xy_auth *srv_auth(void);
void srv_principal_release(srv_principal *p); /* back to the public */
/* The value of r's session cookie, NULL when none. */
const char *srv_session_cookie(srv_req *r);
/* Who r is: a bearer token, else a session cookie, else the public.  0, or
 * the HTTP status to answer with err saying why: 401 (unknown, forged,
 * expired or revoked credentials), 403 (a state-changing cookie request
 * without its CSRF token), 503 (the store cannot be read). */
int srv_authenticate(srv_req *r, srv_principal *out, xy_error *err);
/* Whether p may call route rt. */
bool srv_allowed(const srv_principal *p, const srv_route *rt);
/* Whether p may see or act for unit (its own unit; the office and auditors
 * any unit). */
bool srv_unit_allowed(const srv_principal *p, const char *unit);

/* ---- static.c: the public site's files ---- */
/* Read the pages (dir/NAME.html) and assets (dir/assets/NAME) into memory; 0, or
 * -1 with err (a file over the limit, an unreadable directory). */
int srv_static_load(const char *dir, xy_error *err);
void srv_static_release(void);

/* ---- limits.c ---- */
void srv_limits_init(double rate, double burst);
/* Take one request from key's bucket; false with *retry_after seconds when
 * it is empty. */
bool srv_limit_take(const char *key, unsigned *retry_after);

/* Slow clients: each connection is watched while a request's headers are
 * read (srv_conn_open at its start, srv_conn_reading(c, false) once they are
 * complete, true again after the answer, srv_conn_close when libmicrohttpd
 * reports it closed); headers not complete within 2 x timeout seconds get the
 * socket shut down.  srv_conn_open may return NULL (not watched). */
typedef struct srv_conn srv_conn;
srv_conn *srv_conn_open(int fd);
void srv_conn_reading(srv_conn *c, bool reading);
void srv_conn_close(srv_conn *c);
/* The watchdog thread (none when timeout is 0); 0 or -1. */
int srv_slow_start(unsigned timeout);
void srv_slow_stop(void);

/* ---- cache.c: public answers kept per worker (SRV_CACHED routes) ---- */
typedef struct srv_cache srv_cache;
srv_cache *srv_cache_new(size_t limit);   /* NULL when out of memory */
void srv_cache_free(srv_cache *c);        /* NULL is fine */
/* Before the handler, inside the request's read transaction: true when the
 * answer was kept (r->resp is then the cache's, r->resp_cached set).  On a
 * miss, remembers the key for srv_cache_keep. */
bool srv_cache_answer(srv_req *r);
/* After the handler: keeps a 200 answer of a cacheable route (the cache takes
 * the response's reference). */
void srv_cache_keep(srv_req *r);

/* ---- metrics.c ---- */
void srv_metrics_request(const char *route, unsigned status, double seconds);
void srv_metrics_connection(int delta);
void srv_metrics_import(long rows, bool committed);
void srv_metrics_store_error(void);
void srv_metrics_cache(bool hit);
/* The Prometheus text exposition, into out. */
xy_code srv_metrics_render(xy_buf *out);

#endif
