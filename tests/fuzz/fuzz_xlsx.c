/* XLSX reader: the zip layer (libzip, size limits, lying sizes) for inputs
 * that start with "PK"; the workbook, relationships, shared strings (kept and
 * spilled to a temporary file), styles and sheet XML for inputs written as
 * parts ("== xl/workbook.xml\n…", fuzz.h), stored into a valid zip here. */
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	xy_reader_opts o = { .format = XY_FMT_XLSX, .max_cell = XY_FUZZ_MAX_CELL,
			     .max_unzipped = XY_FUZZ_MAX_UNZIPPED };
	const char *path = xy_fuzz_zip_file(data, size);
	xy_fuzz_read_all(path, &o);
	o.sst_budget = 64; /* every shared string past the first few spills */
	o.max_columns = 4;
	xy_fuzz_read_all(path, &o);
	return 0;
}
