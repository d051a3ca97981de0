/* Flash write sessions (FLASH_BEGIN/DATA/END and their DEFL and LZMA forms): the first stage's
 * side. Plain data goes to the flash writer here; compressed data to the second stage's decoder
 * glue (stub_decode.c), which a compressed BEGIN needs loaded.
 */
#include "stub_session.h"
#include "stub_clean.h"
#include "stub_errors.h"
#include "stub_flash_io.h"
#include "stub_flash_writer.h"
#include "stub_hal.h"
#include "stub_stage2.h"
#include "stub_util.h"
#include "stub_verify.h"
#include "stub_wire.h"

uint8_t stub_session_begin(int mode, const uint8_t *data, uint32_t size_field)
{
    if (size_field < 16 || size_field % 4 != 0 || size_field > 20 || (mode == STUB_MODE_LZMA && size_field != 20)) {
        return STUB_BAD_DATA_LEN;
    }
    uint32_t size = stub_le32(data);
    uint32_t block_size = stub_le32(data + 8);
    uint32_t offset = stub_le32(data + 12);
    stub_session.mode = STUB_MODE_IDLE;
    stub_verify_drop_loaded();
    if (mode != STUB_MODE_PLAIN && !stub_stage2_ready()) {
        return STUB_CMD_NOT_IMPLEMENTED; /* the decoders are not uploaded yet (stub_stage2.h) */
    }
    if (block_size > STUB_MAX_BLOCK) {
        return STUB_BAD_BLOCKSIZE;
    }
    if ((offset & 3u) != 0) {
        return STUB_FAILED_SPI_OP; /* the flash is programmed in whole words */
    }
    if (!stub_range_ok(offset, size)) {
        return STUB_TOO_MUCH_DATA; /* the data would run past the end of the flash */
    }
    if (mode == STUB_MODE_LZMA) {
        /* Word 5: the properties byte (pb * 5 + lp) * 9 + lc; the other bytes must be 0.
         * Initialising here also checks that lc + lp fits the work area. */
        uint8_t err = stub_decode_lzma_begin(stub_le32(data + 16), size);
        if (err != STUB_OK) {
            return err;
        }
    }
    if (hal_flash_unlock() != HAL_OK) {
        return STUB_FAILED_SPI_UNLOCK;
    }
    if (stub_stage2_ready() && stub_clean_overlaps(offset, size)) {
        /* A background clean must not erase what this session writes: finish its work first. */
        while (stub_clean_step()) {
        }
    }
    stub_session.mode = mode;
    stub_session.error = STUB_OK;
    stub_session.size = size;
    stub_session.next_seq = 0;
    stub_session.inflate_started = 0;
    stub_session.inflate_done = 0;
    stub_flash_writer_begin(&stub_session.writer, offset, size);
    if (stub_stage2_ready()) {
        stub_verify_begin(offset); /* without it, SPI_FLASH_MD5 reads the whole range itself */
    }
    return STUB_OK;
}

void stub_session_data(uint8_t op, const uint8_t *data, uint32_t size_field, uint32_t checksum)
{
    int want_mode = op == OP_FLASH_DATA ? STUB_MODE_PLAIN : (op == OP_FLASH_DEFL_DATA ? STUB_MODE_DEFLATE : STUB_MODE_LZMA);
    if (stub_session.mode != want_mode) {
        stub_respond(op, 0, 0, 0, STUB_NOT_IN_FLASH_MODE);
        return;
    }
    if (size_field < 16 || stub_le32(data) != size_field - 16) {
        stub_respond(op, 0, 0, 0, STUB_BAD_DATA_LEN);
        return;
    }
    const uint8_t *block = data + 16;
    uint32_t length = size_field - 16;
    /* XOR checksum seeded with 0xEF (serial-protocol.rst), a word at a time when the block is
     * word aligned (it starts 24 bytes into the word-aligned stub_cmd_buf): the XOR of all bytes
     * is the XOR of the four bytes of the XOR of all words. About 2 instructions per byte less. */
    typedef uint32_t __attribute__((may_alias)) block_word;
    uint32_t whole = ((uintptr_t)block & 3u) == 0 ? (length & ~3u) : 0;
    const block_word *w = (const block_word *)(const void *)block;
    uint32_t words = 0;
    for (uint32_t i = 0; i < whole / 4u; i++) {
        words ^= w[i];
    }
    uint32_t sum = 0xEF ^ words ^ (words >> 8) ^ (words >> 16) ^ (words >> 24);
    for (uint32_t i = whole; i < length; i++) {
        sum ^= block[i];
    }
    sum &= 0xFFu;
    if (sum != checksum) {
        stub_respond(op, 0, 0, 0, STUB_BAD_DATA_CHECKSUM);
        return;
    }
    uint32_t seq = stub_le32(data + 4);
    if (seq + 1 == stub_session.next_seq) {
        /* The host repeated the last block (its acknowledgement was lost): acknowledge again. */
        stub_respond(op, 0, 0, 0, stub_session.error);
        return;
    }
    if (seq != stub_session.next_seq) {
        stub_respond(op, 0, 0, 0, STUB_BAD_DATA_LEN);
        return;
    }
    stub_session.next_seq++;
    if (stub_session.error != STUB_OK) {
        stub_respond(op, 0, 0, 0, stub_session.error);
        return;
    }
    if (want_mode != STUB_MODE_PLAIN && stub_session.inflate_done) {
        stub_session.error = STUB_TOO_MUCH_DATA; /* data after the end of the compressed stream */
        stub_respond(op, 0, 0, 0, stub_session.error);
        return;
    }
    /* Acknowledge now; the block is written while the next one arrives. */
    stub_respond(op, 0, 0, 0, STUB_OK);
    if (want_mode == STUB_MODE_PLAIN) {
        int rc = stub_flash_writer_put(&stub_session.writer, block, length, 1);
        if (rc != STUB_OK) {
            stub_session.error = (uint8_t)rc;
        }
    } else {
        stub_decode_block(block, length); /* second stage: a session in this mode needed it at BEGIN */
    }
}

void stub_session_end(uint8_t op, const uint8_t *data, uint32_t size_field)
{
    /* Either END closes either kind of session: esptool ends a stub write with
     * FLASH_BEGIN(0, 0) followed by FLASH_DEFL_END (esptool cmds.py write_flash). */
    if (stub_session.mode == STUB_MODE_IDLE) {
        stub_respond(op, 0, 0, 0, STUB_NOT_IN_FLASH_MODE);
        return;
    }
    uint8_t err = stub_session.error;
    if (err == STUB_OK && stub_session.mode != STUB_MODE_PLAIN && !stub_session.inflate_done && stub_session.size != 0) {
        err = STUB_NOT_ENOUGH_DATA;
    }
    if (err == STUB_OK) {
        err = (uint8_t)stub_flash_writer_finish(&stub_session.writer);
    }
    if (err == STUB_OK && stub_flash_writer_written(&stub_session.writer) < stub_session.size) {
        err = STUB_NOT_ENOUGH_DATA;
    }
    stub_session.mode = STUB_MODE_IDLE;
    stub_respond(op, 0, 0, 0, err);
    /* Word 0: 0 = reboot, 1 = stay in the stub (esptool sends int(not reboot)). */
    if (err == STUB_OK && size_field >= 4 && stub_le32(data) == 0) {
        hal_tx_flush();
        hal_reboot();
    }
}
