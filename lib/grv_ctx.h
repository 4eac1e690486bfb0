/* grv_ctx.h: what a library call runs in: the data directory, the clock,
 * the actor, the lock wait, the conf, the masters and the calendar. */
#ifndef GRV_CTX_H
#define GRV_CTX_H

#include "grv_conf.h"
#include "grv_masters.h"
#include "grv_role.h"
#include "grv_time.h"

struct grv_ctx {
	const char		*dir;
	grv_time_t		 now;
	int			 now_given;	/* --now, not the clock */
	const char		*actor;
	const char		*actor_from;	/* "--actor", "LOGNAME"... */
	struct grv_who		 who;		/* the real user, their role */
	double			 wait;		/* seconds for a busy lock */
	struct grv_conf		 conf;
	struct grv_masters	 m;
	struct grv_cal		 cal;
	int			 loaded;	/* m and cal are set */
};

/* Zero it, wait 10 seconds, the conf's defaults. */
void	 grv_ctx_init(struct grv_ctx *);
/*
 * Resolve the directory (as set, else GRV_DIR, else "."), which must be
 * one, find who runs the program (grv_role_identify: a setgid program may
 * give up its group here), take the umask of a shared directory
 * (grv_share_umask), and read its grv.conf.  Returns 0 or an exit code
 * after printing why.
 */
int	 grv_ctx_load_conf(struct grv_ctx *);
/* Unless set, the actor is LOGNAME, else the login name, else "unknown";
   with masters/actors.csv, the real user's login name, always. */
void	 grv_ctx_default_actor(struct grv_ctx *);
/* Read the directory's masters and set the calendar; 0 or an exit code. */
int	 grv_ctx_load_masters(struct grv_ctx *);
void	 grv_ctx_release(struct grv_ctx *);

/*
 * A writer that has just won its lock: on the clock (no --now), the time
 * becomes now, so a writer that waited behind another stamps its rows
 * after the other's.
 */
void	 grv_ctx_lock_won(struct grv_ctx *);
/* Format T in the conf's tz. */
void	 grv_ctx_ts(const struct grv_ctx *, grv_time_t t, char buf[GRV_TSLEN]);
/* Parse a time argument like --now (for --from, --to, --registered). */
int	 grv_ctx_parse_time(const struct grv_ctx *, const char *s,
	    grv_time_t *out);

#endif
