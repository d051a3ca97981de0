/* Blank scan: which 4 KiB sectors of a flash range hold anything but 0xFF (portable).
 *
 * Used by FLASH_BLANK_SCAN (0xE3, espwiz's own opcode): the client erases only the sectors
 * this reports as dirty instead of erasing the whole chip, with the same all-0xFF result.
 */
#ifndef STUB_BLANK_SCAN_H
#define STUB_BLANK_SCAN_H

#include <stdint.h>

/* Reads `sectors` 4 KiB sectors from `address` (sector aligned) through hal_flash_read, in
 * pieces of `buffer_size` bytes (a multiple of 32 that divides 4096) into `buffer`, and sets
 * bit (i % 8) of bitmap[i / 8] for every sector i that is not all 0xFF. A sector's scan stops at
 * its first non-0xFF word. `bitmap` must hold (sectors + 7) / 8 bytes; it is cleared first.
 * Returns STUB_OK or STUB_FAILED_SPI_OP; `*dirty` receives the number of bits set. */
int stub_blank_scan(uint32_t address, uint32_t sectors, uint8_t *bitmap, uint32_t *dirty,
                    uint32_t *buffer, uint32_t buffer_size);

/* True when every word of w[0..words) is 0xFFFFFFFF (`words` a multiple of 8). */
int stub_blank_all_erased(const uint32_t *w, uint32_t words);

#endif
