#!/bin/sh
# xinyong show: a subject's profile by USCC, 身份证号 or any 2+ character part of its name.
. "$(dirname "$0")/lib.sh"

xy import --unit 市场监管局 --category 行政处罚 "$SAMPLES/市场监管局-行政处罚-2019-10.csv" >/dev/null
xy import --unit 市审批局 --category 行政许可 "$SAMPLES/市审批局-行政许可-2019-10.xlsx" >/dev/null
# A subject with a licence and a penalty: give one penalty's subject a licence too.
first=$(dsp | jq -sc 'map(select(.category == "行政处罚" and .subject.kind == "legal")) | min_by(.id)')
code=$(echo "$first" | jq -r .subject.code)
name=$(echo "$first" | jq -r .subject.name)
printf '行政相对人名称,统一社会信用代码,行政许可决定文书号,许可决定日期,许可机关\n%s,%s,营审批〔2019〕9999号,2019-06-01,营口市行政审批局\n' "$name" "$code" >"$T/xk.csv"
ok "a licence for the same subject" xy import --unit 市审批局 --category 行政许可 "$T/xk.csv"

j=$(xy show "$code" --format json)
is "by USCC: the subject" "$(echo "$j" | jq -r .subject.code)" "$code"
is "by USCC: records in two categories" "$(echo "$j" | jq -r '.categories | keys | sort | join(",")')" "行政处罚,行政许可"
is "by USCC: two source units" "$(echo "$j" | jq -r '.units | keys | length')" 2
like "by USCC: district from the division code" "$(echo "$j" | jq -r .subject.district)" "区|市|圈"
is "records carry their reporting date" "$(echo "$j" | jq -r '[.records[].reported_on] | unique | length')" 1
like "table output groups by category" "$(xy show "$code")" "【行政处罚】.*"

lc=$(printf %s "$code" | tr 'A-Z' 'a-z')
is "by lower-case USCC" "$(xy show "$lc" --format json | jq -r .subject.code)" "$code"

# the first natural person's 身份证号 of the sample (GBK), as the office typed it
ric=$(iconv -f GB18030 -t UTF-8 "$SAMPLES/市场监管局-行政处罚-2019-10.csv" | awk -F, '$2 == "自然人" { print $6; exit }')
j=$(xy show "$ric" --format json)
is "by 身份证号: a natural person" "$(echo "$j" | jq -r '.subject.kind + " " + .subject.code_type + " " + .subject.code')" "person ric $ric"

# Name search: a 3-character part (FTS5 trigram) and a 2-character part (fallback).
three=$(printf %s "$name" | cut -c4-12)   # 3 CJK characters = 9 bytes, skipping 营
two=$(printf %s "$name" | cut -c4-9)
hit() { xy show "$1" --format json | jq -r --arg c "$code" '[.subject.code // empty, (.matches // [])[].code] | index($c) != null'; }
is "3-character name part '$three' finds it" "$(hit "$three")" true
is "2-character name part '$two' finds it" "$(hit "$two")" true
is "whole name finds it" "$(xy show "$name" --format json | jq -r .subject.code)" "$code"
fails "no match exits 1" 1 xy show 不存在的企业名称
fails "no argument is a usage error" 2 xy show
