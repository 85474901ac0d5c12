#!/bin/sh
# Records' hash partitions moved to two other PostgreSQL servers through
# postgres_fdw (docs/postgresql.md, "Partitions and shards"):
#   scripts/pg-shard.sh COORD_URI SHARD1_URI SHARD2_URI
# COORD_URI is a xinyong database (schema 21 on: records hash-partitioned by
# subject into records_h0 … records_h7); SHARD1_URI and SHARD2_URI are empty
# databases on other servers, as postgresql://USER@HOST:PORT/DB (TCP: the
# coordinator's server connects to them).  Partitions with an even number go
# to shard 1, odd ones to shard 2.  For each, in one transaction on the
# coordinator: the table is created on its shard (its own unique key and
# indexes), the local partition detached, a foreign table attached in its
# place (CREATE FOREIGN TABLE … PARTITION OF records FOR VALUES WITH (MODULUS 8,
# REMAINDER k) SERVER …), its rows copied through it, the local table
# dropped.  Everything else (subjects, record_keys, record_versions, batches,
# the registry) stays on the coordinator, and xinyong keeps talking to the
# coordinator only.  Run it while no import runs; run it once (a partition
# already foreign is left as it is).
#
# What postgres_fdw makes us change (docs/postgresql.md lists them):
# - a partitioned table with a foreign partition may have no unique index:
#   records' UNIQUE(id, subject_id) becomes a plain index on the coordinator;
#   each shard's table keeps the unique key, and record_keys.record_id keeps
#   ids unique across all partitions;
# - schema changes of records are not sent to the shards: a later migration
#   that changes records must be applied to each shard's tables by hand
#   (schema 24 moved last_batch to record_keys: on a layout made before it,
#   run `ALTER TABLE records_hK DROP COLUMN last_batch` on each shard after
#   the coordinator's migration, or new records fail its NOT NULL).
# The servers trust the coordinator's user here (test clusters); a real
# install gives the user mapping a password.
set -eu
[ $# = 3 ] || { echo "usage: $0 COORD_URI SHARD1_URI SHARD2_URI" >&2; exit 2; }
COORD=$1
PARTS=8
BATCH=${PG_SHARD_BATCH:-1000}  # rows an INSERT through the foreign table sends at once
FETCH=${PG_SHARD_FETCH:-10000} # rows a foreign scan fetches at once
q() { psql "$1" -v ON_ERROR_STOP=1 -qAt -c "$2"; }
# host, port and database of a postgresql://user@host:port/db URI
part() {
	printf '%s' "$1" | sed -E 's|^postgres(ql)?://([^@/]*@)?||; s|\?.*||' |
		sed -E "s|^([^:/]*)(:([0-9]+))?/(.*)$|$2|"
}
# the table a shard holds: records' columns, its unique key and indexes
SHARD_TABLE="(id bigint NOT NULL, unit_id bigint NOT NULL, category_id bigint NOT NULL,
	key text NOT NULL, subject_id bigint, decided_on text, first_batch bigint NOT NULL,
	data_batch bigint NOT NULL, data bytea NOT NULL,
	UNIQUE(id, subject_id))"

q "$COORD" "CREATE EXTENSION IF NOT EXISTS postgres_fdw"
for s in 1 2; do
	eval "uri=\$$((s + 1))"
	host=$(part "$uri" '\1') port=$(part "$uri" '\3') db=$(part "$uri" '\4')
	user=$(printf '%s' "$uri" | sed -nE 's|^postgres(ql)?://([^@:/]*)(:[^@]*)?@.*|\2|p')
	[ -n "$host" ] && [ -n "$db" ] || { echo "pg-shard: cannot read $uri" >&2; exit 2; }
	# async_capable: a scan of several shards' partitions runs on all at once
	q "$COORD" "DO \$\$BEGIN IF NOT EXISTS (SELECT 1 FROM pg_foreign_server WHERE srvname = 'shard$s')
		THEN CREATE SERVER shard$s FOREIGN DATA WRAPPER postgres_fdw OPTIONS (host '$host',
		port '${port:-5432}', dbname '$db', batch_size '$BATCH', fetch_size '$FETCH',
		async_capable 'true');
		CREATE USER MAPPING FOR CURRENT_USER SERVER shard$s OPTIONS (user '${user:-$(id -un)}');
		END IF; END\$\$"
done
# no unique index on a parent with foreign partitions
q "$COORD" "DO \$\$BEGIN IF EXISTS (SELECT 1 FROM pg_constraint WHERE conname = 'records_id_subject')
	THEN ALTER TABLE records DROP CONSTRAINT records_id_subject;
	CREATE INDEX records_id_subject ON records(id, subject_id); END IF; END\$\$"
k=0
while [ $k -lt $PARTS ]; do
	s=$((k % 2 + 1))
	eval "shard=\$$((s + 1))"
	kind=$(q "$COORD" "SELECT relkind FROM pg_class WHERE relname = 'records_h$k'")
	if [ "$kind" = r ]; then
		q "$shard" "CREATE TABLE IF NOT EXISTS records_h$k $SHARD_TABLE;
			CREATE INDEX IF NOT EXISTS records_h${k}_subject ON records_h$k(subject_id)
			WHERE subject_id IS NOT NULL;
			CREATE INDEX IF NOT EXISTS records_h${k}_feed ON records_h$k(category_id, decided_on, id)
			WHERE decided_on IS NOT NULL;
			CREATE INDEX IF NOT EXISTS records_h${k}_data_batch ON records_h$k(data_batch)"
		psql "$COORD" -v ON_ERROR_STOP=1 -qAt <<SQL
BEGIN;
ALTER TABLE records DETACH PARTITION records_h$k;
ALTER TABLE records_h$k RENAME TO records_h${k}_local;
CREATE FOREIGN TABLE records_h$k PARTITION OF records
	FOR VALUES WITH (MODULUS $PARTS, REMAINDER $k) SERVER shard$s
	OPTIONS (table_name 'records_h$k');
INSERT INTO records_h$k SELECT * FROM records_h${k}_local;
DROP TABLE records_h${k}_local;
COMMIT;
ANALYZE records_h$k;
SQL
	fi
	echo "records_h$k: shard$s ($(q "$shard" "SELECT count(*) FROM records_h$k") rows)"
	k=$((k + 1))
done
