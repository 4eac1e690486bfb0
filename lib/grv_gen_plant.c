/* grv_gen_plant.c: planted patterns of gamed grades for grv-gen. */
#include <stdlib.h>
#include <string.h>

#include "grv_alloc.h"

#include "grv_gen_plant.h"
#include "grv_phone.h"

void
grv_plant_init(struct grv_plant *p, const struct grv_masters *m,
    uint64_t seed, uint64_t n)
{
	memset(p, 0, sizeof(*p));
	p->met[0] = grv_calloc(m->nofficers + 1, sizeof(uint32_t));
	p->met[1] = grv_calloc(m->nofficers + 1, sizeof(uint32_t));
	p->met[2] = grv_calloc(m->ndepts + 1, sizeof(uint32_t));
	grv_rng_seed(&p->r, seed ^ 0x706c616e74ULL);	/* "plant" */
	p->n = n;
	p->step = n / (GRV_PLANT_CALLERS * GRV_PLANT_CALLS);
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

	for (i = 0; i < 3; i++)
		free(p->met[i]);
}

/* Is X among V[0..n-1]?  Else, with room, add it once met
   GRV_PLANT_MEETS times (MET counts). */
static int
member(int *v, int *n, int max, int x, uint32_t *met)
{
	int i;

	for (i = 0; i < *n; i++)
		if (v[i] == x)
			return 1;
	if (*n >= max || ++met[x] < GRV_PLANT_MEETS)
		return 0;
	v[(*n)++] = x;
	return 1;
}

int
grv_plant_force(struct grv_plant *p, const struct grv_masters *m,
    uint32_t n, int dept, int level, int loc, int placements)
{
	int o;

	(void)n;
	if (placements != 1 || level > 3 ||
	    (o = grv_responsible(m, dept, 3, loc)) < 0 ||
	    !member(p->forcer, &p->nforcer, GRV_PLANT_FORCERS, o, p->met[0]))
		return -1;
	return grv_rng_unif(&p->r) < GRV_PLANT_FORCE_P ? o : -1;
}

int
grv_plant_paper(struct grv_plant *p, int officer, int level)
{
	if (level != 1 || officer < 0 ||
	    !member(p->paper, &p->npaper, GRV_PLANT_PAPER, officer,
	    p->met[1]))
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
}
