#!/bin/sh
# Personal ID numbers at rest (docs/security.md): not in the database file, shown to the
# office, a too-open or wrong key refused, xinyong rekey rotates the key, and a rekey
# killed with SIGKILL mid-transaction loses nothing.
. "$(dirname "$0")/lib.sh"

ID=210804195604102130 # the natural person of tests/data/import/xzcf-utf8.csv (generated)
KEY=$(keyfile)
ok "import a file with a natural person" \
	xy import --unit 市场监管局 --category 行政处罚 "$DATA/import/xzcf-utf8.csv"
is "the key file was created (beside a SQLite database), mode 600" "$(stat -c %a "$KEY")" 600
like "show prints the number to the office" "$(xy show "$ID" 2>&1)" "$ID"
like "the subject is found by the number" "$(xy show "$ID" --format json 2>&1)" "\"$ID\""
is "no subject code holds the number: it is nowhere in the database file" \
	"$(at_rest | grep -ac "$ID")" 0
like "a USCC of the same file is stored as it is" \
	"$(at_rest | grep -ac 91210803MADE2UMA8E)" '^[1-9]'


chmod 644 "$KEY"
fails "a group/world-readable key file is refused" 1 xy show "$ID"
like "… naming the file and its mode" "$(cat "$T/.err")" "$KEY.*mode 0644"
chmod 600 "$KEY"

XINYONG_DB="$T/other.db" XINYONG_KEY_FILE="$T/other.db.key" xy init >/dev/null 2>&1
fails "another database's key is refused" 1 xy show "$ID" --key-file "$T/other.db.key"
like "… as the wrong key" "$(cat "$T/.err")" "wrong key"
fails "XINYONG_KEY_FILE is read as well" 1 env XINYONG_KEY_FILE="$T/other.db.key" "$XINYONG" show "$ID"

cp -p "$KEY" "$T/before.key"
ok "rekey" xy rekey
like "rekey reports each table" "$(cat "$T/.err")" "records re-encrypted"
is "the old key is gone once committed" "$([ -e "$KEY.old" ] && echo old)" ""
is "the new key file is 600" "$(stat -c %a "$KEY")" 600
like "show still prints the number after rekey" "$(xy show "$ID" 2>&1)" "$ID"
fails "the old key no longer opens the database" 1 xy show "$ID" --key-file "$T/before.key"
like "… as the wrong key" "$(cat "$T/.err")" "wrong key"
like "the rotation is in the audit log" "$(xy audit show --action key.rotate 2>&1)" "key.rotate"
ok "the audit chain still holds" xy audit verify

# Killed mid-way: a database big enough that re-encrypting its records takes a while.
GEN="$XY_BUILD/xy-gen"
[ -x "$GEN" ] || GEN="$XY_BUILD/bench/xy-gen"
rows=100000
[ "${XY_SANITIZED:-}" = 1 ] && rows=30000
"$GEN" --rows $rows --seed 3 -o "$T/big.csv"
ok "import $rows generated rows" xy import --unit 公安局 --category 行政处罚 "$T/big.csv"
n=$(rows records)
# the binary itself in the background, so $! is its pid (`xy rekey &` would fork a
# subshell: killing that left the rekey running to completion behind the checks)
"$XINYONG" rekey 2>"$T/rekey.err" >/dev/null &
pid=$!
i=0
while [ $i -lt 2000 ] && ! grep -q "subjects re-encrypted" "$T/rekey.err"; do
	sleep 0.01
	i=$((i + 1))
done
kill -9 $pid 2>/dev/null
wait $pid 2>/dev/null
is "rekey was killed mid-transaction (exit 137)" "$?" 137
is "the old key is still there as .old" "$([ -e "$KEY.old" ] && echo old)" old
like "the database opens with the old key: show prints the number" "$(xy show "$ID" 2>&1)" "$ID"
is "no record lost" "$(rows records)" "$n"
is "integrity_check ok" "$(xy db check)" ok
ok "a second rekey completes" xy rekey
like "… from the key kept as .old" "$(cat "$T/.err")" "records re-encrypted"
is "… and removes the old key" "$([ -e "$KEY.old" ] && echo old)" ""
like "show prints the number after it" "$(xy show "$ID" 2>&1)" "$ID"
is "records all there" "$(rows records)" "$n"
