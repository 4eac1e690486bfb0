/* grv_file.c: the file calls grv wraps: a whole write, a lock waited for,
 * and no writing through a symbolic link. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "grv_buf.h"
#include "grv_file.h"
#include "grv_msg.h"

int
grv_write_all(int fd, const void *buf, size_t n)
{
	const char *p = buf;
	ssize_t w;

	while (n > 0) {
		if ((w = write(fd, p, n)) < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		if (w == 0) {
			errno = ENOSPC;
			return -1;
		}
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

int
grv_flock_wait(int fd, int op, double wait)
{
	struct timespec ts = { 0, 20 * 1000 * 1000 };
	double waited = 0;

	while (flock(fd, op | LOCK_NB) == -1) {
		if (errno != EWOULDBLOCK && errno != EINTR)
			return -1;
		if (waited >= wait) {
			errno = EWOULDBLOCK;
			return -1;
		}
		nanosleep(&ts, NULL);
		waited += 0.02;
	}
	return 0;
}

int
grv_refuse_link(const char *dir, const char *rel)
{
	struct grv_buf b = GRV_BUF_INIT;
	struct stat sb;
	int link;

	grv_buf_printf(&b, "%s/%s", dir, rel);
	link = lstat(b.s, &sb) == 0 && S_ISLNK(sb.st_mode);
	grv_buf_release(&b);
	if (!link)
		return 0;
	grv_err("%s: a symbolic link; grv writes nothing through it", rel);
	return GRV_EX_CANTCREAT;
}

int
grv_file_replace(const char *path, const void *p, size_t n)
{
	struct grv_buf tmp = GRV_BUF_INIT;
	mode_t m;
	int fd, rc = -1, e;

	grv_buf_printf(&tmp, "%s.XXXXXX", path);
	if ((fd = mkostemp(tmp.s, O_CLOEXEC)) == -1)
		goto out;
	m = umask(0);
	umask(m);
	(void)fchmod(fd, 0666 & ~m);
	if (grv_write_all(fd, p, n) == -1 || fdatasync(fd) == -1) {
		e = errno;
		close(fd);
		unlink(tmp.s);
		errno = e;
		goto out;
	}
	if (close(fd) == -1 || rename(tmp.s, path) == -1) {
		e = errno;
		unlink(tmp.s);
		errno = e;
		goto out;
	}
	rc = 0;
out:
	grv_buf_release(&tmp);
	return rc;
}
