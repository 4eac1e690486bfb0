/* grv_util.c: messages, exit codes, allocation that dies, buffers, maps. */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "grv_util.h"

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

static noreturn void
nomem(void)
{
	fputs("grv: out of memory\n", stderr);
	exit(GRV_EX_IOERR);
}

void *
grv_malloc(size_t n)
{
	void *p = malloc(n ? n : 1);

	if (p == NULL)
		nomem();
	return p;
}

void *
grv_calloc(size_t n, size_t sz)
{
	void *p = calloc(n ? n : 1, sz ? sz : 1);

	if (p == NULL)
		nomem();
	return p;
}

void *
grv_realloc(void *p, size_t n)
{
	p = realloc(p, n ? n : 1);
	if (p == NULL)
		nomem();
	return p;
}

void *
grv_reallocarray(void *p, size_t n, size_t sz)
{
	if (sz && n > SIZE_MAX / sz)
		nomem();
	return grv_realloc(p, n * sz);
}

char *
grv_strdup(const char *s)
{
	return grv_strndup(s, strlen(s));
}

char *
grv_strndup(const char *s, size_t n)
{
	char *p = grv_malloc(n + 1);

	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

void
grv_buf_grow(struct grv_buf *b, size_t extra)
{
	size_t need = b->len + extra + 1;

	if (need <= b->cap)
		return;
	if (b->cap == 0)
		b->cap = 64;
	while (b->cap < need)
		b->cap *= 2;
	b->s = grv_realloc(b->s, b->cap);
}

void
grv_buf_add(struct grv_buf *b, const void *p, size_t n)
{
	grv_buf_grow(b, n);
	memcpy(b->s + b->len, p, n);
	b->len += n;
	b->s[b->len] = '\0';
}

void
grv_buf_adds(struct grv_buf *b, const char *s)
{
	grv_buf_add(b, s, strlen(s));
}

void
grv_buf_addc(struct grv_buf *b, int c)
{
	grv_buf_grow(b, 1);
	b->s[b->len++] = (char)c;
	b->s[b->len] = '\0';
}

void
grv_buf_printf(struct grv_buf *b, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	grv_buf_grow(b, (size_t)n);
	va_start(ap, fmt);
	vsnprintf(b->s + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
}

void
grv_buf_reset(struct grv_buf *b)
{
	b->len = 0;
	if (b->s)
		b->s[0] = '\0';
}

void
grv_buf_release(struct grv_buf *b)
{
	free(b->s);
	b->s = NULL;
	b->len = b->cap = 0;
}

/* FNV-1a, good enough for short codes. */
static uint64_t
hash_bytes(const char *s, size_t n)
{
	uint64_t h = 1469598103934665603ULL;

	while (n--) {
		h ^= (unsigned char)*s++;
		h *= 1099511628211ULL;
	}
	return h;
}

static uint64_t
hash_u64(uint64_t x)
{
	x ^= x >> 33;
	x *= 0xff51afd7ed558ccdULL;
	x ^= x >> 33;
	x *= 0xc4ceb9fe1a85ec53ULL;
	x ^= x >> 33;
	return x;
}

int
grv_map_getn(const struct grv_map *m, const char *key, size_t len)
{
	uint64_t h;
	size_t i;

	if (m->cap == 0)
		return -1;
	h = hash_bytes(key, len);
	for (i = h & (m->cap - 1); m->keys[i]; i = (i + 1) & (m->cap - 1))
		if (m->meta[i].hash == (uint32_t)(h >> 32) &&
		    m->meta[i].len == len && memcmp(m->keys[i], key, len) == 0)
			return m->vals[i];
	return -1;
}

int
grv_map_get(const struct grv_map *m, const char *key)
{
	return grv_map_getn(m, key, strlen(key));
}

/* Put KEY (not there) in slot I of M. */
static void
map_set(struct grv_map *m, size_t i, char *key, uint64_t h, int val)
{
	m->keys[i] = key;
	m->vals[i] = val;
	m->meta[i].hash = (uint32_t)(h >> 32);
	m->meta[i].len = (uint32_t)strlen(key);
}

static void
map_rehash(struct grv_map *m)
{
	struct grv_map n = GRV_MAP_INIT;
	uint64_t h;
	size_t i, j;

	n.cap = m->cap ? m->cap * 2 : 64;
	n.keys = grv_calloc(n.cap, sizeof(*n.keys));
	n.vals = grv_calloc(n.cap, sizeof(*n.vals));
	n.meta = grv_calloc(n.cap, sizeof(*n.meta));
	for (i = 0; i < m->cap; i++) {
		if (m->keys[i] == NULL)
			continue;
		h = hash_bytes(m->keys[i], m->meta[i].len);
		for (j = h & (n.cap - 1); n.keys[j]; j = (j + 1) & (n.cap - 1))
			;
		map_set(&n, j, m->keys[i], h, m->vals[i]);
	}
	n.n = m->n;
	free(m->keys);
	free(m->vals);
	free(m->meta);
	*m = n;
}

int
grv_map_put(struct grv_map *m, const char *key, int val)
{
	size_t i, len = strlen(key);	/* a field: at most 1 MiB */
	uint64_t h;
	int old;

	if ((m->n + 1) * 2 > m->cap)
		map_rehash(m);
	h = hash_bytes(key, len);
	for (i = h & (m->cap - 1); m->keys[i]; i = (i + 1) & (m->cap - 1))
		if (m->meta[i].len == len && strcmp(m->keys[i], key) == 0) {
			old = m->vals[i];
			m->vals[i] = val;
			return old;
		}
	map_set(m, i, grv_strdup(key), h, val);
	m->n++;
	return -1;
}

void
grv_map_release(struct grv_map *m)
{
	size_t i;

	for (i = 0; i < m->cap; i++)
		free(m->keys[i]);
	free(m->keys);
	free(m->vals);
	free(m->meta);
	m->keys = NULL;
	m->vals = NULL;
	m->meta = NULL;
	m->cap = m->n = 0;
}

/* Key UINT64_MAX marks an empty slot. */
int
grv_imap_get(const struct grv_imap *m, uint64_t key)
{
	size_t i;

	if (m->cap == 0)
		return -1;
	for (i = hash_u64(key) & (m->cap - 1); m->keys[i] != UINT64_MAX;
	    i = (i + 1) & (m->cap - 1))
		if (m->keys[i] == key)
			return m->vals[i];
	return -1;
}

static void
imap_rehash(struct grv_imap *m)
{
	struct grv_imap n = GRV_IMAP_INIT;
	size_t i, j;

	n.cap = m->cap ? m->cap * 2 : 64;
	n.keys = grv_malloc(n.cap * sizeof(*n.keys));
	n.vals = grv_calloc(n.cap, sizeof(*n.vals));
	memset(n.keys, 0xff, n.cap * sizeof(*n.keys));
	for (i = 0; i < m->cap; i++) {
		if (m->keys[i] == UINT64_MAX)
			continue;
		j = hash_u64(m->keys[i]) & (n.cap - 1);
		while (n.keys[j] != UINT64_MAX)
			j = (j + 1) & (n.cap - 1);
		n.keys[j] = m->keys[i];
		n.vals[j] = m->vals[i];
	}
	n.n = m->n;
	free(m->keys);
	free(m->vals);
	*m = n;
}

int
grv_imap_put(struct grv_imap *m, uint64_t key, int val)
{
	size_t i;
	int old;

	if ((m->n + 1) * 2 > m->cap)
		imap_rehash(m);
	for (i = hash_u64(key) & (m->cap - 1); m->keys[i] != UINT64_MAX;
	    i = (i + 1) & (m->cap - 1))
		if (m->keys[i] == key) {
			old = m->vals[i];
			m->vals[i] = val;
			return old;
		}
	m->keys[i] = key;
	m->vals[i] = val;
	m->n++;
	return -1;
}

void
grv_imap_release(struct grv_imap *m)
{
	free(m->keys);
	free(m->vals);
	m->keys = NULL;
	m->vals = NULL;
	m->cap = m->n = 0;
}

int
grv_parse_int(const char *s, long lo, long hi, long *out)
{
	char *end;
	long v;

	if (s == NULL || *s == '\0' || *s == ' ' || *s == '+')
		return -1;
	/* Plain digits, the usual case, without strtol (the same value). */
	for (v = 0, end = (char *)s; *end >= '0' && *end <= '9' &&
	    end - s < 9; end++)
		v = v * 10 + (*end - '0');
	if (*end == '\0') {
		if (v < lo || v > hi)
			return -1;
		*out = v;
		return 0;
	}
	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || *end != '\0' || v < lo || v > hi)
		return -1;
	*out = v;
	return 0;
}

static int
cp_width(uint32_t cp)
{
	/* Non-spacing marks and zero-width characters take no column. */
	if ((cp >= 0x0300 && cp <= 0x036f) ||
	    (cp >= 0x0900 && cp <= 0x0902) || cp == 0x093a || cp == 0x093c ||
	    (cp >= 0x0941 && cp <= 0x0948) || cp == 0x094d ||
	    (cp >= 0x0951 && cp <= 0x0957) || (cp >= 0x0962 && cp <= 0x0963) ||
	    (cp >= 0x200b && cp <= 0x200f) || cp == 0xfeff)
		return 0;
	if ((cp >= 0x1100 && cp <= 0x115f) || (cp >= 0x2e80 && cp <= 0xa4cf) ||
	    (cp >= 0xac00 && cp <= 0xd7a3) || (cp >= 0xf900 && cp <= 0xfaff) ||
	    (cp >= 0xff00 && cp <= 0xff60) || (cp >= 0xffe0 && cp <= 0xffe6))
		return 2;
	return 1;
}

size_t
grv_utf8_width(const char *str)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t w = 0;
	uint32_t cp;
	int need;

	while (*s) {
		if (*s < 0x80) {
			w++;
			s++;
			continue;
		}
		if ((*s & 0xe0) == 0xc0) {
			need = 1; cp = *s & 0x1f;
		} else if ((*s & 0xf0) == 0xe0) {
			need = 2; cp = *s & 0x0f;
		} else if ((*s & 0xf8) == 0xf0) {
			need = 3; cp = *s & 0x07;
		} else {
			w++;
			s++;
			continue;
		}
		s++;
		while (need-- > 0 && (*s & 0xc0) == 0x80)
			cp = (cp << 6) | (*s++ & 0x3f);
		w += (size_t)cp_width(cp);
	}
	return w;
}

int
grv_edit_distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b), i, j;
	int *row, prev, tmp, best;

	if (la > 64 || lb > 64)
		return 99;
	row = grv_malloc((lb + 1) * sizeof(*row));
	for (j = 0; j <= lb; j++)
		row[j] = (int)j;
	for (i = 1; i <= la; i++) {
		prev = row[0];
		row[0] = (int)i;
		for (j = 1; j <= lb; j++) {
			tmp = row[j];
			best = prev + (a[i - 1] != b[j - 1]);
			if (row[j] + 1 < best)
				best = row[j] + 1;
			if (row[j - 1] + 1 < best)
				best = row[j - 1] + 1;
			row[j] = best;
			prev = tmp;
		}
	}
	best = row[lb];
	free(row);
	return best;
}

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
