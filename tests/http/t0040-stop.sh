#!/bin/sh
# A long import never blocks reads; SIGTERM during an upload's import rolls it
# back and exits 0; SIGKILL during an upload leaves the batch all there or not
# at all, and the server restarts on the same database.
. "$(dirname "$0")/lib.sh"
GEN="$XY_BUILD/bench/xy-gen"
[ -x "$GEN" ] || GEN="$XY_BUILD/xy-gen"
rows=200000
[ "${XY_SANITIZED:-}" = 1 ] && rows=60000
"$GEN" --rows $rows --seed 7 -o "$T/big.csv"
xy init >/dev/null
xy import --unit 市场监管局 --category 行政处罚 "$SAMPLES/市场监管局-行政处罚-2019-10.csv" >/dev/null
is "a first batch: 9 records" "$(rows records)" 9

# dbsize: the database's bytes, to see an import writing: the SQLite file and its -wal; on
# PostgreSQL the files of the test's database (pg_database_size: the records' new pages
# and the import's staging tables)
if [ "$XY_BACKEND" = sqlite ]; then
	dbsize() { echo $(($(stat -c %s "$XINYONG_DB") + $(stat -c %s "$XINYONG_DB-wal" 2>/dev/null || echo 0))); }
else
	dbsize() { pg_sql "select pg_database_size(current_database())"; }
fi
# upload_big: start uploading big.csv in the background (curl's pid in UP),
# return once the import is writing (the database grew by 4 MB)
upload_big() {
	base=$(dbsize)
	curl -s -o "$T/up.body" -w '%{http_code}' -H "$UNIT_GA" -H 'Content-Type: text/csv' \
		--data-binary @"$T/big.csv" "$BASE/api/v1/uploads?category=行政处罚" >"$T/up.code" &
	UP=$!
	i=0
	while [ $i -lt 600 ] && [ "$(dbsize)" -lt $((base + 4000000)) ]; do
		sleep 0.05
		i=$((i + 1))
	done
	[ $i -lt 600 ] && pass "$1: the import is under way" || fail "$1: the import never started"
}

# -- reads go on while an import writes
start_server
upload_big "reads"
slow=0 n=0
while [ $n -lt 20 ]; do
	t0=$(date +%s%N)
	req GET /api/v1/batches -H "$ADMIN" --max-time 5
	[ "$ST" = 200 ] || slow=$((slow + 100))
	[ $(($(date +%s%N) - t0)) -gt 1000000000 ] && slow=$((slow + 1))
	n=$((n + 1))
done
is "20 reads answered under 1 s each during the import" "$slow" 0
is "... and the import was still running after them" "$(kill -0 $UP 2>/dev/null && echo running)" running
is "... and the batch list did not show it yet" "$(jq '.batches | length' "$T/body")" 1
wait $UP
is "the upload then commits: 201" "$(cat "$T/up.code")" 201
is "... all its rows" "$(jq -r .new "$T/up.body")" $rows
is "records: 9 + $rows" "$(rows records)" $((rows + 9))
req GET /metrics
like "metrics count the imported rows" "$(body)" "xinyong_import_rows_total $rows"
stop_server
is "stopped with 0 after the import" "$SRV_RC" 0

# -- SIGTERM during an import: rolled back, exit 0
# (a new database: a file with free pages would not grow while the import writes)
fresh_db() {
	newdb "$T/$1/xinyong.db"
	xy init >/dev/null
	xy import --unit 市场监管局 --category 行政处罚 "$SAMPLES/市场监管局-行政处罚-2019-10.csv" >/dev/null
}
fresh_db stop
start_server
upload_big "SIGTERM"
stop_server TERM
is "SIGTERM during an import: exit 0" "$SRV_RC" 0
wait $UP
like "the upload was answered 503 (or its connection closed)" "$(cat "$T/up.code")" '^(503|000)$'
is "SIGTERM: nothing of the interrupted batch" "$(rows records)" 9
is "SIGTERM: no batch row of it" "$(rows batches)" 1
like "the error log says it stopped cleanly" "$(cat "$T/error.log")" 'stopped cleanly'
is "the spool is empty" "$(find "$T/spool" -type f | wc -l)" 0

# -- SIGKILL during an upload's import: all or nothing, and a restart
fresh_db kill
start_server
upload_big "SIGKILL"
stop_server KILL
is "SIGKILL: the server died (137)" "$SRV_RC" 137
wait $UP
start_server
req GET /readyz
is "restarted on the same database: ready" "$ST" 200
n=$(rows records)
b=$(rows batches)
like "SIGKILL: the batch is all there or not at all" "$n/$b" "^(9/1|$((rows + 9))/2)$"
is "SIGKILL: integrity_check ok" "$(xy db check)" ok
req POST "/api/v1/uploads?category=行政处罚" -H "$UNIT_GA" -H 'Content-Type: text/csv' \
	--data-binary @"$SAMPLES/市场监管局-行政处罚-2019-10.csv"
is "after the restart an upload commits" "$ST" 201
stop_server
is "and the restarted server stops with 0" "$SRV_RC" 0
