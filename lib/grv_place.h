/* grv_place.h: where a complaint goes: the responsible officer for its
 * place, and its due from the level's limit on the working calendar. */
#ifndef GRV_PLACE_H
#define GRV_PLACE_H

#include <stdint.h>

#include "grv_buf.h"
#include "grv_complaint.h"
#include "grv_ctx.h"

struct grv_writer;

/*
 * Place complaint CS with DEPT at LEVEL at time AT (SPEC sections 2 and 4):
 * the responsible officer for the complaint's location, and the due time
 * from the level's limit (category's per-level list, else category, else
 * department, else conf) on the configured calendar.  The category's limit
 * applies only while DEPT is the category's own department.  Returns 0, or
 * -1 when no active officer sits anywhere up the tree, or -2 when the due
 * (set) falls outside the years 1970-9999 that a row may hold (SPEC 7.1).
 */
int	 grv_place(const struct grv_ctx *, const struct grv_cstate *cs, int dept,
	    int level, grv_time_t at, int *officer, grv_time_t *due);
/*
 * The one placement rule of a route, a climb, a transfer, a reopen and a
 * finding of "unsatisfied": grv_place at LEVEL or, that post vacant, at
 * the next level up that has an officer for the place.  *PLACED gets the
 * level; when it is above LEVEL, NOTE (not NULL) gets grv_vacant_note's
 * text, to go in the row.  W, when not NULL, is the writer whose
 * remembered dues serve (grv_writer_place).  Returns as grv_place: -1
 * when no level from LEVEL up has an officer.
 */
int	 grv_place_up(const struct grv_ctx *, struct grv_writer *w,
	    const struct grv_cstate *cs, int dept, int level, grv_time_t at,
	    int *placed, int *officer, grv_time_t *due, struct grv_buf *note);
/* The note of a placement at LEVEL over a vacant post at level FROM of
   DEPT for LOC and above, into B (grv-route(1), grv-escalate(1)). */
void	 grv_vacant_note(struct grv_buf *b, const struct grv_ctx *, int dept,
	    int from, int loc, int level);
/* Say that complaint N's DUE cannot be written (grv_place's -2): 65. */
int	 grv_due_refused(const struct grv_ctx *, uint32_t n, grv_time_t due);

/* grv_place without the calendar: the officer and the level's limit in
   working days (for a writer that remembers the calendar's answers). */
int	 grv_place_days(const struct grv_ctx *, const struct grv_cstate *cs,
	    int dept, int level, int *officer, int *days);

#endif
