#!/bin/sh
# The portal's browser tests (docs/portal.md): playwright-core drives Debian's
# chromium (no browser download) against `xinyong serve` on a free loopback
# port with a demo database of one unit (市场监管局: 行政许可, 行政处罚, 红/黑名单)
# and the sample city index, its clock at XINYONG_TODAY (the demo is 2019), and
# one staff user of each kind (password E2E_PASSWORD): e2e-unit (市场监管局's
# operator), e2e-unit2 (市审批局's), e2e-admin, e2e-audit.  Runs every
# tests/e2e/*.test.mjs against that server, one after the other.
# Prints TAP lines (`ok N - name`, `not ok N - name` + `#   detail`), as the
# CLI tests do; tests/run.sh counts them.
#   tests/e2e/run.sh [BUILD]        (default build)
#   E2E_ONLY=unit tests/e2e/run.sh  (only tests/e2e/unit.test.mjs)
# Screenshots go to BUILD/e2e-artifacts/; E2E_SCREENSHOTS=DIR copies the
# README's into DIR too (docs/screenshots).
set -u
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
BUILD=${1:-build}
case $BUILD in /*) ;; *) BUILD="$ROOT/$BUILD" ;; esac
E2E="$ROOT/tests/e2e"
XINYONG=${XINYONG:-$BUILD/xinyong}
# Chromium's headless shell (Debian's chromium-headless-shell, the "old" headless mode that
# playwright itself runs headless in): the same Blink, without the full browser's UI, which
# `chromium --headless` still runs hidden (its WebUI renderers): the suite's CPU 243 -> 123 s
CHROMIUM=${CHROMIUM:-/usr/bin/chromium-headless-shell}
# T and XINYONG_DB ($T/var/xinyong.db) from the CLI tests' setup: with XY_PG_SOCKET (a
# cluster's socket directory, tests/run.sh's pge2e job) a PostgreSQL database of the run's
# own in that cluster, dropped at exit, the run in $T/var (docs/testing.md "On PostgreSQL")
today=${XINYONG_TODAY:-2019-11-15}
. "$ROOT/tests/cli/lib.sh"
export XINYONG_TODAY="$today"
SRV_PID=
trap 'test -n "$SRV_PID" && kill "$SRV_PID" 2>/dev/null && wait "$SRV_PID"; cleanup' EXIT

bail() { echo "not ok 1 - $1"; shift; for l in "$@"; do printf '#   %s\n' "$l"; done; exit 1; }
[ -x "$XINYONG" ] || bail "no $XINYONG (build first)"
command -v node >/dev/null || bail "node is missing (scripts/deps.sh)"
[ -x "$CHROMIUM" ] || bail "$CHROMIUM is missing (scripts/deps.sh installs Debian's chromium-headless-shell)"
if ! [ -f "$E2E/node_modules/playwright-core/package.json" ] ||
	! [ -f "$E2E/node_modules/axe-core/axe.min.js" ]; then
	(cd "$E2E" && npm ci --no-audit --no-fund --ignore-scripts >"$T/npm.log" 2>&1) ||
		bail "npm ci in tests/e2e failed" "$(tail -5 "$T/npm.log")"
fi

# the demo database: one unit's cells (a few seconds), the sample city index
mkdir -p "$T/var"
"$XINYONG" demo --only-unit 市场监管局 >"$T/demo.log" 2>&1 ||
	bail "xinyong demo failed" "$(tail -5 "$T/demo.log")"
"$XINYONG" index import "$ROOT/data/samples/city-index-2019.tsv" >>"$T/demo.log" 2>&1 ||
	bail "xinyong index import failed" "$(tail -5 "$T/demo.log")"

# the staff users of the staff pages' tests
export E2E_PASSWORD=e2e-password-1234
printf '%s\n' "$E2E_PASSWORD" >"$T/password"
for u in "e2e-unit --role unit --unit 市场监管局" "e2e-unit2 --role unit --unit 市审批局" \
	"e2e-admin --role admin" "e2e-audit --role auditor"; do
	# shellcheck disable=SC2086
	"$XINYONG" user add $u --password-file "$T/password" >>"$T/demo.log" 2>&1 ||
		bail "xinyong user add $u failed" "$(tail -5 "$T/demo.log")"
done

"$XINYONG" serve --listen 127.0.0.1:0 --spool "$T/spool" --access-log "$T/access.log" \
	--error-log "$T/error.log" --web "$ROOT/web" >"$T/serve.out" 2>>"$T/error.log" &
SRV_PID=$!
i=0
BASE=
while [ $i -lt 300 ]; do
	BASE=$(sed -n 's|.*listening on \(http://[^/]*\)/.*|\1|p' "$T/serve.out")
	[ -n "$BASE" ] && break
	kill -0 "$SRV_PID" 2>/dev/null || break
	sleep 0.1
	i=$((i + 1))
done
[ -n "$BASE" ] || bail "the server did not start" "$(tail -5 "$T/error.log")"

mkdir -p "$BUILD/e2e-artifacts"
rc=0
for f in "$E2E"/${E2E_ONLY:-*}.test.mjs; do
	BASE=$BASE ARTIFACTS="$BUILD/e2e-artifacts" CHROMIUM="$CHROMIUM" XINYONG="$XINYONG" \
		ROOT="$ROOT" node "$f" || rc=1
done

kill "$SRV_PID" 2>/dev/null
wait "$SRV_PID"
src=$?
SRV_PID=
if [ "$src" -ne 0 ]; then
	echo "not ok - the server stopped with $src"
	tail -15 "$T/error.log" | sed 's/^/#   /'
	rc=1
fi
if [ -n "${E2E_SCREENSHOTS:-}" ]; then
	mkdir -p "$E2E_SCREENSHOTS"
	cp "$BUILD"/e2e-artifacts/*.png "$E2E_SCREENSHOTS"/
fi
exit $rc
