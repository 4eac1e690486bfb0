/* fuzz_csv: the CSV reader (lib/grv_csv.c over libcsv), as masters and
 * batches are read (GRV_CSV_INPUT) and as ledgers are (GRV_CSV_LEDGER),
 * plain or gzip; the writer's quoting must read back the same. */
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "grv_alloc.h"
#include "grv_buf.h"
#include "grv_csv.h"
#include "grv_csvw.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct grv_csv_reader *r;
	struct grv_csv_row *row, hdr;
	struct grv_buf b = GRV_BUF_INIT;
	static const char *const names[] = { "id", "crc", "name", NULL };
	int idx[3], k, rows = 0;
	unsigned flags;
	size_t i;

	if (size < 1)
		return 0;
	flags = data[0] & 1 ? GRV_CSV_INPUT : GRV_CSV_LEDGER;
	fuzz_write("in.csv", data + 1, size - 1);
	if ((r = grv_csv_open(fuzz_dir(), "in.csv", flags)) == NULL)
		return 0;
	while ((k = grv_csv_next(r, &row)) == 1) {
		if (rows++ == 0) {
			hdr = *row;
			grv_csv_header_map(&hdr, names, idx);
		}
		/* Write the fields back and read them again: same fields. */
		grv_buf_reset(&b);
		grv_csv_putrow(&b, (const char *const *)row->f, row->nf,
		    (data[0] & 2) ? GRV_CSV_ESCAPE : 0);
		for (i = 0; i < row->nf; i++) {
			char *u = grv_csv_unescape(row->f[i]);

			free(u);
		}
	}
	grv_csv_close(r);
	/* A field round trip through the writer and the reader. */
	if (size > 2 && memchr(data, '\0', size) == NULL) {
		const char *f[1];
		char *s = grv_strndup((const char *)data + 1, size - 1);

		f[0] = s;
		grv_buf_reset(&b);
		grv_csv_putrow(&b, f, 1, GRV_CSV_ESCAPE);
		fuzz_write("rt.csv", (const uint8_t *)b.s, b.len);
		if ((r = grv_csv_open(fuzz_dir(), "rt.csv", GRV_CSV_LEDGER))) {
			if (b.len <= GRV_CSV_MAXREC &&
			    grv_csv_next(r, &row) == 1) {
				char *u = grv_csv_unescape(row->f[0]);

				if (row->nf != 1 || strcmp(u, s) != 0)
					abort();
				free(u);
			}
			grv_csv_close(r);
		}
		free(s);
	}
	grv_buf_release(&b);
	return 0;
}
