/* grv_parse.h: whole decimal integers read from text, range-checked. */
#ifndef GRV_PARSE_H
#define GRV_PARSE_H

/* Parse a whole decimal integer in [lo, hi]; 0 on success, -1 otherwise. */
int	 grv_parse_int(const char *s, long lo, long hi, long *out);

#endif
