/* grv_buf.h: a growable byte buffer. */
#ifndef GRV_BUF_H
#define GRV_BUF_H

#include <stddef.h>

/* A growable byte buffer, always NUL-terminated once anything was added. */
struct grv_buf {
	char	*s;
	size_t	 len;
	size_t	 cap;
};
#define GRV_BUF_INIT { NULL, 0, 0 }

void	 grv_buf_grow(struct grv_buf *, size_t extra);
void	 grv_buf_add(struct grv_buf *, const void *, size_t);
void	 grv_buf_adds(struct grv_buf *, const char *);
void	 grv_buf_addc(struct grv_buf *, int);
void	 grv_buf_printf(struct grv_buf *, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));
void	 grv_buf_reset(struct grv_buf *);
void	 grv_buf_release(struct grv_buf *);

#endif
