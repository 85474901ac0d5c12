#!/bin/sh
# Credit grades over the API (issue 12, docs/grading.md): each read route's
# JSON equals the CLI's (jq -S), office only, bad arguments refused.
# Generated codes and names only.
. "$(dirname "$0")/lib.sh"
xy init >/dev/null
start_server
. "$ROOT/tests/http/matrix.d/grade.sh"
is "a grading run by the CLI" "$grade_run" 1
# two more subjects (one with two penalties), graded again: pages of one subject have 3 to walk
{
	head -1 "$T/grade-cf.csv"
	for x in 91210802MA0XYQG020:82 91210802MA0XYQG033:83 91210802MA0XYQG033:84; do
		echo "营口矩阵评价${x#*:}有限公司,法人及非法人组织,${x%:*},营市监罚〔2026〕${x#*:}号,价格,事实,依据,警告,警告,2026-03-12,2027-12-31,营口市市场监督管理局,11210800MAR7YF578P,营口市市场监督管理局,11210800MAR7YF578P,一般"
	done
} >"$T/grade-cf2.csv"
xy import "$T/grade-cf2.csv" --unit 市场监管局 --category 行政处罚 --reported-on 2026-04 >/dev/null 2>&1
is "a second run grades 3 subjects" "$(xy grade run --format json 2>/dev/null | jq -r .subjects)" 3

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
# keyset pages: each equals the CLI's page; walked to the end they are the whole list
req GET "/api/v1/grades?limit=1" -H "$ADMIN"
is "GET /grades?limit=1: 200" "$ST" 200
same "GET /grades?limit=1 = grade list --limit 1" grade list --limit 1
pages=$(jq -c '[.subjects[].subject.code]' "$T/body") next=$(jq -r .next "$T/body")
while [ "$next" != null ] && [ -n "$next" ]; do
	req GET "/api/v1/grades?limit=1&after=$next" -H "$ADMIN"
	pages=$(printf '%s\n%s' "$pages" "$(jq -c '[.subjects[].subject.code]' "$T/body")")
	next=$(jq -r .next "$T/body")
done
xy grade list --format json >"$T/list.json"
is "the 3 pages walked to the end = grade list" "$(printf '%s\n' "$pages" | jq -cs add)" \
	"$(jq -c '[.subjects[].subject.code]' "$T/list.json")"
is "… 3 subjects" "$(jq '.subjects | length' "$T/list.json")" 3
req GET "/api/v1/grades?limit=1&after=$(jq -r '.subjects[0].subject.code' "$T/list.json")" -H "$ADMIN"
is "a malformed cursor: 422 naming after" "$ST $(jq -r .error.field "$T/body")" "422 after"
req GET "/api/v1/grades?limit=0" -H "$ADMIN"
is "limit=0: 400 naming limit" "$ST $(jq -r .error.field "$T/body")" "400 limit"
req GET /api/v1/grade-counts -H "$AUDIT"
is "GET /grade-counts: 200" "$ST" 200
same "GET /grade-counts = grade counts" grade counts
is "… its counts are the list's" "$(jq -c '[.grades[] | [.grade, .subjects]]' "$T/body")" \
	"$(jq -c '[.subjects[].grade] | group_by(.) | map([.[0], length])' "$T/list.json")"
req GET /api/v1/grade-counts -H "$UNIT_SC"
is "grade-counts, a unit operator: 403" "$ST" 403
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
