/* The configuration's TSV reader (see include/xinyong/tsv.h). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xinyong/buf.h"
#include "xinyong/tsv.h"

/* Take over the text read into b: no NUL bytes, a BOM dropped. */
static xy_code finish(xy_tsv *t, xy_buf *b, xy_error *err)
{
	if (b->len && memchr(b->data, '\0', b->len)) {
		xy_buf_release(b);
		return xy_error_at(err, XY_ERR_CONFIG, t->path, 0, NULL, "NUL byte in a text file");
	}
	if (b->len >= 3 && memcmp(b->data, "\xEF\xBB\xBF", 3) == 0) /* a BOM from an editor */
		memmove(b->data, b->data + 3, b->len - 2);
	t->text = xy_buf_detach(b, NULL);
	if (!t->text)
		return xy_error_set(err, XY_ERR_NOMEM, "out of memory");
	t->next = t->text;
	return XY_OK;
}

xy_code xy_tsv_open(xy_tsv *t, const char *path, size_t limit, xy_error *err)
{
	FILE *f;
	xy_buf b = XY_BUF_INIT;
	char chunk[8192];
	size_t n;
	memset(t, 0, sizeof *t);
	snprintf(t->path, sizeof t->path, "%s", path);
	if (!(f = fopen(path, "rb")))
		return xy_error_at(err, XY_ERR_IO, path, 0, NULL, "cannot open: %s", strerror(errno));
	b.limit = limit;
	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
		if (xy_buf_add(&b, chunk, n)) {
			fclose(f);
			xy_buf_release(&b);
			return xy_error_at(err, XY_ERR_CONFIG, path, 0, NULL,
					   "file larger than %zu bytes", limit);
		}
	if (ferror(f)) {
		fclose(f);
		xy_buf_release(&b);
		return xy_error_at(err, XY_ERR_IO, path, 0, NULL, "read error");
	}
	fclose(f);
	return finish(t, &b, err);
}

xy_code xy_tsv_open_text(xy_tsv *t, const char *name, const char *text, size_t len,
			 xy_error *err)
{
	xy_buf b = XY_BUF_INIT;
	memset(t, 0, sizeof *t);
	snprintf(t->path, sizeof t->path, "%s", name);
	if (xy_buf_add(&b, text, len)) {
		xy_buf_release(&b);
		return xy_error_set(err, XY_ERR_NOMEM, "out of memory");
	}
	return finish(t, &b, err);
}

int xy_tsv_next(xy_tsv *t)
{
	while (t->next && *t->next) {
		char *line = t->next, *nl = strchr(line, '\n'), *p;
		t->line++;
		if (nl) {
			*nl = '\0';
			t->next = nl + 1;
			if (nl > line && nl[-1] == '\r')
				nl[-1] = '\0';
		} else {
			t->next = NULL;
		}
		if (line[0] == '#' || line[0] == '\0')
			continue;
		t->ncol = 0;
		t->toomany = false;
		for (p = line;;) {
			char *tab = strchr(p, '\t');
			if (t->ncol < XY_TSV_MAXCOL)
				t->col[t->ncol++] = p;
			else
				t->toomany = true;
			if (!tab)
				break;
			*tab = '\0';
			p = tab + 1;
		}
		return 1;
	}
	return 0;
}

const char *xy_tsv_col(const xy_tsv *t, size_t i)
{
	return i < t->ncol ? t->col[i] : "";
}

xy_code xy_tsv_header(xy_tsv *t, const char *const *names, size_t n, xy_error *err)
{
	if (!xy_tsv_next(t))
		return xy_error_at(err, XY_ERR_CONFIG, t->path, t->line, NULL,
				   "empty file: no header line");
	for (size_t i = 0; i < n; i++)
		if (strcmp(xy_tsv_col(t, i), names[i]) != 0)
			return xy_error_at(err, XY_ERR_CONFIG, t->path, t->line, names[i],
					   "header column %zu should be '%s', not '%s'", i + 1,
					   names[i], xy_tsv_col(t, i));
	return XY_OK;
}

void xy_tsv_close(xy_tsv *t)
{
	free(t->text);
	t->text = NULL;
}
