/* Output helpers shared by the commands. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "xinyong/buf.h"
#include "xinyong/text.h"

/* Set when a JSON answer could not be built or printed; main turns a
 * successful exit into a failure then (never empty output with exit 0). */
static bool json_failed;

bool cli_json_failed(void)
{
	return json_failed;
}

void cli_json_fail(const char *what)
{
	if (!json_failed)
		fprintf(stderr, "xinyong: cannot build the JSON answer: %s\n",
			what ? what : "a value could not be encoded");
	json_failed = true;
}

int cli_print_json(json_t *v)
{
	char *s;
	if (!v) {
		cli_json_fail("a value is not valid UTF-8 or memory ran out");
		return -1;
	}
	s = json_dumps(v, JSON_COMPACT | JSON_PRESERVE_ORDER);
	json_decref(v);
	if (!s) {
		cli_json_fail("encoding failed");
		return -1;
	}
	if (puts(s) == EOF || fflush(stdout) == EOF) {
		free(s);
		cli_json_fail("writing to standard output failed");
		return -1;
	}
	free(s);
	return 0;
}

int cli_json_append(json_t *arr, json_t *v)
{
	if (!v || json_array_append_new(arr, v)) {
		cli_json_fail("an element could not be built");
		return -1;
	}
	return 0;
}

/* Length of the valid UTF-8 sequence at s (n bytes left), 0 when invalid. */

int cli_width(const char *s)
{
	return (int)xy_text_width(s);
}

void cli_pad(FILE *f, const char *s, int width)
{
	int w = cli_width(s);
	fputs(s, f);
	if (w >= width) /* too wide for its column: keep the next one apart */
		fputc(' ', f);
	while (w++ < width)
		fputc(' ', f);
}

json_t *cli_opt_str(const char *s)
{
	return s && *s ? json_string(s) : json_null();
}

void cli_print_batch_layout(json_t *sum)
{
	json_t *sheets = json_object_get(sum, "sheets"), *cols = json_object_get(sum, "unmapped_columns");
	json_t *v;
	size_t i, ndata = 0;
	json_array_foreach(sheets, i, v)
		ndata += json_integer_value(json_object_get(v, "header_row")) > 0;
	json_array_foreach(sheets, i, v) {
		const char *name = json_string_value(json_object_get(v, "sheet"));
		const char *skip = json_string_value(json_object_get(v, "skipped"));
		json_int_t hr = json_integer_value(json_object_get(v, "header_row"));
		if (skip)
			printf("  sheet     %s: skipped, %s\n", name ? name : "(file)", skip);
		else if (name && (ndata > 1 || json_array_size(sheets) > 1))
			printf("  sheet     %s: header on row %lld, %lld rows\n", name, (long long)hr,
			       (long long)json_integer_value(json_object_get(v, "rows")));
		else if (hr > 1)
			printf("  header    row %lld (rows above it skipped: titles, notes)\n",
			       (long long)hr);
	}
	json_array_foreach(cols, i, v) {
		const char *sheet = json_string_value(json_object_get(v, "sheet"));
		json_t *sug = json_object_get(v, "suggestion");
		printf("  unmapped  %s%scolumn %lld '%s': %lld values kept with the batch, not a "
		       "field%s%s%s%s\n", sheet ? sheet : "", sheet ? " " : "",
		       (long long)json_integer_value(json_object_get(v, "column")),
		       json_string_value(json_object_get(v, "header")),
		       (long long)json_integer_value(json_object_get(v, "cells")),
		       json_is_object(sug) ? "; nearest field " : "",
		       json_is_object(sug) ? json_string_value(json_object_get(sug, "name")) : "",
		       json_is_object(sug) ? " " : "",
		       json_is_object(sug) ? json_string_value(json_object_get(sug, "code")) : "");
	}
	if (json_array_size(cols))
		printf("            (xinyong mapping add --unit U --category C 'COLUMN' FIELD maps a "
		       "column for the next imports)\n");
}

/* ---- table views rendered from the library's JSON (views.h) ---- */

const char *cli_str(json_t *o, const char *k)
{
	const char *s = json_string_value(json_object_get(o, k));
	return s ? s : "";
}

static long long num(json_t *o, const char *k)
{
	return (long long)json_integer_value(json_object_get(o, k));
}

int cli_render(cli *c, xy_code rc, const xy_error *err, json_t *v,
	       void (*print)(const cli *c, json_t *v))
{
	if (rc) {
		json_decref(v);
		return cli_error(c, err);
	}
	if (c->json)
		return cli_print_json(v) ? EXIT_FAIL : EXIT_OK;
	print(c, v);
	json_decref(v);
	return EXIT_OK;
}

void cli_print_matches(const cli *c, json_t *m)
{
	json_t *arr = json_object_get(m, "matches"), *v;
	size_t i, n = json_array_size(arr);
	(void)c;
	printf("%zu subjects match '%s'%s; show one by its code:\n", n, cli_str(m, "query"),
	       n == 50 ? " (first 50)" : "");
	json_array_foreach(arr, i, v)
		printf("  %-20s %-10s %s\n", cli_str(v, "code"), cli_str(v, "kind_zh"), cli_str(v, "name"));
}

void cli_print_commitment(const cli *c, json_t *j, bool checks_too)
{
	json_t *checks = checks_too ? json_object_get(j, "checks") : NULL, *v;
	size_t i;
	(void)c;
	printf("%-5lld ", num(j, "id"));
	cli_pad(stdout, cli_str(j, "status_zh"), 10);
	printf(" %s  %s %s\n      %s  %s  签署 %s%s%s  %s\n", cli_str(j, "type"), cli_str(j, "subject"),
	       cli_str(j, "name"), cli_str(j, "no"), cli_str(j, "unit"), cli_str(j, "date"),
	       *cli_str(j, "deadline") ? "  期限 " : "", cli_str(j, "deadline"), cli_str(j, "matter"));
	json_array_foreach(checks, i, v) {
		printf("  核查 %s  %s  %s%s%s", cli_str(v, "date"), cli_str(v, "result"), cli_str(v, "by"),
		       *cli_str(v, "note") ? "  " : "", cli_str(v, "note"));
		if (*cli_str(v, "record"))
			printf("  记录 %s", cli_str(v, "record"));
		if (num(v, "entry"))
			printf("  名单条目 %lld", num(v, "entry"));
		printf("\n");
	}
}

void cli_print_gov_dishonesty(const cli *c, json_t *g, bool history)
{
	json_t *h = history ? json_object_get(g, "history") : NULL, *v;
	size_t i;
	(void)c;
	printf("%-5lld ", num(g, "id"));
	cli_pad(stdout, *cli_str(g, "status") ? cli_str(g, "status") : "未登记", 8);
	printf(" %s  %s %s\n      %s  %s  登记 %s%s%s%s\n", cli_str(g, "case_type"), cli_str(g, "body"),
	       cli_str(g, "body_name"), cli_str(g, "district"), cli_str(g, "source"), cli_str(g, "date"),
	       *cli_str(g, "amount") ? "  金额 " : "", cli_str(g, "amount"),
	       *cli_str(g, "amount") ? "万元" : "");
	if (*cli_str(g, "creditor_name"))
		printf("      债权人 %s %s\n", cli_str(g, "creditor"), cli_str(g, "creditor_name"));
	json_array_foreach(h, i, v)
		printf("  %s  %s%s%s\n", cli_str(v, "date"), cli_str(v, "status"),
		       *cli_str(v, "evidence") ? "  " : "", cli_str(v, "evidence"));
}

void cli_print_case(json_t *o)
{
	bool repair = !strcmp(cli_str(o, "kind"), "repair");
	json_t *h = json_object_get(o, "history"), *e;
	size_t i;
	printf("%s %lld  记录 %lld (%s %s)  %s %s\n", repair ? "信用修复" : "异议", num(o, "id"),
	       num(o, "record"), cli_str(o, "category"), cli_str(o, "record_key"), cli_str(o, "subject"),
	       cli_str(o, "subject_name"));
	printf("  信息提供单位 %s  提出 %s  当前 %s (%s)", cli_str(o, "unit"), cli_str(o, "filed_on"),
	       cli_str(o, "step"), cli_str(o, "step_on"));
	if (json_is_string(json_object_get(o, "due")))
		printf("  办理期限 %s%s%s", cli_str(o, "due"),
		       json_is_true(json_object_get(o, "overdue")) ? " 已逾期" : "",
		       json_is_true(json_object_get(o, "due_estimated"))
			       ? "（节假日安排未载入，按周一至周五推算）"
			       : "");
	printf("\n  记录公示状态 %s\n", cli_str(o, "record_display"));
	json_array_foreach(h, i, e)
		printf("    %s  %-6s %s%s%s\n", cli_str(e, "on"), cli_str(e, "action"), cli_str(e, "actor"),
		       *cli_str(e, "detail") ? "  " : "", cli_str(e, "detail"));
}

/* A record's fields under their names, leaving out what the record line
 * already says (key, date, the subject's name, code, kind). */
static void print_record_data(const cli *c, const char *category, json_t *data)
{
	const xy_category *cat = xy_registry_category(&c->reg, category);
	const char *k;
	json_t *v;
	json_object_foreach(data, k, v) {
		const char *label = k;
		const xy_field *f = NULL;
		if (cat)
			for (size_t i = 0; i < cat->nfields; i++)
				if (strcmp(cat->fields[i].code, k) == 0)
					f = &cat->fields[i];
		if (f) {
			if (f->role == XY_ROLE_KEY || f->role == XY_ROLE_DATE ||
			    f->role == XY_ROLE_SUBJ_NAME || f->role == XY_ROLE_SUBJ_USCC ||
			    f->role == XY_ROLE_SUBJ_IDNO || f->role == XY_ROLE_SUBJ_KIND ||
			    f->role == XY_ROLE_SUBJ_IDTYPE)
				continue;
			label = f->name;
		}
		if (strcmp(k, "_extra") == 0 && json_is_object(v)) {
			const char *ek;
			json_t *ev;
			json_object_foreach(v, ek, ev)
				printf("      （未识别列）%s：%s\n", ek,
				       json_string_value(ev) ? json_string_value(ev) : "");
			continue;
		}
		printf("      %s：%s\n", label, json_string_value(v) ? json_string_value(v) : "");
	}
}

void cli_print_profile(const cli *c, json_t *p)
{
	json_t *s = json_object_get(p, "subject"), *v;
	const char *last_cat = NULL, *k;
	size_t i;

	printf("%s\n", cli_str(s, "name"));
	printf("  主体类别  %s (%s)\n", cli_str(s, "kind_zh"), cli_str(s, "kind"));
	printf("  %s  %s\n", strcmp(cli_str(s, "code_type"), "uscc") == 0 ? "信用代码" : "证件号码",
	       cli_str(s, "code"));
	if (*cli_str(s, "division"))
		printf("  行政区划  %s%s%s\n", cli_str(s, "division"), *cli_str(s, "district") ? " " : "",
		       cli_str(s, "district"));
	if ((v = json_object_get(p, "grade")))
		printf("  信用等级  %s（%s，模型 %s，SHA-256 %s）\n            %s\n",
		       cli_str(v, "grade"), cli_str(v, "as_of"), cli_str(v, "model"),
		       cli_str(v, "sha256"), cli_str(v, "note"));
	json_array_foreach(json_object_get(p, "list_entries"), i, v) {
		const char *via = cli_str(v, "via");
		if (!i)
			printf("\n【名单】\n");
		printf("  [%lld] %s  %s  %s – %s  %s  %s%s%s\n", num(v, "entry"), cli_str(v, "list_type"),
		       cli_str(v, "doc"), cli_str(v, "from"), *cli_str(v, "to") ? cli_str(v, "to") : "无期限",
		       cli_str(v, "unit"), cli_str(v, "status"), *cli_str(v, "exit") ? " " : "", cli_str(v, "exit"));
		if (!strcmp(via, "person"))
			printf("      作为 %s 的%s\n", cli_str(v, "through_name"), cli_str(v, "role"));
		else if (!strcmp(via, "enterprise"))
			printf("      通过%s %s\n", cli_str(v, "role"), cli_str(v, "through_name"));
	}
	json_array_foreach(json_object_get(p, "records"), i, v) {
		const char *cat = cli_str(v, "category");
		if (!last_cat || strcmp(last_cat, cat) != 0)
			printf("\n【%s】\n", cat);
		last_cat = cat;
		printf("  %s  %s  %s (报送 %s%s)  [%lld] %s\n",
		       *cli_str(v, "decided_on") ? cli_str(v, "decided_on") : "----------", cli_str(v, "key"),
		       cli_str(v, "unit"), cli_str(v, "reported_on"), num(v, "versions") > 1 ? ", 已更新" : "",
		       num(v, "id"), cli_str(v, "display"));
		print_record_data(c, cat, json_object_get(v, "data"));
	}
	json_array_foreach(json_object_get(p, "commitments"), i, v) {
		if (!i)
			printf("\n【信用承诺】\n");
		cli_print_commitment(c, v, true);
	}
	json_array_foreach(json_object_get(p, "gov_dishonesty"), i, v) {
		if (!i)
			printf("\n【政府失信】\n");
		cli_print_gov_dishonesty(c, v, true);
	}
	json_array_foreach(json_object_get(p, "cases"), i, v) {
		if (!i)
			printf("\n【办理中的信用修复、异议】\n");
		printf("  %s %lld  记录 %lld %s  %s  %s %s%s%s\n",
		       !strcmp(cli_str(v, "kind"), "repair") ? "信用修复" : "异议", num(v, "id"),
		       num(v, "record"), cli_str(v, "category"), cli_str(v, "unit"), cli_str(v, "filed_on"),
		       cli_str(v, "step"), json_is_string(json_object_get(v, "due")) ? "  期限 " : "",
		       cli_str(v, "due"));
	}
	if (num(p, "hidden"))
		printf("\n另有 %lld 条信息不在公示期内，不予公示 (as of %s)\n", num(p, "hidden"),
		       cli_str(p, "as_of"));
	printf("\n信息来源单位 (source units):");
	json_object_foreach(json_object_get(p, "units"), k, v)
		printf(" %s×%lld", k, (long long)json_integer_value(v));
	printf("\n");
}

void cli_print_check(const cli *c, json_t *a)
{
	json_t *ents = json_object_get(a, "entries"), *meas = json_object_get(a, "measures"), *v;
	const char *matter = json_string_value(json_object_get(a, "matter"));
	size_t i;
	(void)c;
	printf("check %lld  %s %s\n  单位 %s · 事项 %s · 日期 %s\n", num(a, "check_id"),
	       cli_str(a, "subject"), cli_str(a, "subject_name"), cli_str(a, "unit"), matter ? matter : "全部",
	       cli_str(a, "date"));
	printf("\n名单 (active entries):%s\n", json_array_size(ents) ? "" : " 无");
	json_array_foreach(ents, i, v) {
		const char *via = cli_str(v, "via");
		printf("  [%lld] %s  %s  %s – %s", num(v, "entry"), cli_str(v, "list_type"), cli_str(v, "doc"),
		       cli_str(v, "from"), *cli_str(v, "to") ? cli_str(v, "to") : "无期限");
		if (strcmp(via, "own"))
			printf("  (%s %s %s %s)", strcmp(via, "person") ? "通过关联人员" : "作为",
			       cli_str(v, "role"), cli_str(v, "through"), cli_str(v, "through_name"));
		printf("\n");
	}
	printf("\n措施 (measures to apply):%s\n", json_array_size(meas) ? "" : " 无");
	json_array_foreach(meas, i, v) {
		printf("  %s 第%lld项 [%s] %s\n      依据: %s\n      触发: %s\n", cli_str(v, "memorandum"),
		       num(v, "number"), cli_str(v, "kind"), cli_str(v, "text"), cli_str(v, "legal_basis"),
		       cli_str(v, "triggered_by"));
		if (*cli_str(v, "condition"))
			printf("      条件: %s\n", cli_str(v, "condition"));
	}
	printf("\n答复: %s\n", cli_str(a, "answer"));
}

void cli_print_entries(const cli *c, json_t *v)
{
	json_t *arr = json_object_get(v, "entries"), *e;
	size_t i;
	(void)c;
	json_array_foreach(arr, i, e)
		printf("%-5lld %-8s %s  %s %s\n      %s  %s – %s  %s%s%s\n", num(e, "entry"),
		       cli_str(e, "status"), cli_str(e, "list_type"), cli_str(e, "subject"), cli_str(e, "name"),
		       cli_str(e, "doc"), cli_str(e, "from"), *cli_str(e, "to") ? cli_str(e, "to") : "无期限",
		       cli_str(e, "unit"), *cli_str(e, "exit") ? "  退出: " : "", cli_str(e, "exit"));
	if (!json_array_size(arr))
		printf("  无\n");
}

void cli_print_notices(const cli *c, json_t *v)
{
	json_t *arr = json_object_get(v, "notices"), *n;
	size_t i;
	(void)c;
	json_array_foreach(arr, i, n)
		printf("%-5lld %s  %s %s  %s\n      列入 %s  %s  (entry %lld, from %s)\n", num(n, "id"),
		       cli_str(n, "at"), cli_str(n, "subject"), cli_str(n, "name"),
		       json_is_null(json_object_get(n, "read_at")) ? "未读" : "已读",
		       cli_str(n, "list_type"), cli_str(n, "doc"), num(n, "entry"), cli_str(n, "from"));
	if (!json_array_size(arr))
		printf("%s: 无通知 (no notices)\n", cli_str(v, "unit"));
}
