/* grv_util.h: messages, exit codes, allocation that dies, growable buffers, maps. */
#ifndef GRV_UTIL_H
#define GRV_UTIL_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdnoreturn.h>

#define GRV_VERSION "0.1.0"

/* Exit codes fixed by SPEC section 5 (sysexits.h values). */
enum {
	GRV_EX_OK = 0,
	GRV_EX_SOME = 1,	/* some items refused, the rest done */
	GRV_EX_USAGE = 64,
	GRV_EX_DATAERR = 65,
	GRV_EX_NOINPUT = 66,
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

void	*grv_malloc(size_t);
void	*grv_calloc(size_t, size_t);
void	*grv_realloc(void *, size_t);
void	*grv_reallocarray(void *, size_t, size_t);
char	*grv_strdup(const char *);
char	*grv_strndup(const char *, size_t);

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

/*
 * A string -> int map (open addressing, keys copied).  Used for master codes
 * and anything else keyed by a short string.
 */
struct grv_map {
	char	**keys;
	int	 *vals;
	size_t	  cap;
	size_t	  n;
	struct grv_mapkey {
		uint32_t hash;		/* of the key, to skip others */
		uint32_t len;		/* its length */
	}	 *meta;
};
#define GRV_MAP_INIT { NULL, NULL, 0, 0, NULL }

/* Returns the value, or -1 when absent. */
int	 grv_map_get(const struct grv_map *, const char *key);
int	 grv_map_getn(const struct grv_map *, const char *key, size_t len);
/* Inserts or replaces; returns the previous value or -1. */
int	 grv_map_put(struct grv_map *, const char *key, int val);
void	 grv_map_release(struct grv_map *);

/* A uint64 -> int map, for composite keys such as (dept, level, loc). */
struct grv_imap {
	uint64_t *keys;
	int	 *vals;
	size_t	  cap;
	size_t	  n;
};
#define GRV_IMAP_INIT { NULL, NULL, 0, 0 }

int	 grv_imap_get(const struct grv_imap *, uint64_t key);
int	 grv_imap_put(struct grv_imap *, uint64_t key, int val);
void	 grv_imap_release(struct grv_imap *);

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

/* Parse a whole decimal integer in [lo, hi]; 0 on success, -1 otherwise. */
int	 grv_parse_int(const char *s, long lo, long hi, long *out);
/* Valid UTF-8 without NUL over n bytes?  (In grv_fast.c: ASCII a word at
   a time; tests/unit/test_fast.c holds it to a plain byte loop.) */
int	 grv_utf8_valid(const char *s, size_t n);
/* Display width of a UTF-8 string in terminal columns (combining marks 0). */
size_t	 grv_utf8_width(const char *s);
/* Levenshtein distance, capped: used for "did you mean" suggestions. */
int	 grv_edit_distance(const char *a, const char *b);

#endif
