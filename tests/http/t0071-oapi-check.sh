#!/bin/sh
# The response checker (tests/http/oapi-check.py) can fail: answers the
# document describes pass; a wrong value, a missing or extra field, an
# undescribed status, a wrong content type, a body where none is described,
# a full 身份证号 or a case in the public view each fail, naming the route, the
# status and the schema path.  No server: bodies written here.
. "$(dirname "$0")/lib.sh"
API="$ROOT/docs/openapi.yaml"
n=0
# chk DESC WANT METHOD PATH STATUS CTYPE BODY [--known-only]: WANT is "" (passes)
# or a pattern the checker's complaint must match (and it exits 1).  Queued: chk_run
# runs every case in one python3 (the checker's main, once per case: its exit status
# and what it printed), as many processes' worth of yaml + jsonschema cost 0.3 s each.
chk() {
	n=$((n + 1))
	printf '%s' "$7" >"$T/b$n"
	printf '%s\t%s\t%s\t%s\t%s\n' "$3" "$4" "$5" "$6" "$T/b$n" >"$T/l$n"
	printf '%s\037%s\037%s\n' "$1" "$2" "${8:-}" >"$T/c$n" # (\037: a tab is IFS white space)
}
chk_run() {
	/usr/bin/python3 - "$ROOT/tests/http/oapi-check.py" "$API" "$T" "$n" <<-'PY'
	import contextlib, importlib.util, io, sys
	spec = importlib.util.spec_from_file_location("oapi_check", sys.argv[1])
	oc = importlib.util.module_from_spec(spec)
	spec.loader.exec_module(oc)
	api, t, n = sys.argv[2], sys.argv[3], int(sys.argv[4])
	for i in range(1, n + 1):
	    flag = open(f"{t}/c{i}", encoding="utf-8").read().rstrip("\n").split("\x1f")[2]
	    out = io.StringIO()
	    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(out):
	        rc = oc.main(["oapi-check.py", api, f"{t}/l{i}"] + ([flag] if flag else []))
	    with open(f"{t}/o{i}", "w", encoding="utf-8") as f:
	        f.write(f"{rc} {out.getvalue().rstrip()}")
	PY
	i=0
	while [ $i -lt $n ]; do
		i=$((i + 1))
		IFS=$(printf '\037') read -r d want _ <"$T/c$i"
		if [ -z "$want" ]; then
			is "$d: passes" "$(cat "$T/o$i" 2>/dev/null)" "0 "
		else
			like "$d: fails (exit 1) saying why" "$(cat "$T/o$i" 2>/dev/null)" "^1 .*$want"
		fi
	done
}
J=application/json
E='{"error":{"code":"notfound","message":"没有"}}'
B='{"batch":1,"status":"committed","unit":"u","category":"c","file":"f.csv","format":"csv","encoding":"utf-8","reported_on":"2019-11-01","started_at":"2026-01-01T00:00:00Z","finished_at":null,"rows":1,"new":1,"updated":0,"unchanged":0,"rejected":0,"errors_stored":0,"error_report":null,"message":null,"header_row":1,"sheets":[],"unmapped_columns":[]'
S='"subject":{"id":1,"kind":"natural","kind_zh":"自然人","code":"CODE","code_type":"id","name":"某","division":null,"district":null}'
P='"categories":{},"units":{},"records":[],"list_entries":[],"commitments":[],"gov_dishonesty":[],"as_of":"2026-11-26","hidden":0'
ID=210802199001011235

chk "healthz ok" "" GET /healthz 200 $J '{"status":"ok"}'
chk "healthz with a wrong value" "GET /healthz 200: 'ok' was expected at \\\$.status \\(schema #/paths/~1healthz/get/responses/200/content/application~1json/schema/properties/status/const\\)" \
	GET /healthz 200 $J '{"status":"down"}'
chk "healthz with an extra field" "Additional properties.*'x' was unexpected" GET /healthz 200 $J '{"status":"ok","x":1}'
chk "a batch" "" GET /api/v1/batches/7 200 $J "$B,\"errors\":[]}"
chk "a batch without its errors" "GET /api/v1/batches/\\{id\\} 200: 'errors' is a required property" \
	GET /api/v1/batches/7 200 $J "$B}"
chk "a batch without unit" "'unit' is a required property at \\\$.batches\\[0\\]" \
	GET /api/v1/batches 200 $J "{\"unit\":null,\"batches\":[$(echo "$B}" | sed 's/"unit":"u",//')],\"next\":null}"
chk "a batch with a negative count" "-1 is less than the minimum of 0 at \\\$.rows" \
	GET /api/v1/batches/7 200 $J "$(echo "$B" | sed 's/"rows":1/"rows":-1/'),\"errors\":[]}"
chk "a bad date" "is not a 'date' at \\\$.reported_on" \
	GET /api/v1/batches/7 200 $J "$(echo "$B" | sed 's/2019-11-01/2019-13-45/'),\"errors\":[]}"
chk "the error object" "" GET /api/v1/batches/7 404 $J "$E"
chk "an error without a message" "'message' is a required property at \\\$.error" \
	GET /api/v1/batches/7 404 $J '{"error":{"code":"notfound"}}'
chk "an error with a stray field" "'detail' was unexpected" \
	GET /api/v1/batches/7 404 $J '{"error":{"code":"notfound","message":"没有","detail":1}}'
chk "an undescribed status" "GET /api/v1/batches/\\{id\\} 418: status not described" GET /api/v1/batches/7 418 $J "$E"
chk "a status any route may answer (429)" "" GET /api/v1/batches/7 429 $J '{"error":{"code":"rate_limited","message":"慢"}}'
chk "a 5xx nobody describes" "500: status not described" GET /api/v1/subjects/x 500 $J "$E"
chk "a wrong content type" "content type 'text/html' not among" GET /api/v1/batches/7 404 text/html '<p>no</p>'
chk "not JSON" "the body is not JSON" GET /api/v1/batches/7 404 $J '{"error":'
chk "a body where none is described" "a body \\(2 bytes\\) where .* describes none" DELETE /api/v1/session 204 '' '{}'
chk "204 without a body" "" DELETE /api/v1/session 204 '' ''
chk "an error report as CSV" "" GET /api/v1/batches/7/errors 200 'text/csv; charset=gb18030' 'a,b'
chk "the public profile" "" GET /api/v1/subjects/x 200 $J "{$(echo "$S" | sed 's/CODE/210802********1235/'),$P}"
chk "a full 身份证号 in the public profile" "should not be valid.*at \\\$.subject.code" \
	GET /api/v1/subjects/x 200 $J "{$(echo "$S" | sed "s/CODE/$ID/"),$P}"
chk "cases in the public profile" "'cases' was unexpected" GET /api/v1/subjects/x 200 $J "{$S,$P,\"cases\":[]}"
chk "a reason in a public list entry" "False schema does not allow" GET /api/v1/subjects/x 200 $J \
	"{$S,$(echo "$P" | sed 's/"list_entries":\[\]/"list_entries":[{"entry":1,"list_type":"t","status":"active","reason":"r"}]/')}"
chk "a person's full number on a public list" "should not be valid.*at \\\$.entries\\[0\\].persons\\[0\\].code" \
	GET /api/v1/lists/t 200 $J "{\"as_of\":\"2026-11-26\",\"next\":null,\"entries\":[{\"entry\":1,\"list_type\":\"t\",\"subject\":\"91210803MADE2UMA8E\",\"name\":\"n\",\"unit\":\"u\",\"doc\":\"d\",\"from\":\"2026-01-01\",\"to\":null,\"exit\":null,\"exit_date\":null,\"status\":\"active\",\"persons\":[{\"role\":\"法定代表人\",\"code\":\"$ID\",\"name\":\"甲\"}]}]}"
chk "an unknown path" "GET /nowhere 404: no path of the document matches" GET /nowhere 404 $J "$E"
chk "an unknown path, --known-only" "" GET /nowhere 404 $J "$E" --known-only
chk "an unknown method" "the document has no PUT here" PUT /healthz 405 $J "$E"
chk_run
# a $ref that resolves to nothing is found in the document itself
sed 's|#/components/schemas/RowError|#/components/schemas/NoSuchThing|' "$API" >"$T/broken.yaml"
: >"$T/empty"
like "a dangling \$ref in the document fails" \
	"$( (/usr/bin/python3 "$ROOT/tests/http/oapi-check.py" "$T/broken.yaml" "$T/empty"; echo "rc=$?") | tr "\n" " ")" \
	'resolves to nothing: #/components/schemas/NoSuchThing.*rc=1'
