/* xinyong: memoranda loaded at run time (xinyong memorandum load).
 *
 * A memorandum file has the shape of data/memoranda/NAME.tsv (docs/sanctions.md)
 * as TSV or as an XLSX sheet (one line per row, one cell per column).  It is
 * checked against the registry and the catalogue exactly as the shipped ones
 * (xy_sanctions_load_memorandum_text) and stored as TSV text in the database,
 * so every later command (the check first) loads it with the configuration.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xinyong/auth.h"
#include "xinyong/credit.h"
#include "xinyong/memoranda.h"
#include "xinyong/reader.h"
#include "xinyong/tsv.h"
#include "internal.h"

#define NOMEM() xy_error_set(err, XY_ERR_NOMEM, "out of memory")
#define MEMO_MAX (4u << 20) /* as a configuration file */

/* An XLSX memorandum as TSV text: its first visible sheet, one line per row
 * and blank lines for the rows the reader skips, so that line numbers in
 * errors are the sheet's row numbers. */
static xy_code xlsx_text(const char *path, xy_buf *out, xy_error *err)
{
	xy_reader *rd = NULL;
	xy_reader_opts ro;
	const xy_row *row;
	const char *sheet = NULL;
	char *first = NULL;
	long line = 0;
	xy_code rc;
	memset(&ro, 0, sizeof ro);
	ro.format = XY_FMT_XLSX;
	ro.max_unzipped = 64u << 20;
	if ((rc = xy_reader_open(&rd, path, &ro, err)))
		return rc;
	xy_code brc = XY_OK;
	while (!(rc = xy_reader_next(rd, &row, err)) && row) {
		size_t n = row->ncells;
		sheet = row->sheet ? row->sheet : "";
		if (!first && !(first = strdup(sheet))) {
			rc = NOMEM();
			break;
		}
		if (strcmp(first, sheet))
			break; /* the memorandum is the first sheet */
		if (row->problem) {
			rc = xy_error_at(err, XY_ERR_CONFIG, path, row->line, NULL, "%s",
					 row->problem);
			break;
		}
		while (n && !row->lens[n - 1])
			n--;
		for (; line + 1 < row->line; line++)
			if ((brc = xy_buf_addstr(out, "\n")))
				goto nomem;
		for (size_t i = 0; i < n; i++) {
			if (memchr(row->cells[i], '\t', row->lens[i]) ||
			    memchr(row->cells[i], '\n', row->lens[i])) {
				rc = xy_error_at(err, XY_ERR_CONFIG, path, row->line, NULL,
						 "column %zu: a cell holds a tab or a line break", i + 1);
				goto out;
			}
			if ((i && (brc = xy_buf_addstr(out, "\t"))) ||
			    (brc = xy_buf_add(out, row->cells[i], row->lens[i])))
				goto nomem;
		}
		if ((brc = xy_buf_addstr(out, "\n")))
			goto nomem;
		line = row->line;
	}
	goto out;
nomem:
	rc = brc == XY_ERR_LIMIT ? xy_error_at(err, XY_ERR_CONFIG, path, 0, NULL,
					     "larger than %u bytes", MEMO_MAX)
				: NOMEM();
out:
	free(first);
	xy_reader_free(rd);
	return rc;
}

xy_code xy_memorandum_file_text(const char *path, xy_buf *out, xy_error *err)
{
	xy_format f;
	xy_tsv t;
	xy_code rc;
	out->limit = MEMO_MAX;
	if ((rc = xy_format_detect(path, &f, err)))
		return rc;
	if (f == XY_FMT_XLSX)
		return xlsx_text(path, out, err);
	if ((rc = xy_tsv_open(&t, path, MEMO_MAX, err)))
		return rc;
	/* xy_tsv splits nothing until asked: its text is the file */
	rc = xy_buf_addstr(out, t.text) ? NOMEM() : XY_OK;
	xy_tsv_close(&t);
	return rc;
}

/* The stored text of memorandum doc, replacing out's contents ("" when none). */
static int stored_text(void *ctx, const xy_stored_memo *m)
{
	void **w = ctx;
	if (strcmp(m->doc, w[0]))
		return 0;
	xy_buf_reset(w[1]);
	return xy_buf_addstr(w[1], m->text) ? -1 : 1;
}

/* Store text as memorandum doc (add, or replace the stored one) with its
 * audit entry ("memorandum.load" / "memorandum.replace" of "memorandum:DOC",
 * digests of the stored text before and after), in one transaction. */
static xy_code store_audited(xy_credit *c, const char *who, bool replace, const char *doc,
			     const char *path, const xy_buf *text, xy_error *err)
{
	xy_buf before = XY_BUF_INIT, object = XY_BUF_INIT;
	void *w[2] = { (void *)doc, &before };
	xy_code rc;
	if ((rc = xy_store_begin(c->store, false, err)))
		return rc;
	if (replace)
		rc = xy_store_memoranda(c->store, stored_text, w, err);
	if (!rc)
		rc = replace ? xy_store_memorandum_replace(c->store, doc, path, text->data, err)
			     : xy_store_memorandum_add(c->store, doc, path, text->data, err);
	if (!rc && xy_buf_addf(&object, "memorandum:%s", doc))
		rc = NOMEM();
	if (!rc) {
		const char *base = strrchr(path, '/');
		xy_audit_entry a = { .who = who && *who ? who : "library",
				     .action = replace ? "memorandum.replace" : "memorandum.load",
				     .object = object.data, .detail = base ? base + 1 : path,
				     .before = replace ? before.data : NULL,
				     .before_len = before.len, .after = text->data,
				     .after_len = text->len };
		rc = xy_audit_append(c->store, &a, NULL, err);
	}
	if (!rc)
		rc = xy_store_commit(c->store, err);
	if (rc)
		xy_store_rollback(c->store, NULL);
	xy_buf_release(&before);
	xy_buf_release(&object);
	return rc;
}

xy_code xy_credit_memorandum_load(xy_credit *c, const char *who, const char *path,
				  const xy_memorandum **out, xy_error *err)
{
	xy_buf text = XY_BUF_INIT;
	const xy_memorandum *m;
	char *doc = NULL;
	xy_code rc;
	size_t before = c->cat.nmemoranda;
	*out = NULL;
	if ((rc = xy_memorandum_file_text(path, &text, err)))
		goto done;
	if ((rc = xy_sanctions_load_memorandum_text(&c->cat, c->reg, path, text.data, text.len,
						    err)))
		goto done;
	m = &c->cat.memoranda[before];
	if (!(doc = strdup(m->doc))) {
		xy_sanctions_memorandum_remove(&c->cat, m->doc);
		rc = NOMEM();
		goto done;
	}
	if ((rc = store_audited(c, who, false, doc, path, &text, err))) {
		xy_sanctions_memorandum_remove(&c->cat, doc);
		goto done;
	}
	*out = xy_sanctions_memorandum(&c->cat, doc);
done:
	free(doc);
	xy_buf_release(&text);
	return rc;
}

xy_code xy_credit_memorandum_replace(xy_credit *c, const char *who, const char *path,
				     const xy_memorandum **out, xy_error *err)
{
	xy_buf text = XY_BUF_INIT;
	xy_memorandum old;
	xy_code rc;
	*out = NULL;
	if ((rc = xy_memorandum_file_text(path, &text, err)))
		goto done;
	if ((rc = xy_sanctions_replace_memorandum_text(&c->cat, c->reg, path, text.data, text.len,
						       &old, err)))
		goto done;
	rc = store_audited(c, who, true, old.doc, path, &text, err);
	if (rc == XY_ERR_NOTFOUND)
		rc = xy_error_at(err, XY_ERR_CONFLICT, path, 0, "doc",
				 "memorandum %s ships with the configuration (%s): edit that file "
				 "instead",
				 old.doc, old.file);
	if (rc) {
		xy_sanctions_memorandum_put_back(&c->cat, &old);
		goto done;
	}
	*out = xy_sanctions_memorandum(&c->cat, old.doc);
	xy_memorandum_release(&old);
done:
	xy_buf_release(&text);
	return rc;
}

/* ---- loading the stored ones (xy_credit_open) ---- */

typedef struct stored {
	xy_credit *c;
	xy_error *err;
	xy_code rc;
} stored;

static int load_one(void *ctx, const xy_stored_memo *m)
{
	stored *s = ctx;
	s->rc = xy_sanctions_load_memorandum_text(&s->c->cat, s->c->reg, m->file, m->text,
						  strlen(m->text), s->err);
	return s->rc != XY_OK;
}

xy_code xy__credit_load_stored_memoranda(xy_credit *c, xy_error *err)
{
	stored s = { c, err, XY_OK };
	xy_code rc = xy_store_memoranda(c->store, load_one, &s, err);
	return rc ? rc : s.rc;
}
