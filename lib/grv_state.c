/* grv_state.c: each complaint's state as a program needs it: vouched for
 * by the high-water mark, from cache/ where the caller allows it, folded
 * the rest of the way, and the cache brought up to date. */
#include <stdint.h>
#include <string.h>

#include "grv_cache.h"
#include "grv_hwm.h"
#include "grv_state.h"

static int
load(struct grv_state *st, const struct grv_ctx *ctx,
    const struct grv_fold_opts *o, int cacheonly)
{
	int cached = 0, rc, usecache, trusted;

	memset(st, 0, sizeof(*st));
	st->upto = o ? o->now : ctx->now;
	st->last_ts = st->last_reg = GRV_TIME_NONE;
	/* The cache is only as good as the ledger under it: trusted while
	   every file is as grv last left it (grv_hwm.h), else fold cold. */
	if ((rc = grv_hwm_vouch_all(ctx->dir, o ? o->held : 0, ctx->wait,
	    &trusted)) != 0)
		return rc;
	usecache = !(o && (o->nocache || o->on_complaint || o->on_event));
	if (usecache && trusted && grv_cache_load(st, ctx, o, st->upto) == 0)
		cached = 1;
	else if (cacheonly)
		return GRV_FOLD_STALE;
	else if (usecache)
		grv_cache_build(st, ctx);
	if ((rc = grv_fold(st, ctx, o, cached)) == GRV_FOLD_STALE && cached) {
		/* A record the rows since needed is damaged, or they name
		   an officer no longer in the masters: from scratch, and a
		   new cache. */
		grv_officers_unretire((struct grv_masters *)&ctx->m);
		st->upto = o ? o->now : ctx->now;
		st->last_ts = st->last_reg = GRV_TIME_NONE;
		st->cut = 0;
		grv_cache_build(st, ctx);
		rc = grv_fold(st, ctx, o, 0);
	}
	if (rc != 0)
		return rc;
	if (!trusted && st->cut &&
	    (rc = grv_state_verify(ctx, o ? o->held : 0)) != 0) {
		grv_state_release(st);
		return rc;
	}
	/* A state that names officers no longer in the masters is not
	   saved: their indices live in this process only
	   (grv_officer_retired, grv_loc_gone), so every run folds cold,
	   and says why,
	   until the masters list them again. */
	if (usecache && !st->cut && grv_masters_ngone(&ctx->m) == 0 &&
	    (rc = grv_cache_save(st, ctx)) != 0) {
		grv_state_release(st);	/* the caller keeps no state */
		return rc;
	}
	return 0;
}

int
grv_state_load(struct grv_state *st, const struct grv_ctx *ctx,
    const struct grv_fold_opts *o)
{
	return load(st, ctx, o, 0);
}

int
grv_state_load_cached(struct grv_state *st, const struct grv_ctx *ctx,
    const struct grv_fold_opts *o)
{
	return load(st, ctx, o, 1);
}

int
grv_state_verify(const struct grv_ctx *ctx, unsigned held)
{
	struct grv_state vs;
	struct grv_fold_opts vo;
	int rc, trusted;

	if ((rc = grv_hwm_vouch_all(ctx->dir, held, ctx->wait, &trusted)) != 0 ||
	    trusted)
		return rc;
	/* Every row to the end, rules and all: what grv-check would say. */
	memset(&vo, 0, sizeof(vo));
	vo.now = INT64_MAX;
	vo.nocache = 1;
	vo.held = held;
	rc = grv_state_load(&vs, ctx, &vo);
	grv_state_release(&vs);
	return rc;
}
