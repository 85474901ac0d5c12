/* xinyong: personal ID numbers at rest (个人信息保护法; docs/security.md).
 * Internal to lib/store.
 *
 * One master key of 32 random bytes lives in a key file outside the database
 * (default `<db>.key`, 64 hex digits and a newline, mode 0600).  Three keys are
 * derived from it with crypto_kdf: one encrypts values (crypto_secretbox,
 * a random nonce per value), one makes the keyed hash a number is looked up
 * by (crypto_generichash), one gives the key id the database records so a
 * wrong key is refused by name instead of failing value by value.
 *
 * An encrypted value is a BLOB: version byte 1, the first 4 bytes of the key
 * id, the 24-byte nonce, then the secretbox (16-byte MAC + text).  A TEXT
 * value is plain (written before migration 12, or not personal).
 */
#ifndef XY_STORE_PII_H
#define XY_STORE_PII_H

#include <stdbool.h>
#include <stddef.h>

#include <sodium.h>

#include "xinyong/buf.h"
#include "xinyong/error.h"

#define XY__PII_ID_BYTES 16
#define XY__PII_HASH_BYTES 16 /* the keyed hash stored as the lookup value */
#define XY__PII_OVERHEAD (1 + 4 + crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES)

typedef struct xy__pii_key {
	unsigned char enc[crypto_secretbox_KEYBYTES];
	unsigned char look[crypto_generichash_KEYBYTES];
	unsigned char id[XY__PII_ID_BYTES];
	unsigned char report[crypto_generichash_KEYBYTES]; /* xy_store_report_mac */
	char hex[2 * XY__PII_ID_BYTES + 1]; /* the id as the database stores it */
} xy__pii_key;

/* The keys of a handle: cur, and during a rekey next. */
typedef struct xy__pii {
	xy__pii_key cur;
	xy__pii_key next;
	bool has_next;
	char *path;      /* the key file (heap), NULL for an in-memory database */
	bool from_old;   /* cur was read from `<path>.old` (an interrupted rekey) */
} xy__pii;

/* Derive the three keys from a master key. */
void xy__pii_derive(xy__pii_key *k, const unsigned char master[32]);

/* The key file of database `db` into out: the path given to
 * xy_store_set_key_file, else $XINYONG_KEY_FILE, else "<db>.key".  *has is
 * false for an in-memory database without either (no key file). */
xy_code xy__pii_key_path(const char *db, xy_buf *out, bool *has, xy_error *err);

/* Read the master key from path.  XY_ERR_NOTFOUND (err set) when the file
 * does not exist; XY_ERR_INVALID when it is readable by group or others
 * (naming the file and its mode) or is not a key file. */
xy_code xy__pii_key_read(const char *path, unsigned char master[32], xy_error *err);

/* Create path (O_EXCL, mode 0600, synced) holding a new random master key.
 * XY_ERR_CONFLICT when it exists. */
xy_code xy__pii_key_create(const char *path, unsigned char master[32], xy_error *err);

/* Encrypt text[0..n) with k into out (replacing its content). */
xy_code xy__pii_seal(const xy__pii_key *k, const void *text, size_t n, xy_buf *out);
/* Decrypt an encrypted value with k into out (replacing its content, NUL
 * added).  XY_ERR_INVALID with a message naming the key ids when the value
 * was written with another key, or when it does not decrypt. */
xy_code xy__pii_open(const xy__pii_key *k, const void *blob, size_t n, xy_buf *out,
		     xy_error *err);
/* The keyed hash of text[0..n) (the lookup value). */
void xy__pii_hash(const xy__pii_key *k, const void *text, size_t n,
		  unsigned char out[XY__PII_HASH_BYTES]);

/* The keyed hash of a record's content: its decision date (NULL as "") and
 * its data[0..n), under the lookup key in a domain of its own (a code never
 * holds the NUL that starts it).  PostgreSQL keeps it in record_keys.digest,
 * so an import knows an unchanged record without reading its data. */
void xy__pii_record_digest(const xy__pii_key *k, const char *decided_on, const void *data,
			   size_t n, unsigned char out[XY__PII_HASH_BYTES]);

/* The keyed BLAKE2b-256 of data[0..n) under k->report. */
void xy__pii_report_mac(const xy__pii_key *k, const void *data, size_t n, unsigned char out[32]);

/* A key rotation (xinyong rekey), run by the backend inside its write
 * transaction, after checking the database still holds p->cur's key id:
 * rotate_start writes a new key (derived into p->next, has_next set), keeps
 * the current key file as `<path>.old` (unless cur came from there) and puts
 * the new one at path; *swapped says the files were swapped.  rotate_end
 * after the commit (committed true: next becomes cur, .old removed) or a
 * failure (the old key put back when swapped); it returns rc, or the error
 * of its own file step.  p->path must be set. */
xy_code xy__pii_rotate_start(xy__pii *p, bool *swapped, xy_error *err);
xy_code xy__pii_rotate_end(xy__pii *p, bool committed, bool swapped, xy_code rc, xy_error *err);

/* Whether a subject's code of this type identifies a natural person (and is
 * kept encrypted): everything but USCC, 工商注册号, 组织机构代码 and a mask. */
bool xy__pii_code_type(const char *code_type);

#endif
