/* test_fast.c: lib/grv_fast.c and lib/grv_utf8.c against the slow paths
 * they stand in for: snprintf for numbers and ids,
 * grv_time_format for timestamps (through the memo, slots evicted and
 * refilled), and a plain byte loop for grv_utf8_valid (every string of up
 * to three bytes, the four byte ones around every boundary, random text at
 * every alignment). */
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "grv_fast.h"
#include "grv_state.h"
#include "grv_utf8.h"
#include "unit.h"

static uint64_t rng = 0x853c49e6748fea9bULL;

static uint64_t
rnd64(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

static unsigned
rnd(unsigned n)
{
	return (unsigned)(rnd64() % n);
}

/* Values around every power of ten and of two, then random ones. */
static uint64_t
interesting(unsigned i)
{
	uint64_t p = 1;
	unsigned k;

	if (i < 20 * 3) {
		for (k = 0; k < i / 3; k++)
			p *= 10;
		return p + (i % 3) - 1;
	}
	if (i < 60 + 64 * 3) {
		i -= 60;
		return (i / 3 < 64 ? (uint64_t)1 << (i / 3) : 0) + (i % 3) - 1;
	}
	switch (rnd(4)) {
	case 0:
		return rnd64() % 1000;
	case 1:
		return rnd64() % 10000000;
	default:
		return rnd64() >> rnd(64);
	}
}

static void
test_numbers(void)
{
	char got[32], want[32];
	unsigned i, bad32 = 0, bad64 = 0, badint = 0;
	size_t n;
	uint64_t v;
	int iv;

	for (i = 0; i < 1000000; i++) {
		v = i == 0 ? 0 : i == 1 ? UINT64_MAX : interesting(i);
		n = grv_fmt_u64(got, v);
		snprintf(want, sizeof(want), "%" PRIu64, v);
		if (strcmp(got, want) != 0 || n != strlen(want))
			bad64++;
		n = grv_fmt_u32(got, (uint32_t)v);
		snprintf(want, sizeof(want), "%u", (uint32_t)v);
		if (strcmp(got, want) != 0 || n != strlen(want))
			bad32++;
		iv = i == 2 ? INT_MIN : i == 3 ? INT_MAX : (int)(uint32_t)v;
		n = grv_fmt_int(got, iv);
		snprintf(want, sizeof(want), "%d", iv);
		if (strcmp(got, want) != 0 || n != strlen(want))
			badint++;
	}
	IS(bad64, 0, "a million 64-bit numbers (0, max, powers of ten and "
	    "two, random): as %%" PRIu64);
	IS(bad32, 0, "the same cut to 32 bits: as %%u");
	IS(badint, 0, "as int, INT_MIN and INT_MAX too: as %%d");
}

static void
test_ids(void)
{
	static const char *const nodes[] = { "GRV", "HP", "X", "",
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZABCDE" /* 31, the conf's longest */ };
	static const size_t sizes[] = { 48, 32, 16, 12, 8, 4, 2, 1 };
	char got[64], want[64];
	unsigned i, bad = 0;
	size_t k, z, n;
	uint32_t v;

	for (i = 0; i < 20000; i++) {
		v = i < 4 ? (uint32_t[]){ 0, 1, UINT32_MAX - 1, UINT32_MAX }[i] :
		    (uint32_t)interesting(i);
		for (k = 0; k < sizeof(nodes) / sizeof(nodes[0]); k++)
			for (z = 0; z < sizeof(sizes) / sizeof(sizes[0]); z++) {
				memset(got, 'x', sizeof(got));
				memset(want, 'x', sizeof(want));
				n = grv_fmt_id(nodes[k], v, got, sizes[z]);
				snprintf(want, sizes[z], "%s-%u", nodes[k], v);
				if (memcmp(got, want, sizeof(got)) != 0 ||
				    n != strlen(want))
					bad++;
			}
	}
	IS(bad, 0, "20000 numbers x 5 nodes x 8 buffer sizes: the bytes of "
	    "snprintf, cut short the same way, nothing written past");
}

static void
test_tsmemo(void)
{
	struct grv_tsmemo memo = GRV_TSMEMO_INIT;
	static const int tzs[] = { 330, 0, -240, 345, -720, 840, 1, -1 };
	grv_time_t pool[24], t;
	char got[GRV_TSLEN], want[GRV_TSLEN];
	unsigned i, bad = 0;
	size_t n;
	int tz;

	for (i = 0; i < 24; i++) {
		switch (i % 4) {
		case 0:	/* around now */
			pool[i] = 1767328200 + (grv_time_t)rnd(86400 * 30);
			break;
		case 1:	/* anywhere in years 0000-9999 */
			pool[i] = -62167219200LL +
			    (grv_time_t)(rnd64() % 315537897600ULL);
			break;
		case 2:	/* the edges of the four-digit years */
			pool[i] = (i & 4 ? 253402300799LL : -62167219200LL) +
			    (grv_time_t)rnd(3 * 86400) - 86400;
			break;
		default:	/* far outside them */
			pool[i] = (grv_time_t)(rnd64() >> 20) *
			    (rnd(2) ? 1 : -1);
		}
	}
	pool[0] = 0;
	for (i = 0; i < 300000; i++) {
		/* A few hot values, then a wider mix that evicts. */
		t = pool[i < 100000 ? rnd(3) : rnd(24)];
		tz = tzs[i < 150000 ? 0 : rnd(8)];
		memset(got, 'x', sizeof(got));
		n = grv_tsmemo_fmt(&memo, t, tz, got);
		grv_time_format(t, tz, want);
		if (strcmp(got, want) != 0 || n != strlen(want))
			bad++;
	}
	IS(bad, 0, "300000 timestamps through the memo, slots evicted and "
	    "refilled, offsets east, west and Z: grv_time_format's bytes");
}

/* The byte-by-byte UTF-8 check grv_utf8_valid once was: the reference. */
static int
ref_utf8_valid(const char *str, size_t n)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t i = 0, k, need;
	uint32_t cp, min;

	while (i < n) {
		unsigned char c = s[i];

		if (c == 0)
			return 0;
		if (c < 0x80) {
			i++;
			continue;
		}
		if ((c & 0xe0) == 0xc0) {
			need = 1; cp = c & 0x1f; min = 0x80;
		} else if ((c & 0xf0) == 0xe0) {
			need = 2; cp = c & 0x0f; min = 0x800;
		} else if ((c & 0xf8) == 0xf0) {
			need = 3; cp = c & 0x07; min = 0x10000;
		} else
			return 0;
		if (i + need >= n)
			return 0;
		for (k = 1; k <= need; k++) {
			if ((s[i + k] & 0xc0) != 0x80)
				return 0;
			cp = (cp << 6) | (s[i + k] & 0x3f);
		}
		if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
			return 0;
		i += need + 1;
	}
	return 1;
}

/* Both validators over S[0..N), after NPRE prefixes of ASCII (0, 1, ...
   bytes) that shift it across the eight-byte reads. */
static int
utf8_agree(const unsigned char *s, size_t n, size_t npre)
{
	unsigned char buf[64];
	size_t pre;

	for (pre = 0; pre < npre; pre++) {
		memset(buf, 'a', pre);
		memcpy(buf + pre, s, n);
		if (!!grv_utf8_valid((const char *)buf, pre + n) !=
		    !!ref_utf8_valid((const char *)buf, pre + n))
			return 0;
	}
	return 1;
}

static void
test_utf8(void)
{
	static const unsigned char edge[] = { 0x00, 0x01, 0x7f, 0x80, 0x8f,
	    0x90, 0x9f, 0xa0, 0xbf, 0xc0, 0xc1, 0xc2, 0xdf, 0xe0, 0xe1, 0xec,
	    0xed, 0xee, 0xef, 0xf0, 0xf1, 0xf3, 0xf4, 0xf5, 0xf7, 0xf8, 0xff,
	    'a', ' ' };
	static const char *const atoms[] = { "a", "plain ", "राम", "शर्मा",
	    "\xe0\xa4", "\xf0\x9f\x98\x80", "\xed\x9f\xbf", "\xed\xa0\x80",
	    "\xc2\xa0", "\xc0\xaf", "\xf4\x8f\xbf\xbf", "\xf4\x90\x80\x80",
	    "\xef\xbf\xbf", "12345678", "\x7f", "" };
	unsigned char s[64], big[200], pre[224];
	unsigned a, b, c, d, i, j, bad = 0, accepted = 0;
	size_t n, k;

	for (a = 0; a < 256; a++) {
		s[0] = (unsigned char)a;
		bad += !utf8_agree(s, 1, 10);
		for (b = 0; b < 256; b++) {
			s[1] = (unsigned char)b;
			bad += !utf8_agree(s, 2, 10);
		}
	}
	IS(bad, 0, "every string of one and two bytes");
	/* Three bytes, without the alignment loop (16 million of them). */
	bad = 0;
	for (a = 0; a < 256; a++)
		for (b = 0; b < 256; b++)
			for (c = 0; c < 256; c++) {
				s[0] = (unsigned char)a;
				s[1] = (unsigned char)b;
				s[2] = (unsigned char)c;
				k = !!grv_utf8_valid((const char *)s, 3);
				bad += k != !!ref_utf8_valid((const char *)s,
				    3);
				accepted += (unsigned)k;
			}
	IS(bad, 0, "every string of three bytes");
	OK(accepted > 1000000, "and most three-byte strings of ASCII or "
	    "two-byte forms are accepted (%u)", accepted);
	bad = 0;
	for (a = 0xe0; a < 256; a++)
		for (b = 0; b < 256; b++)
			for (i = 0; i < sizeof(edge); i++)
				for (j = 0; j < sizeof(edge); j++) {
					s[0] = (unsigned char)a;
					s[1] = (unsigned char)b;
					s[2] = edge[i];
					s[3] = edge[j];
					bad += !utf8_agree(s, 4, 1);
				}
	IS(bad, 0, "four-byte strings: every lead from E0 and second byte, "
	    "the last two around every boundary");
	bad = 0;
	for (i = 0; i < 300000; i++) {
		n = 0;
		for (d = rnd(10); d > 0; d--) {
			const char *p = atoms[rnd(sizeof(atoms) /
			    sizeof(atoms[0]))];

			k = strlen(p);
			if (n + k > 40)
				break;
			memcpy(s + n, p, k);
			n += k;
		}
		if (n && rnd(8) == 0)
			s[rnd((unsigned)n)] = (unsigned char)rnd(256);
		if (n > 0 && rnd(8) == 0)
			n--;		/* cut the last sequence */
		bad += !utf8_agree(s, n, 10);
	}
	IS(bad, 0, "300000 random texts (Devanagari, emoji, cut and stray "
	    "bytes, NUL) at ten alignments");

	/* Where sixteen-byte blocks meet: a sequence starting 13, 14 or 15
	   bytes in, every lead from C0 with the next three bytes around
	   every boundary; then long texts at seventeen alignments. */
	bad = 0;
	for (k = 13; k <= 15; k++)
		for (a = 0xc0; a < 256; a++)
			for (b = 0; b < sizeof(edge); b++)
				for (i = 0; i < sizeof(edge); i++)
					for (j = 0; j < sizeof(edge); j++) {
						memset(s, 'a', k);
						s[k] = (unsigned char)a;
						s[k + 1] = edge[b];
						s[k + 2] = edge[i];
						s[k + 3] = edge[j];
						for (n = k + 2; n <= k + 4; n += 2) {
							s[k + 4] = 'z';
							bad += !utf8_agree(s, n, 1);
						}
					}
	IS(bad, 0, "sequences across the sixteen-byte boundary, whole and "
	    "cut after two bytes");
	bad = 0;
	for (i = 0; i < 60000; i++) {
		n = 0;
		for (d = rnd(40); d > 0; d--) {
			const char *p = atoms[rnd(sizeof(atoms) /
			    sizeof(atoms[0]))];

			k = strlen(p);
			if (n + k > 160)
				break;
			memcpy(big + n, p, k);
			n += k;
		}
		if (n && rnd(4) == 0)
			big[rnd((unsigned)n)] = (unsigned char)rnd(256);
		if (n > 0 && rnd(8) == 0)
			n--;
		for (k = 0; k < 17; k++) {
			memset(pre, 'a', k);
			memcpy(pre + k, big, n);
			bad += !!grv_utf8_valid((const char *)pre, k + n) !=
			    !!ref_utf8_valid((const char *)pre, k + n);
		}
	}
	IS(bad, 0, "60000 texts of up to 160 bytes at seventeen alignments");
}

int
main(void)
{
	test_numbers();
	test_ids();
	test_tsmemo();
	test_utf8();
	return DONE();
}
