#!/bin/sh
# Online applications (信用修复 / 异议 from the public, issue 10): POST
# /api/v1/applications as multipart with two files and as JSON without files
# (201 with receipt and secret); the status by receipt and secret (a wrong
# secret answers exactly as an unknown receipt) equals the CLI's JSON; a .exe
# renamed .pdf is refused naming the file; too many and too large files 413;
# the unit the case is routed to sees it with its attachments and downloads
# one byte-equal, another unit gets 404; the status follows the case's steps;
# SQL metacharacters and ../ in every field; the server still answers.
# Generated codes and names only.
. "$(dirname "$0")/lib.sh"
CO1=91210802MA0XYQA01T
CO2=91210802MA0XYQB02K
P=210802199001011235
J='Content-Type: application/json'
CH=CF_XDR_MC,CF_XDR_LB,CF_XDR_SHXYM,CF_XDR_ZJHM,CF_FRDB,CF_FR_ZJHM,CF_WSH,CF_WFXW,CF_SY,CF_YJ,CF_CFLB,CF_NR,CF_JDRQ,CF_YXQ,CF_CFJG,CF_CFJGDM,CF_SJLY,CF_SJLYDM,CF_SXYZCD
CT=",2027-12-31,营口市市场监督管理局,11210800MAR7YF578P,营口市市场监督管理局,11210800MAR7YF578P"
{
	echo "$CH"
	echo "营口申请甲有限公司,法人及非法人组织,$CO1,,示例甲,,营市监罚〔2026〕1号,价格,事实,依据,罚款,罚款1万元,2026-03-10$CT,一般"
	echo "营口申请乙有限公司,法人及非法人组织,$CO2,,示例乙,,营市监罚〔2026〕2号,价格,事实,依据,警告,警告,2026-03-12$CT,一般"
	echo "营口申请甲有限公司,法人及非法人组织,$CO1,,示例甲,,营市监罚〔2026〕3号,价格,事实,依据,罚款,罚款3万元,2026-03-14$CT,一般"
	echo "测试人员乙,自然人,,$P,,,营市监罚〔2026〕4号,价格,事实,依据,罚款,罚款1千元,2026-03-13$CT,一般"
} >"$T/cf.csv"
xy init >/dev/null
ok "import 行政处罚" xy import "$T/cf.csv" --unit 市场监管局 --category 行政处罚 --reported-on 2026-04
dsp >"$T/dsp"
rec() { jq -r --arg k "$1" 'select(.key == $k) | .id' "$T/dsp"; }
R1=$(rec 营市监罚〔2026〕1号)
R2=$(rec 营市监罚〔2026〕2号)
R3=$(rec 营市监罚〔2026〕3号)
R4=$(rec 营市监罚〔2026〕4号)
# apps: every application the office's case lists name, one JSON line each
apps() { cases | jq -c '.application // empty'; }
# atrest TEXT: how often TEXT is in the database's bytes on disk (tests/cli/lib.sh at_rest)
atrest() { at_rest | grep -acF -e "$1"; }
start_server

# files: a PDF and a PNG (by their bytes), an .exe named .pdf, too large
printf '%%PDF-1.4\n%% generated for t0200\n' >"$T/a.pdf"
head -c 3000 /dev/urandom >>"$T/a.pdf"
printf '\211PNG\r\n\032\n' >"$T/b.png"
head -c 500 /dev/urandom >>"$T/b.png"
printf 'MZ\220\000' >"$T/setup.pdf"
head -c 200 /dev/urandom >>"$T/setup.pdf"
{ printf '%%PDF-1.7\n'; head -c $((10 * 1024 * 1024)) /dev/zero; } >"$T/big.pdf"

# a repair application with two files (multipart)
req POST /api/v1/applications -F kind=repair -F "record=$R1" -F "subject=$CO1" \
	-F applicant=示例甲 -F contact=0417-1234567 -F reason=已缴纳罚款并完成整改 \
	-F commitment=本企业承诺依法经营 -F evidence=罚款缴纳凭证 -F evidence=整改报告 \
	-F "files=@$T/a.pdf;filename=缴款凭证.pdf" -F "files=@$T/b.png;type=text/plain"
is "multipart: 201" "$ST" 201
RC1=$(jq -r .receipt "$T/body")
S1=$(jq -r .secret "$T/body")
is "multipart: the receipt XF + day + sequence" "$RC1" XF20261126000001
like "multipart: a 24-character secret" "$S1" '^[A-Z2-9]{24}$'
like "multipart: the deadline" "$(jq -r .due "$T/body")" '^2026-1[12]-[0-9]{2}$'
like "the receipt is in the database's bytes as typed (what atrest reads is the store)" "$(atrest "$RC1")" '^[1-9]'
is "the secret is not stored: nowhere in the database file" "$(atrest "$S1")" 0
is "the contact is encrypted at rest: not in the database file as typed" "$(atrest 0417-1234567)" 0
is "two attachments, typed by their bytes" \
	"$(apps | jq -r --arg r "$RC1" 'select(.receipt == $r) | [.attachments[] | "\(.n) \(.name) \(.type) \(.size)"] | join(",")')" \
	"1 缴款凭证.pdf application/pdf $(wc -c <"$T/a.pdf"),2 b.png image/png $(wc -c <"$T/b.png")"
is "stored content-addressed beside the database" \
	"$(cmp "$T/a.pdf" "$BESIDE/attachments/$(sha256sum <"$T/a.pdf" | cut -d' ' -f1)" && echo same)" same
is "audited as the public" "$(xy audit show --limit 1000 --format json | jq -r --arg o "application:$RC1" '.entries[] | select(.object == $o) | .who + " " + .action')" \
	"public application.submit"
CASE1=$(case_of "$RC1")

# an objection as JSON without files
req POST /api/v1/applications -H "$J" -d "{\"kind\":\"objection\",\"record\":$R2,\"subject\":\"$CO2\",\"applicant\":\"示例乙\",\"contact\":\"yi@example.com\",\"reason\":\"警告对象有误\"}"
is "JSON: 201" "$ST" 201
RC2=$(jq -r .receipt "$T/body")
S2=$(jq -r .secret "$T/body")
is "JSON: an objection's receipt YY" "$RC2" YY20261126000002

# the status: the CLI's JSON is the route's
req GET "/api/v1/applications/$RC1?secret=$S1"
is "status: 200" "$ST" 200
is "status: 申请, open" "$(jq -r '.step + " " + (.open|tostring) + " " + (.attachments|tostring)' "$T/body")" "申请 true 2"
is "status: the record" "$(jq -r '.record.id|tostring' "$T/body")" "$R1"
is "status: no contact, no actor" "$(jq -r '[.contact, .history[0].actor] | map(select(. != null)) | length' "$T/body")" 0
jq -S . "$T/body" >"$T/api.json"
xy application show "$RC1" --secret "$S1" --format json | jq -S . >"$T/cli.json"
is "status: the CLI's JSON equals the route's" "$(cmp "$T/api.json" "$T/cli.json" && echo same)" same

# a wrong secret, another application's secret, an unknown receipt: one answer
req GET "/api/v1/applications/$RC1?secret=AAAAAAAAAAAAAAAAAAAAAAAA"
is "wrong secret: 404" "$ST" 404
cp "$T/body" "$T/wrong.json"
req GET "/api/v1/applications/$RC1?secret=$S2"
is "another's secret: 404" "$ST" 404
is "another's secret: the same body" "$(body)" "$(cat "$T/wrong.json")"
req GET "/api/v1/applications/XF20261126000099?secret=$S1"
is "unknown receipt: 404, the same body" "$ST $(body)" "404 $(cat "$T/wrong.json")"
req GET "/api/v1/applications/$RC1"
is "no secret: 404, the same body" "$ST $(body)" "404 $(cat "$T/wrong.json")"
fails "CLI: a wrong secret fails" 1 xy application show "$RC1" --secret "$S2"
fails "CLI: an .exe named .pdf is refused" 1 xy application submit --kind objection --record "$R3" \
	--subject "$CO1" --applicant 示例甲 --contact 13800000000 --reason 金额有误 --attach "$T/setup.pdf"
like "CLI: naming the file" "$(cat "$T/.err")" 'setup\.pdf'

# refused files
req POST /api/v1/applications -F kind=objection -F "record=$R3" -F "subject=$CO1" \
	-F applicant=示例甲 -F contact=13800000000 -F reason=金额有误 -F "files=@$T/setup.pdf;type=application/pdf"
is "an .exe named .pdf: 422" "$ST" 422
like "an .exe named .pdf: the file is named" "$(jq -r .error.message "$T/body")" 'setup\.pdf.*PDF'
set -- -F kind=objection -F "record=$R3" -F "subject=$CO1" -F applicant=示例甲 -F contact=13800000000 -F reason=金额有误
req POST /api/v1/applications "$@" -F "files=@$T/a.pdf" -F "files=@$T/a.pdf" -F "files=@$T/a.pdf" \
	-F "files=@$T/a.pdf" -F "files=@$T/a.pdf" -F "files=@$T/a.pdf"
is "six files: 413" "$ST" 413
req POST /api/v1/applications "$@" -F "files=@$T/big.pdf"
is "a file over 10 MiB: 413" "$ST" 413
like "a file over 10 MiB: named" "$(jq -r .error.message "$T/body")" 'big\.pdf'
req POST /api/v1/applications "$@" -F "files=@$T/a.pdf;filename=../../etc/passwd"
like "../ in a file name: never a path (refused or its last component)" "$ST" '^(201|400)$'
[ "$ST" = 201 ] && is "../ in a file name: the last component kept" \
	"$(apps | jq -r '.attachments[].name | select(contains("/"))' | wc -l)" 0
is "no file outside the attachments directory" "$(ls "$BESIDE/attachments" | grep -cv '^[0-9a-f]\{64\}$')" 0

# the subject must be the record's, by its full code
req POST /api/v1/applications -H "$J" -d "{\"kind\":\"objection\",\"record\":$R4,\"subject\":\"210802********1235\",\"applicant\":\"乙\",\"contact\":\"13800000000\",\"reason\":\"不是我\"}"
is "a masked 身份证号: 422" "$ST $(jq -r .error.field "$T/body")" "422 subject"
req POST /api/v1/applications -H "$J" -d "{\"kind\":\"objection\",\"record\":$R4,\"subject\":\"$CO1\",\"applicant\":\"乙\",\"contact\":\"13800000000\",\"reason\":\"不是我\"}"
is "another subject's code: 422" "$ST" 422
is "another subject's code: the record's subject is not disclosed" "$(grep -c "$P\|测试人员乙" "$T/body")" 0
req POST /api/v1/applications -H "$J" -d "{\"kind\":\"objection\",\"record\":$R4,\"subject\":\"$P\",\"applicant\":\"测试人员乙\",\"contact\":\"13800000000\",\"reason\":\"不是我\"}"
is "one's own record with the full 身份证号: 201" "$ST" 201

# the unit the case is routed to (市场监管局) sees it with its attachments
req GET "/api/v1/cases/$CASE1" -H "$UNIT_SC"
is "unit: the case 200" "$ST" 200
is "unit: the application member" \
	"$(jq -r '.application.receipt + " " + .application.contact + " " + (.application.attachments|length|tostring)' "$T/body")" \
	"$RC1 0417-1234567 2"
req GET "/api/v1/cases/$CASE1/attachments/1" -H "$UNIT_SC"
is "unit: attachment 1 200" "$ST" 200
is "unit: its stored type" "$(header Content-Type)" application/pdf
like "unit: Content-Disposition with filename*" "$(header Content-Disposition)" \
	"^attachment; filename\\*=UTF-8''%E7%BC%B4"
is "unit: byte-equal" "$(cmp "$T/body" "$T/a.pdf" && echo same)" same
OAPI_CHECK=0 req GET "/api/v1/cases/$CASE1/attachments/2" -H "$ADMIN"
is "office: attachment 2 byte-equal" "$ST $(cmp "$T/body" "$T/b.png" && echo same)" "200 same"
req GET "/api/v1/cases/$CASE1/attachments/1" -H "$UNIT_SJ"
is "another unit: 404" "$ST" 404
req GET "/api/v1/cases/$CASE1/attachments/3" -H "$UNIT_SC"
is "no attachment 3: 404" "$ST" 404
req GET "/api/v1/cases/$CASE1/attachments/1"
is "anonymous: 401" "$ST" 401

# the status follows the case's steps
req POST "/api/v1/cases/$CASE1/steps" -H "$ADMIN" -H "$J" -d '{"action":"accept","text":"材料齐全"}'
is "the office accepts: 200" "$ST" 200
req GET "/api/v1/applications/$RC1?secret=$S1"
is "status: 受理" "$(jq -r '.step + " " + (.history|length|tostring) + " " + .history[1].action' "$T/body")" "受理 2 受理"
is "status: no step text" "$(grep -c 材料齐全 "$T/body")" 0
req POST "/api/v1/cases/$CASE1/steps" -H "$UNIT_SC" -H "$J" -d '{"action":"review","text":"审核意见"}'
req POST "/api/v1/cases/$CASE1/steps" -H "$UNIT_SC" -H "$J" -d '{"action":"decide","result":"通过"}'
is "the unit approves: 200" "$ST" 200
req GET "/api/v1/applications/$RC1?secret=$S1"
is "status: 通过, closed" "$(jq -r '.step + " " + (.open|tostring) + " " + (.due|tostring)' "$T/body")" "通过 false null"
jq -S . "$T/body" >"$T/api.json"
xy application show "$RC1" --secret "$S1" --format json | jq -S . >"$T/cli.json"
is "status after the steps: the CLI's JSON equals the route's" "$(cmp "$T/api.json" "$T/cli.json" && echo same)" same

# bad input: SQL metacharacters and ../ in every field and parameter
N0=$(rows applications)
for f in kind subject applicant contact reason commitment evidence; do
	for v in "x'); DROP TABLE applications;--" "../../etc/passwd"; do
		jv=$(printf '%s' "$v" | jq -Rs .)
		body=$(jq -nc --arg f "$f" --argjson v "$jv" --arg s "$CO1" --argjson r "$R3" \
			'{kind:"repair",record:$r,subject:$s,applicant:"甲",contact:"13800000000",reason:"理由",commitment:"承诺",evidence:["凭证"]} | .[$f] = $v')
		req POST /api/v1/applications -H "$J" -d "$body"
		case "$f" in
		applicant | reason | commitment | evidence) like "$f=$v: stored as text or refused" "$ST" '^(201|409|422)$' ;;
		*) is "$f=$v: 422" "$ST" 422 ;;
		esac
	done
done
is "applications intact" "$([ "$(rows applications)" -ge "$N0" ] && echo 1)" 1
req POST /api/v1/applications -H "$J" -d "{\"kind\":\"repair\",\"record\":\"1 OR 1=1\"}"
is "record with SQL: 422" "$ST" 422
req POST /api/v1/applications -H "$J" -d '{"kind":'
is "malformed JSON: 400" "$ST" 400
req POST /api/v1/applications -H 'Content-Type: text/plain' -d 'x'
is "a text body: 415" "$ST" 415
req POST /api/v1/applications -H "$J" -d "{\"kind\":\"repair\",\"record\":$R3,\"extra\":1}"
is "an unknown field: 422" "$ST" 422
req GET "/api/v1/applications/..%2F..%2Fetc%2Fpasswd?secret=x"
like "../ as a receipt: 4xx" "$ST" '^4'
req GET "/api/v1/applications/XF'%20OR%20'1'='1?secret=x'%20OR%20'1'='1"
is "SQL as a receipt and secret: 404" "$ST" 404
req GET "/api/v1/cases/$CASE1/attachments/..%2F..%2Fetc" -H "$ADMIN"
like "../ as an attachment number: 4xx" "$ST" "^4"
req GET "/api/v1/cases/$CASE1/attachments/1%20OR%201=1" -H "$ADMIN"
is "SQL as an attachment number: 400" "$ST" 400
req GET /readyz
is "the server still answers" "$ST" 200
stop_server
