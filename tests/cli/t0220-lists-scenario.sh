#!/bin/sh
# The whole 联合奖惩 story of issue 4, from an import: an employer (generated demo data:
# a made-up company with a valid generated USCC, its 法定代表人 a generated valid 身份证号) is
# put on 拖欠农民工工资失信联合惩戒对象名单 by 人社局 through a 地方发布黑名单 file; the checks
# of 财政局 (政府采购 → measure 7), 自然资源局 (土地供应 → 8) and the person's; feedback in
# the statistics; the repair (申请 → 受理 → 审核 → 通过) after 6 months that exits the
# entry; date edges; a memorandum loaded from an
# XLSX written by LibreOffice; and bad input that changes nothing (every table's rows, every
# list entry and memorandum compared).
. "$(dirname "$0")/lib.sh"

LT=拖欠农民工工资失信联合惩戒对象名单
CO=91210802MA0XYQA01T   # the employer (generated)
CO2=91210802MA0XYQB02K  # a second enterprise (generated)
REP=21080219850612103X  # the employer's 法定代表人 (generated)
DOC='营人社欠薪〔2026〕1号'
HDR=决定文书号,企业名称,统一社会信用代码,名单名称,认定单位,列入日期,截止日期,事由,法定代表人,法定代表人身份证号
dump() { { xy db counts; xy list show --all --format json; xy memorandum list --format json; } | md5sum; }
col() { # UNIT CATEGORY FROM TO: the department table's cell
	xy stats --from "$3" --to "$4" --by department --format json |
		jq -r --arg u "$1" --arg c "$2" '.rows[] | select(.["部门名称"] == $u) | .[$c]'
}

ok "init" xy init

# --- the employer is listed by import, with its legal representative
printf '%s\n%s,营口某建筑工程有限公司,%s,%s,人社局,2026-06-01,,拖欠农民工工资,张某,%s\n' \
	"$HDR" "$DOC" $CO $LT $REP >"$T/black.csv"
j=$(xy import --unit 人社局 --category 地方发布黑名单 --format json "$T/black.csv")
is "import: one record, one new list entry" "$(echo "$j" | jq -c '[.new, .list_entries.created, .list_entries.problems]')" "[1,1,0]"
j=$(xy list show --type $LT --format json)
E=$(echo "$j" | jq -r '.entries[0].entry')
is "the entry: subject, unit, doc, start, end from the type's 1y" \
	"$(echo "$j" | jq -r '.entries[0] | [.subject, .unit, .doc, .from, .to] | join(" ")')" \
	"$CO 人社局 $DOC 2026-06-01 2027-06-01"
is "the 法定代表人 is linked" "$(echo "$j" | jq -r '.entries[0].persons[0] | .role + " " + .code')" "法定代表人 $REP"
j=$(xy import --unit 人社局 --category 地方发布黑名单 --format json "$T/black.csv")
is "re-import: the record unchanged, no entry derived" "$(echo "$j" | jq -c '[.unchanged, .list_entries.created, .list_entries.updated]')" "[1,0,0]"
is "still one entry and one history line" "$(rows list_entries) $(rows list_entry_history)" "1 1"
is "the import counts once in 地方发布黑名单 (人社局, 2026-11)" "$(col 人社局 地方发布黑名单 2026-11 2026-11)" 1

# --- the checks
j=$(xy check $CO --unit 财政局 --matter 政府采购 --format json)
is "财政局 / 政府采购: measure 7" "$(echo "$j" | jq -c '[.measures[].number]')" "[7]"
is "… triggered by the imported entry" "$(echo "$j" | jq -r '.measures[0] | .triggered_by + " " + (.entry | tostring)')" "$DOC $E"
C1=$(echo "$j" | jq -r .check_id)
is "自然资源局 / 土地供应: measure 8" "$(xy check $CO --unit 自然资源局 --matter 土地供应 --format json | jq -c '[.measures[].number]')" "[8]"
j=$(xy check $REP --unit 金融发展局 --format json)
is "the 身份证号 of the 法定代表人: the person-targeted measures of 金融发展局" "$(echo "$j" | jq -c '[.measures[].number]')" "[12,14]"
is "… through the link" "$(echo "$j" | jq -r '.entries[0] | .via + " " + .role + " " + .through')" "person 法定代表人 $CO"
is "… 市委组织部: 28 (公务员招录)" "$(xy check $REP --unit 市委组织部 --format json | jq -c '[.measures[].number]')" "[28]"

# --- feedback in the statistics
j=$(xy feedback $C1 --unit 财政局 --applied 7 --result 取消其投标资格 --format json)
is "feedback: one 联合惩戒案例" "$(echo "$j" | jq -r '.counted["联合惩戒案例"]')" 1
is "stats: 财政局 联合惩戒案例 in 2026-11" "$(col 财政局 联合惩戒案例 2026-11 2026-11)" 1
is "stats: not in 2026-10" "$(col 财政局 联合惩戒案例 2026-10 2026-10)" 0

# --- list add counts too; an import of the same decision links, does not duplicate
ok "list add of a second employer" xy list add --type $LT --subject $CO2 --name 营口另一建筑公司 \
	--unit 人社局 --doc '营人社欠薪〔2026〕2号' --from 2026-07-01
is "list add counts in 地方发布黑名单 (人社局, today's month)" "$(col 人社局 地方发布黑名单 2026-11 2026-11)" 2
printf '%s\n营人社欠薪〔2026〕2号,营口另一建筑公司,%s,%s,人社局,2026-07-01,2027-07-01,欠薪,,\n' "$HDR" $CO2 $LT >"$T/b2.csv"
j=$(xy import --unit 人社局 --category 地方发布黑名单 --format json "$T/b2.csv")
is "importing the same decision links to the entry (no new one), its reason corrected" "$(echo "$j" | jq -c '[.list_entries.created, .list_entries.updated]')" "[0,1]"
is "two entries" "$(rows list_entries)" 2

# --- the employer pays and applies for repair of the imported record after 6 months:
# 受理 by 信用办, 审核 and 通过 by the reporting unit (人社局); the entry derived from the
# record exits 修复 on the decision date (found through the record's link)
R=$(recid "$DOC" $CO)
j=$(xy repair apply --record "$R" --subject $CO --reason 已足额支付拖欠工资 --evidence 工资支付凭证 \
	--evidence 人社局核查意见 --commitment 按时足额支付农民工工资 --date 2026-12-01 --format json)
RC=$(echo "$j" | jq -r .id)
is "repair apply on the imported 地方发布黑名单 record" "$(echo "$j" | jq -r '.step + " " + .category + " " + .record_key')" "申请 地方发布黑名单 $DOC"
ok "受理 by 信用办" xy repair accept "$RC" --date 2026-12-02
fails "审核 by another unit is refused" 1 xy repair review "$RC" --unit 财政局 --date 2026-12-03
ok "审核 by 人社局" xy repair review "$RC" --unit 人社局 --opinion 已核实工资支付 --date 2026-12-03
like "通过: the entry exits, one record counted" "$(xy repair decide "$RC" --unit 人社局 --result 通过 --text 准予修复 --date 2026-12-04)" \
	"通过; list entries exited: 1; counted in 信用修复、约谈企业: 1"
is "the entry exited 修复 on the decision date" "$(entry "$E" | jq -r '.exit + " " + .exit_date')" "修复 2026-12-04"
is "修复 counts in no 退出黑名单 column" "$(col 人社局 失信主体以注销、吊销等形式退出黑名单 2026-12 2026-12)" 0
is "信用修复、约谈企业: +1 for 人社局 in 2026-12" "$(col 人社局 信用修复、约谈企业 2026-12 2026-12)" 1
is "… nothing in 2026-11" "$(col 人社局 信用修复、约谈企业 2026-11 2026-11)" 0
is "after the exit: 财政局 / 政府采购 answers 无" "$(xy check $CO --unit 财政局 --matter 政府采购 --date 2026-12-15 --format json | jq -c '[.answer, .measures]')" '["无",[]]'
is "after the exit: 自然资源局 answers 无" "$(xy check $CO --unit 自然资源局 --matter 土地供应 --date 2026-12-15 --format json | jq -r .answer)" 无
is "after the exit: the person too" "$(xy check $REP --unit 金融发展局 --date 2026-12-15 --format json | jq -r .answer)" 无
is "the day before the decision the check still finds it" "$(xy check $CO --unit 财政局 --matter 政府采购 --date 2026-12-03 --format json | jq -c '[.measures[].number]')" "[7]"
is "list show --as-of an earlier date still shows the entry" "$(xy list show --type $LT --as-of 2026-12-03 --format json | jq -r --arg e "$E" '.entries[] | select(.entry == ($e | tonumber)) | .status')" active
is "… and not after the exit" "$(xy list show --type $LT --as-of 2026-12-04 --format json | jq -r --arg e "$E" '[.entries[] | select(.entry == ($e | tonumber))] | length')" 0
j=$(xy list show --all --type $LT --as-of 2026-12-04 --format json)
is "the entry's history remains" "$(echo "$j" | jq -r --arg e "$E" '.entries[] | select(.entry == ($e | tonumber)) | .status + " " + ([.history[].action] | join(","))')" "exited 列入,修复"
is "the repair case's history remains" "$(xy repair show "$RC" --format json | jq -r '.step + " " + ([.history[].action] | join(","))')" "通过 申请,受理,审核,通过"
is "show --as-of the decision date: the record 已修复" "$(xy show $CO --as-of 2026-12-04 --format json | jq -r --arg r "$R" '.records[] | select(.id == ($r | tonumber)) | .display')" 已修复
is "show --as-of the day before: 公示中" "$(xy show $CO --as-of 2026-12-03 --format json | jq -r --arg r "$R" '.records[] | select(.id == ($r | tonumber)) | .display')" 公示中
is "show --public: the repaired record is no longer shown, only counted" "$(xy show $CO --public --as-of 2026-12-04 --format json | jq -c --arg r "$R" '[([.records[] | select(.id == ($r | tonumber))] | length), .hidden]')" "[0,1]"
is "the record stays in the database" "$(xy show $CO --format json | jq --argjson r "$R" '[.records[] | select(.id == $r)] | length')" 1

# --- 吊销 of a black-list entry counts in 退出黑名单 in the month of the exit
E2=$(xy list show --all --format json | jq -r '.entries[] | select(.doc == "营人社欠薪〔2026〕2号") | .entry')
ok "吊销 of the second employer's entry" xy list exit "$E2" --how 吊销 --date 2026-12-10
is "stats: 退出黑名单 +1 for 人社局 in 2026-12" "$(col 人社局 失信主体以注销、吊销等形式退出黑名单 2026-12 2026-12)" 1
is "… nothing in 2026-11" "$(col 人社局 失信主体以注销、吊销等形式退出黑名单 2026-11 2026-11)" 0

# --- date edges
printf '%s\n营住建〔2026〕7号,营口某装饰公司,91210802MA0XYQC03C,,住建局,2026-01-01,2026-11-26,欠薪,,\n' "$HDR" >"$T/edge.csv"
j=$(xy import --unit 住建局 --category 地方发布黑名单 --format json "$T/edge.csv")
is "an entry ending today, by import" "$(echo "$j" | jq -r '.list_entries.created')" 1
printf '%s\n营人社欠薪〔2020〕8号,营口某装饰公司,91210802MA0XYQC03C,%s,人社局,2020-02-29,,欠薪,,\n' "$HDR" $LT >"$T/leap.csv"
ok "leap-day start by import" xy import --unit 人社局 --category 地方发布黑名单 "$T/leap.csv"
is "… 2020-02-29 + 1y ends 2021-02-28" "$(xy list show --all --format json | jq -r '.entries[] | select(.doc == "营人社欠薪〔2020〕8号") | .to')" 2021-02-28
is "an entry ending today is active today" "$(xy list show --all --type 地方发布黑名单 --format json | jq -r '.entries[] | select(.doc == "营住建〔2026〕7号") | .status')" active
is "… expired tomorrow" "$(xy list show --all --type 地方发布黑名单 --as-of 2026-11-27 --format json | jq -r '.entries[] | select(.doc == "营住建〔2026〕7号") | .status')" expired
is "… the check today sees it, tomorrow not" "$(xy check 91210802MA0XYQC03C --unit 住建局 --format json | jq -r '[.entries[].doc] | join(" ")') / $(xy check 91210802MA0XYQC03C --unit 住建局 --date 2026-11-27 --format json | jq -r '[.entries[].doc] | join(" ")')" "营住建〔2026〕7号 / "
ok "leap-day start by list add: 2020-02-29 + 1y" xy list add --type $LT --subject 91210802MA0XYQC03C --unit 人社局 --doc '营人社欠薪〔2020〕9号' --from 2020-02-29
is "… ends 2021-02-28" "$(xy list show --all --format json | jq -r '.entries[] | select(.doc == "营人社欠薪〔2020〕9号") | .to')" 2021-02-28
is "… active on 2021-02-28, expired on 2021-03-01" \
	"$(xy list show --all --type $LT --as-of 2021-02-28 --format json | jq -r '.entries[] | select(.doc == "营人社欠薪〔2020〕9号") | .status') $(xy list show --all --type $LT --as-of 2021-03-01 --format json | jq -r '.entries[] | select(.doc == "营人社欠薪〔2020〕9号") | .status')" \
	"active expired"
is "… pending the day before" "$(xy list show --all --type $LT --as-of 2020-02-28 --format json | jq -r '.entries[] | select(.doc == "营人社欠薪〔2020〕9号") | .status')" pending

# --- a row that cannot become an entry: a warning, the record stays
printf '%s\n营发改〔2026〕5号,营口某装饰公司,91210802MA0XYQC03C,守信激励对象名单,,2026-05-01,,x,,\n' "$HDR" >"$T/wrong.csv"
ok "a red list named in a black-list file: imported" xy import --unit 发改委 --category 地方发布黑名单 "$T/wrong.csv"
like "… with a warning naming the record and field" "$(cat "$T/.err")" "营发改〔2026〕5号: MDMC: no list entry: 名单 守信激励对象名单 is reported under 地方发布红名单"
like "… list sync lists it" "$(xy list sync)" "1 without entry"

# --- bad input: a clear error, the database unchanged
before=$(dump)
fails "check: unknown subject (a name)" 1 xy check 无此企业 --unit 财政局
like "… says so" "$(cat "$T/.err")" "unknown subject"
fails "check: unknown unit" 1 xy check $CO --unit 不存在局
like "… says so" "$(cat "$T/.err")" "unknown unit '不存在局'"
fails "check: unknown matter" 1 xy check $CO --unit 财政局 --matter 买菜
like "… says so" "$(cat "$T/.err")" "unknown matter '买菜'"
fails "feedback for a check that does not exist" 1 xy feedback 9999 --unit 财政局 --applied 7
like "… says so" "$(cat "$T/.err")" "no check 9999"
fails "feedback by another unit" 1 xy feedback $C1 --unit 自然资源局 --applied 7
like "… says so" "$(cat "$T/.err")" "asked by 财政局, not 自然资源局"
fails "list add: unknown subject" 1 xy list add --type $LT --subject 91210802MA0XYQD045 --unit 人社局 --doc x --from 2026-01-01
fails "list exit: an exited entry" 1 xy list exit $E --how 注销 --date 2026-12-20
fails "list sync: unknown unit" 1 xy list sync --unit 不存在局
cat >"$T/memo-bad.tsv" <<EOF
doc	营发改信用〔2026〕9号
title	《关于对拖欠农民工工资失信主体补充惩戒措施的备忘录》（测试）
date	2026
signatories	发改委|财政局
list_types	$LT
number	text	kind	units	target	matters	basis
1	在政府采购评审中予以限制	惩戒	财政局	单位	政府采购	营发改信用〔2026〕9号
2	限制其担任国有企业高级管理人员	惩戒	不存在局	法定代表人	jrgg	营发改信用〔2026〕9号
EOF
fails "memorandum with a measure for an unknown unit (TSV)" 1 xy memorandum load "$T/memo-bad.tsv"
like "… names file, row and field" "$(cat "$T/.err")" "memo-bad.tsv:8: units: measure 2: unknown unit '不存在局'"
sed 's/jrgg/买菜/; s/不存在局/国资委/' "$T/memo-bad.tsv" >"$T/memo-matter.tsv"
fails "memorandum with an unknown matter" 1 xy memorandum load "$T/memo-matter.tsv"
like "… names it" "$(cat "$T/.err")" "memo-matter.tsv:8: matters: measure 2: unknown matter '买菜'"
sed 's/^list_types.*/list_types	不存在名单/; s/不存在局/国资委/' "$T/memo-bad.tsv" >"$T/memo-type.tsv"
fails "memorandum with an unknown list type" 1 xy memorandum load "$T/memo-type.tsv"
like "… names it" "$(cat "$T/.err")" "memo-type.tsv:5: list_types: unknown list type '不存在名单'"
fails "memorandum show: unknown" 1 xy memorandum show 不存在
is "the database is unchanged by all of it" "$(dump)" "$before"

# --- a memorandum from an XLSX written by LibreOffice
if command -v soffice >/dev/null 2>&1; then
	sed 's/不存在局/国资委/' "$T/memo-bad.tsv" >"$T/memo.tsv"
	cp "$T/memo-bad.tsv" "$T/memobad.tsv"
	# both in one LibreOffice start (~2 s of CPU each)
	HOME="$T" timeout 120 soffice -env:UserInstallation="file://$T/lo" --headless \
		--infilter='CSV:9,34,76,1' --convert-to xlsx --outdir "$T/x" "$T/memo.tsv" "$T/memobad.tsv" >"$T/lo.log" 2>&1
	is "LibreOffice wrote the XLSX files" "$(unzip -l "$T/x/memo.xlsx" | grep -c 'xl/worksheets/sheet1.xml') $(unzip -l "$T/x/memobad.xlsx" | grep -c 'xl/worksheets/sheet1.xml')" "1 1"
	before=$(dump)
	fails "XLSX memorandum with an unknown unit" 1 xy memorandum load "$T/x/memobad.xlsx"
	like "… names file, row and field" "$(cat "$T/.err")" "memobad.xlsx:8: units: measure 2: unknown unit '不存在局'"
	is "… nothing stored" "$(dump)" "$before"
	j=$(xy memorandum load "$T/x/memo.xlsx" --format json)
	is "XLSX memorandum loaded" "$(echo "$j" | jq -c '[.doc, .measures, .origin]')" '["营发改信用〔2026〕9号",2,"database"]'
	is "memorandum list: the shipped one and the loaded one" "$(xy memorandum list --format json | jq -c '[.memoranda[] | .doc + ":" + .origin]')" '["营发改信用〔2019〕266号:config","营发改信用〔2026〕9号:database"]'
	is "memorandum show: measure 2's unit and target" "$(xy memorandum show '营发改信用〔2026〕9号' --format json | jq -c '.measures[1] | [.units, .target, .matters]')" '[["国资委"],["法定代表人"],["jrgg"]]'
	fails "loading it again is refused" 1 xy memorandum load "$T/memo.tsv"
	like "… already loaded" "$(cat "$T/.err")" "already loaded"
	ok "the employer is listed again in 2027, with its 法定代表人" xy list add --type $LT --subject $CO --unit 人社局 --doc '营人社欠薪〔2027〕1号' --from 2027-01-01 --person 法定代表人:$REP:张某
	is "the check uses the loaded memorandum" "$(xy check $CO --unit 财政局 --matter 政府采购 --date 2027-01-02 --format json | jq -c '[.measures[] | .memorandum + "#" + (.number | tostring)]')" '["营发改信用〔2019〕266号#7","营发改信用〔2026〕9号#1"]'
	is "… and its measure for 法定代表人 (国资委) reaches the person" "$(xy check $REP --unit 国资委 --date 2027-01-02 --format json | jq -c '[.measures[] | .memorandum + "#" + (.number | tostring)]')" '["营发改信用〔2026〕9号#2"]'
	is "… not before the entry starts" "$(xy check $REP --unit 国资委 --date 2026-12-31 --format json | jq -r .answer)" 无
	# a corrected version replaces the loaded one; checks already logged keep their answers
	C1=$(xy check $CO --unit 自然资源局 --matter 土地供应 --date 2027-01-02 --format json | jq -r .check_id)
	a1=$(xy checks "$C1" --format json | jq -c '[.answer, .measures]')
	{ cat "$T/memo.tsv"; printf '3\t不得参与土地出让竞买\t惩戒\t自然资源局\t单位\t土地供应\t营发改信用〔2026〕9号\n'; } >"$T/memo-v2.tsv"
	sed 's/自然资源局\t单位/不存在局\t单位/' "$T/memo-v2.tsv" >"$T/memo-v2bad.tsv"
	like "loading a doc again says how to correct it" "$(xy memorandum load "$T/memo-v2.tsv" 2>&1)" "already loaded.*--replace"
	before=$(dump)
	fails "a bad corrected version is refused" 1 xy memorandum load --replace "$T/memo-v2bad.tsv"
	like "… naming file, row and field" "$(cat "$T/.err")" "memo-v2bad.tsv:9: units: measure 3: unknown unit '不存在局'"
	fails "the shipped memorandum is not replaced from a file" 1 xy memorandum load --replace "$ROOT/data/memoranda/$(ls "$ROOT/data/memoranda" | head -1)"
	like "… edit the configuration instead" "$(cat "$T/.err")" "ships with the configuration"
	sed 's/〔2026〕9号/〔2026〕10号/' "$T/memo-v2.tsv" >"$T/memo-new.tsv"
	fails "--replace of a memorandum never loaded" 1 xy memorandum load --replace "$T/memo-new.tsv"
	like "… nothing to replace" "$(cat "$T/.err")" "not loaded: nothing to replace"
	is "… nothing changed by the refusals" "$(dump)" "$before"
	j=$(xy memorandum load --replace "$T/memo-v2.tsv" --format json)
	is "replaced: version 2 with 3 measures" "$(echo "$j" | jq -c '[.doc, .measures, .version]')" '["营发改信用〔2026〕9号",3,2]'
	is "the earlier text is kept as the one earlier version" "$(rows memorandum_versions) $(auditlog memorandum.replace | jq -r .before)" \
		"1 $(auditlog memorandum.load | jq -r 'select(.object == "memorandum:营发改信用〔2026〕9号") | .after')"
	like "memorandum list marks the version" "$(xy memorandum list)" "database, 第2版"
	is "the check now uses measure 3" "$(xy check $CO --unit 自然资源局 --matter 土地供应 --date 2027-01-02 --format json | jq -c '[.measures[] | .memorandum + "#" + (.number | tostring)]')" '["营发改信用〔2019〕266号#8","营发改信用〔2026〕9号#3"]'
	is "the check logged before keeps its answer" "$(xy checks "$C1" --format json | jq -c '[.answer, .measures]')" "$a1"
else
	pass "# SKIP soffice not installed: no LibreOffice XLSX memorandum"
fi
