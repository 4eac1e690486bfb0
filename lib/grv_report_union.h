/* grv_report_union.h: one grading over several data directories (a state
 * cell over its districts' machines, a national one over states). */
#ifndef GRV_REPORT_UNION_H
#define GRV_REPORT_UNION_H

#include "grv_ctx.h"
#include "grv_format.h"
#include "grv_report.h"

/*
 * Add T, a grading or districts table of one directory, to ACC (a
 * GRV_TABLE_INIT table the first time): rows of the same code (the first
 * column) have their counts n .. unattended summed, a new code is added
 * with its name.
 */
void	 grv_union_add(struct grv_table *acc, const struct grv_table *t);

/*
 * ACC's rows scored, grouped and ranked again by G (as grv_report_run
 * does: group, rank within it, rank_state when ACC has that column),
 * into OUT, keeping only the row of code ONLY when it is not NULL.
 */
void	 grv_union_grade(const struct grv_grading *g,
	    const struct grv_table *acc, const char *only,
	    struct grv_table *out);

/*
 * KIND grading or districts over the union of NCTX directories: each
 * folded by grv_report_run with the complaint filters (--district for
 * grading, --dept for districts, codes looked up in each directory's
 * masters), the counts summed by code, then graded by G and the row filter
 * applied.  Two directories of one node are refused.  Returns 0, or an
 * exit code after printing why.
 */
int	 grv_union_run(const struct grv_ctx *const *ctx, size_t nctx,
	    const struct grv_grading *g, const struct grv_report_opts *o,
	    const char *dept, const char *district, struct grv_table *out);

#endif
