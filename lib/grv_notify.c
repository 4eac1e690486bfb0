/* grv_notify.c: grv-notify's engine.  The events after the cursor are read
 * from the cursor's byte in the live events.csv, and each complaint they
 * touch is replayed from the row index of cache/ (its phone, the officer
 * before and after each event); when cache/ cannot say, or the sealed
 * segments changed since the cursor, one fold of the whole ledger does it
 * (grv-notify(1), "How much it reads").  Either way a message's values
 * come from its event's row (officer, department, due, reason), the
 * holder before it, and the complaint's state at the end (category, a
 * department the row leaves empty), so the two agree. */
#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "grv_alloc.h"
#include "grv_buf.h"
#include "grv_cache.h"
#include "grv_correct.h"
#include "grv_csv.h"
#include "grv_csvw.h"
#include "grv_cursor.h"
#include "grv_fast.h"
#include "grv_file.h"
#include "grv_fold.h"
#include "grv_layout.h"
#include "grv_msg.h"
#include "grv_notify.h"
#include "grv_phone.h"
#include "grv_rules.h"
#include "grv_state.h"

/* One event row after the cursor, as much as its messages need: held
   for every row of the run (a month's at a time), so kept small. */
struct evsum {
	grv_time_t	 ts, due;
	uint32_t	 n;
	uint32_t	 next;		/* the complaint's next row, or NONE */
	int32_t		 before, officer, dept;
	uint32_t	 reason;	/* 1 + its offset in run.reasons
					   (unescaped), or 0: none */
	char		 crc[9];
	unsigned char	 kind;		/* enum grv_evkind */
	unsigned char	 skip;
};
#define NONE	UINT32_MAX

/* Per complaint the run touches: its rows after the cursor, and its
   phone.  Found through run.slot, so that only those are held. */
struct per {
	uint32_t	 first, last;
	uint32_t	 k;
	int32_t		 holder;	/* after the rows read so far */
	char		 phone[GRV_PHONE_SIZE];
};
/* The holder at the cursor, not known yet. */
#define AT_CURSOR	(-3)

struct run {
	const struct grv_ctx	*ctx;
	const struct grv_notify_opts *o;
	struct evsum		*ev;
	size_t			 nev, cap;
	struct grv_buf		 reasons;	/* the events' reasons */
	uint32_t		*slot;		/* complaint n: 1 + its per, or 0 */
	uint32_t		 nslot;
	struct per		*per;
	uint32_t		 nper, cper;
	uint32_t		*rem;		/* the complaints reminded */
	size_t			 nrem, crem;
	uint64_t		 ord, seq;	/* fallback: events seen, and the
						   cursor's count */
	/* fallback: where the last event folded ended, in the live file */
	uint64_t		 off;
	unsigned long		 line;
	/* a replay from the row index */
	struct evsum		*tmp;
	size_t			 ntmp, tcap;
	uint32_t		 cur;
	struct grv_corr		 corr;		/* languages, phones corrected */
};

/* Room in the slots for complaints 1 to N. */
static void
slot_grow(struct run *r, uint32_t n)
{
	uint32_t cap;

	if (n <= r->nslot)
		return;
	cap = r->nslot ? r->nslot : 1024;
	while (cap < n)
		cap = cap > UINT32_MAX / 2 ? n : cap * 2;
	r->slot = grv_reallocarray(r->slot, cap, sizeof(*r->slot));
	memset(r->slot + r->nslot, 0, (size_t)(cap - r->nslot) *
	    sizeof(*r->slot));
	r->nslot = cap;
}

/* Complaint N's entry, made when it has none. */
static struct per *
per_get(struct run *r, uint32_t n)
{
	struct per *p;

	slot_grow(r, n);
	if (r->slot[n - 1] == 0) {
		if (r->nper == r->cper) {
			r->cper = r->cper ? r->cper * 2 : 1024;
			r->per = grv_reallocarray(r->per, r->cper,
			    sizeof(*r->per));
		}
		p = &r->per[r->nper++];
		p->first = p->last = NONE;
		p->k = 0;
		p->holder = -1;
		p->phone[0] = '\0';
		r->slot[n - 1] = r->nper;
	}
	return &r->per[r->slot[n - 1] - 1];
}

/* Complaint N's entry, or NULL. */
static const struct per *
per_find(const struct run *r, uint32_t n)
{
	return n && n <= r->nslot && r->slot[n - 1] ?
	    &r->per[r->slot[n - 1] - 1] : NULL;
}

static const char *
reason_of(const struct run *r, const struct evsum *e)
{
	return e->reason ? r->reasons.s + e->reason - 1 : NULL;
}

/* E from the event EV, whose complaint BEFORE was held by (an officer,
   -1, or AT_CURSOR). */
static void
sum_fill(struct run *r, struct evsum *e, const struct grv_event *ev,
    int32_t before)
{
	const struct grv_csv_row *row = ev->row;
	const char *why;
	char *u;

	memset(e, 0, sizeof(*e));
	e->n = ev->n;
	e->ts = ev->ts;
	e->kind = (unsigned char)ev->kind;
	snprintf(e->crc, sizeof(e->crc), "%s", row->f[GRV_E_CRC]);
	e->before = before;
	e->officer = ev->officer;
	e->dept = ev->dept;
	e->due = ev->due;
	/* What is asked (a hold's note), else the reason. */
	why = ev->kind == GRV_EV_HOLD ? row->f[GRV_E_NOTE] :
	    row->f[GRV_E_REASON];
	if (*why) {
		u = grv_csv_unescape(why);
		e->reason = (uint32_t)r->reasons.len + 1;
		grv_buf_add(&r->reasons, u, strlen(u) + 1);
		free(u);
	}
	e->next = NONE;
}

/* ---- the fallback: one fold of everything ---- */
static int
fold_complaint(void *arg, uint32_t n, const struct grv_cstate *cs,
    const struct grv_csv_row *row)
{
	struct run *r = arg;

	(void)cs;
	snprintf(per_get(r, n)->phone, GRV_PHONE_SIZE, "%s",
	    row->f[GRV_C_PHONE]);
	return 0;
}

static int
fold_event(void *arg, const struct grv_event *ev,
    const struct grv_cstate *before, const struct grv_cstate *after)
{
	struct run *r = arg;
	int live = strcmp(ev->file, "ledger/events.csv") == 0;

	if (live) {
		r->off = ev->row->end;
		r->line = ev->row->line;
	}
	if (r->ord++ < r->seq)
		return 0;
	if (r->nev == r->cap) {
		r->cap = r->cap ? r->cap * 2 : 1024;
		r->ev = grv_reallocarray(r->ev, r->cap, sizeof(*r->ev));
	}
	(void)after;
	sum_fill(r, &r->ev[r->nev], ev, before->officer);
	r->ev[r->nev].skip = r->o->since != GRV_TIME_NONE &&
	    ev->ts < r->o->since;
	r->nev++;
	return 0;
}

/* ---- the row index ---- */
static int
row_phone(void *arg, uint32_t n, const struct grv_cstate *cs,
    const struct grv_csv_row *row)
{
	struct run *r = arg;

	(void)cs;
	snprintf(per_get(r, n)->phone, GRV_PHONE_SIZE, "%s",
	    row->f[GRV_C_PHONE]);
	return 0;
}

/* A replay: each event's holder before it, and its crc. */
static int
hist_event(void *arg, const struct grv_event *ev,
    const struct grv_cstate *before, const struct grv_cstate *after)
{
	struct run *r = arg;

	(void)after;
	if (r->ntmp == r->tcap) {
		r->tcap = r->tcap ? r->tcap * 2 : 16;
		r->tmp = grv_reallocarray(r->tmp, r->tcap, sizeof(*r->tmp));
	}
	memset(&r->tmp[r->ntmp], 0, sizeof(r->tmp[r->ntmp]));
	r->tmp[r->ntmp].before = before->officer;
	snprintf(r->tmp[r->ntmp].crc, sizeof(r->tmp[r->ntmp].crc), "%s",
	    ev->row->f[GRV_E_CRC]);
	r->ntmp++;
	return 0;
}

static void
tmp_clear(struct run *r)
{
	r->ntmp = 0;
}

static int
no_complaint(void *arg, uint32_t n, const struct grv_cstate *cs,
    const struct grv_csv_row *row)
{
	(void)arg;
	(void)n;
	(void)cs;
	(void)row;
	return 0;
}

/* Whether any template tells RCPT of event KIND. */
static int
tells(const struct grv_tmpls *ts, const char *kind, int rcpt)
{
	int l;

	for (l = 0; l < GRV_LANG_COUNT; l++)
		if (grv_tmpl_find(ts, kind, strlen(kind), rcpt, l))
			return 1;
	return 0;
}

/*
 * The fast way: the rows of the live events.csv from the cursor's byte up
 * to what ST folded, each checked by the row rules; the phone of each
 * complaint a citizen is told of, from the row index; the holder at the
 * cursor, by a replay from the row index, only for a complaint whose
 * officer before a placement is told.  0, 1 when the row index cannot say
 * (the caller folds), or an exit code.
 */
static int
from_cursor(struct run *r, const struct grv_tmpls *ts,
    const struct grv_state *st, const struct grv_cursor *c,
    struct grv_cursor *next)
{
	const struct grv_ctx *ctx = r->ctx;
	struct grv_csv_reader *rd, *crd = NULL;
	struct grv_csv_row *row;
	struct grv_event ev;
	struct grv_fault fl;
	struct evsum *e;
	struct per *p;
	const char *kind;
	size_t i, j, at;
	int k, rc = 0, placement, needs_phone, needs_holder;

	if ((rd = grv_csv_open(ctx->dir, "ledger/events.csv",
	    GRV_CSV_LEDGER | GRV_CSV_SEEK)) == NULL)
		return GRV_EX_IOERR;
	if (grv_csv_seek(rd, c->off, c->line + 1) == -1) {
		grv_csv_close(rd);
		return 1;
	}
	slot_grow(r, st->n);
	while ((k = grv_csv_next(rd, &row)) == 1) {
		if (row->off >= st->pos[GRV_EVENTS].size)
			break;
		if (row->nf != GRV_E_NCOLS || grv_rules_event(&ctx->conf,
		    &ctx->m, (const char *const *)row->f, row->flen, row->raw,
		    row->rawlen, &ev, &fl, 1) != 0 || ev.n == 0 ||
		    ev.n > st->n || grv_event_gone(&ev)) {
			rc = 1;		/* the fold knows better */
			break;
		}
		if (ev.ts > st->upto)
			break;
		ev.row = row;
		if (r->nev == r->cap) {
			r->cap = r->cap ? r->cap * 2 : 1024;
			r->ev = grv_reallocarray(r->ev, r->cap,
			    sizeof(*r->ev));
		}
		p = per_get(r, ev.n);
		if (p->first == NONE)
			p->holder = ev.kind == GRV_EV_ROUTE ? -1 : AT_CURSOR;
		e = &r->ev[r->nev];
		sum_fill(r, e, &ev, p->holder);
		e->skip = r->o->since != GRV_TIME_NONE && ev.ts < r->o->since;
		if (grv_tmpl_placement(grv_event_names[e->kind]))
			p->holder = ev.officer;
		if (p->first == NONE)
			p->first = r->nev;
		else
			r->ev[p->last].next = r->nev;
		p->last = r->nev++;
		p->k++;
		next->off = row->end;
		next->line = row->line;
	}
	if (k == -1)
		rc = grv_csv_ioerror(rd) ? GRV_EX_IOERR : 1;
	if (grv_csv_close(rd) == -1 && rc == 0)
		rc = GRV_EX_IOERR;
	if (rc)
		return rc;
	next->seq = c->seq + r->nev;
	/* Each complaint once, at its first row. */
	for (i = 0; i < r->nev && rc == 0; i++) {
		p = per_get(r, r->ev[i].n);
		if (p->first != i)
			continue;
		needs_phone = needs_holder = 0;
		for (at = i; at != NONE; at = r->ev[at].next) {
			e = &r->ev[at];
			if (e->skip)
				continue;
			kind = grv_event_names[e->kind];
			placement = grv_tmpl_placement(kind);
			needs_phone |= tells(ts, kind, GRV_TO_CITIZEN);
			needs_holder |= placement && e->before == AT_CURSOR &&
			    tells(ts, kind, GRV_TO_PREVIOUS);
		}
		if (needs_phone && grv_cache_complaint_row(st, ctx, r->ev[i].n,
		    row_phone, r, &crd) != 0) {
			rc = 1;
			break;
		}
		if (!needs_holder)
			continue;
		tmp_clear(r);
		if (grv_cache_history(st, ctx, r->ev[i].n, no_complaint,
		    hist_event, r) != 0 || r->ntmp < p->k) {
			rc = 1;
			break;
		}
		/* Its last K events are the rows read, in order: the first
		   one's holder before it is the holder at the cursor. */
		j = r->ntmp - p->k;
		if (strcmp(r->tmp[j].crc, r->ev[i].crc) != 0) {
			rc = 1;
			break;
		}
		for (at = i; at != NONE; at = r->ev[at].next)
			if (r->ev[at].before == AT_CURSOR)
				r->ev[at].before = r->tmp[j].before;
	}
	tmp_clear(r);
	if (crd && grv_csv_close(crd) == -1 && rc == 0)
		rc = GRV_EX_IOERR;
	return rc;
}

/* ---- the messages ---- */
static int
lang_of(const struct run *r, uint32_t n)
{
	return grv_corr_lang(&r->corr, n);
}

/* The citizen's phone: the latest correction's, else as registered. */
static const char *
citizen_phone(const struct run *r, uint32_t n)
{
	const struct grv_xrow *x = grv_corr_latest(&r->corr, n, GRV_XF_PHONE);
	const struct per *p;

	if (x)
		return x->value;
	return (p = per_find(r, n)) != NULL ? p->phone : NULL;
}

/* One CSV row: to,lang,dlt_template_id,message,id,event_ts,key. */
static void
put_msg(struct grv_buf *out, const struct run *r, const struct grv_tmpl *t,
    const char *to, uint32_t n, grv_time_t ts, const char *kind,
    const char *tail, const char *const v[GRV_PH_COUNT])
{
	struct grv_buf msg = GRV_BUF_INIT;
	char mask[GRV_PHONE_SIZE], tsb[GRV_TSLEN], id[64];
	size_t idlen;

	if (to == NULL || *to == '\0')
		return;			/* no number to send to */
	if (r->o->dry_run) {
		grv_phone_mask(to, mask);
		to = mask;
	}
	grv_tmpl_fill(&msg, t, v);
	idlen = grv_fmt_id(r->ctx->conf.node, n, id, sizeof(id));
	grv_ctx_ts(r->ctx, ts, tsb);
	grv_csv_put(out, to, strlen(to), 0);
	grv_buf_addc(out, ',');
	grv_buf_adds(out, grv_lang_names[t->lang]);
	grv_buf_addc(out, ',');
	grv_buf_adds(out, t->dlt);
	grv_buf_addc(out, ',');
	grv_csv_put(out, msg.s, msg.len, 0);
	grv_buf_addc(out, ',');
	grv_buf_add(out, id, idlen);
	grv_buf_addc(out, ',');
	grv_buf_adds(out, tsb);
	grv_buf_addc(out, ',');
	grv_buf_add(out, id, idlen);
	grv_buf_printf(out, ":%s:%s:%s\n", kind, grv_rcpt_names[t->rcpt],
	    tail);
	grv_buf_release(&msg);
}

/* The placeholders' values for complaint N held by OFFICER in DEPT under
   CATEGORY, due DUE, with REASON. */
static void
values(const struct run *r, int lang, uint32_t n, int officer, int dept,
    int category, grv_time_t due, const char *reason,
    const char *v[GRV_PH_COUNT], char id[64], char dueb[32])
{
	const struct grv_masters *m = &r->ctx->m;
	const char *hi;

	grv_fmt_id(r->ctx->conf.node, n, id, 64);
	v[GRV_PH_ID] = id;
	v[GRV_PH_DEPARTMENT] = v[GRV_PH_CATEGORY] = v[GRV_PH_OFFICER] = NULL;
	/* One the masters no longer list (grv_dept_gone, grv_cat_gone):
	   its code, all that is known of it. */
	if (dept >= 0 && (size_t)dept < m->ndepts) {
		hi = m->depts[dept].name_hi;
		v[GRV_PH_DEPARTMENT] = lang == GRV_LANG_HI && hi && *hi ? hi :
		    m->depts[dept].name;
	} else if (dept >= 0 && (size_t)dept < GRV_NDEPTS_ALL(m))
		v[GRV_PH_DEPARTMENT] = m->depts[dept].code;
	if (category >= 0 && (size_t)category < m->ncats) {
		hi = m->cats[category].name_hi;
		v[GRV_PH_CATEGORY] = lang == GRV_LANG_HI && hi && *hi ? hi :
		    m->cats[category].name;
	} else if (category >= 0 && (size_t)category < GRV_NCATS_ALL(m))
		v[GRV_PH_CATEGORY] = m->cats[category].code;
	if (officer >= 0 && (size_t)officer < m->nofficers + m->nretired)
		v[GRV_PH_OFFICER] = m->officers[officer].name;
	v[GRV_PH_DUE] = NULL;
	if (due != GRV_TIME_NONE) {
		grv_tmpl_due(dueb, due, r->ctx->conf.tz);
		v[GRV_PH_DUE] = dueb;
	}
	v[GRV_PH_REASON] = reason;
}

static const char *
officer_phone(const struct run *r, int o)
{
	const struct grv_masters *m = &r->ctx->m;

	return o >= 0 && (size_t)o < m->nofficers + m->nretired ?
	    m->officers[o].phone : NULL;
}

/* Every message of event E to OUT. */
static void
render_event(struct grv_buf *out, const struct run *r,
    const struct grv_tmpls *ts, const struct grv_state *st,
    const struct evsum *e)
{
	const struct grv_cstate *cs;
	const char *v[GRV_PH_COUNT], *to[GRV_TO_COUNT];
	const char *kind = grv_event_names[e->kind];
	const struct grv_tmpl *t;
	struct grv_cstate one;
	char id[64], dueb[32];
	int lang, k;

	if (e->skip)
		return;
	cs = grv_cache_peek(st, e->n, &one);
	lang = lang_of(r, e->n);
	values(r, lang, e->n, e->officer, e->dept >= 0 ? e->dept :
	    cs ? cs->dept : -1, cs ? cs->category : -1, e->due,
	    reason_of(r, e), v, id, dueb);
	to[GRV_TO_CITIZEN] = citizen_phone(r, e->n);
	to[GRV_TO_OFFICER] = officer_phone(r, e->officer);
	to[GRV_TO_PREVIOUS] = grv_tmpl_placement(kind) &&
	    e->before != e->officer ? officer_phone(r, e->before) : NULL;
	for (k = 0; k < GRV_TO_COUNT; k++)
		if ((t = grv_tmpl_find(ts, kind, strlen(kind), k, lang)) !=
		    NULL)
			put_msg(out, r, t, to[k], e->n, e->ts, kind, e->crc, v);
}

/*
 * The reminders: every open complaint whose reminder time (due -
 * remind_hours) is after FROM (NONE: any) and not after now, whose due is
 * still ahead, and for whose language there is a template; their numbers
 * to R->rem, in order.  The records are read from cache/ a block at a
 * time, not through the mapping, so that the walk does not hold the whole
 * state in memory.
 */
static void
find_reminders(struct run *r, const struct grv_tmpls *ts,
    const struct grv_state *st, grv_time_t from)
{
	const struct grv_ctx *ctx = r->ctx;
	const struct grv_cstate *cs;
	struct grv_peek *pk = grv_malloc(sizeof(*pk));
	grv_time_t h = (grv_time_t)ctx->conf.remind_hours * 3600, at;
	uint32_t n;

	pk->n = 0;
	for (n = 1; n <= st->n; n++) {
		if ((cs = grv_cache_peek_next(st, n, pk)) == NULL ||
		    cs->status != GRV_ST_OPEN || cs->due == GRV_TIME_NONE ||
		    cs->officer < 0)
			continue;
		at = cs->due - h;
		if ((from != GRV_TIME_NONE && at <= from) || at > ctx->now ||
		    ctx->now >= cs->due)
			continue;
		if (grv_tmpl_find(ts, GRV_TMPL_REMIND, strlen(GRV_TMPL_REMIND),
		    GRV_TO_OFFICER, lang_of(r, n)) == NULL)
			continue;
		if (r->nrem == r->crem) {
			r->crem = r->crem ? r->crem * 2 : 256;
			r->rem = grv_reallocarray(r->rem, r->crem,
			    sizeof(*r->rem));
		}
		r->rem[r->nrem++] = n;
	}
	free(pk);
}

/* The reminder to the officer holding complaint N. */
static void
render_reminder(struct grv_buf *out, const struct run *r,
    const struct grv_tmpls *ts, const struct grv_state *st, uint32_t n)
{
	const struct grv_ctx *ctx = r->ctx;
	const struct grv_cstate *cs;
	const struct grv_tmpl *t;
	const char *v[GRV_PH_COUNT];
	struct grv_cstate one;
	grv_time_t h = (grv_time_t)ctx->conf.remind_hours * 3600;
	char id[64], dueb[32], tsb[GRV_TSLEN];
	int lang = lang_of(r, n);

	if ((cs = grv_cache_peek(st, n, &one)) == NULL ||
	    (t = grv_tmpl_find(ts, GRV_TMPL_REMIND, strlen(GRV_TMPL_REMIND),
	    GRV_TO_OFFICER, lang)) == NULL)
		return;
	values(r, lang, n, cs->officer, cs->dept, cs->category, cs->due, NULL,
	    v, id, dueb);
	grv_ctx_ts(ctx, cs->due, tsb);
	put_msg(out, r, t, officer_phone(r, cs->officer), n, cs->due - h,
	    GRV_TMPL_REMIND, tsb, v);
}

/* ---- delivery ---- */
/*
 * Where the messages go as they are made, a bounded buffer at a time: the
 * standard output (the header at once), or the standard input of the
 * conf's notify_command, started with the first message (not at all when
 * there is none).
 */
struct sink {
	const struct grv_ctx	*ctx;
	FILE			*f;		/* the standard output, or NULL */
	struct grv_buf		 buf;
	pid_t			 pid;		/* the command, or -1 */
	int			 fd;		/* its standard input */
	int			 werr;		/* errno of a failed write */
	void			(*oldpipe)(int);
};
#define SINK_FLUSH	65536

static const char header[] = "to,lang,dlt_template_id,message,id,event_ts,"
    "key\n";

static void
sink_open(struct sink *s, const struct grv_ctx *ctx, FILE *f)
{
	memset(s, 0, sizeof(*s));
	s->ctx = ctx;
	s->f = f;
	s->pid = -1;
	s->fd = -1;
	if (f)
		grv_buf_adds(&s->buf, header);
}

/* Start the command: 0, or GRV_EX_IOERR (said). */
static int
sink_start(struct sink *s)
{
	int fd[2];

	if (pipe(fd) == -1) {
		grv_err("notify_command: %s", strerror(errno));
		return GRV_EX_IOERR;
	}
	if ((s->pid = fork()) == -1) {
		grv_err("notify_command: %s", strerror(errno));
		close(fd[0]);
		close(fd[1]);
		return GRV_EX_IOERR;
	}
	if (s->pid == 0) {
		close(fd[1]);
		if (dup2(fd[0], 0) == -1)
			_exit(127);
		close(fd[0]);
		setenv("GRV_DIR", s->ctx->dir, 1);
		execl("/bin/sh", "sh", "-c", s->ctx->conf.notify_command,
		    (char *)NULL);
		_exit(127);
	}
	close(fd[0]);
	s->fd = fd[1];
	s->oldpipe = signal(SIGPIPE, SIG_IGN);
	return 0;
}

/* Write what the buffer holds (after a failed write: drop it). */
static void
sink_flush(struct sink *s)
{
	if (s->buf.len == 0)
		return;
	if (s->f)
		fwrite(s->buf.s, 1, s->buf.len, s->f);
	else if (s->werr == 0 && grv_write_all(s->fd, s->buf.s,
	    s->buf.len) == -1)
		s->werr = errno;
	grv_buf_reset(&s->buf);
}

/* After each message or few: the buffer written once it is full, the
   command started with the first.  0, or GRV_EX_IOERR (said). */
static int
sink_more(struct sink *s)
{
	struct grv_buf msgs;
	int rc;

	if (s->f == NULL && s->pid == -1 && s->buf.len > 0) {
		if ((rc = sink_start(s)) != 0)
			return rc;
		msgs = s->buf;		/* the header before them */
		memset(&s->buf, 0, sizeof(s->buf));
		grv_buf_adds(&s->buf, header);
		grv_buf_add(&s->buf, msgs.s, msgs.len);
		grv_buf_release(&msgs);
	}
	if (s->buf.len >= SINK_FLUSH)
		sink_flush(s);
	return 0;
}

/* The end: everything written and taken (the command exited 0, or the
   standard output flushed).  0, or GRV_EX_IOERR (said). */
static int
sink_close(struct sink *s)
{
	const char *cmd = s->ctx->conf.notify_command;
	int status;

	sink_flush(s);
	grv_buf_release(&s->buf);
	if (s->f) {
		if (fflush(s->f) == EOF || ferror(s->f)) {
			grv_err("standard output: %s", strerror(errno));
			return GRV_EX_IOERR;
		}
		return 0;
	}
	if (s->pid == -1)
		return 0;		/* nothing to send */
	close(s->fd);
	while (waitpid(s->pid, &status, 0) == -1)
		if (errno != EINTR) {
			status = -1;
			break;
		}
	signal(SIGPIPE, s->oldpipe);
	if (status != -1 && WIFEXITED(status) && WEXITSTATUS(status) == 0 &&
	    s->werr == 0)
		return 0;
	if (status != -1 && WIFSIGNALED(status))
		grv_err("notify_command '%s': killed by signal %d; the cursor "
		    "stays, the next run sends the same messages", cmd,
		    WTERMSIG(status));
	else if (status != -1 && WIFEXITED(status) && WEXITSTATUS(status))
		grv_err("notify_command '%s': exit status %d; the cursor "
		    "stays, the next run sends the same messages", cmd,
		    WEXITSTATUS(status));
	else
		grv_err("notify_command '%s': %s; the cursor stays, the next "
		    "run sends the same messages", cmd, s->werr ?
		    strerror(s->werr) : "not run");
	return GRV_EX_IOERR;
}

static void
run_release(struct run *r)
{
	free(r->ev);
	r->ev = NULL;
	r->nev = r->cap = 0;
	grv_buf_release(&r->reasons);
	free(r->slot);
	r->slot = NULL;
	r->nslot = 0;
	free(r->per);
	r->per = NULL;
	r->nper = r->cper = 0;
	free(r->rem);
	r->rem = NULL;
	r->nrem = r->crem = 0;
	tmp_clear(r);
	free(r->tmp);
	r->tmp = NULL;
	r->tcap = 0;
	grv_corr_release(&r->corr);
}

int
grv_notify_run(const struct grv_ctx *ctx, const struct grv_tmpls *ts,
    const struct grv_notify_opts *o)
{
	struct grv_state st = GRV_STATE_INIT;
	struct grv_fold_opts fo;
	struct grv_cursor c, next;
	struct sink out;
	struct run r;
	size_t i;
	int lockfd = -1, rc, fast = 0;

	memset(&r, 0, sizeof(r));
	r.ctx = ctx;
	r.o = o;
	if (!o->dry_run &&
	    (lockfd = grv_cursor_lock(ctx->dir, ctx->wait, &rc)) == -1)
		return rc;
	if ((rc = grv_cursor_read(ctx->dir, &c)) != 0)
		goto out;
	next = c;
	r.seq = c.seq;
	memset(&fo, 0, sizeof(fo));
	fo.now = ctx->now;
	fo.point = 1;
	rc = grv_state_load_cached(&st, ctx, &fo);
	if (rc == GRV_FOLD_STALE && !o->dry_run && c.found && c.off > 0) {
		/* No cache/ to read from: one fold that saves it, so that
		   this run and the next read from the cursor. */
		if ((rc = grv_state_load(&st, ctx, &fo)) != 0)
			goto out;
		grv_state_release(&st);
		rc = grv_state_load_cached(&st, ctx, &fo);
	}
	if (rc != 0 && rc != GRV_FOLD_STALE)
		goto out;
	if (rc == 0 && c.found && c.off > 0 &&
	    c.segsig == st.pos[GRV_EVENTS].segsig &&
	    c.off <= st.pos[GRV_EVENTS].size) {
		if ((rc = from_cursor(&r, ts, &st, &c, &next)) == 0)
			fast = 1;
		else if (rc != 1)
			goto out;
	}
	if (!fast) {
		/* One fold of everything: the events from the cursor's
		   count on, every complaint's phone. */
		run_release(&r);
		grv_state_release(&st);
		memset(&fo, 0, sizeof(fo));
		fo.now = ctx->now;
		fo.on_complaint = fold_complaint;
		fo.on_event = fold_event;
		fo.arg = &r;
		if ((rc = grv_state_load(&st, ctx, &fo)) != 0)
			goto out;
		if (r.ord < c.seq) {
			grv_err("%s: %llu events notified, but the ledger holds "
			    "%llu", GRV_CURSOR_REL, (unsigned long long)c.seq,
			    (unsigned long long)r.ord);
			rc = GRV_EX_DATAERR;
			goto out;
		}
		next.seq = r.ord;
		next.off = r.off;
		next.line = r.line;
		next.segsig = st.pos[GRV_EVENTS].segsig;
		if (r.off == 0 && !st.cut) {
			next.off = st.pos[GRV_EVENTS].size;
			next.line = st.pos[GRV_EVENTS].line;
		}
	}
	/* What every message needs is read first, and the corrections let
	   go (not held while the gateway runs): the languages and the
	   phones corrected of each complaint messaged; then the messages
	   are made in order and written as they are, the rows after the
	   cursor and the reminders all that is held. */
	if ((rc = grv_corr_open(ctx, st.n, &r.corr)) != 0)
		goto out;
	for (i = 0; i < r.nev; i++)
		if (!r.ev[i].skip)
			grv_corr_need(&r.corr, r.ev[i].n);
	find_reminders(&r, ts, &st, c.found ? c.remind : o->since);
	if ((rc = grv_corr_error(&r.corr)) != 0)
		goto out;
	grv_corr_settle(&r.corr);
	/* A replay at an earlier --now never moves it back. */
	if (c.remind == GRV_TIME_NONE || ctx->now > c.remind)
		next.remind = ctx->now;
	sink_open(&out, ctx, o->dry_run || ctx->conf.notify_command[0] ==
	    '\0' ? o->out : NULL);
	for (i = 0; i < r.nev && rc == 0; i++) {
		render_event(&out.buf, &r, ts, &st, &r.ev[i]);
		rc = sink_more(&out);
	}
	for (i = 0; i < r.nrem && rc == 0; i++) {
		render_reminder(&out.buf, &r, ts, &st, r.rem[i]);
		rc = sink_more(&out);
	}
	if (rc == 0)
		rc = sink_close(&out);
	else
		(void)sink_close(&out);
	if (rc == 0 && !o->dry_run)
		rc = grv_cursor_write(ctx->dir, &next);
out:
	run_release(&r);
	grv_state_release(&st);
	if (lockfd != -1)
		close(lockfd);
	return rc;
}
