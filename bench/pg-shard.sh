#!/bin/sh
# The postgres_fdw-sharded layout against a single PostgreSQL server (issue 11;
# docs/postgresql.md, "Partitions and shards"): the same generated file
# imported through a coordinator whose records' partitions live on two other
# servers (scripts/pg-shard.sh), and into a single database, then again
# (unchanged), then profile lookups by a CLI loop of `xinyong show`.  All
# three servers run on this machine: the figures show what the extra hops
# cost, not what more machines would add.
#
#   bench/pg-shard.sh           ROWS rows (default 200000), LOOKUPS shows (default 300)
#
# Environment: ROWS, LOOKUPS, SEED (1), BUILD (build), TMPDIR, PG_DURABLE (0:
# scripts/pg-cluster.sh's test settings, fsync off, on all three servers).
set -eu
ROWS=${ROWS:-200000}
LOOKUPS=${LOOKUPS:-300}
SEED=${SEED:-1}
BUILD=${BUILD:-build}
XINYONG=$(cd "$BUILD" && pwd)/xinyong
GEN=$(cd "$BUILD" && pwd)/bench/xy-gen
ROOT=$(cd "$(dirname "$0")/.." && pwd)
die() {
	echo "bench/pg-shard.sh: $*" >&2
	exit 1
}
[ -x "$XINYONG" ] && [ -x "$GEN" ] || die "build first (make build)"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/xy-pgshard.XXXXXX") || die "no temporary directory"
chmod 755 "$tmp"
mkdir "$tmp/pg" "$tmp/s1" "$tmp/s2"
stop() {
	for c in s1 s2 pg; do "$ROOT/scripts/pg-cluster.sh" stop "$tmp/$c" >/dev/null 2>&1 || true; done
	rm -rf "$tmp"
}
trap stop EXIT
trap 'exit 130' INT TERM
port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
p1=$(port) p2=$(port)
COORD=$("$ROOT/scripts/pg-cluster.sh" start "$tmp/pg") || die "cannot start the coordinator"
S1=$("$ROOT/scripts/pg-cluster.sh" start-shard "$tmp/s1" "$p1") || die "cannot start shard 1"
S2=$("$ROOT/scripts/pg-cluster.sh" start-shard "$tmp/s2" "$p2") || die "cannot start shard 2"
ONE="${COORD%/*}/single"
psql "$COORD" -qAtc "create database single"
export XINYONG_KEY_FILE="$tmp/pii.key"
cd "$tmp"
"$XINYONG" init --db "$COORD" >/dev/null && "$XINYONG" init --db "$ONE" >/dev/null || die "init failed"
"$ROOT/scripts/pg-shard.sh" "$COORD" "$S1" "$S2" >/dev/null || die "pg-shard.sh failed"
csv=$tmp/bench.csv
"$GEN" --rows "$ROWS" --seed "$SEED" -o "$csv" || die "xy-gen failed"

measure() { # LABEL CMD…: SECS
	t0=$(date +%s.%N)
	"$@" >"$tmp/out" 2>"$tmp/err" || { cat "$tmp/err" >&2; die "$1 failed"; }
	t1=$(date +%s.%N)
	SECS=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.2f", b - a }')
}
rate() { awk -v n="$1" -v s="$2" 'BEGIN { printf "%.0f", (s > 0 ? n / s : 0) }'; }
imp() { # DB FIELD
	measure "$XINYONG" import --db "$1" --reports "$tmp/reports" --unit 市场监管局 \
		--category 行政处罚 --format json "$csv"
	got=$(sed -n 's/.*"'"$2"'":\([0-9]*\).*/\1/p' "$tmp/out")
	[ "$got" = "$ROWS" ] || die "import into $1: expected $ROWS $2, got '${got:-?}'"
}
# LOOKUPS subject codes from the file, spread over it
awk -F, 'NR > 1 && $3 != "" { print $3 }' "$csv" | sort -u |
	awk -v n="$LOOKUPS" '{ a[NR] = $0 } END { s = NR / n; for (i = 0; i < n; i++) print a[int(i * s) + 1] }' \
	>"$tmp/codes"
shows() { # DB
	while read -r c; do "$XINYONG" show "$c" --db "$1" >/dev/null || exit 1; done <"$tmp/codes"
}

echo "machine: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg);" \
	"$(psql "$COORD" -Atc 'SHOW server_version' | cut -d' ' -f1) (fsync $(psql "$COORD" -Atc 'SHOW fsync'));" \
	"$(date -u '+%Y-%m-%d %H:%M UTC'); $ROWS rows (xy-gen --seed $SEED), $LOOKUPS lookups"
printf '%-52s %8s %8s\n' "" seconds "per s"
for db in single sharded; do
	[ $db = single ] && u=$ONE || u=$COORD
	imp "$u" new
	printf '%-52s %8s %8s\n' "import, $db, fresh (rows)" "$SECS" "$(rate "$ROWS" "$SECS")"
	imp "$u" unchanged
	printf '%-52s %8s %8s\n' "import, $db, same file again (rows)" "$SECS" "$(rate "$ROWS" "$SECS")"
	measure shows "$u"
	printf '%-52s %8s %8s\n' "xinyong show loop, $db (lookups)" "$SECS" "$(rate "$LOOKUPS" "$SECS")"
done
n1=$(psql "$S1" -Atc "select sum(n) from (select count(*) n from records_h0 union all select count(*)
	from records_h2 union all select count(*) from records_h4 union all select count(*) from records_h6) x")
n2=$(psql "$S2" -Atc "select sum(n) from (select count(*) n from records_h1 union all select count(*)
	from records_h3 union all select count(*) from records_h5 union all select count(*) from records_h7) x")
echo "rows on shard 1: $n1, on shard 2: $n2"
