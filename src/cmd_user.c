/* xinyong user add|list|disable|passwd: the people who sign in to the server
 * (issue 9).  Passwords come from --password-file or stdin, never argv. */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include <sodium.h>

#include "cli.h"
#include "xinyong/auth.h"
#include "xinyong/views.h"

static int run(cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "role", required_argument, NULL, 'r' },
		{ "unit", required_argument, NULL, 'u' },
		{ "password-file", required_argument, NULL, 'p' },
		{ NULL, 0, NULL, 0 },
	};
	const char *role_s = NULL, *unit = NULL, *pwfile = NULL, *sub;
	xy_error err = XY_ERROR_INIT;
	xy_buf who = XY_BUF_INIT, pw = XY_BUF_INIT;
	int o, rc = EXIT_FAIL;

	if (argc < 2)
		return cli_usage_error(c, &cmd_user, "add, list, disable or passwd?");
	sub = argv[1];
	argc--;
	argv++;
	/* getopt_long takes abbreviations: --password or --pass would name the
	 * password file and the password itself would land in argv and in an
	 * error message.  Only the whole option name is accepted. */
	for (int i = 1; i < argc; i++)
		if (!strncmp(argv[i], "--pa", 4) && strcmp(argv[i], "--password-file") &&
		    strncmp(argv[i], "--password-file=", 16))
			return cli_usage_error(c, &cmd_user,
					       "a password is never given on the command line: "
					       "use --password-file FILE or stdin");
	while ((o = getopt_long(argc, argv, "r:u:p:", opts, NULL)) != -1) {
		switch (o) {
		case 'r': role_s = optarg; break;
		case 'u': unit = optarg; break;
		case 'p': pwfile = optarg; break;
		default: return cli_usage_error(c, &cmd_user, "unknown option");
		}
	}
	argc -= optind;
	argv += optind;

	if (strcmp(sub, "list") == 0) {
		xy_user_row *v = NULL;
		size_t n = 0;
		json_t *arr;
		if (argc || role_s || unit || pwfile)
			return cli_usage_error(c, &cmd_user, "list takes no arguments");
		if (cli_open_store(c))
			return EXIT_FAIL;
		if (xy_auth_user_list(c->store, &v, &n, &err))
			return cli_error(c, &err);
		arr = json_array();
		for (size_t i = 0; i < n; i++)
			if (cli_json_append(arr, xy_user_json(&v[i])))
				break;
		if (c->json) {
			json_t *view = NULL;
			json_decref(arr);
			rc = xy_view_users(c->store, &view, &err) ? cli_error(c, &err)
			     : cli_print_json(view) ? EXIT_FAIL : EXIT_OK;
		} else {
			if (!n)
				printf("no users (add the first admin: xinyong user add NAME --role admin)\n");
			for (size_t i = 0; i < n; i++)
				printf("%-20s %-8s %s%s%s\n", v[i].name, v[i].role, v[i].unit,
				       *v[i].unit ? " " : "", v[i].disabled ? "(disabled 已停用)" : "");
			json_decref(arr);
			rc = EXIT_OK;
		}
		xy_user_rows_free(v, n);
		return rc;
	}
	if (argc != 1)
		return cli_usage_error(c, &cmd_user, "%s needs one user NAME", sub);
	if (strcmp(sub, "add") && strcmp(sub, "disable") && strcmp(sub, "passwd"))
		return cli_usage_error(c, &cmd_user,
				       "unknown subcommand '%s': add, list, disable or passwd", sub);
	if (strcmp(sub, "add") && (role_s || unit))
		return cli_usage_error(c, &cmd_user, "--role and --unit are for add");
	if (!strcmp(sub, "disable") && pwfile)
		return cli_usage_error(c, &cmd_user, "disable takes no password");
	if (cli_open_store(c) || cli_admin(c, &who))
		goto out;

	if (!strcmp(sub, "disable")) {
		if (xy_auth_user_disable(c->store, who.data, argv[0], &err)) {
			rc = cli_error(c, &err);
			goto out;
		}
		rc = c->json ? (cli_print_json(json_pack("{s:s,s:b}", "name", argv[0], "disabled", 1))
					? EXIT_FAIL : EXIT_OK)
			     : (printf("user %s disabled (已停用); their sessions ended\n", argv[0]),
				EXIT_OK);
		goto out;
	}

	{
		xy_auth *a = NULL;
		xy_role role = XY_ROLE_PUBLIC;
		int64_t unit_id = 0, id = 0;
		if (!strcmp(sub, "add")) {
			const xy_unit *u = NULL;
			if (!role_s || xy_role_parse(role_s, &role) || role == XY_ROLE_PUBLIC) {
				rc = cli_usage_error(c, &cmd_user,
						     "--role must be unit, admin or auditor");
				goto out;
			}
			if (unit && !(u = xy_registry_unit(&c->reg, unit))) {
				fprintf(stderr, "xinyong user: error: unit: no unit named '%s'\n", unit);
				goto out;
			}
			unit_id = u ? u->id : 0;
		}
		if (cli_read_secret(c, pwfile, &pw))
			goto out;
		if (xy_auth_new(&a, NULL, &err)) {
			rc = cli_error(c, &err);
			goto out;
		}
		if (!strcmp(sub, "add")) {
			xy_user_spec spec = { argv[0], role, unit_id, pw.data, pw.len };
			if (xy_auth_user_add(a, c->store, who.data, &spec, &id, &err))
				rc = cli_error(c, &err);
			else if (c->json)
				rc = cli_print_json(json_pack("{s:I,s:s,s:s}", "id", (json_int_t)id,
							      "name", argv[0], "role",
							      xy_role_name(role)))
					     ? EXIT_FAIL : EXIT_OK;
			else
				rc = (printf("user %s added (%s%s%s)\n", argv[0], xy_role_name_zh(role),
					     unit ? " · " : "", unit ? unit : ""), EXIT_OK);
		} else {
			if (xy_auth_user_passwd(a, c->store, who.data, argv[0], pw.data, pw.len, &err))
				rc = cli_error(c, &err);
			else if (c->json)
				rc = cli_print_json(json_pack("{s:s,s:b}", "name", argv[0],
							      "password_changed", 1)) ? EXIT_FAIL : EXIT_OK;
			else
				rc = (printf("password of %s changed; their sessions ended\n", argv[0]),
				      EXIT_OK);
		}
		xy_auth_free(a);
	}
out:
	if (pw.cap)
		sodium_memzero(pw.data, pw.len);
	xy_buf_release(&pw);
	xy_buf_release(&who);
	return rc;
}

const command cmd_user = {
	"user", run,
	"add NAME --role unit|admin|auditor [--unit UNIT] [--password-file FILE]\n"
	"                      | list | disable NAME | passwd NAME [--password-file FILE]",
	"users who sign in to the server (信用办管理员, 信源单位操作员, 审计员)",
	"Roles: admin (信用办管理员), unit (信源单位操作员: needs --unit, sees only that\n"
	"unit's data), auditor (审计员: reads everything, changes nothing, reads the\n"
	"audit log).  The password is read from --password-file (its first line) or\n"
	"from stdin, never from the command line; 8 to 1024 bytes.  It is stored as an\n"
	"argon2id hash.  `disable` ends the user's sessions and refuses their logins;\n"
	"`passwd` ends their sessions.  Every change is written to the audit log as\n"
	"done by cli:LOGIN (the system account running xinyong).\n",
};
