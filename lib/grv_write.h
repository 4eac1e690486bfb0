/* grv_write.h: what the programs that append events share: a writer
 * session on ledger/events.csv, its lock-then-fold step that makes a
 * decision and its append one atomic step, event rows queued, and
 * placing (grv_place.h) with the calendar's days remembered. */
#ifndef GRV_WRITE_H
#define GRV_WRITE_H

#include <stdio.h>

#include "grv_ctx.h"
#include "grv_csvw.h"
#include "grv_ledger.h"
#include "grv_state.h"

/* An event about to be written; strings may be NULL for empty. */
struct grv_newevent {
	uint32_t	 n;		/* complaint number */
	int		 kind;		/* enum grv_evkind */
	int		 level;		/* 0: empty */
	int		 dept;		/* -1: empty */
	int		 officer;	/* -1: empty */
	grv_time_t	 due;		/* GRV_TIME_NONE: empty */
	const char	*reason;
	const char	*ref;
	const char	*note;
};

#define GRV_DUEMEMO	8

/* Timestamps as a writer writes them (grv_csv_emit with FLAGS, in the
   conf's tz), a few remembered: every row has --now, most one of a few
   due times.  Zeroed, then FLAGS set. */
#define GRV_STAMP_SLOTS	8
struct grv_stamps {
	unsigned	 flags;
	unsigned	 used, next;
	struct {
		grv_time_t	 t;
		size_t		 len;
		char		 s[2 * GRV_TSLEN + 3];
	}		 slot[GRV_STAMP_SLOTS];
};

/* One writer session on ledger/events.csv. */
struct grv_writer {
	struct grv_ctx		*ctx;
	struct grv_ledger	 lg;
	struct grv_state	 st;
	int			 folded;
	struct grv_stamps	 stamps;	/* --now and due times, written */
	struct grv_csv_codes	 depts, officers, events, actor; /* as written */
	struct {
		grv_time_t	 at, due;
		int		 days;
	}			 duememo[GRV_DUEMEMO];	/* grv_cal_add's answers */
	unsigned		 nduememo;
	int			 refused; /* a row broke the row rules:
					   nothing is committed */
};

/* grv_place for a writer: the same answer, the calendar's count of days
   remembered (a run places most complaints at a few time limits). */
int	 grv_writer_place(struct grv_writer *, const struct grv_cstate *cs,
	    int dept, int level, grv_time_t at, int *officer, grv_time_t *due);

/*
 * Lock ledger/events.csv (waiting --wait seconds), refuse a --now earlier
 * than its last row (65), then fold the ledgers as of --now under the lock,
 * so that what the program decides from the state still holds when it
 * appends.  POINT: the program reaches complaints only through
 * grv_writer_find and grv_state_get (grv_fold_opts.point), never w->st.c.
 * Returns 0 or an exit code (printed).
 */
int	 grv_writer_begin(struct grv_writer *, struct grv_ctx *, int point);
/*
 * Queue EV stamped --now with --actor, and apply it to the in-memory state
 * so that later decisions in the same run see it.
 */
void	 grv_writer_add(struct grv_writer *, const struct grv_newevent *);
/* Write the queued rows: one write(2), one fsync.  0 or GRV_EX_IOERR. */
int	 grv_writer_commit(struct grv_writer *);
/*
 * After a commit: the rows are synced and the mark written, so the next
 * writer may go on while this one says what it added (a program that
 * still updates cache/ from its state keeps the lock to the release).
 */
void	 grv_writer_unlock(struct grv_writer *);
void	 grv_writer_release(struct grv_writer *);

/* The complaint named by ID (checked against the conf's node), or NULL
 * after printing why; *N gets its number. */
struct grv_cstate *grv_writer_find(struct grv_writer *, const char *id,
	    uint32_t *n);

/* Output of route, resolve and feedback: id,event,level,dept,officer,due */
void	 grv_print_event_header(FILE *);
void	 grv_print_event(FILE *, const struct grv_ctx *,
	    const struct grv_newevent *);
/* The same for N events (one buffer, timestamps remembered). */
void	 grv_print_events(FILE *, const struct grv_ctx *,
	    const struct grv_newevent *, size_t n);

#endif
