/* xinyong: PostgreSQL backend, operations not written yet: XY_ERR_UNSUPPORTED naming the
 * operation, never a silent no-op (pg_int.h). */
#include "pg_int.h"

/* ---- not implemented yet: XY_ERR_UNSUPPORTED, naming the operation ---- */

xy_code xy__pg_rekey(xy_store *s, xy_rekey_fn progress, void *ctx, xy_error *err)
{
	(void)s; (void)progress; (void)ctx;
	return unsupported(err, "rekey");
}

