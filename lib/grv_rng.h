/* grv_rng.h: reproducible random numbers: xoshiro256** (Blackman and
 * Vigna, 2018) seeded by splitmix64, the same stream for the same seed on
 * every machine. */
#ifndef GRV_RNG_H
#define GRV_RNG_H

#include <stdint.h>

struct grv_rng {
	uint64_t s[4];
};

/* The four words of state from SEED by splitmix64. */
void	 grv_rng_seed(struct grv_rng *, uint64_t seed);
/* The next 64 bits. */
uint64_t grv_rng_next(struct grv_rng *);
/* Uniform in [0, 1), 53 bits. */
double	 grv_rng_unif(struct grv_rng *);
/* Uniform in [0, N), by the high 32 bits times N (N < 2^32). */
uint32_t grv_rng_below(struct grv_rng *, uint32_t n);

#endif
