#!/bin/sh
# The source units' own work over the API (issue 9): their checks and feedback,
# the repair and objection cases routed to them and their steps, commitments,
# watch list and notices, and a batch's rejected rows in keyset pages — each
# read route's JSON equal to the CLI's (jq -S), each write audit-logged as the
# token, another unit's objects 404, bad input refused.  Generated codes and
# names only (tests/http/matrix.d/unit.sh makes the shared fixtures).
. "$(dirname "$0")/lib.sh"
xy init >/dev/null
start_server
. "$ROOT/tests/http/matrix.d/unit.sh"
J='Content-Type: application/json'
CZ=$(mktoken unit 财政局)
LT=拖欠农民工工资失信联合惩戒对象名单
CO=91210802MA0XYQA01T
xy list add --type $LT --subject $CO --name 营口示例建筑有限公司 --unit 人社局 \
	--doc '营人社欠薪〔2026〕9号' --from 2026-06-01 >/dev/null || fail "list add"

# same DESC CLI-ARGS: the last response's JSON equals `xinyong CLI-ARGS --format json`
same() {
	d=$1
	shift
	xy "$@" --format json >"$T/cli.json" 2>&1
	a=$(jq -S . "$T/body" 2>&1) b=$(jq -S . "$T/cli.json" 2>&1)
	if [ -n "$a" ] && [ "$a" = "$b" ]; then pass "$d"; else fail "$d" "api: $a" "cli: $b"; fi
}

# -- checks and feedback
req POST /api/v1/checks -H "$CZ" -H "$J" -d "{\"subject\":\"$CO\",\"matter\":\"政府采购\",\"date\":\"2026-07-01\"}"
is "a check with a measure" "$(jq -c '[.answer, [.measures[].number]]' "$T/body")" '["有",[7]]'
C=$(jq -r .check_id "$T/body")
for i in 1 2; do
	req POST /api/v1/checks -H "$CZ" -H "$J" -d "{\"subject\":\"$unit_co\",\"date\":\"2026-07-0$i\"}"
done
req GET /api/v1/checks -H "$CZ"
is "GET /checks: 200" "$ST" 200
is "… the unit's three checks, newest first" "$(jq -c '[.checks[].check_id] | length, (.[0] > .[2])' "$T/body" | tr '\n' ' ')" "3 true "
same "GET /checks = xinyong checks --unit" checks --unit 财政局
req GET "/api/v1/checks?limit=2" -H "$CZ"
N=$(jq -r .next "$T/body")
is "a page of 2 has a next cursor" "$(jq '.checks | length' "$T/body") $([ "$N" != null ] && echo cursor)" "2 cursor"
same "… = checks --limit 2" checks --unit 财政局 --limit 2
req GET "/api/v1/checks?limit=2&after=$N" -H "$CZ"
is "the next page: the oldest, no further cursor" "$(jq -c '[.checks[].check_id], .next' "$T/body" | tr '\n' ' ')" "[$C] null "
same "… = checks --after" checks --unit 财政局 --limit 2 --after "$N"
req GET "/api/v1/checks?after=1%27%20OR%201=1" -H "$CZ"
is "a malformed cursor: 400" "$ST" 400
req GET "/api/v1/checks?unit=市审批局" -H "$CZ"
is "another unit's checks: 403" "$ST" 403
req GET "/api/v1/checks?unit=市审批局" -H "$ADMIN"
is "the office names the unit" "$(jq -r '[.checks[].unit] | unique | join(",")' "$T/body")" 市审批局
req GET "/api/v1/checks/$C" -H "$CZ"
is "GET /checks/{id}: no feedback yet" "$ST $(jq -c .feedback "$T/body")" "200 []"
same "GET /checks/{id} = xinyong checks ID" checks "$C"
req GET "/api/v1/checks/$C" -H "$UNIT_SJ"
is "another unit's check: 404" "$ST" 404
req POST "/api/v1/checks/$C/feedback" -H "$UNIT_SJ" -H "$J" -d '{"applied":[7]}'
is "feedback on another unit's check: 404" "$ST" 404
req POST "/api/v1/checks/$C/feedback" -H "$CZ" -H "$J" -d '{"applied":[7]'
is "malformed JSON: 400" "$ST" 400
req POST "/api/v1/checks/$C/feedback" -H "$CZ" -H "$J" -d '{"applied":"7"}'
is "applied not an array: 422" "$ST $(jq -r .error.field "$T/body")" "422 applied"
req POST "/api/v1/checks/$C/feedback" -H "$CZ" -H "$J" -d '{"not_applied":[7]}'
is "未采取 without a reason: 422" "$ST $(jq -r .error.field "$T/body")" "422 reason"
req POST "/api/v1/checks/$C/feedback" -H "$CZ" -H "$J" -d '{"applied":[99]}'
is "a measure not in the answer: 422" "$ST" 422
req POST "/api/v1/checks/$C/feedback" -H "$CZ" -H "$J" -d '{"applied":[7],"unit":"市审批局"}'
is "feedback naming another unit: 403" "$ST" 403
req POST "/api/v1/checks/$C/feedback" -H "$AUDIT" -H "$J" -d '{"applied":[7]}'
is "the auditor may not: 403" "$ST" 403
is "nothing recorded by the refusals" "$(rows feedback)" 0
req POST "/api/v1/checks/$C/feedback" -H "$CZ" -H "$J" -d '{"applied":[7],"result":"已限制参加政府采购","date":"2026-07-05"}'
is "feedback: 201 with the check, 已采取, counted" \
	"$ST $(jq -c '[.feedback[] | .status + " " + (.number|tostring)], .counted["联合惩戒案例"]' "$T/body" | tr '\n' ' ')" \
	'201 ["已采取 7"] 1 '
req POST "/api/v1/checks/$C/feedback" -H "$CZ" -H "$J" -d '{"applied":[7]}'
is "the same feedback again: 409" "$ST" 409
req GET "/api/v1/checks/$C" -H "$ADMIN"
same "the check with its feedback = xinyong checks ID" checks "$C"
tokid() { xy token list --format json | jq -r --arg u "$1" '.tokens[] | select(.unit == $u and .label == "http-test") | .id'; }
by() { xy audit show --who "$1" --limit 1000 --format json | jq -c '.entries[]'; }
CZID=$(tokid 财政局)
is "feedback audit-logged as the token" \
	"$(auditlog check.feedback | jq -r '.who + " " + .object')" "token:$CZID check:$C"

# -- cases routed to the unit
R2=$(recid 营市监罚〔2026〕矩阵2号)
OB=$(xy objection add --record "$R2" --reason 处罚金额有误 --date 2026-11-21 --format json | jq -r .id)
req GET "/api/v1/cases?kind=repair" -H "$UNIT_SC"
is "GET /cases: the repair routed to sc" "$ST $(jq -c '[.repairs[] | .id]' "$T/body")" "200 [$unit_case]"
same "… = repair list --unit" repair list --unit 市场监管局
req GET "/api/v1/cases?kind=repair&status=open&date=2026-11-21" -H "$UNIT_SC"
same "… status=open = repair list --status open" repair list --unit 市场监管局 --status open --as-of 2026-11-21
req GET "/api/v1/cases?kind=objection&status=受理" -H "$UNIT_SC"
is "the objection at 受理" "$(jq -c '[.objections[].id]' "$T/body")" "[$OB]"
same "… = objection list --status 受理" objection list --unit 市场监管局 --status 受理
req GET "/api/v1/cases?kind=repair" -H "$UNIT_SJ"
is "no case is routed to sj" "$(jq -c .repairs "$T/body")" "[]"
req GET "/api/v1/cases?kind=repair&status=%27%20OR%201=1%20--" -H "$UNIT_SC"
is "an unknown status: 400" "$ST" 400
req GET "/api/v1/cases?kind=../etc" -H "$UNIT_SC"
is "an unknown kind: 400" "$ST" 400
req GET "/api/v1/cases/$unit_case" -H "$UNIT_SC"
is "GET /cases/{id}" "$ST $(jq -r '.step + " " + .unit' "$T/body")" "200 申请 市场监管局"
same "… = repair show" repair show "$unit_case"
req GET "/api/v1/cases/$unit_case" -H "$UNIT_SJ"
is "another unit's case: 404" "$ST" 404
req POST "/api/v1/cases/$unit_case/steps" -H "$UNIT_SJ" -H "$J" -d '{"action":"accept"}'
is "a step on another unit's case: 404" "$ST" 404
req POST "/api/v1/cases/$unit_case/steps" -H "$UNIT_SC" -H "$J" -d '{"action":"approve"}'
is "an unknown action: 422" "$ST $(jq -r .error.field "$T/body")" "422 action"
req POST "/api/v1/cases/$unit_case/steps" -H "$UNIT_SC" -H "$J" -d '{"action":"review","date":"2026-11-21"}'
is "review before 受理: 422 naming the step" "$ST $(jq -r .error.field "$T/body")" "422 step"
req POST "/api/v1/cases/$unit_case/steps" -H "$UNIT_SC" -H "$J" -d '{"action":"accept","date":"2026-11-21","text":"材料齐全"}'
is "受理: 200, the case at 受理" "$ST $(jq -r .step "$T/body")" "200 受理"
req POST "/api/v1/cases/$unit_case/steps" -H "$UNIT_SC" -H "$J" -d '{"action":"review","date":"2026-11-22","text":"属实"}'
is "审核: 200" "$ST $(jq -r .step "$T/body")" "200 审核"
req POST "/api/v1/cases/$unit_case/steps" -H "$UNIT_SC" -H "$J" -d '{"action":"decide","result":"也许","date":"2026-11-23"}'
is "a decision neither 通过 nor 不通过: 422" "$ST" 422
req POST "/api/v1/cases/$unit_case/steps" -H "$UNIT_SC" -H "$J" -d '{"action":"decide","result":"不通过","date":"2026-11-23","text":"未满最短公示期"}'
is "decide 不通过: 200, closed" "$ST $(jq -r '"\(.step) \(.open)"' "$T/body")" "200 不通过 false"
req POST "/api/v1/cases/$OB/steps" -H "$UNIT_SC" -H "$J" -d '{"action":"decide","result":"维持","date":"2026-11-25"}'
is "objection decided 维持" "$ST $(jq -r .step "$T/body")" "200 维持"
SCID=$(tokid 市场监管局)
is "the four steps audit-logged as the token" \
	"$(by "token:$SCID" | jq -r 'select(.action == "repair.step" or .action == "objection.step") | .seq' | wc -l)" 4
like "… with digests of before and after" \
	"$(by "token:$SCID" | jq -r 'select(.action == "repair.step") | .before + " " + .after' | head -1)" \
	'^[0-9a-f]{64} [0-9a-f]{64}$'

# -- commitments
req POST /api/v1/commitments -H "$UNIT_SJ" -H "$J" \
	-d "{\"subject\":\"$unit_co\",\"type\":\"审批替代型\",\"date\":\"2026-05-01\",\"matter\":\"施工许可\",\"deadline\":\"2026-08-01\"}"
is "register a commitment: 201" "$ST $(jq -r '.unit + " " + .status' "$T/body")" "201 市审批局 pending"
CM=$(jq -r .id "$T/body")
req POST /api/v1/commitments -H "$UNIT_SJ" -H "$J" -d "{\"subject\":\"$unit_co\",\"type\":\"审批替代型\",\"unit\":\"市场监管局\"}"
is "as another unit: 403" "$ST" 403
req POST /api/v1/commitments -H "$UNIT_SJ" -H "$J" -d '{"subject":"91210802MA0XYZZ99Z","type":"审批替代型"}'
is "an unknown subject without a name: 422" "$ST" 422
req POST /api/v1/commitments -H "$UNIT_SJ" -H "$J" -d "{\"subject\":\"$unit_co\",\"type\":7}"
is "type not a string: 422" "$ST $(jq -r .error.field "$T/body")" "422 type"
req GET "/api/v1/commitments?date=2026-06-01" -H "$UNIT_SJ"
is "GET /commitments: the unit's two" "$(jq '.commitments | length' "$T/body")" 2
same "… = commitment list --unit" commitment list --unit 市审批局 --as-of 2026-06-01
req GET "/api/v1/commitments/$CM" -H "$UNIT_SC"
is "another unit's commitment: 404" "$ST" 404
req POST "/api/v1/commitments/$CM/checks" -H "$UNIT_SC" -H "$J" -d '{"result":"履约"}'
is "checking another unit's commitment: 404" "$ST" 404
req POST "/api/v1/commitments/$CM/checks" -H "$UNIT_SJ" -H "$J" -d '{"result":"履约","date":"2026-04-01"}'
is "a check before the signing: 422" "$ST" 422
req POST "/api/v1/commitments/$CM/checks" -H "$UNIT_SJ" -H "$J" -d '{"result":"履约","date":"2026-07-01","note":"已按期提交"}'
is "a fulfilment check: 201, kept" "$ST $(jq -r '.status + " " + .checks[0].by' "$T/body")" "201 kept 市审批局"
req GET "/api/v1/commitments/$CM?date=2026-07-01" -H "$UNIT_SJ"
same "GET /commitments/{id} = commitment show" commitment show "$CM" --as-of 2026-07-01
SJID=$(tokid 市审批局)
is "commitment add and check audit-logged" \
	"$(by "token:$SJID" | jq -r --arg o "commitment:$CM" 'select(.object == $o) | .action' | paste -sd' ')" \
	"commitment.add commitment.check"

# -- watch list and notices
req POST /api/v1/watch -H "$UNIT_SJ" -H "$J" -d "{\"subject\":\"$CO\"}"
is "watch a subject: 201" "$ST $(jq -c '[.watching[].subject]' "$T/body")" "201 [\"$CO\"]"
req GET /api/v1/watch -H "$UNIT_SJ"
same "GET /watch = watch list" watch list --unit 市审批局
req POST /api/v1/watch -H "$UNIT_SJ" -H "$J" -d '{"subject":"x'"'"' OR 1=1 --"}'
is "an unknown subject: 422" "$ST" 422
xy list add --type 失信被执行人名单 --subject $CO --unit 中级法院 --doc '（2026）辽08执9号' --from 2026-07-01 >/dev/null
req GET /api/v1/notices -H "$UNIT_SJ"
is "a notice of the new entry" "$ST $(jq -r '.notices[0].doc' "$T/body")" "200 （2026）辽08执9号"
same "GET /notices = notices --unit" notices --unit 市审批局
req GET "/api/v1/notices?unit=市审批局" -H "$AUDIT"
is "the auditor reads a named unit's notices" "$ST" 200
req GET /api/v1/notices -H "$ADMIN"
is "the office without ?unit: 400" "$ST" 400
# marking notices read: the unit's own only, audited once
req GET /api/v1/notices -H "$UNIT_SJ"
NID=$(jq -r '.notices[0].id' "$T/body")
U0=$(jq .unread "$T/body")
is "unread: every notice (the fixtures' too), read_at null" \
	"$(jq -c '[.unread == (.notices | length), .notices[0].read_at]' "$T/body")" "[true,null]"
req POST "/api/v1/notices/$NID/read" -H "$UNIT_SC"
is "another unit's notice: 404" "$ST $(jq -r .error.code "$T/body")" "404 notfound"
req POST "/api/v1/notices/$NID/read" -H "$ADMIN"
is "the office does not mark a unit's notices: 403" "$ST" 403
req POST "/api/v1/notices/$NID/read" -H "$UNIT_SJ"
is "mark it read: 200, marked 1, one unread less" "$ST $(jq -c '[.marked, .unread]' "$T/body")" "200 [1,$((U0 - 1))]"
like "... read_at set" "$(jq -r '.notices[0].read_at' "$T/body")" '^20[0-9-]{8}T[0-9:]{8}Z$'
req POST "/api/v1/notices/$NID/read" -H "$UNIT_SJ"
is "again: 200, marked 0" "$ST $(jq .marked "$T/body")" "200 0"
req POST "/api/v1/notices/read-all" -H "$UNIT_SJ"
is "read-all: the rest marked, none unread" "$ST $(jq -c '[.marked, .unread]' "$T/body")" "200 [$((U0 - 1)),0]"
req POST "/api/v1/notices/read-all" -H "$UNIT_SJ"
is "read-all again: marked 0" "$ST $(jq -c '[.marked, .unread]' "$T/body")" "200 [0,0]"
req GET /api/v1/notices -H "$UNIT_SJ"
same "GET /notices = notices --unit, read_at included" notices --unit 市审批局
is "notice.read audited once each time something changed, by the token" \
	"$(auditlog notice.read | jq -r '.who + " " + .object' | paste -sd';')" \
	"token:$SJID notice:$NID$([ "$U0" -gt 1 ] && echo ";token:$SJID unit:市审批局")"
for bad in 0 x -1 99999999; do
	req POST "/api/v1/notices/$bad/read" -H "$UNIT_SJ"
	like "notice id $bad: 400 or 404" "$ST" '^40[04]$'
done
req DELETE "/api/v1/watch/..%2f..%2fetc%2fpasswd" -H "$UNIT_SJ"
is "traversal as a subject: 404" "$ST" 404
req DELETE "/api/v1/watch/$CO" -H "$UNIT_SC"
is "sc does not watch it: 404" "$ST" 404
req DELETE "/api/v1/watch/$CO" -H "$UNIT_SJ"
is "stop watching: 200, empty list" "$ST $(jq -c .watching "$T/body")" "200 []"
req DELETE "/api/v1/watch/$CO" -H "$UNIT_SJ"
is "again: 404" "$ST" 404
is "watch add and remove audit-logged" \
	"$(by "token:$SJID" | jq -r 'select(.action | startswith("watch.")) | .action' | paste -sd' ')" \
	"watch.add watch.remove"

# -- a batch's rejected rows in pages; error reports of UTF-8 CSV and JSON uploads
H=CF_XDR_MC,CF_XDR_LB,CF_XDR_SHXYM,CF_WSH,CF_WFXW,CF_SY,CF_YJ,CF_CFLB,CF_NR,CF_JDRQ,CF_YXQ,CF_CFJG,CF_CFJGDM,CF_SJLY,CF_SJLYDM,CF_SXYZCD
{
	echo "$H"
	for n in 1 2 3; do
		echo "营口分页示例有限公司,法人及非法人组织,91210802MA0XYQ${n},营市监罚〔2026〕页$n号,价格,事实,依据,罚款,罚款,2026-03-1$n,2027-12-31,营口市市场监督管理局,$unit_ag,营口市市场监督管理局,$unit_ag,一般"
	done
	echo "营口分页示例有限公司,法人及非法人组织,$unit_co,营市监罚〔2026〕页9号,价格,事实,依据,罚款,罚款,2026-03-19,2027-12-31,营口市市场监督管理局,$unit_ag,营口市市场监督管理局,$unit_ag,一般"
} >"$T/p.csv"
jq -R -s 'split("\n") | map(select(length > 0) | split(",")) | .[0] as $h
	| .[1:] | map([$h, .] | transpose | map({(.[0]): .[1]}) | add)' "$T/p.csv" >"$T/p.json"
sed 's/页/页J/' "$T/p.json" >"$T/pj.json"
req POST "/api/v1/uploads?category=行政处罚&reported_on=2026-10&filename=p.csv" -H "$UNIT_SC" \
	-H 'Content-Type: text/csv' --data-binary @"$T/p.csv"
B=$(jq -r .batch "$T/body")
is "UTF-8 CSV upload: 3 rejected" "$ST $(jq -r .rejected "$T/body")" "201 3"
req GET "/api/v1/batches/$B/errors" -H "$UNIT_SC"
is "… its report is UTF-8 CSV with the 3 rows" "$(header Content-Type) $(wc -l <"$T/body")" "text/csv; charset=utf-8 4"
req POST "/api/v1/uploads?category=行政处罚&reported_on=2026-10&filename=p.json" -H "$UNIT_SC" \
	-H "$J" --data-binary @"$T/pj.json"
BJ=$(jq -r .batch "$T/body")
is "JSON upload: 3 rejected" "$ST $(jq -r .rejected "$T/body")" "201 3"
req GET "/api/v1/batches/$BJ/errors" -H "$UNIT_SC"
is "… its report is JSON with the 3 rows" "$(header Content-Type) $(jq 'if type == "array" then length else (.rows // .records // [] | length) end' "$T/body")" \
	"application/json; charset=utf-8 3"
req GET "/api/v1/batches/$B?limit=2" -H "$UNIT_SC"
N=$(jq -r .next "$T/body")
is "a page of 2 rejected rows and a cursor" "$(jq -c '[.errors[].row]' "$T/body") $([ "$N" != null ] && echo cursor)" "[2,3] cursor"
xy batches "$B" --limit 2 --format json >"$T/cli.json"
is "… = batches ID --limit 2 (but the server's paths)" \
	"$(jq -S 'del(.file, .error_report)' "$T/body")" "$(jq -S 'del(.file, .error_report)' "$T/cli.json")"
req GET "/api/v1/batches/$B?limit=2&after=$N" -H "$UNIT_SC"
is "the next page: row 4, no cursor" "$(jq -c '[.errors[].row], .next' "$T/body" | tr '\n' ' ')" "[4] null "
xy batches "$B" --limit 2 --after "$N" --format json >"$T/cli.json"
is "… = batches ID --after" "$(jq -S 'del(.file, .error_report)' "$T/body")" "$(jq -S 'del(.file, .error_report)' "$T/cli.json")"
req GET "/api/v1/batches/$B?after=x%27--" -H "$UNIT_SC"
is "a malformed cursor: 400" "$ST" 400
req GET "/api/v1/batches/$B?limit=2" -H "$UNIT_SJ"
is "another unit's batch page: 404" "$ST" 404

# -- path parameters that are no ids; the server still answers
for p in "1%27%20OR%201=1" "..%2f..%2fetc%2fpasswd" "0" "-1" "99999999"; do
	req GET "/api/v1/checks/$p" -H "$ADMIN"
	like "checks/$p: 400 or 404" "$ST" '^(400|404)$'
	req POST "/api/v1/cases/$p/steps" -H "$ADMIN" -H "$J" -d '{"action":"accept"}'
	like "cases/$p/steps: 400 or 404" "$ST" '^(400|404)$'
	req GET "/api/v1/commitments/$p" -H "$ADMIN"
	like "commitments/$p: 400 or 404" "$ST" '^(400|404)$'
done
req GET /healthz
is "the server still answers" "$ST" 200
stop_server
is "clean shutdown" "$SRV_RC" 0
