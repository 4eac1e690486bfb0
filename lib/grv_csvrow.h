/* grv_csvrow.h: a CSV record as the reader hands it out, and the prep a
 * reading thread may run on it (grv_csv.h reads, grv_ahead.h reads
 * ahead). */
#ifndef GRV_CSVROW_H
#define GRV_CSVROW_H

#include <stddef.h>
#include <stdint.h>

#define GRV_CSV_MAXREC	(1024 * 1024)	/* longest record accepted, bytes */

struct grv_csv_row {
	size_t		 nf;	/* number of fields */
	char		**f;	/* fields, NUL-terminated, valid until next */
	size_t		*flen;	/* their lengths */
	const char	*raw;	/* the record's bytes, without its newline */
	size_t		 rawlen;
	unsigned long	 line;	/* line number the record starts on (1-based) */
	uint64_t	 off;	/* offset of the record in the (uncompressed) file */
	uint64_t	 end;	/* offset just past its newline */
	int		 chained; /* GRV_CSV_LEDGER: the reader found the row's
				   last 8 bytes to be the crc32 of the line
				   before's last 8 and this line up to its
				   last comma (the chain, unless the line
				   before is the header); 0: not checked */
	const void	*prep;	/* what the reader's prep made of the row
				   (grv_csv_set_prep), or NULL */
};

/*
 * A prep runs on a reading thread for each row it splits, with only the
 * row to go on (ROW->line is 0), and must touch nothing shared but what it
 * reads: it fills OUT (the size given to grv_csv_set_prep) and returns 0,
 * or -1 to leave the row to the caller (ROW->prep NULL).
 */
typedef int (*grv_csv_prep_fn)(const struct grv_csv_row *row, void *out,
    void *arg);

#endif
