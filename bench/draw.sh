#!/bin/sh
# 双随机 draw throughput (issue 12: "a draw from 1,000,000 subjects in under 1 s";
# docs/inspection.md, bench/RESULTS.md "Grading and draws").
#
#   DIR=/tmp/g bench/draw.sh BUILD [SUBJECTS]
#
# DIR holds the database bench/grade.sh built and graded (same SUBJECTS; DIR/g.db).  A
# subjects file of the same SUBJECTS (1,000,000) subjects (their codes from xy-gen with
# grade.sh's seed, an empty 等级 so each takes its latest grade from the grading run, a
# district cycling over the county-level divisions, 1 in 10 with a 行业) and a plan with 12
# inspectors, teams of 2, own district excluded.  Timed, best of RUNS (3), each with the
# load average:
#   - `xinyong inspect draw` (read the file, grades and black-list flags from the store,
#     population text and digest, draw, store and audit-log it), under /usr/bin/time;
#   - `xinyong inspect verify DRAW` (recompute from the stored inputs);
#   - `xinyong inspect verify --inputs DIR` of the exported bundle (no database: parse the
#     population text and draw — the draw itself, without reading the subjects file);
#   - peers over the same subjects file: `shuf -n K` (K = the draw's number of targets)
#     and `sha256sum`.
# Then the golden check: a plan without the timestamp ("固定") drawn once with a fixed random
# value; its population digest and the SHA-256 of its draw text must equal the values the
# unchanged algorithm gave on the same fixture (GOLD_* below) — a draw published before the
# speed-up still verifies.  Only for the fixture of `bench/grade.sh BUILD 1000000 1000000`
# with SUBJECTS = 1000000 (other fixtures, the 10M-record one too, print their values without
# a verdict).
set -eu
BUILD=${1:?usage: DIR=… bench/draw.sh BUILD [SUBJECTS]}
SUBJECTS=${2:-1000000}
SINCE=${SINCE:-2004-01-01}
RUNS=${RUNS:-3}
XINYONG=$BUILD/xinyong
tmp=${DIR:?DIR: the directory of the database of bench/grade.sh}
db=$tmp/g.db
[ -f "$db" ] || { echo "bench/draw.sh: no $db: run DIR=$tmp bench/grade.sh first" >&2; exit 1; }
export XINYONG_TODAY=2019-10-31
now() { date +%s.%N; }
since() { echo "$(now) - $1" | bc; }
best() { # FILE: the smallest number in it
	sort -g "$1" | head -n 1
}

echo "machine: $(nproc) cores, $(awk -F': ' '/model name/ { print $2; exit }' /proc/cpuinfo)," \
	"$(date -u '+%Y-%m-%d %H:%M UTC'), load$(uptime | sed 's/.*load average//')"

"$BUILD/bench/xy-gen" --rows "$SUBJECTS" --subjects "$SUBJECTS" --seed 7 --since "$SINCE" |
	tail -n +2 | cut -d, -f3,6 | awk -F, '
	BEGIN {
		split("站前区 西市区 鲅鱼圈区 老边区 盖州市 大石桥市", d, " ")
		print "主体代码\t等级\t区域\t行业"
	}
	{ print ($1 != "" ? $1 : $2) "\t\t" d[NR % 6 + 1] "\t" (NR % 10 ? "" : "餐饮") }' \
	>"$tmp/subjects.tsv"
plan_json() { # [NAME SUFFIX]: the plan (default suffix: now, so a new plan each time)
	printf '{"name":"双随机抽查（基准测试 %s）","unit":"市场监管局",' "${1:-$(date -u +%FT%T.%N)}"
	printf '"items":[{"item":"营业执照公示信息","basis":"《企业信息公示暂行条例》","method":"书面检查"}],'
	printf '"team_size":2,"not_own_district":true,"inspectors":['
	i=1
	for d in 站前区 西市区 鲅鱼圈区 老边区 盖州市 大石桥市 站前区 西市区 鲅鱼圈区 老边区 盖州市 大石桥市; do
		[ $i = 1 ] || printf ','
		printf '{"name":"检查员%02d","unit":"市场监管局","district":"%s"}' $i $d
		i=$((i + 1))
	done
	printf ']}\n'
}
plan_json >"$tmp/plan.json"
plan=$("$XINYONG" inspect plan add "$tmp/plan.json" --db "$db" --format json |
	sed 's/.*"plan": *\([0-9]*\).*/\1/')
echo "subjects file: $(($(wc -l <"$tmp/subjects.tsv") - 1)) subjects," \
	"$(du -h "$tmp/subjects.tsv" | cut -f1); plan $plan"

: >"$tmp/t.draw"
: >"$tmp/t.verify"
: >"$tmp/t.inputs"
: >"$tmp/t.shuf"
: >"$tmp/t.sha"
i=0
while [ $i -lt "$RUNS" ]; do
	i=$((i + 1))
	load=$(uptime | sed 's/.*load average: //')
	/usr/bin/time -f '%e %U %S %M' -o "$tmp/time" "$XINYONG" inspect draw "$plan" --db "$db" \
		--subjects "$tmp/subjects.tsv" --random "基准 $i" --format json >"$tmp/draw.json"
	read -r s u sy rss <"$tmp/time"
	echo "$s" >>"$tmp/t.draw"
	draw=$(sed 's/.*"draw": *\([0-9]*\).*/\1/' "$tmp/draw.json")
	k=$(sqlite3 "$db" "select text from inspect_draws where id = $draw" | grep -c '^target')
	t0=$(now)
	"$XINYONG" inspect verify "$draw" --db "$db" >/dev/null
	v=$(since "$t0")
	echo "$v" >>"$tmp/t.verify"
	rm -rf "$tmp/pub"
	"$XINYONG" inspect export "$draw" --db "$db" --dir "$tmp/pub" >/dev/null
	t0=$(now)
	"$XINYONG" inspect verify --inputs "$tmp/pub" >/dev/null
	vi=$(since "$t0")
	echo "$vi" >>"$tmp/t.inputs"
	t0=$(now)
	shuf -n "$k" "$tmp/subjects.tsv" >/dev/null
	sh=$(since "$t0")
	echo "$sh" >>"$tmp/t.shuf"
	t0=$(now)
	sha256sum "$tmp/subjects.tsv" >/dev/null
	ha=$(since "$t0")
	echo "$ha" >>"$tmp/t.sha"
	echo "run $i (load $load): draw $draw ${s} s (user $u, sys $sy, peak RSS $((rss / 1024)) MB)," \
		"$k targets; verify $v s; verify --inputs $vi s; shuf -n $k $sh s; sha256sum $ha s"
done
echo "strata of the last draw: $(sqlite3 "$db" "select text from inspect_draws where id = $draw" |
	grep '^stratum' | tr '\t' ' ' | tr '\n' ';')"

# the golden check (see the header): a fixed plan (added once; found again by its name on
# a database that has it) and a fixed random value.  GOLD_*: computed BEFORE the speed-up
# (2026-12-02) by the unchanged code of main 17bb4c8 on that fixture.
GOLD_POP=4981cf4c7dc346523a56ed4afb7d7fcaf66e42024e5aab32243cf7ad2722422e
GOLD_DRAW=5a777c39003f90a72d9c433fd90a4c71db3f72d8e579bd948b99e5c55c1d1325
plan_json 固定 >"$tmp/plan-fixed.json"
gplan=$("$XINYONG" inspect plan add "$tmp/plan-fixed.json" --db "$db" --format json 2>/dev/null |
	sed 's/.*"plan": *\([0-9]*\).*/\1/')
[ -n "$gplan" ] || gplan=$("$XINYONG" inspect plan list --db "$db" --format json |
		jq -r '.plans[] | select(.name == "双随机抽查（基准测试 固定）") | .id')
"$XINYONG" inspect draw "$gplan" --db "$db" --subjects "$tmp/subjects.tsv" \
	--random "基准 固定随机数" --format json >"$tmp/golden.json"
gdraw=$(sed 's/.*"draw": *\([0-9]*\).*/\1/' "$tmp/golden.json")
rm -rf "$tmp/gold"
"$XINYONG" inspect export "$gdraw" --db "$db" --dir "$tmp/gold" >/dev/null
gpop=$(sha256sum <"$tmp/gold/population.tsv" | cut -c1-64)
gtext=$(sha256sum <"$tmp/gold/draw.txt" | cut -c1-64)
records=$(sqlite3 "$db" "select count(*) from records")
# (the 1M-record fixture holds 1,151,692 records with its lists' rows; the 10M one 10,151,692)
if [ "$SUBJECTS" != 1000000 ] || [ "$records" -ge 2000000 ]; then
	verdict="(no golden values for $SUBJECTS subjects and $records records: they are the 1M / 1M fixture's)"
elif [ "$gpop" = "$GOLD_POP" ] && [ "$gtext" = "$GOLD_DRAW" ]; then
	verdict="= the golden values: identical to the unchanged algorithm"
else
	verdict="DIFFERENT from the golden values $GOLD_POP / $GOLD_DRAW"
fi
echo "golden draw $gdraw (plan $gplan): population $gpop, draw text $gtext $verdict"
d=$(best "$tmp/t.draw")
echo "best of $RUNS: draw $d s, verify $(best "$tmp/t.verify") s," \
	"verify --inputs $(best "$tmp/t.inputs") s; shuf -n $(best "$tmp/t.shuf") s," \
	"sha256sum $(best "$tmp/t.sha") s; draw/shuf $(echo "scale=2; $d / $(best "$tmp/t.shuf")" | bc)"
case $verdict in DIFFERENT*) exit 1 ;; esac
