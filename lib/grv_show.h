/* grv_show.h: one complaint's whole history, for a person to read. */
#ifndef GRV_SHOW_H
#define GRV_SHOW_H

#include <stdint.h>
#include <stdio.h>

#include "grv_ctx.h"

/*
 * Fold the ledgers at the context's now, gathering complaint N (named ID
 * on the command line), and print to FP what was asked, by whom, where it
 * stands and a timeline of its events.  Returns 0, or an exit code after
 * printing why.
 */
int	 grv_show_print(FILE *fp, const struct grv_ctx *, uint32_t n,
	    const char *id);

#endif
