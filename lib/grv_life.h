/* grv_life.h: what the writers ask of whoever acts on a complaint: an
 * officer who may act on it, and a reason that says enough. */
#ifndef GRV_LIFE_H
#define GRV_LIFE_H

#include "grv_buf.h"
#include "grv_ctx.h"
#include "grv_state.h"
#include "grv_write.h"

#define GRV_FORCE_LEVEL	3	/* special closure: this level or above */

/*
 * May OFFICER act on the complaint CS (SPEC section 4, issue 4)?  The
 * officer must be active and either hold it, or be of the holding
 * department at a higher level with the complaint's place inside their
 * jurisdiction.  With FORCE (special closure) the officer must be of the
 * holding department, at level GRV_FORCE_LEVEL or above and not below the
 * holder, over the complaint's place.  Returns NULL when they may, else a
 * message (in WHY) saying why not.
 */
const char *grv_may_act(const struct grv_ctx *, const struct grv_cstate *cs,
	    int officer, int force, struct grv_buf *why);

/*
 * Check a free-text option: valid UTF-8, no NUL, at most GRV_TEXT_MAX
 * bytes, and at least MINWORDS words.  Prints "--OPT: why" and returns -1,
 * or 0.
 */
int	 grv_text_check(const char *opt, const char *s, int minwords);

/*
 * The resume of complaint N, on hold in state CS, at CTX->now with REASON
 * (GRV_R_SUPPLIED or GRV_R_EXPIRED), into NE (SPEC 7.2): the holder at
 * the same level and department, with the due grv_cal_resume gives from
 * when the hold began and the due it stopped.  0, or 65 when that due
 * cannot be written (said).
 */
int	 grv_resume_event(const struct grv_ctx *, const struct grv_cstate *cs,
	    uint32_t n, int reason, struct grv_newevent *ne);

/*
 * The reopen of closed complaint N in state CS at CTX->now with REASON
 * (GRV_R_CITIZEN or GRV_R_CALLBACK), into NE: one level above the level
 * it closed at (the top stays the top), to the responsible officer there
 * with a fresh due; that post vacant, the next level up that has an
 * officer (grv_place_up).  The row's note, SAID (the citizen's words, or
 * NULL) and the vacant post's text after it, is built in NOTE, which the
 * caller keeps until the row is written and then releases.  0, or 65
 * after saying why not (grv_reopen_refused, no officer at any level, a
 * due that cannot be written).
 */
int	 grv_reopen_event(const struct grv_ctx *, const struct grv_cstate *cs,
	    uint32_t n, int reason, const char *said, struct grv_newevent *ne,
	    struct grv_buf *note);

/*
 * Whether complaints A and B were registered with the same phone number:
 * 0 yes, 1 no, or an exit code (printed) when the ledger cannot be read.
 * Reads the two complaint rows through the row index of ST's cache
 * (grv_cache_complaint_row: the live file or the one gzip member of a
 * sealed segment that holds each), and streams ledger/complaints.csv
 * only when ST is NULL or its index cannot say (no cache/, damage): the
 * answer is the same either way.  HELD as grv_fold_opts.held (a writer
 * holds events.csv's lock).
 */
int	 grv_same_phone(const struct grv_ctx *, const struct grv_state *st,
	    uint32_t a, uint32_t b, unsigned held);

/*
 * The answer to a call made at AT (grv-feedback --called) on complaint ID
 * in state CS, in W's append: no earlier than the resolve it answers and
 * the ledger's last row (timestamps never go back), no later than now.
 * 0 with the context's now set to AT (every row of the append is stamped
 * with it), or 65 after saying which bound AT breaks.
 */
int	 grv_call_time(struct grv_writer *w, const struct grv_cstate *cs,
	    const char *id, grv_time_t at);

/* Words in S (runs of non-blank bytes). */
int	 grv_count_words(const char *s);

#endif
