# Fixture of the reports rows of tests/http/matrix.tsv (sourced by the matrix
# runner after the server and the tokens exist): a stored city-index month
# (for the chart) and one generated bulletin to fetch.
curl -s -o /dev/null -H "$ADMIN" -H 'Content-Type: application/json' \
	-d '{"month":"2019-10","score":82.5,"rank":50}' "$BASE/api/v1/index"
curl -s -o /dev/null -H "$ADMIN" -H 'Content-Type: application/json' \
	-d '{"issue":1,"date":"2019-10-15","format":"html"}' "$BASE/api/v1/bulletins"
rep_bulletin=bulletin-1-2019-10-15.html
