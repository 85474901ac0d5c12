#!/bin/sh
# GET /api/v1/session (the staff pages' "who am I", xy_view_principal): the
# cookie's user, role, unit and its CSRF token; a bearer token's role and
# unit (no user, no CSRF); 401 without credentials, after 退出 and with a
# forged cookie; never cached.  The pages of the unit operator are served.
. "$(dirname "$0")/lib.sh"
xy init >/dev/null
printf 'unit-password-1\n' | xy user add op-sc --role unit --unit 市场监管局 >/dev/null || fail "user add"
printf 'audit-password-1\n' | xy user add au-1 --role auditor >/dev/null || fail "user add"
export XINYONG_TODAY=2026-03-15
start_server
J='Content-Type: application/json'

# login NAME PASSWORD: the cookie in $T/jar-NAME, the login's answer in $T/login-NAME
login() {
	req POST /api/v1/session -H "$J" -c "$T/jar-$1" -d "{\"name\":\"$1\",\"password\":\"$2\"}"
	is "log in as $1: 201" "$ST" 201
	cp "$T/body" "$T/login-$1"
}

login op-sc unit-password-1
req GET /api/v1/session -b "$T/jar-op-sc"
is "GET /session with the cookie: 200" "$ST" 200
is "... the user, role and unit" "$(jq -c '[.user, .role, .role_zh, .unit]' "$T/body")" \
	'["op-sc","unit","信源单位操作员","市场监管局"]'
is "... the CSRF token of the login" "$(jq -r .csrf "$T/body")" "$(jq -r .csrf "$T/login-op-sc")"
is "... not cached" "$(header Cache-Control)" no-store
is "... exactly these members" "$(jq -c 'keys' "$T/body")" '["csrf","role","role_zh","today","unit","user"]'
is "... the server's day" "$(jq -r .today "$T/body")" "$XINYONG_TODAY"

login au-1 audit-password-1
req GET /api/v1/session -b "$T/jar-au-1"
is "an auditor: no unit" "$(jq -c '[.user, .role, .unit]' "$T/body")" '["au-1","auditor",null]'
like "... its own CSRF token" "$(jq -r .csrf "$T/body")" '^.{16,}$'
is "... not the other session's" "$(jq -r .csrf "$T/body" | grep -c "$(jq -r .csrf "$T/login-op-sc")")" 0

req GET /api/v1/session -H "$UNIT_SC"
is "a bearer token: 200" "$ST" 200
is "... role and unit, no user, no CSRF" "$(jq -c '[.user, .role, .unit, .csrf]' "$T/body")" \
	'[null,"unit","市场监管局",null]'
req GET /api/v1/session -H "$ADMIN"
is "an admin token" "$(jq -c '[.user, .role, .unit]' "$T/body")" '[null,"admin",null]'

req GET /api/v1/session
is "no credentials: 401" "$ST" 401
is "... the error object" "$(jq -r .error.code "$T/body")" unauthorized
req GET /api/v1/session -H "Cookie: xy_session=forged-$(printf '%064d' 0)"
is "a forged cookie: 401" "$ST" 401
req GET /api/v1/session -H "Authorization: Bearer xyt_../../etc/passwd' or 1=1--"
is "a forged token with SQL and ../: 401" "$ST" 401

# 退出: the cookie's session ends
req DELETE /api/v1/session -b "$T/jar-op-sc" -H "X-CSRF-Token: $(jq -r .csrf "$T/login-op-sc")"
is "log out: 204" "$ST" 204
req GET /api/v1/session -b "$T/jar-op-sc"
is "after 退出 the cookie is nobody: 401" "$ST" 401

# the pages
for p in login.html unit.html assets/session.js assets/login.js assets/unit.js; do
	req GET "/$p"
	is "/$p is served" "$ST" 200
done

req GET /healthz
is "the server still answers" "$ST" 200
stop_server
is "the server stopped cleanly" "$SRV_RC" 0
