#!/bin/sh
# A hostile .xls uploaded to the server: libfreexl crashes in the reader's child
# process (xinyong-xls-reader), the upload is refused, and the server keeps
# serving (before issue 8's fix, this file killed the whole process).
. "$(dirname "$0")/lib.sh"
xy init >/dev/null
start_server

req POST "/api/v1/uploads?category=行政处罚&reported_on=2019-11" -H "$UNIT_SC" \
	-F "file=@$ROOT/tests/fuzz/regressions/xls/freexl-invalid-free.xls"
is "freexl crash input: 422" "$ST" 422
is "... refused, with its batch" "$(jq -r '"\(.error.code) \(.batch.status)"' "$T/body")" "format refused"
like "... saying why" "$(jq -r .error.message "$T/body")" \
	"could not be read safely: the reader process.*save it as .xlsx"
req POST "/api/v1/uploads?category=行政处罚&reported_on=2019-11" -H "$UNIT_SC" \
	-F "file=@$DATA/xls/gen-20.xls"
is "the server still imports: 201" "$ST" 201
is "... every row of a good .xls" "$(jq -r '"\(.status) \(.format) \(.new)"' "$T/body")" \
	"committed xls 20"
