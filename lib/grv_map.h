/* grv_map.h: hash maps from short strings, and from 64-bit keys, to ints. */
#ifndef GRV_MAP_H
#define GRV_MAP_H

#include <stddef.h>
#include <stdint.h>

/*
 * A string -> int map (open addressing, keys copied).  Used for master codes
 * and anything else keyed by a short string.
 */
struct grv_map {
	char	**keys;
	int	 *vals;
	size_t	  cap;
	size_t	  n;
	struct grv_mapkey {
		uint32_t hash;		/* of the key, to skip others */
		uint32_t len;		/* its length */
	}	 *meta;
	int	  borrowed;	/* keys are the caller's: never freed */
};
#define GRV_MAP_INIT { NULL, NULL, 0, 0, NULL, 0 }

/* Returns the value, or -1 when absent. */
int	 grv_map_get(const struct grv_map *, const char *key);
int	 grv_map_getn(const struct grv_map *, const char *key, size_t len);
/* Inserts or replaces; returns the previous value or -1. */
int	 grv_map_put(struct grv_map *, const char *key, int val);
void	 grv_map_release(struct grv_map *);
/*
 * The same as grv_map_put with KEY not copied: it must outlive the map,
 * which then never frees a key (a map is all borrowed keys or none).
 */
int	 grv_map_put_borrowed(struct grv_map *, const char *key, int val);
/* Room for N keys without growing. */
void	 grv_map_reserve(struct grv_map *, size_t n);

/* A uint64 -> int map, for composite keys such as (dept, level, loc). */
struct grv_imap {
	uint64_t *keys;
	int	 *vals;
	size_t	  cap;
	size_t	  n;
};
#define GRV_IMAP_INIT { NULL, NULL, 0, 0 }

int	 grv_imap_get(const struct grv_imap *, uint64_t key);
int	 grv_imap_put(struct grv_imap *, uint64_t key, int val);
void	 grv_imap_release(struct grv_imap *);

#endif
