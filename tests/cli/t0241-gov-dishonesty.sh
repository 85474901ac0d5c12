#!/bin/sh
# Government dishonesty (政府失信, issue 4): entries against government bodies, the 治理
# history, the status as of dates, the region table's 政府失信未治理 column (one entry
# governed before the period's end, one after), and bad input that changes nothing.
. "$(dirname "$0")/lib.sh"

G1=11210802MB0000001U   # government bodies (generated, valid USCC, authority 1 机构编制)
G2=11210882MB0000002T
G3=11210881MB0000003F
CO=91210802MA0XYQA01T   # an enterprise: not a government body
snap() { rows gov_dishonesty gov_dishonesty_history subjects; }
col() { # stats region csv: the 政府失信未治理 cell of unit $3 for $1..$2
	xy stats --from "$1" --to "$2" --by region --format csv | tr -d '\r' | awk -F, -v u="$3" '$1 == u { print $3 }'
}

ok "init" xy init
for c in $G1 $G2 $G3; do
	like "$c is a valid USCC" "$(xy id $c --format json)" '"valid":true'
done

# bad adds: nothing written
s0=$(snap)
fails "unknown body without a name" 1 xy gov-dishonesty add --body $G1 --district 站前区 --case-type 拖欠企业账款 --source S1
like "… says so" "$(cat "$T/.err")" "unknown subject '$G1'"
fails "a non-government USCC as the body" 1 xy gov-dishonesty add --body $CO --body-name 营口某建筑工程有限公司 --district 站前区 --case-type 拖欠企业账款 --source S1
like "… says why" "$(cat "$T/.err")" "is not a government body: its 统一社会信用代码 must start with 1"
fails "unknown district" 1 xy gov-dishonesty add --body $G1 --body-name 营口市站前区某局（示例） --district 火星区 --case-type 拖欠企业账款 --source S1
like "… names it" "$(cat "$T/.err")" "unknown unit '火星区'"
fails "a department is not a district" 1 xy gov-dishonesty add --body $G1 --body-name 营口市站前区某局（示例） --district 财政局 --case-type 拖欠企业账款 --source S1
like "… says so" "$(cat "$T/.err")" "not a county or park"
fails "unknown case type" 1 xy gov-dishonesty add --body $G1 --body-name 营口市站前区某局（示例） --district 站前区 --case-type 欠钱 --source S1
like "… lists the known ones" "$(cat "$T/.err")" "unknown case type '欠钱'.*拖欠企业账款"
fails "a bad amount" 1 xy gov-dishonesty add --body $G1 --body-name 营口市站前区某局（示例） --district 站前区 --case-type 拖欠企业账款 --source S1 --amount 12,5
like "… names it" "$(cat "$T/.err")" "'12,5' is not an amount"
fails "unknown creditor without a name" 1 xy gov-dishonesty add --body $G1 --body-name 营口市站前区某局（示例） --district 站前区 --case-type 拖欠企业账款 --source S1 --creditor $CO
fails "no --source is a usage error" 2 xy gov-dishonesty add --body $G1 --district 站前区 --case-type 拖欠企业账款
is "refused adds wrote nothing" "$(snap)" "$s0"

# three entries: 站前区 (governed 2026-05-20, before the end of May), 大石桥市 (governed
# 2026-06-15, after it), 盖州市 (never governed, registered in April)
j=$(xy gov-dishonesty add --body $G1 --body-name 营口市站前区某局（示例） --district 站前区 \
	--case-type 拖欠企业账款 --source '（2026）辽0802民初1号' --amount 125.5 \
	--creditor $CO --creditor-name 营口某建筑工程有限公司 --date 2026-01-10 --format json)
E1=$(echo "$j" | jq -r .id)
is "add: 未治理 from its date, with creditor and amount" "$(echo "$j" | jq -r '[.status, .date, .creditor, .amount, .open] | map(tostring) | join(" ")')" "未治理 2026-01-10 $CO 125.5 true"
E2=$(xy gov-dishonesty add --body $G2 --body-name 营口市大石桥市某局（示例） --district 大石桥市 --case-type 不执行司法判决 --source '（2025）辽0882执9号' --date 2026-02-01 --format json | jq -r .id)
E3=$(xy gov-dishonesty add --body $G3 --body-name 营口市盖州市某局（示例） --district 盖州市 --case-type 不履行招商引资承诺 --source 盖州招商协议2024-3 --date 2026-04-20 --format json | jq -r .id)
s1=$(snap)
fails "the same body and source twice" 1 xy gov-dishonesty add --body $G1 --district 站前区 --case-type 拖欠企业账款 --source '（2026）辽0802民初1号'
like "… as a conflict" "$(cat "$T/.err")" "already has an entry from"
is "… nothing written" "$(snap)" "$s1"

ok "站前区: 治理中" xy gov-dishonesty update $E1 --status 治理中 --date 2026-03-01 --evidence 分期还款协议
ok "站前区: 已治理 on 2026-05-20" xy gov-dishonesty update $E1 --status 已治理 --date 2026-05-20 --evidence 付款凭证
ok "大石桥市: 已治理 on 2026-06-15 (straight from 未治理)" xy gov-dishonesty update $E2 --status governed --date 2026-06-15 --evidence 执行和解协议履行完毕

# bad updates: nothing written
s2=$(snap)
fails "status going backwards" 1 xy gov-dishonesty update $E1 --status 治理中 --date 2026-06-01
like "… says the order" "$(cat "$T/.err")" "only goes 未治理 → 治理中 → 已治理"
fails "the same status again" 1 xy gov-dishonesty update $E2 --status 已治理 --date 2026-07-01 --evidence x
fails "a date before the last step" 1 xy gov-dishonesty update $E3 --status 治理中 --date 2026-04-01
like "… names both dates" "$(cat "$T/.err")" "2026-04-01 is before the last step \\(未治理 on 2026-04-20\\)"
fails "已治理 without evidence" 1 xy gov-dishonesty update $E3 --status 已治理 --date 2026-05-01
like "… asks for it" "$(cat "$T/.err")" "needs its evidence"
fails "an unknown status" 1 xy gov-dishonesty update $E3 --status 差不多
fails "update of an unknown id" 1 xy gov-dishonesty update 999 --status 治理中
like "… names it" "$(cat "$T/.err")" "no government-dishonesty entry 999"
is "refused updates wrote nothing" "$(snap)" "$s2"

# status as of dates, from the history
st() { xy gov-dishonesty show "$1" --as-of "$2" --format json | jq -r '.status // "-"'; }
is "站前区 entry: before registration, 未治理, 治理中, 已治理" \
	"$(st $E1 2026-01-09) $(st $E1 2026-02-01) $(st $E1 2026-03-01) $(st $E1 2026-05-20)" "- 未治理 治理中 已治理"
is "history in order" "$(xy gov-dishonesty show $E1 --format json | jq -c '[.history[].status]')" '["未治理","治理中","已治理"]'

# open counts per district as of dates
oc() { xy gov-dishonesty list --as-of "$1" --format json | jq -cS .open_by_district; }
is "open on 2026-04-30: all three" "$(oc 2026-04-30)" '{"大石桥市":1,"盖州市":1,"站前区":1}'
is "open on 2026-04-19: not 盖州市 (registered 04-20)" "$(oc 2026-04-19)" '{"大石桥市":1,"站前区":1}'
is "open on 2026-05-31: 站前区 governed before, 大石桥市 after" "$(oc 2026-05-31)" '{"大石桥市":1,"盖州市":1}'
is "open on 2026-06-30" "$(oc 2026-06-30)" '{"盖州市":1}'
is "list --all shows governed entries too" "$(xy gov-dishonesty list --all --format json | jq '.entries | length')" 3

# the region table: 政府失信未治理 at the period's end
is "stats 2026-01..05: 站前区 blank (governed 05-20)" "$(col 2026-01 2026-05 站前区)" ""
is "stats 2026-01..05: 大石桥市 1 (governed 06-15, after the end)" "$(col 2026-01 2026-05 大石桥市)" 1
is "stats 2026-01..05: 盖州市 1" "$(col 2026-01 2026-05 盖州市)" 1
is "stats 2026-01..03: 盖州市 blank (registered in April)" "$(col 2026-01 2026-03 盖州市)" ""
is "stats 2026-01..06: 大石桥市 blank" "$(col 2026-01 2026-06 大石桥市)" ""
cum=$(xy stats --from 2026-01 --to 2026-06 --by region --view cumulative --category 政府失信未治理 --format csv | tr -d '\r')
is "cumulative view: the stock at each month's end (站前区)" "$(echo "$cum" | awk -F, '$1 == "站前区"' | cut -d, -f3-)" "1,1,1,1,,"
is "cumulative view: 合计 per month" "$(echo "$cum" | awk -F, '$1 == "合计"' | cut -d, -f3-)" "1,2,2,3,2,1"
like "sentences name the district with most" "$(xy stats --from 2026-01 --to 2026-05 --by region --sentences)" "政府失信未治理数量最多的是大石桥市和盖州市"

# a 政府失信未治理 batch no longer counts in that column (the register does)
cat >"$T/gov.csv" <<EOF
编号,主体名称,统一社会信用代码,日期,内容
X-1,营口市老边区某局（示例）,11210811MB00000046,2026-05-02,拖欠民营企业账款未清偿
EOF
ok "import a 政府失信未治理 row for 老边区" xy import --unit 老边区 --category 政府失信未治理 --reported-on 2026-05-02 "$T/gov.csv"
is "… a record, but not counted in the computed column" "$(rows records) $(col 2026-01 2026-05 老边区)" "1 "

like "table list shows the count by district" "$(xy gov-dishonesty list --as-of 2026-05-31)" "未治理 by district:.*盖州市 1"
like "--help" "$(xy gov-dishonesty --help)" "^usage: xinyong gov-dishonesty"

# the demo registers an entry per 政府失信未治理 row, so the region table keeps the bulletin's 4
D="$T/demo/x.db"
j=$(xy demo --seed 2019 --only-unit 盖州市 --db "$D" --format json)
is "demo 盖州市: 4 government-dishonesty entries" "$(echo "$j" | jq -r .gov_entries)" 4
is "… all open at 2019-10-31" "$(xy gov-dishonesty list --db "$D" --as-of 2019-10-31 --format json | jq -c .open_by_district)" '{"盖州市":4}'
is "… the region table prints 4" "$(xy stats --db "$D" --from 2019-01 --to 2019-10 --by region --format csv | tr -d '\r' | awk -F, '$1 == "盖州市" { print $3 }')" 4
is "… bodies are government bodies" "$(xy gov-dishonesty list --db "$D" --all --format json | jq '[.entries[] | select(.body | startswith("1"))] | length')" 4
j=$(xy demo --seed 2019 --only-unit 盖州市 --db "$D" --format json)
is "demo again: no new entry" "$(echo "$j" | jq -r .gov_entries) $(xy gov-dishonesty list --db "$D" --all --format json | jq '.entries | length')" "0 4"
