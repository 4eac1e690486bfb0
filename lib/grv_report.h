/* grv_report.h: the report engine behind grv-report (SPEC sections 5-6). */
#ifndef GRV_REPORT_H
#define GRV_REPORT_H

#include <stdint.h>

#include "grv_ctx.h"
#include "grv_format.h"
#include "grv_time.h"

enum grv_report_kind { GRV_REP_GRADING, GRV_REP_OFFICERS, GRV_REP_DISTRICTS,
	GRV_REP_PENDING, GRV_REP_SLA, GRV_REP_TREND, GRV_REP_MAPPING,
	GRV_REP_FEEDBACK, GRV_REP_CALLBACKS, GRV_REP_VERIFICATION,
	GRV_REP_GAMING, GRV_REP_COUNT };

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
	struct grv_gaming_conf {	/* grv report gaming's thresholds
					   (grv_report_gaming.c) */
		int	 forced_pct, forced_min, bribe_days, bribe_pct,
			 bribe_min, paper_pct,
			 paper_min, bounce_pct, bounce_min, late_hours,
			 late_pct, late_min, caller_min, one_officer_min,
			 hour_max;
	} gaming;
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
	int		 dept;		/* --dept, or -1 (see dept_gone) */
	const char	*dept_gone;	/* --dept a code the masters no longer
					   list (dept is then -1): the fold
					   keeps it when a row names it */
	int		 district;	/* --district (a location), or -1 */
	int		 hindi;		/* --lang hi: Hindi names */
	/* callbacks, verification, gaming */
	long		 sample;	/* callbacks --sample N */
	uint64_t	 seed;		/* callbacks --seed S */
	int		 pii;		/* callbacks --pii: phone and name */
	int		 by;		/* verification --by: enum grv_by */
	int		 detail;	/* gaming --detail: the ids */
};

enum grv_by { GRV_BY_DEPT, GRV_BY_DISTRICT, GRV_BY_OFFICER };

/*
 * The department of --dept in M: -1 for no --dept; else its index, for
 * a code the masters no longer list the one the fold gave it when a row
 * named it (grv_dept_gone), and GRV_DEPT_UNMET, which is no department's,
 * while no row read has: a filter asked during the fold is right at each
 * row (no complaint can be of a department the fold has not met), and
 * the caller refuses the code after the fold when it is still unmet.
 */
#define GRV_DEPT_UNMET	0x7fffffff
int	 grv_report_dept(const struct grv_masters *m,
	    const struct grv_report_opts *o);

/*
 * Fold the ledger as of min(--now, to - 1s) and fill OUT (initialised
 * here) with the report's rows.  Returns 0, or an exit code after the fold
 * printed why.
 */
int	 grv_report_run(const struct grv_ctx *, const struct grv_grading *,
	    const struct grv_report_opts *, struct grv_table *out);

/* The verification reports, each in its own file, called the same way:
   the closures to call back (grv_report_callbacks.c), what the calls
   found (grv_report_verification.c), the signs of gamed grades
   (grv_report_gaming.c). */
int	 grv_report_callbacks(const struct grv_ctx *,
	    const struct grv_report_opts *, struct grv_table *out);
int	 grv_report_verification(const struct grv_ctx *,
	    const struct grv_report_opts *, struct grv_table *out);
int	 grv_report_gaming(const struct grv_ctx *, const struct grv_grading *,
	    const struct grv_report_opts *, struct grv_table *out);
/* Gaming's defaults, and one grading.conf key of its: 1 taken, 0 not
   its key, -1 a bad value (said, as PATH:LINE). */
void	 grv_gaming_defaults(struct grv_gaming_conf *);
int	 grv_gaming_kv(struct grv_gaming_conf *, const char *path,
	    unsigned long line, const char *key, const char *val);

#endif
