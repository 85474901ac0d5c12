#!/bin/sh
# xinyong quality: data quality per unit × category — lags across the 2019 国庆 holiday,
# the 7-working-day share, rejected rows and their reasons, a refused file, empty optional
# fields, every format (table, csv, md, html, json, xlsx checked by unzip), the unit filter,
# bad input, and the bulletin's sentence on the slowest units.
. "$(dirname "$0")/lib.sh"
# the upload times: 2019-10-09 10:00 in Beijing (the real clock says today)
export XINYONG_NOW=2019-10-09T02:00:00Z

# --- an empty database: no rows, not an error
ok "quality on an empty database" xy quality --from 2019-10 --to 2019-10 --format json
is "  no rows" "$(jq '.rows | length' "$T/.out")" 0
is "  the range" "$(jq -r '.from + " " + .to' "$T/.out")" "2019-10 2019-10"
ok "  table too" xy quality --from 2019-10 --to 2019-10
like "  with its Chinese column heads" "$(cat "$T/.out")" \
	"单位 +类别 +记录数 +平均滞后\(工作日\) +中位滞后\(工作日\) +最大滞后\(工作日\) +7个工作日内占比 +退回行数 +退回文件数 +主要退回原因 +空缺字段 +未识别列"

# --- 市场监管局 行政处罚 in 2019-10: decided 09-30 and 09-20, uploaded 10-09 (Beijing):
# lags 2 and 9 working days (国庆 10-01..07 off, Sunday 09-29 worked; data/holidays.tsv);
# one row with a bad USCC check character and one with a bad date are rejected.
H=行政相对人名称,行政相对人类别,统一社会信用代码,行政处罚决定书文号,违法行为类型,违法事实,处罚依据,处罚类别,处罚内容,处罚决定日期,处罚有效期,处罚机关,处罚机关统一社会信用代码,数据来源单位,数据来源单位统一社会信用代码,罚款金额（万元）
ORG=营口市市场监督管理局（示例）,11210800MAR7YF578P,营口市市场监督管理局（示例）,11210800MAR7YF578P
row() { # NAME USCC 文书号 决定日期 罚款
	echo "$1,法人及非法人组织,$2,$3,违反产品质量法,示例事实,示例依据,罚款,罚款1000元,$4,2020-09-30,$ORG,$5"
}
{
	echo "$H"
	row 营口示例甲公司（示例） 91210803MADE2UMA8E 营市监罚〔2019〕101号 2019-09-30 0.1
	row 营口示例乙公司（示例） 91210803MADE2UMA8E 营市监罚〔2019〕102号 2019-09-20 ""
	row 营口示例丙公司（示例） 91210803MADE2UMA8X 营市监罚〔2019〕103号 2019-09-20 ""
	row 营口示例丁公司（示例） 91210803MADE2UMA8E 营市监罚〔2019〕104号 2019-13-01 ""
} >"$T/cf.csv"
ok "import 4 rows, 2 rejected" xy import --unit 市场监管局 --category 行政处罚 --reported-on 2019-10 \
	--reports "$T/reports" "$T/cf.csv"
printf 'x,y\n1,2\n' >"$T/wrong.csv"
fails "a file of another template is refused" 1 \
	xy import --unit 市场监管局 --category 行政处罚 --reported-on 2019-10 "$T/wrong.csv"
# 站前区 信用承诺书 in 2019-10, decided 2019-09-20: a lag but no 7-day rule
printf '编号,主体名称,统一社会信用代码,日期\nCN-1,营口示例戊公司（示例）,91210803MADE2UMA8E,2019-09-20\n' \
	>"$T/cn.csv"
ok "import a 信用承诺书" xy import --unit 站前区 --category 信用承诺书 --reported-on 2019-10 "$T/cn.csv"
# a batch of 2019-11 is outside the range
sed -n '1p;2p' "$T/cf.csv" | sed 's/101号/201号/' >"$T/cf-nov.csv"
ok "import in 2019-11" xy import --unit 市场监管局 --category 行政处罚 --reported-on 2019-11 "$T/cf-nov.csv"

j=$(xy quality --from 2019-10 --to 2019-10 --format json)
r() { echo "$j" | jq -r --arg u "$1" --arg c "$2" ".rows[] | select(.unit == \$u and .category == \$c) | $3"; }
is "json: two rows, by unit order" "$(echo "$j" | jq -r '[.rows[] | .unit + "/" + .category] | join(" ")')" \
	"市场监管局/行政处罚 站前区/信用承诺书"
is "json: records of the month" "$(r 市场监管局 行政处罚 .records)" 2
is "json: lags dated / median / max" "$(r 市场监管局 行政处罚 '[.lag.dated, .lag.median, .lag.max] | join(" ")')" "2 5.5 9"
is "json: within 7 working days" "$(r 市场监管局 行政处罚 '[.lag.within_7, .lag.share_within_7] | join(" ")')" "1 0.5"
is "json: not estimated (2019 is in the calendar)" "$(r 市场监管局 行政处罚 .lag.estimated)" 0
is "json: rejected rows, files, refused" \
	"$(r 市场监管局 行政处罚 '[.rejected_rows, .rejected_rows_with_errors, .batches, .refused_files] | join(" ")')" "2 2 2 1"
is "json: both reasons, as stored" "$(r 市场监管局 行政处罚 '[.reasons[] | .reason + "=" + (.count | tostring)] | sort | join(";")')" \
	"$(batchlist | jq -r .batch | while read -r b; do xy batches "$b" --format json | jq -c '.errors[]'; done |
		jq -rs 'group_by(.reason_zh) | map(.[0].reason_zh + "=" + (length | tostring)) | sort | join(";")')"
is "json: 罚款金额 empty in 1 of 2 records" \
	"$(r 市场监管局 行政处罚 '.empty_fields[] | select(.code == "CF_NR_FK") | [.empty, .share] | join(" ")')" "1 0.5"
is "json: required fields are not listed" "$(r 市场监管局 行政处罚 '[.empty_fields[] | select(.code == "CF_WSH")] | length')" 0
is "json: 信用承诺书 has a lag, no 7-day rule" \
	"$(r 站前区 信用承诺书 '[.publicity, .lag.median, .lag.within_7] | map(tostring) | join(" ")')" "false 9 null"
is "json: no empty_fields outside 双公示" "$(r 站前区 信用承诺书 'has("empty_fields")')" false
is "json: unmapped_columns is a list" "$(r 市场监管局 行政处罚 '.unmapped_columns | type')" array
is "two months: the 2019-11 record too" \
	"$(xy quality --from 2019-10 --to 2019-11 --unit 市场监管局 --format json | jq '.rows[0].records')" 3

# --- the table and its formats
t=$(xy quality --from 2019-10 --to 2019-10)
like "table: title" "$t" "^2019年10月份信源单位数据质量情况"
like "table: the 行政处罚 row" "$t" "市场监管局 +行政处罚 +2 +5\.5 +5\.5 +9 +50\.0% +2 +1 +"
like "table: its reasons with counts" "$t" "校验码应为“E”，实为“X”（1）"
like "table: 信用承诺书 shows — for the share" "$t" "站前区 +信用承诺书 +1 +9\.0 +9 +9 +— +0 +0"
xy quality --from 2019-10 --to 2019-10 --format csv >"$T/q.csv"
is "csv: BOM and the header row" "$(head -1 "$T/q.csv")" \
	"$(printf '\357\273\277单位,类别,记录数,平均滞后(工作日),中位滞后(工作日),最大滞后(工作日),7个工作日内占比,退回行数,退回文件数,主要退回原因,空缺字段,未识别列\r')"
like "csv: the 行政处罚 row" "$(sed -n 2p "$T/q.csv")" "^市场监管局,行政处罚,2,5\.5,5\.5,9,50\.0%,2,1,"
is "csv: one line per row" "$(wc -l <"$T/q.csv")" 3
ok "md" xy quality --from 2019-10 --to 2019-10 --format md
like "  a Markdown row" "$(cat "$T/.out")" "\| 市场监管局 \| 行政处罚 \| 2 \| 5\.5 \|"
ok "html" xy quality --from 2019-10 --to 2019-10 --format html
like "  a caption" "$(cat "$T/.out")" "<caption>2019年10月份信源单位数据质量情况"
like "  the share cell" "$(cat "$T/.out")" "<td>行政处罚</td><td>2</td>.*<td>50\.0%</td>"
ok "xlsx" xy quality --from 2019-10 --to 2019-10 --format xlsx -o "$T/q.xlsx"
is "  one sheet named 数据质量" "$(unzip -p "$T/q.xlsx" xl/workbook.xml | grep -o 'name="[^"]*"' | head -1)" 'name="数据质量"'
ss=$(unzip -p "$T/q.xlsx" xl/sharedStrings.xml)
like "  the unit, the share and the reasons" "$ss" "<t>市场监管局</t>.*<t>50\.0%</t>.*校验码应为"
like "  the 7-day column head" "$ss" "<t>7个工作日内占比</t>"
like "  the record count as a number" "$(unzip -p "$T/q.xlsx" xl/worksheets/sheet1.xml)" '<c r="C4"[^>]*><v>2</v></c>'
ok "json to a file" xy quality --from 2019-10 --to 2019-10 --format json -o "$T/q.json"
is "  the same report" "$(jq -c . "$T/q.json")" "$(echo "$j" | jq -c .)"

# --- the unit filter and bad input
is "--unit: that unit's rows" "$(xy quality --from 2019-10 --to 2019-10 --unit 站前区 --format json | jq -r '[.unit, (.rows | length)] | join(" ")')" "站前区 1"
fails "unknown unit" 1 xy quality --from 2019-10 --to 2019-10 --unit 不存在的局
like "  named" "$(cat "$T/.err")" "不存在的局"
fails "backwards range" 2 xy quality --from 2019-10 --to 2019-09
fails "not a month" 2 xy quality --from 2019-1 --to 2019-10
fails "xlsx needs -o" 2 xy quality --from 2019-10 --to 2019-10 --format xlsx
fails "unknown format" 2 xy quality --format pdf
fails "unexpected argument" 2 xy quality extra
ok "--help" xy quality --help
like "  says what lag is" "$(cat "$T/.out")" "working days from the decision date"

# --- unmapped columns, as the importer records them (batch_columns)
{
	echo "$H,经办人,许可证号码"
	echo "$(row 营口示例庚公司（示例） 91210803MADE2UMA8E 营市监罚〔2019〕401号 2019-12-02 ""),张示例,XK001"
	echo "$(row 营口示例辛公司（示例） 91210803MADE2UMA8E 营市监罚〔2019〕402号 2019-12-02 ""),李示例,"
} >"$T/cf-dec.csv"
ok "import with two unknown columns" xy import --unit 市场监管局 --category 行政处罚 --reported-on 2019-12 "$T/cf-dec.csv"
jd=$(xy quality --from 2019-12 --to 2019-12 --format json)
is "json: both unmapped columns, most cells first" \
	"$(echo "$jd" | jq -r '[.rows[0].unmapped_columns[] | .header + ":" + (.batches | tostring) + "/" + (.cells | tostring)] | join(" ")')" \
	"经办人:1/2 许可证号码:1/1"
is "  the stored suggestion, named" \
	"$(echo "$jd" | jq -r '.rows[0].unmapped_columns[1] | (.suggestion // "") + " " + (.suggestion_name // "")')" \
	"$(batchlist | jq -r '.unmapped_columns[]? | select(.header == "许可证号码") | .suggestion.code // ""') $(xy registry category 行政处罚 --format json |
		jq -r --arg c "$(batchlist | jq -r '.unmapped_columns[]? | select(.header == "许可证号码") | .suggestion.code // ""')" '.fields[] | select(.code == $c) | .name')"
like "table: 未识别列" "$(xy quality --from 2019-12 --to 2019-12)" "经办人（1批/2格）；许可证号码（1批/1格"

# --- the bulletin: 市场监管局's median 5.5 is within 7 working days; a slow 市审批局 is named
ok "bulletin html" xy bulletin --issue 1 --date 2019-10-31 -o "$T/b1.html"
is "  no slow-units sentence when all are within 7" "$(grep -c 双公示报送较慢 "$T/b1.html")" 0
printf '%s\n' "$H" >"$T/xk.csv"
row 营口示例己公司（示例） 91210803MADE2UMA8E 营市监罚〔2019〕301号 2019-09-12 "" >>"$T/xk.csv"
ok "a late 行政处罚 of 市审批局" xy import --unit 市审批局 --category 行政处罚 --reported-on 2019-10 "$T/xk.csv"
ok "bulletin html again" xy bulletin --issue 1 --date 2019-10-31 -o "$T/b2.html"
like "  names it with its median lag" "$(cat "$T/b2.html")" "双公示报送较慢的单位：市审批局（中位滞后14个工作日）"
