/* test_csvw.c: the CSV writer (grv_csv_put, grv_csv_putrow) against the
 * writer it replaced, which escaped, guarded, then let libcsv's csv_write
 * quote.  Random fields of commas, quotes, line breaks, backslashes,
 * guard characters, Devanagari and NUL bytes, under every flag, must give
 * the same bytes; so must the rows, and a buffer that already holds text.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <csv.h>

#include "grv_buf.h"
#include "grv_csvw.h"
#include "unit.h"

/* The writer as it was (lib/grv_csvw.c before the one-pass writer). */
static void
ref_put(struct grv_buf *b, const char *s, size_t n, unsigned flags)
{
	struct grv_buf esc = GRV_BUF_INIT;
	const char *src = s;
	size_t i, need;
	int quote = 0;

	if ((flags & GRV_CSV_ESCAPE) &&
	    (memchr(s, '\\', n) || memchr(s, '\n', n) || memchr(s, '\r', n))) {
		for (i = 0; i < n; i++) {
			switch (s[i]) {
			case '\\':
				grv_buf_add(&esc, "\\\\", 2);
				break;
			case '\n':
				grv_buf_add(&esc, "\\n", 2);
				break;
			case '\r':
				grv_buf_add(&esc, "\\r", 2);
				break;
			default:
				grv_buf_addc(&esc, s[i]);
			}
		}
		src = esc.s;
		n = esc.len;
	}
	if ((flags & GRV_CSV_SAFE) && n > 0 && (src[0] == '=' ||
	    src[0] == '+' || src[0] == '-' || src[0] == '@')) {
		struct grv_buf g = GRV_BUF_INIT;

		grv_buf_addc(&g, '\'');
		grv_buf_add(&g, src, n);
		grv_buf_release(&esc);
		esc = g;
		src = esc.s;
		n = esc.len;
	}
	for (i = 0; i < n; i++)
		if (src[i] == ',' || src[i] == '"' || src[i] == '\n' ||
		    src[i] == '\r') {
			quote = 1;
			break;
		}
	if (!quote) {
		grv_buf_add(b, src, n);
	} else {
		need = csv_write(NULL, 0, src, n);
		grv_buf_grow(b, need);
		csv_write(b->s + b->len, need, src, n);
		b->len += need;
		b->s[b->len] = '\0';
	}
	grv_buf_release(&esc);
}

static void
ref_putrow(struct grv_buf *b, const char *const *f, size_t n,
    unsigned flags)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (i)
			grv_buf_addc(b, ',');
		ref_put(b, f[i] ? f[i] : "", f[i] ? strlen(f[i]) : 0, flags);
	}
	grv_buf_addc(b, '\n');
}

static uint64_t rng = 0x2545f4914f6cdd1dULL;

static unsigned
rnd(unsigned n)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (unsigned)(rng % n);
}

static const char *const atoms[] = { "a", "plain text", ",", "\"", "\"\"",
	"\n", "\r", "\r\n", "\\", "\\n", "=", "+", "-", "@", "'", " ", "\t",
	"राम", "शर्मा, गाँव", "\xe0\xa4", "2026-01-02T10:00:00+05:30", "HP-1",
	";", "x\"y,z" };
#define NATOMS (sizeof(atoms) / sizeof(atoms[0]))

/* A random field into F (may hold NUL bytes). */
static void
random_field(struct grv_buf *f)
{
	unsigned j;

	grv_buf_reset(f);
	grv_buf_add(f, "", 0);
	for (j = rnd(6); j > 0; j--) {
		if (rnd(20) == 0)
			grv_buf_addc(f, rnd(2) ? '\0' : (int)(1 + rnd(255)));
		else
			grv_buf_adds(f, atoms[rnd(NATOMS)]);
	}
}

static int
same(const struct grv_buf *a, const struct grv_buf *b)
{
	return a->len == b->len && memcmp(a->s, b->s, a->len) == 0 &&
	    a->s[a->len] == '\0' && b->s[b->len] == '\0';
}

static void
show(const char *what, const struct grv_buf *in, const struct grv_buf *got,
    const struct grv_buf *want, unsigned flags)
{
	printf("# %s, flags %u: in '%.*s'\n#   got  '%.*s'\n#   want '%.*s'\n",
	    what, flags, (int)in->len, in->s, (int)got->len, got->s,
	    (int)want->len, want->s);
}

static void
test_fields(void)
{
	struct grv_buf f = GRV_BUF_INIT, a = GRV_BUF_INIT, b = GRV_BUF_INIT;
	unsigned flags, bad = 0, i;

	for (i = 0; i < 400000; i++) {
		flags = i % 4;
		random_field(&f);
		grv_buf_reset(&a);
		grv_buf_reset(&b);
		if (i % 3 == 0) {
			/* Into a buffer that already holds text. */
			grv_buf_adds(&a, "before,");
			grv_buf_adds(&b, "before,");
		}
		grv_csv_put(&a, f.s, f.len, flags);
		ref_put(&b, f.s, f.len, flags);
		if (!same(&a, &b)) {
			if (bad++ < 5)
				show("field", &f, &a, &b, flags);
		}
	}
	IS(bad, 0, "400000 random fields under each flag: the bytes of the "
	    "escape-guard-csv_write writer");
	grv_buf_release(&f);
	grv_buf_release(&a);
	grv_buf_release(&b);
}

static void
test_edges(void)
{
	static const char *const edge[] = { "", "=", "-", "\"", ",", "\n",
	    "\r", "\\", "'", "=\"", "-,", "@\n", "+\\", "\\\"", "\"\"\"",
	    "\n\r\\", "=-+@" };
	struct grv_buf a = GRV_BUF_INIT, b = GRV_BUF_INIT;
	unsigned flags, bad = 0;
	size_t i;

	for (flags = 0; flags < 4; flags++)
		for (i = 0; i < sizeof(edge) / sizeof(edge[0]); i++) {
			grv_buf_reset(&a);
			grv_buf_reset(&b);
			grv_csv_put(&a, edge[i], strlen(edge[i]), flags);
			ref_put(&b, edge[i], strlen(edge[i]), flags);
			if (!same(&a, &b))
				bad++;
		}
	IS(bad, 0, "the one- and two-byte edge fields under every flag");

	/* An empty field into an empty buffer still leaves a string. */
	grv_buf_release(&a);
	grv_csv_put(&a, "", 0, 0);
	OK(a.s != NULL && a.len == 0 && a.s[0] == '\0',
	    "an empty field makes the buffer an empty string");
	grv_buf_release(&a);
	grv_buf_release(&b);
}

/* One special byte at every place of a field 0 to 70 bytes long: the
   writer looks at sixteen bytes at a time, then at the rest one by one. */
static void
test_positions(void)
{
	static const char special[] = ",\"\n\r\\=+-@'x\xe0";
	struct grv_buf a = GRV_BUF_INIT, b = GRV_BUF_INIT;
	char f[72];
	unsigned flags, bad = 0, total = 0;
	size_t len, pos, k, k2;

	for (len = 1; len <= 70; len++)
		for (pos = 0; pos < len; pos++)
			for (k = 0; k < sizeof(special) - 1; k++)
				for (flags = 0; flags < 4; flags++) {
					memset(f, 'a', len);
					f[pos] = special[k];
					/* and a second one, further on */
					k2 = (k + pos) % (sizeof(special) - 1);
					if (pos + 17 < len)
						f[pos + 17] = special[k2];
					grv_buf_reset(&a);
					grv_buf_reset(&b);
					grv_csv_put(&a, f, len, flags);
					ref_put(&b, f, len, flags);
					bad += !same(&a, &b);
					total++;
				}
	IS(bad, 0, "%u fields with special bytes at every place up to 70: "
	    "the same bytes", total);
	grv_buf_release(&a);
	grv_buf_release(&b);
}

static void
test_rows(void)
{
	struct grv_buf fb[40], a = GRV_BUF_INIT, b = GRV_BUF_INIT;
	const char *f[40];
	unsigned flags, bad = 0, i, k, n;

	for (k = 0; k < 40; k++)
		fb[k] = (struct grv_buf)GRV_BUF_INIT;
	for (i = 0; i < 50000; i++) {
		flags = i % 4;
		/* Mostly ledger-sized rows; some past the writer's 32. */
		n = i % 10 == 0 ? 30 + rnd(11) : 1 + rnd(12);
		for (k = 0; k < n; k++) {
			random_field(&fb[k]);
			/* putrow takes C strings; NULL is an empty field. */
			f[k] = rnd(10) == 0 ? NULL : fb[k].s;
		}
		grv_buf_reset(&a);
		grv_buf_reset(&b);
		grv_csv_putrow(&a, f, n, flags);
		ref_putrow(&b, f, n, flags);
		if (!same(&a, &b))
			bad++;
	}
	IS(bad, 0, "50000 random rows of 1 to 12 and 30 to 40 fields: the "
	    "same bytes");
	for (k = 0; k < 40; k++)
		grv_buf_release(&fb[k]);
	grv_buf_release(&a);
	grv_buf_release(&b);
}

int
main(void)
{
	test_edges();
	test_positions();
	test_fields();
	test_rows();
	return DONE();
}
