/* ref_intake.h: the plain reference of a complaint row, which the
 * intake's hand-laid rows (grv_intake_batch_add) are held to: every field
 * as a string, through grv_ledger_add (libcsv's quoting, the chain), the
 * id by snprintf and the time by grv_time_format. */
#ifndef REF_INTAKE_H
#define REF_INTAKE_H

#include "grv_ctx.h"
#include "grv_intake.h"
#include "grv_ledger.h"
#include "grv_state.h"

/* Queue complaint N in LG, registered at IN's time or CTX's now. */
static void
ref_intake_add(const struct grv_ctx *ctx, struct grv_ledger *lg, uint32_t n,
    const struct grv_intake *in)
{
	char id[48], ts[GRV_TSLEN];
	const char *f[GRV_C_NCOLS - 1];

	grv_id_format(ctx->conf.node, n, id, sizeof(id));
	grv_time_format(in->registered != GRV_TIME_NONE ? in->registered :
	    ctx->now, ctx->conf.tz, ts);
	f[GRV_C_ID] = id;
	f[GRV_C_REGISTERED] = ts;
	f[GRV_C_CHANNEL] = grv_channel_names[in->channel];
	f[GRV_C_CATEGORY] = ctx->m.cats[in->cat].code;
	f[GRV_C_LOC] = ctx->m.locs[in->loc].code;
	f[GRV_C_NAME] = in->name ? in->name : "";
	f[GRV_C_PHONE] = in->phone;
	f[GRV_C_TEXT] = in->text ? in->text : "";
	f[GRV_C_REF] = in->ref ? in->ref : "";
	grv_ledger_add(lg, f);
}

#endif
