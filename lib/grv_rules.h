/* grv_rules.h: the rules of a ledger row, one implementation that the
 * fold, grv-check and the writers all call (SPEC 7.1, "one set of row
 * rules" and "everything written is checked"). */
#ifndef GRV_RULES_H
#define GRV_RULES_H

#include <stddef.h>
#include <stdint.h>

#include "grv_buf.h"
#include "grv_conf.h"
#include "grv_masters.h"
#include "grv_complaint.h"

#define GRV_TEXT_MAX	4000	/* bytes of free text (SPEC sections 5, 7.1) */
#define GRV_ACTOR_MAX	64	/* bytes of an actor (SPEC 7.1) */

/*
 * A text value: valid UTF-8 without NUL, no control character (C0, DEL
 * or C1), at most MAX bytes.  Flags:
 * GRV_TEXT_FREE: free text (name, text, reason, ref, note): TAB is allowed,
 *   and in a value about to be written LF and CR, which the writer stores
 *   as \n and \r (SPEC section 3).  Without it (actor, codes) neither is,
 *   nor, stored, their escapes \n and \r.
 * GRV_TEXT_STORED: S is a ledger field as stored: \\, \n and \r count one
 *   byte each against MAX.
 * Returns GRV_TEXT_OK or what is wrong.
 */
#define GRV_TEXT_FREE	0x1
#define GRV_TEXT_STORED	0x2
enum { GRV_TEXT_OK, GRV_TEXT_UTF8, GRV_TEXT_CTRL, GRV_TEXT_LONG };
int	 grv_rule_text(const char *s, size_t n, size_t max, unsigned flags);
/* "not valid UTF-8", "holds a control character", "is longer than",
   and for GRV_TEXT_BLANK "empty" */
extern const char *const grv_text_faults[5];

/*
 * Free text handed to a writer (SPEC section 5: a complaint's name, text
 * and ref, a --reason, --note or --ref): grv_rule_text at GRV_TEXT_MAX
 * with GRV_TEXT_FREE, then, when REQUIRED, not blank (nothing but spaces
 * and tabs).  Returns GRV_TEXT_OK, grv_rule_text's answer, or
 * GRV_TEXT_BLANK.
 */
#define GRV_TEXT_BLANK	(GRV_TEXT_LONG + 1)
int	 grv_rule_freetext(const char *s, size_t n, int required);
/*
 * Append to B what grv_rule_freetext's answer K (not GRV_TEXT_OK) says of
 * free text N bytes long, in the words of a writer's option: "4001 bytes,
 * at most 4000 allowed", "not valid UTF-8", "holds a control character
 * (only tab and line breaks are allowed)", "empty".
 */
void	 grv_freetext_why(struct grv_buf *b, int k, size_t n);

/*
 * A value a writer is about to write, named NAME in messages ("--note",
 * "LOGNAME"): 0, or -1 after printing "NAME: why".  MAX and FLAGS as for
 * grv_rule_text (not GRV_TEXT_STORED).
 */
int	 grv_rule_value(const char *name, const char *s, size_t max,
	    unsigned flags);
/* The message of grv_rule_value for its answer K (grv_rule_text's, or
   GRV_TEXT_BLANK) about a value N bytes long: "NAME: why". */
void	 grv_rule_value_err(const char *name, int k, size_t max, size_t n);

/*
 * Whether a whole raw ROW is valid UTF-8 without a byte below 0x20, DEL
 * or 0xc2 (the lead of U+0080..U+009F): then no field of it breaks
 * grv_rule_text but by its length, or in an actor by the escapes \n, \r.
 * The fast path of the row rules (RAW given); the rules field by field
 * (RAW NULL) are the plain version it is held to.
 */
int	 grv_rule_row_clean(const char *row, size_t n);

/* What is wrong with a row. */
enum grv_fault_code {
	GRV_F_NONE,
	/* complaints.csv */
	GRV_F_ID, GRV_F_ID_SEQ, GRV_F_REGISTERED, GRV_F_CHANNEL,
	GRV_F_CATEGORY, GRV_F_LOC, GRV_F_EMPTY, GRV_F_PHONE,
	/* events.csv */
	GRV_F_TS, GRV_F_TIME_BACK, GRV_F_UNKNOWN, GRV_F_EVENT,
	GRV_F_BEFORE_REG, GRV_F_LEVEL, GRV_F_DEPT, GRV_F_OFFICER, GRV_F_DUE,
	GRV_F_PLACEMENT, GRV_F_XFER_REASON, GRV_F_ESC_REASON, GRV_F_RESOLVE,
	GRV_F_FB_REASON, GRV_F_CLOSE_REASON, GRV_F_NOTE, GRV_F_AMEND_REASON,
	GRV_F_AMEND_CAT, GRV_F_AMEND_LOC, GRV_F_REOPEN_REASON, GRV_F_HOLD,
	GRV_F_RESUME_REASON, GRV_F_DUP_NOTE, GRV_F_CALLBACK_REASON,
	GRV_F_MOVE_REASON, GRV_F_RATING, GRV_F_REFUSED, GRV_F_CB_OWED,
	GRV_F_CB_REOPEN,
	/* any free-text column: the grv_rule_text answer + GRV_F_TEXT */
	GRV_F_TEXT,
	GRV_F_COUNT = GRV_F_TEXT + 4
};

struct grv_fault {
	int		 code;	/* enum grv_fault_code */
	int		 col;	/* the column at fault, -1: the row */
	const char	*why;	/* GRV_F_REFUSED: grv_event_refused's answer;
				   GRV_F_TIME_BACK: the row before's time, or
				   NULL */
	uint32_t	 want;	/* GRV_F_ID_SEQ, GRV_F_ID: the id expected */
	uint8_t		 status; /* GRV_F_REFUSED: the complaint's status */
};

/* A complaint row's values. */
struct grv_crow {
	grv_time_t	 reg;
	uint32_t	 n;
	int32_t		 cat, loc;
	int		 ch;
};

/*
 * The rules of one complaint row's fields, F[i] (FLEN[i] bytes) as stored:
 * id, registered, channel, category and loc (looked up in M; NULL skips
 * them; GRV_IX_GONE for a well-formed code M no longer lists), name, phone and text set, every free-text column; RAW, RAWLEN:
 * the row's bytes for the fast path, or NULL.  Fills OUT as
 * far as it got; stores up to MAX faults in FL and returns how many (it
 * stops at MAX: the fold asks for one).
 */
int	 grv_rules_complaint(const struct grv_conf *, const struct grv_masters *,
	    const char *const *f, const size_t *flen, const char *raw,
	    size_t rawlen, struct grv_crow *out, struct grv_fault *fl, int max);
/* The cross-row rule: complaint N follows complaint NPREV; 0 or 1 fault. */
int	 grv_rules_complaint_seq(uint32_t n, uint32_t nprev,
	    struct grv_fault *fl);

/*
 * The rules of one event row's fields: time, id, event, level (1..levels),
 * dept and officer (in M; NULL skips them), due, what its kind must set
 * and its reasons, actor and free text.  EV gets the values (ts first, so
 * a caller can tell a row after --now even when a later field is bad; dept
 * and officer -1 when empty or unknown; GRV_IX_GONE when a code the
 * masters could hold but no longer list, as is an amend's new category or
 * location in its code).  Faults as grv_rules_complaint.
 * A bad time, id or event ends the row's checks.
 */
int	 grv_rules_event(const struct grv_conf *, const struct grv_masters *,
	    const char *const *f, const size_t *flen, const char *raw,
	    size_t rawlen, struct grv_event *ev, struct grv_fault *fl, int max);
/*
 * Whether EV (as grv_rules_event left it) names an officer, department,
 * or for an amend a category or location, that the masters no longer
 * list (GRV_IX_GONE): only the fold keeps such codes (grv_officer_retired,
 * grv_dept_gone ...), so a reader of a few rows leaves the row to it.
 */
#define grv_event_gone(ev)	((ev)->officer == GRV_IX_GONE ||	\
	    (ev)->dept == GRV_IX_GONE || ((ev)->kind == GRV_EV_AMEND &&	\
	    (ev)->code == GRV_IX_GONE))

/*
 * The rules of an event against the rows before it: time never goes back
 * (LAST, GRV_TIME_NONE for the first event), its complaint CS exists (NULL
 * or GRV_ST_NONE: unknown) and was registered by then, and the transition
 * is allowed (grv_event_refused).  Faults as above.
 */
int	 grv_rules_event_state(const struct grv_cstate *cs,
	    const struct grv_event *ev, grv_time_t last,
	    struct grv_fault *fl, int max);
/*
 * The event a writer is about to add, by the same rules as a stored row:
 * what its kind must set, its reasons, ACTOR and its free text.  0, or the
 * first fault.
 */
int	 grv_rules_newevent(int kind, int level, int dept, int officer,
	    grv_time_t due, const char *actor, const char *reason,
	    const char *ref, const char *note, struct grv_fault *fl);

/*
 * SPEC 7.2's pairing across rows: a disputed callback on a complaint
 * closed satisfied, not marked recorded alone (ref GRV_CB_ALONE: the
 * writer found the reopen refused; ev->code 1) and, in a ledger written
 * before that mark, whose reopen grv_reopen_refused allows at the call's
 * time under the conf in force, is followed by the very next event row, the reopen with reason
 * callback of the same complaint at the same time (the same append, whose
 * rows are consecutive); and a reopen with reason callback comes only so.
 * OW carries what is owed from row to row (start it GRV_OWED_INIT, one per
 * events file); call with each event row EV that passed the rules above
 * (CS its complaint before it, LINE its line), and with EV NULL at the end
 * of the file.  0 or 1 fault: GRV_F_CB_OWED is about the callback, at
 * *AT (its line), with want = its complaint; GRV_F_CB_REOPEN about EV, at
 * LINE.
 */
struct grv_owed {
	uint32_t	 n;		/* 0: nothing owed */
	grv_time_t	 ts;
	unsigned long	 line;
};
#define GRV_OWED_INIT	{ 0, 0, 0 }
int	 grv_rules_owed(const struct grv_conf *, struct grv_owed *,
	    const struct grv_cstate *cs, const struct grv_event *ev,
	    unsigned long line, unsigned long *at, struct grv_fault *fl);

/*
 * Append the message of FL to B: "what 'value'" (the value from F, for
 * the ledger KIND), without the place.
 */
void	 grv_fault_msg(struct grv_buf *b, const struct grv_fault *fl,
	    const struct grv_conf *, int kind, const char *const *f);

#endif
