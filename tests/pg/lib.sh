# What the PostgreSQL suites (tests/pg/*.sh) share: TAP counting and a free
# loopback port.  Sourced; they set n=0 fail=0 first.
ok() { n=$((n + 1)); echo "ok $n - $1"; }
no() { n=$((n + 1)); fail=1; echo "not ok $n - $1"; }
check() { if [ "$2" = 0 ]; then ok "$1"; else no "$1"; fi; }
free_port() {
	python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}
