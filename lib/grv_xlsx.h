/* grv_xlsx.h: reports as an Excel workbook (libxlsxwriter), for the
 * analysts who live in spreadsheets.  Only grv-report links it. */
#ifndef GRV_XLSX_H
#define GRV_XLSX_H

#include <stddef.h>

#include "grv_format.h"
#include "grv_report_head.h"

/*
 * Write a workbook of N sheets, sheet I named NAMES[I] holding T[I] (a
 * header row, frozen, then the rows; columns sized to their widest cell;
 * integers and two-decimal figures as numbers, the latter shown "0.00";
 * text as text cells, never formulas), and a last sheet "about" with the
 * head's title, from, to and now, to the descriptor FD.  Returns 0, or an
 * exit code after printing why.
 */
int	 grv_xlsx_write(const struct grv_report_head *, const char *const *names,
	    const struct grv_table *const *t, size_t n, int fd);

#endif
