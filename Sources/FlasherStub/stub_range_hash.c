/* Whole-range MD5 of a sparse read in small steps (stub_range_hash.h). */
#include "stub_range_hash.h"
#include "stub_errors.h"
#include "stub_hal.h"
#include "stub_blank_scan.h"
#include "stub_util.h"

#define SECTOR 4096u

static const uint32_t erased[STUB_RANGE_HASH_STEP / 4] = {
#define FF4 0xFFFFFFFFu, 0xFFFFFFFFu, 0xFFFFFFFFu, 0xFFFFFFFFu
#define FF16 FF4, FF4, FF4, FF4
    FF16, FF16, FF16, FF16
#undef FF16
#undef FF4
};

void stub_range_hash_begin(stub_range_hash_t *h, uint32_t address, uint32_t length, uint8_t *bitmap,
                           int reread_blank, uint32_t *buffer, uint32_t buffer_size)
{
    stub_md5_init(&h->md5);
    h->address = address;
    h->length = length;
    h->hashed = 0;
    h->bitmap = bitmap;
    h->reread_blank = reread_blank;
    h->scan = 0;
    h->buffer = buffer;
    h->buffer_size = buffer_size;
    h->filled = 0;
    h->used = 0;
    h->fill_blank = 0;
    h->error = STUB_OK;
}

void stub_range_hash_begin_scan(stub_range_hash_t *h, uint32_t address, uint32_t length, uint8_t *bitmap,
                                uint32_t *buffer, uint32_t buffer_size)
{
    stub_memset(bitmap, 0, (length / SECTOR + 7u) / 8u);
    stub_range_hash_begin(h, address, length, bitmap, 1, buffer, buffer_size);
    h->scan = 1;
}

int stub_range_hash_step(stub_range_hash_t *h)
{
    if (h->error != STUB_OK || h->hashed == h->length) {
        return 0;
    }
    if (h->used == h->filled) {
        /* Next piece: never crosses a sector, so it is wholly dirty or wholly blank. */
        uint32_t index = h->hashed / SECTOR;
        int dirty = (h->bitmap[index / 8] >> (index % 8)) & 1;
        uint32_t piece = h->buffer_size;
        if (piece > h->length - h->hashed) {
            piece = h->length - h->hashed;
        }
        h->used = 0;
        h->filled = piece;
        h->fill_blank = !dirty && !h->reread_blank;
        if (!h->fill_blank && hal_flash_read(h->address + h->hashed, h->buffer, piece) != HAL_OK) {
            h->error = STUB_FAILED_SPI_OP;
            return 0;
        }
        if (h->scan && !stub_blank_all_erased(h->buffer, piece / 4u)) {
            h->bitmap[index / 8] |= (uint8_t)(1u << (index % 8));
        }
        return 1; /* the read was this step's work */
    }
    uint32_t n = h->filled - h->used;
    if (n > STUB_RANGE_HASH_STEP) {
        n = STUB_RANGE_HASH_STEP;
    }
    const uint8_t *src = h->fill_blank ? (const uint8_t *)erased : (const uint8_t *)h->buffer + h->used;
    stub_md5_update(&h->md5, src, n);
    h->used += n;
    h->hashed += n;
    return h->hashed != h->length;
}

int stub_range_hash_finish(stub_range_hash_t *h, uint8_t digest[16])
{
    while (stub_range_hash_step(h)) {
    }
    if (h->error != STUB_OK) {
        return h->error;
    }
    stub_md5_final(&h->md5, digest);
    return STUB_OK;
}
