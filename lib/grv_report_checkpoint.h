/* grv_report_checkpoint.h: a report names the checkpoints of the ledgers
 * it was computed from. */
#ifndef GRV_REPORT_CHECKPOINT_H
#define GRV_REPORT_CHECKPOINT_H

#include "grv_buf.h"
#include "grv_ctx.h"

/*
 * When DIR/ledger/checkpoints holds checkpoints: OUT, a report written in
 * FMT (enum grv_fmt), gets the last checkpoint of each ledger: json
 * (an object) gains a first member "checkpoints": [{"origin", "size",
 * "root"}...];
 * table gets a blank line and a line "checkpoint ORIGIN SIZE ROOT" each;
 * csv and tsv stay as they are.  0, or an exit code after printing why
 * (a note that does not verify with masters/checkpoint.vkey is 65).
 */
int	 grv_report_checkpoints(const struct grv_ctx *, int fmt,
	    struct grv_buf *out);

#endif
