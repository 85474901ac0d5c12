#!/bin/sh
# Imported rows of 失信主体以注销、吊销等形式退出黑名单 that name the 文书号 of one of the
# subject's own black-list entries exit it (注销/吊销 from 内容, on the row's 日期), counted once
# (the row); other rows stay records; problems are told and change no entry.
# Generated codes: made-up enterprises with valid USCCs.
. "$(dirname "$0")/lib.sh"

LT=拖欠农民工工资失信联合惩戒对象名单
CO=91210802MA0XYQA01T
CO2=91210802MA0XYQB02K
CO3=91210802MA0XYQC03C
HDR=决定文书号,企业名称,统一社会信用代码,名单名称,认定单位,列入日期,截止日期,事由,法定代表人,法定代表人身份证号
XHDR=决定文书号,企业名称,统一社会信用代码,名单名称,决定日期,内容
col() { # UNIT CATEGORY FROM TO: the department table's cell
	xy stats --from "$3" --to "$4" --by department --format json |
		jq -r --arg u "$1" --arg c "$2" '.rows[] | select(.["部门名称"] == $u) | .[$c]'
}
entry() { # DOC: "ID EXIT EXIT-DATE" of the entry of that 文书号 ("-" for none)
	xy list show --all --format json |
		jq -r --arg d "$1" '.entries[] | select(.doc == $d) | "\(.entry) \(.exit // "-") \(.exit_date // "-")"'
}
exits() { xy list show --all --format json | jq -c '[.entries[] | [.exit, .exit_date]]'; }

ok "init" xy init
{
	echo "$HDR"
	echo "营人社欠薪〔2026〕1号,营口某建筑工程有限公司,$CO,$LT,人社局,2026-06-01,,欠薪,,"
	echo "营人社欠薪〔2026〕2号,营口另一建筑公司,$CO2,$LT,人社局,2026-06-01,,欠薪,,"
	echo "营人社欠薪〔2026〕3号,营口某装饰公司,$CO3,$LT,人社局,2026-06-01,,欠薪,,"
} >"$T/black.csv"
is "three entries from the import" "$(xy import --unit 人社局 --category 地方发布黑名单 --format json "$T/black.csv" | jq -r .list_entries.created)" 3
E1=$(entry 营人社欠薪〔2026〕1号 | cut -d' ' -f1)

# --- an exit file: one row that exits, one naming no entry, one that does not say how
{
	echo "$XHDR"
	echo "营人社欠薪〔2026〕1号,营口某建筑工程有限公司,$CO,$LT,2026-11-10,企业已注销，退出黑名单"
	echo "营人社欠薪〔2025〕9号,营口另一建筑公司,$CO2,$LT,2026-11-10,营业执照被吊销"
	echo "营人社欠薪〔2026〕3号,营口某装饰公司,$CO3,$LT,2026-11-10,已退出"
} >"$T/exit.csv"
j=$(xy import --unit 人社局 --category 失信主体以注销、吊销等形式退出黑名单 --reported-on 2026-11 --format json "$T/exit.csv" 2>"$T/w1")
is "import: three records, one entry exited, one problem" "$(echo "$j" | jq -c '[.new, .list_entries.exited, .list_entries.problems]')" "[3,1,1]"
like "… the warning names the record and the field" "$(cat "$T/w1")" "营人社欠薪〔2026〕3号.*NR.*neither 注销 nor 吊销"
is "the named entry exited 注销 on the row's date" "$(entry 营人社欠薪〔2026〕1号)" "$E1 注销 2026-11-10"
is "the row naming no entry of the subject changes nothing" "$(entry 营人社欠薪〔2026〕2号 | cut -d' ' -f2-)" "- -"
is "the row not saying how changes nothing" "$(entry 营人社欠薪〔2026〕3号 | cut -d' ' -f2-)" "- -"
is "history: 列入, 注销" "$(xy list show --all --type $LT --format json | jq -r --argjson e "$E1" '.entries[] | select(.entry == $e) | [.history[].action] | join(",")')" "列入,注销"
is "counted once in 退出黑名单: the three rows, no exit record of its own" "$(col 人社局 失信主体以注销、吊销等形式退出黑名单 2026-11 2026-11)" 3
is "no exit-N record was written: 3 rows listed, 3 of exits" "$(rows records)" 6
is "the check no longer finds the entry after the exit" "$(xy check $CO --unit 财政局 --matter 政府采购 --date 2026-11-10 --format json | jq -r .answer)" 无
is "… but the day before it did" "$(xy check $CO --unit 财政局 --matter 政府采购 --date 2026-11-09 --format json | jq -c '[.measures[].number]')" "[7]"

# --- again: idempotent
j=$(xy import --unit 人社局 --category 失信主体以注销、吊销等形式退出黑名单 --reported-on 2026-11 --format json "$T/exit.csv" 2>/dev/null)
is "re-import: nothing exits again" "$(echo "$j" | jq -c '[.unchanged, .list_entries.exited]')" "[3,0]"
is "still one history line 注销" "$(xy list show --all --format json | jq '[.entries[].history[] | select(.action == "注销")] | length')" 1

# --- list exit 吊销 writes its own record; a sync links it without a problem
E2=$(entry 营人社欠薪〔2026〕2号 | cut -d' ' -f1)
ok "list exit 吊销" xy list exit "$E2" --how 吊销 --date 2026-11-20
j=$(xy list sync --format json)
is "list sync: the exit record is linked, only the old problem remains" "$(echo "$j" | jq -c '[.unchanged, .exited, .problems]')" "[1,0,1]"
is "… the entry keeps its 吊销" "$(entry 营人社欠薪〔2026〕2号 | cut -d' ' -f2-)" "吊销 2026-11-20"

# --- a row that contradicts the recorded exit, and one before the start: problems, no change
before=$(exits)
{
	echo "$XHDR"
	echo "营人社欠薪〔2026〕2号,营口另一建筑公司,$CO2,$LT,2026-11-25,企业注销"
	echo "营人社欠薪〔2026〕3号,营口某装饰公司,$CO3,$LT,2026-05-01,营业执照被吊销"
} >"$T/exit2.csv"
j=$(xy import --unit 人社局 --category 失信主体以注销、吊销等形式退出黑名单 --reported-on 2026-11 --format json "$T/exit2.csv" 2>"$T/w2")
is "two problems (the row 3号 replaced by its new version), nothing exited" "$(echo "$j" | jq -c '[.list_entries.exited, .list_entries.problems]')" "[0,2]"
like "… already exited" "$(cat "$T/w2")" "already exited \(吊销 on 2026-11-20\)"
like "… before the start" "$(cat "$T/w2")" "not a date on or after the entry's start 2026-06-01"
is "the entries are unchanged" "$(exits)" "$before"
