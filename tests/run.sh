#!/bin/sh
# Run every suite: the Criterion unit tests, the fuzz corpus replays
# (tests/fuzz/), the CLI tests (a second time on PostgreSQL: label pgcli), the HTTP tests (tests/http: shell + curl
# against a server of their own; a second time on PostgreSQL: label pghttp) and the browser tests (tests/e2e, the normal
# build only), first on the normal build, then on the
# ASan/UBSan build.  Ends with one line "N passed, N failed, N skipped".  A
# suite that is listed but was not built fails the run; a test that skips
# (Criterion [SKIP], a CLI "# SKIP") is counted as skipped, never as passed.
#
#   tests/run.sh BUILD [ASAN_BUILD]
#
# The suites are independent (each has its own temporary directory, database
# and server port), so XY_JOBS of them (default 2: the CI machine's cores; 3 measured no
# faster on a quiet machine, 1,214 s against 1,185, and loaded the timing-sensitive
# suites more) run
# at once, and the two browser suites beside them; each suite's lines are printed together
# when it ends.
# XY_ASAN_NINJA=1 (make test) builds ASAN_BUILD with ninja while the normal
# build's suites run; its suites wait for that build.  XY_TIMES=1 prints every
# suite's wall and CPU (user+sys) seconds at the end; XY_LABELS (a grep -E
# pattern of whole labels) lists only the jobs of those labels, e.g.
# XY_LABELS='http|pghttp' XY_TIMES=1 to time one group.  The suites' temporary
# directories are on /dev/shm when it is writable (SQLite's syncs cost no
# disk there); TMPDIR set by the caller wins.
set -u

# --- one job (run.sh --job N, started by the pool below): line N of
# $LOG/jobs; its lines go to $LOG/res/N.out, then "passed failed skipped" to
# N.count, "label/name wall cpu" to N.time, and N to $LOG/done (last: the
# printer waits for that)
unit_job() { # $1 build dir, $2 label, $3 unit name
	t="$1/tests/test_$3"
	name="$2/test_$3"
	if ! [ -f "$t" ] || ! [ -x "$t" ]; then
		echo "FAIL $name: not built (is Criterion installed? see scripts/deps.sh)"
		failed=$((failed + 1))
		return
	fi
	out="$LOG/test_$3.$2.log"
	"$t" --jobs 2 >"$out" 2>&1
	rc=$?
	line=$(grep 'Synthesis: Tested:' "$out" | tail -1)
	if [ -z "$line" ]; then
		echo "FAIL $name: no Criterion summary (exit $rc)"
		tail -20 "$out" | sed 's/^/    /'
		failed=$((failed + 1))
		return
	fi
	p=$(echo "$line" | sed 's/.*Passing: \([0-9]*\).*/\1/')
	f=$(echo "$line" | sed 's/.*Failing: \([0-9]*\).*/\1/')
	c=$(echo "$line" | sed 's/.*Crashing: \([0-9]*\).*/\1/')
	sk=$(grep -c '\[SKIP\]' "$out")
	p=$((p - sk < 0 ? 0 : p - sk))
	passed=$((passed + p))
	skipped=$((skipped + sk))
	failed=$((failed + f + c))
	# a leak in a test's worker process does not change Criterion's
	# summary or exit status: the sanitizer's report does
	if grep -q 'LeakSanitizer: detected' "$out"; then
		echo "FAIL $name: LeakSanitizer found leaks"
		grep -A8 '^Direct leak' "$out" | head -30 | sed 's/^/    /'
		failed=$((failed + 1))
		return
	fi
	if [ $((f + c)) -gt 0 ] || [ $rc -ne 0 ]; then
		echo "FAIL $name: $p passed, $f failed, $c crashed"
		grep -E '\[(FAIL|----)\]|ERROR|runtime error|Sanitizer' "$out" | head -30 | sed 's/^/    /'
		[ $((f + c)) -eq 0 ] && failed=$((failed + 1))
	else
		echo "ok   $name: $p passed"
	fi
}

fuzz_job() { # $1 build dir, $2 label, $3 target
	bin="$1/tests/fuzz/replay_$3"
	name="$2/replay_$3"
	out="$LOG/replay_$3.$2.log"
	if ! [ -x "$bin" ]; then
		echo "FAIL $name: not built"
		failed=$((failed + 1))
		return
	fi
	"$bin" "$ROOT/tests/fuzz/corpus/$3" "$ROOT/tests/fuzz/regressions/$3" >"$out" 2>&1
	rc=$?
	n=$(sed -n 's/^replayed \([0-9]*\) inputs$/\1/p' "$out")
	if [ $rc -ne 0 ] || [ -z "$n" ] || [ "$n" -eq 0 ]; then
		echo "FAIL $name: exit $rc, ${n:-no} inputs replayed"
		grep -E 'ERROR|runtime error|xy_fuzz:|SUMMARY' "$out" | head -10 | sed 's/^/    /'
		failed=$((failed + 1))
	else
		echo "ok   $name: $n inputs"
		passed=$((passed + 1))
	fi
}

# A TAP suite's result: $1 name, $2 its output, $3 its exit status; $4 a
# note for the ok line (optional)
tap_result() {
	sk=$(grep -c '^ok .*# SKIP' "$2")
	p=$(($(grep -c '^ok ' "$2") - sk))
	f=$(grep -c '^not ok ' "$2")
	passed=$((passed + p))
	skipped=$((skipped + sk))
	failed=$((failed + f))
	if [ "$f" -gt 0 ] || [ "$3" -ne 0 ] || [ "$p" -eq 0 ]; then
		echo "FAIL $1: $p passed, $f failed (exit $3)"
		grep -A12 '^not ok ' "$2" | head -60 | sed 's/^/    /'
		if [ "$f" -eq 0 ]; then
			tail -15 "$2" | sed 's/^/    /'
			failed=$((failed + 1))
		fi
	else
		echo "ok   $1: $p passed${4:+ ($4)}"
	fi
}

cli_job() { # $1 build dir, $2 label, $3 the script (tests/cli or tests/http)
	out="$LOG/$(basename "$3").$2.log"
	pg=
	case $2 in pgcli | pghttp) pg=$PG_CLUSTER ;; esac # tests/cli/lib.sh: a database of its own in it
	XINYONG="$ROOT/$1/xinyong" XY_BUILD="$ROOT/$1" XY_LABEL="$2" XY_PG_SOCKET="$pg" sh "$ROOT/$3" >"$out" 2>&1
	tap_result "$2/$(basename "$3" .sh)" "$out" $?
}

# The portal's browser tests (tests/e2e/run.sh: chromium + playwright-core),
# the normal build only; its "# " lines (page timings) go on the ok line.
e2e_job() { # $1 build dir, $2 label (pge2e: on a PostgreSQL database, as pgcli)
	out="$LOG/e2e.$2.log"
	pg=
	[ "$2" = pge2e ] && pg=$PG_CLUSTER
	XY_PG_SOCKET="$pg" "$ROOT/tests/e2e/run.sh" "$1" >"$out" 2>&1
	tap_result "$2/portal" "$out" $? "$(sed -n 's/^# //p' "$out" | tr '\n' ' ' | sed 's/ $//')"
}

# the CPU seconds come from the builtin `times` (its second line: the finished
# children's user and sys), written to a file: in a $(…) it would describe the
# subshell instead
cpu_of() { sed -n 2p "$1" | tr 'ms' '  ' | awk '{ printf "%.2f", $1 * 60 + $2 + $3 * 60 + $4 }'; }

run_job() { # $1 N
	read -r _ kind dir label what <<-EOF
	$(sed -n "${1}p" "$LOG/jobs")
	EOF
	case $label in
	asan-*)
		export ASAN_OPTIONS=detect_leaks=1:abort_on_error=0:exitcode=86
		export LSAN_OPTIONS=suppressions=$ROOT/tests/lsan.supp:print_suppressions=0
		export UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1:exitcode=87
		export XY_SANITIZED=1
		while ! [ -f "$LOG/asan-built" ]; do sleep 0.5; done
		;;
	esac
	passed=0 failed=0 skipped=0
	w0=$(date +%s.%N)
	times >"$LOG/res/$1.t0"
	case $kind in
	unit) unit_job "$dir" "$label" "$what" ;;
	fuzz) fuzz_job "$dir" "$label" "$what" ;;
	cli) cli_job "$dir" "$label" "$what" ;;
	e2e) e2e_job "$dir" "$label" ;;
	*) echo "FAIL $label: $what" && failed=1 ;;
	esac >"$LOG/res/$1.out" 2>&1
	times >"$LOG/res/$1.t1"
	w1=$(date +%s.%N)
	case $kind in
	unit) tn="$label/test_$what" ;; fuzz) tn="$label/replay_$what" ;; e2e) tn="$label/portal" ;;
	*) tn="$label/$(basename "$what" .sh)" ;;
	esac
	printf '%s\t%s\t%s\n' "$tn" "$(awk "BEGIN { print $w1 - $w0 }")" \
		"$(awk "BEGIN { print $(cpu_of "$LOG/res/$1.t1") - $(cpu_of "$LOG/res/$1.t0") }")" >"$LOG/res/$1.time"
	echo "$passed $failed $skipped" >"$LOG/res/$1.count"
	echo "$1" >>"$LOG/done"
}

if [ "${1:-}" = --job ]; then
	ROOT=$(cd "$(dirname "$0")/.." && pwd)
	cd "$ROOT" || exit 1
	run_job "$2"
	exit 0
fi
BUILD=${1:-build}
ASAN=${2:-}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
if [ -z "${TMPDIR:-}" ] && [ -d /dev/shm ] && [ -w /dev/shm ]; then
	TMPDIR=/dev/shm
	export TMPDIR
fi
LOG=$(mktemp -d)
export LOG
PG_CLUSTER=
PG_DIR=
trap 'kill $POOL 2>/dev/null; [ -n "$PG_CLUSTER" ] && scripts/pg-cluster.sh stop "$PG_CLUSTER"; rm -rf "$LOG" $PG_DIR' EXIT
trap 'exit 130' INT TERM
POOL=
cd "$ROOT" || exit 1
mkdir "$LOG/res"

# The CLI and HTTP suites run a second time on PostgreSQL (labels pgcli and pghttp, the
# normal build): one throw-away cluster for the whole run, each test a database of its own in it
# (tests/cli/lib.sh, XY_PG_SOCKET); docs/testing.md "On PostgreSQL".
# (its own directory: $LOG is the caller's only, and as root the cluster runs as nobody)
PG_DIR=$(mktemp -d)
if scripts/pg-cluster.sh start "$PG_DIR" >"$LOG/pg.out" 2>&1; then
	PG_CLUSTER=$PG_DIR
fi

# The unit suites tests/meson.build declares: each must exist once built.
UNIT_TESTS=$(sed -n '/^unit_tests = \[/,/\]/p' "$ROOT/tests/meson.build" | tr -c 'a-z_\n' ' ' |
	tr ' ' '\n' | grep -v -e '^$' -e '^unit$' -e '^tests$' -e '^unit_tests$')
# The fuzz harnesses tests/fuzz/meson.build declares: each replay program must
# exist and feed every input of its corpus and regressions once, cleanly.
FUZZ_TARGETS=$(sed -n 's/^fuzz_targets = \[\(.*\)\]/\1/p' "$ROOT/tests/fuzz/meson.build" | tr -c 'a-z_\n' ' ')

# The job list, one line each: N KIND BUILD-DIR LABEL WHAT.  A job's result is $LOG/res/N.out (its lines),
# N.count ("passed failed skipped") and N.time; the line "N" is appended to
# $LOG/done when they are written.
n=0
job() { # KIND BUILD-DIR LABEL WHAT
	[ -z "${XY_LABELS:-}" ] || echo "$3" | grep -Eqx -- "$XY_LABELS" || return 0
	n=$((n + 1)) && echo "$n $*" >>"$LOG/jobs"
}
list_jobs() { # $1 build dir, $2 label prefix ("" or "asan-")
	[ -n "$UNIT_TESTS" ] || job none "$1" "${2}unit" "no unit suites found in tests/meson.build"
	for u in $UNIT_TESTS; do job unit "$1" "${2}unit" "$u"; done
	[ -n "$FUZZ_TARGETS" ] || job none "$1" "${2}fuzz" "no fuzz targets found in tests/fuzz/meson.build"
	for t in $FUZZ_TARGETS; do job fuzz "$1" "${2}fuzz" "$t"; done
	for t in tests/cli/t[0-9]*.sh; do job cli "$1" "${2}cli" "$t"; done
	for t in tests/http/t[0-9]*.sh; do job cli "$1" "${2}http" "$t"; done
	[ -n "$2" ] || job e2e "$1" e2e portal # the normal build only
	if [ -z "$2" ] && [ -z "$PG_CLUSTER" ]; then
		for l in pgcli pghttp pge2e; do
			job none "$1" $l "the PostgreSQL cluster did not start: $(tail -3 "$LOG/pg.out" | tr '\n' ' ')"
		done
	elif [ -z "$2" ]; then
		for t in tests/cli/t[0-9]*.sh; do job cli "$1" pgcli "$t"; done
		# the server (and the test's CLI calls) on a database of its own in the same cluster
		for t in tests/http/t[0-9]*.sh; do job cli "$1" pghttp "$t"; done
		job e2e "$1" pge2e portal
	fi
	[ -n "$2" ] || job cli "$1" pg tests/pg/run.sh # PostgreSQL = SQLite (docs/postgresql.md)
	job cli "$1" "${2}pg" tests/pg/concurrency.sh # several processes on one PostgreSQL
	job cli "$1" "${2}pg" tests/pg/replica.sh # serve --read-db on a streaming replica
	job cli "$1" "${2}pg" tests/pg/partitions.sh # the check log by month
	job cli "$1" "${2}pg" tests/pg/keys.sh # the keys Citus needs (docs/SCALING.md "Citus")
	[ -n "$2" ] || job cli "$1" pg tests/pg/migrate.sh # a city copied SQLite → PostgreSQL
	[ -n "$2" ] || job cli "$1" pg tests/pg/shard.sh # records' partitions on two other servers (postgres_fdw)
}
: >"$LOG/jobs"
list_jobs "$BUILD" ""
[ -n "$ASAN" ] && list_jobs "$ASAN" asan-
total=$n

# The order the pool starts them: the slowest suites of each build first (so
# that two long ones do not end the run alone), the rest as listed.  The
# sanitizer build's jobs come after the normal build's: with XY_ASAN_NINJA=1
# it is being compiled meanwhile.
SLOW='e2e/portal pge2e/portal http/t0072-hostile http/t0071-oapi-check http/t0070-matrix pghttp/t0070-matrix cli/t0120-demo unit/test_demo
cli/t0100-stats cli/t0400-grade pgcli/t0120-demo pgcli/t0100-stats pgcli/t0400-grade pgcli/t0411-inspect-grades pgcli/t0060-kill-and-full http/t0040-stop pghttp/t0040-stop cli/t0060-kill-and-full http/t0060-public-auth
pghttp/t0060-public-auth pghttp/t0160-reports pghttp/t0072-hostile pghttp/t0140-admin pghttp/t0120-unit'
order() { # $1 label prefix
	for s in $SLOW; do
		awk -v l="$1${s%%/*}" -v w="${s#*/}" '$4 == l && ($5 == w || $5 ~ "/" w ".sh$" || "test_" $5 == w)' "$LOG/jobs"
	done >"$LOG/slow.$1"
	awk -v l="^$1" 'FILENAME == ARGV[1] { s[$1] = 1; next } !($1 in s) && $4 ~ l' \
		"$LOG/slow.$1" "$LOG/jobs" >"$LOG/rest.$1"
	cat "$LOG/slow.$1" "$LOG/rest.$1"
}
{
	order "" | grep -v ' asan-'
	[ -n "$ASAN" ] && order asan-
} >"$LOG/queue"

if [ -n "$ASAN" ] && [ "${XY_ASAN_NINJA:-0}" = 1 ]; then
	# the sanitizer build, beside the normal build's suites: its jobs wait
	(ninja -C "$ASAN" >"$LOG/asan-ninja.log" 2>&1; echo $? >"$LOG/asan-built") &
	ASAN_NINJA=$!
else
	echo 0 >"$LOG/asan-built"
fi
# the demo city some suites start from, made once per build and backend (tests/cli/lib.sh demo_city)
XY_FIXTURES=$LOG/fixtures
export ROOT BUILD ASAN PG_CLUSTER XY_FIXTURES
# The browser suites run beside the pool, not in its slots: each waits on its pages more
# than it computes (with the headless shell, ~0.6 of a core, the browser included), and in
# two of the pool's slots they left a core idle for their first three minutes.
awk '$2 == "e2e" { print $1 }' "$LOG/queue" | xargs -r -P 2 -n 1 sh "$ROOT/tests/run.sh" --job &
POOL=$!
awk '$2 != "e2e" { print $1 }' "$LOG/queue" | xargs -r -P "${XY_JOBS:-2}" -n 1 sh "$ROOT/tests/run.sh" --job &
POOL="$POOL $!"

# each suite's lines as it ends (the pool appends its number to $LOG/done)
passed=0 failed=0 skipped=0
printed=0
: >"$LOG/done"
while [ $printed -lt $total ]; do
	k=$(wc -l <"$LOG/done")
	if [ "$k" -eq $printed ]; then
		alive=
		for pid in $POOL; do kill -0 "$pid" 2>/dev/null && alive=1; done
		[ -n "$alive" ] || break
		sleep 0.2
		continue
	fi
	for j in $(sed -n "$((printed + 1)),${k}p" "$LOG/done"); do
		cat "$LOG/res/$j.out"
		read -r p f s <"$LOG/res/$j.count"
		passed=$((passed + p)) failed=$((failed + f)) skipped=$((skipped + s))
	done
	printed=$k
done
for j in $(seq "$total"); do
	[ -f "$LOG/res/$j.count" ] && continue
	echo "FAIL job $j ($(sed -n "${j}p" "$LOG/jobs")): the runner ended without its result"
	failed=$((failed + 1))
done
wait $POOL
POOL=
# every test on PostgreSQL drops the databases it made (tests/cli/lib.sh cleanup, which
# tests/http/lib.sh's and tests/e2e/run.sh's EXIT traps call too): one left is a FAIL
if [ -n "$PG_CLUSTER" ]; then
	left=$("${PG_BIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)}/psql" -X -At \
		-h "$PG_CLUSTER" -U xinyong -d postgres -c \
		"select string_agg(datname, ' ' order by datname) from pg_database where datname like 't\_%'" 2>&1)
	if [ -n "$left" ]; then
		echo "FAIL pg: databases left in the cluster by the tests that made them: $left"
		failed=$((failed + 1))
	fi
fi
if [ -n "${ASAN_NINJA:-}" ]; then
	wait "$ASAN_NINJA"
	if [ "$(cat "$LOG/asan-built")" != 0 ]; then
		echo "FAIL the sanitizer build ($ASAN):"
		tail -30 "$LOG/asan-ninja.log" | sed 's/^/    /'
		failed=$((failed + 1))
	fi
fi

if [ "${XY_TIMES:-0}" = 1 ]; then
	cat "$LOG"/res/*.time >"$LOG/times.tsv"
	echo "--- seconds per suite (wall, cpu = user+sys), slowest first"
	sort -t "$(printf '\t')" -k2,2 -rn "$LOG/times.tsv" | awk -F '\t' '{ printf "%8.1f %8.1f  %s\n", $2, $3, $1 }'
	echo "--- per group (wall of the suites summed: they overlap)"
	awk -F '\t' '{ split($1, a, "/"); w[a[1]] += $2; c[a[1]] += $3; tw += $2; tc += $3 }
		END { for (g in w) printf "%8.1f %8.1f  %s\n", w[g], c[g], g; printf "%8.1f %8.1f  total\n", tw, tc }' \
		"$LOG/times.tsv" | sort -rn
	# the shared cluster's server processes are nobody's child here: their CPU, read from
	# the postmaster (its own and its ended children's, in clock ticks), is not in the above
	pm=$(head -1 "$PG_CLUSTER/data/postmaster.pid" 2>/dev/null)
	if [ -n "$pm" ] && [ -r "/proc/$pm/stat" ]; then
		sed 's/.*) //' "/proc/$pm/stat" | awk -v hz="$(getconf CLK_TCK)" \
			'{ printf "%8s %8.1f  the PostgreSQL cluster of pgcli, pghttp, pge2e\n", "", ($12 + $13 + $14 + $15) / hz }'
	fi
fi
echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
