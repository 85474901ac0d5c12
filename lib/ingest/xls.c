/* XLS: BIFF8 workbooks (Excel 97-2003 .xls, WPS .et saved as BIFF) through
 * libfreexl, which runs in a child process.
 *
 * Debian's libfreexl 1.0.6 cannot be trusted with a hostile workbook: fuzzing
 * found a stack over-read, leaks of up to 256 MiB per record and an invalid
 * free that kills the process (docs/fuzzing.md), and we cannot fix it here.
 * Since `xinyong serve` imports uploads in its own process, freexl never runs
 * in ours: each reader starts xinyong-xls-reader (src/xls_reader.c) with the
 * file as its stdin, the child reads the workbook with freexl under
 * RLIMIT_AS / RLIMIT_CPU and writes every non-empty row to a pipe
 * (lib/ingest/xls_stream.h); this side checks that stream and hands out rows
 * exactly as the other readers do.  A child that crashes, hits a limit, exits
 * non-zero or writes anything malformed refuses the file ("the .xls could not
 * be read safely: …"); a failure after rows were handed out is a reader error
 * like any other, so the importer refuses the whole batch.
 *
 * Why posix_spawn of a separate program and not fork(): the server is
 * multi-threaded, and after fork() only async-signal-safe functions may be
 * called in the child, while freexl mallocs (another thread may have held the
 * allocator's lock at the fork).  exec gives the child a fresh process image;
 * glibc's posix_spawn does it with CLONE_VFORK, cheaply whatever the size of
 * the server.  The program is looked for in $XY_XLS_READER, then next to the
 * running executable, then in the build directory (XY_XLS_READER_PATH).
 * The reader waits for its own child by pid: a program that sets SIGCHLD to
 * SIG_IGN (children reaped automatically) cannot tell how it ended, and then
 * refuses every .xls.
 *
 * Before the child gets the file, the parts of the OLE2 container freexl
 * trusts are still checked here (check_container): those refusals name what
 * is damaged, where a crash of the child can only say that it crashed.
 *
 * Text cells arrive as UTF-8, date cells as 'YYYY-MM-DD' text.  Every row of
 * every sheet is handed out in order with its sheet name and row number
 * (1-based, as Excel shows it); empty rows are skipped but counted.  freexl
 * does not say which sheets are hidden, so all sheets are read (the importer
 * skips sheets whose rows never match a header).
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <freexl.h> /* error codes only: freexl runs in the child */

#include "xinyong/buf.h"
#include "xinyong/reader.h"
#include "xy_config.h"
#include "lib/ingest/xls_stream.h"

extern char **environ;

#define HELPER       "xinyong-xls-reader"
/* For the child's next bytes.  Its CPU limit is what stops a runaway freexl;
 * this only bounds a child that neither works nor ends, and leaves a loaded
 * machine time to parse a large workbook before its first row. */
#define WAIT_SECONDS 600
#define REFUSED_ZH   "（无法安全读取该 .xls 文件，请另存为 .xlsx）"

static uint64_t limit_memory; /* xy__xls_set_limits; 0 = XY_XLS_MAX_MEMORY */
static unsigned limit_cpu;

void xy__xls_set_limits(uint64_t max_memory, unsigned max_cpu)
{
	limit_memory = max_memory;
	limit_cpu = max_cpu;
}

typedef struct xls_reader {
	char *path;
	size_t max_cell, max_columns;
	uint64_t size, max_memory;
	unsigned max_cpu;

	pid_t pid;           /* the child, 0 once reaped */
	int fd;              /* read end of its stream, -1 once closed */
	unsigned char in[1 << 16];
	size_t ipos, ilen;
	bool opened;         /* 'W' read */
	bool done;           /* 'Z' read and the child exited 0 */

	uint32_t nsheets, sheets; /* announced, begun */
	uint32_t nrows, ncols;    /* of the current sheet */
	int64_t last_row;         /* of the current sheet, -1 before its first */
	bool seen_header;
	xy_buf name;              /* the current sheet's */

	xy_buf text;
	size_t *offs, *lens;
	const char **cells;
	size_t ocap, lcap, ccap;
	char problem[160], problem_zh[160];
	xy_row out;
} xls_reader;

/* Reap the child: kill it first (a zombie ignores that, so how a child that
 * already died ended is kept).  Returns its wait status, or -1. */
static int reap(xls_reader *r)
{
	int st = -1;
	if (r->fd >= 0) {
		close(r->fd);
		r->fd = -1;
	}
	if (r->pid > 0) {
		kill(r->pid, SIGKILL);
		while (waitpid(r->pid, &st, 0) < 0 && errno == EINTR)
			;
		r->pid = 0;
	}
	return st;
}

/* The file is refused: the child is stopped, what it did said in err. */
static xy_code unsafe(xls_reader *r, xy_error *err, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static xy_code unsafe(xls_reader *r, xy_error *err, const char *fmt, ...)
{
	char what[256];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(what, sizeof what, fmt, ap);
	va_end(ap);
	reap(r);
	return xy_error_at(err, XY_ERR_FORMAT, r->path, 0, NULL,
	                   "the .xls could not be read safely: %s; save it as .xlsx" REFUSED_ZH,
	                   what);
}

/* How the child ended (wait status st, -1 if unknown) as the refusal. */
static xy_code died(xls_reader *r, int st, xy_error *err)
{
	if (st != -1 && WIFSIGNALED(st) && WTERMSIG(st) == SIGXCPU)
		return unsafe(r, err, "reading it took more than %u s of CPU", r->max_cpu);
	if (st != -1 && WIFSIGNALED(st))
		return unsafe(r, err, "the reader process was killed by SIG%s",
		              sigabbrev_np(WTERMSIG(st)) ? sigabbrev_np(WTERMSIG(st)) : "?");
	if (st != -1 && WIFEXITED(st) && WEXITSTATUS(st) != 0)
		return unsafe(r, err, "the reader process failed (exit status %d)", WEXITSTATUS(st));
	return unsafe(r, err, "the reader process stopped before the end of the workbook");
}

/* The stream ended before 'E' or 'Z': the child is dying or dead; wait for
 * it (no kill, so that its own end is what is reported). */
static xy_code ended(xls_reader *r, xy_error *err)
{
	int st = -1;
	close(r->fd);
	r->fd = -1;
	while (r->pid > 0 && waitpid(r->pid, &st, 0) < 0 && errno == EINTR)
		;
	r->pid = 0;
	return died(r, st, err);
}

/* n bytes of the stream into dst (NULL: skip them). */
static xy_code pull(xls_reader *r, void *dst, size_t n, xy_error *err)
{
	unsigned char *d = dst;
	while (n) {
		if (r->ipos == r->ilen) {
			struct pollfd p = {.fd = r->fd, .events = POLLIN};
			ssize_t got;
			int rc = poll(&p, 1, WAIT_SECONDS * 1000);
			if (rc < 0 && errno == EINTR)
				continue;
			if (rc == 0)
				return unsafe(r, err, "the reader process sent nothing for %d s",
				              WAIT_SECONDS);
			got = read(r->fd, r->in, sizeof r->in);
			if (got < 0 && errno == EINTR)
				continue;
			if (got < 0)
				return unsafe(r, err, "reading from the reader process: %s",
				              strerror(errno));
			if (got == 0)
				return ended(r, err);
			r->ipos = 0;
			r->ilen = (size_t)got;
		}
		size_t k = r->ilen - r->ipos < n ? r->ilen - r->ipos : n;
		if (d) {
			memcpy(d, r->in + r->ipos, k);
			d += k;
		}
		r->ipos += k;
		n -= k;
	}
	return XY_OK;
}

static xy_code pull32(xls_reader *r, uint32_t *v, xy_error *err)
{
	unsigned char b[4];
	xy_code rc = pull(r, b, 4, err);
	*v = (uint32_t)b[0] | (uint32_t)b[1] << 8 | (uint32_t)b[2] << 16 | (uint32_t)b[3] << 24;
	return rc;
}

/* A length-prefixed text of at most `max` bytes appended to b; the bytes past
 * `keep` are read and dropped (*len is the whole length).  With cut, what is
 * kept ends at a UTF-8 character boundary. */
static xy_code pull_text(xls_reader *r, xy_buf *b, size_t keep, uint32_t max, size_t *len,
                         xy_error *err)
{
	uint32_t n;
	size_t k, start = b->len;
	xy_code rc;
	if ((rc = pull32(r, &n, err)))
		return rc;
	if (n > max)
		return unsafe(r, err, "the reader process sent a text of %" PRIu32
		              " bytes, over the %" PRIu32 " it can send", n, max);
	*len = n;
	k = n < keep ? n : keep + (keep < n); /* one byte more to find the cut */
	if ((rc = xy_buf_grow(b, k + 1)))
		return xy_error_set(err, rc, "out of memory");
	if ((rc = pull(r, b->data + start, k, err)) || (rc = pull(r, NULL, n - k, err)))
		return rc;
	if (k > keep) {
		k = keep;
		while (k && ((unsigned char)b->data[start + k] & 0xC0) == 0x80)
			k--;
	}
	b->len = start + k;
	b->data[b->len] = '\0';
	return XY_OK;
}

/* 'E': freexl refused the file.  The message is the child's (ASCII from
 * src/xls_reader.c), bounded, shown as text. */
static xy_code child_refused(xls_reader *r, xy_error *err)
{
	uint32_t code;
	size_t len;
	xy_buf msg = XY_BUF_INIT;
	xy_code rc;
	int code_i;
	if ((rc = pull32(r, &code, err)) ||
	    (rc = pull_text(r, &msg, XY_XLS_MAX_MSG, XY_XLS_MAX_MSG, &len, err)))
		goto out;
	for (size_t i = 0; i < msg.len; i++)
		if ((unsigned char)msg.data[i] < 0x20 || (unsigned char)msg.data[i] > 0x7E)
			msg.data[i] = '?';
	code_i = (int)(int32_t)code;
	if (code_i == FREEXL_INSUFFICIENT_MEMORY)
		rc = unsafe(r, err, "%s needs more than the reader's %" PRIu64 " MiB of memory",
		            msg.data, r->max_memory >> 20);
	else if (!r->opened)
		rc = (reap(r), xy_error_at(err, XY_ERR_FORMAT, r->path, 0, NULL,
		                           "not a readable .xls (BIFF8) workbook (freexl error %d); "
		                           "save it as .xlsx (无法读取的 .xls 文件，请另存为 .xlsx)",
		                           code_i));
	else
		rc = (reap(r), xy_error_at(err, XY_ERR_FORMAT, r->path, 0, NULL,
		                           "cannot read the .xls workbook (freexl error %d, %s); "
		                           "save it as .xlsx (无法读取的 .xls 文件，请另存为 .xlsx)",
		                           code_i, msg.data));
out:
	xy_buf_release(&msg);
	return rc;
}

/* 'S': the next sheet. */
static xy_code sheet_begin(xls_reader *r, xy_error *err)
{
	size_t len;
	xy_code rc;
	if (r->sheets >= r->nsheets)
		return unsafe(r, err, "the reader process sent more sheets than the %" PRIu32
		              " it announced", r->nsheets);
	xy_buf_reset(&r->name);
	if ((rc = pull32(r, &r->nrows, err)) || (rc = pull32(r, &r->ncols, err)) ||
	    (rc = pull_text(r, &r->name, XY_XLS_MAX_TEXT, XY_XLS_MAX_TEXT, &len, err)))
		return rc;
	if (r->ncols > XY_XLS_MAX_COLUMNS)
		return unsafe(r, err, "the reader process sent a sheet of %" PRIu32 " columns",
		              r->ncols);
	r->sheets++;
	r->last_row = -1;
	r->seen_header = false;
	return XY_OK;
}

/* Room for n cells in the row arrays. */
static xy_code room(xls_reader *r, size_t n, xy_error *err)
{
	size_t *o, *l;
	const char **c;
	if (!n)
		return XY_OK;
	if (!(o = xy_array_grow(r->offs, n - 1, &r->ocap, sizeof *o, 32)))
		goto nomem;
	r->offs = o;
	if (!(l = xy_array_grow(r->lens, n - 1, &r->lcap, sizeof *l, 32)))
		goto nomem;
	r->lens = l;
	if (!(c = xy_array_grow(r->cells, n - 1, &r->ccap, sizeof *c, 32)))
		goto nomem;
	r->cells = c;
	return XY_OK;
nomem:
	return xy_error_set(err, XY_ERR_NOMEM, "out of memory");
}

/* 'R': one row into r->out; *empty if no cell has text.  The sheet's columns
 * past max_columns and the bytes of a cell past max_cell make it a row with
 * a problem, as in the other readers; they are read and dropped, so a row
 * holds at most max_columns x max_cell bytes here. */
static xy_code read_row(xls_reader *r, bool *empty, xy_error *err)
{
	uint32_t row, ncells;
	size_t keep, last = 0, n;
	bool problem = false;
	xy_code rc;

	*empty = true;
	if ((rc = pull32(r, &row, err)) || (rc = pull32(r, &ncells, err)))
		return rc;
	if (!r->sheets || row >= r->nrows || (int64_t)row <= r->last_row || !ncells ||
	    ncells > r->ncols)
		return unsafe(r, err, "the reader process sent row %" PRIu32 " (%" PRIu32
		              " cells) out of place", row + 1, ncells);
	r->last_row = row;
	keep = ncells < r->max_columns ? ncells : r->max_columns;
	if ((rc = room(r, keep, err)))
		return rc;
	xy_buf_reset(&r->text);
	r->out.problem = r->out.problem_zh = NULL;
	r->out.problem_col = -1;
	for (uint32_t i = 0; i < ncells; i++) {
		size_t start = r->text.len;
		if (i >= keep) {
			if ((rc = pull_text(r, &r->text, 0, XY_XLS_MAX_TEXT, &n, err)))
				return rc;
			if (n && !problem) {
				problem = true;
				snprintf(r->problem, sizeof r->problem, "too many columns (%" PRIu32
				         " > %zu)", r->ncols, r->max_columns);
				snprintf(r->problem_zh, sizeof r->problem_zh, "列数过多（%" PRIu32
				         " > %zu）", r->ncols, r->max_columns);
			}
			continue;
		}
		if ((rc = pull_text(r, &r->text, r->max_cell, XY_XLS_MAX_TEXT, &n, err)))
			return rc;
		if (n > r->max_cell && !problem) {
			problem = true;
			r->out.problem_col = (long)i;
			snprintf(r->problem, sizeof r->problem,
			         "cell longer than %zu bytes in column %" PRIu32, r->max_cell, i + 1);
			snprintf(r->problem_zh, sizeof r->problem_zh, "第%" PRIu32 "列超过 %zu 字节",
			         i + 1, r->max_cell);
		}
		if ((rc = xy_buf_addch(&r->text, '\0')))
			return xy_error_set(err, rc, "out of memory");
		r->offs[i] = start;
		r->lens[i] = r->text.len - 1 - start;
		if (n)
			last = i + 1;
	}
	/* trailing empty cells are not part of the row */
	r->out.ncells = last;
	for (size_t i = 0; i < last; i++)
		r->cells[i] = r->text.data + r->offs[i];
	*empty = !last;
	if (problem) {
		r->out.problem = r->problem;
		r->out.problem_zh = r->problem_zh;
		*empty = false;
	}
	r->out.line = (long)row + 1;
	return XY_OK;
}

/* 'Z': every sheet came, and the child must end well for the rows to count. */
static xy_code finish(xls_reader *r, xy_error *err)
{
	int st = -1;
	if (r->sheets != r->nsheets)
		return unsafe(r, err, "the reader process sent %" PRIu32 " of %" PRIu32 " sheets",
		              r->sheets, r->nsheets);
	close(r->fd);
	r->fd = -1;
	while (waitpid(r->pid, &st, 0) < 0 && errno == EINTR)
		;
	r->pid = 0;
	if (st == -1 || !WIFEXITED(st) || WEXITSTATUS(st) != 0)
		return died(r, st, err);
	r->done = true;
	return XY_OK;
}

static xy_code xls_next(void *impl, const xy_row **row, xy_error *err)
{
	xls_reader *r = impl;
	unsigned char tag;
	bool empty;
	xy_code rc;

	*row = NULL;
	if (r->done)
		return XY_OK;
	if (r->fd < 0)
		return xy_error_at(err, XY_ERR_FORMAT, r->path, 0, NULL,
		                   "the .xls reader stopped after an error");
	for (;;) {
		if ((rc = pull(r, &tag, 1, err)))
			return rc;
		switch (tag) {
		case 'S':
			if ((rc = sheet_begin(r, err)))
				return rc;
			continue;
		case 'R':
			if ((rc = read_row(r, &empty, err)))
				return rc;
			if (empty)
				continue;
			r->out.sheet = r->name.data;
			r->out.is_header = !r->seen_header;
			r->seen_header = true;
			r->out.cells = r->cells;
			r->out.lens = r->lens;
			*row = &r->out;
			return XY_OK;
		case 'E':
			return child_refused(r, err);
		case 'Z':
			return finish(r, err);
		default:
			return unsafe(r, err, "the reader process sent a record of unknown type %u",
			              (unsigned)tag);
		}
	}
}

static uint64_t xls_offset(const void *impl)
{
	const xls_reader *r = impl;
	/* the workbook is read whole by the child first: progress by sheets */
	if (r->done || !r->nsheets)
		return r->size;
	return r->size * (r->sheets ? r->sheets - 1 : 0) / r->nsheets;
}

static xy_encoding xls_encoding(const void *impl)
{
	(void)impl;
	return XY_ENC_UTF8;
}

static void xls_free(void *impl)
{
	xls_reader *r = impl;
	if (!r)
		return;
	reap(r); /* a child still writing (reading stopped early) is killed */
	xy_buf_release(&r->text);
	xy_buf_release(&r->name);
	free(r->offs);
	free(r->lens);
	free(r->cells);
	free(r->path);
	free(r);
}

static const xy_reader_ops xls_ops = {
    .next = xls_next,
    .offset = xls_offset,
    .encoding = xls_encoding,
    .free = xls_free,
};

/* libfreexl 1.0.6 trusts the OLE2 (CFBF) container more than it should
 * (found by tests/fuzz, docs/fuzzing.md), so the parts it reads are checked
 * before it gets the file, the way it reads them: 512-byte sectors (4096 when
 * the shift at 0x1E is 12), sector n at (n + 1) * size computed in 32 bits,
 * the first 109 FAT sectors listed in the header, the first directory sector
 * (number at 0x30) of 128-byte entries.
 *  - A directory entry's name length (at 64) over its 64-byte field made it
 *    convert up to 64 KiB past its 4 KiB stack buffer.
 *  - When the Workbook stream is small enough for the mini stream, a chain
 *    of the mini stream that leaves the file or the FAT made it return an
 *    error without freeing the Root Entry's size in bytes (up to 4 GiB).
 * Files it refuses on its own before either point are left to it. */
static uint32_t le32(const unsigned char *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

/* The UTF-16LE name of entry e reads as the ASCII name, as freexl compares
 * it: its first characters, then the end of the stated length or a NUL. */
static bool entry_is(const unsigned char *e, const char *name)
{
	size_t n = strlen(name), len = (size_t)e[64] | (size_t)e[65] << 8;
	if (len < 2 * n)
		return false;
	for (size_t i = 0; i < n; i++)
		if (e[2 * i] != (unsigned char)name[i] || e[2 * i + 1] != 0)
			return false;
	return len < 2 * n + 2 || (e[2 * n] == 0 && e[2 * n + 1] == 0);
}

static xy_code check_container(FILE *f, const char *path, uint64_t size, xy_error *err)
{
	unsigned char head[512], dir[4096];
	const unsigned char *root = NULL, *book = NULL;
	uint32_t ssize, sec, *fat = NULL, nfat = 0, len = 0, want, cutoff;
	xy_code rc = XY_OK;
	if (fseeko(f, 0, SEEK_SET) != 0 || fread(head, 1, sizeof head, f) != sizeof head)
		return XY_OK;
	ssize = ((unsigned)head[0x1E] | (unsigned)head[0x1F] << 8) == 12 ? 4096 : 512;
	if (fseeko(f, (off_t)(uint32_t)((le32(head + 0x30) + 1) * ssize), SEEK_SET) != 0 ||
	    fread(dir, 1, ssize, f) != ssize)
		return XY_OK;
	for (size_t e = 0; e < ssize; e += 128) {
		unsigned n = (unsigned)dir[e + 64] | (unsigned)dir[e + 65] << 8;
		if (n > 64)
			return xy_error_at(err, XY_ERR_FORMAT, path, 0, NULL,
			                   "not a readable .xls (BIFF8) workbook: directory entry %zu "
			                   "names %u bytes, at most 64 fit (the file is damaged); "
			                   "save it as .xlsx (.xls 文件已损坏，请另存为 .xlsx)",
			                   e / 128 + 1, n);
		if (!book && entry_is(dir + e, "Root Entry"))
			root = dir + e;
		if (!book && (entry_is(dir + e, "Workbook") || entry_is(dir + e, "Book")))
			book = dir + e;
	}
	/* the mini stream is read only for a Workbook stream up to the cutoff */
	cutoff = le32(head + 0x40) > 0 ? le32(head + 0x38) : 0; /* mini FAT sectors, cutoff */
	if (!root || !book || le32(book + 0x78) > cutoff || le32(head + 0x48) > 0)
		return XY_OK;
	if (!(fat = malloc(109 * (size_t)(ssize / 4) * sizeof *fat)))
		return xy_error_set(err, XY_ERR_NOMEM, "out of memory");
	for (int i = 0; i < 109; i++) {
		uint32_t s = le32(head + 0x4C + 4 * i);
		unsigned char buf[4096];
		if (s == 0xFFFFFFFF)
			continue;
		if (fseeko(f, (off_t)(uint32_t)((s + 1) * ssize), SEEK_SET) != 0 ||
		    fread(buf, 1, ssize, f) != ssize)
			goto out; /* freexl refuses it while reading the FAT */
		for (uint32_t k = 0; k < ssize / 4; k++)
			fat[nfat++] = le32(buf + 4 * k);
	}
	want = le32(root + 0x78);
	for (sec = le32(root + 0x74); len < want;) {
		uint64_t where = (uint32_t)((sec + 1) * ssize);
		if (where + ssize > size || sec >= nfat) {
			rc = xy_error_at(err, XY_ERR_FORMAT, path, 0, NULL,
			                 "not a readable .xls (BIFF8) workbook: its mini stream "
			                 "(%" PRIu32 " bytes) runs outside the file (the file is damaged); "
			                 "save it as .xlsx (.xls 文件已损坏，请另存为 .xlsx)", want);
			goto out;
		}
		len += want - len < ssize ? want - len : ssize;
		if (fat[sec] == 0xFFFFFFFE)
			break;
		sec = fat[sec];
	}
out:
	free(fat);
	return rc;
}

/* The helper program: $XY_XLS_READER, else next to the running executable,
 * else the one built with this library.  Caller frees. */
static char *helper_path(void)
{
	const char *env = getenv("XY_XLS_READER");
	char *exe, *slash;
	xy_buf b = XY_BUF_INIT;
	if (env && *env)
		return strdup(env);
	if ((exe = realpath("/proc/self/exe", NULL)) && (slash = strrchr(exe, '/')) &&
	    !xy_buf_add(&b, exe, (size_t)(slash - exe) + 1) && !xy_buf_addstr(&b, HELPER) &&
	    access(b.data, X_OK) == 0) {
		free(exe);
		return xy_buf_detach(&b, NULL);
	}
	free(exe);
	xy_buf_release(&b);
	return strdup(XY_XLS_READER_PATH);
}

/* Start the child on the open file `file`; r->pid and r->fd are set. */
static xy_code spawn(xls_reader *r, int file, xy_error *err)
{
	char mem[32], cpu[16], *helper = helper_path();
	char *argv[] = {HELPER, mem, cpu, NULL};
	int p[2] = {-1, -1}, in = -1, out = -1, e = ENOMEM;
	posix_spawn_file_actions_t fa;
	posix_spawnattr_t at;
	sigset_t all, none;

	snprintf(mem, sizeof mem, "%" PRIu64, r->max_memory);
	snprintf(cpu, sizeof cpu, "%u", r->max_cpu);
	if (!helper)
		return xy_error_set(err, XY_ERR_NOMEM, "out of memory");
	if (pipe2(p, O_CLOEXEC) != 0) {
		e = errno;
		goto out;
	}
	/* the child's 0 and 1 are made by dup2 in turn: neither source may be 0
	 * or 1 itself (a server started with them closed) */
	if ((in = fcntl(file, F_DUPFD_CLOEXEC, 3)) < 0 ||
	    (out = fcntl(p[1], F_DUPFD_CLOEXEC, 3)) < 0) {
		e = errno;
		goto out;
	}
	if ((e = posix_spawn_file_actions_init(&fa)))
		goto out;
	if ((e = posix_spawnattr_init(&at))) {
		posix_spawn_file_actions_destroy(&fa);
		goto out;
	}
	sigfillset(&all);
	sigemptyset(&none);
	if (!(e = posix_spawn_file_actions_adddup2(&fa, in, 0)) &&
	    !(e = posix_spawn_file_actions_adddup2(&fa, out, 1)) &&
	    !(e = posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0)) &&
	    !(e = posix_spawn_file_actions_addclosefrom_np(&fa, 3)) &&
	    /* the server ignores SIGPIPE and its threads block signals: the child
	     * starts with every signal at its default, none blocked */
	    !(e = posix_spawnattr_setsigdefault(&at, &all)) &&
	    !(e = posix_spawnattr_setsigmask(&at, &none)) &&
	    !(e = posix_spawnattr_setflags(&at, POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK)))
		e = posix_spawn(&r->pid, helper, &fa, &at, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	posix_spawnattr_destroy(&at);
out:
	if (in >= 0)
		close(in);
	if (out >= 0)
		close(out);
	if (p[1] >= 0)
		close(p[1]);
	if (e) {
		if (p[0] >= 0)
			close(p[0]);
		r->pid = 0;
		xy_error_at(err, XY_ERR_IO, r->path, 0, NULL,
		            "cannot start the .xls reader program %s: %s", helper, strerror(e));
		free(helper);
		return XY_ERR_IO;
	}
	free(helper);
	r->fd = p[0];
	return XY_OK;
}

xy_code xy__xls_open(void **impl, const xy_reader_ops **ops, const char *path,
                     const xy_reader_opts *opts, xy_error *err)
{
	xls_reader *r = calloc(1, sizeof *r);
	unsigned char magic[XY_XLS_MAGIC_LEN], tag;
	FILE *f;
	xy_code rc;

	*impl = NULL;
	if (!r)
		return xy_error_set(err, XY_ERR_NOMEM, "out of memory");
	r->fd = -1;
	xy_buf_init(&r->text, 0);
	xy_buf_init(&r->name, 0);
	r->max_cell = opts && opts->max_cell ? opts->max_cell : XY_READER_MAX_CELL;
	r->max_columns = opts && opts->max_columns ? opts->max_columns : XY_READER_MAX_COLUMNS;
	r->max_memory = limit_memory ? limit_memory : XY_XLS_MAX_MEMORY;
	r->max_cpu = limit_cpu ? limit_cpu : XY_XLS_MAX_CPU;
	if (!(r->path = strdup(path))) {
		xls_free(r);
		return xy_error_set(err, XY_ERR_NOMEM, "out of memory");
	}
	if (!(f = fopen(path, "rbe"))) {
		xls_free(r);
		return xy_error_at(err, XY_ERR_IO, path, 0, NULL, "cannot open");
	}
	if (fseeko(f, 0, SEEK_END) == 0)
		r->size = (uint64_t)ftello(f);
	/* the child reads the same open file, not the path again */
	if (!(rc = check_container(f, path, r->size, err)))
		rc = spawn(r, fileno(f), err);
	fclose(f);
	if (rc || (rc = pull(r, magic, sizeof magic, err)))
		goto fail;
	if (memcmp(magic, XY_XLS_MAGIC, sizeof magic) != 0) {
		rc = unsafe(r, err, "the reader process did not answer as expected");
		goto fail;
	}
	if ((rc = pull(r, &tag, 1, err)))
		goto fail;
	if (tag == 'E') {
		rc = child_refused(r, err);
		goto fail;
	}
	if (tag != 'W' || (rc = pull32(r, &r->nsheets, err))) {
		if (!rc)
			rc = unsafe(r, err, "the reader process did not answer as expected");
		goto fail;
	}
	if (r->nsheets > XY_XLS_MAX_SHEETS) {
		rc = unsafe(r, err, "the reader process announced %" PRIu32 " sheets", r->nsheets);
		goto fail;
	}
	r->opened = true;
	*impl = r;
	*ops = &xls_ops;
	return XY_OK;
fail:
	xls_free(r);
	return rc;
}
