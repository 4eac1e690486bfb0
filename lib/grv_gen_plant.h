/* grv_gen_plant.h: the patterns of gamed grades grv-gen --plant plants at
 * known rates, so that grv-report gaming can be shown to find what was
 * planted and nothing else. */
#ifndef GRV_GEN_PLANT_H
#define GRV_GEN_PLANT_H

#include <stdint.h>
#include <stdio.h>

#include "grv_masters.h"
#include "grv_rng.h"
#include "grv_time.h"

#define GRV_PLANT_FORCERS	3	/* level-3 officers who force-close */
#define GRV_PLANT_PAPER		3	/* level-1 officers resolving on paper */
#define GRV_PLANT_PAIRS		2	/* department pairs that bounce */
#define GRV_PLANT_CALLERS	5	/* habitual callers */
#define GRV_PLANT_CALLS		8	/* complaints from each of them */
#define GRV_PLANT_LATE		2	/* department pairs transferring late */
#define GRV_PLANT_FAST		2	/* level-1 officers resolving in bursts */
#define GRV_PLANT_BRIBE		1	/* departments closing bribe complaints */
#define GRV_PLANT_LOYAL		3	/* callers who always reach one officer */
#define GRV_PLANT_LOYAL_CALLS	4	/* complaints from each of them */

#define GRV_PLANT_FORCE_P	0.6	/* of a forcer's complaints, forced */
#define GRV_PLANT_PAPER_P	0.8	/* of a paper officer's, unsatisfied */
#define GRV_PLANT_BOUNCE_P	0.08	/* of A's new complaints, bounced */
#define GRV_PLANT_LATE_P	0.3	/* of A's new complaints, sent late */
#define GRV_PLANT_BRIBE_P	0.9	/* of its bribe complaints, forced */
#define GRV_PLANT_MEETS		50	/* meetings before a part is given */
#define GRV_PLANT_BRIBE_MEETS	10	/* bribe complaints are rare */

/*
 * Who plays each part is chosen as the generator meets them, in
 * complaint order, once met GRV_PLANT_MEETS times (so a busy officer or
 * department plays it): the first level-3 officers responsible for that
 * many complaints at their first placement, the first level-1 officers
 * to resolve that many, the first departments to place that many new
 * complaints (each with the next department of the masters that has an
 * officer at the same level over the place), each part at most once.  The callers'
 * phones are 9000000001 and on; complaint n is theirs when n is a
 * multiple of N / (GRV_PLANT_CALLERS * GRV_PLANT_CALLS), in turn.
 *
 * The late pairs are chosen like the bouncing ones, among departments in
 * no bouncing pair: GRV_PLANT_LATE_P of A's new complaints go to B between
 * 1 and 20 hours before their due.  The fast officers are the first
 * level-1 officers to resolve twice GRV_PLANT_MEETS complaints, the
 * paper parts given by then and not theirs: each of their resolves waits for the officer's weekly burst,
 * a random minute of 17:00-17:59 (the conf's tz) every seventh day.  The
 * bribe department is the first to receive GRV_PLANT_BRIBE_MEETS new
 * complaints of a category that starts above level 1 (bribe complaints)
 * with no forcer among its level-3 officers, some category that starts
 * at level 1 and 50 new complaints for each bribe one at least (so that
 * its level-3 officers close mostly other complaints): GRV_PLANT_BRIBE_P of them are
 * force-closed by its officer at the complaint's level (3 at least) within
 * 1 to 5 days of their placement; a forcer forces no bribe complaint.
 * The loyal callers' phones are 9100000011 and on: complaint n is theirs,
 * in turn, when n + L/2 is a multiple of L = N / (2 * GRV_PLANT_LOYAL *
 * GRV_PLANT_LOYAL_CALLS) and it is no habitual caller's; each caller's
 * complaints take the category and place of their first, one that starts
 * at level 1 with an officer there, and are never transferred or moved.
 *
 * A generator of its own, seeded from the seed, draws the rates: the
 * generator's own stream, and so a ledger without --plant, is unchanged.
 */
struct grv_plant {
	struct grv_rng	 r;
	uint64_t	 n, step;
	int		 forcer[GRV_PLANT_FORCERS], nforcer;
	int		 paper[GRV_PLANT_PAPER], npaper;
	int		 pair[GRV_PLANT_PAIRS][2], npair;
	int		 late[GRV_PLANT_LATE][2], nlate;
	int		 fast[GRV_PLANT_FAST], nfast;
	int		 bribe[GRV_PLANT_BRIBE], nbribe;
	uint64_t	 lstep;
	int		 lcat[GRV_PLANT_LOYAL], lloc[GRV_PLANT_LOYAL];
	int		 lcalls[GRV_PLANT_LOYAL];
	uint32_t	 bouncing;	/* the complaint on its way back */
	int		 back;		/* the department it goes back to */
	uint32_t	*met[7];	/* meetings: per officer (forcer,
					   paper, fast), per department
					   (bounce, late, bribe, all new
					   complaints) */
};

/* For the masters M, SEED and N complaints; grv_plant_release frees. */
void	 grv_plant_init(struct grv_plant *, const struct grv_masters *m,
	    uint64_t seed, uint64_t n);
void	 grv_plant_release(struct grv_plant *);

/* Complaint N's phone, if a habitual caller's: PHONE (11 bytes) set. */
void	 grv_plant_phone(struct grv_plant *, uint32_t n, char *phone);

/* The officer who force-closes complaint N placed with DEPT at LEVEL over
   LOC (PLACEMENTS so far), or -1; never a bribe complaint (BRIBE: its
   category starts above level 1). */
int	 grv_plant_force(struct grv_plant *, const struct grv_masters *,
	    uint32_t n, int dept, int level, int loc, int placements,
	    int bribe);

/* Whether complaint N is a loyal caller's: then *CAT, *LOC and PHONE (11
   bytes) are set to theirs. */
int	 grv_plant_loyal(struct grv_plant *, const struct grv_masters *,
	    uint32_t n, int *cat, int *loc, char *phone);

/* The department complaint N, placed with DEPT at LEVEL over LOC at T
   (its first placement when PLACEMENTS is 1) and due at DUE, is
   transferred to late, at *AT; or -1. */
int	 grv_plant_late(struct grv_plant *, const struct grv_masters *,
	    int dept, int level, int loc, int placements, grv_time_t t,
	    grv_time_t due, grv_time_t *at);

/* When OFFICER at LEVEL resolves what would be resolved at OUT: OUT, or
   a fast officer's next burst (TZ: the conf's, in minutes). */
grv_time_t grv_plant_fast(struct grv_plant *, int officer, int level,
	    grv_time_t out, int tz);

/* The officer who force-closes bribe complaint (BRIBE) placed with DEPT
   at LEVEL over LOC at T, PLACEMENTS so far, at *AT; or -1. */
int	 grv_plant_bribe(struct grv_plant *, const struct grv_masters *,
	    int dept, int level, int loc, int placements, int bribe,
	    grv_time_t t, grv_time_t *at);

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
