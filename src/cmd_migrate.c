/* xinyong migrate: copy a city's SQLite database into PostgreSQL, verified
 * table by table (xy_store_migrate; docs/postgresql.md "Moving a city
 * database"). */
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "xinyong/auth.h"
#include "cli.h"

typedef struct {
	const cli *c;
	json_t *tables; /* --format json */
	int64_t rows;
	size_t n;
} progress_ctx;

static void progress(void *ctx, const xy_migrate_table *t)
{
	progress_ctx *p = ctx;
	p->rows += t->rows;
	p->n++;
	if (p->tables)
		json_array_append_new(p->tables, json_pack("{s:s,s:I,s:s}", "table", t->table,
							   "rows", (json_int_t)t->rows, "sha256",
							   t->sha256));
	else {
		printf("%-26s %12" PRId64 "  %.16s…  verified\n", t->table, t->rows, t->sha256);
		fflush(stdout); /* progress, seen as it happens also through a pipe or a file */
	}
}

static int run(cli *c, int argc, char **argv)
{
	static const struct option opts[] = { { "from", required_argument, NULL, 'f' },
					      { "to", required_argument, NULL, 't' },
					      { NULL, 0, NULL, 0 } };
	const char *from = NULL, *to = NULL;
	xy_store *src = NULL, *dst = NULL;
	xy_error err = XY_ERROR_INIT;
	xy_buf key = XY_BUF_INIT, who = XY_BUF_INIT, detail = XY_BUF_INIT;
	progress_ctx p = { .c = c };
	int opt, rc = EXIT_OK;
	optind = 1;
	while ((opt = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (opt) {
		case 'f': from = optarg; break;
		case 't': to = optarg; break;
		default: return cli_usage_error(c, &cmd_migrate, "unknown option");
		}
	}
	if (!from || !to)
		return cli_usage_error(c, &cmd_migrate, "--from and --to are both needed");
	if (optind != argc)
		return cli_usage_error(c, &cmd_migrate, "no arguments are taken");
	/* the target keeps personal values as the source stored them: one key
	 * for both, the source's unless --key-file or $XINYONG_KEY_FILE names one */
	if (xy_store_key_path(from, &key, &err))
		return cli_error(c, &err);
	xy_store_set_key_file(key.data);
	if (xy_store_open(&src, from, c->config, &err) || xy_store_open(&dst, to, c->config, &err)) {
		rc = cli_error(c, &err);
		goto out;
	}
	if (c->json)
		p.tables = json_array();
	c->db = to; /* the audit entry's who: this command on the target */
	if (cli_admin(c, &who) || xy_store_migrate(src, dst, progress, &p, &err)) {
		rc = err.code ? cli_error(c, &err) : EXIT_FAIL;
		goto out;
	}
	/* the copied audit chain goes on with who copied it from where */
	if (xy_buf_addf(&detail, "copied %zu tables, %" PRId64 " rows, each verified", p.n,
			p.rows)) {
		rc = EXIT_FAIL;
		goto out;
	}
	xy_audit_entry e = { .who = who.data, .action = "db.migrate", .object = from,
			     .detail = detail.data };
	if (xy_audit_append(dst, &e, NULL, &err)) {
		rc = cli_error(c, &err);
		goto out;
	}
	if (c->json) {
		cli_print_json(json_pack("{s:s,s:s,s:O,s:I}", "from", from, "to", to, "tables",
					 p.tables, "rows", (json_int_t)p.rows));
	} else {
		printf("%zu tables, %" PRId64 " rows copied and verified (row counts and SHA-256 per"
		       " table)\n",
		       p.n, p.rows);
	}
out:
	json_decref(p.tables);
	xy_store_close(src);
	xy_store_close(dst);
	xy_buf_release(&key);
	xy_buf_release(&who);
	xy_buf_release(&detail);
	return rc;
}

const command cmd_migrate = {
	"migrate", run, "--from sqlite:PATH --to postgresql://…",
	"copy a city's SQLite database into PostgreSQL, verified table by table",
	"Copies every table of the SQLite database into a new PostgreSQL database in\n"
	"one transaction (COPY), then reads each table back and compares its row\n"
	"count and SHA-256 with the source's; it commits only when every table\n"
	"matches, and appends a db.migrate entry to the copied audit log.  Both must\n"
	"be at the same schema version; the target may hold nothing but its seeded\n"
	"configuration.  Personal ID numbers are copied encrypted: the target uses\n"
	"the source's key file (DB.key beside it, or --key-file / $XINYONG_KEY_FILE);\n"
	"keep that file for the PostgreSQL database.\n",
};
