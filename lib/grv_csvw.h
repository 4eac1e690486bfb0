/* grv_csvw.h: writing CSV (fields, rows, the ledger escapes). */
#ifndef GRV_CSVW_H
#define GRV_CSVW_H

#include <stddef.h>

#include "grv_util.h"

/* Writer flags. */
#define GRV_CSV_ESCAPE	0x1	/* store \ LF CR as \\ \n \r: one record, one line */
#define GRV_CSV_SAFE	0x2	/* prefix ' to a cell starting = + - @ */

/* Append one field, quoted only where RFC 4180 needs it (as libcsv's
   csv_write quotes: the field in quotes, a quote doubled). */
void	 grv_csv_put(struct grv_buf *, const char *s, size_t n, unsigned flags);
/* Append N fields joined by commas and a newline. */
void	 grv_csv_putrow(struct grv_buf *, const char *const *f, size_t n,
	    unsigned flags);
/* Undo the ledger escapes: a new string. */
char	*grv_csv_unescape(const char *s);

#endif
