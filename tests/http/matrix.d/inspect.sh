# Fixture of the inspection rows of matrix.tsv (# inspect): a plan and a
# draw made by the CLI (their numbers).  Sourced by the matrix runner after
# the server and the tokens exist; generated names only.
cat >"$T/inspect-plan.json" <<'J'
{"name":"矩阵抽查计划（示例）","unit":"市场监管局",
 "items":[{"item":"营业执照公示信息","basis":"《企业信息公示暂行条例》","method":"书面检查"}],
 "team_size":1,"inspectors":[{"name":"检查员01","unit":"市场监管局"},{"name":"检查员02","unit":"市场监管局"}]}
J
printf '主体代码\t等级\nS0001\tD\nS0002\tA\n' >"$T/inspect-subjects.tsv"
inspect_plan=$("$XINYONG" inspect plan add "$T/inspect-plan.json" --format json 2>/dev/null | jq -r .plan)
inspect_draw=$("$XINYONG" inspect draw "$inspect_plan" --subjects "$T/inspect-subjects.tsv" \
	--random '矩阵 1' --format json 2>/dev/null | jq -r .draw)
export inspect_plan inspect_draw
