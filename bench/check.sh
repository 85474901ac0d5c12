#!/bin/sh
# Batch check benchmark: `xinyong check --file` on CHECKS codes against a database
# of SUBJECTS subjects and ENTRIES list entries, with the sqlite3 shell joining the
# same codes against the same database in the same run (see bench/README.md).
#
#   bench/check.sh        SUBJECTS=200000 ENTRIES=300 CHECKS=100000
#
# Environment: SUBJECTS, ENTRIES, CHECKS, SEED (1), BUILD (build), TMPDIR.
# Exits non-zero only when the benchmark cannot run; a missed target
# (>= 50,000 subjects/s) is reported, not failed.
set -eu

SUBJECTS=${SUBJECTS:-200000}
ENTRIES=${ENTRIES:-300}
CHECKS=${CHECKS:-100000}
SEED=${SEED:-1}
BUILD=${BUILD:-build}
TARGET=50000
XINYONG=$BUILD/xinyong
GEN=$BUILD/bench/xy-gen

die() {
	echo "bench/check.sh: $*" >&2
	exit 1
}

[ -x "$XINYONG" ] || die "$XINYONG not built (run make build)"
[ -x "$GEN" ] || die "$GEN not built (run make build)"
command -v sqlite3 >/dev/null 2>&1 || die "the sqlite3 shell is missing (apt-get install sqlite3)"

tmp=$(mktemp -d "${TMPDIR:-/tmp}/xy-bench.XXXXXX") || die "cannot create a temporary directory"
[ -n "${KEEP:-}" ] && echo "keeping $tmp" >&2 || trap 'rm -rf "$tmp"' EXIT
trap 'exit 130' INT TERM
db=$tmp/xy.db
export XINYONG_TODAY=2026-11-26

# measure LABEL CMD…: run CMD (stdout to $tmp/out), set SECS (wall clock).
measure() {
	label=$1
	shift
	t0=$(date +%s.%N)
	"$@" >"$tmp/out" 2>"$tmp/err" || { cat "$tmp/err" >&2; die "$label failed"; }
	t1=$(date +%s.%N)
	SECS=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", b - a }')
}
rate() { awk -v n="$1" -v s="$2" 'BEGIN { printf "%.0f", (s > 0 ? n / s : 0) }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }'; }

echo "machine: $(nproc) cores, $(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)," \
	"$(awk '/^MemTotal/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo) RAM;" \
	"sqlite3 $(sqlite3 --version | cut -d' ' -f1); $(date -u '+%Y-%m-%d %H:%M UTC')"

# the database: SUBJECTS subjects (one 行政处罚 record each) …
"$GEN" --rows "$SUBJECTS" --subjects "$SUBJECTS" --seed "$SEED" -o "$tmp/subjects.csv" || die "xy-gen failed"
"$XINYONG" import --db "$db" --reports "$tmp/reports" --unit 市场监管局 --category 行政处罚 \
	--reported-on 2026-10 "$tmp/subjects.csv" >/dev/null || die "import failed"
nsubj=$(sqlite3 "$db" 'SELECT count(*) FROM subjects')
# … and ENTRIES wage-arrears black-list entries of enterprises, each with a 法定代表人
# taken from the natural persons, through `xinyong list add` (there is no bulk path)
sqlite3 "$db" "SELECT code FROM subjects WHERE code_type = 'uscc' ORDER BY id LIMIT $ENTRIES" >"$tmp/listed"
sqlite3 "$db" "SELECT code FROM subjects WHERE code_type = 'ric' ORDER BY id LIMIT $ENTRIES" >"$tmp/persons"
[ "$(wc -l <"$tmp/listed")" = "$ENTRIES" ] || die "fewer than $ENTRIES enterprises"
i=0
paste -d' ' "$tmp/listed" "$tmp/persons" | while read -r co rep; do
	i=$((i + 1))
	set -- --db "$db" --type 拖欠农民工工资失信联合惩戒对象名单 --subject "$co" --unit 人社局 \
		--doc "营人社欠薪〔2026〕$i号" --from 2026-06-01
	[ -n "$rep" ] && set -- "$@" --person "法定代表人:$rep:某某"
	"$XINYONG" list add "$@" >/dev/null || die "list add $co failed"
done
nent=$(sqlite3 "$db" 'SELECT count(*) FROM list_entries')

# the file: CHECKS codes drawn from the subjects (every listed one included)
{
	echo 统一社会信用代码
	cat "$tmp/listed"
	sqlite3 "$db" "SELECT code FROM subjects ORDER BY random() LIMIT $((CHECKS - ENTRIES))"
} >"$tmp/codes.csv"
n=$(($(wc -l <"$tmp/codes.csv") - 1))
echo "database: $nsubj subjects, $nent list entries; file: $n codes"

# the peer: the sqlite3 shell loads the codes (.import) and joins them against the
# subjects and their own active entries (no linked persons, no rule resolution,
# nothing logged)
measure "sqlite3 join" sqlite3 "$db" \
	"CREATE TEMP TABLE c(code TEXT)" ".import --csv --skip 1 $tmp/codes.csv c" \
	"SELECT c.code, s.name, count(e.id) FROM c LEFT JOIN subjects s ON s.code = c.code
	 LEFT JOIN list_entries e ON e.subject_id = s.id AND e.start_on <= '2026-11-26'
	  AND (e.end_on IS NULL OR e.end_on >= '2026-11-26') AND e.exit_on IS NULL
	 GROUP BY c.rowid"
peer_s=$SECS
[ "$(wc -l <"$tmp/out")" = "$n" ] || die "sqlite3 join printed $(wc -l <"$tmp/out") rows, not $n"

measure "xinyong check --file" "$XINYONG" check --db "$db" --file "$tmp/codes.csv" \
	--unit 财政局 --matter 政府采购 --format json
xy_s=$SECS
sum=$(tail -n 1 "$tmp/out")
echo "xinyong: $sum"
rows=$(echo "$sum" | sed -n 's/.*"rows":\([0-9]*\).*/\1/p')
meas=$(echo "$sum" | sed -n 's/.*"with_measures":\([0-9]*\).*/\1/p')
[ "$rows" = "$n" ] || die "xinyong checked ${rows:-?} rows, not $n"
[ "${meas:-0}" -ge "$ENTRIES" ] || die "xinyong found ${meas:-?} rows with measures, fewer than the $ENTRIES listed"

measure "xinyong check --file (table)" "$XINYONG" check --db "$db" --file "$tmp/codes.csv" \
	--unit 财政局 --matter 政府采购
tab_s=$SECS

xy_r=$(rate "$n" "$xy_s")
printf '%-40s %8s %12s\n' "" seconds subjects/s
printf '%-40s %8s %12s\n' \
	"sqlite3 .import + join (peer)" "$peer_s" "$(rate "$n" "$peer_s")" \
	"xinyong check --file --format json" "$xy_s" "$xy_r" \
	"xinyong check --file (table)" "$tab_s" "$(rate "$n" "$tab_s")"
echo "xinyong/sqlite3 $(ratio "$xy_r" "$(rate "$n" "$peer_s")");" \
	"target >= $TARGET subjects/s: $([ "$xy_r" -ge $TARGET ] && echo met || echo MISSED)"
