/* MD5 message digest (RFC 1321), written for the espwiz flasher stub.
 *
 * Portable C: used unchanged by the ESP8266 build and the QEMU test build, so the
 * digest the tests check is computed by the very code that runs on the chip.
 * (The ESP8266 ROM has MD5Init/MD5Update/MD5Final at 0x40009818/0x40009834/0x40009900,
 * per MicroPython ports/esp8266/boards/eagle.rom.addr.v6.ld; we do not use them so that
 * the QEMU proof covers the same code.)
 */
#ifndef STUB_MD5_H
#define STUB_MD5_H

#include <stdint.h>

typedef struct {
    uint32_t state[4];   /* A, B, C, D */
    uint32_t length_lo;  /* message length in bytes, low word */
    uint32_t length_hi;  /* high word */
    uint8_t block[64];   /* partial input block */
} stub_md5_t;

void stub_md5_init(stub_md5_t *ctx);
void stub_md5_update(stub_md5_t *ctx, const uint8_t *data, uint32_t len);
void stub_md5_final(stub_md5_t *ctx, uint8_t digest[16]);

#endif
