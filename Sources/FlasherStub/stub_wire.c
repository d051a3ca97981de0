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

/* Receives the next non-empty frame into stub_cmd_buf. Returns 0 when the link is gone.
 *
 * Works on the HAL's contiguous runs of received bytes: plain bytes are copied in a tight loop
 * (bounded by the run's end and the buffer's room) and only END, ESC, the escaped byte and a
 * full buffer take the slower path, so receiving costs a few instructions per byte instead of
 * a call and the framing state per byte. */
int stub_receive_frame(void)
{
    uint8_t *const buf = stub_cmd_buf;
    uint8_t *const full = buf + STUB_CMD_CAPACITY;
    uint8_t *d = buf;
    int synced = 0, escaped = 0, overflow = 0;
    for (;;) {
        uint32_t n;
        const uint8_t *p = hal_rx_span(&n);
        if (p == 0) {
            stub_cmd_len = 0;
            stub_link_lost = 1;
            return 0;
        }
        const uint8_t *q = p;
        const uint8_t *const end = p + n;
        if (!synced) { /* bytes before the first END are noise */
            while (q != end && *q != SLIP_END) {
                q++;
            }
            if (q == end) {
                hal_rx_consume(n);
                continue;
            }
            q++;
            synced = 1;
        }
        while (q != end) {
            uint8_t c;
            if (!escaped) {
                uint32_t room = (uint32_t)(full - d);
                const uint8_t *stop = (uint32_t)(end - q) < room ? end : q + room;
                /* Plain bytes up to the first marker: 7 instructions a byte on the chip. gcc
                 * folds the two tests into flag arithmetic (14 a byte), hence the assembly. */
#if defined(__XTENSA__)
                uint32_t end_mark = SLIP_END, esc_mark = SLIP_ESC, b;
                __asm__ volatile(
                    "   beq   %[q], %[stop], 2f\n"
                    "1: l8ui  %[b], %[q], 0\n"
                    "   beq   %[b], %[em], 2f\n"
                    "   beq   %[b], %[xm], 2f\n"
                    "   s8i   %[b], %[d], 0\n"
                    "   addi  %[q], %[q], 1\n"
                    "   addi  %[d], %[d], 1\n"
                    "   bne   %[q], %[stop], 1b\n"
                    "2:\n"
                    : [q] "+r"(q), [d] "+r"(d), [b] "=&r"(b)
                    : [stop] "r"(stop), [em] "r"(end_mark), [xm] "r"(esc_mark)
                    : "memory");
#else
                while (q != stop && *q != SLIP_END && *q != SLIP_ESC) {
                    *d++ = *q++;
                }
#endif
                if (q == end) {
                    break;
                }
            }
            c = *q++;
            if (c == SLIP_END) {
                if (d != buf) {
                    hal_rx_consume((uint32_t)(q - p));
                    stub_cmd_len = (uint32_t)(d - buf);
                    stub_cmd_overflow = overflow;
                    return 1;
                }
                escaped = 0; /* "C0 C0" between frames gives an empty frame: skip it */
                overflow = 0;
                continue;
            }
            if (escaped) {
                escaped = 0;
                if (c == SLIP_ESC_END) {
                    c = SLIP_END;
                } else if (c == SLIP_ESC_ESC) {
                    c = SLIP_ESC;
                } else {
                    overflow = 1; /* invalid escape: treat the frame as damaged */
                }
            } else if (c == SLIP_ESC) {
                escaped = 1;
                continue;
            }
            if (d != full) {
                *d++ = c;
            } else {
                overflow = 1;
            }
        }
        hal_rx_consume(n);
    }
}
