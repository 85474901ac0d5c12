# Fixtures of the role matrix's core rows (tests/http/matrix.tsv, "# core"):
# the routes on main before issue 9's office and case routes.  Sourced by
# t0070-matrix.sh with the server running (lib.sh's req, $BASE, the tokens).
#   core_csv        a small CSV of 行政处罚 (the sample: 9 rows, 3 rejected)
#   core_batch_sj   a batch of unit sj (市审批局), with an error report
#   core_batch_sc   a batch of unit sc (市场监管局), with an error report
#   core_code       a subject those batches created (public profile, checks)
#   core_user       a user with password core_password (sessions)
core_csv="$SAMPLES/市场监管局-行政处罚-2019-10.csv"
core_upload() { # TOKEN-HEADER: upload core_csv as the token's unit; prints the batch
	req POST "/api/v1/uploads?category=行政处罚&reported_on=2019-11&filename=core.csv" -H "$1" \
		-H 'Content-Type: text/csv' --data-binary @"$core_csv"
	[ "$ST" = 201 ] || { echo "not ok - core fixture: an upload answered $ST: $(body)" >&2; exit 1; }
	jq -r .batch "$T/body"
}
core_batch_sj=$(core_upload "$UNIT_SJ")
core_batch_sc=$(core_upload "$UNIT_SC")
core_code=91210803MADE2UMA8E
core_user=core-admin
core_password=core-password-1
printf '%s\n' "$core_password" | "$XINYONG" user add "$core_user" --role admin >/dev/null
# a black-list entry naming a person (its 身份证号 masked in the public view)
"$XINYONG" list add --type 失信被执行人名单 --subject "$core_code" --unit 中级法院 \
	--doc '（2026）辽08执9号' --from 2026-04-01 --person "法定代表人:210804198002024562:示例甲" >/dev/null
