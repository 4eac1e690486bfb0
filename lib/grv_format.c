/* grv_format.c: a small table model and its writers (csv, tsv, json, table). */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "grv_alloc.h"
#include "grv_buf.h"
#include "grv_csvw.h"
#include "grv_format.h"
#include "grv_utf8.h"

void
grv_table_init(struct grv_table *t, const char *const *cols)
{
	size_t i;

	memset(t, 0, sizeof(*t));
	while (cols[t->ncols])
		t->ncols++;
	t->cols = grv_calloc(t->ncols, sizeof(*t->cols));
	for (i = 0; i < t->ncols; i++)
		t->cols[i] = grv_strdup(cols[i]);
}

static struct grv_cell *
add(struct grv_table *t, int type)
{
	struct grv_cell *c;

	if (t->ncells == t->cap) {
		t->cap = t->cap ? t->cap * 2 : 64;
		t->cells = grv_reallocarray(t->cells, t->cap, sizeof(*t->cells));
	}
	c = &t->cells[t->ncells++];
	c->type = type;
	c->v = 0;
	c->s = NULL;
	return c;
}

void
grv_table_str(struct grv_table *t, const char *s)
{
	if (s == NULL)
		add(t, GRV_CELL_NULL);
	else
		add(t, GRV_CELL_STR)->s = grv_strdup(s);
}

void
grv_table_int(struct grv_table *t, int64_t v)
{
	add(t, GRV_CELL_INT)->v = v;
}

void
grv_table_fix2(struct grv_table *t, int64_t hundredths)
{
	add(t, GRV_CELL_FIX2)->v = hundredths;
}

void
grv_table_null(struct grv_table *t)
{
	add(t, GRV_CELL_NULL);
}

size_t
grv_table_rows(const struct grv_table *t)
{
	return t->ncols ? t->ncells / t->ncols : 0;
}

void
grv_table_release(struct grv_table *t)
{
	size_t i;

	for (i = 0; i < t->ncells; i++)
		free(t->cells[i].s);
	for (i = 0; i < t->ncols; i++)
		free(t->cols[i]);
	free(t->cells);
	free(t->cols);
	memset(t, 0, sizeof(*t));
}

int
grv_fmt_parse(const char *s)
{
	static const char *const names[] = { "csv", "tsv", "json", "table" };
	int i;

	for (i = 0; i < 4; i++)
		if (strcmp(s, names[i]) == 0)
			return i;
	return -1;
}

static int
unsafe(const char *s)
{
	return *s == '=' || *s == '+' || *s == '-' || *s == '@';
}

/* Text of a number cell. */
static void
number(const struct grv_cell *c, struct grv_buf *b)
{
	int64_t v = c->v;
	uint64_t a;

	if (c->type == GRV_CELL_INT) {
		grv_buf_printf(b, "%" PRId64, v);
		return;
	}
	a = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
	grv_buf_printf(b, "%s%" PRIu64 ".%02u", v < 0 ? "-" : "", a / 100,
	    (unsigned)(a % 100));
}

/* Text with \ tab LF CR escaped, guarded: tsv and table cells. */
static void
escaped(const char *s, struct grv_buf *b)
{
	if (unsafe(s))
		grv_buf_addc(b, '\'');
	for (; *s; s++) {
		switch (*s) {
		case '\\':
			grv_buf_adds(b, "\\\\");
			break;
		case '\t':
			grv_buf_adds(b, "\\t");
			break;
		case '\n':
			grv_buf_adds(b, "\\n");
			break;
		case '\r':
			grv_buf_adds(b, "\\r");
			break;
		default:
			grv_buf_addc(b, *s);
		}
	}
}

char *
grv_cell_text(const struct grv_cell *c)
{
	struct grv_buf b = GRV_BUF_INIT;

	grv_buf_adds(&b, "");
	if (c->type == GRV_CELL_STR)
		escaped(c->s, &b);
	else if (c->type != GRV_CELL_NULL)
		number(c, &b);
	return b.s;
}

static void
json_string(const char *s, struct grv_buf *b)
{
	char *g;

	if (!unsafe(s)) {
		grv_json_str(s, b);
		return;
	}
	g = grv_malloc(strlen(s) + 2);
	g[0] = '\'';
	strcpy(g + 1, s);
	grv_json_str(g, b);
	free(g);
}

void
grv_json_str(const char *s, struct grv_buf *b)
{
	grv_buf_addc(b, '"');
	for (; *s; s++) {
		unsigned char ch = (unsigned char)*s;

		if (ch == '"' || ch == '\\') {
			grv_buf_addc(b, '\\');
			grv_buf_addc(b, ch);
		} else if (ch == '\n')
			grv_buf_adds(b, "\\n");
		else if (ch == '\t')
			grv_buf_adds(b, "\\t");
		else if (ch == '\r')
			grv_buf_adds(b, "\\r");
		else if (ch < 0x20 || ch == 0x7f)
			grv_buf_printf(b, "\\u%04x", ch);
		else
			grv_buf_addc(b, ch);
	}
	grv_buf_addc(b, '"');
}

static void
write_csv(const struct grv_table *t, struct grv_buf *out)
{
	struct grv_buf tmp = GRV_BUF_INIT;
	const struct grv_cell *c;
	size_t i;

	grv_csv_putrow(out, (const char *const *)t->cols, t->ncols, 0);
	for (i = 0; i < t->ncells; i++) {
		c = &t->cells[i];
		if (c->type == GRV_CELL_STR)
			grv_csv_put(out, c->s, strlen(c->s), GRV_CSV_SAFE);
		else if (c->type != GRV_CELL_NULL) {
			grv_buf_reset(&tmp);
			number(c, &tmp);
			grv_buf_add(out, tmp.s, tmp.len);
		}
		grv_buf_addc(out, (i + 1) % t->ncols ? ',' : '\n');
	}
	grv_buf_release(&tmp);
}

static void
write_tsv(const struct grv_table *t, struct grv_buf *out)
{
	size_t i;
	char *s;

	for (i = 0; i < t->ncols; i++) {
		escaped(t->cols[i], out);
		grv_buf_addc(out, i + 1 < t->ncols ? '\t' : '\n');
	}
	for (i = 0; i < t->ncells; i++) {
		s = grv_cell_text(&t->cells[i]);
		grv_buf_adds(out, s);
		free(s);
		grv_buf_addc(out, (i + 1) % t->ncols ? '\t' : '\n');
	}
}

static void
write_json(const struct grv_table *t, struct grv_buf *out)
{
	const struct grv_cell *c;
	size_t i, col;

	grv_buf_addc(out, '[');
	for (i = 0; i < t->ncells; i++) {
		c = &t->cells[i];
		col = i % t->ncols;
		if (col == 0)
			grv_buf_adds(out, i ? ",\n{" : "\n{");
		else
			grv_buf_addc(out, ',');
		json_string(t->cols[col], out);
		grv_buf_addc(out, ':');
		if (c->type == GRV_CELL_STR)
			json_string(c->s, out);
		else if (c->type == GRV_CELL_NULL)
			grv_buf_adds(out, "null");
		else
			number(c, out);
		if (col + 1 == t->ncols)
			grv_buf_addc(out, '}');
	}
	grv_buf_adds(out, t->ncells ? "\n]\n" : "]\n");
}

static void
pad(struct grv_buf *b, size_t n)
{
	while (n-- > 0)
		grv_buf_addc(b, ' ');
}

static void
write_table(const struct grv_table *t, struct grv_buf *out)
{
	size_t nrows = grv_table_rows(t), *w, i, r, c, cw;
	char **txt;
	int *right;

	w = grv_calloc(t->ncols, sizeof(*w));
	right = grv_calloc(t->ncols, sizeof(*right));
	txt = grv_calloc(t->ncells ? t->ncells : 1, sizeof(*txt));
	for (c = 0; c < t->ncols; c++) {
		w[c] = grv_utf8_width(t->cols[c]);
		right[c] = nrows > 0;
	}
	for (i = 0; i < nrows * t->ncols; i++) {
		c = i % t->ncols;
		txt[i] = grv_cell_text(&t->cells[i]);
		if (t->cells[i].type == GRV_CELL_STR)
			right[c] = 0;
		if ((cw = grv_utf8_width(txt[i])) > w[c])
			w[c] = cw;
	}
	for (r = 0; r <= nrows; r++) {
		for (c = 0; c < t->ncols; c++) {
			const char *s = r ? txt[(r - 1) * t->ncols + c] :
			    t->cols[c];
			size_t sw = grv_utf8_width(s);

			if (c)
				grv_buf_adds(out, "  ");
			if (right[c])
				pad(out, w[c] - sw);
			grv_buf_adds(out, s);
			if (!right[c] && c + 1 < t->ncols)
				pad(out, w[c] - sw);
		}
		while (out->len > 0 && out->s[out->len - 1] == ' ')
			out->s[--out->len] = '\0';
		grv_buf_addc(out, '\n');
	}
	for (i = 0; i < nrows * t->ncols; i++)
		free(txt[i]);
	free(txt);
	free(right);
	free(w);
}

void
grv_table_write(const struct grv_table *t, int fmt, unsigned flags,
    struct grv_buf *out)
{
	if ((flags & GRV_FMT_BOM) && (fmt == GRV_FMT_CSV || fmt == GRV_FMT_TSV))
		grv_buf_adds(out, "\xef\xbb\xbf");
	switch (fmt) {
	case GRV_FMT_CSV:
		write_csv(t, out);
		break;
	case GRV_FMT_TSV:
		write_tsv(t, out);
		break;
	case GRV_FMT_JSON:
		write_json(t, out);
		break;
	default:
		write_table(t, out);
	}
}
