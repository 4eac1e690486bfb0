/* grv_hwm.h: the high-water mark, what grv last wrote to each ledger
 * (ledger/.NAME.hwm; not derived data, so it survives deleting cache/). */
#ifndef GRV_HWM_H
#define GRV_HWM_H

#include <stddef.h>
#include <stdint.h>
#include <sys/stat.h>

#include "grv_buf.h"
#include "grv_layout.h"

/* One file of a ledger as grv last left it. */
struct grv_hwm_file {
	char		*name;		/* "events.csv", "events-2025.csv.gz" */
	uint64_t	 size;		/* bytes */
	uint64_t	 rows;		/* rows after the header */
	char		 crc[9];	/* the last row's crc, "" for none */
	uint32_t	 filecrc;	/* segments: crc32 of the file's bytes */
	uint64_t	 dev, ino;	/* the file's identity when recorded */
	int64_t		 ctsec;		/* its ctime, which no user can set */
	long		 ctnsec;
};

struct grv_hwm {
	int		 present;	/* the mark exists */
	struct grv_hwm_file live;	/* live.name NULL: no live file yet */
	struct grv_hwm_file *seg;	/* sealed segments, in name order */
	size_t		 nseg;
	uint64_t	 total;		/* rows of the whole log, segments too */
	uint32_t	 bodycrc;	/* crc32 of the last row before its crc */
};
#define GRV_HWM_INIT { 0, { NULL, 0, 0, "", 0, 0, 0, 0, 0 }, NULL, 0, 0, 0 }

/*
 * Read DIR/ledger/.NAME.hwm into H: 0 (H->present says whether there is
 * one), or GRV_EX_DATAERR / GRV_EX_IOERR after printing why.
 */
int	 grv_hwm_read(const char *dir, enum grv_ledger_kind, struct grv_hwm *);
/* Replace the mark: a temporary file, synced, renamed into place.  0 or -1
 * (printed); a mark not written costs speed, never correctness. */
int	 grv_hwm_write(const char *dir, enum grv_ledger_kind,
	    const struct grv_hwm *);
void	 grv_hwm_release(struct grv_hwm *);

/* What grv_hwm_vouch found. */
enum {
	GRV_HWM_TRUSTED,	/* every file exactly as grv last left it */
	GRV_HWM_UNKNOWN,	/* no mark, or a file changed by something
				   else without losing rows: fold cold */
	GRV_HWM_DAMAGED		/* shorter, missing, replaced or changed */
};

/*
 * Hold ledger NAME against its mark, at the cost of a few stat(2)s while
 * nothing changed: segments listed must be there with the same bytes (a
 * crc32 of the file when its identity differs), no segment may appear
 * that does not hold the live file's old rows (sealing), and the live
 * file must still end, at the size grv last wrote, with the row grv last
 * wrote.  LIVE is the live file's stat (NULL: it does not exist).  The
 * mark read goes to H (may be NULL).  On GRV_HWM_DAMAGED, WHY gets
 * "ledger/FILE: what" without a newline.
 */
int	 grv_hwm_vouch(const char *dir, enum grv_ledger_kind,
	    const struct stat *live, struct grv_hwm *h, struct grv_buf *why);

/*
 * Both ledgers, each vouched for under its shared lock (not for one whose
 * bit 1 << NAME is in HELD: the caller's), for a program about to trust
 * derived state or to write:
 * 0 with *TRUSTED set when every file is as grv last left it, 0 with it
 * clear when something must be folded cold, GRV_EX_DATAERR (printed) on
 * damage.
 */
int	 grv_hwm_vouch_all(const char *dir, unsigned held, double wait,
	    int *trusted);

/*
 * Record what a writer holding ledger NAME's exclusive lock has just left
 * there: the live file (FD, ROWS rows, its last crc CRC, the last row
 * LAST of LASTLEN bytes, NULL for none), the log's TOTAL rows, and the
 * sealed segments as they are now, keeping what PREV knew of each whose
 * identity is unchanged.
 */
int	 grv_hwm_record(const char *dir, enum grv_ledger_kind, int fd,
	    uint64_t rows, const char *crc, const char *last, size_t lastlen,
	    uint64_t total, const struct grv_hwm *prev);
/* Rows (after the header) of every sealed segment of NAME: for a writer
 * that found the mark wanting.  0 or -1 (printed). */
int	 grv_hwm_segment_rows(const char *dir, enum grv_ledger_kind,
	    uint64_t *rows);

/*
 * Record the mark of ledger NAME as it is now, every file read to count
 * its rows: for 'grv-check --repair' once it found the whole ledger
 * clean, holding FD's exclusive lock.  0 or -1 (printed).
 */
int	 grv_hwm_adopt(const char *dir, enum grv_ledger_kind, int fd);

/* crc32 of a whole file's bytes; 0 or -1 (errno set). */
int	 grv_file_crc(const char *path, uint32_t *crc);

#endif
