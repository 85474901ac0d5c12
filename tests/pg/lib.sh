# What the PostgreSQL suites (tests/pg/*.sh) share: TAP counting and a free
# loopback port.  Sourced; they set n=0 fail=0 first.
ok() { n=$((n + 1)); echo "ok $n - $1"; }
no() { n=$((n + 1)); fail=1; echo "not ok $n - $1"; }
check() { if [ "$2" = 0 ]; then ok "$1"; else no "$1"; fi; }
free_port() {
	python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}
# pg_cluster: a throw-away cluster in $T/pg for the suite (ROOT and T set), its
# URI in URI; at exit the server $srv (if any) is stopped, then the cluster,
# and $T removed (KEEP=1 keeps them).  Without a cluster the suite ends with
# one failed check.
pg_cleanup() {
	[ -n "${srv:-}" ] && kill "$srv" 2>/dev/null && wait "$srv" 2>/dev/null
	[ -n "${KEEP:-}" ] && { echo "# kept $T"; return; }
	"$ROOT/scripts/pg-cluster.sh" stop "$T/pg" >/dev/null 2>&1
	rm -rf "$T"
}
pg_cluster() {
	trap pg_cleanup EXIT
	chmod 755 "$T"
	mkdir "$T/pg"
	if ! URI=$("$ROOT/scripts/pg-cluster.sh" start "$T/pg"); then
		echo "1..1"
		echo "not ok 1 - start a throw-away PostgreSQL cluster (scripts/deps.sh installs postgresql)"
		exit 1
	fi
}
