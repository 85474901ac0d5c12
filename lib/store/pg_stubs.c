/* xinyong: PostgreSQL backend, operations not written yet: XY_ERR_UNSUPPORTED naming the
 * operation, never a silent no-op (pg_int.h). */
#include "pg_int.h"

/* ---- not implemented yet: XY_ERR_UNSUPPORTED, naming the operation ---- */

static xy_code pg_report_insert(xy_store *s, const xy_report_row *r, xy_error *err)
{
	(void)s; (void)r;
	return unsupported(err, "report_insert");
}

static xy_code pg_report_get(xy_store *s, const char *number, xy_report_row *out, xy_error *err)
{
	(void)s; (void)number; (void)out;
	return unsupported(err, "report_get");
}

static xy_code pg_report_last_seq(xy_store *s, const char *day, int64_t *seq, xy_error *err)
{
	(void)s; (void)day; (void)seq;
	return unsupported(err, "report_last_seq");
}

static xy_code pg_report_mac(xy_store *s, const void *data, size_t n, unsigned char out[32], xy_error *err)
{
	(void)s; (void)data; (void)n; (void)out;
	return unsupported(err, "report_mac");
}

static xy_code pg_apps_insert(xy_store *s, xy_application_row *a, xy_error *err)
{
	(void)s; (void)a;
	return unsupported(err, "apps_insert");
}

static xy_code pg_apps_get(xy_store *s, const char *receipt, int64_t case_id, xy_application_row *out, xy_error *err)
{
	(void)s; (void)receipt; (void)case_id; (void)out;
	return unsupported(err, "apps_get");
}

static xy_code pg_apps_last_seq(xy_store *s, const char *day, int64_t *seq, xy_error *err)
{
	(void)s; (void)day; (void)seq;
	return unsupported(err, "apps_last_seq");
}

static xy_code pg_apps_attachment_insert(xy_store *s, const xy_attachment_row *a, xy_error *err)
{
	(void)s; (void)a;
	return unsupported(err, "apps_attachment_insert");
}

static xy_code pg_apps_attachments(xy_store *s, int64_t application_id, xy_attachment_cb cb, void *ctx, xy_error *err)
{
	(void)s; (void)application_id; (void)cb; (void)ctx;
	return unsupported(err, "apps_attachments");
}

static xy_code pg_units_insert(xy_store *s, xy_unit *u, xy_error *err)
{
	(void)s; (void)u;
	return unsupported(err, "units_insert");
}

static xy_code pg_units_rename(xy_store *s, int64_t id, const char *name, const char *at, xy_error *err)
{
	(void)s; (void)id; (void)name; (void)at;
	return unsupported(err, "units_rename");
}

xy_code xy__pg_rekey(xy_store *s, xy_rekey_fn progress, void *ctx, xy_error *err)
{
	(void)s; (void)progress; (void)ctx;
	return unsupported(err, "rekey");
}

xy_code xy__pg_index_put(xy_store *s, const xy_city_index *v, xy_error *err)
{
	(void)s; (void)v;
	return unsupported(err, "index_put");
}

xy_code xy__pg_index_list(xy_store *s, xy_city_index **out, size_t *n, xy_error *err)
{
	(void)s; (void)out; (void)n;
	return unsupported(err, "index_list");
}

xy_code xy__pg_quality_records(xy_store *s, const char *from, const char *to, int64_t unit_id, const int64_t *data_categories, size_t ndata, xy_quality_record_cb cb, void *ctx, xy_error *err)
{
	(void)s; (void)from; (void)to; (void)unit_id; (void)data_categories; (void)ndata; (void)cb; (void)ctx;
	return unsupported(err, "quality_records");
}

xy_code xy__pg_quality_batches(xy_store *s, const char *from, const char *to, int64_t unit_id, xy_quality_batches_cb cb, void *ctx, xy_error *err)
{
	(void)s; (void)from; (void)to; (void)unit_id; (void)cb; (void)ctx;
	return unsupported(err, "quality_batches");
}

xy_code xy__pg_quality_reasons(xy_store *s, const char *from, const char *to, int64_t unit_id, xy_reason_count_cb cb, void *ctx, xy_error *err)
{
	(void)s; (void)from; (void)to; (void)unit_id; (void)cb; (void)ctx;
	return unsupported(err, "quality_reasons");
}

xy_code xy__pg_quality_columns(xy_store *s, const char *from, const char *to, int64_t unit_id, xy_column_seen_cb cb, void *ctx, xy_error *err)
{
	(void)s; (void)from; (void)to; (void)unit_id; (void)cb; (void)ctx;
	return unsupported(err, "quality_columns");
}

const struct xy__store_report_ops xy__pg_report_ops = {
	.insert = pg_report_insert,
	.get = pg_report_get,
	.last_seq = pg_report_last_seq,
	.mac = pg_report_mac,
};

const struct xy__store_apps_ops xy__pg_apps_ops = {
	.insert = pg_apps_insert,
	.get = pg_apps_get,
	.last_seq = pg_apps_last_seq,
	.attachment_insert = pg_apps_attachment_insert,
	.attachments = pg_apps_attachments,
};

const struct xy__store_units_ops xy__pg_units_ops = {
	.insert = pg_units_insert,
	.rename = pg_units_rename,
};
