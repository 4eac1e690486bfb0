/* test_month.c: grv_month_start, the month arithmetic grv-report and the
 * trend report share. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "grv_time.h"
#include "unit.h"

int
main(void)
{
	static const struct {
		const char	*t;
		int		 tz, next;
		const char	*want;
	} c[] = {
		{ "2026-12-15T10:00:00+05:30", 330, 0, "2026-12-01T00:00:00+05:30" },
		{ "2026-12-15T10:00:00+05:30", 330, 1, "2027-01-01T00:00:00+05:30" },
		{ "2026-12-01T00:00:00+05:30", 330, 0, "2026-12-01T00:00:00+05:30" },
		{ "2026-11-30T23:59:59+05:30", 330, 1, "2026-12-01T00:00:00+05:30" },
		/* 18:30 UTC on the last day is the next month in India */
		{ "2026-11-30T18:30:00Z", 330, 0, "2026-12-01T00:00:00+05:30" },
		{ "2026-11-30T18:30:00Z", 0, 0, "2026-11-01T00:00:00Z" },
		{ "2024-02-29T12:00:00-04:00", -240, 1, "2024-03-01T00:00:00-04:00" },
		{ "1970-01-31T00:00:00Z", 0, 0, "1970-01-01T00:00:00Z" },
	};
	char buf[GRV_TSLEN];
	grv_time_t t;
	size_t i;

	for (i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		if (grv_time_parse(c[i].t, 0, &t) == -1) {
			OK(0, "parse %s", c[i].t);
			continue;
		}
		grv_time_format(grv_month_start(t, c[i].tz, c[i].next),
		    c[i].tz, buf);
		STR(buf, c[i].want, "the month %s %s starts at %s",
		    c[i].next ? "after" : "holding", c[i].t, c[i].want);
	}
	return DONE();
}
