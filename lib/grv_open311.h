/* grv_open311.h: an Open311 GeoReport v2 static feed (grv-export open311). */
#ifndef GRV_OPEN311_H
#define GRV_OPEN311_H

#include "grv_ctx.h"

struct grv_open311_opts {
	const char	*outdir;
	const char	*url;		/* the endpoint's url in discovery */
	const char	*contact;	/* discovery's contact */
	int		 with_text;	/* description = the complaint's text */
};

/*
 * Write OUTDIR/{discovery,services,requests}.{json,xml} and
 * OUTDIR/requests.csv (the bulk form) for the state as of ctx->now, each
 * through a temporary file renamed into place.  Returns 0, or an exit
 * code after printing why.
 */
int	 grv_open311_export(const struct grv_ctx *,
	    const struct grv_open311_opts *);

#endif
