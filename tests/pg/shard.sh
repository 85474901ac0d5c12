#!/bin/sh
# Records' hash partitions on two other PostgreSQL servers through postgres_fdw
# (docs/postgresql.md, "Partitions and shards"): three throw-away clusters on
# loopback ports, a coordinator and two shards (scripts/pg-cluster.sh
# start-shard); scripts/pg-shard.sh moves records_h0 … records_h7 to the shards
# (even ones to shard 1, odd ones to shard 2).  Then the same CLI steps on the
# coordinator and on a single database (another database of the coordinator's
# cluster, its partitions local): imports, a re-import, a correction that moves
# a record to a subject whose partition is on the other shard, profiles, the
# department table, batches; every output must be the same.  Each shard is
# asked (psql) for its rows.  TAP on stdout.
set -u
BUILD=${1:-${XY_BUILD:-build}}
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
XY=$(cd "$BUILD" && pwd)/xinyong
S=$ROOT/data/samples
T=$(mktemp -d)
n=0 fail=0
. "$ROOT/tests/pg/lib.sh"
cleanup() {
	[ -n "${KEEP:-}" ] && { echo "# kept $T"; return; }
	for c in s1 s2 pg; do "$ROOT/scripts/pg-cluster.sh" stop "$T/$c" >/dev/null 2>&1; done
	rm -rf "$T"
}
trap cleanup EXIT
chmod 755 "$T"
mkdir "$T/pg" "$T/s1" "$T/s2"
p1=$(free_port) p2=$(free_port)
while [ "$p2" = "$p1" ]; do p2=$(free_port); done
if ! URI=$("$ROOT/scripts/pg-cluster.sh" start "$T/pg") ||
	! S1=$("$ROOT/scripts/pg-cluster.sh" start-shard "$T/s1" "$p1") ||
	! S2=$("$ROOT/scripts/pg-cluster.sh" start-shard "$T/s2" "$p2"); then
	echo "1..1"
	echo "not ok 1 - start three throw-away PostgreSQL clusters (scripts/deps.sh installs postgresql)"
	exit 1
fi
ok "three clusters: a coordinator and two shards on 127.0.0.1:$p1 and :$p2"
ONE="${URI%/*}/single"
psql "$URI" -qAtc "create database single" >/dev/null
export XINYONG_KEY_FILE="$T/key" XINYONG_TODAY=2026-11-26
cd "$T" || exit 1
"$XY" init --db "$URI" >/dev/null 2>&1 && "$XY" init --db "$ONE" >/dev/null 2>&1
check "xinyong init on the coordinator and on the single database" $?
both() { # NAME, the command: its output on the coordinator and on the single database
	name=$1
	shift
	"$XY" "$@" --db "$URI" >"$T/sh.$name" 2>&1
	echo "exit $?" >>"$T/sh.$name"
	"$XY" "$@" --db "$ONE" >"$T/one.$name" 2>&1
	echo "exit $?" >>"$T/one.$name"
	sed -i -E 's/[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z/<ts>/g' \
		"$T/sh.$name" "$T/one.$name"
}
same() { # NAME, what
	if cmp -s "$T/sh.$1" "$T/one.$1" && grep -q '^exit 0$' "$T/sh.$1"; then ok "$2"; else
		no "$2"
		diff "$T/one.$1" "$T/sh.$1" | head -10 | sed 's/^/# /'
	fi
}
P="$S/市场监管局-行政处罚-2019-10.csv"
both imp1 import --reports "$T/reports" --unit 市场监管局 --category 行政处罚 --reported-on 2019-11 "$P"
same imp1 "import (csv) before sharding: the same on both"
"$ROOT/scripts/pg-shard.sh" "$URI" "$S1" "$S2" >"$T/shard.out" 2>&1
st=$?
sed 's/^/# /' "$T/shard.out"
check "scripts/pg-shard.sh: the 8 partitions (the first import's rows in them) moved to the shards" $st
ft=$(psql "$URI" -Atc "select count(*) from pg_inherits i join pg_class c on c.oid = i.inhrelid
	where i.inhparent = 'records'::regclass and c.relkind = 'f'")
[ "$ft" = 8 ]
check "records has 8 foreign partitions on the coordinator ($ft)" $?

both imp2 import --reports "$T/reports" --unit 市审批局 --category 行政许可 --reported-on 2019-11 \
	"$S/市审批局-行政许可-2019-10.xlsx"
same imp2 "import (xlsx) through the coordinator = single server"
both imp3 import --reports "$T/reports" --unit 市场监管局 --category 行政处罚 --reported-on 2019-12 "$P"
same imp3 "re-import (all unchanged) = single server"
grep -q "0 new, 0 updated, 9 unchanged" "$T/sh.imp3"
check "the re-import found every record on the shards: 0 new, 9 unchanged" $?

# a correction moving record A to the subject of record B, their partitions on
# different shards (even/odd): chosen from where the rows are
psql "$URI" -Atc "select r.key, right(r.tableoid::regclass::text, 1)::int % 2 from records r
	join subjects s on s.id = r.subject_id where s.code_enc is null and r.category_id =
	(select id from categories where name = '行政处罚') order by r.key" >"$T/where"
python3 - "$P" "$T/moved.csv" "$T/where" >"$T/pair" <<'PY'
import csv, io, sys
rows = list(csv.reader(io.StringIO(open(sys.argv[1], 'rb').read().decode('gbk'))))
shard = dict(l.strip().split('|') for l in open(sys.argv[3]) if '|' in l)
keyed = {r[6]: i for i, r in enumerate(rows) if i and r[6] in shard}
pair = next(((a, b) for a in keyed for b in keyed if shard[a] != shard[b]), None)
if pair:
    a, b = keyed[pair[0]], keyed[pair[1]]
    rows[a][0:4] = rows[b][0:4]
    print(rows[a][6], rows[a][2], shard[pair[0]], shard[pair[1]])
out = io.StringIO()
csv.writer(out, lineterminator='\r\n').writerows(rows)
open(sys.argv[2], 'wb').write(out.getvalue().encode('gbk'))
PY
read -r KEY TO FROMSH TOSH <"$T/pair"
[ -n "${TOSH:-}" ] && [ "$FROMSH" != "$TOSH" ]
check "a record and a subject on different shards to move it to ($KEY → $TO)" $?
both move import --reports "$T/reports" --unit 市场监管局 --category 行政处罚 --reported-on 2020-01 \
	"$T/moved.csv"
same move "the import moving a record across shards = single server"
grep -q "0 new, 1 updated" "$T/sh.move"
check "the move: 1 updated ($(grep rows "$T/sh.move"))" $?
shard_of() { # KEY: the shard (1, 2) holding its row
	for s in 1 2; do
		eval "u=\$S$s"
		for k in 0 1 2 3 4 5 6 7; do
			[ $((k % 2 + 1)) = $s ] || continue
			[ "$(psql "$u" -Atc "select count(*) from records_h$k where key = '$1'")" = 1 ] &&
				echo "$s"
		done
	done
}
[ "$(shard_of "$KEY")" = $((TOSH + 1)) ]
check "the moved record's row is on shard $((TOSH + 1)) now, and only there ($(shard_of "$KEY" | tr '\n' ' '))" $?

for c in 91210803MADE2UMA8E 91210802H59ED1Y524 "$TO" 210804195604102130; do
	both "show-$c" show "$c" --format json
	same "show-$c" "profile of $c through the coordinator = single server"
done
both dept stats --from 2019-11 --to 2020-01 --by department --format csv
same dept "the department table = single server"
both batches batches --format json
same batches "batches = single server"

# the rows really are on the shards: each shard's tables, summed, are all of them
n1=$(psql "$S1" -Atc "select (select count(*) from records_h0) + (select count(*) from records_h2)
	+ (select count(*) from records_h4) + (select count(*) from records_h6)")
n2=$(psql "$S2" -Atc "select (select count(*) from records_h1) + (select count(*) from records_h3)
	+ (select count(*) from records_h5) + (select count(*) from records_h7)")
nc=$(psql "$URI" -Atc "select count(*) from records")
no=$(psql "$ONE" -Atc "select count(*) from records")
[ "$n1" -gt 0 ] && [ "$n2" -gt 0 ] && [ $((n1 + n2)) = "$nc" ] && [ "$nc" = "$no" ]
check "rows on shard 1 ($n1) + shard 2 ($n2) = the coordinator's records ($nc) = the single database's ($no)" $?
local_rows=$(psql "$URI" -Atc "select count(*) from only records")
[ "$local_rows" = 0 ]
check "no record row is kept on the coordinator ($local_rows)" $?
plan=$(psql "$URI" -Atc "explain (costs off) select * from records where subject_id = 3")
[ "$(echo "$plan" | grep -c 'Foreign Scan on records_h')" = 1 ]
check "a profile read is one foreign scan of one partition ($(echo "$plan" | grep -o 'records_h[0-9]*' | head -1))" $?
echo "1..$n"
exit $fail
