# Shared helpers of the HTTP tests (sourced): the CLI tests' checks (ok, fails,
# is, like, rows …) plus a server of our own on a free port.
#   start_server [serve options…]   starts `xinyong serve` on 127.0.0.1:0, waits
#                                   for its address; sets BASE and SRV_PID
#   stop_server [SIGNAL]            signals it (TERM) and waits; sets SRV_RC
#   req METHOD PATH [curl args…]    one request: status in $ST, body in $T/body,
#                                   headers in $T/headers
#   body                            the last body
#   batch_add DESC WANT [CODE] -- METHOD PATH [curl args…]
#                                   queues a request for batch_run; WANT is its
#                                   status, "4xx" (refused with the error object)
#                                   or "ok" (below 500); CODE its error.code
#   batch_run                       sends the queue in one curl process (--next),
#                                   then checks every answer (one python3): a
#                                   "not ok" line naming each request that failed,
#                                   an "ok" line per CODE checked; sets
#                                   BATCH_SENT and BATCH_BAD
#   cells_add METHOD PATH [H:HEADER | D:DATA]…
#                                   queues a request for cells_run (D: curl's
#                                   --data-binary, "@FILE" a file); its number in CELL
#   cells_run                       sends the queue in one curl process (--next: one
#                                   after the other, in order), then $T/cells.tsv has a
#                                   line per request: N METHOD PATH STATUS CONTENT-TYPE
#                                   BODY-FILE ($T/cells/N; headers in N.h); the test
#                                   checks them (a process per request costs ~40 ms)
# Every answer req gets is checked against docs/openapi.yaml when the server
# stops (stop_server: one check line, tests/http/oapi-check.py --known-only;
# OAPI_CHECK=0 turns it off).
. "$(dirname "$0")/../cli/lib.sh"
command -v curl >/dev/null || { echo "not ok - curl is missing (scripts/deps.sh)"; exit 1; }
SRV_PID=
# (the server first: then tests/cli/lib.sh's cleanup, which drops a PostgreSQL test's databases)
trap 'test -n "$SRV_PID" && kill -9 "$SRV_PID" 2>/dev/null; cleanup' EXIT
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
	[ "$("$XINYONG" token list --format json 2>/dev/null | jq '[.tokens[] | select(.label == "http-test")] | length')" = 0 ] ||
		return 0
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
	# HEAD: --head, or curl waits for the body the headers announce until the
	# server's idle timeout (30 s); $T/body then holds the headers
	[ "$m" = HEAD ] && set -- --head "$@"
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

# CURL_Q: awk's q(s), s quoted for a curl config file as its manual says: in "…", \ and "
# escaped (a replacement's "\\\\" is one backslash to gsub: this one doubles them)
CURL_Q='function q(s) { gsub(/\\/, "\\\\\\\\", s); gsub(/"/, "\\\"", s); return "\"" s "\"" }'

# The queue: $T/batch.cfg is curl's config (one request after each "next"),
# $T/batch.tsv one line per request: N, DESC, WANT, CODE, METHOD, PATH.  N
# goes on across batches: the answers stay in $T/batch/N.* for oapi_check.
BATCH_N=0
batch_add() {
	bd=$1 bw=$2 bc=
	shift 2
	[ "$1" = -- ] || { bc=$1 && shift; }
	shift
	bm=$1 bp=$2
	shift 2
	BATCH_N=$((BATCH_N + 1))
	[ -d "$T/batch" ] || mkdir "$T/batch"
	# one argument a line ("@" the URL, "-" an option, "=" its value) for
	# batch_run's awk, which quotes them for curl's config syntax
	{
		printf '@%s\n-X\n=%s\n-o\n=%s\n-D\n=%s\n-w\n=%s\n--max-time\n=60\n-s\n' "$BASE$bp" "$bm" \
			"$T/batch/$BATCH_N.body" "$T/batch/$BATCH_N.hdr" "$BATCH_N %{http_code}\n"
		for a in "$@"; do
			case $a in
			*"
"*) echo "not ok - batch_add: a newline in an argument of $bd" >&2 && exit 1 ;;
			-*) printf '%s\n' "$a" ;;
			*) printf '=%s\n' "$a" ;;
			esac
		done
	} >>"$T/batch.raw"
	printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$BATCH_N" "$bd" "$bw" "$bc" "$bm" "$bp" >>"$T/batch.tsv"
}

batch_run() {
	BATCH_SENT=0 BATCH_BAD=0
	[ -s "$T/batch.tsv" ] || return 0
	awk "$CURL_Q"'
	/^@/ { if (n++) print "next"; print "url = " q(substr($0, 2)); next }
	/^=/ { printf " %s\n", q(substr($0, 2)); pending = 0; next }
	{ if (pending) printf "\n"; printf "%s", $0; pending = 1
	  # an option without a value ends its line now
	  if ($0 !~ /^-(X|o|D|w|H|d|F|b|u|-max-time|-data-binary|-data-raw|-data|-header|-form)$/) { printf "\n"; pending = 0 } }
	' "$T/batch.raw" >"$T/batch.cfg"
	curl -K "$T/batch.cfg" >"$T/batch.status" 2>"$T/batch.err"
	/usr/bin/python3 - "$T" <<-'PY'
	import json, sys
	t = sys.argv[1]
	status = {}
	for line in open(t + "/batch.status"):
	    n, st = line.split()
	    status[n] = st
	sent = bad = 0
	with open(t + "/oapi.tsv", "a") as oapi:
	    for line in open(t + "/batch.tsv", encoding="utf-8"):
	        n, desc, want, code, m, p = line.rstrip("\n").split("\t")
	        st = status.get(n, "none")
	        sent += 1
	        try:
	            raw = open(f"{t}/batch/{n}.body", "rb").read()
	        except OSError:
	            raw = b""
	        try:
	            body = json.loads(raw)
	        except ValueError:
	            body = None
	        err = body.get("error") if isinstance(body, dict) else None
	        has_err = isinstance(err, dict) and bool(err.get("code")) and bool(err.get("message"))
	        if want == "ok":
	            good = st[:1] in "1234" and st != "none" and len(st) == 3
	        elif want == "4xx":
	            good = st[:1] == "4" and has_err
	        else:
	            good = st == want and has_err
	        if not good:
	            bad += 1
	            print(f"not ok - {desc}: {m} {p} wanted {want}")
	            print(f"#   got {st} " + raw[:300].decode("utf-8", "replace"))
	        if code:
	            got = err.get("code") if isinstance(err, dict) else None
	            if got == code:
	                print(f"ok - ... {m} {p}: {code}")
	            else:
	                print(f"not ok - ... {m} {p}: {code}")
	                print(f"#   got:  {got}")
	                print(f"#   want: {code}")
	        if st != "none":
	            ctype = ""
	            try:
	                for h in open(f"{t}/batch/{n}.hdr", encoding="latin-1"):
	                    k, _, v = h.partition(":")
	                    if k.strip().lower() == "content-type":
	                        ctype = v.strip()
	            except OSError:
	                pass
	            oapi.write(f"{m}\t{p}\t{st}\t{ctype}\t{t}/batch/{n}.body\n")
	with open(t + "/batch.count", "w") as f:
	    f.write(f"{sent} {bad}\n")
	PY
	read -r BATCH_SENT BATCH_BAD <"$T/batch.count"
	is "batch_run: every queued request was sent and checked" "$BATCH_SENT" "$(wc -l <"$T/batch.tsv")"
	[ -s "$T/batch.err" ] && sed 's/^/#   curl: /' "$T/batch.err"
	rm -f "$T/batch.raw" "$T/batch.tsv" "$T/batch.cfg"
}

CELL=0
cells_add() {
	CELL=$((CELL + 1))
	(IFS='	' && printf '%s\t%s\n' $CELL "$*") >>"$T/cells.q"
}

cells_run() {
	mkdir -p "$T/cells"
	: >"$T/cells.tsv"
	[ -s "$T/cells.q" ] || return 0
	awk -F'\t' -v base="$BASE" -v t="$T/cells/" "$CURL_Q"'
	{
		if (NR > 1) print "next"
		print "url = " q(base $3)
		print "request = " q($2)
		print "output = " q(t $1)
		print "dump-header = " q(t $1 ".h")
		print "write-out = \"" $1 " %{http_code}\\n\""
		print "max-time = 60"
		print "silent"
		for (i = 4; i <= NF; i++)
			if ($i ~ /^H:/) print "header = " q(substr($i, 3))
			else print "data-binary = " q(substr($i, 3))
	}' "$T/cells.q" >"$T/cells.cfg"
	curl -K "$T/cells.cfg" >"$T/cells.status" 2>"$T/cells.err"
	awk -F'\t' -v t="$T/cells/" '
	FILENAME == ARGV[1] { split($0, w, " "); st[w[1]] = w[2]; next }
	{
		ctype = ""
		while ((getline h < (t $1 ".h")) > 0)
			if (tolower(h) ~ /^content-type:/) { sub(/^[^:]*: */, "", h); sub(/\r$/, "", h); ctype = h }
		close(t $1 ".h")
		printf "%s\t%s\t%s\t%s\t%s\t%s\n", $1, $2, $3, ($1 in st) ? st[$1] : "none", ctype, t $1
	}' "$T/cells.status" "$T/cells.q" >"$T/cells.tsv"
	# (none: curl stopped before it; 000: no answer, e.g. the connection failed)
	is "cells_run: every request was answered" "$(awk -F'\t' '$4 ~ /^[1-5][0-9][0-9]$/' "$T/cells.tsv" | wc -l)" \
		"$(wc -l <"$T/cells.q")"
	[ -s "$T/cells.err" ] && sed 's/^/#   curl: /' "$T/cells.err"
	rm -f "$T/cells.q"
}
