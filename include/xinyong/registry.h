/* xinyong: source units and reporting categories, as data.
 *
 * The default configuration lives in data/ as TSV (units.tsv, categories.tsv,
 * fields.tsv, uscc-exceptions.tsv) and is copied into the store when a
 * database is created; afterwards the store is the truth and the registry is
 * loaded from it.  A registry owns every string it points to.
 */
#ifndef XINYONG_REGISTRY_H
#define XINYONG_REGISTRY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "error.h"

typedef enum xy_field_type {
	XY_FT_TEXT = 0,
	XY_FT_USCC,    /* 统一社会信用代码 */
	XY_FT_ORG,     /* 组织机构代码 */
	XY_FT_RIC,     /* 公民身份号码 */
	XY_FT_IDNO,    /* 证件号码: checked as RIC when the 证件类型 says 身份证 */
	XY_FT_ENUM,
	XY_FT_DATE,    /* stored as YYYY-MM-DD */
	XY_FT_DECIMAL, /* non-negative, stored as canonical text */
	XY_FT_INT,     /* non-negative integer */
	XY_FT_WAN,     /* an amount of money in 万元: a decimal that also takes 万元/元/亿元 */
	XY_FT_UNTIL,   /* an end date that may be open-ended: YYYY-MM-DD or XY_OPEN_ENDED */
	XY_FT_CODE,    /* an identifier without a check of its own (工商注册号, 税务登记号):
			* text, but a number in Excel's scientific notation is refused
			* and an all-zero placeholder means absent */
} xy_field_type;

/* How an XY_FT_UNTIL field stores "no end" (长期, 永久, 长期有效, 2099-12-31,
 * 9999-12-31 and any later date), and how it is shown. */
#define XY_OPEN_ENDED "长期"

/* What a field means to xinyong beyond its own value. */
typedef enum xy_field_role {
	XY_ROLE_NONE = 0,
	XY_ROLE_KEY,          /* the unit's own key (文书号): record identity */
	XY_ROLE_SUBJ_NAME,    /* 行政相对人名称 */
	XY_ROLE_SUBJ_KIND,    /* 行政相对人类别 */
	XY_ROLE_SUBJ_USCC,    /* 统一社会信用代码 */
	XY_ROLE_SUBJ_IDTYPE,  /* 证件类型 */
	XY_ROLE_SUBJ_IDNO,    /* 证件号码 */
	XY_ROLE_DATE,         /* the record's decision date */
} xy_field_role;

typedef struct xy_field {
	char *code;        /* CF_WSH */
	char *name;        /* 行政处罚决定书文号 */
	char **aliases;    /* other accepted headers; naliases entries */
	size_t naliases;
	xy_field_type type;
	char **enum_values; /* XY_FT_ENUM: accepted values; "1=有效" means 1 or 有效, stored as 1 */
	size_t nenum;
	bool required;
	size_t max_len;    /* characters (not bytes); 0 = no limit */
	xy_field_role role;
} xy_field;

typedef enum xy_category_kind {
	XY_CAT_SUBJECT = 0, /* each record concerns one subject */
	XY_CAT_COUNT,       /* records without a subject (reports, activities) */
} xy_category_kind;

typedef struct xy_category {
	int64_t id;        /* store id, 0 before saving */
	char *code;        /* stable English slug: "xzcf" */
	char *name;        /* 行政处罚 */
	xy_category_kind kind;
	xy_field *fields;
	size_t nfields;
	int key_field;     /* index of the XY_ROLE_KEY field, -1: key = content hash */
} xy_category;

typedef enum xy_unit_kind {
	XY_UNIT_DEPARTMENT = 0,
	XY_UNIT_COUNTY,  /* 县（市）区 */
	XY_UNIT_PARK,    /* 园区 */
	XY_UNIT_CITY,
} xy_unit_kind;

typedef struct xy_unit {
	int64_t id;
	char *name;       /* 市场监管局 */
	xy_unit_kind kind;
	char division[7]; /* GB/T 2260 code, "" when none */
	int sort;         /* order of appearance in the bulletin */
	char **aliases;   /* former names (the unit was renamed), oldest first */
	size_t naliases;
} xy_unit;

/* A known legal USCC whose check character is wrong (some pre-2016 codes). */
typedef struct xy_uscc_exception {
	char code[19];
	char *note;
} xy_uscc_exception;

typedef struct xy_registry {
	xy_unit *units;
	size_t nunits;
	xy_category *categories;
	size_t ncategories;
	xy_uscc_exception *exceptions;
	size_t nexceptions;
} xy_registry;

void xy_registry_init(xy_registry *reg);
void xy_registry_release(xy_registry *reg);

/* Load the TSV configuration from dir (units.tsv, categories.tsv, fields.tsv,
 * uscc-exceptions.tsv).  Errors name the file, line and column. */
xy_code xy_registry_load_dir(xy_registry *reg, const char *dir, xy_error *err);

/* Directory of the default configuration: $XINYONG_DATA, else the compiled-in
 * data directory. */
const char *xy_registry_default_dir(void);

/* Lookups by exact name (categories also by code; units also by a former
 * name, so files and tables.tsv written before a rename still find the
 * unit); NULL when absent. */
const xy_unit *xy_registry_unit(const xy_registry *reg, const char *name);
const xy_unit *xy_registry_unit_by_id(const xy_registry *reg, int64_t id);
const xy_category *xy_registry_category(const xy_registry *reg, const char *name_or_code);
const xy_category *xy_registry_category_by_id(const xy_registry *reg, int64_t id);
bool xy_registry_uscc_excepted(const xy_registry *reg, const char *uscc);

/* The county/district unit whose division code is `division` (6 digits);
 * NULL if none. */
const xy_unit *xy_registry_unit_by_division(const xy_registry *reg, const char *division);

/* Field matching a header: by code, Chinese name or alias.  Ignored when
 * comparing: blanks anywhere in the cell (ASCII, U+3000, NBSP, a newline
 * inside the cell, zero-width space, BOM), full-width vs half-width forms
 * (（）→(), Ａ→A, ＊→*; 【】 count as ()), the case of ASCII letters, and the
 * markers templates put on a column: a leading or trailing 「*」 and a trailing
 * 「(必填)」「(必填项)」「(选填)」「(非必填)」「(可选)」「(必选)」.
 * Returns the field index or -1. */
int xy_category_match_header(const xy_category *cat, const char *header);

/* The form of a header that matching compares, replacing out's contents:
 * two headers that normalise alike name the same column; unit column
 * mappings are matched this way too.  XY_ERR_NOMEM, or XY_OK. */
xy_code xy_header_key(const char *header, xy_buf *out);

/* How many distinct fields of cat the cells name, as xy_category_match_header
 * matches them (aliases included; a field named twice counts once; NULL
 * cells are skipped).  For finding the header row among title and note rows:
 * the row with the highest score is the header.  0 also when out of memory. */
size_t xy_category_header_score(const xy_category *cat, size_t ncells,
				const char *const *cells);

/* The field a header that matches none probably meant ("did you mean
 * 罚款金额（万元）?"): the field whose name, code or alias is nearest by code
 * points — 1 - Levenshtein distance / longer length, or for Chinese text the
 * share of the header covered by a common run of at least 2 characters,
 * whichever is higher — when that is at least 0.5.  A header that matches a
 * field returns that field.  -1 when nothing is near (or the header is over
 * 128 characters). */
int xy_category_suggest(const xy_category *cat, const char *header);

const char *xy_field_type_name(xy_field_type t);
const char *xy_field_role_name(xy_field_role r);
const char *xy_unit_kind_name(xy_unit_kind k);     /* department county park city */
const char *xy_category_kind_name(xy_category_kind k); /* subject count */

/* Parse names back (used by the store and the TSV loader); -1 if unknown. */
int xy_field_type_parse(const char *s, xy_field_type *t);
int xy_field_role_parse(const char *s, xy_field_role *r);
int xy_unit_kind_parse(const char *s, xy_unit_kind *k);
int xy_category_kind_parse(const char *s, xy_category_kind *k);

#endif
