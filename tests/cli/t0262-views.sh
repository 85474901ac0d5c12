#!/bin/sh
# One library behind every front end: each read command's --format json is exactly the
# library's view (views.h) built by tests/view_dump, in the office and the public view, and
# the public view holds no full 身份证号 and no watch list (docs/views.md).  Generated codes
# and names only: CO a made-up enterprise, G1 a government body, P a made-up person.
. "$(dirname "$0")/lib.sh"
: "${XY_BUILD:?XY_BUILD must name the build directory}"
VD="$XY_BUILD/tests/view_dump"

CO=91210802MA0XYQA01T
G1=11210802MB0000001U
AG=11210800MAR7YF578P
P=210802199001011235
REP=210804198002024562
H=CF_XDR_MC,CF_XDR_LB,CF_XDR_SHXYM,CF_XDR_ZJHM,CF_FRDB,CF_FR_ZJHM,CF_WSH,CF_WFXW,CF_SY,CF_YJ,CF_CFLB,CF_NR,CF_JDRQ,CF_YXQ,CF_CFJG,CF_CFJGDM,CF_SJLY,CF_SJLYDM,CF_SXYZCD,内部备注X
T2=",2027-12-31,营口市市场监督管理局,$AG,营口市市场监督管理局,$AG"
{
	echo "$H"
	echo "营口某建筑工程有限公司,法人及非法人组织,$CO,,示例甲,$REP,营市监罚〔2026〕1号,价格,事实,依据,罚款,罚款1万元,2026-03-10$T2,一般,内部的话"
	echo "营口某建筑工程有限公司,法人及非法人组织,$CO,,示例甲,$REP,营市监罚〔2026〕2号,价格,事实,依据,罚款,罚款2万元,2026-03-11$T2,一般,"
	echo "营口某建筑工程有限公司,法人及非法人组织,$CO,,示例甲,$REP,营市监罚〔2026〕3号,价格,事实,依据,警告,警告,2026-03-12$T2,轻微,"
	echo "测试人员甲,自然人,,$P,,,营市监罚〔2026〕4号,价格,事实,依据,罚款,罚款1千元,2026-03-13$T2,一般,"
} >"$T/cf.csv"

ok "init" xy init
ok "import" xy import --unit 市场监管局 --category 行政处罚 --reported-on 2026-10 "$T/cf.csv"
R2=$(recid 营市监罚〔2026〕2号)
ok "an objection" xy objection add --record "$R2" --reason 处罚金额有误 --date 2026-11-21
ok "a commitment" xy commitment add --subject $CO --unit 站前区 --type 主动型 --date 2026-04-01
ok "a gov-dishonesty entry" xy gov-dishonesty add --body $G1 --body-name 营口市站前区某局（示例） \
	--district 站前区 --case-type 拖欠企业账款 --source '（2026）辽0802民初1号' --amount 125.5 \
	--creditor $CO --date 2026-01-10
ok "a unit watches" xy watch add --unit 住建局 $CO
ok "a watch-list entry" xy list add --type 重点关注名单 --subject $CO --unit 发改委 \
	--doc 发改关注〔2026〕1号 --from 2026-03-10
ok "a black-list entry naming the 法定代表人" xy list add --type 失信被执行人名单 --subject $CO \
	--unit 中级法院 --doc '（2026）辽08执1号' --from 2026-04-01 --person "法定代表人:$REP:示例甲"

# same DESC "CLI ARGS" VIEW ARGS…: the CLI's JSON equals the library's
same() {
	d=$1 cli=$2
	shift 2
	# shellcheck disable=SC2086
	a=$(xy $cli --format json 2>&1)
	b=$("$VD" "$XINYONG_DB" "$@" 2>&1)
	if [ -n "$a" ] && [ "$a" = "$b" ]; then pass "$d"; else fail "$d" "cli:  $a" "view: $b"; fi
}
same "show (office)" "show $CO" profile $CO
same "show --public" "show --public $CO" profile $CO public
same "show --public of a person" "show --public $P" profile $P public
same "show --as-of" "show --as-of 2026-03-31 $CO" profile $CO office 2026-03-31
same "show of a government body" "show $G1" profile $G1
same "list show" "list show" entries x
same "list show --public" "list show --public" entries x public
same "commitment list" "commitment list" commitments x
same "gov-dishonesty list" "gov-dishonesty list" gov_dishonesties x
same "batches" "batches" batches
same "batches 1" "batches 1" batch 1
same "notices" "notices --unit 住建局" notices 住建局
is "… with the black-list entry's notice" "$(xy notices --unit 住建局 --format json | jq '.notices | length')" 1
same "objection list" "objection list" cases objection

# the public view's rules, seen from the CLI
p=$(xy show --public $CO --format json)
if printf '%s' "$p" | grep -q "$REP\|_extra\|内部的话\|重点关注名单"; then
	fail "public show: no full 身份证号, no unchecked column, no watch list" "$p"
else pass "public show: no full 身份证号, no unchecked column, no watch list"; fi
is "public show: no cases" "$(echo "$p" | jq -r 'has("cases")')" false
is "public show: the 轻微 record counted, not shown" "$(echo "$p" | jq -r .hidden)" 1
like "office show: the full number" "$(xy show $CO --format json)" "$REP"
pp=$(xy show --public $P)
if printf '%s' "$pp" | grep -q "$P"; then fail "public table of a person: masked" "$pp"
else pass "public table of a person: masked"; fi
like "… as 210802********1235" "$pp" "210802\*\*\*\*\*\*\*\*1235"
l=$(xy list show --public --format json)
is "public list: the black list only" "$(echo "$l" | jq -c '[.entries[].list_type]')" '["失信被执行人名单"]'
if printf '%s' "$l" | grep -q "$REP"; then fail "public list: persons masked" "$l"
else pass "public list: persons masked"; fi
fails "public list of a watch list: unknown" 1 xy list show --public --type 重点关注名单
