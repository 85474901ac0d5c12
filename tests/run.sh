#!/bin/sh
# Run every suite: the Criterion unit tests, the fuzz corpus replays
# (tests/fuzz/), the CLI tests and the HTTP tests (tests/http: shell + curl
# against a server of their own), first on the normal
# build, then on the ASan/UBSan build.  Ends with one line
# "N passed, N failed, N skipped".  A suite that is listed but was not built
# fails the run; a test that skips (Criterion [SKIP], a CLI "# SKIP") is
# counted as skipped, never as passed.
set -u
BUILD=${1:-build}
ASAN=${2:-}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
LOG=$(mktemp -d)
trap 'rm -rf "$LOG"' EXIT
passed=0
failed=0
skipped=0
# XY_TIMES=1: a table of every suite's wall and CPU (user+sys) seconds at the end
: >"$LOG/times.tsv"
# the CPU seconds come from the builtin `times` (its second line: the finished
# children's user and sys), written to a file: in a $(…) it would describe the
# subshell instead
cpu_of() { sed -n 2p "$1" | tr 'ms' '  ' | awk '{ printf "%.2f", $1 * 60 + $2 + $3 * 60 + $4 }'; }
timed() { # $1 name, then the command: runs it, adds a line to times.tsv
	tn=$1
	shift
	w0=$(date +%s.%N)
	times >"$LOG/.t0"
	"$@"
	trc=$?
	times >"$LOG/.t1"
	w1=$(date +%s.%N)
	printf '%s\t%s\t%s\n' "$tn" "$(awk "BEGIN { print $w1 - $w0 }")" \
		"$(awk "BEGIN { print $(cpu_of "$LOG/.t1") - $(cpu_of "$LOG/.t0") }")" >>"$LOG/times.tsv"
	return $trc
}
# The unit suites tests/meson.build declares: each must exist once built.
UNIT_TESTS=$(sed -n '/^unit_tests = \[/,/\]/p' "$ROOT/tests/meson.build" | tr -c 'a-z_\n' ' ' |
	tr ' ' '\n' | grep -v -e '^$' -e '^unit$' -e '^tests$' -e '^unit_tests$')

unit_suite() { # $1 build dir, $2 label
	[ -n "$UNIT_TESTS" ] || { echo "FAIL $2: no unit suites found in tests/meson.build"; failed=$((failed + 1)); }
	for u in $UNIT_TESTS; do
		t="$1/tests/test_$u"
		name="$2/test_$u"
		if ! [ -f "$t" ] || ! [ -x "$t" ]; then
			echo "FAIL $name: not built (is Criterion installed? see scripts/deps.sh)"
			failed=$((failed + 1))
			continue
		fi
		out="$LOG/$(basename "$t").$2.log"
		timed "$name" "$t" --jobs 2 >"$out" 2>&1
		rc=$?
		line=$(grep 'Synthesis: Tested:' "$out" | tail -1)
		if [ -z "$line" ]; then
			echo "FAIL $name: no Criterion summary (exit $rc)"
			tail -20 "$out" | sed 's/^/    /'
			failed=$((failed + 1))
			continue
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
			continue
		fi
		if [ $((f + c)) -gt 0 ] || [ $rc -ne 0 ]; then
			echo "FAIL $name: $p passed, $f failed, $c crashed"
			grep -E '\[(FAIL|----)\]|ERROR|runtime error|Sanitizer' "$out" | head -30 | sed 's/^/    /'
			[ $((f + c)) -eq 0 ] && failed=$((failed + 1))
		else
			echo "ok   $name: $p passed"
		fi
	done
}

# The fuzz harnesses tests/fuzz/meson.build declares: each replay program must
# exist and feed every input of its corpus and regressions once, cleanly.
FUZZ_TARGETS=$(sed -n 's/^fuzz_targets = \[\(.*\)\]/\1/p' "$ROOT/tests/fuzz/meson.build" | tr -c 'a-z_\n' ' ')

fuzz_suite() { # $1 build dir, $2 label
	[ -n "$FUZZ_TARGETS" ] || { echo "FAIL $2: no fuzz targets found in tests/fuzz/meson.build"; failed=$((failed + 1)); }
	for t in $FUZZ_TARGETS; do
		bin="$1/tests/fuzz/replay_$t"
		name="$2/replay_$t"
		out="$LOG/replay_$t.$2.log"
		if ! [ -x "$bin" ]; then
			echo "FAIL $name: not built"
			failed=$((failed + 1))
			continue
		fi
		timed "$name" "$bin" "$ROOT/tests/fuzz/corpus/$t" "$ROOT/tests/fuzz/regressions/$t" >"$out" 2>&1
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
	done
}

cli_suite() { # $1 build dir, $2 label, $3 directory under tests/ (default cli)
	for t in "$ROOT"/tests/"${3:-cli}"/t[0-9]*.sh; do
		name="$2/$(basename "$t" .sh)"
		out="$LOG/$(basename "$t").$2.log"
		XINYONG="$ROOT/$1/xinyong" XY_BUILD="$ROOT/$1" XY_LABEL="$2" timed "$name" sh "$t" >"$out" 2>&1
		rc=$?
		sk=$(grep -c '^ok .*# SKIP' "$out")
		p=$(($(grep -c '^ok ' "$out") - sk))
		f=$(grep -c '^not ok ' "$out")
		passed=$((passed + p))
		skipped=$((skipped + sk))
		failed=$((failed + f))
		if [ "$f" -gt 0 ] || [ $rc -ne 0 ] || [ "$p" -eq 0 ]; then
			echo "FAIL $name: $p passed, $f failed (exit $rc)"
			grep -A12 '^not ok ' "$out" | head -60 | sed 's/^/    /'
			if [ "$f" -eq 0 ]; then
				tail -15 "$out" | sed 's/^/    /'
				failed=$((failed + 1))
			fi
		else
			echo "ok   $name: $p passed"
		fi
	done
}

cd "$ROOT" || exit 1
unit_suite "$BUILD" unit
fuzz_suite "$BUILD" fuzz
cli_suite "$BUILD" cli
cli_suite "$BUILD" http http
if [ -n "$ASAN" ]; then
	export ASAN_OPTIONS=detect_leaks=1:abort_on_error=0:exitcode=86
	export LSAN_OPTIONS=suppressions=$ROOT/tests/lsan.supp:print_suppressions=0
	export UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1:exitcode=87
	export XY_SANITIZED=1
	unit_suite "$ASAN" asan-unit
	fuzz_suite "$ASAN" asan-fuzz
	cli_suite "$ASAN" asan-cli
	cli_suite "$ASAN" asan-http http
fi
if [ "${XY_TIMES:-0}" = 1 ]; then
	echo "--- seconds per suite (wall, cpu = user+sys), slowest first"
	sort -t "$(printf '\t')" -k2,2 -rn "$LOG/times.tsv" | awk -F '\t' '{ printf "%8.1f %8.1f  %s\n", $2, $3, $1 }'
	echo "--- per group"
	awk -F '\t' '{ split($1, a, "/"); w[a[1]] += $2; c[a[1]] += $3; tw += $2; tc += $3 }
		END { for (g in w) printf "%8.1f %8.1f  %s\n", w[g], c[g], g; printf "%8.1f %8.1f  total\n", tw, tc }' \
		"$LOG/times.tsv" | sort -rn
fi
echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
