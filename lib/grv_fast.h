/* grv_fast.h: the hot loops of the writers without printf: decimal
 * numbers, complaint ids, timestamps remembered.  Each gives exactly the
 * answer of its slow reference (snprintf, grv_time_format); grv_id_format is grv_fmt_id;
 * tests/unit/test_fast.c holds them to it, and grv_utf8_valid (grv_utf8.h)
 * to a plain UTF-8 byte loop. */
#ifndef GRV_FAST_H
#define GRV_FAST_H

#include <stddef.h>
#include <stdint.h>

#include "grv_time.h"

#define GRV_U64LEN	21	/* "18446744073709551615" + NUL */

/* "%u" / "%lu" into BUF (NUL-terminated); returns the length. */
size_t	 grv_fmt_u32(char *buf, uint32_t v);
size_t	 grv_fmt_u64(char *buf, uint64_t v);
/* "%d" into BUF (at least 12 bytes); returns the length. */
size_t	 grv_fmt_int(char *buf, int v);
/*
 * grv_id_format(NODE, N, BUF, SZ): "<node>-<n>", cut to SZ - 1 bytes the
 * way snprintf cuts it.  Returns the length written.
 */
size_t	 grv_fmt_id(const char *node, uint32_t n, char *buf, size_t sz);

/*
 * Timestamps already formatted: a writer stamps every row with the same
 * --now and a few due times, so a handful of slots answers nearly all.
 * Zeroed (GRV_TSMEMO_INIT) to begin with.  grv_tsmemo_fmt(memo, t, tz,
 * buf) writes what grv_time_format(t, tz, buf) writes; returns its length.
 */
#define GRV_TSMEMO_SLOTS 8
struct grv_tsmemo {
	struct {
		grv_time_t	 t;
		int		 tz;
		size_t		 len;
		char		 s[GRV_TSLEN];
	} slot[GRV_TSMEMO_SLOTS];
	unsigned		 used;		/* slots filled */
	unsigned		 next;		/* the one to refill */
};
#define GRV_TSMEMO_INIT { .used = 0 }

size_t	 grv_tsmemo_fmt(struct grv_tsmemo *, grv_time_t t, int tz,
	    char buf[GRV_TSLEN]);

#endif
