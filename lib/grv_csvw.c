/* grv_csvw.c: writing CSV fields and rows (quoted by libcsv). */
#include <stdlib.h>
#include <string.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include <csv.h>

#include "grv_alloc.h"
#include "grv_buf.h"
#include "grv_csvw.h"

/* What a byte asks of the writer. */
enum { W_QUOTE = 1, W_NL = 2, W_BACKSLASH = 4 };
static const unsigned char wclass[256] = {
	[','] = W_QUOTE, ['"'] = W_QUOTE, ['\n'] = W_NL, ['\r'] = W_NL,
	['\\'] = W_BACKSLASH
};

#ifdef __SSE2__
/* The W_ bits of the bytes of S[0..N), N >= 16: sixteen at a time, the
   last sixteen overlapping the ones before. */
static unsigned
classify16(const char *s, size_t n)
{
	const __m128i comma = _mm_set1_epi8(','), dq = _mm_set1_epi8('"'),
	    lf = _mm_set1_epi8('\n'), cr = _mm_set1_epi8('\r'),
	    bs = _mm_set1_epi8('\\');
	__m128i q = _mm_setzero_si128(), nl = q, b = q, x;
	size_t i = 0;

	for (;;) {
		x = _mm_loadu_si128((const __m128i *)(const void *)(s + i));
		q = _mm_or_si128(q, _mm_or_si128(_mm_cmpeq_epi8(x, comma),
		    _mm_cmpeq_epi8(x, dq)));
		nl = _mm_or_si128(nl, _mm_or_si128(_mm_cmpeq_epi8(x, lf),
		    _mm_cmpeq_epi8(x, cr)));
		b = _mm_or_si128(b, _mm_cmpeq_epi8(x, bs));
		if (i + 16 == n)
			break;
		i = n - i - 16 >= 16 ? i + 16 : n - 16;
	}
	return (_mm_movemask_epi8(q) ? W_QUOTE : 0) |
	    (_mm_movemask_epi8(nl) ? W_NL : 0) |
	    (_mm_movemask_epi8(b) ? W_BACKSLASH : 0);
}
#endif

/*
 * A field that needs quotes, at O (room for 2N + 3 bytes): escaped and
 * guarded as asked, then quoted by libcsv's csv_write, which writes every
 * quoted field grv writes.
 */
static char *
quoted(char *o, const char *s, size_t n, int esc, int guard)
{
	char stack[512], *t = stack;
	size_t i, tl = 0, need;

	if (!esc && !guard)
		return o + csv_write(o, 2 * n + 2, s, n);
	if (2 * n + 1 > sizeof(stack))
		t = grv_malloc(2 * n + 1);
	if (guard)
		t[tl++] = '\'';
	for (i = 0; i < n; i++) {
		char c = s[i];

		if (esc && (wclass[(unsigned char)c] & (W_NL | W_BACKSLASH))) {
			t[tl++] = '\\';
			t[tl++] = c == '\n' ? 'n' : c == '\r' ? 'r' : '\\';
		} else
			t[tl++] = c;
	}
	/* Escaped bytes hold no quote: no more than 2N + 3 in all. */
	need = csv_write(NULL, 0, t, tl);
	o += csv_write(o, need, t, tl);
	if (t != stack)
		free(t);
	return o;
}

/*
 * Write field S[0..N) at O, which has room for 2N + 3 bytes; returns the
 * end.  The bytes are those of escaping first (GRV_CSV_ESCAPE), then the
 * guard (GRV_CSV_SAFE), then libcsv's csv_write where RFC 4180 needs
 * quotes: the whole field in quotes, a quote doubled.  tests/unit/
 * test_csvw.c holds it to that.
 */
static char *
put_field(char *o, const char *s, size_t n, unsigned flags)
{
	unsigned cls = 0;
	size_t i;
	int esc, guard, quote;

#ifdef __SSE2__
	if (n >= 16)
		cls = classify16(s, n);
	else
#endif
	{
		/* Short: copy while looking; most fields need nothing more. */
		for (i = 0; i < n; i++)
			cls |= wclass[(unsigned char)(o[i] = s[i])];
		if (cls == 0 && (!(flags & GRV_CSV_SAFE) || n == 0 ||
		    (s[0] != '=' && s[0] != '+' && s[0] != '-' && s[0] != '@')))
			return o + n;
	}
	esc = (flags & GRV_CSV_ESCAPE) && (cls & (W_NL | W_BACKSLASH));
	/* Escaping never changes the first byte into a guarded one. */
	guard = (flags & GRV_CSV_SAFE) && n > 0 && (s[0] == '=' ||
	    s[0] == '+' || s[0] == '-' || s[0] == '@');
	/* Escaped, a field keeps no line break to quote. */
	quote = (cls & W_QUOTE) ||
	    (!(flags & GRV_CSV_ESCAPE) && (cls & W_NL));
	if (quote)
		return quoted(o, s, n, esc, guard);
	if (guard)
		*o++ = '\'';
	if (esc) {
		for (i = 0; i < n; i++) {
			char c = s[i];

			if (wclass[(unsigned char)c] & (W_NL | W_BACKSLASH)) {
				*o++ = '\\';
				*o++ = c == '\n' ? 'n' : c == '\r' ? 'r' : '\\';
				continue;
			}
			*o++ = c;
		}
	} else {
		memcpy(o, s, n);
		o += n;
	}
	return o;
}

char *
grv_csv_emit(char *o, const char *s, size_t n, unsigned flags)
{
	return put_field(o, s, n, flags);
}

void
grv_csv_codes_init(struct grv_csv_codes *c, size_t n, unsigned flags)
{
	c->flags = flags;
	c->n = n;
	c->off = grv_calloc(n ? n : 1, sizeof(*c->off));
	c->len = grv_calloc(n ? n : 1, sizeof(*c->len));
	c->buf = (struct grv_buf)GRV_BUF_INIT;
	grv_buf_addc(&c->buf, '\0');	/* offset 0: not written yet */
}

const char *
grv_csv_code_make(struct grv_csv_codes *c, size_t i, const char *s,
    size_t *len)
{
	size_t n = strlen(s);

	grv_buf_grow(&c->buf, 2 * n + 3);
	c->off[i] = c->buf.len;
	c->buf.len = (size_t)(put_field(c->buf.s + c->buf.len, s, n,
	    c->flags) - c->buf.s);
	c->len[i] = c->buf.len - c->off[i];
	c->buf.s[c->buf.len] = '\0';
	*len = c->len[i];
	return c->buf.s + c->off[i];
}

void
grv_csv_codes_release(struct grv_csv_codes *c)
{
	free(c->off);
	free(c->len);
	grv_buf_release(&c->buf);
	c->off = c->len = NULL;
	c->n = 0;
}

void
grv_csv_put(struct grv_buf *b, const char *s, size_t n, unsigned flags)
{
	grv_buf_grow(b, 2 * n + 3);
	b->len = (size_t)(put_field(b->s + b->len, s, n, flags) - b->s);
	b->s[b->len] = '\0';
}

void
grv_csv_putrow(struct grv_buf *b, const char *const *f, size_t n,
    unsigned flags)
{
	size_t len[32], i, room = 1;
	char *o;

	if (n > 32) {
		for (i = 0; i < n; i++) {
			if (i)
				grv_buf_addc(b, ',');
			grv_csv_put(b, f[i] ? f[i] : "", f[i] ?
			    strlen(f[i]) : 0, flags);
		}
		grv_buf_addc(b, '\n');
		return;
	}
	/* Room for the worst case once, then the fields straight in. */
	for (i = 0; i < n; i++) {
		len[i] = f[i] ? strlen(f[i]) : 0;
		room += 2 * len[i] + 4;
	}
	grv_buf_grow(b, room);
	o = b->s + b->len;
	for (i = 0; i < n; i++) {
		if (i)
			*o++ = ',';
		o = put_field(o, f[i] ? f[i] : "", len[i], flags);
	}
	*o++ = '\n';
	b->len = (size_t)(o - b->s);
	b->s[b->len] = '\0';
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
