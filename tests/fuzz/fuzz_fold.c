/* fuzz_fold: the ledger fold (grv_state_load, as every reader runs it) and
 * grv-check over the same ledgers.  The input is complaints.csv, then
 * "\n--8<--\n", then events.csv, over the fixture's masters. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "grv_check.h"
#include "grv_state.h"

static FILE *devnull;

static void
ctx_setup(struct grv_ctx *ctx)
{
	memset(ctx, 0, sizeof(*ctx));
	ctx->dir = fuzz_dir();
	ctx->wait = 0;
	ctx->now = INT64_C(4102444800);		/* 2100-01-01 */
	ctx->actor = "fuzz";
	grv_conf_defaults(&ctx->conf);
	if (grv_conf_load(&ctx->conf, ctx->dir) != 0)
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct grv_ctx ctx;
	static int ready;
	struct grv_ctx cctx;
	struct grv_check_result res;
	struct grv_state st;
	struct grv_fold_opts o;
	const uint8_t *part[2];
	size_t len[2], n;

	if (!ready) {
		ctx_setup(&ctx);
		if (grv_masters_load(&ctx.m, ctx.dir, &ctx.conf) != 0)
			abort();
		ctx.loaded = 1;
		grv_cal_init(&ctx.cal, &ctx.m, &ctx.conf);
		devnull = fopen("/dev/null", "w");
		ready = 1;
	}
	n = fuzz_split(data, size, part, len, 2);
	fuzz_write("ledger/complaints.csv", part[0], len[0]);
	fuzz_write("ledger/events.csv", n > 1 ? part[1] : NULL,
	    n > 1 ? len[1] : 0);
	memset(&o, 0, sizeof(o));
	o.now = ctx.now;
	o.nocache = 1;
	grv_state_load(&st, &ctx, &o);
	grv_state_release(&st);
	ctx_setup(&cctx);
	grv_check(&cctx, devnull, 0, &res);
	grv_ctx_release(&cctx);
	return 0;
}
