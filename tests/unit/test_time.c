/* test_time.c: timestamps, --now, the civil calendar and working days of
 * lib/grv_time.c.  Expected values were worked out independently (Python's
 * datetime), not with the code under test. */
#include <stdio.h>
#include <string.h>

#include "grv_time.h"
#include "unit.h"

#define IST	330	/* +05:30 */

/* 2026-03-01 is day 20513 since 1970-01-01. */
#define D20260301	20513LL

static void
test_civil(void)
{
	static const struct {
		int y, m, d;
		long long days;
		int wday;
	} t[] = {
		{ 1970, 1, 1, 0, 4 },
		{ 1969, 12, 31, -1, 3 },
		{ 2000, 3, 1, 11017, 3 },
		{ 2024, 2, 29, 19782, 4 },
		{ 2026, 1, 1, 20454, 4 },
		{ 2026, 1, 26, 20479, 1 },
		{ 2026, 3, 1, D20260301, 0 },
		{ 2026, 12, 25, 20812, 5 },
		{ 2026, 12, 31, 20818, 4 },
		{ 2027, 1, 1, 20819, 5 },
		{ 2100, 3, 1, 47541, 1 },
	};
	size_t i;
	int64_t z;
	int y, m, d, py, pm, pd, bad = 0;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		IS(grv_days_from_civil(t[i].y, t[i].m, t[i].d), t[i].days,
		    "days_from_civil %04d-%02d-%02d", t[i].y, t[i].m, t[i].d);
		grv_civil_from_days(t[i].days, &y, &m, &d);
		OK(y == t[i].y && m == t[i].m && d == t[i].d,
		    "civil_from_days %lld = %04d-%02d-%02d", t[i].days, y, m, d);
		IS(grv_weekday(t[i].days), t[i].wday, "weekday of %04d-%02d-%02d",
		    t[i].y, t[i].m, t[i].d);
	}
	/* Day by day from 1968 to 2101: each day follows the one before. */
	grv_civil_from_days(-800, &py, &pm, &pd);
	for (z = -799; z < 48000; z++) {
		static const int dm[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30,
		    31, 30, 31 };
		int leap, last;

		grv_civil_from_days(z, &y, &m, &d);
		leap = (py % 4 == 0 && py % 100 != 0) || py % 400 == 0;
		last = dm[pm - 1] + (pm == 2 && leap);
		if (!((y == py && m == pm && d == pd + 1) ||
		    (pd == last && pm < 12 && y == py && m == pm + 1 && d == 1) ||
		    (pd == 31 && pm == 12 && y == py + 1 && m == 1 && d == 1)) ||
		    grv_days_from_civil(y, m, d) != z ||
		    grv_weekday(z) != (grv_weekday(z - 1) + 1) % 7) {
			if (bad++ < 3)
				printf("#   day %lld: %04d-%02d-%02d after "
				    "%04d-%02d-%02d\n", (long long)z, y, m, d,
				    py, pm, pd);
		}
		py = y, pm = m, pd = d;
	}
	IS(bad, 0, "1968..2101: every day follows the one before (months, "
	    "leap years, 2000 yes, 2100 no) and so does its weekday");
	grv_civil_from_days(grv_days_from_civil(2100, 2, 28) + 1, &y, &m, &d);
	OK(y == 2100 && m == 3 && d == 1, "2100-02-28 + 1 = 2100-03-01");
	grv_civil_from_days(grv_days_from_civil(2024, 2, 28) + 1, &y, &m, &d);
	OK(y == 2024 && m == 2 && d == 29, "2024-02-28 + 1 = 2024-02-29");
}

static void
test_tz(void)
{
	int tz;

	tz = -1;
	IS(grv_tz_parse("+05:30", &tz), 0, "tz +05:30");
	IS(tz, 330, "tz +05:30 = 330 minutes");
	IS(grv_tz_parse("-0400", &tz), 0, "tz -0400");
	IS(tz, -240, "tz -0400 = -240 minutes");
	IS(grv_tz_parse("Z", &tz), 0, "tz Z");
	IS(tz, 0, "tz Z = 0");
	IS(grv_tz_parse("+5", &tz), -1, "tz +5 refused");
	IS(grv_tz_parse("05:30", &tz), -1, "tz without sign refused");
	IS(grv_tz_parse("+05:3", &tz), -1, "tz +05:3 refused");
	IS(grv_tz_parse("+05:30:00", &tz), -1, "tz with seconds refused");
	IS(grv_tz_parse("+15:00", &tz), -1, "tz +15:00 refused");
	IS(grv_tz_parse("+05:60", &tz), -1, "tz +05:60 refused");
	IS(grv_tz_parse("", &tz), -1, "empty tz refused");
}

static void
test_parse(void)
{
	static const struct {
		const char *s;
		long long want;
	} good[] = {
		{ "2026-03-01", D20260301 * 86400 - 19800 },
		{ "2026-03-01T10:15", 1772340300 },
		{ "2026-03-01T10:15:00", 1772340300 },
		{ "2026-03-01T10:15:59", 1772340359 },
		{ "2026-03-01T10:15:00+05:30", 1772340300 },
		{ "2026-03-01T10:15+05:30", 1772340300 },
		{ "2026-03-01T10:15:00+0530", 1772340300 },
		{ "2026-03-01T10:15:00Z", D20260301 * 86400 + 36900 },
		{ "2026-03-01T10:15Z", D20260301 * 86400 + 36900 },
		{ "2026-03-01T10:15-0400", 1772374500 },
		{ "2026-03-01T10:15:00-04:00", 1772374500 },
		{ "2026-03-01Z", D20260301 * 86400 },
		{ "2024-02-29", 19782LL * 86400 - 19800 },
		{ "2026-12-31T23:59:59+05:30", 20818LL * 86400 + 86399 - 19800 },
		{ "1970-01-01T00:00:00Z", 0 },
		{ "1969-12-31T23:00:00Z", -3600 },
	};
	static const char *const bad[] = {
		"2026-02-29", "2025-02-29", "2100-02-29", "2026-13-01",
		"2026-00-10", "2026-04-31", "2026-03-00", "2026-03-01T25:00",
		"2026-03-01T24:00", "2026-03-01T10:60", "2026-03-01T10:15:60",
		"2026-03-01T10:15:00+05:30x", "2026-03-01x", "2026-03-01 junk",
		"2026-03-01T10:15:00 ", "2026-03-01T10", "2026-03-01T10:1",
		"2026-03-01T", "2026-3-01", "26-03-01", "", "2026-03-01T10:15:00+5:30",
		"2026-03-01T10:15:00+05", "now", "2026-03-01T10:15:00ZZ",
	};
	size_t i;
	grv_time_t t;

	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		t = 42;
		IS(grv_time_parse(good[i].s, IST, &t), 0, "parse '%s'",
		    good[i].s);
		IS(t, good[i].want, "'%s' is %lld", good[i].s, good[i].want);
	}
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		IS(grv_time_parse(bad[i], IST, &t), -1, "'%s' refused", bad[i]);
	/* The default offset applies only when none is given. */
	IS(grv_time_parse("2026-03-01T10:15", 0, &t), 0, "parse at tz 0");
	IS(t, D20260301 * 86400 + 36900, "a time without offset takes DEFTZ");
	IS(grv_time_parse("2026-03-01T10:15+05:30", -240, &t), 0,
	    "parse with offset");
	IS(t, 1772340300, "an explicit offset beats DEFTZ");

	/* The years a row may hold (SPEC 7.1), at the offset written. */
	IS(GRV_DAY_LAST, grv_days_from_civil(9999, 12, 31), "the last day");
	IS(grv_time_parse("9999-12-31T23:59:59", IST, &t), 0, "parse");
	IS(grv_time_writable(t, IST), 1, "9999-12-31T23:59:59 is writable");
	IS(grv_time_writable(t + 1, IST), 0, "a second later is year 10000");
	IS(grv_time_writable(t, -720), 1, "the same instant is 9999 at "
	    "-12:00");
	IS(grv_time_parse("9999-12-31T23:59-12:00", IST, &t), 0, "parse");
	IS(grv_time_writable(t, IST), 0, "23:59 at -12:00 is 10000 at IST");
	IS(grv_time_writable(t, -720), 1, "and 9999 at -12:00");
	IS(grv_time_writable(-19800, IST), 1, "1970-01-01T00:00 at IST");
	IS(grv_time_writable(-19801, IST), 0, "a second before is 1969");
	IS(grv_time_writable(GRV_TIME_NONE, IST), 0, "no time is not one");
	IS(grv_time_writable(INT64_MAX, IST), 0, "nor the largest");

	/* The strict ledger form. */
	IS(grv_time_parse_ts("2026-03-01T10:15:00+05:30", 25, &t), 0,
	    "ledger form");
	IS(t, 1772340300, "ledger form value");
	IS(grv_time_parse_ts("2026-03-01T10:15:00Z", 20, &t), 0,
	    "ledger form Z");
	IS(t, D20260301 * 86400 + 36900, "ledger form Z value");
	IS(grv_time_parse_ts("2026-03-01T10:15:00+05:30,TS-1", 25, &t), 0,
	    "ledger form reads only N bytes");
	IS(grv_time_parse_ts("2026-03-01T10:15+05:30", 22, &t), -1,
	    "ledger form needs seconds");
	IS(grv_time_parse_ts("2026-03-01T10:15:00+0530", 24, &t), -1,
	    "ledger form needs +HH:MM");
	IS(grv_time_parse_ts("2026-03-01", 10, &t), -1,
	    "ledger form needs a time");
	IS(grv_time_parse_ts("2026-02-29T10:15:00+05:30", 25, &t), -1,
	    "ledger form checks the date");
}

/*
 * The ledger form's parser keeps the last day it saw; strings that share
 * a day with the one before, good and bad, must still parse as
 * grv_time_parse parses them.
 */
static void
test_parse_ts_runs(void)
{
	static const char *const days[] = { "2026-03-01", "2026-02-28",
	    "2024-02-29", "1999-12-31", "2026-06-15" };
	static const char *const offs[] = { "+05:30", "Z", "-04:00",
	    "+14:00", "+15:00", "+05:60", "05:30+", "+05-30" };
	static const char digits[] = "0123456789:-+T ";
	uint64_t x = 88172645463325252ULL;
	char buf[32];
	grv_time_t a, b;
	int i, ka, kb, bad = 0, good = 0, n;

	for (i = 0; i < 200000; i++) {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		n = snprintf(buf, sizeof(buf), "%sT%02d:%02d:%02d%s",
		    days[(x >> 8) % 4 + ((x >> 40) % 50 == 0)],
		    (int)((x >> 12) % 26), (int)((x >> 20) % 61),
		    (int)((x >> 28) % 61), offs[(x >> 36) % 16 < 13 ? 0 :
		    (x >> 36) % 8]);
		if ((x >> 44) % 10 == 0)	/* a byte gone wrong */
			buf[(x >> 48) % (unsigned)n] =
			    digits[(x >> 56) % (sizeof(digits) - 1)];
		ka = grv_time_parse_ts(buf, (size_t)n, &a);
		/* The ledger form is grv_time_parse's, with a T, seconds
		   and an offset always. */
		kb = (n == 25 || n == 20) && buf[10] == 'T' ?
		    grv_time_parse(buf, 0, &b) : -1;
		if (ka != kb || (ka == 0 && a != b)) {
			if (bad++ < 5)
				printf("#   '%s': %d %lld, grv_time_parse %d "
				    "%lld\n", buf, ka, (long long)a, kb,
				    (long long)b);
		}
		good += ka == 0;
	}
	IS(bad, 0, "200000 ledger times in runs of a day: the same answer "
	    "as grv_time_parse, good or bad");
	OK(good > 100000 && good < 190000, "most of them good, not all "
	    "(%d)", good);
}

static void
test_format(void)
{
	static const long long ts[] = { 1772340300, 0, -3600, 1772374500,
	    20818LL * 86400 + 86399 - 19800, 19782LL * 86400, 951782400,
	    4102444799LL };
	static const int tzs[] = { IST, 0, -240, 345, -570 };
	char buf[GRV_TSLEN], date[11];
	size_t i, j;
	grv_time_t t;
	int bad = 0;

	grv_time_format(1772340300, IST, buf);
	STR(buf, "2026-03-01T10:15:00+05:30", "format +05:30");
	grv_time_format(1772340300, 0, buf);
	STR(buf, "2026-03-01T04:45:00Z", "format Z");
	grv_time_format(1772340300, -240, buf);
	STR(buf, "2026-03-01T00:45:00-04:00", "format -04:00");
	grv_time_format(1772340300 - 3600, -240, buf);
	STR(buf, "2026-02-28T23:45:00-04:00", "format across a month end");
	grv_time_format(20818LL * 86400 + 86399 - 19800, IST, buf);
	STR(buf, "2026-12-31T23:59:59+05:30", "format the last second of a "
	    "year");
	grv_time_format(20818LL * 86400 + 86400 - 19800, IST, buf);
	STR(buf, "2027-01-01T00:00:00+05:30", "and the next one");
	grv_time_format(-3600, 0, buf);
	STR(buf, "1969-12-31T23:00:00Z", "format before 1970");
	grv_time_format(1772340300, 345, buf);
	STR(buf, "2026-03-01T10:30:00+05:45", "format +05:45");
	for (i = 0; i < sizeof(ts) / sizeof(ts[0]); i++)
		for (j = 0; j < sizeof(tzs) / sizeof(tzs[0]); j++) {
			grv_time_format(ts[i], tzs[j], buf);
			if (grv_time_parse(buf, 0, &t) != 0 || t != ts[i] ||
			    grv_time_parse_ts(buf, strlen(buf), &t) != 0 ||
			    t != ts[i]) {
				printf("#   %lld at %d: '%s'\n", ts[i], tzs[j],
				    buf);
				bad++;
			}
		}
	IS(bad, 0, "format then parse gives the time back, every offset");

	grv_date_format(1772340300, IST, date);
	STR(date, "2026-03-01", "date_format");
	/* 2026-03-01T02:00+05:30 is still 2026-02-28 in UTC. */
	grv_date_format(D20260301 * 86400 + 7200 - 19800, IST, date);
	STR(date, "2026-03-01", "date_format uses the offset");
	grv_date_format(D20260301 * 86400 + 7200 - 19800, 0, date);
	STR(date, "2026-02-28", "date_format in UTC");
	IS(grv_local_day(D20260301 * 86400 + 7200 - 19800, IST), D20260301,
	    "local_day at +05:30");
	IS(grv_local_day(D20260301 * 86400 + 7200 - 19800, 0), D20260301 - 1,
	    "local_day at UTC");
	IS(grv_local_day(-1, 0), -1, "local_day before 1970");
}

static grv_time_t
at(const char *s)
{
	grv_time_t t = GRV_TIME_NONE;

	if (grv_time_parse(s, IST, &t) != 0)
		printf("# bad test time '%s'\n", s);
	return t;
}

static void
check_add(const struct grv_cal *c, const char *start, int days,
    const char *want, const char *what)
{
	char buf[GRV_TSLEN];

	grv_time_format(grv_cal_add(c, at(start), days), IST, buf);
	STR(buf, want, "%s: %s + %d", what, start, days);
}

/* The plain count grv_cal_add is held to: walk day by day. */
static grv_time_t
plain_add(const struct grv_cal *c, grv_time_t start, int days)
{
	int64_t first = grv_local_day(start, c->tz), day = first;
	int count = 0;

	if (!c->working)
		return start + (grv_time_t)days * 86400;
	while (count < days)
		if (grv_cal_is_working(c, ++day))
			count++;
	return start + (day - first) * 86400;
}

static void
test_cal_exact(void)
{
	/* Holidays in clumps, twice on one date, on weekends too. */
	int64_t hol[64];
	struct grv_cal c = { 1, 0, IST, hol, 0 };
	unsigned wk, seed = 1;
	size_t i;
	int days, bad = 0, runs = 0;
	grv_time_t start = at("2026-03-02T10:00:00+05:30"), s, t;

	for (i = 0; i < 64; i++) {
		seed = seed * 1103515245 + 12345;
		hol[i] = grv_days_from_civil(2026, 3, 1) + (seed >> 16) % 400;
	}
	hol[10] = hol[11];
	for (i = 1; i < 64; i++) {	/* sorted, as the masters are */
		int64_t v = hol[i];
		size_t j = i;

		for (; j > 0 && hol[j - 1] > v; j--)
			hol[j] = hol[j - 1];
		hol[j] = v;
	}
	for (wk = 0; wk < 0x7f; wk++) {
		c.weekend = wk;
		for (c.nholidays = 0; c.nholidays <= 64; c.nholidays += 32)
			for (days = 0; days <= 400; days += days < 20 ? 1 : 37)
				for (s = start; s < start + 7 * 86400;
				    s += 86400 + 3600) {
					t = grv_cal_add(&c, s, days);
					bad += t != plain_add(&c, s, days);
					runs++;
				}
	}
	IS(bad, 0, "working days: the week jump agrees with the walk on "
	    "every weekend, start and count (%d runs)", runs);
	/* Only Sundays work: 1000 of them are 1000 weeks, not a Friday
	   3,660 days on. */
	c.weekend = 0x7e;
	c.nholidays = 0;
	t = grv_cal_add(&c, at("2026-03-02T10:00:00+05:30"), 1000);
	IS(t, at("2026-03-08T10:00:00+05:30") + (int64_t)999 * 7 * 86400,
	    "1000 Sundays");
	IS(grv_weekday(grv_local_day(t, IST)), 0, "and a Sunday");
}

static void
test_cal(void)
{
	int64_t hol[3];
	struct grv_cal c = { 0, 1u << 0, IST, NULL, 0 };
	unsigned mask;

	/* Calendar days: plain arithmetic across month and year ends. */
	check_add(&c, "2026-12-30T10:00:00+05:30", 3,
	    "2027-01-02T10:00:00+05:30", "calendar days, year end");
	check_add(&c, "2024-02-27T18:30:00+05:30", 3,
	    "2024-03-01T18:30:00+05:30", "calendar days, leap February");
	check_add(&c, "2026-02-27T18:30:00+05:30", 2,
	    "2026-03-01T18:30:00+05:30", "calendar days, February");
	check_add(&c, "2026-01-31T09:00:00+05:30", 30,
	    "2026-03-02T09:00:00+05:30", "calendar days, 30 of them");
	check_add(&c, "2026-03-08T10:00:00+05:30", 1,
	    "2026-03-09T10:00:00+05:30", "calendar days, from a Sunday");
	check_add(&c, "2026-03-07T10:00:00+05:30", 1,
	    "2026-03-08T10:00:00+05:30", "calendar days land on a Sunday");

	/* Working days, Sunday off, no holidays. */
	c.working = 1;
	IS(grv_cal_is_working(&c, grv_days_from_civil(2026, 3, 8)), 0,
	    "Sunday is not a working day");
	IS(grv_cal_is_working(&c, grv_days_from_civil(2026, 3, 7)), 1,
	    "Saturday is, with weekend = sun");
	check_add(&c, "2026-03-06T10:00:00+05:30", 1,
	    "2026-03-07T10:00:00+05:30", "weekend sun: Friday + 1");
	check_add(&c, "2026-03-07T10:00:00+05:30", 1,
	    "2026-03-09T10:00:00+05:30", "weekend sun: Saturday + 1");
	check_add(&c, "2026-03-08T22:00:00+05:30", 1,
	    "2026-03-09T22:00:00+05:30", "placed on a Sunday, + 1");
	check_add(&c, "2026-03-08T22:00:00+05:30", 3,
	    "2026-03-11T22:00:00+05:30", "placed on a Sunday, + 3");
	check_add(&c, "2026-03-02T10:00:00+05:30", 7,
	    "2026-03-10T10:00:00+05:30", "weekend sun: Monday + 7");
	check_add(&c, "2026-03-02T10:00:00+05:30", 0,
	    "2026-03-02T10:00:00+05:30", "+ 0 is the start");

	/* Saturday and Sunday off. */
	c.weekend = 1u << 0 | 1u << 6;
	check_add(&c, "2026-03-06T10:00:00+05:30", 1,
	    "2026-03-09T10:00:00+05:30", "weekend sat,sun: Friday + 1 = "
	    "Monday, same time");
	check_add(&c, "2026-03-06T10:00:00+05:30", 5,
	    "2026-03-13T10:00:00+05:30", "weekend sat,sun: Friday + 5");
	check_add(&c, "2026-03-07T10:00:00+05:30", 1,
	    "2026-03-09T10:00:00+05:30", "weekend sat,sun: placed Saturday");
	check_add(&c, "2026-03-08T23:59:00+05:30", 1,
	    "2026-03-09T23:59:00+05:30", "weekend sat,sun: placed Sunday "
	    "late");

	/* Holidays: Republic Day (Mon), Christmas (Fri), New Year (Fri). */
	hol[0] = 20479;		/* 2026-01-26 */
	hol[1] = 20812;		/* 2026-12-25 */
	hol[2] = 20819;		/* 2027-01-01 */
	c.holidays = hol;
	c.nholidays = 3;
	IS(grv_cal_is_working(&c, 20812), 0, "Christmas is not a working day");
	IS(grv_cal_is_working(&c, 20811), 1, "Christmas Eve is");
	check_add(&c, "2026-01-23T15:30:00+05:30", 1,
	    "2026-01-27T15:30:00+05:30", "sat,sun + holiday: Friday + 1 "
	    "skips the weekend and Republic Day");
	check_add(&c, "2026-12-23T10:00:00+05:30", 7,
	    "2027-01-05T10:00:00+05:30", "sat,sun: 7 working days across "
	    "Christmas and the year end");
	check_add(&c, "2026-12-31T10:00:00+05:30", 1,
	    "2027-01-04T10:00:00+05:30", "sat,sun: New Year's Eve + 1");
	c.weekend = 1u << 0;
	check_add(&c, "2026-12-24T10:00:00+05:30", 1,
	    "2026-12-26T10:00:00+05:30", "sun: due landing on Christmas "
	    "moves to the next working day, same time");
	check_add(&c, "2026-01-24T11:00:00+05:30", 2,
	    "2026-01-28T11:00:00+05:30", "sun: Saturday + 2 skips Sunday "
	    "and Republic Day");
	/* The day is the local one: 02:00 on Saturday 26 December in India
	   is still Christmas Day in UTC. */
	check_add(&c, "2026-12-26T02:00:00+05:30", 1,
	    "2026-12-28T02:00:00+05:30", "sun: working days are counted in "
	    "the calendar's offset");

	IS(grv_weekend_parse("sun", &mask), 0, "weekend 'sun'");
	IS(mask, 1, "weekend 'sun' = Sunday");
	IS(grv_weekend_parse("sat,sun", &mask), 0, "weekend 'sat,sun'");
	IS(mask, 0x41, "weekend 'sat,sun' = Saturday and Sunday");
	IS(grv_weekend_parse("Fri, Sat", &mask), 0, "weekend 'Fri, Sat'");
	IS(mask, 0x60, "weekend 'Fri, Sat'");
	IS(grv_weekend_parse("saturday,Sunday", &mask), 0, "weekend in full "
	    "day names");
	IS(mask, 0x41, "weekend 'saturday,Sunday'");
	IS(grv_weekend_parse("sun,xyz", &mask), -1, "weekend with an unknown "
	    "day refused");
	IS(grv_weekend_parse("sunny", &mask), -1, "'sunny' is not a day");
	IS(grv_weekend_parse("satx,sun", &mask), -1, "'satx' is not a day");
	IS(grv_weekend_parse("sun,mon,tue,wed,thu,fri,sat", &mask), -1,
	    "a week without working days refused");
}

static void
check_resume(const struct grv_cal *c, const char *held, const char *due,
    const char *from, const char *want, const char *what)
{
	char buf[GRV_TSLEN];

	grv_time_format(grv_cal_resume(c, at(held), at(due), at(from)), IST,
	    buf);
	STR(buf, want, "resume: %s", what);
}

/* What a hold leaves of a limit (SPEC 7.2), on each calendar. */
static void
test_cal_resume(void)
{
	int64_t hol[1];
	struct grv_cal c = { 0, 1u << 0 | 1u << 6, IST, NULL, 0 };

	check_resume(&c, "2026-11-03T10:05:00+05:30",
	    "2026-11-05T10:05:00+05:30", "2026-11-10T12:00:00+05:30",
	    "2026-11-12T12:00:00+05:30", "calendar: two days left");
	check_resume(&c, "2026-11-06T10:05:00+05:30",
	    "2026-11-05T10:05:00+05:30", "2026-11-10T12:00:00+05:30",
	    "2026-11-10T12:00:00+05:30", "held past its due: nothing left");
	c.working = 1;
	hol[0] = grv_days_from_civil(2026, 12, 25);
	c.holidays = hol;
	c.nholidays = 1;
	check_resume(&c, "2026-12-22T09:00:00+05:30",
	    "2026-12-24T10:05:00+05:30", "2026-12-24T15:00:00+05:30",
	    "2026-12-29T15:00:00+05:30", "working: over Christmas and a "
	    "weekend");
	check_resume(&c, "2026-12-24T09:00:00+05:30",
	    "2026-12-24T10:05:00+05:30", "2026-12-28T09:00:00+05:30",
	    "2026-12-28T10:05:00+05:30", "working: an hour left that day");
	check_resume(&c, "2026-12-18T16:00:00+05:30",
	    "2026-12-21T10:00:00+05:30", "2026-12-22T09:00:00+05:30",
	    "2026-12-23T09:00:00+05:30", "working: held on a Friday, due "
	    "Monday: one day");
}

int
main(void)
{
	test_civil();
	test_tz();
	test_parse();
	test_parse_ts_runs();
	test_format();
	test_cal();
	test_cal_exact();
	test_cal_resume();
	return DONE();
}
