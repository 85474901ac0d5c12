/* xinyong: demo data that reproduces the seed bulletin's statistics tables.
 *
 * Generates synthetic but well-formed records (valid USCCs and ID numbers with
 * Yingkou division codes, names marked （示例）, dates over the months of the
 * bulletin) and imports them through the normal import path, one batch per
 * unit × category × reporting month, so that the statistics for
 * 2019-01..2019-10 reproduce every row of both bulletin tables.
 *
 * The target counts are data: demo-counts.tsv (table, unit, category, count),
 * generated from the bulletin's two tables.  Everything generated depends
 * only on the seed and the counts, never on the clock: the same seed gives
 * the same files and the same records, so running the demo twice on one
 * database changes nothing (every row comes back "unchanged").
 */
#ifndef XINYONG_DEMO_H
#define XINYONG_DEMO_H

#include <stdint.h>

#include "error.h"
#include "ingest.h"
#include "registry.h"
#include "store.h"

#define XY_DEMO_YEAR 2019
#define XY_DEMO_MONTHS 10 /* reporting months 2019-01 .. 2019-10 */

typedef struct xy_demo_opts {
	uint64_t seed;          /* same seed, same data */
	const char *work_dir;   /* where the generated files are written (kept; created) */
	const char *report_dir; /* error reports (none expected) */
	const char *counts;     /* target counts TSV; NULL: demo-counts.tsv in
				 * xy_registry_default_dir() */
	const char *only_unit;  /* NULL: every unit; else only this unit's cells */
	xy_warn_fn progress;    /* optional: one line per batch, and import warnings */
	void *progress_ctx;
} xy_demo_opts;

typedef struct xy_demo_summary {
	long cells;      /* unit × category cells generated */
	long batches;    /* imports: one per cell × month with records */
	long files_gb18030; /* of them written in GB18030 (the rest UTF-8) */
	long records;    /* rows generated (= imported: none may be rejected) */
	long added, updated, unchanged, rejected; /* summed over the batches */
	long warnings;   /* import warnings (none expected) */
	long gov_entries; /* government-dishonesty entries registered for the 政府失信未治理
			     rows (gov_dishonesty.h; 0 when a second run finds them) */
} xy_demo_summary;

/* Generate and import everything.  Fails (XY_ERR_INVALID, naming the batch
 * and its error report) as soon as the import rejects a row or refuses a
 * file: that is a bug of the generator, not of the data.  Batches imported
 * before a failure stay committed. */
xy_code xy_demo_generate(xy_store *s, const xy_registry *reg, const xy_demo_opts *o,
			 xy_demo_summary *sum, xy_error *err);

/* One target cell of demo-counts.tsv. */
typedef struct xy_demo_cell {
	char table[16];        /* "department" or "region" */
	const xy_unit *unit;   /* borrowed from the registry */
	const xy_category *cat;
	long count;
} xy_demo_cell;

/* Read a counts file (checked against reg: unknown units or categories,
 * duplicated cells and bad counts are XY_ERR_CONFIG naming file and line).
 * *cells is malloc'd (free()). */
xy_code xy_demo_counts_load(const char *path, const xy_registry *reg, xy_demo_cell **cells,
			    size_t *n, xy_error *err);

/* How the n records of one unit × category cell are spread over the
 * reporting months: out[0] is 2019-01.  Deterministic in (seed, unit,
 * category); large cells cover most months, small ones a few; the sum is n. */
void xy_demo_split(uint64_t seed, const char *unit, const char *category, long n,
		   long out[XY_DEMO_MONTHS]);

#endif
