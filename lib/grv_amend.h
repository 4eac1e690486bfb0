/* grv_amend.h: correcting a complaint's place or category, and placing it
 * again with the officer the corrected field makes responsible. */
#ifndef GRV_AMEND_H
#define GRV_AMEND_H

#include <stddef.h>
#include <stdint.h>

#include "grv_write.h"

/*
 * Amend complaint ID's FIELD (GRV_R_LOC or GRV_R_CATEGORY) to CODE (an
 * index into the masters) for REASON, in W's append (SPEC 7.2): the
 * `amend` row, then, for a placed complaint, the re-placement it implies
 * at its current level and with a fresh due: a `transfer` when a new
 * category belongs to another department (the limit of 3 transfers
 * holds), else a `move`.  A new complaint is only amended: grv-route
 * places it by the corrected field.  Sets NE[0] (the amend) and NE[1]
 * (the placement, when *K is 2): *K rows added.  Returns 0, or after
 * saying why: GRV_EX_DATAERR (not new or open, unchanged, no officer
 * there, a due that cannot be written), GRV_EX_USAGE (a role's refusal).
 */
/* Queue in W the amend row of complaint N's FIELD to CODE, into NE. */
void	 grv_amend_add(struct grv_writer *w, uint32_t n, int field, int code,
	    struct grv_newevent *ne);

int	 grv_amend(struct grv_writer *w, const char *id, int field, int code,
	    const char *reason, struct grv_newevent ne[2], size_t *k);

#endif
