/*
 * failio.c: an LD_PRELOAD shim that makes write(2) or fsync(2) fail at the
 * Nth call, as a full disk or a failing one would.
 *
 *   FAILIO_WRITE=N   from the Nth write to a regular file on, writes fail
 *                    with ENOSPC; the Nth first writes half of its bytes
 *                    (a disk that fills up mid-write)
 *   FAILIO_FSYNC=N   the Nth fsync/fdatasync fails with EIO
 *   FAILIO_ERRNO=E   use errno E instead (e.g. 5 for EIO on write)
 *   FAILIO_MATCH=S   count only files whose path contains S (e.g. "ledger/")
 *
 * Only writes to regular files count, so error messages still reach the
 * terminal.  Build: cc -shared -fPIC -o failio.so failio.c -ldl
 * (with sanitized programs, set ASAN_OPTIONS=verify_asan_link_order=0).
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static long nwrite, nfsync;

static long
limit(const char *name)
{
	const char *s = getenv(name);

	return s && *s ? atol(s) : 0;
}

/* Does FD name a file FAILIO_MATCH selects (all when unset)? */
static int
matches(int fd)
{
	const char *m = getenv("FAILIO_MATCH");
	char link[64], path[4096];
	ssize_t n;

	if (m == NULL || *m == '\0')
		return 1;
	snprintf(link, sizeof(link), "/proc/self/fd/%d", fd);
	if ((n = readlink(link, path, sizeof(path) - 1)) < 0)
		return 0;
	path[n] = '\0';
	return strstr(path, m) != NULL;
}

static int
fail_errno(int dflt)
{
	long e = limit("FAILIO_ERRNO");

	return e > 0 ? (int)e : dflt;
}

ssize_t
write(int fd, const void *buf, size_t n)
{
	static ssize_t (*real)(int, const void *, size_t);
	struct stat sb;
	long at = limit("FAILIO_WRITE");

	if (real == NULL)
		real = (ssize_t (*)(int, const void *, size_t))
		    dlsym(RTLD_NEXT, "write");
	if (at > 0 && fstat(fd, &sb) == 0 && S_ISREG(sb.st_mode) &&
	    matches(fd)) {
		nwrite++;
		if (nwrite == at && n > 1)
			return real(fd, buf, n / 2);
		if (nwrite >= at) {
			errno = fail_errno(ENOSPC);
			return -1;
		}
	}
	return real(fd, buf, n);
}

static int
fsync_fails(int fd)
{
	long at = limit("FAILIO_FSYNC");

	if (at > 0 && matches(fd) && ++nfsync == at) {
		errno = fail_errno(EIO);
		return 1;
	}
	return 0;
}

int
fsync(int fd)
{
	static int (*real)(int);

	if (real == NULL)
		real = (int (*)(int))dlsym(RTLD_NEXT, "fsync");
	if (fsync_fails(fd))
		return -1;
	return real(fd);
}

int
fdatasync(int fd)
{
	static int (*real)(int);

	if (real == NULL)
		real = (int (*)(int))dlsym(RTLD_NEXT, "fdatasync");
	if (fsync_fails(fd))
		return -1;
	return real(fd);
}
