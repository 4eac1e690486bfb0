/* grv_write.c: a writer session on ledger/events.csv: the lock-then-fold
 * step, event rows queued, and placing with the days remembered. */
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

#include "grv_buf.h"
#include "grv_csv.h"
#include "grv_fast.h"
#include "grv_msg.h"
#include "grv_place.h"
#include "grv_rules.h"
#include "grv_write.h"

int
grv_writer_place(struct grv_writer *w, const struct grv_cstate *cs, int dept,
    int level, grv_time_t at, int *officer, grv_time_t *due)
{
	unsigned i;
	int days;

	if (grv_place_days(w->ctx, cs, dept, level, officer, &days) == -1)
		return -1;
	for (i = 0; i < w->nduememo; i++)
		if (w->duememo[i].at == at && w->duememo[i].days == days) {
			*due = w->duememo[i].due;
			goto check;
		}
	*due = grv_cal_add(&w->ctx->cal, at, days);
	i = w->nduememo < GRV_DUEMEMO ? w->nduememo++ :
	    (unsigned)days % GRV_DUEMEMO;
	w->duememo[i].at = at;
	w->duememo[i].days = days;
	w->duememo[i].due = *due;
check:
	return grv_time_writable(*due, w->ctx->conf.tz) ? 0 : -2;
}

int
grv_writer_begin(struct grv_writer *w, struct grv_ctx *ctx, int point)
{
	struct grv_fold_opts o;
	grv_time_t last;
	int rc;

	memset(w, 0, sizeof(*w));
	w->ctx = ctx;
	w->lg.fd = w->lg.dfd = -1;
	/* Every row carries the actor: one that grv-check would refuse is
	   refused before anything is locked (SPEC 7.1). */
	if (ctx->actor && grv_rule_value(ctx->actor_from ? ctx->actor_from :
	    "--actor", ctx->actor, GRV_ACTOR_MAX, 0) == -1)
		return GRV_EX_DATAERR;
	w->stamps.flags = GRV_CSV_ESCAPE;
	grv_csv_codes_init(&w->depts, ctx->m.ndepts, GRV_CSV_ESCAPE);
	grv_csv_codes_init(&w->officers, ctx->m.nofficers, GRV_CSV_ESCAPE);
	grv_csv_codes_init(&w->events, GRV_EV_COUNT, GRV_CSV_ESCAPE);
	grv_csv_codes_init(&w->actor, 1, GRV_CSV_ESCAPE);
	if ((rc = grv_ledger_lock(&w->lg, ctx->dir, GRV_EVENTS, ctx->wait)))
		return rc;
	grv_ctx_lock_won(ctx);
	if (w->lg.last && grv_time_parse_ts(w->lg.last, 25, &last) == 0 &&
	    (rc = grv_ledger_clock(w->lg.rel, ctx->now, last, w->lg.last,
	    ctx->conf.tz)) != 0)
		return rc;
	memset(&o, 0, sizeof(o));
	o.now = ctx->now;
	o.held = 1u << GRV_EVENTS;	/* ours: no shared lock on top */
	o.point = point;
	if ((rc = grv_state_load(&w->st, ctx, &o)) != 0)
		return rc;
	w->folded = 1;
	return 0;
}

struct grv_cstate *
grv_writer_find(struct grv_writer *w, const char *id, uint32_t *n)
{
	struct grv_cstate *cs;

	if (grv_id_parse(w->ctx->conf.node, id, strlen(id), n) == -1) {
		grv_err("'%s': not a complaint id (expected %s-<number>)", id,
		    w->ctx->conf.node);
		return NULL;
	}
	if ((cs = grv_state_get(&w->st, *n)) == NULL) {
		grv_err("%s: no such complaint", id);
		return NULL;
	}
	return cs;
}

/* Copy N bytes at O; returns the end. */
static char *
copy(char *o, const char *s, size_t n)
{
	memcpy(o, s, n);
	return o + n;
}

/* T as ST writes it: a pointer into ST, good until the next call. */
static const char *
stamp(struct grv_stamps *st, const struct grv_ctx *ctx, grv_time_t t,
    size_t *len)
{
	char ts[GRV_TSLEN];
	unsigned i;

	for (i = 0; i < st->used; i++)
		if (st->slot[i].t == t)
			goto hit;
	if (st->used < GRV_STAMP_SLOTS)
		i = st->used++;
	else {
		i = st->next;
		st->next = (st->next + 1) % GRV_STAMP_SLOTS;
	}
	grv_ctx_ts(ctx, t, ts);
	st->slot[i].t = t;
	st->slot[i].len = (size_t)(grv_csv_emit(st->slot[i].s, ts,
	    strlen(ts), st->flags) - st->slot[i].s);
hit:
	*len = st->slot[i].len;
	return st->slot[i].s;
}

/* At most the bytes a timestamp takes written. */
#define STAMP_ROOM	(2 * (GRV_TSLEN - 1) + 3)

/*
 * What a ledger row and an output row share, written: NE's id, event,
 * level, department and officer (the codes from the sets given, which
 * were set up with the row's flags).
 */
struct placed {
	char		 id[48], level[12];
	const char	*ev, *dept, *off;
	size_t		 idl, levl, evl, deptl, offl;
};

static void
placed_fields(struct placed *f, const struct grv_ctx *ctx,
    const struct grv_newevent *ne, struct grv_csv_codes *events,
    struct grv_csv_codes *depts, struct grv_csv_codes *officers)
{
	const struct grv_masters *m = &ctx->m;

	f->idl = grv_fmt_id(ctx->conf.node, ne->n, f->id, sizeof(f->id));
	f->level[0] = '\0';
	f->levl = 0;
	if (ne->level) {
		f->levl = grv_fmt_int(f->level, ne->level);
		if (f->levl > 7) {	/* as snprintf into 8 bytes cut it */
			f->levl = 7;
			f->level[7] = '\0';
		}
	}
	f->ev = grv_csv_code(events, (size_t)ne->kind,
	    grv_event_names[ne->kind], &f->evl);
	f->dept = f->off = "";
	f->deptl = f->offl = 0;
	if (ne->dept >= 0)
		f->dept = grv_csv_code(depts, (size_t)ne->dept,
		    m->depts[ne->dept].code, &f->deptl);
	if (ne->officer >= 0)
		f->off = grv_csv_code(officers, (size_t)ne->officer,
		    m->officers[ne->officer].code, &f->offl);
}

/* Room placed_emit needs. */
static size_t
placed_room(const struct placed *f)
{
	return 2 * (f->idl + f->levl) + 2 * 3 + STAMP_ROOM + f->evl +
	    f->deptl + f->offl + 5;
}

/* Write id,event,level,dept,officer,due at O (FLAGS for the id and level
   as grv_csv_emit takes them); returns the end. */
static char *
placed_emit(char *o, const struct placed *f, const struct grv_ctx *ctx,
    const struct grv_newevent *ne, struct grv_stamps *stamps,
    unsigned flags)
{
	const char *p;
	size_t l;

	o = grv_csv_emit(o, f->id, f->idl, flags);
	*o++ = ',';
	o = copy(o, f->ev, f->evl);
	*o++ = ',';
	o = grv_csv_emit(o, f->level, f->levl, flags);
	*o++ = ',';
	o = copy(o, f->dept, f->deptl);
	*o++ = ',';
	o = copy(o, f->off, f->offl);
	*o++ = ',';
	if (ne->due != GRV_TIME_NONE) {
		p = stamp(stamps, ctx, ne->due, &l);
		o = copy(o, p, l);
	}
	return o;
}

void
grv_writer_add(struct grv_writer *w, const struct grv_newevent *ne)
{
	const struct grv_ctx *ctx = w->ctx;
	const char *actor, *p;
	char *o;
	size_t actl, l, reasonl = 0, refl = 0, notel = 0;
	struct grv_cstate *cs;
	struct grv_event ev;
	struct grv_fault fl;
	struct placed f;

	/* What the row rules refuse is never written: the programs check
	   their input first; this is the last word (the row is queued, the
	   commit refuses; the first fault is named). */
	if (!w->refused && grv_rules_newevent(ne->kind, ne->level, ne->dept,
	    ne->officer, ne->due, ctx->actor, ne->reason, ne->ref, ne->note,
	    &fl) != 0) {
		struct grv_buf b = GRV_BUF_INIT;
		const char *v[GRV_E_NCOLS] = { "", "", grv_event_names[ne->kind] };
		char id[48];

		v[GRV_E_REASON] = ne->reason ? ne->reason : "";
		grv_id_format(ctx->conf.node, ne->n, id, sizeof(id));
		v[GRV_E_ID] = id;
		grv_fault_msg(&b, &fl, &ctx->conf, GRV_EVENTS, v);
		grv_err("%s: %s: nothing written", id, b.s);
		grv_buf_release(&b);
		w->refused = 1;
	}
	/* The row as grv_ledger_add would write it (ts,id,event,level,dept,
	   officer,due,actor,reason,ref,note), laid out by hand: codes and
	   stamps as the writer's sets and memo have them written, numbers
	   without printf. */
	placed_fields(&f, ctx, ne, &w->events, &w->depts, &w->officers);
	actor = grv_csv_code(&w->actor, 0, ctx->actor ? ctx->actor : "",
	    &actl);
	if (ne->reason)
		reasonl = strlen(ne->reason);
	if (ne->ref)
		refl = strlen(ne->ref);
	if (ne->note)
		notel = strlen(ne->note);
	o = grv_ledger_row(&w->lg, STAMP_ROOM + placed_room(&f) +
	    2 * (reasonl + refl + notel) + 3 * 3 + actl + 5);
	p = stamp(&w->stamps, ctx, ctx->now, &l);
	o = copy(o, p, l);
	*o++ = ',';
	o = placed_emit(o, &f, ctx, ne, &w->stamps, GRV_CSV_ESCAPE);
	*o++ = ',';
	o = copy(o, actor, actl);
	*o++ = ',';
	if (reasonl)
		o = grv_csv_emit(o, ne->reason, reasonl, GRV_CSV_ESCAPE);
	*o++ = ',';
	if (refl)
		o = grv_csv_emit(o, ne->ref, refl, GRV_CSV_ESCAPE);
	*o++ = ',';
	if (notel)
		o = grv_csv_emit(o, ne->note, notel, GRV_CSV_ESCAPE);
	grv_ledger_row_done(&w->lg, o);

	/* Keep the in-memory state in step with what is queued. */
	if ((cs = grv_state_get(&w->st, ne->n)) != NULL) {
		memset(&ev, 0, sizeof(ev));
		ev.ts = ctx->now;
		ev.n = ne->n;
		ev.kind = ne->kind;
		ev.level = ne->level;
		ev.dept = ne->dept;
		ev.officer = ne->officer;
		ev.due = ne->due;
		ev.reason = ne->reason ? grv_reason_code(ne->reason) :
		    GRV_R_NONE;
		ev.code = -1;
		if (ne->kind == GRV_EV_AMEND && ne->note)
			ev.code = ev.reason == GRV_R_CATEGORY ?
			    grv_cat_find(&ctx->m, ne->note) :
			    grv_loc_find(&ctx->m, ne->note);
		grv_state_apply(cs, &ev);
	}
}

int
grv_writer_commit(struct grv_writer *w)
{
	if (w->refused)
		return GRV_EX_DATAERR;
	return grv_ledger_commit(&w->lg);
}

void
grv_writer_unlock(struct grv_writer *w)
{
	if (w->lg.fd != -1) {
		flock(w->lg.fd, LOCK_UN);
		close(w->lg.fd);
		w->lg.fd = -1;
	}
}

void
grv_writer_release(struct grv_writer *w)
{
	grv_ledger_release(&w->lg);
	grv_csv_codes_release(&w->depts);
	grv_csv_codes_release(&w->officers);
	grv_csv_codes_release(&w->events);
	grv_csv_codes_release(&w->actor);
	if (w->folded)
		grv_state_release(&w->st);
	w->folded = 0;
}

void
grv_print_event_header(FILE *fp)
{
	fputs("id,event,level,dept,officer,due\n", fp);
}

/* The written forms of what an output row takes from the masters. */
struct out_codes {
	struct grv_csv_codes	 events, depts, officers;
};

/* Append the output row of NE to B. */
static void
event_row(struct grv_buf *b, const struct grv_ctx *ctx,
    const struct grv_newevent *ne, struct grv_stamps *stamps,
    struct out_codes *c)
{
	struct placed f;
	char *o;

	/* id,event,level,dept,officer,due as grv_csv_putrow would write
	   them with GRV_CSV_SAFE. */
	placed_fields(&f, ctx, ne, &c->events, &c->depts, &c->officers);
	grv_buf_grow(b, placed_room(&f) + 1);
	o = placed_emit(b->s + b->len, &f, ctx, ne, stamps, GRV_CSV_SAFE);
	*o++ = '\n';
	b->len = (size_t)(o - b->s);
	b->s[b->len] = '\0';
}

void
grv_print_event(FILE *fp, const struct grv_ctx *ctx,
    const struct grv_newevent *ne)
{
	grv_print_events(fp, ctx, ne, 1);
}

void
grv_print_events(FILE *fp, const struct grv_ctx *ctx,
    const struct grv_newevent *ne, size_t n)
{
	struct grv_stamps stamps;
	struct grv_buf b = GRV_BUF_INIT;
	struct out_codes c;
	size_t i;

	memset(&stamps, 0, sizeof(stamps));
	stamps.flags = GRV_CSV_SAFE;
	grv_csv_codes_init(&c.events, GRV_EV_COUNT, GRV_CSV_SAFE);
	grv_csv_codes_init(&c.depts, ctx->m.ndepts, GRV_CSV_SAFE);
	grv_csv_codes_init(&c.officers, ctx->m.nofficers, GRV_CSV_SAFE);
	for (i = 0; i < n; i++) {
		event_row(&b, ctx, &ne[i], &stamps, &c);
		if (b.len >= 64 * 1024) {
			fwrite(b.s, 1, b.len, fp);
			grv_buf_reset(&b);
		}
	}
	if (b.len)
		fwrite(b.s, 1, b.len, fp);
	grv_buf_release(&b);
	grv_csv_codes_release(&c.events);
	grv_csv_codes_release(&c.depts);
	grv_csv_codes_release(&c.officers);
}
