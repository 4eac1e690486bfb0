/* grv_show.c: one complaint's whole history, gathered from the fold and
 * written for a person to read. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "grv_alloc.h"
#include "grv_csv.h"
#include "grv_cache.h"
#include "grv_correct.h"
#include "grv_csvw.h"
#include "grv_ledger.h"
#include "grv_life.h"
#include "grv_msg.h"
#include "grv_show.h"
#include "grv_state.h"
#include "grv_utf8.h"

struct row {
	grv_time_t	 ts;
	int		 kind, level, from_level, dept, officer, reason;
	int		 code, from_code;	/* amend: new and old index */
	grv_time_t	 due;
	char		*actor, *reason_text, *ref, *note;
};

struct show {
	uint32_t	 n;
	int		 found;
	char		*f[GRV_C_NCOLS];	/* the complaint row, unescaped */
	struct row	*ev;
	size_t		 nev, cap;
};

static int
on_complaint(void *arg, uint32_t n, const struct grv_cstate *cs,
    const struct grv_csv_row *r)
{
	struct show *s = arg;
	size_t i;

	(void)cs;
	if (n != s->n)
		return 0;
	s->found = 1;
	for (i = 0; i < GRV_C_NCOLS; i++)
		s->f[i] = grv_csv_unescape(r->f[i]);
	return 0;
}

static int
on_event(void *arg, const struct grv_event *ev, const struct grv_cstate *b,
    const struct grv_cstate *a)
{
	struct show *s = arg;
	const struct grv_csv_row *r = ev->row;
	struct row *e;

	(void)a;
	if (ev->n != s->n)
		return 0;
	if (s->nev == s->cap) {
		s->cap = s->cap ? s->cap * 2 : 16;
		s->ev = grv_reallocarray(s->ev, s->cap, sizeof(*s->ev));
	}
	e = &s->ev[s->nev++];
	e->ts = ev->ts;
	e->kind = ev->kind;
	e->level = ev->level;
	e->from_level = b->level;
	e->dept = ev->dept;
	e->officer = ev->officer;
	e->reason = ev->reason;
	e->due = ev->due;
	e->code = e->from_code = -1;
	if (ev->kind == GRV_EV_AMEND) {
		e->code = ev->code;
		e->from_code = ev->reason == GRV_R_LOC ? b->loc : b->category;
	}
	e->actor = grv_csv_unescape(r->f[GRV_E_ACTOR]);
	e->reason_text = grv_csv_unescape(r->f[GRV_E_REASON]);
	e->ref = grv_csv_unescape(r->f[GRV_E_REF]);
	e->note = grv_csv_unescape(r->f[GRV_E_NOTE]);
	return 0;
}

/* Category CAT's name, or what says the masters no longer list it. */
static const char *
cat_name(const struct grv_masters *m, int cat)
{
	return (size_t)cat < m->ncats ? m->cats[cat].name :
	    "(no longer in masters/categories.csv)";
}

static void
show_release(struct show *s)
{
	size_t i;

	for (i = 0; i < GRV_C_NCOLS; i++)
		free(s->f[i]);
	for (i = 0; i < s->nev; i++) {
		free(s->ev[i].actor);
		free(s->ev[i].reason_text);
		free(s->ev[i].ref);
		free(s->ev[i].note);
	}
	free(s->ev);
}

/* "2026-11-02 10:05" in the conf's tz. */
static const char *
when(const struct grv_ctx *ctx, grv_time_t t)
{
	static char buf[GRV_TSLEN];

	grv_ctx_ts(ctx, t, buf);
	buf[10] = ' ';
	buf[16] = '\0';
	return buf;
}

/* Print TEXT (which may hold line breaks) with every line after LABEL
 * indented to line up under the first. */
static void
block(FILE *fp, const char *indent, const char *label, const char *text)
{
	const char *p = text, *nl;

	fprintf(fp, "%s%s", indent, label);
	for (;;) {
		nl = strchr(p, '\n');
		fprintf(fp, "%.*s\n", (int)(nl ? nl - p : (long)strlen(p)), p);
		if (nl == NULL)
			break;
		p = nl + 1;
		fprintf(fp, "%s%*s", indent, (int)grv_utf8_width(label), "");
	}
}

/* A reopen or a resume (SPEC 7.2): a placement, told with its cause. */
static void
life_event(FILE *fp, const struct grv_ctx *ctx, const struct row *e,
    const char *ind)
{
	struct grv_buf b = GRV_BUF_INIT;

	if (e->kind == GRV_EV_REOPEN)
		fprintf(fp, "reopened at level %d: %s  [%s]\n", e->level,
		    e->reason == GRV_R_CALLBACK ? "the callback found it not "
		    "redressed" : "the citizen says it is not redressed",
		    e->actor);
	else
		fprintf(fp, "resumed: %s  [%s]\n", e->reason ==
		    GRV_R_SUPPLIED ? "the citizen supplied what was asked" :
		    e->reason == GRV_R_EXPIRED ? "the hold ran out" :
		    e->reason_text, e->actor);
	grv_officer_desc(&b, &ctx->m, e->officer);
	fprintf(fp, "%sofficer: %s\n", ind, b.s);
	fprintf(fp, "%sdue:     %s\n", ind, when(ctx, e->due));
	grv_buf_release(&b);
}

static void
event(FILE *fp, const struct grv_ctx *ctx, const struct row *e)
{
	const struct grv_masters *m = &ctx->m;
	struct grv_buf b = GRV_BUF_INIT;
	const char *ind = "                    ";

	fprintf(fp, "  %s  ", when(ctx, e->ts));
	switch (e->kind) {
	case GRV_EV_ROUTE:
	case GRV_EV_TRANSFER:
	case GRV_EV_ESCALATE:
		if (e->kind == GRV_EV_ROUTE)
			grv_buf_adds(&b, "routed to ");
		else if (e->kind == GRV_EV_TRANSFER)
			grv_buf_adds(&b, "transferred to ");
		else if (e->level > e->from_level)
			grv_buf_printf(&b, "escalated from level %d to level "
			    "%d", e->from_level, e->level);
		else
			grv_buf_printf(&b, "sent again to level %d (the top)",
			    e->level);
		if (e->kind != GRV_EV_ESCALATE) {
			grv_dept_desc(&b, m, e->dept);
			grv_buf_printf(&b, ", level %d", e->level);
		} else
			grv_buf_printf(&b, ": %s", e->reason ==
			    GRV_R_UNSATISFIED ? "the citizen was not satisfied"
			    : e->reason == GRV_R_OVERDUE ? "overdue, not acted "
			    "on in time" : e->reason_text);
		grv_buf_adds(&b, "  [");
		grv_buf_adds(&b, e->actor);
		grv_buf_adds(&b, "]");
		fprintf(fp, "%s\n", b.s);
		grv_buf_reset(&b);
		grv_officer_desc(&b, m, e->officer);
		fprintf(fp, "%sofficer: %s\n", ind, b.s);
		fprintf(fp, "%sdue:     %s\n", ind, when(ctx, e->due));
		if (e->kind == GRV_EV_TRANSFER && *e->reason_text)
			block(fp, ind, "why:     ", e->reason_text);
		break;
	case GRV_EV_REOPEN:
	case GRV_EV_RESUME:
		life_event(fp, ctx, e, ind);
		break;
	case GRV_EV_MOVE:
		grv_buf_adds(&b, "moved inside ");
		grv_dept_desc(&b, m, e->dept);
		fprintf(fp, "%s, level %d, after the correction  [%s]\n",
		    b.s, e->level, e->actor);
		grv_buf_reset(&b);
		grv_officer_desc(&b, m, e->officer);
		fprintf(fp, "%sofficer: %s\n", ind, b.s);
		fprintf(fp, "%sdue:     %s\n", ind, when(ctx, e->due));
		block(fp, ind, "why:     ", e->reason_text);
		break;
	case GRV_EV_RATE:
		fprintf(fp, "citizen's rating of the service: %s of 5  [%s]\n",
		    e->reason_text, e->actor);
		break;
	case GRV_EV_HOLD:
		grv_officer_desc(&b, m, e->officer);
		fprintf(fp, "on hold: %s asked the citizen for information;"
		    " the clock stopped  [%s]\n", b.s, e->actor);
		block(fp, ind, "asked:   ", e->note);
		break;
	case GRV_EV_RESOLVE:
		grv_officer_desc(&b, m, e->officer);
		fprintf(fp, "resolved by %s  [%s]\n", b.s, e->actor);
		block(fp, ind, "action:  ", e->reason_text);
		block(fp, ind, "letter:  ", *e->ref ? e->ref : "(none given)");
		break;
	case GRV_EV_FEEDBACK:
		fprintf(fp, "citizen's answer: %s  [%s]\n", e->reason_text,
		    e->actor);
		break;
	case GRV_EV_CALLBACK:
		fprintf(fp, "verification call: %s  [%s]\n",
		    e->reason == GRV_R_CONFIRMED ? "the citizen confirms it "
		    "was redressed" : e->reason == GRV_R_DISPUTED ? "the "
		    "citizen says it was not redressed" : e->reason ==
		    GRV_R_UNREACHABLE ? "the citizen could not be reached" :
		    e->reason_text, e->actor);
		if (strcmp(e->ref, GRV_CB_ALONE) == 0)
			fprintf(fp, "%snot reopened: the rules of reopen did "
			    "not allow it when the call was recorded\n", ind);
		break;
	case GRV_EV_CLOSE:
		if (e->reason == GRV_R_DUPLICATE)
			fprintf(fp, "closed: duplicate of %s", e->note);
		else
			fprintf(fp, "closed: %s", e->reason_text);
		if (e->officer >= 0) {
			grv_officer_desc(&b, m, e->officer);
			fprintf(fp, " by %s", b.s);
		} else if (e->reason == GRV_R_UNVERIFIED)
			fprintf(fp, " (no answer from the citizen within "
			    "%d days)", ctx->conf.feedback_days);
		fprintf(fp, "  [%s]\n", e->actor);
		break;
	case GRV_EV_NOTE:
		if (e->officer >= 0) {
			grv_officer_desc(&b, m, e->officer);
			fprintf(fp, "interim reply by %s  [%s]\n", b.s,
			    e->actor);
		} else
			fprintf(fp, "note  [%s]\n", e->actor);
		break;
	case GRV_EV_AMEND:
		/* "category corrected: was ..., now ..." (the note is the
		   new code, shown in the line) */
		fprintf(fp, "%s corrected  [%s]\n", e->reason == GRV_R_LOC ?
		    "place" : "category", e->actor);
		if (e->reason == GRV_R_LOC) {
			grv_loc_desc(&b, m, e->from_code);
			fprintf(fp, "%swas:     %s  [%s]\n", ind, b.s,
			    m->locs[e->from_code].code);
			grv_buf_reset(&b);
			grv_loc_desc(&b, m, e->code);
			fprintf(fp, "%snow:     %s  [%s]\n", ind, b.s,
			    m->locs[e->code].code);
		} else {
			fprintf(fp, "%swas:     %s  [%s]\n", ind,
			    cat_name(m, e->from_code),
			    m->cats[e->from_code].code);
			fprintf(fp, "%snow:     %s  [%s]\n", ind,
			    cat_name(m, e->code), m->cats[e->code].code);
		}
		break;
	}
	if (e->kind != GRV_EV_RESOLVE && e->kind != GRV_EV_TRANSFER &&
	    *e->ref && !(e->kind == GRV_EV_CALLBACK &&
	    strcmp(e->ref, GRV_CB_ALONE) == 0))
		block(fp, ind, "letter:  ", e->ref);
	if (*e->note && e->kind != GRV_EV_AMEND && e->kind != GRV_EV_HOLD &&
	    !(e->kind == GRV_EV_CLOSE && e->reason == GRV_R_DUPLICATE))
		block(fp, ind, "note:    ", e->note);
	grv_buf_release(&b);
}

static void
status(FILE *fp, const struct grv_ctx *ctx, const struct grv_cstate *cs)
{
	const struct grv_masters *m = &ctx->m;
	struct grv_buf b = GRV_BUF_INIT;

	switch (cs->status) {
	case GRV_ST_NEW:
		fprintf(fp, "Status:     new, not yet placed with an "
		    "officer\n");
		break;
	case GRV_ST_OPEN:
		grv_officer_desc(&b, m, cs->officer);
		fprintf(fp, "Status:     open at level %d, with %s\n",
		    cs->level, b.s);
		fprintf(fp, "Due:        %s%s\n", when(ctx, cs->due),
		    grv_overdue(cs, ctx->now) ? (cs->level >= ctx->conf.levels
		    ? "  (overdue at the top level: defaulted)" :
		    "  (overdue)") : "");
		break;
	case GRV_ST_RESOLVED:
		fprintf(fp, "Status:     resolved on %s, awaiting the "
		    "citizen's answer%s\n", when(ctx, cs->resolved),
		    cs->feedback == GRV_R_UNREACHABLE ? " (last call: "
		    "unreachable)" : "");
		break;
	case GRV_ST_CLOSED:
		fprintf(fp, "Status:     closed (%s) on %s\n",
		    grv_reason_names[cs->close_reason], when(ctx, cs->closed));
		break;
	case GRV_ST_HOLD:
		grv_officer_desc(&b, m, cs->officer);
		fprintf(fp, "Status:     on hold since %s at level %d, with "
		    "%s, waiting for the citizen\n", when(ctx, cs->held),
		    cs->level, b.s);
		fprintf(fp, "Resumes:    %s at the latest (hold_days = %d)\n",
		    when(ctx, cs->held + (grv_time_t)ctx->conf.hold_days *
		    86400), ctx->conf.hold_days);
		break;
	}
	if (cs->dept >= 0) {
		grv_buf_reset(&b);
		grv_dept_desc(&b, m, cs->dept);
		fprintf(fp, "Department: %s\n", b.s);
	}
	grv_buf_release(&b);
}

int
grv_show_print(FILE *fp, const struct grv_ctx *ctx, uint32_t n,
    const char *id)
{
	struct grv_state st = GRV_STATE_INIT;
	struct grv_fold_opts o;
	struct show s;
	struct grv_buf b = GRV_BUF_INIT;
	const struct grv_category *cat;
	const struct grv_cstate *cs;
	struct grv_corr corr = GRV_CORR_INIT;
	const struct grv_xrow *xname, *xphone;
	size_t i;
	int rc;

	memset(&s, 0, sizeof(s));
	s.n = n;
	/* From the row index when cache/ can say, in time that does not
	   grow with the ledger; else the whole fold. */
	memset(&o, 0, sizeof(o));
	o.now = ctx->now;
	o.point = 1;
	rc = grv_state_load_cached(&st, ctx, &o);
	if (rc != 0 && rc != GRV_FOLD_STALE)
		goto out;
	if (rc == 0 && (cs = grv_state_get(&st, n)) == NULL) {
		grv_err("%s: no such complaint", id);
		rc = GRV_EX_DATAERR;
		goto out;
	}
	if (rc != 0 || grv_cache_history(&st, ctx, n, on_complaint, on_event,
	    &s) != 0) {
		grv_state_release(&st);
		show_release(&s);
		memset(&s, 0, sizeof(s));
		s.n = n;
		o.point = 0;
		o.on_complaint = on_complaint;
		o.on_event = on_event;
		o.arg = &s;
		if ((rc = grv_state_load(&st, ctx, &o)) != 0)
			goto out;
	}
	if (!s.found || (cs = grv_state_get(&st, s.n)) == NULL) {
		grv_err("%s: no such complaint", id);
		rc = GRV_EX_DATAERR;
		goto out;
	}
	cat = &ctx->m.cats[cs->category];
	fprintf(fp, "%s  %s", id, cat_name(&ctx->m, cs->category));
	if (cat->name_hi && *cat->name_hi)
		fprintf(fp, " (%s)", cat->name_hi);
	fprintf(fp, "  [%s]\n", cat->code);
	status(fp, ctx, cs);
	grv_loc_desc(&b, &ctx->m, cs->loc);
	fprintf(fp, "Place:      %s  [%s]\n", b.s, ctx->m.locs[cs->loc].code);
	if ((rc = grv_corr_load_one(ctx, st.n, 0, s.n, &corr)) != 0)
		goto out;
	xname = grv_corr_latest(&corr, s.n, GRV_XF_NAME);
	xphone = grv_corr_latest(&corr, s.n, GRV_XF_PHONE);
	fprintf(fp, "Citizen:    %s, %s\n", xname ? xname->value :
	    s.f[GRV_C_NAME], xphone ? xphone->value : s.f[GRV_C_PHONE]);
	for (i = 0; i < 2; i++) {
		const struct grv_xrow *x = i ? xphone : xname;

		if (x != NULL)
			fprintf(fp, "Corrected:  %s, %s by %s: %s\n",
			    grv_xfield_names[x->field], when(ctx, x->ts),
			    x->actor, x->reason);
	}
	if (grv_corr_lang(&corr, s.n) != GRV_LANG_HI)
		fprintf(fp, "Language:   %s\n",
		    grv_lang_names[grv_corr_lang(&corr, s.n)]);
	fprintf(fp, "Registered: %s by %s\n", when(ctx, cs->registered),
	    s.f[GRV_C_CHANNEL]);
	if (*s.f[GRV_C_REF])
		block(fp, "", "Reference:  ", s.f[GRV_C_REF]);
	block(fp, "", "Complaint:  ", s.f[GRV_C_TEXT]);
	fprintf(fp, "\nHistory:\n");
	fprintf(fp, "  %s  registered (%s)\n", when(ctx, cs->registered),
	    s.f[GRV_C_CHANNEL]);
	for (i = 0; i < s.nev; i++)
		event(fp, ctx, &s.ev[i]);
out:
	grv_corr_release(&corr);
	show_release(&s);
	grv_buf_release(&b);
	grv_state_release(&st);
	return rc;
}
