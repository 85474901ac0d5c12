#!/bin/sh
# Hostile clients, generated from the route table (`xinyong serve --routes`:
# method, path, roles, body kind) and from docs/openapi.yaml's inputs (query
# arguments, JSON string fields), so a new route is covered without a line
# here: path traversal, NUL and overlong UTF-8 in every path parameter; SQL
# metacharacters in every path parameter, query argument and JSON string
# field; malformed JSON, wrong content types and oversized bodies on every
# body route; expired, revoked and forged tokens and a cookie without its
# CSRF token on every state-changing route.  Each is answered below 500 (4xx
# with the error object where it is refused; every answer matches the
# document), each is in the access log, and the database is unchanged.
# (Rates, 1,000 connections and a silent client: t0030; SIGKILL: t0040, t0073.)
. "$(dirname "$0")/lib.sh"
xy init >/dev/null
printf 'hostile-password-1\n' | xy user add hostile --role admin >/dev/null
start_server --rate 0 --max-body 64K --max-json 1K
"$XINYONG" serve --routes | awk '{ print $1, $2, $3, $4 }' >"$T/routes"
/usr/bin/python3 "$ROOT/tests/http/oapi-check.py" "$ROOT/docs/openapi.yaml" --inputs >"$T/inputs"
like "the route table gives the body kinds" "$(cat "$T/routes")" 'POST /api/v1/checks -UA- json'
like "the document gives the inputs" "$(cat "$T/inputs")" 'POST /api/v1/session json name'

# a session (cookie + CSRF token), made before the snapshot
req POST /api/v1/session -H 'Content-Type: application/json' \
	-d '{"name":"hostile","password":"hostile-password-1"}'
is "a session for the CSRF checks" "$ST" 201
CSRF=$(jq -r .csrf "$T/body")
COOKIE="Cookie: $(header Set-Cookie | sed 's/;.*//')"
EXP=$(export XINYONG_NOW=2020-01-01T00:00:00Z && mktoken admin) # expired on 2020-01-31
REV=$(mktoken admin)
xy token revoke "$(echo "$REV" | sed 's/.*xyt_\([0-9]*\)_.*/\1/')" >/dev/null 2>&1
# the last-but-one character changed (the form before left a token whose last-but-one was
# "x" as it was, a valid one: about one run in 60 failed)
FORGED=$(echo "$ADMIN" | sed 's/x\(.\)$/y\1/;t;s/.\(.\)$/x\1/')
[ "$FORGED" != "$ADMIN" ] || fail "the forged token differs from the real one" "$ADMIN"

# the database's state: rows of every table but the audit log, which may
# gain login failures only
snapshot() {
	xy db counts | awk -F'\t' '$1 != "audit_log" { printf "%s=%s ", $1, $2 }'
	printf 'audit-but-login.fail=%s' "$(auditlog | jq -r 'select(.action != "login.fail") | .seq' | wc -l)"
}
req GET /api/v1/lists/x # the credit catalogue is loaded on first use (list_types)
before=$(snapshot)
log_before=$(wc -l <"$T/access.log")

# send DESC WANT METHOD PATH [curl args…]: one hostile request; WANT is a
# status or "4xx" (refused: the error object) or "ok" (anything below 500
# that matches the document)
sent=0 bad=0
oapi_check # lib.sh: the answers so far; those of the hostile requests at the end
send() {
	d=$1 want=$2 m=$3 p=$4
	shift 4
	req "$m" "$p" --path-as-is "$@"
	sent=$((sent + 1))
	case $want:$ST in
	ok:[1-4]??) return ;;
	4xx:4??) jq -e '.error.code and .error.message' "$T/body" >/dev/null 2>&1 && return ;;
	"$ST:$ST") jq -e '.error.code and .error.message' "$T/body" >/dev/null 2>&1 && return ;;
	esac
	bad=$((bad + 1))
	fail "$d: $m $p wanted $want" "got $ST $(head -c 300 "$T/body")"
}
# queue DESC WANT [CODE] METHOD PATH [curl args…]: the same, sent with the
# others in one curl process by batch_run (lib.sh) — the sweep below is ~1,900
# requests; CODE, when given, is the error.code the answer must have
queue() {
	qd=$1 qw=$2
	shift 2
	case $1 in [a-z]*) qc=$1 && shift ;; *) qc= ;; esac
	qm=$1 qp=$2
	shift 2
	sent=$((sent + 1))
	batch_add "$qd" "$qw" ${qc:+"$qc"} -- "$qm" "$qp" --path-as-is "$@"
}
# who may call a route (its roles column): a unit operator, else the office,
# else the auditor, else nobody; the header for it
caller() {
	case $1 in
	?U??) echo "$UNIT_SJ" ;; ??A?) echo "$ADMIN" ;; ???R) echo "$AUDIT" ;; *) echo "X-Anonymous: 1" ;;
	esac
}
# fill PATH VALUE: PATH with every {param} replaced by VALUE
fill() { printf '%s' "$1" | sed "s|{[^}]*}|$2|g"; }

# -- path parameters: traversal, NUL, overlong UTF-8, SQL metacharacters
SQLVALS="' OR 1=1 --|\"; DROP TABLE x; --|%|_"
PATHVALS='..%2f..%2fetc%2fpasswd %2e%2e%2f%2e%2e%2fetc%2fpasswd .. %00 a%00b %c0%ae%c0%ae%c0%af
%e0%80%ae%e0%80%ae %27%20OR%201%3D1%20-- %22%3B%20DROP%20TABLE%20x%3B%20-- %25 _ %ff%fe'
CTRLVALS='%ff%fe %c0%ae%c0%ae a%00b %00 %01x'
n0=$sent
while read -r m path roles body; do
	case $path in *'{'*) ;; *) continue ;; esac
	for v in $PATHVALS; do
		queue "path parameter $v" 4xx "$m" "$(fill "$path" "$v")" -H "$(caller "$roles")"
	done
done <"$T/routes"
like "every path parameter got the hostile values" "$((sent - n0))" '^[1-9][0-9]+$'

# -- SQL metacharacters in every query argument and JSON string field (each
# value's URI and JSON spellings made once: SQL_URI_i, SQL_JSON_i)
i=0
IFS='|'
for v in $SQLVALS; do
	unset IFS
	i=$((i + 1))
	eval "SQL_URI_$i=\$(jq -rn --arg v \"\$v\" '\$v | @uri')"
	eval "SQL_JSON_$i=\$(jq -cn --arg v \"\$v\" '\$v')"
done
unset IFS
n0=$sent
while read -r m path where name; do
	roles=$(awk -v m="$m" -v p="$path" '$1 == m && $2 == p { print $3 }' "$T/routes")
	p=$(fill "$path" 1)
	i=0
	IFS='|'
	for v in $SQLVALS; do
		unset IFS
		i=$((i + 1))
		eval "uri=\$SQL_URI_$i json=\$SQL_JSON_$i"
		if [ "$where" = query ]; then
			queue "query $name=$v" ok "$m" "$p?$name=$uri" -H "$(caller "$roles")"
		else
			case $name in
			'' | *[!A-Za-z0-9_]*) json=$(jq -cn --arg v "$v" --arg k "$name" '{($k): $v}') ;;
			*) json="{\"$name\":$json}" ;; # as jq -c writes it
			esac
			queue "JSON $name=$v" ok "$m" "$p" -H "$(caller "$roles")" \
				-H 'Content-Type: application/json' -d "$json"
		fi
	done
	unset IFS
	for v in $CTRLVALS; do
		queue "query $name=$v: not UTF-8, NUL or a control character" 400 "$m" "$p?$name=$v" \
			-H "$(caller "$roles")"
	done
done <"$T/inputs"
# a NUL cuts no value: "a%00b" is refused, not looked up as "a"
send "a NUL in a path parameter" 400 GET /api/v1/subjects/a%00b
is "... says why" "$(jq -r .error.message "$T/body")" 路径参数含控制字符
send "a NUL in a query argument" 400 GET "/api/v1/subjects?q=%E8%90%A5%E5%8F%A3%00x"
is "... naming it" "$(jq -r .error.field "$T/body")" q
like "every input got the SQL metacharacters" "$((sent - n0))" '^[1-9][0-9]+$'

# -- bodies: malformed, wrong types, oversized
printf '{"subject":"\377\376"}' >"$T/bad-utf8"
printf '{"name":"a\000b","password":"x"}' >"$T/nul"
head -c 600 /dev/zero | tr '\0' '[' >"$T/deep"
head -c 70000 /dev/zero | tr '\0' 'x' >"$T/big"
printf -- '--xyz\r\nContent-Disposition: form-data; name="file"; filename="a.csv"\r\n\r\nno end' >"$T/badpart"
while read -r m path roles body; do
	p=$(fill "$path" 1)
	h=$(caller "$roles")
	case $body in
	json)
		for j in '{' '[1]' '"x"' 'nul' '{"a":1,"a":2}' '{"subject":}' ''; do
			queue "malformed JSON [$j]" 4xx "$m" "$p" -H "$h" -H 'Content-Type: application/json' -d "$j"
		done
		for f in bad-utf8 nul deep; do
			queue "JSON body $f" 4xx "$m" "$p" -H "$h" -H 'Content-Type: application/json' --data-binary @"$T/$f"
		done
		for ct in text/plain application/x-www-form-urlencoded application/xml; do
			queue "content type $ct" 415 "$m" "$p" -H "$h" -H "Content-Type: $ct" -d '{}'
		done
		queue "no content type" 415 "$m" "$p" -H "$h" -H 'Content-Type:' -d '{}'
		queue "multipart instead of JSON" 415 "$m" "$p" -H "$h" -F "file=@$T/nul"
		queue "a JSON body over --max-json" 413 "$m" "$p" -H "$h" -H 'Content-Type: application/json' \
			--data-binary @"$T/big"
		queue "a chunked JSON body over --max-json" 413 "$m" "$p" -H "$h" -H 'Content-Type: application/json' \
			-H 'Transfer-Encoding: chunked' --data-binary @"$T/big"
		;;
	file)
		queue "a file as form-urlencoded" 415 "$m" "$p" -H "$h" --data-binary @"$T/nul"
		queue "a broken multipart body" 4xx "$m" "$p?category=x" -H "$h" \
			-H 'Content-Type: multipart/form-data; boundary=xyz' --data-binary @"$T/badpart"
		head -c 70000 /dev/zero | tr '\0' 'x' >"$T/big"
		queue "a file over --max-body" 413 "$m" "$p" -H "$h" -H 'Content-Type: text/csv' --data-binary @"$T/big"
		queue "a chunked file over --max-body" 413 "$m" "$p" -H "$h" -H 'Content-Type: text/csv' \
			-H 'Transfer-Encoding: chunked' --data-binary @"$T/big"
		;;
	-)
		[ "$m" = GET ] || continue
		queue "a body where none is taken" 400 "$m" "$p" -H "$h" -H 'Content-Type: application/json' -d '{}'
		;;
	esac
done <"$T/routes"

# -- credentials on every state-changing route
while read -r m path roles body; do
	[ "$m" = GET ] && continue
	p=$(fill "$path" 1)
	queue "an expired token" 401 expired "$m" "$p" -H "$EXP"
	queue "a revoked token" 401 revoked "$m" "$p" -H "$REV"
	queue "a forged token" 401 "$m" "$p" -H "$FORGED"
	# logging in ignores a session cookie (principal.c): the CSRF token guards
	# a session's own state changes
	[ "$m $path" = "POST /api/v1/session" ] && continue
	queue "a cookie without X-CSRF-Token" 403 csrf "$m" "$p" -H "$COOKIE"
	queue "a cookie with a wrong X-CSRF-Token" 403 "$m" "$p" -H "$COOKIE" -H "X-CSRF-Token: ${CSRF}x"
	queue "a cookie with another's CSRF token" 403 "$m" "$p" -H "$COOKIE" -H "X-CSRF-Token: $(echo "$CSRF" | rev)"
done <"$T/routes"

batch_run
bad=$((bad + BATCH_BAD))
is "every hostile request ($sent) answered as it should" "$bad" 0
is "no 5xx among them" "$(cut -f3 "$T/oapi.tsv" | grep -c '^5')" 0
oapi_check # every answer to a route matches the document (a decoded / or NUL may leave none)
is "the database is unchanged" "$(snapshot)" "$before"
is "integrity_check ok" "$(xy db check)" ok
req GET /readyz
is "the server still answers" "$ST" 200
stop_server
is "stops with 0" "$SRV_RC" 0
is "each hostile request is in the access log" "$(($(wc -l <"$T/access.log") - log_before))" $((sent + 1))
