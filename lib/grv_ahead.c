/* grv_ahead.c: reading a plain ledger file ahead, on every core.
 *
 * A ledger holds one record per line, so a file splits safely at line
 * boundaries.  From where the reader stands to the file's size when reading
 * began, the file is cut into chunks of CHUNK bytes.  Worker threads take
 * the chunks in turn; each reads its own with pread, takes the lines that
 * start inside it (the last may run past its end: it reads on until that
 * line's newline), splits them in place (grv_split_lines), checks each
 * row's crc against the line before, and runs the caller's prep on it.  The
 * reader hands the rows out in file order, chunk after chunk, counting the
 * line numbers.  A line a worker cannot vouch for ends its chunk: the
 * reader stops there and goes on the sequential way (grv_csv.c), so every
 * message and every edge case stays the sequential path's.  So does a
 * chunk that does not start where the one before ended, or a read error.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "grv_alloc.h"
#include "grv_chain.h"
#include "grv_ahead.h"

#define MAXTHREADS	4
#define MORE		(64 * 1024)	/* read on past a chunk by this */

static size_t	 chunk_size = 256 * 1024;
static uint64_t	 ahead_min = 4 * 1024 * 1024;
static int	 nthreads_set;		/* 0: one per core */

void
grv_ahead_tune(size_t chunk, uint64_t min, int threads)
{
	if (chunk)
		chunk_size = chunk < 64 ? 64 : chunk;
	if (min)
		ahead_min = min;
	nthreads_set = threads;
}

/* ---- splitting lines in place ---- */

/*
 * One bit for every comma, quote, LF, CR and NUL of BUF: bit I%64 of
 * BITS[I/64].  BUF may be read up to the next multiple of 64 past LEN.
 */
static void
classify(const char *buf, size_t len, uint64_t *bits)
{
	size_t w, nw = (len + 63) / 64;

#if defined(__SSE2__)
	const __m128i comma = _mm_set1_epi8(','), quote = _mm_set1_epi8('"');
	const __m128i lf = _mm_set1_epi8('\n'), cr = _mm_set1_epi8('\r');
	const __m128i nul = _mm_setzero_si128();

	for (w = 0; w < nw; w++) {
		uint64_t m = 0;
		int i;

		for (i = 0; i < 4; i++) {
			__m128i v = _mm_loadu_si128((const __m128i *)(const
			    void *)(buf + w * 64 + (size_t)i * 16));
			__m128i x = _mm_or_si128(
			    _mm_or_si128(_mm_cmpeq_epi8(v, comma),
			    _mm_cmpeq_epi8(v, quote)),
			    _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, lf),
			    _mm_cmpeq_epi8(v, cr)), _mm_cmpeq_epi8(v, nul)));

			m |= (uint64_t)(uint16_t)_mm_movemask_epi8(x) <<
			    (i * 16);
		}
		bits[w] = m;
	}
#else
	static unsigned char special[256];

	if (!special[',']) {
		special[','] = special['"'] = special['\n'] = 1;
		special['\r'] = special[0] = 1;
	}
	for (w = 0; w < nw; w++) {
		uint64_t m = 0;
		int i;

		for (i = 0; i < 64; i++)
			m |= (uint64_t)special[(unsigned char)buf[w * 64 +
			    (size_t)i]] << i;
		bits[w] = m;
	}
#endif
	if (len % 64)
		bits[nw - 1] &= (UINT64_C(1) << (len % 64)) - 1;
}

static void __attribute__((noinline))
more_fields(struct grv_lines *o)
{
	o->capf = o->capf ? o->capf * 2 : 4096;
	o->f = grv_reallocarray(o->f, o->capf, sizeof(*o->f));
	o->flen = grv_reallocarray(o->flen, o->capf, sizeof(*o->flen));
}

static inline void
push_field(struct grv_lines *o, char *s, size_t n)
{
	if (__builtin_expect(o->nf == o->capf, 0))
		more_fields(o);
	o->f[o->nf] = s;
	o->flen[o->nf++] = n;
}

size_t
grv_split_lines(char *b, size_t len, size_t lim, size_t maxrec,
    struct grv_lines *o, int *stopped)
{
	size_t nw = (len + 63) / 64, w = 0, ls = 0, fs = 0, f0 = 0, j, q;
	size_t wr, rd;
	uint64_t m;
	int have = 0;		/* the field before the next separator is in */

/* The next structural byte into J, or out when there is none. */
#define NEXT(j, out) do {						\
		while (m == 0) {					\
			if (++w >= nw)					\
				goto out;				\
			m = o->bits[w];					\
		}							\
		(j) = w * 64 + (size_t)__builtin_ctzll(m);		\
		m &= m - 1;						\
	} while (0)
/* Go on from byte P. */
#define SEEK(p) do {							\
		w = (p) / 64;						\
		m = w < nw ? o->bits[w] & (~UINT64_C(0) << ((p) % 64)) : 0; \
	} while (0)

	*stopped = 0;
	o->nl = o->nf = 0;
	if (lim == 0)
		return 0;
	if (len == 0)
		goto cut;
	if (nw > o->capbits) {
		o->capbits = nw + nw / 4;
		free(o->bits);
		o->bits = grv_reallocarray(NULL, o->capbits,
		    sizeof(*o->bits));
	}
	classify(b, len, o->bits);
	m = o->bits[0];
	for (;;) {
		NEXT(j, cut);
		switch (b[j]) {
		case ',':
			if (!have)
				push_field(o, b + fs, j - fs);
			have = 0;
			b[j] = '\0';
			fs = j + 1;
			break;
		case '\n':
			if (j == ls || j - ls > maxrec)
				goto cut;
			if (!have)
				push_field(o, b + fs, j - fs);
			have = 0;
			b[j] = '\0';
			if (o->nl == o->capl) {
				o->capl = o->capl ? o->capl * 2 : 1024;
				o->l = grv_reallocarray(o->l, o->capl,
				    sizeof(*o->l));
			}
			o->l[o->nl].start = ls;
			o->l[o->nl].len = j - ls;
			o->l[o->nl].f0 = f0;
			o->l[o->nl++].nf = o->nf - f0;
			ls = fs = j + 1;
			f0 = o->nf;
			if (ls >= lim)
				return ls;
			break;
		case '"':
			if (j != fs)
				goto cut;	/* inside an unquoted field */
			/* Quoted: "" is a quote, the closing quote must end
			   the field.  Unescaped where it stands: the bytes
			   from RD move down to WR. */
			wr = rd = j + 1;
			for (;;) {
				NEXT(q, cut);
				if (b[q] == ',')
					continue;
				if (b[q] != '"')
					goto cut;	/* LF, CR, NUL */
				if (q + 1 < len && b[q + 1] == '"') {
					memmove(b + wr, b + rd, q + 1 - rd);
					wr += q + 1 - rd;
					rd = q + 2;
					SEEK(q + 2);
					continue;
				}
				memmove(b + wr, b + rd, q - rd);
				wr += q - rd;
				break;
			}
			if (q + 1 >= len || (b[q + 1] != ',' &&
			    b[q + 1] != '\n'))
				goto cut;	/* text after the quote */
			push_field(o, b + j + 1, wr - (j + 1));
			b[wr] = '\0';
			have = 1;
			SEEK(q + 1);
			break;
		default:
			goto cut;		/* CR or NUL */
		}
	}
#undef NEXT
#undef SEEK
cut:
	o->nf = f0;
	*stopped = 1;
	return ls;
}

void
grv_lines_release(struct grv_lines *o)
{
	free(o->l);
	free(o->f);
	free(o->flen);
	free(o->bits);
	memset(o, 0, sizeof(*o));
}

/* ---- the threads ---- */

enum { SLOT_FREE, SLOT_BUSY, SLOT_DONE };

struct arow {
	size_t		 raw, rawlen;	/* the line in DATA */
	size_t		 f0, nf;	/* its fields in LINES */
	int		 chained;
	int		 prepped;
};

struct slot {
	uint64_t	 k;		/* the chunk */
	int		 state;		/* SLOT_*, under the mutex */
	char		*data;		/* the file's bytes from DOFF */
	size_t		 len, cap;
	uint64_t	 doff;
	char		*fb;		/* DATA's lines again, split */
	size_t		 fbcap;
	struct grv_lines lines;
	struct arow	*rows;
	size_t		 nrows, caprows;
	unsigned char	*prep;		/* PREPSZ bytes a row */
	size_t		 prepcap;
	uint64_t	 start, end;	/* file bytes of the rows */
	int		 empty;		/* no line starts in the chunk */
	int		 stop;		/* the line at END was not taken */
	int		 bad;		/* the chunk could not be read */
};

struct grv_ahead {
	pthread_t	 th[MAXTHREADS];
	int		 nth;
	pthread_mutex_t	 mu;
	pthread_cond_t	 wcv;		/* workers wait for a free slot */
	pthread_cond_t	 rcv;		/* the reader waits for a chunk */
	struct slot	*s;
	size_t		 nslot;		/* chunk K goes to slot K % NSLOT */
	uint64_t	 nextk;		/* the next chunk for a worker */
	uint64_t	 nchunks;
	int		 quit;
	int		 fd;
	uint64_t	 off, size;	/* the bytes read ahead */
	unsigned long	 line0;		/* lines before OFF */
	size_t		 chunk;
	grv_csv_prep_fn	 prepfn;
	size_t		 prepsz;
	void		*preparg;
	/* the reader's */
	uint64_t	 cur;		/* chunk being handed out */
	int		 have;		/* it is done and checked */
	size_t		 pos;		/* its next row */
	uint64_t	 noff;		/* where the next row must start */
	unsigned long	 nline;		/* and its line number */
};

/* Read up to N more bytes at the end of C's data; bytes read, or -1. */
static ssize_t
read_more(struct grv_ahead *ah, struct slot *c, size_t n)
{
	size_t got = 0;
	ssize_t k;

	if (c->cap < c->len + n) {
		c->cap = c->len + n;
		c->data = grv_realloc(c->data, c->cap);
	}
	while (got < n) {
		k = pread(ah->fd, c->data + c->len, n - got,
		    (off_t)(c->doff + c->len));
		if (k < 0 && errno == EINTR)
			continue;
		if (k < 0)
			return -1;
		if (k == 0)
			break;
		c->len += (size_t)k;
		got += (size_t)k;
	}
	return (ssize_t)got;
}

/* A worker's part: read chunk C->k, find its lines, split and check them. */
static void
fill(struct grv_ahead *ah, struct slot *c)
{
	uint64_t s = ah->off + c->k * ah->chunk, e;
	size_t st, lim, scan, i, n, plen = 0;
	const char *p, *pcrc = NULL;
	struct grv_csv_row row;
	int stopped;

	e = ah->size - s > ah->chunk ? s + ah->chunk : ah->size;
	c->nrows = 0;
	c->empty = c->stop = c->bad = 0;
	c->len = 0;
	/* From 16 bytes before: the newline ending the line before the
	   chunk's first, and that line's crc. */
	c->doff = c->k ? s - 16 : s;
	if (read_more(ah, c, (size_t)(e - c->doff)) != (ssize_t)(e - c->doff)) {
		c->bad = 1;		/* a read error, or the file shrank */
		return;
	}
	st = 0;
	if (c->k) {
		p = memchr(c->data + 15, '\n', c->len - 15);
		if (p == NULL) {
			c->empty = 1;	/* inside one long line */
			return;
		}
		st = (size_t)(p - c->data) + 1;
	}
	lim = (size_t)(e - c->doff);
	if (st >= lim) {
		c->empty = 1;
		return;
	}
	/* The last line starting before E ends at the first newline from
	   E - 1 on: read on to it, or to the end of the file. */
	scan = lim - 1;
	while (memchr(c->data + scan, '\n', c->len - scan) == NULL) {
		scan = c->len;
		if (c->len - lim > GRV_CSV_MAXREC + 1 ||
		    read_more(ah, c, MORE) <= 0)
			break;
	}
	n = c->len - st;
	if (c->fbcap < n + 64) {
		c->fbcap = n + 64 + n / 8;
		free(c->fb);
		c->fb = grv_malloc(c->fbcap);
	}
	memcpy(c->fb, c->data + st, n);
	memset(c->fb + n, 0, 64);
	c->start = c->doff + st;
	c->end = c->start + grv_split_lines(c->fb, n, lim - st,
	    GRV_CSV_MAXREC, &c->lines, &stopped);
	c->stop = stopped;
	if (c->lines.nl > c->caprows) {
		c->caprows = c->lines.nl + c->lines.nl / 4;
		free(c->rows);
		c->rows = grv_reallocarray(NULL, c->caprows,
		    sizeof(*c->rows));
	}
	if (ah->prepfn && c->prepcap < c->lines.nl * ah->prepsz) {
		c->prepcap = (c->lines.nl + c->lines.nl / 4) * ah->prepsz;
		free(c->prep);
		c->prep = grv_malloc(c->prepcap);
	}
	/* The crc of the line before the chunk's first (unless that is the
	   file's first line, the header, which does not chain). */
	if (c->k && st >= 10 && c->data[st - 10] == ',') {
		pcrc = c->data + st - 9;
		plen = 8;
	}
	for (i = 0; i < c->lines.nl; i++) {
		struct arow *a = &c->rows[i];
		const struct grv_line *l = &c->lines.l[i];

		a->raw = st + l->start;
		a->rawlen = l->len;
		a->f0 = l->f0;
		a->nf = l->nf;
		p = c->data + a->raw;
		n = a->rawlen;
		a->chained = plen == 8 && n >= 9 && p[n - 9] == ',' &&
		    grv_chain_verify(pcrc, 8, p, n) == 0;
		if (n >= 9 && p[n - 9] == ',' && !(c->k == 0 && i == 0 &&
		    ah->line0 == 0)) {
			pcrc = p + n - 8;
			plen = 8;
		} else
			plen = 0;
		a->prepped = 0;
		if (ah->prepfn) {
			row.nf = a->nf;
			row.f = c->lines.f + a->f0;
			row.flen = c->lines.flen + a->f0;
			row.raw = p;
			row.rawlen = n;
			row.line = 0;
			row.off = c->doff + a->raw;
			row.end = row.off + n + 1;
			row.chained = a->chained;
			row.prep = NULL;
			a->prepped = ah->prepfn(&row, c->prep + i *
			    ah->prepsz, ah->preparg) == 0;
		}
	}
	c->nrows = c->lines.nl;
}

static void *
worker(void *arg)
{
	struct grv_ahead *ah = arg;
	struct slot *c;

	pthread_mutex_lock(&ah->mu);
	for (;;) {
		while (!ah->quit && ah->nextk < ah->nchunks &&
		    ah->s[ah->nextk % ah->nslot].state != SLOT_FREE)
			pthread_cond_wait(&ah->wcv, &ah->mu);
		if (ah->quit || ah->nextk >= ah->nchunks)
			break;
		c = &ah->s[ah->nextk % ah->nslot];
		c->k = ah->nextk++;
		c->state = SLOT_BUSY;
		pthread_mutex_unlock(&ah->mu);
		fill(ah, c);
		pthread_mutex_lock(&ah->mu);
		c->state = SLOT_DONE;
		pthread_cond_broadcast(&ah->rcv);
	}
	pthread_mutex_unlock(&ah->mu);
	return NULL;
}

static int
cores(void)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);

	if (nthreads_set > 0)
		return nthreads_set > MAXTHREADS ? MAXTHREADS : nthreads_set;
	return n < 1 ? 1 : n > MAXTHREADS ? MAXTHREADS : (int)n;
}

struct grv_ahead *
grv_ahead_start(const char *path, uint64_t off, unsigned long line,
    grv_csv_prep_fn prep, size_t prepsz, void *preparg)
{
	struct grv_ahead *ah;
	struct stat sb;
	int fd, i;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1)
		return NULL;
	if (fstat(fd, &sb) == -1 || sb.st_size < 0 ||
	    (uint64_t)sb.st_size < off + ahead_min ||
	    (uint64_t)sb.st_size == off) {
		close(fd);
		return NULL;
	}
	ah = grv_calloc(1, sizeof(*ah));
	ah->fd = fd;
	ah->off = ah->noff = off;
	ah->size = (uint64_t)sb.st_size;
	ah->line0 = line;
	ah->nline = line + 1;
	ah->chunk = chunk_size;
	ah->nchunks = (ah->size - off + ah->chunk - 1) / ah->chunk;
	ah->prepfn = prep;
	/* Each row's part aligned as malloc aligns. */
	ah->prepsz = prep ? (prepsz + 15) & ~(size_t)15 : 0;
	ah->preparg = preparg;
	ah->nth = cores();
	ah->nslot = (size_t)ah->nth + 2;
	ah->s = grv_calloc(ah->nslot, sizeof(*ah->s));
	pthread_mutex_init(&ah->mu, NULL);
	pthread_cond_init(&ah->wcv, NULL);
	pthread_cond_init(&ah->rcv, NULL);
	for (i = 0; i < ah->nth; i++)
		if (pthread_create(&ah->th[i], NULL, worker, ah) != 0)
			break;
	if (i == 0) {
		ah->nth = 0;
		grv_ahead_stop(ah);
		return NULL;
	}
	ah->nth = i;
	return ah;
}

int
grv_ahead_next(struct grv_ahead *ah, struct grv_csv_row *row)
{
	struct slot *c;
	const struct arow *a;

	for (;;) {
		if (ah->cur >= ah->nchunks)
			return 0;
		c = &ah->s[ah->cur % ah->nslot];
		if (!ah->have) {
			pthread_mutex_lock(&ah->mu);
			while (c->state != SLOT_DONE || c->k != ah->cur)
				pthread_cond_wait(&ah->rcv, &ah->mu);
			pthread_mutex_unlock(&ah->mu);
			/* Rows must go on exactly where the last ended. */
			if (c->bad || (!c->empty && c->start != ah->noff))
				return 0;
			ah->have = 1;
			ah->pos = 0;
		}
		if (ah->pos < c->nrows)
			break;
		if (c->stop)
			return 0;
		if (!c->empty)
			ah->noff = c->end;
		pthread_mutex_lock(&ah->mu);
		c->state = SLOT_FREE;
		pthread_cond_broadcast(&ah->wcv);
		pthread_mutex_unlock(&ah->mu);
		ah->cur++;
		ah->have = 0;
	}
	a = &c->rows[ah->pos];
	row->nf = a->nf;
	row->f = c->lines.f + a->f0;
	row->flen = c->lines.flen + a->f0;
	row->raw = c->data + a->raw;
	row->rawlen = a->rawlen;
	row->line = ah->nline++;
	row->off = c->doff + a->raw;
	row->end = row->off + a->rawlen + 1;
	row->chained = a->chained;
	row->prep = a->prepped ? c->prep + ah->pos * ah->prepsz : NULL;
	ah->noff = row->end;
	ah->pos++;
	return 1;
}

const void *
grv_ahead_peek(const struct grv_ahead *ah, size_t k)
{
	const struct slot *c = &ah->s[ah->cur % ah->nslot];
	size_t i = ah->pos - 1 + k;

	if (!ah->have || ah->pos == 0 || i >= c->nrows || !c->rows[i].prepped)
		return NULL;
	return c->prep + i * ah->prepsz;
}

void
grv_ahead_where(const struct grv_ahead *ah, uint64_t *off,
    unsigned long *line)
{
	*off = ah->noff;
	*line = ah->nline - 1;
}

void
grv_ahead_stop(struct grv_ahead *ah)
{
	size_t i;
	int t;

	if (ah == NULL)
		return;
	pthread_mutex_lock(&ah->mu);
	ah->quit = 1;
	pthread_cond_broadcast(&ah->wcv);
	pthread_mutex_unlock(&ah->mu);
	for (t = 0; t < ah->nth; t++)
		pthread_join(ah->th[t], NULL);
	pthread_mutex_destroy(&ah->mu);
	pthread_cond_destroy(&ah->wcv);
	pthread_cond_destroy(&ah->rcv);
	close(ah->fd);
	for (i = 0; i < ah->nslot; i++) {
		free(ah->s[i].data);
		free(ah->s[i].fb);
		grv_lines_release(&ah->s[i].lines);
		free(ah->s[i].rows);
		free(ah->s[i].prep);
	}
	free(ah->s);
	free(ah);
}
