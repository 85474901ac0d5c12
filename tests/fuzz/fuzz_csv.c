/* CSV reader: encoding detection (BOM, UTF-16 by its NUL bytes, UTF-8 or
 * GB18030 by the first non-ASCII bytes), decoding, libcsv parsing, Excel row
 * numbers, limits.  Each input is read as detected, then forced as GB18030
 * and as UTF-16LE, then with small limits. */
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *path = xy_fuzz_file(data, size);
	xy_reader_opts o = { .format = XY_FMT_CSV, .max_cell = XY_FUZZ_MAX_CELL };
	xy_fuzz_read_all(path, &o);
	o.encoding = XY_ENC_GB18030;
	xy_fuzz_read_all(path, &o);
	o.encoding = XY_ENC_UTF16LE;
	xy_fuzz_read_all(path, &o);
	o.encoding = XY_ENC_AUTO;
	o.max_cell = 16;
	o.max_columns = 4;
	xy_fuzz_read_all(path, &o);
	return 0;
}
