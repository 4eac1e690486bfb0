/* grv_phone.h: a citizen's phone number: its stored form (a mobile's ten
 * digits, a landline's eleven with its 0), and that form masked. */
#ifndef GRV_PHONE_H
#define GRV_PHONE_H

#define GRV_PHONE_SIZE	12	/* the longest stored form, and its NUL */

/*
 * An Indian phone number (SPEC sections 5 and 7.3), spaces and hyphens
 * allowed anywhere after a leading "+91":
 *  - a mobile: ten digits starting 6-9, "+91" or "0" before them dropped;
 *  - a landline: "0", an STD code of 2-4 digits, the subscriber number,
 *    ten digits without the "0"; stored with its "0" (0141-2222222 is
 *    01412222222); "+91" goes before a mobile only.
 * STD codes start 1-8, mobiles 6-9: "0" and ten digits starting 1-5 is a
 * landline, starting 9 a mobile, and starting 6-8 either (07612420000 is
 * Jabalpur's 0761-2420000 and the mobile 7612420000).  Such a number is
 * read as a landline when a hyphen or space follows its STD code (the
 * first separator after 3-5 digits: 0761-2420000), as a mobile when one
 * follows the "0" (0-7612420000), and is otherwise ambiguous.
 * Returns 0 (OUT filled), -1 not a phone number, -2 ambiguous.
 */
#define GRV_PHONE_BAD		-1
#define GRV_PHONE_AMBIGUOUS	-2
int	 grv_phone_norm(const char *in, char out[GRV_PHONE_SIZE]);
/* Why grv_phone_norm refused IN (its answer K), for "bad phone 'IN' (why)"
   or the ambiguity's whole message: a static string. */
const char *grv_phone_why(int k);
/* The first two and last two digits kept: "98XXXXXX10", "01XXXXXXX22" */
void	 grv_phone_mask(const char *phone, char out[GRV_PHONE_SIZE]);

#endif
