/* grv_place.c: where a complaint goes: the responsible officer for its
 * place, and its due from the level's limit on the working calendar. */
#include <stdint.h>

#include "grv_msg.h"
#include "grv_place.h"
#include "grv_write.h"

int
grv_place_days(const struct grv_ctx *ctx, const struct grv_cstate *cs,
    int dept, int level, int *officer, int *days)
{
	const struct grv_masters *m = &ctx->m;
	int cat = cs->category;

	*officer = grv_responsible(m, dept, level, cs->loc);
	if (*officer == -1)
		return -1;
	/* A transfer to another department leaves the category's limits
	   behind: they were set for the category's own department. */
	if (cat >= 0 && m->cats[cat].dept != dept)
		cat = -1;
	*days = grv_sla_days(m, &ctx->conf, cat, dept, level);
	return 0;
}

int
grv_place(const struct grv_ctx *ctx, const struct grv_cstate *cs, int dept,
    int level, grv_time_t at, int *officer, grv_time_t *due)
{
	int days;

	if (grv_place_days(ctx, cs, dept, level, officer, &days) == -1)
		return -1;
	*due = grv_cal_add(&ctx->cal, at, days);
	return grv_time_writable(*due, ctx->conf.tz) ? 0 : -2;
}

int
grv_due_refused(const struct grv_ctx *ctx, uint32_t n, grv_time_t due)
{
	char id[48];
	int y, m, d;

	grv_id_format(ctx->conf.node, n, id, sizeof(id));
	grv_civil_from_days(grv_local_day(due, ctx->conf.tz), &y, &m, &d);
	grv_err("%s: due %04d-%02d-%02d is outside the years 1970-9999; "
	    "nothing written", id, y, m, d);
	return GRV_EX_DATAERR;
}

int
grv_place_up(const struct grv_ctx *ctx, struct grv_writer *w,
    const struct grv_cstate *cs, int dept, int level, grv_time_t at,
    int *placed, int *officer, grv_time_t *due, struct grv_buf *note)
{
	int k = -1;

	for (*placed = level; *placed <= ctx->conf.levels; ++*placed)
		if ((k = w ? grv_writer_place(w, cs, dept, *placed, at,
		    officer, due) : grv_place(ctx, cs, dept, *placed, at,
		    officer, due)) != -1)
			break;
	if (k == 0 && *placed != level && note)
		grv_vacant_note(note, ctx, dept, level, cs->loc, *placed);
	return k;
}

void
grv_vacant_note(struct grv_buf *b, const struct grv_ctx *ctx, int dept,
    int from, int loc, int level)
{
	grv_buf_printf(b, "vacant post: no active officer of %s at level %d "
	    "for %s or above; placed at level %d", ctx->m.depts[dept].code,
	    from, ctx->m.locs[loc].code, level);
}
