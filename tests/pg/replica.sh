#!/bin/sh
# Read replicas (docs/postgresql.md "Read replicas"): a primary and a streaming
# hot standby on loopback ports (scripts/pg-cluster.sh start-primary /
# start-replica: pg_basebackup -R), `xinyong serve --db PRIMARY --read-db
# REPLICA`.  Imports on the primary reach the public profile, search and
# 双公示 through the server within the replica lag (polled; the lag measured
# is printed as a TAP comment), even when the profile was already in the
# answer cache; public reads really come from the replica (with its replay
# paused they stay as they were while a staff read on the primary sees the new
# batch at once); writes (an upload, a check, a login) work and are read back
# at once; a stopped replica sends public reads to the primary and /readyz
# says so, a restarted one is used again; SIGTERM exits 0.  TAP on stdout.
set -u
BUILD=${1:-${XY_BUILD:-build}}
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
XY=$(cd "$BUILD" && pwd)/xinyong
S=$ROOT/data/samples
PGC=$ROOT/scripts/pg-cluster.sh
T=$(mktemp -d)
n=0 fail=0 srv=
. "$ROOT/tests/pg/lib.sh"
cleanup() {
	[ -n "$srv" ] && kill "$srv" 2>/dev/null && wait "$srv" 2>/dev/null
	[ -n "${KEEP:-}" ] && { echo "# kept $T"; return; }
	"$PGC" stop "$T/r" >/dev/null 2>&1
	"$PGC" stop "$T/p" >/dev/null 2>&1
	rm -rf "$T"
}
trap cleanup EXIT
chmod 755 "$T" # the clusters may run as nobody (pg-cluster.sh)
# a port found free may be taken before PostgreSQL binds it: try again
started=
for try in 1 2 3; do
	rm -rf "$T/p" "$T/r"
	mkdir "$T/p" "$T/r"
	PP=$(free_port) RP=$(free_port)
	P=$("$PGC" start-primary "$T/p" "$PP" 2>"$T/pgc.err") || continue
	if R=$("$PGC" start-replica "$T/r" "$RP" "$PP" 2>>"$T/pgc.err"); then
		started=1
		break
	fi
	"$PGC" stop "$T/p" >/dev/null 2>&1
done
if [ -z "$started" ]; then
	echo "1..1"
	echo "not ok 1 - start a primary and a streaming replica (scripts/deps.sh installs postgresql)"
	sed 's/^/# /' "$T/pgc.err"
	exit 1
fi
ok "a primary on 127.0.0.1:$PP and a hot standby on 127.0.0.1:$RP (pg_basebackup -R)"
export XINYONG_KEY_FILE="$T/key"
cd "$T" || exit 1 # reports/ and spool/ beside a postgresql:// database: here

now_ms() { date +%s%3N; }
# poll until the command succeeds, at most $1 seconds; LAG gets the ms it took
poll() {
	limit=$1
	shift
	t0=$(now_ms)
	while :; do
		if "$@"; then
			LAG=$(($(now_ms) - t0))
			return 0
		fi
		[ $(($(now_ms) - t0)) -lt $((limit * 1000)) ] || { LAG=-1; return 1; }
		sleep 0.01
	done
}
on_replica() { psql "$R" -Atc "$1" 2>/dev/null; }

XINYONG_DB="$P" "$XY" init >"$T/init" 2>&1
check "init on the primary" $?
PV=$(psql "$P" -Atc 'select version from xy_schema' 2>/dev/null)
poll 10 sh -c "[ \"\$(psql '$R' -Atc 'select version from xy_schema' 2>/dev/null)\" = '$PV' ]"
check "the standby replays the schema (${LAG} ms)" $?
[ "$(on_replica 'select pg_is_in_recovery()')" = t ]
check "the replica is a hot standby (pg_is_in_recovery)" $?
XINYONG_DB="$R" "$XY" import --unit 市场监管局 --category 行政处罚 --reported-on 2019-11 \
	"$S/市场监管局-行政处罚-2019-10.csv" >"$T/ro" 2>&1
[ $? != 0 ] && grep -q 'read-only' "$T/ro"
check "an import into the standby is refused: read-only ($(head -c 120 "$T/ro"))" $?

XINYONG_DB="$P" "$XY" serve --read-db "$R" --listen 127.0.0.1:0 --access-log none --rate 0 \
	--spool "$T/spool" >"$T/serve" 2>"$T/serve.err" &
srv=$!
poll 10 grep -q 'listening on' "$T/serve"
check "serve --db PRIMARY --read-db REPLICA starts" $?
B=$(sed -n 's|.*listening on \(http://[^/]*\)/.*|\1|p' "$T/serve")
B=${B:-http://127.0.0.1:9}
curl -s "$B/readyz" >"$T/ready1"
grep -q '"replica":{"status":"ready","schema":[0-9]*,"behind_bytes":[0-9]*}' "$T/ready1"
check "/readyz reports both connections ($(cat "$T/ready1"))" $?

CO=91210803MADE2UMA8E # a subject of both sample files
NAME=%E8%90%A5%E5%8F%A3%E6%B2%99%E5%B2%97 # 营口沙岗, a part of its name
PROF="$B/api/v1/subjects/$CO?date=2019-11-30" # as of a day its 2019 records are public
records() { curl -s "$PROF" | grep -o '"category":"行政[^"]*"' | sort | tr '\n' ' '; }
st=$(curl -s -o /dev/null -w '%{http_code}' "$PROF")
[ "$st" = 404 ]
check "the public profile before any import: 404 ($st)" $?

# 1. a CLI import on the primary reaches the public profile and search
XINYONG_DB="$P" "$XY" import --unit 市场监管局 --category 行政处罚 --reported-on 2019-11 \
	"$S/市场监管局-行政处罚-2019-10.csv" >"$T/imp1" 2>&1
check "import (CLI) on the primary" $?
poll 10 sh -c "curl -s '$PROF' | grep -q '\"category\":\"行政处罚\"'"
rc=$?
LAG1=$LAG
check "the public profile shows the import within the replica lag (${LAG1} ms)" $rc
poll 10 sh -c "curl -s '$B/api/v1/subjects?q=$NAME' | grep -q '$CO'"
check "public search finds the subject by 2 characters of its name (${LAG} ms more)" $?
curl -s "$B/api/v1/penalties?from=2019-01-01&to=2019-12-31" | grep -q '营市监罚〔2019〕005号'
check "双公示 行政处罚 lists the imported decisions" $?
before=$(records)
[ "$before" = '"category":"行政处罚" ' ]
check "the profile (now in the answer cache) has one 行政处罚 ($before)" $?

# 2. public reads come from the replica: with its replay paused, an upload on
#    the primary is seen at once by a staff read, not by the public profile
ADM=$(XINYONG_DB="$P" "$XY" token create --role admin --expires 2099-01-01 2>/dev/null)
UT=$(XINYONG_DB="$P" "$XY" token create --role unit --unit 市审批局 --expires 2099-01-01 2>/dev/null)
on_replica 'select pg_wal_replay_pause()' >/dev/null
poll 5 sh -c "[ \"\$(psql '$R' -Atc 'select pg_get_wal_replay_pause_state()' 2>/dev/null)\" = paused ]"
check "the replica's replay paused" $?
st=$(curl -s -o "$T/up.json" -w '%{http_code}' -H "Authorization: Bearer $UT" \
	-H 'Content-Type: application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' \
	--data-binary @"$S/市审批局-行政许可-2019-10.xlsx" \
	"$B/api/v1/uploads?category=%E8%A1%8C%E6%94%BF%E8%AE%B8%E5%8F%AF&reported_on=2019-11&filename=x.xlsx")
[ "${st%??}" = 2 ] && grep -q '"new":8' "$T/up.json"
check "an upload (a write) through the server: $st, 8 new ($(head -c 100 "$T/up.json"))" $?
curl -s -H "Authorization: Bearer $ADM" "$B/api/v1/batches" | grep -q '"batch":2,'
check "a staff read right after it (the primary) lists batch 2" $?
sleep 0.5
[ "$(records)" = "$before" ]
check "the public profile, read on the paused replica, does not have it yet" $?
t_resume=$(now_ms)
on_replica 'select pg_wal_replay_resume()' >/dev/null
poll 10 sh -c "curl -s '$PROF' | grep -q '\"category\":\"行政许可\"'"
check "replay resumed: the cached profile shows the 行政许可 ($(($(now_ms) - t_resume)) ms)" $?

# 2b. a catalogue change (a memorandum, loaded on the writer) made while the
#     replica's replay is paused reaches both workers' public answers once
#     replayed.  (It passed with the WAL-position gate of server.c's
#     thread_refresh disabled too, so it does not prove the gate.)
printf '%s\n' 'doc	营发改信用〔2026〕9号' 'title	《测试备忘录》' 'date	2026' \
	'signatories	发改委|财政局' 'list_types	拖欠农民工工资失信联合惩戒对象名单' \
	'number	text	kind	units	target	matters	basis' \
	'1	限制参加政府采购活动	惩戒	财政局	单位	政府采购	营发改信用〔2026〕9号' >"$T/memo.tsv"
MEMO="$B/api/v1/memoranda/$(python3 -c 'import urllib.parse; print(urllib.parse.quote("营发改信用〔2026〕9号"))')"
on_replica 'select pg_wal_replay_pause()' >/dev/null
poll 5 sh -c "[ \"\$(psql '$R' -Atc 'select pg_get_wal_replay_pause_state()' 2>/dev/null)\" = paused ]"
st=$(curl -s -o "$T/memo.json" -w '%{http_code}' -H "Authorization: Bearer $ADM" \
	-H 'Content-Type: text/tab-separated-values' --data-binary @"$T/memo.tsv" \
	"$B/api/v1/memorandum-files?filename=memo.tsv")
[ "$st" = 201 ]
check "a memorandum loaded through the server (the catalogue changes): $st" $?
st1=$(curl -s -o /dev/null -w '%{http_code}' "$MEMO")
st2=$(curl -s -o /dev/null -w '%{http_code}' "$MEMO") # both workers
[ "$st1" = 404 ] && [ "$st2" = 404 ]
check "replay paused: the public memorandum not there yet ($st1, $st2)" $?
on_replica 'select pg_wal_replay_resume()' >/dev/null
poll 10 sh -c "[ \"\$(curl -s -o /dev/null -w '%{http_code}' '$MEMO')\" = 200 ] &&
	[ \"\$(curl -s -o /dev/null -w '%{http_code}' '$MEMO')\" = 200 ]"
check "replay resumed: every worker's catalogue has it (${LAG} ms)" $?

# 3. a check logged (a grouped write) and read back at once, a login and its session
st=$(curl -s -o "$T/chk.json" -w '%{http_code}' -H "Authorization: Bearer $UT" \
	-H 'Content-Type: application/json' \
	-d "{\"subject\":\"$CO\",\"matter\":\"政府采购\",\"date\":\"2019-11-30\"}" "$B/api/v1/checks")
cid=$(sed -n 's/^{"check_id":\([0-9]*\).*/\1/p; s/.*"check":\([0-9]*\).*/\1/p' "$T/chk.json" | head -1)
[ "${st%??}" = 2 ] && [ -n "$cid" ]
check "a check is logged: $st, check ${cid:-?}" $?
st=$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $UT" "$B/api/v1/checks/${cid:-0}")
[ "$st" = 200 ]
check "the check read back at once (a staff read: the primary): $st" $?
PW="$T/pw"
echo 'correct horse battery' >"$PW"
XINYONG_DB="$P" "$XY" user add boss --role admin --password-file "$PW" >/dev/null 2>&1
st=$(curl -s -c "$T/jar" -o /dev/null -w '%{http_code}' -H 'Content-Type: application/json' \
	-d '{"name":"boss","password":"correct horse battery"}' "$B/api/v1/session")
st2=$(curl -s -b "$T/jar" -o /dev/null -w '%{http_code}' "$B/api/v1/session")
[ "$st" = 201 ] && [ "$st2" = 200 ]
check "login, then its session at once (authentication reads the primary): $st, $st2" $?

# 4. a list entry (CLI, primary): the lag of a second write, measured again
XINYONG_DB="$P" "$XY" list add --type 拖欠农民工工资失信联合惩戒对象名单 --subject "$CO" \
	--unit 人社局 --doc '营人社欠薪〔2019〕1号' --from 2019-11-01 >/dev/null 2>&1
poll 10 sh -c "curl -s '$PROF' | grep -q '营人社欠薪〔2019〕1号'"
rc=$?
LAG2=$LAG
check "a list entry reaches the public profile (${LAG2} ms)" $rc

# 5. the replica stopped: public reads go to the primary, /readyz says so;
#    restarted: used again (each worker tries again 5 s after a failure)
"$PGC" stop "$T/r" >/dev/null 2>&1
st=$(curl -s -o "$T/fb.json" -w '%{http_code}' "$B/api/v1/subjects/$CO?date=2019-11-29")
[ "$st" = 200 ] && grep -q '营人社欠薪〔2019〕1号' "$T/fb.json"
check "replica stopped: a public read answered by the primary ($st)" $?
curl -s -o "$T/ready2" "$B/readyz"
curl -s -o "$T/ready3" "$B/readyz" # the other worker's
grep -q '"status":"ready","schema":[0-9]*,"replica":{"status":"down"' "$T/ready2" &&
	grep -q '"replica":{"status":"down"' "$T/ready3"
check "/readyz: ready, the replica down ($(head -c 140 "$T/ready2"))" $?
grep -q 'read replica .*public reads go to the primary' "$T/serve.err"
check "the error log says where public reads go" $?
"$PGC" restart "$T/r" >/dev/null 2>&1
check "the replica restarted" $?
poll 15 sh -c "curl -s '$B/readyz' | grep -q '\"replica\":{\"status\":\"ready\"' &&
	curl -s '$B/readyz' | grep -q '\"replica\":{\"status\":\"ready\"'"
check "/readyz: the replica ready again (${LAG} ms)" $?

kill -TERM "$srv"
wait "$srv"
rc=$?
srv=
[ $rc = 0 ] && grep -q 'stopped cleanly' "$T/serve.err"
check "SIGTERM: exit 0, stopped cleanly ($rc)" $?
echo "# replica lag seen through the server: import ${LAG1} ms, list entry ${LAG2} ms"
echo "1..$n"
exit $fail
