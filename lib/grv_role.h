/* grv_role.h: who is running a program (masters/actors.csv), what their
 * role lets them do, and the group privilege of a setgid grv. */
#ifndef GRV_ROLE_H
#define GRV_ROLE_H

struct grv_ctx;
struct grv_cstate;

enum grv_role {
	GRV_ROLE_UNLISTED = -1,	/* actors.csv does not name the login */
	GRV_ROLE_OPERATOR = 0,
	GRV_ROLE_OFFICER,
	GRV_ROLE_CMO,
	GRV_ROLE_ADMIN,
	GRV_ROLE_SYSTEM,
	GRV_NROLES
};

extern const char *const grv_role_names[GRV_NROLES];

/* What a writer is about to do. */
enum grv_op {
	GRV_OP_ADD,		/* grv-add */
	GRV_OP_ROUTE,		/* grv-route: place new complaints */
	GRV_OP_TRANSFER,	/* grv-route --transfer */
	GRV_OP_RESOLVE,		/* grv-resolve */
	GRV_OP_INTERIM,		/* grv-resolve --interim */
	GRV_OP_FORCE,		/* grv-resolve --force */
	GRV_OP_FEEDBACK,	/* grv-feedback */
	GRV_OP_SWEEP,		/* grv-escalate */
	GRV_OP_REPAIR,		/* grv-check --repair */
	GRV_OP_NOTIFY,		/* grv-notify: moves its cursor */
	GRV_OP_CALLBACK,	/* grv-feedback --callback */
	GRV_OP_AMEND,		/* grv-amend */
	GRV_NOPS
};

/* The person behind a program, as the context holds it (zeroed: no
   actors.csv, single-user grv). */
struct grv_who {
	int		 actors;	/* masters/actors.csv exists: roles apply */
	int		 role;		/* enum grv_role, when actors is set */
	char		*login;		/* the real uid's login name */
	char		*officer;	/* their officer code (role officer) */
	unsigned long	 line;		/* their line in masters/actors.csv */
	int		 privileged;	/* running setgid, the group kept */
	int		 writer;	/* set by the program before loading:
					   it means to write */
};

/*
 * Once the data directory is known, before anything else in it is read:
 * who runs the program (the real uid's login, never LOGNAME or --actor)
 * and, when DIR/masters/actors.csv exists, their role.  Run setgid
 * (effective group not the real one), the program keeps the group only
 * for a login that actors.csv lists, actors.csv being a regular file of
 * that group, writable by no other, in a masters/ that is no link;
 * otherwise it drops the group for good and runs with the user's own
 * rights.  A writer (WHO.writer) whose login actors.csv does not list is
 * refused here, before it reads anything else.  0, or after printing why:
 * GRV_EX_USAGE (unlisted writer), GRV_EX_DATAERR (a bad actors.csv, each
 * fault as "masters/actors.csv:LINE: what"), GRV_EX_IOERR.
 */
int	 grv_role_identify(struct grv_ctx *);

/*
 * May the person behind CTX do OP?  With no actors.csv, yes.  Otherwise
 * the login must be listed, OP must be one of its role's, --now and an
 * --actor other than the login are for the admin and system roles only,
 * and OFFICER (an officers.csv index, -1 for none) must be the login's
 * own officer when its role is officer.  A setgid program also needs the
 * layout of grv-init (grv_share_check).  Sets CTX's actor to the login.
 * 0, or after printing why: GRV_EX_USAGE (refused), GRV_EX_DATAERR
 * (actors.csv names an unknown officer), GRV_EX_CANTCREAT (layout).
 */
int	 grv_role_permit(struct grv_ctx *, enum grv_op op, int officer);

/*
 * The same for OP on complaint CS (named ID in messages), once its state
 * is known: an officer transfers or amends only a complaint it holds.
 * 0, or GRV_EX_USAGE after printing why.
 */
int	 grv_role_permit_on(const struct grv_ctx *, enum grv_op op,
	    const struct grv_cstate *cs, const char *id);

/* A program that never needs the group (grv, grv-init, grv-gen) gives
   it up for good when run setgid.  0 or GRV_EX_IOERR (printed). */
int	 grv_role_drop(void);

void	 grv_who_release(struct grv_who *);

#endif
