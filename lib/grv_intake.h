/* grv_intake.h: registering complaints: checking what a caller, a web form
 * or a district office hands in, and allocating ids under the lock. */
#ifndef GRV_INTAKE_H
#define GRV_INTAKE_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "grv_buf.h"
#include "grv_ctx.h"
#include "grv_ledger.h"
#include "grv_phone.h"

/* The fields a complaint is handed in with, in batch-header order. */
enum { GRV_IN_CATEGORY, GRV_IN_LOC, GRV_IN_NAME, GRV_IN_PHONE, GRV_IN_TEXT,
	GRV_IN_CHANNEL, GRV_IN_REF, GRV_IN_REGISTERED, GRV_IN_KEY, GRV_IN_LANG,
	GRV_IN_COUNT };
#define GRV_KEY_MAX	128	/* bytes of an intake's own ticket id */
#define GRV_IN_REQUIRED	GRV_IN_CHANNEL	/* fields before this are required */

/* "category", "loc", ... NULL: batch header names. */
extern const char *const grv_intake_names[GRV_IN_COUNT + 1];

/* What is handed in, raw: V[i] NULL when not given; LEN[i] its bytes. */
struct grv_intake_raw {
	const char	*v[GRV_IN_COUNT];
	size_t		 len[GRV_IN_COUNT];
};

/* A complaint checked and normalised, ready to be written. */
struct grv_intake {
	int		 cat;
	int		 loc;
	int		 channel;	/* enum grv_channel */
	grv_time_t	 registered;	/* GRV_TIME_NONE: --now */
	int		 lang;		/* GRV_LANG_HI (default), GRV_LANG_EN */
	char		 phone[GRV_PHONE_SIZE]; /* grv_phone_norm's */
	char		*name, *text, *ref;
};

/*
 * Check RAW (SPEC sections 3 and 5): category and loc in the masters (loc a
 * district, tehsil or block), an Indian phone, a known channel (DEFCHANNEL
 * when not given), name, text and ref valid UTF-8 without NUL and at most
 * GRV_TEXT_MAX bytes, name and text not empty, registered a time no later
 * than --now, lang 'hi' or 'en' (empty or not given: 'hi').  Every bad field is reported as "WHERE: field 'F': why" (or
 * "--F: why" when WHERE is NULL).  Returns the number of bad fields; when
 * 0, OUT is filled (strings copied into one block; free with
 * grv_intake_release).
 */
int	 grv_intake_check(const struct grv_ctx *, const char *where,
	    const struct grv_intake_raw *, int defchannel,
	    struct grv_intake *out);
void	 grv_intake_release(struct grv_intake *);

/*
 * The number of the last complaint in the ledger LG locked (its tail row,
 * or, when the live file holds only its header, the last sealed segment's),
 * and that row's registered time (GRV_TIME_NONE when none).  0 for an empty
 * ledger.  Returns 0, or GRV_EX_DATAERR / GRV_EX_IOERR after printing why.
 */
int	 grv_intake_last(const struct grv_ctx *, const struct grv_ledger *,
	    uint32_t *n, grv_time_t *registered);

/*
 * A batch of complaints checked and written as ledger rows as they come,
 * but for their ids and registered times, which wait for the lock: adding
 * them then finishes the rows in the same memory.
 */
struct grv_intake_item {
	int		 cat;
	int		 loc;
	grv_time_t	 registered;	/* GRV_TIME_NONE: --now */
	size_t		 end;		/* its row's end in rows */
	char		*key;		/* the intake's ticket id, or NULL */
	uint32_t	 id;		/* registered already under its key */
	size_t		 same;		/* 1 + the item whose key it repeats */
	int		 lang;		/* the citizen's language */
	char		 phone[GRV_PHONE_SIZE]; /* as stored */
	char		*where;		/* for messages of the per-phone
					   checks (grv_limit.h) */
};
struct grv_intake_codes;
struct grv_intake_batch {
	struct grv_intake_item	*v;
	size_t			 n, cap;
	struct grv_buf		 rows;
	size_t			 gap;	/* room before each row's tail */
	struct grv_intake_codes	*codes;
};
#define GRV_INTAKE_BATCH_INIT { NULL, 0, 0, GRV_BUF_INIT, 0, NULL }

/* grv_intake_check, the complaint going into B: the number of bad fields
   (reported), 0 when it was added. */
int	 grv_intake_batch_check(const struct grv_ctx *, const char *where,
	    const struct grv_intake_raw *, int defchannel,
	    struct grv_intake_batch *);
/*
 * Keys (SPEC 7.3): a complaint handed in with a key is stored with the
 * key as its ref; one whose key is the ref of a complaint in the ledger LG
 * (locked), or of an earlier one of B, is not registered again: its item
 * gets that complaint's id, time, category and place.  Each key is looked
 * up in the key index HX (cache/key.bin, grv_hix.h): the rows it names
 * are read and their refs compared byte for byte, so a key costs the
 * rows that share its hash.  Without HX, or when it cannot say (damaged,
 * a row not where it says), every file of the ledger is read: the same
 * answer.  0, or an exit code (printed).  *NEW gets the number of
 * complaints left to register.
 */
struct grv_hix;
int	 grv_intake_keys(const struct grv_ctx *, const struct grv_ledger *,
	    struct grv_hix *hx, struct grv_intake_batch *, size_t *nnew);
/* Queue B's new complaints in LG numbered FIRST, FIRST + 1, ..., registered
   at each one's time or --now: the bytes grv_ledger_add would queue for
   the same fields (tests/unit/ref_intake.h).  B's rows are used up; its
   items stay. */
void	 grv_intake_batch_add(const struct grv_ctx *, struct grv_ledger *,
	    uint32_t first, struct grv_intake_batch *);
void	 grv_intake_batch_release(struct grv_intake_batch *);
/* The output of grv-add: a header, then id,registered,category,loc of
   B's complaints numbered from FIRST. */
void	 grv_intake_print(FILE *, const struct grv_ctx *,
	    const struct grv_intake_batch *, uint32_t first);

/*
 * The ids in the first CSV column of FILE ("-": standard input), blank
 * lines and a first row whose first field is "id" skipped: *IDS (free
 * each and the array) and *NIDS.  Every first field that is not a
 * NODE-<number> id is named as "FILE:LINE: not a complaint id" and makes
 * it 65.  Returns 0, or an exit code after printing why.
 */
int	 grv_read_ids(const char *file, const char *node, char ***ids,
	    size_t *nids);

#endif
