/* grv_alloc.h: allocation that dies when memory runs out. */
#ifndef GRV_ALLOC_H
#define GRV_ALLOC_H

#include <stddef.h>

void	*grv_malloc(size_t);
void	*grv_calloc(size_t, size_t);
void	*grv_realloc(void *, size_t);
void	*grv_reallocarray(void *, size_t, size_t);
/* Room for element n of an array grown one element at a time: its
 * capacity is implicitly the next power of two, so n appends cost
 * O(n) copying, not O(n^2). Only for arrays every element of which was
 * added this way. */
void	*grv_grow(void *, size_t n, size_t);
char	*grv_strdup(const char *);
char	*grv_strndup(const char *, size_t);

#endif
