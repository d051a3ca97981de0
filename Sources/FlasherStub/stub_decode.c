/* The glue between the protocol and the decoders: the compressed session's sink, refill and
 * history callbacks, the shared work area, and starting a decoder on the first data block.
 * Second-stage code (esp8266.ld, by object name), like the decoders it calls: the first stage
 * reaches it only for a session that BEGIN opened after the second stage was loaded.
 */
#include "stub_commands.h"
#include "stub_errors.h"
#include "stub_flash_writer.h"
#include "stub_hal.h"
#include "stub_inflate.h"
#include "stub_lzma.h"
#include "stub_session.h"
#include "stub_wire.h"

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

int stub_decoder_busy(void)
{
    return (stub_session.mode == STUB_MODE_DEFLATE || stub_session.mode == STUB_MODE_LZMA) && !stub_session.inflate_done;
}

uint32_t *stub_work_area(void) { return work.lzma; }

static int inflate_refill(void *context, const uint8_t **data, uint32_t *length);
static int lzma_history(void *context, uint32_t position, void *dst, uint32_t length);

static int inflate_sink(void *context, const uint8_t *data, uint32_t length)
{
    (void)context;
    return stub_flash_writer_put(&stub_session.writer, data, length, 0);
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
    stub_flash_writer_t *w = &stub_session.writer;
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
    stub_session.inflate_started = 1;
    stub_inflate_init(&work.inflate.state, work.inflate.window, inflate_refill, inflate_sink, 0);
    stub_inflating = 1;
    int status = stub_inflate_run(&work.inflate.state, block, length);
    stub_inflating = 0;
    if (stub_link_lost) {
        return;
    }
    uint8_t err = inflate_error(status);
    if (err == STUB_OK && stub_inflate_has_trailing_input(&work.inflate.state)) {
        err = STUB_TOO_MUCH_DATA;
    }
    if (err != STUB_OK && stub_session.error == STUB_OK) {
        stub_session.error = err;
    }
    stub_session.inflate_done = 1;
}

static void start_lzma(const uint8_t *block, uint32_t length)
{
    stub_session.inflate_started = 1;
    stub_inflating = 1;
    int status = stub_lzma_run(&lzma, block, length);
    stub_inflating = 0;
    if (stub_link_lost) {
        return;
    }
    uint8_t err = lzma_error(status);
    if (err == STUB_OK && stub_lzma_has_trailing_input(&lzma)) {
        err = STUB_TOO_MUCH_DATA;
    }
    if (err != STUB_OK && stub_session.error == STUB_OK) {
        stub_session.error = err;
    }
    stub_session.inflate_done = 1;
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
        stub_dispatch();
        if (stub_deferred || stub_link_lost || stub_run_user_code) {
            return 0;
        }
        if (handoff_ready) {
            *data = handoff_data;
            *length = handoff_length;
            return 1;
        }
    }
}

uint8_t stub_decode_lzma_begin(uint32_t properties, uint32_t size)
{
    /* Word 5: the properties byte (pb * 5 + lp) * 9 + lc; the other bytes must be 0.
     * Initialising here also checks that lc + lp fits the work area. */
    if (properties > 0xFF ||
        stub_lzma_init(&lzma, (uint8_t)properties, size, work.lzma, sizeof work.lzma, inflate_refill, inflate_sink,
                       lzma_history, 0) != STUB_LZMA_OK) {
        return STUB_INFLATE_ERROR;
    }
    return STUB_OK;
}

void stub_decode_block(const uint8_t *block, uint32_t length)
{
    if (stub_inflating) {
        handoff_data = block;
        handoff_length = length;
        handoff_ready = 1;
    } else if (stub_session.mode == STUB_MODE_DEFLATE) {
        start_inflate(block, length);
    } else {
        start_lzma(block, length);
    }
}
