/* grv_gen_plant.c: planted patterns of gamed grades for grv-gen. */
#include <stdlib.h>
#include <string.h>

#include "grv_alloc.h"

#include "grv_gen_plant.h"
#include "grv_life.h"
#include "grv_phone.h"

void
grv_plant_init(struct grv_plant *p, const struct grv_masters *m,
    uint64_t seed, uint64_t n)
{
	/* per officer: forcer, paper, fast; per department: bounce, late,
	   bribe, all new complaints */
	static const int per_officer[7] = { 1, 1, 0, 0, 1, 0, 0 };
	int i;

	memset(p, 0, sizeof(*p));
	for (i = 0; i < 7; i++)
		p->met[i] = grv_calloc((per_officer[i] ? m->nofficers :
		    m->ndepts) + 1, sizeof(uint32_t));
	grv_rng_seed(&p->r, seed ^ 0x706c616e74ULL);	/* "plant" */
	p->n = n;
	p->step = n / (GRV_PLANT_CALLERS * GRV_PLANT_CALLS);
	p->lstep = n / (2 * GRV_PLANT_LOYAL * GRV_PLANT_LOYAL_CALLS);
	p->back = -1;
}

void
grv_plant_phone(struct grv_plant *p, uint32_t n, char *phone)
{
	uint64_t k;

	if (p->step == 0 || n % p->step != 0)
		return;
	k = n / p->step;
	if (k == 0 || k > GRV_PLANT_CALLERS * GRV_PLANT_CALLS)
		return;
	snprintf(phone, 11, "90000000%02d", (int)((k - 1) %
	    GRV_PLANT_CALLERS) + 1);
}

void
grv_plant_release(struct grv_plant *p)
{
	int i;

	for (i = 0; i < 7; i++)
		free(p->met[i]);
}

/* Is X among V[0..n-1]?  Else, with room, add it once met NEED times
   (MET counts). */
static int
member(int *v, int *n, int max, int x, uint32_t *met, uint32_t need)
{
	int i;

	for (i = 0; i < *n; i++)
		if (v[i] == x)
			return 1;
	if (*n >= max || ++met[x] < need)
		return 0;
	v[(*n)++] = x;
	return 1;
}

/* Whether X is among V[0..n-1]. */
static int
among(const int *v, int n, int x)
{
	int i;

	for (i = 0; i < n; i++)
		if (v[i] == x)
			return 1;
	return 0;
}

int
grv_plant_force(struct grv_plant *p, const struct grv_masters *m,
    uint32_t n, int dept, int level, int loc, int placements, int bribe)
{
	int o;

	(void)n;
	if (placements != 1 || level > 3 || bribe ||
	    among(p->bribe, p->nbribe, dept) ||
	    (o = grv_responsible(m, dept, 3, loc)) < 0 ||
	    !member(p->forcer, &p->nforcer, GRV_PLANT_FORCERS, o, p->met[0],
	    GRV_PLANT_MEETS))
		return -1;
	return grv_rng_unif(&p->r) < GRV_PLANT_FORCE_P ? o : -1;
}

int
grv_plant_paper(struct grv_plant *p, int officer, int level)
{
	if (level != 1 || officer < 0 ||
	    !member(p->paper, &p->npaper, GRV_PLANT_PAPER, officer,
	    p->met[1], GRV_PLANT_MEETS))
		return 0;
	return grv_rng_unif(&p->r) < GRV_PLANT_PAPER_P;
}

int
grv_plant_bounce(struct grv_plant *p, const struct grv_masters *m,
    uint32_t n, int dept, int level, int loc, int placements)
{
	int i, b;

	if (p->bouncing == n && placements == 2 && p->back >= 0) {
		p->bouncing = 0;
		return p->back;
	}
	if (placements != 1)
		return -1;
	for (i = 0; i < p->npair; i++)
		if (p->pair[i][0] == dept)
			break;
	if (i == p->npair) {
		if (p->npair == GRV_PLANT_PAIRS)
			return -1;
		for (i = 0; i < p->npair; i++)
			if (p->pair[i][1] == dept)
				return -1;	/* a receiver sends nothing */
		if (++p->met[2][dept] < GRV_PLANT_MEETS)
			return -1;
		/* the next department with an officer there */
		for (b = 1; b < (int)m->ndepts; b++)
			if (grv_responsible(m, (dept + b) % (int)m->ndepts,
			    level, loc) >= 0)
				break;
		if (b == (int)m->ndepts)
			return -1;
		p->pair[p->npair][0] = dept;
		p->pair[p->npair][1] = (dept + b) % (int)m->ndepts;
		i = p->npair++;
	}
	if (grv_rng_unif(&p->r) >= GRV_PLANT_BOUNCE_P ||
	    grv_responsible(m, p->pair[i][1], level, loc) < 0)
		return -1;
	p->bouncing = n;
	p->back = dept;
	return p->pair[i][1];
}

int
grv_plant_loyal(struct grv_plant *p, const struct grv_masters *m, uint32_t n,
    int *cat, int *loc, char *phone)
{
	const struct grv_category *c = &m->cats[*cat];
	uint64_t k;
	int i;

	if (p->lstep == 0 || (n + p->lstep / 2) % p->lstep != 0 ||
	    (p->step && n % p->step == 0))
		return 0;
	k = (n + p->lstep / 2) / p->lstep;
	i = (int)((k - 1) % GRV_PLANT_LOYAL);
	if (p->lcalls[i] == GRV_PLANT_LOYAL_CALLS)
		return 0;
	if (p->lcalls[i] == 0) {
		/* The first: one that starts at level 1, with an officer. */
		if (c->start_level != 1 ||
		    grv_responsible(m, c->dept, 1, *loc) < 0)
			return 0;
		p->lcat[i] = *cat;
		p->lloc[i] = *loc;
	}
	p->lcalls[i]++;
	*cat = p->lcat[i];
	*loc = p->lloc[i];
	snprintf(phone, 11, "91000000%02d", 11 + i);
	return 1;
}

int
grv_plant_late(struct grv_plant *p, const struct grv_masters *m, int dept,
    int level, int loc, int placements, grv_time_t t, grv_time_t due,
    grv_time_t *at)
{
	int i, b, nd = (int)m->ndepts;

	if (placements != 1 || due == GRV_TIME_NONE)
		return -1;
	for (i = 0; i < p->nlate; i++)
		if (p->late[i][0] == dept)
			break;
	if (i == p->nlate) {
		if (p->nlate == GRV_PLANT_LATE)
			return -1;
		/* in no pair yet, bouncing or late */
		for (i = 0; i < p->npair; i++)
			if (p->pair[i][0] == dept || p->pair[i][1] == dept)
				return -1;
		for (i = 0; i < p->nlate; i++)
			if (p->late[i][1] == dept)
				return -1;
		if (++p->met[3][dept] < GRV_PLANT_MEETS)
			return -1;
		/* the next department with an officer there, in no pair */
		for (b = 1; b < nd; b++) {
			int d = (dept + b) % nd;

			for (i = 0; i < p->npair; i++)
				if (p->pair[i][0] == d || p->pair[i][1] == d)
					break;
			if (i == p->npair && !(p->nlate && p->late[0][0] == d) &&
			    grv_responsible(m, d, level, loc) >= 0)
				break;
		}
		if (b == nd)
			return -1;
		p->late[p->nlate][0] = dept;
		p->late[p->nlate][1] = (dept + b) % nd;
		i = p->nlate++;
	}
	if (grv_rng_unif(&p->r) >= GRV_PLANT_LATE_P)
		return -1;
	/* 1 to 20 hours before the due */
	*at = due - 3600 - (grv_time_t)(grv_rng_unif(&p->r) * 19 * 3600);
	if (*at <= t || grv_responsible(m, p->late[i][1], level, loc) < 0)
		return -1;
	return p->late[i][1];
}

grv_time_t
grv_plant_fast(struct grv_plant *p, int officer, int level, grv_time_t out,
    int tz)
{
	grv_time_t day, at;

	if (level != 1 || officer < 0 || among(p->paper, p->npaper, officer) ||
	    !member(p->fast, &p->nfast, GRV_PLANT_FAST, officer, p->met[4],
	    2 * GRV_PLANT_MEETS))
		return out;
	/* every seventh day since the epoch, 17:00 to 17:59 */
	day = grv_local_day(out, tz);
	day += (7 - day % 7) % 7;
	at = day * 86400 - (grv_time_t)tz * 60 + 17 * 3600 +
	    (grv_time_t)(grv_rng_unif(&p->r) * 3600);
	return at >= out ? at : at + 7 * 86400;
}

int
grv_plant_bribe(struct grv_plant *p, const struct grv_masters *m, int dept,
    int level, int loc, int placements, int bribe, grv_time_t t,
    grv_time_t *at)
{
	int i, o;

	if (placements != 1)
		return -1;
	if (!among(p->bribe, p->nbribe, dept) && ++p->met[6][dept] && bribe) {
		if (p->nbribe == GRV_PLANT_BRIBE)
			return -1;
		for (i = 0; i < p->nforcer; i++)
			if (m->officers[p->forcer[i]].dept == dept)
				return -1;
		/* one whose officers close other complaints too */
		for (i = 0; i < (int)m->ncats; i++)
			if (m->cats[i].dept == dept &&
			    m->cats[i].start_level == 1)
				break;
		/* and bribe complaints 1 in 50 of its complaints at most,
		   so that its level-3 officers close mostly others */
		if (i == (int)m->ncats ||
		    ++p->met[5][dept] < GRV_PLANT_BRIBE_MEETS ||
		    p->met[6][dept] < 50 * p->met[5][dept])
			return -1;
		p->bribe[p->nbribe++] = dept;
	}
	if (!bribe)
		return -1;
	if (grv_rng_unif(&p->r) >= GRV_PLANT_BRIBE_P ||
	    (o = grv_responsible(m, dept, level > GRV_FORCE_LEVEL ? level :
	    GRV_FORCE_LEVEL, loc)) < 0)
		return -1;
	/* 1 to 5 days after the placement */
	*at = t + 86400 + (grv_time_t)(grv_rng_unif(&p->r) * 4 * 86400);
	return o;
}

void
grv_plant_truth(const struct grv_plant *p, const struct grv_masters *m,
    FILE *fp)
{
	char phone[11], masked[GRV_PHONE_SIZE];
	int i;

	fprintf(fp, "signal,subject\n");
	for (i = 0; i < p->nforcer; i++)
		fprintf(fp, "forced,%s\n", m->officers[p->forcer[i]].code);
	for (i = 0; i < p->npaper; i++)
		fprintf(fp, "paper,%s\n", m->officers[p->paper[i]].code);
	for (i = 0; i < p->npair; i++)
		fprintf(fp, "bounce,%s>%s\n", m->depts[p->pair[i][0]].code,
		    m->depts[p->pair[i][1]].code);
	for (i = 1; p->step && i <= GRV_PLANT_CALLERS; i++) {
		snprintf(phone, sizeof(phone), "90000000%02d", i);
		grv_phone_mask(phone, masked);
		fprintf(fp, "habitual,%s\n", masked);
	}
	for (i = 0; i < p->nlate; i++)
		fprintf(fp, "late,%s>%s\n", m->depts[p->late[i][0]].code,
		    m->depts[p->late[i][1]].code);
	for (i = 0; i < p->nfast; i++)
		fprintf(fp, "fast,%s\n", m->officers[p->fast[i]].code);
	for (i = 0; i < p->nbribe; i++)
		fprintf(fp, "bribe_forced,%s\n", m->depts[p->bribe[i]].code);
	/* a caller whose complaints were all planted */
	for (i = 0; i < GRV_PLANT_LOYAL; i++)
		if (p->lcalls[i] == GRV_PLANT_LOYAL_CALLS) {
			snprintf(phone, sizeof(phone), "91000000%02d", 11 + i);
			grv_phone_mask(phone, masked);
			fprintf(fp, "one_officer,%s\n", masked);
		}
}
