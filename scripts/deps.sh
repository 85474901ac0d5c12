#!/bin/sh
# Install the Debian packages xinyong needs to build, run and test.
# Idempotent: when everything is present it only checks and prints nothing.
# chromium-headless-shell and nodejs run the portal's browser tests (tests/e2e:
# playwright-core drives Debian's build of Chromium's headless shell; npm installs the
# pinned packages, never a browser).
# `scripts/deps.sh --fuzz` also installs what only `make fuzz` needs (clang
# and its libFuzzer/sanitizer runtimes); `make test` never needs them.
set -eu

PACKAGES="gcc make pkg-config meson ninja-build
libsqlite3-dev sqlite3 libzip-dev zlib1g-dev libxml2-dev libjansson-dev libcsv-dev
libxlsxwriter-dev libfreexl-dev libsodium-dev libcriterion-dev libcairo2-dev libpango1.0-dev
fonts-noto-cjk poppler-utils libreoffice-calc-nogui jq gojq zip unzip time
libmicrohttpd-dev curl python3-jsonschema python3-yaml
chromium-headless-shell nodejs postgresql libpq-dev"
FUZZ_PACKAGES="clang libclang-rt-14-dev"
[ "${1:-}" = --fuzz ] && PACKAGES="$PACKAGES $FUZZ_PACKAGES"

missing=""
for p in $PACKAGES; do
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
		missing="$missing $p"
	fi
done
[ -z "$missing" ] && exit 0

echo "deps: installing$missing" >&2
if [ "$(id -u)" != 0 ]; then
	SUDO=sudo
else
	SUDO=
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
# shellcheck disable=SC2086
$SUDO apt-get install -y -qq --no-install-recommends $missing >/dev/null
