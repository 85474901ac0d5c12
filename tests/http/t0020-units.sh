#!/bin/sh
# Units' routes: uploads (raw and multipart) through the same import as the CLI,
# their batches and error reports, checks; each unit sees its own data only;
# bad input of every kind is refused with the right status and the error object.
. "$(dirname "$0")/lib.sh"
S=$SAMPLES
xy init >/dev/null
start_server --max-body 2M --max-json 4K --max-header 8K

SC_CSV="$S/市场监管局-行政处罚-2019-10.csv"
SJ_XLSX="$S/市审批局-行政许可-2019-10.xlsx"

# -- uploads
req POST "/api/v1/uploads?category=行政处罚&reported_on=2019-11&filename=处罚.csv" -H "$UNIT_SC" \
	-H 'Content-Type: text/csv' --data-binary @"$SC_CSV"
is "raw upload: 201" "$ST" 201
is "raw upload: the batch summary" "$(jq -r '"\(.status) \(.unit) \(.file) \(.new) \(.rejected)"' "$T/body")" \
	"committed 市场监管局 处罚.csv 9 3"
B1=$(jq -r .batch "$T/body")
is "raw upload: the error report's URL" "$(jq -r .error_report "$T/body")" "/api/v1/batches/$B1/errors"
req POST "/api/v1/uploads?category=行政许可&reported_on=2019-11" -H "$UNIT_SJ" -F "file=@$SJ_XLSX"
is "multipart upload: 201" "$ST" 201
is "multipart upload: the uploaded name and counts" \
	"$(jq -r '"\(.unit) \(.file) \(.format) \(.new) \(.rejected)"' "$T/body")" \
	"市审批局 市审批局-行政许可-2019-10.xlsx xlsx 8 2"
B2=$(jq -r .batch "$T/body")
is "records in the database: 9 + 8" "$(rows records)" 17
is "the spool is empty after the imports" "$(find "$T/spool" -mindepth 1 | wc -l)" 0

# the same file through the CLI gives the same summary (but for paths)
xy import --unit 市场监管局 --category 行政处罚 --reported-on 2019-11 --format json "$SC_CSV" >"$T/cli.json"
req POST "/api/v1/uploads?category=行政处罚&reported_on=2019-11&filename=x.csv" -H "$UNIT_SC" \
	-H 'Content-Type: text/csv' --data-binary @"$SC_CSV"
strip='del(.batch, .file, .error_report, .started_at, .finished_at)'
is "API upload summary = CLI import --format json (but batch, paths, times)" \
	"$(jq -S "$strip" "$T/body")" "$(jq -S "$strip" "$T/cli.json")"
req GET "/api/v1/batches/$B1" -H "$ADMIN"
xy batches "$B1" --format json >"$T/cli.json"
is "GET /batches/{id} = xinyong batches ID --format json (but paths)" \
	"$(jq -S 'del(.file, .error_report)' "$T/body")" "$(jq -S 'del(.file, .error_report)' "$T/cli.json")"
is "the batch's stored rejected rows" "$(jq '.errors | length' "$T/body")" 3

# -- error reports, in the uploaded format
req GET "/api/v1/batches/$B1/errors" -H "$UNIT_SC"
is "error report: 200" "$ST" 200
like "error report: CSV in the upload's encoding" "$(header Content-Type)" 'text/csv; charset=gb18030'
like "error report: an attachment" "$(header Content-Disposition)" "^attachment; filename\*=UTF-8''batch-$B1-"
is "error report: 3 rejected rows + header" "$(iconv -f gb18030 -t utf-8 "$T/body" | wc -l)" 4
req GET "/api/v1/batches/$B2/errors" -H "$UNIT_SJ"
like "an XLSX upload's report is XLSX" "$(header Content-Type)" 'spreadsheetml'
is "the XLSX report is a zip" "$(head -c 2 "$T/body")" PK

# -- each unit its own
req GET /api/v1/batches -H "$UNIT_SJ"
is "a unit lists only its batches" "$(jq -r '[.batches[].unit] | unique | join(",")' "$T/body")" 市审批局
req GET /api/v1/batches -H "$ADMIN"
is "the office lists all" "$(jq '.batches | length' "$T/body")" 4
req GET "/api/v1/batches?limit=1" -H "$ADMIN"
is "limit" "$(jq '.batches | length' "$T/body")" 1
req GET "/api/v1/batches?limit=0" -H "$ADMIN"
is "limit 0: 400" "$ST" 400
req GET "/api/v1/batches/$B1" -H "$UNIT_SJ"
is "another unit's batch: 404" "$ST" 404
req GET "/api/v1/batches/$B1/errors" -H "$UNIT_SJ"
is "another unit's error report: 404" "$ST" 404
req POST "/api/v1/uploads?category=行政处罚&unit=市场监管局" -H "$UNIT_SJ" -H 'Content-Type: text/csv' \
	--data-binary @"$SC_CSV"
is "an upload for another unit: 403" "$ST" 403
req POST "/api/v1/uploads?category=行政处罚&unit=市场监管局" -H "$AUDIT" -H 'Content-Type: text/csv' \
	--data-binary @"$SC_CSV"
is "the auditor cannot upload: 403" "$ST" 403
req POST "/api/v1/uploads?category=行政处罚&unit=市场监管局" -H 'Content-Type: text/csv' \
	--data-binary @"$SC_CSV"
is "the public cannot upload: 401" "$ST" 401
is "nothing of the refused uploads was written" "$(rows batches)" 4

# -- bad uploads
req POST "/api/v1/uploads?category=行政处罚" -H "$ADMIN" -H 'Content-Type: text/csv' --data-binary @"$SC_CSV"
is "the office must name the unit: 400" "$ST" 400
is "... the field" "$(jq -r .error.field "$T/body")" unit
req POST "/api/v1/uploads" -H "$UNIT_SC" -H 'Content-Type: text/csv' --data-binary @"$SC_CSV"
is "no category: 400" "$ST" 400
req POST "/api/v1/uploads?category=无此类别" -H "$UNIT_SC" -H 'Content-Type: text/csv' --data-binary @"$SC_CSV"
is "unknown category: 422" "$ST" 422
req POST "/api/v1/uploads?category=行政处罚" -H "$UNIT_SC" --data-binary @"$SC_CSV"
is "form-urlencoded body: 415" "$ST" 415
req POST "/api/v1/uploads?category=行政处罚&filename=../../etc/passwd" -H "$UNIT_SC" \
	-H 'Content-Type: text/csv' --data-binary @"$SC_CSV"
is "a file name with a path: only its last part is used" "$(jq -r .file "$T/body")" passwd
req POST "/api/v1/uploads?category=行政处罚&filename=.." -H "$UNIT_SC" \
	-H 'Content-Type: text/csv' --data-binary @"$SC_CSV"
is "file name ..: 400" "$ST" 400
printf 'PK\003\004 not really a zip' >"$T/junk.xlsx"
req POST "/api/v1/uploads?category=行政处罚" -H "$UNIT_SC" -F "file=@$T/junk.xlsx"
is "a broken file: 422" "$ST" 422
is "... refused, with its batch" "$(jq -r '"\(.error.code) \(.batch.status)"' "$T/body")" "format refused"
req POST "/api/v1/uploads?category=行政处罚" -H "$UNIT_SC" -F "other=@$SC_CSV"
is "multipart without a file part: 400" "$ST" 400
head -c 3000000 /dev/zero | tr '\0' 'a' >"$T/big.csv"
req POST "/api/v1/uploads?category=行政处罚" -H "$UNIT_SC" -H 'Content-Type: text/csv' --data-binary @"$T/big.csv"
is "a body over --max-body: 413" "$ST" 413
req POST "/api/v1/uploads?category=行政处罚" -H "$UNIT_SC" -H 'Content-Type: text/csv' \
	-H 'Transfer-Encoding: chunked' --data-binary @"$T/big.csv"
is "a chunked body over --max-body: 413" "$ST" 413
is "the spool is empty again" "$(find "$T/spool" -mindepth 1 | wc -l)" 0
req GET /healthz -H "X-Big: $(head -c 9000 /dev/zero | tr '\0' b)"
like "a header over --max-header: 431 (or 413)" "$ST" '^(431|413)$'

# -- path parameters: traversal and SQL metacharacters
for p in '..%2F..%2Fetc%2Fpasswd' '1%27%20OR%201=1' '1;DROP%20TABLE%20batches' '%00' '-1' '0' \
	'99999999999999999999' "$(printf '%%E4%%B8')" '1%0A2'; do
	req GET "/api/v1/batches/$p" -H "$ADMIN"
	like "batches/{id} = $p: 400 or 404" "$ST" '^(400|404)$'
	req GET "/api/v1/batches/$p/errors" -H "$ADMIN"
	like "batches/{id}/errors = $p: 400 or 404" "$ST" '^(400|404)$'
done
req GET "/api/v1/batches/../../../etc/passwd" -H "$ADMIN" --path-as-is
is "a literal ../ path: 404" "$ST" 404
is "the batches table is still there" "$(rows batches)" 6

# -- checks
req POST /api/v1/checks -H "$UNIT_SJ" -H 'Content-Type: application/json' \
	-d '{"subject":"91210803MADE2UMA8E","matter":"政府采购","date":"2019-10-31"}'
is "check: 200" "$ST" 200
is "check: the library's answer as the unit" "$(jq -r '"\(.unit) \(.answer) \(.check_id > 0)"' "$T/body")" "市审批局 无 true"
xy check 91210803MADE2UMA8E --unit 市审批局 --matter 政府采购 --date 2019-10-31 --format json >"$T/cli.json"
is "check = xinyong check --format json (but the check's id)" \
	"$(jq -S 'del(.check_id)' "$T/body")" "$(jq -S 'del(.check_id)' "$T/cli.json")"
req POST /api/v1/checks -H "$UNIT_SJ" -H 'Content-Type: application/json' \
	-d '{"subjects":["91210803MADE2UMA8E","91210800000000000X","912108119KC5TK9N30"],"matter":"政府采购"}'
is "batch check: 200" "$ST" 200
is "batch check: summary" "$(jq -cS .summary "$T/body")" '{"checked":1,"rows":3,"unknown":2,"with_measures":0}'
req POST /api/v1/checks -H "$UNIT_SJ" -H 'Content-Type: application/json' -d '{"subject":'
is "malformed JSON: 400" "$ST" 400
is "... invalid_json" "$(jq -r .error.code "$T/body")" invalid_json
req POST /api/v1/checks -H "$UNIT_SJ" -H 'Content-Type: application/json' -d '[1]'
is "JSON that is no object: 400" "$ST" 400
req POST /api/v1/checks -H "$UNIT_SJ" -H 'Content-Type: application/json' -d '{"subject":5}'
is "a subject that is no string: 422 naming it" "$ST $(jq -r .error.field "$T/body")" "422 subject"
req POST /api/v1/checks -H "$UNIT_SJ" -H 'Content-Type: text/plain' -d '{"subject":"x"}'
is "wrong content type: 415" "$ST" 415
req POST /api/v1/checks -H "$UNIT_SJ" -H 'Content-Type: application/json' \
	-d "{\"subject\":\"$(head -c 5000 /dev/zero | tr '\0' x)\"}"
is "a JSON body over --max-json: 413" "$ST" 413
req POST /api/v1/checks -H "$UNIT_SJ" -H 'Content-Type: application/json' -H 'Transfer-Encoding: chunked' \
	-d "{\"subject\":\"$(head -c 5000 /dev/zero | tr '\0' x)\"}"
is "a chunked JSON body over --max-json: 413" "$ST" 413
req POST /api/v1/checks -H "$UNIT_SJ" -H 'Content-Type: application/json' \
	-d '{"subject":"91210803MADE2UMA8E","unit":"市场监管局"}'
is "a check as another unit: 403" "$ST" 403
req POST /api/v1/checks -H "$ADMIN" -H 'Content-Type: application/json' \
	-d '{"subject":"91210803MADE2UMA8E","unit":"无此单位'"'"'; DROP TABLE checks;--"}'
is "an unknown unit (with SQL in it): 404" "$ST" 404
req POST /api/v1/checks -H "$AUDIT" -H 'Content-Type: application/json' -d '{"subject":"x"}'
is "the auditor cannot check: 403" "$ST" 403

stop_server
is "SIGTERM: exit 0" "$SRV_RC" 0
