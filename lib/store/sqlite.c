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
	 * No AFTER INSERT trigger: sq_subject_upsert inserts the name itself
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
};

#define NMIGRATIONS ((int)(sizeof migrations / sizeof migrations[0]))

/* ---- statements ---- */

enum st {
	ST_BEGIN,
	ST_BEGIN_READ,
	ST_COMMIT,
	ST_ROLLBACK,
	ST_NEST,
	ST_NEST_RELEASE,
	ST_DATA_VERSION,
	ST_UNITS_ANY,

	ST_REC_INSERT,
	ST_REC_GET,
	ST_REC_TOUCH,
	ST_REC_VERSION,
	ST_REC_UPDATE,
	ST_REC_COUNT_ALL,
	ST_REC_COUNT_BATCH,
	ST_SUBJ_RECORDS,

	ST_SUBJ_GET,
	ST_SUBJ_INSERT,
	ST_SUBJ_UPDATE,
	ST_FTS_INSERT,
	ST_FTS_FLUSH,
	ST_SUBJ_BY_CODE,
	ST_SUBJ_BY_MASK,
	ST_SUBJ_FTS,
	ST_SUBJ_SCAN,
	ST_SUBJ_SEARCH_FTS,
	ST_SUBJ_SEARCH_SCAN,

	ST_BATCH_INSERT,
	ST_BATCH_UPDATE,
	ST_BATCH_LIST,
	ST_BATCH_GET,
	ST_BERR_ADD,
	ST_BERR_LIST,

	ST_SAVEPOINT,
	ST_RELEASE,
	ST_ROLLBACK_TO,
	ST_UNIT_INSERT,
	ST_UNIT_ID,
	ST_CAT_INSERT,
	ST_CAT_ID,
	ST_FIELD_INSERT,
	ST_EXC_INSERT,
	ST_UNIT_LIST,
	ST_CAT_LIST,
	ST_FIELD_LIST,
	ST_EXC_LIST,

	ST_INDEX_PUT,
	ST_INDEX_LIST,

	ST_LT_ENSURE,
	ST_LT_ID,
	ST_ENTRY_INSERT,
	ST_ENTRY_HIST,
	ST_ENTRY_PERSON,
	ST_ENTRY_GET,
	ST_ENTRY_EXIT,
	ST_ENTRIES_ALL,
	ST_ENTRIES_TYPE,
	ST_SUBJ_ENTRIES,
	ST_SUBJ_ANY_ENTRY,
	ST_ENTRY_PERSONS,
	ST_ENTRY_HISTORY,
	ST_CHECK_INSERT,
	ST_SUBJ_LISTED,
	ST_CHECK_GET,
	ST_FB_INSERT,
	ST_FB_COUNT,
	ST_FB_COUNT_ALL,
	ST_WATCH_ADD,
	ST_NOTIFY,
	ST_NOTICES,
	/* credit repair, objections, interviews */
	ST_RECORD_GET,
	ST_CASE_INSERT,
	ST_CASE_GET,
	ST_CASE_STEP,
	ST_CASES,
	ST_CASE_EVENT_ADD,
	ST_CASE_EVENTS,
	ST_INTERVIEW_INSERT,
	ST_INTERVIEWS,

	ST_CN_INSERT,
	ST_CN_NUMBER,
	ST_CN_GET,
	ST_CN_LIST,
	ST_CN_CHECK_ADD,
	ST_CN_CHECKS,
	ST_BATCH_RECORDS,
	ST_GD_INSERT,
	ST_GD_HIST_ADD,
	ST_GD_GET,
	ST_GD_LIST,
	ST_GD_BY_BODY,
	ST_GD_HISTORY,
	ST_LREC_LIST,
	ST_LREC_LINK,
	ST_LREC_ENTRY,
	ST_ENTRY_FIND,
	ST_ENTRY_UPDATE,
	ST_MEMO_INSERT,
	ST_MEMO_KEEP,
	ST_MEMO_REPLACE,
	ST_MEMO_LIST,
	ST_MAP_EXISTS,
	ST_MAP_PUT,
	ST_MAP_REMOVE,
	ST_MAP_LIST,
	ST_BSHEET_ADD,
	ST_BSHEET_LIST,
	ST_BCOL_ADD,
	ST_BCOL_LIST,
	ST__N
};

#define SUBJ_COLS "s.id, s.kind, " SCODE(s) ", s.code_type, s.name, s.division"
#define BATCH_COLS \
	"b.id, b.unit_id, b.category_id, coalesce(u.name, ''), coalesce(c.name, '')," \
	" b.file, b.format, b.encoding, b.reported_on, b.started_at, b.finished_at," \
	" b.status, b.message, b.\"rows\", b.added, b.updated, b.unchanged, b.rejected," \
	" b.error_report, b.errors_stored" \
	" FROM batches b LEFT JOIN units u ON u.id = b.unit_id" \
	" LEFT JOIN categories c ON c.id = b.category_id"

#define ENTRY_COLS \
	"e.id, e.subject_id, e.unit_id, t.name, " SCODE(s) ", s.name, u.name, e.doc," \
	" coalesce(e.reason, ''), e.start_on, coalesce(e.end_on, ''), coalesce(e.exit_how, '')," \
	" coalesce(e.exit_on, ''), e.created_at"
#define CN_COLS \
	"c.id, c.subject_id, c.unit_id, c.no, c.type, " SCODE(s) ", s.name, u.name," \
	" coalesce(c.matter, ''), c.signed_on, coalesce(c.deadline, ''), coalesce(c.content, '')," \
	" c.created_at"
#define CN_FROM \
	" FROM commitments c JOIN subjects s ON s.id = c.subject_id JOIN units u ON u.id = c.unit_id"
/* the latest status of an entry: the last line by date, then by insertion */
#define GD_COLS \
	"g.id, g.body_id, g.unit_id, coalesce(g.creditor_id, 0), " SCODE(b) ", b.name, u.name," \
	" coalesce(" SCODE(cr) ", ''), coalesce(cr.name, ''), g.case_type, coalesce(g.amount, '')," \
	" g.source, g.registered_on, coalesce(g.note, ''), g.created_at," \
	" (SELECT h.status || ' ' || h.status_on FROM gov_dishonesty_history h" \
	"  WHERE h.entry_id = g.id ORDER BY h.status_on DESC, h.id DESC LIMIT 1)," \
	" coalesce((SELECT min(h.status_on) FROM gov_dishonesty_history h" \
	"  WHERE h.entry_id = g.id AND h.status = '已治理'), '')"
#define GD_FROM \
	" FROM gov_dishonesty g JOIN subjects b ON b.id = g.body_id" \
	" JOIN units u ON u.id = g.unit_id LEFT JOIN subjects cr ON cr.id = g.creditor_id"

/* the 15th column (via) follows ENTRY_COLS */
#define ENTRY_FROM \
	" FROM list_entries e JOIN list_types t ON t.id = e.list_type_id" \
	" JOIN subjects s ON s.id = e.subject_id JOIN units u ON u.id = e.unit_id"

/* a repair or objection case (case_from_row) */
#define CASE_COLS \
	"k.id, k.kind, k.record_id, coalesce(k.subject_id, 0), k.unit_id," \
	" coalesce(k.entry_id, 0), k.filed_on, k.step, k.step_on, coalesce(k.applicant, '')," \
	" coalesce(k.reason, ''), coalesce(k.evidence, ''), coalesce(k.commitment, '')," \
	" k.created_at, u.name, coalesce(" SCODE(s) ", ''), coalesce(s.name, ''), c.name, r.key" \
	" FROM credit_cases k JOIN units u ON u.id = k.unit_id" \
	" JOIN records r ON r.id = k.record_id JOIN categories c ON c.id = r.category_id" \
	" LEFT JOIN subjects s ON s.id = k.subject_id"

static const char *const sql_text[ST__N] = {
	[ST_BEGIN] = "BEGIN IMMEDIATE",
	[ST_BEGIN_READ] = "BEGIN DEFERRED",
	[ST_COMMIT] = "COMMIT",
	[ST_ROLLBACK] = "ROLLBACK",
	[ST_NEST] = "SAVEPOINT xy_nested",
	[ST_NEST_RELEASE] = "RELEASE xy_nested",
	[ST_DATA_VERSION] = "PRAGMA data_version",
	[ST_UNITS_ANY] = "SELECT 1 FROM units LIMIT 1",

	[ST_REC_INSERT] =
		"INSERT INTO records(unit_id, category_id, key, subject_id, decided_on,"
		" first_batch, last_batch, data_batch, data)"
		" VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?6, ?6, xy_enc(?7))"
		" ON CONFLICT(unit_id, category_id, key) DO NOTHING",
	[ST_REC_GET] =
		"SELECT id, subject_id, decided_on, last_batch, data_batch, xy_dec(data)"
		" FROM records WHERE unit_id = ?1 AND category_id = ?2 AND key = ?3",
	[ST_REC_TOUCH] = "UPDATE records SET last_batch = ?2 WHERE id = ?1",
	[ST_REC_VERSION] =
		"INSERT INTO record_versions(record_id, subject_id, decided_on, batch_id,"
		" replaced_by, data) VALUES (?1, ?2, ?3, ?4, ?5, xy_enc(?6))",
	[ST_REC_UPDATE] =
		"UPDATE records SET subject_id = ?2, decided_on = ?3, last_batch = ?4,"
		" data_batch = ?4, data = xy_enc(?5) WHERE id = ?1",
	[ST_REC_COUNT_ALL] = "SELECT count(*) FROM records",
	/* no index on first_batch (migration 3): a full scan, for a rare call */
	[ST_REC_COUNT_BATCH] = "SELECT count(*) FROM records WHERE first_batch = ?1",
	[ST_SUBJ_RECORDS] =
		"SELECT r.id, coalesce(u.name, ''), coalesce(c.name, ''), r.key, xy_dec(r.data),"
		" r.decided_on, coalesce(b.reported_on, ''), r.first_batch, r.last_batch,"
		" 1 + (SELECT count(*) FROM record_versions v WHERE v.record_id = r.id)"
		" FROM records r"
		" LEFT JOIN units u ON u.id = r.unit_id"
		" LEFT JOIN categories c ON c.id = r.category_id"
		" LEFT JOIN batches b ON b.id = r.first_batch"
		" WHERE r.subject_id = ?1"
		" ORDER BY c.sort, r.category_id, r.decided_on DESC, r.id",

	[ST_SUBJ_GET] =
		"SELECT id, kind, code_type, name, division FROM subjects WHERE code = xy_lk(?1, ?2)",
	[ST_SUBJ_INSERT] =
		"INSERT INTO subjects(kind, code, code_enc, code_type, name, division, created_at,"
		" updated_at) VALUES (?1, xy_lk(?2, ?3), xy_enc_if(?2, ?3), ?3, ?4, ?5, ?6, ?6)",
	[ST_SUBJ_UPDATE] =
		"UPDATE subjects SET kind = ?2, code_type = ?3, name = ?4, division = ?5,"
		" updated_at = ?6 WHERE id = ?1",
	[ST_FTS_INSERT] = "INSERT INTO subjects_fts(rowid, name) VALUES (?1, ?2)",
	/* the names of the subjects a bulk transaction inserted (fts_from) */
	[ST_FTS_FLUSH] = "INSERT INTO subjects_fts(rowid, name)"
			 " SELECT id, name FROM subjects WHERE id >= ?1 ORDER BY id",
	/* `code IN (?1, xy_h(?1))` written as two index lookups: SQLite 3.40
	 * builds an ephemeral table for any IN list, which cost a check ~15 % of
	 * its instructions (a code and its hash are never both stored) */
	[ST_SUBJ_BY_CODE] = "SELECT " SUBJ_COLS " FROM subjects s WHERE s.code = ?1"
			    " UNION ALL SELECT " SUBJ_COLS " FROM subjects s WHERE s.code = xy_h(?1)",
	/* masked subjects of one mask: their codes are "MASK NAME" (store.h);
	 * a range on the unique index of code */
	[ST_SUBJ_BY_MASK] = "SELECT " SUBJ_COLS " FROM subjects s WHERE s.code > ?1 || ' '"
			    " AND s.code < ?1 || '!' AND s.code_type = 'ric_masked'"
			    " ORDER BY s.code LIMIT ?2",
	/* exact name first, then by name */
	[ST_SUBJ_FTS] =
		"SELECT " SUBJ_COLS " FROM subjects_fts f JOIN subjects s ON s.id = f.rowid"
		" WHERE subjects_fts MATCH ?1"
		" ORDER BY s.name <> ?2, s.name, s.id LIMIT ?3",
	[ST_SUBJ_SCAN] =
		"SELECT " SUBJ_COLS " FROM subjects s WHERE instr(s.name, ?1) > 0"
		" ORDER BY s.name <> ?1, s.name, s.id LIMIT ?2",
	/* keyset pages of a name search, by id: the scan stops at the page's
	 * last match instead of sorting every match (?4 = 1: no natural persons) */
	[ST_SUBJ_SEARCH_FTS] =
		"SELECT " SUBJ_COLS " FROM subjects_fts f JOIN subjects s ON s.id = f.rowid"
		" WHERE subjects_fts MATCH ?1 AND f.rowid > ?2 AND (?4 = 0 OR s.kind <> 'person')"
		" ORDER BY f.rowid LIMIT ?3",
	[ST_SUBJ_SEARCH_SCAN] =
		"SELECT " SUBJ_COLS " FROM subjects s WHERE s.id > ?2 AND instr(s.name, ?1) > 0"
		" AND (?4 = 0 OR s.kind <> 'person') ORDER BY s.id LIMIT ?3",

	[ST_BATCH_INSERT] =
		"INSERT INTO batches(unit_id, category_id, file, format, encoding,"
		" reported_on, started_at, finished_at, status, message, \"rows\", added,"
		" updated, unchanged, rejected, error_report)"
		" VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16)",
	[ST_BATCH_UPDATE] =
		"UPDATE batches SET finished_at = ?2, status = ?3, message = ?4,"
		" \"rows\" = ?5, added = ?6, updated = ?7, unchanged = ?8, rejected = ?9,"
		" error_report = ?10, errors_stored = ?11 WHERE id = ?1",
	[ST_BATCH_LIST] = "SELECT " BATCH_COLS " ORDER BY b.id DESC LIMIT ?1",
	[ST_BATCH_GET] = "SELECT " BATCH_COLS " WHERE b.id = ?1",
	[ST_BERR_ADD] =
		"INSERT INTO batch_errors(batch_id, \"row\", sheet, \"column\", value,"
		" reason_zh, reason_en) VALUES (?1, ?2, ?3, ?4, xy_enc(?5), ?6, ?7)",
	[ST_BERR_LIST] =
		"SELECT batch_id, \"row\", sheet, \"column\", xy_dec(value), reason_zh, reason_en"
		" FROM batch_errors WHERE batch_id = ?1 ORDER BY id",

	[ST_SAVEPOINT] = "SAVEPOINT xy_registry",
	[ST_RELEASE] = "RELEASE xy_registry",
	[ST_ROLLBACK_TO] = "ROLLBACK TO xy_registry",
	[ST_UNIT_INSERT] =
		"INSERT INTO units(name, kind, division, sort) VALUES (?1, ?2, ?3, ?4)"
		" ON CONFLICT(name) DO NOTHING",
	[ST_UNIT_ID] = "SELECT id FROM units WHERE name = ?1",
	[ST_CAT_INSERT] =
		"INSERT INTO categories(code, name, kind, sort) VALUES (?1, ?2, ?3, ?4)"
		" ON CONFLICT DO NOTHING",
	[ST_CAT_ID] = "SELECT id, name FROM categories WHERE code = ?1",
	[ST_FIELD_INSERT] =
		"INSERT INTO fields(category_id, pos, code, name, type, enum_values,"
		" required, max_len, role, aliases)"
		" VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)"
		" ON CONFLICT(category_id, code) DO NOTHING",
	[ST_EXC_INSERT] =
		"INSERT INTO uscc_exceptions(code, note) VALUES (?1, ?2)"
		" ON CONFLICT(code) DO NOTHING",
	[ST_UNIT_LIST] = "SELECT id, name, kind, division, sort FROM units ORDER BY sort, id",
	[ST_CAT_LIST] = "SELECT id, code, name, kind FROM categories ORDER BY sort, id",
	[ST_FIELD_LIST] =
		"SELECT category_id, code, name, type, enum_values, required, max_len, role,"
		" aliases FROM fields ORDER BY category_id, pos, id",
	[ST_EXC_LIST] = "SELECT code, note FROM uscc_exceptions ORDER BY code",
	[ST_INDEX_PUT] = "INSERT INTO city_index(month, score, rank, updated_at)"
			 " VALUES (?1, ?2, ?3, strftime('%Y-%m-%dT%H:%M:%SZ','now'))"
			 " ON CONFLICT(month) DO UPDATE SET score = excluded.score,"
			 " rank = excluded.rank, updated_at = excluded.updated_at",
	[ST_INDEX_LIST] = "SELECT month, score, rank FROM city_index ORDER BY month",

	[ST_LT_ENSURE] =
		"INSERT INTO list_types(name, kind, unit, basis, validity, exit, national, category)"
		" VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) ON CONFLICT(name) DO NOTHING",
	[ST_LT_ID] = "SELECT id FROM list_types WHERE name = ?1",
	[ST_ENTRY_INSERT] =
		"INSERT INTO list_entries(list_type_id, subject_id, unit_id, doc, reason,"
		" start_on, end_on, created_at)"
		" SELECT t.id, ?2, ?3, ?4, ?5, ?6, ?7, ?8 FROM list_types t WHERE t.name = ?1"
		" ON CONFLICT(list_type_id, subject_id, doc) DO NOTHING",
	[ST_ENTRY_HIST] =
		"INSERT INTO list_entry_history(entry_id, at, action, detail)"
		" VALUES (?1, ?2, ?3, ?4)",
	[ST_ENTRY_PERSON] =
		"INSERT INTO list_entry_persons(entry_id, subject_id, role) VALUES (?1, ?2, ?3)"
		" ON CONFLICT DO NOTHING",
	[ST_ENTRY_GET] = "SELECT " ENTRY_COLS ", 0, NULL, NULL, NULL" ENTRY_FROM " WHERE e.id = ?1",
	[ST_ENTRY_EXIT] =
		"UPDATE list_entries SET exit_on = ?2, exit_how = ?3"
		" WHERE id = ?1 AND exit_on IS NULL",
	/* ?2: a keyset page starts after that id (0: from the first) */
	[ST_ENTRIES_ALL] = "SELECT " ENTRY_COLS ", 0, NULL, NULL, NULL" ENTRY_FROM
			   " WHERE e.id > ?2 ORDER BY e.id",
	[ST_ENTRIES_TYPE] = "SELECT " ENTRY_COLS ", 0, NULL, NULL, NULL" ENTRY_FROM
			    " WHERE t.name = ?1 AND e.id > ?2 ORDER BY e.id",
	/* own entries; entries of enterprises the subject is a linked person of;
	 * entries of the persons linked to the subject's own entries */
	[ST_SUBJ_ENTRIES] =
		"SELECT " ENTRY_COLS ", 0, NULL, NULL, NULL" ENTRY_FROM " WHERE e.subject_id = ?1"
		" UNION ALL"
		" SELECT " ENTRY_COLS ", 1, p.role, " SCODE(s) ", s.name" ENTRY_FROM
		" JOIN list_entry_persons p ON p.entry_id = e.id WHERE p.subject_id = ?1"
		" UNION ALL"
		" SELECT " ENTRY_COLS ", 2, lp.role, " SCODE(s) ", s.name" ENTRY_FROM
		" JOIN (SELECT DISTINCT p2.subject_id AS pid, p2.role AS role"
		"  FROM list_entry_persons p2 JOIN list_entries e2 ON e2.id = p2.entry_id"
		"  WHERE e2.subject_id = ?1 AND p2.subject_id <> ?1) lp ON lp.pid = e.subject_id"
		" ORDER BY 15, 1",
	/* whether ST_SUBJ_ENTRIES can return a row: all three parts need an entry
	 * of the subject or a link to it (two index probes instead of the three
	 * parts and their sort, for the many subjects on no list) */
	[ST_SUBJ_ANY_ENTRY] = "SELECT EXISTS (SELECT 1 FROM list_entries WHERE subject_id = ?1)"
			      " OR EXISTS (SELECT 1 FROM list_entry_persons WHERE subject_id = ?1)",
	[ST_ENTRY_PERSONS] =
		"SELECT p.role, " SCODE(s) ", s.name FROM list_entry_persons p"
		" JOIN subjects s ON s.id = p.subject_id WHERE p.entry_id = ?1 ORDER BY p.rowid",
	[ST_ENTRY_HISTORY] =
		"SELECT at, action, coalesce(detail, '') FROM list_entry_history"
		" WHERE entry_id = ?1 ORDER BY id",
	/* every subject some entry reaches: listed subjects and linked persons (the
	 * persons' enterprises are listed subjects themselves) */
	[ST_SUBJ_LISTED] = "SELECT subject_id FROM list_entries"
			   " UNION SELECT subject_id FROM list_entry_persons",
	[ST_CHECK_INSERT] =
		"INSERT INTO checks(unit_id, subject_id, matter, check_date, at, answer)"
		" VALUES (?1, ?2, ?3, ?4, ?5, xy_enc(?6))",
	[ST_CHECK_GET] =
		"SELECT c.id, c.unit_id, c.subject_id, u.name, " SCODE(s) ", coalesce(c.matter, ''),"
		" c.check_date, c.at, xy_dec(c.answer) FROM checks c JOIN units u ON u.id = c.unit_id"
		" JOIN subjects s ON s.id = c.subject_id WHERE c.id = ?1",
	[ST_FB_INSERT] =
		"INSERT INTO feedback(check_id, memorandum, number, applied, result, reason, at)"
		" VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)"
		" ON CONFLICT(check_id, memorandum, number) DO NOTHING",
	[ST_FB_COUNT] = "SELECT count(*) FROM feedback WHERE check_id = ?1",
	[ST_FB_COUNT_ALL] = "SELECT count(*) FROM feedback",
	[ST_WATCH_ADD] =
		"INSERT INTO subscriptions(unit_id, subject_id, created_at) VALUES (?1, ?2, ?3)"
		" ON CONFLICT DO NOTHING",
	[ST_NOTIFY] =
		"INSERT INTO notices(unit_id, subject_id, entry_id, at)"
		" SELECT unit_id, subject_id, ?2, ?3 FROM subscriptions WHERE subject_id = ?1",
	[ST_NOTICES] =
		"SELECT n.id, n.at, " SCODE(s) ", s.name, e.id, t.name, e.doc, e.start_on,"
		" coalesce(n.read_at, '')"
		" FROM notices n JOIN subjects s ON s.id = n.subject_id"
		" JOIN list_entries e ON e.id = n.entry_id"
		" JOIN list_types t ON t.id = e.list_type_id"
		" WHERE n.unit_id = ?1 ORDER BY n.id DESC",

	[ST_RECORD_GET] =
		"SELECT r.id, r.unit_id, r.category_id, coalesce(r.subject_id, 0), u.name, c.name,"
		" r.key, coalesce(r.decided_on, ''), coalesce(" SCODE(s) ", ''), coalesce(s.name, ''),"
		" xy_dec(r.data) FROM records r JOIN units u ON u.id = r.unit_id"
		" JOIN categories c ON c.id = r.category_id"
		" LEFT JOIN subjects s ON s.id = r.subject_id WHERE r.id = ?1",
	[ST_CASE_INSERT] =
		"INSERT INTO credit_cases(kind, record_id, subject_id, unit_id, entry_id, filed_on,"
		" step, step_on, applicant, reason, evidence, commitment, created_at)"
		" VALUES (?1, ?2, nullif(?3, 0), ?4, nullif(?5, 0), ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
	[ST_CASE_GET] = "SELECT " CASE_COLS " WHERE k.id = ?1",
	[ST_CASE_STEP] = "UPDATE credit_cases SET step = ?3, step_on = ?4 WHERE id = ?1 AND step = ?2",
	[ST_CASES] = "SELECT " CASE_COLS
		     " WHERE (?1 IS NULL OR k.kind = ?1) AND (?2 = 0 OR k.record_id = ?2)"
		     " ORDER BY k.id",
	[ST_CASE_EVENT_ADD] =
		"INSERT INTO credit_case_events(case_id, on_date, at, action, actor, detail)"
		" VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
	[ST_CASE_EVENTS] =
		"SELECT on_date, at, action, coalesce(actor, ''), coalesce(detail, '')"
		" FROM credit_case_events WHERE case_id = ?1 ORDER BY id",
	[ST_INTERVIEW_INSERT] =
		"INSERT INTO interviews(subject_id, unit_id, on_date, persons, npersons, topic,"
		" result, created_at) VALUES (?1, ?2, ?3, xy_enc(?4), ?5, ?6, ?7, ?8)",
	[ST_INTERVIEWS] =
		"SELECT i.id, i.subject_id, i.unit_id, i.on_date, xy_dec(i.persons), i.npersons,"
		" coalesce(i.topic, ''), coalesce(i.result, ''), i.created_at, u.name, " SCODE(s) ", s.name"
		" FROM interviews i JOIN units u ON u.id = i.unit_id"
		" JOIN subjects s ON s.id = i.subject_id"
		" WHERE ?1 = 0 OR i.subject_id = ?1 ORDER BY i.on_date, i.id",

	[ST_CN_INSERT] =
		"INSERT INTO commitments(unit_id, subject_id, no, type, matter, signed_on,"
		" deadline, content, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)"
		" ON CONFLICT(unit_id, no) DO NOTHING",
	[ST_CN_NUMBER] = "UPDATE commitments SET no = 'CN' || id WHERE id = ?1",
	[ST_CN_GET] = "SELECT " CN_COLS CN_FROM " WHERE c.id = ?1",
	[ST_CN_LIST] = "SELECT " CN_COLS CN_FROM
		       " WHERE (?1 IS NULL OR c.unit_id = ?1) AND (?2 IS NULL OR c.subject_id = ?2)"
		       " ORDER BY c.id",
	[ST_CN_CHECK_ADD] =
		"INSERT INTO commitment_checks(commitment_id, checked_on, result, checked_by, note,"
		" entry_id, record_key, at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
	[ST_CN_CHECKS] =
		"SELECT commitment_id, checked_on, result, checked_by, note, entry_id, record_key,"
		" at FROM commitment_checks WHERE commitment_id = ?1 ORDER BY id",
	/* the prefix (unit_id, category_id) of the records' unique index */
	[ST_BATCH_RECORDS] =
		"SELECT id, coalesce(subject_id, 0), key, xy_dec(data), decided_on, first_batch, last_batch"
		" FROM records WHERE unit_id = ?1 AND category_id = ?2 AND last_batch = ?3"
		" ORDER BY id",
	[ST_GD_INSERT] =
		"INSERT INTO gov_dishonesty(body_id, unit_id, creditor_id, case_type, amount, source,"
		" registered_on, note, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)"
		" ON CONFLICT(body_id, source) DO NOTHING",
	[ST_GD_HIST_ADD] =
		"INSERT INTO gov_dishonesty_history(entry_id, status, status_on, evidence, at)"
		" VALUES (?1, ?2, ?3, ?4, ?5)",
	[ST_GD_GET] = "SELECT " GD_COLS GD_FROM " WHERE g.id = ?1",
	[ST_GD_LIST] = "SELECT " GD_COLS GD_FROM " WHERE (?1 IS NULL OR g.unit_id = ?1)"
		       " ORDER BY g.id",
	/* the index of UNIQUE(body_id, source): a profile reads its subject's
	 * entries only, not every district's */
	[ST_GD_BY_BODY] = "SELECT " GD_COLS GD_FROM " WHERE g.body_id = ?1 ORDER BY g.id",
	[ST_GD_HISTORY] =
		"SELECT status, status_on, coalesce(evidence, ''), at FROM gov_dishonesty_history"
		" WHERE entry_id = ?1 ORDER BY id",
	/* (unit, category) is a prefix of the records' unique index */
	[ST_LREC_LIST] =
		"SELECT r.key, r.subject_id, r.data_batch, coalesce(l.entry_id, 0), xy_dec(r.data)"
		" FROM records r LEFT JOIN list_entry_records l ON l.unit_id = r.unit_id"
		" AND l.category_id = r.category_id AND l.key = r.key"
		" WHERE r.unit_id = ?1 AND r.category_id = ?2"
		" AND (l.entry_id IS NULL OR l.data_batch <> r.data_batch) ORDER BY r.id",
	[ST_LREC_LINK] =
		"INSERT INTO list_entry_records(unit_id, category_id, key, entry_id, data_batch)"
		" VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT(unit_id, category_id, key) DO UPDATE"
		" SET entry_id = excluded.entry_id, data_batch = excluded.data_batch",
	[ST_LREC_ENTRY] = "SELECT entry_id FROM list_entry_records"
			  " WHERE unit_id = ?1 AND category_id = ?2 AND key = ?3",
	[ST_ENTRY_FIND] = "SELECT " ENTRY_COLS ", 0, NULL, NULL, NULL" ENTRY_FROM
			  " WHERE t.name = ?1 AND e.subject_id = ?2 AND e.doc = ?3",
	[ST_ENTRY_UPDATE] =
		"UPDATE list_entries SET unit_id = ?2, reason = ?3, start_on = ?4, end_on = ?5"
		" WHERE id = ?1",
	[ST_MEMO_INSERT] =
		"INSERT INTO memoranda(doc, file, text, loaded_at) VALUES (?1, ?2, ?3, ?4)"
		" ON CONFLICT(doc) DO NOTHING",
	[ST_MEMO_KEEP] =
		"INSERT INTO memorandum_versions(doc, file, text, loaded_at, replaced_at)"
		" SELECT doc, file, text, loaded_at, ?2 FROM memoranda WHERE doc = ?1",
	[ST_MEMO_REPLACE] = "UPDATE memoranda SET file = ?2, text = ?3, loaded_at = ?4 WHERE doc = ?1",
	[ST_MEMO_LIST] =
		"SELECT doc, file, text, loaded_at,"
		" 1 + (SELECT count(*) FROM memorandum_versions v WHERE v.doc = m.doc)"
		" FROM memoranda m ORDER BY id",
	[ST_MAP_EXISTS] =
		"SELECT 1 FROM column_mappings WHERE unit_id = ?1 AND category_id = ?2"
		" AND header = ?3",
	[ST_MAP_PUT] =
		"INSERT INTO column_mappings(unit_id, category_id, header, field_code, created_at)"
		" VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT(unit_id, category_id, header)"
		" DO UPDATE SET field_code = excluded.field_code, created_at = excluded.created_at",
	[ST_MAP_REMOVE] =
		"DELETE FROM column_mappings WHERE unit_id = ?1 AND category_id = ?2 AND header = ?3",
	[ST_MAP_LIST] =
		"SELECT m.unit_id, m.category_id, m.header, m.field_code, m.created_at"
		" FROM column_mappings m JOIN units u ON u.id = m.unit_id"
		" WHERE (?1 = 0 OR m.unit_id = ?1) AND (?2 = 0 OR m.category_id = ?2)"
		" ORDER BY u.sort, u.id, m.category_id, m.header",
	[ST_BSHEET_ADD] =
		"INSERT INTO batch_sheets(batch_id, seq, sheet, header_row, \"rows\", note)"
		" VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
	[ST_BSHEET_LIST] =
		"SELECT batch_id, seq, sheet, header_row, \"rows\", note FROM batch_sheets"
		" WHERE batch_id = ?1 ORDER BY seq",
	[ST_BCOL_ADD] =
		"INSERT INTO batch_columns(batch_id, sheet, col, header, suggestion, cells)"
		" VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
	[ST_BCOL_LIST] =
		"SELECT c.batch_id, c.sheet, c.col, c.header, c.suggestion, c.cells"
		" FROM batch_columns c LEFT JOIN batch_sheets s"
		" ON s.batch_id = c.batch_id AND s.sheet = c.sheet"
		" WHERE c.batch_id = ?1 ORDER BY s.seq, c.col",
};

/* ---- waiting for another process's lock ---- */

static unsigned wait_ms = 5000;
static xy_wait_fn wait_notify;
static void *wait_ctx;

static size_t cache_kib; /* xy_store_set_cache; 0: SQLite's default */

void xy_store_set_cache(size_t kib)
{
	cache_kib = kib > (size_t)INT_MAX ? (size_t)INT_MAX : kib;
}

void xy_store_set_wait(unsigned seconds, xy_wait_fn notify, void *ctx)
{
	wait_ms = seconds > 86400 ? 86400u * 1000 : seconds * 1000;
	wait_notify = notify;
	wait_ctx = ctx;
}

/* SQLite's busy handler: sleep with growing steps (as its own busy_timeout
 * does) up to wait_ms in all, telling wait_notify once per wait.  A custom
 * handler instead of PRAGMA busy_timeout only for that notice. */
static int busy_wait(void *arg, int count)
{
	static const unsigned steps[] = { 1, 2, 5, 10, 15, 20, 25, 25, 25, 50, 50, 100 };
	unsigned *slept = arg;
	unsigned step;
	if (count == 0) {
		*slept = 0;
		if (wait_notify && wait_ms >= 1000) {
			char msg[160];
			snprintf(msg, sizeof msg, "the database is busy (another import holds it); "
				 "waiting up to %u s (数据库正被其他导入占用，等待中)", wait_ms / 1000);
			wait_notify(wait_ctx, msg);
		}
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

/* Subject cache: a set-associative table from code to id, so the subjects of
 * a large import are looked up in SQL once.  Memory is fixed whatever the
 * input size.  A slot keeps a keyed 64-bit hash (SipHash, random key per
 * handle) of the code instead of the code, so a slot is 16 bytes and 2^19
 * slots (8 MiB) cover the ~200k subjects of a 1M-row file at a load of 0.4
 * (2^16 slots of 56 bytes thrashed: measured, 300k rows / 60k subjects, 15%
 * less CPU for the whole import once they did not).  Two codes share a hash
 * with probability 2^-64 per lookup, and without the key nobody can make
 * them.  A slot also remembers a 32-bit hash of the other columns so a
 * changed name still reaches SQL (a change goes unnoticed with probability
 * 2^-32); ids that do not fit 32 bits are not cached.
 *
 * A code may sit in any of the SUBJ_WAYS slots of its set (two cache lines);
 * a full set loses a slot picked by the hash.  Direct-mapped (one way), 200k
 * subjects in 2^18 slots collided for about half of them: a 1M-row import
 * then missed the cache 208k times, and each miss read a random page of the
 * subjects table back from the WAL (strace: 208k of the 240k page reads of
 * the transaction; bench/RESULTS.md, third pass). */
#define SUBJ_SLOTS (1u << 19) /* power of two */
#define SUBJ_WAYS 8u          /* power of two, divides SUBJ_SLOTS */

struct subj_slot {
	uint64_t code;
	uint32_t id; /* 0: empty */
	uint32_t content;
};

typedef struct sq_store {
	struct xy_store base;
	sqlite3 *db;
	unsigned busy_slept;     /* ms slept in the current wait (busy_wait) */
	sqlite3_stmt *st[ST__N];
	sqlite3_stmt *extra[XY__SQ_EXTRA]; /* statements of sqlite_*.c (xy__sq_prep) */
	struct subj_slot *cache; /* allocated on first subject upsert */
	unsigned char cache_key[crypto_shorthash_KEYBYTES];
	size_t cache_used;
	int version;
	int64_t data_version;
	bool bulk;
	bool excl; /* this bulk transaction runs with a rollback journal (excl_begin) */
	/* Bulk transaction: subjects with id >= fts_from were inserted in it and
	 * their names are not in subjects_fts yet (0: none pending).  Flushed by
	 * one INSERT … SELECT before COMMIT, before a subject search and before a
	 * subject update (the update trigger deletes the old name from the
	 * index, which must be there). */
	int64_t fts_from;
	/* Bulk transaction: records upserted so far, and our own read-only
	 * descriptor of the WAL (the database in an exclusive bulk load) to
	 * start its write-back early (wal_writeback);
	 * -1 when not open. */
	long bulk_rows;
	int wal_fd;
	int cache_size; /* cache_size and temp_store to restore after a bulk tx */
	int temp_store;
	int depth; /* nested xy_store_begin calls open inside the transaction (savepoints) */
	struct xy__pii *pii; /* the keys of personal values (sqlite_pii.c) */
	bool read_tx; /* xy_store_read_begin opened the transaction */
} sq_store;

static sq_store *SQ(xy_store *s)
{
	return (sq_store *)s;
}

struct xy__pii *xy__sq_pii(xy_store *s)
{
	return SQ(s)->pii;
}

/* Wrap the SQLite error rc (just returned by db) into err. */
static xy_code fail(sq_store *s, int rc, const char *what, xy_error *err)
{
	const char *msg = s->db ? sqlite3_errmsg(s->db) : sqlite3_errstr(rc);
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
	if (!s->st[id]) {
		int rc = sqlite3_prepare_v3(s->db, sql_text[id], -1, SQLITE_PREPARE_PERSISTENT,
					    &s->st[id], NULL);
		if (rc != SQLITE_OK) {
			s->st[id] = NULL;
			return fail(s, rc, "preparing a statement", err);
		}
	}
	*out = s->st[id];
	return XY_OK;
}

/* For the backend's other files (sqlite_int.h). */
sqlite3 *xy__sq_db(xy_store *s)
{
	return SQ(s)->db;
}

xy_code xy__sq_fail(xy_store *s, int rc, const char *what, xy_error *err)
{
	return fail(SQ(s), rc, what, err);
}

xy_code xy__sq_prep(xy_store *base, unsigned slot, const char *sql, sqlite3_stmt **out,
		    xy_error *err)
{
	sq_store *s = SQ(base);
	if (slot >= XY__SQ_EXTRA)
		return xy_error_set(err, XY_ERR_ARG, "statement slot %u out of range", slot);
	if (!s->extra[slot]) {
		int rc = sqlite3_prepare_v3(s->db, sql, -1, SQLITE_PREPARE_PERSISTENT,
					    &s->extra[slot], NULL);
		if (rc != SQLITE_OK) {
			s->extra[slot] = NULL;
			return fail(s, rc, "preparing a statement", err);
		}
	}
	*out = s->extra[slot];
	return XY_OK;
}

static int bind_text(sqlite3_stmt *st, int i, const char *v, size_t n)
{
	if (!v)
		return sqlite3_bind_null(st, i);
	return sqlite3_bind_text64(st, i, v, n, SQLITE_STATIC, SQLITE_UTF8);
}

static int bind_str(sqlite3_stmt *st, int i, const char *v)
{
	return bind_text(st, i, v, v ? strlen(v) : 0);
}

/* NULL and "" both become '' (a text a row struct may leave NULL) */
static int bind_txt(sqlite3_stmt *st, int i, const char *v)
{
	return bind_text(st, i, v ? v : "", v ? strlen(v) : 0);
}

/* NULL and "" both become SQL NULL */
static int bind_opt(sqlite3_stmt *st, int i, const char *v)
{
	return bind_str(st, i, v && *v ? v : NULL);
}

static int bind_id(sqlite3_stmt *st, int i, int64_t id)
{
	return id ? sqlite3_bind_int64(st, i, id) : sqlite3_bind_null(st, i);
}

/* Step a statement expected to return no row and reset it. */
static xy_code run(sq_store *s, sqlite3_stmt *st, const char *what, xy_error *err)
{
	int rc = sqlite3_step(st);
	xy_code code = XY_OK;
	if (rc != SQLITE_DONE && rc != SQLITE_ROW)
		code = fail(s, rc, what, err);
	sqlite3_reset(st);
	return code;
}

/* Prepare, bind nothing, run. */
static xy_code run_id(sq_store *s, enum st id, const char *what, xy_error *err)
{
	sqlite3_stmt *st = NULL;
	xy_code rc = prep(s, id, &st, err);
	return rc ? rc : run(s, st, what, err);
}

/* Index the names of the subjects this bulk transaction inserted.  Done by
 * groups of FTS_GROUP subjects: one flush of all the subjects of a 1M-row
 * import at COMMIT raised peak RSS from 59 to 70 MB. */
#define FTS_GROUP 4096
/* Index the names of the subjects this bulk transaction inserted. */
static xy_code fts_flush(sq_store *s, xy_error *err)
{
	sqlite3_stmt *st = NULL;
	xy_code rc;
	if (!s->fts_from)
		return XY_OK;
	if ((rc = prep(s, ST_FTS_FLUSH, &st, err)))
		return rc;
	sqlite3_bind_int64(st, 1, s->fts_from);
	if ((rc = run(s, st, "indexing subject names", err)))
		return rc;
	s->fts_from = 0;
	return XY_OK;
}

static const char *col_str(sqlite3_stmt *st, int i)
{
	const unsigned char *t = sqlite3_column_text(st, i);
	return t ? (const char *)t : "";
}

/* Copy column i into dst[n], cutting at a UTF-8 character boundary. */
static void col_copy(sqlite3_stmt *st, int i, char *dst, size_t n)
{
	const char *t = (const char *)sqlite3_column_text(st, i);
	size_t len = t ? (size_t)sqlite3_column_bytes(st, i) : 0;
	if (len >= n) {
		len = n - 1;
		while (len && ((unsigned char)t[len] & 0xc0) == 0x80)
			len--;
	}
	if (len)
		memcpy(dst, t, len);
	dst[len] = '\0';
}

static char *col_dup(sqlite3_stmt *st, int i)
{
	const char *t = (const char *)sqlite3_column_text(st, i);
	size_t len = t ? (size_t)sqlite3_column_bytes(st, i) : 0;
	char *p = malloc(len + 1);
	if (p) {
		if (len)
			memcpy(p, t, len);
		p[len] = '\0';
	}
	return p;
}

/* A row filled from the current row of a statement owns its strings before
 * the statement moves on (store.h, "Ownership"). */
#define OWN(T, row, rc) \
	do { \
		if (!(rc) && T##_copy((row), (row))) \
			(rc) = xy_error_set(err, XY_ERR_NOMEM, "out of memory"); \
	} while (0)

static void now_iso(char out[32])
{
	time_t t = time(NULL);
	struct tm tm;
	gmtime_r(&t, &tm);
	strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

static xy_code exec(sq_store *s, const char *sql, const char *what, xy_error *err)
{
	int rc = sqlite3_exec(s->db, sql, NULL, NULL, NULL);
	return rc == SQLITE_OK ? XY_OK : fail(s, rc, what, err);
}

static xy_code pragma_int(sq_store *s, const char *sql, int64_t *v, xy_error *err)
{
	sqlite3_stmt *st = NULL;
	int rc = sqlite3_prepare_v2(s->db, sql, -1, &st, NULL);
	if (rc != SQLITE_OK)
		return fail(s, rc, sql, err);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		*v = sqlite3_column_int64(st, 0);
	else if (rc != SQLITE_DONE) {
		xy_code code = fail(s, rc, sql, err);
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
	for (i = 0; i < ST__N; i++)
		sqlite3_finalize(s->st[i]);
	for (i = 0; i < XY__SQ_EXTRA; i++)
		sqlite3_finalize(s->extra[i]);
	sqlite3_close(s->db);
	if (s->wal_fd >= 0)
		close(s->wal_fd);
	free(s->cache);
	xy__sq_pii_free(s->pii);
	free(s);
}

static int sq_schema_version(xy_store *base)
{
	return SQ(base)->version;
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
		if ((rc = exec(s, "BEGIN IMMEDIATE", "starting a migration", err)))
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
			if ((rc = exec(s, migrations[v], "migrating the schema", err)) ||
			    (rc = exec(s, bump, "migrating the schema", err)))
				goto fail;
		}
		if ((rc = exec(s, "COMMIT", "committing a migration", err)))
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
	if ((rc = exec(s, "PRAGMA page_size = 32768", "opening", err)) ||
	    (rc = exec(s, "PRAGMA journal_mode = WAL", "switching to WAL", err)) ||
	    (rc = exec(s, "PRAGMA synchronous = NORMAL", "opening", err)) ||
	    (rc = exec(s, "PRAGMA foreign_keys = ON", "opening", err)) ||
	    (rc = xy__sq_pii_open(&s->base, path, &s->pii, err)) ||
	    (rc = xy__sq_pii_register(&s->base, s->pii, err)) ||
	    (rc = migrate(s, upto < NMIGRATIONS ? upto : NMIGRATIONS, err))) {
		sq_close(&s->base);
		return rc;
	}
	if (cache_kib) {
		char sql[64];
		snprintf(sql, sizeof sql, "PRAGMA cache_size = -%zu", cache_kib);
		if ((rc = exec(s, sql, "opening", err))) {
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
	src = sqlite3_step(st);
	if (src == SQLITE_ROW || src == SQLITE_DONE)
		*empty = src == SQLITE_DONE;
	else
		rc = fail(s, src, "reading units", err);
	sqlite3_reset(st);
	return rc;
}

/* ---- transactions ---- */

static void cache_clear(sq_store *s)
{
	if (s->cache && s->cache_used) {
		memset(s->cache, 0, SUBJ_SLOTS * sizeof *s->cache);
		s->cache_used = 0;
	}
}

/* Another connection committed since we last looked: cached subjects may
 * have been renamed or deleted.  (data_version ignores our own commits.) */
static void cache_check(sq_store *s)
{
	sqlite3_stmt *st = NULL;
	if (prep(s, ST_DATA_VERSION, &st, NULL))
		return;
	if (sqlite3_step(st) == SQLITE_ROW) {
		int64_t v = sqlite3_column_int64(st, 0);
		if (v != s->data_version)
			cache_clear(s);
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
	if (sqlite3_step(st) == SQLITE_ROW) {
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

static void wal_writeback(sq_store *s)
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
		if ((rc = exec(s, sql, "entering bulk mode", err)))
			return rc;
		s->bulk = true;
		excl_begin(s);
	}
	if ((rc = run_id(s, ST_BEGIN, "beginning a transaction", err))) {
		bulk_end(s);
		return rc;
	}
	cache_check(s);
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
	rc = fts_flush(s, err);
	if (rc)
		return rc; /* still in the transaction: the caller rolls back */
	rc = run_id(s, ST_COMMIT, "committing", err);
	if (sqlite3_get_autocommit(s->db)) {
		/* committed, or SQLite rolled back by itself (e.g. disk full) */
		if (rc)
			cache_clear(s);
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
	int step = sqlite3_step(st);
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

static void sq_interrupt(xy_store *base)
{
	sqlite3_interrupt(((sq_store *)base)->db);
}

static xy_code sq_rollback(xy_store *base, xy_error *err)
{
	sq_store *s = SQ(base);
	xy_code rc = XY_OK;
	/* ids handed out in the transaction vanish with it */
	cache_clear(s);
	if (s->depth && !sqlite3_get_autocommit(s->db)) {
		s->depth--;
		return exec(s, "ROLLBACK TO xy_nested; RELEASE xy_nested",
			    "rolling back a nested transaction", err);
	}
	s->depth = 0;
	if (!sqlite3_get_autocommit(s->db))
		rc = run_id(s, ST_ROLLBACK, "rolling back", err);
	bulk_end(s);
	return rc;
}

/* ---- registry ---- */

/* Join strings with '|'; a string containing '|' cannot be stored. */
static xy_code join(xy_buf *b, char **v, size_t n, const char *what, xy_error *err)
{
	size_t i;
	xy_buf_reset(b);
	for (i = 0; i < n; i++) {
		if (strchr(v[i], '|'))
			return xy_error_set(err, XY_ERR_CONFIG, "%s '%s' contains '|'", what,
					    v[i]);
		if ((i && xy_buf_addch(b, '|')) || xy_buf_addstr(b, v[i]))
			return xy_error_set(err, XY_ERR_NOMEM, "out of memory");
	}
	return XY_OK;
}

static xy_code save_unit(sq_store *s, xy_unit *u, xy_error *err)
{
	sqlite3_stmt *st = NULL;
	xy_code rc;
	int src;
	if ((rc = prep(s, ST_UNIT_INSERT, &st, err)))
		return rc;
	bind_str(st, 1, u->name);
	bind_str(st, 2, xy_unit_kind_name(u->kind));
	bind_opt(st, 3, u->division);
	sqlite3_bind_int(st, 4, u->sort);
	if ((rc = run(s, st, "saving a unit", err)) || (rc = prep(s, ST_UNIT_ID, &st, err)))
		return rc;
	bind_str(st, 1, u->name);
	src = sqlite3_step(st);
	if (src == SQLITE_ROW)
		u->id = sqlite3_column_int64(st, 0);
	else
		rc = fail(s, src == SQLITE_DONE ? SQLITE_INTERNAL : src, "saving a unit", err);
	sqlite3_reset(st);
	return rc;
}

static xy_code save_category(sq_store *s, xy_category *c, int sort, xy_buf *b1,
			     xy_buf *b2, xy_error *err)
{
	sqlite3_stmt *st = NULL;
	xy_code rc;
	size_t i;
	int src;
	if ((rc = prep(s, ST_CAT_INSERT, &st, err)))
		return rc;
	bind_str(st, 1, c->code);
	bind_str(st, 2, c->name);
	bind_str(st, 3, xy_category_kind_name(c->kind));
	sqlite3_bind_int(st, 4, sort);
	if ((rc = run(s, st, "saving a category", err)) || (rc = prep(s, ST_CAT_ID, &st, err)))
		return rc;
	bind_str(st, 1, c->code);
	src = sqlite3_step(st);
	if (src == SQLITE_ROW) {
		c->id = sqlite3_column_int64(st, 0);
	} else if (src == SQLITE_DONE) {
		/* the insert was ignored although the code is new: the name is taken */
		rc = xy_error_set(err, XY_ERR_CONFLICT,
				  "category name '%s' is already used by another category code",
				  c->name);
	} else {
		rc = fail(s, src, "saving a category", err);
	}
	sqlite3_reset(st);
	if (rc)
		return rc;
	for (i = 0; i < c->nfields; i++) {
		xy_field *f = &c->fields[i];
		if ((rc = join(b1, f->enum_values, f->nenum, "enum value", err)) ||
		    (rc = join(b2, f->aliases, f->naliases, "alias", err)) ||
		    (rc = prep(s, ST_FIELD_INSERT, &st, err)))
			return rc;
		sqlite3_bind_int64(st, 1, c->id);
		sqlite3_bind_int64(st, 2, (int64_t)i);
		bind_str(st, 3, f->code);
		bind_str(st, 4, f->name);
		bind_str(st, 5, xy_field_type_name(f->type));
		bind_text(st, 6, f->nenum ? b1->data : NULL, b1->len);
		sqlite3_bind_int(st, 7, f->required);
		sqlite3_bind_int64(st, 8, (int64_t)f->max_len);
		bind_str(st, 9, xy_field_role_name(f->role));
		bind_text(st, 10, f->naliases ? b2->data : NULL, b2->len);
		if ((rc = run(s, st, "saving a field", err)))
			return rc;
	}
	return XY_OK;
}

static xy_code sq_save_registry(xy_store *base, xy_registry *reg, xy_error *err)
{
	sq_store *s = SQ(base);
	xy_buf b1 = XY_BUF_INIT, b2 = XY_BUF_INIT;
	sqlite3_stmt *st = NULL;
	xy_code rc;
	size_t i;
	/* a savepoint works both inside the caller's transaction and alone */
	if ((rc = run_id(s, ST_SAVEPOINT, "saving the registry", err)))
		return rc;
	for (i = 0; i < reg->nunits && !rc; i++)
		rc = save_unit(s, &reg->units[i], err);
	for (i = 0; i < reg->ncategories && !rc; i++)
		rc = save_category(s, &reg->categories[i], (int)i, &b1, &b2, err);
	for (i = 0; i < reg->nexceptions && !rc; i++) {
		if ((rc = prep(s, ST_EXC_INSERT, &st, err)))
			break;
		bind_str(st, 1, reg->exceptions[i].code);
		bind_str(st, 2, reg->exceptions[i].note);
		rc = run(s, st, "saving a USCC exception", err);
	}
	xy_buf_release(&b1);
	xy_buf_release(&b2);
	if (rc) {
		run_id(s, ST_ROLLBACK_TO, "saving the registry", NULL);
		run_id(s, ST_RELEASE, "saving the registry", NULL);
		return rc;
	}
	return run_id(s, ST_RELEASE, "saving the registry", err);
}

/* Split a '|'-joined column into a malloc'd array of malloc'd strings. */
static xy_code split(sqlite3_stmt *st, int col, char ***out, size_t *n)
{
	const char *t = (const char *)sqlite3_column_text(st, col);
	size_t len = t ? (size_t)sqlite3_column_bytes(st, col) : 0, i, k, start;
	size_t parts = 1;
	char **v;
	*out = NULL;
	*n = 0;
	if (!len)
		return XY_OK;
	for (i = 0; i < len; i++)
		parts += t[i] == '|';
	v = calloc(parts, sizeof *v);
	if (!v)
		return XY_ERR_NOMEM;
	*out = v;
	for (i = 0, k = 0, start = 0; i <= len; i++) {
		if (i < len && t[i] != '|')
			continue;
		v[k] = malloc(i - start + 1);
		if (!v[k])
			return XY_ERR_NOMEM;
		memcpy(v[k], t + start, i - start);
		v[k][i - start] = '\0';
		*n = ++k;
		start = i + 1;
	}
	return XY_OK;
}

static xy_code bad_value(const char *what, const char *v, xy_error *err)
{
	return xy_error_set(err, XY_ERR_STORE, "unknown %s '%s' in the database", what, v);
}

static xy_code load_units(sq_store *s, xy_registry *reg, xy_error *err)
{
	sqlite3_stmt *st = NULL;
	size_t cap = 0;
	xy_code rc = prep(s, ST_UNIT_LIST, &st, err);
	int src;
	if (rc)
		return rc;
	while ((src = sqlite3_step(st)) == SQLITE_ROW) {
		xy_unit *u;
		void *p = xy_array_grow(reg->units, reg->nunits, &cap, sizeof *reg->units, 32);
		if (!p) {
			rc = xy_error_set(err, XY_ERR_NOMEM, "out of memory");
			break;
		}
		reg->units = p;
		u = &reg->units[reg->nunits];
		memset(u, 0, sizeof *u);
		u->id = sqlite3_column_int64(st, 0);
		if (!(u->name = col_dup(st, 1))) {
			rc = xy_error_set(err, XY_ERR_NOMEM, "out of memory");
			break;
		}
		reg->nunits++;
		if (xy_unit_kind_parse(col_str(st, 2), &u->kind) < 0) {
			rc = bad_value("unit kind", col_str(st, 2), err);
			break;
		}
		col_copy(st, 3, u->division, sizeof u->division);
		u->sort = sqlite3_column_int(st, 4);
	}
	if (!rc && src != SQLITE_DONE)
		rc = fail(s, src, "loading units", err);
	sqlite3_reset(st);
	return rc;
}

static xy_code load_categories(sq_store *s, xy_registry *reg, xy_error *err)
{
	sqlite3_stmt *st = NULL;
	size_t cap = 0;
	xy_code rc = prep(s, ST_CAT_LIST, &st, err);
	int src;
	if (rc)
		return rc;
	while ((src = sqlite3_step(st)) == SQLITE_ROW) {
		xy_category *c;
		void *p = xy_array_grow(reg->categories, reg->ncategories, &cap, sizeof *reg->categories, 16);
		if (!p) {
			rc = xy_error_set(err, XY_ERR_NOMEM, "out of memory");
			break;
		}
		reg->categories = p;
		c = &reg->categories[reg->ncategories];
		memset(c, 0, sizeof *c);
		c->key_field = -1;
		c->id = sqlite3_column_int64(st, 0);
		c->code = col_dup(st, 1);
		c->name = col_dup(st, 2);
		reg->ncategories++;
		if (!c->code || !c->name) {
			rc = xy_error_set(err, XY_ERR_NOMEM, "out of memory");
			break;
		}
		if (xy_category_kind_parse(col_str(st, 3), &c->kind) < 0) {
			rc = bad_value("category kind", col_str(st, 3), err);
			break;
		}
	}
	if (!rc && src != SQLITE_DONE)
		rc = fail(s, src, "loading categories", err);
	sqlite3_reset(st);
	return rc;
}

static xy_code load_field(sqlite3_stmt *st, xy_category *c, xy_error *err)
{
	xy_field *f;
	void *p = realloc(c->fields, (c->nfields + 1) * sizeof *c->fields);
	if (!p)
		return xy_error_set(err, XY_ERR_NOMEM, "out of memory");
	c->fields = p;
	f = &c->fields[c->nfields];
	memset(f, 0, sizeof *f);
	c->nfields++;
	f->code = col_dup(st, 1);
	f->name = col_dup(st, 2);
	if (!f->code || !f->name || split(st, 4, &f->enum_values, &f->nenum) ||
	    split(st, 8, &f->aliases, &f->naliases))
		return xy_error_set(err, XY_ERR_NOMEM, "out of memory");
	if (xy_field_type_parse(col_str(st, 3), &f->type) < 0)
		return bad_value("field type", col_str(st, 3), err);
	if (xy_field_role_parse(col_str(st, 7), &f->role) < 0)
		return bad_value("field role", col_str(st, 7), err);
	f->required = sqlite3_column_int(st, 5) != 0;
	f->max_len = (size_t)sqlite3_column_int64(st, 6);
	if (f->role == XY_ROLE_KEY && c->key_field < 0)
		c->key_field = (int)(c->nfields - 1);
	return XY_OK;
}

static xy_code load_fields(sq_store *s, xy_registry *reg, xy_error *err)
{
	sqlite3_stmt *st = NULL;
	xy_category *c = NULL;
	xy_code rc = prep(s, ST_FIELD_LIST, &st, err);
	int src;
	if (rc)
		return rc;
	while ((src = sqlite3_step(st)) == SQLITE_ROW) {
		int64_t cid = sqlite3_column_int64(st, 0);
		size_t i;
		if (!c || c->id != cid) {
			c = NULL;
			for (i = 0; i < reg->ncategories; i++)
				if (reg->categories[i].id == cid)
					c = &reg->categories[i];
			if (!c) /* cannot happen with foreign keys on */
				continue;
		}
		if ((rc = load_field(st, c, err)))
			break;
	}
	if (!rc && src != SQLITE_DONE)
		rc = fail(s, src, "loading fields", err);
	sqlite3_reset(st);
	return rc;
}

static xy_code load_exceptions(sq_store *s, xy_registry *reg, xy_error *err)
{
	sqlite3_stmt *st = NULL;
	size_t cap = 0;
	xy_code rc = prep(s, ST_EXC_LIST, &st, err);
	int src;
	if (rc)
		return rc;
	while ((src = sqlite3_step(st)) == SQLITE_ROW) {
		xy_uscc_exception *e;
		void *p = xy_array_grow(reg->exceptions, reg->nexceptions, &cap, sizeof *reg->exceptions, 16);
		if (!p) {
			rc = xy_error_set(err, XY_ERR_NOMEM, "out of memory");
			break;
		}
		reg->exceptions = p;
		e = &reg->exceptions[reg->nexceptions];
		memset(e, 0, sizeof *e);
		col_copy(st, 0, e->code, sizeof e->code);
		reg->nexceptions++;
		if (sqlite3_column_type(st, 1) != SQLITE_NULL && !(e->note = col_dup(st, 1))) {
			rc = xy_error_set(err, XY_ERR_NOMEM, "out of memory");
			break;
		}
	}
	if (!rc && src != SQLITE_DONE)
		rc = fail(s, src, "loading USCC exceptions", err);
	sqlite3_reset(st);
	return rc;
}

static xy_code sq_load_registry(xy_store *base, xy_registry *reg, xy_error *err)
{
	sq_store *s = SQ(base);
	bool own_tx = sqlite3_get_autocommit(s->db);
	xy_code rc;
	/* one read transaction: a consistent snapshot of all four tables */
	if (own_tx && (rc = exec(s, "BEGIN", "loading the registry", err)))
		return rc;
	rc = load_units(s, reg, err);
	if (!rc)
		rc = xy__sq_unit_aliases_load(base, reg, err);
	if (!rc)
		rc = load_categories(s, reg, err);
	if (!rc)
		rc = load_fields(s, reg, err);
	if (!rc)
		rc = load_exceptions(s, reg, err);
	if (own_tx)
		sqlite3_exec(s->db, "COMMIT", NULL, NULL, NULL);
	return rc;
}

/* ---- subjects ---- */

static uint64_t subj_hash(const sq_store *s, const void *p, size_t n)
{
	unsigned char h[crypto_shorthash_BYTES];
	uint64_t v;
	crypto_shorthash(h, p, n, s->cache_key);
	memcpy(&v, h, sizeof v);
	return v;
}

/* Hash of the columns other than the code (their lengths first, so no two
 * different subjects hash the same bytes). */
static uint64_t subj_content(const sq_store *s, const xy_subject *subj)
{
	crypto_generichash_state g;
	unsigned char h[crypto_generichash_BYTES_MIN];
	size_t len[3] = { strlen(subj->name), strlen(subj->code_type), strlen(subj->division) };
	char kind = (char)subj->kind;
	uint64_t v;
	crypto_generichash_init(&g, s->cache_key, sizeof s->cache_key, sizeof h);
	crypto_generichash_update(&g, (const unsigned char *)len, sizeof len);
	crypto_generichash_update(&g, (const unsigned char *)subj->name, len[0]);
	crypto_generichash_update(&g, (const unsigned char *)subj->code_type, len[1]);
	crypto_generichash_update(&g, (const unsigned char *)subj->division, len[2]);
	crypto_generichash_update(&g, (const unsigned char *)&kind, 1);
	crypto_generichash_final(&g, h, sizeof h);
	memcpy(&v, h, sizeof v);
	return v;
}

static bool col_eq(sqlite3_stmt *st, int i, const char *v)
{
	const char *t = (const char *)sqlite3_column_text(st, i);
	size_t n = strlen(v);
	if (!t)
		return n == 0;
	return (size_t)sqlite3_column_bytes(st, i) == n && !memcmp(t, v, n);
}

static xy_code subject_write(sq_store *s, xy_subject *subj, size_t clen, xy_error *err);

static xy_code sq_subject_upsert(xy_store *base, xy_subject *subj, xy_error *err)
{
	sq_store *s = SQ(base);
	size_t clen = strlen(subj->code);
	struct subj_slot *slot = NULL;
	uint64_t h = 0;
	uint32_t content = 0;
	xy_code rc;

	if (!s->cache) {
		if (sodium_init() >= 0 && (s->cache = calloc(SUBJ_SLOTS, sizeof *s->cache)))
			randombytes_buf(s->cache_key, sizeof s->cache_key);
	} else if (sqlite3_get_autocommit(s->db)) {
		cache_check(s); /* sq_begin checks inside transactions */
	}
	if (s->cache) {
		struct subj_slot *set, *empty = NULL;
		unsigned w;
		h = subj_hash(s, subj->code, clen);
		content = (uint32_t)subj_content(s, subj);
		set = &s->cache[h & (SUBJ_SLOTS - SUBJ_WAYS)];
		for (w = 0; w < SUBJ_WAYS; w++) {
			if (!set[w].id) {
				if (!empty)
					empty = &set[w];
			} else if (set[w].code == h) {
				slot = &set[w];
				break;
			}
		}
		if (slot && slot->content == content) {
			subj->id = slot->id;
			return XY_OK;
		}
		/* where the answer goes: its own slot, a free one, or a victim */
		if (!slot)
			slot = empty ? empty : &set[(h >> 32) & (SUBJ_WAYS - 1)];
	}

	/* subject and name index change together, also without a transaction */
	if (!sqlite3_get_autocommit(s->db))
		rc = subject_write(s, subj, clen, err);
	else if (!(rc = run_id(s, ST_BEGIN, "beginning a transaction", err))) {
		rc = subject_write(s, subj, clen, err);
		if (!rc)
			rc = run_id(s, ST_COMMIT, "committing a subject", err);
		if (rc && !sqlite3_get_autocommit(s->db))
			run_id(s, ST_ROLLBACK, "rolling back", NULL);
	}
	if (rc)
		return rc;
	if (slot && subj->id > 0 && subj->id <= (int64_t)UINT32_MAX) {
		if (!slot->id)
			s->cache_used++;
		slot->id = (uint32_t)subj->id;
		slot->code = h;
		slot->content = content;
	}
	return XY_OK;
}

/* Look the subject up by code and insert or update it; sets subj->id. */
static xy_code subject_write(sq_store *s, xy_subject *subj, size_t clen, xy_error *err)
{
	sqlite3_stmt *st = NULL;
	char now[32];
	xy_code rc;
	int src;

	if ((rc = prep(s, ST_SUBJ_GET, &st, err)))
		return rc;
	bind_text(st, 1, subj->code, clen);
	bind_str(st, 2, subj->code_type);
	src = sqlite3_step(st);
	if (src == SQLITE_ROW) {
		const char *name = subj->name;
		int64_t id = sqlite3_column_int64(st, 0);
		bool same;
		/* an empty name never erases a known one */
		if (!name[0])
			name = col_str(st, 3);
		same = col_eq(st, 1, xy_subject_kind_name(subj->kind)) &&
		       col_eq(st, 2, subj->code_type) && col_eq(st, 3, name) &&
		       col_eq(st, 4, subj->division);
		if (same) {
			sqlite3_reset(st);
		} else {
			sqlite3_stmt *up = NULL;
			char *keep = NULL;
			if (name != subj->name) {
				size_t kl = (size_t)sqlite3_column_bytes(st, 3);
				if (!(keep = malloc(kl + 1))) {
					sqlite3_reset(st);
					return xy_error_set(err, XY_ERR_NOMEM, "out of memory");
				}
				memcpy(keep, name, kl);
				keep[kl] = '\0';
				name = keep;
			}
			sqlite3_reset(st);
			if ((s->fts_from && id >= s->fts_from && (rc = fts_flush(s, err))) ||
			    (rc = prep(s, ST_SUBJ_UPDATE, &up, err))) {
				free(keep);
				return rc;
			}
			now_iso(now);
			sqlite3_bind_int64(up, 1, id);
			bind_str(up, 2, xy_subject_kind_name(subj->kind));
			bind_str(up, 3, subj->code_type);
			bind_str(up, 4, name);
			bind_opt(up, 5, subj->division);
			bind_str(up, 6, now);
			rc = run(s, up, "updating a subject", err);
			free(keep);
			if (rc)
				return rc;
		}
		subj->id = id;
	} else if (src == SQLITE_DONE) {
		sqlite3_reset(st);
		if ((rc = prep(s, ST_SUBJ_INSERT, &st, err)))
			return rc;
		now_iso(now);
		bind_str(st, 1, xy_subject_kind_name(subj->kind));
		bind_text(st, 2, subj->code, clen);
		bind_str(st, 3, subj->code_type);
		bind_str(st, 4, subj->name);
		bind_opt(st, 5, subj->division);
		bind_str(st, 6, now);
		if ((rc = run(s, st, "inserting a subject", err)))
			return rc;
		subj->id = sqlite3_last_insert_rowid(s->db);
		if (s->bulk) { /* indexed in groups, and before COMMIT (fts_flush) */
			if (!s->fts_from)
				s->fts_from = subj->id;
			if (subj->id - s->fts_from + 1 >= FTS_GROUP)
				return fts_flush(s, err);
			return XY_OK;
		}
		if ((rc = prep(s, ST_FTS_INSERT, &st, err)))
			return rc;
		sqlite3_bind_int64(st, 1, subj->id);
		bind_str(st, 2, subj->name);
		if ((rc = run(s, st, "indexing a subject name", err)))
			return rc;
	} else {
		rc = fail(s, src, "looking up a subject", err);
		sqlite3_reset(st);
		return rc;
	}
	return XY_OK;
}

/* Fill o (zeroed first) from a SUBJ_COLS row: XY_ERR_NOMEM leaves o empty. */
static xy_code subject_from_row(sqlite3_stmt *st, xy_subject *o)
{
	memset(o, 0, sizeof *o);
	o->id = sqlite3_column_int64(st, 0);
	if (xy__subject_kind_parse(col_str(st, 1), &o->kind) < 0)
		o->kind = XY_SUBJ_LEGAL;
	if (xy_subject_set(o, col_str(st, 2), col_str(st, 3), col_str(st, 4))) {
		xy_subject_release(o);
		return XY_ERR_NOMEM;
	}
	col_copy(st, 5, o->division, sizeof o->division); /* 6 digits when set */
	return XY_OK;
}

/* Step st and append every row to *out. */
static xy_code collect_subjects(sq_store *s, sqlite3_stmt *st, xy_subject **out, size_t *n,
				xy_error *err)
{
	size_t cap = 0;
	xy_code rc = XY_OK;
	int src;
	while ((src = sqlite3_step(st)) == SQLITE_ROW) {
		void *p = xy_array_grow(*out, *n, &cap, sizeof **out, 8);
		if (!p) {
			rc = xy_error_set(err, XY_ERR_NOMEM, "out of memory");
			break;
		}
		*out = p;
		if (subject_from_row(st, &(*out)[*n])) {
			rc = xy_error_set(err, XY_ERR_NOMEM, "out of memory");
			break;
		}
		(*n)++;
	}
	if (!rc && src != SQLITE_DONE)
		rc = fail(s, src, "searching subjects", err);
	sqlite3_reset(st);
	if (rc) {
		xy_subjects_free(*out, *n);
		*out = NULL;
		*n = 0;
	}
	return rc;
}

static size_t utf8_chars(const char *q, size_t len)
{
	size_t i, n = 0;
	for (i = 0; i < len; i++)
		n += ((unsigned char)q[i] & 0xc0) != 0x80;
	return n;
}

static xy_code sq_subject_by_code(xy_store *base, const char *code, xy_subject *out,
				  xy_error *err);

static xy_code sq_subject_find(xy_store *base, const char *q, size_t qlen, size_t limit,
			       xy_subject **out, size_t *n, xy_error *err)
{
	sq_store *s = SQ(base);
	sqlite3_stmt *st = NULL;
	sqlite3_int64 lim = limit ? (sqlite3_int64)limit : -1;
	xy_code rc;

	if ((rc = fts_flush(s, err)))
		return rc;
	/* a code is one subject's at most: the first row ends the lookup (a
	 * plain code found skips hashing q for the personal ones: xy_h) */
	if (!memchr(q, '\0', qlen)) {
		xy_subject one = { 0 };
		char *z = strndup(q, qlen);
		if (!z)
			return xy_error_set(err, XY_ERR_NOMEM, "out of memory");
		rc = sq_subject_by_code(base, z, &one, err);
		free(z);
		if (!rc) {
			if (!(*out = malloc(sizeof **out))) {
				xy_subject_release(&one);
				return xy_error_set(err, XY_ERR_NOMEM, "out of memory");
			}
			(*out)[0] = one;
			*n = 1;
			return XY_OK;
		}
		if (rc != XY_ERR_NOTFOUND)
			return rc;
	}
	if (memchr(q, '*', qlen) && !memchr(q, ' ', qlen)) {
		if ((rc = prep(s, ST_SUBJ_BY_MASK, &st, err)))
			return rc;
		bind_text(st, 1, q, qlen);
		sqlite3_bind_int64(st, 2, lim);
		if ((rc = collect_subjects(s, st, out, n, err)) || *n)
			return rc;
	}

	if (utf8_chars(q, qlen) >= 3) {
		/* an FTS5 string: "…" with inner quotes doubled, so no query syntax */
		xy_buf m = XY_BUF_INIT;
		size_t i;
		xy_code brc = xy_buf_grow(&m, qlen + 8);
		brc = brc ? brc : xy_buf_addch(&m, '"');
		for (i = 0; i < qlen && !brc; i++)
			brc = q[i] == '"' ? xy_buf_add(&m, "\"\"", 2) : xy_buf_addch(&m, q[i]);
		brc = brc ? brc : xy_buf_addch(&m, '"');
		if (brc) {
			xy_buf_release(&m);
			return xy_error_set(err, XY_ERR_NOMEM, "out of memory");
		}
		if ((rc = prep(s, ST_SUBJ_FTS, &st, err))) {
			xy_buf_release(&m);
			return rc;
		}
		bind_text(st, 1, m.data, m.len);
		bind_text(st, 2, q, qlen);
		sqlite3_bind_int64(st, 3, lim);
		rc = collect_subjects(s, st, out, n, err);
		xy_buf_release(&m);
		return rc;
	}
	if ((rc = prep(s, ST_SUBJ_SCAN, &st, err)))
		return rc;
	bind_text(st, 1, q, qlen);
	sqlite3_bind_int64(st, 2, lim);
	return collect_subjects(s, st, out, n, err);
}

static xy_code sq_subject_search(xy_store *base, const char *q, size_t qlen, int64_t after,
				 size_t limit, bool no_persons, xy_subject **out, size_t *n,
				 xy_error *err)
{
	sq_store *s = SQ(base);
	sqlite3_stmt *st = NULL;
	xy_buf m = XY_BUF_INIT;
	bool fts = utf8_chars(q, qlen) >= 3;
	xy_code rc;

	if ((rc = fts_flush(s, err)))
		return rc;
	if (fts) {
		/* an FTS5 string: "…" with inner quotes doubled, so no query syntax */
		size_t i;
		rc = xy_buf_grow(&m, qlen + 8);
		rc = rc ? rc : xy_buf_addch(&m, '"');
		for (i = 0; i < qlen && !rc; i++)
			rc = q[i] == '"' ? xy_buf_add(&m, "\"\"", 2) : xy_buf_addch(&m, q[i]);
		rc = rc ? rc : xy_buf_addch(&m, '"');
		if (rc) {
			xy_buf_release(&m);
			return xy_error_set(err, XY_ERR_NOMEM, "out of memory");
		}
	}
	if ((rc = prep(s, fts ? ST_SUBJ_SEARCH_FTS : ST_SUBJ_SEARCH_SCAN, &st, err))) {
		xy_buf_release(&m);
		return rc;
	}
	if (fts)
		bind_text(st, 1, m.data, m.len);
	else
		bind_text(st, 1, q, qlen);
	sqlite3_bind_int64(st, 2, after);
	sqlite3_bind_int64(st, 3, (sqlite3_int64)limit);
	sqlite3_bind_int(st, 4, no_persons);
	rc = collect_subjects(s, st, out, n, err);
	xy_buf_release(&m);
	return rc;
}

/* ---- batches ---- */

static const char *status_name(xy_batch_status st)
{
	return st == XY_BATCH_REFUSED ? "refused" : "committed";
}

static xy_code sq_batch_insert(xy_store *base, xy_batch *b, xy_error *err)
{
	sq_store *s = SQ(base);
	sqlite3_stmt *st = NULL;
	xy_code rc = prep(s, ST_BATCH_INSERT, &st, err);
	if (rc)
		return rc;
	if (!b->started_at[0])
		now_iso(b->started_at);
	bind_id(st, 1, b->unit_id);
	bind_id(st, 2, b->category_id);
	bind_opt(st, 3, b->file);
	bind_opt(st, 4, b->format);
	bind_opt(st, 5, b->encoding);
	bind_str(st, 6, b->reported_on);
	bind_opt(st, 7, b->started_at);
	bind_opt(st, 8, b->finished_at);
	bind_str(st, 9, status_name(b->status));
	bind_opt(st, 10, b->message);
	sqlite3_bind_int64(st, 11, b->rows);
	sqlite3_bind_int64(st, 12, b->added);
	sqlite3_bind_int64(st, 13, b->updated);
	sqlite3_bind_int64(st, 14, b->unchanged);
	sqlite3_bind_int64(st, 15, b->rejected);
	bind_opt(st, 16, b->error_report);
	if ((rc = run(s, st, "inserting a batch", err)))
		return rc;
	b->id = sqlite3_last_insert_rowid(s->db);
	return XY_OK;
}

static xy_code sq_batch_update(xy_store *base, const xy_batch *b, xy_error *err)
{
	sq_store *s = SQ(base);
	sqlite3_stmt *st = NULL;
	xy_code rc = prep(s, ST_BATCH_UPDATE, &st, err);
	if (rc)
		return rc;
	sqlite3_bind_int64(st, 1, b->id);
	bind_opt(st, 2, b->finished_at);
	bind_str(st, 3, status_name(b->status));
	bind_opt(st, 4, b->message);
	sqlite3_bind_int64(st, 5, b->rows);
	sqlite3_bind_int64(st, 6, b->added);
	sqlite3_bind_int64(st, 7, b->updated);
	sqlite3_bind_int64(st, 8, b->unchanged);
	sqlite3_bind_int64(st, 9, b->rejected);
	bind_opt(st, 10, b->error_report);
	sqlite3_bind_int64(st, 11, b->errors_stored);
	if ((rc = run(s, st, "updating a batch", err)))
		return rc;
	if (sqlite3_changes(s->db) == 0)
		return xy_error_set(err, XY_ERR_NOTFOUND, "no batch %lld", (long long)b->id);
	return XY_OK;
}

static void batch_from_row(sqlite3_stmt *st, xy_batch *b)
{
	memset(b, 0, sizeof *b);
	b->id = sqlite3_column_int64(st, 0);
	b->unit_id = sqlite3_column_int64(st, 1);
	b->category_id = sqlite3_column_int64(st, 2);
	b->unit = col_str(st, 3);
	b->category = col_str(st, 4);
	b->file = col_str(st, 5);
	col_copy(st, 6, b->format, sizeof b->format);
	col_copy(st, 7, b->encoding, sizeof b->encoding);
	col_copy(st, 8, b->reported_on, sizeof b->reported_on);
	col_copy(st, 9, b->started_at, sizeof b->started_at);
	col_copy(st, 10, b->finished_at, sizeof b->finished_at);
	b->status = strcmp(col_str(st, 11), "refused") ? XY_BATCH_COMMITTED : XY_BATCH_REFUSED;
	b->message = col_str(st, 12);
	b->rows = (long)sqlite3_column_int64(st, 13);
	b->added = (long)sqlite3_column_int64(st, 14);
	b->updated = (long)sqlite3_column_int64(st, 15);
	b->unchanged = (long)sqlite3_column_int64(st, 16);
	b->rejected = (long)sqlite3_column_int64(st, 17);
	b->error_report = col_str(st, 18);
	b->errors_stored = (long)sqlite3_column_int64(st, 19);
}

static xy_code sq_batches(xy_store *base, size_t limit, xy_batch **out, size_t *n,
			  xy_error *err)
{
	sq_store *s = SQ(base);
	sqlite3_stmt *st = NULL;
	size_t cap = 0;
	xy_code rc = prep(s, ST_BATCH_LIST, &st, err);
	int src;
	if (rc)
		return rc;
	sqlite3_bind_int64(st, 1, limit ? (sqlite3_int64)limit : -1);
	while ((src = sqlite3_step(st)) == SQLITE_ROW) {
		void *p = xy_array_grow(*out, *n, &cap, sizeof **out, 16);
		if (!p) {
			rc = xy_error_set(err, XY_ERR_NOMEM, "out of memory");
			break;
		}
		*out = p;
		batch_from_row(st, &(*out)[*n]);
		OWN(xy_batch, &(*out)[*n], rc);
		if (rc)
			break;
		(*n)++;
	}
	if (!rc && src != SQLITE_DONE)
		rc = fail(s, src, "listing batches", err);
	sqlite3_reset(st);
	if (rc) {
		xy_batches_free(*out, *n);
		*out = NULL;
		*n = 0;
	}
	return rc;
}

static xy_code sq_batch_get(xy_store *base, int64_t id, xy_batch *out, xy_error *err)
{
	sq_store *s = SQ(base);
	sqlite3_stmt *st = NULL;
	xy_code rc = prep(s, ST_BATCH_GET, &st, err);
	int src;
	if (rc)
		return rc;
	sqlite3_bind_int64(st, 1, id);
	src = sqlite3_step(st);
	if (src == SQLITE_ROW) {
		batch_from_row(st, out);
		OWN(xy_batch, out, rc);
	} else if (src == SQLITE_DONE)
		rc = xy_error_set(err, XY_ERR_NOTFOUND, "no batch %lld", (long long)id);
	else
		rc = fail(s, src, "reading a batch", err);
	sqlite3_reset(st);
	return rc;
}

static xy_code sq_batch_error_add(xy_store *base, const xy_batch_error *e, xy_error *err)
{
	sq_store *s = SQ(base);
	sqlite3_stmt *st = NULL;
	xy_code rc = prep(s, ST_BERR_ADD, &st, err);
	if (rc)
		return rc;
	sqlite3_bind_int64(st, 1, e->batch_id);
	if (e->row > 0)
		sqlite3_bind_int64(st, 2, e->row);
	else
		sqlite3_bind_null(st, 2);
	bind_str(st, 3, e->sheet);
	bind_str(st, 4, e->column);
	bind_str(st, 5, e->value);
	bind_str(st, 6, e->reason_zh);
	bind_str(st, 7, e->reason_en);
	return run(s, st, "recording a rejected row", err);
}

static const char *col_or_null(sqlite3_stmt *st, int i)
{
	return (const char *)sqlite3_column_text(st, i);
}

static xy_code sq_batch_errors(xy_store *base, int64_t batch_id, xy_batch_error_cb cb,
			       void *ctx, xy_error *err)
{
	sq_store *s = SQ(base);
	sqlite3_stmt *st = NULL;
	xy_code rc = prep(s, ST_BERR_LIST, &st, err);
	int src;
	if (rc)
		return rc;
	sqlite3_bind_int64(st, 1, batch_id);
	while ((src = sqlite3_step(st)) == SQLITE_ROW) {
		xy_batch_error e;
		e.batch_id = sqlite3_column_int64(st, 0);
		e.row = (long)sqlite3_column_int64(st, 1);
		e.sheet = col_or_null(st, 2);
		e.column = col_or_null(st, 3);
		e.value = col_or_null(st, 4);
		e.reason_zh = col_or_null(st, 5);
		e.reason_en = col_or_null(st, 6);
		if (cb(ctx, &e))
			break;
	}
	if (src != SQLITE_ROW && src != SQLITE_DONE)
		rc = fail(s, src, "reading rejected rows", err);
	sqlite3_reset(st);
	return rc;
}

/* ---- records ---- */

/* The import hot path: one INSERT for a new key; for a known key one SELECT
 * and at most one version INSERT and one UPDATE. */
static xy_code sq_record_upsert(xy_store *base, const xy_record_in *r,
				xy_upsert_result *res, xy_error *err)
{
	sq_store *s = SQ(base);
	sqlite3_stmt *st = NULL, *up = NULL;
	const char *dec = r->decided_on && r->decided_on[0] ? r->decided_on : NULL;
	size_t keylen = strlen(r->key), declen = dec ? strlen(dec) : 0;
	int64_t id, old_subject, old_data_batch;
	const void *old;
	xy_code rc;
	int src;

	if (s->bulk && ++s->bulk_rows % WRITEBACK_ROWS == 0)
		wal_writeback(s);
	if ((rc = prep(s, ST_REC_INSERT, &st, err)))
		return rc;
	sqlite3_bind_int64(st, 1, r->unit_id);
	sqlite3_bind_int64(st, 2, r->category_id);
	bind_text(st, 3, r->key, keylen);
	bind_id(st, 4, r->subject_id);
	bind_text(st, 5, dec, declen);
	sqlite3_bind_int64(st, 6, r->batch_id);
	bind_text(st, 7, r->data, r->data_len);
	if ((rc = run(s, st, "inserting a record", err)))
		return rc;
	if (sqlite3_changes(s->db) == 1) {
		*res = XY_UPSERT_NEW;
		return XY_OK;
	}

	if ((rc = prep(s, ST_REC_GET, &st, err)))
		return rc;
	sqlite3_bind_int64(st, 1, r->unit_id);
	sqlite3_bind_int64(st, 2, r->category_id);
	bind_text(st, 3, r->key, keylen);
	src = sqlite3_step(st);
	if (src != SQLITE_ROW) {
		rc = fail(s, src == SQLITE_DONE ? SQLITE_INTERNAL : src, "reading a record", err);
		sqlite3_reset(st);
		return rc;
	}
	id = sqlite3_column_int64(st, 0);
	if (sqlite3_column_int64(st, 3) == r->batch_id) {
		sqlite3_reset(st);
		*res = XY_UPSERT_DUPLICATE;
		return XY_OK;
	}
	old_subject = sqlite3_column_int64(st, 1); /* NULL reads as 0 */
	old_data_batch = sqlite3_column_int64(st, 4);
	old = sqlite3_column_blob(st, 5);
	if (old_subject == r->subject_id && col_eq(st, 2, dec ? dec : "") &&
	    (size_t)sqlite3_column_bytes(st, 5) == r->data_len &&
	    (!r->data_len || !memcmp(old, r->data, r->data_len))) {
		sqlite3_reset(st);
		if ((rc = prep(s, ST_REC_TOUCH, &up, err)))
			return rc;
		sqlite3_bind_int64(up, 1, id);
		sqlite3_bind_int64(up, 2, r->batch_id);
		if ((rc = run(s, up, "updating a record", err)))
			return rc;
		*res = XY_UPSERT_UNCHANGED;
		return XY_OK;
	}

	/* keep the old version: bind straight from the SELECT's row, still valid */
	if ((rc = prep(s, ST_REC_VERSION, &up, err))) {
		sqlite3_reset(st);
		return rc;
	}
	sqlite3_bind_int64(up, 1, id);
	bind_id(up, 2, old_subject);
	sqlite3_bind_value(up, 3, sqlite3_column_value(st, 2));
	sqlite3_bind_int64(up, 4, old_data_batch);
	sqlite3_bind_int64(up, 5, r->batch_id);
	sqlite3_bind_value(up, 6, sqlite3_column_value(st, 5));
	rc = run(s, up, "keeping a record version", err);
	sqlite3_reset(st);
	if (rc)
		return rc;

	if ((rc = prep(s, ST_REC_UPDATE, &up, err)))
		return rc;
	sqlite3_bind_int64(up, 1, id);
	bind_id(up, 2, r->subject_id);
	bind_text(up, 3, dec, declen);
	sqlite3_bind_int64(up, 4, r->batch_id);
	bind_text(up, 5, r->data, r->data_len);
	if ((rc = run(s, up, "updating a record", err)))
		return rc;
	*res = XY_UPSERT_UPDATED;
	return XY_OK;
}

static xy_code sq_subject_records(xy_store *base, int64_t subject_id, xy_record_cb cb,
				  void *ctx, xy_error *err)
{
	sq_store *s = SQ(base);
	sqlite3_stmt *st = NULL;
	xy_code rc = prep(s, ST_SUBJ_RECORDS, &st, err);
	int src;
	if (rc)
		return rc;
	sqlite3_bind_int64(st, 1, subject_id);
	while ((src = sqlite3_step(st)) == SQLITE_ROW) {
		xy_record_view v;
		v.id = sqlite3_column_int64(st, 0);
		v.unit = col_str(st, 1);
		v.category = col_str(st, 2);
		v.key = col_str(st, 3);
		v.data = col_str(st, 4);
		v.decided_on = col_or_null(st, 5);
		v.reported_on = col_str(st, 6);
		v.first_batch = sqlite3_column_int64(st, 7);
		v.last_batch = sqlite3_column_int64(st, 8);
		v.versions = sqlite3_column_int(st, 9);
		if (cb(ctx, &v))
			break;
	}
	if (src != SQLITE_ROW && src != SQLITE_DONE)
		rc = fail(s, src, "reading records", err);
	sqlite3_reset(st);
	return rc;
}

static xy_code sq_record_count(xy_store *base, int64_t batch_id, long *n, xy_error *err)
{
	sq_store *s = SQ(base);
	sqlite3_stmt *st = NULL;
	xy_code rc = prep(s, batch_id ? ST_REC_COUNT_BATCH : ST_REC_COUNT_ALL, &st, err);
	int src;
	if (rc)
		return rc;
	if (batch_id)
		sqlite3_bind_int64(st, 1, batch_id);
	src = sqlite3_step(st);
	if (src == SQLITE_ROW)
		*n = (long)sqlite3_column_int64(st, 0);
	else
		rc = fail(s, src, "counting records", err);
	sqlite3_reset(st);
	return rc;
}

static xy_code sq_index_put(xy_store *base, const xy_city_index *v, xy_error *err)
{
	sq_store *s = SQ(base);
	sqlite3_stmt *st = NULL;
	xy_code rc = prep(s, ST_INDEX_PUT, &st, err);
	int src;
	if (rc)
		return rc;
	sqlite3_bind_text(st, 1, v->month, -1, SQLITE_TRANSIENT);
	sqlite3_bind_double(st, 2, v->score);
	sqlite3_bind_int(st, 3, v->rank);
	src = sqlite3_step(st);
	if (src != SQLITE_DONE)
		rc = fail(s, src, "storing the city index", err);
	sqlite3_reset(st);
	return rc;
}

static xy_code sq_index_list(xy_store *base, xy_city_index **out, size_t *n, xy_error *err)
{
	sq_store *s = SQ(base);
	sqlite3_stmt *st = NULL;
	xy_city_index *v = NULL;
	size_t cap = 0;
	xy_code rc = prep(s, ST_INDEX_LIST, &st, err);
	int src;
	if (rc)
		return rc;
	while ((src = sqlite3_step(st)) == SQLITE_ROW) {
		const unsigned char *m = sqlite3_column_text(st, 0);
		xy_city_index *nv = xy_array_grow(v, *n, &cap, sizeof *v, 16);
		if (!nv) {
			rc = xy_error_set(err, XY_ERR_NOMEM, "out of memory");
			goto out;
		}
		v = nv;
		snprintf(v[*n].month, sizeof v[*n].month, "%s", m ? (const char *)m : "");
		v[*n].score = sqlite3_column_double(st, 1);
		v[*n].rank = sqlite3_column_int(st, 2);
		(*n)++;
	}
	if (src != SQLITE_DONE)
		rc = fail(s, src, "reading the city index", err);
out:
	sqlite3_reset(st);
	if (rc) {
		free(v);
		*n = 0;
		return rc;
	}
	*out = v;
	return XY_OK;
}

/* ---- lists, checks, feedback, watch ---- */

static xy_code sq_list_type_ensure(xy_store *base, const xy_list_type *lt, xy_error *err)
{
	sq_store *s = SQ(base);
	sqlite3_stmt *st = NULL;
	char validity[32];
	xy_code rc = prep(s, ST_LT_ENSURE, &st, err);
	if (rc)
		return rc;
	if (lt->validity)
		snprintf(validity, sizeof validity, "%d%c", lt->validity, lt->validity_unit);
	else
		snprintf(validity, sizeof validity, "0");
	bind_str(st, 1, lt->name);
	bind_str(st, 2, xy_list_kind_name(lt->kind));
	bind_opt(st, 3, lt->unit);
	bind_opt(st, 4, lt->basis);
	bind_str(st, 5, validity);
	bind_opt(st, 6, lt->exit);
	sqlite3_bind_int(st, 7, lt->national);
	bind_opt(st, 8, lt->category);
	return run(s, st, "saving a list type", err);
}

static xy_code history_add(sq_store *s, int64_t entry, const char *action, const char *detail,
			   xy_error *err)
{
	sqlite3_stmt *st = NULL;
	char now[32];
	xy_code rc = prep(s, ST_ENTRY_HIST, &st, err);
	if (rc)
		return rc;
	now_iso(now);
	sqlite3_bind_int64(st, 1, entry);
	bind_str(st, 2, now);
	bind_str(st, 3, action);
	bind_opt(st, 4, detail);
	return run(s, st, "recording list entry history", err);
}

/* Run fn inside a transaction of its own unless the caller has one. */
static xy_code in_tx(sq_store *s, xy_code (*fn)(sq_store *, void *, xy_error *), void *arg,
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

static xy_code entry_insert_tx(sq_store *s, void *arg, xy_error *err)
{
	xy_entry_row *e = arg;
	sqlite3_stmt *st = NULL;
	char detail[64];
	xy_code rc = prep(s, ST_ENTRY_INSERT, &st, err);
	if (rc)
		return rc;
	now_iso(e->created_at);
	bind_txt(st, 1, e->list_type);
	sqlite3_bind_int64(st, 2, e->subject_id);
	sqlite3_bind_int64(st, 3, e->unit_id);
	bind_txt(st, 4, e->doc);
	bind_opt(st, 5, e->reason);
	bind_str(st, 6, e->from);
	bind_opt(st, 7, e->to);
	bind_str(st, 8, e->created_at);
	if ((rc = run(s, st, "inserting a list entry", err)))
		return rc;
	if (sqlite3_changes(s->db) != 1) {
		/* either the type is unknown or the entry exists */
		sqlite3_stmt *t = NULL;
		int src;
		if ((rc = prep(s, ST_LT_ID, &t, err)))
			return rc;
		bind_str(t, 1, e->list_type);
		src = sqlite3_step(t);
		sqlite3_reset(t);
		if (src == SQLITE_DONE)
			return xy_error_set(err, XY_ERR_NOTFOUND, "unknown list type '%s'",
					    e->list_type);
		return xy_error_set(err, XY_ERR_CONFLICT,
				    "the entry %s on %s for this subject already exists",
				    e->doc, e->list_type);
	}
	e->id = sqlite3_last_insert_rowid(s->db);
	snprintf(detail, sizeof detail, "%s – %s", e->from, e->to[0] ? e->to : "无期限");
	return history_add(s, e->id, "列入", detail, err);
}

static xy_code sq_entry_insert(xy_store *base, xy_entry_row *e, xy_error *err)
{
	return in_tx(SQ(base), entry_insert_tx, e, err);
}

static xy_code sq_entry_person_add(xy_store *base, int64_t entry_id, int64_t person_id,
				   const char *role, xy_error *err)
{
	sq_store *s = SQ(base);
	sqlite3_stmt *st = NULL;
	xy_code rc = prep(s, ST_ENTRY_PERSON, &st, err);
	if (rc)
		return rc;
	sqlite3_bind_int64(st, 1, entry_id);
	sqlite3_bind_int64(st, 2, person_id);
	bind_str(st, 3, role);
	return run(s, st, "linking a person to a list entry", err);
}

static void entry_from_row(sqlite3_stmt *st, xy_entry_row *e)
{
	memset(e, 0, sizeof *e);
	e->id = sqlite3_column_int64(st, 0);
	e->subject_id = sqlite3_column_int64(st, 1);
	e->unit_id = sqlite3_column_int64(st, 2);
	e->list_type = col_str(st, 3);
	e->subject_code = col_str(st, 4);
	e->subject_name = col_str(st, 5);
	e->unit = col_str(st, 6);
	e->doc = col_str(st, 7);
	e->reason = col_str(st, 8);
	col_copy(st, 9, e->from, sizeof e->from);
	col_copy(st, 10, e->to, sizeof e->to);
	col_copy(st, 11, e->exit_how, sizeof e->exit_how);
	col_copy(st, 12, e->exit_date, sizeof e->exit_date);
	col_copy(st, 13, e->created_at, sizeof e->created_at);
	e->via = sqlite3_column_int(st, 14);
	e->role = col_str(st, 15);
	e->via_code = col_str(st, 16);
	e->via_name = col_str(st, 17);
}

static xy_code sq_entry_get(xy_store *base, int64_t id, xy_entry_row *out, xy_error *err)
{
	sq_store *s = SQ(base);
	sqlite3_stmt *st = NULL;
	xy_code rc = prep(s, ST_ENTRY_GET, &st, err);
	int src;
	if (rc)
		return rc;
	sqlite3_bind_int64(st, 1, id);
	src = sqlite3_step(st);
	if (src == SQLITE_ROW) {
		entry_from_row(st, out);
		OWN(xy_entry_row, out, rc);
	} else if (src == SQLITE_DONE)
		rc = xy_error_set(err, XY_ERR_NOTFOUND, "no list entry %lld", (long long)id);
	else
		rc = fail(s, src, "reading a list entry", err);
	sqlite3_reset(st);
	return rc;
}

struct exit_arg {
	int64_t id;
	const char *how, *date, *detail;
};

static xy_code entry_exit_tx(sq_store *s, void *arg, xy_error *err)
{
	struct exit_arg *a = arg;
	sqlite3_stmt *st = NULL;
	XY_AUTO(xy_entry_row, e);
	xy_buf d = XY_BUF_INIT;
	xy_code rc;
	if ((rc = sq_entry_get(&s->base, a->id, &e, err)))
		return rc;
	if (e.exit_how[0])
		return xy_error_set(err, XY_ERR_CONFLICT,
				    "list entry %lld has already exited (%s on %s)",
				    (long long)a->id, e.exit_how, e.exit_date);
	if ((rc = prep(s, ST_ENTRY_EXIT, &st, err)))
		return rc;
	sqlite3_bind_int64(st, 1, a->id);
	bind_str(st, 2, a->date);
	bind_str(st, 3, a->how);
	if ((rc = run(s, st, "recording a list exit", err)))
		return rc;
	if (sqlite3_changes(s->db) != 1)
		return xy_error_set(err, XY_ERR_CONFLICT, "list entry %lld has already exited",
				    (long long)a->id);
	if (xy_buf_addf(&d, "%s%s%s", a->date, a->detail && *a->detail ? " " : "",
			a->detail ? a->detail : ""))
		return xy_error_set(err, XY_ERR_NOMEM, "out of memory");
	rc = history_add(s, a->id, a->how, d.data, err);
	xy_buf_release(&d);
	return rc;
}

static xy_code sq_entry_exit(xy_store *base, int64_t id, const char *how, const char *date,
			     const char *detail, xy_error *err)
{
	struct exit_arg a = { id, how, date, detail };
	return in_tx(SQ(base), entry_exit_tx, &a, err);
}

static xy_code each_entry(sq_store *s, sqlite3_stmt *st, xy_entry_cb cb, void *ctx,
			  xy_error *err)
{
	xy_entry_row *e = malloc(sizeof *e);
	xy_code rc = XY_OK;
	int src;
	if (!e) {
		sqlite3_reset(st);
		return xy_error_set(err, XY_ERR_NOMEM, "out of memory");
	}
	while ((src = sqlite3_step(st)) == SQLITE_ROW) {
		entry_from_row(st, e);
		if (cb(ctx, e))
			break;
	}
	if (src != SQLITE_ROW && src != SQLITE_DONE)
		rc = fail(s, src, "reading list entries", err);
	sqlite3_reset(st);
	free(e);
	return rc;
}

static xy_code sq_entries(xy_store *base, const char *list_type, int64_t after, xy_entry_cb cb,
			  void *ctx, xy_error *err)
{
	sq_store *s = SQ(base);
	sqlite3_stmt *st = NULL;
	xy_code rc = prep(s, list_type ? ST_ENTRIES_TYPE : ST_ENTRIES_ALL, &st, err);
	if (rc)
		return rc;
	if (list_type)
		bind_str(st, 1, list_type);
	sqlite3_bind_int64(st, 2, after);
	return each_entry(s, st, cb, ctx, err);
}

static xy_code sq_subject_entries(xy_store *base, int64_t subject_id, xy_entry_cb cb, void *ctx,
				  xy_error *err)
{
	sq_store *s = SQ(base);
	sqlite3_stmt *st = NULL;
	xy_code rc = prep(s, ST_SUBJ_ANY_ENTRY, &st, err);
	int src;
	if (rc)
		return rc;
	sqlite3_bind_int64(st, 1, subject_id);
	src = sqlite3_step(st);
	bool any = src == SQLITE_ROW && sqlite3_column_int(st, 0);
	if (src != SQLITE_ROW)
		rc = fail(s, src, "looking for list entries", err);
	sqlite3_reset(st);
	if (rc || !any)
		return rc;
	if ((rc = prep(s, ST_SUBJ_ENTRIES, &st, err)))
		return rc;
	sqlite3_bind_int64(st, 1, subject_id);
	return each_entry(s, st, cb, ctx, err);
}

static xy_code sq_entry_persons(xy_store *base, int64_t entry_id, xy_entry_person_cb cb,
				void *ctx, xy_error *err)
{
	sq_store *s = SQ(base);
	sqlite3_stmt *st = NULL;
	xy_code rc = prep(s, ST_ENTRY_PERSONS, &st, err);
	int src;
	if (rc)
		return rc;
	sqlite3_bind_int64(st, 1, entry_id);
	while ((src = sqlite3_step(st)) == SQLITE_ROW) {
		xy_entry_person p = { col_str(st, 0), col_str(st, 1), col_str(st, 2) };
		if (cb(ctx, &p))
			break;
	}
	if (src != SQLITE_ROW && src != SQLITE_DONE)
		rc = fail(s, src, "reading linked persons", err);
	sqlite3_reset(st);
	return rc;
}

static xy_code sq_entry_history(xy_store *base, int64_t entry_id, xy_entry_event_cb cb,
				void *ctx, xy_error *err)
{
	sq_store *s = SQ(base);
	sqlite3_stmt *st = NULL;
	xy_code rc = prep(s, ST_ENTRY_HISTORY, &st, err);
	int src;
	if (rc)
		return rc;
	sqlite3_bind_int64(st, 1, entry_id);
	while ((src = sqlite3_step(st)) == SQLITE_ROW) {
		xy_entry_event ev = { col_str(st, 0), col_str(st, 1), col_str(st, 2) };
		if (cb(ctx, &ev))
			break;
	}
	if (src != SQLITE_ROW && src != SQLITE_DONE)
		rc = fail(s, src, "reading list entry history", err);
	sqlite3_reset(st);
	return rc;
}

static xy_code sq_check_insert(xy_store *base, xy_check_row *c, const char *answer,
			       xy_error *err)
{
	sq_store *s = SQ(base);
	sqlite3_stmt *st = NULL;
	xy_code rc = prep(s, ST_CHECK_INSERT, &st, err);
	if (rc)
		return rc;
	now_iso(c->at);
	sqlite3_bind_int64(st, 1, c->unit_id);
	sqlite3_bind_int64(st, 2, c->subject_id);
	bind_opt(st, 3, c->matter);
	bind_str(st, 4, c->date);
	bind_str(st, 5, c->at);
	bind_str(st, 6, answer);
	if ((rc = run(s, st, "logging a check", err)))
		return rc;
	c->id = sqlite3_last_insert_rowid(s->db);
	return XY_OK;
}

static xy_code sq_check_get(xy_store *base, int64_t id, xy_check_row *out, xy_buf *answer,
			    xy_error *err)
{
	sq_store *s = SQ(base);
	sqlite3_stmt *st = NULL;
	xy_code rc = prep(s, ST_CHECK_GET, &st, err);
	int src;
	if (rc)
		return rc;
	sqlite3_bind_int64(st, 1, id);
	src = sqlite3_step(st);
	if (src == SQLITE_ROW) {
		memset(out, 0, sizeof *out);
		out->id = sqlite3_column_int64(st, 0);
		out->unit_id = sqlite3_column_int64(st, 1);
		out->subject_id = sqlite3_column_int64(st, 2);
		out->unit = col_str(st, 3);
		out->subject_code = col_str(st, 4);
		out->matter = col_str(st, 5);
		col_copy(st, 6, out->date, sizeof out->date);
		col_copy(st, 7, out->at, sizeof out->at);
		if (xy_buf_add(answer, col_str(st, 8), (size_t)sqlite3_column_bytes(st, 8)))
			rc = xy_error_set(err, XY_ERR_NOMEM, "out of memory");
		OWN(xy_check_row, out, rc);
		if (rc)
			xy_check_row_release(out);
	} else if (src == SQLITE_DONE) {
		rc = xy_error_set(err, XY_ERR_NOTFOUND, "no check %lld", (long long)id);
	} else {
		rc = fail(s, src, "reading a check", err);
	}
	sqlite3_reset(st);
	return rc;
}

static xy_code sq_feedback_insert(xy_store *base, const xy_feedback_row *f, xy_error *err)
{
	sq_store *s = SQ(base);
	sqlite3_stmt *st = NULL;
	char now[32];
	xy_code rc = prep(s, ST_FB_INSERT, &st, err);
	if (rc)
		return rc;
	now_iso(now);
	sqlite3_bind_int64(st, 1, f->check_id);
	bind_str(st, 2, f->memorandum);
	sqlite3_bind_int(st, 3, f->number);
	sqlite3_bind_int(st, 4, f->applied ? 1 : 0);
	bind_opt(st, 5, f->result);
	bind_opt(st, 6, f->reason);
	bind_str(st, 7, now);
	if ((rc = run(s, st, "recording feedback", err)))
		return rc;
	if (sqlite3_changes(s->db) != 1)
		return xy_error_set(err, XY_ERR_CONFLICT,
				    "check %lld already has feedback on measure %d of %s",
				    (long long)f->check_id, f->number, f->memorandum);
	return XY_OK;
}

static xy_code sq_feedback_count(xy_store *base, int64_t check_id, long *n, xy_error *err)
{
	sq_store *s = SQ(base);
	sqlite3_stmt *st = NULL;
	xy_code rc = prep(s, check_id ? ST_FB_COUNT : ST_FB_COUNT_ALL, &st, err);
	int src;
	if (rc)
		return rc;
	if (check_id)
		sqlite3_bind_int64(st, 1, check_id);
	src = sqlite3_step(st);
	if (src == SQLITE_ROW)
		*n = (long)sqlite3_column_int64(st, 0);
	else
		rc = fail(s, src, "counting feedback", err);
	sqlite3_reset(st);
	return rc;
}

static xy_code sq_watch_add(xy_store *base, int64_t unit_id, int64_t subject_id, xy_error *err)
{
	sq_store *s = SQ(base);
	sqlite3_stmt *st = NULL;
	char now[32];
	xy_code rc = prep(s, ST_WATCH_ADD, &st, err);
	if (rc)
		return rc;
	now_iso(now);
	sqlite3_bind_int64(st, 1, unit_id);
	sqlite3_bind_int64(st, 2, subject_id);
	bind_str(st, 3, now);
	return run(s, st, "adding a subscription", err);
}

static xy_code sq_notify(xy_store *base, int64_t subject_id, int64_t entry_id, long *n,
			 xy_error *err)
{
	sq_store *s = SQ(base);
	sqlite3_stmt *st = NULL;
	char now[32];
	xy_code rc = prep(s, ST_NOTIFY, &st, err);
	if (rc)
		return rc;
	now_iso(now);
	sqlite3_bind_int64(st, 1, subject_id);
	sqlite3_bind_int64(st, 2, entry_id);
	bind_str(st, 3, now);
	if ((rc = run(s, st, "storing notices", err)))
		return rc;
	*n = (long)sqlite3_changes(s->db);
	return XY_OK;
}

static xy_code sq_notices(xy_store *base, int64_t unit_id, xy_notice_cb cb, void *ctx,
			  xy_error *err)
{
	sq_store *s = SQ(base);
	sqlite3_stmt *st = NULL;
	xy_code rc = prep(s, ST_NOTICES, &st, err);
	int src;
	if (rc)
		return rc;
	sqlite3_bind_int64(st, 1, unit_id);
	while ((src = sqlite3_step(st)) == SQLITE_ROW) {
		xy_notice v;
		v.id = sqlite3_column_int64(st, 0);
		v.at = col_str(st, 1);
		v.subject_code = col_str(st, 2);
		v.subject_name = col_str(st, 3);
		v.entry_id = sqlite3_column_int64(st, 4);
		v.list_type = col_str(st, 5);
		v.doc = col_str(st, 6);
		v.from = col_str(st, 7);
		v.read_at = col_str(st, 8);
		if (cb(ctx, &v))
			break;
	}
	if (src != SQLITE_ROW && src != SQLITE_DONE)
		rc = fail(s, src, "reading notices", err);
	sqlite3_reset(st);
	return rc;
}

/* The subject whose code is exactly `code`: XY_ERR_NOTFOUND (err untouched) when none. */
static xy_code sq_subject_by_code(xy_store *base, const char *code, xy_subject *out,
				  xy_error *err)
{
	sq_store *s = SQ(base);
	sqlite3_stmt *st = NULL;
	xy_code rc = prep(s, ST_SUBJ_BY_CODE, &st, err);
	int src;
	if (rc)
		return rc;
	bind_str(st, 1, code);
	src = sqlite3_step(st);
	if (src == SQLITE_ROW) {
		if (subject_from_row(st, out))
			rc = xy_error_set(err, XY_ERR_NOMEM, "out of memory");
	} else if (src == SQLITE_DONE) {
		rc = XY_ERR_NOTFOUND;
	} else {
		rc = fail(s, src, "finding a subject", err);
	}
	sqlite3_reset(st);
	return rc;
}

static xy_code sq_listed_subjects(xy_store *base, xy_id_cb cb, void *ctx, xy_error *err)
{
	sq_store *s = SQ(base);
	sqlite3_stmt *st = NULL;
	xy_code rc = prep(s, ST_SUBJ_LISTED, &st, err);
	int src;
	if (rc)
		return rc;
	while ((src = sqlite3_step(st)) == SQLITE_ROW)
		if (cb(ctx, sqlite3_column_int64(st, 0)))
			break;
	if (src != SQLITE_ROW && src != SQLITE_DONE)
		rc = fail(s, src, "reading listed subjects", err);
	sqlite3_reset(st);
	return rc;
}

/* ---- credit repair, objections, interviews ---- */

static xy_code sq_record_get(xy_store *base, int64_t id, xy_record_row *out, xy_buf *data,
			     xy_error *err)
{
	sq_store *s = SQ(base);
	sqlite3_stmt *st = NULL;
	xy_code rc = prep(s, ST_RECORD_GET, &st, err);
	int src;
	if (rc)
		return rc;
	sqlite3_bind_int64(st, 1, id);
	src = sqlite3_step(st);
	if (src == SQLITE_ROW) {
		memset(out, 0, sizeof *out);
		out->id = sqlite3_column_int64(st, 0);
		out->unit_id = sqlite3_column_int64(st, 1);
		out->category_id = sqlite3_column_int64(st, 2);
		out->subject_id = sqlite3_column_int64(st, 3);
		out->unit = col_str(st, 4);
		out->category = col_str(st, 5);
		out->key = col_str(st, 6);
		col_copy(st, 7, out->decided_on, sizeof out->decided_on);
		out->subject_code = col_str(st, 8);
		out->subject_name = col_str(st, 9);
		if (data && xy_buf_add(data, col_str(st, 10), (size_t)sqlite3_column_bytes(st, 10)))
			rc = xy_error_set(err, XY_ERR_NOMEM, "out of memory");
		OWN(xy_record_row, out, rc);
		if (rc)
			xy_record_row_release(out);
	} else if (src == SQLITE_DONE) {
		rc = XY_ERR_NOTFOUND;
	} else {
		rc = fail(s, src, "reading a record", err);
	}
	sqlite3_reset(st);
	return rc;
}

static xy_code sq_case_insert(xy_store *base, xy_case_row *c, xy_error *err)
{
	sq_store *s = SQ(base);
	sqlite3_stmt *st = NULL;
	xy_code rc = prep(s, ST_CASE_INSERT, &st, err);
	if (rc)
		return rc;
	now_iso(c->created_at);
	bind_str(st, 1, c->kind);
	sqlite3_bind_int64(st, 2, c->record_id);
	sqlite3_bind_int64(st, 3, c->subject_id);
	sqlite3_bind_int64(st, 4, c->unit_id);
	sqlite3_bind_int64(st, 5, c->entry_id);
	bind_str(st, 6, c->filed_on);
	bind_str(st, 7, c->step);
	bind_str(st, 8, c->step_on);
	bind_opt(st, 9, c->applicant);
	bind_opt(st, 10, c->reason);
	bind_opt(st, 11, c->evidence);
	bind_opt(st, 12, c->commitment);
	bind_str(st, 13, c->created_at);
	if ((rc = run(s, st, "recording a case", err)))
		return rc;
	c->id = sqlite3_last_insert_rowid(s->db);
	return XY_OK;
}

static void case_from_row(sqlite3_stmt *st, xy_case_row *c)
{
	memset(c, 0, sizeof *c);
	c->id = sqlite3_column_int64(st, 0);
	col_copy(st, 1, c->kind, sizeof c->kind);
	c->record_id = sqlite3_column_int64(st, 2);
	c->subject_id = sqlite3_column_int64(st, 3);
	c->unit_id = sqlite3_column_int64(st, 4);
	c->entry_id = sqlite3_column_int64(st, 5);
	col_copy(st, 6, c->filed_on, sizeof c->filed_on);
	col_copy(st, 7, c->step, sizeof c->step);
	col_copy(st, 8, c->step_on, sizeof c->step_on);
	c->applicant = col_str(st, 9);
	c->reason = col_str(st, 10);
	c->evidence = col_str(st, 11);
	c->commitment = col_str(st, 12);
	col_copy(st, 13, c->created_at, sizeof c->created_at);
	c->unit = col_str(st, 14);
	c->subject_code = col_str(st, 15);
	c->subject_name = col_str(st, 16);
	c->category = col_str(st, 17);
	c->record_key = col_str(st, 18);
}

static xy_code sq_case_get(xy_store *base, int64_t id, xy_case_row *out, xy_error *err)
{
	sq_store *s = SQ(base);
	sqlite3_stmt *st = NULL;
	xy_code rc = prep(s, ST_CASE_GET, &st, err);
	int src;
	if (rc)
		return rc;
	sqlite3_bind_int64(st, 1, id);
	src = sqlite3_step(st);
	if (src == SQLITE_ROW) {
		case_from_row(st, out);
		OWN(xy_case_row, out, rc);
	} else if (src == SQLITE_DONE)
		rc = XY_ERR_NOTFOUND;
	else
		rc = fail(s, src, "reading a case", err);
	sqlite3_reset(st);
	return rc;
}

static xy_code sq_case_step(xy_store *base, int64_t id, const char *from, const char *to,
			    const char *on, xy_error *err)
{
	sq_store *s = SQ(base);
	sqlite3_stmt *st = NULL;
	xy_code rc = prep(s, ST_CASE_STEP, &st, err);
	if (rc)
		return rc;
	sqlite3_bind_int64(st, 1, id);
	bind_str(st, 2, from);
	bind_str(st, 3, to);
	bind_str(st, 4, on);
	if ((rc = run(s, st, "recording a case step", err)))
		return rc;
	if (sqlite3_changes(s->db) != 1)
		return xy_error_set(err, XY_ERR_CONFLICT, "case %lld is no longer at step %s",
				    (long long)id, from);
	return XY_OK;
}

static xy_code sq_cases(xy_store *base, const char *kind, int64_t record_id, xy_case_cb cb,
			void *ctx, xy_error *err)
{
	sq_store *s = SQ(base);
	sqlite3_stmt *st = NULL;
	xy_case_row *c;
	xy_code rc = prep(s, ST_CASES, &st, err);
	int src;
	if (rc)
		return rc;
	if (!(c = malloc(sizeof *c)))
		return xy_error_set(err, XY_ERR_NOMEM, "out of memory");
	bind_opt(st, 1, kind);
	sqlite3_bind_int64(st, 2, record_id);
	while ((src = sqlite3_step(st)) == SQLITE_ROW) {
		case_from_row(st, c);
		if (cb(ctx, c))
			break;
	}
	if (src != SQLITE_ROW && src != SQLITE_DONE)
		rc = fail(s, src, "reading cases", err);
	sqlite3_reset(st);
	free(c);
	return rc;
}

static xy_code sq_case_event_add(xy_store *base, int64_t case_id, const xy_case_event *ev,
				 xy_error *err)
{
	sq_store *s = SQ(base);
	sqlite3_stmt *st = NULL;
	char now[32];
	xy_code rc = prep(s, ST_CASE_EVENT_ADD, &st, err);
	if (rc)
		return rc;
	now_iso(now);
	sqlite3_bind_int64(st, 1, case_id);
	bind_str(st, 2, ev->on);
	bind_str(st, 3, now);
	bind_str(st, 4, ev->action);
	bind_opt(st, 5, ev->actor);
	bind_opt(st, 6, ev->detail);
	return run(s, st, "recording a case step", err);
}

static xy_code sq_case_events(xy_store *base, int64_t case_id, xy_case_event_cb cb, void *ctx,
			      xy_error *err)
{
	sq_store *s = SQ(base);
	sqlite3_stmt *st = NULL;
	xy_code rc = prep(s, ST_CASE_EVENTS, &st, err);
	int src;
	if (rc)
		return rc;
	sqlite3_bind_int64(st, 1, case_id);
	while ((src = sqlite3_step(st)) == SQLITE_ROW) {
		xy_case_event ev = { col_str(st, 0), col_str(st, 1), col_str(st, 2), col_str(st, 3),
				     col_str(st, 4) };
		if (cb(ctx, &ev))
			break;
	}
	if (src != SQLITE_ROW && src != SQLITE_DONE)
		rc = fail(s, src, "reading case history", err);
	sqlite3_reset(st);
	return rc;
}

static xy_code sq_interview_insert(xy_store *base, xy_interview_row *r, xy_error *err)
{
	sq_store *s = SQ(base);
	sqlite3_stmt *st = NULL;
	xy_code rc = prep(s, ST_INTERVIEW_INSERT, &st, err);
	if (rc)
		return rc;
	now_iso(r->created_at);
	sqlite3_bind_int64(st, 1, r->subject_id);
	sqlite3_bind_int64(st, 2, r->unit_id);
	bind_str(st, 3, r->on);
	bind_txt(st, 4, r->persons);
	sqlite3_bind_int(st, 5, r->npersons);
	bind_opt(st, 6, r->topic);
	bind_opt(st, 7, r->result);
	bind_str(st, 8, r->created_at);
	if ((rc = run(s, st, "recording an interview", err)))
		return rc;
	r->id = sqlite3_last_insert_rowid(s->db);
	return XY_OK;
}

static xy_code sq_interviews(xy_store *base, int64_t subject_id, xy_interview_cb cb, void *ctx,
			     xy_error *err)
{
	sq_store *s = SQ(base);
	sqlite3_stmt *st = NULL;
	xy_interview_row *r;
	xy_code rc = prep(s, ST_INTERVIEWS, &st, err);
	int src;
	if (rc)
		return rc;
	if (!(r = malloc(sizeof *r)))
		return xy_error_set(err, XY_ERR_NOMEM, "out of memory");
	sqlite3_bind_int64(st, 1, subject_id);
	while ((src = sqlite3_step(st)) == SQLITE_ROW) {
		memset(r, 0, sizeof *r);
		r->id = sqlite3_column_int64(st, 0);
		r->subject_id = sqlite3_column_int64(st, 1);
		r->unit_id = sqlite3_column_int64(st, 2);
		col_copy(st, 3, r->on, sizeof r->on);
		r->persons = col_str(st, 4);
		r->npersons = sqlite3_column_int(st, 5);
		r->topic = col_str(st, 6);
		r->result = col_str(st, 7);
		col_copy(st, 8, r->created_at, sizeof r->created_at);
		r->unit = col_str(st, 9);
		r->subject_code = col_str(st, 10);
		r->subject_name = col_str(st, 11);
		if (cb(ctx, r))
			break;
	}
	if (src != SQLITE_ROW && src != SQLITE_DONE)
		rc = fail(s, src, "reading interviews", err);
	sqlite3_reset(st);
	free(r);
	return rc;
}

/* ---- credit commitments and government dishonesty ---- */

static xy_code commitment_insert_tx(sq_store *s, void *arg, xy_error *err)
{
	xy_commitment_row *c = arg;
	sqlite3_stmt *st = NULL;
	xy_code rc = prep(s, ST_CN_INSERT, &st, err);
	bool numbered = c->no && c->no[0];
	char tmp[64];
	if (rc)
		return rc;
	now_iso(c->created_at);
	/* unnumbered: a placeholder no unit can have typed, replaced by CN<id> */
	snprintf(tmp, sizeof tmp, "\x01%s", c->created_at);
	sqlite3_bind_int64(st, 1, c->unit_id);
	sqlite3_bind_int64(st, 2, c->subject_id);
	bind_str(st, 3, numbered ? c->no : tmp);
	bind_txt(st, 4, c->type);
	bind_opt(st, 5, c->matter);
	bind_str(st, 6, c->signed_on);
	bind_opt(st, 7, c->deadline);
	bind_opt(st, 8, c->content);
	bind_str(st, 9, c->created_at);
	if ((rc = run(s, st, "inserting a commitment", err)))
		return rc;
	if (sqlite3_changes(s->db) != 1)
		return xy_error_at(err, XY_ERR_CONFLICT, NULL, 0, "no",
				   "the unit already has a commitment numbered %s", c->no);
	c->id = sqlite3_last_insert_rowid(s->db);
	if (numbered)
		return XY_OK;
	if ((rc = prep(s, ST_CN_NUMBER, &st, err)))
		return rc;
	sqlite3_bind_int64(st, 1, c->id);
	if ((rc = run(s, st, "numbering a commitment", err)))
		return rc;
	/* the row owns "CN<id>" (and copies of its other strings) from here */
	snprintf(tmp, sizeof tmp, "CN%lld", (long long)c->id);
	c->no = tmp;
	if (xy_commitment_row_copy(c, c)) {
		c->no = "";
		return xy_error_set(err, XY_ERR_NOMEM, "out of memory");
	}
	return XY_OK;
}

static xy_code sq_commitment_insert(xy_store *base, xy_commitment_row *c, xy_error *err)
{
	return in_tx(SQ(base), commitment_insert_tx, c, err);
}

static void commitment_from_row(sqlite3_stmt *st, xy_commitment_row *c)
{
	memset(c, 0, sizeof *c);
	c->id = sqlite3_column_int64(st, 0);
	c->subject_id = sqlite3_column_int64(st, 1);
	c->unit_id = sqlite3_column_int64(st, 2);
	c->no = col_str(st, 3);
	c->type = col_str(st, 4);
	c->subject_code = col_str(st, 5);
	c->subject_name = col_str(st, 6);
	c->unit = col_str(st, 7);
	c->matter = col_str(st, 8);
	col_copy(st, 9, c->signed_on, sizeof c->signed_on);
	col_copy(st, 10, c->deadline, sizeof c->deadline);
	c->content = col_str(st, 11);
	col_copy(st, 12, c->created_at, sizeof c->created_at);
}

static xy_code sq_commitment_get(xy_store *base, int64_t id, xy_commitment_row *out,
				 xy_error *err)
{
	sq_store *s = SQ(base);
	sqlite3_stmt *st = NULL;
	xy_code rc = prep(s, ST_CN_GET, &st, err);
	int src;
	if (rc)
		return rc;
	sqlite3_bind_int64(st, 1, id);
	src = sqlite3_step(st);
	if (src == SQLITE_ROW) {
		commitment_from_row(st, out);
		OWN(xy_commitment_row, out, rc);
	} else if (src == SQLITE_DONE)
		rc = xy_error_at(err, XY_ERR_NOTFOUND, NULL, 0, "commitment", "no commitment %lld",
				 (long long)id);
	else
		rc = fail(s, src, "reading a commitment", err);
	sqlite3_reset(st);
	return rc;
}

static xy_code sq_commitments(xy_store *base, int64_t unit_id, int64_t subject_id,
			      xy_commitment_cb cb, void *ctx, xy_error *err)
{
	sq_store *s = SQ(base);
	sqlite3_stmt *st = NULL;
	xy_commitment_row *c;
	xy_code rc = prep(s, ST_CN_LIST, &st, err);
	int src;
	if (rc)
		return rc;
	if (!(c = malloc(sizeof *c)))
		return xy_error_set(err, XY_ERR_NOMEM, "out of memory");
	bind_id(st, 1, unit_id);
	bind_id(st, 2, subject_id);
	while ((src = sqlite3_step(st)) == SQLITE_ROW) {
		commitment_from_row(st, c);
		if (cb(ctx, c))
			break;
	}
	if (src != SQLITE_ROW && src != SQLITE_DONE)
		rc = fail(s, src, "reading commitments", err);
	sqlite3_reset(st);
	free(c);
	return rc;
}

static xy_code sq_commitment_check_add(xy_store *base, const xy_commitment_check *v,
				       xy_error *err)
{
	sq_store *s = SQ(base);
	sqlite3_stmt *st = NULL;
	char now[32];
	xy_code rc = prep(s, ST_CN_CHECK_ADD, &st, err);
	if (rc)
		return rc;
	now_iso(now);
	sqlite3_bind_int64(st, 1, v->commitment_id);
	bind_str(st, 2, v->on);
	bind_str(st, 3, v->result);
	bind_str(st, 4, v->by);
	bind_opt(st, 5, v->note);
	bind_id(st, 6, v->entry_id);
	bind_opt(st, 7, v->record_key);
	bind_str(st, 8, now);
	return run(s, st, "recording a commitment check", err);
}

static xy_code sq_commitment_checks(xy_store *base, int64_t commitment_id,
				    xy_commitment_check_cb cb, void *ctx, xy_error *err)
{
	sq_store *s = SQ(base);
	sqlite3_stmt *st = NULL;
	xy_code rc = prep(s, ST_CN_CHECKS, &st, err);
	int src;
	if (rc)
		return rc;
	sqlite3_bind_int64(st, 1, commitment_id);
	while ((src = sqlite3_step(st)) == SQLITE_ROW) {
		xy_commitment_check v;
		v.commitment_id = sqlite3_column_int64(st, 0);
		v.on = col_str(st, 1);
		v.result = col_str(st, 2);
		v.by = col_str(st, 3);
		v.note = sqlite3_column_type(st, 4) == SQLITE_NULL ? NULL : col_str(st, 4);
		v.entry_id = sqlite3_column_int64(st, 5);
		v.record_key = sqlite3_column_type(st, 6) == SQLITE_NULL ? NULL : col_str(st, 6);
		v.at = col_str(st, 7);
		if (cb(ctx, &v))
			break;
	}
	if (src != SQLITE_ROW && src != SQLITE_DONE)
		rc = fail(s, src, "reading commitment checks", err);
	sqlite3_reset(st);
	return rc;
}

static xy_code sq_batch_records(xy_store *base, int64_t unit_id, int64_t category_id,
				int64_t batch_id, xy_batch_record_cb cb, void *ctx, xy_error *err)
{
	sq_store *s = SQ(base);
	sqlite3_stmt *st = NULL;
	xy_code rc = prep(s, ST_BATCH_RECORDS, &st, err);
	int src;
	if (rc)
		return rc;
	sqlite3_bind_int64(st, 1, unit_id);
	sqlite3_bind_int64(st, 2, category_id);
	sqlite3_bind_int64(st, 3, batch_id);
	while ((src = sqlite3_step(st)) == SQLITE_ROW) {
		xy_record_view v;
		memset(&v, 0, sizeof v);
		v.id = sqlite3_column_int64(st, 0);
		v.unit = v.category = v.reported_on = "";
		v.key = col_str(st, 2);
		v.data = col_str(st, 3);
		v.decided_on = sqlite3_column_type(st, 4) == SQLITE_NULL ? NULL : col_str(st, 4);
		v.first_batch = sqlite3_column_int64(st, 5);
		v.last_batch = sqlite3_column_int64(st, 6);
		v.versions = 1;
		if (cb(ctx, sqlite3_column_int64(st, 1), &v))
			break;
	}
	if (src != SQLITE_ROW && src != SQLITE_DONE)
		rc = fail(s, src, "reading a batch's records", err);
	sqlite3_reset(st);
	return rc;
}

static xy_code gov_dishonesty_hist_add(sq_store *s, int64_t id, const char *status, const char *on,
				const char *evidence, xy_error *err)
{
	sqlite3_stmt *st = NULL;
	char now[32];
	xy_code rc = prep(s, ST_GD_HIST_ADD, &st, err);
	if (rc)
		return rc;
	now_iso(now);
	sqlite3_bind_int64(st, 1, id);
	bind_str(st, 2, status);
	bind_str(st, 3, on);
	bind_opt(st, 4, evidence);
	bind_str(st, 5, now);
	return run(s, st, "recording a 治理 status", err);
}

static xy_code gov_dishonesty_insert_tx(sq_store *s, void *arg, xy_error *err)
{
	xy_gov_dishonesty_row *g = arg;
	sqlite3_stmt *st = NULL;
	xy_code rc = prep(s, ST_GD_INSERT, &st, err);
	if (rc)
		return rc;
	now_iso(g->created_at);
	sqlite3_bind_int64(st, 1, g->body_id);
	sqlite3_bind_int64(st, 2, g->unit_id);
	bind_id(st, 3, g->creditor_id);
	bind_txt(st, 4, g->case_type);
	bind_opt(st, 5, g->amount);
	bind_txt(st, 6, g->source);
	bind_str(st, 7, g->registered_on);
	bind_opt(st, 8, g->note);
	bind_str(st, 9, g->created_at);
	if ((rc = run(s, st, "inserting a government-dishonesty entry", err)))
		return rc;
	if (sqlite3_changes(s->db) != 1)
		return xy_error_at(err, XY_ERR_CONFLICT, NULL, 0, "source",
				   "this government body already has an entry from %s", g->source);
	g->id = sqlite3_last_insert_rowid(s->db);
	return gov_dishonesty_hist_add(s, g->id, "未治理", g->registered_on, NULL, err);
}

static xy_code sq_gov_dishonesty_insert(xy_store *base, xy_gov_dishonesty_row *g, xy_error *err)
{
	return in_tx(SQ(base), gov_dishonesty_insert_tx, g, err);
}

static void gov_dishonesty_from_row(sqlite3_stmt *st, xy_gov_dishonesty_row *g)
{
	const char *last;
	memset(g, 0, sizeof *g);
	g->id = sqlite3_column_int64(st, 0);
	g->body_id = sqlite3_column_int64(st, 1);
	g->unit_id = sqlite3_column_int64(st, 2);
	g->creditor_id = sqlite3_column_int64(st, 3);
	g->body_code = col_str(st, 4);
	g->body_name = col_str(st, 5);
	g->unit = col_str(st, 6);
	g->creditor_code = col_str(st, 7);
	g->creditor_name = col_str(st, 8);
	g->case_type = col_str(st, 9);
	g->amount = col_str(st, 10);
	g->source = col_str(st, 11);
	col_copy(st, 12, g->registered_on, sizeof g->registered_on);
	g->note = col_str(st, 13);
	col_copy(st, 14, g->created_at, sizeof g->created_at);
	/* "STATUS YYYY-MM-DD" */
	last = col_str(st, 15);
	{
		const char *sp = strrchr(last, ' ');
		size_t n = sp ? (size_t)(sp - last) : 0;
		if (sp && n < sizeof g->status && strlen(sp + 1) < sizeof g->status_on) {
			memcpy(g->status, last, n);
			g->status[n] = '\0';
			memcpy(g->status_on, sp + 1, strlen(sp + 1) + 1);
		}
	}
	col_copy(st, 16, g->governed_on, sizeof g->governed_on);
}

static xy_code sq_gov_dishonesty_get(xy_store *base, int64_t id, xy_gov_dishonesty_row *out, xy_error *err)
{
	sq_store *s = SQ(base);
	sqlite3_stmt *st = NULL;
	xy_code rc = prep(s, ST_GD_GET, &st, err);
	int src;
	if (rc)
		return rc;
	sqlite3_bind_int64(st, 1, id);
	src = sqlite3_step(st);
	if (src == SQLITE_ROW) {
		gov_dishonesty_from_row(st, out);
		OWN(xy_gov_dishonesty_row, out, rc);
	} else if (src == SQLITE_DONE)
		rc = xy_error_at(err, XY_ERR_NOTFOUND, NULL, 0, "id",
				 "no government-dishonesty entry %lld", (long long)id);
	else
		rc = fail(s, src, "reading a government-dishonesty entry", err);
	sqlite3_reset(st);
	return rc;
}

/* Entries of one district (unit_id, 0 = all) or, when body_id is set, of one
 * body (subject) whatever its district. */
static xy_code sq_gov_dishonesties(xy_store *base, int64_t unit_id, int64_t body_id,
				   xy_gov_dishonesty_cb cb, void *ctx, xy_error *err)
{
	sq_store *s = SQ(base);
	sqlite3_stmt *st = NULL;
	xy_gov_dishonesty_row *g;
	xy_code rc = prep(s, body_id ? ST_GD_BY_BODY : ST_GD_LIST, &st, err);
	int src;
	if (rc)
		return rc;
	if (!(g = malloc(sizeof *g)))
		return xy_error_set(err, XY_ERR_NOMEM, "out of memory");
	if (body_id)
		sqlite3_bind_int64(st, 1, body_id);
	else
		bind_id(st, 1, unit_id);
	while ((src = sqlite3_step(st)) == SQLITE_ROW) {
		gov_dishonesty_from_row(st, g);
		if (cb(ctx, g))
			break;
	}
	if (src != SQLITE_ROW && src != SQLITE_DONE)
		rc = fail(s, src, "reading government-dishonesty entries", err);
	sqlite3_reset(st);
	free(g);
	return rc;
}

static xy_code sq_gov_dishonesty_status_add(xy_store *base, int64_t id, const char *status,
				     const char *on, const char *evidence, xy_error *err)
{
	return gov_dishonesty_hist_add(SQ(base), id, status, on, evidence, err);
}

static xy_code sq_gov_dishonesty_history(xy_store *base, int64_t id, xy_gov_dishonesty_event_cb cb,
				  void *ctx, xy_error *err)
{
	sq_store *s = SQ(base);
	sqlite3_stmt *st = NULL;
	xy_code rc = prep(s, ST_GD_HISTORY, &st, err);
	int src;
	if (rc)
		return rc;
	sqlite3_bind_int64(st, 1, id);
	while ((src = sqlite3_step(st)) == SQLITE_ROW) {
		xy_gov_dishonesty_event ev = { col_str(st, 0), col_str(st, 1), col_str(st, 2),
					col_str(st, 3) };
		if (cb(ctx, &ev))
			break;
	}
	if (src != SQLITE_ROW && src != SQLITE_DONE)
		rc = fail(s, src, "reading a 治理 history", err);
	sqlite3_reset(st);
	return rc;
}

/* ---- list entries derived from records, stored memoranda ---- */

static xy_code sq_list_records(xy_store *base, int64_t unit_id, int64_t category_id,
			       xy_list_record_cb cb, void *ctx, xy_error *err)
{
	sq_store *s = SQ(base);
	sqlite3_stmt *st = NULL;
	xy_code rc = prep(s, ST_LREC_LIST, &st, err);
	int src;
	if (rc)
		return rc;
	sqlite3_bind_int64(st, 1, unit_id);
	sqlite3_bind_int64(st, 2, category_id);
	while ((src = sqlite3_step(st)) == SQLITE_ROW) {
		xy_list_record r = { unit_id, category_id, col_str(st, 0),
				     sqlite3_column_int64(st, 1), sqlite3_column_int64(st, 2),
				     sqlite3_column_int64(st, 3), col_str(st, 4) };
		if (cb(ctx, &r))
			break;
	}
	if (src != SQLITE_ROW && src != SQLITE_DONE)
		rc = fail(s, src, "reading list records", err);
	sqlite3_reset(st);
	return rc;
}

static xy_code sq_list_record_link(xy_store *base, const xy_list_record *r, xy_error *err)
{
	sq_store *s = SQ(base);
	sqlite3_stmt *st = NULL;
	xy_code rc = prep(s, ST_LREC_LINK, &st, err);
	if (rc)
		return rc;
	sqlite3_bind_int64(st, 1, r->unit_id);
	sqlite3_bind_int64(st, 2, r->category_id);
	bind_str(st, 3, r->key);
	sqlite3_bind_int64(st, 4, r->entry_id);
	sqlite3_bind_int64(st, 5, r->data_batch);
	return run(s, st, "linking a record to its list entry", err);
}

/* The first two integer columns of statement `id`'s row for a record key
 * (unit ?1, category ?2, key ?3); XY_ERR_NOTFOUND, err untouched, if none. */
static xy_code record_key_row(sq_store *s, int id, int64_t unit_id, int64_t category_id,
			      const char *key, int64_t out[2], const char *what, xy_error *err)
{
	sqlite3_stmt *st = NULL;
	xy_code rc = prep(s, id, &st, err);
	int src;
	out[0] = out[1] = 0;
	if (rc)
		return rc;
	sqlite3_bind_int64(st, 1, unit_id);
	sqlite3_bind_int64(st, 2, category_id);
	bind_str(st, 3, key);
	src = sqlite3_step(st);
	if (src == SQLITE_ROW) {
		out[0] = sqlite3_column_int64(st, 0);
		out[1] = sqlite3_column_count(st) > 1 ? sqlite3_column_int64(st, 1) : 0;
	} else {
		rc = src == SQLITE_DONE ? XY_ERR_NOTFOUND : fail(s, src, what, err);
	}
	sqlite3_reset(st);
	return rc;
}

static xy_code sq_list_record_entry(xy_store *base, int64_t unit_id, int64_t category_id,
				    const char *key, int64_t *entry_id, xy_error *err)
{
	int64_t v[2];
	xy_code rc = record_key_row(SQ(base), ST_LREC_ENTRY, unit_id, category_id, key, v,
				    "reading a record's list entry", err);
	*entry_id = v[0];
	return rc == XY_ERR_NOTFOUND ? XY_OK : rc;
}

static xy_code sq_record_find(xy_store *base, int64_t unit_id, int64_t category_id,
			      const char *key, int64_t *id, int64_t *subject_id, xy_error *err)
{
	int64_t v[2];
	xy_code rc = record_key_row(SQ(base), ST_REC_GET, unit_id, category_id, key, v,
				    "reading a record", err);
	*id = v[0];
	*subject_id = v[1];
	return rc;
}

static xy_code sq_entry_find(xy_store *base, const char *list_type, int64_t subject_id,
			     const char *doc, xy_entry_row *out, xy_error *err)
{
	sq_store *s = SQ(base);
	sqlite3_stmt *st = NULL;
	xy_code rc = prep(s, ST_ENTRY_FIND, &st, err);
	int src;
	if (rc)
		return rc;
	bind_str(st, 1, list_type);
	sqlite3_bind_int64(st, 2, subject_id);
	bind_str(st, 3, doc);
	src = sqlite3_step(st);
	if (src == SQLITE_ROW) {
		entry_from_row(st, out);
		OWN(xy_entry_row, out, rc);
	} else if (src == SQLITE_DONE)
		rc = XY_ERR_NOTFOUND;
	else
		rc = fail(s, src, "finding a list entry", err);
	sqlite3_reset(st);
	return rc;
}

struct update_arg {
	const xy_entry_row *e;
	const char *detail;
};

static xy_code entry_update_tx(sq_store *s, void *arg, xy_error *err)
{
	struct update_arg *a = arg;
	sqlite3_stmt *st = NULL;
	xy_code rc = prep(s, ST_ENTRY_UPDATE, &st, err);
	if (rc)
		return rc;
	sqlite3_bind_int64(st, 1, a->e->id);
	sqlite3_bind_int64(st, 2, a->e->unit_id);
	bind_opt(st, 3, a->e->reason);
	bind_str(st, 4, a->e->from);
	bind_opt(st, 5, a->e->to);
	if ((rc = run(s, st, "correcting a list entry", err)))
		return rc;
	if (sqlite3_changes(s->db) != 1)
		return xy_error_set(err, XY_ERR_NOTFOUND, "no list entry %lld",
				    (long long)a->e->id);
	return history_add(s, a->e->id, "更正", a->detail, err);
}

static xy_code sq_entry_update(xy_store *base, const xy_entry_row *e, const char *detail,
			       xy_error *err)
{
	struct update_arg a = { e, detail };
	return in_tx(SQ(base), entry_update_tx, &a, err);
}

static xy_code sq_memorandum_add(xy_store *base, const char *doc, const char *file,
				 const char *text, xy_error *err)
{
	sq_store *s = SQ(base);
	sqlite3_stmt *st = NULL;
	char now[32];
	xy_code rc = prep(s, ST_MEMO_INSERT, &st, err);
	if (rc)
		return rc;
	now_iso(now);
	bind_str(st, 1, doc);
	bind_str(st, 2, file);
	bind_str(st, 3, text);
	bind_str(st, 4, now);
	if ((rc = run(s, st, "storing a memorandum", err)))
		return rc;
	if (sqlite3_changes(s->db) != 1)
		return xy_error_set(err, XY_ERR_CONFLICT, "memorandum %s is already stored", doc);
	return XY_OK;
}

struct memo_arg {
	const char *doc, *file, *text;
};

static xy_code memo_replace_tx(sq_store *s, void *arg, xy_error *err)
{
	const struct memo_arg *a = arg;
	sqlite3_stmt *st = NULL;
	char now[32];
	xy_code rc = prep(s, ST_MEMO_KEEP, &st, err);
	if (rc)
		return rc;
	now_iso(now);
	bind_str(st, 1, a->doc);
	bind_str(st, 2, now);
	if ((rc = run(s, st, "keeping a memorandum's version", err)))
		return rc;
	if (sqlite3_changes(s->db) != 1)
		return xy_error_set(err, XY_ERR_NOTFOUND, "memorandum %s is not stored", a->doc);
	if ((rc = prep(s, ST_MEMO_REPLACE, &st, err)))
		return rc;
	bind_str(st, 1, a->doc);
	bind_str(st, 2, a->file);
	bind_str(st, 3, a->text);
	bind_str(st, 4, now);
	return run(s, st, "replacing a memorandum", err);
}

static xy_code sq_memorandum_replace(xy_store *base, const char *doc, const char *file,
				     const char *text, xy_error *err)
{
	struct memo_arg a = { doc, file, text };
	return in_tx(SQ(base), memo_replace_tx, &a, err);
}

static xy_code sq_memoranda(xy_store *base, xy_memo_cb cb, void *ctx, xy_error *err)
{
	sq_store *s = SQ(base);
	sqlite3_stmt *st = NULL;
	xy_code rc = prep(s, ST_MEMO_LIST, &st, err);
	int src;
	if (rc)
		return rc;
	while ((src = sqlite3_step(st)) == SQLITE_ROW) {
		xy_stored_memo m = { col_str(st, 0), col_str(st, 1), col_str(st, 2),
				     col_str(st, 3), sqlite3_column_int(st, 4) };
		if (cb(ctx, &m))
			break;
	}
	if (src != SQLITE_ROW && src != SQLITE_DONE)
		rc = fail(s, src, "reading memoranda", err);
	sqlite3_reset(st);
	return rc;
}

/* ---- intake: mappings, sheets, unmapped columns ---- */

static xy_code sq_mapping_put(xy_store *base, const xy_mapping *m, bool *replaced,
			      xy_error *err)
{
	sq_store *s = SQ(base);
	sqlite3_stmt *st = NULL;
	char at[32];
	int src;
	xy_code rc = prep(s, ST_MAP_EXISTS, &st, err);
	if (rc)
		return rc;
	sqlite3_bind_int64(st, 1, m->unit_id);
	sqlite3_bind_int64(st, 2, m->category_id);
	bind_str(st, 3, m->header);
	src = sqlite3_step(st);
	sqlite3_reset(st);
	if (src != SQLITE_ROW && src != SQLITE_DONE)
		return fail(s, src, "reading a column mapping", err);
	*replaced = src == SQLITE_ROW;
	if ((rc = prep(s, ST_MAP_PUT, &st, err)))
		return rc;
	now_iso(at);
	sqlite3_bind_int64(st, 1, m->unit_id);
	sqlite3_bind_int64(st, 2, m->category_id);
	bind_str(st, 3, m->header);
	bind_str(st, 4, m->field_code);
	bind_str(st, 5, at);
	return run(s, st, "storing a column mapping", err);
}

static xy_code sq_mapping_remove(xy_store *base, int64_t unit_id, int64_t category_id,
				 const char *header, xy_error *err)
{
	sq_store *s = SQ(base);
	sqlite3_stmt *st = NULL;
	xy_code rc = prep(s, ST_MAP_REMOVE, &st, err);
	if (rc)
		return rc;
	sqlite3_bind_int64(st, 1, unit_id);
	sqlite3_bind_int64(st, 2, category_id);
	bind_str(st, 3, header);
	if ((rc = run(s, st, "removing a column mapping", err)))
		return rc;
	return sqlite3_changes(s->db) ? XY_OK : XY_ERR_NOTFOUND;
}

static xy_code sq_mappings(xy_store *base, int64_t unit_id, int64_t category_id,
			   xy_mapping_cb cb, void *ctx, xy_error *err)
{
	sq_store *s = SQ(base);
	sqlite3_stmt *st = NULL;
	xy_code rc = prep(s, ST_MAP_LIST, &st, err);
	int src;
	if (rc)
		return rc;
	sqlite3_bind_int64(st, 1, unit_id);
	sqlite3_bind_int64(st, 2, category_id);
	while ((src = sqlite3_step(st)) == SQLITE_ROW) {
		xy_mapping m = { sqlite3_column_int64(st, 0), sqlite3_column_int64(st, 1),
				 col_str(st, 2), col_str(st, 3), col_str(st, 4) };
		if (cb(ctx, &m))
			break;
	}
	if (src != SQLITE_ROW && src != SQLITE_DONE)
		rc = fail(s, src, "reading column mappings", err);
	sqlite3_reset(st);
	return rc;
}

static xy_code sq_batch_sheet_add(xy_store *base, const xy_batch_sheet *sh, xy_error *err)
{
	sq_store *s = SQ(base);
	sqlite3_stmt *st = NULL;
	xy_code rc = prep(s, ST_BSHEET_ADD, &st, err);
	if (rc)
		return rc;
	sqlite3_bind_int64(st, 1, sh->batch_id);
	sqlite3_bind_int(st, 2, sh->seq);
	bind_str(st, 3, sh->sheet);
	if (sh->header_row > 0)
		sqlite3_bind_int64(st, 4, sh->header_row);
	else
		sqlite3_bind_null(st, 4);
	sqlite3_bind_int64(st, 5, sh->rows);
	bind_opt(st, 6, sh->note);
	return run(s, st, "recording a sheet", err);
}

static xy_code sq_batch_sheets(xy_store *base, int64_t batch_id, xy_batch_sheet_cb cb,
			       void *ctx, xy_error *err)
{
	sq_store *s = SQ(base);
	sqlite3_stmt *st = NULL;
	xy_code rc = prep(s, ST_BSHEET_LIST, &st, err);
	int src;
	if (rc)
		return rc;
	sqlite3_bind_int64(st, 1, batch_id);
	while ((src = sqlite3_step(st)) == SQLITE_ROW) {
		xy_batch_sheet sh = { sqlite3_column_int64(st, 0), sqlite3_column_int(st, 1),
				      col_str(st, 2), (long)sqlite3_column_int64(st, 3),
				      (long)sqlite3_column_int64(st, 4), col_or_null(st, 5) };
		if (cb(ctx, &sh))
			break;
	}
	if (src != SQLITE_ROW && src != SQLITE_DONE)
		rc = fail(s, src, "reading a batch's sheets", err);
	sqlite3_reset(st);
	return rc;
}

static xy_code sq_batch_column_add(xy_store *base, const xy_batch_column *c, xy_error *err)
{
	sq_store *s = SQ(base);
	sqlite3_stmt *st = NULL;
	xy_code rc = prep(s, ST_BCOL_ADD, &st, err);
	if (rc)
		return rc;
	sqlite3_bind_int64(st, 1, c->batch_id);
	bind_str(st, 2, c->sheet);
	sqlite3_bind_int64(st, 3, c->col);
	bind_str(st, 4, c->header);
	bind_opt(st, 5, c->suggestion);
	sqlite3_bind_int64(st, 6, c->cells);
	return run(s, st, "recording an unmapped column", err);
}

static xy_code sq_batch_columns(xy_store *base, int64_t batch_id, xy_batch_column_cb cb,
				void *ctx, xy_error *err)
{
	sq_store *s = SQ(base);
	sqlite3_stmt *st = NULL;
	xy_code rc = prep(s, ST_BCOL_LIST, &st, err);
	int src;
	if (rc)
		return rc;
	sqlite3_bind_int64(st, 1, batch_id);
	while ((src = sqlite3_step(st)) == SQLITE_ROW) {
		xy_batch_column c = { sqlite3_column_int64(st, 0), col_str(st, 1),
				      (long)sqlite3_column_int64(st, 2), col_str(st, 3),
				      col_or_null(st, 4), (long)sqlite3_column_int64(st, 5) };
		if (cb(ctx, &c))
			break;
	}
	if (src != SQLITE_ROW && src != SQLITE_DONE)
		rc = fail(s, src, "reading a batch's unmapped columns", err);
	sqlite3_reset(st);
	return rc;
}

/* ---- data quality (issue 8) ----
 *
 * These statements run a few times per report, so they are prepared per
 * call instead of taking slots among the hot-path statements above. */

static xy_code q_prep(sq_store *s, const char *sql, sqlite3_stmt **st, xy_error *err)
{
	int rc = sqlite3_prepare_v2(s->db, sql, -1, st, NULL);
	if (rc != SQLITE_OK) {
		*st = NULL;
		return fail(s, rc, "preparing a statement", err);
	}
	return XY_OK;
}

/* Binds ?1 from month, ?2 to month (NULL: open) and ?3 the unit (0: all). */
static void q_bind_range(sqlite3_stmt *st, const char *from, const char *to, int64_t unit_id)
{
	bind_str(st, 1, from);
	bind_str(st, 2, to);
	sqlite3_bind_int64(st, 3, unit_id);
}

/* the months' batches: ?1 ?2 months, ?3 unit */
#define Q_BATCH_RANGE \
	" (?1 IS NULL OR substr(b.reported_on, 1, 7) >= ?1)" \
	" AND (?2 IS NULL OR substr(b.reported_on, 1, 7) <= ?2)" \
	" AND (?3 = 0 OR b.unit_id = ?3)"

static xy_code sq_quality_records(xy_store *base, const char *from, const char *to,
				  int64_t unit_id, const int64_t *data_categories, size_t ndata,
				  xy_quality_record_cb cb, void *ctx, xy_error *err)
{
	sq_store *s = SQ(base);
	sqlite3_stmt *st = NULL;
	xy_buf ids = XY_BUF_INIT;
	/* Records drive the join (CROSS JOIN keeps that order): nothing indexes
	 * records by batch (migration 3), so one pass over the records (or over
	 * one unit's, through the unique index's unit prefix) with a primary-key
	 * probe into the few batches beats a scan of the records per batch.  ?4
	 * is a JSON array of the category ids whose data is read. */
#define Q_REC_COLS \
	"SELECT r.unit_id, r.category_id, r.decided_on, b.started_at," \
	" CASE WHEN r.category_id IN (SELECT value FROM json_each(?4)) THEN xy_dec(r.data) END" \
	" FROM records r CROSS JOIN batches b ON b.id = r.first_batch"
	const char *sql = unit_id ? Q_REC_COLS " WHERE r.unit_id = ?3 AND b.status = 'committed'"
					       " AND" Q_BATCH_RANGE
				  : Q_REC_COLS " WHERE b.status = 'committed' AND" Q_BATCH_RANGE;
#undef Q_REC_COLS
	xy_code rc;
	int src;
	xy_buf_addch(&ids, '[');
	for (size_t i = 0; i < ndata; i++)
		xy_buf_addf(&ids, "%s%lld", i ? "," : "", (long long)data_categories[i]);
	if (xy_buf_addch(&ids, ']')) {
		xy_buf_release(&ids);
		return xy_error_set(err, XY_ERR_NOMEM, "out of memory");
	}
	if ((rc = q_prep(s, sql, &st, err))) {
		xy_buf_release(&ids);
		return rc;
	}
	q_bind_range(st, from, to, unit_id);
	bind_str(st, 4, ids.data);
	while ((src = sqlite3_step(st)) == SQLITE_ROW) {
		xy_quality_record r = { sqlite3_column_int64(st, 0), sqlite3_column_int64(st, 1),
					col_or_null(st, 2), col_or_null(st, 3),
					col_or_null(st, 4) };
		if (cb(ctx, &r))
			break;
	}
	if (src != SQLITE_ROW && src != SQLITE_DONE)
		rc = fail(s, src, "reading records for the quality report", err);
	sqlite3_finalize(st);
	xy_buf_release(&ids);
	return rc;
}

static xy_code sq_quality_batches(xy_store *base, const char *from, const char *to,
				  int64_t unit_id, xy_quality_batches_cb cb, void *ctx,
				  xy_error *err)
{
	sq_store *s = SQ(base);
	sqlite3_stmt *st = NULL;
	xy_code rc = q_prep(
		s,
		"SELECT b.unit_id, b.category_id, count(*), sum(b.status = 'refused'),"
		" sum(b.rejected),"
		" sum((SELECT count(DISTINCT e.\"row\") FROM batch_errors e WHERE e.batch_id = b.id))"
		" FROM batches b WHERE b.unit_id IS NOT NULL AND b.category_id IS NOT NULL AND"
		Q_BATCH_RANGE " GROUP BY b.unit_id, b.category_id ORDER BY b.unit_id, b.category_id",
		&st, err);
	int src;
	if (rc)
		return rc;
	q_bind_range(st, from, to, unit_id);
	while ((src = sqlite3_step(st)) == SQLITE_ROW) {
		xy_quality_batches b = { sqlite3_column_int64(st, 0), sqlite3_column_int64(st, 1),
					 sqlite3_column_int64(st, 2), sqlite3_column_int64(st, 3),
					 sqlite3_column_int64(st, 4), sqlite3_column_int64(st, 5) };
		if (cb(ctx, &b))
			break;
	}
	if (src != SQLITE_ROW && src != SQLITE_DONE)
		rc = fail(s, src, "reading batches for the quality report", err);
	sqlite3_finalize(st);
	return rc;
}

static xy_code sq_quality_reasons(xy_store *base, const char *from, const char *to,
				  int64_t unit_id, xy_reason_count_cb cb, void *ctx,
				  xy_error *err)
{
	sq_store *s = SQ(base);
	sqlite3_stmt *st = NULL;
	xy_code rc = q_prep(
		s,
		"SELECT b.unit_id, b.category_id, coalesce(e.reason_zh, e.reason_en, '') AS reason,"
		" count(*) AS n FROM batches b JOIN batch_errors e ON e.batch_id = b.id"
		" WHERE b.unit_id IS NOT NULL AND b.category_id IS NOT NULL AND" Q_BATCH_RANGE
		" GROUP BY b.unit_id, b.category_id, reason"
		" ORDER BY b.unit_id, b.category_id, n DESC, reason",
		&st, err);
	int src;
	if (rc)
		return rc;
	q_bind_range(st, from, to, unit_id);
	while ((src = sqlite3_step(st)) == SQLITE_ROW) {
		xy_reason_count r = { sqlite3_column_int64(st, 0), sqlite3_column_int64(st, 1),
					col_str(st, 2), sqlite3_column_int64(st, 3) };
		if (cb(ctx, &r))
			break;
	}
	if (src != SQLITE_ROW && src != SQLITE_DONE)
		rc = fail(s, src, "reading rejection reasons", err);
	sqlite3_finalize(st);
	return rc;
}

static xy_code sq_quality_columns(xy_store *base, const char *from, const char *to,
				  int64_t unit_id, xy_column_seen_cb cb, void *ctx,
				  xy_error *err)
{
	sq_store *s = SQ(base);
	sqlite3_stmt *st = NULL;
	/* the suggestion most batches made for the header (max() on ties) */
	xy_code rc = q_prep(
		s,
		"SELECT b.unit_id, b.category_id, c.header,"
		" (SELECT c2.suggestion FROM batch_columns c2 JOIN batches b2 ON b2.id = c2.batch_id"
		"  WHERE c2.header = c.header AND b2.unit_id = b.unit_id"
		"  AND b2.category_id = b.category_id AND c2.suggestion IS NOT NULL"
		"  GROUP BY c2.suggestion ORDER BY count(*) DESC, c2.suggestion LIMIT 1),"
		" count(DISTINCT c.batch_id), sum(c.cells) AS cells"
		" FROM batches b JOIN batch_columns c ON c.batch_id = b.id"
		" WHERE b.unit_id IS NOT NULL AND b.category_id IS NOT NULL AND" Q_BATCH_RANGE
		" GROUP BY b.unit_id, b.category_id, c.header"
		" ORDER BY b.unit_id, b.category_id, cells DESC, c.header",
		&st, err);
	int src;
	if (rc)
		return rc;
	q_bind_range(st, from, to, unit_id);
	while ((src = sqlite3_step(st)) == SQLITE_ROW) {
		xy_column_seen c = { sqlite3_column_int64(st, 0), sqlite3_column_int64(st, 1),
					col_str(st, 2), col_or_null(st, 3),
					sqlite3_column_int64(st, 4), sqlite3_column_int64(st, 5) };
		if (cb(ctx, &c))
			break;
	}
	if (src != SQLITE_ROW && src != SQLITE_DONE)
		rc = fail(s, src, "reading unmapped columns", err);
	sqlite3_finalize(st);
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
	.close = sq_close,
	.schema_version = sq_schema_version,
	.registry_empty = sq_registry_empty,
	.begin = sq_begin,
	.commit = sq_commit,
	.read_begin = sq_read_begin,
	.in_transaction = sq_in_transaction,
	.read_end = sq_read_end,
	.data_version = sq_data_version,
	.rollback = sq_rollback,
	.interrupt = sq_interrupt,
	.rekey = sq_rekey,
	.save_registry = sq_save_registry,
	.load_registry = sq_load_registry,
	.subject_upsert = sq_subject_upsert,
	.subject_find = sq_subject_find,
	.subject_search = sq_subject_search,
	.batch_insert = sq_batch_insert,
	.batch_update = sq_batch_update,
	.batches = sq_batches,
	.batch_get = sq_batch_get,
	.batch_error_add = sq_batch_error_add,
	.batch_errors = sq_batch_errors,
	.record_upsert = sq_record_upsert,
	.subject_records = sq_subject_records,
	.record_count = sq_record_count,
	.index_put = sq_index_put,
	.index_list = sq_index_list,
	.list_type_ensure = sq_list_type_ensure,
	.entry_insert = sq_entry_insert,
	.entry_person_add = sq_entry_person_add,
	.entry_get = sq_entry_get,
	.entry_exit = sq_entry_exit,
	.entries = sq_entries,
	.subject_entries = sq_subject_entries,
	.entry_persons = sq_entry_persons,
	.entry_history = sq_entry_history,
	.check_insert = sq_check_insert,
	.check_get = sq_check_get,
	.feedback_insert = sq_feedback_insert,
	.feedback_count = sq_feedback_count,
	.watch_add = sq_watch_add,
	.notify = sq_notify,
	.notices = sq_notices,
	.subject_by_code = sq_subject_by_code,
	.listed_subjects = sq_listed_subjects,
	/* credit repair, objections, interviews */
	.record_get = sq_record_get,
	.case_insert = sq_case_insert,
	.case_get = sq_case_get,
	.case_step = sq_case_step,
	.cases = sq_cases,
	.case_event_add = sq_case_event_add,
	.case_events = sq_case_events,
	.interview_insert = sq_interview_insert,
	.interviews = sq_interviews,
	.commitment_insert = sq_commitment_insert,
	.commitment_get = sq_commitment_get,
	.commitments = sq_commitments,
	.commitment_check_add = sq_commitment_check_add,
	.commitment_checks = sq_commitment_checks,
	.batch_records = sq_batch_records,
	.gov_dishonesty_insert = sq_gov_dishonesty_insert,
	.gov_dishonesty_get = sq_gov_dishonesty_get,
	.gov_dishonesties = sq_gov_dishonesties,
	.gov_dishonesty_status_add = sq_gov_dishonesty_status_add,
	.gov_dishonesty_history = sq_gov_dishonesty_history,
	.list_records = sq_list_records,
	.list_record_link = sq_list_record_link,
	.list_record_entry = sq_list_record_entry,
	.entry_find = sq_entry_find,
	.entry_update = sq_entry_update,
	.record_find = sq_record_find,
	.memorandum_add = sq_memorandum_add,
	.memorandum_replace = sq_memorandum_replace,
	.memoranda = sq_memoranda,
	.mapping_put = sq_mapping_put,
	.mapping_remove = sq_mapping_remove,
	.mappings = sq_mappings,
	.batch_sheet_add = sq_batch_sheet_add,
	.batch_sheets = sq_batch_sheets,
	.batch_column_add = sq_batch_column_add,
	.batch_columns = sq_batch_columns,
	.quality_records = sq_quality_records,
	.quality_batches = sq_quality_batches,
	.quality_reasons = sq_quality_reasons,
	.quality_columns = sq_quality_columns,
};
