/* xinyong: the subject's public credit report (公共信用信息报告) — the PDF an
 * enterprise downloads from the city credit site, and its verification by the
 * bank or tender office that receives it (docs/credit-report.md).
 *
 * The report is built from the subject's PUBLIC profile (xy_view_profile
 * with public_view: the disclosure rules exist there once) into a report
 * model (a JSON value: identity and every section, empty or not), then
 * rendered to A4 PDF with cairo + pango.  Issuing one is a state change: the
 * library assigns its number (XY + YYYYMMDD + a six-digit sequence of the
 * day), derives its verification code, stores the SHA-256 of the PDF's bytes
 * and writes an audit entry, in one transaction.
 *
 * The verification code is the first 16 base32 characters of a keyed
 * BLAKE2b (xy_store_report_mac: a key derived from the database's key file)
 * of the number and the SHA-256 of the report model: nobody without that
 * file can make a code the server would accept.  It is printed on every
 * page's footer, so it cannot cover the PDF's own bytes; the bytes are
 * covered by the stored digest instead.
 *
 * Ownership: inputs are borrowed; *out values are the caller's reference
 * (json_decref); buffers are appended to.
 */
#ifndef XINYONG_CREDIT_REPORT_H
#define XINYONG_CREDIT_REPORT_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "buf.h"
#include "credit.h"
#include "error.h"
#include "store.h"

#define XY_REPORT_CODE_LEN 16          /* base32 characters of a verification code */
#define XY_REPORT_PDF_MAX (16u << 20)  /* bytes of a PDF presented for verification */

/* Whether s is a report number as the library makes them (XY + 14 digits). */
bool xy_credit_report_number_ok(const char *s);

/* The report model of a public profile (profile: xy_view_profile's value
 * with public_view; a profile of the office's view — it has "cases" — is
 * XY_ERR_ARG):
 *   {"title":"公共信用信息报告","number","generated_at","data_as_of",
 *    "office","verify_url",
 *    "subject":{"name","code","code_label","kind_zh"},
 *    "sections":[{"title","columns":[…],"rows":[[…],…]}]}
 * Sections, each present even when it has no rows: 基础信息, 行政许可,
 * 行政处罚, 其他公示信息, 红名单, 黑名单, 联合奖惩备忘录 (the memoranda of
 * the catalogue that apply to the subject's active list entries), 信用承诺,
 * 政府失信.  A record's row holds its key fields (every field but the
 * subject's identity, by the registry's field names) and its publication
 * status.  verify_url is site + "/api/v1/reports/NUMBER/verify" ("" without
 * a site). */
xy_code xy_credit_report_model(const xy_credit *c, json_t *profile, const char *number,
			       const char *generated_at, const char *office, const char *site,
			       json_t **out, xy_error *err);

/* The PDF of model (xy_credit_report_model) with code on every page's
 * footer, appended to pdf.  Deterministic: the same model and code give the
 * same bytes (the PDF's dates are the model's generated_at). */
xy_code xy_credit_report_pdf(json_t *model, const char *code, xy_buf *pdf, xy_error *err);

/* The verification code of model on store s (its key), 16 base32
 * characters and a NUL into code. */
xy_code xy_credit_report_code(xy_store *s, json_t *model, char code[XY_REPORT_CODE_LEN + 1],
			      xy_error *err);

typedef struct xy_credit_report_opts {
	const char *who;        /* who asked: a principal ("user:NAME", "cli:LOGIN");
				   NULL or "": "public" */
	const char *config_dir; /* bulletin.tsv: the office's name and site; NULL: default */
	int64_t now;            /* Unix time of generation; 0: the clock */
} xy_credit_report_opts;

/* Issue the report of profile (a public profile, as for the model): number,
 * model, code, PDF (appended to pdf), stored and audit-logged ("report.issue"
 * of "report:NUMBER") in one transaction.  *out:
 *   {"number","code","subject":{"name","code"},"generated_at","data_as_of",
 *    "sha256","bytes"}
 * (code as printed, XXXX-XXXX-XXXX-XXXX). */
xy_code xy_credit_report_issue(xy_credit *c, json_t *profile, const xy_credit_report_opts *o,
			       xy_buf *pdf, json_t **out, xy_error *err);

/* Verify report number by its bytes (pdf, len; code NULL) or by its code
 * (pdf NULL; dashes, spaces and case ignored).  XY_OK with *out:
 *   {"number","status":"genuine"|"altered"|"unknown","method":"pdf"|"code",
 *    "message", ("sha256": the presented bytes' digest),
 *    ("report":{"number","subject":{"name","code"},"generated_at",
 *               "data_as_of","sha256"})}
 * "report" only when genuine (the asker holds the report or its code: never
 * more than the report printed).  altered: the number was issued, the bytes
 * differ.  unknown: no such number, or (by code) the pair was not issued.
 * XY_ERR_ARG for a malformed number or code, or both or neither of pdf and
 * code; XY_ERR_LIMIT for more than XY_REPORT_PDF_MAX bytes. */
xy_code xy_credit_report_verify(xy_store *s, const char *number, const void *pdf, size_t len,
				const char *code, json_t **out, xy_error *err);

#endif
