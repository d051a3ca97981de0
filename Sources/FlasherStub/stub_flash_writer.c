/* Sequential flash writer with erase-ahead. See stub_flash_writer.h. */
#include "stub_flash_writer.h"
#include "stub_errors.h"
#include "stub_hal.h"
#include "stub_util.h"

#define SECTOR_SIZE 4096u
#define BLOCK_SIZE 65536u

/* Bounce buffer for sources that are not word aligned. */
static uint32_t bounce[64];

void stub_flash_writer_begin(stub_flash_writer_t *w, uint32_t start, uint32_t size)
{
    w->start = start;
    w->end = start + size;
    w->next = start;
    w->erased_to = start & ~(SECTOR_SIZE - 1u);
    w->carry_count = 0;
    w->tail_from = w->tail_to = 0;
}

int stub_flash_writer_erase_tail(stub_flash_writer_t *w)
{
    uint32_t to = (w->end + SECTOR_SIZE - 1u) & ~(SECTOR_SIZE - 1u);
    uint32_t from = w->end & ~(BLOCK_SIZE - 1u);
    if (from < w->erased_to) {
        from = w->erased_to;
    }
    /* erase_ahead never uses a block erase here: less than a whole block is left after `from`. */
    if (from >= to || (to - from) / SECTOR_SIZE > STUB_EARLY_TAIL_SECTORS) {
        return STUB_OK;
    }
    for (uint32_t at = from; at < to; at += SECTOR_SIZE) {
        if (hal_flash_erase_sector(at / SECTOR_SIZE) != HAL_OK) {
            return STUB_FAILED_SPI_OP;
        }
    }
    w->tail_from = from;
    w->tail_to = to;
    return STUB_OK;
}

/* Erases until [.., limit) is erased. */
static int erase_ahead(stub_flash_writer_t *w, uint32_t limit)
{
    while (w->erased_to < limit) {
        uint32_t at = w->erased_to;
        int rc;
        if (w->tail_to != 0 && at >= w->tail_from) {
            w->erased_to = w->tail_to; /* erased early, right after BEGIN */
            continue;
        }
        if ((at & (BLOCK_SIZE - 1u)) == 0 && w->end - at >= BLOCK_SIZE) {
            rc = hal_flash_erase_block(at / BLOCK_SIZE);
            w->erased_to = at + BLOCK_SIZE;
        } else {
            rc = hal_flash_erase_sector(at / SECTOR_SIZE);
            w->erased_to = at + SECTOR_SIZE;
        }
        if (rc != HAL_OK) {
            return STUB_FAILED_SPI_OP;
        }
    }
    return STUB_OK;
}

/* Programs whole words from an aligned source. */
static int program(stub_flash_writer_t *w, const void *src, uint32_t length)
{
    int rc = erase_ahead(w, w->next + length);
    if (rc != STUB_OK) {
        return rc;
    }
    if (hal_flash_write(w->next, src, length) != HAL_OK) {
        return STUB_FAILED_SPI_OP;
    }
    w->next += length;
    return STUB_OK;
}

int stub_flash_writer_put(stub_flash_writer_t *w, const uint8_t *data, uint32_t length, int truncate)
{
    uint32_t room = w->end - stub_flash_writer_written(w);
    if (length > room) {
        if (!truncate) {
            return STUB_TOO_MUCH_DATA;
        }
        length = room;
    }
    /* Complete a held-back word first. */
    while (w->carry_count != 0 && length != 0) {
        w->carry[w->carry_count++] = *data++;
        length--;
        if (w->carry_count == 4) {
            bounce[0] = (uint32_t)w->carry[0] | ((uint32_t)w->carry[1] << 8) |
                        ((uint32_t)w->carry[2] << 16) | ((uint32_t)w->carry[3] << 24);
            w->carry_count = 0;
            int rc = program(w, bounce, 4);
            if (rc != STUB_OK) {
                return rc;
            }
        }
    }
    uint32_t words = length & ~3u;
    if (words != 0) {
        if (((uint32_t)(uintptr_t)data & 3u) == 0) {
            int rc = program(w, data, words);
            if (rc != STUB_OK) {
                return rc;
            }
        } else {
            for (uint32_t done = 0; done < words;) {
                uint32_t n = words - done;
                if (n > sizeof bounce) {
                    n = sizeof bounce;
                }
                stub_memcpy(bounce, data + done, n);
                int rc = program(w, bounce, n);
                if (rc != STUB_OK) {
                    return rc;
                }
                done += n;
            }
        }
    }
    for (uint32_t i = words; i < length; i++) {
        w->carry[w->carry_count++] = data[i];
    }
    if (w->carry_count != 0 && stub_flash_writer_written(w) == w->end - w->start) {
        return stub_flash_writer_finish(w); /* the last bytes: no need to wait for END */
    }
    return STUB_OK;
}

int stub_flash_writer_finish(stub_flash_writer_t *w)
{
    if (w->carry_count == 0) {
        return STUB_OK;
    }
    uint8_t word[4] = {0xFF, 0xFF, 0xFF, 0xFF};
    for (uint32_t i = 0; i < w->carry_count; i++) {
        word[i] = w->carry[i];
    }
    w->carry_count = 0;
    bounce[0] = (uint32_t)word[0] | ((uint32_t)word[1] << 8) | ((uint32_t)word[2] << 16) |
                ((uint32_t)word[3] << 24);
    return program(w, bounce, 4);
}

uint32_t stub_flash_writer_written(const stub_flash_writer_t *w)
{
    return w->next - w->start + w->carry_count;
}
