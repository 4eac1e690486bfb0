/* grv_cache.h: control of the derived state cache, DIR/cache/state.bin
 * (grv_cache.c).  The hooks the fold calls, grv_cache_load and
 * grv_cache_save, are declared in grv_state.h. */
#ifndef GRV_CACHE_H
#define GRV_CACHE_H

/*
 * With ON set, the cache is still read but never written: for a program
 * that promises to change nothing in the data directory (grv-escalate
 * --dry-run).
 */
void	 grv_cache_readonly(int on);

#endif
