#!/bin/sh
# xinyong audit verify / show: import commits and refusals are logged as the CLI's account,
# filters by who, action and time; verify names the first edited, inserted or deleted
# entry after raw SQL tampering, and --expect catches a rewritten log.
. "$(dirname "$0")/lib.sh"

ME="cli:$(id -un)"

ok "audit verify on an empty log" xy audit verify --format json
is "  ok, no entries" "$(jq -c '[.ok, .entries]' "$T/.out")" "[true,0]"
ok "audit show on an empty log" xy audit show
like "  says so" "$(cat "$T/.out")" "no audit entries"

# --- an import commits, a broken file is refused: both logged
ok "import a sample" xy import --unit 市场监管局 --category 行政处罚 --reported-on 2019-10 \
	"$SAMPLES/市场监管局-行政处罚-2019-10.csv"
printf 'PK\003\004junk' >"$T/broken.xlsx"
xy import --unit 市场监管局 --category 行政处罚 "$T/broken.xlsx" >/dev/null 2>&1
ok "audit show --action import.commit" xy audit show --action import.commit --format json
is "  one commit" "$(jq '.entries | length' "$T/.out")" 1
is "  by the CLI's account" "$(jq -r '.entries[0].who' "$T/.out")" "$ME"
B=$(batchlist | jq -s 'map(select(.status == "committed") | .batch) | min')
is "  of the batch" "$(jq -r '.entries[0].object' "$T/.out")" "batch:$B"
like "  with its counts" "$(jq -r '.entries[0].detail' "$T/.out")" "unit=市场监管局 category=行政处罚 .*rows=[0-9]+ added=[0-9]+"
ok "audit show --action import.refuse" xy audit show --action import.refuse --format json
is "  one refusal" "$(jq '.entries | length' "$T/.out")" 1

# --- filters
printf 'audit-test-pass\n' >"$T/pw"
ok "add a user" xy user add a1 --role admin --password-file "$T/pw"
ok "show --from today" xy audit show --from "$(date -u +%Y-%m-%d)" --format json
is "  everything is from today" "$(jq '.entries | length' "$T/.out")" 3
ok "show --to yesterday" xy audit show --to 2000-01-01 --format json
is "  nothing" "$(jq '.entries | length' "$T/.out")" 0
ok "show --who nobody" xy audit show --who cli:nobody --format json
is "  nothing" "$(jq '.entries | length' "$T/.out")" 0
ok "show --limit 2" xy audit show --limit 2 --format json
is "  two, oldest first" "$(jq -r '[.entries[].seq] | map(tostring) | join(",")' "$T/.out")" "1,2"
ok "show --desc --limit 2" xy audit show --desc --limit 2 --format json
is "  the two newest, newest first; next = the last shown" \
	"$(jq -c '[[.entries[].seq], .next]' "$T/.out")" "[[3,2],2]"
ok "show --desc --before 2 (the next page)" xy audit show --desc --limit 2 --before 2 --format json
is "  the rest, no next" "$(jq -c '[[.entries[].seq], .next]' "$T/.out")" "[[1],null]"
ok "show --after 1 --before 3" xy audit show --after 1 --before 3 --format json
is "  only 2" "$(jq -c '[.entries[].seq]' "$T/.out")" "[2]"
ok "show --desc as a table" xy audit show --desc --limit 1
like "  the newest line" "$(cat "$T/.out")" "^ *3 .*user.add +user:a1"
fails "--before takes a number" 2 xy audit show --before x
fails "verify takes no --desc" 2 xy audit verify --desc
ok "show as a table" xy audit show
like "  one line per entry" "$(cat "$T/.out")" "3 .*$ME +user.add +user:a1"
fails "verify takes no filters" 2 xy audit verify --who x
fails "unknown subcommand" 2 xy audit frob

# --- verify, and its head as an anchor
ok "audit verify" xy audit verify
like "  intact, with its head" "$(cat "$T/.out")" "3 entries"
HEAD=$(sed -n 's/^head //p' "$T/.out")
like "  head is SEQ:HASH" "$HEAD" "^3:[0-9a-f]{64}\$"
ok "verify --expect the head" xy audit verify --expect "$HEAD"
fails "verify --expect malformed" 1 xy audit verify --expect 3:xyz

# --- append-only in the database
# SQLite backend's own test: its triggers refuse UPDATE and DELETE on audit_log, and
# the tampering below edits the SQLite file behind xinyong's back, which verify must
# notice.  (tests/cli/t0009-no-raw-sql.sh allows sqlite3 in this file for it.)  On
# PostgreSQL the same through psql: its trigger, then the log edited with triggers off
# (session_replication_role), the good state kept as a copy of the database.
if [ "$XY_BACKEND" = sqlite ]; then
	tamper() { sqlite3 "$XINYONG_DB" "$@"; }
	UNLOCK="DROP TRIGGER audit_log_no_update; DROP TRIGGER audit_log_no_delete;"
	save() { cp "$XINYONG_DB" "$T/good.db"; }
	restore() { cp "$T/good.db" "$XINYONG_DB"; }
else
	tamper() { pg_sql "$@"; }
	UNLOCK="SET session_replication_role = replica;"
	DB=${XINYONG_DB##*/}
	save() {
		"$PG_BIN/createdb" -h "$XY_PG_SOCKET" -U xinyong -T "$DB" "${DB}_good"
		XY_PG_DBS="$XY_PG_DBS ${DB}_good"
	}
	restore() {
		"$PG_BIN/dropdb" -h "$XY_PG_SOCKET" -U xinyong --force "$DB" &&
			"$PG_BIN/createdb" -h "$XY_PG_SOCKET" -U xinyong -T "${DB}_good" "$DB"
	}
fi
tamper "UPDATE audit_log SET who = 'x' WHERE seq = 2" 2>"$T/sqlerr"
like "UPDATE is refused by the database" "$(cat "$T/sqlerr")" "audit_log is append-only"
tamper "DELETE FROM audit_log WHERE seq = 2" 2>"$T/sqlerr"
like "DELETE is refused by the database" "$(cat "$T/sqlerr")" "audit_log is append-only"
ok "  and the log still verifies" xy audit verify

# --- tampering with the triggers dropped: named at the first bad entry
save
tamper "$UNLOCK UPDATE audit_log SET detail = 'rows=0' WHERE seq = 1"
fails "an edited entry" 1 xy audit verify
like "  named" "$(cat "$T/.err")" "broken at entry 1: entry 1 was edited"
ok "  JSON says which" sh -c "\"$XINYONG\" audit verify --format json; true"
is "  first_bad" "$(jq .first_bad "$T/.out")" 1

restore
tamper "$UNLOCK DELETE FROM audit_log WHERE seq = 2"
fails "a deleted entry" 1 xy audit verify
like "  named" "$(cat "$T/.err")" "broken at entry 2: entry 2 is missing"

restore
tamper "$UNLOCK DELETE FROM audit_log WHERE seq = 3"
fails "a deleted last entry (the kept head)" 1 xy audit verify
like "  named" "$(cat "$T/.err")" "broken at entry 3"

restore
tamper "$UNLOCK INSERT INTO audit_log SELECT 4, at, 'cli:evil', action, object, detail, before_digest, after_digest, hash, hash FROM audit_log WHERE seq = 3"
fails "an inserted entry" 1 xy audit verify
like "  named" "$(cat "$T/.err")" "broken at entry 4"

# a whole log rewritten, head and all: only an anchor kept elsewhere tells
restore
tamper "$UNLOCK DELETE FROM audit_log; DELETE FROM audit_head;"
ok "an emptied log with its head is consistent" xy audit verify
fails "  but not with the anchor" 1 xy audit verify --expect "$HEAD"
like "  named" "$(cat "$T/.err")" "entry 3 \\(expected\\) is missing"
