/* grv_levenshtein.h: the edit distance between two short strings. */
#ifndef GRV_LEVENSHTEIN_H
#define GRV_LEVENSHTEIN_H

/* Levenshtein distance, capped: used for "did you mean" suggestions. */
int	 grv_edit_distance(const char *a, const char *b);

#endif
