/* grv_msg.c: messages on standard error and the exit status they leave. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "grv_msg.h"

const char *grv_progname = "grv";

void
grv_setprogname(const char *argv0)
{
	const char *p;

	if (argv0 == NULL || *argv0 == '\0')
		return;
	p = strrchr(argv0, '/');
	grv_progname = p ? p + 1 : argv0;
}

void
grv_verr(const char *fmt, va_list ap)
{
	fflush(stdout);
	fprintf(stderr, "%s: ", grv_progname);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
}

void
grv_err(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	grv_verr(fmt, ap);
	va_end(ap);
}

void
grv_die(int code, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	grv_verr(fmt, ap);
	va_end(ap);
	exit(code);
}

void
grv_setrc(int *rc, int code)
{
	if (code > *rc)
		*rc = code;
}

int
grv_close_stdout(void)
{
	int bad;

	bad = fflush(stdout) != 0 || ferror(stdout);
	if (fclose(stdout) != 0)
		bad = 1;
	if (bad) {
		grv_err("standard output: %s",
		    errno ? strerror(errno) : "write error");
		return GRV_EX_IOERR;
	}
	return GRV_EX_OK;
}
