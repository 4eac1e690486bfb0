/* grv_utf8.c: UTF-8 text: whether it is well formed, and its width on a
 * terminal. */
#include <stdint.h>
#include <string.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include "grv_utf8.h"

#ifdef __SSE2__
/*
 * Sixteen bytes at a time, SSE2 only: each byte classified by signed
 * compares, the classes' bit masks checked in scalar registers.  A block
 * is well formed when the continuation bytes are exactly the places its
 * leads (and the leads cut at the end of the block before) call for, no
 * byte is NUL, C0, C1 or F5 and above, and the byte after E0, ED, F0, F4
 * is in its narrower range.  The last bytes are checked in a copy padded
 * with 'a', so a sequence cut at the end shows as a missing continuation.
 */
struct u8state {
	uint32_t	 cont;		/* continuations owed to this block */
	uint32_t	 e0, ed, f0, f4; /* first one follows such a lead */
};

static int
u8block(const unsigned char *p, struct u8state *st)
{
	const __m128i x = _mm_loadu_si128((const __m128i *)(const void *)p);
	uint32_t hi, zero, cont, ge_c2, ge_e0, ge_f0, ge_f5, ge_90, ge_a0;
	uint32_t lead2, lead3, lead4, want, e0, ed, f0, f4, bad;

#define GT(c)	((uint32_t)_mm_movemask_epi8(_mm_cmpgt_epi8(x, \
	    _mm_set1_epi8((char)(c)))))
#define EQ(c)	((uint32_t)_mm_movemask_epi8(_mm_cmpeq_epi8(x, \
	    _mm_set1_epi8((char)(c)))))
	hi = (uint32_t)_mm_movemask_epi8(x);
	zero = EQ(0);
	if (hi == 0 && st->cont == 0)
		return zero == 0;
	/* As signed bytes: 80-BF are -128..-65, C0-FF are -64..-1. */
	cont = (uint32_t)_mm_movemask_epi8(_mm_cmplt_epi8(x,
	    _mm_set1_epi8((char)0xc0)));
	ge_c2 = GT(0xc1) & hi;
	ge_e0 = GT(0xdf) & hi;
	ge_f0 = GT(0xef) & hi;
	ge_f5 = GT(0xf4) & hi;
	if (zero || (hi & ~cont & ~ge_c2) || ge_f5)
		return 0;
	lead2 = ge_c2 & ~ge_e0;
	lead3 = ge_e0 & ~ge_f0;
	lead4 = ge_f0;
	want = st->cont | lead2 << 1 | lead3 << 1 | lead3 << 2 | lead4 << 1 |
	    lead4 << 2 | lead4 << 3;
	if ((want & 0xffff) != cont)
		return 0;
	e0 = EQ(0xe0);
	ed = EQ(0xed);
	f0 = EQ(0xf0);
	f4 = EQ(0xf4);
	ge_90 = GT(0x8f) & cont;
	ge_a0 = GT(0x9f) & cont;
	bad = ((e0 << 1 | st->e0) & ~ge_a0) | ((ed << 1 | st->ed) & ge_a0) |
	    ((f0 << 1 | st->f0) & ~ge_90) | ((f4 << 1 | st->f4) & ge_90);
	if (bad & 0xffff)
		return 0;
	st->cont = want >> 16;
	st->e0 = e0 >> 15;
	st->ed = ed >> 15;
	st->f0 = f0 >> 15;
	st->f4 = f4 >> 15;
	return 1;
#undef GT
#undef EQ
}

int
grv_utf8_valid(const char *str, size_t n)
{
	const unsigned char *s = (const unsigned char *)str;
	struct u8state st = { 0, 0, 0, 0, 0 };
	unsigned char last[16];
	size_t i;

	for (i = 0; n - i >= 16; i += 16)
		if (!u8block(s + i, &st))
			return 0;
	if (i < n) {
		memset(last, 'a', sizeof(last));
		memcpy(last, s + i, n - i);
		if (!u8block(last, &st))
			return 0;
	}
	return st.cont == 0;
}
#else
/*
 * The well-formed sequences of Unicode's table 3-7 by their lead byte:
 * length, and the range of the second byte (no overlong form, no
 * surrogate, nothing past U+10FFFF); length 0: never a lead.
 */
static const struct {
	unsigned char len, lo, hi;
} lead[256] = {
#define L2(c)	[c] = { 2, 0x80, 0xbf }
#define L3(c)	[c] = { 3, 0x80, 0xbf }
#define L4(c)	[c] = { 4, 0x80, 0xbf }
	L2(0xc2), L2(0xc3), L2(0xc4), L2(0xc5), L2(0xc6), L2(0xc7), L2(0xc8),
	L2(0xc9), L2(0xca), L2(0xcb), L2(0xcc), L2(0xcd), L2(0xce), L2(0xcf),
	L2(0xd0), L2(0xd1), L2(0xd2), L2(0xd3), L2(0xd4), L2(0xd5), L2(0xd6),
	L2(0xd7), L2(0xd8), L2(0xd9), L2(0xda), L2(0xdb), L2(0xdc), L2(0xdd),
	L2(0xde), L2(0xdf),
	[0xe0] = { 3, 0xa0, 0xbf },
	L3(0xe1), L3(0xe2), L3(0xe3), L3(0xe4), L3(0xe5), L3(0xe6), L3(0xe7),
	L3(0xe8), L3(0xe9), L3(0xea), L3(0xeb), L3(0xec),
	[0xed] = { 3, 0x80, 0x9f },
	L3(0xee), L3(0xef),
	[0xf0] = { 4, 0x90, 0xbf },
	L4(0xf1), L4(0xf2), L4(0xf3),
	[0xf4] = { 4, 0x80, 0x8f },
#undef L2
#undef L3
#undef L4
};

#define ONES	0x0101010101010101ULL
#define HIGHS	0x8080808080808080ULL

int
grv_utf8_valid(const char *str, size_t n)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t i = 0, len;
	uint64_t w;
	unsigned c;

	while (i < n) {
		/* Eight ASCII bytes, none of them NUL: on. */
		if (n - i >= 8) {
			memcpy(&w, s + i, 8);
			if ((w & HIGHS) == 0 && ((w - ONES) & ~w & HIGHS) == 0) {
				i += 8;
				continue;
			}
		}
		/* Then byte by byte, until the next word test can pay. */
		do {
			c = s[i];
			if (c < 0x80) {
				if (c == 0)
					return 0;
				i++;
				continue;
			}
			len = lead[c].len;
			if (len == 0 || n - i < len || s[i + 1] < lead[c].lo ||
			    s[i + 1] > lead[c].hi)
				return 0;
			if (len > 2 && (s[i + 2] & 0xc0) != 0x80)
				return 0;
			if (len > 3 && (s[i + 3] & 0xc0) != 0x80)
				return 0;
			i += len;
		} while (i < n && (s[i] >= 0x80 || s[i - 1] >= 0x80));
	}
	return 1;
}
#endif

static int
cp_width(uint32_t cp)
{
	/* Non-spacing marks and zero-width characters take no column. */
	if ((cp >= 0x0300 && cp <= 0x036f) ||
	    (cp >= 0x0900 && cp <= 0x0902) || cp == 0x093a || cp == 0x093c ||
	    (cp >= 0x0941 && cp <= 0x0948) || cp == 0x094d ||
	    (cp >= 0x0951 && cp <= 0x0957) || (cp >= 0x0962 && cp <= 0x0963) ||
	    (cp >= 0x200b && cp <= 0x200f) || cp == 0xfeff)
		return 0;
	if ((cp >= 0x1100 && cp <= 0x115f) || (cp >= 0x2e80 && cp <= 0xa4cf) ||
	    (cp >= 0xac00 && cp <= 0xd7a3) || (cp >= 0xf900 && cp <= 0xfaff) ||
	    (cp >= 0xff00 && cp <= 0xff60) || (cp >= 0xffe0 && cp <= 0xffe6))
		return 2;
	return 1;
}

size_t
grv_utf8_width(const char *str)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t w = 0;
	uint32_t cp;
	int need;

	while (*s) {
		if (*s < 0x80) {
			w++;
			s++;
			continue;
		}
		if ((*s & 0xe0) == 0xc0) {
			need = 1; cp = *s & 0x1f;
		} else if ((*s & 0xf0) == 0xe0) {
			need = 2; cp = *s & 0x0f;
		} else if ((*s & 0xf8) == 0xf0) {
			need = 3; cp = *s & 0x07;
		} else {
			w++;
			s++;
			continue;
		}
		s++;
		while (need-- > 0 && (*s & 0xc0) == 0x80)
			cp = (cp << 6) | (*s++ & 0x3f);
		w += (size_t)cp_width(cp);
	}
	return w;
}
