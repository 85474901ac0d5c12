#!/bin/sh
# The office's report routes: statistics tables in every format (bytes = the
# CLI's), data quality, reconciliation of an uploaded table, bulletin
# generation and download, the city index (public) and its chart; the CLI and
# the server give the same JSON; roles; bad input.  Generated data only (the
# imports of tests/cli/t0100-stats.sh, data/samples).
. "$(dirname "$0")/lib.sh"
REF="$DATA/reference"
S="$DATA/stats"

xy init >/dev/null
# count categories: a title and a date a row, back-filled into their months
printf '标题,日期\n报道一,2019-01-15\n报道二,2019-01-15\n' >"$T/zq.csv"
printf '标题,日期\n报道甲,2019-02-15\n报道乙,2019-02-15\n报道丙,2019-02-15\n' >"$T/xs.csv"
printf '标题,日期\n万里行一,2019-01-15\n万里行二,2019-01-15\n' >"$T/fg.csv"
for u in 站前区:信用工作报道:2019-01:zq 西市区:信用工作报道:2019-02:xs 发改委:诚信建设万里行:2019-01:fg; do
	IFS=: read -r unit cat month f <<-EOT
	$u
	EOT
	xy import --unit "$unit" --category "$cat" --reported-on "$month" "$T/$f.csv" >/dev/null ||
		fail "import $u"
done
xy import --unit 市场监管局 --category 行政处罚 --reported-on 2019-10 \
	"$SAMPLES/市场监管局-行政处罚-2019-10.csv" >/dev/null
xy index import "$SAMPLES/city-index-2019.tsv" >/dev/null
start_server

# get PATH ROLE-HEADER: the answer's bytes in $T/body
get() { req GET "$1" ${2:+-H "$2"}; }

# -- statistics: every format, the CLI's bytes
R="from=2019-01&to=2019-10"
for fmt in json csv md html text; do
	get "/api/v1/stats?$R&format=$fmt" "$ADMIN"
	is "stats $fmt: 200" "$ST" 200
	xy stats --from 2019-01 --to 2019-10 --format "$fmt" >"$T/cli.$fmt"
	if cmp -s "$T/body" "$T/cli.$fmt"; then pass "stats $fmt: the bytes of xinyong stats --format $fmt"
	else fail "stats $fmt: differs from the CLI" "$(diff "$T/body" "$T/cli.$fmt" | head -5)"; fi
done
get "/api/v1/stats?$R" "$ADMIN"
is "stats: JSON by default" "$(header Content-Type)" "application/json; charset=utf-8"
is "stats json = the CLI's (jq -S)" "$(jq -S . "$T/body")" "$(jq -S . "$T/cli.json")"
is "stats json: the title" "$(jq -r .title "$T/body")" "2019年1—10月份市有关部门信源单位数据上报情况"
is "stats json: 发改委 诚信建设万里行 2" \
	"$(jq -r '.rows[] | select(.["部门名称"] == "发改委") | .["诚信建设万里行"]' "$T/body")" 2
get "/api/v1/stats?$R&format=csv" "$AUDIT"
is "the auditor reads stats (csv)" "$ST" 200
like "csv: text/csv" "$(header Content-Type)" '^text/csv'
is "csv: an attachment" "$(header Content-Disposition)" 'attachment; filename="stats-department-2019-01-2019-10.csv"'
for args in "by=region" "view=mom" "view=cumulative&category=信用工作报道&by=region" "unit=站前区&by=region" \
	"view=mom&by=region"; do
	cli=$(echo "$args" | sed 's/\([a-z]*\)=\([^&]*\)/--\1 \2/g; s/&/ /g')
	get "/api/v1/stats?$R&$args&format=csv" "$ADMIN"
	# shellcheck disable=SC2086
	xy stats --from 2019-01 --to 2019-10 $cli --format csv >"$T/cli.csv"
	if [ "$ST" = 200 ] && cmp -s "$T/body" "$T/cli.csv"; then pass "stats $args: = xinyong stats $cli"
	else fail "stats $args: $ST, differs from the CLI" "$(head -c 300 "$T/body")"; fi
done
get "/api/v1/stats?$R&sentences=1" "$ADMIN"
xy stats --from 2019-01 --to 2019-10 --sentences --format json >"$T/cli.json"
is "sentences json = the CLI's" "$(jq -S . "$T/body")" "$(jq -S . "$T/cli.json")"
like "... names who reported most" "$(jq -r '.sentences[0]' "$T/body")" '最多的是'
get "/api/v1/stats?$R&sentences=1&format=text" "$ADMIN"
is "sentences text = the CLI's" "$(body)" "$(xy stats --from 2019-01 --to 2019-10 --sentences)"
# XLSX: the CLI's workbook; totals are formulas
for by in department all; do
	get "/api/v1/stats?$R&by=$by&format=xlsx" "$ADMIN"
	is "xlsx by $by: 200" "$ST" 200
	is "xlsx: its type" "$(header Content-Type)" \
		application/vnd.openxmlformats-officedocument.spreadsheetml.sheet
	like "xlsx: an attachment" "$(header Content-Disposition)" "stats-$by-2019-01-2019-10.xlsx"
	cp "$T/body" "$T/api.xlsx"
	xy stats --from 2019-01 --to 2019-10 --by $by --format xlsx -o "$T/cli.xlsx"
	# the zip's timestamps differ by the second it was written: compare the members
	mkdir -p "$T/xa-$by" "$T/xc-$by"
	(cd "$T/xa-$by" && unzip -q ../api.xlsx) && (cd "$T/xc-$by" && unzip -q ../cli.xlsx)
	is "xlsx by $by: the members of the CLI's workbook" \
		"$(diff -r -x core.xml "$T/xa-$by" "$T/xc-$by" | grep -c .)" 0
done
like "xlsx: the 合计 row is a formula" "$(cat "$T/xa-department/xl/worksheets/sheet1.xml")" '<f>SUM\('
is "xlsx by all: two sheets" "$(ls "$T/xa-all/xl/worksheets" | grep -c 'sheet[0-9]*\.xml')" 2
is "the spool holds no temporary files" "$(ls "$T/spool" | grep -c '^rp')" 0
# PDF: the CLI's pages (the bytes differ by cairo's creation time: compare the text)
for by in department region; do
	get "/api/v1/stats?$R&by=$by&format=pdf" "$AUDIT"
	is "pdf by $by (the auditor): 200" "$ST" 200
	is "pdf: its type" "$(header Content-Type)" application/pdf
	is "pdf: an attachment" "$(header Content-Disposition)" \
		"attachment; filename=\"stats-$by-2019-01-2019-10.pdf\""
	is "pdf: %PDF-" "$(head -c 5 "$T/body")" "%PDF-"
	pdftotext -layout "$T/body" "$T/api.txt"
	xy stats --from 2019-01 --to 2019-10 --by $by --format pdf -o "$T/cli.pdf"
	pdftotext -layout "$T/cli.pdf" "$T/cli.txt"
	if cmp -s "$T/api.txt" "$T/cli.txt"; then pass "pdf by $by: the text of xinyong stats --format pdf"
	else fail "pdf by $by: differs from the CLI" "$(diff "$T/api.txt" "$T/cli.txt" | head -5)"; fi
done
like "pdf: the region table's title" "$(head -3 "$T/api.txt")" '各县（市）区、园区信源单位数据报送情况统计表'
get "/api/v1/quality?$R&format=pdf" "$ADMIN"
is "quality has no PDF: 400 naming format" "$ST $(jq -r .error.field "$T/body")" "400 format"
# bad input
for bad in "from=2019-13&to=2019-12" "from=2019-10&to=2019-01" "to=2019-1" "$R&by=nowhere" \
	"$R&view=weekly" "$R&format=docx" "$R&by=all&format=pdf" "$R&by=all&format=csv" "$R&sentences=2" \
	"$R&category=信用工作报道" "$R&sentences=1&format=csv" "from=../../etc&to=2019-10" \
	"$R&format=table" "$R&by=%27%20OR%201=1--"; do
	get "/api/v1/stats?$bad" "$ADMIN"
	is "stats $bad: 400" "$ST" 400
done
for bad in "unit=无此单位" "unit=%27%20OR%201%3D1--" "unit=../../etc/passwd" \
	"view=mom&category=%27;DROP%20TABLE%20records;--"; do
	get "/api/v1/stats?$R&$bad" "$ADMIN"
	is "stats $bad: 422" "$ST" 422
	is "... the error object" "$(jq -r '.error.code' "$T/body")" invalid
done
get "/api/v1/stats?$R" "$UNIT_SJ"
is "a unit operator may not read the office's stats: 403" "$ST" 403
get "/api/v1/stats?$R"
is "anonymous: 401" "$ST" 401

# -- quality
get "/api/v1/quality?$R" "$ADMIN"
is "quality: 200" "$ST" 200
xy quality --from 2019-01 --to 2019-10 --format json >"$T/cli.json"
is "quality json = xinyong quality --format json (jq -S)" "$(jq -S . "$T/body")" "$(jq -S . "$T/cli.json")"
like "... a row of 市场监管局 行政处罚" "$(jq -c '[.rows[] | [.unit, .category]]' "$T/body")" '"市场监管局","行政处罚"'
get "/api/v1/quality?$R&unit=市场监管局" "$AUDIT"
xy quality --from 2019-01 --to 2019-10 --unit 市场监管局 --format json >"$T/cli.json"
is "quality of one unit = the CLI's (auditor)" "$(jq -S . "$T/body")" "$(jq -S . "$T/cli.json")"
get "/api/v1/quality?$R&format=csv" "$ADMIN"
xy quality --from 2019-01 --to 2019-10 --format csv >"$T/cli.csv"
cmp -s "$T/body" "$T/cli.csv" && pass "quality csv: the CLI's bytes" || fail "quality csv differs"
get "/api/v1/quality?$R&unit=%27%20OR%20%271%27=%271" "$ADMIN"
is "quality of an unknown unit: 422" "$ST" 422
get "/api/v1/quality?from=2019-02&to=2019-01" "$ADMIN"
is "quality of a backwards range: 400" "$ST" 400
get "/api/v1/quality?$R" "$UNIT_SC"
is "quality: a unit operator reads its own unit's" "$ST" 200
xy quality --from 2019-01 --to 2019-10 --unit 市场监管局 --format json >"$T/cli.json"
is "... = the CLI's for its unit" "$(jq -S . "$T/body")" "$(jq -S . "$T/cli.json")"
get "/api/v1/quality?$R&unit=市场监管局" "$UNIT_SC"
is "... naming its own unit: 200" "$ST" 200
get "/api/v1/quality?$R&unit=公安局" "$UNIT_SC"
is "... another unit's: 403" "$ST" 403
is "... naming the parameter" "$(jq -r .error.field "$T/body")" unit
get "/api/v1/quality?$R&unit=../%27%20OR%201=1--" "$UNIT_SC"
is "... SQL and ../ as the unit: 403" "$ST" 403
# the office dashboard's per-unit summary (xy_view_quality_units)
get "/api/v1/quality?$R&by=unit" "$AUDIT"
is "quality by unit: 200" "$ST" 200
xy quality --from 2019-01 --to 2019-10 --by-unit --format json >"$T/cli.json"
is "quality by unit = xinyong quality --by-unit (jq -S)" "$(jq -S . "$T/body")" "$(jq -S . "$T/cli.json")"
is "by unit: every unit of the registry but the city" "$(jq '.units | length' "$T/body")" \
	"$(xy registry units --format json | jq '[.units[] | select(.kind != "city")] | length')"
is "by unit: silent = the units without records" "$(jq -c '.silent' "$T/body")" \
	"$(jq -c '[.units[] | select(.records == 0) | .unit]' "$T/body")"
is "by unit: ranks 1..n over the units with records" "$(jq -c '[.units[] | select(.records > 0) | .rank] | sort' "$T/body")" \
	"$(jq -c '[.units[] | select(.records > 0)] | [range(1; length + 1)]' "$T/body")"
is "by unit: a unit's records = the sum of its quality rows" \
	"$(jq '[.units[] | select(.unit == "市场监管局") | .records] | add' "$T/body")" \
	"$(xy quality --from 2019-01 --to 2019-10 --format json | jq '[.rows[] | select(.unit == "市场监管局") | .records] | add')"
get "/api/v1/quality?$R&by=unit&format=csv" "$ADMIN"
is "by unit with csv: 400" "$ST" 400
get "/api/v1/quality?$R&by=%27%20OR%201=1--" "$ADMIN"
is "by an unknown value: 400" "$ST" 400
get "/api/v1/quality?$R&by=unit&unit=..%2F..%2Fetc" "$ADMIN"
is "by unit of an unknown unit: 422" "$ST" 422
get "/api/v1/quality?$R&by=unit" "$UNIT_SC"
is "by unit: a unit operator reads its own unit's row only" "$(jq -c '[.units[].unit]' "$T/body")" '["市场监管局"]'
get "/api/v1/quality?$R&by=unit&unit=公安局" "$UNIT_SC"
is "by unit: another unit's is 403 for an operator" "$ST" 403
xy quality --by-unit --format csv >/dev/null 2>&1 && fail "quality --by-unit --format csv accepted" ||
	pass "quality --by-unit --format csv is a usage error"

# -- reconciliation: the uploaded table's wrong cells
req POST "/api/v1/reconcile?filename=bulletin.tsv" -H "$ADMIN" -H 'Content-Type: text/tab-separated-values' \
	--data-binary @"$REF/bulletin-2019-10-departments.tsv"
is "reconcile raw TSV: 200" "$ST" 200
xy reconcile --format json "$REF/bulletin-2019-10-departments.tsv" >"$T/cli.json"
is "reconcile = xinyong reconcile --format json (jq -S)" "$(jq -S . "$T/body")" "$(jq -S . "$T/cli.json")"
is "... the four wrong cells, with the file's line" "$(jq -c '[.[] | [.row, .column, .line, .printed, .computed]][0]' "$T/body")" \
	'["合计","失信主体以注销、吊销等形式退出黑名单",2,64,68]'
is "... four" "$(jq length "$T/body")" 4
req POST "/api/v1/reconcile" -H "$AUDIT" -F "file=@$S/reordered-departments.csv"
is "reconcile multipart CSV (auditor): 200" "$ST" 200
is "... the same four cells" "$(jq -c '[.[] | .printed]' "$T/body")" '[64,869,415,150447]'
xy stats --from 2019-01 --to 2019-10 --format csv >"$T/ours.csv"
req POST "/api/v1/reconcile?from=2019-01&to=2019-10&filename=ours.csv" -H "$ADMIN" \
	-H 'Content-Type: text/csv' --data-binary @"$T/ours.csv"
is "our own table against the data: no differences" "$(body)" "[]"
xy stats --from 2019-01 --to 2019-10 --format xlsx -o "$T/ours.xlsx"
req POST "/api/v1/reconcile?from=2019-01&to=2019-10" -H "$ADMIN" -F "file=@$T/ours.xlsx"
is "an XLSX upload against the data: []" "$(body)" "[]"
awk -F, 'BEGIN{OFS=","} $2=="发改委"{for(i=3;i<=NF;i++) if ($i=="2") $i="5"} 1' "$T/ours.csv" >"$T/wrong.csv"
req POST "/api/v1/reconcile?from=2019-01&to=2019-10&filename=wrong.csv" -H "$ADMIN" \
	-H 'Content-Type: text/csv' --data-binary @"$T/wrong.csv"
is "a table with a typed wrong cell: 200" "$ST" 200
like "a typed wrong cell is named (data)" "$(jq -c '.[] | select(.kind == "data") | [.row, .printed, .computed]' "$T/body")" '"发改委",5,2'
req POST "/api/v1/reconcile?filename=x.csv" -H "$ADMIN" -H 'Content-Type: text/csv' \
	--data-binary @"$S/not-a-table.csv"
is "not a table: 422" "$ST" 422
like "... names the uploaded file, not the spool" "$(jq -r .error.message "$T/body")" 'x\.csv'
is "... and no spool path" "$(grep -c "$T/spool" "$T/body")" 0
req POST "/api/v1/reconcile?from=2019-01&filename=x.csv" -H "$ADMIN" -H 'Content-Type: text/csv' \
	--data-binary @"$T/ours.csv"
is "from without to: 400" "$ST" 400
req POST "/api/v1/reconcile?filename=..%2F..%2Fescaped.csv" -H "$ADMIN" -H 'Content-Type: text/csv' \
	--data-binary @"$T/ours.csv"
is "a ../ file name: only its last component is used" "$ST $(body)" "200 []"
is "... nothing was written outside the spool" "$(find "$T" -name escaped.csv | wc -l)" 0
req POST "/api/v1/reconcile" -H "$UNIT_SJ" -F "file=@$T/ours.csv"
is "reconcile: a unit operator 403" "$ST" 403
req POST "/api/v1/reconcile" -H "$ADMIN" -H 'Content-Type: application/x-www-form-urlencoded' -d a=b
is "a form body: 415" "$ST" 415

# -- the city index: public; the CLI's JSON
get /api/v1/index
is "index: public 200" "$ST" 200
xy index show --format json >"$T/cli.json"
is "index = xinyong index show --format json (bytes)" "$(body)" "$(cat "$T/cli.json")"
get "/api/v1/index?from=2019-03&to=2019.05" "$UNIT_SJ"
xy index show --from 2019-03 --to 2019-05 --format json >"$T/cli.json"
is "index of a range = the CLI's (jq -S)" "$(jq -S . "$T/body")" "$(jq -S . "$T/cli.json")"
is "... three months" "$(jq '.months | length' "$T/body")" 3
for bad in "from=2019-13" "to=x" "from=2019-06&to=2019-01" "from=%27%20OR%201=1--" "to=../.."; do
	get "/api/v1/index?$bad"
	is "index $bad: 400" "$ST" 400
done
get "/api/v1/index/chart"
is "chart: public SVG" "$ST" 200
is "chart: image/svg+xml" "$(header Content-Type)" "image/svg+xml"
xy index chart -o "$T/cli.svg" >/dev/null
# cairo numbers its surfaces (<g id="surfaceN">) with a counter of the whole process: a
# server that drew other pages before (the stats PDFs above) gives another N
sed 's/"surface[0-9]*"/"surfaceN"/g' "$T/body" >"$T/api.svg"
sed -i 's/"surface[0-9]*"/"surfaceN"/g' "$T/cli.svg"
cmp -s "$T/api.svg" "$T/cli.svg" && pass "chart svg: xinyong index chart -o x.svg (surface ids aside)" ||
	fail "chart svg differs from the CLI's" "$(cmp "$T/api.svg" "$T/cli.svg")"
get "/api/v1/index/chart?format=png&from=2019-03" "$AUDIT"
is "chart png: 200" "$ST" 200
is "... a PNG" "$(head -c 4 "$T/body" | tail -c 3)" PNG
get "/api/v1/index/chart?format=gif"
is "chart gif: 400" "$ST" 400
get "/api/v1/index/chart?from=2030-01"
is "chart of no months: 404" "$ST" 404
# put a month: the office only, audited as the token
req POST /api/v1/index -H "$ADMIN" -H 'Content-Type: application/json' \
	-d '{"month":"2019.11","score":83.5,"rank":"40"}'
is "index put: 200" "$ST" 200
is "... the month stored" "$(body)" '{"month":"2019-11","score":83.5,"rank":40}'
AID=$(echo "$ADMIN" | sed 's/.*xyt_\([0-9]*\)_.*/\1/')
is "... audited as the token" "$(xy audit show --action index.put --desc --limit 1 --format json | jq -r '.entries[0] | .who + " " + .action + " " + .object')" \
	"token:$AID index.put index:2019-11"
like "the CLI's index add is audited too" "$(xy index add 2019-12 84 39 >/dev/null; xy audit show --limit 1000 --format json | jq -r '.entries[] | select(.object == "index:2019-12") | .who')" '^cli:'
get "/api/v1/index?from=2019-11"
is "... and shown" "$(jq -c '[.months[] | [.month, .score, .rank]]' "$T/body")" '[["2019-11",83.5,40],["2019-12",84,39]]'
ok "audit verify holds" xy audit verify
for b in '{"month":"2019-13","score":80,"rank":1}' '{"month":"2019-10","score":101,"rank":1}' \
	'{"month":"2019-10","score":80,"rank":0}' '{"month":"2019-10","score":80}' \
	'{"month":["x"],"score":80,"rank":1}' '{"month":"'"'"'; DROP TABLE city_index;--","score":80,"rank":1}'; do
	req POST /api/v1/index -H "$ADMIN" -H 'Content-Type: application/json' -d "$b"
	is "index put $b: 422" "$ST" 422
done
req POST /api/v1/index -H "$ADMIN" -H 'Content-Type: application/json' -d '{"month":'
is "malformed JSON: 400" "$ST" 400
req POST /api/v1/index -H "$UNIT_SJ" -H 'Content-Type: application/json' -d '{"month":"2019-10","score":1,"rank":1}'
is "a unit may not put: 403" "$ST" 403
req POST /api/v1/index -H "$AUDIT" -H 'Content-Type: application/json' -d '{"month":"2019-10","score":1,"rank":1}'
is "the auditor may not put: 403" "$ST" 403
req POST /api/v1/index -H 'Content-Type: application/json' -d '{"month":"2019-10","score":1,"rank":1}'
is "anonymous may not put: 401" "$ST" 401

# -- the bulletin: generated on the writer into the report directory, fetched again
rm -rf "$T/var/reports" # a fresh install has no report directory yet: it is made
art=$(ls "$SAMPLES/articles/工作推进/" | head -1)
mkdir -p "$T/arts/工作推进"
cp "$SAMPLES/articles/工作推进/$art" "$T/arts/工作推进/01.md"
printf '# 测试简讯\n\n本市开展示范活动。\n' >"$T/arts/工作推进/02.md"
jq -n --rawfile a "$T/arts/工作推进/01.md" --rawfile b "$T/arts/工作推进/02.md" \
	'{issue: 6, date: "2019-10-15", from: "2019-01", to: "2019-10", format: "pdf",
	  articles: [{section: "工作推进", text: $a}, {section: "工作推进", text: $b}]}' >"$T/bul.json"
req POST /api/v1/bulletins -H "$ADMIN" -H 'Content-Type: application/json' --data-binary @"$T/bul.json"
is "bulletin: 201" "$ST" 201
is "... its summary" "$(jq -c '[.file, .issue, .articles, .url]' "$T/body")" \
	'["bulletin-6-2019-10-15.pdf",6,2,"/api/v1/bulletins/bulletin-6-2019-10-15.pdf"]'
xy bulletin --issue 6 --date 2019-10-15 --from 2019-01 --to 2019-10 --articles "$T/arts" \
	-o "$T/cli.pdf" --format json >"$T/cli.json"
is "... the summary of xinyong bulletin (but file)" "$(jq -S 'del(.file, .url)' "$T/body")" "$(jq -S 'del(.file)' "$T/cli.json")"
like "... audited as the token" "$(auditlog bulletin.generate | jq -r '.who + " " + .object')" \
	"token:$AID bulletin:bulletin-6-2019-10-15.pdf"
get /api/v1/bulletins/bulletin-6-2019-10-15.pdf "$AUDIT"
is "fetch it again (auditor): 200" "$ST" 200
is "... a PDF" "$(header Content-Type)" application/pdf
like "... as an attachment" "$(header Content-Disposition)" "bulletin-6-2019-10-15.pdf"
pdftotext "$T/body" "$T/api.txt" && pdftotext "$T/cli.pdf" "$T/cli.txt"
is "the PDF's text = xinyong bulletin's (pdftotext)" "$(cmp "$T/api.txt" "$T/cli.txt" && echo same)" same
like "... with the article" "$(cat "$T/api.txt")" '测试简讯'
is "... in the report directory" "$(ls "$T/var/reports/bulletins")" bulletin-6-2019-10-15.pdf
jq '.format = "html"' "$T/bul.json" >"$T/bul-h.json"
req POST /api/v1/bulletins -H "$ADMIN" -H 'Content-Type: application/json' --data-binary @"$T/bul-h.json"
is "an HTML bulletin: 201" "$ST" 201
get /api/v1/bulletins/bulletin-6-2019-10-15.html "$ADMIN"
like "... served as HTML" "$(header Content-Type)" '^text/html'
like "... with the masthead" "$(body)" '工作简报'
for name in ../../../etc/passwd ..%2F..%2Fetc%2Fpasswd bulletin-6-2019-10-15.pdf%2F.. \
	bulletin-6-2019-13-15.pdf bulletin-0-2019-10-15.pdf bulletin-6-2019-10-15.exe \
	"bulletin-6-2019-10-15.pdf%27%20OR%201=1" bulletin-7-2019-10-15.pdf; do
	get "/api/v1/bulletins/$name" "$ADMIN"
	case "$ST" in 400 | 404) pass "bulletin $name: $ST" ;; *) fail "bulletin $name: $ST" "$(body)" ;; esac
done
get /api/v1/bulletins/bulletin-6-2019-10-15.pdf "$UNIT_SJ"
is "a unit may not fetch the bulletin: 403" "$ST" 403
for b in '{"date":"2019-10-15"}' '{"issue":0,"date":"2019-10-15"}' '{"issue":"6","date":"2019-10-15"}' \
	'{"issue":6,"date":"2019-10-32"}' '{"issue":6,"date":"2019-10-15","format":"../x"}' \
	'{"issue":6,"date":"2019-10-15","format":"exe"}' '{"issue":6,"date":"2019-10-15","articles":"x"}' \
	'{"issue":6,"date":"2019-10-15","articles":[{"text":1}]}' \
	'{"issue":6,"date":"2019-10-15","articles":[{"text":"no section"}]}' \
	'{"issue":6,"date":"2019-10-15","articles":[{"section":"无此栏目","text":"x"}]}' \
	'{"issue":6,"date":"2019-10-15","from":"2019-13"}' '{"issue":6,"date":"2019-10-15","to":5}'; do
	req POST /api/v1/bulletins -H "$ADMIN" -H 'Content-Type: application/json' -d "$b"
	is "bulletin $b: 422" "$ST" 422
done
req POST /api/v1/bulletins -H "$AUDIT" -H 'Content-Type: application/json' --data-binary @"$T/bul.json"
is "the auditor may not generate: 403" "$ST" 403
req POST /api/v1/bulletins -H "$ADMIN" -H 'Content-Type: text/plain' --data-binary @"$T/bul.json"
is "not JSON: 415" "$ST" 415

# -- reads go on while a bulletin is generated on the writer
curl -s -o /dev/null -H "$ADMIN" -H 'Content-Type: application/json' --data-binary @"$T/bul.json" \
	"$BASE/api/v1/bulletins" &
bg=$!
get /api/v1/index
is "a read during generation: 200" "$ST" 200
wait $bg

# -- the server still answers
get /healthz
is "the server still answers" "$ST" 200
stop_server
is "SIGTERM: exit 0" "$SRV_RC" 0
