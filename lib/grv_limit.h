/* grv_limit.h: the per-phone limits of intake (SPEC 7.3,
 * max_per_phone_day and max_per_phone_month). */
#ifndef GRV_LIMIT_H
#define GRV_LIMIT_H

#include "grv_ctx.h"
#include "grv_intake.h"
#include "grv_ledger.h"

/*
 * Refuse every new complaint of B (not a key's repeat) that would be one
 * more than max_per_phone_day registered from its phone on its registered
 * day (local to the conf's tz), or than max_per_phone_month in its
 * calendar month, counting the complaints of the ledger LG (locked) and
 * the earlier new complaints of B: each is named, "WHERE: field 'phone':
 * ... already: ID ID ...", its phone masked.  Reads every file of the
 * ledger when a limit is set.  Returns 0, the number refused as
 * GRV_EX_DATAERR with *NREFUSED set, or an exit code (printed).
 */
int	 grv_limit_check(const struct grv_ctx *, const struct grv_ledger *,
	    struct grv_intake_batch *, size_t *nrefused);

#endif
