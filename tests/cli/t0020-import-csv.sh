#!/bin/sh
# Import of a GB18030 CSV: validation, atomic batch, error report in the input's format,
# idempotent re-import, updates keep history.
. "$(dirname "$0")/lib.sh"

csv="$SAMPLES/市场监管局-行政处罚-2019-10.csv"
j=$(xy import --unit 市场监管局 --category 行政处罚 --reported-on 2019-10 --format json "$csv")
is "summary: 12 rows, 9 new, 3 rejected" \
	"$(echo "$j" | jq -r '"\(.rows) \(.new) \(.updated) \(.unchanged) \(.rejected)"')" "12 9 0 0 3"
is "encoding detected as GB18030" "$(echo "$j" | jq -r .encoding)" gb18030
is "reporting date back-filled" "$(echo "$j" | jq -r .reported_on)" 2019-10-01
batch=$(echo "$j" | jq -r .batch)
report=$(echo "$j" | jq -r .error_report)
is "9 records stored" "$(rows records)" 9
is "the batch brought them in" "$(xy batches "$batch" --format json | jq .new)" 9
is "subjects: 9 (7 enterprises, 2 natural persons)" \
	"$(rows subjects) $(dsp | jq -r 'select(.subject.kind == "person") | .subject.name' | sort -u | wc -l)" "9 2"
ok "error report exists" test -f "$report"
like "error report is a .csv beside the database" "$report" "^$BESIDE/reports/batch-$batch-.*\.errors\.csv$"

# The report is GB18030 like the input: decodes as GB18030, is not valid UTF-8.
ok "error report decodes as GB18030" iconv -f GB18030 -t UTF-8 "$report" -o "$T/report.txt"
fails "error report is not UTF-8" 1 iconv -f UTF-8 -t UTF-8 "$report" -o /dev/null
is "error report: header + 3 rejected rows" "$(grep -c . "$T/report.txt")" 4
head -1 "$T/report.txt" >"$T/h"
like "report keeps the original header and adds the error columns" "$(cat "$T/h")" "^行政相对人名称,.*数据来源单位统一社会信用代码,错误行号,错误字段,错误原因,error"
like "row 4: wrong check character" "$(grep ',4,' "$T/report.txt")" "统一社会信用代码.*校验|check character"
like "row 8: empty 文书号" "$(grep ',8,' "$T/report.txt")" "行政处罚决定书文号.*必填|required"
like "row 12: impossible date" "$(grep ',12,' "$T/report.txt")" "处罚决定日期.*(日期|date)"

e=$(xy batches "$batch" --format json)
is "batch errors stored with rows 4 8 12" "$(echo "$e" | jq -r '[.errors[].row] | map(tostring) | join(" ")')" "4 8 12"
is "batch errors name columns" "$(echo "$e" | jq -r '.errors[0].column')" "统一社会信用代码"
like "batch errors give both languages" "$(echo "$e" | jq -r '.errors[2] | .reason_zh + " / " + .reason_en')" "日期.* / .*date"

# Idempotent: the same file again changes nothing, reported a month later too.
j=$(xy import --unit 市场监管局 --category 行政处罚 --reported-on 2019-11 --format json "$csv")
is "re-import: 9 unchanged, 3 rejected, 0 new" \
	"$(echo "$j" | jq -r '"\(.new) \(.updated) \(.unchanged) \(.rejected)"')" "0 0 9 3"
is "still 9 records" "$(rows records)" 9
one=$(dsp | jq -r 'select(.subject.kind == "legal") | .subject.code' | head -1)
is "first batch kept: still counted in the month it came" \
	"$(xy show "$one" --format json | jq -r '[.records[].reported_on] | unique | join(" ")')" 2019-10-01

# A corrected file: the unit fixes the error report and sends it back (report columns ignored).
iconv -f GB18030 -t UTF-8 "$report" | sed 's/2019-02-30/2019-02-28/' | iconv -f UTF-8 -t GB18030 >"$T/fixed.csv"
j=$(xy import --unit 市场监管局 --category 行政处罚 --format json "$T/fixed.csv" 2>"$T/warn")
is "corrected report: 1 new, 2 still rejected" "$(echo "$j" | jq -r '"\(.new) \(.rejected)"')" "1 2"
is "no warning about the report's own columns" "$(grep -c '错误原因' "$T/warn")" 0

# A changed row updates and keeps the old version.
iconv -f GB18030 -t UTF-8 "$csv" | sed '2s/罚款人民币1千元整/罚款人民币1千五百元整/' | iconv -f UTF-8 -t GB18030 >"$T/changed.csv"
j=$(xy import --unit 市场监管局 --category 行政处罚 --format json "$T/changed.csv")
is "changed file: 1 updated, 8 unchanged" "$(echo "$j" | jq -r '"\(.new) \(.updated) \(.unchanged)"')" "0 1 8"
is "old version kept in history" "$(rows record_versions)" 1
like "new content stored" "$(records | grep 千五百)" "千五百"

# The same records reported by another unit are that unit's records.
j=$(xy import --unit 公安局 --category 行政处罚 --format json "$csv")
is "another unit's identical file: 9 new" "$(echo "$j" | jq -r .new)" 9
