/* crc.c: the chain's crc32 three ways over the rows of a real ledger:
 * grv's own (lib/grv_ledger.c: carry-less multiplication for the bulk, a
 * table for the tail), zlib's crc32 and libdeflate's libdeflate_crc32.
 *
 * Usage: crc LEDGER.csv [ROUNDS]
 *
 * Each row's crc is crc32(previous row's 8 hex digits, then the row up to
 * its last comma), as grv-ledger(5) defines the chain; every way must give
 * grv's digits for every row, or the program exits 1.  Prints, per way,
 * nanoseconds per row and GB/s over the rows, and the same over 1 MiB
 * buffers (the whole-file crc of a sealed segment), the best of ROUNDS
 * (default 5).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <libdeflate.h>
#include <zlib.h>

#include "grv_ledger.h"

struct row {
	const char	*p;
	size_t		 n;		/* up to, not with, the last comma */
};

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void
hex8(uint32_t c, char out[9])
{
	snprintf(out, 9, "%08x", (unsigned)c);
}

static const char *hdr;		/* the header line: the first row's PREV */
static size_t hdrlen;

static uint32_t
by_zlib(const char *prev, size_t plen, const struct row *r)
{
	uLong c = crc32(0L, Z_NULL, 0);

	c = crc32(c, (const Bytef *)prev, (uInt)plen);
	return (uint32_t)crc32(c, (const Bytef *)r->p, (uInt)r->n);
}

static uint32_t
by_deflate(const char *prev, size_t plen, const struct row *r)
{
	uint32_t c = libdeflate_crc32(0, prev, plen);

	return libdeflate_crc32(c, r->p, r->n);
}

/* One pass over the rows by WAY (0 grv, 1 zlib, 2 libdeflate); the
   number of rows whose digits differ from grv's chain. */
static size_t
pass(int way, const struct row *rows, size_t n, char (*want)[9])
{
	char prev[9], got[9];
	const char *pp = hdr;
	size_t i, plen = hdrlen, bad = 0;

	for (i = 0; i < n; i++) {
		if (way == 0)
			grv_chain_crc(pp, plen, rows[i].p, rows[i].n, got);
		else
			hex8(way == 1 ? by_zlib(pp, plen, &rows[i]) :
			    by_deflate(pp, plen, &rows[i]), got);
		if (want != NULL)
			memcpy(want[i], got, 9);
		else if (memcmp(got, rows[i].p + rows[i].n + 1, 8) != 0)
			bad++;
		memcpy(prev, got, 9);
		pp = prev;
		plen = 8;
	}
	return bad;
}

int
main(int argc, char **argv)
{
	static const char *const name[3] = { "grv (clmul + table)",
	    "zlib crc32", "libdeflate_crc32" };
	FILE *f;
	char *buf, *line, *big;
	size_t len, cap, n = 0, ncap = 1024, bytes = 0, i;
	struct row *rows;
	int rounds, way, k, fail = 0;

	if (argc < 2) {
		fprintf(stderr, "usage: crc LEDGER.csv [ROUNDS]\n");
		return 64;
	}
	rounds = argc > 2 ? atoi(argv[2]) : 5;
	if ((f = fopen(argv[1], "rb")) == NULL) {
		perror(argv[1]);
		return 66;
	}
	fseek(f, 0, SEEK_END);
	cap = (size_t)ftell(f);
	rewind(f);
	buf = malloc(cap + 1);
	rows = malloc(ncap * sizeof(*rows));
	if (buf == NULL || rows == NULL || fread(buf, 1, cap, f) != cap) {
		perror(argv[1]);
		return 74;
	}
	fclose(f);
	buf[cap] = '\0';
	/* every row after the header, as the chain sees it */
	line = strchr(buf, '\n');
	hdr = buf;
	hdrlen = line != NULL ? (size_t)(line - buf) : 0;
	while (line != NULL && line[1] != '\0') {
		char *s = line + 1, *e = strchr(s, '\n');

		if (e == NULL || e - s < 10 || e[-9] != ',')
			break;
		if (n == ncap && (rows = realloc(rows, (ncap *= 2) *
		    sizeof(*rows))) == NULL)
			return 71;
		rows[n].p = s;
		rows[n].n = (size_t)(e - s) - 9;
		bytes += rows[n].n + 8;
		n++;
		line = e;
	}
	if (n == 0) {
		fprintf(stderr, "crc: %s: no chained rows\n", argv[1]);
		return 65;
	}
	len = 1 << 20;
	big = malloc(len);
	for (i = 0; i < len; i++)
		big[i] = buf[i % cap];

	printf("%zu rows, %.1f bytes a row on average (%s)\n", n,
	    (double)bytes / n, argv[1]);
	printf("%-22s %10s %8s %14s\n", "crc32 by", "ns/row", "GB/s",
	    "1 MiB GB/s");
	for (way = 0; way < 3; way++) {
		double best = 1e9, bbest = 1e9, t;
		size_t bad = pass(way, rows, n, NULL);
		volatile uint32_t sink = 0;

		if (bad) {
			fprintf(stderr, "crc: %s: %zu rows differ from the "
			    "ledger's\n", name[way], bad);
			fail = 1;
		}
		for (k = 0; k < rounds; k++) {
			t = now();
			pass(way, rows, n, NULL);
			if ((t = now() - t) < best)
				best = t;
			t = now();
			for (i = 0; i < 64; i++) {
				char hex[9];

				if (way == 0) {
					grv_chain_crc("", 0, big, len, hex);
					sink += (uint32_t)hex[0];
				} else
					sink += way == 1 ? (uint32_t)crc32(0,
					    (const Bytef *)big, (uInt)len) :
					    libdeflate_crc32(0, big, len);
			}
			if ((t = now() - t) < bbest)
				bbest = t;
		}
		printf("%-22s %10.1f %8.2f %14.2f\n", name[way], best * 1e9 / n,
		    bytes / best / 1e9, 64.0 * len / bbest / 1e9);
	}
	free(big);
	free(rows);
	free(buf);
	return fail;
}
