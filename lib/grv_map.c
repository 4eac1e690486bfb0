/* grv_map.c: hash maps from short strings, and from 64-bit keys, to ints. */
#include <stdlib.h>
#include <string.h>

#include "grv_alloc.h"
#include "grv_map.h"

/* FNV-1a, good enough for short codes. */
static uint64_t
hash_bytes(const char *s, size_t n)
{
	uint64_t h = 1469598103934665603ULL;

	while (n--) {
		h ^= (unsigned char)*s++;
		h *= 1099511628211ULL;
	}
	return h;
}

static uint64_t
hash_u64(uint64_t x)
{
	x ^= x >> 33;
	x *= 0xff51afd7ed558ccdULL;
	x ^= x >> 33;
	x *= 0xc4ceb9fe1a85ec53ULL;
	x ^= x >> 33;
	return x;
}

int
grv_map_getn(const struct grv_map *m, const char *key, size_t len)
{
	uint64_t h;
	size_t i;

	if (m->cap == 0)
		return -1;
	h = hash_bytes(key, len);
	for (i = h & (m->cap - 1); m->keys[i]; i = (i + 1) & (m->cap - 1))
		if (m->meta[i].hash == (uint32_t)(h >> 32) &&
		    m->meta[i].len == len && memcmp(m->keys[i], key, len) == 0)
			return m->vals[i];
	return -1;
}

int
grv_map_get(const struct grv_map *m, const char *key)
{
	return grv_map_getn(m, key, strlen(key));
}

/* Put KEY (not there) in slot I of M. */
static void
map_set(struct grv_map *m, size_t i, char *key, uint64_t h, int val)
{
	m->keys[i] = key;
	m->vals[i] = val;
	m->meta[i].hash = (uint32_t)(h >> 32);
	m->meta[i].len = (uint32_t)strlen(key);
}

static void
map_rehash(struct grv_map *m)
{
	struct grv_map n = GRV_MAP_INIT;
	uint64_t h;
	size_t i, j;

	n.cap = m->cap ? m->cap * 2 : 64;
	n.keys = grv_calloc(n.cap, sizeof(*n.keys));
	n.vals = grv_calloc(n.cap, sizeof(*n.vals));
	n.meta = grv_calloc(n.cap, sizeof(*n.meta));
	for (i = 0; i < m->cap; i++) {
		if (m->keys[i] == NULL)
			continue;
		h = hash_bytes(m->keys[i], m->meta[i].len);
		for (j = h & (n.cap - 1); n.keys[j]; j = (j + 1) & (n.cap - 1))
			;
		map_set(&n, j, m->keys[i], h, m->vals[i]);
	}
	n.n = m->n;
	n.borrowed = m->borrowed;
	free(m->keys);
	free(m->vals);
	free(m->meta);
	*m = n;
}

static int
map_put(struct grv_map *m, const char *key, int val, int borrow)
{
	size_t i, len = strlen(key);	/* a field: at most 1 MiB */
	uint64_t h;
	int old;

	if ((m->n + 1) * 2 > m->cap)
		map_rehash(m);
	h = hash_bytes(key, len);
	for (i = h & (m->cap - 1); m->keys[i]; i = (i + 1) & (m->cap - 1))
		if (m->meta[i].len == len && strcmp(m->keys[i], key) == 0) {
			old = m->vals[i];
			m->vals[i] = val;
			return old;
		}
	map_set(m, i, borrow ? (char *)key : grv_strdup(key), h, val);
	m->n++;
	return -1;
}

int
grv_map_put(struct grv_map *m, const char *key, int val)
{
	return map_put(m, key, val, 0);
}

int
grv_map_put_borrowed(struct grv_map *m, const char *key, int val)
{
	m->borrowed = 1;
	return map_put(m, key, val, 1);
}

void
grv_map_reserve(struct grv_map *m, size_t n)
{
	if (m->cap == 0 && n > 32) {
		/* Empty: the table at its final size at once. */
		for (m->cap = 64; (n + 1) * 2 > m->cap; m->cap *= 2)
			;
		m->keys = grv_calloc(m->cap, sizeof(*m->keys));
		m->vals = grv_calloc(m->cap, sizeof(*m->vals));
		m->meta = grv_calloc(m->cap, sizeof(*m->meta));
	}
	while ((n + 1) * 2 > m->cap)
		map_rehash(m);
}

void
grv_map_release(struct grv_map *m)
{
	size_t i;

	for (i = 0; i < m->cap && !m->borrowed; i++)
		free(m->keys[i]);
	free(m->keys);
	free(m->vals);
	free(m->meta);
	m->keys = NULL;
	m->vals = NULL;
	m->meta = NULL;
	m->cap = m->n = 0;
	m->borrowed = 0;
}

/* Key UINT64_MAX marks an empty slot. */
int
grv_imap_get(const struct grv_imap *m, uint64_t key)
{
	size_t i;

	if (m->cap == 0)
		return -1;
	for (i = hash_u64(key) & (m->cap - 1); m->keys[i] != UINT64_MAX;
	    i = (i + 1) & (m->cap - 1))
		if (m->keys[i] == key)
			return m->vals[i];
	return -1;
}

static void
imap_rehash(struct grv_imap *m)
{
	struct grv_imap n = GRV_IMAP_INIT;
	size_t i, j;

	n.cap = m->cap ? m->cap * 2 : 64;
	n.keys = grv_malloc(n.cap * sizeof(*n.keys));
	n.vals = grv_calloc(n.cap, sizeof(*n.vals));
	memset(n.keys, 0xff, n.cap * sizeof(*n.keys));
	for (i = 0; i < m->cap; i++) {
		if (m->keys[i] == UINT64_MAX)
			continue;
		j = hash_u64(m->keys[i]) & (n.cap - 1);
		while (n.keys[j] != UINT64_MAX)
			j = (j + 1) & (n.cap - 1);
		n.keys[j] = m->keys[i];
		n.vals[j] = m->vals[i];
	}
	n.n = m->n;
	free(m->keys);
	free(m->vals);
	*m = n;
}

int
grv_imap_put(struct grv_imap *m, uint64_t key, int val)
{
	size_t i;
	int old;

	if ((m->n + 1) * 2 > m->cap)
		imap_rehash(m);
	for (i = hash_u64(key) & (m->cap - 1); m->keys[i] != UINT64_MAX;
	    i = (i + 1) & (m->cap - 1))
		if (m->keys[i] == key) {
			old = m->vals[i];
			m->vals[i] = val;
			return old;
		}
	m->keys[i] = key;
	m->vals[i] = val;
	m->n++;
	return -1;
}

void
grv_imap_release(struct grv_imap *m)
{
	free(m->keys);
	free(m->vals);
	m->keys = NULL;
	m->vals = NULL;
	m->cap = m->n = 0;
}
