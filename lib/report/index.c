/* City credit monitoring (城市信用监测): the monthly 综合指数 and national
 * rank — parsing, the TSV the office keeps, ranges (include/xinyong/index.h). */
#include <errno.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xinyong/auth.h"
#include "xinyong/buf.h"
#include "xinyong/index.h"
#include "xinyong/text.h"

#define TSV_MAX (1u << 20)  /* a monitoring TSV has a line per month */
#define TSV_MAX_ROWS 10000

/* ---- values ---- */

static bool all_digits(const char *s, size_t n)
{
	if (!n)
		return false;
	for (size_t i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return false;
	return true;
}

/* "2019-08", "2019.8", "2019/08", "2019年8月" → "2019-08". */
static bool parse_month(const char *s, char out[8])
{
	size_t len = strlen(s), n;
	const char *p = xy_trim(s, &len);
	size_t ylen = 0;
	int y, m;
	while (ylen < len && p[ylen] >= '0' && p[ylen] <= '9')
		ylen++;
	if (ylen != 4)
		return false;
	y = atoi(p);
	p += 4;
	len -= 4;
	if (len >= 3 && memcmp(p, "年", 3) == 0) {
		p += 3;
		len -= 3;
	} else if (len >= 1 && (*p == '-' || *p == '.' || *p == '/')) {
		p++;
		len--;
	} else {
		return false;
	}
	n = 0;
	while (n < len && p[n] >= '0' && p[n] <= '9')
		n++;
	if (n < 1 || n > 2 || !all_digits(p, n))
		return false;
	m = atoi(p);
	p += n;
	len -= n;
	if (len == 3 && memcmp(p, "月", 3) == 0)
		len = 0;
	if (len || y < 1900 || y > 2999 || m < 1 || m > 12)
		return false;
	out[0] = (char)('0' + y / 1000);
	out[1] = (char)('0' + y / 100 % 10);
	out[2] = (char)('0' + y / 10 % 10);
	out[3] = (char)('0' + y % 10);
	out[4] = '-';
	out[5] = (char)('0' + m / 10);
	out[6] = (char)('0' + m % 10);
	out[7] = '\0';
	return true;
}

xy_code xy_city_index_parse(const char *month, const char *score, const char *rank,
			    xy_city_index *out, xy_error *err)
{
	xy_city_index v;
	char *end;
	double d;
	long r;
	size_t len;
	const char *p;
	char tmp[64];

	memset(&v, 0, sizeof v);
	if (!month || !parse_month(month, v.month))
		return xy_error_at(err, XY_ERR_INVALID, NULL, 0, "月份",
				   "month '%s' is not YYYY-MM (月份应为 YYYY-MM)", month ? month : "");
	len = score ? strlen(score) : 0;
	p = score ? xy_trim(score, &len) : "";
	if (!len || len >= sizeof tmp)
		return xy_error_at(err, XY_ERR_INVALID, NULL, 0, "综合指数",
				   "score '%s' is not a number (综合指数应为 0–100 的数)",
				   score ? score : "");
	memcpy(tmp, p, len);
	tmp[len] = '\0';
	errno = 0;
	d = strtod(tmp, &end);
	if (*end || errno || !isfinite(d) || d < 0 || d > 100)
		return xy_error_at(err, XY_ERR_INVALID, NULL, 0, "综合指数",
				   "score '%s' is not a number from 0 to 100 (综合指数应为 0–100)",
				   tmp);
	v.score = d;
	len = rank ? strlen(rank) : 0;
	p = rank ? xy_trim(rank, &len) : "";
	if (!len || len >= sizeof tmp || !all_digits(p, len))
		return xy_error_at(err, XY_ERR_INVALID, NULL, 0, "排名",
				   "rank '%s' is not a whole number >= 1 (排名应为正整数)",
				   rank ? rank : "");
	memcpy(tmp, p, len);
	tmp[len] = '\0';
	errno = 0;
	r = strtol(tmp, &end, 10);
	if (*end || errno || r < 1 || r > 100000)
		return xy_error_at(err, XY_ERR_INVALID, NULL, 0, "排名",
				   "rank '%s' is not a whole number >= 1 (排名应为正整数)", tmp);
	v.rank = (int)r;
	*out = v;
	return XY_OK;
}

static int month_cmp(const void *a, const void *b)
{
	return strcmp(((const xy_city_index *)a)->month, ((const xy_city_index *)b)->month);
}

/* Split line[0..len) at tabs into at most max fields (pointers into a copy). */
static size_t split_tabs(char *line, char **f, size_t max)
{
	size_t n = 0;
	char *p = line;
	while (n < max) {
		char *t = strchr(p, '\t');
		f[n++] = p;
		if (!t)
			break;
		*t = '\0';
		p = t + 1;
	}
	return n;
}

static bool header_is(const char *h, const char *zh, const char *en)
{
	size_t len = strlen(h);
	const char *p = xy_trim(h, &len);
	return (len == strlen(zh) && memcmp(p, zh, len) == 0) ||
	       (len == strlen(en) && strncasecmp(p, en, len) == 0);
}

xy_code xy_city_index_read_tsv(const char *path, xy_city_index **out, size_t *n,
			       xy_error *err)
{
	xy_buf b = XY_BUF_INIT;
	xy_city_index *v = NULL;
	size_t nv = 0;
	FILE *f;
	char chunk[8192], *line, *next;
	size_t got;
	long row = 0;
	int col[3] = { -1, -1, -1 };
	xy_code rc = XY_OK;

	*out = NULL;
	*n = 0;
	xy_buf_init(&b, TSV_MAX);
	if (!(f = fopen(path, "rb")))
		return xy_error_at(err, XY_ERR_IO, path, 0, NULL, "cannot open: %s",
				   strerror(errno));
	while ((got = fread(chunk, 1, sizeof chunk, f)) > 0)
		if ((rc = xy_buf_add(&b, chunk, got))) {
			fclose(f);
			xy_buf_release(&b);
			return xy_error_at(err, rc, path, 0, NULL, "larger than %u bytes",
					   TSV_MAX);
		}
	if (ferror(f)) {
		fclose(f);
		xy_buf_release(&b);
		return xy_error_at(err, XY_ERR_IO, path, 0, NULL, "read error");
	}
	fclose(f);
	if (xy_utf8_len(b.data, b.len) == (size_t)-1) {
		xy_buf_release(&b);
		return xy_error_at(err, XY_ERR_ENCODING, path, 0, NULL, "not UTF-8 text");
	}
	line = b.data;
	if (b.len >= 3 && memcmp(line, "\xEF\xBB\xBF", 3) == 0)
		line += 3;
	for (; line && *line; line = next) {
		char *f3[16];
		size_t nf, len;
		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		len = strlen(line);
		if (len && line[len - 1] == '\r')
			line[--len] = '\0';
		row++;
		xy_trim(line, &len);
		if (!len)
			continue;
		nf = split_tabs(line, f3, 16);
		if (col[0] < 0) {
			for (size_t i = 0; i < nf; i++) {
				if (header_is(f3[i], "月份", "month"))
					col[0] = (int)i;
				else if (header_is(f3[i], "综合指数", "score"))
					col[1] = (int)i;
				else if (header_is(f3[i], "排名", "rank"))
					col[2] = (int)i;
			}
			if (col[0] < 0 || col[1] < 0 || col[2] < 0) {
				rc = xy_error_at(err, XY_ERR_FORMAT, path, row, NULL,
						 "the header must name 月份, 综合指数 and 排名");
				goto fail;
			}
			continue;
		}
		{
			xy_city_index x;
			size_t i;
			const char *cell[3];
			for (int k = 0; k < 3; k++)
				cell[k] = (size_t)col[k] < nf ? f3[col[k]] : "";
			if ((rc = xy_city_index_parse(cell[0], cell[1], cell[2], &x, err))) {
				if (err) {
					size_t fl = strlen(path);
					if (fl >= sizeof err->file)
						fl = sizeof err->file - 1;
					memcpy(err->file, path, fl);
					err->file[fl] = '\0';
					err->row = row;
				}
				goto fail;
			}
			for (i = 0; i < nv && strcmp(v[i].month, x.month) != 0; i++)
				;
			if (i == nv) {
				xy_city_index *nvp;
				if (nv >= TSV_MAX_ROWS) {
					rc = xy_error_at(err, XY_ERR_LIMIT, path, row, NULL,
							 "more than %d months", TSV_MAX_ROWS);
					goto fail;
				}
				if (!(nvp = realloc(v, (nv + 1) * sizeof *v))) {
					rc = xy_error_set(err, XY_ERR_NOMEM, "out of memory");
					goto fail;
				}
				v = nvp;
				nv++;
			}
			v[i] = x;
		}
	}
	if (col[0] < 0) {
		rc = xy_error_at(err, XY_ERR_FORMAT, path, 0, NULL,
				 "empty: no header line 月份, 综合指数, 排名");
		goto fail;
	}
	xy_buf_release(&b);
	if (nv)
		qsort(v, nv, sizeof *v, month_cmp);
	*out = v;
	*n = nv;
	return XY_OK;
fail:
	free(v);
	xy_buf_release(&b);
	return rc;
}

size_t xy_city_index_range(xy_city_index *v, size_t n, const char *from, const char *to)
{
	size_t k = 0;
	for (size_t i = 0; i < n; i++) {
		if (from && strcmp(v[i].month, from) < 0)
			continue;
		if (to && strcmp(v[i].month, to) > 0)
			continue;
		v[k++] = v[i];
	}
	return k;
}

void xy_city_index_month_label(const char *month, char out[8])
{
	memcpy(out, month, 7);
	out[7] = '\0';
	if (out[4] == '-')
		out[4] = '.';
}

/* The figures of the month as the audit log digests them, "" when none. */
static xy_code month_figures(xy_store *s, const char *month, xy_buf *out, xy_error *err)
{
	xy_city_index *v = NULL;
	size_t n = 0;
	xy_code rc = xy_store_index_list(s, &v, &n, err);
	for (size_t i = 0; !rc && i < n; i++)
		if (!strcmp(v[i].month, month) &&
		    xy_buf_addf(out, "%s %.2f %d", v[i].month, v[i].score, v[i].rank))
			rc = xy_error_set(err, XY_ERR_NOMEM, "out of memory");
	free(v);
	return rc;
}

xy_code xy_city_index_put(xy_store *s, const char *who, const xy_city_index *v, xy_error *err)
{
	xy_buf before = XY_BUF_INIT, after = XY_BUF_INIT, object = XY_BUF_INIT;
	xy_code rc;
	if ((rc = xy_store_begin(s, false, err)))
		return rc;
	if (!(rc = month_figures(s, v->month, &before, err)) &&
	    !(rc = xy_store_index_put(s, v, err))) {
		if (xy_buf_addf(&after, "%s %.2f %d", v->month, v->score, v->rank) ||
		    xy_buf_addf(&object, "index:%s", v->month)) {
			rc = xy_error_set(err, XY_ERR_NOMEM, "out of memory");
		} else {
			xy_audit_entry e = { .who = who && *who ? who : "index",
					     .action = "index.put", .object = object.data,
					     .detail = after.data,
					     .before = before.len ? before.data : NULL,
					     .before_len = before.len, .after = after.data,
					     .after_len = after.len };
			rc = xy_audit_append(s, &e, NULL, err);
		}
	}
	if (rc)
		xy_store_rollback(s, NULL);
	else
		rc = xy_store_commit(s, err);
	xy_buf_release(&before);
	xy_buf_release(&after);
	xy_buf_release(&object);
	return rc;
}
