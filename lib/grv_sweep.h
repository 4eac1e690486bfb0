/* grv_sweep.h: the escalation sweep (SPEC sections 4 and 5, grv-escalate):
 * what one run at --now must write, decided from the folded state. */
#ifndef GRV_SWEEP_H
#define GRV_SWEEP_H

#include <stdio.h>

#include "grv_ctx.h"
#include "grv_state.h"
#include "grv_write.h"

/* One row the sweep writes, and what it prints about it. */
struct grv_sweep_item {
	struct grv_newevent ev;		/* the ledger row */
	int		 from_level;
	int		 holder;	/* officer printed: the new one, or the
					   holder of a closed complaint */
};

struct grv_sweep {
	struct grv_sweep_item *items;
	size_t		 n, cap;
	uint32_t	*stuck;		/* overdue, no officer up the tree;
					   or never placed */
	size_t		 nstuck, stuckcap;
	size_t		 nnew;		/* of them, never placed */
};
#define GRV_SWEEP_INIT { NULL, 0, 0, NULL, 0, 0, 0 }

/*
 * Decide the sweep at CTX->now over ST, in id order: over every complaint,
 * or with IDS, over the NIDS complaints it names (ascending, and among
 * them every one whose wake, grv_wake, is before now):
 *  - an open complaint whose due is before now, below the top level,
 *    climbs one level (escalate, reason overdue) to the responsible officer
 *    there with a due counted from now; when there is none anywhere up the
 *    tree it stays and is named on stderr;
 *  - an open complaint past due at the top level is left alone (defaulted);
 *  - a complaint on hold more than hold_days calendar days resumes
 *    (resume, reason expired) with the holder, its due the resume time
 *    plus what was left of its limit when the hold began;
 *  - a resolved complaint with no answer from the citizen (none yet, or
 *    unreachable) more than feedback_days calendar days after its resolve
 *    closes, reason unverified;
 *  - a new complaint, never placed, registered more than
 *    GRV_UNPLACED_GRACE before now is counted (SW->nnew), and one line on
 *    stderr says how many and names the first few.
 * Returns 0, or GRV_EX_SOME when some complaint could not climb or was
 * never placed (listed in SW->stuck, for the next sweep to look at again).
 */
int	 grv_sweep_plan(struct grv_sweep *, const struct grv_ctx *,
	    const struct grv_state *, const uint32_t *ids, size_t nids);
void	 grv_sweep_release(struct grv_sweep *);

/* id,event,from_level,level,dept,officer,due,reason */
void	 grv_sweep_print_header(FILE *);
void	 grv_sweep_print(FILE *, const struct grv_ctx *,
	    const struct grv_sweep_item *);

#endif
