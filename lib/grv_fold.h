/* grv_fold.h: the fold: the ledgers' rows, checked by the row rules, into
 * each complaint's state, from the start or from where a state left off. */
#ifndef GRV_FOLD_H
#define GRV_FOLD_H

#include <stdint.h>

#include "grv_complaint.h"
#include "grv_ctx.h"

/* Position reached in a live ledger file, so a fold can resume there. */
struct grv_ledger_pos {
	uint64_t	 size;		/* bytes folded (a row boundary) */
	unsigned long	 line;		/* lines folded, header included */
	char		 crc[9];	/* chain crc at SIZE ("" = header) */
	uint64_t	 segsig;	/* signature of the sealed segments */
};

struct grv_state {
	struct grv_cstate *c;		/* c[n - 1] is complaint n */
	uint32_t	 n;		/* complaints in the ledger (any time) */
	uint32_t	 cap;
	grv_time_t	 upto;		/* rows stamped after this ignored */
	grv_time_t	 last_ts;	/* last event ts folded (or NONE) */
	grv_time_t	 last_reg;	/* last complaint row's registered */
	int		 cut;		/* an event after UPTO was seen */
	struct grv_ledger_pos pos[2];	/* complaints, events */
	struct grv_store *store;	/* c mapped from cache/ (grv_cache.h) */
};
#define GRV_STATE_INIT { NULL, 0, 0, 0, GRV_TIME_NONE, GRV_TIME_NONE, 0, \
	{ { 0, 0, "", 0 }, { 0, 0, "", 0 } }, NULL }

typedef int (*grv_complaint_fn)(void *arg, uint32_t n,
    const struct grv_cstate *, const struct grv_csv_row *row);
typedef int (*grv_event_fn)(void *arg, const struct grv_event *,
    const struct grv_cstate *before, const struct grv_cstate *after);

struct grv_fold_opts {
	grv_time_t	 now;		/* ignore rows stamped after this */
	grv_complaint_fn on_complaint;	/* each complaint row, or NULL */
	grv_event_fn	 on_event;	/* each event applied, or NULL */
	void		*arg;
	int		 nocache;	/* do not read or write cache/ */
	unsigned	 held;		/* bit 1 << GRV_COMPLAINTS/GRV_EVENTS:
					   the caller holds that ledger's
					   exclusive lock (grv_ledger_lock) */
	int		 point;		/* the caller reads complaints only
					   through grv_state_get: the cache's
					   records are checked as they are
					   fetched, not all at the load */
};

/*
 * Fold DIR/ledger into ST, verifying every row's crc and the row rules:
 * with RESUME, the live files from the positions in ST (a state the cache
 * filled), else the sealed segments in name order and then the live files
 * from their start.  A live file is read under a shared flock (--wait
 * seconds, then GRV_EX_TEMPFAIL), not for a ledger in O->held.  Returns
 * 0, or an exit code after printing "ledger/FILE:LINE: what", leaving no
 * state.  No cache and no mark: grv_state_load adds those.
 */
int	 grv_fold(struct grv_state *, const struct grv_ctx *,
	    const struct grv_fold_opts *, int resume);
void	 grv_state_release(struct grv_state *);

/* A complaint's state as its row leaves it (the fold's first step). */
struct grv_crow;
void	 grv_cstate_init(struct grv_cstate *, const struct grv_crow *);
/* The crc a ledger row ends with. */
uint32_t grv_row_crc32(const struct grv_csv_row *);

/* What grv_fold returns when a cached record it needs is damaged: the
   caller folds from scratch. */
#define GRV_FOLD_STALE	(-1000)

/* The complaint numbered N, or NULL when there is none at UPTO.  A record
   from cache/ is checked the first time it is fetched (grv_cache.h). */
struct grv_cstate *grv_state_get(const struct grv_state *, uint32_t n);
/* The live file's segments signature for DIR/ledger/STEM*.csv.gz. */
uint64_t grv_segments_sig(const char *dir, const char *stem);

#endif
