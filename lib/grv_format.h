/* grv_format.h: a small table model and its writers (csv, tsv, json, table). */
#ifndef GRV_FORMAT_H
#define GRV_FORMAT_H

#include <stddef.h>
#include <stdint.h>

#include "grv_buf.h"

enum grv_fmt { GRV_FMT_CSV, GRV_FMT_TSV, GRV_FMT_JSON, GRV_FMT_TABLE };

/* Writer flags. */
#define GRV_FMT_BOM	0x1	/* csv/tsv: begin with a UTF-8 byte-order mark */

enum grv_cell_type {
	GRV_CELL_NULL,		/* no value: empty, json null */
	GRV_CELL_STR,		/* text (from user data: always guarded) */
	GRV_CELL_INT,		/* integer */
	GRV_CELL_FIX2		/* fixed point, two decimals: v is hundredths */
};

struct grv_cell {
	int	 type;		/* enum grv_cell_type */
	int64_t	 v;
	char	*s;		/* GRV_CELL_STR: owned */
};

/*
 * Rows of cells under named columns.  Cells are added left to right, top
 * to bottom; a row is complete every NCOLS cells.
 */
struct grv_table {
	char		**cols;
	size_t		 ncols;
	struct grv_cell	*cells;
	size_t		 ncells, cap;
};
#define GRV_TABLE_INIT { NULL, 0, NULL, 0, 0 }

/* Set the columns from a NULL-terminated list of names. */
void	 grv_table_init(struct grv_table *, const char *const *cols);
void	 grv_table_str(struct grv_table *, const char *s);	/* NULL: null */
void	 grv_table_int(struct grv_table *, int64_t v);
void	 grv_table_fix2(struct grv_table *, int64_t hundredths);
void	 grv_table_null(struct grv_table *);
size_t	 grv_table_rows(const struct grv_table *);
void	 grv_table_release(struct grv_table *);

/* "csv", "tsv", "json", "table" -> enum grv_fmt, or -1. */
int	 grv_fmt_parse(const char *s);

/*
 * Append the table to OUT in FMT.  Every format guards text cells: one
 * starting with = + - @ gets a ' in front, so that no spreadsheet takes it
 * for a formula.  csv: RFC 4180 with a header row.  tsv: a header row,
 * tabs between cells, and \ tab LF CR in text written as \\ \t \n \r.
 * json: an array of objects keyed by column name, numbers as numbers, no
 * value as null.  table: columns aligned by display width (so Devanagari
 * lines up), numbers right-aligned, two spaces between columns.
 */
void	 grv_table_write(const struct grv_table *, int fmt, unsigned flags,
	    struct grv_buf *out);

/* S as a JSON string, quoted and escaped, not guarded. */
void	 grv_json_str(const char *s, struct grv_buf *out);

/* The cell's text as csv/tsv/table show it (guarded, unescaped): new string. */
char	*grv_cell_text(const struct grv_cell *);

#endif
