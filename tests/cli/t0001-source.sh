#!/bin/sh
# The source keeps its rules: no unsafe string functions, no printing or exiting in the
# library, README's first screen gives the two commands.
. "$(dirname "$0")/lib.sh"
cd "$ROOT" || exit 1

banned=$(grep -nE '\b(strcpy|strcat|sprintf|vsprintf|gets|strtok|strncpy|strncat)[[:space:]]*\(' \
	lib/*.c lib/*/*.c src/*.c bench/*.c include/xinyong/*.h | grep -vE '\b(snprintf|vsnprintf)\b' || true)
is "no banned string functions in lib/, src/, bench/" "$banned" ""

prints=$(grep -nE '\b(printf|puts|fprintf|perror|exit|abort)[[:space:]]*\(' lib/*.c lib/*/*.c |
	grep -vE 'snprintf|vsnprintf' || true)
is "the library never prints or exits" "$prints" ""

sqlite=$(grep -lE 'sqlite3_' lib/*.c lib/ingest/*.c lib/core/*.c src/*.c || true)
is "no SQLite calls outside lib/store" "$sqlite" ""

head -20 README.md >"$T/head"
like "README's first screen: make run" "$(cat "$T/head")" "make run"
like "README's first screen: make test" "$(cat "$T/head")" "make test"

for cmd in import batches show id init; do
	like "'$cmd --help' prints usage" "$(xy "$cmd" --help)" "^usage: xinyong $cmd"
done
fails "an unknown command is a usage error" 2 xy frobnicate
