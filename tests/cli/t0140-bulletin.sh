#!/bin/sh
# xinyong bulletin: the monthly 工作简报 as HTML, PDF and XLSX, checked as a reader would.
. "$(dirname "$0")/lib.sh"

ARTICLES="$SAMPLES/articles"
xy index import "$SAMPLES/city-index-2019.tsv" >/dev/null
xy import --unit 市场监管局 --category 行政处罚 --reported-on 2019-10 "$SAMPLES/市场监管局-行政处罚-2019-10.csv" >/dev/null
xy import --unit 市审批局 --category 行政许可 --reported-on 2019-09 "$SAMPLES/市审批局-行政许可-2019-10.xlsx" >/dev/null
xy index add 2019-11 83.1 50 >/dev/null   # after the bulletin's month: not shown

B="--issue 6 --date 2019-10-15 --articles $ARTICLES"

# ---- PDF ----
ok "PDF" xy bulletin $B -o "$T/b.pdf"
pages=$(pdfinfo "$T/b.pdf" | sed -n 's/^Pages: *//p')
like "several A4 pages" "$pages" '^([4-9]|[1-9][0-9])$'
like "A4" "$(pdfinfo "$T/b.pdf" | sed -n 's/^Page size: *//p')" '^595\.2[0-9]* x 841\.8[0-9]* pts \(A4\)'

# no page is blank: render each page and count the pixels that are not white
inked() { # per mille of non-white pixels of a binary PGM
	h=$(head -c 32 "$1" | head -n 3 | wc -c)
	tail -c +$((h + 1)) "$1" | od -An -v -tu1 | awk '{ for (i = 1; i <= NF; i++) { n++; if ($i < 200) d++ } } END { print (n ? int(d * 1000 / n) : 0) }'
}
pdftoppm -gray -r 24 "$T/b.pdf" "$T/page"
blank=""
for p in "$T"/page-*.pgm; do
	[ "$(inked "$p")" -ge 3 ] || blank="$blank $(basename "$p")"
done
is "every page rendered" "$(ls "$T"/page-*.pgm | wc -l | tr -d ' ')" "$pages"
is "no blank page" "$blank" ""

t=$(pdftotext "$T/b.pdf" - 2>&1)
like "masthead" "$t" "营口信用体系建设"
like "title" "$t" "工作简报"
like "issue and year" "$t" "〔2019〕第6期"
like "office" "$t" "营口市社会信用体系建设领导小组办公室"
like "date" "$t" "2019年10月15日"
like "the ranking" "$t" "【城市排名】"
like "the ranking's last month" "$t" "82\.43"
if printf '%s' "$t" | grep -q "83\.10"; then fail "months after the bulletin's are left out" "83.10 printed"; else pass "months after the bulletin's are left out"; fi
like "the chart" "$t" "城市信用综合指数与排名"
for s in 重要文件 工作推进 联合奖惩 县区风采 工作简讯 情况通报; do
	like "section $s" "$t" "【$s】"
done
like "an article's title" "$t" "国务院印发《关于加强和规范事中事后监管的指导意见》"
like "its source line" "$t" "（来源：新华社）"
like "a 工作简讯 item" "$t" "◇ ?市民政局着力打造智慧养老服务新模式"
like "the 情况通报 article" "$t" "全市各信源单位信用信息数据上报情况"
like "a unit from the department table" "$t" "市场监管局"
like "a unit from the region table" "$t" "站前区"
like "the department table's title" "$t" "市有关部门信源单位数据上报情况"
like "the footer: 报" "$t" "报：辽宁省信用办"
like "the footer: 编辑" "$t" "编辑：费文兵"
like "the footer: 审核" "$t" "审核：李洪广"
f=$(pdffonts "$T/b.pdf")
like "Noto Sans CJK SC embedded" "$f" "NotoSansCJKsc-Regular +CID Type 0C +Identity-H +yes +yes"
like "bold too" "$f" "NotoSansCJKsc-Bold"

# ---- HTML ----
ok "HTML" xy bulletin $B -o "$T/b.html"
h=$(cat "$T/b.html")
like "a whole document" "$h" "^<!DOCTYPE html>"
like "the chart inline" "$h" "<svg"
like "tables as tables" "$h" "<table"
like "bold runs" "$h" "<strong>一是</strong>"
like "the source line" "$h" 'class="source">（来源：新华社）'
if printf '%s' "$h" | grep -Eq '<(link|script)|src="http'; then fail "self-contained" "refers to other files"; else pass "self-contained"; fi

# ---- XLSX ----
ok "XLSX" xy bulletin $B -o "$T/b.xlsx"
is "a zip" "$(head -c 2 "$T/b.xlsx")" "PK"
w=$(python3 -c 'import sys, zipfile; print(zipfile.ZipFile(sys.argv[1]).read("xl/workbook.xml").decode())' "$T/b.xlsx")
like "the department sheet" "$w" "市有关部门"
like "the region sheet" "$w" "县区园区"

# ---- options and errors ----
ok "without articles" xy bulletin --issue 7 --date 2019-11-15 -o "$T/bare.pdf"
like "still has the ranking and tables" "$(pdftotext "$T/bare.pdf" -)" "83\.10"
ok "explicit statistics range" xy bulletin $B --from 2019-10 --to 2019-10 -o "$T/oct.html"
j=$(xy bulletin $B -o "$T/j.html" --format json)
is "json summary" "$(echo "$j" | jq -c '[.issue, .date, .from, .to, .articles, .index_months]')" '[6,"2019-10-15","2019-01","2019-10",12,6]'
fails "no --issue" 2 xy bulletin --date 2019-10-15 -o "$T/x.pdf"
fails "issue 0" 2 xy bulletin --issue 0 --date 2019-10-15 -o "$T/x.pdf"
fails "bad date" 2 xy bulletin --issue 6 --date 2019-02-30 -o "$T/x.pdf"
fails "backwards range" 2 xy bulletin $B --from 2019-10 --to 2019-01 -o "$T/x.pdf"
fails "unknown output type" 2 xy bulletin $B -o "$T/x.docx"
fails "missing articles directory" 1 xy bulletin --issue 6 --date 2019-10-15 --articles "$T/none" -o "$T/x.pdf"
mkdir -p "$T/arts"
printf '# 没有栏目\n\n正文。\n' >"$T/arts/a.md"
fails "an article without a section" 1 xy bulletin --issue 6 --date 2019-10-15 --articles "$T/arts" -o "$T/x.pdf"
like "names the file" "$(cat "$T/.err")" "a\.md.*section"
fails "unwritable output" 1 xy bulletin $B -o "$T/no/dir/x.pdf"
is "no partial output" "$(ls "$T" | grep -c '^x\.')" 0
