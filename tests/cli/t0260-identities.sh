#!/bin/sh
# Identities as published (issue 8): masked 身份证号, 个体工商户 without a USCC (工商注册号 or
# 经营者), long values kept whole.  The rows are generated here (no real people); the layout is
# the national 2019 行政处罚 template's columns (data/fields.tsv).
. "$(dirname "$0")/lib.sh"

# a 工商注册号 with a right GS 15-2006 check digit, found with xinyong itself
for d in 0 1 2 3 4 5 6 7 8 9; do
	if xy id --kind regno "21080400000123$d" >/dev/null 2>&1; then reg="21080400000123$d"; fi
done
badreg=$(printf %s "$reg" | cut -c1-14)$(( ($(printf %s "$reg" | cut -c15) + 1) % 10 ))
long=$(i=0; while [ $i -lt 200 ]; do printf 营; i=$((i + 1)); done)
jg=营口市市场监督管理局
jgdm=11210800MAR7YF578P
h=行政相对人名称,行政相对人类别,统一社会信用代码,工商注册号,法定代表人,法定代表人证件号码,证件类型,证件号码,行政处罚决定书文号,违法行为类型,违法事实,处罚依据,处罚类别,处罚内容,处罚决定日期,处罚有效期,处罚机关,处罚机关统一社会信用代码,数据来源单位,数据来源单位统一社会信用代码
tail="违法行为,事实,依据,罚款,罚款1000元,2026-01-05,2027-01-05,$jg,$jgdm,$jg,$jgdm"
{
	echo "$h"
	echo "张某甲,自然人,,,,,身份证,2108**********1234,营监罚〔2026〕1号,$tail"
	echo "王某乙,自然人,,,,,居民身份证,2108**********1234,营监罚〔2026〕2号,$tail"
	echo "张某甲,自然人,,,,,身份证,2108＊＊＊＊＊＊＊＊＊＊1234,营监罚〔2026〕3号,$tail"
	echo "李某丙,自然人,,,,,,210804********567X,营监罚〔2026〕4号,$tail"
	echo "营口某某小吃店,个体工商户,,$reg,赵某丁,,,,营监罚〔2026〕5号,$tail"
	echo "营口某某修车铺,个体工商户,,$badreg,钱某戊,,,,营监罚〔2026〕6号,$tail"
	echo "营口某某便利店,个体工商户,,,孙某己,210804********4321,,,营监罚〔2026〕7号,$tail"
	echo "营口某某五金店,个体工商户,,,,,,,营监罚〔2026〕8号,$tail"
	echo "$long,自然人,,,,,港澳居民来往内地通行证,H12345678,营监罚〔2026〕9号,$tail"
} >"$T/cf.csv"

ok "import of 自然人 and 个体工商户 rows" xy import --unit 市场监管局 --category 行政处罚 "$T/cf.csv"
j=$(xy batches --format json | jq '.[0]')
is "only the 五金店 with no identity at all is rejected" "$(echo "$j" | jq -r '.rejected')" 1
is "eight rows stored" "$(echo "$j" | jq -r '.new')" 8
like "the rejection says what an 个体工商户 needs" "$(xy batches "$(echo "$j" | jq -r .batch)")" "个体工商户须填写统一社会信用代码、工商注册号或经营者证件号码"

# Two people sharing a mask stay two subjects; the same mask and name (full width ＊) is one.
is "two masked subjects for one mask" "$(dsp | jq -r '.subject | select(.code_type == "ric_masked" and (.code | startswith("2108**********1234 "))) | .code' | sort -u | wc -l)" 2
is "the same person's records share a subject" "$(dsp | jq -r 'select(.subject.code == "2108**********1234 张某甲") | .key' | wc -l)" 2
is "masked subjects are natural persons" "$(dsp | jq -r '.subject | select(.code_type == "ric_masked") | .kind' | sort -u | paste -sd,)" person
is "a visible division is kept" "$(dsp | jq -r '.subject | select(.name == "李某丙") | .division' | sort -u)" 210804
# A full number is never matched to a mask.
fails "a full number does not find a masked subject" 1 xy show 210802199001011234 --format json
is "… its JSON names no match" "$(xy show 210802199001011234 --format json | jq -r '.matches | length')" 0
is "the mask finds its two subjects" "$(xy show '2108**********1234' --format json | jq -r '.matches | length')" 2
is "one subject with that mask: shown" "$(xy show '210804********567X' --format json | jq -r .subject.name)" 李某丙

# 个体工商户 without a USCC: by 工商注册号 (a failing check digit kept), or by its 经营者.
sj() { xy show "$1" --format json | jq -r "$2"; }
is "by 工商注册号" "$(sj 营口某某小吃店 '.subject | .kind + " " + .code_type + " " + .code')" "individual regno $reg"
is "a 工商注册号 failing its check digit is kept" "$(sj 营口某某修车铺 '.subject | .code_type + " " + .code')" "regno $badreg"
like "… with a warning" "$(xy import --unit 市场监管局 --category 行政处罚 "$T/cf.csv" 2>&1)" "工商注册号 '$badreg'.*check"
is "by 经营者 ID and name" "$(sj 营口某某便利店 '.subject | .code_type + " " + .code')" "operator 210804********4321 孙某己"

# Nothing cut: a 200-character name and a 33-byte 证件类型 round-trip whole.
j=$(xy show H12345678 --format json)
ok "show --format json of the long subject exits 0" xy show H12345678 --format json
is "the 200-character name whole" "$(echo "$j" | jq -r .subject.name)" "$long"
is "港澳居民来往内地通行证 whole" "$(echo "$j" | jq -r .subject.code_type)" 港澳居民来往内地通行证

# The public view never shows a full 身份证号 (信用中国: first 6, ********, last 4).
full=210802199001011235
for d in 0 1 2 3 4 5 6 7 8 9 X; do
	if xy id --kind ric "21080219900101123$d" >/dev/null 2>&1; then full="21080219900101123$d"; fi
done
{
	echo "$h"
	echo "周某庚,自然人,,,,,身份证,$full,营监罚〔2026〕10号,$tail"
} >"$T/cf2.csv"
ok "a full 身份证号 imported" xy import --unit 市场监管局 --category 行政处罚 "$T/cf2.csv"
pub=$(xy show "$full" --public --format json)
is "public JSON: the subject's number masked" "$(printf '%s\n' "$pub" | jq -r .subject.code)" "$(printf %s "$full" | cut -c1-6)********$(printf %s "$full" | cut -c15-18)"
if printf '%s' "$pub" | grep -Eq '[0-9]{17}[0-9X]'; then fail "public JSON contains no 18-digit 身份证号" "$pub"; else pass "public JSON contains no 18-digit 身份证号"; fi
if xy show "$full" --public | grep -Eq '[0-9]{17}[0-9X]'; then fail "public table contains no 18-digit 身份证号"; else pass "public table contains no 18-digit 身份证号"; fi
is "the office view keeps the full number" "$(xy show "$full" --format json | jq -r .subject.code)" "$full"
