/* Blank scan (see stub_blank_scan.h). */
#include "stub_blank_scan.h"
#include "stub_errors.h"
#include "stub_hal.h"
#include "stub_util.h"

#define SECTOR_SIZE 4096u

/* True when every word of buffer[0..words) is 0xFFFFFFFF. Eight words are ANDed per step,
 * so the loop costs about one load and one AND per word plus one branch per 32 bytes. */
int stub_blank_all_erased(const uint32_t *w, uint32_t words)
{
    for (uint32_t i = 0; i < words; i += 8) {
        uint32_t acc = w[i] & w[i + 1] & w[i + 2] & w[i + 3] & w[i + 4] & w[i + 5] & w[i + 6] & w[i + 7];
        if (acc != 0xFFFFFFFFu) {
            return 0;
        }
    }
    return 1;
}

int stub_blank_scan(uint32_t address, uint32_t sectors, uint8_t *bitmap, uint32_t *dirty,
                    uint32_t *buffer, uint32_t buffer_size)
{
    stub_memset(bitmap, 0, (sectors + 7u) / 8u);
    uint32_t count = 0;
    for (uint32_t s = 0; s < sectors; s++) {
        uint32_t base = address + s * SECTOR_SIZE;
        for (uint32_t at = 0; at < SECTOR_SIZE; at += buffer_size) {
            if (hal_flash_read(base + at, buffer, buffer_size) != HAL_OK) {
                return STUB_FAILED_SPI_OP;
            }
            if (!stub_blank_all_erased(buffer, buffer_size / 4u)) {
                /* Dirty: the rest of the sector need not be read. Most dirty sectors hold
                 * data from their first bytes (firmware, filesystem pages, SDK settings). */
                bitmap[s / 8u] |= (uint8_t)(1u << (s % 8u));
                count++;
                break;
            }
        }
    }
    *dirty = count;
    return STUB_OK;
}
