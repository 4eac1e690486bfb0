/* grv_cache.h: the derived state cache, DIR/cache/state.bin: a folded
 * state saved, mapped again for grv_state_load to fold on from, and
 * brought up to date record by record. */
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
 * Load maps ST from DIR/cache when it is present, matches the ledger, and
 * covers no row stamped after NOW; it returns 0 on success, -1 when the
 * caller must fold from scratch.  Every record is checked at the load
 * unless O->point, when each is checked the first time grv_state_get
 * fetches it.  Save writes back what changed; failures only cost speed,
 * but a cache/ or state.bin that is a symbolic link is refused:
 * GRV_EX_CANTCREAT (said), else 0.
 */
int	 grv_cache_load(struct grv_state *, const struct grv_ctx *,
	    const struct grv_fold_opts *, grv_time_t now);
int	 grv_cache_save(const struct grv_state *, const struct grv_ctx *);

/*
 * For the fold and grv_state_get: check complaint N's record (once; a
 * damaged one found inside a fold marks the store stale, one found after
 * the load is folded again from the ledger in place, so that pointers
 * already handed out stay good); note that the fold changed it; make room
 * for one more complaint; let the mapping go.
 */
int	 grv_cache_check(const struct grv_state *, uint32_t n);
void	 grv_cache_touch(const struct grv_state *, uint32_t n);
void	 grv_cache_folding(const struct grv_state *, int on);
int	 grv_cache_stale(const struct grv_state *);
void	 grv_cache_grow(struct grv_state *);
void	 grv_cache_release(struct grv_state *);

#endif
