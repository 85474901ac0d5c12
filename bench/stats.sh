#!/bin/sh
# Statistics benchmark: how long `xinyong stats` takes to render the bulletin's
# department table at 1M and at 10M records, against counting the same table
# from the records themselves with the sqlite3 shell (the per-record peer).
#
#   bench/stats.sh               FILES (10) imports of ROWS (1000000) rows each
#
# The 10M-record database is built by importing one generated 1M-row file ten
# times as ten different units (so every import adds 1M new records), each in
# its own reporting month.  Needs ~8 GB of free disk in $TMPDIR.
set -eu

ROWS=${ROWS:-1000000}
FILES=${FILES:-10}
BUILD=${BUILD:-build}
XY=$BUILD/xinyong
GEN=$BUILD/bench/xy-gen
[ -x "$XY" ] && [ -x "$GEN" ] || { echo "bench/stats.sh: run make build first" >&2; exit 1; }
command -v sqlite3 >/dev/null || { echo "bench/stats.sh: sqlite3 shell missing" >&2; exit 1; }

tmp=$(mktemp -d "${TMPDIR:-/tmp}/xy-stats.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
db=$tmp/xinyong.db
"$GEN" --rows "$ROWS" --seed 1 -o "$tmp/rows.csv"

ms() { echo $(($(date +%s%N) / 1000000)); }

# median of N runs of a command, in milliseconds
median_ms() {
	n=$1
	shift
	i=0
	: >"$tmp/times"
	while [ $i -lt "$n" ]; do
		t0=$(ms)
		"$@" >/dev/null
		t1=$(ms)
		echo $((t1 - t0)) >>"$tmp/times"
		i=$((i + 1))
	done
	sort -n "$tmp/times" | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'
}

peer_sql="SELECT u.name, c.name, count(*) FROM records r JOIN units u ON u.id = r.unit_id
 JOIN categories c ON c.id = r.category_id JOIN batches b ON b.id = r.first_batch
 WHERE substr(b.reported_on, 1, 7) BETWEEN '2019-01' AND '2019-10'
 GROUP BY u.name, c.name;"

report() { # label
	recs=$(sqlite3 "$db" 'SELECT count(*) FROM records')
	t_stats=$(median_ms 11 "$XY" stats --db "$db" --from 2019-01 --to 2019-10 --by department --format csv)
	t_peer=$(median_ms 3 sqlite3 "$db" "$peer_sql")
	printf '%-8s %10s records  xinyong stats %6s ms   sqlite3 GROUP BY over records %7s ms\n' \
		"$1" "$recs" "$t_stats" "$t_peer"
}

units="市场监管局 公安局 税务局 中级法院 人社局 住建局 交通运输局 卫健委 生态环境局 应急管理局"
echo "machine: $(nproc) cores, $(awk -F': ' '/model name/ { print $2; exit }' /proc/cpuinfo), $(date -u '+%Y-%m-%d %H:%M UTC')"
k=0
t_import=0
for u in $units; do
	[ $k -lt "$FILES" ] || break
	k=$((k + 1))
	t0=$(ms)
	"$XY" import --db "$db" --unit "$u" --category 行政处罚 --reported-on "2019-$(printf %02d $k)" \
		"$tmp/rows.csv" >/dev/null
	t1=$(ms)
	t_import=$((t_import + t1 - t0))
	[ $k -eq 1 ] && report "1 file"
done
report "$k files"
echo "import: $((ROWS * k)) rows in $((t_import / 1000)) s ($((ROWS * k * 1000 / (t_import + 1))) rows/s)"
