/* xinyong: the SQLite backend of the store.
 *
 * One connection per handle, WAL, versioned migrations (PRAGMA user_version),
 * every statement prepared once (lazily, SQLITE_PREPARE_PERSISTENT) and reset
 * after each use so no read transaction is left open behind the caller.
 * No SQL is ever built from data: every value is bound.
 *
 * Personal ID numbers are encrypted at rest (sqlite_pii.c, docs/security.md).
 * Rules for every statement, so none reads or matches a ciphertext or hash:
 *  - a subject's code is read as SCODE(alias) (sqlite_int.h), never alias.code (which holds
 *    the keyed hash of a personal number; code_enc holds it encrypted);
 *  - a subject is looked up by a (normalised) code with
 *    `code IN (?1, xy_h(?1))` or its equivalent (plain codes match ?1, personal ones their
 *    hash); a mask (ric_masked) stays plain;
 *  - records.data, record_versions.data, batch_errors.value, checks.answer
 *    interviews.persons and applications.contact are written through xy_enc(?) and read through
 *    xy_dec(col); a new column that may hold an ID number does the same and
 *    is added to the rekey steps in sqlite_pii.c.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <sodium.h>
#include <sqlite3.h>

#include "xinyong/buf.h"
#include "xinyong/store.h"
#include "backend.h"
#include "pii.h"
#include "sqlite_int.h"

/* ---- schema ---- */

/* Each step runs in its own transaction and bumps user_version to its index
 * + 1.  Never edit a released step: append a new one.
 *
 * Every subject-owned table (subjects, records, record_versions) carries the
 * subject id so a distributed backend can shard by subject.
 *
 * records declares no FOREIGN KEY on unit_id/category_id/first_batch: the
 * store is their only writer and takes the ids from the saved registry and
 * the batch it has just inserted, while each declared key would cost one
 * primary-key probe per inserted row on the import hot path (measured, 1M
 * rows with 200k subjects in one bulk transaction, two runs each: 57k rows/s
 * with REFERENCES on unit_id and category_id, 80k without).  Registry and
 * batch tables, written rarely, keep theirs. */
static const char *const migrations[] = {
	/* 1: initial schema */
	"CREATE TABLE units("
	" id INTEGER PRIMARY KEY,"
	" name TEXT NOT NULL UNIQUE,"
	" kind TEXT NOT NULL,"
	" division TEXT,"
	" sort INTEGER NOT NULL);"
	"CREATE TABLE categories("
	" id INTEGER PRIMARY KEY,"
	" code TEXT NOT NULL UNIQUE,"
	" name TEXT NOT NULL UNIQUE,"
	" kind TEXT NOT NULL,"
	" sort INTEGER NOT NULL);"
	"CREATE TABLE fields("
	" id INTEGER PRIMARY KEY,"
	" category_id INTEGER NOT NULL REFERENCES categories(id),"
	" pos INTEGER NOT NULL,"
	" code TEXT NOT NULL,"
	" name TEXT NOT NULL,"
	" type TEXT NOT NULL,"
	" enum_values TEXT," /* '|'-joined */
	" required INTEGER NOT NULL,"
	" max_len INTEGER NOT NULL,"
	" role TEXT NOT NULL,"
	" aliases TEXT," /* '|'-joined */
	" UNIQUE(category_id, code));"
	"CREATE TABLE uscc_exceptions("
	" code TEXT PRIMARY KEY,"
	" note TEXT);"
	"CREATE TABLE subjects("
	" id INTEGER PRIMARY KEY,"
	" kind TEXT NOT NULL,"
	" code TEXT NOT NULL UNIQUE,"
	" code_type TEXT NOT NULL,"
	" name TEXT NOT NULL,"
	" division TEXT,"
	" created_at TEXT NOT NULL,"
	" updated_at TEXT NOT NULL);"
	/* Trigram: MATCH finds any substring of 3+ characters.  Shorter queries
	 * scan subjects with instr() (LIKE on this table misses 2 CJK chars).
	 *
	 * No AFTER INSERT trigger: xy__sq_subject_upsert inserts the name itself
	 * (ST_FTS_INSERT).  A trigger makes every subject INSERT open a statement
	 * savepoint, and FTS5 flushes its pending terms to a new segment at each
	 * savepoint, so bulk imports ran at 19k subjects/s instead of 150k+.
	 * Any other code inserting subjects must insert into subjects_fts too.
	 * Updates and deletes are rare and keep their triggers. */
	"CREATE VIRTUAL TABLE subjects_fts USING fts5(name, content='subjects',"
	" content_rowid='id', tokenize='trigram');"
	"CREATE TRIGGER subjects_ad AFTER DELETE ON subjects BEGIN"
	" INSERT INTO subjects_fts(subjects_fts, rowid, name)"
	"  VALUES ('delete', old.id, old.name);"
	" END;"
	"CREATE TRIGGER subjects_au AFTER UPDATE ON subjects BEGIN"
	" INSERT INTO subjects_fts(subjects_fts, rowid, name)"
	"  VALUES ('delete', old.id, old.name);"
	" INSERT INTO subjects_fts(rowid, name) VALUES (new.id, new.name);"
	" END;"
	"CREATE TABLE batches("
	" id INTEGER PRIMARY KEY,"
	" unit_id INTEGER REFERENCES units(id),"
	" category_id INTEGER REFERENCES categories(id),"
	" file TEXT,"
	" format TEXT,"
	" encoding TEXT,"
	" reported_on TEXT NOT NULL,"
	" started_at TEXT,"
	" finished_at TEXT,"
	" status TEXT NOT NULL CHECK(status IN ('committed','refused')),"
	" message TEXT,"
	" \"rows\" INTEGER NOT NULL DEFAULT 0,"
	" added INTEGER NOT NULL DEFAULT 0,"
	" updated INTEGER NOT NULL DEFAULT 0,"
	" unchanged INTEGER NOT NULL DEFAULT 0,"
	" rejected INTEGER NOT NULL DEFAULT 0,"
	" error_report TEXT);"
	"CREATE TABLE batch_errors("
	" id INTEGER PRIMARY KEY,"
	" batch_id INTEGER NOT NULL REFERENCES batches(id),"
	" \"row\" INTEGER,"
	" sheet TEXT,"
	" \"column\" TEXT,"
	" value TEXT,"
	" reason_zh TEXT,"
	" reason_en TEXT);"
	"CREATE INDEX batch_errors_batch ON batch_errors(batch_id);"
	/* data last: the small columns stay at the front of the row */
	"CREATE TABLE records("
	" id INTEGER PRIMARY KEY,"
	" unit_id INTEGER NOT NULL,"
	" category_id INTEGER NOT NULL,"
	" key TEXT NOT NULL,"
	" subject_id INTEGER,"
	" decided_on TEXT,"
	" first_batch INTEGER NOT NULL," /* batch that first brought the record */
	" last_batch INTEGER NOT NULL,"  /* latest batch that contained it */
	" data_batch INTEGER NOT NULL,"  /* batch that brought the current data */
	" data TEXT NOT NULL,"
	" UNIQUE(unit_id, category_id, key));"
	"CREATE INDEX records_subject ON records(subject_id) WHERE subject_id IS NOT NULL;"
	/* batch ids grow, so this index is appended to, not scattered */
	"CREATE INDEX records_first_batch ON records(first_batch);"
	"CREATE TABLE record_versions("
	" id INTEGER PRIMARY KEY,"
	" record_id INTEGER NOT NULL,"
	" subject_id INTEGER,"
	" decided_on TEXT,"
	" batch_id INTEGER NOT NULL,"    /* batch that had brought this version */
	" replaced_by INTEGER NOT NULL," /* batch that superseded it */
	" data TEXT NOT NULL);"
	"CREATE INDEX record_versions_record ON record_versions(record_id);",
	/* 2: the city's monthly credit monitoring figures (城市信用监测) */
	"CREATE TABLE city_index("
	" month TEXT PRIMARY KEY CHECK(month GLOB '[0-9][0-9][0-9][0-9]-[01][0-9]'),"
	" score REAL NOT NULL CHECK(score >= 0 AND score <= 100),"
	" rank INTEGER NOT NULL CHECK(rank >= 1),"
	" updated_at TEXT NOT NULL);",
	/* 3: no index on records(first_batch).  Every imported row paid for it
	 * (one more b-tree insert per new record); its only reader is
	 * xy_store_record_count(batch), a rare call that now scans records
	 * (measured, 300k rows, min of 3: see bench/RESULTS.md, second pass). */
	"DROP INDEX IF EXISTS records_first_batch;",
	/* 4: lists, linked persons, checks, feedback, watch (issue 4).  Entry
	 * status is computed from the dates, never stored; exits are recorded,
	 * never deleted (list_entry_history keeps every change). */
	"CREATE TABLE list_types("
	" id INTEGER PRIMARY KEY,"
	" name TEXT NOT NULL UNIQUE,"
	" kind TEXT NOT NULL CHECK(kind IN ('red','black','watch')),"
	" unit TEXT,"
	" basis TEXT,"
	" validity TEXT NOT NULL,"
	" exit TEXT,"
	" national INTEGER NOT NULL DEFAULT 0,"
	" category TEXT);"
	"CREATE TABLE list_entries("
	" id INTEGER PRIMARY KEY,"
	" list_type_id INTEGER NOT NULL REFERENCES list_types(id),"
	" subject_id INTEGER NOT NULL REFERENCES subjects(id),"
	" unit_id INTEGER NOT NULL REFERENCES units(id),"
	" doc TEXT NOT NULL,"
	" reason TEXT,"
	" start_on TEXT NOT NULL,"
	" end_on TEXT,"
	" exit_on TEXT,"
	" exit_how TEXT CHECK(exit_how IN ('修复','注销','吊销','撤销')),"
	" created_at TEXT NOT NULL,"
	" CHECK((exit_on IS NULL) = (exit_how IS NULL)),"
	" CHECK(end_on IS NULL OR end_on >= start_on),"
	" UNIQUE(list_type_id, subject_id, doc));"
	"CREATE INDEX list_entries_subject ON list_entries(subject_id);"
	"CREATE TABLE list_entry_persons("
	" entry_id INTEGER NOT NULL REFERENCES list_entries(id),"
	" subject_id INTEGER NOT NULL REFERENCES subjects(id),"
	" role TEXT NOT NULL CHECK(role IN ('法定代表人','主要负责人','直接责任人')),"
	" PRIMARY KEY(entry_id, subject_id, role));"
	"CREATE INDEX list_entry_persons_subject ON list_entry_persons(subject_id);"
	"CREATE TABLE list_entry_history("
	" id INTEGER PRIMARY KEY,"
	" entry_id INTEGER NOT NULL REFERENCES list_entries(id),"
	" at TEXT NOT NULL,"
	" action TEXT NOT NULL,"
	" detail TEXT);"
	"CREATE INDEX list_entry_history_entry ON list_entry_history(entry_id);"
	"CREATE TABLE checks("
	" id INTEGER PRIMARY KEY,"
	" unit_id INTEGER NOT NULL REFERENCES units(id),"
	" subject_id INTEGER NOT NULL REFERENCES subjects(id),"
	" matter TEXT,"
	" check_date TEXT NOT NULL,"
	" at TEXT NOT NULL,"
	" answer TEXT NOT NULL);"
	"CREATE INDEX checks_subject ON checks(subject_id);"
	"CREATE TABLE feedback("
	" id INTEGER PRIMARY KEY,"
	" check_id INTEGER NOT NULL REFERENCES checks(id),"
	" memorandum TEXT NOT NULL,"
	" number INTEGER NOT NULL,"
	" applied INTEGER NOT NULL CHECK(applied IN (0, 1)),"
	" result TEXT,"
	" reason TEXT,"
	" at TEXT NOT NULL,"
	" UNIQUE(check_id, memorandum, number));"
	"CREATE TABLE subscriptions("
	" unit_id INTEGER NOT NULL REFERENCES units(id),"
	" subject_id INTEGER NOT NULL REFERENCES subjects(id),"
	" created_at TEXT NOT NULL,"
	" PRIMARY KEY(unit_id, subject_id));"
	"CREATE INDEX subscriptions_subject ON subscriptions(subject_id);"
	"CREATE TABLE notices("
	" id INTEGER PRIMARY KEY,"
	" unit_id INTEGER NOT NULL REFERENCES units(id),"
	" subject_id INTEGER NOT NULL REFERENCES subjects(id),"
	" entry_id INTEGER NOT NULL REFERENCES list_entries(id),"
	" at TEXT NOT NULL);"
	"CREATE INDEX notices_unit ON notices(unit_id);",
	/* 5: credit repair, objections, interviews (issue 4, docs/repair.md).  The
	 * display status of a record and overdue steps are computed from these
	 * dates and the holiday calendar, never stored; every step is an event. */
	"CREATE TABLE credit_cases("
	" id INTEGER PRIMARY KEY,"
	" kind TEXT NOT NULL CHECK(kind IN ('repair','objection')),"
	" record_id INTEGER NOT NULL REFERENCES records(id),"
	" subject_id INTEGER REFERENCES subjects(id),"
	" unit_id INTEGER NOT NULL REFERENCES units(id),"
	" entry_id INTEGER REFERENCES list_entries(id),"
	" filed_on TEXT NOT NULL,"
	" step TEXT NOT NULL,"
	" step_on TEXT NOT NULL,"
	" applicant TEXT,"
	" reason TEXT,"
	" evidence TEXT,"
	" commitment TEXT,"
	" created_at TEXT NOT NULL);"
	"CREATE INDEX credit_cases_record ON credit_cases(record_id);"
	"CREATE TABLE credit_case_events("
	" id INTEGER PRIMARY KEY,"
	" case_id INTEGER NOT NULL REFERENCES credit_cases(id),"
	" on_date TEXT NOT NULL,"
	" at TEXT NOT NULL,"
	" action TEXT NOT NULL,"
	" actor TEXT,"
	" detail TEXT);"
	"CREATE INDEX credit_case_events_case ON credit_case_events(case_id);"
	"CREATE TABLE interviews("
	" id INTEGER PRIMARY KEY,"
	" subject_id INTEGER NOT NULL REFERENCES subjects(id),"
	" unit_id INTEGER NOT NULL REFERENCES units(id),"
	" on_date TEXT NOT NULL,"
	" persons TEXT NOT NULL,"
	" npersons INTEGER NOT NULL CHECK(npersons >= 1),"
	" topic TEXT,"
	" result TEXT,"
	" created_at TEXT NOT NULL);"
	"CREATE INDEX interviews_subject ON interviews(subject_id);",
	/* 6: credit commitments (信用承诺书) with their fulfilment checks, and
	 * government dishonesty (政府失信) with its 治理 history (issue 4).
	 * Statuses are computed from the checks and the history dates. */
	"CREATE TABLE commitments("
	" id INTEGER PRIMARY KEY,"
	" unit_id INTEGER NOT NULL REFERENCES units(id),"
	" subject_id INTEGER NOT NULL REFERENCES subjects(id),"
	" no TEXT NOT NULL,"
	" type TEXT NOT NULL,"
	" matter TEXT,"
	" signed_on TEXT NOT NULL,"
	" deadline TEXT,"
	" content TEXT,"
	" created_at TEXT NOT NULL,"
	" CHECK(deadline IS NULL OR deadline >= signed_on),"
	" UNIQUE(unit_id, no));"
	"CREATE INDEX commitments_subject ON commitments(subject_id);"
	"CREATE TABLE commitment_checks("
	" id INTEGER PRIMARY KEY,"
	" commitment_id INTEGER NOT NULL REFERENCES commitments(id),"
	" checked_on TEXT NOT NULL,"
	" result TEXT NOT NULL CHECK(result IN ('履约','未履约')),"
	" checked_by TEXT NOT NULL,"
	" note TEXT,"
	" entry_id INTEGER REFERENCES list_entries(id),"
	" record_key TEXT,"
	" at TEXT NOT NULL);"
	"CREATE INDEX commitment_checks_commitment ON commitment_checks(commitment_id);"
	"CREATE TABLE gov_dishonesty("
	" id INTEGER PRIMARY KEY,"
	" body_id INTEGER NOT NULL REFERENCES subjects(id),"
	" unit_id INTEGER NOT NULL REFERENCES units(id),"
	" creditor_id INTEGER REFERENCES subjects(id),"
	" case_type TEXT NOT NULL,"
	" amount TEXT,"
	" source TEXT NOT NULL,"
	" registered_on TEXT NOT NULL,"
	" note TEXT,"
	" created_at TEXT NOT NULL,"
	" UNIQUE(body_id, source));"
	"CREATE INDEX gov_dishonesty_unit ON gov_dishonesty(unit_id);"
	"CREATE TABLE gov_dishonesty_history("
	" id INTEGER PRIMARY KEY,"
	" entry_id INTEGER NOT NULL REFERENCES gov_dishonesty(id),"
	" status TEXT NOT NULL CHECK(status IN ('未治理','治理中','已治理')),"
	" status_on TEXT NOT NULL,"
	" evidence TEXT,"
	" at TEXT NOT NULL);"
	"CREATE INDEX gov_dishonesty_history_entry ON gov_dishonesty_history(entry_id);",
	/* 7: list entries derived from imported records, memoranda loaded at run
	 * time (docs/credit.md).  A record is identified as in records (unit,
	 * category, key); data_batch says which version of it the entry reflects,
	 * so a corrected row (records.data_batch moves on) is derived again. */
	"CREATE TABLE list_entry_records("
	" unit_id INTEGER NOT NULL,"
	" category_id INTEGER NOT NULL,"
	" key TEXT NOT NULL,"
	" entry_id INTEGER NOT NULL REFERENCES list_entries(id),"
	" data_batch INTEGER NOT NULL,"
	" PRIMARY KEY(unit_id, category_id, key));"
	"CREATE INDEX list_entry_records_entry ON list_entry_records(entry_id);"
	"CREATE TABLE memoranda("
	" id INTEGER PRIMARY KEY,"
	" doc TEXT NOT NULL UNIQUE,"
	" file TEXT NOT NULL,"   /* the file it was loaded from, as given */
	" text TEXT NOT NULL,"   /* the memorandum as TSV (an XLSX is converted) */
	" loaded_at TEXT NOT NULL);",
	/* 8: earlier versions of a stored memorandum, kept when `memorandum load
	 * --replace` corrects it (checks already logged keep their answers). */
	"CREATE TABLE memorandum_versions("
	" id INTEGER PRIMARY KEY,"
	" doc TEXT NOT NULL,"
	" file TEXT NOT NULL,"
	" text TEXT NOT NULL,"
	" loaded_at TEXT NOT NULL,"
	" replaced_at TEXT NOT NULL);"
	"CREATE INDEX memorandum_versions_doc ON memorandum_versions(doc);",
	/* 9: intake as units really send it (issue 8).  column_mappings: a unit's
	 * own column names for a category's fields, applied on that unit's
	 * imports (xinyong mapping).  batch_sheets: each sheet of an imported
	 * file, the row its header was found on, or why it was skipped.
	 * batch_columns: columns with data that map to no field, with the nearest
	 * field as a suggestion (their values are kept in each record's data
	 * under "_extra").  batches.errors_stored: how many rejected rows have
	 * their errors in batch_errors (the first N; the rest are counted only). */
	"CREATE TABLE column_mappings("
	" id INTEGER PRIMARY KEY,"
	" unit_id INTEGER NOT NULL REFERENCES units(id),"
	" category_id INTEGER NOT NULL REFERENCES categories(id),"
	" header TEXT NOT NULL,"     /* as the unit writes it, trimmed */
	" field_code TEXT NOT NULL,"
	" created_at TEXT NOT NULL,"
	" UNIQUE(unit_id, category_id, header));"
	"CREATE TABLE batch_sheets("
	" batch_id INTEGER NOT NULL REFERENCES batches(id),"
	" seq INTEGER NOT NULL,"     /* order in the file, from 1 */
	" sheet TEXT NOT NULL,"      /* '' for a file without sheets */
	" header_row INTEGER,"       /* NULL: no header found (skipped) */
	" \"rows\" INTEGER NOT NULL DEFAULT 0,"
	" note TEXT,"                /* why skipped, or NULL */
	" PRIMARY KEY(batch_id, seq));"
	"CREATE TABLE batch_columns("
	" batch_id INTEGER NOT NULL REFERENCES batches(id),"
	" sheet TEXT NOT NULL,"      /* '' for a file without sheets */
	" col INTEGER NOT NULL,"     /* 1-based column */
	" header TEXT NOT NULL,"
	" suggestion TEXT,"          /* nearest field code, NULL when none is near */
	" cells INTEGER NOT NULL DEFAULT 0," /* non-empty cells in the column */
	" PRIMARY KEY(batch_id, sheet, col));"
	"ALTER TABLE batches ADD COLUMN errors_stored INTEGER NOT NULL DEFAULT 0;",
	/* 10: users, sessions, bearer tokens and the audit log (issue 9; the
	 * statements are in sqlite_auth.c).  Secrets are never stored: argon2id
	 * password hashes, generichash of session and token secrets.  The audit
	 * log is a hash chain (docs/security.md); triggers refuse UPDATE and
	 * DELETE on it, and audit_head keeps the last seq and hash so a deleted
	 * tail is noticed. */
	"CREATE TABLE users("
	" id INTEGER PRIMARY KEY,"
	" name TEXT NOT NULL UNIQUE,"
	" role TEXT NOT NULL CHECK(role IN ('unit', 'admin', 'auditor')),"
	" unit_id INTEGER REFERENCES units(id),"
	" pwhash TEXT NOT NULL,"
	" disabled INTEGER NOT NULL DEFAULT 0,"
	" created_at TEXT NOT NULL,"
	" changed_at TEXT NOT NULL,"
	" CHECK((role = 'unit') = (unit_id IS NOT NULL)));"
	"CREATE TABLE sessions("
	" hash TEXT PRIMARY KEY,"
	" user_id INTEGER NOT NULL REFERENCES users(id),"
	" created_at TEXT NOT NULL,"
	" expires INTEGER NOT NULL) WITHOUT ROWID;"
	"CREATE INDEX sessions_user ON sessions(user_id);"
	"CREATE TABLE tokens("
	" id INTEGER PRIMARY KEY,"
	" hash TEXT NOT NULL,"
	" role TEXT NOT NULL CHECK(role IN ('unit', 'admin', 'auditor')),"
	" unit_id INTEGER REFERENCES units(id),"
	" label TEXT NOT NULL DEFAULT '',"
	" created_by TEXT NOT NULL,"
	" created_at TEXT NOT NULL,"
	" expires INTEGER NOT NULL,"
	" revoked_at TEXT,"
	" CHECK((role = 'unit') = (unit_id IS NOT NULL)));"
	"CREATE TABLE audit_log("
	" seq INTEGER PRIMARY KEY,"
	" at TEXT NOT NULL,"
	" who TEXT NOT NULL,"
	" action TEXT NOT NULL,"
	" object TEXT NOT NULL DEFAULT '',"
	" detail TEXT NOT NULL DEFAULT '',"
	" before_digest TEXT NOT NULL DEFAULT '',"
	" after_digest TEXT NOT NULL DEFAULT '',"
	" prev TEXT NOT NULL,"
	" hash TEXT NOT NULL);"
	"CREATE INDEX audit_log_who ON audit_log(who);"
	"CREATE INDEX audit_log_action ON audit_log(action);"
	"CREATE TABLE audit_head("
	" one INTEGER PRIMARY KEY CHECK(one = 1),"
	" seq INTEGER NOT NULL,"
	" hash TEXT NOT NULL);"
	"CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log"
	" BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;"
	"CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log"
	" BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;",
	/* 11: the 双公示 feeds (xy_store_feed, sqlite_public.c): a category's
	 * records newest decision first, walked in index order and stopped at a
	 * page's end.  The rowid follows every index key, so the order is
	 * (category, decided_on, id) and the keyset needs no sort. */
	"CREATE INDEX records_feed ON records(category_id, decided_on)"
	" WHERE decided_on IS NOT NULL;",
	/* 12: personal ID numbers encrypted at rest (个人信息保护法; docs/security.md,
	 * sqlite_pii.c).  The key is in a file outside the database; pii_key
	 * records which key wrote it.  A personal subject code (every code type
	 * but uscc, regno, org and ric_masked: xy__pii_code_type) moves to
	 * code_enc encrypted and code keeps its keyed hash; the texts that may
	 * hold ID numbers are encrypted whole.  The name index's update trigger
	 * now fires on name changes only, so rewriting codes (here, and at each
	 * rekey) leaves subjects_fts alone. */
	"CREATE TABLE pii_key("
	" one INTEGER PRIMARY KEY CHECK(one = 1),"
	" key_id TEXT NOT NULL);"
	"INSERT INTO pii_key(one, key_id) VALUES (1, xy_key_id());"
	"ALTER TABLE subjects ADD COLUMN code_enc BLOB;"
	"DROP TRIGGER subjects_au;"
	"CREATE TRIGGER subjects_au AFTER UPDATE OF name ON subjects BEGIN"
	" INSERT INTO subjects_fts(subjects_fts, rowid, name)"
	"  VALUES ('delete', old.id, old.name);"
	" INSERT INTO subjects_fts(rowid, name) VALUES (new.id, new.name);"
	" END;"
	"UPDATE subjects SET code_enc = xy_enc(code), code = xy_lk(code, code_type)"
	" WHERE code_type NOT IN ('uscc', 'regno', 'org', 'ric_masked');"
	"UPDATE records SET data = xy_enc(data);"
	"UPDATE record_versions SET data = xy_enc(data);"
	"UPDATE batch_errors SET value = xy_enc(value);"
	"UPDATE checks SET answer = xy_enc(answer);"
	"UPDATE interviews SET persons = xy_enc(persons);",
	/* 13: issued credit reports (信用报告, sqlite_report.c; docs/credit-report.md):
	 * the number the library assigned (XY + day + seq), the digest of the
	 * PDF's bytes and the verification code, so a presented report can be
	 * told genuine, altered or unknown.  Name and code as the report printed
	 * them (the public view: a 身份证号 masked). */
	"CREATE TABLE credit_reports("
	" number TEXT PRIMARY KEY,"
	" day TEXT NOT NULL,"
	" seq INTEGER NOT NULL CHECK(seq > 0),"
	" subject_id INTEGER NOT NULL REFERENCES subjects(id),"
	" subject_name TEXT NOT NULL,"
	" subject_code TEXT NOT NULL,"
	" generated_at TEXT NOT NULL,"
	" data_as_of TEXT NOT NULL,"
	" sha256 TEXT NOT NULL,"
	" code TEXT NOT NULL,"
	" who TEXT NOT NULL,"
	" UNIQUE(day, seq));"
	"CREATE INDEX credit_reports_subject ON credit_reports(subject_id);",
	/* 14: online 信用修复 / 异议 applications from the public (sqlite_apps.c;
	 * docs/repair.md "Online applications"): the receipt the library made
	 * (XF/YY + day + seq), the case it filed, a hash of the secret the
	 * status needs (never the secret), the contact encrypted (xy_enc: it
	 * may be personal data), and the attachments by their SHA-256 (the files
	 * are under attachments/ beside the database, content-addressed). */
	"CREATE TABLE applications("
	" id INTEGER PRIMARY KEY,"
	" receipt TEXT NOT NULL UNIQUE,"
	" day TEXT NOT NULL,"
	" seq INTEGER NOT NULL CHECK(seq > 0),"
	" kind TEXT NOT NULL CHECK(kind IN ('repair', 'objection')),"
	" case_id INTEGER NOT NULL UNIQUE REFERENCES credit_cases(id),"
	" secret TEXT NOT NULL,"
	" contact BLOB NOT NULL,"
	" filed_at TEXT NOT NULL,"
	" UNIQUE(day, seq));"
	"CREATE TABLE application_attachments("
	" application_id INTEGER NOT NULL REFERENCES applications(id),"
	" n INTEGER NOT NULL CHECK(n BETWEEN 1 AND 5),"
	" name TEXT NOT NULL,"
	" type TEXT NOT NULL,"
	" size INTEGER NOT NULL CHECK(size >= 0),"
	" sha256 TEXT NOT NULL,"
	" PRIMARY KEY(application_id, n));",
	/* 15: a unit marks its notices read (sqlite_unit.c; docs/credit.md
	 * "Notices"): when, NULL while unread; the unread ones of a unit are
	 * found through notices_unit. */
	"ALTER TABLE notices ADD COLUMN read_at TEXT;",
	/* 16: units the office added or renamed (sqlite_units.c; docs/api.md
	 * "Units"): a renamed unit's former names, which still find it (files
	 * and tables.tsv written before the rename), never another unit's. */
	"CREATE TABLE unit_aliases("
	" name TEXT PRIMARY KEY,"
	" unit_id INTEGER NOT NULL REFERENCES units(id),"
	" until TEXT NOT NULL);"
	"CREATE INDEX unit_aliases_unit ON unit_aliases(unit_id);",
	/* 17: credit grading (sqlite_grade.c; docs/grading.md): each model text
	 * once by its SHA-256, the runs (as of a date; batch_id: an incremental
	 * run over one batch's subjects) and each subject's grade with its
	 * explanation; a subject's history walks grades_subject. */
	"CREATE TABLE grade_models("
	" id INTEGER PRIMARY KEY,"
	" sha256 TEXT NOT NULL UNIQUE,"
	" name TEXT NOT NULL,"
	" text TEXT NOT NULL,"
	" loaded_at TEXT NOT NULL);"
	"CREATE TABLE grade_runs("
	" id INTEGER PRIMARY KEY,"
	" model_id INTEGER NOT NULL REFERENCES grade_models(id),"
	" as_of TEXT NOT NULL,"
	" batch_id INTEGER REFERENCES batches(id),"
	" at TEXT NOT NULL,"
	" subjects INTEGER NOT NULL DEFAULT 0);"
	"CREATE TABLE grades("
	" id INTEGER PRIMARY KEY,"
	" run_id INTEGER NOT NULL REFERENCES grade_runs(id),"
	" subject_id INTEGER NOT NULL REFERENCES subjects(id),"
	" score INTEGER NOT NULL CHECK(score BETWEEN 0 AND 10000),"
	" grade TEXT NOT NULL,"
	" items TEXT NOT NULL);"
	"CREATE UNIQUE INDEX grades_subject ON grades(subject_id, run_id);"
	"CREATE INDEX grades_run ON grades(run_id, grade);",
	/* 18: 双随机、一公开 (sqlite_inspect.c; docs/inspection.md): plans and
	 * draws as the texts that were published, with their SHA-256; draws
	 * can be neither changed nor deleted; one result per drawn target. */
	"CREATE TABLE inspect_plans("
	" id INTEGER PRIMARY KEY,"
	" unit TEXT NOT NULL,"
	" name TEXT NOT NULL,"
	" text TEXT NOT NULL,"
	" digest TEXT NOT NULL UNIQUE,"
	" created_at TEXT NOT NULL,"
	" who TEXT NOT NULL);"
	"CREATE TABLE inspect_draws("
	" id INTEGER PRIMARY KEY,"
	" plan_id INTEGER NOT NULL REFERENCES inspect_plans(id),"
	" random TEXT NOT NULL,"
	" population TEXT NOT NULL,"
	" population_digest TEXT NOT NULL,"
	" text TEXT NOT NULL,"
	" digest TEXT NOT NULL,"
	" drawn_at TEXT NOT NULL,"
	" who TEXT NOT NULL);"
	"CREATE INDEX inspect_draws_plan ON inspect_draws(plan_id);"
	"CREATE TRIGGER inspect_draws_no_update BEFORE UPDATE ON inspect_draws"
	" BEGIN SELECT RAISE(ABORT, 'inspect_draws is append-only'); END;"
	"CREATE TRIGGER inspect_draws_no_delete BEFORE DELETE ON inspect_draws"
	" BEGIN SELECT RAISE(ABORT, 'inspect_draws is append-only'); END;"
	"CREATE TRIGGER inspect_plans_no_update BEFORE UPDATE ON inspect_plans"
	" BEGIN SELECT RAISE(ABORT, 'inspect_plans is append-only'); END;"
	"CREATE TABLE inspect_results("
	" draw_id INTEGER NOT NULL REFERENCES inspect_draws(id),"
	" code TEXT NOT NULL,"
	" outcome TEXT NOT NULL,"
	" detail TEXT NOT NULL,"
	" recorded_at TEXT NOT NULL,"
	" who TEXT NOT NULL,"
	" batch_id INTEGER REFERENCES batches(id),"
	" PRIMARY KEY(draw_id, code));"
	"CREATE INDEX inspect_results_code ON inspect_results(code, recorded_at);",
	/* 19: each subject's latest grade without reading the rows (their
	 * explanations make the table ~1 KB a row): a draw looks up every
	 * subject of its file (xy_store_grades_latest, sqlite_grade.c) */
	"CREATE INDEX grades_latest ON grades(subject_id, run_id, grade);",
	/* 20: the records a batch added or changed, by batch (sqlite_grade.c):
	 * an import into a graded database re-grades those records' subjects
	 * (docs/grading.md), and without an index finding them scanned every
	 * record, once per indicator (3.3 s per import on the demo database
	 * instead of 0.03 s).  On data_batch rather than last_batch: a record
	 * seen again unchanged only has its last_batch touched, so a re-import
	 * does not move this index, and a new record's entry is appended: the
	 * key is (data_batch, rowid), both growing.  Not (data_batch,
	 * subject_id): subjects come in any order, so each new entry would land
	 * anywhere in the batch's range (more import CPU, measured).  Migration 3
	 * dropped records_first_batch for its import cost; this one's is in
	 * bench/RESULTS.md, "Grading". */
	"CREATE INDEX records_data_batch ON records(data_batch);",
	/* 21: PostgreSQL partitions records by subject, their identity in
	 * record_keys (pg.c); SQLite's records keep UNIQUE(unit, category, key).
	 * The step keeps the two backends' schema numbers the same (xinyong db
	 * counts, /readyz, migrate's check that source and target are at one
	 * version). */
	"SELECT 1;",
	/* 22: PostgreSQL partitions its check log by month (pg.c); a SQLite
	 * database keeps one table.  Empty here, as 21. */
	"SELECT 1;",
	/* 23: each subject's latest grade in one row, a byte per subject id
	 * (sqlite_grade.c, "The latest-grade map"), kept by every grading run:
	 * a draw read every grade of every run (grades_latest) for it, a third
	 * of a draw from a million subjects and growing with each run.  Derived
	 * data, as the name index is: not counted by `db counts`, not copied by
	 * `migrate`, rebuilt from grades by the next run when missing.  Empty
	 * here: the first run after the upgrade fills it. */
	"CREATE TABLE grade_latest(id INTEGER PRIMARY KEY CHECK(id = 1), map BLOB NOT NULL);",
	/* 24: PostgreSQL keeps a record's last_batch (and a keyed digest of its
	 * content) in record_keys, so a re-import does not rewrite the wide
	 * records row (pg.c); SQLite's records keep last_batch.  Empty here. */
	"SELECT 1;",
	/* 25: PostgreSQL puts the subject into every key of a subject-owned
	 * table and moves the subjects' code to subject_keys, the layout Citus
	 * distributes by subject (pg.c, docs/SCALING.md "Citus"); one SQLite
	 * file is never distributed, and its keys stay as they are.  Empty
	 * here, as 21. */
	"SELECT 1;",
};

#define NMIGRATIONS ((int)(sizeof migrations / sizeof migrations[0]))

/* ---- statements ----
 *
 * The handle's own statements; the other files of the backend keep theirs
 * next to the code that binds them, each in its slot range (sqlite_int.h). */

enum st {
	ST_BEGIN,
	ST_BEGIN_READ,
	ST_COMMIT,
	ST_ROLLBACK,
	ST_NEST,
	ST_NEST_RELEASE,
	ST_DATA_VERSION,
	ST_UNITS_ANY,
	ST__N
};

static const char *const sql_text[ST__N] = {
	[ST_BEGIN] = "BEGIN IMMEDIATE",
	[ST_BEGIN_READ] = "BEGIN DEFERRED",
	[ST_COMMIT] = "COMMIT",
	[ST_ROLLBACK] = "ROLLBACK",
	[ST_NEST] = "SAVEPOINT xy_nested",
	[ST_NEST_RELEASE] = "RELEASE xy_nested",
	[ST_DATA_VERSION] = "PRAGMA data_version",
	[ST_UNITS_ANY] = "SELECT 1 FROM units LIMIT 1",
};

/* ---- waiting for another process's lock ---- */

static size_t cache_kib; /* xy_store_set_cache; 0: SQLite's default */

void xy_store_set_cache(size_t kib)
{
	cache_kib = kib > (size_t)INT_MAX ? (size_t)INT_MAX : kib;
}

/* SQLite's busy handler: sleep with growing steps (as its own busy_timeout
 * does) up to xy_store_set_wait's time in all, telling its notice once per
 * wait.  A custom handler instead of PRAGMA busy_timeout only for that
 * notice. */
static int busy_wait(void *arg, int count)
{
	static const unsigned steps[] = { 1, 2, 5, 10, 15, 20, 25, 25, 25, 50, 50, 100 };
	unsigned *slept = arg;
	unsigned step, wait_ms = xy__store_wait_ms();
	if (count == 0) {
		*slept = 0;
		xy__store_wait_notice();
	}
	if (*slept >= wait_ms)
		return 0;
	step = (size_t)count < sizeof steps / sizeof *steps ? steps[count] : 100;
	if (step > wait_ms - *slept)
		step = wait_ms - *slept;
	sqlite3_sleep((int)step);
	*slept += step;
	return 1;
}

/* ---- the handle ---- */

struct xy__pii *xy__sq_pii(xy_store *s)
{
	return SQ(s)->pii;
}

/* Wrap the SQLite error rc (just returned by db) into err. */
xy_code xy__sq_fail(xy_store *base, int rc, const char *what, xy_error *err)
{
	sq_store *s = SQ(base);
	/* a failed bind answered by sq_step left no message of its own */
	const char *msg = s->db && sqlite3_extended_errcode(s->db) == rc ? sqlite3_errmsg(s->db)
									: sqlite3_errstr(rc);
	switch (rc & 0xff) {
	case SQLITE_FULL:
		return xy_error_set(err, XY_ERR_STORE,
				    "sqlite: disk full, nothing was written (%s) (while %s)",
				    msg, what);
	case SQLITE_BUSY:
	case SQLITE_LOCKED:
		return xy_error_set(err, XY_ERR_STORE,
				    "sqlite: database is locked by another process (while %s)",
				    what);
	default:
		return xy_error_set(err, XY_ERR_STORE, "sqlite: %s (while %s)", msg, what);
	}
}


/* The prepared statement id, ready for binding (statements are always reset
 * after use). */
static xy_code prep(sq_store *s, enum st id, sqlite3_stmt **out, xy_error *err)
{
	return xy__sq_prep(&s->base, XY__SQ_CORE + id, sql_text[id], out, err);
}

/* For the backend's other files (sqlite_int.h). */
sqlite3 *xy__sq_db(xy_store *s)
{
	return SQ(s)->db;
}
xy_code xy__sq_prep(xy_store *base, unsigned slot, const char *sql, sqlite3_stmt **out,
		    xy_error *err)
{
	sq_store *s = SQ(base);
	if (slot >= XY__SQ_EXTRA)
		return xy_error_set(err, XY_ERR_ARG, "statement slot %u out of range", slot);
	/* store.h, "Re-entrancy": a callback called this query again while it
	 * is still stepping; resetting it would end the caller's loop */
	if (s->extra[slot] && sqlite3_stmt_busy(s->extra[slot]))
		return xy_error_set(err, XY_ERR_STORE,
				    "the store was called from a callback of the same query "
				    "(statement %u still running)", slot);
	if (!s->extra[slot]) {
		int rc = sqlite3_prepare_v3(s->db, sql, -1, SQLITE_PREPARE_PERSISTENT,
					    &s->extra[slot], NULL);
		if (rc != SQLITE_OK) {
			s->extra[slot] = NULL;
			return sq_fail(s, rc, "preparing a statement", err);
		}
	}
	*out = s->extra[slot];
	return XY_OK;
}

/* Prepare, bind nothing, run. */
static xy_code run_id(sq_store *s, enum st id, const char *what, xy_error *err)
{
	sqlite3_stmt *st = NULL;
	xy_code rc = prep(s, id, &st, err);
	return rc ? rc : sq_run(s, st, what, err);
}

xy_code xy__sq_exec(sq_store *s, const char *sql, const char *what, xy_error *err)
{
	int rc = sqlite3_exec(s->db, sql, NULL, NULL, NULL);
	return rc == SQLITE_OK ? XY_OK : sq_fail(s, rc, what, err);
}

static xy_code pragma_int(sq_store *s, const char *sql, int64_t *v, xy_error *err)
{
	sqlite3_stmt *st = NULL;
	int rc = sqlite3_prepare_v2(s->db, sql, -1, &st, NULL);
	if (rc != SQLITE_OK)
		return sq_fail(s, rc, sql, err);
	rc = sq_step(s, st);
	if (rc == SQLITE_ROW)
		*v = sqlite3_column_int64(st, 0);
	else if (rc != SQLITE_DONE) {
		xy_code code = sq_fail(s, rc, sql, err);
		sqlite3_finalize(st);
		return code;
	}
	sqlite3_finalize(st);
	return XY_OK;
}

/* ---- open, migrate, close ---- */

static void sq_close(xy_store *base)
{
	sq_store *s = SQ(base);
	size_t i;
	for (i = 0; i < XY__SQ_EXTRA; i++)
		sqlite3_finalize(s->extra[i]);
	sqlite3_close(s->db);
	if (s->wal_fd >= 0)
		close(s->wal_fd);
	free(s->cache);
	free(s->run_grades);
	xy__sq_pii_free(s->pii);
	free(s);
}

static int sq_schema_version(xy_store *base)
{
	return SQ(base)->version;
}

/* PRAGMA table_list (SQLite 3.37) tells ordinary tables from virtual tables
 * and their shadow tables (the full-text index), which hold no data of
 * their own; one count(*) per table, prepared per call (a rare read). */
static xy_code sq_table_rows(xy_store *base, xy_table_rows_cb cb, void *ctx, xy_error *err)
{
	sq_store *s = SQ(base);
	sqlite3_stmt *names = NULL, *count = NULL;
	xy_code rc = XY_OK;
	int src = sqlite3_prepare_v2(s->db,
				     "SELECT name FROM pragma_table_list WHERE schema = 'main'"
				     " AND type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'"
				     " AND name <> 'grade_latest' ORDER BY name",
				     -1, &names, NULL);
	if (src != SQLITE_OK)
		return xy__sq_fail(base, src, "listing the tables", err);
	while ((src = sqlite3_step(names)) == SQLITE_ROW) {
		const char *name = xy__sq_col(names, 0);
		char *sql = sqlite3_mprintf("SELECT count(*) FROM \"%w\"", name);
		long long n = 0;
		if (!sql) {
			rc = xy_error_set(err, XY_ERR_NOMEM, "out of memory");
			break;
		}
		src = sqlite3_prepare_v2(s->db, sql, -1, &count, NULL);
		sqlite3_free(sql);
		if (src == SQLITE_OK && (src = sqlite3_step(count)) == SQLITE_ROW)
			n = sqlite3_column_int64(count, 0);
		sqlite3_finalize(count);
		count = NULL;
		if (src != SQLITE_ROW) {
			rc = xy__sq_fail(base, src, "counting a table's rows", err);
			break;
		}
		if (cb(ctx, name, n))
			break;
	}
	if (!rc && src != SQLITE_ROW && src != SQLITE_DONE)
		rc = xy__sq_fail(base, src, "listing the tables", err);
	sqlite3_finalize(names);
	return rc;
}

/* PRAGMA integrity_check answers one row "ok", or one row per problem;
 * then the latest-grade map against the grades it is derived from. */
static xy_code sq_check(xy_store *base, xy_buf *problems, xy_error *err)
{
	sq_store *s = SQ(base);
	sqlite3_stmt *st = NULL;
	xy_code rc = XY_OK;
	int src = sqlite3_prepare_v2(s->db, "PRAGMA integrity_check", -1, &st, NULL);
	if (src != SQLITE_OK)
		return xy__sq_fail(base, src, "checking the database", err);
	while (!rc && (src = sqlite3_step(st)) == SQLITE_ROW) {
		const char *line = xy__sq_col(st, 0);
		if (strcmp(line, "ok") && (xy_buf_addstr(problems, line) || xy_buf_addch(problems, '\n')))
			rc = xy_error_set(err, XY_ERR_NOMEM, "out of memory");
	}
	if (!rc && src != SQLITE_DONE)
		rc = xy__sq_fail(base, src, "checking the database", err);
	sqlite3_finalize(st);
	return rc ? rc : xy__sq_grade_map_check(base, problems, err);
}

/* mkdir -p of the directory part of path */
static xy_code make_parents(const char *path, xy_error *err)
{
	char dir[4096];
	size_t len = strlen(path), i;
	while (len && path[len - 1] != '/')
		len--;
	while (len > 1 && path[len - 1] == '/')
		len--;
	if (!len || (len == 1 && path[0] == '/'))
		return XY_OK;
	if (len >= sizeof dir)
		return xy_error_set(err, XY_ERR_ARG, "database path too long");
	memcpy(dir, path, len);
	dir[len] = '\0';
	for (i = 1; i <= len; i++) {
		if (i < len && dir[i] != '/')
			continue;
		dir[i] = '\0';
		if (mkdir(dir, 0777) != 0 && errno != EEXIST)
			return xy_error_at(err, XY_ERR_IO, dir, 0, NULL,
					   "cannot create directory: %s", strerror(errno));
		if (i < len)
			dir[i] = '/';
	}
	return XY_OK;
}

static xy_code migrate(sq_store *s, int upto, xy_error *err)
{
	int64_t v = 0;
	xy_code rc = pragma_int(s, "PRAGMA user_version", &v, err);
	if (rc)
		return rc;
	/* migrations[] is indexed by the version: anything outside 0…current is
	 * not a database this xinyong wrote (a negative user_version read
	 * before the table). */
	if (v < 0)
		return xy_error_set(err, XY_ERR_STORE,
				    "database schema version %lld is invalid (expected 0 to %d); "
				    "not a xinyong database or a damaged one",
				    (long long)v, NMIGRATIONS);
	if (v > NMIGRATIONS)
		return xy_error_set(err, XY_ERR_STORE,
				    "database schema version %lld is newer than this xinyong (%d)",
				    (long long)v, NMIGRATIONS);
	while (v < upto) {
		char bump[64];
		int64_t now = 0;
		if ((rc = xy__sq_exec(s, "BEGIN IMMEDIATE", "starting a migration", err)))
			return rc;
		/* another process may have migrated while we waited for the lock */
		if ((rc = pragma_int(s, "PRAGMA user_version", &now, err)))
			goto fail;
		if (now < 0 || now > NMIGRATIONS) {
			rc = xy_error_set(err, XY_ERR_STORE,
					  "database schema version %lld is outside 0 to %d "
					  "(not written by this xinyong)", (long long)now, NMIGRATIONS);
			goto fail;
		}
		if (now == v) {
			snprintf(bump, sizeof bump, "PRAGMA user_version = %d", (int)v + 1);
			if ((rc = xy__sq_exec(s, migrations[v], "migrating the schema", err)) ||
			    (rc = xy__sq_exec(s, bump, "migrating the schema", err)))
				goto fail;
		}
		if ((rc = xy__sq_exec(s, "COMMIT", "committing a migration", err)))
			goto fail;
		v = now == v ? v + 1 : now;
	}
	s->version = (int)v;
	return XY_OK;
fail:
	sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
	return rc;
}

static const struct xy__store_ops sqlite_ops;

xy_code xy__sqlite_open(xy_store **out, const char *path, xy_error *err)
{
	return xy__sqlite_open_at(out, path, NMIGRATIONS, err);
}

xy_code xy__sqlite_open_at(xy_store **out, const char *path, int upto, xy_error *err)
{
	sq_store *s;
	struct stat sb;
	int64_t v;
	xy_code rc;
	int src;
	*out = NULL;
	if (strcmp(path, ":memory:") && stat(path, &sb) != 0 && errno == ENOENT &&
	    (rc = make_parents(path, err)))
		return rc;
	s = calloc(1, sizeof *s);
	if (!s)
		return xy_error_set(err, XY_ERR_NOMEM, "out of memory opening the store");
	s->base.ops = &sqlite_ops;
	s->wal_fd = -1;
	/* NOMUTEX: a handle is used by one thread at a time (see backend.h) */
	src = sqlite3_open_v2(path, &s->db,
			      SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
			      NULL);
	if (src != SQLITE_OK) {
		if (!s->db)
			rc = xy_error_set(err, XY_ERR_NOMEM, "out of memory opening the store");
		else
			rc = xy_error_at(err, XY_ERR_STORE, path, 0, NULL,
					 "sqlite: cannot open database: %s",
					 sqlite3_errmsg(s->db));
		sq_close(&s->base);
		return rc;
	}
	sqlite3_extended_result_codes(s->db, 1);
	/* busy_timeout first: switching to WAL needs a lock.  page_size only
	 * takes effect on a new, empty file (before WAL is switched on): 32 KiB
	 * pages hold ~30 records of ~1 KB instead of 4, so a bulk import writes
	 * and balances 8x fewer pages and makes 8x fewer write calls (measured,
	 * 100k rows, min of 3: 4 KiB 2.57 s, 16 KiB 1.96 s, 32 KiB 1.51 s,
	 * 64 KiB 1.92 s; re-import 2.81 / 1.63 / 1.41 / 1.71 s). */
	sqlite3_busy_handler(s->db, busy_wait, &s->busy_slept);
	if ((rc = xy__sq_exec(s, "PRAGMA page_size = 32768", "opening", err)) ||
	    (rc = xy__sq_exec(s, "PRAGMA journal_mode = WAL", "switching to WAL", err)) ||
	    (rc = xy__sq_exec(s, "PRAGMA synchronous = NORMAL", "opening", err)) ||
	    (rc = xy__sq_exec(s, "PRAGMA foreign_keys = ON", "opening", err)) ||
	    (rc = xy__sq_pii_open(&s->base, path, &s->pii, err)) ||
	    (rc = xy__sq_pii_register(&s->base, s->pii, err)) ||
	    (rc = migrate(s, upto < NMIGRATIONS ? upto : NMIGRATIONS, err))) {
		sq_close(&s->base);
		return rc;
	}
	if (cache_kib) {
		char sql[64];
		snprintf(sql, sizeof sql, "PRAGMA cache_size = -%zu", cache_kib);
		if ((rc = xy__sq_exec(s, sql, "opening", err))) {
			sq_close(&s->base);
			return rc;
		}
	}
	v = 0;
	if ((rc = pragma_int(s, "PRAGMA cache_size", &v, err))) {
		sq_close(&s->base);
		return rc;
	}
	s->cache_size = (int)v;
	v = 0;
	if ((rc = pragma_int(s, "PRAGMA temp_store", &v, err))) {
		sq_close(&s->base);
		return rc;
	}
	s->temp_store = (int)v;
	*out = &s->base;
	return XY_OK;
}

static xy_code sq_registry_empty(xy_store *base, bool *empty, xy_error *err)
{
	sq_store *s = SQ(base);
	sqlite3_stmt *st = NULL;
	xy_code rc = prep(s, ST_UNITS_ANY, &st, err);
	int src;
	if (rc)
		return rc;
	src = sq_step(s, st);
	if (src == SQLITE_ROW || src == SQLITE_DONE)
		*empty = src == SQLITE_DONE;
	else
		rc = sq_fail(s, src, "reading units", err);
	sqlite3_reset(st);
	return rc;
}

/* ---- transactions ---- */

void xy__sq_cache_clear(sq_store *s)
{
	if (s->cache && s->cache_used) {
		memset(s->cache, 0, SUBJ_SLOTS * sizeof *s->cache);
		s->cache_used = 0;
	}
}

/* Another connection committed since we last looked: cached subjects may
 * have been renamed or deleted.  (data_version ignores our own commits.) */
void xy__sq_cache_check(sq_store *s)
{
	sqlite3_stmt *st = NULL;
	if (prep(s, ST_DATA_VERSION, &st, NULL))
		return;
	if (sq_step(s, st) == SQLITE_ROW) {
		int64_t v = sqlite3_column_int64(st, 0);
		if (v != s->data_version)
			xy__sq_cache_clear(s);
		s->data_version = v;
	}
	sqlite3_reset(st);
}

/* Exclusive bulk load.  In WAL mode every byte of a bulk import is written
 * twice (into the -wal file, then by the checkpoint into the database), and
 * pages changed again after a spill make COMMIT re-read the whole WAL.  With
 * a rollback journal, pages that are new at the start of the transaction are
 * not journaled: a large insert is written once, into the database.
 *
 * Leaving WAL mode needs the database to itself: SQLite takes an EXCLUSIVE
 * lock on the file without waiting (no busy handler), and every other
 * connection in WAL mode holds a SHARED lock as long as it is open.  So when
 * anyone else (a running portal, a second command) has the database open,
 * the switch fails at once and the batch runs in WAL mode as before; nobody
 * is blocked by the attempt.  When it succeeds, locking_mode = EXCLUSIVE
 * keeps the lock until the batch ends: a connection opened meanwhile waits
 * (busy_timeout) like for any writer, and fails after it.  synchronous =
 * FULL while in rollback mode (NORMAL is only safe with WAL).
 *
 * All-or-nothing is SQLite's: a SIGKILL leaves a hot -journal that the next
 * connection rolls back (truncating the new pages away) before it switches to
 * WAL at open; a full disk makes SQLite roll back from the journal. */
static void excl_end(sq_store *s);

static void excl_begin(sq_store *s)
{
	sqlite3_stmt *st = NULL;
	bool ok = false;
	if (sqlite3_prepare_v2(s->db, "PRAGMA journal_mode = DELETE", -1, &st, NULL) != SQLITE_OK)
		return;
	if (sq_step(s, st) == SQLITE_ROW) {
		const char *m = (const char *)sqlite3_column_text(st, 0);
		ok = m && !strcmp(m, "delete");
	}
	sqlite3_finalize(st);
	if (!ok)
		return; /* busy (someone else has it open), or :memory: */
	s->excl = true;
	if (sqlite3_exec(s->db, "PRAGMA locking_mode = EXCLUSIVE; PRAGMA synchronous = FULL",
			 NULL, NULL, NULL) != SQLITE_OK)
		excl_end(s);
}

/* Back to WAL after an exclusive bulk transaction (committed or rolled
 * back).  locking_mode NORMAL first: a WAL entered in exclusive locking mode
 * keeps its index in private memory and could not be shared.  If the switch
 * fails, the file stays in rollback mode until the next connection opens it
 * (opening always asks for WAL). */
static void excl_end(sq_store *s)
{
	s->excl = false;
	sqlite3_exec(s->db, "PRAGMA locking_mode = NORMAL; PRAGMA synchronous = NORMAL; "
			    "PRAGMA journal_mode = WAL",
		     NULL, NULL, NULL);
}

/* Leave bulk mode (cache and temp store back to what they were). */
static void bulk_end(sq_store *s)
{
	char sql[96];
	s->fts_from = 0;
	if (!s->bulk)
		return;
	s->bulk = false;
	s->bulk_rows = 0;
	if (s->wal_fd >= 0) {
		close(s->wal_fd);
		s->wal_fd = -1;
	}
	if (s->excl)
		excl_end(s);
	snprintf(sql, sizeof sql, "PRAGMA cache_size = %d; PRAGMA temp_store = %d",
		 s->cache_size, s->temp_store);
	sqlite3_exec(s->db, sql, NULL, NULL, NULL);
	/* give the bulk cache's memory back now rather than at close */
	sqlite3_db_release_memory(s->db);
}

/* Start writing the WAL (or, in an exclusive bulk load, the database file) to
 * disk while the bulk transaction is still running.
 * A 1M-row import leaves ~1 GB of WAL in the kernel's page cache, which the
 * checkpoint at COMMIT must fdatasync() first: 1.3 s of waiting on one core
 * while the other is idle (strace -T).  Asking for write-back every
 * WRITEBACK_ROWS records overlaps that disk time with the import; COMMIT's
 * fdatasync() still makes it durable, so nothing about durability changes.
 * Linux only (sync_file_range); a no-op elsewhere and on any error. */
#define WRITEBACK_ROWS 4096

void xy__sq_wal_writeback(sq_store *s)
{
#ifdef SYNC_FILE_RANGE_WRITE
	if (s->wal_fd < 0) {
		const char *db = sqlite3_db_filename(s->db, "main");
		const char *wal = s->excl ? db : sqlite3_filename_wal(db);
		if (!wal || !*wal || (s->wal_fd = open(wal, O_RDONLY | O_CLOEXEC)) < 0)
			return;
	}
	sync_file_range(s->wal_fd, 0, 0, SYNC_FILE_RANGE_WRITE);
#else
	(void)s;
#endif
}

/* Bulk page cache: 32 MiB.  Measured with 1M records (~400-byte data, 200k
 * subjects) in one transaction: keys in file order do not care (80-90k rows/s
 * from 16 to 128 MiB); keys in random order ran at 44k rows/s with 16 MiB
 * (27 MB peak RSS), 50k with 32 MiB (45 MB) and 70k with 64 MiB (80 MB).
 * The whole import must stay under 64 MB RSS, so 32 MiB is the most we can
 * give. */
#define BULK_CACHE_KIB 32768

static xy_code sq_begin(xy_store *base, bool bulk, xy_error *err)
{
	sq_store *s = SQ(base);
	xy_code rc;
	/* inside a transaction: a savepoint, so a domain function that runs its
	 * own transaction (xy_credit_list_add) can be part of a larger one */
	if (!sqlite3_get_autocommit(s->db)) {
		/* prepared once: a server's grouped writes open one per job */
		if ((rc = run_id(s, ST_NEST, "opening a nested transaction", err)))
			return rc;
		s->depth++;
		return XY_OK;
	}
	if (bulk) {
		char sql[96];
		snprintf(sql, sizeof sql, "PRAGMA cache_size = -%d; PRAGMA temp_store = MEMORY",
			 BULK_CACHE_KIB);
		if ((rc = xy__sq_exec(s, sql, "entering bulk mode", err)))
			return rc;
		s->bulk = true;
		excl_begin(s);
	}
	if ((rc = run_id(s, ST_BEGIN, "beginning a transaction", err))) {
		bulk_end(s);
		return rc;
	}
	xy__sq_cache_check(s);
	return XY_OK;
}

static xy_code sq_commit(xy_store *base, xy_error *err)
{
	sq_store *s = SQ(base);
	xy_code rc;
	if (s->depth && !sqlite3_get_autocommit(s->db)) {
		if ((rc = run_id(s, ST_NEST_RELEASE, "closing a nested transaction", err)))
			return rc;
		s->depth--;
		return XY_OK;
	}
	s->depth = 0;
	rc = xy__sq_fts_flush(s, err);
	if (rc)
		return rc; /* still in the transaction: the caller rolls back */
	rc = run_id(s, ST_COMMIT, "committing", err);
	if (sqlite3_get_autocommit(s->db)) {
		/* committed, or SQLite rolled back by itself (e.g. disk full) */
		if (rc)
			xy__sq_cache_clear(s);
		bulk_end(s);
	}
	return rc;
}

static bool sq_in_transaction(xy_store *base)
{
	return !sqlite3_get_autocommit(SQ(base)->db);
}

/* A deferred BEGIN takes no lock: the first read takes the WAL snapshot and
 * the shared lock once, and every later statement reads the same state. */
static xy_code sq_read_begin(xy_store *base, xy_error *err)
{
	sq_store *s = SQ(base);
	xy_code rc;
	if (!sqlite3_get_autocommit(s->db))
		return XY_OK; /* a transaction already runs: nothing to add */
	if ((rc = run_id(s, ST_BEGIN_READ, "beginning a read transaction", err)))
		return rc;
	s->read_tx = true;
	return XY_OK;
}

static void sq_read_end(xy_store *base)
{
	sq_store *s = SQ(base);
	if (!s->read_tx)
		return;
	s->read_tx = false;
	if (!sqlite3_get_autocommit(s->db) && run_id(s, ST_COMMIT, "ending a read transaction", NULL))
		sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
}

/* PRAGMA data_version starts the read snapshot (when none is taken yet) but
 * ignores this connection's own commits; the pager's counter
 * (SQLITE_FCNTL_DATA_VERSION) counts both, as of that snapshot. */
static xy_code sq_data_version(xy_store *base, uint64_t *version, xy_error *err)
{
	sq_store *s = SQ(base);
	sqlite3_stmt *st = NULL;
	unsigned v = 0;
	xy_code rc = prep(s, ST_DATA_VERSION, &st, err);
	if (rc)
		return rc;
	int step = sq_step(s, st);
	sqlite3_reset(st);
	if (step != SQLITE_ROW)
		return xy_error_set(err, XY_ERR_STORE, "reading the data version: %s",
				    sqlite3_errmsg(s->db));
	if (sqlite3_file_control(s->db, "main", SQLITE_FCNTL_DATA_VERSION, &v) != SQLITE_OK)
		return xy_error_set(err, XY_ERR_STORE, "reading the data version: %s",
				    sqlite3_errmsg(s->db));
	*version = v;
	return XY_OK;
}

static xy_code sq_checkpoint(xy_store *base, bool manual, xy_error *err)
{
	sq_store *s = SQ(base);
	int rc;
	if (manual && sqlite3_wal_autocheckpoint(s->db, 0) != SQLITE_OK)
		return xy_error_set(err, XY_ERR_STORE, "turning the automatic checkpoint off: %s",
				    sqlite3_errmsg(s->db));
	rc = sqlite3_wal_checkpoint_v2(s->db, NULL, SQLITE_CHECKPOINT_PASSIVE, NULL, NULL);
	if (rc != SQLITE_OK && rc != SQLITE_BUSY)
		return xy_error_set(err, XY_ERR_STORE, "checkpointing: %s", sqlite3_errmsg(s->db));
	return XY_OK;
}

static void sq_interrupt(xy_store *base)
{
	sqlite3_interrupt(((sq_store *)base)->db);
}

static xy_code sq_rollback(xy_store *base, xy_error *err)
{
	sq_store *s = SQ(base);
	xy_code rc = XY_OK;
	/* ids handed out in the transaction vanish with it */
	xy__sq_cache_clear(s);
	if (s->depth && !sqlite3_get_autocommit(s->db)) {
		s->depth--;
		return xy__sq_exec(s, "ROLLBACK TO xy_nested; RELEASE xy_nested",
			    "rolling back a nested transaction", err);
	}
	s->depth = 0;
	if (!sqlite3_get_autocommit(s->db))
		rc = run_id(s, ST_ROLLBACK, "rolling back", err);
	bulk_end(s);
	return rc;
}



xy_code xy__sq_done(sq_store *s, sqlite3_stmt *st, int src, xy_code rc, const char *what,
		    xy_error *err)
{
	if (src != SQLITE_ROW && src != SQLITE_DONE)
		rc = sq_fail(s, src, what, err);
	sqlite3_reset(st);
	return rc;
}

xy_code xy__sq_each(xy_store *base, sqlite3_stmt *st, xy__sq_row_fn row, void *cb, void *ctx,
		    const char *what, long *rows, xy_error *err)
{
	long n = 0;
	int src;
	while ((src = sq_step(SQ(base), st)) == SQLITE_ROW) {
		n++;
		if (row(st, cb, ctx))
			break;
	}
	if (rows)
		*rows = n;
	return xy__sq_done(SQ(base), st, src, XY_OK, what, err);
}

/* Run fn inside a transaction of its own unless the caller has one. */
xy_code xy__sq_in_tx(sq_store *s, xy_code (*fn)(sq_store *, void *, xy_error *), void *arg,
		     xy_error *err)
{
	xy_code rc;
	if (!sqlite3_get_autocommit(s->db))
		return fn(s, arg, err);
	if ((rc = run_id(s, ST_BEGIN, "beginning a transaction", err)))
		return rc;
	rc = fn(s, arg, err);
	if (!rc)
		rc = run_id(s, ST_COMMIT, "committing", err);
	if (rc && !sqlite3_get_autocommit(s->db))
		run_id(s, ST_ROLLBACK, "rolling back", NULL);
	return rc;
}

static xy_code sq_rekey(xy_store *base, xy_rekey_fn progress, void *ctx, xy_error *err)
{
	return xy__sq_rekey(base, SQ(base)->pii, progress, ctx, err);
}

static const struct xy__store_ops sqlite_ops = {
	.name = "sqlite",
	.auth = &xy__sqlite_auth_ops,
	.pub = &xy__sqlite_public_ops,
	.unit = &xy__sqlite_unit_ops,
	.report = &xy__sqlite_report_ops,
	.apps = &xy__sqlite_apps_ops,
	.units = &xy__sqlite_units_ops,
	.grade = &xy__sqlite_grade_ops,
	.inspect = &xy__sqlite_inspect_ops,
	.raw = &xy__sqlite_raw_ops,
	.close = sq_close,
	.schema_version = sq_schema_version,
	.table_rows = sq_table_rows,
	.check = sq_check,
	.registry_empty = sq_registry_empty,
	.begin = sq_begin,
	.commit = sq_commit,
	.read_begin = sq_read_begin,
	.in_transaction = sq_in_transaction,
	.read_end = sq_read_end,
	.data_version = sq_data_version,
	.checkpoint = sq_checkpoint,
	.rollback = sq_rollback,
	.interrupt = sq_interrupt,
	.rekey = sq_rekey,
	.save_registry = xy__sq_save_registry,
	.load_registry = xy__sq_load_registry,
	.subject_upsert = xy__sq_subject_upsert,
	.subject_find = xy__sq_subject_find,
	.subject_search = xy__sq_subject_search,
	.batch_insert = xy__sq_batch_insert,
	.batch_update = xy__sq_batch_update,
	.batches = xy__sq_batches,
	.batch_get = xy__sq_batch_get,
	.batch_error_add = xy__sq_batch_error_add,
	.batch_errors = xy__sq_batch_errors,
	.record_upsert = xy__sq_record_upsert,
	.subject_records = xy__sq_subject_records,
	.record_count = xy__sq_record_count,
	.index_put = xy__sq_index_put,
	.index_list = xy__sq_index_list,
	.list_type_ensure = xy__sq_list_type_ensure,
	.entry_insert = xy__sq_entry_insert,
	.entry_history_add = xy__sq_entry_history_add,
	.entry_person_add = xy__sq_entry_person_add,
	.entry_get = xy__sq_entry_get,
	.entry_exit = xy__sq_entry_exit,
	.entries = xy__sq_entries,
	.entry_codes_on = xy__sq_entry_codes_on,
	.subject_entries = xy__sq_subject_entries,
	.entry_persons = xy__sq_entry_persons,
	.entry_history = xy__sq_entry_history,
	.check_insert = xy__sq_check_insert,
	.check_get = xy__sq_check_get,
	.feedback_insert = xy__sq_feedback_insert,
	.feedback_count = xy__sq_feedback_count,
	.watch_add = xy__sq_watch_add,
	.notify = xy__sq_notify,
	.notices = xy__sq_notices,
	.subject_by_code = xy__sq_subject_by_code,
	.listed_subjects = xy__sq_listed_subjects,
	/* credit repair, objections, interviews */
	.record_get = xy__sq_record_get,
	.case_insert = xy__sq_case_insert,
	.case_get = xy__sq_case_get,
	.case_step = xy__sq_case_step,
	.cases = xy__sq_cases,
	.case_event_add = xy__sq_case_event_add,
	.case_events = xy__sq_case_events,
	.interview_insert = xy__sq_interview_insert,
	.interviews = xy__sq_interviews,
	.commitment_insert = xy__sq_commitment_insert,
	.commitment_number = xy__sq_commitment_number,
	.commitment_get = xy__sq_commitment_get,
	.commitments = xy__sq_commitments,
	.commitment_check_add = xy__sq_commitment_check_add,
	.commitment_checks = xy__sq_commitment_checks,
	.batch_records = xy__sq_batch_records,
	.gov_dishonesty_insert = xy__sq_gov_dishonesty_insert,
	.gov_dishonesty_get = xy__sq_gov_dishonesty_get,
	.gov_dishonesties = xy__sq_gov_dishonesties,
	.gov_dishonesty_status_add = xy__sq_gov_dishonesty_status_add,
	.gov_dishonesty_history = xy__sq_gov_dishonesty_history,
	.list_records = xy__sq_list_records,
	.list_record_link = xy__sq_list_record_link,
	.list_record_entry = xy__sq_list_record_entry,
	.entry_find = xy__sq_entry_find,
	.entry_update = xy__sq_entry_update,
	.record_find = xy__sq_record_find,
	.memorandum_add = xy__sq_memorandum_add,
	.memorandum_replace = xy__sq_memorandum_replace,
	.memoranda = xy__sq_memoranda,
	.mapping_put = xy__sq_mapping_put,
	.mapping_remove = xy__sq_mapping_remove,
	.mappings = xy__sq_mappings,
	.batch_sheet_add = xy__sq_batch_sheet_add,
	.batch_sheets = xy__sq_batch_sheets,
	.batch_column_add = xy__sq_batch_column_add,
	.batch_columns = xy__sq_batch_columns,
	.quality_records = xy__sq_quality_records,
	.quality_batches = xy__sq_quality_batches,
	.quality_reasons = xy__sq_quality_reasons,
	.quality_columns = xy__sq_quality_columns,
};
