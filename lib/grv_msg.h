/* grv_msg.h: messages on standard error and the exit status they leave. */
#ifndef GRV_MSG_H
#define GRV_MSG_H

#include <stdarg.h>
#include <stdnoreturn.h>

/* Exit codes fixed by SPEC section 5 (sysexits.h values). */
enum {
	GRV_EX_OK = 0,
	GRV_EX_SOME = 1,	/* some items refused, the rest done */
	GRV_EX_USAGE = 64,
	GRV_EX_DATAERR = 65,
	GRV_EX_NOINPUT = 66,
	GRV_EX_UNAVAILABLE = 69, /* grv-report: no libxlsxwriter to load */
	GRV_EX_CANTCREAT = 73,
	GRV_EX_IOERR = 74,
	GRV_EX_TEMPFAIL = 75	/* ledger locked past --wait */
};

extern const char *grv_progname;

void	 grv_setprogname(const char *argv0);
/* "grv-NAME: " + message + "\n" on stderr. */
void	 grv_err(const char *fmt, ...)
	    __attribute__((format(printf, 1, 2)));
void	 grv_verr(const char *fmt, va_list ap);
noreturn void grv_die(int code, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));
/* Keep the worst status: usage/data/io codes beat 1, 1 beats 0. */
void	 grv_setrc(int *rc, int code);
/* Flush and close stdout; on failure report it and return GRV_EX_IOERR. */
int	 grv_close_stdout(void);

#endif
