#!/bin/sh
# Credit grades over the API (issue 12, docs/grading.md): each read route's
# JSON equals the CLI's (jq -S), office only, bad arguments refused.
# Generated codes and names only.
. "$(dirname "$0")/lib.sh"
xy init >/dev/null
start_server
. "$(dirname "$0")/matrix.d/grade.sh"
is "a grading run by the CLI" "$grade_run" 1

# same DESC CLI-ARGS: the last response's JSON equals `xinyong CLI-ARGS --format json`
same() {
	d=$1
	shift
	xy "$@" --format json >"$T/cli.json" 2>&1
	a=$(jq -S . "$T/body" 2>&1) b=$(jq -S . "$T/cli.json" 2>&1)
	if [ -n "$a" ] && [ "$a" = "$b" ]; then pass "$d"; else fail "$d" "api: $a" "cli: $b"; fi
}
req GET /api/v1/grades -H "$ADMIN"
is "GET /grades: 200" "$ST" 200
same "GET /grades = grade list" grade list
req GET "/api/v1/grades?grade=B&explain=1" -H "$AUDIT"
same "GET /grades?grade=B&explain=1 = grade list --grade B --explain" grade list --grade B --explain
req GET /api/v1/grade-runs -H "$ADMIN"
same "GET /grade-runs = grade runs" grade runs
req GET "/api/v1/subjects/$grade_subject/grade" -H "$ADMIN"
is "GET /subjects/{code}/grade: 200" "$ST" 200
same "… = grade show" grade show "$grade_subject"
is "… its items add up to its score" \
	"$(jq '((([.items[].points] | add) * 100 | round) == (.score * 100 | round))' "$T/body")" true
req GET "/api/v1/subjects/$grade_subject/grades" -H "$ADMIN"
same "GET /subjects/{code}/grades = grade history" grade history "$grade_subject"
req GET "/api/v1/subjects/91210802MA0XYQA01T/grade" -H "$ADMIN"
is "a subject never graded: 404" "$ST" 404
req GET "/api/v1/grades?run=0" -H "$ADMIN"
is "run=0: 400 naming run" "$ST $(jq -r .error.field "$T/body")" "400 run"
req GET "/api/v1/grades?explain=yes" -H "$ADMIN"
is "explain=yes: 400" "$ST" 400
req GET "/api/v1/grades?grade=%E4%B8%81" -H "$ADMIN"
is "grade=丁: 400 naming grade" "$ST $(jq -r .error.field "$T/body")" "400 grade"
req GET /api/v1/grades -H "$UNIT_SC"
is "a unit operator: 403" "$ST" 403
req GET "/api/v1/subjects/$grade_subject/grade"
is "the public: 401" "$ST" 401
stop_server
