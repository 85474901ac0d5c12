#!/bin/sh
# Public grades over the API (issue 12, docs/grading.md "Public grades"): the public
# profile GET /api/v1/subjects/{code} carries the grade only when the office publishes
# grades (PUT /api/v1/grade-publication, admin only, audited once per change), equal to
# the CLI's public view; a cached profile never outlives a setting change or a new grading
# run.  Generated codes and names only.
. "$(dirname "$0")/lib.sh"
CO=91210802MA0XYQG01W
{
	echo CF_XDR_MC,CF_XDR_LB,CF_XDR_SHXYM,CF_WSH,CF_WFXW,CF_SY,CF_YJ,CF_CFLB,CF_NR,CF_JDRQ,CF_YXQ,CF_CFJG,CF_CFJGDM,CF_SJLY,CF_SJLYDM,CF_SXYZCD
	echo "营口公开等级有限公司,法人及非法人组织,$CO,营市监罚〔2026〕91号,价格,事实,依据,警告,警告,2026-03-12,2027-12-31,营口市市场监督管理局,11210800MAR7YF578P,营口市市场监督管理局,11210800MAR7YF578P,一般"
} >"$T/cf.csv"
xy init >/dev/null
ok "import one 行政处罚" xy import "$T/cf.csv" --unit 市场监管局 --category 行政处罚 --reported-on 2026-04
ok "grade run as of 2026-10-31" xy grade run --date 2026-10-31
start_server

# same_public DESC: the last body equals `xinyong show --public CO --format json`
same_public() {
	xy show --public "$CO" --format json >"$T/cli.json" 2>&1
	a=$(jq -S . "$T/body" 2>&1) b=$(jq -S . "$T/cli.json" 2>&1)
	if [ -n "$a" ] && [ "$a" = "$b" ]; then pass "$1"; else fail "$1" "api: $a" "cli: $b"; fi
}

req GET /api/v1/grade-publication -H "$AUDIT"
is "GET /grade-publication (auditor): off by default" "$ST $(jq -c '[.public, .changed_at]' "$T/body")" '200 [false,null]'
req GET "/api/v1/subjects/$CO"
is "the public profile: 200" "$ST" 200
is "… no grade while off" "$(jq 'has("grade")' "$T/body")" false
same_public "… = show --public"
req GET "/api/v1/subjects/$CO"
is "… asked again (cached): still no grade" "$(jq 'has("grade")' "$T/body")" false

req PUT /api/v1/grade-publication -H "$AUDIT" -H 'Content-Type: application/json' -d '{"public":true}'
is "PUT by the auditor: 403" "$ST" 403
req PUT /api/v1/grade-publication -H "$UNIT_SC" -H 'Content-Type: application/json' -d '{"public":true}'
is "PUT by a unit operator: 403" "$ST" 403
req PUT /api/v1/grade-publication -H 'Content-Type: application/json' -d '{"public":true}'
is "PUT by the public: 401" "$ST" 401
req PUT /api/v1/grade-publication -H "$ADMIN" -H 'Content-Type: application/json' -d '{"public":"yes"}'
is "public: \"yes\": 422 naming public" "$ST $(jq -r .error.field "$T/body")" "422 public"
req PUT /api/v1/grade-publication -H "$ADMIN" -H 'Content-Type: application/json' -d '{"public":true,"score":true}'
is "an unknown member: 422 naming it" "$ST $(jq -r .error.field "$T/body")" "422 score"
like "… in Chinese" "$(jq -r .error.message "$T/body")" '只能设置 public'
is "the refusals changed nothing" "$(xy grade publish show --format json | jq .public)" false

req PUT /api/v1/grade-publication -H "$ADMIN" -H 'Content-Type: application/json' -d '{"public":true}'
is "PUT public:true by the admin: 200, changed" "$ST $(jq -c '[.public, .changed]' "$T/body")" '200 [true,true]'
like "… by the token that asked" "$(jq -r .changed_by "$T/body")" '^token:'
req PUT /api/v1/grade-publication -H "$ADMIN" -H 'Content-Type: application/json' -d '{"public":true}'
is "the same again: unchanged" "$(jq .changed "$T/body")" false
is "one grade.publish audit entry" \
	"$(xy audit show --action grade.publish --format json | jq -c '[.entries[] | [.detail, (.who | startswith("token:"))]]')" \
	'[["on",true]]'

req GET "/api/v1/subjects/$CO"
is "the public profile right after (the cache did not keep the old one): a grade" \
	"$(jq 'has("grade")' "$T/body")" true
xy grade show "$CO" --format json >"$T/grade.json"
is "… equal to grade show's latest (letter, date, model, SHA-256)" \
	"$(jq -c '.grade | [.grade, .as_of, .model, .sha256]' "$T/body")" \
	"$(jq -c '[.grade, .run.as_of, .run.model, .run.sha256]' "$T/grade.json")"
is "… no score, no explanation" "$(jq -c '.grade | keys' "$T/body")" '["as_of","grade","model","note","sha256"]'
same_public "… = show --public"
req GET "/api/v1/subjects/$CO?date=2026-10-30"
is "?date= before the run's date: no grade" "$(jq 'has("grade")' "$T/body")" false

# a new run by another process (the CLI): the next public profile has its date
req GET "/api/v1/subjects/$CO"
ok "a second run as of 2026-11-20 by the CLI" xy grade run --date 2026-11-20
req GET "/api/v1/subjects/$CO"
is "the next profile has the new run's grade (not a cached one)" "$(jq -r .grade.as_of "$T/body")" 2026-11-20
same_public "… = show --public"

# off by the CLI while the server runs: the next profile has no grade
req GET "/api/v1/subjects/$CO"
ok "grade publish off by the CLI" xy grade publish off
req GET "/api/v1/subjects/$CO"
is "the next profile has no grade" "$(jq 'has("grade")' "$T/body")" false
req GET /api/v1/grade-publication -H "$ADMIN"
is "GET /grade-publication: off, changed by the CLI" "$(jq -c '[.public, (.changed_by | startswith("cli:"))]' "$T/body")" '[false,true]'
req PUT /api/v1/grade-publication -H "$ADMIN" -H 'Content-Type: application/json' -d '{"public":false}'
is "PUT public:false while off: 200, unchanged" "$ST $(jq -c '[.public, .changed]' "$T/body")" '200 [false,false]'
stop_server
