/* xinyong: online 信用修复 / 异议 applications from the public
 * (docs/repair.md, "Online applications").
 *
 * An application files a repair or objection case through xy_repair_apply /
 * xy_objection_add (every rule of repair.h applies) and keeps beside it a
 * receipt number, a hash of a secret and the applicant's contact, with up to
 * XY_APP_MAX_FILES attachments.  The receipt (XF 修复 / YY 异议 + YYYYMMDD +
 * a 6-digit sequence of the day) is guessable; the secret (random, shown once
 * in the submit answer, stored only as a hash) is what the status needs:
 * without it the status answers exactly as for an unknown receipt.
 *
 * Attachments are files (PDF, JPEG or PNG told by their first bytes, never by
 * a name or a client's type) stored content-addressed — the file's name is
 * its SHA-256 in hex — in an attachments directory (`attachments/` beside the
 * database by default).  They are written and fsynced inside the
 * transaction, before it commits: a file left by a transaction that then
 * failed is an orphan no row names, never served, and harmless (the next
 * application with the same bytes reuses it); orphans are left in place.
 *
 * Ownership: strings passed in are borrowed; a json_t ** out parameter is
 * the caller's (json_decref).
 */
#ifndef XINYONG_APPLICATIONS_H
#define XINYONG_APPLICATIONS_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "buf.h"
#include "error.h"
#include "repair.h"
#include "store.h"

#define XY_APP_MAX_FILES 5
#define XY_APP_MAX_FILE (10u * 1024 * 1024)  /* bytes of one attachment */
#define XY_APP_MAX_TOTAL (20u * 1024 * 1024) /* bytes of all of them */
#define XY_APP_MAX_NAME 100     /* characters of the applicant's name */
#define XY_APP_MAX_CONTACT 100  /* bytes of a phone number or e-mail address */
#define XY_APP_MAX_TEXT 5000    /* characters of the reason, the commitment */
#define XY_APP_MAX_EVIDENCE 20  /* evidence items (each at most XY_APP_MAX_ITEM) */
#define XY_APP_MAX_ITEM 500
#define XY_APP_MAX_FILENAME 200 /* bytes of an attachment's name */

/* One attachment: the name the applicant gave it and where its bytes are. */
typedef struct xy_app_file {
	const char *name; /* shown to staff and used as the download name */
	const char *path; /* a spool file, a CLI argument */
} xy_app_file;

typedef struct xy_application_in {
	const char *kind;       /* "repair" or "objection" */
	int64_t record;         /* records.id (the public profile and feeds show it) */
	const char *subject;    /* the record's subject's FULL code: USCC or 身份证号 */
	const char *applicant;  /* the applicant's name; required */
	const char *contact;    /* phone number or e-mail address; required */
	const char *reason;     /* required */
	const char *commitment; /* repair: 信用修复承诺, required */
	const char *const *evidence; /* repair: at least one item */
	size_t nevidence;
	const xy_app_file *files;
	size_t nfiles;
	const char *date;       /* NULL or "": today (XINYONG_TODAY) */
	int64_t now;            /* filed_at (Unix seconds); 0: the clock */
} xy_application_in;

typedef struct xy_application_opts {
	const char *attachments_dir; /* required */
	const char *who;             /* the audit entry's who; NULL: "public" */
} xy_application_opts;

/* Validate in and file it in one transaction: the case, the application,
 * its attachments and an audit entry ("application.submit", object
 * "application:RECEIPT"); on error nothing is stored.  *out is
 * {"receipt","secret","kind","filed_on","due"}.  Errors: XY_ERR_ARG /
 * XY_ERR_INVALID naming the field; an attachment not PDF/JPEG/PNG
 * XY_ERR_FORMAT naming the file; too many or too large files XY_ERR_LIMIT;
 * the rules of xy_repair_apply / xy_objection_add as they report them.  A
 * record that does not exist and a subject that is not the record's get the
 * same answer, which names neither. */
xy_code xy_application_submit(xy_repairs *r, const xy_application_in *in,
			      const xy_application_opts *o, json_t **out, xy_error *err);

/* The public status of an application as of date (NULL: today):
 * {"receipt","kind","filed_on","step","status_zh","open","due","overdue",
 *  "record":{"id","category","key"},"history":[{"on","action"}],
 *  "attachments":N}.  An unknown receipt and a wrong secret both give
 * XY_ERR_NOTFOUND with the same message. */
xy_code xy_application_status(xy_repairs *r, const char *receipt, const char *secret,
			      const char *date, json_t **out, xy_error *err);

/* The staff view's "application" member of case case_id (xy_case_json):
 * {"receipt","contact","attachments":[{"n","name","type","size","sha256"}]};
 * *out NULL when the case was not filed online. */
xy_code xy_application_of_case(xy_store *s, int64_t case_id, json_t **out, xy_error *err);

/* Attachment n of case case_id's application: its row (*out, the caller
 * releases it) and the path of its file under dir (appended to path).
 * XY_ERR_NOTFOUND when there is none. */
xy_code xy_application_attachment(xy_store *s, const char *dir, int64_t case_id, int64_t n,
				  xy_attachment_row *out, xy_buf *path, xy_error *err);

/* The default attachments directory of the database at db: "attachments"
 * beside it (appended to out). */
xy_code xy_application_dir(const char *db, xy_buf *out, xy_error *err);

#endif
