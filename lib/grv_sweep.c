/* grv_sweep.c: the escalation sweep's decisions. */
#include <stdlib.h>
#include <string.h>

#include "grv_alloc.h"
#include "grv_buf.h"
#include "grv_csv.h"
#include "grv_life.h"
#include "grv_msg.h"
#include "grv_place.h"
#include "grv_sweep.h"

static struct grv_sweep_item *
push(struct grv_sweep *sw)
{
	struct grv_sweep_item *it;

	if (sw->n == sw->cap) {
		sw->cap = sw->cap ? sw->cap * 2 : 64;
		sw->items = grv_reallocarray(sw->items, sw->cap,
		    sizeof(*sw->items));
	}
	it = &sw->items[sw->n++];
	memset(it, 0, sizeof(*it));
	it->ev.officer = -1;
	it->ev.dept = -1;
	it->ev.due = GRV_TIME_NONE;
	return it;
}

static int
climb(struct grv_sweep *sw, const struct grv_ctx *ctx,
    const struct grv_cstate *cs, uint32_t n)
{
	const struct grv_masters *m = &ctx->m;
	struct grv_sweep_item *it;
	int level, officer, k = -1;
	grv_time_t due;
	struct grv_buf note = GRV_BUF_INIT;
	char id[48];

	/* A vacant level is climbed over, as a first route does: the next
	   level up that has an officer for the place takes it, and the
	   row's note says why (grv-escalate(1)). */
	k = grv_place_up(ctx, NULL, cs, cs->dept, cs->level + 1, ctx->now,
	    &level, &officer, &due, &note);
	if (k == -2)
		return grv_due_refused(ctx, n, due);
	if (k == -1) {
		grv_id_format(ctx->conf.node, n, id, sizeof(id));
		grv_err("%s: no active officer of %s at level %d for %s or "
		    "above; stays at level %d", id, m->depts[cs->dept].code,
		    cs->level + 1, m->locs[cs->loc].code, cs->level);
		return GRV_EX_SOME;
	}
	it = push(sw);
	it->ev.note = note.s;	/* NULL, or freed by grv_sweep_release */
	it->ev.n = n;
	it->ev.kind = GRV_EV_ESCALATE;
	it->ev.level = level;
	it->ev.dept = cs->dept;
	it->ev.officer = officer;
	it->ev.due = due;
	it->ev.reason = grv_reason_names[GRV_R_OVERDUE];
	it->from_level = cs->level;
	it->holder = officer;
	return 0;
}

static void
close_unverified(struct grv_sweep *sw, const struct grv_cstate *cs,
    uint32_t n)
{
	struct grv_sweep_item *it = push(sw);

	/* As grv-feedback writes a close: level and department kept, no
	   officer (nobody acted; the sweep did). */
	it->ev.n = n;
	it->ev.kind = GRV_EV_CLOSE;
	it->ev.level = cs->level;
	it->ev.dept = cs->dept;
	it->ev.reason = grv_reason_names[GRV_R_UNVERIFIED];
	it->from_level = cs->level;
	it->holder = cs->officer;
}

/* A hold older than hold_days resumes (SPEC 7.2): 0 or 65 (said). */
static int
resume_expired(struct grv_sweep *sw, const struct grv_ctx *ctx,
    const struct grv_cstate *cs, uint32_t n)
{
	struct grv_newevent ne;
	struct grv_sweep_item *it;
	int rc;

	if ((rc = grv_resume_event(ctx, cs, n, GRV_R_EXPIRED, &ne)) != 0)
		return rc;
	it = push(sw);
	it->ev = ne;
	it->from_level = cs->level;
	it->holder = ne.officer;
	return 0;
}

/* Park N, which could not climb or was never placed: the next sweep looks
   at it again, whatever its wake. */
static void
park(struct grv_sweep *sw, uint32_t n)
{
	if (sw->nstuck == sw->stuckcap) {
		sw->stuckcap = sw->stuckcap ? sw->stuckcap * 2 : 16;
		sw->stuck = grv_reallocarray(sw->stuck, sw->stuckcap,
		    sizeof(*sw->stuck));
	}
	sw->stuck[sw->nstuck++] = n;
}

/* One line for the complaints never placed: how many, the first few. */
static void
say_unplaced(const struct grv_ctx *ctx, const struct grv_state *st,
    const struct grv_sweep *sw)
{
	const struct grv_cstate *cs;
	struct grv_buf b = GRV_BUF_INIT;
	char id[48];
	size_t i, shown = 0;

	for (i = 0; i < sw->nstuck && shown < 5; i++) {
		if ((cs = grv_state_get(st, sw->stuck[i])) == NULL ||
		    cs->status != GRV_ST_NEW)
			continue;
		grv_id_format(ctx->conf.node, sw->stuck[i], id, sizeof(id));
		grv_buf_printf(&b, "%s%s", shown ? " " : "", id);
		shown++;
	}
	grv_err("%zu complaint%s never placed, status new (%s%s): "
	    "grv-route places them, grv-list --status new lists them",
	    sw->nnew, sw->nnew == 1 ? "" : "s", b.s ? b.s : "",
	    sw->nnew > shown ? " ..." : "");
	grv_buf_release(&b);
}

int
grv_sweep_plan(struct grv_sweep *sw, const struct grv_ctx *ctx,
    const struct grv_state *st, const uint32_t *ids, size_t nids)
{
	const grv_time_t now = ctx->now;
	const struct grv_cstate *cs;
	grv_time_t wake;
	size_t i, end = ids ? nids : st->n;
	uint32_t n;
	int rc = 0, k;

	for (i = 0; i < end; i++) {
		n = ids ? ids[i] : (uint32_t)i + 1;
		if ((cs = grv_state_get(st, n)) == NULL ||
		    (wake = grv_wake(&ctx->conf, cs)) == GRV_TIME_NONE ||
		    !(wake < now))
			continue;
		if (cs->status == GRV_ST_RESOLVED) {
			close_unverified(sw, cs, n);
			continue;
		}
		if (cs->status == GRV_ST_HOLD) {
			grv_setrc(&rc, resume_expired(sw, ctx, cs, n));
			continue;
		}
		if (cs->status == GRV_ST_NEW) {
			sw->nnew++;
			park(sw, n);
			continue;
		}
		k = climb(sw, ctx, cs, n);
		if (k == GRV_EX_SOME)
			park(sw, n);
		grv_setrc(&rc, k);
	}
	if (sw->nnew) {
		say_unplaced(ctx, st, sw);
		grv_setrc(&rc, GRV_EX_SOME);
	}
	return rc;
}

void
grv_sweep_release(struct grv_sweep *sw)
{
	size_t i;

	for (i = 0; i < sw->n; i++)
		if (sw->items[i].ev.kind == GRV_EV_ESCALATE)
			free((char *)sw->items[i].ev.note);
	free(sw->items);
	free(sw->stuck);
	sw->items = NULL;
	sw->stuck = NULL;
	sw->n = sw->cap = sw->nstuck = sw->stuckcap = sw->nnew = 0;
}

void
grv_sweep_print_header(FILE *fp)
{
	fputs("id,event,from_level,level,dept,officer,due,reason\n", fp);
}

void
grv_sweep_print(FILE *fp, const struct grv_ctx *ctx,
    const struct grv_sweep_item *it)
{
	const struct grv_masters *m = &ctx->m;
	const struct grv_newevent *ne = &it->ev;
	char id[48], from[8], level[8], due[GRV_TSLEN];
	const char *f[8];
	struct grv_buf b = GRV_BUF_INIT;

	grv_id_format(ctx->conf.node, ne->n, id, sizeof(id));
	snprintf(from, sizeof(from), "%d", it->from_level);
	snprintf(level, sizeof(level), "%d", ne->level);
	if (ne->due != GRV_TIME_NONE)
		grv_ctx_ts(ctx, ne->due, due);
	f[0] = id;
	f[1] = grv_event_names[ne->kind];
	f[2] = it->from_level ? from : "";
	f[3] = ne->level ? level : "";
	f[4] = ne->dept >= 0 ? m->depts[ne->dept].code : "";
	f[5] = it->holder >= 0 ? m->officers[it->holder].code : "";
	f[6] = ne->due != GRV_TIME_NONE ? due : "";
	f[7] = ne->reason ? ne->reason : "";
	grv_csv_putrow(&b, f, 8, GRV_CSV_SAFE);
	fwrite(b.s, 1, b.len, fp);
	grv_buf_release(&b);
}
