/* grv_list.h: grv-list's rows: which complaints a filter selects, their
 * columns, and the pass that adds the personal data. */
#ifndef GRV_LIST_H
#define GRV_LIST_H

#include <stdio.h>

#include "grv_ctx.h"
#include "grv_state.h"

/* The filters; -1 / 0 when not given. */
struct grv_list_filter {
	unsigned	 status;	/* bit per enum grv_status, 0 = any */
	int		 dept, district, officer, level, overdue, pii;
	grv_time_t	 older;		/* seconds, -1 = not given */
	int		 category;	/* as registered or amended, or -1 */
	int		 channel;	/* enum grv_channel, or -1 */
	/* --dept, --category: a code the masters no longer list, which
	   only the fold can name (grv_dept_gone, grv_cat_gone), or NULL */
	const char	*dept_gone, *category_gone;
};
#define GRV_LIST_FILTER_INIT	{ 0, -1, -1, -1, 0, 0, 0, -1, -1, -1, NULL, \
	NULL }

/*
 * Fold the ledgers at the context's now and print to FP the header and a
 * row per complaint FL selects, in id order; with FL's pii, name, phone
 * and text too.  A dept_gone or category_gone the fold did not meet is an
 * unknown code.  Returns 0, or an exit code after printing why.
 */
int	 grv_list_print(FILE *fp, const struct grv_ctx *,
	    const struct grv_list_filter *fl);

#endif
