/* The serial link as the command handlers see it: SLIP framing, replies, the received command.
 *
 * Shared by the first stage's dispatcher (stub_protocol.c) and the second stage's command files
 * (stub_read.c, stub_clean_cmd.c), which the linker places by object name (esp8266.ld); the
 * framing itself (stub_wire.c) is first-stage code.
 */
#ifndef STUB_WIRE_H
#define STUB_WIRE_H

#include <stdint.h>

/* Opcodes (esptool serial-protocol.rst; Sources/ESPProtocol/Opcode.swift). */
enum {
    OP_FLASH_BEGIN = 0x02,
    OP_FLASH_DATA = 0x03,
    OP_FLASH_END = 0x04,
    OP_MEM_BEGIN = 0x05,
    OP_MEM_END = 0x06,
    OP_MEM_DATA = 0x07,
    OP_SYNC = 0x08,
    OP_WRITE_REG = 0x09,
    OP_READ_REG = 0x0A,
    OP_SPI_SET_PARAMS = 0x0B,
    OP_SPI_ATTACH = 0x0D,
    OP_READ_FLASH_SLOW = 0x0E,
    OP_CHANGE_BAUDRATE = 0x0F,
    OP_FLASH_DEFL_BEGIN = 0x10,
    OP_FLASH_DEFL_DATA = 0x11,
    OP_FLASH_DEFL_END = 0x12,
    OP_SPI_FLASH_MD5 = 0x13,
    OP_GET_SECURITY_INFO = 0x14,
    OP_ERASE_FLASH = 0xD0,
    OP_ERASE_REGION = 0xD1,
    OP_READ_FLASH = 0xD2,
    OP_RUN_USER_CODE = 0xD3,
    OP_FLASH_LZMA_BEGIN = 0xE0, /* espwiz's own: raw LZMA1 (Opcode.swift) */
    OP_FLASH_LZMA_DATA = 0xE1,
    OP_FLASH_LZMA_END = 0xE2,
    OP_FLASH_BLANK_SCAN = 0xE3, /* espwiz's own: map of the 4 KiB sectors that are not blank */
    OP_CLEAN_BEGIN = 0xE4,      /* espwiz's own: scan and erase a range in idle time (stub_clean.h) */
    OP_CLEAN_FINISH = 0xE5,     /* espwiz's own: finish that job, answer with its map */
};

#define STUB_MAX_BLOCK 0x4000u                    /* largest data block (16 KiB) */
#define STUB_CMD_CAPACITY (8u + 16u + STUB_MAX_BLOCK + 64u)
#define STUB_SECTOR_SIZE 4096u
#define STUB_SCRATCH_SIZE 1024u

/* The last received frame, decoded (a command: 00, opcode, size, checksum, data). */
extern uint8_t stub_cmd_buf[STUB_CMD_CAPACITY];
extern uint32_t stub_cmd_len;
extern int stub_cmd_overflow;
/* Set when the receiver reports the link gone. */
extern int stub_link_lost;

/* Receives the next non-empty frame into stub_cmd_buf. Returns 0 when the link is gone. */
int stub_receive_frame(void);

/* Raw frames (the READ_FLASH data packets): start, SLIP-escaped bytes, end (flushes). */
void stub_frame_start(void);
void stub_frame_bytes(const uint8_t *p, uint32_t n);
void stub_frame_end(void);

/* A response: 01, op, size, value, payload, then the status bytes (error, 0). */
void stub_respond(uint8_t op, uint32_t value, const uint8_t *payload, uint32_t payload_len, uint8_t error);

#endif
