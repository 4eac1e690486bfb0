/* test_csv_fast.c: the reader's fast paths (grv_csv_split, and
 * grv_split_lines of the threads reading ahead) against libcsv.
 *
 * The same lines go to both splitters and to libcsv set up as the reader
 * sets it up (strict, blanks kept); wherever a splitter answers, libcsv
 * must give exactly one record with the same fields, byte for byte, and
 * the two splitters must answer the same lines.  Lines are random: quotes
 * in and out of place, commas, blanks, tabs, empty fields, backslashes,
 * Devanagari, CRs and NULs, and well-formed rows from the writer.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <csv.h>

#include "grv_ahead.h"
#include "grv_buf.h"
#include "grv_csv.h"
#include "grv_csvw.h"
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
	"2025-06-01T10:15:00+05:30", "=1+2", "-", "@", ";", "\xe0\xa4", "", "\r" };
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
	if (b->len && rnd(100) == 0)
		b->s[rnd((unsigned)b->len)] = '\0';
}

/*
 * grv_split_lines on LINE and its newline: -1 when it stopped at the line,
 * else its field count, the fields in F.
 */
static int
split_lines_one(const char *line, size_t len, struct fields *f)
{
	static struct grv_lines o = GRV_LINES_INIT;
	char *buf = malloc(len + 1 + 64);
	size_t end, i;
	int stopped, n = -1;

	memcpy(buf, line, len);
	buf[len] = '\n';
	memset(buf + len + 1, 'x', 64);	/* not part of it: never read as such */
	end = grv_split_lines(buf, len + 1, 1, GRV_CSV_MAXREC, &o, &stopped);
	if (!stopped && end == len + 1 && o.nl == 1 && o.l[0].start == 0 &&
	    o.l[0].len == len) {
		for (i = 0; i < o.l[0].nf; i++)
			cb_field(o.f[o.l[0].f0 + i], o.flen[o.l[0].f0 + i], f);
		n = (int)o.l[0].nf;
		for (i = 0; i < o.l[0].nf; i++)
			if (o.f[o.l[0].f0 + i][o.flen[o.l[0].f0 + i]] != '\0')
				n = -2;		/* not NUL-terminated */
	} else if (!stopped || end != 0 || o.nl != 0)
		n = -3;			/* neither answer nor a clean stop */
	free(buf);
	return n;
}

static int	 lines_bad;	/* grv_split_lines disagreed */

/* Compare the three on LINE; returns 1 when the splitter answered. */
static int
compare(const char *line, size_t len, int *bad)
{
	struct fields a, b, c;
	struct grv_buf tmp = GRV_BUF_INIT;
	int k, lk, sk, same, answered = 0;
	size_t i;

	memset(&a, 0, sizeof(a));
	memset(&b, 0, sizeof(b));
	memset(&c, 0, sizeof(c));
	k = grv_csv_split(line, len, &tmp, cb_field, &a);
	lk = libcsv_line(line, len, &b);
	sk = split_lines_one(line, len, &c);
	/* grv_split_lines answers the lines grv_csv_split answers, but for
	   a NUL (which a ledger refuses anyway), with the same fields. */
	same = sk >= 0 ? k == sk && !c.overflow && c.n == a.n :
	    sk == -1 && (k <= 0 || memchr(line, '\0', len));
	for (i = 0; same && sk >= 0 && i < c.n; i++)
		same = a.len[i] == c.len[i] &&
		    memcmp(a.s[i], c.s[i], a.len[i]) == 0;
	if (!same && lines_bad++ < 5)
		printf("# grv_split_lines differs on [%.*s]: %d fields, "
		    "grv_csv_split %d\n", (int)len, line, sk, k);
	fields_reset(&c);
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
	IS(lines_bad, 0, "chosen lines: the in-place splitter answers the "
	    "same lines with the same fields");
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
	IS(lines_bad, 0, "400000 random lines: the in-place splitter answers "
	    "the same lines with the same fields");
	OK(answered > 100000, "the splitter answers many lines itself "
	    "(%d of 400000)", answered);
	OK(quoted > 20000, "including lines with quoted fields (%d)", quoted);
	grv_buf_release(&line);
}

/* Whether grv_csv_split answers LINE, which has no NUL. */
static int
takes(const struct grv_buf *line, struct grv_buf *tmp)
{
	struct fields f;
	int k;

	if (line->len == 0 || memchr(line->s, '\0', line->len))
		return 0;
	memset(&f, 0, sizeof(f));
	k = grv_csv_split(line->s, line->len, tmp, cb_field, &f);
	fields_reset(&f);
	return k > 0;
}

/*
 * Many lines in one buffer, as a reading thread sees a chunk: it takes the
 * lines grv_csv_split would answer, in order, up to the first it would not
 * (or past LIM), each field where grv_csv_split puts it.
 */
static void
test_buffer(void)
{
	struct grv_buf line = GRV_BUF_INIT, all = GRV_BUF_INIT;
	struct grv_buf tmp = GRV_BUF_INIT;
	struct grv_lines o = GRV_LINES_INIT;
	size_t *starts = NULL, n, i, j, end, lim, want;
	int round, stopped, k, bad = 0, long_runs = 0;
	char *buf;

	for (round = 0; round < 3000; round++) {
		n = 1 + rnd(60);
		starts = realloc(starts, (n + 1) * sizeof(*starts));
		grv_buf_reset(&all);
		want = n;
		for (i = 0; i < n; i++) {
			/* Mostly lines the splitter takes. */
			do
				random_line(&line);
			while (rnd(8) && !takes(&line, &tmp));
			starts[i] = all.len;
			if (want == n && !takes(&line, &tmp))
				want = i;
			grv_buf_add(&all, line.s ? line.s : "", line.len);
			grv_buf_addc(&all, '\n');
		}
		starts[n] = all.len;
		lim = rnd(2) ? all.len : rnd((unsigned)all.len + 1);
		for (i = 0; i < want && starts[i] < lim; i++)
			;
		if (i < want) {
			want = i;
			stopped = 0;	/* ends at LIM, not at a bad line */
		} else
			stopped = want < n;
		long_runs += want > 30;
		buf = malloc(all.len + 64);
		memcpy(buf, all.s, all.len);
		memset(buf + all.len, 0, 64);
		k = stopped;
		end = grv_split_lines(buf, all.len, lim, GRV_CSV_MAXREC, &o,
		    &stopped);
		if (o.nl != want || end != starts[want] || (stopped != k &&
		    starts[want] < lim) || (k == 0 && stopped)) {
			if (bad++ < 5)
				printf("# buffer %d: %zu lines taken, want %zu "
				    "(end %zu, want %zu)\n", round, o.nl, want,
				    end, starts[want]);
			free(buf);
			continue;
		}
		for (i = 0; i < o.nl; i++) {
			struct fields f;

			memset(&f, 0, sizeof(f));
			grv_csv_split(all.s + starts[i], starts[i + 1] -
			    starts[i] - 1, &tmp, cb_field, &f);
			if (o.l[i].start != starts[i] || o.l[i].nf != f.n)
				bad++;
			for (j = 0; j < f.n && j < o.l[i].nf; j++)
				if (o.flen[o.l[i].f0 + j] != f.len[j] ||
				    memcmp(o.f[o.l[i].f0 + j], f.s[j],
				    f.len[j]) != 0)
					bad++;
			fields_reset(&f);
		}
		free(buf);
	}
	IS(bad, 0, "3000 buffers of lines: the in-place splitter takes the "
	    "lines up to the first it must leave, each with its fields");
	OK(long_runs > 100, "many of them long runs of good lines (%d)",
	    long_runs);
	grv_lines_release(&o);
	grv_buf_release(&line);
	grv_buf_release(&all);
	grv_buf_release(&tmp);
	free(starts);
}

int
main(void)
{
	test_cases();
	test_random();
	test_buffer();
	return DONE();
}
