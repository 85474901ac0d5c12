/* The xinyong executable: shared state of one command run. */
#ifndef XINYONG_CLI_H
#define XINYONG_CLI_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include <jansson.h>

#include "xinyong/credit.h"
#include "xinyong/error.h"
#include "xinyong/registry.h"
#include "xinyong/store.h"

enum { EXIT_OK = 0, EXIT_FAIL = 1, EXIT_USAGE = 2 };

typedef struct cli {
	const char *cmd;      /* command name */
	const char *db;       /* --db, $XINYONG_DB, or var/xinyong.db */
	const char *config;   /* --config DIR: default configuration for new databases */
	bool json;            /* --format json */
	const char *format;   /* --format as given ("table" by default) */
	xy_store *store;      /* opened by cli_open_store */
	xy_registry reg;
	char *who;            /* cli_admin's name, set by cli_open_credit (owned) */
} cli;

typedef struct command {
	const char *name;
	int (*run)(cli *c, int argc, char **argv);
	const char *usage;   /* arguments after the command name */
	const char *summary; /* one line */
	const char *help;    /* the rest of --help */
	const char *formats; /* --format values beyond table|json, e.g. "csv|xlsx|md|html";
	                        NULL: none */
} command;

extern const command cmd_id, cmd_import, cmd_batches, cmd_show, cmd_init;
extern const command cmd_stats, cmd_reconcile, cmd_demo, cmd_index, cmd_bulletin;
extern const command cmd_list, cmd_check, cmd_feedback, cmd_watch, cmd_notices;
extern const command cmd_checks; /* logged checks and their feedback (cmd_checks.c) */
/* credit repair, objections, interviews (cmd_repair.c, cmd_objection.c, cmd_interview.c) */
extern const command cmd_repair, cmd_objection, cmd_interview;
/* online applications (cmd_application.c) */
extern const command cmd_application;
extern const command cmd_commitment, cmd_gov_dishonesty;
extern const command cmd_memorandum, cmd_mapping, cmd_registry;
extern const command cmd_publicity; /* 双公示 feeds (cmd_publicity.c) */
extern const command cmd_quality; /* data quality per unit (cmd_quality.c) */
extern const command cmd_serve;   /* the HTTP server (cmd_serve.c, src/serve/) */
/* users, bearer tokens and the audit log (cmd_user.c, cmd_token.c, cmd_audit.c) */
extern const command cmd_user, cmd_token, cmd_audit;
extern const command cmd_rekey; /* rotate the personal-data key (cmd_rekey.c) */
extern const command cmd_migrate; /* copy a SQLite database into PostgreSQL (cmd_migrate.c) */
extern const command cmd_inspect; /* 双随机、一公开 (cmd_inspect.c) */
extern const command cmd_report; /* the public credit report: issue, verify (cmd_report.c) */
extern const command cmd_grade;  /* credit grading (cmd_grade.c) */

/* Parse the options every command shares (--db, --format, --config, --help)
 * out of argv in place; returns the new argc, or -1 after printing a usage
 * error, or -2 when --help was printed. */
int cli_common_options(cli *c, const command *cmd, int argc, char **argv);

/* Open the database and load its registry; prints the error and returns
 * non-zero on failure. */
int cli_open_store(cli *c);

/* DIR/name where DIR is the database file's directory (error reports and the
 * demo's files live beside the database; "." for a postgresql:// database),
 * into out (replacing its content).
 * Returns 0, or -1 when out of memory. */
int cli_beside_db(const cli *c, const char *name, xy_buf *out);

/* Open the store (cli_open_store) and the credit layer on it (catalogue from
 * --config or the default configuration), acting as cli_admin (cr->who: the
 * audit log's who); prints the error on failure. */
int cli_open_credit(cli *c, xy_credit *cr);

/* The CLI acts as the administrator: who it is in the audit log,
 * "cli:LOGIN" with LOGIN the system account running it, into who.  Prints
 * the error and returns non-zero when it cannot be told. */
int cli_admin(const cli *c, xy_buf *who);

/* A password or other secret: the first line of `file`, or of stdin when
 * file is NULL or "-" (its line end removed), into out (at most 4096
 * bytes).  Prints the error and returns non-zero on failure. */
int cli_read_secret(const cli *c, const char *file, xy_buf *out);

/* Print "xinyong CMD: error: …" (with file:row: field: when known). */
int cli_error(const cli *c, const xy_error *err);
int cli_usage_error(const cli *c, const command *cmd, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Credit repair, objections, interviews (defined in cmd_repair.c): open the
 * credit layer and the publication rules; print one case (JSON or table; cli_print_case renders it);
 * print the cases of a kind ({"repairs"|"objections":[…]} in JSON); the
 * `list [--overdue] [--as-of D]` subcommand of both; parse an id. */
struct xy_repairs;
int cli_open_repairs(cli *c, xy_credit *cr, struct xy_repairs *rp);
int cli_print_case_id(cli *c, struct xy_repairs *rp, long long id);
int cli_print_cases(cli *c, struct xy_repairs *rp, const char *kind, bool overdue,
		    const char *asof);
/* `list [--overdue] [--as-of D] [--unit U] [--status S]` (xy_view_unit_cases
 * with --unit or --status). */
int cli_list_cases(cli *c, struct xy_repairs *rp, const char *kind, const command *cmd,
		   int argc, char **argv);
int cli_parse_id(const char *s, long long *id);
/* A keyset page's --limit: 1 to 100 (main.c); -1 otherwise. */
int cli_parse_limit(const char *s, size_t *out);
/* "512M", "2G", "1048576" → bytes (defined in cmd_import.c); -1 when not a size. */
int cli_parse_size(const char *s, uint64_t *out);

/* The layout lines of a batch summary (xy_batch_summary) in the table view:
 * skipped sheets, header rows below titles, unmapped columns. */
void cli_print_batch_layout(json_t *summary);

/* Print a JSON value to stdout (one line) and release it. */
/* Print v (compact, one line) and release it.  A NULL v (a json_pack or
 * json_string that failed: invalid UTF-8, no memory) or a failed write is an
 * error: a message on stderr, -1, and main exits non-zero however the
 * command returns (cli_json_failed). */
int cli_print_json(json_t *v);
/* Append v to arr, releasing it; a NULL v fails like cli_print_json. */
int cli_json_append(json_t *arr, json_t *v);
void cli_json_fail(const char *what);
bool cli_json_failed(void);
/* s as a JSON string, null when NULL or "". */
json_t *cli_opt_str(const char *s);

/* ---- read commands: the library builds the view (xinyong/views.h), the CLI
 * prints it (output.c) ---- */

/* The end of a read command: when rc, print err (v released); else v as JSON
 * (--format json: exactly the library's value) or rendered by print (the
 * table view).  v is released either way. */
int cli_render(cli *c, xy_code rc, const xy_error *err, json_t *v,
	       void (*print)(const cli *c, json_t *v));

/* The string member k of o, "" when it is missing or not a string. */
const char *cli_str(json_t *o, const char *k);

/* Table views of the library's JSON (views.h shapes): the candidates of a
 * query that named no single subject; a profile; a commitment; a government-
 * dishonesty entry; a case (repair or objection); a 联合奖惩 check answer; a
 * list's entries; a unit's notices.  Each prints what the value holds, so the
 * public view's value prints the public view. */
void cli_print_matches(const cli *c, json_t *m);
void cli_print_profile(const cli *c, json_t *p);
void cli_print_commitment(const cli *c, json_t *j, bool checks); /* checks: its 核查 too */
void cli_print_gov_dishonesty(const cli *c, json_t *g, bool history);
void cli_print_case(json_t *o);
void cli_print_check(const cli *c, json_t *a);
void cli_print_entries(const cli *c, json_t *v);
void cli_print_notices(const cli *c, json_t *v);

/* Display width of a UTF-8 string (CJK count 2) and padded printing. */
int cli_width(const char *s);
void cli_pad(FILE *f, const char *s, int width);

#endif
