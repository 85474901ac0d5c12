#!/bin/sh
# Failure paths: an import killed with SIGKILL mid-batch leaves the whole batch or none of
# it; a disk that fills up mid-batch leaves the database as it was.
# SQLite backend's own test: the rollback journal of an exclusive bulk load, WAL mode and a
# second connection held open by the sqlite3 shell are SQLite's (tests/cli/t0009-no-raw-sql.sh
# allows sqlite3 here); what the store holds is read through xinyong.  On PostgreSQL the kill
# comes while the server runs the import's statements, and the checks of SQLite's files
# (journal, WAL, a full disk under ulimit -f: the server's disk is not the client's) are
# SQLite's only (docs/testing.md "Backend-specific checks").
. "$(dirname "$0")/lib.sh"
journal_mode() { sqlite3 "$XINYONG_DB" 'pragma journal_mode'; }

GEN="$XY_BUILD/xy-gen"
[ -x "$GEN" ] || GEN="$XY_BUILD/bench/xy-gen"
# SQLite's kill must land while the file grows past its first 4 MB; PostgreSQL's, while its
# server runs the COPY or INSERT (kill_mid_batch), which 60,000 rows give as well (300,000
# took five minutes of the PostgreSQL run)
rows=300000
[ "${XY_SANITIZED:-}" = 1 ] || [ "$XY_BACKEND" != sqlite ] && rows=60000
"$GEN" --rows $rows --seed 7 -o "$T/big.csv"
is "generator wrote $rows rows" "$(($(wc -l <"$T/big.csv") - 1))" $rows

# Something committed before, which must survive.
ok "a first batch commits" xy import --unit 市场监管局 --category 行政处罚 "$SAMPLES/市场监管局-行政处罚-2019-10.csv"
is "first batch: 9 records" "$(rows records)" 9

# kill_mid_batch LABEL FILE UNIT: start an import of FILE, wait until the batch is under way
# (the database file, or the -wal when another connection keeps it in WAL mode, grew by
# 4 MB; on PostgreSQL: the server runs a COPY or an INSERT of it), then kill it hard.
under_way() {
	if [ "$XY_BACKEND" = sqlite ]; then
		s=$(($(stat -c %s "$XINYONG_DB") + $(stat -c %s "$XINYONG_DB-wal" 2>/dev/null || echo 0)))
		[ "$s" -gt $((base + 4000000)) ]
	else
		[ "$(pg_sql "select count(*) from pg_stat_activity where datname = current_database()
			and pid <> pg_backend_pid() and state = 'active' and query ~* '^ *(copy|insert)'")" -gt 0 ]
	fi
}
kill_mid_batch() {
	base=$(($(stat -c %s "$XINYONG_DB" 2>/dev/null || echo 0) + $(stat -c %s "$XINYONG_DB-wal" 2>/dev/null || echo 0)))
	"$XINYONG" import --unit "$3" --category 行政处罚 "$2" >/dev/null 2>&1 &
	pid=$!
	i=0
	while [ $i -lt 400 ]; do
		under_way && break
		sleep 0.05
		i=$((i + 1))
	done
	kill -9 $pid 2>/dev/null
	wait $pid 2>/dev/null
	killed=$?
	is "$1: the import was killed mid-batch (exit 137)" "$killed" 137
}

# Nobody else has the database open: the batch runs with a rollback journal (exclusive bulk
# load, docs/operations.md), so the kill leaves a hot journal that the next open rolls back.
kill_mid_batch "exclusive" "$T/big.csv" 公安局
[ "$XY_BACKEND" = sqlite ] && is "exclusive: the killed batch left a hot -journal (no -wal)" \
	"$([ -s "$XINYONG_DB-journal" ] && echo journal)$([ -s "$XINYONG_DB-wal" ] && echo wal)" journal
n=$(rows records)
is "after SIGKILL: only the first batch's records (none of the killed one)" "$n" 9
is "after SIGKILL: no batch row of the killed import" "$(rows batches)" 1
is "after SIGKILL: integrity_check ok" "$(xy db check)" ok
[ "$XY_BACKEND" = sqlite ] && is "after SIGKILL: the rollback removed the killed batch's pages" \
	"$([ "$(stat -c %s "$XINYONG_DB")" -lt 4000000 ] && echo small)" small

# Another connection keeps the database open (as a running portal would): the import cannot
# have it alone, stays in WAL mode, and a kill leaves the batch out as well.  (After the
# kill above the file is in rollback mode until a connection asks for WAL, as xinyong's
# open does; the holder asks itself.)  SQLite's only: PostgreSQL always has connections
# beside each other (tests/pg/concurrency.sh).
if [ "$XY_BACKEND" = sqlite ]; then
mkfifo "$T/hold"
# hold.out exists before the holder starts: its shell opens it only after the FIFO, so on a
# loaded machine the poll below could otherwise find no file and stop at once
: >"$T/hold.out"
sqlite3 "$XINYONG_DB" <"$T/hold" >"$T/hold.out" 2>"$T/hold.err" &
holder=$!
exec 3>"$T/hold"
echo ".timeout 20000
pragma journal_mode = wal; select count(*) from records;" >&3
i=0
while [ "$(wc -l <"$T/hold.out")" -lt 2 ] && [ $i -lt 600 ]; do sleep 0.05; i=$((i + 1)); done
is "a second connection reads the database" "$(tr '\n' ' ' <"$T/hold.out")$(cat "$T/hold.err")" "wal 9 "
kill_mid_batch "WAL (another connection open)" "$T/big.csv" 公安局
is "WAL: the killed batch wrote into the -wal, no journal" \
	"$([ -s "$XINYONG_DB-journal" ] && echo journal)$([ -s "$XINYONG_DB-wal" ] && echo wal)" wal
is "WAL: still in WAL mode" "$(journal_mode)" wal
is "WAL: only the first batch's records" "$(rows records)" 9
is "WAL: no batch row of the killed import" "$(rows batches)" 1
is "WAL: integrity_check ok" "$(xy db check)" ok
ok "WAL: a small import commits while the other connection is open" \
	xy import --unit 市场监管局 --category 行政处罚 "$SAMPLES/市场监管局-行政处罚-2019-10.csv"
exec 3>&-
wait $holder
fi

j=$(xy import --unit 公安局 --category 行政处罚 --format json "$T/big.csv")
is "the same file imports whole afterwards" "$(echo "$j" | jq -r '"\(.new) \(.rejected)"')" "$rows 0"
is "records: 9 + $rows" "$(rows records)" $((rows + 9))
if [ "$XY_BACKEND" = sqlite ]; then
	is "after the exclusive bulk load the database is in WAL mode again" "$(journal_mode)" wal
	is "no journal left behind" "$(ls "$XINYONG_DB-journal" 2>/dev/null)" ""
fi
[ "$XY_BACKEND" = sqlite ] || exit 0

# Disk full: in a database holding one batch, no file may grow past 256 KiB more than the
# database is now (ulimit -f; SIGXFSZ ignored so writes fail with EFBIG like ENOSPC).
newdb "$T/full/xinyong.db"
xy import --unit 市场监管局 --category 行政处罚 "$SAMPLES/市场监管局-行政处罚-2019-10.csv" >/dev/null
held() { echo "$(rows records) $(records | md5sum)"; }
before=$(held)
"$GEN" --rows 20000 --seed 8 -o "$T/more.csv"
sz=$(( ($(stat -c %s "$XINYONG_DB") + $(stat -c %s "$XINYONG_DB-wal" 2>/dev/null || echo 0)) / 1024 + 256 ))
(ulimit -f $sz; trap '' XFSZ; exec "$XINYONG" import --unit 税务局 --category 行政处罚 "$T/more.csv") >"$T/full.out" 2>"$T/full.err"
rc=$?
is "disk full: import fails with exit 1" "$rc" 1
like "disk full: the message says so" "$(cat "$T/full.err")" "disk|full|large|space|I/O"
is "disk full: records as before" "$(held)" "$before"
is "disk full: integrity_check ok" "$(xy db check)" ok
j=$(xy import --unit 税务局 --category 行政处罚 --format json "$T/more.csv")
is "disk full: with room again the batch imports" "$(echo "$j" | jq -r .new)" 20000
