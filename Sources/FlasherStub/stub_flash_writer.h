/* Sequential flash writing with erase-ahead, for FLASH_DATA and FLASH_DEFL_DATA.
 *
 * Bytes are written in order from `start` to `end`. Before a range is programmed, the sectors
 * under it are erased, using 64 KiB block erases where a whole aligned block lies inside the
 * session and 4 KiB sector erases otherwise. The flash wants 4-byte aligned sources and
 * lengths, so an unaligned tail is kept back until more bytes arrive or the session ends
 * (the last word is padded with 0xFF, which leaves erased flash unchanged).
 */
#ifndef STUB_FLASH_WRITER_H
#define STUB_FLASH_WRITER_H

#include <stdint.h>

typedef struct {
    uint32_t start;      /* first address of the session */
    uint32_t end;        /* one past the last address */
    uint32_t next;       /* next address to program (multiple of 4) */
    uint32_t erased_to;  /* flash is erased from start (rounded down) up to here */
    uint32_t carry_count;
    uint8_t carry[4];
    uint32_t tail_from;  /* [tail_from, tail_to): sectors erased early by stub_flash_writer_erase_tail */
    uint32_t tail_to;
} stub_flash_writer_t;

/* The most sectors stub_flash_writer_erase_tail erases at once (bounds the delay it adds). */
#define STUB_EARLY_TAIL_SECTORS 4u

void stub_flash_writer_begin(stub_flash_writer_t *w, uint32_t start, uint32_t size);

/* Writes bytes; returns 0 or a stub error code (0xC4 failed SPI op, 0xC9 too much data).
 * With `truncate` set, bytes beyond the end are silently dropped (ROM-style padded blocks). */
int stub_flash_writer_put(stub_flash_writer_t *w, const uint8_t *data, uint32_t length, int truncate);

/* Erases the session's last sectors now: those after its last whole 64 KiB block, which the
 * writer would otherwise erase one by one just before the final data (at most
 * STUB_EARLY_TAIL_SECTORS; more are left to the writer). Called right after BEGIN is
 * acknowledged, so the erase overlaps the first data block on the wire instead of delaying the
 * end of the write. Returns 0 or a stub error code. */
int stub_flash_writer_erase_tail(stub_flash_writer_t *w);

/* Writes a held-back tail. Returns 0 or a stub error code. */
int stub_flash_writer_finish(stub_flash_writer_t *w);

/* Bytes accepted so far (including a held-back tail). */
uint32_t stub_flash_writer_written(const stub_flash_writer_t *w);

#endif
