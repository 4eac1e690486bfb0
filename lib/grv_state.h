/* grv_state.h: fold the ledgers into each complaint's current state. */
#ifndef GRV_STATE_H
#define GRV_STATE_H

#include <stddef.h>
#include <stdint.h>

#include "grv_ctx.h"
#include "grv_csv.h"
#include "grv_time.h"

enum grv_status { GRV_ST_NONE, GRV_ST_NEW, GRV_ST_OPEN, GRV_ST_RESOLVED,
	GRV_ST_CLOSED, GRV_ST_COUNT };

enum grv_evkind { GRV_EV_ROUTE, GRV_EV_TRANSFER, GRV_EV_ESCALATE,
	GRV_EV_RESOLVE, GRV_EV_FEEDBACK, GRV_EV_CLOSE, GRV_EV_NOTE,
	GRV_EV_AMEND, GRV_EV_COUNT };

/* The fixed reasons of escalate, feedback, close and amend events. */
enum grv_reason { GRV_R_NONE, GRV_R_OVERDUE, GRV_R_UNSATISFIED,
	GRV_R_SATISFIED, GRV_R_UNREACHABLE, GRV_R_FORCED, GRV_R_UNVERIFIED,
	GRV_R_LOC, GRV_R_CATEGORY, GRV_R_COUNT };

enum grv_channel { GRV_CH_PHONE, GRV_CH_WEB, GRV_CH_OFFICE, GRV_CH_JANMANCH,
	GRV_CH_CMO, GRV_CH_EMAIL, GRV_CH_APP, GRV_CH_COUNT };

extern const char *const grv_status_names[GRV_ST_COUNT];
extern const char *const grv_event_names[GRV_EV_COUNT];
extern const char *const grv_reason_names[GRV_R_COUNT];
extern const char *const grv_channel_names[GRV_CH_COUNT];

int	 grv_event_kind(const char *s);		/* -1 if unknown */
int	 grv_reason_code(const char *s);	/* GRV_R_NONE if free text */
int	 grv_channel_code(const char *s);	/* -1 if unknown */

/*
 * One complaint's state: 80 bytes.  Times are GRV_TIME_NONE until set;
 * indices are into the masters, -1 when unset.
 */
struct grv_cstate {
	grv_time_t	 registered;
	grv_time_t	 placed;	/* last route, transfer or escalate */
	grv_time_t	 due;
	grv_time_t	 resolved;	/* last resolve */
	grv_time_t	 closed;
	grv_time_t	 feedback_at;	/* last feedback */
	int32_t		 officer;	/* holder */
	int32_t		 l1_officer;	/* last officer to hold it at level 1 */
	int32_t		 resolver;	/* officer of the last resolve */
	int32_t		 loc;
	int16_t		 dept;		/* holding department */
	int16_t		 category;
	uint8_t		 status;	/* enum grv_status */
	uint8_t		 level;		/* 0 while new */
	uint8_t		 transfers;
	uint8_t		 escalations;
	uint8_t		 close_reason;	/* enum grv_reason */
	uint8_t		 feedback;	/* enum grv_reason of the last answer */
	uint8_t		 attended;	/* resolve or officer's note since placed */
	uint8_t		 channel;
};

/* One event row as the fold sees it. */
struct grv_event {
	grv_time_t	 ts;
	uint32_t	 n;		/* complaint number: id "<node>-<n>" */
	int		 kind;		/* enum grv_evkind */
	int		 level;		/* 0 when empty */
	int		 dept;		/* -1 when empty */
	int		 officer;	/* -1 when empty */
	grv_time_t	 due;		/* GRV_TIME_NONE when empty */
	int		 reason;	/* enum grv_reason, or GRV_R_NONE */
	int		 code;		/* amend: the new category or loc
					   (index by REASON), else unset */
	const struct grv_csv_row *row;	/* the raw row (fields escaped) */
	const char	*file;		/* "ledger/events.csv" */
};

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
};
#define GRV_STATE_INIT { NULL, 0, 0, 0, GRV_TIME_NONE, GRV_TIME_NONE, 0, \
	{ { 0, 0, "", 0 }, { 0, 0, "", 0 } } }

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
};

/*
 * Fold DIR/ledger (sealed *.csv.gz segments in name order, then the live
 * files) into ST, verifying every row's crc.  A live file is read under a
 * shared flock (waiting --wait seconds, then GRV_EX_TEMPFAIL), so a reader
 * never sees a writer's half-written row; not for a ledger in HELD.  With callbacks, every row is
 * read (no cache).  Returns 0, or an exit code after printing
 * "ledger/FILE:LINE: what".
 */
int	 grv_state_load(struct grv_state *, const struct grv_ctx *,
	    const struct grv_fold_opts *);
void	 grv_state_release(struct grv_state *);
/*
 * For a writer about to append, and for any program that trusts what it
 * did not fold: when a ledger file was changed by anything but grv since
 * grv last wrote it, fold both ledgers to their end and refuse (the exit
 * code, printed) what grv-check would call damaged.  O(1) otherwise.
 * HELD as in grv_fold_opts.
 */
int	 grv_state_verify(const struct grv_ctx *, unsigned held);

/* The complaint numbered N, or NULL when there is none at UPTO. */
struct grv_cstate *grv_state_get(const struct grv_state *, uint32_t n);
/* Parse an id "<node>-<n>" against the conf's node; 0 or -1. */
int	 grv_id_parse(const char *node, const char *id, size_t len,
	    uint32_t *n);
void	 grv_id_format(const char *node, uint32_t n, char *buf, size_t sz);

/* Apply one event to a state (the fold's own step, for writers' what-ifs). */
void	 grv_state_apply(struct grv_cstate *, const struct grv_event *);
/*
 * Whether an event of KIND (with REASON) may happen to a complaint in state
 * CS, by SPEC section 4: NULL when it may, else why not.
 */
const char *grv_event_refused(const struct grv_cstate *, int kind, int reason);

/* Is the complaint open and past due at NOW? */
int	 grv_overdue(const struct grv_cstate *, grv_time_t now);

/*
 * Cache hooks (grv_cache.c).  Load fills ST from DIR/cache when it is
 * present, matches the ledger, and covers no row stamped after NOW; it
 * returns 0 on success, -1 when the caller must fold from scratch.  Save
 * writes it back; failures only cost speed, but a cache/ or state.bin that
 * is a symbolic link is refused: GRV_EX_CANTCREAT (said), else 0.
 */
int	 grv_cache_load(struct grv_state *, const struct grv_ctx *,
	    grv_time_t now);
int	 grv_cache_save(const struct grv_state *, const struct grv_ctx *);

/* The live file's segments signature for DIR/ledger/STEM*.csv.gz. */
uint64_t grv_segments_sig(const char *dir, const char *stem);

#endif
