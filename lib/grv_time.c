/* grv_time.c: timestamps with offsets, --now, calendar and working days. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "grv_time.h"

/* Howard Hinnant's days_from_civil / civil_from_days. */
int64_t
grv_days_from_civil(int y, int m, int d)
{
	int64_t era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

void
grv_civil_from_days(int64_t z, int *y, int *m, int *d)
{
	int64_t era, doe, yoe, doy, mp;

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

int
grv_weekday(int64_t days)
{
	/* 1970-01-01 was a Thursday (4). */
	return (int)(((days % 7) + 11) % 7);
}

static int
days_in_month(int y, int m)
{
	static const int dm[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30,
	    31 };

	if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
		return 29;
	return dm[m - 1];
}

static int
digits(const char *s, int n, int *out)
{
	int v = 0, i;

	for (i = 0; i < n; i++) {
		if (!isdigit((unsigned char)s[i]))
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	*out = v;
	return 0;
}

int
grv_tz_parse(const char *s, int *out)
{
	int h, m, sign;

	if (strcmp(s, "Z") == 0 || strcmp(s, "z") == 0) {
		*out = 0;
		return 0;
	}
	if (s[0] != '+' && s[0] != '-')
		return -1;
	sign = s[0] == '-' ? -1 : 1;
	if (digits(s + 1, 2, &h) == -1)
		return -1;
	if (s[3] == ':') {
		if (digits(s + 4, 2, &m) == -1 || s[6] != '\0')
			return -1;
	} else if (digits(s + 3, 2, &m) == -1 || s[5] != '\0')
		return -1;
	if (h > 14 || m > 59)
		return -1;
	*out = sign * (h * 60 + m);
	return 0;
}

int
grv_time_parse(const char *s, int deftz, grv_time_t *out)
{
	int y, mo, d, h = 0, mi = 0, se = 0, tz = deftz;
	size_t n = strlen(s);
	const char *rest;

	if (n < 10 || digits(s, 4, &y) || s[4] != '-' || digits(s + 5, 2, &mo)
	    || s[7] != '-' || digits(s + 8, 2, &d))
		return -1;
	if (mo < 1 || mo > 12 || d < 1 || d > days_in_month(y, mo))
		return -1;
	rest = s + 10;
	if (*rest == 'T' || *rest == 't' || *rest == ' ') {
		if (digits(rest + 1, 2, &h) || rest[3] != ':' ||
		    digits(rest + 4, 2, &mi))
			return -1;
		rest += 6;
		if (*rest == ':') {
			if (digits(rest + 1, 2, &se))
				return -1;
			rest += 3;
		}
		if (h > 23 || mi > 59 || se > 59)
			return -1;
	}
	if (*rest != '\0' && grv_tz_parse(rest, &tz) == -1)
		return -1;
	*out = grv_days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + se
	    - (int64_t)tz * 60;
	return 0;
}

int
grv_time_parse_ts(const char *s, size_t n, grv_time_t *out)
{
	char tmp[GRV_TSLEN + 1];

	/* 2024-06-01T10:15:00+05:30 or 2024-06-01T10:15:00Z */
	if ((n != 25 && n != 20) || s[10] != 'T' || s[13] != ':' ||
	    s[16] != ':')
		return -1;
	if (n == 25) {
		/* The form every ledger row has, without a copy: the
		   same checks as grv_time_parse below.  Rows in a row
		   mostly share their day and offset: the last seen on
		   this thread is kept, and only the clock read again. */
		static _Thread_local struct {
			char	 key[16];	/* the date, the offset */
			int64_t	 base;		/* the day's start, UTC */
		} last;
		static const signed char at[] = { 0, 1, 2, 3, 5, 6, 8, 9, 11,
		    12, 14, 15, 17, 18, 20, 21, 23, 24 };
		int v[18], i, y, mo, d, h, mi, se, tz;

		for (i = 8; i < 14; i++) {
			if (s[at[i]] < '0' || s[at[i]] > '9')
				return -1;
			v[i] = s[at[i]] - '0';
		}
		h = v[8] * 10 + v[9];
		mi = v[10] * 10 + v[11];
		se = v[12] * 10 + v[13];
		if (h > 23 || mi > 59 || se > 59)
			return -1;
		if (last.key[0] && memcmp(s, last.key, 10) == 0 &&
		    memcmp(s + 19, last.key + 10, 6) == 0) {
			*out = last.base + h * 3600 + mi * 60 + se;
			return 0;
		}
		for (i = 0; i < 18; i++) {
			if (s[at[i]] < '0' || s[at[i]] > '9')
				return -1;
			v[i] = s[at[i]] - '0';
		}
		if (s[4] != '-' || s[7] != '-' || s[22] != ':' ||
		    (s[19] != '+' && s[19] != '-'))
			return -1;
		y = v[0] * 1000 + v[1] * 100 + v[2] * 10 + v[3];
		mo = v[4] * 10 + v[5];
		d = v[6] * 10 + v[7];
		tz = (v[14] * 10 + v[15]) * 60 + v[16] * 10 + v[17];
		if (mo < 1 || mo > 12 || d < 1 || d > days_in_month(y, mo) ||
		    v[14] * 10 + v[15] > 14 || v[16] * 10 + v[17] > 59)
			return -1;
		if (s[19] == '-')
			tz = -tz;
		last.base = grv_days_from_civil(y, mo, d) * 86400 -
		    (int64_t)tz * 60;
		memcpy(last.key, s, 10);
		memcpy(last.key + 10, s + 19, 6);
		*out = last.base + h * 3600 + mi * 60 + se;
		return 0;
	}
	memcpy(tmp, s, n);
	tmp[n] = '\0';
	if (n == 25 && tmp[22] != ':')
		return -1;
	return grv_time_parse(tmp, 0, out);
}

void
grv_time_format(grv_time_t t, int tz, char buf[GRV_TSLEN])
{
	int64_t lt = t + (int64_t)tz * 60, days, secs;
	int y, m, d, a = tz < 0 ? -tz : tz;
	char tmp[96];

	days = lt >= 0 ? lt / 86400 : -((-lt + 86399) / 86400);
	secs = lt - days * 86400;
	grv_civil_from_days(days, &y, &m, &d);
	if (y >= 0 && y <= 9999) {
		/* The usual case by hand: every row written or shown formats
		   two or three of these, and snprintf dominated writers. */
		char *o = buf;
		int v[6] = { y, m, d, (int)(secs / 3600),
		    (int)(secs / 60 % 60), (int)(secs % 60) };
		static const char sep[] = "--T::";
		int i;

		*o++ = (char)('0' + v[0] / 1000);
		*o++ = (char)('0' + v[0] / 100 % 10);
		*o++ = (char)('0' + v[0] / 10 % 10);
		*o++ = (char)('0' + v[0] % 10);
		for (i = 1; i < 6; i++) {
			*o++ = sep[i - 1];
			*o++ = (char)('0' + v[i] / 10);
			*o++ = (char)('0' + v[i] % 10);
		}
		if (tz == 0)
			*o++ = 'Z';
		else {
			*o++ = tz < 0 ? '-' : '+';
			*o++ = (char)('0' + a / 60 / 10 % 10);
			*o++ = (char)('0' + a / 60 % 10);
			*o++ = ':';
			*o++ = (char)('0' + a % 60 / 10);
			*o++ = (char)('0' + a % 60 % 10);
		}
		*o = '\0';
		return;
	}
	if (tz == 0)
		snprintf(tmp, sizeof(tmp), "%04d-%02d-%02dT%02d:%02d:%02dZ", y,
		    m, d, (int)(secs / 3600), (int)(secs / 60 % 60),
		    (int)(secs % 60));
	else
		snprintf(tmp, sizeof(tmp),
		    "%04d-%02d-%02dT%02d:%02d:%02d%c%02d:%02d", y, m, d,
		    (int)(secs / 3600), (int)(secs / 60 % 60),
		    (int)(secs % 60), tz < 0 ? '-' : '+', a / 60, a % 60);
	tmp[GRV_TSLEN - 1] = '\0';
	memcpy(buf, tmp, GRV_TSLEN);
}

int64_t
grv_local_day(grv_time_t t, int tz)
{
	int64_t lt = t + (int64_t)tz * 60;

	return lt >= 0 ? lt / 86400 : -((-lt + 86399) / 86400);
}

grv_time_t
grv_month_start(grv_time_t t, int tz, int next)
{
	int y, mo, d;

	grv_civil_from_days(grv_local_day(t, tz), &y, &mo, &d);
	if (next && ++mo > 12) {
		mo = 1;
		y++;
	}
	return grv_days_from_civil(y, mo, 1) * 86400 - (grv_time_t)tz * 60;
}

int
grv_time_writable(grv_time_t t, int tz)
{
	int64_t day;

	/* Beyond a million years either way the day arithmetic would not
	   matter: refused before it could overflow. */
	if (t < -((int64_t)1 << 45) || t > ((int64_t)1 << 45))
		return 0;
	day = grv_local_day(t, tz);
	return day >= GRV_DAY_FIRST && day <= GRV_DAY_LAST;
}

void
grv_date_format(grv_time_t t, int tz, char buf[11])
{
	int y, m, d;
	char tmp[48];

	grv_civil_from_days(grv_local_day(t, tz), &y, &m, &d);
	snprintf(tmp, sizeof(tmp), "%04d-%02d-%02d", y, m, d);
	memcpy(buf, tmp, 10);
	buf[10] = '\0';
}

grv_time_t
grv_time_now(void)
{
	return (grv_time_t)time(NULL);
}

static int
is_holiday(const struct grv_cal *c, int64_t day)
{
	size_t lo = 0, hi = c->nholidays;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;

		if (c->holidays[mid] == day)
			return 1;
		if (c->holidays[mid] < day)
			lo = mid + 1;
		else
			hi = mid;
	}
	return 0;
}

int
grv_cal_is_working(const struct grv_cal *c, int64_t day)
{
	if (!c->working)
		return 1;
	if (c->weekend & (1u << grv_weekday(day)))
		return 0;
	return !is_holiday(c, day);
}

/* Holidays in the days (FROM, TO] that fall on a working weekday, each
   date once: two binary searches, then only the holidays inside. */
static int64_t
holidays_between(const struct grv_cal *c, int64_t from, int64_t to)
{
	size_t lo = 0, hi = c->nholidays, i;
	int64_t n = 0;

	while (lo < hi) {		/* the first holiday after FROM */
		size_t mid = (lo + hi) / 2;

		if (c->holidays[mid] <= from)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (i = lo; i < c->nholidays && c->holidays[i] <= to; i++)
		if ((i == lo || c->holidays[i] != c->holidays[i - 1]) &&
		    !(c->weekend & (1u << grv_weekday(c->holidays[i]))))
			n++;
	return n;
}

grv_time_t
grv_cal_add(const struct grv_cal *c, grv_time_t start, int days)
{
	int64_t first, day, left = days, weeks;
	int perweek = 0, i;

	if (!c->working)
		return start + (grv_time_t)days * 86400;
	for (i = 0; i < 7; i++)
		perweek += !(c->weekend & (1u << i));
	if (perweek == 0)		/* refused at conf load */
		return start + (grv_time_t)days * 86400;
	first = day = grv_local_day(start, c->tz);
	/* DAYS working days after the start day.  Whole weeks hold PERWEEK
	   working weekdays each, less the holidays on them: jump them,
	   leaving at least one day to walk, so the walk ends on a working
	   day; what the holidays took back is jumped the same way. */
	while (left > perweek) {
		weeks = (left - 1) / perweek;
		left -= weeks * perweek -
		    holidays_between(c, day, day + 7 * weeks);
		day += 7 * weeks;
	}
	while (left > 0) {
		day++;
		if (grv_cal_is_working(c, day))
			left--;
	}
	return start + (day - first) * 86400;
}

grv_time_t
grv_cal_resume(const struct grv_cal *c, grv_time_t held, grv_time_t due,
    grv_time_t from)
{
	int64_t day, last;
	int days = 0;

	if (held == GRV_TIME_NONE || due == GRV_TIME_NONE || due <= held)
		return from;
	if (!c->working)
		return from + (due - held);
	last = grv_local_day(due, c->tz);
	for (day = grv_local_day(held, c->tz) + 1; day <= last &&
	    days < 100000; day++)
		days += grv_cal_is_working(c, day);
	if (days == 0)
		return from + (due - held);
	return grv_cal_add(c, from, days);
}

int
grv_weekend_parse(const char *s, unsigned *mask)
{
	static const char *const names[] = { "sun", "mon", "tue", "wed", "thu",
	    "fri", "sat" };
	static const char *const full[] = { "sunday", "monday", "tuesday",
	    "wednesday", "thursday", "friday", "saturday" };
	char *copy = strdup(s), *tok, *save = NULL;
	int i, found;

	*mask = 0;
	if (copy == NULL)
		return -1;
	for (tok = strtok_r(copy, ", ", &save); tok;
	    tok = strtok_r(NULL, ", ", &save)) {
		found = 0;
		for (i = 0; i < 7; i++)
			if (strcasecmp(tok, names[i]) == 0 ||
			    strcasecmp(tok, full[i]) == 0) {
				*mask |= 1u << i;
				found = 1;
			}
		if (!found) {
			free(copy);
			return -1;
		}
	}
	free(copy);
	return *mask == 0x7f ? -1 : 0;
}
