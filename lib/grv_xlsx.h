/* grv_xlsx.h: reports as an Excel workbook (libxlsxwriter), for the
 * analysts who live in spreadsheets.  Only grv-report uses it, and it
 * loads libxlsxwriter (dlopen) only when a workbook is written. */
#ifndef GRV_XLSX_H
#define GRV_XLSX_H

#include <stddef.h>

#include "grv_format.h"
#include "grv_report_head.h"

/*
 * Load libxlsxwriter, once.  Returns 0, or GRV_EX_UNAVAILABLE after
 * printing why (naming the library and the package to install) on the
 * first call; later calls return the first one's result and print
 * nothing.  grv_xlsx_write calls it; call it earlier to fail before a
 * long report is computed.
 */
int	 grv_xlsx_load(void);

/*
 * Write a workbook of N sheets, sheet I named NAMES[I] holding T[I] (a
 * header row, frozen, then the rows; columns sized to their widest cell;
 * integers and two-decimal figures as numbers, the latter shown "0.00";
 * text as text cells, never formulas), and a last sheet "about" with the
 * head's title, from, to and now, to the descriptor FD.  Returns 0, or an
 * exit code after printing why (GRV_EX_UNAVAILABLE: libxlsxwriter cannot
 * be loaded; nothing was written then).
 */
int	 grv_xlsx_write(const struct grv_report_head *, const char *const *names,
	    const struct grv_table *const *t, size_t n, int fd);

#endif
