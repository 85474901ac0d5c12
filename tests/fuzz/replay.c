/* The harnesses without libFuzzer: feed every regular file of the
 * directories (or files) named on the command line to LLVMFuzzerTestOneInput
 * once, in name order.  Part of `make test` (tests/run.sh), in the normal and
 * the ASan/UBSan build, so an input that once crashed, hung or leaked keeps
 * being tried.  A crash is the sanitizer's report and a non-zero exit; an
 * input that takes longer than XY_FUZZ_TIMEOUT seconds (default 20) is a
 * hang.  Prints "replayed N inputs" last. */
#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "xinyong/buf.h"
#include "fuzz.h"

static const char *current;

static void on_alarm(int sig)
{
	static const char msg[] = "xy_fuzz: hang: input took too long: ";
	(void)sig;
	if (write(2, msg, sizeof msg - 1) < 0 || write(2, current, strlen(current)) < 0 ||
	    write(2, "\n", 1) < 0)
		_exit(3);
	_exit(2);
}

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void replay_file(const char *path, unsigned timeout, long *n)
{
	FILE *f = fopen(path, "rb");
	xy_buf b = XY_BUF_INIT;
	char chunk[65536];
	size_t got;
	if (!f)
		xy_fuzz_fail("%s: %s", path, strerror(errno));
	while ((got = fread(chunk, 1, sizeof chunk, f)) > 0)
		if (xy_buf_add(&b, chunk, got))
			xy_fuzz_fail("%s: out of memory", path);
	if (ferror(f))
		xy_fuzz_fail("%s: read error", path);
	fclose(f);
	current = path;
	alarm(timeout);
	LLVMFuzzerTestOneInput((const uint8_t *)b.data, b.len);
	alarm(0);
	xy_buf_release(&b);
	(*n)++;
}

static void replay(const char *path, unsigned timeout, long *n)
{
	struct stat st;
	DIR *d;
	struct dirent *e;
	char **names = NULL;
	size_t nnames = 0, cap = 0;
	if (stat(path, &st) != 0)
		xy_fuzz_fail("%s: %s", path, strerror(errno));
	if (!S_ISDIR(st.st_mode)) {
		replay_file(path, timeout, n);
		return;
	}
	if (!(d = opendir(path)))
		xy_fuzz_fail("%s: %s", path, strerror(errno));
	while ((e = readdir(d))) {
		xy_buf full = XY_BUF_INIT;
		if (e->d_name[0] == '.' || strcmp(e->d_name, "README.md") == 0)
			continue;
		if (xy_buf_addf(&full, "%s/%s", path, e->d_name) ||
		    !(names = xy_array_grow(names, nnames, &cap, sizeof *names, 64)))
			xy_fuzz_fail("out of memory");
		names[nnames++] = xy_buf_detach(&full, NULL);
	}
	closedir(d);
	if (nnames) /* names is NULL for an empty directory */
		qsort(names, nnames, sizeof *names, by_name);
	for (size_t i = 0; i < nnames; i++) {
		if (stat(names[i], &st) == 0 && S_ISREG(st.st_mode))
			replay_file(names[i], timeout, n);
		free(names[i]);
	}
	free(names);
}

int main(int argc, char **argv)
{
	const char *t = getenv("XY_FUZZ_TIMEOUT");
	unsigned timeout = t && atoi(t) > 0 ? (unsigned)atoi(t) : 20;
	long n = 0;
	if (argc < 2) {
		fprintf(stderr, "usage: %s DIR|FILE...\n", argv[0]);
		return 2;
	}
	signal(SIGALRM, on_alarm);
	for (int i = 1; i < argc; i++)
		replay(argv[i], timeout, &n);
	printf("replayed %ld inputs\n", n);
	return 0;
}
