/* grv_amend.c: correcting a complaint's place or category, and placing it
 * again with the officer the corrected field makes responsible. */
#include <string.h>

#include "grv_amend.h"
#include "grv_msg.h"
#include "grv_place.h"
#include "grv_role.h"
#include "grv_route.h"

/* The code FIELD's value CODE has in the masters. */
static const char *
code_of(const struct grv_masters *m, int field, int code)
{
	return field == GRV_R_LOC ? m->locs[code].code : m->cats[code].code;
}

void
grv_amend_add(struct grv_writer *w, uint32_t n, int field, int code,
    struct grv_newevent *ne)
{
	memset(ne, 0, sizeof(*ne));
	ne->n = n;
	ne->kind = GRV_EV_AMEND;
	ne->dept = ne->officer = -1;
	ne->due = GRV_TIME_NONE;
	ne->reason = grv_reason_names[field];
	ne->note = code_of(&w->ctx->m, field, code);
	grv_writer_add(w, ne);
}

int
grv_amend(struct grv_writer *w, const char *id, int field, int code,
    const char *reason, struct grv_newevent ne[2], size_t *k)
{
	const struct grv_ctx *ctx = w->ctx;
	const struct grv_masters *m = &ctx->m;
	struct grv_cstate *cs, fixed;
	uint32_t n;
	int dept, now, rc;

	*k = 0;
	memset(ne, 0, 2 * sizeof(*ne));
	if ((cs = grv_writer_find(w, id, &n)) == NULL)
		return GRV_EX_DATAERR;
	/* An officer corrects only what it holds (grv_role.h). */
	if ((rc = grv_role_permit_on(ctx, GRV_OP_AMEND, cs, id)) != 0)
		return rc;
	if (cs->status != GRV_ST_NEW && cs->status != GRV_ST_OPEN) {
		grv_err("%s: only a new or open complaint can be amended (it "
		    "is %s)", id, grv_status_names[cs->status]);
		return GRV_EX_DATAERR;
	}
	now = field == GRV_R_LOC ? cs->loc : cs->category;
	if (now == code) {
		grv_err("%s: its %s is '%s' already", id, field == GRV_R_LOC ?
		    "location" : "category", code_of(m, field, code));
		return GRV_EX_DATAERR;
	}
	fixed = *cs;
	if (field == GRV_R_LOC)
		fixed.loc = code;
	else
		fixed.category = (int16_t)code;
	dept = field == GRV_R_CATEGORY && cs->status == GRV_ST_OPEN ?
	    m->cats[code].dept : cs->dept;
	if (cs->status == GRV_ST_OPEN && dept != cs->dept) {
		/* Another department's category: the amend and a transfer
		   (grv-route --transfer --category), one append. */
		rc = grv_transfer(w, id, dept, code, reason, ne, k);
		*k = rc == 0 ? 2 : 0;
		return rc == GRV_EX_SOME ? GRV_EX_DATAERR : rc;
	}
	if (cs->status == GRV_ST_OPEN) {
		if ((rc = grv_place(ctx, &fixed, dept, cs->level, ctx->now,
		    &ne[1].officer, &ne[1].due)) == -2)
			return grv_due_refused(ctx, n, ne[1].due);
		if (rc == -1) {
			grv_err("%s: no active officer of %s at level %d for %s "
			    "or above; not amended", id, m->depts[dept].code,
			    cs->level, m->locs[fixed.loc].code);
			return GRV_EX_DATAERR;
		}
	}
	grv_amend_add(w, n, field, code, &ne[0]);
	*k = 1;
	if (cs->status != GRV_ST_OPEN)
		return 0;		/* new: grv-route places it */
	ne[1].n = n;
	ne[1].kind = GRV_EV_MOVE;
	ne[1].level = cs->level;
	ne[1].dept = dept;
	ne[1].reason = reason;
	grv_writer_add(w, &ne[1]);
	*k = 2;
	return 0;
}
