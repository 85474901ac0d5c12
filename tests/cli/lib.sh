# Shared helpers of the CLI tests (sourced).  Each check prints "ok - …" or
# "not ok - …" with the evidence; tests/run.sh counts them.
set -u
: "${XINYONG:?XINYONG must name the xinyong binary}"
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
DATA="$ROOT/tests/data"
SAMPLES="$ROOT/data/samples"
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
export XINYONG_DB="$T/var/xinyong.db"
export XINYONG_TODAY=2026-11-26

xy() { "$XINYONG" "$@"; }

pass() { echo "ok - $1"; }
fail() {
	echo "not ok - $1"
	shift
	for l in "$@"; do printf '#   %s\n' "$l"; done
}

# ok DESC CMD…: CMD exits 0
ok() {
	d=$1
	shift
	if "$@" >"$T/.out" 2>"$T/.err"; then pass "$d"; else
		fail "$d" "exit $? from: $*" "$(head -c 2000 "$T/.err")" "$(head -c 1000 "$T/.out")"
	fi
}

# fails DESC CODE CMD…: CMD exits with CODE
fails() {
	d=$1 want=$2
	shift 2
	"$@" >"$T/.out" 2>"$T/.err"
	got=$?
	if [ "$got" = "$want" ]; then pass "$d"; else
		fail "$d" "exit $got, wanted $want, from: $*" "$(head -c 2000 "$T/.err")"
	fi
}

# is DESC GOT WANT
is() {
	if [ "$2" = "$3" ]; then pass "$1"; else fail "$1" "got:  $2" "want: $3"; fi
}

# like DESC TEXT PATTERN (grep -E)
like() {
	if printf '%s' "$2" | grep -Eq -- "$3"; then pass "$1"; else
		fail "$1" "no match for /$3/ in:" "$(printf '%s' "$2" | head -c 1500)"
	fi
}

# q QUERY: the sqlite3 shell on the test database.  Only for the files that
# tests/cli/t0009-no-raw-sql.sh lists as not converted yet (issue 11); every other test
# reads through xinyong (rows, dsp, records, entry, auditlog, batchlist below).
q() { sqlite3 "$XINYONG_DB" "$@"; }

# rows TABLE…: how many rows each table holds, space-separated, through
# `xinyong db counts` (the store, whichever backend): tests never query the
# database behind the store (issue 11; tests/cli/t0009-no-raw-sql.sh).
rows() { xy db counts "$@" | awk -F'\t' '{ printf "%s%s", s, $2; s = " " } END { print "" }'; }

# dsp [publicity options…]: every 双公示 record (行政许可, then 行政处罚) as one JSON line,
# as `xinyong publicity … --format json` gives its items ({"id","category","unit","key",
# "decided_on","display","subject","data"}), page after page; e.g. dsp --unit 市场监管局.
dsp() {
	for _c in licensing penalties; do
		_a=
		# one jq a page: the items, then "#next CURSOR"
		while xy publicity "$_c" "$@" --limit 100 ${_a:+--after "$_a"} --format json |
			jq -r '(.items[] | tojson), "#next " + (.next // "")' >"$T/.dsp"; do
			grep -v '^#next ' "$T/.dsp"
			_a=$(sed -n 's/^#next //p' "$T/.dsp")
			[ -n "$_a" ] || break
		done
	done
}

# records: every 双公示 record as one JSON line {"key","category","data"}, sorted by key,
# read through `xinyong publicity` (records.data is encrypted at rest: docs/security.md).
records() { dsp | jq -c '{key, category, data}' | sort; }

# recid KEY [SUBJECT]: the id of the record keyed KEY (its 文书号): a 双公示 record, or
# any record of SUBJECT (its profile, `xinyong show`)
recid() {
	if [ $# -gt 1 ]; then
		xy show "$2" --format json | jq -r --arg k "$1" '.records[] | select(.key == $k) | .id'
	else
		dsp | jq -r --arg k "$1" 'select(.key == $k) | .id'
	fi
}

# entry ID: list entry ID as `xinyong list show --all` gives it (status, exit, persons,
# history), one JSON line
entry() { xy list show --all --format json | jq -c --argjson e "$1" '.entries[] | select(.entry == $e)'; }

# auditlog [ACTION [audit show options…]]: the audit log's entries (of ACTION; "" or none:
# all), oldest first, page after page, one JSON line each ({"seq","who","action","object",
# "detail","before","after",…})
auditlog() {
	_a=${1:-}
	[ $# -gt 0 ] && shift
	_s=
	while xy audit show ${_a:+--action "$_a"} --limit 1000 ${_s:+--after "$_s"} "$@" --format json >"$T/.audit"; do
		jq -c '.entries[]' "$T/.audit"
		_s=$(jq -r '.next // empty' "$T/.audit")
		[ -n "$_s" ] || break
	done
}

# batchlist: every batch, newest first, one JSON line each (`xinyong batches`, page after
# page: the cursor of the page after a full first one is its last batch, as "next" is)
batchlist() {
	xy batches --limit 1000 --format json | jq -c '.[]' >"$T/.batches"
	cat "$T/.batches"
	[ "$(wc -l <"$T/.batches")" -lt 1000 ] && return
	_n=$(tail -1 "$T/.batches" | jq -r .batch)
	while [ -n "$_n" ] && xy batches --limit 1000 --after "$_n" --format json >"$T/.batches"; do
		jq -c '.batches[]' "$T/.batches"
		_n=$(jq -r '.next // empty' "$T/.batches")
	done
}

# cases: every repair and objection case, one JSON line each (`xinyong repair list`,
# `objection list`: an online application's under "application")
cases() { xy repair list --format json | jq -c '.repairs[]'; xy objection list --format json | jq -c '.objections[]'; }

# case_of RECEIPT: the id of the case an online application filed
case_of() { cases | jq -r --arg r "$1" 'select(.application.receipt? == $r) | .id'; }
