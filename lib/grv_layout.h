/* grv_layout.h: what ledger/ holds: the ledgers' names, headers and
 * columns, their sealed segments in order, and how a file of it is
 * locked. */
#ifndef GRV_LAYOUT_H
#define GRV_LAYOUT_H

#include <stddef.h>

enum grv_ledger_kind { GRV_COMPLAINTS, GRV_EVENTS, GRV_CORRECTIONS };

#define GRV_C_NCOLS	10
#define GRV_E_NCOLS	12
#define GRV_X_NCOLS	7

/* Column positions in complaints.csv and events.csv. */
enum { GRV_C_ID, GRV_C_REGISTERED, GRV_C_CHANNEL, GRV_C_CATEGORY, GRV_C_LOC,
	GRV_C_NAME, GRV_C_PHONE, GRV_C_TEXT, GRV_C_REF, GRV_C_CRC };
enum { GRV_E_TS, GRV_E_ID, GRV_E_EVENT, GRV_E_LEVEL, GRV_E_DEPT,
	GRV_E_OFFICER, GRV_E_DUE, GRV_E_ACTOR, GRV_E_REASON, GRV_E_REF,
	GRV_E_NOTE, GRV_E_CRC };
/* And in corrections.csv, the personal data corrected (grv_correct.h). */
enum { GRV_X_TS, GRV_X_ID, GRV_X_FIELD, GRV_X_VALUE, GRV_X_ACTOR,
	GRV_X_REASON, GRV_X_CRC };

extern const char *const grv_complaints_cols[GRV_C_NCOLS + 1];
extern const char *const grv_events_cols[GRV_E_NCOLS + 1];
extern const char *const grv_corrections_cols[GRV_X_NCOLS + 1];

/* "id,registered,...,crc" without a newline. */
const char *grv_ledger_header(enum grv_ledger_kind);
const char *grv_ledger_name(enum grv_ledger_kind);	/* "complaints" */
size_t	 grv_ledger_ncols(enum grv_ledger_kind);

/*
 * Take flock OP (LOCK_SH, LOCK_EX) on FD, the descriptor of REL, waiting
 * up to WAIT seconds for whoever holds it, HOLDER in the message ("a
 * writer", "another process").  0, or after saying why: GRV_EX_TEMPFAIL
 * when the wait ran out, GRV_EX_IOERR when flock failed.
 */
int	 grv_ledger_flock(int fd, int op, double wait, const char *rel,
	    const char *holder);

/*
 * The sealed segments of ledger STEM ("events"): DIR/ledger/STEM*.csv.gz,
 * in name order (strcmp), which is their order in the log.  None found,
 * or none readable, is an empty list.
 */
struct grv_segments {
	size_t		 n;
	char		**rel;		/* "ledger/events-2025.csv.gz" */
	const char	**name;		/* "events-2025.csv.gz" (in rel) */
};
#define GRV_SEGMENTS_INIT { 0, NULL, NULL }
void	 grv_ledger_segments(const char *dir, const char *stem,
	    struct grv_segments *);
void	 grv_segments_release(struct grv_segments *);

#endif
