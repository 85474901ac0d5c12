/* xinyong: the store's backend-independent half — choose a backend from the
 * URI, seed a new database with the registry, check arguments, dispatch. */
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "xinyong/codes.h"
#include "xinyong/registry.h"
#include "xinyong/sanctions.h"
#include "xinyong/store.h"
#include "xinyong/text.h"
#include "backend.h"
#include "pii.h"

const char *xy_subject_kind_name(xy_subject_kind k)
{
	switch (k) {
	case XY_SUBJ_LEGAL: return "legal";
	case XY_SUBJ_PERSON: return "person";
	case XY_SUBJ_INDIVIDUAL: return "individual";
	}
	return "unknown";
}

const char *xy_subject_kind_name_zh(xy_subject_kind k)
{
	switch (k) {
	case XY_SUBJ_LEGAL: return "法人及非法人组织";
	case XY_SUBJ_PERSON: return "自然人";
	case XY_SUBJ_INDIVIDUAL: return "个体工商户";
	}
	return "未知";
}

int xy__subject_kind_parse(const char *s, xy_subject_kind *k)
{
	static const xy_subject_kind all[] = { XY_SUBJ_LEGAL, XY_SUBJ_PERSON,
					       XY_SUBJ_INDIVIDUAL };
	size_t i;
	for (i = 0; s && i < sizeof all / sizeof all[0]; i++) {
		if (!strcmp(s, xy_subject_kind_name(all[i]))) {
			*k = all[i];
			return 0;
		}
	}
	return -1;
}

static bool has_prefix(const char *s, const char *p)
{
	return !strncmp(s, p, strlen(p));
}

static xy_code seed(xy_store *s, const char *config_dir, xy_error *err)
{
	xy_registry reg;
	bool empty = false;
	xy_code rc = s->ops->registry_empty(s, &empty, err);
	if (rc || !empty)
		return rc;
	xy_registry_init(&reg);
	rc = xy_registry_load_dir(&reg, config_dir ? config_dir : xy_registry_default_dir(),
				  err);
	if (!rc)
		rc = s->ops->save_registry(s, &reg, err);
	xy_registry_release(&reg);
	return rc;
}

xy_code xy_store_open(xy_store **out, const char *uri, const char *config_dir,
		      xy_error *err)
{
	const char *path = uri;
	xy_store *s = NULL;
	xy_code rc;
	if (!out)
		return xy_error_set(err, XY_ERR_ARG, "xy_store_open: no output handle");
	*out = NULL;
	if (!uri || !*uri)
		return xy_error_set(err, XY_ERR_ARG, "no database given");
	if (has_prefix(uri, "postgresql://") || has_prefix(uri, "postgres://")) {
		if ((rc = xy__pg_open(&s, uri, err)))
			return rc;
		goto opened;
	}
	/* "sqlite:///abs/path" and "sqlite:path" both name a file */
	if (has_prefix(uri, "sqlite://"))
		path = uri + 9;
	else if (has_prefix(uri, "sqlite:"))
		path = uri + 7;
	if (!*path)
		return xy_error_set(err, XY_ERR_ARG, "no database file in '%s'", uri);
	rc = xy__sqlite_open(&s, path, err);
	if (rc)
		return rc;
opened:
	rc = seed(s, config_dir, err);
	if (rc) {
		s->ops->close(s);
		return rc;
	}
	*out = s;
	return XY_OK;
}

xy_code xy_store_beside(const char *uri, const char *name, xy_buf *out, xy_error *err)
{
	const char *db = uri && *uri ? uri : ".", *slash;
	int rc;
	xy_buf_reset(out);
	if (has_prefix(db, "postgresql://") || has_prefix(db, "postgres://")) {
		rc = xy_buf_addf(out, "./%s", name);
	} else {
		if (has_prefix(db, "sqlite://"))
			db += 9;
		else if (has_prefix(db, "sqlite:"))
			db += 7;
		slash = strrchr(db, '/');
		if (!slash) /* "x.db" is beside "./" */
			rc = xy_buf_addf(out, "./%s", name);
		else /* "/x.db" is beside "/", not beside "" */
			rc = xy_buf_addf(out, "%.*s/%s", (int)(slash == db ? 1 : slash - db), db,
					 name);
	}
	return rc ? xy_error_set(err, XY_ERR_NOMEM, "out of memory") : XY_OK;
}

xy_code xy_store_key_path(const char *uri, xy_buf *out, xy_error *err)
{
	const char *path = uri ? uri : "";
	bool has = false, server = has_prefix(path, "postgresql://") || has_prefix(path, "postgres://");
	xy_code rc;
	if (has_prefix(path, "sqlite://"))
		path += 9;
	else if (has_prefix(path, "sqlite:"))
		path += 7;
	if ((rc = xy__pii_key_path(server ? "" : path, out, &has, err)))
		return rc;
	if (!has)
		return xy_error_set(err, XY_ERR_NOTFOUND,
				    "no key file for %s: give --key-file or set XINYONG_KEY_FILE", uri);
	return XY_OK;
}

void xy_store_close(xy_store *s)
{
	if (s)
		s->ops->close(s);
}

void xy_store_interrupt(xy_store *s)
{
	if (s && s->ops->interrupt)
		s->ops->interrupt(s);
}

xy_code xy_store_rekey(xy_store *s, xy_rekey_fn progress, void *ctx, xy_error *err)
{
	if (!s)
		return xy_error_set(err, XY_ERR_ARG, "no store");
	return s->ops->rekey(s, progress, ctx, err);
}

const char *xy_store_backend(const xy_store *s)
{
	return s ? s->ops->name : "";
}

int xy_store_schema_version(xy_store *s)
{
	return s ? s->ops->schema_version(s) : 0;
}

#define NEED(cond, what) \
	do { \
		if (!(cond)) \
			return xy_error_set(err, XY_ERR_ARG, "%s: %s", __func__, what); \
	} while (0)

/* xy_store_set_wait's settings, for every backend */
static unsigned wait_ms = 5000;
static xy_wait_fn wait_notify;
static void *wait_ctx;

void xy_store_set_wait(unsigned seconds, xy_wait_fn notify, void *ctx)
{
	wait_ms = seconds > 86400 ? 86400u * 1000 : seconds * 1000;
	wait_notify = notify;
	wait_ctx = ctx;
}

unsigned xy__store_wait_ms(void)
{
	return wait_ms;
}

void xy__store_wait_notice(void)
{
	if (wait_notify && wait_ms >= 1000) {
		char msg[160];
		snprintf(msg, sizeof msg, "the database is busy (another import holds it); "
			 "waiting up to %u s (数据库正被其他导入占用，等待中)", wait_ms / 1000);
		wait_notify(wait_ctx, msg);
	}
}

xy_code xy_store_table_rows(xy_store *s, xy_table_rows_cb cb, void *ctx, xy_error *err)
{
	NEED(s && cb, "missing argument");
	return s->ops->table_rows(s, cb, ctx, err);
}

xy_code xy_store_check(xy_store *s, xy_buf *problems, xy_error *err)
{
	NEED(s && problems, "missing argument");
	return s->ops->check(s, problems, err);
}

xy_code xy_store_partitions(xy_store *s, int ahead, xy_partition_cb cb, void *ctx,
			    xy_error *err)
{
	NEED(s, "missing argument");
	if (ahead > XY_PARTITIONS_AHEAD_MAX)
		return xy_error_set(err, XY_ERR_ARG,
				    "partitions are made at most %d months ahead, not %d",
				    XY_PARTITIONS_AHEAD_MAX, ahead);
	return s->ops->partitions ? s->ops->partitions(s, ahead, cb, ctx, err) : XY_OK;
}

xy_code xy_store_begin(xy_store *s, bool bulk, xy_error *err)
{
	NEED(s, "no store");
	return s->ops->begin(s, bulk, err);
}

xy_code xy_store_read_begin(xy_store *s, xy_error *err)
{
	NEED(s, "no store");
	return s->ops->read_begin(s, err);
}

void xy_store_read_end(xy_store *s)
{
	if (s)
		s->ops->read_end(s);
}

bool xy_store_in_transaction(xy_store *s)
{
	return s && s->ops->in_transaction(s);
}

xy_code xy_store_checkpoint(xy_store *s, bool manual, xy_error *err)
{
	NEED(s, "no store");
	return s->ops->checkpoint(s, manual, err);
}

xy_code xy_store_data_version(xy_store *s, uint64_t *version, xy_error *err)
{
	NEED(s && version, "no store or no version");
	return s->ops->data_version(s, version, err);
}

xy_code xy_store_log_position(xy_store *s, uint64_t *pos, xy_error *err)
{
	NEED(s && pos, "no store or no position");
	if (!s->ops->log_position)
		return xy_error_set(err, XY_ERR_UNSUPPORTED, "%s keeps no log position",
				    s->ops->name);
	return s->ops->log_position(s, pos, err);
}

xy_code xy_store_commit(xy_store *s, xy_error *err)
{
	NEED(s, "no store");
	return s->ops->commit(s, err);
}

xy_code xy_store_rollback(xy_store *s, xy_error *err)
{
	if (!s)
		return XY_OK;
	return s->ops->rollback(s, err);
}

xy_code xy_store_save_registry(xy_store *s, xy_registry *reg, xy_error *err)
{
	NEED(s && reg, "no store or registry");
	return s->ops->save_registry(s, reg, err);
}

xy_code xy_store_unit_insert(xy_store *s, xy_unit *u, xy_error *err)
{
	if (!s || !u || !u->name || !*u->name)
		return xy_error_set(err, XY_ERR_ARG, "xy_store_unit_insert: missing argument");
	return s->ops->units->insert(s, u, err);
}

xy_code xy_store_unit_rename(xy_store *s, int64_t id, const char *name, const char *at,
			     xy_error *err)
{
	if (!s || id <= 0 || !name || !*name || !at)
		return xy_error_set(err, XY_ERR_ARG, "xy_store_unit_rename: missing argument");
	return s->ops->units->rename(s, id, name, at, err);
}

xy_code xy_store_load_registry(xy_store *s, xy_registry *reg, xy_error *err)
{
	NEED(s && reg, "no store or registry");
	return s->ops->load_registry(s, reg, err);
}

static xy_code set_str(char **dst, const char *v)
{
	char *p;
	size_t n;
	if (!v) {
		if (*dst)
			return XY_OK;
		v = "";
	}
	n = strlen(v) + 1;
	if (!(p = malloc(n)))
		return XY_ERR_NOMEM;
	memcpy(p, v, n);
	free(*dst);
	*dst = p;
	return XY_OK;
}

xy_code xy_subject_set(xy_subject *s, const char *code, const char *code_type,
		       const char *name)
{
	xy_code rc;
	if ((rc = set_str(&s->code, code)) || (rc = set_str(&s->code_type, code_type)) ||
	    (rc = set_str(&s->name, name)))
		return rc;
	return XY_OK;
}

void xy_subject_release(xy_subject *s)
{
	if (!s)
		return;
	free(s->code);
	free(s->code_type);
	free(s->name);
	memset(s, 0, sizeof *s);
}

void xy_subjects_free(xy_subject *v, size_t n)
{
	for (size_t i = 0; v && i < n; i++)
		xy_subject_release(&v[i]);
	free(v);
}

xy_code xy_subject_number(const xy_subject *s, xy_buf *out)
{
	const char *c = s->code ? s->code : "";
	xy_buf_reset(out);
	return xy_buf_add(out, c, strcspn(c, " "));
}

xy_code xy_store_subject_upsert(xy_store *s, xy_subject *subj, xy_error *err)
{
	NEED(s && subj, "no store or subject");
	NEED(subj->code && subj->code[0], "subject without code");
	NEED(subj->name && subj->code_type, "subject without name or code type");
	NEED(memchr(subj->division, '\0', sizeof subj->division),
	     "subject division not terminated");
	return s->ops->subject_upsert(s, subj, err);
}

xy_code xy_store_subject_find(xy_store *s, const char *q, size_t limit,
			      xy_subject **out, size_t *n, xy_error *err)
{
	size_t len;
	NEED(s && q && out && n, "missing argument");
	*out = NULL;
	*n = 0;
	len = strlen(q);
	q = xy_trim(q, &len);
	if (!len)
		return XY_OK;
	/* An identifier typed in lower case, full width or with hyphens. */
	{
		char norm[XY_ID_MAX], raw[XY_ID_MAX];
		size_t nl;
		if (len < sizeof raw) {
			memcpy(raw, q, len);
			raw[len] = '\0';
			nl = xy_id_normalize(raw, norm, sizeof norm);
			if ((nl == 9 || nl == 15 || nl == 18) && strspn(norm, "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ*") == nl &&
			    (nl != len || memcmp(norm, q, nl) != 0)) {
				xy_code rc = s->ops->subject_find(s, norm, nl, limit, out, n, err);
				if (rc || *n)
					return rc;
			}
		}
	}
	return s->ops->subject_find(s, q, len, limit, out, n, err);
}

xy_code xy_store_subject_search(xy_store *s, const char *q, int64_t after, size_t limit,
				bool no_persons, xy_subject **out, size_t *n, xy_error *err)
{
	size_t len, chars = 0;
	NEED(s && q && out && n && limit, "missing argument");
	*out = NULL;
	*n = 0;
	len = strlen(q);
	q = xy_trim(q, &len);
	for (size_t i = 0; i < len; i++)
		chars += ((unsigned char)q[i] & 0xc0) != 0x80;
	if (chars < 2)
		return xy_error_at(err, XY_ERR_INVALID, NULL, 0, "q",
				   "a name search needs at least 2 characters (名称至少输入 2 个字)");
	return s->ops->subject_search(s, q, len, after < 0 ? 0 : after, limit, no_persons, out, n,
				      err);
}

xy_code xy_store_subject_by_code(xy_store *s, const char *code, xy_subject *out,
				 xy_error *err)
{
	NEED(s && code && out, "missing argument");
	return s->ops->subject_by_code(s, code, out, err);
}

xy_code xy_store_batch_insert(xy_store *s, xy_batch *b, xy_error *err)
{
	NEED(s && b, "no store or batch");
	return s->ops->batch_insert(s, b, err);
}

xy_code xy_store_batch_update(xy_store *s, const xy_batch *b, xy_error *err)
{
	NEED(s && b, "no store or batch");
	return s->ops->batch_update(s, b, err);
}

xy_code xy_store_batches(xy_store *s, size_t limit, xy_batch **out, size_t *n,
			 xy_error *err)
{
	NEED(s && out && n, "missing argument");
	*out = NULL;
	*n = 0;
	return s->ops->batches(s, limit, out, n, err);
}

xy_code xy_store_batch_get(xy_store *s, int64_t id, xy_batch *out, xy_error *err)
{
	NEED(s && out, "missing argument");
	return s->ops->batch_get(s, id, out, err);
}

xy_code xy_store_batch_error_add(xy_store *s, const xy_batch_error *e, xy_error *err)
{
	NEED(s && e, "missing argument");
	return s->ops->batch_error_add(s, e, err);
}

xy_code xy_store_batch_errors(xy_store *s, int64_t batch_id, xy_batch_error_cb cb,
			      void *ctx, xy_error *err)
{
	NEED(s && cb, "missing argument");
	return s->ops->batch_errors(s, batch_id, cb, ctx, err);
}

xy_code xy_store_record_upsert(xy_store *s, const xy_record_in *r,
			       xy_upsert_result *res, xy_error *err)
{
	NEED(s && r && res, "missing argument");
	NEED(r->key && r->data, "record without key or data");
	return s->ops->record_upsert(s, r, res, err);
}

xy_code xy_store_records_load(xy_store *s, xy_record_load *rows, size_t n,
			      xy_upsert_result *res, xy_error *err)
{
	NEED(s && (rows || !n) && (res || !n), "missing argument");
	for (size_t i = 0; i < n; i++) {
		const xy_subject *j = rows[i].subj;
		NEED(rows[i].rec.key && rows[i].rec.data, "record without key or data");
		NEED(!j || (j->code && j->code[0] && j->name && j->code_type &&
			    memchr(j->division, '\0', sizeof j->division)),
		     "subject without code, name or code type");
		NEED(rows[i].rec.unit_id == rows[0].rec.unit_id &&
		     rows[i].rec.category_id == rows[0].rec.category_id &&
		     rows[i].rec.batch_id == rows[0].rec.batch_id, "rows of several batches");
	}
	if (s->ops->records_load)
		return s->ops->records_load(s, rows, n, res, err);
	for (size_t i = 0; i < n; i++) {
		xy_record_in rec = rows[i].rec;
		xy_code rc;
		rec.subject_id = 0;
		if (rows[i].subj) {
			if ((rc = s->ops->subject_upsert(s, rows[i].subj, err)))
				return rc;
			rec.subject_id = rows[i].subj->id;
		}
		if ((rc = s->ops->record_upsert(s, &rec, &res[i], err)))
			return rc;
	}
	return XY_OK;
}

xy_code xy_store_subject_records(xy_store *s, int64_t subject_id, xy_record_cb cb,
				 void *ctx, xy_error *err)
{
	NEED(s && cb, "missing argument");
	return s->ops->subject_records(s, subject_id, cb, ctx, err);
}

xy_code xy_store_record_count(xy_store *s, int64_t batch_id, long *n, xy_error *err)
{
	NEED(s && n, "missing argument");
	*n = 0;
	return s->ops->record_count(s, batch_id, n, err);
}

/* Built on the batch list rather than a query of its own: every batch already
 * carries the number of records it brought in first, and there are thousands
 * of batches, not millions, so this is as fast as an aggregate table and
 * works on every backend. */
typedef struct count_acc {
	xy_count *v;
	size_t n, cap;
} count_acc;

static int count_cmp(const void *a, const void *b)
{
	const xy_count *x = a, *y = b;
	int c = strcmp(x->month, y->month);
	if (c)
		return c;
	if (x->unit_id != y->unit_id)
		return x->unit_id < y->unit_id ? -1 : 1;
	if (x->category_id != y->category_id)
		return x->category_id < y->category_id ? -1 : 1;
	return 0;
}

xy_code xy_store_counts(xy_store *s, const char *from, const char *to, xy_count_cb cb,
			void *ctx, xy_error *err)
{
	xy_batch *b = NULL;
	size_t nb = 0;
	count_acc acc = { NULL, 0, 0 };
	xy_code rc;
	NEED(s && cb, "missing argument");
	if ((rc = xy_store_batches(s, 0, &b, &nb, err)))
		return rc;
	for (size_t i = 0; i < nb; i++) {
		char month[8];
		if (b[i].status != XY_BATCH_COMMITTED || !b[i].added)
			continue;
		memcpy(month, b[i].reported_on, 7);
		month[7] = '\0';
		if ((from && strcmp(month, from) < 0) || (to && strcmp(month, to) > 0))
			continue;
		xy_count *v = xy_array_grow(acc.v, acc.n, &acc.cap, sizeof *v, 64);
		if (!v) {
			rc = xy_error_set(err, XY_ERR_NOMEM, "out of memory");
			goto out;
		}
		acc.v = v;
		acc.v[acc.n].unit_id = b[i].unit_id;
		acc.v[acc.n].category_id = b[i].category_id;
		memcpy(acc.v[acc.n].month, month, sizeof month);
		acc.v[acc.n].n = b[i].added;
		acc.n++;
	}
	if (acc.n)
		qsort(acc.v, acc.n, sizeof *acc.v, count_cmp);
	/* merge the batches of one unit × category × month */
	for (size_t i = 0; i < acc.n;) {
		xy_count c = acc.v[i++];
		while (i < acc.n && count_cmp(&c, &acc.v[i]) == 0)
			c.n += acc.v[i++].n;
		if (cb(ctx, &c))
			break;
	}
out:
	free(acc.v);
	xy_batches_free(b, nb);
	return rc;
}

xy_code xy_store_index_put(xy_store *s, const xy_city_index *v, xy_error *err)
{
	NEED(s && v, "missing argument");
	NEED(strlen(v->month) == 7 && v->month[4] == '-', "month must be YYYY-MM");
	NEED(v->score >= 0 && v->score <= 100, "score must be between 0 and 100");
	NEED(v->rank >= 1, "rank must be 1 or more");
	return s->ops->index_put(s, v, err);
}

xy_code xy_store_index_list(xy_store *s, xy_city_index **out, size_t *n, xy_error *err)
{
	NEED(s && out && n, "missing argument");
	*out = NULL;
	*n = 0;
	return s->ops->index_list(s, out, n, err);
}

/* ---- lists, checks, feedback, watch ---- */

xy_code xy_store_list_type_ensure(xy_store *s, const xy_list_type *lt, xy_error *err)
{
	NEED(s && lt && lt->name && *lt->name, "no store or list type");
	return s->ops->list_type_ensure(s, lt, err);
}

static bool iso_date(const char *d)
{
	return d && strlen(d) == 10 && d[4] == '-' && d[7] == '-';
}

xy_code xy_store_entry_insert(xy_store *s, xy_entry_row *e, xy_error *err)
{
	NEED(s && e, "missing argument");
	NEED(e->subject_id && e->unit_id, "entry without subject or unit");
	NEED(e->list_type && e->list_type[0] && e->doc && e->doc[0], "entry without list type or document");
	NEED(iso_date(e->from), "entry start must be YYYY-MM-DD");
	NEED(!e->to[0] || iso_date(e->to), "entry end must be YYYY-MM-DD");
	return s->ops->entry_insert(s, e, err);
}

xy_code xy_store_entry_history_add(xy_store *s, int64_t entry_id, const char *action,
				   const char *detail, xy_error *err)
{
	NEED(s && entry_id && action && action[0], "missing argument");
	if (!s->ops->entry_history_add)
		return xy_error_set(err, XY_ERR_UNSUPPORTED, "entry_history_add is not implemented on this backend yet");
	return s->ops->entry_history_add(s, entry_id, action, detail, err);
}

xy_code xy_store_entry_person_add(xy_store *s, int64_t entry_id, int64_t person_id,
				  const char *role, xy_error *err)
{
	xy_target t;
	NEED(s && entry_id && person_id && role, "missing argument");
	NEED(xy_target_parse(role, &t) == 0 && t != XY_TARGET_UNIT,
	     "role must be 法定代表人, 主要负责人 or 直接责任人");
	return s->ops->entry_person_add(s, entry_id, person_id, role, err);
}

xy_code xy_store_entry_get(xy_store *s, int64_t id, xy_entry_row *out, xy_error *err)
{
	NEED(s && out, "missing argument");
	return s->ops->entry_get(s, id, out, err);
}

xy_code xy_store_entry_exit(xy_store *s, int64_t id, const char *how, const char *date,
			    const char *detail, xy_error *err)
{
	xy_exit x;
	NEED(s && how && date, "missing argument");
	NEED(xy_exit_parse(how, &x) == 0 && x != XY_EXIT_NONE,
	     "exit must be 修复, 注销, 吊销 or 撤销");
	NEED(iso_date(date), "exit date must be YYYY-MM-DD");
	return s->ops->entry_exit(s, id, how, date, detail, err);
}

xy_code xy_store_entries(xy_store *s, const char *list_type, xy_entry_cb cb, void *ctx,
			 xy_error *err)
{
	NEED(s && cb, "missing argument");
	return s->ops->entries(s, list_type && *list_type ? list_type : NULL, 0, cb, ctx, err);
}

xy_code xy_store_entry_codes_on(xy_store *s, const char *kind, const char *date,
				xy_subject_code_cb cb, void *ctx, xy_error *err)
{
	NEED(s && kind && date && cb, "missing argument");
	return s->ops->entry_codes_on(s, kind, date, cb, ctx, err);
}

xy_code xy_store_entries_after(xy_store *s, const char *list_type, int64_t after,
			       xy_entry_cb cb, void *ctx, xy_error *err)
{
	NEED(s && cb && after >= 0, "missing argument");
	return s->ops->entries(s, list_type && *list_type ? list_type : NULL, after, cb, ctx,
			       err);
}

xy_code xy_store_feed(xy_store *s, const xy_feed_query *q, xy_feed_cb cb, void *ctx,
		      xy_error *err)
{
	NEED(s && q && cb && q->category_id > 0, "missing argument");
	return s->ops->pub->feed(s, q, cb, ctx, err);
}

xy_code xy_store_subject_entries(xy_store *s, int64_t subject_id, xy_entry_cb cb, void *ctx,
				 xy_error *err)
{
	NEED(s && cb, "missing argument");
	return s->ops->subject_entries(s, subject_id, cb, ctx, err);
}

xy_code xy_store_listed_subjects(xy_store *s, xy_id_cb cb, void *ctx, xy_error *err)
{
	NEED(s && cb, "missing argument");
	return s->ops->listed_subjects(s, cb, ctx, err);
}

xy_code xy_store_entry_persons(xy_store *s, int64_t entry_id, xy_entry_person_cb cb, void *ctx,
			       xy_error *err)
{
	NEED(s && cb, "missing argument");
	return s->ops->entry_persons(s, entry_id, cb, ctx, err);
}

xy_code xy_store_entry_history(xy_store *s, int64_t entry_id, xy_entry_event_cb cb, void *ctx,
			       xy_error *err)
{
	NEED(s && cb, "missing argument");
	return s->ops->entry_history(s, entry_id, cb, ctx, err);
}

xy_code xy_store_check_insert(xy_store *s, xy_check_row *c, const char *answer, xy_error *err)
{
	NEED(s && c && answer, "missing argument");
	NEED(c->unit_id && c->subject_id && iso_date(c->date), "check without unit, subject or date");
	return s->ops->check_insert(s, c, answer, err);
}

xy_code xy_store_check_get(xy_store *s, int64_t id, xy_check_row *out, xy_buf *answer,
			   xy_error *err)
{
	NEED(s && out && answer, "missing argument");
	return s->ops->check_get(s, id, out, answer, err);
}

xy_code xy_store_feedback_insert(xy_store *s, const xy_feedback_row *f, xy_error *err)
{
	NEED(s && f && f->check_id && f->memorandum && f->number > 0, "missing argument");
	return s->ops->feedback_insert(s, f, err);
}

xy_code xy_store_feedback_count(xy_store *s, int64_t check_id, long *n, xy_error *err)
{
	NEED(s && n, "missing argument");
	*n = 0;
	return s->ops->feedback_count(s, check_id, n, err);
}

xy_code xy_store_watch_add(xy_store *s, int64_t unit_id, int64_t subject_id, xy_error *err)
{
	NEED(s && unit_id && subject_id, "missing argument");
	return s->ops->watch_add(s, unit_id, subject_id, err);
}

xy_code xy_store_notify(xy_store *s, int64_t subject_id, int64_t entry_id, long *n,
			xy_error *err)
{
	NEED(s && n && subject_id && entry_id, "missing argument");
	*n = 0;
	return s->ops->notify(s, subject_id, entry_id, n, err);
}

xy_code xy_store_notices(xy_store *s, int64_t unit_id, xy_notice_cb cb, void *ctx,
			 xy_error *err)
{
	NEED(s && cb, "missing argument");
	return s->ops->notices(s, unit_id, cb, ctx, err);
}

/* ---- credit repair, objections, interviews ---- */

xy_code xy_store_record_get(xy_store *s, int64_t id, xy_record_row *out, xy_buf *data,
			    xy_error *err)
{
	NEED(s && out, "missing argument");
	return s->ops->record_get(s, id, out, data, err);
}

xy_code xy_store_case_insert(xy_store *s, xy_case_row *c, xy_error *err)
{
	NEED(s && c && c->record_id && c->unit_id, "missing argument");
	NEED(!strcmp(c->kind, "repair") || !strcmp(c->kind, "objection"),
	     "case kind must be repair or objection");
	NEED(iso_date(c->filed_on) && iso_date(c->step_on), "case dates must be YYYY-MM-DD");
	return s->ops->case_insert(s, c, err);
}

xy_code xy_store_case_get(xy_store *s, int64_t id, xy_case_row *out, xy_error *err)
{
	NEED(s && out, "missing argument");
	return s->ops->case_get(s, id, out, err);
}

xy_code xy_store_case_step(xy_store *s, int64_t id, const char *from, const char *to,
			   const char *on, xy_error *err)
{
	NEED(s && from && to && on, "missing argument");
	NEED(iso_date(on), "step date must be YYYY-MM-DD");
	return s->ops->case_step(s, id, from, to, on, err);
}

xy_code xy_store_cases(xy_store *s, const char *kind, int64_t record_id, xy_case_cb cb,
		       void *ctx, xy_error *err)
{
	NEED(s && cb, "missing argument");
	return s->ops->cases(s, kind, record_id, cb, ctx, err);
}

xy_code xy_store_case_event_add(xy_store *s, int64_t case_id, const xy_case_event *ev,
				xy_error *err)
{
	NEED(s && case_id && ev && ev->on && ev->action, "missing argument");
	NEED(iso_date(ev->on), "event date must be YYYY-MM-DD");
	return s->ops->case_event_add(s, case_id, ev, err);
}

xy_code xy_store_case_events(xy_store *s, int64_t case_id, xy_case_event_cb cb, void *ctx,
			     xy_error *err)
{
	NEED(s && cb, "missing argument");
	return s->ops->case_events(s, case_id, cb, ctx, err);
}

xy_code xy_store_interview_insert(xy_store *s, xy_interview_row *r, xy_error *err)
{
	NEED(s && r && r->subject_id && r->unit_id, "missing argument");
	NEED(iso_date(r->on), "interview date must be YYYY-MM-DD");
	return s->ops->interview_insert(s, r, err);
}

xy_code xy_store_interviews(xy_store *s, int64_t subject_id, xy_interview_cb cb, void *ctx,
			    xy_error *err)
{
	NEED(s && cb, "missing argument");
	return s->ops->interviews(s, subject_id, cb, ctx, err);
}

/* ---- credit commitments and government dishonesty ---- */

xy_code xy_store_commitment_insert(xy_store *s, xy_commitment_row *c, xy_error *err)
{
	NEED(s && c && c->unit_id && c->subject_id && c->type && c->type[0] && c->signed_on[0],
	     "missing argument");
	return s->ops->commitment_insert(s, c, err);
}

xy_code xy_store_commitment_number(xy_store *s, int64_t id, const char *no, xy_error *err)
{
	NEED(s && id && no && no[0], "missing argument");
	if (!s->ops->commitment_number)
		return xy_error_set(err, XY_ERR_UNSUPPORTED, "commitment_number is not implemented on this backend yet");
	return s->ops->commitment_number(s, id, no, err);
}

xy_code xy_store_commitment_get(xy_store *s, int64_t id, xy_commitment_row *out,
				xy_error *err)
{
	NEED(s && out, "missing argument");
	return s->ops->commitment_get(s, id, out, err);
}

xy_code xy_store_commitments(xy_store *s, int64_t unit_id, int64_t subject_id,
			     xy_commitment_cb cb, void *ctx, xy_error *err)
{
	NEED(s && cb, "missing argument");
	return s->ops->commitments(s, unit_id, subject_id, cb, ctx, err);
}

xy_code xy_store_commitment_check_add(xy_store *s, const xy_commitment_check *v,
				      xy_error *err)
{
	NEED(s && v && v->commitment_id && v->on && v->result && v->by, "missing argument");
	return s->ops->commitment_check_add(s, v, err);
}

xy_code xy_store_commitment_checks(xy_store *s, int64_t commitment_id,
				   xy_commitment_check_cb cb, void *ctx, xy_error *err)
{
	NEED(s && cb, "missing argument");
	return s->ops->commitment_checks(s, commitment_id, cb, ctx, err);
}

xy_code xy_store_batch_records(xy_store *s, int64_t unit_id, int64_t category_id,
			       int64_t batch_id, xy_batch_record_cb cb, void *ctx, xy_error *err)
{
	NEED(s && unit_id && category_id && batch_id && cb, "missing argument");
	return s->ops->batch_records(s, unit_id, category_id, batch_id, cb, ctx, err);
}

xy_code xy_store_gov_dishonesty_insert(xy_store *s, xy_gov_dishonesty_row *g, xy_error *err)
{
	NEED(s && g && g->body_id && g->unit_id && g->case_type && g->case_type[0] && g->source &&
	     g->source[0] && g->registered_on[0],
	     "missing argument");
	return s->ops->gov_dishonesty_insert(s, g, err);
}

xy_code xy_store_gov_dishonesty_get(xy_store *s, int64_t id, xy_gov_dishonesty_row *out, xy_error *err)
{
	NEED(s && out, "missing argument");
	return s->ops->gov_dishonesty_get(s, id, out, err);
}

xy_code xy_store_gov_dishonesties(xy_store *s, int64_t unit_id, xy_gov_dishonesty_cb cb, void *ctx,
			  xy_error *err)
{
	NEED(s && cb, "missing argument");
	return s->ops->gov_dishonesties(s, unit_id, 0, cb, ctx, err);
}

xy_code xy_store_subject_gov_dishonesties(xy_store *s, int64_t body_id, xy_gov_dishonesty_cb cb,
					  void *ctx, xy_error *err)
{
	NEED(s && cb && body_id > 0, "missing argument");
	return s->ops->gov_dishonesties(s, 0, body_id, cb, ctx, err);
}

xy_code xy_store_gov_dishonesty_status_add(xy_store *s, int64_t id, const char *status,
				    const char *on, const char *evidence, xy_error *err)
{
	NEED(s && id && status && on, "missing argument");
	return s->ops->gov_dishonesty_status_add(s, id, status, on, evidence, err);
}

xy_code xy_store_gov_dishonesty_history(xy_store *s, int64_t id, xy_gov_dishonesty_event_cb cb, void *ctx,
				 xy_error *err)
{
	NEED(s && cb, "missing argument");
	return s->ops->gov_dishonesty_history(s, id, cb, ctx, err);
}

/* ---- list entries derived from records, stored memoranda ---- */

xy_code xy_store_list_records(xy_store *s, int64_t unit_id, int64_t category_id,
			      xy_list_record_cb cb, void *ctx, xy_error *err)
{
	NEED(s && cb && unit_id && category_id, "missing argument");
	return s->ops->list_records(s, unit_id, category_id, cb, ctx, err);
}

xy_code xy_store_list_record_link(xy_store *s, const xy_list_record *r, xy_error *err)
{
	NEED(s && r && r->unit_id && r->category_id && r->key && r->entry_id && r->data_batch,
	     "missing argument");
	return s->ops->list_record_link(s, r, err);
}

xy_code xy_store_list_record_entry(xy_store *s, int64_t unit_id, int64_t category_id,
				   const char *key, int64_t *entry_id, xy_error *err)
{
	NEED(s && unit_id && category_id && key && entry_id, "missing argument");
	return s->ops->list_record_entry(s, unit_id, category_id, key, entry_id, err);
}

xy_code xy_store_entry_find(xy_store *s, const char *list_type, int64_t subject_id,
			    const char *doc, xy_entry_row *out, xy_error *err)
{
	NEED(s && list_type && doc && out, "missing argument");
	return s->ops->entry_find(s, list_type, subject_id, doc, out, err);
}

xy_code xy_store_entry_update(xy_store *s, const xy_entry_row *e, const char *detail,
			      xy_error *err)
{
	NEED(s && e && e->id && e->unit_id, "missing argument");
	NEED(iso_date(e->from), "entry start must be YYYY-MM-DD");
	NEED(!e->to[0] || (iso_date(e->to) && strcmp(e->to, e->from) >= 0),
	     "entry end must be YYYY-MM-DD, not before the start");
	return s->ops->entry_update(s, e, detail, err);
}

xy_code xy_store_record_find(xy_store *s, int64_t unit_id, int64_t category_id, const char *key,
			     int64_t *id, int64_t *subject_id, xy_error *err)
{
	NEED(s && key && id && subject_id, "missing argument");
	return s->ops->record_find(s, unit_id, category_id, key, id, subject_id, err);
}

xy_code xy_store_memorandum_add(xy_store *s, const char *doc, const char *file,
				const char *text, xy_error *err)
{
	NEED(s && doc && *doc && file && text, "missing argument");
	return s->ops->memorandum_add(s, doc, file, text, err);
}

xy_code xy_store_memorandum_replace(xy_store *s, const char *doc, const char *file,
				    const char *text, xy_error *err)
{
	NEED(s && doc && *doc && file && text, "missing argument");
	return s->ops->memorandum_replace(s, doc, file, text, err);
}

xy_code xy_store_memoranda(xy_store *s, xy_memo_cb cb, void *ctx, xy_error *err)
{
	NEED(s && cb, "missing argument");
	return s->ops->memoranda(s, cb, ctx, err);
}

/* ---- intake: mappings, sheets, unmapped columns ---- */

xy_code xy_store_mapping_put(xy_store *s, const xy_mapping *m, bool *replaced, xy_error *err)
{
	bool ignore;
	NEED(s && m && m->unit_id && m->category_id && m->header && *m->header && m->field_code &&
	     *m->field_code, "missing argument");
	return s->ops->mapping_put(s, m, replaced ? replaced : &ignore, err);
}

xy_code xy_store_mapping_remove(xy_store *s, int64_t unit_id, int64_t category_id,
				const char *header, xy_error *err)
{
	NEED(s && unit_id && category_id && header, "missing argument");
	return s->ops->mapping_remove(s, unit_id, category_id, header, err);
}

xy_code xy_store_mappings(xy_store *s, int64_t unit_id, int64_t category_id, xy_mapping_cb cb,
			  void *ctx, xy_error *err)
{
	NEED(s && cb, "missing argument");
	return s->ops->mappings(s, unit_id, category_id, cb, ctx, err);
}

xy_code xy_store_batch_sheet_add(xy_store *s, const xy_batch_sheet *sh, xy_error *err)
{
	NEED(s && sh && sh->batch_id && sh->seq > 0 && sh->sheet, "missing argument");
	return s->ops->batch_sheet_add(s, sh, err);
}

xy_code xy_store_batch_sheets(xy_store *s, int64_t batch_id, xy_batch_sheet_cb cb, void *ctx,
			      xy_error *err)
{
	NEED(s && cb, "missing argument");
	return s->ops->batch_sheets(s, batch_id, cb, ctx, err);
}

xy_code xy_store_batch_column_add(xy_store *s, const xy_batch_column *c, xy_error *err)
{
	NEED(s && c && c->batch_id && c->sheet && c->col > 0 && c->header, "missing argument");
	return s->ops->batch_column_add(s, c, err);
}

xy_code xy_store_batch_columns(xy_store *s, int64_t batch_id, xy_batch_column_cb cb, void *ctx,
			       xy_error *err)
{
	NEED(s && cb, "missing argument");
	return s->ops->batch_columns(s, batch_id, cb, ctx, err);
}

/* ---- data quality (issue 8) ---- */

/* YYYY-MM or NULL */
static bool month_ok(const char *m)
{
	if (!m)
		return true;
	if (strlen(m) != 7 || m[4] != '-')
		return false;
	for (int i = 0; i < 7; i++)
		if (i != 4 && (m[i] < '0' || m[i] > '9'))
			return false;
	return true;
}

#define NEED_MONTHS(from, to) \
	NEED(month_ok(from) && month_ok(to), "months must be YYYY-MM")

xy_code xy_store_quality_records(xy_store *s, const char *from, const char *to, int64_t unit_id,
				 const int64_t *data_categories, size_t ndata,
				 xy_quality_record_cb cb, void *ctx, xy_error *err)
{
	NEED(s && cb && (data_categories || !ndata), "missing argument");
	NEED_MONTHS(from, to);
	return s->ops->quality_records(s, from, to, unit_id, data_categories, ndata, cb, ctx,
				       err);
}

xy_code xy_store_quality_batches(xy_store *s, const char *from, const char *to, int64_t unit_id,
				 xy_quality_batches_cb cb, void *ctx, xy_error *err)
{
	NEED(s && cb, "missing argument");
	NEED_MONTHS(from, to);
	return s->ops->quality_batches(s, from, to, unit_id, cb, ctx, err);
}

xy_code xy_store_quality_reasons(xy_store *s, const char *from, const char *to, int64_t unit_id,
				 xy_reason_count_cb cb, void *ctx, xy_error *err)
{
	NEED(s && cb, "missing argument");
	NEED_MONTHS(from, to);
	return s->ops->quality_reasons(s, from, to, unit_id, cb, ctx, err);
}

xy_code xy_store_quality_columns(xy_store *s, const char *from, const char *to, int64_t unit_id,
				 xy_column_seen_cb cb, void *ctx, xy_error *err)
{
	NEED(s && cb, "missing argument");
	NEED_MONTHS(from, to);
	return s->ops->quality_columns(s, from, to, unit_id, cb, ctx, err);
}

/* ---- users, sessions, bearer tokens, audit log ---- */

void xy_user_row_release(xy_user_row *u)
{
	if (!u)
		return;
	free(u->name);
	free(u->role);
	free(u->unit);
	if (u->pwhash)
		sodium_memzero(u->pwhash, strlen(u->pwhash));
	free(u->pwhash);
	free(u->created_at);
	free(u->changed_at);
	memset(u, 0, sizeof *u);
}

void xy_user_rows_free(xy_user_row *v, size_t n)
{
	for (size_t i = 0; v && i < n; i++)
		xy_user_row_release(&v[i]);
	free(v);
}

void xy_token_row_release(xy_token_row *t)
{
	if (!t)
		return;
	free(t->role);
	free(t->unit);
	free(t->label);
	free(t->hash);
	free(t->created_by);
	free(t->created_at);
	free(t->revoked_at);
	memset(t, 0, sizeof *t);
}

void xy_token_rows_free(xy_token_row *v, size_t n)
{
	for (size_t i = 0; v && i < n; i++)
		xy_token_row_release(&v[i]);
	free(v);
}

static bool blank(const char *v)
{
	return !v || !*v;
}

xy_code xy_store_user_insert(xy_store *s, const xy_user_in *u, int64_t *id, xy_error *err)
{
	int64_t ignore;
	if (!s || !u || blank(u->name) || blank(u->role) || blank(u->pwhash) || blank(u->at))
		return xy_error_set(err, XY_ERR_ARG, "xy_store_user_insert: missing argument");
	return s->ops->auth->user_insert(s, u, id ? id : &ignore, err);
}

xy_code xy_store_user_get(xy_store *s, const char *name, xy_user_row *out, xy_error *err)
{
	if (!s || blank(name) || !out)
		return xy_error_set(err, XY_ERR_ARG, "xy_store_user_get: missing argument");
	return s->ops->auth->user_get(s, name, 0, out, err);
}

xy_code xy_store_user_by_id(xy_store *s, int64_t id, xy_user_row *out, xy_error *err)
{
	if (!s || id <= 0 || !out)
		return xy_error_set(err, XY_ERR_ARG, "xy_store_user_by_id: missing argument");
	return s->ops->auth->user_get(s, NULL, id, out, err);
}

xy_code xy_store_users(xy_store *s, xy_user_row **out, size_t *n, xy_error *err)
{
	if (!s || !out || !n)
		return xy_error_set(err, XY_ERR_ARG, "xy_store_users: missing argument");
	*out = NULL;
	*n = 0;
	return s->ops->auth->users(s, out, n, err);
}

xy_code xy_store_user_update(xy_store *s, int64_t id, const char *pwhash, bool disable,
			     const char *at, xy_error *err)
{
	if (!s || id <= 0 || blank(at) || (pwhash && !*pwhash))
		return xy_error_set(err, XY_ERR_ARG, "xy_store_user_update: missing argument");
	return s->ops->auth->user_update(s, id, pwhash, disable, at, err);
}

xy_code xy_store_session_insert(xy_store *s, const char *hash, int64_t user_id,
				int64_t expires, const char *at, xy_error *err)
{
	if (!s || blank(hash) || user_id <= 0 || blank(at))
		return xy_error_set(err, XY_ERR_ARG, "xy_store_session_insert: missing argument");
	return s->ops->auth->session_insert(s, hash, user_id, expires, at, err);
}

xy_code xy_store_session_get(xy_store *s, const char *hash, int64_t *user_id,
			     int64_t *expires, xy_error *err)
{
	if (!s || blank(hash) || !user_id || !expires)
		return xy_error_set(err, XY_ERR_ARG, "xy_store_session_get: missing argument");
	return s->ops->auth->session_get(s, hash, user_id, expires, err);
}

xy_code xy_store_session_delete(xy_store *s, const char *hash, xy_error *err)
{
	if (!s || blank(hash))
		return xy_error_set(err, XY_ERR_ARG, "xy_store_session_delete: missing argument");
	return s->ops->auth->session_delete(s, hash, err);
}

xy_code xy_store_sessions_purge(xy_store *s, int64_t now, xy_error *err)
{
	if (!s)
		return xy_error_set(err, XY_ERR_ARG, "xy_store_sessions_purge: no store");
	return s->ops->auth->sessions_purge(s, now, err);
}

xy_code xy_store_token_insert(xy_store *s, const xy_token_in *t, int64_t *id, xy_error *err)
{
	int64_t ignore;
	if (!s || !t || blank(t->hash) || blank(t->role) || blank(t->created_by) || blank(t->at))
		return xy_error_set(err, XY_ERR_ARG, "xy_store_token_insert: missing argument");
	return s->ops->auth->token_insert(s, t, id ? id : &ignore, err);
}

xy_code xy_store_token_get(xy_store *s, int64_t id, xy_token_row *out, xy_error *err)
{
	if (!s || !out)
		return xy_error_set(err, XY_ERR_ARG, "xy_store_token_get: missing argument");
	return s->ops->auth->token_get(s, id, out, err);
}

xy_code xy_store_tokens(xy_store *s, xy_token_row **out, size_t *n, xy_error *err)
{
	if (!s || !out || !n)
		return xy_error_set(err, XY_ERR_ARG, "xy_store_tokens: missing argument");
	*out = NULL;
	*n = 0;
	return s->ops->auth->tokens(s, out, n, err);
}

xy_code xy_store_token_revoke(xy_store *s, int64_t id, const char *at, xy_error *err)
{
	if (!s || blank(at))
		return xy_error_set(err, XY_ERR_ARG, "xy_store_token_revoke: missing argument");
	return s->ops->auth->token_revoke(s, id, at, err);
}

xy_code xy_store_audit_insert(xy_store *s, const xy_audit_view *v, xy_error *err)
{
	if (!s || !v || v->seq <= 0 || blank(v->at) || blank(v->who) || blank(v->action) ||
	    !v->prev || blank(v->hash))
		return xy_error_set(err, XY_ERR_ARG, "xy_store_audit_insert: missing argument");
	return s->ops->auth->audit_insert(s, v, err);
}

xy_code xy_store_audit_head(xy_store *s, int64_t *seq, xy_buf *hash, xy_error *err)
{
	if (!s || !seq || !hash)
		return xy_error_set(err, XY_ERR_ARG, "xy_store_audit_head: missing argument");
	return s->ops->auth->audit_head(s, seq, hash, err);
}

xy_code xy_store_audit_list(xy_store *s, const xy_audit_filter *f, xy_audit_cb cb, void *ctx,
			    xy_error *err)
{
	if (!s || !cb)
		return xy_error_set(err, XY_ERR_ARG, "xy_store_audit_list: missing argument");
	return s->ops->auth->audit_list(s, f, cb, ctx, err);
}

/* ---- a unit's checks, feedback and watch list (issue 9) ---- */

xy_code xy_store_checks(xy_store *s, int64_t unit_id, int64_t before, size_t limit,
			xy_check_cb cb, void *ctx, xy_error *err)
{
	if (!s || !cb || unit_id < 0 || before < 0)
		return xy_error_set(err, XY_ERR_ARG, "xy_store_checks: missing argument");
	return s->ops->unit->checks(s, unit_id, before, limit, cb, ctx, err);
}

xy_code xy_store_feedbacks(xy_store *s, int64_t check_id, xy_feedback_cb cb, void *ctx,
			   xy_error *err)
{
	if (!s || !cb || check_id <= 0)
		return xy_error_set(err, XY_ERR_ARG, "xy_store_feedbacks: missing argument");
	return s->ops->unit->feedbacks(s, check_id, cb, ctx, err);
}

xy_code xy_store_watches(xy_store *s, int64_t unit_id, xy_watch_cb cb, void *ctx, xy_error *err)
{
	if (!s || !cb || unit_id <= 0)
		return xy_error_set(err, XY_ERR_ARG, "xy_store_watches: missing argument");
	return s->ops->unit->watches(s, unit_id, cb, ctx, err);
}

xy_code xy_store_watch_remove(xy_store *s, int64_t unit_id, int64_t subject_id, bool *removed,
			      xy_error *err)
{
	bool ignore;
	if (!s || unit_id <= 0 || subject_id <= 0)
		return xy_error_set(err, XY_ERR_ARG, "xy_store_watch_remove: missing argument");
	return s->ops->unit->watch_remove(s, unit_id, subject_id, removed ? removed : &ignore, err);
}

xy_code xy_store_notices_read(xy_store *s, int64_t unit_id, int64_t notice_id, const char *at,
			      long *n, xy_error *err)
{
	long ignore;
	if (!s || unit_id <= 0 || notice_id < 0 || !at)
		return xy_error_set(err, XY_ERR_ARG, "xy_store_notices_read: missing argument");
	return s->ops->unit->notices_read(s, unit_id, notice_id, at, n ? n : &ignore, err);
}

xy_code xy_store_batch_errors_page(xy_store *s, int64_t batch_id, int64_t after, size_t limit,
				   xy_batch_error_page_cb cb, void *ctx, xy_error *err)
{
	if (!s || !cb || batch_id <= 0 || after < 0)
		return xy_error_set(err, XY_ERR_ARG, "xy_store_batch_errors_page: missing argument");
	return s->ops->unit->batch_errors_page(s, batch_id, after, limit, cb, ctx, err);
}

/* ---- issued credit reports ---- */

xy_code xy_store_report_insert(xy_store *s, const xy_report_row *r, xy_error *err)
{
	NEED(s && r && r->number && *r->number && r->day && r->seq > 0 && r->subject_id > 0 &&
		     r->generated_at && r->data_as_of && r->sha256 && r->code,
	     "missing argument");
	return s->ops->report->insert(s, r, err);
}

xy_code xy_store_report_get(xy_store *s, const char *number, xy_report_row *out,
			    xy_error *err)
{
	NEED(s && number && out, "missing argument");
	return s->ops->report->get(s, number, out, err);
}

xy_code xy_store_report_last_seq(xy_store *s, const char *day, int64_t *seq, xy_error *err)
{
	NEED(s && day && seq, "missing argument");
	return s->ops->report->last_seq(s, day, seq, err);
}

xy_code xy_store_report_mac(xy_store *s, const void *data, size_t n, unsigned char out[32],
			    xy_error *err)
{
	NEED(s && (data || !n) && out, "missing argument");
	return s->ops->report->mac(s, data, n, out, err);
}

/* ---- online applications ---- */

xy_code xy_store_application_insert(xy_store *s, xy_application_row *a, xy_error *err)
{
	NEED(s && a && a->receipt && a->day && a->kind && a->case_id && a->secret && a->contact,
	     "missing argument");
	return s->ops->apps->insert(s, a, err);
}

xy_code xy_store_application_get(xy_store *s, const char *receipt, int64_t case_id,
				 xy_application_row *out, xy_error *err)
{
	NEED(s && out && (receipt || case_id), "missing argument");
	return s->ops->apps->get(s, receipt, case_id, out, err);
}

xy_code xy_store_application_last_seq(xy_store *s, const char *day, int64_t *seq,
				      xy_error *err)
{
	NEED(s && day && seq, "missing argument");
	return s->ops->apps->last_seq(s, day, seq, err);
}

xy_code xy_store_attachment_insert(xy_store *s, const xy_attachment_row *a, xy_error *err)
{
	NEED(s && a && a->application_id && a->name && a->type && a->sha256, "missing argument");
	return s->ops->apps->attachment_insert(s, a, err);
}

xy_code xy_store_attachments(xy_store *s, int64_t application_id, xy_attachment_cb cb,
			     void *ctx, xy_error *err)
{
	NEED(s && cb, "missing argument");
	return s->ops->apps->attachments(s, application_id, cb, ctx, err);
}

/* ---- credit grading (sqlite_grade.c) ---- */

xy_code xy_store_grade_facts(xy_store *s, xy_grade_source src, const char *arg,
			     const char *from, const char *to, int64_t batch_id,
			     xy_grade_fact_cb cb, void *ctx, xy_error *err)
{
	NEED(s && arg && from && to && cb, "missing argument");
	return s->ops->grade->facts(s, src, arg, from, to, batch_id, cb, ctx, err);
}

xy_code xy_store_grade_subjects(xy_store *s, int64_t batch_id, xy_id_cb cb, void *ctx,
				xy_error *err)
{
	NEED(s && cb, "missing argument");
	return s->ops->grade->subjects(s, batch_id, cb, ctx, err);
}

xy_code xy_store_grade_model_put(xy_store *s, const char *sha256, const char *name,
				 const char *text, const char *at, int64_t *id, xy_error *err)
{
	NEED(s && sha256 && name && text && at && id, "missing argument");
	return s->ops->grade->model_put(s, sha256, name, text, at, id, err);
}

xy_code xy_store_grade_model_last(xy_store *s, xy_buf *text, xy_error *err)
{
	NEED(s && text, "missing argument");
	return s->ops->grade->model_last(s, NULL, text, err);
}

xy_code xy_store_grade_model_text(xy_store *s, const char *sha256, xy_buf *text, xy_error *err)
{
	NEED(s && sha256 && text, "missing argument");
	return s->ops->grade->model_last(s, sha256, text, err);
}

xy_code xy_store_grade_run_insert(xy_store *s, int64_t model_id, const char *as_of,
				  int64_t batch_id, const char *at, int64_t *run_id,
				  xy_error *err)
{
	NEED(s && model_id > 0 && as_of && at && run_id, "missing argument");
	return s->ops->grade->run_insert(s, model_id, as_of, batch_id, at, run_id, err);
}

xy_code xy_store_grade_run_done(xy_store *s, int64_t run_id, long subjects, xy_error *err)
{
	NEED(s && run_id > 0, "missing argument");
	return s->ops->grade->run_done(s, run_id, subjects, err);
}

xy_code xy_store_grade_put(xy_store *s, int64_t run_id, int64_t subject_id, long score,
			   const char *grade, const char *items, xy_error *err)
{
	NEED(s && run_id > 0 && subject_id > 0 && grade && items, "missing argument");
	return s->ops->grade->put(s, run_id, subject_id, score, grade, items, err);
}

xy_code xy_store_grades_of(xy_store *s, int64_t subject_id, int64_t run_id, xy_grade_cb cb,
			   void *ctx, xy_error *err)
{
	NEED(s && cb, "missing argument");
	return s->ops->grade->grades_of(s, subject_id, run_id, cb, ctx, err);
}

xy_code xy_store_grades(xy_store *s, const char *grade, int64_t run_id, xy_grade_cb cb,
			void *ctx, xy_error *err)
{
	NEED(s && cb, "missing argument");
	return xy_store_grades_page(s, grade, run_id, 0, 0, cb, ctx, err);
}

xy_code xy_store_grades_page(xy_store *s, const char *grade, int64_t run_id, int64_t after_id,
			     size_t limit, xy_grade_cb cb, void *ctx, xy_error *err)
{
	NEED(s && cb && after_id >= 0, "missing argument");
	return s->ops->grade->grades(s, grade ? grade : "", run_id, after_id, limit, cb, ctx, err);
}

xy_code xy_store_grade_counts(xy_store *s, int64_t run_id, xy_grade_count_cb cb, void *ctx,
			      xy_error *err)
{
	NEED(s && cb, "missing argument");
	return s->ops->grade->counts(s, run_id, cb, ctx, err);
}

xy_code xy_store_grades_latest(xy_store *s, xy_grade_cb cb, void *ctx, xy_error *err)
{
	NEED(s && cb, "missing argument");
	return s->ops->grade->latest(s, cb, ctx, err);
}

/* ---- latest grades as a set (store.h: xy_store_grades_latest_read) ----
 *
 * Plain codes with their grades, in strcmp order (SQLite hands them over in
 * that order from its code index; a backend whose latest walk is in another
 * order is sorted once here, then as read, so that the last one read of a
 * code wins), and personal numbers' keyed hashes in a table of their own:
 * open addressing, at most half full, slot[] holding an index + 1 — the
 * keys are uniform hashes already, so their first bytes are the slot.  A
 * table written here rather than a library's for that reason. */
#define RESERVE_MAX ((size_t)1 << 24) /* xy__grades_set_reserve's bound: a guess, not a limit */

struct set_code {
	uint32_t at; /* offset in codes */
	uint32_t seq;
	char grade;
};

struct set_hashed {
	unsigned char h[XY__PII_HASH_BYTES];
	char grade;
};

struct xy_grades_set {
	xy_buf codes; /* NUL-terminated, one after the other */
	struct set_code *v;
	size_t n, cap;
	struct set_hashed *hv;
	size_t nh, hcap;
	uint32_t *slot;
	size_t nslot;
	xy__pii_key key;
	bool keyed;
};

xy_code xy__grades_set_code(xy_grades_set *set, const char *code, size_t len, char grade,
			    xy_error *err)
{
	struct set_code *v;
	if (set->codes.len + len + 1 > UINT32_MAX || set->n >= UINT32_MAX)
		return xy_error_set(err, XY_ERR_LIMIT, "subject codes over %u bytes", UINT32_MAX);
	if (!(v = xy_array_grow(set->v, set->n, &set->cap, sizeof *set->v, 4096)))
		return xy_error_set(err, XY_ERR_NOMEM, "out of memory");
	set->v = v;
	v[set->n].at = (uint32_t)set->codes.len;
	v[set->n].seq = (uint32_t)set->n;
	v[set->n].grade = grade;
	if (xy_buf_add(&set->codes, code, len) || xy_buf_addch(&set->codes, '\0'))
		return xy_error_set(err, XY_ERR_NOMEM, "out of memory");
	set->n++;
	return XY_OK;
}

void xy__grades_set_grade(xy_grades_set *set, size_t i, char grade)
{
	if (i < set->n)
		set->v[i].grade = grade;
}

void xy__grades_set_reserve(xy_grades_set *set, size_t n, size_t bytes)
{
	struct set_code *v;
	if (n > RESERVE_MAX)
		n = RESERVE_MAX, bytes = RESERVE_MAX * 20;
	if (n > set->cap && (v = realloc(set->v, n * sizeof *v))) {
		set->v = v;
		set->cap = n;
	}
	(void)xy_buf_grow(&set->codes, bytes); /* advice: without it, it grows as it goes */
}

xy_code xy__grades_set_hashed(xy_grades_set *set, const unsigned char *h, char grade,
			      xy_error *err)
{
	struct set_hashed *v = xy_array_grow(set->hv, set->nh, &set->hcap, sizeof *set->hv, 1024);
	if (!v)
		return xy_error_set(err, XY_ERR_NOMEM, "out of memory");
	set->hv = v;
	memcpy(v[set->nh].h, h, XY__PII_HASH_BYTES);
	v[set->nh++].grade = grade;
	return XY_OK;
}

void xy__grades_set_key(xy_grades_set *set, const xy__pii_key *key)
{
	set->key = *key;
	set->keyed = true;
}

void xy_grades_set_free(xy_grades_set *set)
{
	if (!set)
		return;
	xy_buf_release(&set->codes);
	free(set->v);
	free(set->hv);
	free(set->slot);
	sodium_memzero(&set->key, sizeof set->key);
	free(set);
}

static int set_code_cmp(const void *x, const void *y, void *codes)
{
	const struct set_code *a = x, *b = y;
	int c = strcmp((const char *)codes + a->at, (const char *)codes + b->at);
	return c ? c : (a->seq > b->seq) - (a->seq < b->seq);
}

static uint64_t hash_slot(const unsigned char *h)
{
	uint64_t v;
	memcpy(&v, h, sizeof v);
	return v;
}

struct set_fill {
	xy_grades_set *set;
	xy_error *err;
	xy_code rc;
};

static int latest_set_cb(void *ctx, const xy_grade_row *g)
{
	struct set_fill *f = ctx;
	return (f->rc = xy__grades_set_code(f->set, g->code, strlen(g->code), g->grade[0], f->err));
}

/* The set made usable: codes in order, the hash table built. */
static xy_code set_seal(xy_grades_set *set, xy_error *err)
{
	size_t i;
	for (i = 1; i < set->n && set_code_cmp(&set->v[i - 1], &set->v[i], set->codes.data) < 0; i++)
		;
	if (i < set->n)
		qsort_r(set->v, set->n, sizeof *set->v, set_code_cmp, set->codes.data);
	if (!set->nh)
		return XY_OK;
	set->nslot = 16;
	while (set->nslot < 2 * set->nh)
		set->nslot *= 2;
	if (!(set->slot = calloc(set->nslot, sizeof *set->slot)))
		return xy_error_set(err, XY_ERR_NOMEM, "out of memory");
	for (size_t h = 0; h < set->nh; h++) {
		size_t at = hash_slot(set->hv[h].h) & (set->nslot - 1);
		while (set->slot[at])
			at = (at + 1) & (set->nslot - 1);
		set->slot[at] = (uint32_t)h + 1;
	}
	return XY_OK;
}

xy_code xy_store_grades_latest_read(xy_store *s, xy_grades_set **out, xy_error *err)
{
	xy_grades_set *set;
	xy_code rc;
	NEED(s && out, "missing argument");
	*out = NULL;
	if (!(set = calloc(1, sizeof *set)))
		return xy_error_set(err, XY_ERR_NOMEM, "out of memory");
	xy_buf_init(&set->codes, 0);
	if ((rc = xy_store_read_begin(s, err))) {
		xy_grades_set_free(set);
		return rc;
	}
	if (s->ops->grade->latest_read)
		rc = s->ops->grade->latest_read(s, set, err);
	else {
		struct set_fill f = { set, err, XY_OK };
		rc = s->ops->grade->latest(s, latest_set_cb, &f, err);
		rc = rc ? rc : f.rc;
	}
	xy_store_read_end(s);
	if (!rc)
		rc = set_seal(set, err);
	if (rc)
		xy_grades_set_free(set);
	else
		*out = set;
	return rc;
}

xy_code xy_grades_set_of(const xy_grades_set *set, const char *const *codes, size_t n,
			 char *grades, xy_error *err)
{
	const char *base = set ? set->codes.data : NULL;
	size_t j = 0, hi;
	NEED(set && (codes || !n) && (grades || !n), "missing argument");
	if (n) /* the first plain code not below codes[0]: a slice of a longer list starts there */
		for (hi = set->n; j < hi;) {
			size_t mid = j + (hi - j) / 2;
			if (strcmp(base + set->v[mid].at, codes[0]) < 0)
				j = mid + 1;
			else
				hi = mid;
		}
	for (size_t i = 0; i < n; i++) {
		int c = 1;
		grades[i] = 0;
		while (j < set->n && (c = strcmp(base + set->v[j].at, codes[i])) < 0)
			j++;
		if (j < set->n && !c) { /* the last one of this code */
			for (size_t k = j; k < set->n && !strcmp(base + set->v[k].at, codes[i]); k++)
				grades[i] = set->v[k].grade;
		} else if (set->nslot && set->keyed) { /* no such plain code: a personal number? */
			unsigned char h[XY__PII_HASH_BYTES];
			xy__pii_hash(&set->key, codes[i], strlen(codes[i]), h);
			for (size_t at = hash_slot(h) & (set->nslot - 1); set->slot[at];
			     at = (at + 1) & (set->nslot - 1))
				if (!memcmp(set->hv[set->slot[at] - 1].h, h, sizeof h)) {
					grades[i] = set->hv[set->slot[at] - 1].grade;
					break;
				}
		}
	}
	return XY_OK;
}

xy_code xy_store_grades_latest_of(xy_store *s, const char *const *codes, size_t n, char *grades,
				  xy_error *err)
{
	xy_grades_set *set;
	xy_code rc;
	NEED(s && (codes || !n) && (grades || !n), "missing argument");
	if (!n)
		return XY_OK;
	memset(grades, 0, n);
	if ((rc = xy_store_grades_latest_read(s, &set, err)))
		return rc;
	rc = xy_grades_set_of(set, codes, n, grades, err);
	xy_grades_set_free(set);
	return rc;
}

xy_code xy_store_grade_runs(xy_store *s, xy_grade_cb cb, void *ctx, xy_error *err)
{
	NEED(s && cb, "missing argument");
	return s->ops->grade->runs(s, cb, ctx, err);
}

/* ---- 双随机、一公开 inspections ---- */

xy_code xy_store_inspect_plan_insert(xy_store *s, const xy_inspect_plan_row *r, int64_t *id,
				     xy_error *err)
{
	NEED(s && r && id && r->unit && r->name && r->text && r->digest && r->created_at,
	     "missing argument");
	return s->ops->inspect->plan_insert(s, r, id, err);
}

xy_code xy_store_inspect_draw_insert(xy_store *s, const xy_inspect_draw_row *r, int64_t *id,
				     xy_error *err)
{
	NEED(s && r && id && r->plan_id > 0 && r->random && r->population &&
		     r->population_digest && r->text && r->digest && r->drawn_at,
	     "missing argument");
	return s->ops->inspect->draw_insert(s, r, id, err);
}

xy_code xy_store_inspect_result_insert(xy_store *s, const xy_inspect_result_row *r,
				       xy_error *err)
{
	NEED(s && r && r->draw_id > 0 && r->code && r->outcome && r->recorded_at,
	     "missing argument");
	return s->ops->inspect->result_insert(s, r, err);
}

xy_code xy_store_inspect_plans(xy_store *s, int64_t id, xy_inspect_plan_cb cb, void *ctx,
			       xy_error *err)
{
	NEED(s && cb && id >= 0, "missing argument");
	return s->ops->inspect->plans(s, id, cb, ctx, err);
}

xy_code xy_store_inspect_draws(xy_store *s, int64_t id, int64_t plan_id, xy_inspect_draw_cb cb,
			       void *ctx, xy_error *err)
{
	NEED(s && cb && id >= 0 && plan_id >= 0, "missing argument");
	return s->ops->inspect->draws(s, id, plan_id, cb, ctx, err);
}

xy_code xy_store_inspect_results(xy_store *s, int64_t draw_id, xy_inspect_result_cb cb,
				 void *ctx, xy_error *err)
{
	NEED(s && cb && draw_id >= 0, "missing argument");
	return s->ops->inspect->results(s, draw_id, cb, ctx, err);
}
