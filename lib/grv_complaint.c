/* grv_complaint.c: what a complaint is: its states, events, reasons,
 * channels and ids, what each event may do to it, and where an
 * unsatisfied citizen sends it. */
#include <string.h>

#include "grv_complaint.h"
#include "grv_fast.h"

const char *const grv_status_names[GRV_ST_COUNT] = { "none", "new", "open",
	"resolved", "closed", "hold" };
const char *const grv_event_names[GRV_EV_COUNT] = { "route", "transfer",
	"escalate", "resolve", "feedback", "close", "note", "amend", "reopen",
	"hold", "resume", "callback", "move", "rate" };
const char *const grv_reason_names[GRV_R_COUNT] = { "", "overdue",
	"unsatisfied", "satisfied", "unreachable", "forced", "unverified",
	"loc", "category", "citizen", "callback", "supplied", "expired",
	"duplicate", "confirmed", "disputed" };
const char *const grv_channel_names[GRV_CH_COUNT] = { "phone", "web",
	"office", "janmanch", "cmo", "email", "app" };

int
grv_event_kind(const char *s)
{
	int i;

	/* (The first byte first: this runs for every event row.) */
	for (i = 0; i < GRV_EV_COUNT; i++)
		if (s[0] == grv_event_names[i][0] &&
		    strcmp(s, grv_event_names[i]) == 0)
			return i;
	return -1;
}

int
grv_reason_code(const char *s)
{
	int i;

	for (i = 1; i < GRV_R_COUNT; i++)
		if (s[0] == grv_reason_names[i][0] &&
		    strcmp(s, grv_reason_names[i]) == 0)
			return i;
	return GRV_R_NONE;
}

int
grv_rating_parse(const char *reason, size_t len)
{
	return len == 1 && reason[0] >= '1' && reason[0] <= '5' ?
	    reason[0] - '0' : -1;
}

int
grv_channel_code(const char *s)
{
	int i;

	for (i = 0; i < GRV_CH_COUNT; i++)
		if (s[0] == grv_channel_names[i][0] &&
		    strcmp(s, grv_channel_names[i]) == 0)
			return i;
	return -1;
}

int
grv_id_parse(const char *node, const char *id, size_t len, uint32_t *n)
{
	size_t nl = strlen(node), i;
	uint64_t v = 0;

	if (len <= nl + 1 || memcmp(id, node, nl) != 0 || id[nl] != '-' ||
	    id[nl + 1] == '0')
		return -1;
	for (i = nl + 1; i < len; i++) {
		if (id[i] < '0' || id[i] > '9')
			return -1;
		v = v * 10 + (uint64_t)(id[i] - '0');
		if (v > UINT32_MAX - 1)
			return -1;
	}
	*n = (uint32_t)v;
	return 0;
}

void
grv_id_format(const char *node, uint32_t n, char *buf, size_t sz)
{
	(void)grv_fmt_id(node, n, buf, sz);
}

const char *
grv_reopen_refused(const struct grv_conf *conf, const struct grv_cstate *cs,
    grv_time_t now)
{
	const char *why;

	if ((why = grv_event_refused(cs, GRV_EV_REOPEN, GRV_R_CITIZEN)))
		return why;
	if (GRV_CS_REOPENS(cs) >= conf->reopen_max)
		return "reopened reopen_max times already (the limit)";
	if (cs->closed != GRV_TIME_NONE &&
	    now - cs->closed > (grv_time_t)conf->reopen_days * 86400)
		return "closed more than reopen_days ago";
	return NULL;
}

int
grv_overdue(const struct grv_cstate *cs, grv_time_t now)
{
	return cs->status == GRV_ST_OPEN && cs->due != GRV_TIME_NONE &&
	    cs->due < now;
}

grv_time_t
grv_wake(const struct grv_conf *conf, const struct grv_cstate *cs)
{
	switch (cs->status) {
	case GRV_ST_NEW:
		/* Never placed: named by every sweep from an hour after it
		   was registered (a sweep between grv-add and grv-route
		   is no alarm). */
		return cs->registered != GRV_TIME_NONE ?
		    cs->registered + GRV_UNPLACED_GRACE : GRV_TIME_NONE;
	case GRV_ST_OPEN:
		/* At the top level an overdue complaint stays: defaulted. */
		return cs->level < conf->levels ? cs->due : GRV_TIME_NONE;
	case GRV_ST_HOLD:
		/* The clock stopped; the hold runs out hold_days after it
		   began, in calendar days (the citizen's time, not the
		   office's). */
		return cs->held != GRV_TIME_NONE ? cs->held +
		    (grv_time_t)conf->hold_days * 86400 : GRV_TIME_NONE;
	case GRV_ST_RESOLVED:
		if ((cs->feedback == GRV_R_NONE ||
		    cs->feedback == GRV_R_UNREACHABLE) &&
		    cs->resolved != GRV_TIME_NONE)
			return cs->resolved +
			    (grv_time_t)conf->feedback_days * 86400;
		return GRV_TIME_NONE;
	}
	return GRV_TIME_NONE;
}

const char *
grv_event_refused(const struct grv_cstate *cs, int kind, int reason)
{
	if (cs == NULL || cs->status == GRV_ST_NONE)
		return "no such complaint";
	switch (kind) {
	case GRV_EV_ROUTE:
		return cs->status == GRV_ST_NEW ? NULL : "already routed";
	case GRV_EV_TRANSFER:
		if (cs->status != GRV_ST_OPEN)
			return "only an open complaint can be transferred";
		return cs->transfers >= 3 ? "transferred 3 times already "
		    "(the limit)" : NULL;
	case GRV_EV_ESCALATE:
		if (reason == GRV_R_UNSATISFIED)
			return cs->status == GRV_ST_RESOLVED ? NULL :
			    "only a resolved complaint can be found "
			    "unsatisfactory";
		return cs->status == GRV_ST_OPEN ? NULL :
		    "only an open complaint can climb when overdue";
	case GRV_EV_RESOLVE:
		return cs->status == GRV_ST_OPEN ? NULL :
		    "only an open complaint can be resolved";
	case GRV_EV_FEEDBACK:
		return cs->status == GRV_ST_RESOLVED ? NULL :
		    "feedback is taken only on a resolved complaint";
	case GRV_EV_CLOSE:
		if (reason == GRV_R_FORCED)
			return cs->status == GRV_ST_OPEN ||
			    cs->status == GRV_ST_RESOLVED ? NULL :
			    "only an open or resolved complaint can be closed";
		if (reason == GRV_R_SATISFIED || reason == GRV_R_UNVERIFIED)
			return cs->status == GRV_ST_RESOLVED ? NULL :
			    "only a resolved complaint can be closed this way";
		if (reason == GRV_R_DUPLICATE)
			return cs->status == GRV_ST_OPEN ||
			    cs->status == GRV_ST_RESOLVED ||
			    cs->status == GRV_ST_HOLD ? NULL :
			    "only a placed complaint not yet closed can be "
			    "closed as a duplicate";
		return "a closure needs reason satisfied, forced, "
		    "unverified or duplicate";
	case GRV_EV_NOTE:
	case GRV_EV_AMEND:
		return cs->status == GRV_ST_CLOSED ? "the complaint is closed"
		    : NULL;
	case GRV_EV_REOPEN:
		if (cs->status != GRV_ST_CLOSED)
			return "only a closed complaint can be reopened";
		return cs->close_reason == GRV_R_DUPLICATE ? "a duplicate "
		    "closure cannot be reopened (pursue the complaint it "
		    "repeats)" : NULL;
	case GRV_EV_HOLD:
		return cs->status == GRV_ST_OPEN ? NULL :
		    "only an open complaint can be put on hold";
	case GRV_EV_RESUME:
		return cs->status == GRV_ST_HOLD ? NULL :
		    "only a complaint on hold can resume";
	case GRV_EV_CALLBACK:
		if (cs->status != GRV_ST_CLOSED)
			return "only a closed complaint can be called back";
		return cs->close_reason == GRV_R_DUPLICATE ? "a duplicate "
		    "closure is not called back (call the complaint it "
		    "repeats)" : NULL;
	case GRV_EV_MOVE:
		return cs->status == GRV_ST_OPEN ? NULL :
		    "only an open complaint can be moved";
	case GRV_EV_RATE:
		/* With the answer it rates (SPEC 7.2): after a satisfied
		   or unsatisfied feedback, not after a resolve since. */
		return cs->status != GRV_ST_NEW &&
		    (cs->feedback == GRV_R_SATISFIED ||
		    cs->feedback == GRV_R_UNSATISFIED) ? NULL :
		    "a rating goes with a satisfied or unsatisfied answer";
	}
	return "unknown event";
}

/* A placement (SPEC 7.1): open at EV's level, department and officer,
   with its due, and "since it was last placed" starts afresh. */
static void
place(struct grv_cstate *cs, const struct grv_event *ev)
{
	cs->status = GRV_ST_OPEN;
	cs->level = (uint8_t)ev->level;
	cs->dept = (int16_t)ev->dept;
	cs->officer = ev->officer;
	cs->due = ev->due;
	cs->placed = ev->ts;
	cs->attended = 0;
	if (ev->level == 1)
		cs->l1_officer = ev->officer;
}

void
grv_state_apply(struct grv_cstate *cs, const struct grv_event *ev)
{
	switch (ev->kind) {
	case GRV_EV_ROUTE:
	case GRV_EV_ESCALATE:
		place(cs, ev);
		if (ev->kind == GRV_EV_ESCALATE && cs->escalations < 255)
			cs->escalations++;
		break;
	case GRV_EV_MOVE:
		/* Re-placed inside the department after an amend: a
		   placement, not a transfer (the limit of 3 is not used). */
		place(cs, ev);
		break;
	case GRV_EV_RATE:
		break;			/* the reports read it from the row */
	case GRV_EV_REOPEN:
	case GRV_EV_RESUME:
		place(cs, ev);		/* open again, with a fresh due */
		if (ev->kind == GRV_EV_REOPEN) {
			if (GRV_CS_REOPENS(cs) < GRV_REOPENS_MAX)
				cs->channel = (uint8_t)(cs->channel + 8);
			cs->closed = GRV_TIME_NONE;
			cs->close_reason = GRV_R_NONE;
		} else
			cs->held = GRV_TIME_NONE;
		break;
	case GRV_EV_HOLD:
		/* The clock stops: the due stays as it was, for the resume
		   to count what was left of it.  The officer attended. */
		cs->status = GRV_ST_HOLD;
		cs->held = ev->ts;
		cs->attended = 1;
		break;
	case GRV_EV_TRANSFER:
		cs->level = (uint8_t)ev->level;
		cs->dept = (int16_t)ev->dept;
		cs->officer = ev->officer;
		cs->due = ev->due;
		/* A new placement for the department that receives it (SPEC
		   7.1): the sender attended to it, the receiver has yet to. */
		cs->placed = ev->ts;
		cs->attended = 0;
		if (cs->transfers < 255)
			cs->transfers++;
		if (ev->level == 1)
			cs->l1_officer = ev->officer;
		break;
	case GRV_EV_RESOLVE:
		cs->status = GRV_ST_RESOLVED;
		cs->resolved = ev->ts;
		cs->resolver = ev->officer;
		cs->attended = 1;
		cs->feedback = GRV_R_NONE;
		cs->feedback_at = GRV_TIME_NONE;
		break;
	case GRV_EV_FEEDBACK:
		cs->feedback = (uint8_t)ev->reason;
		cs->feedback_at = ev->ts;
		break;
	case GRV_EV_CLOSE:
		cs->status = GRV_ST_CLOSED;
		cs->closed = ev->ts;
		cs->close_reason = (uint8_t)ev->reason;
		break;
	case GRV_EV_NOTE:
		if (ev->officer != -1)
			cs->attended = 1;
		break;
	case GRV_EV_CALLBACK:
		/* A call about a closed complaint changes nothing in it;
		   a disputed one is followed by its reopen (SPEC 7.2). */
		break;
	case GRV_EV_AMEND:
		/* The routing field only: the transfer (or move) written
		   with it places the complaint (SPEC 7.2). */
		if (ev->code < 0)
			break;
		if (ev->reason == GRV_R_CATEGORY)
			cs->category = (int16_t)ev->code;
		else if (ev->reason == GRV_R_LOC)
			cs->loc = ev->code;
		break;
	}
}

int
grv_unsatisfied_level(const struct grv_conf *conf,
    const struct grv_cstate *cs)
{
	return cs->level < conf->levels ? cs->level + 1 : conf->levels;
}
