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
#include "stub_baud.h"
#include "stub_clean.h"
#include "stub_commands.h"
#include "stub_errors.h"
#include "stub_flash_io.h"
#include "stub_flash_writer.h"
#include "stub_hal.h"
#include "stub_inflate.h"
#include "stub_lzma.h"
#include "stub_md5.h"
#include "stub_stage2.h"
#include "stub_util.h"
#include "stub_verify.h"
#include "stub_wire.h"

#define BLOCK_SIZE 65536u

enum { MODE_IDLE = 0, MODE_PLAIN = 1, MODE_DEFLATE = 2, MODE_LZMA = 3 };

/* Only one compressed session runs at a time, so the two decoders share their big buffers:
 * the inflate window and Huffman tables, or the LZMA probabilities and window (stub_lzma.h;
 * the LZMA window is what the probabilities leave of STUB_WORK_SIZE). */
static union {
    struct {
        uint8_t window[STUB_INFLATE_WINDOW];
        stub_inflate_t state;
    } inflate;
    uint32_t lzma[STUB_WORK_SIZE / 4];
} work;
static stub_lzma_t lzma;
static struct {
    int mode;
    uint8_t error;          /* sticky failure found while writing */
    uint32_t size;          /* bytes to write (uncompressed) */
    uint32_t next_seq;
    int inflate_started;    /* the decoder (inflate or LZMA) has been started */
    int inflate_done;       /* ... and has returned */
    stub_flash_writer_t writer;
} session;

static int run_user_code;
static int inflating;         /* inside stub_inflate_run or stub_lzma_run: data blocks feed the decoder */
static int deferred;          /* stub_cmd_buf holds a command to dispatch after inflate returns */

int stub_decoder_busy(void) { return (session.mode == MODE_DEFLATE || session.mode == MODE_LZMA) && !session.inflate_done; }

uint32_t *stub_work_area(void) { return work.lzma; }

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

/* ---- second-stage hooks ----
 * The read-back hash (stub_verify) and the background clean (stub_clean) are second-stage code:
 * the first stage reaches them only once stub_stage2_ready(); before, no job of theirs exists. */

static void verify_drop(void)
{
    if (stub_stage2_ready()) {
        stub_verify_drop();
    }
}

/* ---- flash sessions ---- */

static int inflate_refill(void *context, const uint8_t **data, uint32_t *length);
static int inflate_sink(void *context, const uint8_t *data, uint32_t length);
static int lzma_history(void *context, uint32_t position, void *dst, uint32_t length);

static uint8_t begin_session(int mode, const uint8_t *data, uint32_t size_field)
{
    if (size_field < 16 || size_field % 4 != 0 || size_field > 20 || (mode == MODE_LZMA && size_field != 20)) {
        return STUB_BAD_DATA_LEN;
    }
    uint32_t size = stub_le32(data);
    uint32_t block_size = stub_le32(data + 8);
    uint32_t offset = stub_le32(data + 12);
    session.mode = MODE_IDLE;
    verify_drop();
    if (mode != MODE_PLAIN && !stub_stage2_ready()) {
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
    if (mode == MODE_LZMA) {
        /* Word 5: the properties byte (pb * 5 + lp) * 9 + lc; the other bytes must be 0.
         * Initialising here also checks that lc + lp fits the work area. */
        uint32_t properties = stub_le32(data + 16);
        if (properties > 0xFF ||
            stub_lzma_init(&lzma, (uint8_t)properties, size, work.lzma, sizeof work.lzma, inflate_refill,
                           inflate_sink, lzma_history, 0) != STUB_LZMA_OK) {
            return STUB_INFLATE_ERROR;
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
    session.mode = mode;
    session.error = STUB_OK;
    session.size = size;
    session.next_seq = 0;
    session.inflate_started = 0;
    session.inflate_done = 0;
    stub_flash_writer_begin(&session.writer, offset, size);
    if (stub_stage2_ready()) {
        stub_verify_begin(offset); /* without it, SPI_FLASH_MD5 reads the whole range itself */
    }
    return STUB_OK;
}

static void dispatch(void);

static int inflate_sink(void *context, const uint8_t *data, uint32_t length)
{
    (void)context;
    return stub_flash_writer_put(&session.writer, data, length, 0);
}

static uint8_t inflate_error(int status)
{
    switch (status) {
    case STUB_INFLATE_OK:
        return STUB_OK;
    case STUB_INFLATE_TRUNCATED:
        return STUB_NOT_ENOUGH_DATA;
    case STUB_INFLATE_SINK:
        return (uint8_t)work.inflate.state.sink_error;
    default:
        return STUB_INFLATE_ERROR;
    }
}

static uint8_t lzma_error(int status)
{
    switch (status) {
    case STUB_LZMA_OK:
        return STUB_OK;
    case STUB_LZMA_TRUNCATED:
        return STUB_NOT_ENOUGH_DATA;
    case STUB_LZMA_TOO_MUCH:
        return STUB_TOO_MUCH_DATA;
    case STUB_LZMA_SINK:
    case STUB_LZMA_HISTORY:
        return (uint8_t)lzma.sink_error;
    default:
        return STUB_INFLATE_ERROR;
    }
}

/* The LZMA decoder reads back output that has left its window (the host's dictionary is as
 * large as the image). It asks only for whole words it has handed to the sink, which the
 * writer has programmed, since every flush but the last is a multiple of 4 bytes. */
static int lzma_history(void *context, uint32_t position, void *dst, uint32_t length)
{
    (void)context;
    stub_flash_writer_t *w = &session.writer;
    if (position > w->next - w->start || length > w->next - w->start - position) {
        return STUB_FAILED_SPI_OP; /* not programmed yet: cannot happen with stub_lzma's flushing */
    }
    return hal_flash_read(w->start + position, dst, length) == HAL_OK ? STUB_OK : STUB_FAILED_SPI_OP;
}

/* Block handed from a nested dispatch to the running decoder. */
static const uint8_t *handoff_data;
static uint32_t handoff_length;
static int handoff_ready;

static void start_inflate(const uint8_t *block, uint32_t length)
{
    session.inflate_started = 1;
    stub_inflate_init(&work.inflate.state, work.inflate.window, inflate_refill, inflate_sink, 0);
    inflating = 1;
    int status = stub_inflate_run(&work.inflate.state, block, length);
    inflating = 0;
    if (stub_link_lost) {
        return;
    }
    uint8_t err = inflate_error(status);
    if (err == STUB_OK && stub_inflate_has_trailing_input(&work.inflate.state)) {
        err = STUB_TOO_MUCH_DATA;
    }
    if (err != STUB_OK && session.error == STUB_OK) {
        session.error = err;
    }
    session.inflate_done = 1;
}

static void start_lzma(const uint8_t *block, uint32_t length)
{
    session.inflate_started = 1;
    inflating = 1;
    int status = stub_lzma_run(&lzma, block, length);
    inflating = 0;
    if (stub_link_lost) {
        return;
    }
    uint8_t err = lzma_error(status);
    if (err == STUB_OK && stub_lzma_has_trailing_input(&lzma)) {
        err = STUB_TOO_MUCH_DATA;
    }
    if (err != STUB_OK && session.error == STUB_OK) {
        session.error = err;
    }
    session.inflate_done = 1;
}

/* The decoder wants more input: serve commands until a data block arrives. */
static int inflate_refill(void *context, const uint8_t **data, uint32_t *length)
{
    (void)context;
    for (;;) {
        if (!stub_receive_frame()) {
            return 0;
        }
        handoff_ready = 0;
        dispatch();
        if (deferred || stub_link_lost || run_user_code) {
            return 0;
        }
        if (handoff_ready) {
            *data = handoff_data;
            *length = handoff_length;
            return 1;
        }
    }
}

static void handle_data(uint8_t op, const uint8_t *data, uint32_t size_field, uint32_t checksum)
{
    int want_mode = op == OP_FLASH_DATA ? MODE_PLAIN : (op == OP_FLASH_DEFL_DATA ? MODE_DEFLATE : MODE_LZMA);
    if (session.mode != want_mode) {
        stub_respond(op, 0, 0, 0, STUB_NOT_IN_FLASH_MODE);
        return;
    }
    if (size_field < 16 || stub_le32(data) != size_field - 16) {
        stub_respond(op, 0, 0, 0, STUB_BAD_DATA_LEN);
        return;
    }
    const uint8_t *block = data + 16;
    uint32_t length = size_field - 16;
    uint32_t sum = 0xEF; /* XOR checksum seeded with 0xEF (serial-protocol.rst) */
    for (uint32_t i = 0; i < length; i++) {
        sum ^= block[i];
    }
    if (sum != checksum) {
        stub_respond(op, 0, 0, 0, STUB_BAD_DATA_CHECKSUM);
        return;
    }
    uint32_t seq = stub_le32(data + 4);
    if (seq + 1 == session.next_seq) {
        /* The host repeated the last block (its acknowledgement was lost): acknowledge again. */
        stub_respond(op, 0, 0, 0, session.error);
        return;
    }
    if (seq != session.next_seq) {
        stub_respond(op, 0, 0, 0, STUB_BAD_DATA_LEN);
        return;
    }
    session.next_seq++;
    if (session.error != STUB_OK) {
        stub_respond(op, 0, 0, 0, session.error);
        return;
    }
    if (want_mode != MODE_PLAIN && session.inflate_done) {
        session.error = STUB_TOO_MUCH_DATA; /* data after the end of the compressed stream */
        stub_respond(op, 0, 0, 0, session.error);
        return;
    }
    /* Acknowledge now; the block is written while the next one arrives. */
    stub_respond(op, 0, 0, 0, STUB_OK);
    if (want_mode == MODE_PLAIN) {
        int rc = stub_flash_writer_put(&session.writer, block, length, 1);
        if (rc != STUB_OK) {
            session.error = (uint8_t)rc;
        }
    } else if (inflating) {
        handoff_data = block;
        handoff_length = length;
        handoff_ready = 1;
    } else if (want_mode == MODE_DEFLATE) {
        start_inflate(block, length);
    } else {
        start_lzma(block, length);
    }
}

static void handle_end(uint8_t op, const uint8_t *data, uint32_t size_field)
{
    /* Either END closes either kind of session: esptool ends a stub write with
     * FLASH_BEGIN(0, 0) followed by FLASH_DEFL_END (esptool cmds.py write_flash). */
    if (session.mode == MODE_IDLE) {
        stub_respond(op, 0, 0, 0, STUB_NOT_IN_FLASH_MODE);
        return;
    }
    uint8_t err = session.error;
    if (err == STUB_OK && session.mode != MODE_PLAIN && !session.inflate_done && session.size != 0) {
        err = STUB_NOT_ENOUGH_DATA;
    }
    if (err == STUB_OK) {
        err = (uint8_t)stub_flash_writer_finish(&session.writer);
    }
    if (err == STUB_OK && stub_flash_writer_written(&session.writer) < session.size) {
        err = STUB_NOT_ENOUGH_DATA;
    }
    session.mode = MODE_IDLE;
    stub_respond(op, 0, 0, 0, err);
    /* Word 0: 0 = reboot, 1 = stay in the stub (esptool sends int(not reboot)). */
    if (err == STUB_OK && size_field >= 4 && stub_le32(data) == 0) {
        hal_tx_flush();
        hal_reboot();
    }
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
    verify_drop();
    return (uint8_t)erase_range(offset, length);
}

/* The HAL's receive wait found no byte waiting: one unit of background work (the clean, the
 * read-back hash), all of it second-stage code: nothing before that stage is uploaded. */
void stub_rx_idle(void)
{
    if (stub_stage2_ready()) {
        stub_stage2_idle(session.writer.next);
    }
}

/* Dispatches the command in stub_cmd_buf. */
static void dispatch(void)
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
    if (inflating && (op == OP_FLASH_BEGIN || op == OP_FLASH_END || op == OP_FLASH_DEFL_BEGIN ||
                      op == OP_FLASH_DEFL_END || op == OP_FLASH_LZMA_BEGIN || op == OP_FLASH_LZMA_END ||
                      op == OP_ERASE_FLASH || op == OP_ERASE_REGION)) {
        /* Ends the compressed stream early: let the decoder unwind, then run it. */
        deferred = 1;
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
        err = begin_session(op == OP_FLASH_BEGIN ? MODE_PLAIN : op == OP_FLASH_DEFL_BEGIN ? MODE_DEFLATE : MODE_LZMA,
                            data, size_field);
        stub_respond(op, 0, 0, 0, err);
        if (err == STUB_OK) {
            /* Acknowledged first: the early tail erase overlaps the first data block's arrival.
             * A failure shows up in the reply to the next block or to END. */
            int rc = stub_flash_writer_erase_tail(&session.writer);
            if (rc != STUB_OK) {
                session.error = (uint8_t)rc;
            }
        }
        return;
    case OP_FLASH_DATA:
    case OP_FLASH_DEFL_DATA:
    case OP_FLASH_LZMA_DATA:
        handle_data(op, data, size_field, checksum);
        return;
    case OP_FLASH_END:
    case OP_FLASH_DEFL_END:
    case OP_FLASH_LZMA_END:
        handle_end(op, data, size_field);
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
        verify_drop();
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
        run_user_code = 1; /* no reply */
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
    session.mode = MODE_IDLE;
    static const uint8_t greeting[4] = {'O', 'H', 'A', 'I'};
    stub_frame_start();
    stub_frame_bytes(greeting, 4);
    stub_frame_end();
    while (!run_user_code && !stub_link_lost) {
        if (!deferred) {
            if (!stub_receive_frame()) {
                break;
            }
        }
        deferred = 0;
        dispatch();
    }
    hal_tx_flush();
}
