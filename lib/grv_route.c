/* grv_route.c: placing a new complaint with its first officer, and moving
 * an open one to another department. */
#include <stdint.h>
#include <string.h>

#include "grv_amend.h"
#include "grv_buf.h"
#include "grv_msg.h"
#include "grv_place.h"
#include "grv_role.h"
#include "grv_route.h"

static void
say_unplaceable(const struct grv_ctx *ctx, const char *id, int dept,
    int level, int above, int loc, const char *outcome)
{
	grv_err("%s: no active officer of %s at level %d%s for %s or above; "
	    "%s", id, ctx->m.depts[dept].code, level, above ?
	    " or any level above" : "", ctx->m.locs[loc].code, outcome);
}

int
grv_route_one(struct grv_writer *w, uint32_t n, const struct grv_cstate *cs,
    struct grv_newevent *ne)
{
	const struct grv_ctx *ctx = w->ctx;
	const struct grv_category *cat = &ctx->m.cats[cs->category];
	char id[48];
	int k;

	struct grv_buf note = GRV_BUF_INIT;
	int level;

	memset(ne, 0, sizeof(*ne));
	if (cat->dept < 0) {
		/* A category the masters no longer list (grv_cat_gone): no
		   department to route to. */
		grv_id_format(ctx->conf.node, n, id, sizeof(id));
		grv_err("%s: category '%s' is no longer in masters/categories."
		    "csv: no department to route it to; left new (grv-amend "
		    "--category corrects it)", id, cat->code);
		return GRV_EX_SOME;
	}
	/* A vacant post: the next level up that has an officer for the
	   place takes it, and the row's note says why (grv-route(1)). */
	k = grv_place_up(ctx, w, cs, cat->dept, cat->start_level, ctx->now,
	    &level, &ne->officer, &ne->due, &note);
	if (k == -2)
		return grv_due_refused(ctx, n, ne->due);
	if (k == -1) {
		grv_id_format(ctx->conf.node, n, id, sizeof(id));
		say_unplaceable(ctx, id, cat->dept, cat->start_level,
		    ctx->conf.levels > cat->start_level, cs->loc, "left new");
		return GRV_EX_SOME;
	}
	ne->n = n;
	ne->kind = GRV_EV_ROUTE;
	ne->level = level;
	ne->dept = cat->dept;
	ne->note = note.s;	/* NULL: placed where it was to go */
	grv_writer_add(w, ne);	/* the row is laid out here */
	ne->note = NULL;
	grv_buf_release(&note);
	return 0;
}

int
grv_transfer_category(const struct grv_ctx *ctx, const char *c, int dept)
{
	const struct grv_masters *m = &ctx->m;
	const char *sug;
	int cat;

	if ((cat = grv_cat_find(m, c)) == -1) {
		if ((sug = grv_suggest_in(m, &m->cat_ix, c)) != NULL)
			grv_err("--category: unknown category '%s' (did you "
			    "mean '%s'?)", c, sug);
		else
			grv_err("--category: unknown category '%s'", c);
		return -1;
	}
	if (m->cats[cat].dept != dept) {
		grv_err("--category: '%s' is a category of %s, not of %s", c,
		    m->depts[m->cats[cat].dept].code, m->depts[dept].code);
		return -1;
	}
	return cat;
}

int
grv_transfer(struct grv_writer *w, const char *id, int dept, int cat,
    const char *reason, struct grv_newevent ne[2], size_t *k)
{
	const struct grv_ctx *ctx = w->ctx;
	struct grv_cstate *cs, placed;
	struct grv_buf note = GRV_BUF_INIT;
	const char *why;
	uint32_t n;
	int rc, level;

	*k = 0;
	if ((cs = grv_writer_find(w, id, &n)) == NULL) {
		return GRV_EX_DATAERR;
	}
	/* An officer moves only what it holds (grv_role.h). */
	if ((rc = grv_role_permit_on(ctx, GRV_OP_TRANSFER, cs, id)) != 0)
		return rc;
	why = grv_event_refused(cs, GRV_EV_TRANSFER, 0);	/* limit too */
	if (why == NULL && cs->dept == dept)
		why = "already with that department";
	if (why) {
		grv_err("%s: %s; it is %s with %s", id, why,
		    grv_status_names[cs->status], cs->dept >= 0 ?
		    ctx->m.depts[cs->dept].code : "no department");
		return GRV_EX_DATAERR;
	}
	memset(ne, 0, 2 * sizeof(*ne));
	/* Placed as it will be once amended: the due follows CAT. */
	placed = *cs;
	if (cat >= 0)
		placed.category = (int16_t)cat;
	/* Its level's post vacant in DEPT: placed as a route is. */
	if ((rc = grv_place_up(ctx, w, &placed, dept, cs->level, ctx->now,
	    &level, &ne[1].officer, &ne[1].due, &note)) == -2)
		return grv_due_refused(ctx, n, ne[1].due);
	if (rc == -1) {
		say_unplaceable(ctx, id, dept, cs->level,
		    ctx->conf.levels > cs->level, cs->loc, "not transferred");
		return GRV_EX_SOME;
	}
	if (cat >= 0 && cat != cs->category) {
		grv_amend_add(w, n, GRV_R_CATEGORY, cat, &ne[0]);
		*k = 1;
	}
	ne[1].n = n;
	ne[1].kind = GRV_EV_TRANSFER;
	ne[1].level = level;
	ne[1].dept = dept;
	ne[1].reason = reason;
	ne[1].note = note.s;
	grv_writer_add(w, &ne[1]);	/* the row is laid out here */
	ne[1].note = NULL;
	grv_buf_release(&note);
	return 0;
}
