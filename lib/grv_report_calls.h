/* grv_report_calls.h: the period's closures and the verification calls
 * made about them, the fold behind grv-report callbacks and verification. */
#ifndef GRV_REPORT_CALLS_H
#define GRV_REPORT_CALLS_H

#include <stddef.h>
#include <stdint.h>

#include "grv_csvrow.h"

#include "grv_fold.h"
#include "grv_report.h"

/* One closure in the period (not a duplicate's). */
struct grv_closure {
	uint32_t	 n;		/* complaint number */
	grv_time_t	 ts;
	int32_t		 loc;		/* the complaint's place then */
	int32_t		 officer;	/* who resolved it (-1: none) */
	int16_t		 dept;		/* the department holding it */
	uint8_t		 reason;	/* GRV_R_SATISFIED, _FORCED, _UNVERIFIED */
	uint8_t		 calls;		/* callbacks about it, at most 255 */
	uint8_t		 answer;	/* the last call's answer that reached
					   the citizen (GRV_R_CONFIRMED or
					   GRV_R_DISPUTED), else GRV_R_NONE */
};

struct grv_calls {
	struct grv_state	 st;		/* at --now */
	struct grv_closure	*cl;		/* in ledger order */
	size_t			 ncl, capcl;
	uint32_t		*last;		/* per complaint: 1 + its last
						   closure in cl, or 0 */
	char			(*phone)[12];	/* with PHONES: per complaint */
	char			**name;		/* with NAMES: per complaint */
};

/*
 * Fold the ledger up to --now: every closure stamped in [O->from, O->to)
 * of a complaint that passes O's --dept (the department holding it) and
 * --district, and every callback about it made before --now, whenever
 * (a month's closures are called in the month after).  PHONES, NAMES:
 * keep each complaint's phone, name.  0, or an exit code (said).
 */
int	 grv_calls_load(struct grv_calls *, const struct grv_ctx *,
	    const struct grv_report_opts *, int phones, int names);
void	 grv_calls_release(struct grv_calls *);

/* P (NOLD elements of SIZE bytes) grown to NEW, the new ones zeroed. */
void	*grv_calls_grow(void *p, size_t nold, size_t nnew, size_t size);
/* A complaint ROW's phone into OUT (12 bytes, cut to fit). */
void	 grv_calls_phone(const struct grv_csv_row *row, char *out);

/* The Wilson score interval of the share X/K (K > 0) at normal quantile Z,
   clipped to [0, 1], into *LO, *HI. */
void	 grv_wilson(int64_t x, int64_t k, double z, double *lo, double *hi);

#endif
