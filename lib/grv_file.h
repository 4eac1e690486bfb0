/* grv_file.h: the file calls grv wraps: a whole write, a lock waited for,
 * and no writing through a symbolic link. */
#ifndef GRV_FILE_H
#define GRV_FILE_H

#include <stddef.h>

/* write(2) all N bytes, retrying short writes and EINTR; 0 or -1 (errno). */
int	 grv_write_all(int fd, const void *p, size_t n);
/*
 * flock(FD, OP) (LOCK_EX or LOCK_SH), polling for up to WAIT seconds; 0, or
 * -1 with errno EWOULDBLOCK when the wait ran out, else flock's errno.
 */
int	 grv_flock_wait(int fd, int op, double wait);
/*
 * DIR/REL when it is a symbolic link (lstat), which grv never writes
 * through: says "REL: a symbolic link; grv writes nothing through it" and
 * returns GRV_EX_CANTCREAT.  0 otherwise, a missing REL included.
 */
int	 grv_refuse_link(const char *dir, const char *rel);
/*
 * Replace the file PATH with the N bytes at P: a temporary file beside it
 * (mode 0666 less the umask), synced, renamed over PATH, so that a reader
 * sees the old bytes or the new, never a mix.  0, or -1 with errno set.
 */
int	 grv_file_replace(const char *path, const void *p, size_t n);

#endif
