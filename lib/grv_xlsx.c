/* grv_xlsx.c: reports as an Excel workbook (libxlsxwriter).
 *
 * libxlsxwriter 1.1.4 (Debian 12) writes to a named file only: the
 * workbook is written to a private temporary file (mkstemp under TMPDIR,
 * else /tmp), copied to the descriptor, then removed. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <xlsxwriter.h>

#include "grv_alloc.h"
#include "grv_file.h"
#include "grv_msg.h"
#include "grv_utf8.h"
#include "grv_xlsx.h"

/* Width in characters of what a cell shows. */
static size_t
shown(const struct grv_cell *c)
{
	char *s = grv_cell_text(c);
	size_t w = grv_utf8_width(s);

	free(s);
	return w;
}

static void
sheet(lxw_workbook *wb, const char *name, const struct grv_table *t,
    lxw_format *head, lxw_format *fix2)
{
	lxw_worksheet *ws = workbook_add_worksheet(wb, name);
	size_t nrows = grv_table_rows(t), r, k, w;
	const struct grv_cell *c;

	for (k = 0; k < t->ncols; k++) {
		worksheet_write_string(ws, 0, (lxw_col_t)k, t->cols[k], head);
		w = grv_utf8_width(t->cols[k]);
		for (r = 0; r < nrows; r++)
			if ((c = &t->cells[r * t->ncols + k]), shown(c) > w)
				w = shown(c);
		worksheet_set_column(ws, (lxw_col_t)k, (lxw_col_t)k,
		    (double)(w < 60 ? w : 60) + 2, NULL);
	}
	for (r = 0; r < nrows; r++)
		for (k = 0; k < t->ncols; k++) {
			c = &t->cells[r * t->ncols + k];
			if (c->type == GRV_CELL_STR)
				worksheet_write_string(ws, (lxw_row_t)r + 1,
				    (lxw_col_t)k, c->s, NULL);
			else if (c->type == GRV_CELL_INT)
				worksheet_write_number(ws, (lxw_row_t)r + 1,
				    (lxw_col_t)k, (double)c->v, NULL);
			else if (c->type == GRV_CELL_FIX2)
				worksheet_write_number(ws, (lxw_row_t)r + 1,
				    (lxw_col_t)k, (double)c->v / 100, fix2);
		}
	worksheet_freeze_panes(ws, 1, 0);
}

/* The about sheet: what the workbook covers. */
static void
about(lxw_workbook *wb, const struct grv_report_head *h, lxw_format *head)
{
	lxw_worksheet *ws = workbook_add_worksheet(wb, "about");
	struct grv_buf title = GRV_BUF_INIT;
	char ts[3][GRV_TSLEN];
	int i;

	grv_report_title(h, &title);
	grv_time_format(h->from, h->tz, ts[0]);
	grv_time_format(h->to, h->tz, ts[1]);
	grv_time_format(h->now, h->tz, ts[2]);
	worksheet_write_string(ws, 0, 0, "report", head);
	worksheet_write_string(ws, 0, 1, "from", head);
	worksheet_write_string(ws, 0, 2, "to", head);
	worksheet_write_string(ws, 0, 3, "now", head);
	worksheet_write_string(ws, 0, 4, "title", head);
	worksheet_write_string(ws, 1, 0, h->kind, NULL);
	for (i = 0; i < 3; i++)
		worksheet_write_string(ws, 1, (lxw_col_t)(i + 1), ts[i], NULL);
	worksheet_write_string(ws, 1, 4, title.s, NULL);
	worksheet_set_column(ws, 0, 0, 12, NULL);
	worksheet_set_column(ws, 1, 3, 27, NULL);
	worksheet_set_column(ws, 4, 4, (double)grv_utf8_width(title.s) + 2,
	    NULL);
	worksheet_freeze_panes(ws, 1, 0);
	grv_buf_release(&title);
}

int
grv_xlsx_write(const struct grv_report_head *h, const char *const *names,
    const struct grv_table *const *t, size_t n, int fd)
{
	const char *dir = getenv("TMPDIR");
	char path[4096], buf[65536];
	lxw_workbook *wb;
	lxw_format *head, *fix2;
	lxw_error err;
	ssize_t got;
	size_t i;
	int tmp, rc = 0;

	snprintf(path, sizeof(path), "%s/grv-report-XXXXXX",
	    dir && *dir ? dir : "/tmp");
	if ((tmp = mkstemp(path)) == -1) {
		grv_err("%s: %s", path, strerror(errno));
		return GRV_EX_CANTCREAT;
	}
	if ((wb = workbook_new(path)) == NULL) {
		grv_err("%s: cannot start the workbook", path);
		close(tmp);
		unlink(path);
		return GRV_EX_CANTCREAT;
	}
	head = workbook_add_format(wb);
	format_set_bold(head);
	fix2 = workbook_add_format(wb);
	format_set_num_format(fix2, "0.00");
	for (i = 0; i < n; i++)
		sheet(wb, names[i], t[i], head, fix2);
	about(wb, h, head);
	if ((err = workbook_close(wb)) != LXW_NO_ERROR) {
		grv_err("%s: %s", path, lxw_strerror(err));
		rc = GRV_EX_IOERR;
	}
	while (rc == 0 && (got = read(tmp, buf, sizeof(buf))) != 0) {
		if (got < 0 || grv_write_all(fd, buf, (size_t)got) != 0) {
			grv_err("writing the workbook: %s", strerror(errno));
			rc = GRV_EX_IOERR;
		}
	}
	close(tmp);
	unlink(path);
	return rc;
}
