/* test_chain.c: the chain crc as the writers use it, against zlib: the
 * previous row's eight hex digits (or a header) then a row of 0 to 300
 * bytes, so every split between the carry-less bulk, the byte table and
 * zlib's own crc32 is crossed; and rows laid out by grv_ledger_row against
 * grv_ledger_add. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <zlib.h>

#include "grv_buf.h"
#include "grv_csvw.h"
#include "grv_ledger.h"
#include "unit.h"

static uint64_t rng = 0x9e3779b97f4a7c15ULL;

static unsigned
rnd(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (unsigned)rng;
}

static void
zlib_hex(const char *prev, size_t plen, const char *body, size_t len,
    char out[9])
{
	uLong c = crc32(0L, Z_NULL, 0);

	c = crc32(c, (const Bytef *)prev, (uInt)plen);
	c = crc32(c, (const Bytef *)body, (uInt)len);
	snprintf(out, 9, "%08lx", c & 0xffffffffUL);
}

static void
test_crc(void)
{
	static char buf[512], prev[80];
	char got[9], want[9];
	size_t len, plen, off, i;
	int bad = 0, n = 0;

	for (i = 0; i < sizeof(buf); i++)
		buf[i] = (char)rnd();
	for (plen = 0; plen <= 70; plen++)
		for (len = 0; len <= 300; len++) {
			off = rnd() % 64;
			for (i = 0; i < plen; i++)
				prev[i] = (char)rnd();
			grv_chain_crc(prev, plen, buf + off, len, got);
			zlib_hex(prev, plen, buf + off, len, want);
			n++;
			if (strcmp(got, want) != 0 && bad++ < 5)
				printf("# prev %zu, len %zu: %s, zlib %s\n", plen,
				    len, got, want);
		}
	IS(bad, 0, "grv_chain_crc equals zlib on %d rows of 0 to 300 bytes "
	    "after 0 to 70 bytes (8: a crc, 60: a header)", n);
}

/* Rows laid out by hand with grv_ledger_row / grv_ledger_row_done queue
   the same bytes as grv_ledger_add. */
static void
test_rows(void)
{
	static const char *const atoms[] = { "a", "HP-12", ",", "\"", "\n",
	    "\\", "राम", "=x", "2026-01-02T10:05:00+05:30", "" };
	struct grv_ledger a = GRV_LEDGER_INIT, b = GRV_LEDGER_INIT;
	struct grv_buf fb[GRV_E_NCOLS];
	const char *f[GRV_E_NCOLS];
	size_t i, k, room, len[GRV_E_NCOLS];
	char *o;
	int r, j;

	a.kind = b.kind = GRV_EVENTS;
	for (k = 0; k < GRV_E_NCOLS; k++)
		fb[k] = (struct grv_buf)GRV_BUF_INIT;
	for (r = 0; r < 3000; r++) {
		room = 0;
		for (k = 0; k < GRV_E_NCOLS - 1; k++) {
			grv_buf_reset(&fb[k]);
			grv_buf_add(&fb[k], "", 0);
			for (j = rnd() % 4; j > 0; j--)
				grv_buf_adds(&fb[k], atoms[rnd() %
				    (sizeof(atoms) / sizeof(atoms[0]))]);
			f[k] = fb[k].s;
			len[k] = fb[k].len;
			room += 2 * len[k] + 4;
		}
		grv_ledger_add(&a, f);
		o = grv_ledger_row(&b, room);
		for (k = 0; k < GRV_E_NCOLS - 1; k++) {
			if (k)
				*o++ = ',';
			o = grv_csv_emit(o, f[k], len[k], GRV_CSV_ESCAPE);
		}
		grv_ledger_row_done(&b, o);
	}
	OK(a.pending.len == b.pending.len && a.npending == b.npending &&
	    memcmp(a.pending.s, b.pending.s, a.pending.len) == 0 &&
	    strcmp(a.pcrc, b.pcrc) == 0, "3000 random rows laid out by hand "
	    "queue the bytes grv_ledger_add queues, chained the same");
	/* and the chain holds from the header on */
	for (i = 0, k = 0, r = 0; i < b.pending.len; r++) {
		const char *row = b.pending.s + i, *nl = strchr(row, '\n');
		const char *prev = r ? b.pending.s + k : grv_ledger_header(
		    GRV_EVENTS);

		if (grv_chain_verify(prev, r ? 8 : strlen(prev), row,
		    (size_t)(nl - row)) != 0)
			break;
		k = (size_t)(nl - b.pending.s) - 8;
		i = (size_t)(nl - b.pending.s) + 1;
	}
	IS(r, 3000, "every row verifies against the one before");
	for (k = 0; k < GRV_E_NCOLS; k++)
		grv_buf_release(&fb[k]);
	grv_buf_release(&a.pending);
	grv_buf_release(&b.pending);
}

int
main(void)
{
	test_crc();
	test_rows();
	return DONE();
}
