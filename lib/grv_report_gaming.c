/* grv_report_gaming.c: grv-report gaming, the signs that grades are
 * gamed, one row per signal and subject that crosses its threshold
 * (masters/grading.conf; defaults in brackets).  Events stamped in
 * [from, to), up to --now.
 *
 *   forced       per officer at level 3 or above: count = closures forced
 *                by the officer, base = the officer's closures (resolves
 *                and forced closures); listed when count >= forced_min
 *                [10] and 100 * count / base >= forced_pct [80] (special
 *                closure is a senior officer's tool: half of their
 *                closures may well be forced, four in five is a habit)
 *   bribe_forced per department: count = forced closures of complaints of
 *                a category that starts above level 1 (a bribe complaint
 *                placed above the office it accuses), within bribe_days
 *                [7] days of their last placement; base = all closures
 *                of such complaints; listed when count >= bribe_min [1]
 *                and 100 * count / base >= bribe_pct [50] (a department
 *                forces a few of them in any year; half is a habit)
 *   paper        per level-1 officer: count = the officer's resolves
 *                answered unsatisfied by the citizen (resolved on paper),
 *                base = the officer's resolves; listed when count >=
 *                paper_min [10] and 100 * count / base >= paper_pct [60]
 *   bounce       per pair of departments A>B: count = transfers from B
 *                back to A of a complaint whose transfer before was from
 *                A to B, base = transfers from A to B; listed when count
 *                >= bounce_min [3] and 100 * count / base >= bounce_pct
 *                [25]
 *   late         per pair A>B: count = transfers from A to B made within
 *                late_hours [24] hours before the complaint's due by a
 *                department that had held it longer than that (sat on
 *                it, then passed it on; with a limit of a day or less
 *                every transfer is "just before the due"), base =
 *                transfers from A to B; listed when count >= late_min [5]
 *                and 100 * count / base >= late_pct [50]
 *   habitual     per phone (masked): count = complaints registered in the
 *                period from it, listed when >= caller_min [5]; note =
 *                their categories
 *   one_officer  per phone: count = complaints registered in the period
 *                from it, listed when >= one_officer_min [3] and all of
 *                them were first placed with one and the same officer at
 *                level 1 (note: that officer)
 *   fast         per officer: count = resolves in the officer's busiest
 *                clock hour, base = the officer's resolves; listed when
 *                count > hour_max [12] (no one works that fast); note =
 *                the hour (a clock hour in the conf's tz)
 * share = 100 * count / base, two decimals (no value without a base).
 * With --detail: signal,subject,id, the complaints behind each row.
 */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "grv_alloc.h"
#include "grv_buf.h"
#include "grv_layout.h"
#include "grv_msg.h"
#include "grv_parse.h"
#include "grv_phone.h"
#include "grv_report_calls.h"
#include "grv_state.h"

enum { S_FORCED, S_BRIBE, S_PAPER, S_BOUNCE, S_LATE, S_HABITUAL,
	S_ONE_OFFICER, S_FAST, S_COUNT };

static const char *const signals[S_COUNT] = { "forced", "bribe_forced",
	"paper", "bounce", "late", "habitual", "one_officer", "fast" };

void
grv_gaming_defaults(struct grv_gaming_conf *g)
{
	g->forced_pct = 80;
	g->forced_min = 10;
	g->bribe_days = 7;
	g->bribe_pct = 50;
	g->bribe_min = 1;
	g->paper_pct = 60;
	g->paper_min = 10;
	g->bounce_pct = 25;
	g->bounce_min = 3;
	g->late_hours = 24;
	g->late_pct = 50;
	g->late_min = 5;
	g->caller_min = 5;
	g->one_officer_min = 3;
	g->hour_max = 12;
}

int
grv_gaming_kv(struct grv_gaming_conf *g, const char *path,
    unsigned long line, const char *key, const char *val)
{
	static const struct { const char *key; size_t off; long max; } k[] = {
#define K(x, mx)	{ #x, offsetof(struct grv_gaming_conf, x), mx }
		K(forced_pct, 100), K(forced_min, 1000000),
		K(bribe_days, 36500), K(bribe_pct, 100),
		K(bribe_min, 1000000), K(paper_pct, 100),
		K(paper_min, 1000000), K(bounce_pct, 100),
		K(bounce_min, 1000000), K(late_hours, 87600),
		K(late_pct, 100), K(late_min, 1000000),
		K(caller_min, 1000000), K(one_officer_min, 1000000),
		K(hour_max, 1000000),
#undef K
	};
	size_t i;
	long v;

	for (i = 0; i < sizeof(k) / sizeof(k[0]); i++) {
		if (strcmp(key, k[i].key) != 0)
			continue;
		if (grv_parse_int(val, 1, k[i].max, &v) == -1) {
			grv_err("%s:%lu: %s: not a whole number from 1 to %ld "
			    "'%s'", path, line, key, k[i].max, val);
			return -1;
		}
		*(int *)(void *)((char *)g + k[i].off) = (int)v;
		return 1;
	}
	return 0;
}

struct hit {
	uint32_t	 key;
	uint32_t	 n;
	uint8_t		 sig;
};

struct resolve {
	int32_t		 officer;
	uint32_t	 n;
	grv_time_t	 hour;
};

struct game {
	const struct grv_ctx		*ctx;
	const struct grv_gaming_conf	*g;
	const struct grv_report_opts	*o;
	struct grv_state		 st;
	struct hit			*hits;
	size_t				 nhits, caphits;
	struct resolve			*res;
	size_t				 nres, capres;
	int64_t				*base[S_COUNT];	/* per key */
	int16_t				*xfrom;	/* per complaint: 1 + the
						   last transfer's sender */
	char				(*phone)[GRV_PHONE_SIZE];
	size_t				 cap;		/* of xfrom, phone */
	size_t				 nofficers, npairs;
	size_t				 nd;	/* departments the pairs
						   are keyed over */
};

/* A run's answer when the fold met a department the masters no longer
   list that the pairs were not sized for (grv_report_gaming). */
#define GAME_GROWN	2000

static void
hit(struct game *m, int sig, uint32_t key, uint32_t n)
{
	if (m->nhits == m->caphits) {
		m->caphits = m->caphits ? 2 * m->caphits : 256;
		m->hits = grv_reallocarray(m->hits, m->caphits,
		    sizeof(*m->hits));
	}
	m->hits[m->nhits].sig = (uint8_t)sig;
	m->hits[m->nhits].key = key;
	m->hits[m->nhits++].n = n;
}

static void
fit(struct game *m, uint32_t n)
{
	size_t want = m->cap ? m->cap : 1024;

	if (n <= m->cap)
		return;
	while (want < n)
		want *= 2;
	m->xfrom = grv_calls_grow(m->xfrom, m->cap, want, sizeof(*m->xfrom));
	m->phone = grv_calls_grow(m->phone, m->cap, want, sizeof(*m->phone));
	m->cap = want;
}

static int
on_complaint(void *arg, uint32_t n, const struct grv_cstate *cs,
    const struct grv_csv_row *row)
{
	struct game *m = arg;

	(void)cs;
	if (GRV_NDEPTS_ALL(&m->ctx->m) > m->nd)
		return GAME_GROWN;
	fit(m, n);
	grv_calls_phone(row, m->phone[n - 1]);
	return 0;
}

static int
on_event(void *arg, const struct grv_event *ev,
    const struct grv_cstate *before, const struct grv_cstate *after)
{
	struct game *m = arg;
	const struct grv_masters *ms = &m->ctx->m;
	const struct grv_gaming_conf *g = m->g;
	int in = ev->ts >= m->o->from, o, a, b;
	size_t nd = m->nd;

	if (GRV_NDEPTS_ALL(ms) > nd)
		return GAME_GROWN;
	fit(m, ev->n);
	if (m->o->district >= 0 && !grv_loc_within(ms, after->loc,
	    m->o->district))
		return 0;
	if (ev->kind == GRV_EV_TRANSFER) {
		a = before->dept;
		b = ev->dept;
		if (in && a >= 0 && b >= 0) {
			m->base[S_BOUNCE][(size_t)a * nd + b]++;
			m->base[S_LATE][(size_t)a * nd + b]++;
			if (m->xfrom[ev->n - 1] - 1 == b)
				hit(m, S_BOUNCE, (uint32_t)((size_t)b * nd + a),
				    ev->n);
			if (before->due != GRV_TIME_NONE && ev->ts <
			    before->due && before->due - ev->ts <=
			    (grv_time_t)g->late_hours * 3600 &&
			    before->placed != GRV_TIME_NONE && ev->ts -
			    before->placed > (grv_time_t)g->late_hours * 3600)
				hit(m, S_LATE, (uint32_t)((size_t)a * nd + b),
				    ev->n);
		}
		m->xfrom[ev->n - 1] = (int16_t)(a + 1);
		return 0;
	}
	if (!in)
		return 0;
	o = ev->officer;
	if (ev->kind == GRV_EV_RESOLVE && o >= 0 && (size_t)o < m->nofficers) {
		m->base[S_FORCED][o]++;
		m->base[S_PAPER][o]++;
		m->base[S_FAST][o]++;
		if (m->nres == m->capres) {
			m->capres = m->capres ? 2 * m->capres : 256;
			m->res = grv_reallocarray(m->res, m->capres,
			    sizeof(*m->res));
		}
		m->res[m->nres].officer = o;
		m->res[m->nres].n = ev->n;
		m->res[m->nres++].hour = (ev->ts + (grv_time_t)m->ctx->conf.tz *
		    60) / 3600;
	}
	if (ev->kind == GRV_EV_CLOSE && after->category >= 0 &&
	    ms->cats[after->category].start_level > 1 && after->dept >= 0) {
		m->base[S_BRIBE][after->dept]++;
		if (ev->reason == GRV_R_FORCED && before->placed !=
		    GRV_TIME_NONE && ev->ts - before->placed <=
		    (grv_time_t)g->bribe_days * 86400)
			hit(m, S_BRIBE, (uint32_t)after->dept, ev->n);
	}
	if (ev->kind == GRV_EV_CLOSE && ev->reason == GRV_R_FORCED &&
	    o >= 0 && (size_t)o < m->nofficers &&
	    ms->officers[o].level >= 3) {
		m->base[S_FORCED][o]++;
		hit(m, S_FORCED, (uint32_t)o, ev->n);
	}
	/* an unsatisfied answer about the resolve of a level-1 officer */
	if (ev->kind == GRV_EV_FEEDBACK && ev->reason == GRV_R_UNSATISFIED &&
	    before->resolver >= 0 && (size_t)before->resolver < m->nofficers &&
	    ms->officers[before->resolver].level == 1)
		hit(m, S_PAPER, (uint32_t)before->resolver, ev->n);
	return 0;
}

static int
cmp_hit(const void *a, const void *b)
{
	const struct hit *x = a, *y = b;

	if (x->sig != y->sig)
		return x->sig - y->sig;
	if (x->key != y->key)
		return x->key < y->key ? -1 : 1;
	return x->n < y->n ? -1 : x->n > y->n;
}

static int
cmp_res(const void *a, const void *b)
{
	const struct resolve *x = a, *y = b;

	if (x->officer != y->officer)
		return x->officer - y->officer;
	if (x->hour != y->hour)
		return x->hour < y->hour ? -1 : 1;
	return x->n < y->n ? -1 : x->n > y->n;
}

static const struct game *sort_game;

/* Complaints by phone, then number. */
static int
cmp_phone(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
	int k = strcmp(sort_game->phone[x - 1], sort_game->phone[y - 1]);

	return k ? k : x < y ? -1 : x > y;
}

/* The fast signal's hits: each officer's busiest hour, when past the
   limit; the hour into NOTE[officer]. */
static void
fast_hits(struct game *m, grv_time_t *note)
{
	size_t i, j, best, bestlen;

	if (m->nres)	/* qsort(NULL, 0, ...) is undefined */
		qsort(m->res, m->nres, sizeof(*m->res), cmp_res);
	for (i = 0; i < m->nres; ) {
		best = i;
		bestlen = 0;
		for (j = i; j < m->nres && m->res[j].officer ==
		    m->res[i].officer; ) {
			size_t k = j;

			while (k < m->nres && m->res[k].officer ==
			    m->res[j].officer && m->res[k].hour ==
			    m->res[j].hour)
				k++;
			if (k - j > bestlen) {
				bestlen = k - j;
				best = j;
			}
			j = k;
		}
		if (bestlen > (size_t)m->g->hour_max) {
			note[m->res[best].officer] = m->res[best].hour * 3600 -
			    (grv_time_t)m->ctx->conf.tz * 60;
			for (; bestlen > 0; bestlen--, best++)
				hit(m, S_FAST, (uint32_t)m->res[best].officer,
				    m->res[best].n);
		}
		i = j;
	}
}

/* The callers' signals: hits keyed by the first complaint number of the
   phone's group. */
static void
caller_hits(struct game *m)
{
	const struct grv_state *st = &m->st;
	uint32_t *v, nv = 0, i, j, k;
	int one;

	v = grv_calloc(st->n + 1, sizeof(*v));
	for (i = 0; i < st->n; i++)
		if (st->c[i].status != GRV_ST_NONE && st->c[i].registered >=
		    m->o->from && (m->o->district < 0 || grv_loc_within(
		    &m->ctx->m, st->c[i].loc, m->o->district)))
			v[nv++] = i + 1;
	sort_game = m;
	qsort(v, nv, sizeof(*v), cmp_phone);
	for (i = 0; i < nv; i = j) {
		for (j = i; j < nv && strcmp(m->phone[v[j] - 1],
		    m->phone[v[i] - 1]) == 0; j++)
			;
		if (j - i >= (uint32_t)m->g->caller_min)
			for (k = i; k < j; k++)
				hit(m, S_HABITUAL, v[i], v[k]);
		one = st->c[v[i] - 1].l1_officer >= 0;
		for (k = i; k < j && one; k++)
			one = st->c[v[k] - 1].l1_officer ==
			    st->c[v[i] - 1].l1_officer;
		if (one && j - i >= (uint32_t)m->g->one_officer_min)
			for (k = i; k < j; k++)
				hit(m, S_ONE_OFFICER, v[i], v[k]);
	}
	free(v);
}

/* Whether signal SIG's subject with COUNT hits of BASE is listed. */
static int
listed(const struct grv_gaming_conf *g, int sig, int64_t count, int64_t base)
{
	switch (sig) {
	case S_FORCED:
		return count >= g->forced_min && 100 * count >=
		    (int64_t)g->forced_pct * base;
	case S_BRIBE:
		return count >= g->bribe_min && 100 * count >=
		    (int64_t)g->bribe_pct * base;
	case S_PAPER:
		return count >= g->paper_min && 100 * count >=
		    (int64_t)g->paper_pct * base;
	case S_BOUNCE:
		return count >= g->bounce_min && 100 * count >=
		    (int64_t)g->bounce_pct * base;
	case S_LATE:
		return count >= g->late_min && 100 * count >=
		    (int64_t)g->late_pct * base;
	}
	return count >= 1;	/* the others hit only when past the limit */
}

/* The subject of SIG's KEY into B. */
static void
subject(const struct game *m, struct grv_buf *b, int sig, uint32_t key)
{
	const struct grv_masters *ms = &m->ctx->m;
	char ph[GRV_PHONE_SIZE];
	size_t nd = m->nd;

	grv_buf_reset(b);
	switch (sig) {
	case S_FORCED:
	case S_PAPER:
	case S_FAST:
		grv_buf_adds(b, ms->officers[key].code);
		break;
	case S_BRIBE:
		grv_buf_adds(b, ms->depts[key].code);
		break;
	case S_BOUNCE:
	case S_LATE:
		grv_buf_printf(b, "%s>%s", ms->depts[key / nd].code,
		    ms->depts[key % nd].code);
		break;
	default:
		grv_phone_mask(m->phone[key - 1], ph);
		grv_buf_adds(b, ph);
	}
}

/* The note of SIG's row for KEY over hits H[0..k-1]. */
static void
note(const struct game *m, struct grv_buf *b, int sig, uint32_t key,
    const struct hit *h, size_t k, const grv_time_t *hours)
{
	const struct grv_masters *ms = &m->ctx->m;
	char ts[GRV_TSLEN];
	uint8_t *seen;
	size_t i;
	int c;

	grv_buf_reset(b);
	if (sig == S_FAST) {
		grv_ctx_ts(m->ctx, hours[key], ts);
		grv_buf_printf(b, "hour from %s", ts);
	} else if (sig == S_ONE_OFFICER) {
		c = m->st.c[key - 1].l1_officer;
		grv_buf_adds(b, ms->officers[c].code);
	} else if (sig == S_HABITUAL) {
		seen = grv_calloc(GRV_NCATS_ALL(ms) + 1, 1);
		for (i = 0; i < k; i++)
			seen[m->st.c[h[i].n - 1].category] = 1;
		for (i = 0; i < GRV_NCATS_ALL(ms); i++)
			if (seen[i])
				grv_buf_printf(b, "%s%s", b->len ? ";" : "",
				    ms->cats[i].code);
		free(seen);
	}
}

/* --dept: the officer's department, the department, either of a pair,
   the holder of the caller's first complaint. */
static int
dept_kept(const struct game *m, const struct hit *h)
{
	const struct grv_masters *ms = &m->ctx->m;
	int d = grv_report_dept(ms, m->o);

	if (d < 0)
		return 1;
	switch (h->sig) {
	case S_FORCED:
	case S_PAPER:
	case S_FAST:
		return ms->officers[h->key].dept == d;
	case S_BRIBE:
		return (int)h->key == d;
	case S_BOUNCE:
	case S_LATE:
		return (int)(h->key / m->nd) == d ||
		    (int)(h->key % m->nd) == d;
	}
	return m->st.c[h->key - 1].dept == d;
}

static void
rows(struct game *m, struct grv_table *t, const grv_time_t *hours)
{
	static const char *const cols[] = { "signal", "subject", "count",
	    "base", "share", "note", NULL };
	static const char *const dcols[] = { "signal", "subject", "id",
	    NULL };
	struct grv_buf b = GRV_BUF_INIT;
	const struct hit *h;
	size_t i, j, k;
	int64_t base;
	char id[48];

	grv_table_init(t, m->o->detail ? dcols : cols);
	if (m->nhits)
		qsort(m->hits, m->nhits, sizeof(*m->hits), cmp_hit);
	for (i = 0; i < m->nhits; i = j) {
		h = &m->hits[i];
		for (j = i; j < m->nhits && m->hits[j].sig == h->sig &&
		    m->hits[j].key == h->key; j++)
			;
		base = m->base[h->sig] ? m->base[h->sig][h->key] : 0;
		if (!listed(m->g, h->sig, (int64_t)(j - i), base) ||
		    !dept_kept(m, h))
			continue;
		subject(m, &b, h->sig, h->key);
		if (m->o->detail) {
			for (k = i; k < j; k++) {
				grv_table_str(t, signals[h->sig]);
				grv_table_str(t, b.s);
				grv_id_format(m->ctx->conf.node, m->hits[k].n,
				    id, sizeof(id));
				grv_table_str(t, id);
			}
			continue;
		}
		grv_table_str(t, signals[h->sig]);
		grv_table_str(t, b.s);
		grv_table_int(t, (int64_t)(j - i));
		if (m->base[h->sig] && base > 0) {
			grv_table_int(t, base);
			grv_table_fix2(t, (int64_t)(((j - i) * 20000 +
			    (size_t)base) / ((size_t)base * 2)));
		} else {
			grv_table_null(t);
			grv_table_null(t);
		}
		note(m, &b, h->sig, h->key, h, j - i, hours);
		grv_table_str(t, b.len ? b.s : NULL);
	}
	grv_buf_release(&b);
}

/* One run; GAME_GROWN as above: the masters keep what the fold met, so a
   second run is sized right. */
static int
run(const struct grv_ctx *ctx, const struct grv_grading *gr,
    const struct grv_report_opts *o, struct grv_table *t)
{
	const struct grv_masters *ms = &ctx->m;
	struct grv_fold_opts fo;
	struct game m;
	grv_time_t *hours;
	int rc, s;

	memset(&m, 0, sizeof(m));
	m.ctx = ctx;
	m.g = &gr->gaming;
	m.o = o;
	m.nofficers = ms->nofficers;
	m.nd = GRV_NDEPTS_ALL(ms);
	m.npairs = m.nd * m.nd;
	m.base[S_FORCED] = grv_calloc(m.nofficers + 1, sizeof(int64_t));
	m.base[S_PAPER] = grv_calloc(m.nofficers + 1, sizeof(int64_t));
	m.base[S_FAST] = grv_calloc(m.nofficers + 1, sizeof(int64_t));
	m.base[S_BRIBE] = grv_calloc(m.nd + 1, sizeof(int64_t));
	m.base[S_BOUNCE] = grv_calloc(m.npairs + 1, sizeof(int64_t));
	m.base[S_LATE] = grv_calloc(m.npairs + 1, sizeof(int64_t));
	hours = grv_calloc(m.nofficers + 1, sizeof(*hours));
	memset(&fo, 0, sizeof(fo));
	fo.now = ctx->now < o->to - 1 ? ctx->now : o->to - 1;
	fo.on_event = on_event;
	fo.on_complaint = on_complaint;
	fo.arg = &m;
	rc = fo.now < o->from ? 0 : grv_state_load(&m.st, ctx, &fo);
	if (rc == 0 && GRV_NDEPTS_ALL(ms) > m.nd)
		rc = GAME_GROWN;	/* met after the last event */
	if (rc == 0) {
		fast_hits(&m, hours);
		caller_hits(&m);
		rows(&m, t, hours);
	}
	grv_state_release(&m.st);
	for (s = 0; s < S_COUNT; s++)
		free(m.base[s]);
	free(hours);
	free(m.hits);
	free(m.res);
	free(m.xfrom);
	free(m.phone);
	return rc;
}

int
grv_report_gaming(const struct grv_ctx *ctx, const struct grv_grading *gr,
    const struct grv_report_opts *o, struct grv_table *t)
{
	int rc;

	if ((rc = run(ctx, gr, o, t)) == GAME_GROWN)
		rc = run(ctx, gr, o, t);
	return rc;
}
