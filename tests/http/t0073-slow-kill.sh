#!/bin/sh
# Slow clients and a kill mid-upload.  --timeout counts silence only, so a
# client trickling its headers a byte a second is cut by the header deadline
# (2 x --timeout, limits.c), unanswered, while a kept-alive connection that
# pauses between requests is still served.  SIGKILL while an upload's body is
# still arriving (t0040 kills during the import): no batch, and the server
# restarts on the same database.  (A silent client: t0030.)
. "$(dirname "$0")/lib.sh"
xy init >/dev/null
start_server --timeout 2 --rate 0
port=${BASE##*:}

# -- a header a byte a second: cut after about 4 s, never answered
t0=$(date +%s)
out=$(bash -c "exec 5<>/dev/tcp/127.0.0.1/$port || exit 9
	printf 'GET /healthz HTTP/1.1\r\nHost: x\r\n' >&5
	for c in X - S l o w l y : ' ' a b c d e f g h i j k l m n o p; do
		printf '%s' \"\$c\" >&5 2>/dev/null || break
		sleep 1
	done
	printf '\r\n\r\n' >&5 2>/dev/null
	timeout 2 cat <&5" 2>/dev/null)
took=$(($(date +%s) - t0))
is "a header trickled a byte a second is never answered" "$out" ""
like "... the connection is cut by the deadline (4 s), not after the 25 bytes ($took s)" "$took" '^([3-9]|1[0-2])$'
like "... and the error log says so" "$(cat "$T/error.log")" 'slow client.*connection closed'
# a kept-alive connection with pauses under --timeout between its requests
curl -s -o /dev/null -o /dev/null -w '%{http_code} %{num_connects}\n' "$BASE/healthz" \
	--next -s -o /dev/null -w '%{http_code} %{num_connects}\n' "$BASE/readyz" >"$T/ka" &
wait $!
is "kept-alive requests in a row are served on one connection" "$(tr '\n' ' ' <"$T/ka")" "200 1 200 0 "
out=$(bash -c "exec 5<>/dev/tcp/127.0.0.1/$port || exit 9
	printf 'GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n' >&5; sleep 1.5
	printf 'GET /readyz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n' >&5
	timeout 3 cat <&5" 2>/dev/null | grep -o 'HTTP/1.1 200' | wc -l)
is "two requests 1.5 s apart on one connection: both answered" "$out" 2
req GET /healthz
is "the server still answers" "$ST" 200
stop_server
is "stops with 0" "$SRV_RC" 0

# -- SIGKILL while the body is still arriving
start_server --rate 0
head -c 3000000 /dev/zero | tr '\0' 'x' >"$T/big.csv"
curl -s -o /dev/null --limit-rate 200k -H "$UNIT_SC" -H 'Content-Type: text/csv' \
	--data-binary @"$T/big.csv" "$BASE/api/v1/uploads?category=行政处罚" &
UP=$!
i=0
while [ $i -lt 100 ] && [ -z "$(find "$T/spool" -type f -size +100k 2>/dev/null)" ]; do
	sleep 0.1
	i=$((i + 1))
done
like "the body is being spooled" "$(find "$T/spool" -type f -size +100k | wc -l)" '^[1-9]'
stop_server KILL
is "SIGKILL: the server died (137)" "$SRV_RC" 137
wait $UP
start_server --rate 0
req GET /readyz
is "restarted on the same database" "$ST" 200
is "the killed upload's spool file is swept at start" "$(find "$T/spool" -type f | wc -l)" 0
like "and the error log says so" "$(cat "$T/error.log")" "removed 1 upload"
is "no batch of the killed upload" "$(rows batches)" 0
is "integrity_check ok" "$(xy db check)" ok
req POST "/api/v1/uploads?category=行政处罚" -H "$UNIT_SC" -H 'Content-Type: text/csv' \
	--data-binary @"$SAMPLES/市场监管局-行政处罚-2019-10.csv"
is "an upload after the restart commits" "$ST" 201
stop_server
is "stops with 0" "$SRV_RC" 0
