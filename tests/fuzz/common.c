/* Shared parts of the fuzz harnesses: the input as a file, reading every row
 * while checking the reader API's promises, and zip containers built from
 * parts (fuzz.h). */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <zlib.h>

#include "xinyong/buf.h"
#include "fuzz.h"

void xy_fuzz_fail(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fputs("xy_fuzz: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
	abort();
}

const char *xy_fuzz_file(const uint8_t *data, size_t size)
{
	static int fd = -1;
	static char path[64];
	size_t off = 0;
	if (fd < 0) {
		fd = memfd_create("xy_fuzz_input", 0);
		if (fd < 0)
			xy_fuzz_fail("memfd_create: %s", strerror(errno));
		snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
	}
	if (ftruncate(fd, 0) != 0)
		xy_fuzz_fail("ftruncate: %s", strerror(errno));
	while (off < size) {
		ssize_t n = pwrite(fd, data + off, size - off, (off_t)off);
		if (n <= 0)
			xy_fuzz_fail("pwrite: %s", strerror(errno));
		off += (size_t)n;
	}
	return path;
}

long xy_fuzz_read_all(const char *path, const xy_reader_opts *opts)
{
	xy_error err = XY_ERROR_INIT;
	xy_reader *r = NULL;
	const xy_row *row;
	size_t max_cell = opts->max_cell ? opts->max_cell : XY_READER_MAX_CELL;
	long rows = 0;
	if (xy_reader_open(&r, path, opts, &err) != XY_OK) {
		if (r)
			xy_fuzz_fail("open failed (%s) but returned a reader", err.msg);
		if (getenv("XY_FUZZ_VERBOSE"))
			fprintf(stderr, "xy_fuzz: not opened: %s\n", err.msg);
		return 0;
	}
	(void)xy_format_name(xy_reader_format(r));
	(void)xy_encoding_name(xy_reader_encoding(r));
	for (;;) {
		xy_code rc = xy_reader_next(r, &row, &err);
		if (rc != XY_OK) {
			if (!err.msg[0])
				xy_fuzz_fail("reader error %d without a message", (int)rc);
			break;
		}
		if (!row)
			break;
		rows++;
		/* a hidden sheet is announced by one row with no cells and line 0 */
		if (row->hidden && (row->line != 0 || row->ncells))
			xy_fuzz_fail("hidden-sheet row %ld: line %ld, %zu cells", rows, row->line,
				     row->ncells);
		if (row->hidden)
			continue;
		if (row->line < 1)
			xy_fuzz_fail("row %ld numbered %ld", rows, row->line);
		if (row->ncells && (!row->cells || !row->lens))
			xy_fuzz_fail("row %ld: %zu cells but no arrays", row->line, row->ncells);
		if (row->problem && !row->problem_zh)
			xy_fuzz_fail("row %ld: problem without its Chinese text", row->line);
		for (size_t i = 0; i < row->ncells; i++) {
			if (!row->cells[i])
				xy_fuzz_fail("row %ld cell %zu is NULL", row->line, i);
			if (row->cells[i][row->lens[i]] != '\0')
				xy_fuzz_fail("row %ld cell %zu not NUL-terminated at its length %zu",
					     row->line, i, row->lens[i]);
			/* header cells are names (JSON: keys, bounded by the element
			 * limit, max_cell * 4), the limit is on values */
			if (row->lens[i] > max_cell && !row->problem && !row->is_header)
				xy_fuzz_fail("row %ld cell %zu: %zu bytes over max_cell %zu, no problem",
					     row->line, i, row->lens[i], max_cell);
		}
		(void)xy_reader_offset(r);
	}
	xy_reader_free(r);
	if (getenv("XY_FUZZ_VERBOSE"))
		fprintf(stderr, "xy_fuzz: %ld rows%s%s\n", rows, err.msg[0] ? ", then: " : "", err.msg);
	return rows;
}

static void put16(xy_buf *b, unsigned v)
{
	unsigned char c[2] = { (unsigned char)v, (unsigned char)(v >> 8) };
	if (xy_buf_add(b, c, 2))
		xy_fuzz_fail("out of memory");
}

static void put32(xy_buf *b, uint32_t v)
{
	put16(b, v & 0xffff);
	put16(b, v >> 16);
}

static void putn(xy_buf *b, const void *p, size_t n)
{
	if (xy_buf_add(b, p, n))
		xy_fuzz_fail("out of memory");
}

/* A part: name and content, both within the input. */
typedef struct part {
	const uint8_t *name, *data;
	size_t name_len, len;
} part;

static uint8_t *zip_parts(const uint8_t *data, size_t size, size_t *len)
{
	part *parts = NULL;
	size_t nparts = 0, cap = 0, i = 0;
	xy_buf zip, cd;
	/* Split at "== name\n" lines (the first must start the input). */
	while (i + 3 < size && memcmp(data + i, "== ", 3) == 0) {
		const uint8_t *name = data + i + 3;
		const uint8_t *nl = memchr(name, '\n', size - i - 3);
		const uint8_t *end;
		part *p;
		if (!nl || nl == name || nl - name > 0xffff)
			break;
		if (!(parts = xy_array_grow(parts, nparts, &cap, sizeof *parts, 8)))
			xy_fuzz_fail("out of memory");
		p = &parts[nparts++];
		p->name = name;
		p->name_len = (size_t)(nl - name);
		p->data = nl + 1;
		end = memmem(p->data, size - (size_t)(p->data - data), "\n== ", 4);
		p->len = end ? (size_t)(end - p->data) : size - (size_t)(p->data - data);
		i = end ? (size_t)(end - data) + 1 : size;
	}
	if (!nparts) {
		free(parts);
		return NULL;
	}
	xy_buf_init(&zip, 0);
	xy_buf_init(&cd, 0);
	for (i = 0; i < nparts; i++) {
		const part *p = &parts[i];
		uint32_t crc = (uint32_t)crc32(0L, p->data, (uInt)p->len);
		uint32_t offset = (uint32_t)zip.len;
		put32(&zip, 0x04034b50);
		put16(&zip, 20); put16(&zip, 0); put16(&zip, 0); /* version, flags, stored */
		put16(&zip, 0); put16(&zip, 0x21);                /* 1980-01-01 00:00 */
		put32(&zip, crc); put32(&zip, (uint32_t)p->len); put32(&zip, (uint32_t)p->len);
		put16(&zip, (unsigned)p->name_len); put16(&zip, 0);
		putn(&zip, p->name, p->name_len);
		putn(&zip, p->data, p->len);
		put32(&cd, 0x02014b50);
		put16(&cd, 20); put16(&cd, 20); put16(&cd, 0); put16(&cd, 0);
		put16(&cd, 0); put16(&cd, 0x21);
		put32(&cd, crc); put32(&cd, (uint32_t)p->len); put32(&cd, (uint32_t)p->len);
		put16(&cd, (unsigned)p->name_len); put16(&cd, 0); put16(&cd, 0);
		put16(&cd, 0); put16(&cd, 0); put32(&cd, 0);
		put32(&cd, offset);
		putn(&cd, p->name, p->name_len);
	}
	{
		uint32_t cd_off = (uint32_t)zip.len;
		putn(&zip, cd.data, cd.len);
		put32(&zip, 0x06054b50);
		put16(&zip, 0); put16(&zip, 0);
		put16(&zip, (unsigned)nparts); put16(&zip, (unsigned)nparts);
		put32(&zip, (uint32_t)cd.len); put32(&zip, cd_off);
		put16(&zip, 0);
	}
	xy_buf_release(&cd);
	free(parts);
	return (uint8_t *)xy_buf_detach(&zip, len);
}

const char *xy_fuzz_zip_file(const uint8_t *data, size_t size)
{
	uint8_t *zip = NULL;
	size_t len = 0;
	const char *path;
	if (!(size >= 2 && data[0] == 'P' && data[1] == 'K'))
		zip = zip_parts(data, size, &len);
	path = zip ? xy_fuzz_file(zip, len) : xy_fuzz_file(data, size);
	free(zip);
	return path;
}
