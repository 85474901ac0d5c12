#!/bin/sh
# xinyong show brings the credit actions together: a subject's commitments (status as of the
# date), a government body's government-dishonesty entries and the open repair/objection
# cases, in JSON and in the table; the public view (--public) keeps commitments without
# their checks, government dishonesty without creditor, amount, note and history, and no
# cases, and only active red/black list entries (docs/cli.md).  Generated codes: CO a made-up enterprise, G1 a government body.
. "$(dirname "$0")/lib.sh"

CO=91210802MA0XYQA01T
G1=11210802MB0000001U
AG=11210800MAR7YF578P
H=CF_XDR_MC,CF_XDR_LB,CF_XDR_SHXYM,CF_WSH,CF_WFXW,CF_SY,CF_YJ,CF_CFLB,CF_NR,CF_JDRQ,CF_YXQ,CF_CFJG,CF_CFJGDM,CF_SJLY,CF_SJLYDM,CF_SXYZCD
row() { # key date
	echo "营口某建筑工程有限公司,法人及非法人组织,$CO,$1,违反价格管理规定,事实,依据,罚款,罚款1万元,$2,2027-12-31,营口市市场监督管理局,$AG,营口市市场监督管理局,$AG,一般"
}
{
	echo "$H"
	row 营市监罚〔2026〕1号 2026-03-10
	row 营市监罚〔2026〕2号 2026-03-11
} >"$T/cf.csv"

ok "init" xy init
ok "import two penalties" xy import --unit 市场监管局 --category 行政处罚 --reported-on 2026-10 "$T/cf.csv"
R1=$(recid 营市监罚〔2026〕1号)
R2=$(recid 营市监罚〔2026〕2号)

# a commitment, kept on 2026-06-01
C1=$(xy commitment add --subject $CO --unit 站前区 --type 主动型 --no '营站承诺〔2026〕7号' \
	--date 2026-04-01 --content 依法诚信经营 --format json | jq -r .id)
ok "履约 check" xy commitment verify "$C1" --result 履约 --by 站前区信用办李某 --date 2026-06-01
# a government body owes the enterprise
ok "gov-dishonesty entry of G1" xy gov-dishonesty add --body $G1 --body-name 营口市站前区某局（示例） \
	--district 站前区 --case-type 拖欠企业账款 --source '（2026）辽0802民初1号' --amount 125.5 \
	--creditor $CO --creditor-name 营口某建筑工程有限公司 --date 2026-01-10
# an open repair and an open objection
RP=$(xy repair apply --record "$R1" --subject $CO --reason 已缴纳罚款 --evidence 缴款凭证 \
	--commitment 依法经营 --date 2026-11-20 --format json | jq -r .id)
OB=$(xy objection add --record "$R2" --reason 处罚金额有误 --date 2026-11-21 --format json | jq -r .id)

# --- the internal view
j=$(xy show $CO --format json)
is "commitments: the one signed, its status today and its checks" \
	"$(echo "$j" | jq -c '[.commitments[] | [.id, .no, .status_zh, (.checks | length)]]')" "[[$C1,\"营站承诺〔2026〕7号\",\"履约\",1]]"
is "… its status as of a date before the check" "$(xy show $CO --as-of 2026-05-01 --format json | jq -r '.commitments[0].status_zh')" 待核查
is "… and none before it was signed" "$(xy show $CO --as-of 2026-03-31 --format json | jq -c '.commitments')" "[]"
is "an enterprise has no government-dishonesty entries" "$(echo "$j" | jq -c '.gov_dishonesty')" "[]"
is "open cases: the repair and the objection" \
	"$(echo "$j" | jq -c '[.cases[] | [.kind, .id, .record, .step]]')" "[[\"repair\",$RP,$R1,\"申请\"],[\"objection\",$OB,$R2,\"受理\"]]"
is "… with their deadlines" "$(echo "$j" | jq -r '[.cases[].due | type] | join(" ")')" "string string"
is "no cases as of a date before they were filed" "$(xy show $CO --as-of 2026-11-19 --format json | jq -c '.cases')" "[]"
t=$(xy show $CO)
like "table: 信用承诺" "$t" "【信用承诺】"
like "table: the commitment with its status" "$t" "履约 +主动型"
like "table: the open cases" "$t" "信用修复 $RP  记录 $R1 行政处罚"
like "table: the objection" "$t" "异议 $OB  记录 $R2"
g=$(xy show $G1 --format json)
is "a government body: its entry, 未治理, with creditor and history" \
	"$(echo "$g" | jq -c '[.gov_dishonesty[] | [.case_type, .status, .creditor, .amount, (.history | length)]]')" \
	"[[\"拖欠企业账款\",\"未治理\",\"$CO\",\"125.5\",1]]"
is "… not before its date" "$(xy show $G1 --as-of 2026-01-09 --format json | jq -c '.gov_dishonesty')" "[]"
like "table: 政府失信" "$(xy show $G1)" "【政府失信】"

# --- the public view
p=$(xy show $CO --public --format json)
is "public: the commitment (信用承诺公示) without its checks" \
	"$(echo "$p" | jq -c '[.commitments[] | [.no, .status_zh, has("checks"), .content]]')" '[["营站承诺〔2026〕7号","履约",false,"依法诚信经营"]]'
is "public: no cases" "$(echo "$p" | jq -r 'has("cases")')" false
is "public: the objected record only as 异议处理中, content withheld" \
	"$(echo "$p" | jq -c --argjson r "$R2" '.records[] | select(.id == $r) | [.display, .data]')" '["异议处理中",{}]'
is "public: the record under repair is still 公示中" \
	"$(echo "$p" | jq -r --argjson r "$R1" '.records[] | select(.id == $r) | .display')" 公示中
tp=$(xy show $CO --public)
if printf '%s' "$tp" | grep -q "办理中的信用修复\|核查 2026-06-01"; then
	fail "public table: no cases, no checks" "$tp"
else
	pass "public table: no cases, no checks"
fi
gp=$(xy show $G1 --public --format json)
is "public: government dishonesty without creditor, amount, note or history" \
	"$(echo "$gp" | jq -c '.gov_dishonesty[0] | [.status, has("creditor"), has("amount"), has("note"), has("history")]')" \
	'["未治理",false,false,false,false]'
is "public table: no creditor" "$(xy show $G1 --public | grep -c 债权人)" 0

# --- list entries in the public view: only red and black entries active on the date; a
# 重点关注名单 (watch list) entry is for supervision, never published
ok "black-list entry" xy list add --type 地方发布黑名单 --subject $CO --unit 市场监管局 \
	--doc '营市监黑〔2026〕3号' --from 2026-05-01 --to 2026-12-31
ok "watch-list entry" xy list add --type 重点关注名单 --subject $CO --unit 发改委 \
	--doc '营发改关注〔2026〕4号' --from 2026-05-01
is "internal view: both entries" \
	"$(xy show $CO --format json | jq -r '[.list_entries[].list_type] | sort | join(",")')" "地方发布黑名单,重点关注名单"
is "public view: the black-list entry only" \
	"$(xy show $CO --public --format json | jq -r '[.list_entries[].list_type] | join(",")')" "地方发布黑名单"
is "public view after the entry's last day: none" \
	"$(xy show $CO --public --as-of 2027-01-01 --format json | jq -c '.list_entries')" "[]"
is "internal view after its last day: expired, still listed" \
	"$(xy show $CO --as-of 2027-01-01 --format json | jq -r '.list_entries[] | select(.list_type == "地方发布黑名单") | .status')" expired
if xy show $CO --public | grep -q 重点关注名单; then
	fail "public table: no watch-list entry" "$(xy show $CO --public)"
else
	pass "public table: no watch-list entry"
fi
