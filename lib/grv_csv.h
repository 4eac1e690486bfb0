/* grv_csv.h: streaming CSV reading (libcsv, plain or gzip); grv_csvw.h
 * writes. */
#ifndef GRV_CSV_H
#define GRV_CSV_H

#include <stddef.h>
#include <stdint.h>

#include "grv_buf.h"
#include "grv_csvrow.h"

/* Reader flags. */
#define GRV_CSV_INPUT	0x1	/* human input: drop a BOM, accept CR-LF */
#define GRV_CSV_LEDGER	0x2	/* one record is one line; a raw CR or an
				   unterminated last line is damage */
#define GRV_CSV_POINT	0x4	/* rows read one at a time where
				   grv_csv_seek puts it: no reading ahead */
#define GRV_CSV_SEEK	0x8	/* grv_csv_seek comes first: a small
				   buffer for the look at the file's start */

struct grv_csv_reader;

/*
 * Open DIR/REL (REL alone when DIR is NULL; "-" is standard input) for
 * reading, plain or gzip.  Messages name REL, as users see it inside the
 * data directory.  Returns NULL after printing "REL: why" when it cannot be
 * opened (errno kept).
 */
struct grv_csv_reader *grv_csv_open(const char *dir, const char *rel,
	    unsigned flags);
/*
 * Open the gzip file DIR/REL at byte COFF, where one of its members
 * starts (a segment written as several, grv-ledger(5) "Segments"): the
 * reader's offsets count from that member's first byte, and
 * grv_csv_seek may skip forward in them.  NULL as grv_csv_open.
 */
struct grv_csv_reader *grv_csv_open_member(const char *dir, const char *rel,
	    unsigned flags, uint64_t coff);
/* Position a plain (uncompressed) file at OFF, which starts line LINE; a
   reader opened at a member, forward from it. */
int	 grv_csv_seek(struct grv_csv_reader *, uint64_t off, unsigned long line);
/*
 * Next record: 1 and *row set, 0 at end of file, -1 after printing
 * "PATH:LINE: why" for malformed input or a read error.
 */
int	 grv_csv_next(struct grv_csv_reader *, struct grv_csv_row **row);
const char *grv_csv_path(const struct grv_csv_reader *);
/*
 * Before the first grv_csv_next: rows read ahead on other cores get
 * FN(row, out, ARG) run there, and ROW->prep pointing at its OUT (SIZE
 * bytes, aligned for any type) when it returned 0.  Rows read on the
 * caller's thread have ROW->prep NULL: the caller must be ready for both.
 */
void	 grv_csv_set_prep(struct grv_csv_reader *, grv_csv_prep_fn fn,
	    size_t size, void *arg);
/*
 * The prep of the row K rows after the one grv_csv_next gave last, when it
 * is at hand already (to prefetch what it will touch), else NULL.
 */
const void *grv_csv_peek_prep(const struct grv_csv_reader *, size_t k);
/*
 * Split one line of LEN bytes (no line break) into its RFC 4180 fields as
 * the reader's libcsv parser (strict, blanks kept) would, without libcsv:
 * FIELD gets each field's bytes (valid during the call only; TMP holds a
 * quoted field's unescaped bytes).  Returns the number of fields, or -1
 * when libcsv must decide: an empty line, a CR, a quote inside an unquoted
 * field, text after a closing quote, a quoted field running past the line
 * (FIELD may have been called before a -1).  The reader's fast path.
 */
int	 grv_csv_split(const char *s, size_t len, struct grv_buf *tmp,
	    void (*field)(void *bytes, size_t n, void *arg), void *arg);
/* 0, or -1 after printing the error (a truncated gzip shows here). */
int	 grv_csv_close(struct grv_csv_reader *);
/* Whether the last -1 from grv_csv_next was an I/O error, not bad data. */
int	 grv_csv_ioerror(const struct grv_csv_reader *);

/*
 * Find each of NAMES (NULL-terminated) in the header row HDR; IDX[i] gets
 * the column or -1.  Returns the number of names found.
 */
size_t	 grv_csv_header_map(const struct grv_csv_row *hdr,
	    const char *const *names, int *idx);

#endif
