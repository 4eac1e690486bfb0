/* grv_csvw.c: writing CSV fields and rows (quoting by libcsv). */
#include <stdlib.h>
#include <string.h>

#include <csv.h>

#include "grv_csvw.h"

void
grv_csv_put(struct grv_buf *b, const char *s, size_t n, unsigned flags)
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
		/* Rebuild with the guard in front, then quote as usual. */
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

void
grv_csv_putrow(struct grv_buf *b, const char *const *f, size_t n,
    unsigned flags)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (i)
			grv_buf_addc(b, ',');
		grv_csv_put(b, f[i] ? f[i] : "", f[i] ? strlen(f[i]) : 0,
		    flags);
	}
	grv_buf_addc(b, '\n');
}

char *
grv_csv_unescape(const char *s)
{
	char *out = grv_malloc(strlen(s) + 1), *o = out;

	while (*s) {
		if (*s == '\\' && s[1]) {
			switch (s[1]) {
			case 'n':
				*o++ = '\n';
				s += 2;
				continue;
			case 'r':
				*o++ = '\r';
				s += 2;
				continue;
			case '\\':
				*o++ = '\\';
				s += 2;
				continue;
			}
		}
		*o++ = *s++;
	}
	*o = '\0';
	return out;
}
