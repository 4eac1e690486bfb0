/* grv_gen.h: a synthetic but realistic helpline, for scale tests and the
 * benchmark: N complaints over a span of months on a data directory's
 * masters, with the lives the real programs would have written. */
#ifndef GRV_GEN_H
#define GRV_GEN_H

#include <stdint.h>

#include "grv_ctx.h"
#include "grv_gen_plant.h"

struct grv_gen_opts {
	uint64_t	 n;		/* complaints */
	grv_time_t	 start;		/* first registration at or after */
	grv_time_t	 end;		/* nothing stamped after this */
	uint64_t	 seed;
	struct grv_plant *plant;	/* --plant: grv_gen_plant.h, or NULL */
};

struct grv_gen_stats {
	uint64_t	 complaints;
	uint64_t	 events;
	uint64_t	 fresh;		/* still new (not routed) at END */
	uint64_t	 open;		/* open or resolved at END */
	uint64_t	 closed[4];	/* satisfied, forced, unverified,
					   duplicate */
	uint64_t	 escalations, transfers;
};

/*
 * Write DIR/ledger/complaints.csv and events.csv (which must not hold any
 * row yet) for the masters loaded in CMD.  Rows are built by the ledger
 * writer's own code (escaping, chain), events sorted by time.  Returns 0
 * or an exit code after printing why.
 */
int	 grv_gen_run(struct grv_ctx *, const struct grv_gen_opts *,
	    struct grv_gen_stats *);

/*
 * Copy SRC/grv.conf and the regular files of SRC/masters into DIR
 * (created when missing).  0 or an exit code after printing why.
 */
int	 grv_gen_copy_masters(const char *src, const char *dir);

#endif
