/* grv_cursor.h: ledger/notify.cursor, how far grv-notify has told
 * people: kept under ledger/ (not derived: deleting cache/ must not send
 * anything twice), replaced whole, atomically. */
#ifndef GRV_CURSOR_H
#define GRV_CURSOR_H

#include <stdint.h>

#include "grv_time.h"

#define GRV_CURSOR_REL	"ledger/notify.cursor"
#define GRV_CURSOR_LOCK	"ledger/notify.lock"

struct grv_cursor {
	int		 found;		/* the file exists */
	uint64_t	 seq;		/* event rows notified, every file */
	uint64_t	 off;		/* ... ending at this byte of the live
					   events.csv (0: go by SEQ) */
	unsigned long	 line;		/* the line ending there */
	uint64_t	 segsig;	/* the sealed segments then */
	grv_time_t	 remind;	/* reminders due up to here are sent
					   (GRV_TIME_NONE: none yet) */
};

/* Read DIR's cursor into C (zeroed, remind NONE, when there is none).
   0, or GRV_EX_DATAERR / GRV_EX_IOERR after saying why. */
int	 grv_cursor_read(const char *dir, struct grv_cursor *c);
/* Replace it: a new file, synced, renamed over.  0 or GRV_EX_CANTCREAT
   (said). */
int	 grv_cursor_write(const char *dir, const struct grv_cursor *c);
/* Take the exclusive lock that keeps two grv-notify apart, WAIT seconds:
   the descriptor, or -1 after saying why (*RC the exit code). */
int	 grv_cursor_lock(const char *dir, double wait, int *rc);

#endif
