/* FLASH_BLANK_SCAN and the background clean's commands (CLEAN_BEGIN / CLEAN_FINISH), and the
 * idle work the receiver hands over. Second-stage code (stub_commands.h): uploaded before a
 * clean flash, never for a connect and an unchanged re-flash.
 */
#include "stub_blank_scan.h"
#include "stub_clean.h"
#include "stub_commands.h"
#include "stub_errors.h"
#include "stub_flash_io.h"
#include "stub_hal.h"
#include "stub_util.h"
#include "stub_verify.h"
#include "stub_wire.h"

/* FLASH_BLANK_SCAN: offset and size (both whole 4 KiB sectors, else C0; in range, else C4).
 * The reply's value is the number of dirty sectors and its payload the bitmap, one bit per
 * sector from the offset up (bit i % 8 of byte i / 8; set = holds something other than 0xFF).
 * The bitmap is built in stub_cmd_buf behind the request's two words, which have been read by then
 * (at most 16 MiB / 4 KiB / 8 = 512 bytes). */
void stub_cmd_blank_scan(const uint8_t *data, uint32_t size_field)
{
    if (size_field != 8) {
        stub_respond(OP_FLASH_BLANK_SCAN, 0, 0, 0, STUB_BAD_DATA_LEN);
        return;
    }
    uint32_t offset = stub_le32(data);
    uint32_t length = stub_le32(data + 4);
    if ((offset % STUB_SECTOR_SIZE) != 0 || (length % STUB_SECTOR_SIZE) != 0) {
        stub_respond(OP_FLASH_BLANK_SCAN, 0, 0, 0, STUB_BAD_DATA_LEN);
        return;
    }
    if (!stub_range_ok(offset, length) || length > 16u * 1024u * 1024u) {
        stub_respond(OP_FLASH_BLANK_SCAN, 0, 0, 0, STUB_FAILED_SPI_OP);
        return;
    }
    uint32_t sectors = length / STUB_SECTOR_SIZE;
    uint8_t *bitmap = stub_cmd_buf + 32;
    uint32_t dirty = 0;
    int rc = stub_blank_scan(offset, sectors, bitmap, &dirty, stub_scratch, STUB_SCRATCH_SIZE);
    if (rc != STUB_OK) {
        stub_respond(OP_FLASH_BLANK_SCAN, 0, 0, 0, (uint8_t)rc);
        return;
    }
    stub_respond(OP_FLASH_BLANK_SCAN, dirty, bitmap, (sectors + 7u) / 8u, STUB_OK);
}

/* CLEAN_BEGIN / CLEAN_FINISH: offset and size, both whole 4 KiB sectors (C0), in range and at
 * most 16 MiB (C4). BEGIN unlocks the flash (C5) and starts the job; FINISH needs a job over the
 * same range (C6), completes it and replies with value = sectors that held data, and a payload
 * of four words (sectors scanned in idle time, erases done in idle time, block erases, sector
 * erases) followed by the bitmap of the sectors that held data (built in stub_cmd_buf, as the blank
 * scan's). A failure is replied with the two status bytes alone. */
void stub_cmd_clean(uint8_t op, const uint8_t *data, uint32_t size_field)
{
    if (size_field != 8) {
        stub_respond(op, 0, 0, 0, STUB_BAD_DATA_LEN);
        return;
    }
    uint32_t offset = stub_le32(data);
    uint32_t length = stub_le32(data + 4);
    if ((offset % STUB_SECTOR_SIZE) != 0 || (length % STUB_SECTOR_SIZE) != 0) {
        stub_respond(op, 0, 0, 0, STUB_BAD_DATA_LEN);
        return;
    }
    if (!stub_range_ok(offset, length) || length > STUB_CLEAN_MAX_SECTORS * STUB_SECTOR_SIZE) {
        stub_respond(op, 0, 0, 0, STUB_FAILED_SPI_OP);
        return;
    }
    uint32_t sectors = length / STUB_SECTOR_SIZE;
    if (op == OP_CLEAN_BEGIN) {
        if (hal_flash_unlock() != HAL_OK) {
            stub_respond(op, 0, 0, 0, STUB_FAILED_SPI_UNLOCK);
            return;
        }
        stub_verify_drop();
        stub_clean_begin(offset, sectors);
        stub_respond(op, 0, 0, 0, STUB_OK);
        return;
    }
    if (!stub_clean_is(offset, sectors)) {
        stub_respond(op, 0, 0, 0, STUB_NOT_IN_FLASH_MODE);
        return;
    }
    stub_clean_report_t report;
    int rc = stub_clean_finish(&report);
    if (rc != STUB_OK) {
        stub_respond(op, 0, 0, 0, (uint8_t)rc);
        return;
    }
    uint8_t *out = stub_cmd_buf + 32;
    stub_put_le32(out, report.background_scanned);
    stub_put_le32(out + 4, report.background_erases);
    stub_put_le32(out + 8, report.block_erases);
    stub_put_le32(out + 12, report.sector_erases);
    uint32_t bytes = (sectors + 7u) / 8u;
    const uint8_t *map = stub_clean_bitmap();
    for (uint32_t i = 0; i < bytes; i++) {
        out[16 + i] = map[i];
    }
    stub_respond(op, report.dirty, out, 16 + bytes, STUB_OK);
}

/* The clean outside the image first, then the read-back hash of what the session programmed. */
void stub_stage2_idle(uint32_t programmed_end)
{
    if (!stub_clean_step()) {
        (void)stub_verify_step(programmed_end);
    }
}
