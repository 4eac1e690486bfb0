/* grv_route.h: placing a new complaint with its first officer, and moving
 * an open one to another department (grv-route). */
#ifndef GRV_ROUTE_H
#define GRV_ROUTE_H

#include <stddef.h>
#include <stdint.h>

#include "grv_ctx.h"
#include "grv_state.h"
#include "grv_write.h"

/*
 * Place complaint N (CS) at its category's department and start level in
 * W's append, and set NE to the route event added.  Returns 0, GRV_EX_SOME
 * when no active officer can take it (said: it stays new), or
 * GRV_EX_DATAERR when its due cannot be written (said).
 */
int	 grv_route_one(struct grv_writer *w, uint32_t n,
	    const struct grv_cstate *cs, struct grv_newevent *ne);
/* The category C names for a transfer to DEPT, or -1 after saying why. */
int	 grv_transfer_category(const struct grv_ctx *, const char *c,
	    int dept);
/*
 * Transfer complaint ID to DEPT for REASON in W's append; with CAT >= 0,
 * first an amend of its category to CAT (one of DEPT's), in the same
 * append, so that the transfer's due follows that category (SPEC 7.1,
 * 7.2).  Sets NE[0] (the amend, when *K is 1) and NE[1] (the transfer):
 * the events added are NE + 1 - *K, 1 + *K of them.  Returns 0,
 * GRV_EX_SOME when no active officer can take it, or GRV_EX_DATAERR, all
 * said.
 */
int	 grv_transfer(struct grv_writer *w, const char *id, int dept, int cat,
	    const char *reason, struct grv_newevent ne[2], size_t *k);

#endif
