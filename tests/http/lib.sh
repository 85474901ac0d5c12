# Shared helpers of the HTTP tests (sourced): the CLI tests' checks (ok, fails,
# is, like, q) plus a server of our own on a free port.
#   start_server [serve options…]   starts `xinyong serve` on 127.0.0.1:0, waits
#                                   for its address; sets BASE and SRV_PID
#   stop_server [SIGNAL]            signals it (TERM) and waits; sets SRV_RC
#   req METHOD PATH [curl args…]    one request: status in $ST, body in $T/body,
#                                   headers in $T/headers
#   body                            the last body
# Every answer req gets is checked against docs/openapi.yaml when the server
# stops (stop_server: one check line, tests/http/oapi-check.py --known-only;
# OAPI_CHECK=0 turns it off).
. "$(dirname "$0")/../cli/lib.sh"
command -v curl >/dev/null || { echo "not ok - curl is missing (scripts/deps.sh)"; exit 1; }
SRV_PID=
trap 'test -n "$SRV_PID" && kill -9 "$SRV_PID" 2>/dev/null; rm -rf "$T"' EXIT
# Bearer tokens of each role, made with `xinyong token create` in the current
# database by start_server (once per database): UNIT_SJ (市审批局), UNIT_SC
# (市场监管局), UNIT_GA (公安局), ADMIN, AUDIT — each an "Authorization: Bearer …"
# header.  mktoken ROLE [UNIT] makes another and prints its header.
mktoken() {
	tok=$("$XINYONG" token create --role "$1" ${2:+--unit "$2"} --expires 30d \
		--label http-test 2>/dev/null) || { echo "not ok - token create $*" >&2; exit 1; }
	echo "Authorization: Bearer $tok"
}
make_tokens() {
	[ "$(sqlite3 "$XINYONG_DB" "select count(*) from tokens where label = 'http-test'")" = 0 ] || return 0
	UNIT_SJ=$(mktoken unit 市审批局)
	UNIT_SC=$(mktoken unit 市场监管局)
	UNIT_GA=$(mktoken unit 公安局)
	ADMIN=$(mktoken admin)
	AUDIT=$(mktoken auditor)
}

start_server() {
	: >"$T/serve.out"
	make_tokens
	"$XINYONG" serve --listen 127.0.0.1:0 --spool "$T/spool" \
		--access-log "$T/access.log" --error-log "$T/error.log" "$@" \
		>"$T/serve.out" 2>>"$T/error.log" &
	SRV_PID=$!
	i=0
	while [ $i -lt 300 ]; do
		BASE=$(sed -n 's|.*listening on \(http://[^/]*\)/.*|\1|p' "$T/serve.out")
		[ -n "$BASE" ] && return 0
		kill -0 "$SRV_PID" 2>/dev/null || break
		sleep 0.1
		i=$((i + 1))
	done
	echo "not ok - the server did not start"
	sed 's/^/#   /' "$T/error.log" "$T/serve.out"
	exit 1
}

# oapi_check: the answers req got since the last check, against the document
oapi_check() {
	[ -s "$T/oapi.tsv" ] || return 0
	/usr/bin/python3 "$ROOT/tests/http/oapi-check.py" "$ROOT/docs/openapi.yaml" "$T/oapi.tsv" \
		--known-only >"$T/oapi.out" 2>&1
	is "the $(wc -l <"$T/oapi.tsv") answers match docs/openapi.yaml" "$(head -20 "$T/oapi.out")" ""
	: >"$T/oapi.tsv"
}

stop_server() {
	oapi_check
	kill -"${1:-TERM}" "$SRV_PID" 2>/dev/null
	wait "$SRV_PID"
	SRV_RC=$?
	SRV_PID=
	# a sanitizer's report or a crash is in the error log: show it
	case "$SRV_RC" in 0 | 137) ;; *) tail -25 "$T/error.log" | sed 's/^/#   server: /' ;; esac
}

req() {
	m=$1 p=$2
	shift 2
	ST=$(curl -s -o "$T/body" -D "$T/headers" -w '%{http_code}' -X "$m" --max-time 60 \
		"$@" "$BASE$p")
	[ "${OAPI_CHECK:-1}" = 0 ] && return
	mkdir -p "$T/oapi"
	kept=$(mktemp "$T/oapi/XXXXXX") # (req may run in a subshell: no counter)
	cp "$T/body" "$kept"
	printf '%s\t%s\t%s\t%s\t%s\n' "$m" "$p" "$ST" "$(header Content-Type)" "$kept" >>"$T/oapi.tsv"
}

body() { cat "$T/body"; }
header() { sed -n "s/^$1: *//Ip" "$T/headers" | tr -d '\r'; }
