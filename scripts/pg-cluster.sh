#!/bin/sh
# A throw-away PostgreSQL cluster for tests (docs/postgresql.md).
#   scripts/pg-cluster.sh start DIR   initdb in DIR/data, start it, print its URI
#   scripts/pg-cluster.sh stop DIR    stop it (DIR is left for the caller to remove)
#   scripts/pg-cluster.sh start-primary DIR PORT
#       as start, listening on 127.0.0.1:PORT too, with wal_level=replica and
#       room for streaming replicas (docs/postgresql.md "Read replicas")
#   scripts/pg-cluster.sh start-replica DIR PORT PRIMARY_PORT
#       a hot standby of the primary on 127.0.0.1:PRIMARY_PORT: pg_basebackup -R
#       (streaming, standby.signal and primary_conninfo written), started on
#       127.0.0.1:PORT; read-only, replaying the primary's WAL as it comes
#   scripts/pg-cluster.sh start-shard DIR PORT
#       as start, listening on 127.0.0.1:PORT too: a server another cluster
#       reaches through postgres_fdw (scripts/pg-shard.sh, tests/pg/shard.sh)
#   scripts/pg-cluster.sh restart DIR
#       start a stopped cluster again with the options it was started with
# start-primary, start-shard and start-replica print a TCP URI (postgresql://…@127.0.0.1:PORT/…);
# stop stops any of the three.  A port in use makes the start fail (exit 1):
# the caller picks another.
# The server listens on a Unix socket in DIR only (listen_addresses=''), with
# fsync off (a test cluster is thrown away, never recovered); PG_DURABLE=1
# keeps PostgreSQL's durable defaults instead, as a real install has them
# (bench/pg-import.sh).  PG_SERVER_OPTIONS adds server options to start,
# start-primary and start-shard
# (e.g. "-c shared_buffers=6GB" for a benchmark at 10M records).  PostgreSQL
# refuses to run as root: as root the cluster belongs to `nobody` (present on
# every Debian system; DIR is chowned to it), otherwise to the caller.
# Debian's postgresql package puts the binaries in /usr/lib/postgresql/N/bin;
# $PG_BIN overrides.  pg_trgm ships in that package (postgresql-contrib is
# part of postgresql-15 on Debian 12).
set -eu
cmd=${1:-}
dir=${2:-}
usage() {
	echo "usage: $0 start|stop|restart DIR | start-primary|start-shard DIR PORT | start-replica DIR PORT PRIMARY_PORT" >&2
	exit 2
}
[ -n "$cmd" ] && [ -n "$dir" ] || usage
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
# pg_ctl start with options $1 (the data directory in $dir/data)
pg_start() {
	printf '%s\n' "$1" >"$dir/options" # for restart
	as "$PG_BIN/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -o "$1" start >/dev/null ||
		{ cat "$dir/server.log" >&2; exit 1; }
}
port_ok() {
	case $1 in
	'' | *[!0-9]*) usage ;;
	esac
}
[ "$(id -u)" = 0 ] && [ "$cmd" != stop ] && chown nobody "$dir"
case $cmd in
restart)
	pg_start "$(cat "$dir/options")"
	;;
start | start-primary | start-shard)
	as "$PG_BIN/initdb" -D "$dir/data" -U xinyong --auth=trust -E UTF8 --locale=C.UTF-8 \
		>"$dir/initdb.log" 2>&1 || { cat "$dir/initdb.log" >&2; exit 1; }
	fast="-c fsync=off -c synchronous_commit=off -c full_page_writes=off"
	[ "${PG_DURABLE:-0}" = 1 ] && fast=
	fast="$fast ${PG_SERVER_OPTIONS:-}"
	if [ "$cmd" = start ]; then
		pg_start "-c listen_addresses='' -k $dir $fast"
		# the socket directory as the host, URI-encoded
		host=$(printf '%s' "$dir" | sed 's|/|%2F|g')
		uri="postgresql://xinyong@$host/xinyong"
	elif [ "$cmd" = start-shard ]; then
		port=${3:-}
		port_ok "$port"
		pg_start "-c listen_addresses=127.0.0.1 -p $port -k $dir $fast"
		uri="postgresql://xinyong@127.0.0.1:$port/xinyong"
	else
		port=${3:-}
		port_ok "$port"
		# initdb's pg_hba.conf already trusts replication from 127.0.0.1;
		# synchronous_commit stays on: the lag a test measures is a real one
		pg_start "-c listen_addresses=127.0.0.1 -p $port -k $dir -c fsync=off -c full_page_writes=off -c wal_level=replica -c max_wal_senders=4"
		uri="postgresql://xinyong@127.0.0.1:$port/xinyong"
	fi
	as "$PG_BIN/createdb" -h "$dir" ${port:+-p "$port"} -U xinyong xinyong
	echo "$uri"
	;;
start-replica)
	port=${3:-} primary=${4:-}
	port_ok "$port"
	port_ok "$primary"
	as "$PG_BIN/pg_basebackup" -h 127.0.0.1 -p "$primary" -U xinyong -D "$dir/data" -R \
		-X stream -c fast >"$dir/basebackup.log" 2>&1 ||
		{ cat "$dir/basebackup.log" >&2; exit 1; }
	pg_start "-c listen_addresses=127.0.0.1 -p $port -k $dir -c fsync=off -c hot_standby=on"
	echo "postgresql://xinyong@127.0.0.1:$port/xinyong"
	;;
stop)
	as "$PG_BIN/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null
	;;
*)
	usage
	;;
esac
