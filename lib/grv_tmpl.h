/* grv_tmpl.h: masters/templates.csv, the messages grv-notify sends: each
 * template checked at load against the SMS length limit, and filled. */
#ifndef GRV_TMPL_H
#define GRV_TMPL_H

#include <stddef.h>
#include <stdio.h>

#include "grv_buf.h"
#include "grv_ctx.h"
#include "grv_sms.h"

/* Who a message goes to. */
enum grv_rcpt { GRV_TO_CITIZEN, GRV_TO_OFFICER, GRV_TO_PREVIOUS,
	GRV_TO_COUNT };
enum grv_lang { GRV_LANG_HI, GRV_LANG_EN, GRV_LANG_COUNT };
/* The placeholders: {id} {department} {officer} {category} {due} {reason}. */
enum grv_ph { GRV_PH_ID, GRV_PH_DEPARTMENT, GRV_PH_OFFICER,
	GRV_PH_CATEGORY, GRV_PH_DUE, GRV_PH_REASON, GRV_PH_COUNT };

extern const char *const grv_rcpt_names[GRV_TO_COUNT];
extern const char *const grv_lang_names[GRV_LANG_COUNT];
extern const char *const grv_ph_names[GRV_PH_COUNT];

/* A placeholder's value is cut to this many characters (the DLT
   platform's limit for one variable), all but {id} and {due}. */
#define GRV_TMPL_VAR_MAX	30
/* {due} is written DD-MM-YYYY HH:MM. */
#define GRV_TMPL_DUE_LEN	16
/* "remind": the officer's reminder before the due. */
#define GRV_TMPL_REMIND		"remind"

struct grv_tmpl {
	char		*event;		/* an events.csv event, or "remind" */
	int		 rcpt;		/* enum grv_rcpt */
	int		 lang;		/* enum grv_lang */
	char		*text;		/* with its placeholders */
	char		*dlt;		/* the DLT template id */
	unsigned long	 line;
	int		 enc;		/* enum grv_sms_enc, worst case */
	size_t		 maxlen;	/* characters (septets, UTF-16 units) */
	size_t		 parts;		/* SMS parts at MAXLEN */
};

struct grv_tmpls {
	struct grv_tmpl	*v;
	size_t		 n;
};
#define GRV_TMPLS_INIT { NULL, 0 }

/*
 * Load DIR/masters/templates.csv against the masters and conf of CTX:
 * columns event,recipient,lang,template,dlt_template_id (by header name,
 * others ignored).  Refused, each as "masters/templates.csv:LINE: field
 * 'F': why": an unknown event, recipient or language, a recipient the
 * event has none of, a pair given twice, a pair in one language and not
 * the other, an unknown placeholder or a brace that opens none, a
 * template that at its longest (every placeholder at its longest, see
 * grv-templates(5)) takes more than MAXPARTS SMS parts, a DLT id that
 * is not 1 to 30 digits.  0, GRV_EX_NOINPUT (no file) or GRV_EX_DATAERR.
 */
int	 grv_tmpls_load(struct grv_tmpls *, const struct grv_ctx *,
	    int maxparts);
void	 grv_tmpls_release(struct grv_tmpls *);
/* The template for EVENT, RCPT, LANG, or NULL. */
const struct grv_tmpl *grv_tmpl_find(const struct grv_tmpls *,
	    const char *event, size_t evlen, int rcpt, int lang);
/* Whether the event named EVENT places a complaint (SPEC 7.1). */
int	 grv_tmpl_placement(const char *event);
/* Whether TEXT uses placeholder PH. */
int	 grv_tmpl_uses(const struct grv_tmpl *, int ph);
/*
 * Fill T into OUT (appended): V[ph] the value of each placeholder (UTF-8,
 * NULL = empty), each but {id} and {due} cut to GRV_TMPL_VAR_MAX
 * characters of T's encoding ("..." ending a cut one).
 */
void	 grv_tmpl_fill(struct grv_buf *out, const struct grv_tmpl *T,
	    const char *const v[GRV_PH_COUNT]);
/* DD-MM-YYYY HH:MM in the conf's tz. */
void	 grv_tmpl_due(char buf[32], long long t, int tz);
/* The report of grv-notify --templates:
   event,recipient,lang,dlt_template_id,encoding,max_chars,max_parts. */
void	 grv_tmpls_print(FILE *, const struct grv_tmpls *);

#endif
