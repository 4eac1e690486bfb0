/* grv_gen_plant.h: the patterns of gamed grades grv-gen --plant plants at
 * known rates, so that grv-report gaming can be shown to find what was
 * planted and nothing else. */
#ifndef GRV_GEN_PLANT_H
#define GRV_GEN_PLANT_H

#include <stdint.h>
#include <stdio.h>

#include "grv_masters.h"
#include "grv_rng.h"

#define GRV_PLANT_FORCERS	3	/* level-3 officers who force-close */
#define GRV_PLANT_PAPER		3	/* level-1 officers resolving on paper */
#define GRV_PLANT_PAIRS		2	/* department pairs that bounce */
#define GRV_PLANT_CALLERS	5	/* habitual callers */
#define GRV_PLANT_CALLS		8	/* complaints from each of them */

#define GRV_PLANT_FORCE_P	0.6	/* of a forcer's complaints, forced */
#define GRV_PLANT_PAPER_P	0.8	/* of a paper officer's, unsatisfied */
#define GRV_PLANT_BOUNCE_P	0.08	/* of A's new complaints, bounced */
#define GRV_PLANT_MEETS		50	/* meetings before a part is given */

/*
 * Who plays each part is chosen as the generator meets them, in
 * complaint order, once met GRV_PLANT_MEETS times (so a busy officer or
 * department plays it): the first level-3 officers responsible for that
 * many complaints at their first placement, the first level-1 officers
 * to resolve that many, the first departments to place that many new
 * complaints (each with the next department of the masters that has an
 * officer at the same level over the place), each part at most once.  The callers'
 * phones are 9000000001 and on; complaint n is theirs when n is a
 * multiple of N / (GRV_PLANT_CALLERS * GRV_PLANT_CALLS), in turn.  A
 * generator of its own, seeded from the seed, draws the rates: the
 * generator's own stream, and so a ledger without --plant, is unchanged.
 */
struct grv_plant {
	struct grv_rng	 r;
	uint64_t	 n, step;
	int		 forcer[GRV_PLANT_FORCERS], nforcer;
	int		 paper[GRV_PLANT_PAPER], npaper;
	int		 pair[GRV_PLANT_PAIRS][2], npair;
	uint32_t	 bouncing;	/* the complaint on its way back */
	int		 back;		/* the department it goes back to */
	uint32_t	*met[3];	/* per officer (forcer, paper), per
					   department (bounce): meetings */
};

/* For the masters M, SEED and N complaints; grv_plant_release frees. */
void	 grv_plant_init(struct grv_plant *, const struct grv_masters *m,
	    uint64_t seed, uint64_t n);
void	 grv_plant_release(struct grv_plant *);

/* Complaint N's phone, if a habitual caller's: PHONE (11 bytes) set. */
void	 grv_plant_phone(struct grv_plant *, uint32_t n, char *phone);

/* The officer who force-closes complaint N placed with DEPT at LEVEL over
   LOC (PLACEMENTS so far), or -1. */
int	 grv_plant_force(struct grv_plant *, const struct grv_masters *,
	    uint32_t n, int dept, int level, int loc, int placements);

/* Whether the citizen answers the resolve of OFFICER at LEVEL
   unsatisfied. */
int	 grv_plant_paper(struct grv_plant *, int officer, int level);

/* The department complaint N, placed with DEPT at LEVEL over LOC for the
   PLACEMENTS-th time, is transferred to now, or -1. */
int	 grv_plant_bounce(struct grv_plant *, const struct grv_masters *,
	    uint32_t n, int dept, int level, int loc, int placements);

/* The truth: "signal,subject" lines as grv-report gaming names them. */
void	 grv_plant_truth(const struct grv_plant *, const struct grv_masters *,
	    FILE *);

#endif
