/* grv_report_head.h: what a report says about itself (its kind, period and
 * as-of time) around its rows, in every output format. */
#ifndef GRV_REPORT_HEAD_H
#define GRV_REPORT_HEAD_H

#include "grv_buf.h"
#include "grv_format.h"
#include "grv_time.h"

/* Writer flag beside GRV_FMT_BOM: csv/tsv begin with a "# " title line. */
#define GRV_FMT_COMMENT	0x2

struct grv_report_head {
	const char	*kind;		/* "grading", "districts", ... */
	const char	*scope;		/* "district SML", or NULL */
	grv_time_t	 from, to;	/* the period [from, to) */
	grv_time_t	 now;		/* --now, or the clock */
	int		 tz;		/* minutes east, from grv.conf */
};

/*
 * The one-line title: "grading, 2026-11-01 to 2026-11-30, as of
 * 2026-12-05 00:00 +05:30", with " (period not over)" when --now falls
 * inside it.  A bound that is not a midnight is shown with its time.
 */
void	 grv_report_title(const struct grv_report_head *, struct grv_buf *);

/*
 * The table T in FMT with its head: table, a title line before the
 * columns; json, one object {"report", "from", "to", "now", "rows": [...]};
 * csv and tsv bare unless FLAGS has GRV_FMT_COMMENT ("# " and the title).
 */
void	 grv_report_write(const struct grv_report_head *,
	    const struct grv_table *, int fmt, unsigned flags,
	    struct grv_buf *out);

#endif
