#!/bin/sh
# GET /api/v1/session (the staff pages' "who am I", xy_view_principal): the
# cookie's user, role, unit and its CSRF token; a bearer token's role and
# unit (no user, no CSRF); 401 without credentials, after 退出 and with a
# forged cookie; never cached.  GET /api/v1/batches a page at a time
# (xy_view_batches_page; = `xinyong batches --unit U --after C`), a unit's own
# only.  The pages of the unit operator are served.
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
is "... not the other session's" "$(jq -r .csrf "$T/body" | grep -cFe "$(jq -r .csrf "$T/login-op-sc")")" 0

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

# -- batches, a page at a time
CSV="$SAMPLES/市场监管局-行政处罚-2019-10.csv"
for i in 7 8 9; do
	req POST "/api/v1/uploads?category=行政处罚&reported_on=2019-0$i&filename=p$i.csv" -H "$UNIT_SC" \
		-H 'Content-Type: text/csv' --data-binary @"$CSV"
	is "upload $i of 市场监管局: 201" "$ST" 201
done
req POST "/api/v1/uploads?category=行政处罚&reported_on=2019-10&filename=sj.csv" -H "$UNIT_SJ" \
	-H 'Content-Type: text/csv' --data-binary @"$CSV"
SJ_BATCH=$(jq -r .batch "$T/body")
req GET "/api/v1/batches?limit=2" -H "$UNIT_SC"
is "page 1 of the unit's batches: 200" "$ST" 200
is "... two, newest first, its own" "$(jq -c '[.unit, [.batches[].unit], (.batches[0].batch > .batches[1].batch)]' "$T/body")" \
	'["市场监管局",["市场监管局","市场监管局"],true]'
NEXT=$(jq -r .next "$T/body")
like "... a next cursor" "$NEXT" '^[0-9]+$'
xy batches --unit 市场监管局 --limit 2 --format json >"$T/cli.json"
is "... = xinyong batches --unit --limit 2 (but the paths: error report, spooled file)" \
	"$(jq -S 'del(.batches[].error_report, .batches[].file)' "$T/body")" "$(jq -S 'del(.batches[].error_report, .batches[].file)' "$T/cli.json")"
req GET "/api/v1/batches?limit=2&after=$NEXT" -H "$UNIT_SC"
is "page 2: the last one" "$(jq -c '[(.batches | length), .next]' "$T/body")" '[1,null]'
xy batches --unit 市场监管局 --limit 2 --after "$NEXT" --format json >"$T/cli.json"
is "... = xinyong batches --unit --after" \
	"$(jq -S 'del(.batches[].error_report, .batches[].file)' "$T/body")" "$(jq -S 'del(.batches[].error_report, .batches[].file)' "$T/cli.json")"
is "... the other unit's batch is on no page" "$(jq "[.batches[].batch] | index($SJ_BATCH)" "$T/body")" null
req GET "/api/v1/batches?unit=市审批局" -H "$UNIT_SC"
is "a unit naming another unit: 403" "$ST" 403
req GET "/api/v1/batches?unit=市审批局" -H "$ADMIN"
is "the office names a unit" "$(jq -c '[.unit, [.batches[].batch]]' "$T/body")" "[\"市审批局\",[$SJ_BATCH]]"
req GET "/api/v1/batches?unit=..%2F%27%20OR%201%3D1--" -H "$ADMIN"
is "an unknown unit (SQL, ../): 422" "$ST" 422
req GET "/api/v1/batches?after=../1" -H "$UNIT_SC"
is "a malformed cursor: 422" "$ST" 422
req GET "/api/v1/batches?after=1%27%20OR%201=1" -H "$UNIT_SC"
is "... with SQL: 422" "$ST" 422
req GET "/api/v1/batches?limit=1001" -H "$UNIT_SC"
is "limit over 1000: 400" "$ST" 400
req GET "/api/v1/batches" -H "$ADMIN"
is "the office without a unit: every unit's" "$(jq -c '[.unit, (.batches | length), .next]' "$T/body")" '[null,4,null]'
fails "batches --unit with a BATCH is a usage error" 2 xy batches --unit 市场监管局 1

# the pages
for p in login.html unit.html upload.html batches.html check.html assets/session.js assets/unitkit.js; do
	req GET "/$p"
	is "/$p is served" "$ST" 200
done

req GET /healthz
is "the server still answers" "$ST" 200
stop_server
is "the server stopped cleanly" "$SRV_RC" 0
