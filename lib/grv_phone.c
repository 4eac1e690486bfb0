/* grv_phone.c: a citizen's phone number: its stored form (a mobile's ten
 * digits, a landline's eleven with its 0), and that form masked. */
#include <stdio.h>
#include <string.h>

#include "grv_phone.h"

int
grv_phone_norm(const char *in, char out[GRV_PHONE_SIZE])
{
	char d[32];
	size_t n = 0, sep = 0;	/* digits before the first separator */
	const char *p = in;
	int intl = 0;

	if (strncmp(p, "+91", 3) == 0)
		p += 3, intl = 1;
	for (; *p; p++) {
		if (*p == ' ' || *p == '-') {
			if (sep == 0)
				sep = n;
			continue;
		}
		if (*p < '0' || *p > '9' || n == sizeof(d) - 1)
			return GRV_PHONE_BAD;
		d[n++] = *p;
	}
	d[n] = '\0';
	if (intl) {
		/* "+91" is a mobile's prefix only (SPEC 7.3 writes a
		   landline with its 0) */
		if (n != 10 || d[0] < '6')
			return GRV_PHONE_BAD;
		memcpy(out, d, 11);
		return 0;
	}
	if (n == 10 && d[0] >= '6' && d[0] <= '9') {
		memcpy(out, d, 11);
		return 0;
	}
	if (n != 11 || d[0] != '0' || d[1] == '0')
		return GRV_PHONE_BAD;
	if (d[1] == '9' || (d[1] >= '6' && sep == 1)) {
		memcpy(out, d + 1, 11);		/* 0 and a mobile */
		return 0;
	}
	if (d[1] <= '5' || (sep >= 3 && sep <= 5)) {
		memcpy(out, d, 12);		/* a landline, its 0 kept */
		return 0;
	}
	return GRV_PHONE_AMBIGUOUS;
}

const char *
grv_phone_why(int k)
{
	if (k == GRV_PHONE_AMBIGUOUS)
		return "could be a landline or 0 and a mobile: write a "
		    "landline with a hyphen after its STD code (0761-2420000),"
		    " a mobile without the 0 (7612420000)";
	return "a mobile: ten digits starting 6-9; a landline: 0, the STD "
	    "code and the number, ten digits without the 0";
}

void
grv_phone_mask(const char *phone, char out[GRV_PHONE_SIZE])
{
	size_t n = strlen(phone), i;

	if (n != 10 && n != 11) {
		snprintf(out, GRV_PHONE_SIZE, "%s", n ? "XXXXXXXXXX" : "");
		return;
	}
	for (i = 0; i < n; i++)
		out[i] = (i < 2 || i >= n - 2) ? phone[i] : 'X';
	out[n] = '\0';
}
