/* xinyong token create|list|revoke: bearer tokens for machine clients (issue 9). */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sodium.h>

#include "cli.h"
#include "xinyong/auth.h"
#include "xinyong/views.h"
#include "xinyong/date.h"

/* --expires: "90d" (days from now: xy_time_now) or a date YYYY-MM-DD (valid through that
 * day, UTC).  -1 when neither. */
static int64_t parse_expires(const char *s)
{
	char *end;
	long long n;
	if (!s || !*s)
		return -1;
	n = strtoll(s, &end, 10);
	if (end != s && (*end == 'd' || *end == 'D') && !end[1] && n > 0 && n <= 3650)
		return xy_time_now() + n * 86400;
	if (strlen(s) == 10 && s[4] == '-' && s[7] == '-') {
		struct tm tm = { 0 };
		char *e = strptime(s, "%Y-%m-%d", &tm);
		if (e && !*e)
			return (int64_t)timegm(&tm) + 86400;
	}
	return -1;
}

static void print_row(const xy_token_row *t, json_t *o)
{
	printf("%-5lld %-8s %-20s %-9s expires %s%s%s\n", (long long)t->id, t->role,
	       *t->unit ? t->unit : "-", json_string_value(json_object_get(o, "state")),
	       json_string_value(json_object_get(o, "expires")), *t->label ? "  " : "", t->label);
}

static int run(cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "role", required_argument, NULL, 'r' },
		{ "unit", required_argument, NULL, 'u' },
		{ "expires", required_argument, NULL, 'e' },
		{ "label", required_argument, NULL, 'l' },
		{ NULL, 0, NULL, 0 },
	};
	const char *role_s = NULL, *unit = NULL, *expires = "90d", *label = NULL, *sub;
	xy_error err = XY_ERROR_INIT;
	xy_buf who = XY_BUF_INIT;
	int o, rc = EXIT_FAIL;

	if (argc < 2)
		return cli_usage_error(c, &cmd_token, "create, list or revoke?");
	sub = argv[1];
	argc--;
	argv++;
	while ((o = getopt_long(argc, argv, "r:u:e:l:", opts, NULL)) != -1) {
		switch (o) {
		case 'r': role_s = optarg; break;
		case 'u': unit = optarg; break;
		case 'e': expires = optarg; break;
		case 'l': label = optarg; break;
		default: return cli_usage_error(c, &cmd_token, "unknown option");
		}
	}
	argc -= optind;
	argv += optind;

	if (!strcmp(sub, "list")) {
		xy_token_row *v = NULL;
		size_t n = 0;
		json_t *arr;
		if (argc)
			return cli_usage_error(c, &cmd_token, "list takes no arguments");
		if (cli_open_store(c))
			return EXIT_FAIL;
		if (xy_auth_token_list(c->store, &v, &n, &err))
			return cli_error(c, &err);
		arr = json_array();
		for (size_t i = 0; i < n; i++)
			if (cli_json_append(arr, xy_token_json(&v[i])))
				break;
		if (c->json) {
			json_t *view = NULL;
			json_decref(arr);
			rc = xy_view_tokens(c->store, &view, &err) ? cli_error(c, &err)
			     : cli_print_json(view) ? EXIT_FAIL : EXIT_OK;
		} else {
			if (!n)
				printf("no tokens\n");
			for (size_t i = 0; i < n && i < json_array_size(arr); i++)
				print_row(&v[i], json_array_get(arr, i));
			json_decref(arr);
			rc = EXIT_OK;
		}
		xy_token_rows_free(v, n);
		return rc;
	}
	if (!strcmp(sub, "create")) {
		xy_token_spec spec = { 0 };
		const xy_unit *u = NULL;
		char *secret = NULL;
		int64_t id = 0;
		if (argc)
			return cli_usage_error(c, &cmd_token, "create takes options only");
		if (!role_s || xy_role_parse(role_s, &spec.role) || spec.role == XY_ROLE_PUBLIC)
			return cli_usage_error(c, &cmd_token, "--role must be unit, admin or auditor");
		if ((spec.expires = parse_expires(expires)) < 0)
			return cli_usage_error(c, &cmd_token,
					       "--expires takes N days (90d, at most 3650d) or a date "
					       "YYYY-MM-DD, not '%s'", expires);
		spec.label = label;
		if (cli_open_store(c) || cli_admin(c, &who))
			goto out;
		if (unit && !(u = xy_registry_unit(&c->reg, unit))) {
			fprintf(stderr, "xinyong token: error: unit: no unit named '%s'\n", unit);
			goto out;
		}
		spec.unit_id = u ? u->id : 0;
		if (xy_auth_token_create(c->store, who.data, &spec, &id, &secret, &err)) {
			rc = cli_error(c, &err);
			goto out;
		}
		if (c->json) {
			rc = cli_print_json(json_pack("{s:I,s:s}", "id", (json_int_t)id, "token",
						      secret)) ? EXIT_FAIL : EXIT_OK;
		} else {
			printf("%s\n", secret);
			fprintf(stderr, "token %lld made; it is shown only this once "
					"(令牌只显示这一次，请妥善保存)\n", (long long)id);
			rc = EXIT_OK;
		}
		sodium_memzero(secret, strlen(secret));
		free(secret);
		goto out;
	}
	if (!strcmp(sub, "revoke")) {
		long long id;
		if (argc != 1 || cli_parse_id(argv[0], &id))
			return cli_usage_error(c, &cmd_token, "revoke needs a token ID");
		if (cli_open_store(c) || cli_admin(c, &who))
			goto out;
		if (xy_auth_token_revoke(c->store, who.data, id, &err)) {
			rc = cli_error(c, &err);
			goto out;
		}
		rc = c->json ? (cli_print_json(json_pack("{s:I,s:b}", "id", (json_int_t)id, "revoked",
							 1)) ? EXIT_FAIL : EXIT_OK)
			     : (printf("token %lld revoked (已吊销)\n", id), EXIT_OK);
		goto out;
	}
	return cli_usage_error(c, &cmd_token, "unknown subcommand '%s': create, list or revoke",
			       sub);
out:
	xy_buf_release(&who);
	return rc;
}

const command cmd_token = {
	"token", run,
	"create --role unit|admin|auditor [--unit UNIT] [--expires 90d|YYYY-MM-DD]\n"
	"                              [--label TEXT] | list | revoke ID",
	"bearer tokens for machine clients of the server (API 令牌)",
	"A token acts with one role (and, for role unit, one unit) until it expires\n"
	"(--expires: N days from now or through a date, UTC; default 90d) or is revoked.\n"
	"`create` prints the token once on stdout (xyt_ID_SECRET); only its hash is\n"
	"stored, so it cannot be shown again.  Clients send it as\n"
	"`Authorization: Bearer xyt_…`.  `list` never shows secrets.  Creating and\n"
	"revoking are written to the audit log as done by cli:LOGIN.\n",
};
