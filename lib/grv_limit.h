/* grv_limit.h: the per-phone limits of intake (SPEC 7.3,
 * max_per_phone_day and max_per_phone_month). */
#ifndef GRV_LIMIT_H
#define GRV_LIMIT_H

#include "grv_ctx.h"
#include "grv_intake.h"
#include "grv_ledger.h"

struct grv_hix;

/*
 * The earlier complaints of the phones (as registered) of B's new
 * complaints, not keys' repeats: their numbers and registration times,
 * from the phone index HX (cache/phone.bin, grv_hix.h) when it is given
 * and sound, else from every file of the ledger LG (locked, so that no
 * writer adds to it meanwhile).  0 with *OUT set (free it with
 * grv_phones_free), or an exit code (printed).
 */
struct grv_phones;
int	 grv_phones_gather(const struct grv_ctx *, const struct grv_ledger *,
	    struct grv_hix *hx, const struct grv_intake_batch *b,
	    struct grv_phones **out);
void	 grv_phones_free(struct grv_phones *);

/*
 * Refuse every new complaint of B (not a key's repeat) that would be one
 * more than max_per_phone_day registered from its phone on its registered
 * day (local to the conf's tz), or than max_per_phone_month in its
 * calendar month, counting the complaints PH found in the ledger and the
 * earlier new complaints of B: each is named, "WHERE: field 'phone':
 * ... already: ID ID ...", its phone masked.  Returns 0, or the number
 * refused as GRV_EX_DATAERR with *NREFUSED set.
 */
int	 grv_limit_check(const struct grv_ctx *, struct grv_phones *ph,
	    struct grv_intake_batch *b, size_t *nrefused);

/*
 * After B's new complaints were written, numbered from FIRST: warn of
 * each whose phone has an open complaint (any status but closed, at
 * --now) in the same category at the same place, as they are now (after
 * amends), among those PH found and the earlier new ones of B: "WHERE:
 * field 'phone': 98XXXXXX10 already has 1 open complaint in C at L: ID
 * (NEW registered all the same)".  Reads the state only when a phone was
 * seen before.  0, or an exit code (printed).
 */
int	 grv_repeat_warn(const struct grv_ctx *, const struct grv_phones *ph,
	    const struct grv_intake_batch *b, uint32_t first);

#endif
