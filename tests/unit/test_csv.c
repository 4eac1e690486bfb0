/* test_csv.c: the CSV writer and reader of lib/grv_csv.c. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <zlib.h>

#include "grv_alloc.h"
#include "grv_buf.h"
#include "grv_csv.h"
#include "grv_csvw.h"
#include "unit.h"
#include "unit_fs.h"

static const char *tmpdir;

static size_t
count_char(const char *s, size_t n, char c)
{
	size_t i, k = 0;

	for (i = 0; i < n; i++)
		k += s[i] == c;
	return k;
}

/* Tricky fields: one record of them, written and read back. */
static const char *const tricky[] = {
	"plain",
	"a,b",
	"say \"hi\"",
	"line1\nline2",
	"cr\rhere",
	"crlf\r\nend",
	"back\\slash \\n not a newline",
	"  leading",
	"trailing  ",
	" both ",
	"",
	"राम, \"शर्मा\"\nगांव",
	"\"",
	",",
	"\\",
	"\n",
};
#define NTRICKY (sizeof(tricky) / sizeof(tricky[0]))

static void
test_roundtrip(unsigned wflags, const char *name)
{
	struct grv_buf b = GRV_BUF_INIT;
	struct grv_csv_reader *r;
	struct grv_csv_row *row;
	size_t i, nrec = 3;
	int k, allok;
	const char *mode = wflags & GRV_CSV_ESCAPE ? "escaped" : "plain";

	for (i = 0; i < nrec; i++)
		grv_csv_putrow(&b, tricky, NTRICKY, wflags);
	if (wflags & GRV_CSV_ESCAPE) {
		IS(count_char(b.s, b.len, '\n'), nrec,
		    "%s: one newline per record in the written bytes", mode);
		IS(count_char(b.s, b.len, '\r'), 0,
		    "%s: no raw CR in the written bytes", mode);
	}
	put_file(name, b.s, b.len);
	r = grv_csv_open(tmpdir, name, wflags & GRV_CSV_ESCAPE ?
	    GRV_CSV_LEDGER : 0);
	OK(r != NULL, "%s: opened %s", mode, name);
	if (r == NULL) {
		grv_buf_release(&b);
		return;
	}
	for (i = 0; i < nrec; i++) {
		k = grv_csv_next(r, &row);
		IS(k, 1, "%s: record %zu read", mode, i + 1);
		if (k != 1)
			break;
		IS(row->nf, NTRICKY, "%s: record %zu has every field", mode,
		    i + 1);
		if (row->nf != NTRICKY)
			break;
		allok = 1;
		for (size_t j = 0; j < NTRICKY; j++) {
			char *got = wflags & GRV_CSV_ESCAPE ?
			    grv_csv_unescape(row->f[j]) : grv_strdup(row->f[j]);

			if (strcmp(got, tricky[j]) != 0 ||
			    (!(wflags & GRV_CSV_ESCAPE) &&
			    row->flen[j] != strlen(tricky[j]))) {
				printf("#   field %zu: got '%s', want '%s'\n", j,
				    got, tricky[j]);
				allok = 0;
			}
			if ((wflags & GRV_CSV_ESCAPE) &&
			    (strchr(row->f[j], '\n') || strchr(row->f[j], '\r'))) {
				printf("#   field %zu holds a raw line break\n",
				    j);
				allok = 0;
			}
			free(got);
		}
		OK(allok, "%s: record %zu: every field comes back as written",
		    mode, i + 1);
	}
	IS(grv_csv_next(r, &row), 0, "%s: end of file after %zu records",
	    mode, nrec);
	IS(grv_csv_close(r), 0, "%s: close", mode);
	grv_buf_release(&b);
}

static void
test_escape_unit(void)
{
	struct grv_buf b = GRV_BUF_INIT;
	char *u;

	grv_csv_put(&b, "a\\b\nc\rd", 7, GRV_CSV_ESCAPE);
	STR(b.s, "a\\\\b\\nc\\rd", "escape: \\ LF CR become \\\\ \\n \\r");
	u = grv_csv_unescape(b.s);
	STR(u, "a\\b\nc\rd", "unescape restores the original");
	free(u);
	grv_buf_reset(&b);
	grv_csv_put(&b, "x,\"y\"", 5, GRV_CSV_ESCAPE);
	STR(b.s, "\"x,\"\"y\"\"\"", "a comma and quotes are RFC 4180 quoted");
	grv_buf_reset(&b);
	grv_csv_put(&b, "plain text", 10, GRV_CSV_ESCAPE);
	STR(b.s, "plain text", "a plain field is not quoted");
	grv_buf_reset(&b);
	grv_csv_put(&b, "", 0, GRV_CSV_ESCAPE);
	IS(b.len, 0, "an empty field writes nothing");
	grv_buf_reset(&b);
	grv_csv_put(&b, "\\n", 2, GRV_CSV_ESCAPE);
	u = grv_csv_unescape(b.s);
	STR(u, "\\n", "a literal backslash-n survives escape and unescape");
	free(u);
	grv_buf_reset(&b);
	grv_csv_put(&b, "a\nb", 3, 0);
	STR(b.s, "\"a\nb\"", "without ESCAPE a newline is quoted raw");
	grv_buf_release(&b);
}

static void
test_safe(void)
{
	struct grv_buf b = GRV_BUF_INIT;
	static const char *const in[] = { "=SUM(A1)", "+91", "-3", "@cmd",
	    "a=b", "", "=a,b", NULL };
	static const char *const want[] = { "'=SUM(A1)", "'+91", "'-3",
	    "'@cmd", "a=b", "", "\"'=a,b\"", NULL };
	size_t i;

	for (i = 0; in[i]; i++) {
		grv_buf_reset(&b);
		grv_csv_put(&b, in[i], strlen(in[i]), GRV_CSV_SAFE);
		STR(b.len ? b.s : "", want[i], "SAFE: '%s' is written as %s",
		    in[i], want[i]);
	}
	grv_buf_reset(&b);
	grv_csv_put(&b, "=1", 2, 0);
	STR(b.s, "=1", "without SAFE '=1' is written as is");
	grv_buf_release(&b);
}

static void
test_input_mode(void)
{
	struct grv_csv_reader *r;
	struct grv_csv_row *row;
	static const char bom[] = "\xef\xbb\xbf" "name,phone\r\n"
	    "Ram,98\r\n" "\"Sita, Devi\",99\r\n";
	static const char ml[] = "id,text\n1,\"two\nlines\"\n2,x\n";

	put_file("bom.csv", bom, sizeof(bom) - 1);
	r = grv_csv_open(tmpdir, "bom.csv", GRV_CSV_INPUT);
	OK(r != NULL, "INPUT: open bom.csv");
	IS(grv_csv_next(r, &row), 1, "INPUT: header read");
	IS(row->nf, 2, "INPUT: header has 2 fields");
	STR(row->f[0], "name", "INPUT: the BOM is dropped from the first field");
	STR(row->f[1], "phone", "INPUT: the CR of CR-LF is dropped");
	IS(row->off, 0, "INPUT: header starts at offset 0");
	IS(row->end, 3 + 12, "INPUT: header ends after its CR-LF");
	IS(grv_csv_next(r, &row), 1, "INPUT: row 2 read");
	STR(row->f[1], "98", "INPUT: CR-LF row field");
	IS(row->line, 2, "INPUT: row 2 on line 2");
	IS(row->off, 15, "INPUT: row 2 offset");
	IS(row->end, 23, "INPUT: row 2 end");
	IS(grv_csv_next(r, &row), 1, "INPUT: row 3 read");
	STR(row->f[0], "Sita, Devi", "INPUT: quoted comma");
	STR(row->f[1], "99", "INPUT: last field, CR dropped");
	IS(row->end, sizeof(bom) - 1, "INPUT: last row ends at end of file");
	IS(grv_csv_next(r, &row), 0, "INPUT: end of file");
	IS(grv_csv_close(r), 0, "INPUT: close");

	put_file("ml.csv", ml, sizeof(ml) - 1);
	r = grv_csv_open(tmpdir, "ml.csv", GRV_CSV_INPUT);
	IS(grv_csv_next(r, &row), 1, "multi-line: header");
	IS(grv_csv_next(r, &row), 1, "multi-line: quoted record read");
	IS(row->nf, 2, "multi-line: one record of 2 fields");
	STR(row->f[1], "two\nlines", "multi-line: the line break is kept");
	IS(row->line, 2, "multi-line: record starts on line 2");
	IS(row->off, 8, "multi-line: record offset");
	IS(row->end, 8 + 14, "multi-line: record end just past its newline");
	OK(row->rawlen == 13 && memcmp(row->raw, "1,\"two\nlines\"", 13) == 0,
	    "multi-line: raw holds both lines");
	IS(grv_csv_next(r, &row), 1, "multi-line: next record");
	IS(row->line, 4, "multi-line: next record starts on line 4");
	STR(row->f[1], "x", "multi-line: next record field");
	IS(row->off, 22, "multi-line: next record offset");
	IS(grv_csv_next(r, &row), 0, "multi-line: end");
	grv_csv_close(r);

	/* No final newline is fine for human input. */
	put_file("nonl.csv", "a,b\n1,2", 7);
	r = grv_csv_open(tmpdir, "nonl.csv", GRV_CSV_INPUT);
	IS(grv_csv_next(r, &row), 1, "input without final newline: header");
	IS(grv_csv_next(r, &row), 1, "input without final newline: last row");
	STR(row->nf == 2 ? row->f[1] : NULL, "2",
	    "input without final newline: last field");
	IS(row->end, 7, "input without final newline: end is file size");
	IS(grv_csv_next(r, &row), 0, "input without final newline: end");
	grv_csv_close(r);

	/* A blank line is a record without fields. */
	put_file("blank.csv", "a,b\n\n1,2\n", 9);
	r = grv_csv_open(tmpdir, "blank.csv", GRV_CSV_INPUT);
	IS(grv_csv_next(r, &row), 1, "blank line: header");
	IS(grv_csv_next(r, &row), 1, "blank line: read");
	OK(row->nf == 0 || (row->nf == 1 && row->flen[0] == 0),
	    "blank line: no fields (%zu)", row->nf);
	IS(row->line, 2, "blank line: line 2");
	IS(grv_csv_next(r, &row), 1, "blank line: next record");
	IS(row->line, 3, "blank line: next record on line 3");
	OK(row->nf == 2 && strcmp(row->f[0], "1") == 0, "blank line: next "
	    "record's fields");
	IS(grv_csv_next(r, &row), 0, "blank line: end");
	grv_csv_close(r);
}

static void
test_ledger_mode(void)
{
	struct grv_csv_reader *r;
	struct grv_csv_row *row;
	char *err;

	put_file("cr.csv", "a,b\nx\ry,z\n", 11);
	r = grv_csv_open(tmpdir, "cr.csv", GRV_CSV_LEDGER);
	IS(grv_csv_next(r, &row), 1, "LEDGER: header");
	err_begin();
	IS(grv_csv_next(r, &row), -1, "LEDGER: a raw CR is refused");
	err = err_end();
	OK(strstr(err, "cr.csv:2:") != NULL, "LEDGER: message names "
	    "the file and line (%s)", first_line(err));
	free(err);
	grv_csv_close(r);

	put_file("crlf.csv", "a,b\r\n", 5);
	r = grv_csv_open(tmpdir, "crlf.csv", GRV_CSV_LEDGER);
	err_begin();
	IS(grv_csv_next(r, &row), -1, "LEDGER: a CR-LF line is refused");
	free(err_end());
	grv_csv_close(r);

	put_file("torn.csv", "a,b\n1,2\n3,", 10);
	r = grv_csv_open(tmpdir, "torn.csv", GRV_CSV_LEDGER);
	IS(grv_csv_next(r, &row), 1, "LEDGER torn: header");
	IS(grv_csv_next(r, &row), 1, "LEDGER torn: full row");
	err_begin();
	IS(grv_csv_next(r, &row), -1, "LEDGER: a last line without "
	    "newline is refused");
	err = err_end();
	OK(err && strstr(err, "torn.csv:3:"), "LEDGER torn: message names "
	    "the file and line");
	free(err);
	grv_csv_close(r);

	put_file("mlq.csv", "a,b\n\"x\ny\",z\n", 12);
	r = grv_csv_open(tmpdir, "mlq.csv", GRV_CSV_LEDGER);
	IS(grv_csv_next(r, &row), 1, "LEDGER: header");
	err_begin();
	IS(grv_csv_next(r, &row), -1, "LEDGER: a quoted field across lines "
	    "is refused");
	free(err_end());
	grv_csv_close(r);
}

static void
test_malformed(void)
{
	struct grv_csv_reader *r;
	struct grv_csv_row *row;
	char *err;
	static const char *const bad[] = { "a,b\nx\"y,z\n", "a,b\n\"x\"y,z\n",
	    "a,b\n\"unterminated,z\n", "a,b\n\"unterminated,z",
	    "a,b\nx,\"unterminated", NULL };
	size_t i;

	for (i = 0; bad[i]; i++) {
		put_file("bad.csv", bad[i], strlen(bad[i]));
		r = grv_csv_open(tmpdir, "bad.csv", GRV_CSV_INPUT);
		IS(grv_csv_next(r, &row), 1, "malformed %zu: header", i);
		err_begin();
		IS(grv_csv_next(r, &row), -1, "malformed %zu: refused", i);
		err = err_end();
		OK(err && strstr(err, "bad.csv:2:"), "malformed %zu: message "
		    "names bad.csv:2", i);
		free(err);
		IS(grv_csv_ioerror(r), 0, "malformed %zu: not an I/O error",
		    i);
		grv_csv_close(r);
	}
	/* A NUL byte, and a record past GRV_CSV_MAXREC. */
	put_file("nul.csv", "a,b\nx\0y,z\n", 10);
	r = grv_csv_open(tmpdir, "nul.csv", GRV_CSV_INPUT);
	IS(grv_csv_next(r, &row), 1, "NUL: header");
	err_begin();
	IS(grv_csv_next(r, &row), -1, "a NUL byte is refused");
	err = err_end();
	OK(strstr(err, "nul.csv:2:") != NULL, "NUL: message names nul.csv:2 "
	    "(%s)", first_line(err));
	free(err);
	grv_csv_close(r);
	{
		size_t big = GRV_CSV_MAXREC + 100;
		char *s = grv_malloc(big + 12);

		memcpy(s, "a,b\n", 4);
		memset(s + 4, 'x', big);
		memcpy(s + 4 + big, ",z\nc,d\n", 8);
		put_file("long.csv", s, big + 12);
		free(s);
		r = grv_csv_open(tmpdir, "long.csv", GRV_CSV_LEDGER);
		IS(grv_csv_next(r, &row), 1, "long: header");
		err_begin();
		IS(grv_csv_next(r, &row), -1, "a record over GRV_CSV_MAXREC "
		    "is refused");
		err = err_end();
		OK(strstr(err, "long.csv:2:") != NULL, "long: message names "
		    "long.csv:2 (%s)", first_line(err));
		free(err);
		grv_csv_close(r);
	}

	err_begin();
	r = grv_csv_open(tmpdir, "missing.csv", 0);
	err = err_end();
	OK(r == NULL, "a missing file gives NULL");
	OK(err && strstr(err, "missing.csv"), "and the message names it");
	free(err);
}

/* The same records, plain and gzipped, read the same. */
static void
test_gzip(void)
{
	struct grv_buf b = GRV_BUF_INIT;
	struct grv_csv_reader *r1, *r2;
	struct grv_csv_row *row;
	char path[512], *err;
	gzFile gz;
	size_t i, n;
	int k1, k2, same = 1, recs = 0;
	char *data;
	static const char *const hdr[] = { "id", "text", "crc" };

	grv_csv_putrow(&b, hdr, 3, 0);
	for (i = 0; i < 2000; i++) {
		char id[32];
		const char *f[3] = { id, tricky[i % NTRICKY], "00000000" };

		snprintf(id, sizeof(id), "TS-%zu", i + 1);
		grv_csv_putrow(&b, f, 3, GRV_CSV_ESCAPE);
	}
	put_file("plain.csv", b.s, b.len);
	snprintf(path, sizeof(path), "%s", tmp_path("seg.csv.gz"));
	gz = gzopen(path, "wb");
	k1 = gz != NULL && gzwrite(gz, b.s, (unsigned)b.len) == (int)b.len;
	k1 = gz != NULL && gzclose(gz) == Z_OK && k1;
	OK(k1, "gzip file written");
	r1 = grv_csv_open(tmpdir, "plain.csv", GRV_CSV_LEDGER);
	r2 = grv_csv_open(tmpdir, "seg.csv.gz", GRV_CSV_LEDGER);
	OK(r1 && r2, "plain and gzip opened");
	for (;;) {
		struct grv_csv_row a;
		char *raw;

		k1 = grv_csv_next(r1, &row);
		if (k1 != 1)
			break;
		a = *row;
		raw = grv_strndup(row->raw, row->rawlen);
		k2 = grv_csv_next(r2, &row);
		if (k2 != 1 || a.nf != row->nf || a.off != row->off ||
		    a.end != row->end || a.line != row->line ||
		    a.rawlen != row->rawlen ||
		    memcmp(raw, row->raw, a.rawlen) != 0)
			same = 0;
		free(raw);
		recs++;
		if (!same)
			break;
	}
	OK(same, "gzip reads the same records, offsets and lines as plain");
	IS(recs, 2001, "every record read");
	IS(k1, 0, "plain at end");
	IS(grv_csv_next(r2, &row), 0, "gzip at end too");
	IS(grv_csv_close(r1), 0, "plain close");
	IS(grv_csv_close(r2), 0, "gzip close");

	/* Truncate the gzip file to half: reported at next or close. */
	data = slurp(path, &n);
	put_file("cut.csv.gz", data, n / 2);
	free(data);
	r2 = grv_csv_open(tmpdir, "cut.csv.gz", GRV_CSV_LEDGER);
	err_begin();
	while ((k2 = grv_csv_next(r2, &row)) == 1)
		;
	k1 = grv_csv_close(r2);
	err = err_end();
	OK(k2 == -1 || k1 == -1, "a truncated gzip is reported (next %d, "
	    "close %d)", k2, k1);
	OK(err && strstr(err, "cut.csv.gz"), "the message names the file");
	free(err);

	/* Truncated exactly at a line boundary of the inflated data: only
	   gzclose can tell. */
	grv_buf_reset(&b);
	for (i = 0; i < 50000; i++)
		grv_buf_printf(&b, "%zu,abcdefghij%zu\n", i, i * 7919);
	snprintf(path, sizeof(path), "%s", tmp_path("big.csv.gz"));
	gz = gzopen(path, "wb");
	gzwrite(gz, b.s, (unsigned)b.len);
	gzclose(gz);
	data = slurp(path, &n);
	put_file("bigcut.csv.gz", data, n - 20);
	free(data);
	r2 = grv_csv_open(tmpdir, "bigcut.csv.gz", 0);
	err_begin();
	recs = 0;
	while ((k2 = grv_csv_next(r2, &row)) == 1)
		recs++;
	k1 = grv_csv_close(r2);
	err = err_end();
	OK(k2 == -1 || k1 == -1, "a gzip missing its trailer is reported "
	    "(next %d, close %d, %d records)", k2, k1, recs);
	free(err);
	grv_buf_release(&b);
}

/* Resuming at a record boundary, as the state cache does. */
static void
test_seek(void)
{
	struct grv_csv_reader *r;
	struct grv_csv_row *row;
	static const char data[] = "h1,h2\nTS-1,a\nTS-2,b\nTS-3,c\n";
	uint64_t off3 = 0;
	char path[600];
	gzFile gz;

	put_file("seek.csv", data, sizeof(data) - 1);
	r = grv_csv_open(tmpdir, "seek.csv", GRV_CSV_LEDGER);
	while (grv_csv_next(r, &row) == 1)
		if (row->line == 3)
			off3 = row->off;
	grv_csv_close(r);
	IS(off3, 13, "seek: the third line starts at 13");
	r = grv_csv_open(tmpdir, "seek.csv", GRV_CSV_LEDGER);
	IS(grv_csv_seek(r, off3, 3), 0, "seek to line 3");
	IS(grv_csv_next(r, &row), 1, "seek: a record after the seek");
	STR(row->nf == 2 ? row->f[0] : NULL, "TS-2", "seek: it is line 3's");
	IS(row->line, 3, "seek: line number kept");
	IS(row->off, 13, "seek: offset kept");
	IS(row->end, 20, "seek: end");
	IS(grv_csv_next(r, &row), 1, "seek: the next one");
	IS(row->line, 4, "seek: line 4");
	IS(grv_csv_next(r, &row), 0, "seek: then the end");
	IS(grv_csv_seek(r, sizeof(data) - 1, 5), 0, "seek to the very end");
	IS(grv_csv_next(r, &row), 0, "seek: nothing there");
	grv_csv_close(r);

	snprintf(path, sizeof(path), "%s", tmp_path("seek.csv.gz"));
	gz = gzopen(path, "wb");
	gzwrite(gz, data, sizeof(data) - 1);
	gzclose(gz);
	r = grv_csv_open(tmpdir, "seek.csv.gz", GRV_CSV_LEDGER);
	IS(grv_csv_seek(r, off3, 3), -1, "seek: a gzip file cannot be "
	    "positioned");
	grv_csv_close(r);
}

static void
test_header_map(void)
{
	struct grv_csv_reader *r;
	struct grv_csv_row *row;
	static const char *const names[] = { "phone", "name", "missing", "id",
	    NULL };
	int idx[4];

	put_file("hdr.csv", "id,name,phone,extra\n", 20);
	r = grv_csv_open(tmpdir, "hdr.csv", GRV_CSV_INPUT);
	IS(grv_csv_next(r, &row), 1, "header map: header read");
	IS(grv_csv_header_map(row, names, idx), 3, "header map: 3 found");
	IS(idx[0], 2, "header map: phone is column 2");
	IS(idx[1], 1, "header map: name is column 1");
	IS(idx[2], -1, "header map: missing is -1");
	IS(idx[3], 0, "header map: id is column 0");
	grv_csv_close(r);
}

int
main(void)
{
	tmpdir = tmp_init("test-csv");
	test_escape_unit();
	test_roundtrip(GRV_CSV_ESCAPE, "esc.csv");
	test_roundtrip(0, "raw.csv");
	test_safe();
	test_input_mode();
	test_ledger_mode();
	test_malformed();
	test_gzip();
	test_seek();
	test_header_map();
	tmp_cleanup();
	return DONE();
}
