/* Calendar dates (lib/core/date.c). */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "xinyong/date.h"

/* ---- parsing: every accepted form ---- */

static const struct {
	const char *in, *out;
} good[] = {
	{ "2019-10-15", "2019-10-15" },
	{ "2019-1-5", "2019-01-05" },
	{ "2019/10/15", "2019-10-15" },
	{ "2019/1/5", "2019-01-05" },
	{ "2019.10.15", "2019-10-15" },
	{ "2019.1.5", "2019-01-05" },
	{ "20191015", "2019-10-15" },
	{ "20000229", "2000-02-29" },
	{ "2019年10月15日", "2019-10-15" },
	{ "2019年1月5日", "2019-01-05" },
	{ "2019年01月05日", "2019-01-05" },
	{ "2019-10-15 00:00:00", "2019-10-15" },
	{ "2019-10-15 8:30", "2019-10-15" },
	{ "2019-10-15T08:00:00", "2019-10-15" },
	{ "2019-10-15T08:00:00Z", "2019-10-15" },
	{ "2019/1/5 23:59:59", "2019-01-05" },
	{ "20191015 12:00", "2019-10-15" },
	{ "2019年10月15日 10:00", "2019-10-15" },
	{ "  2019-10-15", "2019-10-15" },
	{ "2019-10-15 ", "2019-10-15" },
	{ "2024-02-29", "2024-02-29" },
	{ "2000-02-29", "2000-02-29" },
	{ "1900-02-28", "1900-02-28" },
	{ "0001-01-01", "0001-01-01" },
	{ "9999-12-31", "9999-12-31" },
	{ "2019-12-31", "2019-12-31" },
	{ "2019-04-30", "2019-04-30" },
};

Test(date, parse_accepted_forms)
{
	for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
		char out[11];
		memset(out, '?', sizeof out);
		cr_expect_eq(xy_date_parse(good[i].in, out), XY_OK, "'%s' refused", good[i].in);
		cr_expect_str_eq(out, good[i].out, "'%s'", good[i].in);
	}
}

static const char *const bad[] = {
	"",
	" ",
	"2019-02-29",   /* not a leap year */
	"2100-02-29",   /* century, not leap */
	"1900-02-29",   /* Lotus's phantom day is not a date */
	"2019-13-01",
	"2019-00-10",
	"2019-10-00",
	"2019-10-32",
	"2019-04-31",
	"2019-06-31",
	"20190230",
	"20191301",
	"2019年2月30日",
	"2019年10月15",   /* missing 日 */
	"2019年10-15日",  /* mixed */
	"2019-10",
	"2019",
	"19-10-15",
	"2019-10-15abc",
	"2019-10-15日",
	"2019-10-15x",
	"2019-10-15 junk",
	"2019-10-15 12",   /* a time needs hh: */
	"2019-10-1500",
	"2019-100-15",
	"201910151",
	"2019101",
	"10/15/2019",
	"15.10.2019",
	"abcd-ef-gh",
	"-2019-10-15",
	"2019--10-15",
	"2019-10--15",
	"0000-01-01",
	"２０１９-10-15", /* full-width digits are not accepted here */
	"2019-10/15",     /* separators must agree */
	"2019/10-15",
	"2019.10/15",
};

Test(date, parse_rejections)
{
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		char out[11] = "unchanged";
		cr_expect_eq(xy_date_parse(bad[i], out), XY_ERR_INVALID, "'%s' accepted as %s",
			     bad[i], out);
	}
}

/* ---- leap years ---- */

Test(date, leap_years)
{
	static const struct {
		int y;
		bool leap;
	} years[] = {
		{ 2000, true },  { 2100, false }, { 2024, true }, { 2023, false },
		{ 1900, false }, { 2400, true },  { 1600, true }, { 2019, false },
		{ 4, true },     { 1, false },    { 9996, true }, { 9999, false },
	};
	for (size_t i = 0; i < sizeof years / sizeof years[0]; i++) {
		char in[16], out[11];
		int y = years[i].y;
		cr_expect_eq(xy_date_valid(y, 2, 29), years[i].leap, "%d", y);
		cr_expect(xy_date_valid(y, 2, 28), "%d-02-28", y);
		cr_expect_not(xy_date_valid(y, 2, 30), "%d-02-30", y);
		snprintf(in, sizeof in, "%04d-02-29", y);
		cr_expect_eq(xy_date_parse(in, out) == XY_OK, years[i].leap, "%s", in);
		/* the day count agrees: Feb 29 exists iff Mar 1 - Feb 28 == 2 */
		cr_expect_eq(xy_date_days(y, 3, 1) - xy_date_days(y, 2, 28),
			     years[i].leap ? 2 : 1, "%d", y);
	}
}

Test(date, valid_bounds)
{
	cr_expect_not(xy_date_valid(0, 1, 1));
	cr_expect_not(xy_date_valid(10000, 1, 1));
	cr_expect_not(xy_date_valid(2019, 0, 1));
	cr_expect_not(xy_date_valid(2019, 13, 1));
	cr_expect_not(xy_date_valid(2019, 1, 0));
	cr_expect_not(xy_date_valid(2019, 1, -1));
	cr_expect(xy_date_valid(2019, 1, 31));
	cr_expect_not(xy_date_valid(2019, 11, 31));
}

/* ---- spreadsheet serial numbers ---- */

Test(date, from_serial_table)
{
	static const struct {
		double serial;
		const char *out; /* NULL: invalid */
	} cases[] = {
		{ 45352, "2024-03-01" },
		{ 1, "1900-01-01" },
		{ 2, "1900-01-02" },
		{ 31, "1900-01-31" },
		{ 32, "1900-02-01" },
		{ 59, "1900-02-28" },
		{ 60, NULL }, /* 1900-02-29 does not exist */
		{ 61, "1900-03-01" },
		{ 366, "1900-12-31" },
		{ 367, "1901-01-01" },
		{ 25569, "1970-01-01" },
		{ 36526, "2000-01-01" },
		{ 43753, "2019-10-15" },
		{ 45351, "2024-02-29" },
		{ 2958465, "9999-12-31" },
		{ 45352.75, "2024-03-01" }, /* a time of day is dropped */
		{ 1.999, "1900-01-01" },
		{ 0, NULL },
		{ 0.5, NULL },
		{ -1, NULL },
		{ 2958466, NULL },
		{ 1e12, NULL },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char out[11] = "";
		xy_code rc = xy_date_from_serial(cases[i].serial, out);
		if (cases[i].out) {
			cr_expect_eq(rc, XY_OK, "serial %g refused", cases[i].serial);
			cr_expect_str_eq(out, cases[i].out, "serial %g", cases[i].serial);
		} else {
			cr_expect_eq(rc, XY_ERR_INVALID, "serial %g accepted as %s", cases[i].serial,
				     out);
		}
	}
	cr_expect_eq(xy_date_from_serial(NAN, (char[11]){ 0 }), XY_ERR_INVALID);
	cr_expect_eq(xy_date_from_serial(INFINITY, (char[11]){ 0 }), XY_ERR_INVALID);
}

/* Serial numbers after the phantom day are consecutive days. */
Test(date, from_serial_consecutive)
{
	char prev[11], cur[11];
	int y, m, d;
	cr_assert_eq(xy_date_from_serial(61, prev), XY_OK);
	for (long s = 62; s < 62 + 3000; s++) {
		cr_assert_eq(xy_date_from_serial((double)s, cur), XY_OK);
		cr_assert_eq(sscanf(prev, "%d-%d-%d", &y, &m, &d), 3);
		{
			long dp = xy_date_days(y, m, d);
			int y2, m2, d2;
			cr_assert_eq(sscanf(cur, "%d-%d-%d", &y2, &m2, &d2), 3);
			cr_assert_eq(xy_date_days(y2, m2, d2), dp + 1, "%ld: %s after %s", s, cur, prev);
		}
		memcpy(prev, cur, sizeof cur);
	}
}

/* ---- day numbers ---- */

Test(date, days_known_values)
{
	cr_expect_eq(xy_date_days(1970, 1, 1), 0);
	cr_expect_eq(xy_date_days(1970, 1, 2), 1);
	cr_expect_eq(xy_date_days(1969, 12, 31), -1);
	cr_expect_eq(xy_date_days(2000, 3, 1), 11017);
	cr_expect_eq(xy_date_days(2024, 3, 1), 19783);
	cr_expect_eq(xy_date_days(1900, 1, 1), -25567);
	cr_expect_eq(xy_date_days(1, 1, 1), -719162);
	cr_expect_eq(xy_date_days(9999, 12, 31), 2932896);
}

/* Walk every day from 1600-01-01 to 2400-12-31: the inverse gives back a valid
 * date that follows the previous one. */
Test(date, days_round_trip_range)
{
	long from = xy_date_days(1600, 1, 1), to = xy_date_days(2400, 12, 31);
	int py = 1599, pm = 12, pd = 31;
	cr_assert_eq(to - from + 1, 801L * 365 + 195, "801 years of Gregorian days");
	for (long z = from; z <= to; z++) {
		int y, m, d;
		xy_date_from_days(z, &y, &m, &d);
		cr_assert(xy_date_valid(y, m, d), "%ld -> %d-%d-%d", z, y, m, d);
		cr_assert_eq(xy_date_days(y, m, d), z, "%d-%02d-%02d", y, m, d);
		/* successor of the previous day */
		if (d == 1) {
			cr_assert(m == 1 ? (py == y - 1 && pm == 12 && pd == 31)
					 : (py == y && pm == m - 1 && !xy_date_valid(py, pm, pd + 1)),
				  "%d-%02d-%02d after %d-%02d-%02d", y, m, d, py, pm, pd);
		} else {
			cr_assert(py == y && pm == m && pd == d - 1);
		}
		py = y;
		pm = m;
		pd = d;
	}
	cr_assert(py == 2400 && pm == 12 && pd == 31);
}

/* ---- today ---- */

Test(date, today_override)
{
	char out[11];
	cr_assert_eq(setenv("XINYONG_TODAY", "2026-11-26", 1), 0);
	xy_date_today(out);
	cr_expect_str_eq(out, "2026-11-26");
	cr_assert_eq(setenv("XINYONG_TODAY", "2024年2月29日", 1), 0);
	xy_date_today(out);
	cr_expect_str_eq(out, "2024-02-29");
	unsetenv("XINYONG_TODAY");
}

/* Without (or with an unusable) override it is the real local date. */
Test(date, today_real_clock)
{
	static const char *const envs[] = { NULL, "", "not a date", "2019-02-29" };
	for (size_t i = 0; i < sizeof envs / sizeof envs[0]; i++) {
		char out[11], a[11], b[11];
		time_t t;
		struct tm tm;
		if (envs[i])
			setenv("XINYONG_TODAY", envs[i], 1);
		else
			unsetenv("XINYONG_TODAY");
		t = time(NULL);
		localtime_r(&t, &tm);
		strftime(a, sizeof a, "%Y-%m-%d", &tm);
		xy_date_today(out);
		t = time(NULL);
		localtime_r(&t, &tm);
		strftime(b, sizeof b, "%Y-%m-%d", &tm);
		cr_expect(strcmp(out, a) == 0 || strcmp(out, b) == 0, "env '%s': %s, clock %s",
			  envs[i] ? envs[i] : "(unset)", out, a);
	}
	unsetenv("XINYONG_TODAY");
}
