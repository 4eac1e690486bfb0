/* unit.h: the smallest TAP producer, for the C unit tests of lib/. */
#ifndef GRV_UNIT_H
#define GRV_UNIT_H

#include <stdio.h>
#include <string.h>

static int unit_n, unit_failed;

#define OK(cond, ...) do { \
	unit_n++; \
	if (cond) { \
		printf("ok %d - ", unit_n); \
	} else { \
		unit_failed++; \
		printf("not ok %d - ", unit_n); \
	} \
	printf(__VA_ARGS__); \
	printf("\n"); \
	if (!(cond)) \
		printf("#   %s:%d: %s\n", __FILE__, __LINE__, #cond); \
} while (0)

#define IS(a, b, ...) do { \
	long long unit_a = (long long)(a), unit_b = (long long)(b); \
	OK(unit_a == unit_b, __VA_ARGS__); \
	if (unit_a != unit_b) \
		printf("#   got %lld, want %lld\n", unit_a, unit_b); \
} while (0)

#define STR(a, b, ...) do { \
	const char *unit_a = (a), *unit_b = (b); \
	int unit_eq = unit_a && unit_b && strcmp(unit_a, unit_b) == 0; \
	OK(unit_eq, __VA_ARGS__); \
	if (!unit_eq) \
		printf("#   got '%s', want '%s'\n", unit_a ? unit_a : "(null)", \
		    unit_b ? unit_b : "(null)"); \
} while (0)

#define DONE() (printf("# %s: %d tests, %d failed\n", __FILE__, unit_n, \
	unit_failed), unit_failed ? 1 : 0)

#endif
