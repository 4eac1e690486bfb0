/* grv_rng.c: xoshiro256** seeded by splitmix64. */
#include "grv_rng.h"

static uint64_t
rotl(uint64_t x, int k)
{
	return (x << k) | (x >> (64 - k));
}

uint64_t
grv_rng_next(struct grv_rng *r)
{
	uint64_t *s = r->s, res = rotl(s[1] * 5, 7) * 9, t = s[1] << 17;

	s[2] ^= s[0];
	s[3] ^= s[1];
	s[1] ^= s[2];
	s[0] ^= s[3];
	s[2] ^= t;
	s[3] = rotl(s[3], 45);
	return res;
}

void
grv_rng_seed(struct grv_rng *r, uint64_t seed)
{
	int i;

	for (i = 0; i < 4; i++) {
		uint64_t z = (seed += 0x9e3779b97f4a7c15ULL);

		z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
		z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
		r->s[i] = z ^ (z >> 31);
	}
}

double
grv_rng_unif(struct grv_rng *r)
{
	return (double)(grv_rng_next(r) >> 11) * 0x1.0p-53;
}

uint32_t
grv_rng_below(struct grv_rng *r, uint32_t n)
{
	return (uint32_t)(((grv_rng_next(r) >> 32) * (uint64_t)n) >> 32);
}
