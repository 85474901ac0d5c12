/* Shared parts of the fuzz harnesses (tests/fuzz/, docs/fuzzing.md).
 *
 * Each harness defines LLVMFuzzerTestOneInput.  Built with clang and
 * -fsanitize=fuzzer it is a libFuzzer target (`make fuzz`); built with
 * replay.c it is a program that feeds every file of the directories it is
 * given once (`make test`), so inputs that once failed keep being tried. */
#ifndef XY_FUZZ_H
#define XY_FUZZ_H

#include <stddef.h>
#include <stdint.h>

#include "xinyong/reader.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Stop the process (abort) with a message: an invariant of the reader API
 * does not hold.  libFuzzer and the replay report it as a crash. */
void xy_fuzz_fail(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));

/* The path of a file (in memory: a memfd) holding exactly data[0..size),
 * valid until the next call.  The reader API opens paths only. */
const char *xy_fuzz_file(const uint8_t *data, size_t size);

/* Open path with opts, read every row checking the API's promises (cells
 * never NULL and NUL-terminated at lens[i], rows numbered from 1, a data cell
 * over max_cell only with a problem), close.  Returns the rows read. */
long xy_fuzz_read_all(const char *path, const xy_reader_opts *opts);

/* Limits the harnesses open with: small enough that a zip bomb or a huge
 * cell is refused in milliseconds, as the same limits refuse them in
 * production at their larger defaults. */
#define XY_FUZZ_MAX_UNZIPPED (16ull << 20)
#define XY_FUZZ_MAX_CELL     (64u << 10)

/* The path of a zip file for the XLSX and ODS harnesses (as xy_fuzz_file):
 * an input that starts with "PK" is used as it is (the zip layer is fuzzed);
 * any other is read as parts,
 *     "== name\n" content "\n== name2\n" content …
 * and stored (uncompressed, correct CRCs) into a zip, so mutations reach the
 * XML parsers instead of dying at the zip layer.  An input that names no
 * part is used as it is. */
const char *xy_fuzz_zip_file(const uint8_t *data, size_t size);

#endif
