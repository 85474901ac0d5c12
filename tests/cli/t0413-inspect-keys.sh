#!/bin/sh
# What a draw reads from the store besides the subjects file (issue 12,
# docs/inspection.md): key supervision from the black lists in force today (an
# expired, an exited and a red-list entry do not count), subjects with a result
# within exclude_months left out, and each subject's grade from its latest
# grading run when a later run graded it otherwise.  These are read once per
# draw, not once per subject (bench/draw.sh), so each rule is checked here.
. "$(dirname "$0")/lib.sh"

export XINYONG_TODAY=2019-10-31
"$XY_BUILD/bench/xy-gen" --rows 12 --subjects 12 --seed 3 -o "$T/cf.csv"
ok "import 12 subjects" xy import --unit 市场监管局 --category 行政处罚 --reported-on 2019-10 "$T/cf.csv"
# legal persons only (their code is the USCC the file names)
awk -F, 'NR > 1 && $3 != "" { print $3 }' "$T/cf.csv" | head -n 8 >"$T/codes"
S1=$(sed -n 1p "$T/codes") S2=$(sed -n 2p "$T/codes") S3=$(sed -n 3p "$T/codes")
S4=$(sed -n 4p "$T/codes")
like "four subjects" "$S1 $S2 $S3 $S4" "^[0-9A-Z]{18} [0-9A-Z]{18} [0-9A-Z]{18} [0-9A-Z]{18}$"
ok "S1 on a black list in force" xy list add --type 地方发布黑名单 --subject "$S1" --unit 发改委 \
	--doc HMD-1 --from 2019-01-01 --to 2020-12-31
ok "S2 on a black list that expired" xy list add --type 地方发布黑名单 --subject "$S2" \
	--unit 发改委 --doc HMD-2 --from 2017-01-01 --to 2017-12-31
ok "S3 on a black list it exited" xy list add --type 地方发布黑名单 --subject "$S3" --unit 发改委 \
	--doc HMD-3 --from 2019-01-01 --to 2020-12-31 --format json
ok "… the exit" xy list exit "$(jq .entry "$T/.out")" --how 修复 --date 2019-06-01
ok "S4 on a red list" xy list add --type 地方发布红名单 --subject "$S4" --unit 发改委 \
	--doc HONG-4 --from 2019-01-01 --to 2020-12-31

# ratios 0: only the key subjects are drawn
plan() { # NAME EXCLUDE_MONTHS
	printf '{"name":"%s","unit":"市场监管局","items":[{"item":"营业执照公示信息","basis":"《企业信息公示暂行条例》","method":"书面检查"}],"ratios":{"A":0,"B":0,"C":0,"D":0},"exclude_months":%s,"team_size":1,"inspectors":[{"name":"检查员01","unit":"市场监管局"}]}\n' "$1" "$2" >"$T/$1.json"
	xy inspect plan add "$T/$1.json" --format json | jq .plan
}
{ printf '主体代码\t等级\n'; awk '{ print $0 "\tB" }' "$T/codes"; } >"$T/subjects.tsv"
P1=$(plan keys 0)
ok "draw" xy inspect draw "$P1" --subjects "$T/subjects.tsv" --random r1 --format json
D1=$(jq .draw "$T/.out")
ok "… export" xy inspect export "$D1" --dir "$T/d1"
is "only S1 is a key subject, and it is drawn" \
	"$(awk -F'\t' '$1 == "target" { print $2 $4 }' "$T/d1/draw.txt")" "${S1}重点"
is "… the population marks it, and only it" \
	"$(awk -F'\t' '$4 == 1 { print $1 }' "$T/d1/population.tsv")" "$S1"
ok "a result for S1" xy inspect result "$D1" "$S1" 责令整改

P2=$(plan recent 6)
ok "draw with exclude_months 6" xy inspect draw "$P2" --subjects "$T/subjects.tsv" --random r2 --format json
ok "… export" xy inspect export "$(jq .draw "$T/.out")" --dir "$T/d2"
is "S1, inspected since, is left out" "$(grep -c "^$S1	" "$T/d2/population.tsv")" 0
is "… the other seven are in" "$(($(wc -l <"$T/d2/population.tsv") - 1))" 7
ok "draw with exclude_months 0" xy inspect draw "$P1" --subjects "$T/subjects.tsv" --random r3 --format json
ok "… export" xy inspect export "$(jq .draw "$T/.out")" --dir "$T/d3"
is "… S1 is in again" "$(grep -c "^$S1	" "$T/d3/population.tsv")" 1

# grades from the latest run: the default model, then one that grades all A
ok "grade run" xy grade run --date 2019-10-31
S1G=$(xy grade show "$S1" --format json | jq -r .grade)
is "S1 graded D (forced by the black list)" "$S1G" D
sed -e 's/^band\tA\t90\t100/band\tA\t0\t100/' -e '/^band\t[BCD]/d' -e '/^force/d' \
	"$ROOT/data/grade-model.tsv" >"$T/all-a.tsv"
ok "grade run with a model grading all A" xy grade run --date 2019-10-31 --model "$T/all-a.tsv"
{ printf '主体代码\n'; cat "$T/codes"; } >"$T/ungraded.tsv"
ok "draw without 等级" xy inspect draw "$P1" --subjects "$T/ungraded.tsv" --random r4 --format json
D4=$(jq .draw "$T/.out")
ok "… export" xy inspect export "$(jq .draw "$T/.out")" --dir "$T/d4"
is "every subject takes its latest run's grade (A), S1 too" \
	"$(awk -F'\t' 'NR > 1 { print $2 }' "$T/d4/population.tsv" | sort -u)" A
ok "verify" xy inspect verify "$D4"
