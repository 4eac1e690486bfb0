/* fuzz_split: the reader's own field splitter (grv_csv_split, its fast
 * path) against libcsv, differentially: whenever the splitter answers, a
 * line parsed by libcsv as the reader does (strict, blanks kept, then a
 * line feed) must give the same fields, byte for byte.  And the threads'
 * splitter (grv_split_lines) over the whole input: every line it takes is
 * one grv_csv_split answers, with the same fields; the line it stops at is
 * one grv_csv_split leaves (or has a NUL, or no newline). */
#include <stdlib.h>
#include <string.h>

#include <csv.h>

#include "fuzz.h"
#include "grv_ahead.h"
#include "grv_buf.h"
#include "grv_csv.h"

struct fields {
	struct grv_buf	 b;		/* each field's bytes, then a 0x1f */
	size_t		 n;
	int		 records;
};

static int
no_space(unsigned char c)
{
	(void)c;
	return 0;
}

static void
cb_field(void *s, size_t n, void *arg)
{
	struct fields *f = arg;
	size_t len = n;

	grv_buf_add(&f->b, &len, sizeof(len));
	grv_buf_add(&f->b, s ? s : "", s ? n : 0);
	f->n++;
}

static void
cb_record(int c, void *arg)
{
	struct fields *f = arg;

	(void)c;
	f->records++;
}

/* grv_csv_split's fields of the line at S, or -1 when it leaves it. */
static int
split_one(const char *s, size_t len, struct grv_buf *tmp, struct fields *f)
{
	f->b.len = 0;
	f->n = 0;
	if (memchr(s, '\0', len))
		return -1;
	return grv_csv_split(s, len, tmp, cb_field, f);
}

static void
lines(const uint8_t *data, size_t size, struct grv_buf *tmp)
{
	static struct grv_lines o = GRV_LINES_INIT;
	struct fields want = { GRV_BUF_INIT, 0, 0 }, got = { GRV_BUF_INIT, 0, 0 };
	char *buf = malloc(size + 64);
	const char *nl, *s = (const char *)data;
	size_t end, i, j, at = 0;
	int stopped;

	memcpy(buf, data, size);
	memset(buf + size, 0, 64);
	end = grv_split_lines(buf, size, size, GRV_CSV_MAXREC, &o, &stopped);
	for (i = 0; i < o.nl; i++) {
		if (o.l[i].start != at)
			abort();	/* lines not back to back */
		if (split_one(s + at, o.l[i].len, tmp, &want) != (int)o.l[i].nf)
			abort();	/* took a line grv_csv_split leaves */
		got.b.len = 0;
		got.n = 0;
		for (j = 0; j < o.l[i].nf; j++) {
			if (o.f[o.l[i].f0 + j][o.flen[o.l[i].f0 + j]] != '\0')
				abort();
			cb_field(o.f[o.l[i].f0 + j], o.flen[o.l[i].f0 + j],
			    &got);
		}
		if (got.b.len != want.b.len ||
		    memcmp(got.b.s, want.b.s, got.b.len) != 0)
			abort();	/* different fields */
		at += o.l[i].len + 1;
	}
	if (end != at || stopped != (at < size))
		abort();
	if (stopped && (nl = memchr(s + at, '\n', size - at)) != NULL &&
	    (size_t)(nl - (s + at)) <= GRV_CSV_MAXREC &&
	    split_one(s + at, (size_t)(nl - (s + at)), tmp, &want) > 0)
		abort();	/* stopped at a line it could take */
	grv_buf_release(&want.b);
	grv_buf_release(&got.b);
	free(buf);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fields mine = { GRV_BUF_INIT, 0, 0 }, lib = { GRV_BUF_INIT, 0, 0 };
	struct grv_buf tmp = GRV_BUF_INIT;
	struct csv_parser p;
	const char *nl = memchr(data, '\n', size);
	size_t len = nl ? (size_t)(nl - (const char *)data) : size;
	int k;

	k = grv_csv_split((const char *)data, len, &tmp, cb_field, &mine);
	if (k >= 0) {
		if ((size_t)k != mine.n)
			abort();
		csv_init(&p, CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL |
		    CSV_REPALL_NL);
		csv_set_space_func(&p, no_space);
		if (csv_parse(&p, data, len, cb_field, cb_record, &lib) != len ||
		    csv_parse(&p, "\n", 1, cb_field, cb_record, &lib) != 1)
			abort();	/* the splitter took what libcsv refuses */
		if (lib.records != 1 || lib.n != mine.n ||
		    lib.b.len != mine.b.len ||
		    memcmp(lib.b.s, mine.b.s, mine.b.len) != 0)
			abort();	/* different fields */
		csv_free(&p);
	}
	grv_buf_release(&mine.b);
	grv_buf_release(&lib.b);
	lines(data, size, &tmp);
	grv_buf_release(&tmp);
	return 0;
}
