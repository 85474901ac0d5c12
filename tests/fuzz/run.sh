#!/bin/sh
# Fuzz each harness with libFuzzer for FUZZ_SECONDS (default 60) seconds:
#   tests/fuzz/run.sh BUILD_DIR [TARGET...]     (what `make fuzz` runs)
# BUILD_DIR is a clang build with -Dfuzzing=true (see the Makefile).  Seeds
# come from tests/fuzz/corpus/<t>/ and tests/fuzz/regressions/<t>/ (read only);
# inputs libFuzzer finds go to BUILD_DIR/fuzz/corpus/<t>/, crashes, leaks and
# hangs to BUILD_DIR/fuzz/artifacts/<t>/.  One process per target, one after
# the other, niced: the machine is shared.  Exits non-zero if any target found
# something; copy each finding to tests/fuzz/regressions/<t>/ with its fix.
set -u
BUILD=${1:?usage: tests/fuzz/run.sh BUILD_DIR [TARGET...]}
shift
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
SECONDS_EACH=${FUZZ_SECONDS:-60}
TARGETS=${*:-csv json xlsx xls ods import}
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-halt_on_error=1:print_stacktrace=1}
export XY_SANITIZED=1
found=""
for t in $TARGETS; do
	bin=$BUILD/tests/fuzz/fuzz_$t
	[ -x "$bin" ] || { echo "fuzz: $bin not built" >&2; exit 2; }
	work=$BUILD/fuzz/corpus/$t
	art=$BUILD/fuzz/artifacts/$t
	mkdir -p "$work" "$art" "$ROOT/tests/fuzz/regressions/$t"
	dict=""
	[ -f "$ROOT/tests/fuzz/$t.dict" ] && dict="-dict=$ROOT/tests/fuzz/$t.dict"
	echo "fuzz: $t for ${SECONDS_EACH}s"
	# shellcheck disable=SC2086
	nice -n 10 "$bin" -max_total_time="$SECONDS_EACH" -timeout=10 -rss_limit_mb=2048 \
		-print_final_stats=1 -artifact_prefix="$art/" $dict \
		"$work" "$ROOT/tests/fuzz/corpus/$t" "$ROOT/tests/fuzz/regressions/$t" \
		>"$BUILD/fuzz/$t.log" 2>&1
	rc=$?
	grep -E '^(stat::number_of_executed_units|stat::new_units_added|stat::peak_rss_mb)' \
		"$BUILD/fuzz/$t.log" | sed "s/^/fuzz: $t: /"
	if [ $rc -ne 0 ]; then
		echo "fuzz: $t FOUND something (exit $rc), see $BUILD/fuzz/$t.log:"
		grep -E 'ERROR|runtime error|xy_fuzz:|Test unit written' "$BUILD/fuzz/$t.log" |
			head -5 | sed 's/^/    /'
		found="$found $t"
	fi
done
if [ -n "$found" ]; then
	echo "fuzz: findings in:$found"
	exit 1
fi
echo "fuzz: nothing found in: $TARGETS"
