/* test_ahead.c: a ledger file read ahead on other cores (grv_ahead.c)
 * gives what it gives read alone, row for row and message for message.
 *
 * Files with a good crc chain, quoted fields, long lines and a fault
 * somewhere (a CR, a NUL, a stray quote, an empty line, a broken crc, no
 * last newline, a line past GRV_CSV_MAXREC) are read once on one thread,
 * then ahead with chunks from 64 bytes to 64 KiB and one to three threads,
 * from the start and from a row in the middle.  Each read is written down
 * (every row's line, offsets, fields and raw bytes, the prep's answer,
 * the end code and what went to stderr) and the records must be equal.
 * A row the threads call chained must really be chained to the line
 * before, and the prep must have run on the rows read ahead.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "grv_ahead.h"
#include "grv_alloc.h"
#include "grv_buf.h"
#include "grv_csv.h"
#include "grv_csvw.h"
#include "grv_ledger.h"
#include "unit.h"
#include "unit_fs.h"

static uint64_t rng = 0x2545f4914f6cdd1dULL;

static unsigned
rnd(unsigned n)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (unsigned)(rng % n);
}

static const char *const atoms[] = { "HP-", "12", "राम", "शर्मा, गाँव",
	"say \"hi\"", ",", " ", "2025-06-01T10:15:00+05:30", "x", "\\",
	"line\nbreak", "" };
#define NATOMS (sizeof(atoms) / sizeof(atoms[0]))

#define HDR	"id,text,note,crc"

enum fault { F_NONE, F_CR, F_NUL, F_QUOTE, F_EMPTY, F_CRC, F_NONL,
	F_LONG, F_COUNT };
static const char *const fault_names[F_COUNT] = { "no fault", "a CR",
	"a NUL", "a quote inside an unquoted field", "an empty line",
	"a broken crc", "no newline at the end", "a line past the limit" };

/* A chained ledger of N rows with FAULT at row AT; offsets of the rows'
   starts into OFFS (N + 1 entries: the last is the file's end). */
static void
make_file(const char *path, size_t n, enum fault fault, size_t at,
    uint64_t *offs)
{
	struct grv_buf b = GRV_BUF_INIT, f = GRV_BUF_INIT;
	char prev[9], crc[9];
	size_t i, j, start;
	unsigned k;

	grv_buf_adds(&b, HDR "\n");
	for (i = 0; i < n; i++) {
		start = b.len;
		offs[i] = start;
		if (fault == F_EMPTY && i == at)
			grv_buf_addc(&b, '\n');
		grv_buf_printf(&b, "HP-%zu,", i + 1);
		for (k = 0; k < 2; k++) {
			grv_buf_reset(&f);
			for (j = rnd(5); j > 0; j--)
				grv_buf_adds(&f, atoms[rnd(NATOMS)]);
			if (rnd(40) == 0)	/* a long one */
				for (j = 200 + rnd(3000); j > 0; j--)
					grv_buf_addc(&f, "abc ,\""[rnd(6)]);
			if (fault == F_LONG && i == at && k == 0)
				for (j = 0; j < GRV_CSV_MAXREC; j++)
					grv_buf_addc(&f, 'z');
			grv_csv_put(&b, f.s ? f.s : "", f.len, GRV_CSV_ESCAPE);
			grv_buf_addc(&b, ',');
		}
		if (i == at && fault == F_CR)
			b.s[start + 2] = '\r';
		if (i == at && fault == F_NUL)
			b.s[b.len - 2] = '\0';
		if (i == at && fault == F_QUOTE)
			b.s[start + 1] = '"';
		if (i == 0)
			grv_chain_crc(HDR, strlen(HDR), b.s + start,
			    b.len - start - 1, crc);
		else
			grv_chain_crc(prev, 8, b.s + start, b.len - start - 1,
			    crc);
		if (i == at && fault == F_CRC)
			crc[3] = crc[3] == '0' ? '1' : '0';
		grv_buf_add(&b, crc, 8);
		grv_buf_addc(&b, '\n');
		memcpy(prev, crc, 9);
	}
	offs[n] = b.len;
	if (fault == F_NONL)
		b.len--;
	put_path(path, b.s, b.len);
	grv_buf_release(&b);
	grv_buf_release(&f);
}

/* The prep: the sum of the fields' lengths and their count. */
struct sum {
	size_t	 total, nf;
};

static int
prep_sum(const struct grv_csv_row *row, void *out, void *arg)
{
	struct sum *s = out;
	size_t i;

	(void)arg;
	if (row->nf == 0 || row->f[0][0] == 'z')	/* one it leaves */
		return -1;
	s->total = 0;
	for (i = 0; i < row->nf; i++)
		s->total += row->flen[i];
	s->nf = row->nf;
	return 0;
}

struct tally {
	size_t	 rows, prepped, chained, badprep, badchain;
};

/* Read TMP/REL (from OFF, line LINE when OFF is not 0) into a record. */
static char *
record(const char *rel, uint64_t off, unsigned long line, struct tally *t)
{
	struct grv_buf rec = GRV_BUF_INIT;
	struct grv_csv_reader *r;
	struct grv_csv_row *row;
	char prevline[9] = "";
	size_t i;
	int k;
	char *err;

	memset(t, 0, sizeof(*t));
	err_begin();
	/* Reading ahead wants DIR/REL: a path it can open again. */
	if ((r = grv_csv_open(unit_tmp, rel, GRV_CSV_LEDGER)) == NULL) {
		free(err_end());
		return grv_strdup("cannot open");
	}
	grv_csv_set_prep(r, prep_sum, sizeof(struct sum), NULL);
	if (off)
		grv_csv_seek(r, off, line);
	while ((k = grv_csv_next(r, &row)) == 1) {
		t->rows++;
		grv_buf_printf(&rec, "%lu %llu %llu %zu [%.*s]", row->line,
		    (unsigned long long)row->off,
		    (unsigned long long)row->end, row->nf, (int)row->rawlen,
		    row->raw);
		for (i = 0; i < row->nf; i++) {
			grv_buf_printf(&rec, " <%zu:", row->flen[i]);
			grv_buf_add(&rec, row->f[i], row->flen[i]);
			grv_buf_addc(&rec, '>');
			if (row->f[i][row->flen[i]] != '\0')
				grv_buf_adds(&rec, "(no NUL)");
		}
		grv_buf_addc(&rec, '\n');
		if (row->prep) {
			struct sum s;

			t->prepped++;
			if (prep_sum(row, &s, NULL) != 0 ||
			    memcmp(&s, row->prep, sizeof(s)) != 0)
				t->badprep++;
		}
		if (row->chained) {
			t->chained++;
			if (prevline[0] == '\0' || grv_chain_verify(prevline,
			    8, row->raw, row->rawlen) != 0)
				t->badchain++;
		}
		prevline[0] = '\0';
		if (row->rawlen >= 9 && row->raw[row->rawlen - 9] == ',') {
			memcpy(prevline, row->raw + row->rawlen - 8, 8);
			prevline[8] = '\0';
		}
	}
	grv_buf_printf(&rec, "end %d, ioerror %d\n", k, grv_csv_ioerror(r));
	if (grv_csv_close(r) == -1)
		grv_buf_adds(&rec, "close failed\n");
	err = err_end();
	grv_buf_printf(&rec, "stderr: %s", err);
	free(err);
	return rec.s;
}

static void
test_faults(void)
{
	static const size_t chunks[] = { 64, 97, 1000, 4096, 65536 };
	const char *rel = "ledger.csv", *path = tmp_path(rel);
	uint64_t offs[2001];
	struct tally t0, t;
	size_t n = 2000, at, c, mid;
	int fault, th, diff, badprep, badchain, lot, anyprep;
	char *want, *got;

	for (fault = 0; fault < F_COUNT; fault++) {
		at = fault == F_NONE ? n : 100 + rnd(1800);
		make_file(path, n, (enum fault)fault, at, offs);
		grv_ahead_tune(0, UINT64_MAX, 0);	/* no threads */
		want = record(rel, 0, 0, &t0);
		diff = badprep = badchain = lot = anyprep = 0;
		for (c = 0; c < sizeof(chunks) / sizeof(chunks[0]); c++)
			for (th = 1; th <= 3; th++) {
				grv_ahead_tune(chunks[c], 1, th);
				got = record(rel, 0, 0, &t);
				if (strcmp(got, want) != 0 && diff++ == 0)
					printf("# %s, chunk %zu, %d threads: "
					    "differs\n", fault_names[fault],
					    chunks[c], th);
				badprep += t.badprep;
				badchain += t.badchain;
				anyprep += t.prepped > 0;
				lot += t.chained * 10 > t.rows * 8;
				free(got);
			}
		IS(diff, 0, "%s: read ahead, every row, the end and the "
		    "message are those of a read alone", fault_names[fault]);
		IS(badprep + badchain, 0, "%s: each prep is the row's, each "
		    "row called chained is", fault_names[fault]);
		OK(anyprep == 15, "%s: the prep ran on the rows read ahead",
		    fault_names[fault]);
		/* (Past an empty line, which ends no read, the rest is
		   read alone; a line past the limit ends the read early.) */
		if (fault != F_LONG && fault != F_EMPTY)
			OK(lot == 15, "%s: most rows read ahead were checked "
			    "chained on the threads", fault_names[fault]);
		free(want);

		/* From a row in the middle, as after a cache. */
		mid = 1 + rnd(900);
		grv_ahead_tune(0, UINT64_MAX, 0);
		want = record(rel, offs[mid], mid + 2, &t0);
		grv_ahead_tune(1000, 1, 2);
		got = record(rel, offs[mid], mid + 2, &t);
		STR(got, want, "%s: read ahead from row %zu, the same",
		    fault_names[fault], mid + 1);
		free(got);
		free(want);
	}
	grv_ahead_tune(256 * 1024, 4 * 1024 * 1024, 0);
}

/* A file shorter than the least worth threads is read alone. */
static void
test_small(void)
{
	const char *rel = "small.csv", *path = tmp_path(rel);
	uint64_t offs[11];
	struct tally t;
	char *got;

	make_file(path, 10, F_NONE, 10, offs);
	got = record(rel, 0, 0, &t);
	IS(t.prepped, 0, "a small file is read on the caller's thread (no "
	    "prep ran)");
	IS(t.rows, 11, "all of its rows");
	free(got);
}

int
main(void)
{
	tmp_init("ahead");
	test_small();
	test_faults();
	tmp_cleanup();
	return DONE();
}
