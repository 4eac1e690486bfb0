/* grv_ahead.h: reading a plain ledger file ahead, on every core. */
#ifndef GRV_AHEAD_H
#define GRV_AHEAD_H

#include <stddef.h>
#include <stdint.h>

#include "grv_csvrow.h"

/*
 * The lines of a buffer, split in place (grv_split_lines): line I is
 * BUF[l[i].start] .. l[i].len bytes, its fields f[l[i].f0 ..] with lengths
 * flen[], each NUL-terminated where it lies in BUF.
 */
struct grv_lines {
	struct grv_line {
		size_t	 start, len;	/* in the buffer, without the newline */
		size_t	 f0, nf;	/* its fields */
	}		*l;
	size_t		 nl, capl;
	char		**f;
	size_t		*flen;
	size_t		 nf, capf;
	uint64_t	*bits;		/* the structural bytes, a bit each */
	size_t		 capbits;
};
#define GRV_LINES_INIT { NULL, 0, 0, NULL, NULL, 0, 0, NULL, 0 }

/*
 * Split the newline-ended lines of BUF (LEN bytes, and 64 more that may be
 * read but are not part of it) that start before LIM into RFC 4180 fields
 * as the reader's libcsv parser would (strict, blanks kept): a comma or the
 * newline after a field becomes its NUL, a quoted field is unescaped where
 * it stands.  Stops at the first line it cannot vouch for, which libcsv
 * must decide: an empty line, a CR or NUL, a quote inside an unquoted
 * field, text after a closing quote, a quoted field running past the line,
 * a line longer than MAXREC, a line without a newline.  Returns where it
 * stopped (the start of that line, or the end of the last line taken) and
 * sets *STOPPED when it stopped at a line it did not take.
 */
size_t	 grv_split_lines(char *buf, size_t len, size_t lim, size_t maxrec,
	    struct grv_lines *, int *stopped);
void	 grv_lines_release(struct grv_lines *);

struct grv_ahead;

/*
 * Start reading PATH ahead from OFF (the start of a line; LINE lines come
 * before it) to its present size.  NULL when the rest of the file is too
 * small to be worth threads, or on any failure: the caller reads on its own.
 * PREP, when not NULL, runs on the reading threads for every row (see
 * grv_csv_set_prep).
 */
struct grv_ahead *grv_ahead_start(const char *path, uint64_t off,
	    unsigned long line, grv_csv_prep_fn prep, size_t prepsz,
	    void *preparg);
/*
 * The next row, in file order, into ROW (valid until the next call): 1, or
 * 0 when reading ahead has stopped: at the end, or at a line the threads
 * did not take.  Then grv_ahead_where says where the caller goes on.
 */
int	 grv_ahead_next(struct grv_ahead *, struct grv_csv_row *row);
/* The prep of the row K rows after the last one handed out, if at hand. */
const void *grv_ahead_peek(const struct grv_ahead *, size_t k);
/* The offset of the first line not handed out, and the lines before it. */
void	 grv_ahead_where(const struct grv_ahead *, uint64_t *off,
	    unsigned long *line);
void	 grv_ahead_stop(struct grv_ahead *);

/*
 * For tests: chunk size in bytes (at least 64), the least size worth
 * reading ahead, and the number of threads (0: one per core, up to 4).
 * Zero for CHUNK or MIN keeps the present value.
 */
void	 grv_ahead_tune(size_t chunk, uint64_t min, int threads);

#endif
