/* xinyong id CODE…: check identifiers (USCC, 身份证号, 组织机构代码). */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "xinyong/buf.h"
#include "xinyong/codes.h"

/* The visible positions of a masked number: "1-4, 15-18" (positions after
 * the first '*' are only known when the mask keeps the 18 positions). */
static void visible_positions(const char *m, xy_buf *out)
{
	size_t len = strlen(m), head = strcspn(m, "*");
	if (len == 18) {
		for (size_t i = 0; i < len;) {
			size_t j = i;
			if (m[i] == '*') {
				i++;
				continue;
			}
			while (j < len && m[j] != '*')
				j++;
			xy_buf_addf(out, "%s%zu-%zu", out->len ? ", " : "", i + 1, j);
			i = j;
		}
		return;
	}
	if (head)
		xy_buf_addf(out, "1-%zu", head);
	const char *tail = strrchr(m, '*') + 1;
	if (*tail)
		xy_buf_addf(out, "%slast %zu", out->len ? ", " : "", strlen(tail));
}

static int run(cli *c, int argc, char **argv)
{
	static const struct option opts[] = { { "kind", required_argument, NULL, 'k' },
					      { NULL, 0, NULL, 0 } };
	xy_id_kind kind = XY_ID_UNKNOWN;
	xy_registry reg;
	xy_error err = XY_ERROR_INIT;
	bool have_reg;
	int o, all_valid = 1;

	while ((o = getopt_long(argc, argv, "k:", opts, NULL)) != -1) {
		if (o != 'k')
			return cli_usage_error(c, &cmd_id, "unknown option");
		if (strcmp(optarg, "uscc") == 0)
			kind = XY_ID_USCC;
		else if (strcmp(optarg, "ric") == 0)
			kind = XY_ID_RIC;
		else if (strcmp(optarg, "org") == 0)
			kind = XY_ID_ORG;
		else if (strcmp(optarg, "regno") == 0)
			kind = XY_ID_REGNO;
		else
			return cli_usage_error(c, &cmd_id, "--kind must be uscc, ric, org or regno");
	}
	if (optind >= argc)
		return cli_usage_error(c, &cmd_id, "no code given");

	/* The division code names a district of the configured units. */
	xy_registry_init(&reg);
	have_reg = xy_registry_load_dir(&reg, c->config ? c->config : xy_registry_default_dir(),
					&err) == XY_OK;

	for (int i = optind; i < argc; i++) {
		xy_id_result r;
		char div[7] = "";
		const xy_unit *u = NULL;
		xy_id_check(argv[i], kind, &r);
		if (r.valid && r.kind == XY_ID_USCC)
			xy_uscc_division(r.normalized, div);
		else if (r.valid && r.kind == XY_ID_RIC && strcspn(r.normalized, "*") >= 6)
			snprintf(div, sizeof div, "%.6s", r.normalized);
		xy_buf vis = XY_BUF_INIT;
		if (r.masked)
			visible_positions(r.normalized, &vis);
		if (*div && have_reg)
			u = xy_registry_unit_by_division(&reg, div);
		all_valid &= r.valid;
		if (c->json) {
			json_t *obj = json_object();
			json_object_set_new(obj, "input", json_string(argv[i]));
			json_object_set_new(obj, "kind", json_string(xy_id_kind_name(r.kind)));
			json_object_set_new(obj, "normalized", json_string(r.normalized));
			json_object_set_new(obj, "valid", json_boolean(r.valid));
			json_object_set_new(obj, "reason", r.valid ? json_null() : json_string(r.reason));
			json_object_set_new(obj, "reason_zh",
					    r.valid ? json_null() : json_string(r.reason_zh));
			json_object_set_new(obj, "division", *div ? json_string(div) : json_null());
			json_object_set_new(obj, "district", u ? json_string(u->name) : json_null());
			json_object_set_new(obj, "masked", json_boolean(r.masked));
			if (r.masked) {
				json_object_set_new(obj, "visible", json_string(vis.data));
				json_object_set_new(obj, "verifiable", json_false());
				json_object_set_new(obj, "note",
						    json_string("masked number as published: "
								"cannot be verified; identifies a "
								"subject only with its name "
								"(脱敏号码，无法校验，须与姓名一起识别主体)"));
			}
			if (cli_print_json(obj)) {
				xy_buf_release(&vis);
				xy_registry_release(&reg);
				return EXIT_FAIL;
			}
		} else {
			printf("%-20s %-7s %s", r.normalized, xy_id_kind_name(r.kind),
			       r.masked ? "masked" : r.valid ? "valid" : r.reason);
			if (r.masked)
				printf(" (脱敏号码): positions %s visible; cannot be verified "
				       "(无法校验)", vis.data);
			if (!r.valid)
				printf(" (%s)", r.reason_zh);
			if (*div)
				printf("  division %s%s%s", div, u ? " " : "", u ? u->name : "");
			putchar('\n');
		}
		xy_buf_release(&vis);
	}
	xy_registry_release(&reg);
	return all_valid ? EXIT_OK : EXIT_FAIL;
}

const command cmd_id = {
	"id", run, "[--kind uscc|ric|org|regno] CODE…",
	"check 统一社会信用代码, 公民身份号码, 组织机构代码 and 工商注册号",
	"Prints each code's kind, normalised form and `valid` or why it is not.\n"
	"--format json prints one object per code:\n"
	"  {\"input\",\"kind\",\"normalized\",\"valid\",\"reason\",\"reason_zh\",\"division\",\"district\",\n"
	"   \"masked\"} and, for a masked 身份证号 (2108**********1234), \"visible\" positions,\n"
	"   \"verifiable\": false and a note: a mask is valid as published but cannot be\n"
	"   verified and identifies a subject only together with its name.\n"
	"A 15-digit 工商注册号 is checked with --kind regno (GS 15-2006 check digit).\n"
	"Exit status 0 when every code is valid, 1 otherwise.\n",
};
