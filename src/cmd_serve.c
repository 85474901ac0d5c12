/* xinyong serve: the HTTP server (src/serve/).  This file only parses options. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "serve/serve.h"
#include "xinyong/applications.h"
#include "xy_config.h"

static void print_routes(void)
{
	for (size_t i = 0; i < srv_nroutes; i++) {
		const srv_route *rt = &srv_routes[i];
		printf("%-6s %-36s %s%s%s%s  %-4s  %s\n", rt->method, rt->pattern,
		       rt->roles & SRV_PUBLIC ? "P" : "-", rt->roles & SRV_UNIT ? "U" : "-",
		       rt->roles & SRV_ADMIN ? "A" : "-", rt->roles & SRV_AUDITOR ? "R" : "-",
		       rt->body == SRV_BODY_JSON ? "json" : rt->body == SRV_BODY_UPLOAD ? "file" : "-",
		       rt->summary);
	}
}

static int number(const cli *c, const char *opt, const char *v, double min, double max,
		  double *out)
{
	char *end;
	double d = strtod(v, &end);
	if (end == v || *end || d < min || d > max)
		return cli_usage_error(c, &cmd_serve, "%s needs a number from %g to %g, not '%s'",
				       opt, min, max, v);
	*out = d;
	return 0;
}

static bool is_postgresql(const char *uri)
{
	return !strncmp(uri, "postgresql://", 13) || !strncmp(uri, "postgres://", 11);
}

static int run(cli *c, int argc, char **argv)
{
	xy_buf attachments = XY_BUF_INIT;
	xy_error err = XY_ERROR_INIT;
	static const struct option opts[] = {
		{ "listen", required_argument, NULL, 'l' },
		{ "workers", required_argument, NULL, 'w' },
		{ "max-body", required_argument, NULL, 'b' },
		{ "max-json", required_argument, NULL, 'j' },
		{ "max-header", required_argument, NULL, 'H' },
		{ "per-ip", required_argument, NULL, 'p' },
		{ "max-connections", required_argument, NULL, 'C' },
		{ "timeout", required_argument, NULL, 't' },
		{ "rate", required_argument, NULL, 'r' },
		{ "burst", required_argument, NULL, 'B' },
		{ "grace", required_argument, NULL, 'g' },
		{ "spool", required_argument, NULL, 's' },
		{ "reports", required_argument, NULL, 'R' },
		{ "access-log", required_argument, NULL, 'a' },
		{ "error-log", required_argument, NULL, 'e' },
		{ "trusted-proxy", required_argument, NULL, 'T' },
		{ "cache", required_argument, NULL, 'c' },
		{ "web", required_argument, NULL, 'W' },
		{ "routes", no_argument, NULL, 'P' },
		{ "read-db", required_argument, NULL, 'D' },
		{ NULL, 0, NULL, 0 },
	};
	srv_config cfg = {
		.listen = "127.0.0.1:8080", .workers = 2, .max_body = 512ull << 20,
		.max_json = 1u << 20, .header_memory = 16u << 10, .per_ip = 64,
		.max_conns = 1000, .timeout = 30, .rate = 50, .burst = 100, .grace = 30,
		.access_log = "-", .cache_bytes = 64u << 20, .web = XY_WEBDIR,
	};
	xy_buf spool = XY_BUF_INIT, reports = XY_BUF_INIT;
	double d;
	uint64_t sz;
	int o;
	while ((o = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (o) {
		case 'l': cfg.listen = optarg; break;
		case 'w':
			if (number(c, "--workers", optarg, 1, 256, &d))
				return EXIT_USAGE;
			cfg.workers = (unsigned)d;
			break;
		case 'c':
			if (!strcmp(optarg, "0"))
				sz = 0; /* off (cli_parse_size takes sizes above 0) */
			else if (cli_parse_size(optarg, &sz) || sz > (uint64_t)1 << 40)
				return cli_usage_error(c, &cmd_serve,
						       "--cache needs a size like 64M (0: no cache)");
			cfg.cache_bytes = (size_t)sz;
			break;
		case 'b': case 'j': case 'H':
			if (cli_parse_size(optarg, &sz) || (o == 'H' && (sz < 4096 || sz > 1u << 24)))
				return cli_usage_error(c, &cmd_serve, "%s needs a size like 64K or 1G%s",
						       o == 'b' ? "--max-body" : o == 'j' ? "--max-json"
											: "--max-header",
						       o == 'H' ? " (4K to 16M)" : "");
			if (o == 'b')
				cfg.max_body = sz;
			else if (o == 'j')
				cfg.max_json = (size_t)sz;
			else
				cfg.header_memory = (size_t)sz;
			break;
		case 'p':
			if (number(c, "--per-ip", optarg, 1, 100000, &d))
				return EXIT_USAGE;
			cfg.per_ip = (unsigned)d;
			break;
		case 'C':
			if (number(c, "--max-connections", optarg, 1, 100000, &d))
				return EXIT_USAGE;
			cfg.max_conns = (unsigned)d;
			break;
		case 't':
			if (number(c, "--timeout", optarg, 1, 3600, &d))
				return EXIT_USAGE;
			cfg.timeout = (unsigned)d;
			break;
		case 'r':
			if (number(c, "--rate", optarg, 0, 1e6, &cfg.rate))
				return EXIT_USAGE;
			break;
		case 'B':
			if (number(c, "--burst", optarg, 1, 1e6, &cfg.burst))
				return EXIT_USAGE;
			break;
		case 'g':
			if (number(c, "--grace", optarg, 0, 3600, &d))
				return EXIT_USAGE;
			cfg.grace = (unsigned)d;
			break;
		case 's': cfg.spool = optarg; break;
		case 'R': cfg.reports = optarg; break;
		case 'a': cfg.access_log = !strcmp(optarg, "none") ? NULL : optarg; break;
		case 'e': cfg.error_log = optarg; break;
		case 'T': cfg.trusted_proxy = optarg; break;
		case 'W': cfg.web = !strcmp(optarg, "none") ? NULL : optarg; break;
		case 'P': print_routes(); return EXIT_OK;
		case 'D': cfg.read_db = optarg; break;
		default: return cli_usage_error(c, &cmd_serve, "unknown option");
		}
	}
	if (optind != argc)
		return cli_usage_error(c, &cmd_serve, "no arguments are taken");
	if (cfg.read_db && (!is_postgresql(cfg.read_db) || !is_postgresql(c->db)))
		return cli_usage_error(c, &cmd_serve, "--read-db needs a postgresql:// replica of a "
				       "postgresql:// --db (只读副本须为 PostgreSQL)");
	/* spool and error reports live beside the database (whole paths, any length) */
	if ((!cfg.spool && cli_beside_db(c, "spool", &spool)) ||
	    (!cfg.reports && cli_beside_db(c, "reports", &reports))) {
		xy_buf_release(&spool);
		xy_buf_release(&reports);
		xy_error_set(&err, XY_ERR_NOMEM, "out of memory");
		return cli_error(c, &err);
	}
	if (!cfg.spool)
		cfg.spool = spool.data;
	if (!cfg.reports)
		cfg.reports = reports.data;
	if (xy_application_dir(c->db, &attachments, &err)) { /* beside the database */
		xy_buf_release(&spool);
		xy_buf_release(&reports);
		return cli_error(c, &err);
	}
	cfg.attachments = attachments.data;
	cfg.db = c->db;
	cfg.config_dir = c->config;
	int rc = srv_run(&cfg) ? EXIT_FAIL : EXIT_OK;
	xy_buf_release(&attachments);
	xy_buf_release(&spool);
	xy_buf_release(&reports);
	return rc;
}

const command cmd_serve = {
	"serve", run,
	"[--listen HOST:PORT] [--workers N] [--max-body SIZE] [--spool DIR] [--reports DIR]\n"
	"                      [--access-log FILE|-|none] [--error-log FILE] [--trusted-proxy ADDR]\n"
	"                      [--cache SIZE] [--web DIR|none] [--read-db URI] [--routes]",
	"serve the JSON API and the public site over HTTP (docs/api.md, docs/portal.md)",
	"--listen HOST:PORT   address to bind (default 127.0.0.1:8080; port 0: any free one,\n"
	"                     printed on the first line of output)\n"
	"--workers N          threads answering requests (default 2)\n"
	"--max-body SIZE      largest request body, uploads included (default 512M): 413\n"
	"--max-json SIZE      largest JSON request body (default 1M): 413\n"
	"--max-header SIZE    memory for one request's headers (default 16K, about 14 KB of headers): 431\n"
	"--per-ip N           connections from one address (default 64)\n"
	"--max-connections N  connections in all (default 1000)\n"
	"--timeout SECONDS    idle connections are closed (default 30)\n"
	"--rate N --burst M   requests per second per token or address, bucket size\n"
	"                     (default 50 and 100; --rate 0: no limit): 429 + Retry-After\n"
	"--grace SECONDS      time in-flight requests get on SIGTERM/SIGINT (default 30)\n"
	"--spool DIR          where uploads are written while they arrive (default\n"
	"                     spool/ beside the database)\n"
	"--reports DIR        where error reports go (default reports/ beside the database)\n"
	"                     (applications' files: attachments/ beside the database)\n"
	"--access-log FILE    one line per request, Combined Log Format + seconds\n"
	"                     (default -: standard output; none: off)\n"
	"--error-log FILE     errors and start/stop (default standard error)\n"
	"--trusted-proxy ADDR the address of a TLS-terminating proxy: its\n"
	"                     X-Forwarded-Proto: https makes session cookies Secure\n"
	"--cache SIZE         memory for public answers kept between requests, all\n"
	"                     workers together (default 64M; 0: off); an answer is kept\n"
	"                     until the data or the day changes\n"
	"--web DIR            the public site's pages (DIR/*.html) and assets (DIR/assets/),\n"
	"                     read into memory at start (default: the source tree's web/;\n"
	"                     none: the API only; docs/portal.md)\n"
	"--read-db URI        a hot standby of the PostgreSQL --db (postgresql://…): the\n"
	"                     public cached reads (profiles, search, 双公示, lists,\n"
	"                     memoranda) go to it, everything else to --db; when it\n"
	"                     cannot be read they go to --db (docs/postgresql.md)\n"
	"Authentication: bearer tokens (`xinyong token create`) or a session cookie from\n"
	"POST /api/v1/session (users of `xinyong user add`); cookie requests that change\n"
	"state carry X-CSRF-Token.\n"
	"--routes             print the route table (method, path, roles P U A R, body json|file|-,\n"
	"                     summary)\n"
	"SIGTERM or SIGINT stops it: no new connections, in-flight requests finish, an\n"
	"upload being imported is rolled back, the database is closed, exit 0.\n",
	NULL,
};
