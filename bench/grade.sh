#!/bin/sh
# Credit grading throughput (docs/grading.md, bench/RESULTS.md "Grading"): a database of
# SUBJECTS generated subjects with ROWS 行政处罚 records (xy-gen), optionally on top of the
# demo database, graded as of 2019-10-31 with the default model; best of 3 runs, beside a
# plain SQL aggregation of the same records (count and sum per subject in the window) as the
# reference for "one pass over the data".
#   bench/grade.sh BUILD [SUBJECTS] [ROWS] [--demo]
set -eu
BUILD=${1:?usage: bench/grade.sh BUILD [SUBJECTS] [ROWS] [--demo]}
SUBJECTS=${2:-100000}
ROWS=${3:-$((SUBJECTS * 5))}
DEMO=${4:-}
XINYONG=$BUILD/xinyong
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
db=$tmp/g.db
export XINYONG_TODAY=2019-10-31
if [ "$DEMO" = --demo ]; then "$XINYONG" demo --db "$db" --work-dir "$tmp/demo" >/dev/null; fi
"$BUILD/bench/xy-gen" --rows "$ROWS" --subjects "$SUBJECTS" --seed 7 -o "$tmp/cf.csv"
t0=$(date +%s.%N)
"$XINYONG" import --db "$db" --reports "$tmp/reports" --unit 市场监管局 --category 行政处罚 \
	--reported-on 2019-10 "$tmp/cf.csv" >/dev/null
t1=$(date +%s.%N)
n=$(sqlite3 "$db" "select count(*) from subjects")
r=$(sqlite3 "$db" "select count(*) from records")
echo "subjects $n, records $r (import $(echo "$t1 - $t0" | bc) s)"
best=
for i in 1 2 3; do
	t0=$(date +%s.%N)
	"$XINYONG" grade run --db "$db" --date 2019-10-31 >/dev/null
	t1=$(date +%s.%N)
	s=$(echo "$t1 - $t0" | bc)
	if [ -z "$best" ] || [ "$(echo "$s < $best" | bc)" = 1 ]; then best=$s; fi
done
echo "grade run: best of 3 $best s, $(echo "$n / $best" | bc) subjects/s"
t0=$(date +%s.%N)
sqlite3 "$db" "select count(*), sum(n) from (select s.id, count(r.id) as n from subjects s
	left join records r on r.subject_id = s.id and r.category_id =
	(select id from categories where name = '行政处罚') and r.decided_on between '2016-10-31'
	and '2019-10-31' group by s.id)" >/dev/null
t1=$(date +%s.%N)
echo "reference SQL aggregation (per-subject count of 行政处罚 in 36 months): $(echo "$t1 - $t0" | bc) s"
echo "grades table: $(sqlite3 "$db" "select count(*) from grades") rows; database $(du -h "$db" | cut -f1)"
