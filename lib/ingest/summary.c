/* The summary of an import batch as people and scripts see it: one builder
 * for `xinyong import`, `xinyong batches` and (later) the server, so they
 * cannot disagree.  See include/xinyong/ingest.h. */
#include <string.h>

#include "xinyong/ingest.h"
#include "xinyong/text.h"

typedef struct sum_ctx {
	const xy_registry *reg;
	const xy_batch *b;
	json_t *arr;
	long header_row; /* the first data sheet's header row */
	xy_code rc;
} sum_ctx;

/* Names and paths come from files and people: shown whatever their bytes. */
static json_t *str_or_null(const char *s)
{
	return s && *s ? xy_json_text(s, NULL) : json_null();
}

static int add_sheet(void *ctx, const xy_batch_sheet *sh)
{
	sum_ctx *x = ctx;
	json_t *o = json_pack("{s:o,s:o,s:I,s:o}", "sheet", str_or_null(sh->sheet), "header_row",
			      sh->header_row > 0 ? json_integer(sh->header_row) : json_null(),
			      "rows", (json_int_t)sh->rows, "skipped", str_or_null(sh->note));
	if (!o || json_array_append_new(x->arr, o)) {
		x->rc = XY_ERR_NOMEM;
		return 1;
	}
	if (!x->header_row && sh->header_row > 0)
		x->header_row = sh->header_row;
	return 0;
}

static int add_column(void *ctx, const xy_batch_column *c)
{
	sum_ctx *x = ctx;
	const xy_category *cat = xy_registry_category_by_id(x->reg, x->b->category_id);
	json_t *sug = json_null(), *o;
	if (c->suggestion) {
		const char *name = NULL;
		for (size_t i = 0; cat && i < cat->nfields && !name; i++)
			if (strcmp(cat->fields[i].code, c->suggestion) == 0)
				name = cat->fields[i].name;
		sug = json_pack("{s:s,s:o}", "code", c->suggestion, "name", str_or_null(name));
	}
	o = json_pack("{s:o,s:I,s:o,s:I,s:o}", "sheet", str_or_null(c->sheet), "column",
		      (json_int_t)c->col, "header", xy_json_text(c->header, NULL), "cells",
		      (json_int_t)c->cells,
		      "suggestion", sug);
	if (!o || json_array_append_new(x->arr, o)) {
		x->rc = XY_ERR_NOMEM;
		return 1;
	}
	return 0;
}

xy_code xy_batch_summary(xy_store *s, const xy_registry *reg, const xy_batch *b, json_t **out,
			 xy_error *err)
{
	sum_ctx x = { reg, b, NULL, 0, XY_OK };
	json_t *o, *sheets, *cols;
	xy_code rc;
	*out = NULL;
	bool bad_file = false, bad_report = false;
	o = json_pack("{s:o,s:s,s:o,s:o,s:o,s:s,s:s,s:s,s:o,s:o,s:I,s:I,s:I,s:I,s:I,s:I}",
		      "batch", b->id ? json_integer(b->id) : json_null(), "status",
		      b->status == XY_BATCH_REFUSED ? "refused" : "committed", "unit",
		      xy_json_text(b->unit, NULL), "category", xy_json_text(b->category, NULL),
		      "file", xy_json_text(b->file, &bad_file), "format", b->format, "encoding",
		      b->encoding, "reported_on", b->reported_on, "started_at",
		      str_or_null(b->started_at), "finished_at", str_or_null(b->finished_at),
		      "rows", (json_int_t)b->rows, "new", (json_int_t)b->added, "updated",
		      (json_int_t)b->updated, "unchanged", (json_int_t)b->unchanged, "rejected",
		      (json_int_t)b->rejected, "errors_stored", (json_int_t)b->errors_stored);
	if (!o)
		return xy_error_set(err, XY_ERR_INVALID,
				    "batch %lld: its summary cannot be built as JSON (a name is not "
				    "UTF-8?)", (long long)b->id);
	sheets = json_array();
	cols = json_array();
	if (!sheets || !cols ||
	    json_object_set_new(o, "error_report", b->error_report[0]
				? xy_json_text(b->error_report, &bad_report) : json_null()) ||
	    json_object_set_new(o, "message", str_or_null(b->message)) ||
	    ((bad_file || bad_report) && json_object_set_new(o, "file_not_utf8", json_true()))) {
		rc = xy_error_set(err, XY_ERR_NOMEM, "out of memory");
		goto fail;
	}
	if (b->id) {
		x.arr = sheets;
		if ((rc = xy_store_batch_sheets(s, b->id, add_sheet, &x, err)))
			goto fail;
		x.arr = cols;
		if (!x.rc && (rc = xy_store_batch_columns(s, b->id, add_column, &x, err)))
			goto fail;
		if ((rc = x.rc)) {
			xy_error_set(err, rc, "out of memory");
			goto fail;
		}
	}
	if (json_object_set_new(o, "header_row",
				x.header_row ? json_integer(x.header_row) : json_null()) ||
	    json_object_set_new(o, "sheets", sheets) ||
	    json_object_set_new(o, "unmapped_columns", cols)) {
		sheets = cols = NULL;
		json_decref(o);
		return xy_error_set(err, XY_ERR_NOMEM, "out of memory");
	}
	*out = o;
	return XY_OK;
fail:
	json_decref(sheets);
	json_decref(cols);
	json_decref(o);
	return rc;
}
