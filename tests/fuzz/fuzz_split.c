/* fuzz_split: the reader's own field splitter (grv_csv_split, its fast
 * path) against libcsv, differentially: whenever the splitter answers, a
 * line parsed by libcsv as the reader does (strict, blanks kept, then a
 * line feed) must give the same fields, byte for byte. */
#include <stdlib.h>
#include <string.h>

#include <csv.h>

#include "fuzz.h"
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
	grv_buf_release(&tmp);
	return 0;
}
