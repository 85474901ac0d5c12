/* xinyong: government dishonesty (政府失信, 政务诚信) — entries against
 * government bodies and their 治理 (remedy) status.
 *
 * An entry names the government body (a subject whose USCC starts with 1:
 * registered by 机构编制), the district it is counted under (a county or park
 * unit), the creditor, the amount (万元), the case type
 * (gov-dishonesty-types.tsv), the source document and the date it was
 * registered.  Its history goes 未治理 → 治理中 → 已治理, each step with a
 * date and its evidence; steps never go back and their dates never go back.
 * The status on a date is the last step on or before it.  The number of
 * entries not 已治理 per district at a period's end is the 政府失信未治理
 * column of the region table (tables.tsv: a `source` item).  docs/commitments.md.
 *
 * The functions borrow the store and the registry.  Strings passed in are
 * borrowed.
 */
#ifndef XINYONG_GOV_DISHONESTY_H
#define XINYONG_GOV_DISHONESTY_H

#include <stdbool.h>
#include <stdint.h>

#include "error.h"
#include "registry.h"
#include "store.h"

#define XY_GOV_UNGOVERNED "未治理"
#define XY_GOV_IN_PROGRESS "治理中"
#define XY_GOV_GOVERNED "已治理"

typedef struct xy_gov_dishonesty_in {
	const char *body;          /* USCC (1…) or exact name of the government body */
	const char *body_name;     /* registers the body when it is new; NULL: must exist */
	const char *district;      /* a county or park unit (units.tsv) */
	const char *creditor;      /* code or exact name; NULL: none */
	const char *creditor_name; /* registers the creditor when new */
	const char *case_type;     /* gov-dishonesty-types.tsv */
	const char *amount;        /* 万元, a decimal; NULL: not given */
	const char *source;        /* the source document (判决书文号 …), required */
	const char *date;          /* registered on; NULL = today */
	const char *note;
} xy_gov_dishonesty_in;

/* Register an entry (status 未治理 from its date).  config_dir (NULL: the
 * default configuration) holds gov-dishonesty-types.tsv.  Errors, nothing
 * written: unknown district or case type (XY_ERR_NOTFOUND), a body that is
 * not a government body or a bad amount or date (XY_ERR_INVALID), an unknown
 * subject without a name (XY_ERR_NOTFOUND), the same body and source twice
 * (XY_ERR_CONFLICT). */
xy_code xy_gov_dishonesty_add(xy_store *s, const xy_registry *reg, const char *config_dir,
		       const xy_gov_dishonesty_in *in, xy_gov_dishonesty_row *out, xy_error *err);

/* Move entry id to status (治理中 or 已治理, also in-progress / governed) on
 * date (NULL = today) with its evidence (required for 已治理).  Refused:
 * an unknown id (XY_ERR_NOTFOUND), a status that is not after the current
 * one, a date before the last step (XY_ERR_INVALID). */
xy_code xy_gov_dishonesty_update(xy_store *s, int64_t id, const char *status, const char *date,
			  const char *evidence, xy_error *err);

/* The status of entry id on date: 未治理 / 治理中 / 已治理, or "" when it
 * was registered after date.  out holds 16 bytes. */
xy_code xy_gov_dishonesty_status_on(xy_store *s, int64_t id, const char *date, char out[16],
			     xy_error *err);

/* Whether g counts as not yet remedied on date: registered on or before it
 * and not 已治理 on it. */
bool xy_gov_dishonesty_open_on(const xy_gov_dishonesty_row *g, const char *date);

/* Per district (unit id) the entries open on date; cb once per district
 * with n > 0. */
typedef int (*xy_unit_count_cb)(void *ctx, int64_t unit_id, long long n);
xy_code xy_gov_dishonesty_open_counts(xy_store *s, const char *date, xy_unit_count_cb cb, void *ctx,
			       xy_error *err);

#endif
