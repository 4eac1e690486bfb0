/* grv_fast.c: decimal numbers, ids and timestamps without printf. */
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

static const char pairs[] =
    "0001020304050607080910111213141516171819202122232425262728293031323334353637383940414243444546474849"
    "5051525354555657585960616263646566676869707172737475767778798081828384858687888990919293949596979899";

/* Digits of V. */
static size_t
ndigits(uint32_t v)
{
	size_t n = 1;

	while (v >= 10000) {
		v /= 10000;
		n += 4;
	}
	return n + (v >= 10) + (v >= 100) + (v >= 1000);
}

size_t
grv_fmt_u32(char *buf, uint32_t v)
{
	size_t n = ndigits(v);
	char *p = buf + n;
	unsigned r;

	*p = '\0';
	/* Two digits at a time, from the right. */
	while (v >= 100) {
		r = v % 100;
		v /= 100;
		p -= 2;
		p[0] = pairs[2 * r];
		p[1] = pairs[2 * r + 1];
	}
	if (v >= 10) {
		p[-2] = pairs[2 * v];
		p[-1] = pairs[2 * v + 1];
	} else
		p[-1] = (char)('0' + v);
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
	size_t k;
	int w;

	/* Node, dash, at most ten digits and the NUL, else snprintf cuts:
	   copied while it fits (a short node: no strlen, no call). */
	for (k = 0; node[k] && k + 12 <= sz; k++)
		buf[k] = node[k];
	if (node[k] == '\0' && k + 12 <= sz) {
		buf[k] = '-';
		return k + 1 + grv_fmt_u32(buf + k + 1, n);
	}
	w = snprintf(buf, sz, "%s-%u", node, n);
	if (w < 0 || sz == 0)
		return 0;
	return (size_t)w < sz ? (size_t)w : sz - 1;
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
