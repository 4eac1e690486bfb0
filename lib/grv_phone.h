/* grv_phone.h: a citizen's phone number: its ten-digit form, and that
 * form masked. */
#ifndef GRV_PHONE_H
#define GRV_PHONE_H

/* Indian phone: ten digits starting 6-9, "+91" or "0" before them dropped. */
int	 grv_phone_norm(const char *in, char out[11]);
/* "98XXXXXX10" */
void	 grv_phone_mask(const char *phone, char out[11]);

#endif
