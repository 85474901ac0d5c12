/* xinyong: government dishonesty (政府失信) entries and their 治理 status. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xinyong/codes.h"
#include "xinyong/credit.h"
#include "xinyong/date.h"
#include "xinyong/gov_dishonesty.h"
#include "xinyong/tsv.h"
#include "internal.h"

#define TYPES_FILE "gov-dishonesty-types.tsv"

/* The statuses in their only order. */
static const char *const statuses[] = { XY_GOV_UNGOVERNED, XY_GOV_IN_PROGRESS, XY_GOV_GOVERNED };

static int status_rank(const char *s)
{
	static const char *const en[] = { "ungoverned", "in-progress", "governed" };
	for (int i = 0; s && i < 3; i++)
		if (!strcmp(s, statuses[i]) || !strcmp(s, en[i]))
			return i;
	return -1;
}

/* Whether name is a case type of dir/gov-dishonesty-types.tsv; *known lists
 * them for the error message. */
static xy_code case_type_known(const char *dir, const char *name, xy_buf *known, bool *found,
			       xy_error *err)
{
	xy_tsv t;
	char path[1024];
	static const char *const hdr[] = { "name" };
	xy_code rc;
	*found = false;
	snprintf(path, sizeof path, "%s/%s", dir ? dir : xy_registry_default_dir(), TYPES_FILE);
	if ((rc = xy_tsv_open(&t, path, 1u << 20, err)))
		return rc;
	rc = xy_tsv_header(&t, hdr, 1, err);
	while (!rc && xy_tsv_next(&t)) {
		const char *n = xy_tsv_col(&t, 0);
		if (!strcmp(n, name))
			*found = true;
		if (known->len)
			xy_buf_addstr(known, "、");
		xy_buf_addstr(known, n);
	}
	xy_tsv_close(&t);
	return rc;
}

/* A decimal amount (万元): digits, at most one point, up to 6 decimals. */
static bool amount_ok(const char *a)
{
	size_t digits = 0, decimals = 0;
	bool point = false;
	for (const char *p = a; *p; p++) {
		if (*p == '.' && !point && digits) {
			point = true;
		} else if (*p >= '0' && *p <= '9') {
			if (point)
				decimals++;
			else
				digits++;
		} else {
			return false;
		}
	}
	return digits && digits <= 12 && (!point || (decimals && decimals <= 6));
}

/* xy_credit_subject_or_new only needs the store: no catalogue for this lookup */
static xy_code find_subject(xy_store *s, const xy_registry *reg, const char *q,
			    const char *name, const char *field, xy_subject *out, bool *fresh,
			    xy_error *err)
{
	xy_credit c = { .store = s, .reg = reg };
	return xy_credit_subject_or_new(&c, q, name, field, out, fresh, err);
}

xy_code xy_gov_dishonesty_add(xy_store *s, const xy_registry *reg, const char *config_dir,
		       const xy_gov_dishonesty_in *in, xy_gov_dishonesty_row *out, xy_error *err)
{
	const xy_unit *u;
	XY_SUBJECT_AUTO(body);
	XY_SUBJECT_AUTO(creditor);
	bool body_new = false, cred_new = false, found;
	xy_buf known = XY_BUF_INIT;
	char d[11];
	xy_code rc;

	memset(out, 0, sizeof *out);
	if ((rc = xy__credit_unit(reg, in->district, "district", &u, err)))
		return rc;
	if (u->kind != XY_UNIT_COUNTY && u->kind != XY_UNIT_PARK)
		return xy_error_at(err, XY_ERR_INVALID, NULL, 0, "district",
				   "%s is not a county or park (县（市）区、园区): entries are counted "
				   "by district", u->name);
	if (!in->case_type || !*in->case_type)
		return xy_error_at(err, XY_ERR_ARG, NULL, 0, "case-type", "no case type given");
	if ((rc = case_type_known(config_dir, in->case_type, &known, &found, err)))
		goto out;
	if (!found) {
		rc = xy_error_at(err, XY_ERR_NOTFOUND, NULL, 0, "case-type",
				 "unknown case type '%s' (%s: %s)", in->case_type, TYPES_FILE,
				 known.data ? known.data : "");
		goto out;
	}
	if (!in->source || !*in->source) {
		rc = xy_error_at(err, XY_ERR_ARG, NULL, 0, "source",
				 "no source document (e.g. the judgment's 文书号)");
		goto out;
	}
	if (in->amount && *in->amount && !amount_ok(in->amount)) {
		rc = xy_error_at(err, XY_ERR_INVALID, NULL, 0, "amount",
				 "'%s' is not an amount in 万元 (e.g. 125.5)", in->amount);
		goto out;
	}
	if ((rc = xy__credit_date(in->date, d, "date", err)))
		goto out;
	if ((rc = find_subject(s, reg, in->body, in->body_name, "body", &body, &body_new, err)))
		goto out;
	/* GB 32100: registering authority 1 = 机构编制 (机关, 事业单位, 群团) */
	if (strcmp(body.code_type, "uscc") || body.code[0] != '1') {
		rc = xy_error_at(err, XY_ERR_INVALID, NULL, 0, "body",
				 "%s (%s) is not a government body: its 统一社会信用代码 must start "
				 "with 1 (机构编制登记)",
				 body.code, body.name);
		goto out;
	}
	memset(&creditor, 0, sizeof creditor);
	if (in->creditor && *in->creditor &&
	    (rc = find_subject(s, reg, in->creditor, in->creditor_name, "creditor", &creditor,
			       &cred_new, err)))
		goto out;

	out->unit_id = u->id;
	memcpy(out->registered_on, d, sizeof d);
	/* borrowed until xy_store_gov_dishonesty_get below fills *out with its own */
	out->case_type = in->case_type;
	out->amount = in->amount ? in->amount : "";
	out->source = in->source;
	out->note = in->note ? in->note : "";

	if ((rc = xy_store_begin(s, false, err)))
		goto out;
	if (body_new)
		rc = xy_store_subject_upsert(s, &body, err);
	if (!rc && cred_new)
		rc = xy_store_subject_upsert(s, &creditor, err);
	out->body_id = body.id;
	out->creditor_id = creditor.id;
	if (!rc)
		rc = xy_store_gov_dishonesty_insert(s, out, err);
	/* the first line of its history: not governed, from the day it was registered */
	if (!rc)
		rc = xy_store_gov_dishonesty_status_add(s, out->id, XY_GOV_UNGOVERNED,
							out->registered_on, NULL, err);
	if (!rc)
		rc = xy_store_commit(s, err);
	if (rc) {
		xy_store_rollback(s, NULL);
		goto out;
	}
	rc = xy_store_gov_dishonesty_get(s, out->id, out, err);
out:
	xy_buf_release(&known);
	return rc;
}

xy_code xy_gov_dishonesty_update(xy_store *s, int64_t id, const char *status, const char *date,
			  const char *evidence, xy_error *err)
{
	xy_gov_dishonesty_row *g;
	char d[11];
	int want = status_rank(status), have;
	xy_code rc;

	if (want < 0)
		return xy_error_at(err, XY_ERR_INVALID, NULL, 0, "status",
				   "status must be 治理中 or 已治理, not '%s'", status ? status : "");
	if ((rc = xy__credit_date(date, d, "date", err)))
		return rc;
	if (want == 2 && (!evidence || !*evidence))
		return xy_error_at(err, XY_ERR_ARG, NULL, 0, "evidence",
				   "已治理 needs its evidence (e.g. the payment voucher)");
	if (!(g = calloc(1, sizeof *g)))
		return xy_error_set(err, XY_ERR_NOMEM, "out of memory");
	if ((rc = xy_store_gov_dishonesty_get(s, id, g, err)))
		goto out;
	have = status_rank(g->status);
	if (want <= have) {
		rc = xy_error_at(err, XY_ERR_INVALID, NULL, 0, "status",
				 "entry %lld is %s since %s: the status only goes 未治理 → 治理中 → "
				 "已治理, not back to or again to %s",
				 (long long)id, g->status, g->status_on, statuses[want]);
		goto out;
	}
	if (strcmp(d, g->status_on) < 0) {
		rc = xy_error_at(err, XY_ERR_INVALID, NULL, 0, "date",
				 "%s is before the last step (%s on %s)", d, g->status, g->status_on);
		goto out;
	}
	rc = xy_store_gov_dishonesty_status_add(s, id, statuses[want], d, evidence, err);
out:
	xy_gov_dishonesty_row_release(g);
	free(g);
	return rc;
}

struct status_at {
	const char *date;
	char *out;
};

static int status_cb(void *ctx, const xy_gov_dishonesty_event *ev)
{
	struct status_at *a = ctx;
	/* steps are stored in date order (xy_gov_dishonesty_update refuses going back) */
	if (strcmp(ev->on, a->date) <= 0)
		snprintf(a->out, 16, "%s", ev->status);
	return 0;
}

xy_code xy_gov_dishonesty_status_on(xy_store *s, int64_t id, const char *date, char out[16],
			     xy_error *err)
{
	xy_gov_dishonesty_row *g;
	char d[11];
	struct status_at a = { d, out };
	xy_code rc;
	out[0] = '\0';
	if ((rc = xy__credit_date(date, d, "date", err)))
		return rc;
	if (!(g = calloc(1, sizeof *g)))
		return xy_error_set(err, XY_ERR_NOMEM, "out of memory");
	rc = xy_store_gov_dishonesty_get(s, id, g, err);
	xy_gov_dishonesty_row_release(g);
	free(g);
	if (rc)
		return rc;
	return xy_store_gov_dishonesty_history(s, id, status_cb, &a, err);
}

bool xy_gov_dishonesty_open_on(const xy_gov_dishonesty_row *g, const char *date)
{
	if (strcmp(g->registered_on, date) > 0)
		return false;
	return !g->governed_on[0] || strcmp(g->governed_on, date) > 0;
}

/* Counting: per unit, in a small array (a city has tens of districts). */
struct counts {
	const char *date;
	int64_t *unit;
	long long *n;
	size_t len, cap;
	bool nomem;
};

static int count_cb(void *ctx, const xy_gov_dishonesty_row *g)
{
	struct counts *c = ctx;
	size_t i;
	if (!xy_gov_dishonesty_open_on(g, c->date))
		return 0;
	for (i = 0; i < c->len && c->unit[i] != g->unit_id; i++)
		;
	if (i == c->len) {
		if (c->len == c->cap) {
			size_t cap = c->cap ? c->cap * 2 : 16;
			int64_t *u = realloc(c->unit, cap * sizeof *u);
			long long *n;
			if (u)
				c->unit = u;
			n = u ? realloc(c->n, cap * sizeof *n) : NULL;
			if (!n) {
				c->nomem = true;
				return 1;
			}
			c->n = n;
			c->cap = cap;
		}
		c->unit[c->len] = g->unit_id;
		c->n[c->len++] = 0;
	}
	c->n[i]++;
	return 0;
}

xy_code xy_gov_dishonesty_open_counts(xy_store *s, const char *date, xy_unit_count_cb cb, void *ctx,
			       xy_error *err)
{
	struct counts c;
	char d[11];
	xy_code rc;
	if (!date || xy_date_parse(date, d))
		return xy_error_at(err, XY_ERR_INVALID, NULL, 0, "date", "'%s' is not a date",
				   date ? date : "");
	memset(&c, 0, sizeof c);
	c.date = d;
	rc = xy_store_gov_dishonesties(s, 0, count_cb, &c, err);
	if (!rc && c.nomem)
		rc = xy_error_set(err, XY_ERR_NOMEM, "out of memory");
	for (size_t i = 0; !rc && i < c.len; i++)
		if (cb(ctx, c.unit[i], c.n[i]))
			break;
	free(c.unit);
	free(c.n);
	return rc;
}
