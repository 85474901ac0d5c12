/* xinyong id CODE…: check identifiers (USCC, 身份证号, 组织机构代码). */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "xinyong/codes.h"

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
		else
			return cli_usage_error(c, &cmd_id, "--kind must be uscc, ric or org");
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
		else if (r.valid && r.kind == XY_ID_RIC)
			snprintf(div, sizeof div, "%.6s", r.normalized);
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
			cli_print_json(obj);
		} else {
			printf("%-20s %-7s %s", r.normalized, xy_id_kind_name(r.kind),
			       r.valid ? "valid" : r.reason);
			if (!r.valid)
				printf(" (%s)", r.reason_zh);
			if (*div)
				printf("  division %s%s%s", div, u ? " " : "", u ? u->name : "");
			putchar('\n');
		}
	}
	xy_registry_release(&reg);
	return all_valid ? EXIT_OK : EXIT_FAIL;
}

const command cmd_id = {
	"id", run, "[--kind uscc|ric|org] CODE…",
	"check 统一社会信用代码, 公民身份号码 and 组织机构代码",
	"Prints each code's kind, normalised form and `valid` or why it is not.\n"
	"--format json prints one object per code:\n"
	"  {\"input\",\"kind\",\"normalized\",\"valid\",\"reason\",\"reason_zh\",\"division\",\"district\"}\n"
	"Exit status 0 when every code is valid, 1 otherwise.\n",
};
