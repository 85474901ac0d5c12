#!/bin/sh
# Watch notices marked read (xinyong notices read ID|--all): the unread count, read_at, only
# the unit's own notices, audit-logged once, bad input refused.
. "$(dirname "$0")/lib.sh"

LT=拖欠农民工工资失信联合惩戒对象名单
CO=91210802MA0XYQA01T # a generated, valid USCC

ok "a subject to watch" xy list add --type 重点关注名单 --subject $CO --name 营口某建筑工程有限公司 \
	--unit 发改委 --doc 营发改关注〔2026〕3号 --from 2026-05-01
ok "财政局 watches it" xy watch add --unit 财政局 $CO
ok "住建局 watches it" xy watch add --unit 住建局 $CO
ok "a black-list entry: a notice to each" xy list add --type $LT --subject $CO --unit 人社局 \
	--doc '营人社欠薪〔2026〕1号' --from 2026-06-01 --reason 拖欠农民工工资
ok "财政局's notices" xy notices --unit 财政局 --format json
is "  one, unread" "$(jq -c '[.unread, (.notices | length), .notices[0].read_at]' "$T/.out")" "[1,1,null]"
N=$(jq -r '.notices[0].id' "$T/.out")
N2=$(xy notices --unit 住建局 --format json | jq -r '.notices[0].id')
ok "  the table says 未读" xy notices --unit 财政局
like "  …" "$(cat "$T/.out")" "营口某建筑工程有限公司  未读"

fails "住建局 cannot mark 财政局's notice" 1 xy notices read --unit 住建局 "$N"
like "  not found, naming it" "$(cat "$T/.err")" "notice $N not found"
is "  still unread" "$(xy notices --unit 财政局 --format json | jq .unread)" 1
is "  nothing audited" "$(auditlog notice.read | wc -l)" 0

ok "财政局 marks its notice read" xy notices read --unit 财政局 "$N" --format json
is "  marked 1, 0 unread" "$(jq -c '[.marked, .unread]' "$T/.out")" "[1,0]"
like "  read_at is a time" "$(jq -r '.notices[0].read_at' "$T/.out")" '^20[0-9]{2}-[0-9]{2}-[0-9]{2}T[0-9:]{8}Z$'
is "  audited as notice.read of notice:$N" \
	"$(auditlog notice.read | jq -r '.who + " " + .object')" "cli:$(id -un) notice:$N"
ok "  the table says 已读" xy notices --unit 财政局
like "  …" "$(cat "$T/.out")" "营口某建筑工程有限公司  已读"
ok "marking it again changes nothing" xy notices read --unit 财政局 "$N"
like "  says so" "$(cat "$T/.out")" "标为已读 0 条"
is "  and is not audited again" "$(auditlog notice.read | wc -l)" 1
is "住建局's notice is still unread" "$(xy notices --unit 住建局 --format json | jq .unread)" 1
ok "住建局 marks all read" xy notices read --unit 住建局 --all --format json
is "  marked 1, 0 unread" "$(jq -c '[.marked, .unread]' "$T/.out")" "[1,0]"
is "  audited as notice.read of unit:住建局" \
	"$(auditlog notice.read | tail -1 | jq -r .object)" "unit:住建局"
is "  its notice is the one read" "$(xy notices --unit 住建局 --format json | jq --argjson n "$N2" '[.notices[] | select(.id == $n and .read_at != null)] | length')" 1

fails "an id that is no number" 2 xy notices read --unit 财政局 x1
fails "no id and no --all" 2 xy notices read --unit 财政局
fails "both an id and --all" 2 xy notices read --unit 财政局 --all "$N"
fails "a notice that does not exist" 1 xy notices read --unit 财政局 99999
fails "an unknown unit" 1 xy notices read --unit 无此单位 --all
fails "--all is for read only" 2 xy notices --unit 财政局 --all
