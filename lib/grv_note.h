/* grv_note.h: C2SP signed notes with Ed25519 keys (libsodium): the key
 * files, the key id, signing a note and opening one. */
#ifndef GRV_NOTE_H
#define GRV_NOTE_H

#include <stddef.h>
#include <stdint.h>

#include "grv_buf.h"

#define GRV_NOTE_NAMEMAX 128

/* A verifier key: NAME+HEXID+base64(0x01 || public key). */
struct grv_vkey {
	char		 name[GRV_NOTE_NAMEMAX];
	uint32_t	 id;
	unsigned char	 pk[32];
};

/* A signer key: PRIVATE+KEY+NAME+HEXID+base64(0x01 || seed), as Go's
 * golang.org/x/mod/sumdb/note writes it. */
struct grv_skey {
	struct grv_vkey	 v;
	unsigned char	 sk[64];	/* libsodium's: seed || public key */
};

/* 0 once libsodium is ready, else -1 (printed). */
int	 grv_note_init(void);
/* A key name is non-empty UTF-8 without spaces or '+'. */
int	 grv_note_name_ok(const char *name);
/* SHA-256(NAME || 0x0A || 0x01 || PK)[:4], big-endian. */
uint32_t grv_note_keyid(const char *name, const unsigned char pk[32]);

void	 grv_skey_generate(struct grv_skey *, const char *name);
void	 grv_skey_format(const struct grv_skey *, struct grv_buf *);
void	 grv_vkey_format(const struct grv_vkey *, struct grv_buf *);
/* Parse one line (a trailing newline allowed): 0 or -1. */
int	 grv_skey_parse(struct grv_skey *, const char *text, size_t len);
int	 grv_vkey_parse(struct grv_vkey *, const char *text, size_t len);

/* Append to OUT the note TEXT (ending in a newline), a blank line and
 * the signature line of K. */
void	 grv_note_sign(const struct grv_skey *, const char *text, size_t len,
	    struct grv_buf *out);

/*
 * Open the note NOTE of LEN bytes with K: the text is everything up to the
 * last blank line; it must carry a signature line of K's name and id whose
 * signature holds.  Returns the text's length (including its final
 * newline), or -1 with *WHY set to a static phrase.
 */
long	 grv_note_open(const struct grv_vkey *, const char *note, size_t len,
	    const char **why);

/* Base64 (standard, padded) of N bytes appended to OUT; decoding: the
 * number of bytes, or -1. */
void	 grv_b64_add(struct grv_buf *out, const unsigned char *p, size_t n);
long	 grv_b64_decode(const char *s, size_t len, unsigned char *out,
	    size_t max);

#endif
