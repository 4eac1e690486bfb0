/* fuzz_time: the timestamp parsers (--now, ledger times, offsets, weekend
 * lists) and the calendar; a ledger time formatted must parse back. */
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "grv_alloc.h"
#include "grv_parse.h"
#include "grv_time.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = grv_strndup((const char *)data, size);
	char buf[GRV_TSLEN], day[11];
	grv_time_t t, back;
	struct grv_cal cal = { 1, 1, 330, NULL, 0 };
	unsigned mask;
	int tz;
	long v;

	grv_time_parse_ts((const char *)data, size, &t);
	grv_tz_parse(s, &tz);
	grv_weekend_parse(s, &mask);
	grv_parse_int(s, -1000, 1000, &v);
	if (grv_time_parse(s, 330, &t) == 0) {
		grv_time_format(t, 330, buf);
		grv_date_format(t, 330, day);
		/* Years 0000..9999 print in the ledger form: it parses back. */
		if (strlen(buf) == 25 && buf[0] != '-') {
			if (grv_time_parse_ts(buf, 25, &back) != 0 ||
			    back != t)
				abort();
		}
		if (t > -(int64_t)1e11 && t < (int64_t)1e11) {
			grv_cal_add(&cal, t, (int)(size % 40));
			cal.working = 0;
			grv_cal_add(&cal, t, (int)(size % 40));
		}
	}
	free(s);
	return 0;
}
