#!/bin/sh
# Tests speak to the store and the CLI, not to SQLite (issue 11): no sqlite3 shell, no
# sqlite3_* call or <sqlite3.h>, no PRAGMA in tests/cli, tests/http, tests/e2e and
# tests/unit, except in the files listed here.  Counts come from `xinyong db counts`,
# integrity from `xinyong db check`, the rest from the commands people use (docs/testing.md).
. "$(dirname "$0")/lib.sh"
cd "$ROOT" || exit 1

# The SQLite backend's own tests: they lock, journal, tamper with or hand-write the SQLite
# file itself, and say so with a comment "SQLite backend's own test".
own='tests/cli/t0055-intake.sh tests/cli/t0060-kill-and-full.sh tests/cli/t0310-audit.sh
tests/cli/t0410-inspect.sh tests/cli/t0411-inspect-grades.sh tests/http/t0140-admin.sh tests/unit/test_store.c tests/unit/test_auth.c tests/unit/test_pii.c'
# Checks of the source, not of a database: t0001 greps lib/ for sqlite3_ calls; this file.
source_rules='tests/cli/t0001-source.sh tests/cli/t0009-no-raw-sql.sh'

# the sqlite3 shell, sqlite3_* calls, <sqlite3.h>, a PRAGMA, or q "…" (the sqlite3 shell that
# t0410 and t0411 define for their SQLite branches; tests/cli/lib.sh has none)
raw='(^|[^_[:alnum:]])sqlite3([[:space:]]|_|\.h)|PRAGMA |pragma |(^|[^_[:alnum:].-])q ["'"'"']'
found=$(grep -rlE "$raw" tests/cli tests/http tests/e2e tests/unit --include='*.sh' --include='*.c' \
	--include='*.h' --include='*.mjs' --include='*.js' --include='*.py' | sort)
bad=
for f in $found; do
	case " $(echo $own $source_rules) " in
	*" $f "*) ;;
	*) bad="$bad $f" ;;
	esac
done
is "no raw SQLite outside the allowed files" "${bad# }" ""
[ -n "$bad" ] && for f in $bad; do
	grep -nE "$raw" "$f" | head -3 | sed "s|^|#   $f:|"
done

missing=
for f in $own; do grep -q "SQLite backend's own test" "$f" || missing="$missing $f"; done
is "each SQLite backend's own test says so" "${missing# }" ""
stale=
for f in $own; do echo "$found" | grep -qx "$f" || stale="$stale $f"; done
is "every allowed file still needs it (else take it off the list)" "${stale# }" ""
