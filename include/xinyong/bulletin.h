/* xinyong: the monthly bulletin (工作简报).
 *
 * A bulletin is assembled from four sources: the office's configuration
 * (bulletin.tsv: masthead, office, the 报/送/编辑/审核 footer), the stored
 * city index (城市排名 table and chart, months up to the bulletin's month),
 * articles written as Markdown files, and the statistics (the 情况通报
 * sentences and the two tables, from xy_stats_*).  It renders to HTML (one
 * self-contained file, the chart as inline SVG), PDF (A4, cairo + pango,
 * tables split across pages with their header repeated, page numbers) and
 * XLSX (the two tables).
 *
 * Articles: every *.md file under the articles directory, in name order.
 * The section is the first line `section: 工作推进` (or `栏目：工作推进`)
 * when present, else the name of the subdirectory the file is in.  The first
 * heading (`# …`) is the title (optional: 工作简讯 items have none);
 * paragraphs are separated by blank lines; **bold** runs are kept; a last
 * paragraph wholly in full-width parentheses — （来源：新华社） or
 * （市信用办） — is the source line.  Sections print in the order
 * 重要文件, 工作推进, 联合奖惩, 县区风采, 工作简讯, 情况通报; the generated
 * 情况通报 sentences follow the section's articles, then the tables.
 *
 * Ownership: an xy_bulletin owns every string, array and table in it
 * (malloc'd); xy_bulletin_free() releases them.
 */
#ifndef XINYONG_BULLETIN_H
#define XINYONG_BULLETIN_H

#include <stddef.h>

#include "buf.h"
#include "error.h"
#include "registry.h"
#include "store.h"
#include "table.h"

/* The sections, in print order; "情况通报" is the last. */
extern const char *const xy_bulletin_sections[];
#define XY_BULLETIN_NSECTIONS 6

typedef struct xy_article {
	char *section;  /* one of xy_bulletin_sections */
	char *title;    /* "" when none */
	char **paras;   /* Markdown paragraphs (lines joined), **bold** kept */
	size_t nparas;
	char *source;   /* the source line as written, e.g. （来源：新华社）; "" when none */
	char *file;     /* where it came from */
} xy_article;

/* bulletin.tsv: key TAB value lines (see data/bulletin.tsv). */
typedef struct xy_bulletin_config {
	char *masthead;   /* 营口信用体系建设 */
	char *title;      /* 工作简报 */
	char *office;     /* 营口市社会信用体系建设领导小组办公室 */
	char *report_to;  /* 报： */
	char *send_to;    /* 送： */
	char *editors;    /* 编辑： */
	char *reviewer;   /* 审核： */
	char *email;      /* 电子邮件： ("" when none) */
	char *phone;      /* 联系电话： */
	char *website;    /* URL of the office's site */
	char *website_name; /* 信用营口网 */
	char *copies;     /* 共印 N 份 ("" when none) */
} xy_bulletin_config;

typedef struct xy_bulletin {
	xy_bulletin_config cfg;
	int issue;           /* 期数 */
	char date[11];       /* YYYY-MM-DD */
	char from[8], to[8]; /* statistics range YYYY-MM */
	xy_city_index *index; /* months up to the bulletin's month, sorted */
	size_t nindex;
	xy_article *articles; /* in print order */
	size_t narticles;
	char *sentences;     /* 情况通报 paragraphs, separated by "\n"; "" when none */
	xy_table *departments; /* may be NULL */
	xy_table *regions;     /* may be NULL */
} xy_bulletin;

typedef struct xy_bulletin_opts {
	int issue;               /* >= 1 */
	const char *date;        /* YYYY-MM-DD, required */
	const char *articles;    /* directory of *.md, NULL for none */
	const char *from;        /* YYYY-MM; NULL: January of the date's year */
	const char *to;          /* YYYY-MM; NULL: the date's month */
	const char *config_dir;  /* bulletin.tsv and tables.tsv; NULL: the default */
} xy_bulletin_opts;

/* An empty bulletin (calloc'd, strings ""); NULL when out of memory. */
xy_bulletin *xy_bulletin_new(void);
void xy_bulletin_free(xy_bulletin *b); /* NULL is fine */

/* Read bulletin.tsv (keys above; unknown keys are an error) into b->cfg. */
xy_code xy_bulletin_load_config(xy_bulletin *b, const char *path, xy_error *err);

/* Read every article under dir into b (sorted into section order).  A file
 * without a known section, or that is not UTF-8, is an error naming it. */
xy_code xy_bulletin_load_articles(xy_bulletin *b, const char *dir, xy_error *err);

/* Parse one article's Markdown text (section may be NULL: then the text
 * must carry a `section:` line) and append it. */
xy_code xy_bulletin_add_article(xy_bulletin *b, const char *text, size_t len,
				const char *section, const char *file, xy_error *err);

/* Put b's articles into print order (section, then file) after
 * xy_bulletin_add_article calls; xy_bulletin_load_articles does it itself. */
void xy_bulletin_sort_articles(xy_bulletin *b);

/* Everything from the store: config, articles, index, sentences, tables. */
xy_code xy_bulletin_build(xy_store *s, const xy_registry *reg, const xy_bulletin_opts *o,
			  xy_bulletin **out, xy_error *err);

/* Renderers.  xy_bulletin_save picks HTML, PDF or XLSX by the extension of
 * path (.html/.htm, .pdf, .xlsx) and writes under a temporary name first. */
xy_code xy_bulletin_html(const xy_bulletin *b, xy_buf *out, xy_error *err);
xy_code xy_bulletin_save(const xy_bulletin *b, const char *path, xy_error *err);
/* xy_bulletin_save, then the audit entry: `who` ("cli:LOGIN", "token:ID";
 * NULL: "bulletin") did "bulletin.generate" of object "bulletin:NAME" (the
 * file's last path component), the detail naming issue, date, range and
 * article count.  A failed entry is an error (the file stays). */
xy_code xy_bulletin_publish(xy_store *s, const char *who, const xy_bulletin *b, const char *path,
			    xy_error *err);

#endif
