/* The monthly bulletin (工作简报): assembled from configuration, the stored
 * city index, Markdown articles and the statistics; rendered to HTML, PDF
 * (cairo + pango: pango does the CJK line breaking and font fallback; we do
 * only the page xy__pdf_flow and the tables) and XLSX. */
#include <dirent.h>
#include <errno.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cairo-pdf.h>
#include <pango/pangocairo.h>

#include "xinyong/auth.h"
#include "xinyong/bulletin.h"
#include "xinyong/chart.h"
#include "xinyong/date.h"
#include "xinyong/quality.h"
#include "xinyong/stats.h"
#include "xinyong/text.h"
#include "cjk.h"
#include "pdf.h"
#include "table_pdf.h"

#define FILE_MAX (1u << 20)     /* an article or bulletin.tsv */
#define MAX_ARTICLES 1000

const char *const xy_bulletin_sections[XY_BULLETIN_NSECTIONS] = {
	"重要文件", "工作推进", "联合奖惩", "县区风采", "工作简讯", "情况通报",
};
#define REPORT_SECTION 5 /* 情况通报: sentences and tables follow its articles */
#define REPORT_TITLE "全市各信源单位信用信息数据上报情况"

/* ---- small helpers ---- */

static char *sdupn(const char *s, size_t n)
{
	char *p = malloc(n + 1);
	if (p) {
		memcpy(p, s, n);
		p[n] = '\0';
	}
	return p;
}

static char *sdup(const char *s)
{
	return sdupn(s, strlen(s));
}

static bool starts(const char *s, size_t n, const char *prefix)
{
	size_t k = strlen(prefix);
	return n >= k && memcmp(s, prefix, k) == 0;
}

static bool ends_with(const char *s, const char *ext)
{
	size_t a = strlen(s), b = strlen(ext);
	return a > b && strcasecmp(s + a - b, ext) == 0;
}

static xy_code read_file(const char *path, xy_buf *out, xy_error *err)
{
	FILE *f = fopen(path, "rb");
	char chunk[8192];
	size_t got;
	xy_code rc = XY_OK;
	if (!f)
		return xy_error_at(err, XY_ERR_IO, path, 0, NULL, "cannot open: %s",
				   strerror(errno));
	while (!rc && (got = fread(chunk, 1, sizeof chunk, f)) > 0)
		if ((rc = xy_buf_add(out, chunk, got)))
			rc = xy_error_at(err, rc, path, 0, NULL, "larger than %u bytes", FILE_MAX);
	if (!rc && ferror(f))
		rc = xy_error_at(err, XY_ERR_IO, path, 0, NULL, "read error");
	fclose(f);
	if (!rc && xy_utf8_len(out->data, out->len) == (size_t)-1)
		rc = xy_error_at(err, XY_ERR_ENCODING, path, 0, NULL, "not UTF-8 text");
	return rc;
}

static int section_index(const char *s, size_t n)
{
	s = xy_trim(s, &n);
	if (starts(s, n, "【") && n >= 6 && memcmp(s + n - 3, "】", 3) == 0) {
		s += 3;
		n -= 6;
	}
	for (int i = 0; i < XY_BULLETIN_NSECTIONS; i++)
		if (strlen(xy_bulletin_sections[i]) == n && memcmp(xy_bulletin_sections[i], s, n) == 0)
			return i;
	return -1;
}

/* ---- the model ---- */

static void article_release(xy_article *a)
{
	free(a->section);
	free(a->title);
	for (size_t i = 0; i < a->nparas; i++)
		free(a->paras[i]);
	free(a->paras);
	free(a->source);
	free(a->file);
}

#define CFG_FIELDS(X)                                                                          \
	X(masthead) X(title) X(office) X(report_to) X(send_to) X(editors) X(reviewer) X(email) \
	X(phone) X(website) X(website_name) X(copies)

xy_bulletin *xy_bulletin_new(void)
{
	xy_bulletin *b = calloc(1, sizeof *b);
	if (!b)
		return NULL;
	b->sentences = sdup("");
#define X(f) b->cfg.f = sdup("");
	CFG_FIELDS(X)
#undef X
	if (!b->sentences) {
		xy_bulletin_free(b);
		return NULL;
	}
#define X(f)                          \
	if (!b->cfg.f) {              \
		xy_bulletin_free(b);  \
		return NULL;          \
	}
	CFG_FIELDS(X)
#undef X
	return b;
}

void xy_bulletin_free(xy_bulletin *b)
{
	if (!b)
		return;
#define X(f) free(b->cfg.f);
	CFG_FIELDS(X)
#undef X
	free(b->index);
	for (size_t i = 0; i < b->narticles; i++)
		article_release(&b->articles[i]);
	free(b->articles);
	free(b->sentences);
	xy_table_free(b->departments);
	xy_table_free(b->regions);
	free(b);
}

xy_code xy_bulletin_load_config(xy_bulletin *b, const char *path, xy_error *err)
{
	xy_buf text = XY_BUF_INIT;
	char *line, *next;
	long row = 0;
	xy_code rc;

	xy_buf_init(&text, FILE_MAX);
	if ((rc = read_file(path, &text, err)))
		goto out;
	for (line = text.data; line && *line; line = next) {
		char *tab, **slot = NULL, *v;
		size_t len, klen;
		const char *k;
		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		row++;
		if (row == 1 && starts(line, strlen(line), "\xEF\xBB\xBF"))
			line += 3;
		len = strlen(line);
		if (len && line[len - 1] == '\r')
			line[--len] = '\0';
		k = xy_trim(line, &len);
		if (!len || *k == '#' || strcmp(k, "key\tvalue") == 0)
			continue;
		if (!(tab = strchr(line, '\t'))) {
			rc = xy_error_at(err, XY_ERR_CONFIG, path, row, NULL,
					 "expected KEY<TAB>VALUE");
			goto out;
		}
		klen = (size_t)(tab - line);
		k = xy_trim(line, &klen);
#define X(f)                                                   \
	if (klen == strlen(#f) && memcmp(k, #f, klen) == 0) \
		slot = &b->cfg.f;
		CFG_FIELDS(X)
#undef X
		if (!slot) {
			rc = xy_error_at(err, XY_ERR_CONFIG, path, row, NULL, "unknown key '%.*s'",
					 (int)klen, k);
			goto out;
		}
		len = strlen(tab + 1);
		k = xy_trim(tab + 1, &len);
		if (!(v = sdupn(k, len))) {
			rc = xy_error_set(err, XY_ERR_NOMEM, "out of memory");
			goto out;
		}
		free(*slot);
		*slot = v;
	}
	if (!*b->cfg.masthead || !*b->cfg.title || !*b->cfg.office)
		rc = xy_error_at(err, XY_ERR_CONFIG, path, 0, NULL,
				 "masthead, title and office are required");
out:
	xy_buf_release(&text);
	return rc;
}

/* Join a paragraph's lines: no space between CJK text, one between words. */
static xy_code para_add_line(xy_buf *p, const char *s, size_t n)
{
	if (p->len && n) {
		unsigned char a = (unsigned char)p->data[p->len - 1], c = (unsigned char)s[0];
		if (a < 0x80 && c < 0x80 && a != ' ' && c != ' ')
			if (xy_buf_addch(p, ' '))
				return XY_ERR_NOMEM;
	}
	return xy_buf_add(p, s, n);
}

static bool is_source_line(const char *s)
{
	size_t n = strlen(s);
	return n <= 240 && starts(s, n, "（") && n > 6 && memcmp(s + n - 3, "）", 3) == 0 &&
	       !strstr(s + 3, "（") && !strstr(s, "**");
}

xy_code xy_bulletin_add_article(xy_bulletin *b, const char *text, size_t len,
				const char *section, const char *file, xy_error *err)
{
	xy_article a;
	xy_buf para = XY_BUF_INIT;
	const char *p = text, *end = text + len;
	int sec = section ? section_index(section, strlen(section)) : -1;
	bool front = true;
	xy_code rc = XY_OK;
	const char *fname = file ? file : "";

	memset(&a, 0, sizeof a);
	if (b->narticles >= MAX_ARTICLES)
		return xy_error_at(err, XY_ERR_LIMIT, fname, 0, NULL, "more than %d articles",
				   MAX_ARTICLES);
	if (len >= 3 && memcmp(p, "\xEF\xBB\xBF", 3) == 0)
		p += 3;
	if (section && sec < 0)
		return xy_error_at(err, XY_ERR_INVALID, fname, 0, "section",
				   "'%s' is not a bulletin section", section);
	for (long row = 1; p < end || para.len; row++) {
		const char *nl = p < end ? memchr(p, '\n', (size_t)(end - p)) : NULL;
		size_t n = p < end ? (nl ? (size_t)(nl - p) : (size_t)(end - p)) : 0;
		const char *s = p;
		bool blank;
		if (n && s[n - 1] == '\r')
			n--;
		p = p < end ? (nl ? nl + 1 : end) : end;
		s = xy_trim(s, &n);
		blank = n == 0;
		if (front && !blank) { /* front lines: section: X / 栏目：X */
			const char *keys[] = { "section:", "section：", "栏目:", "栏目：" };
			bool matched = false;
			for (size_t k = 0; k < 4 && !matched; k++)
				if (starts(s, n, keys[k])) {
					size_t kl = strlen(keys[k]);
					sec = section_index(s + kl, n - kl);
					if (sec < 0) {
						rc = xy_error_at(err, XY_ERR_INVALID, fname, row,
								 "section",
								 "'%.*s' is not a bulletin section "
								 "(重要文件 工作推进 联合奖惩 县区风采 "
								 "工作简讯 情况通报)",
								 (int)(n - kl), s + kl);
						goto fail;
					}
					matched = true;
				}
			if (matched)
				continue;
		}
		if (!blank && *s == '#' && !a.title && !a.nparas && !para.len) {
			while (n && *s == '#') {
				s++;
				n--;
			}
			s = xy_trim(s, &n);
			if (!(a.title = sdupn(s, n)))
				goto nomem;
			front = false;
			continue;
		}
		if (!blank) {
			front = false;
			if (!para.len && n >= 2 && (s[0] == '-' || s[0] == '*' || s[0] == '+') &&
			    s[1] == ' ') { /* a list marker: the paragraph is the item */
				s += 2;
				n -= 2;
				s = xy_trim(s, &n);
			} else if (!para.len && *s == '#') {
				/* a later heading prints as a bold paragraph */
				while (n && *s == '#') {
					s++;
					n--;
				}
				s = xy_trim(s, &n);
				if (xy_buf_addstr(&para, "**") || xy_buf_add(&para, s, n) ||
				    xy_buf_addstr(&para, "**"))
					goto nomem;
				continue;
			}
			if (para_add_line(&para, s, n))
				goto nomem;
			if (p < end || para.len == 0)
				continue;
		}
		if (para.len) { /* a blank line or the end closes the paragraph */
			char **np = realloc(a.paras, (a.nparas + 1) * sizeof *np);
			if (!np)
				goto nomem;
			a.paras = np;
			if (!(a.paras[a.nparas] = xy_buf_detach(&para, NULL)))
				goto nomem;
			a.nparas++;
		}
		if (p >= end)
			break;
	}
	if (sec < 0) {
		rc = xy_error_at(err, XY_ERR_INVALID, fname, 1, "section",
				 "no section: put the file in a section's directory "
				 "or start it with a line 'section: 工作推进'");
		goto fail;
	}
	if (a.nparas && is_source_line(a.paras[a.nparas - 1])) {
		a.source = a.paras[--a.nparas];
	}
	if (!a.title && !(a.title = sdup("")))
		goto nomem;
	if (!a.source && !(a.source = sdup("")))
		goto nomem;
	if (!*a.title && !a.nparas) {
		rc = xy_error_at(err, XY_ERR_INVALID, fname, 0, NULL, "the article is empty");
		goto fail;
	}
	if (!(a.section = sdup(xy_bulletin_sections[sec])) || !(a.file = sdup(fname)))
		goto nomem;
	{
		xy_article *na = realloc(b->articles, (b->narticles + 1) * sizeof *na);
		if (!na)
			goto nomem;
		b->articles = na;
		b->articles[b->narticles++] = a;
	}
	return XY_OK;
nomem:
	rc = xy_error_set(err, XY_ERR_NOMEM, "out of memory");
fail:
	xy_buf_release(&para);
	article_release(&a);
	return rc;
}

typedef struct md_file {
	char *path;
	char *section; /* the directory's name, NULL at the top */
} md_file;

static int md_file_cmp(const void *x, const void *y)
{
	return strcmp(((const md_file *)x)->path, ((const md_file *)y)->path);
}

/* Collect *.md of dir (and, at depth 0, of its subdirectories). */
static xy_code collect(const char *dir, const char *section, int depth, md_file **v,
		       size_t *n, xy_error *err)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	xy_code rc = XY_OK;
	if (!d)
		return xy_error_at(err, XY_ERR_IO, dir, 0, NULL, "cannot open the directory: %s",
				   strerror(errno));
	while (!rc && (e = readdir(d))) {
		xy_buf path = XY_BUF_INIT;
		struct stat st;
		if (e->d_name[0] == '.')
			continue;
		if (xy_buf_addf(&path, "%s/%s", dir, e->d_name)) {
			rc = xy_error_set(err, XY_ERR_NOMEM, "out of memory");
			break;
		}
		if (stat(path.data, &st) == 0 && S_ISDIR(st.st_mode) && depth == 0) {
			rc = collect(path.data, e->d_name, 1, v, n, err);
		} else if (stat(path.data, &st) == 0 && S_ISREG(st.st_mode) &&
			   ends_with(e->d_name, ".md") && strcasecmp(e->d_name, "README.md") != 0) {
			md_file *nv = *n >= MAX_ARTICLES ? NULL : realloc(*v, (*n + 1) * sizeof *nv);
			if (!nv) {
				rc = *n >= MAX_ARTICLES
					     ? xy_error_at(err, XY_ERR_LIMIT, dir, 0, NULL,
							   "more than %d articles", MAX_ARTICLES)
					     : xy_error_set(err, XY_ERR_NOMEM, "out of memory");
			} else {
				*v = nv;
				nv[*n].path = xy_buf_detach(&path, NULL);
				nv[*n].section = section ? sdup(section) : NULL;
				if (!nv[*n].path || (section && !nv[*n].section))
					rc = xy_error_set(err, XY_ERR_NOMEM, "out of memory");
				(*n)++;
			}
		}
		xy_buf_release(&path);
	}
	closedir(d);
	return rc;
}

static int article_order(const void *x, const void *y)
{
	const xy_article *a = x, *b = y;
	int sa = section_index(a->section, strlen(a->section));
	int sb = section_index(b->section, strlen(b->section));
	if (sa != sb)
		return sa - sb;
	return strcmp(a->file, b->file);
}

xy_code xy_bulletin_load_articles(xy_bulletin *b, const char *dir, xy_error *err)
{
	md_file *v = NULL;
	size_t n = 0;
	xy_code rc = collect(dir, NULL, 0, &v, &n, err);
	xy_buf text = XY_BUF_INIT;

	if (!rc && n)
		qsort(v, n, sizeof *v, md_file_cmp);
	for (size_t i = 0; !rc && i < n; i++) {
		const char *sec = v[i].section;
		xy_buf_init(&text, FILE_MAX);
		if (sec && section_index(sec, strlen(sec)) < 0)
			sec = NULL; /* not a section's directory: the file must say */
		rc = read_file(v[i].path, &text, err);
		if (!rc)
			rc = xy_bulletin_add_article(b, text.data, text.len, sec, v[i].path, err);
		xy_buf_release(&text);
	}
	for (size_t i = 0; i < n; i++) {
		free(v[i].path);
		free(v[i].section);
	}
	free(v);
	if (!rc && b->narticles)
		qsort(b->articles, b->narticles, sizeof *b->articles, article_order);
	return rc;
}

/* ---- building from the store ---- */

static bool parse_month(const char *s, char out[8])
{
	xy_city_index v;
	if (!s || xy_city_index_parse(s, "0", "1", &v, NULL))
		return false;
	memcpy(out, v.month, 8);
	return true;
}

xy_code xy_bulletin_build(xy_store *s, const xy_registry *reg, const xy_bulletin_opts *o,
			  xy_bulletin **out, xy_error *err)
{
	xy_bulletin *b;
	xy_buf path = XY_BUF_INIT, sent = XY_BUF_INIT;
	const char *dir = o->config_dir ? o->config_dir : xy_registry_default_dir();
	char month[8], lo[32], day[11];
	xy_stats_opts so;
	xy_code rc;
	int y, m;

	*out = NULL;
	if (o->issue < 1)
		return xy_error_at(err, XY_ERR_ARG, NULL, 0, "issue", "the issue must be >= 1");
	if (!o->date || xy_date_parse(o->date, day) != XY_OK)
		return xy_error_at(err, XY_ERR_ARG, NULL, 0, "date",
				   "the date must be YYYY-MM-DD, not '%s'", o->date ? o->date : "");
	if (!(b = xy_bulletin_new()))
		return xy_error_set(err, XY_ERR_NOMEM, "out of memory");
	b->issue = o->issue;
	memcpy(b->date, day, sizeof day);
	memcpy(month, b->date, 7);
	month[7] = '\0';
	y = atoi(b->date);
	m = atoi(b->date + 5);
	if (o->from) {
		if (!parse_month(o->from, b->from)) {
			rc = xy_error_at(err, XY_ERR_ARG, NULL, 0, "from",
					 "--from must be YYYY-MM, not '%s'", o->from);
			goto fail;
		}
	} else {
		memcpy(b->from, b->date, 5); /* January of the bulletin's year */
		memcpy(b->from + 5, "01", 3);
	}
	if (o->to) {
		if (!parse_month(o->to, b->to)) {
			rc = xy_error_at(err, XY_ERR_ARG, NULL, 0, "to", "--to must be YYYY-MM, not '%s'",
					 o->to);
			goto fail;
		}
	} else {
		memcpy(b->to, month, 8);
	}
	if (strcmp(b->from, b->to) > 0) {
		rc = xy_error_set(err, XY_ERR_ARG, "the range %s … %s runs backwards", b->from, b->to);
		goto fail;
	}
	if ((rc = xy_buf_addf(&path, "%s/bulletin.tsv", dir)) ||
	    (rc = xy_bulletin_load_config(b, path.data, err)))
		goto fail;
	if (o->articles && (rc = xy_bulletin_load_articles(b, o->articles, err)))
		goto fail;
	/* the ranking: the twelve months up to the bulletin's month */
	if ((rc = xy_store_index_list(s, &b->index, &b->nindex, err)))
		goto fail;
	snprintf(lo, sizeof lo, "%04d-%02d", m == 12 ? y : y - 1, m == 12 ? 1 : m + 1);
	b->nindex = xy_city_index_range(b->index, b->nindex, lo, month);

	memset(&so, 0, sizeof so);
	so.from = b->from;
	so.to = b->to;
	so.config_dir = o->config_dir;
	so.layout = XY_STATS_REGION;
	if ((rc = xy_stats_table(s, reg, &so, &b->regions, err)))
		goto fail;
	so.layout = XY_STATS_DEPARTMENT;
	if ((rc = xy_stats_table(s, reg, &so, &b->departments, err)))
		goto fail;
	if (!b->regions->note) { /* the bulletin dates the region table */
		char note[16];
		snprintf(note, sizeof note, "%.4s.%.2s.%.2s", b->date, b->date + 5, b->date + 8);
		if ((rc = xy_table_set_note(b->regions, note)))
			goto nomem;
	}
	if ((rc = xy_stats_sentences(s, reg, &so, &sent, err)))
		goto fail;
	/* the month's slowest 双公示 reporters (none when all are within 7 working days) */
	if ((rc = xy_quality_sentence(s, reg, b->to, o->config_dir, &sent, err)))
		goto fail;
	free(b->sentences);
	if (!(b->sentences = xy_buf_detach(&sent, NULL)))
		goto nomem;
	xy_buf_release(&path);
	*out = b;
	return XY_OK;
nomem:
	rc = xy_error_set(err, XY_ERR_NOMEM, "out of memory");
fail:
	xy_buf_release(&path);
	xy_buf_release(&sent);
	xy_bulletin_free(b);
	return rc;
}

/* ---- text shared by the renderers ---- */

static void date_zh(const char *date, char *out, size_t sz)
{
	snprintf(out, sz, "%d年%d月%d日", atoi(date), atoi(date + 5), atoi(date + 8));
}

/* Append s with & < > escaped (HTML and pango markup alike). */
static xy_code add_escaped(xy_buf *o, const char *s, size_t n)
{
	xy_code rc = XY_OK;
	for (size_t i = 0; !rc && i < n; i++) {
		switch (s[i]) {
		case '&': rc = xy_buf_addstr(o, "&amp;"); break;
		case '<': rc = xy_buf_addstr(o, "&lt;"); break;
		case '>': rc = xy_buf_addstr(o, "&gt;"); break;
		case '"': rc = xy_buf_addstr(o, "&quot;"); break;
		default: rc = xy_buf_addch(o, s[i]);
		}
	}
	return rc;
}

/* Markdown inline text (**bold**) to markup: <b> for pango, <strong> for HTML. */
static xy_code add_inline(xy_buf *o, const char *s, bool html)
{
	bool bold = false;
	xy_code rc = XY_OK;
	const char *open = html ? "<strong>" : "<b>", *close = html ? "</strong>" : "</b>";
	while (!rc && *s) {
		const char *star = strstr(s, "**");
		size_t n = star ? (size_t)(star - s) : strlen(s);
		rc = add_escaped(o, s, n);
		if (!star || rc)
			break;
		rc = xy_buf_addstr(o, bold ? close : open);
		bold = !bold;
		s = star + 2;
	}
	if (!rc && bold)
		rc = xy_buf_addstr(o, close);
	return rc;
}

/* Each non-empty line of the 情况通报 sentences is a paragraph. */
static size_t next_line(const char **s, const char **line)
{
	while (**s == '\n' || **s == '\r')
		(*s)++;
	*line = *s;
	while (**s && **s != '\n')
		(*s)++;
	return (size_t)(*s - *line) - (*s > *line && (*s)[-1] == '\r');
}

static size_t section_articles(const xy_bulletin *b, int sec, size_t *first)
{
	size_t n = 0;
	*first = 0;
	for (size_t i = 0; i < b->narticles; i++)
		if (strcmp(b->articles[i].section, xy_bulletin_sections[sec]) == 0) {
			if (!n)
				*first = i;
			n++;
		}
	return n;
}

/* ---- HTML ---- */

static const char html_style[] =
	"body{margin:0;background:#f3f4f6;color:#1f2328;font-family:\"Noto Sans CJK SC\","
	"\"Source Han Sans SC\",\"PingFang SC\",\"Microsoft YaHei\",sans-serif;line-height:1.8}\n"
	"main{max-width:56rem;margin:1.5rem auto;background:#fff;padding:2.5rem 3rem;"
	"box-shadow:0 1px 4px rgba(0,0,0,.12)}\n"
	".masthead{text-align:center;color:#c00000;border-bottom:3px double #c00000;"
	"padding-bottom:.6rem;margin-bottom:1.5rem}\n"
	".masthead .name{font-size:2rem;font-weight:700;letter-spacing:.2em}\n"
	".masthead .title{font-size:2.8rem;font-weight:700;letter-spacing:.5em;margin:.2rem 0}\n"
	".masthead .issue{color:#1f2328;font-size:1.1rem}\n"
	".masthead .meta{display:flex;justify-content:space-between;color:#1f2328;margin-top:.8rem}\n"
	"h2{color:#c00000;font-size:1.25rem;margin:2rem 0 .8rem}\n"
	"h3{text-align:center;font-size:1.3rem;margin:1.2rem 0 .8rem}\n"
	"article p{text-indent:2em;margin:.4rem 0;text-align:justify}\n"
	"article p.source{text-align:right;text-indent:0}\n"
	"figure{margin:1rem 0;text-align:center}figure svg{max-width:100%;height:auto}\n"
	"table{border-collapse:collapse;margin:1rem auto;font-size:.85rem;line-height:1.4}\n"
	"th,td{border:1px solid #555;padding:.25rem .4rem;text-align:center}\n"
	"th{background:#eef1f5}caption{font-weight:700;font-size:1.05rem;padding:.5rem}\n"
	".wide{overflow-x:auto}\n"
	"footer{margin-top:2.5rem;border-top:1px solid #1f2328;border-bottom:1px solid #1f2328;"
	"padding:.6rem 0}\nfooter p{margin:.2rem 0}\n.after{margin-top:.6rem}\n"
	".copies{text-align:right}\n"
	"@media print{body{background:#fff}main{box-shadow:none;margin:0}}\n";

static xy_code html_article(xy_buf *o, const xy_article *a)
{
	xy_code rc = xy_buf_addstr(o, "<article>\n");
	if (!rc && *a->title) {
		rc = xy_buf_addstr(o, "<h3>");
		if (!rc)
			rc = add_inline(o, a->title, true);
		if (!rc)
			rc = xy_buf_addstr(o, "</h3>\n");
	}
	for (size_t i = 0; !rc && i < a->nparas; i++) {
		rc = xy_buf_addstr(o, "<p>");
		if (!rc)
			rc = add_inline(o, a->paras[i], true);
		if (!rc)
			rc = xy_buf_addstr(o, "</p>\n");
	}
	if (!rc && *a->source) {
		rc = xy_buf_addstr(o, "<p class=\"source\">");
		if (!rc)
			rc = add_inline(o, a->source, true);
		if (!rc)
			rc = xy_buf_addstr(o, "</p>\n");
	}
	if (!rc)
		rc = xy_buf_addstr(o, "</article>\n");
	return rc;
}

static xy_code html_table(xy_buf *o, const xy_table *t, xy_error *err)
{
	char *mem = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&mem, &len);
	xy_code rc;
	if (!f)
		return xy_error_set(err, XY_ERR_NOMEM, "out of memory");
	rc = xy_table_write(t, XY_TABLE_HTML, f, err);
	if (fclose(f) && !rc)
		rc = xy_error_set(err, XY_ERR_NOMEM, "out of memory");
	if (!rc && ((rc = xy_buf_addstr(o, "<div class=\"wide\">\n")) || (rc = xy_buf_add(o, mem, len)) ||
		    (rc = xy_buf_addstr(o, "</div>\n"))))
		rc = xy_error_set(err, rc, "out of memory");
	free(mem);
	return rc;
}

xy_code xy_bulletin_html(const xy_bulletin *b, xy_buf *o, xy_error *err)
{
	char date[32];
	xy_code rc;
	size_t first, n;

	date_zh(b->date, date, sizeof date);
#define ADD(s) \
	if ((rc = xy_buf_addstr(o, s))) \
		goto nomem;
#define ADDF(...) \
	if ((rc = xy_buf_addf(o, __VA_ARGS__))) \
		goto nomem;
#define ESC(s) \
	if ((rc = add_escaped(o, s, strlen(s)))) \
		goto nomem;
	ADD("<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">\n"
	    "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>");
	ESC(b->cfg.masthead);
	ADDF(" %s 第%d期（%.4s）</title>\n<style>\n%s</style>\n</head>\n<body>\n<main>\n",
	     b->cfg.title, b->issue, b->date, html_style);
	ADD("<header class=\"masthead\">\n<div class=\"name\">");
	ESC(b->cfg.masthead);
	ADD("</div>\n<div class=\"title\">");
	ESC(b->cfg.title);
	ADDF("</div>\n<div class=\"issue\">〔%.4s〕第%d期</div>\n<div class=\"meta\"><span>",
	     b->date, b->issue);
	ESC(b->cfg.office);
	ADDF("</span><span>%s</span></div>\n</header>\n", date);

	ADD("<section>\n<h2>【城市排名】</h2>\n");
	if (b->nindex) {
		xy_buf svg = XY_BUF_INIT;
		const char *body;
		ADD("<table class=\"ranking\">\n<thead><tr><th>月份</th><th>综合指数</th>"
		    "<th>排名</th></tr></thead>\n<tbody>\n");
		for (size_t i = 0; i < b->nindex; i++) {
			char m[8];
			xy_city_index_month_label(b->index[i].month, m);
			ADDF("<tr><td>%s</td><td>%.2f</td><td>%d</td></tr>\n", m,
			     b->index[i].score, b->index[i].rank);
		}
		ADD("</tbody>\n</table>\n<figure>\n");
		if ((rc = xy_chart_svg(b->index, b->nindex, 800, 450, &svg, err)))
			return rc;
		body = strstr(svg.data, "<svg"); /* drop the XML prolog */
		rc = xy_buf_addstr(o, body ? body : svg.data);
		xy_buf_release(&svg);
		if (rc)
			goto nomem;
		ADD("<figcaption>城市信用综合指数与排名</figcaption>\n</figure>\n");
	} else {
		ADD("<p>暂无城市信用监测数据。</p>\n");
	}
	ADD("</section>\n");

	for (int sec = 0; sec < XY_BULLETIN_NSECTIONS; sec++) {
		n = section_articles(b, sec, &first);
		if (!n && sec != REPORT_SECTION)
			continue;
		ADDF("<section>\n<h2>【%s】</h2>\n", xy_bulletin_sections[sec]);
		for (size_t i = first; i < first + n; i++)
			if ((rc = html_article(o, &b->articles[i])))
				goto nomem;
		if (sec == REPORT_SECTION) {
			const char *s = b->sentences, *line;
			size_t len;
			if (*s) {
				ADD("<article>\n");
				if (!n)
					ADD("<h3>" REPORT_TITLE "</h3>\n");
				while ((len = next_line(&s, &line)) > 0 || *s) {
					if (!len)
						continue;
					ADD("<p>");
					if ((rc = add_escaped(o, line, len)))
						goto nomem;
					ADD("</p>\n");
				}
				ADD("</article>\n");
			}
			if (b->regions && (rc = html_table(o, b->regions, err)))
				return rc;
			if (b->departments && (rc = html_table(o, b->departments, err)))
				return rc;
		}
		ADD("</section>\n");
	}

	ADD("<footer>\n");
	if (*b->cfg.report_to) {
		ADD("<p><strong>报：</strong>");
		ESC(b->cfg.report_to);
		ADD("</p>\n");
	}
	if (*b->cfg.send_to) {
		ADD("<p><strong>送：</strong>");
		ESC(b->cfg.send_to);
		ADD("</p>\n");
	}
	ADD("<p><strong>编辑：</strong>");
	ESC(b->cfg.editors);
	if (*b->cfg.email) {
		ADD("　　<strong>电子邮件：</strong>");
		ESC(b->cfg.email);
	}
	ADD("</p>\n<p><strong>审核：</strong>");
	ESC(b->cfg.reviewer);
	if (*b->cfg.phone) {
		ADD("　　<strong>联系电话：</strong>");
		ESC(b->cfg.phone);
	}
	ADD("</p>\n</footer>\n");
	if (*b->cfg.website) {
		ADD("<p class=\"after\">更多内容可点击");
		ESC(b->cfg.website_name);
		ADD("：<a href=\"");
		ESC(b->cfg.website);
		ADD("\">");
		ESC(b->cfg.website);
		ADD("</a></p>\n");
	}
	if (*b->cfg.copies) {
		ADD("<p class=\"copies\">（共印 ");
		ESC(b->cfg.copies);
		ADD(" 份）</p>\n");
	}
	ADD("</main>\n</body>\n</html>\n");
#undef ADD
#undef ADDF
#undef ESC
	return XY_OK;
nomem:
	return xy_error_set(err, rc, "out of memory");
}

/* ---- PDF ---- */

#define PT_PER_MM XY__PT_PER_MM
#define A4_W XY__A4_W
#define A4_H XY__A4_H
#define M_TOP (25 * PT_PER_MM)
#define M_BOTTOM (25 * PT_PER_MM)
#define M_SIDE (24 * PT_PER_MM)
#define TEXT_W (A4_W - 2 * M_SIDE)
#define BOTTOM (A4_H - M_BOTTOM)

#define RED 0xC00000u

#define BODY_PT 11.5



static void page_number(xy__doc *d)
{
	char s[32];
	PangoLayout *l;
	snprintf(s, sizeof s, "— %d —", d->page);
	l = xy__pdf_lay(d, s, 10, XY__F_CENTER, TEXT_W, 0);
	xy__pdf_ink(d->cr, XY__PDF_INK);
	xy__pdf_show(d, l, M_SIDE, A4_H - M_BOTTOM / 2 - xy__pdf_h(l) / 2);
	g_object_unref(l);
}


static xy_code para(xy__doc *d, const char *md, double size, int flags, double after)
{
	xy_buf m = XY_BUF_INIT;
	if (add_inline(&m, md, false))
		return XY_ERR_NOMEM;
	xy__pdf_text(d, m.data, size, flags | XY__F_MARKUP, XY__PDF_INK, 1.45, 0, after);
	xy_buf_release(&m);
	return XY_OK;
}

static void section_head(xy__doc *d, const char *name)
{
	char s[64];
	snprintf(s, sizeof s, "【%s】", name);
	d->y += 10;
	xy__pdf_need(d, 80); /* a heading is never the last line of a page */
	xy__pdf_text(d, s, 14, XY__F_BOLD, RED, 0, 0, 8);
}

/* ---- PDF tables ---- */


static bool grid_from_index(xy__grid *g, const xy_city_index *v, size_t n)
{
	static const char *const head[] = { "月份", "综合指数", "排名" };
	char s[32];
	if (!xy__grid_init(g, 3, n))
		return false;
	for (size_t c = 0; c < 3; c++)
		if (!xy__grid_cell(&g->head[c], head[c]))
			return false;
	for (size_t i = 0; i < n; i++) {
		char m[8];
		if (!xy__grid_row(g, XY__ROW_BODY))
			return false;
		xy_city_index_month_label(v[i].month, m);
		if (!xy__grid_cell(&g->cells[i][0], m))
			return false;
		snprintf(s, sizeof s, "%.2f", v[i].score);
		if (!xy__grid_cell(&g->cells[i][1], s))
			return false;
		snprintf(s, sizeof s, "%d", v[i].rank);
		if (!xy__grid_cell(&g->cells[i][2], s))
			return false;
	}
	return true;
}


static xy_code pdf_table(xy__doc *d, const xy_table *t)
{
	xy__grid g;
	xy_code rc = XY_ERR_NOMEM;
	if (xy__grid_from_table(&g, t)) {
		g.fs = 7.5;
		rc = xy__pdf_grid(d, &g, TEXT_W, 12);
	}
	xy__grid_free(&g);
	return rc;
}

static void pdf_masthead(xy__doc *d, const xy_bulletin *b)
{
	char s[128];
	PangoLayout *l, *r;
	d->y = M_TOP + 6;
	xy__pdf_text(d, b->cfg.masthead, 30, XY__F_BOLD | XY__F_CENTER, RED, 0, 0, 6);
	{ /* the title spaced out, as printed */
		xy_buf t = XY_BUF_INIT;
		const unsigned char *p = (const unsigned char *)b->cfg.title;
		while (*p) {
			size_t k = *p < 0x80 ? 1 : *p >= 0xF0 ? 4 : *p >= 0xE0 ? 3 : 2;
			if (t.len)
				xy_buf_addstr(&t, " ");
			xy_buf_add(&t, p, k);
			p += k;
		}
		xy__pdf_text(d, t.data, 46, XY__F_BOLD | XY__F_CENTER, RED, 0, 0, 10);
		xy_buf_release(&t);
	}
	snprintf(s, sizeof s, "〔%.4s〕第%d期", b->date, b->issue);
	xy__pdf_text(d, s, 14, XY__F_CENTER, XY__PDF_INK, 0, 0, 18);
	l = xy__pdf_lay(d, b->cfg.office, 12, 0, 0, 0);
	date_zh(b->date, s, sizeof s);
	r = xy__pdf_lay(d, s, 12, 0, 0, 0);
	xy__pdf_ink(d->cr, XY__PDF_INK);
	xy__pdf_show(d, l, M_SIDE, d->y);
	xy__pdf_show(d, r, M_SIDE + TEXT_W - xy__pdf_w(r), d->y);
	d->y += fmax(xy__pdf_h(l), xy__pdf_h(r)) + 6;
	g_object_unref(l);
	g_object_unref(r);
	xy__pdf_ink(d->cr, RED);
	cairo_set_line_width(d->cr, 2.2);
	cairo_move_to(d->cr, M_SIDE, d->y);
	cairo_line_to(d->cr, M_SIDE + TEXT_W, d->y);
	cairo_stroke(d->cr);
	cairo_set_line_width(d->cr, 0.7);
	cairo_move_to(d->cr, M_SIDE, d->y + 3.5);
	cairo_line_to(d->cr, M_SIDE + TEXT_W, d->y + 3.5);
	cairo_stroke(d->cr);
	d->y += 14;
}

static xy_code pdf_article(xy__doc *d, const xy_article *a)
{
	if (*a->title) {
		xy_buf m = XY_BUF_INIT;
		if (add_inline(&m, a->title, false))
			return XY_ERR_NOMEM;
		d->y += 4;
		xy__pdf_need(d, 90); /* a title is never the last line of a page */
		xy__pdf_text(d, m.data, 15, XY__F_BOLD | XY__F_CENTER | XY__F_MARKUP, XY__PDF_INK, 1.2, 0, 8);
		xy_buf_release(&m);
	}
	for (size_t i = 0; i < a->nparas; i++)
		if (para(d, a->paras[i], BODY_PT, XY__F_JUSTIFY | XY__F_INDENT, 5))
			return XY_ERR_NOMEM;
	if (*a->source && para(d, a->source, BODY_PT, XY__F_RIGHT, 8))
		return XY_ERR_NOMEM;
	d->y += 4;
	return XY_OK;
}

/* The 报/送/编辑/审核 block, at the foot of the last page. */
static xy_code pdf_footer(xy__doc *d, const xy_bulletin *b)
{
	xy_buf m = XY_BUF_INIT;
	PangoLayout *l;
	double h, y;
	xy_code rc = XY_OK;
#define M(s) add_escaped(&m, s, strlen(s))
	if (*b->cfg.report_to)
		rc |= xy_buf_addstr(&m, "<b>报：</b>") | M(b->cfg.report_to) | xy_buf_addch(&m, '\n');
	if (*b->cfg.send_to)
		rc |= xy_buf_addstr(&m, "<b>送：</b>") | M(b->cfg.send_to) | xy_buf_addch(&m, '\n');
	rc |= xy_buf_addstr(&m, "<b>编辑：</b>") | M(b->cfg.editors);
	if (*b->cfg.email)
		rc |= xy_buf_addstr(&m, "　　<b>电子邮件：</b>") | M(b->cfg.email);
	rc |= xy_buf_addstr(&m, "\n<b>审核：</b>") | M(b->cfg.reviewer);
	if (*b->cfg.phone)
		rc |= xy_buf_addstr(&m, "　　<b>联系电话：</b>") | M(b->cfg.phone);
#undef M
	if (rc) {
		xy_buf_release(&m);
		return XY_ERR_NOMEM;
	}
	l = xy__pdf_lay(d, m.data, 10.5, XY__F_MARKUP, TEXT_W, 1.5);
	xy_buf_release(&m);
	h = xy__pdf_h(l) + 12 + (*b->cfg.website ? 2 * 10.5 * 1.6 + 8 : 0);
	xy__pdf_need(d, h + 20);
	y = fmax(d->y + 10, BOTTOM - h);
	xy__pdf_ink(d->cr, XY__PDF_INK);
	cairo_set_line_width(d->cr, 0.8);
	cairo_move_to(d->cr, M_SIDE, y);
	cairo_line_to(d->cr, M_SIDE + TEXT_W, y);
	cairo_stroke(d->cr);
	xy__pdf_show(d, l, M_SIDE, y + 5);
	y += xy__pdf_h(l) + 9;
	g_object_unref(l);
	cairo_move_to(d->cr, M_SIDE, y);
	cairo_line_to(d->cr, M_SIDE + TEXT_W, y);
	cairo_stroke(d->cr);
	d->y = y + 5;
	if (*b->cfg.website) {
		xy_buf t = XY_BUF_INIT;
		if (xy_buf_addf(&t, "更多内容可点击%s：%s", b->cfg.website_name, b->cfg.website))
			return XY_ERR_NOMEM;
		xy__pdf_text(d, t.data, 10.5, 0, XY__PDF_INK, 0, 0, 2);
		xy_buf_release(&t);
	}
	if (*b->cfg.copies) {
		xy_buf t = XY_BUF_INIT;
		if (xy_buf_addf(&t, "（共印 %s 份）", b->cfg.copies))
			return XY_ERR_NOMEM;
		xy__pdf_text(d, t.data, 10.5, XY__F_RIGHT, XY__PDF_INK, 0, 0, 0);
		xy_buf_release(&t);
	}
	return XY_OK;
}

static xy_code pdf_body(xy__doc *d, const xy_bulletin *b)
{
	size_t first, n;
	pdf_masthead(d, b);
	section_head(d, "城市排名");
	if (b->nindex) {
		xy__grid g;
		double ch = TEXT_W * 0.5625;
		xy_code rc = XY_ERR_NOMEM;
		if (grid_from_index(&g, b->index, b->nindex)) {
			g.fs = 10;
			rc = xy__pdf_grid(d, &g, TEXT_W * 0.55, 12);
		}
		xy__grid_free(&g);
		if (rc)
			return rc;
		xy__pdf_need(d, ch);
		cairo_save(d->cr);
		cairo_translate(d->cr, M_SIDE, d->y);
		rc = xy_chart_draw(d->cr, TEXT_W, ch, b->index, b->nindex, d->err);
		cairo_restore(d->cr);
		if (rc)
			return rc;
		d->y += ch + 6;
	} else {
		xy__pdf_text(d, "暂无城市信用监测数据。", BODY_PT, XY__F_INDENT, XY__PDF_INK, 0, 0, 6);
	}
	for (int sec = 0; sec < XY_BULLETIN_NSECTIONS; sec++) {
		n = section_articles(b, sec, &first);
		if (!n && sec != REPORT_SECTION)
			continue;
		section_head(d, xy_bulletin_sections[sec]);
		for (size_t i = first; i < first + n; i++)
			if (pdf_article(d, &b->articles[i]))
				return XY_ERR_NOMEM;
		if (sec == REPORT_SECTION) {
			const char *s = b->sentences, *line;
			size_t len;
			if (*s && !n)
				xy__pdf_text(d, REPORT_TITLE, 15, XY__F_BOLD | XY__F_CENTER, XY__PDF_INK, 0, 4, 8);
			while ((len = next_line(&s, &line)) > 0 || *s) {
				xy_buf m = XY_BUF_INIT;
				if (!len)
					continue;
				if (add_escaped(&m, line, len))
					return XY_ERR_NOMEM;
				xy__pdf_text(d, m.data, BODY_PT, XY__F_MARKUP | XY__F_JUSTIFY | XY__F_INDENT, XY__PDF_INK,
					   1.45, 0, 5);
				xy_buf_release(&m);
			}
			d->y += 8;
			if (b->regions && pdf_table(d, b->regions))
				return XY_ERR_NOMEM;
			if (b->departments && pdf_table(d, b->departments))
				return XY_ERR_NOMEM;
		}
	}
	return pdf_footer(d, b);
}

static cairo_status_t to_file(void *closure, const unsigned char *data, unsigned int len)
{
	return fwrite(data, 1, len, closure) == len ? CAIRO_STATUS_SUCCESS
						    : CAIRO_STATUS_WRITE_ERROR;
}

static xy_code write_pdf(const xy_bulletin *b, FILE *f, const char *path, xy_error *err)
{
	xy__doc d;
	char title[256];

	memset(&d, 0, sizeof d);
	d.err = err;
	d.top = M_TOP;
	d.bottom = BOTTOM;
	d.left = M_SIDE;
	d.width = TEXT_W;
	d.footer = page_number;
	snprintf(title, sizeof title, "%s %s %.4s年第%d期", b->cfg.masthead, b->cfg.title, b->date,
		 b->issue);
	xy__pdf_open(&d, to_file, f, title, b->cfg.office, NULL);
	return xy__pdf_close(&d, path, pdf_body(&d, b), err);
}

/* ---- output ---- */

xy_code xy_bulletin_save(const xy_bulletin *b, const char *path, xy_error *err)
{
	enum { HTML, PDF, XLSX } kind;
	static const char *const ext[] = { ".html", ".pdf", ".xlsx" };
	xy_buf tmp = XY_BUF_INIT;
	xy_code rc = XY_OK;
	FILE *f = NULL;
	int fd;

	if (ends_with(path, ".html") || ends_with(path, ".htm"))
		kind = HTML;
	else if (ends_with(path, ".pdf"))
		kind = PDF;
	else if (ends_with(path, ".xlsx"))
		kind = XLSX;
	else
		return xy_error_at(err, XY_ERR_ARG, path, 0, NULL,
				   "the bulletin file must end in .html, .pdf or .xlsx");
	/* a temporary name with the same extension (libxlsxwriter may care) */
	if (xy_buf_addf(&tmp, "%s.XXXXXX%s", path, ext[kind]))
		return xy_error_set(err, XY_ERR_NOMEM, "out of memory");
	if ((fd = mkstemps(tmp.data, (int)strlen(ext[kind]))) < 0) {
		rc = xy_error_at(err, XY_ERR_IO, path, 0, NULL, "cannot write: %s", strerror(errno));
		xy_buf_release(&tmp);
		return rc;
	}
	fchmod(fd, 0644); /* a published file, not mkstemp's 0600 */
	if (kind == XLSX) {
		const xy_table *t[2];
		const char *names[2];
		size_t n = 0;
		close(fd);
		if (b->regions) {
			t[n] = b->regions;
			names[n++] = "县区园区";
		}
		if (b->departments) {
			t[n] = b->departments;
			names[n++] = "市有关部门";
		}
		if (!n)
			rc = xy_error_at(err, XY_ERR_ARG, path, 0, NULL, "the bulletin has no tables");
		else
			rc = xy_table_write_xlsx(t, names, n, tmp.data, err);
	} else if (!(f = fdopen(fd, "wb"))) {
		close(fd);
		rc = xy_error_at(err, XY_ERR_IO, path, 0, NULL, "cannot write: %s", strerror(errno));
	} else {
		if (kind == HTML) {
			xy_buf h = XY_BUF_INIT;
			rc = xy_bulletin_html(b, &h, err);
			if (!rc && fwrite(h.data, 1, h.len, f) != h.len)
				rc = xy_error_at(err, XY_ERR_IO, path, 0, NULL, "cannot write: %s",
						 strerror(errno));
			xy_buf_release(&h);
		} else {
			rc = write_pdf(b, f, path, err);
		}
	}
	rc = xy__publish(f, tmp.data, path, rc, err);
	xy_buf_release(&tmp);
	return rc;
}

void xy_bulletin_sort_articles(xy_bulletin *b)
{
	if (b->narticles)
		qsort(b->articles, b->narticles, sizeof *b->articles, article_order);
}

xy_code xy_bulletin_publish(xy_store *s, const char *who, const xy_bulletin *b, const char *path,
			    xy_error *err)
{
	xy_buf object = XY_BUF_INIT, detail = XY_BUF_INIT;
	const char *name = strrchr(path, '/');
	xy_code rc = xy_bulletin_save(b, path, err);
	if (rc)
		return rc;
	if (xy_buf_addf(&object, "bulletin:%s", name ? name + 1 : path) ||
	    xy_buf_addf(&detail, "issue=%d date=%s from=%s to=%s articles=%zu index_months=%zu",
			b->issue, b->date, b->from, b->to, b->narticles, b->nindex)) {
		rc = xy_error_set(err, XY_ERR_NOMEM, "out of memory");
	} else {
		xy_audit_entry e = { .who = who && *who ? who : "bulletin",
				     .action = "bulletin.generate", .object = object.data,
				     .detail = detail.data, .after = detail.data,
				     .after_len = detail.len };
		rc = xy_audit_append(s, &e, NULL, err);
	}
	xy_buf_release(&object);
	xy_buf_release(&detail);
	return rc;
}
