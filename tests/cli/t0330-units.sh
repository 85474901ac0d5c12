#!/bin/sh
# xinyong registry units add|rename: a new source unit and a renamed one, audited; the old
# name still finds the unit (imports, mappings, the statistics' tables.tsv); bad input is
# refused naming the field.
. "$(dirname "$0")/lib.sh"
ME=cli:$(id -un)

ok "add a park" xy registry units add 高新区 --kind 园区 --format json
is "  its kind, no division, no former names" "$(jq -c '[.name, .kind, .division, .former_names]' "$T/.out")" \
	'["高新区","park",null,[]]'
is "  last in the bulletin's order" "$(jq .sort "$T/.out")" "$(xy registry units --format json | jq '[.units[].sort] | max')"
is "  audited" "$(auditlog unit.add | jq -r '.who + " " + .object')" "$ME unit:高新区"
ok "add a county with its division code" xy registry units add 新城区 --kind county --division 210899
like "  in the list" "$(xy registry units)" 'county +210899 +新城区'
printf '标题,日期\n新单位的报道,2019-10-15\n' >"$T/r.csv"
ok "the new unit imports" xy import --unit 高新区 --category 信用工作报道 --reported-on 2019-10 "$T/r.csv"

ok "rename 市场监管局" xy registry units rename 市场监管局 市市场监督管理局 --format json
is "  the old name a former name" "$(jq -c '[.name, .former_names]' "$T/.out")" '["市市场监督管理局",["市场监管局"]]'
like "  the list says 曾用名" "$(xy registry units)" '市市场监督管理局  \(曾用名 市场监管局\)'
is "  audited with the name before and after" \
	"$(auditlog unit.rename | jq -r '.object + " " + (if (.before // "") != "" then "1" else "0" end) + (if (.after // "") != "" then "1" else "0" end)')" \
	"unit:市市场监督管理局 11"
ok "an old file's import names the old unit" xy import --unit 市场监管局 --category 诚信建设万里行 --reported-on 2019-10 "$T/r.csv"
is "  its batch is the renamed unit's" \
	"$(batchlist | head -1 | jq -r .unit)" 市市场监督管理局
ok "a mapping by the old name" xy mapping add --unit 市场监管局 --category 行政处罚 内部编号 CF_WSH
ok "the statistics (tables.tsv names 市场监管局) still build" xy stats --from 2019-10 --to 2019-10 --format json
is "  and count the renamed unit's record" \
	"$(jq -r '.rows[] | select(.["部门名称"] == "市场监管局") | .["诚信建设万里行"]' "$T/.out")" 1
ok "rename it back (by its former name)" xy registry units rename 市场监管局 市场监管局 --format json
is "  the other name kept as a former name" "$(jq -c '[.name, .former_names]' "$T/.out")" '["市场监管局",["市市场监督管理局"]]'

fails "add a name that exists" 1 xy registry units add 发改委 --kind 部门
like "  says so, naming the field" "$(cat "$T/.err")" 'name: unit .发改委. exists already \(信源单位已存在\)'
fails "add a former name" 1 xy registry units add 市市场监督管理局 --kind 部门
like "  says whose" "$(cat "$T/.err")" '曾用名'
fails "a kind that is none" 1 xy registry units add 新区 --kind 乡镇
like "  names kind" "$(cat "$T/.err")" 'kind: .*部门、区县 或 园区'
fails "a county without its division code" 1 xy registry units add 新区 --kind 区县
like "  names division" "$(cat "$T/.err")" 'division: .*行政区划代码'
fails "a division code taken" 1 xy registry units add 新区 --kind 区县 --division 210899
like "  names the unit that has it" "$(cat "$T/.err")" '新城区'
fails "a name with /" 1 xy registry units add 'a/b' --kind park
fails "an empty name" 1 xy registry units add '　' --kind park
fails "a name of 65 characters" 1 xy registry units add "$(printf '长%.0s' $(seq 65))" --kind park
fails "rename an unknown unit" 1 xy registry units rename 无此单位 有此单位
fails "rename to another unit's name" 1 xy registry units rename 市审批局 发改委
fails "rename to its own name" 1 xy registry units rename 市审批局 市审批局
fails "add without --kind" 2 xy registry units add 新区
fails "rename without the new name" 2 xy registry units rename 市审批局
is "nothing of the refused changes stored" \
	"$(xy registry units --format json | jq '[.units[] | select(.name == "新区" or .name == "a/b" or .name == "有此单位")] | length') $(xy audit show --limit 1000 --format json | jq '[.entries[] | select(.action | startswith("unit."))] | length')" "0 4"
