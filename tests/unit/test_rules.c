/* test_rules.c: the row rules' fast path (a whole clean row skips the text
 * rules of its fields) against the plain field-by-field rules. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "grv_ledger.h"
#include "grv_rules.h"
#include "unit.h"

static unsigned long seed = 12345;

static unsigned
rnd(unsigned n)
{
	seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
	return (unsigned)((seed >> 33) % n);
}

/* A byte a field may hold, often one the rules care about. */
static char
byte(void)
{
	static const char special[] = "\t\n\r\x01\x1f\x7f\\n\xc2\x80\x9f\xa0"
	    "\xc3\xa9\xe0\xa4\xb8\xff\xed\xa0\x80";

	if (rnd(4) == 0)
		return special[rnd(sizeof(special) - 1)];
	return (char)(' ' + rnd(95));
}

static void
test_text(void)
{
	char buf[80];
	size_t n, i;
	int k, bad = 0, tries = 200000;

	while (tries--) {
		n = rnd(40);
		for (i = 0; i < n; i++)
			buf[i] = byte();
		/* A clean row is a clean field: no text fault but length. */
		if (grv_rule_row_clean(buf, n)) {
			k = grv_rule_text(buf, n, 4000, GRV_TEXT_FREE |
			    GRV_TEXT_STORED);
			if (k != GRV_TEXT_OK)
				bad++;
		}
		/* And a field it passes as free text is clean but for TAB
		   and 0xc2 (left to the plain rules, C1 or not). */
		if (memchr(buf, '\t', n) == NULL && memchr(buf, 0xc2, n) ==
		    NULL && grv_rule_text(buf, n, 4000,
		    GRV_TEXT_FREE | GRV_TEXT_STORED) == GRV_TEXT_OK &&
		    !grv_rule_row_clean(buf, n))
			bad++;
	}
	IS(bad, 0, "200000 random fields: grv_rule_row_clean agrees with "
	    "grv_rule_text");
}

static void
test_events(void)
{
	struct grv_conf conf;
	struct grv_event e1, e2;
	struct grv_fault f1[16], f2[16];
	char store[GRV_E_NCOLS][48], raw[GRV_E_NCOLS * 48];
	const char *f[GRV_E_NCOLS];
	size_t flen[GRV_E_NCOLS], rl, i, j, n;
	int k1, k2, bad = 0, tries = 50000;
	static const char *const base[GRV_E_NCOLS] = {
		"2026-11-02T11:00:00+05:30", "TS-1", "note", "", "", "", "",
		"tester", "", "", "called", "00000000" };

	memset(&conf, 0, sizeof(conf));
	strcpy(conf.node, "TS");
	conf.levels = 4;
	while (tries--) {
		rl = 0;
		for (i = 0; i < GRV_E_NCOLS; i++) {
			n = strlen(base[i]);
			memcpy(store[i], base[i], n);
			if (i >= GRV_E_ACTOR && i <= GRV_E_NOTE && rnd(3) == 0) {
				n = rnd(40);
				for (j = 0; j < n; j++)
					store[i][j] = byte();
			}
			store[i][n] = '\0';
			f[i] = store[i];
			flen[i] = strlen(store[i]);	/* as a reader has it */
			memcpy(raw + rl, store[i], flen[i]);
			rl += flen[i];
			raw[rl++] = ',';
		}
		rl--;
		k1 = grv_rules_event(&conf, NULL, f, flen, NULL, 0, &e1, f1, 16);
		k2 = grv_rules_event(&conf, NULL, f, flen, raw, rl, &e2, f2, 16);
		if (k1 != k2)
			bad++;
		else
			for (i = 0; i < (size_t)k1; i++)
				if (f1[i].code != f2[i].code ||
				    f1[i].col != f2[i].col)
					bad++;
	}
	IS(bad, 0, "50000 random event rows: the fast path finds the faults "
	    "the plain rules find");
}

int
main(void)
{
	test_text();
	test_events();
	return DONE();
}
