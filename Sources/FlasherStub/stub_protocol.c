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
#include "stub_blank_scan.h"
#include "stub_clean.h"
#include "stub_errors.h"
#include "stub_flash_writer.h"
#include "stub_hal.h"
#include "stub_inflate.h"
#include "stub_lzma.h"
#include "stub_md5.h"
#include "stub_range_hash.h"
#include "stub_stage2.h"
#include "stub_util.h"
#include "stub_verify.h"

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

#define SLIP_END 0xC0
#define SLIP_ESC 0xDB
#define SLIP_ESC_END 0xDC
#define SLIP_ESC_ESC 0xDD

#define MAX_BLOCK 0x4000u                    /* largest data block (16 KiB) */
#define CMD_CAPACITY (8u + 16u + MAX_BLOCK + 64u)
#define SECTOR_SIZE 4096u
#define BLOCK_SIZE 65536u
#define SCRATCH_SIZE 1024u

enum { MODE_IDLE = 0, MODE_PLAIN = 1, MODE_DEFLATE = 2, MODE_LZMA = 3 };

/* One received frame, decoded. */
static uint8_t cmd_buf[CMD_CAPACITY] __attribute__((aligned(4)));
static uint32_t cmd_len;
static int cmd_overflow;

/* Only one compressed session runs at a time, so the two decoders share their big buffers:
 * the inflate window and Huffman tables, or the LZMA probabilities and window (stub_lzma.h;
 * the LZMA window is what the probabilities leave of LZMA_WORK_SIZE). */
#define LZMA_WORK_SIZE 36864u
static union {
    struct {
        uint8_t window[STUB_INFLATE_WINDOW];
        stub_inflate_t state;
    } inflate;
    uint32_t lzma[LZMA_WORK_SIZE / 4];
} work;
static stub_lzma_t lzma;
static uint32_t scratch[SCRATCH_SIZE / 4];

static struct {
    int mode;
    uint8_t error;          /* sticky failure found while writing */
    uint32_t size;          /* bytes to write (uncompressed) */
    uint32_t next_seq;
    int inflate_started;    /* the decoder (inflate or LZMA) has been started */
    int inflate_done;       /* ... and has returned */
    stub_flash_writer_t writer;
} session;

static uint32_t flash_limit;  /* addresses must stay below this */
static int link_lost;
static int run_user_code;
static int inflating;         /* inside stub_inflate_run or stub_lzma_run: data blocks feed the decoder */
static int deferred;          /* cmd_buf holds a command to dispatch after inflate returns */

/* ---- SLIP output ---- */

static uint8_t tx_buf[64];
static uint32_t tx_count;

static void tx_flush_buffer(void)
{
    if (tx_count != 0) {
        hal_tx(tx_buf, tx_count);
        tx_count = 0;
    }
}

static void tx_raw(uint8_t b)
{
    if (tx_count == sizeof tx_buf) {
        tx_flush_buffer();
    }
    tx_buf[tx_count++] = b;
}

static void slip_bytes(const uint8_t *p, uint32_t n)
{
    while (n--) {
        uint8_t b = *p++;
        if (b == SLIP_END) {
            tx_raw(SLIP_ESC);
            tx_raw(SLIP_ESC_END);
        } else if (b == SLIP_ESC) {
            tx_raw(SLIP_ESC);
            tx_raw(SLIP_ESC_ESC);
        } else {
            tx_raw(b);
        }
    }
}

static void slip_frame_start(void) { tx_raw(SLIP_END); }

static void slip_frame_end(void)
{
    tx_raw(SLIP_END);
    tx_flush_buffer();
}

static void respond(uint8_t op, uint32_t value, const uint8_t *payload, uint32_t payload_len, uint8_t error)
{
    uint8_t header[8];
    uint32_t size = payload_len + 2;
    header[0] = 0x01;
    header[1] = op;
    header[2] = (uint8_t)size;
    header[3] = (uint8_t)(size >> 8);
    stub_put_le32(header + 4, value);
    uint8_t status[2] = {error, 0};
    slip_frame_start();
    slip_bytes(header, 8);
    if (payload_len != 0) {
        slip_bytes(payload, payload_len);
    }
    slip_bytes(status, 2);
    slip_frame_end();
}

/* ---- SLIP input ---- */

/* Receives the next non-empty frame into cmd_buf. Returns 0 when the link is gone. */
static int receive_frame(void)
{
    int c;
    do {
        c = hal_rx_byte();
        if (c < 0) {
            link_lost = 1;
            return 0;
        }
    } while (c != SLIP_END);
    for (;;) {
        cmd_len = 0;
        cmd_overflow = 0;
        int escaped = 0;
        for (;;) {
            c = hal_rx_byte();
            if (c < 0) {
                link_lost = 1;
                return 0;
            }
            if (c == SLIP_END) {
                break;
            }
            if (escaped) {
                escaped = 0;
                if (c == SLIP_ESC_END) {
                    c = SLIP_END;
                } else if (c == SLIP_ESC_ESC) {
                    c = SLIP_ESC;
                } else {
                    cmd_overflow = 1; /* invalid escape: treat the frame as damaged */
                }
            } else if (c == SLIP_ESC) {
                escaped = 1;
                continue;
            }
            if (cmd_len < CMD_CAPACITY) {
                cmd_buf[cmd_len++] = (uint8_t)c;
            } else {
                cmd_overflow = 1;
            }
        }
        if (cmd_len != 0) {
            return 1; /* "C0 C0" between frames gives an empty frame: skip it */
        }
    }
}

/* ---- flash helpers ---- */

static int range_ok(uint32_t address, uint32_t length)
{
    return address <= flash_limit && length <= flash_limit - address;
}

typedef void (*chunk_fn)(void *context, const uint8_t *data, uint32_t length);

/* Reads [address, address+length) in pieces (any alignment) and passes them to fn. */
static int flash_stream(uint32_t address, uint32_t length, chunk_fn fn, void *context)
{
    uint8_t *bytes = (uint8_t *)scratch;
    while (length != 0) {
        uint32_t base = address & ~3u;
        uint32_t skip = address - base;
        uint32_t want = skip + length;
        if (want > SCRATCH_SIZE) {
            want = SCRATCH_SIZE;
        }
        if (hal_flash_read(base, scratch, (want + 3u) & ~3u) != HAL_OK) {
            return STUB_FAILED_SPI_OP;
        }
        uint32_t n = want - skip;
        fn(context, bytes + skip, n);
        address += n;
        length -= n;
    }
    return STUB_OK;
}

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
            rc = hal_flash_erase_sector(address / SECTOR_SIZE);
            address += SECTOR_SIZE;
        }
        if (rc != HAL_OK) {
            return STUB_FAILED_SPI_OP;
        }
    }
    return STUB_OK;
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
    stub_verify_drop();
    if (mode != MODE_PLAIN && !stub_stage2_ready()) {
        return STUB_CMD_NOT_IMPLEMENTED; /* the decoders are not uploaded yet (stub_stage2.h) */
    }
    if (block_size > MAX_BLOCK) {
        return STUB_BAD_BLOCKSIZE;
    }
    if ((offset & 3u) != 0) {
        return STUB_FAILED_SPI_OP; /* the flash is programmed in whole words */
    }
    if (!range_ok(offset, size)) {
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
    if (stub_clean_overlaps(offset, size)) {
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
    stub_verify_begin(offset);
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
    if (link_lost) {
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
    if (link_lost) {
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
        if (!receive_frame()) {
            return 0;
        }
        handoff_ready = 0;
        dispatch();
        if (deferred || link_lost || run_user_code) {
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
        respond(op, 0, 0, 0, STUB_NOT_IN_FLASH_MODE);
        return;
    }
    if (size_field < 16 || stub_le32(data) != size_field - 16) {
        respond(op, 0, 0, 0, STUB_BAD_DATA_LEN);
        return;
    }
    const uint8_t *block = data + 16;
    uint32_t length = size_field - 16;
    /* XOR checksum seeded with 0xEF (serial-protocol.rst), a word at a time: the block starts
     * 24 bytes into the word-aligned cmd_buf, and the XOR of all bytes is the XOR of the four
     * bytes of the XOR of all words. */
    typedef uint32_t __attribute__((may_alias)) block_word;
    const block_word *w = (const block_word *)block;
    uint32_t words = 0;
    uint32_t whole = length & ~3u;
    for (uint32_t i = 0; i < whole / 4u; i++) {
        words ^= w[i];
    }
    uint32_t sum = 0xEF ^ words ^ (words >> 8) ^ (words >> 16) ^ (words >> 24);
    for (uint32_t i = whole; i < length; i++) {
        sum ^= block[i];
    }
    sum &= 0xFFu;
    if (sum != checksum) {
        respond(op, 0, 0, 0, STUB_BAD_DATA_CHECKSUM);
        return;
    }
    uint32_t seq = stub_le32(data + 4);
    if (seq + 1 == session.next_seq) {
        /* The host repeated the last block (its acknowledgement was lost): acknowledge again. */
        respond(op, 0, 0, 0, session.error);
        return;
    }
    if (seq != session.next_seq) {
        respond(op, 0, 0, 0, STUB_BAD_DATA_LEN);
        return;
    }
    session.next_seq++;
    if (session.error != STUB_OK) {
        respond(op, 0, 0, 0, session.error);
        return;
    }
    if (want_mode != MODE_PLAIN && session.inflate_done) {
        session.error = STUB_TOO_MUCH_DATA; /* data after the end of the compressed stream */
        respond(op, 0, 0, 0, session.error);
        return;
    }
    /* Acknowledge now; the block is written while the next one arrives. */
    respond(op, 0, 0, 0, STUB_OK);
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
        respond(op, 0, 0, 0, STUB_NOT_IN_FLASH_MODE);
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
    respond(op, 0, 0, 0, err);
    /* Word 0: 0 = reboot, 1 = stay in the stub (esptool sends int(not reboot)). */
    if (err == STUB_OK && size_field >= 4 && stub_le32(data) == 0) {
        hal_tx_flush();
        hal_reboot();
    }
}

/* ---- other commands ---- */

typedef struct {
    uint32_t packet_size;
    uint32_t in_packet;
    stub_md5_t md5;
} read_stream_t;

static void read_chunk(void *context, const uint8_t *data, uint32_t length)
{
    read_stream_t *r = (read_stream_t *)context;
    stub_md5_update(&r->md5, data, length);
    slip_bytes(data, length);
}

/* READ_FLASH's window as esptool's stub takes it: at least one packet in flight, at most 1024,
 * packets of at most 64 KiB (so packet * max_unacked stays below 2^26). */
static void clamp_read_window(uint32_t *packet, uint32_t *max_unacked)
{
    if (*max_unacked == 0) {
        *max_unacked = 1;
    }
    if (*max_unacked > 1024) {
        *max_unacked = 1024;
    }
    if (*packet > 0x10000) {
        *packet = 0x10000;
    }
}

/* Waits for the host's next acknowledgement of a sparse READ_FLASH stream (the bytes it has
 * received so far, u32) and takes it when it is plausible. Returns 0 when the link is gone. */
static int receive_ack(uint32_t sent, uint32_t *acked)
{
    if (!receive_frame()) {
        return 0;
    }
    if (cmd_len == 4) {
        uint32_t count = stub_le32(cmd_buf);
        if (count > *acked && count <= sent) {
            *acked = count;
        }
    }
    return 1;
}

static void handle_read_sparse(const uint8_t *data, uint32_t size_field);

static void handle_read_flash(const uint8_t *data, uint32_t size_field)
{
    if (size_field > 16) {
        handle_read_sparse(data, size_field);
        return;
    }
    if (size_field != 16) {
        respond(OP_READ_FLASH, 0, 0, 0, STUB_BAD_DATA_LEN);
        return;
    }
    uint32_t offset = stub_le32(data);
    uint32_t length = stub_le32(data + 4);
    uint32_t packet = stub_le32(data + 8);
    uint32_t max_unacked = stub_le32(data + 12);
    if (packet == 0) {
        respond(OP_READ_FLASH, 0, 0, 0, STUB_BAD_BLOCKSIZE);
        return;
    }
    if (!range_ok(offset, length)) {
        respond(OP_READ_FLASH, 0, 0, 0, STUB_FAILED_SPI_OP);
        return;
    }
    clamp_read_window(&packet, &max_unacked);
    uint32_t window_bytes = packet * max_unacked; /* at most 2^26: no overflow */
    respond(OP_READ_FLASH, 0, 0, 0, STUB_OK);
    /* Data goes out as raw frames of `packet` bytes; the host acknowledges each with a frame
     * holding the total received so far (u32); at most max_unacked packets are outstanding;
     * a final frame carries the 16-byte MD5 of everything sent (esptool loader.py read_flash). */
    read_stream_t r;
    r.packet_size = packet;
    stub_md5_init(&r.md5);
    uint32_t sent = 0, acked = 0;
    while (acked < length) {
        while (sent < length && sent - acked < window_bytes) {
            uint32_t n = length - sent;
            if (n > packet) {
                n = packet;
            }
            slip_frame_start();
            if (flash_stream(offset + sent, n, read_chunk, &r) != STUB_OK) {
                slip_frame_end();
                return;
            }
            slip_frame_end();
            sent += n;
        }
        if (!receive_frame()) {
            return;
        }
        if (cmd_len == 4) {
            uint32_t total = stub_le32(cmd_buf);
            if (total > acked && total <= sent) {
                acked = total;
            }
        }
    }
    uint8_t digest[16];
    stub_md5_final(&r.md5, digest);
    slip_frame_start();
    slip_bytes(digest, 16);
    slip_frame_end();
}

/* ---- sparse READ_FLASH (espwiz's own extension of D2) ----
 *
 * Request: offset, length (both whole sectors, at most 16 MiB), packet size, max unacked, flags
 * (bit 0: re-read blank sectors for the MD5), then the dirty-sector bitmap of the range
 * (BlankScanBitmap layout, as FLASH_BLANK_SCAN answered it). The reply's value is the number of
 * bytes that will be sent: the dirty sectors, concatenated in address order, in raw frames of
 * `packet` bytes acknowledged as in READ_FLASH. The final 16-byte frame is the MD5 of the whole
 * range (stub_range_hash.h), computed while the UART sends, so no separate SPI_FLASH_MD5 pass
 * is needed. esptool always sends 16 bytes, so plain READ_FLASH is unchanged. */

#define SPARSE_HASH_BUFFER 1024u
#define SPARSE_MAX_LENGTH (16u * 1024u * 1024u)

static stub_range_hash_t range_hash;

static void range_hash_idle(void) { stub_range_hash_step(&range_hash); }

static void send_chunk(void *context, const uint8_t *data, uint32_t length)
{
    (void)context;
    slip_bytes(data, length);
}

static int sector_dirty(const uint8_t *bitmap, uint32_t index) { return (bitmap[index / 8] >> (index % 8)) & 1; }

/* Sends `n` bytes of the dirty-sector stream from *cursor (a byte position in the range, always
 * inside a dirty sector, or the range's length at the end), moving it on. */
static int send_dirty(const uint8_t *bitmap, uint32_t offset, uint32_t length, uint32_t *cursor, uint32_t n)
{
    while (n != 0) {
        uint32_t in_sector = SECTOR_SIZE - (*cursor % SECTOR_SIZE);
        uint32_t take = n < in_sector ? n : in_sector;
        if (flash_stream(offset + *cursor, take, send_chunk, 0) != STUB_OK) {
            return STUB_FAILED_SPI_OP;
        }
        *cursor += take;
        n -= take;
        while (*cursor < length && *cursor % SECTOR_SIZE == 0 && !sector_dirty(bitmap, *cursor / SECTOR_SIZE)) {
            *cursor += SECTOR_SIZE; /* skip blank sectors */
        }
    }
    return STUB_OK;
}

/* The scanning sparse read (flags bit 1, no bitmap): one pass over the range. The hash
 * (stub_range_hash, scan mode) reads every sector once, hashes it and marks the dirty ones, in
 * the TX idle hook while the UART sends, and here when the sender has caught up with it. Each
 * dirty sector goes out as one raw frame of 4096 bytes (read again from the flash) as soon as
 * the scan has passed it, acknowledged like READ_FLASH's packets; the reply's value is 0 (the
 * total is not known yet). After the last acknowledgement one frame carries the map (as
 * FLASH_BLANK_SCAN's bitmap) and the 16-byte MD5 of the whole range: never 4096 bytes long. */
static void read_scanning(uint32_t offset, uint32_t length, uint32_t window_bytes, uint8_t *bitmap, uint32_t *buffer)
{
    uint32_t sectors = length / SECTOR_SIZE;
    respond(OP_READ_FLASH, 0, 0, 0, STUB_OK);
    stub_range_hash_begin_scan(&range_hash, offset, length, bitmap, buffer, SPARSE_HASH_BUFFER);
    hal_set_tx_idle(range_hash_idle);
    uint32_t next = 0, sent = 0, acked = 0;
    for (;;) {
        while (next < sectors && sent - acked < window_bytes) {
            if (next >= stub_range_hash_scanned(&range_hash)) {
                if (!stub_range_hash_step(&range_hash) && next >= stub_range_hash_scanned(&range_hash)) {
                    next = sectors; /* the flash read failed: the MD5 below tells the host */
                }
                continue;
            }
            if (sector_dirty(bitmap, next)) {
                uint32_t cursor = next * SECTOR_SIZE;
                slip_frame_start();
                int rc = flash_stream(offset + cursor, SECTOR_SIZE, send_chunk, 0);
                slip_frame_end();
                if (rc != STUB_OK) {
                    hal_set_tx_idle(0);
                    return;
                }
                sent += SECTOR_SIZE;
            }
            next++;
        }
        if (next == sectors && acked == sent) {
            break;
        }
        if (!receive_ack(sent, &acked)) {
            hal_set_tx_idle(0);
            return;
        }
    }
    hal_set_tx_idle(0);
    uint8_t digest[16];
    if (stub_range_hash_finish(&range_hash, digest) != STUB_OK) {
        stub_memset(digest, 0, sizeof digest); /* the host's check fails and it reads again */
    }
    slip_frame_start();
    slip_bytes(bitmap, (sectors + 7u) / 8u);
    slip_bytes(digest, 16);
    slip_frame_end();
}

static void handle_read_sparse(const uint8_t *data, uint32_t size_field)
{
    uint32_t offset = stub_le32(data);
    uint32_t length = stub_le32(data + 4);
    uint32_t packet = stub_le32(data + 8);
    uint32_t max_unacked = stub_le32(data + 12);
    uint32_t flags = size_field >= 20 ? stub_le32(data + 16) : 0;
    uint32_t sectors = length / SECTOR_SIZE;
    int scan = size_field == 20 && (flags & 2u) != 0; /* no map: the stub finds it (read_scanning) */
    if (size_field < 20 || (offset % SECTOR_SIZE) != 0 || (length % SECTOR_SIZE) != 0 ||
        (!scan && size_field - 20 != (sectors + 7u) / 8u)) {
        respond(OP_READ_FLASH, 0, 0, 0, STUB_BAD_DATA_LEN);
        return;
    }
    if (packet == 0) {
        respond(OP_READ_FLASH, 0, 0, 0, STUB_BAD_BLOCKSIZE);
        return;
    }
    if (!range_ok(offset, length) || length > SPARSE_MAX_LENGTH) {
        respond(OP_READ_FLASH, 0, 0, 0, STUB_FAILED_SPI_OP);
        return;
    }
    if ((session.mode == MODE_DEFLATE || session.mode == MODE_LZMA) && !session.inflate_done) {
        /* A compressed write is under way: its decoder owns the work area. */
        respond(OP_READ_FLASH, 0, 0, 0, STUB_NOT_IN_FLASH_MODE);
        return;
    }
    clamp_read_window(&packet, &max_unacked);
    /* The acknowledgements overwrite cmd_buf: the bitmap (at most 512 bytes) and the hash's read
     * buffer live in the decoders' work area, free while no compressed session is open. */
    uint8_t *bitmap = (uint8_t *)work.lzma;
    uint32_t *buffer = work.lzma + 1024u / 4u;
    if (scan) {
        read_scanning(offset, length, packet * max_unacked, bitmap, buffer);
        return;
    }
    uint32_t map_bytes = size_field - 20;
    stub_memcpy(bitmap, data + 20, map_bytes);
    uint32_t total = 0;
    for (uint32_t i = 0; i < sectors; i++) {
        total += sector_dirty(bitmap, i) ? SECTOR_SIZE : 0;
    }
    respond(OP_READ_FLASH, total, 0, 0, STUB_OK);
    stub_range_hash_begin(&range_hash, offset, length, bitmap, (int)(flags & 1u), buffer, SPARSE_HASH_BUFFER);
    hal_set_tx_idle(range_hash_idle);
    uint32_t window_bytes = packet * max_unacked;
    uint32_t cursor = 0;
    while (cursor < length && !sector_dirty(bitmap, cursor / SECTOR_SIZE)) {
        cursor += SECTOR_SIZE;
    }
    uint32_t sent = 0, acked = 0;
    int hashed = 0;
    uint8_t digest[16];
    while (acked < total || !hashed) {
        while (sent < total && sent - acked < window_bytes) {
            uint32_t n = total - sent < packet ? total - sent : packet;
            slip_frame_start();
            int rc = send_dirty(bitmap, offset, length, &cursor, n);
            slip_frame_end();
            if (rc != STUB_OK) {
                hal_set_tx_idle(0);
                return;
            }
            sent += n;
        }
        if (sent == total && !hashed) {
            /* Everything is queued: finish the hash while the last bytes leave and the
             * acknowledgements arrive (the RX interrupt keeps them). */
            hal_set_tx_idle(0);
            if (stub_range_hash_finish(&range_hash, digest) != STUB_OK) {
                stub_memset(digest, 0, sizeof digest); /* the host's check fails and it reads again */
            }
            hashed = 1;
            continue;
        }
        if (!receive_ack(sent, &acked)) {
            hal_set_tx_idle(0);
            return;
        }
    }
    slip_frame_start();
    slip_bytes(digest, 16);
    slip_frame_end();
}

static void handle_md5(const uint8_t *data, uint32_t size_field)
{
    if (size_field != 16) {
        static const uint8_t none[16];
        respond(OP_SPI_FLASH_MD5, 0, none, 16, STUB_BAD_DATA_LEN);
        return;
    }
    uint32_t address = stub_le32(data);
    uint32_t length = stub_le32(data + 4);
    /* Clients read the status after the 16 expected digest bytes (esptool's rule), so a
     * failure is sent with 16 zero bytes in the digest's place. */
    uint8_t digest[16];
    stub_memset(digest, 0, sizeof digest);
    if (!range_ok(address, length)) {
        respond(OP_SPI_FLASH_MD5, 0, digest, 16, STUB_FAILED_SPI_OP);
        return;
    }
    stub_md5_t md5;
    uint32_t from = address;
    if (!stub_verify_take(address, length, &md5, &from)) {
        stub_md5_init(&md5); /* nothing hashed ahead for this range: read it all now */
    }
    int rc = flash_stream(from, address + length - from, md5_chunk, &md5);
    if (rc != STUB_OK) {
        respond(OP_SPI_FLASH_MD5, 0, digest, 16, (uint8_t)rc);
        return;
    }
    stub_md5_final(&md5, digest);
    respond(OP_SPI_FLASH_MD5, 0, digest, 16, STUB_OK);
}

static uint8_t handle_erase_region(const uint8_t *data, uint32_t size_field)
{
    if (size_field != 8) {
        return STUB_BAD_DATA_LEN;
    }
    uint32_t offset = stub_le32(data);
    uint32_t length = stub_le32(data + 4);
    if ((offset % SECTOR_SIZE) != 0 || (length % SECTOR_SIZE) != 0) {
        return STUB_BAD_DATA_LEN;
    }
    if (!range_ok(offset, length)) {
        return STUB_FAILED_SPI_OP;
    }
    if (hal_flash_unlock() != HAL_OK) {
        return STUB_FAILED_SPI_UNLOCK;
    }
    stub_verify_drop();
    return (uint8_t)erase_range(offset, length);
}

/* FLASH_BLANK_SCAN: offset and size (both whole 4 KiB sectors, else C0; in range, else C4).
 * The reply's value is the number of dirty sectors and its payload the bitmap, one bit per
 * sector from the offset up (bit i % 8 of byte i / 8; set = holds something other than 0xFF).
 * The bitmap is built in cmd_buf behind the request's two words, which have been read by then
 * (at most 16 MiB / 4 KiB / 8 = 512 bytes). */
static void handle_blank_scan(const uint8_t *data, uint32_t size_field)
{
    if (size_field != 8) {
        respond(OP_FLASH_BLANK_SCAN, 0, 0, 0, STUB_BAD_DATA_LEN);
        return;
    }
    uint32_t offset = stub_le32(data);
    uint32_t length = stub_le32(data + 4);
    if ((offset % SECTOR_SIZE) != 0 || (length % SECTOR_SIZE) != 0) {
        respond(OP_FLASH_BLANK_SCAN, 0, 0, 0, STUB_BAD_DATA_LEN);
        return;
    }
    if (!range_ok(offset, length) || length > 16u * 1024u * 1024u) {
        respond(OP_FLASH_BLANK_SCAN, 0, 0, 0, STUB_FAILED_SPI_OP);
        return;
    }
    uint32_t sectors = length / SECTOR_SIZE;
    uint8_t *bitmap = cmd_buf + 32;
    uint32_t dirty = 0;
    int rc = stub_blank_scan(offset, sectors, bitmap, &dirty, scratch, SCRATCH_SIZE);
    if (rc != STUB_OK) {
        respond(OP_FLASH_BLANK_SCAN, 0, 0, 0, (uint8_t)rc);
        return;
    }
    respond(OP_FLASH_BLANK_SCAN, dirty, bitmap, (sectors + 7u) / 8u, STUB_OK);
}

/* CLEAN_BEGIN / CLEAN_FINISH: offset and size, both whole 4 KiB sectors (C0), in range and at
 * most 16 MiB (C4). BEGIN unlocks the flash (C5) and starts the job; FINISH needs a job over the
 * same range (C6), completes it and replies with value = sectors that held data, and a payload
 * of four words (sectors scanned in idle time, erases done in idle time, block erases, sector
 * erases) followed by the bitmap of the sectors that held data (built in cmd_buf, as the blank
 * scan's). A failure is replied with the two status bytes alone. */
static void handle_clean(uint8_t op, const uint8_t *data, uint32_t size_field)
{
    if (size_field != 8) {
        respond(op, 0, 0, 0, STUB_BAD_DATA_LEN);
        return;
    }
    uint32_t offset = stub_le32(data);
    uint32_t length = stub_le32(data + 4);
    if ((offset % SECTOR_SIZE) != 0 || (length % SECTOR_SIZE) != 0) {
        respond(op, 0, 0, 0, STUB_BAD_DATA_LEN);
        return;
    }
    if (!range_ok(offset, length) || length > STUB_CLEAN_MAX_SECTORS * SECTOR_SIZE) {
        respond(op, 0, 0, 0, STUB_FAILED_SPI_OP);
        return;
    }
    uint32_t sectors = length / SECTOR_SIZE;
    if (op == OP_CLEAN_BEGIN) {
        if (hal_flash_unlock() != HAL_OK) {
            respond(op, 0, 0, 0, STUB_FAILED_SPI_UNLOCK);
            return;
        }
        stub_verify_drop();
        stub_clean_begin(offset, sectors);
        respond(op, 0, 0, 0, STUB_OK);
        return;
    }
    if (!stub_clean_is(offset, sectors)) {
        respond(op, 0, 0, 0, STUB_NOT_IN_FLASH_MODE);
        return;
    }
    stub_clean_report_t report;
    int rc = stub_clean_finish(&report);
    if (rc != STUB_OK) {
        respond(op, 0, 0, 0, (uint8_t)rc);
        return;
    }
    uint8_t *out = cmd_buf + 32;
    stub_put_le32(out, report.background_scanned);
    stub_put_le32(out + 4, report.background_erases);
    stub_put_le32(out + 8, report.block_erases);
    stub_put_le32(out + 12, report.sector_erases);
    uint32_t bytes = (sectors + 7u) / 8u;
    const uint8_t *map = stub_clean_bitmap();
    for (uint32_t i = 0; i < bytes; i++) {
        out[16 + i] = map[i];
    }
    respond(op, report.dirty, out, 16 + bytes, STUB_OK);
}

/* The HAL's receive wait found no byte waiting: one unit of background work. The clean outside
 * the image first, then the read-back hash of what this session has programmed so far. */
void stub_rx_idle(void)
{
    if (!stub_clean_step()) {
        (void)stub_verify_step(session.writer.next);
    }
}

/* Dispatches the command in cmd_buf. */
static void dispatch(void)
{
    if (cmd_len < 8 || cmd_buf[0] != 0x00) {
        return; /* not a command (e.g. a stray acknowledgement) */
    }
    uint8_t op = cmd_buf[1];
    uint32_t size_field = (uint32_t)cmd_buf[2] | ((uint32_t)cmd_buf[3] << 8);
    uint32_t checksum = stub_le32(cmd_buf + 4);
    const uint8_t *data = cmd_buf + 8;
    if (cmd_overflow || size_field != cmd_len - 8) {
        respond(op, 0, 0, 0, STUB_BAD_DATA_LEN);
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
        respond(op, hal_read_reg(stub_le32(data)), 0, 0, STUB_OK);
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
        respond(op, 0, 0, 0, err);
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
        handle_read_flash(data, size_field);
        return;
    case OP_FLASH_BLANK_SCAN:
        handle_blank_scan(data, size_field);
        return;
    case OP_CLEAN_BEGIN:
    case OP_CLEAN_FINISH:
        handle_clean(op, data, size_field);
        return;
    case OP_ERASE_FLASH:
        stub_verify_drop();
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
        flash_limit = stub_le32(data + 4);
        if (flash_limit > hal_flash_capacity()) {
            flash_limit = hal_flash_capacity();
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
        respond(op, 0, 0, 0, STUB_OK);
        hal_tx_flush();
        hal_set_uart_divider(stub_baud_divider(hal_read_reg(STUB_UART_CLKDIV_REG), stub_le32(data + 4),
                                               stub_le32(data)));
        return;
    case OP_RUN_USER_CODE:
        run_user_code = 1; /* no reply */
        return;
    case OP_MEM_BEGIN:
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
    respond(op, 0, 0, 0, err);
}

void stub_run(void)
{
    flash_limit = hal_flash_capacity();
    session.mode = MODE_IDLE;
    static const uint8_t greeting[4] = {'O', 'H', 'A', 'I'};
    slip_frame_start();
    slip_bytes(greeting, 4);
    slip_frame_end();
    while (!run_user_code && !link_lost) {
        if (!deferred) {
            if (!receive_frame()) {
                break;
            }
        }
        deferred = 0;
        dispatch();
    }
    hal_tx_flush();
}
