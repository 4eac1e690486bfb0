/* grv_ledger.c: the ledger on disk: segments, append, lock, tail, chain,
 * clock. */
#include <errno.h>
#include <fcntl.h>
#include <glob.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <zlib.h>

#include "grv_alloc.h"
#include "grv_buf.h"
#include "grv_csv.h"
#include "grv_file.h"
#include "grv_hwm.h"
#include "grv_ledger.h"
#include "grv_msg.h"

const char *const grv_complaints_cols[GRV_C_NCOLS + 1] = { "id", "registered",
	"channel", "category", "loc", "name", "phone", "text", "ref", "crc",
	NULL };
const char *const grv_events_cols[GRV_E_NCOLS + 1] = { "ts", "id", "event",
	"level", "dept", "officer", "due", "actor", "reason", "ref", "note",
	"crc", NULL };

const char *
grv_ledger_header(enum grv_ledger_kind k)
{
	return k == GRV_COMPLAINTS ?
	    "id,registered,channel,category,loc,name,phone,text,ref,crc" :
	    "ts,id,event,level,dept,officer,due,actor,reason,ref,note,crc";
}

const char *
grv_ledger_name(enum grv_ledger_kind k)
{
	return k == GRV_COMPLAINTS ? "complaints" : "events";
}

size_t
grv_ledger_ncols(enum grv_ledger_kind k)
{
	return k == GRV_COMPLAINTS ? GRV_C_NCOLS : GRV_E_NCOLS;
}

#if defined(__x86_64__) && defined(__GNUC__)
#include <immintrin.h>

/*
 * zlib's crc32 over N bytes (N >= 64, a multiple of 16) by carry-less
 * multiplication: 4 x 128 bits folded at a time, then Barrett reduction
 * ("Fast CRC Computation for Generic Polynomials Using PCLMULQDQ", Intel,
 * 2009; the constants of the reflected polynomial 0xedb88320).  CRC and
 * the result are zlib's, not inverted.  tests/unit/test_crc.c holds it to
 * zlib.
 */
__attribute__((target("sse4.1,pclmul")))
static uint32_t
crc32_clmul(const unsigned char *buf, size_t len, uint32_t crc)
{
	static const uint64_t k1k2[2] __attribute__((aligned(16))) =
	    { 0x0154442bd4ULL, 0x01c6e41596ULL };
	static const uint64_t k3k4[2] __attribute__((aligned(16))) =
	    { 0x01751997d0ULL, 0x00ccaa009eULL };
	static const uint64_t k5k0[2] __attribute__((aligned(16))) =
	    { 0x0163cd6124ULL, 0 };
	static const uint64_t poly[2] __attribute__((aligned(16))) =
	    { 0x01db710641ULL, 0x01f7011641ULL };
	__m128i x0, x1, x2, x3, x4, x5, x6, x7, x8;

	crc = ~crc;
	x1 = _mm_loadu_si128((const __m128i *)(const void *)(buf + 0x00));
	x2 = _mm_loadu_si128((const __m128i *)(const void *)(buf + 0x10));
	x3 = _mm_loadu_si128((const __m128i *)(const void *)(buf + 0x20));
	x4 = _mm_loadu_si128((const __m128i *)(const void *)(buf + 0x30));
	x1 = _mm_xor_si128(x1, _mm_cvtsi32_si128((int)crc));
	x0 = _mm_load_si128((const __m128i *)(const void *)k1k2);
	buf += 64;
	len -= 64;
	while (len >= 64) {
		x5 = _mm_clmulepi64_si128(x1, x0, 0x00);
		x6 = _mm_clmulepi64_si128(x2, x0, 0x00);
		x7 = _mm_clmulepi64_si128(x3, x0, 0x00);
		x8 = _mm_clmulepi64_si128(x4, x0, 0x00);
		x1 = _mm_clmulepi64_si128(x1, x0, 0x11);
		x2 = _mm_clmulepi64_si128(x2, x0, 0x11);
		x3 = _mm_clmulepi64_si128(x3, x0, 0x11);
		x4 = _mm_clmulepi64_si128(x4, x0, 0x11);
		x1 = _mm_xor_si128(_mm_xor_si128(x1, x5), _mm_loadu_si128(
		    (const __m128i *)(const void *)(buf + 0x00)));
		x2 = _mm_xor_si128(_mm_xor_si128(x2, x6), _mm_loadu_si128(
		    (const __m128i *)(const void *)(buf + 0x10)));
		x3 = _mm_xor_si128(_mm_xor_si128(x3, x7), _mm_loadu_si128(
		    (const __m128i *)(const void *)(buf + 0x20)));
		x4 = _mm_xor_si128(_mm_xor_si128(x4, x8), _mm_loadu_si128(
		    (const __m128i *)(const void *)(buf + 0x30)));
		buf += 64;
		len -= 64;
	}
	/* Fold into 128 bits. */
	x0 = _mm_load_si128((const __m128i *)(const void *)k3k4);
	x5 = _mm_clmulepi64_si128(x1, x0, 0x00);
	x1 = _mm_clmulepi64_si128(x1, x0, 0x11);
	x1 = _mm_xor_si128(_mm_xor_si128(x1, x2), x5);
	x5 = _mm_clmulepi64_si128(x1, x0, 0x00);
	x1 = _mm_clmulepi64_si128(x1, x0, 0x11);
	x1 = _mm_xor_si128(_mm_xor_si128(x1, x3), x5);
	x5 = _mm_clmulepi64_si128(x1, x0, 0x00);
	x1 = _mm_clmulepi64_si128(x1, x0, 0x11);
	x1 = _mm_xor_si128(_mm_xor_si128(x1, x4), x5);
	while (len >= 16) {
		x2 = _mm_loadu_si128((const __m128i *)(const void *)buf);
		x5 = _mm_clmulepi64_si128(x1, x0, 0x00);
		x1 = _mm_clmulepi64_si128(x1, x0, 0x11);
		x1 = _mm_xor_si128(_mm_xor_si128(x1, x2), x5);
		buf += 16;
		len -= 16;
	}
	/* 128 bits to 64. */
	x2 = _mm_clmulepi64_si128(x1, x0, 0x10);
	x3 = _mm_setr_epi32(~0, 0, ~0, 0);
	x1 = _mm_srli_si128(x1, 8);
	x1 = _mm_xor_si128(x1, x2);
	x0 = _mm_loadl_epi64((const __m128i *)(const void *)k5k0);
	x2 = _mm_srli_si128(x1, 4);
	x1 = _mm_and_si128(x1, x3);
	x1 = _mm_clmulepi64_si128(x1, x0, 0x00);
	x1 = _mm_xor_si128(x1, x2);
	/* Barrett reduction to 32 bits. */
	x0 = _mm_load_si128((const __m128i *)(const void *)poly);
	x2 = _mm_and_si128(x1, x3);
	x2 = _mm_clmulepi64_si128(x2, x0, 0x10);
	x2 = _mm_and_si128(x2, x3);
	x2 = _mm_clmulepi64_si128(x2, x0, 0x00);
	x1 = _mm_xor_si128(x1, x2);
	return ~(uint32_t)_mm_extract_epi32(x1, 1);
}

static int
have_clmul(void)
{
	static int have = -1;

	if (have == -1)
		have = __builtin_cpu_supports("pclmul") &&
		    __builtin_cpu_supports("sse4.1");
	return have;
}
#endif

/* zlib's crc32 table (reflected 0xedb88320), for the few bytes left. */
static const uint32_t crc_table[256] = {
	0x00000000U, 0x77073096U, 0xee0e612cU, 0x990951baU,
	0x076dc419U, 0x706af48fU, 0xe963a535U, 0x9e6495a3U,
	0x0edb8832U, 0x79dcb8a4U, 0xe0d5e91eU, 0x97d2d988U,
	0x09b64c2bU, 0x7eb17cbdU, 0xe7b82d07U, 0x90bf1d91U,
	0x1db71064U, 0x6ab020f2U, 0xf3b97148U, 0x84be41deU,
	0x1adad47dU, 0x6ddde4ebU, 0xf4d4b551U, 0x83d385c7U,
	0x136c9856U, 0x646ba8c0U, 0xfd62f97aU, 0x8a65c9ecU,
	0x14015c4fU, 0x63066cd9U, 0xfa0f3d63U, 0x8d080df5U,
	0x3b6e20c8U, 0x4c69105eU, 0xd56041e4U, 0xa2677172U,
	0x3c03e4d1U, 0x4b04d447U, 0xd20d85fdU, 0xa50ab56bU,
	0x35b5a8faU, 0x42b2986cU, 0xdbbbc9d6U, 0xacbcf940U,
	0x32d86ce3U, 0x45df5c75U, 0xdcd60dcfU, 0xabd13d59U,
	0x26d930acU, 0x51de003aU, 0xc8d75180U, 0xbfd06116U,
	0x21b4f4b5U, 0x56b3c423U, 0xcfba9599U, 0xb8bda50fU,
	0x2802b89eU, 0x5f058808U, 0xc60cd9b2U, 0xb10be924U,
	0x2f6f7c87U, 0x58684c11U, 0xc1611dabU, 0xb6662d3dU,
	0x76dc4190U, 0x01db7106U, 0x98d220bcU, 0xefd5102aU,
	0x71b18589U, 0x06b6b51fU, 0x9fbfe4a5U, 0xe8b8d433U,
	0x7807c9a2U, 0x0f00f934U, 0x9609a88eU, 0xe10e9818U,
	0x7f6a0dbbU, 0x086d3d2dU, 0x91646c97U, 0xe6635c01U,
	0x6b6b51f4U, 0x1c6c6162U, 0x856530d8U, 0xf262004eU,
	0x6c0695edU, 0x1b01a57bU, 0x8208f4c1U, 0xf50fc457U,
	0x65b0d9c6U, 0x12b7e950U, 0x8bbeb8eaU, 0xfcb9887cU,
	0x62dd1ddfU, 0x15da2d49U, 0x8cd37cf3U, 0xfbd44c65U,
	0x4db26158U, 0x3ab551ceU, 0xa3bc0074U, 0xd4bb30e2U,
	0x4adfa541U, 0x3dd895d7U, 0xa4d1c46dU, 0xd3d6f4fbU,
	0x4369e96aU, 0x346ed9fcU, 0xad678846U, 0xda60b8d0U,
	0x44042d73U, 0x33031de5U, 0xaa0a4c5fU, 0xdd0d7cc9U,
	0x5005713cU, 0x270241aaU, 0xbe0b1010U, 0xc90c2086U,
	0x5768b525U, 0x206f85b3U, 0xb966d409U, 0xce61e49fU,
	0x5edef90eU, 0x29d9c998U, 0xb0d09822U, 0xc7d7a8b4U,
	0x59b33d17U, 0x2eb40d81U, 0xb7bd5c3bU, 0xc0ba6cadU,
	0xedb88320U, 0x9abfb3b6U, 0x03b6e20cU, 0x74b1d29aU,
	0xead54739U, 0x9dd277afU, 0x04db2615U, 0x73dc1683U,
	0xe3630b12U, 0x94643b84U, 0x0d6d6a3eU, 0x7a6a5aa8U,
	0xe40ecf0bU, 0x9309ff9dU, 0x0a00ae27U, 0x7d079eb1U,
	0xf00f9344U, 0x8708a3d2U, 0x1e01f268U, 0x6906c2feU,
	0xf762575dU, 0x806567cbU, 0x196c3671U, 0x6e6b06e7U,
	0xfed41b76U, 0x89d32be0U, 0x10da7a5aU, 0x67dd4accU,
	0xf9b9df6fU, 0x8ebeeff9U, 0x17b7be43U, 0x60b08ed5U,
	0xd6d6a3e8U, 0xa1d1937eU, 0x38d8c2c4U, 0x4fdff252U,
	0xd1bb67f1U, 0xa6bc5767U, 0x3fb506ddU, 0x48b2364bU,
	0xd80d2bdaU, 0xaf0a1b4cU, 0x36034af6U, 0x41047a60U,
	0xdf60efc3U, 0xa867df55U, 0x316e8eefU, 0x4669be79U,
	0xcb61b38cU, 0xbc66831aU, 0x256fd2a0U, 0x5268e236U,
	0xcc0c7795U, 0xbb0b4703U, 0x220216b9U, 0x5505262fU,
	0xc5ba3bbeU, 0xb2bd0b28U, 0x2bb45a92U, 0x5cb36a04U,
	0xc2d7ffa7U, 0xb5d0cf31U, 0x2cd99e8bU, 0x5bdeae1dU,
	0x9b64c2b0U, 0xec63f226U, 0x756aa39cU, 0x026d930aU,
	0x9c0906a9U, 0xeb0e363fU, 0x72076785U, 0x05005713U,
	0x95bf4a82U, 0xe2b87a14U, 0x7bb12baeU, 0x0cb61b38U,
	0x92d28e9bU, 0xe5d5be0dU, 0x7cdcefb7U, 0x0bdbdf21U,
	0x86d3d2d4U, 0xf1d4e242U, 0x68ddb3f8U, 0x1fda836eU,
	0x81be16cdU, 0xf6b9265bU, 0x6fb077e1U, 0x18b74777U,
	0x88085ae6U, 0xff0f6a70U, 0x66063bcaU, 0x11010b5cU,
	0x8f659effU, 0xf862ae69U, 0x616bffd3U, 0x166ccf45U,
	0xa00ae278U, 0xd70dd2eeU, 0x4e048354U, 0x3903b3c2U,
	0xa7672661U, 0xd06016f7U, 0x4969474dU, 0x3e6e77dbU,
	0xaed16a4aU, 0xd9d65adcU, 0x40df0b66U, 0x37d83bf0U,
	0xa9bcae53U, 0xdebb9ec5U, 0x47b2cf7fU, 0x30b5ffe9U,
	0xbdbdf21cU, 0xcabac28aU, 0x53b39330U, 0x24b4a3a6U,
	0xbad03605U, 0xcdd70693U, 0x54de5729U, 0x23d967bfU,
	0xb3667a2eU, 0xc4614ab8U, 0x5d681b02U, 0x2a6f2b94U,
	0xb40bbe37U, 0xc30c8ea1U, 0x5a05df1bU, 0x2d02ef8dU,
};

/* zlib's crc32 of N bytes, a byte at a time: for a handful of them,
   cheaper than a call into zlib. */
static uLong
crc_bytes(uLong c, const char *p, size_t n)
{
	uint32_t x = ~(uint32_t)c;

	while (n--)
		x = crc_table[(x ^ (unsigned char)*p++) & 0xff] ^ (x >> 8);
	return ~x;
}

/* zlib's crc32, carry-less multiplication doing the bulk where it can. */
static uLong
crc_more(uLong c, const char *p, size_t n)
{
#if defined(__x86_64__) && defined(__GNUC__)
	size_t bulk = n & ~(size_t)15;

	if (bulk >= 64 && have_clmul()) {
		c = crc32_clmul((const unsigned char *)p, bulk, (uint32_t)c);
		p += bulk;
		n -= bulk;
	}
#endif
	if (n <= 32)
		return crc_bytes(c, p, n);
	return crc32(c, (const Bytef *)p, (uInt)n);
}

void
grv_chain_crc(const char *prev, size_t prevlen, const char *body,
    size_t bodylen, char out[9])
{
	uLong c = crc32(0L, Z_NULL, 0);

	static const char hex[] = "0123456789abcdef";
	int i;

	c = crc_more(c, prev, prevlen);
	c = crc_more(c, body, bodylen);
	/* "%08lx" by hand: this runs for every row of every fold. */
	for (i = 7; i >= 0; i--, c >>= 4)
		out[i] = hex[c & 0xf];
	out[8] = '\0';
}

const char *
grv_row_crc(const char *row, size_t len)
{
	if (len < 9 || row[len - 9] != ',')
		return NULL;
	return row + len - 8;
}

int
grv_chain_verify(const char *prev, size_t prevlen, const char *row,
    size_t rowlen)
{
	const char *have = grv_row_crc(row, rowlen);
	char want[9];

	if (have == NULL)
		return -1;
	grv_chain_crc(prev, prevlen, row, rowlen - 9, want);
	return memcmp(have, want, 8) == 0 ? 0 : -1;
}

static int
cmpstr(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

void
grv_ledger_segments(const char *dir, const char *stem,
    struct grv_segments *sg)
{
	struct grv_buf pat = GRV_BUF_INIT;
	glob_t g;
	size_t i, skip;

	sg->n = 0;
	sg->rel = NULL;
	sg->name = NULL;
	grv_buf_printf(&pat, "%s/ledger/%s*.csv.gz", dir, stem);
	if (glob(pat.s, GLOB_NOSORT, NULL, &g) == 0) {
		sg->n = g.gl_pathc;
		sg->rel = grv_calloc(sg->n, sizeof(*sg->rel));
		sg->name = grv_calloc(sg->n, sizeof(*sg->name));
		skip = strlen(dir) + 1;
		for (i = 0; i < sg->n; i++)
			sg->rel[i] = grv_strdup(g.gl_pathv[i] + skip);
		qsort(sg->rel, sg->n, sizeof(*sg->rel), cmpstr);
		for (i = 0; i < sg->n; i++)
			sg->name[i] = sg->rel[i] + strlen("ledger/");
		globfree(&g);
	}
	grv_buf_release(&pat);
}

void
grv_segments_release(struct grv_segments *sg)
{
	size_t i;

	for (i = 0; i < sg->n; i++)
		free(sg->rel[i]);
	free(sg->rel);
	free(sg->name);
	sg->n = 0;
	sg->rel = NULL;
	sg->name = NULL;
}

int
grv_pread_all(int fd, void *buf, size_t len, off_t off)
{
	char *p = buf;
	ssize_t r;

	while (len > 0) {
		r = pread(fd, p, len, off);
		if (r < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		if (r == 0) {
			errno = EIO;
			return -1;
		}
		p += r;
		len -= (size_t)r;
		off += r;
	}
	return 0;
}

int
grv_ledger_tail(int fd, off_t end, enum grv_ledger_kind kind, size_t chunk,
    size_t max, struct grv_tail *t)
{
	const char *hdr = grv_ledger_header(kind), *ptxt;
	size_t hlen = strlen(hdr), n, plen;
	char *e, *p, *q;

	for (;;) {
		n = (off_t)chunk > end ? (size_t)end : chunk;
		t->off = end - (off_t)n;
		t->buf = grv_realloc(t->buf, n + 1);
		if (grv_pread_all(fd, t->buf, n, t->off) == -1)
			return GRV_TAIL_IOERR;
		t->buf[n] = '\0';
		if (t->buf[n - 1] != '\n')
			return GRV_TAIL_TORN;
		e = t->buf + n - 1;		/* the final newline */
		/* p: start of the last line; q: start of the one before. */
		for (p = e; p > t->buf && p[-1] != '\n'; p--)
			;
		q = p;
		if (p > t->buf)
			for (q = p - 1; q > t->buf && q[-1] != '\n'; q--)
				;
		if (t->off == 0 || q > t->buf)
			break;
		if (max && chunk >= max)
			return GRV_TAIL_LONG;
		chunk *= 4;
	}
	t->last = p;
	t->lastlen = (size_t)(e - p);
	if (p == t->buf)		/* the only line */
		return t->lastlen == hlen && memcmp(p, hdr, hlen) == 0 ?
		    GRV_TAIL_HEADER : GRV_TAIL_NOCRC;
	if (t->off == 0 && q == t->buf) {
		/* The first row: it follows from the header. */
		if ((size_t)(p - 1 - q) != hlen || memcmp(q, hdr, hlen) != 0)
			return GRV_TAIL_NOCRC;
		ptxt = hdr;
		plen = hlen;
	} else {
		if ((ptxt = grv_row_crc(q, (size_t)(p - 1 - q))) == NULL)
			return GRV_TAIL_NOCRC;
		plen = 8;
	}
	return grv_chain_verify(ptxt, plen, t->last, t->lastlen) == 0 ?
	    GRV_TAIL_ROW : GRV_TAIL_CHAIN;
}

void
grv_tail_release(struct grv_tail *t)
{
	free(t->buf);
	t->buf = NULL;
	t->last = NULL;
	t->lastlen = 0;
}

/*
 * Read the tail of the locked file: its last row and that row's crc.  The
 * header counts as the line before the first row.
 */
static int
read_tail(struct grv_ledger *lg)
{
	const char *hdr = grv_ledger_header(lg->kind);
	size_t hlen = strlen(hdr);
	struct grv_tail t = GRV_TAIL_INIT;
	char *buf;
	int k, rc = GRV_EX_DATAERR;

	/* The header, wherever the tail below starts. */
	buf = grv_malloc(hlen + 1);
	if (lg->size >= (off_t)hlen + 1 &&
	    grv_pread_all(lg->fd, buf, hlen + 1, 0) == -1) {
		grv_err("%s: %s", lg->rel, strerror(errno));
		free(buf);
		return GRV_EX_IOERR;
	}
	if (lg->size < (off_t)hlen + 1 || memcmp(buf, hdr, hlen) != 0 ||
	    buf[hlen] != '\n') {
		grv_err("%s:1: header is not '%s'", lg->rel, hdr);
		free(buf);
		return GRV_EX_DATAERR;
	}
	free(buf);
	k = grv_ledger_tail(lg->fd, lg->size, lg->kind, 64 * 1024, 0, &t);
	if (k == GRV_TAIL_ROW || k == GRV_TAIL_NOCRC || k == GRV_TAIL_CHAIN) {
		lg->lastlen = t.lastlen;
		lg->last = grv_strndup(t.last, t.lastlen);
	}
	switch (k) {
	case GRV_TAIL_ROW:
		memcpy(lg->crc, lg->last + lg->lastlen - 8, 8);
		lg->crc[8] = '\0';
		rc = 0;
		break;
	case GRV_TAIL_HEADER:
		lg->crc[0] = '\0';
		rc = 0;
		break;
	case GRV_TAIL_IOERR:
		grv_err("%s: %s", lg->rel, strerror(errno));
		rc = GRV_EX_IOERR;
		break;
	case GRV_TAIL_TORN:
		grv_err("%s: last line has no newline (a torn write); "
		    "run 'grv-check --repair'", lg->rel);
		break;
	case GRV_TAIL_NOCRC:
		grv_err("%s: row before the last has no crc (damaged); run "
		    "'grv-check'", lg->rel);
		break;
	default:
		grv_err("%s: last row fails its crc (a torn or edited write); "
		    "run 'grv-check'", lg->rel);
		break;
	}
	grv_tail_release(&t);
	return rc;
}

static mode_t
current_umask(void)
{
	mode_t m = umask(0);

	umask(m);
	return m;
}

static int pending_check(struct grv_ledger *);

int
grv_ledger_flock(int fd, int op, double wait, const char *rel,
    const char *holder)
{
	if (grv_flock_wait(fd, op, wait) == 0)
		return 0;
	if (errno == EWOULDBLOCK) {
		grv_err("%s: locked by %s for more than %g seconds", rel,
		    holder, wait);
		return GRV_EX_TEMPFAIL;
	}
	grv_err("%s: lock: %s", rel, strerror(errno));
	return GRV_EX_IOERR;
}

/*
 * Verify the whole chain of the locked file and count its rows: for a
 * file that something other than grv has touched since grv last wrote it.
 */
static int
verify_chain(struct grv_ledger *lg)
{
	const char *hdr = grv_ledger_header(lg->kind);
	size_t hlen = strlen(hdr), cap = 1024 * 1024, have = 0, n;
	char *buf = grv_malloc(cap), prev[9] = "", *p, *nl;
	unsigned long line = 0;
	off_t off = 0;
	ssize_t r;
	int rc = 0;

	for (;;) {
		if (have == cap) {
			if (cap >= 64 * 1024 * 1024) {
				grv_err("%s:%lu: line too long", lg->rel,
				    line + 1);
				rc = GRV_EX_DATAERR;
				break;
			}
			cap *= 2;
			buf = grv_realloc(buf, cap);
		}
		r = pread(lg->fd, buf + have, cap - have, off);
		if (r < 0) {
			if (errno == EINTR)
				continue;
			grv_err("%s: %s", lg->rel, strerror(errno));
			rc = GRV_EX_IOERR;
			break;
		}
		if (r == 0)
			break;		/* read_tail vouched for the end */
		off += r;
		have += (size_t)r;
		for (p = buf; (nl = memchr(p, '\n', have - (size_t)(p - buf)));
		    p = nl + 1) {
			n = (size_t)(nl - p);
			line++;
			if (line == 1) {
				if (n != hlen || memcmp(p, hdr, hlen) != 0) {
					grv_err("%s:1: header is not '%s'",
					    lg->rel, hdr);
					rc = GRV_EX_DATAERR;
					goto out;
				}
				continue;
			}
			if (grv_chain_verify(prev[0] ? prev : hdr,
			    prev[0] ? 8 : hlen, p, n) == -1) {
				grv_err("%s:%lu: crc does not match the chain "
				    "(damaged or edited); run 'grv-check'",
				    lg->rel, line);
				rc = GRV_EX_DATAERR;
				goto out;
			}
			memcpy(prev, p + n - 8, 8);
			prev[8] = '\0';
		}
		have -= (size_t)(p - buf);
		memmove(buf, p, have);
	}
out:
	free(buf);
	if (rc == 0)
		lg->rows = line ? line - 1 : 0;
	return rc;
}

/* Hold the file (ST, or NULL while it does not exist) against its mark. */
static int
vouch(struct grv_ledger *lg, const struct stat *st)
{
	struct grv_buf why = GRV_BUF_INIT;
	int v;

	lg->hwm = grv_calloc(1, sizeof(*lg->hwm));
	v = grv_hwm_vouch(lg->dir, lg->kind, st, lg->hwm, &why);
	if (v == GRV_HWM_DAMAGED) {
		if (why.len)
			grv_err("%s", why.s);
		grv_buf_release(&why);
		return GRV_EX_DATAERR;
	}
	grv_buf_release(&why);
	lg->trusted = v == GRV_HWM_TRUSTED;
	if (lg->trusted) {
		lg->rows = lg->hwm->live.rows;
		lg->total = lg->hwm->total;
		return 0;
	}
	lg->rows = 0;
	if (st && st->st_size > 0 && (v = verify_chain(lg)) != 0)
		return v;
	if (grv_hwm_segment_rows(lg->dir, lg->kind, &lg->total) == -1)
		return GRV_EX_DATAERR;
	lg->total += lg->rows;
	return 0;
}

/* Record what the last commit left (a failure costs only speed). */
static void
record(struct grv_ledger *lg)
{
	if (lg->fd != -1)
		(void)grv_hwm_record(lg->dir, lg->kind, lg->fd, lg->rows,
		    lg->crc, lg->last, lg->lastlen, lg->total, lg->hwm);
}

int
grv_ledger_lock(struct grv_ledger *lg, const char *dir,
    enum grv_ledger_kind kind, double wait)
{
	struct grv_buf b = GRV_BUF_INIT;
	struct stat st;
	int rc, retries = 5;

	lg->kind = kind;
	lg->fd = lg->dfd = -1;
	lg->dir = grv_strdup(dir);
	grv_buf_printf(&b, "ledger/%s.csv", grv_ledger_name(kind));
	lg->rel = grv_strdup(b.s);
	grv_buf_reset(&b);
	grv_buf_printf(&b, "%s/%s", dir, lg->rel);
	lg->path = grv_strdup(b.s);
	grv_buf_release(&b);
	/* Neither ledger/ nor the file may lead elsewhere (O_NOFOLLOW
	   covers only the last name). */
	if ((rc = grv_refuse_link(dir, "ledger")) != 0)
		return rc;
again:
	for (;;) {
		lg->fd = open(lg->path, O_RDWR | O_APPEND | O_CLOEXEC |
		    O_NOFOLLOW);
		if (lg->fd != -1)
			break;
		if (errno == ELOOP)
			return grv_refuse_link(dir, lg->rel) ? GRV_EX_CANTCREAT :
			    GRV_EX_IOERR;
		if (errno != ENOENT) {
			grv_err("%s: %s", lg->rel, strerror(errno));
			return errno == EACCES || errno == EROFS ?
			    GRV_EX_CANTCREAT : GRV_EX_IOERR;
		}
		if (lg->dfd != -1) {
			/* Still missing with the directory locked: new. */
			lg->size = 0;
			lg->crc[0] = '\0';
			return vouch(lg, NULL);
		}
		/* Creators serialise on the data directory, then look
		   again: another may have created it while we waited. */
		lg->dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (lg->dfd == -1) {
			grv_err("%s: %s", dir, strerror(errno));
			return GRV_EX_NOINPUT;
		}
		if ((rc = grv_ledger_flock(lg->dfd, LOCK_EX, wait, lg->rel,
		    "another process")) != 0)
			return rc;
	}
	if (lg->dfd != -1) {
		close(lg->dfd);
		lg->dfd = -1;
	}
	if ((rc = grv_ledger_flock(lg->fd, LOCK_EX, wait, lg->rel,
	    "another process")) != 0)
		return rc;
	if (fstat(lg->fd, &st) == -1) {
		grv_err("%s: %s", lg->rel, strerror(errno));
		return GRV_EX_IOERR;
	}
	{
		/* Sealed while we waited: the name is a fresh file now. */
		struct stat now;

		if (stat(lg->path, &now) == 0 && (now.st_ino != st.st_ino ||
		    now.st_dev != st.st_dev) && --retries > 0) {
			close(lg->fd);
			lg->fd = -1;
			goto again;
		}
	}
	lg->size = st.st_size;
	if ((rc = pending_check(lg)) != 0)
		return rc;
	if (lg->size == 0) {
		/* Left by a creator killed before its header (older grv):
		   nothing was ever in it; the first commit writes one. */
		lg->crc[0] = '\0';
		return vouch(lg, &st);
	}
	if ((rc = read_tail(lg)) != 0)
		return rc;
	return vouch(lg, &st);
}

int
grv_ledger_clock(const char *rel, grv_time_t now, grv_time_t last,
    const char *lasttxt, int tz)
{
	char ts[GRV_TSLEN], lts[GRV_TSLEN];

	if (last == GRV_TIME_NONE || last <= now)
		return 0;
	grv_time_format(now, tz, ts);
	if (lasttxt == NULL) {
		grv_time_format(last, tz, lts);
		lasttxt = lts;
	}
	grv_err("--now %s is earlier than the last row of %s (%.25s): "
	    "timestamps never go back", ts, rel, lasttxt);
	return GRV_EX_DATAERR;
}

grv_time_t
grv_ledger_peek_ts(const char *dir)
{
	struct grv_buf path = GRV_BUF_INIT;
	grv_time_t t = GRV_TIME_NONE;
	struct stat sb;
	char buf[65536], *p;
	ssize_t r;
	off_t off;
	int fd;

	grv_buf_printf(&path, "%s/ledger/events.csv", dir);
	fd = open(path.s, O_RDONLY | O_CLOEXEC);
	grv_buf_release(&path);
	if (fd == -1)
		return t;
	if (fstat(fd, &sb) == 0 && sb.st_size > 1) {
		off = sb.st_size > (off_t)sizeof(buf) ?
		    sb.st_size - (off_t)sizeof(buf) : 0;
		r = pread(fd, buf, sizeof(buf), off);
		if (r > 1 && buf[r - 1] == '\n') {
			for (p = buf + r - 1; p > buf && p[-1] != '\n'; p--)
				;
			if (p > buf || off == 0)
				(void)grv_time_parse_ts(p, 25, &t);
		}
	}
	close(fd);
	return t;
}

/* Put the header line in front of the queued rows, in place (a batch's
   rows are tens of megabytes: no second copy of them). */
static void
prepend_header(struct grv_ledger *lg)
{
	const char *hdr = grv_ledger_header(lg->kind);
	size_t h = strlen(hdr) + 1;

	grv_buf_grow(&lg->pending, h);
	memmove(lg->pending.s + h, lg->pending.s, lg->pending.len + 1);
	memcpy(lg->pending.s, hdr, h - 1);
	lg->pending.s[h - 1] = '\n';
	lg->pending.len += h;
}

/*
 * Create the ledger file holding DATA, its header line and rows: a
 * temporary file in ledger/, locked before it has a name, written, synced,
 * then linked into place, so that no one sees it half made and no one else
 * can lock it before us.
 */
static int
create_file(struct grv_ledger *lg, const char *data, size_t len)
{
	struct grv_buf tmp = GRV_BUF_INIT;
	int fd, dfd, rc = GRV_EX_IOERR;

	grv_buf_printf(&tmp, "%s/ledger", lg->dir);
	if (mkdir(tmp.s, 0777) == -1 && errno != EEXIST) {
		grv_err("ledger: %s", strerror(errno));
		grv_buf_release(&tmp);
		return GRV_EX_CANTCREAT;
	}
	grv_buf_printf(&tmp, "/.%s.csv.XXXXXX", grv_ledger_name(lg->kind));
	if ((fd = mkostemp(tmp.s, O_APPEND | O_CLOEXEC)) == -1) {
		grv_err("%s: %s", lg->rel, strerror(errno));
		grv_buf_release(&tmp);
		return GRV_EX_CANTCREAT;
	}
	/* Personal data is never readable by "other" (SPEC 7.1). */
	if (fchmod(fd, (lg->kind == GRV_COMPLAINTS ? 0660 : 0666) &
	    ~current_umask()) == -1 || flock(fd, LOCK_EX) == -1) {
		grv_err("%s: %s", lg->rel, strerror(errno));
		goto fail;
	}
	if (grv_write_all(fd, data, len) == -1 || fsync(fd) == -1) {
		grv_err("%s: write: %s", lg->rel, strerror(errno));
		goto fail;
	}
	if (link(tmp.s, lg->path) == -1) {
		rc = errno == EEXIST ? GRV_EX_IOERR : GRV_EX_CANTCREAT;
		grv_err("%s: %s", lg->rel, strerror(errno));
		goto fail;
	}
	unlink(tmp.s);
	tmp.len -= strlen(strrchr(tmp.s, '/'));
	tmp.s[tmp.len] = '\0';
	if ((dfd = open(tmp.s, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) != -1) {
		fsync(dfd);		/* the new name, durable */
		close(dfd);
	}
	lg->fd = fd;
	lg->size = (off_t)len;
	close(lg->dfd);
	lg->dfd = -1;
	grv_buf_release(&tmp);
	return 0;
fail:
	unlink(tmp.s);
	close(fd);
	grv_buf_release(&tmp);
	return rc;
}

int
grv_ledger_materialize(struct grv_ledger *lg)
{
	int rc;

	if (lg->fd != -1 && lg->size > 0)
		return 0;
	if (lg->fd == -1) {
		struct grv_buf h = GRV_BUF_INIT;

		grv_buf_printf(&h, "%s\n", grv_ledger_header(lg->kind));
		rc = create_file(lg, h.s, h.len);
		grv_buf_release(&h);
		if (rc == 0)
			record(lg);
		return rc;
	}
	/* An empty file (see grv_ledger_lock): give it its header. */
	rc = grv_write_all(lg->fd, grv_ledger_header(lg->kind),
	    strlen(grv_ledger_header(lg->kind))) == -1 ||
	    grv_write_all(lg->fd, "\n", 1) == -1 || fsync(lg->fd) == -1;
	if (rc) {
		grv_err("%s: write: %s", lg->rel, strerror(errno));
		if (ftruncate(lg->fd, 0) == -1) {
			/* reported below by whoever reads it */
		}
		return GRV_EX_IOERR;
	}
	lg->size = (off_t)strlen(grv_ledger_header(lg->kind)) + 1;
	record(lg);
	return 0;
}

/* Chain the row from byte START of the queue to its end (the columns
   before crc): its crc, the newline. */
static void
chain_row(struct grv_ledger *lg, size_t start)
{
	const char *prev;
	size_t prevlen;
	char crc[9], *o;

	if (lg->npending) {
		prev = lg->pcrc;
		prevlen = 8;
	} else if (lg->crc[0]) {
		prev = lg->crc;
		prevlen = 8;
	} else {
		prev = grv_ledger_header(lg->kind);
		prevlen = strlen(prev);
	}
	grv_chain_crc(prev, prevlen, lg->pending.s + start,
	    lg->pending.len - start, crc);
	grv_buf_grow(&lg->pending, 10);
	o = lg->pending.s + lg->pending.len;
	o[0] = ',';
	memcpy(o + 1, crc, 8);
	o[9] = '\n';
	lg->pending.len += 10;
	lg->pending.s[lg->pending.len] = '\0';
	memcpy(lg->pcrc, crc, 9);
	lg->npending++;
}

void
grv_ledger_add(struct grv_ledger *lg, const char *const *fields)
{
	size_t ncols = grv_ledger_ncols(lg->kind) - 1, start;

	start = lg->pending.len;
	grv_csv_putrow(&lg->pending, fields, ncols, GRV_CSV_ESCAPE);
	lg->pending.len--;			/* drop the newline */
	chain_row(lg, start);
}

char *
grv_ledger_row(struct grv_ledger *lg, size_t room)
{
	grv_buf_grow(&lg->pending, room + 10);
	return lg->pending.s + lg->pending.len;
}

void
grv_ledger_row_done(struct grv_ledger *lg, char *end)
{
	size_t start = lg->pending.len;

	lg->pending.len = (size_t)(end - lg->pending.s);
	chain_row(lg, start);
}

static void
pending_path(struct grv_buf *b, const char *dir, enum grv_ledger_kind k)
{
	grv_buf_printf(b, "%s/ledger/.%s.pending", dir, grv_ledger_name(k));
}

int
grv_pending_state(const char *dir, enum grv_ledger_kind k, uint64_t filesize,
    uint64_t *size, uint64_t *len)
{
	struct grv_buf path = GRV_BUF_INIT;
	char buf[64];
	ssize_t n;
	int fd;
	unsigned long long a, b;
	char end;

	pending_path(&path, dir, k);
	fd = open(path.s, O_RDONLY | O_CLOEXEC);
	grv_buf_release(&path);
	if (fd == -1)
		return errno == ENOENT ? GRV_PENDING_NONE : GRV_PENDING_BAD;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n < 0)
		return GRV_PENDING_BAD;
	buf[n] = '\0';
	/* The rows are written only once the whole marker is synced: one
	   cut short (a kill inside its own write) means none began. */
	*size = *len = 0;
	if (sscanf(buf, "%llu %llu%c", &a, &b, &end) != 3 || end != '\n')
		return GRV_PENDING_DONE;
	*size = a;
	*len = b;
	if (filesize == a || filesize == a + b)
		return GRV_PENDING_DONE;	/* nothing, or all of it */
	return GRV_PENDING_CUT;
}

void
grv_pending_clear(const char *dir, enum grv_ledger_kind k)
{
	struct grv_buf path = GRV_BUF_INIT;

	pending_path(&path, dir, k);
	unlink(path.s);
	grv_buf_release(&path);
}

/* Write and sync the marker before an append of LEN bytes. */
static int
pending_mark(const struct grv_ledger *lg, size_t len)
{
	struct grv_buf path = GRV_BUF_INIT;
	char buf[64];
	int fd, n, rc = -1;

	pending_path(&path, lg->dir, lg->kind);
	n = snprintf(buf, sizeof(buf), "%llu %llu\n",
	    (unsigned long long)lg->size, (unsigned long long)len);
	fd = open(path.s, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW,
	    0666);
	if (fd != -1) {
		rc = grv_write_all(fd, buf, (size_t)n) == -1 || fdatasync(fd) == -1
		    ? -1 : 0;
		if (close(fd) == -1)
			rc = -1;
	}
	if (rc == -1) {
		grv_err("ledger/.%s.pending: %s", grv_ledger_name(lg->kind),
		    strerror(errno));
		unlink(path.s);
	}
	grv_buf_release(&path);
	return rc;
}

/* A marker left by a dead writer: stale ones go, a cut append refuses. */
static int
pending_check(struct grv_ledger *lg)
{
	uint64_t size, len;

	switch (grv_pending_state(lg->dir, lg->kind, (uint64_t)lg->size,
	    &size, &len)) {
	case GRV_PENDING_NONE:
		return 0;
	case GRV_PENDING_DONE:
		grv_pending_clear(lg->dir, lg->kind);
		return 0;
	case GRV_PENDING_CUT:
		grv_err("%s: an append was cut short at byte %llu (%llu of "
		    "its %llu bytes reached the file); run 'grv-check "
		    "--repair'", lg->rel, (unsigned long long)size,
		    (unsigned long long)((uint64_t)lg->size - size),
		    (unsigned long long)len);
		return GRV_EX_DATAERR;
	}
	grv_err("ledger/.%s.pending: unreadable marker of an append; run "
	    "'grv-check'", grv_ledger_name(lg->kind));
	return GRV_EX_DATAERR;
}

int
grv_ledger_commit(struct grv_ledger *lg)
{
	if (lg->npending == 0) {
		/* Verified whole under our lock: remember it as it is. */
		if (!lg->trusted && lg->fd != -1 && lg->size > 0)
			record(lg);
		return 0;
	}
	if (lg->fd == -1) {
		size_t h = strlen(grv_ledger_header(lg->kind)) + 1;
		int rc;

		prepend_header(lg);
		if ((rc = create_file(lg, lg->pending.s, lg->pending.len))) {
			/* Rows queued as they were, header taken out. */
			lg->pending.len -= h;
			memmove(lg->pending.s, lg->pending.s + h,
			    lg->pending.len + 1);
			return rc;
		}
		goto done;
	}
	if (lg->size == 0) {
		/* An empty file: its header goes in the same write. */
		prepend_header(lg);
	}
	/* A kill can stop a large write(2) part way, at a page: the marker
	   says where this append began, so the part can be cut back. */
	if (pending_mark(lg, lg->pending.len) == -1)
		return GRV_EX_IOERR;
	if (grv_write_all(lg->fd, lg->pending.s, lg->pending.len) == -1 ||
	    fsync(lg->fd) == -1) {
		int e = errno;

		/* We hold the lock: take back whatever part reached the
		   file, so a full disk leaves the ledger as it was. */
		if (ftruncate(lg->fd, lg->size) == -1 || fsync(lg->fd) == -1)
			grv_err("%s: could not take back a partial write: %s"
			    "; run 'grv-check'", lg->rel, strerror(errno));
		else {
			grv_pending_clear(lg->dir, lg->kind);
			record(lg);	/* as it was, under a new ctime */
		}
		grv_err("%s: write: %s", lg->rel, strerror(e));
		return GRV_EX_IOERR;
	}
	grv_pending_clear(lg->dir, lg->kind);
	lg->size += (off_t)lg->pending.len;
done:
	memcpy(lg->crc, lg->pcrc, 9);
	lg->rows += lg->npending;
	lg->total += lg->npending;
	{
		/* The last row written is the tail now. */
		const char *e = lg->pending.s + lg->pending.len - 1, *b = e;

		while (b > lg->pending.s && b[-1] != '\n')
			b--;
		free(lg->last);
		lg->lastlen = (size_t)(e - b);
		lg->last = grv_strndup(b, lg->lastlen);
	}
	grv_buf_reset(&lg->pending);
	lg->npending = 0;
	record(lg);
	return 0;
}

void
grv_ledger_release(struct grv_ledger *lg)
{
	if (lg->fd != -1) {
		flock(lg->fd, LOCK_UN);
		close(lg->fd);
	}
	if (lg->dfd != -1)
		close(lg->dfd);
	lg->fd = lg->dfd = -1;
	free(lg->dir);
	lg->dir = NULL;
	free(lg->rel);
	free(lg->path);
	free(lg->last);
	grv_buf_release(&lg->pending);
	if (lg->hwm) {
		grv_hwm_release(lg->hwm);
		free(lg->hwm);
		lg->hwm = NULL;
	}
	lg->rel = lg->path = lg->last = NULL;
	lg->npending = 0;
}
