/* SLIP framing over the HAL's UART (stub_wire.h); first-stage code. */
#include "stub_wire.h"
#include "stub_hal.h"
#include "stub_util.h"

#define SLIP_END 0xC0
#define SLIP_ESC 0xDB
#define SLIP_ESC_END 0xDC
#define SLIP_ESC_ESC 0xDD

uint8_t stub_cmd_buf[STUB_CMD_CAPACITY] __attribute__((aligned(4)));
uint32_t stub_cmd_len;
int stub_cmd_overflow;
int stub_link_lost;

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

void stub_frame_bytes(const uint8_t *p, uint32_t n)
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

void stub_frame_start(void) { tx_raw(SLIP_END); }

void stub_frame_end(void)
{
    tx_raw(SLIP_END);
    tx_flush_buffer();
}

void stub_respond(uint8_t op, uint32_t value, const uint8_t *payload, uint32_t payload_len, uint8_t error)
{
    uint8_t header[8];
    uint32_t size = payload_len + 2;
    header[0] = 0x01;
    header[1] = op;
    header[2] = (uint8_t)size;
    header[3] = (uint8_t)(size >> 8);
    stub_put_le32(header + 4, value);
    uint8_t status[2] = {error, 0};
    stub_frame_start();
    stub_frame_bytes(header, 8);
    if (payload_len != 0) {
        stub_frame_bytes(payload, payload_len);
    }
    stub_frame_bytes(status, 2);
    stub_frame_end();
}

/* ---- SLIP input ---- */

/* Receives the next non-empty frame into stub_cmd_buf. Returns 0 when the link is gone. */
int stub_receive_frame(void)
{
    int c;
    do {
        c = hal_rx_byte();
        if (c < 0) {
            stub_link_lost = 1;
            return 0;
        }
    } while (c != SLIP_END);
    for (;;) {
        stub_cmd_len = 0;
        stub_cmd_overflow = 0;
        int escaped = 0;
        for (;;) {
            c = hal_rx_byte();
            if (c < 0) {
                stub_link_lost = 1;
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
                    stub_cmd_overflow = 1; /* invalid escape: treat the frame as damaged */
                }
            } else if (c == SLIP_ESC) {
                escaped = 1;
                continue;
            }
            if (stub_cmd_len < STUB_CMD_CAPACITY) {
                stub_cmd_buf[stub_cmd_len++] = (uint8_t)c;
            } else {
                stub_cmd_overflow = 1;
            }
        }
        if (stub_cmd_len != 0) {
            return 1; /* "C0 C0" between frames gives an empty frame: skip it */
        }
    }
}
