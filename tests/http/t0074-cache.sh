#!/bin/sh
# The answer cache of public routes (src/serve/cache.c, issue 9's performance):
# a public answer asked twice is sent from the cache the second time, and a
# change to the data — through the API's writer or by another process (the
# CLI) — is seen by the very next request: nothing stale, ever.  Error
# answers are not kept; different queries are different answers; --cache 0
# turns it off.  Generated codes and names only.
. "$(dirname "$0")/lib.sh"
CO1=91210802MA0XYQA01T
CO2=91210802MA0XYQB02K
CH=CF_XDR_MC,CF_XDR_LB,CF_XDR_SHXYM,CF_WSH,CF_WFXW,CF_SY,CF_YJ,CF_CFLB,CF_NR,CF_JDRQ,CF_YXQ,CF_CFJG,CF_CFJGDM,CF_SJLY,CF_SJLYDM,CF_SXYZCD
CT=",2027-12-31,营口市市场监督管理局,11210800MAR7YF578P,营口市市场监督管理局,11210800MAR7YF578P,一般"
{
	echo "$CH"
	echo "缓存测试甲有限公司,法人及非法人组织,$CO1,营市监罚〔2026〕1号,价格,事实,依据,罚款,罚款1万元,2026-03-10$CT"
} >"$T/cf1.csv"
{
	echo "$CH"
	echo "缓存测试乙有限公司,法人及非法人组织,$CO2,营市监罚〔2026〕2号,价格,事实,依据,警告,警告,2026-03-11$CT"
} >"$T/cf2.csv"
export XINYONG_TODAY=2026-04-15
# On PostgreSQL the cache's key is the handle's snapshot (pg.c, pg_data_version),
# which any commit in the cluster moves, in any database: the other pghttp and
# pgcli jobs share tests/run.sh's cluster and commit all the time, so the hit
# counts below are taken on a cluster of this test's own (docs/testing.md).
if [ "$XY_BACKEND" = postgresql ]; then
	shared=$XY_PG_SOCKET shared_dbs=$XY_PG_DBS
	chmod 755 "$T" && mkdir "$T/pg" && "$ROOT/scripts/pg-cluster.sh" start "$T/pg" >/dev/null ||
		{ echo "not ok - a PostgreSQL cluster of this test's own"; exit 1; }
	XY_PG_SOCKET=$T/pg XY_PG_DBS=
	cleanup() {
		for _d in $shared_dbs; do "$PG_BIN/dropdb" -h "$shared" -U xinyong --force "$_d"; done
		"$ROOT/scripts/pg-cluster.sh" stop "$T/pg" >/dev/null 2>&1
		rm -rf "$T"
	}
	newdb "$T/var/xinyong.db"
fi
xy init >/dev/null
ok "import one 行政处罚" xy import "$T/cf1.csv" --unit 市场监管局 --category 行政处罚 --reported-on 2026-04
start_server

# metric NAME: its value now
metric() { curl -s "$BASE/metrics" | awk -v m="$1" '$1 == m { print $2 }'; }

h0=$(metric xinyong_cache_hits_total)
m0=$(metric xinyong_cache_misses_total)
req GET "/api/v1/subjects/$CO1"
is "a profile: 200" "$ST" 200
cp "$T/body" "$T/first.json"
req GET "/api/v1/subjects/$CO1"
is "the same profile again: 200" "$ST" 200
is "the same bytes" "$(cmp "$T/first.json" "$T/body" && echo same)" same
# two workers: each may build it once; a third and fourth ask hit somewhere
req GET "/api/v1/subjects/$CO1"
req GET "/api/v1/subjects/$CO1"
h1=$(metric xinyong_cache_hits_total)
m1=$(metric xinyong_cache_misses_total)
is "asked four times: at least two sent from the cache" "$((h1 - h0 >= 2))" 1
is "asked four times: built at most twice (one a worker)" "$((m1 - m0 <= 2 && m1 - m0 >= 1))" 1
like "the security headers are on a kept answer too" "$(header Content-Security-Policy)" "default-src 'none'"
is "and its content type" "$(header Content-Type)" "application/json; charset=utf-8"

# a change through the API (the server's writer): seen at once
is "no black-list entry yet" "$(jq '[.entries[]? | select(.active)] | length' "$T/first.json")" 0
req POST /api/v1/entries -H "$ADMIN" -H 'Content-Type: application/json' \
	-d "{\"type\":\"失信被执行人名单\",\"subject\":\"$CO1\",\"unit\":\"中级法院\",\"doc\":\"（2026）辽08执7号\",\"from\":\"2026-04-01\"}"
is "an admin adds a black-list entry: 201" "$ST" 201
req GET "/api/v1/subjects/$CO1"
is "the profile right after: 200" "$ST" 200
like "the profile right after shows the entry (not the kept answer)" "$(body)" '（2026）辽08执7号'
req GET "/api/v1/subjects/$CO1"
like "and again" "$(body)" '（2026）辽08执7号'

# a change by another process (the CLI importing while the server runs)
req GET "/api/v1/subjects/$CO2"
is "a subject not imported yet: 404" "$ST" 404
req GET "/api/v1/subjects?q=缓存测试"
is "a search: 200" "$ST" 200
is "the search finds one" "$(jq '.items | length' "$T/body")" 1
ok "the CLI imports a second subject while the server runs" \
	xy import "$T/cf2.csv" --unit 市场监管局 --category 行政处罚 --reported-on 2026-04
req GET "/api/v1/subjects/$CO2"
is "the 404 was not kept: now 200" "$ST" 200
like "with its name" "$(body)" 缓存测试乙有限公司
req GET "/api/v1/subjects?q=缓存测试"
is "the same search after the import finds two" "$(jq '.items | length' "$T/body")" 2
req GET "/api/v1/penalties?from=2026-03-01&to=2026-03-31"
is "the penalties feed: 200" "$ST" 200
is "the feed has both" "$(jq '.items | length' "$T/body")" 2

# different queries are different answers (the query is part of the key)
req GET "/api/v1/penalties?from=2026-03-01&to=2026-03-31&limit=1"
is "limit=1: one item" "$(jq '.items | length' "$T/body")" 1
req GET "/api/v1/penalties?limit=1&from=2026-03-01&to=2026-03-31"
is "the same arguments in another order: one item" "$(jq '.items | length' "$T/body")" 1
req GET "/api/v1/penalties?from=2026-03-01&to=2026-03-10"
is "another range: one item" "$(jq '.items | length' "$T/body")" 1
req GET "/api/v1/penalties?from=2026-03-01&to=2026-03-31"
is "the first range again: two" "$(jq '.items | length' "$T/body")" 2
# an argument's value with the key's own separators cannot make two queries one
req GET "/api/v1/subjects?q=缓存测试%26limit%3D1"
is "a q holding '&limit=1' is its own query: 200" "$ST" 200
is "and finds nothing" "$(jq '.items | length' "$T/body")" 0

# staff get the public view from the same cache (the route's answer does not
# depend on who asks)
req GET "/api/v1/subjects/$CO1" -H "$UNIT_SC"
cp "$T/body" "$T/staff.json"
req GET "/api/v1/subjects/$CO1"
is "a staff token's profile = the anonymous one" "$(cmp "$T/staff.json" "$T/body" && echo same)" same
stop_server
is "the server stops cleanly" "$SRV_RC" 0

# --cache 0: nothing kept
start_server --cache 0
req GET "/api/v1/subjects/$CO1"
req GET "/api/v1/subjects/$CO1"
is "--cache 0: still 200" "$ST" 200
is "--cache 0: no hit" "$(metric xinyong_cache_hits_total)" 0
is "--cache 0: no miss counted either" "$(metric xinyong_cache_misses_total)" 0
stop_server
is "the server stops cleanly" "$SRV_RC" 0
fails "--cache takes a size only" 2 xy serve --cache lots
