# Shared helpers of the CLI tests (sourced).  Each check prints "ok - …" or
# "not ok - …" with the evidence; tests/run.sh counts them.
set -u
: "${XINYONG:?XINYONG must name the xinyong binary}"
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
DATA="$ROOT/tests/data"
SAMPLES="$ROOT/data/samples"
T=$(mktemp -d)
# cleanup: what the test leaves behind (its directory; on PostgreSQL its databases, below).
# A file that sets its own EXIT trap (tests/http/lib.sh) calls it from there.
cleanup() { rm -rf "$T"; }
trap cleanup EXIT
export XINYONG_DB="$T/var/xinyong.db"
export XINYONG_TODAY=2026-11-26
# jq is gojq, Debian's Go implementation of it, where installed (scripts/deps.sh installs it):
# Debian 12's jq 1.6 compiles its builtins at every start, 36 ms of CPU against gojq's 2 ms
# (`perf stat -r 30 jq -n 1`), and the suites start it some 12,000 times: a fifth of the CLI and
# HTTP suites' CPU (docs/testing.md "Time").  gojq prints an object's keys sorted, as jq -S
# does, and has no -S (taken out of the options here: -S, -cS); a check of key order itself
# calls jq_keep_order.
if command -v gojq >/dev/null 2>&1; then
	jq() {
		for _jq_a; do
			shift
			case $_jq_a in
			-S) ;;
			--* | *[!A-Za-z-]*) set -- "$@" "$_jq_a" ;;
			-*S*) set -- "$@" "${_jq_a%S*}${_jq_a#*S}" ;;
			*) set -- "$@" "$_jq_a" ;;
			esac
		done
		gojq "$@"
	}
fi
jq_keep_order() { command jq "$@"; }
# XY_BACKEND: which store the test runs on.  With XY_PG_SOCKET set (the directory of a
# cluster scripts/pg-cluster.sh started, as tests/run.sh's pgcli jobs do), each test gets a
# database of its own in that cluster, created here and dropped at exit; its key file is in
# $T, and the test runs in $T/var, so the files kept "beside the database" (./reports,
# ./spool …: xy_store_beside) land where they do beside $T/var/xinyong.db on SQLite.
XY_BACKEND=sqlite
if [ -n "${XY_PG_SOCKET:-}" ]; then
	XY_BACKEND=postgresql
	case $XINYONG in /*) ;; *) XINYONG=$(pwd)/$XINYONG ;; esac
	[ -n "${PG_BIN:-}" ] || PG_BIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
	XY_PG_DB=t_$(basename "$T" | tr -c 'A-Za-z0-9' _ | tr 'A-Z' 'a-z')$$
	XY_PG_DBS= # every database this test made (newdb), dropped at exit
	cleanup() {
		for _d in $XY_PG_DBS; do "$PG_BIN/dropdb" -h "$XY_PG_SOCKET" -U xinyong --force "$_d"; done
		rm -rf "$T"
	}
fi
export XY_BACKEND

# newdb PATH: the test goes on with a new, empty database: on SQLite the file PATH; on
# PostgreSQL a new database in the cluster, with the test in PATH's directory (the files
# "beside the database" go there, as they would beside PATH) and the key file PATH.key.
newdb() {
	if [ "$XY_BACKEND" = sqlite ]; then
		export XINYONG_DB="$1"
		return
	fi
	_n=$(printf '%s' "$XY_PG_DBS" | wc -w)
	_d=$XY_PG_DB${_n#0}
	"$PG_BIN/createdb" -h "$XY_PG_SOCKET" -U xinyong "$_d" || {
		echo "not ok - createdb $_d in $XY_PG_SOCKET"
		exit 1
	}
	XY_PG_DBS="$XY_PG_DBS $_d"
	export XINYONG_DB="postgresql://xinyong@$(printf '%s' "$XY_PG_SOCKET" | sed 's|/|%2F|g')/$_d"
	export XINYONG_KEY_FILE="$1.key"
	mkdir -p "$(dirname "$1")"
	cd "$(dirname "$1")" || exit 1
}
[ "$XY_BACKEND" = sqlite ] || newdb "$XINYONG_DB"

# pg_sql SQL: psql on the test's PostgreSQL database, for what a backend's own check does
# behind xinyong's back (a trigger's refusal, tampering) — never to read what a test checks
pg_sql() {
	"$PG_BIN/psql" -X -q -v ON_ERROR_STOP=1 -h "$XY_PG_SOCKET" -U xinyong -d "${XINYONG_DB##*/}" -At -c "$1"
}

# BESIDE: the directory of the files kept "beside the database" as xinyong names them
# (xy_store_beside): the SQLite file's directory, "." for a postgresql:// database
BESIDE=$(dirname "$XINYONG_DB")
[ "$XY_BACKEND" = sqlite ] || BESIDE=.

# KEYFILE: the key file of personal ID numbers: <db>.key beside a SQLite file, the named
# XINYONG_KEY_FILE for PostgreSQL (docs/postgresql.md)
keyfile() { if [ "$XY_BACKEND" = sqlite ]; then echo "$XINYONG_DB.key"; else echo "$XINYONG_KEY_FILE"; fi; }

# at_rest: the bytes of the test's database as they lie on disk (what a copied disk shows):
# the SQLite file and its -wal; on PostgreSQL, after a CHECKPOINT (the cluster writes every
# changed page to its files), the files of the test's database in the cluster's data
# directory (not the write-ahead log: the cluster's other databases write into it too)
at_rest() {
	if [ "$XY_BACKEND" = sqlite ]; then
		cat "$XINYONG_DB" "$XINYONG_DB-wal" 2>/dev/null
		return
	fi
	_o=$("$PG_BIN/psql" -X -q -h "$XY_PG_SOCKET" -U xinyong -d "${XINYONG_DB##*/}" -At \
		-c checkpoint -c "select oid from pg_database where datname = current_database()")
	cat "$XY_PG_SOCKET/data/base/$_o"/* 2>/dev/null
}

xy() { "$XINYONG" "$@"; }

# small_counts FILE: data/demo-counts.tsv with every count a tenth, rounded up
small_counts() {
	awk -F'\t' -v OFS='\t' '/^#/ || $4 !~ /^[0-9]+$/ { print; next } { $4 = int(($4 + 9) / 10); print }' \
		"$ROOT/data/demo-counts.tsv" >"$1"
}

# demo_city [--small]: the test's database, still empty, becomes the demo city (`xinyong demo
# --seed 2019` at XINYONG_TODAY); exit status as the demo's.  --small: small_counts (every unit
# and category keeps its cells), for the sanitizer build's passes over the grading and
# inspection paths, which a city of 16,000 records walks as a city of 160,000 does at a tenth
# of the cost.  Under tests/run.sh (XY_FIXTURES, a directory of the run) the city is made once
# per binary, backend, size and XINYONG_TODAY, under flock, and copied: on SQLite the database
# file, on PostgreSQL a database made with CREATE DATABASE … TEMPLATE; the key file of
# personal IDs with it.  Four suites each built the same city (a minute and more on
# PostgreSQL); t0120-demo, which tests the command itself, still runs it.  Without
# XY_FIXTURES (a test run alone) the demo runs on the test's database.
demo_city() {
	_size=full
	[ "${1:-}" = --small ] && _size=small
	set -- --seed 2019
	if [ $_size = small ]; then
		small_counts "$T/small-counts.tsv" || return 1
		set -- "$@" --counts "$T/small-counts.tsv"
	fi
	if [ -z "${XY_FIXTURES:-}" ]; then
		xy demo "$@"
		return
	fi
	_k=$(printf '%s|%s|%s|%s' "$XINYONG" "$XY_BACKEND" "$XINYONG_TODAY" $_size | md5sum | cut -c1-12)
	_f="$XY_FIXTURES/demo-$_k"
	mkdir -p "$XY_FIXTURES"
	(
		flock 9 || exit 1
		[ -f "$_f/done" ] && exit 0
		rm -rf "$_f" && mkdir -p "$_f" || exit 1
		if [ "$XY_BACKEND" = sqlite ]; then
			XINYONG_DB="$_f/xinyong.db" "$XINYONG" demo "$@" >"$_f/log" 2>&1 || exit 1
		else
			"$PG_BIN/dropdb" -h "$XY_PG_SOCKET" -U xinyong --if-exists "fx_$_k" &&
				"$PG_BIN/createdb" -h "$XY_PG_SOCKET" -U xinyong "fx_$_k" || exit 1
			(cd "$_f" && XINYONG_DB="${XINYONG_DB%/*}/fx_$_k" XINYONG_KEY_FILE="$_f/xinyong.db.key" \
				"$XINYONG" demo "$@") >"$_f/log" 2>&1 || exit 1
		fi
		: >"$_f/done"
	) 9>"$_f.lock"
	_rc=$?
	if [ $_rc -ne 0 ]; then
		cat "$_f/log" >&2
		return $_rc
	fi
	if [ "$XY_BACKEND" = sqlite ]; then
		mkdir -p "$(dirname "$XINYONG_DB")" &&
			cp "$_f/xinyong.db" "$XINYONG_DB" || return 1
		[ ! -f "$_f/xinyong.db.key" ] || cp "$_f/xinyong.db.key" "$XINYONG_DB.key" || return 1
		[ ! -f "$_f/xinyong.db-wal" ] || cp "$_f/xinyong.db-wal" "$XINYONG_DB-wal"
	else
		_d=${XINYONG_DB##*/}
		# the test's database is empty: made again as a copy of the city (the template's last
		# connection may still be ending: CREATE DATABASE waits up to 5 s for it)
		"$PG_BIN/dropdb" -h "$XY_PG_SOCKET" -U xinyong --force "$_d" &&
			"$PG_BIN/createdb" -h "$XY_PG_SOCKET" -U xinyong -T "fx_$_k" "$_d" || return 1
		[ ! -f "$_f/xinyong.db.key" ] || cp "$_f/xinyong.db.key" "$XINYONG_KEY_FILE" || return 1
	fi
}

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
