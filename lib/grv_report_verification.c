/* grv_report_verification.c: grv-report verification, what the calls back
 * found about the period's closures, beside what was reported.
 *
 * Per department holding the complaint at its closure (--by district: the
 * district of its place; --by officer: the officer who resolved it), over
 * the closures of grv_report_calls.h (stamped in [from, to), calls made up
 * to --now):
 *   closed        closures in the period (satisfied, forced, unverified;
 *                 never a duplicate's)
 *   closed_sat    of closed, closed satisfied
 *   called        of closed_sat, called back at least once
 *   confirmed     of called, the last call that reached the citizen
 *                 says it was redressed
 *   disputed      of called, the last call that reached the citizen
 *                 says it was not
 *   unreachable   of called, no call reached the citizen
 *   confirmed_pct 100 * confirmed / (confirmed + disputed), the reached
 *                 calls (no value when none)
 *   ci_low, ci_high  the Wilson score interval at 95% (z = 1.96) of that
 *                 share: (p + z^2/2k -+ z sqrt(p(1-p)/k + z^2/4k^2)) /
 *                 (1 + z^2/k), k = confirmed + disputed, in percent
 *   reported_pct  100 * closed_sat / closed: the satisfaction the grading
 *                 sees
 *   verified_pct  reported_pct * confirmed / (confirmed + disputed): the
 *                 share of closures the calls suggest were truly redressed
 * Percentages with two decimals, half away from zero.  Keys with no
 * closure are not listed; rows in masters order.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "grv_alloc.h"
#include "grv_report_calls.h"

#define WILSON_Z	1.96

struct vfig {
	int64_t	 closed, sat, called, confirmed, disputed, unreach;
};

void
grv_wilson(int64_t x, int64_t k, double z, double *lo, double *hi)
{
	double p = (double)x / (double)k, n = (double)k, z2 = z * z;
	double mid = p + z2 / (2 * n), half = z * sqrt(p * (1 - p) / n +
	    z2 / (4 * n * n)), den = 1 + z2 / n;

	*lo = (mid - half) / den;
	*hi = (mid + half) / den;
	if (*lo < 0)
		*lo = 0;
	if (*hi > 1)
		*hi = 1;
}

/* A share in [0, 1] as hundredths of a percent. */
static int64_t
pct2(double v)
{
	return (int64_t)floor(v * 10000 + 0.5);
}

int
grv_report_verification(const struct grv_ctx *ctx,
    const struct grv_report_opts *o, struct grv_table *t)
{
	static const char *const first[] = { "dept", "district", "officer" };
	const char *cols[] = { "", "name", "closed", "closed_sat", "called",
	    "confirmed", "disputed", "unreachable", "confirmed_pct", "ci_low",
	    "ci_high", "reported_pct", "verified_pct", NULL };
	const struct grv_masters *m = &ctx->m;
	struct grv_calls c;
	const struct grv_closure *cl;
	struct vfig *v, *f;
	size_t nk, i, k;
	int64_t reached;
	double lo, hi, p, rep;
	int rc, key;

	cols[0] = first[o->by];
	grv_table_init(t, cols);
	if ((rc = grv_calls_load(&c, ctx, o, 0, 0)) != 0)
		return rc;
	nk = o->by == GRV_BY_DEPT ? GRV_NDEPTS_ALL(m) : o->by ==
	    GRV_BY_DISTRICT ?
	    m->nlocs : m->nofficers + m->nretired;
	v = grv_calloc(nk + 1, sizeof(*v));
	for (i = 0; i < c.ncl; i++) {
		cl = &c.cl[i];
		key = o->by == GRV_BY_DEPT ? cl->dept : o->by ==
		    GRV_BY_DISTRICT ? (cl->loc >= 0 ? m->locs[cl->loc].district
		    : -1) : cl->officer;
		if (key < 0 || (size_t)key >= nk)
			continue;
		f = &v[key];
		f->closed++;
		if (cl->reason != GRV_R_SATISFIED)
			continue;
		f->sat++;
		if (cl->calls == 0)
			continue;
		f->called++;
		if (cl->answer == GRV_R_CONFIRMED)
			f->confirmed++;
		else if (cl->answer == GRV_R_DISPUTED)
			f->disputed++;
		else
			f->unreach++;
	}
	for (k = 0; k < nk; k++) {
		f = &v[k];
		if (f->closed == 0)
			continue;
		if (o->by == GRV_BY_DEPT) {
			grv_table_str(t, m->depts[k].code);
			grv_table_str(t, o->hindi && *m->depts[k].name_hi ?
			    m->depts[k].name_hi : m->depts[k].name);
		} else if (o->by == GRV_BY_DISTRICT) {
			grv_table_str(t, m->locs[k].code);
			grv_table_str(t, o->hindi && *m->locs[k].name_hi ?
			    m->locs[k].name_hi : m->locs[k].name);
		} else {
			grv_table_str(t, m->officers[k].code);
			grv_table_str(t, m->officers[k].name);
		}
		grv_table_int(t, f->closed);
		grv_table_int(t, f->sat);
		grv_table_int(t, f->called);
		grv_table_int(t, f->confirmed);
		grv_table_int(t, f->disputed);
		grv_table_int(t, f->unreach);
		reached = f->confirmed + f->disputed;
		rep = (double)f->sat / (double)f->closed;
		if (reached) {
			p = (double)f->confirmed / (double)reached;
			grv_wilson(f->confirmed, reached, WILSON_Z, &lo, &hi);
			grv_table_fix2(t, pct2(p));
			grv_table_fix2(t, pct2(lo));
			grv_table_fix2(t, pct2(hi));
		} else {
			grv_table_null(t);
			grv_table_null(t);
			grv_table_null(t);
		}
		grv_table_fix2(t, pct2(rep));
		if (reached)
			grv_table_fix2(t, pct2(rep * (double)f->confirmed /
			    (double)reached));
		else
			grv_table_null(t);
	}
	free(v);
	grv_calls_release(&c);
	return 0;
}
