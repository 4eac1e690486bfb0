/* grv_life.c: what the writers ask of whoever acts on a complaint: an
 * officer who may act on it, and a reason that says enough. */
#include <stdio.h>
#include <string.h>

#include "grv_buf.h"
#include "grv_cache.h"
#include "grv_csv.h"
#include "grv_fold.h"
#include "grv_layout.h"
#include "grv_phone.h"
#include "grv_life.h"
#include "grv_msg.h"
#include "grv_place.h"
#include "grv_rules.h"

const char *
grv_may_act(const struct grv_ctx *ctx, const struct grv_cstate *cs,
    int officer, int force, struct grv_buf *why)
{
	const struct grv_masters *m = &ctx->m;
	const struct grv_officer *o = &m->officers[officer];
	const char *hdept;

	grv_buf_reset(why);
	if (!o->active) {
		grv_buf_printf(why, "officer '%s' is not active", o->code);
		return why->s;
	}
	if (cs->officer < 0 || cs->dept < 0) {
		grv_buf_printf(why, "the complaint has not been placed with "
		    "any officer yet");
		return why->s;
	}
	hdept = m->depts[cs->dept].code;
	if (force) {
		if (o->dept != cs->dept)
			grv_buf_printf(why, "officer '%s' is not of %s, the "
			    "department holding it", o->code, hdept);
		else if (o->level < GRV_FORCE_LEVEL)
			grv_buf_printf(why, "officer '%s' is at level %d: "
			    "a special closure needs level %d or above",
			    o->code, o->level, GRV_FORCE_LEVEL);
		else if (o->level < cs->level)
			grv_buf_printf(why, "officer '%s' is at level %d, "
			    "below the complaint's level %d", o->code,
			    o->level, cs->level);
		else if (!grv_loc_within(m, cs->loc, o->loc))
			grv_buf_printf(why, "the complaint's place '%s' is "
			    "outside the jurisdiction of '%s' (%s)",
			    m->locs[cs->loc].code, o->code,
			    m->locs[o->loc].code);
		return why->len ? why->s : NULL;
	}
	if (officer == cs->officer)
		return NULL;
	if (o->dept == cs->dept && o->level > cs->level &&
	    grv_loc_within(m, cs->loc, o->loc))
		return NULL;
	grv_buf_printf(why, "officer '%s' neither holds it (%s does, %s "
	    "level %d) nor is above that officer over '%s'", o->code,
	    m->officers[cs->officer].code, hdept, cs->level,
	    m->locs[cs->loc].code);
	return why->s;
}

int
grv_count_words(const char *s)
{
	int n = 0, in = 0;

	for (; *s; s++) {
		if (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r' ||
		    *s == '\v' || *s == '\f')
			in = 0;
		else if (!in) {
			in = 1;
			n++;
		}
	}
	return n;
}

int
grv_text_check(const char *opt, const char *s, int minwords)
{
	struct grv_buf why = GRV_BUF_INIT;
	size_t n = strlen(s);
	int k, w;

	/* Blank or not, the words below say. */
	if ((k = grv_rule_freetext(s, n, 0)) != GRV_TEXT_OK) {
		grv_freetext_why(&why, k, n);
		grv_err("--%s: %s", opt, why.s);
		grv_buf_release(&why);
		return -1;
	}
	if ((w = grv_count_words(s)) < minwords) {
		if (w == 0)
			grv_err("--%s: empty", opt);
		else
			grv_err("--%s: '%s' says too little: say what was "
			    "done (at least %d words)", opt, s, minwords);
		return -1;
	}
	return 0;
}

int
grv_resume_event(const struct grv_ctx *ctx, const struct grv_cstate *cs,
    uint32_t n, int reason, struct grv_newevent *ne)
{
	memset(ne, 0, sizeof(*ne));
	ne->n = n;
	ne->kind = GRV_EV_RESUME;
	ne->level = cs->level;
	ne->dept = cs->dept;
	ne->officer = cs->officer;
	ne->due = grv_cal_resume(&ctx->cal, cs->held, cs->due, ctx->now);
	ne->reason = grv_reason_names[reason];
	if (!grv_time_writable(ne->due, ctx->conf.tz))
		return grv_due_refused(ctx, n, ne->due);
	return 0;
}

int
grv_reopen_event(const struct grv_ctx *ctx, const struct grv_cstate *cs,
    uint32_t n, int reason, const char *said, struct grv_newevent *ne,
    struct grv_buf *note)
{
	struct grv_buf vacant = GRV_BUF_INIT;
	const char *why;
	char id[48];
	int k, level;

	grv_id_format(ctx->conf.node, n, id, sizeof(id));
	if ((why = grv_reopen_refused(&ctx->conf, cs, ctx->now)) != NULL) {
		grv_err("%s: %s (it is %s)", id, why,
		    grv_status_names[cs->status]);
		return GRV_EX_DATAERR;
	}
	memset(ne, 0, sizeof(*ne));
	ne->n = n;
	ne->kind = GRV_EV_REOPEN;
	ne->dept = cs->dept;
	ne->reason = grv_reason_names[reason];
	/* Its post vacant: placed as a route or a climb is (grv_place_up). */
	level = grv_unsatisfied_level(&ctx->conf, cs);
	if ((k = grv_place_up(ctx, NULL, cs, cs->dept, level, ctx->now,
	    &ne->level, &ne->officer, &ne->due, &vacant)) == -2)
		return grv_due_refused(ctx, n, ne->due);
	if (k == -1) {
		grv_err("%s: no active officer of %s at level %d or any level "
		    "above for %s or above; not reopened", id,
		    ctx->m.depts[cs->dept].code, level,
		    ctx->m.locs[cs->loc].code);
		return GRV_EX_DATAERR;
	}
	if (said)
		grv_buf_adds(note, said);
	if (said && vacant.s)
		grv_buf_adds(note, "; ");
	if (vacant.s)
		grv_buf_adds(note, vacant.s);
	grv_buf_release(&vacant);
	ne->note = note->s;
	return 0;
}

struct phones {
	uint32_t	 n[2];
	char		 p[2][GRV_PHONE_SIZE];
	int		 seen;
};
#define PHONES_STOP	1000	/* both seen */

/* Complaint N's phone as registered, if it is one of the two. */
static int
phone_one(void *arg, uint32_t n, const struct grv_cstate *cs,
    const struct grv_csv_row *row)
{
	struct phones *ph = arg;
	size_t len = row->flen[GRV_C_PHONE];
	int i;

	(void)cs;
	for (i = 0; i < 2; i++)
		if (n == ph->n[i]) {
			if (len >= GRV_PHONE_SIZE)
				len = GRV_PHONE_SIZE - 1;
			memcpy(ph->p[i], row->f[GRV_C_PHONE], len);
			ph->p[i][len] = '\0';
			ph->seen |= 1 << i;
		}
	return 0;
}

/* The same for the fold, stopping it once both are seen. */
static int
phone_row(void *arg, uint32_t n, const struct grv_cstate *cs,
    const struct grv_csv_row *row)
{
	struct phones *ph = arg;

	phone_one(arg, n, cs, row);
	return ph->seen == 3 ? PHONES_STOP : 0;
}

int
grv_same_phone(const struct grv_ctx *ctx, const struct grv_state *have,
    uint32_t a, uint32_t b, unsigned held)
{
	struct grv_state st = GRV_STATE_INIT;
	struct grv_csv_reader *rd = NULL;
	struct grv_fold_opts o;
	struct phones ph;
	int rc = 0, i;

	memset(&ph, 0, sizeof(ph));
	ph.n[0] = a;
	ph.n[1] = b;
	/* The two rows through the row index; the fold when it cannot say. */
	for (i = 0; have && i < 2 && rc == 0; i++)
		rc = grv_cache_complaint_row(have, ctx, ph.n[i], phone_one,
		    &ph, &rd);
	if (rd)
		grv_csv_close(rd);
	if (have == NULL || rc != 0 || ph.seen != 3) {
		ph.seen = 0;
		memset(&o, 0, sizeof(o));
		o.now = ctx->now;
		o.held = held;
		o.on_complaint = phone_row;
		o.arg = &ph;
		rc = grv_state_load(&st, ctx, &o);
		grv_state_release(&st);
		if (rc != 0 && rc != PHONES_STOP)
			return rc;
	}
	return ph.seen == 3 && strcmp(ph.p[0], ph.p[1]) == 0 ? 0 : 1;
}

/*
 * The answer given on a call made at AT (--called): the rows' time, once
 * it is no earlier than the resolve it answers and the ledger's last row
 * (timestamps never go back), and no later than now.  0 (the context's
 * now set to AT), or 65 after saying why not.
 */
int
grv_call_time(struct grv_writer *w, const struct grv_cstate *cs, const char *id,
    grv_time_t at)
{
	char t[GRV_TSLEN], b[GRV_TSLEN];
	const char *why = NULL;
	grv_time_t bound = GRV_TIME_NONE, last;

	if (at > w->ctx->now) {
		why = "after now";
		bound = w->ctx->now;
	} else if (cs->resolved != GRV_TIME_NONE && at < cs->resolved) {
		why = "before the resolve it answers";
		bound = cs->resolved;
	} else if (w->lg.last && grv_time_parse_ts(w->lg.last, 25,
	    &last) == 0 && at < last) {
		why = "before the last row of ledger/events.csv";
		bound = last;
	}
	if (why == NULL) {
		w->ctx->now = at;
		return 0;
	}
	grv_ctx_ts(w->ctx, at, t);
	grv_ctx_ts(w->ctx, bound, b);
	grv_err("%s: --called %s is %s (%s)%s", id, t, why, b, at > w->ctx->now
	    || at < cs->resolved ? "" : ": timestamps never go back");
	return GRV_EX_DATAERR;
}
