/* xinyong: keys and values of personal ID numbers at rest (pii.h). */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "pii.h"
#include "xinyong/store.h"

#define KDF_CONTEXT "xy-pii__" /* crypto_kdf_CONTEXTBYTES = 8 */

enum { KDF_ENC = 1, KDF_LOOK = 2, KDF_ID = 3, KDF_REPORT = 4 };

static char *key_file_override;

void xy_store_set_key_file(const char *path)
{
	free(key_file_override);
	key_file_override = path && *path ? strdup(path) : NULL;
}

void xy__pii_derive(xy__pii_key *k, const unsigned char master[32])
{
	unsigned char idkey[crypto_generichash_KEYBYTES];
	static const char label[] = "xinyong pii key id";
	crypto_kdf_derive_from_key(k->enc, sizeof k->enc, KDF_ENC, KDF_CONTEXT, master);
	crypto_kdf_derive_from_key(k->look, sizeof k->look, KDF_LOOK, KDF_CONTEXT, master);
	crypto_kdf_derive_from_key(idkey, sizeof idkey, KDF_ID, KDF_CONTEXT, master);
	crypto_kdf_derive_from_key(k->report, sizeof k->report, KDF_REPORT, KDF_CONTEXT, master);
	crypto_generichash(k->id, sizeof k->id, (const unsigned char *)label, sizeof label - 1,
			   idkey, sizeof idkey);
	sodium_bin2hex(k->hex, sizeof k->hex, k->id, sizeof k->id);
	sodium_memzero(idkey, sizeof idkey);
}

void xy__pii_report_mac(const xy__pii_key *k, const void *data, size_t n, unsigned char out[32])
{
	crypto_generichash(out, 32, data, n, k->report, sizeof k->report);
}

xy_code xy__pii_key_path(const char *db, xy_buf *out, bool *has, xy_error *err)
{
	const char *env = getenv("XINYONG_KEY_FILE");
	const char *p = key_file_override ? key_file_override : env && *env ? env : NULL;
	xy_buf_reset(out);
	*has = p || (*db && strcmp(db, ":memory:"));
	if (*has && (p ? xy_buf_addstr(out, p) : xy_buf_addf(out, "%s.key", db)))
		return xy_error_set(err, XY_ERR_NOMEM, "out of memory");
	return XY_OK;
}

xy_code xy__pii_key_read(const char *path, unsigned char master[32], xy_error *err)
{
	char text[80];
	size_t bin_len = 0;
	struct stat sb;
	ssize_t n;
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0) {
		if (errno == ENOENT)
			return xy_error_at(err, XY_ERR_NOTFOUND, path, 0, NULL,
					   "key file does not exist");
		return xy_error_at(err, XY_ERR_IO, path, 0, NULL, "cannot open key file: %s",
				   strerror(errno));
	}
	if (fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode)) {
		close(fd);
		return xy_error_at(err, XY_ERR_INVALID, path, 0, NULL,
				   "key file is not a regular file");
	}
	if (sb.st_mode & 077) {
		close(fd);
		return xy_error_at(err, XY_ERR_INVALID, path, 0, NULL,
				   "key file has mode %04o: it must not be readable by group or "
				   "others; refusing it (chmod 600 it, and check who has read it) "
				   "(密钥文件权限过宽，拒绝使用)",
				   (unsigned)(sb.st_mode & 07777));
	}
	n = read(fd, text, sizeof text - 1);
	close(fd);
	if (n < 0)
		return xy_error_at(err, XY_ERR_IO, path, 0, NULL, "cannot read key file: %s",
				   strerror(errno));
	text[n] = '\0';
	if (sodium_hex2bin(master, 32, text, (size_t)n, "\r\n", &bin_len, NULL) != 0 ||
	    bin_len != 32)
		return xy_error_at(err, XY_ERR_INVALID, path, 0, NULL,
				   "not a xinyong key file (expected 64 hex digits)");
	return XY_OK;
}

/* fsync the directory holding path, so a created or renamed file stays */
static void sync_dir(const char *path)
{
	const char *slash = strrchr(path, '/');
	xy_buf d = XY_BUF_INIT;
	int fd;
	if (slash ? xy_buf_add(&d, path, slash == path ? 1 : (size_t)(slash - path))
		  : xy_buf_addch(&d, '.'))
		return;
	fd = open(d.data, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd >= 0) {
		fsync(fd);
		close(fd);
	}
	xy_buf_release(&d);
}

xy_code xy__pii_key_create(const char *path, unsigned char master[32], xy_error *err)
{
	char hex[65];
	size_t off = 0;
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
	if (fd < 0)
		return xy_error_at(err, errno == EEXIST ? XY_ERR_CONFLICT : XY_ERR_IO, path, 0,
				   NULL, "cannot create key file: %s", strerror(errno));
	randombytes_buf(master, 32);
	sodium_bin2hex(hex, sizeof hex, master, 32);
	hex[64] = '\n';
	while (off < sizeof hex) {
		ssize_t w = write(fd, hex + off, sizeof hex - off);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			xy_code rc = xy_error_at(err, XY_ERR_IO, path, 0, NULL,
						 "cannot write key file: %s", strerror(errno));
			close(fd);
			unlink(path);
			sodium_memzero(hex, sizeof hex);
			return rc;
		}
		off += (size_t)w;
	}
	sodium_memzero(hex, sizeof hex);
	if (fsync(fd) != 0 || close(fd) != 0) {
		unlink(path);
		return xy_error_at(err, XY_ERR_IO, path, 0, NULL, "cannot write key file: %s",
				   strerror(errno));
	}
	sync_dir(path);
	return XY_OK;
}

/* Random nonces, drawn from the system's generator 170 at a time: one
 * getrandom() per value was a tenth of the encryption's cost in an import
 * (perf).  Per thread; a forked child starts with an empty pool, so parent
 * and child never hand out the same bytes. */
#define NONCE_POOL (170 * crypto_secretbox_NONCEBYTES)
static _Thread_local unsigned char nonce_pool[NONCE_POOL];
static _Thread_local size_t nonce_left;
static pthread_once_t nonce_once = PTHREAD_ONCE_INIT;

static void nonce_child(void)
{
	nonce_left = 0;
}

static void nonce_init(void)
{
	pthread_atfork(NULL, NULL, nonce_child);
}

static void next_nonce(unsigned char *out)
{
	pthread_once(&nonce_once, nonce_init);
	if (nonce_left < crypto_secretbox_NONCEBYTES) {
		randombytes_buf(nonce_pool, sizeof nonce_pool);
		nonce_left = sizeof nonce_pool;
	}
	nonce_left -= crypto_secretbox_NONCEBYTES;
	memcpy(out, nonce_pool + nonce_left, crypto_secretbox_NONCEBYTES);
	sodium_memzero(nonce_pool + nonce_left, crypto_secretbox_NONCEBYTES); /* used once */
}

xy_code xy__pii_seal(const xy__pii_key *k, const void *text, size_t n, xy_buf *out)
{
	unsigned char *p;
	xy_buf_reset(out);
	if (xy_buf_grow(out, n + XY__PII_OVERHEAD))
		return XY_ERR_NOMEM;
	p = (unsigned char *)out->data;
	p[0] = 1;
	memcpy(p + 1, k->id, 4);
	next_nonce(p + 5);
	crypto_secretbox_easy(p + 5 + crypto_secretbox_NONCEBYTES, text, n, p + 5, k->enc);
	out->len = n + XY__PII_OVERHEAD;
	out->data[out->len] = '\0';
	return XY_OK;
}

xy_code xy__pii_open(const xy__pii_key *k, const void *blob, size_t n, xy_buf *out,
		     xy_error *err)
{
	const unsigned char *p = blob;
	xy_buf_reset(out);
	if (n < XY__PII_OVERHEAD || p[0] != 1)
		return xy_error_set(err, XY_ERR_INVALID,
				    "an encrypted value is damaged (%zu bytes)", n);
	if (memcmp(p + 1, k->id, 4)) {
		char want[9];
		sodium_bin2hex(want, sizeof want, p + 1, 4);
		return xy_error_set(err, XY_ERR_INVALID,
				    "a value was encrypted with key %s…, not with this key (%.8s…): "
				    "was the key rotated (xinyong rekey) while this process ran?",
				    want, k->hex);
	}
	if (xy_buf_grow(out, n - XY__PII_OVERHEAD + 1))
		return xy_error_set(err, XY_ERR_NOMEM, "out of memory");
	if (crypto_secretbox_open_easy((unsigned char *)out->data,
				       p + 5 + crypto_secretbox_NONCEBYTES,
				       n - 5 - crypto_secretbox_NONCEBYTES, p + 5, k->enc) != 0)
		return xy_error_set(err, XY_ERR_INVALID,
				    "an encrypted value does not decrypt with key %.8s… "
				    "(damaged or altered)", k->hex);
	out->len = n - XY__PII_OVERHEAD;
	out->data[out->len] = '\0';
	return XY_OK;
}

void xy__pii_hash(const xy__pii_key *k, const void *text, size_t n,
		  unsigned char out[XY__PII_HASH_BYTES])
{
	crypto_generichash(out, XY__PII_HASH_BYTES, text, n, k->look, sizeof k->look);
}

void xy__pii_record_digest(const xy__pii_key *k, const char *decided_on, const void *data,
			   size_t n, unsigned char out[XY__PII_HASH_BYTES])
{
	static const unsigned char domain[] = "\0xy-record"; /* with its final NUL */
	crypto_generichash_state st;
	size_t dn = decided_on ? strlen(decided_on) : 0;
	unsigned char len[8];
	for (int i = 0; i < 8; i++)
		len[i] = (unsigned char)((uint64_t)dn >> (8 * i));
	crypto_generichash_init(&st, k->look, sizeof k->look, XY__PII_HASH_BYTES);
	crypto_generichash_update(&st, domain, sizeof domain);
	crypto_generichash_update(&st, len, sizeof len);
	crypto_generichash_update(&st, (const unsigned char *)(dn ? decided_on : ""), dn);
	crypto_generichash_update(&st, data, n);
	crypto_generichash_final(&st, out, XY__PII_HASH_BYTES);
}

bool xy__pii_code_type(const char *t)
{
	return t && strcmp(t, "uscc") && strcmp(t, "regno") && strcmp(t, "org") &&
	       strcmp(t, "ric_masked");
}

/* ---- xinyong rekey: the key files (both backends) ---- */

static xy_code sys_fail(const char *path, const char *what, xy_error *err)
{
	return xy_error_at(err, XY_ERR_IO, path, 0, NULL, "cannot %s: %s", what, strerror(errno));
}

xy_code xy__pii_rotate_start(xy__pii *p, bool *swapped, xy_error *err)
{
	xy_buf tmp = XY_BUF_INIT, old = XY_BUF_INIT;
	unsigned char master[32];
	xy_code rc = XY_OK;
	*swapped = false;
	if (xy_buf_addf(&tmp, "%s.new", p->path) || xy_buf_addf(&old, "%s.old", p->path)) {
		rc = xy_error_set(err, XY_ERR_NOMEM, "out of memory");
		goto out;
	}
	/* the new key, written whole beside the old one */
	if (unlink(tmp.data) != 0 && errno != ENOENT) {
		rc = sys_fail(tmp.data, "remove a stale new key file", err);
		goto out;
	}
	if ((rc = xy__pii_key_create(tmp.data, master, err)))
		goto out;
	xy__pii_derive(&p->next, master);
	sodium_memzero(master, sizeof master);
	/* keep the key the database uses as .old (it is there already when an
	 * earlier rotation was interrupted), then the new one takes the key
	 * file's name: from here on an open finds the matching key in one of
	 * the two files */
	if (!p->from_old) {
		if (unlink(old.data) != 0 && errno != ENOENT) {
			rc = sys_fail(old.data, "remove an old key file", err);
			goto out;
		}
		if (link(p->path, old.data) != 0) {
			rc = sys_fail(old.data, "keep the old key", err);
			goto out;
		}
	}
	if (rename(tmp.data, p->path) != 0) {
		rc = sys_fail(p->path, "put the new key in place", err);
		goto out;
	}
	*swapped = true;
	p->has_next = true;
out:
	if (!*swapped && tmp.data)
		unlink(tmp.data); /* a new key never put in place, if any */
	xy_buf_release(&tmp);
	xy_buf_release(&old);
	return rc;
}

xy_code xy__pii_rotate_end(xy__pii *p, bool committed, bool swapped, xy_code rc, xy_error *err)
{
	xy_buf old = XY_BUF_INIT;
	if (xy_buf_addf(&old, "%s.old", p->path)) {
		rc = rc ? rc : xy_error_set(err, XY_ERR_NOMEM, "out of memory");
	} else if (committed) {
		/* the new key is the key; the old one goes */
		p->cur = p->next;
		p->from_old = false;
		if (unlink(old.data) != 0 && errno != ENOENT)
			rc = sys_fail(old.data,
				      "remove the old key (the rotation is done; remove it by hand)",
				      err);
	} else if (swapped) {
		/* not committed: the database still uses the old key; put it back */
		if (!p->from_old && rename(old.data, p->path) != 0 && !rc)
			rc = sys_fail(p->path, "put the old key back", err);
		else if (p->from_old)
			unlink(p->path); /* the unused new key; the .old one stays */
	}
	sodium_memzero(&p->next, sizeof p->next);
	p->has_next = false;
	xy_buf_release(&old);
	return rc;
}
