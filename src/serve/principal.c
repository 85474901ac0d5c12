/* xinyong serve: who is asking, and what a role may do.
 *
 * srv_authenticate is the one step that turns a request into a principal and
 * srv_allowed the one role check; the users, sessions and hashed tokens of
 * issue 9 (the auth branch, include/xinyong/auth.h) replace the interim
 * token file below without touching the routes.
 *
 * Interim: `xinyong serve --tokens FILE`, lines NAME<TAB>TOKEN<TAB>ROLE[<TAB>UNIT]
 * (ROLE unit|admin|auditor; UNIT required for unit), # comments.  Tokens are
 * compared in constant time (sodium_memcmp); the access log shows NAME.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "serve.h"

typedef struct token {
	char *name, *token, *unit;
	size_t len;
	int role;
} token;

static token *tokens;
static size_t ntokens;

void srv_auth_release(void)
{
	for (size_t i = 0; i < ntokens; i++) {
		free(tokens[i].name);
		sodium_memzero(tokens[i].token, tokens[i].len);
		free(tokens[i].token);
		free(tokens[i].unit);
	}
	free(tokens);
	tokens = NULL;
	ntokens = 0;
}

static int role_parse(const char *s)
{
	if (!strcmp(s, "unit"))
		return SRV_UNIT;
	if (!strcmp(s, "admin"))
		return SRV_ADMIN;
	if (!strcmp(s, "auditor"))
		return SRV_AUDITOR;
	return 0;
}

int srv_auth_init(const char *path, xy_error *err)
{
	FILE *f;
	char *line = NULL;
	size_t cap = 0, tcap = 0;
	long lineno = 0;
	int rc = 0;
	if (sodium_init() < 0) {
		xy_error_set(err, XY_ERR_CONFIG, "libsodium cannot start");
		return -1;
	}
	if (!path)
		return 0;
	if (!(f = fopen(path, "re"))) {
		xy_error_set(err, XY_ERR_IO, "cannot open %s: %s", path, strerror(errno));
		return -1;
	}
	while (getline(&line, &cap, f) > 0) {
		char *fld[4] = { NULL, NULL, NULL, NULL }, *p = line;
		int nf = 0;
		lineno++;
		line[strcspn(line, "\r\n")] = '\0';
		if (!*line || *line == '#')
			continue;
		while (nf < 4) {
			fld[nf++] = p;
			p = strchr(p, '\t');
			if (!p)
				break;
			*p++ = '\0';
		}
		int role = nf >= 3 ? role_parse(fld[2]) : 0;
		if (!role || !*fld[0] || strlen(fld[1]) < 16 || (role == SRV_UNIT) != (nf == 4)) {
			xy_error_at(err, XY_ERR_CONFIG, path, lineno, NULL,
				    "need NAME<TAB>TOKEN (16+ characters)<TAB>unit|admin|auditor"
				    "[<TAB>UNIT for unit]");
			rc = -1;
			break;
		}
		token *v = xy_array_grow(tokens, ntokens, &tcap, sizeof *tokens, 8);
		if (!v) {
			xy_error_set(err, XY_ERR_NOMEM, "out of memory");
			rc = -1;
			break;
		}
		tokens = v;
		token *t = &tokens[ntokens++];
		t->name = strdup(fld[0]);
		t->token = strdup(fld[1]);
		t->len = strlen(fld[1]);
		t->role = role;
		t->unit = role == SRV_UNIT ? strdup(fld[3]) : NULL;
	}
	free(line);
	fclose(f);
	if (rc)
		srv_auth_release();
	return rc;
}

int srv_authenticate(srv_req *r, srv_principal *out)
{
	const char *h = MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, "Authorization");
	out->role = SRV_PUBLIC;
	out->unit = NULL;
	out->who = "-";
	if (!h)
		return 0;
	if (strncasecmp(h, "Bearer ", 7) != 0)
		return -1;
	h += 7;
	size_t n = strlen(h);
	int found = -1;
	for (size_t i = 0; i < ntokens; i++) /* every one compared: no timing hint */
		if (tokens[i].len == n && sodium_memcmp(tokens[i].token, h, n) == 0)
			found = (int)i;
	if (found < 0)
		return -1;
	out->role = tokens[found].role;
	out->unit = tokens[found].unit;
	out->who = tokens[found].name;
	return 0;
}

bool srv_allowed(const srv_principal *p, const srv_route *rt)
{
	return (rt->roles & p->role) != 0;
}

bool srv_unit_allowed(const srv_principal *p, const char *unit)
{
	if (p->role == SRV_ADMIN || p->role == SRV_AUDITOR)
		return true;
	return p->role == SRV_UNIT && unit && p->unit && strcmp(p->unit, unit) == 0;
}
