/* grv_ledger.h: appending to a ledger: the locked open, the tail and its
 * chain, the clock check, the commit and the mark it leaves. */
#ifndef GRV_LEDGER_H
#define GRV_LEDGER_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "grv_buf.h"
#include "grv_chain.h"
#include "grv_layout.h"
#include "grv_time.h"

struct grv_hwm;

/* A ledger opened for appending, locked. */
struct grv_ledger {
	enum grv_ledger_kind kind;
	char		*rel;		/* "ledger/events.csv" */
	char		*path;
	int		 fd;
	off_t		 size;		/* bytes in the file when locked */
	char		 crc[9];	/* the chain's last crc ("" = header) */
	char		*last;		/* last row (no newline), NULL if none */
	size_t		 lastlen;
	unsigned long	 rows;		/* rows after the header, if counted */
	struct grv_buf	 pending;	/* rows added, not yet written */
	char		 pcrc[9];	/* crc of the last pending row */
	size_t		 npending;
	char		*dir;		/* the data directory */
	int		 dfd;		/* its flock while the file is new */
	struct grv_hwm	*hwm;		/* the high-water mark found */
	int		 trusted;	/* the file is as grv last left it */
	uint64_t	 total;		/* rows of the whole log, segments too */
	int		 dshared;	/* dfd is the process's shared one */
};
#define GRV_LEDGER_INIT { GRV_COMPLAINTS, NULL, NULL, -1, 0, "", NULL, 0, 0, \
	GRV_BUF_INIT, "", 0, NULL, -1, NULL, 0, 0, 0 }

/*
 * Open DIR/ledger/NAME.csv for appending, take an exclusive flock waiting up
 * to WAIT seconds, then read the tail: the last row and its crc, checking
 * that the file ends in a newline and that the last row's crc follows from
 * the one before.  A ledger that does not exist yet is not created here:
 * the data directory is locked instead (fd stays -1), and the first commit
 * creates the file, header and rows together, so a program that refuses
 * after locking leaves no trace.  Returns 0, or after printing why:
 * GRV_EX_TEMPFAIL (lock), GRV_EX_DATAERR (a torn or damaged tail, a wrong
 * header), GRV_EX_CANTCREAT, GRV_EX_IOERR.
 *
 * The file is then held against its high-water mark (grv_hwm.h): one
 * shorter than grv left it, missing, or put back from an older copy is
 * refused (GRV_EX_DATAERR); one changed by anything but grv (TRUSTED
 * clear) has its whole chain verified and its rows counted before the
 * caller may append.  Every commit records the new mark.
 */
int	 grv_ledger_lock(struct grv_ledger *, const char *dir,
	    enum grv_ledger_kind, double wait);
/*
 * Queue one row: FIELDS are the columns before crc.  The row is escaped,
 * chained and kept in memory; nothing is written yet.
 */
void	 grv_ledger_add(struct grv_ledger *, const char *const *fields);
/*
 * The same for a writer that lays out a row itself: grv_ledger_row gives
 * where to write its columns before crc (room for ROOM bytes; nothing is
 * queued yet); the caller writes them escaped and joined as grv_ledger_add
 * would (grv_csv_emit, GRV_CSV_ESCAPE); grv_ledger_row_done(lg, END)
 * queues the bytes up to END and chains them.
 */
char	*grv_ledger_row(struct grv_ledger *, size_t room);
void	 grv_ledger_row_done(struct grv_ledger *, char *end);
/*
 * Write every queued row with one write(2), then fsync.  A new ledger is
 * written whole into a temporary file in ledger/ and linked into place, so
 * nobody ever sees it without its rows.  0, GRV_EX_CANTCREAT or GRV_EX_IOERR.
 */
int	 grv_ledger_commit(struct grv_ledger *);
/* Make sure the file exists (header only when new) and is locked; for a
 * writer that then writes lg->fd itself.  0 or an exit code (printed). */
int	 grv_ledger_materialize(struct grv_ledger *);
/* Unlock and close; queued rows not committed are dropped. */
void	 grv_ledger_release(struct grv_ledger *);

/*
 * The tail of a ledger file, read back from byte END of FD (END > 0) in
 * chunks of CHUNK bytes, four times larger each time, until it holds the
 * last line and the one before it, or MAX bytes have been tried (0: no
 * limit).  The last row must follow from the one before by its crc, or
 * from the header when it is the first.  Returns one of:
 *   GRV_TAIL_ROW     TAIL->last is a row chained to the line before
 *   GRV_TAIL_HEADER  nothing but the header line
 *   GRV_TAIL_IOERR   a read failed (errno set)
 *   GRV_TAIL_TORN    END does not follow a newline
 *   GRV_TAIL_LONG    the two lines are longer than MAX (TAIL->last is
 *                    the last line when it alone fits)
 *   GRV_TAIL_NOCRC   the line before has no crc, or the first line is
 *                    not the header
 *   GRV_TAIL_CHAIN   the last row's crc does not follow
 * TAIL->last and lastlen are set whenever a last line was found, and NULL
 * and 0 otherwise.
 */
struct grv_tail {
	char		*buf;		/* the bytes read, from OFF */
	off_t		 off;
	const char	*last;		/* the last line (in BUF, no newline) */
	size_t		 lastlen;
};
#define GRV_TAIL_INIT { NULL, 0, NULL, 0 }
enum { GRV_TAIL_ROW, GRV_TAIL_HEADER, GRV_TAIL_IOERR, GRV_TAIL_TORN,
	GRV_TAIL_LONG, GRV_TAIL_NOCRC, GRV_TAIL_CHAIN };
int	 grv_ledger_tail(int fd, off_t end, enum grv_ledger_kind, size_t chunk,
	    size_t max, struct grv_tail *);
void	 grv_tail_release(struct grv_tail *);

/*
 * The clock: a ledger's rows go forward in time, so a writer's NOW earlier
 * than LAST, the stamp of the last row of REL (GRV_TIME_NONE: no row), is
 * refused ("timestamps never go back").  The message names NOW in time
 * zone TZ, and LAST as LASTTXT has it (the row's own stamp, its first 25
 * bytes) or, LASTTXT NULL, in TZ.  0, or GRV_EX_DATAERR after saying why.
 */
int	 grv_ledger_clock(const char *rel, grv_time_t now, grv_time_t last,
	    const char *lasttxt, int tz);
/*
 * The stamp of the last row of DIR/ledger/events.csv, read from its last
 * 64 KiB without the lock, for a program that takes none (grv-escalate
 * --dry-run): GRV_TIME_NONE when there is no row or it cannot be read
 * (the fold will say why).
 */
grv_time_t grv_ledger_peek_ts(const char *dir);

/*
 * The marker of an append in progress, DIR/ledger/.NAME.pending: the file's
 * size before the append and the append's length, written and synced before
 * the rows and removed once they are synced.  A marker left behind says a
 * writer died in between: if the file is neither SIZE nor SIZE + LEN bytes
 * long, part of an append reached it (GRV_PENDING_CUT), and nothing may be
 * appended or read past SIZE until 'grv-check --repair' cuts it back.
 */
enum { GRV_PENDING_NONE, GRV_PENDING_DONE, GRV_PENDING_CUT, GRV_PENDING_BAD };
/* Classify the marker of NAME against a file of FILESIZE bytes; *SIZE
 * and *LEN get the marker's numbers.  A marker cut short itself is DONE
 * (no row was written before it was whole); GRV_PENDING_BAD: a read error. */
int	 grv_pending_state(const char *dir, enum grv_ledger_kind,
	    uint64_t filesize, uint64_t *size, uint64_t *len);
/* Remove the marker (after a repair, or when it is stale). */
void	 grv_pending_clear(const char *dir, enum grv_ledger_kind);

/* Read LEN bytes at OFF into BUF, going on after EINTR and short reads:
   0, or -1 with errno set (EIO: the file ends before). */
int	 grv_pread_all(int fd, void *buf, size_t len, off_t off);

#endif
