#!/bin/sh
# Import benchmark: xinyong against the sqlite3 shell's .import on the same
# generated CSV, in the same run (see bench/README.md).
#
#   bench/import.sh                 ROWS rows (default 1000000): 4 timings + ratios
#   MEMCHECK=1 bench/import.sh      a ~1 GB file: xinyong's peak RSS (budget 64 MB)
#
# Environment: ROWS, SEED (1), BUILD (build), MEMCHECK, MEMROWS (1700000, about
# 1.07 GB), TMPDIR.  Exits non-zero only when the benchmark cannot run; missed
# targets are reported, not failed.
set -eu

ROWS=${ROWS:-1000000}
SEED=${SEED:-1}
BUILD=${BUILD:-build}
MEMROWS=${MEMROWS:-1700000}
MEM_BUDGET_KB=65536
XINYONG=$BUILD/xinyong
GEN=$BUILD/bench/xy-gen

die() {
	echo "bench/import.sh: $*" >&2
	exit 1
}

[ -x "$XINYONG" ] || die "$XINYONG not built (run make build)"
[ -x "$GEN" ] || die "$GEN not built (run make build)"
command -v sqlite3 >/dev/null 2>&1 || die "the sqlite3 shell is missing (apt-get install sqlite3)"

tmp=$(mktemp -d "${TMPDIR:-/tmp}/xy-bench.XXXXXX") || die "cannot create a temporary directory"
trap 'rm -rf "$tmp"' EXIT
trap 'exit 130' INT TERM

# measure LABEL CMD…: run CMD, set SECS (wall) and KB (peak RSS, "" if unknown).
# GNU time when installed; otherwise the clock and /proc polling (VmHWM of the
# live process, sampled every 50 ms, so a lower bound).
measure() {
	label=$1
	shift
	if [ -x /usr/bin/time ]; then
		if ! /usr/bin/time -f '%e %M' -o "$tmp/time" "$@" >"$tmp/out" 2>"$tmp/err"; then
			cat "$tmp/err" >&2
			die "$label failed"
		fi
		read -r SECS KB <"$tmp/time"
		return
	fi
	t0=$(date +%s.%N)
	"$@" >"$tmp/out" 2>"$tmp/err" &
	pid=$!
	KB=0
	while kill -0 "$pid" 2>/dev/null; do
		h=$(awk '/^VmHWM/ { print $2 }' "/proc/$pid/status" 2>/dev/null || true)
		[ -n "$h" ] && [ "$h" -gt "$KB" ] && KB=$h
		sleep 0.05
	done
	if ! wait "$pid"; then
		cat "$tmp/err" >&2
		die "$label failed"
	fi
	t1=$(date +%s.%N)
	SECS=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.2f", b - a }')
}

rate() { awk -v n="$1" -v s="$2" 'BEGIN { printf "%.0f", (s > 0 ? n / s : 0) }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }'; }
mb() { awk -v k="$1" 'BEGIN { printf "%.1f", k / 1024 }'; }

# The xinyong import; checks that every row came in as expected (new or unchanged).
xy_import() { # DB FIELD
	measure "xinyong import" "$XINYONG" import --db "$1" --reports "$tmp/reports" \
		--unit 市场监管局 --category 行政处罚 --format json "$csv"
	got=$(sed -n 's/.*"'"$2"'":\([0-9]*\).*/\1/p' "$tmp/out")
	[ "$got" = "$rows" ] || die "xinyong import: expected $rows $2 rows, got '${got:-?}': $(cat "$tmp/out")"
}

echo "machine: $(nproc) cores, $(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)," \
	"$(awk '/^MemTotal/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo) RAM;" \
	"sqlite3 $(sqlite3 --version | cut -d' ' -f1); $(date -u '+%Y-%m-%d %H:%M UTC')"

if [ "${MEMCHECK:-0}" = 1 ]; then
	rows=$MEMROWS
	csv=$tmp/mem.csv
	"$GEN" --rows "$rows" --seed "$SEED" -o "$csv" || die "xy-gen failed"
	size=$(stat -c %s "$csv")
	echo "memory check: $rows rows, $(awk -v b="$size" 'BEGIN { printf "%.2f GB", b / 1e9 }') CSV"
	xy_import "$tmp/mem.db" new
	echo "  xinyong import  $SECS s  $(rate "$rows" "$SECS") rows/s  peak RSS $(mb "$KB") MB" \
		"(budget $(mb $MEM_BUDGET_KB) MB: $([ "$KB" -lt $MEM_BUDGET_KB ] && echo within || echo OVER))"
	exit 0
fi

rows=$ROWS
csv=$tmp/bench.csv
"$GEN" --rows "$rows" --seed "$SEED" -o "$csv" || die "xy-gen failed"
echo "input: $rows rows, $(awk -v b="$(stat -c %s "$csv")" 'BEGIN { printf "%.0f MB", b / 1e6 }') CSV (xy-gen --seed $SEED)"

# The peer, (a): every column as TEXT, no key at all, the table created by .import.
measure "sqlite3 .import (raw)" sqlite3 "$tmp/raw.db" ".import --csv $csv t"
raw_s=$SECS raw_kb=$KB

# (b): the same columns, the document number (行政处罚决定书文号, the unique key
# of a record for xinyong too) as TEXT PRIMARY KEY.
cols=$(head -n 1 "$csv" | tr -d '\r' | awk -F, '{
	for (i = 1; i <= NF; i++)
		printf "%s\"%s\" TEXT%s", (i > 1 ? ", " : ""), $i, ($i == "行政处罚决定书文号" ? " PRIMARY KEY" : "")
}')
case $cols in *"PRIMARY KEY"*) ;; *) die "no 行政处罚决定书文号 column in the generated header" ;; esac
sqlite3 "$tmp/keyed.db" "CREATE TABLE t($cols)" || die "cannot create the keyed table"
measure "sqlite3 .import (keyed)" sqlite3 "$tmp/keyed.db" ".import --csv --skip 1 $csv t"
keyed_s=$SECS keyed_kb=$KB
n=$(sqlite3 "$tmp/keyed.db" 'SELECT count(*) FROM t')
[ "$n" = "$rows" ] || die "keyed .import loaded $n rows, not $rows"

# xinyong: validated, indexed, idempotent; a fresh database, then the same file again.
xy_import "$tmp/xy.db" new
xy_s=$SECS xy_kb=$KB
xy_import "$tmp/xy.db" unchanged
re_s=$SECS re_kb=$KB

xy_r=$(rate "$rows" "$xy_s")
printf '%-34s %8s %10s %10s\n' "" seconds rows/s "peak RSS"
printf '%-34s %8s %10s %7s MB\n' \
	"sqlite3 .import, no key (raw)" "$raw_s" "$(rate "$rows" "$raw_s")" "$(mb "$raw_kb")" \
	"sqlite3 .import, PRIMARY KEY" "$keyed_s" "$(rate "$rows" "$keyed_s")" "$(mb "$keyed_kb")" \
	"xinyong import, fresh database" "$xy_s" "$xy_r" "$(mb "$xy_kb")" \
	"xinyong import, same file again" "$re_s" "$(rate "$rows" "$re_s")" "$(mb "$re_kb")"
echo "xinyong/keyed $(ratio "$xy_r" "$(rate "$rows" "$keyed_s")") (target >= 1.0)," \
	"xinyong/raw $(ratio "$xy_r" "$(rate "$rows" "$raw_s")") (target >= 0.5)," \
	"re-import/keyed $(ratio "$(rate "$rows" "$re_s")" "$(rate "$rows" "$keyed_s")")," \
	"xinyong peak RSS $(mb "$xy_kb") MB"
