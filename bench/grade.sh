#!/bin/sh
# Credit grading throughput (issue 12; docs/grading.md, bench/RESULTS.md "Grading").
#
#   bench/grade.sh BUILD [SUBJECTS] [ROWS] [--demo]
#
# A database of SUBJECTS (100,000) generated subjects with ROWS (10 × SUBJECTS) 行政处罚
# records decided from SINCE (2004-01-01) to 2019-10-31, so that about a fifth fall inside
# the default model's 36-month window and the rest outside it (xy-gen --since).  On top, for
# a fraction of the subjects and all through the CLI (the same paths a unit's files take):
# 地方发布黑名单 entries (1 in 50 legal persons; half of them expired by the grading date),
# 地方发布红名单 entries (1 in 20), 联合惩戒案例 (1 in 30) and 联合激励案例 (1 in 40) records,
# 信用承诺书 commitments (1 in 25) of which CHECKS (400) are checked 履约 or 未履约, and WATCH
# (100) 重点关注名单 entries — so every indicator and the forced grade of the default model
# have facts.  Optionally on top of the demo database (--demo).
#
# Then `xinyong grade run --date 2019-10-31` RUNS (3) times (best kept; each run adds its
# grades), under /usr/bin/time for the peak RSS and CPU time, each beside the reference: a plain SQL
# aggregation of the same indicators in the sqlite3 shell — per subject, the count and the
# points (with the same half-life decay) of every indicator's facts in its window, written to
# a table as the run writes its grades.  On a shared machine compare the CPU times (user +
# sys): the wall clock follows the other load.
#
# DIR: keep the database there and reuse it on the next call (the fixture is built only when
# DIR/g.db is missing); without DIR a temporary directory is removed at the end.
set -eu
BUILD=${1:?usage: bench/grade.sh BUILD [SUBJECTS] [ROWS] [--demo]}
SUBJECTS=${2:-100000}
ROWS=${3:-$((SUBJECTS * 10))}
DEMO=${4:-}
SINCE=${SINCE:-2004-01-01}
CHECKS=${CHECKS:-400}
WATCH=${WATCH:-100}
RUNS=${RUNS:-3}
XINYONG=$BUILD/xinyong
ASOF=2019-10-31
if [ -n "${DIR:-}" ]; then
	tmp=$DIR
	mkdir -p "$tmp"
else
	tmp=$(mktemp -d "${TMPDIR:-/tmp}/xy-grade.XXXXXX")
	trap 'rm -rf "$tmp"' EXIT
fi
db=$tmp/g.db
export XINYONG_TODAY=$ASOF
now() { date +%s.%N; }
since() { echo "$(now) - $1" | bc; }
xy() { "$XINYONG" "$@" --db "$db" >/dev/null; }

echo "machine: $(nproc) cores, $(awk -F': ' '/model name/ { print $2; exit }' /proc/cpuinfo)," \
	"$(date -u '+%Y-%m-%d %H:%M UTC'), load$(uptime | sed 's/.*load average//')"

if [ ! -f "$db" ]; then
	if [ "$DEMO" = --demo ]; then "$XINYONG" demo --db "$db" --work-dir "$tmp/demo" >/dev/null; fi
	t0=$(now)
	"$BUILD/bench/xy-gen" --rows "$ROWS" --subjects "$SUBJECTS" --seed 7 --since "$SINCE" \
		-o "$tmp/cf.csv"
	echo "xy-gen: $ROWS rows in $(since "$t0") s"
	t0=$(now)
	xy import --reports "$tmp/reports" --unit 市场监管局 --category 行政处罚 \
		--reported-on 2019-10 "$tmp/cf.csv"
	echo "import 行政处罚: $(since "$t0") s"
	# The first SUBJECTS rows name each subject once: legal persons (USCC) for the rest.
	head -n $((SUBJECTS + 1)) "$tmp/cf.csv" | tail -n +2 | cut -d, -f1-3 |
		awk -F, -v dir="$tmp" '
		BEGIN {
			h = "编号,主体名称,主体类别,统一社会信用代码,证件类型,证件号码,日期,内容"
			print h ",有效期自,有效期至" > (dir "/black.csv")
			print h ",有效期自,有效期至" > (dir "/red.csv")
			print h > (dir "/lhcj.csv")
			print h > (dir "/lhjl.csv")
			print "编号,主体名称,主体类别,统一社会信用代码,证件类型,证件号码,日期,内容,承诺类型,承诺事项" \
				> (dir "/cn.csv")
		}
		$2 == "自然人" { next }
		{
			i = NR; s = $1 "," $2 "," $3 ",,"
			y = 2015 + i % 5; d = sprintf("%04d-%02d-%02d", y, 1 + i % 12, 1 + i % 28)
			if (i % 50 == 0) {
				if (i % 100 == 0) { f = "2019-03-01"; t = "2020-02-28" }
				else { f = "2017-01-01"; t = "2017-12-31" }
				print "HMD" i "," s "," f ",列入失信黑名单," f "," t > (dir "/black.csv")
			}
			if (i % 20 == 3)
				print "HONG" i "," s ",2019-06-01,评为守信激励对象,2019-06-01,2020-05-31" \
					> (dir "/red.csv")
			if (i % 30 == 7) print "LHCJ" i "," s "," d ",联合惩戒案例" > (dir "/lhcj.csv")
			if (i % 40 == 9) print "LHJL" i "," s "," d ",联合激励案例" > (dir "/lhjl.csv")
			if (i % 25 == 11)
				print "CN" i "," s ",2019-0" (1 + i % 9) "-15,按期履行承诺,审批替代型,食品经营许可" \
					> (dir "/cn.csv")
		}'
	t0=$(now)
	xy import --reports "$tmp/reports" --unit 发改委 --category 地方发布黑名单 \
		--reported-on 2019-10 "$tmp/black.csv"
	xy import --reports "$tmp/reports" --unit 发改委 --category 地方发布红名单 \
		--reported-on 2019-10 "$tmp/red.csv"
	xy import --reports "$tmp/reports" --unit 发改委 --category 联合惩戒案例 \
		--reported-on 2019-10 "$tmp/lhcj.csv"
	xy import --reports "$tmp/reports" --unit 发改委 --category 联合激励案例 \
		--reported-on 2019-10 "$tmp/lhjl.csv"
	xy commitment import --unit 市审批局 --reported-on 2019-10 "$tmp/cn.csv"
	k=0
	for id in $(sqlite3 "$db" "select id from commitments order by id limit $CHECKS"); do
		k=$((k + 1))
		if [ $((k % 3)) = 0 ]; then r=未履约; else r=履约; fi
		xy commitment verify "$id" --result "$r" --by 市审批局 --no-list \
			--date "2019-10-$(printf %02d $((1 + k % 28)))"
	done
	for code in $(cut -d, -f4 "$tmp/lhjl.csv" | tail -n +2 | head -n "$WATCH"); do
		xy list add --type 重点关注名单 --subject "$code" --unit 发改委 --doc "ZDGZ-$code" \
			--from 2019-05-01
	done
	echo "lists, cases, commitments (CLI): $(since "$t0") s"
	rm -f "$tmp/cf.csv"
fi

n=$(sqlite3 "$db" "select count(*) from subjects")
echo "subjects $n; records by category:" \
	"$(sqlite3 -separator ' ' "$db" "select c.name, count(*) from records r join categories c
		on c.id = r.category_id group by c.name order by 2 desc" | tr '\n' ';')"
echo "list entries: $(sqlite3 -separator ' ' "$db" "select t.kind, count(*) from list_entries e
	join list_types t on t.id = e.list_type_id group by t.kind" | tr '\n' ';')" \
	"commitment checks: $(sqlite3 -separator ' ' "$db" "select result, count(*) from
	commitment_checks group by result" | tr '\n' ';')"
echo "database $(du -h "$db" | cut -f1) before the runs"

# The reference: the default model's indicators (data/grade-model.tsv) as one SQL
# aggregation, per subject count and decayed points of each indicator in its window.
decay="pow(0.5, max(julianday('$ASOF') - julianday(f.d), 0) / 30.436875 / f.hl)"
ref_sql="DROP TABLE IF EXISTS temp.ref;
CREATE TEMP TABLE ref AS
WITH f(subject_id, ind, d, pts, hl) AS (
 SELECT r.subject_id, c.name, r.decided_on,
  CASE c.name WHEN '行政处罚' THEN -25 WHEN '行政许可' THEN 10 WHEN '联合惩戒案例' THEN -15
   ELSE 10 END,
  CASE c.name WHEN '行政许可' THEN 0 ELSE 12 END
 FROM records r JOIN categories c ON c.id = r.category_id
 WHERE c.name IN ('行政处罚', '行政许可', '联合惩戒案例', '联合激励案例')
  AND r.decided_on BETWEEN date('$ASOF', '-36 months') AND '$ASOF' AND r.subject_id IS NOT NULL
 UNION ALL
 SELECT e.subject_id, t.kind, e.start_on,
  CASE t.kind WHEN 'black' THEN -100 WHEN 'watch' THEN -50 ELSE 50 END, 0
 FROM list_entries e JOIN list_types t ON t.id = e.list_type_id
 WHERE e.start_on <= '$ASOF' AND (e.end_on IS NULL OR e.end_on >= '$ASOF')
  AND (e.exit_on IS NULL OR e.exit_on > '$ASOF')
 UNION ALL
 SELECT c.subject_id, k.result, k.checked_on, CASE k.result WHEN '履约' THEN 5 ELSE -40 END,
  CASE k.result WHEN '履约' THEN 0 ELSE 12 END
 FROM commitment_checks k JOIN commitments c ON c.id = k.commitment_id
 WHERE k.checked_on BETWEEN date('$ASOF', '-36 months') AND '$ASOF')
SELECT s.id, f.ind, count(f.subject_id) AS n,
 sum(CASE WHEN f.hl = 0 THEN f.pts ELSE f.pts * $decay END) AS points
FROM subjects s LEFT JOIN f ON f.subject_id = s.id GROUP BY s.id, f.ind;
SELECT count(DISTINCT id), sum(n), round(sum(points)) FROM temp.ref;"

best=
ref_best=
i=0
while [ $i -lt "$RUNS" ]; do
	i=$((i + 1))
	load=$(uptime | sed 's/.*load average: //')
	/usr/bin/time -f '%e %U %S %M' -o "$tmp/time" \
		"$XINYONG" grade run --db "$db" --date "$ASOF" --format json >"$tmp/run.json"
	read -r s u sy rss <"$tmp/time"
	/usr/bin/time -f '%e %U %S %M' -o "$tmp/time" sqlite3 "$db" "$ref_sql" >"$tmp/ref.out"
	read -r r ru rsy rrss <"$tmp/time"
	echo "run $i (load $load): grade run ${s} s (user $u, sys $sy, peak RSS $((rss / 1024)) MB);" \
		"reference SQL $r s (user $ru, sys $rsy, peak RSS $((rrss / 1024)) MB)" \
		"[subjects, facts, points: $(cat "$tmp/ref.out")]; ratio $(echo "scale=2; $s / $r" | bc)," \
		"by CPU time $(echo "scale=2; ($u + $sy) / ($ru + $rsy)" | bc)"
	if [ -z "$best" ] || [ "$(echo "$s < $best" | bc)" = 1 ]; then best=$s; fi
	if [ -z "$ref_best" ] || [ "$(echo "$r < $ref_best" | bc)" = 1 ]; then ref_best=$r; fi
done
echo "last run: $(cat "$tmp/run.json")"
echo "grade run: best of $RUNS $best s, $(echo "$n / $best" | bc) subjects/s;" \
	"reference best $ref_best s; grade/reference $(echo "scale=2; $best / $ref_best" | bc)"
echo "grades table: $(sqlite3 "$db" "select count(*) from grades") rows; database $(du -h "$db" | cut -f1)"
