/* test_csv_fast.c: the reader's fast path (grv_csv_split) against libcsv.
 *
 * The same lines go to grv_csv_split and to libcsv set up as the reader
 * sets it up (strict, blanks kept); wherever the splitter answers, libcsv
 * must give exactly one record with the same fields, byte for byte.  Lines
 * are random: quotes in and out of place, commas, blanks, tabs, empty
 * fields, backslashes, Devanagari, and well-formed rows from the writer.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <csv.h>

#include "grv_csv.h"
#include "unit.h"

struct fields {
	size_t	 n;
	char	*s[64];
	size_t	 len[64];
	int	 records;
	int	 overflow;
};

static void
fields_reset(struct fields *f)
{
	size_t i;

	for (i = 0; i < f->n; i++)
		free(f->s[i]);
	memset(f, 0, sizeof(*f));
}

static void
cb_field(void *s, size_t n, void *data)
{
	struct fields *f = data;

	if (f->n == 64) {
		f->overflow = 1;
		return;
	}
	f->s[f->n] = malloc(n + 1);
	if (n)
		memcpy(f->s[f->n], s, n);
	f->s[f->n][n] = '\0';
	f->len[f->n++] = n;
}

static void
cb_record(int c, void *data)
{
	(void)c;
	((struct fields *)data)->records++;
}

static int
no_space(unsigned char c)
{
	(void)c;
	return 0;
}

/* libcsv as grv_csv_open sets it up, over LINE and its newline: 0 when it
   parsed, -1 on a parse error. */
static int
libcsv_line(const char *line, size_t len, struct fields *f)
{
	struct csv_parser p;
	int rc = 0;

	csv_init(&p, CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL |
	    CSV_REPALL_NL);
	csv_set_space_func(&p, no_space);
	if (csv_parse(&p, line, len, cb_field, cb_record, f) != len ||
	    csv_parse(&p, "\n", 1, cb_field, cb_record, f) != 1)
		rc = -1;
	csv_free(&p);
	return rc;
}

static uint64_t rng = 0x9e3779b97f4a7c15ULL;

static unsigned
rnd(unsigned n)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (unsigned)(rng % n);
}

static const char *const atoms[] = { "a", "HP-12", ",", ",", ",", "\"",
	"\"\"", " ", "\t", "राम", "शर्मा, गाँव", "\\", "\\n", "x\"y", "''",
	"2025-06-01T10:15:00+05:30", "=1+2", "-", "@", ";", "\xe0\xa4", "" };
#define NATOMS (sizeof(atoms) / sizeof(atoms[0]))

/* A random line: raw atoms, or fields written by grv_csv_put. */
static void
random_line(struct grv_buf *b)
{
	struct grv_buf fld = GRV_BUF_INIT;
	unsigned i, j, n = rnd(14);

	grv_buf_reset(b);
	if (rnd(2)) {
		for (i = 0; i < n; i++)
			grv_buf_adds(b, atoms[rnd(NATOMS)]);
		return;
	}
	for (i = 0; i <= n; i++) {
		grv_buf_reset(&fld);
		for (j = rnd(4); j > 0; j--)
			grv_buf_adds(&fld, atoms[rnd(NATOMS)]);
		if (i)
			grv_buf_addc(b, ',');
		grv_csv_put(b, fld.s ? fld.s : "", fld.len, GRV_CSV_ESCAPE);
	}
	grv_buf_release(&fld);
}

/* Compare the two on LINE; returns 1 when the splitter answered. */
static int
compare(const char *line, size_t len, int *bad)
{
	struct fields a, b;
	struct grv_buf tmp = GRV_BUF_INIT;
	int k, lk, same, answered = 0;
	size_t i;

	memset(&a, 0, sizeof(a));
	memset(&b, 0, sizeof(b));
	k = grv_csv_split(line, len, &tmp, cb_field, &a);
	lk = libcsv_line(line, len, &b);
	if (k > 0) {
		answered = 1;
		same = lk == 0 && b.records == 1 && !a.overflow &&
		    !b.overflow && (size_t)k == a.n && a.n == b.n;
		for (i = 0; same && i < a.n; i++)
			same = a.len[i] == b.len[i] &&
			    memcmp(a.s[i], b.s[i], a.len[i]) == 0;
		if (!same && (*bad)++ < 5) {
			printf("# differs on [%.*s]: split %d fields, libcsv "
			    "%zu fields (%s, %d records)\n", (int)len, line, k,
			    b.n, lk ? "error" : "ok", b.records);
			for (i = 0; i < a.n || i < b.n; i++)
				printf("#   %zu: [%s] [%s]\n", i,
				    i < a.n ? a.s[i] : "-",
				    i < b.n ? b.s[i] : "-");
		}
	}
	fields_reset(&a);
	fields_reset(&b);
	grv_buf_release(&tmp);
	return answered;
}

static void
test_cases(void)
{
	static const char *const lines[] = { "a,b,c", "a,,c", ",", ",,",
	    "a,", ",a", " a , b ", "\"a,b\",c", "\"\"", "\"\",\"\"",
	    "\"say \"\"hi\"\"\",x", "x,\"तेरा, मेरा\"", "\"a\"b", "a\"b",
	    "\"a", "\"a\" ", " \"a\"", "\"a\"\"", "\t", "\"\"\"\"",
	    "a,\"\"\"\",b" };
	struct grv_buf tmp = GRV_BUF_INIT;
	struct fields f;
	size_t i;
	int bad = 0, answered = 0;

	for (i = 0; i < sizeof(lines) / sizeof(lines[0]); i++)
		answered += compare(lines[i], strlen(lines[i]), &bad);
	IS(bad, 0, "chosen lines: the splitter agrees with libcsv wherever "
	    "it answers");
	IS(answered, 15, "chosen lines: the splitter answers the well-formed "
	    "ones and leaves the rest to libcsv");
	memset(&f, 0, sizeof(f));
	IS(grv_csv_split("a\"b", 3, &tmp, cb_field, &f), -1,
	    "a quote inside an unquoted field is left to libcsv");
	fields_reset(&f);
	IS(grv_csv_split("\"a\"x", 4, &tmp, cb_field, &f), -1,
	    "text after a closing quote is left to libcsv");
	fields_reset(&f);
	IS(grv_csv_split("\"open,field", 11, &tmp, cb_field, &f), -1,
	    "a quoted field running past the line is left to libcsv");
	fields_reset(&f);
	IS(grv_csv_split("", 0, &tmp, cb_field, &f), -1,
	    "an empty line is left to libcsv");
	fields_reset(&f);
	IS(grv_csv_split("a\rb", 3, &tmp, cb_field, &f), -1,
	    "a carriage return is left to libcsv");
	fields_reset(&f);
	IS(grv_csv_split("\"x\"\"y\",,z", 9, &tmp, cb_field, &f), 3,
	    "a quoted field with a doubled quote, an empty field, a third");
	OK(f.n == 3 && strcmp(f.s[0], "x\"y") == 0 && f.len[1] == 0 &&
	    strcmp(f.s[2], "z") == 0, "their bytes");
	fields_reset(&f);
	grv_buf_release(&tmp);
}

static void
test_random(void)
{
	struct grv_buf line = GRV_BUF_INIT;
	int i, bad = 0, answered = 0, quoted = 0;

	for (i = 0; i < 400000; i++) {
		random_line(&line);
		if (compare(line.s ? line.s : "", line.len, &bad)) {
			answered++;
			quoted += memchr(line.s, '"', line.len) != NULL;
		}
	}
	IS(bad, 0, "400000 random lines: every field the splitter gives is "
	    "libcsv's, byte for byte");
	OK(answered > 100000, "the splitter answers many lines itself "
	    "(%d of 400000)", answered);
	OK(quoted > 20000, "including lines with quoted fields (%d)", quoted);
	grv_buf_release(&line);
}

int
main(void)
{
	test_cases();
	test_random();
	return DONE();
}
