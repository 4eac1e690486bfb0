/* grv_sms.h: how long a text is as an SMS: GSM-7 or UCS-2, characters
 * and parts. */
#ifndef GRV_SMS_H
#define GRV_SMS_H

#include <stddef.h>

/* Single-part and per-part (concatenated) limits, in septets or UTF-16
   units. */
#define GRV_SMS_GSM_ONE		160
#define GRV_SMS_GSM_PART	153
#define GRV_SMS_UCS_ONE		70
#define GRV_SMS_UCS_PART	67

enum grv_sms_enc { GRV_SMS_GSM, GRV_SMS_UCS2 };

/*
 * The cost of the code point CP in GSM-7: 1 for the basic table, 2 for
 * the extension table (^ { } \ [ ~ ] | euro, form feed), 0 when GSM-7
 * cannot carry it.
 */
int	 grv_sms_gsm_cost(unsigned long cp);
/*
 * Decode the UTF-8 code point at S (N bytes left): its length in bytes
 * and *CP, or 0 for a bad sequence.
 */
size_t	 grv_sms_cp(const char *s, size_t n, unsigned long *cp);

/* Length of the N bytes of UTF-8 at S: *GSM the GSM-7 septets (when every
   code point has a GSM-7 form, else 0 and the return says so), *UCS the
   UTF-16 units.  Returns 1 when all of it is GSM-7. */
int	 grv_sms_len(const char *s, size_t n, size_t *gsm, size_t *ucs);
/* Parts a text of LEN units takes in encoding ENC. */
size_t	 grv_sms_parts(enum grv_sms_enc, size_t len);

#endif
