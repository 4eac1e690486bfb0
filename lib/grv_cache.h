/* grv_cache.h: the derived state cache, DIR/cache/state.bin: a folded
 * state saved, and loaded again for grv_state_load to fold on from. */
#ifndef GRV_CACHE_H
#define GRV_CACHE_H

#include "grv_ctx.h"
#include "grv_fold.h"

/*
 * With ON set, the cache is still read but never written: for a program
 * that promises to change nothing in the data directory (grv-escalate
 * --dry-run).
 */
void	 grv_cache_readonly(int on);

/*
 * Load fills ST from DIR/cache when it is
 * present, matches the ledger, and covers no row stamped after NOW; it
 * returns 0 on success, -1 when the caller must fold from scratch.  Save
 * writes it back; failures only cost speed, but a cache/ or state.bin that
 * is a symbolic link is refused: GRV_EX_CANTCREAT (said), else 0.
 */
int	 grv_cache_load(struct grv_state *, const struct grv_ctx *,
	    grv_time_t now);
int	 grv_cache_save(const struct grv_state *, const struct grv_ctx *);

#endif
