#!/bin/sh
# The schema against docs/SCALING.md's Citus statements (issue 11, "sharding by
# subject"): PostgreSQL's catalog of a new database is asked whether each table
# can be distributed the way the page says.  The rules are Citus's:
#   - every table is in exactly one class of the page: distributed (by the
#     column named), reference, or coordinator-only (a Citus local table);
#   - a distributed table's primary key, unique constraints and unique indexes
#     hold its distribution column, and a subject-owned table's subject_id is
#     NOT NULL (records excepted: the page's "not yet");
#   - a foreign key of a distributed table points at a reference table, or at a
#     table co-located with it, joining distribution column to distribution
#     column (between subject-owned tables: subject_id to the subject);
#   - a reference table's foreign keys point at reference or coordinator-only
#     tables;
#   - a coordinator-only table's foreign keys to distributed tables are exactly
#     the ones the page drops before distributing.
# Usage: tests/pg/keys.sh [build]   (TAP; KEEP=1 keeps the cluster)
set -u
BUILD=${1:-${XY_BUILD:-build}}
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
XY=$(cd "$BUILD" && pwd)/xinyong
T=$(mktemp -d)
n=0 fail=0 srv=
. "$ROOT/tests/pg/lib.sh"
pg_cluster
export XINYONG_KEY_FILE="$T/key"
DOC=${XY_SCALING_DOC:-$ROOT/docs/SCALING.md}

# The SQL of the page's "Citus" section, one statement a line.
awk '/^## /{ on = ($0 ~ /^## Citus/) } on && /^```/{ f = !f; next } on && f' "$DOC" |
	sed 's/--.*//' | tr '\n' ' ' | tr ';' '\n' >"$T/citus.sql"
# its classes, "table kind column group" a line
{
	sed -n "s/.*create_distributed_table('\([a-z_]*\)', *'\([a-z_]*\)'\(.*\)/\1 \2 \3/p" "$T/citus.sql" |
		while read -r t c rest; do
			g=$(echo "$rest" | sed -n "s/.*colocate_with *=> *'\([a-z_]*\)'.*/\1/p")
			[ -z "$g" ] || [ "$g" = none ] && g=$t
			echo "$t distributed $c $g"
		done
	for f in create_reference_table:reference citus_add_local_table_to_metadata:local; do
		grep "${f%%:*}" "$T/citus.sql" | sed -n 's/.*ARRAY\[\([^]]*\)\].*/\1/p' | tr -d "' " |
			tr ',' '\n' | sed '/^$/d' | sed "s/\$/ ${f#*:} - -/"
	done
} >"$T/classes"
# the foreign keys it drops, "table constraint" a line
sed -n 's/.*ALTER TABLE \([a-z_]*\) DROP CONSTRAINT \([a-z_0-9]*\).*/\1 \2/p' "$T/citus.sql" >"$T/drops"

sql() { psql -X -q -At -v ON_ERROR_STOP=1 "$URI" -c "$1" 2>&1; }
XINYONG_DB=$URI "$XY" init >"$T/init" 2>&1
check "a new database ($(tail -1 "$T/init"))" $?
[ "$(grep -c ' distributed ' "$T/classes")" -ge 10 ] && grep -q ' reference ' "$T/classes" &&
	grep -q ' local ' "$T/classes"
check "docs/SCALING.md's Citus statements name distributed, reference and local tables ($(wc -l <"$T/classes") tables)" $?

# the classes as a table beside the schema's (its own schema: the checks look at public)
sql "CREATE SCHEMA keytest; CREATE TABLE keytest.cls(t text PRIMARY KEY, kind text NOT NULL,
	col text, grp text); CREATE TABLE keytest.drops(t text, con text)" >/dev/null
awk '{ printf "%s\t%s\t%s\t%s\n", $1, $2, ($3 == "-" ? "\\N" : $3), ($4 == "-" ? "\\N" : $4) }' \
	"$T/classes" | psql -X -q "$URI" -c "COPY keytest.cls FROM STDIN" >"$T/copy" 2>&1
check "each table is named once ($(head -c 200 "$T/copy"))" $?
tr ' ' '\t' <"$T/drops" | psql -X -q "$URI" -c "COPY keytest.drops FROM STDIN" >/dev/null 2>&1

TABLES="SELECT c.oid, c.relname FROM pg_class c WHERE c.relnamespace = 'public'::regnamespace
	AND c.relkind IN ('r', 'p') AND NOT c.relispartition"
bad=$(sql "SELECT string_agg(relname, ' ' ORDER BY relname) FROM ($TABLES) s
	WHERE relname NOT IN (SELECT t FROM keytest.cls)")
[ -z "$bad" ]
check "every table of the schema has its class in SCALING.md (missing: $bad)" $?
bad=$(sql "SELECT string_agg(t, ' ' ORDER BY t) FROM keytest.cls
	WHERE t NOT IN (SELECT relname FROM ($TABLES) s)")
[ -z "$bad" ]
check "every table SCALING.md names exists (not: $bad)" $?
bad=$(sql "SELECT string_agg(k.t || '.' || k.col, ' ' ORDER BY k.t) FROM keytest.cls k
	WHERE k.kind = 'distributed' AND NOT EXISTS (SELECT 1 FROM pg_attribute a
	WHERE a.attrelid = to_regclass('public.' || k.t) AND a.attname = k.col AND NOT a.attisdropped)")
[ -z "$bad" ]
check "every distribution column exists (not: $bad)" $?

# subject-owned: distributed by subject_id and co-located with subjects
OWNED="SELECT t FROM keytest.cls WHERE kind = 'distributed' AND grp = 'subjects'"
bad=$(sql "SELECT string_agg(relname, ' ' ORDER BY relname) FROM ($TABLES) s
	WHERE EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = s.oid
	AND a.attname = 'subject_id' AND NOT a.attisdropped)
	AND relname NOT IN ($OWNED) AND relname NOT IN (SELECT t FROM keytest.cls
	WHERE kind IN ('reference', 'local') OR (kind = 'distributed' AND col <> 'subject_id'))")
[ -z "$bad" ]
check "every table with a subject_id is subject-owned, a lookup, reference or coordinator-only (not: $bad)" $?
bad=$(sql "SELECT string_agg(t || '.' || col, ' ' ORDER BY t) FROM keytest.cls
	WHERE grp = 'subjects' AND t <> 'subjects' AND col <> 'subject_id'")
[ -z "$bad" ]
check "subject-owned tables are distributed by subject_id (not: $bad)" $?
bad=$(sql "SELECT string_agg(k.t, ' ' ORDER BY k.t) FROM keytest.cls k JOIN pg_attribute a
	ON a.attrelid = to_regclass('public.' || k.t) AND a.attname = k.col
	WHERE k.kind = 'distributed' AND NOT a.attnotnull AND k.t <> 'records'")
[ -z "$bad" ]
check "every distribution column is NOT NULL, but records.subject_id (nullable: $bad)" $?

# unique keys: constraints and unique indexes (a primary key is both)
bad=$(sql "SELECT string_agg(DISTINCT k.t || ':' || i.indexrelid::regclass, ' ') FROM keytest.cls k
	JOIN pg_index i ON i.indrelid = to_regclass('public.' || k.t) AND i.indisunique
	WHERE k.kind = 'distributed' AND NOT EXISTS (SELECT 1 FROM pg_attribute a
	WHERE a.attrelid = i.indrelid AND a.attname = k.col AND a.attnum = ANY(i.indkey))")
[ -z "$bad" ]
check "every primary key and unique key of a distributed table holds its distribution column (not: $bad)" $?
npk=$(sql "SELECT count(*) FROM keytest.cls k JOIN pg_constraint c
	ON c.conrelid = to_regclass('public.' || k.t) AND c.contype = 'p'
	WHERE k.grp = 'subjects' AND k.t <> 'subjects' AND 'subject_id' = ANY(ARRAY(SELECT a.attname
	FROM pg_attribute a WHERE a.attrelid = c.conrelid AND a.attnum = ANY(c.conkey))::text[])")
nown=$(sql "SELECT count(*) FROM keytest.cls k WHERE k.grp = 'subjects' AND k.t <> 'subjects'
	AND k.t NOT IN ('records')")
[ -n "$npk" ] && [ "$npk" -ge "$nown" ]
check "every subject-owned table but records has a primary key with subject_id ($npk of $nown and records)" $?

# foreign keys: "source target conname" with the classes of both
FKS="SELECT c.conname, s.relname AS src, d.relname AS dst, ks.kind AS skind, kd.kind AS dkind,
	ks.col AS scol, kd.col AS dcol, ks.grp AS sgrp, kd.grp AS dgrp,
	ARRAY(SELECT a.attname FROM unnest(c.conkey) WITH ORDINALITY u(n, o)
	JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = u.n ORDER BY u.o)::text[] AS sc,
	ARRAY(SELECT a.attname FROM unnest(c.confkey) WITH ORDINALITY u(n, o)
	JOIN pg_attribute a ON a.attrelid = c.confrelid AND a.attnum = u.n ORDER BY u.o)::text[] AS dc
	FROM pg_constraint c JOIN pg_class s ON s.oid = c.conrelid JOIN pg_class d ON d.oid = c.confrelid
	JOIN keytest.cls ks ON ks.t = s.relname JOIN keytest.cls kd ON kd.t = d.relname
	WHERE c.contype = 'f' AND s.relnamespace = 'public'::regnamespace AND NOT s.relispartition"
[ "$(sql "SELECT count(*) FROM ($FKS) f WHERE skind = 'distributed' AND dkind = 'distributed'")" -ge 8 ]
check "the query sees the foreign keys between distributed tables" $?
bad=$(sql "SELECT string_agg(conname, ' ' ORDER BY conname) FROM ($FKS) f
	WHERE skind = 'distributed' AND dkind <> 'reference' AND NOT (dkind = 'distributed'
	AND sgrp = dgrp AND EXISTS (SELECT 1 FROM generate_subscripts(sc, 1) i
	WHERE sc[i] = scol AND dc[i] = dcol))")
[ -z "$bad" ]
check "every foreign key of a distributed table points at a reference table or joins on the distribution column (not: $bad)" $?
bad=$(sql "SELECT string_agg(conname, ' ' ORDER BY conname) FROM ($FKS) f
	WHERE sgrp = 'subjects' AND dgrp = 'subjects' AND NOT 'subject_id' = ANY(sc)")
[ -z "$bad" ]
check "every foreign key between subject-owned tables holds subject_id (not: $bad)" $?
bad=$(sql "SELECT string_agg(conname, ' ' ORDER BY conname) FROM ($FKS) f
	WHERE skind = 'reference' AND dkind = 'distributed'")
[ -z "$bad" ]
check "no reference table points at a distributed one (not: $bad)" $?
bad=$(sql "SELECT string_agg(src || '.' || conname, ' ' ORDER BY conname) FROM ($FKS) f
	WHERE skind = 'local' AND dkind = 'distributed'
	AND (src, conname) NOT IN (SELECT t, con FROM keytest.drops)")
[ -z "$bad" ]
check "SCALING.md drops every foreign key from a coordinator-only table to a distributed one (not: $bad)" $?
bad=$(sql "SELECT string_agg(d.t || '.' || d.con, ' ') FROM keytest.drops d WHERE NOT EXISTS
	(SELECT 1 FROM pg_constraint c WHERE c.conrelid = to_regclass('public.' || d.t)
	AND c.conname = d.con)")
[ -z "$bad" ]
check "… and each constraint it drops exists (not: $bad)" $?

echo "1..$n"
exit $fail
