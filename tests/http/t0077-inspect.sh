#!/bin/sh
# 双随机、一公开 over the API (issue 12, docs/inspection.md): the office adds a
# plan, draws from a JSON subjects array and records results; anyone lists
# the draws, sees one (codes in public form, teams counted) and verifies it;
# each read equals the CLI's JSON (jq -S).  Generated codes and names only.
. "$(dirname "$0")/lib.sh"
xy init >/dev/null
start_server

same() {
	d=$1
	shift
	xy "$@" --format json >"$T/cli.json" 2>&1
	a=$(jq -S . "$T/body" 2>&1) b=$(jq -S . "$T/cli.json" 2>&1)
	if [ -n "$a" ] && [ "$a" = "$b" ]; then pass "$d"; else fail "$d" "api: $a" "cli: $b"; fi
}
PLAN='{"name":"API抽查（示例）","unit":"市场监管局","items":[{"item":"营业执照公示信息","basis":"《企业信息公示暂行条例》","method":"书面检查"}],"team_size":1,"inspectors":[{"name":"检查员01","unit":"市场监管局"},{"name":"检查员02","unit":"市场监管局"}]}'
req POST /api/v1/inspection-plans -H "$ADMIN" -H 'Content-Type: application/json' -d "$PLAN"
is "POST /inspection-plans: 201" "$ST" 201
P=$(jq -r .id "$T/body")
same "… its answer = inspect plan show" inspect plan show "$P"
req POST /api/v1/inspection-plans -H "$ADMIN" -H 'Content-Type: application/json' -d '{"name":"x"}'
is "a plan without unit: 422 naming it" "$ST $(jq -r .error.field "$T/body")" "422 检查单位"
req POST /api/v1/inspection-plans -H "$AUDIT" -H 'Content-Type: application/json' -d "$PLAN"
is "the auditor cannot add: 403" "$ST" 403
req GET /api/v1/inspection-plans -H "$AUDIT"
same "GET /inspection-plans = inspect plan list" inspect plan list

RIC=210802199001011234
SUBJ='[{"code":"'$RIC'","grade":"D"},{"code":"S0002","grade":"A"},{"code":"S0003"}]'
req POST "/api/v1/inspection-plans/$P/draws" -H "$ADMIN" -H 'Content-Type: application/json' \
	-d '{"random":"2026-11-25 福彩3D 417","subjects":'"$SUBJ"'}'
is "POST /inspection-plans/{id}/draws: 201" "$ST" 201
D=$(jq -r .id "$T/body")
is "… the D subject drawn, its 身份证号 masked" "$(jq -r '.targets[] | select(.grade == "D") | .code' "$T/body")" "210802********1234"
like "… no inspector named" "$(cat "$T/body")" "^[^检]*$"
req POST "/api/v1/inspection-plans/$P/draws" -H "$ADMIN" -H 'Content-Type: application/json' \
	-d '{"random":"x","subjects":[{"code":"S1","grade":"E"}]}'
is "a bad grade: 422 naming subjects[0].grade" "$ST $(jq -r .error.field "$T/body")" "422 subjects[0].grade"
req POST "/api/v1/inspection-plans/$P/draws" -H "$ADMIN" -H 'Content-Type: application/json' -d '{"random":"x"}'
is "no subjects: 422" "$ST $(jq -r .error.field "$T/body")" "422 subjects"
like "audit-logged as the CLI's" "$({ auditlog inspect.plan.add; auditlog inspect.draw; } | wc -l)" "^2$"

req POST "/api/v1/inspection-draws/$D/results" -H "$ADMIN" -H 'Content-Type: application/json' \
	-d '{"subject":"'$RIC'","outcome":"责令整改"}'
is "POST /inspection-draws/{id}/results: 201" "$ST" 201
req POST "/api/v1/inspection-draws/$D/results" -H "$ADMIN" -H 'Content-Type: application/json' \
	-d '{"subject":"'$RIC'","outcome":"随便"}'
is "an unknown outcome: 422 naming it" "$ST" 422

req GET /api/v1/inspection-draws
is "GET /inspection-draws (the public): 200" "$ST" 200
same "… = inspect draws" inspect draws
is "… the random value published" "$(jq -r '.draws[0].random' "$T/body")" "2026-11-25 福彩3D 417"
req GET "/api/v1/inspection-draws/$D"
same "GET /inspection-draws/{id} = inspect show" inspect show "$D"
is "… the result" "$(jq -r '.targets[] | select(.grade == "D") | .result' "$T/body")" 责令整改
is "… no full 身份证号 anywhere" "$(grep -c "$RIC" "$T/body")" 0
req GET "/api/v1/inspection-draws/$D/verify"
is "GET …/verify: ok" "$ST $(jq -r .ok "$T/body")" "200 true"
same "… = inspect verify" inspect verify "$D"
req GET "/api/v1/inspection-draws/999/verify"
is "an unknown draw: 404" "$ST" 404
stop_server
