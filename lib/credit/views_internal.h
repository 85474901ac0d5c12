/* xinyong: helpers shared by the view files of lib/credit/ (not public API). */
#ifndef XINYONG_VIEWS_INTERNAL_H
#define XINYONG_VIEWS_INTERNAL_H

#include <stdbool.h>

#include <jansson.h>

#include "xinyong/views.h"

/* s as a JSON string, null when NULL or "". */
json_t *xy__opt_str(const char *s);
/* XY_ERR_NOMEM for a JSON value that could not be built. */
xy_code xy__view_nomem(xy_error *err);
/* The view's date: o->asof parsed, or today. */
xy_code xy__view_date(const xy_view_opts *o, char d[11], xy_error *err);

/* The disclosure rules (views.h): drop the NULL-terminated keys of o; the
 * code of s as the public sees it when public_view (a new JSON string, NULL
 * when out of memory); whether an entry of list_type with status st is shown
 * to the public (active, not a watch list); an entry's status on date. */
void xy__public_drop(json_t *o, const char *const *keys);
json_t *xy__subject_code(const xy_subject *s, bool public_view);
bool xy__entry_public(const xy_sanctions *cat, const char *list_type, xy_entry_status st);
xy_entry_status xy__entry_status(const xy_entry_row *e, const char *date);

/* A subject as a search item: {"code","code_type","kind","kind_zh","name",
 * "division","district"} (code in its public form when public_view). */
json_t *xy__subject_item(const xy_registry *reg, const xy_subject *s, bool public_view);
/* A keyset page's arguments: *after from pg->after (an id; 0 when none;
 * XY_ERR_ARG naming "after" when malformed), *limit from pg->limit (0: 20,
 * at most 100).  pg may be NULL. */
xy_code xy__page_args(const xy_view_page *pg, int64_t *after, size_t *limit, xy_error *err);

/* One commitment / government-dishonesty entry as its view (views.h) on
 * date, in the public form when public_view; NULL with err set on failure. */
json_t *xy__commitment_json(xy_commitments *cm, const xy_commitment_row *r, const char *date,
			    bool public_view, xy_error *err);
json_t *xy__gov_dishonesty_json(xy_store *s, const xy_gov_dishonesty_row *g, const char *date,
			 bool public_view, xy_error *err);

/* xy_record_display (repair.h) of a record whose data is already parsed
 * (data may be NULL): a profile parses each record once for both. */
xy_code xy__record_display_json(xy_repairs *r, int64_t record_id, const char *category,
				const json_t *data, const char *decided_on, const char *date,
				xy_display *out, xy_pub_window *w, xy_error *err);

#endif
