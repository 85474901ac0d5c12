#!/bin/sh
# xinyong reconcile: the bulletin's hand-summed tables checked against their own rows and
# against the stored data.
. "$(dirname "$0")/lib.sh"

REF="$DATA/reference"
S="$DATA/stats"

fails "the printed department table: differences exit 1" 1 xy reconcile "$REF/bulletin-2019-10-departments.tsv"
out=$(cat "$T/.out")
like "  names the layout" "$out" "department table .*63 unit rows, 16 columns \+ 总计, 合计 row"
like "  合计 失信主体退出黑名单: 64 printed, 68 computed" "$out" "合计 · 失信主体以注销、吊销等形式退出黑名单: printed 64, computed 68"
like "  合计 信用修复、约谈企业" "$out" "合计 · 信用修复、约谈企业: printed 869, computed 880"
like "  合计 信用信息" "$out" "合计 · 信用信息: printed 415, computed 476"
like "  合计 总计" "$out" "合计 · 总计: printed 150447, computed 152992"
like "  four in all" "$out" "4 differences \(4 处不符\)"

fails "json: exit 1" 1 xy reconcile --format json "$REF/bulletin-2019-10-departments.tsv"
is "json: exactly the four wrong cells" "$(jq -cS . "$T/.out")" \
'[{"column":"失信主体以注销、吊销等形式退出黑名单","computed":68,"kind":"total_row","line":2,"printed":64,"row":"合计"},{"column":"信用修复、约谈企业","computed":880,"kind":"total_row","line":2,"printed":869,"row":"合计"},{"column":"信用信息","computed":476,"kind":"total_row","line":2,"printed":415,"row":"合计"},{"column":"总计","computed":152992,"kind":"total_row","line":2,"printed":150447,"row":"合计"}]'

ok "the printed region table has no totals to disagree" xy reconcile "$REF/bulletin-2019-10-regions.tsv"
like "  region layout" "$(cat "$T/.out")" "region table .*11 unit rows, 10 columns"
ok "json: an empty list" xy reconcile --format json "$REF/bulletin-2019-10-regions.tsv"
is "  []" "$(cat "$T/.out")" "[]"
ok "the corrected department table agrees" xy reconcile "$REF/bulletin-2019-10-departments.corrected.tsv"

fails "columns in another order, an extra column, CSV" 1 xy reconcile --format json "$S/reordered-departments.csv"
is "  the same four cells" "$(jq -c '[.[] | [.column, .printed, .computed]]' "$T/.out")" \
	'[["失信主体以注销、吊销等形式退出黑名单",64,68],["信用修复、约谈企业",869,880],["信用信息",415,476],["总计",150447,152992]]'
xy reconcile "$S/reordered-departments.csv" >"$T/o" 2>&1
like "  the extra column is listed as ignored" "$(cat "$T/o")" "ignored columns .*备注"

fails "a printed region table with groups, 合 计 and a wrong 总计" 1 xy reconcile --format json "$S/regions-printed.tsv"
is "  two differences" "$(jq -c '[.[] | [.row, .column, .printed, .computed, .kind]]' "$T/.out")" \
	'[["合计","信用承诺书",6855,6854,"total_row"],["站前区","总计",3730,3720,"total_column"]]'

# XLSX (our own workbook, its formulas' cached values read back) and GB18030 CSV
xy stats --from 2019-01 --to 2019-10 --format xlsx -o "$T/t.xlsx" >/dev/null
ok "an xlsx written by stats agrees" xy reconcile "$T/t.xlsx"
iconv -f UTF-8 -t GB18030 "$S/reordered-departments.csv" >"$T/gb.csv"
fails "a GB18030 CSV reads too" 1 xy reconcile --format json "$T/gb.csv"
is "  four differences" "$(jq length "$T/.out")" 4

# Against the data: a database with a few of the region table's cells.
printf '标题,日期\n' >"$T/a.csv"
for i in 1 2 3; do printf '报道%s,2019-03-0%s\n' $i $i >>"$T/a.csv"; done
xy import --unit 鲅鱼圈 --category 信用工作报道 --reported-on 2019-03 "$T/a.csv" >/dev/null
printf '标题,日期\n上报一,2019-04-01\n上报二,2019-04-02\n' >"$T/b.csv"
xy import --unit 站前区 --category 行业监管上报数量 --reported-on 2019-04 "$T/b.csv" >/dev/null
cat >"$T/small.tsv" <<'TSV'
地区	信用工作报道	行业监管上报数量
鲅鱼圈	3	3
站前区		2
TSV
fails "against the data: one wrong cell" 1 xy reconcile --format json "$T/small.tsv" --from 2019-01 --to 2019-10
is "  鲅鱼圈 行业监管上报数量 printed 3, stored 0" "$(jq -cS . "$T/.out")" \
	'[{"column":"行业监管上报数量","computed":0,"kind":"data","line":2,"printed":3,"row":"鲅鱼圈"}]'
fails "a range before the data: every printed cell differs" 1 xy reconcile --format json "$T/small.tsv" --from 2018-01 --to 2018-12
is "  three cells" "$(jq length "$T/.out")" 3
printf '地区\t行业监管上报数量\n鲅鱼圈\t\n' >"$T/partial.tsv"
fails "a unit with data missing from the table" 1 xy reconcile --format json "$T/partial.tsv" --from 2019-01 --to 2019-10
is "  站前区 is reported missing" "$(jq -cS . "$T/.out")" \
	'[{"column":"行业监管上报数量","computed":2,"kind":"data","line":null,"printed":0,"row":"站前区"}]'

fails "neither layout" 1 xy reconcile "$S/not-a-table.csv"
like "  says so" "$(cat "$T/.err")" "neither statistics table"
fails "a cell that is not a number" 1 xy reconcile "$S/bad-number.tsv"
like "  names line and column" "$(cat "$T/.err")" "bad-number.tsv:2: 行政处罚: '十二' is not a count"
fails "a missing file" 1 xy reconcile "$T/nothing.tsv"
fails "no file is a usage error" 2 xy reconcile
fails "--from without --to" 2 xy reconcile --from 2019-01 "$REF/bulletin-2019-10-regions.tsv"
fails "a backwards range" 2 xy reconcile --from 2019-10 --to 2019-01 "$REF/bulletin-2019-10-regions.tsv"
like "  says so" "$(cat "$T/.err")" "runs backwards"
