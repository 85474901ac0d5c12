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

# sqlite QUERY: run against the test database
q() { sqlite3 "$XINYONG_DB" "$@"; }

# records: every record as one JSON line {"key","category","data"}, sorted by key, read
# through `xinyong show` (records.data is encrypted at rest: docs/security.md).  Subjects
# are named by their code when it is public (USCC, 工商注册号, 组织机构代码), else by name.
records() {
	q "select distinct case when s.code_type in ('uscc', 'regno', 'org') then s.code
	   else s.name end from records r join subjects s on s.id = r.subject_id" |
		while IFS= read -r s; do
			xy show "$s" --format json | jq -c '.records[] | {key, category, data}'
		done | sort
}
