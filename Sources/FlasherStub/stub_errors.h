/* Stub status codes: the first of the two status bytes of every stub response.
 * Values from esptool's flasher_stub/include/stub_flasher.h (facts only; see
 * docs/flasher-stub.md), mirrored by StubErrorCode in Sources/ESPProtocol/StatusBytes.swift. */
#ifndef STUB_ERRORS_H
#define STUB_ERRORS_H

#define STUB_OK 0x00
#define STUB_BAD_DATA_LEN 0xC0
#define STUB_BAD_DATA_CHECKSUM 0xC1
#define STUB_BAD_BLOCKSIZE 0xC2
#define STUB_INVALID_COMMAND 0xC3
#define STUB_FAILED_SPI_OP 0xC4
#define STUB_FAILED_SPI_UNLOCK 0xC5
#define STUB_NOT_IN_FLASH_MODE 0xC6
#define STUB_INFLATE_ERROR 0xC7
#define STUB_NOT_ENOUGH_DATA 0xC8
#define STUB_TOO_MUCH_DATA 0xC9
#define STUB_CMD_NOT_IMPLEMENTED 0xFF

#endif
