/* XLSX reader: zip entries streamed from libzip through libxml2's xmlTextReader.
 *
 * Sheets are never loaded whole: a sheet is parsed one node at a time and one
 * <row> is kept in memory.  The small parts (workbook, its relationships,
 * styles) are loaded.  The shared strings table is kept in memory up to
 * opts.sst_budget (text + index); the strings beyond it go to an unlinked
 * temporary file (text, and a second one holding their 8-byte start
 * offsets), read back with pread when a cell names one.  The whole table is
 * bounded by max_unzipped and XLSX_MAX_SST_* (on disk too).  Each entry must
 * inflate to exactly the size its zip directory declares.  Every byte inflated from the zip is
 * counted against max_unzipped (declared sizes are checked up front too, but
 * not trusted).
 *
 * The zip, libxml2 and row plumbing shared with ods.c is in zipxml.c.
 */
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <libxml/parser.h>

#include "xinyong/date.h"
#include "zipxml.h"

#define XLSX_MAX_SHEETS 4096u
#define XLSX_MAX_RELS 65536u
#define XLSX_MAX_NAME 1024u             /* sheet names, ids, part names */
#define XLSX_MAX_SST_BYTES (512u << 20) /* shared strings text */
#define XLSX_MAX_SST_COUNT (1u << 25)
#define XLSX_MAX_XF (1u << 20) /* cellXfs entries */
#define XLSX_MAX_NUMFMT 65536u
#define XLSX_MAX_ROW_BYTES ((size_t)256 << 20)

typedef struct xlsx_sheet {
	char *name;
	char *rid;
	char *entry; /* zip entry name, NULL until resolved */
	bool hidden; /* state="hidden"/"veryHidden": templates keep drop-down lists there */
} xlsx_sheet;

typedef struct xlsx_rel {
	char *id;
	char *type;   /* last path segment of Type: "worksheet", "sharedStrings" … */
	char *target; /* resolved zip entry name */
} xlsx_rel;

typedef struct xlsx_numfmt {
	unsigned id;
	bool date;
} xlsx_numfmt;

/* Cell types (the t attribute). */
enum { CT_NUM, CT_SST, CT_INLINE, CT_STR, CT_BOOL, CT_ERR, CT_DATE };

typedef struct xlsx {
	char *path;
	xy_reader_opts opts;
	xy__zipxml z; /* the archive and the entry being parsed */

	/* workbook */
	xlsx_sheet *sheets;
	size_t nsheets, cur;
	bool date1904;
	xlsx_rel *rels;
	size_t nrels;
	xy_buf sst;      /* shared strings 0..nmem-1, each NUL-terminated */
	size_t *sst_off; /* nmem + 1 offsets into sst */
	size_t nsst, nmem, sst_cap;
	uint64_t sst_total; /* text bytes kept, memory and disk */
	xy_buf sst_cur;     /* the <si> being read */
	FILE *spill;        /* strings nmem.. (no NUL), unlinked temp file */
	FILE *spill_idx;    /* nsst - nmem + 1 uint64_t start offsets into spill */
	uint64_t spill_len;
	xy_buf sst_back; /* a spilled string read back */
	unsigned char *xf_date; /* per cellXfs index: 1 if a date format */
	size_t nxf;

	/* sheet state */
	bool in_data, seen_header;
	long line;

	/* row state */
	bool in_row;
	xy__rowbuf rb; /* the row's cells, then the row handed out */
	size_t next_col;

	/* cell state */
	bool in_cell, in_v, in_is, in_t, val_long;
	int cell_type, rph;
	size_t cell_col;
	unsigned long cell_style;
	xy_buf val; /* raw text of <v> or <is><t>, capped near max_cell */
	xy_buf out; /* the value as returned */

	xy_code failed;
} xlsx;

static xy_code nomem(xlsx *x, xy_error *err)
{
	return xy_error_at(err, XY_ERR_NOMEM, x->path, 0, NULL, "out of memory");
}

#define eq xy__zx_eq

/* ---- part names ---- */

/* Resolve a relationship target against xl/ into a zip entry name:
 * "worksheets/sheet1.xml" -> "xl/worksheets/sheet1.xml",
 * "/xl/worksheets/sheet1.xml" -> "xl/worksheets/sheet1.xml", "../x" handled. */
static char *resolve_target(const char *target)
{
	char joined[2 * XLSX_MAX_NAME];
	char *out, *seg, *rest;
	size_t n = 0;
	if (target[0] == '/')
		snprintf(joined, sizeof joined, "%s", target + 1);
	else
		snprintf(joined, sizeof joined, "xl/%s", target);
	out = malloc(strlen(joined) + 1);
	if (!out)
		return NULL;
	rest = joined;
	while (rest) {
		seg = rest;
		rest = strchr(rest, '/');
		if (rest)
			*rest++ = '\0';
		if (seg[0] == '\0' || strcmp(seg, ".") == 0)
			continue;
		if (strcmp(seg, "..") == 0) {
			while (n > 0 && out[n - 1] != '/')
				n--;
			if (n > 0)
				n--;
			continue;
		}
		if (n > 0)
			out[n++] = '/';
		memcpy(out + n, seg, strlen(seg));
		n += strlen(seg);
	}
	out[n] = '\0';
	return out;
}

/* ---- workbook.xml ---- */

static xy_code parse_workbook(xlsx *x, xy_error *err)
{
	xy_code rc;
	int more;
	size_t cap = 0;
	if ((rc = xy__zx_entry_open(&x->z, "xl/workbook.xml", false, true, NULL, err)))
		return rc;
	while (!(rc = xy__zx_next(&x->z, &more, err)) && more) {
		const xmlChar *el, *an, *av;
		const xmlChar *ns;
		char *name = NULL, *rid = NULL;
		bool hidden = false;
		if (xmlTextReaderNodeType(x->z.xr) != XML_READER_TYPE_ELEMENT)
			continue;
		el = xmlTextReaderConstLocalName(x->z.xr);
		if (eq(el, "workbookPr")) {
			while (xy__zx_next_attr(&x->z, &an, &av, NULL))
				if (eq(an, "date1904"))
					x->date1904 = eq(av, "1") || eq(av, "true");
			continue;
		}
		if (!eq(el, "sheet"))
			continue;
		while (xy__zx_next_attr(&x->z, &an, &av, &ns)) {
			if (eq(an, "name") && !ns && !name)
				name = strdup((const char *)av);
			else if (eq(an, "id") && ns && !rid)
				rid = strdup((const char *)av);
			else if (eq(an, "state") && !ns)
				hidden = eq(av, "hidden") || eq(av, "veryHidden");
		}
		if (!name || !rid) {
			free(name);
			free(rid);
			return xy_error_at(
			    err, XY_ERR_FORMAT, x->path, 0, NULL,
			    "malformed XML in xl/workbook.xml: <sheet> without name or r:id");
		}
		if (x->nsheets == cap) {
			xlsx_sheet *s;
			if (cap >= XLSX_MAX_SHEETS) {
				free(name);
				free(rid);
				return xy_error_at(err, XY_ERR_LIMIT, x->path, 0, NULL,
				                   "more than %u sheets", XLSX_MAX_SHEETS);
			}
			cap = cap ? cap * 2 : 8;
			s = realloc(x->sheets, cap * sizeof *s);
			if (!s) {
				free(name);
				free(rid);
				return nomem(x, err);
			}
			x->sheets = s;
		}
		x->sheets[x->nsheets].name = name;
		x->sheets[x->nsheets].rid = rid;
		x->sheets[x->nsheets].entry = NULL;
		x->sheets[x->nsheets].hidden = hidden;
		x->nsheets++;
	}
	xy__zx_entry_close(&x->z);
	return rc;
}

/* ---- xl/_rels/workbook.xml.rels ---- */

static xy_code parse_rels(xlsx *x, xy_error *err)
{
	xy_code rc;
	int more;
	bool found;
	size_t cap = 0;
	if ((rc = xy__zx_entry_open(&x->z, "xl/_rels/workbook.xml.rels", true, true, &found, err)))
		return rc;
	if (!found)
		return XY_OK; /* sheets fall back to xl/worksheets/sheetN.xml */
	while (!(rc = xy__zx_next(&x->z, &more, err)) && more) {
		const xmlChar *an, *av;
		bool external = false, oom = false;
		xlsx_rel rel = {NULL, NULL, NULL};
		char *resolved;
		if (xmlTextReaderNodeType(x->z.xr) != XML_READER_TYPE_ELEMENT ||
		    !eq(xmlTextReaderConstLocalName(x->z.xr), "Relationship"))
			continue;
		while (xy__zx_next_attr(&x->z, &an, &av, NULL)) {
			const char *v = (const char *)av, *slash;
			if (eq(an, "Id") && !rel.id) {
				oom |= !(rel.id = strdup(v));
			} else if (eq(an, "Type") && !rel.type) {
				slash = strrchr(v, '/');
				oom |= !(rel.type = strdup(slash ? slash + 1 : v));
			} else if (eq(an, "Target") && !rel.target) {
				oom |= !(rel.target = strdup(v));
			} else if (eq(an, "TargetMode")) {
				external = eq(av, "External");
			}
		}
		resolved = !oom && rel.target && strlen(rel.target) < XLSX_MAX_NAME
		               ? resolve_target(rel.target)
		               : NULL;
		if (!oom && rel.target && strlen(rel.target) < XLSX_MAX_NAME && !resolved)
			oom = true;
		free(rel.target);
		rel.target = resolved;
		if (oom || !rel.id || !rel.type || !rel.target || external ||
		    x->nrels >= XLSX_MAX_RELS) {
			free(rel.id);
			free(rel.type);
			free(rel.target);
			if (oom)
				return nomem(x, err);
			if (x->nrels >= XLSX_MAX_RELS)
				return xy_error_at(err, XY_ERR_LIMIT, x->path, 0, NULL,
				                   "more than %u relationships in the workbook",
				                   XLSX_MAX_RELS);
			continue;
		}
		if (x->nrels == cap) {
			xlsx_rel *r;
			cap = cap ? cap * 2 : 16;
			r = realloc(x->rels, cap * sizeof *r);
			if (!r) {
				free(rel.id);
				free(rel.type);
				free(rel.target);
				return nomem(x, err);
			}
			x->rels = r;
		}
		x->rels[x->nrels++] = rel;
	}
	xy__zx_entry_close(&x->z);
	return rc;
}

static const xlsx_rel *rel_by_id(const xlsx *x, const char *id)
{
	for (size_t i = 0; i < x->nrels; i++)
		if (strcmp(x->rels[i].id, id) == 0)
			return &x->rels[i];
	return NULL;
}

static const xlsx_rel *rel_by_type(const xlsx *x, const char *type)
{
	for (size_t i = 0; i < x->nrels; i++)
		if (strcmp(x->rels[i].type, type) == 0)
			return &x->rels[i];
	return NULL;
}

/* Give every sheet its entry; chart sheets and the like have no cells and are
 * dropped.  Hidden sheets are only named (xy_row.hidden), never read: a
 * unit's template keeps its drop-down lists (enumerations) there, which are
 * not data to import. */
static xy_code resolve_sheets(xlsx *x, xy_error *err)
{
	size_t kept = 0;
	for (size_t i = 0; i < x->nsheets; i++) {
		xlsx_sheet *s = &x->sheets[i];
		const xlsx_rel *r = rel_by_id(x, s->rid);
		if (s->hidden)
			continue; /* named, never read */
		if (r && strcmp(r->type, "worksheet") == 0) {
			s->entry = strdup(r->target);
		} else if (!r && x->nrels == 0) {
			char name[64];
			snprintf(name, sizeof name, "xl/worksheets/sheet%zu.xml", i + 1);
			s->entry = strdup(name);
		} else if (!r) {
			return xy_error_at(
			    err, XY_ERR_FORMAT, x->path, 0, NULL,
			    "not an XLSX workbook: sheet \"%s\" (%s) has no relationship "
			    "in xl/_rels/workbook.xml.rels",
			    s->name, s->rid);
		} else {
			continue; /* a chart sheet, dialog sheet …: no cells */
		}
		if (!s->entry)
			return nomem(x, err);
		if (xy__zx_locate(&x->z, s->entry) < 0)
			return xy_error_at(
			    err, XY_ERR_FORMAT, x->path, 0, NULL,
			    "not an XLSX workbook: sheet \"%s\" points at %s, which is missing",
			    s->name, s->entry);
	}
	for (size_t i = 0; i < x->nsheets; i++) {
		if (x->sheets[i].entry || x->sheets[i].hidden) {
			x->sheets[kept++] = x->sheets[i];
		} else {
			free(x->sheets[i].name);
			free(x->sheets[i].rid);
		}
	}
	x->nsheets = kept;
	return XY_OK;
}

/* ---- styles: which cellXfs are dates ---- */

static bool builtin_date(unsigned id)
{
	return (id >= 14 && id <= 22) || (id >= 27 && id <= 36) || (id >= 45 && id <= 47) ||
	       (id >= 50 && id <= 58);
}

/* A custom format is a date/time if it has y m d h s outside quotes,
 * brackets ([Red], [$-804]), escapes (\x) and padding (_x, *x). */
static bool code_is_date(const char *s)
{
	if (strcmp(s, "General") == 0 || strcmp(s, "@") == 0)
		return false;
	for (; *s; s++) {
		switch (*s) {
		case '"':
			s = strchr(s + 1, '"');
			if (!s)
				return false;
			break;
		case '[':
			s = strchr(s + 1, ']');
			if (!s)
				return false;
			break;
		case '\\':
		case '_':
		case '*':
			if (!s[1])
				return false;
			s++;
			break;
		case 'y':
		case 'Y':
		case 'm':
		case 'M':
		case 'd':
		case 'D':
		case 'h':
		case 'H':
		case 's':
		case 'S':
			return true;
		default:
			break;
		}
	}
	return false;
}

static xy_code parse_styles(xlsx *x, const char *entry, xy_error *err)
{
	xy_code rc;
	int more;
	bool found, in_xfs = false;
	xlsx_numfmt *fmts = NULL;
	size_t nfmts = 0, fmtcap = 0, xfcap = 0;
	unsigned *xf_fmt = NULL;
	if ((rc = xy__zx_entry_open(&x->z, entry, true, true, &found, err)) || !found)
		return rc;
	while (!(rc = xy__zx_next(&x->z, &more, err)) && more) {
		int type = xmlTextReaderNodeType(x->z.xr);
		const xmlChar *el = xmlTextReaderConstLocalName(x->z.xr), *an, *av;
		if (type == XML_READER_TYPE_END_ELEMENT) {
			if (eq(el, "cellXfs"))
				in_xfs = false;
			continue;
		}
		if (type != XML_READER_TYPE_ELEMENT)
			continue;
		if (eq(el, "cellXfs")) {
			in_xfs = !xmlTextReaderIsEmptyElement(x->z.xr);
		} else if (eq(el, "numFmt")) {
			xlsx_numfmt f = {0, false};
			while (xy__zx_next_attr(&x->z, &an, &av, NULL)) {
				if (eq(an, "numFmtId"))
					f.id = (unsigned)strtoul((const char *)av, NULL, 10);
				else if (eq(an, "formatCode"))
					f.date = code_is_date((const char *)av);
			}
			if (nfmts == fmtcap) {
				xlsx_numfmt *p;
				if (fmtcap >= XLSX_MAX_NUMFMT)
					continue;
				fmtcap = fmtcap ? fmtcap * 2 : 16;
				p = realloc(fmts, fmtcap * sizeof *p);
				if (!p) {
					rc = nomem(x, err);
					break;
				}
				fmts = p;
			}
			fmts[nfmts++] = f;
		} else if (in_xfs && eq(el, "xf")) {
			unsigned id = 0;
			while (xy__zx_next_attr(&x->z, &an, &av, NULL))
				if (eq(an, "numFmtId"))
					id = (unsigned)strtoul((const char *)av, NULL, 10);
			if (x->nxf == xfcap) {
				unsigned *p;
				if (xfcap >= XLSX_MAX_XF)
					continue;
				xfcap = xfcap ? xfcap * 2 : 64;
				p = realloc(xf_fmt, xfcap * sizeof *p);
				if (!p) {
					rc = nomem(x, err);
					break;
				}
				xf_fmt = p;
			}
			xf_fmt[x->nxf++] = id;
		}
	}
	xy__zx_entry_close(&x->z);
	if (!rc && x->nxf) {
		x->xf_date = malloc(x->nxf);
		if (!x->xf_date) {
			rc = nomem(x, err);
		} else {
			for (size_t i = 0; i < x->nxf; i++) {
				bool date = builtin_date(xf_fmt[i]);
				for (size_t j = 0; j < nfmts; j++)
					if (fmts[j].id == xf_fmt[i])
						date = fmts[j].date;
				x->xf_date[i] = date;
			}
		}
	}
	if (rc)
		x->nxf = 0;
	free(fmts);
	free(xf_fmt);
	return rc;
}

/* ---- shared strings ---- */

static xy_code sst_too_big(xlsx *x, xy_error *err)
{
	return xy_error_at(err, XY_ERR_LIMIT, x->path, 0, NULL,
	                   "shared strings table larger than %u bytes", XLSX_MAX_SST_BYTES);
}

static xy_code spill_error(xlsx *x, const char *what, xy_error *err)
{
	return xy_error_at(err, XY_ERR_IO, x->path, 0, NULL,
	                   "shared strings temporary file: cannot %s: %s", what, strerror(errno));
}

/* An unlinked temporary file in $TMPDIR (else /tmp): gone when closed. */
static FILE *spill_file(void)
{
	const char *dir = getenv("TMPDIR");
	xy_buf name;
	FILE *f = NULL;
	int fd;
	xy_buf_init(&name, 0);
	if (!dir || !*dir)
		dir = "/tmp";
	if (xy_buf_addf(&name, "%s/xinyong-sst-XXXXXX", dir))
		return NULL;
	fd = mkstemp(name.data);
	if (fd >= 0) {
		unlink(name.data);
		f = fdopen(fd, "w+b");
		if (!f)
			close(fd);
	}
	xy_buf_release(&name);
	return f;
}

static xy_code spill_put(xlsx *x, FILE *f, const void *p, size_t n, xy_error *err)
{
	if (n && fwrite(p, 1, n, f) != n)
		return spill_error(x, "write", err);
	return XY_OK;
}

/* Keep the string in sst_cur: in memory while the budget allows, else (and
 * for every later string, so the in-memory ones stay 0..nmem-1) on disk. */
static xy_code sst_commit(xlsx *x, xy_error *err)
{
	size_t n = x->sst_cur.len;
	xy_code rc;
	if (x->nsst + 1 >= XLSX_MAX_SST_COUNT)
		return xy_error_at(err, XY_ERR_LIMIT, x->path, 0, NULL,
		                   "more than %u shared strings", XLSX_MAX_SST_COUNT);
	if (x->sst_total + n + 1 > XLSX_MAX_SST_BYTES)
		return sst_too_big(x, err);
	x->sst_total += n + 1;
	if (!x->spill &&
	    x->sst.len + n + 1 + (x->nsst + 2) * sizeof *x->sst_off <= x->opts.sst_budget) {
		size_t *p = xy_array_grow(x->sst_off, x->nsst + 1, &x->sst_cap, sizeof *p, 256);
		if (!p)
			return nomem(x, err);
		x->sst_off = p;
		if (xy_buf_add(&x->sst, x->sst_cur.data, n) || xy_buf_addch(&x->sst, '\0'))
			return nomem(x, err);
		x->sst_off[x->nsst++] = x->sst.len - n - 1;
		x->sst_off[x->nsst] = x->sst.len;
		x->nmem = x->nsst;
		return XY_OK;
	}
	if (!x->spill) {
		uint64_t zero = 0;
		if (!(x->spill = spill_file()) || !(x->spill_idx = spill_file()))
			return spill_error(x, "create", err);
		if ((rc = spill_put(x, x->spill_idx, &zero, sizeof zero, err)))
			return rc;
	}
	x->spill_len += n;
	if ((rc = spill_put(x, x->spill, x->sst_cur.data, n, err)) ||
	    (rc = spill_put(x, x->spill_idx, &x->spill_len, sizeof x->spill_len, err)))
		return rc;
	x->nsst++;
	return XY_OK;
}

/* Shared string i >= nmem, read back into sst_back. */
static xy_code sst_spilled(xlsx *x, size_t i, xy_error *err)
{
	uint64_t be[2];
	off_t at = (off_t)((uint64_t)(i - x->nmem) * sizeof be[0]);
	size_t n;
	ssize_t got;
	if (pread(fileno(x->spill_idx), be, sizeof be, at) != (ssize_t)sizeof be ||
	    be[1] < be[0] || be[1] > x->spill_len)
		return spill_error(x, "read", err);
	n = (size_t)(be[1] - be[0]);
	xy_buf_reset(&x->sst_back);
	if (xy_buf_grow(&x->sst_back, n + 1))
		return nomem(x, err);
	got = n ? pread(fileno(x->spill), x->sst_back.data, n, (off_t)be[0]) : 0;
	if (got != (ssize_t)n)
		return spill_error(x, "read", err);
	x->sst_back.len = n;
	x->sst_back.data[n] = '\0';
	return XY_OK;
}

/* sharedStrings.xml goes through libxml2's SAX2 push parser, fed from the
 * zip in XLSX_SST_CHUNK pieces: the characters callback appends each piece
 * of text to the string being read (kept up to max_cell + 1 bytes), so no
 * text node is ever built whole.  xmlTextReader built every <t> whole and
 * its buffers grew with them: 120 unreferenced 4 MiB strings peaked at
 * 479 MB RSS; now memory stays within sst_budget plus one string. */
#define XLSX_SST_CHUNK 65536

typedef struct sst_parse {
	xlsx *x;
	xmlParserCtxtPtr ctxt;
	xy_error *err;
	xy_code rc; /* set by a callback, which then stops the parser */
	bool in_si, in_t;
	int rph; /* depth in <rPh> (phonetic runs are not the value) */
	size_t cap1;
} sst_parse;

static void sst_stop(sst_parse *p, xy_code rc)
{
	p->rc = rc;
	xmlStopParser(p->ctxt);
}

static void sst_start(void *ctx, const xmlChar *name, const xmlChar *prefix,
                      const xmlChar *uri, int nns, const xmlChar **ns, int nattr, int ndef,
                      const xmlChar **attrs)
{
	sst_parse *p = ctx;
	(void)prefix, (void)uri, (void)nns, (void)ns, (void)nattr, (void)ndef, (void)attrs;
	if (p->rc)
		return;
	if (eq(name, "si")) {
		p->in_si = true;
		p->in_t = false;
		p->rph = 0;
		xy_buf_reset(&p->x->sst_cur);
	} else if (eq(name, "t") && p->in_si) {
		p->in_t = true;
	} else if (eq(name, "rPh") && p->in_si) {
		p->rph++;
	}
}

static void sst_end(void *ctx, const xmlChar *name, const xmlChar *prefix, const xmlChar *uri)
{
	sst_parse *p = ctx;
	xy_code rc;
	(void)prefix, (void)uri;
	if (p->rc)
		return;
	if (eq(name, "si") && p->in_si) {
		p->in_si = false;
		if ((rc = sst_commit(p->x, p->err)))
			sst_stop(p, rc);
	} else if (eq(name, "t")) {
		p->in_t = false;
	} else if (eq(name, "rPh") && p->rph > 0) {
		p->rph--;
	}
}

static void sst_chars(void *ctx, const xmlChar *ch, int len)
{
	sst_parse *p = ctx;
	xlsx *x = p->x;
	size_t n = len > 0 ? (size_t)len : 0, have = x->sst_cur.len;
	if (p->rc || !p->in_si || !p->in_t || p->rph)
		return;
	if (have + n > p->cap1)
		n = have < p->cap1 ? p->cap1 - have : 0;
	if (x->sst_total + have + n > XLSX_MAX_SST_BYTES)
		sst_stop(p, sst_too_big(x, p->err));
	else if (n && xy_buf_add(&x->sst_cur, ch, n))
		sst_stop(p, nomem(x, p->err));
}

static void sst_doctype(void *ctx, const xmlChar *name, const xmlChar *ext, const xmlChar *sys)
{
	sst_parse *p = ctx;
	(void)name, (void)ext, (void)sys;
	if (!p->rc)
		sst_stop(p, xy_error_at(p->err, XY_ERR_FORMAT, p->x->path, 0, NULL,
		                        "malformed XML in %s: a DOCTYPE is not allowed in XLSX",
		                        p->x->z.entry));
}

static xy_code parse_sst(xlsx *x, const char *entry, xy_error *err)
{
	xmlSAXHandler sax;
	sst_parse p = {x, NULL, err, XY_OK, false, false, 0, 0};
	char *chunk;
	xy_code rc;
	bool found;
	/* A string longer than max_cell is kept at max_cell + 1 bytes, enough
	 * for the cell to be flagged and truncated later. */
	p.cap1 = x->opts.max_cell < SIZE_MAX - 8 ? x->opts.max_cell + 1 : x->opts.max_cell;
	if ((rc = xy__zx_entry_open(&x->z, entry, true, false, &found, err)) || !found)
		return rc;
	/* Only these callbacks: no tree is built, entities other than the
	 * predefined ones are errors (no DOCTYPE may declare any). */
	memset(&sax, 0, sizeof sax);
	sax.initialized = XML_SAX2_MAGIC;
	sax.startElementNs = sst_start;
	sax.endElementNs = sst_end;
	sax.characters = sst_chars;
	sax.cdataBlock = sst_chars;
	sax.ignorableWhitespace = sst_chars;
	sax.internalSubset = sst_doctype;
	chunk = malloc(XLSX_SST_CHUNK);
	if (!chunk || !(p.ctxt = xmlCreatePushParserCtxt(&sax, &p, NULL, 0, x->z.entry))) {
		free(chunk);
		xy__zx_entry_close(&x->z);
		return nomem(x, err);
	}
	xmlCtxtUseOptions(p.ctxt, XML_PARSE_NONET);
	for (;;) {
		int n = xy__zx_read(&x->z, chunk, XLSX_SST_CHUNK);
		int xrc;
		if (n < 0) {
			rc = xy__zx_xml_error(&x->z, err);
			break;
		}
		xrc = xmlParseChunk(p.ctxt, chunk, n, n == 0);
		if (p.rc) {
			rc = p.rc;
			break;
		}
		if (xrc || !p.ctxt->wellFormed) {
			rc = xy__zx_xml_error(&x->z, err);
			break;
		}
		if (n == 0)
			break;
	}
	xmlFreeParserCtxt(p.ctxt);
	free(chunk);
	xy__zx_entry_close(&x->z);
	xy_buf_release(&x->sst_cur);
	if (!rc && x->spill && (fflush(x->spill) || fflush(x->spill_idx)))
		rc = spill_error(x, "write", err);
	return rc;
}

/* ---- values ---- */

/* A serial date/time: "YYYY-MM-DD", "YYYY-MM-DD HH:MM:SS" or, below one
 * day, "HH:MM:SS".  Returns false if the value is no usable date. */
static bool date_text(const xlsx *x, xy_buf *out, const char *s, size_t n)
{
	char *end, date[11], tmp[32];
	double v = strtod(s, &end), days;
	long secs;
	if (end != s + n || n == 0 || !isfinite(v) || v < 0 || v > 2958466.0)
		return false;
	days = floor(v);
	secs = lround((v - days) * 86400.0);
	if (secs >= 86400) {
		days += 1;
		secs -= 86400;
	}
	if (days == 0 && !x->date1904) {
		snprintf(tmp, sizeof tmp, "%02ld:%02ld:%02ld", secs / 3600, secs / 60 % 60,
		         secs % 60);
		return xy_buf_addstr(out, tmp) == XY_OK;
	}
	if (x->date1904)
		days += 1462;
	if (xy_date_from_serial(days, date) != XY_OK)
		return false;
	if (xy_buf_addstr(out, date))
		return false;
	if (secs) {
		snprintf(tmp, sizeof tmp, " %02ld:%02ld:%02ld", secs / 3600, secs / 60 % 60,
		         secs % 60);
		if (xy_buf_addstr(out, tmp))
			return false;
	}
	return true;
}

static xy_code cell_end(xlsx *x, xy_error *err)
{
	const char *v = x->val.data;
	size_t n = x->val.len, col = x->cell_col;
	bool too_long = x->val_long;
	x->in_cell = x->in_v = x->in_is = x->in_t = false;
	xy_buf_reset(&x->out);
	switch (x->cell_type) {
	case CT_SST: {
		char *end;
		unsigned long long i = strtoull(v, &end, 10);
		if (n == 0 || *end || i >= x->nsst) {
			if (col < x->opts.max_columns)
				xy__rowbuf_problem(&x->rb, (long)col, "shared string index out of range",
				            "共享字符串索引超出范围");
			v = "";
			n = 0;
		} else if (i < x->nmem) {
			v = x->sst.data + x->sst_off[i];
			n = x->sst_off[i + 1] - x->sst_off[i] - 1;
		} else {
			xy_code rc = sst_spilled(x, (size_t)i, err);
			if (rc)
				return rc;
			v = x->sst_back.data;
			n = x->sst_back.len;
		}
		break;
	}
	case CT_BOOL: /* TRUE/FALSE are returned as "1"/"0", as stored */
		if (n == 4 && memcmp(v, "true", 4) == 0)
			v = "1", n = 1;
		else if (n == 5 && memcmp(v, "false", 5) == 0)
			v = "0", n = 1;
		break;
	case CT_NUM:
		if (n == 0)
			break;
		if (x->cell_style < x->nxf && x->xf_date[x->cell_style] &&
		    date_text(x, &x->out, v, n)) {
			v = x->out.data;
			n = x->out.len;
			break;
		}
		xy_buf_reset(&x->out);
		if (xy__number_text(&x->out, v, n))
			return nomem(x, err);
		v = x->out.data;
		n = x->out.len;
		break;
	default: /* inline, formula string, error text, ISO date: as written */
		break;
	}
	if (xy__rowbuf_cell(&x->rb, col, v, n, too_long, 1))
		return nomem(x, err);
	return XY_OK;
}

/* Column of a cell reference ("C7" -> 2), or SIZE_MAX if there is none. */
static size_t ref_col(const char *r)
{
	size_t col = 0;
	int k = 0;
	for (; (*r >= 'A' && *r <= 'Z') || (*r >= 'a' && *r <= 'z'); r++, k++) {
		if (k >= 4)
			return (size_t)1 << 24; /* past XFD: beyond any limit */
		col = col * 26 + (size_t)((*r | 0x20) - 'a' + 1);
	}
	return k ? col - 1 : SIZE_MAX;
}

static void cell_begin(xlsx *x)
{
	const xmlChar *an, *av;
	size_t col = SIZE_MAX;
	x->cell_type = CT_NUM;
	x->cell_style = 0;
	while (xy__zx_next_attr(&x->z, &an, &av, NULL)) {
		if (eq(an, "r")) {
			col = ref_col((const char *)av);
		} else if (eq(an, "t")) {
			if (eq(av, "s"))
				x->cell_type = CT_SST;
			else if (eq(av, "inlineStr"))
				x->cell_type = CT_INLINE;
			else if (eq(av, "str"))
				x->cell_type = CT_STR;
			else if (eq(av, "b"))
				x->cell_type = CT_BOOL;
			else if (eq(av, "e"))
				x->cell_type = CT_ERR;
			else if (eq(av, "d"))
				x->cell_type = CT_DATE;
		} else if (eq(an, "s")) {
			x->cell_style = strtoul((const char *)av, NULL, 10);
		}
	}
	if (col == SIZE_MAX || col < x->rb.ncol || col < x->next_col)
		col = x->next_col > x->rb.ncol ? x->next_col : x->rb.ncol;
	x->cell_col = col;
	x->next_col = col + 1;
	x->in_cell = true;
	x->in_v = x->in_is = x->in_t = x->val_long = false;
	x->rph = 0;
	xy_buf_reset(&x->val);
}

/* Excel's last row: a row number past it, or not after the previous row,
 * ends reading (an overflowing r= made `line + 1` undefined). */
#define XLSX_MAX_ROW 1048576L

static xy_code row_begin(xlsx *x, xy_error *err)
{
	const xmlChar *an, *av;
	long line = x->line + 1;
	while (xy__zx_next_attr(&x->z, &an, &av, NULL)) {
		if (eq(an, "r")) {
			char *end;
			long v;
			errno = 0;
			v = strtol((const char *)av, &end, 10);
			if (*end != '\0' || errno || v <= x->line || v > XLSX_MAX_ROW)
				return xy_error_at(err, XY_ERR_FORMAT, x->path, x->line, NULL,
				                   "sheet %s: absurd row number r=\"%.40s\" after row %ld "
				                   "(rows go up to %ld and increase)",
				                   x->sheets[x->cur].name, (const char *)av, x->line,
				                   XLSX_MAX_ROW);
			line = v;
		}
	}
	if (line > XLSX_MAX_ROW)
		return xy_error_at(err, XY_ERR_FORMAT, x->path, x->line, NULL,
		                   "sheet %s: more than %ld rows", x->sheets[x->cur].name,
		                   XLSX_MAX_ROW);
	x->line = line;
	x->in_row = true;
	xy__rowbuf_reset(&x->rb);
	x->next_col = 0;
	return XY_OK;
}

/* Finish the row; *ready when it is to be handed out (not entirely empty). */
static xy_code row_end(xlsx *x, bool *ready, xy_error *err)
{
	x->in_row = false;
	if (xy__rowbuf_finish(&x->rb, ready))
		return nomem(x, err);
	if (!*ready)
		return XY_OK;
	x->rb.row.line = x->line;
	x->rb.row.sheet = x->sheets[x->cur].name;
	x->rb.row.is_header = !x->seen_header;
	x->seen_header = true;
	return XY_OK;
}

/* One node of a sheet. */
static xy_code sheet_node(xlsx *x, bool *ready, xy_error *err)
{
	int type = xmlTextReaderNodeType(x->z.xr);
	const xmlChar *el;
	bool empty;
	*ready = false;
	if (xy__zx_is_text(type)) {
		if (x->in_cell && (x->in_v || (x->in_t && x->rph == 0))) {
			const xmlChar *v = xmlTextReaderConstValue(x->z.xr);
			if (v)
				xy__cell_text(&x->val, &x->val_long, x->opts.max_cell,
				              (const char *)v, strlen((const char *)v));
		}
		return XY_OK;
	}
	if (type != XML_READER_TYPE_ELEMENT && type != XML_READER_TYPE_END_ELEMENT)
		return XY_OK;
	el = xmlTextReaderConstLocalName(x->z.xr);
	if (!el)
		return XY_OK;
	if (type == XML_READER_TYPE_ELEMENT) {
		empty = xmlTextReaderIsEmptyElement(x->z.xr);
		if (eq(el, "sheetData")) {
			x->in_data = !empty;
			return XY_OK;
		}
		if (!x->in_data)
			return XY_OK;
		if (eq(el, "row") && !x->in_row) {
			xy_code rc = row_begin(x, err);
			if (rc)
				return rc;
			if (empty)
				return row_end(x, ready, err);
		} else if (eq(el, "c") && x->in_row && !x->in_cell) {
			cell_begin(x);
			if (empty)
				return cell_end(x, err);
		} else if (x->in_cell && !empty) {
			if (eq(el, "v"))
				x->in_v = true;
			else if (eq(el, "is"))
				x->in_is = true;
			else if (eq(el, "t") && x->in_is)
				x->in_t = true;
			else if (eq(el, "rPh") && x->in_is)
				x->rph++;
		}
		return XY_OK;
	}
	/* end element */
	if (eq(el, "sheetData")) {
		x->in_data = false;
	} else if (eq(el, "c") && x->in_cell) {
		return cell_end(x, err);
	} else if (eq(el, "row") && x->in_row) {
		xy_code rc;
		if (x->in_cell && (rc = cell_end(x, err)))
			return rc;
		return row_end(x, ready, err);
	} else if (x->in_cell) {
		if (eq(el, "v"))
			x->in_v = false;
		else if (eq(el, "is"))
			x->in_is = false;
		else if (eq(el, "t"))
			x->in_t = false;
		else if (eq(el, "rPh") && x->rph > 0)
			x->rph--;
	}
	return XY_OK;
}

/* ---- ops ---- */

static xy_code xlsx_next(void *impl, const xy_row **row, xy_error *err)
{
	xlsx *x = impl;
	xy__zx_guard g;
	xy_code rc = XY_OK;
	*row = NULL;
	if (x->failed)
		return xy_error_at(err, x->failed, x->path, 0, NULL,
		                   "reading stopped after an earlier error");
	xy__zx_guard_on(&g, &x->z);
	for (;;) {
		int more;
		bool ready = false;
		if (!x->z.xr) {
			if (x->cur >= x->nsheets)
				break;
			if (x->sheets[x->cur].hidden) {
				x->rb.row = (xy_row){.sheet = x->sheets[x->cur++].name,
				                     .is_header = true,
				                     .hidden = true,
				                     .cells = (const char *const *)x->rb.cellp,
				                     .lens = x->rb.lens,
				                     .problem_col = -1};
				*row = &x->rb.row;
				break;
			}
			x->in_data = x->seen_header = x->in_row = x->in_cell = false;
			x->line = 0;
			if ((rc = xy__zx_entry_open(&x->z, x->sheets[x->cur].entry, false, true, NULL, err)))
				break;
		}
		if ((rc = xy__zx_next(&x->z, &more, err)))
			break;
		if (!more) {
			xy__zx_entry_close(&x->z);
			x->cur++;
			continue;
		}
		if ((rc = sheet_node(x, &ready, err)))
			break;
		if (ready) {
			*row = &x->rb.row;
			break;
		}
	}
	xy__zx_guard_off(&g);
	if (rc) {
		x->failed = rc;
		xy__zx_entry_close(&x->z);
	}
	return rc;
}

/* Compressed bytes consumed: the entries finished plus the current entry's
 * compressed size pro rata of what has been inflated (an estimate). */
static uint64_t xlsx_offset(const void *impl)
{
	return xy__zx_offset(&((const xlsx *)impl)->z);
}

static xy_encoding xlsx_encoding(const void *impl)
{
	(void)impl;
	return XY_ENC_UTF8;
}

static void xlsx_free(void *impl)
{
	xlsx *x = impl;
	xy__zx_guard g;
	if (!x)
		return;
	xy__zx_guard_on(&g, &x->z);
	xy__zx_release(&x->z);
	xy__zx_guard_off(&g);
	for (size_t i = 0; i < x->nsheets; i++) {
		free(x->sheets[i].name);
		free(x->sheets[i].rid);
		free(x->sheets[i].entry);
	}
	free(x->sheets);
	for (size_t i = 0; i < x->nrels; i++) {
		free(x->rels[i].id);
		free(x->rels[i].type);
		free(x->rels[i].target);
	}
	free(x->rels);
	xy_buf_release(&x->sst);
	free(x->sst_off);
	xy_buf_release(&x->sst_cur);
	xy_buf_release(&x->sst_back);
	if (x->spill)
		fclose(x->spill);
	if (x->spill_idx)
		fclose(x->spill_idx);
	free(x->xf_date);
	xy__rowbuf_release(&x->rb);
	xy_buf_release(&x->val);
	xy_buf_release(&x->out);
	free(x->path);
	free(x);
}

static const xy_reader_ops xlsx_ops = {
    .next = xlsx_next,
    .offset = xlsx_offset,
    .encoding = xlsx_encoding,
    .free = xlsx_free,
};

/* Refuse up front when the parts to be read already declare more than the
 * limit (the read callback enforces it on the real bytes anyway). */
static xy_code check_declared(xlsx *x, const char *sst, const char *styles, xy_error *err)
{
	uint64_t total = 0;
	const char *fixed[] = {"xl/workbook.xml", "xl/_rels/workbook.xml.rels", sst, styles};
	for (size_t i = 0; i < sizeof fixed / sizeof *fixed + x->nsheets; i++) {
		const char *name = i < 4 ? fixed[i] : x->sheets[i - 4].entry;
		zip_int64_t idx;
		zip_stat_t st;
		if (!name || (idx = xy__zx_locate(&x->z, name)) < 0)
			continue;
		zip_stat_init(&st);
		if (zip_stat_index(x->z.za, (zip_uint64_t)idx, 0, &st) == 0 &&
		    (st.valid & ZIP_STAT_SIZE))
			total += st.size;
	}
	if (total > x->opts.max_unzipped)
		return xy_error_at(err, XY_ERR_LIMIT, x->path, 0, NULL,
		                   "xlsx expands past the limit of %llu bytes (zip bomb?): "
		                   "its sheets declare %llu bytes",
		                   (unsigned long long)x->opts.max_unzipped,
		                   (unsigned long long)total);
	return XY_OK;
}

static xy_code xlsx_load(xlsx *x, xy_error *err)
{
	xy_code rc;
	const xlsx_rel *r;
	char *sst = NULL, *styles = NULL;
	if ((rc = xy__zx_open(&x->z, err)))
		return rc;
	if (xy__zx_locate(&x->z, "xl/workbook.xml") < 0)
		return xy_error_at(err, XY_ERR_FORMAT, x->path, 0, NULL,
		                   "not an XLSX workbook: xl/workbook.xml missing");
	if ((rc = parse_workbook(x, err)) || (rc = parse_rels(x, err)) ||
	    (rc = resolve_sheets(x, err)))
		return rc;
	r = rel_by_type(x, "sharedStrings");
	sst = strdup(r ? r->target : "xl/sharedStrings.xml");
	r = rel_by_type(x, "styles");
	styles = strdup(r ? r->target : "xl/styles.xml");
	if (!sst || !styles)
		rc = nomem(x, err);
	if (!rc)
		rc = check_declared(x, sst, styles, err);
	if (!rc)
		rc = parse_styles(x, styles, err);
	if (!rc)
		rc = parse_sst(x, sst, err);
	free(sst);
	free(styles);
	return rc;
}

xy_code xy__xlsx_open(void **impl, const xy_reader_ops **ops, const char *path,
                      const xy_reader_opts *opts, xy_error *err)
{
	xlsx *x;
	xy__zx_guard g;
	xy_code rc;
	*impl = NULL;
	x = calloc(1, sizeof *x);
	if (!x)
		return xy_error_set(err, XY_ERR_NOMEM, "out of memory");
	x->path = strdup(path);
	if (!x->path) {
		free(x);
		return xy_error_set(err, XY_ERR_NOMEM, "out of memory");
	}
	if (opts)
		x->opts = *opts;
	xy__reader_defaults(&x->opts);
	x->z.path = x->path;
	x->z.kind = "XLSX";
	x->z.kind_lc = "xlsx";
	x->z.what = "XLSX workbook";
	x->z.max_unzipped = x->opts.max_unzipped;
	xy_buf_init(&x->sst, 0); /* bounded by sst_budget in sst_commit() */
	xy_buf_init(&x->sst_cur, 0); /* bounded by max_cell + 1 in parse_sst() */
	xy_buf_init(&x->sst_back, 0);
	xy__rowbuf_init(&x->rb, &x->opts, XLSX_MAX_ROW_BYTES);
	xy_buf_init(&x->val, 0);  /* bounded by max_cell + 1 in xy__cell_text() */
	xy_buf_init(&x->out, 0);
	xmlInitParser();
	xy__zx_guard_on(&g, &x->z);
	rc = xlsx_load(x, err);
	xy__zx_guard_off(&g);
	if (rc) {
		xlsx_free(x);
		return rc;
	}
	*impl = x;
	*ops = &xlsx_ops;
	return XY_OK;
}
