#!/bin/sh
# 双随机、一公开 export as XLSX (issue 12, docs/inspection.md): `inspect export`
# writes draw.xlsx and results.xlsx beside draw.csv and results.csv from the
# same cells; each XLSX is opened with python3's zipfile and its rows must
# equal the CSV's, a team with a comma and a cell with a quote included.
. "$(dirname "$0")/lib.sh"

cat >"$T/plan.json" <<'J'
{"name":"XLSX导出抽查（示例）","unit":"市场监管局",
 "items":[{"item":"营业执照公示信息","basis":"《企业信息公示暂行条例》","method":"书面检查"}],
 "team_size":2,
 "inspectors":[{"name":"检查员01","unit":"市场监管局"},{"name":"检查员\"02\"","unit":"市场监管局"},
  {"name":"检查员03","unit":"市场监管局"}]}
J
printf '主体代码\t等级\n210802199001011234\tD\nS0002\tD\nS0003\tA\n' >"$T/subjects.tsv"
ok "init" xy init
ok "plan add" xy inspect plan add "$T/plan.json"
ok "draw" xy inspect draw 1 --subjects "$T/subjects.tsv" --random '2026-11-25 福彩3D 417'
ok "a result" xy inspect result 1 S0002 责令整改
ok "export" xy inspect export 1 --dir "$T/pub"
for f in draw.csv draw.xlsx results.csv results.xlsx draw.txt; do
	is "$f written" "$(test -s "$T/pub/$f" && echo yes)" yes
done

# The rows of an XLSX's first sheet (shared or inline strings) and its name,
# against the CSV's rows: "same N" or what differs.
cmp_xlsx() {
	python3 - "$1" "$2" <<'PY'
import csv, re, sys, zipfile
from xml.etree import ElementTree as ET
NS = '{http://schemas.openxmlformats.org/spreadsheetml/2006/main}'
z = zipfile.ZipFile(sys.argv[1])
shared = []
if 'xl/sharedStrings.xml' in z.namelist():
    for si in ET.fromstring(z.read('xl/sharedStrings.xml')).iter(NS + 'si'):
        shared.append(''.join(t.text or '' for t in si.iter(NS + 't')))
def col(ref):
    n = 0
    for ch in re.match(r'[A-Z]+', ref).group(0):
        n = n * 26 + ord(ch) - 64
    return n - 1
rows = []
for r in ET.fromstring(z.read('xl/worksheets/sheet1.xml')).iter(NS + 'row'):
    cells = {}
    for c in r.iter(NS + 'c'):
        t, v = c.get('t'), c.find(NS + 'v')
        if t == 's':
            val = shared[int(v.text)]
        elif t == 'inlineStr':
            val = ''.join(x.text or '' for x in c.iter(NS + 't'))
        else:
            val = v.text if v is not None else ''
        cells[col(c.get('r'))] = val
    rows.append([cells.get(i, '') for i in range(max(cells) + 1)] if cells else [])
sheet = re.search(r'<sheet [^>]*name="([^"]*)"', z.read('xl/workbook.xml').decode()).group(1)
with open(sys.argv[2], encoding='utf-8-sig', newline='') as f:
    want = list(csv.reader(f))
print(f'same {len(rows)} {sheet}' if rows == want else f'differ: xlsx {rows} csv {want}')
PY
}
like "draw.xlsx rows = draw.csv rows (header + 3 targets), sheet 抽查对象" \
	"$(cmp_xlsx "$T/pub/draw.xlsx" "$T/pub/draw.csv" 2>&1)" "^same 4 抽查对象$"
like "results.xlsx rows = results.csv rows (header + 1), sheet 检查结果" \
	"$(cmp_xlsx "$T/pub/results.xlsx" "$T/pub/results.csv" 2>&1)" "^same 2 检查结果$"
like "… the team with its comma is one cell" "$(cat "$T/pub/draw.csv")" '"[0-9]:检查员[^"]*,[0-9]:'
like "… the result in it" "$(cat "$T/pub/results.csv")" "^S0002,责令整改,"
fails "an unwritable directory is refused" 1 xy inspect export 1 --dir /proc/nonexistent/pub
like "… naming it" "$(cat "$T/.err")" "/proc/nonexistent/pub"
