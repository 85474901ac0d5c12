#!/bin/sh
# Credit commitments (信用承诺书, issue 4): register, count in 信用承诺书, check fulfilment,
# a breach that writes a record and a list entry the 联合奖惩 check shows; statuses as of
# dates; bad input that changes nothing.
. "$(dirname "$0")/lib.sh"

CO=91210802MA0XYQA01T   # an enterprise (generated, valid USCC)
CO2=91210802MA0XYQB02K  # another
P=21080219850612103X    # a person (valid RIC)
snap() { rows commitments commitment_checks records batches list_entries subjects; }

ok "init" xy init

# bad adds first: nothing written
s0=$(snap)
fails "unknown subject without --name" 1 xy commitment add --subject $CO --unit 站前区 --type 主动型
like "… says so" "$(cat "$T/.err")" "unknown subject"
fails "unknown unit" 1 xy commitment add --subject $CO --name 营口某建筑工程有限公司 --unit 火星局 --type 主动型
like "… names the unit" "$(cat "$T/.err")" "unknown unit '火星局'"
fails "unknown type" 1 xy commitment add --subject $CO --name 营口某建筑工程有限公司 --unit 站前区 --type 随便型
like "… lists the types" "$(cat "$T/.err")" "unknown commitment type '随便型'.*审批替代型"
fails "deadline before the signing" 1 xy commitment add --subject $CO --name 营口某建筑工程有限公司 --unit 站前区 --type 主动型 --date 2026-03-05 --deadline 2026-03-01
like "… says which" "$(cat "$T/.err")" "deadline 2026-03-01 is before the signing date 2026-03-05"
fails "a bad date" 1 xy commitment add --subject $CO --name 营口某建筑工程有限公司 --unit 站前区 --type 主动型 --date 2026-02-30
fails "an invalid code with a name" 1 xy commitment add --subject 91210802MA0XYQA01X --name 某公司 --unit 站前区 --type 主动型
fails "missing --type is a usage error" 2 xy commitment add --subject $CO --unit 站前区
is "refused adds wrote nothing" "$(snap)" "$s0"

# register: 审批替代型 with a deadline, received by 站前区 in March
j=$(xy commitment add --subject $CO --name 营口某建筑工程有限公司 --unit 站前区 --type 审批替代型 \
	--matter 建筑工程施工许可 --date 2026-03-05 --deadline 2026-09-30 \
	--content 承诺六个月内补齐消防验收材料 --format json)
C1=$(echo "$j" | jq -r .id)
is "add: numbered CN<id>, pending, counted" "$(echo "$j" | jq -r '[.no, .status, .status_zh, .counted] | join(" ")')" "CN$C1 pending 待核查 true"
is "add: the 信用承诺书 record, keyed by the number" \
	"$(xy show $CO --format json | jq -r --arg k "CN$C1" '.records[] | select(.key == $k) | .category + " " + .key + " " + .decided_on')" \
	"信用承诺书 CN$C1 2026-03-05"
is "… through a batch reported on the signing date" "$(batchlist | jq -r --arg f "commitment:$C1" 'select(.file == $f) | "\(.reported_on) \(.file) \(.new)"')" "2026-03-05 commitment:$C1 1"
j=$(xy commitment add --subject $CO --unit 站前区 --type 主动型 --no '营站承诺〔2026〕7号' --date 2026-04-01 --format json)
C2=$(echo "$j" | jq -r .id)
is "add with a number" "$(echo "$j" | jq -r .no)" "营站承诺〔2026〕7号"
s1=$(snap)
fails "the same number twice for the unit" 1 xy commitment add --subject $CO --unit 站前区 --type 主动型 --no '营站承诺〔2026〕7号' --date 2026-04-02
like "… as a conflict" "$(cat "$T/.err")" "already has a commitment numbered"
is "… nothing written" "$(snap)" "$s1"
ok "a person's commitment (行业自律型, 西市区)" xy commitment add --subject $P --name 张某 --unit 西市区 --type 行业自律型 --date 2026-04-10

# an imported 信用承诺书 row with the same number is not counted twice
cat >"$T/cns.csv" <<EOF
编号,主体名称,统一社会信用代码,签订日期,内容,承诺类型
营站承诺〔2026〕8号,营口某建筑工程有限公司,$CO,2026-04-03,承诺依法诚信经营,主动型
EOF
ok "import a 信用承诺书 row" xy import --unit 站前区 --category 信用承诺书 --reported-on 2026-04-03 "$T/cns.csv"
j=$(xy commitment add --subject $CO --unit 站前区 --type 主动型 --no '营站承诺〔2026〕8号' --date 2026-04-03 --format json)
is "registering the imported commitment: not counted again" "$(echo "$j" | jq -r .counted)" false

# statistics: 信用承诺书 for 站前区 in March and April, 西市区 in April
csv() { xy stats --from "$1" --to "$2" --by region --format csv | tr -d '\r' | awk -F, -v u="$3" '$1 == u { print $4 }'; }
is "stats: 站前区 信用承诺书 in March" "$(csv 2026-03 2026-03 站前区)" 1
is "stats: 站前区 信用承诺书 March–April (add, add, import)" "$(csv 2026-03 2026-04 站前区)" 3
is "stats: 西市区 信用承诺书 in April" "$(csv 2026-04 2026-04 西市区)" 1

# statuses computed as of dates
st() { xy commitment show "$1" --as-of "$2" --format json | jq -r .status; }
is "before signing: unsigned" "$(st $C1 2026-03-01)" unsigned
is "after signing: pending" "$(st $C1 2026-06-01)" pending
is "after the deadline without a check: overdue" "$(st $C1 2026-10-01)" overdue
is "list --status overdue as of 2026-10-01" "$(xy commitment list --status 逾期未核查 --as-of 2026-10-01 --format json | jq -c '[.commitments[].id]')" "[$C1]"
is "list --unit 西市区" "$(xy commitment list --unit 西市区 --format json | jq -r '.commitments[0].subject')" "$P"

# a kept check, then bad checks, then the breach
ok "履约 check of the 主动型 commitment" xy commitment verify $C2 --result 履约 --by 站前区信用办李某 --date 2026-06-01
is "… kept from that date" "$(st $C2 2026-06-01) $(st $C2 2026-05-31)" "kept pending"
s2=$(snap)
fails "a check before the signing" 1 xy commitment verify $C1 --result 履约 --by 某人 --date 2026-03-01
like "… says so" "$(cat "$T/.err")" "before the signing date 2026-03-05"
fails "a check before the last check" 1 xy commitment verify $C2 --result 未履约 --by 某人 --date 2026-05-01
like "… says so" "$(cat "$T/.err")" "before the last check"
fails "an unknown result" 1 xy commitment verify $C1 --result 差不多 --by 某人
like "… names it" "$(cat "$T/.err")" "履约 or 未履约, not '差不多'"
fails "an unknown commitment" 1 xy commitment verify 999 --result 履约 --by 某人
like "… names it" "$(cat "$T/.err")" "no commitment 999"
fails "an unknown list type for the breach" 1 xy commitment verify $C1 --result 未履约 --by 某人 --list 不存在的名单
like "… names it" "$(cat "$T/.err")" "unknown list type '不存在的名单'"
fails "a list type the unit may not designate (谁认定谁负责)" 1 xy commitment verify $C1 --result 未履约 --by 某人 --list 拖欠农民工工资失信联合惩戒对象名单 --date 2026-10-08
like "… says who designates it" "$(cat "$T/.err")" "designated by 人社局"
fails "no --by is a usage error" 2 xy commitment verify $C1 --result 履约
is "refused checks changed nothing (no record, entry or batch)" "$(snap)" "$s2"

j=$(xy commitment verify $C1 --result 未履约 --by 站前区信用办王某 --date 2026-10-08 --note 逾期未补齐材料 --format json)
is "breach: record of the type's category" "$(echo "$j" | jq -r '.record | .category + " " + .key + " " + (.counted|tostring)')" "信用信息 CN$C1-未履约 true"
E=$(echo "$j" | jq -r .entry)
is "breach: a list entry on the type's list" "$(echo "$j" | jq -r .list_type)" 地方发布黑名单
is "… designated by the receiving unit from the check date" "$(entry "$E" | jq -r '.unit + " " + .doc + " " + .from')" "站前区 CN$C1-未履约 2026-10-08"
j=$(xy check $CO --unit 财政局 --matter 政府采购 --date 2026-10-09 --format json)
is "the 联合奖惩 check shows the entry" "$(echo "$j" | jq -r --argjson e "$E" '.entries[] | select(.entry == $e) | .list_type + " " + .doc')" "地方发布黑名单 CN$C1-未履约"
is "status: breached from the check date, overdue before" "$(st $C1 2026-10-08) $(st $C1 2026-10-07)" "breached overdue"
is "the check is stored with record and entry" "$(xy commitment show $C1 --format json | jq -c '.checks[0] | [.result, .by, .record, .entry]')" "[\"未履约\",\"站前区信用办王某\",\"CN$C1-未履约\",$E]"
is "stats: 信用信息 counted for 站前区 in October" "$(batchlist | jq -s 'map(select(.category == "信用信息" and .unit == "站前区" and (.reported_on | startswith("2026-10"))) | .new) | add')" 1
s3=$(snap)
fails "no check after a breach" 1 xy commitment verify $C1 --result 履约 --by 某人 --date 2026-11-01
like "… says when it was breached" "$(cat "$T/.err")" "already found 未履约 on 2026-10-08"
is "… nothing written" "$(snap)" "$s3"

# a breach of a type without a list: record only; --no-list and --list override
j=$(xy commitment verify $C2 --result 未履约 --by 某人 --date 2026-11-01 --format json)
is "主动型 breach: record, no entry" "$(echo "$j" | jq -c '[.record.category, .entry]')" '["信用信息",null]'
C3=$(xy commitment add --subject $CO2 --name 营口某商贸有限公司 --unit 站前区 --type 证明事项告知承诺 --date 2026-05-01 --format json | jq -r .id)
is "--no-list: no entry even for a listing type" "$(xy commitment verify $C3 --result 未履约 --by 某人 --no-list --date 2026-06-01 --format json | jq -r .entry)" null

# bulk: a unit's 信用承诺书 file becomes commitments (and one counted batch)
cat >"$T/bulk.csv" <<EOF
编号,主体名称,统一社会信用代码,证件号码,签订日期,承诺类型,承诺事项,内容
西承〔2026〕1号,营口某建筑工程有限公司,$CO,,2026-05-06,审批替代型,建筑工程施工许可,承诺补齐材料
西承〔2026〕2号,营口某商贸有限公司,$CO2,,2026-05-07,,,承诺诚信经营
西承〔2026〕3号,张某,,$P,2026-05-08,行业自律型,,承诺守法
西承〔2026〕4号,坏行,91210802MA0XYQB02X,,2026-05-08,主动型,,校验位错
EOF
n0=$(rows commitments)
j=$(xy commitment import --unit 西市区 --reported-on 2026-05-31 "$T/bulk.csv" --format json)
is "import: 3 rows in, 1 rejected with an error report, 3 commitments" \
	"$(echo "$j" | jq -r '[.new, .rejected, .commitments, .already_registered] | join(" ")')" "3 1 3 0"
like "… the error report names the bad code" "$(cat "$(echo "$j" | jq -r .error_report)")" "91210802MA0XYQB02X"
is "… commitments with number, type (blank: 其他), subject and date" \
	"$(xy commitment list --unit 西市区 --format json | jq -r '[.commitments | sort_by(.id)[] | select(.no | startswith("西承")) | .no + "/" + .type + "/" + .date] | join(" ")')" \
	"西承〔2026〕1号/审批替代型/2026-05-06 西承〔2026〕2号/其他/2026-05-07 西承〔2026〕3号/行业自律型/2026-05-08"
is "… counted once, in the batch's month" "$(csv 2026-05 2026-05 西市区)" 3
j=$(xy commitment import --unit 西市区 --reported-on 2026-05-31 "$T/bulk.csv" --format json)
is "import again: unchanged, nothing registered twice" "$(echo "$j" | jq -r '[.unchanged, .commitments, .already_registered] | join(" ")') $(rows commitments)" "3 0 3 $((n0 + 3))"
is "… still counted once" "$(csv 2026-05 2026-05 西市区)" 3
fails "import for an unknown unit" 1 xy commitment import --unit 火星局 "$T/bulk.csv"
is "… nothing registered" "$(rows commitments)" "$((n0 + 3))"

# table output and help
like "list (table) shows the statuses" "$(xy commitment list --as-of 2026-11-26)" "未履约"
like "show (table) shows the check" "$(xy commitment show $C1)" "核查 2026-10-08  未履约"
like "--help" "$(xy commitment --help)" "^usage: xinyong commitment"
fails "an unknown subcommand" 2 xy commitment frob
