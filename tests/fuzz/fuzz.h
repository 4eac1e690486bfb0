/* fuzz.h: what the libFuzzer targets share: a scratch data directory made
 * from the bats fixture, and writing the input into it. */
#ifndef GRV_FUZZ_H
#define GRV_FUZZ_H

#include <stddef.h>
#include <stdint.h>

#ifndef FIXTURE
#define FIXTURE "tests/fixtures/state"
#endif

/* A fresh directory holding a copy of FIXTURE (grv.conf, masters/). */
const char *fuzz_dir(void);
/* Write N bytes to DIR/REL (replacing it). */
void	 fuzz_write(const char *rel, const uint8_t *p, size_t n);
/* Split DATA at each "\n--8<--\n" into at most MAX parts; returns how many. */
size_t	 fuzz_split(const uint8_t *data, size_t size, const uint8_t **part,
	    size_t *len, size_t max);

int	 LLVMFuzzerTestOneInput(const uint8_t *, size_t);

#endif
