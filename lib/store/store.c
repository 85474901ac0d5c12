/* xinyong: the store's backend-independent half — choose a backend from the
 * URI, seed a new database with the registry, check arguments, dispatch. */
#include <stdlib.h>
#include <string.h>

#include "xinyong/codes.h"
#include "xinyong/store.h"
#include "xinyong/text.h"
#include "backend.h"

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
	if (has_prefix(uri, "postgresql://") || has_prefix(uri, "postgres://"))
		return xy_error_set(err, XY_ERR_ARG, "PostgreSQL backend not built yet");
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
	rc = seed(s, config_dir, err);
	if (rc) {
		s->ops->close(s);
		return rc;
	}
	*out = s;
	return XY_OK;
}

void xy_store_close(xy_store *s)
{
	if (s)
		s->ops->close(s);
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

xy_code xy_store_begin(xy_store *s, bool bulk, xy_error *err)
{
	NEED(s, "no store");
	return s->ops->begin(s, bulk, err);
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

xy_code xy_store_load_registry(xy_store *s, xy_registry *reg, xy_error *err)
{
	NEED(s && reg, "no store or registry");
	return s->ops->load_registry(s, reg, err);
}

xy_code xy_store_subject_upsert(xy_store *s, xy_subject *subj, xy_error *err)
{
	NEED(s && subj, "no store or subject");
	NEED(memchr(subj->code, '\0', sizeof subj->code) && subj->code[0],
	     "subject without code");
	NEED(memchr(subj->name, '\0', sizeof subj->name), "subject name not terminated");
	NEED(memchr(subj->code_type, '\0', sizeof subj->code_type),
	     "subject code type not terminated");
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
			if ((nl == 9 || nl == 15 || nl == 18) && strspn(norm, "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ") == nl &&
			    (nl != len || memcmp(norm, q, nl) != 0)) {
				xy_code rc = s->ops->subject_find(s, norm, nl, limit, out, n, err);
				if (rc || *n)
					return rc;
			}
		}
	}
	return s->ops->subject_find(s, q, len, limit, out, n, err);
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
