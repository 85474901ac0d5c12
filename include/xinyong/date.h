/* xinyong: calendar dates as the office writes them.  Pure functions. */
#ifndef XINYONG_DATE_H
#define XINYONG_DATE_H

#include <stdbool.h>
#include <stdint.h>

#include "error.h"

bool xy_date_valid(int y, int m, int d);

/* Parse a date written as YYYY-MM-DD, YYYY/M/D, YYYY.M.D, YYYYMMDD or
 * YYYY年M月D日 (a time part after a space or 'T' is ignored) into
 * out = "YYYY-MM-DD".  Returns XY_ERR_INVALID for anything else, including
 * impossible dates (2019-02-29). */
xy_code xy_date_parse(const char *s, char out[11]);

/* Excel/LibreOffice serial day number (1900 system: 1 = 1900-01-01, with
 * Lotus's phantom 1900-02-29 = 60) to "YYYY-MM-DD".  Returns XY_ERR_INVALID
 * outside 1..2958465 (9999-12-31). */
xy_code xy_date_from_serial(double serial, char out[11]);

/* Today's date (local time) as YYYY-MM-DD; $XINYONG_TODAY overrides it so
 * tests can pin the calendar. */
void xy_date_today(char out[11]);

/* Unix time t as UTC "YYYY-MM-DDTHH:MM:SSZ" (the form the store stamps
 * changes with); out has room for 32 bytes. */
void xy_time_iso(int64_t t, char out[32]);

/* The clock xinyong stamps what it creates with — an import batch's upload
 * time (started_at, finished_at: data quality measures lags from it), a
 * token's creation and the start of its validity: now as Unix time;
 * $XINYONG_NOW (YYYY-MM-DDTHH:MM:SSZ, UTC) overrides it, as $XINYONG_TODAY
 * does the date, so tests can pin an upload time or make a token that has
 * expired since.  Checks of what exists (is this token still valid?) use the
 * real clock. */
int64_t xy_time_now(void);
/* xy_time_now() as xy_time_iso gives it. */
void xy_time_upload(char out[32]);

/* Days from 1970-01-01 (may be negative); the inverse. */
long xy_date_days(int y, int m, int d);
void xy_date_from_days(long days, int *y, int *m, int *d);

#endif
