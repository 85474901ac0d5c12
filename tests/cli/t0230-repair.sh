#!/bin/sh
# Publication windows, credit repair, objections and interviews (issue 4): records of a
# penalty leave public display when their window ends; a repair goes 申请 → 受理 → 审核 →
# 通过, ends publication, exits the linked list entry and counts in the statistics; bad
# input (unknown record or subject, not public, wrong unit, out of order) changes nothing.
. "$(dirname "$0")/lib.sh"

CO=91210802MA0XYQA01T   # the enterprise (generated, valid USCC)
CO2=91210802MA0XYQB02K  # another enterprise
AG=11210800MAR7YF578P   # 营口市市场监督管理局
H=CF_XDR_MC,CF_XDR_LB,CF_XDR_SHXYM,CF_WSH,CF_WFXW,CF_SY,CF_YJ,CF_CFLB,CF_NR,CF_JDRQ,CF_YXQ,CF_CFJG,CF_CFJGDM,CF_SJLY,CF_SJLYDM,CF_SXYZCD
row() { # key date severity [code]
	echo "营口某建筑工程有限公司,法人及非法人组织,${4:-$CO},$1,违反价格管理规定,事实,依据,罚款,罚款1万元,$2,2027-12-31,营口市市场监督管理局,$AG,营口市市场监督管理局,$AG,$3"
}
{
	echo "$H"
	row 营市监罚〔2026〕1号 2026-03-10 一般
	row 营市监罚〔2025〕9号 2025-06-10 ""
	row 营市监罚〔2026〕5号 2026-09-01 严重
	row 营市监罚〔2023〕2号 2023-04-30 一般
	row 营市监罚〔2026〕8号 2026-03-10 一般 $CO2
} >"$T/cf.csv"

ok "init" xy init
ok "import five penalties" xy import --unit 市场监管局 --category 行政处罚 --reported-on 2026-10 "$T/cf.csv"
dsp >"$T/dsp"
id() { jq -r --arg k "$1" 'select(.key == $k) | .id' "$T/dsp"; }
R1=$(id 营市监罚〔2026〕1号); R2=$(id 营市监罚〔2025〕9号); R3=$(id 营市监罚〔2026〕5号)
R4=$(id 营市监罚〔2023〕2号); R5=$(id 营市监罚〔2026〕8号)

# publication windows, computed as of a date
disp() { xy show $CO --as-of "$2" --format json | jq -r --argjson r "$1" '.records[] | select(.id == $r) | .display'; }
is "一般, decided 2025-06-10: public on its last day 2026-06-10" "$(disp $R2 2026-06-10)" 公示中
is "… and off the next day" "$(disp $R2 2026-06-11)" 公示期满
is "decided before 58号令 (2023-04-30): 527号's 1-year maximum for 一般" "$(disp $R4 2024-04-30) $(disp $R4 2024-05-01)" "公示中 公示期满"
is "严重: not yet public before its decision" "$(disp $R3 2026-08-31)" 未到公示日期
j=$(xy show $CO --format json)
is "show json: window of a 严重 penalty" "$(echo "$j" | jq -r --argjson r $R3 '.records[] | select(.id == $r) | .publication | .severity + " " + .last + " " + .repairable_from')" "严重 2029-09-01 2027-09-02"
is "absent severity counts as 一般" "$(echo "$j" | jq -r --argjson r $R2 '.records[] | select(.id == $r) | .publication.severity')" 一般
like "table view marks each record" "$(xy show $CO)" "营市监罚〔2025〕9号.*\\[$R2\\] 公示期满"
p=$(xy show $CO --public --format json)
is "--public: expired records are left out" "$(echo "$p" | jq -c '[.records[].id] | sort') $(echo "$p" | jq -r .hidden)" "[$R1,$R3] 2"
like "--public table says how many are not shown" "$(xy show $CO --public)" "另有 2 条信息不在公示期内"
fails "--as-of must be a date" 2 xy show $CO --as-of 2026-02-30

# a list entry taken on the penalty's decision: a penalty is linked to no entry, so the
# application names it (--entry) and it exits with the repair
E=$(xy list add --type 重点关注名单 --subject $CO --unit 发改委 --doc 营市监罚〔2026〕1号 --from 2026-03-10 --format json | jq -r .entry)

# bad applications: clear errors, nothing written
snap() { echo "$(rows credit_cases credit_case_events batches records) $(xy list show --all --format json | jq -c '[.entries[].exit]')"; }
before=$(snap)
apply() { xy repair apply --subject $CO --reason 已缴纳罚款并完成整改 --evidence 罚款缴纳凭证 --evidence 整改报告 --commitment 本企业承诺依法诚信经营 "$@"; }
fails "unknown record" 1 apply --record 999 --date 2026-11-02
like "… names it" "$(cat "$T/.err")" "no record 999"
fails "a record that is no longer public" 1 apply --record $R2 --date 2026-11-02
like "… says why" "$(cat "$T/.err")" "not public on 2026-11-02 \\(公示期满\\)"
fails "another subject's record" 1 apply --record $R5 --date 2026-11-02
like "… names both" "$(cat "$T/.err")" "is about $CO2.*not $CO"
fails "unknown subject" 1 xy repair apply --record $R1 --subject 91210802MA0XYQC03X --reason r --evidence e --commitment c
like "… says so" "$(cat "$T/.err")" "unknown subject"
fails "no evidence" 1 xy repair apply --record $R1 --subject $CO --reason r --commitment c
fails "no commitment" 1 xy repair apply --record $R1 --subject $CO --reason r --evidence e
fails "no record id: usage" 2 xy repair apply --subject $CO
is "nothing written by refused applications" "$(snap)" "$before"

# the repair story
j=$(apply --record $R1 --entry "$E" --date 2026-11-02 --format json)
C=$(echo "$j" | jq -r .id)
is "apply: step 申请, 受理 due in 2 working days" "$(echo "$j" | jq -r '.step + " " + .due')" "申请 2026-11-04"
is "… evidence list kept" "$(echo "$j" | jq -c .evidence)" '["罚款缴纳凭证","整改报告"]'
before=$(snap)
fails "a second application for the record" 1 apply --record $R1 --date 2026-11-03
like "… conflict" "$(cat "$T/.err")" "already has repair $C"
fails "审核 before 受理" 1 xy repair review $C --unit 市场监管局 --date 2026-11-03
like "… out of order" "$(cat "$T/.err")" "at step 申请; 审核 needs step 受理"
fails "decision before 审核" 1 xy repair decide $C --unit 市场监管局 --result 通过 --date 2026-11-03
fails "受理 dated before the application" 1 xy repair accept $C --date 2026-11-01
like "… says so" "$(cat "$T/.err")" "before the previous step"
fails "decide without a result: usage" 2 xy repair decide $C --unit 市场监管局
is "nothing written by out-of-order steps" "$(snap)" "$before"
j=$(xy repair accept $C --date 2026-11-03 --format json)
is "受理: decision due 5 working days later" "$(echo "$j" | jq -r '.step + " " + .due')" "受理 2026-11-10"
before=$(snap)
fails "审核 by a unit that did not report the record" 1 xy repair review $C --unit 财政局 --date 2026-11-04
like "… names the reporting unit" "$(cat "$T/.err")" "for 市场监管局, the record's reporting unit, not 财政局"
fails "unknown unit" 1 xy repair review $C --unit 不存在局 --date 2026-11-04
is "nothing written by a wrong unit" "$(snap)" "$before"
ok "审核 by 市场监管局" xy repair review $C --unit 市场监管局 --opinion 材料齐全 --date 2026-11-04
is "overdue list (as of 2026-11-26): this one is late" "$(xy repair list --overdue --format json | jq -c '[.repairs[].id]')" "[$C]"
is "… but not as of its due day" "$(xy repair list --overdue --as-of 2026-11-10 --format json | jq -c '[.repairs[].id]')" "[]"
out=$(xy repair decide $C --unit 市场监管局 --result 通过 --text 准予信用修复 --date 2026-11-05)
like "通过: the entry exits and it is counted" "$out" "list entries exited: 1; counted in 信用修复、约谈企业: 1"
is "the record is 已修复 from the decision date" "$(disp $R1 2026-11-04) $(disp $R1 2026-11-05)" "公示中 已修复"
is "… and not in the public view" "$(xy show $CO --public --format json | jq -c '[.records[] | select(.category == "行政处罚") | .id]')" "[$R3]"
is "the record is kept" "$(xy show $CO --format json | jq --argjson r $R1 '[.records[] | select(.id == $r)] | length')" 1
is "the list entry exited by 修复 on the date" "$(entry "$E" | jq -r '.exit + " " + .exit_date')" "修复 2026-11-05"
is "history: every step, who, when, what" "$(xy repair show $C --format json | jq -r '.history[] | .on + " " + .action + " " + .actor' | tr '\n' '|')" \
	"2026-11-02 申请 营口某建筑工程有限公司|2026-11-03 受理 信用办|2026-11-04 审核 市场监管局|2026-11-05 通过 市场监管局|"
is "stats: 信用修复、约谈企业 1 for 市场监管局 in 2026-11" "$(xy stats --by department --from 2026-11 --to 2026-11 --format json | jq -r '.rows[] | select(.["部门名称"] == "市场监管局") | .["信用修复、约谈企业"]')" 1
is "… one batch, reported on the decision date" "$(batchlist | jq -r --arg f "repair:$C" 'select(.category == "信用修复、约谈企业" and .file == $f) | "\(.reported_on) \(.new) \(.unit)"')" "2026-11-05 1 市场监管局"
fails "repair of a repaired record" 1 apply --record $R1 --date 2026-11-20
like "… says so" "$(cat "$T/.err")" "已修复"

# minimum period: a 严重 penalty of 2026-09-01 may be repaired from 2027-09-02
C2=$(apply --record $R3 --date 2026-11-06 --format json | jq -r .id)
ok "受理" xy repair accept $C2 --date 2026-11-09
ok "审核" xy repair review $C2 --unit 市场监管局 --date 2026-11-10
before=$(snap)
fails "approval before the minimum period" 1 xy repair decide $C2 --unit 市场监管局 --result 通过 --date 2026-11-11
like "… names the first possible day" "$(cat "$T/.err")" "approved from 2027-09-02"
is "nothing written" "$(snap)" "$before"
ok "不通过 is possible" xy repair decide $C2 --unit 市场监管局 --result 不通过 --text 未满最短公示期 --date 2026-11-11
is "… and the record stays public" "$(disp $R3 2026-11-26)" 公示中

# objections
j=$(xy objection add --record $R3 --reason 处罚金额有误 --date 2026-11-20 --format json)
O=$(echo "$j" | jq -r .id)
is "objection: routed to the reporting unit, due in 5 working days" "$(echo "$j" | jq -r '.unit + " " + .due')" "市场监管局 2026-11-27"
is "… within the holiday calendar: not an estimate" "$(echo "$j" | jq .due_estimated)" false
is "display frozen as 异议处理中" "$(disp $R3 2026-11-20)" 异议处理中
is "public view: shown, content withheld" "$(xy show $CO --public --format json | jq -c --argjson r $R3 '.records[] | select(.id == $r) | [.display, .data]')" '["异议处理中",{}]'
before=$(snap)
fails "a second objection while one is open" 1 xy objection add --record $R3 --reason again --date 2026-11-21
fails "decided by another unit" 1 xy objection decide $O --unit 财政局 --result 维持 --date 2026-11-24
fails "更正 of the record's key" 1 xy objection decide $O --unit 市场监管局 --result 更正 --set CF_WSH=营市监罚〔2026〕6号 --date 2026-11-24
like "… refused" "$(cat "$T/.err")" "cannot be corrected"
fails "更正 of an unknown field" 1 xy objection decide $O --unit 市场监管局 --result 更正 --set 不存在=1 --date 2026-11-24
fails "an unknown result" 1 xy objection decide $O --unit 市场监管局 --result 驳回 --date 2026-11-24
is "nothing written by refused decisions" "$(snap)" "$before"
is "not overdue on 2026-11-26" "$(xy objection list --overdue --format json | jq -c '[.objections[].id]')" "[]"
is "overdue after its deadline" "$(xy objection list --overdue --as-of 2026-11-30 --format json | jq -c '[.objections[].id]')" "[$O]"
ok "更正 by 市场监管局" xy objection decide $O --unit 市场监管局 --result 更正 --set 处罚内容=罚款5千元 --set CF_NR_FK=0.5 --text 核实后更正 --date 2026-11-24
is "the record is public again, corrected, old version kept" "$(xy show $CO --format json | jq -r --argjson r $R3 '.records[] | select(.id == $r) | .display + " " + .data.CF_NR + " " + (.versions|tostring)')" "公示中 罚款5千元 2"
is "… through a batch of the unit" "$(batchlist | jq -r --arg f "objection:$O" 'select(.file == $f) | "\(.unit) \(.updated)"')" "市场监管局 1"
O2=$(xy objection add --record $R3 --reason 非本企业 --date 2026-11-25 --format json | jq -r .id)
ok "撤销" xy objection decide $O2 --unit 市场监管局 --result 撤销 --date 2026-11-26
is "a withdrawn record leaves display" "$(disp $R3 2026-11-26)" 已撤销
fails "objection to a record that is not public" 1 xy objection add --record $R2 --reason x
like "… says so" "$(cat "$T/.err")" "not public"
# a deadline in a year holidays.tsv does not cover yet (2027): Monday–Friday, and said so
j=$(xy objection add --record $R5 --reason 已整改 --date 2026-12-30 --format json)
is "deadline into 2027: Monday–Friday (12-31, 01-01, 01-04, 01-05, 01-06)" "$(echo "$j" | jq -r '.due + " " + (.due_estimated|tostring)')" "2027-01-06 true"
like "… and the table view says it is an estimate" "$(xy objection show "$(echo "$j" | jq -r .id)")" "2027-01-06（节假日安排未载入，按周一至周五推算）"

# interviews
before=$(snap)
fails "interview of a natural person" 1 xy interview add --subject 21080219850612103X --unit 站前区 --person 张某 --topic t
fails "interview without persons" 1 xy interview add --subject $CO --unit 站前区 --topic t
fails "interview by an unknown unit" 1 xy interview add --subject $CO --unit 不存在局 --person 张某 --topic t
is "nothing written" "$(snap)" "$before"
j=$(xy interview add --subject $CO --unit 站前区 --person 张某:法定代表人 --person 李某:财务负责人 --topic 拖欠农民工工资约谈 --result 承诺月底前支付 --date 2026-11-12 --format json)
is "interview counted: 1 enterprise, 2 representatives" "$(echo "$j" | jq -c .counted)" '{"信用修复、约谈企业":1,"约谈失信企业代表数量":2}'
is "interview list" "$(xy interview list --subject $CO --format json | jq -r '.interviews[0] | .unit + " " + .date + " " + (.persons|join(","))')" "站前区 2026-11-12 张某:法定代表人,李某:财务负责人"
is "region table: 约谈失信企业代表数量 2 for 站前区" "$(xy stats --by region --from 2026-11 --to 2026-11 --format json | jq -r '.rows[] | select(.["地区"] == "站前区") | .["约谈失信企业代表数量"]')" 2
is "… 2 persons in one batch" "$(batchlist | jq -s -r 'map(select(.category == "约谈失信企业代表数量")) | "\(map(.new) | add) \(length)"')" "2 1"
