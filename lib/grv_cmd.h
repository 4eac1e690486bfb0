/* grv_cmd.h: what every grv program shares: the common options, usage
 * and help, --complete, around the context the library takes. */
#ifndef GRV_CMD_H
#define GRV_CMD_H

#include <limits.h>
#include <stdnoreturn.h>

#include "grv_ctx.h"

/* getopt_long's table; a program includes <getopt.h> to fill one (the
   GRV_COMMON_LONGOPTS below use its argument names). */
struct option;

/* Long-only option codes; a command numbers its own from GRV_OPT_FIRST. */
enum {
	GRV_OPT_NOW = CHAR_MAX + 1,
	GRV_OPT_VERSION,
	GRV_OPT_ACTOR,
	GRV_OPT_WAIT,
	GRV_OPT_COMPLETE,
	GRV_OPT_FIRST
};

/* The options every program takes; short ones: -d DIR, -h. */
#define GRV_COMMON_LONGOPTS \
	{ "dir",	required_argument,	NULL, 'd' }, \
	{ "now",	required_argument,	NULL, GRV_OPT_NOW }, \
	{ "help",	no_argument,		NULL, 'h' }, \
	{ "version",	no_argument,		NULL, GRV_OPT_VERSION }, \
	{ "actor",	required_argument,	NULL, GRV_OPT_ACTOR }, \
	{ "wait",	required_argument,	NULL, GRV_OPT_WAIT }, \
	{ "complete",	required_argument,	NULL, GRV_OPT_COMPLETE }
#define GRV_COMMON_SHORTOPTS "d:h"

struct grv_cmd {
	const char		*usage;		/* synopsis lines, no program name */
	const char		*help;		/* the rest of --help */
	const struct option	*longopts;
	const char *const	*words;		/* extra completion words, or NULL */
	const char		*now_arg;
	const char		*complete;	/* --complete WHAT */
	struct grv_ctx		 ctx;		/* what the options set */
};

/*
 * Set the program name and defaults.  USAGE holds one synopsis per line
 * (without the program name); HELP the description and options.
 */
void	 grv_cmd_init(struct grv_cmd *, char **argv, const char *usage,
	    const char *help, const struct option *longopts);
/*
 * Handle one of the common options (or '?'); returns 1 when it did, 0 when
 * C is the command's own.  Prints help or version and exits 0; on a usage
 * error prints the usage and exits 64.
 */
int	 grv_cmd_opt(struct grv_cmd *, int c, const char *arg);
/* "grv-x: MESSAGE", the usage lines and "Try 'grv-x --help'.", exit 64. */
noreturn void grv_usage_error(const struct grv_cmd *, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));
/*
 * Resolve the directory (-d, GRV_DIR, "."), read grv.conf and the masters,
 * set the calendar and --now (the clock by default; times without an
 * offset are in the conf's tz).  Answers --complete and exits when it was
 * given.  Returns 0 or an exit code after printing why.
 */
int	 grv_cmd_load(struct grv_cmd *);
/* The same without the masters (for programs that must run without them). */
int	 grv_cmd_load_conf(struct grv_cmd *);
void	 grv_cmd_release(struct grv_cmd *);

#endif
