/* JSON reader: top-level arrays, envelopes ({"rows":[…]}, {"data":{"list":[…]}}),
 * NDJSON, element splitting, jansson parsing of each element, header rows for
 * new keys.  Read by detection (as the CLI does) and forced as JSON. */
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *path = xy_fuzz_file(data, size);
	xy_reader_opts o = { .format = XY_FMT_JSON, .max_cell = XY_FUZZ_MAX_CELL };
	xy_fuzz_read_all(path, &o);
	o.max_cell = 16;
	o.max_columns = 4;
	xy_fuzz_read_all(path, &o);
	return 0;
}
