/* grv_csvw.h: writing CSV (fields, rows, the ledger escapes). */
#ifndef GRV_CSVW_H
#define GRV_CSVW_H

#include <stddef.h>

#include "grv_buf.h"

/* Writer flags. */
#define GRV_CSV_ESCAPE	0x1	/* store \ LF CR as \\ \n \r: one record, one line */
#define GRV_CSV_SAFE	0x2	/* prefix ' to a cell starting = + - @ */

/* Append one field, quoted only where RFC 4180 needs it (as libcsv's
   csv_write quotes: the field in quotes, a quote doubled). */
void	 grv_csv_put(struct grv_buf *, const char *s, size_t n, unsigned flags);
/* Append N fields joined by commas and a newline. */
void	 grv_csv_putrow(struct grv_buf *, const char *const *f, size_t n,
	    unsigned flags);
/* grv_csv_put at O, which has room for 2N + 3 bytes: returns the end
   (nothing NUL-terminated).  For writers that lay out a row themselves. */
char	*grv_csv_emit(char *o, const char *s, size_t n, unsigned flags);

/*
 * The written form of each of a fixed set of strings (master codes, event
 * names), made the first time it is asked for, so that a row of codes is
 * a row of copies.  grv_csv_code: the form of S, string I of the set (the
 * same S every time for one I); *LEN its bytes; good until the next call.
 */
struct grv_csv_codes {
	unsigned	 flags;
	size_t		 n;
	size_t		*off;		/* into buf; 0: not made yet */
	size_t		*len;
	struct grv_buf	 buf;
};
void	 grv_csv_codes_init(struct grv_csv_codes *, size_t n, unsigned flags);
const char *grv_csv_code_make(struct grv_csv_codes *, size_t i,
	    const char *s, size_t *len);
void	 grv_csv_codes_release(struct grv_csv_codes *);

static inline const char *
grv_csv_code(struct grv_csv_codes *c, size_t i, const char *s, size_t *len)
{
	if (c->off[i] == 0)
		return grv_csv_code_make(c, i, s, len);
	*len = c->len[i];
	return c->buf.s + c->off[i];
}

/* Undo the ledger escapes: a new string. */
char	*grv_csv_unescape(const char *s);

#endif
