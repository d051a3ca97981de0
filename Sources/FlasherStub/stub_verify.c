/* Read-back MD5 in idle time (see stub_verify.h). */
#include "stub_verify.h"
#include "stub_hal.h"

#define PIECE 64u /* one SPI read transaction (the controller's W0..W15 buffer) */

static struct {
    int valid;
    uint32_t start;
    uint32_t hashed; /* [start, hashed) is in md5 */
    stub_md5_t md5;
} running;
static uint32_t piece[PIECE / 4u];

void stub_verify_begin(uint32_t start)
{
    running.valid = 1;
    running.start = start;
    running.hashed = start;
    stub_md5_init(&running.md5);
}

void stub_verify_drop(void) { running.valid = 0; }

int stub_verify_step(uint32_t programmed_end)
{
    if (!running.valid || programmed_end <= running.hashed) {
        return 0;
    }
    uint32_t n = programmed_end - running.hashed;
    if (n > PIECE) {
        n = PIECE;
    }
    n &= ~3u; /* programmed_end is a multiple of 4 (the writer programs whole words) */
    if (n == 0) {
        return 0;
    }
    if (hal_flash_read(running.hashed, piece, n) != HAL_OK) {
        running.valid = 0; /* the MD5 command will read everything itself */
        return 0;
    }
    stub_md5_update(&running.md5, (const uint8_t *)piece, n);
    running.hashed += n;
    return 1;
}

int stub_verify_take(uint32_t address, uint32_t length, stub_md5_t *ctx, uint32_t *hashed_to)
{
    if (!running.valid || running.start != address || running.hashed - address > length) {
        return 0;
    }
    *ctx = running.md5;
    *hashed_to = running.hashed;
    return 1;
}
