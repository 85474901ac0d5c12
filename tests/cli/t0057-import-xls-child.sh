#!/bin/sh
# .xls imports read libfreexl's output from a child process (xinyong-xls-reader):
# a child that crashes refuses the file with a message naming it, and when it
# dies after rows were read the whole batch is refused (nothing of it stored).
. "$(dirname "$0")/lib.sh"

imp() { xy import --unit 市场监管局 --category 行政处罚 --format json "$@"; }
count() { rows records; }
real="$(dirname "$XINYONG")/xinyong-xls-reader"
x="$DATA/xls/gen-20.xls"

# the real stream without its last byte ('Z'), then a crash: every row was read
cat >"$T/crashing-reader" <<X
#!/bin/sh
"$real" "\$@" | head -c -1
kill -SEGV \$\$
X
chmod +x "$T/crashing-reader"
XY_XLS_READER="$T/crashing-reader" imp "$x" >"$T/r.out" 2>"$T/r.err"
is "child killed after every row: exit 1" "$?" 1
like "child killed after every row: message" "$(cat "$T/r.err")" \
	"gen-20.xls.*could not be read safely: the reader process was killed by SIGSEGV.*save it as .xlsx"
is "child killed after every row: refused" "$(jq -r .status "$T/r.out")" refused
is "child killed after every row: nothing stored" "$(count)" 0
is "child killed after every row: the batch is recorded as refused" \
	"$(xy batches --format json | jq -r '.[0].status')" refused

ok "the same file through the real reader imports" imp "$x"
is "20 records" "$(count)" 20

# the libfreexl crash input (an invalid free: SEGV in a release build)
imp "$ROOT/tests/fuzz/regressions/xls/freexl-invalid-free.xls" >"$T/r.out" 2>"$T/r.err"
is "freexl crash input: exit 1, the importer alive" "$?" 1
like "freexl crash input: message" "$(cat "$T/r.err")" \
	"freexl-invalid-free.xls.*could not be read safely: the reader process"
is "freexl crash input: records untouched" "$(count)" 20
