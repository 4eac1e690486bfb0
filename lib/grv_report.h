/* grv_report.h: the report engine behind grv-report (SPEC sections 5-6). */
#ifndef GRV_REPORT_H
#define GRV_REPORT_H

#include <stdint.h>

#include "grv_ctx.h"
#include "grv_format.h"
#include "grv_time.h"

enum grv_report_kind { GRV_REP_GRADING, GRV_REP_OFFICERS, GRV_REP_DISTRICTS,
	GRV_REP_PENDING, GRV_REP_SLA, GRV_REP_TREND, GRV_REP_MAPPING,
	GRV_REP_FEEDBACK, GRV_REP_COUNT };

extern const char *const grv_report_names[GRV_REP_COUNT + 1];

/* The kind named S, or -1. */
int	 grv_report_kind(const char *s);

#define GRV_MAXGROUPS	8

/*
 * The grading formula of SPEC section 6, from masters/grading.conf.
 * Weights and bands are in hundredths (60 is 6000).
 */
struct grv_grading {
	int64_t	 w_sat, w_old, w_forced, w_unattended;
	int	 old_days;
	int64_t	 grade_a, grade_b, grade_c;
	long	 groups[GRV_MAXGROUPS];	/* lower bounds, descending */
	int	 ngroups;
};

void	 grv_grading_defaults(struct grv_grading *);
/*
 * Read DIR/masters/grading.conf (optional) over the defaults.  Returns 0,
 * or GRV_EX_DATAERR after printing "masters/grading.conf:LINE: what".
 */
int	 grv_grading_load(struct grv_grading *, const char *dir);

/* The counts the formula is made of. */
struct grv_gcount {
	int64_t	 n, sat, old, old_sat, forced, unattended;
};

/* Score in hundredths, rounded half away from zero (N > 0). */
int64_t	 grv_grading_score(const struct grv_grading *,
	    const struct grv_gcount *);
/* "A".."D" for a score in hundredths. */
const char *grv_grading_grade(const struct grv_grading *, int64_t score);
/* Volume group, 1-based, for N complaints. */
int	 grv_grading_group(const struct grv_grading *, int64_t n);

struct grv_report_opts {
	int		 kind;		/* enum grv_report_kind */
	grv_time_t	 from, to;	/* the period [from, to) */
	int		 dept;		/* --dept, or -1 */
	int		 district;	/* --district (a location), or -1 */
	int		 hindi;		/* --lang hi: Hindi names */
};

/*
 * Fold the ledger as of min(--now, to - 1s) and fill OUT (initialised
 * here) with the report's rows.  Returns 0, or an exit code after the fold
 * printed why.
 */
int	 grv_report_run(const struct grv_ctx *, const struct grv_grading *,
	    const struct grv_report_opts *, struct grv_table *out);

#endif
