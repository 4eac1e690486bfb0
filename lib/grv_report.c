/* grv_report.c: the report engine behind grv-report (SPEC sections 5-6).
 *
 * What every figure means.  The period is [from, to); "in the period"
 * means from <= ts < to.  Ledger rows stamped after --now are ignored, and
 * so are rows stamped at or after `to`: the ledger is folded up to
 * U = min(--now, to - 1s), and the state "at the end" is the state just
 * before A = U + 1s (A is `to` for a period that has ended; a period that
 * begins after --now has no rows, and trend no months).  A complaint
 * never placed (still new) counts for no department, district or officer.
 *
 * grading, districts, officers (SPEC section 6) count, for each key:
 *   n           complaints open at some moment of the period: registered
 *               before A and not closed before `from`
 *   sat         of n, closed satisfied in the period
 *   old         of n, registered more than old_days days before A
 *   old_sat     of old, closed satisfied in the period
 *   forced      of n, closed forced in the period
 *   unattended  of n, open at A (not resolved, not closed), due before A,
 *               and not attended (no resolve or officer's note) since it
 *               was last placed (route, transfer or escalate: a transfer
 *               places it anew with the receiver, SPEC 7.1)
 *   score       w_sat*sat/n + w_old*old_sat/old + w_forced*(1 - forced/n)
 *               + w_unattended*(1 - unattended/n), a ratio over 0 counting
 *               full; computed exactly in integers, two decimals, half
 *               away from zero
 *   grade       A, B, C by the bands on the rounded score, else D
 *   group       1 for n >= the first of `groups`, 2 for n >= the second,
 *               ...; rank is the place by score within the group, ties by
 *               n descending, then code
 * A complaint closed duplicate (SPEC 7.2) counts in none of these.
 * The key is the department holding the complaint at A (or at closure);
 * for districts, the district of the complaint's location (a complaint at
 * the state level has none); for officers, the last officer who held the
 * complaint at level 1.  Keys with n = 0 are not listed.  Officers also:
 *   placed      placements at level 1 with the officer in the period
 *               (route or transfer events naming the officer)
 *   resolved    resolve events by the officer in the period
 *   disposal    100 * resolved / (resolved + escalated + pending): of
 *               what the officer was left with, the share resolved; never
 *               above 100 (no value when all three are 0)
 *   escalated   escalate events in the period that took a complaint from
 *               the officer at level 1 (overdue or unsatisfied)
 *   pending     complaints open with the officer at A
 *   overdue     of pending, due before A
 *   resolved_per_placed  100 * resolved / placed, the old "disposal" (above
 *               100 when the officer cleared complaints placed before the
 *               period; no value when placed is 0)
 * districts also: rank_state, the place among every district listed,
 * ignoring groups (by score, then n, then code).
 *
 * pending, per department holding the complaint: complaints open at A
 *   (placed, not resolved, not closed) by age in whole days from
 *   registration to A (0-7, 8-30, 31-100, 101-300, over 300), by level,
 *   and how many are due before A.  Departments with none are not listed.
 *
 * sla, per department and level (those of the complaint just before the
 *   event): placed = route, transfer and escalate events into the level
 *   in the period; resolved = resolve events in the period; in_time = of
 *   those, at or before the due time; escalated_overdue = escalate events
 *   for overdue out of the level in the period; median_days and p90_days
 *   of the days from the last placement (route, transfer or escalate) to
 *   each resolve counted (median: the middle, or the mean of the two
 *   middle; p90: the nearest rank, ceil(0.9 k)-th); no value when none;
 *   holds = hold events there in the period; hold_days = the days
 *   complaints held there sat on hold inside the period, the holds still
 *   running counted to A.  A move (SPEC 7.2) places like a route.
 *
 * trend, per calendar month (clipped to the period; months starting after
 *   --now omitted) and department: registered in the month, closures in the
 *   month by reason (satisfied, forced, unverified), and complaints not
 *   yet closed at the month's end (or at A).  Each complaint counts under
 *   the department holding it at the month's end (at closure for
 *   closures), a complaint not yet placed under its category's
 *   department.  Every department gets a row for every month.
 *
 * mapping, per category registered with (before any amend): complaints
 *   registered in the period; transfers
 *   of those complaints up to A; transferred, those transferred at least
 *   once; share = 100 * transferred / complaints; moved_to, the department
 *   those transfers went to most (ties by master order), with how many.
 *   Ordered by share, then transfers, descending.
 *
 * feedback, per department holding the complaint, events in the period:
 *   resolved; satisfied, unsatisfied, unreachable callbacks; unverified
 *   closures; reopened = escalations for an unsatisfied answer and reopen
 *   events (a closed complaint reopened, SPEC 7.2); reopen_rate
 *   = 100 * reopened / resolved (no value when resolved is 0); rated,
 *   the citizens' ratings of the service (rate events), mean_rating
 *   (none when none) and rating_1 .. rating_5, how many gave each.
 *
 * --district keeps only complaints located in the district; for the
 * districts kind it only hides other districts' rows, whose ranks stay
 * those among all.  --dept keeps only that department's rows (grading
 * ranks stay those among all); for districts it keeps only complaints
 * held by the department.  For officers both keep the officers of that
 * department and jurisdiction, ranked among themselves.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "grv_alloc.h"
#include "grv_msg.h"
#include "grv_parse.h"
#include "grv_report.h"
#include "grv_state.h"
#include "grv_time.h"

const char *const grv_report_names[GRV_REP_COUNT + 1] = { "grading",
	"officers", "districts", "pending", "sla", "trend", "mapping",
	"feedback", "callbacks", "verification", "gaming", NULL };

#define DAY	86400

int
grv_report_kind(const char *s)
{
	int i;

	for (i = 0; i < GRV_REP_COUNT; i++)
		if (strcmp(s, grv_report_names[i]) == 0)
			return i;
	return -1;
}

/* ---- the formula ---- */

void
grv_grading_defaults(struct grv_grading *g)
{
	memset(g, 0, sizeof(*g));
	g->w_sat = 6000;
	g->w_old = 2000;
	g->w_forced = 1000;
	g->w_unattended = 1000;
	g->old_days = 50;
	g->grade_a = 8000;
	g->grade_b = 7000;
	g->grade_c = 6000;
	g->groups[0] = 10000;
	g->groups[1] = 2000;
	g->ngroups = 2;
	grv_gaming_defaults(&g->gaming);
}

/* "12", "12.5", "12.50" in [0, 1000] -> hundredths. */
static int
parse_fix2(const char *s, int64_t *out)
{
	int64_t v = 0;
	int digits = 0, frac = -1;

	for (; *s; s++) {
		if (*s == '.' && frac == -1 && digits > 0) {
			frac = 0;
			continue;
		}
		if (*s < '0' || *s > '9' || frac == 2 || v > 100000)
			return -1;
		v = v * 10 + (*s - '0');
		if (frac >= 0)
			frac++;
		digits++;
	}
	if (digits == 0 || frac == 0)
		return -1;
	for (frac = frac < 0 ? 0 : frac; frac < 2; frac++)
		v *= 10;
	if (v > 100000)
		return -1;
	*out = v;
	return 0;
}

/* masters/grading.conf being read: the formula, and the lines of the bands. */
struct grading_read {
	struct grv_grading	*g;
	unsigned long		 band_line[3];	/* grade_a, _b, _c; 0 unset */
};

static int
grading_kv(void *ctx, const char *path, unsigned long line, const char *key,
    const char *val)
{
	struct grading_read *rd = ctx;
	struct grv_grading *g = rd->g;
	int64_t *w = NULL;
	long v;
	char *copy, *tok, *save;

	if (strcmp(key, "w_sat") == 0)
		w = &g->w_sat;
	else if (strcmp(key, "w_old") == 0)
		w = &g->w_old;
	else if (strcmp(key, "w_forced") == 0)
		w = &g->w_forced;
	else if (strcmp(key, "w_unattended") == 0)
		w = &g->w_unattended;
	else if (strcmp(key, "grade_a") == 0) {
		w = &g->grade_a;
		rd->band_line[0] = line;
	} else if (strcmp(key, "grade_b") == 0) {
		w = &g->grade_b;
		rd->band_line[1] = line;
	} else if (strcmp(key, "grade_c") == 0) {
		w = &g->grade_c;
		rd->band_line[2] = line;
	}
	if (w) {
		if (parse_fix2(val, w) == -1) {
			grv_err("%s:%lu: %s: not a number from 0 to 1000 with "
			    "at most two decimals '%s'", path, line, key, val);
			return -1;
		}
		return 0;
	}
	if (strcmp(key, "old_days") == 0) {
		if (grv_parse_int(val, 0, 36500, &v) == -1) {
			grv_err("%s:%lu: old_days: not a number of days '%s'",
			    path, line, val);
			return -1;
		}
		g->old_days = (int)v;
		return 0;
	}
	if (strcmp(key, "groups") == 0) {
		copy = grv_strdup(val);
		g->ngroups = 0;
		for (tok = strtok_r(copy, ",", &save); tok;
		    tok = strtok_r(NULL, ",", &save)) {
			while (*tok == ' ')
				tok++;
			if (g->ngroups == GRV_MAXGROUPS ||
			    grv_parse_int(tok, 1, 1000000000, &v) == -1 ||
			    (g->ngroups > 0 && v >= g->groups[g->ngroups - 1])) {
				grv_err("%s:%lu: groups: expected descending "
				    "complaint counts like '10000,2000', got "
				    "'%s'", path, line, val);
				free(copy);
				return -1;
			}
			g->groups[g->ngroups++] = v;
		}
		free(copy);
		return 0;
	}
	if ((v = grv_gaming_kv(&g->gaming, path, line, key, val)) != 0)
		return v == 1 ? 0 : -1;
	grv_err("%s:%lu: unknown key '%s'", path, line, key);
	return -1;
}

int
grv_grading_load(struct grv_grading *g, const char *dir)
{
	static const char *const band[] = { "grade_a", "grade_b", "grade_c" };
	struct grading_read rd = { g, { 0, 0, 0 } };
	const int64_t *v[3] = { &g->grade_a, &g->grade_b, &g->grade_c };
	int rc, i;

	grv_grading_defaults(g);
	rc = grv_kv_read(dir, "masters/grading.conf", grading_kv, &rd) == -1 ?
	    GRV_EX_DATAERR : 0;
	/* A band above the one before it: named at the later of the two
	   lines (one of them was set, the defaults fall). */
	for (i = 1; i < 3; i++)
		if (*v[i] > *v[i - 1]) {
			grv_err("masters/grading.conf:%lu: grade bands must not "
			    "rise from grade_a to grade_c: %s %lld.%02lld is "
			    "above %s %lld.%02lld", rd.band_line[i] >
			    rd.band_line[i - 1] ? rd.band_line[i] :
			    rd.band_line[i - 1], band[i],
			    (long long)(*v[i] / 100), (long long)(*v[i] % 100),
			    band[i - 1], (long long)(*v[i - 1] / 100),
			    (long long)(*v[i - 1] % 100));
			rc = GRV_EX_DATAERR;
		}
	return rc;
}

__extension__ typedef unsigned __int128 u128;

int64_t
grv_grading_score(const struct grv_grading *g, const struct grv_gcount *c)
{
	u128 n = (u128)c->n, o = (u128)(c->old > 0 ? c->old : 1), d, t;

	d = n * o;
	t = (u128)g->w_sat * (u128)c->sat * o;
	t += c->old > 0 ? (u128)g->w_old * (u128)c->old_sat * n :
	    (u128)g->w_old * d;
	t += (u128)g->w_forced * (u128)(c->n - c->forced) * o;
	t += (u128)g->w_unattended * (u128)(c->n - c->unattended) * o;
	return (int64_t)((2 * t + d) / (2 * d));
}

const char *
grv_grading_grade(const struct grv_grading *g, int64_t score)
{
	if (score >= g->grade_a)
		return "A";
	if (score >= g->grade_b)
		return "B";
	if (score >= g->grade_c)
		return "C";
	return "D";
}

int
grv_grading_group(const struct grv_grading *g, int64_t n)
{
	int i;

	for (i = 0; i < g->ngroups; i++)
		if (n >= g->groups[i])
			return i + 1;
	return g->ngroups + 1;
}

/* NUM / DEN in hundredths, half away from zero; NUM, DEN >= 0, DEN > 0. */
static int64_t
ratio2(int64_t num, int64_t den)
{
	return (int64_t)(((u128)num * 200 + (u128)den) / ((u128)den * 2));
}

/* ---- the fold ---- */

struct sample {
	int	 key;		/* dept * GRV_MAXLEVELS + level - 1 */
	int64_t	 secs;
};

struct offig {			/* an L1 officer's extra figures */
	int64_t	 placed, resolved, escalated, pending, overdue;
};

struct slafig {
	int64_t	 placed, resolved, in_time, esc;
	int64_t	 holds, held;	/* hold events; seconds on hold in the
				   period */
};

struct fbfig {
	int64_t	 resolved, sat, unsat, unreach, unverified, reopened;
	int64_t	 rating[5];	/* rate rows giving 1..5 */
};

struct trfig {
	int64_t	 reg, sat, forced, unverified, open;
};

struct rep {
	const struct grv_ctx		*ctx;
	const struct grv_masters	*m;
	const struct grv_grading	*g;
	const struct grv_report_opts	*o;
	struct grv_state		 st;
	grv_time_t			 from, upto, at;
	struct offig			*off;		/* noff */
	size_t				 noff;
	size_t				 nd, nc;	/* departments and
							   categories the
							   arrays below are
							   sized for */
	struct slafig			*sla;		/* nd * MAXLEVELS */
	grv_time_t			*placed_at;	/* per complaint */
	struct sample			*samples;
	size_t				 nsamples, capsamples;
	struct fbfig			*fb;
	int64_t				*moved;		/* nc * nd */
	int16_t				*regcat;	/* per complaint amended:
							   1 + its first category */
	/* trend */
	grv_time_t			*mstart, *mend;	/* per month */
	size_t				 nmonths, snapped;
	struct trfig			*tr;		/* nmonths * nd */
};

/* A run's answer when the fold met codes its arrays were not sized for
   (run(), below). */
#define REP_GROWN	2000

int
grv_report_dept(const struct grv_masters *m, const struct grv_report_opts *o)
{
	int i;

	if (o->dept_gone == NULL)
		return o->dept;
	return (i = grv_map_get(&m->dept_gone_ix, o->dept_gone)) == -1 ?
	    GRV_DEPT_UNMET : i;
}

/* Does the complaint pass the complaint-level filters of this kind? */
static int
keep(const struct rep *r, const struct grv_cstate *cs)
{
	const struct grv_report_opts *o = r->o;
	int dept = grv_report_dept(r->m, o);

	if (o->district >= 0 && o->kind != GRV_REP_DISTRICTS &&
	    o->kind != GRV_REP_OFFICERS &&
	    !grv_loc_within(r->m, cs->loc, o->district))
		return 0;
	if (dept >= 0 && o->kind == GRV_REP_DISTRICTS && cs->dept != dept)
		return 0;
	return 1;
}

/* Trend: the department a complaint counts under, -1 for none (never
   placed, its category no longer in the masters). */
static int
trend_dept(const struct rep *r, const struct grv_cstate *cs)
{
	return cs->dept >= 0 ? cs->dept : r->m->cats[cs->category].dept;
}

/* Trend: count month K's registrations and open complaints at its end. */
static void
snapshot(struct rep *r, size_t k, uint32_t skip,
    const struct grv_cstate *instead)
{
	grv_time_t p = r->mend[k] < r->at ? r->mend[k] : r->at;
	const struct grv_cstate *cs;
	struct trfig *row = &r->tr[k * r->nd];
	uint32_t i;

	for (i = 0; i < r->st.n; i++) {
		cs = i + 1 == skip ? instead : &r->st.c[i];
		if (cs->status == GRV_ST_NONE || cs->registered >= p ||
		    !keep(r, cs) || trend_dept(r, cs) < 0)
			continue;
		if (cs->registered >= r->mstart[k])
			row[trend_dept(r, cs)].reg++;
		if (cs->status != GRV_ST_CLOSED)
			row[trend_dept(r, cs)].open++;
	}
}

static void
add_sample(struct rep *r, int key, int64_t secs)
{
	if (r->nsamples == r->capsamples) {
		r->capsamples = r->capsamples ? r->capsamples * 2 : 64;
		r->samples = grv_reallocarray(r->samples, r->capsamples,
		    sizeof(*r->samples));
	}
	r->samples[r->nsamples].key = key;
	r->samples[r->nsamples++].secs = secs;
}

/* Mapping: the category complaint N was registered with. */
static int
mapping_cat(const struct rep *r, uint32_t n, const struct grv_cstate *cs)
{
	return r->regcat && r->regcat[n - 1] ? r->regcat[n - 1] - 1 :
	    cs->category;
}

/* Room in r->off for every officer, those the fold found the masters no
   longer list too (grv_officer_retired). */
static void
off_fit(struct rep *r)
{
	size_t want = r->m->nofficers + r->m->nretired + 1;

	if (r->noff >= want)
		return;
	r->off = grv_reallocarray(r->off, want, sizeof(*r->off));
	memset(r->off + r->noff, 0, (want - r->noff) * sizeof(*r->off));
	r->noff = want;
}

/* The time complaint CS, on hold since CS->held, sat on hold inside the
   period up to END, to its department and level (sla). */
static void
held(struct rep *r, const struct grv_cstate *cs, grv_time_t end)
{
	grv_time_t start = cs->held > r->from ? cs->held : r->from;

	if (cs->held == GRV_TIME_NONE || cs->dept < 0 || cs->level == 0 ||
	    end <= start)
		return;
	r->sla[cs->dept * GRV_MAXLEVELS + cs->level - 1].held += end - start;
}

static int
on_event(void *arg, const struct grv_event *ev,
    const struct grv_cstate *before, const struct grv_cstate *after)
{
	struct rep *r = arg;
	int kind = r->o->kind, in = ev->ts >= r->from, key;

	if (GRV_NDEPTS_ALL(r->m) > r->nd || GRV_NCATS_ALL(r->m) > r->nc)
		return REP_GROWN;
	if (kind == GRV_REP_TREND) {
		while (r->snapped < r->nmonths &&
		    ev->ts >= (r->mend[r->snapped] < r->at ?
		    r->mend[r->snapped] : r->at))
			snapshot(r, r->snapped++, ev->n, before);
	}
	if (kind == GRV_REP_SLA && r->placed_at == NULL)
		r->placed_at = grv_calloc(r->st.n ? r->st.n : 1,
		    sizeof(*r->placed_at));
	if (!keep(r, after))
		return 0;
	switch (kind) {
	case GRV_REP_OFFICERS:
		off_fit(r);
		if (!in)
			break;
		if ((ev->kind == GRV_EV_ROUTE || ev->kind == GRV_EV_TRANSFER ||
		    ev->kind == GRV_EV_MOVE) && ev->level == 1)
			r->off[ev->officer].placed++;
		if (ev->kind == GRV_EV_RESOLVE && ev->officer >= 0)
			r->off[ev->officer].resolved++;
		if (ev->kind == GRV_EV_ESCALATE && before->level == 1 &&
		    before->officer >= 0)
			r->off[before->officer].escalated++;
		break;
	case GRV_REP_SLA:
		if (before->status == GRV_ST_HOLD &&
		    after->status != GRV_ST_HOLD)
			held(r, before, ev->ts);
		if (ev->kind == GRV_EV_ROUTE || ev->kind == GRV_EV_TRANSFER ||
		    ev->kind == GRV_EV_ESCALATE || ev->kind == GRV_EV_MOVE) {
			r->placed_at[ev->n - 1] = ev->ts;
			if (in)
				r->sla[ev->dept * GRV_MAXLEVELS + ev->level -
				    1].placed++;
		}
		if (!in || before->dept < 0 || before->level == 0)
			break;
		key = before->dept * GRV_MAXLEVELS + before->level - 1;
		if (ev->kind == GRV_EV_RESOLVE) {
			r->sla[key].resolved++;
			if (before->due == GRV_TIME_NONE || ev->ts <= before->due)
				r->sla[key].in_time++;
			add_sample(r, key, ev->ts - r->placed_at[ev->n - 1]);
		}
		if (ev->kind == GRV_EV_ESCALATE && ev->reason == GRV_R_OVERDUE)
			r->sla[key].esc++;
		if (ev->kind == GRV_EV_HOLD)
			r->sla[key].holds++;
		break;
	case GRV_REP_FEEDBACK:
		if (!in || before->dept < 0)
			break;
		if (ev->kind == GRV_EV_RESOLVE)
			r->fb[before->dept].resolved++;
		else if (ev->kind == GRV_EV_FEEDBACK && ev->reason ==
		    GRV_R_SATISFIED)
			r->fb[before->dept].sat++;
		else if (ev->kind == GRV_EV_FEEDBACK && ev->reason ==
		    GRV_R_UNSATISFIED)
			r->fb[before->dept].unsat++;
		else if (ev->kind == GRV_EV_FEEDBACK)
			r->fb[before->dept].unreach++;
		else if (ev->kind == GRV_EV_CLOSE && ev->reason ==
		    GRV_R_UNVERIFIED)
			r->fb[before->dept].unverified++;
		else if ((ev->kind == GRV_EV_ESCALATE && ev->reason ==
		    GRV_R_UNSATISFIED) || ev->kind == GRV_EV_REOPEN)
			r->fb[before->dept].reopened++;
		else if (ev->kind == GRV_EV_RATE && ev->code >= 1 &&
		    ev->code <= 5)
			r->fb[before->dept].rating[ev->code - 1]++;
		break;
	case GRV_REP_TREND:
		if (in && ev->kind == GRV_EV_CLOSE && r->snapped < r->nmonths &&
		    trend_dept(r, after) >= 0) {
			struct trfig *f = &r->tr[r->snapped * r->nd +
			    (size_t)trend_dept(r, after)];

			if (ev->reason == GRV_R_SATISFIED)
				f->sat++;
			else if (ev->reason == GRV_R_FORCED)
				f->forced++;
			else if (ev->reason == GRV_R_UNVERIFIED)
				f->unverified++;
		}
		break;
	case GRV_REP_MAPPING:
		/* A complaint counts under the category it was registered
		   with, whatever an amend later made of it. */
		if (ev->kind == GRV_EV_AMEND && ev->reason == GRV_R_CATEGORY) {
			if (r->regcat == NULL)
				r->regcat = grv_calloc(r->st.n ? r->st.n : 1,
				    sizeof(*r->regcat));
			if (r->regcat[ev->n - 1] == 0)
				r->regcat[ev->n - 1] = (int16_t)(1 +
				    before->category);
		}
		if (ev->kind == GRV_EV_TRANSFER && after->registered >= r->from)
			r->moved[(size_t)mapping_cat(r, ev->n, after) *
			    r->nd + (size_t)ev->dept]++;
		break;
	}
	return 0;
}

static void
months(struct rep *r)
{
	grv_time_t s = r->from, e;
	int tz = r->ctx->conf.tz;

	while (s < r->o->to && s < r->at) {
		e = grv_month_start(s, tz, 1);
		if (e > r->o->to)
			e = r->o->to;
		r->mstart = grv_reallocarray(r->mstart, r->nmonths + 1,
		    sizeof(grv_time_t));
		r->mend = grv_reallocarray(r->mend, r->nmonths + 1,
		    sizeof(grv_time_t));
		r->mstart[r->nmonths] = s;
		r->mend[r->nmonths++] = e;
		s = e;
	}
}

/* ---- rows ---- */

static const char *
name(const struct rep *r, const char *en, const char *hi)
{
	return r->o->hindi && hi && *hi ? hi : en;
}

struct graded {
	int			 key, group, rank, rank_state;
	struct grv_gcount	 c;
	int64_t			 score;
	const char		*code;
};

static int
cmp_graded(const void *a, const void *b)
{
	const struct graded *x = a, *y = b;

	if (x->group != y->group)
		return x->group < y->group ? -1 : 1;
	if (x->score != y->score)
		return x->score > y->score ? -1 : 1;
	if (x->c.n != y->c.n)
		return x->c.n > y->c.n ? -1 : 1;
	return strcmp(x->code, y->code);
}

/* The place state-wide: score, then n, then code, groups ignored. */
static int
cmp_state(const void *a, const void *b)
{
	const struct graded *const *x = a, *const *y = b;

	if ((*x)->score != (*y)->score)
		return (*x)->score > (*y)->score ? -1 : 1;
	if ((*x)->c.n != (*y)->c.n)
		return (*x)->c.n > (*y)->c.n ? -1 : 1;
	return strcmp((*x)->code, (*y)->code);
}

/* Score, group, rank and state-wide rank NV entries; sorted into output
   order. */
static void
rank(const struct grv_grading *g, struct graded *v, size_t nv)
{
	struct graded **p = grv_calloc(nv ? nv : 1, sizeof(*p));
	size_t i;
	int r = 0;

	for (i = 0; i < nv; i++) {
		v[i].score = grv_grading_score(g, &v[i].c);
		v[i].group = grv_grading_group(g, v[i].c.n);
		p[i] = &v[i];
	}
	qsort(p, nv, sizeof(*p), cmp_state);
	for (i = 0; i < nv; i++)
		p[i]->rank_state = (int)i + 1;
	free(p);
	qsort(v, nv, sizeof(*v), cmp_graded);
	for (i = 0; i < nv; i++) {
		r = i > 0 && v[i].group == v[i - 1].group ? r + 1 : 1;
		v[i].rank = r;
	}
}

static void
put_counts(struct grv_table *t, const struct grv_gcount *c)
{
	grv_table_int(t, c->n);
	grv_table_int(t, c->sat);
	grv_table_int(t, c->old);
	grv_table_int(t, c->old_sat);
	grv_table_int(t, c->forced);
	grv_table_int(t, c->unattended);
}

/* Add the complaint's terms to C. */
static void
count(const struct rep *r, const struct grv_cstate *cs, struct grv_gcount *c)
{
	int closed = cs->status == GRV_ST_CLOSED;
	int old = r->at - cs->registered > (grv_time_t)r->g->old_days * DAY;
	int sat = closed && cs->close_reason == GRV_R_SATISFIED;

	c->n++;
	c->sat += sat;
	c->old += old;
	c->old_sat += old && sat;
	c->forced += closed && cs->close_reason == GRV_R_FORCED;
	c->unattended += cs->status == GRV_ST_OPEN && cs->due !=
	    GRV_TIME_NONE && cs->due < r->at && !cs->attended;
}

/*
 * A complaint never placed by the end of the period (a vacant post at
 * every level, or grv-route not run): it counts for its category's
 * department (issue 16), and as unattended once the due it would have had,
 * placed when it was registered at its category's start level, has passed
 * (grv-grading(5), "Whose complaint").
 */
static void
count_unplaced(const struct rep *r, const struct grv_cstate *cs,
    struct grv_gcount *c)
{
	const struct grv_category *cat = &r->m->cats[cs->category];
	struct grv_cstate would = *cs;

	would.dept = (int16_t)cat->dept;
	would.level = (uint8_t)cat->start_level;
	would.status = GRV_ST_OPEN;
	would.due = grv_cal_add(&r->ctx->cal, cs->registered,
	    grv_sla_days(r->m, &r->ctx->conf, cs->category, cat->dept,
	    cat->start_level));
	would.attended = 0;
	count(r, &would, c);
}

static void
graded_rows(struct rep *r, struct grv_table *t)
{
	const struct grv_masters *m = r->m;
	const struct grv_report_opts *o = r->o;
	static const char *const dcols[] = { "dept", "name", "group", "rank",
	    "n", "sat", "old", "old_sat", "forced", "unattended", "score",
	    "grade", NULL };
	/* Columns added after SPEC's go at the end, so that a reader by
	   position (awk '$11') keeps working. */
	static const char *const lcols[] = { "district", "name", "group",
	    "rank", "n", "sat", "old", "old_sat", "forced", "unattended",
	    "score", "grade", "rank_state", NULL };
	static const char *const ocols[] = { "officer", "name", "dept", "loc",
	    "group", "rank", "placed", "resolved", "disposal", "n", "sat",
	    "old", "old_sat", "forced", "unattended", "escalated", "pending",
	    "overdue", "score", "grade", "resolved_per_placed", NULL };
	size_t nkeys = o->kind == GRV_REP_GRADING ? r->nd :
	    o->kind == GRV_REP_DISTRICTS ? m->nlocs : m->nofficers +
	    m->nretired;
	struct grv_gcount *c = grv_calloc(nkeys, sizeof(*c));
	struct graded *v = grv_calloc(nkeys ? nkeys : 1, sizeof(*v));
	const struct grv_cstate *cs;
	size_t i, nv = 0;
	uint32_t k;
	int key, dept = grv_report_dept(m, o);

	off_fit(r);
	for (k = 0; k < r->st.n; k++) {
		cs = &r->st.c[k];
		if (o->kind == GRV_REP_GRADING && cs->status == GRV_ST_NEW &&
		    keep(r, cs)) {
			/* (A category no longer in the masters names no
			   department: none to count it for.) */
			if (m->cats[cs->category].dept >= 0)
				count_unplaced(r, cs,
				    &c[m->cats[cs->category].dept]);
			continue;
		}
		if (cs->status == GRV_ST_NONE || cs->dept < 0 || !keep(r, cs))
			continue;
		if (o->kind == GRV_REP_OFFICERS && cs->status == GRV_ST_OPEN &&
		    cs->level == 1 && cs->officer >= 0) {
			r->off[cs->officer].pending++;
			r->off[cs->officer].overdue += cs->due != GRV_TIME_NONE
			    && cs->due < r->at;
		}
		if (cs->status == GRV_ST_CLOSED && (cs->closed < r->from ||
		    cs->close_reason == GRV_R_DUPLICATE))
			continue;	/* a duplicate counts nowhere (7.2) */
		key = o->kind == GRV_REP_GRADING ? cs->dept :
		    o->kind == GRV_REP_DISTRICTS ? m->locs[cs->loc].district :
		    cs->l1_officer;
		if (key >= 0)
			count(r, cs, &c[key]);
	}
	for (i = 0; i < nkeys; i++) {
		if (c[i].n == 0)
			continue;
		if (o->kind == GRV_REP_OFFICERS && ((dept >= 0 &&
		    m->officers[i].dept != dept) || (o->district >= 0 &&
		    !grv_loc_within(m, m->officers[i].loc, o->district))))
			continue;
		v[nv].key = (int)i;
		v[nv].c = c[i];
		v[nv++].code = o->kind == GRV_REP_GRADING ? m->depts[i].code :
		    o->kind == GRV_REP_DISTRICTS ? m->locs[i].code :
		    m->officers[i].code;
	}
	rank(r->g, v, nv);
	grv_table_init(t, o->kind == GRV_REP_GRADING ? dcols :
	    o->kind == GRV_REP_DISTRICTS ? lcols : ocols);
	for (i = 0; i < nv; i++) {
		key = v[i].key;
		if (o->kind == GRV_REP_GRADING && dept >= 0 && key != dept)
			continue;
		if (o->kind == GRV_REP_DISTRICTS && o->district >= 0 &&
		    !grv_loc_within(m, key, o->district))
			continue;
		grv_table_str(t, v[i].code);
		if (o->kind == GRV_REP_GRADING)
			grv_table_str(t, name(r, m->depts[key].name,
			    m->depts[key].name_hi));
		else if (o->kind == GRV_REP_DISTRICTS)
			grv_table_str(t, name(r, m->locs[key].name,
			    m->locs[key].name_hi));
		else {
			const struct grv_officer *of = &m->officers[key];
			const struct offig *f = &r->off[key];
			int64_t left = f->resolved + f->escalated + f->pending;

			grv_table_str(t, of->name);
			grv_table_str(t, m->depts[of->dept].code);
			grv_table_str(t, m->locs[of->loc].code);
			grv_table_int(t, v[i].group);
			grv_table_int(t, v[i].rank);
			grv_table_int(t, f->placed);
			grv_table_int(t, f->resolved);
			if (left)
				grv_table_fix2(t, ratio2(100 * f->resolved,
				    left));
			else
				grv_table_null(t);
			put_counts(t, &v[i].c);
			grv_table_int(t, f->escalated);
			grv_table_int(t, f->pending);
			grv_table_int(t, f->overdue);
			grv_table_fix2(t, v[i].score);
			grv_table_str(t, grv_grading_grade(r->g, v[i].score));
			if (f->placed)
				grv_table_fix2(t, ratio2(100 * f->resolved,
				    f->placed));
			else
				grv_table_null(t);
			continue;
		}
		grv_table_int(t, v[i].group);
		grv_table_int(t, v[i].rank);
		put_counts(t, &v[i].c);
		grv_table_fix2(t, v[i].score);
		grv_table_str(t, grv_grading_grade(r->g, v[i].score));
		if (o->kind == GRV_REP_DISTRICTS)
			grv_table_int(t, v[i].rank_state);
	}
	free(v);
	free(c);
}

static int
dept_shown(const struct rep *r, size_t d)
{
	int dept = grv_report_dept(r->m, r->o);

	return dept < 0 || (size_t)dept == d;
}

static void
pending_rows(struct rep *r, struct grv_table *t)
{
	static const char *const base[] = { "dept", "name", "open", "age_0_7",
	    "age_8_30", "age_31_100", "age_101_300", "age_over_300" };
	static const int64_t edge[] = { 7, 30, 100, 300 };
	const struct grv_masters *m = r->m;
	int levels = r->ctx->conf.levels, l, b;
	size_t w = 7 + (size_t)levels, d, i;
	int64_t *f = grv_calloc(r->nd * w + 1, sizeof(*f)), *row, age;
	const char *cols[8 + GRV_MAXLEVELS + 2];
	char lname[GRV_MAXLEVELS][24];
	const struct grv_cstate *cs;
	uint32_t k;

	for (i = 0; i < 8; i++)
		cols[i] = base[i];
	for (l = 0; l < levels; l++) {
		snprintf(lname[l], sizeof(lname[l]), "level_%d", l + 1);
		cols[8 + l] = lname[l];
	}
	cols[8 + levels] = "overdue";
	cols[9 + levels] = NULL;
	grv_table_init(t, cols);
	for (k = 0; k < r->st.n; k++) {
		cs = &r->st.c[k];
		if (cs->status != GRV_ST_OPEN || cs->dept < 0 || !keep(r, cs))
			continue;
		row = &f[(size_t)cs->dept * w];
		age = (r->at - cs->registered) / DAY;
		for (b = 0; b < 4 && age > edge[b]; b++)
			;
		row[0]++;
		row[1 + b]++;
		row[6 + cs->level - 1]++;
		row[6 + levels] += cs->due != GRV_TIME_NONE && cs->due < r->at;
	}
	for (d = 0; d < r->nd; d++) {
		row = &f[d * w];
		if (row[0] == 0 || !dept_shown(r, d))
			continue;
		grv_table_str(t, m->depts[d].code);
		grv_table_str(t, name(r, m->depts[d].name, m->depts[d].name_hi));
		for (i = 0; i < w; i++)
			grv_table_int(t, row[i]);
	}
	free(f);
}

static int
cmp_sample(const void *a, const void *b)
{
	const struct sample *x = a, *y = b;

	if (x->key != y->key)
		return x->key < y->key ? -1 : 1;
	return x->secs < y->secs ? -1 : x->secs > y->secs;
}

static void
sla_rows(struct rep *r, struct grv_table *t)
{
	static const char *const cols[] = { "dept", "name", "level", "placed",
	    "resolved", "in_time", "escalated_overdue", "median_days",
	    "p90_days", "holds", "hold_days", NULL };
	const struct grv_masters *m = r->m;
	const struct grv_cstate *cs;
	const struct slafig *f;
	size_t d, s = 0, e, k;
	uint32_t n;
	int l, key;

	/* The holds still running at A, to A. */
	for (n = 1; n <= r->st.n; n++)
		if ((cs = grv_state_get(&r->st, n)) != NULL &&
		    cs->status == GRV_ST_HOLD && keep(r, cs))
			held(r, cs, r->at);

	if (r->nsamples > 0)
		qsort(r->samples, r->nsamples, sizeof(*r->samples),
		    cmp_sample);
	grv_table_init(t, cols);
	for (d = 0; d < r->nd; d++)
		for (l = 1; l <= r->ctx->conf.levels; l++) {
			key = (int)d * GRV_MAXLEVELS + l - 1;
			f = &r->sla[key];
			while (s < r->nsamples && r->samples[s].key < key)
				s++;
			for (e = s; e < r->nsamples &&
			    r->samples[e].key == key; e++)
				;
			if ((f->placed || f->resolved || f->esc || f->holds ||
			    f->held) && dept_shown(r, d)) {
				grv_table_str(t, m->depts[d].code);
				grv_table_str(t, name(r, m->depts[d].name,
				    m->depts[d].name_hi));
				grv_table_int(t, l);
				grv_table_int(t, f->placed);
				grv_table_int(t, f->resolved);
				grv_table_int(t, f->in_time);
				grv_table_int(t, f->esc);
				if (e == s) {
					grv_table_null(t);
					grv_table_null(t);
				} else {
					k = e - s;
					grv_table_fix2(t, ratio2(k % 2 ?
					    r->samples[s + k / 2].secs :
					    r->samples[s + k / 2 - 1].secs +
					    r->samples[s + k / 2].secs,
					    (k % 2 ? 1 : 2) * (int64_t)DAY));
					grv_table_fix2(t, ratio2(r->samples[s +
					    (k * 9 + 9) / 10 - 1].secs, DAY));
				}
				grv_table_int(t, f->holds);
				grv_table_fix2(t, ratio2(f->held, DAY));
			}
			s = e;
		}
}

static void
trend_rows(struct rep *r, struct grv_table *t)
{
	static const char *const cols[] = { "month", "dept", "name",
	    "registered", "closed_satisfied", "closed_forced",
	    "closed_unverified", "open_at_end", NULL };
	const struct grv_masters *m = r->m;
	const struct trfig *f;
	size_t k, d;
	char day[11];

	grv_table_init(t, cols);
	for (k = 0; k < r->nmonths; k++)
		for (d = 0; d < r->nd; d++) {
			if (!dept_shown(r, d))
				continue;
			f = &r->tr[k * r->nd + d];
			grv_date_format(r->mstart[k], r->ctx->conf.tz, day);
			day[7] = '\0';
			grv_table_str(t, day);
			grv_table_str(t, m->depts[d].code);
			grv_table_str(t, name(r, m->depts[d].name,
			    m->depts[d].name_hi));
			grv_table_int(t, f->reg);
			grv_table_int(t, f->sat);
			grv_table_int(t, f->forced);
			grv_table_int(t, f->unverified);
			grv_table_int(t, f->open);
		}
}

struct maprow {
	size_t	 cat;
	int64_t	 complaints, transfers, transferred, share;
};

static int
cmp_map(const void *a, const void *b)
{
	const struct maprow *x = a, *y = b;

	if (x->share != y->share)
		return x->share > y->share ? -1 : 1;
	if (x->transfers != y->transfers)
		return x->transfers > y->transfers ? -1 : 1;
	return x->cat < y->cat ? -1 : x->cat > y->cat;
}

static void
mapping_rows(struct rep *r, struct grv_table *t)
{
	static const char *const cols[] = { "category", "name", "dept",
	    "complaints", "transfers", "transferred", "share", "moved_to",
	    "moved_to_n", NULL };
	const struct grv_masters *m = r->m;
	struct maprow *v = grv_calloc(r->nc ? r->nc : 1, sizeof(*v));
	const struct grv_cstate *cs;
	const int64_t *mv;
	size_t i, d, nv = 0, best;
	uint32_t k;

	for (i = 0; i < r->nc; i++)
		v[i].cat = i;
	for (k = 0; k < r->st.n; k++) {
		cs = &r->st.c[k];
		if (cs->status == GRV_ST_NONE || cs->registered < r->from ||
		    !keep(r, cs))
			continue;
		i = (size_t)mapping_cat(r, k + 1, cs);
		v[i].complaints++;
		v[i].transfers += cs->transfers;
		v[i].transferred += cs->transfers > 0;
	}
	for (i = 0; i < r->nc; i++)
		if (v[i].complaints > 0 && (m->cats[i].dept >= 0 ?
		    dept_shown(r, (size_t)m->cats[i].dept) :
		    grv_report_dept(m, r->o) < 0)) {
			v[i].share = ratio2(100 * v[i].transferred,
			    v[i].complaints);
			v[nv++] = v[i];
		}
	qsort(v, nv, sizeof(*v), cmp_map);
	grv_table_init(t, cols);
	for (i = 0; i < nv; i++) {
		const struct grv_category *c = &m->cats[v[i].cat];

		grv_table_str(t, c->code);
		grv_table_str(t, name(r, c->name, c->name_hi));
		if (c->dept >= 0)
			grv_table_str(t, m->depts[c->dept].code);
		else
			grv_table_null(t);
		grv_table_int(t, v[i].complaints);
		grv_table_int(t, v[i].transfers);
		grv_table_int(t, v[i].transferred);
		grv_table_fix2(t, v[i].share);
		mv = &r->moved[v[i].cat * r->nd];
		for (best = 0, d = 1; d < r->nd; d++)
			if (mv[d] > mv[best])
				best = d;
		if (r->nd && mv[best] > 0) {
			grv_table_str(t, m->depts[best].code);
			grv_table_int(t, mv[best]);
		} else {
			grv_table_null(t);
			grv_table_int(t, 0);
		}
	}
	free(v);
}

static void
feedback_rows(struct rep *r, struct grv_table *t)
{
	static const char *const cols[] = { "dept", "name", "resolved",
	    "satisfied", "unsatisfied", "unreachable", "unverified",
	    "reopened", "reopen_rate", "rated", "mean_rating", "rating_1",
	    "rating_2", "rating_3", "rating_4", "rating_5", NULL };
	const struct grv_masters *m = r->m;
	const struct fbfig *f;
	int64_t rated, sum;
	size_t d;
	int i;

	grv_table_init(t, cols);
	for (d = 0; d < r->nd; d++) {
		f = &r->fb[d];
		for (i = 0, rated = sum = 0; i < 5; i++) {
			rated += f->rating[i];
			sum += (i + 1) * f->rating[i];
		}
		if (!dept_shown(r, d) || (f->resolved | f->sat | f->unsat |
		    f->unreach | f->unverified | f->reopened | rated) == 0)
			continue;
		grv_table_str(t, m->depts[d].code);
		grv_table_str(t, name(r, m->depts[d].name, m->depts[d].name_hi));
		grv_table_int(t, f->resolved);
		grv_table_int(t, f->sat);
		grv_table_int(t, f->unsat);
		grv_table_int(t, f->unreach);
		grv_table_int(t, f->unverified);
		grv_table_int(t, f->reopened);
		if (f->resolved)
			grv_table_fix2(t, ratio2(100 * f->reopened, f->resolved));
		else
			grv_table_null(t);
		grv_table_int(t, rated);
		if (rated)
			grv_table_fix2(t, ratio2(sum, rated));
		else
			grv_table_null(t);
		for (i = 0; i < 5; i++)
			grv_table_int(t, f->rating[i]);
	}
}

/*
 * One run of the report; REP_GROWN when the fold met departments or
 * categories the masters no longer list (grv_dept_gone, grv_cat_gone)
 * that the arrays were not sized for.  The masters keep them, so a second
 * run is sized right and meets none.
 */
static int
run(const struct grv_ctx *ctx, const struct grv_grading *g,
    const struct grv_report_opts *o, struct grv_table *t)
{
	const struct grv_masters *m = &ctx->m;
	struct grv_fold_opts fo;
	struct rep r;
	int rc;

	memset(&r, 0, sizeof(r));
	r.ctx = ctx;
	r.m = m;
	r.g = g;
	r.o = o;
	r.from = o->from;
	r.upto = ctx->now < o->to - 1 ? ctx->now : o->to - 1;
	r.at = r.upto + 1;
	r.noff = m->nofficers + 1;
	r.off = grv_calloc(r.noff, sizeof(*r.off));
	r.nd = GRV_NDEPTS_ALL(m);
	r.nc = GRV_NCATS_ALL(m);
	r.sla = grv_calloc(r.nd * GRV_MAXLEVELS + 1, sizeof(*r.sla));
	r.fb = grv_calloc(r.nd + 1, sizeof(*r.fb));
	r.moved = grv_calloc(r.nc * r.nd + 1, sizeof(*r.moved));
	if (o->kind == GRV_REP_TREND) {
		months(&r);
		r.tr = grv_calloc(r.nmonths * r.nd + 1, sizeof(*r.tr));
	}
	memset(&fo, 0, sizeof(fo));
	fo.now = r.upto;
	/* grading, districts and pending need only each complaint's state
	   at A, which cache/ holds: no per-event callback, so the fold can
	   start from the cache. */
	if (o->kind != GRV_REP_GRADING && o->kind != GRV_REP_DISTRICTS &&
	    o->kind != GRV_REP_PENDING)
		fo.on_event = on_event;
	fo.arg = &r;
	/* A period that has not begun at --now has nothing to show yet. */
	rc = r.upto < r.from ? 0 : grv_state_load(&r.st, ctx, &fo);
	if (rc == 0 && (GRV_NDEPTS_ALL(m) > r.nd || GRV_NCATS_ALL(m) > r.nc))
		rc = REP_GROWN;		/* met after the last event */
	if (rc == 0) {
		while (o->kind == GRV_REP_TREND && r.snapped < r.nmonths)
			snapshot(&r, r.snapped++, 0, NULL);
		switch (o->kind) {
		case GRV_REP_GRADING:
		case GRV_REP_DISTRICTS:
		case GRV_REP_OFFICERS:
			graded_rows(&r, t);
			break;
		case GRV_REP_PENDING:
			pending_rows(&r, t);
			break;
		case GRV_REP_SLA:
			sla_rows(&r, t);
			break;
		case GRV_REP_TREND:
			trend_rows(&r, t);
			break;
		case GRV_REP_MAPPING:
			mapping_rows(&r, t);
			break;
		default:
			feedback_rows(&r, t);
		}
	}
	grv_state_release(&r.st);
	free(r.off);
	free(r.sla);
	free(r.placed_at);
	free(r.samples);
	free(r.fb);
	free(r.moved);
	free(r.regcat);
	free(r.mstart);
	free(r.mend);
	free(r.tr);
	return rc;
}

int
grv_report_run(const struct grv_ctx *ctx, const struct grv_grading *g,
    const struct grv_report_opts *o, struct grv_table *t)
{
	int rc;

	/* (Sized for every code the first met, a second run meets no new
	   one: the masters keep them.) */
	if ((rc = run(ctx, g, o, t)) == REP_GROWN)
		rc = run(ctx, g, o, t);
	return rc;
}
