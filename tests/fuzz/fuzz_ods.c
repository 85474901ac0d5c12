/* ODS reader: the zip layer for inputs that start with "PK"; content.xml
 * (tables, repeated rows and columns, spans, text:s/tab/line-break, hidden
 * and non-data sheets) for inputs written as parts ("== mimetype\n…",
 * fuzz.h), stored into a valid zip here.  Forced as ODS. */
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	xy_reader_opts o = { .format = XY_FMT_ODS, .max_cell = XY_FUZZ_MAX_CELL,
			     .max_unzipped = XY_FUZZ_MAX_UNZIPPED };
	const char *path = xy_fuzz_zip_file(data, size);
	xy_fuzz_read_all(path, &o);
	o.max_columns = 4;
	xy_fuzz_read_all(path, &o);
	return 0;
}
