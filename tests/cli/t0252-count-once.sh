#!/bin/sh
# A decision is counted once whether the unit enters it (`list add`, `list exit`), reports it
# in its import, or both, in either order: the credit action's record is keyed by the
# decision's 文书号 as the unit's own row is, so the later one updates it instead of counting
# it again.  Generated codes: made-up enterprises with valid USCCs.
. "$(dirname "$0")/lib.sh"

LT=拖欠农民工工资失信联合惩戒对象名单
CO=91210802MA0XYQA01T
CO2=91210802MA0XYQB02K
CO3=91210802MA0XYQC03C
HDR=决定文书号,企业名称,统一社会信用代码,名单名称,认定单位,列入日期,截止日期,事由
XHDR=决定文书号,企业名称,统一社会信用代码,名单名称,决定日期,内容
D1=营人社欠薪〔2026〕11号
D2=营人社欠薪〔2026〕12号
D3=营人社欠薪〔2026〕13号
col() { # CATEGORY: 人社局's cell of the department table for 2026-11 (the tests' today)
	xy stats --from 2026-11 --to 2026-11 --by department --format json |
		jq -r --arg c "$1" '.rows[] | select(.["部门名称"] == "人社局") | .[$c]'
}
entries() { # DOC: "TYPE:EXIT " of each entry of that 文书号, by entry id
	xy list show --all --format json |
		jq -j --arg d "$1" '.entries | sort_by(.entry)[] | select(.doc == $d) | "\(.list_type):\(.exit // "-") "'
}
keyed() { # SUBJECT KEY [CATEGORY]: how many of SUBJECT's records are keyed KEY
	xy show "$1" --format json |
		jq --arg k "$2" --arg c "${3:-}" '[.records[] | select(.key == $k and ($c == "" or .category == $c))] | length'
}
BL=地方发布黑名单
EX=失信主体以注销、吊销等形式退出黑名单

ok "init" xy init
ok "register the enterprises" xy list add --type 重点关注名单 --subject $CO3 --name 营口某装饰公司（示例） --unit 发改委 --doc 示例-0 --from 2026-01-01

# --- entered first, reported later
j=$(xy list add --type $LT --subject $CO --name 营口某建筑工程有限公司（示例） --unit 人社局 --doc $D1 --from 2026-11-02 --reason 拖欠工资 --format json)
is "list add: counted in 地方发布黑名单" "$(echo "$j" | jq -c .counted)" "{\"$BL\":1}"
E1=$(echo "$j" | jq -r .entry)
is "… its record is keyed by the 文书号" "$(keyed $CO "$D1")" 1
is "department table: 1" "$(col $BL)" 1
{
	echo "$HDR"
	echo "$D1,营口某建筑工程有限公司（示例）,$CO,,人社局,2026-11-02,,拖欠农民工工资"
	echo "$D2,营口另一建筑公司（示例）,$CO2,,人社局,2026-11-05,,拖欠农民工工资"
} >"$T/black.csv"
j=$(xy import --unit 人社局 --category $BL --reported-on 2026-11 --format json "$T/black.csv")
is "the import: one new, the entered one updated" "$(echo "$j" | jq -c '[.new, .updated]')" "[1,1]"
is "department table: 2 decisions, 2 counted" "$(col $BL)" 2
is "the entered decision keeps its list type (the row names none) and one entry" "$(entries $D1)" "$LT:- "
is "… the entry is the one list add made" "$(xy list show --all --format json | jq -r --arg d "$D1" '.entries[] | select(.doc == $d) | .entry')" "$E1"
is "… with the reported reason as a correction in its history" "$(xy list show --all --type $LT --format json | jq -r --argjson e "$E1" '.entries[] | select(.entry == $e) | .reason')" 拖欠农民工工资
is "the other row: an entry of the category's own type" "$(entries $D2)" "$BL:- "
is "the check still finds measure 7 for the entered decision" "$(xy check $CO --unit 财政局 --matter 政府采购 --date 2026-11-10 --format json | jq -c '[.measures[].number]')" "[7]"
j=$(xy import --unit 人社局 --category $BL --reported-on 2026-11 --format json "$T/black.csv")
is "re-import: unchanged" "$(echo "$j" | jq -c '[.new, .updated, .unchanged]')" "[0,0,2]"
is "… still 2" "$(col $BL)" 2

# --- reported first, entered later (with the type the row did not name)
{
	echo "$HDR"
	echo "$D3,营口某装饰公司（示例）,$CO3,,人社局,2026-11-06,,拖欠农民工工资"
} >"$T/black3.csv"
ok "import the third decision" xy import --unit 人社局 --category $BL --reported-on 2026-11 "$T/black3.csv"
is "department table: 3" "$(col $BL)" 3
out=$(xy list add --type $LT --subject $CO3 --unit 人社局 --doc $D3 --from 2026-11-06)
like "list add of a decision already reported: says it is not counted again" "$out" "not counted again: 人社局 already reported this decision \\($BL\\)"
is "… an entry of the named type next to the imported one" "$(entries $D3)" "$BL:- $LT:- "
is "department table: still 3" "$(col $BL)" 3
is "the imported record is left as reported" "$(xy show $CO3 --format json | jq -r --arg k "$D3" '.records[] | select(.key == $k) | .data.NR')" 拖欠农民工工资

# --- the same 文书号 naming another enterprise: another decision, counted
j=$(xy list add --type $LT --subject $CO2 --unit 人社局 --doc $D1 --from 2026-11-02 --format json)
is "same 文书号, other subject: counted" "$(echo "$j" | jq -c .counted)" "{\"$BL\":1}"
is "… under a key of its own" "$(keyed $CO2 "entry-$(echo "$j" | jq -r .entry)")" 1
is "department table: 4" "$(col $BL)" 4

# --- exits: entered, then reported
j=$(xy list exit $E1 --how 注销 --date 2026-11-20 --format json)
is "list exit 注销: counted in 退出黑名单" "$(col $EX)" 1
is "… keyed by the entry's 文书号" "$(keyed $CO "$D1" "$EX")" 1
{
	echo "$XHDR"
	echo "$D1,营口某建筑工程有限公司（示例）,$CO,$LT,2026-11-20,企业已注销，退出黑名单"
} >"$T/exit.csv"
j=$(xy import --unit 人社局 --category $EX --reported-on 2026-11 --format json "$T/exit.csv")
is "the exit reported as well: an update, no problem" "$(echo "$j" | jq -c '[.new, .updated, .list_entries.problems]')" "[0,1,0]"
is "退出黑名单: still 1" "$(col $EX)" 1
is "the entry exited once" "$(entries $D1 | cut -d' ' -f1)" "$LT:注销"

# --- exits: reported, then the entry cannot be exited twice
E3=$(xy list show --all --format json | jq -r --arg d "$D3" --arg t "$LT" '.entries[] | select(.doc == $d and .list_type == $t) | .entry')
{
	echo "$XHDR"
	echo "$D3,营口某装饰公司（示例）,$CO3,,2026-11-21,营业执照被吊销"
} >"$T/exit3.csv"
j=$(xy import --unit 人社局 --category $EX --reported-on 2026-11 --format json "$T/exit3.csv" 2>"$T/w3")
is "a reported exit naming a 文书号 with two entries of the subject (both types): told, nothing exited" "$(echo "$j" | jq -c '[.new, .list_entries.exited, .list_entries.problems]')" "[1,0,1]"
ok "the office exits the entered one" xy list exit $E3 --how 吊销 --date 2026-11-21
is "… not counted again: the unit reported it" "$(col $EX)" 2

# --- the unit's report names another enterprise for a 文书号 the office entered: the report of
# the designating unit (谁认定谁负责) corrects the entry, the entered one is withdrawn (撤销)
D4=营人社欠薪〔2026〕14号
ok "enter a fourth decision" xy list add --type $LT --subject $CO --unit 人社局 --doc $D4 --from 2026-11-03
{
	echo "$HDR"
	echo "$D4,营口另一建筑公司（示例）,$CO2,,人社局,2026-11-03,,拖欠农民工工资"
} >"$T/black4.csv"
j=$(xy import --unit 人社局 --category $BL --reported-on 2026-11 --format json "$T/black4.csv")
is "the report updates the entered record" "$(echo "$j" | jq -c '[.new, .updated, .list_entries.withdrawn, .list_entries.created]')" "[0,1,1,1]"
is "the entered entry is withdrawn, the reported enterprise listed with the entered type" "$(entries $D4)" "$LT:撤销 $LT:- "
is "… and counted once (5 decisions)" "$(col $BL)" 5
