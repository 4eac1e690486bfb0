/* grv_correct.h: the citizen's personal data corrected, and the language
 * they are written to in: ledger/corrections.csv (grv-ledger(5),
 * "Corrections of personal data"). */
#ifndef GRV_CORRECT_H
#define GRV_CORRECT_H

#include <stddef.h>
#include <stdint.h>

#include "grv_buf.h"
#include "grv_ctx.h"
#include "grv_ledger.h"
#include "grv_map.h"
#include "grv_time.h"
#include "grv_tmpl.h"

/* The fields a correction names. */
enum grv_xfield { GRV_XF_NAME, GRV_XF_PHONE, GRV_XF_LANG, GRV_XF_COUNT };
extern const char *const grv_xfield_names[GRV_XF_COUNT + 1];

/* The citizen's language (enum grv_lang, templates.csv's) named S (LEN
   bytes), or -1; GRV_LANG_HI is the default. */
int	 grv_xlang_parse(const char *s, size_t len);

/* One correction, as read (value, actor and reason unescaped). */
struct grv_xrow {
	grv_time_t	 ts;
	uint32_t	 n;		/* the complaint */
	int		 field;		/* enum grv_xfield */
	char		*value;		/* a phone as grv_phone_norm stores it */
	char		*actor;
	char		*reason;
};

/*
 * The rules of one row of corrections.csv, its NF fields F (LEN bytes
 * each) as stored: a ts, an id of a complaint no later than NMAX
 * (UINT32_MAX: any), a known field, a value as grv_corr_value stores it,
 * an actor and a reason (not empty).  0 with X filled (release it), or -1
 * with WHY told.  The one implementation grv-check and the readers use.
 */
int	 grv_corr_check_row(const struct grv_ctx *, uint32_t nmax,
	    const char *const *f, const size_t *len, size_t nf,
	    struct grv_xrow *x, struct grv_buf *why);
void	 grv_xrow_release(struct grv_xrow *);

/* The rows read (the whole ledger's, or some complaints'), and the
   latest of each (n, field). */
struct grv_corr_lazy;
struct grv_corr {
	struct grv_xrow	*v;
	size_t		 n, cap;
	struct grv_imap	 latest;	/* n << 2 | field -> index in v */
	struct grv_corr_lazy *lazy;	/* grv_corr_open's */
};
#define GRV_CORR_INIT { NULL, 0, 0, GRV_IMAP_INIT, NULL }

/*
 * Read DIR/ledger/corrections.csv (none: no correction) under its shared
 * lock, held first against its high-water mark, every row checked by
 * grv_corr_check_row and its chain: 0, or after printing
 * "ledger/corrections.csv:LINE: why" GRV_EX_DATAERR (ALL: every fault is
 * named, for grv-check; else the first stops it), GRV_EX_IOERR.  NMAX:
 * the number of complaints registered (ids above it are refused), 0 to
 * skip that check.  Rows stamped after --now are checked, not applied.  The ledger is small in practice (a correction is
 * typed by an operator): read whole, a map of the latest values kept.
 */
int	 grv_corr_load(const struct grv_ctx *, uint32_t nmax, int all,
	    struct grv_corr *);
/*
 * The same for a reader of one complaint, ONLY: C gets its rows alone.
 * When the high-water mark vouches for the file (as grv last left it,
 * every row checked as it was written), only ONLY's rows are read and
 * checked: those cache/corr.bin names (grv_hix.h), each held to the crc
 * the index recorded, or, without the index, the lines whose id is
 * ONLY's, found by comparing bytes where the id stands; otherwise every
 * row is checked as by grv_corr_load.
 */
int	 grv_corr_load_one(const struct grv_ctx *, uint32_t nmax, int all,
	    uint32_t only, struct grv_corr *);
/*
 * For a reader of some complaints (grv-notify, grv-list --pii with a
 * filter): when the high-water mark vouches for the file and its index
 * can be had, each complaint's rows are read through the index the first
 * time grv_corr_latest or grv_corr_lang asks for it, the file's shared
 * lock held until the release; otherwise every row is read now, as by
 * grv_corr_load.  0, or an exit code (printed).  Error: after the asking,
 * 0 or the exit code of a row that failed its rules (printed).
 */
int	 grv_corr_open(const struct grv_ctx *, uint32_t nmax,
	    struct grv_corr *);
int	 grv_corr_error(const struct grv_corr *);
/*
 * Read complaint N's rows now (grv_corr_open's C), so that they are
 * there after the settle; settle: let the file and its lock go (before
 * taking another ledger's lock, or waiting on anything): a complaint not
 * read by then has no corrections in C.
 */
void	 grv_corr_need(const struct grv_corr *, uint32_t n);
void	 grv_corr_settle(struct grv_corr *);
void	 grv_corr_release(struct grv_corr *);
/* The latest correction of complaint N's FIELD, or NULL. */
const struct grv_xrow *grv_corr_latest(const struct grv_corr *, uint32_t n,
	    int field);
/* Complaint N's language: the latest lang row's, else GRV_LANG_HI. */
int	 grv_corr_lang(const struct grv_corr *, uint32_t n);

/*
 * A value for FIELD as handed in (VALUE, LEN bytes), checked and put in
 * its stored form into OUT (a new string): a name is free text, not
 * blank; a phone as grv-add takes it (grv_phone_norm); a language 'hi'
 * or 'en'.  0, or -1 with WHY set to a static string or, for a name,
 * grv_freetext_why's words in *BUF (free it).
 */
int	 grv_corr_value(int field, const char *value, size_t len, char **out,
	    const char **why);

/* A correction about to be written. */
struct grv_xnew {
	uint32_t	 n;
	int		 field;
	const char	*value;		/* stored form (grv_corr_value) */
	const char	*reason;
};
/*
 * Append the K corrections X to DIR/ledger/corrections.csv, stamped --now
 * by --actor, in one write under its exclusive lock (created, with the
 * mode of complaints.csv, when it does not exist): 0, or an exit code
 * after printing why (a --now earlier than its last row is 65).
 */
int	 grv_corr_append(const struct grv_ctx *, const struct grv_xnew *x,
	    size_t k);
/* The same in steps, for a writer that must know the corrections can be
   written before it writes elsewhere: lock LG and check its clock (0 or
   an exit code, printed), queue, then grv_ledger_commit and release. */
int	 grv_corr_lock(const struct grv_ctx *, struct grv_ledger *lg);
void	 grv_corr_add(const struct grv_ctx *, struct grv_ledger *lg,
	    const struct grv_xnew *x, size_t k);

#endif
