/* xinyong: command dispatch.  Each command lives in its own cmd_*.c. */
#include <errno.h>
#include <getopt.h>
#include <pwd.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "xinyong/store.h"
#include "xy_config.h"

static const command *const commands[] = {
	&cmd_import, &cmd_batches, &cmd_show, &cmd_id,     &cmd_stats, &cmd_reconcile,
	&cmd_index,  &cmd_bulletin, &cmd_demo, &cmd_init,  &cmd_list,  &cmd_check,
	&cmd_feedback, &cmd_checks, &cmd_watch, &cmd_notices, &cmd_memorandum, &cmd_mapping,
	&cmd_registry,
	&cmd_repair, &cmd_objection, &cmd_interview, &cmd_application,
	&cmd_commitment, &cmd_gov_dishonesty,
	&cmd_quality, &cmd_publicity, &cmd_serve, &cmd_user, &cmd_token, &cmd_audit, &cmd_rekey, &cmd_migrate,
	&cmd_report, &cmd_grade, &cmd_inspect,
};
#define NCOMMANDS (sizeof commands / sizeof commands[0])

static void usage(FILE *f)
{
	fprintf(f, "usage: xinyong <command> [options] [arguments]\n\n"
		   "xinyong — city social credit information platform (城市社会信用信息平台)\n\n"
		   "commands:\n");
	for (size_t i = 0; i < NCOMMANDS; i++)
		fprintf(f, "  %-14s %s\n", commands[i]->name, commands[i]->summary);
	fprintf(f, "\noptions every command takes:\n"
		   "  --db PATH          database (default $XINYONG_DB or var/xinyong.db)\n"
		   "  --format table|json  output for people (default) or for scripts\n"
		   "  --config DIR       configuration seeded into a new database (default data/)\n"
		   "  --key-file PATH    key of the personal ID numbers (default $XINYONG_KEY_FILE\n"
		   "                     or DB.key beside the database; created on first use)\n"
		   "  --help             help for the command\n\n"
		   "'xinyong <command> --help' describes one command.\n");
}

static void command_help(const command *cmd)
{
	printf("usage: xinyong %s %s\n\n%s\n", cmd->name, cmd->usage, cmd->summary);
	if (cmd->help && *cmd->help)
		printf("\n%s", cmd->help);
	printf("\ncommon options: --db PATH, --format table%s%s|json, --config DIR, --key-file PATH,"
	       " --help\n",
	       cmd->formats ? "|" : "", cmd->formats ? cmd->formats : "");
}

/* Whether v is one of the command's extra formats ("csv|xlsx|md|html"). */
static bool format_allowed(const command *cmd, const char *v)
{
	const char *p = cmd->formats;
	size_t n = strlen(v);
	while (p && *p && n) {
		size_t k = strcspn(p, "|");
		if (k == n && strncmp(p, v, n) == 0)
			return true;
		p += k + (p[k] == '|');
	}
	return false;
}

int cli_common_options(cli *c, const command *cmd, int argc, char **argv)
{
	int out = 1;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		const char *v = NULL;
		size_t n;
		if (strcmp(a, "--") == 0) {
			while (i < argc)
				argv[out++] = argv[i++];
			break;
		}
		if (strcmp(a, "--key-file") == 0 || strncmp(a, "--key-file=", 11) == 0) {
			/* the library resolves the key file for every command (and
			 * xinyong serve): docs/configuration.md */
			if (a[10] == '=')
				v = a + 11;
			else if (i + 1 < argc)
				v = argv[++i];
			else {
				cli_usage_error(c, cmd, "%s needs a value", a);
				return -1;
			}
			xy_store_set_key_file(v);
			continue;
		}
		if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
			command_help(cmd);
			return -2;
		}
		if (strncmp(a, "--db", 4) == 0 || strncmp(a, "--format", 8) == 0 ||
		    strncmp(a, "--config", 8) == 0) {
			n = strcspn(a, "=");
			if (!(n == 4 || n == 8) || (n == 4 && strncmp(a, "--db", 4) != 0)) {
				argv[out++] = argv[i];
				continue;
			}
			if (a[n] == '=') {
				v = a + n + 1;
			} else if (i + 1 < argc) {
				v = argv[++i];
			} else {
				cli_usage_error(c, cmd, "%s needs a value", a);
				return -1;
			}
			if (strncmp(a, "--db", n) == 0 && n == 4) {
				c->db = v;
			} else if (strncmp(a, "--config", n) == 0) {
				c->config = v;
			} else if (strcmp(v, "json") == 0) {
				c->json = true;
				c->format = v;
			} else if (strcmp(v, "table") == 0 || strcmp(v, "text") == 0) {
				c->json = false;
				c->format = "table";
			} else if (format_allowed(cmd, v)) {
				c->json = false;
				c->format = v;
			} else {
				cli_usage_error(c, cmd, "--format must be table%s%s or json, not '%s'",
						cmd->formats ? "|" : "", cmd->formats ? cmd->formats : "", v);
				return -1;
			}
			continue;
		}
		argv[out++] = argv[i];
	}
	argv[out] = NULL;
	return out;
}

static void wait_notice(void *ctx, const char *msg)
{
	const cli *c = ctx;
	fprintf(stderr, "xinyong %s: %s\n", c->cmd, msg);
}

/* $XINYONG_WAIT: seconds to wait for a lock another import holds (default
 * 600: a script always gets an outcome, a person sees why it waits). */
static unsigned wait_seconds(void)
{
	const char *v = getenv("XINYONG_WAIT");
	char *end;
	unsigned long n;
	if (!v || !*v)
		return 600;
	n = strtoul(v, &end, 10);
	return *end || n > 86400 ? 600 : (unsigned)n;
}

int cli_open_store(cli *c)
{
	xy_error err = XY_ERROR_INIT;
	xy_store_set_wait(wait_seconds(), wait_notice, c);
	if (xy_store_open(&c->store, c->db, c->config, &err))
		return cli_error(c, &err);
	xy_registry_init(&c->reg);
	if (xy_store_load_registry(c->store, &c->reg, &err))
		return cli_error(c, &err);
	return 0;
}

int cli_beside_db(const cli *c, const char *name, xy_buf *out)
{
	return xy_store_beside(c->db, name, out, NULL) ? -1 : 0;
}

int cli_open_credit(cli *c, xy_credit *cr)
{
	xy_error err = XY_ERROR_INIT;
	if (cli_open_store(c))
		return EXIT_FAIL;
	if (!c->who) {
		xy_buf who = XY_BUF_INIT;
		if (cli_admin(c, &who))
			return EXIT_FAIL;
		c->who = xy_buf_detach(&who, NULL);
	}
	if (xy_credit_open(cr, c->store, &c->reg, c->config, &err))
		return cli_error(c, &err);
	cr->who = c->who;
	return 0;
}

int cli_admin(const cli *c, xy_buf *who)
{
	struct passwd *pw = getpwuid(geteuid());
	xy_code rc = pw && pw->pw_name && *pw->pw_name
			     ? xy_buf_addf(who, "cli:%s", pw->pw_name)
			     : xy_buf_addf(who, "cli:uid%lu", (unsigned long)geteuid());
	if (rc) {
		fprintf(stderr, "xinyong %s: error: out of memory\n", c->cmd);
		return EXIT_FAIL;
	}
	return 0;
}

int cli_read_secret(const cli *c, const char *file, xy_buf *out)
{
	FILE *f = stdin;
	int ch;
	xy_buf_init(out, 4096);
	if (file && strcmp(file, "-") && !(f = fopen(file, "r"))) {
		fprintf(stderr, "xinyong %s: error: %s: %s\n", c->cmd, file, strerror(errno));
		return EXIT_FAIL;
	}
	while ((ch = getc(f)) != EOF && ch != '\n') {
		if (xy_buf_addch(out, (char)ch)) {
			fprintf(stderr, "xinyong %s: error: the password is longer than 4096 bytes\n",
				c->cmd);
			if (f != stdin)
				fclose(f);
			return EXIT_FAIL;
		}
	}
	if (ferror(f)) {
		fprintf(stderr, "xinyong %s: error: reading the password failed\n", c->cmd);
		if (f != stdin)
			fclose(f);
		return EXIT_FAIL;
	}
	if (f != stdin)
		fclose(f);
	if (out->len && out->data[out->len - 1] == '\r')
		xy_buf_truncate(out, out->len - 1);
	if (!out->len) {
		fprintf(stderr, "xinyong %s: error: no password given (on stdin or --password-file)\n",
			c->cmd);
		return EXIT_FAIL;
	}
	return 0;
}

int cli_error(const cli *c, const xy_error *err)
{
	char msg[2048];
	xy_error_format(err, msg, sizeof msg);
	fprintf(stderr, "xinyong %s: error: %s\n", c->cmd, msg);
	return EXIT_FAIL;
}

int cli_usage_error(const cli *c, const command *cmd, const char *fmt, ...)
{
	va_list ap;
	fprintf(stderr, "xinyong %s: ", c->cmd);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\nusage: xinyong %s %s\n", cmd->name, cmd->usage);
	return EXIT_USAGE;
}

int cli_parse_limit(const char *s, size_t *out)
{
	char *end;
	long v = strtol(s, &end, 10);
	if (end == s || *end || v < 1 || v > 100)
		return -1;
	*out = (size_t)v;
	return 0;
}

int main(int argc, char **argv)
{
	cli c;
	const command *cmd = NULL;
	int rc;

	memset(&c, 0, sizeof c);
	c.format = "table";
	c.db = getenv("XINYONG_DB");
	if (!c.db || !*c.db)
		c.db = "var/xinyong.db";
	if (argc < 2) {
		usage(stderr);
		return EXIT_USAGE;
	}
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
	    strcmp(argv[1], "help") == 0) {
		if (argc > 2)
			for (size_t i = 0; i < NCOMMANDS; i++)
				if (strcmp(commands[i]->name, argv[2]) == 0) {
					command_help(commands[i]);
					return EXIT_OK;
				}
		usage(stdout);
		return EXIT_OK;
	}
	if (strcmp(argv[1], "--version") == 0) {
		printf("xinyong %s\n", XY_VERSION);
		return EXIT_OK;
	}
	for (size_t i = 0; i < NCOMMANDS; i++)
		if (strcmp(commands[i]->name, argv[1]) == 0)
			cmd = commands[i];
	if (!cmd) {
		fprintf(stderr, "xinyong: '%s' is not a command; see 'xinyong --help'\n", argv[1]);
		return EXIT_USAGE;
	}
	c.cmd = cmd->name;
	argc--;
	argv++;
	argc = cli_common_options(&c, cmd, argc, argv);
	if (argc == -2)
		return EXIT_OK;
	if (argc < 0)
		return EXIT_USAGE;
	optind = 1;
	rc = cmd->run(&c, argc, argv);
	if (cli_json_failed() && rc == EXIT_OK)
		rc = EXIT_FAIL;
	if (c.store) {
		xy_registry_release(&c.reg);
		xy_store_close(c.store);
	}
	free(c.who);
	return rc;
}
