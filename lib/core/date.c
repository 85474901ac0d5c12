#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "xinyong/date.h"

/* Written digit by digit: the importer formats four dates a row, and snprintf
 * cost ~1,700 instructions each (4 % of an import).  Callers pass valid dates. */
static void fmt_date(char out[11], int y, int m, int d)
{
	unsigned uy = (unsigned)y % 10000u, um = (unsigned)m % 100u, ud = (unsigned)d % 100u;
	out[0] = (char)('0' + uy / 1000);
	out[1] = (char)('0' + uy / 100 % 10);
	out[2] = (char)('0' + uy / 10 % 10);
	out[3] = (char)('0' + uy % 10);
	out[4] = '-';
	out[5] = (char)('0' + um / 10);
	out[6] = (char)('0' + um % 10);
	out[7] = '-';
	out[8] = (char)('0' + ud / 10);
	out[9] = (char)('0' + ud % 10);
	out[10] = '\0';
}

bool xy_date_valid(int y, int m, int d)
{
	static const int mdays[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	int leap;
	if (y < 1 || y > 9999 || m < 1 || m > 12 || d < 1)
		return false;
	leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
	return d <= mdays[m - 1] + (m == 2 && leap);
}

/* Read 1..max digits; returns digits read. */
static int digits(const char **p, int max, int *val)
{
	int n = 0, v = 0;
	while (n < max && **p >= '0' && **p <= '9') {
		v = v * 10 + (**p - '0');
		(*p)++;
		n++;
	}
	*val = v;
	return n;
}

static bool eat(const char **p, const char *lit)
{
	size_t n = strlen(lit);
	if (strncmp(*p, lit, n) == 0) {
		*p += n;
		return true;
	}
	return false;
}

xy_code xy_date_parse(const char *s, char out[11])
{
	const char *p = s;
	int y, m, d, n;
	while (*p == ' ' || *p == '\t')
		p++;
	n = digits(&p, 8, &y);
	if (n == 8) {
		d = y % 100;
		m = y / 100 % 100;
		y /= 10000;
	} else if (n == 4) {
		bool cn = false;
		char sep = *p; /* both separators must be the same: 2019-10/15 is a typo */
		if (eat(&p, "年"))
			cn = true;
		else if (sep == '-' || sep == '/' || sep == '.')
			p++;
		else
			return XY_ERR_INVALID;
		if (!digits(&p, 2, &m))
			return XY_ERR_INVALID;
		if (cn ? !eat(&p, "月") : *p++ != sep)
			return XY_ERR_INVALID;
		if (!digits(&p, 2, &d))
			return XY_ERR_INVALID;
		if (cn && !eat(&p, "日"))
			return XY_ERR_INVALID;
	} else {
		return XY_ERR_INVALID;
	}
	/* Allow a trailing time part ("2019-10-15 00:00:00", "…T08:00") or blanks. */
	if (*p == ' ' || *p == 'T') {
		const char *q = p + 1;
		int hh;
		while (*q == ' ')
			q++;
		if (*q && (!digits(&q, 2, &hh) || *q != ':'))
			return XY_ERR_INVALID;
		p += strlen(p);
	}
	if (*p)
		return XY_ERR_INVALID;
	if (!xy_date_valid(y, m, d))
		return XY_ERR_INVALID;
	fmt_date(out, y, m, d);
	return XY_OK;
}

/* Howard Hinnant's days_from_civil / civil_from_days. */
long xy_date_days(int y, int m, int d)
{
	long era, yoe, doy, doe;
	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

void xy_date_from_days(long z, int *y, int *m, int *d)
{
	long era, doe, yoe, doy, mp;
	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = (int)(yoe + era * 400 + (*m <= 2));
}

xy_code xy_date_from_serial(double serial, char out[11])
{
	long n;
	int y, m, d;
	if (!(serial >= 1 && serial < 2958466))
		return XY_ERR_INVALID;
	n = (long)serial;
	if (n == 60) /* Lotus 1-2-3's phantom 1900-02-29: no real date */
		return XY_ERR_INVALID;
	if (n > 60)
		n--;
	xy_date_from_days(xy_date_days(1899, 12, 31) + n, &y, &m, &d);
	fmt_date(out, y, m, d);
	return XY_OK;
}

void xy_time_iso(int64_t t, char out[32])
{
	time_t tt = (time_t)t;
	struct tm tm;
	gmtime_r(&tt, &tm);
	strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

int64_t xy_time_now(void)
{
	const char *env = getenv("XINYONG_NOW");
	struct tm tm = { 0 };
	char back[32];
	const char *e = env ? strptime(env, "%Y-%m-%dT%H:%M:%SZ", &tm) : NULL;
	if (e && !*e) {
		int64_t t = (int64_t)timegm(&tm);
		xy_time_iso(t, back);
		if (!strcmp(back, env)) /* no 2019-02-30T… */
			return t;
	}
	return (int64_t)time(NULL);
}

void xy_time_upload(char out[32])
{
	xy_time_iso(xy_time_now(), out);
}

void xy_date_today(char out[11])
{
	const char *env = getenv("XINYONG_TODAY");
	time_t t;
	struct tm tm;
	if (env && xy_date_parse(env, out) == XY_OK)
		return;
	t = time(NULL);
	localtime_r(&t, &tm);
	fmt_date(out, tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
}
