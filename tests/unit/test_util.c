/* test_util.c: grv_parse_int against strtol, and the string map. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "grv_map.h"
#include "grv_parse.h"
#include "unit.h"

static uint64_t rng = 0x853c49e6748fea9bULL;

static unsigned
rnd(unsigned n)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (unsigned)(rng % n);
}

/* What grv_parse_int promised before its digits-only path: strtol's
   answer, whole string, in range, no blank or plus sign in front. */
static int
ref_parse_int(const char *s, long lo, long hi, long *out)
{
	char *end;
	long v;

	if (*s == '\0' || *s == ' ' || *s == '+')
		return -1;
	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || *end != '\0' || v < lo || v > hi)
		return -1;
	*out = v;
	return 0;
}

static void
test_parse_int(void)
{
	static const char alpha[] = "0123456789-+ \tx";
	static const char *const cases[] = { "0", "7", "007", "123456789",
	    "1234567890", "99999999999999999999", "-1", "+1", " 1", "\t1",
	    "1 ", "", "1x", "-", "4", "5" };
	char buf[32];
	long a, b;
	size_t i, n;
	int ka, kb, bad = 0;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		a = b = -99;
		ka = grv_parse_int(cases[i], 1, 4, &a);
		kb = ref_parse_int(cases[i], 1, 4, &b);
		if (ka != kb || a != b)
			bad++;
		ka = grv_parse_int(cases[i], -5, 2000000000, &a);
		kb = ref_parse_int(cases[i], -5, 2000000000, &b);
		if (ka != kb || (ka == 0 && a != b)) {
			printf("#   '%s': %d %ld, strtol %d %ld\n", cases[i],
			    ka, a, kb, b);
			bad++;
		}
	}
	IS(bad, 0, "chosen strings: grv_parse_int answers as strtol does");
	for (i = 0; i < 300000; i++) {
		n = rnd(14);
		for (size_t j = 0; j < n; j++)
			buf[j] = rnd(4) ? alpha[rnd(10)] :
			    alpha[rnd(sizeof(alpha) - 1)];
		buf[n] = '\0';
		ka = grv_parse_int(buf, -1000, 1000000000, &a);
		kb = ref_parse_int(buf, -1000, 1000000000, &b);
		if (ka != kb || (ka == 0 && a != b))
			bad++;
	}
	IS(bad, 0, "300000 random strings: the same answer and value");
}

static void
test_map(void)
{
	struct grv_map m = GRV_MAP_INIT;
	char key[32];
	int i, bad = 0;

	IS(grv_map_get(&m, "x"), -1, "an empty map has nothing");
	for (i = 0; i < 5000; i++) {
		snprintf(key, sizeof(key), "HP-%d", i);
		grv_map_put(&m, key, i);
	}
	IS(grv_map_put(&m, "HP-12", 7), 12, "put returns the value replaced");
	IS(grv_map_get(&m, "HP-12"), 7, "and the new one is there");
	grv_map_put(&m, "HP-12", 12);
	for (i = 0; i < 5000; i++) {
		snprintf(key, sizeof(key), "HP-%d", i);
		if (grv_map_get(&m, key) != i)
			bad++;
		/* A prefix of a key is not the key. */
		if (grv_map_getn(&m, key, strlen(key) - 1) != (i >= 10 ?
		    (i / 10) : -1))
			bad++;
	}
	IS(bad, 0, "5000 keys after rehashing: each found, each prefix "
	    "only as itself");
	IS(grv_map_getn(&m, "HP-123,more", 6), 123, "getn reads LEN bytes");
	IS(grv_map_get(&m, "HP-"), -1, "a key not put is absent");
	IS(grv_map_get(&m, ""), -1, "the empty key is absent");
	grv_map_put(&m, "", 9);
	IS(grv_map_get(&m, ""), 9, "the empty key can be put");
	grv_map_release(&m);
	IS(grv_map_get(&m, "HP-1"), -1, "a released map is empty");
}

int
main(void)
{
	test_parse_int();
	test_map();
	return DONE();
}
