#!/bin/sh
# Limits: request rate (429 + Retry-After) per address and per token, 1,000
# parallel connections refused or served cleanly, slow clients timed out; after
# each, a request proves the server still answers.
. "$(dirname "$0")/lib.sh"
xy init >/dev/null
start_server --rate 0.25 --burst 3 --timeout 2 --per-ip 32

# -- the rate: a burst of 3, then one every 4 s; the requests stop at the first
#    429, whose answer is checked
codes=""
for i in 1 2 3 4 5 6; do
	req GET /api/v1/batches -H "$ADMIN"
	codes="$codes $ST"
	[ "$ST" = 429 ] && break
done
like "a token's burst passes, then 429" "$codes" '^ 200 200 200( 200)? 429$'
like "429 says when to retry (1 to 4 s)" "$(header Retry-After)" '^[1-4]$'
is "429 is the error object" "$(jq -r .error.code "$T/body")" rate_limited
retry=$(header Retry-After)
req GET /api/v1/batches -H "$AUDIT"
is "another token has its own bucket" "$ST" 200
req GET /healthz
is "health is never rate limited" "$ST" 200
sleep "${retry:-4}"
req GET /api/v1/batches -H "$ADMIN"
is "after Retry-After the token is served again" "$ST" 200
codes=""
for i in 1 2 3 4 5 6; do
	req GET /api/v1/nothing-here
	codes="$codes $ST"
done
like "the public's rate is per address (unknown paths count too)" "$codes" '429'

# -- a slow client: a request line, then silence past --timeout
out=$(bash -c "exec 5<>/dev/tcp/127.0.0.1/${BASE##*:} && printf 'GET /healthz HTTP/1.1\r\n' >&5 &&
	sleep 4 && printf 'Host: x\r\n\r\n' >&5 2>/dev/null; timeout 2 cat <&5" 2>/dev/null)
is "a client silent past --timeout is disconnected unanswered" "$out" ""
req GET /healthz
is "the server still answers after the slow client" "$ST" 200
stop_server

# -- refused bodies: a body announced over --max-body is read and dropped
#    before its 413, so a client still sending reads the answer instead of a
#    reset; unless it waits for "100 Continue" or announces more than the
#    server drains (8 MiB): then nothing is read and the 413 comes at once
start_server --rate 0 --max-body 64K --max-json 1K
head -c 70000 /dev/zero | tr '\0' 'x' >"$T/big"
codes=""
for i in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20; do
	codes="$codes$(curl -s -o /dev/null -w '%{http_code}' -H 'Content-Type: application/json' \
		--data-binary @"$T/big" "$BASE/api/v1/session") "
done
is "20 bodies over --max-body in a row: 20 answers 413" "$codes" \
	"$(printf '413 %.0s' 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20)"
# raw: HOW LENGTH CHUNKS; sends the headers, then (unless HOW says not) the
# body in 4 KiB pieces with a pause between them, then prints the status line
# of what it reads back, or the error that stopped it
raw() {
	/usr/bin/python3 - "${BASE##*:}" "$@" <<'PY'
import socket, sys, time
port, how, length, chunks = int(sys.argv[1]), sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
s = socket.create_connection(("127.0.0.1", port), timeout=10)
hdr = "POST /api/v1/session HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
hdr += "Content-Length: %d\r\n" % length
if how == "expect":
    hdr += "Expect: 100-continue\r\n"
s.sendall((hdr + "\r\n").encode())
try:
    if how == "slow":
        for i in range(chunks):
            s.sendall(b"x" * 4096)
            time.sleep(0.01)
        s.sendall(b"x" * (length - 4096 * chunks))
    data = b""
    while b"\r\n\r\n" not in data:
        got = s.recv(65536)
        if not got:
            break
        data += got
    print(data.split(b"\r\n")[0].decode() if data else "closed")
except OSError as e:
    print(type(e).__name__)
PY
}
is "a body over --max-body sent slowly: its 413 after the body" "$(raw slow 70000 16)" \
	"HTTP/1.1 413 Content Too Large"
is "a client waiting for 100 Continue: 413 at once, nothing read" "$(raw expect 100000000 0)" \
	"HTTP/1.1 413 Content Too Large"
is "a body announced over 8 MiB: 413 at once, nothing read" "$(raw none 100000000 0)" \
	"HTTP/1.1 413 Content Too Large"
req GET /healthz
is "the server still answers after the refused bodies" "$ST" 200
stop_server

# -- 1,000 parallel connections (per-IP limit 32, rate off): each is served or
#    refused, none hangs, and the server answers afterwards
start_server --rate 0 --per-ip 32 --max-connections 200 --timeout 5
urls=""
i=0
while [ $i -lt 1000 ]; do urls="$urls -o /dev/null $BASE/readyz"; i=$((i + 1)); done
# shellcheck disable=SC2086
curl -s --parallel --parallel-immediate --parallel-max 1000 --max-time 30 \
	-w '%{http_code}\n' $urls >"$T/codes" 2>/dev/null
is "1000 answers or refusals" "$(wc -l <"$T/codes")" 1000
is "each one 200 or refused (000), nothing else" "$(grep -cvE '^(200|000)$' "$T/codes")" 0
like "some were served" "$(grep -c '^200$' "$T/codes")" '^[1-9]'
req GET /readyz
is "the server answers after 1000 parallel connections" "$ST" 200
like "refusals are logged" "$(cat "$T/error.log")" 'libmicrohttpd'
stop_server
is "exit 0 after all that" "$SRV_RC" 0
