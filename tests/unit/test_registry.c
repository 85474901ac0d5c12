/* Units, categories and header matching (lib/registry.c). */
#include <criterion/criterion.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xinyong/registry.h"

#define SHIPPED XY_TEST_DATA "/../../data"
#define CONFIG(name) XY_TEST_DATA "/config/" name
#define REFERENCE(name) XY_TEST_DATA "/reference/" name
#define ROWMAX 1024

static xy_registry reg;
static xy_error err;

static void setup(void)
{
	xy_registry_init(&reg);
	xy_error_clear(&err);
}

static void teardown(void)
{
	xy_registry_release(&reg);
}

TestSuite(registry, .init = setup, .fini = teardown);

static void load(const char *dir)
{
	xy_code rc = xy_registry_load_dir(&reg, dir, &err);
	cr_assert_eq(rc, XY_OK, "%s: %s: %s:%ld %s", dir, xy_code_name(rc), err.file, err.row,
		     err.msg);
}

/* ---- the shipped configuration ---- */

Test(registry, shipped_units)
{
	size_t counties = 0, parks = 0, cities = 0;
	load(SHIPPED);
	cr_assert_eq(reg.nunits, 64);
	for (size_t i = 0; i < reg.nunits; i++) {
		const xy_unit *u = &reg.units[i];
		cr_assert_not_null(u->name);
		cr_assert_neq(u->name[0], '\0');
		cr_assert_eq(xy_registry_unit(&reg, u->name), u, "%s: lookup finds another", u->name);
		counties += u->kind == XY_UNIT_COUNTY;
		parks += u->kind == XY_UNIT_PARK;
		cities += u->kind == XY_UNIT_CITY;
		if (u->kind == XY_UNIT_COUNTY)
			cr_assert_eq(strlen(u->division), 6, "%s has no division", u->name);
		for (size_t j = 0; j < i; j++)
			cr_assert(reg.units[j].sort != u->sort, "%s and %s share sort %d",
				  reg.units[j].name, u->name, u->sort);
	}
	cr_expect_eq(counties, 6);
	cr_expect_eq(parks, 5);
	cr_expect_eq(cities, 1);
	cr_expect_null(xy_registry_unit(&reg, "不存在的局"));
	cr_expect_null(xy_registry_unit(&reg, ""));
}

Test(registry, unit_by_division)
{
	const xy_unit *u;
	load(SHIPPED);
	u = xy_registry_unit_by_division(&reg, "210802");
	cr_assert_not_null(u);
	cr_expect_str_eq(u->name, "站前区");
	u = xy_registry_unit_by_division(&reg, "210882");
	cr_assert_not_null(u);
	cr_expect_str_eq(u->name, "大石桥市");
	/* 营口市 has 210800 but is the city, not a county */
	cr_expect_null(xy_registry_unit_by_division(&reg, "210800"));
	cr_expect_null(xy_registry_unit_by_division(&reg, "110101"));
	cr_expect_null(xy_registry_unit_by_division(&reg, ""), "parks have no division");
	cr_expect_null(xy_registry_unit_by_division(&reg, "21080"));
}

/* A renamed unit is found by its former name; a unit's own name wins over
 * another unit's former name (never the case in a store, which refuses it,
 * but the lookup order must not depend on the units' order). */
Test(registry, unit_by_former_name)
{
	xy_unit *u;
	load(SHIPPED);
	u = (xy_unit *)xy_registry_unit(&reg, "发改委");
	cr_assert_not_null(u);
	u->aliases = calloc(2, sizeof *u->aliases);
	cr_assert_not_null(u->aliases);
	u->aliases[0] = strdup("市发展和改革委员会旧称");
	u->aliases[1] = strdup("市审批局");
	u->naliases = 2;
	cr_expect_eq(xy_registry_unit(&reg, "市发展和改革委员会旧称"), u);
	cr_expect_str_eq(xy_registry_unit(&reg, "市审批局")->name, "市审批局");
	cr_expect_null(xy_registry_unit(&reg, "市发展和改革委员会"));
}

Test(registry, shipped_categories_consistent)
{
	load(SHIPPED);
	cr_assert_eq(reg.ncategories, 27);
	for (size_t i = 0; i < reg.ncategories; i++) {
		const xy_category *c = &reg.categories[i];
		size_t keys = 0, names = 0;
		cr_assert_gt(c->nfields, 0, "%s", c->name);
		cr_expect_eq(xy_registry_category(&reg, c->name), c);
		cr_expect_eq(xy_registry_category(&reg, c->code), c);
		for (size_t j = 0; j < c->nfields; j++) {
			const xy_field *f = &c->fields[j];
			keys += f->role == XY_ROLE_KEY;
			names += f->role == XY_ROLE_SUBJ_NAME;
			if (f->role == XY_ROLE_KEY)
				cr_expect_eq(c->key_field, (int)j, "%s", c->name);
			if (f->type == XY_FT_ENUM)
				cr_expect_gt(f->nenum, 0, "%s.%s", c->name, f->code);
			/* every field is found by its own code and name */
			cr_expect_eq(xy_category_match_header(c, f->code), (int)j, "%s.%s", c->name,
				     f->code);
			cr_expect_eq(xy_category_match_header(c, f->name), (int)j, "%s.%s", c->name,
				     f->name);
		}
		cr_expect_leq(keys, 1, "%s", c->name);
		if (!keys)
			cr_expect_eq(c->key_field, -1, "%s", c->name);
		if (c->kind == XY_CAT_SUBJECT)
			cr_expect_eq(names, 1, "%s needs a subject name", c->name);
	}
}

Test(registry, xzcf_key_is_cf_wsh)
{
	const xy_category *c;
	load(SHIPPED);
	c = xy_registry_category(&reg, "行政处罚");
	cr_assert_not_null(c);
	cr_expect_eq(xy_registry_category(&reg, "xzcf"), c);
	cr_expect_eq(c->kind, XY_CAT_SUBJECT);
	cr_assert_geq(c->key_field, 0);
	cr_expect_str_eq(c->fields[c->key_field].code, "CF_WSH");
	cr_expect_str_eq(c->fields[c->key_field].name, "行政处罚决定书文号");
	cr_expect(c->fields[c->key_field].required);

	c = xy_registry_category(&reg, "行政许可");
	cr_assert_not_null(c);
	cr_assert_geq(c->key_field, 0);
	cr_expect_str_eq(c->fields[c->key_field].code, "XK_WSH");

	/* templated categories get the template's fields, then their own */
	c = xy_registry_category(&reg, "信用承诺书");
	cr_assert_not_null(c);
	cr_assert_geq(c->key_field, 0);
	cr_expect_str_eq(c->fields[c->key_field].code, "BH");
	cr_expect_str_eq(c->fields[0].code, "BH");
	cr_expect_str_eq(c->fields[c->nfields - 1].code, "CNSX");

	c = xy_registry_category(&reg, "信用工作报道");
	cr_assert_not_null(c);
	cr_expect_eq(c->kind, XY_CAT_COUNT);
	cr_expect_null(xy_registry_category(&reg, "不存在"));
}

/* Every column header of a bulletin table that is not a label or a total
 * must be a category name. */
static size_t check_bulletin(const char *path, const char *const *skip, size_t nskip,
			     size_t *rows_out, char names[][ROWMAX], size_t maxnames)
{
	FILE *f = fopen(path, "r");
	char line[8192];
	size_t ncols = 0, nrows = 0;
	cr_assert_not_null(f, "%s", path);
	cr_assert_not_null(fgets(line, sizeof line, f));
	line[strcspn(line, "\r\n")] = '\0';
	for (char *p = line, *tab;; p = tab + 1) {
		bool skipped = false;
		tab = strchr(p, '\t');
		if (tab)
			*tab = '\0';
		for (size_t i = 0; i < nskip; i++)
			skipped |= strcmp(p, skip[i]) == 0;
		if (!skipped) {
			cr_expect_not_null(xy_registry_category(&reg, p),
					   "%s: column '%s' is not a category", path, p);
			ncols++;
		}
		if (!tab)
			break;
	}
	/* first column of each following row (second for departments) */
	while (fgets(line, sizeof line, f) && nrows < maxnames) {
		size_t n = strcspn(line, "\r\n");
		cr_assert_lt(n, ROWMAX, "%s: row too long", path);
		memcpy(names[nrows], line, n);
		names[nrows++][n] = '\0';
	}
	fclose(f);
	*rows_out = nrows;
	return ncols;
}

static const char *cell(char *row, size_t col)
{
	char *p = row;
	for (size_t i = 0; i < col && p; i++) {
		p = strchr(p, '\t');
		if (p)
			p++;
	}
	cr_assert_not_null(p);
	p[strcspn(p, "\t")] = '\0';
	return p;
}

Test(registry, bulletin_departments_columns_and_units)
{
	static const char *const skip[] = { "序号", "部门名称", "总计" };
	static char rows[128][ROWMAX];
	size_t nrows, ncols, units = 0;
	load(SHIPPED);
	ncols = check_bulletin(REFERENCE("bulletin-2019-10-departments.tsv"), skip, 3, &nrows, rows,
			       128);
	cr_expect_eq(ncols, 16);
	for (size_t i = 0; i < nrows; i++) {
		const char *name = cell(rows[i], 1);
		if (!*name || strcmp(name, "合计") == 0)
			continue;
		cr_expect_not_null(xy_registry_unit(&reg, name), "bulletin unit '%s' unknown", name);
		units++;
	}
	cr_expect_eq(units, 63, "every unit but the city itself reports");
}

Test(registry, bulletin_regions_columns_and_kinds)
{
	static const char *const skip[] = { "地区", "分组" };
	static char rows[32][ROWMAX];
	size_t nrows, ncols;
	load(SHIPPED);
	ncols = check_bulletin(REFERENCE("bulletin-2019-10-regions.tsv"), skip, 2, &nrows, rows, 32);
	cr_expect_eq(ncols, 10);
	cr_expect_eq(nrows, 11);
	for (size_t i = 0; i < nrows; i++) {
		char copy[ROWMAX];
		const char *name, *group;
		const xy_unit *u;
		memcpy(copy, rows[i], sizeof copy);
		name = cell(rows[i], 0);
		group = cell(copy, 1);
		u = xy_registry_unit(&reg, name);
		cr_assert_not_null(u, "region '%s' unknown", name);
		if (strcmp(group, "县（市）区") == 0)
			cr_expect_eq(u->kind, XY_UNIT_COUNTY, "%s", name);
		else
			cr_expect_eq(u->kind, XY_UNIT_PARK, "%s (%s)", name, group);
	}
}

Test(registry, shipped_has_no_exceptions)
{
	load(SHIPPED);
	cr_expect_eq(reg.nexceptions, 0);
	cr_expect_not(xy_registry_uscc_excepted(&reg, "91210803MADE2UMA80"));
}

/* ---- header matching ---- */

static const struct {
	const char *category, *header, *code; /* code NULL: no match */
} headers[] = {
	{ "行政处罚", "CF_WSH", "CF_WSH" },
	{ "行政处罚", "cf_wsh", "CF_WSH" },
	{ "行政处罚", "Cf_Wsh", "CF_WSH" },
	{ "行政处罚", "行政处罚决定书文号", "CF_WSH" },
	{ "行政处罚", "  行政处罚决定书文号  ", "CF_WSH" },
	{ "行政处罚", "\t行政处罚决定书文号\r\n", "CF_WSH" },
	{ "行政处罚", "\xe3\x80\x80行政处罚决定书文号\xc2\xa0", "CF_WSH" }, /* U+3000, NBSP */
	{ "行政处罚", " CF_WSH ", "CF_WSH" },
	{ "行政处罚", "罚款金额（万元）", "CF_NR_FK" },
	{ "行政处罚", "罚款金额(万元)", "CF_NR_FK" },
	{ "行政处罚", "罚款金额（万元)", "CF_NR_FK" },
	{ "行政处罚", " 罚款金额 (万元) ", "CF_NR_FK" },
	{ "行政处罚", "罚款金额", "CF_NR_FK" },
	{ "行政处罚", "行政相对人代码_1(统一社会信用代码)", "CF_XDR_SHXYM" },
	{ "行政处罚", "行政相对人代码_1（统一社会信用代码）", "CF_XDR_SHXYM" },
	{ "行政处罚", "统一社会信用代码", "CF_XDR_SHXYM" },
	{ "行政处罚", "罚款金额（元）", NULL },
	{ "行政处罚", "罚款金额[万元]", NULL },
	{ "行政处罚", "CF_WSH2", NULL },
	{ "行政处罚", "CF_", NULL },
	{ "行政处罚", "", NULL },
	{ "行政处罚", "   ", NULL },
	{ "行政处罚", "XK_WSH", NULL }, /* a field of the other category */
	{ "行政许可", "行政许可决定书文号", "XK_WSH" }, /* alias */
	{ "行政许可", "xk_wsh", "XK_WSH" },
	{ "行政许可", "行政相对人类型", "XK_XDR_LB" },
	{ "行政许可", "许可部门", "XK_XKJG" },
	/* a template alias with brackets, matched with half-width ones */
	{ "联合惩戒案例", "编号（文号）", "BH" },
	{ "联合惩戒案例", "编号(文号)", "BH" },
	{ "联合惩戒案例", "身份证号", "XDR_ZJHM" },
	{ "联合惩戒案例", "企业名称", "XDR_MC" },
	{ "信用工作报道", "报道标题", "BT" },
	{ "信用工作报道", "bt", "BT" },
	{ "信用工作报道", "报道日期", "RQ" },
	{ "信用工作报道", "CF_WSH", NULL },
};

Test(registry, match_header_table)
{
	load(SHIPPED);
	for (size_t i = 0; i < sizeof headers / sizeof headers[0]; i++) {
		const xy_category *c = xy_registry_category(&reg, headers[i].category);
		int f;
		cr_assert_not_null(c, "%s", headers[i].category);
		f = xy_category_match_header(c, headers[i].header);
		if (!headers[i].code) {
			cr_expect_eq(f, -1, "%s: '%s' matched %s", c->name, headers[i].header,
				     f >= 0 ? c->fields[f].code : "");
			continue;
		}
		cr_expect_geq(f, 0, "%s: '%s' not matched", c->name, headers[i].header);
		if (f >= 0)
			cr_expect_str_eq(c->fields[f].code, headers[i].code, "%s: '%s'", c->name,
					 headers[i].header);
	}
}

/* ---- a small configuration of our own ---- */

Test(registry, small_config_loads)
{
	const xy_category *c;
	load(CONFIG("ok"));
	cr_assert_eq(reg.nunits, 2);
	cr_assert_eq(reg.ncategories, 3);
	cr_expect_str_eq(reg.units[1].division, "210802");
	cr_expect_eq(reg.units[1].sort, 2);
	cr_expect_eq(xy_registry_unit_by_division(&reg, "210802"), &reg.units[1]);

	c = xy_registry_category(&reg, "tmd");
	cr_assert_not_null(c);
	cr_assert_eq(c->nfields, 3, "two from @list, one own");
	cr_expect_str_eq(c->fields[0].code, "BH");
	cr_expect_str_eq(c->fields[1].code, "XDR_MC");
	cr_expect_str_eq(c->fields[2].code, "MDMC");
	cr_expect_eq(c->key_field, 0);

	c = xy_registry_category(&reg, "测试报道");
	cr_assert_not_null(c);
	cr_expect_eq(c->kind, XY_CAT_COUNT);
	cr_expect_eq(c->key_field, -1, "@count of this set has no key");
	cr_expect_eq(c->nfields, 2);
	cr_expect_eq(c->fields[1].role, XY_ROLE_DATE);
	cr_expect(c->fields[1].required);

	c = xy_registry_category(&reg, "测试处罚");
	cr_assert_not_null(c);
	cr_expect_eq(c->fields[3].type, XY_FT_DECIMAL);
	cr_expect_eq(c->fields[3].naliases, 1);
	cr_expect_eq(c->fields[0].max_len, 200);
	cr_expect_eq(xy_category_match_header(c, "文书号"), 2);
	cr_expect_eq(xy_category_match_header(c, "罚款金额(万元)"), 3);
}

Test(registry, uscc_exception_lookup)
{
	load(CONFIG("ok"));
	cr_assert_eq(reg.nexceptions, 1);
	cr_expect_str_eq(reg.exceptions[0].code, "91210803MADE2UMA80");
	cr_expect_str_eq(reg.exceptions[0].note, "测试例外");
	cr_expect(xy_registry_uscc_excepted(&reg, "91210803MADE2UMA80"));
	cr_expect_not(xy_registry_uscc_excepted(&reg, "91210803MADE2UMA8E"));
	cr_expect_not(xy_registry_uscc_excepted(&reg, "91210803MADE2UMA8"));
	cr_expect_not(xy_registry_uscc_excepted(&reg, ""));
}

Test(registry, load_twice_and_release_idempotent)
{
	load(CONFIG("ok"));
	xy_registry_release(&reg);
	cr_assert_eq(reg.nunits, 0);
	cr_assert_null(reg.units);
	xy_registry_release(&reg);
	load(SHIPPED);
	cr_expect_eq(reg.nunits, 64);
}

Test(registry, missing_dir)
{
	xy_code rc = xy_registry_load_dir(&reg, CONFIG("no-such-set"), &err);
	cr_assert_eq(rc, XY_ERR_CONFIG);
	cr_expect_neq(strstr(err.file, "units.tsv"), NULL, "file '%s'", err.file);
	cr_expect_neq(err.msg[0], '\0');
	cr_expect_eq(reg.nunits, 0);
}

/* ---- broken configurations: XY_ERR_CONFIG naming file and line ---- */

static const struct {
	const char *dir, *file;
	long row;
	const char *word; /* expected somewhere in the message */
} broken[] = {
	{ "unknown-type", "fields.tsv", 6, "money" },
	{ "duplicate-unit", "units.tsv", 5, "测试局" },
	{ "missing-header-column", "fields.tsv", 2, "max_len" },
	{ "two-key-fields", "fields.tsv", 7, "测试处罚" },
	{ "two-key-template", "fields.tsv", 12, "测试名单" },
	{ "unknown-template", "categories.tsv", 4, "@nosuch" },
	{ "unknown-category", "fields.tsv", 8, "不存在类别" },
	{ "bad-division", "units.tsv", 4, "21080" },
	{ "unknown-unit-kind", "units.tsv", 3, "ministry" },
	{ "bad-max-len", "fields.tsv", 3, "二百" },
	{ "unknown-role", "fields.tsv", 4, "subj_code" },
	{ "duplicate-field", "fields.tsv", 7, "CF_WSH" },
	{ "duplicate-category", "categories.tsv", 6, "测试处罚" },
	{ "no-subject-name", "categories.tsv", 3, "测试处罚" },
	{ "short-exception", "uscc-exceptions.tsv", 3, "91210803MADE2UMA8" },
};

Test(registry, broken_configs)
{
	for (size_t i = 0; i < sizeof broken / sizeof broken[0]; i++) {
		char dir[512], formatted[1200], where[256];
		size_t fl = strlen(broken[i].file), el;
		xy_code rc;
		xy_registry_init(&reg);
		xy_error_clear(&err);
		snprintf(dir, sizeof dir, "%s/%s", CONFIG(""), broken[i].dir);
		rc = xy_registry_load_dir(&reg, dir, &err);
		cr_expect_eq(rc, XY_ERR_CONFIG, "%s: %s", broken[i].dir, xy_code_name(rc));
		cr_expect_eq(err.code, XY_ERR_CONFIG, "%s", broken[i].dir);
		el = strlen(err.file);
		cr_expect(el >= fl && strcmp(err.file + el - fl, broken[i].file) == 0 &&
				  (el == fl || err.file[el - fl - 1] == '/'),
			  "%s: file '%s', want %s", broken[i].dir, err.file, broken[i].file);
		cr_expect_eq(err.row, broken[i].row, "%s: row %ld, want %ld (%s)", broken[i].dir,
			     err.row, broken[i].row, err.msg);
		cr_expect_neq(strstr(err.msg, broken[i].word), NULL, "%s: message '%s' lacks '%s'",
			      broken[i].dir, err.msg, broken[i].word);
		xy_error_format(&err, formatted, sizeof formatted);
		snprintf(where, sizeof where, "%s:%ld", broken[i].file, broken[i].row);
		cr_expect_neq(strstr(formatted, where), NULL, "%s: '%s'", broken[i].dir, formatted);
		/* a failed load leaves nothing behind */
		cr_expect_eq(reg.nunits, 0, "%s", broken[i].dir);
		cr_expect_eq(reg.ncategories, 0, "%s", broken[i].dir);
		cr_expect_null(reg.units);
		cr_expect_null(reg.categories);
		xy_registry_release(&reg);
	}
}

/* ---- enum names round trip ---- */

Test(registry, type_and_role_names_round_trip)
{
	for (int t = XY_FT_TEXT; t <= XY_FT_INT; t++) {
		xy_field_type back;
		cr_assert_eq(xy_field_type_parse(xy_field_type_name((xy_field_type)t), &back), 0);
		cr_expect_eq(back, t);
	}
	for (int r = XY_ROLE_NONE; r <= XY_ROLE_DATE; r++) {
		xy_field_role back;
		cr_assert_eq(xy_field_role_parse(xy_field_role_name((xy_field_role)r), &back), 0);
		cr_expect_eq(back, r);
	}
	for (int k = XY_UNIT_DEPARTMENT; k <= XY_UNIT_CITY; k++) {
		xy_unit_kind back;
		cr_assert_eq(xy_unit_kind_parse(xy_unit_kind_name((xy_unit_kind)k), &back), 0);
		cr_expect_eq(back, k);
	}
	{
		xy_field_type t;
		cr_expect_eq(xy_field_type_parse("money", &t), -1);
		cr_expect_eq(xy_field_type_parse("TEXT", &t), -1);
	}
}

/* ---- what templates put around a column's name ---- */

static const struct {
	const char *header, *code; /* code NULL: no match */
} marked[] = {
	{ "*行政处罚决定书文号", "CF_WSH" },
	{ "行政处罚决定书文号*", "CF_WSH" },
	{ "行政处罚决定书文号＊", "CF_WSH" },
	{ "* 行政处罚决定书文号 *", "CF_WSH" },
	{ "行政处罚决定书文号（必填）", "CF_WSH" },
	{ "行政处罚决定书文号(必填)", "CF_WSH" },
	{ "行政处罚决定书文号（必填）*", "CF_WSH" },
	{ "备注（选填）", "BZ" },
	{ "行政处罚\n决定书文号", "CF_WSH" },      /* a line break inside the cell */
	{ "行政处罚\r\n决定书文号", "CF_WSH" },
	{ "行政处罚决定书文号\xe2\x80\x8b", "CF_WSH" }, /* zero-width space */
	{ "\xef\xbb\xbf" "CF_WSH", "CF_WSH" },     /* a BOM left on the first cell */
	{ "ＣＦ＿ＷＳＨ", "CF_WSH" },               /* full-width letters */
	{ "罚款金额【万元】", "CF_NR_FK" },
	{ "罚款金额(万元)\n*", "CF_NR_FK" },
	{ "*", NULL },                              /* a marker alone names nothing */
	{ "（必填）", NULL },
	{ "**", NULL },
	{ "行政处罚决定书文号（必填说明）", NULL }, /* not a marker */
	{ "行政处罚决定书文号(备注)", NULL },
};

Test(registry, match_header_ignores_template_markers)
{
	const xy_category *c;
	load(SHIPPED);
	c = xy_registry_category(&reg, "行政处罚");
	cr_assert_not_null(c);
	for (size_t i = 0; i < sizeof marked / sizeof marked[0]; i++) {
		int f = xy_category_match_header(c, marked[i].header);
		if (!marked[i].code) {
			cr_expect_eq(f, -1, "'%s' matched %s", marked[i].header,
				     f >= 0 ? c->fields[f].code : "");
			continue;
		}
		cr_expect_geq(f, 0, "'%s' not matched", marked[i].header);
		if (f >= 0)
			cr_expect_str_eq(c->fields[f].code, marked[i].code, "'%s'", marked[i].header);
	}
	cr_expect_eq(xy_category_match_header(c, NULL), -1);
	cr_expect_eq(xy_category_match_header(c, "\xff\xfe"), -1, "invalid UTF-8 names nothing");
}

/* ---- header score ---- */

Test(registry, header_score_counts_distinct_fields)
{
	const xy_category *c;
	static const char *const header[] = { "行政处罚决定书文号", "行政相对人名称", "处罚事由X",
					      "CF_JDRQ", "罚款金额（万元）", "" };
	static const char *const twice[] = { "CF_WSH", "行政处罚决定书文号", "cf_wsh" };
	static const char *const title[] = { "2019年10月行政处罚信息", "", "" };
	static const char *const unit_line[] = { "填报单位：市场监管局", "填报日期：2019-10-31" };
	static const char *const with_null[] = { NULL, "CF_WSH", NULL, "CF_XDR_MC" };
	load(SHIPPED);
	c = xy_registry_category(&reg, "行政处罚");
	cr_assert_not_null(c);
	cr_expect_eq(xy_category_header_score(c, 6, header), 4);
	cr_expect_eq(xy_category_header_score(c, 3, twice), 1, "one field named three times");
	cr_expect_eq(xy_category_header_score(c, 3, title), 0);
	cr_expect_eq(xy_category_header_score(c, 2, unit_line), 0);
	cr_expect_eq(xy_category_header_score(c, 4, with_null), 2);
	cr_expect_eq(xy_category_header_score(c, 0, NULL), 0);
	/* a 行政处罚 header is no 行政许可 header */
	cr_expect_eq(xy_category_header_score(xy_registry_category(&reg, "行政许可"), 6, header), 1,
		     "only 行政相对人名称 is common to both");
}

/* A whole 2019 template header scores every field it names. */
Test(registry, header_score_whole_category)
{
	load(SHIPPED);
	for (size_t i = 0; i < reg.ncategories; i++) {
		const xy_category *c = &reg.categories[i];
		const char **cells = calloc(c->nfields, sizeof *cells);
		cr_assert_not_null(cells);
		for (size_t j = 0; j < c->nfields; j++)
			cells[j] = c->fields[j].name;
		cr_expect_eq(xy_category_header_score(c, c->nfields, cells), c->nfields, "%s",
			     c->name);
		free(cells);
	}
}

/* ---- suggestions ---- */

static const struct {
	const char *category, *header, *code; /* code NULL: nothing near */
} near[] = {
	{ "行政处罚", "罚没金额", "CF_NR_FK" },              /* one character off an alias */
	{ "行政处罚", "罚款金额（元）", "CF_NR_FK" },
	{ "行政处罚", "行政处罚决定文书号", "CF_WSH" },
	{ "行政处罚", "处罚决定书文号", "CF_WSH" },
	{ "行政处罚", "处罚机关名称", "CF_CFJG" },
	{ "行政处罚", "企业名称", "CF_XDR_MC" },              /* shares 名称 */
	{ "行政处罚", "CF_XDR_NAME", "CF_XDR_MC" },
	{ "行政处罚", "CF_WHS", "CF_WSH" },                   /* transposed letters */
	{ "行政处罚", "行政处罚决定书文号", "CF_WSH" },      /* an exact match is its own answer */
	{ "行政处罚", "序号", NULL },
	{ "行政处罚", "联系电话", NULL },
	{ "行政处罚", "ID", NULL },
	{ "行政处罚", "", NULL },
	{ "行政处罚", "  ", NULL },
	{ "行政许可", "许可证名称", "XK_XKZS" },
	{ "行政许可", "许可决定时间", "XK_JDRQ" },
};

Test(registry, suggest_nearest_field)
{
	load(SHIPPED);
	for (size_t i = 0; i < sizeof near / sizeof near[0]; i++) {
		const xy_category *c = xy_registry_category(&reg, near[i].category);
		int f;
		cr_assert_not_null(c);
		f = xy_category_suggest(c, near[i].header);
		if (!near[i].code) {
			cr_expect_eq(f, -1, "'%s' suggested %s", near[i].header,
				     f >= 0 ? c->fields[f].name : "");
			continue;
		}
		cr_expect_geq(f, 0, "'%s': no suggestion", near[i].header);
		if (f >= 0)
			cr_expect_str_eq(c->fields[f].code, near[i].code, "'%s' → %s", near[i].header,
					 c->fields[f].name);
	}
}

Test(registry, suggest_bounded_for_long_headers)
{
	const xy_category *c;
	char *big = malloc(3 * 5000 + 1);
	load(SHIPPED);
	c = xy_registry_category(&reg, "行政处罚");
	cr_assert_not_null(big);
	for (size_t i = 0; i < 5000; i++)
		memcpy(big + 3 * i, "罚", 3);
	big[3 * 5000] = '\0';
	cr_expect_eq(xy_category_suggest(c, big), -1, "5,000 characters name no field");
	cr_expect_eq(xy_category_match_header(c, big), -1);
	cr_expect_eq(xy_category_suggest(c, NULL), -1);
	free(big);
}

/* ---- real layouts (tests/data/headers, see its README) ---- */

/* Split a tab-separated line in place; "\n" in a cell becomes a line break. */
static size_t split_tabs(char *line, char **cells, size_t max)
{
	size_t n = 0;
	for (char *p = line;;) {
		char *tab = strchr(p, '\t'), *w = p;
		if (tab)
			*tab = '\0';
		cr_assert_lt(n, max);
		cells[n++] = p;
		for (char *r = p; *r; r++) { /* unescape \n */
			if (r[0] == '\\' && r[1] == 'n') {
				*w++ = '\n';
				r++;
			} else {
				*w++ = *r;
			}
		}
		*w = '\0';
		if (!tab)
			break;
		p = tab + 1;
	}
	return n;
}

static bool next_line(FILE *f, char *line, size_t size)
{
	while (fgets(line, (int)size, f)) {
		line[strcspn(line, "\r\n")] = '\0';
		if (line[0] != '#' && line[0])
			return true;
	}
	return false;
}

Test(registry, header_fixtures)
{
	static char cat[256], hdr[8192], exp[8192];
	char *cells[128], *codes[128];
	size_t nfiles = 0;
	DIR *d = opendir(XY_TEST_DATA "/headers");
	struct dirent *e;
	load(SHIPPED);
	cr_assert_not_null(d);
	while ((e = readdir(d))) {
		char path[1024];
		FILE *f;
		const xy_category *c;
		size_t n, m, named = 0;
		size_t len = strlen(e->d_name);
		if (len < 5 || strcmp(e->d_name + len - 4, ".tsv"))
			continue;
		snprintf(path, sizeof path, "%s/headers/%s", XY_TEST_DATA, e->d_name);
		f = fopen(path, "r");
		cr_assert_not_null(f, "%s", path);
		cr_assert(next_line(f, cat, sizeof cat), "%s: no category", path);
		cr_assert(next_line(f, hdr, sizeof hdr), "%s: no header", path);
		cr_assert(next_line(f, exp, sizeof exp), "%s: no expected codes", path);
		fclose(f);
		c = xy_registry_category(&reg, cat);
		cr_assert_not_null(c, "%s: category %s", path, cat);
		n = split_tabs(hdr, cells, 128);
		m = split_tabs(exp, codes, 128);
		cr_assert_eq(n, m, "%s: %zu header cells, %zu expected codes", e->d_name, n, m);
		for (size_t i = 0; i < n; i++) {
			int fi = xy_category_match_header(c, cells[i]);
			if (!strcmp(codes[i], "-")) {
				cr_expect_eq(fi, -1, "%s column %zu '%s' matched %s", e->d_name, i + 1,
					     cells[i], fi >= 0 ? c->fields[fi].code : "");
				continue;
			}
			named++;
			cr_expect_geq(fi, 0, "%s column %zu '%s' not matched (want %s)", e->d_name,
				      i + 1, cells[i], codes[i]);
			if (fi >= 0)
				cr_expect_str_eq(c->fields[fi].code, codes[i], "%s column %zu '%s'",
						 e->d_name, i + 1, cells[i]);
		}
		/* every column names a different field: the score is the count */
		cr_expect_eq(xy_category_header_score(c, n, (const char *const *)cells), named, "%s",
			     e->d_name);
		nfiles++;
	}
	closedir(d);
	cr_expect_geq(nfiles, 7, "layouts read: %zu", nfiles);
}
