/* grv_fast.c: decimal numbers, ids, timestamps and UTF-8 without printf. */
#include <stdio.h>
#include <string.h>

#include "grv_fast.h"

size_t
grv_fmt_u64(char *buf, uint64_t v)
{
	char tmp[GRV_U64LEN], *p = tmp + sizeof(tmp);
	size_t n;

	do {
		*--p = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	n = (size_t)(tmp + sizeof(tmp) - p);
	memcpy(buf, p, n);
	buf[n] = '\0';
	return n;
}

size_t
grv_fmt_u32(char *buf, uint32_t v)
{
	char tmp[12], *p = tmp + sizeof(tmp);
	size_t n;

	do {
		*--p = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	n = (size_t)(tmp + sizeof(tmp) - p);
	memcpy(buf, p, n);
	buf[n] = '\0';
	return n;
}

size_t
grv_fmt_int(char *buf, int v)
{
	if (v >= 0)
		return grv_fmt_u32(buf, (uint32_t)v);
	buf[0] = '-';
	/* -(unsigned)v: INT_MIN too. */
	return 1 + grv_fmt_u32(buf + 1, 0u - (uint32_t)v);
}

size_t
grv_fmt_id(const char *node, uint32_t n, char *buf, size_t sz)
{
	size_t nl = strlen(node), k;
	int w;

	/* Node, dash, at most ten digits and the NUL: else snprintf cuts. */
	if (nl + 12 > sz) {
		w = snprintf(buf, sz, "%s-%u", node, n);
		if (w < 0 || sz == 0)
			return 0;
		return (size_t)w < sz ? (size_t)w : sz - 1;
	}
	memcpy(buf, node, nl);
	buf[nl] = '-';
	k = grv_fmt_u32(buf + nl + 1, n);
	return nl + 1 + k;
}

size_t
grv_tsmemo_fmt(struct grv_tsmemo *m, grv_time_t t, int tz,
    char buf[GRV_TSLEN])
{
	unsigned i;

	for (i = 0; i < m->used; i++)
		if (m->slot[i].t == t && m->slot[i].tz == tz)
			goto hit;
	if (m->used < GRV_TSMEMO_SLOTS)
		i = m->used++;
	else {
		i = m->next;
		m->next = (m->next + 1) % GRV_TSMEMO_SLOTS;
	}
	grv_time_format(t, tz, m->slot[i].s);
	m->slot[i].t = t;
	m->slot[i].tz = tz;
	m->slot[i].len = strlen(m->slot[i].s);
hit:
	memcpy(buf, m->slot[i].s, m->slot[i].len + 1);
	return m->slot[i].len;
}

#define ONES	0x0101010101010101ULL
#define HIGHS	0x8080808080808080ULL

int
grv_utf8_ok(const char *str, size_t n)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t i = 0;
	uint64_t w;
	unsigned c, c1;

	while (i < n) {
		/* Eight ASCII bytes, none of them NUL: on. */
		if (n - i >= 8) {
			memcpy(&w, s + i, 8);
			if ((w & HIGHS) == 0 && ((w - ONES) & ~w & HIGHS) == 0) {
				i += 8;
				continue;
			}
		}
		c = s[i];
		if (c < 0x80) {
			if (c == 0)
				return 0;
			i++;
			continue;
		}
		/* The well-formed sequences of Unicode's table 3-7: no
		   overlong form, no surrogate, nothing past U+10FFFF. */
		if (c < 0xc2)
			return 0;
		if (c < 0xe0) {
			if (n - i < 2 || (s[i + 1] & 0xc0) != 0x80)
				return 0;
			i += 2;
		} else if (c < 0xf0) {
			if (n - i < 3)
				return 0;
			c1 = s[i + 1];
			if (c1 < (c == 0xe0 ? 0xa0u : 0x80u) ||
			    c1 > (c == 0xed ? 0x9fu : 0xbfu) ||
			    (s[i + 2] & 0xc0) != 0x80)
				return 0;
			i += 3;
		} else if (c < 0xf5) {
			if (n - i < 4)
				return 0;
			c1 = s[i + 1];
			if (c1 < (c == 0xf0 ? 0x90u : 0x80u) ||
			    c1 > (c == 0xf4 ? 0x8fu : 0xbfu) ||
			    (s[i + 2] & 0xc0) != 0x80 ||
			    (s[i + 3] & 0xc0) != 0x80)
				return 0;
			i += 4;
		} else
			return 0;
	}
	return 1;
}
