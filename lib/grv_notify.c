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

/* One event row after the cursor, as much as its messages need. */
struct evsum {
	uint32_t	 n;
	grv_time_t	 ts;
	char		 kind[16];
	char		 crc[9];
	int32_t		 before, officer;
	int		 dept, category;
	grv_time_t	 due;
	char		*reason;	/* unescaped, or NULL */
	int		 have, skip;
	size_t		 next;		/* the complaint's next row, or NONE */
};
#define NONE	SIZE_MAX

/* Per complaint: its rows after the cursor, and its phone. */
struct per {
	size_t		 first, last;
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
	struct per		*per;
	uint32_t		 nper;
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

static void
per_grow(struct run *r, uint32_t n)
{
	uint32_t i, cap;

	if (n <= r->nper)
		return;
	cap = r->nper ? r->nper : 1024;
	while (cap < n)
		cap *= 2;
	r->per = grv_reallocarray(r->per, cap, sizeof(*r->per));
	for (i = r->nper; i < cap; i++) {
		r->per[i].first = r->per[i].last = NONE;
		r->per[i].k = 0;
		r->per[i].phone[0] = '\0';
	}
	r->nper = cap;
}

/* E from the event EV, whose complaint BEFORE was held by (an officer,
   -1, or AT_CURSOR). */
static void
sum_fill(struct evsum *e, const struct grv_event *ev, int32_t before)
{
	const struct grv_csv_row *row = ev->row;
	const char *why;

	memset(e, 0, sizeof(*e));
	e->n = ev->n;
	e->ts = ev->ts;
	snprintf(e->kind, sizeof(e->kind), "%s", row->f[GRV_E_EVENT]);
	snprintf(e->crc, sizeof(e->crc), "%s", row->f[GRV_E_CRC]);
	e->before = before;
	e->officer = ev->officer;
	e->dept = ev->dept;
	e->category = -1;
	e->due = ev->due;
	/* What is asked (a hold's note), else the reason. */
	why = strcmp(e->kind, "hold") == 0 ? row->f[GRV_E_NOTE] :
	    row->f[GRV_E_REASON];
	e->reason = *why ? grv_csv_unescape(why) : NULL;
	e->have = 1;
	e->next = NONE;
}

/* ---- the fallback: one fold of everything ---- */
static int
fold_complaint(void *arg, uint32_t n, const struct grv_cstate *cs,
    const struct grv_csv_row *row)
{
	struct run *r = arg;

	(void)cs;
	per_grow(r, n);
	snprintf(r->per[n - 1].phone, GRV_PHONE_SIZE, "%s",
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
	sum_fill(&r->ev[r->nev], ev, before->officer);
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
	snprintf(r->per[n - 1].phone, GRV_PHONE_SIZE, "%s",
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
	size_t i;

	for (i = 0; i < r->ntmp; i++)
		free(r->tmp[i].reason);
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
	size_t i, j, at;
	int k, rc = 0, placement, needs_phone, needs_holder;

	if ((rd = grv_csv_open(ctx->dir, "ledger/events.csv",
	    GRV_CSV_LEDGER | GRV_CSV_SEEK)) == NULL)
		return GRV_EX_IOERR;
	if (grv_csv_seek(rd, c->off, c->line + 1) == -1) {
		grv_csv_close(rd);
		return 1;
	}
	per_grow(r, st->n);
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
		p = &r->per[ev.n - 1];
		if (p->first == NONE)
			p->holder = ev.kind == GRV_EV_ROUTE ? -1 : AT_CURSOR;
		e = &r->ev[r->nev];
		sum_fill(e, &ev, p->holder);
		e->skip = r->o->since != GRV_TIME_NONE && ev.ts < r->o->since;
		if (grv_tmpl_placement(e->kind))
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
		p = &r->per[r->ev[i].n - 1];
		if (p->first != i)
			continue;
		needs_phone = needs_holder = 0;
		for (at = i; at != NONE; at = r->ev[at].next) {
			e = &r->ev[at];
			if (e->skip)
				continue;
			placement = grv_tmpl_placement(e->kind);
			needs_phone |= tells(ts, e->kind, GRV_TO_CITIZEN);
			needs_holder |= placement && e->before == AT_CURSOR &&
			    tells(ts, e->kind, GRV_TO_PREVIOUS);
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

	return x ? x->value : r->per[n - 1].phone;
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
	const struct grv_cstate *cs = grv_state_get(st, e->n);
	const char *v[GRV_PH_COUNT], *to[GRV_TO_COUNT];
	const struct grv_tmpl *t;
	char id[64], dueb[32];
	int lang = lang_of(r, e->n), k;

	if (e->skip || !e->have)
		return;
	values(r, lang, e->n, e->officer, e->dept >= 0 ? e->dept :
	    cs ? cs->dept : -1, cs ? cs->category : -1, e->due, e->reason, v,
	    id, dueb);
	to[GRV_TO_CITIZEN] = citizen_phone(r, e->n);
	to[GRV_TO_OFFICER] = officer_phone(r, e->officer);
	to[GRV_TO_PREVIOUS] = grv_tmpl_placement(e->kind) &&
	    e->before != e->officer ? officer_phone(r, e->before) : NULL;
	for (k = 0; k < GRV_TO_COUNT; k++)
		if ((t = grv_tmpl_find(ts, e->kind, strlen(e->kind), k,
		    lang)) != NULL)
			put_msg(out, r, t, to[k], e->n, e->ts, e->kind, e->crc,
			    v);
}

/*
 * The reminders: every open complaint whose reminder time (due -
 * remind_hours) is after FROM (NONE: any) and not after now, and whose
 * due is still ahead.
 */
static void
render_reminders(struct grv_buf *out, const struct run *r,
    const struct grv_tmpls *ts, const struct grv_state *st, grv_time_t from)
{
	const struct grv_ctx *ctx = r->ctx;
	const struct grv_cstate *cs;
	const struct grv_tmpl *t;
	const char *v[GRV_PH_COUNT];
	grv_time_t h = (grv_time_t)ctx->conf.remind_hours * 3600, at;
	char id[64], dueb[32], tsb[GRV_TSLEN];
	uint32_t n;
	int lang;

	for (n = 1; n <= st->n; n++) {
		if ((cs = grv_state_get(st, n)) == NULL ||
		    cs->status != GRV_ST_OPEN || cs->due == GRV_TIME_NONE ||
		    cs->officer < 0)
			continue;
		at = cs->due - h;
		if ((from != GRV_TIME_NONE && at <= from) || at > ctx->now ||
		    ctx->now >= cs->due)
			continue;
		lang = lang_of(r, n);
		if ((t = grv_tmpl_find(ts, GRV_TMPL_REMIND,
		    strlen(GRV_TMPL_REMIND), GRV_TO_OFFICER, lang)) == NULL)
			continue;
		values(r, lang, n, cs->officer, cs->dept, cs->category,
		    cs->due, NULL, v, id, dueb);
		grv_ctx_ts(ctx, cs->due, tsb);
		put_msg(out, r, t, officer_phone(r, cs->officer), n, at,
		    GRV_TMPL_REMIND, tsb, v);
	}
}

/* ---- delivery ---- */
/* Feed BUF to the conf's notify_command on its standard input: 0 when it
   took it all and exited 0, else GRV_EX_IOERR (said). */
static int
gateway(const struct grv_ctx *ctx, const char *buf, size_t n)
{
	const char *cmd = ctx->conf.notify_command;
	void (*old)(int);
	int fd[2], status, werr = 0;
	pid_t pid;

	if (pipe(fd) == -1) {
		grv_err("notify_command: %s", strerror(errno));
		return GRV_EX_IOERR;
	}
	if ((pid = fork()) == -1) {
		grv_err("notify_command: %s", strerror(errno));
		close(fd[0]);
		close(fd[1]);
		return GRV_EX_IOERR;
	}
	if (pid == 0) {
		close(fd[1]);
		if (dup2(fd[0], 0) == -1)
			_exit(127);
		close(fd[0]);
		setenv("GRV_DIR", ctx->dir, 1);
		execl("/bin/sh", "sh", "-c", cmd, (char *)NULL);
		_exit(127);
	}
	close(fd[0]);
	old = signal(SIGPIPE, SIG_IGN);
	if (grv_write_all(fd[1], buf, n) == -1)
		werr = errno;
	close(fd[1]);
	while (waitpid(pid, &status, 0) == -1)
		if (errno != EINTR) {
			status = -1;
			break;
		}
	signal(SIGPIPE, old);
	if (status != -1 && WIFEXITED(status) && WEXITSTATUS(status) == 0 &&
	    werr == 0)
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
		    "run sends the same messages", cmd, werr ?
		    strerror(werr) : "not run");
	return GRV_EX_IOERR;
}

static void
run_release(struct run *r)
{
	size_t i;

	for (i = 0; i < r->nev; i++)
		free(r->ev[i].reason);
	free(r->ev);
	r->ev = NULL;
	r->nev = r->cap = 0;
	free(r->per);
	r->per = NULL;
	r->nper = 0;
	tmp_clear(r);
	free(r->tmp);
	r->tmp = NULL;
	r->tcap = 0;
	grv_corr_release(&r->corr);
}

static const char header[] = "to,lang,dlt_template_id,message,id,event_ts,"
    "key\n";

int
grv_notify_run(const struct grv_ctx *ctx, const struct grv_tmpls *ts,
    const struct grv_notify_opts *o)
{
	struct grv_state st = GRV_STATE_INIT;
	struct grv_fold_opts fo;
	struct grv_cursor c, next;
	struct grv_buf out = GRV_BUF_INIT;
	struct run r;
	size_t i, nmsg;
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
		per_grow(&r, st.n);
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
	/* Each messaged complaint's corrections, read as it is reached. */
	if ((rc = grv_corr_open(ctx, st.n, &r.corr)) != 0)
		goto out;
	for (i = 0; i < r.nev; i++)
		render_event(&out, &r, ts, &st, &r.ev[i]);
	render_reminders(&out, &r, ts, &st, c.found ? c.remind : o->since);
	if ((rc = grv_corr_error(&r.corr)) != 0)
		goto out;
	grv_corr_settle(&r.corr);	/* not held while the gateway runs */
	/* A replay at an earlier --now never moves it back. */
	if (c.remind == GRV_TIME_NONE || ctx->now > c.remind)
		next.remind = ctx->now;
	for (i = 0, nmsg = 0; i < out.len; i++)
		nmsg += out.s[i] == '\n';
	if (o->dry_run || ctx->conf.notify_command[0] == '\0') {
		fputs(header, o->out);
		if (out.len)
			fwrite(out.s, 1, out.len, o->out);
		if (fflush(o->out) == EOF || ferror(o->out)) {
			grv_err("standard output: %s", strerror(errno));
			rc = GRV_EX_IOERR;
			goto out;
		}
	} else if (nmsg > 0) {
		struct grv_buf all = GRV_BUF_INIT;

		grv_buf_adds(&all, header);
		grv_buf_add(&all, out.s, out.len);
		rc = gateway(ctx, all.s, all.len);
		grv_buf_release(&all);
		if (rc)
			goto out;
	}
	if (!o->dry_run)
		rc = grv_cursor_write(ctx->dir, &next);
out:
	grv_buf_release(&out);
	run_release(&r);
	grv_state_release(&st);
	if (lockfd != -1)
		close(lockfd);
	return rc;
}
