#!/bin/sh
# 双随机、一公开 (issue 12): plan add/show, a draw from a subjects file and a
# public random value, verify OK, a tampered input named by verify, results,
# a penalty that becomes a 行政处罚 record through the import path, export,
# and the report showing lower grades drawn more.
. "$(dirname "$0")/lib.sh"

PEN=91210803MADE2UMA8E   # the sample penalty's subject (generated)
cat >"$T/plan.json" <<'J'
{"name":"2026年第一批双随机抽查（示例）","unit":"市场监管局",
 "items":[{"item":"营业执照公示信息","basis":"《企业信息公示暂行条例》","method":"书面检查"}],
 "ratios":{"A":0.03,"B":"5%","C":0.2,"D":1},"team_size":2,"not_own_district":true,
 "inspectors":[
  {"name":"检查员01","unit":"市场监管局","district":"站前区","links":["S0003"]},
  {"name":"检查员02","unit":"市场监管局","district":"西市区"},
  {"name":"检查员03","unit":"市场监管局","district":"老边区"},
  {"name":"检查员04","unit":"市场监管局","district":"站前区"}]}
J
# 100 A, 100 B, 50 C, 9 + 1 D (one of them the penalty's subject), districts cycling
{
	printf '主体代码\t等级\t区域\n'
	i=1
	while [ $i -le 259 ]; do
		if [ $i -le 100 ]; then g=A; elif [ $i -le 200 ]; then g=B; elif [ $i -le 250 ]; then g=C; else g=D; fi
		case $((i % 3)) in 0) d=站前区 ;; 1) d=西市区 ;; 2) d=老边区 ;; esac
		printf 'S%04d\t%s\t%s\n' $i $g $d
		i=$((i + 1))
	done
	printf '%s\tD\t鲅鱼圈区\n' $PEN
} >"$T/subjects.tsv"

ok "init" xy init
ok "plan add" xy inspect plan add "$T/plan.json"
like "… numbered" "$(cat "$T/.out")" "检查计划 1 已登记"
ok "plan show" xy inspect plan show 1
like "… the canonical text" "$(cat "$T/.out")" '"ratios_bp":{"A":300,"B":500,"C":2000,"D":10000}'
fails "a plan without items is refused" 1 xy inspect plan add /dev/null
sed 's/"team_size":2/"team_size":9/' "$T/plan.json" >"$T/bad.json"
fails "a team larger than the pool is refused" 1 xy inspect plan add "$T/bad.json"
like "… naming the field" "$(cat "$T/.err")" "team_size"

# a plan whose conflicts cannot be met fails before drawing
sed 's/"team_size":2/"team_size":4/' "$T/plan.json" >"$T/four.json"
ok "four-member plan added" xy inspect plan add "$T/four.json"
fails "… its draw is refused" 1 xy inspect draw 2 --subjects "$T/subjects.tsv" --random 'x'
like "… naming the subject and why" "$(cat "$T/.err")" "无利益冲突的检查人员仅"
is "… nothing stored" "$(rows inspect_draws)" 0

ok "draw" xy inspect draw 1 --subjects "$T/subjects.tsv" --random '2026-11-25 福彩3D 417'
is "… stored" "$(rows inspect_draws)" 1
is "… audit-logged" "$(auditlog inspect.draw | wc -l)" 1
# the database itself refuses to change a draw behind xinyong's back: each backend's trigger
# (the SQLite branch is the SQLite backend's own test: the sqlite3 shell on the file)
if [ "$XY_BACKEND" = sqlite ]; then
	q() { sqlite3 "$XINYONG_DB" "$@"; }
	fails "a draw cannot be changed (the trigger: SQLITE_CONSTRAINT)" 19 q "update inspect_draws set random = 'y'"
	fails "nor deleted" 19 q "delete from inspect_draws"
else
	fails "a draw cannot be changed (the trigger)" 1 pg_sql "update inspect_draws set random = 'y'"
	fails "nor deleted" 1 pg_sql "delete from inspect_draws"
	like "… by the trigger" "$(cat "$T/.err")" "inspect_draws is append-only"
fi
is "… still there" "$(rows inspect_draws)" 1
ok "verify" xy inspect verify 1
like "… identical" "$(cat "$T/.out")" "一致"

# the same inputs in a second database give the same bytes
ok "export" xy inspect export 1 --dir "$T/pub"
is "… the audit entry's after is the draw text's SHA-256" \
	"$(auditlog inspect.draw | jq -r .after)" "$(sha256sum <"$T/pub/draw.txt" | cut -c1-64)"
ok "verify the bundle without the database" env XINYONG_DB=/nonexistent/x.db "$XINYONG" inspect verify --inputs "$T/pub"
cp -r "$T/pub" "$T/tampered"
awk 'NR == 3 { sub(/\tA\t/, "\tB\t") } { print }' "$T/pub/population.tsv" >"$T/tampered/population.tsv"
fails "a tampered population fails" 1 "$XINYONG" inspect verify --inputs "$T/tampered"
like "… naming the population digest" "$(cat "$T/.out")" "抽查对象名单的 SHA-256 不同"
like "… and a target" "$(cat "$T/.out")" "对象 S"
cp "$T/pub/population.tsv" "$T/tampered/population.tsv"
echo 'another value' >"$T/tampered/random.txt"
fails "another random value fails" 1 "$XINYONG" inspect verify --inputs "$T/tampered"
like "… naming it" "$(cat "$T/.out")" "公开随机数不同"

# targets: key counts per grade (3 A, 5 B, 10 C, 10 D)
tg() { grep -c "^target	[^	]*	$1	" "$T/pub/draw.txt"; }
like "3 % of A" "$(tg A)" "^3$"
like "5 % of B" "$(tg B)" "^5$"
like "20 % of C" "$(tg C)" "^10$"
like "all D" "$(tg D)" "^10$"
like "检查员01 never inspects S0003" "$(grep '^target	S0003	' "$T/pub/draw.txt" | grep -c 检查员01)" "^0$"

# results
A1=$(awk -F'\t' '$1 == "target" && $3 == "A" { print $2; exit }' "$T/pub/draw.txt")
C1=$(awk -F'\t' '$1 == "target" && $3 == "C" { print $2; exit }' "$T/pub/draw.txt")
ok "result 未发现问题" xy inspect result 1 "$A1" 未发现问题
ok "result 责令整改" xy inspect result 1 "$C1" 责令整改
fails "an unknown outcome" 1 xy inspect result 1 "$C1" 随便
like "… names the field" "$(cat "$T/.err")" "检查结果"
fails "a subject not drawn" 1 xy inspect result 1 S9999 未发现问题
fails "a second result for one target" 1 xy inspect result 1 "$A1" 责令整改
head -2 "$SAMPLES/市场监管局-行政处罚-2019-10.csv" >"$T/penalty.csv"
n0=$(rows records batches)
ok "result 立案查处 with a penalty" xy inspect result 1 $PEN 立案查处 --penalty "$T/penalty.csv"
is "… a 行政处罚 record came in, through a batch" "$(rows records batches)" "$((${n0% *} + 1)) $((${n0#* } + 1))"
is "… the batch's" "$(batchlist | head -1 | jq -r '"\(.category) \(.new)"')" "行政处罚 1"

ok "export with results" xy inspect export 1 --dir "$T/pub2"
like "results.csv" "$(cat "$T/pub2/results.csv")" "$PEN,立案查处"
like "draw.csv" "$(cat "$T/pub2/draw.csv")" "主体代码,等级,类型,检查组"

ok "report" xy inspect report 1 --format json
like "… A drawn 3 of 100" "$(cat "$T/.out")" '"grade":"A","in_scope":100,"drawn":3,'
like "… D all drawn, 1 problem" "$(cat "$T/.out")" '"grade":"D","in_scope":10,"drawn":10,"inspected":1,"problems":1'
ok "report as a table" xy inspect report
like "… per unit" "$(cat "$T/.out")" "单位 市场监管局"
