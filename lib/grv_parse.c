/* grv_parse.c: whole decimal integers read from text, range-checked. */
#include <errno.h>
#include <stdlib.h>

#include "grv_parse.h"

int
grv_parse_int(const char *s, long lo, long hi, long *out)
{
	char *end;
	long v;

	if (s == NULL || *s == '\0' || *s == ' ' || *s == '+')
		return -1;
	/* Plain digits, the usual case, without strtol (the same value). */
	for (v = 0, end = (char *)s; *end >= '0' && *end <= '9' &&
	    end - s < 9; end++)
		v = v * 10 + (*end - '0');
	if (*end == '\0') {
		if (v < lo || v > hi)
			return -1;
		*out = v;
		return 0;
	}
	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || *end != '\0' || v < lo || v > hi)
		return -1;
	*out = v;
	return 0;
}
