/* test_crc.c: the chain crc (lib/grv_ledger.c, carry-less multiplication
 * where the CPU has it) against zlib's crc32, on every length up to 2 KB
 * and random bytes. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <zlib.h>

#include "grv_chain.h"
#include "grv_ledger.h"
#include "unit.h"

static uint64_t rng = 88172645463325252ULL;

static unsigned
rnd(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (unsigned)rng;
}

int
main(void)
{
	static char buf[4096], prev[300];
	char got[9], want[9];
	size_t len, plen, off, i;
	uLong c;
	int bad = 0, n = 0;

	for (i = 0; i < sizeof(buf); i++)
		buf[i] = (char)rnd();
	for (len = 0; len <= 2048; len++)
		for (plen = 0; plen < sizeof(prev); plen += 37) {
			off = rnd() % 64;	/* unaligned too */
			for (i = 0; i < plen; i++)
				prev[i] = (char)rnd();
			grv_chain_crc(prev, plen, buf + off, len, got);
			c = crc32(crc32(0L, Z_NULL, 0), (const Bytef *)prev,
			    (uInt)plen);
			c = crc32(c, (const Bytef *)buf + off, (uInt)len);
			snprintf(want, sizeof(want), "%08lx", c & 0xffffffffUL);
			n++;
			if (strcmp(got, want) != 0 && bad++ < 5)
				printf("# len %zu prev %zu: %s, zlib %s\n", len,
				    plen, got, want);
		}
	IS(bad, 0, "grv_chain_crc equals zlib's crc32 on %d buffers of 0 to "
	    "2048 bytes after 0 to 296 bytes", n);
	grv_chain_crc("ts,id", 5, "", 0, got);
	c = crc32(crc32(0L, Z_NULL, 0), (const Bytef *)"ts,id", 5);
	snprintf(want, sizeof(want), "%08lx", c & 0xffffffffUL);
	STR(got, want, "a header alone");

	/* grv_crc32, the same crc over any buffer (the masters snapshot's
	   check), continued from any value. */
	bad = n = 0;
	for (len = 0; len <= sizeof(buf) - 64; len += 1 + len / 8) {
		uint32_t seed = rnd(), g;

		off = rnd() % 64;
		g = grv_crc32(seed, buf + off, len);
		c = crc32(seed, (const Bytef *)buf + off, (uInt)len);
		n++;
		if (g != (uint32_t)c && bad++ < 5)
			printf("# len %zu: %08x, zlib %08lx\n", len, g, c);
	}
	IS(bad, 0, "grv_crc32 equals zlib's crc32 on %d buffers of up to "
	    "4032 bytes from any start", n);
	return DONE();
}
