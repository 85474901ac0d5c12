#!/bin/sh
# The public API (issue 9): the 双公示 feeds (GET /api/v1/licensing, /penalties),
# the list types (GET /api/v1/lists) and list pages (GET /api/v1/lists/{type}),
# the memoranda (GET /api/v1/memoranda[/{doc}]) and subject search by name,
# USCC and 身份证号 with keyset paging.  Every read route gives the JSON of its
# CLI command byte for byte (jq -S); pages follow their "next" to the end;
# bad input (malformed dates and cursors, unknown names, SQL metacharacters,
# ../) is refused cleanly and a last request proves the server still answers.
# Generated codes and names only.
. "$(dirname "$0")/lib.sh"
CO1=91210802MA0XYQA01T
CO2=91210802MA0XYQB02K
CO3=91210802MA0XYQC03C
P=210802199001011235
REP=210804198002024562

# 行政许可 of 市审批局: five in March 2026 (two on the same day), one in 2025
XH=XK_XDR_MC,XK_XDR_LB,XK_XDR_SHXYM,XK_XDR_ZJHM,XK_FRDB,XK_FR_ZJHM,XK_WSH,XK_XKLB,XK_NR,XK_JDRQ,XK_XKJG,XK_XKJGDM,内部备注X
XT=",营口市行政审批局,11210800MAR7YF578P,内部的话"
{
	echo "$XH"
	echo "营口公示甲有限公司,法人及非法人组织,$CO1,,示例甲,$REP,营审批〔2026〕1号,普通,内容,2026-03-01$XT"
	echo "营口公示乙有限公司,法人及非法人组织,$CO2,,示例乙,,营审批〔2026〕2号,普通,内容,2026-03-05$XT"
	echo "营口公示丙有限公司,法人及非法人组织,$CO3,,,,营审批〔2026〕3号,普通,内容,2026-03-05$XT"
	echo "测试人员甲,自然人,,$P,,,营审批〔2026〕4号,普通,内容,2026-03-20$XT"
	echo "营口公示甲有限公司,法人及非法人组织,$CO1,,示例甲,,营审批〔2026〕5号,普通,内容,2026-03-31$XT"
	echo "营口公示甲有限公司,法人及非法人组织,$CO1,,示例甲,,营审批〔2025〕9号,普通,内容,2025-06-01$XT"
} >"$T/xk.csv"
# 行政处罚 of 市场监管局: 一般 (public a year), 轻微 (3 months), a person's
CH=CF_XDR_MC,CF_XDR_LB,CF_XDR_SHXYM,CF_XDR_ZJHM,CF_FRDB,CF_FR_ZJHM,CF_WSH,CF_WFXW,CF_SY,CF_YJ,CF_CFLB,CF_NR,CF_JDRQ,CF_YXQ,CF_CFJG,CF_CFJGDM,CF_SJLY,CF_SJLYDM,CF_SXYZCD
CT=",2027-12-31,营口市市场监督管理局,11210800MAR7YF578P,营口市市场监督管理局,11210800MAR7YF578P"
{
	echo "$CH"
	echo "营口公示甲有限公司,法人及非法人组织,$CO1,,示例甲,$REP,营市监罚〔2026〕1号,价格,事实,依据,罚款,罚款1万元,2026-03-10$CT,一般"
	echo "营口公示乙有限公司,法人及非法人组织,$CO2,,示例乙,,营市监罚〔2026〕3号,价格,事实,依据,警告,警告,2026-03-12$CT,轻微"
	echo "测试人员甲,自然人,,$P,,,营市监罚〔2026〕4号,价格,事实,依据,罚款,罚款1千元,2026-03-13$CT,一般"
} >"$T/cf.csv"
xy init >/dev/null
ok "import 行政许可" xy import "$T/xk.csv" --unit 市审批局 --category 行政许可 --reported-on 2026-04
ok "import 行政处罚" xy import "$T/cf.csv" --unit 市场监管局 --category 行政处罚 --reported-on 2026-04
ok "a black-list entry" xy list add --type 失信被执行人名单 --subject $CO1 --unit 中级法院 \
	--doc '（2026）辽08执1号' --from 2026-04-01 --person "法定代表人:$REP:示例甲"
ok "a second black-list entry" xy list add --type 失信被执行人名单 --subject $CO2 --unit 中级法院 \
	--doc '（2026）辽08执2号' --from 2026-04-02
ok "a third, ended before the date asked" xy list add --type 失信被执行人名单 --subject $CO3 \
	--unit 中级法院 --doc '（2025）辽08执3号' --from 2025-01-01 --to 2025-12-31
ok "a watch-list entry" xy list add --type 重点关注名单 --subject $CO1 --unit 发改委 \
	--doc 发改关注〔2026〕1号 --from 2026-03-10
start_server

# same DESC PATH CLI-ARGS…: the route's JSON = the CLI's --format json (jq -S)
same() {
	d=$1 p=$2
	shift 2
	req GET "$p"
	xy "$@" --format json >"$T/cli.json"
	is "$d: 200" "$ST" 200
	is "$d: = xinyong $* (jq -S)" "$(jq -S . "$T/body")" "$(jq -S . "$T/cli.json")"
}
# status DESC CODE PATH: one request's status
status() {
	req GET "$3"
	is "$1: $2" "$ST" "$2"
}

# -- 双公示: 行政许可
same "licensing in March" "/api/v1/licensing?from=2026-03-01&to=2026-03-31" \
	publicity licensing --from 2026-03-01 --to 2026-03-31 --public
is "... five, newest decision first, then by id descending" \
	"$(jq -c '[.items[] | .key]' "$T/body")" \
	'["营审批〔2026〕5号","营审批〔2026〕4号","营审批〔2026〕3号","营审批〔2026〕2号","营审批〔2026〕1号"]'
is "... one page: next is null" "$(jq -c .next "$T/body")" null
is "... the person's 身份证号 masked" "$(jq -r '.items[1].subject.code' "$T/body")" '210802********1235'
is "... no full 身份证号 anywhere" "$(grep -c "$P\|$REP" "$T/body")" 0
is "... no _extra (内部备注X)" "$(grep -c '内部的话' "$T/body")" 0
is "... the subject has the search item's shape" \
	"$(jq -c '.items[0].subject | keys' "$T/body")" '["code","code_type","district","division","kind","kind_zh","name"]'
same "licensing, 2 a page" "/api/v1/licensing?from=2026-03-01&to=2026-03-31&limit=2" \
	publicity licensing --from 2026-03-01 --to 2026-03-31 --limit 2 --public
N1=$(jq -r .next "$T/body")
like "... a cursor for the next page" "$N1" '^2026-03-20\.[0-9]+$'
same "... the second page" "/api/v1/licensing?from=2026-03-01&to=2026-03-31&limit=2&after=$N1" \
	publicity licensing --from 2026-03-01 --to 2026-03-31 --limit 2 --after "$N1" --public
is "... two more, the same day split by id" "$(jq -c '[.items[] | .key]' "$T/body")" \
	'["营审批〔2026〕3号","营审批〔2026〕2号"]'
N2=$(jq -r .next "$T/body")
req GET "/api/v1/licensing?from=2026-03-01&to=2026-03-31&limit=2&after=$N2"
is "... the last page: one, next null" "$(jq -c '[(.items | length), .next]' "$T/body")" '[1,null]'
# walk every page of one a page: each record once, none lost
req GET "/api/v1/licensing?limit=1"
keys=$(jq -r '.items[].key' "$T/body") nx=$(jq -r .next "$T/body") pages=1
while [ "$nx" != null ] && [ $pages -lt 20 ]; do
	req GET "/api/v1/licensing?limit=1&after=$nx"
	keys="$keys $(jq -r '.items[].key' "$T/body")" nx=$(jq -r .next "$T/body") pages=$((pages + 1))
done
is "one a page over the open range: 6 pages" "$pages" 6
is "... every record once" "$(echo $keys | tr ' ' '\n' | sort -u | wc -l)" 6
same "licensing of natural persons" "/api/v1/licensing?kind=person" publicity licensing \
	--kind person --public
is "... only the person's" "$(jq -c '[.items[] | .subject.kind]' "$T/body")" '["person"]'
same "licensing of one unit" "/api/v1/licensing?unit=市审批局&to=2025-12-31" publicity licensing \
	--unit 市审批局 --to 2025-12-31 --public
is "... the 2025 one" "$(jq -c '[.items[] | .key]' "$T/body")" '["营审批〔2025〕9号"]'
req GET "/api/v1/licensing?unit=市场监管局"
is "another unit's licensing: none" "$(jq '.items | length' "$T/body")" 0

# -- 双公示: 行政处罚 and the publication rules
same "penalties as of 2026-04-01" "/api/v1/penalties?date=2026-04-01" publicity penalties \
	--as-of 2026-04-01 --public
is "... all three public" "$(jq '.items | length' "$T/body")" 3
is "... 公示中" "$(jq -r '.items[0].display' "$T/body")" 公示中
same "penalties as of 2026-07-01" "/api/v1/penalties?date=2026-07-01" publicity penalties \
	--as-of 2026-07-01 --public
is "... the 轻微 one's 3 months ended: left out" "$(jq -c '[.items[] | .key]' "$T/body")" \
	'["营市监罚〔2026〕4号","营市监罚〔2026〕1号"]'
req GET "/api/v1/penalties?date=2027-06-01"
is "... a year after: none public" "$(jq '.items | length' "$T/body")" 0
xy publicity penalties --as-of 2027-06-01 --format json >"$T/office.json"
is "the office view (CLI without --public) keeps them, with their status" \
	"$(jq -c '[.items[] | .display] | unique' "$T/office.json")" '["公示期满"]'
is "... and the full 身份证号" "$(grep -c "$P" "$T/office.json")" 1
same "penalties with limit 1" "/api/v1/penalties?date=2026-07-01&limit=1" publicity penalties \
	--as-of 2026-07-01 --limit 1 --public
N=$(jq -r .next "$T/body")
req GET "/api/v1/penalties?date=2026-07-01&limit=1&after=$N"
is "... the page after skips the hidden record" "$(jq -c '[[.items[] | .key], .next]' "$T/body")" \
	'[["营市监罚〔2026〕1号"],null]'

# -- bad input on the feeds
status "from after to" 422 "/api/v1/licensing?from=2026-04-01&to=2026-03-01"
status "a bad date" 422 "/api/v1/licensing?from=2026-02-30"
status "a bad as-of date" 400 "/api/v1/licensing?date=yesterday"
status "limit 0" 400 "/api/v1/licensing?limit=0"
status "limit 101" 400 "/api/v1/penalties?limit=101"
status "an unknown unit" 404 "/api/v1/licensing?unit=无此单位"
status "an unknown kind" 422 "/api/v1/licensing?kind=robot"
for c in x 2026-03-01 2026-03-01.x 2026-13-01.5 2026-03-01.-5 "2026-03-01.1%27%20OR%201=1--" \
	"..%2F..%2Fetc%2Fpasswd" "2026-03-01.99999999999999999999"; do
	status "a malformed cursor '$c'" 422 "/api/v1/licensing?after=$c"
done
req GET "/api/v1/licensing?unit=%27%20OR%20%271%27=%271"
is "SQL in unit: 404, not every unit's" "$ST" 404
req GET "/api/v1/licensing?kind=person%27--"
is "SQL in kind: 422" "$ST" 422
is "... the error object names the field" "$(jq -r .error.field "$T/body")" kind
req GET "/api/v1/licensing?unit=..%2F..%2Fetc"
is "../ in unit: 404" "$ST" 404

# -- list types and list pages
same "list types as of a date" "/api/v1/lists?date=2026-05-01" list types --public --as-of 2026-05-01
is "... no watch list" "$(jq '[.list_types[] | select(.kind == "watch")] | length' "$T/body")" 0
is "... red and black lists" "$(jq -c '[.list_types[] | .kind] | unique' "$T/body")" '["black","red"]'
is "... 失信被执行人名单: 2 active (the 2025 one ended)" \
	"$(jq '.list_types[] | select(.name == "失信被执行人名单") | .active' "$T/body")" 2
xy list types --as-of 2026-05-01 --format json >"$T/office.json"
is "the office's list types include the watch list" \
	"$(jq '[.list_types[] | select(.kind == "watch")] | length > 0' "$T/office.json")" true
req GET "/api/v1/lists?date=2026-03-31"
is "before the entries began: 0 active" \
	"$(jq '.list_types[] | select(.name == "失信被执行人名单") | .active' "$T/body")" 0
status "list types: a bad date" 400 "/api/v1/lists?date=2026-02-30"
same "a list page" "/api/v1/lists/失信被执行人名单?date=2026-05-01&limit=1" list show --public \
	--type 失信被执行人名单 --as-of 2026-05-01 --limit 1
is "... one entry, and a next" "$(jq -c '[(.entries | length), (.next | type)]' "$T/body")" '[1,"string"]'
N=$(jq -r .next "$T/body")
same "... the next page" "/api/v1/lists/失信被执行人名单?date=2026-05-01&limit=1&after=$N" list show \
	--public --type 失信被执行人名单 --as-of 2026-05-01 --limit 1 --after "$N"
is "... the other entry, the last" "$(jq -c '[.entries[0].subject, .next]' "$T/body")" "[\"$CO2\",null]"
same "a list's default page" "/api/v1/lists/失信被执行人名单?date=2026-05-01" list show --public \
	--type 失信被执行人名单 --as-of 2026-05-01 --limit 20
status "a list page: bad cursor" 422 "/api/v1/lists/失信被执行人名单?after=abc"
status "a list page: SQL in the cursor" 422 "/api/v1/lists/失信被执行人名单?after=1%20OR%201=1"
status "a list page: limit 1000" 400 "/api/v1/lists/失信被执行人名单?limit=1000"
status "a watch list is not public" 404 "/api/v1/lists/重点关注名单"
status "SQL in the list type" 404 "/api/v1/lists/x%27%20OR%20%271%27=%271"
status "../ in the list type" 404 "/api/v1/lists/..%2F..%2Fetc%2Fpasswd"

# -- memoranda
same "memoranda" "/api/v1/memoranda" memorandum list --public
[ "$(jq '.memoranda | length' "$T/body")" -ge 1 ] && pass "... the shipped ones" || fail "... no memoranda"
is "... without the file path" "$(jq '[.memoranda[] | has("file")] | any' "$T/body")" false
xy memorandum list --format json >"$T/office.json"
is "the office's list names the file" "$(jq '[.memoranda[] | has("file")] | all' "$T/office.json")" true
DOC=$(jq -r '.memoranda[0].doc' "$T/body")
DOCQ=$(jq -rn --arg d "$DOC" '$d | @uri')
same "one memorandum" "/api/v1/memoranda/$DOCQ" memorandum show --public "$DOC"
is "... its measures in full" \
	"$(jq '(.measures | type) == "array" and (.measures | length) > 0 and (.measures[0] | has("legal_basis"))' "$T/body")" true
status "an unknown memorandum" 404 "/api/v1/memoranda/无此文号"
status "SQL in a memorandum's doc" 404 "/api/v1/memoranda/x%27%3B%20DROP%20TABLE%20memoranda--"
status "../ in a memorandum's doc" 404 "/api/v1/memoranda/..%2F..%2Fetc%2Fpasswd"

# -- subject search: 2+ character names, USCC, 身份证号, keyset paging
req GET "/api/v1/subjects?q=公示"
is "a 2-character name: 200" "$ST" 200
"$XY_BUILD/tests/view_dump" "$XINYONG_DB" search "公示" public >"$T/vd.json"
is "... = the library's view (jq -S)" "$(jq -S . "$T/body")" "$(jq -S . "$T/vd.json")"
is "... the three enterprises" "$(jq '.items | length' "$T/body")" 3
req GET "/api/v1/subjects?q=公示&limit=2"
is "... 2 a page" "$(jq '.items | length' "$T/body")" 2
N=$(jq -r .next "$T/body")
req GET "/api/v1/subjects?q=公示&limit=2&after=$N"
is "... the next page holds the third, the last" "$(jq -c '[.items[0].code, .next]' "$T/body")" "[\"$CO3\",null]"
req GET "/api/v1/subjects?q=公示乙有限"
is "a 3+ character name (trigram)" "$(jq -r '.items[0].code' "$T/body")" $CO2
req GET "/api/v1/subjects?q=$CO2"
is "a USCC" "$(jq -c '[.items[] | .code]' "$T/body")" "[\"$CO2\"]"
req GET "/api/v1/subjects?q=$(echo $CO2 | tr A-Z a-z)"
is "... in lower case too" "$(jq -c '[.items[] | .code]' "$T/body")" "[\"$CO2\"]"
req GET "/api/v1/subjects?q=$P"
is "a full 身份证号 finds its person, masked" "$(jq -c '[.items[] | .code]' "$T/body")" '["210802********1235"]'
is "... never the full number, not even the query" "$(grep -c "$P" "$T/body")" 0
req GET "/api/v1/subjects?q=测试人员"
is "a person is not found by name" "$(jq '.items | length' "$T/body")" 0
status "a 1-character name" 422 "/api/v1/subjects?q=公"
status "search: a bad cursor" 422 "/api/v1/subjects?q=公示&after=x"
req GET "/api/v1/subjects?q=%27%20OR%201=1--"
is "SQL in q: 200, nothing found" "$(jq -c '[.items | length]' "$T/body")" '[0]'

# -- the roles: public routes answer everyone the same public view
for h in "$UNIT_SJ" "$ADMIN" "$AUDIT"; do
	req GET "/api/v1/penalties?date=2026-07-01" -H "$h"
	is "a staff token on the penalties feed: the public view" "$(jq '.items | length' "$T/body")" 2
done

# -- the server still answers
status "the server still answers" 200 "/api/v1/licensing?limit=1"
stop_server
is "the server stops cleanly" "$SRV_RC" 0
