/* test_sha256.c: grv_sha256_prefixed, the processor's SHA instructions
 * where it has them, held to libsodium's portable SHA-256 over every
 * length that crosses a block or a padding boundary and over long
 * buffers, and to a known digest. */
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "grv_sha256.h"
#include "unit.h"

int
main(void)
{
	static unsigned char buf[70000];
	unsigned char a[32], b[32];
	char h[65];
	size_t n, i;
	int bad = 0, pre;

	if (sodium_init() < 0)
		return 1;
	randombytes_buf_deterministic(buf, sizeof(buf),
	    (const unsigned char *)"grv-sha256-test-seed-32-bytes!!!");
	printf("# the processor's SHA instructions: %s\n",
	    grv_sha256_fast() ? "used" : "not there, libsodium");
	grv_sha256_prefixed(0x00, "", 0, a);
	sodium_bin2hex(h, sizeof(h), a, 32);
	STR(h, "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
	    "SHA-256 of one zero byte: the empty leaf of RFC 6962");
	grv_sha256_prefixed('a', "bc", 2, a);
	sodium_bin2hex(h, sizeof(h), a, 32);
	STR(h, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
	    "SHA-256 of 'abc' (FIPS 180-2's example)");
	for (pre = 0; pre < 2; pre++)
		for (n = 0; n <= 1100; n++) {
			grv_sha256_prefixed((unsigned char)pre, buf, n, a);
			grv_sha256_prefixed_plain((unsigned char)pre, buf, n, b);
			bad += memcmp(a, b, 32) != 0;
		}
	IS(bad, 0, "lengths 0..1100 after a 0x00 and a 0x01 byte: libsodium's digest");
	for (bad = 0, i = 0; i < 40; i++) {
		n = sizeof(buf) - i * 997;
		grv_sha256_prefixed(0x01, buf + i, n - i, a);
		grv_sha256_prefixed_plain(0x01, buf + i, n - i, b);
		bad += memcmp(a, b, 32) != 0;
	}
	IS(bad, 0, "40 buffers of 30 to 70 kB at odd offsets: libsodium's digest");
	return DONE();
}
