/* XLS reader: BIFF8 through libfreexl (OLE2 container, SST, cell records,
 * dates), sheet selection, header rows.  Any input is read forced as XLS. */
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	xy_reader_opts o = { .format = XY_FMT_XLS, .max_cell = XY_FUZZ_MAX_CELL };
	xy_fuzz_read_all(xy_fuzz_file(data, size), &o);
	return 0;
}
