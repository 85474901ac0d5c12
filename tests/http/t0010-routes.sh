#!/bin/sh
# The route table is the one source: `xinyong serve --routes` and the paths and
# methods of docs/openapi.yaml must be the same set.  Health, readiness,
# metrics, 404/405 and the security headers on every response.
. "$(dirname "$0")/lib.sh"

# paths and methods of the OpenAPI file: "METHOD /path" lines, sorted
awk '/^paths:/ { p = 1; next } p && /^[^ ]/ { p = 0 }
     p && /^  \/[^ ]*:$/ { path = $1; sub(/:$/, "", path) }
     p && /^    (get|put|post|delete|patch|head|options):/ {
       m = $1; sub(/:$/, "", m); print toupper(m), path }' "$ROOT/docs/openapi.yaml" |
	sort >"$T/openapi"
# (the public site's pages and assets are no API: docs/portal.md, t0190)
xy serve --routes | awk '$2 != "/" && $2 !~ /\.html$/ && $2 !~ /^\/assets\// { print $1, $2 }' |
	sort >"$T/served"
is "every served route is in docs/openapi.yaml and every OpenAPI route is served" \
	"$(diff "$T/served" "$T/openapi" && echo same)" same
like "the table lists the routes with roles" "$(xy serve --routes)" 'POST +/api/v1/uploads +-UA-'
[ "$(wc -l <"$T/openapi")" -ge 8 ] && pass "OpenAPI has the routes" || fail "OpenAPI parsed to nothing"
# the check itself must be able to fail: a route missing from the file is seen
sed '/^  \/api\/v1\/checks:/,/^  \/[a-z]/d' "$ROOT/docs/openapi.yaml" >"$T/short.yaml"
awk '/^paths:/ { p = 1; next } p && /^  \/[^ ]*:$/ { print }' "$T/short.yaml" >"$T/short"
like "a route deleted from the file would be missed" "$(grep -c "^  /api/v1/checks:$" "$T/short")" '^0$'

xy init >/dev/null
start_server

req GET /healthz
is "healthz 200" "$ST" 200
is "healthz body" "$(body)" '{"status":"ok"}'
for h in "Content-Security-Policy: default-src 'none'; frame-ancestors 'none'" \
	"X-Content-Type-Options: nosniff" "Referrer-Policy: no-referrer"; do
	like "security header on 200: $h" "$(tr -d '\r' <"$T/headers")" "$h"
done
req GET /readyz
is "readyz 200" "$ST" 200
is "readyz says ready with the schema" "$(jq -r '"\(.status) \(.schema > 0)"' "$T/body")" "ready true"
req GET /nowhere
is "unknown path 404" "$ST" 404
is "404 is the error object" "$(jq -r '.error.code' "$T/body")" not_found
like "security headers on a 404 too" "$(tr -d '\r' <"$T/headers")" "X-Content-Type-Options: nosniff"
req DELETE /healthz
is "wrong method 405" "$ST" 405
is "405 says which methods" "$(header Allow)" GET
req GET /api/v1/batches
is "a staff route without a token: 401" "$ST" 401
like "401 message is Chinese" "$(jq -r .error.message "$T/body")" '令牌'
req GET /api/v1/batches -H 'Authorization: Bearer forged-token-000000000000'
is "a forged token: 401" "$ST" 401
req GET /api/v1/batches -H 'Authorization: Basic b2ZmaWNlOnB3'
is "another scheme: 401" "$ST" 401
req GET /api/v1/batches -H "$AUDIT"
is "the auditor reads batches" "$ST" 200

req GET /metrics
is "metrics 200" "$ST" 200
like "metrics is Prometheus text" "$(header Content-Type)" '^text/plain; version=0.0.4'
m=$(body)
like "metrics: requests by route and status" "$m" 'xinyong_http_requests_total\{route="/healthz",method="GET",status="200"\} 1'
like "metrics: 404s counted as other" "$m" 'xinyong_http_requests_total\{route="other",method="-",status="404"\} 1'
like "metrics: latency histogram" "$m" 'xinyong_http_request_duration_seconds_bucket\{route="/readyz",method="GET",le="\+Inf"\} 1'
like "metrics: import counters" "$m" 'xinyong_import_rows_total 0'
like "metrics: store errors" "$m" 'xinyong_store_errors_total 0'
like "metrics: open connections" "$m" 'xinyong_http_open_connections [1-9]'

stop_server
is "SIGTERM: exit 0" "$SRV_RC" 0
like "access log: Combined Log Format + seconds" "$(cat "$T/access.log")" \
	'^127\.0\.0\.1 - - \[[0-9]{2}/[A-Z][a-z]{2}/[0-9]{4}:[0-9:]{8} \+0000\] "GET /healthz HTTP/1\.1" 200 15 "-" "curl/[^"]*" [0-9]+\.[0-9]{6}'
like "access log: who (the token's id)" "$(cat "$T/access.log")" '127\.0\.0\.1 - token:[0-9]+ \['
like "error log: stopped cleanly" "$(cat "$T/error.log")" 'stopped cleanly'
