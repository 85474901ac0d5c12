-- A database at schema 25 taken back to 24 (lib/store/pg.c, migration 25 undone),
-- for the suites that take a database back to an older schema and open it again
-- (tests/pg/run.sh to 16, tests/pg/partitions.sh to 21): the keys without the
-- subject, subjects' code unique on subjects, no subject_keys.  The caller sets
-- xy_schema's version and wraps it in its transaction.
ALTER TABLE commitment_checks DROP COLUMN subject_id;
ALTER TABLE list_entry_history DROP COLUMN subject_id;
ALTER TABLE notices DROP CONSTRAINT notices_entry_id_subject_id_fkey,
 DROP CONSTRAINT notices_pkey, ADD PRIMARY KEY(id);
ALTER TABLE list_entries DROP CONSTRAINT list_entries_pkey, ADD PRIMARY KEY(id);
DROP INDEX commitments_unit_no;
ALTER TABLE commitments DROP CONSTRAINT commitments_pkey, ADD PRIMARY KEY(id),
 ADD UNIQUE(unit_id, no);
ALTER TABLE commitment_checks ADD PRIMARY KEY(id),
 ADD FOREIGN KEY(commitment_id) REFERENCES commitments(id),
 ADD FOREIGN KEY(entry_id) REFERENCES list_entries(id);
ALTER TABLE list_entry_history ADD PRIMARY KEY(id),
 ADD FOREIGN KEY(entry_id) REFERENCES list_entries(id);
ALTER TABLE notices ADD FOREIGN KEY(entry_id) REFERENCES list_entries(id);
DROP INDEX list_entry_persons_entry;
ALTER TABLE list_entry_persons ADD FOREIGN KEY(entry_id) REFERENCES list_entries(id);
ALTER TABLE list_entry_records ADD FOREIGN KEY(entry_id) REFERENCES list_entries(id);
ALTER TABLE credit_cases ADD FOREIGN KEY(entry_id) REFERENCES list_entries(id);
DROP INDEX record_keys_record;
ALTER TABLE record_keys ADD CONSTRAINT record_keys_record_id_key UNIQUE(record_id);
ALTER TABLE credit_cases ADD CONSTRAINT credit_cases_record_id_fkey FOREIGN KEY(record_id)
 REFERENCES record_keys(record_id) DEFERRABLE INITIALLY DEFERRED;
ALTER TABLE feedback DROP COLUMN subject_id;
ALTER TABLE feedback ADD PRIMARY KEY(id), ADD UNIQUE(check_id, memorandum, number);
ALTER TABLE grades DROP CONSTRAINT grades_pkey, ADD PRIMARY KEY(id);
ALTER TABLE interviews DROP CONSTRAINT interviews_pkey, ADD PRIMARY KEY(id);
ALTER TABLE checks DROP CONSTRAINT checks_pkey, ADD CONSTRAINT checks_pkey1 PRIMARY KEY(id, at);
ALTER TABLE subjects ADD CONSTRAINT subjects_code_key UNIQUE(code);
DROP TABLE subject_keys;
