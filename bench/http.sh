#!/bin/sh
# HTTP benchmark (issue 9): `xinyong serve` against nginx serving a static file
# of the same size as the profile response, in the same run, with wrk.
#
#   bench/http.sh        SUBJECTS=1000000 DURATION=10 CONNECTIONS=64 THREADS=2
#   BACKEND=postgresql bench/http.sh     the same on PostgreSQL (issue 11)
#
# The database: the demo (xinyong demo) grown with SUBJECTS generated subjects
# (xy-gen, one 行政处罚 record each): a SQLite file (BACKEND=sqlite, the
# default), or (BACKEND=postgresql) the database of a throw-away cluster this
# script starts in its temporary directory with scripts/pg-cluster.sh and
# PG_DURABLE=1 (fsync, synchronous_commit and full_page_writes on, as
# bench/pg-import.sh and a real install have them), stopped at exit, also on
# failure or interrupt; its key file is XINYONG_KEY_FILE in the same
# directory, and the database is given VACUUM (ANALYZE) once built, as
# autovacuum would a minute later.  Then, for each of
#   (a) the public profile of a USCC          GET /api/v1/subjects/{code}
#   (b) a name search of 2 characters          GET /api/v1/subjects?q=XX
#   (c) a single 联合奖惩 check (unit token)   POST /api/v1/checks
# wrk runs DURATION seconds with THREADS threads and CONNECTIONS connections
# (the server's per-address rate limit off: wrk is one address),
# and nginx serves a static file of the same size as the response just before.
# Targets: (a) >= 0.8x nginx's requests/s and p99 < 10 ms, (b) and (c) >= 0.5x;
# no errors.  Then an upload of UPLOAD_ROWS rows (about 100 MB of CSV) through
# the API against the CLI import of the same file into a copy of the same
# database (a copy of the file, or on PostgreSQL `createdb -T`, a database
# made from this one as its template; the key file copied with it):
# >= 0.8x its rows/s, with the server's peak RSS reported.
#
# Environment: BACKEND (sqlite or postgresql), SUBJECTS, DURATION, CONNECTIONS, THREADS,
# UPLOAD_ROWS (160000), PROFILES (SUBJECTS), SEED (1), BUILD (build), KEEP (keep the
# temporary directory; a cluster in it is stopped all the same), TMPDIR, PG_BIN (the
# PostgreSQL server's binaries: /usr/lib/postgresql/N/bin, the newest N).  Needs
# the Debian packages nginx-light (or nginx) and wrk: installed when missing; and for
# PostgreSQL the postgresql package (scripts/deps.sh).
# Exits non-zero only when the benchmark cannot run; missed targets are
# reported, not failed.
set -eu

BACKEND=${BACKEND:-sqlite}
SUBJECTS=${SUBJECTS:-1000000}
DURATION=${DURATION:-10}
CONNECTIONS=${CONNECTIONS:-64}
THREADS=${THREADS:-2}
UPLOAD_ROWS=${UPLOAD_ROWS:-160000}
SEED=${SEED:-1}
BUILD=${BUILD:-build}
XINYONG=$BUILD/xinyong
GEN=$BUILD/bench/xy-gen
ROOT=$(cd "$(dirname "$0")/.." && pwd)

die() {
	echo "bench/http.sh: $*" >&2
	exit 1
}

[ -x "$XINYONG" ] || die "$XINYONG not built (run make build)"
[ -x "$GEN" ] || die "$GEN not built (run make build)"
# the server runs in the temporary directory (below): the binary by its whole path
case $XINYONG in /*) ;; *) XINYONG=$(pwd)/$XINYONG ;; esac
case $BACKEND in
sqlite) ;;
postgresql)
	[ -n "${PG_BIN:-}" ] || PG_BIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
	if [ -z "$PG_BIN" ] || [ ! -x "$PG_BIN/createdb" ]; then
		die "no PostgreSQL server found (scripts/deps.sh installs postgresql)"
	fi
	export PG_BIN # scripts/pg-cluster.sh starts the same one
	;;
*) die "BACKEND is sqlite or postgresql, not '$BACKEND'" ;;
esac
need=""
command -v wrk >/dev/null 2>&1 || need="$need wrk"
[ -x /usr/sbin/nginx ] || need="$need nginx-light"
command -v curl >/dev/null 2>&1 || need="$need curl"
if [ -n "$need" ]; then
	echo "bench/http.sh: installing$need" >&2
	SUDO=
	[ "$(id -u)" = 0 ] || SUDO=sudo
	# shellcheck disable=SC2086
	DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends $need \
		>/dev/null || die "cannot install$need"
	# the package starts a system nginx on port 80: not ours, stop it
	$SUDO systemctl stop nginx >/dev/null 2>&1 || $SUDO service nginx stop >/dev/null 2>&1 || true
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/xy-http.XXXXXX") || die "cannot create a temporary directory"
srv_pid= ngx_started=
cleanup() {
	[ -n "$srv_pid" ] && kill "$srv_pid" 2>/dev/null && wait "$srv_pid" 2>/dev/null
	[ -n "$ngx_started" ] && /usr/sbin/nginx -p "$tmp/nginx" -c "$tmp/nginx/nginx.conf" -s stop \
		2>/dev/null
	# the cluster, once initdb has made it (a start that failed half way included)
	[ -d "$tmp/pg/data" ] && "$ROOT/scripts/pg-cluster.sh" stop "$tmp/pg" >/dev/null 2>&1
	if [ -n "${KEEP:-}" ]; then echo "keeping $tmp" >&2; else rm -rf "$tmp"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM
export XINYONG_TODAY=2026-11-26
if [ "$BACKEND" = postgresql ]; then
	# as root the cluster runs as nobody (scripts/pg-cluster.sh), who must reach $tmp/pg
	chmod 755 "$tmp"
	mkdir "$tmp/pg"
	db=$(PG_DURABLE=1 "$ROOT/scripts/pg-cluster.sh" start "$tmp/pg") ||
		die "cannot start a PostgreSQL cluster"
	# no database file to keep <db>.key beside: a named key file (docs/postgresql.md)
	export XINYONG_KEY_FILE="$tmp/xy.key"
	pg_sql() { "$PG_BIN/psql" -X "$db" -Atc "$1"; }
	backend="postgresql (PostgreSQL $(pg_sql 'SHOW server_version' | cut -d' ' -f1), fsync $(pg_sql 'SHOW fsync'),"
	backend="$backend synchronous_commit $(pg_sql 'SHOW synchronous_commit'), a throw-away cluster)"
else
	db=$tmp/xy.db
	backend="sqlite (a file)"
fi

free_port() {
	# a port nobody listens on (the kernel picks one for a throw-away socket)
	python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])' \
		2>/dev/null || echo $((20000 + $$ % 20000))
}

echo "machine: $(nproc) cores, $(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)," \
	"$(awk '/^MemTotal/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo) RAM;" \
	"$(/usr/sbin/nginx -v 2>&1 | sed 's/.*: //'); $(wrk -v 2>&1 | head -1 | cut -d' ' -f1-2);" \
	"$(date -u '+%Y-%m-%d %H:%M UTC')"
echo "backend: $backend; load $(cut -d' ' -f1-3 /proc/loadavg)"

# ---- the database -------------------------------------------------------------
"$XINYONG" demo --db "$db" --work-dir "$tmp/demo" >/dev/null || die "xinyong demo failed"
"$GEN" --rows "$SUBJECTS" --subjects "$SUBJECTS" --seed "$SEED" -o "$tmp/subjects.csv" ||
	die "xy-gen failed"
"$XINYONG" import --db "$db" --reports "$tmp/reports" --unit 市场监管局 --category 行政处罚 \
	--reported-on 2026-10 "$tmp/subjects.csv" >/dev/null || die "growing the database failed"
# a USCC of the middle of the file, and the first two characters of a name
line=$(sed -n "$((SUBJECTS / 2 + 1))p" "$tmp/subjects.csv")
uscc=$(echo "$line" | awk -F, '{ print $3 }')
q2=$(echo "$line" | awk -F, '{ print $1 }' | cut -c1-6) # 2 CJK characters (UTF-8)
[ -n "$uscc" ] || die "no USCC in the generated file"
# a unit operator's bearer token (printed once on stdout)
token=$("$XINYONG" token create --db "$db" --unit 市场监管局 --role unit --expires 1d \
	--label bench 2>/dev/null) || token=""

# PostgreSQL: what autovacuum does within a minute of a bulk load, done now so
# that every run measures that state, not a race with it.  Without statistics
# the planner costed the profile's records query as a parallel plan: 13 ms a
# profile, nearly all of it starting the worker, against 0.3 ms analysed
# (20,000 subjects); and a CHECKPOINT, so no write-back of the build, the
# VACUUM or the copy below runs during the measurements
if [ "$BACKEND" = postgresql ]; then
	pg_sql 'VACUUM (ANALYZE)' >/dev/null || die "VACUUM (ANALYZE) failed"
fi

# the CLI's side of the upload comparison imports into a copy of this same
# database (made now, while nobody has it open), not into a fresh file: the
# same b-trees to grow, the same rows to update; and its key file (personal
# ID numbers are encrypted at rest: docs/security.md)
if [ "$BACKEND" = postgresql ]; then
	# CREATE DATABASE … TEMPLATE copies the files (it waits up to 5 s for the
	# template's last connection to end); the key file is named, so it goes
	# with the copy by --key-file
	"$PG_BIN/createdb" -h "$tmp/pg" -U xinyong -T xinyong xinyong_cli ||
		die "cannot copy the database (createdb -T)"
	cli_db=${db%/*}/xinyong_cli
	cp -p "$XINYONG_KEY_FILE" "$tmp/cli.key" || die "cannot copy the key file"
	pg_sql CHECKPOINT >/dev/null || die "CHECKPOINT failed"
else
	cli_db=$tmp/cli.db
	cp "$db" "$cli_db" || die "cannot copy the database"
	if [ -f "$db.key" ]; then cp -p "$db.key" "$cli_db.key" || die "cannot copy the key file"; fi
fi

# ---- the servers ---------------------------------------------------------------
port=$(free_port)
# in $tmp: the files kept beside a postgresql:// database (spool/, reports/,
# attachments/) go to the current directory (docs/postgresql.md)
(cd "$tmp" && exec "$XINYONG" serve --db "$db" --listen "127.0.0.1:$port" --access-log none \
	--rate 0 --per-ip 1000 --workers 2) \
	>"$tmp/serve.out" 2>"$tmp/serve.err" &
srv_pid=$!
i=0
until curl -fs "http://127.0.0.1:$port/healthz" >/dev/null 2>&1; do
	i=$((i + 1))
	[ $i -lt 100 ] || { cat "$tmp/serve.err" >&2; die "xinyong serve did not start"; }
	sleep 0.1
done
nport=$(free_port)
mkdir -p "$tmp/nginx/www" "$tmp/nginx/logs"
cat >"$tmp/nginx/nginx.conf" <<EOF
worker_processes 2;
pid $tmp/nginx/nginx.pid;
error_log $tmp/nginx/logs/error.log;
events { worker_connections 1024; }
http {
	access_log off;
	default_type application/json;
	keepalive_requests 100000;
	server {
		listen 127.0.0.1:$nport;
		root $tmp/nginx/www;
	}
}
EOF
/usr/sbin/nginx -p "$tmp/nginx" -c "$tmp/nginx/nginx.conf" || die "nginx did not start"
ngx_started=1

# wrk_run URL [SCRIPT]: sets RPS, P99 (ms), ERRS
wrk_run() {
	if [ -n "${2:-}" ]; then
		wrk -t"$THREADS" -c"$CONNECTIONS" -d"${DURATION}s" --latency -s "$2" "$1" >"$tmp/wrk" 2>&1
	else
		wrk -t"$THREADS" -c"$CONNECTIONS" -d"${DURATION}s" --latency "$1" >"$tmp/wrk" 2>&1
	fi || { cat "$tmp/wrk" >&2; die "wrk failed on $1"; }
	RPS=$(awk '/^Requests\/sec/ { printf "%.0f", $2 }' "$tmp/wrk")
	P99=$(awk '$1 == "99%" { v = $2; u = v; sub(/[0-9.]+/, "", u); sub(/[a-z]+$/, "", v);
		printf "%.2f", (u == "us" ? v / 1000 : u == "s" ? v * 1000 : v) }' "$tmp/wrk")
	ERRS=$(awk '/Non-2xx|Socket errors/ { s = s $0 "; " } END { print s }' "$tmp/wrk")
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }'; }

# bench NAME URL TARGET [SCRIPT]: the static file first (same size), then xinyong
bench() {
	name=$1 url=$2 target=$3 script=${4:-}
	if [ -n "$script" ]; then
		curl -fs -X POST -H "Authorization: Bearer $token" -H 'Content-Type: application/json' \
			--data-binary @"$tmp/check.json" "$url" >"$tmp/body" || die "$name: $url failed"
	else
		curl -fs "$url" >"$tmp/body" || die "$name: $url failed"
	fi
	cp "$tmp/body" "$tmp/nginx/www/static.json"
	size=$(stat -c %s "$tmp/body")
	wrk_run "http://127.0.0.1:$nport/static.json"
	n_rps=$RPS n_p99=$P99
	[ -n "${a_nginx:-}" ] || a_nginx=$n_rps
	wrk_run "$url" "$script"
	printf '%-28s %7s B  nginx %7s req/s p99 %6s ms | xinyong %7s req/s p99 %6s ms | %sx (target >= %s) %s\n' \
		"$name" "$size" "$n_rps" "$n_p99" "$RPS" "$P99" "$(ratio "$RPS" "$n_rps")" "$target" \
		"${ERRS:+errors: $ERRS}"
}

base=http://127.0.0.1:$port/api/v1
bench "(a) public profile" "$base/subjects/$uscc" 0.8
# (a) asks one URL, so after the first request each worker sends the answer it
# kept (the answer cache, docs/api.md).  The same route over many different
# subjects, each asked once, shows what building a profile costs: the paths of
# every SUBJECTS/PROFILES-th generated subject, the two wrk threads walking
# disjoint parts in order.  No target (the issue's (a) is one subject); the
# cache's hits during the run are reported from /metrics.
PROFILES=${PROFILES:-$SUBJECTS}
awk -F, -v n="$SUBJECTS" -v k="$PROFILES" 'BEGIN { s = int(n / k); if (s < 1) s = 1 }
	NR > 1 && (NR - 2) % s == 0 && $3 != "" { print "/api/v1/subjects/" $3 }' \
	"$tmp/subjects.csv" >"$tmp/paths"
cat >"$tmp/many.lua" <<EOF
local paths, n = {}, 0
for l in io.lines("$tmp/paths") do n = n + 1; paths[n] = l end
local threads = 0
function setup(t) t:set("part", threads); threads = threads + 1 end
local i
function request()
	if not i then i = part * math.floor(n / $THREADS) end
	i = i % n + 1
	return wrk.format("GET", paths[i])
end
EOF
cache_hits() {
	curl -fs "http://127.0.0.1:$port/metrics" | awk '$1 == "xinyong_cache_hits_total" { print $2 }'
}
hits0=$(cache_hits)
wrk_run "$base/subjects/$uscc" "$tmp/many.lua"
hits1=$(cache_hits)
printf "%-28s %7s paths                          | xinyong %7s req/s p99 %6s ms | %sx of (a)'s nginx; %s cache hits %s\n" \
	"(a') profiles, each once" "$(wc -l <"$tmp/paths")" "$RPS" "$P99" "$(ratio "$RPS" "$a_nginx")" \
	"$((hits1 - hits0))" "${ERRS:+errors: $ERRS}"
bench "(b) name search, 2 chars" "$base/subjects?q=$(printf %s "$q2" | jq -sRr @uri)" 0.5
printf '{"subject":"%s"}' "$uscc" >"$tmp/check.json"
cat >"$tmp/check.lua" <<EOF
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer $token"
wrk.body = '{"subject":"$uscc"}'
EOF
if [ -n "$token" ]; then
	bench "(c) single check" "$base/checks" 0.5 "$tmp/check.lua"
else
	echo "(c) single check: no unit token (xinyong token create failed): not measured"
fi

# ---- upload through the API against the CLI import ---------------------------
"$GEN" --rows "$UPLOAD_ROWS" --seed $((SEED + 1)) -o "$tmp/upload.csv" || die "xy-gen failed"
mb=$(awk -v b="$(stat -c %s "$tmp/upload.csv")" 'BEGIN { printf "%.0f", b / 1e6 }')
# the copy's key: beside the file on SQLite, named on PostgreSQL
if [ "$BACKEND" = postgresql ]; then set -- --key-file "$tmp/cli.key"; else set --; fi
t0=$(date +%s.%N)
"$XINYONG" import --db "$cli_db" "$@" --reports "$tmp/reports" --unit 市场监管局 \
	--category 行政处罚 "$tmp/upload.csv" >/dev/null || die "CLI import failed"
[ "$BACKEND" = postgresql ] || rm -f "$cli_db" "$cli_db-wal" "$cli_db-shm" "$cli_db.key"
t1=$(date +%s.%N)
cli_s=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.2f", b - a }')
# the copy's disk back before the API's turn (DROP DATABASE writes a checkpoint:
# not counted as the import's time)
if [ "$BACKEND" = postgresql ]; then
	"$PG_BIN/dropdb" -h "$tmp/pg" -U xinyong xinyong_cli || die "cannot drop the copy"
	rm -f "$tmp/cli.key"
fi
if [ -n "$token" ]; then
	t0=$(date +%s.%N)
	curl -fs -X POST -H "Authorization: Bearer $token" -H 'Content-Type: text/csv' \
		--data-binary @"$tmp/upload.csv" "$base/uploads?category=行政处罚" >"$tmp/up.json" ||
		die "upload failed: $(cat "$tmp/up.json")"
	t1=$(date +%s.%N)
	api_s=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.2f", b - a }')
	rss=$(awk '/^VmHWM/ { printf "%.1f MB", $2 / 1024 }' "/proc/$srv_pid/status")
	echo "upload of $UPLOAD_ROWS rows ($mb MB): CLI import $cli_s s, API $api_s s →" \
		"$(ratio "$cli_s" "$api_s")x (target >= 0.8); server peak RSS $rss"
fi
