/* grv_state.h: each complaint's state as a program needs it: vouched for
 * by the high-water mark, from cache/ where the caller allows it, folded
 * the rest of the way. */
#ifndef GRV_STATE_H
#define GRV_STATE_H

#include "grv_complaint.h"
#include "grv_ctx.h"
#include "grv_fold.h"

/*
 * Each complaint's state at O->now (the context's now without O): first
 * every ledger file held to its high-water mark (grv_hwm.h); then, unless
 * O->nocache or a callback asks for every row, the state in cache/ when
 * the mark vouches for the files; grv_fold for the rest (every row when
 * the cache is not used); and cache/ saved again.  A file the mark does
 * not vouch for is folded to its end and verified.  Returns 0, or an exit
 * code after printing "ledger/FILE:LINE: what", leaving no state.
 */
int	 grv_state_load(struct grv_state *, const struct grv_ctx *,
	    const struct grv_fold_opts *);
/* The same from cache/ only: GRV_FOLD_STALE, nothing folded, when the
   cache cannot be used. */
int	 grv_state_load_cached(struct grv_state *, const struct grv_ctx *,
	    const struct grv_fold_opts *);
/*
 * For a writer about to append, and for any program that trusts what it
 * did not fold: when a ledger file was changed by anything but grv since
 * grv last wrote it, fold both ledgers to their end and refuse (the exit
 * code, printed) what grv-check would call damaged.  O(1) otherwise.
 * HELD as in grv_fold_opts.
 */
int	 grv_state_verify(const struct grv_ctx *, unsigned held);

#endif
