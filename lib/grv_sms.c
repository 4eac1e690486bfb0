/* grv_sms.c: how long a text is as an SMS (3GPP TS 23.038: the GSM 7-bit
 * default alphabet and its extension table; anything else goes as
 * UCS-2). */
#include "grv_sms.h"

/* The GSM 7-bit default alphabet beyond printable ASCII, which it holds
   but for $ (kept), @ (kept), ` (absent), and [ \ ] ^ { | } ~ (extension). */
static const unsigned short gsm_extra[] = {
	0x00a3, 0x00a5, 0x00e8, 0x00e9, 0x00f9, 0x00ec, 0x00f2, 0x00c7,
	0x00d8, 0x00f8, 0x00c5, 0x00e5, 0x0394, 0x03a6, 0x0393, 0x039b,
	0x03a9, 0x03a0, 0x03a8, 0x03a3, 0x0398, 0x039e, 0x00c6, 0x00e6,
	0x00df, 0x00c9, 0x00a4, 0x00a1, 0x00c4, 0x00d6, 0x00d1, 0x00dc,
	0x00a7, 0x00bf, 0x00e4, 0x00f6, 0x00f1, 0x00fc, 0x00e0
};

int
grv_sms_gsm_cost(unsigned long cp)
{
	size_t i;

	if (cp == '\n' || cp == '\r')
		return 1;
	if (cp == '\f' || cp == 0x20ac)
		return 2;
	if (cp >= 0x20 && cp < 0x7f) {
		switch (cp) {
		case '[': case '\\': case ']': case '^':
		case '{': case '|': case '}': case '~':
			return 2;
		case '`':
			return 0;
		default:
			return 1;
		}
	}
	for (i = 0; i < sizeof(gsm_extra) / sizeof(gsm_extra[0]); i++)
		if (gsm_extra[i] == cp)
			return 1;
	return 0;
}

size_t
grv_sms_cp(const char *s, size_t n, unsigned long *cp)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t len, i;

	if (n == 0)
		return 0;
	if (p[0] < 0x80) {
		*cp = p[0];
		return 1;
	}
	if ((p[0] & 0xe0) == 0xc0) {
		len = 2;
		*cp = p[0] & 0x1f;
	} else if ((p[0] & 0xf0) == 0xe0) {
		len = 3;
		*cp = p[0] & 0x0f;
	} else if ((p[0] & 0xf8) == 0xf0) {
		len = 4;
		*cp = p[0] & 0x07;
	} else
		return 0;
	if (len > n)
		return 0;
	for (i = 1; i < len; i++) {
		if ((p[i] & 0xc0) != 0x80)
			return 0;
		*cp = *cp << 6 | (p[i] & 0x3f);
	}
	return len;
}

int
grv_sms_len(const char *s, size_t n, size_t *gsm, size_t *ucs)
{
	unsigned long cp;
	size_t k, g = 0, u = 0;
	int all = 1, c;

	while (n > 0) {
		if ((k = grv_sms_cp(s, n, &cp)) == 0) {
			k = 1;			/* counted as one unknown */
			cp = 0xfffd;
		}
		u += cp > 0xffff ? 2 : 1;
		if ((c = grv_sms_gsm_cost(cp)) == 0)
			all = 0;
		g += (size_t)c;
		s += k;
		n -= k;
	}
	*gsm = all ? g : 0;
	*ucs = u;
	return all;
}

size_t
grv_sms_parts(enum grv_sms_enc enc, size_t len)
{
	size_t one = enc == GRV_SMS_GSM ? GRV_SMS_GSM_ONE : GRV_SMS_UCS_ONE;
	size_t part = enc == GRV_SMS_GSM ? GRV_SMS_GSM_PART : GRV_SMS_UCS_PART;

	if (len <= one)
		return 1;
	return (len + part - 1) / part;
}
