/* grv_verify.h: what grv-verify checks: checkpoints against the ledgers,
 * the consistency of two checkpoints, one complaint's inclusion. */
#ifndef GRV_VERIFY_H
#define GRV_VERIFY_H

#include <stdio.h>

#include "grv_checkpoint.h"
#include "grv_ctx.h"

/*
 * Each checkpoint of CPS (signatures checked when they were read) against
 * the ledger its origin names: the ledger holds at least its size of rows
 * and the first size of them hash to its root.  "checkpoint,origin,size,
 * root,result" on OUT.  0, or 65 after naming each checkpoint the ledger
 * contradicts (and, when cache/ kept the leaves an earlier grv-checkpoint
 * saw, the first row that differs).
 */
int	 grv_verify_checkpoints(const struct grv_ctx *, const struct grv_cps *,
	    FILE *out);
/* The RFC 9162 consistency proof of OLD with NEW, from the ledger, after
   checking both against it. */
int	 grv_verify_proof(const struct grv_ctx *, const struct grv_cp *old,
	    const struct grv_cp *new_, FILE *out);
/* Check the proof in REL (as --proof printed it) of OLD with NEW, with
   nothing but the three: 0, or 65 after saying why. */
int	 grv_verify_check_proof(const char *rel, const struct grv_cp *old,
	    const struct grv_cp *new_, FILE *out);
/* The receipt of complaint ID: its complaint row and event rows, each with
   its inclusion proof in the last checkpoint of CPS for its ledger. */
int	 grv_verify_inclusion(const struct grv_ctx *, const struct grv_cps *,
	    const char *id, FILE *out);

#endif
