/* grv_checkpoint.h: signed checkpoints of the two ledgers: the C2SP
 * tlog-checkpoint body, ledger/checkpoints, the key files, and signing
 * the next checkpoint of each ledger. */
#ifndef GRV_CHECKPOINT_H
#define GRV_CHECKPOINT_H

#include <stdint.h>
#include <stdio.h>

#include "grv_ctx.h"
#include "grv_layout.h"
#include "grv_merkle.h"
#include "grv_note.h"

#define GRV_CP_FILE	"ledger/checkpoints"
#define GRV_CP_SKEY	"checkpoint.key"		/* in DIR */
#define GRV_CP_VKEY	"masters/checkpoint.vkey"

struct grv_cp {
	char		 origin[GRV_NOTE_NAMEMAX];
	uint64_t	 size;
	grv_hash	 root;
	char		*note;		/* the signed note, verbatim */
	size_t		 notelen;
	const char	*rel;		/* the file it came from */
	unsigned long	 line;		/* its first line there */
};
struct grv_cps {
	struct grv_cp	*v;
	size_t		 n;
};
#define GRV_CPS_INIT { NULL, 0 }

/* The logs checkpointed, each with its own origin: the two ledgers and
   ledger/corrections.csv. */
#define GRV_CP_NLOGS	3
extern const enum grv_ledger_kind grv_cp_kinds[GRV_CP_NLOGS];

/* "NODE/complaints": the origin line of a ledger's checkpoints. */
void	 grv_cp_origin(const struct grv_ctx *, enum grv_ledger_kind,
	    char out[GRV_NOTE_NAMEMAX]);
/*
 * Read the notes of DIR/REL (DIR NULL: REL alone), each opened with V and
 * parsed as a checkpoint.  0, or an exit code after printing
 * "REL:LINE: why" (66 for a missing file unless MISSING_OK).
 */
int	 grv_cps_read(const char *dir, const char *rel, int missing_ok,
	    const struct grv_vkey *v, struct grv_cps *);
void	 grv_cps_release(struct grv_cps *);
/* The last checkpoint of ORIGIN in CPS, or NULL. */
const struct grv_cp *grv_cps_last(const struct grv_cps *, const char *origin);

/* The key files: DIR/REL read into K; 0 or an exit code (printed). */
int	 grv_skey_read(const char *dir, const char *rel, struct grv_skey *);
int	 grv_vkey_read(const char *dir, const char *rel, struct grv_vkey *);
/*
 * Make the signing key DIR/checkpoint.key (mode 0600, the caller's) named
 * NAME, and publish its verifier key in DIR/masters/checkpoint.vkey.  An
 * existing key is kept: 0 with *MADE clear.  0 or an exit code (printed).
 */
int	 grv_cp_newkey(const char *dir, const char *name, int *made);

/*
 * Sign a checkpoint of each log that grew since its last one, after
 * checking that the ledger still holds the tree the last one signed, and
 * append them to ledger/checkpoints in one write; "origin,size,root" of
 * each on OUT.  0, or an exit code after printing why (65 names the
 * checkpoint the ledger contradicts).
 */
int	 grv_checkpoint_sign(const struct grv_ctx *, const char *skeyrel,
	    FILE *out);

/* Base64 of a hash into B. */
void	 grv_cp_b64(struct grv_buf *b, const grv_hash h);

#endif
