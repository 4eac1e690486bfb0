/* grv_report_review.h: a district's review pack (grv-report review): the
 * figures a collector goes through at the monthly review, as named
 * tables, written as csv, json or one self-contained HTML page. */
#ifndef GRV_REPORT_REVIEW_H
#define GRV_REPORT_REVIEW_H

#include "grv_buf.h"
#include "grv_ctx.h"
#include "grv_format.h"
#include "grv_report.h"
#include "grv_report_head.h"

enum grv_review_part { GRV_RV_DISTRICT, GRV_RV_GRADING, GRV_RV_PENDING,
	GRV_RV_OLD, GRV_RV_BEST, GRV_RV_WORST, GRV_RV_TRANSFERS,
	GRV_RV_CLOSURES, GRV_RV_VERIFICATION, GRV_RV_COUNT };

/* The parts' names (csv's "# name" lines, json's keys) and headings. */
extern const char *const grv_review_names[GRV_RV_COUNT];
extern const char *const grv_review_titles[GRV_RV_COUNT];
extern const char *const grv_review_titles_hi[GRV_RV_COUNT];

/* How many officers the best and worst lists hold. */
#define GRV_REVIEW_OFFICERS	5

struct grv_review {
	int		 district;	/* location index */
	struct grv_table part[GRV_RV_COUNT];
};

/*
 * Fill RV for district O->district over O's period (O->kind is ignored).
 * Returns 0, or an exit code after the fold printed why.
 */
int	 grv_review_run(const struct grv_ctx *, const struct grv_grading *,
	    const struct grv_report_opts *, struct grv_review *);
void	 grv_review_release(struct grv_review *);

/*
 * csv: each part after a "# name" line, parts apart by an empty line (the
 * title first with GRV_FMT_COMMENT); json: one object, the head's fields
 * and "parts": {name: rows}; table: each part under its heading.
 */
void	 grv_review_write(const struct grv_report_head *,
	    const struct grv_review *, int fmt, unsigned flags,
	    struct grv_buf *out);

/* The one-page HTML pack (grv_html.c). */
void	 grv_review_html(const struct grv_ctx *, const struct grv_report_head *,
	    const struct grv_review *, struct grv_buf *out);

#endif
