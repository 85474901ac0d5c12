#!/bin/sh
# Grades in the draws (issue 12, docs/inspection.md "Grades"): a subject the
# subjects file gives no 等级 is sampled in its latest grade from `grade run`,
# before the B fallback; a D-graded subject is drawn by the default 100 % for
# D whatever the random value; a file's own 等级 still wins.
. "$(dirname "$0")/lib.sh"

ok "demo database" demo_city ${XY_SANITIZED:+--small}
ok "grade run" xy grade run --date 2019-10-31
ok "list --grade D" xy grade list --grade D --format json
D=$(jq -r '[.subjects[] | select(.forced == null)][0].subject.code // .subjects[0].subject.code' "$T/.out")
ok "list --grade A" xy grade list --grade A --format json
A=$(jq -r '.subjects[0].subject.code' "$T/.out")
like "a D subject and an A subject" "$D $A" "^[0-9A-Z]+ [0-9A-Z]+$"
cat >"$T/plan.json" <<'J'
{"name":"分级抽查（示例）","unit":"市场监管局",
 "items":[{"item":"营业执照公示信息","basis":"《企业信息公示暂行条例》","method":"书面检查"}],
 "key_black_list":false,"team_size":1,
 "inspectors":[{"name":"检查员01","unit":"市场监管局"},{"name":"检查员02","unit":"市场监管局"}]}
J
ok "plan add (default ratios)" xy inspect plan add "$T/plan.json"
# no 等级 column: the D and A subjects, one never graded, and 40 more graded ones
{
	printf '主体代码\n%s\n%s\nS-NEVER-GRADED\n' "$D" "$A"
	xy grade list --format json | jq -r --arg d "$D" --arg a "$A" \
		'[.subjects[].subject.code | select(. != $d and . != $a)] | sort | .[:40][]'
} >"$T/subjects.tsv"
i=1
while [ $i -le 5 ]; do
	ok "draw $i" xy inspect draw 1 --subjects "$T/subjects.tsv" --random "公开随机数 $i" --format json
	ok "… export" xy inspect export "$(jq .draw "$T/.out")" --dir "$T/pub$i"
	is "… the D subject sampled as D (latest grading run)" \
		"$(awk -F'\t' -v c="$D" '$1 == c { print $2 }' "$T/pub$i/population.tsv")" D
	is "… and drawn, not as a key subject (100 % for D)" \
		"$(awk -F'\t' -v c="$D" '$1 == "target" && $2 == c { print $3 $4 }' "$T/pub$i/draw.txt")" D随机
	i=$((i + 1))
done
is "the A subject sampled as A" "$(awk -F'\t' -v c="$A" '$1 == c { print $2 }' "$T/pub1/population.tsv")" A
is "a subject never graded counts as B" \
	"$(awk -F'\t' '$1 == "S-NEVER-GRADED" { print $2 }' "$T/pub1/population.tsv")" B
is "the D stratum is drawn in full" "$(awk -F'\t' '$1 == "stratum" && $2 == "D" { print ($3 == $6) }' "$T/pub1/draw.txt")" 1
ok "verify" xy inspect verify 1

# the file's own 等级 wins over the grading run
printf '主体代码\t等级\n%s\tA\n%s\t\n' "$D" "$A" >"$T/given.tsv"
ok "draw with a 等级 column" xy inspect draw 1 --subjects "$T/given.tsv" --random x --format json
ok "… export" xy inspect export "$(jq .draw "$T/.out")" --dir "$T/given"
is "… the file's A for the D subject" "$(awk -F'\t' -v c="$D" '$1 == c { print $2 }' "$T/given/population.tsv")" A
is "… an empty 等级 takes the grading run's" "$(awk -F'\t' -v c="$A" '$1 == c { print $2 }' "$T/given/population.tsv")" A

# Each subject's latest grade however many runs are kept (on SQLite from the latest-grade map
# every run keeps, lib/store/sqlite_grade.c): an import puts the A subject, and the subject of
# the highest code (the last the store reads its grade for), on a 黑名单, which re-grades
# them alone (an entry in force forces D); a draw over every graded subject then carries, for
# each one, the grade `grade list` gives as its latest, and `db check` finds the map agreeing
# with the grades.
latest() { xy grade list --format json | jq -r '.subjects[] | [.subject.code, .grade] | @tsv' | LC_ALL=C sort; }
Z=$(latest | awk -F'\t' -v a="$A" '$1 != a { z = $1 } END { print z }')
ok "show the subject of the highest code" xy show "$Z" --format json
ZROW="HMD-Z,$(jq -r .subject.name "$T/.out"),$(jq -r .subject.kind_zh "$T/.out"),$Z,,,2019-10-01,列入失信黑名单,2019-10-01,2020-09-30"
drawn() { # FILE RANDOM: every subject's grade in a draw over FILE, "code<TAB>grade" sorted
	_d=$(xy inspect draw 1 --subjects "$1" --random "$2" --format json | jq .draw) &&
		xy inspect export "$_d" --dir "$T/all-$2" >/dev/null &&
		tail -n +2 "$T/all-$2/population.tsv" | cut -f1,2 | sort
}
ok "show the A subject" xy show "$A" --format json
printf '编号,主体名称,主体类别,统一社会信用代码,证件类型,证件号码,日期,内容,有效期自,有效期至\n' >"$T/black.csv"
printf 'HMD-A,%s,%s,%s,,,2019-10-01,列入失信黑名单,2019-10-01,2020-09-30\n' \
	"$(jq -r .subject.name "$T/.out")" "$(jq -r .subject.kind_zh "$T/.out")" "$A" >>"$T/black.csv"
echo "$ZROW" >>"$T/black.csv"
ok "黑名单 entries of the A subject and the highest code" xy import --unit 发改委 \
	--category 地方发布黑名单 --reported-on 2019-10 --format json "$T/black.csv"
is "… re-grades them alone" "$(jq .grade.subjects "$T/.out")" 2
latest >"$T/latest"
is "… now D" "$(awk -F'\t' -v a="$A" -v z="$Z" '$1 == a || $1 == z { printf "%s", $2 }' "$T/latest")" DD
{ echo 主体代码; cut -f1 "$T/latest"; } >"$T/all.tsv"
drawn "$T/all.tsv" 全体 >"$T/drawn"
is "a draw over all $(wc -l <"$T/latest") graded subjects: each in its latest grade" \
	"$(diff "$T/latest" "$T/drawn" | head -5)" ""
ok "db check" xy db check
if [ "$XY_BACKEND" = sqlite ]; then
	# (the SQLite backend's own test: the map removed behind xinyong's back, then rebuilt
	# by the next run; q is the sqlite3 shell on the file)
	q() { sqlite3 "$XINYONG_DB" "$@"; }
	q "delete from grade_latest"
	drawn "$T/all.tsv" 无映射 >"$T/drawn2"
	is "without the map (SQLite): the same grades, read from every run" \
		"$(diff "$T/latest" "$T/drawn2" | head -5)" ""
	ok "grade run rebuilds it" xy grade run --date 2019-10-31
	is "… one map" "$(q "select count(*) from grade_latest")" 1
	ok "… db check" xy db check
	latest >"$T/latest3"
	drawn "$T/all.tsv" 重建 >"$T/drawn3"
	is "… a draw in each latest grade" "$(diff "$T/latest3" "$T/drawn3" | head -5)" ""
fi
