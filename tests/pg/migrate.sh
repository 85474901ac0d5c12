#!/bin/sh
# `xinyong migrate --from sqlite:PATH --to postgresql://…` (issue 11,
# docs/postgresql.md "Moving a city database"): the demo city (72,876
# subjects, half of them persons with encrypted ID numbers) with users,
# tokens, checks and a commitment on top is copied into a throw-away
# PostgreSQL cluster; every table is verified by the command itself, then
# the CLI must answer the same on both databases, the audit chain must go on
# intact with the migration's own entry, new imports must get new ids, and a
# migration that is refused, fails on a bad value or is killed half way must
# leave the target as it was.  TAP on stdout; tests/run.sh runs it (normal build).
set -u
BUILD=${1:-${XY_BUILD:-build}}
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
XY=$(cd "$BUILD" && pwd)/xinyong
T=$(mktemp -d)
n=0 fail=0
. "$ROOT/tests/pg/lib.sh"
pg_cluster
# a second database in the same cluster, for the killed run
URI2=$(echo "$URI" | sed 's|/xinyong$|/second|')
sock=$(echo "$URI" | sed 's|.*@||; s|/xinyong$||; s|%2F|/|g')
runuser -u nobody -- createdb -h "$sock" -U xinyong second 2>/dev/null ||
	createdb -h "$sock" -U xinyong second
export XINYONG_TODAY=2026-11-26
cd "$T" || exit 1 # files beside a postgresql:// database (./spool, ./reports) land here
DB=$T/city.db
"$XY" demo --db "$DB" --work-dir "$T/demo" >/dev/null 2>&1
check "a demo city database to move" $?
# more than the demo has: a user, a token, a logged check, a commitment, a grading run
"$XY" user add op1 --db "$DB" --role unit --unit 市场监管局 --password-file - \
	>/dev/null 2>&1 <<EOF
op1-secret-123456
EOF
"$XY" token create --db "$DB" --unit 市场监管局 --role unit --expires 30d --label m >/dev/null 2>&1
CO=$(grep -rhoE '9[0-9A-Z]{17}' "$T"/demo/*行政处罚*.csv 2>/dev/null | head -1)
ID=$(grep -rhoE '[1-6][0-9]{16}[0-9X]' "$T"/demo/*.csv 2>/dev/null | head -1)
"$XY" check --db "$DB" --unit 发改委 "$CO" >/dev/null 2>&1
"$XY" grade run --db "$DB" --date 2026-11-26 >/dev/null 2>&1
# a file name in GBK, not UTF-8 (信用.csv as a Windows machine names it): SQLite keeps the
# bytes, PostgreSQL its private-use mapping (docs/postgresql.md)
GBK=$(printf '\320\305\323\303')
cp "$ROOT/data/samples/市场监管局-行政处罚-2019-10.csv" "$T/$GBK.csv"
"$XY" import --db "$DB" --reports "$T/reports" --unit 市场监管局 --category 行政处罚 \
	--reported-on 2026-10 "$T/$GBK.csv" >/dev/null 2>&1
[ -n "$CO" ] && [ -n "$ID" ]
check "a USCC ($CO) and a person's ID number from the demo's files" $?

"$XY" migrate --from "sqlite:$DB" --to "$URI" >"$T/mig" 2>&1
st=$?
[ $st = 0 ] || sed 's/^/# /' "$T/mig" | tail -5
check "migrate exits 0" $st
tables=$(grep -c ' verified$' "$T/mig")
grep -q "^$tables tables, [0-9]* rows copied and verified" "$T/mig" && [ "$tables" -ge 40 ]
check "every table verified by row count and SHA-256 ($tables tables)" $?
ns=$("$XY" db counts subjects --db "$DB" | cut -f2)
nr=$("$XY" db counts records --db "$DB" | cut -f2)
grep -Eq "^records +$nr " "$T/mig" && grep -Eq "^subjects +$ns " "$T/mig" && [ "$ns" -gt 72876 ]
check "all the source's records ($nr) and subjects ($ns) were copied" $?

export XINYONG_KEY_FILE="$DB.key" # the PostgreSQL database keeps the source's key
same() { # DESC, then the command's arguments: its output on both databases must agree
	d=$1
	shift
	"$XY" "$@" --db "$DB" >"$T/a" 2>&1
	"$XY" "$@" --db "$URI" >"$T/b" 2>&1
	if cmp -s "$T/a" "$T/b" && [ -s "$T/a" ]; then ok "$d"; else
		no "$d"
		diff "$T/a" "$T/b" | head -6 | sed 's/^/# /'
	fi
}
same "the department table is the same on PostgreSQL" stats --from 2019-10 --to 2019-10 \
	--by department --format csv
same "batches: the same" batches --format json
same "the batch of a file named in GBK reads back the same (bytes, not UTF-8)" batches
same "a company's profile: the same" show "$CO" --format json
same "a person's profile, found by the ID number (keyed hash copied): the same" show "$ID" \
	--format json
same "the lists: the same" list show --format json
same "the logged checks: the same" checks --format json
same "users and tokens: the same" token list --format json
nchecks=$("$XY" db counts checks --db "$URI" | cut -f2)
"$XY" db partitions --db "$URI" | awk -F'\t' -v n="$nchecks" '$1 == "checks" { sum += $4;
	if ($2 == "checks_default") def = $4 } END { exit !(n > 0 && sum == n && def == 0) }'
check "the copied checks ($nchecks) sit in their months' partitions, none in the default one" $?
same "the grades of the run copied: the same" grade list --format json
"$XY" audit verify --db "$URI" >"$T/v" 2>&1
check "audit verify on PostgreSQL: the copied chain is intact" $?
"$XY" audit show --db "$URI" --desc --limit 1 --format json >"$T/last" 2>&1
grep -q '"action":"db.migrate"' "$T/last" && grep -q "\"object\":\"sqlite:$DB\"" "$T/last"
check "the chain goes on with a db.migrate entry naming the source" $?

# after the copy PostgreSQL hands out new ids after the copied ones
last=$("$XY" batches --db "$URI" --format json | grep -o '"batch":[0-9]*' | head -1 | cut -d: -f2)
"$XY" import --db "$URI" --reports "$T/reports" --unit 市场监管局 --category 行政处罚 \
	--reported-on 2026-11 "$ROOT/data/samples/市场监管局-行政处罚-2019-10.csv" >"$T/imp" 2>&1
grep -q "^batch $((last + 1)) " "$T/imp"
check "an import after the copy is batch $((last + 1)) (ids go on)" $?
# the file was imported into the source already: its keys were found through
# record_keys, which the copy derived from the records (PostgreSQL's own)
grep -q "rows      12: 0 new, 0 updated, 9 unchanged, 3 rejected" "$T/imp"
check "… and finds every key the source had: 0 new, 9 unchanged (record_keys derived)" $?
keys=$(psql "$URI" -Atc "select (select count(*) from records) || '|' || (select count(*)
	from record_keys k join records r on r.id = k.record_id and r.key = k.key
	and r.subject_id is not distinct from k.subject_id)")
[ "$keys" = "$nr|$nr" ]
check "record_keys: one key a record, naming its id and subject ($keys, $nr records)" $?

# a second migration into a database that holds a city is refused, changing nothing
"$XY" audit verify --db "$URI" >"$T/v1" 2>&1
"$XY" migrate --from "$DB" --to "$URI" >"$T/mig2" 2>&1
st=$?
"$XY" audit verify --db "$URI" >"$T/v2" 2>&1
[ $st != 0 ] && grep -q "holds data already" "$T/mig2" && cmp -s "$T/v1" "$T/v2"
check "migrating into a database with data is refused and changes nothing" $?

# killed half way: one transaction, so the target is as it was, and a new run works
"$XY" migrate --from "$DB" --to "$URI2" >"$T/mig3" 2>&1 &
pid=$!
i=0
until grep -q '^subjects ' "$T/mig3" 2>/dev/null || [ $i -ge 300 ]; do i=$((i + 1)); sleep 0.05; done
kill -9 $pid 2>/dev/null
wait $pid 2>/dev/null
[ "$("$XY" batches --db "$URI2" --format json 2>/dev/null)" = "[]" ]
check "SIGKILL during the copy (after subjects): the target has no batch" $?
"$XY" migrate --from "$DB" --to "$URI2" >"$T/mig4" 2>&1
check "the migration run again afterwards succeeds" $?

# SQLite backend's own test: a value that does not fit its PostgreSQL column
# (SQLite keeps text in an integer column) fails the copy naming the place
cp "$DB" "$T/bad.db" && cp -p "$DB.key" "$T/bad.db.key"
sqlite3 "$T/bad.db" "UPDATE records SET decided_on = decided_on, first_batch = 'x' WHERE id = 7"
runuser -u nobody -- dropdb -h "$sock" -U xinyong second 2>/dev/null ||
	dropdb -h "$sock" -U xinyong second
runuser -u nobody -- createdb -h "$sock" -U xinyong second 2>/dev/null ||
	createdb -h "$sock" -U xinyong second
"$XY" migrate --from "$T/bad.db" --to "$URI2" --key-file "$T/bad.db.key" >"$T/mig5" 2>&1
st=$?
[ $st != 0 ] && grep -q "records.first_batch, row 7: a text value does not fit" "$T/mig5" &&
	[ "$("$XY" batches --db "$URI2" --format json 2>/dev/null)" = "[]" ]
check "a text value in an integer column: refused naming records.first_batch, row 7; nothing kept" $?
echo "1..$n"
exit $fail
