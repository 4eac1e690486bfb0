/* grv_csvw.c: writing CSV fields and rows (quoted the way libcsv quotes). */
#include <stdlib.h>
#include <string.h>

#include "grv_csvw.h"

/* What a byte asks of the writer. */
enum { W_QUOTE = 1, W_NL = 2, W_BACKSLASH = 4 };
static const unsigned char wclass[256] = {
	[','] = W_QUOTE, ['"'] = W_QUOTE, ['\n'] = W_NL, ['\r'] = W_NL,
	['\\'] = W_BACKSLASH
};

/*
 * One pass to classify the field, one to write it.  The bytes are those
 * of escaping first (GRV_CSV_ESCAPE), then the guard (GRV_CSV_SAFE), then
 * libcsv's csv_write where RFC 4180 needs quotes: the whole field in
 * quotes, a quote doubled.  tests/unit/test_csvw.c holds it to that.
 */
void
grv_csv_put(struct grv_buf *b, const char *s, size_t n, unsigned flags)
{
	unsigned cls = 0;
	size_t i;
	char *o;
	int esc, guard, quote;

	for (i = 0; i < n; i++)
		cls |= wclass[(unsigned char)s[i]];
	esc = (flags & GRV_CSV_ESCAPE) && (cls & (W_NL | W_BACKSLASH));
	/* Escaping never changes the first byte into a guarded one. */
	guard = (flags & GRV_CSV_SAFE) && n > 0 && (s[0] == '=' ||
	    s[0] == '+' || s[0] == '-' || s[0] == '@');
	/* Escaped, a field keeps no line break to quote. */
	quote = (cls & W_QUOTE) ||
	    (!(flags & GRV_CSV_ESCAPE) && (cls & W_NL));
	if (!esc && !guard && !quote) {
		grv_buf_grow(b, n);
		if (n)
			memcpy(b->s + b->len, s, n);
		b->len += n;
		b->s[b->len] = '\0';
		return;
	}
	grv_buf_grow(b, 2 * n + 3);
	o = b->s + b->len;
	if (quote)
		*o++ = '"';
	if (guard)
		*o++ = '\'';
	for (i = 0; i < n; i++) {
		char c = s[i];

		if (esc && wclass[(unsigned char)c] & (W_NL | W_BACKSLASH)) {
			*o++ = '\\';
			*o++ = c == '\n' ? 'n' : c == '\r' ? 'r' : '\\';
			continue;
		}
		if (quote && c == '"')
			*o++ = '"';
		*o++ = c;
	}
	if (quote)
		*o++ = '"';
	b->len = (size_t)(o - b->s);
	b->s[b->len] = '\0';
}

void
grv_csv_putrow(struct grv_buf *b, const char *const *f, size_t n,
    unsigned flags)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (i) {
			grv_buf_grow(b, 1);
			b->s[b->len++] = ',';
		}
		grv_csv_put(b, f[i] ? f[i] : "", f[i] ? strlen(f[i]) : 0,
		    flags);
	}
	grv_buf_addc(b, '\n');
}

char *
grv_csv_unescape(const char *s)
{
	char *out = grv_malloc(strlen(s) + 1), *o = out;

	while (*s) {
		if (*s == '\\' && s[1]) {
			switch (s[1]) {
			case 'n':
				*o++ = '\n';
				s += 2;
				continue;
			case 'r':
				*o++ = '\r';
				s += 2;
				continue;
			case '\\':
				*o++ = '\\';
				s += 2;
				continue;
			}
		}
		*o++ = *s++;
	}
	*o = '\0';
	return out;
}
