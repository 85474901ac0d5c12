/* xinyong serve: the public site's files (web/, `--web DIR`).
 *
 * Every file the site has is read into memory once, at start: the pages
 * (DIR/NAME.html) and their assets (DIR/assets/NAME, one level, no
 * subdirectories).  A request is answered from that table by an exact match
 * of its path, so no request ever reaches the filesystem: "..", "%00",
 * "%2f", a dotfile or a symlink cannot name anything that was not loaded.
 * Loading skips dotfiles, symlinks and anything but regular files (a
 * symlink cannot lead out of DIR), and refuses to start on a file over
 * SRV_STATIC_FILE_MAX or a site over SRV_STATIC_TOTAL_MAX (never a file cut
 * short).  docs/portal.md gives the measurements behind "in memory" (rather
 * than MHD's file-descriptor responses).
 *
 * Each file has a strong ETag (BLAKE2b of its bytes); If-None-Match with it
 * answers 304.  Cache-Control is "no-cache": the files have no hashed names,
 * so a browser revalidates each (a 304 costs a few hundred bytes) and never
 * runs a page with the previous release's scripts.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sodium.h>

#include "routes.h"

#define SRV_STATIC_FILE_MAX (4u << 20)
#define SRV_STATIC_TOTAL_MAX (64u << 20)

/* The pages' Content-Security-Policy: scripts, styles, images and API calls
 * from this server only; no inline script or style, no plugins, no frames. */
#define PAGE_CSP                                                                        \
	"default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "     \
	"connect-src 'self'; font-src 'self'; manifest-src 'self'; form-action 'self'; " \
	"frame-ancestors 'none'; base-uri 'none'; object-src 'none'"

typedef struct static_file {
	char *path;       /* the URL path: "/index.html", "/assets/site.css" */
	const char *type; /* Content-Type */
	char *data;
	size_t len;
	char etag[36];    /* "\"" 32 hex "\"" */
} static_file;

static struct {
	static_file *files;
	size_t n, cap, bytes;
	bool loaded;
} S;

static const struct {
	const char *ext, *type;
} types[] = {
	{ ".html", "text/html; charset=utf-8" },
	{ ".css", "text/css; charset=utf-8" },
	{ ".js", "text/javascript; charset=utf-8" },
	{ ".mjs", "text/javascript; charset=utf-8" },
	{ ".json", "application/json; charset=utf-8" },
	{ ".svg", "image/svg+xml" },
	{ ".png", "image/png" },
	{ ".ico", "image/x-icon" },
	{ ".woff2", "font/woff2" },
	{ ".txt", "text/plain; charset=utf-8" },
};

static const char *type_of(const char *name)
{
	size_t n = strlen(name);
	for (size_t i = 0; i < sizeof types / sizeof types[0]; i++) {
		size_t e = strlen(types[i].ext);
		if (n > e && !strcmp(name + n - e, types[i].ext))
			return types[i].type;
	}
	return NULL;
}

/* Read the regular file name of directory dfd (not a symlink) into a new
 * table entry at url prefix + name.  0, 1 when skipped, -1 with err. */
static int load_file(int dfd, const char *dir, const char *prefix, const char *name,
		     xy_error *err)
{
	const char *type = type_of(name);
	struct stat st;
	static_file *f;
	int fd;
	if (name[0] == '.')
		return 1;
	fd = openat(dfd, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK);
	if (fd < 0) {
		if (errno == ELOOP) /* a symlink: never followed out of the directory */
			return 1;
		xy_error_set(err, XY_ERR_IO, "--web: cannot open %s/%s: %s", dir, name,
			     strerror(errno));
		return -1;
	}
	if (fstat(fd, &st)) {
		xy_error_set(err, XY_ERR_IO, "--web: cannot stat %s/%s: %s", dir, name,
			     strerror(errno));
		close(fd);
		return -1;
	}
	if (!S_ISREG(st.st_mode) || !type) {
		if (S_ISREG(st.st_mode))
			srv_log_error("--web: %s/%s not served (no known content type)", dir, name);
		close(fd);
		return 1;
	}
	if ((uint64_t)st.st_size > SRV_STATIC_FILE_MAX ||
	    S.bytes + (uint64_t)st.st_size > SRV_STATIC_TOTAL_MAX) {
		close(fd);
		xy_error_set(err, XY_ERR_LIMIT,
			     "--web: %s/%s is %lld bytes; a file may have %u and the site %u",
			     dir, name, (long long)st.st_size, SRV_STATIC_FILE_MAX,
			     SRV_STATIC_TOTAL_MAX);
		return -1;
	}
	f = xy_array_grow(S.files, S.n, &S.cap, sizeof *S.files, 32);
	if (!f) {
		close(fd);
		xy_error_set(err, XY_ERR_NOMEM, "out of memory");
		return -1;
	}
	S.files = f;
	f = &S.files[S.n];
	memset(f, 0, sizeof *f);
	xy_buf p = XY_BUF_INIT;
	xy_buf_addf(&p, "%s%s", prefix, name);
	f->path = xy_buf_detach(&p, NULL);
	f->type = type;
	f->len = (size_t)st.st_size;
	f->data = malloc(f->len ? f->len : 1);
	if (!f->path || !f->data) {
		free(f->path);
		free(f->data);
		close(fd);
		xy_error_set(err, XY_ERR_NOMEM, "out of memory");
		return -1;
	}
	for (size_t got = 0; got < f->len;) {
		ssize_t r = read(fd, f->data + got, f->len - got);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0) { /* an error, or the file shrank while read */
			xy_error_set(err, XY_ERR_IO, "--web: cannot read %s/%s: %s", dir, name,
				     r < 0 ? strerror(errno) : "shorter than its size");
			free(f->path);
			free(f->data);
			close(fd);
			return -1;
		}
		got += (size_t)r;
	}
	close(fd);
	unsigned char h[16];
	crypto_generichash(h, sizeof h, (const unsigned char *)f->data, f->len, NULL, 0);
	f->etag[0] = '"';
	sodium_bin2hex(f->etag + 1, sizeof f->etag - 2, h, sizeof h);
	f->etag[33] = '"';
	f->etag[34] = '\0';
	S.bytes += f->len;
	S.n++;
	return 0;
}

/* Load every entry of directory path (pages: only *.html) as prefix/name. */
static int load_dir(int dfd, const char *path, const char *prefix, bool pages, xy_error *err)
{
	DIR *d = fdopendir(dfd);
	struct dirent *e;
	int rc = 0;
	if (!d) {
		close(dfd);
		xy_error_set(err, XY_ERR_IO, "--web: cannot read %s: %s", path, strerror(errno));
		return -1;
	}
	while (!rc && (e = readdir(d))) {
		size_t n = strlen(e->d_name);
		if (pages && (n < 6 || strcmp(e->d_name + n - 5, ".html")))
			continue;
		rc = load_file(dirfd(d), path, prefix, e->d_name, err) < 0 ? -1 : 0;
	}
	closedir(d);
	return rc;
}

int srv_static_load(const char *dir, xy_error *err)
{
	int dfd, afd;
	xy_buf assets = XY_BUF_INIT;
	if (sodium_init() < 0) {
		xy_error_set(err, XY_ERR_CONFIG, "libsodium cannot start");
		return -1;
	}
	dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd < 0) {
		xy_error_set(err, XY_ERR_IO, "--web: cannot open the directory %s: %s", dir,
			     strerror(errno));
		return -1;
	}
	afd = openat(dfd, "assets", O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (load_dir(dfd, dir, "/", true, err)) {
		if (afd >= 0)
			close(afd);
		return -1;
	}
	if (afd >= 0) {
		xy_buf_addf(&assets, "%s/assets", dir);
		int rc = load_dir(afd, assets.data, "/assets/", false, err);
		xy_buf_release(&assets);
		if (rc)
			return -1;
	}
	S.loaded = true;
	srv_log_error("--web: %zu files, %zu bytes from %s", S.n, S.bytes, dir);
	return 0;
}

void srv_static_release(void)
{
	for (size_t i = 0; i < S.n; i++) {
		free(S.files[i].path);
		free(S.files[i].data);
	}
	free(S.files);
	memset(&S, 0, sizeof S);
}

/* Whether an If-None-Match header names etag ("*", or one of a list;
 * a weak W/ form counts: RFC 9110 13.1.2 compares weakly). */
static bool etag_matches(const char *inm, const char *etag)
{
	size_t n = strlen(etag);
	while (inm && *inm) {
		inm += strspn(inm, " \t,");
		if (!strncmp(inm, "W/", 2))
			inm += 2;
		if (*inm == '*' || !strncmp(inm, etag, n))
			return true;
		inm = strchr(inm, ',');
	}
	return false;
}

void h_static(srv_req *r)
{
	const char *path = !strcmp(r->url, "/") ? "/index.html" : r->url;
	const static_file *f = NULL;
	for (size_t i = 0; i < S.n && !f; i++)
		if (!strcmp(S.files[i].path, path))
			f = &S.files[i];
	r->csp = PAGE_CSP;
	if (!f) {
		srv_error(r, 404, "not_found", NULL, 0, "没有这个页面或文件");
		return;
	}
	r->cache = "no-cache";
	const char *inm = MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, "If-None-Match");
	bool fresh = inm && etag_matches(inm, f->etag);
	struct MHD_Response *resp = MHD_create_response_from_buffer(
		fresh ? 0 : f->len, fresh ? NULL : f->data, MHD_RESPMEM_PERSISTENT);
	if (resp) {
		MHD_add_response_header(resp, "ETag", f->etag);
		if (!fresh)
			MHD_add_response_header(resp, "Content-Type", f->type);
	}
	r->resp_bytes = fresh ? 0 : f->len;
	srv_answer(r, fresh ? 304 : 200, resp);
}
