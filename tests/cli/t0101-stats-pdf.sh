#!/bin/sh
# xinyong stats --format pdf: the statistics tables as PDF pages drawn by the library's
# table renderer — title, month range and unit, the 合计 equal to the CSV's, the header
# on every page, landscape for the wide tables; refused without -o.
. "$(dirname "$0")/lib.sh"

ok "demo data of one unit" xy demo --only-unit 市场监管局
R="--from 2019-01 --to 2019-10"

# shellcheck disable=SC2086
ok "department table as PDF" xy stats $R --format pdf -o "$T/d.pdf"
is "  it is a PDF" "$(head -c 5 "$T/d.pdf")" "%PDF-"
pdftotext -layout "$T/d.pdf" "$T/d.txt"
like "  title with the month range" "$(head -3 "$T/d.txt")" '2019年1—10月份市有关部门信源单位数据上报情况'
like "  note with the months and the unit" "$(head -3 "$T/d.txt")" '报送月份 2019-01 至 2019-10.*单位：条'
# shellcheck disable=SC2086
xy stats $R --format csv >"$T/d.csv"
total=$(sed -n 2p "$T/d.csv" | tr -d '\r' | awk -F, '{print $NF}')
like "  the CSV's 合计 is a number" "$total" '^[1-9][0-9]*$'
is "  the PDF's 合计 row ends with the CSV's 总计 ($total)" \
	"$(grep -E '^ *合计' "$T/d.txt" | awk '{print $NF}')" "$total"
is "  the 市场监管局 row's 总计 is the CSV's too" \
	"$(grep -E '市场监管局' "$T/d.txt" | awk '{print $NF}')" \
	"$(grep -E ',市场监管局,' "$T/d.csv" | tr -d '\r' | awk -F, '{print $NF}')"
pages=$(pdfinfo "$T/d.pdf" | awk '/^Pages:/ {print $2}')
like "  63 units take more than one page" "$pages" '^[2-9]$'
is "  the header (部门名称) on every page" "$(grep -c '部门名称' "$T/d.txt")" "$pages"
is "  第 X 页 共 Y 页 on every page" "$(grep -cE "第 ?[0-9]+ ?页 ?共 ?$pages ?页" "$T/d.txt")" "$pages"
like "  wide table: A4 landscape" "$(pdfinfo "$T/d.pdf" | grep 'Page size')" '841\.89 x 595\.2'
like "  the font is Noto Sans CJK SC, embedded" "$(pdffonts "$T/d.pdf")" 'NotoSansCJKsc.* yes '

# shellcheck disable=SC2086
ok "region table as PDF" xy stats $R --by region --format pdf -o "$T/r.pdf"
pdftotext -layout "$T/r.pdf" "$T/r.txt"
like "  its title" "$(head -3 "$T/r.txt")" '2019年1—10月份各县（市）区、园区信源单位数据报送情况统计表'
like "  its groups as rows" "$(cat "$T/r.txt")" '县（市）区'

ok "one month, one category month over month: a narrow table" \
	xy stats --from 2019-10 --to 2019-10 --view mom --category 行政许可 --format pdf -o "$T/m.pdf"
like "  A4 portrait" "$(pdfinfo "$T/m.pdf" | grep 'Page size')" '595\.2.* x 841\.89'

# shellcheck disable=SC2086
fails "pdf without -o is refused (no PDF on a terminal)" 2 xy stats $R --format pdf
like "  saying so" "$(cat "$T/.err")" 'pdf needs -o FILE'
# shellcheck disable=SC2086
fails "an unwritable -o is an error, not a crash" 1 xy stats $R --format pdf -o "$T/no/such/dir/x.pdf"
like "  naming the file" "$(cat "$T/.err")" 'no/such/dir/x.pdf'
