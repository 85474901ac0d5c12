/* xinyong: online 信用修复 / 异议 applications (applications.h). */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>
#include <sodium.h>

#include "xinyong/applications.h"
#include "xinyong/auth.h"
#include "xinyong/codes.h"
#include "xinyong/date.h"
#include "xinyong/text.h"
#include "internal.h"

#define NOMEM() xy_error_set(err, XY_ERR_NOMEM, "out of memory")

#define SECRET_BYTES 15 /* 120 bits, 24 base32 characters */
#define SECRET_LEN 24

/* ---- validation ---- */

/* A required text of at most max characters of UTF-8. */
static xy_code need_text(const char *v, const char *field, const char *zh, size_t max,
			 xy_error *err)
{
	size_t n;
	if (!v || !*v)
		return xy_error_at(err, XY_ERR_ARG, NULL, 0, field, "请填写%s (no %s given)", zh,
				   field);
	if ((n = xy_utf8_len(v, strlen(v))) == (size_t)-1)
		return xy_error_at(err, XY_ERR_INVALID, NULL, 0, field, "%s不是有效的 UTF-8 文本",
				   zh);
	if (n > max)
		return xy_error_at(err, XY_ERR_INVALID, NULL, 0, field,
				   "%s超过 %zu 个字符 (%s is longer than %zu characters)", zh, max,
				   field, max);
	return XY_OK;
}

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* A phone number (7 to 20 digits, a leading +, spaces and dashes between
 * them) or an e-mail address (local@domain.tld, no blanks). */
static bool contact_ok(const char *c)
{
	const char *at = strchr(c, '@');
	size_t digits = 0;
	if (!at) {
		for (const char *p = c; *p; p++) {
			if (is_digit(*p))
				digits++;
			else if (!(*p == '+' && p == c) && *p != ' ' && *p != '-')
				return false;
		}
		return digits >= 7 && digits <= 20;
	}
	if (at == c || strchr(at + 1, '@') || !strchr(at + 1, '.') || at[1] == '.' ||
	    c[strlen(c) - 1] == '.')
		return false;
	for (const char *p = c; *p; p++)
		if ((unsigned char)*p <= 0x20 || *p == 0x7f || strchr("<>()[]\\,;:\"", *p))
			return false;
	return true;
}

/* The type of a file from its first bytes, NULL when none we take. */
static const char *magic_type(const unsigned char *b, size_t n)
{
	if (n >= 5 && !memcmp(b, "%PDF-", 5))
		return "application/pdf";
	if (n >= 3 && b[0] == 0xFF && b[1] == 0xD8 && b[2] == 0xFF)
		return "image/jpeg";
	if (n >= 8 && !memcmp(b, "\x89PNG\r\n\x1a\n", 8))
		return "image/png";
	return NULL;
}

/* An attachment's name: 1..XY_APP_MAX_FILENAME bytes of UTF-8, no control
 * characters or path separators, not "." or "..". */
static bool file_name_ok(const char *name)
{
	size_t n = name ? strlen(name) : 0;
	if (!n || n > XY_APP_MAX_FILENAME || !strcmp(name, ".") || !strcmp(name, "..") ||
	    xy_utf8_len(name, n) == (size_t)-1)
		return false;
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)name[i] < 0x20 || name[i] == 0x7f || name[i] == '/' ||
		    name[i] == '\\')
			return false;
	return true;
}

typedef struct file_facts {
	const char *type;
	uint64_t size;
} file_facts;

/* Check every attachment (name, kind from its bytes, sizes) before
 * anything is written. */
static xy_code check_files(const xy_application_in *in, file_facts *facts, xy_error *err)
{
	uint64_t total = 0;
	if (in->nfiles > XY_APP_MAX_FILES)
		return xy_error_at(err, XY_ERR_LIMIT, NULL, 0, "files",
				   "附件至多 %d 个，收到 %zu 个 (at most %d attachments)",
				   XY_APP_MAX_FILES, in->nfiles, XY_APP_MAX_FILES);
	for (size_t i = 0; i < in->nfiles; i++) {
		const xy_app_file *f = &in->files[i];
		unsigned char head[8];
		struct stat stt;
		ssize_t got;
		int fd;
		if (!file_name_ok(f->name))
			return xy_error_at(err, XY_ERR_INVALID, NULL, 0, "files",
					   "附件 %zu 的文件名无效（为空、超过 %d 字节、含控制字符或路径分隔符）",
					   i + 1, XY_APP_MAX_FILENAME);
		if ((fd = open(f->path, O_RDONLY | O_CLOEXEC)) < 0)
			return xy_error_at(err, XY_ERR_IO, f->path, 0, "files", "cannot open %s: %s",
					   f->name, strerror(errno));
		if (fstat(fd, &stt) || !S_ISREG(stt.st_mode)) {
			close(fd);
			return xy_error_at(err, XY_ERR_IO, f->path, 0, "files",
					   "%s is not a regular file", f->name);
		}
		got = read(fd, head, sizeof head);
		close(fd);
		facts[i].size = (uint64_t)stt.st_size;
		facts[i].type = got > 0 ? magic_type(head, (size_t)got) : NULL;
		if ((uint64_t)stt.st_size > XY_APP_MAX_FILE)
			return xy_error_at(err, XY_ERR_LIMIT, NULL, 0, "files",
					   "附件“%s”超过 %u MiB（%llu 字节）", f->name,
					   XY_APP_MAX_FILE >> 20, (unsigned long long)stt.st_size);
		if (!facts[i].type)
			return xy_error_at(err, XY_ERR_FORMAT, NULL, 0, "files",
					   "附件“%s”不是 PDF、JPEG 或 PNG 文件（按文件内容识别%s）",
					   f->name, got > 0 ? "" : "：文件为空");
		total += facts[i].size;
		if (total > XY_APP_MAX_TOTAL)
			return xy_error_at(err, XY_ERR_LIMIT, NULL, 0, "files",
					   "附件合计超过 %u MiB（至“%s”为止 %llu 字节）",
					   XY_APP_MAX_TOTAL >> 20, f->name, (unsigned long long)total);
	}
	return XY_OK;
}

/* The subject must be given by its full code and be the record's; a record
 * that does not exist and a code that is not its subject's get the same
 * answer, so the form tells nothing about records or subjects. */
static xy_code check_subject(xy_repairs *r, const xy_application_in *in, xy_error *err)
{
	XY_AUTO(xy_record_row, rec);
	xy_id_result id;
	xy_code rc;
	if (!in->subject || !*in->subject)
		return xy_error_at(err, XY_ERR_ARG, NULL, 0, "subject",
				   "请填写主体的统一社会信用代码或身份证号 (no subject given)");
	xy_id_check(in->subject, XY_ID_UNKNOWN, &id);
	if (id.masked)
		return xy_error_at(err, XY_ERR_INVALID, NULL, 0, "subject",
				   "须填写完整的身份证号，不能是公示的掩码");
	if (!id.valid)
		return xy_error_at(err, XY_ERR_INVALID, NULL, 0, "subject",
				   "须填写完整、有效的统一社会信用代码或身份证号：%s", id.reason_zh);
	if (in->record <= 0)
		return xy_error_at(err, XY_ERR_ARG, NULL, 0, "record", "请填写信用信息编号 (record)");
	rc = xy_store_record_get(r->credit->store, in->record, &rec, NULL, err);
	if (rc && rc != XY_ERR_NOTFOUND)
		return rc;
	if (rc || !rec.subject_id || strcmp(rec.subject_code, id.normalized))
		return xy_error_at(err, XY_ERR_INVALID, NULL, 0, "subject",
				   "信用信息编号 %lld 与所填主体代码不符（或没有这条信息）",
				   (long long)in->record);
	return XY_OK;
}

static xy_code check_in(xy_repairs *r, const xy_application_in *in, file_facts *facts,
			xy_error *err)
{
	bool repair;
	xy_code rc;
	if (!in->kind || (strcmp(in->kind, "repair") && strcmp(in->kind, "objection")))
		return xy_error_at(err, XY_ERR_ARG, NULL, 0, "kind",
				   "kind 须为 repair（信用修复）或 objection（异议）");
	repair = !strcmp(in->kind, "repair");
	if ((rc = need_text(in->applicant, "applicant", "申请人姓名", XY_APP_MAX_NAME, err)) ||
	    (rc = need_text(in->contact, "contact", "联系方式", XY_APP_MAX_CONTACT, err)) ||
	    (rc = need_text(in->reason, "reason", "申请理由", XY_APP_MAX_TEXT, err)))
		return rc;
	if (strlen(in->contact) > XY_APP_MAX_CONTACT || !contact_ok(in->contact))
		return xy_error_at(err, XY_ERR_INVALID, NULL, 0, "contact",
				   "联系方式须为手机/电话号码或电子邮箱（至多 %d 字节）",
				   XY_APP_MAX_CONTACT);
	if (repair) {
		if ((rc = need_text(in->commitment, "commitment", "信用修复承诺", XY_APP_MAX_TEXT,
				    err)))
			return rc;
		if (in->nevidence > XY_APP_MAX_EVIDENCE)
			return xy_error_at(err, XY_ERR_INVALID, NULL, 0, "evidence",
					   "证明材料至多 %d 项", XY_APP_MAX_EVIDENCE);
		for (size_t i = 0; i < in->nevidence; i++)
			if ((rc = need_text(in->evidence[i], "evidence", "证明材料", XY_APP_MAX_ITEM,
					    err)))
				return rc;
		if (!in->nevidence && !in->nfiles)
			return xy_error_at(err, XY_ERR_ARG, NULL, 0, "evidence",
					   "请列出证明材料或上传附件 (no evidence given)");
	} else if ((in->commitment && *in->commitment) || in->nevidence) {
		return xy_error_at(err, XY_ERR_INVALID, NULL, 0,
				   in->nevidence ? "evidence" : "commitment",
				   "异议申请不填写信用修复承诺和证明材料（附件可上传）");
	}
	if ((rc = check_files(in, facts, err)))
		return rc;
	return check_subject(r, in, err);
}

/* ---- secrets ---- */

static void base32(const unsigned char *in, size_t n, char *out, size_t chars)
{
	static const char abc[] = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"; /* no I O 0 1 */
	unsigned acc = 0, bits = 0;
	size_t k = 0;
	for (size_t i = 0; i < n && k < chars; i++) {
		acc = (acc << 8) | in[i];
		bits += 8;
		while (bits >= 5 && k < chars) {
			out[k++] = abc[(acc >> (bits - 5)) & 31];
			bits -= 5;
		}
	}
	out[k] = '\0';
}

/* The stored form of a secret: BLAKE2b-256 of the receipt and the secret,
 * in hex.  The secret has 120 random bits, so no key or slow hash is needed;
 * no key also means a rekey leaves it valid. */
static void secret_hash(const char *receipt, const char *secret, char hex[65])
{
	unsigned char h[32];
	crypto_generichash_state st;
	crypto_generichash_init(&st, NULL, 0, sizeof h);
	crypto_generichash_update(&st, (const unsigned char *)"xinyong application\n", 20);
	crypto_generichash_update(&st, (const unsigned char *)receipt, strlen(receipt) + 1);
	crypto_generichash_update(&st, (const unsigned char *)secret, strlen(secret));
	crypto_generichash_final(&st, h, sizeof h);
	sodium_bin2hex(hex, 65, h, sizeof h);
}

/* ---- attachments ---- */

/* Copy the file at src into dir as dir/SHA256 (kept when it exists: the
 * same bytes), fsynced with its directory entry.  hex gets the digest. */
static xy_code store_file(const char *dir, const xy_app_file *f, char hex[65], xy_error *err)
{
	xy_buf tmp = XY_BUF_INIT, dst = XY_BUF_INIT;
	crypto_hash_sha256_state sh;
	unsigned char d[crypto_hash_sha256_BYTES];
	char chunk[65536];
	int in = -1, out = -1, dfd = -1;
	ssize_t n = 0;
	xy_code rc = XY_OK;
	if (mkdir(dir, 0700) && errno != EEXIST)
		return xy_error_at(err, XY_ERR_IO, dir, 0, NULL, "cannot create %s: %s", dir,
				   strerror(errno));
	if (xy_buf_addf(&tmp, "%s/.inXXXXXX", dir))
		return NOMEM();
	if ((in = open(f->path, O_RDONLY | O_CLOEXEC)) < 0 || (out = mkstemp(tmp.data)) < 0) {
		rc = xy_error_at(err, XY_ERR_IO, in < 0 ? f->path : dir, 0, NULL,
				 "cannot %s: %s", in < 0 ? "read an attachment" : "write in", strerror(errno));
		goto out;
	}
	crypto_hash_sha256_init(&sh);
	while ((n = read(in, chunk, sizeof chunk)) > 0) {
		crypto_hash_sha256_update(&sh, (const unsigned char *)chunk, (size_t)n);
		for (ssize_t w, off = 0; off < n; off += w)
			if ((w = write(out, chunk + off, (size_t)(n - off))) <= 0) {
				n = -1;
				break;
			}
		if (n < 0)
			break;
	}
	if (n < 0 || fsync(out) || close(out)) {
		out = -1;
		rc = xy_error_at(err, XY_ERR_IO, tmp.data, 0, NULL, "cannot store attachment %s: %s",
				 f->name, strerror(errno));
		goto out;
	}
	out = -1;
	crypto_hash_sha256_final(&sh, d);
	sodium_bin2hex(hex, 65, d, sizeof d);
	if (xy_buf_addf(&dst, "%s/%s", dir, hex)) {
		rc = NOMEM();
		goto out;
	}
	if (access(dst.data, F_OK) == 0) { /* the same bytes are there */
		unlink(tmp.data);
	} else if (rename(tmp.data, dst.data)) {
		rc = xy_error_at(err, XY_ERR_IO, dst.data, 0, NULL, "cannot store attachment %s: %s",
				 f->name, strerror(errno));
		goto out;
	}
	if ((dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0 || fsync(dfd))
		rc = xy_error_at(err, XY_ERR_IO, dir, 0, NULL, "cannot sync %s: %s", dir,
				 strerror(errno));
out:
	if (in >= 0)
		close(in);
	if (out >= 0) {
		close(out);
		unlink(tmp.data);
	}
	if (dfd >= 0)
		close(dfd);
	if (rc && tmp.data && access(tmp.data, F_OK) == 0)
		unlink(tmp.data);
	xy_buf_release(&tmp);
	xy_buf_release(&dst);
	return rc;
}

/* ---- submit ---- */

/* The case just filed, as the staff see it. */
static xy_code case_of(xy_repairs *r, int64_t id, const char *date, json_t **out,
		       xy_error *err)
{
	xy_buf b = XY_BUF_INIT;
	json_error_t jerr;
	xy_code rc = xy_case_json(r, id, date, &b, err);
	*out = NULL;
	if (!rc && !(*out = json_loads(b.data, 0, &jerr)))
		rc = xy_error_set(err, XY_ERR_STORE, "case %lld: unreadable JSON", (long long)id);
	xy_buf_release(&b);
	return rc;
}

static xy_code file_case(xy_repairs *r, const xy_application_in *in, const char *d,
			 int64_t *case_id, xy_error *err)
{
	if (!strcmp(in->kind, "repair")) {
		const char **ev = calloc(in->nevidence + in->nfiles + 1, sizeof *ev);
		char **own = calloc(in->nfiles + 1, sizeof *own);
		size_t n = 0;
		xy_code rc = XY_OK;
		if (!ev || !own) {
			free(ev);
			free(own);
			return NOMEM();
		}
		for (size_t i = 0; i < in->nevidence; i++)
			ev[n++] = in->evidence[i];
		/* no item listed: the attachments are the evidence */
		for (size_t i = 0; !in->nevidence && i < in->nfiles && !rc; i++) {
			xy_buf b = XY_BUF_INIT;
			if (xy_buf_addf(&b, "附件 %zu：%s", i + 1, in->files[i].name))
				rc = NOMEM();
			ev[n++] = own[i] = xy_buf_detach(&b, NULL);
		}
		xy_repair_in ri = { in->subject, in->record, in->reason, ev, n, in->commitment,
				    in->applicant, 0, d };
		if (!rc)
			rc = xy_repair_apply(r, &ri, case_id, err);
		for (size_t i = 0; i < in->nfiles; i++)
			free(own[i]);
		free(own);
		free(ev);
		return rc;
	}
	xy_objection_in oi = { in->record, in->subject, in->applicant, in->reason, d };
	return xy_objection_add(r, &oi, case_id, err);
}

static xy_code submit_tx(xy_repairs *r, const xy_application_in *in, const xy_application_opts *o,
			 const file_facts *facts, const char *d, const char *secret,
			 char receipt[48], int64_t *case_id, xy_error *err)
{
	xy_store *s = r->credit->store;
	xy_application_row a = { 0 };
	xy_buf obj = XY_BUF_INIT, detail = XY_BUF_INIT;
	char hash[65], at[32];
	int64_t seq = 0;
	xy_code rc;
	if ((rc = file_case(r, in, d, case_id, err)) ||
	    (rc = xy_store_application_last_seq(s, d, &seq, err)))
		return rc;
	if (seq >= 999999)
		return xy_error_set(err, XY_ERR_LIMIT, "999999 applications were filed on %s already",
				    d);
	snprintf(receipt, 48, "%s%.4s%.2s%.2s%06lld", !strcmp(in->kind, "repair") ? "XF" : "YY", d,
		 d + 5, d + 8, (long long)seq + 1);
	secret_hash(receipt, secret, hash);
	xy_time_iso(in->now ? in->now : (int64_t)time(NULL), at);
	a = (xy_application_row){ .receipt = receipt, .day = d, .seq = seq + 1, .kind = in->kind,
				  .case_id = *case_id, .secret = hash, .contact = in->contact,
				  .filed_at = at };
	if ((rc = xy_store_application_insert(s, &a, err)))
		return rc;
	for (size_t i = 0; i < in->nfiles && !rc; i++) {
		char hex[65];
		if (!(rc = store_file(o->attachments_dir, &in->files[i], hex, err))) {
			xy_attachment_row t = { .application_id = a.id, .n = (int64_t)i + 1,
						.name = in->files[i].name, .type = facts[i].type,
						.size = (int64_t)facts[i].size, .sha256 = hex };
			rc = xy_store_attachment_insert(s, &t, err);
		}
	}
	if (rc)
		return rc;
	if (xy_buf_addf(&obj, "application:%s", receipt) ||
	    xy_buf_addf(&detail, "%s case=%lld record=%lld attachments=%zu", in->kind,
			(long long)*case_id, (long long)in->record, in->nfiles)) {
		rc = NOMEM();
	} else {
		xy_audit_entry e = { .who = o->who && *o->who ? o->who : "public",
				     .action = "application.submit", .object = obj.data,
				     .detail = detail.data, .after = detail.data,
				     .after_len = detail.len };
		rc = xy_audit_append(s, &e, NULL, err);
	}
	xy_buf_release(&obj);
	xy_buf_release(&detail);
	return rc;
}

xy_code xy_application_submit(xy_repairs *r, const xy_application_in *in,
			      const xy_application_opts *o, json_t **out, xy_error *err)
{
	xy_store *s = r->credit->store;
	file_facts facts[XY_APP_MAX_FILES];
	unsigned char raw[SECRET_BYTES];
	char secret[SECRET_LEN + 1], receipt[48], d[11];
	const char *who_before = r->credit->who;
	json_t *c = NULL;
	int64_t case_id = 0;
	xy_code rc;
	*out = NULL;
	if (!o || !o->attachments_dir || !*o->attachments_dir)
		return xy_error_set(err, XY_ERR_ARG, "no attachments directory");
	if ((rc = xy__credit_date(in->date && *in->date ? in->date : NULL, d, "date", err)) ||
	    (rc = check_in(r, in, facts, err)))
		return rc;
	randombytes_buf(raw, sizeof raw);
	base32(raw, sizeof raw, secret, SECRET_LEN);
	sodium_memzero(raw, sizeof raw);
	/* the case's own audit entry names the same principal */
	r->credit->who = o->who && *o->who ? o->who : "public";
	if ((rc = xy_store_begin(s, false, err)))
		goto out;
	rc = submit_tx(r, in, o, facts, d, secret, receipt, &case_id, err);
	if (!rc)
		rc = xy_store_commit(s, err);
	if (rc) {
		xy_store_rollback(s, NULL);
		goto out;
	}
	if ((rc = case_of(r, case_id, d, &c, err)))
		goto out;
	*out = json_pack("{s:s,s:s,s:s,s:s,s:O}", "receipt", receipt, "secret", secret, "kind",
			 in->kind, "filed_on", d, "due", json_object_get(c, "due"));
	if (!*out)
		rc = NOMEM();
out:
	r->credit->who = who_before;
	sodium_memzero(secret, sizeof secret);
	json_decref(c);
	return rc;
}

/* ---- status ---- */

static const char *status_zh(const char *kind, const char *step)
{
	static const char *const map[][3] = {
		{ "repair", "申请", "已提交，等待信用办受理" },
		{ "repair", "受理", "已受理，等待认定单位审核" },
		{ "repair", "审核", "认定单位审核中" },
		{ "repair", "通过", "信用修复已通过，该信息不再公示" },
		{ "repair", "不通过", "信用修复未通过" },
		{ "objection", "受理", "异议已受理，认定单位核查中（该信息暂停公示）" },
		{ "objection", "更正", "异议成立，信息已更正" },
		{ "objection", "维持", "异议不成立，维持原信息" },
		{ "objection", "撤销", "异议成立，信息已撤销公示" },
	};
	for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
		if (!strcmp(map[i][0], kind) && !strcmp(map[i][1], step))
			return map[i][2];
	return step;
}

static xy_code unknown(xy_error *err)
{
	return xy_error_at(err, XY_ERR_NOTFOUND, NULL, 0, "receipt",
			   "没有这个受理编号，或查询密码不正确");
}

xy_code xy_application_status(xy_repairs *r, const char *receipt, const char *secret,
			      const char *date, json_t **out, xy_error *err)
{
	XY_AUTO(xy_application_row, a);
	json_t *c = NULL, *hist, *h, *e;
	char hash[65], d[11];
	size_t i;
	xy_code rc;
	*out = NULL;
	if ((rc = xy__credit_date(date && *date ? date : NULL, d, "date", err)))
		return rc;
	if (!receipt || !secret || strlen(receipt) > 20 || strlen(secret) > 64)
		return unknown(err);
	rc = xy_store_application_get(r->credit->store, receipt, 0, &a, err);
	if (rc == XY_ERR_NOTFOUND)
		return unknown(err);
	if (rc)
		return rc;
	secret_hash(receipt, secret, hash);
	if (sodium_memcmp(hash, a.secret, 64) != 0)
		return unknown(err);
	if ((rc = case_of(r, a.case_id, d, &c, err)))
		return rc;
	if (!(hist = json_array())) {
		json_decref(c);
		return NOMEM();
	}
	/* steps and dates only: never who acted or what they wrote */
	json_array_foreach(json_object_get(c, "history"), i, e)
		json_array_append_new(hist, json_pack("{s:O,s:O}", "on", json_object_get(e, "on"),
						      "action", json_object_get(e, "action")));
	h = json_object_get(c, "step");
	*out = json_pack("{s:s,s:s,s:s,s:O,s:s,s:O,s:O,s:O,s:{s:O,s:O,s:O},s:o,s:I}", "receipt",
			 a.receipt, "kind", a.kind, "filed_on", a.day, "step", h, "status_zh",
			 status_zh(a.kind, json_string_value(h) ? json_string_value(h) : ""), "open",
			 json_object_get(c, "open"), "due", json_object_get(c, "due"), "overdue",
			 json_object_get(c, "overdue"), "record", "id", json_object_get(c, "record"),
			 "category", json_object_get(c, "category"), "key",
			 json_object_get(c, "record_key"), "history", hist, "attachments",
			 (json_int_t)a.nattachments);
	json_decref(c);
	return *out ? XY_OK : NOMEM();
}

/* ---- the staff view ---- */

static int on_attachment(void *ctx, const xy_attachment_row *t)
{
	return json_array_append_new(ctx, json_pack("{s:I,s:s,s:s,s:I,s:s}", "n", (json_int_t)t->n,
						    "name", t->name, "type", t->type, "size",
						    (json_int_t)t->size, "sha256", t->sha256)) != 0;
}

xy_code xy_application_of_case(xy_store *s, int64_t case_id, json_t **out, xy_error *err)
{
	XY_AUTO(xy_application_row, a);
	json_t *arr;
	xy_code rc = xy_store_application_get(s, NULL, case_id, &a, err);
	*out = NULL;
	if (rc == XY_ERR_NOTFOUND) {
		xy_error_clear(err);
		return XY_OK;
	}
	if (rc)
		return rc;
	if (!(arr = json_array()))
		return NOMEM();
	if ((rc = xy_store_attachments(s, a.id, on_attachment, arr, err))) {
		json_decref(arr);
		return rc;
	}
	*out = json_pack("{s:s,s:s,s:o}", "receipt", a.receipt, "contact", a.contact,
			 "attachments", arr);
	return *out ? XY_OK : NOMEM();
}

typedef struct find_att {
	int64_t n;
	xy_attachment_row *out;
	bool found, nomem;
} find_att;

static int on_find(void *ctx, const xy_attachment_row *t)
{
	find_att *f = ctx;
	if (t->n != f->n)
		return 0;
	f->found = true;
	f->nomem = xy_attachment_row_copy(f->out, t) != XY_OK;
	return 1;
}

xy_code xy_application_attachment(xy_store *s, const char *dir, int64_t case_id, int64_t n,
				  xy_attachment_row *out, xy_buf *path, xy_error *err)
{
	XY_AUTO(xy_application_row, a);
	find_att f = { n, out, false, false };
	xy_code rc = xy_store_application_get(s, NULL, case_id, &a, err);
	if (!rc)
		rc = xy_store_attachments(s, a.id, on_find, &f, err);
	if (rc)
		return rc;
	if (f.nomem)
		return NOMEM();
	if (!f.found)
		return xy_error_at(err, XY_ERR_NOTFOUND, NULL, 0, "n",
				   "case %lld has no attachment %lld", (long long)case_id,
				   (long long)n);
	if (xy_buf_addf(path, "%s/%s", dir, out->sha256))
		return NOMEM();
	return XY_OK;
}

xy_code xy_application_dir(const char *db, xy_buf *out, xy_error *err)
{
	char *copy = strdup(db && *db ? db : ".");
	xy_code rc = XY_OK;
	if (!copy)
		return NOMEM();
	if (xy_buf_addf(out, "%s/attachments", dirname(copy)))
		rc = NOMEM();
	free(copy);
	return rc;
}
