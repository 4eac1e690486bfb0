/* grv_sha256.c: SHA-256 (FIPS 180-4) of a prefix byte and a buffer, by
 * the x86 SHA extensions (SHA256RNDS2, SHA256MSG1/2) where the processor
 * has them: a cold tree is SHA-256 over every ledger byte, and
 * libsodium's portable code does a third of what the instructions do. */
#include <sodium.h>
#include <stdint.h>
#include <string.h>

#include "grv_sha256.h"

void
grv_sha256_prefixed_plain(unsigned char prefix, const void *p, size_t n,
    unsigned char out[32])
{
	crypto_hash_sha256_state st;

	crypto_hash_sha256_init(&st);
	crypto_hash_sha256_update(&st, &prefix, 1);
	crypto_hash_sha256_update(&st, p, n);
	crypto_hash_sha256_final(&st, out);
}

#if defined(__x86_64__) && defined(__GNUC__)
#include <cpuid.h>
#include <immintrin.h>

static const uint32_t K[64] __attribute__((aligned(16))) = {
	0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b,
	0x59f111f1, 0x923f82a4, 0xab1c5ed5, 0xd807aa98, 0x12835b01,
	0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7,
	0xc19bf174, 0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc,
	0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da, 0x983e5152,
	0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147,
	0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc,
	0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
	0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819,
	0xd6990624, 0xf40e3585, 0x106aa070, 0x19a4c116, 0x1e376c08,
	0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f,
	0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208,
	0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2
};

/*
 * NB 64-byte blocks at P into the state S (a..h).  The instructions keep
 * the state as ABEF and CDGH; each group of four rounds adds four words
 * of the schedule and their constants, the schedule's later words
 * computed from the four groups before: w[t] = msg2(msg1(w[t-16..],
 * w[t-12..]) + w[t-7..], w[t-4..]).
 */
__attribute__((target("sha,sse4.1,ssse3")))
static void
blocks_ni(uint32_t s[8], const unsigned char *p, size_t nb)
{
	const __m128i bswap = _mm_set_epi64x(0x0c0d0e0f08090a0bULL,
	    0x0405060700010203ULL);
	__m128i abef, cdgh, t, abef0, cdgh0, m, w[4];
	int g;

	t = _mm_shuffle_epi32(_mm_loadu_si128((const __m128i *)(const void *)
	    &s[0]), 0xb1);					/* cdab */
	cdgh = _mm_shuffle_epi32(_mm_loadu_si128((const __m128i *)
	    (const void *)&s[4]), 0x1b);			/* efgh */
	abef = _mm_alignr_epi8(t, cdgh, 8);			/* abef */
	cdgh = _mm_blend_epi16(cdgh, t, 0xf0);			/* cdgh */
	for (; nb > 0; nb--, p += 64) {
		abef0 = abef;
		cdgh0 = cdgh;
		_Pragma("GCC unroll 16")
		for (g = 0; g < 16; g++) {
			if (g < 4)
				w[g] = _mm_shuffle_epi8(_mm_loadu_si128(
				    (const __m128i *)(const void *)(p + 16 * g)),
				    bswap);
			else
				w[g & 3] = _mm_sha256msg2_epu32(_mm_add_epi32(
				    _mm_sha256msg1_epu32(w[g & 3],
				    w[(g + 1) & 3]), _mm_alignr_epi8(
				    w[(g + 3) & 3], w[(g + 2) & 3], 4)),
				    w[(g + 3) & 3]);
			m = _mm_add_epi32(w[g & 3], _mm_load_si128(
			    (const __m128i *)(const void *)&K[4 * g]));
			cdgh = _mm_sha256rnds2_epu32(cdgh, abef, m);
			abef = _mm_sha256rnds2_epu32(abef, cdgh,
			    _mm_shuffle_epi32(m, 0x0e));
		}
		abef = _mm_add_epi32(abef, abef0);
		cdgh = _mm_add_epi32(cdgh, cdgh0);
	}
	t = _mm_shuffle_epi32(abef, 0x1b);			/* feba */
	cdgh = _mm_shuffle_epi32(cdgh, 0xb1);			/* dchg */
	abef = _mm_blend_epi16(t, cdgh, 0xf0);			/* dcba */
	cdgh = _mm_alignr_epi8(cdgh, t, 8);			/* hgfe */
	_mm_storeu_si128((__m128i *)(void *)&s[0], abef);
	_mm_storeu_si128((__m128i *)(void *)&s[4], cdgh);
}

static int
have_ni(void)
{
	static int have = -1;	/* the trees' threads may ask at once */
	unsigned a, b, c, d;
	int h = __atomic_load_n(&have, __ATOMIC_RELAXED);

	if (h < 0) {
		h = __get_cpuid_count(7, 0, &a, &b, &c, &d) &&
		    (b & bit_SHA) && __builtin_cpu_supports("sse4.1") &&
		    __builtin_cpu_supports("ssse3");
		__atomic_store_n(&have, h, __ATOMIC_RELAXED);
	}
	return h;
}

static void
prefixed_ni(unsigned char prefix, const unsigned char *p, size_t n,
    unsigned char out[32])
{
	uint32_t s[8] = { 0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
	    0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19 };
	unsigned char b[16 * 64];
	uint64_t bits = ((uint64_t)n + 1) * 8;
	size_t fill = 1, take, i;

	/* The message is PREFIX then P: one byte off the blocks of P, so
	   it goes through B, sixteen blocks at a time. */
	b[0] = prefix;
	for (;;) {
		take = sizeof(b) - fill < n ? sizeof(b) - fill : n;
		memcpy(b + fill, p, take);
		p += take;
		n -= take;
		fill += take;
		if (n == 0)
			break;
		blocks_ni(s, b, sizeof(b) / 64);
		fill = 0;
	}
	/* The padding: 0x80, zeros, the length in bits, big-endian. */
	blocks_ni(s, b, fill / 64);
	memmove(b, b + fill / 64 * 64, fill % 64);
	fill %= 64;
	b[fill++] = 0x80;
	memset(b + fill, 0, 128 - fill);
	fill = fill <= 56 ? 64 : 128;
	for (i = 0; i < 8; i++)
		b[fill - 1 - i] = (unsigned char)(bits >> (8 * i));
	blocks_ni(s, b, fill / 64);
	for (i = 0; i < 8; i++) {
		out[4 * i] = (unsigned char)(s[i] >> 24);
		out[4 * i + 1] = (unsigned char)(s[i] >> 16);
		out[4 * i + 2] = (unsigned char)(s[i] >> 8);
		out[4 * i + 3] = (unsigned char)s[i];
	}
}

int
grv_sha256_fast(void)
{
	return have_ni();
}

void
grv_sha256_prefixed(unsigned char prefix, const void *p, size_t n,
    unsigned char out[32])
{
	if (have_ni())
		prefixed_ni(prefix, p, n, out);
	else
		grv_sha256_prefixed_plain(prefix, p, n, out);
}
#else
int
grv_sha256_fast(void)
{
	return 0;
}

void
grv_sha256_prefixed(unsigned char prefix, const void *p, size_t n,
    unsigned char out[32])
{
	grv_sha256_prefixed_plain(prefix, p, n, out);
}
#endif
