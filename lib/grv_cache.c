/* grv_cache.c: the derived state cache under DIR/cache (issue 5).
 * Until it exists every load folds from scratch; deleting cache/ must
 * only ever cost speed. */
#include "grv_state.h"

int
grv_cache_load(struct grv_state *st, const struct grv_cmd *cmd, grv_time_t now)
{
	(void)st;
	(void)cmd;
	(void)now;
	return -1;
}

void
grv_cache_save(const struct grv_state *st, const struct grv_cmd *cmd)
{
	(void)st;
	(void)cmd;
}
