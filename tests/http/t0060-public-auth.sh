#!/bin/sh
# Public routes give the CLI's JSON byte for byte (after jq -S); real
# authentication (bearer tokens, session cookies with CSRF); the role matrix
# over every route × {anonymous, unit A, unit B, admin, auditor}.  Generated
# codes and names only (the data of tests/cli/t0262-views.sh).
. "$(dirname "$0")/lib.sh"
CO=91210802MA0XYQA01T
P=210802199001011235
REP=210804198002024562
H=CF_XDR_MC,CF_XDR_LB,CF_XDR_SHXYM,CF_XDR_ZJHM,CF_FRDB,CF_FR_ZJHM,CF_WSH,CF_WFXW,CF_SY,CF_YJ,CF_CFLB,CF_NR,CF_JDRQ,CF_YXQ,CF_CFJG,CF_CFJGDM,CF_SJLY,CF_SJLYDM,CF_SXYZCD,内部备注X
T2=",2027-12-31,营口市市场监督管理局,11210800MAR7YF578P,营口市市场监督管理局,11210800MAR7YF578P"
{
	echo "$H"
	echo "营口某建筑工程有限公司,法人及非法人组织,$CO,,示例甲,$REP,营市监罚〔2026〕1号,价格,事实,依据,罚款,罚款1万元,2026-03-10$T2,一般,内部的话"
	echo "营口某建筑工程有限公司,法人及非法人组织,$CO,,示例甲,$REP,营市监罚〔2026〕3号,价格,事实,依据,警告,警告,2026-03-12$T2,轻微,"
	echo "测试人员甲,自然人,,$P,,,营市监罚〔2026〕4号,价格,事实,依据,罚款,罚款1千元,2026-03-13$T2,一般,"
	echo "坏行,法人及非法人组织,not-a-code,,,,营市监罚〔2026〕5号,价格,事实,依据,罚款,罚款,2026-03-13$T2,一般,"
} >"$T/cf.csv"
xy init >/dev/null
printf 'alice-password-1\n' | xy user add alice --role admin >/dev/null
start_server

# -- the upload names its uploader in the audit log; unit A's batch (with errors)
req POST "/api/v1/uploads?category=行政处罚&reported_on=2026-10&filename=cf.csv" -H "$UNIT_SC" \
	-H 'Content-Type: text/csv' --data-binary @"$T/cf.csv"
is "unit A uploads: 201" "$ST" 201
BA=$(jq -r .batch "$T/body")
like "the batch has an error report" "$(jq -r .error_report "$T/body")" "/api/v1/batches/$BA/errors"
TID=$(echo "$UNIT_SC" | sed 's/.*xyt_\([0-9]*\)_.*/\1/')
is "the audit log names the uploading token" \
	"$(auditlog import.commit | jq -r --arg o "batch:$BA" 'select(.object == $o) | .who')" "token:$TID"

ok "a black-list entry naming the 法定代表人" xy list add --type 失信被执行人名单 --subject $CO \
	--unit 中级法院 --doc '（2026）辽08执1号' --from 2026-04-01 --person "法定代表人:$REP:示例甲"
ok "a watch-list entry" xy list add --type 重点关注名单 --subject $CO --unit 发改委 \
	--doc 发改关注〔2026〕1号 --from 2026-03-10

# -- the CLI and the server give the same JSON (public view)
same() { # DESC PATH CLI-ARGS…
	d=$1 p=$2
	shift 2
	req GET "$p"
	xy "$@" --format json >"$T/cli.json"
	is "$d: 200" "$ST" 200
	is "$d: = xinyong $* (jq -S)" "$(jq -S . "$T/body")" "$(jq -S . "$T/cli.json")"
}
same "profile by USCC" "/api/v1/subjects/$CO" show --public $CO
same "profile of a person by number" "/api/v1/subjects/$P" show --public $P
like "... the public profile masks the 身份证号" "$(body)" '210802\*+1235'
is "... and holds no full one" "$(grep -c "$P\|$REP" "$T/body")" 0
same "profile as of a date" "/api/v1/subjects/$CO?date=2026-05-01" show --public --as-of 2026-05-01 $CO
same "black list as of a date" "/api/v1/lists/失信被执行人名单?date=2026-05-01" list show --public \
	--type 失信被执行人名单 --as-of 2026-05-01 --limit 20
is "... one entry" "$(jq '.entries | length' "$T/body")" 1
is "... without its person's full number" "$(grep -c "$REP" "$T/body")" 0
req GET "/api/v1/lists/重点关注名单"
is "a watch list is not public: 404" "$ST" 404
req GET "/api/v1/subjects/91210802MA0XYQA99X"
is "an unknown subject: 404" "$ST" 404
is "... with the error object and no matches" "$(jq -c '[.error.code, .matches]' "$T/body")" '["notfound",[]]'
req GET "/api/v1/subjects/$CO?date=2026-13-01"
is "a bad date: 400" "$ST" 400
# search: the view's JSON (there is no search command; tests/view_dump builds it)
req GET "/api/v1/subjects?q=营口某建筑"
is "search: 200" "$ST" 200
"$XY_BUILD/tests/view_dump" "$XINYONG_DB" search "营口某建筑" public >"$T/vd.json"
is "search = the library's view (jq -S)" "$(jq -S . "$T/body")" "$(jq -S . "$T/vd.json")"
is "search finds the enterprise" "$(jq -r '.items[0].code' "$T/body")" $CO
req GET "/api/v1/subjects?q=测试人员"
is "a person is not found by name in the public search" "$(jq '.items | length' "$T/body")" 0
req GET "/api/v1/subjects?q=营"
is "a 1-character name: 422" "$ST" 422
req GET "/api/v1/subjects"
is "no q: 400" "$ST" 400
req GET "/api/v1/subjects?q=营口某建筑&limit=1000"
is "limit over 100: 400" "$ST" 400

# -- tokens: expired, revoked, forged
# time passes: a token made on 2020-01-01 for 30 days (XINYONG_NOW: docs/configuration.md)
EXP=$(export XINYONG_NOW=2020-01-01T00:00:00Z && mktoken admin)
EID=$(echo "$EXP" | sed 's/.*xyt_\([0-9]*\)_.*/\1/')
is "... token list says expired" "$(xy token list --format json | jq -r --argjson i "$EID" '.tokens[] | select(.id == $i) | .state')" expired
req GET /api/v1/batches -H "$EXP"
is "an expired token: 401" "$ST" 401
is "... says expired" "$(jq -r .error.code "$T/body")" expired
REV=$(mktoken admin)
xy token revoke "$(echo "$REV" | sed 's/.*xyt_\([0-9]*\)_.*/\1/')" >/dev/null 2>&1
req GET /api/v1/batches -H "$REV"
is "a revoked token: 401" "$ST" 401
is "... says revoked" "$(jq -r .error.code "$T/body")" revoked
# the next-to-last character changed: to x, or to y when it is an x already
# (an x kept was the same token, a 1-in-36 false failure)
FORGED=$(echo "$ADMIN" | sed 's/x\(.\)$/y\1/;t;s/.\(.\)$/x\1/')
[ "$FORGED" != "$ADMIN" ] || fail "the forged token differs"
req GET /api/v1/batches -H "$FORGED"
is "a forged token (one character changed): 401" "$ST" 401
req GET /api/v1/subjects/$CO -H "$FORGED"
is "... also on a public route" "$ST" 401

# -- sessions
req POST /api/v1/session -H 'Content-Type: application/json' -d '{"name":"alice","password":"wrong-password"}'
is "a wrong password: 401" "$ST" 401
is "... is in the audit log" "$(auditlog login.fail | wc -l)" 1
req POST /api/v1/session -H 'Content-Type: application/json' -d '{"name":"alice","password":"alice-password-1"}'
is "log in: 201" "$ST" 201
CSRF=$(jq -r .csrf "$T/body")
COOKIE=$(header Set-Cookie | sed 's/;.*//')
like "the cookie is HttpOnly, SameSite=Strict" "$(header Set-Cookie)" '^xy_session=[^;]+; Path=/; Max-Age=[0-9]+; HttpOnly; SameSite=Strict$'
req GET /api/v1/batches -H "Cookie: $COOKIE"
is "a cookie reads (GET needs no CSRF token)" "$ST" 200
req POST "/api/v1/checks" -H "Cookie: $COOKIE" -H 'Content-Type: application/json' \
	-d "{\"subject\":\"$CO\",\"unit\":\"住建局\"}"
is "a cookie POST without X-CSRF-Token: 403" "$ST" 403
is "... code csrf" "$(jq -r .error.code "$T/body")" csrf
req POST "/api/v1/checks" -H "Cookie: $COOKIE" -H "X-CSRF-Token: ${CSRF}x" \
	-H 'Content-Type: application/json' -d "{\"subject\":\"$CO\",\"unit\":\"住建局\"}"
is "a wrong X-CSRF-Token: 403" "$ST" 403
req POST "/api/v1/checks" -H "Cookie: $COOKIE" -H "X-CSRF-Token: $CSRF" \
	-H 'Content-Type: application/json' -d "{\"subject\":\"$CO\",\"unit\":\"住建局\"}"
is "with its CSRF token: 200" "$ST" 200
req DELETE /api/v1/session -H "Cookie: $COOKIE"
is "log out without CSRF: 403" "$ST" 403
req DELETE /api/v1/session -H "Cookie: $COOKIE" -H "X-CSRF-Token: $CSRF"
is "log out: 204" "$ST" 204
like "... clears the cookie" "$(header Set-Cookie)" '^xy_session=; .*Max-Age=0'
req GET /api/v1/batches -H "Cookie: $COOKIE"
is "the ended session: 401" "$ST" 401
stop_server
start_server --trusted-proxy 127.0.0.1
req POST /api/v1/session -H 'Content-Type: application/json' -H 'X-Forwarded-Proto: https' \
	-d '{"name":"alice","password":"alice-password-1"}'
like "behind a trusted proxy saying https the cookie is Secure" "$(header Set-Cookie)" '; Secure$'

# -- the role matrix: every route × role; the expected status from the route table
"$XINYONG" serve --routes >"$T/routes"
hdr() { case $1 in P) echo "X-None: 1" ;; U) echo "$UNIT_SC" ;; B) echo "$UNIT_SJ" ;; A) echo "$ADMIN" ;; R) echo "$AUDIT" ;; esac; }
n=0 bad= office=0
while read -r m path mask _; do
	# the office's routes need bodies and objects: their matrix is in
	# tests/http/t0140-admin.sh and matrix.tsv (# admin)
	case "$path" in
	/api/v1/units* | /api/v1/categories* | /api/v1/mappings | /api/v1/users* | /api/v1/tokens* | \
		/api/v1/memorandum-files | /api/v1/entries* | /api/v1/audit* | /api/v1/grade* | \
		/api/v1/subjects/*/grade* | /api/v1/inspection-*)
		office=$((office + 1))
		continue ;;
	esac
	for who in P U B A R; do
		p=$(echo "$path" | sed "s|{id}|$BA|;s|{code}|$CO|;s|{type}|失信被执行人名单|;s|{doc}|营发改信用〔2019〕266号|;s|{file}|common.js|;s|^/api/v1/subjects\$|&?q=$CO|")
		k=$who
		[ $who = B ] && k=U
		set -- "H:$(hdr $who)"
		case "$m $path" in
		"POST /api/v1/uploads") set -- "$@" 'H:Content-Type: text/csv' "D:@$T/cf.csv"
			p="$p?category=行政处罚&unit=市场监管局" ;;
		"POST /api/v1/checks") set -- "$@" 'H:Content-Type: application/json' \
			"D:{\"subject\":\"$CO\",\"unit\":\"市场监管局\"}" ;;
		"POST /api/v1/session") set -- "$@" 'H:Content-Type: application/json' \
			'D:{"name":"alice","password":"alice-password-1"}' ;;
		# reports (t0160): the POSTs come before the routes that read what they made
		"POST /api/v1/reconcile") p="$p?filename=r.tsv"
			set -- "$@" "H:Content-Type: text/tab-separated-values" \
				"D:@$DATA/reference/bulletin-2019-10-regions.tsv" ;;
		"POST /api/v1/bulletins") set -- "$@" 'H:Content-Type: application/json' \
			'D:{"issue":1,"date":"2019-10-15","format":"html"}' ;;
		"GET /api/v1/bulletins/{name}") p=/api/v1/bulletins/bulletin-1-2019-10-15.html ;;
		"POST /api/v1/index") set -- "$@" 'H:Content-Type: application/json' \
			'D:{"month":"2019-10","score":80,"rank":50}' ;;
		esac
		cells_add "$m" "$p" "$@"
		case $mask in *$k*) allowed=1 ;; *) allowed= ;; esac
		if [ -z "$allowed" ]; then
			want=403
			[ $who = P ] && want=401
		elif case "$path" in /api/v1/checks/* | /api/v1/cases* | /api/v1/commitments* | \
			/api/v1/watch* | /api/v1/notices* | /api/v1/reports/* | /api/v1/applications*) true ;; *) false ;; esac; then
			# the units' routes (and the report verification) need fixtures and
			# bodies: their statuses per role are in matrix.tsv ("# unit",
			# "# report", "# applications"), t0120, t0180 and t0200; here: allowed,
			# never 401/5xx
			want=allowed
		elif [ $who = B ] && case "$path" in /api/v1/batches/*) true ;; *) false ;; esac; then
			want=404 # another unit's batch or error report is not disclosed
		elif [ $who = B ] && [ "$m" = POST ] && [ "$path" != /api/v1/session ]; then
			want=403 # uploading or checking as another unit
		elif [ "$m" = DELETE ]; then
			want=400 # a token has no session to end
		else
			want=2xx
		fi
		printf '%s %s %s\n' "$who" "$want" "$path" >>"$T/want"
		n=$((n + 1))
	done
done <"$T/routes"
# sent in one curl (cells_run), in the same order; each answer then read as it comes
cells_run
cut -f2- "$T/cells.tsv" >>"$T/oapi.tsv" # stop_server checks them against docs/openapi.yaml
while IFS='	' read -r _ m p ST _ f && read -r who want path <&3; do
	[ -n "${DEBUG:-}" ] && echo "# $m $p $who $ST $(head -c 300 "$f")"
	case "$want:$ST" in 2xx:2??) ;; allowed:2?? | allowed:40[02-9] | allowed:4[1-9]?) ;;
	"$want:$want") ;; *) bad="$bad $m $path $who: $ST (want $want);" ;; esac
done <"$T/cells.tsv" 3<"$T/want"
is "role matrix: $n cells as the route table says" "$bad" ""
like "the matrix covered every other route × 5 roles" "$n" "^$((($(wc -l <"$T/routes") - office) * 5))$"
stop_server
is "stops with 0" "$SRV_RC" 0
