/* grv_phone.c: a citizen's phone number: its ten-digit form, and that
 * form masked. */
#include <stdio.h>
#include <string.h>

#include "grv_phone.h"

int
grv_phone_norm(const char *in, char out[11])
{
	char d[32];
	size_t n = 0;
	const char *p = in;

	if (strncmp(p, "+91", 3) == 0)
		p += 3;
	for (; *p; p++) {
		if (*p == ' ' || *p == '-')
			continue;
		if (*p < '0' || *p > '9' || n == sizeof(d) - 1)
			return -1;
		d[n++] = *p;
	}
	d[n] = '\0';
	p = d;
	if (n == 11 && d[0] == '0')
		p++, n--;
	else if (n == 12 && strncmp(d, "91", 2) == 0 && in[0] != '+')
		return -1;
	if (n != 10 || p[0] < '6' || p[0] > '9')
		return -1;
	memcpy(out, p, 11);
	return 0;
}

void
grv_phone_mask(const char *phone, char out[11])
{
	size_t n = strlen(phone), i;

	if (n != 10) {
		snprintf(out, 11, "%s", n ? "XXXXXXXXXX" : "");
		return;
	}
	for (i = 0; i < 10; i++)
		out[i] = (i < 2 || i >= 8) ? phone[i] : 'X';
	out[10] = '\0';
}
