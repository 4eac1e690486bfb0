/* grv_alloc.c: allocation that dies when memory runs out. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <stdnoreturn.h>
#include <string.h>

#include "grv_alloc.h"
#include "grv_msg.h"

static noreturn void
nomem(void)
{
	fputs("grv: out of memory\n", stderr);
	exit(GRV_EX_IOERR);
}

void *
grv_malloc(size_t n)
{
	void *p = malloc(n ? n : 1);

	if (p == NULL)
		nomem();
	return p;
}

void *
grv_calloc(size_t n, size_t sz)
{
	void *p = calloc(n ? n : 1, sz ? sz : 1);

	if (p == NULL)
		nomem();
	return p;
}

void *
grv_realloc(void *p, size_t n)
{
	p = realloc(p, n ? n : 1);
	if (p == NULL)
		nomem();
	return p;
}

void *
grv_reallocarray(void *p, size_t n, size_t sz)
{
	if (sz && n > SIZE_MAX / sz)
		nomem();
	return grv_realloc(p, n * sz);
}

void *
grv_grow(void *p, size_t n, size_t sz)
{
	if (n & (n - 1))
		return p;	/* not a power of two: there is room */
	return grv_reallocarray(p, n ? 2 * n : 1, sz);
}

char *
grv_strdup(const char *s)
{
	return grv_strndup(s, strlen(s));
}

char *
grv_strndup(const char *s, size_t n)
{
	char *p = grv_malloc(n + 1);

	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}
