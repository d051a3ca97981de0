/* Flash access shared by the command handlers (stub_flash_io.h); first-stage code. */
#include "stub_flash_io.h"
#include "stub_errors.h"
#include "stub_hal.h"
#include "stub_wire.h"

uint32_t stub_flash_limit;
uint32_t stub_scratch[STUB_SCRATCH_SIZE / 4];

int stub_range_ok(uint32_t address, uint32_t length)
{
    return address <= stub_flash_limit && length <= stub_flash_limit - address;
}

int stub_flash_stream(uint32_t address, uint32_t length, stub_chunk_fn fn, void *context)
{
    uint8_t *bytes = (uint8_t *)stub_scratch;
    while (length != 0) {
        uint32_t base = address & ~3u;
        uint32_t skip = address - base;
        uint32_t want = skip + length;
        if (want > STUB_SCRATCH_SIZE) {
            want = STUB_SCRATCH_SIZE;
        }
        if (hal_flash_read(base, stub_scratch, (want + 3u) & ~3u) != HAL_OK) {
            return STUB_FAILED_SPI_OP;
        }
        uint32_t n = want - skip;
        fn(context, bytes + skip, n);
        address += n;
        length -= n;
    }
    return STUB_OK;
}
