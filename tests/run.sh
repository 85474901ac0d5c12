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
		"$t" --jobs 2 >"$out" 2>&1
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
		"$bin" "$ROOT/tests/fuzz/corpus/$t" "$ROOT/tests/fuzz/regressions/$t" >"$out" 2>&1
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
		XINYONG="$ROOT/$1/xinyong" XY_BUILD="$ROOT/$1" XY_LABEL="$2" sh "$t" >"$out" 2>&1
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
# ---- the portal's browser tests (tests/e2e/run.sh: chromium + playwright-core),
# the normal build only: their TAP lines counted like a CLI suite's ----
e2e_out="$LOG/e2e.log"
"$ROOT/tests/e2e/run.sh" "$BUILD" >"$e2e_out" 2>&1
e2e_rc=$?
e2e_p=$(grep -c '^ok ' "$e2e_out")
e2e_f=$(grep -c '^not ok ' "$e2e_out")
passed=$((passed + e2e_p))
failed=$((failed + e2e_f))
if [ "$e2e_f" -gt 0 ] || [ $e2e_rc -ne 0 ] || [ "$e2e_p" -eq 0 ]; then
	echo "FAIL e2e/portal: $e2e_p passed, $e2e_f failed (exit $e2e_rc)"
	grep -A12 '^not ok ' "$e2e_out" | head -60 | sed 's/^/    /'
	[ "$e2e_f" -eq 0 ] && { tail -15 "$e2e_out" | sed 's/^/    /'; failed=$((failed + 1)); }
else
	echo "ok   e2e/portal: $e2e_p passed ($(sed -n "s/^# //p" "$e2e_out" | tr "\n" " "))"
fi
# ---- end of the browser tests ----
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
echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
