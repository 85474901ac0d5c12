#!/bin/sh
# Lists, the 联合奖惩 check, feedback and watch notices (issue 4): the seed scenario —
# an employer listed for wage arrears with its 法定代表人, the checks, feedback in the
# statistics, the exit, the checks afterwards, and bad input that changes nothing.
. "$(dirname "$0")/lib.sh"

LT=拖欠农民工工资失信联合惩戒对象名单
CO=91210802MA0XYQA01T   # the employer (generated, valid USCC)
CO2=91210802MA0XYQB02K  # another enterprise
REP=21080219850612103X  # its 法定代表人 (generated, valid RIC)
DOC='营人社欠薪〔2026〕1号'

ok "init" xy init
fails "unknown subject without --name" 1 xy list add --type $LT --subject $CO --unit 人社局 --doc "$DOC" --from 2026-06-01
like "… says so" "$(cat "$T/.err")" "unknown subject"
fails "wrong designating unit" 1 xy list add --type $LT --subject $CO --name 营口某建筑工程有限公司 --unit 财政局 --doc "$DOC" --from 2026-06-01
like "… 谁认定谁负责" "$(cat "$T/.err")" "designated by 人社局"
fails "bad 身份证号 of a person" 1 xy list add --type $LT --subject $CO --name 营口某建筑工程有限公司 --unit 人社局 --doc "$DOC" --from 2026-06-01 --person 法定代表人:210802198506121039:张某
is "nothing written by refused adds" "$(rows list_entries) $(rows subjects)" "0 0"

ok "watch needs the subject: create it first with a registered entry elsewhere" \
	xy list add --type 重点关注名单 --subject $CO --name 营口某建筑工程有限公司 --unit 发改委 --doc 营发改关注〔2026〕3号 --from 2026-05-01
ok "财政局 watches the employer" xy watch add --unit 财政局 $CO
j=$(xy list add --type $LT --subject $CO --unit 人社局 --doc "$DOC" --from 2026-06-01 \
	--reason 拖欠农民工工资 --person 法定代表人:$REP:张某 --format json)
E=$(echo "$j" | jq -r .entry)
is "list add: end from the type's validity (1y)" "$(echo "$j" | jq -r .to)" 2027-06-01
is "list add: one notice to the watching unit" "$(echo "$j" | jq -r .notices)" 1
is "the person is a natural-person subject" "$(xy show $REP --format json | jq -r '.subject.kind + " " + .subject.code_type')" "person ric"
is "the person is linked in the role" "$(entry "$E" | jq -r '.persons[].role')" 法定代表人
fails "the same entry twice is refused" 1 xy list add --type $LT --subject $CO --unit 人社局 --doc "$DOC" --from 2026-06-01
like "… as a conflict" "$(cat "$T/.err")" "already exists"
n=$(xy notices --unit 财政局 --format json)
is "notices: the black-list entry" "$(echo "$n" | jq -r '.notices | length')" 1
is "notices: entry and list type" "$(echo "$n" | jq -r '.notices[0].entry, .notices[0].list_type' | tr '\n' ' ')" "$E $LT "
is "no notice for the watch-list entry" "$(rows notices)" 1

# the checks
j=$(xy check $CO --unit 财政局 --matter 政府采购 --format json)
is "财政局 / 政府采购: measure 7 only" "$(echo "$j" | jq -c '[.measures[].number]')" "[7]"
is "… with its memorandum, basis and trigger" "$(echo "$j" | jq -r '.measures[0] | .memorandum + " " + .triggered_by')" "营发改信用〔2019〕266号 $DOC"
like "… legal basis cites 政府采购法" "$(echo "$j" | jq -r '.measures[0].legal_basis')" "政府采购法"
is "… the entry, own" "$(echo "$j" | jq -r --arg lt $LT '.entries[] | select(.list_type == $lt) | .list_type + " " + .via + " " + .from + " " + .to')" "$LT own 2026-06-01 2027-06-01"
is "… answer 有" "$(echo "$j" | jq -r .answer)" 有
C1=$(echo "$j" | jq -r .check_id)
is "自然资源局 / 土地供应: measure 8" "$(xy check $CO --unit 自然资源局 --matter tdgy --format json | jq -c '[.measures[].number]')" "[8]"
j=$(xy check $REP --unit 人社局 --matter 公务员招录 --format json)
is "the 法定代表人: the entry through the link" "$(echo "$j" | jq -r '.entries[0] | .via + " " + .role + " " + .through')" "person 法定代表人 $CO"
is "… person-targeted measure 28" "$(echo "$j" | jq -c '[.measures[].number]')" "[28]"
is "市委组织部 also gets 28 for the person" "$(xy check $REP --unit 市委组织部 --format json | jq -c '[.measures[].number]')" "[28]"
is "a unit-targeted measure does not reach the person" "$(xy check $REP --unit 财政局 --matter 政府采购 --format json | jq -r .answer)" 无
like "table output names the measure" "$(xy check $CO --unit 财政局 --matter 政府采购)" "第7项.*政府采购"
like "show of the 身份证号 shows the entry through the link" "$(xy show $REP)" "【名单】.*"
is "show json: entry via person" "$(xy show $REP --format json | jq -r '.list_entries[0] | .via + " " + .status')" "person active"
is "checks are logged, with unit, subject and matter" "$(rows checks) $(xy checks --limit 100 --format json | jq -r --argjson c "$C1" '.checks[] | select(.check_id == $c) | .unit + " " + .matter')" "6 财政局 zfcg"

# bad checks: clear errors, nothing logged
before=$(rows checks)
fails "unknown subject (a name nobody has)" 1 xy check 不存在的公司 --unit 财政局
like "… message" "$(cat "$T/.err")" "unknown subject"
fails "a masked number cannot be checked" 1 xy check '2108**********1234' --unit 财政局
like "… message" "$(cat "$T/.err")" "masked"
fails "unknown unit" 1 xy check $CO --unit 不存在局
like "… message" "$(cat "$T/.err")" "unknown unit"
fails "unknown matter" 1 xy check $CO --unit 财政局 --matter 买菜
like "… message" "$(cat "$T/.err")" "unknown matter"
fails "no --unit is a usage error" 2 xy check $CO
is "nothing logged by bad checks" "$(rows checks)" "$before"

# A valid code never reported (issue 8): answered 无, found false, logged like every check.
j=$(xy check 91210802MA0XYQB02K --unit 财政局 --format json)
is "unknown valid code: 无" "$(echo "$j" | jq -r '.answer + " " + (.found|tostring)')" "无 false"
is "… logged" "$(rows checks)" "$((before + 1))"
is "… the log names the code" "$(xy checks --limit 1 --format json | jq -r '.checks[0].subject')" 91210802MA0XYQB02K
is "a known subject's check says found" "$(xy check $CO --unit 财政局 --format json | jq -r .found)" true
before=$(rows checks)

# feedback
fails "feedback on a check that does not exist" 1 xy feedback 999 --unit 财政局 --applied 7
like "… message" "$(cat "$T/.err")" "no check 999"
fails "feedback by another unit" 1 xy feedback $C1 --unit 自然资源局 --applied 7
like "… message" "$(cat "$T/.err")" "asked by 财政局"
fails "a measure not in the answer" 1 xy feedback $C1 --unit 财政局 --applied 8
like "… message" "$(cat "$T/.err")" "not in the answer"
fails "not applied without a reason" 1 xy feedback $C1 --unit 财政局 --not-applied 7
is "nothing recorded by bad feedback" "$(rows feedback) $(batchlist | jq -s 'map(select(.format == "feedback")) | length')" "0 0"
j=$(xy feedback $C1 --unit 财政局 --applied 7 --result 取消其投标资格 --format json)
is "feedback counted as 联合惩戒案例" "$(echo "$j" | jq -r '.counted["联合惩戒案例"]')" 1
is "feedback stored" "$(xy checks "$C1" --format json | jq -r '.feedback[] | "\(if .applied then 1 else 0 end)\(.result)"')" "1取消其投标资格"
is "feedback batch" "$(batchlist | jq -r 'select(.format == "feedback") | "\(.file) \(.reported_on) \(.new)"')" "feedback:$C1 2026-11-26 1"
fails "feedback twice on the same measure" 1 xy feedback $C1 --unit 财政局 --applied 7
is "… changes nothing" "$(rows feedback) $(batchlist | jq -s 'map(select(.format == "feedback")) | length')" "1 1"
s=$(xy stats --from 2026-11 --to 2026-11 --by department --format json)
is "stats: 财政局 联合惩戒案例 +1 in 2026-11" "$(echo "$s" | jq -r '.rows[] | select(.["部门名称"]=="财政局") | .["联合惩戒案例"]')" 1
is "stats: nothing in 2026-10" "$(xy stats --from 2026-10 --to 2026-10 --by department --format json | jq -r '.rows[] | select(.["部门名称"]=="财政局") | .["联合惩戒案例"]')" 0

# the exit
fails "exit with an unknown way" 1 xy list exit $E --how 期满 --date 2026-12-01
fails "exit before the start" 1 xy list exit $E --how 修复 --date 2026-01-01
ok "the employer is repaired (修复) from 2026-12-01" xy list exit $E --how 修复 --date 2026-12-01
fails "an exit of an exited entry" 1 xy list exit $E --how 注销 --date 2026-12-05
like "… message" "$(cat "$T/.err")" "already exited"
is "… nothing changed" "$(entry "$E" | jq -r '"\(.exit)\(.exit_date) \(.history | length)"')" "修复2026-12-01 2"
fails "exit of a missing entry" 1 xy list exit 999 --how 修复 --date 2026-12-01
is "after the exit: 财政局 check returns 无" "$(xy check $CO --unit 财政局 --matter 政府采购 --date 2026-12-15 --format json | jq -c --arg lt $LT '[.answer, [.entries[] | select(.list_type == $lt)], .measures]')" '["无",[],[]]'
is "after the exit: the person too" "$(xy check $REP --unit 人社局 --date 2026-12-15 --format json | jq -r .answer)" 无
like "table mode prints 无" "$(xy check $CO --unit 自然资源局 --date 2026-12-15)" "答复: 无"
is "the day before the exit it still applies" "$(xy check $CO --unit 财政局 --matter 政府采购 --date 2026-11-30 --format json | jq -c '[.measures[].number]')" "[7]"
j=$(xy list show --type $LT --as-of 2026-11-30 --format json)
is "list show as of an earlier date: active" "$(echo "$j" | jq -r '.entries[0].status')" active
is "list show as of after the exit: not listed" "$(xy list show --type $LT --as-of 2026-12-02 --format json | jq -r '.entries | length')" 0
is "list show --all: exited" "$(xy list show --all --type $LT --as-of 2026-12-02 --format json | jq -r '.entries[0].status')" exited
is "history remains" "$(echo "$j" | jq -r '[.entries[0].history[].action] | join(",")')" "列入,修复"
is "the entry is not deleted" "$(rows list_entries)" 2

# date edges: an entry ending today is active, one that ended yesterday is not
ok "an entry ending today" xy list add --type 地方发布黑名单 --subject $CO2 --name 营口另一公司 --unit 住建局 --doc 营住建〔2026〕7号 --from 2026-01-01 --to 2026-11-26
ok "an entry that ended yesterday" xy list add --type 地方发布黑名单 --subject $CO2 --unit 住建局 --doc 营住建〔2026〕8号 --from 2026-01-01 --to 2026-11-25
is "ending today: active, ended yesterday: expired" \
	"$(xy list show --all --type 地方发布黑名单 --format json | jq -r '[.entries[] | .doc + "=" + .status] | join(" ")')" \
	"营住建〔2026〕7号=active 营住建〔2026〕8号=expired"
is "check today sees only the active one" "$(xy check $CO2 --unit 住建局 --format json | jq -r '[.entries[].doc] | join(" ")')" 营住建〔2026〕7号
fails "an end before the start" 1 xy list add --type 地方发布黑名单 --subject $CO2 --unit 住建局 --doc x --from 2026-02-01 --to 2026-01-01
fails "unknown list type" 1 xy list add --type 不存在名单 --subject $CO2 --unit 住建局 --doc x --from 2026-02-01
is "refused adds change nothing" "$(rows list_entries)" 4
