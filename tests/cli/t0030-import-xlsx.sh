#!/bin/sh
# Import of an XLSX saved by LibreOffice: date cells, an XLSX error report, re-import.
. "$(dirname "$0")/lib.sh"

x="$SAMPLES/市审批局-行政许可-2019-10.xlsx"
j=$(xy import --unit 市审批局 --category 行政许可 --format json "$x")
is "summary: 10 rows, 8 new, 2 rejected" "$(echo "$j" | jq -r '"\(.rows) \(.new) \(.rejected)"')" "10 8 2"
is "format xlsx" "$(echo "$j" | jq -r .format)" xlsx
is "reported today by default" "$(echo "$j" | jq -r .reported_on)" 2026-11-26
report=$(echo "$j" | jq -r .error_report)
like "error report is an .xlsx" "$report" '\.errors\.xlsx$'
ok "error report is a zip with a workbook" sh -c "unzip -l '$report' | grep -q xl/workbook.xml"

# Read the report back with xinyong itself: importing it shows the same two rows rejected.
j2=$(xy import --unit 市审批局 --category 行政许可 --format json "$report" 2>/dev/null)
is "the report re-imports as the same 2 rejected rows" "$(echo "$j2" | jq -r '"\(.rows) \(.rejected)"')" "2 2"

e=$(xy batches "$(echo "$j" | jq -r .batch)" --format json)
is "rejected rows are sheet rows 5 and 9" "$(echo "$e" | jq -r '[.errors[].row] | map(tostring) | join(" ")')" "5 9"
like "rejected rows name their sheet" "$(echo "$e" | jq -r '.errors[0].sheet')" "."
like "row 5: letter I in the USCC" "$(echo "$e" | jq -r '.errors[0] | .column + " " + .reason_en')" "统一社会信用代码 .*'I'"
like "row 9: 许可类别 not in the list" "$(echo "$e" | jq -r '.errors[1] | .column + " " + .reason_zh')" "许可类别 .*普通"

# Date cells (stored as serial numbers by LibreOffice) come out as ISO dates.
is "every decision date is ISO" "$(dsp | jq -r .decided_on | grep -c '^2019-[01][0-9]-[0-3][0-9]$')" 8
is "有效期至 stored as a date" "$(records | jq -r .data.XK_YXQZI | grep -c '^2024-')" 8
is "当前状态 有效 stored as its code 1" "$(records | jq -r .data.XK_ZT | sort -u)" 1

j=$(xy import --unit 市审批局 --category 行政许可 --format json "$x")
is "re-import unchanged" "$(echo "$j" | jq -r '"\(.new) \(.unchanged)"')" "0 8"
