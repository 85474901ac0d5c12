/* xinyong-xls-reader: libfreexl in a process of its own.
 *
 *   xinyong-xls-reader MAX_MEMORY_BYTES MAX_CPU_SECONDS < workbook.xls > stream
 *
 * Started by the .xls reader (lib/ingest/xls.c) for every .xls file, never by
 * people.  Debian's libfreexl 1.0.6 leaks, frees invalid pointers and reads
 * past its buffers on hostile workbooks (docs/fuzzing.md) and cannot be fixed
 * here, so it only ever runs in this process: limited in memory and CPU, with
 * nothing open but the workbook (fd 0), the stream (fd 1, format in
 * lib/ingest/xls_stream.h) and /dev/null (fd 2).  When freexl crashes or
 * hits a limit, the parent sees a killed child or a cut stream and refuses
 * the file.  The process ends with _exit() without freexl_close(): what
 * freexl leaked or damaged goes with the process.
 */
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <unistd.h>

#include <freexl.h>

#include "lib/ingest/xls_stream.h"

#if defined(__SANITIZE_ADDRESS__)
#define XY_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define XY_ASAN 1
#endif
#endif

static FILE *out;

static void fail_write(void)
{
	_exit(3); /* the parent went away, or the pipe broke: it refuses the file */
}

static void put(const void *p, size_t n)
{
	if (n && fwrite(p, 1, n, out) != n)
		fail_write();
}

static void put32(uint32_t v)
{
	unsigned char b[4] = {(unsigned char)v, (unsigned char)(v >> 8), (unsigned char)(v >> 16),
	                      (unsigned char)(v >> 24)};
	put(b, 4);
}

static void put_text(const char *s, size_t n)
{
	put32((uint32_t)n);
	put(s, n);
}

static void finish(void)
{
	if (fflush(out) != 0)
		fail_write();
	_exit(0);
}

/* At the address-space limit: not even 1 MiB more can be mapped. */
static int at_limit(void)
{
	void *p = mmap(NULL, 1u << 20, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED)
		return 1;
	munmap(p, 1u << 20);
	return 0;
}

/* 'E' record: freexl said no; the parent turns it into the refusal.  freexl
 * reports most failed allocations as FREEXL_INSUFFICIENT_MEMORY, but some
 * (fopen, iconv_open) as another error: errno, cleared before each step, or
 * a process that cannot map more memory tells those apart. */
static void refuse(int code, const char *step)
{
	if (errno == ENOMEM || at_limit())
		code = FREEXL_INSUFFICIENT_MEMORY;
	put("E", 1);
	put32((uint32_t)code);
	put_text(step, strlen(step));
	finish();
}

/* Shortest text that reads back as the same double (integers without ".0"). */
static int format_double(char *buf, size_t n, double d)
{
	if (isfinite(d) && d == floor(d) && fabs(d) < 1e15)
		return snprintf(buf, n, "%.0f", d);
	for (int prec = 15; prec <= 17; prec++) {
		int len = snprintf(buf, n, "%.*g", prec, d);
		if (strtod(buf, NULL) == d)
			return len;
	}
	return snprintf(buf, n, "%.17g", d);
}

/* One cell as text: s points into freexl's memory or into num. */
static size_t cell_text(const FreeXL_CellValue *v, char *num, size_t numsz, const char **s)
{
	*s = "";
	switch (v->type) {
	case FREEXL_CELL_INT:
		*s = num;
		return (size_t)snprintf(num, numsz, "%d", v->value.int_value);
	case FREEXL_CELL_DOUBLE:
		*s = num;
		return (size_t)format_double(num, numsz, v->value.double_value);
	case FREEXL_CELL_TEXT:
	case FREEXL_CELL_SST_TEXT:
	case FREEXL_CELL_DATE:
	case FREEXL_CELL_DATETIME:
	case FREEXL_CELL_TIME:
		*s = v->value.text_value ? v->value.text_value : "";
		return strlen(*s);
	default:
		return 0;
	}
}

static void write_sheet(const void *h, unsigned short sheet)
{
	const char *name = NULL;
	unsigned int nrows = 0;
	unsigned short ncols = 0;
	int rc;
	errno = 0;
	if ((rc = freexl_select_active_worksheet(h, sheet)) != FREEXL_OK)
		refuse(rc, "selecting a sheet");
	if ((rc = freexl_worksheet_dimensions(h, &nrows, &ncols)) != FREEXL_OK)
		refuse(rc, "reading a sheet's dimensions");
	if ((rc = freexl_get_worksheet_name(h, sheet, &name)) != FREEXL_OK)
		refuse(rc, "reading a sheet's name");
	if (!name)
		name = "";
	put("S", 1);
	put32(nrows);
	put32(ncols);
	put_text(name, strlen(name));
	for (unsigned int row = 0; row < nrows; row++) {
		unsigned short last = 0;
		FreeXL_CellValue v;
		char num[64];
		const char *s;
		/* first pass: the last cell with text (trailing empty cells and
		 * empty rows are not sent) */
		for (unsigned short c = 0; c < ncols; c++) {
			if (freexl_get_cell_value(h, row, c, &v) != FREEXL_OK)
				refuse(FREEXL_ILLEGAL_CELL_ROW_COL, "reading a cell");
			if (cell_text(&v, num, sizeof num, &s))
				last = (unsigned short)(c + 1);
		}
		if (!last)
			continue;
		put("R", 1);
		put32(row);
		put32(last);
		for (unsigned short c = 0; c < last; c++) {
			size_t n;
			if (freexl_get_cell_value(h, row, c, &v) != FREEXL_OK)
				refuse(FREEXL_ILLEGAL_CELL_ROW_COL, "reading a cell");
			n = cell_text(&v, num, sizeof num, &s);
			put_text(s, n);
		}
	}
}

static void limit(int resource, rlim_t v)
{
	struct rlimit rl = {v, v};
	if (setrlimit(resource, &rl) != 0)
		_exit(4);
}

int main(int argc, char **argv)
{
	static char obuf[1 << 16];
	const void *h = NULL;
	unsigned int nsheets = 0;
	char *end;
	unsigned long long mem, cpu;
	int rc;

	if (argc != 3)
		_exit(2);
	errno = 0;
	mem = strtoull(argv[1], &end, 10);
	if (errno || *end || !mem)
		_exit(2);
	cpu = strtoull(argv[2], &end, 10);
	if (errno || *end || !cpu)
		_exit(2);
	/* the parent asked posix_spawn to close the rest; do not rely on it */
	if (close_range(3, ~0u, 0) != 0)
		_exit(4);
	limit(RLIMIT_CPU, (rlim_t)cpu);
	limit(RLIMIT_CORE, 0);
	if (!(out = fdopen(1, "wb")) || setvbuf(out, obuf, _IOFBF, sizeof obuf) != 0)
		_exit(4);
	put(XY_XLS_MAGIC, XY_XLS_MAGIC_LEN);
	/* the stream's memory exists: from here on only freexl allocates, so a
	 * limit it hits is reported as such ('E', FREEXL_INSUFFICIENT_MEMORY) */
#ifndef XY_ASAN
	limit(RLIMIT_AS, (rlim_t)mem);
#endif
	/* freexl wants a path: this is the file the parent opened and checked */
	errno = 0;
	rc = freexl_open("/proc/self/fd/0", &h);
	if (rc != FREEXL_OK || !h) /* 1.0.6 may say OK with no handle */
		refuse(rc, "opening the workbook");
	if ((rc = freexl_get_info(h, FREEXL_BIFF_SHEET_COUNT, &nsheets)) != FREEXL_OK)
		refuse(rc, "counting the sheets");
	if (nsheets > XY_XLS_MAX_SHEETS)
		refuse(FREEXL_BIFF_ILLEGAL_SHEET_INDEX, "counting the sheets");
	put("W", 1);
	put32(nsheets);
	for (unsigned int i = 0; i < nsheets; i++)
		write_sheet(h, (unsigned short)i);
	put("Z", 1);
	finish();
}
