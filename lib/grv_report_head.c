/* grv_report_head.c: what a report says about itself (its kind, period and
 * as-of time) around its rows, in every output format.
 *
 * Every report is read as of min(--now, to): a reader must see which month
 * was graded and whether it was over (issue: a two-hour-old December graded
 * "20.00 D" with nothing saying so).  One function writes the head in every
 * format, so that a field added to it (a checkpoint) is added once. */
#include <string.h>

#include "grv_report_head.h"

/* T as "YYYY-MM-DD", or "YYYY-MM-DD HH:MM" when it is not a midnight. */
static void
put_moment(grv_time_t t, int tz, int always_time, struct grv_buf *b)
{
	char ts[GRV_TSLEN];

	grv_time_format(t, tz, ts);
	if (!always_time && strncmp(ts + 11, "00:00:00", 8) == 0)
		grv_buf_add(b, ts, 10);
	else {
		grv_buf_add(b, ts, 10);
		grv_buf_addc(b, ' ');
		grv_buf_add(b, ts + 11, 5);
	}
}

void
grv_report_title(const struct grv_report_head *h, struct grv_buf *b)
{
	char ts[GRV_TSLEN];
	grv_time_t last = h->to;

	grv_buf_adds(b, h->kind);
	if (h->scope) {
		grv_buf_adds(b, ", ");
		grv_buf_adds(b, h->scope);
	}
	grv_buf_adds(b, ", ");
	put_moment(h->from, h->tz, 0, b);
	grv_buf_adds(b, " to ");
	/* A period ending at a midnight is shown by its last day. */
	grv_time_format(h->to, h->tz, ts);
	if (strncmp(ts + 11, "00:00:00", 8) == 0)
		last = h->to - 86400;
	put_moment(last, h->tz, last == h->to, b);
	grv_buf_adds(b, ", as of ");
	grv_time_format(h->now < h->to ? h->now : h->to, h->tz, ts);
	grv_buf_add(b, ts, 10);
	grv_buf_addc(b, ' ');
	grv_buf_add(b, ts + 11, 5);
	grv_buf_addc(b, ' ');
	grv_buf_adds(b, ts + 19);
	if (h->now < h->to)
		grv_buf_adds(b, " (period not over)");
}

static void
json_ts(const char *key, grv_time_t t, int tz, struct grv_buf *b)
{
	char ts[GRV_TSLEN];

	grv_time_format(t, tz, ts);
	grv_buf_printf(b, "\"%s\":\"%s\",", key, ts);
}

void
grv_report_write(const struct grv_report_head *h, const struct grv_table *t,
    int fmt, unsigned flags, struct grv_buf *out)
{
	if (fmt == GRV_FMT_JSON) {
		/* kind and scope are program words and master codes: no
		   character needs escaping. */
		grv_buf_printf(out, "{\"report\":\"%s\",", h->kind);
		json_ts("from", h->from, h->tz, out);
		json_ts("to", h->to, h->tz, out);
		json_ts("now", h->now, h->tz, out);
		grv_buf_adds(out, "\"rows\":");
		grv_table_write(t, fmt, flags, out);
		if (out->len > 0 && out->s[out->len - 1] == '\n')
			out->s[--out->len] = '\0';
		grv_buf_adds(out, "}\n");
		return;
	}
	if ((flags & GRV_FMT_BOM) && fmt != GRV_FMT_TABLE) {
		grv_buf_adds(out, "\xef\xbb\xbf");
		flags &= ~(unsigned)GRV_FMT_BOM;
	}
	if (fmt == GRV_FMT_TABLE || (flags & GRV_FMT_COMMENT)) {
		if (fmt != GRV_FMT_TABLE)
			grv_buf_adds(out, "# ");
		grv_report_title(h, out);
		grv_buf_addc(out, '\n');
	}
	grv_table_write(t, fmt, flags, out);
}
