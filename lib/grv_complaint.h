/* grv_complaint.h: what a complaint is: its states, events, reasons,
 * channels and ids, what each event may do to it, and where an
 * unsatisfied citizen sends it. */
#ifndef GRV_COMPLAINT_H
#define GRV_COMPLAINT_H

#include <stddef.h>
#include <stdint.h>

#include "grv_conf.h"
#include "grv_csv.h"
#include "grv_time.h"

enum grv_status { GRV_ST_NONE, GRV_ST_NEW, GRV_ST_OPEN, GRV_ST_RESOLVED,
	GRV_ST_CLOSED, GRV_ST_HOLD, GRV_ST_COUNT };

enum grv_evkind { GRV_EV_ROUTE, GRV_EV_TRANSFER, GRV_EV_ESCALATE,
	GRV_EV_RESOLVE, GRV_EV_FEEDBACK, GRV_EV_CLOSE, GRV_EV_NOTE,
	GRV_EV_AMEND, GRV_EV_REOPEN, GRV_EV_HOLD, GRV_EV_RESUME, GRV_EV_CALLBACK,
	GRV_EV_MOVE, GRV_EV_RATE, GRV_EV_COUNT };

/* The fixed reasons of escalate, feedback, close, amend, reopen, resume
   and callback events. */
enum grv_reason { GRV_R_NONE, GRV_R_OVERDUE, GRV_R_UNSATISFIED,
	GRV_R_SATISFIED, GRV_R_UNREACHABLE, GRV_R_FORCED, GRV_R_UNVERIFIED,
	GRV_R_LOC, GRV_R_CATEGORY, GRV_R_CITIZEN, GRV_R_CALLBACK,
	GRV_R_SUPPLIED, GRV_R_EXPIRED, GRV_R_DUPLICATE, GRV_R_CONFIRMED,
	GRV_R_DISPUTED, GRV_R_COUNT };

/* The ref of a disputed callback that grv-feedback recorded without its
   reopen, the rules of reopen refusing it when the call was recorded: the
   call then owes no reopen whatever the conf says later (grv_rules_owed). */
#define GRV_CB_ALONE	"alone"

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
 * One complaint's state: 80 bytes, no padding.  Times are GRV_TIME_NONE until set;
 * indices are into the masters, -1 when unset.
 */
struct grv_cstate {
	grv_time_t	 registered;
	grv_time_t	 placed;	/* last placement (SPEC 7.1) */
	grv_time_t	 due;
	grv_time_t	 resolved;	/* last resolve */
	grv_time_t	 closed;
	union {
		grv_time_t feedback_at;	/* last feedback */
		grv_time_t held;	/* status hold: when the hold began
					   (no feedback can come while on hold;
					   a resolve sets feedback_at afresh) */
	};
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
	uint8_t		 channel;	/* enum grv_channel, low 3 bits; the
					   reopen count above them (SPEC 7.2:
					   GRV_CS_REOPENS, at most 31) */
	uint32_t	 spare;		/* cache/state.bin: the record's check */
};

#define GRV_CS_CHANNEL(cs)	((cs)->channel & 7)
#define GRV_CS_REOPENS(cs)	((cs)->channel >> 3)
#define GRV_REOPENS_MAX		31

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
					   (index by REASON); rate: the
					   rating 1..5; callback: 1 when
					   its ref is GRV_CB_ALONE, else
					   0; else unset */
	const struct grv_csv_row *row;	/* the raw row (fields escaped) */
	const char	*file;		/* "ledger/events.csv" */
};

/* Parse an id "<node>-<n>" against the conf's node; 0 or -1. */
int	 grv_id_parse(const char *node, const char *id, size_t len,
	    uint32_t *n);
void	 grv_id_format(const char *node, uint32_t n, char *buf, size_t sz);

/* The rating a rate row's reason REASON (LEN bytes) gives: 1..5, or -1. */
int	 grv_rating_parse(const char *reason, size_t len);

/* Apply one event to a state (the fold's own step, for writers' what-ifs). */
void	 grv_state_apply(struct grv_cstate *, const struct grv_event *);
/*
 * Whether an event of KIND (with REASON) may happen to a complaint in state
 * CS, by SPEC section 4: NULL when it may, else why not.
 */
const char *grv_event_refused(const struct grv_cstate *, int kind, int reason);

/*
 * Whether a closed complaint CS may be reopened at NOW under the conf's
 * reopen_days and reopen_max (SPEC 7.2): NULL, or why not.  The writers'
 * rule only: a row already written stays valid whatever the conf says.
 */
const char *grv_reopen_refused(const struct grv_conf *,
	    const struct grv_cstate *, grv_time_t now);

/* Is the complaint open and past due at NOW? */
int	 grv_overdue(const struct grv_cstate *, grv_time_t now);

/*
 * When the sweep next has something to do with CS: the sweep at NOW acts
 * on it exactly when its wake is before NOW (an open complaint below the
 * top level climbs once past its due; a resolved one the citizen has not
 * answered, or was unreachable, closes unverified feedback_days after the
 * resolve; one on hold resumes hold_days after the hold began (reason
 * expired); a new one, never placed, is named GRV_UNPLACED_GRACE seconds
 * after it was registered, and by every sweep after).  GRV_TIME_NONE:
 * never, whatever the time, until an event changes it.
 */
#define GRV_UNPLACED_GRACE	3600
/* Every conf value it reads is in the state cache's signature
   (grv_cache.c, masters_sig): the wake index holds its results. */
grv_time_t grv_wake(const struct grv_conf *, const struct grv_cstate *);

/*
 * The level an unsatisfied citizen's feedback sends the complaint CS to
 * (SPEC section 4): one level up at once; at the top level, the top again.
 */
int	 grv_unsatisfied_level(const struct grv_conf *,
	    const struct grv_cstate *cs);

#endif
