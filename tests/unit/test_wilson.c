/* test_wilson.c: the Wilson score interval of grv-report verification
 * (lib/grv_report_verification.c) against the textbook values of
 * Newcombe, "Two-sided confidence intervals for the single proportion:
 * comparison of seven methods", Statistics in Medicine 17 (1998), table
 * II, method 3 (score interval without continuity correction). */
#include <math.h>
#include <stdio.h>

#include "grv_report_calls.h"
#include "unit.h"

/* Rounded to the four decimals the paper prints. */
static long
d4(double v)
{
	return lround(v * 10000);
}

int
main(void)
{
	static const struct { long x, n, lo, hi; } t[] = {
		{ 81, 263, 2553, 3662 },
		{ 15, 148, 624, 1605 },
		{ 0, 20, 0, 1611 },
		{ 1, 29, 61, 1718 },
	};
	double lo, hi;
	size_t i;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		grv_wilson(t[i].x, t[i].n, 1.96, &lo, &hi);
		IS(d4(lo), t[i].lo, "%ld/%ld: lower bound", t[i].x, t[i].n);
		IS(d4(hi), t[i].hi, "%ld/%ld: upper bound", t[i].x, t[i].n);
	}
	return DONE();
}
