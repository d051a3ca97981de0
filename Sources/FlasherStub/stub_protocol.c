/* The espwiz flasher stub's command protocol. Portable C over stub_hal.h.
 *
 * Wire format (docs: esptool docs/en/advanced-topics/serial-protocol.rst, facts only; the Swift
 * codec in Sources/ESPProtocol encodes the same layouts):
 *   every packet is one SLIP frame (C0 ... C0, C0 -> DB DC, DB -> DB DD);
 *   command:  00, opcode, size u16, checksum u32, data[size];
 *   response: 01, opcode, size u16, value u32, payload, error byte, 0.
 * The stub greets with the frame "OHAI" when it starts.
 *
 * Data blocks (FLASH_DATA, FLASH_DEFL_DATA, FLASH_LZMA_DATA) are acknowledged as soon as they are checked, and
 * written afterwards while the UART keeps receiving the next block; a failure found while
 * writing is reported in the reply to the next data block or to the END command.
 */
#include "stub_protocol.h"
#include "stub_session.h"
#include "stub_baud.h"
#include "stub_clean.h"
#include "stub_commands.h"
#include "stub_errors.h"
#include "stub_flash_io.h"
#include "stub_flash_writer.h"
#include "stub_hal.h"
#include "stub_md5.h"
#include "stub_stage2.h"
#include "stub_util.h"
#include "stub_verify.h"
#include "stub_wire.h"

#define BLOCK_SIZE 65536u

stub_session_t stub_session;
int stub_run_user_code;
int stub_inflating;
int stub_deferred;

/* ---- flash helpers ---- */

static void md5_chunk(void *context, const uint8_t *data, uint32_t length)
{
    stub_md5_update((stub_md5_t *)context, data, length);
}

static int erase_range(uint32_t address, uint32_t length)
{
    uint32_t end = address + length;
    while (address < end) {
        int rc;
        if ((address & (BLOCK_SIZE - 1u)) == 0 && end - address >= BLOCK_SIZE) {
            rc = hal_flash_erase_block(address / BLOCK_SIZE);
            address += BLOCK_SIZE;
        } else {
            rc = hal_flash_erase_sector(address / STUB_SECTOR_SIZE);
            address += STUB_SECTOR_SIZE;
        }
        if (rc != HAL_OK) {
            return STUB_FAILED_SPI_OP;
        }
    }
    return STUB_OK;
}

static void handle_md5(const uint8_t *data, uint32_t size_field)
{
    if (size_field != 16) {
        static const uint8_t none[16];
        stub_respond(OP_SPI_FLASH_MD5, 0, none, 16, STUB_BAD_DATA_LEN);
        return;
    }
    uint32_t address = stub_le32(data);
    uint32_t length = stub_le32(data + 4);
    /* Clients read the status after the 16 expected digest bytes (esptool's rule), so a
     * failure is sent with 16 zero bytes in the digest's place. */
    uint8_t digest[16];
    stub_memset(digest, 0, sizeof digest);
    if (!stub_range_ok(address, length)) {
        stub_respond(OP_SPI_FLASH_MD5, 0, digest, 16, STUB_FAILED_SPI_OP);
        return;
    }
    stub_md5_t md5;
    uint32_t from = address;
    if (!stub_stage2_ready() || !stub_verify_take(address, length, &md5, &from)) {
        stub_md5_init(&md5); /* nothing hashed ahead for this range: read it all now */
    }
    int rc = stub_flash_stream(from, address + length - from, md5_chunk, &md5);
    if (rc != STUB_OK) {
        stub_respond(OP_SPI_FLASH_MD5, 0, digest, 16, (uint8_t)rc);
        return;
    }
    stub_md5_final(&md5, digest);
    stub_respond(OP_SPI_FLASH_MD5, 0, digest, 16, STUB_OK);
}

static uint8_t handle_erase_region(const uint8_t *data, uint32_t size_field)
{
    if (size_field != 8) {
        return STUB_BAD_DATA_LEN;
    }
    uint32_t offset = stub_le32(data);
    uint32_t length = stub_le32(data + 4);
    if ((offset % STUB_SECTOR_SIZE) != 0 || (length % STUB_SECTOR_SIZE) != 0) {
        return STUB_BAD_DATA_LEN;
    }
    if (!stub_range_ok(offset, length)) {
        return STUB_FAILED_SPI_OP;
    }
    if (hal_flash_unlock() != HAL_OK) {
        return STUB_FAILED_SPI_UNLOCK;
    }
    stub_verify_drop_loaded();
    return (uint8_t)erase_range(offset, length);
}

/* The HAL's receive wait found no byte waiting: one unit of background work (the clean, the
 * read-back hash), all of it second-stage code: nothing before that stage is uploaded. */
void stub_rx_idle(void)
{
    if (stub_stage2_ready()) {
        stub_stage2_idle(stub_session.writer.next);
    }
}

/* Dispatches the command in stub_cmd_buf. */
void stub_dispatch(void)
{
    if (stub_cmd_len < 8 || stub_cmd_buf[0] != 0x00) {
        return; /* not a command (e.g. a stray acknowledgement) */
    }
    uint8_t op = stub_cmd_buf[1];
    uint32_t size_field = (uint32_t)stub_cmd_buf[2] | ((uint32_t)stub_cmd_buf[3] << 8);
    uint32_t checksum = stub_le32(stub_cmd_buf + 4);
    const uint8_t *data = stub_cmd_buf + 8;
    if (stub_cmd_overflow || size_field != stub_cmd_len - 8) {
        stub_respond(op, 0, 0, 0, STUB_BAD_DATA_LEN);
        return;
    }
    if (stub_inflating && (op == OP_FLASH_BEGIN || op == OP_FLASH_END || op == OP_FLASH_DEFL_BEGIN ||
                      op == OP_FLASH_DEFL_END || op == OP_FLASH_LZMA_BEGIN || op == OP_FLASH_LZMA_END ||
                      op == OP_ERASE_FLASH || op == OP_ERASE_REGION)) {
        /* Ends the compressed stream early: let the decoder unwind, then run it. */
        stub_deferred = 1;
        return;
    }
    uint8_t err = STUB_OK;
    switch (op) {
    case OP_SYNC:
        break; /* the stub answers SYNC with value 0 (esptool uses that to detect a stub) */
    case OP_READ_REG:
        if (size_field != 4) {
            err = STUB_BAD_DATA_LEN;
            break;
        }
        stub_respond(op, hal_read_reg(stub_le32(data)), 0, 0, STUB_OK);
        return;
    case OP_WRITE_REG:
        if (size_field == 0 || size_field % 16 != 0) {
            err = STUB_BAD_DATA_LEN;
            break;
        }
        for (uint32_t i = 0; i < size_field; i += 16) {
            hal_write_reg(stub_le32(data + i), stub_le32(data + i + 4), stub_le32(data + i + 8),
                          stub_le32(data + i + 12));
        }
        break;
    case OP_FLASH_BEGIN:
    case OP_FLASH_DEFL_BEGIN:
    case OP_FLASH_LZMA_BEGIN:
        err = stub_session_begin(op == OP_FLASH_BEGIN ? STUB_MODE_PLAIN : op == OP_FLASH_DEFL_BEGIN ? STUB_MODE_DEFLATE : STUB_MODE_LZMA,
                            data, size_field);
        stub_respond(op, 0, 0, 0, err);
        if (err == STUB_OK) {
            /* Acknowledged first: the early tail erase overlaps the first data block's arrival.
             * A failure shows up in the reply to the next block or to END. */
            int rc = stub_flash_writer_erase_tail(&stub_session.writer);
            if (rc != STUB_OK) {
                stub_session.error = (uint8_t)rc;
            }
        }
        return;
    case OP_FLASH_DATA:
    case OP_FLASH_DEFL_DATA:
    case OP_FLASH_LZMA_DATA:
        stub_session_data(op, data, size_field, checksum);
        return;
    case OP_FLASH_END:
    case OP_FLASH_DEFL_END:
    case OP_FLASH_LZMA_END:
        stub_session_end(op, data, size_field);
        return;
    case OP_SPI_FLASH_MD5:
        handle_md5(data, size_field);
        return;
    case OP_READ_FLASH:
    case OP_FLASH_BLANK_SCAN:
    case OP_CLEAN_BEGIN:
    case OP_CLEAN_FINISH:
        if (!stub_stage2_ready()) {
            err = STUB_CMD_NOT_IMPLEMENTED; /* second-stage commands (stub_commands.h), not uploaded yet */
            break;
        }
        if (op == OP_READ_FLASH) {
            stub_cmd_read_flash(data, size_field);
        } else if (op == OP_FLASH_BLANK_SCAN) {
            stub_cmd_blank_scan(data, size_field);
        } else {
            stub_cmd_clean(op, data, size_field);
        }
        return;
    case OP_ERASE_FLASH:
        stub_verify_drop_loaded();
        if (hal_flash_unlock() != HAL_OK) {
            err = STUB_FAILED_SPI_UNLOCK;
        } else if (hal_flash_erase_chip() != HAL_OK) {
            err = STUB_FAILED_SPI_OP;
        }
        break;
    case OP_ERASE_REGION:
        err = handle_erase_region(data, size_field);
        break;
    case OP_SPI_SET_PARAMS:
        if (size_field != 24) {
            err = STUB_BAD_DATA_LEN;
            break;
        }
        hal_flash_set_params(stub_le32(data), stub_le32(data + 4), stub_le32(data + 8),
                             stub_le32(data + 12), stub_le32(data + 16), stub_le32(data + 20));
        stub_flash_limit = stub_le32(data + 4);
        if (stub_flash_limit > hal_flash_capacity()) {
            stub_flash_limit = hal_flash_capacity();
        }
        break;
    case OP_SPI_ATTACH:
        if (size_field != 4 && size_field != 8) {
            err = STUB_BAD_DATA_LEN;
            break;
        }
        hal_flash_attach(stub_le32(data));
        break;
    case OP_CHANGE_BAUDRATE:
        if (size_field != 8) {
            err = STUB_BAD_DATA_LEN;
            break;
        }
        /* Reply at the old rate, let it leave the UART, then switch. */
        stub_respond(op, 0, 0, 0, STUB_OK);
        hal_tx_flush();
        hal_set_uart_divider(stub_baud_divider(hal_read_reg(STUB_UART_CLKDIV_REG), stub_le32(data + 4),
                                               stub_le32(data)));
        return;
    case OP_RUN_USER_CODE:
        stub_run_user_code = 1; /* no reply */
        return;
    case OP_MEM_BEGIN:
        if (stub_stage2_ready()) {
            /* The second stage may be overwritten now: finish its clean (no erase may follow a
             * write made meanwhile) and forget its hash before it stops being callable. */
            while (stub_clean_step()) {
            }
            stub_verify_drop();
        }
        err = stub_stage2_mem_begin(data, size_field);
        break;
    case OP_MEM_DATA:
        err = stub_stage2_mem_data(data, size_field, checksum);
        break;
    case OP_MEM_END:
        err = stub_stage2_mem_end(size_field);
        break;
    case OP_READ_FLASH_SLOW:
    case OP_GET_SECURITY_INFO:
        err = STUB_CMD_NOT_IMPLEMENTED;
        break;
    default:
        err = STUB_INVALID_COMMAND;
        break;
    }
    stub_respond(op, 0, 0, 0, err);
}

void stub_run(void)
{
    stub_flash_limit = hal_flash_capacity();
    stub_session.mode = STUB_MODE_IDLE;
    static const uint8_t greeting[4] = {'O', 'H', 'A', 'I'};
    stub_frame_start();
    stub_frame_bytes(greeting, 4);
    stub_frame_end();
    while (!stub_run_user_code && !stub_link_lost) {
        if (!stub_deferred) {
            if (!stub_receive_frame()) {
                break;
            }
        }
        stub_deferred = 0;
        stub_dispatch();
    }
    hal_tx_flush();
}
