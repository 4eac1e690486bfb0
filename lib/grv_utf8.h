/* grv_utf8.h: UTF-8 text: whether it is well formed, and its width on a
 * terminal. */
#ifndef GRV_UTF8_H
#define GRV_UTF8_H

#include <stddef.h>

/* Valid UTF-8 without NUL over n bytes?  (A word at a time, or sixteen
   bytes with SSE2; tests/unit/test_fast.c holds it to a plain byte loop.) */
int	 grv_utf8_valid(const char *s, size_t n);
/* Display width of a UTF-8 string in terminal columns (combining marks 0). */
size_t	 grv_utf8_width(const char *s);

#endif
