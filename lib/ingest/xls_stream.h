/* The stream xinyong-xls-reader (src/xls_reader.c) writes to the .xls reader
 * (lib/ingest/xls.c): libfreexl runs in that child process, so a workbook
 * that crashes or exhausts freexl refuses one file instead of killing the
 * importer or the server (docs/fuzzing.md, docs/formats.md).
 *
 * Every number is a 32-bit little-endian unsigned integer (u32).  The stream
 * is XY_XLS_MAGIC, then records each starting with one tag byte:
 *
 *   'W' nsheets                       the workbook opened (first record)
 *   'S' nrows ncols namelen name      the next sheet begins (in order)
 *   'R' row ncells {len bytes}*ncells a row with text (row 0-based, rising;
 *                                     ncells <= ncols, trailing empty cells
 *                                     left out; cells UTF-8 as freexl gives)
 *   'E' freexl-code msglen msg        freexl refused the file (last record)
 *   'Z'                               every sheet was written (last record)
 *
 * The parent trusts none of it: a stream that breaks these rules, ends
 * without 'E' or 'Z', or comes from a child that did not exit 0 refuses the
 * file. */
#ifndef XY_INGEST_XLS_STREAM_H
#define XY_INGEST_XLS_STREAM_H

#include <stdint.h>

#define XY_XLS_MAGIC     "XYXLS\0\0\1"
#define XY_XLS_MAGIC_LEN 8

/* What the parent accepts: BIFF8 caps a sheet at 65,536 rows x 256 columns
 * and a string at 32,767 characters (< 128 KiB of UTF-8); freexl numbers
 * sheets and columns with unsigned shorts.  The caps only bound a damaged
 * stream; nothing freexl gives comes near them. */
#define XY_XLS_MAX_SHEETS  65535u
#define XY_XLS_MAX_COLUMNS 65536u
#define XY_XLS_MAX_TEXT    (16u << 20) /* a cell or a sheet name */
#define XY_XLS_MAX_MSG     4096u

/* Limits of the child (setrlimit in xinyong-xls-reader): address space and
 * CPU seconds.  BIFF8 bounds the memory freexl needs for a real workbook (a
 * full 65,536 x 256 sheet is 256 MiB of cells); a hostile one is cut at the
 * limit.  Not applied to the address space under ASan, whose shadow memory
 * needs terabytes of it. */
#define XY_XLS_MAX_MEMORY ((uint64_t)1 << 30) /* 1 GiB */
#define XY_XLS_MAX_CPU    60u                 /* seconds */

/* For tests: the limits the next opened readers give their child (0 = the
 * defaults above).  Not thread-safe; production code never calls it. */
void xy__xls_set_limits(uint64_t max_memory, unsigned max_cpu);

#endif
