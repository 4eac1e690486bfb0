/* grv_time.h: timestamps with offsets, --now, calendar and working days. */
#ifndef GRV_TIME_H
#define GRV_TIME_H

#include <stddef.h>
#include <stdint.h>

typedef int64_t grv_time_t;	/* seconds since 1970-01-01T00:00:00Z */

#define GRV_TIME_NONE	INT64_MIN
#define GRV_TSLEN	26	/* "2024-06-01T10:15:00+05:30" + NUL */

/* Days since 1970-01-01 of a proleptic Gregorian date, and back. */
int64_t	 grv_days_from_civil(int y, int m, int d);
void	 grv_civil_from_days(int64_t z, int *y, int *m, int *d);
/* 0 Sunday .. 6 Saturday. */
int	 grv_weekday(int64_t days);

/*
 * Parse "YYYY-MM-DD", "YYYY-MM-DDTHH:MM[:SS]" with an optional "Z",
 * "+HH:MM" or "+HHMM"; a time without an offset is taken at DEFTZ minutes
 * east of UTC.  Returns 0, or -1 when S is not such a time.
 */
int	 grv_time_parse(const char *s, int deftz, grv_time_t *out);
/* Strict ledger form, exactly "YYYY-MM-DDTHH:MM:SS+HH:MM" (or Z). */
int	 grv_time_parse_ts(const char *s, size_t n, grv_time_t *out);
/* Format as ISO 8601 with the offset TZ (minutes east). */
void	 grv_time_format(grv_time_t t, int tz, char buf[GRV_TSLEN]);
/* "YYYY-MM-DD" of T at offset TZ. */
void	 grv_date_format(grv_time_t t, int tz, char buf[11]);
/* Parse an offset "+05:30", "-0400", "Z" into minutes east; -1 on error. */
int	 grv_tz_parse(const char *s, int *out);
/* The clock, or the --now given. */
grv_time_t grv_time_now(void);
/* Local day number (days since epoch at offset TZ) of T. */
int64_t	 grv_local_day(grv_time_t t, int tz);
/* Local midnight at offset TZ starting the month holding T, or with NEXT
   the month after. */
grv_time_t grv_month_start(grv_time_t t, int tz, int next);

/* The local days a written timestamp may fall on (SPEC 7.1): 1970-01-01
   to 9999-12-31, the years four digits hold. */
#define GRV_DAY_FIRST	0
#define GRV_DAY_LAST	2932896
/* 1 when T written at offset TZ falls in the years 1970 to 9999, else 0. */
int	 grv_time_writable(grv_time_t t, int tz);

/* A calendar: calendar days, or working days skipping weekend and holidays. */
struct grv_cal {
	int	 working;	/* 0 calendar days, 1 working days */
	unsigned weekend;	/* bit d set: weekday d (0 = Sunday) is off */
	int	 tz;		/* minutes east of UTC */
	int64_t	*holidays;	/* sorted local day numbers */
	size_t	 nholidays;
};

int	 grv_cal_is_working(const struct grv_cal *, int64_t day);
/*
 * START plus DAYS days of the calendar, at the same clock time.  With
 * working days each counted day is a working day, so the result always
 * falls on one.
 */
grv_time_t grv_cal_add(const struct grv_cal *, grv_time_t start, int days);
/*
 * The due of a limit that ran until DUE, stopped at HELD and started again
 * at FROM (a hold and its resume, SPEC 7.2): FROM plus what was left.  On
 * the calendar, the seconds from HELD to DUE; with calendar = working, the
 * working days after HELD's day up to DUE's day, counted from FROM as
 * grv_cal_add counts them (or, none being left, the seconds from HELD to
 * DUE).  Nothing was left when DUE is not after HELD: FROM.
 */
grv_time_t grv_cal_resume(const struct grv_cal *, grv_time_t held,
	    grv_time_t due, grv_time_t from);
/* Parse a weekend list "sun" / "sat,sun"; -1 on an unknown day name. */
int	 grv_weekend_parse(const char *s, unsigned *mask);

#endif
