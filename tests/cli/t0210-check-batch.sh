#!/bin/sh
# The batch check (issue 4): `xinyong check --file` on a bidders' file — a listed
# employer, its 法定代表人's 身份证号, a clean subject, an unknown code and an invalid
# one, in UTF-8 and GB18030; the rows, the summary, what is logged, bad input.
. "$(dirname "$0")/lib.sh"

LT=拖欠农民工工资失信联合惩戒对象名单
CO=91210802MA0XYQA01T   # the listed employer
CO2=91210802MA0XYQB02K  # a clean enterprise: its only entry has ended
REP=21080219850612103X  # the employer's 法定代表人
DOC='营人社欠薪〔2026〕1号'

ok "init" xy init
ok "list the employer with its 法定代表人" xy list add --type $LT --subject $CO --name 营口某建筑工程有限公司 \
	--unit 人社局 --doc "$DOC" --from 2026-06-01 --person 法定代表人:$REP:张某
# a clean subject: registered by an entry that has already ended
ok "a subject whose only entry ended" xy list add --type 重点关注名单 --subject $CO2 --name 营口某商贸有限公司 \
	--unit 发改委 --doc 营发改关注〔2026〕3号 --from 2025-01-01 --to 2025-12-31

# the bidders: lower case and a hyphen in the employer's code, the person, the clean
# subject, an unknown valid code, an invalid code (check character)
cat >"$T/bidders.csv" <<CSV
序号,投标人名称,统一社会信用代码
1,营口某建筑工程有限公司,91210802ma0xyqa01-t
2,张某,$REP
3,营口某商贸有限公司,$CO2
4,未登记公司,91210802MA0XYQC03C
5,错号公司,91210802MA0XYQA01X
CSV
j=$(xy check --file "$T/bidders.csv" --unit 财政局 --matter 政府采购 --format json)
is "one JSON line per row plus the summary" "$(echo "$j" | wc -l | tr -d ' ')" 6
r1=$(echo "$j" | sed -n 1p)
is "row 1: fields in order" "$(echo "$r1" | jq_keep_order -c 'keys_unsorted')" '["row","code","name","found","check_id","answer","entries","measures"]'
is "row 1: normalised code, stored name, found, 有" "$(echo "$r1" | jq -r '[.row, .code, .name, .found, .answer] | join(" ")')" "2 $CO 营口某建筑工程有限公司 true 有"
is "row 1: measure 7, as in the single check" "$(echo "$r1" | jq -c '[.measures[] | .number, .memorandum, .triggered_by, .list_type]')" "[7,\"营发改信用〔2019〕266号\",\"$DOC\",\"$LT\"]"
is "row 1: the entry, own" "$(echo "$r1" | jq -r '.entries[0] | .list_type + " " + .via + " " + .from + " " + .to')" "$LT own 2026-06-01 2027-06-01"
single=$(xy check $CO --unit 财政局 --matter 政府采购 --format json)
is "row 1: entries and measures equal the single check's" "$(echo "$r1" | jq -c '[.entries, .measures]')" "$(echo "$single" | jq -c '[.entries, .measures]')"
C1=$(echo "$r1" | jq -r .check_id)
r2=$(echo "$j" | sed -n 2p)
is "row 2: the 法定代表人: entry through the link, no unit measure for 财政局" \
	"$(echo "$r2" | jq -c '[.code, .found, .answer, .check_id, .entries[0].via, .entries[0].through, (.measures | length)]')" \
	"[\"$REP\",true,\"无\",null,\"person\",\"$CO\",0]"
is "row 3: clean" "$(echo "$j" | sed -n 3p | jq -c '[.code, .name, .found, .answer, .entries, .measures]')" \
	"[\"$CO2\",\"营口某商贸有限公司\",true,\"无\",[],[]]"
is "row 4: a valid code never reported: 无 with found false, the name from the file" "$(echo "$j" | sed -n 4p | jq -c '[.code, .name, .found, .answer, .check_id]')" \
	'["91210802MA0XYQC03C","未登记公司",false,"无",null]'
r5=$(echo "$j" | sed -n 5p)
is "row 5: invalid: the code as given, 无效" "$(echo "$r5" | jq -c '[.row, .code, .found, .answer]')" '[6,"91210802MA0XYQA01X",false,"无效"]'
like "row 5: the reason" "$(echo "$r5" | jq -r .error)" "校验"
is "summary" "$(echo "$j" | sed -n 6p | jq -c '.summary | [.rows, .checked, .with_measures, .clean, .unknown, .invalid, .encoding, .date, .unit, .matter]')" \
	'[5,3,1,2,1,1,"utf-8","2026-11-26","财政局","政府采购"]'
# (that its stored answer names the file: test_credit check_file_logs_the_file, through the store,
# as the answer is kept encrypted)
is "one check logged (the row with measures)" "$(xy checks "$C1" --format json | jq .check_id)" "$C1"
is "checks logged: the batch's one + the single check" "$(rows checks)" 2
ok "feedback on the batch's check" xy feedback $C1 --unit 财政局 --applied 7 --result 取消其投标资格
is "… recorded" "$(xy checks "$C1" --format json | jq -r --arg c "$C1" '.feedback[] | $c + " " + (.number | tostring)')" "$C1 7"

# GB18030: the same file, same answer
iconv -f UTF-8 -t GB18030 "$T/bidders.csv" >"$T/bidders-gb.csv"
g=$(xy check --file "$T/bidders-gb.csv" --unit 财政局 --matter 政府采购 --format json)
is "GB18030: same rows" "$(echo "$g" | sed '$d' | jq -c 'del(.check_id)')" "$(echo "$j" | sed '$d' | jq -c 'del(.check_id)')"
is "GB18030: detected" "$(echo "$g" | tail -1 | jq -r .summary.encoding)" gb18030

# table mode
t=$(xy check --file "$T/bidders.csv" --unit 财政局 --matter 政府采购)
like "table: the listed employer with measure 7" "$t" "$CO +营口某建筑工程有限公司 +有 \(check [0-9]+\): 营发改信用〔2019〕266号 第7项"
like "table: unknown answered 无" "$t" "91210802MA0XYQC03C +未登记公司 +无"
like "table: invalid with reason" "$t" "错号公司 +无效 91210802MA0XYQA01X: "
like "table: summary" "$t" "5 rows: 3 checked \(1 with measures, 2 clean\), 1 未找到, 1 无效"

# bare codes, no header
printf '%s\n%s\n' "$CO" "$CO2" >"$T/bare.csv"
is "a file of bare codes: the first line is data" \
	"$(xy check --file "$T/bare.csv" --unit 财政局 --matter zfcg --format json | jq -rc 'select(.row) | .answer' | tr '\n' ' ')" "有 无 "
# column 证件号码 not first
printf '姓名,证件号码\n张某,%s\n' "$REP" >"$T/persons.csv"
is "the 证件号码 column by name" "$(xy check --file "$T/persons.csv" --unit 人社局 --matter 公务员招录 --format json | head -1 | jq -c '[.code, [.measures[].number]]')" "[\"$REP\",[28]]"

# bad input: errors, nothing logged
before=$(rows checks)
fails "unknown unit" 1 xy check --file "$T/bidders.csv" --unit 不存在局
like "… message" "$(cat "$T/.err")" "unknown unit"
fails "unknown matter" 1 xy check --file "$T/bidders.csv" --unit 财政局 --matter 买菜
like "… message" "$(cat "$T/.err")" "unknown matter"
: >"$T/empty.csv"
fails "empty file" 1 xy check --file "$T/empty.csv" --unit 财政局
like "… clear message" "$(cat "$T/.err")" "empty|no subjects"
printf '序号,统一社会信用代码\n' >"$T/header.csv"
fails "only a header" 1 xy check --file "$T/header.csv" --unit 财政局
like "… clear message" "$(cat "$T/.err")" "no subjects to check"
fails "missing file" 1 xy check --file "$T/nope.csv" --unit 财政局
fails "--file and a subject is a usage error" 2 xy check $CO --file "$T/bidders.csv" --unit 财政局
fails "--file without --unit is a usage error" 2 xy check --file "$T/bidders.csv"
is "nothing logged by bad batches" "$(rows checks)" "$before"
