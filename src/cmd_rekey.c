/* xinyong rekey: rotate the key personal ID numbers are encrypted with
 * (xy_store_rekey; docs/security.md). */
#include <stdio.h>

#include "xinyong/auth.h"
#include "cli.h"

static void progress(void *ctx, const char *done)
{
	const cli *c = ctx;
	if (!c->json)
		fprintf(stderr, "xinyong rekey: %s re-encrypted\n", done);
}

static int run(cli *c, int argc, char **argv)
{
	xy_error err = XY_ERROR_INIT;
	xy_buf who = XY_BUF_INIT;
	int rc = EXIT_OK;
	(void)argv;
	if (argc > 1)
		return cli_usage_error(c, &cmd_rekey, "rekey takes no arguments");
	if (cli_open_store(c) || cli_admin(c, &who))
		return EXIT_FAIL;
	if (xy_store_rekey(c->store, progress, c, &err)) {
		rc = cli_error(c, &err);
	} else {
		xy_audit_entry e = { .who = who.data, .action = "key.rotate", .object = "pii_key",
				     .detail = "personal ID numbers re-encrypted with a new key" };
		if (xy_audit_append(c->store, &e, NULL, &err))
			rc = cli_error(c, &err);
		else if (c->json)
			cli_print_json(json_pack("{s:s,s:b}", "db", c->db, "rotated", 1));
		else
			printf("%s: key rotated; back up the new key file now\n", c->db);
	}
	xy_buf_release(&who);
	return rc;
}

const command cmd_rekey = {
	"rekey", run, "[--key-file PATH]",
	"rotate the key that encrypts personal ID numbers",
	"Writes a new key file in place of the old one (the old key is kept as\n"
	"KEY.old until the database is rewritten, then removed) and re-encrypts every\n"
	"ID number and recomputes every lookup hash in one transaction.  Interrupted\n"
	"at any point, the database opens with whichever key it was written with.\n"
	"Stop `xinyong serve` first: a running server keeps the old key.\n"
	"The key file: --key-file, $XINYONG_KEY_FILE, or DB.key beside the database.\n",
};
