/* grv_buf.c: a growable byte buffer. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "grv_alloc.h"
#include "grv_buf.h"

void
grv_buf_grow(struct grv_buf *b, size_t extra)
{
	size_t need = b->len + extra + 1;

	if (need <= b->cap)
		return;
	if (b->cap == 0)
		b->cap = 64;
	while (b->cap < need)
		b->cap *= 2;
	b->s = grv_realloc(b->s, b->cap);
}

void
grv_buf_add(struct grv_buf *b, const void *p, size_t n)
{
	grv_buf_grow(b, n);
	memcpy(b->s + b->len, p, n);
	b->len += n;
	b->s[b->len] = '\0';
}

void
grv_buf_adds(struct grv_buf *b, const char *s)
{
	grv_buf_add(b, s, strlen(s));
}

void
grv_buf_addc(struct grv_buf *b, int c)
{
	grv_buf_grow(b, 1);
	b->s[b->len++] = (char)c;
	b->s[b->len] = '\0';
}

void
grv_buf_printf(struct grv_buf *b, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	grv_buf_grow(b, (size_t)n);
	va_start(ap, fmt);
	vsnprintf(b->s + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
}

void
grv_buf_reset(struct grv_buf *b)
{
	b->len = 0;
	if (b->s)
		b->s[0] = '\0';
}

void
grv_buf_release(struct grv_buf *b)
{
	free(b->s);
	b->s = NULL;
	b->len = b->cap = 0;
}
