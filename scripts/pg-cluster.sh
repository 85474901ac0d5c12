#!/bin/sh
# A throw-away PostgreSQL cluster for tests (docs/postgresql.md).
#   scripts/pg-cluster.sh start DIR   initdb in DIR/data, start it, print its URI
#   scripts/pg-cluster.sh stop DIR    stop it (DIR is left for the caller to remove)
# The server listens on a Unix socket in DIR only (listen_addresses=''), with
# fsync off (a test cluster is thrown away, never recovered); PG_DURABLE=1
# keeps PostgreSQL's durable defaults instead, as a real install has them
# (bench/pg-import.sh).  PostgreSQL
# refuses to run as root: as root the cluster belongs to `nobody` (present on
# every Debian system; DIR is chowned to it), otherwise to the caller.
# Debian's postgresql package puts the binaries in /usr/lib/postgresql/N/bin;
# $PG_BIN overrides.  pg_trgm ships in that package (postgresql-contrib is
# part of postgresql-15 on Debian 12).
set -eu
cmd=${1:-}
dir=${2:-}
if [ -z "$cmd" ] || [ -z "$dir" ]; then
	echo "usage: $0 start|stop DIR" >&2
	exit 2
fi
if [ -z "${PG_BIN:-}" ]; then
	PG_BIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
fi
if [ -z "$PG_BIN" ] || [ ! -x "$PG_BIN/initdb" ]; then
	echo "pg-cluster: no PostgreSQL server found (scripts/deps.sh installs postgresql)" >&2
	exit 1
fi
dir=$(cd "$dir" && pwd)
as() {
	if [ "$(id -u)" = 0 ]; then
		runuser -u nobody -- "$@"
	else
		"$@"
	fi
}
case $cmd in
start)
	[ "$(id -u)" = 0 ] && chown nobody "$dir"
	fast="-c fsync=off -c synchronous_commit=off -c full_page_writes=off"
	[ "${PG_DURABLE:-0}" = 1 ] && fast=
	as "$PG_BIN/initdb" -D "$dir/data" -U xinyong --auth=trust -E UTF8 --locale=C.UTF-8 \
		>"$dir/initdb.log" 2>&1 || { cat "$dir/initdb.log" >&2; exit 1; }
	as "$PG_BIN/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w \
		-o "-c listen_addresses='' -k $dir $fast" \
		start >/dev/null || { cat "$dir/server.log" >&2; exit 1; }
	as "$PG_BIN/createdb" -h "$dir" -U xinyong xinyong
	# the socket directory as the host, URI-encoded
	host=$(printf '%s' "$dir" | sed 's|/|%2F|g')
	echo "postgresql://xinyong@$host/xinyong"
	;;
stop)
	as "$PG_BIN/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null
	;;
*)
	echo "usage: $0 start|stop DIR" >&2
	exit 2
	;;
esac
