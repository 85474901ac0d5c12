#!/bin/sh
# The public credit report (公共信用信息报告, issue 10): GET
# /api/v1/subjects/{code}/report gives the subject's report as a PDF (a real
# PDF: pdftotext shows the name, the number, every section heading and 无 for
# an empty one), numbered, stored and audited; GET/POST
# /api/v1/reports/{number}/verify say genuine for the report as issued (by its
# code or its bytes), altered for one flipped byte, unknown for a number never
# issued or another report's code; the CLI's verify JSON equals the route's.
# Generated codes and names only.
. "$(dirname "$0")/lib.sh"
CO1=91210802MA0XYQA01T
CO2=91210802MA0XYQB02K
P=210802199001011235
CH=CF_XDR_MC,CF_XDR_LB,CF_XDR_SHXYM,CF_XDR_ZJHM,CF_FRDB,CF_FR_ZJHM,CF_WSH,CF_WFXW,CF_SY,CF_YJ,CF_CFLB,CF_NR,CF_JDRQ,CF_YXQ,CF_CFJG,CF_CFJGDM,CF_SJLY,CF_SJLYDM,CF_SXYZCD
CT=",2027-12-31,营口市市场监督管理局,11210800MAR7YF578P,营口市市场监督管理局,11210800MAR7YF578P"
{
	echo "$CH"
	echo "营口报告甲有限公司,法人及非法人组织,$CO1,,示例甲,,营市监罚〔2026〕1号,价格,事实,依据,罚款,罚款1万元,2026-03-10$CT,一般"
	echo "营口报告乙有限公司,法人及非法人组织,$CO2,,示例乙,,营市监罚〔2026〕2号,价格,事实,依据,警告,警告,2026-03-12$CT,一般"
	echo "测试人员乙,自然人,,$P,,,营市监罚〔2026〕4号,价格,事实,依据,罚款,罚款1千元,2026-03-13$CT,一般"
} >"$T/cf.csv"
xy init >/dev/null
ok "import 行政处罚" xy import "$T/cf.csv" --unit 市场监管局 --category 行政处罚 --reported-on 2026-04
start_server

# the report: a PDF, as an attachment, with its number and code in headers
req GET "/api/v1/subjects/$CO1/report?date=2026-04-10"
is "report: 200" "$ST" 200
is "report: application/pdf" "$(header Content-Type)" "application/pdf"
is "report: %PDF- magic" "$(head -c 5 "$T/body")" "%PDF-"
N1=$(header X-Report-Number)
C1=$(header X-Report-Code)
like "report: numbered XY + date + sequence" "$N1" '^XY[0-9]{8}0{5}1$'
like "report: a 16-character code" "$C1" '^[A-Z2-7]{4}-[A-Z2-7]{4}-[A-Z2-7]{4}-[A-Z2-7]{4}$'
like "report: attachment, ASCII name and filename*" "$(header Content-Disposition)" \
	"^attachment; filename=\"$N1.pdf\"; filename\\*=UTF-8''%E5%85%AC"
cp "$T/body" "$T/r1.pdf"
pdftotext -layout "$T/r1.pdf" "$T/r1.txt" 2>/dev/null
TXT=$(cat "$T/r1.txt")
like "pdftotext: the title" "$TXT" '公共信用信息报告'
like "pdftotext: the subject's name" "$TXT" '营口报告甲有限公司'
like "pdftotext: the number" "$TXT" "$N1"
like "pdftotext: the code" "$TXT" "$C1"
like "pdftotext: the office" "$TXT" '营口市社会信用体系建设领导小组办公室'
for s in 基础信息 行政许可 行政处罚 其他公示信息 红名单 黑名单 联合奖惩备忘录 信用承诺 政府失信; do
	like "pdftotext: section $s" "$TXT" "[一二三四五六七八九十]、$s"
done
like "pdftotext: 无 under an empty section (行政许可)" \
	"$(sed -n '/二、行政许可/,/三、行政处罚/p' "$T/r1.txt")" '^ *无 *$'
like "pdftotext: the penalty's document number" "$TXT" '营市监罚〔2026〕1号'
like "pdftotext: page X/Y and the verification route on the footer" "$TXT" \
	"第 1/[0-9]+ 页"
like "pdftotext: how to verify" "$TXT" "/api/v1/reports/$N1/verify"
is "the report is stored with the PDF's digest: verify finds it genuine" \
	"$(xy report verify "$N1" "$T/r1.pdf" --format json | jq -r '.status + " " + .sha256')" "genuine $(sha256sum <"$T/r1.pdf" | cut -d' ' -f1)"
is "the issue is audited (anonymous)" \
	"$(auditlog report.issue | jq -r --arg o "report:$N1" 'select(.object == $o) | .who + " " + .action')" "public report.issue"

# a natural person's report: the 身份证号 masked
req GET "/api/v1/subjects/$P/report?date=2026-04-10"
is "person's report: 200" "$ST" 200
pdftotext "$T/body" "$T/p.txt" 2>/dev/null
like "person's report: 身份证号 masked" "$(cat "$T/p.txt")" '210802\*+1235'
is "person's report: never the full number" "$(grep -c "$P" "$T/p.txt")" 0
NP=$(header X-Report-Number)

# a second report of another subject, by a unit's token: the principal logged
req GET "/api/v1/subjects/$CO2/report?date=2026-04-10" -H "$UNIT_SJ"
is "report by a token: 200" "$ST" 200
N2=$(header X-Report-Number)
C2=$(header X-Report-Code)
cp "$T/body" "$T/r2.pdf"
like "who asked is logged" "$(auditlog report.issue | jq -r --arg o "report:$N2" 'select(.object == $o) | .who')" '^token:'

# verify by code
req GET "/api/v1/reports/$N1/verify?code=$C1"
is "verify by code: 200" "$ST" 200
is "verify by code: genuine" "$(jq -r .status "$T/body")" genuine
is "verify by code: what was issued" "$(jq -r '.report.subject.name + " " + .report.data_as_of' "$T/body")" \
	"营口报告甲有限公司 2026-04-10"
xy report verify "$N1" --code "$C1" --format json >"$T/cli.json"
is "verify by code: the CLI's JSON = the route's" "$(jq -S . "$T/cli.json")" "$(jq -S . "$T/body")"
req GET "/api/v1/reports/$N1/verify?code=$(echo "$C1" | tr 'A-Z' 'a-z' | tr -d -)"
is "verify by code: case and dashes ignored" "$(jq -r .status "$T/body")" genuine
req GET "/api/v1/reports/$N1/verify?code=$C2"
is "another report's code: 404" "$ST" 404
is "another report's code: unknown, nothing shown" "$(jq -c '[.status, .report]' "$T/body")" '["unknown",null]'
fails "CLI: another report's code exits 1" 1 xy report verify "$N1" --code "$C2"

# verify by the PDF's bytes
req POST "/api/v1/reports/$N1/verify" -H 'Content-Type: application/pdf' --data-binary "@$T/r1.pdf"
is "verify by PDF: 200" "$ST" 200
is "verify by PDF: genuine" "$(jq -r .status "$T/body")" genuine
xy report verify "$N1" "$T/r1.pdf" --format json >"$T/cli.json"
is "verify by PDF: the CLI's JSON = the route's" "$(jq -S . "$T/cli.json")" "$(jq -S . "$T/body")"
ok "CLI: a genuine report exits 0" xy report verify "$N1" "$T/r1.pdf"
cp "$T/r1.pdf" "$T/bad.pdf"
printf 'Z' | dd of="$T/bad.pdf" bs=1 seek=3000 conv=notrunc 2>/dev/null
req POST "/api/v1/reports/$N1/verify" -H 'Content-Type: application/pdf' --data-binary "@$T/bad.pdf"
is "one byte flipped: 200 altered" "$ST $(jq -r .status "$T/body")" "200 altered"
is "altered: what was issued is not shown" "$(jq -c .report "$T/body")" null
fails "CLI: an altered report exits 1" 1 xy report verify "$N1" "$T/bad.pdf"
req POST "/api/v1/reports/$N1/verify" -H 'Content-Type: application/pdf' --data-binary "@$T/r2.pdf"
is "another subject's report under this number: altered" "$(jq -r .status "$T/body")" altered
req POST "/api/v1/reports/$N1/verify" -F "file=@$T/r1.pdf"
is "verify by a form's file: genuine" "$(jq -r .status "$T/body")" genuine
req POST "/api/v1/reports/XY20000101999999/verify" -H 'Content-Type: application/pdf' \
	--data-binary "@$T/r1.pdf"
is "unknown number: 404 unknown" "$ST $(jq -r .status "$T/body")" "404 unknown"
req GET "/api/v1/reports/XY20000101999999/verify?code=$C1"
is "unknown number by code: 404" "$ST" 404

# bad input
req POST "/api/v1/reports/$N1/verify" -H 'Content-Type: text/plain' --data-binary "@$T/r1.pdf"
is "verify: a text body is 415" "$ST" 415
req GET "/api/v1/reports/$N1/verify"
is "verify without code: 400" "$ST" 400
req GET "/api/v1/reports/$N1/verify?code=1'%20OR%201=1"
is "verify: SQL in the code: 422" "$ST" 422
req GET "/api/v1/reports/x'%20OR%201=1/verify?code=$C1"
is "verify: SQL in the number: 422" "$ST" 422
req GET "/api/v1/reports/..%2F..%2Fetc/verify?code=$C1"
like "verify: ../ in the number: 4xx" "$ST" '^4'
req GET "/api/v1/subjects/91210802MA0XYQZ99Z/report"
is "report of an unknown subject: 404" "$ST" 404
req GET "/api/v1/subjects/x'%20OR%201=1/report"
like "report: SQL in the code: 4xx" "$ST" '^4'
req GET "/api/v1/subjects/$CO1/report?date=2026-13-01"
is "report: a bad date: 400" "$ST" 400
is "no report issued for refused requests" "$(rows credit_reports)" 3

# the same inputs render the same bytes: the number and time differ from
# issue to issue, so the numbers go up
req GET "/api/v1/subjects/$CO1/report?date=2026-04-10"
N3=$(header X-Report-Number)
is "numbers follow each other" "$(for n in "$N1" "$NP" "$N2" "$N3"; do echo "$n"; done | sort | cut -c11- | paste -sd,) $(rows credit_reports)" \
	"000001,000002,000003,000004 4"
like "and differ" "$N3" '4$'
req GET /readyz
is "the server still answers" "$ST" 200
stop_server
