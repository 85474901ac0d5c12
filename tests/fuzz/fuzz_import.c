/* The whole import pipeline on a temporary SQLite store: format detection,
 * the reader thread, header search, column mapping, validation of every
 * value, the error report in the input's format, the batch summary.  Each
 * input is imported inside an outer transaction that is rolled back, so the
 * store stays as seeded and inputs do not depend on each other.  Inputs of
 * odd size go to 行政许可, even to 行政处罚. */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include "xinyong/ingest.h"
#include "fuzz.h"

static char dir[64], db[96], reports[96];
static xy_store *store;
static xy_registry reg;

static void clean_reports(void)
{
	DIR *d = opendir(reports);
	struct dirent *e;
	char path[512];
	if (!d)
		return;
	while ((e = readdir(d)))
		if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..")) {
			snprintf(path, sizeof path, "%s/%s", reports, e->d_name);
			unlink(path);
		}
	closedir(d);
}

static void finish(void)
{
	xy_registry_release(&reg);
	xy_store_close(store);
	clean_reports();
	rmdir(reports);
	unlink(db);
	{
		char side[128];
		snprintf(side, sizeof side, "%s-wal", db);
		unlink(side);
		snprintf(side, sizeof side, "%s-shm", db);
		unlink(side);
		snprintf(side, sizeof side, "%s-journal", db);
		unlink(side);
		snprintf(side, sizeof side, "%s.key", db); // the key file the store made beside it
		unlink(side);
	}
	rmdir(dir);
}

static void start(void)
{
	xy_error err = XY_ERROR_INIT;
	const char *tmp = getenv("TMPDIR");
	snprintf(dir, sizeof dir, "%s/xy_fuzz_XXXXXX", tmp && *tmp && strlen(tmp) < 40 ? tmp : "/tmp");
	if (!mkdtemp(dir))
		xy_fuzz_fail("mkdtemp %s failed", dir);
	snprintf(db, sizeof db, "%s/xy.db", dir);
	snprintf(reports, sizeof reports, "%s/reports", dir);
	setenv("XINYONG_TODAY", "2026-11-26", 1);
	xy_registry_init(&reg);
	if (xy_store_open(&store, db, NULL, &err) || xy_store_load_registry(store, &reg, &err))
		xy_fuzz_fail("store: %s", err.msg);
	atexit(finish);
}

static void ignore_warning(void *ctx, const char *msg)
{
	(void)ctx;
	if (!msg)
		xy_fuzz_fail("warning callback with a NULL message");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	xy_error err = XY_ERROR_INIT;
	xy_import_opts o = { 0 };
	xy_batch b;
	json_t *summary = NULL;
	xy_code rc;
	if (!store)
		start();
	o.unit = "市场监管局";
	o.category = size % 2 ? "行政许可" : "行政处罚";
	o.reported_on = "2026-10";
	o.report_dir = reports;
	o.warn = ignore_warning;
	o.reader.max_cell = XY_FUZZ_MAX_CELL;
	o.reader.max_unzipped = XY_FUZZ_MAX_UNZIPPED;
	memset(&b, 0, sizeof b);
	if (xy_store_begin(store, false, &err))
		xy_fuzz_fail("begin: %s", err.msg);
	rc = xy_import_file(store, &reg, xy_fuzz_file(data, size), &o, &b, &err);
	if (rc != XY_OK && !err.msg[0])
		xy_fuzz_fail("import failed (%d) without a message", (int)rc);
	if (rc == XY_OK) {
		if (b.rows != b.added + b.updated + b.unchanged + b.rejected)
			xy_fuzz_fail("rows %ld != added %ld + updated %ld + unchanged %ld + rejected %ld",
				     b.rows, b.added, b.updated, b.unchanged, b.rejected);
		if (b.errors_stored < 0 || b.errors_stored > b.rejected)
			xy_fuzz_fail("%ld errors stored for %ld rejected rows", b.errors_stored, b.rejected);
		if (xy_batch_summary(store, &reg, &b, &summary, &err))
			xy_fuzz_fail("summary of a committed batch: %s", err.msg);
		json_decref(summary);
	}
	xy_batch_release(&b); /* the batch owns its strings, committed or refused */
	if (xy_store_rollback(store, &err))
		xy_fuzz_fail("rollback: %s", err.msg);
	clean_reports();
	return 0;
}
