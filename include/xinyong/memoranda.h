/* xinyong: 联合奖惩 memoranda loaded at run time (lib/credit/memoranda.c;
 * the shipped ones and the catalogue types are in sanctions.h). */
#ifndef XINYONG_MEMORANDA_H
#define XINYONG_MEMORANDA_H

#include "buf.h"
#include "credit.h"

/* ---- memoranda loaded at run time (docs/credit.md, "Memoranda") ---- */

/* The memorandum file at path as TSV text appended to out: a TSV file as it
 * is, an XLSX file's first visible sheet converted (one line per row, cells
 * tab-separated, line numbers = row numbers).  At most 4 MiB. */
xy_code xy_memorandum_file_text(const char *path, xy_buf *out, xy_error *err);

/* Load a memorandum file (TSV or XLSX in the shape of data/memoranda/NAME.tsv),
 * check it like the shipped ones (units, matters, list types, signatories,
 * numbers; a doc already loaded is an error) and store it, so that every
 * later xy_credit_open loads it and checks use its measures.  *out points
 * into c->cat.  The audit log gets "memorandum.load" of "memorandum:DOC" by
 * who ("cli:LOGIN", "user:NAME", "token:ID"; NULL: "library"), the detail
 * the file's name, the after digest that of the stored text, in the same
 * transaction.  On error (XY_ERR_CONFIG naming file, row and column) nothing
 * is stored and the catalogue is unchanged. */
xy_code xy_credit_memorandum_load(xy_credit *c, const char *who, const char *path,
				  const xy_memorandum **out, xy_error *err);
/* The same for a corrected version of a memorandum loaded before (its doc
 * stored in the database): checked the same way, it takes the place of the
 * stored one, whose text is kept as an earlier version; checks logged before
 * keep the answers they gave.  XY_ERR_NOTFOUND when no memorandum with that
 * doc is loaded, XY_ERR_CONFLICT when it ships with the configuration
 * (data/memoranda/: edit that file instead).  Audited as "memorandum.replace"
 * (before: the digest of the text it replaces).  On error nothing changes. */
xy_code xy_credit_memorandum_replace(xy_credit *c, const char *who, const char *path,
				     const xy_memorandum **out, xy_error *err);

#endif
