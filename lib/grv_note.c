/* grv_note.c: C2SP signed notes (c2sp.org/signed-note) with Ed25519.
 *
 * A note is UTF-8 text ending in a newline, a blank line, then signature
 * lines "— NAME base64(KEYID || SIGNATURE)" (an em dash and a space).  The
 * signature covers the text with its final newline.  The key id is the
 * first four bytes of SHA-256(NAME || 0x0A || 0x01 || PUBLIC KEY), 0x01
 * being Ed25519's signature type. */
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "grv_msg.h"
#include "grv_note.h"

#define DASH	"\xe2\x80\x94 "		/* U+2014 and a space */
#define ALG_ED25519 0x01

int
grv_note_init(void)
{
	if (sodium_init() < 0) {
		grv_err("libsodium: cannot initialise");
		return -1;
	}
	return 0;
}

int
grv_note_name_ok(const char *name)
{
	const unsigned char *p;

	if (*name == '\0' || strlen(name) >= GRV_NOTE_NAMEMAX)
		return 0;
	for (p = (const unsigned char *)name; *p; p++)
		if (*p <= ' ' || *p == '+' || *p == 0x7f)
			return 0;
	return 1;
}

uint32_t
grv_note_keyid(const char *name, const unsigned char pk[32])
{
	crypto_hash_sha256_state st;
	unsigned char h[32], b[2] = { '\n', ALG_ED25519 };

	crypto_hash_sha256_init(&st);
	crypto_hash_sha256_update(&st, (const unsigned char *)name,
	    strlen(name));
	crypto_hash_sha256_update(&st, b, 2);
	crypto_hash_sha256_update(&st, pk, 32);
	crypto_hash_sha256_final(&st, h);
	return (uint32_t)h[0] << 24 | (uint32_t)h[1] << 16 |
	    (uint32_t)h[2] << 8 | h[3];
}

void
grv_b64_add(struct grv_buf *out, const unsigned char *p, size_t n)
{
	size_t room = sodium_base64_encoded_len(n,
	    sodium_base64_VARIANT_ORIGINAL);

	grv_buf_grow(out, room);
	sodium_bin2base64(out->s + out->len, room, p, n,
	    sodium_base64_VARIANT_ORIGINAL);
	out->len += strlen(out->s + out->len);
}

long
grv_b64_decode(const char *s, size_t len, unsigned char *out, size_t max)
{
	size_t n;
	const char *end;

	if (sodium_base642bin(out, max, s, len, NULL, &n, &end,
	    sodium_base64_VARIANT_ORIGINAL) != 0 || end != s + len)
		return -1;
	return (long)n;
}

void
grv_skey_generate(struct grv_skey *k, const char *name)
{
	snprintf(k->v.name, sizeof(k->v.name), "%s", name);
	crypto_sign_keypair(k->v.pk, k->sk);
	k->v.id = grv_note_keyid(k->v.name, k->v.pk);
}

static void
key_tail(struct grv_buf *b, const struct grv_vkey *v, const unsigned char *k)
{
	unsigned char t[33];

	t[0] = ALG_ED25519;
	memcpy(t + 1, k, 32);
	grv_buf_printf(b, "%s+%08x+", v->name, (unsigned)v->id);
	grv_b64_add(b, t, sizeof(t));
	sodium_memzero(t, sizeof(t));
}

void
grv_skey_format(const struct grv_skey *k, struct grv_buf *b)
{
	grv_buf_adds(b, "PRIVATE+KEY+");
	key_tail(b, &k->v, k->sk);	/* the seed: sk's first half */
	grv_buf_addc(b, '\n');
}

void
grv_vkey_format(const struct grv_vkey *v, struct grv_buf *b)
{
	key_tail(b, v, v->pk);
	grv_buf_addc(b, '\n');
}

/* NAME+HEXID+B64 of LEN bytes: the name, the id and the 32 key bytes. */
static int
key_parse(struct grv_vkey *v, const char *s, size_t len, unsigned char k[32])
{
	const char *p1, *p2, *end;
	unsigned char t[33];
	char hex[9];
	unsigned id;

	while (len > 0 && (s[len - 1] == '\n' || s[len - 1] == '\r'))
		len--;
	end = s + len;
	if ((p1 = memchr(s, '+', len)) == NULL ||
	    (size_t)(p1 - s) >= sizeof(v->name) ||
	    (p2 = memchr(p1 + 1, '+', (size_t)(end - p1 - 1))) == NULL ||
	    p2 - p1 - 1 != 8)
		return -1;
	memcpy(v->name, s, (size_t)(p1 - s));
	v->name[p1 - s] = '\0';
	memcpy(hex, p1 + 1, 8);
	hex[8] = '\0';
	if (!grv_note_name_ok(v->name) || strspn(hex, "0123456789abcdef") != 8 ||
	    sscanf(hex, "%x", &id) != 1 ||
	    grv_b64_decode(p2 + 1, (size_t)(end - p2 - 1), t, sizeof(t)) != 33 ||
	    t[0] != ALG_ED25519)
		return -1;
	v->id = id;
	memcpy(k, t + 1, 32);
	sodium_memzero(t, sizeof(t));
	return 0;
}

int
grv_vkey_parse(struct grv_vkey *v, const char *s, size_t len)
{
	if (key_parse(v, s, len, v->pk) == -1 ||
	    grv_note_keyid(v->name, v->pk) != v->id)
		return -1;
	return 0;
}

int
grv_skey_parse(struct grv_skey *k, const char *s, size_t len)
{
	unsigned char seed[32];
	int r = -1;

	if (len > 12 && memcmp(s, "PRIVATE+KEY+", 12) == 0 &&
	    key_parse(&k->v, s + 12, len - 12, seed) == 0 &&
	    crypto_sign_seed_keypair(k->v.pk, k->sk, seed) == 0 &&
	    grv_note_keyid(k->v.name, k->v.pk) == k->v.id)
		r = 0;
	sodium_memzero(seed, sizeof(seed));
	return r;
}

void
grv_note_sign(const struct grv_skey *k, const char *text, size_t len,
    struct grv_buf *out)
{
	unsigned char sig[4 + crypto_sign_BYTES];

	sig[0] = (unsigned char)(k->v.id >> 24);
	sig[1] = (unsigned char)(k->v.id >> 16);
	sig[2] = (unsigned char)(k->v.id >> 8);
	sig[3] = (unsigned char)k->v.id;
	crypto_sign_detached(sig + 4, NULL, (const unsigned char *)text, len,
	    k->sk);
	grv_buf_add(out, text, len);
	grv_buf_printf(out, "\n" DASH "%s ", k->v.name);
	grv_b64_add(out, sig, sizeof(sig));
	grv_buf_addc(out, '\n');
}

long
grv_note_open(const struct grv_vkey *v, const char *note, size_t len,
    const char **why)
{
	const char *p, *sigs = NULL, *end = note + len, *nl, *sp;
	unsigned char sig[4 + crypto_sign_BYTES + 1];
	size_t namelen = strlen(v->name);
	int found = 0;

	*why = "not a signed note";
	if (len < 2 || note[len - 1] != '\n')
		return -1;
	/* The text ends at the last blank line. */
	for (p = end - 1; p > note; p--)
		if (p[-1] == '\n' && p[0] == '\n') {
			sigs = p + 1;
			break;
		}
	if (sigs == NULL || sigs == note + 1)
		return -1;
	for (p = sigs; p < end; p = nl + 1) {
		long n;

		nl = memchr(p, '\n', (size_t)(end - p));
		if ((size_t)(nl - p) < strlen(DASH) ||
		    memcmp(p, DASH, strlen(DASH)) != 0 ||
		    (sp = memchr(p + strlen(DASH), ' ',
		    (size_t)(nl - p - strlen(DASH)))) == NULL) {
			*why = "a malformed signature line";
			return -1;
		}
		if ((size_t)(sp - p - strlen(DASH)) != namelen ||
		    memcmp(p + strlen(DASH), v->name, namelen) != 0)
			continue;
		n = grv_b64_decode(sp + 1, (size_t)(nl - sp - 1), sig,
		    sizeof(sig));
		if (n != 4 + crypto_sign_BYTES) {
			*why = "a malformed signature line";
			return -1;
		}
		if (((uint32_t)sig[0] << 24 | (uint32_t)sig[1] << 16 |
		    (uint32_t)sig[2] << 8 | sig[3]) != v->id)
			continue;
		found = 1;
		if (crypto_sign_verify_detached(sig + 4,
		    (const unsigned char *)note, (size_t)(sigs - 1 - note),
		    v->pk) != 0) {
			*why = "its signature does not verify";
			return -1;
		}
		break;
	}
	if (!found) {
		*why = "no signature by the key";
		return -1;
	}
	return (long)(sigs - 1 - note);
}
