/* grv_masters.h: the reference data under DIR/masters, its rules, and the
 * words that describe an officer, a department or a place. */
#ifndef GRV_MASTERS_H
#define GRV_MASTERS_H

#include <stddef.h>

#include "grv_buf.h"
#include "grv_conf.h"
#include "grv_map.h"
#include "grv_time.h"

enum grv_lockind { GRV_LOC_STATE, GRV_LOC_DISTRICT, GRV_LOC_TEHSIL,
	GRV_LOC_BLOCK };

struct grv_dept {
	char	*code, *name, *name_hi;
	int	 sla;		/* 0: the conf default */
};

struct grv_loc {
	char	*code, *name, *name_hi;
	int	 kind;		/* enum grv_lockind */
	int	 parent;	/* index, -1 for the state */
	int	 district;	/* index of the district at or above, or -1 */
};

struct grv_officer {
	char	*code, *name, *designation, *phone;
	int	 dept, level, loc, active;
};

struct grv_category {
	char	*code, *name, *name_hi;
	int	 dept;
	int	 nsla;		/* 0 (department's), 1, or one per level */
	int	 sla[GRV_MAXLEVELS];
	int	 start_level;	/* 1 when empty */
};

struct grv_masters {
	struct grv_dept		*depts;
	size_t			 ndepts;
	struct grv_loc		*locs;
	size_t			 nlocs;
	struct grv_officer	*officers;
	size_t			 nofficers;
	struct grv_category	*cats;
	size_t			 ncats;
	struct grv_map		 dept_ix, loc_ix, officer_ix, cat_ix;
	struct grv_imap		 post_ix;	/* (dept, level, loc) -> officer */
	size_t			 nretired;	/* officers past nofficers */
	struct grv_map		 retired_ix;
	size_t			 nlocs_gone;	/* locations past nlocs */
	struct grv_map		 loc_gone_ix;
	size_t			 ndepts_gone;	/* departments past ndepts */
	struct grv_map		 dept_gone_ix;
	size_t			 ncats_gone;	/* categories past ncats */
	struct grv_map		 cat_gone_ix;
	int64_t			*holidays;	/* sorted local day numbers */
	size_t			 nholidays;
	int			 levels;
	char			*arena;		/* the strings of the first
						   ndepts, nlocs, nofficers and
						   ncats: a snapshot mapped
						   (grv_msnap), else NULL */
	size_t			 arena_len;
};

/*
 * Load DIR/masters with every cross-check (references, location kinds,
 * time limits, unique codes).  Each finding is printed as
 * "masters/FILE:LINE: what"; returns 0, GRV_EX_DATAERR or GRV_EX_NOINPUT.
 */
int	 grv_masters_load(struct grv_masters *, const char *dir,
	    const struct grv_conf *);
void	 grv_masters_release(struct grv_masters *);

int	 grv_dept_find(const struct grv_masters *, const char *code);
int	 grv_loc_find(const struct grv_masters *, const char *code);
int	 grv_officer_find(const struct grv_masters *, const char *code);
int	 grv_cat_find(const struct grv_masters *, const char *code);
/*
 * An officer the ledger names but masters/officers.csv no longer lists
 * (deleted instead of retired with active = 0).  The row rules answer
 * GRV_IX_GONE for such a code; the fold (one thread) keeps it with
 * grv_officer_retired, in m->officers[nofficers .. nofficers + nretired
 * - 1], so a state's index still names its code: never active, never in
 * officer_ix (grv_officer_find, the writers and the filters do not see
 * it), nor in the cache's signature or key index.  DEPT, LEVEL and LOC
 * are where the ledger first placed it.  Returns its index; *ISNEW when
 * this call added it.
 */
#define GRV_IX_GONE	(-2)
/* Whether S (N bytes) is a code a master may hold: letters, digits, '-',
   '_' and '.'. */
int	 grv_code_okn(const char *s, size_t n);
int	 grv_officer_retired(struct grv_masters *, const char *code, int dept,
	    int level, int loc, int *isnew);
/*
 * The same for a location a complaint row names that
 * masters/locations.csv no longer lists: kept past nlocs, a place of its
 * own (no parent, no district), never in loc_ix.
 */
int	 grv_loc_gone(struct grv_masters *, const char *code, int *isnew);
/*
 * The same for a department (an event's dept) or a category (a complaint
 * row's, an amend's) that masters/departments.csv or categories.csv no
 * longer lists: kept past ndepts or ncats by its code, with empty names
 * and the conf's time limit; a category so kept names no department
 * (dept -1) and starts at level 1.  Never in dept_ix or cat_ix.
 */
int	 grv_dept_gone(struct grv_masters *, const char *code, int *isnew);
int	 grv_cat_gone(struct grv_masters *, const char *code, int *isnew);
/* Every department and category, those the fold kept so too: what a
   report keyed by either is sized by once the fold is done. */
#define GRV_NDEPTS_ALL(m)	((m)->ndepts + (m)->ndepts_gone)
#define GRV_NCATS_ALL(m)	((m)->ncats + (m)->ncats_gone)
/* Forget every officer, location, department and category those kept (a
   fold starts again). */
void	 grv_officers_unretire(struct grv_masters *);
/* How many codes the fold kept so (0: the masters name every one). */
size_t	 grv_masters_ngone(const struct grv_masters *);
/* The closest code in MAP to CODE for "did you mean", or NULL: a code
 * CODE begins, else the nearest by edit distance. */
const char *grv_suggest(const struct grv_map *, const char *code);
/* The same for one of M's own maps (dept_ix, loc_ix, cat_ix, officer_ix),
 * a name (English or Hindi) first: --district Shimla suggests its code. */
const char *grv_suggest_in(const struct grv_masters *m,
	    const struct grv_map *, const char *s);
int	 grv_find_or_suggest_in(const struct grv_masters *m,
	    const struct grv_map *, const char *what, const char *code);
/* CODE's index in MAP, or -1 after printing "unknown WHAT 'CODE' (did you
 * mean 'NEAR'?)". */
int	 grv_find_or_suggest(const struct grv_map *, const char *what,
	    const char *code);

/*
 * The responsible officer (SPEC section 2): the active officer of DEPT at
 * LEVEL whose jurisdiction is LOC or its nearest ancestor.  -1 when none.
 */
int	 grv_responsible(const struct grv_masters *, int dept, int level,
	    int loc);
/* Is LOC equal to ANC or below it? */
int	 grv_loc_within(const struct grv_masters *, int loc, int anc);
/* Days allowed at LEVEL for CATEGORY placed with DEPT (SPEC section 4). */
int	 grv_sla_days(const struct grv_masters *, const struct grv_conf *,
	    int cat, int dept, int level);
/* A calendar over the conf and the holidays; holds pointers into M. */
void	 grv_cal_init(struct grv_cal *, const struct grv_masters *,
	    const struct grv_conf *);

/* "EN-JE-B1 Ramesh Negi, Junior Engineer" */
void	 grv_officer_desc(struct grv_buf *, const struct grv_masters *,
	    int officer);
/* "Energy (ऊर्जा विभाग)", "Theog Block (ठियोग खंड)"; one the masters no
   longer list: "PWD (no longer in masters/departments.csv)",
   "(no longer in masters/locations.csv)" */
void	 grv_dept_desc(struct grv_buf *, const struct grv_masters *, int dept);
void	 grv_loc_desc(struct grv_buf *, const struct grv_masters *, int loc);

#endif
