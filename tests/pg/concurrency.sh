#!/bin/sh
# Several xinyong processes against one PostgreSQL at once (issue 11,
# docs/postgresql.md "Concurrency"): imports from different units of files
# that share every subject, the same file from two processes, two versions of
# the same rows from two processes (no lost update), and the server's upload
# beside a CLI import.  After each round the counts are checked through the
# CLI (batch summaries, the statistics table, profiles), against the same
# imports run one after another on SQLite.  TAP on stdout.
set -u
BUILD=${1:-${XY_BUILD:-build}}
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
XY=$(cd "$BUILD" && pwd)/xinyong
GEN=$(cd "$BUILD" && pwd)/bench/xy-gen
T=$(mktemp -d)
n=0 fail=0 srv=
. "$ROOT/tests/pg/lib.sh"
pg_cluster
export XINYONG_KEY_FILE="$T/key" XINYONG_TODAY=2019-11-20
cd "$T" || exit 1 # files beside a postgresql:// database (./spool, ./reports) land here
SQ=$T/seq.db
"$XY" init --db "$URI" >/dev/null 2>&1 && "$XY" init --db "$SQ" >/dev/null 2>&1
check "init both databases" $?

# 2,000 rows over 400 subjects: every unit's file names the same subjects, so
# the concurrent imports race to create each subject
"$GEN" --rows 2000 --subjects 400 --seed 3 -o "$T/f.csv" || exit 1
imp() { # db unit file → summary in $T/out.<tag>; tag is $4
	"$XY" import --db "$1" --reports "$T/reports" --unit "$2" --category 行政处罚 \
		--reported-on 2019-11 "$3" >"$T/out.$4" 2>&1
	echo "exit $?" >>"$T/out.$4"
}
rows() { # the "rows N: a new, b updated, c unchanged, d rejected" line of a summary
	grep -E '^ *rows +[0-9]+:' "$T/out.$1" | sed -E 's/^ *rows +//'
}

# ---- 1: four units at once, the same subjects --------------------------------
units="市场监管局 税务局 生态环境局 交通运输局"
for u in $units; do imp "$URI" "$u" "$T/f.csv" "pg-$u" & done
wait
for u in $units; do imp "$SQ" "$u" "$T/f.csv" "sq-$u"; done
bad=0
for u in $units; do
	grep -q '^exit 0$' "$T/out.pg-$u" || { bad=1; sed 's/^/# /' "$T/out.pg-$u" | head -5; }
	[ "$(rows "pg-$u")" = "$(rows "sq-$u")" ] ||
		{ bad=1; echo "# $u: PostgreSQL '$(rows "pg-$u")', SQLite '$(rows "sq-$u")'"; }
done
check "4 concurrent imports by 4 units: each summary equals the same import done alone on SQLite" $bad
stats() { "$XY" stats --db "$1" --from 2019-11 --to 2019-11 --by department --format csv; }
stats "$URI" >"$T/st.pg" 2>&1
stats "$SQ" >"$T/st.sq" 2>&1
cmp -s "$T/st.pg" "$T/st.sq"
check "after them the department table equals SQLite's sequential one (no record lost or doubled)" $?
# every subject exists once, with the records of all four units: the profiles
# of a few subjects list the same records on both backends
codes=$(awk -F, 'NR > 1 && $3 != "" { print $3 }' "$T/f.csv" | sort -u | head -5)
bad=0
for c in $codes; do
	"$XY" show --db "$URI" --format json "$c" | tr ',' '\n' | grep -c '"unit"' >"$T/n.pg"
	"$XY" show --db "$SQ" --format json "$c" | tr ',' '\n' | grep -c '"unit"' >"$T/n.sq"
	cmp -s "$T/n.pg" "$T/n.sq" || { bad=1; echo "# $c: $(cat "$T/n.pg") vs $(cat "$T/n.sq")"; }
done
[ -n "$codes" ] || bad=1
check "profiles of shared subjects list the same records on both (one subject each, not four)" $bad

# ---- 1b: new subjects named in opposite orders by two imports at once ----
# (each waits for a subject the other created first: PostgreSQL must not
# end one of them with a deadlock)
"$GEN" --rows 1500 --subjects 300 --seed 9 -o "$T/h.csv" || exit 1
{ head -1 "$T/h.csv"; tail -n +2 "$T/h.csv" | tac; } >"$T/h-rev.csv"
imp "$URI" 卫健委 "$T/h.csv" pg-h &
imp "$URI" 民政局 "$T/h-rev.csv" pg-hr &
wait
imp "$SQ" 卫健委 "$T/h.csv" sq-h
imp "$SQ" 民政局 "$T/h-rev.csv" sq-hr
bad=0
for t in h hr; do
	grep -q '^exit 0$' "$T/out.pg-$t" || { bad=1; sed 's/^/# /' "$T/out.pg-$t" | head -3; }
	[ "$(rows "pg-$t")" = "$(rows "sq-$t")" ] || bad=1
done
check "2 concurrent imports creating the same new subjects in opposite orders both succeed" $bad

# ---- 2: the same file from two processes at once ------------------------------
u=司法局
imp "$URI" $u "$T/f.csv" same1 &
imp "$URI" $u "$T/f.csv" same2 &
wait
imp "$SQ" $u "$T/f.csv" same-sq
new_of() { rows "$1" | sed -E 's/^[0-9]+: ([0-9]+) new, ([0-9]+) updated, ([0-9]+) unchanged.*/\1 \2 \3/'; }
set -- $(new_of same1) $(new_of same2)
want=$(new_of same-sq | cut -d' ' -f1)
[ "$#" = 6 ] && [ $(($1 + $4)) = "$want" ] && [ $(($2 + $5)) = 0 ] && [ $(($1 + $3)) = "$want" ] &&
	[ $(($4 + $6)) = "$want" ]
check "the same file twice at once: $want new in all, each row new once and unchanged once" $?
stats "$URI" >"$T/st.pg" 2>&1
stats "$SQ" >"$T/st.sq" 2>&1
cmp -s "$T/st.pg" "$T/st.sq"
check "the department table still equals SQLite's (the twice-imported file counted once)" $?

# ---- 3: two versions of the same rows at once: no lost update -----------------
# v2 changes every row's 处罚内容 (a non-key field), so each row is new in one
# import and updated or unchanged in the other, whichever comes second
awk -F, 'BEGIN { OFS = "," } NR == 1 { for (i = 1; i <= NF; i++) if ($i ~ /处罚内容/) c = i; print; next }
	{ if (c) $c = $c "（更正）"; print }' "$T/f.csv" >"$T/v2.csv"
cmp -s "$T/f.csv" "$T/v2.csv" && echo "# v2 equals v1: no 处罚内容 column?"
u=检察院
imp "$URI" $u "$T/f.csv" v1 &
imp "$URI" $u "$T/v2.csv" v2 &
wait
imp "$SQ" $u "$T/f.csv" sq-v1
imp "$SQ" $u "$T/v2.csv" sq-v2
set -- $(new_of v1) $(new_of v2)
[ "$#" = 6 ] && [ $(($1 + $4)) = "$want" ] && [ $(($2 + $5)) = "$want" ] && [ $(($3 + $6)) = 0 ]
check "two versions at once: each row new in one import and updated in the other (none lost)" $?
# the latest version of each row is the one of the batch that committed last
# (its updates are the v1→v2 or v2→v1 changes); a profile shows one record per row
c=$(echo "$codes" | head -1)
"$XY" show --db "$URI" --format json "$c" >"$T/show.v" 2>&1
grep -c '检察院' "$T/show.v" >/dev/null
check "a profile after the race reads back (one record per row of 检察院)" $?

# ---- 4: the server's upload beside a CLI import --------------------------------
"$GEN" --rows 3000 --subjects 600 --seed 5 -o "$T/g.csv" || exit 1
tok=$("$XY" token create --db "$URI" --unit 公安局 --role unit --expires 1d --label t 2>/dev/null)
port=$(free_port)
"$XY" serve --db "$URI" --listen "127.0.0.1:$port" --access-log none --rate 0 --spool "$T/spool" \
	>"$T/serve.out" 2>"$T/serve.err" &
srv=$!
i=0
until curl -fs "http://127.0.0.1:$port/healthz" >/dev/null 2>&1; do
	i=$((i + 1)); [ $i -lt 100 ] || break; sleep 0.1
done
curl -fs -o "$T/up.json" -H "Authorization: Bearer $tok" -H 'Content-Type: text/csv' \
	--data-binary @"$T/g.csv" \
	"http://127.0.0.1:$port/api/v1/uploads?category=%E8%A1%8C%E6%94%BF%E5%A4%84%E7%BD%9A&reported_on=2019-11&filename=g.csv" &
up=$!
imp "$URI" 中级法院 "$T/g.csv" cli4
wait $up
check "an API upload and a CLI import at the same time both succeed" $?
imp "$SQ" 公安局 "$T/g.csv" sq4a
imp "$SQ" 中级法院 "$T/g.csv" sq4b
grep -q '"new": *'"$(new_of sq4a | cut -d' ' -f1)" "$T/up.json" && [ "$(rows cli4)" = "$(rows sq4b)" ]
check "the upload's and the import's counts equal SQLite's sequential ones" $?
kill "$srv" && wait "$srv"
check "the server stops cleanly (exit 0)" $?
srv=
stats "$URI" >"$T/st.pg" 2>&1
stats "$SQ" >"$T/st.sq" 2>&1
cmp -s "$T/st.pg" "$T/st.sq"
r=$?
[ $r = 0 ] || diff "$T/st.pg" "$T/st.sq" | sed 's/^/# /' | head
check "finally the department table equals SQLite's sequential one" $r
# every import appended its audit entry to one chain (no fork, no entry lost)
"$XY" audit verify --db "$URI" >"$T/verify" 2>&1
check "audit verify: the hash chain is whole after the concurrent imports" $?
nb=$("$XY" batches --db "$URI" --format json | grep -o '"batch":[0-9]*' | wc -l)
na=$("$XY" audit show --db "$URI" --action import.commit --format json 2>/dev/null | grep -o '"seq": *[0-9]*' | wc -l)
[ "$nb" -gt 10 ] && [ "$na" = "$nb" ]
check "one audit entry per batch ($na entries, $nb batches)" $?
echo "1..$n"
exit $fail
