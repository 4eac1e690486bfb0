/* grv_xlsx.c: reports as an Excel workbook (libxlsxwriter).
 *
 * libxlsxwriter 1.1.4 (Debian 12) writes to a named file only: the
 * workbook is written to a private temporary file (mkstemp under TMPDIR,
 * else /tmp), copied to the descriptor, then removed.
 *
 * The library is loaded with dlopen the first time a workbook is written,
 * not linked: linked, it and the libcrypto and libminizip under it were
 * loaded and relocated by every run of grv-report, whatever its format.
 * <xlsxwriter.h> still gives the types, and each function is called
 * through a pointer of its own prototype's type, so every call is checked
 * as a direct one would be.  GRV_XLSX_SONAME (the soname of the library
 * the build found) and GRV_XLSX_PACKAGE (the Debian package shipping it)
 * come from the Makefile. */
#include <dlfcn.h>
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

#if !defined(GRV_XLSX_SONAME) || !defined(GRV_XLSX_PACKAGE)
#error "GRV_XLSX_SONAME and GRV_XLSX_PACKAGE: the Makefile defines them"
#endif

/* The functions of libxlsxwriter this file calls. */
#define XLSX_FUNCS(X) \
	X(workbook_new) X(workbook_add_worksheet) X(workbook_add_format) \
	X(workbook_close) X(worksheet_write_string) X(worksheet_write_number) \
	X(worksheet_set_column) X(worksheet_freeze_panes) X(format_set_bold) \
	X(format_set_num_format) X(lxw_strerror)

static struct {
#define X(f) __typeof__(&f) f;
	XLSX_FUNCS(X)
#undef X
} xl;

int
grv_xlsx_load(void)
{
	static int rc = -1;
	void *h;

	if (rc != -1)
		return rc;
	if ((h = dlopen(GRV_XLSX_SONAME, RTLD_NOW | RTLD_LOCAL)) == NULL) {
		grv_err("--format xlsx: cannot load libxlsxwriter (install "
		    "the package %s): %s", GRV_XLSX_PACKAGE, dlerror());
		return rc = GRV_EX_UNAVAILABLE;
	}
#define X(f) \
	if ((xl.f = (__typeof__(xl.f))dlsym(h, #f)) == NULL) { \
		grv_err("--format xlsx: %s has no function '%s' (install " \
		    "the package %s)", GRV_XLSX_SONAME, #f, GRV_XLSX_PACKAGE); \
		memset(&xl, 0, sizeof(xl)); \
		dlclose(h); \
		return rc = GRV_EX_UNAVAILABLE; \
	}
	XLSX_FUNCS(X)
#undef X
	return rc = 0;
}

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
	lxw_worksheet *ws = xl.workbook_add_worksheet(wb, name);
	size_t nrows = grv_table_rows(t), r, k, w;
	const struct grv_cell *c;

	for (k = 0; k < t->ncols; k++) {
		xl.worksheet_write_string(ws, 0, (lxw_col_t)k, t->cols[k],
		    head);
		w = grv_utf8_width(t->cols[k]);
		for (r = 0; r < nrows; r++)
			if ((c = &t->cells[r * t->ncols + k]), shown(c) > w)
				w = shown(c);
		xl.worksheet_set_column(ws, (lxw_col_t)k, (lxw_col_t)k,
		    (double)(w < 60 ? w : 60) + 2, NULL);
	}
	for (r = 0; r < nrows; r++)
		for (k = 0; k < t->ncols; k++) {
			c = &t->cells[r * t->ncols + k];
			if (c->type == GRV_CELL_STR)
				xl.worksheet_write_string(ws, (lxw_row_t)r + 1,
				    (lxw_col_t)k, c->s, NULL);
			else if (c->type == GRV_CELL_INT)
				xl.worksheet_write_number(ws, (lxw_row_t)r + 1,
				    (lxw_col_t)k, (double)c->v, NULL);
			else if (c->type == GRV_CELL_FIX2)
				xl.worksheet_write_number(ws, (lxw_row_t)r + 1,
				    (lxw_col_t)k, (double)c->v / 100, fix2);
		}
	xl.worksheet_freeze_panes(ws, 1, 0);
}

/* The about sheet: what the workbook covers. */
static void
about(lxw_workbook *wb, const struct grv_report_head *h, lxw_format *head)
{
	lxw_worksheet *ws = xl.workbook_add_worksheet(wb, "about");
	struct grv_buf title = GRV_BUF_INIT;
	char ts[3][GRV_TSLEN];
	int i;

	grv_report_title(h, &title);
	grv_time_format(h->from, h->tz, ts[0]);
	grv_time_format(h->to, h->tz, ts[1]);
	grv_time_format(h->now, h->tz, ts[2]);
	xl.worksheet_write_string(ws, 0, 0, "report", head);
	xl.worksheet_write_string(ws, 0, 1, "from", head);
	xl.worksheet_write_string(ws, 0, 2, "to", head);
	xl.worksheet_write_string(ws, 0, 3, "now", head);
	xl.worksheet_write_string(ws, 0, 4, "title", head);
	xl.worksheet_write_string(ws, 1, 0, h->kind, NULL);
	for (i = 0; i < 3; i++)
		xl.worksheet_write_string(ws, 1, (lxw_col_t)(i + 1), ts[i],
		    NULL);
	xl.worksheet_write_string(ws, 1, 4, title.s, NULL);
	xl.worksheet_set_column(ws, 0, 0, 12, NULL);
	xl.worksheet_set_column(ws, 1, 3, 27, NULL);
	xl.worksheet_set_column(ws, 4, 4, (double)grv_utf8_width(title.s) + 2,
	    NULL);
	xl.worksheet_freeze_panes(ws, 1, 0);
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
	int tmp, rc;

	if ((rc = grv_xlsx_load()) != 0)
		return rc;
	snprintf(path, sizeof(path), "%s/grv-report-XXXXXX",
	    dir && *dir ? dir : "/tmp");
	if ((tmp = mkstemp(path)) == -1) {
		grv_err("%s: %s", path, strerror(errno));
		return GRV_EX_CANTCREAT;
	}
	if ((wb = xl.workbook_new(path)) == NULL) {
		grv_err("%s: cannot start the workbook", path);
		close(tmp);
		unlink(path);
		return GRV_EX_CANTCREAT;
	}
	head = xl.workbook_add_format(wb);
	xl.format_set_bold(head);
	fix2 = xl.workbook_add_format(wb);
	xl.format_set_num_format(fix2, "0.00");
	for (i = 0; i < n; i++)
		sheet(wb, names[i], t[i], head, fix2);
	about(wb, h, head);
	if ((err = xl.workbook_close(wb)) != LXW_NO_ERROR) {
		grv_err("%s: %s", path, xl.lxw_strerror(err));
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
