#!/bin/sh
# PostgreSQL import benchmark (issue 11): `xinyong import` into PostgreSQL
# (the bulk path: new rows COPYed into record_keys and records, the rest by
# set-based statements; docs/postgresql.md) against PostgreSQL's own COPY (psql \copy) of the same
# CSV into a table with the same primary key, with SQLite's import of the
# same file for reference (see bench/README.md).
#
#   bench/pg-import.sh              ROWS rows (default 10000000)
#
# Environment: ROWS, SEED (1), BUILD (build), TMPDIR, PG_DURABLE (1: the
# cluster keeps fsync, synchronous_commit and full_page_writes on, as a real
# install has them; 0: scripts/pg-cluster.sh's test settings), CPU (1: also
# the server's CPU seconds for the COPY and each PostgreSQL import, by perf
# stat on the postmaster, its backends inherited; needs linux-perf), SQLITE
# (1; 0 skips SQLite's import), PG_SERVER_OPTIONS (server options for the
# cluster, scripts/pg-cluster.sh: e.g. "-c shared_buffers=6GB").  Exits
# non-zero only when the benchmark cannot run; a missed target is reported.
set -eu

ROWS=${ROWS:-10000000}
SEED=${SEED:-1}
BUILD=${BUILD:-build}
PG_DURABLE=${PG_DURABLE:-1}
export PG_DURABLE
XINYONG=$BUILD/xinyong
GEN=$BUILD/bench/xy-gen
ROOT=$(cd "$(dirname "$0")/.." && pwd)

die() {
	echo "bench/pg-import.sh: $*" >&2
	exit 1
}

[ -x "$XINYONG" ] || die "$XINYONG not built (run make build)"
[ -x "$GEN" ] || die "$GEN not built (run make build)"
command -v psql >/dev/null 2>&1 || die "psql is missing (scripts/deps.sh installs postgresql)"

tmp=$(mktemp -d "${TMPDIR:-/tmp}/xy-pgbench.XXXXXX") || die "cannot create a temporary directory"
chmod 755 "$tmp"
mkdir "$tmp/pg"
stop() {
	"$ROOT/scripts/pg-cluster.sh" stop "$tmp/pg" >/dev/null 2>&1 || true
	rm -rf "$tmp"
}
trap stop EXIT
trap 'exit 130' INT TERM
URI=$("$ROOT/scripts/pg-cluster.sh" start "$tmp/pg") || die "cannot start a PostgreSQL cluster"
export XINYONG_KEY_FILE="$tmp/pii.key"

# measure LABEL CMD…: run CMD, set SECS (wall time) and, with CPU=1, SRV
# (the server's CPU seconds meanwhile)
measure() {
	label=$1
	shift
	SRV=-
	if [ "${CPU:-0}" = 1 ]; then
		perf stat -e task-clock -p "$(head -n 1 "$tmp/pg/data/postmaster.pid")" \
			-o "$tmp/perf" &
		perf=$!
		sleep 0.3 # attached before the command starts
	fi
	t0=$(date +%s.%N)
	"$@" >"$tmp/out" 2>"$tmp/err" || { cat "$tmp/err" >&2; die "$label failed"; }
	t1=$(date +%s.%N)
	SECS=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.2f", b - a }')
	if [ "${CPU:-0}" = 1 ]; then
		kill -INT "$perf"
		wait "$perf" || true
		SRV=$(awk '/task-clock/ { gsub(",", "", $1); printf "%.2f", $1 / 1000 }' "$tmp/perf")
	fi
}
rate() { awk -v n="$1" -v s="$2" 'BEGIN { printf "%.0f", (s > 0 ? n / s : 0) }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }'; }

# The xinyong import; checks that every row came in as expected (new or unchanged).
xy_import() { # DB FIELD
	measure "xinyong import ($1)" "$XINYONG" import --db "$1" --reports "$tmp/reports" \
		--unit 市场监管局 --category 行政处罚 --format json "$csv"
	got=$(sed -n 's/.*"'"$2"'":\([0-9]*\).*/\1/p' "$tmp/out")
	[ "$got" = "$ROWS" ] || die "xinyong import: expected $ROWS $2 rows, got '${got:-?}': $(cat "$tmp/out")"
}

echo "machine: $(nproc) cores, $(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)," \
	"$(awk '/^MemTotal/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo) RAM, load $(cut -d' ' -f1-3 /proc/loadavg);" \
	"$(psql "$URI" -Atc 'SHOW server_version' | cut -d' ' -f1) (fsync $(psql "$URI" -Atc 'SHOW fsync')," \
	"shared_buffers $(psql "$URI" -Atc 'SHOW shared_buffers'));" \
	"$(date -u '+%Y-%m-%d %H:%M UTC')"

csv=$tmp/bench.csv
"$GEN" --rows "$ROWS" --seed "$SEED" -o "$csv" || die "xy-gen failed"
echo "input: $ROWS rows, $(awk -v b="$(stat -c %s "$csv")" 'BEGIN { printf "%.0f MB", b / 1e6 }') CSV (xy-gen --seed $SEED)"

# The reference: every column text, the document number (行政处罚决定书文号, a
# record's key for xinyong too) as the PRIMARY KEY, loaded by COPY.
cols=$(head -n 1 "$csv" | tr -d '\r' | awk -F, '{
	for (i = 1; i <= NF; i++)
		printf "%s\"%s\" text%s", (i > 1 ? ", " : ""), $i, ($i == "行政处罚决定书文号" ? " PRIMARY KEY" : "")
}')
psql "$URI" -qc "CREATE TABLE t($cols)" || die "cannot create the keyed table"
measure "COPY" psql "$URI" -qc "\\copy t FROM '$csv' WITH (FORMAT csv, HEADER true)"
copy_s=$SECS copy_cpu=$SRV
n=$(psql "$URI" -Atc 'SELECT count(*) FROM t')
[ "$n" = "$ROWS" ] || die "COPY loaded $n rows, not $ROWS"
psql "$URI" -qc 'DROP TABLE t; CHECKPOINT'

"$XINYONG" init --db "$URI" >/dev/null || die "xinyong init failed"
xy_import "$URI" new
pg_s=$SECS pg_cpu=$SRV
xy_import "$URI" unchanged
pg_re_s=$SECS pg_re_cpu=$SRV
CPU=0 # SQLite's import below: no server to measure
sq_s=0
[ "${SQLITE:-1}" = 0 ] || { xy_import "$tmp/xy.db" new && sq_s=$SECS; }

copy_r=$(rate "$ROWS" "$copy_s")
printf '%-44s %8s %10s %11s\n' "" seconds rows/s "server CPU"
printf '%-44s %8s %10s %11s\n' \
	"PostgreSQL COPY, PRIMARY KEY (reference)" "$copy_s" "$copy_r" "$copy_cpu" \
	"xinyong import, PostgreSQL, fresh database" "$pg_s" "$(rate "$ROWS" "$pg_s")" "$pg_cpu" \
	"xinyong import, PostgreSQL, same file again" "$pg_re_s" "$(rate "$ROWS" "$pg_re_s")" \
	"$pg_re_cpu" \
	"xinyong import, SQLite, fresh database" "$sq_s" "$(rate "$ROWS" "$sq_s")" -
echo "xinyong(PostgreSQL)/COPY $(ratio "$(rate "$ROWS" "$pg_s")" "$copy_r") (target >= 0.8)," \
	"re-import/COPY $(ratio "$(rate "$ROWS" "$pg_re_s")" "$copy_r")," \
	"SQLite/COPY $(ratio "$(rate "$ROWS" "$sq_s")" "$copy_r")"
