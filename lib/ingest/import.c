/* Importing one file as one atomic batch.  See include/xinyong/ingest.h. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <sodium.h>

#include "xinyong/codes.h"
#include "xinyong/date.h"
#include "xinyong/ingest.h"

#define MAX_WARNINGS 20

typedef struct row_error {
	long col;          /* column index, -1 = whole row */
	char column[128];  /* header text */
	xy_reason why;
} row_error;

typedef struct imp {
	xy_store *s;
	const xy_registry *reg;
	const xy_category *cat;
	const xy_import_opts *o;
	const char *path;
	xy_batch *b;
	char today[11];

	/* current header */
	char **hdr;
	size_t nhdr;
	int *colfield;   /* per column: field index, -1 ignored */
	int *fieldcol;   /* per field: column index, -1 absent */
	int role[XY_ROLE_DATE + 1]; /* field index of each role, -1 none */
	bool hdr_pending; /* report writer has not seen this header yet */

	xy_buf *vals;    /* per field: normalised value of the current row */
	xy_buf data, key, cell;
	row_error *errs;
	size_t nerrs, caperrs;

	xy_writer *w;
	xy_format fmt;
	xy_encoding enc;
	char tmp_report[1024];
	char report[sizeof ((xy_batch *)0)->error_report];

	long warnings;
} imp;

static void warn(imp *m, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void warn(imp *m, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;
	if (!m->o->warn)
		return;
	if (++m->warnings > MAX_WARNINGS)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	m->o->warn(m->o->warn_ctx, msg);
}

static void now_iso(char out[32])
{
	time_t t = time(NULL);
	struct tm tm;
	gmtime_r(&t, &tm);
	strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

static xy_code mkdir_p(const char *dir, xy_error *err)
{
	char tmp[1024];
	size_t n = (size_t)snprintf(tmp, sizeof tmp, "%s", dir);
	if (n >= sizeof tmp)
		return xy_error_set(err, XY_ERR_ARG, "directory name too long: %s", dir);
	for (char *p = tmp + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(tmp, 0777) && errno != EEXIST)
			return xy_error_at(err, XY_ERR_IO, tmp, 0, NULL, "cannot create directory: %s",
					   strerror(errno));
		*p = '/';
	}
	if (mkdir(tmp, 0777) && errno != EEXIST)
		return xy_error_at(err, XY_ERR_IO, tmp, 0, NULL, "cannot create directory: %s",
				   strerror(errno));
	return XY_OK;
}

static void free_header(imp *m)
{
	for (size_t i = 0; i < m->nhdr; i++)
		free(m->hdr[i]);
	free(m->hdr);
	free(m->colfield);
	m->hdr = NULL;
	m->colfield = NULL;
	m->nhdr = 0;
}

/* A header row: map every column to a field.  Unknown columns are ignored
 * with a warning; a field named by two columns, or a required field named by
 * none, refuses the file. */
static xy_code map_header(imp *m, const xy_row *row, xy_error *err)
{
	const xy_category *cat = m->cat;
	size_t matched = 0;
	xy_buf missing = XY_BUF_INIT;
	free_header(m);
	m->hdr = calloc(row->ncells ? row->ncells : 1, sizeof *m->hdr);
	m->colfield = calloc(row->ncells ? row->ncells : 1, sizeof *m->colfield);
	if (!m->hdr || !m->colfield)
		return xy_error_set(err, XY_ERR_NOMEM, "out of memory");
	m->nhdr = row->ncells;
	for (size_t f = 0; f < cat->nfields; f++)
		m->fieldcol[f] = -1;
	for (size_t i = 0; i < row->ncells; i++) {
		int f;
		if (!(m->hdr[i] = strdup(row->cells[i])))
			return xy_error_set(err, XY_ERR_NOMEM, "out of memory");
		m->colfield[i] = -1;
		if (xy__is_report_column(row->cells[i]))
			continue;
		f = xy_category_match_header(cat, row->cells[i]);
		if (f < 0) {
			if (row->cells[i][0])
				warn(m, "%s:%ld: column %zu '%s' is not a field of %s; ignored",
				     m->path, row->line, i + 1, row->cells[i], cat->name);
			continue;
		}
		if (m->fieldcol[f] >= 0)
			return xy_error_at(err, XY_ERR_FORMAT, m->path, row->line, row->cells[i],
					   "columns %d ('%s') and %zu ('%s') both name field %s %s; "
					   "remove one (第%d列与第%zu列重复)",
					   m->fieldcol[f] + 1, row->cells[m->fieldcol[f]], i + 1,
					   row->cells[i], cat->fields[f].code, cat->fields[f].name,
					   m->fieldcol[f] + 1, i + 1);
		m->fieldcol[f] = (int)i;
		m->colfield[i] = f;
		matched++;
	}
	if (!matched)
		return xy_error_at(err, XY_ERR_FORMAT, m->path, row->line, NULL,
				   "no column of the header is a field of %s: is this a %s file? "
				   "(表头中没有%s的字段)", cat->name, cat->name, cat->name);
	for (size_t f = 0; f < cat->nfields; f++)
		if (cat->fields[f].required && m->fieldcol[f] < 0)
			xy_buf_addf(&missing, "%s%s (%s)", missing.len ? ", " : "",
				    cat->fields[f].name, cat->fields[f].code);
	if (missing.len) {
		xy_code rc = xy_error_at(err, XY_ERR_FORMAT, m->path, row->line, NULL,
					 "required columns missing: %s (缺少必填列)", missing.data);
		xy_buf_release(&missing);
		return rc;
	}
	m->hdr_pending = true;
	return XY_OK;
}

static xy_code add_error(imp *m, long col, const char *column, const char *en, const char *zh)
{
	row_error *e;
	if (m->nerrs == m->caperrs) {
		size_t cap = m->caperrs ? m->caperrs * 2 : 8;
		row_error *v = realloc(m->errs, cap * sizeof *v);
		if (!v)
			return XY_ERR_NOMEM;
		m->errs = v;
		m->caperrs = cap;
	}
	e = &m->errs[m->nerrs++];
	e->col = col;
	snprintf(e->column, sizeof e->column, "%s", column ? column : "");
	snprintf(e->why.en, sizeof e->why.en, "%s", en);
	snprintf(e->why.zh, sizeof e->why.zh, "%s", zh);
	return XY_OK;
}

static const char *field_column(imp *m, int f)
{
	return m->fieldcol[f] >= 0 ? m->hdr[m->fieldcol[f]] : m->cat->fields[f].name;
}

static const char *val(imp *m, xy_field_role r)
{
	return m->role[r] >= 0 ? m->vals[m->role[r]].data : "";
}

/* Who the row is about, from the subject fields. */
static xy_code row_subject(imp *m, xy_subject *subj)
{
	const char *kind = val(m, XY_ROLE_SUBJ_KIND), *uscc = val(m, XY_ROLE_SUBJ_USCC);
	const char *idno = val(m, XY_ROLE_SUBJ_IDNO), *idtype = val(m, XY_ROLE_SUBJ_IDTYPE);
	int fk = m->role[XY_ROLE_SUBJ_USCC] >= 0 ? m->role[XY_ROLE_SUBJ_USCC] : m->role[XY_ROLE_SUBJ_IDNO];
	const char *col = fk >= 0 ? field_column(m, fk) : "";
	memset(subj, 0, sizeof *subj);
	if (!*kind)
		subj->kind = *uscc ? (strncmp(uscc, "92", 2) == 0 ? XY_SUBJ_INDIVIDUAL : XY_SUBJ_LEGAL)
				   : XY_SUBJ_PERSON;
	else if (strcmp(kind, "自然人") == 0)
		subj->kind = XY_SUBJ_PERSON;
	else if (strcmp(kind, "个体工商户") == 0)
		subj->kind = XY_SUBJ_INDIVIDUAL;
	else
		subj->kind = XY_SUBJ_LEGAL;

	if (subj->kind == XY_SUBJ_LEGAL && !*uscc)
		return add_error(m, -1, col,
				 "a legal person needs its unified social credit code",
				 "法人及非法人组织须填写统一社会信用代码");
	if (subj->kind == XY_SUBJ_PERSON && *uscc)
		return add_error(m, -1, col,
				 "a natural person has no unified social credit code; use 证件号码",
				 "自然人不应填写统一社会信用代码，请填写证件号码");
	if (subj->kind == XY_SUBJ_PERSON && !*idno)
		return add_error(m, -1, col, "a natural person needs an ID document number",
				 "自然人须填写证件号码");
	if (!*uscc && !*idno)
		return add_error(m, -1, col, "no subject identifier (USCC or ID number)",
				 "缺少主体标识（统一社会信用代码或证件号码）");
	if (*uscc) {
		snprintf(subj->code, sizeof subj->code, "%s", uscc);
		snprintf(subj->code_type, sizeof subj->code_type, "uscc");
		xy_uscc_division(uscc, subj->division);
	} else {
		snprintf(subj->code, sizeof subj->code, "%s", idno);
		if (!*idtype || strstr(idtype, "身份证")) {
			snprintf(subj->code_type, sizeof subj->code_type, "ric");
			memcpy(subj->division, idno, 6);
			subj->division[6] = '\0';
		} else {
			snprintf(subj->code_type, sizeof subj->code_type, "%s", idtype);
		}
	}
	snprintf(subj->name, sizeof subj->name, "%s", val(m, XY_ROLE_SUBJ_NAME));
	return XY_OK;
}

static xy_code report_row(imp *m, const xy_row *row, xy_error *err)
{
	xy_buf fields = XY_BUF_INIT, zh = XY_BUF_INIT, en = XY_BUF_INIT;
	xy_code rc = XY_OK;

	for (size_t i = 0; i < m->nerrs; i++) {
		const row_error *e = &m->errs[i];
		const char *value = e->col >= 0 && (size_t)e->col < row->ncells ? row->cells[e->col] : "";
		char shown[512];
		xy_batch_error be = { m->b->id, row->line, row->sheet, e->column[0] ? e->column : NULL,
				      shown, e->why.zh, e->why.en };
		/* The report row carries the whole value; the table keeps a bounded excerpt. */
		snprintf(shown, sizeof shown, "%s", value);
		if (strlen(value) >= sizeof shown) { /* cut on a character boundary */
			size_t n = sizeof shown - 1;
			while (n && ((unsigned char)shown[n] & 0xC0) == 0x80)
				n--;
			shown[n] = '\0';
		}
		if ((rc = xy_store_batch_error_add(m->s, &be, err)))
			goto out;
		xy_buf_addf(&fields, "%s%s", i ? "、" : "", e->column[0] ? e->column : "整行");
		xy_buf_addf(&zh, "%s%s%s%s", i ? "；" : "", e->column[0] ? e->column : "",
			    e->column[0] ? "：" : "", e->why.zh);
		xy_buf_addf(&en, "%s%s%s%s", i ? "; " : "", e->column[0] ? e->column : "",
			    e->column[0] ? ": " : "", e->why.en);
	}

	if (!m->w) {
		char dir[768];
		const char *ext = xy_format_name(m->fmt);
		snprintf(dir, sizeof dir, "%s", m->o->report_dir ? m->o->report_dir : ".");
		if ((rc = mkdir_p(dir, err)))
			goto out;
		snprintf(m->tmp_report, sizeof m->tmp_report, "%s/.batch-%lld.%s.tmp", dir,
			 (long long)m->b->id, ext);
		{
			const char *base = strrchr(m->path, '/');
			const char *dot;
			int stem;
			base = base ? base + 1 : m->path;
			dot = strrchr(base, '.');
			stem = dot && dot > base ? (int)(dot - base) : (int)strlen(base);
			snprintf(m->report, sizeof m->report, "%s/batch-%lld-%.*s.errors.%s", dir,
				 (long long)m->b->id, stem, base, ext);
		}
		if ((rc = xy_writer_open(&m->w, m->tmp_report, m->fmt, m->enc, err)))
			goto out;
	}
	if (m->hdr_pending) {
		if ((rc = xy_writer_header(m->w, m->nhdr, (const char *const *)m->hdr, err)))
			goto out;
		m->hdr_pending = false;
	}
	rc = xy_writer_row(m->w, row, fields.data, zh.data, en.data, err);
out:
	xy_buf_release(&fields);
	xy_buf_release(&zh);
	xy_buf_release(&en);
	return rc;
}

/* Validate one data row; accepted rows go to the store, rejected ones to the
 * report.  Returns non-zero only for failures that end the import. */
static xy_code do_row(imp *m, const xy_row *row, xy_error *err)
{
	const xy_category *cat = m->cat;
	xy_code rc;
	xy_subject subj;
	xy_upsert_result res;
	xy_record_in rec;
	bool any = false;

	m->nerrs = 0;
	m->b->rows++;
	for (size_t f = 0; f < cat->nfields; f++)
		xy_buf_reset(&m->vals[f]);

	if (row->problem) {
		long c = row->problem_col;
		if ((rc = add_error(m, c, c >= 0 && (size_t)c < m->nhdr ? m->hdr[c] : NULL,
				    row->problem, row->problem_zh ? row->problem_zh : row->problem)))
			return xy_error_set(err, rc, "out of memory");
		goto reject;
	}
	for (size_t i = m->nhdr; i < row->ncells; i++)
		if (row->lens[i]) {
			char col[32], en[128], zh[128];
			snprintf(col, sizeof col, "第%zu列", i + 1);
			snprintf(en, sizeof en, "value in column %zu, which has no header", i + 1);
			snprintf(zh, sizeof zh, "第%zu列没有表头，却有值", i + 1);
			if (add_error(m, (long)i, col, en, zh))
				return xy_error_set(err, XY_ERR_NOMEM, "out of memory");
			break;
		}

	/* The 证件类型 decides how 证件号码 is checked, so read it first. */
	const char *idtype = NULL;
	if (m->role[XY_ROLE_SUBJ_IDTYPE] >= 0) {
		int c = m->fieldcol[m->role[XY_ROLE_SUBJ_IDTYPE]];
		if (c >= 0 && (size_t)c < row->ncells)
			idtype = row->cells[c];
	}
	for (size_t f = 0; f < cat->nfields; f++) {
		const xy_field *fd = &cat->fields[f];
		int c = m->fieldcol[f];
		const char *v = "";
		size_t len = 0;
		xy_reason why;
		bool warned;
		if (c >= 0 && (size_t)c < row->ncells) {
			len = row->lens[c];
			v = xy_trim(row->cells[c], &len);
		}
		if (!len) {
			if (fd->required && add_error(m, c, field_column(m, (int)f),
						      "required field is empty", "必填项为空"))
				return xy_error_set(err, XY_ERR_NOMEM, "out of memory");
			continue;
		}
		any = true;
		rc = xy_field_validate(fd, v, len, idtype, m->reg, &m->vals[f], &why, &warned);
		if (rc == XY_ERR_INVALID) {
			if (add_error(m, c, field_column(m, (int)f), why.en, why.zh))
				return xy_error_set(err, XY_ERR_NOMEM, "out of memory");
			xy_buf_reset(&m->vals[f]);
		} else if (rc) {
			return xy_error_set(err, rc, "out of memory");
		} else if (warned) {
			warn(m, "%s:%ld: %s '%s' fails its check character but is a configured "
			     "exception; accepted", m->path, row->line, field_column(m, (int)f),
			     m->vals[f].data);
		}
	}
	if (!any && !m->nerrs)
		return XY_OK; /* nothing mapped: treat like an empty row */
	if (m->nerrs)
		goto reject;
	if (m->role[XY_ROLE_DATE] >= 0) {
		const char *d = m->vals[m->role[XY_ROLE_DATE]].data;
		if (*d && strcmp(d, m->today) > 0) {
			if (add_error(m, m->fieldcol[m->role[XY_ROLE_DATE]],
				      field_column(m, m->role[XY_ROLE_DATE]),
				      "decision date is in the future", "决定日期晚于今天"))
				return xy_error_set(err, XY_ERR_NOMEM, "out of memory");
			goto reject;
		}
	}
	if (cat->kind == XY_CAT_SUBJECT) {
		if ((rc = row_subject(m, &subj)))
			return xy_error_set(err, rc, "out of memory");
		if (m->nerrs)
			goto reject;
	}

	/* The record: normalised fields as a JSON object, in field order. */
	xy_buf_reset(&m->data);
	xy_buf_addch(&m->data, '{');
	for (size_t f = 0; f < cat->nfields; f++) {
		if (!m->vals[f].len)
			continue;
		if (m->data.len > 1)
			xy_buf_addch(&m->data, ',');
		xy_buf_addjson(&m->data, cat->fields[f].code, strlen(cat->fields[f].code));
		xy_buf_addch(&m->data, ':');
		xy_buf_addjson(&m->data, m->vals[f].data, m->vals[f].len);
	}
	if ((rc = xy_buf_addch(&m->data, '}')))
		return xy_error_set(err, rc, "out of memory");

	xy_buf_reset(&m->key);
	if (cat->key_field >= 0 && m->vals[cat->key_field].len) {
		xy_buf_add(&m->key, m->vals[cat->key_field].data, m->vals[cat->key_field].len);
	} else {
		/* No key of the unit's own: the content is the identity. */
		unsigned char h[16];
		char hex[33];
		crypto_generichash(h, sizeof h, (const unsigned char *)m->data.data, m->data.len,
				   NULL, 0);
		sodium_bin2hex(hex, sizeof hex, h, sizeof h);
		xy_buf_addch(&m->key, '#');
		xy_buf_addstr(&m->key, hex);
	}

	memset(&rec, 0, sizeof rec);
	rec.unit_id = xy_registry_unit(m->reg, m->o->unit)->id;
	rec.category_id = cat->id;
	rec.batch_id = m->b->id;
	if (cat->kind == XY_CAT_SUBJECT) {
		if ((rc = xy_store_subject_upsert(m->s, &subj, err)))
			return rc;
		rec.subject_id = subj.id;
	}
	rec.key = m->key.data;
	rec.data = m->data.data;
	rec.data_len = m->data.len;
	rec.decided_on = m->role[XY_ROLE_DATE] >= 0 && m->vals[m->role[XY_ROLE_DATE]].len
				 ? m->vals[m->role[XY_ROLE_DATE]].data
				 : NULL;
	if ((rc = xy_store_record_upsert(m->s, &rec, &res, err)))
		return rc;
	switch (res) {
	case XY_UPSERT_NEW: m->b->added++; return XY_OK;
	case XY_UPSERT_UPDATED: m->b->updated++; return XY_OK;
	case XY_UPSERT_UNCHANGED: m->b->unchanged++; return XY_OK;
	case XY_UPSERT_DUPLICATE:
		if (add_error(m, cat->key_field >= 0 ? m->fieldcol[cat->key_field] : -1,
			      cat->key_field >= 0 ? field_column(m, cat->key_field) : NULL,
			      "the same key as an earlier row of this file",
			      "与本文件中前面的行重复（同一文书号/编号）"))
			return xy_error_set(err, XY_ERR_NOMEM, "out of memory");
		break;
	}
reject:
	m->b->rejected++;
	return report_row(m, row, err);
}

static void release(imp *m)
{
	free_header(m);
	free(m->fieldcol);
	if (m->vals)
		for (size_t f = 0; f < m->cat->nfields; f++)
			xy_buf_release(&m->vals[f]);
	free(m->vals);
	free(m->errs);
	xy_buf_release(&m->data);
	xy_buf_release(&m->key);
	xy_buf_release(&m->cell);
}

/* Record that a file was refused (its own small transaction). */
static void record_refusal(imp *m, const xy_error *why)
{
	xy_error ignore = XY_ERROR_INIT;
	char msg[sizeof m->b->message];
	xy_error_format(why, msg, sizeof msg);
	m->b->id = 0;
	m->b->status = XY_BATCH_REFUSED;
	m->b->rows = m->b->added = m->b->updated = m->b->unchanged = m->b->rejected = 0;
	m->b->error_report[0] = '\0';
	snprintf(m->b->message, sizeof m->b->message, "%s", msg);
	now_iso(m->b->finished_at);
	if (xy_store_begin(m->s, false, &ignore) == XY_OK) {
		if (xy_store_batch_insert(m->s, m->b, &ignore) == XY_OK &&
		    xy_store_batch_update(m->s, m->b, &ignore) == XY_OK &&
		    xy_store_commit(m->s, &ignore) == XY_OK)
			return;
		xy_store_rollback(m->s, &ignore);
	}
	m->b->id = 0;
}

xy_code xy_import_file(xy_store *s, const xy_registry *reg, const char *path,
		       const xy_import_opts *o, xy_batch *b, xy_error *err)
{
	imp m;
	const xy_unit *unit;
	xy_reader *r = NULL;
	const xy_row *row;
	xy_code rc;
	bool in_tx = false;

	memset(b, 0, sizeof *b);
	memset(&m, 0, sizeof m);
	m.s = s;
	m.reg = reg;
	m.o = o;
	m.path = path;
	m.b = b;
	xy_buf_init(&m.data, 0);
	xy_buf_init(&m.key, 0);
	xy_buf_init(&m.cell, 0);
	xy_date_today(m.today);
	if (sodium_init() < 0)
		return xy_error_set(err, XY_ERR_NOMEM, "libsodium failed to initialise");

	if (!o->unit || !(unit = xy_registry_unit(reg, o->unit)))
		return xy_error_set(err, XY_ERR_NOTFOUND, "unknown source unit '%s' (未知信源单位)",
				    o->unit ? o->unit : "");
	if (!o->category || !(m.cat = xy_registry_category(reg, o->category)))
		return xy_error_set(err, XY_ERR_NOTFOUND, "unknown category '%s' (未知信息类别)",
				    o->category ? o->category : "");
	if (o->reported_on) {
		char tmp[16];
		snprintf(tmp, sizeof tmp, strlen(o->reported_on) == 7 ? "%s-01" : "%s", o->reported_on);
		if (xy_date_parse(tmp, b->reported_on) != XY_OK)
			return xy_error_set(err, XY_ERR_ARG,
					    "--reported-on '%s' is not a date (YYYY-MM-DD or YYYY-MM)",
					    o->reported_on);
		if (strcmp(b->reported_on, m.today) > 0)
			return xy_error_set(err, XY_ERR_ARG, "--reported-on %s is in the future",
					    b->reported_on);
	} else {
		memcpy(b->reported_on, m.today, sizeof b->reported_on);
	}
	b->unit_id = unit->id;
	b->category_id = m.cat->id;
	snprintf(b->unit, sizeof b->unit, "%s", unit->name);
	snprintf(b->category, sizeof b->category, "%s", m.cat->name);
	snprintf(b->file, sizeof b->file, "%s", path);
	now_iso(b->started_at);

	m.fieldcol = calloc(m.cat->nfields, sizeof *m.fieldcol);
	m.vals = calloc(m.cat->nfields, sizeof *m.vals);
	if (!m.fieldcol || !m.vals) {
		rc = xy_error_set(err, XY_ERR_NOMEM, "out of memory");
		goto out;
	}
	for (size_t f = 0; f < m.cat->nfields; f++)
		xy_buf_init(&m.vals[f], 0);
	for (size_t i = 0; i <= XY_ROLE_DATE; i++)
		m.role[i] = -1;
	for (size_t f = 0; f < m.cat->nfields; f++)
		if (m.cat->fields[f].role != XY_ROLE_NONE && m.role[m.cat->fields[f].role] < 0)
			m.role[m.cat->fields[f].role] = (int)f;

	if ((rc = xy_reader_open(&r, path, &o->reader, err))) {
		if (rc != XY_ERR_IO && rc != XY_ERR_NOMEM)
			goto refuse;
		goto out;
	}
	m.fmt = xy_reader_format(r);
	m.enc = xy_reader_encoding(r);
	snprintf(b->format, sizeof b->format, "%s", xy_format_name(m.fmt));
	snprintf(b->encoding, sizeof b->encoding, "%s",
		 m.fmt == XY_FMT_CSV ? xy_encoding_name(m.enc) : "utf-8");

	if ((rc = xy_store_begin(s, true, err)))
		goto out;
	in_tx = true;
	b->status = XY_BATCH_COMMITTED;
	if ((rc = xy_store_batch_insert(s, b, err)))
		goto out;

	bool seen_header = false;
	for (;;) {
		if ((rc = xy_reader_next(r, &row, err)))
			goto refuse;
		if (!row)
			break;
		if (row->is_header) {
			if ((rc = map_header(&m, row, err)))
				goto refuse;
			seen_header = true;
			continue;
		}
		if (!seen_header)
			continue;
		if ((rc = do_row(&m, row, err))) {
			if (rc == XY_ERR_FORMAT || rc == XY_ERR_LIMIT || rc == XY_ERR_ENCODING)
				goto refuse;
			goto out;
		}
	}
	if (!seen_header) {
		rc = xy_error_at(err, XY_ERR_FORMAT, path, 0, NULL,
				 "the file is empty: no header row (文件为空，没有表头)");
		goto refuse;
	}

	if (m.w) {
		xy_writer *w = m.w;
		m.w = NULL;
		if ((rc = xy_writer_close(w, err)))
			goto out;
		if (rename(m.tmp_report, m.report)) {
			rc = xy_error_at(err, XY_ERR_IO, m.report, 0, NULL, "cannot write report: %s",
					 strerror(errno));
			goto out;
		}
		memcpy(b->error_report, m.report, sizeof b->error_report);
	}
	now_iso(b->finished_at);
	if ((rc = xy_store_batch_update(s, b, err)))
		goto out;
	if ((rc = xy_store_commit(s, err)))
		goto out;
	in_tx = false;
	m.tmp_report[0] = '\0';
	m.report[0] = '\0';
	goto out;

refuse:
	if (in_tx) {
		xy_store_rollback(s, NULL);
		in_tx = false;
	}
	if (m.w) {
		xy_writer_close(m.w, NULL);
		m.w = NULL;
	}
	if (m.tmp_report[0])
		unlink(m.tmp_report);
	m.tmp_report[0] = '\0';
	{
		xy_error why = err ? *err : (xy_error)XY_ERROR_INIT;
		if (!err)
			xy_error_set(&why, rc, "file refused");
		record_refusal(&m, &why);
	}
out:
	if (in_tx)
		xy_store_rollback(s, NULL);
	if (m.w)
		xy_writer_close(m.w, NULL);
	if (m.tmp_report[0])
		unlink(m.tmp_report);
	if (rc && m.report[0])
		unlink(m.report);
	xy_reader_free(r);
	release(&m);
	return rc;
}
